// _core.rfm, _core.kmeans and friends: RFM scores and segments (custometrics/rfm.hpp), k-means
// clustering (clustering.hpp), segment profiles (segments.hpp) and segment attractiveness
// (attractiveness.hpp) over numpy arrays.
//
// Results come back as dicts of numpy arrays (moved out of the C++ columns, no copy) and plain
// values, which the pure-Python layer (custometrics/segmentation.py) shapes into DataFrames and
// dataclasses. Feature matrices come in as float64 arrays in Fortran order, which Eigen maps
// without a copy. The long calls (rfm, kmeans, the choice of k, the silhouette) release the GIL.
#include "common.hpp"

#include "custometrics/attractiveness.hpp"
#include "custometrics/clustering.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/segments.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
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

py::array_t<double> matrix_to_numpy(const Eigen::MatrixXd& m) {
    py::array_t<double> out(
        {static_cast<py::ssize_t>(m.rows()), static_cast<py::ssize_t>(m.cols())});
    auto r = out.mutable_unchecked<2>();
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index j = 0; j < m.cols(); ++j)
            r(i, j) = m(i, j);
    return out;
}

using rule_tuple =
    std::tuple<std::string, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned>;

std::vector<segment_rule> to_rules(const std::vector<rule_tuple>& rules) {
    std::vector<segment_rule> out;
    for (const auto& [name, r0, r1, f0, f1, m0, m1] : rules)
        out.push_back({name, {r0, r1}, {f0, f1}, {m0, m1}});
    return out;
}

py::dict bins_dict(rfm_bins&& b) {
    py::dict d;
    d["size"] = b.size;
    d["target"] = b.target;
    d["lower"] = b.lower;
    d["upper"] = b.upper;
    d["distinct"] = b.distinct;
    d["warnings"] = b.warnings;
    return d;
}

py::dict map_report_dict(const segment_map& map) {
    const segment_map_report& r = map.report();
    py::dict d;
    py::list uncovered;
    for (const rfm_cell& c : r.uncovered)
        uncovered.append(py::make_tuple(c.r, c.f, c.m));
    d["uncovered"] = uncovered;
    d["uncovered_count"] = r.uncovered_count;
    py::list overlaps;
    for (const rule_overlap& o : r.overlaps)
        overlaps.append(py::make_tuple(o.first, o.second, o.cells,
                                       py::make_tuple(o.example.r, o.example.f, o.example.m)));
    d["overlaps"] = overlaps;
    d["shadowed"] = r.shadowed;
    d["cells_won"] = r.cells_won;
    d["warnings"] = r.warnings;
    d["segments"] = map.segments();
    return d;
}

py::dict rfm_py(const float64_array& recency, const float64_array& frequency,
                const float64_array& monetary, unsigned bins, const std::string& ties,
                const std::string& fm, const std::optional<std::vector<rule_tuple>>& rules,
                unsigned threads) {
    rfm_options o;
    o.bins = bins;
    o.ties = parse_rfm_ties(ties);
    o.fm = parse_rfm_fm(fm);
    o.threads = threads;
    std::optional<segment_map> map;
    if (rules) map.emplace(to_rules(*rules), bins);
    const auto r_s = as_span(recency), f_s = as_span(frequency), m_s = as_span(monetary);
    rfm_result r;
    {
        py::gil_scoped_release nogil;
        r = map ? rfm(r_s, f_s, m_s, *map, o) : rfm(r_s, f_s, m_s, o);
    }
    py::dict d;
    d["defined"] = r.defined;
    d["reason"] = r.reason;
    d["warnings"] = r.warnings();
    d["r_score"] = to_numpy(std::move(r.r_score));
    d["f_score"] = to_numpy(std::move(r.f_score));
    d["m_score"] = to_numpy(std::move(r.m_score));
    d["cell"] = to_numpy(std::move(r.cell));
    d["segment"] = to_numpy(std::move(r.segment));
    d["segment_names"] = r.segment_names;
    d["segment_count"] = r.segment_count;
    d["unclassified"] = r.unclassified;
    d["recency_bins"] = bins_dict(std::move(r.recency_bins));
    d["frequency_bins"] = bins_dict(std::move(r.frequency_bins));
    d["monetary_bins"] = bins_dict(std::move(r.monetary_bins));
    d["map_warnings"] = r.map_warnings;
    return d;
}

