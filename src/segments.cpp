// Segment profiles and target selection (see custometrics/segments.hpp).
#include "custometrics/segments.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/detail/format.hpp"

#include <algorithm>
#include <cmath>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

void check_segment_measures(std::size_t n, const segment_measures& m) {
    const auto check = [n](std::span<const double> v, const char* name, bool optional) {
        if (optional && v.empty()) return;
        if (v.size() != n)
            throw invalid_argument(name, std::to_string(v.size()) + " values for " +
                                             std::to_string(n) + " labels");
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(v[i]))
                throw data_error(std::string(name) + ": customer " + std::to_string(i) +
                                     ": value is " + format_number(v[i]),
                                 {name, i, {}, {}, format_number(v[i])});
    };
    check(m.recency, "recency", false);
    check(m.frequency, "frequency", false);
    check(m.monetary, "monetary", false);
    check(m.revenue, "revenue", false);
    check(m.profit, "profit", true);
    for (const auto& [name, values] : m.extra)
        check(values, name.c_str(), false);
}

segment_profiles finish_profiles(segment_profiles p, const std::vector<double>& sum_r,
                                 const std::vector<double>& sum_f, const std::vector<double>& sum_m,
                                 const std::vector<std::size_t>& repeat,
                                 const std::vector<std::string>& names,
                                 const std::vector<std::vector<double>>& sum_extra) {
    const auto total = static_cast<double>(p.customers);
    for (std::size_t s = 0; s < p.segments.size(); ++s) {
        segment_profile& q = p.segments[s];
        q.name = names.empty() ? std::to_string(s) : names[s];
        if (p.customers > 0) q.customer_share = static_cast<double>(q.customers) / total;
        if (p.revenue > 0.0) q.revenue_share = q.revenue / p.revenue;
        if (p.profit && *p.profit > 0.0) q.profit_share = *q.profit / *p.profit;
        if (q.profit && q.revenue > 0.0) q.margin = *q.profit / q.revenue;
        q.extra_means.assign(sum_extra.size(), std::nullopt);
        if (q.customers > 0) {
            const auto c = static_cast<double>(q.customers);
            q.mean_recency = sum_r[s] / c;
            q.mean_frequency = sum_f[s] / c;
            q.mean_monetary = sum_m[s] / c;
            q.repeat_rate = static_cast<double>(repeat[s]) / c;
            for (std::size_t k = 0; k < sum_extra.size(); ++k)
                q.extra_means[k] = sum_extra[k][s] / c;
        }
    }
    return p;
}

} // namespace detail

segment_profiles profile_rfm_segments(const rfm_result& result, const customer_summary& summary) {
    const rfm_values& v = result.values;
    if (v.size() != result.size() || v.size() != summary.size())
        throw invalid_argument("profile_rfm_segments",
                               "the result holds " + std::to_string(v.size()) + " values for " +
                                   std::to_string(result.size()) + " customers and the summary " +
                                   std::to_string(summary.size()) +
                                   " rows (use rfm_from_summary on the same summary)");
    segment_measures m{v.recency, v.frequency, v.monetary, summary.revenue, summary.profit};
    return profile_segments<std::uint16_t>(result.segment, result.segment_names.size(), m,
                                           result.segment_names);
}

