// Tests of retention/fit.hpp: compression of customer summaries (unique rows, order, weights,
// the customer-to-row map and every data error), and the L-BFGS driver on models whose maximum
// likelihood estimates and standard errors are known in closed form (Poisson rate, normal mean
// and standard deviation), with and without the L2 penalty, on one and two threads.
#include <custometrics/error.hpp>
#include <custometrics/retention/fit.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace custometrics;

namespace {

const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

std::string message_of(const std::vector<double>& x, const std::vector<double>& tx,
                       const std::vector<double>& T, const std::vector<double>& w = {}) {
    try {
        compress_summary(x, tx, T, w);
    } catch (const data_error& e) {
        return e.what();
    }
    return "no data_error";
}

// Poisson counts c_i with weights w_i: ll_i = c log(lambda) - lambda - log(c!), d/dlambda =
// c / lambda - 1.
detail::loglik_kernel poisson_kernel(const std::vector<double>& c, const std::vector<double>& w) {
    return [&c, &w](std::span<const double> p, std::size_t b, std::size_t e, double& ll,
                    Eigen::Ref<Eigen::VectorXd> g) {
        const double lambda = p[0];
        for (std::size_t i = b; i < e; ++i) {
            ll += w[i] * (c[i] * std::log(lambda) - lambda - std::lgamma(c[i] + 1));
            g[0] += w[i] * (c[i] / lambda - 1);
        }
    };
}

} // namespace

TEST_CASE("compress_summary: unique rows in (x, T, t_x) order, weights and the row map") {
    // Customers: 0 (2, 5, 10), 1 (0, 0, 10), 2 (2, 5, 10), 3 (1, 3, 8), 4 (0, 0, 7), 5 (0, -0, 10)
    const std::vector<double> x{2, 0, 2, 1, 0, 0};
    const std::vector<double> tx{5, 0, 5, 3, 0, -0.0};
    const std::vector<double> T{10, 10, 10, 8, 7, 10};
    const compressed_summary s = compress_summary(x, tx, T);
    // Sorted unique rows: (0, T 7), (0, T 10) x2 (-0.0 folds into 0), (1, 3, 8), (2, 5, 10) x2.
    REQUIRE(s.size() == 4);
    CHECK(s.frequency == std::vector<double>{0, 0, 1, 2});
    CHECK(s.T == std::vector<double>{7, 10, 8, 10});
    CHECK(s.recency == std::vector<double>{0, 0, 3, 5});
    CHECK(s.weight == std::vector<double>{1, 2, 1, 2});
    CHECK(s.row_of == std::vector<std::uint32_t>{3, 1, 3, 2, 0, 1});
    CHECK(s.total_weight == 6.0);
    CHECK(!std::signbit(s.recency[1]));

    const std::vector<double> w{0.5, 1, 2, 0, 1, 3};
    const compressed_summary sw = compress_summary(x, tx, T, w);
    CHECK(sw.weight == std::vector<double>{1, 4, 0, 2.5}); // a zero weight keeps its row
    CHECK(sw.total_weight == 7.5);
}

