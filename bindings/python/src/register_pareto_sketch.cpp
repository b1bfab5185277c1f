// _core.ParetoSketch and friends: the mergeable Pareto sketch (custometrics/pareto_sketch.hpp).
//
// Used by custometrics.spark.pareto: each Spark partition adds its totals per entity to a
// sketch, hands back its bins as five numpy columns, Spark merges the bins by index, and the
// driver rebuilds one sketch with `from_bins` and computes the bounded figures. Adding values
// releases the GIL.
#include "common.hpp"

#include "custometrics/pareto_sketch.hpp"

#include <string>
#include <utility>
#include <vector>

namespace custometrics::python {

void register_pareto_sketch(py::module_& m) {
    CM_RESULT(m, bounded_figure, "BoundedFigure",
              "A figure of a sketch and its guaranteed bounds (pareto_sketch.hpp).", estimate,
              lower, upper)
        .def(py::init([](double estimate, double lower, double upper) {
                 return bounded_figure{estimate, lower, upper};
             }),
             py::arg("estimate"), py::arg("lower"), py::arg("upper"));
    CM_RESULT(m, sketch_figures, "SketchFigures",
              "The Pareto figures of a sketch (pareto_sketch.hpp).", n, total, nonpositive_count,
              nonpositive_total, defined, reason, min, max, bins, entities_for_80pct, top20_share,
              gini, gini_small_sample, class_count, class_share, options);

    py::class_<pareto_sketch>(m, "ParetoSketch")
        .def(py::init<double>(), py::arg("eps") = 0.01)
        .def("add", &pareto_sketch::add, release_gil(), py::arg("values"))
        .def(
            "merge", [](pareto_sketch& s, const pareto_sketch& other) { s += other; },
            py::arg("other"))
        .def_static("from_bins",
                    static_cast<pareto_sketch (*)(
                        double, std::span<const std::int64_t>, std::span<const std::int64_t>,
                        std::span<const double>, std::span<const double>, std::span<const double>,
                        std::int64_t, double)>(&pareto_sketch::from_bins),
                    py::arg("eps"), py::arg("index"), py::arg("count"), py::arg("sum"),
                    py::arg("min"), py::arg("max"), py::arg("nonpositive_count"),
                    py::arg("nonpositive_total"))
        .def_property_readonly("eps", &pareto_sketch::eps)
        .def_property_readonly("precision_bits", &pareto_sketch::precision_bits)
        .def_property_readonly("count", &pareto_sketch::count)
        .def_property_readonly("total", &pareto_sketch::total)
        .def_property_readonly("nonpositive_count", &pareto_sketch::nonpositive_count)
        .def_property_readonly("nonpositive_total", &pareto_sketch::nonpositive_total)
        .def(
            "bins",
            [](const pareto_sketch& s) {
                const std::vector<sketch_bin>& b = s.bins(); // indices < 2^63: sign bit 0
                return py::make_tuple(numpy_gather<std::int64_t>(b, &sketch_bin::index),
                                      numpy_gather<std::int64_t>(b, &sketch_bin::count),
                                      numpy_gather<double>(b, &sketch_bin::sum),
                                      numpy_gather<double>(b, &sketch_bin::min),
                                      numpy_gather<double>(b, &sketch_bin::max));
            },
            "(index, count, sum, min, max) of the occupied bins, ascending")
        .def(
            "figures",
            [](const pareto_sketch& s, double a, double b, const std::string& rule) {
                return pareto_figures(s, {a, b, parse_boundary_rule(rule)});
            },
            py::arg("a") = 0.8, py::arg("b") = 0.95, py::arg("rule") = "before")
        .def(
            "top_share", [](const pareto_sketch& s, double f) { return top_share(s, f); },
            py::arg("fraction"))
        .def(
            "entities_for_share",
            [](const pareto_sketch& s, double share) { return entities_for_share(s, share); },
            py::arg("share"));
}

} // namespace custometrics::python
