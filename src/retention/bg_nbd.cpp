// BG/NBD: likelihood and gradient, fit, P(alive) and forecasts (see
// custometrics/retention/bg_nbd.hpp for the formulas and their numerical treatment).
#include "custometrics/retention/bg_nbd.hpp"

#include "custometrics/retention/partition.hpp"

#include "customer_checks.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "special.hpp"

#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

using detail::digamma;
using detail::format_number;
using detail::lgam;

void check_params(const bg_nbd_params& p) {
    detail::check_positive_param("bg_nbd", "r", p.r);
    detail::check_positive_param("bg_nbd", "alpha", p.alpha);
    detail::check_positive_param("bg_nbd", "a", p.a);
    detail::check_positive_param("bg_nbd", "b", p.b);
}

// The terms of log L and its gradient that depend on the parameters and x only.
struct x_terms {
    double x = -1;
    double lg = 0;     // lgamma/lbeta part of log L
    double dr = 0;     // its derivative in r (with log alpha)
    double da = 0;     // in a
    double db = 0;     // in b
    double log_k = 0;  // log(a / (b + x - 1)), x > 0
    double inv_bx = 0; // 1 / (b + x - 1), x > 0
};

struct param_terms {
    double r, alpha, a, b, log_alpha, lg_r, lg_ab, lg_b, dg_r, dg_ab, dg_b, log_a, r_over_alpha,
        inv_a;
    explicit param_terms(const bg_nbd_params& p)
        : r(p.r), alpha(p.alpha), a(p.a), b(p.b), log_alpha(std::log(p.alpha)), lg_r(lgam(p.r)),
          lg_ab(lgam(p.a + p.b)), lg_b(lgam(p.b)), dg_r(digamma(p.r)), dg_ab(digamma(p.a + p.b)),
          dg_b(digamma(p.b)), log_a(std::log(p.a)), r_over_alpha(p.r / p.alpha), inv_a(1 / p.a) {}

    void set(x_terms& t, double x) const {
        t.x = x;
        const double dg_abx = digamma(a + b + x);
        t.lg = lgam(r + x) - lg_r + r * log_alpha + lg_ab + lgam(b + x) - lg_b - lgam(a + b + x);
        t.dr = digamma(r + x) - dg_r + log_alpha;
        t.da = dg_ab - dg_abx;
        t.db = dg_ab + digamma(b + x) - dg_b - dg_abx;
        if (x > 0) {
            t.inv_bx = 1.0 / (b + x - 1);
            t.log_k = log_a + std::log(t.inv_bx);
        }
    }

    // Adds w log L and w d log L to ll and g, given the x-terms and log(alpha + T),
    // 1/(alpha + T), log(alpha + t_x), 1/(alpha + t_x) (the last two unused when x = 0).
    void add(const x_terms& t, double log_aT, double inv_aT, double log_atx, double inv_atx,
             double w, double& ll, double* g) const {
        const double rx = r + t.x;
        const double a3 = -rx * log_aT;
        double lse = a3;
        double p3 = 1; // weight of the "alive at T" term
        double p4 = 0; // weight of the "dropped out after the last purchase" term
        if (t.x > 0) {
            const double a4 = t.log_k - rx * log_atx;
            const double e = std::exp(-std::abs(a3 - a4));
            const double s = 1 / (1 + e);
            // log(1 + e), not log1p: its absolute error (~1e-16) is what the sum needs, at a
            // third of log1p's cost.
            lse = std::max(a3, a4) + std::log(1 + e);
            p3 = (a3 >= a4 ? 1 : e) * s;
            p4 = (a3 >= a4 ? e : 1) * s;
        } else {
            log_atx = 0;
            inv_atx = 0;
        }
        ll += w * (t.lg + lse);
        g[0] += w * (t.dr - p3 * log_aT - p4 * log_atx);
        g[1] += w * (r_over_alpha - rx * (p3 * inv_aT + p4 * inv_atx));
        g[2] += w * (t.da + p4 * inv_a);
        g[3] += w * (t.db - p4 * t.inv_bx);
    }
};

