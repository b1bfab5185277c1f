// Aggregation of a value (and a time) by a dense key: count, sum, mean, variance, min, max,
// first and last time per group.
//
// Method: rows are split into one contiguous chunk per thread; each thread fills its own table
// of per-group accumulators (accumulators.hpp), allocated and first touched by that thread;
// the tables are then merged group-range by group-range, again in parallel. Cost is one random
// update per row (a table of a million groups does not fit in cache) plus a merge linear in
// groups x threads. With `with_moments = false` only count, sum, first and last are kept: the
// table entry shrinks from 64 to 40 bytes (32 without times) and the run is faster.
// One shared table with the group ids split into one range per thread, each thread reading
// every row and adding only those of its range (no merge, half the table memory on two threads,
// sums in row order), was measured and not adopted: on 10^7 rows into 10^6 groups on two threads
// it took 1.8 times the CPU time of the tables merged (about 220 against 120 ms; every thread
// reads all ids and values, and the test "is the id mine" mispredicts on one row in two); see
// docs/benchmarks.md, "First touch of fresh memory".
//
// Sums without moments (what entity totals, the Pareto analysis and `sum_by_key` report) are
// compensated after Neumaier (`neumaier_sum`, accumulators.hpp), per thread and again when the
// threads' tables are merged: purchases 1e17 and 1 and a return of -1e17 total 1, not 0, and a
// total is nearly always the correctly rounded sum of its values, so the same whatever the row
// order and the thread count. Not always: when the compensation term itself rounds, the last
// bit can depend on the order (2^-99, 2^-99, 128, 2^-46 total 128 + 2^-45 in that order, 128
// in the order 128, 2^-46, 2^-99, 2^-99). With moments, the sum is a plain running sum (as pandas'
// mean).
//
// Groups that no row touches have count 0, sum 0, NaN mean and variance, and first/last equal
// to `no_time` (they are reported, not dropped).
//
// Example:
//     std::vector<entity_id> g{0, 1, 0};  std::vector<double> v{1, 5, 3};
//     auto s = aggregate_by(g, 2, v);     // s.count = {2, 1}, s.sum = {4, 5}, s.mean = {2, 5}
#pragma once

#include "custometrics/accumulators.hpp"
#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "custometrics/key_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Options of `aggregate_by`.
struct aggregate_options {
    unsigned threads = 0;     ///< 0 = all hardware threads
    bool with_moments = true; ///< also mean, variance, min and max (else only count/sum/times)
};

/// Per-group statistics, one entry per group id (struct of arrays).
struct group_stats {
    column<std::int64_t> count;
    column<double> sum;
    column<double> mean;     ///< empty unless with_moments; NaN for an empty group
    column<double> variance; ///< sample variance (ddof 1); NaN with fewer than 2 rows
    column<double> min;      ///< empty unless with_moments; NaN for an empty group
    column<double> max;
    column<std::int64_t> first; ///< empty unless times were given; no_time when empty
    column<std::int64_t> last;

    std::size_t size() const noexcept { return count.size(); }
};

namespace detail {

struct alignas(64) full_acc {
    moments m;
    time_range t;
    void add(double x, std::int64_t time) noexcept {
        m(x);
        t(time);
    }
    std::int64_t count_rows() const noexcept { return m.count; }
    full_acc& operator+=(const full_acc& o) noexcept {
        m += o.m;
        t += o.t;
        return *this;
    }
};

// Count and compensated sum only (no times, no moments): 24 bytes, aligned to 32 so that an
// entry never straddles two cache lines.
struct alignas(32) sum_acc {
    std::int64_t count = 0;
    neumaier_sum sum;
    void add(double x, std::int64_t /*time*/) noexcept {
        ++count;
        sum(x);
    }
    std::int64_t count_rows() const noexcept { return count; }
    double total() const noexcept { return sum.value(); }
    sum_acc& operator+=(const sum_acc& o) noexcept {
        count += o.count;
        sum += o.sum;
        return *this;
    }
};

// Count, compensated sum and time range: 40 bytes.
struct basic_acc {
    std::int64_t count = 0;
    neumaier_sum sum;
    time_range t;
    void add(double x, std::int64_t time) noexcept {
        ++count;
        sum(x);
        t(time);
    }
    std::int64_t count_rows() const noexcept { return count; }
    double total() const noexcept { return sum.value(); }
    basic_acc& operator+=(const basic_acc& o) noexcept {
        count += o.count;
        sum += o.sum;
        t += o.t;
        return *this;
    }
};

// Throws `data_error` naming the first row whose value is NaN or infinite (a thread found one).
inline void throw_first_nonfinite_row(std::span<const double> values) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i])) {
            const std::string value = std::to_string(values[i]);
            throw data_error("values: row " + std::to_string(i) + ": value is " + value,
                             error_context{"values", i, {}, {}, value});
        }
}

