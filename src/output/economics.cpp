// The writers of the retention economics from the log (see custometrics/output/economics.hpp).
#include "custometrics/output/economics.hpp"

#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/output/format.hpp"

#include <array>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

std::string opt_num(const std::optional<double>& v, int digits = 2) {
    return v ? num(*v, digits) : "n/a";
}

std::string opt_pct(const std::optional<double>& v) {
    return v ? (*v >= 0 ? "+" : "") + pct(*v) : "n/a";
}

} // namespace

void write_json(detail::json_writer& w, const log_economics_result& r) {
    w.key("design").begin_object();
    w.field("period_days", r.period_days).field("horizon", r.horizon);
    w.field("uplift", r.uplift).field("discount_rate", r.discount_rate);
    w.field("timing", to_string(r.timing));
    w.field("margin_from_cost", r.margin_from_cost).field("margin_rate", r.margin_rate);
    w.end_object();
    w.key("rows").begin_object();
    w.field("in", static_cast<std::uint64_t>(r.rows));
    w.field("used", static_cast<std::uint64_t>(r.rows_used));
    w.field("before_first_period", static_cast<std::uint64_t>(r.rows_before));
    w.field("after_end", static_cast<std::uint64_t>(r.rows_after));
    w.end_object();
    w.field("customers", static_cast<std::uint64_t>(r.customers));
    w.key("periods").begin_array();
    for (const economics_period& p : r.periods) {
        w.begin_object();
        w.field("start", format_date(p.start)).field("end", format_date(p.end));
        w.field("active", static_cast<std::uint64_t>(p.active));
        w.field("retained", static_cast<std::uint64_t>(p.retained));
        w.field("new_customers", static_cast<std::uint64_t>(p.new_customers));
        w.field("revenue", p.revenue).field("margin", p.margin);
        w.field("retention_rate", p.retention_rate);
        w.end_object();
    }
    w.end_array();
    w.key("retention").begin_object();
    w.field("rate", r.retention_rate).field("ci_low", r.retention_ci_low);
    w.field("ci_high", r.retention_ci_high);
    w.field("retained", static_cast<std::uint64_t>(r.retained));
    w.field("base", static_cast<std::uint64_t>(r.retention_base));
    w.end_object();
    w.key("per_customer").begin_object();
    w.field("revenue", r.revenue_per_customer).field("margin", r.margin_per_customer);
    w.end_object();
    w.field("customers_now", r.customers_now);
    w.field("new_customers_per_period", r.new_customers_per_period);
    w.key("scenarios").begin_array();
    for (const economics_scenario& s : r.scenarios) {
        w.begin_object();
        w.field("name", s.name).field("retention_rate", s.retention_rate);
        w.field("capped", s.capped);
        w.field("lifetime_value", s.lifetime_value);
        w.field("revenue", s.revenue).field("margin", s.margin);
        w.field("revenue_change", s.revenue_change);
        w.field("margin_change", s.margin_change);
        w.field("lifetime_value_change", s.lifetime_value_change);
        w.key("projection").begin_array();
        for (const economics_projection_point& p : s.projection) {
            w.begin_object().field("period", p.period).field("customers", p.customers);
            w.field("revenue", p.revenue).field("margin", p.margin).end_object();
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.key("spend");
    if (!r.spend) {
        w.null();
        return;
    }
    const economics_spend& s = *r.spend;
    w.begin_object();
    w.field("acquisition_spend", s.acquisition_spend);
    w.field("retention_spend", s.retention_spend);
    w.field("spend_ratio", s.spend_ratio);
    w.field("article_spend_ratio", article_spend_ratio);
    w.field("cost_per_new_customer", s.cost_per_new_customer);
    w.field("cost_per_retained_customer", s.cost_per_retained_customer);
    w.field("cost_ratio", s.cost_ratio);
    w.field("extra_retained", s.extra_retained);
    w.field("break_even_retention_spend", s.break_even_retention_spend);
    w.field("extra_retained_value", s.extra_retained_value);
    w.end_object();
}

void write_text(std::ostream& out, const log_economics_result& r) {
    std::array<char, 256> line{};
    out << "Retention economics (periods of " << r.period_days << " days)\n";
    out << "  rows          " << count(r.rows) << " in, " << count(r.rows_used) << " in "
        << r.periods.size() << " complete periods";
    if (r.rows_before > 0) out << ", " << count(r.rows_before) << " before the first (left out)";
    if (r.rows_after > 0) out << ", " << count(r.rows_after) << " after the end (left out)";
    out << "\n";
    out << "  retention     " << pct(r.retention_rate)
        << " of the customers who bought in a period "
        << "bought again in the next (" << count(r.retained) << " of " << count(r.retention_base)
        << "; 95% interval " << pct(r.retention_ci_low) << " to " << pct(r.retention_ci_high)
        << ")\n";
    out << "  per customer  revenue " << num(r.revenue_per_customer) << ", margin "
        << num(r.margin_per_customer) << " a period ("
        << (r.margin_from_cost ? std::string("amount - cost") : "margin rate " + pct(r.margin_rate))
        << ")\n";
    out << "  customers     " << num(r.customers_now, 0) << " active in the latest period, "
        << num(r.new_customers_per_period, 1) << " new a period\n";
    std::snprintf(line.data(), line.size(), "  %-10s %-10s %9s %9s %9s %14s %14s %9s\n", "from",
                  "to", "active", "retained", "new", "revenue", "margin", "retention");
    out << line.data();
    for (const economics_period& p : r.periods) {
        std::snprintf(line.data(), line.size(), "  %-10s %-10s %9s %9s %9s %14s %14s %9s\n",
                      format_date(p.start).substr(0, 10).c_str(),
                      format_date(p.end - 1).substr(0, 10).c_str(), count(p.active).c_str(),
                      count(p.retained).c_str(), count(p.new_customers).c_str(),
                      num(p.revenue).c_str(), num(p.margin).c_str(),
                      p.retention_rate ? pct(*p.retention_rate).c_str() : "");
        out << line.data();
    }
    out << "  Article: \"+5% loyal customers can raise revenue by up to 100%\"; over the next "
        << r.horizon << " periods at your rates:\n";
    std::snprintf(line.data(), line.size(), "  %-16s %9s %14s %9s %14s %9s %14s %9s\n", "scenario",
                  "retention", "revenue", "change", "margin", "change", "lifetime value", "change");
    out << line.data();
    for (const economics_scenario& s : r.scenarios) {
        std::snprintf(
            line.data(), line.size(), "  %-16s %9s %14s %9s %14s %9s %14s %9s\n", s.name.c_str(),
            (pct(s.retention_rate) + (s.capped ? "*" : "")).c_str(), num(s.revenue).c_str(),
            s.revenue_change ? opt_pct(s.revenue_change).c_str() : "", num(s.margin).c_str(),
            s.margin_change ? opt_pct(s.margin_change).c_str() : "",
            opt_num(s.lifetime_value).c_str(),
            s.lifetime_value_change ? opt_pct(s.lifetime_value_change).c_str() : "");
        out << line.data();
    }
    for (const economics_scenario& s : r.scenarios)
        if (s.capped) {
            out << "  * above 100%: capped at 100%\n";
            break;
        }
    if (!r.spend) {
        out << "  spend         give --acquisition-spend and --retention-spend to compare them "
               "(the article: 8x more on winning than on keeping)\n";
        return;
    }
    const economics_spend& s = *r.spend;
    out << "  spend         acquisition " << opt_num(s.acquisition_spend) << ", retention "
        << opt_num(s.retention_spend) << " a period: ratio " << opt_num(s.spend_ratio, 1)
        << " (the article: " << num(article_spend_ratio, 0) << ")\n";
    out << "  per customer  " << opt_num(s.cost_per_new_customer) << " per new, "
        << opt_num(s.cost_per_retained_customer) << " per retained customer: ratio "
        << opt_num(s.cost_ratio, 1) << "\n";
    out << "  break-even    +" << detail::format_number(r.uplift) << " points keep "
        << num(s.extra_retained, 1) << " more customers a period; winning as many costs "
        << opt_num(s.break_even_retention_spend)
        << " (the most extra retention spend that pays against acquisition), their lifetime "
           "value is "
        << opt_num(s.extra_retained_value) << "\n";
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
