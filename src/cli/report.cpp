// The `custometrics report` overview: size, period, revenue and per-customer statistics, Pareto,
// RFM segments, retention, break-even, loyalty and profitability sections.
#include "report.hpp"

#include "break_even_cli.hpp"
#include "command.hpp"
#include "loyalty_cli.hpp"
#include "pareto_cli.hpp"
#include "retention_cli.hpp"

#include "format.hpp"

#include "custometrics/accumulators.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/generate.hpp"
#include "custometrics/output/segments.hpp"
#include "custometrics/summary.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <utility>
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

} // namespace

void print_report(std::ostream& out, const transaction_log& log, const std::string& source,
                  bool json, std::optional<double> fixed_costs_per_month,
                  const std::string& signals, const std::string& costs) {
    const transaction_view view = log.view();
    view.validate();
    if (log.size() == 0) throw invalid_argument("report", "the log has no rows");

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
        if (s.frequency[k] == 0)
            ++one_time;
        else
            monetary_m(s.monetary_value[k]);
    }
    const double median = quantile(s.revenue, 0.5);
    const double p90 = quantile(s.revenue, 0.9);
    const double one_time_share =
        active > 0 ? static_cast<double>(one_time) / static_cast<double>(active) : 0.0;

    // Pareto figures of net revenue by customer, product and channel (those the log has), and
    // the whale curve of profit by customer when costs are known.
    std::vector<std::pair<std::string, pareto_result>> pareto_sections;
    const std::pair<const char*, dimension> dims[] = {{"customer", dimension::customer},
                                                      {"product", dimension::product},
                                                      {"channel", dimension::channel}};
    for (const auto& [name, d] : dims) {
        if ((d == dimension::product && log.product.empty()) ||
            (d == dimension::channel && log.channel.empty()))
            continue;
        pareto_sections.emplace_back(name,
                                     pareto(entity_totals(log, d, measure::revenue, {}).value));
    }
    const retention_overview_result retention = retention_overview(s);
    std::optional<whale_result> whale;
    if (log.has_cost())
        whale = whale_curve(entity_totals(log, dimension::customer, measure::profit, {}).value);

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
        if (!log.product.empty())
            w.field("products", static_cast<std::uint64_t>(log.product_keys.size()));
        if (!log.channel.empty())
            w.field("channels", static_cast<std::uint64_t>(log.channel_keys.size()));
        w.field("gross_sales", gross);
        w.field("returns", refunds);
        w.field("net_revenue", net);
        if (log.has_cost()) {
            w.field("cost", cost);
            w.field("profit", net - cost);
        }
        w.key("revenue_per_customer").begin_object();
        w.field("mean", revenue_m.mean)
            .field("median", median)
            .field("p90", p90)
            .field("max", revenue_m.max);
        w.end_object();
        w.field("one_time_buyer_share", one_time_share);
        w.field("mean_frequency", freq_m.mean);
        w.field("mean_recency_days", recency_m.mean);
        w.field("mean_T_days", t_m.mean);
        w.field("mean_repeat_purchase_value", monetary_m.count > 0 ? monetary_m.mean : 0.0);
        w.key("pareto").begin_object();
        for (const auto& [name, r] : pareto_sections) {
            w.key(name).begin_object();
            w.field("n", static_cast<std::uint64_t>(r.size())).field("gini", r.gini.gini);
            w.field("entities_for_80pct", r.entities_for_80pct).field("top20_share", r.top20_share);
            w.key("classes").begin_object();
            w.field("A", static_cast<std::uint64_t>(r.class_count[0]));
            w.field("B", static_cast<std::uint64_t>(r.class_count[1]));
            w.field("C", static_cast<std::uint64_t>(r.class_count[2]));
            w.end_object().end_object();
        }
        w.end_object();
        if (whale) {
            w.key("whale").begin_object().field("defined", whale->defined);
            w.field("peak_share", whale->peak_share)
                .field("peak_entity_share", whale->peak_entity_share);
            w.field("loss_entity_share", whale->loss_entity_share)
                .field("loss_share", whale->loss_share);
            w.end_object();
        }
        output::report_rfm_json(w, s);
        report_retention_json(w, retention, s, log.customer_keys);
        if (fixed_costs_per_month) report_break_even_json(w, log, *fixed_costs_per_month);
        report_loyalty_json(w, log, signals, costs);
        w.end_object();
        return;
    }
    out << "custometrics report: " << source << "\n\n";
    out << "Transactions\n";
    out << "  rows                 " << count(log.size()) << "  (purchases "
        << count(log.size() - n_returns) << ", returns " << count(n_returns) << ")\n";
    out << "  period               " << format_date(span.first) << " .. " << format_date(span.last)
        << "  (" << count(static_cast<std::size_t>(days)) << " days)\n";
    out << "  customers            " << count(log.customer_keys.size());
    if (active != log.customer_keys.size())
        out << "  (" << count(log.customer_keys.size() - active) << " without a purchase)";
    out << "\n";
    if (!log.product.empty())
        out << "  products             " << count(log.product_keys.size()) << "\n";
    if (!log.channel.empty())
        out << "  channels             " << count(log.channel_keys.size()) << "\n";
    out << "\nRevenue\n";
    out << "  gross sales          " << money(gross) << "\n";
    out << "  returns              " << money(-refunds) << "  ("
        << pct(gross > 0 ? refunds / gross : 0.0) << " of gross)\n";
    out << "  net revenue          " << money(net) << "\n";
    if (log.has_cost()) {
        out << "  cost of goods        " << money(cost) << "\n";
        out << "  gross profit         " << money(net - cost) << "  (margin "
            << pct(net != 0 ? (net - cost) / net : 0.0) << ")\n";
    }
    out << "\nPer customer (net revenue)\n";
    out << "  mean / median        " << money(revenue_m.mean) << " / " << money(median) << "\n";
    out << "  90th pct / max       " << money(p90) << " / " << money(revenue_m.max) << "\n";
    out << "\nPurchase behaviour (periods of one day)\n";
    out << "  one-time buyers      " << pct(one_time_share) << "\n";
    out << "  repeat purchases     " << num(freq_m.mean) << " per customer on average\n";
    out << "  recency / age (T)    " << num(recency_m.mean, 1) << " / " << num(t_m.mean, 1)
        << " days on average\n";
    out << "  repeat order value   " << money(monetary_m.count > 0 ? monetary_m.mean : 0.0)
        << " on average\n";
    out << "\nPareto (net revenue)   80% from top   top 20% make    Gini    A / B / C\n";
    for (const auto& [name, r] : pareto_sections) {
        char line[160];
        std::snprintf(line, sizeof line, "  %-20s %13s %14s %7.3f    %zu / %zu / %zu\n",
                      (name + "s").c_str(), pct(r.entities_for_80pct).c_str(),
                      pct(r.top20_share).c_str(), r.gini.gini, r.class_count[0], r.class_count[1],
                      r.class_count[2]);
        out << line;
    }
    if (whale && whale->defined)
        out << "  whale curve (profit by customer): peaks at " << pct(whale->peak_share)
            << " after the top " << pct(whale->peak_entity_share) << "; loss makers "
            << pct(whale->loss_entity_share) << " of customers destroy " << pct(whale->loss_share)
            << " of total profit\n";
    else if (whale)
        out << "  whale curve (profit by customer): not defined: " << whale->reason << "\n";
    output::report_rfm_text(out, s);
    report_retention_text(out, retention, s, log.customer_keys);
    if (fixed_costs_per_month) report_break_even_text(out, log, *fixed_costs_per_month);
    report_loyalty_text(out, log, signals, costs);
}

