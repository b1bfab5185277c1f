// Customer summaries compressed to unique rows, and the L-BFGS maximum-likelihood driver shared
// by the retention models (see custometrics/retention/fit.hpp for the contract).
#include "custometrics/retention/fit.hpp"

#include "customer_checks.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"
#include "custometrics/progress.hpp"

#include <Eigen/Cholesky>
#include <LBFGS.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <tuple>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

// `data_error` for customer `i` unless `ok`; `named`: the message names the position too.
void check_value(const char* what, std::size_t i, double v, bool ok, const char* rule, bool named) {
    if (!ok)
        throw data_error(std::string(what) + ": " +
                             (named ? "customer " + std::to_string(i) + ": " : std::string()) +
                             "value " + detail::format_number(v) + " " + rule,
                         {what, i, {}, {}, detail::format_number(v)});
}

std::uint64_t mix(std::uint64_t h) { // splitmix64 finaliser
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

} // namespace

namespace detail {

void check_summary(std::span<const double> frequency, std::span<const double> recency,
                   std::span<const double> T, std::span<const double> weights,
                   bool position_in_message) {
    const std::size_t n = frequency.size();
    if (recency.size() != n || T.size() != n)
        throw invalid_argument("compress_summary", "frequency, recency and T must have the same "
                                                   "length (got " +
                                                       std::to_string(n) + ", " +
                                                       std::to_string(recency.size()) + ", " +
                                                       std::to_string(T.size()) + ")");
    if (!weights.empty() && weights.size() != n)
        throw invalid_argument("compress_summary", "weights has " + std::to_string(weights.size()) +
                                                       " values for " + std::to_string(n) +
                                                       " customers");
    if (n == 0) throw invalid_argument("compress_summary", "no customers");
    if (n > std::numeric_limits<std::uint32_t>::max())
        throw invalid_argument("compress_summary", "more than 2^32 - 1 customers");

    // Both cores over halves of the customers on large inputs; the lower half's error, if any,
    // is rethrown, so the message names the first bad customer as a serial loop would.
    detail::parallel_chunks(
        n, detail::thread_count(n, 0, std::size_t{1} << 17),
        [&](std::size_t b, std::size_t e, unsigned) {
            const bool named = position_in_message;
            for (std::size_t i = b; i < e; ++i) {
                const customer_fault f = customer_fault_of(frequency[i], recency[i], T[i]);
                if (f.argument != nullptr) throw_customer_fault(f, i, named);
                if (!weights.empty()) {
                    check_value("weights", i, weights[i], std::isfinite(weights[i]),
                                "is not finite", named);
                    check_value("weights", i, weights[i], weights[i] >= 0, "is negative", named);
                }
            }
        });
}

} // namespace detail

compressed_summary compress_summary(std::span<const double> frequency,
                                    std::span<const double> recency, std::span<const double> T,
                                    std::span<const double> weights) {
    detail::check_summary(frequency, recency, T, weights);
    return detail::compress_rows(frequency, recency, T, weights, 64);
}

