// _core.spark_*: a retention-model fit whose data stays in Spark partitions
// (custometrics/spark/models.py, above its collect threshold), over the core's partition API
// (custometrics/retention/partition.hpp):
// - in the executors, `spark_check_rows` / `spark_totals` check one partition's compressed
//   rows and total them (`PartitionTotals`, merged with `+` in one Spark reduce), and
//   `spark_loglik` evaluates their weighted log-likelihood and gradient at the driver's point
//   with the fit's time scale (`PartitionTotals.time_scale`);
// - on the driver, `spark_fit` runs `fit_partitioned` over a Python callback that sums
//   `spark_loglik` over the partitions with one Spark job.
// The optimiser, its start, the time scaling and the standard errors are the single-machine
// fit's; only the order of the sums differs. A purchase model is a `PurchaseModel` (bgnbd,
// mbgnbd, pnbd); None is the Gamma-Gamma model, whose rows are (frequency, monetary value,
// weight) with `T` unused.
#include "common.hpp"

#include "custometrics/retention.hpp"

#include <pybind11/functional.h>

#include <optional>
#include <string>
#include <vector>

namespace custometrics::python {
namespace {

/// The purchase model of a fit, or none for the Gamma-Gamma spend model.
using model_arg = std::optional<purchase_model_kind>;

using span = std::span<const double>;

/// `f` of one partition's fit rows: spend rows (frequency, monetary value as `second`, weights)
/// for the Gamma-Gamma model, else purchase rows (frequency, recency as `second`, T, weights).
template <class F> auto on_rows(const model_arg& model, span x, span second, span T, span w, F f) {
    if (!model) return f(spend_rows{x, second, w});
    return f(purchase_rows{x, second, T, w});
}

void check(const model_arg& model, span x, span second, span T, span w) {
    on_rows(model, x, second, T, w, [](const auto& rows) { check_rows(rows); });
}

partition_totals totals(const model_arg& model, span x, span second, span T, span w) {
    return on_rows(model, x, second, T, w, [](const auto& rows) { return totals_of(rows); });
}

py::tuple loglik(const model_arg& model, const std::vector<double>& p, span x, span second, span T,
                 span w, double time_scale) {
    loglik_gradient l = on_rows(model, x, second, T, w, [&](const auto& rows) {
        py::gil_scoped_release nogil;
        if constexpr (std::is_same_v<std::decay_t<decltype(rows)>, spend_rows>)
            return partition_log_likelihood(gamma_gamma_params_from(p), rows);
        else
            return partition_log_likelihood(*model, p, rows, time_scale);
    });
    return py::make_tuple(l.value, std::move(l.gradient));
}

/// `fit_partitioned` over `evaluate(params) -> (ll, grad)`, which sums the partitions.
fit_result fit(const model_arg& model, const py::function& evaluate, const partition_totals& totals,
               double penalizer, int max_iterations, double tol, std::vector<double> initial) {
    const fit_options o{penalizer, max_iterations, tol, std::move(initial)};
    const partition_evaluator call = [&evaluate](std::span<const double> p) {
        py::gil_scoped_acquire gil;
        const py::tuple r = evaluate(std::vector<double>(p.begin(), p.end()));
        return loglik_gradient{r[0].cast<double>(), r[1].cast<std::vector<double>>()};
    };
    py::gil_scoped_release nogil;
    return model ? fit_partitioned(*model, call, totals, o)
                 : fit_gamma_gamma_partitioned(call, totals, o);
}

} // namespace

void register_spark(py::module_& m) {
    CM_RESULT(m, partition_totals, "PartitionTotals",
              "Rows, total weight, weighted frequency and largest T of fit rows; `+` merges "
              "partitions (picklable).",
              rows, weight, weighted_frequency, max_T)
        .def(py::init<>())
        .def_property_readonly("time_scale", &partition_totals::time_scale,
                               "The fit's time scale 1 / max T.")
        .def("__add__", [](partition_totals a, const partition_totals& b) { return a += b; });
    m.def("spark_check_rows", &check, py::arg("model"), py::arg("frequency"), py::arg("second"),
          py::arg("T"), py::arg("weights"),
          "Checks one partition's fit rows as the single-machine fit does (the position is in "
          "the error's `row`).");
    m.def("spark_totals", &totals, py::arg("model"), py::arg("frequency"), py::arg("second"),
          py::arg("T"), py::arg("weights"), "The PartitionTotals of one partition's fit rows.");
    m.def("spark_loglik", &loglik, py::arg("model"), py::arg("params"), py::arg("frequency"),
          py::arg("second"), py::arg("T"), py::arg("weights"), py::arg("time_scale"),
          "Weighted log-likelihood and gradient of one partition's fit rows.");
    m.def("spark_fit", &fit, py::arg("model"), py::arg("evaluate"), py::arg("totals"),
          py::arg("penalizer"), py::arg("max_iterations"), py::arg("tol"), py::arg("initial"),
          "Maximum-likelihood fit over a log-likelihood summed by a Python callback.");
}

} // namespace custometrics::python
