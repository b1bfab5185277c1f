// Tests of retention/sbg.hpp: the published fits of Fader & Hardie (2007) on their 'regular'
// and 'high end' cohorts, survival, retention rates and churn probabilities worked by hand,
// DERL against a hand value and a direct sum of the survival function, and bad input.
//
// Reference values from tests/reference/retention_reference.py (scipy): the same log-likelihood (FH
// 2007 eq. 7) maximised by Nelder-Mead on log-parameters (xatol 1e-12), and scipy.special.hyp2f1
// for DERL.
#include <custometrics/error.hpp>
#include <custometrics/retention/sbg.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <vector>

using namespace custometrics;

namespace {

double rel(double got, double want) {
    return std::abs(got - want) / std::abs(want);
}

// Survivors in years 0..7 (FH 2007, Table 1; years 8..12 were their holdout).
const std::vector<double> regular{1000, 631, 468, 382, 326, 289, 262, 241};
const std::vector<double> high_end{1000, 869, 743, 653, 593, 551, 517, 491};

} // namespace

TEST_CASE("sbg: published fits of Fader & Hardie (2007)") {
    // FH 2007: regular alpha = 0.704, beta = 1.182; high end alpha = 0.668, beta = 3.806.
    const fit_result fr = fit_sbg(regular);
    CHECK(fr.report.converged);
    const sbg_params r = sbg_params_from(fr);
    CHECK(std::abs(r.alpha - 0.704) < 0.0005);
    CHECK(std::abs(r.beta - 1.182) < 0.0005);
    // scipy: 0.7040773019, 1.182043031, LL -1680.265188.
    CHECK(rel(r.alpha, 0.7040773019) < 1e-6);
    CHECK(rel(r.beta, 1.182043031) < 1e-6);
    CHECK(rel(fr.log_likelihood, -1680.265188) < 1e-9);
    CHECK(fr.n == 1000.0);
    CHECK(fr.std_errors[0] > 0);

    const fit_result fh = fit_sbg(high_end);
    const sbg_params h = sbg_params_from(fh);
    CHECK(std::abs(h.alpha - 0.668) < 0.0005);
    CHECK(std::abs(h.beta - 3.806) < 0.0005);
    CHECK(rel(h.alpha, 0.6680883871) < 1e-6);
    CHECK(rel(h.beta, 3.806095501) < 1e-6);
    CHECK(rel(fh.log_likelihood, -1611.158147) < 1e-9);

    // The projection to year 12 (FH 2007 Fig. 3: actual 173 of the regular cohort, 394 high
    // end): 1000 S(12) = 170.04 and 378.00 (scipy 0.170037451939828, 0.377999081170055).
    CHECK(rel(sbg_survival(r, 12), 0.170037451939828) < 1e-6);
    CHECK(rel(sbg_survival(h, 12), 0.377999081170055) < 1e-6);
}