namespace detail {

namespace {

// Dense ids of the distinct values of a column, in first-appearance order (open addressing on
// the bit pattern; the table stays small for real summaries, so the lookups stay in cache).
class value_ids {
public:
    std::uint32_t id(double v) {
        if (2 * (m_values.size() + 1) > m_slot.size()) grow();
        std::size_t s = slot_of(v);
        for (;;) {
            const std::uint32_t r = m_slot[s];
            if (r == empty) {
                m_slot[s] = static_cast<std::uint32_t>(m_values.size());
                m_values.push_back(v);
                return m_slot[s];
            }
            if (m_values[r] == v) return r;
            s = (s + 1) & (m_slot.size() - 1);
        }
    }
    // rank[id] = position of the value in ascending order.
    std::vector<std::uint64_t> ranks() const {
        std::vector<std::uint32_t> order(m_values.size());
        std::iota(order.begin(), order.end(), 0U);
        std::sort(order.begin(), order.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return m_values[a] < m_values[b]; });
        std::vector<std::uint64_t> rank(m_values.size());
        for (std::size_t k = 0; k < order.size(); ++k)
            rank[order[k]] = k;
        return rank;
    }
    std::size_t size() const noexcept { return m_values.size(); }

private:
    static constexpr std::uint32_t empty = std::numeric_limits<std::uint32_t>::max();
    std::size_t slot_of(double v) const {
        return mix(std::bit_cast<std::uint64_t>(v)) & (m_slot.size() - 1);
    }
    void grow() {
        m_slot.assign(std::max<std::size_t>(64, 2 * m_slot.size()), empty);
        for (std::uint32_t r = 0; r < m_values.size(); ++r) {
            std::size_t s = slot_of(m_values[r]);
            while (m_slot[s] != empty)
                s = (s + 1) & (m_slot.size() - 1);
            m_slot[s] = r;
        }
    }
    std::vector<std::uint32_t> m_slot;
    std::vector<double> m_values;
};

} // namespace

