// Prediction intervals for the expected purchases of a fitted purchase model (BG/NBD, MBG/NBD,
// Pareto/NBD): per customer and for the total over customers, from the uncertainty of the
// fitted parameters.
//
// What is covered. The quantity is g_i(p) = E[Y_i(t) | x_i, t_x_i, T_i; p], the conditional
// expected purchases of customer i in the next t periods (`conditional_expected_purchases`),
// and the total G(p) = sum_i g_i(p). The intervals describe how far g_i and G can move when
// the parameters p move within their sampling uncertainty; they do not include the Poisson
// noise of the purchases themselves (a customer's actual count varies around g_i far more).
//
// Methods (`interval_method`):
// - delta: the gradient of g in the log-parameters theta = log p, J_j = d g / d theta_j, by
//   central differences (g(theta + h e_j) - g(theta - h e_j)) / (2 h) with h = 1e-5 (about the
//   cube root of the machine epsilon, relative in p), and the asymptotic covariance of theta,
//   Sigma_theta = D^-1 Sigma D^-1 with D = diag(p) and Sigma the covariance of the fit
//   (`fit_result::covariance`, the inverse observed information). Var g = J Sigma_theta J'; the
//   interval is g -/+ z se with z the standard normal quantile at (1 + level)/2, its lower end
//   clamped at 0 (an expected count is never negative). The total's gradient is the sum of
//   the customers' gradients.
// - parametric_bootstrap: B draws theta_b = log p + L z_b from the asymptotic normal of the
//   log-parameters (L the Cholesky factor of Sigma_theta, z_b standard normal), g evaluated at
//   each exp(theta_b); the interval is the percentile interval of the draws: the (1 - level)/2
//   and (1 + level)/2 quantiles, linearly interpolated between order statistics (Hyndman & Fan
//   type 7, numpy's default). `std_error` is the standard deviation of the draws (divisor
//   B - 1). Drawing on the log scale keeps every draw positive.
// - nonparametric_bootstrap: B resamples of the customers with replacement (n draws of n),
//   each refitted by maximum likelihood (`fit_purchase_model`, started at the fitted
//   parameters, one thread per refit), g evaluated at each refit for the *original* customers;
//   percentile intervals as above. The customers passed are taken to be the sample the model
//   was fitted on; `covariance` is not used.
// A draw whose parameters give no finite prediction for some customer (a BG/NBD draw with
// a + b <= 1 where eq. 10 has no value, an overflow) or whose refit fails or does not converge
// is left out of every interval and counted in `failed_draws` (the first reason is kept).
//
// Seeds and threads. The normal draws come from one std::mt19937_64 seeded with `seed` (its
// output is fixed by the standard), turned into uniforms in (0, 1) by the library and into
// normals by the inverse normal CDF of Boost.Math: never the implementation-defined std::
// distributions. The resamples of draw b use an mt19937_64 seeded with the b-th output of the
// engine seeded with `seed`. Customers sharing (x, t_x, T) are evaluated once; the evaluation
// runs on `threads` threads over fixed blocks of those rows and the totals are summed in a fixed
// order, so a seed gives identical results whatever the thread count.
//
// Covariates (covariates.hpp). A model fitted with covariates has intervals by the same three
// methods over theta = (log p, coefficients) with the fit's full covariance: each customer at
// its own parameters, the coefficients drawn from their normal given the base draw (parametric)
// or refitted with the customers' covariate rows (nonparametric); see the covariate overloads
// below. With every coefficient 0 and no coefficient variance they are the plain intervals.
//
// Cost: delta 2k + 1 predictions per distinct customer row; parametric bootstrap B per row;
// nonparametric bootstrap B refits plus B per row.
//
// Errors. `invalid_argument` for a level outside (0, 1) ("level"), fewer than 2 draws for a
// bootstrap ("draws"), a horizon t that is not finite and >= 0 ("t"), a covariance that is not
// k x k, not finite or (for the parametric bootstrap) not positive definite ("covariance"),
// mismatched lengths or no customers; `data_error` naming the column, the customer position and
// the value for a bad customer row (as `compress_summary`); `error` when fewer than 2 bootstrap
// draws succeed (naming the first reason).
//
// Example:
//     const fit_result f = fit_purchase_model(purchase_model_kind::bg_nbd, rows);
//     interval_options o;
//     o.level = 0.9;
//     o.method = interval_method::parametric_bootstrap;
//     o.draws = 1000;
//     o.seed = 7;
//     const prediction_intervals pi = conditional_expected_purchases_intervals(
//         purchase_model_kind::bg_nbd, f, 39.0, x, tx, T, o);
//     // pi.estimate[i], pi.lower[i], pi.upper[i]; pi.total, pi.total_lower, pi.total_upper
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/clv.hpp"
#include "custometrics/retention/covariates.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/fitted_model.hpp"
#include "custometrics/retention/gamma_gamma.hpp"
#include "custometrics/retention/purchase_model.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// How a prediction interval is made (see intervals.hpp).
enum class interval_method { delta, parametric_bootstrap, nonparametric_bootstrap };

