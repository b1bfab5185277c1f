// BG/BB: patterns, likelihood and gradient, fit, P(alive), expectations and DERT (see
// custometrics/retention/bg_bb.hpp for the formulas and their numerical treatment).
#include "custometrics/retention/bg_bb.hpp"

#include "customer_checks.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "special.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

using detail::digamma;
using detail::format_number;
using detail::lgam;

constexpr double max_periods = 1e7;

void check_params(const bg_bb_params& p) {
    detail::check_positive_param("bg_bb", "alpha", p.alpha);
    detail::check_positive_param("bg_bb", "beta", p.beta);
    detail::check_positive_param("bg_bb", "gamma", p.gamma);
    detail::check_positive_param("bg_bb", "delta", p.delta);
}

double lbeta(double a, double b) {
    return lgam(a) + lgam(b) - lgam(a + b);
}

// Throws `data_error` unless (x, t_x, n) is a valid pattern (see the header); `position` is the
// customer's index in span versions, else `detail::single_customer`.
void check_pattern(double x, double tx, double n, std::size_t position) {
    auto fail = [&](const char* arg, double v, const std::string& why) {
        const std::string where = position == detail::single_customer
                                      ? std::string()
                                      : "customer " + std::to_string(position) + ": ";
        const std::string value = format_number(v);
        error_context context{arg, std::nullopt, {}, {}, value};
        if (position != detail::single_customer) context.row = position;
        throw data_error(std::string(arg) + ": " + where + "value " + value + " " + why,
                         std::move(context));
    };
    auto whole = [](double v) { return std::isfinite(v) && v >= 0.0 && v == std::floor(v); };
    if (!whole(x)) fail("frequency", x, "is not a whole number >= 0");
    if (!whole(tx)) fail("recency", tx, "is not a whole number >= 0");
    if (!whole(n)) fail("periods", n, "is not a whole number >= 0");
    if (n > max_periods) fail("periods", n, "is above 10^7 opportunities");
    if (tx > n) fail("recency", tx, "is above periods (" + format_number(n) + ")");
    if (x > tx)
        fail("frequency", x,
             "is above recency (" + format_number(tx) + "): one transaction per opportunity");
    if (x == 0.0 && tx != 0.0) fail("recency", tx, "is not 0 for a customer with frequency 0");
}

void check_lengths(std::span<const double> x, std::span<const double> tx,
                   std::span<const double> n) {
    if (x.size() != tx.size() || x.size() != n.size())
        throw invalid_argument("frequency, recency, periods: lengths differ (" +
                               std::to_string(x.size()) + ", " + std::to_string(tx.size()) + ", " +
                               std::to_string(n.size()) + ")");
}

// A count of opportunities (or of transactions): 0..10^7, the sums over it are O(count).
void check_count(const char* name, int v) {
    if (v < 0 || v > max_periods)
        throw invalid_argument(name, "must be between 0 and 10^7, got " + std::to_string(v));
}

void check_discount(double d) {
    if (!std::isfinite(d) || d < 0)
        throw invalid_argument("discount_rate",
                               "must be a finite number >= 0, got " + format_number(d));
}

// The parameter-only terms of the likelihood and its gradient.
struct param_terms {
    double a, b, g, d;
    double lb_ab, lb_gd;      // lbeta(alpha, beta), lbeta(gamma, delta)
    double dg_a, dg_b, dg_ab; // digamma(alpha), digamma(beta), digamma(alpha+beta)
    double dg_g, dg_d, dg_gd; // the same for gamma, delta
    double dg_g1;             // digamma(gamma + 1)
    explicit param_terms(const bg_bb_params& p)
        : a(p.alpha), b(p.beta), g(p.gamma), d(p.delta), lb_ab(lbeta(a, b)), lb_gd(lbeta(g, d)),
          dg_a(digamma(a)), dg_b(digamma(b)), dg_ab(digamma(a + b)), dg_g(digamma(g)),
          dg_d(digamma(d)), dg_gd(digamma(g + d)), dg_g1(digamma(g + 1)) {}

