// The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting your customers the
// easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284):
// likelihood with its analytic gradient, maximum-likelihood fit, P(alive) and purchase
// forecasts.
//
// Model. While alive a customer buys as a Poisson process of rate lambda ~ Gamma(r, alpha)
// (shape, rate); after every repeat purchase the customer drops out with probability
// p ~ Beta(a, b). A customer is summarised by x repeat purchases, the time t_x of the last one
// and the age T (time since the first purchase), all in one time unit; alpha is in that unit.
// Names and order follow `lifetimes`' BetaGeoFitter (r, alpha, a, b).
//
// Likelihood (FHL 2005 eq. 6, in logs as in their sec. 7):
//     log L = lbeta(a, b + x) - lbeta(a, b) + lgamma(r + x) - lgamma(r) + r log alpha
//             + log[ (alpha + T)^-(r+x) + [x > 0] a/(b + x - 1) (alpha + t_x)^-(r+x) ],
// the last term a log-sum-exp of its two logarithms, so a heavy buyer (x = 1000, long T) never
// overflows or underflows. Gradient: digamma differences for the gamma and beta ratios and the
// two weights of the log-sum-exp. A fit evaluates the likelihood once per unique (x, t_x, T)
// row (`compress_summary`) and reuses the x- and T-terms between consecutive rows.
//
// Fit. Maximum likelihood by `detail::fit_maximum_likelihood` (fit.hpp), on times divided by
// the largest T as `lifetimes` 0.11 does (`_scale_time`), so that its default start (all
// log-parameters 0.1, i.e. r = a = b = e^0.1 and alpha = e^0.1 max T) and its L2 penalty on
// (r, alpha scaled, a, b) are reproduced; alpha, its standard error and the log-likelihood are
// reported in the original unit (a time scale c changes log L by -x log c per customer).
//
// Predictions (FHL 2005; lifetimes 0.11 BetaGeoFitter):
//     P(alive | x, t_x, T) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
//         (Fader, Hardie & Lee, "Computing P(alive) using the BG/NBD model", brucehardie.com
//         note 021), computed as a logistic of the log-odds, so it never overflows.
//     E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]   (eq. 9)
//     E[Y(t) | x, t_x, T] = (a+b+x-1)/(a-1)
//         [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))] P(alive)
//                                                                                   (eq. 10)
//     P(X(t) = n) = B(a, b+n)/B(a, b) NB(n; r, alpha/(alpha+t))
//                   + [n > 0] B(a+1, b+n-1)/B(a, b) P(NB(r, alpha/(alpha+t)) >= n)     (eq. 8)
//         with NB(n; r, p) = Gamma(r+n)/(Gamma(r) n!) p^r (1-p)^n; the bracket of eq. 8,
//         1 - sum_{j<n} NB(j), is the upper tail ibetac(r, n, p) (Boost.Math).
// The hypergeometric terms. With z = t/(alpha+T+t) (T = 0 and x = 0 for eq. 9), Euler's
// transformation 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns the bracket into
// 1 - (1-z)^(a-1) S, S = 2F1(a+b-1-r, a-1; a+b+x-1; z), whose parameters other than C do not
// grow with x (the direct series for x = 500 has terms near (1-z)^-(r+x), far beyond double).
// Writing S = 1 + (a-1) U, U = sum_{n>=1} (a+b-1-r)_n (a)_{n-1} / ((a+b+x-1)_n n!) z^n, the
// quotient [1 - (1-z)^(a-1) S]/(a-1) = -expm1(L)/(a-1), L = (a-1) log(1-z) + log1p((a-1) U), is
// evaluated as -(expm1(L)/L) (log(1-z) + U log1p((a-1)U)/((a-1)U)): no 0/0 at a = 1, where
// the formula's removable singularity is. U is summed until the tail, bounded by
// term q/(1-q) with q = z (1 + max(0, a-2)/(n+1)) (every later term ratio is below q once
// n > -(a+b-1-r)), is below 2^-55 of the sum; about 37 (1 + t/(alpha+T)) terms. The series is
// capped at 10^6 terms, i.e. a horizon t up to about 2.7 10^4 (alpha + T); beyond that the
// functions throw `invalid_argument`. The cap is far above any practical horizon (CDNOW,
// weeks: alpha = 4.4, t = 52 needs ~500 terms).
//
// Errors. Parameters must be positive and finite (`invalid_argument` naming the parameter);
// eq. 9 and 10 also need a + b + x - 1 > 0 (a + b > 1 for a new customer), else the
// hypergeometric function has a pole or changes sign (`invalid_argument`). A customer needs
// finite whole x >= 0, 0 <= t_x <= T, T > 0, t_x = 0 when x = 0 (`data_error` naming the
// argument, the customer position in span versions, and the value); t >= 0 and n >= 0.
//
// Example:
//     const bg_nbd_params p{0.243, 4.414, 0.793, 2.426};   // CDNOW, weeks (FHL 2005)
//     double alive = p_alive(p, 2, 30.43, 38.86);           // 0.7266
//     double next_year = conditional_expected_purchases(p, 52, 2, 30.43, 38.86);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"