/// "delta", "parametric" (or "parametric_bootstrap") and "nonparametric" (or "bootstrap",
/// "nonparametric_bootstrap"), any case; `invalid_argument` naming `argument` otherwise.
interval_method parse_interval_method(std::string_view text, std::string_view argument = "method");

/// The canonical name: "delta", "parametric_bootstrap" or "nonparametric_bootstrap".
std::string_view to_string(interval_method method) noexcept;

/// Options of the prediction intervals.
struct interval_options {
    double level = 0.9; ///< coverage of the interval, in (0, 1)
    interval_method method = interval_method::delta;
    std::size_t draws = 1000; ///< B, bootstrap draws (>= 2); unused by the delta method
    std::uint64_t seed = 42;  ///< seeds the bootstrap; the results do not depend on `threads`
    unsigned threads = 0;     ///< 0 = the process default (threads.hpp)
    /// Options of the nonparametric bootstrap's refits (`initial` and `threads` are overridden).
    fit_options fit;
    /// The same for the Gamma-Gamma refits of the lifetime value's bootstrap.
    fit_options spend_fit;
};

/// Intervals for the conditional expected purchases, per customer (in input order) and total.
struct prediction_intervals {
    interval_method method = interval_method::delta;
    double level = 0.9;
    double horizon = 0;           ///< t, in the summary's time unit
    std::size_t draws = 0;        ///< bootstrap draws asked for (0 for delta)
    std::size_t failed_draws = 0; ///< draws left out (see intervals.hpp)
    std::string first_failure;    ///< why the first left-out draw failed; empty if none
    std::uint64_t seed = 0;

    std::vector<double> estimate;  ///< g_i at the fitted parameters
    std::vector<double> std_error; ///< delta: sqrt(J Sigma J'); bootstrap: SD of the draws
    std::vector<double> lower;
    std::vector<double> upper;

    double total = 0; ///< sum_i g_i at the fitted parameters
    double total_std_error = 0;
    double total_lower = 0;
    double total_upper = 0;
};

/// Prediction intervals for the purchases of customers (x, t_x, T) in the next `t` periods
/// under `params` with covariance `covariance` (natural parameters, the order of
/// `parameter_names`); for the nonparametric bootstrap `params` must come from a fit of these
/// customers (see intervals.hpp).
prediction_intervals conditional_expected_purchases_intervals(
    const purchase_params& params, const Eigen::MatrixXd& covariance, double t,
    std::span<const double> frequency, std::span<const double> recency, std::span<const double> T,
    const interval_options& options = {});

