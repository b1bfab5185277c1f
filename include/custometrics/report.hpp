// The figures of `custometrics report` (and Python's `custometrics.report`): what a business
// owner reads first about a transaction log. Computed here once; the writers in
// custometrics/output/report.hpp print them as text or JSON.
#pragma once

#include "custometrics/break_even.hpp"
#include "custometrics/config.hpp"
#include "custometrics/criteria_table.hpp"
#include "custometrics/loyalty.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/output/loyalty.hpp"
#include "custometrics/pareto.hpp"
#include "custometrics/profitability.hpp"
#include "custometrics/programme.hpp"
#include "custometrics/retention/log_economics.hpp"
#include "custometrics/retention/overview.hpp"
#include "custometrics/retention/scoring.hpp"
#include "custometrics/retention/selection.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/segments.hpp"
#include "custometrics/summary.hpp"
#include "custometrics/transactions.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
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

/// The counts of `values` in `bins` equal bins over [0, 1] (bin k holds k / bins <= v <
/// (k + 1) / bins; 1 falls in the last bin). Values outside [0, 1] or NaN throw
/// `invalid_argument` ("values"); `bins` must be > 0 ("bins").
///
/// Example: `histogram_01({0, 0.05, 0.5, 0.99, 1}, 10) == {2, 0, 0, 0, 0, 1, 0, 0, 0, 2}`.
std::vector<std::size_t> histogram_01(std::span<const double> values, std::size_t bins);

/// How the report chose its purchase model (retention/selection.hpp).
struct report_model_choice {
    /// The candidates BG/NBD, MBG/NBD and Pareto/NBD with their fits and scores (empty models
    /// when the choice could not run: `note` says why).
    model_selection selection;
    std::optional<std::int64_t> calibration_end; ///< the end of the calibration; none: by BIC
    double holdout_days = 0.0;                   ///< length of the holdout (0: none)
    purchase_model_kind model = purchase_model_kind::bg_nbd; ///< the model the report uses
    std::string note; ///< why there is no holdout or no usable candidate; empty otherwise
};

/// The purchase model of the report's retention section, chosen by holdout accuracy.
///
/// Method: the log's first two thirds (calibration end = first time + 2/3 of the span) are
/// summarised in days with the last third as the holdout (summary.hpp), the customers first
/// seen on the calibration's last day (T = 0) left out, and `select_purchase_model` fits
/// BG/NBD, MBG/NBD and Pareto/NBD on the calibration and picks the smallest mean absolute error
/// of each customer's holdout purchases (ties: the order listed). When the holdout is shorter
/// than `min_holdout_days` or fewer than `min_customers` customers are in the calibration, the
/// choice is by BIC on `summary` (the whole log in days, T > 0); when no candidate is usable (no
/// fit converged), or the choice throws, BG/NBD, with `note` saying why.
///
/// Example: on the report's generated sample (10,000 customers, 2020-2021) the calibration ends
/// 2021-05-01 and the holdout is 244 days; the holdout MAE is 0.6035 (BG/NBD), 0.5956
/// (MBG/NBD) and 0.5884 (Pareto/NBD), so Pareto/NBD is chosen, and 36.7% of the customers are
/// expected alive instead of BG/NBD's 73%, which keeps every one-time buyer alive.
report_model_choice choose_report_model(const transaction_view& log,
                                        const customer_summary& summary,
                                        double min_holdout_days = 28.0,
                                        std::size_t min_customers = 20);

/// The win-back list of the report: lapsed customers (P(alive) below the at-risk cut) who were
/// worth the most so far, with the date to contact them.
struct report_win_back {
    /// From `contact_list` over every scored customer (a window of `within_days`), kept where
    /// P(alive) < `at_risk_below` and ordered by net revenue so far, highest first (ties in the
    /// list's order), at most `top`. `clv` is the remaining 12-month lifetime value.
    std::vector<contact_entry> customers;
    std::vector<double> revenue; ///< net revenue so far of each listed customer
    std::size_t lapsed = 0;      ///< scored customers with P(alive) < at_risk_below
    double lapsed_revenue = 0.0; ///< their net revenue so far
    double at_risk_below = 0.5;  ///< the cut (retention_overview_options::at_risk_below)
    double within_days = 365.0;  ///< the contact list's window: a wait up to a year
    double lead_days = 7.0;      ///< contact a week before the expected next purchase
    std::size_t top = 10;        ///< customers listed
};

