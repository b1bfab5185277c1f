// Clustering (see custometrics/clustering.hpp for the method, its conventions and sources):
// feature scaling, k-means++ seeding, Lloyd's iterations with block sums merged in a fixed
// order (so that results do not depend on the thread count), the silhouette and the choice of k.
#include "custometrics/clustering.hpp"
#include "custometrics/detail/format.hpp"

#include "custometrics/detail/parallel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

feature_scaling parse_feature_scaling(std::string_view text, std::string_view argument) {
    if (text == "none") return feature_scaling::none;
    if (text == "log") return feature_scaling::log;
    if (text == "standardize") return feature_scaling::standardize;
    if (text == "log_standardize") return feature_scaling::log_standardize;
    throw invalid_argument(argument,
                           "expected 'none', 'log', 'standardize' or 'log_standardize', got '" +
                               std::string(text) + "'",
                           std::string(text));
}

namespace {

using row_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Rows per block of the update sums: the sums of a block are formed in row order, and the blocks
// are merged in block order, whatever thread ran them.
constexpr std::size_t block_rows = 4096;
// Fewest rows per thread in the assignment (about 4 blocks).
constexpr std::size_t min_rows_per_thread = 16384;
constexpr std::uint32_t no_label = std::numeric_limits<std::uint32_t>::max();

std::string feature_name(const std::vector<std::string>& names, std::size_t j) {
    return names.empty() ? "column " + std::to_string(j) : "column \"" + names[j] + "\"";
}

// SplitMix64 (Steele, Lea & Flood 2014): spreads restart seeds seed + r over the state space.
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31U);
}

// Uniform in [0, 1) from the top 53 bits: the same on every standard library.
double uniform01(std::mt19937_64& g) {
    return static_cast<double>(g() >> 11U) * 0x1.0p-53;
}

// Uniform index in [0, n), n >= 1.
std::size_t uniform_index(std::mt19937_64& g, std::size_t n) {
    const auto i = static_cast<std::size_t>(uniform01(g) * static_cast<double>(n));
    return std::min(i, n - 1);
}

void check_shape(Eigen::Index n, Eigen::Index d, const char* what) {
    if (n == 0) throw invalid_argument(what, "no rows");
    if (d == 0) throw invalid_argument(what, "no columns");
}

// Throws `data_error` for the first NaN or infinite value, feature by feature.
void check_finite(const Eigen::Ref<const Eigen::MatrixXd>& x,
                  const std::vector<std::string>& names) {
    for (Eigen::Index j = 0; j < x.cols(); ++j)
        for (Eigen::Index i = 0; i < x.rows(); ++i)
            if (!std::isfinite(x(i, j)))
                throw data_error("features: row " + std::to_string(i) + ", " +
                                     feature_name(names, static_cast<std::size_t>(j)) +
                                     ": value is " + detail::format_number(x(i, j)),
                                 {"features",
                                  static_cast<std::size_t>(i),
                                  {},
                                  feature_name(names, static_cast<std::size_t>(j)),
                                  detail::format_number(x(i, j))});
}

bool uses_log(feature_scaling m) {
    return m == feature_scaling::log || m == feature_scaling::log_standardize;
}

bool uses_z(feature_scaling m) {
    return m == feature_scaling::standardize || m == feature_scaling::log_standardize;
}

// log1p of column j of `x` into `out`, throwing on a negative value.
void apply_log(const Eigen::Ref<const Eigen::MatrixXd>& x, Eigen::MatrixXd& out, Eigen::Index j,
               const std::vector<std::string>& names) {
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const double v = x(i, j);
        if (v < 0.0)
            throw data_error("features: row " + std::to_string(i) + ", " +
                                 feature_name(names, static_cast<std::size_t>(j)) + ": value is " +
                                 detail::format_number(v) + ", log scaling needs values >= 0",
                             {"features",
                              static_cast<std::size_t>(i),
                              {},
                              feature_name(names, static_cast<std::size_t>(j)),
                              detail::format_number(v)});
        out(i, j) = std::log1p(v);
    }
}

// Squared Euclidean distance of two rows of length d.
double sq_dist(const double* p, const double* q, std::size_t d) {
    double s = 0.0;
    for (std::size_t j = 0; j < d; ++j) {
        const double t = p[j] - q[j];
        s += t * t;
    }
    return s;
}

