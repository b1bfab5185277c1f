// Segment attractiveness (see custometrics/attractiveness.hpp for the definitions, formulas and
// sources). Small dense problems (segments x criteria, one eigenproblem of order <= 15), compiled
// once rather than inlined into every user, and kept out of the header so that Eigen's
// eigenvalue module is not pulled into every translation unit.
#include "custometrics/attractiveness.hpp"
#include "custometrics/detail/format.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

/// `criterion "name": ` when a criterion is named, else nothing.
std::string criterion_prefix(std::string_view criterion_name) {
    return criterion_name.empty() ? std::string()
                                  : "criterion \"" + std::string(criterion_name) + "\": ";
}

} // namespace

direction parse_direction(std::string_view text, std::string_view argument,
                          std::string_view criterion_name) {
    if (text == "more") return direction::more_is_better;
    if (text == "less") return direction::less_is_better;
    throw invalid_argument(argument,
                           criterion_prefix(criterion_name) + "expected 'more' or 'less', got '" +
                               std::string(text) + "'",
                           std::string(text));
}

normalisation parse_normalisation(std::string_view text, std::string_view argument,
                                  std::string_view criterion_name) {
    if (text == "min_max") return normalisation::min_max;
    if (text == "z_score") return normalisation::z_score;
    if (text == "rank") return normalisation::rank;
    throw invalid_argument(argument,
                           criterion_prefix(criterion_name) +
                               "expected 'min_max', 'z_score' or 'rank', got '" +
                               std::string(text) + "'",
                           std::string(text));
}

namespace {

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

void require_same_length(std::size_t n, std::size_t n_ref, const char* name, const char* ref,
                         const char* what) {
    if (n != n_ref)
        throw invalid_argument(name, "has " + std::to_string(n) + " " + what + ", " + ref +
                                         " has " + std::to_string(n_ref));
}

// Average ranks of x, smallest value rank 1, ties sharing the mean of their ranks.
std::vector<double> average_ranks_ascending(const Eigen::VectorXd& x) {
    const auto n = static_cast<std::size_t>(x.size());
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    const auto at = [&](std::size_t i) { return x(static_cast<Eigen::Index>(i)); };
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return at(a) < at(b); });
    std::vector<double> rank(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && at(idx[j]) == at(idx[i]))
            ++j;
        const double mean = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
        for (std::size_t q = i; q < j; ++q)
            rank[idx[q]] = mean;
        i = j;
    }
    return rank;
}

// One column normalised (before the direction flip).
Eigen::VectorXd normalise_column(const Eigen::VectorXd& x, normalisation norm) {
    const Eigen::Index n = x.size();
    // All three are scale-invariant: very large or very small columns are divided by their
    // largest magnitude first, so that max - min and the squares neither overflow nor vanish.
    const double c = x.cwiseAbs().maxCoeff();
    if (c > 0.0 && (c > 1e150 || c < 1e-150)) return normalise_column(x / c, norm);
    switch (norm) {
    case normalisation::min_max: {
        const double lo = x.minCoeff();
        const double hi = x.maxCoeff();
        if (!(hi > lo)) return Eigen::VectorXd::Constant(n, 0.5);
        // (x - lo) / (hi - lo); the ends are exactly 0 and 1.
        return (x.array() - lo) / (hi - lo);
    }
    case normalisation::z_score: {
        const double mean = x.mean();
        const double var = (x.array() - mean).square().sum() / static_cast<double>(n);
        if (!(var > 0.0)) return Eigen::VectorXd::Zero(n);
        return (x.array() - mean) / std::sqrt(var);
    }
    case normalisation::rank: {
        if (n == 1) return Eigen::VectorXd::Constant(1, 0.5);
        const std::vector<double> r = average_ranks_ascending(x);
        Eigen::VectorXd v(n);
        for (Eigen::Index i = 0; i < n; ++i)
            v(i) = (r[static_cast<std::size_t>(i)] - 1.0) / static_cast<double>(n - 1);
        return v;
    }
    }
    throw invalid_argument("criterion normalisation: unknown value " +
                           std::to_string(static_cast<int>(norm)));
}

// Name of criterion j for messages: its quoted name when given, else its index.
std::string criterion_label(std::span<const criterion> criteria, std::size_t j) {
    if (j < criteria.size() && !criteria[j].name.empty()) return quoted(criteria[j].name);
    return std::to_string(j);
}

