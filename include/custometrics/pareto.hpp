// Pareto analysis of one indicator per entity: the ranked 80/20 curve, ABC classes, headline
// figures, Lorenz curve and Gini, the whale curve of profit, and the comparison of two periods.
//
// Input. One value per entity, `values[id]`, indexed by dense entity id (key_index.hpp). Ids
// ascend with the keys, so "ties broken by key" is "ties broken by id". `aggregate_by` makes such
// totals from a transaction log (revenue per customer is its `sum` by customer). NaN or infinite
// values throw `data_error` naming the entity: `values: entity 3: value is nan`. Straight
// from rows with integer keys, `pareto_by_key` totals and ranks in one call and returns the
// keys by rank; with keys in a compact range it ranks the table of totals in place (no
// squeezing, no id-to-key gather), which makes it the fastest path from a log.
//
// Ranking. Value descending, ties by id ascending, whatever the thread count; -0.0 equals 0.0
// (detail/radix_sort.hpp: a stable radix sort). The whole `pareto` of 10^7 lognormal values
// takes about 19 ns per entity on one thread and 12 on two (bench_pareto.cpp; the first call
// of a process pays extra for fresh memory on a virtual machine).
//
// Zero and negative values, `nonpositive_policy`:
// - `separate` (default): entities with value <= 0 are not ranked. They rank last and are
//   reported separately: `nonpositive` lists them (value descending, then id) and
//   `nonpositive_total` is their sum. Curve, classes, shares and Gini are over the entities with
//   value > 0 and `total` is their sum. For revenue: customers whose returns cancel their
//   purchases are listed, not ranked.
// - `include`: every entity is ranked, those <= 0 last; shares are of the total of all values,
//   so with negative values the cumulative share rises above 1 and falls back to 1 (as on the
//   whale curve). That total must be > 0, else `data_error` naming it.
// With nothing to rank (no entity, or none > 0 under `separate`) the result has `defined ==
// false`, a `reason`, empty columns and headline figures of 0.
//
// Shares. share[r] = value[r] / total and cum_share[r] = (value[0] + ... + value[r]) / total for
// rank r = 0..n-1; the cumulative share of entities at rank r is (r + 1) / n (`entity_share`).
// Sums are formed in fixed blocks of 8192 ranks, then carried over the blocks, so results do
// not depend on the thread count; cum_share never decreases over positive values and the last
// one is exactly 1 (the total is the carried sum).
//
// ABC classes, with thresholds a < b (default 0.8 and 0.95) and two boundary rules:
// - `boundary_rule::before` (default): an entity is A when the cumulative share *before* it is
//   below a, else B when it is below b, else C. A covers at least a of the total, and the first
//   entity is always A.
// - `boundary_rule::including`: A when the cumulative share *including* it is at most a, else B
//   when at most b, else C. A covers at most a of the total and may be empty.
// Entities with value <= 0 ranked under `include` are always C. Worked examples:
//   values 50, 30, 15, 5 (cum 0.5, 0.8, 0.95, 1), before: cum before 0, 0.5, 0.8, 0.95
//     -> A A B C; including -> A A B C (the 80% and 95% boundaries fall exactly on entities).
//   values 60, 25, 10, 5 (cum 0.6, 0.85, 0.95, 1), before: cum before 0, 0.6, 0.85, 0.95
//     -> A A B C (A covers 85%); including -> A B B C (A covers 60%).
//   values 100, 1, 1 (cum 0.98, 0.99, 1): before -> A C C; including -> C C C.
//
// Headline figures.
// - `entities_for_share(s)` = k / n with k the first rank count whose cumulative share reaches s:
//   the smallest top fraction of entities that makes s of the total. `entities_for_80pct` is
//   entities_for_share(0.8).
// - `top_share(f)` = cumulative share of the top k = ceil(f * n) entities (the top 20% of 7
//   entities are 2 of them; f * n is rounded up with a relative tolerance of 1e-12, so that
//   0.2 * 10 is 2 whatever its last bit). `top20_share` is top_share(0.2).
// - ABC counts and value shares, `class_count` and `class_share` indexed by abc_class.
// Without a full ranking, `top_share(values, f)` and `entities_for_share(values, s)` answer one
// query by partial selection (std::nth_element, linear time).
//
// Gini. On values ascending x(1) <= ... <= x(n) with total T = sum x (Gini 1912; the form of
// Damgaard & Weiner 2000, Ecology 81(4), 1139-1142):
//     G = 2 * sum_i i * x(i) / (n * T) - (n + 1) / n,
// computed as G = S / (n * T) with S = sum_r (n - 1 - 2r) * value[r] over the descending ranks,
// the same sum rearranged (S is half the Gini mean difference sum_i sum_j |x_i - x_j|; it is
// exactly 0 for equal integer values, and clamped at 0 against rounding). The small-sample form
// is G * n / (n - 1), 0 for n = 1. G = 0 for equal values and (n - 1) / n when one of n values is
// non-zero. G is undefined (`defined == false`, with a reason) for no values or T <= 0. With
// negative values G can exceed 1; `gini_rsv` stays in [0, (n - 1) / n]: the normalisation of
// Raffinetti, Siletti & Vernizzi (2015), "On the Gini coefficient normalization when attributes
// with negative values are considered", Statistical Methods & Applications 24(3), 507-521:
//     G_RSV = sum_i sum_j |x_i - x_j| / (2 * n * (T+ + T-)) = S / (n * sum |x|),
// T+ the sum of the positive values and T- the absolute sum of the negative ones (their
// maximum is the "polarised" case: all of T+ on one entity, all of T- on another, the rest 0).
// It equals G when no value is negative, and is defined whenever some value is non-zero.
// Example: values -2, 1, 4: S = 2*4 + 0*1 - 2*(-2) = 12, T = 3, sum |x| = 7, G = 12/9 = 4/3,
// G_RSV = 12/21 = 4/7.
//
// Lorenz curve: points (i / n, L_i), i = 0..n, L_i = share of the total held by the i smallest
// values (L_0 = 0, L_n = 1); with negative values it dips below 0. `pareto_result::lorenz(k)` and
// the other curves return at most k exact points (at evenly spaced indices, ends included).
//
// Whale curve (Kaplan & Cooper 1998, Cost & Effect, ch. 10): entities ranked by profit
// descending, cumulative profit as a share of total profit. It rises to its peak (profit of the
// profitable entities / total, >= 1), stays there over zero-profit entities and falls back to 1
// over the loss makers. Undefined (`defined == false`, with a reason; not NaN, no exception)
// when total profit is <= 0.
//
// Period over period: two value arrays over the same entity ids; value <= 0 (0 for an absent
// entity) means not ranked in that period under `separate`, class "none". See `compare_periods`.
//
// Example:
//     std::vector<double> revenue{50, 30, 15, 5, 0};         // per customer id 0..4
//     pareto_result p = pareto(revenue);
//     // p.entity = {0, 1, 2, 3}, p.cum_share = {0.5, 0.8, 0.95, 1}, p.abc = {A, A, B, C},
//     // p.nonpositive = {4}, p.entities_for_80pct = 0.5, p.top20_share = 0.5 (top 1 of 4),
//     // p.gini.gini = (3*50 + 1*30 - 1*15 - 3*5) / (4 * 100) = 0.375
#pragma once

