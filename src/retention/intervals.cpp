// Prediction intervals for the expected purchases (see custometrics/retention/intervals.hpp).
#include "custometrics/retention/intervals.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <variant>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
/// Distinct customer rows per block of the bootstrap evaluation (fixed: the totals are summed
/// block by block in block order, so they do not depend on the thread count).
constexpr std::size_t block_rows = 32;

// Quantiles in plain double (Boost.Math would promote to long double, whose width differs
// between platforms; as generate.cpp).
using quantile_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

/// The standard deviation of a delta-method variance g'Sg. A slightly negative one (rounding)
/// is 0; one that is not a number (a prediction or its gradient not finite at the fitted
/// parameters) is a `data_error` ("interval"), never a zero-width interval.
double delta_sd(double variance) {
    if (std::isnan(variance))
        throw data_error("interval: the delta method's variance of a prediction is not a number "
                         "(the prediction or its gradient is not finite at the fitted "
                         "parameters); the parametric bootstrap does not need the gradient",
                         error_context{"interval", {}, {}, {}, "nan"});
    return std::sqrt(std::max(0.0, variance));
}

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

void check_covariance(const Eigen::MatrixXd& covariance, std::size_t k,
                      const char* argument = "covariance") {
    const auto K = static_cast<Eigen::Index>(k);
    if (covariance.rows() != K || covariance.cols() != K)
        throw invalid_argument(argument, "must be " + std::to_string(k) + " x " +
                                             std::to_string(k) + ", got " +
                                             std::to_string(covariance.rows()) + " x " +
                                             std::to_string(covariance.cols()));
    if (!covariance.allFinite())
        throw invalid_argument(argument,
                               "has a value that is not finite (the fit reported no standard "
                               "errors: its information matrix was not positive definite)");
}

/// The level in (0, 1) and, for a bootstrap, at least 2 draws; a horizon `t` that is finite
/// and >= 0.
void check_interval_options(const interval_options& options, double t = 0) {
    if (!(options.level > 0 && options.level < 1))
        throw invalid_argument("level",
                               "must be in (0, 1), got " + detail::format_number(options.level),
                               detail::format_number(options.level));
    if (options.method != interval_method::delta && options.draws < 2)
        throw invalid_argument(
            "draws", "a bootstrap needs at least 2 draws, got " + std::to_string(options.draws),
            std::to_string(options.draws));
    if (!(std::isfinite(t) && t >= 0))
        throw invalid_argument(
            "t", "the horizon must be a finite number >= 0, got " + detail::format_number(t),
            detail::format_number(t));
}

/// An empty result of `options`' method, level, draws (0 for delta) and seed.
prediction_intervals started(const interval_options& options) {
    prediction_intervals out;
    out.method = options.method;
    out.level = options.level;
    out.draws = options.method != interval_method::delta ? options.draws : 0;
    out.seed = options.seed;
    return out;
}

/// The lifetime value's covariances, k x k and 3 x 3, unless the method does not use them.
void check_clv_covariances(const interval_options& options, const Eigen::MatrixXd& purchase,
                           std::size_t k, const Eigen::MatrixXd& spend) {
    if (options.method == interval_method::nonparametric_bootstrap) return;
    check_covariance(purchase, k, "purchase_covariance");
    check_covariance(spend, 3, "spend_covariance");
}

/// The covariance of (log p, c) from that of (p, c), where the first p.size() parameters are
/// positive and taken on the log scale and the rest (covariate coefficients) as they are:
/// Sigma_theta(i, j) = Sigma(i, j) / (d_i d_j) with d_i = p_i for i < p.size(), else 1.
Eigen::MatrixXd log_covariance(std::span<const double> p, const Eigen::MatrixXd& covariance) {
    Eigen::MatrixXd s = covariance;
    const auto scale = [&](Eigen::Index i) {
        return static_cast<std::size_t>(i) < p.size() ? p[static_cast<std::size_t>(i)] : 1.0;
    };
    for (Eigen::Index i = 0; i < s.rows(); ++i)
        for (Eigen::Index j = 0; j < s.cols(); ++j)
            s(i, j) /= scale(i) * scale(j);
    return s;
}

/// The parameter draws of a bootstrap: parameters (P: purchase_params, or covariate_model) per
/// draw, or the reason the draw failed.
template <class P> struct draws_of {
    std::vector<std::optional<P>> params;
    std::vector<std::string> failure;
};
using draw_set = draws_of<purchase_params>;

/// `draws` normal shifts L z_b (L the Cholesky factor of the log-scale covariance `s`, z_b
/// standard normal from `engine`, k per draw in the parameters' order).
std::vector<Eigen::VectorXd> normal_shifts(const Eigen::MatrixXd& s, std::size_t draws,
                                           std::mt19937_64& engine, const char* argument) {
    const Eigen::LLT<Eigen::MatrixXd> llt(0.5 * (s + s.transpose()));
    if (llt.info() != Eigen::Success)
        throw invalid_argument(argument, "is not positive definite: no parametric bootstrap");
    const Eigen::MatrixXd L = llt.matrixL();
    const Eigen::Index K = s.rows();
    const boost::math::normal_distribution<double, quantile_policy> normal;
    std::vector<Eigen::VectorXd> out(draws);
    Eigen::VectorXd z(K);
    for (std::size_t b = 0; b < draws; ++b) {
        for (Eigen::Index j = 0; j < K; ++j) // draw b's normals, in the parameters' order
            z[j] = boost::math::quantile(normal, uniform01(engine));
        out[b] = L * z;
    }
    return out;
}

/// `draws` parameter vectors p exp(L z_b) (`normal_shifts` of the log-parameters' covariance).
std::vector<std::vector<double>> log_normal_draws(std::span<const double> p,
                                                  const Eigen::MatrixXd& covariance,
                                                  std::size_t draws, std::mt19937_64& engine,
                                                  const char* argument) {
    const auto shifts = normal_shifts(log_covariance(p, covariance), draws, engine, argument);
    std::vector<std::vector<double>> out(draws, std::vector<double>(p.size()));
    for (std::size_t b = 0; b < draws; ++b)
        for (std::size_t j = 0; j < p.size(); ++j)
            out[b][j] = p[j] * std::exp(shifts[b][static_cast<Eigen::Index>(j)]);
    return out;
}

draw_set parametric_draws(purchase_model_kind kind, std::span<const double> p,
                          const Eigen::MatrixXd& covariance, const interval_options& options,
                          std::mt19937_64& engine, const char* argument = "covariance") {
    const auto q = log_normal_draws(p, covariance, options.draws, engine, argument);
    draw_set d;
    d.params.resize(options.draws);
    d.failure.resize(options.draws);
    for (std::size_t b = 0; b < options.draws; ++b) {
        try {
            d.params[b] = purchase_params_from(kind, q[b]);
        } catch (const std::exception& e) {
            d.failure[b] = e.what();
        }
    }
    return d;
}

