// The transaction log: one row per purchase (or return), columns stored side by side.
//
// Required columns: customer (dense id, see key_index.hpp), time (seconds since the epoch, see
// date.hpp) and amount (money; negative = a return or refund). Optional columns, empty when
// absent: cost (cost of goods of the row, in the same sign as amount, so profit = amount - cost),
// quantity, order, product and channel (dense ids with their own key indexes).
//
// `transaction_view` is the non-owning form every algorithm takes: spans over caller memory
// (a `transaction_log`, numpy arrays, an Arrow batch) with no copy. `validate()` checks it once
// and names the first bad row with its customer key.
#pragma once

#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/date.hpp"
#include "custometrics/error.hpp"
#include "custometrics/key_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Non-owning columns of a transaction log. All non-empty spans have the same length.
struct transaction_view {
    std::span<const entity_id> customer;      ///< dense customer id per row (required)
    std::size_t n_customers = 0;              ///< ids are < n_customers
    std::span<const std::int64_t> time;       ///< time per row, in ticks (required)
    std::int64_t ticks_per_second = 1;        ///< 1 for seconds, 10^9 for numpy datetime64[ns]
    std::span<const double> amount;           ///< money per row, negative = return (required)
    std::span<const double> cost = {};        ///< cost of goods per row (optional)
    std::span<const double> quantity = {};    ///< units per row (optional)
    std::span<const entity_id> order = {};    ///< dense order id per row (optional)
    const key_index* customer_keys = nullptr; ///< to name customers in messages (optional)
    /// The row each row has in the whole log, when these rows are a part of a larger log (one
    /// partition of a file read in parts, streaming.hpp); empty: rows are numbered from 0.
    /// Errors and left-out items name rows by `row_number`.
    std::span<const std::size_t> row_numbers = {};

    std::size_t size() const noexcept { return customer.size(); }

    /// The row by which row `i` is named: its row in the whole log (see `row_numbers`).
    std::size_t row_number(std::size_t i) const noexcept {
        return i < row_numbers.size() ? row_numbers[i] : i;
    }

    /// Time of row `i` in seconds since the epoch (floor for sub-second ticks).
    std::int64_t seconds(std::size_t i) const noexcept {
        return ticks_per_second == 1 ? time[i] : floor_div(time[i], ticks_per_second);
    }

    /// How row `i` is named in an error message: `row 17 (customer "C-12")`.
    /// The fields of an error about `argument` at row i (its position and customer key) with
    /// the offending `value`.
    error_context row_context(std::string argument, std::size_t i, std::string value) const {
        error_context c{std::move(argument), row_number(i), {}, {}, std::move(value)};
        if (i < customer.size() && customer_keys != nullptr && customer[i] < customer_keys->size())
            c.key = customer_keys->key_string(customer[i]);
        return c;
    }

    std::string describe_row(std::size_t i) const {
        std::string s = "row " + std::to_string(row_number(i));
        if (i < customer.size()) {
            s += " (customer ";
            if (customer_keys != nullptr && customer[i] < customer_keys->size())
                s += "\"" + customer_keys->key_string(customer[i]) + "\"";
            else
                s += "id " + std::to_string(customer[i]);
            s += ")";
        }
        return s;
    }

