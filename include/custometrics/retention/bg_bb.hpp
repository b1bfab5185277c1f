// The beta-geometric/beta-Bernoulli (BG/BB) model of repeat transactions at discrete
// opportunities (Fader, Hardie & Shang 2010, "Customer-base analysis in a discrete-time
// noncontractual setting", Marketing Science 29(6), 1086-1108; "FHS" below): likelihood with its
// analytic gradient, maximum-likelihood fit on weighted patterns, P(alive), conditional and
// unconditional expected transactions, P(X(n) = x) and DERT.
//
// Model. Transactions can only happen at discrete opportunities 1, 2, ... (a yearly donation
// drive, an annual event). While alive, a customer transacts at each opportunity with
// probability p ~ Beta(alpha, beta); before each opportunity (from the first on) a customer
// alive so far dies with probability theta ~ Beta(gamma, delta). A customer is summarised by
// x = repeat transactions, t_x = the opportunity of the last one (0 when x = 0) and n = the
// opportunities observed (x <= t_x <= n, all whole numbers). Names and order follow `lifetimes`'
// BetaGeoBetaBinomFitter (alpha, beta, gamma, delta), whose "frequency, recency, n_periods" are
// x, t_x, n here ("periods").
//
// Likelihood (FHS eq. 5):
//     L = B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta)
//       + sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha,beta)
//                             B(gamma+1, delta+t_x+i)/B(gamma,delta),
// the first term "alive through n", term i "alive through t_x + i, dead before t_x + i + 1".
// Evaluated in logs: the first term and the i = 0 term by lbeta (lgamma), the terms of the sum
// relative to the i = 0 term, which is the largest (the ratio of term i+1 to term i,
//     (beta+t_x-x+i)/(alpha+beta+t_x+i) (delta+t_x+i)/(gamma+delta+t_x+i+1),
// is below 1), so log(sum) = log(term 0) + log(sum of ratios in [1, n]) never under- or
// overflows, and the two parts are joined by log-sum-exp. The gradient is analytic: digamma
// differences for the lbeta terms, the derivatives of the log-ratios (1/(.) terms) carried along
// the sum, and the softmax weights of the log-sum-exp. Cost O(n - t_x) per pattern, one pass.
// Hand check, (x, t_x, n) = (0, 0, 1): L = beta/(alpha+beta) delta/(gamma+delta)
// + gamma/(gamma+delta) (alive and no transaction at opportunity 1, or dead before it).
//
// Fit. Maximum likelihood by `detail::fit_maximum_likelihood` (fit.hpp) over the unique
// (x, t_x, n) patterns with their weights (`compress_bg_bb`), from lifetimes' start (all
// log-parameters 0.1); the penalizer is lifetimes' (L2 on the natural parameters added to the
// mean negative log-likelihood). On FHS's donation data (11,104 donors, n = 6) the fit gives
// alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, log L -33,225.6, the paper's estimates.
//
// Predictions at the end of opportunity n, for a customer with history (x, t_x, n):
//     P(alive at n+1)   = B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n+1)/B(gamma,delta)
//                          / L                                                      (FHS eq. 11)
//     E[X(n, n+n*)]     = P(alive at n+1) (alpha+x)/(alpha+beta+n) sum_{j=0}^{n*-1} s_j (eq. 13)
//     DERT(d)           = P(alive at n+1) (alpha+x)/(alpha+beta+n) sum_{j>=0} s_j (1+d)^-(j+1)
//                       = ... /(1+d) 2F1(1, delta+n+1; gamma+delta+n+1; 1/(1+d))     (eq. 14)
// with s_j = B(gamma, delta+n+1+j)/B(gamma, delta+n+1) (alive at n+1+j given alive at n+1;
// s_0 = 1, s_{j+1} = s_j (delta+n+1+j)/(gamma+delta+n+1+j)) and (alpha+x)/(alpha+beta+n) the
// posterior mean of p. For a new customer (FHS eqs. 7, 8):
//     P(X(n) = x) = C(n,x) B(alpha+x, beta+n-x)/B(alpha,beta) B(gamma, delta+n)/B(gamma,delta)
//                 + sum_{i=x}^{n-1} C(i,x) B(alpha+x, beta+i-x)/B(alpha,beta)
//                                  B(gamma+1, delta+i)/B(gamma,delta)    (0 for x > n),
//     E[X(n)] = alpha/(alpha+beta) sum_{k=1}^{n} B(gamma, delta+k)/B(gamma,delta)
//             = alpha/(alpha+beta) delta/(gamma-1)
//               [1 - Gamma(gamma+delta)/Gamma(gamma+delta+n) Gamma(1+delta+n)/Gamma(1+delta)].
// The sums over opportunities are evaluated term by term with the ratio recurrences (relative
// rounding ~n* eps), not by the closed forms of eq. 8 and 13: these divide by gamma - 1 and
// cancel badly near gamma = 1, where the sums are exact. DERT's series has positive terms with
// ratio below z = 1/(1+d) and is summed until the tail bound term z/(1-z) is below 2^-55 of the
// sum (about 37/d terms, at most 10^7: d down to ~4e-6, smaller positive d throw
// `invalid_argument`); at d = 0 it is the expected residual transactions, (alpha+x)/(alpha+beta+n)
// P(alive at n+1) (gamma+delta+n)/(gamma-1), finite only when gamma > 1 (else `invalid_argument`).
//
// Errors. Parameters must be positive and finite (`invalid_argument` naming the parameter). A
// pattern needs finite whole numbers 0 <= x <= t_x <= n, t_x = 0 when x = 0, n <= 10^7
// (the likelihood sums over the opportunities), weights finite and >= 0 (`data_error` naming
// the argument, the position in span versions, and the value); the counts n*, ahead, n and x
// of the functions between 0 and 10^7, d >= 0 (`invalid_argument`).
//
// Example:
//     const double x[] = {0, 1, 6}, tx[] = {0, 1, 6}, n[] = {6, 6, 6}, w[] = {3464, 1091, 1203};
//     const bg_bb_patterns rows = compress_bg_bb(x, tx, n, w);
//     const bg_bb_params p = bg_bb_params_from(fit_bg_bb(rows));
//     double alive = p_alive(p, 6, 6, 6);                           // P(alive at 7)
//     double next5 = conditional_expected_purchases(p, 5, 6, 6, 6); // opportunities 7..11
//     double dert10 = dert(p, 0.1, 6, 6, 6);                        // discount 10% per period
//     const bg_bb_params fhs{1.204, 0.750, 0.657, 2.783};   // FHS's estimates, in the examples
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// BG/BB parameters: transaction probability ~ Beta(alpha, beta), death probability
/// ~ Beta(gamma, delta), both per opportunity.
struct bg_bb_params {
    double alpha = 1.0;
    double beta = 1.0;
    double gamma = 1.0;
    double delta = 1.0;
};

