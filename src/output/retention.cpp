// The writers of the retention results (see custometrics/output/retention.hpp).
#include "custometrics/output/retention.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/output/strings.hpp"
#include "custometrics/retention/bg_nbd.hpp"
#include "custometrics/retention/purchase_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <tuple>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

/// Intervals must describe the scored customers (`invalid_argument` otherwise).
void check_same_customers(const customer_scores& s,
                          const std::optional<score_intervals>& intervals) {
    if (!intervals) return;
    const prediction_intervals& p = intervals->purchases;
    if (p.lower.size() != s.size() || p.horizon != s.horizon)
        throw invalid_argument("intervals",
                               "are of " + std::to_string(p.lower.size()) + " customers over " +
                                   detail::format_number(p.horizon) + " periods, the scores of " +
                                   std::to_string(s.size()) + " over " +
                                   detail::format_number(s.horizon));
    if (intervals->clv && (!s.with_spend || intervals->clv->lower.size() != s.size()))
        throw invalid_argument("intervals", "of the lifetime value are not of the scores' "
                                            "customers, or the scores have no lifetime value");
}

/// "delta method" or "parametric bootstrap, 1,000 draws, seed 42[, 3 failed]".
std::string interval_description(const prediction_intervals& p) {
    if (p.method == interval_method::delta) return "delta method, parameter uncertainty only";
    std::string d = p.method == interval_method::parametric_bootstrap ? "parametric bootstrap"
                                                                      : "nonparametric bootstrap";
    d += ", " + count(p.draws) + " draws, seed " + std::to_string(p.seed);
    if (p.failed_draws > 0) d += ", " + count(p.failed_draws) + " failed";
    return d;
}

/// A number or, when not finite, "-" (text tables).
std::string cell(double x, int digits) {
    return std::isfinite(x) ? num(x, digits) : std::string("-");
}

/// What the criterion of a choice is called in text.
std::string criterion_text(selection_criterion c) {
    switch (c) {
    case selection_criterion::mae:
        return "holdout MAE";
    case selection_criterion::rmse:
        return "holdout RMSE";
    case selection_criterion::aggregate:
        return "holdout aggregate error";
    case selection_criterion::bic:
        return "BIC";
    }
    return "?";
}

} // namespace

void write_text(std::ostream& out, const fitted_model& m) {
    const bool spend = m.is_spend_model();
    out << (spend          ? std::string("Gamma-Gamma (repeat buyers)")
            : m.is_bg_bb() ? std::string("BG/BB (discrete opportunities)")
                           : std::string(display_name(purchase_kind_of(m))));
    if (m.fit) {
        const fit_statistics& st = *m.fit;
        out << " fit on " << count(static_cast<std::size_t>(st.n)) << " customers";
        if (m.is_bg_bb())
            out << " (" << count(st.unique_rows) << " unique patterns)";
        else if (!spend && m.units)
            out << " (" << count(st.unique_rows) << " unique rows, " << describe(*m.units) << ")";
        else if (spend && st.without_repeat_purchase + st.without_positive_spend > 0)
            out << " (left out: " << count(st.without_repeat_purchase)
                << " without a repeat purchase, " << count(st.without_positive_spend)
                << " with a mean repeat spend <= 0)";
        out << ": " << (st.report.converged ? "converged" : "NOT converged") << " after "
            << st.report.iterations << " iterations (" << st.report.reason << ")";
    } else {
        out << " with given parameters";
    }
    out << "\n";
    for (std::size_t j = 0; j < m.names.size(); ++j) {
        char line[128];
        const std::string name = m.names[j] == "v" ? "gamma" : m.names[j];
        if (m.fit)
            std::snprintf(line, sizeof line, "  %-8s %12.6g   (standard error %.4g)\n",
                          name.c_str(), m.params[j], m.fit->std_errors[j]);
        else
            std::snprintf(line, sizeof line, "  %-8s %12.6g\n", name.c_str(), m.params[j]);
        out << line;
    }
    if (m.covariates) {
        // Coefficients: alpha_i = alpha exp(-g_trans' z), and per model for the lifetime
        // (covariates.hpp).
        const covariate_coefficients& c = *m.covariates;
        for (const auto& [process, names, values, errors] :
             {std::tuple{"life", &c.life_names, &c.life, m.fit ? &m.fit->life_std_errors : nullptr},
              std::tuple{"trans", &c.trans_names, &c.trans,
                         m.fit ? &m.fit->trans_std_errors : nullptr}})
            for (std::size_t j = 0; j < names->size(); ++j) {
                const std::string name = std::string(process) + "." + (*names)[j];
                out << "  " << name << std::string(name.size() < 8 ? 8 - name.size() : 0, ' ')
                    << " " << num((*values)[j], 6);
                if (errors && j < errors->size())
                    out << "   (standard error " << num((*errors)[j], 4) << ")";
                out << "\n";
            }
        for (const std::string& n : c.constrained)
            out << "  " << n << ": one coefficient on both processes\n";
        for (const auto& [column, level] : c.reference_levels)
            out << "  " << column << ": reference level " << level << "\n";
    }
    if (m.fit) out << "  log-likelihood " << num(m.fit->log_likelihood, 4) << "\n";
}