void check_cuts(const matrix_cuts& c) {
    if (!(std::isfinite(c.low) && c.low > 0.0 && c.low < 1.0))
        throw invalid_argument("matrix_cuts.low",
                               "must be in (0, 1), got " + detail::format_number(c.low));
    if (!(std::isfinite(c.high) && c.high > c.low && c.high < 1.0))
        throw invalid_argument("matrix_cuts.high",
                               "must be in (low = " + detail::format_number(c.low) + ", 1), got " +
                                   detail::format_number(c.high));
}

// Slope b_s = v_sk - r_s of score_s(t) = t v_sk + (1 - t) r_s: criterion k at weight t, the
// others rescaled (sharing 1 - t equally when w_k = 1).
double score_slope(const segment_scores& sc, std::size_t s, std::size_t k) {
    const auto v = [&](std::size_t j) {
        return sc.normalised(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(j));
    };
    const double wk = sc.weights[k];
    const std::size_t nc = sc.weights.size();
    double rest = 0.0;
    for (std::size_t j = 0; j < nc; ++j)
        if (j != k)
            rest +=
                (wk < 1.0 ? sc.weights[j] / (1.0 - wk) : 1.0 / static_cast<double>(nc - 1)) * v(j);
    return v(k) - rest;
}

// Where the top segment T stops being top, moving a weight from wk up or down within [0, 1],
// or nullopt. With d_s(t) = a_s + (t - wk) g_s, a_s = score_s - score_T <= 0 and
// g_s = b_s - b_T, segment s meets T at t* = wk - a_s / g_s.
std::optional<weight_crossing> first_crossing(const std::vector<double>& score,
                                              const std::vector<double>& slope, std::size_t top,
                                              double wk, bool up) {
    const std::size_t m = score.size();
    // t*_s of each segment that takes over within [0, 1] in this direction, else NaN.
    std::vector<double> cross(m, std::nan(""));
    std::optional<double> best;
    for (std::size_t s = 0; s < m; ++s) {
        const double g = slope[s] - slope[top];
        if (s == top || (up ? !(g > 0.0) : !(g < 0.0))) continue;
        const double t = wk - std::min(0.0, score[s] - score[top]) / g;
        // A lower index wins the tie at t* itself, a higher one only beyond it.
        const bool inside = up ? (s < top ? t <= 1.0 : t < 1.0) : (s < top ? t >= 0.0 : t > 0.0);
        if (!inside) continue;
        cross[s] = t;
        if (!best || (up ? t < *best : t > *best)) best = t;
    }
    if (!best) return std::nullopt;
    // Of the segments meeting T at t* (within rounding), the steepest line in the direction of
    // travel leads beyond t*, ties by index; at the end of the range (t* = 0 or 1) there is no
    // beyond, and the lowest index wins the tie at t*.
    const bool at_end = up ? *best >= 1.0 : *best <= 0.0;
    std::optional<std::size_t> next;
    for (std::size_t s = 0; s < m; ++s) {
        if (!(std::fabs(cross[s] - *best) <= 1e-12)) continue;
        if (!next) {
            next = s;
            continue;
        }
        const double gs = slope[s] - slope[top];
        const double gn = slope[*next] - slope[top];
        if (!at_end && (up ? gs > gn : gs < gn)) next = s; // lower index kept on equal slopes
    }
    return weight_crossing{*best, *best - wk, *next};
}

