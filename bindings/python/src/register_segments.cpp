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
using uint32_array = py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>;

Eigen::Map<const Eigen::MatrixXd> as_matrix(const matrix_array& a, const char* name) {
    if (a.ndim() != 2)
        throw invalid_argument(name, "expected a 2-D array, got " + std::to_string(a.ndim()) +
                                         " dimensions");
    return {a.data(), static_cast<Eigen::Index>(a.shape(0)), static_cast<Eigen::Index>(a.shape(1))};
}

/// A read-only property: the column `member` of the bound result as a numpy view of its memory.
template <class Result, class T> auto column_view(column<T> Result::*member) {
    return [member](py::object self) {
        const column<T>& c = self.cast<const Result&>().*member;
        return py::array_t<T>(static_cast<py::ssize_t>(c.size()), c.data(), self);
    };
}

using rule_tuple =
    std::tuple<std::string, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned>;

segment_map make_map(const std::vector<rule_tuple>& rules, unsigned bins) {
    std::vector<segment_rule> out;
    for (const auto& [name, r0, r1, f0, f1, m0, m1] : rules)
        out.push_back({name, {r0, r1}, {f0, f1}, {m0, m1}});
    return segment_map(std::move(out), bins);
}

std::vector<rule_tuple> default_rules_py() {
    std::vector<rule_tuple> out;
    for (const segment_rule& r : default_segment_rules())
        out.emplace_back(r.name, r.r.lo, r.r.hi, r.f.lo, r.f.hi, r.m.lo, r.m.hi);
    return out;
}

rfm_result rfm_py(const float64_array& recency, const float64_array& frequency,
                  const float64_array& monetary, unsigned bins, const std::string& ties,
                  const std::string& fm, const segment_map* map, unsigned threads) {
    rfm_options o;
    o.bins = bins;
    o.ties = parse_rfm_ties(ties);
    o.fm = parse_rfm_fm(fm);
    o.threads = threads;
    const auto r_s = as_span(recency), f_s = as_span(frequency), m_s = as_span(monetary);
    py::gil_scoped_release nogil;
    return map ? rfm(r_s, f_s, m_s, *map, o) : rfm(r_s, f_s, m_s, o);
}

kmeans_options kmeans_opts(std::size_t k, unsigned n_init, unsigned max_iter, double tol,
                           std::uint64_t seed, const std::vector<std::string>& scaling,
                           const std::vector<std::string>& names, unsigned threads) {
    kmeans_options o{k, n_init, max_iter, tol, seed, threads, {{}, names}};
    for (const auto& s : scaling)
        o.scaling.methods.push_back(parse_feature_scaling(s));
    return o;
}

kmeans_result kmeans_py(const matrix_array& x, std::size_t k,
                        const std::optional<matrix_array>& init, unsigned n_init, unsigned max_iter,
                        double tol, std::uint64_t seed, const std::vector<std::string>& scaling,
                        const std::vector<std::string>& names, unsigned threads) {
    const auto xm = as_matrix(x, "features");
    const kmeans_options o = kmeans_opts(k, n_init, max_iter, tol, seed, scaling, names, threads);
    if (init) {
        const auto im = as_matrix(*init, "init");
        py::gil_scoped_release nogil;
        return kmeans(xm, im, o);
    }
    py::gil_scoped_release nogil;
    return kmeans(xm, o);
}

kmeans_k_selection select_k_py(const matrix_array& x, std::size_t k_min, std::size_t k_max,
                               std::size_t silhouette_limit, unsigned n_init, unsigned max_iter,
                               double tol, std::uint64_t seed,
                               const std::vector<std::string>& scaling,
                               const std::vector<std::string>& names, unsigned threads) {
    const auto xm = as_matrix(x, "features");
    const kmeans_options o = kmeans_opts(0, n_init, max_iter, tol, seed, scaling, names, threads);
    py::gil_scoped_release nogil;
    return kmeans_select_k(xm, {k_min, k_max, silhouette_limit}, o);
}

silhouette_result silhouette_py(const matrix_array& x, const uint32_array& labels,
                                std::size_t limit, std::uint64_t seed, unsigned threads) {
    const auto xm = as_matrix(x, "features");
    const auto l = as_span(labels);
    py::gil_scoped_release nogil;
    return silhouette(xm, l, limit, seed, threads);
}

segment_profiles profiles_py(const uint32_array& labels, std::size_t segments,
                             const float64_array& recency, const float64_array& frequency,
                             const float64_array& monetary, const float64_array& revenue,
                             const std::optional<float64_array>& profit,
                             const std::vector<std::string>& names,
                             const std::vector<std::pair<std::string, float64_array>>& extra) {
    segment_measures m{as_span(recency), as_span(frequency), as_span(monetary), as_span(revenue),
                       profit ? as_span(*profit) : std::span<const double>{}};
    for (const auto& [name, values] : extra)
        m.extra.emplace_back(name, as_span(values));
    return profile_segments<std::uint32_t>(as_span(labels), segments, m, names);
}

