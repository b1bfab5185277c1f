// The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo 1987): likelihood with
// its analytic gradient, maximum-likelihood fit, P(alive) and purchase forecasts.
//
// Model. While alive a customer buys as a Poisson process of rate lambda ~ Gamma(r, alpha)
// (shape, rate) and dies after an exponential lifetime of rate mu ~ Gamma(s, beta), independent
// of lambda. A customer is summarised by x repeat purchases, the time t_x of the last one and
// the age T (time since the first purchase), all in one time unit; alpha and beta are in that
// unit. Names and order follow `lifetimes`' ParetoNBDFitter (r, alpha, s, beta).
//
// Likelihood (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD model and related
// expressions", brucehardie.com note 009, eqs. 18-20; integrating the lifetime out gives the
// same thing without the hypergeometric function):
//     L = Gamma(r + x) alpha^r beta^s / Gamma(r) * [ A + s I ],
//     A = (alpha + T)^-(r+x) (beta + T)^-s,
//     I = integral_{t_x}^{T} (alpha + tau)^-(r+x) (beta + tau)^-(s+1) dtau,
// A the "alive at T" part, s I the "died at tau in (t_x, T]" part. Everything is in logs:
// log L = lgamma(r+x) - lgamma(r) + r log alpha + s log beta + logaddexp(log A, log s + log I).
//
// The hypergeometric term. I = F(t_x) - F(T) with F(t) the integral from t to infinity, and
//     F(t) = (alpha+t)^-(r+x)   (beta+t)^-s     / (r+s+x) * 2F1(1, r+x; r+s+x+1; z),
//            z = (alpha-beta)/(alpha+t)                         when alpha >= beta,
//     F(t) = (alpha+t)^-(r+x-1) (beta+t)^-(s+1) / (r+s+x) * 2F1(1, s+1; r+s+x+1; z),
//            z = (beta-alpha)/(beta+t)                          when alpha < beta.
// These are the note's 2F1(r+s+x, s+1 or r+x; r+s+x+1; z) after Euler's transformation
// 2F1(a, b; c; z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z), which pulls out the factor
// (1-z)^(1-b) that makes the note's form overflow (the (alpha+t)^(r+s+x) powers and a 2F1 of
// size (1-z)^-(r+x) for heavy buyers), and leaves a series
//     S(z) = 2F1(1, c; d; z) = sum_n (c)_n / (d)_n z^n,     0 < c < d, 0 <= z < 1,
// of positive terms whose ratio z (c+n)/(d+n) is below z: 1 <= S <= 1/(1-z), no overflow for
// any x, t_x or T. For z <= 0.9 the series (and its term-by-term derivatives in c, d and z) is
// summed until the tail bound term_N q/(1-q), q = z (1 + 1/N) (a bound on the ratio of every one
// of the four sums from term N on), is below 2^-55 of the sum: truncation error below 3e-17
// relative, plus rounding of at most ~N ulp (N <= ~400 terms at z = 0.9 whatever c and d;
// CDNOW at its fit needs 11 to 17). For z > 0.9 (one of alpha, beta more than ten times the other,
// over a short t_x) the series would need thousands of terms, and I and its derivatives are instead
// integrated directly in the variable u = log((m + tau)/(m + t_x)), m = min(alpha, beta), by
// adaptive Gauss-Kronrod (7-15 points, relative tolerance 1e-13 on each of the five positive
// integrals, which share one pass), in which the integrand is smooth and at most exponentially
// decaying. The two methods agree to 1e-13 at the switch (tested). Cost: ~250 ns per customer by
// the series at typical estimates (CDNOW: ~15 terms; the generator's 1e5 customers fitted in weeks,
// beta/alpha = 2.7: ~35 terms per series), ~10x that by quadrature, which a whole fit needs
// only when one of alpha, beta is more than ten times the other. The difference F(t_x) - F(T) loses
// relative accuracy in I when t_x is close to T, but I then weighs at most s (T - t_x)/(beta + T)
// against A, so the error in log L stays ~1e-16 * s (alpha + T)/((r+s+x)(beta+T)).
//
// Gradient. Analytic in (r, alpha, s, beta): digamma for the gamma ratio, and the derivatives of
// log F through the term-by-term derivative series of S (positive terms, same stopping rule) or
// under the integral sign (same quadrature). Accurate to ~1e-13 relative (tested against central
// differences of the log-likelihood).
//
// Predictions (note 009 sec. 4-5; lifetimes 0.11 ParetoNBDFitter):
//     P(alive | x, t_x, T)  = A / (A + s I)
//     E[X(t)]               = r beta / (alpha (s - 1)) [1 - (beta/(beta + t))^(s-1)]
//                             (the s -> 1 limit r beta/alpha log(1 + t/beta) at s = 1),
//     E[X(T, T+t) | x,t_x,T] = (r+x)(beta+T)/((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)]
//                             * P(alive),
//     P(X(t) = n)           = NB(n; r, alpha/(alpha+t)) (beta/(beta+t))^s
//                             + s beta^s alpha^r Gamma(r+n)/(Gamma(r) n!)
//                               * integral_0^t tau^n (alpha+tau)^-(r+n) (beta+tau)^-(s+1) dtau,
//       (alive at t, or dead at tau < t after n purchases; the integral by adaptive Gauss-
//       Kronrod, ~1e-12 relative), and given a history, with P = P(alive),
//     P(X(T, T+t) = n | x, t_x, T) = [n = 0] (1 - P) + P * P(X(t) = n) at (r+x, alpha+T, s,
//       beta+T) (an alive customer's posterior rates are independent Gammas with those
//       parameters), which is the quantity of lifetimes' `conditional_probability_of_n_
//       purchases_up_to_time` (Fader & Hardie note 028) without its 2F1 terms.
//
// Errors. Parameters must be positive and finite (`invalid_argument` naming the parameter);
// a customer needs finite x >= 0, 0 <= t_x <= T, T > 0, t_x = 0 when x = 0 (`data_error` naming
// the argument, the customer position in span versions, and the value); t >= 0, n >= 0.
//
// Example:
//     const pareto_nbd_params p{0.553, 10.578, 0.606, 11.669};   // CDNOW, weeks
//     double alive = p_alive(p, 2, 30.43, 38.86);
//     double next_year = conditional_expected_purchases(p, 52, 2, 30.43, 38.86);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"

