// _core.pareto and friends: Pareto analysis (custometrics/pareto.hpp) over numpy columns.
//
// The C++ results are handed to Python whole, as the classes `Pareto`, `Whale` and `Gini`:
// their columns are read-only numpy views whose base is the result object (no copy), and their
// query methods (top_share, entities_for_share, curve, lorenz) are the C++ ones, so the Python
// layer computes no figure of its own. Ids in `entity` and `nonpositive` are positions in the
// values given (dense ids in ascending key order on the row paths).
//
// The row paths (`pareto_rows`, `whale_rows`) total a value per entity and analyse the totals
// in one core call (`pareto_of_rows`, `whale_of_rows`) without the GIL: integer keys as they
// are, string keys through `encode_keys`; the keys come back as int64 or object arrays of str.
#include "common.hpp"

#include "custometrics/pareto.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace custometrics::python {

namespace {

/// A read-only numpy view of `v`, kept alive by `owner` (the Python object that holds `v`).
/// `U` is the element type numpy sees (uint8 for abc_class).
template <class U, class T, class A>
py::array_t<U> view(const std::vector<T, A>& v, py::handle owner) {
    static_assert(sizeof(T) == sizeof(U));
    py::array_t<U> out(static_cast<py::ssize_t>(v.size()), reinterpret_cast<const U*>(v.data()),
                       owner);
    out.attr("setflags")(py::arg("write") = false);
    return out;
}

/// A read-only property getter for the column `member` of a result class `R` (see `view`).
template <class U, class R, class C> auto column_of(C R::*member) {
    return
        [member](const py::object& self) { return view<U>(self.cast<const R&>().*member, self); };
}

/// A curve as a tuple of numpy arrays (x, y).
py::tuple points(curve_points&& c) {
    return py::make_tuple(to_numpy(std::move(c.x)), to_numpy(std::move(c.y)));
}

pareto_options make_options(double a, double b, const std::string& rule,
                            const std::string& nonpositive, unsigned threads) {
    return {a, b, parse_boundary_rule(rule), parse_nonpositive_policy(nonpositive), threads};
}

// ---- values per entity

pareto_result pareto_values(const float64_array& values, double a, double b,
                            const std::string& rule, const std::string& nonpositive,
                            unsigned threads) {
    const pareto_options opt = make_options(a, b, rule, nonpositive, threads);
    const auto v = as_span(values);
    py::gil_scoped_release nogil;
    return pareto(v, opt);
}

gini_result gini_values(const float64_array& values, unsigned threads) {
    const auto v = as_span(values);
    py::gil_scoped_release nogil;
    return gini(v, threads);
}

whale_result whale_values(const float64_array& profit, unsigned threads) {
    const auto v = as_span(profit);
    py::gil_scoped_release nogil;
    return whale_curve(v, threads);
}

// ---- rows: totals per entity, then the analysis

// Returns (Pareto, keys by rank, keys of the not-ranked entities, their totals).
py::tuple pareto_rows(const py::array& by, const float64_array& values, double a, double b,
                      const std::string& rule, const std::string& nonpositive, unsigned threads,
                      const std::string& by_column, const std::string& value_column) {
    const pareto_options opt = make_options(a, b, rule, nonpositive, threads);
    const auto v = as_span(values);
    std::optional<keyed_column> strings;
    keyed_pareto kp = by_rows(by, by_column, threads, strings, [&](auto... keys) {
        return pareto_of_rows(keys..., v, opt, {by_column, value_column});
    });
    py::array ranked = keys_of(strings, std::move(kp.keys));
    py::array rest = keys_of(strings, std::move(kp.nonpositive_keys));
    return py::make_tuple(py::cast(std::move(kp.pareto)), ranked, rest,
                          to_numpy(std::move(kp.nonpositive_values)));
}

// Returns (Whale, keys by rank).
py::tuple whale_rows(const py::array& by, const float64_array& profit, unsigned threads,
                     const std::string& by_column, const std::string& value_column) {
    const auto v = as_span(profit);
    std::optional<keyed_column> strings;
    keyed_whale kw = by_rows(by, by_column, threads, strings, [&](auto... keys) {
        return whale_of_rows(keys..., v, threads, {by_column, value_column});
    });
    py::array ranked = keys_of(strings, std::move(kw.keys));
    return py::make_tuple(py::cast(std::move(kw.whale)), ranked);
}

// ---- two periods

period_comparison compare(const float64_array& before, const float64_array& after, double a,
                          double b, const std::string& rule, const std::string& nonpositive,
                          unsigned threads) {
    const pareto_options opt = make_options(a, b, rule, nonpositive, threads);
    const auto x = as_span(before);
    const auto y = as_span(after);
    py::gil_scoped_release nogil;
    return compare_periods(x, y, opt);
}

/// Converts Python's max_points (None = every point) to the C++ argument (0 = every point).
std::size_t max_points_arg(std::optional<std::size_t> max_points) {
    return max_points.value_or(0);
}

} // namespace