draw_set parametric_draws(purchase_model_kind kind, std::span<const double> p,
                          const Eigen::MatrixXd& covariance, const interval_options& options) {
    std::mt19937_64 engine(options.seed);
    return parametric_draws(kind, p, covariance, options, engine);
}

/// Called per nonparametric draw b with the resample's count of each customer; returns the
/// reason the draw's extra refit failed, or "" (the lifetime value's Gamma-Gamma refit).
using resample_hook = std::function<std::string(std::size_t, const std::vector<double>&)>;

/// The draws of a nonparametric bootstrap over `n` customers: draw b resamples n of them with
/// replacement (an mt19937_64 seeded with the b-th output of the engine seeded with
/// `options.seed`) and calls `refit(counts, failure)` with each customer's count in the
/// resample; it returns the draw's parameters, or none with `failure` set. Draws run in
/// parallel, one refit per thread, so the results do not depend on the thread count.
template <class P, class Refit>
draws_of<P> resample_draws(std::size_t n, const interval_options& options, Refit&& refit) {
    const std::size_t B = options.draws;
    std::mt19937_64 master(options.seed);
    std::vector<std::uint64_t> seeds(B);
    for (auto& s : seeds)
        s = master();
    draws_of<P> d;
    d.params.resize(B);
    d.failure.resize(B);
    detail::parallel_chunks(B, detail::thread_count(B, options.threads, 1),
                            [&](std::size_t begin, std::size_t end, unsigned) {
                                std::vector<double> counts;
                                for (std::size_t b = begin; b < end; ++b) {
                                    std::mt19937_64 engine(seeds[b]);
                                    counts.assign(n, 0.0);
                                    for (std::size_t i = 0; i < n; ++i) {
                                        const double u = uniform01(engine);
                                        counts[std::min(static_cast<std::size_t>(
                                                            u * static_cast<double>(n)),
                                                        n - 1)] += 1.0;
                                    }
                                    try {
                                        d.params[b] = refit(b, counts, d.failure[b]);
                                    } catch (const std::exception& e) {
                                        d.params[b].reset();
                                        d.failure[b] = std::string("refit failed: ") + e.what();
                                    }
                                }
                            });
    return d;
}

/// The options of the bootstrap's refits: one thread each (the same arithmetic whatever the
/// thread count), started at the fitted parameters `initial`.
fit_options refit_options(const interval_options& options, std::span<const double> initial) {
    fit_options fo = options.fit;
    fo.threads = 1;
    fo.initial.assign(initial.begin(), initial.end());
    return fo;
}

