// Shifted-beta-geometric model: fit, survival, retention rates and DERL (see
// custometrics/retention/sbg.hpp).
#include "custometrics/retention/sbg.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "special.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

using detail::digamma;
using detail::format_number;
using detail::lgam;

void check_params(const sbg_params& p) {
    if (!(p.alpha > 0) || !std::isfinite(p.alpha))
        throw invalid_argument("sbg", "parameter alpha must be a positive finite number, got " +
                                          format_number(p.alpha));
    if (!(p.beta > 0) || !std::isfinite(p.beta))
        throw invalid_argument("sbg", "parameter beta must be a positive finite number, got " +
                                          format_number(p.beta));
}

double lbeta(double a, double b) {
    return lgam(a) + lgam(b) - lgam(a + b);
}

} // namespace

fit_result fit_sbg(std::span<const double> active, const fit_options& options) {
    const std::size_t n = active.size();
    if (n < 2)
        throw invalid_argument("fit_sbg", "active needs the cohort size and at least one later "
                                          "count, got " +
                                              std::to_string(n) + " values");
    for (std::size_t t = 0; t < n; ++t) {
        const double v = active[t];
        if (!std::isfinite(v) || v < 0)
            throw data_error("active: period " + std::to_string(t) + ": value " + format_number(v) +
                             " is not a finite number >= 0");
        if (t == 0 && !(v > 0))
            throw data_error("active: period 0: the cohort size " + format_number(v) +
                             " is not positive");
        if (t > 0 && v > active[t - 1])
            throw data_error("active: period " + std::to_string(t) + ": value " + format_number(v) +
                             " is above the previous period's " + format_number(active[t - 1]) +
                             " (counts must not increase)");
    }
    const std::size_t k = n - 1;
    // Row t - 1 (t = 1..k): the churners at t, weight active[t-1] - active[t], log P(T = t);
    // row k: the survivors, weight active[k], log S(k).
    const detail::loglik_kernel kernel = [active, k](std::span<const double> p, std::size_t b,
                                                     std::size_t e, double& ll,
                                                     Eigen::Ref<Eigen::VectorXd> g) {
        const double a = p[0];
        const double be = p[1];
        const double lb = lbeta(a, be);
        const double dg_ab = digamma(a + be);
        const double dg_a = digamma(a);
        const double dg_b = digamma(be);
        for (std::size_t row = b; row < e; ++row) {
            const auto t = static_cast<double>(row < k ? row + 1 : k);
            const double dg_abt = digamma(a + be + t);
            if (row < k) {
                const double w = active[row] - active[row + 1];
                if (w == 0) continue;
                ll += w * (lbeta(a + 1, be + t - 1) - lb);
                g[0] += w * (digamma(a + 1) - dg_abt - dg_a + dg_ab);
                g[1] += w * (digamma(be + t - 1) - dg_abt - dg_b + dg_ab);
            } else {
                const double w = active[k];
                if (w == 0) continue;
                ll += w * (lbeta(a, be + t) - lb);
                g[0] += w * (dg_ab - dg_abt);
                g[1] += w * (digamma(be + t) - dg_abt - dg_b + dg_ab);
            }
        }
    };
    return detail::fit_maximum_likelihood(kernel, k + 1, active[0], {"alpha", "beta"}, {1.0, 1.0},
                                          options);
}

sbg_params sbg_params_from(const fit_result& fit) {
    if (fit.names != std::vector<std::string>{"alpha", "beta"} || fit.params.size() != 2)
        throw invalid_argument("sbg_params_from", "the fit is not an sBG fit (expected parameters "
                                                  "alpha, beta)");
    return {fit.params[0], fit.params[1]};
}

sbg_params sbg_params_from(std::span<const double> values) {
    if (values.size() != 2)
        throw invalid_argument("params", "the sBG model has 2 parameters, got " +
                                             std::to_string(values.size()));
    return {values[0], values[1]};
}

double sbg_survival(const sbg_params& params, int t) {
    check_params(params);
    if (t < 0) throw invalid_argument("t", "the period must be >= 0, got " + std::to_string(t));
    return std::exp(lbeta(params.alpha, params.beta + t) - lbeta(params.alpha, params.beta));
}

double sbg_retention_rate(const sbg_params& params, int t) {
    check_params(params);
    if (t < 1) throw invalid_argument("t", "the period must be >= 1, got " + std::to_string(t));
    return (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
}

namespace {
// `f` at each period of `t`; a period beyond the largest int is an error naming its row (no
// silent truncation: 2^32 would otherwise read as period 0).
template <class F> std::vector<double> at_periods(std::span<const std::int64_t> t, F f) {
    std::vector<double> out(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] > std::numeric_limits<int>::max())
            throw invalid_argument("t: row " + std::to_string(i) + ": the period " +
                                       std::to_string(t[i]) + " is beyond " +
                                       std::to_string(std::numeric_limits<int>::max()),
                                   error_context{"t", i, {}, {}, std::to_string(t[i])});
        out[i] = f(static_cast<int>(t[i]));
    }
    return out;
}
} // namespace

std::vector<double> sbg_survival(const sbg_params& params, std::span<const std::int64_t> t) {
    return at_periods(t, [&](int p) { return sbg_survival(params, p); });
}

std::vector<double> sbg_retention_rate(const sbg_params& params, std::span<const std::int64_t> t) {
    return at_periods(t, [&](int p) { return sbg_retention_rate(params, p); });
}

double sbg_churn_probability(const sbg_params& params, int t) {
    check_params(params);
    if (t < 1) throw invalid_argument("t", "the period must be >= 1, got " + std::to_string(t));
    return std::exp(lbeta(params.alpha + 1, params.beta + t - 1) -
                    lbeta(params.alpha, params.beta));
}

double sbg_derl(const sbg_params& params, double discount_rate, int renewals_so_far) {
    check_params(params);
    if (!std::isfinite(discount_rate) || discount_rate < 0)
        throw invalid_argument("discount_rate",
                               "must be a finite number >= 0, got " + format_number(discount_rate));
    if (renewals_so_far < 0)
        throw invalid_argument("renewals_so_far",
                               "must be >= 0, got " + std::to_string(renewals_so_far));
    const double b = params.beta + renewals_so_far; // beta + n - 1
    const double c = params.alpha + b;              // alpha + beta + n - 1
    if (discount_rate == 0) {
        if (!(params.alpha > 1))
            throw invalid_argument("sbg_derl", "with discount_rate 0 the residual lifetime is "
                                               "infinite for alpha <= 1 (alpha = " +
                                                   format_number(params.alpha) + ")");
        return b / (params.alpha - 1);
    }
    // 2F1(1, b + 1; c + 1; z) = sum_j (b+1)_j/(c+1)_j z^j, ratio (b+1+j)/(c+1+j) z < z.
    const double z = 1 / (1 + discount_rate);
    constexpr long max_terms = 10'000'000;
    double term = 1;
    double sum = 1;
    long j = 0;
    for (; j < max_terms; ++j) {
        term *= (b + 1 + static_cast<double>(j)) / (c + 1 + static_cast<double>(j)) * z;
        sum += term;
        if (term * z / (1 - z) <= 0x1p-55 * sum) break;
    }
    if (j >= max_terms)
        throw invalid_argument("sbg_derl",
                               "discount_rate " + format_number(discount_rate) +
                                   " is too small for the series (more than 10^7 terms)");
    return b / c * sum;
}

CUSTOMETRICS_END_NAMESPACE
