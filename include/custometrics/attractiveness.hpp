// Segment attractiveness: a criteria table per segment, normalised criteria, weights given
// directly or derived by the analytic hierarchy process, the weighted score and rank of each
// segment, how far each weight can move before the top segment changes, and the nine-cell
// attractiveness/strength matrix with its strategy zones.
//
// Criteria table. `values` is a segments x criteria matrix of raw values (row s = segment s,
// column j = criterion j). Data-derived criteria (size, revenue, margin, repeat rate) are filled
// by the caller from the per-segment profiles; `growth` makes the growth between two periods.
// Each criterion has a name (used in messages), a direction and a normalisation. A NaN or
// infinite raw value throws `data_error` naming the segment, the criterion and the value:
// `values: segment 2, criterion "growth": value is nan`.
//
// Normalisation, per column x_1..x_n (n segments):
// - `min_max`: (x - min) / (max - min), in [0, 1]. A constant column (max == min, n = 1
//   included) maps to 0.5 for every segment: it does not separate the segments, and 0.5 keeps
//   every score inside [0, 1] without favouring the criterion's direction.
// - `z_score`: (x - mean) / sd with the population standard deviation (divisor n, as
//   scipy.stats.zscore's default); unbounded. A constant column maps to 0.
// - `rank`: average ranks, smallest value rank 1, ties share the mean of their ranks (as
//   scipy.stats.rankdata's "average"), scaled to (rank - 1) / (n - 1) in [0, 1]. A constant
//   column (all tied, n = 1 included) maps to 0.5, as min_max.
// All three are scale-invariant; a column of very large or tiny magnitudes (beyond 1e+-150) is
// divided by its largest magnitude first, so max - min and the squares stay finite and non-zero.
// "Less is better" flips after normalising: 1 - v for min_max and rank (both on [0, 1]), -v for
// z_score. So the best segment on every criterion has the highest normalised value.
// Example: a column 10, 20, 40, 30 is 0, 1/3, 1, 2/3 by min_max, 1, 2/3, 0, 1/3 by min_max
// when less is better, and -1.342, -0.447, 1.342, 0.447 by z_score (mean 25, sd sqrt(125)).
//
// Weights, given directly (`normalise_weights`): finite and >= 0, not all 0, then divided by
// their sum. Or from a pairwise comparison matrix by the analytic hierarchy process (`ahp`):
// Saaty, T. L. (1980), The Analytic Hierarchy Process, McGraw-Hill; Saaty, T. L. (2008),
// "Decision making with the analytic hierarchy process", Int. J. Services Sciences 1(1), 83-98.
// a_ij says how much more important criterion i is than j (Saaty's scale 1..9 and reciprocals);
// the weights are the principal (Perron) eigenvector, normalised to sum 1; lambda_max its
// eigenvalue (>= n, = n exactly when a_ij = w_i / w_j for all i, j);
//     CI = (lambda_max - n) / (n - 1),     CR = CI / RI(n),
// RI Saaty's random index, the mean CI of random reciprocal matrices of order n (Saaty 1980,
// ch. 1; the table with n up to 15 as widely reproduced):
//     n  1 2 3    4    5    6    7    8    9    10   11   12   13   14   15
//     RI 0 0 0.58 0.90 1.12 1.24 1.32 1.41 1.45 1.49 1.51 1.48 1.56 1.57 1.59
// (the dip at 12 is in the published table and kept as is). CR is 0 by
// definition for n = 1, 2 (every reciprocal 2 x 2 matrix is consistent); more than 15 criteria
// throw `invalid_argument`. A CR above 0.10 (Saaty's limit) throws `inconsistent_judgments`
// unless `ahp_options::accept_inconsistent` is set; the result then has `consistent == false`.
//
// Score and rank. score_s = sum_j w_j * v_sj over the normalised values v and the weights w
// (sum 1). With min_max or rank normalisation every score lies in [0, 1] (a weighted mean of
// values in [0, 1]); with a z_score criterion it does not. Rank 1 is the best (highest) score;
// equal scores (exactly equal doubles) are ranked by segment index, lower first, so ranks are
// 1..n without gaps.
//
// Sensitivity (`weight_sensitivities`). Move the weight of criterion k from w_k to t in [0, 1]
// and rescale the others proportionally so the sum stays 1: w_j(t) = w_j * (1 - t) / (1 - w_k)
// (when w_k = 1 the others are all 0 and share 1 - t equally). Then
//     score_s(t) = t * v_sk + (1 - t) * r_s,   r_s = sum_{j != k} w_j v_sj / (1 - w_k),
// linear in t and equal to score_s at t = w_k. The top segment T (rank 1 at w_k) changes where
// another segment's line meets T's: t* = w_k - d_s / (b_s - b_T) with d_s = score_s - score_T
// (<= 0) and b_s = v_sk - r_s the slope. Moving up, s takes over beyond the smallest such t* >=
// w_k where its slope is steeper (at t* itself when s < T, which wins ties); moving down, below
// the largest t* <= w_k where its slope is shallower. A crossing is reported only when the change
// happens within [0, 1]; else "never" (`std::nullopt`). With one criterion there is nothing to
// rescale and both directions are "never".
//
// The attractiveness/strength matrix (GE-McKinsey nine cells): segment attractiveness on one
// axis, the company's strength in the segment on the other, each a weighted score from its own
// criteria table and weights, on [0, 1] (min_max or rank normalisation; scores outside [0, 1]
// throw). Cut points 0 < low < high < 1 (default 1/3 and 2/3) make three levels: score < low is
// low, low <= score < high medium, score >= high high (a score on a cut point goes up). The zone
// of a cell depends on the two levels (low 0, medium 1, high 2) through their sum:
//     invest/grow     high-high, high-medium, medium-high   (sum 3 or 4)
//     selective       high-low, medium-medium, low-high     (sum 2)
//     harvest/divest  medium-low, low-medium, low-low       (sum 0 or 1)
//
// Example (three segments; every criterion min_max):
//     std::vector<criterion> crit{
//         {"size"}, {"growth"}, {"competition", direction::less_is_better}};
//     Eigen::MatrixXd raw(3, 3);
//     raw << 1200, 0.10, 5,   // normalised 1, 0.25, 0 (5 is the most competition)
//             800, 0.25, 2,   //            5/9, 1, 0.75
//             300, 0.05, 1;   //            0, 0, 1
//     segment_scores a = score_segments(raw, crit, std::vector<double>{2, 1, 1});
//     // weights 0.5, 0.25, 0.25; a.score = 0.5625, 0.7153, 0.25; a.rank = 2, 1, 3; a.top = 1
//     // (weights from a pairwise matrix instead: ahp(pairwise, crit).weights)
//     auto sens = weight_sensitivities(a);        // per criterion: crossings down and up
//     segment_matrix m = attractiveness_matrix(a.score, strength.score);
//     // m.cells[s].attractiveness, .strength, .zone (strategy_zone::invest_grow, ...)
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/error.hpp"