ahp_result ahp_py(const matrix_array& pairwise, const std::vector<criterion>& criteria,
                  bool accept_inconsistent, double reciprocal_tolerance) {
    ahp_options o;
    o.accept_inconsistent = accept_inconsistent;
    o.reciprocal_tolerance = reciprocal_tolerance;
    return ahp(as_matrix(pairwise, "pairwise"), criteria, o);
}

segment_scores score_py(const matrix_array& values, const std::vector<criterion>& criteria,
                        const float64_array& weights) {
    return score_segments(as_matrix(values, "values"), criteria, as_span(weights));
}

} // namespace

void register_segments(py::module_& m) {
    using bins = rfm_bins;
    py::class_<bins>(m, "RfmBins", "Scores of one RFM dimension (custometrics/rfm.hpp)")
        .def_readonly("size", &bins::size)
        .def_readonly("target", &bins::target)
        .def_readonly("lower", &bins::lower)
        .def_readonly("upper", &bins::upper)
        .def_readonly("distinct", &bins::distinct)
        .def_readonly("warnings", &bins::warnings);
    py::class_<rfm_cell>(m, "RfmCell")
        .def_readonly("r", &rfm_cell::r)
        .def_readonly("f", &rfm_cell::f)
        .def_readonly("m", &rfm_cell::m);
    py::class_<rule_overlap>(m, "RuleOverlap")
        .def_readonly("first", &rule_overlap::first)
        .def_readonly("second", &rule_overlap::second)
        .def_readonly("cells", &rule_overlap::cells)
        .def_readonly("example", &rule_overlap::example);
    using report = segment_map_report;
    py::class_<report>(m, "SegmentMapReport", "What the check of a segment map found")
        .def_readonly("uncovered", &report::uncovered)
        .def_readonly("uncovered_count", &report::uncovered_count)
        .def_readonly("overlaps", &report::overlaps)
        .def_readonly("shadowed", &report::shadowed)
        .def_readonly("cells_won", &report::cells_won)
        .def_readonly("warnings", &report::warnings);
    py::class_<segment_map>(m, "SegmentMap", "RFM segment rules, first match wins")
        .def(py::init(&make_map), py::arg("rules"), py::arg("bins"))
        .def_property_readonly("report", &segment_map::report)
        .def_property_readonly("segments", &segment_map::segments);
    m.def("default_segment_map", &default_segment_map, py::return_value_policy::reference);
    m.def("default_segment_rules", &default_rules_py);
    py::class_<rfm_result>(m, "RfmResult", "RFM scores and segments (custometrics/rfm.hpp)")
        .def_property_readonly("r_score", column_view(&rfm_result::r_score))
        .def_property_readonly("f_score", column_view(&rfm_result::f_score))
        .def_property_readonly("m_score", column_view(&rfm_result::m_score))
        .def_property_readonly("cell", column_view(&rfm_result::cell))
        .def_property_readonly("segment", column_view(&rfm_result::segment))
        .def_readonly("segment_names", &rfm_result::segment_names)
        .def_readonly("segment_count", &rfm_result::segment_count)
        .def_readonly("unclassified", &rfm_result::unclassified)
        .def_readonly("recency_bins", &rfm_result::recency_bins)
        .def_readonly("frequency_bins", &rfm_result::frequency_bins)
        .def_readonly("monetary_bins", &rfm_result::monetary_bins)
        .def_readonly("map_warnings", &rfm_result::map_warnings)
        .def_property_readonly("warnings", &rfm_result::warnings);
    m.def("rfm", &rfm_py, py::arg("recency"), py::arg("frequency"), py::arg("monetary"),
          py::arg("bins"), py::arg("ties"), py::arg("fm"), py::arg("map").none(true),
          py::arg("threads"));

    py::class_<kmeans_result>(m, "KMeansResult", "A k-means clustering (clustering.hpp)")
        .def_property_readonly("labels", column_view(&kmeans_result::labels))
        .def_readonly("centres", &kmeans_result::centres)
        .def_property_readonly("centres_data",
                               [](const kmeans_result& r) {
                                   return Eigen::MatrixXd(r.scaling.inverse_transform(r.centres));
                               })
        .def_readonly("inertia", &kmeans_result::inertia)
        .def_readonly("iterations", &kmeans_result::iterations)
        .def_readonly("converged", &kmeans_result::converged)
        .def_readonly("sizes", &kmeans_result::sizes);
    py::class_<k_score>(m, "KScore")
        .def_readonly("k", &k_score::k)
        .def_readonly("silhouette", &k_score::silhouette)
        .def_readonly("inertia", &k_score::inertia);
    py::class_<silhouette_result>(m, "Silhouette")
        .def_readonly("mean", &silhouette_result::mean)
        .def_readonly("points", &silhouette_result::points)
        .def_readonly("sampled", &silhouette_result::sampled);
    py::class_<kmeans_k_selection>(m, "KSelection", "k chosen by the mean silhouette")
        .def_readonly("k", &kmeans_k_selection::k)
        .def_readonly("best", &kmeans_k_selection::best)
        .def_readonly("table", &kmeans_k_selection::table)
        .def_readonly("sample", &kmeans_k_selection::sample);
    m.def("kmeans", &kmeans_py, py::arg("x"), py::arg("k"), py::arg("init"), py::arg("n_init"),
          py::arg("max_iter"), py::arg("tol"), py::arg("seed"), py::arg("scaling"),
          py::arg("names"), py::arg("threads"));
    m.def("kmeans_select_k", &select_k_py, py::arg("x"), py::arg("k_min"), py::arg("k_max"),
          py::arg("silhouette_limit"), py::arg("n_init"), py::arg("max_iter"), py::arg("tol"),
          py::arg("seed"), py::arg("scaling"), py::arg("names"), py::arg("threads"));
    m.def("silhouette", &silhouette_py, py::arg("x"), py::arg("labels"), py::arg("limit"),
          py::arg("seed"), py::arg("threads"));

    using profile = segment_profile;
    py::class_<profile>(m, "SegmentProfile", "One segment's profile (segments.hpp)")
        .def_readonly("name", &profile::name)
        .def_readonly("customers", &profile::customers)
        .def_readonly("customer_share", &profile::customer_share)
        .def_readonly("revenue", &profile::revenue)
        .def_readonly("revenue_share", &profile::revenue_share)
        .def_readonly("profit", &profile::profit)
        .def_readonly("profit_share", &profile::profit_share)
        .def_readonly("mean_recency", &profile::mean_recency)
        .def_readonly("mean_frequency", &profile::mean_frequency)
        .def_readonly("mean_monetary", &profile::mean_monetary)
        .def_readonly("repeat_rate", &profile::repeat_rate)
        .def_readonly("margin", &profile::margin)
        .def_readonly("extra_means", &profile::extra_means);
    py::class_<segment_profiles>(m, "SegmentProfiles")
        .def_readonly("segments", &segment_profiles::segments)
        .def_readonly("customers", &segment_profiles::customers)
        .def_readonly("revenue", &segment_profiles::revenue)
        .def_readonly("profit", &segment_profiles::profit);
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
    py::class_<ahp_result>(m, "AhpResult", "Weights by the analytic hierarchy process")
        .def_readonly("weights", &ahp_result::weights)
        .def_readonly("lambda_max", &ahp_result::lambda_max)
        .def_readonly("consistency_index", &ahp_result::consistency_index)
        .def_readonly("random_index", &ahp_result::random_index)
        .def_readonly("consistency_ratio", &ahp_result::consistency_ratio)
        .def_readonly("consistent", &ahp_result::consistent);
    py::class_<weight_crossing>(m, "WeightCrossing")
        .def_readonly("weight", &weight_crossing::weight)
        .def_readonly("new_top", &weight_crossing::new_top);
    py::class_<weight_sensitivity>(m, "WeightSensitivity")
        .def_readonly("criterion", &weight_sensitivity::criterion)
        .def_readonly("weight", &weight_sensitivity::weight)
        .def_readonly("down", &weight_sensitivity::down)
        .def_readonly("up", &weight_sensitivity::up);
    py::class_<segment_scores>(m, "SegmentScores", "Weighted scores and ranks of segments")
        .def_readonly("normalised", &segment_scores::normalised)
        .def_readonly("weights", &segment_scores::weights)
        .def_readonly("score", &segment_scores::score)
        .def_readonly("rank", &segment_scores::rank)
        .def_readonly("top", &segment_scores::top)
        .def_property_readonly("sensitivity", &weight_sensitivities);
    py::class_<matrix_cell>(m, "MatrixCell", "A segment's cell of the nine-cell matrix")
        .def_property_readonly("attractiveness",
                               [](const matrix_cell& c) { return to_string(c.attractiveness); })
        .def_property_readonly("strength",
                               [](const matrix_cell& c) { return to_string(c.strength); })
        .def_property_readonly("zone", [](const matrix_cell& c) { return to_string(c.zone); });
    py::class_<segment_matrix>(m, "SegmentMatrix").def_readonly("cells", &segment_matrix::cells);
    m.def("ahp", &ahp_py, py::arg("pairwise"), py::arg("criteria"), py::arg("accept_inconsistent"),
          py::arg("reciprocal_tolerance"));
    m.def("score_segments", &score_py, py::arg("values"), py::arg("criteria"), py::arg("weights"));
    m.def(
        "attractiveness_matrix",
        [](const float64_array& a, const float64_array& s, double low, double high) {
            return attractiveness_matrix(as_span(a), as_span(s), {low, high});
        },
        py::arg("attractiveness"), py::arg("strength"), py::arg("low"), py::arg("high"));
}

} // namespace custometrics::python
