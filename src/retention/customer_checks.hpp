// Argument checks shared by the BG/NBD, MBG/NBD and Pareto/NBD sources (private to
// src/retention). Messages are built only on failure, so span loops pay nothing for them.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "custometrics/retention/unique_rows.hpp"

#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// Throws `invalid_argument` unless `value` is positive and finite: "<model>: <name> must be a
/// positive finite number, got <value>".
inline void check_positive_param(const char* model, const char* name, double value) {
    if (!(value > 0.0) || !std::isfinite(value))
        throw invalid_argument(model, "parameter " + std::string(name) +
                                          " must be a positive finite number, got " +
                                          format_number(value));
}

/// No customer position: a single-customer call.
inline constexpr std::size_t single_customer = static_cast<std::size_t>(-1);

/// Throws `data_error` naming the value unless (x, t_x, T) is a valid customer summary:
/// finite, x a whole number >= 0, 0 <= t_x <= T, T > 0, t_x = 0 when x = 0. `position` is the
/// customer's index in span versions ("recency: customer 3: value ..."), else `single_customer`.
inline void check_customer(double x, double tx, double T, std::size_t position = single_customer) {
    auto fail = [&](const char* arg, double v, const std::string& why) {
        const std::string where = position == single_customer
                                      ? std::string()
                                      : "customer " + std::to_string(position) + ": ";
        const std::string value = format_number(v);
        error_context context{arg, std::nullopt, {}, {}, value};
        if (position != single_customer) context.row = position;
        throw data_error(std::string(arg) + ": " + where + "value " + value + " " + why,
                         std::move(context));
    };
    if (!std::isfinite(x) || x < 0.0 || x != std::floor(x))
        fail("frequency", x, "is not a whole number >= 0");
    if (!std::isfinite(T) || !(T > 0.0)) fail("T", T, "is not a finite number > 0");
    if (!std::isfinite(tx) || tx < 0.0) fail("recency", tx, "is not a finite number >= 0");
    if (tx > T) fail("recency", tx, "is larger than T = " + format_number(T));
    if (x == 0.0 && tx != 0.0) fail("recency", tx, "is not 0 for a customer with frequency 0");
}

/// Throws `invalid_argument` unless the number of purchases n is >= 0.
inline void check_purchase_count(int n) {
    if (n < 0)
        throw invalid_argument("n",
                               "the number of purchases must be >= 0, got " + std::to_string(n));
}

/// Throws `invalid_argument` unless the horizon t is finite and >= 0.
inline void check_horizon(double t) {
    if (!std::isfinite(t) || t < 0.0)
        throw invalid_argument("t",
                               "the horizon must be a finite number >= 0, got " + format_number(t));
}

/// Throws `invalid_argument` unless the three spans have the same length.
inline void check_lengths(std::span<const double> x, std::span<const double> tx,
                          std::span<const double> T) {
    if (x.size() != tx.size() || x.size() != T.size())
        throw invalid_argument("frequency, recency, T: lengths differ (" +
                               std::to_string(x.size()) + ", " + std::to_string(tx.size()) + ", " +
                               std::to_string(T.size()) + ")");
}

/// fn(x[i], t_x[i], T[i]) for every customer after checking it (`check_customer` names the
/// position), on both cores when there are at least 2 * `min_per_thread` customers. Columns whose
/// unique rows are remembered (`recalled_unique_rows`: checked and compressed by an earlier call)
/// are evaluated once per unique row instead, without checks: the same values.
template <class Fn>
std::vector<double> per_customer(std::span<const double> x, std::span<const double> tx,
                                 std::span<const double> T, std::size_t min_per_thread, Fn&& fn) {
    check_lengths(x, tx, T);
    if (const auto rows = recalled_unique_rows(x, tx, T))
        return scatter(*rows, for_each_index(rows->size(), min_per_thread, [&](std::size_t r) {
            return fn(rows->frequency[r], rows->recency[r], rows->T[r]);
        }));
    std::vector<double> out(x.size());
    parallel_chunks(x.size(), thread_count(x.size(), 0, min_per_thread),
                    [&](std::size_t b, std::size_t e, unsigned) {
                        for (std::size_t i = b; i < e; ++i) {
                            check_customer(x[i], tx[i], T[i], i);
                            out[i] = fn(x[i], tx[i], T[i]);
                        }
                    });
    return out;
}

/// `check_customer` of every customer (naming the position), after `check_lengths`; on both
/// cores from 2^17 customers, the lower chunk's error rethrown, so the first bad customer is
/// named as a serial loop would.
inline void check_customers(std::span<const double> x, std::span<const double> tx,
                            std::span<const double> T) {
    check_lengths(x, tx, T);
    parallel_chunks(x.size(), thread_count(x.size(), 0, std::size_t{1} << 16),
                    [&](std::size_t b, std::size_t e, unsigned) {
                        for (std::size_t i = b; i < e; ++i)
                            check_customer(x[i], tx[i], T[i], i);
                    });
}

/// The unique rows of customer columns (remembered, or checked as `per_customer` checks and
/// compressed: `memo_unique_rows`); null for no customers.
inline std::shared_ptr<const compressed_summary> checked_unique_rows(std::span<const double> x,
                                                                     std::span<const double> tx,
                                                                     std::span<const double> T) {
    check_lengths(x, tx, T);
    if (x.empty()) return nullptr;
    return memo_unique_rows(x, tx, T, [&] { check_customers(x, tx, T); });
}

/// P(alive) per customer by unique rows (unique_rows.hpp): checked as `per_customer` checks,
/// the same values, for the models whose P(alive) costs more than the compression.
template <class Params>
std::vector<double> p_alive_by_rows(const Params& p, std::span<const double> x,
                                    std::span<const double> tx, std::span<const double> T) {
    const auto rows = checked_unique_rows(x, tx, T);
    if (!rows) return {};
    return scatter(*rows, p_alive_rows(p, *rows));
}

/// Expected purchases in the next t periods per customer by unique rows and runs of (x, T)
/// (unique_rows.hpp): checked as `per_customer` checks, the same values.
template <class Params>
std::vector<double> expected_by_rows(const Params& p, double t, std::span<const double> x,
                                     std::span<const double> tx, std::span<const double> T) {
    const auto rows = checked_unique_rows(x, tx, T);
    if (!rows) return {};
    const std::vector<double> alive = p_alive_rows(p, *rows);
    return scatter(*rows, expected_rows(p, t, *rows, alive));
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
