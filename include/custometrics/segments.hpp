// Segment profiles and target segments: what each segment (an RFM segment or a k-means cluster)
// holds, and which segments, and so which customers, pass the user's thresholds.
//
// Profiles (`profile_segments`). Input: one segment label per customer (0..segments-1: an RFM
// `segment` index, a k-means `label`, any integer labelling) and per-customer measures, all of
// the same length: recency, frequency, monetary (the RFM values, rfm.hpp), revenue (net) and,
// optionally, profit. Per segment s with n_s customers of N:
//     customers = n_s,   customer_share = n_s / N,
//     revenue = sum of revenue over s,   revenue_share = revenue_s / sum of all revenue,
//     profit, profit_share likewise (when a profit column is given),
//     mean_recency, mean_frequency, mean_monetary = means over the customers of s,
//     repeat_rate = share of the customers of s with frequency > 1 (bought more than once),
//     margin = profit_s / revenue_s (when a profit column is given and revenue_s > 0).
// These are the data-derived criteria of a criteria table (attractiveness.hpp): size
// (customers), revenue, margin, repeat rate.
// A share exists only when the total is > 0: with a zero or negative total (returns exceeding
// sales, a loss overall) a share has no meaning and is `std::nullopt`, as are the means of an
// empty segment (a label no customer has: an RFM segment of the map nobody falls in). Sums are
// formed in customer order with plain double additions. A NaN or infinite measure throws
// `data_error` naming the measure and the customer (`revenue: customer 3: value is nan`); a
// label >= segments throws `invalid_argument` naming the customer and the label; lengths that
// differ throw `invalid_argument`. No customers: every segment is empty and N = 0 (shares of
// customers `std::nullopt` too).
// Further per-customer numbers (`segment_measures::extra`: P(alive), lifetime value, or a 0/1
// indicator of a label, whose mean is the label's share) are averaged per segment the same way
// (`segment_profile::extra_means`, one per measure, none for an empty segment); a NaN or
// infinite value throws `data_error` naming the measure by its given name.
// `profile_rfm_segments(result, summary)` takes the labels and names of an `rfm_from_summary`
// result and the revenue and profit of the same summary.
//
// Targets (`select_targets`). A segment passes when it meets every threshold given:
// - `min_score`: attractiveness score >= min_score; `max_rank`: rank <= max_rank (1 = best);
// - `zones`: its cell of the attractiveness/strength matrix lies in one of these zones;
// - `min_attractiveness`, `min_strength`: its level on that axis is at least this one;
// - `criteria`: per criterion of the criteria table, raw value >= min and/or <= max (the raw
//   value as the user gave it, before normalising: "at least 500 customers", "margin >= 0.2").
// Matrix thresholds need the matrix and criterion thresholds the raw table; a threshold whose
// input is missing throws `invalid_argument` rather than passing everyone. The passing segments
// are listed best rank first. `target_customers(labels, segments)` lists the customers (their
// positions) whose label is one of them, in ascending position.
//
// Example (three RFM-like segments, labels of five customers):
//     std::vector<std::uint32_t> label{0, 1, 0, 2, 1};
//     std::vector<double> rec{1, 30, 3, 90, 20}, freq{5, 1, 3, 1, 2}, mon{50, 10, 30, 5, 15};
//     segment_profiles p = profile_segments<std::uint32_t>(label, 3, {rec, freq, mon, mon, {}});
//     // segment 0: 2 customers (0.4), revenue 80 of 110, mean recency 2, frequency 4
//     target_rules rules; rules.min_score = 0.5;
//     std::vector<std::size_t> seg = select_targets(scores, rules);    // e.g. {0}
//     column<std::uint32_t> who = target_customers<std::uint32_t>(label, seg);  // {0, 2}
#pragma once

#include "custometrics/attractiveness.hpp"
#include "custometrics/clustering.hpp"
#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/error.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/summary.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Per-customer measures profiled per segment; every span has one entry per customer.
struct segment_measures {
    std::span<const double> recency;
    std::span<const double> frequency;
    std::span<const double> monetary;
    std::span<const double> revenue;
    std::span<const double> profit; ///< empty: no profit columns in the profile
    /// Further numbers averaged per segment, each with its name (for messages).
    std::vector<std::pair<std::string, std::span<const double>>> extra = {};
};