#include "custometrics/aggregate.hpp"
#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/detail/radix_sort.hpp"
#include "custometrics/error.hpp"
#include "custometrics/key_index.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// ABC class of a ranked entity (see pareto.hpp); stored one byte per entity.
enum class abc_class : std::uint8_t { A = 0, B = 1, C = 2 };

/// Where the class boundaries fall (see pareto.hpp).
enum class boundary_rule {
    before,   ///< in A while the cumulative share before the entity is below a_threshold
    including ///< in A while the cumulative share including the entity is at most a_threshold
};

/// What happens to entities with a value <= 0 (see pareto.hpp).
enum class nonpositive_policy {
    separate, ///< not ranked; listed in `nonpositive` with their total
    include   ///< ranked last; shares are of the total of all values, which must be > 0
};

/// "before" / "including" to a boundary rule; throws `invalid_argument` naming `argument`
/// (value: the text) otherwise. Every face reads the option through this function.
inline boundary_rule parse_boundary_rule(std::string_view text,
                                         std::string_view argument = "rule") {
    if (text == "before") return boundary_rule::before;
    if (text == "including") return boundary_rule::including;
    throw invalid_argument(argument,
                           "expected 'before' or 'including', got '" + std::string(text) + "'",
                           std::string(text));
}

/// "separate" / "include" to a policy on values <= 0; throws `invalid_argument` naming
/// `argument` (value: the text) otherwise.
inline nonpositive_policy parse_nonpositive_policy(std::string_view text,
                                                   std::string_view argument = "nonpositive") {
    if (text == "separate") return nonpositive_policy::separate;
    if (text == "include") return nonpositive_policy::include;
    throw invalid_argument(argument,
                           "expected 'separate' or 'include', got '" + std::string(text) + "'",
                           std::string(text));
}

/// Options of `pareto` and `compare_periods`.
struct pareto_options {
    double a_threshold = 0.8;  ///< A up to this cumulative share; 0 < a < b
    double b_threshold = 0.95; ///< B up to this cumulative share; b <= 1
    boundary_rule rule = boundary_rule::before;
    nonpositive_policy nonpositive = nonpositive_policy::separate;
    unsigned threads = 0; ///< 0 = all hardware threads
};

/// Points of a cumulative curve for plotting, x ascending from 0 to 1 (see pareto.hpp).
struct curve_points {
    column<double> x;
    column<double> y;
};

/// Gini coefficients of a set of values (see pareto.hpp for the formulas).
struct gini_result {
    std::size_t n = 0;              ///< number of values
    double total = 0.0;             ///< sum of the values
    double absolute_total = 0.0;    ///< sum of |value|: T+ + T-
    bool defined = false;           ///< whether `gini` is defined: n >= 1 and total > 0
    std::string reason;             ///< why it is not, else empty
    double gini = 0.0;              ///< G; 0 when not defined; above 1 possible with negatives
    double gini_small_sample = 0.0; ///< G * n / (n - 1); 0 for n = 1 or when not defined
    bool rsv_defined = false;       ///< whether `gini_rsv` is defined: some value is non-zero
    double gini_rsv = 0.0; ///< Raffinetti-Siletti-Vernizzi G, in [0, (n-1)/n]; 0 if undefined
};

namespace detail {

/// Throws `data_error` naming the first entity whose value is NaN or infinite.
inline void throw_first_nonfinite(std::span<const double> values, const char* name) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i])) {
            const std::string value = format_number(values[i]);
            throw data_error(std::string(name) + ": entity " + std::to_string(i) + ": value is " +
                                 value,
                             error_context{name, i, {}, {}, value});
        }
}

/// Ranks `values` (keep(x) decides which) and throws on NaN or infinity, naming `name`.
template <bool Ids, class Keep>
ranking rank_checked(std::span<const double> values, Keep keep, unsigned threads,
                     const char* name) {
    ranking r = rank_descending<Ids>(values, keep, threads);
    if (!r.finite) throw_first_nonfinite(values, name);
    return r;
}

/// Throws the `data_error` of finite values whose `total` overflows (argument `name`).
[[noreturn]] inline void throw_sum_overflow(const char* name, double total) {
    throw data_error(std::string(name) +
                         ": the sum of the values overflows the largest number (about 1.8e308)",
                     error_context{name, std::nullopt, {}, {}, format_number(total)});
}

/// Throws the `data_error` of ranked values whose `total` is <= 0 under
/// `nonpositive_policy::include` (argument "values", value: the total): shares of such a total
/// are undefined. `pareto` and the sums of a ranking in chunks (`combine_chunk_sums`) throw it.
[[noreturn]] inline void throw_total_not_positive(double total) {
    const std::string value = format_number(total);
    throw data_error("values: total is " + value +
                         " (<= 0) under nonpositive_policy::include: shares of the total are "
                         "undefined",
                     error_context{"values", std::nullopt, {}, {}, value});
}

/// Ranks are summed in blocks of this many, so that sums do not depend on the thread count.
inline constexpr std::size_t sum_block = 8192;

/// The running sums of one block of ranked values (see `block_sums`): the one statement of the
/// order of their operations, which the sums of chunks (pareto_partition.hpp) repeat bit for bit.
struct block_accumulator {
    double sum = 0.0;      ///< of the values
    double weighted = 0.0; ///< of (last - 2 rank) * value, last = n - 1
    double absolute = 0.0; ///< of |value|

    /// Adds the value `x` at rank `rank` of n = last + 1.
    void add(double x, double last, std::size_t rank) noexcept {
        sum += x;
        weighted += (last - 2.0 * static_cast<double>(rank)) * x;
        absolute += std::fabs(x);
    }
};

/// Sums over values ranked in descending order (see `block_sums`).
struct ranked_sums {
    double total = 0.0;        ///< sum of the values (carried over the blocks)
    double weighted = 0.0;     ///< S = sum_r (n - 1 - 2r) * value[r], the Gini numerator
    double absolute = 0.0;     ///< sum of |value|
    std::vector<double> carry; ///< carry[j]: sum of the blocks before block j (with `cum`)
};

/// Sums over `v` (descending) block by block on `threads` threads. With `cum`, also writes the
/// running sum within each block to cum[i]; the cumulative sum is then carry[block] + cum[i].
/// Throws `data_error` (argument `name`) when the total overflows.
inline ranked_sums block_sums(std::span<const double> v, double* cum, unsigned threads,
                              const char* name = "values") {
    const std::size_t n = v.size();
    const std::size_t blocks = (n + sum_block - 1) / sum_block;
    std::vector<double> sum(blocks), weighted(blocks), absolute(blocks);
    const unsigned t = static_cast<unsigned>(std::min<std::size_t>(
        thread_count(n, threads, std::size_t{1} << 17), std::max<std::size_t>(blocks, 1)));
    const double last = static_cast<double>(n) - 1.0;
    parallel_chunks(blocks, t, [&](std::size_t jb, std::size_t je, unsigned) {
        for (std::size_t j = jb; j < je; ++j) {
            const std::size_t b = j * sum_block;
            const std::size_t e = std::min(n, b + sum_block);
            block_accumulator acc;
            for (std::size_t i = b; i < e; ++i) {
                acc.add(v[i], last, i);
                if (cum != nullptr) cum[i] = acc.sum;
            }
            sum[j] = acc.sum;
            weighted[j] = acc.weighted;
            absolute[j] = acc.absolute;
        }
    });
    ranked_sums out;
    out.carry.resize(blocks);
    for (std::size_t j = 0; j < blocks; ++j) {
        out.carry[j] = out.total;
        out.total += sum[j];
        out.weighted += weighted[j];
        out.absolute += absolute[j];
    }
    // Finite values whose total is not (two totals of 1e308): no share or cumulative share
    // would be a number, so the analysis stops here instead of writing NaN. (Gini's sums, up to
    // n times larger, may overflow alone: `gini_from_sums` leaves Gini undefined then.)
    if (!std::isfinite(out.total)) throw_sum_overflow(name, out.total);
    return out;
}