// Mean of the population variances of the columns of row-major `x` (n x d).
double mean_variance(const row_matrix& x) {
    const auto n = static_cast<double>(x.rows());
    double total = 0.0;
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        double mean = 0.0;
        for (Eigen::Index i = 0; i < x.rows(); ++i)
            mean += x(i, j);
        mean /= n;
        double ss = 0.0;
        for (Eigen::Index i = 0; i < x.rows(); ++i)
            ss += (x(i, j) - mean) * (x(i, j) - mean);
        total += ss / n;
    }
    return total / static_cast<double>(x.cols());
}

// One Lloyd run's state and its working buffers, reused over restarts.
class lloyd {
public:
    lloyd(const row_matrix& x, std::size_t k, unsigned threads)
        : m_x(x.data()), m_n(static_cast<std::size_t>(x.rows())),
          m_d(static_cast<std::size_t>(x.cols())), m_k(k),
          m_blocks((m_n + block_rows - 1) / block_rows),
          m_threads(static_cast<unsigned>(std::min<std::size_t>(
              detail::thread_count(m_n, threads, min_rows_per_thread), m_blocks))),
          m_block_sums(m_blocks * k * m_d), m_block_counts(m_blocks * k), m_block_inertia(m_blocks),
          m_block_changed(m_blocks), m_sums(k * m_d), m_counts(k), m_dist(m_n) {
        labels.resize(m_n);
    }

    // Lloyd's iterations from `centres` (k x d) until convergence or max_iter updates.
    void run(row_matrix start, unsigned max_iter, double tol_abs) {
        centres = std::move(start);
        std::fill(labels.begin(), labels.end(), no_label);
        assign(centres);
        iterations = 0;
        converged = false;
        for (unsigned it = 1; it <= max_iter; ++it) {
            const double shift = update(centres);
            const std::size_t changed = assign(centres);
            iterations = it;
            if (changed == 0 || shift <= tol_abs) {
                converged = true;
                break;
            }
        }
    }

    column<std::uint32_t> labels;
    row_matrix centres;
    double inertia = 0.0;
    unsigned iterations = 0;
    bool converged = false;

    std::vector<std::size_t> sizes() const { return m_counts; }

private:
    // Nearest centre of each row of blocks [b0, b1), with the block sums; D = d when known at
    // compile time (1..4), else 0.
    template <int D> void assign_blocks(const double* c, std::size_t b0, std::size_t b1) {
        const std::size_t d = D > 0 ? static_cast<std::size_t>(D) : m_d;
        for (std::size_t b = b0; b < b1; ++b) {
            double* sums = m_block_sums.data() + b * m_k * d;
            std::size_t* counts = m_block_counts.data() + b * m_k;
            std::fill(sums, sums + m_k * d, 0.0);
            std::fill(counts, counts + m_k, std::size_t{0});
            double inertia_b = 0.0;
            std::size_t changed = 0;
            const std::size_t r1 = std::min(m_n, (b + 1) * block_rows);
            for (std::size_t i = b * block_rows; i < r1; ++i) {
                const double* p = m_x + i * d;
                double best = std::numeric_limits<double>::infinity();
                std::uint32_t label = 0;
                for (std::size_t l = 0; l < m_k; ++l) {
                    const double* q = c + l * d;
                    double s = 0.0;
                    for (std::size_t j = 0; j < d; ++j) {
                        const double t = p[j] - q[j];
                        s += t * t;
                    }
                    if (s < best) {
                        best = s;
                        label = static_cast<std::uint32_t>(l);
                    }
                }
                changed += labels[i] != label ? 1U : 0U;
                labels[i] = label;
                m_dist[i] = best;
                inertia_b += best;
                ++counts[label];
                double* sum = sums + std::size_t{label} * d;
                for (std::size_t j = 0; j < d; ++j)
                    sum[j] += p[j];
            }
            m_block_inertia[b] = inertia_b;
            m_block_changed[b] = changed;
        }
    }