void register_report(CLI::App& app) {
    struct options {
        std::string file, format = "text", signals, costs;
        column_args columns;
        std::size_t sample_customers = 10'000;
        std::uint64_t sample_seed = 42;
        std::optional<double> fixed_costs_per_month;
    };
    auto o = std::make_shared<options>();
    auto* r = app.add_subcommand(
        "report", "A readable overview of a transaction log (default: a generated sample)");
    r->add_option("file", o->file,
                  "Transaction CSV (default: a generated sample of 10,000 customers)");
    o->columns.add_to(*r);
    r->add_option("--sample-customers", o->sample_customers, "Customers in the generated sample")
        ->check(whole_number())
        ->capture_default_str();
    r->add_option("--sample-seed", o->sample_seed, "Seed of the generated sample")
        ->check(whole_number())
        ->capture_default_str();
    r->add_option_function<double>(
        "--fixed-costs-per-month", [o](const double& v) { o->fixed_costs_per_month = v; },
        "Adds a break-even section: the date revenue covers cost of goods plus these fixed costs");
    r->add_option("--signals", o->signals,
                  "Per-customer signals CSV for the loyalty section (see `loyalty --help`)");
    r->add_option("--costs", o->costs, "Cost-rate JSON for the profitability section");
    add_format(*r, o->format);
    r->callback([o] {
        const bool json = o->format == "json";
        if (!o->file.empty()) {
            const transaction_log log = read_transactions_csv(o->file, o->columns.resolve());
            print_report(std::cout, log, o->file, json, o->fixed_costs_per_month, o->signals,
                         o->costs);
            return;
        }
        generate_options g;
        g.customers = o->sample_customers;
        g.seed = o->sample_seed;
        const generated_log sample = generate_transactions(g);
        print_report(std::cout, sample.log,
                     "generated sample (" + std::to_string(o->sample_customers) +
                         " customers, seed " + std::to_string(o->sample_seed) + ")",
                     json, o->fixed_costs_per_month, o->signals, o->costs);
    });
}

} // namespace custometrics::cli