/// num / (count * total), divided in steps when that product overflows though the quotient
/// does not (three values near 1e308); the same bits as the plain division otherwise.
inline double ratio_over(double num, double count, double total) noexcept {
    const double d = count * total;
    return std::isfinite(d) ? num / d : num / total / count;
}

/// The Gini coefficients from the sums of `n` ranked values.
inline gini_result gini_from_sums(std::size_t n, const ranked_sums& s) {
    gini_result g;
    g.n = n;
    g.total = s.total;
    g.absolute_total = s.absolute;
    const double weighted = std::max(s.weighted, 0.0); // >= 0 in exact arithmetic
    const auto dn = static_cast<double>(n);
    if (n == 0) {
        g.reason = "no values";
    } else if (!std::isfinite(s.weighted) || !std::isfinite(s.absolute)) {
        g.reason = "the Gini sums (n - 1 - 2r) * value and |value| overflow the largest number";
        return g;
    } else if (!(s.total > 0.0)) {
        g.reason =
            "total is " + format_number(s.total) + " (<= 0): shares of the total are undefined";
    } else {
        g.defined = true;
        g.gini = ratio_over(weighted, dn, s.total);
        g.gini_small_sample = n > 1 ? ratio_over(weighted, dn - 1.0, s.total) : 0.0;
    }
    if (s.absolute > 0.0) {
        g.rsv_defined = true;
        g.gini_rsv = ratio_over(weighted, dn, s.absolute);
    }
    return g;
}

/// Writes cum[i] = (carry + cum[i]) / total and, with `share`, share[i] = v[i] / total.
inline void finish_shares(std::span<const double> v, double* cum, double* share,
                          const ranked_sums& s, unsigned threads) {
    const std::size_t n = v.size();
    const std::size_t blocks = s.carry.size();
    const unsigned t = static_cast<unsigned>(std::min<std::size_t>(
        thread_count(n, threads, std::size_t{1} << 17), std::max<std::size_t>(blocks, 1)));
    const double total = s.total;
    parallel_chunks(blocks, t, [&](std::size_t jb, std::size_t je, unsigned) {
        for (std::size_t j = jb; j < je; ++j) {
            const std::size_t b = j * sum_block;
            const std::size_t e = std::min(n, b + sum_block);
            const double carry = s.carry[j];
            for (std::size_t i = b; i < e; ++i)
                cum[i] = (carry + cum[i]) / total;
            if (share != nullptr)
                for (std::size_t i = b; i < e; ++i)
                    share[i] = v[i] / total;
        }
    });
}

/// At most `max_points` indices in [0, n], evenly spaced, ends included (all when max_points
/// is 0 or above n). When `keep` <= n and max_points >= 3, index `keep` is among them: it
/// replaces the nearest inner index.
inline std::vector<std::size_t>
curve_indices(std::size_t n, std::size_t max_points,
              std::size_t keep = std::numeric_limits<std::size_t>::max()) {
    std::vector<std::size_t> idx;
    if (max_points == 0 || max_points > n) {
        idx.resize(n + 1);
        for (std::size_t i = 0; i <= n; ++i)
            idx[i] = i;
        return idx;
    }
    const std::size_t k = std::max<std::size_t>(max_points, 2) - 1; // intervals
    idx.resize(k + 1);
    for (std::size_t j = 0; j <= k; ++j)
        idx[j] = (2 * j * n + k) / (2 * k); // round(j n / k)
    if (keep <= n && k >= 2 && !std::binary_search(idx.begin(), idx.end(), keep)) {
        // idx[pos - 1] < keep < idx[pos], 1 <= pos <= k; replace the nearer, never an end.
        const auto pos =
            static_cast<std::size_t>(std::upper_bound(idx.begin(), idx.end(), keep) - idx.begin());
        const std::size_t j = idx[pos] - keep < keep - idx[pos - 1] ? pos : pos - 1;
        idx[std::clamp<std::size_t>(j, 1, k - 1)] = keep;
    }
    return idx;
}

/// k = ceil(fraction * n) with a relative tolerance of 1e-12 on the product.
inline std::size_t top_count(double fraction, std::size_t n) {
    if (!(fraction >= 0.0 && fraction <= 1.0))
        throw invalid_argument("fraction", "must be in [0, 1], got " + format_number(fraction));
    const double x = fraction * static_cast<double>(n);
    return std::min(n, static_cast<std::size_t>(std::ceil(x * (1.0 - 1e-12))));
}

/// Checks a share argument in [0, 1].
inline void check_share(double share) {
    if (!(share >= 0.0 && share <= 1.0))
        throw invalid_argument("share", "must be in [0, 1], got " + format_number(share));
}

} // namespace detail

/// The ranked Pareto curve of one indicator, its ABC classes and headline figures.
///
/// Columns are by rank r = 0..size()-1, largest value first (see pareto.hpp for ties, the
/// policy on values <= 0, the boundary rules and every formula).
struct pareto_result {
    column<entity_id> entity;   ///< entity id at each rank
    column<double> value;       ///< its value
    column<double> share;       ///< value / total
    column<double> cum_share;   ///< cumulative share of the total, including this rank
    column<abc_class> abc;      ///< ABC class
    double total = 0.0;         ///< sum of the ranked values
    std::size_t n_positive = 0; ///< ranked entities with value > 0 (the first ones)
    bool defined = false;       ///< false: nothing to rank (see `reason`), columns empty
    std::string reason;

    column<entity_id> nonpositive;  ///< `separate`: ids with value <= 0, value desc, id asc
    double nonpositive_total = 0.0; ///< their sum (<= 0)

    double entities_for_80pct = 0.0;          ///< entities_for_share(0.8)
    double top20_share = 0.0;                 ///< top_share(0.2)
    std::array<std::size_t, 3> class_count{}; ///< entities in A, B, C
    std::array<double, 3> class_share{};      ///< share of the total in A, B, C
    gini_result gini;                         ///< Gini of the ranked values

    pareto_options options; ///< the options used

    /// Number of ranked entities (n).
    std::size_t size() const noexcept { return entity.size(); }

    /// Cumulative share of entities at rank r: (r + 1) / n.
    double entity_share(std::size_t r) const noexcept {
        return static_cast<double>(r + 1) / static_cast<double>(size());
    }

