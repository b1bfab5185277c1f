// A mergeable sketch of positive values per entity for Pareto figures with proven bounds: the
// share of entities that makes 80% of the total, the top-20% share, ABC counts and shares, and
// the Gini coefficient, each as an estimate with a lower and an upper bound, without ranking
// (or even holding) the entities.
//
// Use. Where the values per entity are spread over machines (Spark partitions), each part adds
// its values to a sketch; the sketches merge (`operator+=`, or `from_bins` on bins merged
// elsewhere: counts and sums add, minima and maxima combine), and `pareto_figures` computes
// the figures from the merged sketch. Its size is the number of occupied bins: about
// log(max / min) / log(1 + eps), a few thousand for eps = 0.01, whatever the number of entities.
//
// Bins. A positive double x goes to bin `bits(x) >> (52 - p)` (its IEEE-754 bit pattern without
// the last 52 - p mantissa bits), p the smallest precision with 2^-p <= eps (p <= 52). The bit
// pattern of positive doubles ascends with the value, so bins are disjoint ranges ordered like
// the values and the index is exact on every machine (no logarithm). Each binary octave
// [2^e, 2^(e+1)) holds 2^p bins of equal width, so a bin's upper edge is at most 1 + 2^-p <=
// 1 + eps times its lower edge (subnormal values: narrower in absolute terms, wider in ratio).
// Each bin keeps, exactly, the count c of its values, their minimum m and maximum M, and their
// sum s (a floating-point sum: relative rounding about c * 2^-53). The sketch also keeps the
// count and sum of the values <= 0 (reported separately, as under `nonpositive_policy::separate`
// in pareto.hpp; that is the only policy here). NaN or infinite values throw `data_error`.
//
// Bounds (derivation). Rank the n positive values descending: v_0 >= ... >= v_{n-1}, total T,
// and walk the bins from the largest values down; before bin j there are C_j values with sum
// S_j, both exact. So the cumulative curve S(k) = v_0 + ... + v_{k-1} is exact at every bin edge.
// Inside a bin (c values in [m, M], m and M present, sum s), the sum of its t largest values,
// 0 < t < c, lies in
//     lo(t) = M + (t - 1) r,  r = (s - M - m) / (c - 2)   (c >= 3; lo(1) = M for c = 2), and
//     hi(t) = min(t M, s - (c - t) m),
// lo being the split "M, m and the rest equal" (the t largest of a set average at least its
// mean) and hi the most spread split "as many at M as possible, one in between, the rest at m"
// (no t values exceed t M, and the other c - t are at least m each). Each is one configuration
// consistent with (c, s, m, M) that gives the least (lo) or the most (hi) for *every* t at
// once, so the bounds are attained, not just valid. Hence, with k = C_j + t:
//     S(k) in [S_j + lo(t), S_j + hi(t)].
// - top_share(f): k = ceil(f n) (detail::top_count, as in pareto.hpp): S(k) / T in those bounds.
// - entities_for_share(s) = k* / n, k* the first k with S(k) / T >= s: k* is at least the first
//   k whose upper bound reaches s and at most the first k whose lower bound does (both bounds
//   ascend with k). ABC counts are such first k (rule `before`: A = first k with S(k) / T >= a;
//   rule `including`: A = first k with S(k) / T > a, minus 1; likewise B with b), so their
//   bounds follow, and class shares follow from the bounds of S at those k.
// - Gini: G = W / (n T) with W = sum_r (n - 1 - 2r) v_r (pareto.hpp). Over bin j,
//     W = sum_j [(n - 1 - 2 C_j) s_j - 2 U_j],   U_j = sum_{i<c} i u_i = (c - 1) s -
//     sum_{t=1}^{c-1} top_t,
//   u_0 >= ... >= u_{c-1} the bin's values and top_t the sum of the t largest. As lo and hi
//   bound every top_t at once through one configuration each, U_j lies in
//   [(c - 1) s - sum_t hi(t), (c - 1) s - sum_t lo(t)] (closed-form sums), and so does G between
//   the two sums over all bins. Bins of equal values (m = M) contribute exactly.
// Every estimate is the midpoint of its bounds (for counts: the first k whose midpoint curve
// reaches the share). Bound widths shrink with eps: within a bin hi - lo <= t (M - m) <= t M eps.
// The sums are floating point (here and in pareto()): the bounds of shares and Gini are moved
// out by 4 (n + 2) 2^-53 to cover their rounding (1e-9 at n = 10^6); counts compare the sums as
// computed, as pareto() does, so at a cumulative share within rounding of a threshold they may
// differ from pareto()'s by one entity.
//
// Example:
//     pareto_sketch s(0.01);
//     s.add(std::vector<double>{50, 30, 15, 5, 0}); // five entities, one <= 0
//     sketch_figures f = pareto_figures(s);
//     // f.n = 4, f.total = 100, f.nonpositive_count = 1; each value is alone in its bin, so
//     // every figure is exact up to the rounding allowance: f.top20_share = {0.5, 0.5 - 2.7e-15,
//     // 0.5 + 2.7e-15}, f.gini = {0.375, 0.375 - 2.7e-15, 0.375 + 2.7e-15}.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/pareto.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// One occupied bin of a `pareto_sketch`: its values' count, sum, minimum and maximum.
struct sketch_bin {
    std::uint64_t index = 0; ///< bits(value) >> (52 - p): ascends with the values
    std::uint64_t count = 0; ///< number of values (>= 1)
    double sum = 0.0;        ///< their sum
    double min = 0.0;        ///< the smallest
    double max = 0.0;        ///< the largest
};

