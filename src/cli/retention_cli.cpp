// The `custometrics fit`, `score` and `contacts` subcommands and the report's retention
// section (see retention_cli.hpp).
#include "retention_cli.hpp"

#include "format.hpp"
#include "text.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/json_value.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <ostream>
#include <sstream>

namespace custometrics::cli {
namespace {

/// The model columns of a summary CSV, and the key and first-purchase columns when present.
struct summary_table {
    csv_table table;
    std::vector<std::string> keys;
    std::vector<double> x, tx, T, m;
    std::vector<std::optional<std::int64_t>> first_purchase;
};

std::size_t column_or_cal(const csv_table& t, const std::string& name) {
    if (const auto j = t.find_column(name)) return *j;
    if (const auto j = t.find_column(name + "_cal")) return *j;
    return t.column(name); // throws naming the columns there are
}

summary_table read_summary(const std::string& path, bool need_money) {
    summary_table s;
    s.table = read_csv_table(path);
    const csv_table& t = s.table;
    if (t.size() == 0) throw invalid_argument(path + ": the summary has no customers");
    const std::size_t key = t.find_column("customer_id").value_or(0);
    const std::size_t jx = column_or_cal(t, "frequency");
    const std::size_t jtx = column_or_cal(t, "recency");
    const std::size_t jT = column_or_cal(t, "T");
    const std::optional<std::size_t> jm =
        need_money ? std::optional<std::size_t>(column_or_cal(t, "monetary_value"))
                   : t.find_column("monetary_value");
    const std::optional<std::size_t> jfirst = t.find_column("first_purchase");
    const std::size_t n = t.size();
    s.keys.resize(n);
    s.x.resize(n);
    s.tx.resize(n);
    s.T.resize(n);
    if (jm) s.m.resize(n);
    s.first_purchase.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        s.keys[i] = t.rows[i][key];
        s.x[i] = t.number(i, jx);
        s.tx[i] = t.number(i, jtx);
        s.T[i] = t.number(i, jT);
        if (jm) s.m[i] = t.number(i, *jm);
        if (jfirst && !t.rows[i][*jfirst].empty()) {
            const auto when = parse_time(t.rows[i][*jfirst]);
            if (!when)
                throw parse_error(path, t.line[i], "first_purchase", t.rows[i][*jfirst],
                                  "not a date");
            s.first_purchase[i] = *when;
        }
    }
    return s;
}

/// Runs `f` (which checks the summary's model inputs, naming the customer position) and adds
/// the file line and key of that customer to its error.
template <class F> auto naming_line(const summary_table& s, const std::string& path, F&& f) {
    try {
        return f();
    } catch (const data_error& e) {
        // The error's row is the customer's position: add its file line and key.
        if (const auto i = e.row(); i && *i < s.table.line.size()) {
            error_context c = e.context();
            c.key = s.keys[*i];
            throw data_error(path + ":" + std::to_string(s.table.line[*i]) + " (customer " +
                                 s.keys[*i] + "): " + e.what(),
                             std::move(c));
        }
        throw;
    }
}

void write_fit_json(std::ostream& out, std::string_view model, const fit_result& r,
                    std::size_t unique_rows) {
    detail::json_writer w(out);
    w.begin_object();
    w.field("model", model);
    w.key("params").begin_object();
    for (std::size_t j = 0; j < r.names.size(); ++j)
        w.field(r.names[j] == "v" ? "gamma" : r.names[j], r.params[j]);
    w.end_object();
    w.key("std_errors").begin_object();
    for (std::size_t j = 0; j < r.names.size(); ++j)
        w.field(r.names[j] == "v" ? "gamma" : r.names[j], r.std_errors[j]);
    w.end_object();
    w.field("log_likelihood", r.log_likelihood);
    w.field("n", r.n);
    w.field("unique_rows", static_cast<std::uint64_t>(unique_rows));
    w.field("converged", r.report.converged);
    w.field("iterations", r.report.iterations);
    w.field("function_evaluations", r.report.function_evaluations);
    w.field("gradient_norm", r.report.gradient_norm);
    w.field("reason", r.report.reason);
    w.end_object();
    out << '\n';
}

/// Model name and parameter values from a params file: the JSON `fit` writes, or an object
/// {"model": ..., "params": {...}}, or a flat object of the parameters (with --model).
struct params_file {
    std::string model;
    json_value params;
};

bool is_spend_model(std::string_view name) {
    return name == "gamma-gamma" || name == "gamma_gamma" || name == "gg";
}

params_file read_params(const std::string& path, const std::string& model_option) {
    const json_value v = read_json_file(path);
    params_file f;
    f.model = model_option;
    if (const json_value* m = v.find("model"); m != nullptr) {
        const std::string& in_file = m->as_string();
        const bool same =
            f.model.empty() || ((is_spend_model(in_file) || is_spend_model(f.model))
                                    ? is_spend_model(in_file) == is_spend_model(f.model)
                                    : parse_purchase_model(in_file, path + ": model") ==
                                          parse_purchase_model(f.model, "--model"));
        if (!same)
            throw invalid_argument("--model " + f.model + " differs from the model \"" + in_file +
                                   "\" of " + path);
        f.model = in_file;
    }
    if (f.model.empty())
        throw invalid_argument("--model", "not given and " + path + " has no \"model\" member");
    const json_value* p = v.find("params");
    f.params = p != nullptr ? *p : v;
    return f;
}

purchase_params purchase_params_of(const params_file& f, purchase_model_kind kind) {
    std::vector<double> values;
    for (const std::string& name : parameter_names(kind))
        values.push_back(f.params.number(name));
    return purchase_params_from(kind, values);
}

gamma_gamma_params spend_params_of(const std::string& path) {
    const json_value v = read_json_file(path);
    if (const json_value* m = v.find("model"); m != nullptr && !is_spend_model(m->as_string()))
        throw invalid_argument("--spend-params",
                               path + " holds a " + m->as_string() + " model, not gamma-gamma");
    const json_value* p = v.find("params");
    const json_value& params = p != nullptr ? *p : v;
    gamma_gamma_params g;
    g.p = params.number("p");
    g.q = params.number("q");
    const json_value* gamma = params.find("gamma");
    g.v = gamma != nullptr ? gamma->as_number() : params.number("v");
    return g;
}

/// Periods of the summary's time unit per month (lifetimes' CLV steps) and days per period.
struct unit_scale {
    double per_month;
    double days;
};

unit_scale unit_of(const std::string& name) {
    if (name == "days" || name == "D") return {30.0, 1.0};
    if (name == "weeks" || name == "W") return {4.345, 7.0};
    if (name == "months" || name == "M") return {1.0, 30.4375};
    if (name == "hours" || name == "H") return {30.0 * 24.0, 1.0 / 24.0};
    throw invalid_argument("--time-unit",
                           "expected hours, days, weeks or months, got \"" + name + "\"");
}

/// `periods` of the summary's time unit in seconds, rounded.
std::int64_t seconds_of(double periods, const unit_scale& unit) {
    return static_cast<std::int64_t>(
        std::llround(periods * unit.days * static_cast<double>(seconds_per_day)));
}

/// Per-customer scores of `score` and `contacts`.
struct scores {
    purchase_model_kind kind{};
    std::vector<double> p_alive, expected, spend, clv, wait;
    std::vector<std::optional<std::int64_t>> end;       ///< analysis date per customer, seconds
    std::vector<std::optional<std::int64_t>> next_date; ///< end + wait, seconds
    bool with_spend = false;
};

scores compute_scores(const score_cli_options& o, const summary_table& s) {
    const params_file f = read_params(o.params, o.model);
    if (is_spend_model(f.model))
        throw invalid_argument(
            "--params", o.params +
                            " holds a Gamma-Gamma spend model; --params takes a purchase "
                            "model (bgnbd, mbgnbd, pnbd) and --spend-params the spend model");
    scores out;
    out.kind = parse_purchase_model(f.model, "--model");
    const purchase_params p = purchase_params_of(f, out.kind);
    const unit_scale unit = unit_of(o.time_unit);
    if (!(std::isfinite(o.horizon) && o.horizon >= 0.0))
        throw invalid_argument("--horizon", "must be >= 0, got " + num(o.horizon, 6));
    naming_line(s, o.file, [&] { detail::check_summary(s.x, s.tx, s.T); });
    std::optional<std::int64_t> as_of;
    if (!o.as_of.empty()) as_of = parse_time_or_throw(o.as_of, "--as-of");
    const std::size_t n = s.x.size();
    out.p_alive = p_alive(p, s.x, s.tx, s.T);
    out.expected = conditional_expected_purchases(p, o.horizon, s.x, s.tx, s.T);
    out.wait.resize(n);
    out.end.resize(n);
    out.next_date.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.wait[i] = std::visit(
            [&](const auto& m) { return next_purchase_time(m, s.x[i], s.tx[i], s.T[i]); }, p);
        std::optional<std::int64_t> end = as_of;
        if (!end && s.first_purchase[i]) end = *s.first_purchase[i] + seconds_of(s.T[i], unit);
        out.end[i] = end;
        if (end) out.next_date[i] = *end + seconds_of(out.wait[i], unit);
    }
    if (!o.spend_params.empty()) {
        if (s.m.empty())
            throw invalid_argument("--spend-params", o.file + " has no monetary_value column");
        const gamma_gamma_params g = spend_params_of(o.spend_params);
        out.with_spend = true;
        out.spend = conditional_expected_average_spend(g, s.x, s.m);
        clv_options co;
        co.months = o.clv_months;
        co.discount_rate = o.discount_rate;
        co.periods_per_month = unit.per_month;
        out.clv = std::visit(
            [&](const auto& m) { return customer_lifetime_value(m, g, s.x, s.tx, s.T, s.m, co); },
            p);
    }
    return out;
}

} // namespace

