// The GGompertz/NBD model of repeat buying (Bemmaor & Glady 2012, "Modeling Purchasing Behavior
// with Sudden 'Death': A Flexible Customer Lifetime Model", Management Science 58(5), 1012-1021)
// as CLVTools 0.12.1 implements it (src/ggomnbd.cpp): likelihood with its analytic gradient,
// maximum-likelihood fit, P(alive) and purchase forecasts.
//
// Model. While alive a customer buys as a Poisson process of rate lambda ~ Gamma(r, alpha)
// (shape, rate); the lifetime tau is Gompertz, P(tau > t | eta) = exp(-eta (e^{b t} - 1)), with
// eta ~ Gamma(s, beta) independent of lambda, so the lifetime of a new customer survives t with
//     S(t) = (beta / (beta + e^{b t} - 1))^s
// and has the density f(t) = b s beta^s e^{b t} (beta + e^{b t} - 1)^-(s+1) (Bemmaor & Glady
// 2012, sec. 2). b -> 0 with beta/b fixed is Pareto/NBD with its beta = CLVTools' beta / b.
// Names and order are CLVTools' (r, alpha, b, s, beta); alpha is in the time unit, b in 1/time,
// r, s and beta have no unit.
//
// Likelihood (CLVTools src/ggomnbd.cpp, `ggomnbd_LL_ind` lines 343-368, its
// terms at 355-356, and `ggomnbd_LL_integrand` lines 308-323): with G = Gamma(r+x)/Gamma(r)
// alpha^r,
//     L = G (alpha+T)^-(r+x) S(T)  +  G b s beta^s I,
//     I = integral_{t_x}^{T} (alpha+y)^-(r+x) e^{b y} (beta + e^{b y} - 1)^-(s+1) dy,
// alive at T, or died at y in (t_x, T]. Everything is in logs, with e^{b y} - 1 as expm1 (exact
// when b y is small: CLVTools' fits drift to b ~ 1e-6) and log(beta + e^{b y} - 1) as
// b y + log1p((beta - 1) e^{-b y}) once b y > 30 (no overflow for any b y).
//
// The integral. CLVTools evaluates I by GSL's QAGS at 1e-8 (absolute and relative). Here I and its
// five derivatives (differentiated under the integral sign) share one adaptive Gauss-Kronrod
// (7-15) pass in u = log((alpha+y)/(alpha+t_x)), in which the (alpha+y)^-(r+x) factor of heavy
// buyers becomes the smooth exp(-(r+x-1) u); a panel is split until each of the six estimates
// agrees with its 7-point Gauss estimate to 1e-9 relative to the integral of its absolute value
// (depth 20); the 15-point Kronrod estimate kept is then far more accurate than that bound
// (P(alive) equals 40-digit mpmath values to 1e-12, tested; at the fits ~14 integrand evaluations a
// row). The fit's kernel shares the work of rows with equal x (the integrand depends on the row
// only through x): the distinct t_x and T of such rows cut the time axis into panels, each
// integrated as above to 1e-12, and a row's I is the difference of two tail sums,
// integral_{t_x}^{t_max} - integral_T^{t_max}, kept relative to the integrand's value at each
// time. A row whose tail integral from t_x is over 1e3 times its own (an integrand that grows
// with y) is integrated directly instead, so each row keeps the 1e-9 bound (tested against
// Boost quadrature of the definition on hard parameters). On CDNOW this takes 2,112 short panels
// for 8,685 distinct rows.
//
// Gradient. Analytic in (r, alpha, b, s, beta): digamma for the Gamma ratio, and under the
// integral the weights -log(alpha+y), -(r+x)/(alpha+y), y - (s+1) y e^{b y}/(beta+e^{b y}-1),
// -log(beta+e^{b y}-1), -(s+1)/(beta+e^{b y}-1) (tested against central differences).
//
// Predictions.
//     P(alive | x, t_x, T) = G (alpha+T)^-(r+x) S(T) / L        (CLVTools `ggomnbd_PAlive`,
//                                                                  src/ggomnbd.cpp 509-523)
//     E[X(T, T+t) | x, t_x, T] = P(alive) (r+x)/(alpha+T)
//                                * integral_T^{T+t} ((beta + e^{b T} - 1)/(beta + e^{b u} - 1))^s
//                                du
//       (an alive customer's eta is Gamma(s, beta + e^{b T} - 1) and lambda Gamma(r+x, alpha+T);
//       the expected time alive in (T, T+t] times the expected rate), which is CLVTools'
//       `ggomnbd_CET` (src/ggomnbd.cpp 93-121, Adler's 2022 erratum) with its two 2F1(1, s; s+1; z)
//       terms written as the integral they come from;
//     E[X(t)] = r/alpha integral_0^t S(u) du                   (CLVTools `ggomnbd_expectation`,
//       src/ggomnbd.cpp 194-217: r/alpha [S(t) t + integral_0^t u f(u) du], integrated by parts);
//     P(X(t) = n) = NB(n; r, alpha, t) S(t) + integral_0^t NB(n; r, alpha, u) f(u) du,
//       NB(n; r, alpha, u) = Gamma(r+n)/(Gamma(r) n!) (alpha/(alpha+u))^r (u/(alpha+u))^n
//       (CLVTools `ggomnbd_PMF`, src/ggomnbd.cpp 598-635).
// These three integrals by Boost.Math's adaptive Gauss-Kronrod (15 points, 1e-12 relative).
//
// Errors. Parameters must be positive and finite (`invalid_argument` naming the parameter);
// a customer needs finite x >= 0, 0 <= t_x <= T, T > 0, t_x = 0 when x = 0 (`data_error` naming
// the argument, the customer position in span versions, and the value); t >= 0, n >= 0.
//
// Example (CLVTools' CDNOW fit, weeks):
//     const ggom_nbd_params p{0.59706, 11.5825, 2.4537e-05, 0.52290, 0.00021736};
//     double alive = p_alive(p, 2, 10.714, 38.857);                           // 0.3086
//     double next_39_weeks = conditional_expected_purchases(p, 39, 2, 10.714, 38.857); // 0.524
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"

