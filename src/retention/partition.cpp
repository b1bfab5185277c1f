// Partitioned fits and the time-scaled fit of the purchase models (see
// custometrics/retention/partition.hpp).
#include "custometrics/retention/partition.hpp"

#include "custometrics/retention/covariate_partition.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

/// The parameters of the time-scaled problem that are rates (in 1 / time): alpha, and beta of
/// Pareto/NBD. A time scale c multiplies them by c.
std::span<const int> rate_parameters(purchase_model_kind kind) {
    static constexpr std::array<int, 1> bg{1};
    static constexpr std::array<int, 2> pareto{1, 3};
    if (kind == purchase_model_kind::pareto_nbd) return pareto;
    return bg;
}

/// The parameters in time (not 1 / time): GGompertz/NBD's b (a time scale c divides it by c).
std::span<const int> time_parameters(purchase_model_kind kind) {
    static constexpr std::array<int, 1> ggom{2};
    if (kind == purchase_model_kind::ggom_nbd) return ggom;
    return {};
}

/// The default start of the time-scaled fit: lifetimes' (every log-parameter 0.1 for BG/NBD
/// and MBG/NBD, every parameter 1 for Pareto/NBD), CLVTools' for GGompertz/NBD.
std::vector<double> default_start(purchase_model_kind kind) {
    if (kind == purchase_model_kind::pareto_nbd) return {1.0, 1.0, 1.0, 1.0};
    if (kind == purchase_model_kind::ggom_nbd) return {0.5, 2.0, 0.1, 1.0, 0.1};
    const double e01 = std::exp(0.1);
    return {e01, e01, e01, e01};
}

void check_lengths(std::size_t n, std::span<const double> other, const char* what) {
    if (other.size() != n)
        throw invalid_argument(std::string(what), "has " + std::to_string(other.size()) +
                                                      " values for " + std::to_string(n) + " rows");
}

/// `evaluate` as the driver's kernel (one call per evaluation, on the whole row range). An
/// exception from `evaluate` is kept in `failure` and the evaluation returns NaN, so the
/// driver (which treats a throwing line search as a failed step) stops quickly; the caller
/// rethrows it.
detail::loglik_kernel partition_kernel(const partition_evaluator& evaluate, std::size_t k,
                                       std::exception_ptr& failure) {
    return [&evaluate, k, &failure](std::span<const double> p, std::size_t, std::size_t, double& ll,
                                    Eigen::Ref<Eigen::VectorXd> g) {
        if (failure) {
            ll = std::numeric_limits<double>::quiet_NaN();
            return;
        }
        try {
            const loglik_gradient r = evaluate(p);
            if (r.gradient.size() != k)
                throw invalid_argument("evaluate", "returned " + std::to_string(r.gradient.size()) +
                                                       " gradient values for " + std::to_string(k) +
                                                       " parameters");
            ll += r.value;
            for (std::size_t j = 0; j < k; ++j)
                g[static_cast<Eigen::Index>(j)] += r.gradient[j];
        } catch (...) {
            failure = std::current_exception();
            ll = std::numeric_limits<double>::quiet_NaN();
        }
    };
}

/// Runs `fit` and rethrows a failure of the evaluator in place of whatever the fit made of it.
template <class Fit> fit_result rethrowing(std::exception_ptr& failure, Fit&& fit) {
    fit_result f;
    try {
        f = fit();
    } catch (...) {
        if (!failure) throw;
    }
    if (failure) std::rethrow_exception(failure);
    return f;
}

} // namespace

loglik_gradient& loglik_gradient::operator+=(const loglik_gradient& other) {
    if (gradient.empty()) gradient.assign(other.gradient.size(), 0.0);
    if (other.gradient.size() != gradient.size())
        throw invalid_argument("loglik_gradient",
                               "gradients of " + std::to_string(gradient.size()) + " and " +
                                   std::to_string(other.gradient.size()) + " parameters");
    value += other.value;
    for (std::size_t j = 0; j < gradient.size(); ++j)
        gradient[j] += other.gradient[j];
    return *this;
}