void run_fit(std::ostream& out, const fit_cli_options& o) {
    const bool spend = is_spend_model(o.model);
    const summary_table s = read_summary(o.file, spend);
    fit_options fo;
    fo.penalizer = o.penalizer;
    fit_result r;
    std::size_t unique_rows = 0;
    std::string model_name;
    std::string display;
    if (spend) {
        // Repeat buyers only: a customer without a repeat purchase has no spend to model.
        std::vector<double> x, m;
        for (std::size_t i = 0; i < s.x.size(); ++i)
            if (s.x[i] > 0) {
                x.push_back(s.x[i]);
                m.push_back(s.m[i]);
            }
        if (x.empty())
            throw invalid_argument(o.file + ": no customer has a repeat purchase (frequency > 0)");
        r = fit_gamma_gamma(x, m, {}, fo);
        unique_rows = x.size();
        model_name = "gamma-gamma";
        display = "Gamma-Gamma (repeat buyers)";
    } else {
        purchase_model_kind kind{};
        try {
            kind = parse_purchase_model(o.model, "--model");
        } catch (const invalid_argument&) {
            throw invalid_argument("--model",
                                   "unknown model \"" + o.model +
                                       "\" (expected bgnbd, mbgnbd, pnbd or gamma-gamma)");
        }
        const compressed_summary rows =
            naming_line(s, o.file, [&] { return compress_summary(s.x, s.tx, s.T); });
        r = fit_purchase_model(kind, rows, fo);
        unique_rows = rows.size();
        model_name = std::string(to_string(kind));
        display = std::string(display_name(kind));
    }
    if (!o.out.empty()) {
        std::ofstream f = open_out(o.out);
        write_fit_json(f, model_name, r, unique_rows);
        close_out(f, o.out);
    }
    if (o.json) {
        write_fit_json(out, model_name, r, unique_rows);
        return;
    }
    out << display << " fit on " << count(static_cast<std::size_t>(r.n)) << " customers";
    if (!spend) out << " (" << count(unique_rows) << " unique rows)";
    out << ": " << (r.report.converged ? "converged" : "NOT converged") << " after "
        << r.report.iterations << " iterations (" << r.report.reason << ")\n";
    for (std::size_t j = 0; j < r.names.size(); ++j) {
        char line[128];
        std::snprintf(line, sizeof line, "  %-8s %12.6g   (standard error %.4g)\n",
                      (r.names[j] == "v" ? "gamma" : r.names[j]).c_str(), r.params[j],
                      r.std_errors[j]);
        out << line;
    }
    out << "  log-likelihood " << num(r.log_likelihood, 4) << "\n";
}

