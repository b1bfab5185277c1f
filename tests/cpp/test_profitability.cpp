// Tests of profitability.hpp: a three-customer log worked by hand (every cost line, the flags
// and their reasons), the whale curve of the result, the JSON configuration, and bad input.
#include <custometrics/loyalty.hpp>
#include <custometrics/output/loyalty.hpp>
#include <custometrics/pareto.hpp>
#include <custometrics/profitability.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

// Rows: customer, order, amount, cost, discount, days late.
//   A: o1 100/60 (discount 10, 30 days late), o1 50/30 (30 days late), o2 100/60
//   B: o3 400/380, then a return of -100/-95 on o3
//   C: o4 20/10, o5 20/10
struct fixture {
    transaction_log log;
    std::vector<double> discount{10, 0, 0, 0, 0, 0, 0};
    std::vector<double> delay{30, 30, 0, 0, 0, 0, 0};
    std::vector<double> tickets{1, 2, 0};

    fixture() {
        const char* cust[] = {"A", "A", "A", "B", "B", "C", "C"};
        const char* ord[] = {"o1", "o1", "o2", "o3", "o3", "o4", "o5"};
        const double amount[] = {100, 50, 100, 400, -100, 20, 20};
        const double cost[] = {60, 30, 60, 380, -95, 10, 10};
        for (std::size_t i = 0; i < 7; ++i) {
            log.customer.push_back(log.customer_keys.insert(std::string_view(cust[i])));
            log.order.push_back(log.order_keys.insert(std::string_view(ord[i])));
            log.time.push_back(static_cast<std::int64_t>(i) * 86'400);
            log.amount.push_back(amount[i]);
            log.cost.push_back(cost[i]);
        }
    }
    profitability_inputs inputs() const { return {discount, delay, tickets}; }
};

template <class F> std::string error_of(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("profitability: every cost line worked by hand") {
    const fixture f;
    // cost_of_capital 0.0365: a day late costs amount x 0.0365 / 365 = amount x 0.0001.
    const cost_rates rates{2, 5, 10, 0.0365};
    const customer_profitability p = profitability(f.log.view(), rates, f.inputs());
    REQUIRE(p.size() == 3);
    // A: revenue 250, cost 150, discounts 10: margin 250 + 10 - 150 = 110. Orders o1, o2:
    // 2 x 2 = 4; no return; 1 ticket x 10 = 10; delay (100 + 50) x 30 x 0.0001 = 0.45.
    // Cost to serve 10 + 4 + 0 + 10 + 0.45 = 24.45; profit 110 - 24.45 = 85.55.
    CHECK(p.revenue[0] == 250);
    CHECK(p.gross_margin[0] == 110);
    CHECK(p.orders[0] == 2);
    CHECK(p.order_cost[0] == 4);
    CHECK(p.service_cost[0] == 10);
    CHECK(p.delay_cost[0] == doctest::Approx(0.45));
    CHECK(p.cost_to_serve[0] == doctest::Approx(24.45));
    CHECK(p.profit[0] == doctest::Approx(85.55));
    // B: revenue 300, cost 285, margin 15; one order 2, one return 5, 2 tickets 20: 27;
    // profit -12.
    CHECK(p.gross_margin[1] == 15);
    CHECK(p.return_rows[1] == 1);
    CHECK(p.return_cost[1] == 5);
    CHECK(p.cost_to_serve[1] == 27);
    CHECK(p.profit[1] == -12);
    // C: revenue 40, cost 20, two orders 4: profit 16.
    CHECK(p.profit[2] == 16);
    // Identity: profit = revenue - cost - order - return - service - delay costs.
    CHECK(p.profit[0] == doctest::Approx(250 - 150 - 4 - 0 - 10 - 0.45));

    // Flags. Revenues 40, 250, 300: 80% quantile at position 1.6 = 250 + 0.6 x 50 = 280, so
    // B (300) is large, and unprofitable. Margin rates 0.4, 0.05, 0.5: median 0.4; order values
    // 250/2 = 125, 400, 40/2 = 20: median 125.
    CHECK(p.large_threshold == doctest::Approx(280));
    CHECK(p.median_margin_rate == doctest::Approx(0.4));
    CHECK(p.median_order_value == 125);
    CHECK(p.large == std::vector<std::uint8_t>{0, 1, 0});
    CHECK(p.large_unprofitable == std::vector<std::uint8_t>{0, 1, 0});
    CHECK(p.reason[1] == "large but unprofitable: revenue 300 >= 280, profit -12 < 0");
    // A passes profit, margin (0.4 >= 0.4), order value (125 >= 125) and returns, but has
    // 1 ticket / 2 orders = 0.5 > 0.2.
    CHECK(p.wanted == std::vector<std::uint8_t>{0, 0, 0});
    CHECK(p.reason[0] == "not wanted: fails tickets per order 0.5 <= 0.2");
    CHECK(p.reason[2] == "not wanted: fails order value 20 >= median 125");
    CHECK(p.criteria_skipped.empty());

    // Looser thresholds: A also needs a mean delay (30 + 30 + 0) / 3 = 20 days <= 20.
    profitability_flags flags;
    flags.max_tickets_per_order = 0.5;
    flags.max_payment_delay_days = 20;
    const customer_profitability q = profitability(f.log.view(), rates, f.inputs(), flags);
    CHECK(q.wanted == std::vector<std::uint8_t>{1, 0, 0});
    CHECK(q.reason[0] == "wanted: profit 85.55 > 0, margin rate 0.4 >= median 0.4, order value "
                         "125 >= median 125, returns per order 0 <= 0.1, tickets per order 0.5 "
                         "<= 0.5, mean payment delay 20 <= 20 days");

    // The whale curve of the profits (pareto.hpp): total 85.55 - 12 + 16 = 89.55, peak
    // (85.55 + 16) / 89.55 after 2 of 3 customers; B destroys 12 / 89.55.
    const whale_result w = whale_curve(p.profit);
    CHECK(w.defined);
    CHECK(w.peak_count == 2);
    CHECK(w.peak_share == doctest::Approx(101.55 / 89.55));
    CHECK(w.loss_share == doctest::Approx(12 / 89.55));
}

TEST_CASE("profitability: service tiers") {
    const fixture f;
    const cost_rates rates{2, 5, 10, 0.0365};
    // Profits A 85.55, B -12, C 16 (the case above). Positive total 101.55: A's share before
    // it is 0 < 0.8, so A is tier A; C's share before is 85.55 / 101.55 = 0.842 >= 0.8 and
    // < 0.95: tier B; B (profit <= 0) is D.
    const customer_profitability p = profitability(f.log.view(), rates, f.inputs());
    CHECK(p.tier == std::vector<service_tier>{service_tier::A, service_tier::D, service_tier::B});
    CHECK(p.tiers[0].customers == 1);
    CHECK(p.tiers[0].profit == doctest::Approx(85.55));
    CHECK(p.tiers[0].cost_to_serve == doctest::Approx(24.45));
    CHECK(p.tiers[1].customers == 1);
    CHECK(p.tiers[1].gross_margin == 20); // C: 40 - 20
    CHECK(p.tiers[2].customers == 0);
    CHECK(p.tiers[3].customers == 1);
    CHECK(p.tiers[3].revenue == 300);
    CHECK(p.tiers[3].profit == -12);
    // With tier_a 0.9 C's share before (0.842) is below it: both positive customers are A.
    profitability_flags flags;
    flags.tier_a = 0.9;
    const customer_profitability q = profitability(f.log.view(), rates, f.inputs(), flags);
    CHECK(q.tier == std::vector<service_tier>{service_tier::A, service_tier::D, service_tier::A});
    CHECK(q.tiers[0].profit == doctest::Approx(101.55));
    // Cuts out of order are an error naming tier_a; the JSON config reads them by name.
    flags.tier_a = 0.97;
    CHECK_THROWS_WITH_AS(profitability(f.log.view(), rates, f.inputs(), flags),
                         doctest::Contains("tier_a"), invalid_argument);
    CHECK(parse_profitability_config(R"({"tier_a": 0.5, "tier_b": 0.9})").flags.tier_b == 0.9);
    // The writers: a tier column in the CSV, a service_tiers array in the JSON.
    std::ostringstream csv;
    output::write_csv(csv, p, f.log.customer_keys);
    CHECK(csv.str().find(",reason,tier\n") != std::string::npos);
    CHECK(csv.str().find(",B\n") != std::string::npos);
    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, p, whale_curve(p.profit));
    w.end_object();
    CHECK(json.str().find("\"service_tiers\":[{\"tier\":\"A\",\"customers\":1,") !=
          std::string::npos);
    // The cuts the tiers were made at are recorded beside them: q's tier_a 0.9, tier_b 0.95.
    std::ostringstream cuts;
    detail::json_writer wq(cuts);
    wq.begin_object();
    output::write_json(wq, q, whale_curve(q.profit));
    wq.end_object();
    CHECK(cuts.str().find(R"("service_tier_cuts":{"tier_a":0.9,"tier_b":0.95})") !=
          std::string::npos);
}

TEST_CASE("profitability: without the optional inputs, criteria are skipped, not guessed") {
    fixture f;
    f.log.order.clear(); // orders = purchase rows: A 3, B 1, C 2
    const customer_profitability p = profitability(f.log.view(), cost_rates{1, 0, 0, 0});
    CHECK(p.orders == std::vector<std::int64_t>{3, 1, 2});
    // A: 250 - 150 - 3 = 97 (no discount column: margin at the prices paid).
    CHECK(p.profit[0] == 97);
    CHECK(p.delay_cost[0] == 0);
    CHECK(p.criteria_skipped == std::vector<std::string>{"little service (no tickets given)",
                                                         "on time (no payment delays given)"});
    // Order values 250/3 = 83.33, 400, 20: median 83.33; A passes everything left.
    CHECK(p.wanted[0] == 1);
}

TEST_CASE("profitability: configuration from JSON and bad input") {
    const profitability_config c = parse_profitability_config(
        R"({"per_order": 2.5, "cost_of_capital": 0.08, "max_return_rate": 0.05})");
    CHECK(c.rates.per_order == 2.5);
    CHECK(c.rates.cost_of_capital == 0.08);
    CHECK(c.flags.max_return_rate == 0.05);
    CHECK(c.flags.large_quantile == 0.8);
    CHECK(error_of([] {
              parse_profitability_config(R"({"per_ordr": 1})", "c.json");
          }).starts_with("c.json:1: column \"per_ordr\": unknown field"));
    CHECK(error_of([] { parse_profitability_config(R"({"per_order": -1})"); }) ==
          "per_order: value is -1 (must be a finite number >= 0)");
    CHECK_THROWS_AS(parse_profitability_config(R"({"large_quantile": 1.5})"), invalid_argument);
    CHECK_THROWS_AS(parse_profitability_config("[1]"), parse_error);

    fixture f;
    f.discount[3] = std::numeric_limits<double>::quiet_NaN();
    CHECK(error_of([&] { profitability(f.log.view(), {}, f.inputs()); }) ==
          "discount: row 3 (customer \"B\"): value is nan (must be finite and >= 0)");
    f.discount[3] = 0;
    f.tickets[2] = -1;
    CHECK(error_of([&] { profitability(f.log.view(), {}, f.inputs()); }) ==
          "tickets: customer \"C\": value is -1 (must be finite and >= 0)");
    f.tickets.pop_back();
    CHECK_THROWS_AS(profitability(f.log.view(), {}, f.inputs()), invalid_argument);
    f.log.cost.clear();
    CHECK(error_of([&] { profitability(f.log.view(), {}); }).starts_with("cost: the log has no"));
}

TEST_CASE("rates by name: profitability_config_from, as a face gives them") {
    const std::vector<std::pair<std::string, double>> v{{"per_order", 2.5},
                                                        {"max_return_rate", 0.05}};
    const profitability_config c = profitability_config_from(v);
    CHECK(c.rates.per_order == 2.5);
    CHECK(c.flags.max_return_rate == 0.05);
    CHECK(c.flags.large_quantile == 0.8); // the default, not named
    try {
        profitability_config_from(std::vector<std::pair<std::string, double>>{{"per_ordr", 1}});
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()).starts_with("costs: \"per_ordr\": unknown field (known: "));
        CHECK(e.argument() == "costs");
        CHECK(e.value() == "per_ordr");
    }
    CHECK_THROWS_AS(
        profitability_config_from(std::vector<std::pair<std::string, double>>{{"per_order", -1}}),
        invalid_argument);
    CHECK_THROWS_AS(profitability_config_from(std::vector<std::pair<std::string, double>>{
                        {"cost_of_capital", std::nan("")}}),
                    invalid_argument);
}

