// Prediction intervals for the expected purchases (see custometrics/retention/intervals.hpp).
#include "custometrics/retention/intervals.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"

#include <Eigen/Cholesky>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <limits>
#include <optional>
#include <random>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
/// Distinct customer rows per block of the bootstrap evaluation (fixed: the totals are summed
/// block by block in block order, so they do not depend on the thread count).
constexpr std::size_t block_rows = 32;

// Quantiles in plain double (Boost.Math would promote to long double, whose width differs
// between platforms; as generate.cpp).
using quantile_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

/// A uniform in (0, 1): the top 52 bits k of a draw give (k + 1/2) / 2^52 (as generate.cpp).
double uniform01(std::mt19937_64& engine) {
    return (static_cast<double>(engine() >> 12) + 0.5) * 0x1p-52;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void check_covariance(const Eigen::MatrixXd& covariance, std::size_t k) {
    const auto K = static_cast<Eigen::Index>(k);
    if (covariance.rows() != K || covariance.cols() != K)
        throw invalid_argument("covariance", "must be " + std::to_string(k) + " x " +
                                                 std::to_string(k) + ", got " +
                                                 std::to_string(covariance.rows()) + " x " +
                                                 std::to_string(covariance.cols()));
    if (!covariance.allFinite())
        throw invalid_argument("covariance",
                               "has a value that is not finite (the fit reported no standard "
                               "errors: its information matrix was not positive definite)");
}

/// The covariance of log p from that of p: Sigma_theta(i, j) = Sigma(i, j) / (p_i p_j).
Eigen::MatrixXd log_covariance(std::span<const double> p, const Eigen::MatrixXd& covariance) {
    Eigen::MatrixXd s = covariance;
    for (Eigen::Index i = 0; i < s.rows(); ++i)
        for (Eigen::Index j = 0; j < s.cols(); ++j)
            s(i, j) /= p[static_cast<std::size_t>(i)] * p[static_cast<std::size_t>(j)];
    return s;
}

/// The parameter draws of a bootstrap: parameters per draw, or the reason the draw failed.
struct draw_set {
    std::vector<std::optional<purchase_params>> params;
    std::vector<std::string> failure;
};

draw_set parametric_draws(purchase_model_kind kind, std::span<const double> p,
                          const Eigen::MatrixXd& covariance, const interval_options& options) {
    const Eigen::MatrixXd s = log_covariance(p, covariance);
    const Eigen::LLT<Eigen::MatrixXd> llt(0.5 * (s + s.transpose()));
    if (llt.info() != Eigen::Success)
        throw invalid_argument("covariance", "is not positive definite: no parametric bootstrap");
    const Eigen::MatrixXd L = llt.matrixL();
    const auto K = static_cast<Eigen::Index>(p.size());
    std::mt19937_64 engine(options.seed);
    const boost::math::normal_distribution<double, quantile_policy> normal;
    draw_set d;
    d.params.resize(options.draws);
    d.failure.resize(options.draws);
    Eigen::VectorXd z(K);
    std::vector<double> q(p.size());
    for (std::size_t b = 0; b < options.draws; ++b) {
        for (Eigen::Index j = 0; j < K; ++j) // draw b's normals, in the parameters' order
            z[j] = boost::math::quantile(normal, uniform01(engine));
        const Eigen::VectorXd shift = L * z;
        for (std::size_t j = 0; j < p.size(); ++j)
            q[j] = p[j] * std::exp(shift[static_cast<Eigen::Index>(j)]);
        try {
            d.params[b] = purchase_params_from(kind, q);
        } catch (const std::exception& e) {
            d.failure[b] = e.what();
        }
    }
    return d;
}

draw_set nonparametric_draws(purchase_model_kind kind, std::span<const double> p,
                             const compressed_summary& rows, const interval_options& options) {
    const std::size_t B = options.draws;
    std::mt19937_64 master(options.seed);
    std::vector<std::uint64_t> seeds(B);
    for (auto& s : seeds)
        s = master();
    const std::size_t n = rows.row_of.size();
    draw_set d;
    d.params.resize(B);
    d.failure.resize(B);
    fit_options fo = options.fit;
    fo.threads = 1; // one refit per thread: the same arithmetic whatever the thread count
    fo.initial.assign(p.begin(), p.end());
    detail::parallel_chunks(
        B, detail::thread_count(B, options.threads, 1),
        [&](std::size_t begin, std::size_t end, unsigned) {
            compressed_summary sample = rows;
            for (std::size_t b = begin; b < end; ++b) {
                std::mt19937_64 engine(seeds[b]);
                std::fill(sample.weight.begin(), sample.weight.end(), 0.0);
                for (std::size_t i = 0; i < n; ++i) {
                    const double u = uniform01(engine);
                    const std::size_t c =
                        std::min(static_cast<std::size_t>(u * static_cast<double>(n)), n - 1);
                    sample.weight[rows.row_of[c]] += 1.0;
                }
                sample.total_weight = static_cast<double>(n);
                try {
                    const fit_result f = fit_purchase_model(kind, sample, fo);
                    if (!f.report.converged)
                        d.failure[b] = "refit did not converge: " + f.report.reason;
                    else
                        d.params[b] = purchase_params_from(kind, f.params);
                } catch (const std::exception& e) {
                    d.failure[b] = std::string("refit failed: ") + e.what();
                }
            }
        });
    return d;
}

/// Per-row percentile intervals and standard deviations over the usable draws, and per-draw
/// totals; draws that fail for some row are flagged (with the first reason).
struct bootstrap_pass {
    std::vector<double> sd;
    std::vector<double> lower;
    std::vector<double> upper;
    std::vector<double> totals;   ///< per draw, sum_r w_r g_r(draw)
    std::vector<char> failed;     ///< per draw
    std::vector<std::string> why; ///< per draw, the reason of a failure
};

bootstrap_pass run_pass(const draw_set& draws, const std::vector<char>& use,
                        const compressed_summary& rows, double t, double level, unsigned threads) {
    const std::size_t m = rows.size();
    const std::size_t B = draws.params.size();
    const std::size_t blocks = (m + block_rows - 1) / block_rows;
    bootstrap_pass out;
    out.sd.assign(m, nan);
    out.lower.assign(m, nan);
    out.upper.assign(m, nan);
    std::vector<double> block_totals(blocks * B, 0.0);
    std::vector<char> block_failed(blocks * B, 0);
    std::vector<std::string> block_why(blocks * B);
    const double qlo = (1 - level) / 2;
    const double qhi = (1 + level) / 2;
    detail::parallel_chunks(
        blocks, detail::thread_count(blocks, threads, 1),
        [&](std::size_t begin, std::size_t end, unsigned) {
            std::vector<double> values;
            values.reserve(B);
            for (std::size_t blk = begin; blk < end; ++blk) {
                const std::size_t r_end = std::min(m, (blk + 1) * block_rows);
                for (std::size_t r = blk * block_rows; r < r_end; ++r) {
                    values.clear();
                    for (std::size_t b = 0; b < B; ++b) {
                        if (!use[b]) continue;
                        double v = nan;
                        try {
                            v = conditional_expected_purchases(
                                *draws.params[b], t, rows.frequency[r], rows.recency[r], rows.T[r]);
                        } catch (const std::exception& e) {
                            if (!block_failed[blk * B + b]) block_why[blk * B + b] = e.what();
                            block_failed[blk * B + b] = 1;
                            continue;
                        }
                        if (!std::isfinite(v)) {
                            if (!block_failed[blk * B + b])
                                block_why[blk * B + b] = "the prediction is not finite";
                            block_failed[blk * B + b] = 1;
                            continue;
                        }
                        values.push_back(v);
                        block_totals[blk * B + b] += rows.weight[r] * v;
                    }
                    if (values.size() < 2) continue;
                    double mean = 0;
                    for (const double v : values)
                        mean += v;
                    mean /= static_cast<double>(values.size());
                    double ss = 0;
                    for (const double v : values)
                        ss += (v - mean) * (v - mean);
                    out.sd[r] = std::sqrt(ss / static_cast<double>(values.size() - 1));
                    out.lower[r] = detail::percentile(values, qlo);
                    out.upper[r] = detail::percentile(values, qhi);
                }
            }
        });
    out.totals.assign(B, 0.0);
    out.failed.assign(B, 0);
    out.why.resize(B);
    for (std::size_t blk = 0; blk < blocks; ++blk)
        for (std::size_t b = 0; b < B; ++b) {
            out.totals[b] += block_totals[blk * B + b];
            if (block_failed[blk * B + b] && !out.failed[b]) {
                out.failed[b] = 1;
                out.why[b] = block_why[blk * B + b];
            }
        }
    return out;
}

/// Fills the bootstrap columns of `out` (per distinct row; the caller maps them to customers).
void bootstrap(const draw_set& draws, const compressed_summary& rows, double t,
               const interval_options& options, prediction_intervals& out) {
    const std::size_t B = draws.params.size();
    std::vector<char> use(B);
    std::vector<std::string> why = draws.failure;
    for (std::size_t b = 0; b < B; ++b)
        use[b] = draws.params[b].has_value() ? 1 : 0;
    bootstrap_pass pass = run_pass(draws, use, rows, t, options.level, options.threads);
    bool again = false;
    for (std::size_t b = 0; b < B; ++b)
        if (use[b] && pass.failed[b]) {
            use[b] = 0;
            why[b] = pass.why[b];
            again = true;
        }
    // A draw that failed for some customer is left out for all, so every interval uses the
    // same draws (the evaluations are deterministic: the second pass flags nothing new).
    if (again) pass = run_pass(draws, use, rows, t, options.level, options.threads);

    std::vector<double> totals;
    for (std::size_t b = 0; b < B; ++b) {
        if (use[b])
            totals.push_back(pass.totals[b]);
        else if (out.first_failure.empty())
            out.first_failure = "draw " + std::to_string(b) + ": " + why[b];
    }
    out.failed_draws = B - totals.size();
    if (totals.size() < 2)
        throw error("intervals: " + std::to_string(out.failed_draws) + " of " + std::to_string(B) +
                    " bootstrap draws failed; first: " + out.first_failure);
    double mean = 0;
    for (const double v : totals)
        mean += v;
    mean /= static_cast<double>(totals.size());
    double ss = 0;
    for (const double v : totals)
        ss += (v - mean) * (v - mean);
    out.total_std_error = std::sqrt(ss / static_cast<double>(totals.size() - 1));
    out.total_lower = detail::percentile(totals, (1 - options.level) / 2);
    out.total_upper = detail::percentile(totals, (1 + options.level) / 2);
    out.std_error = std::move(pass.sd);
    out.lower = std::move(pass.lower);
    out.upper = std::move(pass.upper);
}

/// Fills the delta-method columns of `out` per distinct row.
void delta(const purchase_params& params, const Eigen::MatrixXd& covariance,
           const compressed_summary& rows, double t, const interval_options& options,
           prediction_intervals& out) {
    const purchase_model_kind kind = kind_of(params);
    const std::vector<double> p = parameter_values(params);
    const std::size_t m = rows.size();
    const std::size_t k = p.size();
    std::vector<double> gradients(m * k);
    out.std_error.assign(m, nan);
    detail::parallel_chunks(
        m, detail::thread_count(m, options.threads, 256),
        [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t r = begin; r < end; ++r) {
                const auto g = [&](std::span<const double> q) {
                    return conditional_expected_purchases(purchase_params_from(kind, q), t,
                                                          rows.frequency[r], rows.recency[r],
                                                          rows.T[r]);
                };
                const detail::delta_estimate d = detail::delta_method(g, p, covariance);
                out.std_error[r] = std::sqrt(std::max(0.0, d.variance));
                std::copy(d.gradient.begin(), d.gradient.end(), gradients.begin() + r * k);
            }
        });
    Eigen::VectorXd total_gradient = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k));
    for (std::size_t r = 0; r < m; ++r)
        for (std::size_t j = 0; j < k; ++j)
            total_gradient[static_cast<Eigen::Index>(j)] += rows.weight[r] * gradients[r * k + j];
    const double total_variance =
        total_gradient.dot(log_covariance(p, covariance) * total_gradient);
    out.total_std_error = std::sqrt(std::max(0.0, total_variance));
    const double z = boost::math::quantile(
        boost::math::normal_distribution<double, quantile_policy>(), (1 + options.level) / 2);
    out.lower.resize(m);
    out.upper.resize(m);
    // out.estimate holds the per-row estimates at this point.
    for (std::size_t r = 0; r < m; ++r) {
        out.lower[r] = std::max(0.0, out.estimate[r] - z * out.std_error[r]);
        out.upper[r] = out.estimate[r] + z * out.std_error[r];
    }
    out.total_lower = std::max(0.0, out.total - z * out.total_std_error);
    out.total_upper = out.total + z * out.total_std_error;
}

