// MBG/NBD: the log-likelihood, its gradient and the predictions (formulas in mbg_nbd.hpp).
#include "custometrics/retention/mbg_nbd.hpp"

#include "custometrics/retention/partition.hpp"

#include "customer_checks.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "custometrics/retention/bg_nbd.hpp"
#include "special.hpp"

#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <cmath>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr const char* model_name = "mbg_nbd";

void check_params(const mbg_nbd_params& p) {
    detail::check_positive_param(model_name, "r", p.r);
    detail::check_positive_param(model_name, "alpha", p.alpha);
    detail::check_positive_param(model_name, "a", p.a);
    detail::check_positive_param(model_name, "b", p.b);
}

/// The terms that depend on the parameters and x only: value and gradient of
/// lgamma(r+x) - lgamma(r) + r log alpha + log B(a, b+x+1) - log B(a, b), and log(a/(b+x)).
struct x_terms {
    double value;
    std::array<double, 4> grad;
    double log_odds_base; ///< log(a / (b + x))
};

x_terms x_terms_of(const mbg_nbd_params& p, double x) {
    using detail::digamma;
    using detail::lgam;
    const double ab = p.a + p.b;
    x_terms out{};
    out.value = lgam(p.r + x) - lgam(p.r) + p.r * std::log(p.alpha) + lgam(ab) +
                lgam(p.b + x + 1.0) - lgam(p.b) - lgam(ab + x + 1.0);
    const double d_ab = digamma(ab) - digamma(ab + x + 1.0);
    out.grad = {digamma(p.r + x) - digamma(p.r) + std::log(p.alpha), p.r / p.alpha, d_ab,
                d_ab + digamma(p.b + x + 1.0) - digamma(p.b)};
    out.log_odds_base = std::log(p.a / (p.b + x));
    return out;
}

/// log(1 + e^d) without overflow.
double log1p_exp(double d) {
    return std::max(d, 0.0) + std::log1p(std::exp(-std::abs(d)));
}

/// d = log(a/(b+x)) + (r+x) log((alpha+T)/(alpha+t_x)): the log-odds of "dead" vs "alive".
double log_odds_dead(const mbg_nbd_params& p, double x, double tx, double T) {
    return std::log(p.a / (p.b + x)) + (p.r + x) * std::log1p((T - tx) / (p.alpha + tx));
}

mbg_nbd_loglik likelihood(const mbg_nbd_params& p, double x, double tx, double T,
                          const x_terms& xt) {
    const double at = p.alpha + T, ax = p.alpha + tx;
    const double log_ratio = std::log1p((T - tx) / ax); // log((alpha+T)/(alpha+t_x))
    const double d = xt.log_odds_base + (p.r + x) * log_ratio;
    const double sigma = 1.0 / (1.0 + std::exp(-d)); // e^d / (1 + e^d)
    mbg_nbd_loglik out{};
    out.value = xt.value - (p.r + x) * std::log(at) + log1p_exp(d);
    out.gradient = {xt.grad[0] - std::log(at) + sigma * log_ratio,
                    xt.grad[1] - (p.r + x) / at + sigma * (p.r + x) * (1.0 / at - 1.0 / ax),
                    xt.grad[2] + sigma / p.a, xt.grad[3] - sigma / (p.b + x)};
    return out;
}

double p_alive_unchecked(const mbg_nbd_params& p, double x, double tx, double T) {
    return 1.0 / (1.0 + std::exp(log_odds_dead(p, x, tx, T)));
}

} // namespace

namespace detail {

double p_alive_row(const mbg_nbd_params& p, double x, double tx, double T) {
    return p_alive_unchecked(p, x, tx, T);
}

double alive_expected_purchases(const mbg_nbd_params& p, double t, double x, double T) {
    if (t == 0.0) return 0.0;
    const double c = p.a + p.b + x;
    const double u = t / (p.alpha + T); // z = u/(1+u), log(1-z) = -log1p(u)
    return c * detail::bg_nbd_growth(p.a, c, p.a + p.b - p.r, u / (1.0 + u), -std::log1p(u));
}

} // namespace detail

namespace {

double conditional_expected_unchecked(const mbg_nbd_params& p, double t, double x, double tx,
                                      double T) {
    if (t == 0.0) return 0.0;
    return detail::alive_expected_purchases(p, t, x, T) * p_alive_unchecked(p, x, tx, T);
}

} // namespace

double log_likelihood(const mbg_nbd_params& params, double x, double tx, double T) {
    return log_likelihood_gradient(params, x, tx, T).value;
}

mbg_nbd_loglik log_likelihood_gradient(const mbg_nbd_params& params, double x, double tx,
                                       double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    return likelihood(params, x, tx, T, x_terms_of(params, x));
}

double p_alive(const mbg_nbd_params& params, double x, double tx, double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    return p_alive_unchecked(params, x, tx, T);
}