draw_set nonparametric_draws(purchase_model_kind kind, std::span<const double> p,
                             const compressed_summary& rows, const interval_options& options,
                             const resample_hook& hook = {}) {
    const fit_options fo = refit_options(options, p);
    const std::size_t n = rows.row_of.size();
    return resample_draws<purchase_params>(
        n, options,
        [&](std::size_t b, const std::vector<double>& counts,
            std::string& failure) -> std::optional<purchase_params> {
            compressed_summary sample = rows;
            std::fill(sample.weight.begin(), sample.weight.end(), 0.0);
            for (std::size_t i = 0; i < n; ++i)
                sample.weight[rows.row_of[i]] += counts[i];
            sample.total_weight = static_cast<double>(n);
            const fit_result f = fit_purchase_model(kind, sample, fo);
            if (!f.report.converged) {
                failure = "refit did not converge: " + f.report.reason;
                return std::nullopt;
            }
            std::optional<purchase_params> out = purchase_params_from(kind, f.params);
            if (hook) {
                failure = hook(b, counts);
                if (!failure.empty()) out.reset();
            }
            return out;
        });
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

/// The sample standard deviation (n - 1 in the denominator) of at least 2 values.
double sample_sd(std::span<const double> values) {
    double mean = 0;
    for (const double v : values)
        mean += v;
    mean /= static_cast<double>(values.size());
    double ss = 0;
    for (const double v : values)
        ss += (v - mean) * (v - mean);
    return std::sqrt(ss / static_cast<double>(values.size() - 1));
}

/// The bookkeeping of one block of a bootstrap pass: the draws' totals and first failures of
/// the block, and the values of the unit (distinct row or customer) being evaluated.
class pass_block {
public:
    pass_block(const std::vector<char>& use, double* totals, char* failed, std::string* why,
               std::string_view not_finite, bootstrap_pass& out, double level)
        : use_(use), totals_(totals), failed_(failed), why_(why), not_finite_(not_finite),
          out_(out), qlo_((1 - level) / 2), qhi_((1 + level) / 2) {
        values_.reserve(use.size());
    }

    /// Whether draw b is left out: not used in this pass, or failed earlier in this block.
    bool skip(std::size_t b) const { return !use_[b] || failed_[b]; }

    /// Flags draw b as failed in this block, keeping its first reason.
    void fail(std::size_t b, std::string_view why) {
        if (!failed_[b]) why_[b] = why;
        failed_[b] = 1;
    }

    /// Adds draw b's value `f()` of the current unit (weight w in the draw's total); an
    /// exception or a value that is not finite fails the draw instead.
    template <class F> void add(std::size_t b, F&& f, double w = 1.0) {
        double v = nan;
        try {
            v = f();
        } catch (const std::exception& e) {
            fail(b, e.what());
            return;
        }
        if (!std::isfinite(v)) {
            fail(b, not_finite_);
            return;
        }
        values_.push_back(v);
        totals_[b] += w * v;
    }

    /// Writes the standard deviation and the percentile interval of the values added since the
    /// last call into column position `unit` (left NaN with fewer than 2 values).
    void emit(std::size_t unit) {
        if (values_.size() >= 2) {
            out_.sd[unit] = sample_sd(values_);
            out_.lower[unit] = detail::percentile(values_, qlo_);
            out_.upper[unit] = detail::percentile(values_, qhi_);
        }
        values_.clear();
    }

private:
    const std::vector<char>& use_;
    double* totals_;
    char* failed_;
    std::string* why_;
    std::string_view not_finite_;
    bootstrap_pass& out_;
    double qlo_, qhi_;
    std::vector<double> values_;
};

/// One pass over `m` distinct rows in blocks of block_rows, in parallel: `body(r, block)`
/// evaluates row r's units through `block` (pass_block::add, then emit per unit). The per-unit
/// columns have `units` entries; the per-draw totals are summed block by block in block order,
/// so they do not depend on the thread count.
template <class Body>
bootstrap_pass run_blocks(std::size_t m, std::size_t units, const std::vector<char>& use,
                          std::string_view not_finite, double level, unsigned threads,
                          Body&& body) {
    const std::size_t B = use.size();
    const std::size_t blocks = (m + block_rows - 1) / block_rows;
    bootstrap_pass out;
    out.sd.assign(units, nan);
    out.lower.assign(units, nan);
    out.upper.assign(units, nan);
    std::vector<double> block_totals(blocks * B, 0.0);
    std::vector<char> block_failed(blocks * B, 0);
    std::vector<std::string> block_why(blocks * B);
    detail::parallel_chunks(blocks, detail::thread_count(blocks, threads, 1),
                            [&](std::size_t begin, std::size_t end, unsigned) {
                                for (std::size_t blk = begin; blk < end; ++blk) {
                                    pass_block block(use, &block_totals[blk * B],
                                                     &block_failed[blk * B], &block_why[blk * B],
                                                     not_finite, out, level);
                                    const std::size_t r_end = std::min(m, (blk + 1) * block_rows);
                                    for (std::size_t r = blk * block_rows; r < r_end; ++r)
                                        body(r, block);
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

/// The totals' interval and the per-row columns of `out` from the last pass over the draws
/// `use`d (`why`: the reasons of the others); `error` when fewer than 2 draws are left.
void finish_bootstrap(bootstrap_pass& pass, const std::vector<char>& use,
                      const std::vector<std::string>& why, double level,
                      prediction_intervals& out) {
    const std::size_t B = use.size();
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
    out.total_std_error = sample_sd(totals);
    out.total_lower = detail::percentile(totals, (1 - level) / 2);
    out.total_upper = detail::percentile(totals, (1 + level) / 2);
    out.std_error = std::move(pass.sd);
    out.lower = std::move(pass.lower);
    out.upper = std::move(pass.upper);
}

/// Runs `pass(use)` over the draws that exist (`use`, `why`: the draws' state before the pass)
/// and fills the bootstrap columns of `out`. A draw that failed for some unit is left out for
/// all and the pass runs again, so every interval uses the same draws (the evaluations are
/// deterministic: the second pass flags nothing new).
template <class Pass>
void bootstrap_draws(std::vector<char> use, std::vector<std::string> why, double level, Pass&& pass,
                     prediction_intervals& out) {
    bootstrap_pass result = pass(use);
    bool again = false;
    for (std::size_t b = 0; b < use.size(); ++b)
        if (use[b] && result.failed[b]) {
            use[b] = 0;
            why[b] = result.why[b];
            again = true;
        }
    if (again) result = pass(use);
    finish_bootstrap(result, use, why, level, out);
}

/// Fills the bootstrap columns of `out` for `units` units (distinct rows or customers; the
/// caller maps rows to customers): `value(params, r)` is unit r's prediction under a draw's
/// parameters, `weight(r)` its weight in the total.
template <class P, class Value, class Weight>
void bootstrap(const draws_of<P>& draws, std::size_t units, const interval_options& options,
               Value&& value, Weight&& weight, prediction_intervals& out) {
    std::vector<char> use(draws.params.size());
    for (std::size_t b = 0; b < use.size(); ++b)
        use[b] = draws.params[b].has_value() ? 1 : 0;
    const auto pass = [&](const std::vector<char>& in_use) {
        return run_blocks(units, units, in_use, "the prediction is not finite", options.level,
                          options.threads, [&](std::size_t r, pass_block& block) {
                              for (std::size_t b = 0; b < in_use.size(); ++b) {
                                  if (block.skip(b)) continue;
                                  block.add(
                                      b, [&] { return value(*draws.params[b], r); }, weight(r));
                              }
                              block.emit(r);
                          });
    };
    bootstrap_draws(std::move(use), draws.failure, options.level, pass, out);
}

/// `bootstrap` of the purchases of the distinct rows `rows` over `t` periods.
void bootstrap(const draw_set& draws, const compressed_summary& rows, double t,
               const interval_options& options, prediction_intervals& out) {
    bootstrap(
        draws, rows.size(), options,
        [&](const purchase_params& p, std::size_t r) {
            return conditional_expected_purchases(p, t, rows.frequency[r], rows.recency[r],
                                                  rows.T[r]);
        },
        [&](std::size_t r) { return rows.weight[r]; }, out);
}

/// The delta-method intervals of `out` from its estimates and standard errors (per unit and
/// total): estimate -/+ z se, z the normal quantile at (1 + level) / 2, lower ends clamped at 0.
void finish_delta(prediction_intervals& out, double level) {
    const double z = boost::math::quantile(
        boost::math::normal_distribution<double, quantile_policy>(), (1 + level) / 2);
    const std::size_t n = out.estimate.size();
    out.lower.resize(n);
    out.upper.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.lower[i] = std::max(0.0, out.estimate[i] - z * out.std_error[i]);
        out.upper[i] = out.estimate[i] + z * out.std_error[i];
    }
    out.total_lower = std::max(0.0, out.total - z * out.total_std_error);
    out.total_upper = out.total + z * out.total_std_error;
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
                out.std_error[r] = delta_sd(d.variance);
                std::copy(d.gradient.begin(), d.gradient.end(), gradients.begin() + r * k);
            }
        });
    Eigen::VectorXd total_gradient = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k));
    for (std::size_t r = 0; r < m; ++r)
        for (std::size_t j = 0; j < k; ++j)
            total_gradient[static_cast<Eigen::Index>(j)] += rows.weight[r] * gradients[r * k + j];
    const double total_variance =
        total_gradient.dot(log_covariance(p, covariance) * total_gradient);
    out.total_std_error = delta_sd(total_variance);
    finish_delta(out, options.level); // out.estimate holds the per-row estimates here
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
    check_interval_options(options, t);
    const purchase_model_kind kind = kind_of(params);
    const std::vector<double> p = parameter_values(params);
    if (options.method != interval_method::nonparametric_bootstrap)
        check_covariance(covariance, p.size());
    const compressed_summary rows = compress_summary(frequency, recency, T);

    prediction_intervals out = started(options);
    out.horizon = t;
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

namespace {

/// A model with covariates given without its customers' covariates: `invalid_argument` naming
/// "covariates" (the covariate overloads take them).
[[noreturn]] void refuse_without_covariates(const fitted_model& model, std::string_view argument) {
    throw invalid_argument("covariates", "the " + model.model + " model of " +
                                             std::string(argument) +
                                             " was fitted with covariates: its intervals need "
                                             "the customers' covariates");
}

/// The customers of covariate intervals: their rows, the design (customers x coded columns,
/// with the coefficient layout) and each customer's covariates as contiguous rows.
struct covariate_customers {
    std::span<const double> x, tx, T;
    const covariate_design& design;
    std::vector<double> z_life, z_trans; ///< row-major copies of design.life, design.trans

