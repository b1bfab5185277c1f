// Tests of retention/clv.hpp: lifetime value against lifetimes 0.11.3 and a hand sum, the
// next-purchase quantile worked by hand and against its defining survival function, and the
// contact list (window, call time, ranking, bad input).
//
// lifetimes values from tests/reference/retention_reference.py: BG/NBD (0.243, 4.414, 0.793, 2.426)
// as the transaction model (predict = conditional_expected_number_of_purchases_up_to_time),
// Gamma-Gamma (6.25, 3.74, 15.44), `g.customer_lifetime_value(b, x, tx, T, m, time=12,
// discount_rate=0.01, freq="W")` and `(..., time=3, discount_rate=0.05, freq="D")`.
#include <custometrics/error.hpp>
#include <custometrics/retention/bg_nbd.hpp>
#include <custometrics/retention/clv.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace custometrics;

namespace {

const bg_nbd_params bg{0.243, 4.414, 0.793, 2.426};
const gamma_gamma_params gg{6.25, 3.74, 15.44};

double rel(double got, double want) {
    return std::abs(got - want) / std::abs(want);
}

const std::vector<double> xs{2, 1, 0, 5, 40};
const std::vector<double> txs{30.43, 1.71, 0, 20, 30};
const std::vector<double> Ts{38.86, 38.86, 38.86, 38, 38.86};
const std::vector<double> ms{22.35, 11.77, 0, 40, 15};

} // namespace

TEST_CASE("clv: lifetime value against lifetimes 0.11.3") {
    const double weeks[] = {36.289211125599358, 4.6372946597471936, 8.3690043589201846,
                            56.466626763806318, 2.5871608120693081};
    const double days[] = {54.048735569685292, 6.9978089858844301, 12.938793754798747,
                           82.540823213138921, 3.7169446814241596};
    clv_options w;
    w.periods_per_month = 4.345;
    clv_options d;
    d.months = 3;
    d.discount_rate = 0.05;
    const std::vector<double> vw = customer_lifetime_value(bg, gg, xs, txs, Ts, ms, w);
    const std::vector<double> vd = customer_lifetime_value(bg, gg, xs, txs, Ts, ms, d);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        CAPTURE(i);
        CHECK(rel(customer_lifetime_value(bg, gg, xs[i], txs[i], Ts[i], ms[i], w), weeks[i]) <
              1e-10);
        CHECK(rel(vw[i], weeks[i]) < 1e-10);
        CHECK(rel(vd[i], days[i]) < 1e-10);
    }
}

TEST_CASE("clv: the definition summed by hand") {
    // Two months of 4 periods at 1% a month, 10 per purchase:
    // 10 E(4)/1.01 + 10 (E(8) - E(4))/1.01^2.
    const double e4 = conditional_expected_purchases(bg, 4, 2, 30.43, 38.86);
    const double e8 = conditional_expected_purchases(bg, 8, 2, 30.43, 38.86);
    clv_options o;
    o.months = 2;
    o.periods_per_month = 4;
    CHECK(customer_lifetime_value(bg, 10.0, 2, 30.43, 38.86, o) ==
          doctest::Approx(10 * e4 / 1.01 + 10 * (e8 - e4) / (1.01 * 1.01)).epsilon(1e-14));
    // No discounting: the value of all purchases in 8 periods.
    o.discount_rate = 0;
    CHECK(customer_lifetime_value(bg, 10.0, 2, 30.43, 38.86, o) ==
          doctest::Approx(10 * e8).epsilon(1e-14));
}

