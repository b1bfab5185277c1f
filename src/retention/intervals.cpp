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

/// The level in (0, 1) and, for a bootstrap, at least 2 draws.
void check_interval_options(const interval_options& options) {
    if (!(options.level > 0 && options.level < 1))
        throw invalid_argument("level",
                               "must be in (0, 1), got " + detail::format_number(options.level),
                               detail::format_number(options.level));
    if (options.method != interval_method::delta && options.draws < 2)
        throw invalid_argument(
            "draws", "a bootstrap needs at least 2 draws, got " + std::to_string(options.draws),
            std::to_string(options.draws));
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

/// `draws` parameter vectors p exp(L z_b) (L the Cholesky factor of the log-parameters'
/// covariance, z_b standard normal from `engine`, k per draw in the parameters' order).
std::vector<std::vector<double>> log_normal_draws(std::span<const double> p,
                                                  const Eigen::MatrixXd& covariance,
                                                  std::size_t draws, std::mt19937_64& engine,
                                                  const char* argument) {
    const Eigen::MatrixXd s = log_covariance(p, covariance);
    const Eigen::LLT<Eigen::MatrixXd> llt(0.5 * (s + s.transpose()));
    if (llt.info() != Eigen::Success)
        throw invalid_argument(argument, "is not positive definite: no parametric bootstrap");
    const Eigen::MatrixXd L = llt.matrixL();
    const auto K = static_cast<Eigen::Index>(p.size());
    const boost::math::normal_distribution<double, quantile_policy> normal;
    std::vector<std::vector<double>> out(draws, std::vector<double>(p.size()));
    Eigen::VectorXd z(K);
    for (std::size_t b = 0; b < draws; ++b) {
        for (Eigen::Index j = 0; j < K; ++j) // draw b's normals, in the parameters' order
            z[j] = boost::math::quantile(normal, uniform01(engine));
        const Eigen::VectorXd shift = L * z;
        for (std::size_t j = 0; j < p.size(); ++j)
            out[b][j] = p[j] * std::exp(shift[static_cast<Eigen::Index>(j)]);
    }
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

draw_set nonparametric_draws(purchase_model_kind kind, std::span<const double> p,
                             const compressed_summary& rows, const interval_options& options,
                             const resample_hook& hook = {}) {
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
            std::vector<double> counts;
            for (std::size_t b = begin; b < end; ++b) {
                std::mt19937_64 engine(seeds[b]);
                std::fill(sample.weight.begin(), sample.weight.end(), 0.0);
                if (hook) counts.assign(n, 0.0);
                for (std::size_t i = 0; i < n; ++i) {
                    const double u = uniform01(engine);
                    const std::size_t c =
                        std::min(static_cast<std::size_t>(u * static_cast<double>(n)), n - 1);
                    sample.weight[rows.row_of[c]] += 1.0;
                    if (hook) counts[c] += 1.0;
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
                if (hook && d.params[b]) {
                    d.failure[b] = hook(b, counts);
                    if (!d.failure[b].empty()) d.params[b].reset();
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

/// Fills the bootstrap columns of `out` (per distinct row; the caller maps them to customers).
void bootstrap(const draw_set& draws, const compressed_summary& rows, double t,
               const interval_options& options, prediction_intervals& out) {
    std::vector<char> use(draws.params.size());
    for (std::size_t b = 0; b < use.size(); ++b)
        use[b] = draws.params[b].has_value() ? 1 : 0;
    const auto pass = [&](const std::vector<char>& in_use) {
        return run_blocks(rows.size(), rows.size(), in_use, "the prediction is not finite",
                          options.level, options.threads, [&](std::size_t r, pass_block& block) {
                              for (std::size_t b = 0; b < in_use.size(); ++b) {
                                  if (block.skip(b)) continue;
                                  block.add(
                                      b,
                                      [&] {
                                          return conditional_expected_purchases(
                                              *draws.params[b], t, rows.frequency[r],
                                              rows.recency[r], rows.T[r]);
                                      },
                                      rows.weight[r]);
                              }
                              block.emit(r);
                          });
    };
    bootstrap_draws(std::move(use), draws.failure, options.level, pass, out);
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
    check_interval_options(options);
    if (!(std::isfinite(t) && t >= 0))
        throw invalid_argument(
            "t", "the horizon must be a finite number >= 0, got " + detail::format_number(t),
            detail::format_number(t));
    const bool boot = options.method != interval_method::delta;
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

/// Fills the delta-method columns of `out` per customer (out.estimate holds the values).
void clv_delta(const purchase_params& purchase, const Eigen::MatrixXd& purchase_covariance,
               const gamma_gamma_params& spend, const Eigen::MatrixXd& spend_covariance,
               const clv_inputs& in, const interval_options& options, prediction_intervals& out) {
    const purchase_model_kind kind = kind_of(purchase);
    const std::vector<double> p = parameter_values(purchase);
    const std::vector<double> g{spend.p, spend.q, spend.v};
    const std::size_t rows = in.rows.size();
    const std::size_t n = in.x.size();
    const std::size_t kp = p.size();
    // Per distinct row: the stream S_r, its gradient in log p and its delta variance.
    std::vector<double> stream(rows), stream_var(rows), stream_grad(rows * kp);
    detail::parallel_chunks(
        rows, detail::thread_count(rows, options.threads, 64),
        [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t r = begin; r < end; ++r) {
                const auto f = [&](std::span<const double> q) {
                    return purchase_stream(purchase_params_from(kind, q), in.rows.frequency[r],
                                           in.rows.recency[r], in.rows.T[r], in.clv);
                };
                const detail::delta_estimate d = detail::delta_method(f, p, purchase_covariance);
                stream[r] = d.value;
                stream_var[r] = d.variance;
                std::copy(d.gradient.begin(), d.gradient.end(), stream_grad.begin() + r * kp);
            }
        });
    // Per customer: s_i and its gradient in log g; the product rule for CLV_i = s_i S_r.
    Eigen::VectorXd total_p = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(kp));
    Eigen::VectorXd total_g = Eigen::VectorXd::Zero(3);
    out.std_error.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = in.rows.row_of[i];
        const auto f = [&](std::span<const double> q) {
            return conditional_expected_average_spend(gamma_gamma_params_from(q), in.x[i], in.m[i]);
        };
        const detail::delta_estimate d = detail::delta_method(f, g, spend_covariance);
        const double var = d.value * d.value * stream_var[r] + stream[r] * stream[r] * d.variance;
        out.std_error[i] = std::sqrt(std::max(0.0, var));
        for (std::size_t j = 0; j < kp; ++j)
            total_p[static_cast<Eigen::Index>(j)] += d.value * stream_grad[r * kp + j];
        for (std::size_t j = 0; j < 3; ++j)
            total_g[static_cast<Eigen::Index>(j)] += stream[r] * d.gradient[j];
    }
    const double total_variance = total_p.dot(log_covariance(p, purchase_covariance) * total_p) +
                                  total_g.dot(log_covariance(g, spend_covariance) * total_g);
    out.total_std_error = std::sqrt(std::max(0.0, total_variance));
    const double z = boost::math::quantile(
        boost::math::normal_distribution<double, quantile_policy>(), (1 + options.level) / 2);
    out.lower.resize(n);
    out.upper.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        out.lower[i] = std::max(0.0, out.estimate[i] - z * out.std_error[i]);
        out.upper[i] = out.estimate[i] + z * out.std_error[i];
    }
    out.total_lower = std::max(0.0, out.total - z * out.total_std_error);
    out.total_upper = out.total + z * out.total_std_error;
}

/// The joint draws of a lifetime value bootstrap: purchase and spend parameters per draw.
struct clv_draw_set {
    draw_set purchase;
    std::vector<std::optional<gamma_gamma_params>> spend;
};

/// Fills the bootstrap columns of `out` per customer from the joint draws: per distinct row the
/// purchase stream of each draw, then per customer of the row its spend.
void clv_bootstrap(const clv_draw_set& draws, const clv_inputs& in, const interval_options& options,
                   prediction_intervals& out) {
    const std::size_t B = draws.spend.size();
    std::vector<char> use(B);
    for (std::size_t b = 0; b < B; ++b)
        use[b] = draws.purchase.params[b] && draws.spend[b] ? 1 : 0;
    const auto by_row = customers_by_row(in.rows);
    const auto pass = [&](const std::vector<char>& in_use) {
        return run_blocks(
            in.rows.size(), in.x.size(), in_use, "the lifetime value is not finite", options.level,
            options.threads, [&](std::size_t r, pass_block& block) {
                std::vector<double> stream(B, nan);
                for (std::size_t b = 0; b < B; ++b) {
                    if (block.skip(b)) continue;
                    try {
                        stream[b] = purchase_stream(*draws.purchase.params[b], in.rows.frequency[r],
                                                    in.rows.recency[r], in.rows.T[r], in.clv);
                    } catch (const std::exception& e) {
                        block.fail(b, e.what());
                    }
                }
                for (const std::size_t i : by_row[r]) {
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
    const std::vector<double> g{spend.p, spend.q, spend.v};
    if (options.method != interval_method::nonparametric_bootstrap) {
        check_covariance(purchase_covariance, p.size(), "purchase_covariance");
        check_covariance(spend_covariance, 3, "spend_covariance");
    }
    prediction_intervals out;
    out.method = options.method;
    out.level = options.level;
    out.draws = options.method != interval_method::delta ? options.draws : 0;
    out.seed = options.seed;
    // Checks the customers and the options; the same arithmetic as score's `clv`.
    out.estimate = customer_lifetime_value(purchase, spend, frequency, recency, T, monetary, clv);
    out.horizon = clv.months * clv.periods_per_month;
    for (const double v : out.estimate)
        out.total += v;
    const compressed_summary rows = compress_summary(frequency, recency, T);
    const clv_inputs in{rows, frequency, monetary, clv};
    switch (options.method) {
    case interval_method::delta:
        clv_delta(purchase, purchase_covariance, spend, spend_covariance, in, options, out);
        break;
    case interval_method::parametric_bootstrap: {
        std::mt19937_64 engine(options.seed);
        clv_draw_set d{
            parametric_draws(kind, p, purchase_covariance, options, engine, "purchase_covariance"),
            {}};
        for (auto& q :
             log_normal_draws(g, spend_covariance, options.draws, engine, "spend_covariance"))
            d.spend.emplace_back(gamma_gamma_params_from(q));
        clv_bootstrap(d, in, options, out);
        break;
    }
    case interval_method::nonparametric_bootstrap: {
        std::vector<std::optional<gamma_gamma_params>> spend_draws(options.draws);
        fit_options so = options.spend_fit;
        so.threads = 1;
        so.initial = g;
        const auto refit_spend = [&](std::size_t b, const std::vector<double>& counts) {
            try {
                const spend_sample s = select_spend_sample(frequency, monetary, counts);
                const fit_result f = fit_gamma_gamma(s, so);
                if (!f.report.converged)
                    return "Gamma-Gamma refit did not converge: " + f.report.reason;
                spend_draws[b] = gamma_gamma_params_from(f);
            } catch (const std::exception& e) {
                return std::string("Gamma-Gamma refit failed: ") + e.what();
            }
            return std::string();
        };
        clv_draw_set d;
        d.purchase = nonparametric_draws(kind, p, rows, options, refit_spend);
        d.spend = std::move(spend_draws); // filled by refit_spend
        clv_bootstrap(d, in, options, out);
        break;
    }
    }
    return out;
}

prediction_intervals customer_lifetime_value_intervals(
    const fitted_model& purchase, const fitted_model& spend, std::span<const double> frequency,
    std::span<const double> recency, std::span<const double> T, std::span<const double> monetary,
    const clv_options& clv, const interval_options& options, std::string_view purchase_argument,
    std::string_view spend_argument, std::string_view purchase_source,
    std::string_view spend_source) {
    const purchase_params p = purchase_params_of(purchase, purchase_argument);
    if (purchase.covariates)
        throw invalid_argument(std::string(purchase_argument),
                               "prediction intervals of a model with covariates are not "
                               "available yet",
                               std::string(purchase_source));
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