TEST_CASE("profitability totals and the tickets of a signals file") {
    const fixture f;
    const cost_rates rates{2, 5, 10, 0.0365};
    profitability_flags flags;
    flags.max_tickets_per_order = 0.5;
    flags.max_payment_delay_days = 20;
    const profitability_totals t = totals_of(profitability(f.log.view(), rates, f.inputs(), flags));
    // From the hand-worked test above: revenues 250 + 300 + 40, profits 85.55 - 12 + 16,
    // cost to serve 24.45 + 27 + 4; all three ordered, A wanted (1 of 3), B a large loss maker.
    CHECK(t.customers == 3);
    CHECK(t.revenue == 590);
    CHECK(t.profit == doctest::Approx(89.55));
    CHECK(t.cost_to_serve == doctest::Approx(55.45));
    CHECK(t.service == 30);
    CHECK(t.active == 3);
    CHECK(t.wanted == 1);
    CHECK(t.wanted_share == doctest::Approx(1.0 / 3));
    CHECK(t.large_unprofitable == 1);
    CHECK(t.loss_makers == 1);
    CHECK(totals_of(customer_profitability{}).wanted_share == 0); // no buyers: 0, not NaN

    // The tickets of a signals file: A 1, B 2, C none recorded (0): as f.tickets above.
    std::istringstream in("customer_id,service_tickets\nA,1\nB,2\nC,\n");
    const signal_file s = read_signal_file(read_csv_table(in, "s.csv"), f.log.customer_keys);
    profitability_config config;
    config.rates = rates;
    config.flags = flags;
    const customer_profitability p = profitability(f.log.view(), config, &s, f.discount, f.delay);
    CHECK(p.service_cost == std::vector<double>{10, 20, 0});
    CHECK(p.profit[0] == doctest::Approx(85.55));
    CHECK(profitability(f.log.view(), config, nullptr).service_cost ==
          std::vector<double>{0, 0, 0});
}