// log-odds of "dropped out" against "alive" (x > 0).
double dead_log_odds(const bg_nbd_params& p, double x, double tx, double T) {
    return (p.r + x) * std::log1p((T - tx) / (p.alpha + tx)) + std::log(p.a / (p.b + x - 1));
}

double p_alive_unchecked(const bg_nbd_params& p, double x, double tx, double T) {
    if (x == 0) return 1.0;
    const double d = dead_log_odds(p, x, tx, T);
    if (d > 0) {
        const double e = std::exp(-d);
        return e / (1 + e);
    }
    return 1 / (1 + std::exp(d));
}

} // namespace

namespace detail {

double p_alive_row(const bg_nbd_params& p, double x, double tx, double T) {
    return p_alive_unchecked(p, x, tx, T);
}

double alive_expected_purchases(const bg_nbd_params& p, double t, double x, double T) {
    if (t == 0) return 0.0;
    const double c = p.a + p.b + x - 1;
    if (!(c > 0))
        throw invalid_argument("bg_nbd", "a + b + x - 1 = " + format_number(c) +
                                             " is not positive: the forecast needs a + b > 1");
    const double u = t / (p.alpha + T);
    const double z = t / (p.alpha + T + t);
    return c * detail::bg_nbd_growth(p.a, c, p.a + p.b - 1 - p.r, z, -std::log1p(u));
}

} // namespace detail

namespace {

// (c G) P(alive), in that order: the span version's product per unique row is the same number.
double conditional_unchecked(const bg_nbd_params& p, double t, double x, double tx, double T) {
    if (t == 0) return 0.0;
    return detail::alive_expected_purchases(p, t, x, T) * p_alive_unchecked(p, x, tx, T);
}

} // namespace

namespace detail {

double bg_nbd_growth(double a, double c, double c_minus_a, double z, double log1mz) {
    // U = sum_{n>=1} u_n, u_1 = (C-A) z / C, u_{n+1} = u_n (C-A+n)(a-1+n) z / ((C+n)(n+1)).
    constexpr int max_terms = 1'000'000;
    constexpr double tiny = 0x1p-55;
    double term = c_minus_a * z / c;
    double sum = term;
    const double extra = std::max(0.0, a - 2);
    // For large a (CLVTools' BG/NBD with covariates runs a to 10^3 and beyond, apparel) U grows
    // like (1-z)^-(a-1) and overflows a double: the sum and the term are then carried as
    // value * e^log_scale, rescaled by 2^-900 whenever the sum passes 2^800.
    double log_scale = 0.0;
    int n = 1;
    for (; n < max_terms; ++n) {
        term *= (c_minus_a + n) * (a - 1 + n) * z / ((c + n) * (n + 1));
        sum += term;
        if (std::abs(sum) > 0x1p800) {
            sum *= 0x1p-900;
            term *= 0x1p-900;
            log_scale += 900 * std::numbers::ln2;
        }
        if (n + 1 > -c_minus_a) {
            const double q = z * (1 + extra / (n + 2));
            if (q < 1 && std::abs(term) * q / (1 - q) <= tiny * std::abs(sum)) break;
        }
        if (term == 0) break;
    }
    if (n >= max_terms)
        throw invalid_argument("bg_nbd", "the horizon is too long for the hypergeometric series "
                                         "(z = " +
                                             format_number(z) + ", more than 10^6 terms)");
    const double eps = a - 1;
    if (log_scale > 0) {
        // L = (a-1) log(1-z) + log(1 + (a-1) U) with (a-1) U > 2^800 e^log_scale: the 1 is
        // below rounding; a > 2 here (U only grows so when a - 1 + n outgrows (n + 1) / z).
        if (!(sum > 0 && eps > 0))
            throw error("bg_nbd: hypergeometric series lost its accuracy (rescaled sum " +
                        format_number(sum) + ")");
        const double L = eps * log1mz + std::log(eps) + std::log(sum) + log_scale;
        return -std::expm1(L) / eps;
    }
    const double v = eps * sum;
    if (!(v > -1))
        throw error("bg_nbd: hypergeometric series lost its accuracy (1 + (a-1) U = " +
                    format_number(1 + v) + ")");
    const double q = v == 0 ? 1.0 : std::log1p(v) / v;
    const double l_over_eps = log1mz + sum * q;
    const double l = eps * l_over_eps;
    const double em = l == 0 ? 1.0 : std::expm1(l) / l;
    return -em * l_over_eps;
}

void bg_nbd_add_loglik(const bg_nbd_params& params, std::span<const double> x,
                       std::span<const double> tx, std::span<const double> T,
                       std::span<const double> weight, std::size_t begin, std::size_t end,
                       double& ll, std::span<double, 4> grad) {
    const param_terms pt(params);
    x_terms xt;
    double last_T = std::numeric_limits<double>::quiet_NaN();
    double log_aT = 0;
    double inv_aT = 0;
    double g[4] = {0, 0, 0, 0};
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) {
        if (x[i] != xt.x) pt.set(xt, x[i]);
        if (T[i] != last_T) {
            last_T = T[i];
            log_aT = std::log(params.alpha + T[i]);
            inv_aT = 1 / (params.alpha + T[i]);
        }
        pt.add(xt, log_aT, inv_aT, std::log(params.alpha + tx[i]), 1 / (params.alpha + tx[i]),
               weight[i], sum, g);
    }
    ll += sum;
    for (int j = 0; j < 4; ++j)
        grad[j] += g[j];
}

} // namespace detail

