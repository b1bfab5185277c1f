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
//
// The chunk functions (`pareto_chunk_sums`, `combine_chunk_sums`, `classify_chunk`,
// `chunk_figures`: custometrics/pareto_partition.hpp) are the ranking of custometrics.spark's
// distributed `pareto_exact`; their results pickle, to travel between executors and driver.
#include "common.hpp"

#include "custometrics/pareto.hpp"
#include "custometrics/pareto_log.hpp"
#include "custometrics/pareto_partition.hpp"
#include "custometrics/streaming.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace custometrics::python {

namespace {

/// A curve method of a result (`curve`, `lorenz`) for Python: max_points None = every point
/// (0 for the C++ method), the points as a tuple of numpy arrays (x, y).
template <class R> auto points(curve_points (R::*curve)(std::size_t) const) {
    return [curve](const R& r, std::optional<count<"max_points", std::size_t>> max_points) {
        curve_points c = (r.*curve)(max_points ? *max_points : 0);
        return py::make_tuple(to_numpy(std::move(c.x)), to_numpy(std::move(c.y)));
    };
}

/// The options of a Pareto analysis, the rules by the names users write.
pareto_options make_options(double a, double b, const std::string& rule,
                            const std::string& nonpositive, threads_arg threads) {
    return {a, b, parse_boundary_rule(rule), parse_nonpositive_policy(nonpositive), threads};
}

// ---- rows: totals per entity, then the analysis

// Returns (Pareto, keys by rank, keys of the not-ranked entities, their totals).
py::tuple pareto_rows(const py::array& by, const float64_array& values, const pareto_options& opt,
                      const std::string& by_column, const std::string& value_column) {
    const auto v = as_span(values);
    std::optional<keyed_column> strings;
    keyed_pareto kp = by_rows(by, by_column, opt.threads, strings, [&](auto... keys) {
        return pareto_of_rows(keys..., v, opt, {by_column, value_column});
    });
    py::array ranked = keys_of(strings, std::move(kp.keys));
    py::array rest = keys_of(strings, std::move(kp.nonpositive_keys));
    return py::make_tuple(py::cast(std::move(kp.pareto)), ranked, rest,
                          to_numpy(std::move(kp.nonpositive_values)));
}

// Returns (Whale, keys by rank).
py::tuple whale_rows(const py::array& by, const float64_array& profit, threads_arg threads,
                     const std::string& by_column, const std::string& value_column) {
    const auto v = as_span(profit);
    std::optional<keyed_column> strings;
    keyed_whale kw = by_rows(by, by_column, threads, strings, [&](auto... keys) {
        return whale_of_rows(keys..., v, threads, {by_column, value_column});
    });
    py::array ranked = keys_of(strings, std::move(kw.keys));
    return py::make_tuple(py::cast(std::move(kw.whale)), ranked);
}

// The core's `pareto_csv` (streaming.hpp) of the CSV file at `path` read with `columns` and the
// other columns' conventional names, by `by` and `value` named as `custometrics pareto --by
// --measure` takes them, within the memory limit, without the GIL. Returns (Pareto, the keys of
// every entity by id, the total of every entity by id, the key column's name).
py::tuple pareto_csv(const std::string& path, csv_columns columns, char delimiter,
                     const std::string& by, const std::string& value,
                     const std::optional<std::string>& memory_limit, const pareto_options& opt) {
    columns.conventional_names = true;
    const pareto_axes axes =
        resolve_pareto_axes(by, value, std::move(columns), {"by", "value", "product", "quantity"});
    const csv_call c = csv_call_of(delimiter, memory_limit, opt.threads);
    csv_pareto r = without_gil([&] {
        return custometrics::pareto_csv(path, axes, {}, std::nullopt, opt, c.memory_limit, c.csv);
    });
    return py::make_tuple(py::cast(std::move(r.analysis.pareto)), keys_array(r.keys),
                          to_numpy(std::move(r.analysis.totals.value)), key_column(axes));
}

} // namespace

