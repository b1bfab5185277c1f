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
    py::class_<cvp_model>(m, "CvpModel", "custometrics/break_even.hpp cvp_model.")
        .def(py::init([](double f, double p, double v) {
                 return cvp_model{f, p, v};
             }),
             py::arg("fixed_costs"), py::arg("price"), py::arg("unit_variable_cost"));
    py::class_<break_even_point>(m, "BreakEvenPoint",
                                 "custometrics/break_even.hpp break_even_point.")
        .def_readonly("contribution_margin", &break_even_point::contribution_margin)
        .def_readonly("contribution_margin_ratio", &break_even_point::contribution_margin_ratio)
        .def_readonly("defined", &break_even_point::defined)
        .def_readonly("reason", &break_even_point::reason)
        .def_readonly("units", &break_even_point::units)
        .def_readonly("revenue", &break_even_point::revenue);
    py::class_<target_profit_result>(m, "TargetProfit",
                                     "custometrics/break_even.hpp target_profit_result.")
        .def_readonly("pre_tax_profit", &target_profit_result::pre_tax_profit)
        .def_readonly("defined", &target_profit_result::defined)
        .def_readonly("reason", &target_profit_result::reason)
        .def_readonly("units", &target_profit_result::units)
        .def_readonly("revenue", &target_profit_result::revenue);
    py::class_<margin_of_safety_result>(m, "MarginOfSafety",
                                        "custometrics/break_even.hpp margin_of_safety_result.")
        .def_readonly("defined", &margin_of_safety_result::defined)
        .def_readonly("reason", &margin_of_safety_result::reason)
        .def_readonly("units", &margin_of_safety_result::units)
        .def_readonly("revenue", &margin_of_safety_result::revenue)
        .def_readonly("ratio", &margin_of_safety_result::ratio);
    py::class_<operating_leverage_result>(m, "OperatingLeverage",
                                          "custometrics/break_even.hpp operating_leverage_result.")
        .def_readonly("contribution", &operating_leverage_result::contribution)
        .def_readonly("profit", &operating_leverage_result::profit)
        .def_readonly("defined", &operating_leverage_result::defined)
        .def_readonly("reason", &operating_leverage_result::reason)
        .def_readonly("degree", &operating_leverage_result::degree);

    py::class_<break_even_figure>(m, "BreakEvenFigure",
                                  "custometrics/break_even.hpp break_even_figure.")
        .def_property_readonly("name",
                               [](const break_even_figure& f) { return std::string(f.name); })
        .def_readonly("defined", &break_even_figure::defined)
        .def_readonly("value", &break_even_figure::value)
        .def_readonly("reason", &break_even_figure::reason);
    py::class_<break_even_analysis_result>(
        m, "BreakEvenAnalysis", "custometrics/break_even.hpp break_even_analysis_result.")
        .def_readonly("break_even", &break_even_analysis_result::break_even)
        .def_readonly("target", &break_even_analysis_result::target)
        .def_readonly("margin_of_safety", &break_even_analysis_result::margin_of_safety)
        .def_readonly("operating_leverage", &break_even_analysis_result::operating_leverage)
        .def_readonly("cash_break_even", &break_even_analysis_result::cash_break_even)
        .def("figures", &break_even_analysis_result::figures);
    py::class_<mix_names>(m, "MixNames", "custometrics/break_even.hpp mix_names.")
        .def(py::init([](std::string product, std::string price, std::string unit_variable_cost,
                         std::string share) {
                 return mix_names{std::move(product), std::move(price),
                                  std::move(unit_variable_cost), std::move(share)};
             }),
             py::arg("product"), py::arg("price"), py::arg("unit_variable_cost"), py::arg("share"));

    py::class_<mix_break_even>(m, "MixBreakEvenResult",
                               "custometrics/break_even.hpp mix_break_even.")
        .def_property_readonly("unit_share", numpy_of(&mix_break_even::unit_share))
        .def_property_readonly("revenue_share", numpy_of(&mix_break_even::revenue_share))
        .def_property_readonly("contribution_margin",
                               numpy_of(&mix_break_even::contribution_margin))
        .def_readonly("average_price", &mix_break_even::average_price)
        .def_readonly("weighted_contribution_margin", &mix_break_even::weighted_contribution_margin)
        .def_readonly("weighted_contribution_margin_ratio",
                      &mix_break_even::weighted_contribution_margin_ratio)
        .def_readonly("defined", &mix_break_even::defined)
        .def_readonly("reason", &mix_break_even::reason)
        .def_readonly("units", &mix_break_even::units)
        .def_readonly("revenue", &mix_break_even::revenue)
        .def_property_readonly("product_units", numpy_of(&mix_break_even::product_units))
        .def_property_readonly("product_revenue", numpy_of(&mix_break_even::product_revenue));
    py::class_<sales_mix>(m, "SalesMixResult", "custometrics/break_even.hpp sales_mix.")
        .def_property_readonly("product", numpy_of(&sales_mix::product))
        .def_property_readonly("excluded", numpy_of(&sales_mix::excluded))
        .def_property_readonly("quantity", numpy_of(&sales_mix::quantity))
        .def_property_readonly("price", numpy_of(&sales_mix::price))
        .def_property_readonly("unit_variable_cost", numpy_of(&sales_mix::unit_variable_cost))
        .def_property_readonly("share", numpy_of(&sales_mix::share))
        .def_readonly("excluded_amount", &sales_mix::excluded_amount);
    py::class_<band_break_even>(m, "BandBreakEven", "custometrics/break_even.hpp band_break_even.")
        .def_readonly("in_band", &band_break_even::in_band)
        .def_readonly("reason", &band_break_even::reason)
        .def_readonly("units", &band_break_even::units)
        .def_readonly("revenue", &band_break_even::revenue);
    py::class_<stepped_break_even>(m, "SteppedBreakEvenResult",
                                   "custometrics/break_even.hpp stepped_break_even.")
        .def_readonly("contribution_margin", &stepped_break_even::contribution_margin)
        .def_readonly("bands", &stepped_break_even::bands)
        .def_readonly("units", &stepped_break_even::units)
        .def_readonly("defined", &stepped_break_even::defined)
        .def_readonly("reason", &stepped_break_even::reason);
    py::class_<break_even_over_time_result>(
        m, "BreakEvenOverTimeResult", "custometrics/break_even.hpp break_even_over_time_result.")
        .def_property_readonly("period_start_ns",
                               [](const break_even_over_time_result& r) {
                                   std::vector<std::int64_t> ns = r.period_start;
                                   seconds_to_ns(ns, "period_start");
                                   return to_numpy(std::move(ns));
                               })
        .def_readonly("end", &break_even_over_time_result::end)
        .def_property_readonly("cumulative_revenue",
                               numpy_of(&break_even_over_time_result::cumulative_revenue))
        .def_property_readonly("cumulative_cost",
                               numpy_of(&break_even_over_time_result::cumulative_cost))
        .def_property_readonly("cumulative_profit",
                               numpy_of(&break_even_over_time_result::cumulative_profit))
        .def_readonly("defined", &break_even_over_time_result::defined)
        .def_readonly("reason", &break_even_over_time_result::reason)
        .def_readonly("period", &break_even_over_time_result::period)
        .def_readonly("time", &break_even_over_time_result::time)
        .def_readonly("remaining_gap", &break_even_over_time_result::remaining_gap);
    py::class_<sensitivity_case>(m, "SensitivityCase",
                                 "custometrics/break_even.hpp sensitivity_case.")
        .def_readonly("value", &sensitivity_case::value)
        .def_readonly("profit", &sensitivity_case::profit)
        .def_readonly("break_even", &sensitivity_case::break_even);
    py::class_<tornado_row>(m, "TornadoRow", "custometrics/break_even.hpp tornado_row.")
        .def_property_readonly(
            "variable", [](const tornado_row& r) { return std::string(to_string(r.variable)); })
        .def_readonly("low", &tornado_row::low)
        .def_readonly("high", &tornado_row::high)
        .def_readonly("profit_swing", &tornado_row::profit_swing)
        .def_readonly("break_even_units_swing", &tornado_row::break_even_units_swing);
    py::class_<tornado_result>(m, "TornadoResult", "custometrics/break_even.hpp tornado_result.")
        .def_readonly("rows", &tornado_result::rows)
        .def_readonly("base", &tornado_result::base)
        .def_readonly("base_profit", &tornado_result::base_profit);
    py::class_<profit_grid>(m, "ProfitGrid", "custometrics/break_even.hpp profit_grid.")
        .def_readonly("price", &profit_grid::price)
        .def_readonly("volume", &profit_grid::volume)
        .def_property_readonly("profit", numpy_of(&profit_grid::profit));
    py::class_<break_even_chart>(m, "BreakEvenChart",
                                 "custometrics/break_even.hpp break_even_chart.")
        .def_property_readonly("volume", numpy_of(&break_even_chart::volume))
        .def_property_readonly("fixed_costs", numpy_of(&break_even_chart::fixed_costs))
        .def_property_readonly("total_costs", numpy_of(&break_even_chart::total_costs))
        .def_property_readonly("revenue", numpy_of(&break_even_chart::revenue))
        .def_readonly("break_even", &break_even_chart::break_even);

    m.def(
        "break_even_mix",
        [](double f, const std::vector<std::string>& product, const float64_array& price,
           const float64_array& cost, const float64_array& share, const std::string& basis,
           double tolerance, const mix_names& names) {
            return break_even_mix(f, product, as_span(price), as_span(cost), as_span(share),
                                  parse_mix_basis(basis), tolerance, names);
        },
        py::arg("fixed_costs"), py::arg("product"), py::arg("price"), py::arg("unit_variable_cost"),
        py::arg("share"), py::arg("basis"), py::arg("tolerance"), py::arg("names"),
        "Break-even of a sales mix (see custometrics.break_even_mix).");
    m.def("sales_mix_from_log", &mix_from_log, py::arg("product"), py::arg("amount"),
          py::arg("cost"), py::arg("quantity"), py::arg("product_column"),
          "The sales mix of transaction rows (see custometrics.sales_mix_from_log).");
    m.def(
        "break_even_stepped",
        [](double price, double unit_variable_cost, const float64_array& from,
           const float64_array& to, const float64_array& fixed_costs) {
            return break_even_stepped(price, unit_variable_cost, as_span(from), as_span(to),
                                      as_span(fixed_costs));
        },
        py::arg("price"), py::arg("unit_variable_cost"), py::arg("from_"), py::arg("to"),
        py::arg("fixed_costs"), "Break-even under stepped fixed costs (see custometrics).");
    m.def(
        "break_even_over_time",
        [](const int64_array& period_start, std::optional<std::int64_t> end,
           const float64_array& revenue, const float64_array& cost) {
            const auto starts = as_span(period_start);
            return break_even_over_time(starts, end ? *end : default_period_end(starts),
                                        as_span(revenue), as_span(cost));
        },
        py::arg("period_start"), py::arg("end"), py::arg("revenue"), py::arg("cost"),
        "Break-even date of revenue and cost series, times in seconds; end None: the default "
        "(see custometrics).");
    m.def(
        "break_even_over_time_log",
        [](const int64_array& time, std::int64_t ticks_per_second, const float64_array& amount,
           const float64_array& cost, double fixed_costs_per_month) {
            return break_even_over_time(as_span(time), ticks_per_second, as_span(amount),
                                        as_span(cost), fixed_costs_per_month);
        },
        py::arg("time"), py::arg("ticks_per_second"), py::arg("amount"), py::arg("cost"),
        py::arg("fixed_costs_per_month"), "Break-even date of a log by month (see custometrics).");
    m.def(
        "price_volume_grid",
        [](const cvp_model& model, double q, const float64_array& price_changes,
           const float64_array& volume_changes) {
            return price_volume_grid(model, q, as_span(price_changes), as_span(volume_changes));
        },
        py::arg("model"), py::arg("sales_units"), py::arg("price_changes"),
        py::arg("volume_changes"), "Profit over price x volume (see custometrics).");
    m.def(
        "break_even_analysis",
        [](const cvp_model& model, std::optional<double> sales_units, std::optional<double> target,
           double tax_rate, std::optional<double> depreciation) {
            return break_even_analysis({model, sales_units, target, tax_rate, depreciation});
        },
        py::arg("model"), py::arg("sales_units"), py::arg("target_profit"), py::arg("tax_rate"),
        py::arg("depreciation"), "Every single-product figure (see custometrics).");
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