    /// Number of top entities k = ceil(fraction * n); throws unless 0 <= fraction <= 1.
    std::size_t top_count(double fraction) const { return detail::top_count(fraction, size()); }

    /// Share of the total made by the top ceil(fraction * n) entities; 0 for none.
    double top_share(double fraction) const {
        const std::size_t k = top_count(fraction);
        return k == 0 ? 0.0 : cum_share[k - 1];
    }

    /// Smallest number of top entities whose cumulative share reaches `target` (0 for target 0).
    /// Throws unless 0 <= target <= 1.
    std::size_t count_for_share(double target) const {
        detail::check_share(target);
        if (target == 0.0 || n_positive == 0) return 0;
        // cum_share rises over the positive values, to 1 or more: the first reaching is there.
        const auto it = std::partition_point(
            cum_share.begin(), cum_share.begin() + static_cast<std::ptrdiff_t>(n_positive),
            [target](double c) { return c < target; });
        return std::min(n_positive, static_cast<std::size_t>(it - cum_share.begin()) + 1);
    }

    /// Smallest top fraction of entities whose cumulative share reaches `target`: k / n.
    double entities_for_share(double target) const {
        const std::size_t k = count_for_share(target);
        return size() == 0 ? 0.0 : static_cast<double>(k) / static_cast<double>(size());
    }

    /// The Pareto chart's cumulative line: (k / n, cumulative share of the top k), k = 0..n, at
    /// most `max_points` of them (0 = all). Empty when not defined.
    curve_points curve(std::size_t max_points = 0) const {
        curve_points c;
        const std::size_t n = size();
        if (n == 0) return c;
        for (const std::size_t k : detail::curve_indices(n, max_points)) {
            c.x.push_back(static_cast<double>(k) / static_cast<double>(n));
            c.y.push_back(k == 0 ? 0.0 : cum_share[k - 1]);
        }
        return c;
    }

    /// The Lorenz curve of the ranked values: (i / n, share held by the i smallest), i = 0..n,
    /// at most `max_points` of them (0 = all). Empty when not defined.
    curve_points lorenz(std::size_t max_points = 0) const {
        curve_points c;
        const std::size_t n = size();
        if (n == 0) return c;
        for (const std::size_t i : detail::curve_indices(n, max_points)) {
            c.x.push_back(static_cast<double>(i) / static_cast<double>(n));
            c.y.push_back(i == 0 ? 0.0 : i == n ? 1.0 : 1.0 - cum_share[n - 1 - i]);
        }
        return c;
    }
};

namespace detail {

/// Throws `invalid_argument` unless 0 < a < b <= 1, both finite.
inline void check_options(const pareto_options& o) {
    if (!(std::isfinite(o.a_threshold) && o.a_threshold > 0.0 && o.a_threshold < 1.0))
        throw invalid_argument("pareto_options.a_threshold",
                               "must be in (0, 1), got " + format_number(o.a_threshold));
    if (!(std::isfinite(o.b_threshold) && o.b_threshold > o.a_threshold && o.b_threshold <= 1.0))
        throw invalid_argument("pareto_options.b_threshold",
                               "must be in (a_threshold = " + format_number(o.a_threshold) +
                                   ", 1], got " + format_number(o.b_threshold));
}

/// Whether the cumulative share `c` keeps an entity inside the class up to `threshold`: the
/// share before it below the threshold (`before`), or the share including it at most the
/// threshold (`including`); `c` is the share before or including it accordingly.
inline bool inside(boundary_rule rule, double c, double threshold) noexcept {
    return rule == boundary_rule::before ? c < threshold : c <= threshold;
}

/// Class boundaries: ranks [0, ka) are A, [ka, kb) B, the rest C (see pareto.hpp).
inline std::pair<std::size_t, std::size_t> class_bounds(const pareto_result& r) {
    const auto first = r.cum_share.begin();
    const auto positive = static_cast<std::ptrdiff_t>(r.n_positive);
    const boundary_rule rule = r.options.rule;
    auto bound = [&](double threshold) -> std::size_t {
        if (r.n_positive == 0) return 0;
        auto in = [&](double c) { return inside(rule, c, threshold); };
        if (rule == boundary_rule::before) // 1 + #{q < n_positive - 1 : cum[q] < t}
            return 1 + static_cast<std::size_t>(
                           std::partition_point(first, first + positive - 1, in) - first);
        return static_cast<std::size_t>(std::partition_point(first, first + positive, in) - first);
    };
    return {bound(r.options.a_threshold), bound(r.options.b_threshold)};
}

/// Entities and value shares of the classes A, B, C.
struct class_figures {
    std::array<std::size_t, 3> count{};
    std::array<double, 3> share{};
};

/// The class figures of n ranked entities from the class bounds ka <= kb (`class_bounds`) and
/// the cumulative shares at ranks ka - 1 and kb - 1 (`cum_a`, `cum_b`; 0 for a bound of 0).
inline class_figures class_figures_of(std::size_t n, std::size_t ka, std::size_t kb, double cum_a,
                                      double cum_b) noexcept {
    return {{ka, kb - ka, n - kb}, {cum_a, cum_b - cum_a, 1.0 - cum_b}};
}

/// The `reason` of an analysis with nothing ranked, `nonpositive` entities all <= 0.
inline std::string not_ranked_reason(std::size_t nonpositive) {
    return nonpositive == 0 ? "no entities"
                            : "no entity has a value > 0 (" + std::to_string(nonpositive) +
                                  " entities, all <= 0)";
}

} // namespace detail