/// The same from a fit of `kind` (its params and covariance); the nonparametric bootstrap refits
/// with the fit's own penalizer (`fit_result::penalizer`, in place of `options.fit.penalizer`).
prediction_intervals conditional_expected_purchases_intervals(purchase_model_kind kind,
                                                              const fit_result& fit, double t,
                                                              std::span<const double> frequency,
                                                              std::span<const double> recency,
                                                              std::span<const double> T,
                                                              const interval_options& options = {});

/// The same from a fitted model (a purchase model: `purchase_kind_of` names `argument`
/// otherwise). The delta method and the parametric bootstrap need its covariance:
/// `covariance_of` names `argument` and `source` (the file it was read from) when it records
/// none (given parameters, JSON of 0.1.0). The nonparametric bootstrap does not use it; its
/// refits use the penalizer the model records (`fit_statistics::penalizer`, 0 for given
/// parameters) in place of `options.fit.penalizer`. A model with covariates is an
/// `invalid_argument` naming "covariates" (the overload with the covariate table takes it).
prediction_intervals conditional_expected_purchases_intervals(const fitted_model& model, double t,
                                                              std::span<const double> frequency,
                                                              std::span<const double> recency,
                                                              std::span<const double> T,
                                                              const interval_options& options = {},
                                                              std::string_view argument = "model",
                                                              std::string_view source = {});

/// Prediction intervals for the purchases of customers with covariates (covariates.hpp): g_i is
/// customer i's expected purchases at its own parameters (`customer_params` of `model` and row
/// i of `design`, score's `expected_purchases` with covariates), G their sum.
///
/// The parameters are theta = (log p, c): the base parameters on the log scale and the
/// coefficients c as they are, in the fit's layout (`design.coefficient_names`, set by
/// `design_covariates` or `lay_out_coefficients`: a constrained coefficient is one parameter,
/// used by its life and its trans column). `covariance` is the fit's covariance of (p, c)
/// (`fit_result::covariance` of `fit_with_covariates`, `fit_statistics::covariance` of a
/// covariate model), (k + c) x (k + c).
/// - delta: the gradient of g_i in theta by the chain rule through the customer's linear
///   predictors (g_life' z_i, g_trans' z_i): central differences in log p and in each predictor
///   at the customer's parameters (the step of the plain model), each predictor's derivative
///   times z_ik for the coefficient of column k. Var g_i = J' Sigma_theta J with Sigma_theta the
///   full covariance on the log scale of the base parameters; the total's gradient the sum of
///   the customers'.
/// - parametric_bootstrap: the base parameters drawn exactly as the model without covariates
///   draws them (the same seed gives the same base draws), then the coefficients from their
///   normal given the base draw (the conditional of the joint normal of theta), their normals
///   from the same engine after every base draw. A block of zero variance (coefficients held
///   fixed) is allowed: those coefficients stay at their values.
/// - nonparametric_bootstrap: customers resampled with their covariate rows (the resamples of
///   the model without covariates for the same seed), each resample refitted with covariates
///   (`fit_with_covariates`: the design's layout and coefficient penalties, `options.fit` for
///   the model parameters, started at the given values); `covariance` is not used.
/// So with every coefficient 0 and a covariance that is zero outside the base block, every
/// interval is the model's without covariates for the same seed (the totals up to the order of
/// the sums). Each customer is evaluated on its own (no compression); threads as above.
///
/// Errors as the plain intervals, plus `invalid_argument` ("covariates") when `design` has
/// another number of customers or a layout that does not match the coefficients, and
/// ("covariance") when the covariance is not (k + c) square or, for the parametric bootstrap,
/// its base block is not positive definite or the coefficients' conditional block not positive
/// semidefinite.
///
/// Example:
///     const covariate_design d = design_covariates(table, keys, spec);
///     const covariate_fit f = fit_with_covariates(purchase_model_kind::bg_nbd, x, tx, T, d);
///     const prediction_intervals pi = conditional_expected_purchases_intervals(
///         f.model, f.fit.covariance, d, 39.0, x, tx, T, o);
prediction_intervals conditional_expected_purchases_intervals(
    const covariate_model& model, const Eigen::MatrixXd& covariance,
    const covariate_design& design, double t, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T,
    const interval_options& options = {});

