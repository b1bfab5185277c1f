// The figures of `custometrics report` (and Python's `custometrics.report`): what a business
// owner reads first about a transaction log. Computed here once; the writers in
// custometrics/output/report.hpp print them as text or JSON.
#pragma once

#include "custometrics/break_even.hpp"
#include "custometrics/config.hpp"
#include "custometrics/loyalty.hpp"
#include "custometrics/output/loyalty.hpp"
#include "custometrics/pareto.hpp"
#include "custometrics/profitability.hpp"
#include "custometrics/retention/overview.hpp"
#include "custometrics/summary.hpp"
#include "custometrics/transactions.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Linear-interpolation quantile of `values` (numpy's default method): the order statistic at
/// position q * (n - 1), interpolated between its neighbours; 0 for no values.
///
/// Example: `quantile_linear({1, 2, 3, 4}, 0.5) == 2.5`, `quantile_linear({5, 1, 3}, 0.9) == 4.6`.
/// Throws `invalid_argument` ("q") unless 0 <= q <= 1.
double quantile_linear(std::vector<double> values, double q);

/// One ranked entity of the article's six-step Pareto table: name, value, share, cumulative
/// share and class.
struct ranked_entity {
    std::size_t rank = 0; ///< 1-based
    std::string name;     ///< the entity's key as text
    double value = 0.0;   ///< net revenue
    double share = 0.0;   ///< value / total of the ranked entities
    double cum_share = 0.0;
    abc_class abc = abc_class::A;
};

/// The Pareto figures of one dimension in the overview (net revenue, classes at 80% / 95%).
struct overview_pareto {
    std::string dimension;                    ///< "customer", "product" or "channel"
    std::size_t n = 0;                        ///< entities ranked (net revenue > 0)
    double total = 0.0;                       ///< their net revenue
    double gini = 0.0;                        ///< Gini of net revenue
    double entities_for_80pct = 0.0;          ///< share of entities that make 80% of revenue
    double top20_share = 0.0;                 ///< revenue share of the top 20% of entities
    std::array<std::size_t, 3> class_count{}; ///< entities in A, B, C
    std::array<double, 3> class_share{};      ///< revenue share of A, B, C
    std::size_t not_ranked = 0;               ///< entities with net revenue <= 0, left out
    double not_ranked_total = 0.0;            ///< their net revenue (<= 0)
    curve_points curve;                       ///< the cumulative curve, at most 201 points
    curve_points lorenz;                      ///< the Lorenz curve, at most 201 points
    std::vector<ranked_entity> top;           ///< the first `top_entities` ranks
    /// The bars of the Pareto chart, so that its cumulative line reaches 100%: one bar per
    /// entity when there are at most 30, else one bar per tenth of the entities ("top 10%",
    /// "10-20%", ...), each the net revenue of that group.
    std::vector<std::string> bar_labels;
    std::vector<double> bar_values;
    std::vector<double> bar_cum_share; ///< cumulative share of net revenue after each bar
};

/// The overview of a transaction log: size, period, revenue, per-customer statistics (periods
/// of one day), the Pareto figures of net revenue by customer, product and channel (those the
/// log has) and, with costs, the whale curve of profit by customer.
struct sales_overview {
    std::size_t rows = 0;          ///< rows of the log
    std::size_t purchase_rows = 0; ///< rows with amount >= 0
    std::size_t return_rows = 0;   ///< rows with amount < 0
    std::int64_t first_time = 0;   ///< first timestamp (seconds since the epoch)
    std::int64_t last_time = 0;    ///< last timestamp
    std::int64_t days = 0;         ///< calendar days from the first to the last, both included
    std::size_t customers = 0;     ///< distinct customers in the log
    std::size_t customers_with_purchase = 0; ///< customers in the summary (at least one purchase)
    std::optional<std::size_t> products;     ///< distinct products, when the log has them
    std::optional<std::size_t> channels;     ///< distinct channels, when the log has them
    double gross_sales = 0.0;                ///< sum of the purchases
    double returns = 0.0;                    ///< sum of the returns, as a positive number
    double net_revenue = 0.0;                ///< gross_sales - returns
    std::optional<double> cost;              ///< cost of goods, when the log has costs
    std::optional<double> profit;            ///< net_revenue - cost
    double revenue_mean = 0.0;               ///< net revenue per customer with a purchase: mean
    double revenue_median = 0.0;             ///< median (linear quantile)
    double revenue_p90 = 0.0;                ///< 90th percentile (linear quantile)
    double revenue_max = 0.0;                ///< maximum
    double one_time_buyer_share = 0.0;       ///< customers without a repeat purchase / customers
    double mean_frequency = 0.0;             ///< repeat purchases per customer
    double mean_recency_days = 0.0;          ///< age at the last purchase, days
    double mean_T_days = 0.0;                ///< age at the end of the log, days
    double mean_repeat_purchase_value = 0.0; ///< mean monetary value of the repeat buyers (0: none)
    std::vector<overview_pareto> pareto;     ///< customer, then product and channel if present
    std::optional<whale_result> whale;       ///< profit by customer, when the log has costs
};

/// The overview of `log`; `summary` is its summary in days (`summarize(log.view())` with
/// `time_unit::days`), shared with the report's other sections. `top_entities` ranks of each
/// dimension are kept for the Pareto table.
///
/// Throws `invalid_argument` ("report") when the log has no rows.
sales_overview compute_sales_overview(const transaction_log& log, const customer_summary& summary,
                                      std::size_t top_entities = 20);

/// What the report covers beyond the log itself.
struct report_options {
    std::string source;                          ///< names the input ("log.csv", "sample ...")
    std::optional<double> fixed_costs_per_month; ///< adds the break-even section
    std::optional<signal_file> signals;          ///< survey and behaviour signals (loyalty.hpp)
    std::optional<profitability_config> costs;   ///< cost rates for the profitability section
};

/// The whole report of a log, computed once: the overview, the summary in days (for the RFM
/// section), the retention overview, the break-even over time and the critical volume (with
/// fixed costs and a cost column), and the loyalty and profitability sections. The writers of
/// custometrics/output/report.hpp print it as text, JSON or an HTML page, so every face shows
/// the same figures.
struct sales_report {
    std::string source;
    customer_summary summary; ///< per customer, periods of one day
    key_index customer_keys;  ///< the log's customer keys (the summary's ids index them)
    sales_overview overview;
    retention_overview_result retention;
    std::optional<double> fixed_costs_per_month;
    std::optional<break_even_over_time_result> break_even; ///< none without a cost column
    std::optional<critical_volume_result> critical;        ///< with break_even: volume per month
    output::loyalty_report_section loyalty;
};

/// The report of `log`. Throws `invalid_argument` ("report") when the log has no rows, and the
/// errors of the sections' core functions (an invalid log, bad signals).
///
/// Example: `output::write_text(std::cout, build_report(log, {.source = "log.csv"}))`.
sales_report build_report(const transaction_log& log, const report_options& options);

CUSTOMETRICS_END_NAMESPACE