/// The report's per-customer retention figures: scores of the chosen model for the customers
/// with T > 0, the distribution of P(alive) and, with a spend model, the call list and the
/// win-back list.
struct report_retention_detail {
    std::vector<std::size_t> rows;               ///< the scored customers' rows in the summary
    customer_scores scores;                      ///< in the order of `rows`; horizon 90 days
    std::vector<std::size_t> p_alive_histogram;  ///< 10 bins of 10% (histogram_01)
    std::optional<contact_plan> contacts;        ///< positions in `rows`; none without spend
    contact_days contact_options{21.0, 7.0, 10}; ///< within 3 weeks, call a week before, top 10
    std::optional<report_win_back> win_back;     ///< positions in `rows`; none without spend
};

/// The per-customer figures of `overview` (fitted on `summary` in days): `score_customers` with
/// the overview's purchase and spend models as of the summary's observation end, P(alive) in 10
/// bins, and, when the overview has a spend model, `contact_list` (customers expected to buy
/// within 21 days, to call 7 days before, the 10 of highest lifetime value) and the win-back
/// list (`report_win_back`: of the same scores, the lapsed customers of highest net revenue,
/// to contact 7 days before their expected next purchase, were they still buying).
///
/// `rhythm` (optional: each log customer's own-rhythm next purchase by dense customer id,
/// `purchase_rhythm_of(log).next_purchase` of rhythm.hpp, no_time where none) times the call
/// list by rhythm (`contact_timing::rhythm`): a regular buyer is called `lead_days` before their
/// own next purchase (the article: "call him two weeks before"), the others by the model; the
/// win-back list stays on the model (a lapsed customer has no rhythm date).
///
/// Example: a lapsed customer (P(alive) 0.2) with revenue 900 so far ranks before a lapsed one
/// with 400 however their lifetime values compare; one with P(alive) 0.6 is not listed.
report_retention_detail report_retention_details(const customer_summary& summary,
                                                 const retention_overview_result& overview,
                                                 std::span<const std::int64_t> rhythm = {});

/// What changed between the two halves of the log: customers' net revenue in the earlier half
/// against the later half (`compare_periods`, Pareto classes at 80% / 95%), who entered and who
/// left class A, and the revenue of each of the earlier half's classes in both halves.
struct report_period_change {
    std::int64_t before_start = 0; ///< first day of the earlier half (seconds)
    std::int64_t after_start = 0;  ///< first day of the later half
    std::int64_t end = 0;          ///< last day of the log
    period_comparison comparison;  ///< entity ids are the log's customer ids
    std::vector<double> before;    ///< net revenue per customer id in the earlier half
    std::vector<double> after;     ///< and in the later half
    double revenue_before = 0.0;   ///< net revenue of the earlier half
    double revenue_after = 0.0;    ///< and of the later half
    /// The relative change of net revenue, (after - before) / before, only when the earlier
    /// half has positive net revenue: a change from nothing (or from net returns) has no
    /// percentage, and the writers say "new" (revenue only in the later half) or "n/a".
    std::optional<double> revenue_change;
    /// By class in the earlier half (A, B, C, and 3: not ranked there, mostly new customers):
    /// customers, their net revenue in the earlier and in the later half.
    std::array<std::size_t, 4> class_customers{};
    std::array<double, 4> class_revenue_before{};
    std::array<double, 4> class_revenue_after{};
};