/// What one segment holds (see segments.hpp).
struct segment_profile {
    std::string name;                     ///< the segment's name ("0", "1", ... for clusters)
    std::size_t customers = 0;            ///< customers with this label
    std::optional<double> customer_share; ///< customers / all customers; none when N = 0
    double revenue = 0.0;                 ///< sum of revenue
    std::optional<double> revenue_share;  ///< revenue / total revenue; none when the total <= 0
    std::optional<double> profit;         ///< sum of profit, when profit was given
    std::optional<double> profit_share;   ///< profit / total profit; none when the total <= 0
    std::optional<double> mean_recency;   ///< none for an empty segment
    std::optional<double> mean_frequency;
    std::optional<double> mean_monetary;
    std::optional<double> repeat_rate; ///< share with frequency > 1; none for an empty segment
    std::optional<double> margin;      ///< profit / revenue; none without profit or revenue <= 0
    std::vector<std::optional<double>> extra_means; ///< per extra measure; none when empty
};

/// Profiles of all segments, by label.
struct segment_profiles {
    std::vector<segment_profile> segments; ///< one per label 0..segments-1
    std::size_t customers = 0;             ///< N
    double revenue = 0.0;                  ///< total revenue
    std::optional<double> profit;          ///< total profit, when given
};

namespace detail {

void check_segment_measures(std::size_t n, const segment_measures& m);
segment_profiles finish_profiles(segment_profiles p, const std::vector<double>& sum_r,
                                 const std::vector<double>& sum_f, const std::vector<double>& sum_m,
                                 const std::vector<std::size_t>& repeat,
                                 const std::vector<std::string>& names,
                                 const std::vector<std::vector<double>>& sum_extra);

} // namespace detail

/// Profiles of the segments `labels` defines (see segments.hpp); `names` names the segments
/// (one per label) or is empty (then "0", "1", ...).
template <class Label>
segment_profiles profile_segments(std::span<const Label> labels, std::size_t segments,
                                  const segment_measures& m,
                                  const std::vector<std::string>& names = {}) {
    const std::size_t n = labels.size();
    if (!names.empty() && names.size() != segments)
        throw invalid_argument("names", std::to_string(names.size()) + " names for " +
                                            std::to_string(segments) + " segments");
    detail::check_segment_measures(n, m);
    segment_profiles p;
    p.customers = n;
    p.segments.resize(segments);
    std::vector<double> sum_r(segments, 0.0), sum_f(segments, 0.0), sum_m(segments, 0.0);
    std::vector<std::size_t> repeat(segments, 0);
    const bool with_profit = !m.profit.empty();
    if (with_profit) {
        p.profit = 0.0;
        for (auto& s : p.segments)
            s.profit = 0.0;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const auto s = static_cast<std::size_t>(labels[i]);
        if (s >= segments)
            throw invalid_argument("labels", "customer " + std::to_string(i) + ": label " +
                                                 std::to_string(s) + " is not below the " +
                                                 std::to_string(segments) + " segments");
        segment_profile& q = p.segments[s];
        ++q.customers;
        q.revenue += m.revenue[i];
        p.revenue += m.revenue[i];
        if (with_profit) {
            *q.profit += m.profit[i];
            *p.profit += m.profit[i];
        }
        sum_r[s] += m.recency[i];
        sum_f[s] += m.frequency[i];
        sum_m[s] += m.monetary[i];
        if (m.frequency[i] > 1.0) ++repeat[s];
    }
    std::vector<std::vector<double>> sum_x(m.extra.size(), std::vector<double>(segments, 0.0));
    for (std::size_t k = 0; k < m.extra.size(); ++k)
        for (std::size_t i = 0; i < n; ++i)
            sum_x[k][static_cast<std::size_t>(labels[i])] += m.extra[k].second[i];
    return detail::finish_profiles(std::move(p), sum_r, sum_f, sum_m, repeat, names, sum_x);
}

/// Profiles of the RFM segments of `result` (made by `rfm_from_summary(summary, ...)`, whose
/// values it keeps), with the revenue and profit of `summary`. Throws `invalid_argument` when
/// the result holds no values or its size differs from the summary's.
segment_profiles profile_rfm_segments(const rfm_result& result, const customer_summary& summary);

