// _core.break_even and friends: break-even analysis (custometrics/break_even.hpp).
//
// The single-product results are small structs handed to Python as read-only classes
// (`BreakEvenPoint`, `TargetProfit`, `MarginOfSafety`, `OperatingLeverage`); the results with
// columns (mix, bands, series, tornado, grid, chart) come back as dicts of numpy arrays, which
// the pure-Python layer (custometrics/break_even.py) shapes into dataclasses and DataFrames.
// The model is passed as its three numbers (fixed_costs, price, unit_variable_cost); the core
// validates them and names the offending input. Every figure is the core's.
#include "common.hpp"

#include "custometrics/break_even.hpp"
#include "custometrics/column.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace custometrics::python {

namespace {

cvp_model model(double fixed_costs, double price, double unit_variable_cost) {
    return cvp_model{fixed_costs, price, unit_variable_cost};
}

// `product`: the product names (empty: products by position); `names`: what the caller calls
// the product, price, unit_variable_cost and share inputs, so that errors name its columns.
py::dict mix(double fixed_costs, const std::vector<std::string>& product,
             const float64_array& price, const float64_array& unit_variable_cost,
             const float64_array& share, const std::string& basis, double tolerance,
             const mix_names& names) {
    const mix_basis b = parse_mix_basis(basis);
    mix_break_even r =
        break_even_mix(fixed_costs, product, as_span(price), as_span(unit_variable_cost),
                       as_span(share), b, tolerance, names);
    py::dict out;
    out["unit_share"] = to_numpy(std::move(r.unit_share));
    out["revenue_share"] = to_numpy(std::move(r.revenue_share));
    out["average_price"] = r.average_price;
    out["weighted_contribution_margin"] = r.weighted_contribution_margin;
    out["weighted_contribution_margin_ratio"] = r.weighted_contribution_margin_ratio;
    out["defined"] = r.defined;
    out["reason"] = r.reason;
    out["units"] = r.units;
    out["revenue"] = r.revenue;
    out["product_units"] = to_numpy(std::move(r.product_units));
    out["product_revenue"] = to_numpy(std::move(r.product_revenue));
    return out;
}

// The mix of a log given as columns: product keys (int64 or object str), amount, cost and
// quantity (float64). The core's sales_mix_from_log takes an owning transaction_log, so the
// three number columns are copied into one; the log has one placeholder customer and no times
// (the mix does not use them). Returns the product keys of the mix and of the excluded ones.
py::dict mix_from_log(const py::array& product, const float64_array& amount,
                      const float64_array& cost, const float64_array& quantity,
                      const std::string& product_column) {
    keyed_column products = encode_keys(product, product_column, 1);
    transaction_log log;
    const auto a = as_span(amount);
    const auto c = as_span(cost);
    const auto q = as_span(quantity);
    log.customer_keys.insert(std::int64_t{0});
    log.customer.assign(products.ids.size(), 0);
    log.time.assign(products.ids.size(), 0);
    log.amount.assign(a.begin(), a.end());
    log.cost.assign(c.begin(), c.end());
    log.quantity.assign(q.begin(), q.end());
    log.product = std::move(products.ids);
    log.product_keys = std::move(products.index);
    sales_mix s = sales_mix_from_log(log);
    auto keys_of = [&log](const std::vector<entity_id>& ids) {
        if (log.product_keys.type() != key_index::key_type::string) {
            const auto k = log.product_keys.integer_keys();
            column<std::int64_t> out(ids.size());
            for (std::size_t i = 0; i < ids.size(); ++i)
                out[i] = k[ids[i]];
            return py::array(to_numpy(std::move(out)));
        }
        return string_keys_array(log.product_keys, ids.size(),
                                 [&ids](std::size_t i) { return ids[i]; });
    };
    py::dict out;
    out["product"] = keys_of(s.product);
    out["excluded"] = keys_of(s.excluded);
    out["quantity"] = to_numpy(std::move(s.quantity));
    out["price"] = to_numpy(std::move(s.price));
    out["unit_variable_cost"] = to_numpy(std::move(s.unit_variable_cost));
    out["share"] = to_numpy(std::move(s.share));
    out["excluded_amount"] = s.excluded_amount;
    return out;
}

py::dict stepped(double price, double unit_variable_cost, const float64_array& from,
                 const float64_array& to, const float64_array& fixed_costs) {
    const auto f = as_span(from);
    const auto t = as_span(to);
    const auto fc = as_span(fixed_costs);
    if (t.size() != f.size() || fc.size() != f.size())
        throw invalid_argument(
            "bands", "from, to and fixed_costs differ in length (" + std::to_string(f.size()) +
                         ", " + std::to_string(t.size()) + ", " + std::to_string(fc.size()) + ")");
    std::vector<cost_band> bands(f.size());
    for (std::size_t i = 0; i < f.size(); ++i)
        bands[i] = cost_band{f[i], t[i], fc[i]};
    stepped_break_even r = break_even_stepped(price, unit_variable_cost, bands);
    const std::size_t n = r.bands.size();
    std::vector<double> units(n);
    std::vector<double> revenue(n);
    std::vector<std::uint8_t> in_band(n);
    py::list reasons;
    for (std::size_t i = 0; i < n; ++i) {
        units[i] = r.bands[i].units;
        revenue[i] = r.bands[i].revenue;
        in_band[i] = r.bands[i].in_band ? 1 : 0;
        reasons.append(r.bands[i].reason);
    }
    py::dict out;
    out["contribution_margin"] = r.contribution_margin;
    out["band_units"] = to_numpy(std::move(units));
    out["band_revenue"] = to_numpy(std::move(revenue));
    out["in_band"] = to_numpy(std::move(in_band));
    out["band_reason"] = reasons;
    out["units"] = to_numpy(std::move(r.units));
    out["defined"] = r.defined;
    out["reason"] = r.reason;
    return out;
}

py::dict over_time_dict(break_even_over_time_result&& r) {
    seconds_to_ns(r.period_start, "period_start");
    py::dict out;
    out["period_start"] = to_numpy(std::move(r.period_start)); // nanoseconds
    out["end"] = r.end;                                        // seconds
    out["cumulative_revenue"] = to_numpy(std::move(r.cumulative_revenue));
    out["cumulative_cost"] = to_numpy(std::move(r.cumulative_cost));
    out["defined"] = r.defined;
    out["reason"] = r.reason;
    out["period"] = r.period;
    out["time"] = r.time; // seconds, or no_time
    out["remaining_gap"] = r.remaining_gap;
    return out;
}

// Series form: period starts and end in seconds since the epoch.
py::dict over_time(const int64_array& period_start, std::int64_t end, const float64_array& revenue,
                   const float64_array& cost) {
    return over_time_dict(
        break_even_over_time(as_span(period_start), end, as_span(revenue), as_span(cost)));
}

// Log form: times in ticks (`ticks_per_second` per second), amount and cost per row. The view
// needs a customer column; every row gets one placeholder customer (not used by the months).
py::dict over_time_log(const int64_array& time, std::int64_t ticks_per_second,
                       const float64_array& amount, const float64_array& cost,
                       double fixed_costs_per_month) {
    const auto t = as_span(time);
    const std::vector<entity_id> customer(t.size(), 0);
    transaction_view view;
    view.customer = customer;
    view.n_customers = 1;
    view.time = t;
    view.ticks_per_second = ticks_per_second;
    view.amount = as_span(amount);
    view.cost = as_span(cost);
    return over_time_dict(break_even_over_time(view, fixed_costs_per_month));
}

py::dict tornado_dict(double fixed_costs, double price, double unit_variable_cost,
                      double sales_units, double change) {
    const tornado_result r =
        tornado(model(fixed_costs, price, unit_variable_cost), sales_units, change);
    py::list variable;
    const std::size_t n = r.rows.size();
    // Per row and side (low, high): the changed input's value, profit and break-even.
    std::vector<double> value[2], profit_at[2], units[2];
    std::vector<std::uint8_t> defined[2];
    std::vector<double> swing(n);
    for (int s = 0; s < 2; ++s) {
        value[s].resize(n);
        profit_at[s].resize(n);
        units[s].resize(n);
        defined[s].resize(n);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const tornado_row& row = r.rows[i];
        variable.append(std::string(to_string(row.variable)));
        swing[i] = row.profit_swing;
        const sensitivity_case* sides[2] = {&row.low, &row.high};
        for (int s = 0; s < 2; ++s) {
            const sensitivity_case& c = *sides[s];
            switch (row.variable) {
            case cvp_variable::price:
                value[s][i] = c.model.price;
                break;
            case cvp_variable::unit_variable_cost:
                value[s][i] = c.model.unit_variable_cost;
                break;
            case cvp_variable::fixed_costs:
                value[s][i] = c.model.fixed_costs;
                break;
            case cvp_variable::volume:
                value[s][i] = c.sales_units;
                break;
            }
            profit_at[s][i] = c.profit;
            units[s][i] = c.break_even.units;
            defined[s][i] = c.break_even.defined ? 1 : 0;
        }
    }
    py::dict out;
    out["variable"] = variable;
    out["low_value"] = to_numpy(std::move(value[0]));
    out["high_value"] = to_numpy(std::move(value[1]));
    out["low_profit"] = to_numpy(std::move(profit_at[0]));
    out["high_profit"] = to_numpy(std::move(profit_at[1]));
    out["profit_swing"] = to_numpy(std::move(swing));
    out["low_break_even_units"] = to_numpy(std::move(units[0]));
    out["high_break_even_units"] = to_numpy(std::move(units[1]));
    out["low_defined"] = to_numpy(std::move(defined[0]));
    out["high_defined"] = to_numpy(std::move(defined[1]));
    out["base"] = r.base;
    out["base_profit"] = r.base_profit;
    return out;
}

py::dict grid(double fixed_costs, double price, double unit_variable_cost, double sales_units,
              const float64_array& price_changes, const float64_array& volume_changes) {
    profit_grid g = price_volume_grid(model(fixed_costs, price, unit_variable_cost), sales_units,
                                      as_span(price_changes), as_span(volume_changes));
    py::dict out;
    out["price"] = to_numpy(std::move(g.price));
    out["volume"] = to_numpy(std::move(g.volume));
    out["profit"] = to_numpy(std::move(g.profit));
    return out;
}

py::dict chart(double fixed_costs, double price, double unit_variable_cost, double volume_max,
               std::size_t points, double volume_min) {
    break_even_chart c = break_even_chart_data(model(fixed_costs, price, unit_variable_cost),
                                               volume_max, points, volume_min);
    py::dict out;
    out["volume"] = to_numpy(std::move(c.volume));
    out["fixed_costs"] = to_numpy(std::move(c.fixed_costs));
    out["total_costs"] = to_numpy(std::move(c.total_costs));
    out["revenue"] = to_numpy(std::move(c.revenue));
    out["break_even"] = py::cast(std::move(c.break_even));
    return out;
}

} // namespace