    covariate_customers(std::span<const double> x_, std::span<const double> tx_,
                        std::span<const double> T_, const covariate_design& d)
        : x(x_), tx(tx_), T(T_), design(d) {
        const auto copy = [&](const Eigen::MatrixXd& m, std::vector<double>& out) {
            out.resize(static_cast<std::size_t>(m.size()));
            Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                out.data(), m.rows(), m.cols()) = m;
        };
        copy(d.life, z_life);
        copy(d.trans, z_trans);
    }
    std::size_t size() const noexcept { return x.size(); }
    std::span<const double> life(std::size_t i) const {
        const auto c = static_cast<std::size_t>(design.life.cols());
        return std::span<const double>(z_life).subspan(i * c, c);
    }
    std::span<const double> trans(std::size_t i) const {
        const auto c = static_cast<std::size_t>(design.trans.cols());
        return std::span<const double>(z_trans).subspan(i * c, c);
    }
    /// Customer i's expected purchases over t under `model`.
    double purchases(const covariate_model& model, double t, std::size_t i) const {
        return conditional_expected_purchases(customer_params(model, life(i), trans(i)), t, x[i],
                                              tx[i], T[i]);
    }
};

/// Per unit (a distinct row, or a customer with covariates) a function of the purchase
/// parameters, its delta variance and its gradient in theta_p (m per unit), with the log-scale
/// covariance S of theta_p: the purchase side of the delta methods.
struct unit_gradients {
    std::vector<double> value, variance, gradient;
    std::size_t m = 0;
    Eigen::MatrixXd S;

    /// The delta standard deviation of sum_u w_u value_u.
    template <class Weight> double total_sd(Weight&& weight) const {
        Eigen::VectorXd g = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m));
        for (std::size_t u = 0; u < value.size(); ++u)
            for (std::size_t j = 0; j < m; ++j)
                g[static_cast<Eigen::Index>(j)] += weight(u) * gradient[u * m + j];
        return delta_sd(g.dot(S * g));
    }
};

/// `unit_gradients` of f(customer's parameters, i) for every customer with covariates: the
/// gradient of f_i in theta = (log p, coefficients) by the chain rule through the customer's
/// linear predictors eta = (g_life' z_i, g_trans' z_i): d f_i / d log p_j and d f_i / d eta by
/// central differences at the customer's own parameters (`central_gradient`, the step of the
/// models without covariates), then d f_i / d g_m = sum of z_ik d f_i / d eta over the columns
/// k that use coefficient m (a constrained one: its life and its trans column). With every eta
/// 0 the log p part is the plain model's gradient exactly.
template <class F>
unit_gradients covariate_gradients(const covariate_model& model, const Eigen::MatrixXd& covariance,
                                   const covariate_customers& in, unsigned threads, F&& f) {
    const purchase_model_kind kind = kind_of(model.base);
    const std::vector<double> p = parameter_values(model.base);
    const covariate_coefficients& c = model.coefficients;
    const covariate_design& d = in.design;
    const std::size_t n = in.size();
    const std::size_t k = p.size();
    const std::size_t m = k + d.coefficient_names.size();
    unit_gradients out;
    out.m = m;
    out.S = log_covariance(p, covariance);
    out.value.assign(n, nan);
    out.variance.assign(n, nan);
    out.gradient.assign(n * m, 0.0);
    detail::parallel_chunks(
        n, detail::thread_count(n, threads, 256),
        [&](std::size_t begin, std::size_t end, unsigned) {
            std::vector<double> point(k + 2);
            for (std::size_t i = begin; i < end; ++i) {
                const std::span<const double> zl = in.life(i), zt = in.trans(i);
                std::copy(p.begin(), p.end(), point.begin());
                point[k] = 0.0;
                point[k + 1] = 0.0;
                for (std::size_t l = 0; l < zl.size(); ++l)
                    point[k] += c.life[l] * zl[l];
                for (std::size_t l = 0; l < zt.size(); ++l)
                    point[k + 1] += c.trans[l] * zt[l];
                const auto g = [&](std::span<const double> q) {
                    return f(
                        customer_params(purchase_params_from(kind, q.first(k)), q[k], q[k + 1]), i);
                };
                out.value[i] = g(point);
                const std::vector<double> eg = detail::central_gradient(g, point, k);
                double* J = &out.gradient[i * m];
                std::copy(eg.begin(), eg.begin() + static_cast<std::ptrdiff_t>(k), J);
                for (std::size_t l = 0; l < zl.size(); ++l)
                    J[k + d.life_coefficient[l]] += zl[l] * eg[k];
                for (std::size_t l = 0; l < zt.size(); ++l)
                    J[k + d.trans_coefficient[l]] += zt[l] * eg[k + 1];
                const Eigen::Map<const Eigen::VectorXd> Jv(J, static_cast<Eigen::Index>(m));
                out.variance[i] = Jv.dot(out.S * Jv);
            }
        });
    return out;
}

/// Fills the delta-method columns of `out` per customer (`covariate_gradients` of the purchases).
void covariate_delta(const covariate_model& model, const Eigen::MatrixXd& covariance,
                     const covariate_customers& in, double t, const interval_options& options,
                     prediction_intervals& out) {
    const unit_gradients g = covariate_gradients(
        model, covariance, in, options.threads, [&](const purchase_params& q, std::size_t i) {
            return conditional_expected_purchases(q, t, in.x[i], in.tx[i], in.T[i]);
        });
    out.std_error.resize(g.value.size());
    for (std::size_t i = 0; i < g.value.size(); ++i)
        out.std_error[i] = delta_sd(g.variance[i]);
    out.total_std_error = g.total_sd([](std::size_t) { return 1.0; });
    finish_delta(out, options.level);
}

/// Called with the engine between draws (the lifetime value's spend draws).
using engine_hook = std::function<void(std::mt19937_64&)>;

