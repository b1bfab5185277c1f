// GGompertz/NBD: the log-likelihood, its gradient and the predictions (see ggom_nbd.hpp for the
// formulas, their sources in CLVTools and the quadrature).
#include "custometrics/retention/ggom_nbd.hpp"

#include "custometrics/retention/partition.hpp"

#include "customer_checks.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "special.hpp"

#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr const char* model_name = "ggom_nbd";

// The likelihood integral: relative tolerance (to the integral of each component's absolute
// value) and depth of the adaptive Gauss-Kronrod.
constexpr double integral_tolerance = 1e-9;
constexpr unsigned integral_depth = 20;
// Rows sharing x take I(t_x, T) as a difference of tail integrals summed over shared panels
// (`shared_integrals`): a row whose tail integral of |f_j| from t_x exceeds `max_tail_ratio`
// times its own integral of |f_j| is integrated directly instead, and the panels are integrated
// to `integral_tolerance / max_tail_ratio`, so every row keeps the direct bound.
constexpr double max_tail_ratio = 1e3;
constexpr double panel_tolerance = integral_tolerance / max_tail_ratio;
// The prediction integrals (Boost.Math's adaptive Gauss-Kronrod).
constexpr double prediction_tolerance = 1e-12;
constexpr unsigned prediction_depth = 20;

using gauss_kronrod = boost::math::quadrature::gauss_kronrod<double, 15>;

/// log(beta + e^{b y} - 1) without overflow or cancellation (see the header).
double log_d(const ggom_nbd_params& p, double y) {
    const double by = p.b * y;
    if (by <= 30.0) return std::log(p.beta + std::expm1(by));
    return by + std::log1p((p.beta - 1.0) * std::exp(-by));
}

/// log d(y), d(y) = beta + e^{b y} - 1, with 1/d(y) and e^{b y}/d(y), from one expm1 and one log
/// (the likelihood integrand's inner loop).
struct d_terms {
    double log_d, inverse, share;
};
d_terms d_terms_at(const ggom_nbd_params& p, double y) {
    const double by = p.b * y;
    if (by <= 30.0) {
        const double em1 = std::expm1(by);
        const double d = p.beta + em1;
        const double inv = 1.0 / d;
        return {std::log(d), inv, (1.0 + em1) * inv};
    }
    const double tail = (p.beta - 1.0) * std::exp(-by); // d = e^{by} (1 + tail)
    const double ld = by + std::log1p(tail);
    return {ld, std::exp(-ld), 1.0 / (1.0 + tail)};
}

/// e^{b T} / (beta + e^{b T} - 1).
double growth_share(const ggom_nbd_params& p, double y) {
    return d_terms_at(p, y).share;
}

/// log S(t) = s (log beta - log(beta + e^{b t} - 1)).
double log_survival(const ggom_nbd_params& p, double t) {
    return p.s * (std::log(p.beta) - log_d(p, t));
}

/// I and its five derivatives, and the integrals of their absolute values.
constexpr int components = 6;
using vec6 = std::array<double, components>;

/// The integrals of a 6-vector integrand and of its components' absolute values.
struct integral6 {
    vec6 value{};
    vec6 abs{};
};

