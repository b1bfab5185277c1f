// Retention economics from the log: the retention rate and the margin per customer measured in
// the user's own transactions, then the article's two claims worked out on them:
//   "Eine Steigerung der Anzahl treuer Kunden um 5 % kann zu einer Umsatzsteigerung von bis zu
//    100 % führen" (five percent more loyal customers can raise revenue by up to 100%), and
//   "deutsche Unternehmen [geben] 8-mal mehr Geld für die Gewinnung neuer Kunden aus [...] als
//    für die Motivation zum Wiederkauf" (eight times more spent on acquiring than on keeping).
// Reichheld & Sasser (1990, "Zero defections", HBR 68(5)) is the published source of the first:
// 5 points more retention raised profit by 25-95% in their cases; "up to 100%" is a ceiling,
// reached only when retention is already high. This module shows what 5 more means for the
// user's own rate, both as five percentage points (r + 0.05) and as five percent (r x 1.05).
//
// Periods. The log is cut into complete periods of `period_days` days counted back from the
// end (default: midnight after the day of the last row; `end` sets it): period k = [end - (k+1)
// P, end - k P). Rows before the oldest complete period (an incomplete head) and rows at or
// after `end` are left out of the figures and counted; the head still tells whether a customer
// bought before (so is not new). At least two complete periods are needed.
//
// Per period: `active` customers (a row with a positive amount in the period), `retained` (active
// in this period and in the one before), `new_customers` (first purchase of the whole log in
// this period), revenue (net amounts, returns included) and margin (amount - cost with the log's
// cost column, else margin_rate x amount).
//
// Estimates (pooled over the periods, each customer-period one observation):
//     retention rate r          = sum retained / sum active of the period before
//                                 (over every pair of consecutive periods), with a Wilson
//                                 interval at 95% (customer-periods taken as independent)
//     revenue, margin per customer = sum over periods / sum of active customers
//     new customers per period  = mean over every period but the oldest (in the oldest, a
//                                 customer who bought before the log would look new)
// The period-to-period repeat rate is the usual measure of retention in non-contractual
// settings (Berger & Nasr 1998, "Customer lifetime value: marketing models and applications",
// J. Interactive Marketing 12(1), case 1); the purchase models (retention.hpp) give a
// customer-level alternative.
//
// Projection over `horizon` periods for a retention rate q (observed r, r + uplift/100, r x (1 +
// uplift/100); a rate above 1 is capped at 1 and flagged). With N the active customers of the
// latest period and n the new customers per period (joining at the start of each period):
//     customers_t = N q^t + n (1 + q + ... + q^(t-1)),   t = 1..horizon
//     revenue_t   = customers_t x revenue per customer, margin_t likewise.
// The totals over the horizon and their change against the observed rate answer "what would 5
// more do to revenue". The lifetime value of a customer at q is the margin per customer x the
// margin multiple of economics.hpp (discount_rate per period; absent when q = 1 and d = 0).
//
// Acquisition against retention (when `acquisition_spend` and/or `retention_spend`, the money
// spent per period on winning new customers and on keeping existing ones, are given):
//     spend_ratio                 = acquisition / retention spend (the article's figure: 8)
//     cost_per_new_customer       = acquisition spend / new customers per period
//     cost_per_retained_customer  = retention spend / retained customers per period
//     cost_ratio                  = cost per new / cost per retained customer
//     extra_retained              = N x (r + uplift/100 - r): customers the "+points" scenario
//                                   keeps in its first period beyond the observed rate
//     break_even_retention_spend  = extra_retained x cost_per_new_customer: extra retention
//                                   spend per period up to which keeping those customers costs
//                                   no more than winning as many new ones
//     extra_retained_value        = extra_retained x lifetime value at r + uplift/100: what
//                                   they are worth (the most the uplift can be worth per period)
//
// Errors (invalid_argument naming the argument): an empty log, period_days outside
// 1..36600, horizon outside 1..100, uplift not finite or <= 0, discount_rate < 0, spends < 0 or
// not finite, no cost column and no margin_rate in [0, 1], fewer than two complete periods or
// more than 100,000, an `end` on or before the log's first day or more than one period after
// its last row (a latest period with no row would make every customer look lost), no active
// customer in the periods before the latest.
//
// Example:
//     log_economics_options o;
//     o.margin_rate = 0.3;
//     const log_economics_result r = log_retention_economics(log.view(), o);
//     // r.retention_rate, r.scenarios[1].revenue_change ("+5 points"), ...
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/economics.hpp"
#include "custometrics/transactions.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The settings of `log_retention_economics` (see the file comment).
struct log_economics_options {
    int period_days = 365;                   ///< length of a period in days
    std::optional<std::int64_t> end;         ///< end of the last period (seconds); default: the
                                             ///< midnight after the last row's day
    std::optional<double> margin_rate;       ///< margin share of the amount without a cost column
    double discount_rate = 0.1;              ///< per period, for the lifetime value
    double uplift = 5;                       ///< the "5" of "+5 points" and "+5 percent"
    int horizon = 5;                         ///< periods projected
    std::optional<double> acquisition_spend; ///< spent per period on winning new customers
    std::optional<double> retention_spend;   ///< spent per period on keeping customers
    margin_timing timing = margin_timing::start_of_period; ///< of the lifetime value
};

