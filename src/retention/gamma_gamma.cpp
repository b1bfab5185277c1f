// Gamma-Gamma spend model: likelihood, fit and expected average spend (see
// custometrics/retention/gamma_gamma.hpp).
#include "custometrics/retention/gamma_gamma.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "special.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <tuple>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

using detail::digamma;
using detail::format_number;
using detail::lgam;

void check_params(const gamma_gamma_params& g) {
    const double v[3] = {g.p, g.q, g.v};
    const char* names[3] = {"p", "q", "v"};
    for (int j = 0; j < 3; ++j)
        if (!(v[j] > 0) || !std::isfinite(v[j]))
            throw invalid_argument(std::string("gamma_gamma: parameter ") + names[j] +
                                   " must be a positive finite number, got " + format_number(v[j]));
}

/// `data_error` for `argument` at customer `row` (nullopt: a single customer), value `v`;
/// `named`: the message names the position too.
[[noreturn]] void bad_customer(const char* argument, std::optional<std::size_t> row, double v,
                               const char* why, bool named = true) {
    const std::string value = format_number(v);
    const std::string where =
        row && named ? "customer " + std::to_string(*row) + ": " : std::string();
    throw data_error(std::string(argument) + ": " + where + "value " + value + " " + why,
                     {argument, row, {}, {}, value});
}

void check_repeat_buyer(std::optional<std::size_t> row, double x, double m, bool named = true) {
    if (!std::isfinite(x) || !(x > 0) || x != std::floor(x))
        bad_customer("frequency", row, x,
                     "is not a whole number > 0 (the Gamma-Gamma model is fitted on repeat "
                     "buyers only)",
                     named);
    if (!std::isfinite(m) || !(m > 0))
        bad_customer("monetary", row, m, "is not a finite number > 0", named);
}

// Adds w log f and its gradient for one (x, m).
void add_row(const gamma_gamma_params& g, double lg_q, double dg_q, double log_v, double x,
             double m, double w, double& ll, double* grad) {
    const double px = g.p * x;
    const double log_xmv = std::log(x * m + g.v);
    const double log_m = std::log(m);
    const double log_x = std::log(x);
    const double dg_pxq = digamma(px + g.q);
    ll += w * (lgam(px + g.q) - lgam(px) - lg_q + g.q * log_v + (px - 1) * log_m + px * log_x -
               (px + g.q) * log_xmv);
    grad[0] += w * x * (dg_pxq - digamma(px) + log_m + log_x - log_xmv);
    grad[1] += w * (dg_pxq - dg_q + log_v - log_xmv);
    grad[2] += w * (g.q / g.v - (px + g.q) / (x * m + g.v));
}

double spend_unchecked(const gamma_gamma_params& g, double x, double m) {
    const double d = g.p * x + g.q - 1;
    if (!(d > 0))
        throw invalid_argument("gamma_gamma",
                               "p x + q - 1 = " + format_number(d) +
                                   " is not positive: the expected spend is infinite (q <= 1)");
    return g.p * (g.v + (x > 0 ? x * m : 0.0)) / d;
}

} // namespace