/// Adaptive Gauss-Kronrod (7-15) of a 6-vector integrand on [a, b]: a panel is split while,
/// for some component j, its Gauss-Kronrod difference exceeds `tolerance` times the panel's
/// integral of |f_j| and the panel's share `abs_tol[j]` of the whole's tolerance. `used`
/// components (1 or 6) are integrated.
template <class F>
integral6 adaptive_gauss_kronrod(F& f, double a, double b, unsigned depth, vec6 abs_tol, int used,
                                 double tolerance) {
    using kronrod = boost::math::quadrature::gauss_kronrod<double, 15>;
    using gauss = boost::math::quadrature::gauss<double, 7>;
    const auto& xk = kronrod::abscissa();
    const auto& wk = kronrod::weights();
    const auto& wg = gauss::weights();
    const double mid = (a + b) / 2, half = (b - a) / 2;
    vec6 k{}, g{}, ka{};
    const vec6 f0 = f(mid);
    for (int j = 0; j < used; ++j) {
        k[j] = f0[j] * wk[0];
        g[j] = f0[j] * wg[0];
        ka[j] = std::abs(f0[j]) * wk[0];
    }
    for (std::size_t i = 1; i < xk.size(); ++i) {
        const vec6 fp = f(mid + half * xk[i]), fm = f(mid - half * xk[i]);
        for (int j = 0; j < used; ++j) {
            k[j] += (fp[j] + fm[j]) * wk[i];
            ka[j] += (std::abs(fp[j]) + std::abs(fm[j])) * wk[i];
            if (i % 2 == 0) g[j] += (fp[j] + fm[j]) * wg[i / 2];
        }
    }
    bool split = false;
    for (int j = 0; j < used; ++j) {
        k[j] *= half;
        g[j] *= half;
        ka[j] *= half;
        if (abs_tol[j] == 0.0) abs_tol[j] = tolerance * ka[j];
        const double err = std::abs(k[j] - g[j]);
        if (err > tolerance * ka[j] && err > abs_tol[j]) split = true;
    }
    if (!split || depth == 0) return {k, ka};
    for (double& t : abs_tol)
        t /= 2;
    const integral6 left = adaptive_gauss_kronrod(f, a, mid, depth - 1, abs_tol, used, tolerance);
    const integral6 right = adaptive_gauss_kronrod(f, mid, b, depth - 1, abs_tol, used, tolerance);
    for (int j = 0; j < used; ++j) {
        k[j] = left.value[j] + right.value[j];
        ka[j] = left.abs[j] + right.abs[j];
    }
    return {k, ka};
}

/// A log value and its gradient in (r, alpha, b, s, beta).
struct log_grad {
    double value = 0.0;
    std::array<double, 5> grad{};
};

/// log(g(t) (alpha+t)), g(y) = (alpha+y)^-(r+x) e^{b y} (beta + e^{b y} - 1)^-(s+1): the scale
/// of the integrals from t (`rx` = r + x, `s1` = s + 1).
double log_scale_at(const ggom_nbd_params& p, double rx, double s1, double t) {
    return (1.0 - rx) * std::log(p.alpha + t) + p.b * t - s1 * log_d(p, t);
}

/// The integral of g over [a, b] (a < b) and of g times the five derivatives of log g in
/// (r, alpha, b, s, beta), each divided by e^{log_scale}, log_scale = log_scale_at(a): in
/// u = log((alpha+y)/(alpha+a)), dy = (alpha+y) du, g (alpha+y) is written relative to its
/// value at a, so the integrand is 1 at the start and the (alpha+y)^-(r+x) factor of heavy
/// buyers becomes the smooth exp(-(r+x-1) u). `value` and `abs` as `integral6`.
struct panel {
    double log_scale;
    integral6 integrals;
};
panel panel_integral(const ggom_nbd_params& p, double x, double a, double b, bool with_gradient,
                     double tolerance) {
    const double a0 = p.alpha + a;
    const double rx = p.r + x, s1 = p.s + 1.0;
    const double upper = std::log1p((b - a) / a0);
    const double log_a0 = std::log(a0), log_d_a = log_d(p, a);
    auto f = [&](double u) {
        const double em1 = std::expm1(u);
        const double ay = a0 + a0 * em1; // alpha + y
        const double y = a + a0 * em1;
        const d_terms d = d_terms_at(p, y);
        // log(g(y) (alpha+y)) - log_scale
        const double v = std::exp(-(rx - 1.0) * u + p.b * (y - a) - s1 * (d.log_d - log_d_a));
        if (!with_gradient) return vec6{v, 0, 0, 0, 0, 0};
        return vec6{v,
                    -(log_a0 + u) * v,
                    -rx / ay * v,
                    y * (1.0 - s1 * d.share) * v,
                    -d.log_d * v,
                    -s1 * d.inverse * v};
    };
    return {log_scale_at(p, rx, s1, a),
            adaptive_gauss_kronrod(f, 0.0, upper, integral_depth, vec6{},
                                   with_gradient ? components : 1, tolerance)};
}

