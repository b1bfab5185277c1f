// _core.summarize and _core.summarize_csv: per-customer summaries (custometrics/summary.hpp)
// over numpy columns, or of a CSV file read by the core's reader (csv.hpp) with no frame between.
#include "common.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/streaming.hpp"
#include "custometrics/summary.hpp"

#include <optional>
#include <string>
#include <utility>

namespace custometrics::python {

namespace {

// The core's options from the arguments both entry points share.
summary_options options_of(const std::string& time_unit, double unit_scale,
                           std::optional<std::int64_t> observation_end,
                           std::optional<std::int64_t> calibration_end, const std::string& returns,
                           const std::string& late, bool include_first_transaction,
                           threads_arg threads) {
    summary_options opt;
    opt.unit = parse_time_unit(time_unit, "time_unit");
    opt.unit_scale = unit_scale;
    opt.observation_end = observation_end;
    opt.calibration_end = calibration_end;
    opt.returns = parse_returns_policy(returns, "returns");
    opt.late = parse_late_policy(late, "late");
    opt.include_first_transaction = include_first_transaction;
    opt.threads = threads;
    return opt;
}

// (every customer key by id, the summary): the summary's `customer` and
// `customers_without_purchase` are ids into the keys, its first and last purchases nanoseconds
// (datetime64[ns]; NaT where none).
std::pair<py::array, customer_summary> result(const key_index& keys, customer_summary&& s) {
    seconds_to_nanoseconds(s.first_purchase, "first_purchase");
    seconds_to_nanoseconds(s.last_purchase, "last_purchase");
    return {keys_array(keys), std::move(s)};
}

// Columns arrive as prepared by custometrics/summary.py: customer keys (int64 or object str),
// time ticks (int64, `ticks_per_second` per second), amount and cost (float64), order keys.
std::pair<py::array, customer_summary>
summarize(const py::array& customer, const int64_array& time, std::int64_t ticks_per_second,
          const float64_array& amount, const std::optional<float64_array>& cost,
          const std::optional<py::array>& order, const std::string& time_unit, double unit_scale,
          std::optional<std::int64_t> observation_end, std::optional<std::int64_t> calibration_end,
          const std::string& returns, const std::string& late, bool include_first_transaction,
          threads_arg threads, const std::string& customer_column,
          const std::string& order_column) {
    const summary_options opt = options_of(time_unit, unit_scale, observation_end, calibration_end,
                                           returns, late, include_first_transaction, threads);
    const log_columns in(customer, time, ticks_per_second, amount, cost, order, customer_column,
                         order_column, threads);
    return result(in.customers.index,
                  without_gil([&] { return custometrics::summarize(in.view, opt); }));
}

// The core's `summarize_csv` (streaming.hpp) of the CSV file at `path`, read with exactly the
// `columns` named (no conventional names), within `memory_limit` (a size such as "512M" for
// `parse_memory_size`; none: read whole), without the GIL; errors name the file's line.
std::pair<py::array, customer_summary>
summarize_csv(const std::string& path, const csv_columns& columns, char delimiter,
              const std::optional<std::string>& memory_limit, const std::string& time_unit,
              double unit_scale, std::optional<std::int64_t> observation_end,
              std::optional<std::int64_t> calibration_end, const std::string& returns,
              const std::string& late, bool include_first_transaction, threads_arg threads) {
    const summary_options opt = options_of(time_unit, unit_scale, observation_end, calibration_end,
                                           returns, late, include_first_transaction, threads);
    const csv_call c = csv_call_of(delimiter, memory_limit, threads);
    csv_summary s = without_gil(
        [&] { return custometrics::summarize_csv(path, columns, opt, c.memory_limit, c.csv); });
    return result(s.customer_keys, std::move(s.summary));
}

} // namespace

void register_summary(py::module_& m) {
    CM_RESULT(m, customer_summary, "CustomerSummary",
              "Per-customer summaries (custometrics/summary.hpp).", customer, frequency, recency, T,
              monetary_value, frequency_holdout, monetary_value_holdout, duration_holdout, revenue,
              returns, profit, n_purchases, n_returns, orders, first_purchase, last_purchase, unit,
              unit_scale, observation_end, calibration_end, rows_used, rows_dropped_after_end,
              customers_without_purchase)
        .def_property_readonly("time_unit",
                               [](const customer_summary& s) { return to_string(s.unit); })
        .def("__len__", &customer_summary::size);
    m.def("summarize", &summarize, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("cost"), py::arg("order"),
          py::arg("time_unit"), py::arg("unit_scale"), py::arg("observation_end"),
          py::arg("calibration_end"), py::arg("returns"), py::arg("late"),
          py::arg("include_first_transaction"), py::arg("threads"), py::arg("customer_column"),
          py::arg("order_column"),
          "Per-customer summary of a transaction log (see custometrics.summarize).");
    m.def("summarize_csv", &summarize_csv, py::arg("path"), py::arg("columns"),
          py::arg("delimiter"), py::arg("memory_limit"), py::arg("time_unit"),
          py::arg("unit_scale"), py::arg("observation_end"), py::arg("calibration_end"),
          py::arg("returns"), py::arg("late"), py::arg("include_first_transaction"),
          py::arg("threads"),
          "Per-customer summary of a CSV file, read and summarized by the core without the GIL "
          "(see custometrics.summarize).");
}

} // namespace custometrics::python
