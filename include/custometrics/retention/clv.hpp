// Customer lifetime value from a purchase model and the Gamma-Gamma spend model, the expected
// time to a customer's next purchase, and a contact list of customers to call before it.
//
// Templates over the purchase model's parameter type (`bg_nbd_params`, `mbg_nbd_params`,
// `pareto_nbd_params`, ...): they call `conditional_expected_purchases(params, t, x, t_x, T)`
// and `p_alive(params, x, t_x, T)` of the model's header (include it), and read `params.r` and
// `params.alpha`. Times are in the model's time unit (the unit of T), counted from the analysis
// date, the end of the observation period, where every customer's age is T.
//
// Lifetime value (the definition of lifetimes 0.11 `GammaGammaFitter.customer_lifetime_value`
// and `utils._customer_lifetime_value`, so the numbers agree with it to rounding). With
// f = `periods_per_month` (lifetimes' `freq`: 30 for days, 4.345 for weeks, 1 for months),
// E(t) the expected purchases in (T, T + t] and s the expected spend per purchase,
//     CLV = sum_{k=1..months} s [E(k f) - E((k-1) f)] / (1 + d)^k,
// monthly steps discounted at the *monthly* rate d, the month's purchases discounted as if
// made at its end. The Gamma-Gamma overload takes s = E[Z | x, m] (gamma_gamma.hpp); pass a
// value per purchase of your own (a margin, say) to the other overload.
//
// Next purchase. Given that the customer is alive, the purchase rate's posterior is
// Gamma(r + x, alpha + T) in the BG/NBD, MBG/NBD and Pareto/NBD (the dropout process does not
// change it: FHL 2005; Schmittlein et al. 1987), and purchases are Poisson, so the wait W from
// the analysis date to the next purchase is Lomax: P(W > w) = ((alpha+T)/(alpha+T+w))^(r+x).
// `next_purchase_time` returns its quantile, by default the median
//     w_q = (alpha + T) ((1 - q)^(-1/(r+x)) - 1),      median: (alpha + T)(2^(1/(r+x)) - 1),
// computed with expm1. It does not depend on t_x: by memorylessness the time already waited
// since the last purchase (T - t_x) enters only through P(alive) (a long silence lowers the
// chance that the customer is still there, not the rate of one who is). The mean wait,
// (alpha+T)/(r+x-1), is infinite for r + x <= 1, hence the median. The expected date of the
// next purchase is the analysis date + w (times the unit).
//
// Contact list. Customers whose expected next purchase w falls in [window_start, window_end]
// (in the model's unit after the analysis date), each with the time to call,
// max(0, w - lead_time), ranked by value at risk, highest first (ties by position). The value
// at risk is the caller's `value` of the customer, normally the CLV above: the discounted
// value the firm expects from the customer, which it loses if the customer leaves now. That
// CLV is already weighted by P(alive), so customers who have probably left rank low (calling
// them before a purchase they will not make is wasted) and valuable customers who are still
// buying rank high. `p_alive` is reported with each contact so that a win-back campaign can
// select on it instead. The lead time defaults to 14 (days: use 2 with weeks).
//
// Errors. Customers are checked by the model functions (`data_error` naming the argument,
// the customer and the value); months >= 1, periods_per_month > 0, discount rate > -1,
// 0 < q < 1, a window with start <= end and a lead time >= 0, all finite (`invalid_argument`);
// spans of equal length (`invalid_argument`).
//
// Example:
//     const bg_nbd_params bg{0.243, 4.414, 0.793, 2.426};            // CDNOW, weeks
//     const gamma_gamma_params gg{6.25, 3.74, 15.44};
//     clv_options o;
//     o.periods_per_month = 4.345;                                   // weeks
//     double clv = customer_lifetime_value(bg, gg, 2, 30.43, 38.86, 22.35, o);   // 36.29
//     double wait = next_purchase_time(bg, 2, 30.43, 38.86);                      // weeks
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/gamma_gamma.hpp"
#include "custometrics/retention/unique_rows.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Options of `customer_lifetime_value` (lifetimes' defaults).
struct clv_options {
    int months = 12;               ///< horizon in months (lifetimes' `time`)
    double discount_rate = 0.01;   ///< per month
    double periods_per_month = 30; ///< model time units per month: 30 days, 4.345 weeks, 1
};