/// log I and d log I / d(r, alpha, b, s, beta), I = integral_{t_x}^{T} g(y) dy, t_x < T, by one
/// adaptive pass over [t_x, T] (`panel_integral`).
log_grad log_integral(const ggom_nbd_params& p, double x, double tx, double T, bool with_gradient) {
    const panel pan = panel_integral(p, x, tx, T, with_gradient, integral_tolerance);
    const vec6& j = pan.integrals.value;
    log_grad out;
    out.value = pan.log_scale + std::log(j[0]);
    if (with_gradient)
        for (int k = 0; k < 5; ++k)
            out.grad[k] = j[k + 1] / j[0];
    return out;
}

/// The integrals I(t_x, T) of rows sharing x from one set of panels. The distinct times
/// t_1 < ... < t_m of the rows' t_x and T cut [t_1, t_m] into panels (`panel_integral` at
/// `panel_tolerance`); the tail integrals G(t_k) = integral_{t_k}^{t_m} are their suffix sums,
/// kept as e^{L_k} S_k with L_k = log_scale_at(t_k), and a row's
///     I = G(t_x) - G(T) = e^{L(t_x)} (S(t_x) - e^{L(T) - L(t_x)} S(T)),
/// component by component. CDNOW's 8,685 distinct rows need 2,112 panels this way, short ones,
/// where the direct integral takes one pass over [t_x, T] per row. The subtraction loses what
/// the tail beyond T adds: a row whose tail integral of some |f_j| from t_x exceeds
/// `max_tail_ratio` times its own (so a growing integrand) is integrated directly instead. A row
/// alone (one panel) is integrated at `panel_tolerance`, tighter than the direct integral's
/// `integral_tolerance`, so at some extra cost (a fit with a continuous covariate has runs of
/// one row). Which rows share panels depends on how the fit splits its rows into chunks (the
/// thread count, Spark's partitions), so fits on 1 or 2 threads of 2^15 rows or more may differ
/// at the 1e-9 relative level of the integrals, not only by the order of sums.
class shared_integrals {
public:
    /// Computes row k's log I and gradient for rows k of (tx, T) with tx[k] < T[k], all at x.
    void compute(const ggom_nbd_params& p, double x, std::span<const double> tx,
                 std::span<const double> T, bool with_gradient) {
        const std::size_t n = tx.size();
        m_points.clear();
        for (std::size_t k = 0; k < n; ++k)
            if (tx[k] < T[k]) {
                m_points.push_back(tx[k]);
                m_points.push_back(T[k]);
            }
        std::sort(m_points.begin(), m_points.end());
        m_points.erase(std::unique(m_points.begin(), m_points.end()), m_points.end());
        const std::size_t m = m_points.size();
        m_rows.assign(n, log_grad{});
        if (m == 0) return;
        const int used = with_gradient ? components : 1;
        m_scale.resize(m);
        m_sum.resize(m);
        m_abs.resize(m);
        m_scale[m - 1] = log_scale_at(p, p.r + x, p.s + 1.0, m_points[m - 1]);
        m_sum[m - 1] = vec6{};
        m_abs[m - 1] = vec6{};
        for (std::size_t k = m - 1; k-- > 0;) {
            const panel pan =
                panel_integral(p, x, m_points[k], m_points[k + 1], with_gradient, panel_tolerance);
            m_scale[k] = pan.log_scale;
            const double carry = std::exp(m_scale[k + 1] - m_scale[k]);
            for (int j = 0; j < used; ++j) {
                m_sum[k][j] = pan.integrals.value[j] + carry * m_sum[k + 1][j];
                m_abs[k][j] = pan.integrals.abs[j] + carry * m_abs[k + 1][j];
            }
        }
        for (std::size_t k = 0; k < n; ++k) {
            if (!(tx[k] < T[k])) continue;
            const std::size_t a = index_of(tx[k]), b = index_of(T[k]);
            const double rho = std::exp(m_scale[b] - m_scale[a]);
            bool direct = false;
            vec6 own{};
            for (int j = 0; j < used; ++j) {
                own[j] = m_sum[a][j] - rho * m_sum[b][j];
                const double own_abs = m_abs[a][j] - rho * m_abs[b][j];
                // not (tail <= ratio * own): also a NaN or an infinite carry
                if (!(m_abs[a][j] <= max_tail_ratio * own_abs) || !std::isfinite(m_abs[a][j]))
                    direct = true;
            }
            if (direct || !(own[0] > 0.0)) {
                m_rows[k] = log_integral(p, x, tx[k], T[k], with_gradient);
                continue;
            }
            log_grad& out = m_rows[k];
            out.value = m_scale[a] + std::log(own[0]);
            if (with_gradient)
                for (int j = 0; j < 5; ++j)
                    out.grad[j] = own[j + 1] / own[0];
        }
    }