    // log L of the pattern; with `grad` non-null, also its gradient in (alpha, beta, gamma,
    // delta) written there.
    double loglik(double x, double tx, double n, double* grad) const {
        // "Alive through n": lbeta(a+x, b+n-x) - lbeta(a,b) + lbeta(g, d+n) - lbeta(g,d).
        const double l_alive = lbeta(a + x, b + n - x) - lb_ab + lbeta(g, d + n) - lb_gd;
        const double m = n - tx; // terms of the sum over i
        if (m == 0) {
            if (grad != nullptr) {
                const double dg_abn = digamma(a + b + n);
                const double dg_gdn = digamma(g + d + n);
                grad[0] = digamma(a + x) - dg_abn - dg_a + dg_ab;
                grad[1] = digamma(b + n - x) - dg_abn - dg_b + dg_ab;
                grad[2] = dg_gd - dg_gdn;
                grad[3] = digamma(d + n) - dg_gdn - dg_d + dg_gd;
            }
            return l_alive;
        }
        // Term 0 of the sum: lbeta(a+x, b+t_x-x) - lbeta(a,b) + lbeta(g+1, d+t_x) - lbeta(g,d);
        // the others relative to it by the ratios (all below 1), with the derivatives of their
        // logarithms carried along (dr: d log(term i / term 0)).
        const double l_dead0 = lbeta(a + x, b + tx - x) - lb_ab + lbeta(g + 1, d + tx) - lb_gd;
        double r = 1;
        double sum = 0;
        double dr[4] = {0, 0, 0, 0};
        double dsum[4] = {0, 0, 0, 0}; // sum_i r_i d log r_i
        const auto terms = static_cast<long>(m);
        for (long i = 0; i < terms; ++i) {
            sum += r;
            if (grad != nullptr)
                for (int k = 0; k < 4; ++k)
                    dsum[k] += r * dr[k];
            if (i + 1 == terms) break;
            const double fi = static_cast<double>(i);
            const double u = b + tx - x + fi;     // beta + t_x - x + i
            const double v = a + b + tx + fi;     // alpha + beta + t_x + i
            const double s = d + tx + fi;         // delta + t_x + i
            const double q = g + d + tx + fi + 1; // gamma + delta + t_x + i + 1
            r *= (u / v) * (s / q);
            if (grad != nullptr) {
                dr[0] -= 1 / v;
                dr[1] += 1 / u - 1 / v;
                dr[2] -= 1 / q;
                dr[3] += 1 / s - 1 / q;
            }
        }
        const double l_dead = l_dead0 + std::log(sum);
        // log-sum-exp of the two parts, and their weights (softmax) for the gradient.
        const double hi = std::max(l_alive, l_dead);
        const double e_alive = std::exp(l_alive - hi);
        const double e_dead = std::exp(l_dead - hi);
        const double total = e_alive + e_dead;
        if (grad != nullptr) {
            const double w_alive = e_alive / total;
            const double w_dead = e_dead / total;
            const double dg_abn = digamma(a + b + n);
            const double dg_gdn = digamma(g + d + n);
            const double dg_ax = digamma(a + x);
            const double dg_abtx = digamma(a + b + tx);
            const double dg_gdtx1 = digamma(g + d + tx + 1);
            const double alive[4] = {dg_ax - dg_abn - dg_a + dg_ab,
                                     digamma(b + n - x) - dg_abn - dg_b + dg_ab, dg_gd - dg_gdn,
                                     digamma(d + n) - dg_gdn - dg_d + dg_gd};
            const double dead0[4] = {
                dg_ax - dg_abtx - dg_a + dg_ab, digamma(b + tx - x) - dg_abtx - dg_b + dg_ab,
                dg_g1 - dg_gdtx1 - dg_g + dg_gd, digamma(d + tx) - dg_gdtx1 - dg_d + dg_gd};
            for (int k = 0; k < 4; ++k)
                grad[k] = w_alive * alive[k] + w_dead * (dead0[k] + dsum[k] / sum);
        }
        return hi + std::log(total);
    }
};

