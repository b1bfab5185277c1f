// _core.spark_*: retention-model fits whose data stays in Spark partitions
// (custometrics/spark/models.py) over the core's partition API (retention/partition.hpp,
// covariate_partition.hpp): in the executors `spark_totals` checks and totals one partition's
// rows (`PartitionTotals`, merged with `+`) and `spark_loglik` (with covariates
// `spark_covariate_block`, register_covariates.cpp) evaluates their log-likelihood and gradient
// at the driver's point; on the driver `spark_fit` runs the single-machine fit's driver over a
// Python callback that sums them with one Spark job. A purchase model is a `PurchaseModel`; None
// is the Gamma-Gamma model (rows: frequency, monetary value, weights; `T` unused).
#include "common.hpp"

#include "custometrics/retention.hpp"

#include <pybind11/functional.h>

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace custometrics::python {
namespace {

/// The purchase model of a fit, or none for the Gamma-Gamma spend model.
using model_arg = std::optional<purchase_model_kind>;

using span = std::span<const double>;

/// Checks one partition's fit rows as the single-machine fit does and totals them: spend rows
/// (frequency, monetary value as `second`, weights) for the Gamma-Gamma model, else purchase rows
/// (frequency, recency as `second`, T, weights).
partition_totals totals(const model_arg& model, span x, span second, span T, span w) {
    const auto of = [](const auto& rows) { return check_rows(rows), totals_of(rows); };
    return model ? of(purchase_rows{x, second, T, w}) : of(spend_rows{x, second, w});
}

std::pair<double, std::vector<double>> loglik(const model_arg& model, const std::vector<double>& p,
                                              span x, span second, span T, span w, double scale) {
    py::gil_scoped_release nogil;
    loglik_gradient l = model
                            ? partition_log_likelihood(*model, p, {x, second, T, w}, scale)
                            : partition_log_likelihood(gamma_gamma_params_from(p), {x, second, w});
    return {l.value, std::move(l.gradient)};
}

/// `fit_partitioned` over `evaluate(params) -> (ll, grad)`, which sums the partitions; with
/// covariate `levels` and `spec` `fit_covariates_partitioned` (covariate_partition.hpp).
std::variant<fit_result, covariate_fit> fit(const model_arg& model, const py::function& evaluate,
                                            const partition_totals& totals, const fit_options& o,
                                            const std::optional<covariate_levels>& levels,
                                            const covariate_spec& spec) {
    const partition_evaluator call = [&evaluate](std::span<const double> p) {
        py::gil_scoped_acquire gil;
        const py::tuple r = evaluate(std::vector<double>(p.begin(), p.end()));
        return loglik_gradient{r[0].cast<double>(), r[1].cast<std::vector<double>>()};
    };
    py::gil_scoped_release nogil;
    if (levels && !model)
        throw invalid_argument("covariates", "the Gamma-Gamma spend model takes no covariates");
    if (levels)
        return fit_covariates_partitioned(*model, call, totals, covariate_layout(*levels, spec), o);
    if (model) return fit_partitioned(*model, call, totals, o);
    return fit_gamma_gamma_partitioned(call, totals, o);
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
    m.def("spark_totals", &totals, py::arg("model"), py::arg("frequency"), py::arg("second"),
          py::arg("T"), py::arg("weights"),
          "Checks one partition's fit rows as the single-machine fit does (the position is in "
          "the error's `row`) and gives their PartitionTotals.");
    m.def("spark_loglik", &loglik, py::arg("model"), py::arg("params"), py::arg("frequency"),
          py::arg("second"), py::arg("T"), py::arg("weights"), py::arg("time_scale"),
          "Weighted log-likelihood and gradient of one partition's fit rows.");
    m.def("spark_fit", &fit, py::arg("model"), py::arg("evaluate"), py::arg("totals"),
          py::arg("options"), py::arg("levels") = py::none(), py::arg("spec") = covariate_spec{},
          "Maximum-likelihood fit over a log-likelihood summed by a Python callback; with "
          "covariate levels a CovariateFit.");
}

} // namespace custometrics::python