py::dict segment_map_py(const std::optional<std::vector<rule_tuple>>& rules, unsigned bins) {
    if (!rules) return map_report_dict(default_segment_map());
    return map_report_dict(segment_map(to_rules(*rules), bins));
}

std::vector<rule_tuple> default_rules_py() {
    std::vector<rule_tuple> out;
    for (const segment_rule& r : default_segment_rules())
        out.emplace_back(r.name, r.r.lo, r.r.hi, r.f.lo, r.f.hi, r.m.lo, r.m.hi);
    return out;
}

kmeans_options kmeans_opts(std::size_t k, unsigned n_init, unsigned max_iter, double tol,
                           std::uint64_t seed, const std::vector<std::string>& scaling,
                           const std::vector<std::string>& names, unsigned threads) {
    kmeans_options o;
    o.k = k;
    o.n_init = n_init;
    o.max_iter = max_iter;
    o.tolerance = tol;
    o.seed = seed;
    o.threads = threads;
    for (const auto& s : scaling)
        o.scaling.methods.push_back(parse_feature_scaling(s));
    o.scaling.names = names;
    return o;
}

py::dict kmeans_dict(kmeans_result&& r) {
    py::dict d;
    d["labels"] = to_numpy(std::move(r.labels));
    d["centres"] = matrix_to_numpy(r.centres);
    d["centres_data"] = matrix_to_numpy(r.scaling.inverse_transform(r.centres));
    d["inertia"] = r.inertia;
    d["iterations"] = r.iterations;
    d["converged"] = r.converged;
    d["restart"] = r.restart;
    d["sizes"] = r.sizes;
    d["scaling_mean"] = r.scaling.mean;
    d["scaling_scale"] = r.scaling.scale;
    return d;
}

py::dict kmeans_py(const matrix_array& x, std::size_t k, const std::optional<matrix_array>& init,
                   unsigned n_init, unsigned max_iter, double tol, std::uint64_t seed,
                   const std::vector<std::string>& scaling, const std::vector<std::string>& names,
                   unsigned threads) {
    const auto xm = as_matrix(x, "features");
    const kmeans_options o = kmeans_opts(k, n_init, max_iter, tol, seed, scaling, names, threads);
    kmeans_result r;
    if (init) {
        const auto im = as_matrix(*init, "init");
        py::gil_scoped_release nogil;
        r = kmeans(xm, im, o);
    } else {
        py::gil_scoped_release nogil;
        r = kmeans(xm, o);
    }
    return kmeans_dict(std::move(r));
}

py::dict select_k_py(const matrix_array& x, std::size_t k_min, std::size_t k_max,
                     std::size_t silhouette_limit, unsigned n_init, unsigned max_iter, double tol,
                     std::uint64_t seed, const std::vector<std::string>& scaling,
                     const std::vector<std::string>& names, unsigned threads) {
    const auto xm = as_matrix(x, "features");
    const kmeans_options o = kmeans_opts(0, n_init, max_iter, tol, seed, scaling, names, threads);
    k_selection_options sel;
    sel.k_min = k_min;
    sel.k_max = k_max;
    sel.silhouette_limit = silhouette_limit;
    kmeans_k_selection r;
    {
        py::gil_scoped_release nogil;
        r = kmeans_select_k(xm, sel, o);
    }
    py::dict d;
    d["k"] = r.k;
    d["best"] = kmeans_dict(std::move(r.best));
    std::vector<std::size_t> ks;
    std::vector<double> sil, inertia;
    for (const k_score& t : r.table) {
        ks.push_back(t.k);
        sil.push_back(t.silhouette);
        inertia.push_back(t.inertia);
    }
    d["table_k"] = ks;
    d["table_silhouette"] = sil;
    d["table_inertia"] = inertia;
    d["silhouette_points"] = r.sample.points;
    return d;
}

