// Aggregation of a value (and a time) by a dense key: count, sum, mean, variance, min, max,
// first and last time per group.
//
// Method: rows are split into one contiguous chunk per thread; each thread fills its own table
// of per-group accumulators (accumulators.hpp), allocated and first touched by that thread;
// the tables are then merged group-range by group-range, again in parallel. Cost is one random
// update per row (a table of a million groups does not fit in cache) plus a merge linear in
// groups x threads. With `with_moments = false` only count, sum, first and last are kept: the
// table entry halves to 32 bytes and the run is faster.
//
// Groups that no row touches have count 0, sum 0, NaN mean and variance, and first/last equal
// to `no_time` (they are reported, not dropped).
//
// Example:
//     std::vector<entity_id> g{0, 1, 0};  std::vector<double> v{1, 5, 3};
//     auto s = aggregate_by(g, 2, v);     // s.count = {2, 1}, s.sum = {4, 5}, s.mean = {2, 5}
#pragma once

#include "custometrics/accumulators.hpp"
#include "custometrics/config.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "custometrics/key_index.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Options of `aggregate_by`.
struct aggregate_options {
    unsigned threads = 0;      ///< 0 = all hardware threads
    bool with_moments = true;  ///< also mean, variance, min and max (else only count/sum/times)
};

/// Per-group statistics, one entry per group id (struct of arrays).
struct group_stats {
    std::vector<std::int64_t> count;
    std::vector<double> sum;
    std::vector<double> mean;     ///< empty unless with_moments; NaN for an empty group
    std::vector<double> variance; ///< sample variance (ddof 1); NaN with fewer than 2 rows
    std::vector<double> min;      ///< empty unless with_moments; NaN for an empty group
    std::vector<double> max;
    std::vector<std::int64_t> first; ///< empty unless times were given; no_time when empty
    std::vector<std::int64_t> last;

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
    full_acc& operator+=(const full_acc& o) noexcept {
        m += o.m;
        t += o.t;
        return *this;
    }
};

struct alignas(32) basic_acc {
    std::int64_t count = 0;
    double sum = 0.0;
    time_range t;
    void add(double x, std::int64_t time) noexcept {
        ++count;
        sum += x;
        t(time);
    }
    basic_acc& operator+=(const basic_acc& o) noexcept {
        count += o.count;
        sum += o.sum;
        t += o.t;
        return *this;
    }
};

template <class Acc>
std::unique_ptr<Acc[]> aggregate_tables(std::span<const entity_id> group, std::size_t n_groups,
                                        std::span<const double> values,
                                        std::span<const std::int64_t> times, unsigned threads) {
    const unsigned t = thread_count(group.size(), threads, std::size_t{1} << 18);
    std::vector<std::unique_ptr<Acc[]>> tables(t);
    parallel_chunks(group.size(), t, [&](std::size_t b, std::size_t e, unsigned c) {
        tables[c] = std::make_unique<Acc[]>(n_groups); // first touch on the thread that uses it
        Acc* tab = tables[c].get();
        if (times.empty())
            for (std::size_t i = b; i < e; ++i) tab[group[i]].add(values[i], 0);
        else
            for (std::size_t i = b; i < e; ++i) tab[group[i]].add(values[i], times[i]);
    });
    if (t > 1)
        parallel_chunks(n_groups, thread_count(n_groups, threads, 1 << 14),
                        [&](std::size_t b, std::size_t e, unsigned) {
                            for (unsigned c = 1; c < t; ++c)
                                for (std::size_t g = b; g < e; ++g) tables[0][g] += tables[c][g];
                        });
    return std::move(tables[0]);
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
        throw invalid_argument("values: has " + std::to_string(values.size()) +
                               " rows, group has " + std::to_string(group.size()));
    if (!times.empty() && times.size() != group.size())
        throw invalid_argument("times: has " + std::to_string(times.size()) +
                               " rows, group has " + std::to_string(group.size()));
    for (std::size_t i = 0; i < group.size(); ++i) {
        if (group[i] >= n_groups)
            throw data_error("group: row " + std::to_string(i) + ": id " +
                             std::to_string(group[i]) + " is not below n_groups " +
                             std::to_string(n_groups));
        if (!std::isfinite(values[i]))
            throw data_error("values: row " + std::to_string(i) + ": value is " +
                             std::to_string(values[i]));
    }
    group_stats out;
    const bool with_times = !times.empty();
    out.count.resize(n_groups);
    out.sum.resize(n_groups);
    if (with_times) {
        out.first.resize(n_groups);
        out.last.resize(n_groups);
    }
    auto times_out = [&](std::size_t g, const time_range& tr) {
        if (!with_times) return;
        out.first[g] = tr.empty() ? no_time : tr.first;
        out.last[g] = tr.empty() ? no_time : tr.last;
    };
    if (options.with_moments) {
        const auto tab =
            detail::aggregate_tables<detail::full_acc>(group, n_groups, values, times, options.threads);
        constexpr double nan = std::numeric_limits<double>::quiet_NaN();
        out.mean.resize(n_groups);
        out.variance.resize(n_groups);
        out.min.resize(n_groups);
        out.max.resize(n_groups);
        for (std::size_t g = 0; g < n_groups; ++g) {
            const moments& m = tab[g].m;
            out.count[g] = m.count;
            out.sum[g] = m.sum;
            out.mean[g] = m.count > 0 ? m.mean : nan;
            out.variance[g] = m.variance(1);
            out.min[g] = m.count > 0 ? m.min : nan;
            out.max[g] = m.count > 0 ? m.max : nan;
            times_out(g, tab[g].t);
        }
    } else {
        const auto tab = detail::aggregate_tables<detail::basic_acc>(group, n_groups, values, times,
                                                                     options.threads);
        for (std::size_t g = 0; g < n_groups; ++g) {
            out.count[g] = tab[g].count;
            out.sum[g] = tab[g].sum;
            times_out(g, tab[g].t);
        }
    }
    return out;
}

/// Result of `aggregate_by_key`: the distinct keys in ascending order and their statistics.
struct keyed_group_stats {
    std::vector<std::int64_t> keys;
    group_stats stats;
};

/// Maps integer `keys` to dense ids (key_index::from_integers) and aggregates by them; groups
/// are listed by ascending key.
inline keyed_group_stats aggregate_by_key(std::span<const std::int64_t> keys,
                                          std::span<const double> values,
                                          std::span<const std::int64_t> times = {},
                                          const aggregate_options& options = {}) {
    if (values.size() != keys.size())
        throw invalid_argument("values: has " + std::to_string(values.size()) + " rows, keys has " +
                               std::to_string(keys.size()));
    auto [index, ids] = key_index::from_integers(keys, options.threads);
    keyed_group_stats out;
    out.stats = aggregate_by(ids, index.size(), values, times, options);
    const auto k = index.integer_keys();
    out.keys.assign(k.begin(), k.end());
    return out;
}

CUSTOMETRICS_END_NAMESPACE