// Throws `invalid_argument` naming the first cell of `pairwise` (square, n >= 1) that is not
// finite and > 0, off the diagonal 1, or off the reciprocal of its mirror, beyond `tol`.
void check_pairwise(const Eigen::Ref<const Eigen::MatrixXd>& pairwise,
                    std::span<const criterion> criteria, double tol) {
    const Eigen::Index rows = pairwise.rows();
    const Eigen::Index cols = pairwise.cols();
    const auto cell = [&](Eigen::Index i, Eigen::Index j) {
        std::string s = "pairwise(" + std::to_string(i) + ", " + std::to_string(j) + ")";
        if (!criteria.empty())
            s += " (" + quoted(criteria[static_cast<std::size_t>(i)].name) + " vs " +
                 quoted(criteria[static_cast<std::size_t>(j)].name) + ")";
        return s;
    };
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = 0; j < cols; ++j)
            if (!(std::isfinite(pairwise(i, j)) && pairwise(i, j) > 0.0))
                throw invalid_argument(cell(i, j) + ": must be finite and > 0, got " +
                                       detail::format_number(pairwise(i, j)));
    for (Eigen::Index i = 0; i < rows; ++i)
        if (std::fabs(pairwise(i, i) - 1.0) > tol)
            throw invalid_argument(cell(i, i) + ": diagonal must be 1, got " +
                                   detail::format_number(pairwise(i, i)));
    for (Eigen::Index i = 0; i < rows; ++i)
        for (Eigen::Index j = i + 1; j < cols; ++j)
            if (std::fabs(pairwise(i, j) * pairwise(j, i) - 1.0) > tol)
                throw invalid_argument(cell(j, i) + ": must be 1 / " + cell(i, j) + " = " +
                                       detail::format_number(1.0 / pairwise(i, j)) + " within " +
                                       detail::format_number(tol) + ", got " +
                                       detail::format_number(pairwise(j, i)));
}

} // namespace

std::vector<double> growth(std::span<const double> before, std::span<const double> after) {
    require_same_length(after.size(), before.size(), "after", "before", "segments");
    std::vector<double> g(before.size());
    for (std::size_t s = 0; s < before.size(); ++s) {
        if (!(std::isfinite(before[s]) && before[s] > 0.0))
            throw data_error("before: segment " + std::to_string(s) +
                             ": must be finite and > 0 (the base of the growth), got " +
                             detail::format_number(before[s]));
        if (!std::isfinite(after[s]))
            throw data_error("after: segment " + std::to_string(s) + ": value is " +
                             detail::format_number(after[s]));
        g[s] = (after[s] - before[s]) / before[s];
    }
    return g;
}

Eigen::MatrixXd normalise_criteria(const Eigen::Ref<const Eigen::MatrixXd>& values,
                                   std::span<const criterion> criteria) {
    if (criteria.empty()) throw invalid_argument("criteria", "empty, need at least one criterion");
    require_same_length(static_cast<std::size_t>(values.cols()), criteria.size(), "values",
                        "criteria", "columns");
    if (values.rows() == 0) throw invalid_argument("values", "no segments (0 rows)");
    for (Eigen::Index j = 0; j < values.cols(); ++j)
        for (Eigen::Index s = 0; s < values.rows(); ++s)
            if (!std::isfinite(values(s, j)))
                throw data_error("values: segment " + std::to_string(s) + ", criterion " +
                                 criterion_label(criteria, static_cast<std::size_t>(j)) +
                                 ": value is " + detail::format_number(values(s, j)));
    Eigen::MatrixXd v(values.rows(), values.cols());
    for (Eigen::Index j = 0; j < values.cols(); ++j) {
        const criterion& c = criteria[static_cast<std::size_t>(j)];
        Eigen::VectorXd col = normalise_column(values.col(j), c.norm);
        if (c.dir == direction::less_is_better) {
            if (c.norm == normalisation::z_score)
                col = -col;
            else
                col = (1.0 - col.array()).matrix();
        }
        v.col(j) = col;
    }
    return v;
}

std::vector<double> normalise_weights(std::span<const double> weights,
                                      std::span<const criterion> criteria) {
    require_same_length(weights.size(), criteria.size(), "weights", "criteria", "entries");
    if (weights.empty()) throw invalid_argument("weights", "empty, need at least one criterion");
    double sum = 0.0;
    for (std::size_t j = 0; j < weights.size(); ++j) {
        if (!(std::isfinite(weights[j]) && weights[j] >= 0.0))
            throw invalid_argument("weights", "criterion " + criterion_label(criteria, j) +
                                                  ": must be finite and >= 0, got " +
                                                  detail::format_number(weights[j]));
        sum += weights[j];
    }
    if (!(sum > 0.0)) throw invalid_argument("weights", "all are 0, at least one must be > 0");
    if (!std::isfinite(sum))
        throw invalid_argument("weights", "sum overflows, got " + detail::format_number(sum));
    std::vector<double> w(weights.begin(), weights.end());
    for (double& x : w)
        x /= sum;
    return w;
}

inconsistent_judgments::inconsistent_judgments(double consistency_ratio, std::size_t n)
    : invalid_argument("pairwise: consistency ratio " + detail::format_number(consistency_ratio) +
                       " of the " + std::to_string(n) + " x " + std::to_string(n) +
                       " matrix is above 0.1; revise the judgments or set "
                       "ahp_options.accept_inconsistent"),
      m_consistency_ratio(consistency_ratio) {}

