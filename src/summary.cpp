// Per-customer summaries (see custometrics/summary.hpp for the definitions).
//
// Method: the rows are bucketed by customer, then each customer's rows, in input order, are
// sorted by time and swept once, the results written straight into the output columns. The cost
// is linear in rows plus a small sort per customer; the result is the same for any thread count.
// Two ways to bucket, with the same result (detail/summary_path.hpp):
// - partitioned (logs without cost and order): the customers are cut into partitions of 2^bits
//   consecutive ids, each with about 32 K rows; passes over the log's columns, in order, copy
//   each kept row as 16 bytes (time, customer within its partition, amount) into its partition's
//   place in a buffer reused by every pass (a pass holds as many whole partitions as fit in
//   2^22 rows: 64 MiB, so little fresh memory); then each partition, small enough for a core's
//   cache, is counting-sorted by customer and its customers summarised, partitions on all
//   threads. Reads of the log are sequential: no cache miss a row.
// - gather (with cost or order columns, or when asked): the rows' numbers are counting-sorted
//   by customer, and each customer's rows are read from the log through them (two cache misses
//   a row, overlapped by prefetching).
#include "custometrics/summary.hpp"

#include "custometrics/accumulators.hpp"
#include "custometrics/column.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/detail/summary_path.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

returns_policy parse_returns_policy(std::string_view text, std::string_view argument) {
    if (text == "exclude") return returns_policy::exclude;
    if (text == "net") return returns_policy::net;
    throw invalid_argument(argument, "unknown returns policy \"" + std::string(text) +
                                         "\" (expected exclude or net)");
}

late_policy parse_late_policy(std::string_view text, std::string_view argument) {
    if (text == "error") return late_policy::error;
    if (text == "drop") return late_policy::drop;
    throw invalid_argument(argument,
                           "unknown policy \"" + std::string(text) + "\" (expected error or drop)");
}

namespace {

// How many rows ahead of the one read the gather prefetches.
constexpr std::size_t summary_prefetch = 16;

// The partitioned pass: a row as copied into its partition (16 bytes): its time, as seconds
// after the log's first, above the customer's place within its partition (partition_bits_max
// bits), and its amount. Times span less than 2^39 seconds (the years 1..9999).
struct packed_row {
    std::uint64_t key;
    double amount;
};
constexpr unsigned partition_bits_max = 16;
// About the rows of a partition (16 bytes each, twice: as copied and sorted: 1 MiB in all,
// within a core's L2 cache on the machines measured).
constexpr std::size_t partition_rows_target = std::size_t{1} << 15;
// The most rows a pass copies, unless a partition holds more (64 MiB of packed rows). On the
// 10M-row log (docs/benchmarks.md) 2^22 rows (3 passes) took less CPU than 2^21 (5 passes: each
// pass reads every row's customer) and than one pass of every row (160 MiB of fresh memory).
constexpr std::size_t pass_rows_default = std::size_t{1} << 22;

struct row_rec {
    std::int64_t seconds;
    std::int64_t period;
    double amount;
    double cost;
    entity_id order;
};

} // namespace

customer_summary summarize(const transaction_view& log, const summary_options& opt) {
    return detail::summarize_part(log, opt, std::nullopt);
}

customer_summary detail::summarize_part(const transaction_view& log, const summary_options& opt,
                                        std::optional<time_span> whole, bool wide_row_numbers) {
    summary_path path;
    path.wide_row_numbers = wide_row_numbers;
    return summarize_part(log, opt, whole, path);
}

