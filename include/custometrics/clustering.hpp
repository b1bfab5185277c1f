// Clustering of customers on chosen features: per-feature scaling (log1p, z-score), k-means
// (Lloyd's algorithm) with k-means++ seeding and restarts, the silhouette, and k chosen by it.
//
// Input. An n x d matrix, one row per customer and one column per feature (recency, frequency,
// monetary, any summary column), as `Eigen::Ref<const Eigen::MatrixXd>` (column-major, so a
// numpy array in Fortran order or an Eigen matrix passes without a copy). NaN or infinite values
// throw `data_error` naming the row and the feature: `features: row 3, column "monetary": value
// is nan` (the feature is named by `scaling_options::names`, else by its index: `column 2`).
// No rows or no columns, k < 1 and k > n throw `invalid_argument`.
//
// Scaling, one method per feature (`feature_scaling`), fitted on the data and returned as
// `scaling_params`, so that new customers are placed with the same transformation
// (`transform`) and centres read back in the units of the data (`inverse_transform`):
// - `none`: the value as is.
// - `log`: log1p(x) = ln(1 + x), for skewed counts and amounts; a negative value throws
//   `data_error` naming the feature and the row (ln(1 + x) exists down to -1, but a negative
//   count or amount means the feature is not what log scaling is for).
// - `standardize`: the z-score (x - mean) / sd with the population sd (divisor n, as
//   scikit-learn's StandardScaler). A constant feature (sd = 0) gets scale 1, so all its values
//   become 0 and it takes no part in the distances.
// - `log_standardize`: log1p, then the z-score of the logs (the usual choice for RFM values).
// Example: frequency 0, 1, 3, 7 under `log` -> 0, ln 2, 2 ln 2, 3 ln 2; under `log_standardize`
// -> (-1.5, -0.5, 0.5, 1.5) / sqrt(1.25) (mean 1.5 ln 2, sd sqrt(1.25) ln 2).
//
// k-means minimises the inertia, the sum over points of the squared Euclidean distance to the
// centre of their cluster, by Lloyd's iterations (Lloyd 1982, "Least squares quantization in
// PCM", IEEE Trans. Inf. Theory 28(2), 129-137), in the scaled space:
// 1. assignment: each point goes to its nearest centre (ties to the lowest centre index);
// 2. update: each centre moves to the mean of its points.
// Distances are the plain sums of squared differences (not |x|^2 - 2 x.c + |c|^2, which loses
// digits when points are far from the origin). The iterations stop when no label changes
// (`converged`), when the squared centre shift summed over all centres is at most
// `tolerance` x (mean variance of the scaled features) (also `converged`; the criterion of
// scikit-learn's `tol`, default 1e-4, so both stop at the same point), or after `max_iter`
// updates (`converged == false`). `iterations` counts the updates. The labels and the inertia
// returned belong to the final centres (one assignment follows the last update).
//
// Empty clusters. When a cluster loses all its points in an assignment, its centre is re-seeded
// at the point farthest from its own centre (the largest contribution to the inertia; ties to
// the lowest row), taken from a cluster of two or more points; several empty clusters take the
// farthest points in turn, the lowest cluster index first. With fewer distinct points than k,
// duplicate centres remain and some clusters stay empty (size 0).
//
// Seeding: k-means++ (Arthur & Vassilvitskii 2007, "k-means++: the advantages of careful
// seeding", Proc. 18th ACM-SIAM SODA, 1027-1035): the first centre is a point drawn uniformly,
// each next one a point drawn with probability D(x)^2 / sum D^2, D(x) the distance to the
// nearest centre chosen so far (uniformly when every D is 0). Restart r (0..n_init-1) draws from
// std::mt19937_64 seeded with splitmix64(seed + r), whose output the standard fixes; uniforms
// are (bits >> 11) x 2^-53, not std:: distributions (whose algorithms are the library's own).
// Of the `n_init` runs the one of lowest inertia is kept (ties to the earliest), `restart`.
// Given initial centres (k x d, in the scaled space) replace seeding and restarts: one run, as
// scikit-learn's `KMeans(init=centres, n_init=1)`.
//
// Determinism. A seed gives the same result, bit for bit, whatever the thread count: the
// assignment runs in parallel over rows, but the sums of the update (per centre, per feature)
// and of the inertia are formed in fixed blocks of 4096 rows and merged in block order.
//
// Silhouette (Rousseeuw 1987, "Silhouettes: a graphical aid to the interpretation and
// validation of cluster analysis", J. Comput. Appl. Math. 20, 53-65), with Euclidean distances:
// for point i, a(i) = mean distance to the other points of its cluster, b(i) = smallest mean
// distance to the points of another (non-empty) cluster, s(i) = (b - a) / max(a, b); s(i) = 0
// for a point alone in its cluster (Rousseeuw's convention) or when there is no other cluster.
// The score is the mean of s(i), in [-1, 1]; it takes O(m^2 d) time for m points. Above
// `silhouette_limit` points (default 10,000) it is computed on a sample of that many rows drawn
// without replacement from the seed, distances among the sampled points only (scikit-learn's
// `silhouette_score(sample_size=...)`). Example: points 0, 1, 5, 6 in clusters {0, 1} and
// {5, 6}: s = 4.5/5.5, 3.5/4.5, 3.5/4.5, 4.5/5.5, mean 79/99.
//
// Choosing k (`kmeans_select_k`): k-means for each k in [k_min, k_max] (k_min >= 2) with the
// same options and seed, the silhouette of each on the same points (the same sample), and the
// k of the highest mean silhouette (ties to the smaller k); the table of k, silhouette and
// inertia is returned for an elbow plot.
//
// Example:
//     Eigen::MatrixXd x(5, 1);
//     x << 0, 2, 4, 10, 12;
//     Eigen::MatrixXd init(2, 1);
//     init << 0, 2;
//     kmeans_result r = kmeans(x, init, {});
//     // updates: centres (0, 7), (1, 26/3), (2, 11); labels 0 0 0 1 1, unchanged after the
//     // third update: iterations 3, converged, inertia 4 + 0 + 4 + 1 + 1 = 10, sizes 3, 2
#pragma once