void write_csv(std::ostream& out, const customer_scores& s, std::span<const std::string> keys,
               const std::optional<score_intervals>& intervals) {
    check_same_customers(s, intervals);
    if (s.bg_bb) {
        out << "customer_id,p_alive,expected_purchases,dert\n";
        for (std::size_t i = 0; i < s.size(); ++i)
            out << csv_field(keys[i]) << ',' << number_text(s.p_alive[i]) << ','
                << number_text(s.expected_purchases[i]) << ',' << number_text(s.dert[i]) << '\n';
        return;
    }
    const prediction_intervals* p = intervals ? &intervals->purchases : nullptr;
    const prediction_intervals* v = intervals && intervals->clv ? &*intervals->clv : nullptr;
    out << "customer_id,p_alive,expected_purchases,"
        << (p ? "expected_purchases_lower,expected_purchases_upper," : "") << "expected_spend,clv,"
        << (v ? "clv_lower,clv_upper," : "") << "next_purchase_date\n";
    for (std::size_t i = 0; i < s.size(); ++i) {
        out << csv_field(keys[i]) << ',' << number_text(s.p_alive[i]) << ','
            << number_text(s.expected_purchases[i]) << ',';
        if (p) out << number_text(p->lower[i]) << ',' << number_text(p->upper[i]) << ',';
        if (s.with_spend)
            out << number_text(s.expected_spend[i]) << ',' << number_text(s.clv[i]);
        else
            out << ',';
        if (v) out << ',' << number_text(v->lower[i]) << ',' << number_text(v->upper[i]);
        out << ',' << date_or_empty(s.next_purchase_date[i]) << '\n';
    }
}

void write_json(detail::json_writer& w, const customer_scores& s,
                const std::optional<score_intervals>& intervals) {
    check_same_customers(s, intervals);
    w.begin_object();
    if (s.bg_bb) {
        w.field("model", "bgbb").field("n", static_cast<std::uint64_t>(s.size()));
        w.field("customers", s.customers); // the rows' weights: the totals are per customer
        w.field("horizon", s.horizon).field("discount_rate", s.discount_rate);
        w.field("expected_alive", s.expected_alive);
        w.field("at_risk", static_cast<std::uint64_t>(s.at_risk));
        w.field("expected_purchases", s.total_expected_purchases);
        w.field("dert_total", s.dert_total);
        w.end_object();
        return;
    }
    w.field("model", to_string(s.model));
    w.field("time_unit", to_string(s.units.unit)).field("unit_scale", s.units.scale);
    w.field("n", static_cast<std::uint64_t>(s.size()));
    w.field("horizon", s.horizon);
    w.field("expected_alive", s.expected_alive);
    w.field("at_risk", static_cast<std::uint64_t>(s.at_risk));
    w.field("expected_purchases", s.total_expected_purchases);
    if (intervals) {
        w.field("expected_purchases_lower", intervals->purchases.total_lower);
        w.field("expected_purchases_upper", intervals->purchases.total_upper);
    }
    if (s.with_spend) w.field("clv_total", s.clv_total);
    if (intervals && intervals->clv) {
        w.field("clv_total_lower", intervals->clv->total_lower);
        w.field("clv_total_upper", intervals->clv->total_upper);
    }
    if (intervals) {
        const prediction_intervals& p = intervals->purchases;
        w.key("interval").begin_object();
        w.field("method", to_string(p.method));
        w.field("level", p.level);
        w.field("draws", static_cast<std::uint64_t>(p.draws));
        w.field("seed", static_cast<std::uint64_t>(p.seed));
        w.field("failed_draws", static_cast<std::uint64_t>(p.failed_draws));
        if (intervals->clv)
            w.field("clv_failed_draws", static_cast<std::uint64_t>(intervals->clv->failed_draws));
        w.end_object();
    }
    w.end_object();
}