py::dict silhouette_py(const matrix_array& x, const uint32_array& labels, std::size_t limit,
                       std::uint64_t seed, unsigned threads) {
    const auto xm = as_matrix(x, "features");
    const auto l = as_span(labels);
    if (l.size() != static_cast<std::size_t>(xm.rows()))
        throw invalid_argument("labels", std::to_string(l.size()) + " labels for " +
                                             std::to_string(xm.rows()) + " rows");
    silhouette_result r;
    {
        py::gil_scoped_release nogil;
        r = silhouette(xm, l, limit, seed, threads);
    }
    py::dict d;
    d["mean"] = r.mean;
    d["points"] = r.points;
    d["sampled"] = r.sampled;
    return d;
}

py::dict profiles_py(const uint32_array& labels, std::size_t segments, const float64_array& recency,
                     const float64_array& frequency, const float64_array& monetary,
                     const float64_array& revenue, const std::optional<float64_array>& profit,
                     const std::vector<std::string>& names) {
    const std::span<const double> profit_s = profit ? as_span(*profit) : std::span<const double>{};
    const segment_profiles p = profile_segments<std::uint32_t>(
        as_span(labels), segments,
        {as_span(recency), as_span(frequency), as_span(monetary), as_span(revenue), profit_s},
        names);
    // Optional figures as values plus a "defined" mask (the Python layer makes them nullable).
    const std::size_t n = p.segments.size();
    std::vector<std::string> name(n);
    std::vector<std::size_t> customers(n);
    constexpr std::size_t figures = 9;
    const std::array<const char*, figures> keys = {
        "customer_share", "revenue_share", "profit",      "profit_share", "mean_recency",
        "mean_frequency", "mean_monetary", "repeat_rate", "margin"};
    std::vector<double> rev(n);
    std::array<std::vector<double>, figures> v;
    std::array<std::vector<bool>, figures> ok;
    for (std::size_t j = 0; j < figures; ++j) {
        v[j].resize(n);
        ok[j].resize(n);
    }
    for (std::size_t s = 0; s < n; ++s) {
        const segment_profile& q = p.segments[s];
        name[s] = q.name;
        customers[s] = q.customers;
        rev[s] = q.revenue;
        const std::array<const std::optional<double>*, figures> f = {
            &q.customer_share, &q.revenue_share, &q.profit,      &q.profit_share, &q.mean_recency,
            &q.mean_frequency, &q.mean_monetary, &q.repeat_rate, &q.margin};
        for (std::size_t j = 0; j < figures; ++j) {
            ok[j][s] = f[j]->has_value();
            v[j][s] = f[j]->value_or(0.0);
        }
    }
    py::dict d;
    d["segment"] = name;
    d["customers"] = customers;
    d["revenue"] = rev;
    for (std::size_t j = 0; j < figures; ++j)
        d[keys[j]] = py::make_tuple(v[j], ok[j]);
    d["with_profit"] = p.profit.has_value();
    return d;
}

std::vector<criterion> make_criteria(const std::vector<std::string>& names,
                                     const std::vector<std::string>& directions,
                                     const std::vector<std::string>& norms) {
    if (directions.size() != names.size() || norms.size() != names.size())
        throw invalid_argument("criteria", "names, directions and normalisations differ in length");
    std::vector<criterion> c(names.size());
    for (std::size_t j = 0; j < names.size(); ++j) {
        c[j].name = names[j];
        c[j].dir = parse_direction(directions[j], "directions", names[j]);
        c[j].norm = parse_normalisation(norms[j], "normalisation", names[j]);
    }
    return c;
}