void register_break_even(py::module_& m) {
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

    m.def(
        "break_even_analysis",
        [](double f, double p, double v, std::optional<double> sales_units,
           std::optional<double> target, double tax_rate, std::optional<double> depreciation) {
            return break_even_analysis(
                break_even_inputs{model(f, p, v), sales_units, target, tax_rate, depreciation});
        },
        py::arg("fixed_costs"), py::arg("price"), py::arg("unit_variable_cost"),
        py::arg("sales_units"), py::arg("target_profit"), py::arg("tax_rate"),
        py::arg("depreciation"),
        "Every single-product figure (see custometrics.break_even_analysis).");
    m.def(
        "break_even", [](double f, double p, double v) { return break_even(model(f, p, v)); },
        py::arg("fixed_costs"), py::arg("price"), py::arg("unit_variable_cost"),
        "Break-even units and revenue (see custometrics.break_even).");
    m.def(
        "cash_break_even",
        [](double f, double p, double v, double non_cash) {
            return cash_break_even(model(f, p, v), non_cash);
        },
        py::arg("fixed_costs"), py::arg("price"), py::arg("unit_variable_cost"),
        py::arg("non_cash_costs"), "Cash break-even (see custometrics.cash_break_even).");
    m.def(
        "target_profit",
        [](double f, double p, double v, double target, double tax) {
            return target_profit(model(f, p, v), target, tax);
        },
        py::arg("fixed_costs"), py::arg("price"), py::arg("unit_variable_cost"),
        py::arg("target_profit"), py::arg("tax_rate"),
        "Sales for a target profit (see custometrics.target_profit).");
    m.def(
        "margin_of_safety",
        [](double f, double p, double v, double q) { return margin_of_safety(model(f, p, v), q); },
        py::arg("fixed_costs"), py::arg("price"), py::arg("unit_variable_cost"),
        py::arg("sales_units"), "Margin of safety (see custometrics.margin_of_safety).");
    m.def(
        "operating_leverage",
        [](double f, double p, double v, double q) {
            return operating_leverage(model(f, p, v), q);
        },
        py::arg("fixed_costs"), py::arg("price"), py::arg("unit_variable_cost"),
        py::arg("sales_units"), "Operating leverage (see custometrics.operating_leverage).");
    m.def("break_even_mix", &mix, py::arg("fixed_costs"), py::arg("product"), py::arg("price"),
          py::arg("unit_variable_cost"), py::arg("share"), py::arg("basis"), py::arg("tolerance"),
          py::arg("names"), "Break-even of a sales mix (see custometrics.break_even_mix).");
    m.def("sales_mix_from_log", &mix_from_log, py::arg("product"), py::arg("amount"),
          py::arg("cost"), py::arg("quantity"), py::arg("product_column"),
          "The sales mix of transaction rows (see custometrics.sales_mix_from_log).");
    m.def("break_even_stepped", &stepped, py::arg("price"), py::arg("unit_variable_cost"),
          py::arg("from_"), py::arg("to"), py::arg("fixed_costs"),
          "Break-even points under stepped fixed costs (see custometrics.break_even_stepped).");
    m.def("break_even_over_time", &over_time, py::arg("period_start"), py::arg("end"),
          py::arg("revenue"), py::arg("cost"),
          "Break-even date of revenue and cost series (see custometrics.break_even_over_time).");
    m.def("break_even_over_time_log", &over_time_log, py::arg("time"), py::arg("ticks_per_second"),
          py::arg("amount"), py::arg("cost"), py::arg("fixed_costs_per_month"),
          "Break-even date of a transaction log by month (see custometrics.break_even_over_time).");
    m.def("tornado", &tornado_dict, py::arg("fixed_costs"), py::arg("price"),
          py::arg("unit_variable_cost"), py::arg("sales_units"), py::arg("change"),
          "Tornado table (see custometrics.tornado).");
    m.def("price_volume_grid", &grid, py::arg("fixed_costs"), py::arg("price"),
          py::arg("unit_variable_cost"), py::arg("sales_units"), py::arg("price_changes"),
          py::arg("volume_changes"), "Profit over price x volume (see custometrics).");
    m.def("break_even_chart_data", &chart, py::arg("fixed_costs"), py::arg("price"),
          py::arg("unit_variable_cost"), py::arg("volume_max"), py::arg("points"),
          py::arg("volume_min"), "Break-even chart lines (see custometrics).");
}

} // namespace custometrics::python
