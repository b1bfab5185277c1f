// _core.rfm, _core.kmeans and friends: RFM scores and segments (custometrics/rfm.hpp), k-means
// clustering (clustering.hpp), segment profiles (segments.hpp) and segment attractiveness
// (attractiveness.hpp, criteria_table.hpp) over numpy arrays.
//
// Results are the core's structs as bound classes with read-only attributes; per-customer columns
// are numpy views of the result's memory (kept alive by it), matrices numpy arrays. Feature
// matrices come in as Fortran-order float64 arrays (no copy). Long calls release the GIL.
#include "common.hpp"

#include "custometrics/attractiveness.hpp"
#include "custometrics/clustering.hpp"
#include "custometrics/criteria_table.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/segments.hpp"
#include "custometrics/streaming.hpp"

#include <pybind11/eigen.h>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace custometrics::python {

namespace {

/// A 2-D float64 array in Fortran order (converted once when it is not one).
using matrix_array = py::array_t<double, py::array::f_style | py::array::forcecast>;

Eigen::Map<const Eigen::MatrixXd> as_matrix(const matrix_array& a, const char* name) {
    if (a.ndim() != 2)
        throw invalid_argument(name, "expected a 2-D array, got " + std::to_string(a.ndim()) +
                                         " dimensions");
    return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
}

using std::int64_t;
using rule_tuple = std::tuple<std::string, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t>;

segment_map make_map(const std::vector<rule_tuple>& rules, count<"bins"> bins) {
    std::vector<segment_rule> out; // each rule checked as a map file's (segment_rule_of)
    for (const auto& [name, r0, r1, f0, f1, m0, m1] : rules)
        out.push_back(segment_rule_of(name, {r0, r1, f0, f1, m0, m1}, bins, out.size()));
    return segment_map(std::move(out), bins);
}

std::vector<rule_tuple> default_rules_py() {
    std::vector<rule_tuple> out;
    for (const segment_rule& r : default_segment_rules())
        out.emplace_back(r.name, r.r.lo, r.r.hi, r.f.lo, r.f.hi, r.m.lo, r.m.hi);
    return out;
}

using span = std::span<const double>;

rfm_result rfm_py(span r_s, span f_s, span m_s, count<"bins"> bins, const std::string& ties,
                  const std::string& fm, const segment_map* map, threads_arg threads) {
    const rfm_options o{bins, parse_rfm_ties(ties), parse_rfm_fm(fm), threads};
    return map ? rfm(r_s, f_s, m_s, *map, o) : rfm(r_s, f_s, m_s, o);
}

// The core's `rfm_csv` (streaming.hpp) of the CSV file at `path` read with `columns` (and the
// conventional names), within the memory limit, without the GIL. Returns (every customer key by
// id, the ids of the customers scored, their recency, frequency and monetary values, RfmResult,
// the ids of the customers left out: no purchase row, so no recency).
py::tuple rfm_csv_py(const std::string& path, csv_columns columns, char delimiter,
                     const std::optional<std::string>& memory_limit,
                     std::optional<std::int64_t> analysis_date, count<"bins"> bins,
                     const std::string& ties, const std::string& fm, const segment_map* map,
                     threads_arg threads) {
    columns.conventional_names = true;
    const rfm_options o{bins, parse_rfm_ties(ties), parse_rfm_fm(fm), threads};
    const csv_call c = csv_call_of(delimiter, memory_limit, threads);
    csv_rfm r = without_gil([&] {
        return rfm_csv(path, columns, analysis_date, map ? *map : default_segment_map(), o,
                       c.memory_limit, c.csv);
    });
    rfm_values& v = r.rfm.values; // moved out before the result (arguments in any order)
    py::array keys = keys_array(r.summary.customer_keys), ids = to_numpy(std::move(v.customer)),
              rec = to_numpy(std::move(v.recency)), freq = to_numpy(std::move(v.frequency)),
              mon = to_numpy(std::move(v.monetary));
    py::array left_out = to_numpy(std::move(r.summary.summary.customers_without_purchase));
    return py::make_tuple(keys, ids, rec, freq, mon, py::cast(std::move(r.rfm)), left_out);
}

/// `o` with the feature scaling of `scaling` (the names users write) and the feature `names`.
kmeans_options scaled(kmeans_options o, const std::vector<std::string>& scaling,
                      const std::vector<std::string>& names) {
    o.scaling.names = names;
    for (const auto& s : scaling)
        o.scaling.methods.push_back(parse_feature_scaling(s));
    return o;
}

kmeans_result kmeans_py(const matrix_array& x, const std::optional<matrix_array>& init,
                        const kmeans_options& options, const std::vector<std::string>& scaling,
                        const std::vector<std::string>& names) {
    const auto xm = as_matrix(x, "features");
    const kmeans_options o = scaled(options, scaling, names);
    if (init) {
        const auto im = as_matrix(*init, "init");
        py::gil_scoped_release nogil;
        return kmeans(xm, im, o);
    }
    py::gil_scoped_release nogil;
    return kmeans(xm, o);
}

kmeans_k_selection select_k_py(const matrix_array& x, count<"k_min", std::size_t> k_min,
                               count<"k_max", std::size_t> k_max,
                               count<"silhouette_limit", std::size_t> silhouette_limit,
                               const kmeans_options& options,
                               const std::vector<std::string>& scaling,
                               const std::vector<std::string>& names) {
    const auto xm = as_matrix(x, "features");
    const kmeans_options o = scaled(options, scaling, names);
    py::gil_scoped_release nogil;
    return kmeans_select_k(xm, {k_min, k_max, silhouette_limit}, o);
}

silhouette_result silhouette_py(const matrix_array& x, std::span<const std::uint32_t> labels,
                                count<"limit", std::size_t> limit, seed_arg seed,
                                threads_arg threads) {
    const auto xm = as_matrix(x, "features");
    py::gil_scoped_release nogil;
    return silhouette(xm, labels, limit, seed, threads);
}

segment_profiles profiles_py(std::span<const std::uint32_t> labels,
                             count<"segments", std::size_t> segments, span recency, span frequency,
                             span monetary, span revenue, std::optional<span> profit,
                             const std::vector<std::string>& names,
                             const std::vector<std::pair<std::string, span>>& extra) {
    return profile_segments<std::uint32_t>(
        labels, segments, {recency, frequency, monetary, revenue, profit.value_or(span{}), extra},
        names);
}

ahp_result ahp_py(const matrix_array& pairwise, const std::vector<criterion>& criteria,
                  const ahp_options& o) {
    return ahp(as_matrix(pairwise, "pairwise"), criteria, o);
}

segment_scores score_py(const matrix_array& values, const std::vector<criterion>& criteria,
                        span weights) {
    return score_segments(as_matrix(values, "values"), criteria, weights);
}

} // namespace