double expected_purchases(const mbg_nbd_params& params, double t) {
    check_params(params);
    detail::check_horizon(t);
    if (t == 0.0) return 0.0;
    const double u = t / params.alpha;
    return params.b * detail::bg_nbd_growth(params.a, params.a + params.b,
                                            params.a + params.b - params.r, u / (1.0 + u),
                                            -std::log1p(u));
}

double conditional_expected_purchases(const mbg_nbd_params& params, double t, double x, double tx,
                                      double T) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_customer(x, tx, T);
    return conditional_expected_unchecked(params, t, x, tx, T);
}

double probability_of_purchases(const mbg_nbd_params& params, double t, int n) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_purchase_count(n);
    const mbg_nbd_params& p = params;
    const double nd = n;
    const double log_beta_ab = detail::lgam(p.a) + detail::lgam(p.b) - detail::lgam(p.a + p.b);
    // B(a+1, b+n)/B(a, b): dead at some purchase at or before the n-th
    const double dead_share = std::exp(detail::lgam(p.a + 1.0) + detail::lgam(p.b + nd) -
                                       detail::lgam(p.a + p.b + nd + 1.0) - log_beta_ab);
    if (t == 0.0) return n == 0 ? 1.0 : 0.0;
    // NB(n; r, alpha/(alpha+t)) in logs
    const double log_nb = detail::lgam(p.r + nd) - detail::lgam(p.r) - detail::lgam(nd + 1.0) -
                          p.r * std::log1p(t / p.alpha) -
                          (n > 0 ? nd * std::log1p(p.alpha / t) : 0.0);
    const double alive = std::exp(detail::lgam(p.a) + detail::lgam(p.b + nd + 1.0) -
                                  detail::lgam(p.a + p.b + nd + 1.0) - log_beta_ab + log_nb);
    // P(NB >= n) = I_{t/(alpha+t)}(n, r) for n >= 1, 1 for n = 0
    const double tail = n == 0 ? 1.0 : boost::math::ibeta(nd, p.r, t / (p.alpha + t));
    return alive + dead_share * tail;
}

std::vector<double> p_alive(const mbg_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T) {
    check_params(params);
    return detail::per_customer(
        x, tx, T, std::size_t{1} << 14,
        [&](double xi, double txi, double Ti) { return p_alive_unchecked(params, xi, txi, Ti); });
}

std::vector<double> conditional_expected_purchases(const mbg_nbd_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T) {
    check_params(params);
    detail::check_horizon(t);
    return detail::expected_by_rows(params, t, x, tx, T);
}

namespace detail {

void mbg_nbd_add_loglik(const mbg_nbd_params& params, std::span<const double> x,
                        std::span<const double> tx, std::span<const double> T,
                        std::span<const double> weight, std::size_t begin, std::size_t end,
                        double& ll, std::span<double, 4> grad) {
    double last_x = -1.0;
    x_terms xt{};
    for (std::size_t i = begin; i < end; ++i) {
        if (x[i] != last_x) {
            last_x = x[i];
            xt = x_terms_of(params, x[i]);
        }
        const mbg_nbd_loglik l = likelihood(params, x[i], tx[i], T[i], xt);
        ll += weight[i] * l.value;
        for (int k = 0; k < 4; ++k)
            grad[k] += weight[i] * l.gradient[k];
    }
}

} // namespace detail

fit_result fit_mbg_nbd(const compressed_summary& rows, const fit_options& options) {
    const std::size_t n = rows.size();
    if (n == 0) throw invalid_argument("fit_mbg_nbd", "no customers");
    // Times in units of the largest T, as lifetimes fits (this matters only for the penalty).
    const detail::scaled_rows scaled = detail::scale_times(rows);
    const detail::loglik_kernel kernel = [&](std::span<const double> p, std::size_t b,
                                             std::size_t e, double& ll,
                                             Eigen::Ref<Eigen::VectorXd> g) {
        std::array<double, 4> gr{};
        detail::mbg_nbd_add_loglik({p[0], p[1], p[2], p[3]}, rows.frequency, scaled.recency,
                                   scaled.T, rows.weight, b, e, ll, gr);
        for (int j = 0; j < 4; ++j)
            g[j] += gr[j];
    };
    return detail::fit_time_scaled(purchase_model_kind::mbg_nbd, kernel, n, rows.total_weight,
                                   scaled.weighted_frequency, scaled.scale, options);
}

mbg_nbd_params mbg_nbd_params_from(const fit_result& fit) {
    if (fit.names != std::vector<std::string>{"r", "alpha", "a", "b"} || fit.params.size() != 4)
        throw invalid_argument("mbg_nbd_params_from", "the fit is not an MBG/NBD fit "
                                                      "(expected parameters r, alpha, a, b)");
    return {fit.params[0], fit.params[1], fit.params[2], fit.params[3]};
}

CUSTOMETRICS_END_NAMESPACE