// Adds every table of `tables` after the first into the first, slot by slot and in table order
// (each thread's table holds rows that follow the previous thread's: the compensated sums merge
// in file order), the slots split over up to `threads` threads. A table may have fewer slots
// than the first (the rest count as empty), not more. Tables: `size()` and `operator[]`, entries
// with `+=`.
template <class Table> void merge_tables(std::span<Table> tables, unsigned threads) {
    if (tables.size() < 2) return;
    const std::size_t n = tables[0].size();
    parallel_chunks(n, thread_count(n, threads, std::size_t{1} << 14),
                    [&](std::size_t b, std::size_t e, unsigned) {
                        for (std::size_t c = 1; c < tables.size(); ++c) {
                            const std::size_t stop = std::min(e, tables[c].size());
                            for (std::size_t g = b; g < stop; ++g)
                                tables[0][g] += tables[c][g];
                        }
                    });
}

// Fills one table per thread with `slot(i)` as the table index of row i, merges them into the
// first, and returns it. Throws `data_error` naming the first row whose value is not finite.
template <class Acc, class Slot>
column<Acc> aggregate_tables(std::size_t n_rows, std::size_t n_slots, Slot slot,
                             std::span<const double> values, std::span<const std::int64_t> times,
                             unsigned threads) {
    static_assert(std::is_trivially_destructible_v<Acc>);
    const unsigned t = thread_count(n_rows, threads, std::size_t{1} << 18);
    std::vector<column<Acc>> tables(t);
    std::vector<unsigned char> bad(t, 0);
    parallel_chunks(n_rows, t, [&](std::size_t b, std::size_t e, unsigned c) {
        tables[c] = column<Acc>(n_slots); // first touch on the thread that uses it (huge pages)
        Acc* tab = tables[c].data();
        bool nonfinite = false;
        // Table entries are updated in random order: prefetching the entry of a row `ahead`
        // rows on keeps several cache misses in flight instead of one.
        constexpr std::size_t ahead = 16;
        const std::size_t e_pf = e > ahead ? std::max(b, e - ahead) : b;
        std::size_t i = b;
        if (times.empty()) {
            for (; i < e_pf; ++i) {
                prefetch(&tab[slot(i + ahead)]);
                nonfinite |= !std::isfinite(values[i]);
                tab[slot(i)].add(values[i], 0);
            }
            for (; i < e; ++i) {
                nonfinite |= !std::isfinite(values[i]);
                tab[slot(i)].add(values[i], 0);
            }
        } else {
            for (; i < e_pf; ++i) {
                prefetch(&tab[slot(i + ahead)]);
                nonfinite |= !std::isfinite(values[i]);
                tab[slot(i)].add(values[i], times[i]);
            }
            for (; i < e; ++i) {
                nonfinite |= !std::isfinite(values[i]);
                tab[slot(i)].add(values[i], times[i]);
            }
        }
        bad[c] = nonfinite ? 1 : 0;
    });
    if (std::find(bad.begin(), bad.end(), 1) != bad.end()) throw_first_nonfinite_row(values);
    merge_tables(std::span(tables), threads);
    return std::move(tables[0]);
}