    /// Row k's log I and gradient (rows with t_x < T).
    const log_grad& row(std::size_t k) const { return m_rows[k]; }

private:
    std::size_t index_of(double t) const {
        return static_cast<std::size_t>(std::lower_bound(m_points.begin(), m_points.end(), t) -
                                        m_points.begin());
    }
    std::vector<double> m_points, m_scale;
    std::vector<vec6> m_sum, m_abs;
    std::vector<log_grad> m_rows;
};

/// The pieces of the likelihood: log of the alive part, log L and its gradient.
struct likelihood_parts {
    double log_alive; ///< log G (alpha+T)^-(r+x) S(T)
    log_grad loglik;  ///< log L and its gradient
};

/// The log-likelihood of customers at one parameter vector, with what consecutive rows share
/// cached: the terms of one x (lgamma, digamma), of one T, and the last row's integral when
/// (x, t_x, T) repeats.
class evaluator {
public:
    evaluator(const ggom_nbd_params& p, bool with_gradient)
        : m_p(p), m_grad(with_gradient), m_log_alpha(std::log(p.alpha)),
          m_log_beta(std::log(p.beta)), m_log_b(std::log(p.b)), m_log_s(std::log(p.s)) {}

    /// `integral`, when given, is the row's log I and gradient already computed (t_x < T).
    likelihood_parts operator()(double x, double tx, double T, const log_grad* integral = nullptr) {
        const ggom_nbd_params& p = m_p;
        if (x != m_x) {
            m_x = x;
            m_lgamma_ratio = detail::lgam(p.r + x) - detail::lgam(p.r);
            m_digamma_difference = m_grad ? detail::digamma(p.r + x) - detail::digamma(p.r) : 0.0;
        }
        if (T != m_T) {
            m_T = T;
            m_lat = std::log(p.alpha + T);
            m_ldT = log_d(p, T);
            m_shareT = growth_share(p, T);
        }
        // log of the alive part without G: -(r+x) log(alpha+T) + s log beta - s log d(T)
        const double log_a = -(p.r + x) * m_lat + p.s * (m_log_beta - m_ldT);
        std::array<double, 5> ga{-m_lat, -(p.r + x) / (p.alpha + T), -p.s * T * m_shareT,
                                 m_log_beta - m_ldT, p.s / p.beta - p.s * std::exp(-m_ldT)};
        double log_sum = log_a;
        std::array<double, 5> g = ga;
        if (tx < T) {
            // log of the dead part without G: log b + log s + s log beta + log I
            log_grad d = integral != nullptr ? *integral : log_integral(p, x, tx, T, m_grad);
            d.value += m_log_b + m_log_s + p.s * m_log_beta;
            d.grad[2] += 1.0 / p.b;
            d.grad[3] += 1.0 / p.s + m_log_beta;
            d.grad[4] += p.s / p.beta;
            if (d.value > -std::numeric_limits<double>::infinity()) {
                const double hi = std::max(log_a, d.value);
                const double wa = std::exp(log_a - hi), wd = std::exp(d.value - hi);
                log_sum = hi + std::log(wa + wd);
                const double share_a = wa / (wa + wd);
                for (int k = 0; k < 5; ++k)
                    g[k] = share_a * ga[k] + (1.0 - share_a) * d.grad[k];
            }
        }
        likelihood_parts out{};
        const double log_front = m_lgamma_ratio + p.r * m_log_alpha;
        out.log_alive = log_front + log_a;
        out.loglik.value = log_front + log_sum;
        if (m_grad) {
            out.loglik.grad = g;
            out.loglik.grad[0] += m_digamma_difference + m_log_alpha;
            out.loglik.grad[1] += p.r / p.alpha;
        }
        return out;
    }

private:
    ggom_nbd_params m_p;
    bool m_grad;
    double m_log_alpha, m_log_beta, m_log_b, m_log_s;
    double m_x = -1.0, m_lgamma_ratio = 0.0, m_digamma_difference = 0.0;
    double m_T = -1.0, m_lat = 0.0, m_ldT = 0.0, m_shareT = 0.0;
};

