// Text and JSON writers of the break-even results (break_even.hpp): the output of
// `custometrics break-even` in its three forms and the break-even section of the report.
#pragma once

#include "custometrics/break_even.hpp"
#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/output/format.hpp"

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The single-product figures (`break_even_analysis_result::figures`) as members of the current
/// JSON object, in their order, null for a figure that does not exist (`figure_notes` says why).
/// Example: `"contribution_margin": 20, ..., "break_even_units": 2000, ...`.
void write_json(detail::json_writer& w, const break_even_analysis_result& a);

/// Why the figures written as null by `write_json` are null: the break-even's reason, or the
/// target's ("target_units: ..."), and the operating leverage's ("operating_leverage: ...").
std::vector<std::string> figure_notes(const break_even_analysis_result& a);

/// The single-product analysis as text: contribution margin, break-even (or why none), target
/// profit (before and, with a tax rate, after tax), margin of safety with the operating
/// leverage, and the cash break-even, each when its input was given.
/// Example line: "  break-even           2000.00 units, revenue 100000.00".
void write_text(std::ostream& out, const break_even_analysis_result& a);

/// A sales mix's break-even as members of the current JSON object: fixed_costs, mix_basis,
/// the weighted contribution margin and its ratio, average_price, defined (reason), the
/// break-even units and revenue (null when not defined) and `products`, one object per product
/// (product, unit_share, revenue_share, break_even_units, break_even_revenue).
void write_json(detail::json_writer& w, const mix_break_even& r,
                std::span<const std::string> product, double fixed_costs, mix_basis basis);

/// A sales mix's break-even as text, with the units and revenue per product; `source` names
/// the mix (a file name).
void write_text(std::ostream& out, const mix_break_even& r, std::span<const std::string> product,
                std::string_view source, mix_basis basis);

/// The break-even over time as members of the current JSON object: first_month, last_month,
/// the final cumulative revenue and cost, reached, break_even_date/time/month (date null and
/// remaining_gap and reason when not reached) and `months` (month, cumulative revenue and cost).
void write_json(detail::json_writer& w, const break_even_over_time_result& r);

/// The break-even over time as text lines, each starting with `indent`: months, cumulative
/// revenue and cost, and the break-even date (interpolated within its month) or the gap left;
/// numbers and labels in the style of `fm` (the report passes its own; default plain).
void write_text(std::ostream& out, const break_even_over_time_result& r, std::string_view indent,
                const formatter& fm = {});

/// The series of the report's "Break-even" section: `break_even_over_time` of `log` by calendar
/// month with `fixed_costs_per_month`, or none when the log has no cost column.
std::optional<break_even_over_time_result> report_break_even_series(const transaction_log& log,
                                                                    double fixed_costs_per_month);

/// The text of `custometrics break-even --log`: a heading naming `source` (the log) and the
/// fixed costs per month, then the lines of `write_text(out, r, "  ")`.
void write_text(std::ostream& out, const break_even_over_time_result& r, std::string_view source,
                double fixed_costs_per_month);

/// The critical volume as members of the current JSON object: months, revenue_per_month,
/// variable_cost_per_month, units_per_month (null without units), contribution_margin_ratio,
/// defined (and reason when not), break_even_units_per_month (null without units),
/// break_even_revenue_per_month, margin_of_safety_per_month (revenue),
/// margin_of_safety_units_per_month (null without units) and margin_of_safety_share (0.25 for
/// 25%); the figures null when not defined.
/// Example: `"break_even_revenue_per_month": 7500, "margin_of_safety_per_month": 2500,
/// "margin_of_safety_share": 0.25`.
void write_json(detail::json_writer& w, const critical_volume_result& r);

/// The critical volume as two text lines, each starting with `indent`: the break-even revenue a
/// month (units too, when known) at the contribution margin ratio, and the margin of safety a
/// month with its share of sales; one line with the reason when not defined. Amounts and
/// labels in the style of `fm` (default plain: the `break-even` command's).
/// Example: "  critical volume      7,500.00 revenue a month (contribution margin 40.0%)".
void write_text(std::ostream& out, const critical_volume_result& r, std::string_view indent,
                const formatter& fm = {});

/// The "Break-even" section of the report as text: a blank line, the heading with the fixed
/// costs per month, the series and the critical volume (none: skipped, the log has no cost
/// column), numbers and words in the report's style `fm` (the plain one for `formatter{}`).
void report_break_even_text(std::ostream& out, const std::optional<break_even_over_time_result>& r,
                            double fixed_costs_per_month,
                            const std::optional<critical_volume_result>& critical,
                            const formatter& fm);

/// The same as the `"break_even"` member of the report's JSON object, the critical volume as its
/// member `critical_volume`.
void report_break_even_json(detail::json_writer& w,
                            const std::optional<break_even_over_time_result>& r,
                            double fixed_costs_per_month,
                            const std::optional<critical_volume_result>& critical = std::nullopt);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
