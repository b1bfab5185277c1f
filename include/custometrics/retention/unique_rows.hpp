// Per-customer predictions evaluated once per unique (x, t_x, T) row and scattered back to the
// customers, as the fits evaluate the likelihood (internal: namespace detail).
//
// A prediction of the purchase models depends on the customer's (x, t_x, T) only, and real
// summaries repeat rows a lot (CDNOW: 2,357 customers, 1,016 unique rows; 10^6 customers of the
// project's generator in weeks: 374,344). `compress_summary` (fit.hpp) finds the unique rows at
// about 80 ns of CPU per customer and sorts them by (x, T, t_x), so rows that share (x, T) are
// consecutive. Every model's expected purchases factor as
//     E[X(T, T + t] | x, t_x, T] = A(t; x, T) P(alive | x, t_x, T),
// A the expected purchases of a customer alive at T (`detail::alive_expected_purchases` of the
// model's header: the hypergeometric series of BG/NBD and MBG/NBD, the closed form of
// Pareto/NBD, the quadrature of GGompertz/NBD), so A is evaluated once per run of rows sharing
// (x, T) (1M generated customers in weeks: 12,796 runs) and P(alive) once per row, for every
// horizon of a lifetime value's monthly steps.
//
// The rule, measured on 200,000 of those customers (CPU per customer of a Python call): BG/NBD
// P(alive) 56 ns, Pareto/NBD's (a hypergeometric function) 250 ns, the compression about 80 ns
// (fit.hpp). So BG/NBD and MBG/NBD P(alive) stay per customer; Pareto/NBD's, GGompertz/NBD's (a
// quadrature, costlier still), the expected purchases (a series or a quadrature per run) and the
// lifetime value (twelve) go by unique rows (10^6 customers: 374,344 rows, 12,796 runs). Each
// value is the one the per-customer function gives (the same operations on the same numbers),
// whatever the thread count: rows and runs are split into contiguous chunks (`parallel_chunks`,
// the process-wide thread setting of threads.hpp) and each is written once.
//
// The last compression is remembered (`recalled_unique_rows`, one entry for the process): a
// summary scored again (P(alive), then the expected purchases, then the lifetime value of the same
// columns, as lifetimes' users call them one by one) is recognised by comparing each customer's
// row with the remembered row it maps to, bit for bit (a gather of three doubles a customer,
// instead of the checks and the compression's 80 ns), and neither compressed nor checked again:
// equal bits pass the same checks and compress to the same rows, so the values are those of a
// fresh call (docs/benchmarks.md, "Scoring a summary again"). The remembered rows stay in memory
// (about 13 MB for 10^6 customers) until the next compression for scoring replaces them, or
// `detail::remember_unique_rows(nullptr)` releases them.
//
// Example:
//     const compressed_summary rows = compress_summary(x, tx, T);
//     const std::vector<double> alive = detail::p_alive_rows(bg, rows);
//     const std::vector<double> e = detail::scatter(rows, detail::expected_rows(bg, 52, rows,
//     alive));   // = conditional_expected_purchases(bg, 52, x, tx, T)
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/retention/bg_nbd.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/ggom_nbd.hpp"
#include "custometrics/retention/mbg_nbd.hpp"
#include "custometrics/retention/pareto_nbd.hpp"
#include "custometrics/retention/purchase_model.hpp"

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// Whether `Params` has the row kernels (`p_alive_row`, `alive_expected_purchases`): the four
/// purchase models do; a caller's own parameter type falls back to its per-customer functions.
template <class Params>
concept has_row_kernels = requires(const Params& p) {
    { p_alive_row(p, 1.0, 1.0, 2.0) } -> std::convertible_to<double>;
    { alive_expected_purchases(p, 1.0, 1.0, 2.0) } -> std::convertible_to<double>;
};

/// fn(i) for i in [0, n), in contiguous chunks on the default threads when there are at least
/// 2 * `min_per_thread` items; each result written once, so it does not depend on the threads.
template <class Fn>
std::vector<double> for_each_index(std::size_t n, std::size_t min_per_thread, Fn&& fn) {
    std::vector<double> out(n);
    parallel_chunks(n, thread_count(n, 0, min_per_thread),
                    [&](std::size_t b, std::size_t e, unsigned) {
                        for (std::size_t i = b; i < e; ++i)
                            out[i] = fn(i);
                    });
    return out;
}

/// The unique rows of customer columns already checked (`check_summary` of fit.hpp), without
/// checking them again.
inline compressed_summary unique_rows(std::span<const double> x, std::span<const double> tx,
                                      std::span<const double> T) {
    return compress_rows(x, tx, T, {}, 64);
}

/// The remembered unique rows (see the file comment) when (x, t_x, T) are, bit for bit, the
/// columns they were made of (every customer equal to the row it maps to, as many customers),
/// else null. Safe to call from several threads.
std::shared_ptr<const compressed_summary> recalled_unique_rows(std::span<const double> x,
                                                               std::span<const double> tx,
                                                               std::span<const double> T);

