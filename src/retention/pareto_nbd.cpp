// Pareto/NBD: the log-likelihood, its gradient and the predictions (see pareto_nbd.hpp for the
// formulas, the hypergeometric series, its bound and the switch to quadrature).
#include "custometrics/retention/pareto_nbd.hpp"

#include "custometrics/retention/partition.hpp"

#include "customer_checks.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "special.hpp"

#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr const char* model_name = "pareto_nbd";

// The series S(z) is used up to this z; above it, quadrature (see the header).
constexpr double series_z_max = 0.9;
// Truncation: the tail bound must fall below this share of each sum (2^-55).
constexpr double series_tolerance = 0x1p-55;
// Never reached for z <= 0.9 (at most about 400 terms there); a guard against a logic error.
constexpr int series_max_terms = 5000;
// Relative tolerance and depth of the adaptive Gauss-Kronrod integrals.
constexpr double quadrature_tolerance = 1e-13;
constexpr unsigned quadrature_depth = 20;

using gauss_kronrod = boost::math::quadrature::gauss_kronrod<double, 15>;

/// A log value and its gradient in (r, alpha, s, beta).
struct log_grad {
    double value = 0.0;
    std::array<double, 4> grad{};
};

/// S = 2F1(1, c; d; z) = sum_n (c)_n/(d)_n z^n and its derivatives: dS/dc + dS/dd (`scd`),
/// -dS/dd (`sd`, stored positive) and dS/dz (`sz`). `dc` is d - c, passed exactly.
struct hyp_sums {
    double s, scd, sd, sz;
};

/// S alone, for the predictions (no derivative sums); the same stopping rule.
double hyp_series_value(double c, double d, double z) {
    double t = 1.0, s = 1.0;
    for (int n = 0; n < series_max_terms; ++n) {
        t *= z * (c + n) / (d + n);
        s += t;
        const double zq = z * (n + 2), gap = (n + 1) - zq;
        if (gap > 0.0 && t * zq <= series_tolerance * gap * s) return s;
    }
    throw error("pareto_nbd: the hypergeometric series did not converge (z = " +
                detail::format_number(z) + "); please report this");
}

hyp_sums hyp_series(double c, double d, double dc, double z) {
    // term t_n = (c)_n/(d)_n z^n; d t_n/dc = t_n Hc(n), d t_n/dd = -t_n Hd(n) with
    // Hc(n) = sum_{k<n} 1/(c+k), Hd(n) = sum_{k<n} 1/(d+k); Hcd = Hc - Hd summed directly as
    // sum (d-c)/((c+k)(d+k)) (no cancellation); dS/dz = sum n t_n / z.
    double t = 1.0, s = 1.0, scd = 0.0, sd = 0.0, sz = 0.0, hcd = 0.0, hd = 0.0;
    for (int n = 0; n < series_max_terms; ++n) {
        const double cn = c + n, dn = d + n;
        const double inv_dn = 1.0 / dn;
        const double ratio = cn * inv_dn;
        const double zterm = (n + 1) * t * ratio; // (n+1) t_{n+1} / z
        t *= z * ratio;
        hcd += dc * inv_dn / cn;
        hd += inv_dn;
        s += t;
        scd += t * hcd;
        sd += t * hd;
        sz += zterm;
        // From term N = n+1 on, every one of the four sums has term ratios below
        // q = z (N+1)/N (see the header), so its tail is below term_N q / (1 - q); the test
        // term q/(1-q) <= tol sum is written without divisions.
        if ((n & 3) != 3) continue; // test every fourth term: at most three extra terms
        const double zq = z * (n + 2), gap = (n + 1) - zq; // q = zq/(n+1), 1-q = gap/(n+1)
        if (gap > 0.0) {
            const double limit = series_tolerance * gap;
            if (t * zq <= limit * s && t * hcd * zq <= limit * scd && t * hd * zq <= limit * sd &&
                zterm * zq <= limit * sz)
                return {s, scd, sd, sz};
        }
    }
    throw error("pareto_nbd: the hypergeometric series did not converge (z = " +
                detail::format_number(z) + "); please report this");
}