#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/error.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// How one feature is scaled before clustering (see clustering.hpp).
enum class feature_scaling {
    none,           ///< as is
    log,            ///< log1p(x); negative values are an error
    standardize,    ///< (x - mean) / sd, population sd; a constant feature becomes 0
    log_standardize ///< log1p, then the z-score of the logs
};

/// "none" / "log" / "standardize" / "log_standardize" to a scaling; throws `invalid_argument`
/// naming `argument` (value: the text) otherwise.
feature_scaling parse_feature_scaling(std::string_view text, std::string_view argument = "scaling");

/// Scaling of the features: one method per column, and names for messages.
struct scaling_options {
    std::vector<feature_scaling> methods; ///< empty = `none` for all, else one per column
    std::vector<std::string> names;       ///< empty = "column j" in messages, else one per column
};

/// Fitted scaling: scaled = (g(x) - mean) / scale per feature, g = log1p or identity.
struct scaling_params {
    std::vector<feature_scaling> methods; ///< one per feature
    std::vector<std::string> names;       ///< as given (may be empty)
    std::vector<double> mean;             ///< subtracted after g; 0 without standardisation
    std::vector<double> scale;            ///< divided by; 1 without standardisation or if sd = 0

    /// The rows of `x` (n x d, same features) scaled the same way; throws as the fit does.
    Eigen::MatrixXd transform(Eigen::Ref<const Eigen::MatrixXd> x) const;
    /// Back to the units of the data (e.g. centres): g^-1(scaled * scale + mean).
    Eigen::MatrixXd inverse_transform(Eigen::Ref<const Eigen::MatrixXd> scaled) const;
};

/// Scaled features and the parameters that made them.
struct scaled_features {
    Eigen::MatrixXd values; ///< n x d
    scaling_params params;
};