partition_totals& partition_totals::operator+=(const partition_totals& other) {
    rows += other.rows;
    weight += other.weight;
    weighted_frequency += other.weighted_frequency;
    max_T = std::max(max_T, other.max_T);
    return *this;
}

double partition_totals::time_scale() const {
    if (!(max_T > 0) || !std::isfinite(max_T))
        throw invalid_argument("partition_totals", "the largest T is " +
                                                       detail::format_number(max_T) +
                                                       ": no rows to scale the times by");
    return 1.0 / max_T;
}

partition_totals totals_of(const purchase_rows& rows) {
    partition_totals t;
    t.rows = rows.frequency.size();
    for (std::size_t i = 0; i < t.rows; ++i) {
        const double w = rows.weight.empty() ? 1.0 : rows.weight[i];
        t.weight += w;
        t.weighted_frequency += w * rows.frequency[i];
        t.max_T = std::max(t.max_T, rows.T[i]);
    }
    return t;
}

partition_totals totals_of(const spend_rows& rows) {
    partition_totals t;
    t.rows = rows.frequency.size();
    for (std::size_t i = 0; i < t.rows; ++i) {
        const double w = rows.weight.empty() ? 1.0 : rows.weight[i];
        t.weight += w;
        t.weighted_frequency += w * rows.frequency[i];
    }
    return t;
}

void check_rows(const purchase_rows& rows) {
    if (rows.frequency.empty()) return; // an empty partition adds nothing
    detail::check_summary(rows.frequency, rows.recency, rows.T, rows.weight, false);
}

void check_rows(const spend_rows& rows) {
    detail::check_spend_rows(rows.frequency, rows.monetary, rows.weight, false);
}

loglik_gradient partition_log_likelihood(purchase_model_kind kind, std::span<const double> params,
                                         const purchase_rows& rows, double time_scale) {
    const purchase_params p = purchase_params_from(kind, params);
    if (!(time_scale > 0) || !std::isfinite(time_scale))
        throw invalid_argument("time_scale", detail::format_number(time_scale) +
                                                 " is not a positive finite number");
    const std::size_t n = rows.frequency.size();
    check_lengths(n, rows.recency, "recency");
    check_lengths(n, rows.T, "T");
    check_lengths(n, rows.weight, "weight");
    std::vector<double> tx(n);
    std::vector<double> T(n);
    for (std::size_t i = 0; i < n; ++i) {
        tx[i] = rows.recency[i] * time_scale;
        T[i] = rows.T[i] * time_scale;
    }
    loglik_gradient out;
    std::array<double, 5> g{};
    const std::span<double, 4> g4(g.data(), 4);
    std::visit(
        [&](const auto& q) {
            using P = std::decay_t<decltype(q)>;
            if constexpr (std::is_same_v<P, bg_nbd_params>)
                detail::bg_nbd_add_loglik(q, rows.frequency, tx, T, rows.weight, 0, n, out.value,
                                          g4);
            else if constexpr (std::is_same_v<P, mbg_nbd_params>)
                detail::mbg_nbd_add_loglik(q, rows.frequency, tx, T, rows.weight, 0, n, out.value,
                                           g4);
            else if constexpr (std::is_same_v<P, ggom_nbd_params>)
                detail::ggom_nbd_add_loglik(q, rows.frequency, tx, T, rows.weight, 0, n, out.value,
                                            g);
            else
                detail::pareto_nbd_add_loglik(q, rows.frequency, tx, T, rows.weight, 0, n,
                                              out.value, g4);
        },
        p);
    out.gradient.assign(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(params.size()));
    return out;
}

loglik_gradient partition_log_likelihood(const gamma_gamma_params& params, const spend_rows& rows) {
    if (!(params.p > 0 && params.q > 0 && params.v > 0) ||
        !(std::isfinite(params.p) && std::isfinite(params.q) && std::isfinite(params.v)))
        throw invalid_argument("params", "the Gamma-Gamma parameters must be positive and finite");
    const std::size_t n = rows.frequency.size();
    check_lengths(n, rows.monetary, "monetary");
    check_lengths(n, rows.weight, "weight");
    loglik_gradient out;
    std::array<double, 3> g{};
    detail::gamma_gamma_add_loglik(params, rows.frequency, rows.monetary, rows.weight, 0, n,
                                   out.value, g);
    out.gradient.assign(g.begin(), g.end());
    return out;
}

