// Maximum-likelihood fitting shared by the retention models: customer summaries compressed to
// unique rows with weights, the options and report of a fit, and the L-BFGS driver.
//
// CONTRACT (written before the implementation; the model headers bg_nbd.hpp, mbg_nbd.hpp,
// pareto_nbd.hpp, gamma_gamma.hpp and sbg.hpp build on it). Change a signature here only when
// it is wrong, and then update every user in the same change.
//
// Method. Each model's parameters are positive; the optimiser works on their logarithms
// (theta = log p), so every step stays in the domain. The objective is the *mean* negative
// log-likelihood over customers plus an optional L2 penalty on the natural parameters,
//     f(theta) = -sum_i w_i ll_i(p) / sum_i w_i + penalizer * sum_j p_j^2,
// which is exactly what `lifetimes` 0.11 minimises (so a penalised fit agrees with it), with
// the analytic gradient chained through d p / d theta = p. L-BFGS (LBFGS++ 0.1: its
// More-Thuente search serves only its bound-constrained solver, so the backtracking line search
// with the strong Wolfe conditions; near the optimum, where the sufficient-decrease test fails on
// the objective's rounding alone, a step within 1e-12 relative of the start's objective that
// meets the curvature test is accepted: Hager and Zhang's approximate Wolfe conditions) stops
// when ||grad f|| <= gradient_tolerance * max(1, ||theta||), or when the objective changes by
// less than 1e-14 relative over five iterations (then it counts as converged if the gradient is
// within 1000 times the tolerance: the objective's rounding hides any further decrease), or
// after max_iterations. A trial point
// where the likelihood is not finite counts as +inf, so the line search backs off from it. When the
// line search fails (LBFGS++ throws), the driver restarts from the best point seen; at a gradient
// within 1000 times the tolerance it reports convergence (rounding hides any further decrease
// there), after three failures in a row it stops and reports the line-search message as the reason.
// Standard errors come from the inverse of the observed information matrix of the *total*
// log-likelihood (not the mean) at the optimum, on the natural scale, computed by central
// differences of the analytic gradient; they are NaN-free or the report says why.
#pragma once

#include "custometrics/config.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Customer summaries (frequency x, recency t_x, age T) compressed to their unique rows, each
/// with the number of customers (or the summed weights) that share it.
///
/// The likelihood of a customer depends on (x, t_x, T) only, and real logs repeat rows a lot
/// (CDNOW: 2,357 customers, 1,016 unique rows; 10^6 customers of the project's generator,
/// summarised in days over two years: 374,344), so the fit evaluates each unique row once. Rows are
/// in ascending (x, T, t_x) order, so a kernel can reuse the terms that depend on x or T between
/// consecutive rows; -0.0 is stored as 0.0.
struct compressed_summary {
    std::vector<double> frequency; ///< x, repeat purchases (>= 0, whole numbers)
    std::vector<double> recency;   ///< t_x, age at the last purchase (0 <= t_x <= T; 0 when x = 0)
    std::vector<double> T;         ///< age of the customer at the end of the period (> 0)
    std::vector<double> weight;    ///< customers (or summed weights) sharing the row (>= 0)
    std::vector<std::uint32_t> row_of; ///< for input customer i, its row here
    double total_weight = 0.0;

    std::size_t size() const noexcept { return frequency.size(); }
};

/// Compresses per-customer (x, t_x, T) to unique rows; `weights` empty means 1 per customer.
///
/// Throws `data_error` naming the argument, the customer position and the value for NaN or
/// infinite input, x < 0 or not whole, t_x < 0, t_x > T, T <= 0, x = 0 with t_x != 0, a
/// negative or non-finite weight (`recency: customer 4: value 12 is above T (10)`);
/// `invalid_argument` for mismatched lengths, no customers or weights that sum to 0. Cost: three
/// lookups per customer in small tables of each column's distinct values and a radix sort of
/// the customers by the packed ranks (~80 ns of CPU per customer at 10^6, on both cores from
/// 2^18 customers; the result does not depend on the thread count).
compressed_summary compress_summary(std::span<const double> frequency,
                                    std::span<const double> recency, std::span<const double> T,
                                    std::span<const double> weights = {});