// log P(alive at n+ahead) for a checked pattern: log of the "alive through n+ahead" part minus
// log L.
double log_p_alive(const param_terms& t, double x, double tx, double n, int ahead = 1) {
    return lbeta(t.a + x, t.b + n - x) - t.lb_ab + lbeta(t.g, t.d + n + ahead) - t.lb_gd -
           t.loglik(x, tx, n, nullptr);
}

// sum_{j=0}^{count-1} s_j with s_0 = 1, s_{j+1} = s_j (c0 + j)/(g + c0 + j).
double alive_sum(double g, double c0, long count) {
    double s = 1;
    double sum = 0;
    for (long j = 0; j < count; ++j) {
        sum += s;
        const double fj = static_cast<double>(j);
        s *= (c0 + fj) / (g + c0 + fj);
    }
    return sum;
}

double conditional_unchecked(const param_terms& t, int future, double x, double tx, double n) {
    if (future == 0) return 0.0;
    return std::exp(log_p_alive(t, x, tx, n)) * (t.a + x) / (t.a + t.b + n) *
           alive_sum(t.g, t.d + n + 1, future);
}

double dert_unchecked(const param_terms& t, double discount_rate, double x, double tx, double n) {
    const double c0 = t.d + n + 1;
    double series = 0;
    if (discount_rate == 0) {
        if (!(t.g > 1))
            throw invalid_argument("dert", "with discount_rate 0 the residual transactions are "
                                           "infinite for gamma <= 1 (gamma = " +
                                               format_number(t.g) + ")");
        // sum_j s_j = 2F1(1, c0; g + c0; 1) = (g + c0 - 1)/(g - 1).
        series = (t.g + c0 - 1) / (t.g - 1);
    } else {
        // sum_j s_j z^(j+1), term ratio (c0 + j)/(g + c0 + j) z < z.
        const double z = 1 / (1 + discount_rate);
        constexpr long max_terms = 10'000'000;
        double term = z;
        series = z;
        long j = 0;
        for (; j < max_terms; ++j) {
            const double fj = static_cast<double>(j);
            term *= (c0 + fj) / (t.g + c0 + fj) * z;
            series += term;
            if (term * z / (1 - z) <= 0x1p-55 * series) break;
        }
        if (j >= max_terms)
            throw invalid_argument("discount_rate",
                                   format_number(discount_rate) +
                                       " is too small for the series (more than 10^7 terms)");
    }
    return std::exp(log_p_alive(t, x, tx, n)) * (t.a + x) / (t.a + t.b + n) * series;
}

// fn(x[i], t_x[i], n[i]) per customer after checking it, on both cores for many customers.
template <class Fn>
std::vector<double> per_pattern(std::span<const double> x, std::span<const double> tx,
                                std::span<const double> n, Fn&& fn) {
    check_lengths(x, tx, n);
    std::vector<double> out(x.size());
    detail::parallel_chunks(x.size(), detail::thread_count(x.size(), 0, std::size_t{1} << 12),
                            [&](std::size_t b, std::size_t e, unsigned) {
                                for (std::size_t i = b; i < e; ++i) {
                                    check_pattern(x[i], tx[i], n[i], i);
                                    out[i] = fn(x[i], tx[i], n[i]);
                                }
                            });
    return out;
}

} // namespace