double saaty_random_index(std::size_t n) {
    // Saaty (1980), The Analytic Hierarchy Process, ch. 1; n = 1..15.
    static constexpr std::array<double, 15> ri{0.0,  0.0,  0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
                                               1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59};
    if (n == 0 || n > ri.size())
        throw invalid_argument("n", "Saaty's random index is tabulated for 1 to 15 criteria, got " +
                                        std::to_string(n));
    return ri[n - 1];
}

ahp_result ahp(const Eigen::Ref<const Eigen::MatrixXd>& pairwise,
               std::span<const criterion> criteria, const ahp_options& options) {
    const Eigen::Index rows = pairwise.rows();
    const Eigen::Index cols = pairwise.cols();
    if (rows != cols)
        throw invalid_argument("pairwise", "must be square, got " + std::to_string(rows) + " x " +
                                               std::to_string(cols));
    if (rows == 0) throw invalid_argument("pairwise", "empty (0 x 0)");
    const auto n = static_cast<std::size_t>(rows);
    if (n > 15)
        throw invalid_argument("pairwise",
                               std::to_string(n) +
                                   " criteria; Saaty's random index is tabulated up to 15");
    if (!criteria.empty()) require_same_length(criteria.size(), n, "criteria", "pairwise", "rows");
    const double tol = options.reciprocal_tolerance;
    if (!(std::isfinite(tol) && tol >= 0.0 && tol < 1.0))
        throw invalid_argument("ahp_options.reciprocal_tolerance",
                               "must be in [0, 1), got " + detail::format_number(tol));

    check_pairwise(pairwise, criteria, tol);

    ahp_result r;
    r.random_index = saaty_random_index(n);
    if (n == 1) {
        r.weights = {1.0};
        r.lambda_max = pairwise(0, 0);
        return r;
    }
    const Eigen::EigenSolver<Eigen::MatrixXd> es(pairwise, true);
    if (es.info() != Eigen::Success)
        throw data_error("pairwise: the eigenvalue solver did not converge");
    Eigen::Index k = 0;
    for (Eigen::Index i = 1; i < rows; ++i)
        if (es.eigenvalues()(i).real() > es.eigenvalues()(k).real()) k = i;
    const Eigen::VectorXd v = es.eigenvectors().col(k).real();
    const double sum = v.sum(); // Perron vector: one sign, so the sum fixes the sign as well
    r.weights.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        r.weights[i] = v(static_cast<Eigen::Index>(i)) / sum;
        if (!(r.weights[i] > 0.0))
            throw data_error("pairwise: principal eigenvector not positive at criterion " +
                             criterion_label(criteria, i) + " (" +
                             detail::format_number(r.weights[i]) +
                             "); the judgments are too extreme to solve");
    }
    r.lambda_max = es.eigenvalues()(k).real();
    const auto nd = static_cast<double>(n);
    // lambda_max >= n in exact arithmetic; rounding can leave it a few ulps below.
    r.consistency_index = std::max(0.0, (r.lambda_max - nd) / (nd - 1.0));
    r.consistency_ratio = n <= 2 ? 0.0 : r.consistency_index / r.random_index;
    if (n <= 2) r.consistency_index = 0.0; // every reciprocal 2 x 2 matrix is consistent
    r.consistent = r.consistency_ratio <= ahp_max_consistency_ratio;
    if (!r.consistent && !options.accept_inconsistent)
        throw inconsistent_judgments(r.consistency_ratio, n);
    return r;
}

segment_scores score_segments(const Eigen::Ref<const Eigen::MatrixXd>& values,
                              std::span<const criterion> criteria,
                              std::span<const double> weights) {
    segment_scores r;
    r.normalised = normalise_criteria(values, criteria);
    r.weights = normalise_weights(weights, criteria);
    const auto m = static_cast<std::size_t>(r.normalised.rows());
    r.score.assign(m, 0.0);
    for (std::size_t s = 0; s < m; ++s)
        for (std::size_t j = 0; j < r.weights.size(); ++j)
            r.score[s] += r.weights[j] *
                          r.normalised(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(j));
    r.order.resize(m);
    std::iota(r.order.begin(), r.order.end(), std::size_t{0});
    std::stable_sort(r.order.begin(), r.order.end(),
                     [&](std::size_t a, std::size_t b) { return r.score[a] > r.score[b]; });
    r.rank.resize(m);
    for (std::size_t q = 0; q < m; ++q)
        r.rank[r.order[q]] = q + 1;
    r.top = r.order[0];
    return r;
}