TEST_CASE("compress_summary: radix and comparison paths against a std::map reference") {
    // 20,000 customers on a small grid (many duplicates) with weights, and 300,000 (above the
    // 2^18 from which both cores share the work: each radix pass and the rows split between
    // them); the reference groups them with std::map on (x, T, t_x), whose order is the rows'
    // order.
    for (const int customers : {20000, 300000}) {
        CAPTURE(customers);
        std::mt19937_64 rng(5);
        std::vector<double> x, tx, T, w;
        for (int i = 0; i < customers; ++i) {
            const double t = 1 + static_cast<double>(rng() % 40) * 0.5;
            const double f = static_cast<double>(rng() % 6);
            x.push_back(f);
            T.push_back(t);
            tx.push_back(f == 0 ? 0.0 : std::floor(static_cast<double>(rng() % 100) / 100 * t));
            w.push_back(static_cast<double>(rng() % 3));
        }
        std::map<std::tuple<double, double, double>, double> ref;
        for (std::size_t i = 0; i < x.size(); ++i)
            ref[{x[i], T[i], tx[i]}] += w[i];
        for (const unsigned bits : {64U, 2U}) { // 2 bits: the comparison sort
            CAPTURE(bits);
            const compressed_summary s = detail::compress_rows(x, tx, T, w, bits);
            REQUIRE(s.size() == ref.size());
            std::size_t k = 0;
            for (const auto& [row, weight] : ref) {
                CHECK(s.frequency[k] == std::get<0>(row));
                CHECK(s.T[k] == std::get<1>(row));
                CHECK(s.recency[k] == std::get<2>(row));
                CHECK(s.weight[k] == weight);
                ++k;
            }
            bool mapped = true;
            for (std::size_t i = 0; i < x.size(); ++i) {
                const std::uint32_t r = s.row_of[i];
                mapped =
                    mapped && s.frequency[r] == x[i] && s.T[r] == T[i] && s.recency[r] == tx[i];
            }
            CHECK(mapped);
        }
    }
}