/// The parametric draws of a covariate model: the base parameters exactly as the model without
/// covariates draws them from their own block of the covariance (the same seed gives the same
/// base draws), then the coefficients from their conditional normal given the base draw:
/// c_b = c + A s_b + F w_b, where s_b is the base draw's log shift, A = S_cp S_pp^-1,
/// F F' = S_cc - A S_pc (from its eigen decomposition, so that a zero block, fixed
/// coefficients, is allowed: F = 0) and w_b standard normal from the same engine after all base
/// draws and after `after_base(engine)` (the lifetime value's spend draws, so that they are the
/// plain model's too). Jointly (log p_b, c_b) is the normal of the full log-scale covariance S.
draws_of<covariate_model> covariate_parametric_draws(const covariate_model& model,
                                                     const covariate_design& layout,
                                                     const Eigen::MatrixXd& covariance,
                                                     const interval_options& options,
                                                     std::mt19937_64& engine,
                                                     const char* argument = "covariance",
                                                     const engine_hook& after_base = {}) {
    const purchase_model_kind kind = kind_of(model.base);
    const std::vector<double> p = parameter_values(model.base);
    const auto k = static_cast<Eigen::Index>(p.size());
    const Eigen::Index c = covariance.rows() - k;
    const std::size_t B = options.draws;
    const Eigen::MatrixXd S = log_covariance(p, covariance);
    const auto shifts = normal_shifts(S.topLeftCorner(k, k), B, engine, argument);
    if (after_base) after_base(engine); // the lifetime value's spend draws
    const Eigen::MatrixXd Spp = 0.5 * (S.topLeftCorner(k, k) + S.topLeftCorner(k, k).transpose());
    const Eigen::MatrixXd Spc = 0.5 * (S.topRightCorner(k, c) + S.bottomLeftCorner(c, k).transpose());
    const Eigen::MatrixXd A = Eigen::LLT<Eigen::MatrixXd>(Spp).solve(Spc).transpose();
    Eigen::MatrixXd C = S.bottomRightCorner(c, c) - A * Spc;
    C = 0.5 * (C + C.transpose()).eval();
    Eigen::MatrixXd F = Eigen::MatrixXd::Zero(c, c);
    if (c > 0) {
        const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(C);
        const Eigen::VectorXd lambda = es.eigenvalues();
        const double largest = std::max(lambda.cwiseAbs().maxCoeff(), 1e-300);
        if (es.info() != Eigen::Success || lambda.minCoeff() < -1e-9 * largest)
            throw invalid_argument(argument, "the coefficients' block is not positive "
                                             "semidefinite: no parametric bootstrap");
        F = es.eigenvectors() * lambda.cwiseMax(0.0).cwiseSqrt().asDiagonal();
    }
    const std::vector<double> g = coefficient_vector(model.coefficients, layout);
    const Eigen::Map<const Eigen::VectorXd> gv(g.data(), c);
    const boost::math::normal_distribution<double, quantile_policy> normal;
    draws_of<covariate_model> d;
    d.params.resize(B);
    d.failure.resize(B);
    Eigen::VectorXd w(c);
    std::vector<double> q(p.size());
    for (std::size_t b = 0; b < B; ++b) {
        for (Eigen::Index j = 0; j < c; ++j) // after every base draw, in the layout's order
            w[j] = boost::math::quantile(normal, uniform01(engine));
        const Eigen::VectorXd cb = gv + A * shifts[b] + F * w;
        for (std::size_t j = 0; j < p.size(); ++j)
            q[j] = p[j] * std::exp(shifts[b][static_cast<Eigen::Index>(j)]);
        try {
            d.params[b] = covariate_model{
                purchase_params_from(kind, q),
                with_coefficient_vector(model.coefficients, layout,
                                        std::span<const double>(cb.data(), g.size()))};
        } catch (const std::exception& e) {
            d.failure[b] = e.what();
        }
    }
    return d;
}

/// The nonparametric draws of a covariate model: customers resampled with their covariate rows
/// (`resample_draws`, the same resamples as the model without covariates), each resample
/// refitted with covariates (`fit_with_covariates`: the layout's coefficients and penalties,
/// `options.fit` for the model parameters, started at the fitted values).
draws_of<covariate_model> covariate_nonparametric_draws(const covariate_model& model,
                                                        const covariate_customers& in,
                                                        const interval_options& options,
                                                        const resample_hook& hook = {}) {
    const purchase_model_kind kind = kind_of(model.base);
    std::vector<double> start = parameter_values(model.base);
    const std::vector<double> g = coefficient_vector(model.coefficients, in.design);
    start.insert(start.end(), g.begin(), g.end());
    const fit_options fo = refit_options(options, start);
    const std::size_t n = in.size();
    return resample_draws<covariate_model>(
        n, options,
        [&](std::size_t b, const std::vector<double>& counts,
            std::string& failure) -> std::optional<covariate_model> {
            covariate_design d = in.design; // the layout; the rows are the resample's
            std::vector<double> x, tx, T;
            std::vector<Eigen::Index> rows;
            for (std::size_t i = 0; i < n; ++i)
                for (double r = 0; r < counts[i]; ++r) {
                    x.push_back(in.x[i]);
                    tx.push_back(in.tx[i]);
                    T.push_back(in.T[i]);
                    rows.push_back(static_cast<Eigen::Index>(i));
                }
            d.life = in.design.life(rows, Eigen::all);
            d.trans = in.design.trans(rows, Eigen::all);
            const covariate_fit f = fit_with_covariates(kind, x, tx, T, d, fo);
            if (!f.fit.report.converged) {
                failure = "refit did not converge: " + f.fit.report.reason;
                return std::nullopt;
            }
            if (hook) {
                failure = hook(b, counts);
                if (!failure.empty()) return std::nullopt;
            }
            return f.model;
        });
}

/// A design of `n` customers whose columns and layout match the model's coefficients;
/// `invalid_argument` ("covariates") otherwise.
void check_covariate_design(const covariate_model& model, const covariate_design& design,
                            std::size_t n) {
    detail::check_same_length(n, design.customers(), "covariates");
    const covariate_coefficients& c = model.coefficients;
    if (design.life_coefficient.size() != c.life.size() ||
        design.trans_coefficient.size() != c.trans.size() ||
        static_cast<std::size_t>(design.life.cols()) != c.life.size() ||
        static_cast<std::size_t>(design.trans.cols()) != c.trans.size())
        throw invalid_argument("covariates", "the design's columns and coefficient layout do not "
                                             "match the model's coefficients "
                                             "(lay_out_coefficients)");
}

/// The parameters of a covariate model in the layout of `design`: base parameters and
/// coefficients.
std::size_t parameter_count(const covariate_model& model, const covariate_design& design) {
    return parameter_values(model.base).size() + design.coefficient_names.size();
}

/// The design of a fitted model with covariates for the customers `keys` of `covariates`, laid
/// out with the penalties the model records.
covariate_design design_of(const fitted_model& model, const covariate_model& m,
                           const covariate_table& covariates, std::span<const std::string> keys) {
    covariate_design d = design_for(m, covariates, keys);
    lay_out_coefficients(d, m.coefficients, model.fit ? model.fit->life_penalizer : 0.0,
                         model.fit ? model.fit->trans_penalizer : 0.0);
    return d;
}

} // namespace

