// Tests of retention/gamma_gamma.hpp: the density and the expected spend worked by hand, the
// gradient against central differences, the published CDNOW fit (Fader, Hardie & Lee 2005,
// JMR: p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeat buyers) and lifetimes' fit, and bad
// input.
//
// lifetimes values from tests/reference/retention_reference.py (lifetimes 0.11.3): on the CDNOW
// summary (cdnow_customers_summary_with_transactions.csv, rows with x > 0),
// `GammaGammaFitter().fit(r.x, r.zbar)` and `GammaGammaFitter(penalizer_coef=0.01)`; with
// params (6.25, 3.74, 15.44), `conditional_expected_average_profit(x, m)` and
// `-GammaGammaFitter._negative_log_likelihood(log(params), [2.], [22.35], [1], 0)`.
#include <custometrics/error.hpp>
#include <custometrics/retention/gamma_gamma.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

const gamma_gamma_params cdnow{6.25, 3.74, 15.44};

double rel(double got, double want) {
    return std::abs(got - want) / std::abs(want);
}

// x and zbar of the repeat buyers of the CDNOW summary; empty when the data is not there.
void read_repeat_buyers(std::vector<double>& x, std::vector<double>& m) {
    std::ifstream in(std::filesystem::path(CUSTOMETRICS_SHARED_DATA_DIR) / "cdnow" /
                     "cdnow_customers_summary_with_transactions.csv");
    if (!in) return;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string f[5];
        for (auto& v : f)
            std::getline(ss, v, ',');
        if (std::stod(f[1]) > 0) {
            x.push_back(std::stod(f[1]));
            m.push_back(std::stod(f[4]));
        }
    }
}

} // namespace

TEST_CASE("gamma_gamma: density and expected spend worked by hand") {
    // p = q = v = 1, x = 1, m = 1: Gamma(2)/(Gamma(1) Gamma(1)) 1 * 1 * 1 / (1 + 1)^2 = 1/4.
    CHECK(log_likelihood({1, 1, 1}, 1, 1) == doctest::Approx(std::log(0.25)).epsilon(1e-15));
    // p = 2, q = 3, v = 4, x = 2, m = 1: Gamma(7)/(Gamma(4) Gamma(3)) 4^3 1^3 2^4 / 6^7
    // = 720/12 * 64 * 16 / 279936 = 61440 / 279936 = 0.219478...
    CHECK(log_likelihood({2, 3, 4}, 2, 1) ==
          doctest::Approx(std::log(61440.0 / 279936.0)).epsilon(1e-14));
    // E[Z | x, m] = p (v + x m)/(p x + q - 1): x = 1, m = 11.77 at the CDNOW estimates:
    // 6.25 * 27.21 / 8.99 = 18.916852...; lifetimes: 18.91685205784205.
    CHECK(conditional_expected_average_spend(cdnow, 1, 11.77) ==
          doctest::Approx(6.25 * 27.21 / 8.99).epsilon(1e-14));
    CHECK(rel(conditional_expected_average_spend(cdnow, 1, 11.77), 18.91685205784205) < 1e-14);
    CHECK(rel(conditional_expected_average_spend(cdnow, 2, 22.35), 24.663713910761157) < 1e-14);
    CHECK(rel(conditional_expected_average_spend(cdnow, 10, 50), 49.379215205395468) < 1e-14);
    // x = 0: the population mean p v/(q - 1) = 6.25 * 15.44 / 2.74 = 35.218978...
    CHECK(rel(conditional_expected_average_spend(cdnow, 0, 0), 35.21897810218978) < 1e-14);
    CHECK(rel(log_likelihood(cdnow, 2, 22.35), -3.5513167597316908) < 1e-14);
    // The span version gives the scalar values.
    const std::vector<double> xs{1, 2, 0};
    const std::vector<double> ms{11.77, 22.35, 0};
    const std::vector<double> e = conditional_expected_average_spend(cdnow, xs, ms);
    for (std::size_t i = 0; i < xs.size(); ++i)
        CHECK(e[i] == conditional_expected_average_spend(cdnow, xs[i], ms[i]));
}

TEST_CASE("gamma_gamma: analytic gradient against central differences") {
    const gamma_gamma_params ps[] = {cdnow, {0.5, 1.2, 300.0}, {40.0, 9.0, 2.0}};
    const double rows[][2] = {{1, 11.77}, {2, 22.35}, {30, 5.0}, {500, 1000.0}};
    for (const auto& p : ps) {
        for (const auto& r : rows) {
            const gamma_gamma_loglik g = log_likelihood_gradient(p, r[0], r[1]);
            for (int j = 0; j < 3; ++j) {
                gamma_gamma_params hi = p;
                gamma_gamma_params lo = p;
                double* phi[] = {&hi.p, &hi.q, &hi.v};
                double* plo[] = {&lo.p, &lo.q, &lo.v};
                const double h = 1e-6 * *phi[j];
                *phi[j] += h;
                *plo[j] -= h;
                const double fd =
                    (log_likelihood(hi, r[0], r[1]) - log_likelihood(lo, r[0], r[1])) / (2 * h);
                CAPTURE(j);
                CHECK(std::abs(g.gradient[j] - fd) <=
                      1e-6 * (std::abs(fd) + 1) + 1e-9 * std::abs(g.value) / h);
            }
        }
    }
}

