// Tests of retention/economics.hpp: every figure worked by hand from the file's formulas, the
// margin multiples of Gupta & Lehmann (2003), a direct sum of the discounted cash flows, and
// bad input.
#include <custometrics/error.hpp>
#include <custometrics/retention/economics.hpp>

#include <doctest/doctest.h>

#include <cmath>

using namespace custometrics;

TEST_CASE("economics: margin multiples and lifetime value") {
    // Gupta & Lehmann 2003: margin multiple r/(1 + i - r): 80%, 12%: 0.8/0.32 = 2.5;
    // 90%, 12%: 0.9/0.22 = 4.0909...
    CHECK(margin_multiple(0.8, 0.12, margin_timing::end_of_period) ==
          doctest::Approx(2.5).epsilon(1e-15));
    CHECK(margin_multiple(0.9, 0.12, margin_timing::end_of_period) ==
          doctest::Approx(0.9 / 0.22).epsilon(1e-15));
    // m = 100, r = 0.8, d = 0.1: start of period 100 * 1.1/0.3 = 366.67, end 100 * 0.8/0.3.
    CHECK(retention_lifetime_value(100, 0.8, 0.1) == doctest::Approx(1100.0 / 3).epsilon(1e-15));
    CHECK(retention_lifetime_value(100, 0.8, 0.1, margin_timing::end_of_period) ==
          doctest::Approx(800.0 / 3).epsilon(1e-15));
    // Against the discounted sum of the cash flows, sum_{t>=0} m r^t/(1+d)^t.
    double sum = 0;
    for (int t = 0; t < 2000; ++t)
        sum += 100 * std::pow(0.8 / 1.1, t);
    CHECK(retention_lifetime_value(100, 0.8, 0.1) == doctest::Approx(sum).epsilon(1e-13));
    // r = 1 with d > 0: a perpetuity paid in advance, m (1 + d)/d; r = 0: one margin (start).
    CHECK(retention_lifetime_value(10, 1, 0.05) == doctest::Approx(210.0).epsilon(1e-14));
    CHECK(retention_lifetime_value(10, 0, 0.05) == doctest::Approx(10.0).epsilon(1e-15));
    CHECK(retention_lifetime_value(10, 0, 0.05, margin_timing::end_of_period) == 0.0);
}

TEST_CASE("economics: five points more retention") {
    retention_base base;
    base.customers = 10000;
    base.new_customers = 1000;
    base.acquisition_cost = 50;
    const retention_change c = retention_uplift(100, 0.8, 0.1, 5, base);
    // CLV 366.67 -> 100 * 1.1/0.25 = 440: +20%.
    CHECK(c.before.lifetime_value == doctest::Approx(1100.0 / 3));
    CHECK(c.after.retention_rate == doctest::Approx(0.85).epsilon(1e-15));
    CHECK(c.after.lifetime_value == doctest::Approx(440.0));
    REQUIRE(c.lifetime_value_change);
    CHECK(*c.lifetime_value_change == doctest::Approx(0.2).epsilon(1e-13));
    // Base value: 10000 * 366.67 + 1000 (366.67 - 50)/0.1 = 3,666,666.7 + 3,166,666.7
    // = 6,833,333.3; after: 4,400,000 + 3,900,000 = 8,300,000: +21.46%.
    CHECK(c.before.base_value == doctest::Approx(20500000.0 / 3).epsilon(1e-13));
    CHECK(c.after.base_value == doctest::Approx(8300000.0).epsilon(1e-13));
    REQUIRE(c.base_value_change);
    CHECK(*c.base_value_change == doctest::Approx(8300000.0 / (20500000.0 / 3) - 1).epsilon(1e-12));
    // Steady state: 1000/0.2 = 5000 -> 1000/0.15 = 6666.7 customers; profit 5000 * 100 -
    // 50 * 1000 = 450,000 -> 616,666.7 per period: +37.04%.
    REQUIRE(c.before.steady_state_customers);
    CHECK(*c.before.steady_state_customers == doctest::Approx(5000.0));
    CHECK(*c.after.steady_state_customers == doctest::Approx(20000.0 / 3));
    CHECK(*c.before.steady_state_profit == doctest::Approx(450000.0));
    CHECK(*c.after.steady_state_profit == doctest::Approx(1850000.0 / 3));
    REQUIRE(c.steady_state_profit_change);
    CHECK(*c.steady_state_profit_change == doctest::Approx(1850000.0 / 3 / 450000.0 - 1));

    // Without new customers there is no steady state; without customers no base change.
    const retention_change none = retention_uplift(100, 0.8, 0.1, -10);
    CHECK(none.after.lifetime_value == doctest::Approx(100 * 1.1 / 0.4));
    CHECK(!none.before.steady_state_profit);
    CHECK(!none.steady_state_profit_change);
    CHECK(!none.base_value_change); // 0 customers: value 0 before
    CHECK(none.lifetime_value_change);
}

TEST_CASE("economics: bad input") {
    CHECK_THROWS_AS(margin_multiple(1.1, 0.1), invalid_argument);
    CHECK_THROWS_AS(margin_multiple(-0.1, 0.1), invalid_argument);
    CHECK_THROWS_AS(margin_multiple(0.5, -0.1), invalid_argument);
    CHECK_THROWS_AS(margin_multiple(1, 0), invalid_argument);
    CHECK_THROWS_AS(margin_multiple(std::nan(""), 0.1), invalid_argument);
    CHECK_THROWS_AS(retention_lifetime_value(INFINITY, 0.5, 0.1), invalid_argument);
    CHECK_THROWS_AS(retention_uplift(100, 0.98, 0.1, 5), invalid_argument);
    CHECK_THROWS_AS(retention_uplift(100, 0.8, 0.1, NAN), invalid_argument);
    retention_base b;
    b.customers = -1;
    CHECK_THROWS_AS(retention_scenario_at(100, 0.8, 0.1, b), invalid_argument);
    b = {};
    b.new_customers = 10;
    CHECK_THROWS_AS(retention_scenario_at(100, 0.8, 0.0, b), invalid_argument);
    b.acquisition_cost = -5;
    CHECK_THROWS_AS(retention_scenario_at(100, 0.8, 0.1, b), invalid_argument);
}

TEST_CASE("economics: margin timing by name") {
    CHECK(parse_margin_timing("start") == margin_timing::start_of_period);
    CHECK(parse_margin_timing("end") == margin_timing::end_of_period);
    CHECK_THROWS_WITH_AS(parse_margin_timing("middle", "--timing"),
                         "--timing: expected 'start' or 'end', got 'middle'", invalid_argument);
}