#include <array>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// BG/NBD parameters: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b).
struct bg_nbd_params {
    double r = 1.0;
    double alpha = 1.0;
    double a = 1.0;
    double b = 1.0;
};

/// Fits the BG/NBD model by maximum likelihood on compressed customer summaries (see the file
/// comment and fit.hpp). Names {"r", "alpha", "a", "b"}.
fit_result fit_bg_nbd(const compressed_summary& rows, const fit_options& options = {});

/// The parameters of a BG/NBD fit; throws `invalid_argument` if the names are not
/// {"r", "alpha", "a", "b"}.
bg_nbd_params bg_nbd_params_from(const fit_result& fit);

/// Log-likelihood of one customer (x, t_x, T).
double log_likelihood(const bg_nbd_params& params, double x, double tx, double T);

/// Log-likelihood of one customer and its gradient with respect to (r, alpha, a, b).
struct bg_nbd_loglik {
    double value;
    std::array<double, 4> gradient;
};
bg_nbd_loglik log_likelihood_gradient(const bg_nbd_params& params, double x, double tx, double T);

/// Probability that a customer with history (x, t_x, T) is alive at T.
double p_alive(const bg_nbd_params& params, double x, double tx, double T);

/// E[X(t)]: expected repeat purchases of a new customer in (0, t] (eq. 9).
double expected_purchases(const bg_nbd_params& params, double t);

/// Expected purchases in (T, T + t] of a customer with history (x, t_x, T) (eq. 10).
double conditional_expected_purchases(const bg_nbd_params& params, double t, double x, double tx,
                                      double T);

/// P(X(t) = n): probability that a new customer makes n repeat purchases in (0, t] (eq. 8).
double probability_of_purchases(const bg_nbd_params& params, double t, int n);

/// P(alive) per customer (spans of equal length; both cores when there are many customers).
std::vector<double> p_alive(const bg_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T);

/// Expected purchases in the next t periods per customer, in the spans' order: the values of
/// the per-customer function, each unique (x, t_x, T) row evaluated once and the part that
/// depends on (x, T) once per run of rows sharing it (unique_rows.hpp; on the default threads).
/// Errors as `p_alive`'s, naming the first bad customer's position.
/// Example: `conditional_expected_purchases(params, 52, x, tx, T)[i] ==
/// conditional_expected_purchases(params, 52, x[i], tx[i], T[i])` bit for bit.
std::vector<double> conditional_expected_purchases(const bg_nbd_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T);

namespace detail {

/// The row kernels of the span predictions (unique_rows.hpp), no argument checks: P(alive) of a
/// checked row, and the expected purchases in (T, T + t] of a customer alive at T with x repeat
/// purchases, which depends on (x, T) only; conditional_expected_purchases(params, t, x, t_x, T)
/// is their product. Example: `alive_expected_purchases(p, 0, x, T)` is 0.
double p_alive_row(const bg_nbd_params& params, double x, double tx, double T);
double alive_expected_purchases(const bg_nbd_params& params, double t, double x, double T);

/// Adds sum_i w_i log L_i and its gradient in (r, alpha, a, b) over rows [begin, end) to `ll`
/// and `grad` (no argument checks; rows sorted by x then T run fastest): the fit's kernel.
void bg_nbd_add_loglik(const bg_nbd_params& params, std::span<const double> x,
                       std::span<const double> tx, std::span<const double> T,
                       std::span<const double> weight, std::size_t begin, std::size_t end,
                       double& ll, std::span<double, 4> grad);

/// [1 - (1-z)^(a-1) 2F1(C-A, a-1; C; z)] / (a-1) for the BG/NBD forecasts: `c` = C,
/// `c_minus_a` = C - A = a + b - 1 - r, `log1mz` = log(1 - z) (see the file comment).
double bg_nbd_growth(double a, double c, double c_minus_a, double z, double log1mz);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