customer_summary detail::summarize_part(const transaction_view& log, const summary_options& opt,
                                        std::optional<time_span> whole, const summary_path& path) {
    log.validate();
    const std::size_t n = log.size();
    if (n == 0) throw invalid_argument("transactions", "the log is empty");
    if (!(opt.unit_scale > 0.0) || !std::isfinite(opt.unit_scale))
        throw invalid_argument("unit_scale", "must be a positive finite number, got " +
                                                 std::to_string(opt.unit_scale));

    // The passes over the rows run on `row_threads` contiguous ranges of rows (the same ranges
    // in every pass), their results combined in range order: the same for any thread count.
    const unsigned row_threads = detail::thread_count(n, opt.threads);
    std::vector<std::pair<std::int64_t, std::int64_t>> span(
        row_threads,
        {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()});
    detail::parallel_chunks(n, row_threads, [&](std::size_t b, std::size_t e, unsigned t) {
        std::int64_t lo = span[t].first, hi = span[t].second;
        for (std::size_t i = b; i < e; ++i) {
            const std::int64_t s = log.seconds(i);
            lo = std::min(lo, s);
            hi = std::max(hi, s);
        }
        span[t] = {lo, hi};
    });
    std::int64_t min_sec = std::numeric_limits<std::int64_t>::max();
    std::int64_t max_sec = std::numeric_limits<std::int64_t>::min();
    for (const auto& [lo, hi] : span) {
        min_sec = std::min(min_sec, lo);
        max_sec = std::max(max_sec, hi);
    }
    // Times outside the years 1..9999 could not be written back in a form that reads back
    // (see min_supported_time in date.hpp); the CSV reader never makes them, other callers can.
    if (!is_supported_time(min_sec) || !is_supported_time(max_sec)) {
        std::size_t i = 0;
        while (is_supported_time(log.seconds(i)))
            ++i;
        throw data_error("time: " + log.describe_row(i) + ": " + std::to_string(log.seconds(i)) +
                             " seconds since 1970 is " +
                             std::string(describe(time_status::out_of_range)),
                         log.row_context("time", i, std::to_string(log.seconds(i))));
    }
    const std::int64_t first_row_time = min_sec; // of this part's rows
    if (whole) {
        min_sec = whole->first;
        max_sec = whole->last;
    }
    for (const auto& [name, end] : {std::pair{"observation_end", opt.observation_end},
                                    std::pair{"calibration_end", opt.calibration_end}})
        if (end && !is_supported_time(*end))
            throw invalid_argument(name,
                                   std::to_string(*end) + " seconds since 1970 is " +
                                       std::string(describe(time_status::out_of_range)),
                                   std::to_string(*end));
    const std::int64_t obs_end = opt.observation_end.value_or(max_sec);
    const time_unit unit = opt.unit;
    const std::int64_t end_period = period_index(obs_end, unit);
    if (period_index(min_sec, unit) > end_period)
        throw invalid_argument("observation_end", format_time(obs_end) +
                                                      " is before the first transaction (" +
                                                      format_time(min_sec) + ")");
    const bool holdout = opt.calibration_end.has_value();
    const std::int64_t cal_end = opt.calibration_end.value_or(obs_end);
    if (holdout) {
        if (cal_end < min_sec)
            throw invalid_argument("calibration_end",
                                   format_time(cal_end) + " is before the first transaction (" +
                                       format_time(min_sec) +
                                       "): the calibration period would be empty");
        if (cal_end >= obs_end)
            throw invalid_argument("calibration_end", format_time(cal_end) +
                                                          " is not before the observation end (" +
                                                          format_time(obs_end) +
                                                          "): the holdout period would be empty");
    }
    const std::int64_t cal_period = period_index(cal_end, unit);
    // The largest recency or T is that of a customer who bought in the first period; with a
    // tiny unit scale (1e-310) it overflows: an error, never an infinite T.
    {
        const double longest =
            static_cast<double>(cal_period - period_index(min_sec, unit)) / opt.unit_scale;
        const double holdout_length = static_cast<double>(end_period - cal_period) / opt.unit_scale;
        if (!std::isfinite(longest) || !std::isfinite(holdout_length))
            throw invalid_argument("unit_scale",
                                   detail::format_number(opt.unit_scale) + " divides a span of " +
                                       std::to_string(end_period - period_index(min_sec, unit)) +
                                       " " + std::string(to_string(unit)) +
                                       " into a recency or T beyond the largest number (about "
                                       "1.8e308)",
                                   detail::format_number(opt.unit_scale));
    }

    // Late rows: by period in a plain summary, to the second with a holdout (as lifetimes).
    auto is_late_time = [&](std::int64_t seconds) {
        return holdout ? seconds > obs_end : period_index(seconds, unit) > end_period;
    };

    // The gather: a counting sort of row numbers by customer: each kept row's number is scattered
    // into its customer's bucket, in input order, and the per-customer pass below reads a
    // customer's rows through them, prefetching the rows a few places ahead so that their cache
    // misses overlap. Each range of rows counts its customers' rows (`fill[t]`); the prefix sums
    // over customers, then ranges, give every range its place in each bucket, so the ranges scatter
    // in parallel and each bucket still holds its rows in input order. Row numbers, not the rows'
    // values, are sorted: 4 bytes a row (below 2^32 rows) instead of 16 for a time and an amount.
    // On the machine measured, fresh memory is dear (the kernel's zeroing of its pages): 160 MB of
    // sorted values cost more than gathering the rows at random (docs/benchmarks.md, "The
    // summary's counting sort").
    const std::size_t nc = log.n_customers;
    // Lateness grows with time: no row is late unless the latest one is.
    const bool any_late = is_late_time(max_sec);
    std::size_t dropped = 0;
    std::vector<left_out_item> late_rows;
    if (any_late) {
        for (std::size_t i = 0; i < n; ++i) {
            if (!is_late_time(log.seconds(i))) continue;
            if (opt.late == late_policy::error)
                throw data_error("time: " + log.describe_row(i) + ": " +
                                     format_time(log.seconds(i)) +
                                     " is after the observation end " + format_time(obs_end) +
                                     " (set the late policy to drop to leave such rows out)",
                                 log.row_context("time", i, format_time(log.seconds(i))));
            ++dropped;
            late_rows.push_back({left_out_reason::after_observation_end, log.customer[i],
                                 log.row_number(i), log.seconds(i), 0.0});
        }
    }
    const std::size_t kept = n - dropped;
    // The counts of the ranges take at most one entry a row in all (a range per thread when
    // customers have several rows).
    const auto sort_threads = static_cast<unsigned>(
        std::clamp<std::size_t>(n / std::max<std::size_t>(nc, 1), 1, row_threads));
    // The buckets: rows[start[c] .. start[c + 1]) are the numbers of customer c's kept rows, in
    // input order. `Index` holds a row number (32 bits when they fit).
    auto bucket_rows = [&]<class Index>() {
        std::vector<column<Index>> fill(sort_threads);
        detail::parallel_chunks(n, sort_threads, [&](std::size_t b, std::size_t e, unsigned t) {
            column<Index> count(nc, 0); // zeroed by the thread that fills it
            for (std::size_t i = b; i < e; ++i)
                if (!any_late || !is_late_time(log.seconds(i))) ++count[log.customer[i]];
            fill[t] = std::move(count);
        });
        auto start = detail::uninitialised_column<Index>(nc + 1);
        start[0] = 0;
        Index k = 0;
        for (std::size_t c = 0; c < nc; ++c) {
            for (column<Index>& f : fill)
                k += std::exchange(f[c], k);
            start[c + 1] = k;
        }
        // Every entry is written by the scatter, on the thread of its rows (first touch there).
        auto rows = detail::uninitialised_column<Index>(kept);
        detail::parallel_chunks(n, sort_threads, [&](std::size_t b, std::size_t e, unsigned t) {
            Index* f = fill[t].data();
            Index* r = rows.data();
            for (std::size_t i = b; i < e; ++i)
                if (!any_late || !is_late_time(log.seconds(i)))
                    r[f[log.customer[i]]++] = static_cast<Index>(i);
        });
        return std::pair{std::move(start), std::move(rows)};
    };
    const bool with_cost = !log.cost.empty();
    const bool with_order = !log.order.empty();

    const bool net = opt.returns == returns_policy::net;
    const double scale = opt.unit_scale;

    // Results are written straight into the output columns, one slot per customer id, then the
    // customers without a purchase in the window are squeezed out in place (no per-customer
    // record in between: on 10^6 customers that was 120 MB of fresh pages to zero).
    // The columns are sized (and so zeroed: the first touch of their fresh pages) a column a
    // thread at a time, on every thread.
    customer_summary out;
    const unsigned threads = detail::thread_count(nc, opt.threads, 4096);
    {
        std::vector<std::vector<double>*> doubles{&out.frequency,      &out.recency, &out.T,
                                                  &out.monetary_value, &out.revenue, &out.returns};
        if (holdout)
            doubles.insert(doubles.end(), {&out.frequency_holdout, &out.monetary_value_holdout});
        if (with_cost) doubles.push_back(&out.profit);
        const std::array<std::pair<std::vector<std::int64_t>*, std::int64_t>, 5> ints{
            {{&out.n_purchases, 0},
             {&out.n_returns, 0},
             {&out.orders, 0},
             {&out.first_purchase, no_time},
             {&out.last_purchase, no_time}}};
        const std::size_t d = doubles.size();
        auto size_column = [&](std::size_t j) {
            if (j < d)
                doubles[j]->resize(nc);
            else
                ints[j - d].first->resize(nc, ints[j - d].second);
        };
        detail::parallel_chunks(d + ints.size(), threads,
                                [&](std::size_t b, std::size_t e, unsigned) {
                                    for (std::size_t j = b; j < e; ++j)
                                        size_column(j);
                                });
    }
    std::vector<unsigned char> included(nc, 0);

    // Customer c's summary from its kept rows `recs`, in input order (`orders`: scratch).
    auto summarise_customer = [&](std::size_t c, std::vector<row_rec>& recs,
                                  std::vector<entity_id>& orders) {
        if (recs.empty()) return;
        // Holdout rows are averaged in input order (as lifetimes, through pandas, does);
        // the bucket still holds this customer's rows in input order here.
        compensated_sum hold_sum;
        std::int64_t hold_rows = 0;
        for (const row_rec& x : recs)
            if (x.seconds > cal_end && (net || x.amount >= 0)) {
                hold_sum(x.amount);
                ++hold_rows;
            }
        // lifetimes sorts rows by (time, amount) before summing periods: same order here.
        std::sort(recs.begin(), recs.end(), detail::summary_order<row_rec, row_rec>);
        // Totals over every kept row.
        orders.clear();
        detail::customer_totals totals; // local, stored once
        for (const row_rec& x : recs)
            if (totals.add(x.seconds, x.amount, x.cost, with_cost) && with_order)
                orders.push_back(x.order);
        totals.write(out, c, with_cost);
        if (with_order) {
            std::sort(orders.begin(), orders.end());
            out.orders[c] = std::unique(orders.begin(), orders.end()) - orders.begin();
        } else {
            out.orders[c] = totals.n_purchases;
        }
        // Purchase periods in the calibration window, and the holdout periods. Period
        // values and their mean use compensated sums in lifetimes' order, so that monetary
        // values agree with it to the last bit.
        std::int64_t first_p = 0, last_p = 0;
        std::int64_t n_periods = 0;
        compensated_sum period_sum, all_periods, repeat_periods;
        std::int64_t hold_periods = 0, hold_last_p = 0;
        bool any_hold = false;
        auto close_period = [&] {
            all_periods(period_sum.sum);
            if (n_periods > 1) repeat_periods(period_sum.sum);
        };
        for (const row_rec& x : recs) {
            if (!net && x.amount < 0) continue;
            if (x.seconds <= cal_end) {
                if (n_periods == 0 || x.period != last_p) {
                    if (n_periods > 0) close_period();
                    if (n_periods == 0) first_p = x.period;
                    ++n_periods;
                    period_sum = {};
                }
                period_sum(x.amount);
                last_p = x.period;
            } else {
                if (!any_hold || x.period != hold_last_p) ++hold_periods;
                hold_last_p = x.period;
                any_hold = true;
            }
        }
        if (n_periods == 0) return;
        close_period();
        included[c] = 1;
        const auto repeats = static_cast<double>(n_periods - 1);
        if (opt.include_first_transaction) {
            out.frequency[c] = static_cast<double>(n_periods);
            out.monetary_value[c] = all_periods.sum / static_cast<double>(n_periods);
        } else {
            out.frequency[c] = repeats;
            out.monetary_value[c] = n_periods > 1 ? repeat_periods.sum / repeats : 0.0;
        }
        out.recency[c] = static_cast<double>(last_p - first_p) / scale;
        out.T[c] = static_cast<double>(cal_period - first_p) / scale;
        if (holdout) {
            out.frequency_holdout[c] = static_cast<double>(hold_periods);
            out.monetary_value_holdout[c] =
                hold_rows > 0 ? hold_sum.sum / static_cast<double>(hold_rows) : 0.0;
        }
    };

    // A customer's rows, gathered from the log through the buckets.
    auto gather = [&](const auto& start, const auto& rows) {
        detail::parallel_chunks(nc, threads, [&](std::size_t cb, std::size_t ce, unsigned) {
            std::vector<row_rec> recs;
            std::vector<entity_id> orders;
            const std::size_t last = start[ce];
            for (std::size_t c = cb; c < ce; ++c) {
                recs.clear();
                for (std::size_t k = start[c]; k < start[c + 1]; ++k) {
                    if (k + summary_prefetch < last) {
                        const std::size_t j = rows[k + summary_prefetch];
                        detail::prefetch(&log.time[j]);
                        detail::prefetch(&log.amount[j]);
                        if (with_cost) detail::prefetch(&log.cost[j]);
                        if (with_order) detail::prefetch(&log.order[j]);
                    }
                    const std::size_t i = rows[k];
                    const std::int64_t s = log.seconds(i);
                    recs.push_back({s, period_index(s, unit), log.amount[i],
                                    with_cost ? log.cost[i] : 0.0,
                                    with_order ? log.order[i] : no_id});
                }
                summarise_customer(c, recs, orders);
            }
        });
    };

    // The partitioned pass (see the top of this file).
    auto partitioned = [&] {
        unsigned bits = path.partition_bits;
        if (bits == 0)
            while (bits < partition_bits_max &&
                   (std::size_t{2} << bits) * std::max<std::size_t>(kept, 1) <=
                       partition_rows_target * nc)
                ++bits;
        bits = std::min(bits, partition_bits_max);
        const std::uint64_t local_mask = (std::uint64_t{1} << bits) - 1;
        const std::size_t parts = ((nc - 1) >> bits) + 1;
        // Kept rows of each partition in each range of rows: count[t * parts + p].
        std::vector<std::size_t> count(std::size_t{row_threads} * parts, 0);
        detail::parallel_chunks(n, row_threads, [&](std::size_t b, std::size_t e, unsigned t) {
            std::size_t* k = count.data() + std::size_t{t} * parts;
            for (std::size_t i = b; i < e; ++i)
                if (!any_late || !is_late_time(log.seconds(i))) ++k[log.customer[i] >> bits];
        });
        std::vector<std::size_t> part_rows(parts, 0);
        for (unsigned t = 0; t < row_threads; ++t)
            for (std::size_t p = 0; p < parts; ++p)
                part_rows[p] += count[std::size_t{t} * parts + p];
        const std::size_t largest = *std::max_element(part_rows.begin(), part_rows.end());
        const std::size_t capacity = std::max(
            largest, std::min(kept, path.pass_rows > 0 ? path.pass_rows : pass_rows_default));
        auto buffer = detail::uninitialised_column<packed_row>(capacity);
        std::vector<std::size_t> cursor(count.size());
        std::vector<std::size_t> part_start(parts + 1);
        for (std::size_t pb = 0; pb < parts;) {
            // This pass: partitions [pb, pe), as many as fit in the buffer.
            std::size_t pe = pb, rows_in = 0;
            while (pe < parts && rows_in + part_rows[pe] <= capacity)
                rows_in += part_rows[pe++];
            // Each range of rows writes its rows of partition p after those of earlier ranges.
            std::size_t at = 0;
            for (std::size_t p = pb; p < pe; ++p) {
                part_start[p] = at;
                for (unsigned t = 0; t < row_threads; ++t) {
                    cursor[std::size_t{t} * parts + p] = at;
                    at += count[std::size_t{t} * parts + p];
                }
            }
            part_start[pe] = at;
            const std::size_t first_part = pb, n_parts = pe - pb;
            detail::parallel_chunks(n, row_threads, [&](std::size_t b, std::size_t e, unsigned t) {
                // Branch-free: a row of another pass is written to a scratch slot and leaves its
                // partition's cursor as it was (a branch on it mispredicts on a row in three).
                std::size_t* cur = cursor.data() + std::size_t{t} * parts;
                packed_row* out_rows = buffer.data();
                std::array<packed_row, 16> scratch;
                const entity_id* customer = log.customer.data();
                const std::int64_t* time = log.time.data();
                const double* amount = log.amount.data();
                const std::int64_t ticks = log.ticks_per_second;
                const std::int64_t base = first_row_time;
                const std::uint64_t mask = local_mask;
                const unsigned shift = bits;
                for (std::size_t i = b; i < e; ++i) {
                    const std::size_t c = customer[i];
                    const std::size_t p = c >> shift;
                    const std::int64_t sec = ticks == 1 ? time[i] : floor_div(time[i], ticks);
                    const bool mine = (p - first_part < n_parts) & !(any_late && is_late_time(sec));
                    const std::size_t slot = cur[p];
                    packed_row* to = mine ? out_rows + slot : scratch.data() + (i & 15);
                    *to = {(static_cast<std::uint64_t>(sec - base) << partition_bits_max) |
                               (c & mask),
                           amount[i]};
                    cur[p] = slot + static_cast<std::size_t>(mine);
                }
            });
            // Each partition counting-sorted by customer (in input order within a customer),
            // then its customers summarised.
            detail::parallel_chunks(n_parts, threads, [&](std::size_t b, std::size_t e, unsigned) {
                std::vector<std::size_t> from((std::size_t{1} << bits) + 1);
                std::vector<packed_row> sorted;
                std::vector<row_rec> recs;
                std::vector<entity_id> orders;
                for (std::size_t p = first_part + b; p < first_part + e; ++p) {
                    const packed_row* rows = buffer.data() + part_start[p];
                    const std::size_t m = part_rows[p];
                    const std::size_t c0 = p << bits;
                    const std::size_t width = std::min(nc - c0, std::size_t{1} << bits);
                    std::fill_n(from.begin(), width + 1, std::size_t{0});
                    for (std::size_t k = 0; k < m; ++k)
                        ++from[(rows[k].key & local_mask) + 1];
                    for (std::size_t l = 0; l < width; ++l)
                        from[l + 1] += from[l];
                    sorted.resize(m);
                    for (std::size_t k = 0; k < m; ++k)
                        sorted[from[rows[k].key & local_mask]++] = rows[k];
                    // from[l] is now the end of customer l's rows.
                    std::size_t k = 0;
                    for (std::size_t l = 0; l < width; ++l) {
                        recs.clear();
                        for (; k < from[l]; ++k) {
                            const std::int64_t sec =
                                first_row_time +
                                static_cast<std::int64_t>(sorted[k].key >> partition_bits_max);
                            recs.push_back(
                                {sec, period_index(sec, unit), sorted[k].amount, 0.0, no_id});
                        }
                        summarise_customer(c0 + l, recs, orders);
                    }
                }
            });
            pb = pe;
        }
    };

    if (!with_cost && !with_order && !path.gather && !path.wide_row_numbers) {
        partitioned();
    } else if (n <= std::numeric_limits<std::uint32_t>::max() && !path.wide_row_numbers) {
        const auto [start, rows] = bucket_rows.template operator()<std::uint32_t>();
        gather(start, rows);
    } else {
        const auto [start, rows] = bucket_rows.template operator()<std::size_t>();
        gather(start, rows);
    }

    out.unit = unit;
    out.unit_scale = scale;
    out.observation_end = obs_end;
    if (holdout) {
        out.calibration_end = cal_end;
        out.duration_holdout = static_cast<double>(end_period - cal_period) / scale;
    }
    out.rows_used = n - dropped;
    out.rows_dropped_after_end = dropped;
    out.left_out = std::move(late_rows);
    // Sums of finite amounts can still overflow (two rows of 1e308): an error naming the
    // customer's first row, never an infinite total.
    auto require_finite = [&](std::size_t c, const char* what, double x) {
        if (std::isfinite(x)) return;
        std::size_t i = 0;
        while (i + 1 < n && log.customer[i] != c)
            ++i;
        throw data_error(std::string(what) + ": " + log.describe_row(i) +
                             ": the sum of the customer's amounts overflows the largest number "
                             "(about 1.8e308)",
                         log.row_context(what, i, detail::format_number(x)));
    };
    for (std::size_t c = 0; c < nc; ++c)
        if (out.n_purchases[c] + out.n_returns[c] > 0) {
            require_finite(c, "revenue", out.revenue[c]);
            require_finite(c, "returns", out.returns[c]);
            if (with_cost) require_finite(c, "profit", out.profit[c]);
            require_finite(c, "monetary_value", out.monetary_value[c]);
            if (holdout) require_finite(c, "monetary_value_holdout", out.monetary_value_holdout[c]);
        }
    detail::keep_customers_with_purchase(out, included);
    return out;
}

