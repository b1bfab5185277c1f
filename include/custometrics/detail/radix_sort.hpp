// Stable radix ranking of doubles in descending order, carrying dense entity ids.
//
// Keys. Each double maps to a 64-bit unsigned key whose ascending order is the descending order
// of the doubles (`descending_key`): non-negative numbers have their 63 low bits flipped, negative
// numbers keep their bits, so larger values get smaller keys and negatives come last; -0.0 is
// first turned into +0.0, so the two zeros tie (and come back as +0.0).
//
// Method: most-significant-digit radix sort, stable, in three passes over main memory.
// 1. One pass finds which entities are kept, the smallest and the largest key, and whether every
//    value is finite. Only the low `bits` = bit_width(max - min) bits of `key - min` differ, so
//    constant high bits (the sign, most of the exponent) are never sorted on.
// 2. One counting pass and one scatter pass order the (key, id) pairs by the top digit of
//    `key - min`, 10 bits with ids and 11 without (fewer, larger buckets for small inputs), into
//    the output arrays themselves (the value array holds key bits for now).
// 3. Each bucket (about 10^4 pairs at 10^7 entities) is then finished in cache: its own key
//    range gives the bits that still differ (none: nothing to do); one counting pass and one
//    scatter into a per-thread scratch plane order it by a digit of up to 15 bits, about one
//    sub-bucket per pair; sub-buckets of 24 pairs or more are sorted the same way, recursively;
//    one insertion sort pass over the bucket finishes the small sub-buckets, which are short
//    runs by then; the pairs go back to the output arrays as values and ids.
// Every step is stable and ids enter in ascending order, so equal values keep ascending id
// order: the result equals `std::stable_sort` by `a > b` on the values (which also treats -0.0
// and 0.0 as equal): value descending, then id ascending.
//
// Threads: passes 1 and 2 run on contiguous chunks (each chunk has its own counts, and chunk
// c's pairs of a bucket go before chunk c+1's, which keeps the sort stable), step 3 on whole
// buckets, split between threads by element count. The result does not depend on the number
// of threads.
//
// Measured on the development machine (AMD EPYC Zen 4, 32 KiB L1d and 1 MiB L2 per core,
// shared and loaded by other work, one thread), 10^7 lognormal values with ids: a full-array
// LSD sort took 18 to 24 ns per value with 8-bit digits (8 passes) and 35 to 41 ns with 10- to
// 13-bit digits (5 or 6 passes: too many write streams for the caches and TLB); std::sort of
// (key, id) pairs 86 ns; this sort 15 to 19 ns, 12 to 15 ns without ids (bench_pareto.cpp).
// The top-level scatter writes one stream per bucket and array, and 2048 streams is the most
// that stayed fast: hence 10 bits with ids, 11 without. Within a bucket, 15-bit digits beat 13
// (fewer inversions left for the insertion pass) and 16.
//
// The caller rejects NaN and infinities: `rank_descending` reports them (`finite == false`)
// and does not sort.
//
// Example:
//     std::vector<double> v{2.0, 5.0, 2.0, -1.0};
//     auto r = detail::rank_descending<true>(v, [](double) { return true; }, 1);
//     // r.values = {5, 2, 2, -1}, r.ids = {1, 0, 2, 3}
#pragma once

#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

inline constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;

/// Flips the 63 low bits of `b` when its sign bit is clear; its own inverse. Branch-free: a
/// branch on the sign costs a misprediction per value on data of mixed signs.
inline std::uint64_t flip_nonnegative(std::uint64_t b) noexcept {
    return b ^ (((b >> 63) - 1) & ~sign_bit);
}

/// Unsigned key of `x` whose ascending order is the descending order of the doubles (x finite):
/// larger non-negative numbers have larger bits, hence smaller flipped bits; negative numbers
/// keep their bits, which grow with the magnitude, and sort after all non-negative ones.
inline std::uint64_t descending_key(double x) noexcept {
    return flip_nonnegative(std::bit_cast<std::uint64_t>(x + 0.0)); // -0.0 + 0.0 == +0.0
}

/// The double of a key made by `descending_key` (-0.0 comes back as +0.0).
inline double from_descending_key(std::uint64_t k) noexcept {
    return std::bit_cast<double>(flip_nonnegative(k));
}

