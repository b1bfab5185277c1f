// _core.read_csv, _core.generate and _core.parse_times: transaction logs from CSV files and from
// the seeded generator (custometrics/csv.hpp, generate.hpp), and ISO 8601 text to times.
#include "common.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/generate.hpp"

#include <string>
#include <utility>

namespace custometrics::python {

namespace {

// The columns of a log as numpy arrays (moved, not copied); times as datetime64[ns] ticks.
// Key columns come as ids plus "<name>_keys" (every key by id); optional columns only when
// the log has them.
py::dict log_to_dict(transaction_log&& log) {
    seconds_to_nanoseconds(log.time, "date");
    py::dict out;
    out["customer_keys"] = keys_array(log.customer_keys);
    out["customer"] = to_numpy(std::move(log.customer));
    out["time"] = to_numpy(std::move(log.time));
    out["amount"] = to_numpy(std::move(log.amount));
    if (!log.cost.empty()) out["cost"] = to_numpy(std::move(log.cost));
    if (!log.quantity.empty()) out["quantity"] = to_numpy(std::move(log.quantity));
    auto keyed = [&](const char* name, const key_index& keys, std::vector<entity_id>&& ids) {
        if (ids.empty()) return;
        out[(std::string(name) + "_keys").c_str()] = keys_array(keys);
        out[name] = to_numpy(std::move(ids));
    };
    keyed("order", log.order_keys, std::move(log.order));
    keyed("product", log.product_keys, std::move(log.product));
    keyed("channel", log.channel_keys, std::move(log.channel));
    return out;
}

// The log read with the columns `chosen` names plus those found by their conventional names
// (csv.hpp resolve_columns), and under "columns" the columns read (a CsvColumns).
py::dict read_csv(const std::string& path, const csv_columns& chosen, char delimiter) {
    csv_options opt;
    opt.delimiter = delimiter;
    transaction_log log;
    csv_columns columns;
    {
        py::gil_scoped_release nogil;
        columns = resolve_columns(path, chosen, opt);
        log = read_transactions_csv(path, columns, opt);
    }
    py::dict out = log_to_dict(std::move(log));
    out["columns"] = columns;
    return out;
}

py::tuple generate(const generate_options& opt) {
    generated_log g = without_gil([&] { return generate_transactions(opt); });
    generated_truth& t = g.truth;
    seconds_to_nanoseconds(t.acquired, "acquired");
    seconds_to_nanoseconds(t.death, "death");
    py::dict truth;
    truth["lambda"] = to_numpy(std::move(t.lambda));
    truth["p_dropout"] = to_numpy(std::move(t.p_dropout));
    truth["mean_spend"] = to_numpy(std::move(t.mean_spend));
    truth["acquired"] = to_numpy(std::move(t.acquired));
    truth["death"] = to_numpy(std::move(t.death));
    return py::make_tuple(log_to_dict(std::move(g.log)), truth);
}

// ISO 8601 strings (an object array) to seconds since the epoch, with date.hpp's parse_time.
int64_array parse_times(const py::array& text, const std::string& column) {
    const auto objects = py::array::ensure(text, py::array::c_style);
    if (!objects || objects.ndim() != 1 || objects.dtype().kind() != 'O')
        throw invalid_argument(column + ": expected a 1-D object array of str");
    const auto n = static_cast<std::size_t>(objects.shape(0));
    auto* const* items = static_cast<PyObject* const*>(objects.data());
    std::vector<std::int64_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        PyObject* o = items[i];
        const std::string row = column + ": row " + std::to_string(i);
        if (!PyUnicode_Check(o)) {
            const std::string value = py::repr(o);
            throw data_error(is_missing(o) ? row + " is missing (" + value + ")"
                                           : row + ": " + value + " is a " + Py_TYPE(o)->tp_name +
                                                 ", expected an ISO 8601 string");
        }
        Py_ssize_t len = 0;
        const char* s = PyUnicode_AsUTF8AndSize(o, &len);
        if (s == nullptr) throw py::error_already_set();
        const auto t = parse_time(std::string_view(s, static_cast<std::size_t>(len)));
        if (!t)
            throw data_error(row + ": cannot read " + std::string(py::repr(o)) +
                             " as an ISO 8601 date or timestamp");
        out[i] = *t;
    }
    return to_numpy(std::move(out));
}

} // namespace

void register_io(py::module_& m) {
    CM_OPTIONS(m, csv_columns, "CsvColumns",
               "Which header names hold which column (custometrics/csv.hpp); keyword arguments "
               "set the fields, the rest keep their defaults.",
               customer, date, amount, cost, margin, unit_cost, quantity, order, product, channel,
               conventional_names);
    m.def("read_csv", &read_csv, py::arg("path"), py::arg("columns"), py::arg("delimiter"),
          "Reads a transaction log from CSV (see custometrics.read_transactions).");
    CM_OPTIONS(m, generate_options, "GenerateOptions",
               "The generator's parameters (custometrics/generate.hpp): keyword arguments set "
               "them, the rest keep the core's defaults.",
               customers, seed, start, end, acquisition_share, r, alpha, a, b, p_spend, q_spend,
               v_spend, products, channels, return_rate, threads);
    m.def("generate", &generate, py::arg("options"),
          "Generates a seeded transaction log and its truth (see custometrics.generate).");
    m.def(
        "generate_defaults", [] { return py::cast(generate_options{}).attr("_asdict")(); },
        "Default parameters of the generator, as a dict.");
    m.def("parse_times", &parse_times, py::arg("text"), py::arg("column"),
          "ISO 8601 strings to int64 seconds since the epoch.");
}

} // namespace custometrics::python