namespace detail {

inline void check_clv_options(const clv_options& o) {
    if (o.months < 1)
        throw invalid_argument("clv_options.months",
                               "must be >= 1, got " + std::to_string(o.months));
    if (!std::isfinite(o.discount_rate) || !(o.discount_rate > -1))
        throw invalid_argument("clv_options.discount_rate", "must be a finite number > -1, got " +
                                                                format_number(o.discount_rate));
    if (!std::isfinite(o.periods_per_month) || !(o.periods_per_month > 0))
        throw invalid_argument("clv_options.periods_per_month",
                               "must be a finite number > 0, got " +
                                   format_number(o.periods_per_month));
}

inline void check_same_length(std::size_t n, std::size_t m, const char* what) {
    if (n != m)
        throw invalid_argument(what, std::to_string(m) + " values for " + std::to_string(n) +
                                         " customers");
}

/// The discounted purchase stream of each unique row of `rows` (checked customers), the CLV of
/// a customer at 1 per purchase (see the file comment): by the row kernels when `Params` has
/// them (`purchase_stream_rows`), else month by month with the model's span forecasts.
template <class Params>
std::vector<double> purchase_stream(const Params& purchase, const compressed_summary& rows,
                                    const clv_options& options) {
    check_clv_options(options);
    if constexpr (std::is_same_v<Params, purchase_params>) {
        return std::visit([&](const auto& m) { return purchase_stream(m, rows, options); },
                          purchase);
    } else if constexpr (has_row_kernels<Params>) {
        // The parameters' checks (and the row's, passed already) of the per-customer function.
        if (rows.size() > 0) (void)p_alive(purchase, rows.frequency[0], rows.recency[0], rows.T[0]);
        return purchase_stream_rows(purchase, rows, p_alive_rows(purchase, rows), options.months,
                                    options.periods_per_month, options.discount_rate);
    } else {
        std::vector<double> stream(rows.size(), 0.0);
        std::vector<double> previous(rows.size(), 0.0);
        for (int k = 1; k <= options.months; ++k) {
            const std::vector<double> e = conditional_expected_purchases(
                purchase, k * options.periods_per_month, rows.frequency, rows.recency, rows.T);
            const double discount = std::pow(1 + options.discount_rate, k);
            for (std::size_t r = 0; r < rows.size(); ++r) {
                stream[r] += (e[r] - previous[r]) / discount;
                previous[r] = e[r];
            }
        }
        return stream;
    }
}

/// out[i] = value[i] * per_row[rows.row_of[i]]: a per-row quantity scaled per customer.
inline std::vector<double> scale_rows(const compressed_summary& rows, std::span<const double> value,
                                      std::span<const double> per_row) {
    return for_each_index(rows.row_of.size(), std::size_t{1} << 16,
                          [&](std::size_t i) { return value[i] * per_row[rows.row_of[i]]; });
}

/// The quantile wait of `next_purchase_time` without its checks, given log1p(-probability).
template <class Params>
double next_purchase_wait(const Params& purchase, double x, double T, double log1p_minus_q) {
    return (purchase.alpha + T) * std::expm1(-log1p_minus_q / (purchase.r + x));
}

} // namespace detail

/// Discounted lifetime value over `options.months` months of a customer with history
/// (x, t_x, T), at `value_per_purchase` per purchase (see the file comment).
template <class Params>
double customer_lifetime_value(const Params& purchase, double value_per_purchase, double x,
                               double tx, double T, const clv_options& options = {}) {
    detail::check_clv_options(options);
    double clv = 0;
    double previous = 0; // E(0) = 0
    for (int k = 1; k <= options.months; ++k) {
        const double e =
            conditional_expected_purchases(purchase, k * options.periods_per_month, x, tx, T);
        clv += value_per_purchase * (e - previous) / std::pow(1 + options.discount_rate, k);
        previous = e;
    }
    return clv;
}

/// The same with the spend per purchase of the Gamma-Gamma model, E[Z | x, m]: lifetimes'
/// `GammaGammaFitter.customer_lifetime_value`.
template <class Params>
double customer_lifetime_value(const Params& purchase, const gamma_gamma_params& spend, double x,
                               double tx, double T, double monetary,
                               const clv_options& options = {}) {
    return customer_lifetime_value(purchase, conditional_expected_average_spend(spend, x, monetary),
                                   x, tx, T, options);
}