void detail::keep_customers_with_purchase(customer_summary& s,
                                          const std::vector<unsigned char>& included) {
    const std::size_t nc = included.size();
    // The columns of a row, doubles and integers, moved together from slot c to slot m.
    std::vector<std::vector<double>*> doubles;
    for (auto* v : {&s.frequency, &s.recency, &s.T, &s.monetary_value, &s.revenue, &s.returns,
                    &s.frequency_holdout, &s.monetary_value_holdout, &s.profit})
        if (!v->empty()) doubles.push_back(v);
    std::vector<std::vector<std::int64_t>*> ints;
    for (auto* v : {&s.n_purchases, &s.n_returns, &s.orders, &s.first_purchase, &s.last_purchase})
        if (!v->empty()) ints.push_back(v);
    std::size_t m = 0;
    for (std::size_t c = 0; c < nc; ++c) {
        if (included[c] == 0) {
            s.customers_without_purchase.push_back(static_cast<entity_id>(c));
            const left_out_reason why = s.n_purchases[c] > 0
                                            ? left_out_reason::no_purchase_in_calibration
                                        : s.n_returns[c] > 0 ? left_out_reason::only_returns
                                                             : left_out_reason::no_row_in_window;
            s.left_out.push_back({why, static_cast<entity_id>(c), no_row, no_time, s.revenue[c]});
            continue;
        }
        if (m != c) {
            for (auto* v : doubles)
                (*v)[m] = (*v)[c];
            for (auto* v : ints)
                (*v)[m] = (*v)[c];
        }
        ++m;
    }
    for (auto* v : doubles)
        v->resize(m);
    for (auto* v : ints)
        v->resize(m);
    s.customer.resize(m);
    if (m == nc) {
        std::iota(s.customer.begin(), s.customer.end(), entity_id{0});
    } else {
        for (std::size_t c = 0, k = 0; c < nc; ++c)
            if (included[c] != 0) s.customer[k++] = static_cast<entity_id>(c);
    }
}

CUSTOMETRICS_END_NAMESPACE
