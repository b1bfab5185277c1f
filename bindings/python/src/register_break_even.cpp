// _core.break_even and friends: break-even analysis (custometrics/break_even.hpp).
//
// Every result is the core's struct handed to Python as a read-only class (`BreakEvenPoint`,
// `MixBreakEvenResult`, `TornadoResult`, ...), columns as numpy arrays; the pure-Python layer
// (custometrics/cvp.py) shapes them into dataclasses and DataFrames.
// The model is a `CvpModel` of its three numbers; the core validates them and names the
// offending input. Every figure is the core's.
#include "common.hpp"

#include "custometrics/break_even.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace custometrics::python {

namespace {

// The mix of a log given as columns: product keys (int64 or object str), amount, cost and
// quantity (float64). The core's sales_mix_from_log takes an owning transaction_log, so the
// three number columns are copied into one; the log has one placeholder customer and no times
// (the mix does not use them). Returns the product keys (by id) and the mix.
py::tuple mix_from_log(const py::array& product, const float64_array& amount,
                       const float64_array& cost, const float64_array& quantity,
                       const std::string& product_column) {
    keyed_column products = encode_keys(product, product_column, 1);
    transaction_log log;
    log.customer_keys.insert(std::int64_t{0});
    log.customer.assign(products.ids.size(), 0);
    log.time.assign(products.ids.size(), 0);
    for (auto [to, from] :
         {std::pair{&log.amount, &amount}, {&log.cost, &cost}, {&log.quantity, &quantity}})
        to->assign(from->data(), from->data() + from->size());
    log.product = std::move(products.ids);
    log.product_keys = std::move(products.index);
    sales_mix s = sales_mix_from_log(log);
    return py::make_tuple(keys_array(log.product_keys), std::move(s));
}

} // namespace