TEST_CASE("gamma_gamma: published CDNOW fit (FHL 2005) and lifetimes' fit") {
    std::vector<double> x;
    std::vector<double> m;
    read_repeat_buyers(x, m);
    if (x.empty()) {
        MESSAGE("CDNOW summary not found under CUSTOMETRICS_SHARED_DATA_DIR: skipped");
        return;
    }
    REQUIRE(x.size() == 946);
    const fit_result f = fit_gamma_gamma(x, m);
    CHECK(f.report.converged);
    const gamma_gamma_params g = gamma_gamma_params_from(f);
    CHECK(g.p == doctest::Approx(6.25).epsilon(0.005 / 6.25));
    CHECK(g.q == doctest::Approx(3.74).epsilon(0.005 / 3.74));
    // 3 significant digits, as the issue asks: 15.4. The fit gives 15.4477 (lifetimes too):
    // the summary's zbar is rounded to cents, and the paper's 15.44 is the 4th digit.
    CHECK(std::abs(g.v - 15.44) < 0.05);
    // lifetimes (BFGS, tol 1e-7; this likelihood is flat along a ridge in (p, v)).
    CHECK(rel(g.p, 6.2488024960742639) < 1e-4);
    CHECK(rel(g.q, 3.7445884609233122) < 1e-4);
    CHECK(rel(g.v, 15.447748064932831) < 1e-4);
    CHECK(rel(f.log_likelihood, -4055.9232435028634) < 1e-9);
    CHECK(rel(f.std_errors[0], 1.1896870480829496) < 1e-2);
    CHECK(rel(f.std_errors[1], 0.2901656174494964) < 1e-2);
    CHECK(rel(f.std_errors[2], 4.159993928424819) < 1e-2);
    // Weights: each customer twice with weight 0.5 is the same fit.
    std::vector<double> x2 = x;
    std::vector<double> m2 = m;
    x2.insert(x2.end(), x.begin(), x.end());
    m2.insert(m2.end(), m.begin(), m.end());
    const std::vector<double> half(x2.size(), 0.5);
    const fit_result fw = fit_gamma_gamma(x2, m2, half);
    for (int j = 0; j < 3; ++j)
        CHECK(rel(fw.params[j], f.params[j]) < 1e-6);
    CHECK(rel(fw.log_likelihood, f.log_likelihood) < 1e-12);

    fit_options o;
    o.penalizer = 0.01;
    const fit_result pf = fit_gamma_gamma(x, m, {}, o);
    CHECK(rel(pf.params[0], 4.109250257153322) < 1e-3);
    CHECK(rel(pf.params[1], 0.9683854158554005) < 1e-3);
    CHECK(rel(pf.params[2], 3.780801423304109) < 1e-3);
}

TEST_CASE("gamma_gamma: bad input") {
    const std::vector<double> x{1, 0, 2};
    const std::vector<double> m{10, 0, 5};
    CHECK_THROWS_WITH_AS(fit_gamma_gamma(x, m),
                         "frequency: customer 1: value 0 is not a whole number > 0 (the "
                         "Gamma-Gamma model is fitted on repeat buyers only)",
                         data_error);
    CHECK_THROWS_WITH_AS(fit_gamma_gamma(std::vector<double>{1, 2}, std::vector<double>{1, -5}),
                         "monetary: customer 1: value -5 is not a finite number > 0", data_error);
    CHECK_THROWS_AS(fit_gamma_gamma(std::vector<double>{1, 2}, std::vector<double>{1}),
                    invalid_argument);
    CHECK_THROWS_AS(fit_gamma_gamma(std::vector<double>{}, std::vector<double>{}),
                    invalid_argument);
    CHECK_THROWS_AS(
        fit_gamma_gamma(std::vector<double>{1}, std::vector<double>{1}, std::vector<double>{-1}),
        data_error);
    CHECK_THROWS_AS(log_likelihood({1, 1, 0}, 1, 1), invalid_argument);
    CHECK_THROWS_AS(log_likelihood(cdnow, 1, std::nan("")), data_error);
    // q <= 1: the population mean spend is infinite.
    CHECK_THROWS_AS(conditional_expected_average_spend({1, 0.9, 1}, 0, 0), invalid_argument);
    CHECK_THROWS_AS(conditional_expected_average_spend(cdnow, -1, 10), data_error);
    CHECK_THROWS_AS(conditional_expected_average_spend(cdnow, 2, -10), data_error);
    fit_result wrong;
    wrong.names = {"r", "alpha", "a", "b"};
    CHECK_THROWS_AS(gamma_gamma_params_from(wrong), invalid_argument);
    // From values in the order {p, q, v}: the count is checked, naming "params".
    const gamma_gamma_params from_values = gamma_gamma_params_from(std::vector{6.25, 3.74, 15.44});
    CHECK(from_values.p == 6.25);
    CHECK(from_values.q == 3.74);
    CHECK(from_values.v == 15.44);
    CHECK_THROWS_WITH_AS(gamma_gamma_params_from(std::vector{1.0, 2.0}),
                         "params: the Gamma-Gamma model has 3 parameters, got 2", invalid_argument);
}