namespace detail {

void check_spend_rows(std::span<const double> frequency, std::span<const double> monetary,
                      std::span<const double> weights, bool position_in_message) {
    const std::size_t n = frequency.size();
    if (monetary.size() != n)
        throw invalid_argument("monetary", "has " + std::to_string(monetary.size()) +
                                               " values for " + std::to_string(n) + " rows");
    if (!weights.empty() && weights.size() != n)
        throw invalid_argument("weights", "has " + std::to_string(weights.size()) + " values for " +
                                              std::to_string(n) + " rows");
    for (std::size_t i = 0; i < n; ++i) {
        check_repeat_buyer(i, frequency[i], monetary[i], position_in_message);
        if (!weights.empty() && (!std::isfinite(weights[i]) || weights[i] < 0))
            bad_customer("weights", i, weights[i], "is not a finite number >= 0",
                         position_in_message);
    }
}

void gamma_gamma_add_loglik(const gamma_gamma_params& params, std::span<const double> x,
                            std::span<const double> m, std::span<const double> weight,
                            std::size_t begin, std::size_t end, double& ll,
                            std::span<double, 3> grad) {
    const double lg_q = lgam(params.q);
    const double dg_q = digamma(params.q);
    const double log_v = std::log(params.v);
    for (std::size_t i = begin; i < end; ++i)
        add_row(params, lg_q, dg_q, log_v, x[i], m[i], weight.empty() ? 1.0 : weight[i], ll,
                grad.data());
}

fit_result fit_gamma_gamma_kernel(const loglik_kernel& kernel, std::size_t n_rows,
                                  double total_weight, const fit_options& options) {
    // lifetimes' start: every log-parameter 0.1.
    const double e01 = std::exp(0.1);
    return fit_maximum_likelihood(kernel, n_rows, total_weight, {"p", "q", "v"}, {e01, e01, e01},
                                  options);
}

} // namespace detail

fit_result fit_gamma_gamma(std::span<const double> frequency, std::span<const double> monetary,
                           std::span<const double> weights, const fit_options& options) {
    const std::size_t n = frequency.size();
    if (monetary.size() != n)
        throw invalid_argument("fit_gamma_gamma", "frequency and monetary lengths differ (" +
                                                      std::to_string(n) + ", " +
                                                      std::to_string(monetary.size()) + ")");
    if (!weights.empty() && weights.size() != n)
        throw invalid_argument("fit_gamma_gamma", "weights has " + std::to_string(weights.size()) +
                                                      " values for " + std::to_string(n) +
                                                      " customers");
    if (n == 0) throw invalid_argument("fit_gamma_gamma", "no customers");
    detail::check_spend_rows(frequency, monetary, weights, true);
    // Unique (x, m) rows with summed weights.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(frequency[a], monetary[a]) < std::tie(frequency[b], monetary[b]);
    });
    std::vector<double> x;
    std::vector<double> m;
    std::vector<double> w;
    for (const std::size_t i : order) {
        const double wi = weights.empty() ? 1.0 : weights[i];
        if (!x.empty() && x.back() == frequency[i] && m.back() == monetary[i])
            w.back() += wi;
        else {
            x.push_back(frequency[i]);
            m.push_back(monetary[i]);
            w.push_back(wi);
        }
    }
    const double total = std::accumulate(w.begin(), w.end(), 0.0);
    const detail::loglik_kernel kernel = [&](std::span<const double> p, std::size_t b,
                                             std::size_t e, double& ll,
                                             Eigen::Ref<Eigen::VectorXd> g) {
        std::array<double, 3> grad{};
        detail::gamma_gamma_add_loglik({p[0], p[1], p[2]}, x, m, w, b, e, ll, grad);
        for (int j = 0; j < 3; ++j)
            g[j] += grad[j];
    };
    return detail::fit_gamma_gamma_kernel(kernel, x.size(), total, options);
}

gamma_gamma_params gamma_gamma_params_from(const fit_result& fit) {
    if (fit.names != std::vector<std::string>{"p", "q", "v"} || fit.params.size() != 3)
        throw invalid_argument("gamma_gamma_params_from", "the fit is not a Gamma-Gamma fit "
                                                          "(expected parameters p, q, v)");
    return {fit.params[0], fit.params[1], fit.params[2]};
}

gamma_gamma_params gamma_gamma_params_from(std::span<const double> values) {
    if (values.size() != 3)
        throw invalid_argument("params", "the Gamma-Gamma model has 3 parameters, got " +
                                             std::to_string(values.size()));
    return {values[0], values[1], values[2]};
}