/// The comparison of the log's two halves, or none when the log spans fewer than
/// `min_days_per_half` days in the later half. The halves split the log's calendar days (first
/// to last, both included) at the middle: the earlier half is the first ceil(days / 2) days.
///
/// Example: a log from 2020-01-01 to 2021-12-31 (731 days) compares 2020-01-01..2020-12-31
/// (366 days) with 2021-01-01..2021-12-31 (365); a customer with 500 in 2020 (class A) and 0 in
/// 2021 left class A.
std::optional<report_period_change> report_period_change_of(const transaction_log& log,
                                                            double min_days_per_half = 28.0);

/// The attractiveness/strength matrix of the report: the segments of a criteria file
/// (criteria_table.hpp) scored on both axes as `custometrics attractiveness` scores them, and
/// the revenue of each segment for the size of its bubble.
struct report_matrix {
    attractiveness_analysis analysis; ///< scores, strength and the nine-cell matrix
    /// Net revenue per segment, in the order of `analysis.segments`; empty when unknown.
    std::vector<double> revenue;
    /// Where `revenue` comes from: "criteria" (the file's `revenue` column), "rfm" (the log's
    /// RFM segments of the same names) or "" (unknown: bubbles of equal size).
    std::string revenue_source;
};

/// The matrix of `criteria` for the report: `analyse_attractiveness(criteria)` with the default
/// weights and cuts (low below 1/3, high from 2/3), and the revenue of each segment: the
/// criteria's column named `revenue` when it has one (as `rfm --criteria-out` writes it), else
/// the net revenue of the report's RFM segment of the same name (`rfm`, the profiles of the
/// default map) when every segment has one, else none.
///
/// Throws `invalid_argument` ("criteria") when the table has no strength criterion (the matrix
/// needs both axes: an `axis` row naming some criteria `strength`), and what
/// `analyse_attractiveness` throws.
///
/// Example: segments A (size 10, share 0.5), B (size 20, share 0.1), C (size 30, share 0.3)
/// with size on the attractiveness axis and share on strength (min-max): attractiveness 0,
/// 0.5, 1 and strength 1, 0, 0.5: A low/high (selective), B medium/low (harvest/divest), C
/// high/medium (invest/grow).
report_matrix report_matrix_of(const criteria_table& criteria, const segment_profiles& rfm);

/// The report's retention economics (issue 14): the article's "+5% loyal customers" and "8x
/// acquisition" worked out on the log, or why the section is left out.
struct report_economics {
    std::optional<log_economics_result> result; ///< none: `omitted` says why
    /// What decided the margin: "cost column" (the log's costs) or "margin rate" (the option
    /// given, used without a cost column); empty when the section is left out for want of one.
    std::string margin_source;
    std::string omitted; ///< why there is no result (no margin source, too short a log)
    /// Customers the "+uplift points" scenario keeps in its first period beyond the observed
    /// rate, customers_now x (points rate - observed rate): `economics_spend::extra_retained`,
    /// here also without spends (what the extra points save winning anew).
    double extra_retained = 0;
    /// extra_retained x the lifetime value at the "+points" rate (none without one).
    std::optional<double> extra_retained_value;
};

/// The retention economics of `log` for the report: `log_retention_economics(log.view(),
/// options)`, the function and options of `custometrics retention-economics`, so both show the
/// same figures for the same options. The margin comes from the log's cost column when it has
/// one, else from `options.margin_rate`.
///
/// Left out (`omitted` set, no error) when neither gives a margin (the reason names
/// `prefix` + "margin-rate", or "margin_rate" for an empty prefix, Python's keyword) or the log
/// is too short: fewer than two complete periods of `options.period_days`, or no customer active
/// before the latest period (the core's reason). Invalid options (a period outside 1..36600, a
/// margin rate outside [0, 1], a negative spend) throw as `log_retention_economics` throws them.
///
/// Example: a log of 2020-01-01..2021-12-31 with a cost column gives two periods of 365 days
/// and `margin_source == "cost column"`; a log of 300 days gives `omitted` == "period_days: the
/// log covers 300 days up to its end, fewer than two complete periods of 365 days".
report_economics report_economics_of(const transaction_log& log,
                                     const log_economics_options& options,
                                     std::string_view prefix = "--");

