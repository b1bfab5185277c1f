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
// fit's; only the order of the sums differs. Purchase models are named as `retention_fit`
// names them ("bgnbd", "mbgnbd", "pnbd"); the Gamma-Gamma model as "gamma_gamma", whose rows
// are (frequency, monetary value, weight) with `T` unused.
#include "common.hpp"

#include "custometrics/retention.hpp"

#include <pybind11/functional.h>

#include <string>
#include <vector>

namespace custometrics::python {
namespace {

constexpr const char* spend_model = "gamma_gamma";

bool is_spend(const std::string& model) {
    return model == spend_model;
}

purchase_rows purchase_rows_of(const float64_array& frequency, const float64_array& recency,
                               const float64_array& T, const float64_array& weights) {
    return {as_span(frequency), as_span(recency), as_span(T), as_span(weights)};
}

spend_rows spend_rows_of(const float64_array& frequency, const float64_array& monetary,
                         const float64_array& weights) {
    return {as_span(frequency), as_span(monetary), as_span(weights)};
}

void check(const std::string& model, const float64_array& frequency, const float64_array& second,
           const float64_array& T, const float64_array& weights) {
    if (is_spend(model))
        check_rows(spend_rows_of(frequency, second, weights));
    else {
        (void)parse_purchase_model(model);
        check_rows(purchase_rows_of(frequency, second, T, weights));
    }
}

partition_totals totals(const std::string& model, const float64_array& frequency,
                        const float64_array& second, const float64_array& T,
                        const float64_array& weights) {
    if (is_spend(model)) return totals_of(spend_rows_of(frequency, second, weights));
    return totals_of(purchase_rows_of(frequency, second, T, weights));
}

py::tuple loglik(const std::string& model, const std::vector<double>& p,
                 const float64_array& frequency, const float64_array& second,
                 const float64_array& T, const float64_array& weights, double time_scale) {
    loglik_gradient l;
    if (is_spend(model)) {
        if (p.size() != 3)
            throw invalid_argument("params", std::to_string(p.size()) + " values for 3 parameters");
        const spend_rows rows = spend_rows_of(frequency, second, weights);
        py::gil_scoped_release nogil;
        l = partition_log_likelihood(gamma_gamma_params{p[0], p[1], p[2]}, rows);
    } else {
        const purchase_model_kind kind = parse_purchase_model(model);
        const purchase_rows rows = purchase_rows_of(frequency, second, T, weights);
        py::gil_scoped_release nogil;
        l = partition_log_likelihood(kind, p, rows, time_scale);
    }
    return py::make_tuple(l.value, std::move(l.gradient));
}

/// `fit_partitioned` over `evaluate(params) -> (ll, grad)`, which sums the partitions.
fit_result fit(const std::string& model, const py::function& evaluate,
               const partition_totals& totals, double penalizer, int max_iterations, double tol,
               std::vector<double> initial) {
    fit_options o;
    o.penalizer = penalizer;
    o.max_iterations = max_iterations;
    o.gradient_tolerance = tol;
    o.initial = std::move(initial);
    const partition_evaluator call = [&evaluate](std::span<const double> p) {
        py::gil_scoped_acquire gil;
        const py::tuple r = evaluate(std::vector<double>(p.begin(), p.end()));
        return loglik_gradient{r[0].cast<double>(), r[1].cast<std::vector<double>>()};
    };
    fit_result f;
    if (is_spend(model)) {
        py::gil_scoped_release nogil;
        f = fit_gamma_gamma_partitioned(call, totals, o);
    } else {
        const purchase_model_kind kind = parse_purchase_model(model);
        py::gil_scoped_release nogil;
        f = fit_partitioned(kind, call, totals, o);
    }
    return f;
}

} // namespace

void register_spark(py::module_& m) {
    py::class_<partition_totals>(m, "PartitionTotals",
                                 "Rows, total weight, weighted frequency and largest T of fit "
                                 "rows; `+` merges partitions (picklable).")
        .def(py::init<>())
        .def_readonly("rows", &partition_totals::rows)
        .def_readonly("weight", &partition_totals::weight)
        .def_readonly("weighted_frequency", &partition_totals::weighted_frequency)
        .def_readonly("max_T", &partition_totals::max_T)
        .def_property_readonly("time_scale", &partition_totals::time_scale,
                               "The fit's time scale 1 / max T.")
        .def("__add__", [](partition_totals a, const partition_totals& b) { return a += b; })
        .def(py::pickle(
            [](const partition_totals& t) {
                return py::make_tuple(t.rows, t.weight, t.weighted_frequency, t.max_T);
            },
            [](const py::tuple& s) {
                partition_totals t;
                t.rows = s[0].cast<std::size_t>();
                t.weight = s[1].cast<double>();
                t.weighted_frequency = s[2].cast<double>();
                t.max_T = s[3].cast<double>();
                return t;
            }));
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