TEST_CASE("sbg: survival, retention and churn worked by hand") {
    const sbg_params p{1, 1}; // theta uniform: S(t) = B(1, 1 + t)/B(1, 1) = 1/(t + 1)
    CHECK(sbg_survival(p, 0) == doctest::Approx(1.0).epsilon(1e-15));
    CHECK(sbg_survival(p, 3) == doctest::Approx(0.25).epsilon(1e-14));
    // P(T = t) = B(2, t)/B(1, 1) = 1/(t (t + 1)): t = 1: 1/2, t = 4: 1/20.
    CHECK(sbg_churn_probability(p, 1) == doctest::Approx(0.5).epsilon(1e-14));
    CHECK(sbg_churn_probability(p, 4) == doctest::Approx(0.05).epsilon(1e-14));
    // r_t = t/(t + 1).
    CHECK(sbg_retention_rate(p, 1) == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(sbg_retention_rate(p, 9) == doctest::Approx(0.9).epsilon(1e-15));
    // Consistency: S(t) = S(t-1) - P(T = t) = S(t-1) r_t at other parameters.
    const sbg_params q{0.704, 1.182};
    for (int t = 1; t <= 20; ++t) {
        CHECK(sbg_survival(q, t) ==
              doctest::Approx(sbg_survival(q, t - 1) - sbg_churn_probability(q, t)).epsilon(1e-12));
        CHECK(sbg_survival(q, t) ==
              doctest::Approx(sbg_survival(q, t - 1) * sbg_retention_rate(q, t)).epsilon(1e-12));
    }
}

TEST_CASE("sbg: DERL (Fader & Hardie 2010)") {
    // alpha = beta = 1, no renewals yet, d = 0.1, z = 1/1.1:
    // (1/2) 2F1(1, 2; 3; z) = (1/2)(2/z^2)(-log(1 - z) - z) = (log 11 - 1/1.1) * 1.21
    // = 1.80145328008602...
    CHECK(sbg_derl({1, 1}, 0.1, 0) ==
          doctest::Approx((std::log(11.0) - 1 / 1.1) * 1.21).epsilon(1e-13));
    // Against scipy.special.hyp2f1 at the regular cohort's estimates.
    const sbg_params r{0.704, 1.182};
    CHECK(rel(sbg_derl(r, 0.1, 0), 2.96466214613203) < 1e-12);
    CHECK(rel(sbg_derl(r, 0.1, 4), 5.89442285984416) < 1e-12);
    // Against the definition: sum_{j>=0} S(n + j)/S(n - 1) (1 + d)^-j, n - 1 = 4 renewals.
    double direct = 0;
    for (int j = 0; j < 2000; ++j)
        direct += sbg_survival(r, 5 + j) / sbg_survival(r, 4) * std::pow(1.1, -j);
    CHECK(rel(sbg_derl(r, 0.1, 4), direct) < 1e-11);
    // d = 0: the expected residual lifetime (beta + n - 1)/(alpha - 1), alpha > 1.
    CHECK(sbg_derl({3, 2}, 0, 2) == doctest::Approx(2.0).epsilon(1e-15));
    CHECK(rel(sbg_derl({3, 2}, 1e-5, 2), 2.0) < 1e-4);
    CHECK_THROWS_AS(sbg_derl(r, 0, 0), invalid_argument);
}

TEST_CASE("sbg: bad input") {
    CHECK_THROWS_AS(fit_sbg(std::vector<double>{1000}), invalid_argument);
    CHECK_THROWS_WITH_AS(fit_sbg(std::vector<double>{1000, 600, 700}),
                         "active: period 2: value 700 is above the previous period's 600 "
                         "(counts must not increase)",
                         data_error);
    CHECK_THROWS_AS(fit_sbg(std::vector<double>{0, 0}), data_error);
    CHECK_THROWS_AS(fit_sbg(std::vector<double>{100, std::nan("")}), data_error);
    CHECK_THROWS_AS(fit_sbg(std::vector<double>{100, -1}), data_error);
    CHECK_THROWS_AS(sbg_survival({0, 1}, 1), invalid_argument);
    CHECK_THROWS_AS(sbg_survival({1, 1}, -1), invalid_argument);
    CHECK_THROWS_AS(sbg_retention_rate({1, 1}, 0), invalid_argument);
    CHECK_THROWS_AS(sbg_derl({1, 1}, -0.1, 0), invalid_argument);
    CHECK_THROWS_AS(sbg_derl({1, 1}, 0.1, -1), invalid_argument);
    fit_result wrong;
    wrong.names = {"p", "q", "v"};
    CHECK_THROWS_AS(sbg_params_from(wrong), invalid_argument);
    // From values in the order {alpha, beta}: the count is checked, naming "params".
    const sbg_params from_values = sbg_params_from(std::vector{0.7, 1.2});
    CHECK(from_values.alpha == 0.7);
    CHECK(from_values.beta == 1.2);
    CHECK_THROWS_WITH_AS(sbg_params_from(std::vector{1.0, 2.0, 3.0}),
                         "params: the sBG model has 2 parameters, got 3", invalid_argument);
}

TEST_CASE("sBG survival and retention rate at a column of periods") {
    // alpha = beta = 1: S(t) = B(1, 1 + t) / B(1, 1) = 1 / (1 + t); r_t = t / (t + 1).
    const sbg_params p{1.0, 1.0};
    const std::vector<std::int64_t> t{0, 1, 2};
    const std::vector<double> s = sbg_survival(p, t);
    REQUIRE(s.size() == 3);
    CHECK(s[0] == doctest::Approx(1.0).epsilon(1e-14));
    CHECK(s[1] == doctest::Approx(0.5).epsilon(1e-14));
    CHECK(s[2] == doctest::Approx(1.0 / 3.0).epsilon(1e-14));
    const std::vector<std::int64_t> renewals{1, 2};
    const std::vector<double> r = sbg_retention_rate(p, renewals);
    CHECK(r == std::vector<double>{0.5, 2.0 / 3.0});
    CHECK(sbg_survival(p, std::vector<std::int64_t>{}).empty());
    CHECK_THROWS_AS(sbg_retention_rate(p, t), custometrics::invalid_argument); // t = 0 < 1
    // 2^32 does not wrap to period 0 (S = 1): it is an error naming its row and value.
    const std::vector<std::int64_t> huge{1, std::int64_t{1} << 32};
    try {
        (void)sbg_survival(p, huge);
        FAIL("no error");
    } catch (const custometrics::invalid_argument& e) {
        CHECK(e.context().argument == "t");
        CHECK(e.context().row == std::optional<std::size_t>{1});
        CHECK(e.context().value == "4294967296");
    }
}
