// The CSV and JSON forms of the per-customer summary (summary.hpp) that `custometrics
// summarize` writes and `fit`, `score` and `contacts` read back
// (custometrics/retention/summary_csv.hpp).
//
// Example:
//     const customer_summary s = summarize(log.view());
//     output::write_csv(std::cout, s, log.customer_keys);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/summary.hpp"

#include <iosfwd>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The summary as CSV, one row per customer: `customer_id,frequency,recency,T,monetary_value`
/// (with the suffix `_cal` and the columns `frequency_holdout,monetary_value_holdout,
/// duration_holdout` for a calibration summary), `revenue,returns` [`,profit`],
/// `n_purchases,n_returns,orders,first_purchase,last_purchase`, then the summary's time axis
/// and end as constant columns `time_unit,unit_scale,observation_end` [`,calibration_end`]: they
/// survive row filtering and any CSV tool. Numbers in their shortest round-trip form, times as
/// ISO dates (with the time of day when it is not midnight), empty when unknown. `keys` are the
/// log's customer keys.
void write_csv(std::ostream& out, const customer_summary& s, const key_index& keys);

/// The members of the summary's counts inside an open JSON object: rows_used,
/// rows_dropped_after_end, customers, customers_without_purchase, time_unit, unit_scale,
/// observation_end and, for a calibration summary, calibration_end and duration_holdout.
void write_json(detail::json_writer& w, const customer_summary& s);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
