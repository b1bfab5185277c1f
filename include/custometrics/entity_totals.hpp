// Totals of one indicator (net revenue, profit or quantity) per entity (customer, product or
// channel) of a transaction log, over the rows inside a time window: what the Pareto analysis
// ranks, what the period comparison compares, and what the report's whale curve is drawn from.
//
// Method: the rows whose time lies in the closed window [start, end] (either side open when
// absent) are gathered with their entity id and value, then summed per id by `aggregate_by`
// (aggregate.hpp) without moments: sums compensated after Neumaier, as Python's `pareto`
// (`pareto_by_key`, `sum_by_key`) sums, so that all faces rank the same totals to the last bit
// whatever the row order (purchases 1e17 and 1 and a return of -1e17 total 1, not 0). A total that
// overflows is a `data_error` naming the entity's key, never infinity. Entities are every id of the
// dimension's key index, so the totals of two windows line up id by id; an entity with no row
// in the window has total 0 and is not `active`. Returns (negative amounts) count with their
// sign: revenue is net, profit is amount - cost of each row, quantity is taken as given.
//
// A window end given as a plain date means the whole day: `inclusive_end` turns midnight into
// 23:59:59 of that day, so `--period-end 2020-01-02` keeps a row at 2020-01-02T18:00.
//
// Example:
//     custometrics::time_window w{.start = parse_time("2020-01-03"),
//                                 .end = custometrics::inclusive_end(*parse_time("2020-01-05"))};
//     auto t = custometrics::entity_totals(log, custometrics::dimension::customer,
//                                          custometrics::measure::revenue, w);
//     // t.value[id]: net revenue of customer id from 2020-01-03 to the end of 2020-01-05
#pragma once

#include "custometrics/aggregate.hpp"
#include "custometrics/config.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/transactions.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Which entities are totalled: customers, products or channels of the log.
enum class dimension { customer, product, channel };

/// Which indicator is totalled: net revenue (amount), profit (amount - cost), quantity.
enum class measure { revenue, profit, quantity };

/// A closed time window [start, end] in seconds since the epoch, either side open when absent.
struct time_window {
    std::optional<std::int64_t> start = {};
    std::optional<std::int64_t> end = {}; ///< inclusive

    /// Whether time `t` lies in the window.
    constexpr bool contains(std::int64_t t) const noexcept {
        return (!start || t >= *start) && (!end || t <= *end);
    }
    /// Whether the window ends before it starts, so that it holds no time (`check_window`'s
    /// error). Example: start 2020-02-01, end 2020-01-31 -> true; either side open -> false.
    constexpr bool reversed() const noexcept { return start && end && *end < *start; }
};

/// The inclusive window end for a user's end `t`: a plain date (midnight) closes at the end of
/// its day, t + 86,399 seconds; a time of day is kept. Example: 2020-01-02 -> 2020-01-02T23:59:59.
constexpr std::int64_t inclusive_end(std::int64_t t) noexcept {
    return t % seconds_per_day == 0 ? t + seconds_per_day - 1 : t;
}

/// Checks that window `w` is not reversed: throws `invalid_argument` naming `end_argument`
/// (value: the end, as `format_time` writes it) when its end is before its start, which would
/// select no row at all. Example: start 2020-02-01, end 2020-01-31T23:59:59 -> "end:
/// 2020-01-31T23:59:59 is before start 2020-02-01: the window holds no time".
inline void check_window(const time_window& w, std::string_view start_argument = "start",
                         std::string_view end_argument = "end") {
    if (!w.reversed()) return;
    const std::string end = format_time(*w.end);
    throw invalid_argument(end_argument,
                           end + " is before " + std::string(start_argument) + " " +
                               format_time(*w.start) + ": the window holds no time",
                           end);
}

/// Totals of one indicator per entity, indexed by entity id.
struct entity_totals_result {
    std::vector<double> value;     ///< total per entity id (0 when it has no row in the window)
    std::vector<entity_id> active; ///< ids with at least one row in the window, ascending
};

/// The key index of dimension `d` in `log` (the keys of `entity_totals` ids).
inline const key_index& dimension_keys(const transaction_log& log, dimension d) noexcept {
    switch (d) {
    case dimension::product:
        return log.product_keys;
    case dimension::channel:
        return log.channel_keys;
    case dimension::customer:
        break;
    }
    return log.customer_keys;
}