void check_params(const ggom_nbd_params& p) {
    detail::check_positive_param(model_name, "r", p.r);
    detail::check_positive_param(model_name, "alpha", p.alpha);
    detail::check_positive_param(model_name, "b", p.b);
    detail::check_positive_param(model_name, "s", p.s);
    detail::check_positive_param(model_name, "beta", p.beta);
}

double p_alive_unchecked(const ggom_nbd_params& p, double x, double tx, double T) {
    const likelihood_parts l = evaluator(p, false)(x, tx, T);
    return std::min(1.0, std::exp(l.log_alive - l.loglik.value));
}

/// integral_T^{T+t} exp(s (log d(T) - log d(u))) du: the expected time alive in (T, T+t] of a
/// customer alive at T.
double expected_time_alive(const ggom_nbd_params& p, double t, double T) {
    if (t == 0.0) return 0.0;
    const double ldT = log_d(p, T);
    auto f = [&](double v) { return std::exp(p.s * (ldT - log_d(p, T + v))); };
    return gauss_kronrod::integrate(f, 0.0, t, prediction_depth, prediction_tolerance);
}

} // namespace

namespace detail {

double p_alive_row(const ggom_nbd_params& p, double x, double tx, double T) {
    return p_alive_unchecked(p, x, tx, T);
}

double alive_expected_purchases(const ggom_nbd_params& p, double t, double x, double T) {
    return (p.r + x) / (p.alpha + T) * expected_time_alive(p, t, T);
}

} // namespace detail

namespace {

// The alive part times P(alive), as the span version computes it per unique row (before this
// split the product ran P(alive) (r + x) / (alpha + T) eta, a rounding apart).
double conditional_expected_unchecked(const ggom_nbd_params& p, double t, double x, double tx,
                                      double T) {
    return detail::alive_expected_purchases(p, t, x, T) * p_alive_unchecked(p, x, tx, T);
}

/// log NB(n; r, alpha, u) (0 purchases of n > 0 at u = 0: -inf).
double log_nbd(const ggom_nbd_params& p, int n, double log_coef, double u) {
    const double lau = std::log(p.alpha + u);
    return log_coef + p.r * (std::log(p.alpha) - lau) + (n == 0 ? 0.0 : n * (std::log(u) - lau));
}

double probability_unchecked(const ggom_nbd_params& p, double t, int n) {
    const double nd = n;
    const double log_coef = detail::lgam(p.r + nd) - detail::lgam(p.r) - detail::lgam(nd + 1.0);
    if (t == 0.0) return n == 0 ? 1.0 : 0.0;
    const double alive = std::exp(log_nbd(p, n, log_coef, t) + log_survival(p, t));
    const double log_bs = std::log(p.b) + std::log(p.s) + p.s * std::log(p.beta);
    auto f = [&](double u) {
        if (u <= 0.0 && n > 0) return 0.0;
        return std::exp(log_nbd(p, n, log_coef, u) + log_bs + p.b * u - (p.s + 1.0) * log_d(p, u));
    };
    const double dead = gauss_kronrod::integrate(f, 0.0, t, prediction_depth, prediction_tolerance);
    return alive + dead;
}

} // namespace

double log_likelihood(const ggom_nbd_params& params, double x, double tx, double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    return evaluator(params, false)(x, tx, T).loglik.value;
}

ggom_nbd_loglik log_likelihood_gradient(const ggom_nbd_params& params, double x, double tx,
                                        double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    const log_grad l = evaluator(params, true)(x, tx, T).loglik;
    return {l.value, l.grad};
}

double p_alive(const ggom_nbd_params& params, double x, double tx, double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    return p_alive_unchecked(params, x, tx, T);
}

double expected_purchases(const ggom_nbd_params& params, double t) {
    check_params(params);
    detail::check_horizon(t);
    if (t == 0.0) return 0.0;
    auto f = [&](double u) { return std::exp(log_survival(params, u)); };
    return params.r / params.alpha *
           gauss_kronrod::integrate(f, 0.0, t, prediction_depth, prediction_tolerance);
}

