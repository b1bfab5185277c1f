// Text and JSON writers of the retention economics from the log (retention/log_economics.hpp):
// the output of `custometrics retention-economics`, shared with Python's
// `log_retention_economics`.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/retention/log_economics.hpp"

#include <iosfwd>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The result as members of the current JSON object.
///
/// Members: `design` {period_days, horizon, uplift, discount_rate, timing ("start" | "end"),
/// margin_from_cost, margin_rate}, `rows` {in, used, before_first_period, after_end},
/// `customers`, `periods` (oldest first: start, end (dates), active, retained, new_customers,
/// revenue, margin, retention_rate or null), `retention` {rate, ci_low, ci_high, retained, base},
/// `per_customer` {revenue, margin}, `customers_now`, `new_customers_per_period`, `scenarios`
/// (name, retention_rate, capped, lifetime_value, revenue, margin, revenue_change,
/// margin_change, lifetime_value_change, projection [{period, customers, revenue, margin}];
/// absent figures are null), `spend` (null, or acquisition_spend, retention_spend, spend_ratio,
/// article_spend_ratio, cost_per_new_customer, cost_per_retained_customer, cost_ratio,
/// extra_retained, break_even_retention_spend, extra_retained_value).
/// Example: `"retention": {"rate": 0.41, "ci_low": 0.39, ...}`.
void write_json(detail::json_writer& w, const log_economics_result& r);

/// The result as text: the measured retention with its interval, the figures per customer, a
/// table of the periods, the three scenarios over the horizon with their change against the
/// observed rate (the article's "+5% -> up to +100%"), and acquisition against retention spend
/// (the article's "8x"). Example first line: "Retention economics (periods of 365 days)".
void write_text(std::ostream& out, const log_economics_result& r);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
