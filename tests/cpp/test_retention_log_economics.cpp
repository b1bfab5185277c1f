// Tests of retention/log_economics.hpp: a log worked by hand (periods, retention, new customers,
// the projection, the spend comparison), its writers, the cap above 100%, the cost column, and
// bad input.
#include <custometrics/error.hpp>
#include <custometrics/output/economics.hpp>
#include <custometrics/retention/log_economics.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

constexpr std::int64_t day = 86'400;
constexpr std::int64_t t0 = 1'577'836'800; // 2020-01-01

struct row {
    const char* key;
    int day;
    double amount;
};

transaction_log make_log(const std::vector<row>& rows, bool with_cost = false) {
    transaction_log log;
    for (const row& r : rows) {
        log.customer.push_back(log.customer_keys.insert(std::string_view(r.key)));
        log.time.push_back(t0 + r.day * day);
        log.amount.push_back(r.amount);
        if (with_cost) log.cost.push_back(0.25 * r.amount);
    }
    return log;
}

// The hand-worked log: periods of 10 days; the last row is on day 29, so the end is day 30 and
// the complete periods are P2 = [0, 10), P1 = [10, 20), P0 = [20, 30); day -3 is the head.
//   A: -3 (10, head), 5 (10), 15 (10), 25 (10)  active P2 P1 P0, never new (bought in the head)
//   B: 2 (20), 12 (20)                          active P2 P1, new in P2
//   C: 8 (30)                                   active P2, new in P2
//   D: 14 (40), 16 (-40, a return)              active P1, new in P1, net revenue 0
//   E: 29 (50)                                  active P0, new in P0
//   F: 25 (-5, a return only)                   never active
//   G: 11 (10), 27 (10)                         active P1 P0 (not P2), new in P1
// Active: P2 {A, B, C} = 3, P1 {A, B, D, G} = 4, P0 {A, E, G} = 3.
// Retained: P1: A, B (2 of 3); P0: A, G (2 of 4); pooled r = 4/7.
// New: P2 2, P1 2, P0 1; per period (P1, P0) = 1.5.
// Revenue: P2 60, P1 10 + 20 + 0 + 10 = 40, P0 10 + 50 - 5 + 10 = 65; 165 over 10
// customer-periods = 16.5 per customer; margin at rate 0.5: 8.25.
const std::vector<row> hand_rows{{"A", -3, 10},  {"A", 5, 10},  {"A", 15, 10}, {"A", 25, 10},
                                 {"B", 2, 20},   {"B", 12, 20}, {"C", 8, 30},  {"D", 14, 40},
                                 {"D", 16, -40}, {"E", 29, 50}, {"F", 25, -5}, {"G", 11, 10},
                                 {"G", 27, 10}};

log_economics_options hand_options() {
    log_economics_options o;
    o.period_days = 10;
    o.margin_rate = 0.5;
    o.horizon = 2;
    return o;
}

// customers_t = N q^t + n (1 + ... + q^(t-1)) summed over t = 1, 2 with N = 3, n = 1.5.
double customers_over_two(double q) {
    return (3 * q + 1.5) + (3 * q * q + 1.5 * (1 + q));
}

} // namespace