// Copies the statistics of the table into `out`: every slot, or with `skip_empty` only slots
// that rows touched, writing `key0 + slot` of each into `keys` when given.
template <class Acc>
void table_to_stats(const column<Acc>& tab, bool skip_empty, bool with_times, group_stats& out,
                    column<std::int64_t>* keys = nullptr, std::int64_t key0 = 0) {
    constexpr bool full = std::is_same_v<Acc, full_acc>;
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    std::size_t n = tab.size();
    if (skip_empty) {
        n = 0;
        for (const Acc& a : tab)
            n += a.count_rows() > 0 ? 1 : 0;
    }
    out.count.resize(n);
    out.sum.resize(n);
    if (keys != nullptr) keys->resize(n);
    if (with_times) {
        out.first.resize(n);
        out.last.resize(n);
    }
    if constexpr (full) {
        out.mean.resize(n);
        out.variance.resize(n);
        out.min.resize(n);
        out.max.resize(n);
    }
    std::size_t g = 0;
    for (std::size_t slot = 0; slot < tab.size(); ++slot) {
        const Acc& a = tab[slot];
        if (skip_empty && a.count_rows() == 0) continue;
        if (keys != nullptr) (*keys)[g] = key0 + static_cast<std::int64_t>(slot);
        if constexpr (!std::is_same_v<Acc, sum_acc>) {
            if (with_times) {
                const time_range& tr = a.t;
                out.first[g] = tr.empty() ? no_time : tr.first;
                out.last[g] = tr.empty() ? no_time : tr.last;
            }
        }
        if constexpr (full) {
            const moments& m = a.m;
            out.count[g] = m.count;
            out.sum[g] = m.sum;
            out.mean[g] = m.count > 0 ? m.mean : nan;
            out.variance[g] = m.variance(1);
            out.min[g] = m.count > 0 ? m.min : nan;
            out.max[g] = m.count > 0 ? m.max : nan;
        } else {
            out.count[g] = a.count;
            out.sum[g] = a.total();
        }
        ++g;
    }
}

} // namespace detail

/// Aggregates `values` (and `times`, when not empty) by `group` (ids below `n_groups`).
///
/// Throws `invalid_argument` when lengths differ and `data_error` naming the row when a group
/// id is out of range or a value is NaN or infinite.
inline group_stats aggregate_by(std::span<const entity_id> group, std::size_t n_groups,
                                std::span<const double> values,
                                std::span<const std::int64_t> times = {},
                                const aggregate_options& options = {}) {
    if (values.size() != group.size())
        throw invalid_argument("values", "has " + std::to_string(values.size()) +
                                             " rows, group has " + std::to_string(group.size()));
    if (!times.empty() && times.size() != group.size())
        throw invalid_argument("times", "has " + std::to_string(times.size()) +
                                            " rows, group has " + std::to_string(group.size()));
    for (std::size_t i = 0; i < group.size(); ++i)
        if (group[i] >= n_groups)
            throw data_error("group: row " + std::to_string(i) + ": id " +
                             std::to_string(group[i]) + " is not below n_groups " +
                             std::to_string(n_groups));
    group_stats out;
    auto slot = [group](std::size_t i) { return group[i]; };
    if (options.with_moments)
        detail::table_to_stats(detail::aggregate_tables<detail::full_acc>(
                                   group.size(), n_groups, slot, values, times, options.threads),
                               false, !times.empty(), out);
    else if (times.empty())
        detail::table_to_stats(detail::aggregate_tables<detail::sum_acc>(
                                   group.size(), n_groups, slot, values, times, options.threads),
                               false, false, out);
    else
        detail::table_to_stats(detail::aggregate_tables<detail::basic_acc>(
                                   group.size(), n_groups, slot, values, times, options.threads),
                               false, true, out);
    return out;
}

/// Result of `aggregate_by_key`: the distinct keys in ascending order and their statistics.
struct keyed_group_stats {
    column<std::int64_t> keys;
    group_stats stats;
};

/// `aggregate_by` of rows keyed by the ids of `index` (string keys, say), in the form of
/// `aggregate_by_key`: one group per key of the index, in id order, `keys` holding the ids.
/// Example: ids {1, 0, 1} of the index {"a", "b"}, values {2, 3, 4}: keys {0, 1}, sums {3, 6}.
inline keyed_group_stats aggregate_by_key(std::span<const entity_id> ids, const key_index& index,
                                          std::span<const double> values,
                                          std::span<const std::int64_t> times = {},
                                          const aggregate_options& options = {}) {
    keyed_group_stats out{column<std::int64_t>(index.size()),
                          aggregate_by(ids, index.size(), values, times, options)};
    std::iota(out.keys.begin(), out.keys.end(), std::int64_t{0});
    return out;
}