/// log F(t) and its gradient, F(t) = integral_t^inf (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau,
/// by the series (z <= series_z_max is the caller's business). `la`, `lb` are log(alpha+t),
/// log(beta+t); `log_rsx` is log(r+s+x).
log_grad log_tail(const pareto_nbd_params& p, double x, double t, double la, double lb,
                  double log_rsx, bool with_gradient) {
    const double rsx = p.r + p.s + x;
    const double at = p.alpha + t, bt = p.beta + t;
    log_grad out;
    if (!with_gradient) {
        if (p.alpha >= p.beta)
            out.value = -(p.r + x) * la - p.s * lb - log_rsx +
                        std::log(hyp_series_value(p.r + x, rsx + 1.0, (p.alpha - p.beta) / at));
        else
            out.value = -(p.r + x - 1.0) * la - (p.s + 1.0) * lb - log_rsx +
                        std::log(hyp_series_value(p.s + 1.0, rsx + 1.0, (p.beta - p.alpha) / bt));
        return out;
    }
    if (p.alpha >= p.beta) {
        const double z = (p.alpha - p.beta) / at;
        const hyp_sums h = hyp_series(p.r + x, rsx + 1.0, p.s + 1.0, z);
        const double inv_s = 1.0 / h.s;
        out.value = -(p.r + x) * la - p.s * lb - log_rsx + std::log(h.s);
        // c = r + x, d = r + s + x + 1; dz/dalpha = (beta+t)/(alpha+t)^2, dz/dbeta = -1/(alpha+t)
        out.grad[0] = -la - 1.0 / rsx + h.scd * inv_s;
        out.grad[1] = -(p.r + x) / at + h.sz * inv_s * bt / (at * at);
        out.grad[2] = -lb - 1.0 / rsx - h.sd * inv_s;
        out.grad[3] = -p.s / bt - h.sz * inv_s / at;
    } else {
        const double z = (p.beta - p.alpha) / bt;
        const hyp_sums h = hyp_series(p.s + 1.0, rsx + 1.0, p.r + x, z);
        const double inv_s = 1.0 / h.s;
        out.value = -(p.r + x - 1.0) * la - (p.s + 1.0) * lb - log_rsx + std::log(h.s);
        // c = s + 1, d = r + s + x + 1; dz/dalpha = -1/(beta+t), dz/dbeta = (alpha+t)/(beta+t)^2
        out.grad[0] = -la - 1.0 / rsx - h.sd * inv_s;
        out.grad[1] = -(p.r + x - 1.0) / at - h.sz * inv_s / bt;
        out.grad[2] = -lb - 1.0 / rsx + h.scd * inv_s;
        out.grad[3] = -(p.s + 1.0) / bt + h.sz * inv_s * at / (bt * bt);
    }
    return out;
}

/// Five integrals over one interval at once.
using integrals = std::array<double, 5>;

/// Adaptive Gauss-Kronrod (7-15) of a positive 5-vector integrand on [a, b], Boost.Math's
/// nodes and stopping rule (a panel is split while its Gauss-Kronrod difference exceeds both
/// `quadrature_tolerance` times its estimate and the share of the first panel's tolerance),
/// applied to every component: one evaluation of the shared exp/log serves all five.
template <class F>
integrals adaptive_gauss_kronrod(F& f, double a, double b, unsigned depth,
                                 const integrals& abs_tol) {
    using kronrod = boost::math::quadrature::gauss_kronrod<double, 15>;
    using gauss = boost::math::quadrature::gauss<double, 7>;
    const auto& xk = kronrod::abscissa();
    const auto& wk = kronrod::weights();
    const auto& wg = gauss::weights();
    const double mid = (a + b) / 2, half = (b - a) / 2;
    integrals k{}, g{};
    const integrals f0 = f(mid);
    for (int j = 0; j < 5; ++j) {
        k[j] = f0[j] * wk[0];
        g[j] = f0[j] * wg[0];
    }
    for (std::size_t i = 1; i < xk.size(); ++i) {
        const integrals fp = f(mid + half * xk[i]), fm = f(mid - half * xk[i]);
        for (int j = 0; j < 5; ++j) {
            k[j] += (fp[j] + fm[j]) * wk[i];
            if (i % 2 == 0) g[j] += (fp[j] + fm[j]) * wg[i / 2];
        }
    }
    bool split = false;
    integrals tol = abs_tol;
    for (int j = 0; j < 5; ++j) {
        k[j] *= half;
        g[j] *= half;
        if (tol[j] == 0.0) tol[j] = quadrature_tolerance * std::abs(k[j]);
        const double err = std::abs(k[j] - g[j]);
        if (err > quadrature_tolerance * std::abs(k[j]) && err > tol[j]) split = true;
    }
    if (!split || depth == 0) return k;
    for (double& t : tol)
        t /= 2;
    const integrals left = adaptive_gauss_kronrod(f, a, (a + b) / 2, depth - 1, tol);
    const integrals right = adaptive_gauss_kronrod(f, (a + b) / 2, b, depth - 1, tol);
    for (int j = 0; j < 5; ++j)
        k[j] = left[j] + right[j];
    return k;
}