fit_result fit_partitioned(purchase_model_kind kind, const partition_evaluator& evaluate,
                           const partition_totals& totals, const fit_options& options) {
    return detail::fit_partitioned(kind, evaluate, totals, options, {}, {});
}

fit_result detail::fit_partitioned(purchase_model_kind kind, const partition_evaluator& evaluate,
                                   const partition_totals& totals, const fit_options& options,
                                   const std::vector<std::string>& coefficient_names,
                                   std::span<const double> coefficient_penalizers) {
    const double scale = totals.time_scale();
    fit_options o = options;
    o.threads = 1; // one kernel call per evaluation: one pass over the partitions
    std::exception_ptr failure;
    const detail::loglik_kernel kernel = partition_kernel(
        evaluate, parameter_names(kind).size() + coefficient_names.size(), failure);
    return rethrowing(failure, [&] {
        return detail::fit_time_scaled(kind, kernel, totals.rows, totals.weight,
                                       totals.weighted_frequency, scale, o, coefficient_names,
                                       coefficient_penalizers);
    });
}

fit_result fit_gamma_gamma_partitioned(const partition_evaluator& evaluate,
                                       const partition_totals& totals, const fit_options& options) {
    fit_options o = options;
    o.threads = 1;
    std::exception_ptr failure;
    const detail::loglik_kernel kernel = partition_kernel(evaluate, 3, failure);
    return rethrowing(failure, [&] {
        return detail::fit_gamma_gamma_kernel(kernel, totals.rows, totals.weight, o);
    });
}

namespace detail {

fit_result fit_time_scaled(purchase_model_kind kind, const loglik_kernel& kernel,
                           std::size_t n_rows, double total_weight, double weighted_frequency,
                           double scale, const fit_options& options,
                           const std::vector<std::string>& coefficient_names,
                           std::span<const double> coefficient_penalizers) {
    const std::span<const int> rates = rate_parameters(kind);
    fit_options o = options;
    const std::span<const int> times = time_parameters(kind);
    std::vector<std::string> names = parameter_names(kind);
    if (o.initial.size() == names.size() + coefficient_names.size()) {
        for (const int j : rates)
            o.initial[static_cast<std::size_t>(j)] *= scale;
        for (const int j : times)
            o.initial[static_cast<std::size_t>(j)] /= scale;
    }
    std::vector<double> start = default_start(kind);
    const std::size_t positive = names.size();
    names.insert(names.end(), coefficient_names.begin(), coefficient_names.end());
    start.resize(names.size(), 0.0);
    fit_result f = fit_maximum_likelihood(kernel, n_rows, total_weight, std::move(names),
                                          std::move(start), o, positive, coefficient_penalizers);
    // Back to the input unit: the rate parameters are per time, and log L (a density in t_x)
    // changes by x log(scale) per customer.
    for (const int j : rates) {
        f.params[static_cast<std::size_t>(j)] /= scale;
        f.std_errors[static_cast<std::size_t>(j)] /= scale;
        f.covariance.row(j) /= scale;
        f.covariance.col(j) /= scale;
    }
    for (const int j : times) {
        f.params[static_cast<std::size_t>(j)] *= scale;
        f.std_errors[static_cast<std::size_t>(j)] *= scale;
        f.covariance.row(j) *= scale;
        f.covariance.col(j) *= scale;
    }
    f.log_likelihood += weighted_frequency * std::log(scale);
    return f;
}

scaled_rows scale_times(const compressed_summary& rows) {
    const std::size_t n = rows.size();
    if (n == 0) throw invalid_argument("fit", "no customers");
    scaled_rows s;
    // Times in units of the largest T, as lifetimes fits (see partition.hpp).
    s.scale = 1.0 / *std::max_element(rows.T.begin(), rows.T.end());
    s.recency.resize(n);
    s.T.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        s.recency[i] = rows.recency[i] * s.scale;
        s.T[i] = rows.T[i] * s.scale;
        s.weighted_frequency += rows.weight[i] * rows.frequency[i];
    }
    return s;
}

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
