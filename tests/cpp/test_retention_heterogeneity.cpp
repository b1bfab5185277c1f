// Tests of retention/heterogeneity.hpp: the mixing densities on their grids against hand values
// (closed-form quantiles and densities), the choice of distribution per model, and bad input.
#include <custometrics/error.hpp>
#include <custometrics/retention/heterogeneity.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using namespace custometrics;

TEST_CASE("heterogeneity: Gamma(2, 1) by hand") {
    const auto d = gamma_mixing_density(2.0, 1.0);
    CHECK(d.distribution == "gamma");
    CHECK(d.mean == doctest::Approx(2.0).epsilon(1e-15));     // shape / rate
    CHECK(d.variance == doctest::Approx(2.0).epsilon(1e-15)); // shape / rate^2
    REQUIRE(d.x.size() == 100);
    // The 99% quantile q solves 1 - e^-q (1 + q) = 0.99: q = 6.638352067993811 (scipy's ppf).
    const double q = d.x.back();
    CHECK(std::exp(-q) * (1.0 + q) == doctest::Approx(0.01).epsilon(1e-12));
    CHECK(q == doctest::Approx(6.638352067993811).epsilon(1e-12));
    CHECK(d.x.front() == 0.0);
    CHECK(d.x[1] == doctest::Approx(q / 99).epsilon(1e-15));
    CHECK(d.density.front() == 0.0); // x e^-x at 0
    for (std::size_t i = 1; i < d.x.size(); i += 11)
        CHECK(d.density[i] == doctest::Approx(d.x[i] * std::exp(-d.x[i])).epsilon(1e-13));
}

TEST_CASE("heterogeneity: shapes below and at 1 at zero") {
    // Gamma(1/2, rate 2) = chi-square(1) / 4: the 99% quantile is 6.634896601 / 4 (tables).
    const auto half = gamma_mixing_density(0.5, 2.0, 5);
    CHECK(half.x.back() == doctest::Approx(6.634896601021214 / 4).epsilon(1e-10));
    CHECK(std::isinf(half.density.front()));
    // pdf = sqrt(2 / (pi x)) e^(-2x) for shape 1/2, rate 2.
    const double x = half.x[2];
    CHECK(half.density[2] ==
          doctest::Approx(std::sqrt(2.0 / (M_PI * x)) * std::exp(-2.0 * x)).epsilon(1e-13));
    CHECK(gamma_mixing_density(1.0, 3.0).density.front() == 3.0); // 3 e^(-3x) at 0
    CHECK(beta_mixing_density(1.0, 4.0).density.front() == 4.0);  // 4 (1 - x)^3 at 0
}

TEST_CASE("heterogeneity: Beta(2, 2) by hand") {
    const auto d = beta_mixing_density(2.0, 2.0, 11);
    CHECK(d.distribution == "beta");
    CHECK(d.mean == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(d.variance == doctest::Approx(0.05).epsilon(1e-15)); // 4 / (16 * 5)
    // 99% quantile: 3q^2 - 2q^3 = 0.99, q = 0.9410968642218047.
    const double q = d.x.back();
    CHECK(3 * q * q - 2 * q * q * q == doctest::Approx(0.99).epsilon(1e-12));
    for (std::size_t i = 0; i < d.x.size(); ++i)
        CHECK(d.density[i] == doctest::Approx(6 * d.x[i] * (1 - d.x[i])).epsilon(1e-13));
    const auto whole = beta_mixing_density(0.5, 0.5, 3, 1.0); // arcsine: unbounded at both ends
    CHECK(whole.x.back() == 1.0);
    CHECK(std::isinf(whole.density.front()));
    CHECK(std::isinf(whole.density.back()));
    CHECK(whole.density[1] == doctest::Approx(2 / M_PI).epsilon(1e-13)); // 1 / (pi sqrt(1/4))
}

TEST_CASE("heterogeneity: the distribution of each model") {
    const bg_nbd_params bg{0.243, 4.414, 0.793, 2.426};
    const auto purchase = heterogeneity(bg, heterogeneity_kind::purchase);
    CHECK(purchase.distribution == "gamma");
    CHECK(purchase.mean == doctest::Approx(0.243 / 4.414).epsilon(1e-15));
    const auto dropout = heterogeneity(bg, heterogeneity_kind::dropout);
    CHECK(dropout.distribution == "beta");
    CHECK(dropout.shape1 == 0.793);
    CHECK(dropout.mean == doctest::Approx(0.793 / (0.793 + 2.426)).epsilon(1e-15));
    CHECK(heterogeneity(mbg_nbd_params{1, 2, 3, 4}, heterogeneity_kind::dropout).shape2 == 4.0);
    const auto pareto =
        heterogeneity(pareto_nbd_params{0.553, 10.578, 0.606, 11.669}, heterogeneity_kind::dropout);
    CHECK(pareto.distribution == "gamma");
    CHECK(pareto.variance == doctest::Approx(0.606 / (11.669 * 11.669)).epsilon(1e-15));
}

TEST_CASE("heterogeneity: bad input names the argument") {
    CHECK_THROWS_WITH_AS(gamma_mixing_density(0.0, 1.0), "shape: must be positive and finite",
                         invalid_argument);
    CHECK_THROWS_WITH_AS(gamma_mixing_density(1.0, std::numeric_limits<double>::quiet_NaN()),
                         doctest::Contains("rate:"), invalid_argument);
    CHECK_THROWS_WITH_AS(beta_mixing_density(1.0, -2.0), doctest::Contains("b:"), invalid_argument);
    CHECK_THROWS_WITH_AS(gamma_mixing_density(1.0, 1.0, 1), doctest::Contains("points:"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(gamma_mixing_density(1.0, 1.0, 10, 1.0), doctest::Contains("upper:"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(beta_mixing_density(1.0, 1.0, 10, 0.0), doctest::Contains("upper:"),
                         invalid_argument);
}