#include <array>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Pareto/NBD parameters: purchase rate ~ Gamma(r, alpha), dropout rate ~ Gamma(s, beta).
struct pareto_nbd_params {
    double r = 1.0;
    double alpha = 1.0;
    double s = 1.0;
    double beta = 1.0;
};

/// Fits the Pareto/NBD model by maximum likelihood on compressed customer summaries (see
/// fit.hpp). Names {"r", "alpha", "s", "beta"}. As lifetimes does, the fit runs with times
/// divided by the largest T (alpha and beta in that unit; the default start is 1, 1, 1, 1
/// there) and reports everything in the input unit. The penalty is fit.hpp's (mean objective):
/// lifetimes' ParetoNBDFitter divides its sum by the *mean* weight instead, so its
/// `penalizer_coef` c is c / n customers here (its BG/NBD fitter matches fit.hpp's).
fit_result fit_pareto_nbd(const compressed_summary& rows, const fit_options& options = {});

/// The parameters of a Pareto/NBD fit; throws `invalid_argument` if the names are not
/// {"r", "alpha", "s", "beta"}.
pareto_nbd_params pareto_nbd_params_from(const fit_result& fit);

/// Log-likelihood of one customer (x, t_x, T).
double log_likelihood(const pareto_nbd_params& params, double x, double tx, double T);

/// Log-likelihood of one customer and its gradient with respect to (r, alpha, s, beta).
struct pareto_nbd_loglik {
    double value;
    std::array<double, 4> gradient;
};
pareto_nbd_loglik log_likelihood_gradient(const pareto_nbd_params& params, double x, double tx,
                                          double T);

/// Probability that a customer with history (x, t_x, T) is alive at T.
double p_alive(const pareto_nbd_params& params, double x, double tx, double T);

/// E[X(t)]: expected repeat purchases of a new customer in (0, t].
double expected_purchases(const pareto_nbd_params& params, double t);

/// Expected purchases in (T, T + t] of a customer with history (x, t_x, T).
double conditional_expected_purchases(const pareto_nbd_params& params, double t, double x,
                                      double tx, double T);

/// P(X(t) = n): probability that a new customer makes n repeat purchases in (0, t].
double probability_of_purchases(const pareto_nbd_params& params, double t, int n);

/// P(X(T, T + t) = n | x, t_x, T): probability of n purchases in the next t periods.
double conditional_probability_of_purchases(const pareto_nbd_params& params, double t, int n,
                                            double x, double tx, double T);

/// P(alive) per customer (spans of equal length), in the spans' order: the values of the
/// per-customer function, each unique (x, t_x, T) row evaluated once (unique_rows.hpp: the
/// compression costs less than this model's P(alive)), on the default threads.
/// Example: customers with equal (x, t_x, T) get the same bits.
std::vector<double> p_alive(const pareto_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T);

/// Expected purchases in the next t periods per customer, in the spans' order: the values of
/// the per-customer function, each unique (x, t_x, T) row evaluated once and the part that
/// depends on (x, T) once per run of rows sharing it (unique_rows.hpp; on the default threads).
/// Errors as `p_alive`'s, naming the first bad customer's position.
/// Example: `conditional_expected_purchases(params, 52, x, tx, T)[i] ==
/// conditional_expected_purchases(params, 52, x[i], tx[i], T[i])` bit for bit.
std::vector<double> conditional_expected_purchases(const pareto_nbd_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T);

namespace detail {

/// The row kernels of the span predictions (unique_rows.hpp), no argument checks: P(alive) of a
/// checked row, and the expected purchases in (T, T + t] of a customer alive at T with x repeat
/// purchases, which depends on (x, T) only; conditional_expected_purchases(params, t, x, t_x, T)
/// is their product. Example: `alive_expected_purchases(p, 0, x, T)` is 0.
double p_alive_row(const pareto_nbd_params& params, double x, double tx, double T);
double alive_expected_purchases(const pareto_nbd_params& params, double t, double x, double T);

/// Adds w_i log L_i and w_i d log L_i / d(r, alpha, s, beta) of rows [begin, end) to `ll` and
/// `grad`; no argument checks (the rows come from `compress_summary`, sorted by x, which lets
/// consecutive rows share lgamma(r + x) and digamma(r + x)). The fit's kernel.
void pareto_nbd_add_loglik(const pareto_nbd_params& params, std::span<const double> x,
                           std::span<const double> tx, std::span<const double> T,
                           std::span<const double> weight, std::size_t begin, std::size_t end,
                           double& ll, std::span<double, 4> grad);

/// Each row's log L and gradient, `out[i - begin]` for rows [begin, end), unweighted, with the
/// work of rows sharing x shared as in `pareto_nbd_add_loglik` (the values of
/// `log_likelihood_gradient` bit for bit); no argument checks. The covariate fits' kernel.
void pareto_nbd_row_logliks(const pareto_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T,
                            std::size_t begin, std::size_t end, std::span<pareto_nbd_loglik> out);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
