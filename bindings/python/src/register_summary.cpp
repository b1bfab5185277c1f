// _core.summarize: per-customer summaries (custometrics/summary.hpp) over numpy columns.
#include "common.hpp"

#include "custometrics/summary.hpp"

#include <optional>
#include <string>

namespace custometrics::python {

namespace {

// Columns arrive as prepared by custometrics/summary.py: customer keys (int64 or object str),
// time ticks (int64, `ticks_per_second` per second), amount and cost (float64), order keys.
// Returns a dict of numpy arrays; "keys" holds every customer key by id, and "customer" and
// "customers_without_purchase" hold ids into it.
py::dict summarize(const py::array& customer, const int64_array& time,
                   std::int64_t ticks_per_second, const float64_array& amount,
                   const std::optional<float64_array>& cost, const std::optional<py::array>& order,
                   const std::string& time_unit, double unit_scale,
                   std::optional<std::int64_t> observation_end,
                   std::optional<std::int64_t> calibration_end, const std::string& returns,
                   const std::string& late, bool include_first_transaction, unsigned threads,
                   const std::string& customer_column, const std::string& order_column) {
    summary_options opt;
    opt.unit = parse_time_unit(time_unit, "time_unit");
    opt.unit_scale = unit_scale;
    opt.observation_end = observation_end;
    opt.calibration_end = calibration_end;
    opt.returns = parse_returns_policy(returns, "returns");
    opt.late = parse_late_policy(late, "late");
    opt.include_first_transaction = include_first_transaction;
    opt.threads = threads;

    const keyed_column customers = encode_keys(customer, customer_column, threads);
    std::optional<keyed_column> orders;
    if (order) orders = encode_keys(*order, order_column, threads);

    transaction_view view;
    view.customer = customers.ids;
    view.n_customers = customers.index.size();
    view.customer_keys = &customers.index;
    view.time = as_span(time);
    view.ticks_per_second = ticks_per_second;
    view.amount = as_span(amount);
    if (cost) view.cost = as_span(*cost);
    if (orders) view.order = orders->ids;

    customer_summary s;
    {
        py::gil_scoped_release nogil;
        s = custometrics::summarize(view, opt);
    }
    seconds_to_ns(s.first_purchase, "first_purchase");
    seconds_to_ns(s.last_purchase, "last_purchase");

    py::dict out;
    out["keys"] = keys_array(customers.index);
    out["customer"] = to_numpy(std::move(s.customer));
    out["frequency"] = to_numpy(std::move(s.frequency));
    out["recency"] = to_numpy(std::move(s.recency));
    out["T"] = to_numpy(std::move(s.T));
    out["monetary_value"] = to_numpy(std::move(s.monetary_value));
    if (s.has_holdout()) {
        out["frequency_holdout"] = to_numpy(std::move(s.frequency_holdout));
        out["monetary_value_holdout"] = to_numpy(std::move(s.monetary_value_holdout));
        out["duration_holdout"] = s.duration_holdout;
        out["calibration_end"] = *s.calibration_end;
    }
    out["revenue"] = to_numpy(std::move(s.revenue));
    out["returns"] = to_numpy(std::move(s.returns));
    if (cost) out["profit"] = to_numpy(std::move(s.profit));
    out["n_purchases"] = to_numpy(std::move(s.n_purchases));
    out["n_returns"] = to_numpy(std::move(s.n_returns));
    out["orders"] = to_numpy(std::move(s.orders));
    out["first_purchase"] = to_numpy(std::move(s.first_purchase));
    out["last_purchase"] = to_numpy(std::move(s.last_purchase));
    out["observation_end"] = s.observation_end;
    out["time_unit"] = std::string(to_string(s.unit));
    out["unit_scale"] = s.unit_scale;
    out["rows_used"] = s.rows_used;
    out["rows_dropped_after_end"] = s.rows_dropped_after_end;
    out["customers_without_purchase"] = to_numpy(std::move(s.customers_without_purchase));
    return out;
}

} // namespace

void register_summary(py::module_& m) {
    m.def("summarize", &summarize, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("cost"), py::arg("order"),
          py::arg("time_unit"), py::arg("unit_scale"), py::arg("observation_end"),
          py::arg("calibration_end"), py::arg("returns"), py::arg("late"),
          py::arg("include_first_transaction"), py::arg("threads"), py::arg("customer_column"),
          py::arg("order_column"),
          "Per-customer summary of a transaction log (see custometrics.summarize).");
}

} // namespace custometrics::python