    // Assignment step: labels, distances, and the merged sums, counts and inertia. Returns the
    // number of labels that changed.
    std::size_t assign(const row_matrix& c_now) {
        const double* c = c_now.data();
        detail::parallel_chunks(m_blocks, m_threads, [&](std::size_t b0, std::size_t b1, unsigned) {
            switch (m_d) {
            case 1:
                assign_blocks<1>(c, b0, b1);
                break;
            case 2:
                assign_blocks<2>(c, b0, b1);
                break;
            case 3:
                assign_blocks<3>(c, b0, b1);
                break;
            case 4:
                assign_blocks<4>(c, b0, b1);
                break;
            default:
                assign_blocks<0>(c, b0, b1);
                break;
            }
        });
        std::fill(m_sums.begin(), m_sums.end(), 0.0);
        std::fill(m_counts.begin(), m_counts.end(), std::size_t{0});
        inertia = 0.0;
        std::size_t changed = 0;
        for (std::size_t b = 0; b < m_blocks; ++b) { // block order: independent of the threads
            for (std::size_t t = 0; t < m_k * m_d; ++t)
                m_sums[t] += m_block_sums[b * m_k * m_d + t];
            for (std::size_t l = 0; l < m_k; ++l)
                m_counts[l] += m_block_counts[b * m_k + l];
            inertia += m_block_inertia[b];
            changed += m_block_changed[b];
        }
        return changed;
    }

    // Update step: centres to the means of their points, empty clusters re-seeded at the
    // farthest points. Returns the squared centre shift summed over the centres.
    double update(row_matrix& c) {
        std::vector<bool> taken;
        for (std::size_t l = 0; l < m_k; ++l) {
            if (m_counts[l] != 0) continue;
            if (taken.empty()) taken.assign(m_n, false);
            std::size_t far = m_n;
            for (std::size_t i = 0; i < m_n; ++i)
                if (!taken[i] && m_counts[labels[i]] > 1 && (far == m_n || m_dist[i] > m_dist[far]))
                    far = i;
            // k <= n: with cluster l empty, some cluster holds two or more points.
            taken[far] = true;
            const double* p = m_x + far * m_d;
            const std::uint32_t old = labels[far];
            --m_counts[old];
            for (std::size_t j = 0; j < m_d; ++j) {
                m_sums[old * m_d + j] -= p[j];
                m_sums[l * m_d + j] = p[j];
            }
            m_counts[l] = 1;
            labels[far] = static_cast<std::uint32_t>(l);
        }
        double shift = 0.0;
        for (std::size_t l = 0; l < m_k; ++l) {
            const auto cnt = static_cast<double>(m_counts[l]);
            for (std::size_t j = 0; j < m_d; ++j) {
                const double v = m_sums[l * m_d + j] / cnt;
                const auto li = static_cast<Eigen::Index>(l);
                const auto ji = static_cast<Eigen::Index>(j);
                shift += (v - c(li, ji)) * (v - c(li, ji));
                c(li, ji) = v;
            }
        }
        return shift;
    }

    const double* m_x;
    std::size_t m_n, m_d, m_k, m_blocks;
    unsigned m_threads;
    std::vector<double> m_block_sums;
    std::vector<std::size_t> m_block_counts;
    std::vector<double> m_block_inertia;
    std::vector<std::size_t> m_block_changed;
    std::vector<double> m_sums;
    std::vector<std::size_t> m_counts;
    column<double> m_dist;
};

// k-means++ seeding of k centres from the rows of `x`.
row_matrix seed_plus_plus(const row_matrix& x, std::size_t k, std::mt19937_64& g,
                          unsigned threads) {
    const auto n = static_cast<std::size_t>(x.rows());
    const auto d = static_cast<std::size_t>(x.cols());
    const unsigned t = detail::thread_count(n, threads, min_rows_per_thread);
    row_matrix c(static_cast<Eigen::Index>(k), x.cols());
    column<double> dist(n, std::numeric_limits<double>::infinity());
    std::size_t pick = uniform_index(g, n);
    for (std::size_t l = 0;; ++l) {
        c.row(static_cast<Eigen::Index>(l)) = x.row(static_cast<Eigen::Index>(pick));
        if (l + 1 == k) break;
        const double* q = c.data() + l * d;
        detail::parallel_chunks(n, t, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i)
                dist[i] = std::min(dist[i], sq_dist(x.data() + i * d, q, d));
        });
        double total = 0.0;
        for (const double v : dist)
            total += v;
        if (total > 0.0) {
            const double r = uniform01(g) * total;
            double acc = 0.0;
            pick = n;
            std::size_t last_positive = 0;
            for (std::size_t i = 0; i < n; ++i) {
                if (dist[i] > 0.0) last_positive = i;
                acc += dist[i];
                if (acc > r && dist[i] > 0.0) {
                    pick = i;
                    break;
                }
            }
            if (pick == n) pick = last_positive; // r within rounding of the total
        } else {
            pick = uniform_index(g, n); // every point is a centre already
        }
    }
    return c;
}