namespace detail {

/// `pareto` over the entities `i` of `values` with `ranked(values[i])`; under
/// `nonpositive_policy::separate`, those with `rest(values[i])` are the nonpositive list (the
/// two predicates must not both hold). `nonfinite(values)` throws for a NaN or infinite value.
/// `pareto` ranks every entity; `pareto_by_key` skips the slots of its table that no row touched.
template <class Ranked, class Rest, class Nonfinite>
pareto_result pareto_of(std::span<const double> values, Ranked ranked_keep, Rest rest_keep,
                        Nonfinite nonfinite, const pareto_options& options) {
    check_options(options);
    pareto_result out;
    out.options = options;
    const bool separate = options.nonpositive == nonpositive_policy::separate;
    const unsigned threads = options.threads;
    ranking ranked = rank_descending<true>(values, ranked_keep, threads);
    if (!ranked.finite) nonfinite(values);
    const std::size_t n = ranked.values.size();
    if (separate && n < values.size()) {
        const ranking rest = rank_descending<true>(values, rest_keep, threads);
        out.nonpositive.assign(rest.ids.begin(), rest.ids.end());
        // In blocks, as the ranked values: the same sum from chunks (pareto_partition.hpp).
        out.nonpositive_total = block_sums(rest.values, nullptr, threads).total;
    }
    if (n == 0) {
        out.reason = not_ranked_reason(out.nonpositive.size());
        out.gini = gini_from_sums(0, {});
        return out;
    }

    // The columns below are left unset (`uninitialised_column`), each entry written once by the
    // threads of `block_sums`, `finish_shares` and the class fill: no zeroing pass before them.
    out.cum_share = uninitialised_column<double>(n);
    const ranked_sums sums = block_sums(ranked.values, out.cum_share.data(), threads);
    if (!(sums.total > 0.0)) throw_total_not_positive(sums.total);
    out.share = uninitialised_column<double>(n);
    finish_shares(ranked.values, out.cum_share.data(), out.share.data(), sums, threads);
    out.entity = std::move(ranked.ids);
    out.value = std::move(ranked.values);
    out.total = sums.total;
    out.n_positive = static_cast<std::size_t>(
        std::partition_point(out.value.begin(), out.value.end(), [](double x) { return x > 0.0; }) -
        out.value.begin());
    out.defined = true;
    out.gini = gini_from_sums(n, sums);

    const auto [ka, kb] = class_bounds(out);
    out.abc = uninitialised_column<abc_class>(n);
    std::fill(out.abc.begin(), out.abc.begin() + static_cast<std::ptrdiff_t>(ka), abc_class::A);
    std::fill(out.abc.begin() + static_cast<std::ptrdiff_t>(ka),
              out.abc.begin() + static_cast<std::ptrdiff_t>(kb), abc_class::B);
    std::fill(out.abc.begin() + static_cast<std::ptrdiff_t>(kb), out.abc.end(), abc_class::C);
    const class_figures cf = class_figures_of(n, ka, kb, ka == 0 ? 0.0 : out.cum_share[ka - 1],
                                              kb == 0 ? 0.0 : out.cum_share[kb - 1]);
    out.class_count = cf.count;
    out.class_share = cf.share;
    out.entities_for_80pct = out.entities_for_share(0.8);
    out.top20_share = out.top_share(0.2);
    return out;
}

} // namespace detail

/// Ranks the entities by `values[id]` and builds the Pareto curve, ABC classes and headline
/// figures (see pareto.hpp for every definition).
///
/// Throws `invalid_argument` for bad thresholds (naming the option and value) or 2^32 - 1
/// entities or more, and `data_error` naming the first entity whose value is NaN or infinite,
/// or, under `nonpositive_policy::include`, naming a total <= 0.
///
/// Example: pareto({{60, 25, 10, 5}}).abc == {A, A, B, C}; with
/// `{.rule = boundary_rule::including}` it is {A, B, B, C}.
inline pareto_result pareto(std::span<const double> values, const pareto_options& options = {}) {
    auto nonfinite = [](std::span<const double> v) { detail::throw_first_nonfinite(v, "values"); };
    if (options.nonpositive == nonpositive_policy::separate)
        return detail::pareto_of(
            values, [](double x) { return x > 0.0; }, [](double x) { return x <= 0.0; }, nonfinite,
            options);
    return detail::pareto_of(
        values, [](double) { return true; }, [](double) { return false; }, nonfinite, options);
}

/// Result of `pareto_by_key`: the analysis of the totals per key, with the keys.
struct keyed_pareto {
    /// The analysis. Its ids (`entity`, `nonpositive`) are positions in a table internal to
    /// `pareto_by_key`: read the keys from `keys` and `nonpositive_keys` instead.
    pareto_result pareto;
    column<std::int64_t> keys;             ///< key at each rank
    column<std::int64_t> nonpositive_keys; ///< key of each `pareto.nonpositive` entity
    column<double> nonpositive_values;     ///< its total
};

/// Pareto analysis straight from rows: `values` totalled per integer key, each key with a row
/// an entity, then `pareto` of the totals (the same result as `pareto` of `sum_by_key`'s sums:
/// ties in key order, as ids ascend with the keys there).
///
/// Method: when the keys span a compact range (`sum_by_key`), the totals stay in the table
/// indexed by `key - min`, untouched slots holding -0.0, and the ranking skips those slots:
/// no squeezing of the table, no id-to-key gather (a key is min + slot). Otherwise the totals
/// of `sum_by_key` are ranked. As there, each thread sums a contiguous chunk of the rows with
/// Neumaier's compensation, and the chunks' sums are merged compensated: a total is the
/// correctly rounded sum of its values, the same for any row order and thread count.
///
/// Throws `invalid_argument` when the lengths differ or for bad options, and `data_error`
/// naming the row of a NaN or infinite value, or the key whose total overflows to infinity.
inline keyed_pareto pareto_by_key(std::span<const std::int64_t> keys,
                                  std::span<const double> values,
                                  const pareto_options& options = {}) {
    detail::check_options(options);
    if (values.size() != keys.size())
        throw invalid_argument("values", "has " + std::to_string(values.size()) +
                                             " rows, keys has " + std::to_string(keys.size()));
    keyed_pareto out;
    std::int64_t lo = 0;
    column<double> totals;
    column<std::int64_t> compact_keys; // empty on the dense path: the key is lo + slot
    if (std::optional<detail::dense_sums> d =
            detail::sum_by_dense_key(keys, values, options.threads)) {
        lo = d->lo;
        totals = std::move(d->sum);
    } else {
        keyed_sums s = sum_by_key(keys, values, options.threads);
        totals = std::move(s.sum);
        compact_keys = std::move(s.keys);
    }
    const bool dense = compact_keys.empty();
    auto key_of = [&](entity_id id) {
        return dense ? lo + static_cast<std::int64_t>(id) : compact_keys[id];
    };
    auto nonfinite = [&](std::span<const double> v) {
        for (std::size_t i = 0; i < v.size(); ++i)
            if (!std::isfinite(v[i])) {
                // The key (not a row) and the total as fields: the caller names its columns.
                const std::string key = std::to_string(key_of(static_cast<entity_id>(i)));
                const std::string total = detail::format_number(v[i]);
                throw data_error("values: key " + key + ": total is " + total +
                                     " (the sum of its values overflows)",
                                 error_context{"values", std::nullopt, key, {}, total});
            }
    };
    using detail::untouched;
    if (options.nonpositive == nonpositive_policy::separate)
        out.pareto = detail::pareto_of(
            totals, [](double x) { return x > 0.0; },
            [](double x) { return x <= 0.0 && !untouched(x); }, nonfinite, options);
    else
        out.pareto = detail::pareto_of(
            totals, [](double x) { return !untouched(x); }, [](double) { return false; }, nonfinite,
            options);
    const pareto_result& r = out.pareto;
    out.keys.resize(r.entity.size());
    detail::parallel_chunks(r.entity.size(), detail::thread_count(r.entity.size(), options.threads),
                            [&](std::size_t b, std::size_t e, unsigned) {
                                for (std::size_t i = b; i < e; ++i)
                                    out.keys[i] = key_of(r.entity[i]);
                            });
    out.nonpositive_keys.resize(r.nonpositive.size());
    out.nonpositive_values.resize(r.nonpositive.size());
    for (std::size_t i = 0; i < r.nonpositive.size(); ++i) {
        out.nonpositive_keys[i] = key_of(r.nonpositive[i]);
        out.nonpositive_values[i] = totals[r.nonpositive[i]];
    }
    return out;
}

