// _core.bgbb_*, _core.retention_select and _core.retention_intervals: the BG/BB model of discrete
// opportunities (retention/bg_bb.hpp), the model choice on a holdout (retention/selection.hpp)
// and the prediction intervals of the expected purchases (retention/intervals.hpp) over numpy
// columns, with their typed results (ModelSelection, ModelScore, PredictionIntervals).
//
// Bindings only: each function converts its arguments, calls one core function and returns its
// result; the pure-Python layer (custometrics/retention.py) holds the estimator and the frames.
// Long calls release the GIL. Kept apart from register_retention.cpp so that the two areas
// change independently.
#include "common.hpp"

#include "custometrics/retention/bg_bb.hpp"
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

/// The BG/BB parameters from a list in the order alpha, beta, gamma, delta.
bg_bb_params bb_of(const std::vector<double>& p) {
    if (p.size() != 4)
        throw invalid_argument("params", "the BG/BB model has 4 parameters (alpha, beta, gamma, "
                                         "delta), got " +
                                             std::to_string(p.size()));
    return {p[0], p[1], p[2], p[3]};
}

fit_options fit_options_of(double penalizer, int max_iterations, double tol,
                           std::vector<double> initial, int threads) {
    fit_options o;
    o.penalizer = penalizer;
    o.max_iterations = max_iterations;
    o.gradient_tolerance = tol;
    o.initial = std::move(initial);
    o.threads = threads;
    return o;
}

/// The BG/BB fit and the number of unique patterns it was evaluated on.
std::pair<fit_result, std::size_t>
bb_fit(const float64_array& frequency, const float64_array& recency, const float64_array& periods,
       const float64_array& weights, double penalizer, int max_iterations, double tol,
       std::vector<double> initial, int threads) {
    const fit_options o =
        fit_options_of(penalizer, max_iterations, tol, std::move(initial), threads);
    const auto x = as_span(frequency), tx = as_span(recency), n = as_span(periods),
               w = as_span(weights);
    py::gil_scoped_release nogil;
    const bg_bb_patterns rows = compress_bg_bb(x, tx, n, w);
    return {fit_bg_bb(rows, o), rows.size()};
}

/// A per-customer prediction of the core (its rows checked there, naming the customer).
template <class Predict>
py::array_t<double> per_customer(const std::vector<double>& p, const float64_array& frequency,
                                 const float64_array& recency, const float64_array& periods,
                                 Predict predict) {
    const bg_bb_params params = bb_of(p);
    const auto x = as_span(frequency), tx = as_span(recency), n = as_span(periods);
    std::vector<double> out;
    {
        py::gil_scoped_release nogil;
        out = predict(params, x, tx, n);
    }
    return to_numpy(std::move(out));
}

using span = std::span<const double>;

/// The model choice of selection.hpp ( `holdout` empty: without a holdout, by BIC) and the
/// unique calibration rows its fits were evaluated on (for the chosen model's statistics).
std::pair<model_selection, std::size_t>
select(const float64_array& frequency, const float64_array& recency, const float64_array& T,
       const float64_array& holdout, double duration, const std::optional<std::string>& criterion,
       const std::vector<std::string>& models, double penalizer, int max_iterations, double tol,
       int threads, int max_frequency) {
    selection_options o;
    if (criterion) o.criterion = parse_selection_criterion(*criterion, "by");
    o.models.clear();
    for (const std::string& name : models)
        o.models.push_back(parse_purchase_model(name, "models"));
    o.fit = fit_options_of(penalizer, max_iterations, tol, {}, threads);
    o.max_frequency = max_frequency;
    const auto x = as_span(frequency), tx = as_span(recency), age = as_span(T),
               h = as_span(holdout);
    py::gil_scoped_release nogil;
    model_selection out = h.empty() ? select_purchase_model(x, tx, age, o)
                                    : select_purchase_model(x, tx, age, h, duration, o);
    return {std::move(out), compress_summary(x, tx, age).size()};
}