/// Aggregates `values` (and `times`) by integer `keys`; groups are listed by ascending key.
///
/// When the keys span a compact range (at most 4 slots per row, as key_index's dense range),
/// rows are aggregated straight into a table indexed by `key - min` and the empty slots are
/// squeezed out afterwards: one pass over the rows, no id column. Otherwise the keys are mapped
/// with `key_index::from_integers` and aggregated by id.
inline keyed_group_stats aggregate_by_key(std::span<const std::int64_t> keys,
                                          std::span<const double> values,
                                          std::span<const std::int64_t> times = {},
                                          const aggregate_options& options = {}) {
    if (values.size() != keys.size())
        throw invalid_argument("values", "has " + std::to_string(values.size()) +
                                             " rows, keys has " + std::to_string(keys.size()));
    if (!times.empty() && times.size() != keys.size())
        throw invalid_argument("times", "has " + std::to_string(times.size()) + " rows, keys has " +
                                            std::to_string(keys.size()));
    keyed_group_stats out;
    if (keys.empty()) return out;
    const auto bounds = detail::min_max(keys, options.threads);
    const std::int64_t lo = bounds.first;
    const auto range = static_cast<std::uint64_t>(bounds.second) - static_cast<std::uint64_t>(lo);
    if (!detail::is_dense_range(range, keys.size())) {
        auto [index, ids] = key_index::from_integers(keys, options.threads);
        out.stats = aggregate_by(ids, index.size(), values, times, options);
        const auto k = index.integer_keys();
        out.keys.assign(k.begin(), k.end());
        return out;
    }
    const std::size_t slots = range + 1;
    auto slot = [keys, lo](std::size_t i) { return static_cast<std::size_t>(keys[i] - lo); };
    auto finish = [&](const auto& tab) {
        detail::table_to_stats(tab, true, !times.empty(), out.stats, &out.keys, lo);
    };
    if (options.with_moments)
        finish(detail::aggregate_tables<detail::full_acc>(keys.size(), slots, slot, values, times,
                                                          options.threads));
    else if (times.empty())
        finish(detail::aggregate_tables<detail::sum_acc>(keys.size(), slots, slot, values, times,
                                                         options.threads));
    else
        finish(detail::aggregate_tables<detail::basic_acc>(keys.size(), slots, slot, values, times,
                                                           options.threads));
    return out;
}

namespace detail {

/// Whether a slot of a `dense_sum_table` was touched by no row (it still holds -0.0).
inline bool untouched(double x) noexcept {
    return x == 0.0 && std::signbit(x);
}

// One slot of a thread's `dense_sum_table`: a `neumaier_sum` whose sum starts at -0.0 (see
// `sum_by_key` on telling untouched slots). 16 bytes, so a slot never straddles a cache line.
struct alignas(16) dense_slot {
    double sum = -0.0;
    double compensation = 0.0;
    void add(double x) noexcept {
        const double t = sum + x;
        const double z = t - sum; // TwoSum, as neumaier_sum
        compensation += (sum - (t - z)) + (x - z);
        sum = t;
    }
    void merge(const dense_slot& o) noexcept {
        if (untouched(o.sum)) return;
        add(o.sum);
        compensation += o.compensation;
    }
    // The compensated total: -0.0 stays -0.0 (untouched), an overflow stays infinite.
    double value() const noexcept {
        return untouched(sum) || !std::isfinite(sum) ? sum : sum + compensation;
    }
};

/// The table of `sum_by_key`: slot `k` holds the sum of the values of the rows with key
/// `lo + k` (keys in [lo, lo + slots)), -0.0 when no row has that key (see `sum_by_key`),
/// compensated after Neumaier. One table of `dense_slot`s per thread, merged in parallel and
/// turned into the totals. Throws `data_error` naming the first row whose value is NaN or
/// infinite.
inline column<double> dense_sum_table(std::span<const std::int64_t> keys,
                                      std::span<const double> values, std::int64_t lo,
                                      std::size_t slots, unsigned threads) {
    const unsigned t = thread_count(keys.size(), threads, std::size_t{1} << 18);
    std::vector<column<dense_slot>> tables(t);
    std::vector<unsigned char> bad(t, 0);
    parallel_chunks(keys.size(), t, [&](std::size_t b, std::size_t e, unsigned c) {
        tables[c] = column<dense_slot>(slots);
        dense_slot* tab = tables[c].data();
        bool nonfinite = false;
        std::size_t i = b;
        // Software prefetch of the slot 16 rows ahead keeps several cache misses in flight. With
        // 8-byte plain sums one thread did better without it (the out-of-order core kept enough
        // misses in flight); the 16-byte compensated slots and their longer update need it on
        // one thread too (10^7 rows into 10^6 slots, bench_pareto BM_sum_by_key_then_pareto,
        // thread CPU time on the shared machine: 180 ms without, 110 ms with; plain sums 101).
        constexpr std::size_t ahead = 16;
        for (const std::size_t e_pf = e > ahead ? std::max(b, e - ahead) : b; i < e_pf; ++i) {
            prefetch(&tab[keys[i + ahead] - lo]);
            nonfinite |= !std::isfinite(values[i]);
            tab[keys[i] - lo].add(values[i] + 0.0);
        }
        for (; i < e; ++i) {
            nonfinite |= !std::isfinite(values[i]);
            tab[keys[i] - lo].add(values[i] + 0.0);
        }
        bad[c] = nonfinite ? 1 : 0;
    });
    if (std::find(bad.begin(), bad.end(), 1) != bad.end()) throw_first_nonfinite_row(values);
    column<double> out(slots);
    parallel_chunks(slots, thread_count(slots, threads, std::size_t{1} << 16),
                    [&](std::size_t b, std::size_t e, unsigned) {
                        dense_slot* total = tables[0].data();
                        for (unsigned c = 1; c < t; ++c) {
                            const dense_slot* other = tables[c].data();
                            for (std::size_t k = b; k < e; ++k)
                                total[k].merge(other[k]);
                        }
                        for (std::size_t k = b; k < e; ++k)
                            out[k] = total[k].value();
                    });
    return out;
}

/// Sums by key in a `dense_sum_table` when the keys span a compact range (`is_dense_range`,
/// and fewer than 2^32 - 1 slots, so that slots can be entity ids), else `nullopt`.
struct dense_sums {
    std::int64_t lo = 0;
    column<double> sum; ///< sum of key lo + k at k; -0.0 for keys without rows
};
inline std::optional<dense_sums> sum_by_dense_key(std::span<const std::int64_t> keys,
                                                  std::span<const double> values,
                                                  unsigned threads) {
    if (keys.empty()) return std::nullopt;
    const auto [lo, hi] = min_max(keys, threads);
    const auto range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    if (!is_dense_range(range, keys.size()) ||
        range >= std::numeric_limits<std::uint32_t>::max() - 1)
        return std::nullopt;
    return dense_sums{lo, dense_sum_table(keys, values, lo, range + 1, threads)};
}

} // namespace detail

