// The MBG/NBD model of repeat buying (Batislam, Denizel & Filiztekin 2007): likelihood with its
// analytic gradient, maximum-likelihood fit, P(alive) and purchase forecasts.
//
// Model. As BG/NBD (bg_nbd.hpp): purchases at Poisson rate lambda ~ Gamma(r, alpha) while
// alive, a dropout chance p ~ Beta(a, b) after each purchase -- but here also right after the
// first purchase (time 0), so a customer with no repeat purchase can be dead, and P(alive) < 1
// for x = 0. Names and order follow lifetimes' ModifiedBetaGeoFitter (r, alpha, a, b).
//
// Likelihood (Batislam et al. 2007, eq. 4; lifetimes 0.11):
//     L = Gamma(r+x) alpha^r / Gamma(r) * B(a, b+x+1)/B(a, b) * (alpha+T)^-(r+x)
//         * [1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)],
// in logs with log(1 + e^d), d = log(a/(b+x)) + (r+x) log((alpha+T)/(alpha+t_x)), taken as
// max(d, 0) + log1p(e^-|d|): no overflow for heavy buyers with t_x far before T. The gradient
// is analytic: digamma for the gamma and beta ratios, and the logistic weight
// sigma = e^d / (1 + e^d) for the bracket.
//
// Predictions (Batislam et al. 2007; lifetimes 0.11 ModifiedBetaGeoFitter; Wagner & Hoppe 2008):
//     P(alive | x, t_x, T) = 1 / (1 + e^d)        (a logistic, for every x including 0)
//     E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))]
//     E[X(T, T+t) | x, t_x, T] = (a+b+x)/(a-1)
//         [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; t/(alpha+T+t))] P(alive)
//     P(X(t) = n) = B(a, b+n+1)/B(a, b) NB(n; r, alpha/(alpha+t))
//                   + B(a+1, b+n)/B(a, b) P(NB(r, alpha/(alpha+t)) >= n),
//         NB(n; r, p) = Gamma(r+n)/(Gamma(r) n!) p^r (1-p)^n; the tail 1 - sum_{j<n} NB(j) of
//         lifetimes is the regularized incomplete beta I_{1-p}(n, r) (Boost.Math), with no
//         cancellation for large n.
// The hypergeometric brackets. Euler's transformation 2F1(A, B; C; z) = (1-z)^(C-A-B)
// 2F1(C-A, C-B; C; z) makes both brackets 1 - (1-z)^(a-1) 2F1(a+b-r, a-1; C; z) with
// C = a+b (+x), z = t/(alpha+t) (or t/(alpha+T+t)): the form of the BG/NBD brackets, evaluated
// by the same series (detail::bg_nbd_growth; its bound and cap are in bg_nbd.hpp: about
// 37 (1 + t/(alpha+T)) terms, the a = 1 limit included, horizons up to ~2.7e4 (alpha+T)).
//
// Errors. Parameters must be positive and finite (`invalid_argument` naming the parameter);
// a customer needs finite x >= 0, 0 <= t_x <= T, T > 0, t_x = 0 when x = 0 (`data_error` naming
// the argument, the customer position in span versions, and the value); t >= 0, n >= 0.
//
// Example:
//     const mbg_nbd_params p{0.525, 6.183, 0.891, 1.614};   // CDNOW, weeks (lifetimes' fit)
//     double alive = p_alive(p, 2, 30.43, 38.86);            // 0.7062
//     double next_year = conditional_expected_purchases(p, 52, 2, 30.43, 38.86);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"

#include <array>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// MBG/NBD parameters: purchase rate ~ Gamma(r, alpha), dropout chance ~ Beta(a, b).
struct mbg_nbd_params {
    double r = 1.0;
    double alpha = 1.0;
    double a = 1.0;
    double b = 1.0;
};

/// Fits the MBG/NBD model by maximum likelihood on compressed customer summaries (see fit.hpp).
/// Names {"r", "alpha", "a", "b"}. As lifetimes does, the fit runs with times divided by the
/// largest T (alpha in that unit; the default start is e^0.1 for every parameter, lifetimes'
/// start in log space) and reports everything in the input unit.
fit_result fit_mbg_nbd(const compressed_summary& rows, const fit_options& options = {});

/// The parameters of an MBG/NBD fit; throws `invalid_argument` if the names are not
/// {"r", "alpha", "a", "b"}.
mbg_nbd_params mbg_nbd_params_from(const fit_result& fit);

/// Log-likelihood of one customer (x, t_x, T).
double log_likelihood(const mbg_nbd_params& params, double x, double tx, double T);

/// Log-likelihood of one customer and its gradient with respect to (r, alpha, a, b).
struct mbg_nbd_loglik {
    double value;
    std::array<double, 4> gradient;
};
mbg_nbd_loglik log_likelihood_gradient(const mbg_nbd_params& params, double x, double tx, double T);

/// Probability that a customer with history (x, t_x, T) is alive at T.
double p_alive(const mbg_nbd_params& params, double x, double tx, double T);

/// E[X(t)]: expected repeat purchases of a new customer in (0, t].
double expected_purchases(const mbg_nbd_params& params, double t);

/// Expected purchases in (T, T + t] of a customer with history (x, t_x, T).
double conditional_expected_purchases(const mbg_nbd_params& params, double t, double x, double tx,
                                      double T);

/// P(X(t) = n): probability that a new customer makes n repeat purchases in (0, t].
double probability_of_purchases(const mbg_nbd_params& params, double t, int n);

/// P(alive) per customer (spans of equal length; both cores when there are many customers).
std::vector<double> p_alive(const mbg_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T);

/// Expected purchases in the next t periods per customer, in the spans' order: the values of
/// the per-customer function, each unique (x, t_x, T) row evaluated once and the part that
/// depends on (x, T) once per run of rows sharing it (unique_rows.hpp; on the default threads).
/// Errors as `p_alive`'s, naming the first bad customer's position.
/// Example: `conditional_expected_purchases(params, 52, x, tx, T)[i] ==
/// conditional_expected_purchases(params, 52, x[i], tx[i], T[i])` bit for bit.
std::vector<double> conditional_expected_purchases(const mbg_nbd_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T);

namespace detail {

/// The row kernels of the span predictions (unique_rows.hpp), no argument checks: P(alive) of a
/// checked row, and the expected purchases in (T, T + t] of a customer alive at T with x repeat
/// purchases, which depends on (x, T) only; conditional_expected_purchases(params, t, x, t_x, T)
/// is their product. Example: `alive_expected_purchases(p, 0, x, T)` is 0.
double p_alive_row(const mbg_nbd_params& params, double x, double tx, double T);
double alive_expected_purchases(const mbg_nbd_params& params, double t, double x, double T);

/// Adds w_i log L_i and w_i d log L_i / d(r, alpha, a, b) of rows [begin, end) to `ll` and
/// `grad`; no argument checks (rows from `compress_summary`, sorted by x, so consecutive rows
/// share the gamma and beta terms). The fit's kernel.
void mbg_nbd_add_loglik(const mbg_nbd_params& params, std::span<const double> x,
                        std::span<const double> tx, std::span<const double> T,
                        std::span<const double> weight, std::size_t begin, std::size_t end,
                        double& ll, std::span<double, 4> grad);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