gamma_gamma_loglik log_likelihood_gradient(const gamma_gamma_params& params, double x, double m) {
    check_params(params);
    check_repeat_buyer(std::nullopt, x, m);
    gamma_gamma_loglik out{0.0, {0, 0, 0}};
    add_row(params, lgam(params.q), digamma(params.q), std::log(params.v), x, m, 1.0, out.value,
            out.gradient.data());
    return out;
}

double log_likelihood(const gamma_gamma_params& params, double x, double m) {
    return log_likelihood_gradient(params, x, m).value;
}

double conditional_expected_average_spend(const gamma_gamma_params& params, double x, double m) {
    check_params(params);
    if (!std::isfinite(x) || x < 0)
        bad_customer("frequency", std::nullopt, x, "is not a finite number >= 0");
    if (x > 0 && (!std::isfinite(m) || !(m > 0)))
        bad_customer("monetary", std::nullopt, m, "is not a finite number > 0");
    return spend_unchecked(params, x, m);
}

std::vector<double> conditional_expected_average_spend(const gamma_gamma_params& params,
                                                       std::span<const double> frequency,
                                                       std::span<const double> monetary) {
    check_params(params);
    detail::check_spend_customers(frequency, monetary);
    std::vector<double> out(frequency.size());
    for (std::size_t i = 0; i < frequency.size(); ++i)
        out[i] = spend_unchecked(params, frequency[i], monetary[i]);
    return out;
}

void detail::check_spend_customers(std::span<const double> frequency,
                                   std::span<const double> monetary) {
    if (frequency.size() != monetary.size())
        throw invalid_argument("frequency, monetary: lengths differ (" +
                               std::to_string(frequency.size()) + ", " +
                               std::to_string(monetary.size()) + ")");
    for (std::size_t i = 0; i < frequency.size(); ++i) {
        const double x = frequency[i];
        const double m = monetary[i];
        if (!std::isfinite(x) || x < 0)
            bad_customer("frequency", i, x, "is not a finite number >= 0");
        if (x > 0 && (!std::isfinite(m) || !(m > 0)))
            bad_customer("monetary", i, m, "is not a finite number > 0");
    }
}

spend_sample select_spend_sample(std::span<const double> frequency,
                                 std::span<const double> monetary,
                                 std::span<const double> weights) {
    const std::size_t n = frequency.size();
    if (monetary.size() != n)
        throw invalid_argument("monetary", std::to_string(monetary.size()) + " values for " +
                                               std::to_string(n) + " customers");
    if (!weights.empty() && weights.size() != n)
        throw invalid_argument("weights", std::to_string(weights.size()) + " values for " +
                                              std::to_string(n) + " customers");
    spend_sample s;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = frequency[i];
        const double m = monetary[i];
        // Checked here, at the customer's own position (the fit below sees only the sample).
        if (!std::isfinite(x) || x < 0 || x != std::floor(x))
            bad_customer("frequency", i, x, "is not a whole number >= 0");
        if (!std::isfinite(m)) bad_customer("monetary", i, m, "is not finite");
        if (!weights.empty() && (!std::isfinite(weights[i]) || weights[i] < 0))
            bad_customer("weights", i, weights[i], "is not a finite number >= 0");
        if (x == 0) {
            ++s.without_repeat_purchase;
        } else if (!(m > 0)) {
            ++s.without_positive_spend;
        } else {
            s.customers.push_back(i);
            s.frequency.push_back(x);
            s.monetary.push_back(m);
            if (!weights.empty()) s.weights.push_back(weights[i]);
        }
    }
    return s;
}

fit_result fit_gamma_gamma(const spend_sample& sample, const fit_options& options) {
    if (sample.size() == 0)
        throw invalid_argument(
            "frequency",
            "no customer has a repeat purchase with a positive spend (" +
                std::to_string(sample.without_repeat_purchase) + " without a repeat purchase, " +
                std::to_string(sample.without_positive_spend) + " with a mean repeat spend <= 0)");
    return fit_gamma_gamma(sample.frequency, sample.monetary, sample.weights, options);
}

CUSTOMETRICS_END_NAMESPACE