void check_options(const kmeans_options& o) {
    if (o.n_init < 1) throw invalid_argument("n_init", "must be >= 1, got 0");
    if (o.max_iter < 1) throw invalid_argument("max_iter", "must be >= 1, got 0");
    if (!std::isfinite(o.tolerance) || o.tolerance < 0.0)
        throw invalid_argument("tolerance", "must be finite and >= 0, got " +
                                                detail::format_number(o.tolerance));
}

void check_k(std::size_t k, std::size_t n, const char* name) {
    if (k < 1 || k > n)
        throw invalid_argument(name, "must be in [1, n = " + std::to_string(n) + "], got " +
                                         std::to_string(k));
}

kmeans_result to_result(lloyd& run, unsigned restart, scaling_params scaling) {
    kmeans_result r;
    r.labels = run.labels;
    r.centres = run.centres;
    r.inertia = run.inertia;
    r.iterations = run.iterations;
    r.converged = run.converged;
    r.restart = restart;
    r.sizes = run.sizes();
    r.scaling = std::move(scaling);
    return r;
}

// The best of n_init seeded runs on scaled rows `x`.
kmeans_result fit_seeded(const row_matrix& x, std::size_t k, const kmeans_options& o,
                         double tol_abs, const scaling_params& scaling) {
    lloyd run(x, k, o.threads);
    kmeans_result best;
    for (unsigned r = 0; r < o.n_init; ++r) {
        std::mt19937_64 g(splitmix64(o.seed + r));
        run.run(seed_plus_plus(x, k, g, o.threads), o.max_iter, tol_abs);
        if (r == 0 || run.inertia < best.inertia) best = to_result(run, r, scaling);
    }
    return best;
}

// The rows of `idx` drawn from [0, n) without replacement (partial Fisher-Yates), ascending.
std::vector<std::size_t> sample_rows(std::size_t n, std::size_t m, std::uint64_t seed) {
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    if (m >= n) return idx;
    std::mt19937_64 g(splitmix64(seed ^ 0x51f15e5eedULL));
    for (std::size_t i = 0; i < m; ++i)
        std::swap(idx[i], idx[i + uniform_index(g, n - i)]);
    idx.resize(m);
    std::sort(idx.begin(), idx.end());
    return idx;
}

// Mean silhouette over the rows `idx` of row-major `x`, labels < k.
double mean_silhouette(const row_matrix& x, std::span<const std::uint32_t> labels, std::size_t k,
                       const std::vector<std::size_t>& idx, unsigned threads) {
    const std::size_t m = idx.size();
    const auto d = static_cast<std::size_t>(x.cols());
    std::vector<std::size_t> count(k);
    for (const std::size_t i : idx)
        ++count[labels[i]];
    std::vector<double> s(m);
    const unsigned t = detail::thread_count(m, threads, 256);
    detail::parallel_chunks(m, t, [&](std::size_t b, std::size_t e, unsigned) {
        std::vector<double> sum(k);
        for (std::size_t a = b; a < e; ++a) {
            const std::size_t i = idx[a];
            const std::uint32_t own = labels[i];
            if (count[own] < 2) continue; // alone in its cluster: s = 0
            std::fill(sum.begin(), sum.end(), 0.0);
            const double* p = x.data() + i * d;
            for (const std::size_t j : idx)
                sum[labels[j]] += std::sqrt(sq_dist(p, x.data() + j * d, d));
            const double ai = sum[own] / static_cast<double>(count[own] - 1);
            double bi = std::numeric_limits<double>::infinity();
            for (std::size_t l = 0; l < k; ++l)
                if (l != own && count[l] > 0)
                    bi = std::min(bi, sum[l] / static_cast<double>(count[l]));
            const double top = std::max(ai, bi);
            if (std::isfinite(bi) && top > 0.0) s[a] = (bi - ai) / top;
        }
    });
    double total = 0.0;
    for (const double v : s)
        total += v;
    return total / static_cast<double>(m);
}

} // namespace