#include <Eigen/Dense>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Whether a higher raw value of a criterion makes a segment more or less attractive.
enum class direction { more_is_better, less_is_better };

/// How a criterion's raw values are put on a common scale (see attractiveness.hpp).
enum class normalisation {
    min_max, ///< (x - min) / (max - min) in [0, 1]; a constant column is 0.5
    z_score, ///< (x - mean) / population sd; a constant column is 0
    rank     ///< average ranks scaled to [0, 1]; a constant column is 0.5
};

/// "more" / "less" to a direction; throws `invalid_argument` naming `argument` (value: the
/// text) otherwise, the message naming `criterion_name` when given.
direction parse_direction(std::string_view text, std::string_view argument = "directions",
                          std::string_view criterion_name = {});
/// "min_max" / "z_score" / "rank" to a normalisation; throws `invalid_argument` naming
/// `argument` (value: the text) otherwise, the message naming `criterion_name` when given.
normalisation parse_normalisation(std::string_view text,
                                  std::string_view argument = "normalisation",
                                  std::string_view criterion_name = {});

/// One column of the criteria table: its name, direction and normalisation.
struct criterion {
    std::string name;
    direction dir = direction::more_is_better;
    normalisation norm = normalisation::min_max;
};

/// Growth of each segment between two periods: (after - before) / before.
///
/// `before[s]` must be finite and > 0 (growth from nothing is undefined), `after[s]` finite;
/// else `data_error` naming the argument, the segment and the value. Lengths must match
/// (`invalid_argument`). Example: before 100, 50, 80 and after 120, 50, 60 give 0.2, 0, -0.25.
std::vector<double> growth(std::span<const double> before, std::span<const double> after);

/// The criteria table normalised column by column and flipped for "less is better".
///
/// `values` is segments x criteria, one criterion per column. Throws `invalid_argument` when
/// the number of columns differs from `criteria.size()`, when there are no segments or no
/// criteria, and `data_error` naming the segment, criterion and value for NaN or infinity.
Eigen::MatrixXd normalise_criteria(const Eigen::Ref<const Eigen::MatrixXd>& values,
                                   std::span<const criterion> criteria);

