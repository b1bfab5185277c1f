// The writers of the loyalty and profitability results (see custometrics/output/loyalty.hpp).
#include "custometrics/output/loyalty.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/output/format.hpp"

#include <array>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

void write_nps_json(detail::json_writer& w, const nps_score& s) {
    w.begin_object();
    w.field("promoters", static_cast<std::uint64_t>(s.promoters));
    w.field("passives", static_cast<std::uint64_t>(s.passives));
    w.field("detractors", static_cast<std::uint64_t>(s.detractors));
    w.field("missing", static_cast<std::uint64_t>(s.missing));
    w.field("score", s.score);
    w.end_object();
}

// `{"count": n, "share": s}` under `name`.
void count_share(detail::json_writer& w, std::string_view name, std::size_t n, double s) {
    w.key(name).begin_object();
    w.field("count", static_cast<std::uint64_t>(n)).field("share", s).end_object();
}

// One "  name  count  share" line of the text tables.
void count_line(std::ostream& out, std::string_view name, std::size_t n, double s,
                const formatter& fm) {
    std::array<char, 200> line{};
    std::snprintf(line.data(), line.size(), "  %-14s %10s  %7s\n", std::string(name).c_str(),
                  fm.count(n).c_str(), fm.pct(s).c_str());
    out << line.data();
}

} // namespace

void write_json(detail::json_writer& w, const loyalty_overview& a) {
    w.field("customers", static_cast<std::uint64_t>(a.labels.size()));
    w.field("signals_given", a.signals.has_value());
    if (a.signals)
        w.field("signal_rows_not_in_log", static_cast<std::uint64_t>(a.signals->unmatched.size()));
    w.key("types").begin_object();
    for (std::size_t k = 0; k < n_loyalty_types; ++k)
        count_share(w, to_string(static_cast<loyalty_type>(k)), a.labels.type_count[k],
                    a.type_share[k]);
    w.end_object();
    w.key("quadrants").begin_object();
    for (std::size_t k = 0; k < n_quadrants; ++k)
        count_share(w, to_string(static_cast<quadrant>(k)), a.labels.quadrant_count[k],
                    a.quadrant_share[k]);
    w.end_object();
    w.key("nps");
    write_nps_json(w, a.nps.overall);
    w.key("nps_by_segment").begin_object();
    for (std::size_t s = 0; s < a.nps.segments.size(); ++s) {
        if (a.nps.segments[s].empty()) continue; // customers without a segment
        w.key(a.nps.segments[s]);
        write_nps_json(w, a.nps.by_segment[s]);
    }
    w.end_object();
    const spending_tally& t = a.spending_counts;
    w.key("spending").begin_object();
    w.key("questionnaire").begin_object();
    for (std::size_t k = 0; k < 3; ++k)
        count_share(w, to_string(static_cast<spending_type>(k)), t.questionnaire[k],
                    t.questionnaire_share[k]);
    w.end_object();
    w.key("proxy").begin_object();
    for (std::size_t k = 0; k < 3; ++k)
        count_share(w, to_string(static_cast<spending_type>(k)), t.proxy[k], t.proxy_share[k]);
    w.end_object();
    w.field("unknown", static_cast<std::uint64_t>(t.unknown));
    w.key("reference").begin_object();
    for (std::size_t k = 0; k < 3 && k < a.spending_reference.size(); ++k)
        w.field(to_string(static_cast<spending_type>(k)), a.spending_reference[k]);
    w.end_object();
    const goodness_of_fit& f = a.spending_fit;
    w.key("questionnaire_test").begin_object().field("tested", f.tested);
    if (f.tested) w.field("chi_square", f.chi_square).field("df", f.df).field("p_value", f.p_value);
    w.key("warnings").begin_array();
    for (const auto& s : f.warnings)
        w.value(s);
    w.end_array().end_object();
    w.end_object();
    const churn_reason_tally& c = a.churn;
    w.key("churn_reasons").begin_object();
    w.field("answers", static_cast<std::uint64_t>(c.total));
    for (std::size_t k = 0; k < n_churn_reasons; ++k) {
        w.key(to_string(static_cast<churn_reason>(k))).begin_object();
        w.field("count", static_cast<std::uint64_t>(c.count[k])).field("share", c.share[k]);
        if (c.tested) {
            w.field("in_reference", c.in_reference[k]);
            w.field("expected", c.expected[k]);
        }
        w.end_object();
    }
    if (c.tested) {
        w.field("not_in_reference", static_cast<std::uint64_t>(c.not_in_reference));
        w.field("chi_square", c.chi_square).field("df", c.df).field("p_value", c.p_value);
    }
    w.key("warnings").begin_array();
    for (const auto& s : c.warnings)
        w.value(s);
    w.end_array().end_object();
}