    /// Throws `invalid_argument` when column lengths differ or `ticks_per_second < 1`, and
    /// `data_error` on the first row with a customer id out of range or a NaN or infinite
    /// amount, cost or quantity.
    void validate() const {
        const std::size_t n = size();
        auto check_len = [n](std::size_t len, const char* name) {
            if (len != 0 && len != n)
                throw invalid_argument(name, "has " + std::to_string(len) + " rows, customer has " +
                                                 std::to_string(n));
        };
        if (time.size() != n)
            throw invalid_argument("time", "has " + std::to_string(time.size()) +
                                               " rows, customer has " + std::to_string(n));
        if (amount.size() != n)
            throw invalid_argument("amount", "has " + std::to_string(amount.size()) +
                                                 " rows, customer has " + std::to_string(n));
        check_len(cost.size(), "cost");
        check_len(quantity.size(), "quantity");
        check_len(order.size(), "order");
        if (ticks_per_second < 1)
            throw invalid_argument("ticks_per_second",
                                   "must be >= 1, got " + std::to_string(ticks_per_second));
        for (std::size_t i = 0; i < n; ++i) {
            if (customer[i] >= n_customers)
                throw data_error("customer: " + describe_row(i) + ": id " +
                                     std::to_string(customer[i]) + " is not below n_customers " +
                                     std::to_string(n_customers),
                                 row_context("customer", i, std::to_string(customer[i])));
            if (!std::isfinite(amount[i]))
                throw data_error("amount: " + describe_row(i) + ": value is " +
                                     std::to_string(amount[i]),
                                 row_context("amount", i, std::to_string(amount[i])));
        }
        auto check_finite = [&](std::span<const double> col, const char* name) {
            for (std::size_t i = 0; i < col.size(); ++i)
                if (!std::isfinite(col[i]))
                    throw data_error(std::string(name) + ": " + describe_row(i) + ": value is " +
                                         std::to_string(col[i]),
                                     row_context(name, i, std::to_string(col[i])));
        };
        check_finite(cost, "cost");
        check_finite(quantity, "quantity");
    }
};

/// Where a run of rows of a log starts in its file: row `row` (0-based) is on line `line`
/// (1-based), and each following row up to the next mark on the line after the previous one.
struct line_mark {
    std::size_t row = 0;
    std::size_t line = 0;
    friend bool operator==(const line_mark&, const line_mark&) = default;
};

/// An owning transaction log (what the CSV reader and the generator produce).
struct transaction_log {
    key_index customer_keys;
    std::vector<entity_id> customer;
    column<std::int64_t> time; ///< seconds since the epoch
    column<double> amount;
    column<double> cost;     ///< empty when absent
    column<double> quantity; ///< empty when absent
    key_index order_keys;
    std::vector<entity_id> order; ///< empty when absent
    key_index product_keys;
    std::vector<entity_id> product; ///< empty when absent
    key_index channel_keys;
    std::vector<entity_id> channel; ///< empty when absent
    /// The file line of each row, for a log read from a CSV file (empty otherwise): a mark at
    /// row 0 and at every row that is not on the line after the previous row's (after a blank
    /// line, or after a record over several lines). Costs nothing for a file of one record a
    /// line; lets a face name the line of any row (`line_of`).
    std::vector<line_mark> lines;

    std::size_t size() const noexcept { return customer.size(); }
    bool has_cost() const noexcept { return !cost.empty(); }

    /// The 1-based file line on which row `i` starts; 0 when the log has no line marks (not
    /// read from a file) or `i` is not a row. Example: header on line 1, a blank line 3: rows
    /// 0, 1, 2 are on lines 2, 4, 5 (marks {0, 2}, {1, 4}).
    std::size_t line_of(std::size_t i) const noexcept {
        if (lines.empty() || i >= size()) return 0;
        auto it = std::upper_bound(lines.begin(), lines.end(), i,
                                   [](std::size_t r, const line_mark& m) { return r < m.row; });
        if (it == lines.begin()) return 0;
        --it;
        return it->line + (i - it->row);
    }

    /// A view over this log's columns (valid while the log lives and is not modified).
    transaction_view view() const noexcept {
        transaction_view v;
        v.customer = customer;
        v.n_customers = customer_keys.size();
        v.time = time;
        v.amount = amount;
        v.cost = cost;
        v.quantity = quantity;
        v.order = order;
        v.customer_keys = &customer_keys;
        return v;
    }

    /// Renumbers every key index so that keys ascend, and rewrites the id columns to match.
    /// Readers call it once at the end so that results list entities in key order.
    void sort_keys() {
        auto apply = [](key_index& ix, std::vector<entity_id>& col) {
            // Integer keys numbered by `key_index::from_integers` (the CSV reader's) ascend
            // already: nothing to renumber.
            const std::span<const std::int64_t> ints = ix.integer_keys();
            if (ix.type() == key_index::key_type::integer &&
                std::is_sorted(ints.begin(), ints.end()))
                return;
            const std::vector<entity_id> remap = ix.sort();
            for (auto& id : col)
                id = remap[id];
        };
        apply(customer_keys, customer);
        apply(order_keys, order);
        apply(product_keys, product);
        apply(channel_keys, channel);
    }
};

CUSTOMETRICS_END_NAMESPACE