bg_bb_patterns compress_bg_bb(std::span<const double> frequency, std::span<const double> recency,
                              std::span<const double> periods, std::span<const double> weights) {
    check_lengths(frequency, recency, periods);
    if (!weights.empty() && weights.size() != frequency.size())
        throw invalid_argument("weights", std::to_string(weights.size()) + " values for " +
                                              std::to_string(frequency.size()) + " customers");
    if (frequency.empty()) throw invalid_argument("compress_bg_bb", "no customers");
    if (frequency.size() > std::numeric_limits<std::uint32_t>::max())
        throw invalid_argument("compress_bg_bb", "more than 2^32 - 1 customers");
    for (std::size_t i = 0; i < frequency.size(); ++i) {
        check_pattern(frequency[i], recency[i], periods[i], i);
        if (!weights.empty() && (!std::isfinite(weights[i]) || weights[i] < 0)) {
            const std::string value = format_number(weights[i]);
            throw data_error("weights: customer " + std::to_string(i) + ": value " + value +
                                 " is not a finite number >= 0",
                             {"weights", i, {}, {}, value});
        }
    }
    if (!weights.empty() && std::accumulate(weights.begin(), weights.end(), 0.0) == 0)
        throw invalid_argument("weights", "all weights are 0");
    // The rows of fit.hpp's compression, with n in the place of T (both sort keys).
    compressed_summary s = detail::compress_rows(frequency, recency, periods, weights, 64);
    bg_bb_patterns out;
    out.frequency = std::move(s.frequency);
    out.recency = std::move(s.recency);
    out.periods = std::move(s.T);
    out.weight = std::move(s.weight);
    out.row_of = std::move(s.row_of);
    out.total_weight = s.total_weight;
    return out;
}

namespace detail {

void bg_bb_add_loglik(const bg_bb_params& params, std::span<const double> x,
                      std::span<const double> tx, std::span<const double> n,
                      std::span<const double> weight, std::size_t begin, std::size_t end,
                      double& ll, std::span<double, 4> grad) {
    const param_terms t(params);
    double g[4];
    for (std::size_t i = begin; i < end; ++i) {
        const double w = weight[i];
        if (w == 0) continue;
        ll += w * t.loglik(x[i], tx[i], n[i], g);
        for (int k = 0; k < 4; ++k)
            grad[static_cast<std::size_t>(k)] += w * g[k];
    }
}

} // namespace detail

fit_result fit_bg_bb(const bg_bb_patterns& patterns, const fit_options& options) {
    const std::size_t rows = patterns.size();
    if (rows == 0) throw invalid_argument("fit_bg_bb", "no patterns");
    if (patterns.recency.size() != rows || patterns.periods.size() != rows ||
        patterns.weight.size() != rows)
        throw invalid_argument("fit_bg_bb", "the pattern columns have different lengths");
    const detail::loglik_kernel kernel = [&patterns](std::span<const double> p, std::size_t b,
                                                     std::size_t e, double& ll,
                                                     Eigen::Ref<Eigen::VectorXd> g) {
        double gr[4] = {0, 0, 0, 0};
        detail::bg_bb_add_loglik({p[0], p[1], p[2], p[3]}, patterns.frequency, patterns.recency,
                                 patterns.periods, patterns.weight, b, e, ll, gr);
        for (int k = 0; k < 4; ++k)
            g[k] += gr[k];
    };
    const double start = std::exp(0.1); // lifetimes' start: log-parameters 0.1
    return detail::fit_maximum_likelihood(kernel, rows, patterns.total_weight,
                                          {"alpha", "beta", "gamma", "delta"},
                                          {start, start, start, start}, options);
}

bg_bb_params bg_bb_params_from(const fit_result& fit) {
    if (fit.names != std::vector<std::string>{"alpha", "beta", "gamma", "delta"} ||
        fit.params.size() != 4)
        throw invalid_argument("bg_bb_params_from", "the fit is not a BG/BB fit (expected "
                                                    "parameters alpha, beta, gamma, delta)");
    return {fit.params[0], fit.params[1], fit.params[2], fit.params[3]};
}

bg_bb_params bg_bb_params_from(std::span<const double> p) {
    if (p.size() != 4)
        throw invalid_argument("params", "the BG/BB model has 4 parameters (alpha, beta, gamma, "
                                         "delta), got " +
                                             std::to_string(p.size()));
    return {p[0], p[1], p[2], p[3]};
}