/// Weights given directly, normalised to sum 1.
///
/// Each weight must be finite and >= 0 and not all may be 0; else `invalid_argument` naming
/// the criterion and the value (`weights: criterion "growth": must be finite and >= 0, got
/// -1`). Lengths must match. Example: 2, 1, 1 -> 0.5, 0.25, 0.25.
std::vector<double> normalise_weights(std::span<const double> weights,
                                      std::span<const criterion> criteria);

/// Saaty's CR limit: a pairwise matrix with a consistency ratio above it is rejected.
inline constexpr double ahp_max_consistency_ratio = 0.10;

/// Options of `ahp`.
struct ahp_options {
    /// Largest accepted |a_ij * a_ji - 1| (and |a_ii - 1|): judgments are often typed rounded,
    /// 1/3 as 0.333 (product 0.999) or 1/7 as 0.143 (1.001).
    double reciprocal_tolerance = 0.01;
    /// Accept a consistency ratio above 0.10 instead of throwing `inconsistent_judgments`.
    bool accept_inconsistent = false;
};

/// Weights derived from a pairwise comparison matrix, with its consistency (see
/// attractiveness.hpp).
struct ahp_result {
    std::vector<double> weights;    ///< principal eigenvector, every entry > 0, sum 1
    double lambda_max = 0.0;        ///< principal eigenvalue (>= n)
    double consistency_index = 0.0; ///< CI = (lambda_max - n) / (n - 1), 0 for n = 1
    double random_index = 0.0;      ///< Saaty's RI(n); 0 for n = 1, 2
    double consistency_ratio = 0.0; ///< CR = CI / RI, 0 for n = 1, 2
    bool consistent = true;         ///< CR <= 0.10
};

/// A pairwise comparison matrix whose consistency ratio is above 0.10.
class inconsistent_judgments : public invalid_argument {
public:
    inconsistent_judgments(double consistency_ratio, std::size_t n);
    /// The consistency ratio that was rejected.
    double consistency_ratio() const noexcept { return m_consistency_ratio; }

private:
    double m_consistency_ratio;
};

/// Saaty's random index RI(n) for n = 1..15 (table in attractiveness.hpp); throws
/// `invalid_argument` for n = 0 or n > 15.
double saaty_random_index(std::size_t n);

/// Weights by the analytic hierarchy process from the n x n pairwise comparison matrix.
///
/// The matrix must be square, 1 <= n <= 15, every cell finite and > 0, the diagonal 1 and
/// a_ji = 1 / a_ij, both within `options.reciprocal_tolerance`; else `invalid_argument` naming
/// the cell (0-based row, column), the criteria when `criteria` is given (its size must then be
/// n), and the value. The matrix is used as given (a rounded 0.333 is not replaced by 1/3). The
/// eigenproblem is solved by Eigen's EigenSolver; the Perron root of a positive matrix is the
/// eigenvalue of largest real part, real, and its eigenvector has entries of one sign. Throws
/// `inconsistent_judgments` when CR > 0.10 unless `options.accept_inconsistent`.
///
/// Example (Saaty 2008, drinks consumed in the USA, 7 x 7): weights 0.177 (coffee), 0.019
/// (wine), 0.042 (tea), 0.116 (beer), 0.190 (sodas), 0.129 (milk), 0.327 (water), CR 0.022.
ahp_result ahp(const Eigen::Ref<const Eigen::MatrixXd>& pairwise,
               std::span<const criterion> criteria = {}, const ahp_options& options = {});

/// Weighted scores and ranks of the segments of one criteria table.
struct segment_scores {
    Eigen::MatrixXd normalised;     ///< segments x criteria, after normalising and flipping
    std::vector<double> weights;    ///< per criterion, sum 1
    std::vector<double> score;      ///< per segment: sum_j weights[j] * normalised(s, j)
    std::vector<std::size_t> rank;  ///< per segment, 1 = best; ties by segment index
    std::vector<std::size_t> order; ///< segment indices, best first (order[rank[s] - 1] == s)
    std::size_t top = 0;            ///< order[0], the segment ranked 1
};

/// Normalises `values` (see `normalise_criteria`), normalises `weights` (see
/// `normalise_weights`), and scores and ranks the segments.
///
/// Example: two min_max criteria, weights 1, 1 (-> 0.5, 0.5), segments (0, 1), (1, 0), (1, 1),
/// (0, 0): scores 0.5, 0.5, 1, 0; ranks 2, 3, 1, 4 (the tie goes to the lower index).
segment_scores score_segments(const Eigen::Ref<const Eigen::MatrixXd>& values,
                              std::span<const criterion> criteria, std::span<const double> weights);

