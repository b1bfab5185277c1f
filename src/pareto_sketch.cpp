// The Pareto sketch: binning, merging and the bounded figures (see
// custometrics/pareto_sketch.hpp for the bins and the derivation of the bounds).
#include "custometrics/pareto_sketch.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr int mantissa_bits = 52;

int precision_for(double eps) {
    if (!(eps > 0.0 && eps <= 1.0))
        throw invalid_argument("eps", "the relative bin width must be in (0, 1], got " +
                                          detail::format_number(eps));
    int p = 0;
    while (p < mantissa_bits && std::ldexp(1.0, -p) > eps)
        ++p;
    return p;
}

std::string bin_name(const sketch_bin& b) {
    return "bin " + std::to_string(b.index) + " (count " + std::to_string(b.count) + ", sum " +
           detail::format_number(b.sum) + ", min " + detail::format_number(b.min) + ", max " +
           detail::format_number(b.max) + ")";
}

/// Merges sorted, distinct-index bins `b` into sorted, distinct-index bins `a`.
std::vector<sketch_bin> merge_bins(const std::vector<sketch_bin>& a,
                                   const std::vector<sketch_bin>& b) {
    std::vector<sketch_bin> out;
    out.reserve(a.size() + b.size());
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() || j < b.size()) {
        if (j == b.size() || (i < a.size() && a[i].index < b[j].index)) {
            out.push_back(a[i++]);
        } else if (i == a.size() || b[j].index < a[i].index) {
            out.push_back(b[j++]);
        } else {
            sketch_bin m = a[i++];
            const sketch_bin& o = b[j++];
            m.count += o.count;
            m.sum += o.sum;
            m.min = std::min(m.min, o.min);
            m.max = std::max(m.max, o.max);
            out.push_back(m);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Bounds inside one bin and along the whole curve (pareto_sketch.hpp, "Bounds").

using real = long double; // the closed-form sums subtract large terms

/// Least and most sum of the t largest of a bin's values, 0 <= t <= count.
std::pair<real, real> top_bounds(const sketch_bin& b, std::uint64_t t) {
    const std::uint64_t c = b.count;
    const real s = b.sum;
    if (t == 0) return {0.0L, 0.0L};
    if (t >= c) return {s, s};
    const real M = b.max;
    const real m = b.min;
    const auto rt = static_cast<real>(t);
    real lo = M;
    if (c >= 3) {
        const real r = std::clamp((s - M - m) / static_cast<real>(c - 2), m, M);
        lo = M + (rt - 1.0L) * r;
    }
    real hi = std::min(rt * M, s - static_cast<real>(c - t) * m);
    hi = std::clamp(hi, lo, s);
    return {std::min(lo, s), hi};
}

/// Bounds of U = sum_i i u_i over a bin's values u descending: [(c-1)s - sum hi, (c-1)s - sum lo].
std::pair<real, real> rank_weighted_bounds(const sketch_bin& b) {
    const std::uint64_t c = b.count;
    if (c <= 1) return {0.0L, 0.0L};
    const real s = b.sum;
    const real M = b.max;
    const real m = b.min;
    const auto rc = static_cast<real>(c);
    const real base = (rc - 1.0L) * s;
    if (M <= m) { // all equal: U = m * c (c - 1) / 2 exactly
        const real u = M * rc * (rc - 1.0L) / 2.0L;
        return {u, u};
    }
    // sum_{t=1}^{c-1} lo(t): M for c = 2; (c-1) M + r (c-1)(c-2)/2 for c >= 3.
    real sum_lo = M;
    if (c >= 3) {
        const real r = std::clamp((s - M - m) / (rc - 2.0L), m, M);
        sum_lo = (rc - 1.0L) * M + r * (rc - 1.0L) * (rc - 2.0L) / 2.0L;
    }
    // sum_{t=1}^{c-1} min(t M, s - (c - t) m): t M up to a = floor((s - c m) / (M - m)).
    const real q = std::floor((s - rc * m) / (M - m));
    const real a = std::clamp(q, 0.0L, rc - 1.0L);
    const real rest = rc - 1.0L - a; // terms t = a+1 .. c-1
    const real sum_hi = M * a * (a + 1.0L) / 2.0L + rest * s - m * rest * (rest + 1.0L) / 2.0L;
    const real u_lo = base - std::max(sum_hi, sum_lo);
    const real u_hi = base - sum_lo;
    return {std::min(u_lo, u_hi), u_hi};
}

/// The bins from the largest values down, with the count and sum before each.
struct curve {
    std::vector<const sketch_bin*> bins; // descending
    std::vector<std::uint64_t> count_before;
    std::vector<real> sum_before;
    std::uint64_t n = 0;
    real total = 0.0L;

    explicit curve(const pareto_sketch& s) {
        const auto& b = s.bins();
        bins.reserve(b.size());
        for (auto it = b.rbegin(); it != b.rend(); ++it) {
            bins.push_back(&*it);
            count_before.push_back(n);
            sum_before.push_back(total);
            n += it->count;
            total += static_cast<real>(it->sum);
        }
    }

    /// Bounds of S(k), the sum of the k largest values, 0 <= k <= n.
    std::pair<real, real> prefix(std::uint64_t k) const {
        if (k == 0) return {0.0L, 0.0L};
        if (k >= n) return {total, total};
        // The bin j with count_before[j] < k <= count_before[j] + count.
        const auto j = static_cast<std::size_t>(
            std::upper_bound(count_before.begin(), count_before.end(), k - 1) -
            count_before.begin() - 1);
        const auto [lo, hi] = top_bounds(*bins[j], k - count_before[j]);
        return {sum_before[j] + lo, sum_before[j] + hi};
    }

    /// The first k in [1, n] with f(k) / T >= share (or > share when `strict`), n + 1 if none;
    /// f is nondecreasing in k.
    template <class F> std::uint64_t first_k(double share, bool strict, F f) const {
        std::uint64_t lo = 1;
        std::uint64_t hi = n + 1;
        while (lo < hi) {
            const std::uint64_t mid = lo + (hi - lo) / 2; // <= n
            const double v = static_cast<double>(f(mid) / total);
            if (strict ? v > share : v >= share)
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    }

    /// Bounds and estimate of the first k with S(k) / T >= share (> share when strict).
    std::array<std::uint64_t, 3> first_k_bounds(double share, bool strict) const {
        const auto lower =
            first_k(share, strict, [&](std::uint64_t k) { return prefix(k).second; });
        const auto upper = first_k(share, strict, [&](std::uint64_t k) { return prefix(k).first; });
        const auto mid = first_k(share, strict, [&](std::uint64_t k) {
            const auto [a, b] = prefix(k);
            return (a + b) / 2.0L;
        });
        return {std::clamp(mid, lower, upper), lower, upper};
    }

    /// S(k) / T bounded, k's estimate and bounds given: {estimate, lower, upper}.
    bounded_figure share_at(const std::array<std::uint64_t, 3>& k) const {
        const auto [elo, ehi] = prefix(k[0]);
        return {static_cast<double>((elo + ehi) / 2.0L / total),
                static_cast<double>(prefix(k[1]).first / total),
                static_cast<double>(prefix(k[2]).second / total)};
    }
};

bounded_figure fraction_of(const std::array<std::uint64_t, 3>& k, std::uint64_t n) {
    const auto dn = static_cast<double>(n);
    return {static_cast<double>(k[0]) / dn, static_cast<double>(k[1]) / dn,
            static_cast<double>(k[2]) / dn};
}

/// The allowance for the rounding of the sums, here and in pareto(): 4 (n + 2) 2^-53.
double rounding_slack(std::uint64_t n) {
    return 4.0 * (static_cast<double>(n) + 2.0) * std::ldexp(1.0, -53);
}

/// `f` with its bounds moved out by `slack`, kept within [lo, hi].
bounded_figure widened(bounded_figure f, double slack, double lo, double hi) {
    f.lower = std::clamp(f.lower - slack, lo, hi);
    f.upper = std::clamp(f.upper + slack, lo, hi);
    f.estimate = std::clamp(f.estimate, f.lower, f.upper);
    return f;
}

bounded_figure as_figure(std::uint64_t estimate, std::uint64_t lower, std::uint64_t upper) {
    return {static_cast<double>(estimate), static_cast<double>(lower), static_cast<double>(upper)};
}

} // namespace

pareto_sketch::pareto_sketch(double eps) : m_eps(eps), m_bits(precision_for(eps)) {}

std::uint64_t pareto_sketch::bin_index(double x) const noexcept {
    return std::bit_cast<std::uint64_t>(x) >> (mantissa_bits - m_bits);
}

double pareto_sketch::bin_lower(std::uint64_t index) const noexcept {
    return std::bit_cast<double>(index << (mantissa_bits - m_bits));
}

double pareto_sketch::bin_upper(std::uint64_t index) const noexcept {
    return std::bit_cast<double>((index + 1) << (mantissa_bits - m_bits));
}

std::uint64_t pareto_sketch::count() const noexcept {
    std::uint64_t n = 0;
    for (const auto& b : m_bins)
        n += b.count;
    return n;
}

double pareto_sketch::total() const noexcept {
    real t = 0.0L;
    for (auto it = m_bins.rbegin(); it != m_bins.rend(); ++it)
        t += static_cast<real>(it->sum);
    return static_cast<double>(t);
}

void pareto_sketch::add(std::span<const double> values) {
    detail::throw_first_nonfinite(values, "values");
    std::uint64_t lo_index = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t hi_index = 0;
    std::size_t positive = 0;
    for (const double x : values) {
        if (x > 0.0) {
            const std::uint64_t i = bin_index(x);
            lo_index = std::min(lo_index, i);
            hi_index = std::max(hi_index, i);
            ++positive;
        } else {
            ++m_nonpositive_count;
            m_nonpositive_total += x;
        }
    }
    if (positive == 0) return;
    std::vector<sketch_bin> bins;
    const std::uint64_t range = hi_index - lo_index + 1;
    if (range <= 4 * static_cast<std::uint64_t>(positive) + 4096) {
        // Dense over the occupied range: one pass, no sort.
        std::vector<sketch_bin> dense(range);
        for (const double x : values) {
            if (!(x > 0.0)) continue;
            sketch_bin& b = dense[bin_index(x) - lo_index];
            if (b.count == 0) {
                b.min = x;
                b.max = x;
            } else {
                b.min = std::min(b.min, x);
                b.max = std::max(b.max, x);
            }
            ++b.count;
            b.sum += x;
        }
        for (std::uint64_t i = 0; i < range; ++i)
            if (dense[i].count > 0) {
                dense[i].index = lo_index + i;
                bins.push_back(dense[i]);
            }
    } else {
        // Sparse (values over very many magnitudes): sort the positive values, cut into bins.
        std::vector<double> v;
        v.reserve(positive);
        for (const double x : values)
            if (x > 0.0) v.push_back(x);
        std::sort(v.begin(), v.end());
        for (const double x : v) {
            const std::uint64_t i = bin_index(x);
            if (bins.empty() || bins.back().index != i) bins.push_back({i, 0, 0.0, x, x});
            sketch_bin& b = bins.back();
            ++b.count;
            b.sum += x;
            b.max = x;
        }
    }
    m_bins = m_bins.empty() ? std::move(bins) : merge_bins(m_bins, bins);
}

pareto_sketch& pareto_sketch::operator+=(const pareto_sketch& other) {
    if (other.m_bits != m_bits)
        throw invalid_argument("pareto_sketch",
                               "cannot merge sketches of different precision (eps " +
                                   detail::format_number(m_eps) + ": 2^-" + std::to_string(m_bits) +
                                   ", eps " + detail::format_number(other.m_eps) + ": 2^-" +
                                   std::to_string(other.m_bits) + ")");
    m_bins = merge_bins(m_bins, other.m_bins);
    m_nonpositive_count += other.m_nonpositive_count;
    m_nonpositive_total += other.m_nonpositive_total;
    return *this;
}

pareto_sketch pareto_sketch::from_bins(double eps, std::span<const std::int64_t> index,
                                       std::span<const std::int64_t> count,
                                       std::span<const double> sum, std::span<const double> min,
                                       std::span<const double> max, std::int64_t nonpositive_count,
                                       double nonpositive_total) {
    const std::size_t n = index.size();
    if (count.size() != n || sum.size() != n || min.size() != n || max.size() != n)
        throw invalid_argument("from_bins",
                               "index, count, sum, min and max must have the same "
                               "length, got " +
                                   std::to_string(n) + ", " + std::to_string(count.size()) + ", " +
                                   std::to_string(sum.size()) + ", " + std::to_string(min.size()) +
                                   ", " + std::to_string(max.size()));
    if (nonpositive_count < 0)
        throw data_error("nonpositive_count: must be >= 0, got " +
                         std::to_string(nonpositive_count));
    std::vector<sketch_bin> bins(n);
    for (std::size_t k = 0; k < n; ++k) {
        if (index[k] < 0 || count[k] < 0)
            throw data_error("bins: row " + std::to_string(k) + ": index " +
                             std::to_string(index[k]) + " or count " + std::to_string(count[k]) +
                             " is negative");
        bins[k] = {static_cast<std::uint64_t>(index[k]), static_cast<std::uint64_t>(count[k]),
                   sum[k], min[k], max[k]};
    }
    return from_bins(eps, std::move(bins), static_cast<std::uint64_t>(nonpositive_count),
                     nonpositive_total);
}

pareto_sketch pareto_sketch::from_bins(double eps, std::vector<sketch_bin> bins,
                                       std::uint64_t nonpositive_count, double nonpositive_total) {
    pareto_sketch s(eps);
    std::sort(bins.begin(), bins.end(),
              [](const sketch_bin& a, const sketch_bin& b) { return a.index < b.index; });
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const sketch_bin& b = bins[i];
        auto bad = [&](const std::string& what) {
            return data_error("bins: " + bin_name(b) + ": " + what);
        };
        if (i > 0 && bins[i - 1].index == b.index) throw bad("index repeated");
        if (b.count == 0) throw bad("count is 0");
        if (!(std::isfinite(b.min) && std::isfinite(b.max) && b.min > 0.0 && b.max > 0.0))
            throw bad("min and max must be finite and > 0");
        if (b.min > b.max) throw bad("min > max");
        if (s.bin_index(b.min) != b.index || s.bin_index(b.max) != b.index)
            throw bad("min or max outside the bin [" + detail::format_number(s.bin_lower(b.index)) +
                      ", " + detail::format_number(s.bin_upper(b.index)) + ") of eps " +
                      detail::format_number(eps));
        const auto c = static_cast<double>(b.count);
        const double slack = 1e-9 * c * b.max;
        if (!(std::isfinite(b.sum) && b.sum >= c * b.min - slack && b.sum <= c * b.max + slack))
            throw bad("sum outside [count * min, count * max]");
    }
    if (!(std::isfinite(nonpositive_total) && nonpositive_total <= 0.0))
        throw data_error("nonpositive_total: must be finite and <= 0, got " +
                         detail::format_number(nonpositive_total));
    if (nonpositive_count == 0 && nonpositive_total != 0.0)
        throw data_error("nonpositive_total: " + detail::format_number(nonpositive_total) +
                         " with nonpositive_count 0");
    s.m_bins = std::move(bins);
    s.m_nonpositive_count = nonpositive_count;
    s.m_nonpositive_total = nonpositive_total;
    return s;
}

bounded_figure top_share(const pareto_sketch& sketch, double fraction) {
    const curve c(sketch);
    const std::uint64_t k = detail::top_count(fraction, c.n);
    if (c.n == 0 || k == 0) return {};
    return widened(c.share_at({k, k, k}), rounding_slack(c.n), 0.0, 1.0);
}

bounded_figure entities_for_share(const pareto_sketch& sketch, double share) {
    detail::check_share(share);
    const curve c(sketch);
    if (c.n == 0 || share == 0.0) return {};
    return fraction_of(c.first_k_bounds(share, false), c.n);
}

sketch_figures pareto_figures(const pareto_sketch& sketch, const pareto_options& options) {
    detail::check_options(options);
    if (options.nonpositive != nonpositive_policy::separate)
        throw invalid_argument("pareto_options.nonpositive", "a sketch supports "
                                                             "nonpositive_policy::separate only");
    sketch_figures f;
    f.options = options;
    f.nonpositive_count = sketch.nonpositive_count();
    f.nonpositive_total = sketch.nonpositive_total();
    f.bins = sketch.bins().size();
    const curve c(sketch);
    f.n = c.n;
    f.total = static_cast<double>(c.total);
    if (c.n == 0) {
        f.reason = f.nonpositive_count == 0
                       ? "no entities"
                       : "no entity has a value > 0 (" + std::to_string(f.nonpositive_count) +
                             " entities, all <= 0)";
        return f;
    }
    f.defined = true;
    f.min = sketch.bins().front().min;
    f.max = sketch.bins().back().max;
    const std::uint64_t n = c.n;

    f.top20_share = top_share(sketch, 0.2);
    f.entities_for_80pct = fraction_of(c.first_k_bounds(0.8, false), n);

    // ABC: rule before, A = first k with S(k)/T >= a; rule including, first k with > a, minus 1.
    const bool before = options.rule == boundary_rule::before;
    auto class_end = [&](double threshold) {
        auto k = c.first_k_bounds(threshold, !before);
        if (!before)
            for (auto& x : k)
                x -= 1;
        return k;
    };
    const auto ka = class_end(options.a_threshold);
    const auto kb = class_end(options.b_threshold);
    f.class_count[0] = as_figure(ka[0], ka[1], ka[2]);
    f.class_count[1] =
        as_figure(kb[0] - std::min(kb[0], ka[0]), kb[1] - std::min(kb[1], ka[2]), kb[2] - ka[1]);
    f.class_count[2] = as_figure(n - kb[0], n - kb[2], n - kb[1]);
    const auto T = c.total;
    const auto sa = [&] {
        const auto [elo, ehi] = c.prefix(ka[0]);
        return std::array<real, 3>{(elo + ehi) / 2.0L, c.prefix(ka[1]).first,
                                   c.prefix(ka[2]).second};
    }();
    const auto sb = [&] {
        const auto [elo, ehi] = c.prefix(kb[0]);
        return std::array<real, 3>{(elo + ehi) / 2.0L, c.prefix(kb[1]).first,
                                   c.prefix(kb[2]).second};
    }();
    auto share = [T](real x) { return static_cast<double>(x / T); };
    f.class_share[0] = {share(sa[0]), share(sa[1]), share(sa[2])};
    f.class_share[1] = {share(sb[0] - sa[0]), share(std::max(sb[1] - sa[2], 0.0L)),
                        share(sb[2] - sa[1])};
    f.class_share[2] = {share(T - sb[0]), share(T - sb[2]), share(T - sb[1])};
    const double slack = rounding_slack(n);
    for (auto& x : f.class_share)
        x = widened(x, slack, 0.0, 1.0);

    // Gini: W = sum_j [(n - 1 - 2 C_j) s_j - 2 U_j], U_j within its bounds.
    real w_lo = 0.0L;
    real w_hi = 0.0L;
    const auto dn = static_cast<real>(n);
    for (std::size_t j = 0; j < c.bins.size(); ++j) {
        const sketch_bin& b = *c.bins[j];
        const real base =
            (dn - 1.0L - 2.0L * static_cast<real>(c.count_before[j])) * static_cast<real>(b.sum);
        const auto [u_lo, u_hi] = rank_weighted_bounds(b);
        w_lo += base - 2.0L * u_hi;
        w_hi += base - 2.0L * u_lo;
    }
    w_lo = std::max(w_lo, 0.0L);
    w_hi = std::max(w_hi, w_lo);
    const real g_lo = w_lo / (dn * T);
    const real g_hi = w_hi / (dn * T);
    f.gini = widened({static_cast<double>((g_lo + g_hi) / 2.0L), static_cast<double>(g_lo),
                      static_cast<double>(g_hi)},
                     slack, 0.0, std::numeric_limits<double>::max());
    if (n > 1) {
        const double k = static_cast<double>(n) / static_cast<double>(n - 1);
        f.gini_small_sample = {f.gini.estimate * k, f.gini.lower * k, f.gini.upper * k};
    }
    return f;
}

CUSTOMETRICS_END_NAMESPACE