/// The same from a fitted model with covariates (`covariate_model_of` names `argument` for one
/// without) and the customers' covariate table: `design_for` codes the rows of `keys` (a
/// customer without a row is a `data_error` naming its key), `lay_out_coefficients` lays the
/// coefficients out with the penalties the model records; the covariance from `covariance_of`
/// (naming `argument` and `source` when the model records none); the nonparametric bootstrap
/// refits with the model's penalizer, life_penalizer and trans_penalizer.
prediction_intervals conditional_expected_purchases_intervals(
    const fitted_model& model, const covariate_table& covariates,
    std::span<const std::string> keys, double t, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T,
    const interval_options& options = {}, std::string_view argument = "model",
    std::string_view source = {});

/// Prediction intervals for the lifetime value of customers (x, t_x, T, m): the discounted
/// value of clv.hpp (`customer_lifetime_value` with the Gamma-Gamma spend model, over
/// `clv.months` months of `clv.periods_per_month` periods), per customer and its total.
///
/// The value is CLV_i(p, g) = s_i(g) S_i(p): the expected spend per purchase of the spend model
/// `spend` (parameters g = {p, q, v}, gamma_gamma.hpp) times the discounted purchase stream
/// S_i = sum_k [E(k f) - E((k-1) f)] / (1 + d)^k of the purchase model `purchase` (parameters
/// p). The two models are fitted separately and their estimates taken as independent (the
/// Gamma-Gamma model assumes spend independent of the purchase process), so the covariance of
/// (log p, log g) is block diagonal: `purchase_covariance` and `spend_covariance`.
/// - delta: with J_p = d S_i / d log p and J_g = d s_i / d log g by central differences as for
///   the purchases, Var CLV_i = s_i^2 J_p Sigma_p J_p' + S_i^2 J_g Sigma_g J_g' (the product rule
///   with the block-diagonal covariance). The total's gradients are sum_i s_i J_p,i and
///   sum_i S_i J_g,i. The lower end is clamped at 0 (a spend and a stream are never negative).
/// - parametric_bootstrap: draw b takes the purchase parameters exactly as the purchase
///   intervals do (the same seed gives the same purchase draws), then the spend parameters
///   g_b = g exp(L_g z_b) from the same engine after all purchase draws; percentile intervals.
/// - nonparametric_bootstrap: draw b resamples the customers exactly as the purchase intervals
///   do and refits both models on the resample: the purchase model on the customers' rows, the
///   Gamma-Gamma model on the resample's repeat buyers with a positive spend
///   (`select_spend_sample`, each customer weighted by its count), started at the given
///   parameters with `options.fit` and `options.spend_fit`; the covariances are not used.
/// `estimate` equals `customer_lifetime_value` (score's `clv`) to the last bit; `horizon` is
/// `clv.months * clv.periods_per_month`. Draws, failures, seeds and threads as for the
/// purchases (see the file comment); customers are checked as `customer_lifetime_value` checks
/// them; `covariance` errors name "purchase_covariance" or "spend_covariance".
///
/// Example:
///     const prediction_intervals v = customer_lifetime_value_intervals(
///         purchase_params_from(purchase_model_kind::bg_nbd, bg.params), bg.covariance,
///         gamma_gamma_params_from(gg), gg.covariance, x, tx, T, m, clv_options{}, o);
///     // v.estimate[i] is customer i's CLV, v.total_lower..v.total_upper the total's interval
prediction_intervals customer_lifetime_value_intervals(
    const purchase_params& purchase, const Eigen::MatrixXd& purchase_covariance,
    const gamma_gamma_params& spend, const Eigen::MatrixXd& spend_covariance,
    std::span<const double> frequency, std::span<const double> recency, std::span<const double> T,
    std::span<const double> monetary, const clv_options& clv, const interval_options& options = {});

