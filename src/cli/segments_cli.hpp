// The `custometrics rfm`, `custometrics segments` and `custometrics attractiveness` subcommands
// and the RFM section of `custometrics report`.
//
// rfm FILE.csv [--analysis-date DATE] [--bins 5] [--ties grouped|first] [--map FILE]
//     [--fm separate|combined] --out rfm.csv: per customer
//     `customer_id,recency,frequency,monetary,r_score,f_score,m_score,segment` (recency in days
//     to the analysis date, frequency = orders, monetary = net revenue; rfm.hpp); text or JSON:
//     counts and profiles per segment, bin and map warnings. --criteria-out FILE (rfm and
//     segments) writes the data-derived criteria of each non-empty segment in the criteria
//     format below (customers, revenue, margin with a cost column, repeat rate, mean R, F, M;
//     recency less is better), to be edited (user criteria, axis, weights) and scored.
// segments FILE.csv (--k K | --auto-k [--k-min 2 --k-max 10]) [--seed S] [--n-init 10]
//     --out clusters.csv: k-means on log1p-then-standardised recency, frequency and monetary
//     (clustering.hpp); rows `customer_id,recency,frequency,monetary,cluster`; JSON: k,
//     inertia, silhouette, the centres in the units of the data, a profile per cluster and,
//     with --auto-k, the silhouette and inertia of every k tried. Monetary must be >= 0 there
//     (log scaling): a customer whose returns exceed purchases is an error naming the customer.
// attractiveness --criteria FILE.csv [--weights FILE | --pairwise FILE] [--accept-inconsistent]
//     [--low-cut 1/3 --high-cut 2/3] [--min-score X] [--max-rank N] [--zone Z]...
//     [--at-least NAME=X]... [--at-most NAME=X]... [--assignments FILE.csv --targets-out FILE]
//   The criteria file (CSV read by the one side-file reader, csv_table.hpp: fields in double
//   quotes may hold commas, spaces around fields trimmed, blank lines and lines starting with '#'
//   skipped; a segment named twice is an error):
//       segment,size,growth,competition,share
//       direction,more,more,less,more                  optional: more (default) or less
//       normalisation,min_max,min_max,rank,min_max     optional: min_max (default), z_score, rank
//       axis,attractiveness,attractiveness,attractiveness,strength
//                                                      optional: attractiveness (default) or
//                                                      strength (the company's position)
//       weight,2,1,1,1                                 optional: default equal weights per axis
//       Champions,1200,0.10,5,0.3                      one row per segment
//   The first column names the segments; the rows named direction, normalisation, axis and
//   weight (before the first segment) describe the criteria, so those four names cannot be
//   segments. --weights FILE (`criterion,weight` per line, optional header `criterion,weight`) or
//   --pairwise FILE (a square matrix: header `criterion,NAME1,NAME2,...`, then one row per
//   criterion in the same order) replace the weights of the attractiveness criteria; the
//   pairwise matrix gives them by AHP with its consistency ratio. When strength criteria
//   exist, each segment is placed in the nine-cell matrix (cell "high/medium" = attractiveness
//   level / strength level, and its zone). --min-score, --max-rank, --zone and the bounds on raw
//   criterion values (--at-least size=500, --at-most competition=2) select target segments; with
//   --assignments (a CSV with `customer_id` and a `segment` or `cluster` column, such as the --out
//   of rfm or segments) the customers of the target segments are written to
//   --targets-out.
#pragma once

#include "custometrics/csv.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/summary.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
} // namespace CLI

namespace custometrics::cli {

/// The options of `custometrics rfm`.
struct rfm_cli_options {
    std::string file, analysis_date, map_file, out, criteria_out, ties = "grouped", fm = "separate";
    unsigned bins = 5;
    void add_to(CLI::App& app);
};

/// The options of `custometrics segments`.
struct segments_cli_options {
    std::string file, analysis_date, out, criteria_out;
    std::size_t k = 0;
    bool auto_k = false;
    std::size_t k_min = 2, k_max = 10;
    std::uint64_t seed = 0;
    unsigned n_init = 10;
    void add_to(CLI::App& app);
};

/// The options of `custometrics attractiveness`.
struct attractiveness_cli_options {
    std::string criteria_file, weights_file, pairwise_file, assignments_file, targets_out;
    bool accept_inconsistent = false;
    double low_cut = 1.0 / 3.0, high_cut = 2.0 / 3.0;
    std::optional<double> min_score;
    std::optional<std::size_t> max_rank;
    std::vector<std::string> zones, at_least, at_most;
    void add_to(CLI::App& app);
};

/// Runs `custometrics rfm` on the log read with `columns`.
void print_rfm(std::ostream& out, const rfm_cli_options& options, const csv_columns& columns,
               bool json);
/// Runs `custometrics segments` on the log read with `columns`.
void print_segments(std::ostream& out, const segments_cli_options& options,
                    const csv_columns& columns, bool json);
/// Runs `custometrics attractiveness`.
void print_attractiveness(std::ostream& out, const attractiveness_cli_options& options, bool json);

/// The "RFM segments" lines of `custometrics report` (default map, 5 bins, days).
void report_rfm_text(std::ostream& out, const customer_summary& summary);
/// The same as an `"rfm"` member of the report's JSON object.
void report_rfm_json(detail::json_writer& w, const customer_summary& summary);

} // namespace custometrics::cli
