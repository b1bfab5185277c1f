// The criteria table of segment attractiveness as a file: the segments' raw criteria with the
// direction, normalisation, axis and weight of each criterion, the weights and pairwise files
// that replace the weights, the segment assignment files that name each customer's segment, and
// the whole attractiveness analysis of such a table (scores, AHP, sensitivity, the nine-cell
// matrix, target segments) in one call.
//
// Every file comes through the one side-file reader (csv_table.hpp: fields in double quotes may
// hold commas, spaces around fields trimmed, blank lines and lines starting with '#' skipped,
// every row as long as the header). The readers take the `csv_table`; an error throws
// `parse_error` naming the file (`csv_table::source`), the line, the column and the value.
//
// Criteria file (`read_criteria_table`):
//     segment,size,growth,competition,share
//     direction,more,more,less,more                  optional: more (default) or less
//     normalisation,min_max,min_max,rank,min_max     optional: min_max (default), z_score, rank
//     axis,attractiveness,attractiveness,attractiveness,strength
//                                                    optional: attractiveness (default) or
//                                                    strength (the company's position)
//     weight,2,1,1,1                                 optional: default equal weights per axis
//     Champions,1200,0.10,5,0.3                      one row per segment
// The first column names the segments; the rows named direction, normalisation, axis and weight
// (before the first segment) describe the criteria, so those four names cannot be segments. A
// segment named twice, an empty segment name, an empty or repeated criterion name, a word that
// is not a direction, normalisation or axis and a field that is not a finite number are errors.
// `rfm --criteria-out` and `segments --criteria-out` write such files
// (output::write_criteria_csv).
//
// Weights file (`read_criterion_weights`): `criterion,weight` per line, optional header
// `criterion,weight`, one weight for every criterion of the axis, none twice. Pairwise file
// (`read_pairwise_matrix`): a square matrix with the header `criterion,NAME1,NAME2,...` and one
// row per criterion in the order of the header; returned in the order of the criteria given.
// Assignments file (`read_segment_assignments`): a `customer_id` column and a `segment` (or, when
// there is none, `cluster`) column, such as the `--out` of `rfm` or `segments`.
//
// Analysis (`analyse_attractiveness`): the attractiveness criteria are scored with their weights
// (or `weights`, or the AHP weights of `pairwise`), the sensitivity of each weight computed; when
// strength criteria exist they are scored with their own weights and each segment placed in the
// nine-cell matrix; the target rules then choose segments (attractiveness.hpp and segments.hpp
// give the definitions).
//
// Example:
//     csv_table t = read_csv_table("criteria.csv");
//     criteria_table c = read_criteria_table(t);
//     attractiveness_options o;
//     o.rules.min_score = 0.5;
//     attractiveness_analysis a = analyse_attractiveness(c, o);
//     // a.scores.order: best first; a.targets: segments with score >= 0.5, best first
#pragma once

#include "custometrics/attractiveness.hpp"
#include "custometrics/config.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/segments.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The criteria of one axis of a criteria table (attractiveness or strength).
struct criteria_axis {
    std::vector<criterion> criteria;  ///< the criteria of the axis, in file order
    std::vector<double> weight;       ///< their weights as given (default 1)
    std::vector<std::size_t> columns; ///< their columns in the whole table
    Eigen::MatrixXd raw;              ///< segments x criteria of the axis
};

/// A criteria table: raw criterion values per segment and the description of each criterion.
struct criteria_table {
    std::vector<std::string> segments; ///< segment names, in file order
    std::vector<criterion> criteria;   ///< per column: name, direction, normalisation
    std::vector<bool> strength;        ///< per column: on the strength axis
    std::vector<double> weight;        ///< per column, as given (default 1)
    Eigen::MatrixXd raw;               ///< segments x criteria

    /// The column of the criterion `name`, if there is one.
    std::optional<std::size_t> find(std::string_view name) const noexcept;
    /// The criteria on the strength axis (`strength` true) or the attractiveness axis.
    criteria_axis axis(bool strength) const;
};

/// Reads a criteria table (format above) from a CSV table read by `read_csv_table`.
///
/// Throws `parse_error` naming the file, line, column and value for a bad header, a bad
/// direction, normalisation or axis word, a description row after the first segment, an empty
/// or repeated segment name and a field that is not a finite number. Example: the file of the
/// header comment gives 1 segment, 4 criteria, `strength` {false, false, false, true}.
criteria_table read_criteria_table(const csv_table& table);

/// Reads a weights file (`criterion,weight` per line, header optional) for `criteria`.
///
/// Every criterion needs one weight; an unknown name (the message lists the criteria), a name
/// given twice or a weight that is not a finite number throws `parse_error`. The weights come
/// back in the order of `criteria`, as given (normalising is `score_segments`' work).
std::vector<double> read_criterion_weights(const csv_table& table,
                                           std::span<const criterion> criteria);

/// Reads a pairwise comparison matrix for `criteria` (header `criterion,NAME...`, one row per
/// criterion in the header's order), rows and columns put in the order of `criteria`.
///
/// A header that is not exactly the criteria, a row out of order, a missing row or a value that
/// is not a finite number throws `parse_error`; reciprocity and consistency are `ahp`'s checks.
Eigen::MatrixXd read_pairwise_matrix(const csv_table& table, std::span<const criterion> criteria);