TEST_CASE("clv: next purchase time") {
    const bg_nbd_params p{1, 1, 1, 1};
    // r + x = 2, alpha + T = 3: median 3 (sqrt(2) - 1); quantile 0.75: 3 (4^(1/2) - 1) = 3.
    CHECK(next_purchase_time(p, 1, 1, 2) ==
          doctest::Approx(3 * (std::sqrt(2.0) - 1)).epsilon(1e-15));
    CHECK(next_purchase_time(p, 1, 1, 2, 0.75) == doctest::Approx(3.0).epsilon(1e-15));
    // The defining survival function ((alpha+T)/(alpha+T+w))^(r+x) = 1 - q at the CDNOW values.
    for (const double q : {0.1, 0.5, 0.9}) {
        const double w = next_purchase_time(bg, 2, 30.43, 38.86, q);
        CHECK(std::pow(43.274 / (43.274 + w), 2.243) == doctest::Approx(1 - q).epsilon(1e-13));
    }
    // Heavy buyer: tiny, finite; a customer with no repeat purchase: long (r + x = 0.243).
    CHECK(next_purchase_time(bg, 1000, 38, 38.86) ==
          doctest::Approx(43.274 * std::expm1(std::log(2.0) / 1000.243)).epsilon(1e-14));
    CHECK(next_purchase_time(bg, 0, 0, 38.86) ==
          doctest::Approx(43.274 * (std::pow(2.0, 1 / 0.243) - 1)).epsilon(1e-13));
    CHECK_THROWS_AS(next_purchase_time(bg, 1, 1, 2, 1.0), invalid_argument);
    CHECK_THROWS_AS(next_purchase_time(bg, 1, 3, 2), data_error);
}

TEST_CASE("clv: contact list") {
    // Medians (weeks): customer 0 (x 2): 43.274 (2^(1/2.243) - 1) = 15.67;
    // 1 (x 1): 43.274 (2^(1/1.243) - 1) = 32.31; 2 (x 0): 706.7; 3 (x 5, T 38):
    // 42.414 (2^(1/5.243) - 1) = 5.99; 4 (x 40): 43.274 (2^(1/40.243) - 1) = 0.752.
    const std::vector<double> value{36.3, 4.6, 8.4, 56.5, 2.6};
    contact_options o;
    o.window_start = 0;
    o.window_end = 20;
    o.lead_time = 2;
    const std::vector<contact> c = contact_list(bg, xs, txs, Ts, value, o);
    REQUIRE(c.size() == 3); // customers 3, 0, 4 by value
    CHECK(c[0].customer == 3);
    CHECK(c[1].customer == 0);
    CHECK(c[2].customer == 4);
    CHECK(c[1].next_purchase == doctest::Approx(15.669468476069847).epsilon(1e-12));
    CHECK(c[0].next_purchase == doctest::Approx(5.994857501983293).epsilon(1e-12));
    CHECK(c[1].call_at == doctest::Approx(c[1].next_purchase - 2));
    CHECK(c[2].call_at == 0.0); // 0.752 - 2 < 0: call now
    CHECK(c[1].p_alive == p_alive(bg, 2, 30.43, 38.86));
    CHECK(c[0].value_at_risk == 56.5);
    // A window that excludes everyone; ties keep input order.
    o.window_start = 100;
    o.window_end = 200;
    CHECK(contact_list(bg, xs, txs, Ts, value, o).empty());
    const std::vector<double> same(5, 1.0);
    o.window_start = 0;
    o.window_end = 1e9;
    const std::vector<contact> all = contact_list(bg, xs, txs, Ts, same, o);
    REQUIRE(all.size() == 5);
    for (std::size_t i = 0; i < 5; ++i)
        CHECK(all[i].customer == i);
    // Bad input.
    o.window_start = 5;
    o.window_end = 1;
    CHECK_THROWS_AS(contact_list(bg, xs, txs, Ts, value, o), invalid_argument);
    o = {};
    o.lead_time = -1;
    CHECK_THROWS_AS(contact_list(bg, xs, txs, Ts, value, o), invalid_argument);
    o = {};
    CHECK_THROWS_AS(contact_list(bg, xs, txs, Ts, std::vector<double>{1, 2}, o), invalid_argument);
    const std::vector<double> nan_value{1, 2, std::nan(""), 4, 5};
    CHECK_THROWS_AS(contact_list(bg, xs, txs, Ts, nan_value, o), data_error);
    clv_options bad;
    bad.months = 0;
    CHECK_THROWS_AS(customer_lifetime_value(bg, gg, 2, 30.43, 38.86, 22.35, bad), invalid_argument);
    bad = {};
    bad.periods_per_month = 0;
    CHECK_THROWS_AS(customer_lifetime_value(bg, 1.0, 2, 30.43, 38.86, bad), invalid_argument);
    CHECK_THROWS_AS(customer_lifetime_value(bg, gg, xs, txs, Ts, std::vector<double>{1}),
                    invalid_argument);
}