namespace {

// The fit's rows with their times replaced by indexes into a table of the distinct time values
// (t_x and T together): one log and one division per distinct time and evaluation instead of
// per row (generated daily data: ~700 distinct times for ~400k rows at 10^6 customers).
struct indexed_rows {
    std::vector<double> times;
    std::vector<std::uint32_t> tx;
    std::vector<std::uint32_t> T;
};

indexed_rows index_times(std::span<const double> tx, std::span<const double> T) {
    indexed_rows out;
    const std::size_t n = tx.size();
    std::size_t cap = 64;
    while (cap < 4 * n)
        cap <<= 1;
    std::vector<std::uint32_t> slot(cap, std::numeric_limits<std::uint32_t>::max());
    auto id = [&](double t) {
        std::uint64_t h = std::bit_cast<std::uint64_t>(t) * 0x9e3779b97f4a7c15ULL;
        std::size_t s = (h ^ (h >> 29)) & (cap - 1);
        for (;;) {
            const std::uint32_t v = slot[s];
            if (v == std::numeric_limits<std::uint32_t>::max()) {
                slot[s] = static_cast<std::uint32_t>(out.times.size());
                out.times.push_back(t);
                return slot[s];
            }
            if (out.times[v] == t) return v;
            s = (s + 1) & (cap - 1);
        }
    };
    out.tx.resize(n);
    out.T.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.tx[i] = id(tx[i]);
        out.T[i] = id(T[i]);
    }
    return out;
}

} // namespace

