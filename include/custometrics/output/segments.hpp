// Writers of the segmentation results: segment profiles, the per-customer RFM and cluster
// tables, the criteria CSV of the profiles, the attractiveness analysis, and the RFM section of
// the report. The command-line tool (`rfm`, `segments`, `attractiveness`, `report`) prints
// with them; the Python package and the HTML report reach the same text.
//
// Formats:
// - Profiles, text (`write_text(out, profiles, indent)`): a header line and one line per
//   non-empty segment, columns `segment` (20 wide, left), `customers` (thousands separators),
//   `share` (of customers, one decimal), `revenue` (share of revenue, "n/a" when the total is
//   <= 0), `recency` (mean, 1 decimal), `frequency` (mean, 2 decimals), `monetary` (mean money).
// - Profiles, JSON (`write_json(w, profiles)`): an array with one object per segment, empty ones
//   included: `segment, customers, customer_share, revenue, revenue_share` (+ `profit,
//   profit_share` with profit), `mean_recency, mean_frequency, mean_monetary, repeat_rate` (+
//   `margin`); a figure that does not exist is null.
// - Criteria CSV (`write_criteria_csv`): the criteria file of criteria_table.hpp for the
//   non-empty segments: `segment,customers,revenue[,margin],repeat_rate,mean_recency,
//   mean_frequency,mean_monetary`, a `direction` row (recency less is better, the rest more),
//   numbers in their shortest round-trip form; a segment without revenue has margin 0.
// - RFM per customer (`write_csv(out, rfm_result, summary, keys)`): `customer_id,recency,
//   frequency,monetary,r_score,f_score,m_score,segment`, one row per summary row.
// - Clusters per customer (`write_csv(out, rfm_clusters, summary, keys)`): `customer_id,
//   recency,frequency,monetary,cluster`.
// - RFM, JSON (`write_json(w, rfm_result, profiles)`): the members `customers,
//   customers_left_out, left_out_reason` (customers without a purchase row, not scored),
//   `analysis_date, bins, ties, fm, counts` (customers per segment of the map, "Unclassified"
//   last), `unclassified, segments` (profiles), `map_warnings, bin_warnings`, written into an
//   object the caller has opened (the command-line tool puts `out` first).
// - RFM, text (`write_text(out, rfm_result, profiles)`): the profiles, then the warnings (bins
//   and map) under a `warnings` line, each indented by two spaces.
// - Clusters, JSON (`write_json(w, rfm_clusters)`): members `customers, customers_left_out,
//   left_out_reason, analysis_date, features,
//   k, inertia, iterations, converged, silhouette, silhouette_points, centres` (recency,
//   frequency, monetary in the units of the data), `segments` (profiles) and, when k was
//   chosen, `k_table` (k, silhouette, inertia per k), into an open object.
// - Attractiveness, JSON (`write_json(w, attractiveness_analysis)`): members `weights` (by
//   criterion), with AHP `consistency_ratio, consistency_index, lambda_max`, `segments` (best
//   first: segment, score, rank and, with strength criteria, strength, cell "high/low", zone,
//   else cell and zone null), `sensitivity` (per criterion: weight, down and up as {weight,
//   new_top} or null) and, when target rules were given, `targets`, into an open object.
// - Attractiveness, text (`write_text(out, attractiveness_analysis)`): the AHP consistency
//   ratio, the weights, the table rank/segment/score/strength/cell/zone best first ("-" without
//   strength criteria) and, when target rules were given, the target segments.
// - Report (`report_rfm_json`): the default map, 5 bins, days: an `"rfm"` member
//   {analysis_date, unclassified, segments} (the text report prints the page's segment
//   section, output/report.hpp).
//
// Example:
//     rfm_result r = rfm_from_summary(summary);
//     output::write_text(std::cout, r, profile_rfm_segments(r, summary));
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/criteria_table.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/segments.hpp"
#include "custometrics/summary.hpp"

#include <iosfwd>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The profiles as a JSON array of objects, one per segment (format above).
void write_json(detail::json_writer& w, const segment_profiles& profiles);
/// The profiles of the non-empty segments as a text table, each line starting with `indent`.
void write_text(std::ostream& out, const segment_profiles& profiles, std::string_view indent = "");
/// The profiles of the non-empty segments as a criteria file for `read_criteria_table`.
void write_criteria_csv(std::ostream& out, const segment_profiles& profiles);

/// The scores and segment of every customer of `summary` (the summary `r` was made from), the
/// customers named by `keys`.
void write_csv(std::ostream& out, const rfm_result& r, const customer_summary& summary,
               const key_index& keys);
/// The members of an RFM result's JSON object (format above).
void write_json(detail::json_writer& w, const rfm_result& r, const segment_profiles& profiles);
/// The profiles and warnings of an RFM result.
void write_text(std::ostream& out, const rfm_result& r, const segment_profiles& profiles);
/// The note on the customers of `v` left out (no purchase row): empty when none, else e.g.
/// "; 1 customer left out: no purchase row (only returns)", for a face's summary line.
std::string left_out_note(const rfm_values& v);

/// The RFM values and cluster of every customer of `summary`, named by `keys`.
void write_csv(std::ostream& out, const rfm_clusters& c, const customer_summary& summary,
               const key_index& keys);
/// The members of a clustering's JSON object (format above).
void write_json(detail::json_writer& w, const rfm_clusters& c);

/// The members of an attractiveness analysis's JSON object (format above).
void write_json(detail::json_writer& w, const attractiveness_analysis& a);
/// The weights, ranks, matrix cells and targets of an attractiveness analysis as text.
void write_text(std::ostream& out, const attractiveness_analysis& a);
/// The customers of `rows` as `customer_id,segment` lines, with the header.
void write_csv(std::ostream& out, const segment_assignments& a, std::span<const std::size_t> rows);

/// The report's RFM segments, `r` and its `profiles` (default map, 5 bins, days), as an `"rfm"`
/// member of the report's JSON object.
void report_rfm_json(detail::json_writer& w, const rfm_result& r, const segment_profiles& profiles);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