compressed_summary compress_rows(std::span<const double> frequency, std::span<const double> recency,
                                 std::span<const double> T, std::span<const double> weights,
                                 unsigned max_key_bits) {
    // The order of customer i is the key (rank of x, rank of T, rank of t_x) packed in one
    // integer when the ranks fit in max_key_bits (always, unless two columns have millions of
    // distinct values); a stable LSD radix sort of (key, i) then groups equal rows, in
    // ascending (x, T, t_x) order and, within a row, in customer order. Otherwise an index
    // sort on the three values does the same.
    const std::size_t n = frequency.size();
    // Two threads on large inputs (the result does not depend on the count): the columns'
    // value ids (x and t_x on one, T on the other), the keys, each radix pass (per-chunk counts
    // and scatters, stable) and the rows (chunks cut at row boundaries).
    const unsigned threads = thread_count(n, 0, std::size_t{1} << 17);
    std::vector<std::uint32_t> order(n);
    std::vector<std::uint64_t> key(n);
    value_ids vx;
    value_ids vT;
    value_ids vtx;
    std::vector<std::uint32_t> ix(n);
    std::vector<std::uint32_t> iT(n);
    std::vector<std::uint32_t> itx(n);
    parallel_chunks(2, std::min(threads, 2U), [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t c = b; c < e; ++c) {
            if (c == 0) {
                for (std::size_t i = 0; i < n; ++i)
                    iT[i] = vT.id(T[i] + 0.0); // + 0.0 folds -0.0 into 0.0
            } else {
                for (std::size_t i = 0; i < n; ++i) {
                    ix[i] = vx.id(frequency[i] + 0.0);
                    itx[i] = vtx.id(recency[i] + 0.0);
                }
            }
        }
    });
    const auto bits = [](std::size_t count) {
        return static_cast<unsigned>(std::bit_width(std::max<std::size_t>(count, 1) - 1));
    };
    const unsigned bT = bits(vT.size());
    const unsigned btx = bits(vtx.size());
    const unsigned total_bits = bits(vx.size()) + bT + btx;
    if (total_bits <= max_key_bits && total_bits <= 64) {
        const std::vector<std::uint64_t> rx = vx.ranks();
        const std::vector<std::uint64_t> rT = vT.ranks();
        const std::vector<std::uint64_t> rtx = vtx.ranks();
        std::vector<std::uint64_t> key2(n);
        std::vector<std::uint32_t> order2(n);
        parallel_chunks(n, threads, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i) {
                key[i] = rx[ix[i]] << (bT + btx) | rT[iT[i]] << btx | rtx[itx[i]];
                order[i] = static_cast<std::uint32_t>(i);
            }
        });
        constexpr unsigned digit = 11;
        constexpr std::size_t buckets = std::size_t{1} << digit;
        std::vector<std::size_t> count(buckets * threads);
        for (unsigned shift = 0; shift < total_bits; shift += digit) {
            parallel_chunks(n, threads, [&](std::size_t b, std::size_t e, unsigned c) {
                std::size_t* cnt = count.data() + c * buckets;
                std::fill(cnt, cnt + buckets, 0);
                for (std::size_t j = b; j < e; ++j)
                    ++cnt[(key[j] >> shift) & (buckets - 1)];
            });
            // Bucket d of chunk c starts after every lower bucket and bucket d of lower chunks.
            std::size_t sum = 0;
            for (std::size_t d = 0; d < buckets; ++d)
                for (unsigned c = 0; c < threads; ++c)
                    sum += std::exchange(count[c * buckets + d], sum);
            parallel_chunks(n, threads, [&](std::size_t b, std::size_t e, unsigned c) {
                std::size_t* cnt = count.data() + c * buckets;
                for (std::size_t j = b; j < e; ++j) {
                    const std::size_t d = cnt[(key[j] >> shift) & (buckets - 1)]++;
                    key2[d] = key[j];
                    order2[d] = order[j];
                }
            });
            key.swap(key2);
            order.swap(order2);
        }
    } else {
        std::iota(order.begin(), order.end(), 0U);
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return std::tie(frequency[a], T[a], recency[a]) <
                   std::tie(frequency[b], T[b], recency[b]);
        });
        // Consecutive equal rows share a key: only equality is used below.
        key[0] = 0;
        for (std::size_t j = 1; j < n; ++j) {
            const std::uint32_t a = order[j - 1];
            const std::uint32_t b = order[j];
            const bool same = ix[a] == ix[b] && iT[a] == iT[b] && itx[a] == itx[b];
            key[j] = same ? key[j - 1] : key[j - 1] + 1;
        }
    }

    // Chunks of the sorted customers cut where a row starts, so that no row spans two; the
    // rows each chunk starts, then their values, weights and the customers' rows.
    std::vector<std::size_t> cut(threads + 1, n);
    cut[0] = 0;
    for (unsigned c = 1; c < threads; ++c) {
        std::size_t j = std::max(cut[c - 1], n * c / threads);
        while (j > 0 && j < n && key[j] == key[j - 1])
            ++j;
        cut[c] = j;
    }
    std::vector<std::size_t> first_row(threads + 1, 0);
    parallel_chunks(threads, threads, [&](std::size_t cb, std::size_t ce, unsigned) {
        for (std::size_t c = cb; c < ce; ++c) {
            std::size_t rows = 0;
            for (std::size_t j = cut[c]; j < cut[c + 1]; ++j)
                rows += j == 0 || key[j] != key[j - 1];
            first_row[c + 1] = rows;
        }
    });
    for (unsigned c = 0; c < threads; ++c)
        first_row[c + 1] += first_row[c];
    compressed_summary s;
    const std::size_t n_rows = first_row[threads];
    s.frequency.resize(n_rows);
    s.recency.resize(n_rows);
    s.T.resize(n_rows);
    s.weight.assign(n_rows, 0.0);
    s.row_of.resize(n);
    parallel_chunks(threads, threads, [&](std::size_t cb, std::size_t ce, unsigned) {
        for (std::size_t c = cb; c < ce; ++c) {
            std::size_t r = first_row[c];
            for (std::size_t j = cut[c]; j < cut[c + 1]; ++j) {
                const std::uint32_t i = order[j];
                if (j != cut[c] && key[j] != key[j - 1]) ++r;
                if (j == cut[c] || key[j] != key[j - 1]) {
                    s.frequency[r] = frequency[i] + 0.0;
                    s.recency[r] = recency[i] + 0.0;
                    s.T[r] = T[i] + 0.0;
                }
                s.row_of[i] = static_cast<std::uint32_t>(r);
                s.weight[r] += weights.empty() ? 1.0 : weights[i];
            }
        }
    });
    s.total_weight = std::accumulate(s.weight.begin(), s.weight.end(), 0.0);
    if (!(s.total_weight > 0))
        throw invalid_argument("compress_summary", "weights sum to " +
                                                       format_number(s.total_weight) +
                                                       ", not a positive number");
    return s;
}

