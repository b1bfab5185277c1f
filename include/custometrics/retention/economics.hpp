// Retention economics: the lifetime value of a customer at a constant retention rate, and what
// a change of k percentage points of retention does to it and to the customer base (the
// "5% more retention, up to twice the profit" question of Reichheld & Sasser 1990).
//
// Lifetime value. A customer brings a margin m per period and stays from one period to the next
// with probability r (retention rate); cash flows are discounted at d per period. With the
// margin at the *start* of each period (the customer pays for the period it begins, as in a
// subscription; the first margin is now),
//     CLV = sum_{t>=0} m r^t / (1+d)^t = m (1 + d)/(1 + d - r);
// with the margin at the *end* of each period, only if the customer is retained (Gupta &
// Lehmann 2003, "Customers as assets", Journal of Interactive Marketing 17(1), 9-24: the
// "margin multiple" r/(1 + d - r), e.g. 2.5 at r = 80%, d = 12%),
//     CLV = sum_{t>=1} m r^t / (1+d)^t = m r/(1 + d - r).
// Both need 1 + d - r > 0 (r <= 1, d >= 0 with r = 1 requiring d > 0).
//
// The customer base. Today's `customers` are worth customers x CLV. When `new_customers`
// join at the start of every future period (one period apart, the first one period from now)
// at an `acquisition_cost` each, the future cohorts add new x (CLV - cost)/d (a perpetuity; needs
// d > 0): the customer equity of Gupta, Lehmann & Stuart (2004, "Valuing customers", JMR
// 41(1)). In the steady state of that flow the firm has new/(1 - r) customers (each cohort
// r^t of its size t periods after joining), and earns per period
//     profit = m new/(1 - r) - cost new     (r < 1),
// the figure behind Reichheld's claim: from r = 80% to 85% the steady-state base grows by a
// third (5 -> 6.67 cohorts).
//
// `retention_uplift` evaluates a scenario at r and at r + points/100 and reports both with the
// relative changes (after/before - 1), each absent (std::nullopt) when the "before" value is 0
// or the figure is not defined (no new customers: no steady state).
//
// Errors. Non-finite input, r outside [0, 1], d < 0, 1 + d - r <= 0, r + points/100 outside
// [0, 1], negative customer counts or costs, or new customers with d = 0 throw
// `invalid_argument` naming the argument and the value.
//
// Example:
//     double clv = retention_lifetime_value(100, 0.8, 0.1);          // 100 * 1.1 / 0.3 = 366.7
//     retention_base base;
//     base.customers = 10000;
//     const retention_change c = retention_uplift(100, 0.8, 0.1, 5, base);
//     // c.lifetime_value_change = 0.2 (440 / 366.67 - 1)
#pragma once

#include "custometrics/config.hpp"

#include <optional>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE

/// When the margin of a period is earned (see the file comment).
enum class margin_timing { start_of_period, end_of_period };

/// The timing named "start" or "end" (of the period); `invalid_argument` naming `argument`
/// otherwise, e.g. "timing: expected 'start' or 'end', got 'middle'".
margin_timing parse_margin_timing(std::string_view name, std::string_view argument = "timing");

/// The name `parse_margin_timing` reads: "start" or "end".
const char* to_string(margin_timing timing) noexcept;

/// CLV / m: (1 + d)/(1 + d - r) at the start of periods, r/(1 + d - r) at their end.
double margin_multiple(double retention_rate, double discount_rate,
                       margin_timing timing = margin_timing::start_of_period);

/// Lifetime value of a customer: margin x margin multiple.
double retention_lifetime_value(double margin, double retention_rate, double discount_rate,
                                margin_timing timing = margin_timing::start_of_period);

/// The customer base of a retention scenario.
struct retention_base {
    double customers = 0;        ///< customers today
    double new_customers = 0;    ///< joining at the start of every future period
    double acquisition_cost = 0; ///< per new customer
};

/// The figures of one retention rate.
struct retention_scenario {
    double retention_rate = 0;
    double lifetime_value = 0;                    ///< per customer
    double base_value = 0;                        ///< today's customers + future cohorts
    std::optional<double> steady_state_customers; ///< new/(1 - r); only with new customers
    std::optional<double> steady_state_profit;    ///< per period; only with new customers
};

/// A retention scenario before and after +points percentage points, with relative changes.
struct retention_change {
    retention_scenario before;
    retention_scenario after;
    std::optional<double> lifetime_value_change; ///< after/before - 1
    std::optional<double> base_value_change;
    std::optional<double> steady_state_profit_change;
};

/// The scenario at `retention_rate` (see the file comment).
retention_scenario retention_scenario_at(double margin, double retention_rate, double discount_rate,
                                         const retention_base& base = {},
                                         margin_timing timing = margin_timing::start_of_period);

/// What `points` percentage points more retention (negative: less) do to lifetime value, the
/// value of the base and its steady-state profit.
retention_change retention_uplift(double margin, double retention_rate, double discount_rate,
                                  double points, const retention_base& base = {},
                                  margin_timing timing = margin_timing::start_of_period);

namespace detail {

/// The relative change `after / before - 1`; absent when `before` is 0 (no change can be
/// stated). Example: relative(366.67, 440) = 0.2.
std::optional<double> relative(double before, double after);

/// Whether the lifetime value at retention rate `r` and discount rate `d` is finite: 1 + d - r
/// > 0 (the condition `margin_multiple` checks; false for r = 1 with d = 0, and for NaN).
bool finite_lifetime(double r, double d) noexcept;

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