/// The report's loyalty-programme evaluation (issue 14), present when a members table is given.
struct report_programme {
    std::optional<programme_result> result; ///< none: `omitted` says why
    std::string omitted;                    ///< why there is no result
};

/// The programme evaluation of `members` in `log` for the report: `evaluate_programme` with the
/// defaults of `custometrics programme` (180 days before and after joining, caliper 0.5, 1,000
/// bootstrap resamples, seed 42, no programme costs) and `margin_rate` for a log without a cost
/// column. Left out with the reason when neither gives a margin or when no member can be
/// evaluated (the core's reason, with the counts by reason); other errors (a member listed
/// twice) throw.
///
/// Example: members who buy 30% more often after joining give `result->frequency.relative`
/// of about 0.3 (tests/cpp/test_report_economics.cpp).
report_programme report_programme_of(const transaction_log& log,
                                     std::span<const programme_member> members,
                                     std::optional<double> margin_rate,
                                     std::string_view prefix = "--");

/// What the report covers beyond the log itself.
struct report_options {
    std::string source;                          ///< names the input ("log.csv", "sample ...")
    std::optional<double> fixed_costs_per_month; ///< adds the break-even section
    std::optional<signal_file> signals;          ///< survey and behaviour signals (loyalty.hpp)
    std::optional<profitability_config> costs;   ///< cost rates for the profitability section
    /// ISO 4217 code of the amounts ("EUR", "usd"); empty: plain numbers. Text and HTML only:
    /// the JSON's numbers carry none (see output::money_style_of).
    std::string currency;
    /// The language of the text and HTML report (section titles, sentences, labels): English
    /// or German (the article's terms); JSON keys stay English.
    output::language lang = output::language::en;
    /// The conventions of numbers and prose dates in the text and HTML report (German:
    /// 1.234,56, 12,3 %, 01.03.2024); none: those of `lang`. The JSON's numbers follow none.
    std::optional<output::number_locale> locale;
    /// Segments with attractiveness and strength criteria: adds the matrix section.
    std::optional<criteria_table> criteria;
    /// The retention economics section's options: those of `custometrics retention-economics`
    /// (its margin rate also serves the programme section).
    log_economics_options economics;
    /// Loyalty-programme members with their joining dates: adds the programme section.
    std::optional<std::vector<programme_member>> members;
    /// Put before option names in the sections' reasons: "--" (CLI), "" (Python).
    std::string prefix = "--";
};

/// The whole report of a log, computed once: the overview, the summary in days (for the RFM
/// section), the retention overview, the break-even over time and the critical volume (with
/// fixed costs and a cost column), and the loyalty and profitability sections. The writers of
/// custometrics/output/report.hpp print it as text, JSON or an HTML page, so every face shows
/// the same figures.
struct sales_report {
    std::string source;
    output::formatter format; ///< currency, language and locale of the text and HTML writers
    customer_summary summary; ///< per customer, periods of one day
    key_index customer_keys;  ///< the log's customer keys (the summary's ids index them)
    sales_overview overview;
    report_model_choice model_choice;    ///< how the retention model was chosen
    retention_overview_result retention; ///< of the chosen model
    report_retention_detail retention_detail;
    std::optional<double> fixed_costs_per_month;
    std::optional<break_even_over_time_result> break_even; ///< none without a cost column
    std::optional<critical_volume_result> critical;        ///< with break_even: volume per month
    output::loyalty_report_section loyalty;
    rfm_result rfm;                ///< the default map, 5 bins, of `summary` (days)
    segment_profiles rfm_profiles; ///< its segments' counts, revenue and means
    std::optional<report_period_change> period_change; ///< none: the log is too short
    std::optional<report_matrix> matrix;               ///< with `report_options::criteria`
    report_economics economics;                        ///< the +5% and 8x of the article
    std::optional<report_programme> programme;         ///< with `report_options::members`

