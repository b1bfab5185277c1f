// Python bindings of retention/covariates.hpp: the purchase models with time-invariant
// covariates in CLVTools' parameterisation (fit, per-customer predictions) and the covariate
// members of the fitted model's JSON form. The pure-Python layer (custometrics/retention.py)
// turns a covariate frame into (keys, columns) and the summary's customers into keys; every
// rule (coding, alignment, errors naming the key) is the core's.
#include "common.hpp"

#include "custometrics/retention.hpp"

#include <pybind11/eigen.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace custometrics::python {
namespace {

using span = std::span<const double>;
/// A covariate column: numbers (a numpy array) or labels (a list of str, categorical).
using columns_arg =
    std::vector<std::pair<std::string, std::variant<span, std::vector<std::string>>>>;

/// A covariate table from its keys and (name, column) pairs.
covariate_table table_of(std::vector<std::string> keys, const columns_arg& columns) {
    covariate_table t{std::move(keys), {}};
    for (const auto& [name, column] : columns) {
        covariate_column& c = t.columns.emplace_back(covariate_column{name, {}, {}});
        if (const auto* v = std::get_if<span>(&column))
            c.values.assign(v->begin(), v->end());
        else
            c.labels = std::get<std::vector<std::string>>(column);
    }
    return t;
}

covariate_fit fit(purchase_model_kind kind, span x, span tx, span T,
                  const std::vector<std::string>& keys, std::vector<std::string> cov_keys,
                  const columns_arg& columns, covariate_spec spec, double penalizer,
                  int max_iterations, double tol, std::vector<double> initial, int threads) {
    const covariate_table t = table_of(std::move(cov_keys), columns);
    const fit_options o{penalizer, max_iterations, tol, std::move(initial), threads};
    return fit_with_covariates(kind, x, tx, T, design_covariates(t, keys, spec), o);
}

/// P(alive) and the expected purchases in the next `t` periods of each customer at its own
/// parameters (covariates.hpp `customer_params`).
py::tuple predict(purchase_model_kind model, const std::vector<double>& params,
                  const covariate_coefficients& coefficients, const std::vector<std::string>& keys,
                  std::vector<std::string> cov_keys, const columns_arg& columns, span x, span tx,
                  span T, double t) {
    const covariate_model m{purchase_params_from(model, params), coefficients};
    const covariate_table table = table_of(std::move(cov_keys), columns);
    const std::vector<purchase_params> per = customer_params(m, design_for(m, table, keys));
    return py::make_tuple(to_numpy(p_alive(per, x, tx, T)),
                          to_numpy(conditional_expected_purchases(per, t, x, tx, T)));
}

} // namespace

void register_covariates(py::module_& m) {
    CM_OPTIONS(m, covariate_spec, "CovariateSpec",
               "Which covariates enter which process (covariates.hpp).", life, trans, constrained,
               life_penalizer, trans_penalizer);
    m.def("check_covariate_request", &check_covariate_request, py::arg("spec"),
          py::arg("has_table"), "Refuses covariates named without a table, and the reverse.");
    CM_OPTIONS(m, covariate_coefficients, "CovariateCoefficients",
               "Coefficients of a model with covariates by process.", life_names, life, trans_names,
               trans, constrained, reference_levels);
    CM_RESULT(m, covariate_fit, "CovariateFit", "A fit with covariates (covariates.hpp).",
              base_std_errors, life_std_errors, trans_std_errors, fit)
        .def_property_readonly("coefficients",
                               [](const covariate_fit& f) { return f.model.coefficients; })
        .def(
            "fitted_model",
            [](const covariate_fit& f, const std::string& unit, double scale) {
                return fitted_covariate_model(f, parse_summary_units(unit, scale));
            },
            py::arg("time_unit"), py::arg("unit_scale"),
            "The fitted model (JSON form) on a summary of that time axis.");
    m.def("retention_fit_covariates", &fit, release_gil(), py::arg("model"), py::arg("frequency"),
          py::arg("recency"), py::arg("T"), py::arg("keys"), py::arg("covariate_keys"),
          py::arg("columns"), py::arg("spec"), py::arg("penalizer"), py::arg("max_iterations"),
          py::arg("tol"), py::arg("initial"), py::arg("threads"),
          "Maximum-likelihood fit of a purchase model with covariates (covariates.hpp).");
    m.def("retention_covariate_predict", &predict, py::arg("model"), py::arg("params"),
          py::arg("coefficients"), py::arg("keys"), py::arg("covariate_keys"), py::arg("columns"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("t") = 0.0,
          "(P(alive), expected purchases in the next t periods) of each customer at its own "
          "parameters.");
    // The covariate members of the fitted model (fitted_model.hpp), on the class
    // register_retention.cpp binds (its statistics list theirs there).
    auto fitted = py::reinterpret_borrow<py::class_<fitted_model>>(m.attr("FittedModel"));
    fitted.def_readwrite("covariates", &fitted_model::covariates,
                         "The coefficients of a model with covariates (None without).");
}

} // namespace custometrics::python