TEST_CASE("log economics: the hand-worked log") {
    const transaction_log log = make_log(hand_rows);
    const log_economics_result r = log_retention_economics(log.view(), hand_options());
    CHECK(r.rows == 13);
    CHECK(r.rows_before == 1);
    CHECK(r.rows_used == 12);
    CHECK(r.rows_after == 0);
    CHECK(r.customers == 7);
    REQUIRE(r.periods.size() == 3);
    CHECK(r.periods[0].start == t0);
    CHECK(r.periods[2].end == t0 + 30 * day);
    const std::vector<std::size_t> active{3, 4, 3}, retained{0, 2, 2}, fresh{2, 2, 1};
    const std::vector<double> revenue{60, 40, 65};
    for (std::size_t k = 0; k < 3; ++k) {
        CAPTURE(k);
        CHECK(r.periods[k].active == active[k]);
        CHECK(r.periods[k].retained == retained[k]);
        CHECK(r.periods[k].new_customers == fresh[k]);
        CHECK(r.periods[k].revenue == revenue[k]);
        CHECK(r.periods[k].margin == 0.5 * revenue[k]);
    }
    CHECK_FALSE(r.periods[0].retention_rate);
    CHECK(*r.periods[1].retention_rate == doctest::Approx(2.0 / 3));
    CHECK(*r.periods[2].retention_rate == doctest::Approx(0.5));
    CHECK(r.retained == 4);
    CHECK(r.retention_base == 7);
    CHECK(r.retention_rate == doctest::Approx(4.0 / 7).epsilon(1e-15));
    // Wilson 95% for 4 of 7 (z = 1.96): centre (4/7 + z^2/14)/(1 + z^2/7) = 0.5546, half-width
    // z sqrt(4/7 * 3/7 / 7 + z^2/196)/(1 + z^2/7) = 0.3162: [0.2503, 0.8417] (as
    // statsmodels' proportion_confint(4, 7, method="wilson")).
    CHECK(r.retention_ci_low == doctest::Approx(0.25047).epsilon(1e-4));
    CHECK(r.retention_ci_high == doctest::Approx(0.84175).epsilon(1e-4));
    CHECK(r.revenue_per_customer == doctest::Approx(16.5).epsilon(1e-15));
    CHECK(r.margin_per_customer == doctest::Approx(8.25).epsilon(1e-15));
    CHECK(r.customers_now == 3);
    CHECK(r.new_customers_per_period == 1.5);

    REQUIRE(r.scenarios.size() == 3);
    const double q0 = 4.0 / 7, q1 = q0 + 0.05, q2 = q0 * 1.05;
    CHECK(r.scenarios[0].name == "observed");
    CHECK(r.scenarios[1].name == "+5 points");
    CHECK(r.scenarios[2].name == "+5 percent");
    CHECK(r.scenarios[1].retention_rate == doctest::Approx(q1).epsilon(1e-15));
    CHECK(r.scenarios[2].retention_rate == doctest::Approx(q2).epsilon(1e-15));
    // Period 1 of the observed projection: 3 * 4/7 + 1.5 = 3.2143 customers, x 16.5 revenue.
    REQUIRE(r.scenarios[0].projection.size() == 2);
    CHECK(r.scenarios[0].projection[0].customers == doctest::Approx(12.0 / 7 + 1.5));
    CHECK(r.scenarios[0].projection[1].customers ==
          doctest::Approx(48.0 / 49 + 1.5 * 11.0 / 7).epsilon(1e-14));
    const double qs[3] = {q0, q1, q2};
    for (std::size_t s = 0; s < 3; ++s) {
        CAPTURE(s);
        CHECK_FALSE(r.scenarios[s].capped);
        CHECK(r.scenarios[s].revenue == doctest::Approx(16.5 * customers_over_two(qs[s])));
        CHECK(r.scenarios[s].margin == doctest::Approx(8.25 * customers_over_two(qs[s])));
        // Lifetime value at the start of periods: 8.25 * 1.1 / (1.1 - q).
        REQUIRE(r.scenarios[s].lifetime_value);
        CHECK(*r.scenarios[s].lifetime_value == doctest::Approx(8.25 * 1.1 / (1.1 - qs[s])));
    }
    CHECK_FALSE(r.scenarios[0].revenue_change);
    CHECK(*r.scenarios[1].revenue_change ==
          doctest::Approx(customers_over_two(q1) / customers_over_two(q0) - 1));
    CHECK(*r.scenarios[2].margin_change ==
          doctest::Approx(customers_over_two(q2) / customers_over_two(q0) - 1));
    CHECK(*r.scenarios[1].lifetime_value_change == doctest::Approx((1.1 - q0) / (1.1 - q1) - 1));
    CHECK_FALSE(r.spend);
}

TEST_CASE("log economics: acquisition against retention spend") {
    const transaction_log log = make_log(hand_rows);
    log_economics_options o = hand_options();
    o.acquisition_spend = 300;
    o.retention_spend = 100;
    const log_economics_result r = log_retention_economics(log.view(), o);
    REQUIRE(r.spend);
    const economics_spend& s = *r.spend;
    CHECK(*s.spend_ratio == 3);
    CHECK(*s.cost_per_new_customer == 200);     // 300 / 1.5 new a period
    CHECK(*s.cost_per_retained_customer == 50); // 100 / (4 retained over 2 periods)
    CHECK(*s.cost_ratio == 4);
    CHECK(s.extra_retained == doctest::Approx(0.15));            // 3 customers x 5 points
    CHECK(*s.break_even_retention_spend == doctest::Approx(30)); // 0.15 x 200
    CHECK(*s.extra_retained_value == doctest::Approx(0.15 * 8.25 * 1.1 / (1.1 - 4.0 / 7 - 0.05)));

    // Only the acquisition spend: no ratios that need the other.
    o.retention_spend.reset();
    const log_economics_result a = log_retention_economics(log.view(), o);
    CHECK_FALSE(a.spend->spend_ratio);
    CHECK_FALSE(a.spend->cost_per_retained_customer);
    CHECK(*a.spend->cost_per_new_customer == 200);
}

TEST_CASE("log economics: writers") {
    const transaction_log log = make_log(hand_rows);
    log_economics_options o = hand_options();
    o.acquisition_spend = 300;
    o.retention_spend = 100;
    const log_economics_result r = log_retention_economics(log.view(), o);
    std::ostringstream text;
    output::write_text(text, r);
    CHECK(text.str().rfind("Retention economics (periods of 10 days)\n", 0) == 0);
    CHECK(text.str().find("57.1% of the customers") != std::string::npos);
    CHECK(text.str().find("4 of 7") != std::string::npos);
    CHECK(text.str().find("+5 points") != std::string::npos);
    CHECK(text.str().find("ratio 3.0 (the article: 8)") != std::string::npos);
    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, r);
    w.end_object();
    const std::string j = json.str();
    CHECK(j.find("\"retention\":{\"rate\":0.5714285714285714,") != std::string::npos);
    CHECK(j.find("\"spend_ratio\":3,\"article_spend_ratio\":8,") != std::string::npos);
    CHECK(j.find("\"start\":\"2020-01-01\"") != std::string::npos);
}