/// Options of a maximum-likelihood fit.
struct fit_options {
    double penalizer = 0.0;           ///< L2 penalty coefficient on the natural parameters (>= 0)
    int max_iterations = 1000;        ///< L-BFGS iterations
    double gradient_tolerance = 1e-9; ///< stop when ||grad|| <= tol * max(1, ||log params||)
    std::vector<double> initial;      ///< starting natural parameters; empty = the model's default
    int threads = 0;                  ///< 0 = all cores when the data is large, else 1
};

/// How a fit ended.
struct fit_report {
    bool converged = false; ///< the gradient test was met
    int iterations = 0;
    int function_evaluations = 0;
    double gradient_norm = 0.0; ///< of the objective in log-parameters, at the end
    std::string reason;         ///< "gradient below tolerance", "maximum iterations", ...
};

/// The result of a fit: natural parameters in the model's order, their standard errors, and
/// the total (weighted) log-likelihood at the optimum.
struct fit_result {
    std::vector<std::string> names; ///< e.g. {"r", "alpha", "a", "b"}
    std::vector<double> params;
    std::vector<double> std_errors; ///< from the observed information; NaN only if singular
    Eigen::MatrixXd covariance;     ///< of the natural parameters
    double log_likelihood = 0.0;    ///< sum_i w_i ll_i (not the mean), penalty not included
    double n = 0.0;                 ///< total weight (customers)
    fit_report report;
    double penalizer = 0.0; ///< the L2 penalty coefficient the fit used (fit_options::penalizer)
};

namespace detail {

/// The checks of `compress_summary` alone (same exceptions and messages), for callers that need
/// the rows validated but not compressed (the per-customer predictions); both cores from 2^18
/// customers. `position_in_message` false leaves the position out of the message ("recency:
/// value 9 is above T (8)"; it stays in the error's `row`), for rows that are not customers
/// (partition.hpp's `check_rows`).
void check_summary(std::span<const double> frequency, std::span<const double> recency,
                   std::span<const double> T, std::span<const double> weights = {},
                   bool position_in_message = true);

/// `compress_summary` after its checks: the rows are ordered by a radix sort of the packed
/// ranks of (x, T, t_x) when they fit in `max_key_bits` bits, else by a comparison sort (the
/// tests force that path with a small `max_key_bits`).
compressed_summary compress_rows(std::span<const double> frequency, std::span<const double> recency,
                                 std::span<const double> T, std::span<const double> weights,
                                 unsigned max_key_bits);

/// The per-row log-likelihood and its gradient with respect to the *natural* parameters,
/// evaluated for the model's data rows [begin, end): adds w_i ll_i to `ll` and
/// w_i d ll_i / d p to `grad`. The kernel captures its data (a `compressed_summary`, the
/// Gamma-Gamma (x, m) rows, sBG cohort counts), so one driver serves every model.
using loglik_kernel =
    std::function<void(std::span<const double> params, std::size_t begin, std::size_t end,
                       double& ll, Eigen::Ref<Eigen::VectorXd> grad)>;

/// Runs L-BFGS on the mean negative log-likelihood described above over `n_rows` data rows of
/// total weight `total_weight` (both cores over row ranges when `n_rows` is large and
/// `options.threads != 1`), then the standard errors.
/// Throws `error` with the reason when the fit cannot produce finite parameters.
///
/// Unbounded coefficients (the covariate fits, covariates.hpp): the parameters from position
/// `positive` on are real numbers of either sign, optimised as they are (not on the log scale;
/// their start may be 0), and penalised by `coefficient_penalizers[j - positive] * g_j^2` on the
/// mean objective instead of `options.penalizer` (CLVTools' regularisation); their standard
/// errors come from the same observed information, with central-difference steps of
/// 6e-6 max(1, |g_j|). The defaults (every parameter positive) are the models without covariates.
fit_result fit_maximum_likelihood(const loglik_kernel& kernel, std::size_t n_rows,
                                  double total_weight, std::vector<std::string> names,
                                  std::vector<double> default_initial, const fit_options& options,
                                  std::size_t positive = static_cast<std::size_t>(-1),
                                  std::span<const double> coefficient_penalizers = {});

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
