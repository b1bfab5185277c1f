// _core.bgbb_*, _core.retention_select and _core.retention_intervals: the BG/BB model of discrete
// opportunities (retention/bg_bb.hpp), the model choice on a holdout (retention/selection.hpp)
// and the prediction intervals of the expected purchases and CLV (retention/intervals.hpp) over
// numpy columns, with their typed results (ModelSelection, ModelScore, PredictionIntervals).
//
// Bindings only: each function converts its arguments, calls one core function and returns its
// result; the pure-Python layer (custometrics/retention.py) holds the estimator and the frames.
// Long calls release the GIL. Kept apart from register_retention.cpp so that the two areas
// change independently.
#include "common.hpp"

#include "custometrics/retention/bg_bb.hpp"
#include "custometrics/retention/covariate_partition.hpp"
#include "custometrics/retention/fitted_model.hpp"
#include "custometrics/retention/intervals.hpp"
#include "custometrics/retention/selection.hpp"

#include <pybind11/eigen.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace custometrics::python {
namespace {

using span = std::span<const double>;

/// The BG/BB fit and the number of unique patterns it was evaluated on.
std::pair<fit_result, std::size_t> bb_fit(span x, span tx, span n, span w, const fit_options& o) {
    const bg_bb_patterns rows = compress_bg_bb(x, tx, n, w);
    return {fit_bg_bb(rows, o), rows.size()};
}

/// A per-customer prediction of BG/BB (its rows checked by the core, naming the customer), with
/// its own argument `Extra` after the rows, as retention_* predictions take theirs.
template <class Extra, class Predict> auto prediction(Predict predict) {
    return [predict](const std::vector<double>& p, span x, span tx, span n, Extra extra) {
        const bg_bb_params params = bg_bb_params_from(p);
        return to_numpy(without_gil([&] { return predict(params, x, tx, n, extra); }));
    };
}

/// The model choice of selection.hpp ( `holdout` empty: without a holdout, by BIC) and the
/// unique calibration rows its fits were evaluated on (for the chosen model's statistics).
std::pair<model_selection, std::size_t> select(span x, span tx, span age, span h, double duration,
                                               const std::optional<std::string>& criterion,
                                               selection_options o) {
    if (criterion) o.criterion = parse_selection_criterion(*criterion, "by");
    model_selection out = h.empty() ? select_purchase_model(x, tx, age, o)
                                    : select_purchase_model(x, tx, age, h, duration, o);
    return {std::move(out), compress_summary(x, tx, age).size()};
}

/// The intervals of intervals.hpp for a fitted purchase model (its covariance, or the error
/// naming `interval` when it records none): of the expected purchases over `t`, or with
/// `spend` of the lifetime value of customers with mean spend `mv` (`clv`); a model with
/// covariates takes the customers' `keys` and the covariate table (`covariate_keys`, `columns`).
prediction_intervals intervals(const fitted_model& model, double t, span x, span tx, span age,
                               const std::string& method, interval_options o,
                               const std::optional<fitted_model>& spend, span mv, clv_options clv,
                               const std::vector<std::string>& keys,
                               std::optional<std::vector<std::string>> covariate_keys,
                               covariate_columns columns) {
    o.method = parse_interval_method(method, "interval");
    if (covariate_keys) {
        const covariate_table table =
            covariate_table_of(std::move(*covariate_keys), std::move(columns));
        if (spend)
            return customer_lifetime_value_intervals(model, *spend, table, keys, x, tx, age, mv,
                                                     clv, o, "interval", "interval");
        return conditional_expected_purchases_intervals(model, table, keys, t, x, tx, age, o,
                                                        "interval");
    }
    if (spend)
        return customer_lifetime_value_intervals(model, *spend, x, tx, age, mv, clv, o, "interval",
                                                 "interval");
    return conditional_expected_purchases_intervals(model, t, x, tx, age, o, "interval");
}

} // namespace

