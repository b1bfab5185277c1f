// The `custometrics report` overview: size, period, revenue and per-customer statistics.
#include "report.hpp"

#include "custometrics/accumulators.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <ostream>
#include <vector>

namespace custometrics::cli {
namespace {

// Exact quantile by linear interpolation between order statistics (numpy's default method).
double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
    const double a = v[lo];
    if (lo + 1 >= v.size()) return a;
    const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
    return a + (b - a) * (pos - static_cast<double>(lo));
}

std::string money(double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", x);
    std::string s = buf;
    // Thousands separators on the integer part.
    const std::size_t dot = s.find('.');
    const std::size_t begin = s[0] == '-' ? 1 : 0;
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(dot) - 3; i > static_cast<std::ptrdiff_t>(begin); i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

std::string count(std::size_t n) {
    std::string s = std::to_string(n);
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(s.size()) - 3; i > 0; i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

std::string pct(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * x);
    return buf;
}

std::string num(double x, int digits = 2) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, x);
    return buf;
}

} // namespace

void print_report(std::ostream& out, const transaction_log& log, const std::string& source, bool json) {
    const transaction_view view = log.view();
    view.validate();
    if (log.size() == 0) throw invalid_argument("report: the log has no rows");

    double gross = 0.0, refunds = 0.0, cost = 0.0;
    std::size_t n_returns = 0;
    time_range span;
    for (std::size_t i = 0; i < log.size(); ++i) {
        const double a = log.amount[i];
        if (a < 0) {
            refunds -= a;
            ++n_returns;
        } else {
            gross += a;
        }
        if (log.has_cost()) cost += log.cost[i];
        span(log.time[i]);
    }
    const double net = gross - refunds;
    const std::int64_t days = (day_of(span.last) - day_of(span.first)) + 1;

    summary_options so;
    so.unit = time_unit::days;
    const customer_summary s = summarize(view, so);
    const std::size_t active = s.size();
    moments revenue_m, freq_m, recency_m, t_m, monetary_m;
    std::size_t one_time = 0;
    for (std::size_t k = 0; k < active; ++k) {
        revenue_m(s.revenue[k]);
        freq_m(s.frequency[k]);
        recency_m(s.recency[k]);
        t_m(s.T[k]);
        if (s.frequency[k] == 0) ++one_time;
        else monetary_m(s.monetary_value[k]);
    }
    std::vector<double> revenue = s.revenue;
    const double median = quantile(revenue, 0.5);
    const double p90 = quantile(revenue, 0.9);
    // Share of net revenue made by the top 20% of customers (ranked by net revenue).
    std::sort(revenue.begin(), revenue.end(), std::greater<>());
    const auto top_n = static_cast<std::size_t>(std::ceil(0.2 * static_cast<double>(revenue.size())));
    double top_sum = 0.0, total = 0.0;
    for (std::size_t k = 0; k < revenue.size(); ++k) {
        total += revenue[k];
        if (k < top_n) top_sum += revenue[k];
    }
    const double top_share = total > 0 ? top_sum / total : 0.0;
    const double one_time_share = active > 0 ? static_cast<double>(one_time) / static_cast<double>(active) : 0.0;

    if (json) {
        detail::json_writer w(out);
        w.begin_object();
        w.field("source", source);
        w.field("rows", static_cast<std::uint64_t>(log.size()));
        w.field("purchase_rows", static_cast<std::uint64_t>(log.size() - n_returns));
        w.field("return_rows", static_cast<std::uint64_t>(n_returns));
        w.field("first_date", format_date(span.first));
        w.field("last_date", format_date(span.last));
        w.field("days", days);
        w.field("customers", static_cast<std::uint64_t>(log.customer_keys.size()));
        w.field("customers_with_purchase", static_cast<std::uint64_t>(active));
        if (!log.product.empty()) w.field("products", static_cast<std::uint64_t>(log.product_keys.size()));
        if (!log.channel.empty()) w.field("channels", static_cast<std::uint64_t>(log.channel_keys.size()));
        w.field("gross_sales", gross);
        w.field("returns", refunds);
        w.field("net_revenue", net);
        if (log.has_cost()) {
            w.field("cost", cost);
            w.field("profit", net - cost);
        }
        w.key("revenue_per_customer").begin_object();
        w.field("mean", revenue_m.mean).field("median", median).field("p90", p90).field("max", revenue_m.max);
        w.end_object();
        w.field("top20_revenue_share", top_share);
        w.field("one_time_buyer_share", one_time_share);
        w.field("mean_frequency", freq_m.mean);
        w.field("mean_recency_days", recency_m.mean);
        w.field("mean_T_days", t_m.mean);
        w.field("mean_repeat_purchase_value", monetary_m.count > 0 ? monetary_m.mean : 0.0);
        w.end_object();
        return;
    }
    out << "custometrics report: " << source << "\n\n";
    out << "Transactions\n";
    out << "  rows                 " << count(log.size()) << "  (purchases " << count(log.size() - n_returns)
        << ", returns " << count(n_returns) << ")\n";
    out << "  period               " << format_date(span.first) << " .. " << format_date(span.last) << "  ("
        << count(static_cast<std::size_t>(days)) << " days)\n";
    out << "  customers            " << count(log.customer_keys.size());
    if (active != log.customer_keys.size())
        out << "  (" << count(log.customer_keys.size() - active) << " without a purchase)";
    out << "\n";
    if (!log.product.empty()) out << "  products             " << count(log.product_keys.size()) << "\n";
    if (!log.channel.empty()) out << "  channels             " << count(log.channel_keys.size()) << "\n";
    out << "\nRevenue\n";
    out << "  gross sales          " << money(gross) << "\n";
    out << "  returns              " << money(-refunds) << "  (" << pct(gross > 0 ? refunds / gross : 0.0)
        << " of gross)\n";
    out << "  net revenue          " << money(net) << "\n";
    if (log.has_cost()) {
        out << "  cost of goods        " << money(cost) << "\n";
        out << "  gross profit         " << money(net - cost) << "  (margin "
            << pct(net != 0 ? (net - cost) / net : 0.0) << ")\n";
    }
    out << "\nPer customer (net revenue)\n";
    out << "  mean / median        " << money(revenue_m.mean) << " / " << money(median) << "\n";
    out << "  90th pct / max       " << money(p90) << " / " << money(revenue_m.max) << "\n";
    out << "  top 20% of customers " << pct(top_share) << " of net revenue\n";
    out << "\nPurchase behaviour (periods of one day)\n";
    out << "  one-time buyers      " << pct(one_time_share) << "\n";
    out << "  repeat purchases     " << num(freq_m.mean) << " per customer on average\n";
    out << "  recency / age (T)    " << num(recency_m.mean, 1) << " / " << num(t_m.mean, 1)
        << " days on average\n";
    out << "  repeat order value   " << money(monetary_m.count > 0 ? monetary_m.mean : 0.0) << " on average\n";
}

} // namespace custometrics::cli
