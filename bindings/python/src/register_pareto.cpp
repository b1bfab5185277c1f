// _core.pareto and friends: Pareto analysis (custometrics/pareto.hpp) over numpy columns.
//
// The C++ results are handed to Python whole, as the classes `Pareto`, `Whale` and `Gini`:
// their columns are read-only numpy views whose base is the result object (no copy), and their
// query methods (top_share, entities_for_share, curve, lorenz) are the C++ ones, so the Python
// layer computes no figure of its own. Ids in `entity` and `nonpositive` are positions in the
// values given (dense ids in ascending key order on the row paths).
//
// The row paths (`pareto_rows`, `whale_rows`) total a value per entity and analyse the totals
// in one call, without the GIL: integer keys through `aggregate_by_key` (one pass, no id column)
// and string keys through `encode_keys` then `aggregate_by`. The keys of the ranked entities are
// gathered here: int64 arrays, or object arrays of str.
#include "common.hpp"

#include "custometrics/aggregate.hpp"
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
    pareto_options o;
    o.a_threshold = a;
    o.b_threshold = b;
    o.rule = parse_boundary_rule(rule);
    o.nonpositive = parse_nonpositive_policy(nonpositive);
    o.threads = threads;
    return o;
}

/// `from[ids[i]]` for every i.
template <class From> auto gather(const From& from, std::span<const entity_id> ids) {
    column<std::remove_cvref_t<decltype(from[0])>> out(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        out[i] = from[ids[i]];
    return out;
}

/// The entity keys of a row path: integer keys ascending by id, or a string key index.
struct entity_keys {
    column<std::int64_t> ints;
    std::optional<keyed_column> strings;
};

/// The keys of `ids`: `ints` (gathered without the GIL) for integer keys, else an object array
/// of str made from `keys.strings`.
py::array keys_at(const entity_keys& keys, std::span<const entity_id> ids,
                  column<std::int64_t>&& ints) {
    if (!keys.strings) return to_numpy(std::move(ints));
    return string_keys_array(keys.strings->index, ids.size(),
                             [ids](std::size_t i) { return ids[i]; });
}

/// The error of the NaN or infinite value at row `e.row()` (the core's `data_error`), naming the
/// value column, the row and its key (`key_text(row)`): the core knows the row only.
template <class KeyText>
data_error nonfinite_row(const data_error& e, const std::string& by_column,
                         const std::string& value_column, KeyText key_text) {
    if (!e.row()) return e;
    const std::size_t i = *e.row();
    const std::string key = key_text(i);
    return data_error(value_column + ": row " + std::to_string(i) + " (" + by_column + " " + key +
                          "): value is " + e.value(),
                      error_context{value_column, i, key, {}, e.value()});
}

/// Totals `values` by the keys `by` (int64, or object str), then calls `then(totals, keys)`,
/// all without the GIL. Returns the keys by id.
///
/// A NaN or infinite value is a `data_error` naming the value column, the row and its key.
template <class Then>
entity_keys totals_then(const py::array& by, const float64_array& values, unsigned threads,
                        const std::string& by_column, const std::string& value_column, Then then) {
    const auto v = as_span(values);
    aggregate_options opt;
    opt.threads = threads;
    opt.with_moments = false;
    entity_keys keys;
    column<double> totals;
    if (by.ndim() == 1 && by.dtype().kind() != 'O') {
        const auto ints = int64_array::ensure(by);
        if (!ints) throw py::error_already_set();
        const auto k = as_span(ints);
        py::gil_scoped_release nogil;
        keyed_sums ks;
        try {
            ks = sum_by_key(k, v, opt.threads);
        } catch (const data_error& e) {
            // The aggregation names the row of a non-finite value; this names the column and
            // key too.
            throw nonfinite_row(e, by_column, value_column,
                                [k](std::size_t i) { return std::to_string(k[i]); });
        }
        keys.ints = std::move(ks.keys);
        totals = std::move(ks.sum);
        then(std::span<const double>(totals), keys);
    } else {
        keys.strings = encode_keys(by, by_column, threads);
        const keyed_column& g = *keys.strings;
        py::gil_scoped_release nogil;
        try {
            totals = std::move(aggregate_by(g.ids, g.index.size(), v, {}, opt).sum);
        } catch (const data_error& e) {
            throw nonfinite_row(e, by_column, value_column, [&g](std::size_t i) {
                return "'" + std::string(g.index.string_key(g.ids[i])) + "'";
            });
        }
        then(std::span<const double>(totals), keys);
    }
    return keys;
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
    if (by.ndim() == 1 && by.dtype().kind() != 'O') {
        // Integer keys: `pareto_by_key` ranks straight from its table of totals.
        const auto ints = int64_array::ensure(by);
        if (!ints) throw py::error_already_set();
        const auto k = as_span(ints);
        const auto v = as_span(values);
        keyed_pareto kp;
        {
            py::gil_scoped_release nogil;
            try {
                kp = pareto_by_key(k, v, opt);
            } catch (const data_error& e) {
                if (!e.key().empty()) // a key whose total overflows to infinity
                    throw data_error(
                        value_column + ": " + by_column + " " + e.key() + ": total is " +
                            e.value() + " (the sum of its values overflows)",
                        error_context{value_column, std::nullopt, e.key(), {}, e.value()});
                if (e.row()) // a NaN or infinite value
                    throw nonfinite_row(e, by_column, value_column,
                                        [k](std::size_t i) { return std::to_string(k[i]); });
                throw; // a total <= 0 under the include policy
            }
        }
        py::array ranked_keys = to_numpy(std::move(kp.keys));
        py::array rest_keys = to_numpy(std::move(kp.nonpositive_keys));
        py::array rest_values = to_numpy(std::move(kp.nonpositive_values));
        return py::make_tuple(py::cast(std::move(kp.pareto)), ranked_keys, rest_keys, rest_values);
    }
    pareto_result r;
    column<double> rest_values;
    auto analyse = [&](std::span<const double> totals, const entity_keys&) {
        r = pareto(totals, opt);
        rest_values = gather(totals, r.nonpositive);
    };
    const entity_keys keys = totals_then(by, values, threads, by_column, value_column, analyse);
    py::array ranked_keys = keys_at(keys, r.entity, {});
    py::array rest_keys = keys_at(keys, r.nonpositive, {});
    return py::make_tuple(py::cast(std::move(r)), ranked_keys, rest_keys,
                          to_numpy(std::move(rest_values)));
}

// Returns (Whale, keys by rank).
py::tuple whale_rows(const py::array& by, const float64_array& profit, unsigned threads,
                     const std::string& by_column, const std::string& value_column) {
    whale_result w;
    column<std::int64_t> ranked_ints;
    auto analyse = [&](std::span<const double> totals, const entity_keys& k) {
        w = whale_curve(totals, threads);
        if (!k.strings) ranked_ints = gather(k.ints, w.entity);
    };
    const entity_keys keys = totals_then(by, profit, threads, by_column, value_column, analyse);
    py::array ranked_keys = keys_at(keys, w.entity, std::move(ranked_ints));
    return py::make_tuple(py::cast(std::move(w)), ranked_keys);
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