std::vector<double> to_customers(const std::vector<double>& per_row,
                                 const std::vector<std::uint32_t>& row_of) {
    std::vector<double> out(row_of.size());
    for (std::size_t i = 0; i < row_of.size(); ++i)
        out[i] = per_row[row_of[i]];
    return out;
}

} // namespace

interval_method parse_interval_method(std::string_view text, std::string_view argument) {
    const std::string s = lower(text);
    if (s == "delta") return interval_method::delta;
    if (s == "parametric" || s == "parametric_bootstrap")
        return interval_method::parametric_bootstrap;
    if (s == "nonparametric" || s == "bootstrap" || s == "nonparametric_bootstrap")
        return interval_method::nonparametric_bootstrap;
    throw invalid_argument(argument,
                           "unknown interval method '" + std::string(text) +
                               "' (accepted: delta, parametric, nonparametric)",
                           std::string(text));
}

std::string_view to_string(interval_method method) noexcept {
    switch (method) {
    case interval_method::delta:
        return "delta";
    case interval_method::parametric_bootstrap:
        return "parametric_bootstrap";
    case interval_method::nonparametric_bootstrap:
        return "nonparametric_bootstrap";
    }
    return "delta";
}

prediction_intervals conditional_expected_purchases_intervals(
    const purchase_params& params, const Eigen::MatrixXd& covariance, double t,
    std::span<const double> frequency, std::span<const double> recency, std::span<const double> T,
    const interval_options& options) {
    if (!(options.level > 0 && options.level < 1))
        throw invalid_argument("level",
                               "must be in (0, 1), got " + detail::format_number(options.level),
                               detail::format_number(options.level));
    if (!(std::isfinite(t) && t >= 0))
        throw invalid_argument(
            "t", "the horizon must be a finite number >= 0, got " + detail::format_number(t),
            detail::format_number(t));
    const bool boot = options.method != interval_method::delta;
    if (boot && options.draws < 2)
        throw invalid_argument(
            "draws", "a bootstrap needs at least 2 draws, got " + std::to_string(options.draws),
            std::to_string(options.draws));
    const purchase_model_kind kind = kind_of(params);
    const std::vector<double> p = parameter_values(params);
    if (options.method != interval_method::nonparametric_bootstrap)
        check_covariance(covariance, p.size());
    const compressed_summary rows = compress_summary(frequency, recency, T);

    prediction_intervals out;
    out.method = options.method;
    out.level = options.level;
    out.horizon = t;
    out.draws = boot ? options.draws : 0;
    out.seed = options.seed;
    out.estimate = conditional_expected_purchases(params, t, rows.frequency, rows.recency, rows.T);
    for (std::size_t r = 0; r < rows.size(); ++r)
        out.total += rows.weight[r] * out.estimate[r];

    switch (options.method) {
    case interval_method::delta:
        delta(params, covariance, rows, t, options, out);
        break;
    case interval_method::parametric_bootstrap:
        bootstrap(parametric_draws(kind, p, covariance, options), rows, t, options, out);
        break;
    case interval_method::nonparametric_bootstrap:
        bootstrap(nonparametric_draws(kind, p, rows, options), rows, t, options, out);
        break;
    }
    out.estimate = to_customers(out.estimate, rows.row_of);
    out.std_error = to_customers(out.std_error, rows.row_of);
    out.lower = to_customers(out.lower, rows.row_of);
    out.upper = to_customers(out.upper, rows.row_of);
    return out;
}

