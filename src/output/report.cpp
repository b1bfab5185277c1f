// The report's writers (custometrics/output/report.hpp).
#include "custometrics/output/report.hpp"

#include "custometrics/date.hpp"
#include "custometrics/output/format.hpp"

#include <cstdint>
#include <cstdio>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

void write_json(detail::json_writer& w, const sales_overview& o, const std::string& source) {
    const auto u = [](std::size_t n) { return static_cast<std::uint64_t>(n); };
    w.field("source", source);
    w.field("rows", u(o.rows));
    w.field("purchase_rows", u(o.purchase_rows));
    w.field("return_rows", u(o.return_rows));
    w.field("first_date", format_date(o.first_time));
    w.field("last_date", format_date(o.last_time));
    w.field("days", o.days);
    w.field("customers", u(o.customers));
    w.field("customers_with_purchase", u(o.customers_with_purchase));
    if (o.products) w.field("products", u(*o.products));
    if (o.channels) w.field("channels", u(*o.channels));
    w.field("gross_sales", o.gross_sales);
    w.field("returns", o.returns);
    w.field("net_revenue", o.net_revenue);
    if (o.cost) {
        w.field("cost", *o.cost);
        w.field("profit", *o.profit);
    }
    w.key("revenue_per_customer").begin_object();
    w.field("mean", o.revenue_mean)
        .field("median", o.revenue_median)
        .field("p90", o.revenue_p90)
        .field("max", o.revenue_max);
    w.end_object();
    w.field("one_time_buyer_share", o.one_time_buyer_share);
    w.field("mean_frequency", o.mean_frequency);
    w.field("mean_recency_days", o.mean_recency_days);
    w.field("mean_T_days", o.mean_T_days);
    w.field("mean_repeat_purchase_value", o.mean_repeat_purchase_value);
    w.key("pareto").begin_object();
    for (const overview_pareto& p : o.pareto) {
        w.key(p.dimension).begin_object();
        w.field("n", u(p.n)).field("gini", p.gini);
        w.field("entities_for_80pct", p.entities_for_80pct).field("top20_share", p.top20_share);
        w.key("classes").begin_object();
        w.field("A", u(p.class_count[0]));
        w.field("B", u(p.class_count[1]));
        w.field("C", u(p.class_count[2]));
        w.end_object().end_object();
    }
    w.end_object();
    if (o.whale) {
        const whale_result& h = *o.whale;
        w.key("whale").begin_object().field("defined", h.defined);
        w.field("peak_share", h.peak_share).field("peak_entity_share", h.peak_entity_share);
        w.field("loss_entity_share", h.loss_entity_share).field("loss_share", h.loss_share);
        w.end_object();
    }
}

void write_text(std::ostream& out, const sales_overview& o, const std::string& source) {
    out << "custometrics report: " << source << "\n\n";
    out << "Transactions\n";
    out << "  rows                 " << count(o.rows) << "  (purchases " << count(o.purchase_rows)
        << ", returns " << count(o.return_rows) << ")\n";
    out << "  period               " << format_date(o.first_time) << " .. "
        << format_date(o.last_time) << "  (" << count(static_cast<std::size_t>(o.days))
        << " days)\n";
    out << "  customers            " << count(o.customers);
    if (o.customers_with_purchase != o.customers)
        out << "  (" << count(o.customers - o.customers_with_purchase) << " without a purchase)";
    out << "\n";
    if (o.products) out << "  products             " << count(*o.products) << "\n";
    if (o.channels) out << "  channels             " << count(*o.channels) << "\n";
    out << "\nRevenue\n";
    out << "  gross sales          " << money(o.gross_sales) << "\n";
    out << "  returns              " << money(-o.returns) << "  ("
        << pct(o.gross_sales > 0 ? o.returns / o.gross_sales : 0.0) << " of gross)\n";
    out << "  net revenue          " << money(o.net_revenue) << "\n";
    if (o.cost) {
        out << "  cost of goods        " << money(*o.cost) << "\n";
        out << "  gross profit         " << money(*o.profit) << "  (margin "
            << pct(o.net_revenue != 0 ? *o.profit / o.net_revenue : 0.0) << ")\n";
    }
    out << "\nPer customer (net revenue)\n";
    out << "  mean / median        " << money(o.revenue_mean) << " / " << money(o.revenue_median)
        << "\n";
    out << "  90th pct / max       " << money(o.revenue_p90) << " / " << money(o.revenue_max)
        << "\n";
    out << "\nPurchase behaviour (periods of one day)\n";
    out << "  one-time buyers      " << pct(o.one_time_buyer_share) << "\n";
    out << "  repeat purchases     " << num(o.mean_frequency) << " per customer on average\n";
    out << "  recency / age (T)    " << num(o.mean_recency_days, 1) << " / "
        << num(o.mean_T_days, 1) << " days on average\n";
    out << "  repeat order value   " << money(o.mean_repeat_purchase_value) << " on average\n";
    out << "\nPareto (net revenue)   80% from top   top 20% make    Gini    A / B / C\n";
    for (const overview_pareto& p : o.pareto) {
        char line[160];
        std::snprintf(line, sizeof line, "  %-20s %13s %14s %7.3f    %zu / %zu / %zu\n",
                      (p.dimension + "s").c_str(), pct(p.entities_for_80pct).c_str(),
                      pct(p.top20_share).c_str(), p.gini, p.class_count[0], p.class_count[1],
                      p.class_count[2]);
        out << line;
    }
    if (o.whale && o.whale->defined)
        out << "  whale curve (profit by customer): peaks at " << pct(o.whale->peak_share)
            << " after the top " << pct(o.whale->peak_entity_share) << "; loss makers "
            << pct(o.whale->loss_entity_share) << " of customers destroy "
            << pct(o.whale->loss_share) << " of total profit\n";
    else if (o.whale)
        out << "  whale curve (profit by customer): not defined: " << o.whale->reason << "\n";
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