py::dict ahp_py(const matrix_array& pairwise, const std::vector<std::string>& names,
                bool accept_inconsistent, double reciprocal_tolerance) {
    std::vector<criterion> c;
    for (const auto& n : names)
        c.push_back({n});
    ahp_options o;
    o.accept_inconsistent = accept_inconsistent;
    o.reciprocal_tolerance = reciprocal_tolerance;
    const ahp_result r = ahp(as_matrix(pairwise, "pairwise"), c, o);
    py::dict d;
    d["weights"] = r.weights;
    d["lambda_max"] = r.lambda_max;
    d["consistency_index"] = r.consistency_index;
    d["random_index"] = r.random_index;
    d["consistency_ratio"] = r.consistency_ratio;
    d["consistent"] = r.consistent;
    return d;
}

py::dict score_py(const matrix_array& values, const std::vector<std::string>& names,
                  const std::vector<std::string>& directions, const std::vector<std::string>& norms,
                  const float64_array& weights) {
    const std::vector<criterion> c = make_criteria(names, directions, norms);
    const segment_scores s = score_segments(as_matrix(values, "values"), c, as_span(weights));
    py::dict d;
    d["normalised"] = matrix_to_numpy(s.normalised);
    d["weights"] = s.weights;
    d["score"] = s.score;
    d["rank"] = s.rank;
    d["top"] = s.top;
    py::list sens;
    for (const weight_sensitivity& w : weight_sensitivities(s)) {
        auto crossing = [](const std::optional<weight_crossing>& x) -> py::object {
            if (!x) return py::none();
            return py::make_tuple(x->weight, x->new_top);
        };
        sens.append(py::make_tuple(w.criterion, w.weight, crossing(w.down), crossing(w.up)));
    }
    d["sensitivity"] = sens;
    return d;
}

py::dict matrix_py(const float64_array& attractiveness, const float64_array& strength, double low,
                   double high) {
    const segment_matrix m =
        attractiveness_matrix(as_span(attractiveness), as_span(strength), {low, high});
    std::vector<std::string> a, s, z;
    for (const matrix_cell& c : m.cells) {
        a.emplace_back(to_string(c.attractiveness));
        s.emplace_back(to_string(c.strength));
        z.emplace_back(to_string(c.zone));
    }
    py::dict d;
    d["attractiveness_level"] = a;
    d["strength_level"] = s;
    d["zone"] = z;
    return d;
}

} // namespace

void register_segments(py::module_& m) {
    m.def("rfm", &rfm_py, py::arg("recency"), py::arg("frequency"), py::arg("monetary"),
          py::arg("bins"), py::arg("ties"), py::arg("fm"), py::arg("rules"), py::arg("threads"));
    m.def("segment_map_report", &segment_map_py, py::arg("rules"), py::arg("bins"));
    m.def("default_segment_rules", &default_rules_py);
    m.def("kmeans", &kmeans_py, py::arg("x"), py::arg("k"), py::arg("init"), py::arg("n_init"),
          py::arg("max_iter"), py::arg("tol"), py::arg("seed"), py::arg("scaling"),
          py::arg("names"), py::arg("threads"));
    m.def("kmeans_select_k", &select_k_py, py::arg("x"), py::arg("k_min"), py::arg("k_max"),
          py::arg("silhouette_limit"), py::arg("n_init"), py::arg("max_iter"), py::arg("tol"),
          py::arg("seed"), py::arg("scaling"), py::arg("names"), py::arg("threads"));
    m.def("silhouette", &silhouette_py, py::arg("x"), py::arg("labels"), py::arg("limit"),
          py::arg("seed"), py::arg("threads"));
    m.def("segment_profiles", &profiles_py, py::arg("labels"), py::arg("segments"),
          py::arg("recency"), py::arg("frequency"), py::arg("monetary"), py::arg("revenue"),
          py::arg("profit"), py::arg("names"));
    m.def("ahp", &ahp_py, py::arg("pairwise"), py::arg("names"), py::arg("accept_inconsistent"),
          py::arg("reciprocal_tolerance"));
    m.def("score_segments", &score_py, py::arg("values"), py::arg("names"), py::arg("directions"),
          py::arg("normalisation"), py::arg("weights"));
    m.def("attractiveness_matrix", &matrix_py, py::arg("attractiveness"), py::arg("strength"),
          py::arg("low"), py::arg("high"));
}

} // namespace custometrics::python
