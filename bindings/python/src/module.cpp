// custometrics._core: the private compiled module behind the pure-Python package.
//
// Each area registers its functions from its own register_<area>.cpp. Every custometrics
// exception becomes a Python ValueError carrying the library's message, which already names the
// argument, the row or key and the value (for CSV input: the file, line, column and value).
#include "common.hpp"

#include "custometrics/column.hpp"
#include "custometrics/config.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
    m.doc() = "Compiled core of custometrics (private: use the custometrics package).";
    m.attr("__version__") = CUSTOMETRICS_VERSION_STRING;

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const custometrics::error& e) {
            // invalid_argument, data_error and parse_error alike: bad input, not a broken library.
            PyErr_SetString(PyExc_ValueError, e.what());
        }
    });

    custometrics::python::register_summary(m);
    custometrics::python::register_aggregate(m);
    custometrics::python::register_io(m);
    custometrics::python::register_pareto(m);
    custometrics::python::register_break_even(m);
    custometrics::python::register_retention(m);
    custometrics::python::register_loyalty(m);
    custometrics::python::register_segments(m);
    custometrics::python::register_spark(m);
    custometrics::python::register_pareto_sketch(m);

    m.def(
        "set_block_cache_limit",
        [](std::size_t bytes) { custometrics::set_block_cache_limit(bytes); }, py::arg("bytes"),
        "Sets the most bytes of freed large column blocks kept for reuse (0: none).");
    m.def(
        "block_cache_size", [] { return custometrics::block_cache_size(); },
        "Bytes of freed large column blocks kept for reuse now.");
}
