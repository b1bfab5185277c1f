// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV:
// using iso-value curves for customer base analysis", Journal of Marketing Research 42(4),
// 415-430; Fader & Hardie, "The Gamma-Gamma model of monetary value", brucehardie.com note
// 025): likelihood with its analytic gradient, maximum-likelihood fit and the expected average
// spend of a customer.
//
// Model. A customer's transaction values are Gamma(p, nu) (shape, rate), so their mean is p/nu;
// across customers nu ~ Gamma(q, v). The average m of a customer's x transactions then has
// the density (note 025, eq. 1a)
//     f(m | p, q, v, x) = Gamma(px + q) / (Gamma(px) Gamma(q)) v^q m^(px-1) x^(px)
//                         / (v + m x)^(px + q),
// evaluated in logs with lgamma. Names and order follow lifetimes' GammaGammaFitter (p, q, v);
// the issue and the CLI call v "gamma". As in FHL 2005 and lifetimes, the model is fitted on
// *repeat* buyers, x = number of repeat transactions and m = their mean value, so the first
// purchase (whose value the summary leaves out) plays no part.
//
// Fit. Maximum likelihood by `detail::fit_maximum_likelihood` (fit.hpp) on the unique (x, m)
// pairs with their weights; lifetimes' default start (all log-parameters 0.1) and its L2
// penalty. The model assumes that spend is independent of the purchase frequency; check it
// (e.g. the correlation of x and m over repeat buyers, close to 0 for CDNOW) before using it.
//
// Prediction (note 025 eq. 5; lifetimes' `conditional_expected_average_profit`):
//     E[Z | x, m] = p (v + x m) / (p x + q - 1)
//                 = (q-1)/(px+q-1) * p v/(q-1) + px/(px+q-1) * m,
// a weighted mean of the population mean p v/(q-1) and the customer's own average m; at x = 0
// it is the population mean. It needs p x + q > 1 (q > 1 at x = 0): the posterior mean of 1/nu
// is infinite otherwise, and the function throws `invalid_argument`.
//
// Errors. Parameters must be positive and finite (`invalid_argument` naming the parameter).
// Fitting needs x > 0 and whole, m > 0, finite (`data_error` naming the argument, the customer
// position and the value: x = 0 customers are not repeat buyers and must be filtered out).
//
// Example:
//     const gamma_gamma_params g{6.25, 3.74, 15.44};               // CDNOW (FHL 2005)
//     double spend = conditional_expected_average_spend(g, 2, 22.35); // 24.66
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Gamma-Gamma parameters: spend per transaction ~ Gamma(p, nu), nu ~ Gamma(q, v).
struct gamma_gamma_params {
    double p = 1.0;
    double q = 1.0;
    double v = 1.0;
};

/// Fits the Gamma-Gamma model on repeat buyers: `frequency` x > 0 and `monetary` m > 0 per
/// customer, `weights` empty (1 each) or one per customer. Names {"p", "q", "v"}.
fit_result fit_gamma_gamma(std::span<const double> frequency, std::span<const double> monetary,
                           std::span<const double> weights = {}, const fit_options& options = {});

/// The customers a Gamma-Gamma fit uses, and how many were left out and why.
///
/// The one policy of every face (CLI `fit --model gamma-gamma`, the report, Python
/// `GammaGammaModel.fit`): the model describes the mean value m of a customer's x *repeat*
/// purchases, so it keeps the repeat buyers (x > 0) with a positive mean spend (m > 0). A
/// customer without a repeat purchase has no spend to model; one whose repeat purchases net to
/// zero or less (returns) has none the Gamma distribution can describe. Both are counted, never
/// dropped silently. x and m must be finite and x >= 0 (`data_error` naming the column, the
/// customer position and the value).
struct spend_sample {
    std::vector<std::size_t> customers;      ///< positions of the customers kept
    std::vector<double> frequency;           ///< their x
    std::vector<double> monetary;            ///< their m
    std::vector<double> weights;             ///< their weights (empty when none were given)
    std::size_t without_repeat_purchase = 0; ///< x = 0, left out
    std::size_t without_positive_spend = 0;  ///< x > 0 but m <= 0, left out

    std::size_t size() const noexcept { return customers.size(); }
    std::size_t left_out() const noexcept {
        return without_repeat_purchase + without_positive_spend;
    }
};

/// The repeat buyers with a positive spend (see `spend_sample`); `weights` empty or one per
/// customer.
spend_sample select_spend_sample(std::span<const double> frequency,
                                 std::span<const double> monetary,
                                 std::span<const double> weights = {});

/// Fits the Gamma-Gamma model on the sample; `invalid_argument` naming both counts when it is
/// empty.
fit_result fit_gamma_gamma(const spend_sample& sample, const fit_options& options = {});

/// The parameters of a Gamma-Gamma fit; throws `invalid_argument` if the names are not
/// {"p", "q", "v"}.
gamma_gamma_params gamma_gamma_params_from(const fit_result& fit);

/// The parameters from values in the model's order {p, q, v} (a saved model, a caller's list);
/// throws `invalid_argument` naming "params" for another count (the values are checked where
/// they are used). Example: gamma_gamma_params_from(std::vector{6.25, 3.74, 15.44}).q == 3.74.
gamma_gamma_params gamma_gamma_params_from(std::span<const double> values);

/// Log-density of the average spend m of x transactions, and its gradient in (p, q, v).
struct gamma_gamma_loglik {
    double value;
    std::array<double, 3> gradient;
};
gamma_gamma_loglik log_likelihood_gradient(const gamma_gamma_params& params, double x, double m);
double log_likelihood(const gamma_gamma_params& params, double x, double m);

/// E[Z | x, m]: expected spend per transaction of a customer with x repeat transactions of
/// average value m (x = 0: the population mean; m is then ignored).
double conditional_expected_average_spend(const gamma_gamma_params& params, double x, double m);

/// The same per customer (spans of equal length).
std::vector<double> conditional_expected_average_spend(const gamma_gamma_params& params,
                                                       std::span<const double> frequency,
                                                       std::span<const double> monetary);

namespace detail {

/// The checks of `fit_gamma_gamma` on (x, m, weights) rows: `data_error` naming the argument
/// ("frequency", "monetary", "weights"), the position and the value; `position_in_message`
/// false leaves the position out of the message (it stays in the error's `row`).
void check_spend_rows(std::span<const double> frequency, std::span<const double> monetary,
                      std::span<const double> weights, bool position_in_message);

/// The checks of `conditional_expected_average_spend` on customers (x, m) being scored: x a
/// finite number >= 0 and, for a repeat buyer, m a finite number > 0; `data_error` naming
/// "frequency" or "monetary", the position and the value; `invalid_argument` for spans of
/// different lengths.
void check_spend_customers(std::span<const double> frequency, std::span<const double> monetary);

/// Adds w_i log f(m_i | x_i) and its gradient in (p, q, v) over rows [begin, end) to `ll` and
/// `grad` (`weight` empty: 1 each; no checks): the fit's kernel.
void gamma_gamma_add_loglik(const gamma_gamma_params& params, std::span<const double> x,
                            std::span<const double> m, std::span<const double> weight,
                            std::size_t begin, std::size_t end, double& ll,
                            std::span<double, 3> grad);

/// The Gamma-Gamma fit over a log-likelihood kernel of `n_rows` rows: names {p, q, v} and
/// lifetimes' start (every log-parameter 0.1).
fit_result fit_gamma_gamma_kernel(const loglik_kernel& kernel, std::size_t n_rows,
                                  double total_weight, const fit_options& options);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