void write_text(std::ostream& out, const loyalty_overview& a, bool with_types,
                const formatter& fm) {
    std::array<char, 200> line{};
    if (with_types) {
        out << "Loyalty types (" << fm.count(a.labels.size()) << " customers"
            << (a.signals ? "" : "; no signals file: behaviour only") << ")\n";
        for (std::size_t k = 0; k < n_loyalty_types; ++k)
            count_line(out, to_string(static_cast<loyalty_type>(k)), a.labels.type_count[k],
                       a.type_share[k], fm);
    }
    out << "Satisfaction x loyalty quadrants (Jones & Sasser; js_ names, not the types above)\n";
    for (std::size_t k = 0; k < n_quadrants; ++k)
        count_line(out, to_string(static_cast<quadrant>(k)), a.labels.quadrant_count[k],
                   a.quadrant_share[k], fm);
    auto nps_line = [&](const std::string& name, const nps_score& s) {
        std::snprintf(line.data(), line.size(),
                      "  %-14s %10s  (answered %zu: %zu promoters, %zu passives, %zu "
                      "detractors)\n",
                      name.c_str(), s.score ? fm.num(*s.score, 1).c_str() : "n/a", s.answered(),
                      s.promoters, s.passives, s.detractors);
        out << line.data();
    };
    out << "Net Promoter score\n";
    nps_line("overall", a.nps.overall);
    for (std::size_t s = 0; s < a.nps.segments.size(); ++s)
        if (!a.nps.segments[s].empty()) nps_line(a.nps.segments[s], a.nps.by_segment[s]);
    const spending_tally& t = a.spending_counts;
    const auto ref_pct = [&](std::size_t k) {
        return k < a.spending_reference.size() ? fm.pct(a.spending_reference[k]) : std::string("?");
    };
    out << "Spending types    questionnaire (" << fm.count(t.questionnaire_total) << ")   proxy ("
        << fm.count(t.proxy_total) << ", spend per purchase day cut at the reference shares)"
        << "   reference\n";
    for (std::size_t k = 0; k < 3; ++k) {
        std::snprintf(line.data(), line.size(), "  %-14s %10s  %7s   %10s  %7s   %7s\n",
                      std::string(to_string(static_cast<spending_type>(k))).c_str(),
                      fm.count(t.questionnaire[k]).c_str(),
                      fm.pct(t.questionnaire_share[k]).c_str(), fm.count(t.proxy[k]).c_str(),
                      fm.pct(t.proxy_share[k]).c_str(), ref_pct(k).c_str());
        out << line.data();
    }
    if (a.spending_fit.tested)
        out << "  questionnaire against the reference: chi-square "
            << fm.num(a.spending_fit.chi_square, 3) << ", df " << a.spending_fit.df << ", p "
            << fm.num(a.spending_fit.p_value, 4) << "\n";
    out << "  note: the proxy is spending level, not the Tightwad-Spendthrift scale; it matches "
           "the reference by construction\n";
    if (a.signals && !a.signals->unmatched.empty())
        out << "  note: " << fm.count(a.signals->unmatched.size())
            << " rows of the signals file name customers not in the log (first: "
            << a.signals->unmatched.front() << "); their churn reasons still count\n";
    if (a.signals && !a.signals->ignored.empty())
        out << "  note: signals columns ignored (not signals): " << a.signals->ignored.size()
            << "\n";
    const churn_reason_tally& c = a.churn;
    if (c.total == 0) return;
    out << "Churn reasons (" << fm.count(c.total) << " answers)\n";
    for (std::size_t k = 0; k < n_churn_reasons; ++k) {
        std::snprintf(line.data(), line.size(), "  %-18s %8s  %7s",
                      std::string(to_string(static_cast<churn_reason>(k))).c_str(),
                      fm.count(c.count[k]).c_str(), fm.pct(c.share[k]).c_str());
        out << line.data();
        if (c.tested)
            out << (c.in_reference[k] ? "  (expected " + fm.num(c.expected[k], 1) + ")"
                                      : std::string("  (not in the reference)"));
        out << "\n";
    }
    if (c.tested)
        out << "  chi-square " << fm.num(c.chi_square, 3) << ", df " << c.df << ", p "
            << fm.num(c.p_value, 4) << " against the reference\n";
    for (const auto& msg : c.warnings)
        out << "  note: " << msg << "\n";
}

