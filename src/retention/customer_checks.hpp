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
#include <limits>
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

/// The first rule of a customer summary row (x = frequency, t_x = recency, T) that the row
/// breaks: the argument it concerns (`nullptr` when the row is valid), its value and the reason,
/// worded once for the fits' checks (`check_summary`) and the scores' (`check_customer`). The
/// rules, in this order: x finite, >= 0 and whole; t_x finite and >= 0; T finite and > 0;
/// t_x <= T; t_x = 0 when x = 0. Trivially copyable, so a valid row costs a few compares: the
/// message is built only when thrown (`throw_customer_fault`).
struct customer_fault {
    const char* argument = nullptr;
    double value = 0.0;
    const char* reason = "";
    /// The bound the reason names ("is above T (<bound>)"), NaN when it names none.
    double bound = std::numeric_limits<double>::quiet_NaN();
};

inline customer_fault customer_fault_of(double x, double tx, double T) {
    if (!std::isfinite(x)) return {"frequency", x, "is not finite"};
    if (x < 0.0) return {"frequency", x, "is negative"};
    if (x != std::floor(x)) return {"frequency", x, "is not a whole number"};
    if (!std::isfinite(tx)) return {"recency", tx, "is not finite"};
    if (tx < 0.0) return {"recency", tx, "is negative"};
    if (!std::isfinite(T)) return {"T", T, "is not finite"};
    if (!(T > 0.0)) return {"T", T, "is not positive"};
    if (tx > T) return {"recency", tx, "is above T", T};
    if (x == 0.0 && tx != 0.0) return {"recency", tx, "is not 0 for a customer with frequency 0"};
    return {};
}

/// The `data_error` of customer `position`'s broken rule `f`: "<argument>: customer <position>:
/// value <v> <reason>", the position left out of the message (it stays in the error's `row`)
/// when `named` is false, and both left out for `single_customer`.
[[noreturn]] inline void throw_customer_fault(const customer_fault& f, std::size_t position,
                                              bool named = true) {
    const std::string value = format_number(f.value);
    error_context context{f.argument, std::nullopt, {}, {}, value};
    if (position != single_customer) context.row = position;
    const std::string where = named && position != single_customer
                                  ? "customer " + std::to_string(position) + ": "
                                  : std::string();
    std::string reason = f.reason;
    if (!std::isnan(f.bound)) reason += " (" + format_number(f.bound) + ")";
    throw data_error(std::string(f.argument) + ": " + where + "value " + value + " " + reason,
                     std::move(context));
}

/// Throws `data_error` naming the value unless (x, t_x, T) is a valid customer summary
/// (`customer_fault_of`). `position` is the customer's index in span versions ("recency:
/// customer 3: value ..."), else `single_customer`.
inline void check_customer(double x, double tx, double T, std::size_t position = single_customer) {
    const customer_fault f = customer_fault_of(x, tx, T);
    if (f.argument != nullptr) throw_customer_fault(f, position);
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