void write_json(std::ostream& out, const customer_scores& s,
                const std::optional<score_intervals>& intervals) {
    detail::json_writer w(out);
    write_json(w, s, intervals);
    out << '\n';
}

void write_text(std::ostream& out, const customer_scores& s, const score_options& o,
                const std::optional<score_intervals>& intervals) {
    check_same_customers(s, intervals);
    const std::size_t n = s.size();
    if (s.bg_bb) {
        out << "BG/BB scores of " << count(n) << " rows ("
            << count(static_cast<std::size_t>(std::llround(s.customers))) << " customers)\n";
        out << "  expected alive        " << num(s.expected_alive, 1) << " customers\n";
        out << "  P(alive) below 50%    " << count(s.at_risk) << " customers\n";
        out << "  expected purchases    " << num(s.total_expected_purchases, 1) << " at the next "
            << num(s.horizon, 0) << " opportunities\n";
        out << "  DERT                  " << num(s.dert_total, 1) << " (discount "
            << pct(s.discount_rate) << " an opportunity)\n";
        return;
    }
    out << display_name(s.model) << " scores of " << count(n) << " customers\n";
    out << "  expected alive        " << num(s.expected_alive, 1) << "  ("
        << pct(s.expected_alive / static_cast<double>(n)) << ")\n";
    out << "  P(alive) below 50%    " << count(s.at_risk) << " customers\n";
    out << "  expected purchases    " << num(s.total_expected_purchases, 1) << " in the next "
        << num(s.horizon, 2) << " " << describe(s.units) << "\n";
    if (intervals) {
        const prediction_intervals& p = intervals->purchases;
        out << "    " << pct(p.level) << " interval   " << num(p.total_lower, 1) << " to "
            << num(p.total_upper, 1) << " (" << interval_description(p) << ")\n";
    }
    if (s.with_spend)
        out << "  lifetime value        " << money(s.clv_total) << " over " << num(o.clv_months, 0)
            << " months (discount " << pct(o.discount_rate) << " a month)\n";
    if (intervals && intervals->clv) {
        const prediction_intervals& v = *intervals->clv;
        out << "    " << pct(v.level) << " interval   " << money(v.total_lower) << " to "
            << money(v.total_upper) << " (" << interval_description(v) << ")\n";
    }
}

void write_text(std::ostream& out, const model_selection& m) {
    out << "Model choice by " << criterion_text(m.criterion) << " on " << count(m.customers)
        << " customers";
    if (m.has_holdout) out << " (holdout " << num(m.duration, 2) << " periods)";
    out << ": "
        << (m.chosen ? std::string(display_name(m.models[*m.chosen].model))
                     : std::string("no model usable"))
        << "\n";
    char line[200];
    std::snprintf(line, sizeof line, "    %-12s %11s %11s %8s %8s %10s %11s\n", "model", "log-lik",
                  "BIC", "MAE", "RMSE", "aggregate", "score");
    out << line;
    for (std::size_t k = 0; k < m.models.size(); ++k) {
        const model_score& r = m.models[k];
        const bool h = m.has_holdout;
        std::snprintf(
            line, sizeof line, "  %s %-12s %11s %11s %8s %8s %10s %11s", //
            m.chosen && *m.chosen == k ? "*" : " ", std::string(display_name(r.model)).c_str(),
            cell(r.log_likelihood, 2).c_str(), cell(r.bic, 2).c_str(),
            h ? cell(r.holdout.mae, 4).c_str() : "-", h ? cell(r.holdout.rmse, 4).c_str() : "-",
            h ? (std::isfinite(r.aggregate_error) ? pct(r.aggregate_error) : "-").c_str() : "-",
            cell(r.score, 4).c_str());
        out << line;
        if (!r.usable) out << "  (not usable: " << r.reason << ")";
        out << "\n";
    }
}

