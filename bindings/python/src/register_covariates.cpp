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

covariate_fit fit(purchase_model_kind kind, span x, span tx, span T,
                  const std::vector<std::string>& keys, std::vector<std::string> cov_keys,
                  covariate_columns columns, const covariate_spec& spec, const fit_options& o) {
    const covariate_table t = covariate_table_of(std::move(cov_keys), std::move(columns));
    return fit_with_covariates(kind, x, tx, T, design_covariates(t, keys, spec), o);
}

/// P(alive) and the expected purchases in the next `t` periods of each customer at its own
/// parameters (covariates.hpp `customer_params`).
py::tuple predict(purchase_model_kind model, const std::vector<double>& params,
                  const covariate_coefficients& coefficients, const std::vector<std::string>& keys,
                  std::vector<std::string> cov_keys, covariate_columns columns, span x, span tx,
                  span T, double t) {
    const covariate_model m{purchase_params_from(model, params), coefficients};
    const covariate_table table = covariate_table_of(std::move(cov_keys), std::move(columns));
    const std::vector<purchase_params> per = customer_params(m, design_for(m, table, keys));
    return py::make_tuple(to_numpy(p_alive(per, x, tx, T)),
                          to_numpy(conditional_expected_purchases(per, t, x, tx, T)));
}

/// One Spark partition's customers coded under the layout of `levels` and `spec`
/// (covariate_partition.hpp; the errors name the key); with `params`, their log-likelihood and
/// gradient at that time-scaled point, else None (the checks only).
py::object block(purchase_model_kind kind, const std::vector<double>& params, span x, span tx,
                 span T, const std::vector<std::string>& keys, std::vector<std::string> cov_keys,
                 covariate_columns columns, const covariate_levels& levels,
                 const covariate_spec& spec, double time_scale) {
    const covariate_design d =
        covariate_block(covariate_layout(levels, spec),
                        covariate_table_of(std::move(cov_keys), std::move(columns)), keys);
    if (params.empty()) return py::none();
    const loglik_gradient l =
        partition_covariate_log_likelihood(kind, params, {x, tx, T, {}}, d, time_scale);
    return py::make_tuple(l.value, l.gradient);
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
          py::arg("columns"), py::arg("spec"), py::arg("options"),
          "Maximum-likelihood fit of a purchase model with covariates (covariates.hpp).");
    m.def("retention_covariate_predict", &predict, py::arg("model"), py::arg("params"),
          py::arg("coefficients"), py::arg("keys"), py::arg("covariate_keys"), py::arg("columns"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("t") = 0.0,
          "(P(alive), expected purchases in the next t periods) of each customer at its own "
          "parameters.");
    m.def("spark_covariate_block", &block, py::arg("model"), py::arg("params"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("keys"),
          py::arg("covariate_keys"), py::arg("columns"), py::arg("levels"), py::arg("spec"),
          py::arg("time_scale"),
          "One partition's customers with covariates: checked, and with "
          "params their (log-likelihood, gradient) (covariate_partition.hpp).");
    // The covariate members of the fitted model (fitted_model.hpp), on the class
    // register_retention.cpp binds (its statistics list theirs there).
    auto fitted = py::reinterpret_borrow<py::class_<fitted_model>>(m.attr("FittedModel"));
    fitted.def_readwrite("covariates", &fitted_model::covariates,
                         "The coefficients of a model with covariates (None without).");
}

} // namespace custometrics::python