/// A mergeable sketch of values per entity: exact counts, sums, minima and maxima in bins of
/// relative width at most eps over the values > 0, and the count and sum of those <= 0 (see
/// pareto_sketch.hpp).
class pareto_sketch {
public:
    /// An empty sketch with bins of relative width at most `eps`; throws `invalid_argument`
    /// unless 0 < eps <= 1.
    explicit pareto_sketch(double eps = 0.01);

    /// A sketch from bins merged elsewhere (any order, distinct indices). Throws
    /// `invalid_argument` for a bad eps, and `data_error` naming the bin for a count of 0, a
    /// non-finite or non-positive min or max, min > max, min or max outside the bin's range, a
    /// sum outside [count * min, count * max] (beyond rounding), a repeated index, or a
    /// nonpositive count or total that is negative or positive respectively.
    static pareto_sketch from_bins(double eps, std::vector<sketch_bin> bins,
                                   std::uint64_t nonpositive_count, double nonpositive_total);

    /// The same from bins given as columns, as a columnar engine (Spark) hands them back: bin
    /// k is (index[k], count[k], sum[k], min[k], max[k]). Throws `invalid_argument` naming
    /// "from_bins" when the columns differ in length, and `data_error` for a negative index,
    /// count or nonpositive_count, besides what the other overload throws.
    static pareto_sketch from_bins(double eps, std::span<const std::int64_t> index,
                                   std::span<const std::int64_t> count, std::span<const double> sum,
                                   std::span<const double> min, std::span<const double> max,
                                   std::int64_t nonpositive_count, double nonpositive_total);

    /// Adds one value per entity; throws `data_error` naming the first NaN or infinite value
    /// (its position in `values`) and adds nothing then.
    void add(std::span<const double> values);

    /// Merges `other` in; throws `invalid_argument` when the bin precisions differ.
    pareto_sketch& operator+=(const pareto_sketch& other);

    double eps() const noexcept { return m_eps; }          ///< as requested
    int precision_bits() const noexcept { return m_bits; } ///< p: 2^-p <= eps
    std::uint64_t count() const noexcept;                  ///< values > 0
    double total() const noexcept;                         ///< their sum (bins summed downwards)
    std::uint64_t nonpositive_count() const noexcept { return m_nonpositive_count; }
    double nonpositive_total() const noexcept { return m_nonpositive_total; }
    /// Occupied bins, ascending (smallest values first).
    const std::vector<sketch_bin>& bins() const noexcept { return m_bins; }

    /// The bin index of a value > 0.
    std::uint64_t bin_index(double x) const noexcept;
    /// The smallest value of bin `index`, and the first value above it.
    double bin_lower(std::uint64_t index) const noexcept;
    double bin_upper(std::uint64_t index) const noexcept;

private:
    double m_eps;
    int m_bits;
    std::vector<sketch_bin> m_bins;
    std::uint64_t m_nonpositive_count = 0;
    double m_nonpositive_total = 0.0;
};

/// A figure estimated from a sketch, with bounds that hold whatever the values inside the bins.
struct bounded_figure {
    double estimate = 0.0; ///< the midpoint of the bounds (see pareto_sketch.hpp)
    double lower = 0.0;
    double upper = 0.0;
};

/// Pareto figures from a sketch (see pareto_sketch.hpp for the bounds).
struct sketch_figures {
    std::uint64_t n = 0;                         ///< ranked entities (value > 0)
    double total = 0.0;                          ///< their sum
    std::uint64_t nonpositive_count = 0;         ///< entities with value <= 0, not ranked
    double nonpositive_total = 0.0;              ///< their sum
    bool defined = false;                        ///< false when no value is > 0 (figures 0)
    std::string reason;                          ///< why not, else empty
    double min = 0.0;                            ///< smallest ranked value
    double max = 0.0;                            ///< largest ranked value
    std::size_t bins = 0;                        ///< occupied bins
    bounded_figure entities_for_80pct;           ///< entities_for_share(0.8)
    bounded_figure top20_share;                  ///< top_share(0.2)
    bounded_figure gini;                         ///< G (pareto.hpp)
    bounded_figure gini_small_sample;            ///< G n / (n - 1); 0 for n = 1
    std::array<bounded_figure, 3> class_count{}; ///< entities in A, B, C
    std::array<bounded_figure, 3> class_share{}; ///< share of the total in A, B, C
    pareto_options options;                      ///< thresholds and rule used
};

/// Share of the total made by the top ceil(fraction * n) values of the sketch, with bounds.
/// Throws `invalid_argument` unless 0 <= fraction <= 1; all 0 for an empty sketch.
bounded_figure top_share(const pareto_sketch& sketch, double fraction);

/// Smallest top fraction k / n of the values whose sum makes `share` of the total, with bounds.
/// Throws `invalid_argument` unless 0 <= share <= 1; all 0 for an empty sketch.
bounded_figure entities_for_share(const pareto_sketch& sketch, double share);

/// The headline figures of pareto.hpp from a sketch, each with bounds. Only
/// `nonpositive_policy::separate`: `include` throws `invalid_argument`, as do bad thresholds.
///
/// Example: a sketch of {60, 25, 10, 5} gives class_count A = {2, 2, 2} under the default rule.
sketch_figures pareto_figures(const pareto_sketch& sketch, const pareto_options& options = {});

CUSTOMETRICS_END_NAMESPACE