prediction_intervals conditional_expected_purchases_intervals(
    const covariate_model& model, const Eigen::MatrixXd& covariance,
    const covariate_design& design, double t, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, const interval_options& options) {
    check_interval_options(options, t);
    const std::size_t n = frequency.size();
    check_covariate_design(model, design, n);
    if (options.method != interval_method::nonparametric_bootstrap)
        check_covariance(covariance, parameter_count(model, design));
    // The estimates as score computes them (checks the customers' rows).
    prediction_intervals out = started(options);
    out.horizon = t;
    out.estimate =
        conditional_expected_purchases(customer_params(model, design), t, frequency, recency, T);
    for (const double v : out.estimate)
        out.total += v;
    const covariate_customers in(frequency, recency, T, design);
    const auto value = [&](const covariate_model& m, std::size_t i) {
        return in.purchases(m, t, i);
    };
    const auto one = [](std::size_t) { return 1.0; };
    switch (options.method) {
    case interval_method::delta:
        covariate_delta(model, covariance, in, t, options, out);
        break;
    case interval_method::parametric_bootstrap: {
        std::mt19937_64 engine(options.seed);
        bootstrap(covariate_parametric_draws(model, design, covariance, options, engine), n,
                  options, value, one, out);
        break;
    }
    case interval_method::nonparametric_bootstrap:
        bootstrap(covariate_nonparametric_draws(model, in, options), n, options, value, one, out);
        break;
    }
    return out;
}

prediction_intervals conditional_expected_purchases_intervals(
    const fitted_model& model, const covariate_table& covariates,
    std::span<const std::string> keys, double t, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, const interval_options& options,
    std::string_view argument, std::string_view source) {
    const covariate_model m = covariate_model_of(model, argument);
    const covariate_design d = design_of(model, m, covariates, keys);
    if (options.method == interval_method::nonparametric_bootstrap) {
        interval_options o = options;
        if (model.fit) o.fit.penalizer = model.fit->penalizer; // refit the model that was fitted
        return conditional_expected_purchases_intervals(m, Eigen::MatrixXd(), d, t, frequency,
                                                        recency, T, o);
    }
    return conditional_expected_purchases_intervals(m, covariance_of(model, argument, source), d,
                                                    t, frequency, recency, T, options);
}

prediction_intervals conditional_expected_purchases_intervals(
    purchase_model_kind kind, const fit_result& fit, double t, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, const interval_options& options) {
    interval_options o = options;
    o.fit.penalizer = fit.penalizer; // the bootstrap refits the model that was fitted
    return conditional_expected_purchases_intervals(purchase_params_from(kind, fit.params),
                                                    fit.covariance, t, frequency, recency, T, o);
}

prediction_intervals conditional_expected_purchases_intervals(
    const fitted_model& model, double t, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, const interval_options& options,
    std::string_view argument, std::string_view source) {
    const purchase_params params = purchase_params_of(model, argument);
    if (model.covariates) refuse_without_covariates(model, argument);
    if (options.method == interval_method::nonparametric_bootstrap) {
        interval_options o = options;
        if (model.fit) o.fit.penalizer = model.fit->penalizer; // refit the model that was fitted
        return conditional_expected_purchases_intervals(params, Eigen::MatrixXd(), t, frequency,
                                                        recency, T, o);
    }
    return conditional_expected_purchases_intervals(params, covariance_of(model, argument, source),
                                                    t, frequency, recency, T, options);
}

namespace {

/// S_i: the discounted purchase stream of clv.hpp, the lifetime value at 1 per purchase.
double purchase_stream(const purchase_params& p, double x, double tx, double T,
                       const clv_options& clv) {
    return customer_lifetime_value(p, 1.0, x, tx, T, clv);
}

/// The customers of each distinct row, in input order (rows.row_of inverted).
std::vector<std::vector<std::size_t>> customers_by_row(const compressed_summary& rows) {
    std::vector<std::vector<std::size_t>> out(rows.size());
    for (std::size_t i = 0; i < rows.row_of.size(); ++i)
        out[rows.row_of[i]].push_back(i);
    return out;
}

/// The lifetime value's inputs shared by the methods.
struct clv_inputs {
    const compressed_summary& rows;
    std::span<const double> x;
    std::span<const double> m;
    const clv_options& clv;
};

/// The purchase streams' `unit_gradients` per distinct row of the model without covariates.
unit_gradients row_streams(const purchase_params& purchase, const Eigen::MatrixXd& covariance,
                           const clv_inputs& in, const interval_options& options) {
    const purchase_model_kind kind = kind_of(purchase);
    const std::vector<double> p = parameter_values(purchase);
    const std::size_t rows = in.rows.size();
    unit_gradients out;
    out.m = p.size();
    out.S = log_covariance(p, covariance);
    out.value.resize(rows);
    out.variance.resize(rows);
    out.gradient.resize(rows * out.m);
    detail::parallel_chunks(
        rows, detail::thread_count(rows, options.threads, 64),
        [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t r = begin; r < end; ++r) {
                const auto f = [&](std::span<const double> q) {
                    return purchase_stream(purchase_params_from(kind, q), in.rows.frequency[r],
                                           in.rows.recency[r], in.rows.T[r], in.clv);
                };
                const detail::delta_estimate d = detail::delta_method(f, p, covariance);
                out.value[r] = d.value;
                out.variance[r] = d.variance;
                std::copy(d.gradient.begin(), d.gradient.end(),
                          out.gradient.begin() + static_cast<std::ptrdiff_t>(r * out.m));
            }
        });
    return out;
}

/// Fills the delta-method columns of `out` per customer (out.estimate holds the values) from the
/// purchase streams `stream` of each customer's unit `unit_of(i)` and the spend model.
template <class UnitOf>
void clv_delta(const unit_gradients& stream, UnitOf&& unit_of, const gamma_gamma_params& spend,
               const Eigen::MatrixXd& spend_covariance, const clv_inputs& in,
               const interval_options& options, prediction_intervals& out) {
    const std::vector<double> g{spend.p, spend.q, spend.v};
    const std::size_t n = in.x.size();
    const std::size_t kp = stream.m;
    // Per customer: s_i and its gradient in log g; the product rule for CLV_i = s_i S_u.
    Eigen::VectorXd total_p = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(kp));
    Eigen::VectorXd total_g = Eigen::VectorXd::Zero(3);
    out.std_error.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = unit_of(i);
        const auto f = [&](std::span<const double> q) {
            return conditional_expected_average_spend(gamma_gamma_params_from(q), in.x[i], in.m[i]);
        };
        const detail::delta_estimate d = detail::delta_method(f, g, spend_covariance);
        const double var = d.value * d.value * stream.variance[r] +
                           stream.value[r] * stream.value[r] * d.variance;
        out.std_error[i] = delta_sd(var);
        for (std::size_t j = 0; j < kp; ++j)
            total_p[static_cast<Eigen::Index>(j)] += d.value * stream.gradient[r * kp + j];
        for (std::size_t j = 0; j < 3; ++j)
            total_g[static_cast<Eigen::Index>(j)] += stream.value[r] * d.gradient[j];
    }
    const double total_variance = total_p.dot(stream.S * total_p) +
                                  total_g.dot(log_covariance(g, spend_covariance) * total_g);
    out.total_std_error = delta_sd(total_variance);
    finish_delta(out, options.level);
}