/// Bounds on the raw value of one criterion of the criteria table.
/// What `cluster_rfm` does: k-means on the RFM values of a summary.
struct rfm_cluster_options {
    std::size_t k = 0;      ///< clusters when not `choose_k`
    bool choose_k = false;  ///< choose k in k_min..k_max by the mean silhouette
    std::size_t k_min = 2;  ///< smallest k tried
    std::size_t k_max = 10; ///< largest k tried (at most the customers)
    unsigned n_init = 10;   ///< k-means++ restarts
    std::uint64_t seed = 0; ///< seed of the k-means++ draws and the silhouette sample
    std::optional<std::int64_t> analysis_date; ///< default: the day after the last purchase
};

/// Customers clustered by k-means on their log-scaled recency, frequency and monetary value.
struct rfm_clusters {
    rfm_values values;            ///< per customer (rfm.hpp)
    kmeans_result kmeans;         ///< labels, centres (scaled space), inertia
    silhouette_result silhouette; ///< mean silhouette of the labels (sampled above 10,000)
    std::vector<k_score> k_table; ///< with `choose_k`: one row per k tried
    segment_profiles profiles;    ///< one profile per cluster, named "0", "1", ...
    Eigen::MatrixXd centres;      ///< k x 3 (recency, frequency, monetary), units of the data
    bool chose_k = false;         ///< k was chosen by the silhouette
    std::size_t k() const noexcept { return static_cast<std::size_t>(centres.rows()); }
};

/// k-means clusters of the customers of `summary` on log1p-then-standardised recency, frequency
/// and monetary value (`feature_scaling::log_standardize`), with their profiles.
///
/// The silhouette is that of `kmeans_select_k` when k is chosen, else of the clustering on a
/// sample of 10,000 points drawn with `seed`. The log scaling needs monetary >= 0: a customer
/// whose returns exceed purchases throws `data_error` ("monetary", the customer's row, and its
/// key when `keys` is given: `monetary: customer B: net revenue -3 is negative ...`). No
/// customer throws `invalid_argument` ("summary"). Example: five customers (the CLI test's log)
/// with k = 2 give clusters {A, C, E} and {B, D}.
rfm_clusters cluster_rfm(const customer_summary& summary, const rfm_cluster_options& options,
                         const key_index* keys = nullptr);

struct criterion_threshold {
    std::size_t criterion = 0; ///< column of the criteria table
    std::optional<double> min; ///< raw value >= min
    std::optional<double> max; ///< raw value <= max
};

/// Thresholds a target segment must meet, all of those given (see segments.hpp).
struct target_rules {
    std::optional<double> min_score;                ///< attractiveness score >= this
    std::optional<std::size_t> max_rank;            ///< rank <= this (1 = best)
    std::vector<strategy_zone> zones;               ///< cell in one of these zones (empty: any)
    std::optional<matrix_level> min_attractiveness; ///< matrix row at least this level
    std::optional<matrix_level> min_strength;       ///< matrix column at least this level
    std::vector<criterion_threshold> criteria;      ///< bounds on raw criterion values
};

/// The segments of `scores` that meet every threshold of `rules`, best rank first.
///
/// `raw` is the criteria table the scores came from (segments x criteria), needed only for
/// criterion thresholds; `matrix` the placement of the same segments, needed only for zone and
/// level thresholds. Throws `invalid_argument` when a threshold's input is missing or has the
/// wrong size, a criterion index is out of range, a bound is NaN or min > max.
std::vector<std::size_t>
select_targets(const segment_scores& scores, const target_rules& rules,
               const Eigen::Ref<const Eigen::MatrixXd>& raw = Eigen::MatrixXd(),
               const segment_matrix* matrix = nullptr);

/// Positions of the customers whose label is one of `segments`, ascending.
template <class Label>
column<std::uint32_t> target_customers(std::span<const Label> labels,
                                       std::span<const std::size_t> segments) {
    std::size_t top = 0;
    for (const std::size_t s : segments)
        top = std::max(top, s + 1);
    std::vector<char> chosen(top, 0);
    for (const std::size_t s : segments)
        chosen[s] = 1;
    column<std::uint32_t> out;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const auto s = static_cast<std::size_t>(labels[i]);
        if (s < top && chosen[s] != 0) out.push_back(static_cast<std::uint32_t>(i));
    }
    return out;
}

CUSTOMETRICS_END_NAMESPACE