double log_likelihood(const bg_bb_params& params, double x, double tx, double n) {
    check_params(params);
    check_pattern(x, tx, n, detail::single_customer);
    return param_terms(params).loglik(x, tx, n, nullptr);
}

bg_bb_loglik log_likelihood_gradient(const bg_bb_params& params, double x, double tx, double n) {
    check_params(params);
    check_pattern(x, tx, n, detail::single_customer);
    bg_bb_loglik out{};
    out.value = param_terms(params).loglik(x, tx, n, out.gradient.data());
    return out;
}

double p_alive(const bg_bb_params& params, double x, double tx, double n, int ahead) {
    check_params(params);
    check_count("ahead", ahead);
    check_pattern(x, tx, n, detail::single_customer);
    return std::exp(log_p_alive(param_terms(params), x, tx, n, ahead));
}

double conditional_expected_purchases(const bg_bb_params& params, int future, double x, double tx,
                                      double n) {
    check_params(params);
    check_count("future", future);
    check_pattern(x, tx, n, detail::single_customer);
    return conditional_unchecked(param_terms(params), future, x, tx, n);
}

double dert(const bg_bb_params& params, double discount_rate, double x, double tx, double n) {
    check_params(params);
    check_discount(discount_rate);
    check_pattern(x, tx, n, detail::single_customer);
    return dert_unchecked(param_terms(params), discount_rate, x, tx, n);
}

double expected_purchases(const bg_bb_params& params, int n) {
    check_params(params);
    check_count("n", n);
    // alpha/(alpha+beta) sum_{k=1}^{n} B(g, d+k)/B(g, d); B(g, d+1)/B(g, d) = d/(g+d).
    const double g = params.gamma;
    const double d = params.delta;
    return params.alpha / (params.alpha + params.beta) * d / (g + d) * alive_sum(g, d + 1, n);
}

double probability_of_purchases(const bg_bb_params& params, int n, int x) {
    check_params(params);
    check_count("n", n);
    check_count("x", x);
    if (x > n) return 0.0;
    const param_terms t(params);
    const double fx = x;
    const double lg_x1 = lgam(fx + 1);
    auto log_choose = [&](double i) { return lgam(i + 1) - lg_x1 - lgam(i - fx + 1); };
    const double fn = n;
    double p = std::exp(log_choose(fn) + lbeta(t.a + fx, t.b + fn - fx) - t.lb_ab +
                        lbeta(t.g, t.d + fn) - t.lb_gd);
    for (int i = x; i < n; ++i) {
        const double fi = i;
        p += std::exp(log_choose(fi) + lbeta(t.a + fx, t.b + fi - fx) - t.lb_ab +
                      lbeta(t.g + 1, t.d + fi) - t.lb_gd);
    }
    return p;
}

std::vector<double> p_alive(const bg_bb_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> n, int ahead) {
    check_params(params);
    check_count("ahead", ahead);
    const param_terms t(params);
    return per_pattern(x, tx, n, [&](double xi, double txi, double ni) {
        return std::exp(log_p_alive(t, xi, txi, ni, ahead));
    });
}

std::vector<double> conditional_expected_purchases(const bg_bb_params& params, int future,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> n) {
    check_params(params);
    check_count("future", future);
    const param_terms t(params);
    return per_pattern(x, tx, n, [&](double xi, double txi, double ni) {
        return conditional_unchecked(t, future, xi, txi, ni);
    });
}

std::vector<double> dert(const bg_bb_params& params, double discount_rate,
                         std::span<const double> x, std::span<const double> tx,
                         std::span<const double> n) {
    check_params(params);
    check_discount(discount_rate);
    const param_terms t(params);
    return per_pattern(x, tx, n, [&](double xi, double txi, double ni) {
        return dert_unchecked(t, discount_rate, xi, txi, ni);
    });
}

CUSTOMETRICS_END_NAMESPACE