std::vector<std::size_t> select_targets(const segment_scores& scores, const target_rules& rules,
                                        const Eigen::Ref<const Eigen::MatrixXd>& raw,
                                        const segment_matrix* matrix) {
    const std::size_t n = scores.score.size();
    if (rules.min_score && std::isnan(*rules.min_score))
        throw invalid_argument("min_score", "value is nan");
    const bool needs_matrix =
        !rules.zones.empty() || rules.min_attractiveness || rules.min_strength;
    if (needs_matrix) {
        if (matrix == nullptr)
            throw invalid_argument("zones, min_attractiveness, min_strength: need the "
                                   "attractiveness/strength matrix of the segments");
        if (matrix->cells.size() != n)
            throw invalid_argument("matrix", std::to_string(matrix->cells.size()) + " cells for " +
                                                 std::to_string(n) + " segments");
    }
    if (!rules.criteria.empty()) {
        if (static_cast<std::size_t>(raw.rows()) != n)
            throw invalid_argument("criteria thresholds: need the raw criteria table (" +
                                   std::to_string(n) + " segments), got " +
                                   std::to_string(raw.rows()) + " rows");
        for (const criterion_threshold& t : rules.criteria) {
            const std::string what =
                "criteria thresholds: criterion " + std::to_string(t.criterion);
            if (t.criterion >= static_cast<std::size_t>(raw.cols()))
                throw invalid_argument(what + ": the table has " + std::to_string(raw.cols()) +
                                       " criteria");
            if ((t.min && std::isnan(*t.min)) || (t.max && std::isnan(*t.max)))
                throw invalid_argument(what + ": a bound is nan");
            if (t.min && t.max && *t.min > *t.max)
                throw invalid_argument(what + ": min " + detail::format_number(*t.min) + " > max " +
                                       detail::format_number(*t.max));
        }
    }
    std::vector<std::size_t> out;
    for (const std::size_t s : scores.order) {
        if (rules.min_score && scores.score[s] < *rules.min_score) continue;
        if (rules.max_rank && scores.rank[s] > *rules.max_rank) continue;
        if (needs_matrix) {
            const matrix_cell& c = matrix->cells[s];
            if (!rules.zones.empty() &&
                std::find(rules.zones.begin(), rules.zones.end(), c.zone) == rules.zones.end())
                continue;
            if (rules.min_attractiveness && c.attractiveness < *rules.min_attractiveness) continue;
            if (rules.min_strength && c.strength < *rules.min_strength) continue;
        }
        bool pass = true;
        for (const criterion_threshold& t : rules.criteria) {
            const double x =
                raw(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(t.criterion));
            if ((t.min && x < *t.min) || (t.max && x > *t.max)) pass = false;
        }
        if (pass) out.push_back(s);
    }
    return out;
}

rfm_clusters cluster_rfm(const customer_summary& s, const rfm_cluster_options& o,
                         const key_index* keys) {
    rfm_clusters c;
    c.values = rfm_values_from(s, o.analysis_date, keys);
    const rfm_values& v = c.values;
    const auto n = static_cast<Eigen::Index>(v.size());
    if (n == 0) throw invalid_argument("summary", "no customer with a purchase");
    Eigen::MatrixXd x(n, 3);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        if (v.monetary[k] < 0.0) {
            const std::string key = keys != nullptr ? csv_key(*keys, s.customer[k]) : std::string();
            const std::string value = detail::format_number(v.monetary[k]);
            throw data_error("monetary: customer " + (keys != nullptr ? key : std::to_string(k)) +
                                 ": net revenue " + value +
                                 " is negative (returns exceed purchases); the log scaling of "
                                 "`segments` needs values >= 0",
                             {"monetary", k, key, {}, value});
        }
        x(i, 0) = v.recency[k];
        x(i, 1) = v.frequency[k];
        x(i, 2) = v.monetary[k];
    }
    kmeans_options ko;
    ko.k = o.k;
    ko.n_init = o.n_init;
    ko.seed = o.seed;
    ko.scaling.methods.assign(3, feature_scaling::log_standardize);
    ko.scaling.names = {"recency", "frequency", "monetary"};
    c.chose_k = o.choose_k;
    if (o.choose_k) {
        k_selection_options sel;
        sel.k_min = o.k_min;
        sel.k_max = std::min<std::size_t>(o.k_max, static_cast<std::size_t>(n));
        kmeans_k_selection ks = kmeans_select_k(x, sel, ko);
        c.kmeans = std::move(ks.best);
        c.silhouette = ks.sample;
        c.k_table = std::move(ks.table);
    } else {
        c.kmeans = kmeans(x, ko);
        c.silhouette = silhouette(c.kmeans.scaling.transform(x), c.kmeans.labels, 10'000, o.seed);
    }
    c.centres = c.kmeans.scaling.inverse_transform(c.kmeans.centres);
    c.profiles =
        profile_segments<std::uint32_t>(c.kmeans.labels, static_cast<std::size_t>(c.centres.rows()),
                                        {v.recency, v.frequency, v.monetary, s.revenue, s.profit});
    return c;
}

CUSTOMETRICS_END_NAMESPACE
