// Per-customer summaries: the retention-model inputs (frequency, recency, T, monetary value),
// an optional calibration/holdout split, and per-customer totals.
//
// Definitions are those of `summary_data_from_transaction_data` and
// `calibration_and_holdout_data` in the Python package lifetimes 0.11.3, the de-facto standard
// (Fader, Hardie & Lee 2005, "Counting your customers the easy way", use the same ones):
//
// - Purchases are counted per *period* (a day, week or month, see date.hpp): several purchases
//   in one period are one purchase whose value is their sum.
// - `frequency` = number of distinct purchase periods after the first (the repeat purchases).
// - `recency`   = (last purchase period - first purchase period) / unit_scale.
// - `T`         = (period of the observation end - first purchase period) / unit_scale.
// - `monetary_value` = mean value of the repeat purchase periods; 0 with no repeat purchase.
//   With `include_first_transaction`, frequency and monetary value count the first period too.
// - `unit_scale` is lifetimes' `freq_multiplier`: days with unit_scale 7 gives weeks with
//   fractions (the CDNOW tables in the literature are in such weeks).
// - Rows whose period lies after the period of the observation end are *late*. lifetimes drops
//   them silently; here `late_policy::error` (default) throws naming the first one, and
//   `late_policy::drop` drops them and counts them in `rows_dropped_after_end`.
//
// Calibration/holdout (`calibration_end` set), as lifetimes: rows with time <= calibration end
// (compared to the second, not by period) form the calibration summary, whose observation end
// is the calibration end; rows with calibration end < time <= observation end form the holdout:
// `frequency_holdout` = number of distinct holdout purchase periods, `monetary_value_holdout` =
// mean amount of the holdout purchase *rows* (lifetimes averages rows there, not periods), 0 when
// none; `duration_holdout` = (period of observation end - period of calibration end)/unit_scale.
// Customers whose first purchase is after the calibration end are not in the summary.
//
// Returns (negative amounts): `returns_policy::exclude` (default) keeps them out of the purchase
// periods entirely: they count in the totals (`returns`, `n_returns`, net `revenue`) but never
// create a purchase period or lower its value. `returns_policy::net` treats every row as a
// transaction, summing returns into their period as lifetimes does.
//
// Months are calendar months, counted by month number (lifetimes cannot divide by a month).
//
// Customers of the log with no purchase in the (calibration) window are left out of the rows,
// listed in `customers_without_purchase`, never silently lost.
#pragma once

#include "custometrics/accumulators.hpp"
#include "custometrics/config.hpp"
#include "custometrics/date.hpp"
#include "custometrics/left_out.hpp"
#include "custometrics/transactions.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// How negative amounts (returns, refunds) enter the purchase periods (see summary.hpp).
enum class returns_policy { exclude, net };
/// What to do with rows after the observation end (see summary.hpp).
enum class late_policy { error, drop };

/// "exclude" / "net" to a policy; throws `invalid_argument` naming `argument` otherwise.
returns_policy parse_returns_policy(std::string_view text, std::string_view argument = "returns");
/// "error" / "drop" to a policy; throws `invalid_argument` naming `argument` otherwise.
late_policy parse_late_policy(std::string_view text, std::string_view argument = "late");

/// Options of `summarize`.
struct summary_options {
    time_unit unit = time_unit::days;
    double unit_scale =
        1.0; ///< divide recency, T and duration by this (lifetimes' freq_multiplier)
    std::optional<std::int64_t> observation_end; ///< seconds; default: time of the last row
    std::optional<std::int64_t> calibration_end; ///< seconds; when set, holdout columns are made
    returns_policy returns = returns_policy::exclude;
    late_policy late = late_policy::error;
    bool include_first_transaction = false;
    unsigned threads = 0; ///< 0 = all hardware threads
};

/// One row per customer with a purchase in the (calibration) window, in ascending id order.
struct customer_summary {
    std::vector<entity_id> customer; ///< dense customer id of each row

    std::vector<double> frequency;
    std::vector<double> recency;
    std::vector<double> T;
    std::vector<double> monetary_value;

    // Holdout columns, filled when a calibration end was given.
    std::vector<double> frequency_holdout;
    std::vector<double> monetary_value_holdout;
    double duration_holdout = 0.0;

    // Totals over all rows up to the observation end (calibration and holdout together).
    std::vector<double> revenue;           ///< net: purchases minus returns
    std::vector<double> returns;           ///< refunded amount, as a positive number
    std::vector<double> profit;            ///< revenue minus cost; empty without a cost column
    std::vector<std::int64_t> n_purchases; ///< purchase rows (amount >= 0)
    std::vector<std::int64_t> n_returns;   ///< return rows (amount < 0)
    std::vector<std::int64_t> orders;      ///< distinct orders (order column), else n_purchases
    std::vector<std::int64_t>
        first_purchase;                      ///< seconds of the first purchase row; no_time if none
    std::vector<std::int64_t> last_purchase; ///< seconds of the last purchase row; no_time if none