    /// The rows and customers the report leaves out, with reasons (left_out.hpp): the customers
    /// whose rows are all returns, which have no purchase and so no place in the per-customer
    /// figures (the summary's list; the report reads the whole log, so no row is left out).
    /// `custometrics report --rejected FILE` writes them (output/left_out.hpp).
    /// Example: a log with A 10 and B -5 leaves out customer B (only_returns, value -5).
    std::span<const left_out_item> left_out() const noexcept { return summary.left_out; }
};

/// The report of `log`. Throws `invalid_argument` ("report") when the log has no rows,
/// ("currency") for a currency that is not three letters, and the errors of the sections' core
/// functions (an invalid log, bad signals). A `data_error` about a row of a log read from a file
/// names the file (`options.source`) and the row's line (`naming_line`, csv.hpp):
/// `log.csv:3: revenue: row 1 (customer "A"): ...`; a generated log has no lines to name.
///
/// Example: `output::write_text(std::cout, build_report(log, {.source = "log.csv"}))`.
sales_report build_report(const transaction_log& log, const report_options& options);

/// What a face passes for a report besides the log: the options as given (numbers, words)
/// and the side files by path (empty: none).
struct report_request {
    std::string source;                          ///< names the input
    std::optional<double> fixed_costs_per_month; ///< adds the break-even section
    std::string signals;                         ///< per-customer signals CSV (loyalty section)
    std::string costs;    ///< cost-rate JSON (profitability section, with a cost column)
    std::string criteria; ///< criteria CSV with strength criteria (matrix section)
    std::string members;  ///< members CSV, customer_id and joined (programme section)
    /// The retention economics section's options, as `retention-economics` takes them.
    log_economics_options economics;
    std::string currency; ///< ISO 4217 code or empty
    std::string lang = "en";
    std::string locale; ///< "en", "de" or empty (follows `lang`)
    /// Put before the option names in errors: "--" for the CLI ("--costs"), "" for Python.
    std::string prefix = "--";
};

/// The report options of `request` for `log`, reading the side files as every face does: the
/// signals CSV (loyalty.hpp `read_signal_file`, keyed by the log's customers), the cost-rate
/// JSON (read only when the log has a cost column, which its section needs) and the criteria
/// CSV (criteria_table.hpp `read_criteria_table`), the members CSV (programme.hpp
/// `read_programme_members`, the reader of `custometrics programme`); `lang` parsed by
/// `output::parse_language`, `locale` (when given) by `output::parse_locale`; the retention
/// economics options and `prefix` passed on as they are. Errors name the option (prefix +
/// "costs", "criteria", "members", "lang", "locale") or the file, its line and column.
/// Example: `build_report(log, read_report_inputs(log, {.source = "log.csv", .costs =
/// "costs.json"}))`.
report_options read_report_inputs(const transaction_log& log, const report_request& request);

/// The report of `log` for `request`: `build_report(log, read_report_inputs(log, request))`,
/// the one call of every face. Throws what the two throw.
/// Example: `build_report(log, report_request{.source = "log.csv", .lang = "de"})`.
sales_report build_report(const transaction_log& log, const report_request& request);

/// An owning copy of the rows `view` shows, to report on columns (the Python face's data
/// frames): customer ids and keys, amounts, costs and quantities copied, times in whole
/// seconds (`transaction_view::seconds`: rounded down), no order column. Example:
/// `build_report(owning_log(view), options)`.
transaction_log owning_log(const transaction_view& view);

/// A generated log to report on and the line that names it (`report_options::source`).
struct report_sample {
    transaction_log log;
    std::string source;
};

/// The log `custometrics report` and Python's `custometrics.report()` cover when given none:
/// `customers` customers drawn from `seed`, every other parameter the generator's default
/// (generate.hpp). Example: generate_report_sample(300, 1).source == "generated sample (300
/// customers, seed 1)".
report_sample generate_report_sample(std::size_t customers, std::uint64_t seed);

CUSTOMETRICS_END_NAMESPACE