/// Fits the scaling of `x` (n x d) and applies it.
scaled_features scale_features(Eigen::Ref<const Eigen::MatrixXd> x,
                               const scaling_options& options = {});

/// Options of `kmeans` and `kmeans_select_k`.
struct kmeans_options {
    std::size_t k = 8;       ///< clusters, 1 <= k <= n (ignored with given initial centres)
    unsigned n_init = 10;    ///< k-means++ restarts, >= 1; the lowest inertia is kept
    unsigned max_iter = 300; ///< most centre updates per run, >= 1
    double tolerance = 1e-4; ///< on the squared centre shift, relative to the mean variance
    std::uint64_t seed = 0;  ///< seeds the k-means++ draws and the silhouette sample
    unsigned threads = 0;    ///< 0 = all hardware threads; the result does not depend on it
    scaling_options scaling; ///< per-feature scaling, fitted on the data
};

/// A k-means clustering (see clustering.hpp).
struct kmeans_result {
    column<std::uint32_t> labels;   ///< cluster of each row, 0..k-1
    Eigen::MatrixXd centres;        ///< k x d, in the scaled space
    double inertia = 0.0;           ///< sum of squared distances to the own centre (scaled)
    unsigned iterations = 0;        ///< centre updates of the chosen run
    bool converged = false;         ///< stopped by no label change or the tolerance
    unsigned restart = 0;           ///< which of the n_init runs was kept
    std::vector<std::size_t> sizes; ///< points per cluster
    scaling_params scaling;         ///< to place new points, or read centres back
};

/// k-means with k-means++ seeding and `n_init` restarts on the scaled rows of `x`.
kmeans_result kmeans(Eigen::Ref<const Eigen::MatrixXd> x, const kmeans_options& options);

/// One k-means run from `initial_centres` (k x d, in the scaled space); k is its row count.
kmeans_result kmeans(Eigen::Ref<const Eigen::MatrixXd> x,
                     Eigen::Ref<const Eigen::MatrixXd> initial_centres,
                     const kmeans_options& options);

/// Mean silhouette of a clustering (see clustering.hpp).
struct silhouette_result {
    double mean = 0.0;      ///< mean s(i) over the points used, in [-1, 1]
    std::size_t points = 0; ///< points used: n, or the sample size
    bool sampled = false;   ///< whether a sample was used
};

/// Mean silhouette of `labels` (one per row, each < n) on the rows of `x` as given (no scaling), on
/// a sample of `limit` rows drawn from `seed` when n > limit.
silhouette_result silhouette(Eigen::Ref<const Eigen::MatrixXd> x,
                             std::span<const std::uint32_t> labels, std::size_t limit = 10'000,
                             std::uint64_t seed = 0, unsigned threads = 0);

/// One row of the k table of `kmeans_select_k`.
struct k_score {
    std::size_t k = 0;
    double silhouette = 0.0; ///< mean silhouette
    double inertia = 0.0;    ///< k-means inertia (scaled space)
};

/// Options of `kmeans_select_k`.
struct k_selection_options {
    std::size_t k_min = 2;                 ///< >= 2
    std::size_t k_max = 10;                ///< k_min <= k_max <= n
    std::size_t silhouette_limit = 10'000; ///< above this many rows, a sample of this size
};

/// k chosen by the silhouette, with the clustering at that k.
struct kmeans_k_selection {
    std::size_t k = 0;          ///< the chosen k
    kmeans_result best;         ///< the clustering at k
    std::vector<k_score> table; ///< one row per k, k_min..k_max
    silhouette_result sample;   ///< points used; `mean` is the silhouette at k
};

/// Fits k-means for each k in [k_min, k_max] and keeps the k of the highest mean silhouette.
kmeans_k_selection kmeans_select_k(Eigen::Ref<const Eigen::MatrixXd> x,
                                   const k_selection_options& selection,
                                   const kmeans_options& options);

CUSTOMETRICS_END_NAMESPACE
