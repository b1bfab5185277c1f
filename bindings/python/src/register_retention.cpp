// _core.retention_*: the retention models (custometrics/retention.hpp) over numpy columns.
//
// One entry point per operation and per prediction (retention_p_alive, ..._log_likelihood,
// ...), with the purchase model as a `PurchaseModel` (the pure-Python layer converts the
// names users write once, through `parse_purchase_model`) and its parameters as a list in the
// model's order; results are the core's bound
// classes (FitResult, FitStatistics, CustomerScores, ...) and numpy columns. The pure-Python
// layer (custometrics/retention.py) holds the estimator classes. Long calls release the GIL.
#include "common.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/retention.hpp"

#include <pybind11/eigen.h>

#include <algorithm>
#include <cmath>

namespace custometrics::python {
namespace {

using span = std::span<const double>;

/// The fit of a purchase model and the unique rows it was evaluated on.
std::pair<fit_result, std::size_t> fit(purchase_model_kind model, span x, span tx, span t, span w,
                                       const fit_options& o) {
    const compressed_summary rows = compress_summary(x, tx, t, w);
    return {fit_purchase_model(model, rows, o), rows.size()};
}

/// One per-customer prediction of a purchase model (purchase_model.hpp); `Extra` are the
/// prediction's own arguments after the rows (the horizon t). With `Check`, the rows are checked
/// first as a fit would check them (NaN, negative, t_x > T, ...), naming the customer: for the
/// predictions whose core function does not name the customer itself; P(alive) and the
/// expected purchases are checked by the core, once.
template <bool Check, class... Extra, class Predict> auto prediction(Predict predict) {
    return [predict](purchase_model_kind model, const std::vector<double>& p, span x, span tx,
                     span age, Extra... extra) {
        const purchase_params params = purchase_params_from(model, p);
        return to_numpy(without_gil([&] {
            if constexpr (Check) custometrics::detail::check_summary(x, tx, age);
            return predict(params, x, tx, age, extra...);
        }));
    };
}

/// The fit of the Gamma-Gamma model and the core's spend sample (its size and left-out counts):
/// repeat buyers with a positive mean spend, the rest counted.
std::pair<fit_result, spend_sample> fit_gg(span x, span m, span w, const fit_options& o) {
    spend_sample sample = select_spend_sample(x, m, w);
    fit_result r = fit_gamma_gamma(sample, o);
    return {std::move(r), std::move(sample)};
}

py::array_t<double> clv(purchase_model_kind model, const std::vector<double>& p,
                        const std::vector<double>& spend_params, span x, span tx, span age, span m,
                        const clv_options& o) {
    const purchase_params params = purchase_params_from(model, p);
    const gamma_gamma_params g = gamma_gamma_params_from(spend_params);
    return to_numpy(
        without_gil([&] { return customer_lifetime_value(params, g, x, tx, age, m, o); }));
}

/// The scores of the summary columns (score_customers of retention/scoring.hpp), `w` weights;
/// a model with covariates scores each customer of `keys` at its own parameters from the table
/// (`covariate_keys`, `columns`; covariate_customer_params).
customer_scores score(const fitted_model& model, const std::optional<fitted_model>& spend, span x,
                      span tx, span age, span m, span w, const std::string& time_unit,
                      double unit_scale, const score_options& o, bool check_only,
                      const std::vector<std::string>& keys,
                      std::optional<std::vector<std::string>> covariate_keys,
                      covariate_columns columns) {
    const summary_columns s{x, tx, age, m, {}, w};
    const summary_units u = parse_summary_units(time_unit, unit_scale);
    std::optional<covariate_table> table;
    if (covariate_keys) table = covariate_table_of(std::move(*covariate_keys), std::move(columns));
    const std::vector<purchase_params> per =
        covariate_customer_params(model, table ? &*table : nullptr, keys);
    if (!check_only) return score_customers(model, spend, s, u, o, per);
    check_score_request(model, spend, s, u, o, per);
    return {};
}

/// The contact list of `scores` (window and lead time in days, `top` 0 = all rows), timed by
/// `timing` with each customer's own-rhythm date (rhythm.hpp) in `rhythm` (or None).
contact_plan contacts_in_days(const customer_scores& scores, double within_days, double lead_days,
                              count<"top", std::size_t> top,
                              const std::optional<int64_array>& rhythm, const std::string& timing) {
    const contact_days o{within_days, lead_days, top, parse_contact_timing(timing)};
    return contact_list(scores, o, rhythm ? as_span(*rhythm) : std::span<const std::int64_t>{});
}

void register_fitted_model(py::module_& m) {
    CM_OPTIONS(m, clv_options, "ClvOptions", "Lifetime value options (retention/clv.hpp).", months,
               discount_rate, periods_per_month);
    CM_OPTIONS(m, score_options, "ScoreOptions", "Scoring options (retention/scoring.hpp).",
               horizon, clv_months, discount_rate, analysis_date, probability, contacts, intervals);
    CM_OPTIONS(m, retention_overview_options, "RetentionOverviewOptions",
               "The retention overview's options (retention/overview.hpp).", horizon, at_risk_below,
               clv, top);
    py::class_<fitted_model>(m, "FittedModel",
                             "A fitted retention model and its JSON form "
                             "(custometrics/retention/fitted_model.hpp).")
        .def(py::init([] {
                 fitted_model f;
                 f.version = CUSTOMETRICS_VERSION_STRING; // written by this library
                 return f;
             }),
             "An empty model written by this library's version.")
        .def_readwrite("model", &fitted_model::model)
        .def_readwrite("names", &fitted_model::names)
        .def_readwrite("params", &fitted_model::params)
        .def_readwrite("version", &fitted_model::version)
        .def_property_readonly("time_unit",
                               [](const fitted_model& f) -> std::optional<std::string> {
                                   if (!f.units) return std::nullopt;
                                   return std::string(to_string(f.units->unit));
                               })
        .def_property_readonly("unit_scale",
                               [](const fitted_model& f) { return f.units ? f.units->scale : 1.0; })
        .def(
            "set_units",
            [](fitted_model& f, const std::string& unit, double scale) {
                f.units = parse_summary_units(unit, scale);
            },
            py::arg("time_unit"), py::arg("unit_scale") = 1.0,
            "Records the summary's time axis (InputError for an unknown unit or a bad scale).")
        .def_readwrite("fit", &fitted_model::fit, "The fit statistics (None: given parameters).")
        .def(
            "to_json", [](const fitted_model& f) { return to_json(f); },
            "The JSON form (fitted_model.hpp).")
        .def_static(
            "from_json",
            [](const std::string& text, const std::string& source, const std::string& model) {
                return parse_fitted_model(std::string_view(text), source, model);
            },
            py::arg("text"), py::arg("source") = "<json>", py::arg("model") = "",
            "Reads the JSON form (or a flat object of parameters of `model`).");

    CM_RESULT(m, summary_units, "SummaryUnits", "A summary's time axis (retention/units.hpp).",
              unit, scale);
    CM_RESULT(m, customer_scores, "CustomerScores",
              "Per-customer scores (custometrics/retention/scoring.hpp).", model, units, horizon,
              with_spend, p_alive, expected_purchases, expected_spend, clv, next_purchase_wait,
              analysis_date, next_purchase_date, expected_alive, at_risk, total_expected_purchases,
              clv_total, bg_bb, dert, dert_total, discount_rate, customers)
        .def_property_readonly("time_unit",
                               [](const customer_scores& s) { return to_string(s.units.unit); })
        .def_property_readonly("unit_scale", [](const customer_scores& s) { return s.units.scale; })
        .def("__len__", &customer_scores::size);

    m.def("retention_resolve_units", &resolve_summary_units, py::arg("recorded_unit"),
          py::arg("recorded_scale"), py::arg("given_unit"), py::arg("given_scale"),
          py::arg("source"), py::arg("unit_argument") = "time_unit",
          py::arg("scale_argument") = "unit_scale",
          "The summary's SummaryUnits: recorded, else given, else days and 1; a given value that "
          "contradicts the record raises InputError.");
    m.def(
        "retention_periods_per_month",
        [](const std::string& unit, double scale) {
            return periods_per_month(parse_summary_units(unit, scale, "freq"));
        },
        py::arg("time_unit"), py::arg("unit_scale") = 1.0,
        "Periods of the unit per month, lifetimes' CLV step (retention/units.hpp).");
    m.def("retention_score", &score, release_gil(), py::arg("model"), py::arg("spend"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("monetary"),
          py::arg("weights"), py::arg("time_unit"), py::arg("unit_scale"), py::arg("options"),
          py::arg("check_only") = false, py::arg("keys") = std::vector<std::string>{},
          py::arg("covariate_keys") = py::none(), py::arg("covariate_columns") = py::list(),
          "Scores of every customer (score_customers), or its checks alone (no scores); a "
          "model with covariates scores the customers `keys` with the covariate table.");
    CM_RESULT(m, contact_entry, "ContactEntry", "custometrics/retention/scoring.hpp.", customer,
              next_purchase, call_at, p_alive, clv, call_date, next_purchase_date, timing,
              rhythm_date, due_days);
    CM_RESULT(m, contact_columns, "ContactColumns", "custometrics/retention/scoring.hpp.", customer,
              next_purchase, call_at, p_alive, clv, call_date, next_purchase_date, timing,
              rhythm_date, due_days);
    CM_RESULT(m, contact_plan, "ContactPlan", "custometrics/retention/scoring.hpp.", contacts,
              customers, value_at_risk, window_periods, lead_periods, timing, with_rhythm)
        .def_property_readonly("columns", &columns_of, "The entries as columns.");
    m.def(
        "retention_check_contact_days",
        [](double w, double l, count<"top", std::size_t> top) {
            check_contact_days({w, l, top});
        },
        py::arg("within_days"), py::arg("lead_days"), py::arg("top"), "Its options' checks.");
    m.def("retention_contact_list", &contacts_in_days, py::arg("scores"), py::arg("within_days"),
          py::arg("lead_days"), py::arg("top"), py::arg("rhythm"), py::arg("timing"),
          "The contact list of scores with a spend model, window and lead time in days.");
    CM_RESULT(m, purchase_rhythm, "PurchaseRhythm", "custometrics/retention/rhythm.hpp.",
              purchase_days, mean_gap, gap_cv, regular, last_purchase, next_purchase);
    CM_OPTIONS(m, rhythm_options, "RhythmOptions", "custometrics/retention/rhythm.hpp.",
               min_purchases, max_cv, max_overdue_cycles);
    m.def(
        "purchase_rhythm",
        [](const py::array& customer, const int64_array& time, std::int64_t ticks_per_second,
           const float64_array& amount, const std::string& customer_column,
           const rhythm_options& o) {
            const log_columns in(customer, time, ticks_per_second, amount, std::nullopt,
                                 std::nullopt, customer_column);
            purchase_rhythm r = without_gil([&] { return purchase_rhythm_of(in.view, o); });
            return py::make_tuple(keys_array(in.customers.index), std::move(r));
        },
        py::arg("customer"), py::arg("time"), py::arg("ticks_per_second"), py::arg("amount"),
        py::arg("customer_column"), py::arg("options"), "(keys, PurchaseRhythm).");
}

// ---- contractual: sBG

/// The sBG fit of a cohort; one thread, whatever `o` says (a cohort is a few periods).
fit_result fit_sbg_counts(const float64_array& active, fit_options o) {
    o.threads = 1;
    return fit_sbg(as_span(active), o);
}

void register_fit_result(py::module_& m) {
    CM_OPTIONS(m, fit_options, "FitOptions", "Maximum-likelihood fit options (retention/fit.hpp).",
               penalizer, max_iterations, gradient_tolerance, initial, threads);
    CM_RESULT(m, fit_report, "FitReport", "How a maximum-likelihood fit ended (fit.hpp).",
              converged, iterations, function_evaluations, gradient_norm, reason);
    CM_RESULT(m, fit_result, "FitResult", "A maximum-likelihood fit (retention/fit.hpp).", names,
              params, std_errors, covariance, log_likelihood, n, report, penalizer);
    CM_RESULT(m, fit_statistics, "FitStatistics",
              "The fit statistics a fitted model keeps (fitted_model.hpp); covariance is 0 x 0 "
              "when the JSON did not record it.",
              std_errors, covariance, log_likelihood, n, unique_rows, report,
              without_repeat_purchase, without_positive_spend, life_std_errors, trans_std_errors,
              penalizer, life_penalizer, trans_penalizer);
    m.def("retention_fit_statistics", &fit_statistics_of, py::arg("fit"), py::arg("unique_rows"),
          py::arg("without_repeat_purchase") = 0, py::arg("without_positive_spend") = 0,
          "The statistics a fitted model keeps of a fit (fitted_model.hpp).");
    CM_RESULT(m, spend_sample, "SpendSample", "The Gamma-Gamma fit sample (gamma_gamma.hpp).",
              customers, frequency, monetary, without_repeat_purchase, without_positive_spend)
        .def("__len__", &spend_sample::size);
    CM_RESULT(m, retention_scenario, "RetentionScenario", "economics.hpp", retention_rate,
              lifetime_value, base_value, steady_state_customers, steady_state_profit);
    CM_RESULT(m, retention_change, "RetentionChange", "economics.hpp", before, after,
              lifetime_value_change, base_value_change, steady_state_profit_change);
}

} // namespace

void register_retention(py::module_& m) {
    py::enum_<purchase_model_kind>(m, "PurchaseModel", "The purchase models (purchase_model.hpp).")
        .value("bgnbd", purchase_model_kind::bg_nbd)
        .value("mbgnbd", purchase_model_kind::mbg_nbd)
        .value("pnbd", purchase_model_kind::pareto_nbd)
        .value("ggomnbd", purchase_model_kind::ggom_nbd);
    m.def("parse_purchase_model", &parse_purchase_model, py::arg("name"),
          py::arg("argument") = "model",
          "The PurchaseModel of a name as users write it (\"BG/NBD\", \"pnbd\", ...); InputError "
          "naming `argument` for an unknown one.");
    m.def("canonical_model_name", &canonical_model_name, py::arg("name"),
          py::arg("argument") = "model", "The canonical name of any model (fitted_model.hpp).");
    register_fit_result(m);
    register_fitted_model(m);
    m.def("retention_fit", &fit, release_gil(), py::arg("model"), py::arg("frequency"),
          py::arg("recency"), py::arg("T"), py::arg("weights"), py::arg("options"),
          "Maximum-likelihood fit of a purchase model (retention/fit.hpp): (FitResult, unique "
          "rows).");
    const auto predict_args = [](py::module_& mod, const char* name, auto f, const char* doc) {
        mod.def(name, f, py::arg("model"), py::arg("params"), py::arg("frequency"),
                py::arg("recency"), py::arg("T"), doc);
    };
    predict_args(m, "retention_p_alive",
                 prediction<false>([](const purchase_params& p, span x, span tx, span t) {
                     return p_alive(p, x, tx, t);
                 }),
                 "P(alive) per customer.");
    predict_args(m, "retention_log_likelihood",
                 prediction<true>([](const purchase_params& p, span x, span tx, span t) {
                     return log_likelihood(p, x, tx, t);
                 }),
                 "The log-likelihood of each customer's (frequency, recency, T).");
    predict_args(m, "retention_next_purchase_time",
                 prediction<true>([](const purchase_params& p, span x, span tx, span t) {
                     return next_purchase_time(p, x, tx, t);
                 }),
                 "Median wait to the next purchase of each customer, given alive.");
    m.def(
        "retention_conditional_expected_purchases",
        prediction<false, double>([](const purchase_params& q, span x, span tx, span T, double t) {
            return conditional_expected_purchases(q, t, x, tx, T);
        }),
        py::arg("model"), py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("T"),
        py::arg("t"), "Purchases expected over the next t periods per customer.");
    m.def(
        "retention_expected_purchases",
        [](purchase_model_kind model, const std::vector<double>& p, span t) {
            return to_numpy(expected_purchases(purchase_params_from(model, p), t));
        },
        py::arg("model"), py::arg("params"), py::arg("t"), "E[X(t)] of a new customer.");
    m.def(
        "retention_probability_of_purchases",
        [](purchase_model_kind model, const std::vector<double>& p, double t,
           std::span<const std::int64_t> n) {
            return to_numpy(probability_of_purchases(purchase_params_from(model, p), t, n));
        },
        py::arg("model"), py::arg("params"), py::arg("t"), py::arg("n"),
        "P(X(t) = n) of a new customer.");
    m.def(
        "retention_purchase_count_distribution",
        [](purchase_model_kind model, const std::vector<double>& p, span age, int max_frequency) {
            const purchase_params params = purchase_params_from(model, p);
            return to_numpy(
                without_gil([&] { return count_distribution(params, age, max_frequency); }));
        },
        py::arg("model"), py::arg("params"), py::arg("T"), py::arg("max_frequency"),
        "Expected customers per repeat-purchase count at their own ages (diagnostics.hpp).");
    CM_RESULT(m, holdout_check_result, "HoldoutCheck",
              "Actual against predicted holdout purchases (retention/diagnostics.hpp).", customers,
              actual, predicted, mae, rmse, total_actual, total_predicted, bin_mape);
    CM_RESULT(m, cumulative_transactions_result, "CumulativeTransactions",
              "Actual and expected cumulative repeat transactions (retention/diagnostics.hpp).",
              actual, predicted);
    m.def(
        "retention_cumulative_transactions",
        [](const int64_array& customer, const int64_array& period, const float64_array& expected) {
            return cumulative_transactions(as_span(customer), as_span(period), as_span(expected));
        },
        py::arg("customer"), py::arg("period"), py::arg("expected"),
        "lifetimes' tracking curve of transactions (customer codes, periods since the first "
        "purchase) with E[X(s)], s = 1..t.");
    CM_RESULT(m, mixing_density, "MixingDensity",
              "A mixing density on a grid (retention/heterogeneity.hpp).", distribution, shape1,
              shape2, mean, variance, x, density);
    m.def(
        "retention_heterogeneity",
        [](purchase_model_kind model, const std::vector<double>& p, bool drop) {
            using enum heterogeneity_kind;
            return heterogeneity(purchase_params_from(model, p), drop ? dropout : purchase);
        },
        py::arg("model"), py::arg("params"), py::arg("dropout"),
        "The purchase (or dropout) rate's mixing density, 0 to its 99% quantile.");
    m.def(
        "retention_holdout_check",
        [](purchase_model_kind model, const std::vector<double>& p, span x, span tx, span age,
           span actual, double duration, int max_frequency) {
            return holdout_check(purchase_params_from(model, p), x, tx, age, actual, duration,
                                 max_frequency);
        },
        release_gil(), py::arg("model"), py::arg("params"), py::arg("frequency"),
        py::arg("recency"), py::arg("T"), py::arg("holdout_frequency"), py::arg("duration"),
        py::arg("max_frequency"),
        "Holdout purchases against the prediction, per calibration frequency.");
    CM_RESULT(m, retention_overview_result, "RetentionOverview",
              "The report's retention overview (retention/overview.hpp).", model, purchase, spend,
              spend_reason, customers, too_new, spend_buyers, expected_alive, at_risk,
              at_risk_revenue, revenue, expected_purchases, clv_total, top_customers, top_clv);
    m.def(
        "retention_overview",
        static_cast<retention_overview_result (*)(
            span, span, span, span, span, const retention_overview_options&)>(&retention_overview),
        release_gil(), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("monetary"),
        py::arg("revenue"), py::arg("options"),
        "The report's retention overview of per-customer summaries.");
    m.def("retention_fit_gamma_gamma", &fit_gg, release_gil(), py::arg("frequency"),
          py::arg("monetary"), py::arg("weights"), py::arg("options"),
          "Fit of the Gamma-Gamma spend model: (FitResult, SpendSample).");
    m.def(
        "retention_gamma_gamma_spend",
        [](const std::vector<double>& p, span x, span spend) {
            const gamma_gamma_params g = gamma_gamma_params_from(p);
            return to_numpy(
                without_gil([&] { return conditional_expected_average_spend(g, x, spend); }));
        },
        py::arg("params"), py::arg("frequency"), py::arg("monetary"),
        "E[spend per purchase | x, m].");
    m.def("retention_clv", &clv, py::arg("model"), py::arg("params"), py::arg("spend_params"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("monetary"),
          py::arg("options"), "Discounted lifetime value per customer (lifetimes' definition).");
    m.def("retention_fit_sbg", &fit_sbg_counts, py::arg("active"), py::arg("options"),
          "Fit of the shifted-beta-geometric model on a cohort.");
    m.def(
        "retention_sbg_survival",
        [](const std::vector<double>& p, std::span<const std::int64_t> t) {
            return to_numpy(sbg_survival(sbg_params_from(p), t));
        },
        py::arg("params"), py::arg("t"), "sBG survival S(t) at whole periods t.");
    m.def(
        "retention_sbg_retention_rate",
        [](const std::vector<double>& p, std::span<const std::int64_t> t) {
            return to_numpy(sbg_retention_rate(sbg_params_from(p), t));
        },
        py::arg("params"), py::arg("t"), "sBG retention rate r(t) at whole periods t.");
    m.def(
        "retention_sbg_derl",
        [](const std::vector<double>& p, double d, int renewals) {
            return sbg_derl(sbg_params_from(p), d, renewals);
        },
        py::arg("params"), py::arg("discount_rate"), py::arg("renewals"),
        "Discounted expected residual lifetime (Fader & Hardie 2010).");
    m.def(
        "retention_uplift",
        [](double margin, double retention_rate, double discount_rate, double points,
           double customers, double new_customers, double acquisition_cost,
           const std::string& timing) {
            return retention_uplift(margin, retention_rate, discount_rate, points,
                                    {customers, new_customers, acquisition_cost},
                                    parse_margin_timing(timing));
        },
        py::arg("margin"), py::arg("retention_rate"), py::arg("discount_rate"), py::arg("points"),
        py::arg("customers"), py::arg("new_customers"), py::arg("acquisition_cost"),
        py::arg("timing"),
        "Lifetime value and customer-base value before and after a retention change.");
}

} // namespace custometrics::python