#include <array>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// GGompertz/NBD parameters in CLVTools' order: purchase rate ~ Gamma(r, alpha), Gompertz
/// lifetime of scale b with eta ~ Gamma(s, beta).
struct ggom_nbd_params {
    double r = 1.0;
    double alpha = 1.0;
    double b = 1.0;
    double s = 1.0;
    double beta = 1.0;
};

/// Fits the GGompertz/NBD model by maximum likelihood on compressed customer summaries (see
/// fit.hpp). Names {"r", "alpha", "b", "s", "beta"}.
///
/// As the other purchase models, the fit runs with times divided by the largest T (alpha and
/// 1/b in that unit) and reports everything in the input unit; the default start is CLVTools'
/// (r 0.5, alpha 2, b 0.1, s 1, beta 0.1) in the scaled unit. When the data prefer the
/// Pareto/NBD limit (b and beta -> 0 with beta/b fixed; CDNOW and apparel do), the likelihood
/// keeps rising slowly along that ridge: the fit stops where the objective is flat to rounding,
/// b and beta are not identified, and the report says why the standard errors are missing when
/// the information matrix is singular there.
fit_result fit_ggom_nbd(const compressed_summary& rows, const fit_options& options = {});

/// The parameters of a GGompertz/NBD fit; throws `invalid_argument` if the names are not
/// {"r", "alpha", "b", "s", "beta"}.
ggom_nbd_params ggom_nbd_params_from(const fit_result& fit);

/// Log-likelihood of one customer (x, t_x, T).
double log_likelihood(const ggom_nbd_params& params, double x, double tx, double T);

/// Log-likelihood of one customer and its gradient with respect to (r, alpha, b, s, beta).
struct ggom_nbd_loglik {
    double value;
    std::array<double, 5> gradient;
};
ggom_nbd_loglik log_likelihood_gradient(const ggom_nbd_params& params, double x, double tx,
                                        double T);

/// Probability that a customer with history (x, t_x, T) is alive at T.
double p_alive(const ggom_nbd_params& params, double x, double tx, double T);

/// E[X(t)]: expected repeat purchases of a new customer in (0, t].
double expected_purchases(const ggom_nbd_params& params, double t);

/// Expected purchases in (T, T + t] of a customer with history (x, t_x, T) (CLVTools' CET).
double conditional_expected_purchases(const ggom_nbd_params& params, double t, double x, double tx,
                                      double T);

/// P(X(t) = n): probability that a new customer makes n repeat purchases in (0, t].
double probability_of_purchases(const ggom_nbd_params& params, double t, int n);

/// P(alive) per customer (spans of equal length), in the spans' order: the values of the
/// per-customer function, each unique (x, t_x, T) row evaluated once (unique_rows.hpp: the
/// compression costs less than this model's P(alive)), on the default threads.
/// Example: customers with equal (x, t_x, T) get the same bits.
std::vector<double> p_alive(const ggom_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T);

/// Expected purchases in the next t periods per customer, in the spans' order: the values of
/// the per-customer function, each unique (x, t_x, T) row evaluated once and the part that
/// depends on (x, T) once per run of rows sharing it (unique_rows.hpp; on the default threads).
/// Errors as `p_alive`'s, naming the first bad customer's position.
/// Example: `conditional_expected_purchases(params, 52, x, tx, T)[i] ==
/// conditional_expected_purchases(params, 52, x[i], tx[i], T[i])` bit for bit.
std::vector<double> conditional_expected_purchases(const ggom_nbd_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T);

namespace detail {

/// The row kernels of the span predictions (unique_rows.hpp), no argument checks: P(alive) of a
/// checked row, and the expected purchases in (T, T + t] of a customer alive at T with x repeat
/// purchases, which depends on (x, T) only; conditional_expected_purchases(params, t, x, t_x, T)
/// is their product. Example: `alive_expected_purchases(p, 0, x, T)` is 0.
double p_alive_row(const ggom_nbd_params& params, double x, double tx, double T);
double alive_expected_purchases(const ggom_nbd_params& params, double t, double x, double T);

/// Adds w_i log L_i and w_i d log L_i / d(r, alpha, b, s, beta) of rows [begin, end) to `ll`
/// and `grad`; no argument checks (the rows come from `compress_summary`, sorted by x, so
/// consecutive rows share lgamma(r + x), digamma(r + x) and the panels of the likelihood
/// integral: see the file comment). Rows in any order give the same values, with less sharing.
/// The fit's kernel.
void ggom_nbd_add_loglik(const ggom_nbd_params& params, std::span<const double> x,
                         std::span<const double> tx, std::span<const double> T,
                         std::span<const double> weight, std::size_t begin, std::size_t end,
                         double& ll, std::span<double, 5> grad);

/// Each row's log L and gradient, `out[i - begin]` for rows [begin, end), unweighted, with the
/// work of rows sharing x shared as in `ggom_nbd_add_loglik`; no argument checks. The covariate
/// fits' kernel.
void ggom_nbd_row_logliks(const ggom_nbd_params& params, std::span<const double> x,
                          std::span<const double> tx, std::span<const double> T,
                          std::size_t begin, std::size_t end, std::span<ggom_nbd_loglik> out);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