/// One complete period of the log.
struct economics_period {
    std::int64_t start = 0;        ///< seconds, inclusive
    std::int64_t end = 0;          ///< seconds, exclusive
    std::size_t active = 0;        ///< customers with a purchase in the period
    std::size_t retained = 0;      ///< of them, active in the period before too (0 for the oldest)
    std::size_t new_customers = 0; ///< first purchase of the log in the period
    double revenue = 0;            ///< net amounts of the period's rows
    double margin = 0;             ///< margins of the period's rows
    std::optional<double> retention_rate; ///< retained / active of the period before
};

/// Customers, revenue and margin of one projected period.
struct economics_projection_point {
    int period = 0; ///< 1..horizon
    double customers = 0;
    double revenue = 0;
    double margin = 0;
};

/// The projection at one retention rate.
struct economics_scenario {
    std::string name;          ///< "observed", "+5 points", "+5 percent" (with the uplift)
    double retention_rate = 0; ///< after the cap
    bool capped = false;       ///< the uplifted rate was above 1 and set to 1
    std::optional<double> lifetime_value; ///< margin per customer x margin multiple
    std::vector<economics_projection_point> projection;
    double revenue = 0;                   ///< over the horizon
    double margin = 0;                    ///< over the horizon
    std::optional<double> revenue_change; ///< revenue / observed revenue - 1 (none for observed)
    std::optional<double> margin_change;
    std::optional<double> lifetime_value_change;
};

/// Acquisition against retention spend (present when either spend is given).
struct economics_spend {
    std::optional<double> acquisition_spend;
    std::optional<double> retention_spend;
    std::optional<double> spend_ratio;                ///< acquisition / retention spend
    std::optional<double> cost_per_new_customer;      ///< acquisition spend / new per period
    std::optional<double> cost_per_retained_customer; ///< retention spend / retained per period
    std::optional<double> cost_ratio;                 ///< cost per new / per retained customer
    double extra_retained = 0; ///< customers the "+points" scenario keeps in addition
    std::optional<double> break_even_retention_spend; ///< extra_retained x cost per new
    std::optional<double> extra_retained_value;       ///< extra_retained x lifetime value (+points)
};

/// The article's reference figure of acquisition against retention spend ("8-mal mehr").
inline constexpr double article_spend_ratio = 8;

/// Everything `log_retention_economics` measured and projected.
struct log_economics_result {
    int period_days = 0;
    int horizon = 0;
    double uplift = 0;
    double discount_rate = 0;
    margin_timing timing = margin_timing::start_of_period;
    bool margin_from_cost = false;         ///< margins from the cost column, else margin_rate
    double margin_rate = 0;                ///< used without a cost column (0 otherwise)
    std::vector<economics_period> periods; ///< oldest first
    std::size_t rows = 0;                  ///< rows of the log
    std::size_t rows_used = 0;             ///< rows inside the complete periods
    std::size_t rows_before = 0;           ///< rows before the oldest complete period
    std::size_t rows_after = 0;            ///< rows at or after the end
    std::size_t customers = 0;             ///< customers with a row in the log
    double retention_rate = 0;             ///< pooled, see the file comment
    double retention_ci_low = 0;           ///< Wilson 95%
    double retention_ci_high = 0;
    std::size_t retained = 0;        ///< numerator of the pooled rate
    std::size_t retention_base = 0;  ///< its denominator: active customers of earlier periods
    double revenue_per_customer = 0; ///< per active customer and period
    double margin_per_customer = 0;
    double customers_now = 0;                  ///< active customers of the latest period (N)
    double new_customers_per_period = 0;       ///< n
    std::vector<economics_scenario> scenarios; ///< observed, +points, +percent
    std::optional<economics_spend> spend;
    /// Customers the "+points" scenario keeps in addition, N x uplift/100 (also without spends;
    /// `spend->extra_retained` is the same number).
    double extra_retained = 0;
    /// extra_retained x the lifetime value at the "+points" rate (`spend->extra_retained_value`).
    std::optional<double> extra_retained_value;
};

/// Checks `options` as `log_retention_economics` does before it reads the log: throws
/// `invalid_argument` naming the option for a period_days outside 1..36600, a horizon outside
/// 1..100, an uplift that is not finite and > 0, a negative or non-finite discount rate or spend.
/// The report (report.hpp) calls it first, so a bad option is an error there too while a log too
/// short for the section only leaves the section out. Example: `period_days = 0` throws
/// ("period_days").
void check_log_economics_options(const log_economics_options& options);

/// Measures retention, margin and new customers per period in `log` and projects the
/// "+uplift points" and "+uplift percent" scenarios (see the file comment). Throws
/// `invalid_argument` naming the argument for bad options or too short a log.
log_economics_result log_retention_economics(const transaction_view& log,
                                             const log_economics_options& options = {});

CUSTOMETRICS_END_NAMESPACE