/// The segment of each customer of an assignment file.
struct segment_assignments {
    std::vector<std::string> customer; ///< the customer_id column
    std::vector<std::string> segment;  ///< the segment (or cluster) column
    std::string segment_column;        ///< "segment" or "cluster"

    /// The rows whose segment is one of `names`, in file order.
    std::vector<std::size_t> rows_in(std::span<const std::string> names) const;
};

/// Reads an assignment file: `customer_id` and `segment` (or else `cluster`) columns; throws
/// `parse_error` naming the file and the header line when either is missing.
segment_assignments read_segment_assignments(const csv_table& table);

/// A bound `NAME=VALUE` on the raw values of the criterion NAME of `table` (`criterion_threshold`
/// with `min` when `lower`, else `max`), as `--at-least size=500` gives it.
///
/// Throws `invalid_argument` with the message `ARGUMENT SPEC: expected NAME=VALUE with NAME a
/// criterion of TABLE_ARGUMENT` when there is no '=' or NAME is no criterion, and `ARGUMENT SPEC:
/// "TEXT" is not a finite number` for a VALUE that is not one (the whole text, as from_chars
/// reads it). Example: parse_criterion_bound("size=500", t, true) == {0, 500, nullopt} when size
/// is the first column.
criterion_threshold parse_criterion_bound(std::string_view spec, const criteria_table& table,
                                          bool lower, std::string_view argument = "bound",
                                          std::string_view table_argument = "criteria");

/// What `analyse_attractiveness` does beyond the table's own description.
struct attractiveness_options {
    /// Weights of the attractiveness criteria (in the order of `axis(false)`) instead of the
    /// table's.
    std::optional<std::vector<double>> weights;
    /// A pairwise comparison matrix of the attractiveness criteria: weights by AHP instead.
    std::optional<Eigen::MatrixXd> pairwise;
    ahp_options ahp;    ///< consistency limit and reciprocal tolerance of `pairwise`
    matrix_cuts cuts;   ///< the levels of the nine-cell matrix
    target_rules rules; ///< target segments; criterion indices are columns of the whole table
};

/// The attractiveness analysis of a criteria table.
struct attractiveness_analysis {
    std::vector<std::string> segments;           ///< from the table
    std::vector<criterion> criteria;             ///< the attractiveness criteria
    segment_scores scores;                       ///< attractiveness per segment
    std::vector<weight_sensitivity> sensitivity; ///< per attractiveness criterion
    std::optional<ahp_result> ahp;               ///< with `pairwise`
    std::optional<segment_scores> strength;      ///< with strength criteria
    std::optional<segment_matrix> matrix;        ///< with strength criteria
    bool selected = false;                       ///< some target rule was given
    std::vector<std::size_t> targets;            ///< segments passing the rules, best first

    /// The names of the target segments, best first.
    std::vector<std::string> target_names() const;
};

/// Scores, ranks and places the segments of `table` and chooses the target segments.
///
/// Throws `invalid_argument` ("criteria") when every criterion is on the strength axis,
/// ("zones") when target zones are asked without strength criteria, ("weights") for weights of
/// the wrong length, and as `ahp`, `score_segments`, `attractiveness_matrix` and
/// `select_targets` (an inconsistent pairwise matrix throws `inconsistent_judgments`).
/// Example: see the header comment.
attractiveness_analysis analyse_attractiveness(const criteria_table& table,
                                               const attractiveness_options& options = {});

/// The files and texts of an attractiveness analysis as a face takes them (the tool's flags).
struct attractiveness_inputs {
    std::string criteria;              ///< path of the criteria CSV (`read_criteria_table`)
    std::string weights, pairwise;     ///< paths of a weights CSV or a pairwise matrix; optional
    std::vector<std::string> zones;    ///< target zones by name (`parse_strategy_zone`)
    std::vector<std::string> at_least; ///< `NAME=VALUE` lower bounds (`parse_criterion_bound`)
    std::vector<std::string> at_most;  ///< `NAME=VALUE` upper bounds
};

/// The names the inputs of `attractiveness_inputs` go by in errors.
struct attractiveness_input_names {
    std::string criteria = "criteria", weights = "weights", pairwise = "pairwise", zone = "zone",
                at_least = "at_least", at_most = "at_most",
                accept_inconsistent = "accept_inconsistent";
};

/// Reads the files of `in` and analyses them (`analyse_attractiveness`), `options` completed by
/// the weights, the pairwise matrix, the zones and the bounds of `in`.
///
/// In order: the criteria table is read, and must hold an attractiveness criterion; then the
/// weights and the pairwise matrix (for those criteria), the zones (which need a strength
/// criterion) and the bounds (lower first). Errors name the input by `names`: besides the
/// readers' and `analyse_attractiveness`' errors, `invalid_argument` for a table of strength
/// criteria only, zones without strength criteria, and an inconsistent pairwise matrix
/// ("<pairwise>: consistency ratio 0.2 is above 0.1; revise the judgments or pass
/// <accept_inconsistent>"). Example: `analyse_attractiveness_files({"criteria.csv"})` scores
/// the segments of criteria.csv with its own weights.
attractiveness_analysis analyse_attractiveness_files(const attractiveness_inputs& in,
                                                     attractiveness_options options = {},
                                                     const attractiveness_input_names& names = {});

CUSTOMETRICS_END_NAMESPACE
