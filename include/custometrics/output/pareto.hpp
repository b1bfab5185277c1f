// The text, CSV and JSON forms of the Pareto analysis of a log (pareto_log.hpp): the per-entity
// table, the figures, the whale curve and the period comparison, as `custometrics pareto`
// prints them.
//
// Classes are named A, B, C and "none" (not ranked: a total <= 0 under the default policy, or
// absent from a period). CSV numbers are in their shortest round-trip form; text uses the
// rounded forms of output/format.hpp.
//
// Example:
//     const log_pareto a = pareto_of_log(log, dimension::customer, measure::revenue);
//     output::write_text(std::cout, a, log.customer_keys, "revenue", "customer");
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/pareto_log.hpp"

#include <iosfwd>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The per-entity table as CSV: `key,value,rank,cum_share,class`, ranked entities first (rank
/// 1 = largest), then those not ranked (value <= 0) without rank or share, class "none".
/// `keys` are the keys of the dimension analysed.
void write_csv(std::ostream& out, const log_pareto& a, const key_index& keys);

/// The members of the analysis inside an open JSON object: defined (reason), n, total, gini,
/// gini_small_sample, entities_for_80pct, top20_share, classes, class_shares, not_ranked; then
/// `whale` and `comparison` (migration, entered_a, left_a, spearman or null, gini_before,
/// gini_change, entities_for_80pct_change, top20_share_change) when present.
void write_json(detail::json_writer& w, const log_pareto& a);

/// The analysis as text: a headline naming the measure and dimension, the figures (or why
/// they are not defined), the top 5 entities and their shares, the whale curve and the
/// comparison (class migration table, Spearman correlation, changes) when present.
void write_text(std::ostream& out, const log_pareto& a, const key_index& keys,
                std::string_view measure_name, std::string_view by_name);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
