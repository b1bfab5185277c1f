// _core.retention_*: the retention models (custometrics/retention.hpp) over numpy columns.
//
// One entry point per operation, with the purchase model named by a string ("bgnbd",
// "mbgnbd", "pnbd") and its parameters as a list in the model's order; the pure-Python layer
// (custometrics/retention.py) holds the estimator classes. Every call releases the GIL while
// the core works.
#include "common.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/retention.hpp"

#include <pybind11/eigen.h>

#include <algorithm>
#include <cmath>

namespace custometrics::python {

/// A fit result as the dict the Python estimators read (see common.hpp).
py::dict fit_dict(fit_result&& r) {
    py::dict d;
    d["names"] = r.names;
    d["params"] = r.params;
    d["std_errors"] = r.std_errors;
    d["covariance"] = Eigen::MatrixXd(r.covariance);
    d["log_likelihood"] = r.log_likelihood;
    d["n"] = r.n;
    d["converged"] = r.report.converged;
    d["iterations"] = r.report.iterations;
    d["function_evaluations"] = r.report.function_evaluations;
    d["gradient_norm"] = r.report.gradient_norm;
    d["reason"] = r.report.reason;
    return d;
}

namespace {

/// The parameters of `model` from a list in its order (names the model and the count).
purchase_params params_of(const std::string& model, const std::vector<double>& p) {
    return purchase_params_from(parse_purchase_model(model), p);
}

fit_options options_of(double penalizer, int max_iterations, double tol,
                       std::vector<double> initial, int threads) {
    fit_options o;
    o.penalizer = penalizer;
    o.max_iterations = max_iterations;
    o.gradient_tolerance = tol;
    o.initial = std::move(initial);
    o.threads = threads;
    return o;
}

py::dict fit(const std::string& model, const float64_array& frequency, const float64_array& recency,
             const float64_array& T, const float64_array& weights, double penalizer,
             int max_iterations, double tol, std::vector<double> initial, int threads) {
    const purchase_model_kind kind = parse_purchase_model(model);
    const auto x = as_span(frequency);
    const auto tx = as_span(recency);
    const auto t = as_span(T);
    const auto w = as_span(weights);
    const fit_options o = options_of(penalizer, max_iterations, tol, std::move(initial), threads);
    fit_result r;
    {
        py::gil_scoped_release nogil;
        r = fit_purchase_model(kind, compress_summary(x, tx, t, w), o);
    }
    return fit_dict(std::move(r));
}

py::array_t<double> predict(const std::string& model, const std::vector<double>& p,
                            const std::string& what, const float64_array& frequency,
                            const float64_array& recency, const float64_array& T, double t,
                            int threads) {
    const purchase_params params = params_of(model, p);
    const auto x = as_span(frequency);
    const auto tx = as_span(recency);
    const auto age = as_span(T);
    if (what != "p_alive" && what != "conditional_expected_purchases" && what != "log_likelihood" &&
        what != "next_purchase_time")
        throw invalid_argument("what", "unknown prediction '" + what + "'");
    std::vector<double> out;
    {
        py::gil_scoped_release nogil;
        // Checks the rows as a fit would (NaN, negative, t_x > T, ...), naming the customer.
        custometrics::detail::check_summary(x, tx, age);
        (void)threads;
        std::visit(
            [&](const auto& m) {
                out.resize(x.size());
                if (what == "p_alive") {
                    out = p_alive(m, x, tx, age);
                } else if (what == "conditional_expected_purchases") {
                    out = conditional_expected_purchases(m, t, x, tx, age);
                } else if (what == "log_likelihood") {
                    for (std::size_t i = 0; i < x.size(); ++i)
                        out[i] = log_likelihood(m, x[i], tx[i], age[i]);
                } else {
                    for (std::size_t i = 0; i < x.size(); ++i)
                        out[i] = next_purchase_time(m, x[i], tx[i], age[i]);
                }
            },
            params);
    }
    return to_numpy(std::move(out));
}

py::array_t<double> expected(const std::string& model, const std::vector<double>& p,
                             const float64_array& t) {
    const purchase_params params = params_of(model, p);
    const auto ts = as_span(t);
    std::vector<double> out(ts.size());
    std::visit(
        [&](const auto& m) {
            for (std::size_t i = 0; i < ts.size(); ++i)
                out[i] = expected_purchases(m, ts[i]);
        },
        params);
    return to_numpy(std::move(out));
}

py::array_t<double> probability_n(const std::string& model, const std::vector<double>& p, double t,
                                  const py::array_t<std::int64_t>& n) {
    const purchase_params params = params_of(model, p);
    const auto ns = n.unchecked<1>();
    std::vector<double> out(static_cast<std::size_t>(ns.shape(0)));
    std::visit(
        [&](const auto& m) {
            for (py::ssize_t i = 0; i < ns.shape(0); ++i) {
                if (ns(i) < 0)
                    throw invalid_argument("n", "must be >= 0, got " + std::to_string(ns(i)));
                out[static_cast<std::size_t>(i)] =
                    probability_of_purchases(m, t, static_cast<int>(ns(i)));
            }
        },
        params);
    return to_numpy(std::move(out));
}

/// Expected customers with 0, 1, ..., max-1 and max-or-more repeat purchases at their own ages
/// (retention/diagnostics.hpp).
py::array_t<double> count_distribution(const std::string& model, const std::vector<double>& p,
                                       const float64_array& T, int max_frequency) {
    const purchase_params params = params_of(model, p);
    const auto age = as_span(T);
    std::vector<double> out;
    {
        py::gil_scoped_release nogil;
        out = custometrics::count_distribution(params, age, max_frequency);
    }
    return to_numpy(std::move(out));
}

/// Holdout purchases against the prediction, per calibration frequency
/// (retention/diagnostics.hpp).
holdout_check_result holdout(const std::string& model, const std::vector<double>& p,
                             const float64_array& frequency, const float64_array& recency,
                             const float64_array& T, const float64_array& holdout_frequency,
                             double duration, int max_frequency) {
    const purchase_params params = params_of(model, p);
    const auto x = as_span(frequency);
    const auto tx = as_span(recency);
    const auto age = as_span(T);
    const auto actual = as_span(holdout_frequency);
    py::gil_scoped_release nogil;
    return holdout_check(params, x, tx, age, actual, duration, max_frequency);
}

/// The report's retention overview (retention/overview.hpp).
retention_overview_result overview(const float64_array& frequency, const float64_array& recency,
                                   const float64_array& T, const float64_array& monetary,
                                   const float64_array& revenue, double horizon,
                                   double at_risk_below, int months, double discount_rate,
                                   double periods_per_month, std::size_t top) {
    retention_overview_options o;
    o.horizon = horizon;
    o.at_risk_below = at_risk_below;
    o.clv.months = months;
    o.clv.discount_rate = discount_rate;
    o.clv.periods_per_month = periods_per_month;
    o.top = top;
    const auto x = as_span(frequency);
    const auto tx = as_span(recency);
    const auto age = as_span(T);
    const auto m = as_span(monetary);
    const auto rev = as_span(revenue);
    py::gil_scoped_release nogil;
    return retention_overview(x, tx, age, m, rev, o);
}

// ---- spend, lifetime value, contacts

gamma_gamma_params gg_of(const std::vector<double>& p) {
    if (p.size() != 3)
        throw invalid_argument("params", "the Gamma-Gamma model has 3 parameters, got " +
                                             std::to_string(p.size()));
    return {p[0], p[1], p[2]};
}

py::dict fit_gg(const float64_array& frequency, const float64_array& monetary,
                const float64_array& weights, double penalizer, int max_iterations, double tol,
                std::vector<double> initial, int threads) {
    const auto x = as_span(frequency);
    const auto m = as_span(monetary);
    const auto w = as_span(weights);
    const fit_options o = options_of(penalizer, max_iterations, tol, std::move(initial), threads);
    fit_result r;
    {
        py::gil_scoped_release nogil;
        r = fit_gamma_gamma(x, m, w, o);
    }
    return fit_dict(std::move(r));
}

py::array_t<double> gg_spend(const std::vector<double>& p, const float64_array& frequency,
                             const float64_array& monetary) {
    const gamma_gamma_params g = gg_of(p);
    const auto x = as_span(frequency);
    const auto m = as_span(monetary);
    std::vector<double> out;
    {
        py::gil_scoped_release nogil;
        out = conditional_expected_average_spend(g, x, m);
    }
    return to_numpy(std::move(out));
}

py::array_t<double> clv(const std::string& model, const std::vector<double>& p,
                        const std::vector<double>& spend_params, const float64_array& frequency,
                        const float64_array& recency, const float64_array& T,
                        const float64_array& monetary, int months, double discount_rate,
                        double periods_per_month) {
    const purchase_params params = params_of(model, p);
    const gamma_gamma_params g = gg_of(spend_params);
    const auto x = as_span(frequency);
    const auto tx = as_span(recency);
    const auto age = as_span(T);
    const auto m = as_span(monetary);
    clv_options o;
    o.months = months;
    o.discount_rate = discount_rate;
    o.periods_per_month = periods_per_month;
    std::vector<double> out;
    {
        py::gil_scoped_release nogil;
        out = std::visit(
            [&](const auto& q) { return customer_lifetime_value(q, g, x, tx, age, m, o); }, params);
    }
    return to_numpy(std::move(out));
}

// Returns (customer positions, next purchase, call at, p_alive, value), ranked.
py::tuple contacts(const std::string& model, const std::vector<double>& p,
                   const float64_array& frequency, const float64_array& recency,
                   const float64_array& T, const float64_array& value, double window_start,
                   double window_end, double lead_time, double probability) {
    const purchase_params params = params_of(model, p);
    const auto x = as_span(frequency);
    const auto tx = as_span(recency);
    const auto age = as_span(T);
    const auto v = as_span(value);
    contact_options o;
    o.window_start = window_start;
    o.window_end = window_end;
    o.lead_time = lead_time;
    o.probability = probability;
    std::vector<contact> list;
    {
        py::gil_scoped_release nogil;
        list = std::visit([&](const auto& q) { return contact_list(q, x, tx, age, v, o); }, params);
    }
    std::vector<std::int64_t> who(list.size());
    std::vector<double> next(list.size()), call(list.size()), alive(list.size()),
        worth(list.size());
    for (std::size_t k = 0; k < list.size(); ++k) {
        who[k] = static_cast<std::int64_t>(list[k].customer);
        next[k] = list[k].next_purchase;
        call[k] = list[k].call_at;
        alive[k] = list[k].p_alive;
        worth[k] = list[k].value_at_risk;
    }
    return py::make_tuple(to_numpy(std::move(who)), to_numpy(std::move(next)),
                          to_numpy(std::move(call)), to_numpy(std::move(alive)),
                          to_numpy(std::move(worth)));
}

// ---- contractual: sBG

sbg_params sbg_of(const std::vector<double>& p) {
    if (p.size() != 2)
        throw invalid_argument("params",
                               "the sBG model has 2 parameters, got " + std::to_string(p.size()));
    return {p[0], p[1]};
}

py::dict fit_sbg_counts(const float64_array& active, double penalizer, int max_iterations,
                        double tol, std::vector<double> initial) {
    const auto a = as_span(active);
    const fit_options o = options_of(penalizer, max_iterations, tol, std::move(initial), 1);
    return fit_dict(fit_sbg(a, o));
}

py::array_t<double> sbg_at(const std::vector<double>& p, const std::string& what,
                           const py::array_t<std::int64_t>& t) {
    const sbg_params q = sbg_of(p);
    const auto ts = t.unchecked<1>();
    std::vector<double> out(static_cast<std::size_t>(ts.shape(0)));
    for (py::ssize_t i = 0; i < ts.shape(0); ++i) {
        const int ti = static_cast<int>(ts(i));
        if (what == "survival")
            out[static_cast<std::size_t>(i)] = sbg_survival(q, ti);
        else if (what == "retention_rate")
            out[static_cast<std::size_t>(i)] = sbg_retention_rate(q, ti);
        else if (what == "churn_probability")
            out[static_cast<std::size_t>(i)] = sbg_churn_probability(q, ti);
        else
            throw invalid_argument("what", "unknown sBG quantity '" + what + "'");
    }
    return to_numpy(std::move(out));
}

// ---- retention economics

py::dict scenario_dict(const retention_scenario& s) {
    py::dict d;
    d["retention_rate"] = s.retention_rate;
    d["lifetime_value"] = s.lifetime_value;
    d["base_value"] = s.base_value;
    d["steady_state_customers"] = s.steady_state_customers;
    d["steady_state_profit"] = s.steady_state_profit;
    return d;
}

py::dict uplift(double margin, double retention_rate, double discount_rate, double points,
                double customers, double new_customers, double acquisition_cost,
                const std::string& timing) {
    if (timing != "start" && timing != "end")
        throw invalid_argument("timing", "expected 'start' or 'end', got '" + timing + "'");
    retention_base base;
    base.customers = customers;
    base.new_customers = new_customers;
    base.acquisition_cost = acquisition_cost;
    const retention_change c = retention_uplift(margin, retention_rate, discount_rate, points, base,
                                                timing == "start" ? margin_timing::start_of_period
                                                                  : margin_timing::end_of_period);
    py::dict d;
    d["before"] = scenario_dict(c.before);
    d["after"] = scenario_dict(c.after);
    d["lifetime_value_change"] = c.lifetime_value_change;
    d["base_value_change"] = c.base_value_change;
    d["steady_state_profit_change"] = c.steady_state_profit_change;
    return d;
}

} // namespace

void register_retention(py::module_& m) {
    m.def("retention_fit", &fit, py::arg("model"), py::arg("frequency"), py::arg("recency"),
          py::arg("T"), py::arg("weights"), py::arg("penalizer"), py::arg("max_iterations"),
          py::arg("tol"), py::arg("initial"), py::arg("threads"),
          "Maximum-likelihood fit of a purchase model (retention/fit.hpp).");
    m.def("retention_predict", &predict, py::arg("model"), py::arg("params"), py::arg("what"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("t"), py::arg("threads"),
          "Per-customer predictions of a purchase model.");
    m.def("retention_expected_purchases", &expected, py::arg("model"), py::arg("params"),
          py::arg("t"), "E[X(t)] of a new customer.");
    m.def("retention_probability_of_purchases", &probability_n, py::arg("model"), py::arg("params"),
          py::arg("t"), py::arg("n"), "P(X(t) = n) of a new customer.");
    m.def("retention_purchase_count_distribution", &count_distribution, py::arg("model"),
          py::arg("params"), py::arg("T"), py::arg("max_frequency"),
          "Expected customers per repeat-purchase count at their own ages.");
    py::class_<holdout_check_result>(m, "HoldoutCheck",
                                     "Actual against predicted holdout purchases "
                                     "(retention/diagnostics.hpp).")
        .def_property_readonly(
            "customers",
            [](const holdout_check_result& r) { return to_numpy(std::vector(r.customers)); })
        .def_property_readonly(
            "actual", [](const holdout_check_result& r) { return to_numpy(std::vector(r.actual)); })
        .def_property_readonly(
            "predicted",
            [](const holdout_check_result& r) { return to_numpy(std::vector(r.predicted)); })
        .def_readonly("mae", &holdout_check_result::mae)
        .def_readonly("rmse", &holdout_check_result::rmse)
        .def_readonly("total_actual", &holdout_check_result::total_actual)
        .def_readonly("total_predicted", &holdout_check_result::total_predicted)
        .def_readonly("bin_mape", &holdout_check_result::bin_mape);
    m.def("retention_holdout_check", &holdout, py::arg("model"), py::arg("params"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("holdout_frequency"),
          py::arg("duration"), py::arg("max_frequency"),
          "Holdout purchases against the prediction, per calibration frequency.");
    py::class_<retention_overview_result>(m, "RetentionOverview",
                                          "The report's retention overview "
                                          "(retention/overview.hpp).")
        .def_property_readonly(
            "purchase",
            [](const retention_overview_result& r) { return fit_dict(fit_result(r.purchase)); })
        .def_property_readonly("spend",
                               [](const retention_overview_result& r) -> py::object {
                                   if (!r.spend) return py::none();
                                   return fit_dict(fit_result(*r.spend));
                               })
        .def_readonly("spend_reason", &retention_overview_result::spend_reason)
        .def_readonly("customers", &retention_overview_result::customers)
        .def_readonly("too_new", &retention_overview_result::too_new)
        .def_readonly("spend_buyers", &retention_overview_result::spend_buyers)
        .def_readonly("expected_alive", &retention_overview_result::expected_alive)
        .def_readonly("at_risk", &retention_overview_result::at_risk)
        .def_readonly("at_risk_revenue", &retention_overview_result::at_risk_revenue)
        .def_readonly("revenue", &retention_overview_result::revenue)
        .def_readonly("expected_purchases", &retention_overview_result::expected_purchases)
        .def_readonly("clv_total", &retention_overview_result::clv_total)
        .def_property_readonly("top_customers",
                               [](const retention_overview_result& r) {
                                   std::vector<std::int64_t> v(r.top_customers.begin(),
                                                               r.top_customers.end());
                                   return to_numpy(std::move(v));
                               })
        .def_property_readonly("top_clv", [](const retention_overview_result& r) {
            return to_numpy(std::vector(r.top_clv));
        });
    m.def("retention_overview", &overview, py::arg("frequency"), py::arg("recency"), py::arg("T"),
          py::arg("monetary"), py::arg("revenue"), py::arg("horizon"), py::arg("at_risk_below"),
          py::arg("months"), py::arg("discount_rate"), py::arg("periods_per_month"), py::arg("top"),
          "The report's retention overview of per-customer summaries.");
    m.def("retention_fit_gamma_gamma", &fit_gg, py::arg("frequency"), py::arg("monetary"),
          py::arg("weights"), py::arg("penalizer"), py::arg("max_iterations"), py::arg("tol"),
          py::arg("initial"), py::arg("threads"), "Fit of the Gamma-Gamma spend model.");
    m.def("retention_gamma_gamma_spend", &gg_spend, py::arg("params"), py::arg("frequency"),
          py::arg("monetary"), "E[spend per purchase | x, m].");
    m.def("retention_clv", &clv, py::arg("model"), py::arg("params"), py::arg("spend_params"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("monetary"),
          py::arg("months"), py::arg("discount_rate"), py::arg("periods_per_month"),
          "Discounted lifetime value per customer (lifetimes' definition).");
    m.def("retention_contacts", &contacts, py::arg("model"), py::arg("params"),
          py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("value"),
          py::arg("window_start"), py::arg("window_end"), py::arg("lead_time"),
          py::arg("probability"), "Customers to call before their next purchase.");
    m.def("retention_fit_sbg", &fit_sbg_counts, py::arg("active"), py::arg("penalizer"),
          py::arg("max_iterations"), py::arg("tol"), py::arg("initial"),
          "Fit of the shifted-beta-geometric model on a cohort.");
    m.def("retention_sbg", &sbg_at, py::arg("params"), py::arg("what"), py::arg("t"),
          "sBG survival, retention rate or churn probability at periods t.");
    m.def(
        "retention_sbg_derl",
        [](const std::vector<double>& p, double d, int renewals) {
            return sbg_derl(sbg_of(p), d, renewals);
        },
        py::arg("params"), py::arg("discount_rate"), py::arg("renewals"),
        "Discounted expected residual lifetime (Fader & Hardie 2010).");
    m.def("retention_uplift", &uplift, py::arg("margin"), py::arg("retention_rate"),
          py::arg("discount_rate"), py::arg("points"), py::arg("customers"),
          py::arg("new_customers"), py::arg("acquisition_cost"), py::arg("timing"),
          "Lifetime value and customer-base value before and after a retention change.");
}

} // namespace custometrics::python