/// log I and its gradient by quadrature in u = log((m+tau)/(m+t_x)), m = min(alpha, beta):
/// I = (m+t_x) h(t_x) J0, J0 = integral_0^U g(u) du, g = h(tau)/h(t_x) (m+tau)/(m+t_x), and the
/// derivative integrals with weights log((alpha+tau)/(alpha+t_x)), log((beta+tau)/(beta+t_x)),
/// 1/(alpha+tau), 1/(beta+tau) (all positive).
log_grad log_integral_quadrature(const pareto_nbd_params& p, double x, double tx, double T,
                                 bool with_gradient) {
    const double base = std::min(p.alpha, p.beta) + tx;
    const double a0 = p.alpha + tx, b0 = p.beta + tx;
    const double upper = std::log1p((T - tx) / base);
    const double rx = p.r + x, s1 = p.s + 1.0;
    auto f = [&](double u) {
        const double delta = base * std::expm1(u);
        const double la = std::log1p(delta / a0), lb = std::log1p(delta / b0);
        const double g = std::exp(-rx * la - s1 * lb + u);
        if (!with_gradient) return integrals{g, 0.0, 0.0, 0.0, 0.0};
        return integrals{g, g * la, g * lb, g / (a0 + delta), g / (b0 + delta)};
    };
    const integrals j = adaptive_gauss_kronrod(f, 0.0, upper, quadrature_depth, integrals{});
    log_grad out;
    out.value = std::log(base) - rx * std::log(a0) - s1 * std::log(b0) + std::log(j[0]);
    if (!with_gradient) return out;
    out.grad[0] = -std::log(a0) - j[1] / j[0];
    out.grad[1] = -rx * j[3] / j[0];
    out.grad[2] = -std::log(b0) - j[2] / j[0];
    out.grad[3] = -s1 * j[4] / j[0];
    return out;
}

/// The pieces of the likelihood: log A, log(A + s I) and the gradient of log L.
struct likelihood_parts {
    double log_a;    ///< log A
    double log_sum;  ///< log(A + s I)
    log_grad loglik; ///< log L and its gradient
};

/// The log-likelihood of customers at one parameter vector, with what rows share cached: the
/// constants of the parameters, the terms of one x (lgamma, digamma, log(r+s+x)), the logs of
/// one T, and the last F(T) and F(t_x) (the fit's rows come sorted by (x, T, t_x), so
/// consecutive rows share x and (x, T), and all x = 0 rows share t_x = 0).
class evaluator {
public:
    /// `with_gradient` false: the value only (the gradient left 0), for the predictions.
    evaluator(const pareto_nbd_params& p, bool with_gradient)
        : m_p(p), m_grad(with_gradient), m_log_alpha(std::log(p.alpha)),
          m_log_beta(std::log(p.beta)), m_log_s(std::log(p.s)) {}