/// The intervals of intervals.hpp for a fitted purchase model (its covariance, or the error
/// naming `interval` when it records none).
prediction_intervals intervals(const fitted_model& model, double t, const float64_array& frequency,
                               const float64_array& recency, const float64_array& T,
                               const std::string& method, double level, std::size_t draws,
                               std::uint64_t seed, unsigned threads, double penalizer) {
    interval_options o;
    o.method = parse_interval_method(method, "interval");
    o.level = level;
    o.draws = draws;
    o.seed = seed;
    o.threads = threads;
    o.fit.penalizer = penalizer;
    const auto x = as_span(frequency), tx = as_span(recency), age = as_span(T);
    py::gil_scoped_release nogil;
    return conditional_expected_purchases_intervals(model, t, x, tx, age, o, "interval");
}

} // namespace

void register_bgbb(py::module_& m) {
    m.def("bgbb_fit", &bb_fit, py::arg("frequency"), py::arg("recency"), py::arg("periods"),
          py::arg("weights"), py::arg("penalizer"), py::arg("max_iterations"), py::arg("tol"),
          py::arg("initial"), py::arg("threads"),
          "Maximum-likelihood fit of BG/BB (bg_bb.hpp): (FitResult, unique patterns).");
    m.def(
        "bgbb_p_alive",
        [](const std::vector<double>& p, const float64_array& x, const float64_array& tx,
           const float64_array& n, int ahead) {
            return per_customer(p, x, tx, n,
                                [ahead](const bg_bb_params& q, span a, span b, span c) {
                                    return p_alive(q, a, b, c, ahead);
                                });
        },
        py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("periods"),
        py::arg("ahead") = 1, "P(alive at opportunity n + ahead) per customer.");
    m.def(
        "bgbb_conditional_expected_purchases",
        [](const std::vector<double>& p, int future, const float64_array& x,
           const float64_array& tx, const float64_array& n) {
            return per_customer(p, x, tx, n,
                                [future](const bg_bb_params& q, span a, span b, span c) {
                                    return conditional_expected_purchases(q, future, a, b, c);
                                });
        },
        py::arg("params"), py::arg("future"), py::arg("frequency"), py::arg("recency"),
        py::arg("periods"), "E[X(n, n + future)] per customer (FHS eq. 13).");
    m.def(
        "bgbb_dert",
        [](const std::vector<double>& p, double d, const float64_array& x, const float64_array& tx,
           const float64_array& n) {
            return per_customer(p, x, tx, n, [d](const bg_bb_params& q, span a, span b, span c) {
                return dert(q, d, a, b, c);
            });
        },
        py::arg("params"), py::arg("discount_rate"), py::arg("frequency"), py::arg("recency"),
        py::arg("periods"), "DERT(d) per customer (FHS eq. 14).");
    m.def(
        "bgbb_expected_purchases",
        [](const std::vector<double>& p, int n) { return expected_purchases(bb_of(p), n); },
        py::arg("params"), py::arg("n"), "E[X(n)] of a new customer (FHS eq. 8).");
    m.def(
        "bgbb_probability_of_purchases",
        [](const std::vector<double>& p, int n, int x) {
            return probability_of_purchases(bb_of(p), n, x);
        },
        py::arg("params"), py::arg("n"), py::arg("x"), "P(X(n) = x) of a new customer (eq. 7).");
    m.def(
        "bgbb_log_likelihood",
        [](const std::vector<double>& p, double x, double tx, double n) {
            return log_likelihood(bb_of(p), x, tx, n);
        },
        py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("periods"),
        "log L of one customer (FHS eq. 5).");

    // The covariance the fit statistics keep (fitted_model.hpp), on the class that
    // register_retention.cpp binds.
    auto statistics = py::reinterpret_borrow<py::class_<fit_statistics>>(m.attr("FitStatistics"));
    statistics.def_property_readonly(
        "covariance", [](const fit_statistics& s) { return s.covariance; },
        "The parameters' covariance (0 x 0 when the JSON did not record it).");

    py::class_<model_score>(m, "ModelScore", "One candidate of a model choice (selection.hpp).")
        .def_property_readonly("model",
                               [](const model_score& s) { return std::string(to_string(s.model)); })
        .def_readonly("usable", &model_score::usable)
        .def_readonly("reason", &model_score::reason)
        .def_readonly("fit", &model_score::fit)
        .def_readonly("parameters", &model_score::parameters)
        .def_readonly("log_likelihood", &model_score::log_likelihood)
        .def_readonly("aic", &model_score::aic)
        .def_readonly("bic", &model_score::bic)
        .def_property_readonly("mae", [](const model_score& s) { return s.holdout.mae; })
        .def_property_readonly("rmse", [](const model_score& s) { return s.holdout.rmse; })
        .def_readonly("aggregate_error", &model_score::aggregate_error)
        .def_readonly("score", &model_score::score);
    py::class_<model_selection>(m, "ModelSelection", "A model choice (selection.hpp).")
        .def_property_readonly(
            "criterion",
            [](const model_selection& s) { return std::string(to_string(s.criterion)); })
        .def_readonly("has_holdout", &model_selection::has_holdout)
        .def_readonly("duration", &model_selection::duration)
        .def_readonly("customers", &model_selection::customers)
        .def_readonly("models", &model_selection::models)
        .def_readonly("chosen", &model_selection::chosen);
    m.def(
        "retention_needs_holdout",
        [](const std::string& criterion) {
            return needs_holdout(parse_selection_criterion(criterion, "by"));
        },
        py::arg("criterion"), "Whether the criterion scores a holdout (InputError if unknown).");
    m.def("retention_select", &select, py::arg("frequency"), py::arg("recency"), py::arg("T"),
          py::arg("holdout"), py::arg("duration"), py::arg("criterion"), py::arg("models"),
          py::arg("penalizer"), py::arg("max_iterations"), py::arg("tol"), py::arg("threads"),
          py::arg("max_frequency") = 7,
          "Chooses among the purchase models (select_purchase_model); holdout empty: by BIC. "
          "Returns (ModelSelection, unique calibration rows).");

    py::class_<prediction_intervals>(m, "PredictionIntervals",
                                     "Intervals of the expected purchases (intervals.hpp).")
        .def_property_readonly(
            "method",
            [](const prediction_intervals& p) { return std::string(to_string(p.method)); })
        .def_readonly("level", &prediction_intervals::level)
        .def_readonly("horizon", &prediction_intervals::horizon)
        .def_readonly("draws", &prediction_intervals::draws)
        .def_readonly("failed_draws", &prediction_intervals::failed_draws)
        .def_readonly("first_failure", &prediction_intervals::first_failure)
        .def_readonly("seed", &prediction_intervals::seed)
        .def_property_readonly("estimate", numpy_of(&prediction_intervals::estimate))
        .def_property_readonly("std_error", numpy_of(&prediction_intervals::std_error))
        .def_property_readonly("lower", numpy_of(&prediction_intervals::lower))
        .def_property_readonly("upper", numpy_of(&prediction_intervals::upper))
        .def_readonly("total", &prediction_intervals::total)
        .def_readonly("total_std_error", &prediction_intervals::total_std_error)
        .def_readonly("total_lower", &prediction_intervals::total_lower)
        .def_readonly("total_upper", &prediction_intervals::total_upper);
    m.def("retention_intervals", &intervals, py::arg("model"), py::arg("t"), py::arg("frequency"),
          py::arg("recency"), py::arg("T"), py::arg("method"), py::arg("level"), py::arg("draws"),
          py::arg("seed"), py::arg("threads"), py::arg("penalizer") = 0.0,
          "Prediction intervals of the conditional expected purchases "
          "(conditional_expected_purchases_intervals).");
}

} // namespace custometrics::python