/// Tuning of the ranking sort (see the file comment for the measurements behind it).
inline constexpr unsigned radix_top_digit = 11;         ///< top-level digit, keys only
inline constexpr unsigned radix_top_digit_ids = 10;     ///< top-level digit, keys and ids
inline constexpr std::size_t radix_bucket_pairs = 2048; ///< smallest average top-level bucket
inline constexpr unsigned radix_local_digit = 15;       ///< widest digit within a bucket
inline constexpr std::size_t radix_insertion = 24;      ///< insertion sort below this many pairs
inline constexpr std::size_t radix_min_per_thread = std::size_t{1} << 16;

/// A bucket in both of its homes: the scratch plane (keys `tk`, ids `ti`) and the output plane
/// (values `ov`, ids `oi`; `ov` holds key bits, `std::bit_cast`, until a bucket is finished).
/// A level of the sort moves a bucket from one plane to the other.
template <bool Ids> struct radix_planes {
    std::uint64_t* tk;
    std::uint32_t* ti;
    double* ov;
    std::uint32_t* oi;

    radix_planes at(std::size_t a) const noexcept {
        return {tk + a, Ids ? ti + a : nullptr, ov + a, Ids ? oi + a : nullptr};
    }
    template <bool Out> std::uint64_t key(std::size_t i) const noexcept {
        if constexpr (Out)
            return std::bit_cast<std::uint64_t>(ov[i]);
        else
            return tk[i];
    }
    template <bool Out> void set(std::size_t i, std::uint64_t k, std::uint32_t id) const noexcept {
        if constexpr (Out) {
            ov[i] = std::bit_cast<double>(k);
            if constexpr (Ids) oi[i] = id;
        } else {
            tk[i] = k;
            if constexpr (Ids) ti[i] = id;
        }
    }
    template <bool Out> std::uint32_t id(std::size_t i) const noexcept {
        if constexpr (!Ids)
            return 0;
        else if constexpr (Out)
            return oi[i];
        else
            return ti[i];
    }
};

/// Copies the pairs [0, m) from plane `From` to the other plane.
template <bool Ids, bool From> void radix_copy(const radix_planes<Ids>& p, std::size_t m) noexcept {
    if constexpr (From) {
        for (std::size_t i = 0; i < m; ++i)
            p.tk[i] = std::bit_cast<std::uint64_t>(p.ov[i]);
        if constexpr (Ids) std::memcpy(p.ti, p.oi, m * sizeof(std::uint32_t));
    } else {
        for (std::size_t i = 0; i < m; ++i)
            p.ov[i] = std::bit_cast<double>(p.tk[i]);
        if constexpr (Ids) std::memcpy(p.oi, p.ti, m * sizeof(std::uint32_t));
    }
}

/// Stable insertion sort of the pairs [0, m) of plane `Out`. Linear when every pair is already
/// near its place, as after a scatter into many small sub-buckets.
template <bool Ids, bool Out>
void radix_insertion_sort(const radix_planes<Ids>& p, std::size_t m) noexcept {
    for (std::size_t i = 1; i < m; ++i) {
        const std::uint64_t x = p.template key<Out>(i);
        if (p.template key<Out>(i - 1) <= x) continue;
        const std::uint32_t xi = p.template id<Out>(i);
        std::size_t j = i;
        for (; j > 0 && p.template key<Out>(j - 1) > x; --j)
            p.template set<Out>(j, p.template key<Out>(j - 1), p.template id<Out>(j - 1));
        p.template set<Out>(j, x, xi);
    }
}

/// Counters of the bucket sort, one array per recursion level, and the scratch plane; grown on
/// first use.
template <bool Ids> struct radix_scratch {
    std::vector<std::vector<std::uint32_t>> levels;
    std::vector<std::uint64_t> keys;
    std::vector<std::uint32_t> ids;

    std::uint32_t* level(unsigned depth, std::size_t size) {
        if (levels.size() <= depth) levels.resize(depth + 1);
        if (levels[depth].size() < size) levels[depth].resize(size);
        return levels[depth].data();
    }
    /// The planes of a bucket of `m` pairs whose output starts at (ov, oi).
    radix_planes<Ids> planes(std::size_t m, double* ov, std::uint32_t* oi) {
        if (keys.size() < m) {
            keys.resize(m);
            if constexpr (Ids) ids.resize(m);
        }
        return {keys.data(), Ids ? ids.data() : nullptr, ov, oi};
    }
};