    likelihood_parts operator()(double x, double tx, double T) {
        const pareto_nbd_params& p = m_p;
        if (x != m_x) {
            m_x = x;
            m_lgamma_ratio = detail::lgam(p.r + x) - detail::lgam(p.r);
            m_digamma_difference = m_grad ? detail::digamma(p.r + x) - detail::digamma(p.r) : 0.0;
            m_log_rsx = std::log(p.r + p.s + x);
            m_tail_T_valid = m_tail_tx_valid = false;
            m_tails.clear();
        }
        if (T != m_T) {
            m_T = T;
            m_lat = std::log(p.alpha + T);
            m_lbt = std::log(p.beta + T);
            m_tail_T_valid = false;
        }
        likelihood_parts out{};
        out.log_a = -(p.r + x) * m_lat - p.s * m_lbt;
        std::array<double, 4> g{-m_lat, -(p.r + x) / (p.alpha + T), -m_lbt, -p.s / (p.beta + T)};
        out.log_sum = out.log_a;
        log_grad b;
        if (tx < T) b = log_integral(x, tx, T);
        if (tx < T && b.value > -std::numeric_limits<double>::infinity()) {
            b.value += m_log_s;
            b.grad[2] += 1.0 / p.s;
            const double hi = std::max(out.log_a, b.value);
            const double wa = std::exp(out.log_a - hi), wb = std::exp(b.value - hi);
            out.log_sum = hi + std::log(wa + wb);
            const double share_a = wa / (wa + wb);
            for (int k = 0; k < 4; ++k)
                g[k] = share_a * g[k] + (1.0 - share_a) * b.grad[k];
        }
        out.loglik.value = m_lgamma_ratio + p.r * m_log_alpha + p.s * m_log_beta + out.log_sum;
        if (m_grad)
            out.loglik.grad = {g[0] + m_digamma_difference + m_log_alpha, g[1] + p.r / p.alpha,
                               g[2] + m_log_beta, g[3] + p.s / p.beta};
        return out;
    }

private:
    /// log I, I = F(t_x) - F(T) > 0 (t_x < T), and its gradient.
    log_grad log_integral(double x, double tx, double T) {
        const pareto_nbd_params& p = m_p;
        const double z = p.alpha >= p.beta ? (p.alpha - p.beta) / (p.alpha + tx)
                                           : (p.beta - p.alpha) / (p.beta + tx);
        if (z > series_z_max) {
            // rows repeat (x, t_x, T) only across fits' sorted runs of non-buyers (t_x = 0)
            if (!m_quad_valid || x != m_quad_x || tx != m_quad_tx || T != m_quad_T) {
                m_quad = log_integral_quadrature(p, x, tx, T, m_grad);
                m_quad_x = x;
                m_quad_tx = tx;
                m_quad_T = T;
                m_quad_valid = true;
            }
            return m_quad;
        }
        if (!m_tail_tx_valid || tx != m_tx) {
            m_tail_tx = tail_at(x, tx);
            m_tx = tx;
            m_tail_tx_valid = true;
        }
        if (!m_tail_T_valid) {
            m_tail_T = tail_at(x, T);
            m_tail_T_valid = true;
        }
        const log_grad& f1 = m_tail_tx;
        const log_grad& f2 = m_tail_T;
        const double rho = std::exp(f2.value - f1.value); // F(T)/F(t_x) in [0, 1)
        log_grad out;
        if (!(rho < 1.0)) { // t_x within rounding of T: I = 0 to working precision
            out.value = -std::numeric_limits<double>::infinity();
            return out;
        }
        const double inv = 1.0 / (1.0 - rho);
        out.value = f1.value + std::log1p(-rho);
        for (int k = 0; k < 4; ++k)
            out.grad[k] = (f1.grad[k] - rho * f2.grad[k]) * inv;
        return out;
    }

    /// log F(t) at the current x, each t computed once per x: rows of one x repeat their times
    /// (CDNOW: 8,685 distinct rows need F at 2,150 distinct (x, t) where the sorted rows alone
    /// share only F(T)).
    const log_grad& tail_at(double x, double t) {
        const auto [it, added] = m_tails.try_emplace(t);
        if (added)
            it->second = log_tail(m_p, x, t, std::log(m_p.alpha + t), std::log(m_p.beta + t),
                                  m_log_rsx, m_grad);
        return it->second;
    }

    pareto_nbd_params m_p;
    bool m_grad;
    double m_log_alpha, m_log_beta, m_log_s;
    std::unordered_map<double, log_grad> m_tails; ///< F(t) by t at x = m_x
    double m_x = -1.0, m_lgamma_ratio = 0.0, m_digamma_difference = 0.0, m_log_rsx = 0.0;
    double m_T = -1.0, m_lat = 0.0, m_lbt = 0.0;
    double m_tx = -1.0;
    bool m_tail_T_valid = false, m_tail_tx_valid = false;
    log_grad m_tail_T, m_tail_tx;
    bool m_quad_valid = false;
    double m_quad_x = 0.0, m_quad_tx = 0.0, m_quad_T = 0.0;
    log_grad m_quad;
};

likelihood_parts likelihood(const pareto_nbd_params& p, double x, double tx, double T,
                            bool with_gradient) {
    return evaluator(p, with_gradient)(x, tx, T);
}