    // The window and what was left out.
    time_unit unit = time_unit::days;
    double unit_scale = 1.0;
    std::int64_t observation_end = 0;
    std::optional<std::int64_t> calibration_end;
    std::size_t rows_used = 0;
    std::size_t rows_dropped_after_end = 0;
    std::vector<entity_id> customers_without_purchase;
    /// Every row and customer left out, with the reason (left_out.hpp): the rows after the
    /// observation end (`after_observation_end`, in log order), then the customers of
    /// `customers_without_purchase` (`only_returns`, `no_purchase_in_calibration` or
    /// `all_rows_after_end`, with their net revenue), in id order. Its rows number
    /// `rows_dropped_after_end`, so rows_used + the rows listed = the rows of the log.
    std::vector<left_out_item> left_out;

    std::size_t size() const noexcept { return customer.size(); }
    bool has_holdout() const noexcept { return calibration_end.has_value(); }
};

/// Builds the per-customer summary of `log` (see the file comment for every definition).
///
/// Throws `invalid_argument` for an empty log, `unit_scale <= 0` or not finite, a unit scale so
/// small that recency, T or the holdout duration would overflow (argument "unit_scale"), an
/// observation or calibration end outside the supported years 1..9999 (date.hpp), an
/// observation end before the first row, or a calibration end outside [first row, observation
/// end); and `data_error` naming the row for NaN or infinite amounts, for a time outside the
/// supported years, for a customer whose revenue, returns, profit or monetary value overflows
/// the largest double (naming its first row), and, under `late_policy::error`, for the first
/// row after the observation end.
///
/// Revenue, returns and profit are Neumaier sums (accumulators.hpp), exact under cancellation:
/// purchases 1e17 and 1 and a return of -1e17 give revenue 1. Monetary values are Kahan sums in
/// lifetimes' order, as pandas computes them, so that they agree with lifetimes to the bit.
customer_summary summarize(const transaction_view& log, const summary_options& options = {});

namespace detail {
/// The first and last times (seconds) of a whole log.
struct time_span {
    std::int64_t first = 0;
    std::int64_t last = 0;
};

/// `summarize` of `part`, some customers' rows of a larger log whose times span `whole`
/// (nullopt: `part` is the whole log): the window (the default observation end, the checks of
/// the observation and calibration ends, T) is that of the whole log, so that the summaries of
/// the parts of a log, put together, are its summary (streaming.hpp). Rows are named by
/// `part.row_numbers`. The counting sort of the rows by customer (summary.cpp) holds row numbers
/// in 32 bits below 2^32 rows, else in 64; `wide_row_numbers` takes 64 bits whatever the size
/// (the same result: for tests of that path).
customer_summary summarize_part(const transaction_view& part, const summary_options& options,
                                std::optional<time_span> whole, bool wide_row_numbers = false);

/// The totals of one customer that a summary reports over its kept rows (the top of this file):
/// net revenue, returns and profit (Neumaier sums: nearly always the same whatever the order of
/// the rows, but not always, so `summarize` adds them in `summary_order`), purchase rows (amount >=
/// 0) and return rows, the first and last purchase times. A streaming accumulator: memory does not
/// grow with the rows (streaming.hpp folds a file's rows into one per customer).
struct customer_totals {
    neumaier_sum revenue, returns, profit;
    std::int64_t n_purchases = 0;
    std::int64_t n_returns = 0;
    std::int64_t first_purchase = no_time;
    std::int64_t last_purchase = no_time;

    /// Adds one row (its cost counted when `with_cost`); returns whether it is a purchase.
    bool add(std::int64_t seconds, double amount, double cost, bool with_cost) noexcept {
        revenue(amount);
        if (with_cost) profit(amount - cost);
        if (amount < 0) {
            returns(-amount);
            ++n_returns;
            return false;
        }
        first_purchase = n_purchases == 0 ? seconds : std::min(first_purchase, seconds);
        last_purchase = n_purchases == 0 ? seconds : std::max(last_purchase, seconds);
        ++n_purchases;
        return true;
    }
    /// Writes these totals to slot `c` of the columns revenue, returns, profit (when
    /// `with_cost`), n_purchases, n_returns, first_purchase and last_purchase of `s`.
    void write(customer_summary& s, std::size_t c, bool with_cost) const noexcept {
        s.revenue[c] = revenue.value();
        s.returns[c] = returns.value();
        if (with_cost) s.profit[c] = profit.value();
        s.n_purchases[c] = n_purchases;
        s.n_returns[c] = n_returns;
        s.first_purchase[c] = first_purchase;
        s.last_purchase[c] = last_purchase;
    }
};

/// The order in which `summarize` adds a customer's rows (lifetimes sorts them so before
/// summing periods): by time, then by amount. Rows `a` and `b` are any types with `seconds` and
/// `amount`; the rows are put in this order by `std::sort`, from their order in the input, so a
/// fold that must add them as `summarize` does (streaming.cpp) sorts with this same rule.
template <class RowA, class RowB>
constexpr bool summary_order(const RowA& a, const RowB& b) noexcept {
    return a.seconds != b.seconds ? a.seconds < b.seconds : a.amount < b.amount;
}

/// Keeps the rows of `s` whose customer is `included` (nonzero; one slot per customer id in
/// each column of `s` that is not empty, `included` as long): moves them to the front in id
/// order, fills `s.customer` with their ids, and lists the other customers in
/// `customers_without_purchase` and, after the items already there, in `left_out` with their
/// reason (a purchase outside the calibration window, only returns, no row) and net revenue.
void keep_customers_with_purchase(customer_summary& s, const std::vector<unsigned char>& included);
} // namespace detail

CUSTOMETRICS_END_NAMESPACE