/// The same from fitted models: a purchase model (`purchase_kind_of` names `purchase_argument`
/// otherwise) and the spend model (`spend_params_of` names `spend_argument`); their covariances
/// (delta, parametric bootstrap) from `covariance_of`, naming the argument and its source file.
/// A purchase model with covariates is an `invalid_argument` naming "covariates" (the overload
/// with the covariate table takes it). The nonparametric bootstrap refits each model with the
/// penalizer it records (`fit_statistics::penalizer`).
prediction_intervals customer_lifetime_value_intervals(
    const fitted_model& purchase, const fitted_model& spend, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, std::span<const double> monetary,
    const clv_options& clv, const interval_options& options = {},
    std::string_view purchase_argument = "model", std::string_view spend_argument = "spend",
    std::string_view purchase_source = {}, std::string_view spend_source = {});

/// The lifetime value's intervals for customers with covariates: CLV_i = s_i(g) S_i(theta), the
/// purchase stream S_i at the customer's own parameters (`customer_params` of `purchase` and
/// row i of `design`, score's `clv` with covariates). Each method combines the purchase side of
/// the covariate purchase intervals (the full covariance of base parameters and coefficients,
/// `purchase_covariance`, in `design`'s layout; the same draws and refits for the same seed)
/// with the spend side of the lifetime value's intervals above (the spend draws after the
/// purchase draws from the same engine; the Gamma-Gamma refit on each resample). Errors as both.
prediction_intervals customer_lifetime_value_intervals(
    const covariate_model& purchase, const Eigen::MatrixXd& purchase_covariance,
    const covariate_design& design, const gamma_gamma_params& spend,
    const Eigen::MatrixXd& spend_covariance, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, std::span<const double> monetary,
    const clv_options& clv, const interval_options& options = {});

/// The same from fitted models and the customers' covariate table (`keys` the customers', as
/// the purchases' overload with the table: `design_for`, the recorded penalties, the
/// covariances from `covariate_of` naming the arguments and sources).
prediction_intervals customer_lifetime_value_intervals(
    const fitted_model& purchase, const fitted_model& spend, const covariate_table& covariates,
    std::span<const std::string> keys, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, std::span<const double> monetary,
    const clv_options& clv, const interval_options& options = {},
    std::string_view purchase_argument = "model", std::string_view spend_argument = "spend",
    std::string_view purchase_source = {}, std::string_view spend_source = {});

/// The intervals of `score`: expected purchases and, with a spend model, the lifetime value.
struct score_intervals {
    prediction_intervals purchases; ///< conditional_expected_purchases_intervals
    std::optional<prediction_intervals>
        clv; ///< customer_lifetime_value_intervals, if a spend model
};

namespace detail {

/// A function's value, gradient in the log-parameters and delta-method variance.
struct delta_estimate {
    double value = 0;
    std::vector<double> gradient; ///< d f / d log p_j by central differences
    double variance = 0;          ///< gradient' Sigma_theta gradient
};

/// The delta method of intervals.hpp for any f of positive parameters `params` with covariance
/// `covariance` (natural scale): central differences with step `step` in log p.
delta_estimate delta_method(const std::function<double(std::span<const double>)>& f,
                            std::span<const double> params, const Eigen::MatrixXd& covariance,
                            double step = 1e-5);

/// The central-difference gradient of f at `point` with step `step`: in log x_j for the first
/// `log_count` coordinates (positive parameters: x_j exp(+-step)), in x_j itself for the others
/// (x_j +- step: covariate coefficients and linear predictors).
std::vector<double> central_gradient(const std::function<double(std::span<const double>)>& f,
                                     std::span<const double> point, std::size_t log_count,
                                     double step = 1e-5);

/// The q-quantile of `values` (reordered), linear between order statistics (type 7).
double percentile(std::vector<double>& values, double q);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