std::vector<weight_sensitivity> weight_sensitivities(const segment_scores& scores) {
    const std::size_t m = scores.score.size();
    const std::size_t nc = scores.weights.size();
    if (static_cast<std::size_t>(scores.normalised.rows()) != m ||
        static_cast<std::size_t>(scores.normalised.cols()) != nc || m == 0 || nc == 0 ||
        scores.top >= m)
        throw invalid_argument("scores", "inconsistent sizes (use the result of score_segments)");
    std::vector<weight_sensitivity> out(nc);
    std::vector<double> slope(m);
    for (std::size_t k = 0; k < nc; ++k) {
        weight_sensitivity& ws = out[k];
        ws.criterion = k;
        ws.weight = scores.weights[k];
        if (nc == 1) continue; // nothing to rescale against
        for (std::size_t s = 0; s < m; ++s)
            slope[s] = score_slope(scores, s, k);
        ws.down = first_crossing(scores.score, slope, scores.top, ws.weight, false);
        ws.up = first_crossing(scores.score, slope, scores.top, ws.weight, true);
    }
    return out;
}

matrix_level level_of(double score, const matrix_cuts& cuts) {
    check_cuts(cuts);
    if (score >= cuts.high) return matrix_level::high;
    if (score >= cuts.low) return matrix_level::medium;
    return matrix_level::low;
}

strategy_zone zone_of(matrix_level attractiveness, matrix_level strength) noexcept {
    const int sum = static_cast<int>(attractiveness) + static_cast<int>(strength);
    if (sum >= 3) return strategy_zone::invest_grow;
    if (sum == 2) return strategy_zone::selective;
    return strategy_zone::harvest_divest;
}

const char* to_string(matrix_level level) noexcept {
    switch (level) {
    case matrix_level::low:
        return "low";
    case matrix_level::medium:
        return "medium";
    case matrix_level::high:
        return "high";
    }
    return "?";
}

const char* to_string(strategy_zone zone) noexcept {
    switch (zone) {
    case strategy_zone::invest_grow:
        return "invest/grow";
    case strategy_zone::selective:
        return "selective";
    case strategy_zone::harvest_divest:
        return "harvest/divest";
    }
    return "?";
}

strategy_zone parse_strategy_zone(std::string_view text, std::string_view argument) {
    for (const strategy_zone z :
         {strategy_zone::invest_grow, strategy_zone::selective, strategy_zone::harvest_divest})
        if (text == to_string(z)) return z;
    throw invalid_argument(argument,
                           "expected invest/grow, selective or harvest/divest, got \"" +
                               std::string(text) + "\"",
                           std::string(text));
}

segment_matrix attractiveness_matrix(std::span<const double> attractiveness,
                                     std::span<const double> strength, const matrix_cuts& cuts) {
    require_same_length(strength.size(), attractiveness.size(), "strength", "attractiveness",
                        "segments");
    check_cuts(cuts);
    const auto check = [](std::span<const double> x, const char* name) {
        for (std::size_t s = 0; s < x.size(); ++s)
            if (!(x[s] >= 0.0 && x[s] <= 1.0))
                throw invalid_argument(name, "segment " + std::to_string(s) +
                                                 ": must be a score in [0, 1] (min_max or rank "
                                                 "criteria), got " +
                                                 detail::format_number(x[s]));
    };
    check(attractiveness, "attractiveness");
    check(strength, "strength");
    segment_matrix m;
    m.cuts = cuts;
    m.cells.resize(attractiveness.size());
    for (std::size_t s = 0; s < attractiveness.size(); ++s) {
        matrix_cell& c = m.cells[s];
        c.attractiveness = level_of(attractiveness[s], cuts);
        c.strength = level_of(strength[s], cuts);
        c.zone = zone_of(c.attractiveness, c.strength);
        ++m.count[static_cast<std::size_t>(c.attractiveness)][static_cast<std::size_t>(c.strength)];
    }
    return m;
}

CUSTOMETRICS_END_NAMESPACE