void run_score(std::ostream& out, const score_cli_options& o) {
    const summary_table s = read_summary(o.file, false);
    const scores sc = compute_scores(o, s);
    const std::size_t n = s.x.size();
    if (!o.out.empty()) {
        std::ofstream f = open_out(o.out);
        f << "customer_id,p_alive,expected_purchases,expected_spend,clv,next_purchase_date\n";
        for (std::size_t i = 0; i < n; ++i) {
            f << csv_field(s.keys[i]) << ',' << number_text(sc.p_alive[i]) << ','
              << number_text(sc.expected[i]) << ',';
            if (sc.with_spend)
                f << number_text(sc.spend[i]) << ',' << number_text(sc.clv[i]);
            else
                f << ',';
            f << ',' << (sc.next_date[i] ? format_date(*sc.next_date[i]) : std::string()) << '\n';
        }
        close_out(f, o.out);
    }
    const double alive = std::accumulate(sc.p_alive.begin(), sc.p_alive.end(), 0.0);
    const double expected = std::accumulate(sc.expected.begin(), sc.expected.end(), 0.0);
    const double clv = std::accumulate(sc.clv.begin(), sc.clv.end(), 0.0);
    const auto at_risk = static_cast<std::size_t>(
        std::count_if(sc.p_alive.begin(), sc.p_alive.end(), [](double p) { return p < 0.5; }));
    if (o.json) {
        detail::json_writer w(out);
        w.begin_object();
        w.field("model", to_string(sc.kind));
        w.field("n", static_cast<std::uint64_t>(n));
        w.field("horizon", o.horizon);
        w.field("expected_alive", alive);
        w.field("at_risk", static_cast<std::uint64_t>(at_risk));
        w.field("expected_purchases", expected);
        if (sc.with_spend) w.field("clv_total", clv);
        w.end_object();
        out << '\n';
        return;
    }
    out << display_name(sc.kind) << " scores of " << count(n) << " customers\n";
    out << "  expected alive        " << num(alive, 1) << "  ("
        << pct(alive / static_cast<double>(n)) << ")\n";
    out << "  P(alive) below 50%    " << count(at_risk) << " customers\n";
    out << "  expected purchases    " << num(expected, 1) << " in the next " << num(o.horizon, 2)
        << " " << o.time_unit << "\n";
    if (sc.with_spend)
        out << "  lifetime value        " << money(clv) << " over " << num(o.clv_months, 0)
            << " months (discount " << pct(o.discount_rate) << " a month)\n";
    if (!o.out.empty()) out << "  scores written to " << o.out << "\n";
}