TEST_CASE("compress_summary: on both cores, the first bad customer is the one named") {
    // 300,000 customers: the checks run over two halves; errors in both halves, or only in the
    // upper one, name the lowest bad position, as one loop would.
    std::vector<double> x(300000, 1.0), tx(300000, 1.0), T(300000, 2.0);
    x[250000] = -1;
    tx[290000] = 5;
    auto message = [&] {
        try {
            detail::check_summary(x, tx, T);
        } catch (const data_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message() == "frequency: customer 250000: value -1 is negative");
    x[10] = 0.5;
    CHECK(message() == "frequency: customer 10: value 0.5 is not a whole number");
    CHECK_THROWS_WITH_AS(compress_summary(x, tx, T),
                         "frequency: customer 10: value 0.5 is not a whole number", data_error);
    x[10] = 1;
    x[250000] = 1;
    CHECK(message() == "recency: customer 290000: value 5 is above T (2)");
    tx[290000] = 1;
    CHECK(message() == "no error");
}

TEST_CASE("compress_summary: bad input names the argument, the customer and the value") {
    const std::vector<double> ok{1, 2};
    CHECK(message_of({1, not_a_number}, {1, 1}, {2, 2}) ==
          "frequency: customer 1: value nan is not finite");
    CHECK(message_of({1, -1}, {1, 1}, {2, 2}) == "frequency: customer 1: value -1 is negative");
    CHECK(message_of({1.5, 1}, {1, 1}, {2, 2}) ==
          "frequency: customer 0: value 1.5 is not a whole number");
    CHECK(message_of({1, 1}, {1, inf}, {2, 2}) == "recency: customer 1: value inf is not finite");
    CHECK(message_of({1, 1}, {-1, 1}, {2, 2}) == "recency: customer 0: value -1 is negative");
    CHECK(message_of({1, 1}, {1, 3}, {2, 2}) == "recency: customer 1: value 3 is above T (2)");
    CHECK(message_of({1, 0}, {1, 1}, {2, 2}) ==
          "recency: customer 1: value 1 is not 0 for a customer with frequency 0");
    CHECK(message_of({1, 1}, {1, 1}, {2, 0}) == "T: customer 1: value 0 is not positive");
    CHECK(message_of({1, 1}, {1, 1}, {2, -inf}) == "T: customer 1: value -inf is not finite");
    CHECK(message_of({1, 1}, {1, 1}, {2, 2}, {1, -2}) ==
          "weights: customer 1: value -2 is negative");
    CHECK(message_of({1, 1}, {1, 1}, {2, 2}, {not_a_number, 1}) ==
          "weights: customer 0: value nan is not finite");
    CHECK_THROWS_AS(compress_summary({}, {}, {}), invalid_argument);
    CHECK_THROWS_AS(compress_summary(ok, ok, std::vector<double>{2}), invalid_argument);
    CHECK_THROWS_AS(compress_summary(ok, ok, ok, std::vector<double>{1}), invalid_argument);
    CHECK_THROWS_AS(compress_summary(ok, ok, ok, std::vector<double>{0, 0}), invalid_argument);
}

TEST_CASE("fit_maximum_likelihood: Poisson rate, closed-form estimate and standard error") {
    // Counts 0..9 with weights 1..10: lambda_hat = sum w c / sum w = 330 / 55 = 6; observed
    // information sum w c / lambda^2 = 330 / 36, so se = sqrt(36 / 330) = 0.33028912...
    std::vector<double> c;
    std::vector<double> w;
    for (int i = 0; i < 10; ++i) {
        c.push_back(i);
        w.push_back(i + 1);
    }
    const auto kernel = poisson_kernel(c, w);
    // Estimates to 1e-7: the objective (about 2.3 here) is resolved to ~1e-16, so the optimum
    // is located to about sqrt(1e-16 / curvature) relative.
    const fit_result f =
        detail::fit_maximum_likelihood(kernel, c.size(), 55.0, {"lambda"}, {1.0}, {});
    CHECK(f.report.converged);
    CHECK(f.report.iterations >= 1);
    CHECK(f.report.function_evaluations > f.report.iterations);
    CHECK(f.params[0] == doctest::Approx(6.0).epsilon(1e-7));
    CHECK(f.std_errors[0] == doctest::Approx(std::sqrt(36.0 / 330.0)).epsilon(1e-6));
    // ll = 330 log 6 - 55 * 6 - sum w log c!
    double lf = 0;
    for (int i = 0; i < 10; ++i)
        lf += (i + 1) * std::lgamma(i + 1.0);
    CHECK(f.log_likelihood == doctest::Approx(330 * std::log(6.0) - 330 - lf).epsilon(1e-12));
    CHECK(f.n == 55.0);
    CHECK(f.names == std::vector<std::string>{"lambda"});

    // Penalised: minimise -(6 log l - l) + c l^2 (mean of ll up to a constant): the root of
    // 2 c l^2 + l - 6 = 0, l = (-1 + sqrt(1 + 48 c)) / (4 c); c = 0.1: (-1 + sqrt(5.8)) / 0.4.
    fit_options o;
    o.penalizer = 0.1;
    const fit_result pf =
        detail::fit_maximum_likelihood(kernel, c.size(), 55.0, {"lambda"}, {1.0}, o);
    CHECK(pf.report.converged);
    CHECK(pf.params[0] == doctest::Approx((-1 + std::sqrt(5.8)) / 0.4).epsilon(1e-7));

    // A start given in the options is used (and checked).
    o.penalizer = 0;
    o.initial = {50.0};
    CHECK(detail::fit_maximum_likelihood(kernel, c.size(), 55.0, {"lambda"}, {1.0}, o).params[0] ==
          doctest::Approx(6.0).epsilon(1e-7));
    o.initial = {-1.0};
    CHECK_THROWS_AS(detail::fit_maximum_likelihood(kernel, c.size(), 55.0, {"lambda"}, {1.0}, o),
                    invalid_argument);
    o.initial = {1.0, 2.0};
    CHECK_THROWS_AS(detail::fit_maximum_likelihood(kernel, c.size(), 55.0, {"lambda"}, {1.0}, o),
                    invalid_argument);
    o.initial.clear();
    o.penalizer = not_a_number;
    CHECK_THROWS_AS(detail::fit_maximum_likelihood(kernel, c.size(), 55.0, {"lambda"}, {1.0}, o),
                    invalid_argument);
    o.penalizer = 0;
    o.max_iterations = 0;
    CHECK_THROWS_AS(detail::fit_maximum_likelihood(kernel, c.size(), 55.0, {"lambda"}, {1.0}, o),
                    invalid_argument);
    CHECK_THROWS_AS(detail::fit_maximum_likelihood(kernel, 0, 55.0, {"lambda"}, {1.0}, {}),
                    invalid_argument);
    CHECK_THROWS_AS(detail::fit_maximum_likelihood(kernel, c.size(), 0.0, {"lambda"}, {1.0}, {}),
                    invalid_argument);
    CHECK_THROWS_AS(
        detail::fit_maximum_likelihood(kernel, c.size(), 55.0, {"lambda"}, {1.0, 1.0}, {}),
        invalid_argument);
}

TEST_CASE("fit_maximum_likelihood: normal mean and sd on 200k rows, one and two threads agree") {
    // y_i = 10 + 2 * ((i mod 7) - 3) (mean 10, population variance 4 * 4 = 16, sd 4).
    // MLE: mu = 10, sigma = 4; information n / sigma^2 and 2 n / sigma^2, zero off-diagonal:
    // se(mu) = 4 / sqrt(n), se(sigma) = 4 / sqrt(2 n), n = 7 * 30000.
    const std::size_t n = 7 * 30000;
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i)
        y[i] = 10.0 + 2.0 * (static_cast<double>(i % 7) - 3.0);
    const detail::loglik_kernel kernel = [&y](std::span<const double> p, std::size_t b,
                                              std::size_t e, double& ll,
                                              Eigen::Ref<Eigen::VectorXd> g) {
        const double mu = p[0];
        const double s = p[1];
        for (std::size_t i = b; i < e; ++i) {
            const double d = y[i] - mu;
            ll += -std::log(s) - 0.5 * d * d / (s * s) - 0.9189385332046727;
            g[0] += d / (s * s);
            g[1] += -1.0 / s + d * d / (s * s * s);
        }
    };
    for (const int threads : {1, 2}) {
        CAPTURE(threads);
        fit_options o;
        o.threads = threads;
        const fit_result f = detail::fit_maximum_likelihood(kernel, n, static_cast<double>(n),
                                                            {"mu", "sigma"}, {1.0, 1.0}, o);
        CHECK(f.report.converged);
        CHECK(f.params[0] == doctest::Approx(10.0).epsilon(1e-7));
        CHECK(f.params[1] == doctest::Approx(4.0).epsilon(1e-7));
        CHECK(f.std_errors[0] == doctest::Approx(4.0 / std::sqrt(double(n))).epsilon(1e-5));
        CHECK(f.std_errors[1] == doctest::Approx(4.0 / std::sqrt(2.0 * double(n))).epsilon(1e-5));
        CHECK(std::abs(f.covariance(0, 1)) < 1e-6 * f.covariance(0, 0));
    }
}