void register_segments(py::module_& m) {
    CM_RESULT(m, rfm_bins, "RfmBins", "Scores of one RFM dimension (custometrics/rfm.hpp)", size,
              target, lower, upper, distinct, warnings);
    CM_RESULT(m, rfm_cell, "RfmCell", "An RFM cell (custometrics/rfm.hpp)", r, f, m);
    CM_RESULT(m, rule_overlap, "RuleOverlap", "Two segment rules that share cells", first, second,
              cells, example);
    CM_RESULT(m, segment_map_report, "SegmentMapReport", "What the check of a segment map found",
              cells, uncovered, uncovered_count, overlaps, shadowed, cells_won, warnings);
    py::class_<segment_map>(m, "SegmentMap", "RFM segment rules, first match wins")
        .def(py::init(&make_map), py::arg("rules"), py::arg("bins"))
        .def_property_readonly("report", &segment_map::report)
        .def_property_readonly("segments", &segment_map::segments);
    m.def("default_segment_map", &default_segment_map, py::return_value_policy::reference);
    m.def("default_segment_rules", &default_rules_py);
    CM_RESULT(m, rfm_result, "RfmResult", "RFM scores and segments (custometrics/rfm.hpp)", r_score,
              f_score, m_score, cell, segment, segment_names, segment_count, unclassified,
              recency_bins, frequency_bins, monetary_bins, map_warnings, defined, reason)
        .def_property_readonly("warnings", &rfm_result::warnings);
    m.def("rfm", &rfm_py, release_gil(), py::arg("recency"), py::arg("frequency"),
          py::arg("monetary"), py::arg("bins"), py::arg("ties"), py::arg("fm"),
          py::arg("map").none(true), py::arg("threads"));
    m.def("rfm_csv", &rfm_csv_py, py::arg("path"), py::arg("columns"), py::arg("delimiter"),
          py::arg("memory_limit"), py::arg("analysis_date"), py::arg("bins"), py::arg("ties"),
          py::arg("fm"), py::arg("map").none(true), py::arg("threads"),
          "RFM scores of a CSV file, summarized by the core's reader within a memory limit.");

    CM_RESULT(m, kmeans_result, "KMeansResult", "A k-means clustering (clustering.hpp)", labels,
              centres, inertia, iterations, converged, restart, sizes)
        .def_property_readonly("centres_data", [](const kmeans_result& r) {
            return Eigen::MatrixXd(r.scaling.inverse_transform(r.centres));
        });
    CM_RESULT(m, k_score, "KScore", "One k tried (clustering.hpp)", k, silhouette, inertia);
    CM_RESULT(m, silhouette_result, "Silhouette", "A mean silhouette (clustering.hpp)", mean,
              points, sampled);
    CM_RESULT(m, kmeans_k_selection, "KSelection", "k chosen by the mean silhouette", k, best,
              table, sample);
    CM_OPTIONS(m, kmeans_options, "KMeansOptions",
               "k-means options but the scaling (clustering.hpp); k is unused by select_k.", k,
               n_init, max_iter, tolerance, seed, threads);
    m.def("kmeans", &kmeans_py, py::arg("x"), py::arg("init"), py::arg("options"),
          py::arg("scaling"), py::arg("names"));
    m.def("kmeans_select_k", &select_k_py, py::arg("x"), py::arg("k_min"), py::arg("k_max"),
          py::arg("silhouette_limit"), py::arg("options"), py::arg("scaling"), py::arg("names"));
    m.def("silhouette", &silhouette_py, py::arg("x"), py::arg("labels"), py::arg("limit"),
          py::arg("seed"), py::arg("threads"));

    CM_RESULT(m, segment_profile, "SegmentProfile", "One segment's profile (segments.hpp)", name,
              customers, customer_share, revenue, revenue_share, profit, profit_share, mean_recency,
              mean_frequency, mean_monetary, repeat_rate, margin, extra_means);
    CM_RESULT(m, segment_profiles, "SegmentProfiles", "Segment profiles (segments.hpp)", segments,
              customers, revenue, profit);
    m.def("segment_profiles", &profiles_py, py::arg("labels"), py::arg("segments"),
          py::arg("recency"), py::arg("frequency"), py::arg("monetary"), py::arg("revenue"),
          py::arg("profit"), py::arg("names"), py::arg("extra"));

    py::class_<criterion>(m, "Criterion", "A criterion's name, direction and normalisation")
        .def(py::init([](const std::string& name, std::string_view dir, std::string_view norm) {
                 return criterion{name, parse_direction(dir, "directions", name),
                                  parse_normalisation(norm, "normalisation", name)};
             }),
             py::arg("name"), py::arg("direction") = "more", py::arg("normalisation") = "min_max")
        .def_readonly("name", &criterion::name);
    CM_RESULT(m, ahp_result, "AhpResult", "Weights by the analytic hierarchy process", weights,
              lambda_max, consistency_index, random_index, consistency_ratio, consistent);
    CM_RESULT(m, weight_crossing, "WeightCrossing", "Where the top segment changes", weight, change,
              new_top);
    CM_RESULT(m, weight_sensitivity, "WeightSensitivity", "How far a weight may move", criterion,
              weight, down, up);
    CM_RESULT(m, segment_scores, "SegmentScores", "Weighted scores and ranks of segments",
              normalised, weights, score, rank, order, top)
        .def_property_readonly("sensitivity", &weight_sensitivities);
    CM_RESULT(m, matrix_cell, "MatrixCell", "A segment's cell of the nine-cell matrix",
              attractiveness, strength, zone);
    CM_RESULT(m, segment_matrix, "SegmentMatrix", "The nine-cell matrix of segments", cells, count);
    CM_OPTIONS(m, ahp_options, "AhpOptions", "Options of the AHP weights (attractiveness.hpp).",
               reciprocal_tolerance, accept_inconsistent);
    m.def("ahp", &ahp_py, py::arg("pairwise"), py::arg("criteria"), py::arg("options"));
    m.def("score_segments", &score_py, py::arg("values"), py::arg("criteria"), py::arg("weights"));
    m.def(
        "attractiveness_matrix",
        [](span a, span s, double low, double high) {
            return attractiveness_matrix(a, s, {low, high});
        },
        py::arg("attractiveness"), py::arg("strength"), py::arg("low"), py::arg("high"));
}

} // namespace custometrics::python
