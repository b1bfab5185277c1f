// _core.spark_*: a retention-model fit whose data stays in Spark partitions
// (custometrics/spark/models.py, above its collect threshold).
//
// The fit is split at the log-likelihood kernel of custometrics/retention/fit.hpp:
// - `spark_loglik` runs in the executors: the weighted log-likelihood of one partition's
//   compressed (frequency, recency, T, count) rows and its gradient in the natural parameters,
//   by the same kernels as the single-machine fits (detail::*_add_loglik; Gamma-Gamma row by
//   row), with times multiplied by `scale`;
// - `spark_fit` runs on the driver: the core's L-BFGS driver (detail::fit_maximum_likelihood)
//   over a kernel that calls back into Python, where the callback sums `spark_loglik` over the
//   partitions with one Spark job. The optimiser, its stopping rules and the standard errors
//   are thus the single-machine fit's; only the order of the sums differs.
// The time scaling (times in units of the largest T, as lifetimes fits) and its undoing mirror
// fit_bg_nbd / fit_mbg_nbd / fit_pareto_nbd (src/retention/*.cpp); keep them in step.
#include "common.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/retention.hpp"

#include <pybind11/eigen.h>
#include <pybind11/functional.h>

#include <array>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <vector>

namespace custometrics::python {
namespace {

enum class spark_model { bg_nbd, mbg_nbd, pareto_nbd, gamma_gamma };

spark_model model_of(const std::string& name) {
    if (name == "gamma_gamma") return spark_model::gamma_gamma;
    switch (parse_purchase_model(name, "model")) {
    case purchase_model_kind::bg_nbd:
        return spark_model::bg_nbd;
    case purchase_model_kind::mbg_nbd:
        return spark_model::mbg_nbd;
    case purchase_model_kind::pareto_nbd:
        break;
    }
    return spark_model::pareto_nbd;
}

std::size_t n_params(spark_model m) {
    return m == spark_model::gamma_gamma ? 3 : 4;
}

/// Checks one partition's rows as the single-machine fit would (same messages; positions are
/// within the partition). Purchase models: (frequency, recency, T, weight); Gamma-Gamma:
/// (frequency, monetary value, weight), `T` unused.
void check_rows(const std::string& model, const float64_array& frequency,
                const float64_array& second, const float64_array& T, const float64_array& weights) {
    const spark_model m = model_of(model);
    const auto x = as_span(frequency);
    const auto a = as_span(second);
    const auto w = as_span(weights);
    if (m != spark_model::gamma_gamma) {
        detail::check_summary(x, a, as_span(T), w);
        return;
    }
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::string where = "customer " + std::to_string(i) + ": ";
        if (!std::isfinite(x[i]) || !(x[i] > 0) || x[i] != std::floor(x[i]))
            throw data_error("frequency: " + where + "value " + detail::format_number(x[i]) +
                             " is not a whole number > 0 (the Gamma-Gamma model is fitted on "
                             "repeat buyers only)");
        if (!std::isfinite(a[i]) || !(a[i] > 0))
            throw data_error("monetary: " + where + "value " + detail::format_number(a[i]) +
                             " is not a finite number > 0");
        if (!std::isfinite(w[i]) || w[i] < 0)
            throw data_error("weights: " + where + "value " + detail::format_number(w[i]) +
                             " is not a finite number >= 0");
    }
}

/// sum_i w_i log L_i and its gradient in the natural parameters `p` (in scaled time units for
/// the purchase models: recency and T are multiplied by `scale` first).
py::tuple loglik(const std::string& model, const std::vector<double>& p,
                 const float64_array& frequency, const float64_array& second,
                 const float64_array& T, const float64_array& weights, double scale) {
    const spark_model m = model_of(model);
    if (p.size() != n_params(m))
        throw invalid_argument("params", std::to_string(p.size()) + " values for " +
                                             std::to_string(n_params(m)) + " parameters");
    const auto x = as_span(frequency);
    const auto a = as_span(second);
    const auto w = as_span(weights);
    const std::size_t n = x.size();
    double ll = 0.0;
    std::vector<double> grad(n_params(m), 0.0);
    {
        py::gil_scoped_release nogil;
        if (m == spark_model::gamma_gamma) {
            const gamma_gamma_params g{p[0], p[1], p[2]};
            for (std::size_t i = 0; i < n; ++i) {
                const gamma_gamma_loglik l = log_likelihood_gradient(g, x[i], a[i]);
                ll += w[i] * l.value;
                for (std::size_t j = 0; j < 3; ++j)
                    grad[j] += w[i] * l.gradient[j];
            }
        } else {
            const auto t = as_span(T);
            std::vector<double> tx(n);
            std::vector<double> ts(n);
            for (std::size_t i = 0; i < n; ++i) {
                tx[i] = a[i] * scale;
                ts[i] = t[i] * scale;
            }
            std::array<double, 4> g{};
            const std::span<double, 4> gs(g);
            if (m == spark_model::bg_nbd)
                detail::bg_nbd_add_loglik({p[0], p[1], p[2], p[3]}, x, tx, ts, w, 0, n, ll, gs);
            else if (m == spark_model::mbg_nbd)
                detail::mbg_nbd_add_loglik({p[0], p[1], p[2], p[3]}, x, tx, ts, w, 0, n, ll, gs);
            else
                detail::pareto_nbd_add_loglik({p[0], p[1], p[2], p[3]}, x, tx, ts, w, 0, n, ll, gs);
            for (std::size_t j = 0; j < 4; ++j)
                grad[j] = g[j];
        }
    }
    return py::make_tuple(ll, grad);
}

/// The core's maximum-likelihood driver over `evaluate(params) -> (ll, grad)`, which sums the
/// partitions; `n_rows` distinct rows of total weight `total_weight`, `sum_wx` = sum w x and
/// `scale` = 1 / max T (purchase models; 1 for Gamma-Gamma).
py::dict fit(const std::string& model, const py::function& evaluate, std::size_t n_rows,
             double total_weight, double sum_wx, double scale, double penalizer, int max_iterations,
             double tol, std::vector<double> initial) {
    const spark_model m = model_of(model);
    if (!(scale > 0) || !std::isfinite(scale))
        throw invalid_argument("scale",
                               detail::format_number(scale) + " is not a positive finite number");
    fit_options o;
    o.penalizer = penalizer;
    o.max_iterations = max_iterations;
    o.gradient_tolerance = tol;
    o.initial = std::move(initial);
    o.threads = 1; // one kernel call per evaluation: one Spark job
    const double e01 = std::exp(0.1);
    std::vector<std::string> names{"r", "alpha", "a", "b"};
    std::vector<double> start{e01, e01, e01, e01};
    if (m == spark_model::pareto_nbd) {
        names = {"r", "alpha", "s", "beta"};
        start = {1.0, 1.0, 1.0, 1.0};
    } else if (m == spark_model::gamma_gamma) {
        names = {"p", "q", "v"};
        start = {e01, e01, e01};
    }
    const bool scaled = m != spark_model::gamma_gamma;
    if (scaled && o.initial.size() == 4) {
        o.initial[1] *= scale;
        if (m == spark_model::pareto_nbd) o.initial[3] *= scale;
    }
    const std::size_t k = names.size();
    // A Python error (a failed Spark job) is kept and re-raised after the fit; the evaluations
    // after it return NaN without calling back, so the driver stops quickly.
    std::exception_ptr failure;
    const detail::loglik_kernel kernel = [&](std::span<const double> p, std::size_t, std::size_t,
                                             double& ll, Eigen::Ref<Eigen::VectorXd> g) {
        if (failure) {
            ll = std::numeric_limits<double>::quiet_NaN();
            return;
        }
        py::gil_scoped_acquire gil;
        try {
            const py::tuple r = evaluate(std::vector<double>(p.begin(), p.end()));
            const auto grad = r[1].cast<std::vector<double>>();
            if (grad.size() != k)
                throw invalid_argument("evaluate", "returned " + std::to_string(grad.size()) +
                                                       " gradient values for " + std::to_string(k) +
                                                       " parameters");
            ll += r[0].cast<double>();
            for (std::size_t j = 0; j < k; ++j)
                g[static_cast<Eigen::Index>(j)] += grad[j];
        } catch (...) {
            failure = std::current_exception();
            ll = std::numeric_limits<double>::quiet_NaN();
        }
    };
    fit_result f;
    {
        py::gil_scoped_release nogil;
        try {
            f = detail::fit_maximum_likelihood(kernel, n_rows, total_weight, names, start, o);
        } catch (...) {
            if (!failure) throw;
        }
    }
    if (failure) std::rethrow_exception(failure);
    if (scaled) {
        for (int j : {1, 3}) {
            if (j == 3 && m != spark_model::pareto_nbd) continue;
            f.params[j] /= scale;
            f.std_errors[j] /= scale;
            f.covariance.row(j) /= scale;
            f.covariance.col(j) /= scale;
        }
        f.log_likelihood += sum_wx * std::log(scale);
    }
    return fit_dict(std::move(f));
}

} // namespace

void register_spark(py::module_& m) {
    m.def("spark_check_rows", &check_rows, py::arg("model"), py::arg("frequency"),
          py::arg("second"), py::arg("T"), py::arg("weights"),
          "Checks one partition's fit rows as the single-machine fit does.");
    m.def("spark_loglik", &loglik, py::arg("model"), py::arg("params"), py::arg("frequency"),
          py::arg("second"), py::arg("T"), py::arg("weights"), py::arg("scale"),
          "Weighted log-likelihood and gradient of one partition's fit rows.");
    m.def("spark_fit", &fit, py::arg("model"), py::arg("evaluate"), py::arg("n_rows"),
          py::arg("total_weight"), py::arg("sum_wx"), py::arg("scale"), py::arg("penalizer"),
          py::arg("max_iterations"), py::arg("tol"), py::arg("initial"),
          "Maximum-likelihood fit over a log-likelihood summed by a Python callback.");
}

} // namespace custometrics::python