namespace {

// Rows per thread below which the likelihood runs on one thread: a BG/NBD row costs ~20-50 ns,
// so 16k rows (~0.5 ms) are well above the cost of starting a thread.
constexpr std::size_t min_rows_per_thread = std::size_t{1} << 14;

// LBFGS++'s backtracking line search with the strong Wolfe conditions, counting its calls (one
// per L-BFGS iteration) in the objective, so the iterations are known even when a line search
// throws. One change: near the optimum the sufficient-decrease test asks for a decrease of the
// objective far below its rounding (~1e-16 relative for a mean over many rows), so it fails on
// rounding alone and the search would shrink the step until it gives up, restarting L-BFGS (the
// extra evaluations depend on the summation order, hence on the thread count). A trial point
// whose objective is within `rounding_slack` (relative) of the start's and whose directional
// derivative meets the strong Wolfe curvature test is accepted instead: the approximate Wolfe
// conditions of Hager and Zhang (2005, SIAM J. Optim. 16(1), 170-192), which keep s'y > 0 for
// the L-BFGS update. Convergence is still judged on the gradient only.
constexpr double rounding_slack = 1e-12;

template <class Scalar> class counting_line_search {
public:
    template <class Foo, class Vector>
    static void LineSearch(Foo& f, Scalar& fx, Vector& x, Vector& grad, Scalar& step,
                           const Vector& drt, const Vector& xp,
                           const LBFGSpp::LBFGSParam<Scalar>& param) {
        ++f.line_searches;
        constexpr Scalar dec = 0.5;
        constexpr Scalar inc = 2.1;
        if (!(step > 0)) throw std::invalid_argument("'step' must be positive");
        const Scalar fx_init = fx;
        const Scalar dg_init = grad.dot(drt);
        if (dg_init > 0)
            throw std::logic_error("the moving direction increases the objective function value");
        const Scalar test_decr = param.ftol * dg_init;
        const Scalar slack = rounding_slack * std::max(Scalar(1), std::abs(fx_init));
        int iter = 0;
        for (; iter < param.max_linesearch; ++iter) {
            x.noalias() = xp + step * drt;
            fx = f(x, grad);
            Scalar width = dec;
            if (fx <= fx_init + slack) { // not NaN
                const Scalar dg = grad.dot(drt);
                const bool armijo = fx <= fx_init + step * test_decr;
                if (dg < param.wolfe * dg_init)
                    width = armijo ? inc : dec; // still steep: a longer step if it decreased
                else if (dg > -param.wolfe * dg_init)
                    width = dec; // overshot the minimum along the line
                else
                    break; // strong Wolfe, or its approximate form at rounding level
            }
            if (step < param.min_step)
                throw std::runtime_error(
                    "the line search step became smaller than the minimum value allowed");
            if (step > param.max_step)
                throw std::runtime_error(
                    "the line search step became larger than the maximum value allowed");
            step *= width;
        }
        if (iter >= param.max_linesearch)
            throw std::runtime_error(
                "the line search routine reached the maximum number of iterations");
    }
};

// The objective as LBFGS++ calls it, with the counter `counting_line_search` increments.
template <class F> struct counted_objective {
    F& f;
    int line_searches = 0;
    double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& grad) { return f(x, grad); }
};

// Total log-likelihood and its gradient (natural parameters), summed over row chunks in chunk
// order, so the result depends on the thread count only through that (fixed) split. Each chunk
// accumulates in its own thread's memory and writes its sums once at the end: the kernels add
// to `ll` and `g` per row, and the chunks' slots of shared arrays would sit on one cache line,
// which the cores would then pass back and forth on every row (false sharing).
struct total_loglik {
    const loglik_kernel& kernel;
    std::size_t n_rows;
    unsigned threads;