/// Gini coefficients of all `values` (zeros and negatives included), see pareto.hpp.
///
/// Sorts the values only, without ids (about 14 ns per value at 10^7 on one thread, 8 on two),
/// on `threads` threads (0 = all); a Gini needs the full order, so there is no partial-selection
/// shortcut. Not defined for no values or a total <= 0 (`defined == false` and a reason;
/// `gini_rsv` is still given when some value is non-zero). Throws `data_error` naming the first
/// NaN or infinite value.
///
/// Example: gini({{1, 1, 1, 1}}).gini == 0; gini({{0, 0, 0, 5}}).gini == 0.75.
inline gini_result gini(std::span<const double> values, unsigned threads = 0) {
    const detail::ranking r = detail::rank_checked<false>(
        values, [](double) { return true; }, threads, "values");
    return detail::gini_from_sums(r.values.size(), detail::block_sums(r.values, nullptr, threads));
}

namespace detail {

/// The values kept by `policy`, copied for partial selection; throws on NaN or infinity.
inline column<double> kept_values(std::span<const double> values, nonpositive_policy policy) {
    throw_first_nonfinite(values, "values");
    column<double> v;
    v.reserve(values.size());
    for (const double x : values)
        if (policy == nonpositive_policy::include || x > 0.0) v.push_back(x);
    return v;
}

/// Sum of `v` in order.
inline double plain_sum(std::span<const double> v) {
    double s = 0.0;
    for (const double x : v)
        s += x;
    return s;
}

} // namespace detail

/// Share of the total made by the top ceil(fraction * n) entities, by partial selection: the
/// figure of `pareto(values, options).top_share(fraction)` with `options.nonpositive = policy`
/// (up to the rounding of the sums), in linear time.
///
/// nullopt when no entity is kept or their total is <= 0. Throws `invalid_argument` unless
/// 0 <= fraction <= 1 and `data_error` naming the first NaN or infinite value, or when the
/// total overflows.
///
/// Example: top_share({{50, 30, 15, 5}}, 0.5) == 0.8.
inline std::optional<double> top_share(std::span<const double> values, double fraction,
                                       nonpositive_policy policy = nonpositive_policy::separate) {
    column<double> v = detail::kept_values(values, policy);
    const std::size_t k = detail::top_count(fraction, v.size());
    const double total = detail::plain_sum(v);
    if (!std::isfinite(total)) detail::throw_sum_overflow("values", total);
    if (v.empty() || !(total > 0.0)) return std::nullopt;
    if (k == 0) return 0.0;
    if (k == v.size()) return 1.0;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k - 1), v.end(),
                     std::greater<>());
    return detail::plain_sum(std::span<const double>(v).first(k)) / total;
}

/// Smallest top fraction of entities whose values make `share` of the total, by partial
/// selection: the figure of `pareto(values, options).entities_for_share(share)` with
/// `options.nonpositive = policy` (up to the rounding of the sums), in linear expected time.
///
/// Method: the answer k lies in (lo, hi], starting with (0, n]; std::nth_element splits the
/// range at its middle, and the upper half's sum tells on which side k lies (about 2n element
/// moves in all), then the last few are sorted. nullopt when no entity is kept or their total
/// is <= 0. Throws `invalid_argument` unless 0 <= share <= 1 and `data_error` naming the first
/// NaN or infinite value, or when the total overflows.
///
/// Example: entities_for_share({{50, 30, 15, 5}}, 0.8) == 0.5.
inline std::optional<double>
entities_for_share(std::span<const double> values, double share,
                   nonpositive_policy policy = nonpositive_policy::separate) {
    detail::check_share(share);
    column<double> v = detail::kept_values(values, policy);
    const double total = detail::plain_sum(v);
    if (!std::isfinite(total)) detail::throw_sum_overflow("values", total);
    if (v.empty() || !(total > 0.0)) return std::nullopt;
    if (share == 0.0) return 0.0;
    const std::size_t n = v.size();
    std::size_t lo = 0;
    std::size_t hi = n;
    double above = 0.0; // sum of the top lo values
    auto first = v.begin();
    while (hi - lo > 32) {
        const std::size_t mid = lo + (hi - lo) / 2;
        std::nth_element(first + static_cast<std::ptrdiff_t>(lo),
                         first + static_cast<std::ptrdiff_t>(mid),
                         first + static_cast<std::ptrdiff_t>(hi), std::greater<>());
        const double s = detail::plain_sum(std::span<const double>(v).subspan(lo, mid - lo));
        if ((above + s) / total >= share) {
            hi = mid;
        } else {
            above += s;
            lo = mid;
        }
    }
    std::sort(first + static_cast<std::ptrdiff_t>(lo), first + static_cast<std::ptrdiff_t>(hi),
              std::greater<>());
    std::size_t k = hi;
    for (std::size_t i = lo; i < hi; ++i) {
        above += v[i];
        if (above / total >= share) {
            k = i + 1;
            break;
        }
    }
    return static_cast<double>(k) / static_cast<double>(n);
}

/// The whale curve of profit per entity (see pareto.hpp).
struct whale_result {
    bool defined = false; ///< false when total profit <= 0 or there are no entities
    std::string reason;   ///< why not, else empty

    std::size_t n = 0;              ///< entities (all, whatever their profit)
    double total = 0.0;             ///< total profit
    double profit_total = 0.0;      ///< sum of the positive profits
    double loss_total = 0.0;        ///< profit destroyed by loss makers, as a positive number
    std::size_t loss_entities = 0;  ///< entities with profit < 0
    double loss_entity_share = 0.0; ///< loss_entities / n
    double loss_share = 0.0;        ///< loss_total / total: destroyed profit, share of the total
    double peak_share = 0.0;        ///< highest cumulative share, profit_total / total (>= 1)
    std::size_t peak_count = 0;     ///< fewest top entities at the peak (the profitable ones)
    double peak_entity_share = 0.0; ///< peak_count / n

    column<entity_id> entity; ///< by rank, highest profit first (empty when not defined)
    column<double> value;     ///< profit at each rank
    column<double> cum_share; ///< cumulative profit / total, including this rank

    /// (k / n, cumulative share of the top k), k = 0..n, at most `max_points` points (0 = all),
    /// the peak always among them when max_points >= 3. Empty when not defined.
    curve_points curve(std::size_t max_points = 0) const {
        curve_points c;
        if (!defined) return c;
        for (const std::size_t k : detail::curve_indices(n, max_points, peak_count)) {
            c.x.push_back(static_cast<double>(k) / static_cast<double>(n));
            c.y.push_back(k == 0 ? 0.0 : cum_share[k - 1]);
        }
        return c;
    }
};