/// Lifetime value per customer (spans of equal length; the customer position in errors). The
/// discounted purchase stream is evaluated once per unique (x, t_x, T) row: with the four
/// models' row kernels (unique_rows.hpp) P(alive) once per row and the monthly forecasts once
/// per run of rows sharing (x, T), on the default threads; equal to the per-customer overload
/// within 1e-12 relative (the monthly sum is regrouped as P(alive) times the sum of the alive
/// forecasts' increments). `purchase` may be a `purchase_params` (any model, run time).
/// Example: `customer_lifetime_value(bg, gg, x, tx, T, m, o)[i]` is
/// `customer_lifetime_value(bg, gg, x[i], tx[i], T[i], m[i], o)` to rounding.
template <class Params>
std::vector<double> customer_lifetime_value(const Params& purchase, const gamma_gamma_params& spend,
                                            std::span<const double> x, std::span<const double> tx,
                                            std::span<const double> T,
                                            std::span<const double> monetary,
                                            const clv_options& options = {}) {
    detail::check_same_length(x.size(), tx.size(), "recency");
    detail::check_same_length(x.size(), T.size(), "T");
    detail::check_same_length(x.size(), monetary.size(), "monetary");
    detail::check_clv_options(options);
    // The discounted purchase stream depends on (x, t_x, T) only: evaluate it once per unique
    // row (1M generated customers share ~370k rows), then scale by each customer's spend. With
    // the models' row kernels (unique_rows.hpp) P(alive) is evaluated once per row and the
    // months' forecasts once per run of rows sharing (x, T) (~13k runs), on the default threads.
    // The rows of a summary scored just before are remembered (unique_rows.hpp).
    const auto rows =
        x.empty() ? std::make_shared<const compressed_summary>(
                        compress_summary(x, tx, T)) // throws: no customers
                  : detail::memo_unique_rows(x, tx, T, [&] { detail::check_summary(x, tx, T); });
    const std::vector<double> s = conditional_expected_average_spend(spend, x, monetary);
    return detail::scale_rows(*rows, s, detail::purchase_stream(purchase, *rows, options));
}

/// Quantile `probability` (default: the median) of the wait from the analysis date to the next
/// purchase of a customer with history (x, t_x, T), given that the customer is alive.
template <class Params>
double next_purchase_time(const Params& purchase, double x, double tx, double T,
                          double probability = 0.5) {
    if (!(probability > 0 && probability < 1))
        throw invalid_argument("probability",
                               "must be in (0, 1), got " + detail::format_number(probability));
    (void)p_alive(purchase, x, tx, T); // checks the parameters and the customer
    return detail::next_purchase_wait(purchase, x, T, std::log1p(-probability));
}

/// Options of `contact_list`; times in the model's unit after the analysis date.
struct contact_options {
    double window_start = 0;  ///< earliest expected next purchase to include
    double window_end = 30;   ///< latest expected next purchase to include
    double lead_time = 14;    ///< call this long before the expected purchase
    double probability = 0.5; ///< quantile of the wait used as "expected" (the median)
};

/// One customer to call.
struct contact {
    std::size_t customer; ///< position in the input spans
    double next_purchase; ///< expected wait to the next purchase (from the analysis date)
    double call_at;       ///< max(0, next_purchase - lead_time)
    double p_alive;
    double value_at_risk; ///< the caller's value of the customer (normally the CLV)
};

/// Customers whose expected next purchase falls in the window, with the time to call, ranked by
/// value at risk (highest first, ties by position); see the file comment.
template <class Params>
std::vector<contact> contact_list(const Params& purchase, std::span<const double> x,
                                  std::span<const double> tx, std::span<const double> T,
                                  std::span<const double> value,
                                  const contact_options& options = {}) {
    detail::check_same_length(x.size(), tx.size(), "recency");
    detail::check_same_length(x.size(), T.size(), "T");
    detail::check_same_length(x.size(), value.size(), "value");
    if (!std::isfinite(options.window_start) || !std::isfinite(options.window_end) ||
        options.window_start > options.window_end)
        throw invalid_argument("contact_options",
                               "the window [" + detail::format_number(options.window_start) + ", " +
                                   detail::format_number(options.window_end) +
                                   "] is not a finite interval");
    if (!std::isfinite(options.lead_time) || options.lead_time < 0)
        throw invalid_argument("contact_options.lead_time",
                               "must be a finite number >= 0, got " +
                                   detail::format_number(options.lead_time));
    const std::vector<double> alive = p_alive(purchase, x, tx, T);
    std::vector<contact> out;
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(value[i]))
            throw data_error("value: customer " + std::to_string(i) + ": value " +
                                 detail::format_number(value[i]) + " is not finite",
                             {"value", i, {}, {}, detail::format_number(value[i])});
        const double w = next_purchase_time(purchase, x[i], tx[i], T[i], options.probability);
        if (w < options.window_start || w > options.window_end) continue;
        out.push_back({i, w, std::max(0.0, w - options.lead_time), alive[i], value[i]});
    }
    std::stable_sort(out.begin(), out.end(), [](const contact& a, const contact& b) {
        return a.value_at_risk > b.value_at_risk;
    });
    return out;
}

CUSTOMETRICS_END_NAMESPACE