void write_json(detail::json_writer& w, const model_selection& m) {
    w.begin_object();
    w.field("criterion", to_string(m.criterion));
    w.field("has_holdout", m.has_holdout);
    w.field("duration", m.duration);
    w.field("customers", static_cast<std::uint64_t>(m.customers));
    w.key("chosen");
    if (m.chosen)
        w.value(to_string(m.models[*m.chosen].model));
    else
        w.null();
    w.key("models").begin_array();
    for (const model_score& r : m.models) {
        w.begin_object();
        w.field("model", to_string(r.model));
        w.field("usable", r.usable);
        w.field("reason", r.reason);
        w.key("params").begin_object();
        for (std::size_t j = 0; j < r.fit.names.size() && j < r.fit.params.size(); ++j)
            w.field(r.fit.names[j], r.fit.params[j]);
        w.end_object();
        w.key("std_errors").begin_object();
        for (std::size_t j = 0; j < r.fit.names.size() && j < r.fit.std_errors.size(); ++j)
            w.field(r.fit.names[j], r.fit.std_errors[j]);
        w.end_object();
        w.field("parameters", static_cast<std::uint64_t>(r.parameters));
        w.field("log_likelihood", r.log_likelihood);
        w.field("aic", r.aic);
        w.field("bic", r.bic);
        const double none = std::numeric_limits<double>::quiet_NaN();
        w.field("mae", m.has_holdout ? r.holdout.mae : none);
        w.field("rmse", m.has_holdout ? r.holdout.rmse : none);
        w.field("aggregate_error", m.has_holdout ? r.aggregate_error : none);
        w.field("score", r.score);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

void write_json(std::ostream& out, const model_selection& m) {
    detail::json_writer w(out);
    write_json(w, m);
    out << '\n';
}

void write_csv(std::ostream& out, const contact_plan& p, std::span<const std::string> keys) {
    out << "customer_id,call_date,next_purchase_date,p_alive,clv"
        << (p.with_rhythm ? ",timing,rhythm_date,due_days\n" : "\n");
    for (const contact_entry& c : p.contacts) {
        out << csv_field(keys[c.customer]) << ',' << date_or_empty(c.call_date) << ','
            << date_or_empty(c.next_purchase_date) << ',' << number_text(c.p_alive) << ','
            << number_text(c.clv);
        if (p.with_rhythm)
            out << ',' << to_string(c.timing) << ',' << date_or_empty(c.rhythm_date) << ','
                << (c.due_days ? number_text(*c.due_days) : std::string());
        out << '\n';
    }
}

void write_json(detail::json_writer& w, const contact_plan& p, const customer_scores& s,
                const contact_days& o, std::span<const std::string> keys, std::size_t shown) {
    w.begin_object();
    w.field("model", to_string(s.model));
    w.field("customers", static_cast<std::uint64_t>(p.customers));
    w.field("contacts", static_cast<std::uint64_t>(p.contacts.size()));
    w.field("within_days", o.within_days);
    w.field("lead_days", o.lead_days);
    w.field("value_at_risk", p.value_at_risk);
    if (p.with_rhythm) w.field("timing", to_string(p.timing));
    w.key("top").begin_array();
    for (std::size_t k = 0; k < std::min(p.contacts.size(), shown); ++k) {
        const contact_entry& c = p.contacts[k];
        w.begin_object();
        w.field("customer_id", keys[c.customer]);
        w.field("call_date", date_or_empty(c.call_date));
        w.field("next_purchase_date", date_or_empty(c.next_purchase_date));
        w.field("p_alive", c.p_alive);
        w.field("clv", c.clv);
        if (p.with_rhythm) {
            w.field("timing", to_string(c.timing));
            w.field("rhythm_date", date_or_null(c.rhythm_date));
            w.field("due_days", c.due_days);
        }
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

void write_json(std::ostream& out, const contact_plan& p, const customer_scores& s,
                const contact_days& o, std::span<const std::string> keys, std::size_t shown) {
    detail::json_writer w(out);
    write_json(w, p, s, o, keys, shown);
    out << '\n';
}

void write_text(std::ostream& out, const contact_plan& p, const contact_days& o,
                std::span<const std::string> keys, std::size_t shown) {
    out << count(p.contacts.size()) << " customers expected to buy within " << num(o.within_days, 0)
        << " days, worth " << money(p.value_at_risk) << " of lifetime value; call "
        << num(o.lead_days, 0) << " days before\n";
    if (p.with_rhythm)
        out << "  expected: " << to_string(p.timing)
            << " timing; own rhythm: regular buyers' last purchase + mean gap, due in days "
               "(negative: overdue)\n";
    out << "  customer             call on      expected     P(alive)          CLV"
        << (p.with_rhythm ? "  own rhythm     due in\n" : "\n");
    for (std::size_t k = 0; k < std::min(p.contacts.size(), shown); ++k) {
        const contact_entry& c = p.contacts[k];
        char line[200];
        std::snprintf(line, sizeof line, "  %-20s %-12s %-12s %8.3f %12s", keys[c.customer].c_str(),
                      date_or_empty(c.call_date).c_str(),
                      date_or_empty(c.next_purchase_date).c_str(), c.p_alive, money(c.clv).c_str());
        out << line;
        if (c.rhythm_date != no_time) { // no trailing blanks without one
            std::snprintf(line, sizeof line, "  %-12s %8s", date_or_empty(c.rhythm_date).c_str(),
                          c.due_days ? num(*c.due_days, 1).c_str() : "");
            out << line;
        }
        out << "\n";
    }
}

void report_retention_text(std::ostream& out, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers,
                           const formatter& fm) {
    const auto n = static_cast<double>(r.customers);
    out << "\n"
        << fm.trf(r.spend ? "Retention ({0} on days, Gamma-Gamma spend)"
                          : "Retention ({0} on days)",
                  {display_name(r.model)})
        << "\n";
    out << fm.label("model", 22);
    for (std::size_t j = 0; j < r.purchase.names.size(); ++j)
        out << (j == 0 ? " " : ", ") << r.purchase.names[j] << " "
            << fm.num(r.purchase.params[j], j == 1 ? 2 : 3);
    out << "  (" << fm.tr(r.purchase.report.converged ? "converged" : "NOT converged") << ")\n";
    out << fm.label("expected alive")
        << fm.trf("{0} of {1} customers ({2})",
                  {fm.count(static_cast<std::size_t>(std::llround(r.expected_alive))),
                   fm.count(r.customers), fm.pct(r.expected_alive / n)});
    if (r.too_new > 0)
        out << fm.trf("; {0} first seen on the last day left out", {fm.count(r.too_new)});
    out << "\n";
    out << fm.label("at risk")
        << fm.trf("{0} customers with P(alive) < 50%, who brought {1} ({2} of revenue)",
                  {fm.count(r.at_risk), fm.money(r.at_risk_revenue),
                   fm.pct(r.revenue != 0 ? r.at_risk_revenue / r.revenue : 0.0)})
        << "\n";
    out << fm.label("next 90 days")
        << fm.trf("{0} purchases expected",
                  {fm.count(static_cast<std::size_t>(std::llround(r.expected_purchases)))})
        << "\n";
    if (!r.spend) {
        out << fm.label("lifetime value") << fm.trf("not computed: {0}", {r.spend_reason}) << "\n";
        return;
    }
    out << fm.label("lifetime value")
        << fm.trf("{0} over 12 months (1% a month)", {fm.money(r.clv_total)}) << "\n";
    out << fm.label("top lifetime values", 22);
    for (std::size_t k = 0; k < r.top_customers.size(); ++k)
        out << (k == 0 ? " " : ", ") << csv_key(customers, summary.customer[r.top_customers[k]])
            << " (" << fm.money(r.top_clv[k]) << ")";
    out << "\n";
}

void report_retention_json(detail::json_writer& w, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers) {
    w.key("retention").begin_object();
    report_retention_members(w, r, summary, customers);
    w.end_object();
}

void report_retention_members(detail::json_writer& w, const retention_overview_result& r,
                              const customer_summary& summary, const key_index& customers) {
    w.field("model", to_string(r.model));
    w.key("params").begin_object();
    for (std::size_t j = 0; j < r.purchase.names.size(); ++j)
        w.field(r.purchase.names[j], r.purchase.params[j]);
    w.end_object();
    w.field("log_likelihood", r.purchase.log_likelihood);
    w.field("converged", r.purchase.report.converged);
    w.field("customers", static_cast<std::uint64_t>(r.customers));
    w.field("customers_too_new", static_cast<std::uint64_t>(r.too_new));
    w.field("expected_alive", r.expected_alive);
    w.field("at_risk", static_cast<std::uint64_t>(r.at_risk));
    w.field("at_risk_revenue", r.at_risk_revenue);
    w.field("expected_purchases_90d", r.expected_purchases);
    if (r.spend) {
        w.key("spend_params").begin_object();
        w.field("p", r.spend->params[0]).field("q", r.spend->params[1]);
        w.field("gamma", r.spend->params[2]);
        w.end_object();
        w.field("clv_12m_total", r.clv_total);
        w.key("top_clv").begin_array();
        for (std::size_t k = 0; k < r.top_customers.size(); ++k) {
            w.begin_object();
            w.field("customer_id", customers.key_string(summary.customer[r.top_customers[k]]));
            w.field("clv", r.top_clv[k]);
            w.end_object();
        }
        w.end_array();
    } else {
        w.field("spend_reason", r.spend_reason);
    }
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