/// Builds the whale curve of `profit[id]` (every entity ranked, ties by id).
///
/// Counts and absolute totals are given whatever the total; shares, the peak and the curve only
/// when the total profit is > 0 (else `defined == false` with the reason, columns empty: not
/// NaN, no exception). Throws `data_error` naming the first NaN or infinite profit.
///
/// Example: profit 30, 10, -20, 0 (ids 0..3): total 20, ranked 30, 10, 0, -20, cum shares
/// 1.5, 2, 2, 1; peak 2 after 2 of 4 entities; 1 loss maker (25%) destroying 20 = 100% of the
/// total.
inline whale_result whale_curve(std::span<const double> profit, unsigned threads = 0) {
    detail::ranking ranked = detail::rank_checked<true>(
        profit, [](double) { return true; }, threads, "profit");
    whale_result w;
    const std::size_t n = ranked.values.size();
    w.n = n;
    for (const double x : ranked.values) { // ranked descending: sums in rank order
        if (x > 0.0) w.profit_total += x;
        if (x < 0.0) {
            w.loss_total -= x;
            ++w.loss_entities;
        }
    }
    if (n == 0) {
        w.reason = "no entities";
        return w;
    }
    w.loss_entity_share = static_cast<double>(w.loss_entities) / static_cast<double>(n);
    column<double> cum(n);
    const detail::ranked_sums sums =
        detail::block_sums(ranked.values, cum.data(), threads, "profit");
    w.total = sums.total;
    if (!(sums.total > 0.0)) {
        w.reason = "total profit is " + detail::format_number(sums.total) +
                   " (<= 0): shares of the total are undefined";
        return w;
    }
    detail::finish_shares(ranked.values, cum.data(), nullptr, sums, threads);
    w.defined = true;
    w.peak_count =
        static_cast<std::size_t>(std::partition_point(ranked.values.begin(), ranked.values.end(),
                                                      [](double x) { return x > 0.0; }) -
                                 ranked.values.begin());
    w.peak_share = cum[w.peak_count - 1]; // total > 0: some profit is positive
    w.peak_entity_share = static_cast<double>(w.peak_count) / static_cast<double>(n);
    w.loss_share = w.loss_total / sums.total;
    w.entity = std::move(ranked.ids);
    w.value = std::move(ranked.values);
    w.cum_share = std::move(cum);
    return w;
}

// ---- transaction rows keyed by customer, product or channel: totals, then the analysis

/// The names of the key and value columns of transaction rows, for the errors of
/// `pareto_of_rows` and `whale_of_rows`: e.g. {"customer_id", "amount"}.
struct row_columns {
    std::string key = "key";
    std::string value = "values";
};

/// Result of `whale_of_rows`: the whale curve of the totals per key, with the keys.
struct keyed_whale {
    /// The curve; its `entity` ids are positions in the totals: read the keys from `keys`.
    whale_result whale;
    column<std::int64_t> keys; ///< key at each rank
};

namespace detail {

/// Runs `f`; a `data_error` for a NaN or infinite value at row i (as `aggregate_by` and
/// `sum_by_key` throw it) is thrown again naming the value column, the row and its key
/// `key_text(i)`: "amount: row 1 (customer_id 7): value is nan".
template <class KeyText, class F> auto naming_rows(const row_columns& c, KeyText key_text, F f) {
    try {
        return f();
    } catch (const data_error& e) {
        if (!e.row() || !e.key().empty()) throw;
        const std::size_t i = *e.row();
        const std::string key = key_text(i);
        throw data_error(c.value + ": row " + std::to_string(i) + " (" + c.key + " " + key +
                             "): value is " + e.value(),
                         error_context{c.value, i, key, {}, e.value()});
    }
}

/// The totals of `values` per id of `index` (plain sums of `aggregate_by`), keyed by the ids;
/// a string key is named in quotes in errors.
inline keyed_sums sum_by_id(std::span<const entity_id> ids, const key_index& index,
                            std::span<const double> values, unsigned threads,
                            const row_columns& c) {
    auto key_text = [&](std::size_t i) {
        return index.type() == key_index::key_type::string
                   ? "'" + std::string(index.string_key(ids[i])) + "'"
                   : index.key_string(ids[i]);
    };
    keyed_sums s;
    s.sum = naming_rows(c, key_text, [&] {
        return aggregate_by(ids, index.size(), values, {},
                            {.threads = threads, .with_moments = false})
            .sum;
    });
    s.keys.resize(s.sum.size());
    std::iota(s.keys.begin(), s.keys.end(), std::int64_t{0});
    return s;
}

/// The Pareto analysis of totals per key (`pareto` of `s.sum`, ties in key order).
inline keyed_pareto pareto_of_sums(const keyed_sums& s, const pareto_options& options) {
    keyed_pareto out;
    out.pareto = pareto(s.sum, options);
    for (const entity_id id : out.pareto.entity)
        out.keys.push_back(s.keys[id]);
    for (const entity_id id : out.pareto.nonpositive) {
        out.nonpositive_keys.push_back(s.keys[id]);
        out.nonpositive_values.push_back(s.sum[id]);
    }
    return out;
}

/// The whale curve of totals per key (`whale_curve` of `s.sum`, ties in key order).
inline keyed_whale whale_of_sums(const keyed_sums& s, unsigned threads) {
    keyed_whale out;
    out.whale = whale_curve(s.sum, threads);
    for (const entity_id id : out.whale.entity)
        out.keys.push_back(s.keys[id]);
    return out;
}

} // namespace detail

/// Pareto analysis of transaction rows: `values` totalled per integer key, then ranked, as
/// `pareto_by_key` does; its errors name the caller's `columns` (a NaN or infinite value by
/// row and key, a total that overflows by key). The one row path of Python's `pareto`.
///
/// Example: keys {7, 5, 7}, values {10, 30, 25}, columns {"customer_id", "amount"}: keys by
/// rank {7, 5} (totals 35, 30); a NaN at row 1 throws "amount: row 1 (customer_id 5): value is
/// nan".
inline keyed_pareto pareto_of_rows(std::span<const std::int64_t> keys,
                                   std::span<const double> values, const pareto_options& options,
                                   const row_columns& columns) {
    try {
        return detail::naming_rows(
            columns, [&](std::size_t i) { return std::to_string(keys[i]); },
            [&] { return pareto_by_key(keys, values, options); });
    } catch (const data_error& e) {
        if (e.key().empty() || e.row()) throw; // a total <= 0 under the include policy, or named
        throw data_error(columns.value + ": " + columns.key + " " + e.key() + ": total is " +
                             e.value() + " (the sum of its values overflows)",
                         error_context{columns.value, std::nullopt, e.key(), {}, e.value()});
    }
}

/// Pareto analysis of transaction rows keyed by the ids of `index` (string keys, ids ascending
/// with the keys): totals per id by `aggregate_by`, then `pareto`. The result's `keys` and
/// `nonpositive_keys` are ids of `index`. Errors as the integer-key overload.
inline keyed_pareto pareto_of_rows(std::span<const entity_id> ids, const key_index& index,
                                   std::span<const double> values, const pareto_options& options,
                                   const row_columns& columns) {
    return detail::pareto_of_sums(detail::sum_by_id(ids, index, values, options.threads, columns),
                                  options);
}

/// The whale curve of transaction rows: `profit` totalled per integer key (`sum_by_key`), then
/// `whale_curve` of the totals, ties in key order; a NaN or infinite value names the caller's
/// `columns`, the row and its key. Example: keys {2, 1, 2}, profit {5, -3, 10}: keys by rank
/// {2, 1} (totals 15, -3).
inline keyed_whale whale_of_rows(std::span<const std::int64_t> keys, std::span<const double> profit,
                                 unsigned threads, const row_columns& columns) {
    return detail::whale_of_sums(detail::naming_rows(
                                     columns,
                                     [&](std::size_t i) { return std::to_string(keys[i]); },
                                     [&] { return sum_by_key(keys, profit, threads); }),
                                 threads);
}