prediction_intervals conditional_expected_purchases_intervals(
    purchase_model_kind kind, const fit_result& fit, double t, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, const interval_options& options) {
    return conditional_expected_purchases_intervals(
        purchase_params_from(kind, fit.params), fit.covariance, t, frequency, recency, T, options);
}

prediction_intervals conditional_expected_purchases_intervals(
    const fitted_model& model, double t, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, const interval_options& options,
    std::string_view argument, std::string_view source) {
    const purchase_params params = purchase_params_of(model, argument);
    if (options.method == interval_method::nonparametric_bootstrap)
        return conditional_expected_purchases_intervals(params, Eigen::MatrixXd(), t, frequency,
                                                        recency, T, options);
    return conditional_expected_purchases_intervals(params, covariance_of(model, argument, source),
                                                    t, frequency, recency, T, options);
}

namespace detail {

delta_estimate delta_method(const std::function<double(std::span<const double>)>& f,
                            std::span<const double> params, const Eigen::MatrixXd& covariance,
                            double step) {
    const std::size_t k = params.size();
    for (std::size_t j = 0; j < k; ++j)
        if (!(std::isfinite(params[j]) && params[j] > 0))
            throw invalid_argument("params",
                                   "parameter " + std::to_string(j) +
                                       " must be a "
                                       "positive finite number, got " +
                                       format_number(params[j]),
                                   format_number(params[j]));
    check_covariance(covariance, k);
    if (!(std::isfinite(step) && step > 0))
        throw invalid_argument("step", "must be a finite number > 0, got " + format_number(step),
                               format_number(step));
    delta_estimate d;
    d.value = f(params);
    d.gradient.resize(k);
    std::vector<double> q(params.begin(), params.end());
    for (std::size_t j = 0; j < k; ++j) {
        q[j] = params[j] * std::exp(step);
        const double up = f(q);
        q[j] = params[j] * std::exp(-step);
        const double down = f(q);
        q[j] = params[j];
        d.gradient[j] = (up - down) / (2 * step);
    }
    const Eigen::Map<const Eigen::VectorXd> g(d.gradient.data(), static_cast<Eigen::Index>(k));
    d.variance = g.dot(log_covariance(params, covariance) * g);
    return d;
}

double percentile(std::vector<double>& values, double q) {
    if (values.empty()) return nan;
    std::sort(values.begin(), values.end());
    const double h = q * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    if (lo + 1 >= values.size()) return values.back();
    return values[lo] + (h - static_cast<double>(lo)) * (values[lo + 1] - values[lo]);
}

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