TEST_CASE("log economics: a rate above 100% is capped, margins from the cost column") {
    // Everyone buys in both periods: r = 1, +5 points -> 1.05 -> capped at 1.
    const transaction_log log =
        make_log({{"A", 0, 10}, {"A", 12, 10}, {"B", 1, 20}, {"B", 15, 20}}, true);
    log_economics_options o;
    o.period_days = 8; // the end is day 16: periods [0, 8) and [8, 16)
    o.horizon = 3;
    const log_economics_result r = log_retention_economics(log.view(), o);
    CHECK(r.margin_from_cost);
    CHECK(r.retention_rate == 1);
    CHECK(r.scenarios[1].capped);
    CHECK(r.scenarios[1].retention_rate == 1);
    CHECK(r.scenarios[1].revenue_change == 0.0);
    // Margin = amount - 0.25 amount; 60 over 4 customer-periods: revenue 15, margin 11.25.
    CHECK(r.margin_per_customer == doctest::Approx(11.25));
    // No new customers after the first period: customers stay 2 each period at r = 1.
    CHECK(r.scenarios[0].revenue == doctest::Approx(3 * 2 * 15));
    // r = 1, d = 0.1, start of period: m (1 + d)/d = 11.25 * 11.
    CHECK(*r.scenarios[0].lifetime_value == doctest::Approx(123.75));
    // With d = 0 the lifetime value at r = 1 is infinite: absent, not an error.
    o.discount_rate = 0;
    CHECK_FALSE(log_retention_economics(log.view(), o).scenarios[0].lifetime_value);
}

TEST_CASE("log economics: bad input") {
    const transaction_log log = make_log(hand_rows);
    log_economics_options o = hand_options();
    auto argument_of = [&](const log_economics_options& x) {
        try {
            log_retention_economics(log.view(), x);
        } catch (const invalid_argument& e) {
            return e.context().argument;
        }
        return std::string("no error");
    };
    log_economics_options x = o;
    x.margin_rate.reset();
    CHECK(argument_of(x) == "margin_rate");
    x = o;
    x.margin_rate = 1.5;
    CHECK(argument_of(x) == "margin_rate");
    x = o;
    x.period_days = 20; // 33 days: one complete period
    CHECK(argument_of(x) == "period_days");
    x = o;
    x.period_days = 0;
    CHECK(argument_of(x) == "period_days");
    x = o;
    x.horizon = 0;
    CHECK(argument_of(x) == "horizon");
    x = o;
    x.uplift = -5;
    CHECK(argument_of(x) == "uplift");
    x = o;
    x.discount_rate = NAN;
    CHECK(argument_of(x) == "discount_rate");
    x = o;
    x.acquisition_spend = -1;
    CHECK(argument_of(x) == "acquisition_spend");
    CHECK(argument_of(o) == "no error");
    const transaction_log empty;
    CHECK_THROWS_AS(log_retention_economics(empty.view(), o), invalid_argument);
    // end: before the log, or more than a period after its last row (day 29).
    x = o;
    x.end = t0 - 3 * day; // the first row's day
    CHECK(argument_of(x) == "end");
    x.end = t0 + 40 * day; // the latest period [30, 40) would have no row
    CHECK(argument_of(x) == "end");
    x.end = t0 + 39 * day; // [29, 39) holds day 29: allowed
    CHECK(argument_of(x) == "no error");
    x.period_days = 1;
    x.end = t0 + 1000000 * day; // far beyond, and 1,000,000+ periods
    CHECK(argument_of(x) == "end");
    // Only a return in the older period: nobody to measure retention on.
    const transaction_log returns = make_log({{"A", 0, -5}, {"A", 15, 10}});
    log_economics_options r = o;
    r.period_days = 8; // [0, 8), [8, 16)
    CHECK_THROWS_WITH_AS(log_retention_economics(returns.view(), r),
                         doctest::Contains("no customer with a purchase"), invalid_argument);
}

TEST_CASE("log economics: rows after the end are counted and left out") {
    const transaction_log log = make_log(hand_rows);
    log_economics_options o = hand_options();
    o.end = t0 + 20 * day; // periods [0, 10), [10, 20); days 22..29 after the end
    const log_economics_result r = log_retention_economics(log.view(), o);
    REQUIRE(r.periods.size() == 2);
    CHECK(r.rows_after == 4);  // A 25, E 29, F 25, G 27
    CHECK(r.rows_before == 1); // A -3
    // P1 {A, B, C}, P0 {A, B, D, G}: A and B kept, 2 of 3.
    CHECK(r.retained == 2);
    CHECK(r.retention_base == 3);
    CHECK(r.customers_now == 4);
}