fit_result fit_bg_nbd(const compressed_summary& rows, const fit_options& options) {
    const std::size_t n = rows.size();
    if (n == 0) throw invalid_argument("fit_bg_nbd", "no customers");
    // Times in units of the largest T, as lifetimes fits (see the file comment).
    const detail::scaled_rows scaled = detail::scale_times(rows);
    const std::vector<double>& tx = scaled.recency;
    const std::vector<double>& T = scaled.T;
    const indexed_rows ix = index_times(tx, T);
    const bool direct = ix.times.size() > n / 4;
    const detail::loglik_kernel kernel = [&](std::span<const double> p, std::size_t b,
                                             std::size_t e, double& ll,
                                             Eigen::Ref<Eigen::VectorXd> g) {
        const bg_nbd_params q{p[0], p[1], p[2], p[3]};
        if (direct) { // nearly every time distinct (continuous times): no table
            double gr[4] = {0, 0, 0, 0};
            detail::bg_nbd_add_loglik(q, rows.frequency, tx, T, rows.weight, b, e, ll, gr);
            for (int j = 0; j < 4; ++j)
                g[j] += gr[j];
            return;
        }
        const param_terms pt(q);
        // The time table for this chunk (each chunk builds its own: no shared state).
        const std::size_t m = ix.times.size();
        std::vector<double> log_at(m);
        std::vector<double> inv_at(m);
        for (std::size_t j = 0; j < m; ++j) {
            log_at[j] = std::log(q.alpha + ix.times[j]);
            inv_at[j] = 1 / (q.alpha + ix.times[j]);
        }
        const auto [lo, hi] = std::minmax_element(log_at.begin(), log_at.end());
        const double log_range = *hi - *lo;
        x_terms xt;
        double gr[4] = {0, 0, 0, 0};
        double sum = 0;
        std::vector<double> pw(m);     // (alpha + t_j)^(r + x), one x at a time
        std::vector<double> inv_pw(m); // its inverse
        for (std::size_t i = b; i < e;) {
            const double x = rows.frequency[i];
            pt.set(xt, x);
            std::size_t end = i;
            while (end < e && rows.frequency[end] == x)
                ++end;
            const double rx = q.r + x;
            // The rows of one x > 0: when they outnumber the times and every power is a normal
            // number (rx times the spread of the logs below ~600, far from exp's 709), the
            // odds q = exp(a4 - a3) = a/(b+x-1) (alpha+T)^rx / (alpha+t_x)^rx are a product of
            // table values, so a row needs one log and one division (log(e^a3 + e^a4) =
            // a3 + log(1 + q)) instead of `add`'s exp, log and division. Same value and
            // gradient to rounding.
            if (x > 0 && end - i >= m && rx * log_range < 600 && std::abs(xt.log_k) < 100) {
                for (std::size_t j = 0; j < m; ++j) {
                    pw[j] = std::exp(rx * log_at[j]);
                    inv_pw[j] = 1 / pw[j];
                }
                const double k = std::exp(xt.log_k);
                double sw = 0;
                double s_lse = 0;
                double s0 = 0;
                double s1 = 0;
                double s4 = 0;
                for (; i < end; ++i) {
                    const std::uint32_t jT = ix.T[i];
                    const std::uint32_t jtx = ix.tx[i];
                    const double w = rows.weight[i];
                    const double odds = k * pw[jT] * inv_pw[jtx];
                    const double p3 = 1 / (1 + odds);
                    const double p4 = odds * p3;
                    sw += w;
                    s_lse += w * (std::log(1 + odds) - rx * log_at[jT]);
                    s0 += w * (p3 * log_at[jT] + p4 * log_at[jtx]);
                    s1 += w * (p3 * inv_at[jT] + p4 * inv_at[jtx]);
                    s4 += w * p4;
                }
                sum += sw * xt.lg + s_lse;
                gr[0] += sw * xt.dr - s0;
                gr[1] += sw * pt.r_over_alpha - rx * s1;
                gr[2] += sw * xt.da + s4 * pt.inv_a;
                gr[3] += sw * xt.db - s4 * xt.inv_bx;
                continue;
            }
            for (; i < end; ++i)
                pt.add(xt, log_at[ix.T[i]], inv_at[ix.T[i]], log_at[ix.tx[i]], inv_at[ix.tx[i]],
                       rows.weight[i], sum, gr);
        }
        ll += sum;
        for (int j = 0; j < 4; ++j)
            g[j] += gr[j];
    };
    return detail::fit_time_scaled(purchase_model_kind::bg_nbd, kernel, n, rows.total_weight,
                                   scaled.weighted_frequency, scaled.scale, options);
}