/// Sorts the `m` pairs held in plane `Out` of `p` by key, stable (step 3 of the file comment).
/// Returns true when the result is in the other plane (plane `Out` is then left in an
/// unspecified order), false when it was sorted in place (all keys equal, or fewer than
/// `radix_insertion` pairs). At depth 0, `p` has no scratch plane yet: it is taken from `s`.
/// Otherwise: one counting pass and one scatter order the pairs by the top digit of `key - lo`
/// into 2^bit_width(m) sub-buckets (at most 2^15); large sub-buckets recurse, and one
/// insertion sort pass over the bucket finishes the small ones.
template <bool Ids, bool Out>
bool radix_sort_bucket(radix_planes<Ids> p, std::size_t m, radix_scratch<Ids>& s, unsigned depth) {
    std::uint64_t lo = p.template key<Out>(0);
    std::uint64_t hi = lo;
    for (std::size_t i = 1; i < m; ++i) {
        const std::uint64_t x = p.template key<Out>(i);
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    if (lo == hi) return false; // all equal: already in id order
    if (m < radix_insertion) {
        radix_insertion_sort<Ids, Out>(p, m);
        return false;
    }
    if (depth == 0) p = s.planes(m, p.ov, p.oi); // a top-level bucket gets its scratch plane here
    const auto bits = static_cast<unsigned>(std::bit_width(hi - lo));
    const unsigned w =
        std::min({bits, radix_local_digit, static_cast<unsigned>(std::bit_width(m))});
    const unsigned shift = bits - w;
    const std::size_t nb = std::size_t{1} << w;
    // start[b] .. start[b + 1]: sub-bucket b once scattered; cursor[b]: its next free place.
    std::uint32_t* start = s.level(depth, 2 * nb + 1);
    std::uint32_t* cursor = start + nb + 1;
    std::fill(start, start + nb + 1, 0U);
    for (std::size_t i = 0; i < m; ++i)
        ++start[((p.template key<Out>(i) - lo) >> shift) + 1];
    for (std::size_t b = 0; b < nb; ++b)
        start[b + 1] += start[b];
    std::copy(start, start + nb, cursor);
    for (std::size_t i = 0; i < m; ++i) {
        const std::uint64_t x = p.template key<Out>(i);
        p.template set<!Out>(cursor[(x - lo) >> shift]++, x, p.template id<Out>(i));
    }
    for (std::size_t b = 0; b < nb; ++b) {
        const std::size_t size = start[b + 1] - start[b];
        if (size >= radix_insertion) {
            const radix_planes<Ids> sub = p.at(start[b]);
            if (radix_sort_bucket<Ids, !Out>(sub, size, s, depth + 1))
                radix_copy<Ids, Out>(sub, size);
        }
    }
    radix_insertion_sort<Ids, !Out>(p, m);
    return true;
}

/// Entities ranked by value: `values` descending and, with `Ids`, the entity of each.
struct ranking {
    column<double> values;
    column<std::uint32_t> ids; ///< empty unless ranked with ids
    bool finite = true;        ///< false: the input holds NaN or infinity, nothing was ranked
};

/// Ranks the entities `i` with `keep(values[i])` by value descending, ties by `i` ascending (see
/// the file comment), on `threads` threads (0 = all). `values.size()` must be below 2^32 - 1.
template <bool Ids, class Keep>
ranking rank_descending(std::span<const double> values, Keep keep, unsigned threads) {
    const std::size_t n = values.size();
    if (n >= std::numeric_limits<std::uint32_t>::max())
        throw invalid_argument("values",
                               std::to_string(n) + " entities, at most 4294967294 can be ranked");
    ranking out;
    const unsigned t = thread_count(n, threads, radix_min_per_thread);

    // Step 1: per chunk, entities kept, key range and finiteness.
    struct chunk_info {
        std::size_t kept = 0;
        std::uint64_t lo = ~std::uint64_t{0};
        std::uint64_t hi = 0;
        bool finite = true;
    };
    std::vector<chunk_info> info(t);
    parallel_chunks(n, t, [&, v = values.data()](std::size_t b, std::size_t e, unsigned c) {
        chunk_info ci;
        for (std::size_t i = b; i < e; ++i) {
            const double x = v[i];
            ci.finite &= std::isfinite(x);
            if (keep(x)) {
                const std::uint64_t key = descending_key(x);
                ++ci.kept;
                ci.lo = std::min(ci.lo, key);
                ci.hi = std::max(ci.hi, key);
            }
        }
        info[c] = ci;
    });
    std::size_t m = 0;
    std::uint64_t lo = ~std::uint64_t{0};
    std::uint64_t hi = 0;
    for (const auto& ci : info) {
        out.finite &= ci.finite;
        m += ci.kept;
        lo = std::min(lo, ci.lo);
        hi = std::max(hi, ci.hi);
    }
    if (!out.finite || m == 0) return out;

    // Step 2: counts of the top digit per chunk; buckets of at least `radix_bucket_pairs` on
    // average (fewer, larger buckets for small inputs).
    const auto bits = static_cast<unsigned>(std::bit_width(hi - lo));
    const unsigned w = std::min({bits, Ids ? radix_top_digit_ids : radix_top_digit,
                                 static_cast<unsigned>(std::bit_width(m / radix_bucket_pairs))});
    const unsigned shift = w == 0 ? 0 : bits - w; // never 64
    const std::size_t nb = std::size_t{1} << w;
    const std::uint64_t mask = nb - 1;
    std::vector<std::vector<std::size_t>> pos(t, std::vector<std::size_t>(nb, 0));
    if (w > 0)
        parallel_chunks(
            n, t, [&, v = values.data(), lo, shift](std::size_t b, std::size_t e, unsigned c) {
                std::size_t* cnt = pos[c].data(); // v, lo, shift by value: cnt[] could alias them
                for (std::size_t i = b; i < e; ++i)
                    if (keep(v[i])) ++cnt[(descending_key(v[i]) - lo) >> shift];
            });
    else
        for (unsigned c = 0; c < t; ++c)
            pos[c][0] = info[c].kept;
    std::vector<std::size_t> start(nb + 1, 0);
    for (std::size_t bk = 0; bk < nb; ++bk) { // chunk c's part of bucket bk follows chunk c-1's
        std::size_t s = start[bk];
        for (unsigned c = 0; c < t; ++c)
            s += std::exchange(pos[c][bk], s);
        start[bk + 1] = s;
    }

    // Step 2, continued: scatter (key bits, id) to the buckets, in the output arrays.
    // Left unset: the scatter writes each of the m entries once, and each thread takes the first
    // touch (page faults, the kernel's zeroing) of the pages it writes, with no zeroing pass.
    out.values = uninitialised_column<double>(m);
    if constexpr (Ids) out.ids = uninitialised_column<std::uint32_t>(m);
    parallel_chunks(
        n, t, [&, v = values.data(), lo, shift, mask](std::size_t b, std::size_t e, unsigned c) {
            std::size_t* p = pos[c].data();
            double* k = out.values.data();
            std::uint32_t* id = out.ids.data();
            for (std::size_t i = b; i < e; ++i) {
                const double x = v[i];
                if (!keep(x)) continue;
                const std::uint64_t key = descending_key(x);
                const std::size_t d = p[((key - lo) >> shift) & mask]++;
                k[d] = std::bit_cast<double>(key);
                if constexpr (Ids) id[d] = static_cast<std::uint32_t>(i);
            }
        });

    // Step 3: sort each bucket into a scratch plane in cache and copy it back as values; buckets
    // are split between threads by element count.
    const unsigned tb = thread_count(m, threads, radix_min_per_thread);
    parallel_chunks(m, tb, [&](std::size_t b, std::size_t e, unsigned) {
        // This thread takes the buckets that start in [b, e).
        const auto first = static_cast<std::size_t>(
            std::lower_bound(start.begin(), start.end() - 1, b) - start.begin());
        radix_scratch<Ids> s;
        for (std::size_t bk = first; bk < nb && start[bk] < e; ++bk) {
            const std::size_t a = start[bk];
            const std::size_t size = start[bk + 1] - a;
            if (size == 0) continue;
            const radix_planes<Ids> p{nullptr, nullptr, out.values.data() + a,
                                      Ids ? out.ids.data() + a : nullptr};
            if (radix_sort_bucket<Ids, true>(p, size, s, 0)) {
                for (std::size_t i = 0; i < size; ++i)
                    p.ov[i] = from_descending_key(s.keys[i]);
                if constexpr (Ids) std::memcpy(p.oi, s.ids.data(), size * sizeof(std::uint32_t));
            } else {
                for (std::size_t i = 0; i < size; ++i)
                    p.ov[i] = from_descending_key(std::bit_cast<std::uint64_t>(p.ov[i]));
            }
        }
    });
    return out;
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