// The pickled form of the options of a Pareto result (declared in common.hpp).
py::object state(const pareto_options& o) {
    return py::make_tuple(o.a_threshold, o.b_threshold, static_cast<int>(o.rule),
                          static_cast<int>(o.nonpositive), o.threads);
}

void restore(py::handle h, pareto_options& o) {
    const auto t = h.cast<py::tuple>();
    o.a_threshold = t[0].cast<double>();
    o.b_threshold = t[1].cast<double>();
    o.rule = static_cast<boundary_rule>(t[2].cast<int>());
    o.nonpositive = static_cast<nonpositive_policy>(t[3].cast<int>());
    o.threads = t[4].cast<unsigned>();
}

void register_pareto(py::module_& m) {
    py::class_<gini_result>(m, "Gini", "Gini coefficients (custometrics/pareto.hpp gini_result).")
        .def_readonly("n", &gini_result::n)
        .def_readonly("total", &gini_result::total)
        .def_readonly("absolute_total", &gini_result::absolute_total)
        .def_readonly("defined", &gini_result::defined)
        .def_readonly("reason", &gini_result::reason)
        .def_readonly("gini", &gini_result::gini)
        .def_readonly("gini_small_sample", &gini_result::gini_small_sample)
        .def_readonly("rsv_defined", &gini_result::rsv_defined)
        .def_readonly("gini_rsv", &gini_result::gini_rsv)
        .def(pickle_members(&gini_result::n, &gini_result::total, &gini_result::absolute_total,
                            &gini_result::defined, &gini_result::reason, &gini_result::gini,
                            &gini_result::gini_small_sample, &gini_result::rsv_defined,
                            &gini_result::gini_rsv));

    py::class_<pareto_result>(m, "Pareto",
                              "A ranked Pareto curve (custometrics/pareto.hpp pareto_result).")
        .def_property_readonly("entity", column_of<entity_id>(&pareto_result::entity))
        .def_property_readonly("value", column_of<double>(&pareto_result::value))
        .def_property_readonly("share", column_of<double>(&pareto_result::share))
        .def_property_readonly("cum_share", column_of<double>(&pareto_result::cum_share))
        .def_property_readonly("abc", column_of<std::uint8_t>(&pareto_result::abc))
        .def_property_readonly("nonpositive", column_of<entity_id>(&pareto_result::nonpositive))
        .def("__len__", &pareto_result::size)
        .def_readonly("total", &pareto_result::total)
        .def_readonly("n_positive", &pareto_result::n_positive)
        .def_readonly("defined", &pareto_result::defined)
        .def_readonly("reason", &pareto_result::reason)
        .def_readonly("nonpositive_total", &pareto_result::nonpositive_total)
        .def_readonly("entities_for_80pct", &pareto_result::entities_for_80pct)
        .def_readonly("top20_share", &pareto_result::top20_share)
        .def_readonly("class_count", &pareto_result::class_count)
        .def_readonly("class_share", &pareto_result::class_share)
        .def_readonly("gini", &pareto_result::gini)
        .def("top_share", &pareto_result::top_share, py::arg("fraction"))
        .def("count_for_share", &pareto_result::count_for_share, py::arg("share"))
        .def("entities_for_share", &pareto_result::entities_for_share, py::arg("share"))
        .def(
            "curve",
            [](const pareto_result& r, std::optional<std::size_t> max_points) {
                return points(r.curve(max_points_arg(max_points)));
            },
            py::arg("max_points"))
        .def(
            "lorenz",
            [](const pareto_result& r, std::optional<std::size_t> max_points) {
                return points(r.lorenz(max_points_arg(max_points)));
            },
            py::arg("max_points"))
        .def(pickle_members(&pareto_result::entity, &pareto_result::value, &pareto_result::share,
                            &pareto_result::cum_share, &pareto_result::abc, &pareto_result::total,
                            &pareto_result::n_positive, &pareto_result::defined,
                            &pareto_result::reason, &pareto_result::nonpositive,
                            &pareto_result::nonpositive_total, &pareto_result::entities_for_80pct,
                            &pareto_result::top20_share, &pareto_result::class_count,
                            &pareto_result::class_share, &pareto_result::gini,
                            &pareto_result::options));

    py::class_<whale_result>(m, "Whale", "A whale curve (custometrics/pareto.hpp whale_result).")
        .def_property_readonly("entity", column_of<entity_id>(&whale_result::entity))
        .def_property_readonly("value", column_of<double>(&whale_result::value))
        .def_property_readonly("cum_share", column_of<double>(&whale_result::cum_share))
        .def_readonly("defined", &whale_result::defined)
        .def_readonly("reason", &whale_result::reason)
        .def_readonly("n", &whale_result::n)
        .def_readonly("total", &whale_result::total)
        .def_readonly("profit_total", &whale_result::profit_total)
        .def_readonly("loss_total", &whale_result::loss_total)
        .def_readonly("loss_entities", &whale_result::loss_entities)
        .def_readonly("loss_entity_share", &whale_result::loss_entity_share)
        .def_readonly("loss_share", &whale_result::loss_share)
        .def_readonly("peak_share", &whale_result::peak_share)
        .def_readonly("peak_count", &whale_result::peak_count)
        .def_readonly("peak_entity_share", &whale_result::peak_entity_share)
        .def(
            "curve",
            [](const whale_result& w, std::optional<std::size_t> max_points) {
                return points(w.curve(max_points_arg(max_points)));
            },
            py::arg("max_points"))
        .def(pickle_members(
            &whale_result::defined, &whale_result::reason, &whale_result::n, &whale_result::total,
            &whale_result::profit_total, &whale_result::loss_total, &whale_result::loss_entities,
            &whale_result::loss_entity_share, &whale_result::loss_share, &whale_result::peak_share,
            &whale_result::peak_count, &whale_result::peak_entity_share, &whale_result::entity,
            &whale_result::value, &whale_result::cum_share));

    py::class_<rank_correlation>(m, "RankCorrelation",
                                 "Spearman's rho (custometrics/pareto.hpp rank_correlation).")
        .def_readonly("defined", &rank_correlation::defined)
        .def_readonly("reason", &rank_correlation::reason)
        .def_readonly("n", &rank_correlation::n)
        .def_readonly("rho", &rank_correlation::rho);

    py::class_<period_comparison>(
        m, "PeriodComparison", "Two periods compared (custometrics/pareto.hpp period_comparison).")
        .def_readonly("before", &period_comparison::before)
        .def_readonly("after", &period_comparison::after)
        .def_readonly("migration", &period_comparison::migration)
        .def_property_readonly("entered_a", column_of<entity_id>(&period_comparison::entered_a))
        .def_property_readonly("left_a", column_of<entity_id>(&period_comparison::left_a))
        .def_readonly("spearman", &period_comparison::spearman)
        .def_readonly("changes_defined", &period_comparison::changes_defined)
        .def_readonly("gini_change", &period_comparison::gini_change)
        .def_readonly("entities_for_80pct_change", &period_comparison::entities_for_80pct_change)
        .def_readonly("top20_share_change", &period_comparison::top20_share_change);

    m.def("pareto", &pareto_values, py::arg("values"), py::arg("a"), py::arg("b"), py::arg("rule"),
          py::arg("nonpositive"), py::arg("threads"),
          "Pareto analysis of one value per entity (see custometrics.pareto).");
    m.def("pareto_rows", &pareto_rows, py::arg("by"), py::arg("values"), py::arg("a"), py::arg("b"),
          py::arg("rule"), py::arg("nonpositive"), py::arg("threads"), py::arg("by_column"),
          py::arg("value_column"),
          "Totals per entity of transaction rows, then their Pareto analysis, in one call.");
    m.def("gini", &gini_values, py::arg("values"), py::arg("threads"),
          "Gini coefficients of all values (see custometrics.gini).");
    m.def("whale_curve", &whale_values, py::arg("profit"), py::arg("threads"),
          "Whale curve of the profit per entity (see custometrics.whale_curve).");
    m.def("whale_rows", &whale_rows, py::arg("by"), py::arg("profit"), py::arg("threads"),
          py::arg("by_column"), py::arg("value_column"),
          "Profit per entity of transaction rows, then its whale curve, in one call.");
    m.def("compare_periods", &compare, py::arg("before"), py::arg("after"), py::arg("a"),
          py::arg("b"), py::arg("rule"), py::arg("nonpositive"), py::arg("threads"),
          "Two periods of one value per entity compared (see custometrics.compare_periods).");
}

} // namespace custometrics::python