TEST_CASE("fit_maximum_likelihood: an iteration limit is reported, not hidden") {
    // Poisson counts 0..9 (weights 1..10) from lambda = 1000: one L-BFGS step cannot reach 6.
    std::vector<double> c;
    std::vector<double> w;
    for (int i = 0; i < 10; ++i) {
        c.push_back(i);
        w.push_back(i + 1);
    }
    fit_options o;
    o.max_iterations = 1;
    o.initial = {1000.0};
    const fit_result f =
        detail::fit_maximum_likelihood(poisson_kernel(c, w), c.size(), 55.0, {"lambda"}, {1.0}, o);
    CHECK(!f.report.converged);
    CHECK(f.report.iterations == 1);
    CHECK(f.report.reason == "maximum iterations");
    CHECK(f.report.gradient_norm > 1e-3);
    CHECK(std::abs(f.params[0] - 6.0) > 1e-3);
}

TEST_CASE("fit_maximum_likelihood: a likelihood that is never finite is an error") {
    const detail::loglik_kernel kernel = [](std::span<const double>, std::size_t, std::size_t,
                                            double& ll,
                                            Eigen::Ref<Eigen::VectorXd>) { ll = not_a_number; };
    CHECK_THROWS_AS(detail::fit_maximum_likelihood(kernel, 3, 3.0, {"a"}, {1.0}, {}), error);
}