/// Per-customer (x, t_x, n) compressed to unique patterns, each with the number of customers
/// (or the summed weights) that share it: FHS's "recency/frequency matrix".
///
/// Patterns are in ascending (x, n, t_x) order; -0.0 is stored as 0.0. `row_of[i]` is the
/// pattern of input customer i, so per-pattern predictions map back to customers.
struct bg_bb_patterns {
    std::vector<double> frequency;     ///< x, repeat transactions
    std::vector<double> recency;       ///< t_x, opportunity of the last transaction (0 if x = 0)
    std::vector<double> periods;       ///< n, opportunities observed
    std::vector<double> weight;        ///< customers (or summed weights) sharing the pattern
    std::vector<std::uint32_t> row_of; ///< for input customer i, its pattern here
    double total_weight = 0.0;

    std::size_t size() const noexcept { return frequency.size(); }
};

/// Compresses per-customer (x, t_x, n) to unique weighted patterns; `weights` empty means 1
/// per customer (pass FHS-style pattern counts as weights: equal patterns are merged, their
/// weights summed).
///
/// Throws `data_error` naming the argument, the position and the value when a value is not a
/// finite whole number, x > t_x, t_x > n, x = 0 with t_x != 0, n > 10^7, or a weight is negative
/// or not finite (`recency: customer 4: value 7 is above periods (6)`); `invalid_argument` for
/// lengths that differ, no customers, or weights that sum to 0.
///
/// Example: `compress_bg_bb(x, tx, n)` on 11,104 donors gives FHS's 22 patterns.
bg_bb_patterns compress_bg_bb(std::span<const double> frequency, std::span<const double> recency,
                              std::span<const double> periods,
                              std::span<const double> weights = {});

/// Fits the BG/BB model by maximum likelihood on weighted patterns (see the file comment and
/// fit.hpp). Names {"alpha", "beta", "gamma", "delta"}; `fit_result::n` is the total weight.
///
/// Example: on the donation patterns, params {1.2035, 0.7497, 0.6567, 2.7834}, log L -33,225.58.
fit_result fit_bg_bb(const bg_bb_patterns& patterns, const fit_options& options = {});