void register_bgbb(py::module_& m) {
    m.def("bgbb_fit", &bb_fit, release_gil(), py::arg("frequency"), py::arg("recency"),
          py::arg("periods"), py::arg("weights"), py::arg("options"),
          "Maximum-likelihood fit of BG/BB (bg_bb.hpp): (FitResult, unique patterns).");
    m.def("bgbb_p_alive",
          prediction<int>([](const bg_bb_params& q, span x, span tx, span n, int ahead) {
              return p_alive(q, x, tx, n, ahead);
          }),
          py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("periods"),
          py::arg("ahead") = 1, "P(alive at opportunity n + ahead) per customer.");
    m.def("bgbb_conditional_expected_purchases",
          prediction<int>([](const bg_bb_params& q, span x, span tx, span n, int future) {
              return conditional_expected_purchases(q, future, x, tx, n);
          }),
          py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("periods"),
          py::arg("future"), "E[X(n, n + future)] per customer (FHS eq. 13).");
    m.def("bgbb_dert",
          prediction<double>([](const bg_bb_params& q, span x, span tx, span n, double d) {
              return dert(q, d, x, tx, n);
          }),
          py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("periods"),
          py::arg("discount_rate"), "DERT(d) per customer (FHS eq. 14).");
    m.def(
        "bgbb_expected_purchases",
        [](const std::vector<double>& p, int n) {
            return expected_purchases(bg_bb_params_from(p), n);
        },
        py::arg("params"), py::arg("n"), "E[X(n)] of a new customer (FHS eq. 8).");
    m.def(
        "bgbb_probability_of_purchases",
        [](const std::vector<double>& p, int n, int x) {
            return probability_of_purchases(bg_bb_params_from(p), n, x);
        },
        py::arg("params"), py::arg("n"), py::arg("x"), "P(X(n) = x) of a new customer (eq. 7).");

    CM_RESULT(m, model_score, "ModelScore", "One candidate of a model choice (selection.hpp).",
              model, usable, reason, fit, parameters, log_likelihood, aic, bic, holdout,
              aggregate_error, score)
        .def_property_readonly("mae", [](const model_score& s) { return s.holdout.mae; })
        .def_property_readonly("rmse", [](const model_score& s) { return s.holdout.rmse; });
    CM_RESULT(m, model_selection, "ModelSelection", "A model choice (selection.hpp).", criterion,
              has_holdout, duration, customers, models, chosen);
    m.def(
        "retention_needs_holdout",
        [](const std::string& criterion) {
            return needs_holdout(parse_selection_criterion(criterion, "by"));
        },
        py::arg("criterion"), "Whether the criterion scores a holdout (InputError if unknown).");
    CM_OPTIONS(m, selection_options, "SelectionOptions",
               "A model choice's options but the criterion (selection.hpp).", models, fit,
               max_frequency);
    m.def("retention_select", &select, release_gil(), py::arg("frequency"), py::arg("recency"),
          py::arg("T"), py::arg("holdout"), py::arg("duration"), py::arg("criterion"),
          py::arg("options"),
          "Chooses among the purchase models (select_purchase_model); holdout empty: by BIC. "
          "Returns (ModelSelection, unique calibration rows).");

    CM_RESULT(m, prediction_intervals, "PredictionIntervals",
              "Intervals of the expected purchases (intervals.hpp).", method, level, horizon, draws,
              failed_draws, first_failure, seed, estimate, std_error, lower, upper, total,
              total_std_error, total_lower, total_upper);
    CM_OPTIONS(m, interval_options, "IntervalOptions",
               "Prediction interval options but the method (intervals.hpp).", level, draws, seed,
               threads, fit, spend_fit);
    m.def("retention_intervals", &intervals, release_gil(), py::arg("model"), py::arg("t"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("method"),
          py::arg("options"), py::arg("spend"), py::arg("monetary"), py::arg("clv"),
          py::arg("keys") = std::vector<std::string>{}, py::arg("covariate_keys") = py::none(),
          py::arg("covariate_columns") = covariate_columns{},
          "Prediction intervals of the conditional expected purchases, or with `spend` (not "
          "None) of the lifetime value (intervals.hpp); with `covariate_keys` those of a model "
          "with covariates.");
}

} // namespace custometrics::python
