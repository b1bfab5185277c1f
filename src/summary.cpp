// Per-customer summaries (see custometrics/summary.hpp for the definitions).
//
// Method: rows are bucketed by customer with a counting sort (two linear passes), then each
// customer's rows are sorted by time and swept once; customers are processed in parallel
// chunks. The cost is linear in rows plus a small sort per customer.
#include "custometrics/summary.hpp"

#include "custometrics/accumulators.hpp"
#include "custometrics/column.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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

struct row_rec {
    std::int64_t seconds;
    std::int64_t period;
    double amount;
    double cost;
    entity_id order;
};

// What one customer contributes; `included` is false when it has no purchase in the window.
struct customer_result {
    bool included = false;
    double frequency = 0, recency = 0, T = 0, monetary = 0;
    double frequency_holdout = 0, monetary_holdout = 0;
    double revenue = 0, returns = 0, profit = 0; // Neumaier sums: 1e17 + 1 - 1e17 = 1
    std::int64_t n_purchases = 0, n_returns = 0, orders = 0;
    std::int64_t first = no_time, last = no_time;
};

} // namespace

customer_summary summarize(const transaction_view& log, const summary_options& opt) {
    return detail::summarize_part(log, opt, std::nullopt);
}

customer_summary detail::summarize_part(const transaction_view& log, const summary_options& opt,
                                        std::optional<time_span> whole) {
    log.validate();
    const std::size_t n = log.size();
    if (n == 0) throw invalid_argument("transactions", "the log is empty");
    if (!(opt.unit_scale > 0.0) || !std::isfinite(opt.unit_scale))
        throw invalid_argument("unit_scale", "must be a positive finite number, got " +
                                                 std::to_string(opt.unit_scale));

    std::int64_t min_sec = std::numeric_limits<std::int64_t>::max();
    std::int64_t max_sec = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t s = log.seconds(i);
        min_sec = std::min(min_sec, s);
        max_sec = std::max(max_sec, s);
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
    auto is_late = [&](std::size_t i) {
        return holdout ? log.seconds(i) > obs_end : period_index(log.seconds(i), unit) > end_period;
    };

    // Counting sort of rows by customer: the time and amount (and cost, order) of each kept row
    // are scattered into its customer's bucket, in input order, so that the per-customer pass
    // below reads its rows sequentially instead of gathering them from the columns at random.
    const std::size_t nc = log.n_customers;
    column<std::size_t> start(nc + 1, 0);
    std::size_t dropped = 0;
    column<unsigned char> late(n, 0);
    std::vector<left_out_item> late_rows;
    for (std::size_t i = 0; i < n; ++i) {
        if (is_late(i)) {
            if (opt.late == late_policy::error)
                throw data_error("time: " + log.describe_row(i) + ": " +
                                     format_time(log.seconds(i)) +
                                     " is after the observation end " + format_time(obs_end) +
                                     " (set the late policy to drop to leave such rows out)",
                                 log.row_context("time", i, format_time(log.seconds(i))));
            late[i] = 1;
            ++dropped;
            late_rows.push_back({left_out_reason::after_observation_end, log.customer[i],
                                 log.row_number(i), log.seconds(i), 0.0});
            continue;
        }
        ++start[log.customer[i] + 1];
    }
    for (std::size_t c = 0; c < nc; ++c)
        start[c + 1] += start[c];
    const bool with_cost = !log.cost.empty();
    const bool with_order = !log.order.empty();
    struct time_amount {
        std::int64_t seconds;
        double amount;
    };
    const std::size_t kept = n - dropped;
    column<time_amount> bucket(kept);
    column<double> bucket_cost(with_cost ? kept : 0);
    column<entity_id> bucket_order(with_order ? kept : 0);
    {
        column<std::size_t> fill(start.begin(), start.end() - 1);
        for (std::size_t i = 0; i < n; ++i) {
            if (late[i] != 0) continue;
            const std::size_t k = fill[log.customer[i]]++;
            bucket[k] = {log.seconds(i), log.amount[i]};
            if (with_cost) bucket_cost[k] = log.cost[i];
            if (with_order) bucket_order[k] = log.order[i];
        }
    }

    const bool net = opt.returns == returns_policy::net;
    const double scale = opt.unit_scale;
    column<customer_result> res(nc);

    const unsigned threads = detail::thread_count(nc, opt.threads, 4096);
    detail::parallel_chunks(nc, threads, [&](std::size_t cb, std::size_t ce, unsigned) {
        std::vector<row_rec> recs;
        std::vector<entity_id> orders;
        for (std::size_t c = cb; c < ce; ++c) {
            recs.clear();
            for (std::size_t k = start[c]; k < start[c + 1]; ++k) {
                const std::int64_t s = bucket[k].seconds;
                recs.push_back({s, period_index(s, unit), bucket[k].amount,
                                with_cost ? bucket_cost[k] : 0.0,
                                with_order ? bucket_order[k] : no_id});
            }
            if (recs.empty()) continue;
            customer_result& r = res[c];
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
            std::sort(recs.begin(), recs.end(), [](const row_rec& a, const row_rec& b) {
                return a.seconds != b.seconds ? a.seconds < b.seconds : a.amount < b.amount;
            });
            // Totals over every kept row.
            orders.clear();
            bool any_purchase = false;
            // Local sums (kept in registers, not stored to `r` on every row).
            neumaier_sum revenue, returns, profit;
            for (const row_rec& x : recs) {
                revenue(x.amount);
                if (with_cost) profit(x.amount - x.cost);
                if (x.amount < 0) {
                    returns(-x.amount);
                    ++r.n_returns;
                    continue;
                }
                ++r.n_purchases;
                if (!any_purchase) r.first = x.seconds;
                r.last = x.seconds;
                any_purchase = true;
                if (with_order) orders.push_back(x.order);
            }
            r.revenue = revenue.value();
            r.returns = returns.value();
            r.profit = profit.value();
            if (with_order) {
                std::sort(orders.begin(), orders.end());
                r.orders = std::unique(orders.begin(), orders.end()) - orders.begin();
            } else {
                r.orders = r.n_purchases;
            }
            // Purchase periods in the calibration window, and the holdout periods. Period values
            // and their mean use compensated sums in lifetimes' order, so that monetary values
            // agree with it to the last bit.
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
            if (n_periods == 0) continue;
            close_period();
            r.included = true;
            const auto repeats = static_cast<double>(n_periods - 1);
            if (opt.include_first_transaction) {
                r.frequency = static_cast<double>(n_periods);
                r.monetary = all_periods.sum / static_cast<double>(n_periods);
            } else {
                r.frequency = repeats;
                r.monetary = n_periods > 1 ? repeat_periods.sum / repeats : 0.0;
            }
            r.recency = static_cast<double>(last_p - first_p) / scale;
            r.T = static_cast<double>(cal_period - first_p) / scale;
            r.frequency_holdout = static_cast<double>(hold_periods);
            r.monetary_holdout =
                hold_rows > 0 ? hold_sum.sum / static_cast<double>(hold_rows) : 0.0;
        }
    });

    customer_summary out;
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
    std::size_t m = 0;
    for (const auto& r : res)
        m += r.included ? 1 : 0;
    out.customer.reserve(m);
    for (auto* v :
         {&out.frequency, &out.recency, &out.T, &out.monetary_value, &out.revenue, &out.returns})
        v->reserve(m);
    if (holdout) {
        out.frequency_holdout.reserve(m);
        out.monetary_value_holdout.reserve(m);
    }
    if (with_cost) out.profit.reserve(m);
    for (auto* v :
         {&out.n_purchases, &out.n_returns, &out.orders, &out.first_purchase, &out.last_purchase})
        v->reserve(m);
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
    for (std::size_t c = 0; c < nc; ++c) {
        const customer_result& r = res[c];
        if (r.n_purchases + r.n_returns > 0) {
            require_finite(c, "revenue", r.revenue);
            require_finite(c, "returns", r.returns);
            if (with_cost) require_finite(c, "profit", r.profit);
            require_finite(c, "monetary_value", r.monetary);
            require_finite(c, "monetary_value_holdout", r.monetary_holdout);
        }
        if (!r.included) {
            out.customers_without_purchase.push_back(static_cast<entity_id>(c));
            const left_out_reason why = r.n_purchases > 0
                                            ? left_out_reason::no_purchase_in_calibration
                                        : r.n_returns > 0 ? left_out_reason::only_returns
                                                          : left_out_reason::no_row_in_window;
            out.left_out.push_back({why, static_cast<entity_id>(c), no_row, no_time, r.revenue});
            continue;
        }
        out.customer.push_back(static_cast<entity_id>(c));
        out.frequency.push_back(r.frequency);
        out.recency.push_back(r.recency);
        out.T.push_back(r.T);
        out.monetary_value.push_back(r.monetary);
        if (holdout) {
            out.frequency_holdout.push_back(r.frequency_holdout);
            out.monetary_value_holdout.push_back(r.monetary_holdout);
        }
        out.revenue.push_back(r.revenue);
        out.returns.push_back(r.returns);
        if (with_cost) out.profit.push_back(r.profit);
        out.n_purchases.push_back(r.n_purchases);
        out.n_returns.push_back(r.n_returns);
        out.orders.push_back(r.orders);
        out.first_purchase.push_back(r.first);
        out.last_purchase.push_back(r.last);
    }
    return out;
}

CUSTOMETRICS_END_NAMESPACE
