// Tests of break_even.hpp: the textbook single-product example worked by hand (contribution
// margin, break-even, target profit before and after tax, margin of safety, operating leverage,
// cash break-even), a three-product mix by units and by revenue, a mix derived from a log with
// returns and products without quantity, two capacity bands with two break-even points and with
// none, series that cross between periods (interpolated dates), sensitivity, chart data,
// unreachable cases as results, and every invalid input.
#include <custometrics/break_even.hpp>
#include <custometrics/csv.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

// The textbook example: price 50, unit variable cost 30, fixed costs 40,000.
const cvp_model textbook{.fixed_costs = 40'000, .price = 50, .unit_variable_cost = 30};

// The message of the `invalid_argument` that f throws, or "" when it throws none.
template <class F> std::string error_of(F f) {
    try {
        f();
    } catch (const invalid_argument& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

transaction_log read_log(const std::string& csv, const csv_columns& columns) {
    std::istringstream in(csv);
    return read_transactions_csv(in, "test.csv", columns);
}

} // namespace

TEST_CASE("break-even, single product: contribution margin and break-even") {
    // cm = 50 - 30 = 20; cmr = 20 / 50 = 0.4; units = 40,000 / 20 = 2,000;
    // revenue = 2,000 * 50 = 100,000 = 40,000 / 0.4.
    const break_even_point be = break_even(textbook);
    CHECK(be.defined);
    CHECK(be.reason.empty());
    CHECK(be.contribution_margin == 20);
    CHECK(be.contribution_margin_ratio == doctest::Approx(0.4));
    CHECK(be.units == 2'000);
    CHECK(be.revenue == 100'000);
    // Profit at break-even is 0; at 2,500 units 2,500 * 20 - 40,000 = 10,000.
    CHECK(profit(textbook, 2'000) == 0);
    CHECK(profit(textbook, 2'500) == 10'000);
    // No fixed costs: break-even at 0.
    CHECK(break_even({.fixed_costs = 0, .price = 50, .unit_variable_cost = 30}).units == 0);
}

TEST_CASE("break-even, single product: no break-even when the contribution margin is <= 0") {
    for (const double v : {50.0, 60.0}) {
        const break_even_point be =
            break_even({.fixed_costs = 40'000, .price = 50, .unit_variable_cost = v});
        CHECK_FALSE(be.defined);
        CHECK(be.contribution_margin == 50 - v);
        CHECK(contains(be.reason, "contribution margin is " + std::to_string(int(50 - v))));
        CHECK(be.units == 0);
        CHECK(be.revenue == 0);
    }
}

TEST_CASE("break-even, single product: target profit before and after tax") {
    // Before tax: (40,000 + 10,000) / 20 = 2,500 units, 2,500 * 50 = 125,000.
    const target_profit_result t = target_profit(textbook, 10'000);
    CHECK(t.defined);
    CHECK(t.pre_tax_profit == 10'000);
    CHECK(t.units == 2'500);
    CHECK(t.revenue == 125'000);
    // After tax at 30%: net 14,000 needs 14,000 / (1 - 0.3) = 20,000 before tax
    // -> (40,000 + 20,000) / 20 = 3,000 units, 150,000 revenue.
    const target_profit_result a = target_profit(textbook, 14'000, 0.3);
    CHECK(a.defined);
    CHECK(a.pre_tax_profit == doctest::Approx(20'000));
    CHECK(a.units == doctest::Approx(3'000));
    CHECK(a.revenue == doctest::Approx(150'000));
    // A loss target is not taxed: -10,000 -> (40,000 - 10,000) / 20 = 1,500 units.
    const target_profit_result l = target_profit(textbook, -10'000, 0.3);
    CHECK(l.pre_tax_profit == -10'000);
    CHECK(l.units == 1'500);
    // A loss larger than the fixed costs needs negative units: not defined.
    const target_profit_result n = target_profit(textbook, -50'000);
    CHECK_FALSE(n.defined);
    CHECK(contains(n.reason, "below the loss at zero volume (-40000)"));
    // No margin: not defined.
    CHECK_FALSE(target_profit({.fixed_costs = 1, .price = 5, .unit_variable_cost = 6}, 10).defined);
}

TEST_CASE("break-even, single product: margin of safety and operating leverage") {
    // Sales 2,500, break-even 2,000: 500 units, 500 * 50 = 25,000, 500 / 2,500 = 20%.
    const margin_of_safety_result m = margin_of_safety(textbook, 2'500);
    CHECK(m.defined);
    CHECK(m.units == 500);
    CHECK(m.revenue == 25'000);
    CHECK(m.ratio == doctest::Approx(0.2));
    // Below break-even the margin is negative: 1,500 - 2,000 = -500, -500 / 1,500 = -1/3.
    const margin_of_safety_result below = margin_of_safety(textbook, 1'500);
    CHECK(below.units == -500);
    CHECK(below.ratio == doctest::Approx(-1.0 / 3.0));
    CHECK_FALSE(margin_of_safety(textbook, 0).defined);
    CHECK_FALSE(
        margin_of_safety({.fixed_costs = 1, .price = 5, .unit_variable_cost = 5}, 10).defined);

    // DOL at 2,500: contribution 2,500 * 20 = 50,000, profit 10,000 -> 5. Check: +10% sales
    // (2,750) gives profit 15,000, +50% = 5 * 10%.
    const operating_leverage_result d = operating_leverage(textbook, 2'500);
    CHECK(d.defined);
    CHECK(d.contribution == 50'000);
    CHECK(d.profit == 10'000);
    CHECK(d.degree == doctest::Approx(5));
    // At break-even (2,000 units) the profit is 0: undefined.
    const operating_leverage_result at = operating_leverage(textbook, 2'000);
    CHECK_FALSE(at.defined);
    CHECK(contains(at.reason, "break-even"));
    // Below: 1,000 units -> 20,000 / (20,000 - 40,000) = -1.
    CHECK(operating_leverage(textbook, 1'000).degree == doctest::Approx(-1));
}

TEST_CASE("break-even, single product: cash break-even") {
    // Depreciation 10,000 of the 40,000 is not paid in cash: 30,000 / 20 = 1,500 units, 75,000.
    const break_even_point c = cash_break_even(textbook, 10'000);
    CHECK(c.defined);
    CHECK(c.units == 1'500);
    CHECK(c.revenue == 75'000);
    CHECK(cash_break_even(textbook, 40'000).units == 0);
}

TEST_CASE("break-even, single product: invalid inputs name the input and the value") {
    CHECK(error_of([] {
              break_even({.fixed_costs = -1, .price = 50, .unit_variable_cost = 30});
          }) == "fixed_costs: must be finite and >= 0, got -1");
    CHECK(error_of([] {
              break_even({.fixed_costs = qnan, .price = 50, .unit_variable_cost = 30});
          }) == "fixed_costs: must be finite and >= 0, got nan");
    CHECK(error_of([] {
              break_even({.fixed_costs = 1, .price = qnan, .unit_variable_cost = 30});
          }) == "price: must be finite and > 0, got nan");
    CHECK(error_of([] {
              break_even({.fixed_costs = 1, .price = inf, .unit_variable_cost = 30});
          }) == "price: must be finite and > 0, got inf");
    CHECK(error_of([] { break_even({.fixed_costs = 1, .price = 0, .unit_variable_cost = 30}); }) ==
          "price: must be finite and > 0, got 0");
    CHECK(error_of([] { break_even({.fixed_costs = 1, .price = 5, .unit_variable_cost = -2}); }) ==
          "unit_variable_cost: must be finite and >= 0, got -2");
    CHECK(error_of([] { target_profit(textbook, 100, 1.0); }) ==
          "tax_rate: must be in [0, 1), got 1");
    CHECK(error_of([] { target_profit(textbook, 100, -0.1); }) ==
          "tax_rate: must be in [0, 1), got -0.1");
    CHECK(error_of([] { target_profit(textbook, 100, qnan); }) ==
          "tax_rate: must be in [0, 1), got nan");
    CHECK(error_of([] { target_profit(textbook, qnan); }) ==
          "target_profit: must be finite, got nan");
    CHECK(error_of([] { margin_of_safety(textbook, -5); }) ==
          "sales_units: must be finite and >= 0, got -5");
    CHECK(error_of([] { operating_leverage(textbook, inf); }) ==
          "sales_units: must be finite and >= 0, got inf");
    CHECK(error_of([] { cash_break_even(textbook, 50'000); }) ==
          "non_cash_costs: must be between 0 and fixed_costs 40000, got 50000");
    CHECK(error_of([] { cash_break_even(textbook, -1); }) ==
          "non_cash_costs: must be between 0 and fixed_costs 40000, got -1");
}

TEST_CASE("break-even analysis: every figure of the CLI and Python, computed once") {
    // The textbook model with sales 2,500, a net target of 14,000 at 30% tax and depreciation
    // 10,000: cm 50 - 30 = 20, ratio 20 / 50 = 0.4; break-even 40,000 / 20 = 2,000 units,
    // 2,000 * 50 = 100,000; target 14,000 / 0.7 = 20,000 before tax -> 60,000 / 20 = 3,000
    // units; margin of safety 2,500 - 2,000 = 500 units, 500 / 2,500 = 20%; DOL 2,500 * 20 /
    // (50,000 - 40,000) = 5; cash break-even (40,000 - 10,000) / 20 = 1,500 units.
    break_even_inputs in;
    in.model = textbook;
    in.sales_units = 2'500;
    in.target_profit = 14'000;
    in.tax_rate = 0.3;
    in.depreciation = 10'000;
    const break_even_analysis_result a = break_even_analysis(in);
    REQUIRE(a.target);
    REQUIRE(a.margin_of_safety);
    REQUIRE(a.operating_leverage);
    REQUIRE(a.cash_break_even);
    CHECK(a.target->pre_tax_profit == doctest::Approx(20'000).epsilon(1e-15));
    const std::vector<break_even_figure> f = a.figures();
    const std::vector<std::string> names{"contribution_margin",  "contribution_margin_ratio",
                                         "break_even_units",     "break_even_revenue",
                                         "target_units",         "margin_of_safety_units",
                                         "margin_of_safety_pct", "operating_leverage",
                                         "cash_break_even_units"};
    const std::vector<double> values{20, 0.4, 2'000, 100'000, 3'000, 500, 20, 5, 1'500};
    REQUIRE(f.size() == names.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
        CAPTURE(names[i]);
        CHECK(std::string(f[i].name) == names[i]);
        CHECK(f[i].defined);
        CHECK(f[i].reason.empty());
        CHECK(f[i].value == doctest::Approx(values[i]).epsilon(1e-15));
    }
    // Without the optional inputs only the four figures that are always shown.
    const break_even_analysis_result plain = break_even_analysis({.model = textbook});
    CHECK(plain.figures().size() == 4);
    CHECK_FALSE(plain.target);
    CHECK_FALSE(plain.operating_leverage);
    // At break-even (2,000 units) the DOL is undefined and says why; the margin is 0 units.
    const auto at = break_even_analysis({.model = textbook, .sales_units = 2'000}).figures();
    REQUIRE(at.size() == 7);
    CHECK(at[4].value == 0);
    CHECK(at[4].defined);
    CHECK_FALSE(at[6].defined);
    CHECK(at[6].value == 0);
    CHECK(contains(at[6].reason, "profit is 0"));
    // No margin (p = v = 30): no break-even units, revenue, target or cash units, with reasons.
    const auto none =
        break_even_analysis(
            {.model = {40'000, 30, 30}, .target_profit = 1'000, .depreciation = 1'000})
            .figures();
    REQUIRE(none.size() == 6);
    for (std::size_t i = 2; i < 6; ++i) {
        CHECK_FALSE(none[i].defined);
        CHECK(contains(none[i].reason, "contribution margin is 0"));
    }
}

TEST_CASE("break-even analysis: invalid inputs are named as the fields of break_even_inputs") {
    auto argument_of = [](const break_even_inputs& in) -> std::string {
        try {
            break_even_analysis(in);
        } catch (const invalid_argument& e) {
            return e.argument();
        }
        return "";
    };
    CHECK(argument_of({.model = {-1, 50, 30}}) == "fixed_costs");
    CHECK(argument_of({.model = textbook, .sales_units = -1}) == "sales_units");
    CHECK(argument_of({.model = textbook, .target_profit = qnan}) == "target_profit");
    // The tax rate is checked even without a target.
    CHECK(argument_of({.model = textbook, .tax_rate = 1.0}) == "tax_rate");
    CHECK(argument_of({.model = textbook, .depreciation = 50'000}) == "depreciation");
    CHECK(error_of([] { break_even_analysis({.model = textbook, .depreciation = 50'000}); }) ==
          "depreciation: must be between 0 and fixed_costs 40000, got 50000");
}

TEST_CASE("break-even, sales mix: named products, duplicates and the caller's column names") {
    const std::vector<double> p{20, 30, 50}, v{12, 18, 35}, s{0.5, 0.3, 0.2};
    const std::vector<std::string> products{"a", "b", "c"};
    const mix_names names{"item", "unit_price", "cost", "mix"};
    // Named products give the figures of the unnamed mix (weighted cm 10.6, 5,000 units).
    const mix_break_even r =
        break_even_mix(53'000, products, p, v, s, mix_basis::units, 1e-6, names);
    CHECK(r.units == doctest::Approx(5'000));
    // A product listed twice is an error naming it, at the second listing.
    const std::vector<std::string> twice{"a", "b", "a"};
    try {
        break_even_mix(53'000, twice, p, v, s, mix_basis::units, 1e-6, names);
        FAIL("no error for a duplicated product");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "item: product 'a' appears more than once");
        CHECK(e.argument() == "item");
        CHECK(e.row() == std::optional<std::size_t>(2));
        CHECK(e.key() == "a");
    }
    // Errors name the caller's columns, the position and the product.
    const std::vector<double> bad_price{20, qnan, 50}, bad_sum{0.5, 0.3, 0.1};
    try {
        break_even_mix(53'000, products, bad_price, v, s, mix_basis::units, 1e-6, names);
        FAIL("no error for a NaN price");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "unit_price: product 1: must be finite and > 0, got nan");
        CHECK(e.argument() == "unit_price");
        CHECK(e.row() == std::optional<std::size_t>(1));
        CHECK(e.key() == "b");
        CHECK(e.value() == "nan");
    }
    CHECK(error_of([&] {
              break_even_mix(53'000, products, p, v, bad_sum, mix_basis::units, 1e-6, names);
          }) == "mix: the shares sum to 0.9, not 1 within 1e-06");
    const std::vector<std::string> two{"a", "b"};
    CHECK(error_of([&] { break_even_mix(53'000, two, p, v, s, mix_basis::units, 1e-6, names); }) ==
          "item: has 2 products, unit_price has 3");
}

TEST_CASE("break-even, sales mix: three products by units") {
    // Prices 20, 30, 50; unit costs 12, 18, 35 -> cm 8, 12, 15. Mix by units 0.5, 0.3, 0.2:
    // weighted cm = 4 + 3.6 + 3 = 10.6, average price = 10 + 9 + 10 = 29, ratio 10.6 / 29.
    // F 53,000 -> 53,000 / 10.6 = 5,000 units: 2,500, 1,500, 1,000; revenue 50,000 + 45,000 +
    // 50,000 = 145,000 (= 5,000 * 29); revenue shares 50/145, 45/145, 50/145.
    const std::vector<double> price{20, 30, 50}, cost{12, 18, 35}, share{0.5, 0.3, 0.2};
    const mix_break_even r = break_even_mix(53'000, price, cost, share);
    REQUIRE(r.defined);
    CHECK(r.weighted_contribution_margin == doctest::Approx(10.6));
    CHECK(r.average_price == doctest::Approx(29));
    CHECK(r.weighted_contribution_margin_ratio == doctest::Approx(10.6 / 29));
    CHECK(r.units == doctest::Approx(5'000));
    CHECK(r.revenue == doctest::Approx(145'000));
    const std::vector<double> units{2'500, 1'500, 1'000}, revenue{50'000, 45'000, 50'000};
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(r.product_units[i] == doctest::Approx(units[i]));
        CHECK(r.product_revenue[i] == doctest::Approx(revenue[i]));
        CHECK(r.revenue_share[i] == doctest::Approx(revenue[i] / 145'000));
        CHECK(r.unit_share[i] == doctest::Approx(share[i]));
    }
    // The same mix given by revenue share gives the same point.
    const mix_break_even byr =
        break_even_mix(53'000, price, cost, r.revenue_share, mix_basis::revenue);
    CHECK(byr.units == doctest::Approx(5'000));
    for (std::size_t i = 0; i < 3; ++i)
        CHECK(byr.product_units[i] == doctest::Approx(units[i]));
}

TEST_CASE("break-even, sales mix: three products by revenue share") {
    // cm ratios 8/20 = 0.4, 12/30 = 0.4, 15/50 = 0.3; revenue shares 0.5, 0.25, 0.25:
    // weighted ratio 0.2 + 0.1 + 0.075 = 0.375; F 30,000 -> revenue 30,000 / 0.375 = 80,000:
    // 40,000, 20,000, 20,000 -> units 40,000 / 20 = 2,000, 20,000 / 30 = 666.67,
    // 20,000 / 50 = 400; 3,066.67 in all.
    const std::vector<double> price{20, 30, 50}, cost{12, 18, 35}, share{0.5, 0.25, 0.25};
    const mix_break_even r = break_even_mix(30'000, price, cost, share, mix_basis::revenue);
    REQUIRE(r.defined);
    CHECK(r.weighted_contribution_margin_ratio == doctest::Approx(0.375));
    CHECK(r.revenue == doctest::Approx(80'000));
    CHECK(r.product_revenue[0] == doctest::Approx(40'000));
    CHECK(r.product_units[0] == doctest::Approx(2'000));
    CHECK(r.product_units[1] == doctest::Approx(2'000.0 / 3.0));
    CHECK(r.product_units[2] == doctest::Approx(400));
    CHECK(r.units == doctest::Approx(2'000 + 2'000.0 / 3.0 + 400));
    CHECK(r.unit_share[0] == doctest::Approx(2'000 / (2'000 + 2'000.0 / 3.0 + 400)));
}

TEST_CASE(
    "break-even, sales mix: a loss maker, no weighted margin, shares within tolerance, errors") {
    // Product 2 loses 5 a unit; weighted cm 0.5 * 10 + 0.5 * (-5) = 2.5 > 0: 1,000 / 2.5 = 400.
    const std::vector<double> p{20, 10}, v{10, 15}, s{0.5, 0.5};
    CHECK(break_even_mix(1'000, p, v, s).units == doctest::Approx(400));
    // Mostly the loss maker: 0.2 * 10 + 0.8 * (-5) = -2: no break-even.
    const std::vector<double> s2{0.2, 0.8};
    const mix_break_even none = break_even_mix(1'000, p, v, s2);
    CHECK_FALSE(none.defined);
    CHECK(contains(none.reason, "weighted contribution margin is -2"));
    // Shares summing to 1 + 5e-7 are accepted (and normalised), 1.01 are not.
    const std::vector<double> near{0.5, 0.5000005};
    CHECK(break_even_mix(1'000, p, v, near).unit_share[0] == doctest::Approx(0.5));
    const std::vector<double> empty, bad_sum{0.5, 0.4}, neg{1.5, -0.5}, two{1, 2}, one{1};
    const std::vector<double> bad_price{20, qnan};
    CHECK(error_of([&] { break_even_mix(1'000, empty, empty, empty); }) ==
          "price: the mix is empty (no product)");
    CHECK(error_of([&] { break_even_mix(1'000, p, v, bad_sum); }) ==
          "share: the shares sum to 0.9, not 1 within 1e-06");
    CHECK(error_of([&] { break_even_mix(1'000, p, v, neg); }) ==
          "share: product 1: must be finite and >= 0, got -0.5");
    CHECK(error_of([&] { break_even_mix(1'000, bad_price, v, s); }) ==
          "price: product 1: must be finite and > 0, got nan");
    CHECK(error_of([&] { break_even_mix(1'000, p, one, s); }) ==
          "unit_variable_cost: has 1 products, price has 2");
    CHECK(error_of([&] { break_even_mix(-1, p, v, s); }) ==
          "fixed_costs: must be finite and >= 0, got -1");
    CHECK(error_of([&] { break_even_mix(1'000, p, v, two, mix_basis::units, 0.0); }) ==
          "share: the shares sum to 3, not 1 within 0");
}

TEST_CASE("break-even, sales mix from a transaction log: returns netted, products without units "
          "excluded") {
    // p1: 10 for 200 (cost 120), 5 for 100 (cost 60), a return of 2 for -40 (cost -24):
    //     13 units, price 260 / 13 = 20, unit cost 156 / 13 = 12.
    // p2: 10 for 300 (cost 180): price 30, unit cost 18.
    // p3: a fee of 50 with quantity 0: no units -> excluded.
    // p4: only a return (quantity written -3): -3 units -> excluded. Excluded amount 50 - 60.
    // Shares of units 13 / 23 and 10 / 23.
    const std::string csv = "customer_id,date,amount,cost,quantity,product\n"
                            "A,2023-01-01,200,120,10,p1\n"
                            "B,2023-01-02,100,60,5,p1\n"
                            "A,2023-01-03,-40,-24,2,p1\n"
                            "C,2023-01-04,300,180,10,p2\n"
                            "C,2023-01-05,50,10,0,p3\n"
                            "D,2023-01-06,-60,-36,-3,p4\n";
    csv_columns cols;
    cols.cost = "cost";
    cols.quantity = "quantity";
    cols.product = "product";
    const transaction_log log = read_log(csv, cols);
    const sales_mix mix = sales_mix_from_log(log);
    REQUIRE(mix.product.size() == 2);
    CHECK(log.product_keys.key_string(mix.product[0]) == "p1");
    CHECK(log.product_keys.key_string(mix.product[1]) == "p2");
    CHECK(mix.quantity == std::vector<double>{13, 10});
    CHECK(mix.price[0] == doctest::Approx(20));
    CHECK(mix.unit_variable_cost[0] == doctest::Approx(12));
    CHECK(mix.price[1] == 30);
    CHECK(mix.unit_variable_cost[1] == 18);
    CHECK(mix.share[0] == doctest::Approx(13.0 / 23.0));
    CHECK(mix.share[1] == doctest::Approx(10.0 / 23.0));
    REQUIRE(mix.excluded.size() == 2);
    CHECK(log.product_keys.key_string(mix.excluded[0]) == "p3");
    CHECK(log.product_keys.key_string(mix.excluded[1]) == "p4");
    CHECK(mix.excluded_amount == -10);
    // Into the mix break-even: weighted cm = (13 * 8 + 10 * 12) / 23 = 224 / 23; F 2,240 ->
    // 2,240 * 23 / 224 = 230 units: 130 of p1 and 100 of p2.
    const mix_break_even be = break_even_mix(2'240, mix.price, mix.unit_variable_cost, mix.share);
    CHECK(be.units == doctest::Approx(230));
    CHECK(be.product_units[0] == doctest::Approx(130));

    csv_columns no_qty;
    no_qty.cost = "cost";
    no_qty.product = "product";
    CHECK(contains(error_of([&] { sales_mix_from_log(read_log(csv, no_qty)); }),
                   "quantity: the log has no quantity"));
    csv_columns no_cost;
    no_cost.quantity = "quantity";
    no_cost.product = "product";
    CHECK(contains(error_of([&] { sales_mix_from_log(read_log(csv, no_cost)); }),
                   "cost: the log has no cost"));
    csv_columns no_product;
    no_product.cost = "cost";
    no_product.quantity = "quantity";
    CHECK(contains(error_of([&] { sales_mix_from_log(read_log(csv, no_product)); }),
                   "product: the log has no product"));
}

TEST_CASE("break-even, stepped fixed costs: two bands, two break-even points or none") {
    // cm = 50 - 30 = 20. [0, 3,000) F 40,000 -> 2,000 (inside); [3,000, 6,000) F 70,000 ->
    // 3,500 (inside): profit turns positive at 2,000, drops to 3,000 * 20 - 70,000 = -10,000
    // when the step is taken at 3,000, and turns positive again at 3,500.
    const std::vector<cost_band> two{{0, 3'000, 40'000}, {3'000, 6'000, 70'000}};
    const stepped_break_even r = break_even_stepped(50, 30, two);
    CHECK(r.defined);
    CHECK(r.contribution_margin == 20);
    CHECK(r.units == std::vector<double>{2'000, 3'500});
    REQUIRE(r.bands.size() == 2);
    CHECK(r.bands[0].in_band);
    CHECK(r.bands[1].in_band);
    CHECK(r.bands[1].revenue == 175'000);
    // [0, 1,500) F 40,000 -> 2,000 is above the band; [1,500, 3,000) F 70,000 -> 3,500 is
    // above it too: no break-even within the capacity of 3,000.
    const std::vector<cost_band> small{{0, 1'500, 40'000}, {1'500, 3'000, 70'000}};
    const stepped_break_even none = break_even_stepped(50, 30, small);
    CHECK_FALSE(none.defined);
    CHECK(none.units.empty());
    CHECK(contains(none.reason, "no break-even point lies inside its capacity band (up to 3000"));
    CHECK_FALSE(none.bands[0].in_band);
    CHECK(none.bands[0].units == 2'000);
    CHECK(none.bands[0].reason == "break-even 2000 lies above the band [0, 1500)");
    CHECK(none.bands[1].reason == "break-even 3500 lies above the band [1500, 3000)");
    // An open last band whose point lies below it: [3,000, inf) F 50,000 -> 2,500 < 3,000; the
    // profit at 3,000 is 10,000 and only grows. Only 2,000.
    const std::vector<cost_band> open{{0, 3'000, 40'000}, {3'000, inf, 50'000}};
    const stepped_break_even o = break_even_stepped(50, 30, open);
    CHECK(o.units == std::vector<double>{2'000});
    CHECK(o.bands[1].reason == "break-even 2500 lies below the band [3000, inf)");
    // A point on a band's end belongs to the next band: [0, 2,000) F 40,000 -> 2,000 is not in.
    const std::vector<cost_band> edge{{0, 2'000, 40'000}, {2'000, 4'000, 60'000}};
    CHECK(break_even_stepped(50, 30, edge).units == std::vector<double>{3'000});
    // No margin: none, with the reason.
    const stepped_break_even nm = break_even_stepped(30, 30, two);
    CHECK_FALSE(nm.defined);
    CHECK(contains(nm.reason, "contribution margin is 0"));
}

TEST_CASE("break-even, stepped fixed costs: invalid bands") {
    const std::vector<cost_band> empty, overlap{{0, 3'000, 1}, {2'500, 6'000, 2}},
        gap{{0, 3'000, 1}, {3'500, 6'000, 2}}, reversed{{0, 3'000, 1}, {3'000, 3'000, 2}},
        negative{{0, 3'000, -1}};
    CHECK(error_of([&] { break_even_stepped(50, 30, empty); }) == "bands: no capacity band");
    CHECK(error_of([&] { break_even_stepped(50, 30, overlap); }) ==
          "bands: band 1 starts at 2500 but band 0 ends at 3000 (overlap)");
    CHECK(error_of([&] { break_even_stepped(50, 30, gap); }) ==
          "bands: band 1 starts at 3500 but band 0 ends at 3000 (gap)");
    CHECK(error_of([&] { break_even_stepped(50, 30, reversed); }) ==
          "bands: band 1 to: must be above its from 3000, got 3000");
    CHECK(error_of([&] { break_even_stepped(50, 30, negative); }) ==
          "bands: band 0 fixed_costs: must be finite and >= 0, got -1");
    CHECK(error_of([&] { break_even_stepped(qnan, 30, negative); }) ==
          "price: must be finite and > 0, got nan");
}

TEST_CASE("break-even, series: break-even date interpolated inside the crossing period") {
    // Months from 2024-01-01; revenue 1,000, 3,000, 3,000; cost 2,000, 1,500, 1,500.
    // Cumulative profit at month ends: -1,000, +500, +2,000. It crosses 0 in February after
    // 1,000 / (500 + 1,000) = 2/3 of its 29 days = 19 1/3 days = 19 days 8 hours.
    const std::vector<std::int64_t> starts{parse_time_or_throw("2024-01-01", "t"),
                                           parse_time_or_throw("2024-02-01", "t"),
                                           parse_time_or_throw("2024-03-01", "t")};
    const std::int64_t end = parse_time_or_throw("2024-04-01", "t");
    const std::vector<double> revenue{1'000, 3'000, 3'000}, cost{2'000, 1'500, 1'500};
    const break_even_over_time_result r = break_even_over_time(starts, end, revenue, cost);
    REQUIRE(r.defined);
    CHECK(r.period == 1);
    CHECK(format_time(r.time) == "2024-02-20T08:00:00");
    CHECK(r.cumulative_revenue == std::vector<double>{1'000, 4'000, 7'000});
    CHECK(r.cumulative_cost == std::vector<double>{2'000, 3'500, 5'000});
    CHECK(r.remaining_gap == 0);

    // Not reached: revenue 1,000 a month -> cumulative 3,000 against 5,000: gap 2,000.
    const std::vector<double> flat{1'000, 1'000, 1'000};
    const break_even_over_time_result n = break_even_over_time(starts, end, flat, cost);
    CHECK_FALSE(n.defined);
    CHECK(n.remaining_gap == 2'000);
    CHECK(n.time == no_time);
    CHECK(n.reason ==
          "cumulative revenue 3000 stays below cumulative cost 5000 up to 2024-04-01 (gap 2000)");
    // Profitable from the first period: the profit never was negative -> the first start.
    const std::vector<double> low{500, 500, 500};
    const break_even_over_time_result f = break_even_over_time(starts, end, revenue, low);
    CHECK(f.defined);
    CHECK(f.period == 0);
    CHECK(f.time == starts[0]);
    // Crossing exactly at a period end: -1,000 then 0 -> the end of February (2024-03-01).
    const std::vector<double> exact{2'000, 2'000, 0};
    CHECK(format_time(break_even_over_time(starts, end, revenue, exact).time) == "2024-03-01");
}

TEST_CASE("break-even, series: from a transaction log plus fixed costs per calendar month") {
    // Fixed 1,000 a month. January: 1,500 - 900 - 1,000 = -400. February (with a return of 100
    // at cost 40): 1,500 - 100 - (500 + 200 - 40) - 1,000 = -260; cumulative -660. March:
    // 3,000 - 1,200 - 1,000 = 800; cumulative 140. It crosses 0 after 660 / 800 of March's
    // 31 days = 25.575 days = 25 days 13:48:00 -> 2023-03-26T13:48:00.
    const std::string csv = "customer_id,date,amount,cost\n"
                            "A,2023-01-10,1500,900\n"
                            "B,2023-02-05,1000,500\n"
                            "B,2023-02-20,500,200\n"
                            "B,2023-02-21,-100,-40\n"
                            "A,2023-03-15,3000,1200\n";
    csv_columns cols;
    cols.cost = "cost";
    const transaction_log log = read_log(csv, cols);
    const break_even_over_time_result r = break_even_over_time(log.view(), 1'000);
    REQUIRE(r.defined);
    REQUIRE(r.period_start.size() == 3);
    CHECK(format_time(r.period_start[1]) == "2023-02-01");
    CHECK(format_time(r.end) == "2023-04-01");
    CHECK(r.cumulative_revenue == std::vector<double>{1'500, 2'900, 5'900});
    CHECK(r.cumulative_cost == std::vector<double>{1'900, 3'560, 5'760});
    CHECK(r.period == 2);
    CHECK(format_time(r.time) == "2023-03-26T13:48:00");
    // 2,000 a month: -1,400, -2,660 + ... -> 5,900 against 2,760 + 6,000 = 8,760: gap 2,860.
    const break_even_over_time_result n = break_even_over_time(log.view(), 2'000);
    CHECK_FALSE(n.defined);
    CHECK(n.remaining_gap == doctest::Approx(2'860));
    CHECK(contains(n.reason, "gap 2860"));

    CHECK(error_of([&] { break_even_over_time(log.view(), -1); }) ==
          "fixed_costs_per_month: must be finite and >= 0, got -1");
    const transaction_log no_cost = read_log(csv, {});
    CHECK(contains(error_of([&] { break_even_over_time(no_cost.view(), 1); }),
                   "cost: the log has no cost"));
    const transaction_log empty;
    CHECK(error_of([&] { break_even_over_time(empty.view(), 1); }) == "log: has no rows");
}

TEST_CASE("break-even, series: monthly totals of parts of a log add up to the whole log") {
    // The rows of the case above in two parts (as two Spark partitions): part 1 January and the
    // return, part 2 the rest. Totals per month: 2023-01 1,500 / 900; 2023-02 1,000 + 500 - 100
    // = 1,400 / 500 + 200 - 40 = 660; 2023-03 3,000 / 1,200.
    const auto t = [](const char* date) { return parse_time(date).value(); };
    const std::vector<std::int64_t> time1{t("2023-01-10"), t("2023-02-21")};
    const std::vector<std::int64_t> time2{t("2023-02-05"), t("2023-02-20"), t("2023-03-15")};
    const std::vector<double> amount1{1500, -100}, cost1{900, -40};
    const std::vector<double> amount2{1000, 500, 3000}, cost2{500, 200, 1200};
    const monthly_totals a = monthly_log_totals(time1, 1, amount1, cost1);
    const monthly_totals b = monthly_log_totals(time2, 1, amount2, cost2);
    // 2023-01 is month 12 x 2023 + 0 = 24,276 (period_index of months).
    CHECK(a.month == std::vector<std::int64_t>{24'276, 24'277});
    CHECK(a.revenue == std::vector<double>{1500, -100});
    CHECK(b.month == std::vector<std::int64_t>{24'277, 24'278});
    CHECK(b.cost == std::vector<double>{700, 1200});
    monthly_totals both = b; // any order, a month twice
    both.month.insert(both.month.end(), a.month.begin(), a.month.end());
    both.revenue.insert(both.revenue.end(), a.revenue.begin(), a.revenue.end());
    both.cost.insert(both.cost.end(), a.cost.begin(), a.cost.end());
    const break_even_over_time_result r = break_even_over_time(both, 1'000);
    CHECK(r.cumulative_revenue == std::vector<double>{1'500, 2'900, 5'900});
    CHECK(r.cumulative_cost == std::vector<double>{1'900, 3'560, 5'760});
    CHECK(format_time(r.time) == "2023-03-26T13:48:00");
    // An empty month between two with rows carries the fixed costs alone.
    const monthly_totals gap{{24'276, 24'278}, {100, 50}, {60, 30}};
    const break_even_over_time_result g = break_even_over_time(gap, 20);
    CHECK(g.cumulative_revenue == std::vector<double>{100, 100, 150});
    CHECK(g.cumulative_cost == std::vector<double>{80, 100, 150});
    CHECK(error_of([&] { break_even_over_time(monthly_totals{}, 1); }) == "log: has no rows");
    CHECK(error_of([&] {
              break_even_over_time(monthly_totals{{1}, {}, {}}, 1);
          }) == "totals: month, revenue and cost differ in length");
    CHECK(contains(error_of([&] {
                       break_even_over_time(monthly_totals{{120'000}, {1}, {1}}, 1);
                   }),
                   "month: month 120000 is outside the years 1..9999"));
    CHECK(contains(error_of([&] { monthly_log_totals(time1, 1, amount1, cost2); }), "cost: has 3"));
}

TEST_CASE("break-even, critical volume: the month of a log as one product") {
    // Revenue 120,000 and cost 72,000 over 12 months: 10,000 and 6,000 a month, contribution
    // margin ratio 4,000 / 10,000 = 40%. Fixed costs 3,000 a month: break-even revenue
    // 3,000 / 0.4 = 7,500 a month; margin of safety 10,000 - 7,500 = 2,500 = 25% of sales.
    const critical_volume_result r = critical_volume(120'000, 72'000, std::nullopt, 12, 3'000);
    CHECK(r.revenue_per_month == doctest::Approx(10'000));
    CHECK(r.variable_cost_per_month == doctest::Approx(6'000));
    CHECK_FALSE(r.units_per_month);
    CHECK(r.model.price == 1.0);
    CHECK(r.model.unit_variable_cost == doctest::Approx(0.6));
    REQUIRE(r.break_even.defined);
    CHECK(r.break_even.contribution_margin_ratio == doctest::Approx(0.4));
    CHECK(r.break_even.revenue == doctest::Approx(7'500));
    CHECK(r.break_even.units == doctest::Approx(7'500)); // a unit is one unit of revenue
    REQUIRE(r.margin_of_safety.defined);
    CHECK(r.margin_of_safety.revenue == doctest::Approx(2'500));
    CHECK(r.margin_of_safety.ratio == doctest::Approx(0.25));

    // With 2,400 units: price 50, unit cost 30, 200 units a month; break-even 3,000 / 20 = 150
    // units = 7,500; margin of safety 50 units = 2,500, 25%.
    const critical_volume_result u = critical_volume(120'000, 72'000, 2'400.0, 12, 3'000);
    REQUIRE(u.units_per_month);
    CHECK(*u.units_per_month == doctest::Approx(200));
    CHECK(u.model.price == doctest::Approx(50));
    CHECK(u.model.unit_variable_cost == doctest::Approx(30));
    CHECK(u.break_even.units == doctest::Approx(150));
    CHECK(u.break_even.revenue == doctest::Approx(7'500));
    CHECK(u.margin_of_safety.units == doctest::Approx(50));
    CHECK(u.margin_of_safety.revenue == doctest::Approx(2'500));
    CHECK(u.margin_of_safety.ratio == doctest::Approx(0.25));
    // Units <= 0 are unknown: the revenue basis.
    CHECK_FALSE(critical_volume(120'000, 72'000, 0.0, 12, 3'000).units_per_month);

    // Below break-even: fixed costs 5,000 -> 12,500 a month against 10,000: -2,500, -25%.
    const critical_volume_result below = critical_volume(120'000, 72'000, std::nullopt, 12, 5'000);
    CHECK(below.margin_of_safety.revenue == doctest::Approx(-2'500));
    CHECK(below.margin_of_safety.ratio == doctest::Approx(-0.25));

    // Not defined: no revenue, a negative cost, a cost above revenue (margin <= 0).
    CHECK(critical_volume(0, 10, std::nullopt, 1, 1).break_even.reason ==
          "the log has no net revenue (0)");
    CHECK(critical_volume(100, -1, std::nullopt, 1, 1).margin_of_safety.reason ==
          "the cost of goods is negative (-1)");
    const critical_volume_result loss = critical_volume(100, 120, std::nullopt, 1, 1);
    CHECK_FALSE(loss.break_even.defined);
    CHECK_FALSE(loss.margin_of_safety.defined);
    CHECK(error_of([] { critical_volume(100, 10, std::nullopt, 0, 1); }) ==
          "months: must be finite and > 0, got 0");
    CHECK(error_of([] { critical_volume(100, 10, std::nullopt, 1, -1); }) ==
          "fixed_costs_per_month: must be finite and >= 0, got -1");
    CHECK(error_of([] { critical_volume(qnan, 10, std::nullopt, 1, 1); }) ==
          "revenue: must be finite, got nan");
    // The fixed-costs check alone: the error break_even_over_time gives.
    CHECK_NOTHROW(check_fixed_costs_per_month(0));
    CHECK(error_of([] { check_fixed_costs_per_month(-1); }) ==
          "fixed_costs_per_month: must be finite and >= 0, got -1");
    CHECK(error_of([] { check_fixed_costs_per_month(qnan); }) ==
          error_of([] { break_even_over_time(monthly_totals{{24'000}, {1}, {0}}, qnan); }));
}

TEST_CASE("break-even, critical volume: from a transaction log") {
    // The log of the series test: net revenue 5,900, cost 2,760 from January to March 2023
    // (3 months). Fixed 1,000 a month: margin ratio 3,140 / 5,900; break-even revenue
    // 1,000 * 5,900 / 3,140 = 1,878.98 a month against 5,900 / 3 = 1,966.67; margin of safety
    // 87.69 a month, (3,140 - 3,000) / 3,140 = 4.459%.
    const std::string csv = "customer_id,date,amount,cost,quantity\n"
                            "A,2023-01-10,1500,900,3\n"
                            "B,2023-02-05,1000,500,2\n"
                            "B,2023-02-20,500,200,1\n"
                            "B,2023-02-21,-100,-40,1\n"
                            "A,2023-03-15,3000,1200,6\n";
    csv_columns cols;
    cols.cost = "cost";
    const critical_volume_result r = critical_volume(read_log(csv, cols).view(), 1'000);
    CHECK(r.months == 3);
    CHECK_FALSE(r.units_per_month);
    CHECK(r.break_even.revenue == doctest::Approx(1'878.980892));
    CHECK(r.margin_of_safety.revenue == doctest::Approx(87.685775));
    CHECK(r.margin_of_safety.ratio == doctest::Approx(140.0 / 3'140.0));
    // With the quantities: 3 + 2 + 1 - 1 (returned) + 6 = 11 units, 11 / 3 a month; price
    // 5,900 / 11, break-even 1,000 / (3,140 / 11) = 3.5032 units a month.
    cols.quantity = "quantity";
    const critical_volume_result q = critical_volume(read_log(csv, cols).view(), 1'000);
    REQUIRE(q.units_per_month);
    CHECK(*q.units_per_month == doctest::Approx(11.0 / 3.0));
    CHECK(q.break_even.units == doctest::Approx(11'000.0 / 3'140.0));
    CHECK(q.break_even.revenue == doctest::Approx(1'878.980892));
    CHECK(q.margin_of_safety.units == doctest::Approx(11.0 / 3.0 - 11'000.0 / 3'140.0));
    CHECK(q.margin_of_safety.ratio == doctest::Approx(140.0 / 3'140.0));
    CHECK(contains(error_of([&] { critical_volume(read_log(csv, {}).view(), 1); }),
                   "cost: the log has no cost"));
}

TEST_CASE("break-even, series: invalid inputs") {
    const std::vector<std::int64_t> starts{0, 86'400}, same{0, 0}, none;
    const std::vector<double> two{1, 2}, one{1}, with_nan{1, qnan}, empty;
    // No end: the default, the last start plus the last period's length (86,400 + 86,400).
    CHECK(break_even_over_time(starts, std::nullopt, two, two).end == 172'800);
    CHECK(error_of([&] { break_even_over_time(none, std::nullopt, empty, empty); }) ==
          "end: required with a single period (its length is not known)");
    CHECK(error_of([&] { break_even_over_time(none, 1, empty, empty); }) ==
          "period_start: no period");
    CHECK(error_of([&] { break_even_over_time(starts, 200'000, one, two); }) ==
          "revenue: has 1 periods, period_start has 2");
    CHECK(error_of([&] { break_even_over_time(same, 200'000, two, two); }) ==
          "period_start: period 1 (1970-01-01) is not after period 0 (1970-01-01)");
    CHECK(error_of([&] { break_even_over_time(starts, 86'400, two, two); }) ==
          "end: 1970-01-02 is not after the last period start 1970-01-02");
    CHECK(error_of([&] { break_even_over_time(starts, 200'000, two, with_nan); }) ==
          "cost: period 1 (1970-01-02): value is nan");
}

TEST_CASE("break-even, sensitivity: tornado table") {
    // At 2,500 units, +-10% (base profit 10,000, break-even 2,000):
    //   price 45 / 55: cm 15 / 25 -> profit 2,500 * 15 - 40,000 = -2,500 / 22,500 (swing 25,000),
    //     break-even 40,000 / 15 = 2,666.67 / 40,000 / 25 = 1,600
    //   unit cost 27 / 33: cm 23 / 17 -> 17,500 / 2,500 (swing 15,000), 1,739.13 / 2,352.94
    //   volume 2,250 / 2,750: 5,000 / 15,000 (swing 10,000); break-even unchanged 2,000
    //   fixed 36,000 / 44,000: 14,000 / 6,000 (swing 8,000), 1,800 / 2,200
    const tornado_result t = tornado(textbook, 2'500, 0.1);
    CHECK(t.base_profit == 10'000);
    CHECK(t.base.units == 2'000);
    REQUIRE(t.rows.size() == 4);
    CHECK(t.rows[0].variable == cvp_variable::price);
    CHECK(t.rows[1].variable == cvp_variable::unit_variable_cost);
    CHECK(t.rows[2].variable == cvp_variable::volume);
    CHECK(t.rows[3].variable == cvp_variable::fixed_costs);
    CHECK(t.rows[0].low.profit == doctest::Approx(-2'500));
    CHECK(t.rows[0].high.profit == doctest::Approx(22'500));
    CHECK(t.rows[0].profit_swing == doctest::Approx(25'000));
    CHECK(t.rows[0].low.break_even.units == doctest::Approx(40'000.0 / 15));
    CHECK(t.rows[0].high.break_even.units == doctest::Approx(1'600));
    CHECK(t.rows[1].low.profit == doctest::Approx(17'500));
    CHECK(t.rows[1].high.profit == doctest::Approx(2'500));
    CHECK(t.rows[1].low.break_even.units == doctest::Approx(40'000.0 / 23));
    CHECK(t.rows[2].low.sales_units == doctest::Approx(2'250));
    CHECK(t.rows[2].low.profit == doctest::Approx(5'000));
    CHECK(t.rows[2].high.profit == doctest::Approx(15'000));
    CHECK(t.rows[2].high.break_even.units == 2'000);
    CHECK(t.rows[3].low.profit == doctest::Approx(14'000));
    CHECK(t.rows[3].high.break_even.units == doctest::Approx(2'200));
    CHECK(to_string(t.rows[3].variable) == "fixed_costs");
    // The changed input's value per side: price 45 / 55, unit cost 27 / 33, volume 2,250 /
    // 2,750, fixed costs 36,000 / 44,000.
    CHECK(t.rows[0].low.value == doctest::Approx(45));
    CHECK(t.rows[0].high.value == doctest::Approx(55));
    CHECK(t.rows[1].high.value == doctest::Approx(33));
    CHECK(t.rows[2].low.value == doctest::Approx(2'250));
    CHECK(t.rows[3].high.value == doctest::Approx(44'000));
    // A price drop that removes the margin is a result: -40% -> 30 = unit cost.
    const tornado_result deep = tornado(textbook, 2'500, 0.4);
    CHECK_FALSE(deep.rows[0].low.break_even.defined);
    CHECK(error_of([] { tornado(textbook, 2'500, 1.0); }) == "change: must be in [0, 1), got 1");
    CHECK(error_of([] { tornado(textbook, -1); }) ==
          "sales_units: must be finite and >= 0, got -1");
}

TEST_CASE("break-even, sensitivity: price x volume grid of profit") {
    // profit(p, q) = q * (p - 30) - 40,000: (45, 2,250) -> -6,250; (50, 2,500) -> 10,000;
    // (55, 2,750) -> 28,750; (45, 2,750) -> 1,250.
    const std::vector<double> changes{-0.1, 0, 0.1};
    const profit_grid g = price_volume_grid(textbook, 2'500, changes, changes);
    REQUIRE(g.profit.size() == 9);
    CHECK(g.price[0] == doctest::Approx(45));
    CHECK(g.volume[2] == doctest::Approx(2'750));
    CHECK(g.profit[0 * 3 + 0] == doctest::Approx(-6'250));
    CHECK(g.profit[1 * 3 + 1] == 10'000);
    CHECK(g.profit[2 * 3 + 2] == doctest::Approx(28'750));
    CHECK(g.profit[0 * 3 + 2] == doctest::Approx(1'250));
    const std::vector<double> bad{0.1, -1};
    CHECK(error_of([&] { price_volume_grid(textbook, 2'500, changes, bad); }) ==
          "volume_changes: index 1: must be finite and > -1, got -1");
}

TEST_CASE("break-even, chart data: fixed-cost, total-cost and revenue lines and the point") {
    // Volumes 0, 1,000, ..., 4,000: total cost 40,000 + 30 q, revenue 50 q; they meet at 2,000.
    const break_even_chart c = break_even_chart_data(textbook, 4'000, 5);
    CHECK(c.volume == std::vector<double>{0, 1'000, 2'000, 3'000, 4'000});
    CHECK(c.fixed_costs == std::vector<double>(5, 40'000));
    CHECK(c.total_costs == std::vector<double>{40'000, 70'000, 100'000, 130'000, 160'000});
    CHECK(c.revenue == std::vector<double>{0, 50'000, 100'000, 150'000, 200'000});
    CHECK(c.break_even.units == 2'000);
    CHECK(c.total_costs[2] == c.revenue[2]);
    // From 1,000 to 3,000 in 3 points: 1,000, 2,000, 3,000.
    CHECK(break_even_chart_data(textbook, 3'000, 3, 1'000).volume ==
          std::vector<double>{1'000, 2'000, 3'000});
    CHECK(error_of([] { break_even_chart_data(textbook, 4'000, 1); }) ==
          "points: must be >= 2, got 1");
    CHECK(error_of([] { break_even_chart_data(textbook, 100, 5, 100); }) ==
          "volume_max: must be finite and above volume_min 100, got 100");
}

TEST_CASE("the options by name: parse_mix_basis") {
    CHECK(parse_mix_basis("units") == mix_basis::units);
    CHECK(parse_mix_basis("revenue") == mix_basis::revenue);
    try {
        parse_mix_basis("value");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "basis: expected 'units' or 'revenue', got 'value'");
        CHECK(e.argument() == "basis");
        CHECK(e.value() == "value");
    }
}

TEST_CASE("break-even: a result that overflows is an error naming the input, never inf") {
    // F = 1e308 at a margin of 0.5 gives 2e308 units, beyond the largest double (1.797e308):
    // before, the break-even was infinity and the CLI printed inf with exit status 0.
    const cvp_model huge{.fixed_costs = 1e308, .price = 1.0, .unit_variable_cost = 0.5};
    CHECK(error_of([&] { (void)break_even(huge); }) ==
          "fixed_costs: 1e+308 gives a break-even volume beyond the largest number (about "
          "1.8e308); state the amounts in a larger unit (thousands, millions)");
    try {
        (void)break_even(huge);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "fixed_costs");
        CHECK(e.value() == "1e+308");
    }
    // Units 1e308 / 2 = 5e307 are finite, but the revenue 5e307 * 10 is not.
    const cvp_model pricey{.fixed_costs = 1e308, .price = 10.0, .unit_variable_cost = 8.0};
    CHECK(contains(error_of([&] { (void)break_even(pricey); }),
                   "fixed_costs: 1e+308 gives a break-even revenue"));
    CHECK(contains(error_of([&] { (void)cash_break_even(huge, 1.0); }), "fixed_costs: "));
    // The target 1e308 on top of F = 1e308 overflows the contribution needed.
    CHECK(contains(error_of([&] { (void)target_profit(textbook, 1.7e308, 0.5); }),
                   "target_profit: 1.7e+308 gives a required contribution"));
    // Sales of 1e308 units at a price of 50: the revenue overflows; at a margin of 20, the
    // contribution overflows.
    CHECK(contains(error_of([&] { (void)margin_of_safety(textbook, 1e308); }),
                   "sales_units: 1e+308 gives a margin of safety in revenue"));
    CHECK(contains(error_of([&] { (void)operating_leverage(textbook, 1e308); }),
                   "sales_units: 1e+308 gives a contribution"));
    // A mix with a weighted margin of 0.5: 1e308 / 0.5 overflows.
    const std::vector<double> p{1.0, 1.0}, v{0.5, 0.5}, s{0.5, 0.5};
    CHECK(contains(error_of([&] { (void)break_even_mix(1e308, p, v, s, mix_basis::units, 1e-9); }),
                   "fixed_costs: 1e+308 gives a break-even volume"));
    // Just inside: F = 8e307 at a margin of 0.5 gives 1.6e308 units, finite, and no error.
    CHECK(break_even({.fixed_costs = 8e307, .price = 1.0, .unit_variable_cost = 0.5}).units ==
          1.6e308);
}

TEST_CASE("read_sales_mix: the columns of a mix file in any order") {
    auto message_of = [](auto f) -> std::string {
        try {
            f();
        } catch (const error& e) {
            return e.what();
        }
        return "";
    };
    auto read = [](const std::string& text) {
        std::istringstream in(text);
        return read_sales_mix(read_csv_table(in, "mix.csv"), "--mix");
    };
    const sales_mix_table t = read("note,mix,price,product,unit_variable_cost\n"
                                   "x,0.5,20,a,12\n"
                                   "y,0.3,30,\"b, large\",18\n"
                                   "z,0.2,50,c,35\n");
    CHECK(t.product == std::vector<std::string>{"a", "b, large", "c"});
    CHECK(t.price == std::vector<double>{20, 30, 50});
    CHECK(t.unit_variable_cost == std::vector<double>{12, 18, 35});
    CHECK(t.share == std::vector<double>{0.5, 0.3, 0.2});
    // The example of break_even_mix: weighted cm 0.5 x 8 + 0.3 x 12 + 0.2 x 15 = 10.6.
    const mix_break_even r = break_even_mix(53000, t.price, t.unit_variable_cost, t.share);
    CHECK(r.units == doctest::Approx(5000));
    CHECK(r.contribution_margin == std::vector<double>{8, 12, 15}); // 20 - 12, 30 - 18, 50 - 35
    CHECK(message_of([&] { read("product,price,mix\na,1,1\n"); }) ==
          "mix.csv:1: column \"unit_variable_cost\": missing column (the header has: product, "
          "price, mix)");
    CHECK(message_of([&] { read("product,price,unit_variable_cost,mix\na,0,1,1\n"); }) ==
          "mix.csv:2: column \"price\": must be finite and > 0 (value \"0\")");
    CHECK(message_of([&] { read("product,price,unit_variable_cost,mix\n,1,1,1\n"); }) ==
          "mix.csv:2: column \"product\": empty product name");
    CHECK(message_of([&] { read("product,price,unit_variable_cost,mix\n"); }) ==
          "--mix: \"mix.csv\" has no products");
    // Issue 16: a product twice names both lines (before: "product 'a' appears more than once",
    // no line).
    CHECK(message_of([&] {
              read("product,price,unit_variable_cost,mix\na,2,1,0.5\nb,3,1,0.2\n"
                   "a,2,1,0.3\n");
          }) == "mix.csv:4: column \"product\": product 'a' is already on line 2 (a mix lists each "
                "product once) (value \"a\")");
    CHECK_THROWS_AS(read("product,price,unit_variable_cost,mix\na,1,-1,1\n"), parse_error);
}

TEST_CASE("break-even from columns: stepped bands and the rows of a log") {
    // The bands of the stepped example: p 50, v 30 (cm 20); [0, 3,000) F 40,000 and
    // [3,000, 6,000) F 70,000 -> 2,000 and 3,500, both inside.
    const std::vector<double> from{0, 3000}, to{3000, 6000}, fixed{40000, 70000};
    const stepped_break_even s = break_even_stepped(50, 30, from, to, fixed);
    CHECK(s.units == std::vector<double>{2000, 3500});
    CHECK_THROWS_AS(break_even_stepped(50, 30, from, to, std::vector<double>{1}), invalid_argument);

    // Rows on 2023-01-10 (revenue 100, cost 200) and 2023-02-10 (300, 100), times in ms, with
    // no fixed costs: cumulative revenue 100, 400 and cost 200, 300 per month, as the series
    // test of output/break_even: break-even on 2023-02-15.
    const std::vector<std::int64_t> t{1673308800000, 1675987200000};
    const std::vector<double> amount{100, 300}, cost{200, 100};
    const auto r = break_even_over_time(t, 1000, amount, cost, 0.0);
    CHECK(r.cumulative_revenue == std::vector<double>{100, 400});
    CHECK(r.cumulative_cost == std::vector<double>{200, 300});
    REQUIRE(r.defined);
    CHECK(format_date(r.time) == "2023-02-15");
}

TEST_CASE("default_period_end: calendar months when the starts are month starts, else one step") {
    const auto t = [](const char* text) { return *parse_time(text); };
    // Months: January, February -> the next month start, 2024-03-01.
    CHECK(default_period_end(std::vector{t("2024-01-01"), t("2024-02-01")}) == t("2024-03-01"));
    // Quarters across a year end: 2023-10-01, 2024-01-01 -> 2024-04-01 (3 months, not 92 days).
    CHECK(default_period_end(std::vector{t("2023-10-01"), t("2024-01-01")}) == t("2024-04-01"));
    // Not all month starts (or not at midnight): the last step again, 17 + (17 - 10) = 24.
    CHECK(default_period_end(std::vector<std::int64_t>{10, 17}) == 24);
    CHECK(default_period_end(std::vector{t("2024-01-01"), t("2024-02-01T12:00:00")}) ==
          t("2024-03-04")); // 31.5 days after February 1, noon
    CHECK_THROWS_WITH_AS(default_period_end(std::vector{t("2024-01-01")}),
                         "end: required with a single period (its length is not known)",
                         invalid_argument);
}

TEST_CASE("break-even, stepped, series, tornado, grid, chart: overflow names the input") {
    const std::string beyond = " beyond the largest number (about 1.8e308); state the amounts in "
                               "a larger unit (thousands, millions)";
    // Stepped: band 1's F = 1e308 at cm 0.5 gives 2e308 units. Before: units inf, "lies above".
    const std::vector<cost_band> bands{{0, 10, 1}, {10, inf, 1e308}};
    try {
        (void)break_even_stepped(1.0, 0.5, bands);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "bands: band 1 fixed_costs: 1e+308 gives a break-even volume" + beyond);
        CHECK(e.argument() == "bands: band 1 fixed_costs");
        CHECK(e.value() == "1e+308");
    }
    // Just inside: 8e307 / 0.5 = 1.6e308 units, revenue 1.6e308 * 1, in the open last band.
    const std::vector<cost_band> ok{{0, 10, 1}, {10, inf, 8e307}};
    CHECK(break_even_stepped(1.0, 0.5, ok).units == std::vector<double>{2, 1.6e308});

    // Series: revenue 1e308 + 1e308 overflows in period 1. Before: cumulative revenue inf and
    // a break-even "reached" with a NaN profit line.
    const std::vector<std::int64_t> start{0, 100};
    const std::vector<double> rev{1e308, 1e308}, cost{1, 1};
    try {
        (void)break_even_over_time(start, 200, rev, cost);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "revenue: period 1 (1970-01-01T00:01:40): 1e+308 takes the cumulative revenue" +
                  beyond);
        CHECK(e.argument() == "revenue");
        CHECK(e.row() == 1);
        CHECK(e.value() == "1e+308");
    }
    // Profit 1e308 - (-1e308) overflows though each cumulative value is finite (cost -1e308
    // is nonsense but finite): named by the larger input, the revenue, in period 0.
    const std::vector<double> neg_cost{-1e308, 0}, one_rev{1e308, 0};
    CHECK(contains(error_of([&] { (void)break_even_over_time(start, 200, one_rev, neg_cost); }),
                   "revenue: period 0 (1970-01-01): 1e+308 takes the cumulative profit"));
    // Interpolation with a profit from -1e308 to 1.5e308 inside period 1: after - before is
    // 2.5e308, beyond the largest double. Before: fraction 1e308 / inf = 0, the start of the
    // period. Now (1e308 / 2) / (1.25e308) = 0.4 of 100 s -> 140 s.
    const std::vector<double> r2{0, 1.5e308}, c2{1e308, -1e308};
    const break_even_over_time_result cross = break_even_over_time(start, 200, r2, c2);
    REQUIRE(cross.defined);
    CHECK(cross.time == 140);

    // From a log: January 1e308 + 1e308 overflows the month's revenue: bad data, column amount.
    csv_columns cols;
    cols.cost = "cost";
    const transaction_log big = read_log("customer_id,date,amount,cost\n"
                                         "A,2023-01-10,1e308,1\nA,2023-01-11,1e308,1\n",
                                         cols);
    try {
        (void)break_even_over_time(big.view(), 0);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) ==
              "amount: the cumulative revenue up to 2023-01 goes" + beyond);
        CHECK(e.column() == "amount");
        CHECK(e.value() == "2023-01");
    }
    // Fixed costs of 1e308 a month over two months: the log's costs (2) are finite, so the
    // fixed costs are named (a usage error).
    const transaction_log two = read_log("customer_id,date,amount,cost\n"
                                         "A,2023-01-10,5,1\nA,2023-02-11,5,1\n",
                                         cols);
    CHECK(error_of([&] { (void)break_even_over_time(two.view(), 1e308); }) ==
          "fixed_costs_per_month: 1e+308 takes the cumulative cost up to 2023-02" + beyond);

    // Tornado: price 1.7e308 raised by 10% overflows; sales 1e308 at cm 20 overflow the base
    // profit. Before: the price case had inf and NaN profits.
    const cvp_model pricey{.fixed_costs = 0, .price = 1.7e308, .unit_variable_cost = 0};
    CHECK(error_of([&] { (void)tornado(pricey, 0.5, 0.1); }) ==
          "price: 1.7e+308 gives a changed price" + beyond);
    CHECK(error_of([&] { (void)tornado(textbook, 1e308, 0.1); }) ==
          "sales_units: 1e+308 gives a profit" + beyond);
    // F of 1.7e308 raised by 10%: 1.87e308 overflows. With v = 0 every break-even revenue is
    // F itself (F / p * p), finite in the price rows before.
    const cvp_model heavy{.fixed_costs = 1.7e308, .price = 1e10, .unit_variable_cost = 0};
    CHECK(error_of([&] { (void)tornado(heavy, 1, 0.1); }) ==
          "fixed_costs: 1.7e+308 gives a changed fixed_costs" + beyond);
    // Volume 1e306: profit 2e307 - 40,000, raised by 10% 2.2e307, at price 55 2.5e307: finite.
    CHECK(tornado(textbook, 1e306, 0.1).rows.size() == 4);

    // Grid: price 1e308 * (1 + 0.9) overflows, named by the change; a volume change of 1 on
    // 1e308 units overflows the volume; 1e307 units at price 1e2 overflow the profit.
    const std::vector<double> none{0.0}, big_up{0.9}, double_up{1.0};
    const cvp_model top{.fixed_costs = 0, .price = 1e308, .unit_variable_cost = 0};
    CHECK(error_of([&] { (void)price_volume_grid(top, 1, big_up, none); }) ==
          "price_changes: index 0: 0.9 gives a price" + beyond);
    CHECK(error_of([&] { (void)price_volume_grid(textbook, 1e308, none, double_up); }) ==
          "volume_changes: index 0: 1 gives a volume" + beyond);
    // Profit at (50 * 2, 1e307): 1e307 * 70 overflows; the price change is named.
    CHECK(error_of([&] { (void)price_volume_grid(textbook, 1e307, double_up, none); }) ==
          "price_changes: index 0: 1 gives a profit" + beyond);
    CHECK(error_of([&] { (void)price_volume_grid(textbook, 1e307, none, none); }) ==
          "sales_units: 1e+307 gives a profit" + beyond);

    // Chart over 0, 5e306, 1e307: at 5e306 total costs 40,000 + 30 * 5e306 = 1.5e308 are
    // finite, the revenue 50 * 5e306 = 2.5e308 is not.
    CHECK(error_of([&] { (void)break_even_chart_data(textbook, 1e307, 3); }) ==
          "volume_max: 1e+307 gives a revenue" + beyond);
}

TEST_CASE("tornado: the break-even units swing of each input, worked by hand") {
    // Textbook model at 2,500 units, +-10%. Break-even units F / (p - v):
    // price 45 / 55 -> 40,000 / 15 = 2,666.67 and 40,000 / 25 = 1,600 (swing 1,066.67);
    // unit cost 27 / 33 -> 40,000 / 23 = 1,739.13 and 40,000 / 17 = 2,352.94 (613.81);
    // fixed costs 36,000 / 44,000 -> 1,800 and 2,200 (400); volume moves no break-even (0).
    const tornado_result t = tornado(textbook, 2'500, 0.1);
    std::map<cvp_variable, double> swing;
    for (const tornado_row& row : t.rows) {
        REQUIRE(row.break_even_units_swing);
        swing[row.variable] = *row.break_even_units_swing;
    }
    CHECK(swing[cvp_variable::price] == doctest::Approx(40'000.0 / 15 - 1'600));
    CHECK(swing[cvp_variable::unit_variable_cost] ==
          doctest::Approx(40'000.0 / 17 - 40'000.0 / 23));
    CHECK(swing[cvp_variable::fixed_costs] == doctest::Approx(400));
    CHECK(swing[cvp_variable::volume] == 0.0);
    // A price cut to at or below the unit cost leaves no break-even: no swing.
    const cvp_model thin{.fixed_costs = 1'000, .price = 10, .unit_variable_cost = 9.5};
    for (const tornado_row& row : tornado(thin, 100, 0.1).rows)
        if (row.variable == cvp_variable::price || row.variable == cvp_variable::unit_variable_cost)
            CHECK_FALSE(row.break_even_units_swing);
}

TEST_CASE("break_even_over_time: the cumulative profit of each period, and default_volume_max") {
    // Revenue 1,000, 3,000, 3,000 against cost 2,000, 1,500, 1,500: cumulative profit
    // -1,000, +500, +2,000.
    const std::vector<std::int64_t> start{0, 100, 200};
    const std::vector<double> revenue{1'000, 3'000, 3'000}, cost{2'000, 1'500, 1'500};
    const break_even_over_time_result r = break_even_over_time(start, 300, revenue, cost);
    CHECK(r.cumulative_profit == std::vector<double>{-1'000, 500, 2'000});

    // Twice the larger of break-even and sales units, of those above 0.
    CHECK(default_volume_max(2'000.0, 2'500.0) == 5'000.0);
    CHECK(default_volume_max(2'000.0) == 4'000.0);
    CHECK(default_volume_max(-5.0, 3.0) == 6.0);
    CHECK(default_volume_max(std::nullopt, 3.0) == 6.0);
    CHECK_THROWS_WITH_AS(default_volume_max(std::nullopt, 0.0),
                         "volume_max: required when there is no break-even point and no sales "
                         "volume above 0 to scale the chart",
                         invalid_argument);
}

TEST_CASE("break-even form: the inputs given choose one product, a mix or a log") {
    // The form is read off which inputs are present (none of their values matter).
    break_even_request single;
    single.fixed_costs = 40'000;
    single.price = 50;
    single.unit_variable_cost = 30;
    CHECK(choose_break_even_form(single) == break_even_form::single);
    break_even_request mix;
    mix.fixed_costs = 40'000;
    mix.mix = true;
    CHECK(choose_break_even_form(mix) == break_even_form::mix);
    break_even_request log;
    log.log = true;
    log.fixed_costs_per_month = 1'000;
    CHECK(choose_break_even_form(log) == break_even_form::over_time);

    // Each wrong combination names the input, by the names the face gives.
    const auto fails = [](const break_even_request& r, const break_even_names& names,
                          const std::string& argument, const std::string& message) {
        try {
            (void)choose_break_even_form(r, names);
            FAIL("no error for " << message);
        } catch (const custometrics::invalid_argument& e) {
            CHECK(e.argument() == argument);
            CHECK(std::string(e.what()) == message);
        }
    };
    break_even_names flags;
    flags.price = "--price";
    flags.mix = "--mix";
    flags.log = "--log";
    break_even_request r = mix;
    r.price = 50;
    fails(r, flags, "--price", "--price: not used with --mix");
    r = log;
    r.fixed_costs = 1;
    fails(r, {}, "fixed_costs", "fixed_costs: not used with log (give fixed_costs_per_month)");
    r = log;
    r.fixed_costs_per_month.reset();
    fails(r, {}, "fixed_costs_per_month", "fixed_costs_per_month: required with log");
    r = single;
    r.tax_rate = 0.3;
    fails(r, {}, "tax_rate", "tax_rate: not used without target_profit");
    r = single;
    r.fixed_costs_per_month = 1;
    fails(r, {}, "fixed_costs_per_month", "fixed_costs_per_month: not used without log");
    r = single;
    r.fixed_costs.reset();
    fails(r, {}, "fixed_costs",
          "fixed_costs: required for one product (or give log and fixed_costs_per_month)");
    r = single;
    r.unit_variable_cost.reset();
    fails(r, {}, "unit_variable_cost", "unit_variable_cost: required (or give mix or log)");
    r = mix;
    r.log = true;
    fails(r, flags, "--mix", "--mix: give one or the other, not also --log");
}
