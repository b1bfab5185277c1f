// Partitioned maximum-likelihood fits: the log-likelihood of a retention model over one
// partition of the data, and a fit whose data stays in partitions (Spark executors, files,
// shards) while the optimiser runs in one place.
//
// The likelihood of a purchase model is a sum over customers, so it splits at any partition of
// the (x, t_x, T, weight) rows: each partition computes its weighted log-likelihood and its
// gradient (`partition_log_likelihood`), the caller sums them, and `fit_partitioned` runs the
// single-machine fit's L-BFGS driver (fit.hpp) on that sum. Everything that is not a sum stays
// here, written once for the single-machine fits too (`detail::fit_time_scaled`):
// - the time scaling: the purchase models are fitted on times divided by the largest T (as
//   lifetimes does; it fixes the default start and what the L2 penalty sees), so every
//   partition multiplies its times by the same `partition_totals::time_scale()`, the optimiser
//   works on the rate parameters of the scaled problem (alpha; alpha and beta for Pareto/NBD;
//   alpha and 1/b for GGompertz/NBD, whose beta has no unit),
//   and the result is returned in the input unit: rate parameters, their standard errors and
//   covariance divided by the scale, the log-likelihood (a density in t_x) plus
//   sum_i w_i x_i log(scale);
// - the names, the default start and the checks of the rows (`check_rows`, the checks of
//   `compress_summary` and `fit_gamma_gamma`).
// A partitioned fit then gives the single-machine estimates up to the order of the sums
// (the tests: 1e-6 relative on the CDNOW sample, tests/python/test_spark_models.py).
//
// Errors. `check_rows` throws `data_error` with the fields argument (the column: "frequency",
// "recency", "T", "monetary", "weights"), row (the position within the partition) and value;
// its message leaves the position out ("recency: value 9 is above T (8)"), because a position
// among a partition's distinct rows means nothing to a user: the caller names the row from the
// fields (the Spark module adds the offending values). A failure inside `evaluate` (a failed
// job) stops the fit and is rethrown as it was.
//
// Example (two partitions in one process):
//     const purchase_rows a{x1, tx1, T1, w1}, b{x2, tx2, T2, w2};
//     check_rows(a); check_rows(b);
//     partition_totals totals = totals_of(a);
//     totals += totals_of(b);
//     const double s = totals.time_scale();
//     const fit_result f = fit_partitioned(purchase_model_kind::bg_nbd,
//         [&](std::span<const double> p) {
//             loglik_gradient l = partition_log_likelihood(purchase_model_kind::bg_nbd, p, a, s);
//             l += partition_log_likelihood(purchase_model_kind::bg_nbd, p, b, s);
//             return l;
//         }, totals);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/gamma_gamma.hpp"
#include "custometrics/retention/purchase_model.hpp"

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// One partition's purchase-model rows: frequency x, recency t_x, age T and the weight of each
/// row (customers sharing it), in any order.
struct purchase_rows {
    std::span<const double> frequency;
    std::span<const double> recency;
    std::span<const double> T;
    std::span<const double> weight;
};

/// One partition's Gamma-Gamma rows: repeat buyers' frequency x > 0 and average spend m > 0,
/// with weights.
struct spend_rows {
    std::span<const double> frequency;
    std::span<const double> monetary;
    std::span<const double> weight;
};

/// A weighted log-likelihood sum_i w_i log L_i and its gradient in the natural parameters.
/// `+=` adds another partition's (the gradients must have the same length).
struct loglik_gradient {
    double value = 0.0;
    std::vector<double> gradient;

    loglik_gradient& operator+=(const loglik_gradient& other);
};

/// What a partitioned fit needs beyond the sums: the number of rows, their total weight, the
/// weighted frequency sum_i w_i x_i and the largest T. Mergeable: `+=` combines partitions in
/// any order (sums of whole-number weights and frequencies are exact).
struct partition_totals {
    std::size_t rows = 0;
    double weight = 0.0;
    double weighted_frequency = 0.0;
    double max_T = 0.0; ///< 0 for spend rows