Eigen::MatrixXd scaling_params::transform(Eigen::Ref<const Eigen::MatrixXd> x) const {
    if (static_cast<std::size_t>(x.cols()) != methods.size())
        throw invalid_argument("features", "expected " + std::to_string(methods.size()) +
                                               " columns, got " + std::to_string(x.cols()));
    check_finite(x, names);
    Eigen::MatrixXd out = x;
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const auto ju = static_cast<std::size_t>(j);
        if (uses_log(methods[ju])) apply_log(x, out, j, names);
        if (uses_z(methods[ju])) out.col(j) = (out.col(j).array() - mean[ju]) / scale[ju];
    }
    return out;
}

Eigen::MatrixXd scaling_params::inverse_transform(Eigen::Ref<const Eigen::MatrixXd> scaled) const {
    if (static_cast<std::size_t>(scaled.cols()) != methods.size())
        throw invalid_argument("scaled", "expected " + std::to_string(methods.size()) +
                                             " columns, got " + std::to_string(scaled.cols()));
    Eigen::MatrixXd out = scaled;
    for (Eigen::Index j = 0; j < scaled.cols(); ++j) {
        const auto ju = static_cast<std::size_t>(j);
        if (uses_z(methods[ju])) out.col(j) = out.col(j).array() * scale[ju] + mean[ju];
        if (uses_log(methods[ju])) out.col(j) = out.col(j).array().expm1();
    }
    return out;
}

scaled_features scale_features(Eigen::Ref<const Eigen::MatrixXd> x,
                               const scaling_options& options) {
    check_shape(x.rows(), x.cols(), "features");
    const auto d = static_cast<std::size_t>(x.cols());
    if (!options.methods.empty() && options.methods.size() != d)
        throw invalid_argument("scaling.methods", "expected 0 or " + std::to_string(d) +
                                                      " entries (one per feature), got " +
                                                      std::to_string(options.methods.size()));
    if (!options.names.empty() && options.names.size() != d)
        throw invalid_argument("scaling.names", "expected 0 or " + std::to_string(d) +
                                                    " entries (one per feature), got " +
                                                    std::to_string(options.names.size()));
    scaled_features r;
    scaling_params& p = r.params;
    p.methods = options.methods.empty() ? std::vector<feature_scaling>(d, feature_scaling::none)
                                        : options.methods;
    p.names = options.names;
    p.mean.assign(d, 0.0);
    p.scale.assign(d, 1.0);
    check_finite(x, p.names);
    r.values = x;
    const auto n = static_cast<double>(x.rows());
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const auto ju = static_cast<std::size_t>(j);
        if (uses_log(p.methods[ju])) apply_log(x, r.values, j, p.names);
        if (!uses_z(p.methods[ju])) continue;
        auto col = r.values.col(j);
        if ((col.array() == col(0)).all()) { // constant: exactly 0 after scaling
            p.mean[ju] = col(0);
        } else {
            double mean = 0.0;
            for (Eigen::Index i = 0; i < col.size(); ++i)
                mean += col(i);
            mean /= n;
            double ss = 0.0;
            for (Eigen::Index i = 0; i < col.size(); ++i)
                ss += (col(i) - mean) * (col(i) - mean);
            p.mean[ju] = mean;
            p.scale[ju] = std::sqrt(ss / n);
        }
        col = (col.array() - p.mean[ju]) / p.scale[ju];
    }
    return r;
}

kmeans_result kmeans(Eigen::Ref<const Eigen::MatrixXd> x, const kmeans_options& options) {
    check_options(options);
    scaled_features s = scale_features(x, options.scaling);
    check_k(options.k, static_cast<std::size_t>(x.rows()), "k");
    const row_matrix xs = s.values;
    return fit_seeded(xs, options.k, options, options.tolerance * mean_variance(xs), s.params);
}