void register_pareto(py::module_& m) {
    CM_RESULT(m, gini_result, "Gini", "Gini coefficients (custometrics/pareto.hpp gini_result).", n,
              total, absolute_total, defined, reason, gini, gini_small_sample, rsv_defined,
              gini_rsv);
    CM_RESULT(m, pareto_options, "ParetoOptions",
              "The options of a Pareto analysis (custometrics/pareto.hpp pareto_options); rule "
              "and nonpositive as their codes.",
              a_threshold, b_threshold, rule, nonpositive, threads);

    CM_RESULT(m, pareto_result, "Pareto",
              "A ranked Pareto curve (custometrics/pareto.hpp pareto_result).", entity, value,
              share, cum_share, abc, total, n_positive, defined, reason, nonpositive,
              nonpositive_total, entities_for_80pct, top20_share, class_count, class_share, gini,
              options)
        .def("__len__", &pareto_result::size)
        .def("top_share", &pareto_result::top_share, py::arg("fraction"))
        .def("count_for_share", &pareto_result::count_for_share, py::arg("share"))
        .def("entities_for_share", &pareto_result::entities_for_share, py::arg("share"))
        .def("curve", points(&pareto_result::curve), py::arg("max_points"))
        .def("lorenz", points(&pareto_result::lorenz), py::arg("max_points"));

    CM_RESULT(m, whale_result, "Whale", "A whale curve (custometrics/pareto.hpp whale_result).",
              defined, reason, n, total, profit_total, loss_total, loss_entities, loss_entity_share,
              loss_share, peak_share, peak_count, peak_entity_share, entity, value, cum_share)
        .def("curve", points(&whale_result::curve), py::arg("max_points"));

    CM_RESULT(m, rank_correlation, "RankCorrelation",
              "Spearman's rho (custometrics/pareto.hpp rank_correlation).", defined, reason, n,
              rho);
    CM_RESULT(m, period_comparison, "PeriodComparison",
              "Two periods compared (custometrics/pareto.hpp period_comparison).", before, after,
              migration, entered_a, left_a, spearman, changes_defined, gini_change,
              entities_for_80pct_change, top20_share_change);

    CM_RESULT(
        m, pareto_chunk_sums, "ParetoChunkSums",
        "What one chunk of ranked values adds to the sums (custometrics/pareto_partition.hpp).",
        first, count, head, sum, weighted, absolute);
    CM_RESULT(m, pareto_chunked_sums, "ParetoChunkedSums",
              "The chunks' sums put together and each chunk's start (pareto_chunked_sums).", n,
              total, gini, first, carry, running);
    CM_RESULT(m, pareto_chunk_summary, "ParetoChunkSummary",
              "What a classified chunk adds to the headline figures; `+` merges.", class_count,
              a_end, cum_a, ab_end, cum_ab, k80, top_end, top20)
        .def(py::init<>())
        .def("__add__",
             [](pareto_chunk_summary a, const pareto_chunk_summary& b) { return a += b; });
    CM_RESULT(m, pareto_chunk, "ParetoChunk",
              "One chunk ranked and classified (custometrics/pareto_partition.hpp pareto_chunk).",
              rank, cum_share, abc, summary, next_carry, next_running);
    CM_RESULT(m, chunked_figures, "ParetoChunkedFigures",
              "The headline figures of a ranking in chunks (pareto_partition.hpp chunked_figures).",
              n, total, n_positive, defined, reason, nonpositive_count, nonpositive_total,
              entities_for_80pct, top20_share, class_count, class_share, gini);

    m.def("pareto_options", &make_options, py::arg("a"), py::arg("b"), py::arg("rule"),
          py::arg("nonpositive"), py::arg("threads"),
          "The ParetoOptions of the rules' names (InputError naming rule or nonpositive).");
    using span = std::span<const double>;
    m.def(
        "pareto", [](span values, const pareto_options& o) { return pareto(values, o); },
        release_gil(), py::arg("values"), py::arg("options"),
        "Pareto analysis of one value per entity (see custometrics.pareto).");
    m.def("pareto_chunk_sums", &pareto_chunk_sums_of, release_gil(), py::arg("values"),
          py::arg("first"), py::arg("n"), "The sums of one chunk of n ranked values.");
    m.def(
        "combine_chunk_sums",
        [](const std::vector<pareto_chunk_sums>& chunks, std::size_t n,
           const std::string& nonpositive) {
            return combine_chunk_sums(chunks, n, parse_nonpositive_policy(nonpositive));
        },
        py::arg("chunks"), py::arg("n"), py::arg("nonpositive"),
        "The chunks' sums (in rank order) put together; DataError for a total <= 0 under "
        "nonpositive 'include', as pareto.");
    m.def("classify_chunk", &classify_chunk, release_gil(), py::arg("values"), py::arg("first"),
          py::arg("carry"), py::arg("running"), py::arg("n"), py::arg("n_positive"),
          py::arg("total"), py::arg("options"),
          "Rank, cumulative share and class of one chunk of the ranked values, from its start.");
    m.def("chunk_figures", &chunk_figures, py::arg("sums"), py::arg("n_positive"),
          py::arg("summary"), py::arg("nonpositive_count"), py::arg("nonpositive_total"),
          "The headline figures of a ranking in chunks.");
    m.def("pareto_rows", &pareto_rows, py::arg("by"), py::arg("values"), py::arg("options"),
          py::arg("by_column"), py::arg("value_column"),
          "Totals per entity of transaction rows, then their Pareto analysis, in one call.");
    m.def("pareto_csv", &pareto_csv, py::arg("path"), py::arg("columns"), py::arg("delimiter"),
          py::arg("by"), py::arg("value"), py::arg("memory_limit"), py::arg("options"),
          "Pareto analysis of a CSV file by the core's reader, within a memory limit.");
    m.def(
        "gini", [](span values, threads_arg threads) { return gini(values, threads); },
        release_gil(), py::arg("values"), py::arg("threads"),
        "Gini coefficients of all values (see custometrics.gini).");
    m.def(
        "whale_curve",
        [](span profit, threads_arg threads) { return whale_curve(profit, threads); },
        release_gil(), py::arg("profit"), py::arg("threads"),
        "Whale curve of the profit per entity (see custometrics.whale_curve).");
    m.def("whale_rows", &whale_rows, py::arg("by"), py::arg("profit"), py::arg("threads"),
          py::arg("by_column"), py::arg("value_column"),
          "Profit per entity of transaction rows, then its whale curve, in one call.");
    m.def(
        "compare_periods",
        [](span before, span after, const pareto_options& o) {
            return compare_periods(before, after, o);
        },
        release_gil(), py::arg("before"), py::arg("after"), py::arg("options"),
        "Two periods of one value per entity compared (see custometrics.compare_periods).");
}

} // namespace custometrics::python