void register_break_even(py::module_& m) {
    using span = std::span<const double>;
    const auto doc = [](const char* type) {
        return "custometrics/break_even.hpp " + std::string(type) + ".";
    };
    CM_RESULT(m, cvp_model, "CvpModel", doc("cvp_model"), fixed_costs, price, unit_variable_cost)
        .def(py::init([](double f, double p, double v) {
                 return cvp_model{f, p, v};
             }),
             py::arg("fixed_costs"), py::arg("price"), py::arg("unit_variable_cost"));
    CM_RESULT(m, break_even_point, "BreakEvenPoint", doc("break_even_point"), contribution_margin,
              contribution_margin_ratio, defined, reason, units, revenue);
    CM_RESULT(m, target_profit_result, "TargetProfit", doc("target_profit_result"), pre_tax_profit,
              defined, reason, units, revenue);
    CM_RESULT(m, margin_of_safety_result, "MarginOfSafety", doc("margin_of_safety_result"), defined,
              reason, units, revenue, ratio);
    CM_RESULT(m, operating_leverage_result, "OperatingLeverage", doc("operating_leverage_result"),
              contribution, profit, defined, reason, degree);
    CM_RESULT(m, break_even_figure, "BreakEvenFigure", doc("break_even_figure"), name, defined,
              value, reason);
    CM_RESULT(m, break_even_analysis_result, "BreakEvenAnalysis", doc("break_even_analysis_result"),
              break_even, target, margin_of_safety, operating_leverage, cash_break_even)
        .def("figures", &break_even_analysis_result::figures);
    CM_OPTIONS(m, mix_names, "MixNames", doc("mix_names"), product, price, unit_variable_cost,
               share);
    CM_RESULT(m, mix_break_even, "MixBreakEvenResult", doc("mix_break_even"), unit_share,
              revenue_share, contribution_margin, average_price, weighted_contribution_margin,
              weighted_contribution_margin_ratio, defined, reason, units, revenue, product_units,
              product_revenue);
    CM_RESULT(m, sales_mix, "SalesMixResult", doc("sales_mix"), product, excluded, quantity, price,
              unit_variable_cost, share, excluded_amount);
    CM_RESULT(m, band_break_even, "BandBreakEven", doc("band_break_even"), in_band, reason, units,
              revenue);
    CM_RESULT(m, stepped_break_even, "SteppedBreakEvenResult", doc("stepped_break_even"),
              contribution_margin, bands, units, defined, reason);
    CM_RESULT(m, break_even_over_time_result, "BreakEvenOverTimeResult",
              doc("break_even_over_time_result"), period_start, end, cumulative_revenue,
              cumulative_cost, cumulative_profit, defined, reason, period, time, remaining_gap)
        .def_property_readonly("period_start_ns", [](const break_even_over_time_result& r) {
            std::vector<std::int64_t> ns = r.period_start;
            seconds_to_nanoseconds(ns, "period_start");
            return to_numpy(std::move(ns));
        });
    CM_RESULT(m, sensitivity_case, "SensitivityCase", doc("sensitivity_case"), change, model,
              sales_units, break_even, profit, value);
    CM_RESULT(m, tornado_row, "TornadoRow", doc("tornado_row"), variable, low, high, profit_swing,
              break_even_units_swing);
    CM_RESULT(m, tornado_result, "TornadoResult", doc("tornado_result"), change, sales_units, base,
              base_profit, rows);
    CM_RESULT(m, profit_grid, "ProfitGrid", doc("profit_grid"), price, volume, profit);
    CM_RESULT(m, break_even_chart, "BreakEvenChart", doc("break_even_chart"), volume, fixed_costs,
              total_costs, revenue, break_even);

    m.def(
        "break_even_mix",
        [](double f, const std::vector<std::string>& product, span price, span cost, span share,
           const std::string& basis, double tolerance, const mix_names& names) {
            return break_even_mix(f, product, price, cost, share, parse_mix_basis(basis), tolerance,
                                  names);
        },
        py::arg("fixed_costs"), py::arg("product"), py::arg("price"), py::arg("unit_variable_cost"),
        py::arg("share"), py::arg("basis"), py::arg("tolerance"), py::arg("names"),
        "Break-even of a sales mix (see custometrics.break_even_mix).");
    m.def("sales_mix_from_log", &mix_from_log, py::arg("product"), py::arg("amount"),
          py::arg("cost"), py::arg("quantity"), py::arg("product_column"),
          "The sales mix of transaction rows (see custometrics.sales_mix_from_log).");
    m.def(
        "break_even_stepped",
        static_cast<stepped_break_even (*)(double, double, span, span, span)>(&break_even_stepped),
        py::arg("price"), py::arg("unit_variable_cost"), py::arg("from_"), py::arg("to"),
        py::arg("fixed_costs"), "Break-even under stepped fixed costs (see custometrics).");
    m.def("break_even_over_time",
          static_cast<break_even_over_time_result (*)(std::span<const std::int64_t>,
                                                      std::optional<std::int64_t>, span, span)>(
              &break_even_over_time),
          py::arg("period_start"), py::arg("end"), py::arg("revenue"), py::arg("cost"),
          "Break-even date of revenue and cost series, times in seconds; end None: the default "
          "(see custometrics).");
    m.def(
        "break_even_over_time_log",
        [](std::span<const std::int64_t> time, std::int64_t ticks_per_second, span amount,
           span cost, double fixed_costs_per_month) {
            return break_even_over_time(time, ticks_per_second, amount, cost,
                                        fixed_costs_per_month);
        },
        py::arg("time"), py::arg("ticks_per_second"), py::arg("amount"), py::arg("cost"),
        py::arg("fixed_costs_per_month"), "Break-even date of a log by month (see custometrics).");
    CM_RESULT(m, monthly_totals, "MonthlyTotals", doc("monthly_totals"), month, revenue, cost);
    m.def("monthly_log_totals", &monthly_log_totals, py::arg("time"), py::arg("ticks_per_second"),
          py::arg("amount"), py::arg("cost"), "Revenue and cost of rows per month (see core).");
    m.def(
        "break_even_over_time_monthly",
        [](std::vector<std::int64_t> month, std::vector<double> revenue, std::vector<double> cost,
           double fixed) {
            return break_even_over_time(monthly_totals{month, revenue, cost}, fixed);
        },
        py::arg("month"), py::arg("revenue"), py::arg("cost"), py::arg("fixed_costs_per_month"),
        "Break-even date of a log from its monthly totals, in any order (see break_even.hpp).");
    m.def("check_fixed_costs_per_month", &check_fixed_costs_per_month,
          py::arg("fixed_costs_per_month"), "break_even_over_time's check of its fixed costs.");
    m.def("price_volume_grid", &price_volume_grid, py::arg("model"), py::arg("sales_units"),
          py::arg("price_changes"), py::arg("volume_changes"),
          "Profit over price x volume (see custometrics).");
    CM_OPTIONS(m, break_even_inputs, "BreakEvenInputs", doc("break_even_inputs"), model,
               sales_units, target_profit, tax_rate, depreciation);
    m.def("break_even_analysis", &break_even_analysis, py::arg("inputs"),
          "Every single-product figure (see custometrics).");
    m.def("break_even", &break_even, py::arg("model"), "Break-even units and revenue.");
    m.def("cash_break_even", &cash_break_even, py::arg("model"), py::arg("non_cash_costs"),
          "Cash break-even.");
    m.def("target_profit", &target_profit, py::arg("model"), py::arg("target_profit"),
          py::arg("tax_rate"), "Sales for a target profit.");
    m.def("margin_of_safety", &margin_of_safety, py::arg("model"), py::arg("sales_units"),
          "Margin of safety.");
    m.def("operating_leverage", &operating_leverage, py::arg("model"), py::arg("sales_units"),
          "Operating leverage.");
    m.def("tornado", &tornado, py::arg("model"), py::arg("sales_units"), py::arg("change"),
          "Tornado table.");
    m.def("default_volume_max", &default_volume_max, py::arg("break_even_units"),
          py::arg("sales_units") = std::nullopt, "The right end of a break-even chart.");
    m.def("break_even_chart_data", &break_even_chart_data, py::arg("model"), py::arg("volume_max"),
          py::arg("points"), py::arg("volume_min"), "Break-even chart lines.");
}

} // namespace custometrics::python
