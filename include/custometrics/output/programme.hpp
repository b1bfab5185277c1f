// Text and JSON writers of the loyalty-programme evaluation (programme.hpp): the output of
// `custometrics programme`, and the one writer Python's `evaluate_programme` shares with it.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/programme.hpp"

#include <iosfwd>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The evaluation as members of the current JSON object.
///
/// Members: `type` (identifier or null) and `type_name` (the article's German name or null),
/// `design` {pre_days, post_days, with_replacement, caliper, level, bootstrap, seed,
/// margin_from_cost, margin_rate, log_start, log_end (dates)}, `members`, `evaluated`,
/// `controls`, `candidates`, `excluded` (count per reason), `features` {members, controls:
/// recency_days, purchases, spend}, `mean_distance`, one object per outcome (`frequency`,
/// `spend`, `retention`, `margin`: member_pre, member_post, control_pre, control_post, effect,
/// relative or null, std_error, ci_low, ci_high), `economics` {incremental_margin and its
/// ci_low, ci_high, discount_cost, card_cost, fixed_cost, cost, net,
/// total_incremental_margin, total_cost} and `roi` {defined, value, ci_low, ci_high, resamples
/// | defined false, reason}. Example: `"frequency": {"effect": 0.21, ...}`.
void write_json(detail::json_writer& w, const programme_result& r);

/// The evaluation as text: the design, who was evaluated and who left out (by reason), the
/// pre-period balance, a table of the four outcomes (members and controls before and after,
/// the difference-in-differences with its interval) and the economics with the ROI.
/// Example first line: "Loyalty programme: Kundenkarte (customer_card)".
void write_text(std::ostream& out, const programme_result& r);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