void write_csv(std::ostream& out, const loyalty_overview& a, const key_index& keys) {
    out << "customer_id,loyalty_type,quadrant,nps_category,spending_type,reason,decided_by\n";
    for (std::size_t c = 0; c < a.labels.size(); ++c) {
        std::string spending(to_string(a.spending[c]));
        if (a.proxy[c] != 0) spending += " (proxy)";
        out << csv_key(keys, static_cast<entity_id>(c)) << ',' << to_string(a.labels.type[c]) << ','
            << to_string(a.labels.quadrant_of[c]) << ',' << to_string(a.nps.category[c]) << ','
            << spending << ',' << csv_field(a.labels.rule[c]) << ','
            << csv_field(a.labels.decided_by[c]) << '\n';
    }
}

std::string_view tier_service(service_tier t) noexcept {
    static constexpr std::string_view service[] = {
        "personal service: keep and grow (the top of the profit)", "standard service",
        "efficient service: self-service, bundled orders", "reprice or cut the cost to serve"};
    return service[static_cast<std::size_t>(t)];
}

void write_json(detail::json_writer& w, const customer_profitability& p,
                const whale_result& whale) {
    const profitability_totals s = totals_of(p);
    w.field("customers", static_cast<std::uint64_t>(p.size()));
    w.field("revenue", s.revenue).field("gross_margin", s.gross_margin);
    w.key("cost_to_serve").begin_object();
    w.field("discounts", s.discounts).field("orders", s.orders).field("returns", s.returns);
    w.field("service", s.service).field("payment_delays", s.delay).field("total", s.cost_to_serve);
    w.end_object();
    w.field("profit", s.profit);
    w.field("wanted", static_cast<std::uint64_t>(s.wanted));
    w.field("large_unprofitable", static_cast<std::uint64_t>(s.large_unprofitable));
    w.field("loss_makers", static_cast<std::uint64_t>(s.loss_makers));
    w.field("large_threshold", p.large_threshold);
    w.key("criteria_skipped").begin_array();
    for (const auto& c : p.criteria_skipped)
        w.value(c);
    w.end_array();
    w.key("service_tiers").begin_array();
    for (std::size_t t = 0; t < p.tiers.size(); ++t) {
        const service_tier_totals& x = p.tiers[t];
        w.begin_object().field("tier", to_string(static_cast<service_tier>(t)));
        w.field("customers", static_cast<std::uint64_t>(x.customers));
        w.field("revenue", x.revenue).field("gross_margin", x.gross_margin);
        w.field("cost_to_serve", x.cost_to_serve).field("profit", x.profit).end_object();
    }
    w.end_array();
    w.key("service_tier_cuts").begin_object().field("tier_a", p.tier_cut_a);
    w.field("tier_b", p.tier_cut_b).end_object();
    w.key("whale").begin_object().field("defined", whale.defined);
    if (whale.defined) {
        w.field("peak_share", whale.peak_share).field("peak_entity_share", whale.peak_entity_share);
        w.field("loss_share", whale.loss_share);
    } else {
        w.field("reason", whale.reason);
    }
    w.end_object();
}

void write_text(std::ostream& out, const customer_profitability& p, const whale_result& whale,
                const formatter& fm) {
    const profitability_totals s = totals_of(p);
    out << "Customer profitability (" << fm.count(p.size()) << " customers)\n";
    out << "  net revenue          " << fm.money(s.revenue) << "\n";
    out << "  gross margin         " << fm.money(s.gross_margin) << "  (at list prices)\n";
    out << "  cost to serve        " << fm.money(s.cost_to_serve) << "  (discounts "
        << fm.money(s.discounts) << ", orders " << fm.money(s.orders) << ", returns "
        << fm.money(s.returns) << ", service " << fm.money(s.service) << ", payment delays "
        << fm.money(s.delay) << ")\n";
    out << "  profit               " << fm.money(s.profit) << "\n";
    out << "  wanted customers     " << fm.count(s.wanted) << "  (" << fm.pct(s.wanted_share)
        << " of buyers)\n";
    out << "  large, unprofitable  " << fm.count(s.large_unprofitable)
        << "  (revenue >= " << fm.money(p.large_threshold) << ", profit < 0)\n";
    out << "  loss makers          " << fm.count(s.loss_makers) << "\n";
    for (const auto& c : p.criteria_skipped)
        out << "  note: wanted criterion skipped: " << c << "\n";
    // The service tiers, each with what serving it costs beside the margin it earns.
    out << "  service tiers (by profit; A, B, C up to " << fm.pct(p.tier_cut_a) << " and "
        << fm.pct(p.tier_cut_b) << " of it, D profit <= 0):\n";
    for (std::size_t t = 0; t < p.tiers.size(); ++t) {
        const service_tier_totals& x = p.tiers[t];
        out << "    " << to_string(static_cast<service_tier>(t)) << "  " << fm.count(x.customers)
            << " customers, gross margin " << fm.money(x.gross_margin) << ", cost to serve "
            << fm.money(x.cost_to_serve) << ", profit " << fm.money(x.profit) << ": "
            << tier_service(static_cast<service_tier>(t)) << "\n";
    }
    if (whale.defined)
        out << "  whale curve: peaks at " << fm.pct(whale.peak_share)
            << " of total profit after the top " << fm.pct(whale.peak_entity_share)
            << "; loss makers destroy " << fm.pct(whale.loss_share) << " of it\n";
    else
        out << "  whale curve: not defined: " << whale.reason << "\n";
}