double conditional_expected_purchases(const ggom_nbd_params& params, double t, double x, double tx,
                                      double T) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_customer(x, tx, T);
    return conditional_expected_unchecked(params, t, x, tx, T);
}

double probability_of_purchases(const ggom_nbd_params& params, double t, int n) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_purchase_count(n);
    return probability_unchecked(params, t, n);
}

std::vector<double> p_alive(const ggom_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T) {
    check_params(params);
    return detail::p_alive_by_rows(params, x, tx, T);
}

std::vector<double> conditional_expected_purchases(const ggom_nbd_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T) {
    check_params(params);
    detail::check_horizon(t);
    return detail::expected_by_rows(params, t, x, tx, T);
}

namespace {

/// Calls fn(i, log L_i with its gradient) for rows [begin, end), the likelihood integrals of
/// each run of rows sharing x from one set of panels (`shared_integrals`).
template <class Fn>
void for_each_row(const ggom_nbd_params& params, std::span<const double> x,
                  std::span<const double> tx, std::span<const double> T, std::size_t begin,
                  std::size_t end, Fn&& fn) {
    evaluator eval(params, true);
    shared_integrals integrals;
    for (std::size_t i = begin; i < end;) {
        // a run of rows sharing x (the fit's rows come sorted by x)
        std::size_t e = i + 1;
        while (e < end && x[e] == x[i])
            ++e;
        integrals.compute(params, x[i], tx.subspan(i, e - i), T.subspan(i, e - i), true);
        for (std::size_t k = i; k < e; ++k)
            fn(k, eval(x[k], tx[k], T[k], &integrals.row(k - i)).loglik);
        i = e;
    }
}

} // namespace

namespace detail {

void ggom_nbd_add_loglik(const ggom_nbd_params& params, std::span<const double> x,
                         std::span<const double> tx, std::span<const double> T,
                         std::span<const double> weight, std::size_t begin, std::size_t end,
                         double& ll, std::span<double, 5> grad) {
    for_each_row(params, x, tx, T, begin, end, [&](std::size_t k, const log_grad& l) {
        ll += weight[k] * l.value;
        for (int j = 0; j < 5; ++j)
            grad[j] += weight[k] * l.grad[j];
    });
}

void ggom_nbd_row_logliks(const ggom_nbd_params& params, std::span<const double> x,
                          std::span<const double> tx, std::span<const double> T,
                          std::size_t begin, std::size_t end, std::span<ggom_nbd_loglik> out) {
    for_each_row(params, x, tx, T, begin, end,
                 [&](std::size_t k, const log_grad& l) { out[k - begin] = {l.value, l.grad}; });
}

} // namespace detail

fit_result fit_ggom_nbd(const compressed_summary& rows, const fit_options& options) {
    const std::size_t n = rows.size();
    if (n == 0) throw invalid_argument("fit_ggom_nbd", "no customers");
    const detail::scaled_rows scaled = detail::scale_times(rows);
    const detail::loglik_kernel kernel = [&](std::span<const double> p, std::size_t b,
                                             std::size_t e, double& ll,
                                             Eigen::Ref<Eigen::VectorXd> g) {
        std::array<double, 5> gr{};
        detail::ggom_nbd_add_loglik({p[0], p[1], p[2], p[3], p[4]}, rows.frequency, scaled.recency,
                                    scaled.T, rows.weight, b, e, ll, gr);
        for (int j = 0; j < 5; ++j)
            g[j] += gr[j];
    };
    return detail::fit_time_scaled(purchase_model_kind::ggom_nbd, kernel, n, rows.total_weight,
                                   scaled.weighted_frequency, scaled.scale, options);
}

ggom_nbd_params ggom_nbd_params_from(const fit_result& fit) {
    if (fit.names != std::vector<std::string>{"r", "alpha", "b", "s", "beta"} ||
        fit.params.size() != 5)
        throw invalid_argument("ggom_nbd_params_from",
                               "the fit is not a GGompertz/NBD fit (expected parameters r, "
                               "alpha, b, s, beta)");
    return {fit.params[0], fit.params[1], fit.params[2], fit.params[3], fit.params[4]};
}

CUSTOMETRICS_END_NAMESPACE