/// Where moving one weight changes the top segment.
struct weight_crossing {
    double weight = 0.0;     ///< the weight t* of the criterion at which the top changes
    double change = 0.0;     ///< t* - current weight (< 0 moving down, > 0 moving up)
    std::size_t new_top = 0; ///< the segment on top beyond t*
};

/// How far the weight of one criterion can move, the others rescaled, before the top changes.
struct weight_sensitivity {
    std::size_t criterion = 0;           ///< index of the criterion
    double weight = 0.0;                 ///< its current weight
    std::optional<weight_crossing> down; ///< lowering it; nullopt: the top never changes
    std::optional<weight_crossing> up;   ///< raising it; nullopt: the top never changes
};

/// The sensitivity of the top segment to each weight of `scores` (see attractiveness.hpp),
/// one entry per criterion, solved exactly from the linear scores.
///
/// Example: segments (1, 0.2), (0, 1), (0.5, 0) normalised, weights 0.5, 0.5: scores 0.6, 0.5,
/// 0.25, top 0. Criterion 0 at t: 0.2 + 0.8t, 1 - t, 0.5t: down at t = 4/9 segment 1 takes
/// over, up never. Criterion 1: up at t = 5/9 segment 1, down never.
std::vector<weight_sensitivity> weight_sensitivities(const segment_scores& scores);

/// A level on one axis of the attractiveness/strength matrix.
enum class matrix_level : std::uint8_t { low = 0, medium = 1, high = 2 };

/// The strategy zone of a cell of the attractiveness/strength matrix.
enum class strategy_zone : std::uint8_t {
    invest_grow,   ///< high-high, high-medium, medium-high
    selective,     ///< high-low, medium-medium, low-high
    harvest_divest ///< medium-low, low-medium, low-low
};

/// Cut points of the matrix on the [0, 1] score scale: 0 < low < high < 1.
struct matrix_cuts {
    double low = 1.0 / 3.0;  ///< scores below are low
    double high = 2.0 / 3.0; ///< scores at or above are high; between, medium
};

/// The cell of one segment: attractiveness level (row), strength level (column) and zone.
struct matrix_cell {
    matrix_level attractiveness = matrix_level::low;
    matrix_level strength = matrix_level::low;
    strategy_zone zone = strategy_zone::harvest_divest;
};

/// Level of `score` under `cuts`: low below cuts.low, high from cuts.high, else medium.
/// Throws `invalid_argument` for bad cuts.
matrix_level level_of(double score, const matrix_cuts& cuts = {});

/// Zone of the cell (attractiveness, strength) (see attractiveness.hpp).
strategy_zone zone_of(matrix_level attractiveness, matrix_level strength) noexcept;

/// Name of a level: "low", "medium", "high".
const char* to_string(matrix_level level) noexcept;

/// Name of a zone: "invest/grow", "selective", "harvest/divest".
const char* to_string(strategy_zone zone) noexcept;

/// The zone named by `text` ("invest/grow", "selective", "harvest/divest", as `to_string`
/// writes them); throws `invalid_argument` naming `argument` (value: the text) otherwise:
/// `zone: expected invest/grow, selective or harvest/divest, got "grow"`.
strategy_zone parse_strategy_zone(std::string_view text, std::string_view argument = "zone");

/// The attractiveness/strength matrix: one cell per segment.
struct segment_matrix {
    matrix_cuts cuts;               ///< the cut points used
    std::vector<matrix_cell> cells; ///< per segment
    /// count[a][s]: segments with attractiveness level a and strength level s (0 low .. 2 high)
    std::array<std::array<std::size_t, 3>, 3> count{};
};

/// Places each segment by its attractiveness and strength scores (both on [0, 1]).
///
/// Throws `invalid_argument` when the lengths differ, when a cut is outside 0 < low < high < 1
/// (naming it and its value), or when a score is NaN or outside [0, 1] (naming the argument,
/// the segment and the value: z_score criteria give such scores).
/// Example, default cuts: (0.8, 0.5) is high-medium, invest/grow; (1/3, 0.2) medium-low,
/// harvest/divest.
segment_matrix attractiveness_matrix(std::span<const double> attractiveness,
                                     std::span<const double> strength,
                                     const matrix_cuts& cuts = {});

CUSTOMETRICS_END_NAMESPACE