    partition_totals& operator+=(const partition_totals& other);

    /// The fit's time scale 1 / max T: every partition multiplies its times by it.
    /// `invalid_argument` when no row had a positive T.
    double time_scale() const;
};

/// The totals of one partition's rows (call `check_rows` first).
partition_totals totals_of(const purchase_rows& rows);
partition_totals totals_of(const spend_rows& rows);

/// Checks one partition's rows as `compress_summary` (purchase rows) or `fit_gamma_gamma`
/// (spend rows) checks a summary: `data_error` naming the column, the row's position (field
/// only, see the file comment) and the value; `invalid_argument` for columns of different
/// lengths.
void check_rows(const purchase_rows& rows);
void check_rows(const spend_rows& rows);

/// sum_i w_i log L_i and its gradient in the parameters `params` (natural, in the model's
/// order) of rows whose recency and T are first multiplied by `time_scale` (the fit's
/// `partition_totals::time_scale()`; 1 evaluates the rows as they are). The rows are not
/// checked (see `check_rows`); `invalid_argument` for a wrong parameter count.
loglik_gradient partition_log_likelihood(purchase_model_kind kind, std::span<const double> params,
                                         const purchase_rows& rows, double time_scale);

/// The Gamma-Gamma form (parameters p, q, v; no time scaling).
loglik_gradient partition_log_likelihood(const gamma_gamma_params& params, const spend_rows& rows);

/// The sum over all partitions of `partition_log_likelihood` at the given parameters (of the
/// time-scaled problem for the purchase models), as the caller computes it (one Spark job).
using partition_evaluator = std::function<loglik_gradient(std::span<const double> params)>;

/// Fits `kind` by maximum likelihood on data that stays in partitions: the single-machine
/// fit's driver, start, time scaling and standard errors over `evaluate`, called once per
/// evaluation (never concurrently). `options.threads` is ignored. The result is in the input
/// time unit, as `fit_purchase_model` returns it.
fit_result fit_partitioned(purchase_model_kind kind, const partition_evaluator& evaluate,
                           const partition_totals& totals, const fit_options& options = {});

/// The Gamma-Gamma form of `fit_partitioned`, as `fit_gamma_gamma` fits.
fit_result fit_gamma_gamma_partitioned(const partition_evaluator& evaluate,
                                       const partition_totals& totals,
                                       const fit_options& options = {});

namespace detail {

/// The time-scaled fit of every purchase model: maximises the log-likelihood given by
/// `kernel` over `n_rows` rows whose times were multiplied by `scale`, from the model's
/// default start (or `options.initial`, given in the input unit and scaled here), then returns
/// the parameters, standard errors, covariance and log-likelihood in the input unit (see the
/// file comment). `weighted_frequency` is sum_i w_i x_i.
///
/// `coefficient_names` adds covariate coefficients after the model's parameters (the
/// covariate fits, covariates.hpp): unbounded, start 0 (or `options.initial`'s values after the
/// model's), penalised by `coefficient_penalizers` (fit.hpp), not rescaled (a coefficient
/// multiplies a rate by exp(g' z), whatever the time unit).
fit_result fit_time_scaled(purchase_model_kind kind, const loglik_kernel& kernel,
                           std::size_t n_rows, double total_weight, double weighted_frequency,
                           double scale, const fit_options& options,
                           const std::vector<std::string>& coefficient_names = {},
                           std::span<const double> coefficient_penalizers = {});

/// Recency and T of compressed rows multiplied by the fit's scale 1 / max T, with the scale
/// and sum_i w_i x_i: the input of `fit_time_scaled`.
struct scaled_rows {
    std::vector<double> recency;
    std::vector<double> T;
    double scale = 1.0;
    double weighted_frequency = 0.0;
};
scaled_rows scale_times(const compressed_summary& rows);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
