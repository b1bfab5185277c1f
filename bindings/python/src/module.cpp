// custometrics._core: the private compiled module behind the pure-Python package.
//
// Each area registers its functions from its own register_<area>.cpp. Every custometrics
// exception becomes a subclass of ValueError carrying the library's message and its fields as
// attributes (`argument`, `row`, `key`, `column`, `value`; `source` and `line` for CSV input):
// custometrics.InputError (invalid_argument), custometrics.DataError (data_error),
// custometrics.ParseError (parse_error, a DataError), custometrics.Error (any other).
#include "common.hpp"

#include "custometrics/threads.hpp"

#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/progress.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace py = pybind11;

namespace custometrics::python {
// register_bgbb.cpp: BG/BB, the model choice and the prediction intervals.
void register_bgbb(py::module_& m);
// Declared here, not in common.hpp, to keep the programme's face in its own files.
void register_programme(py::module_& m);  // register_programme.cpp
void register_economics(py::module_& m);  // register_economics.cpp
void register_covariates(py::module_& m); // register_covariates.cpp
} // namespace custometrics::python

PYBIND11_MODULE(_core, m) {
    m.doc() = "Compiled core of custometrics (private: use the custometrics package).";
    m.attr("__version__") = CUSTOMETRICS_VERSION_STRING;

    // The classes live as long as the interpreter (a module's exceptions are never freed).
    auto make = [&m](const char* name, PyObject* base, const char* doc) {
        const std::string qualified = std::string("custometrics.") + name;
        PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base, nullptr);
        if (cls == nullptr) throw py::error_already_set();
        // The fields are None on the class, so an instance raised from Python code (without
        // them set) still has every attribute.
        for (const char* field : {"argument", "row", "key", "column", "value", "source", "line"})
            if (PyObject_SetAttrString(cls, field, Py_None) != 0) throw py::error_already_set();
        m.attr(name) = py::handle(cls);
        return cls;
    };
    static PyObject* const base_error =
        make("Error", PyExc_ValueError,
             "Base of the errors custometrics raises (a ValueError): the message, and the "
             "attributes argument, row, key, column and value (None where they do not apply).");
    static PyObject* const input_error =
        make("InputError", base_error,
             "An argument is out of its domain (an unknown option, a negative horizon, an end "
             "before a start); `argument` names it.");
    static PyObject* const data_error =
        make("DataError", base_error,
             "A row of the data breaks a rule (a NaN amount, recency above T, a row after the "
             "observation end); `argument` names the column, `row` its 0-based position, `key` "
             "the customer or entity when known, `value` the offending value.");
    static PyObject* const parse_error =
        make("ParseError", data_error,
             "Text input could not be read: `source` (the file), `line` (1-based), `column` and "
             "`value` name the field.");

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const custometrics::error& e) {
            PyObject* cls = base_error;
            if (dynamic_cast<const custometrics::parse_error*>(&e) != nullptr)
                cls = parse_error;
            else if (dynamic_cast<const custometrics::data_error*>(&e) != nullptr)
                cls = data_error;
            else if (dynamic_cast<const custometrics::invalid_argument*>(&e) != nullptr)
                cls = input_error;
            // surrogateescape: a key or value that is not UTF-8 (a Latin-1 CSV) survives.
            auto text = [](std::string_view s) -> py::object {
                if (s.empty()) return py::none();
                return py::reinterpret_steal<py::object>(PyUnicode_DecodeUTF8(
                    s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape"));
            };
            const py::object inst = py::handle(cls)(text(e.what()));
            inst.attr("argument") = text(e.argument());
            inst.attr("row") = e.row() ? py::object(py::int_(*e.row())) : py::none();
            inst.attr("key") = text(e.key());
            inst.attr("column") = text(e.column());
            inst.attr("value") = text(e.value());
            if (const auto* pe = dynamic_cast<const custometrics::parse_error*>(&e)) {
                inst.attr("source") = text(pe->source());
                inst.attr("line") = py::int_(pe->line());
            }
            PyErr_SetObject(cls, inst.ptr());
        }
    });

    custometrics::python::register_summary(m);
    custometrics::python::register_aggregate(m);
    custometrics::python::register_io(m);
    custometrics::python::register_pareto(m);
    custometrics::python::register_break_even(m);
    custometrics::python::register_retention(m);
    custometrics::python::register_bgbb(m); // after register_retention: extends FitStatistics
    custometrics::python::register_loyalty(m);
    custometrics::python::register_programme(m);
    custometrics::python::register_economics(m);
    custometrics::python::register_covariates(m); // after register_retention: extends FittedModel
    custometrics::python::register_segments(m);
    custometrics::python::register_spark(m);
    custometrics::python::register_pareto_sketch(m);
    custometrics::python::register_report(m);

    m.def(
        "set_block_cache_limit",
        [](custometrics::python::count<"bytes", std::size_t> bytes) {
            custometrics::set_block_cache_limit(bytes);
        },
        py::arg("bytes"),
        "Sets the most bytes of freed large column blocks kept for reuse (0: none).");
    m.def(
        "block_cache_size", [] { return custometrics::block_cache_size(); },
        "Bytes of freed large column blocks kept for reuse now.");
    m.def(
        "set_default_threads",
        [](custometrics::python::threads_arg threads) {
            custometrics::set_default_threads(threads);
        },
        py::arg("threads"),
        "Sets the threads of every call made with threads=0 (0: the default again); InputError "
        "for anything but a whole number in 0..2^32-1.");
    m.def("default_threads", &custometrics::default_threads,
          "The threads a call made with threads=0 uses.");
    m.def(
        "set_progress",
        [](std::optional<py::function> fn) {
            // This thread's callback (progress.hpp), called from this thread only while the call
            // runs without the GIL: taken for it. Freed with the GIL, or never after Python ends.
            static thread_local std::optional<custometrics::progress_scope> scope;
            scope.reset();
            if (!fn) return;
            std::shared_ptr<py::function> f(new py::function(*fn), [](py::function* p) {
                if (!Py_IsInitialized()) return;
                const py::gil_scoped_acquire gil;
                delete p;
            });
            scope.emplace([f](std::string_view stage, std::uint64_t done, std::uint64_t total) {
                const py::gil_scoped_acquire gil;
                (*f)(stage, done, total);
            });
        },
        py::arg("callback"), "Sets this thread's progress callback(stage, done, total).");
}