/// The parameters of a BG/BB fit; throws `invalid_argument` if the names are not
/// {"alpha", "beta", "gamma", "delta"}.
bg_bb_params bg_bb_params_from(const fit_result& fit);

/// The parameters from a list in the order alpha, beta, gamma, delta (as a face passes them);
/// throws `invalid_argument` ("params") for another count.
bg_bb_params bg_bb_params_from(std::span<const double> params);

/// Log-likelihood of one customer (x, t_x, n) (FHS eq. 5, in logs; see the file comment).
///
/// Example: log_likelihood(fhs, 0, 0, 1) = -0.690132.
double log_likelihood(const bg_bb_params& params, double x, double tx, double n);

/// Log-likelihood of one customer and its gradient with respect to (alpha, beta, gamma, delta).
struct bg_bb_loglik {
    double value;
    std::array<double, 4> gradient;
};

/// The log-likelihood of one customer (x, t_x, n) with its analytic gradient (file comment).
bg_bb_loglik log_likelihood_gradient(const bg_bb_params& params, double x, double tx, double n);

/// P(alive at opportunity n+ahead) of a customer with history (x, t_x, n) (FHS eq. 11 for
/// ahead = 1; B(gamma, delta+n+ahead) in the place of B(gamma, delta+n+1) otherwise, as
/// lifetimes' `conditional_probability_alive(m_periods_in_future, ...)`; ahead >= 0).
///
/// A customer with a transaction at the last opportunity (t_x = n) was alive then, so only the
/// death before n+1 is uncertain: P = (delta+n)/(gamma+delta+n), the same for every x.
/// Example: p_alive(fhs, 6, 6, 6) = 0.9304 = 8.783/9.44.
double p_alive(const bg_bb_params& params, double x, double tx, double n, int ahead = 1);

/// E[X(n, n+n*)]: expected transactions at the next `future` opportunities n+1..n+future of a
/// customer with history (x, t_x, n) (FHS eq. 13, summed term by term: see the file comment).
///
/// `future` = 0 gives 0. Example: conditional_expected_purchases(fhs, 5, 6, 6, 6) = 3.752.
double conditional_expected_purchases(const bg_bb_params& params, int future, double x, double tx,
                                      double n);

/// DERT(d): discounted expected residual transactions of a customer with history (x, t_x, n),
/// the transaction at opportunity n+1 discounted once, with discount rate d per opportunity
/// (FHS eq. 14). Multiply by the margin per transaction for the residual value.
///
/// d = 0 is the undiscounted total, finite only for gamma > 1 (else `invalid_argument`).
/// Example: dert(fhs, 0.1, 6, 6, 6) = 5.9087.
double dert(const bg_bb_params& params, double discount_rate, double x, double tx, double n);

/// E[X(n)]: expected transactions of a new customer at the first n opportunities (FHS eq. 8).
///
/// Example: expected_purchases(fhs, 6) = 2.2196 transactions.
double expected_purchases(const bg_bb_params& params, int n);

/// P(X(n) = x): probability that a new customer makes x transactions at the first n
/// opportunities (FHS eq. 7); 0 for x > n. Sums to 1 over x = 0..n.
///
/// Example: probability_of_purchases(fhs, 6, 0) = 0.3112.
double probability_of_purchases(const bg_bb_params& params, int n, int x);

/// P(alive at n+ahead) per customer (spans of equal length; both cores when there are many).
std::vector<double> p_alive(const bg_bb_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> n, int ahead = 1);

/// Expected transactions at the next `future` opportunities, per customer.
std::vector<double> conditional_expected_purchases(const bg_bb_params& params, int future,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> n);

/// DERT(d) per customer.
std::vector<double> dert(const bg_bb_params& params, double discount_rate,
                         std::span<const double> x, std::span<const double> tx,
                         std::span<const double> n);

namespace detail {

/// Adds sum_i w_i log L_i and its gradient in (alpha, beta, gamma, delta) over patterns
/// [begin, end) to `ll` and `grad` (no argument checks): the fit's kernel.
void bg_bb_add_loglik(const bg_bb_params& params, std::span<const double> x,
                      std::span<const double> tx, std::span<const double> n,
                      std::span<const double> weight, std::size_t begin, std::size_t end,
                      double& ll, std::span<double, 4> grad);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