/// The joint draws of a lifetime value bootstrap: purchase (P: purchase_params or
/// covariate_model) and spend parameters per draw.
template <class P> struct clv_draws_of {
    draws_of<P> purchase;
    std::vector<std::optional<gamma_gamma_params>> spend;
};
using clv_draw_set = clv_draws_of<purchase_params>;

/// Fills the bootstrap columns of `out` per customer from the joint draws: per unit (distinct
/// row, or customer with covariates) the purchase stream `stream(params, u)` of each draw, then
/// per customer of the unit (`by_unit[u]`) its spend.
template <class P, class Stream>
void clv_bootstrap(const clv_draws_of<P>& draws, const std::vector<std::vector<std::size_t>>& by_unit,
                   Stream&& stream_of, const clv_inputs& in, const interval_options& options,
                   prediction_intervals& out) {
    const std::size_t B = draws.spend.size();
    std::vector<char> use(B);
    for (std::size_t b = 0; b < B; ++b)
        use[b] = draws.purchase.params[b] && draws.spend[b] ? 1 : 0;
    const auto pass = [&](const std::vector<char>& in_use) {
        return run_blocks(
            by_unit.size(), in.x.size(), in_use, "the lifetime value is not finite", options.level,
            options.threads, [&](std::size_t r, pass_block& block) {
                std::vector<double> stream(B, nan);
                for (std::size_t b = 0; b < B; ++b) {
                    if (block.skip(b)) continue;
                    try {
                        stream[b] = stream_of(*draws.purchase.params[b], r);
                    } catch (const std::exception& e) {
                        block.fail(b, e.what());
                    }
                }
                for (const std::size_t i : by_unit[r]) {
                    for (std::size_t b = 0; b < B; ++b) {
                        if (block.skip(b)) continue;
                        block.add(b, [&] {
                            return stream[b] * conditional_expected_average_spend(*draws.spend[b],
                                                                                  in.x[i], in.m[i]);
                        });
                    }
                    block.emit(i);
                }
            });
    };
    bootstrap_draws(std::move(use), draws.purchase.failure, options.level, pass, out);
}

/// The lifetime value's intervals by `options.method` once `out` holds the estimates: the delta
/// method from the purchase streams `streams()` of each customer's unit `unit_of(i)`; the
/// parametric bootstrap from the purchase draws `purchase_draws(engine, draw_spend)`, which
/// calls `draw_spend(engine)` after the base parameters' draws (the spend draws from the same
/// engine); the nonparametric bootstrap from `purchase_refits(hook)`, whose
/// hook refits the Gamma-Gamma model on each resample; both bootstraps evaluate the purchase
/// stream `stream_of(params, unit)` per unit of `by_unit` (customers per unit).
template <class Streams, class UnitOf, class Draws, class Refits, class Stream>
void clv_methods(const gamma_gamma_params& spend, const Eigen::MatrixXd& spend_covariance,
                 const clv_inputs& in, const interval_options& options, prediction_intervals& out,
                 Streams&& streams, UnitOf&& unit_of, Draws&& purchase_draws,
                 Refits&& purchase_refits, const std::vector<std::vector<std::size_t>>& by_unit,
                 Stream&& stream_of) {
    const std::vector<double> g{spend.p, spend.q, spend.v};
    switch (options.method) {
    case interval_method::delta:
        clv_delta(streams(), unit_of, spend, spend_covariance, in, options, out);
        break;
    case interval_method::parametric_bootstrap: {
        std::mt19937_64 engine(options.seed);
        std::vector<std::optional<gamma_gamma_params>> spend_draws;
        const engine_hook draw_spend = [&](std::mt19937_64& e) {
            for (auto& q :
                 log_normal_draws(g, spend_covariance, options.draws, e, "spend_covariance"))
                spend_draws.emplace_back(gamma_gamma_params_from(q));
        };
        auto purchase = purchase_draws(engine, draw_spend);
        clv_draws_of<typename decltype(purchase.params)::value_type::value_type> d{
            std::move(purchase), std::move(spend_draws)}; // spend drawn by draw_spend
        clv_bootstrap(d, by_unit, stream_of, in, options, out);
        break;
    }
    case interval_method::nonparametric_bootstrap: {
        std::vector<std::optional<gamma_gamma_params>> spend_draws(options.draws);
        fit_options so = options.spend_fit;
        so.threads = 1;
        so.initial = g;
        const resample_hook refit_spend = [&](std::size_t b, const std::vector<double>& counts) {
            try {
                const spend_sample s = select_spend_sample(in.x, in.m, counts);
                const fit_result f = fit_gamma_gamma(s, so);
                if (!f.report.converged)
                    return "Gamma-Gamma refit did not converge: " + f.report.reason;
                spend_draws[b] = gamma_gamma_params_from(f);
            } catch (const std::exception& e) {
                return std::string("Gamma-Gamma refit failed: ") + e.what();
            }
            return std::string();
        };
        auto purchase = purchase_refits(refit_spend);
        clv_draws_of<typename decltype(purchase.params)::value_type::value_type> d{
            std::move(purchase), std::move(spend_draws)}; // spend filled by refit_spend
        clv_bootstrap(d, by_unit, stream_of, in, options, out);
        break;
    }
    }
}

} // namespace

prediction_intervals customer_lifetime_value_intervals(
    const purchase_params& purchase, const Eigen::MatrixXd& purchase_covariance,
    const gamma_gamma_params& spend, const Eigen::MatrixXd& spend_covariance,
    std::span<const double> frequency, std::span<const double> recency, std::span<const double> T,
    std::span<const double> monetary, const clv_options& clv, const interval_options& options) {
    check_interval_options(options);
    detail::check_same_length(frequency.size(), monetary.size(), "monetary");
    const purchase_model_kind kind = kind_of(purchase);
    const std::vector<double> p = parameter_values(purchase);
    check_clv_covariances(options, purchase_covariance, p.size(), spend_covariance);
    prediction_intervals out = started(options);
    // Checks the customers and the options; the same arithmetic as score's `clv`.
    out.estimate = customer_lifetime_value(purchase, spend, frequency, recency, T, monetary, clv);
    out.horizon = clv.months * clv.periods_per_month;
    for (const double v : out.estimate)
        out.total += v;
    const compressed_summary rows = compress_summary(frequency, recency, T);
    const clv_inputs in{rows, frequency, monetary, clv};
    clv_methods(
        spend, spend_covariance, in, options, out,
        [&] { return row_streams(purchase, purchase_covariance, in, options); },
        [&](std::size_t i) { return static_cast<std::size_t>(rows.row_of[i]); },
        [&](std::mt19937_64& engine, const engine_hook& draw_spend) {
            draw_set d = parametric_draws(kind, p, purchase_covariance, options, engine,
                                          "purchase_covariance");
            draw_spend(engine);
            return d;
        },
        [&](const resample_hook& hook) { return nonparametric_draws(kind, p, rows, options, hook); },
        customers_by_row(rows),
        [&](const purchase_params& q, std::size_t r) {
            return purchase_stream(q, rows.frequency[r], rows.recency[r], rows.T[r], clv);
        });
    return out;
}