void write_csv(std::ostream& out, const customer_profitability& p, const key_index& keys) {
    out << "customer_id,revenue,cost,discounts,gross_margin,order_cost,return_cost,"
           "service_cost,delay_cost,cost_to_serve,profit,orders,return_rows,large,"
           "large_unprofitable,wanted,reason,tier\n";
    for (std::size_t c = 0; c < p.size(); ++c) {
        out << csv_key(keys, static_cast<entity_id>(c));
        for (const auto* v :
             {&p.revenue, &p.cost, &p.discounts, &p.gross_margin, &p.order_cost, &p.return_cost,
              &p.service_cost, &p.delay_cost, &p.cost_to_serve, &p.profit})
            out << ',' << number_text((*v)[c]);
        out << ',' << p.orders[c] << ',' << p.return_rows[c] << ',' << int(p.large[c]) << ','
            << int(p.large_unprofitable[c]) << ',' << int(p.wanted[c]) << ','
            << csv_field(p.reason[c]) << ',' << (c < p.tier.size() ? to_string(p.tier[c]) : "")
            << '\n';
    }
}

loyalty_report_section loyalty_report_section_of(const transaction_log& log,
                                                 std::optional<signal_file> signals,
                                                 const std::optional<profitability_config>& costs) {
    loyalty_report_section s;
    const transaction_view view = log.view();
    // The churn answers of a signals file are tested against the article's reasons (issue 14:
    // the report shows the reference); without answers there is nothing to test.
    const bool answers = signals && !signals->churn_answers.empty();
    const std::vector<double> reference =
        answers ? churn_reference("article") : std::vector<double>{};
    s.loyalty = loyalty_overview_of(view, {}, std::move(signals), {}, reference);
    for (std::size_t i = 0; i < view.size(); ++i) {
        s.type_revenue[static_cast<std::size_t>(s.loyalty.labels.type[view.customer[i]])] +=
            view.amount[i];
        s.revenue += view.amount[i];
    }
    s.costs_given = costs.has_value();
    if (!log.has_cost()) return s;
    const signal_file* file = s.loyalty.signals ? &*s.loyalty.signals : nullptr;
    s.profitability = profitability(log.view(), costs.value_or(profitability_config{}), file);
    s.whale = whale_curve(s.profitability->profit);
    return s;
}

void report_loyalty_text(std::ostream& out, const loyalty_report_section& s, const formatter& fm) {
    out << "\n";
    write_text(out, s.loyalty, false, fm); // the types: the report's loyalty-type section
    out << "\n";
    if (!s.profitability || !s.whale) {
        out << "Customer profitability: skipped (the log has no cost column)\n";
        return;
    }
    write_text(out, *s.profitability, *s.whale, fm);
    if (!s.costs_given) out << "  note: no --costs given: every cost rate is 0\n";
}

void report_loyalty_json(detail::json_writer& w, const loyalty_report_section& s) {
    w.key("loyalty").begin_object();
    write_json(w, s.loyalty);
    w.key("type_revenue").begin_object();
    for (std::size_t k = 0; k < n_loyalty_types; ++k) {
        w.key(to_string(static_cast<loyalty_type>(k))).begin_object();
        w.field("revenue", s.type_revenue[k]);
        w.field("share", s.revenue != 0.0 ? s.type_revenue[k] / s.revenue : 0.0).end_object();
    }
    w.end_object();
    w.end_object();
    if (!s.profitability || !s.whale) return;
    w.key("profitability").begin_object();
    write_json(w, *s.profitability, *s.whale);
    w.end_object();
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