void check_params(const pareto_nbd_params& p) {
    detail::check_positive_param(model_name, "r", p.r);
    detail::check_positive_param(model_name, "alpha", p.alpha);
    detail::check_positive_param(model_name, "s", p.s);
    detail::check_positive_param(model_name, "beta", p.beta);
}

double p_alive_unchecked(const pareto_nbd_params& p, double x, double tx, double T) {
    const likelihood_parts l = likelihood(p, x, tx, T, false);
    return std::exp(l.log_a - l.log_sum);
}

/// (1 - exp(-e L)) / e for L >= 0, with its limit L at e = 0 (e = s - 1).
double one_minus_power_over(double e, double L) {
    const double el = e * L;
    if (std::abs(el) < 1e-5) return L * (1.0 - el / 2.0 + el * el / 6.0);
    return -std::expm1(-el) / e;
}

} // namespace

namespace detail {

double p_alive_row(const pareto_nbd_params& p, double x, double tx, double T) {
    return p_alive_unchecked(p, x, tx, T);
}

double alive_expected_purchases(const pareto_nbd_params& p, double t, double x, double T) {
    if (t == 0.0) return 0.0;
    return (p.r + x) * (p.beta + T) / (p.alpha + T) *
           one_minus_power_over(p.s - 1.0, std::log1p(t / (p.beta + T)));
}

} // namespace detail

namespace {

double conditional_expected_unchecked(const pareto_nbd_params& p, double t, double x, double tx,
                                      double T) {
    if (t == 0.0) return 0.0;
    return detail::alive_expected_purchases(p, t, x, T) * p_alive_unchecked(p, x, tx, T);
}

double probability_unchecked(const pareto_nbd_params& p, double t, int n) {
    if (t == 0.0) return n == 0 ? 1.0 : 0.0;
    const double nd = n;
    const double log_coef = detail::lgam(p.r + nd) - detail::lgam(p.r) - detail::lgam(nd + 1.0);
    // alive at t: NB(n; r, alpha/(alpha+t)) (beta/(beta+t))^s
    const double alive =
        std::exp(log_coef - p.r * std::log1p(t / p.alpha) -
                 (n > 0 ? nd * std::log1p(p.alpha / t) : 0.0) - p.s * std::log1p(t / p.beta));
    // dead at tau < t: (s/beta) integral_0^t NB(n; r, alpha/(alpha+tau)) (beta/(beta+tau))^(s+1)
    // dtau. In y = tau/(alpha+tau) (dtau = alpha/(1-y)^2 dy) the integrand is
    // coef alpha y^n g(y), g(y) = (1-y)^(r-2) (beta(1-y)/(beta(1-y) + alpha y))^(s+1), and with
    // y = Y e^(-u/(n+1)), Y = t/(alpha+t), y^n dy = -Y^(n+1)/(n+1) e^-u du: the integral is
    // coef alpha Y^(n+1)/(n+1) integral_0^inf e^-u g(y(u)) du, a smooth, exponentially
    // decaying integrand whatever n (y^n itself is sharply peaked at Y for large n).
    const double upper = t / (p.alpha + t), lower_gap = p.alpha / (p.alpha + t); // Y, 1 - Y
    const double log_upper = -std::log1p(p.alpha / t);
    auto g = [&](double u) {
        const double v = u / (nd + 1.0);
        const double y = upper * std::exp(-v);
        const double om = lower_gap - upper * std::expm1(-v); // 1 - y without cancellation
        const double dead_rate = p.beta * om / (p.beta * om + p.alpha * y);
        return std::exp(-u + (p.r - 2.0) * std::log(om) + (p.s + 1.0) * std::log(dead_rate));
    };
    double err = 0.0;
    const double integral = gauss_kronrod::integrate(
        g, 0.0, std::numeric_limits<double>::infinity(), quadrature_depth, 1e-12, &err);
    const double dead = std::exp(std::log(p.s / p.beta) + log_coef + std::log(p.alpha) +
                                 (nd + 1.0) * log_upper - std::log(nd + 1.0)) *
                        integral;
    return alive + dead;
}

} // namespace

double log_likelihood(const pareto_nbd_params& params, double x, double tx, double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    return likelihood(params, x, tx, T, false).loglik.value;
}

