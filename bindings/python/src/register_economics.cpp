// _core.log_retention_economics, _core.log_economics_json and _core.log_economics_text:
// retention/log_economics.hpp over numpy columns, its result as read-only classes, and the
// core's writers (custometrics/output/economics.hpp), so Python and `custometrics
// retention-economics` print the same numbers.
#include "common.hpp"

#include "custometrics/output/economics.hpp"
#include "custometrics/retention/log_economics.hpp"

#include <optional>
#include <string>

namespace custometrics::python {

void register_economics(py::module_& m) {
    const auto doc = [](const char* type) {
        return "custometrics/retention/log_economics.hpp " + std::string(type) + ".";
    };
    CM_RESULT(m, economics_period, "EconomicsPeriod", doc("economics_period"), start, end, active,
              retained, new_customers, revenue, margin, retention_rate);
    CM_RESULT(m, economics_projection_point, "EconomicsProjectionPoint",
              doc("economics_projection_point"), period, customers, revenue, margin);
    CM_RESULT(m, economics_scenario, "EconomicsScenario", doc("economics_scenario"), name,
              retention_rate, capped, lifetime_value, projection, revenue, margin, revenue_change,
              margin_change, lifetime_value_change);
    CM_RESULT(m, economics_spend, "EconomicsSpend", doc("economics_spend"), acquisition_spend,
              retention_spend, spend_ratio, cost_per_new_customer, cost_per_retained_customer,
              cost_ratio, extra_retained, break_even_retention_spend, extra_retained_value);
    CM_RESULT(m, log_economics_result, "LogEconomicsResult", doc("log_economics_result"),
              period_days, horizon, uplift, discount_rate, timing, margin_from_cost, margin_rate,
              periods, rows, rows_used, rows_before, rows_after, customers, retention_rate,
              retention_ci_low, retention_ci_high, retained, retention_base, revenue_per_customer,
              margin_per_customer, customers_now, new_customers_per_period, scenarios, spend);
    CM_OPTIONS(m, log_economics_options, "LogEconomicsOptions", doc("log_economics_options"),
               period_days, end, margin_rate, discount_rate, uplift, horizon, acquisition_spend,
               retention_spend);
    m.def(
        "log_retention_economics",
        [](const py::array& customer, const int64_array& time, std::int64_t ticks_per_second,
           const float64_array& amount, const std::optional<float64_array>& cost,
           const std::string& customer_column, log_economics_options o, const std::string& timing) {
            const log_columns in(customer, time, ticks_per_second, amount, cost, std::nullopt,
                                 customer_column);
            o.timing = parse_margin_timing(timing);
            py::gil_scoped_release nogil;
            return log_retention_economics(in.view, o);
        },
        py::arg("customer"), py::arg("time"), py::arg("ticks_per_second"), py::arg("amount"),
        py::arg("cost"), py::arg("customer_column"), py::arg("options"), py::arg("timing"),
        "LogEconomicsResult (see custometrics.log_retention_economics).");
    CM_WRITERS(m, log_economics_result, "log_economics", "retention-economics");
}

} // namespace custometrics::python