/// Result of `sum_by_key`: the distinct keys in ascending order and the sum of each.
struct keyed_sums {
    column<std::int64_t> keys;
    column<double> sum;
};

/// Sums `values` by integer `keys`, the leanest aggregation: what a ranking of totals needs.
///
/// With keys in a compact range, each thread adds into an array of compensated sums (sum and
/// Neumaier compensation, 16 bytes a slot) indexed by `key - min`, the arrays are merged and
/// the untouched slots squeezed out. Untouched is told without a count: sums start at -0.0 and
/// every value is added as `x + 0.0`, which turns -0.0 into +0.0, so a touched slot can never
/// hold -0.0 again (an IEEE sum of non-(-0.0) terms is -0.0 only from -0.0 terms). Other keys go
/// through `aggregate_by_key`. Sums equal its `sum` exactly: the correctly rounded totals, the
/// same whatever the row order (purchases 1e17 and 1 and a return of -1e17 total 1).
///
/// Throws `invalid_argument` when lengths differ and `data_error` naming the first row whose
/// value is NaN or infinite.
inline keyed_sums sum_by_key(std::span<const std::int64_t> keys, std::span<const double> values,
                             unsigned threads = 0) {
    if (values.size() != keys.size())
        throw invalid_argument("values", "has " + std::to_string(values.size()) +
                                             " rows, keys has " + std::to_string(keys.size()));
    keyed_sums out;
    if (keys.empty()) return out;
    std::optional<detail::dense_sums> d = detail::sum_by_dense_key(keys, values, threads);
    if (!d) {
        keyed_group_stats s =
            aggregate_by_key(keys, values, {}, {.threads = threads, .with_moments = false});
        out.keys = std::move(s.keys);
        out.sum = std::move(s.stats.sum);
        return out;
    }
    const std::int64_t lo = d->lo;
    const column<double>& total = d->sum;
    const std::size_t slots = total.size();
    using detail::untouched;
    std::size_t m = 0;
    for (const double x : total)
        m += untouched(x) ? 0 : 1;
    out.keys.resize(m);
    out.sum.resize(m);
    std::size_t g = 0;
    for (std::size_t k = 0; k < slots; ++k) {
        if (untouched(total[k])) continue;
        out.keys[g] = lo + static_cast<std::int64_t>(k);
        out.sum[g] = total[k];
        ++g;
    }
    return out;
}

CUSTOMETRICS_END_NAMESPACE