pareto_nbd_loglik log_likelihood_gradient(const pareto_nbd_params& params, double x, double tx,
                                          double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    const log_grad l = likelihood(params, x, tx, T, true).loglik;
    return {l.value, l.grad};
}

double p_alive(const pareto_nbd_params& params, double x, double tx, double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    return p_alive_unchecked(params, x, tx, T);
}

double expected_purchases(const pareto_nbd_params& params, double t) {
    check_params(params);
    detail::check_horizon(t);
    return params.r * params.beta / params.alpha *
           one_minus_power_over(params.s - 1.0, std::log1p(t / params.beta));
}

double conditional_expected_purchases(const pareto_nbd_params& params, double t, double x,
                                      double tx, double T) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_customer(x, tx, T);
    return conditional_expected_unchecked(params, t, x, tx, T);
}

double probability_of_purchases(const pareto_nbd_params& params, double t, int n) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_purchase_count(n);
    return probability_unchecked(params, t, n);
}

double conditional_probability_of_purchases(const pareto_nbd_params& params, double t, int n,
                                            double x, double tx, double T) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_customer(x, tx, T);
    detail::check_purchase_count(n);
    const double alive = p_alive_unchecked(params, x, tx, T);
    const pareto_nbd_params posterior{params.r + x, params.alpha + T, params.s, params.beta + T};
    return (n == 0 ? 1.0 - alive : 0.0) + alive * probability_unchecked(posterior, t, n);
}

std::vector<double> p_alive(const pareto_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T) {
    check_params(params);
    return detail::p_alive_by_rows(params, x, tx, T);
}

std::vector<double> conditional_expected_purchases(const pareto_nbd_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T) {
    check_params(params);
    detail::check_horizon(t);
    return detail::expected_by_rows(params, t, x, tx, T);
}

namespace detail {

void pareto_nbd_add_loglik(const pareto_nbd_params& params, std::span<const double> x,
                           std::span<const double> tx, std::span<const double> T,
                           std::span<const double> weight, std::size_t begin, std::size_t end,
                           double& ll, std::span<double, 4> grad) {
    evaluator eval(params, true);
    for (std::size_t i = begin; i < end; ++i) {
        const log_grad l = eval(x[i], tx[i], T[i]).loglik;
        ll += weight[i] * l.value;
        for (int k = 0; k < 4; ++k)
            grad[k] += weight[i] * l.grad[k];
    }
}

void pareto_nbd_row_logliks(const pareto_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T,
                            std::size_t begin, std::size_t end,
                            std::span<pareto_nbd_loglik> out) {
    evaluator eval(params, true);
    for (std::size_t i = begin; i < end; ++i) {
        const log_grad l = eval(x[i], tx[i], T[i]).loglik;
        out[i - begin] = {l.value, l.grad};
    }
}

} // namespace detail

fit_result fit_pareto_nbd(const compressed_summary& rows, const fit_options& options) {
    const std::size_t n = rows.size();
    if (n == 0) throw invalid_argument("fit_pareto_nbd", "no customers");
    // Times in units of the largest T, as lifetimes fits (this matters only for the penalty).
    const detail::scaled_rows scaled = detail::scale_times(rows);
    const detail::loglik_kernel kernel = [&](std::span<const double> p, std::size_t b,
                                             std::size_t e, double& ll,
                                             Eigen::Ref<Eigen::VectorXd> g) {
        std::array<double, 4> gr{};
        detail::pareto_nbd_add_loglik({p[0], p[1], p[2], p[3]}, rows.frequency, scaled.recency,
                                      scaled.T, rows.weight, b, e, ll, gr);
        for (int j = 0; j < 4; ++j)
            g[j] += gr[j];
    };
    return detail::fit_time_scaled(purchase_model_kind::pareto_nbd, kernel, n, rows.total_weight,
                                   scaled.weighted_frequency, scaled.scale, options);
}

pareto_nbd_params pareto_nbd_params_from(const fit_result& fit) {
    if (fit.names != std::vector<std::string>{"r", "alpha", "s", "beta"} || fit.params.size() != 4)
        throw invalid_argument("pareto_nbd_params_from", "the fit is not a Pareto/NBD fit "
                                                         "(expected parameters r, alpha, s, beta)");
    return {fit.params[0], fit.params[1], fit.params[2], fit.params[3]};
}

CUSTOMETRICS_END_NAMESPACE