    double operator()(std::span<const double> p, Eigen::VectorXd& grad) const {
        const auto k = static_cast<Eigen::Index>(p.size());
        std::vector<double> ll(threads, 0.0);
        Eigen::MatrixXd g = Eigen::MatrixXd::Zero(k, threads);
        parallel_chunks(n_rows, threads, [&](std::size_t b, std::size_t e, unsigned c) {
            double chunk_ll = 0.0;
            Eigen::VectorXd chunk_g = Eigen::VectorXd::Zero(k);
            kernel(p, b, e, chunk_ll, chunk_g);
            ll[c] = chunk_ll;
            g.col(c) = chunk_g;
        });
        grad = g.rowwise().sum();
        return std::accumulate(ll.begin(), ll.end(), 0.0);
    }
};

} // namespace

fit_result fit_maximum_likelihood(const loglik_kernel& kernel, std::size_t n_rows,
                                  double total_weight, std::vector<std::string> names,
                                  std::vector<double> default_initial, const fit_options& options,
                                  std::size_t positive,
                                  std::span<const double> coefficient_penalizers) {
    const std::size_t k = names.size();
    positive = std::min(positive, k);
    if (coefficient_penalizers.size() != 0 && coefficient_penalizers.size() != k - positive)
        throw invalid_argument("fit", std::to_string(k - positive) + " coefficients but " +
                                          std::to_string(coefficient_penalizers.size()) +
                                          " penalizers");
    for (const double c : coefficient_penalizers)
        if (!(c >= 0) || !std::isfinite(c))
            throw invalid_argument("fit_options.penalizer",
                                   format_number(c) + " is not a non-negative finite number");
    // Natural value of optimiser coordinate j: exp for the positive parameters, itself for the
    // coefficients; and its penalty weight.
    auto natural = [positive](std::size_t j, double t) { return j < positive ? std::exp(t) : t; };
    auto penalty_of = [&](std::size_t j) {
        if (j < positive) return options.penalizer;
        return coefficient_penalizers.empty() ? 0.0 : coefficient_penalizers[j - positive];
    };
    if (default_initial.size() != k)
        throw invalid_argument("fit", std::to_string(k) + " parameter names but " +
                                          std::to_string(default_initial.size()) +
                                          " initial values");
    if (n_rows == 0) throw invalid_argument("fit", "no data rows");
    if (!(total_weight > 0) || !std::isfinite(total_weight))
        throw invalid_argument("fit", "total weight " + format_number(total_weight) +
                                          " is not a positive finite number");
    if (!(options.penalizer >= 0) || !std::isfinite(options.penalizer))
        throw invalid_argument("fit_options.penalizer", format_number(options.penalizer) +
                                                            " is not a non-negative finite number");
    if (options.max_iterations < 1)
        throw invalid_argument("fit_options.max_iterations",
                               std::to_string(options.max_iterations) + " is below 1");
    if (!(options.gradient_tolerance > 0) || !std::isfinite(options.gradient_tolerance))
        throw invalid_argument("fit_options.gradient_tolerance",
                               format_number(options.gradient_tolerance) +
                                   " is not a positive finite number");
    if (options.threads < 0)
        throw invalid_argument("fit_options.threads",
                               std::to_string(options.threads) + " is negative");
    std::vector<double> start = options.initial.empty() ? default_initial : options.initial;
    if (start.size() != k)
        throw invalid_argument("fit_options.initial", std::to_string(start.size()) +
                                                          " values for " + std::to_string(k) +
                                                          " parameters");
    for (std::size_t j = 0; j < k; ++j)
        if (!std::isfinite(start[j]) || (j < positive && !(start[j] > 0)))
            throw invalid_argument("fit_options.initial", names[j] + " = " +
                                                              format_number(start[j]) +
                                                              " is not a positive finite number");

    const unsigned threads =
        options.threads == 1
            ? 1U
            : thread_count(n_rows, static_cast<unsigned>(options.threads), min_rows_per_thread);
    const total_loglik total{kernel, n_rows, threads};
    const auto K = static_cast<Eigen::Index>(k);

    // The objective in theta = log p; keeps the best point seen (the line search may leave x at
    // a worse trial point when it throws).
    int evaluations = 0;
    double best_f = std::numeric_limits<double>::infinity();
    Eigen::VectorXd best_theta = Eigen::VectorXd::Zero(K);
    Eigen::VectorXd best_grad = Eigen::VectorXd::Zero(K);
    std::vector<double> p(k);
    Eigen::VectorXd g(K);
    // An exception of the progress callback (an interrupt): rethrown past the restarts below,
    // which catch the line search's own exceptions.
    std::exception_ptr interrupted;
    auto objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& grad) -> double {
        // L-BFGS starts (and restarts) by evaluating its start, which is the best point so far.
        if (std::isfinite(best_f) && theta == best_theta) {
            grad = best_grad;
            return best_f;
        }
        ++evaluations;
        if (progress_wanted()) {
            try {
                report_progress("fit", static_cast<std::uint64_t>(evaluations), 0);
            } catch (...) {
                interrupted = std::current_exception();
                throw;
            }
        }
        for (std::size_t j = 0; j < k; ++j)
            p[j] = natural(j, theta[static_cast<Eigen::Index>(j)]);
        const double ll = total(p, g);
        double f = -ll / total_weight;
        for (std::size_t j = 0; j < k; ++j) {
            const auto J = static_cast<Eigen::Index>(j);
            const double c = penalty_of(j);
            f += c * p[j] * p[j];
            // d p / d theta: p on the log scale, 1 for a coefficient.
            grad[J] = (-g[J] / total_weight + 2.0 * c * p[j]) * (j < positive ? p[j] : 1.0);
        }
        if (!std::isfinite(f) || !grad.allFinite()) {
            // A trial point outside the numerically usable region: the line search backs off.
            grad.setZero();
            return std::numeric_limits<double>::infinity();
        }
        if (f < best_f) {
            best_f = f;
            best_theta = theta;
            best_grad = grad;
        }
        return f;
    };

    LBFGSpp::LBFGSParam<double> param;
    param.epsilon = options.gradient_tolerance;
    param.epsilon_rel = options.gradient_tolerance; // ||g|| <= tol * max(1, ||theta||)
    param.max_iterations = options.max_iterations;
    param.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
    param.max_linesearch = 15;
    // Also stop when the objective has not moved by more than rounding over five iterations:
    // near the optimum the gradient test may be below what the objective's rounding resolves.
    param.past = 5;
    param.delta = 1e-14;
    LBFGSpp::LBFGSSolver<double, counting_line_search> solver(param);
    counted_objective<decltype(objective)> counted{objective};

    Eigen::VectorXd theta(K);
    for (std::size_t j = 0; j < k; ++j)
        theta[static_cast<Eigen::Index>(j)] = j < positive ? std::log(start[j]) : start[j];
    {
        Eigen::VectorXd g0(K);
        objective(theta, g0);
        if (!std::isfinite(best_f))
            throw error("fit: the log-likelihood is not finite at the initial parameters");
    }

    fit_report report;
    auto tolerance = [&](const Eigen::VectorXd& th) {
        return options.gradient_tolerance * std::max(1.0, th.norm());
    };
    // A failed line search restarts L-BFGS from the best point (dropping its curvature
    // memory); after three failures in a row, or when the gradient is already small, it stops.
    int failures = 0;
    for (;;) {
        Eigen::VectorXd x = best_theta;
        double fx = 0.0;
        param.max_iterations = std::max(1, options.max_iterations - counted.line_searches);
        try {
            solver.minimize(counted, x, fx);
            report.iterations = counted.line_searches;
            if (best_grad.norm() <= tolerance(best_theta)) {
                report.converged = true;
                report.reason = "gradient below tolerance";
            } else if (best_grad.norm() <= 1e3 * tolerance(best_theta)) {
                report.converged = true;
                report.reason = "gradient below tolerance (objective flat at rounding level)";
            } else if (report.iterations >= options.max_iterations) {
                report.reason = "maximum iterations";
            } else {
                report.reason = "objective stopped decreasing with the gradient above tolerance";
            }
            break;
        } catch (const std::exception& e) {
            if (interrupted) std::rethrow_exception(interrupted);
            // LBFGS++ throws std::runtime_error / std::logic_error when the line search fails,
            // which happens at the optimum when rounding hides any further decrease.
            report.iterations = counted.line_searches;
            if (best_grad.norm() <= 1e3 * tolerance(best_theta)) {
                report.converged = true;
                report.reason = "gradient below tolerance (line search stopped at rounding level)";
                break;
            }
            if (++failures >= 3 || report.iterations >= options.max_iterations) {
                report.reason = std::string("line search failed: ") + e.what();
                break;
            }
        }
    }
    report.function_evaluations = evaluations;
    report.gradient_norm = best_grad.norm();
    report_progress("fit", static_cast<std::uint64_t>(evaluations),
                    static_cast<std::uint64_t>(evaluations)); // done: the bar closes

    fit_result out;
    out.names = std::move(names);
    out.params.resize(k);
    for (std::size_t j = 0; j < k; ++j) {
        out.params[j] = natural(j, best_theta[static_cast<Eigen::Index>(j)]);
        if (!std::isfinite(out.params[j]) || (j < positive && out.params[j] <= 0))
            throw error("fit: parameter " + out.names[j] + " went to " +
                        format_number(out.params[j]) + " (" + report.reason +
                        "); the data may not identify the model: try a penalizer");
    }
    Eigen::VectorXd grad(K);
    out.log_likelihood = total(out.params, grad);
    out.n = total_weight;
    out.penalizer = options.penalizer;

    // Observed information: minus the Hessian of the total log-likelihood, by central
    // differences of the analytic gradient with relative steps (cube root of epsilon).
    Eigen::MatrixXd H(K, K);
    std::vector<double> q = out.params;
    Eigen::VectorXd gp(K);
    Eigen::VectorXd gm(K);
    bool finite = true;
    for (std::size_t j = 0; j < k; ++j) {
        const double h =
            j < positive ? 6e-6 * out.params[j] : 6e-6 * std::max(1.0, std::abs(out.params[j]));
        q[j] = out.params[j] + h;
        total(q, gp);
        q[j] = out.params[j] - h;
        total(q, gm);
        q[j] = out.params[j];
        H.col(static_cast<Eigen::Index>(j)) = (gp - gm) / (2.0 * h);
        finite = finite && gp.allFinite() && gm.allFinite();
    }
    const Eigen::MatrixXd info = -0.5 * (H + H.transpose());
    Eigen::LLT<Eigen::MatrixXd> llt(info);
    out.std_errors.assign(k, std::numeric_limits<double>::quiet_NaN());
    if (finite && llt.info() == Eigen::Success) {
        out.covariance = llt.solve(Eigen::MatrixXd::Identity(K, K));
        for (std::size_t j = 0; j < k; ++j)
            out.std_errors[j] = std::sqrt(
                out.covariance(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j)));
    } else {
        out.covariance = Eigen::MatrixXd::Constant(K, K, std::numeric_limits<double>::quiet_NaN());
        report.reason += "; the information matrix is not positive definite: no standard errors";
    }
    out.report = std::move(report);
    return out;
}

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
