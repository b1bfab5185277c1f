// _core.report_*: the sales report (custometrics/report.hpp) of a CSV file, of the generated
// sample or of columns, built once by the core and written by its writers as text, JSON and an
// HTML page (custometrics/output/report.hpp), the same figures as `custometrics report`.
#include "common.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/output/file.hpp"
#include "custometrics/output/report.hpp"
#include "custometrics/report.hpp"

#include <optional>
#include <string>

namespace custometrics::python {
namespace {

/// A transaction log from columns prepared by custometrics/report.py: keys (int64 or object
/// str), times as int64 ticks with `ticks_per_second`, amounts and optional costs.
transaction_log log_of(const py::array& customer, const int64_array& ticks,
                       std::int64_t ticks_per_second, const float64_array& amount,
                       const std::optional<float64_array>& cost,
                       const std::optional<py::array>& product,
                       const std::optional<py::array>& channel) {
    const log_columns in(customer, ticks, ticks_per_second, amount, cost, std::nullopt, "customer");
    transaction_log log = owning_log(in.view); // times in whole seconds, rounded down
    for (auto [col, ids, keys, name] :
         {std::tuple{&product, &log.product, &log.product_keys, "product"},
          std::tuple{&channel, &log.channel, &log.channel_keys, "channel"}}) {
        if (!*col) continue;
        keyed_column k = encode_keys(**col, name, 0);
        *keys = std::move(k.index);
        *ids = std::move(k.ids);
    }
    return log;
}

} // namespace

void register_report(py::module_& m) {
    CM_OPTIONS(m, report_request, "ReportRequest", "A report's options and files (report.hpp).",
               source, fixed_costs_per_month, signals, costs, criteria, members, economics,
               currency, lang, locale, prefix);
    py::class_<sales_report>(m, "SalesReport", "The report of a log (custometrics/report.hpp).")
        .def("text",
             [](const sales_report& r) {
                 return written([&](std::ostream& s) { output::write_text(s, r); });
             })
        .def("json",
             [](const sales_report& r) {
                 return written([&](std::ostream& s) { output::write_json(s, r); });
             })
        .def("html", [](const sales_report& r) { return output::render_html(r); });
    m.def(
        "write_text_file",
        [](const std::string& path, const std::string& text) {
            output::write_text_file(path, text);
        },
        py::arg("path"), py::arg("text"),
        "Writes text to a file all or nothing (output/file.hpp): a failed write leaves none.");
    m.def(
        "report_file",
        [](const std::string& path, csv_columns columns, report_request r) {
            columns.conventional_names = true; // the one column rule of every face (csv.hpp)
            r.source = path;                   // build_report names a refused row's file line
            return build_report(read_transactions_csv(path, columns), r);
        },
        release_gil(), py::arg("path"), py::arg("columns"), py::arg("request"));
    m.def(
        "report_sample",
        [](count<"customers", std::size_t> customers, seed_arg seed, report_request r) {
            const report_sample s = generate_report_sample(customers, seed);
            r.source = s.source;
            return build_report(s.log, r);
        },
        release_gil(), py::arg("customers"), py::arg("seed"), py::arg("request"));
    m.def(
        "report_resolve_columns",
        [](const std::vector<std::string>& names, const csv_columns& columns) {
            return resolve_columns(names, columns, "data", 0);
        },
        py::arg("names"), py::arg("columns"),
        "The columns the report reads from a frame with the columns `names` (csv.hpp).");
    m.def(
        "report_columns",
        [](const py::array& customer, const int64_array& ticks, std::int64_t ticks_per_second,
           const float64_array& amount, const std::optional<float64_array>& cost,
           const std::optional<py::array>& product, const std::optional<py::array>& channel,
           const std::string& source, report_request r) {
            r.source = source;
            const transaction_log log =
                log_of(customer, ticks, ticks_per_second, amount, cost, product, channel);
            py::gil_scoped_release nogil;
            return build_report(log, r);
        },
        py::arg("customer"), py::arg("ticks"), py::arg("ticks_per_second"), py::arg("amount"),
        py::arg("cost"), py::arg("product"), py::arg("channel"), py::arg("source"),
        py::arg("request"));
}

} // namespace custometrics::python