/// The whale curve of transaction rows keyed by the ids of `index` (string keys): the result's
/// `keys` are ids of `index`. Errors as the integer-key overload.
inline keyed_whale whale_of_rows(std::span<const entity_id> ids, const key_index& index,
                                 std::span<const double> profit, unsigned threads,
                                 const row_columns& columns) {
    return detail::whale_of_sums(detail::sum_by_id(ids, index, profit, threads, columns), threads);
}

/// Spearman's rank correlation of two paired samples.
struct rank_correlation {
    bool defined = false; ///< false: fewer than 2 pairs, or all ranks tied in one sample
    std::string reason;
    std::size_t n = 0; ///< pairs used
    double rho = 0.0;  ///< in [-1, 1]; 0 when not defined
};

/// Comparison of two periods of the same indicator over the same entities (see
/// `compare_periods`).
struct period_comparison {
    pareto_result before; ///< Pareto analysis of the first period
    pareto_result after;  ///< and of the second

    /// migration[from][to]: entities in class `from` before and `to` after; index 0..2 is
    /// A, B, C (abc_class) and 3 is "none": not ranked in that period (new, gone, or absent
    /// from both).
    std::array<std::array<std::size_t, 4>, 4> migration{};
    column<entity_id> entered_a; ///< ids in A after but not before, ascending
    column<entity_id> left_a;    ///< ids in A before but not after, ascending

    rank_correlation spearman; ///< of the values of entities with value > 0 in both periods

    bool changes_defined = false; ///< both periods defined (the changes below are 0 otherwise)
    double gini_change = 0.0;     ///< after.gini.gini - before.gini.gini
    double entities_for_80pct_change = 0.0;
    double top20_share_change = 0.0;
};

/// Index of "none" (not ranked) in `period_comparison::migration`.
inline constexpr std::size_t class_none = 3;

namespace detail {

/// Average ranks (1 = largest; ties share the mean of their ranks) of `v`, by position.
inline column<double> average_ranks(std::span<const double> v, unsigned threads) {
    const ranking r = rank_descending<true>(
        v, [](double) { return true; }, threads);
    column<double> rank(v.size());
    for (std::size_t i = 0; i < r.values.size();) {
        std::size_t j = i + 1;
        while (j < r.values.size() && r.values[j] == r.values[i])
            ++j;
        const double mean =
            (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0; // of i+1..j
        for (std::size_t q = i; q < j; ++q)
            rank[r.ids[q]] = mean;
        i = j;
    }
    return rank;
}

/// Spearman's rho of the pairs (x[i], y[i]): Pearson's correlation of their average ranks.
inline rank_correlation spearman(std::span<const double> x, std::span<const double> y,
                                 unsigned threads) {
    rank_correlation c;
    c.n = x.size();
    if (c.n < 2) {
        c.reason =
            "fewer than 2 entities with a value > 0 in both periods (" + std::to_string(c.n) + ")";
        return c;
    }
    const column<double> rx = average_ranks(x, threads);
    const column<double> ry = average_ranks(y, threads);
    const double mean = (static_cast<double>(c.n) + 1.0) / 2.0; // of any average ranks
    double sxy = 0.0;
    double sxx = 0.0;
    double syy = 0.0;
    for (std::size_t i = 0; i < c.n; ++i) {
        const double dx = rx[i] - mean;
        const double dy = ry[i] - mean;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx == 0.0 || syy == 0.0) {
        c.reason =
            std::string("all values tied in the ") + (sxx == 0.0 ? "first" : "second") + " period";
        return c;
    }
    c.defined = true;
    c.rho = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
    return c;
}

/// Class of every entity id in a result: abc_class as 0..2, `class_none` when not ranked.
inline column<std::uint8_t> class_by_id(const pareto_result& r, std::size_t n) {
    column<std::uint8_t> cls(n, static_cast<std::uint8_t>(class_none));
    for (std::size_t q = 0; q < r.size(); ++q)
        cls[r.entity[q]] = static_cast<std::uint8_t>(r.abc[q]);
    return cls;
}

} // namespace detail

/// Compares two periods of one indicator: `before[id]` and `after[id]` over the same entity ids.
///
/// Each period gets its own `pareto` with `options`. An entity absent from a period has value 0
/// there: under `nonpositive_policy::separate` it is not ranked, class "none", so
/// `migration[none][A]` counts new entities that went straight to A and `migration[A][none]`
/// former A entities that are gone (under `include` every entity is ranked in both periods and
/// the "none" row and column stay empty). Spearman's rho (Spearman 1904) is over the entities
/// with value > 0 in both periods, with average ranks for ties (as scipy.stats.spearmanr):
/// Pearson's correlation of the ranks. The changes are after minus before.
///
/// Throws `invalid_argument` when the lengths differ or the options are bad, and `data_error`
/// naming `before` or `after` and the entity for a NaN or infinite value, or as `pareto` does.
///
/// Example: before 10, 20, 20, 30 and after 1, 3, 2, 4: ranks (largest = 1) 4, 2.5, 2.5, 1 and
/// 4, 2, 3, 1; rho = 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10) = 0.9487.
inline period_comparison compare_periods(std::span<const double> before,
                                         std::span<const double> after,
                                         const pareto_options& options = {}) {
    if (after.size() != before.size())
        throw invalid_argument("after", "has " + std::to_string(after.size()) +
                                            " entities, before has " +
                                            std::to_string(before.size()));
    detail::check_options(options);
    period_comparison c;
    detail::throw_first_nonfinite(before, "before");
    detail::throw_first_nonfinite(after, "after");
    c.before = pareto(before, options);
    c.after = pareto(after, options);
    const std::size_t n = before.size();
    const column<std::uint8_t> from = detail::class_by_id(c.before, n);
    const column<std::uint8_t> to = detail::class_by_id(c.after, n);
    constexpr auto a = static_cast<std::uint8_t>(abc_class::A);
    column<double> x; // values of the entities > 0 in both periods
    column<double> y;
    std::size_t common = 0;
    for (std::size_t i = 0; i < n; ++i)
        common += before[i] > 0.0 && after[i] > 0.0 ? 1 : 0;
    x.reserve(common);
    y.reserve(common);
    for (std::size_t i = 0; i < n; ++i) {
        ++c.migration[from[i]][to[i]];
        if (to[i] == a && from[i] != a) c.entered_a.push_back(static_cast<entity_id>(i));
        if (from[i] == a && to[i] != a) c.left_a.push_back(static_cast<entity_id>(i));
        if (before[i] > 0.0 && after[i] > 0.0) {
            x.push_back(before[i]);
            y.push_back(after[i]);
        }
    }
    c.spearman = detail::spearman(x, y, options.threads);
    c.changes_defined = c.before.defined && c.after.defined;
    if (c.changes_defined) {
        c.gini_change = c.after.gini.gini - c.before.gini.gini;
        c.entities_for_80pct_change = c.after.entities_for_80pct - c.before.entities_for_80pct;
        c.top20_share_change = c.after.top20_share - c.before.top20_share;
    }
    return c;
}

CUSTOMETRICS_END_NAMESPACE