void run_contacts(std::ostream& out, const score_cli_options& o) {
    if (o.spend_params.empty())
        throw invalid_argument("--spend-params",
                               "contacts are ranked by lifetime value, which "
                               "needs a Gamma-Gamma fit (custometrics fit --model gamma-gamma)");
    const summary_table s = read_summary(o.file, true);
    const scores sc = compute_scores(o, s);
    const unit_scale unit = unit_of(o.time_unit);
    if (!(std::isfinite(o.lead_days) && o.lead_days >= 0))
        throw invalid_argument("--lead-days", "must be >= 0, got " + num(o.lead_days, 6));
    if (!(std::isfinite(o.within_days) && o.within_days > 0))
        throw invalid_argument("--within-days", "must be > 0, got " + num(o.within_days, 6));
    const params_file f = read_params(o.params, o.model);
    const purchase_params p = purchase_params_of(f, sc.kind);
    contact_options co;
    co.window_start = 0.0;
    co.window_end = o.within_days / unit.days;
    co.lead_time = o.lead_days / unit.days;
    std::vector<contact> list =
        std::visit([&](const auto& m) { return contact_list(m, s.x, s.tx, s.T, sc.clv, co); }, p);
    if (o.top > 0 && list.size() > o.top) list.resize(o.top);
    auto date_after = [&](std::size_t i, double wait) -> std::string {
        return sc.end[i] ? format_date(*sc.end[i] + seconds_of(wait, unit)) : std::string();
    };
    if (!o.out.empty()) {
        std::ofstream file = open_out(o.out);
        file << "customer_id,call_date,next_purchase_date,p_alive,clv\n";
        for (const contact& c : list)
            file << csv_field(s.keys[c.customer]) << ',' << date_after(c.customer, c.call_at) << ','
                 << date_after(c.customer, c.next_purchase) << ',' << number_text(c.p_alive) << ','
                 << number_text(c.value_at_risk) << '\n';
        close_out(file, o.out);
    }
    double value = 0.0;
    for (const contact& c : list)
        value += c.value_at_risk;
    if (o.json) {
        detail::json_writer w(out);
        w.begin_object();
        w.field("model", to_string(sc.kind));
        w.field("customers", static_cast<std::uint64_t>(s.x.size()));
        w.field("contacts", static_cast<std::uint64_t>(list.size()));
        w.field("within_days", o.within_days);
        w.field("lead_days", o.lead_days);
        w.field("value_at_risk", value);
        w.key("top").begin_array();
        for (std::size_t k = 0; k < std::min<std::size_t>(list.size(), 10); ++k) {
            const contact& c = list[k];
            w.begin_object();
            w.field("customer_id", s.keys[c.customer]);
            w.field("call_date", date_after(c.customer, c.call_at));
            w.field("next_purchase_date", date_after(c.customer, c.next_purchase));
            w.field("p_alive", c.p_alive);
            w.field("clv", c.value_at_risk);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        out << '\n';
        return;
    }
    out << count(list.size()) << " customers expected to buy within " << num(o.within_days, 0)
        << " days, worth " << money(value) << " of lifetime value; call " << num(o.lead_days, 0)
        << " days before\n";
    out << "  customer             call on      expected     P(alive)          CLV\n";
    for (std::size_t k = 0; k < std::min<std::size_t>(list.size(), 10); ++k) {
        const contact& c = list[k];
        char line[160];
        std::snprintf(line, sizeof line, "  %-20s %-12s %-12s %8.3f %12s\n",
                      s.keys[c.customer].c_str(), date_after(c.customer, c.call_at).c_str(),
                      date_after(c.customer, c.next_purchase).c_str(), c.p_alive,
                      money(c.value_at_risk).c_str());
        out << line;
    }
    if (!o.out.empty()) out << "  contact list written to " << o.out << "\n";
}

void report_retention_text(std::ostream& out, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers) {
    const bg_nbd_params bg = bg_nbd_params_from(r.purchase);
    const auto n = static_cast<double>(r.customers);
    out << "\nRetention (BG/NBD on days" << (r.spend ? ", Gamma-Gamma spend" : "") << ")\n";
    out << "  model                r " << num(bg.r, 3) << ", alpha " << num(bg.alpha, 2) << ", a "
        << num(bg.a, 3) << ", b " << num(bg.b, 3) << "  ("
        << (r.purchase.report.converged ? "converged" : "NOT converged") << ")\n";
    out << "  expected alive       "
        << count(static_cast<std::size_t>(std::llround(r.expected_alive))) << " of "
        << count(r.customers) << " customers (" << pct(r.expected_alive / n) << ")";
    if (r.too_new > 0) out << "; " << count(r.too_new) << " first seen on the last day left out";
    out << "\n";
    out << "  at risk              " << count(r.at_risk)
        << " customers with P(alive) < 50%, who brought " << money(r.at_risk_revenue) << " ("
        << pct(r.revenue != 0 ? r.at_risk_revenue / r.revenue : 0.0) << " of revenue)\n";
    out << "  next 90 days         "
        << count(static_cast<std::size_t>(std::llround(r.expected_purchases)))
        << " purchases expected\n";
    if (!r.spend) {
        out << "  lifetime value       not computed: " << r.spend_reason << "\n";
        return;
    }
    out << "  lifetime value       " << money(r.clv_total) << " over 12 months (1% a month)\n";
    out << "  top lifetime values ";
    for (std::size_t k = 0; k < r.top_customers.size(); ++k)
        out << (k == 0 ? " " : ", ") << csv_key(customers, summary.customer[r.top_customers[k]])
            << " (" << money(r.top_clv[k]) << ")";
    out << "\n";
}

void report_retention_json(detail::json_writer& w, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers) {
    w.key("retention").begin_object();
    w.field("model", "bgnbd");
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
            w.field("customer_id", csv_key(customers, summary.customer[r.top_customers[k]]));
            w.field("clv", r.top_clv[k]);
            w.end_object();
        }
        w.end_array();
    } else {
        w.field("spend_reason", r.spend_reason);
    }
    w.end_object();
}

} // namespace custometrics::cli