/// Remembers `rows` (the unique rows of columns that passed their checks) for
/// `recalled_unique_rows`, in place of the rows remembered before.
void remember_unique_rows(std::shared_ptr<const compressed_summary> rows);

/// The unique rows of (x, t_x, T) (at least one customer): the remembered ones when the columns
/// are those they were made of, else `check()` (which throws for a bad customer) and the
/// compression, then remembered.
template <class Check>
std::shared_ptr<const compressed_summary>
memo_unique_rows(std::span<const double> x, std::span<const double> tx, std::span<const double> T,
                 Check&& check) {
    if (auto rows = recalled_unique_rows(x, tx, T)) return rows;
    check();
    auto rows = std::make_shared<const compressed_summary>(unique_rows(x, tx, T));
    remember_unique_rows(rows);
    return rows;
}

/// Values per unique row back in customer order: out[i] = per_row[rows.row_of[i]].
inline std::vector<double> scatter(const compressed_summary& rows,
                                   std::span<const double> per_row) {
    return for_each_index(rows.row_of.size(), std::size_t{1} << 16,
                          [&](std::size_t i) { return per_row[rows.row_of[i]]; });
}

/// The first row of each run of rows sharing (x, T) (rows sorted by x, T as `compress_summary`
/// leaves them), then rows.size().
inline std::vector<std::uint32_t> runs_of_x_and_T(const compressed_summary& rows) {
    std::vector<std::uint32_t> starts;
    for (std::size_t r = 0; r < rows.size(); ++r)
        if (r == 0 || rows.frequency[r] != rows.frequency[r - 1] || rows.T[r] != rows.T[r - 1])
            starts.push_back(static_cast<std::uint32_t>(r));
    starts.push_back(static_cast<std::uint32_t>(rows.size()));
    return starts;
}

/// P(alive) of each unique row (no checks).
template <class Params>
std::vector<double> p_alive_rows(const Params& p, const compressed_summary& rows) {
    return for_each_index(rows.size(), std::size_t{1} << 10, [&](std::size_t r) {
        return p_alive_row(p, rows.frequency[r], rows.recency[r], rows.T[r]);
    });
}

/// fn(x, T, begin, end) for each run [begin, end) of rows sharing (x, T), runs in contiguous
/// chunks on the default threads (each run costs a series or a quadrature, so small chunks).
template <class Fn> void for_each_run(const compressed_summary& rows, Fn&& fn) {
    const std::vector<std::uint32_t> starts = runs_of_x_and_T(rows);
    const std::size_t runs = starts.size() - 1;
    parallel_chunks(runs, thread_count(runs, 0, 64), [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t g = b; g < e; ++g)
            fn(rows.frequency[starts[g]], rows.T[starts[g]], starts[g], starts[g + 1]);
    });
}

/// Expected purchases in (T, T + t] of each unique row: A(t; x, T) once per run of rows sharing
/// (x, T), times the row's P(alive) (`alive`, from `p_alive_rows`); the product the
/// per-customer function forms, so the same number.
template <class Params>
std::vector<double> expected_rows(const Params& p, double t, const compressed_summary& rows,
                                  std::span<const double> alive) {
    std::vector<double> out(rows.size());
    for_each_run(rows, [&](double x, double T, std::size_t b, std::size_t e) {
        const double a = alive_expected_purchases(p, t, x, T);
        for (std::size_t r = b; r < e; ++r)
            out[r] = t == 0 ? 0.0 : a * alive[r];
    });
    return out;
}

/// The discounted purchase stream of each unique row over `months` months of
/// `periods_per_month` periods at monthly rate `discount_rate` (clv.hpp):
///     P(alive) sum_{k=1..months} [A(k f) - A((k-1) f)] / (1 + d)^k,
/// the sum once per run of rows sharing (x, T). Equal to the per-month sum of the conditional
/// expected purchases' differences within rounding (relative 1e-15 on the generated and CDNOW
/// summaries; the tests hold it to 1e-12).
template <class Params>
std::vector<double> purchase_stream_rows(const Params& p, const compressed_summary& rows,
                                         std::span<const double> alive, int months,
                                         double periods_per_month, double discount_rate) {
    std::vector<double> out(rows.size());
    for_each_run(rows, [&](double x, double T, std::size_t b, std::size_t e) {
        double stream = 0.0;
        double previous = 0.0; // A(0) = 0
        for (int k = 1; k <= months; ++k) {
            const double a = alive_expected_purchases(p, k * periods_per_month, x, T);
            stream += (a - previous) / std::pow(1 + discount_rate, k);
            previous = a;
        }
        for (std::size_t r = b; r < e; ++r)
            out[r] = alive[r] * stream;
    });
    return out;
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