prediction_intervals customer_lifetime_value_intervals(
    const fitted_model& purchase, const fitted_model& spend, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, std::span<const double> monetary,
    const clv_options& clv, const interval_options& options, std::string_view purchase_argument,
    std::string_view spend_argument, std::string_view purchase_source,
    std::string_view spend_source) {
    const purchase_params p = purchase_params_of(purchase, purchase_argument);
    if (purchase.covariates) refuse_without_covariates(purchase, purchase_argument);
    const gamma_gamma_params g = spend_params_of(spend, spend_argument);
    if (options.method == interval_method::nonparametric_bootstrap) {
        interval_options o = options; // the refits use each model's own penalizer
        if (purchase.fit) o.fit.penalizer = purchase.fit->penalizer;
        if (spend.fit) o.spend_fit.penalizer = spend.fit->penalizer;
        return customer_lifetime_value_intervals(p, Eigen::MatrixXd(), g, Eigen::MatrixXd(),
                                                 frequency, recency, T, monetary, clv, o);
    }
    const Eigen::MatrixXd& pc = covariance_of(purchase, purchase_argument, purchase_source);
    const Eigen::MatrixXd& gc = covariance_of(spend, spend_argument, spend_source); // after pc
    return customer_lifetime_value_intervals(p, pc, g, gc, frequency, recency, T, monetary, clv,
                                             options);
}

prediction_intervals customer_lifetime_value_intervals(
    const covariate_model& purchase, const Eigen::MatrixXd& purchase_covariance,
    const covariate_design& design, const gamma_gamma_params& spend,
    const Eigen::MatrixXd& spend_covariance, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, std::span<const double> monetary,
    const clv_options& clv, const interval_options& options) {
    check_interval_options(options);
    const std::size_t n = frequency.size();
    detail::check_same_length(n, monetary.size(), "monetary");
    check_covariate_design(purchase, design, n);
    check_clv_covariances(options, purchase_covariance, parameter_count(purchase, design),
                          spend_covariance);
    prediction_intervals out = started(options);
    out.horizon = clv.months * clv.periods_per_month;
    // Score's `clv` with covariates: each customer at its own parameters (the checks of
    // `customer_lifetime_value`).
    const std::vector<purchase_params> per = customer_params(purchase, design);
    detail::check_summary(frequency, recency, T);
    detail::check_spend_customers(frequency, monetary);
    out.estimate.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.estimate[i] = customer_lifetime_value(per[i], spend, frequency[i], recency[i], T[i],
                                                  monetary[i], clv);
        out.total += out.estimate[i];
    }
    const covariate_customers cin(frequency, recency, T, design);
    const compressed_summary none;
    const clv_inputs in{none, frequency, monetary, clv};
    std::vector<std::vector<std::size_t>> by_customer(n);
    for (std::size_t i = 0; i < n; ++i)
        by_customer[i] = {i};
    const auto stream = [&](const purchase_params& q, std::size_t i) {
        return purchase_stream(q, frequency[i], recency[i], T[i], clv);
    };
    clv_methods(
        spend, spend_covariance, in, options, out,
        [&] { return covariate_gradients(purchase, purchase_covariance, cin, options.threads,
                                         stream); },
        [](std::size_t i) { return i; },
        [&](std::mt19937_64& engine, const engine_hook& draw_spend) {
            return covariate_parametric_draws(purchase, design, purchase_covariance, options,
                                              engine, "purchase_covariance", draw_spend);
        },
        [&](const resample_hook& hook) {
            return covariate_nonparametric_draws(purchase, cin, options, hook);
        },
        by_customer, [&](const covariate_model& m, std::size_t i) {
            return stream(customer_params(m, cin.life(i), cin.trans(i)), i);
        });
    return out;
}

prediction_intervals customer_lifetime_value_intervals(
    const fitted_model& purchase, const fitted_model& spend, const covariate_table& covariates,
    std::span<const std::string> keys, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, std::span<const double> monetary,
    const clv_options& clv, const interval_options& options, std::string_view purchase_argument,
    std::string_view spend_argument, std::string_view purchase_source,
    std::string_view spend_source) {
    const covariate_model m = covariate_model_of(purchase, purchase_argument);
    const gamma_gamma_params g = spend_params_of(spend, spend_argument);
    const covariate_design d = design_of(purchase, m, covariates, keys);
    if (options.method == interval_method::nonparametric_bootstrap) {
        interval_options o = options; // the refits use each model's own penalizer
        if (purchase.fit) o.fit.penalizer = purchase.fit->penalizer;
        if (spend.fit) o.spend_fit.penalizer = spend.fit->penalizer;
        return customer_lifetime_value_intervals(m, Eigen::MatrixXd(), d, g, Eigen::MatrixXd(),
                                                 frequency, recency, T, monetary, clv, o);
    }
    const Eigen::MatrixXd& pc = covariance_of(purchase, purchase_argument, purchase_source);
    const Eigen::MatrixXd& gc = covariance_of(spend, spend_argument, spend_source); // after pc
    return customer_lifetime_value_intervals(m, pc, d, g, gc, frequency, recency, T, monetary, clv,
                                             options);
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
    d.gradient = central_gradient(f, params, k, step);
    const Eigen::Map<const Eigen::VectorXd> g(d.gradient.data(), static_cast<Eigen::Index>(k));
    d.variance = g.dot(log_covariance(params, covariance) * g);
    return d;
}

std::vector<double> central_gradient(const std::function<double(std::span<const double>)>& f,
                                     std::span<const double> point, std::size_t log_count,
                                     double step) {
    std::vector<double> gradient(point.size());
    std::vector<double> q(point.begin(), point.end());
    for (std::size_t j = 0; j < point.size(); ++j) {
        const bool log_scale = j < log_count;
        q[j] = log_scale ? point[j] * std::exp(step) : point[j] + step;
        const double up = f(q);
        q[j] = log_scale ? point[j] * std::exp(-step) : point[j] - step;
        const double down = f(q);
        q[j] = point[j];
        gradient[j] = (up - down) / (2 * step);
    }
    return gradient;
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