bg_nbd_params bg_nbd_params_from(const fit_result& fit) {
    if (fit.names != std::vector<std::string>{"r", "alpha", "a", "b"} || fit.params.size() != 4)
        throw invalid_argument("bg_nbd_params_from", "the fit is not a BG/NBD fit (parameters " +
                                                         std::to_string(fit.names.size()) +
                                                         ": expected r, alpha, a, b)");
    return {fit.params[0], fit.params[1], fit.params[2], fit.params[3]};
}

bg_nbd_loglik log_likelihood_gradient(const bg_nbd_params& params, double x, double tx, double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    bg_nbd_loglik out{0.0, {0, 0, 0, 0}};
    const double w = 1;
    detail::bg_nbd_add_loglik(params, {&x, 1}, {&tx, 1}, {&T, 1}, {&w, 1}, 0, 1, out.value,
                              out.gradient);
    return out;
}

double log_likelihood(const bg_nbd_params& params, double x, double tx, double T) {
    return log_likelihood_gradient(params, x, tx, T).value;
}

double p_alive(const bg_nbd_params& params, double x, double tx, double T) {
    check_params(params);
    detail::check_customer(x, tx, T);
    return p_alive_unchecked(params, x, tx, T);
}

double expected_purchases(const bg_nbd_params& params, double t) {
    check_params(params);
    detail::check_horizon(t);
    if (t == 0) return 0.0;
    const double c = params.a + params.b - 1;
    if (!(c > 0))
        throw invalid_argument("bg_nbd", "a + b - 1 = " + format_number(c) +
                                             " is not positive: E[X(t)] needs a + b > 1");
    const double u = t / params.alpha;
    return c * detail::bg_nbd_growth(params.a, c, c - params.r, u / (1 + u), -std::log1p(u));
}

double conditional_expected_purchases(const bg_nbd_params& params, double t, double x, double tx,
                                      double T) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_customer(x, tx, T);
    return conditional_unchecked(params, t, x, tx, T);
}

double probability_of_purchases(const bg_nbd_params& params, double t, int n) {
    check_params(params);
    detail::check_horizon(t);
    detail::check_purchase_count(n);
    if (t == 0) return n == 0 ? 1.0 : 0.0;
    const double r = params.r;
    const double a = params.a;
    const double b = params.b;
    const double nn = n;
    const double log_p = -std::log1p(t / params.alpha); // log(alpha / (alpha + t))
    const double log_q = -std::log1p(params.alpha / t); // log(t / (alpha + t))
    const double lbeta_ab = lgam(a) + lgam(b) - lgam(a + b);
    const double first = std::exp(lgam(a) + lgam(b + nn) - lgam(a + b + nn) - lbeta_ab +
                                  lgam(r + nn) - lgam(r) - lgam(nn + 1) + r * log_p + nn * log_q);
    if (n == 0) return first;
    const double p = params.alpha / (params.alpha + t);
    const double tail = boost::math::ibetac(r, nn, p);
    const double second =
        std::exp(lgam(a + 1) + lgam(b + nn - 1) - lgam(a + b + nn) - lbeta_ab) * tail;
    return first + second;
}

std::vector<double> p_alive(const bg_nbd_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T) {
    check_params(params);
    return detail::per_customer(
        x, tx, T, std::size_t{1} << 14,
        [&](double xi, double txi, double Ti) { return p_alive_unchecked(params, xi, txi, Ti); });
}

std::vector<double> conditional_expected_purchases(const bg_nbd_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T) {
    detail::check_horizon(t);
    check_params(params);
    return detail::expected_by_rows(params, t, x, tx, T);
}

CUSTOMETRICS_END_NAMESPACE