kmeans_result kmeans(Eigen::Ref<const Eigen::MatrixXd> x,
                     Eigen::Ref<const Eigen::MatrixXd> initial_centres,
                     const kmeans_options& options) {
    check_options(options);
    scaled_features s = scale_features(x, options.scaling);
    const auto k = static_cast<std::size_t>(initial_centres.rows());
    check_k(k, static_cast<std::size_t>(x.rows()), "initial_centres: rows (k)");
    if (initial_centres.cols() != x.cols())
        throw invalid_argument("initial_centres", "expected " + std::to_string(x.cols()) +
                                                      " columns (one per feature), got " +
                                                      std::to_string(initial_centres.cols()));
    for (Eigen::Index i = 0; i < initial_centres.rows(); ++i)
        for (Eigen::Index j = 0; j < initial_centres.cols(); ++j)
            if (!std::isfinite(initial_centres(i, j)))
                throw invalid_argument("initial_centres",
                                       "row " + std::to_string(i) + ", column " +
                                           std::to_string(j) + ": value is " +
                                           detail::format_number(initial_centres(i, j)));
    const row_matrix xs = s.values;
    lloyd run(xs, k, options.threads);
    run.run(initial_centres, options.max_iter, options.tolerance * mean_variance(xs));
    return to_result(run, 0, std::move(s.params));
}

silhouette_result silhouette(Eigen::Ref<const Eigen::MatrixXd> x,
                             std::span<const std::uint32_t> labels, std::size_t limit,
                             std::uint64_t seed, unsigned threads) {
    check_shape(x.rows(), x.cols(), "features");
    const auto n = static_cast<std::size_t>(x.rows());
    if (labels.size() != n)
        throw invalid_argument("labels", "expected " + std::to_string(n) + " (one per row), got " +
                                             std::to_string(labels.size()));
    if (limit < 1) throw invalid_argument("limit", "must be >= 1, got 0");
    check_finite(x, {});
    for (std::size_t i = 0; i < n; ++i)
        if (labels[i] >= n)
            throw invalid_argument("labels", "row " + std::to_string(i) + ": value is " +
                                                 std::to_string(labels[i]) +
                                                 ", must be < n = " + std::to_string(n));
    const std::size_t k = std::size_t{*std::max_element(labels.begin(), labels.end())} + 1;
    const std::vector<std::size_t> idx = sample_rows(n, limit, seed);
    const row_matrix xs = x;
    return {mean_silhouette(xs, labels, k, idx, threads), idx.size(), idx.size() < n};
}

kmeans_k_selection kmeans_select_k(Eigen::Ref<const Eigen::MatrixXd> x,
                                   const k_selection_options& selection,
                                   const kmeans_options& options) {
    check_options(options);
    scaled_features s = scale_features(x, options.scaling);
    const auto n = static_cast<std::size_t>(x.rows());
    if (selection.k_min < 2)
        throw invalid_argument("k_min", "must be >= 2 (the silhouette needs two clusters), got " +
                                            std::to_string(selection.k_min));
    if (selection.k_max < selection.k_min || selection.k_max > n)
        throw invalid_argument("k_max", "must be in [k_min = " + std::to_string(selection.k_min) +
                                            ", n = " + std::to_string(n) + "], got " +
                                            std::to_string(selection.k_max));
    if (selection.silhouette_limit < 1)
        throw invalid_argument("silhouette_limit", "must be >= 1, got 0");
    const row_matrix xs = s.values;
    const double tol_abs = options.tolerance * mean_variance(xs);
    const std::vector<std::size_t> idx = sample_rows(n, selection.silhouette_limit, options.seed);
    kmeans_k_selection r;
    r.sample = {0.0, idx.size(), idx.size() < n};
    for (std::size_t k = selection.k_min; k <= selection.k_max; ++k) {
        kmeans_result fit = fit_seeded(xs, k, options, tol_abs, s.params);
        const double sil = mean_silhouette(xs, fit.labels, k, idx, options.threads);
        r.table.push_back({k, sil, fit.inertia});
        if (r.k == 0 || sil > r.sample.mean) {
            r.k = k;
            r.sample.mean = sil;
            r.best = std::move(fit);
        }
    }
    return r;
}

CUSTOMETRICS_END_NAMESPACE