namespace detail {
/// Throws the `invalid_argument` of `entity_totals` when a log with these columns lacks the one
/// that dimension `d` or measure `m` needs (see `entity_totals`).
inline void check_totals_columns(dimension d, measure m, bool has_product, bool has_channel,
                                 bool has_cost, bool has_quantity) {
    if (d == dimension::product && !has_product)
        throw invalid_argument("dimension",
                               "product needs a product column, and the log "
                               "has none",
                               "product");
    if (d == dimension::channel && !has_channel)
        throw invalid_argument("dimension",
                               "channel needs a channel column, and the log "
                               "has none",
                               "channel");
    if (m == measure::profit && !has_cost)
        throw invalid_argument("measure",
                               "profit needs a cost column (cost, margin or unit_cost), and the "
                               "log has none",
                               "profit");
    if (m == measure::quantity && !has_quantity)
        throw invalid_argument("measure", "quantity needs a quantity column, and the log has none",
                               "quantity");
}

/// The value of measure `m` of one row: its amount, amount - cost, or quantity.
constexpr double measure_value(measure m, double amount, double cost, double quantity) noexcept {
    return m == measure::revenue ? amount : m == measure::profit ? amount - cost : quantity;
}

/// How measure `m` is named in errors (their `argument`): "amount", "profit" or "quantity".
constexpr const char* measure_name(measure m) noexcept {
    return m == measure::revenue ? "amount" : m == measure::profit ? "profit" : "quantity";
}

/// The `data_error` of `row_measure`: a bad value of one row of a log, whose `row()` is the
/// log's row (to be named by its file line), where the other errors of `entity_totals` name an
/// entity by its id (`totals_of`). Faces see a `data_error`.
class log_row_error : public data_error {
public:
    using data_error::data_error;
};

/// The value of measure `m` of row `row` (0-based: the row of the log, which is the data row of
/// the file it was read from) of the customer whose key `customer()` gives: `measure_value`,
/// checked. The one check of a row's value for `entity_totals` and for the bounded-memory
/// `pareto_csv` (streaming.hpp), so that both name a bad row alike.
///
/// Throws `data_error` when the value is not finite (a profit of amount 1e308 and cost -1e308
/// overflows): argument the measure's name (`measure_name`), row `row`, key the customer's, value
/// the row's value ("inf"), as `transaction_view::row_context` names a row; the message as
/// `transaction_view::describe_row` does: `profit: row 1 (customer "A"): amount 1e+308 - cost
/// -1e+308 is inf`. A face names the row's file line from `row` (`naming_line`, csv.hpp). The
/// error is a `log_row_error`, which tells it from an entity's overflowing total (`totals_of`,
/// whose `row` is the entity's id).
template <class CustomerKey>
double row_measure(measure m, double amount, double cost, double quantity, std::size_t row,
                   CustomerKey&& customer) {
    const double v = measure_value(m, amount, cost, quantity);
    if (std::isfinite(v)) [[likely]]
        return v;
    const std::string value = detail::format_number(v);
    const std::string how = m == measure::profit ? "amount " + detail::format_number(amount) +
                                                       " - cost " + detail::format_number(cost) +
                                                       " is " + value
                                                 : "value is " + value;
    const std::string key = std::forward<CustomerKey>(customer)();
    throw log_row_error(std::string(measure_name(m)) + ": row " + std::to_string(row) +
                            " (customer \"" + key + "\"): " + how,
                        error_context{measure_name(m), row, key, {}, value});
}

/// The totals of `entity_totals` from the compensated sum `sum[id]` and row count `count[id]`
/// of each entity id of `keys` (dimension `d`): an entity is active when it has a row. Throws
/// the `data_error` of the first id (in id order) whose total is not finite, naming its key.
inline entity_totals_result totals_of(std::span<const double> sum,
                                      std::span<const std::int64_t> count, const key_index& keys,
                                      measure m) {
    entity_totals_result out;
    out.value.assign(sum.begin(), sum.end());
    for (std::size_t id = 0; id < out.value.size(); ++id) {
        if (!std::isfinite(out.value[id])) {
            const std::string key = keys.key_string(static_cast<entity_id>(id));
            const char* what = measure_name(m);
            throw data_error(std::string(what) + ": the total of \"" + key +
                                 "\" overflows the largest number (about 1.8e308)",
                             error_context{what, id, key, {}, {}});
        }
        if (count[id] > 0) out.active.push_back(static_cast<entity_id>(id));
    }
    return out;
}
} // namespace detail

/// The total of `m` per entity of `d` over the rows of `log` inside `w` (see the top of this
/// header). Throws `invalid_argument` for a window whose end is before its start (argument
/// "end", see `check_window`) and when the log lacks the column the pair needs: argument
/// "dimension" (value "product" or "channel") for a missing key column, "measure" (value
/// "profit" or "quantity") for a missing cost or quantity; `data_error` for the first row of the
/// window whose value is not finite (`detail::row_measure`: a profit that overflows) and for an
/// entity whose total overflows (`detail::totals_of`). Example: rows A 50 (Jan 1), B 30
/// (Jan 2), A -5 (Jan 3); window [Jan 2, end of Jan 3] -> A -5, B 30, both active.
inline entity_totals_result entity_totals(const transaction_log& log, dimension d, measure m,
                                          const time_window& w = {}, unsigned threads = 0) {
    check_window(w);
    detail::check_totals_columns(d, m, !log.product.empty(), !log.channel.empty(), log.has_cost(),
                                 !log.quantity.empty());
    const std::vector<entity_id>& ids = d == dimension::product   ? log.product
                                        : d == dimension::channel ? log.channel
                                                                  : log.customer;
    const std::size_t n_entities = dimension_keys(log, d).size();
    // Every row, of a measure the log holds as a column: aggregated in place. Otherwise the
    // rows of the window and their measure are gathered first.
    std::span<const entity_id> group_rows = ids;
    std::span<const double> value_rows = m == measure::quantity
                                             ? std::span<const double>(log.quantity)
                                             : std::span<const double>(log.amount);
    std::vector<entity_id> group;
    std::vector<double> value;
    if (w.start || w.end || m == measure::profit) {
        group.reserve(log.size());
        value.reserve(log.size());
        const bool cost = m == measure::profit, quantity = m == measure::quantity;
        for (std::size_t i = 0; i < log.size(); ++i) {
            if (!w.contains(log.time[i])) continue;
            group.push_back(ids[i]);
            value.push_back(detail::row_measure(
                m, log.amount[i], cost ? log.cost[i] : 0.0, quantity ? log.quantity[i] : 0.0, i,
                [&] { return log.customer_keys.key_string(log.customer[i]); }));
        }
        group_rows = group;
        value_rows = value;
    }
    aggregate_options options;
    options.threads = threads;
    options.with_moments = false;
    const group_stats s = aggregate_by(group_rows, n_entities, value_rows, {}, options);
    return detail::totals_of(s.sum, s.count, dimension_keys(log, d), m);
}

CUSTOMETRICS_END_NAMESPACE
