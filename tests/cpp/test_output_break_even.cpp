// Tests of custometrics/output/break_even.hpp: the exact text and JSON of the three forms of
// `custometrics break-even` and of the report section, for results worked by hand.
#include <custometrics/output/break_even.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

TEST_CASE("break-even writers: one product") {
    // F 40,000, p 50, v 30: cm 20 (40%), 2,000 units; a net target of 14,000 at 30% tax needs
    // 20,000 before tax: (40,000 + 20,000) / 20 = 3,000 units; at 2,500 units the margin of
    // safety is 500 units (20%), DOL = 50,000 / 10,000 = 5; cash: 30,000 / 20 = 1,500 units.
    const break_even_analysis_result a =
        break_even_analysis({cvp_model{40000, 50, 30}, 2500, 14000, 0.3, 10000});
    std::ostringstream text;
    output::write_text(text, a);
    CHECK(text.str() == "Break-even analysis: one product\n"
                        "  contribution margin  20.00 per unit (40.0% of the price)\n"
                        "  break-even           2000.00 units, revenue 100000.00\n"
                        "  target profit        3000.00 units, revenue 150000.00 (profit "
                        "20000.00 before tax, 14000.00 after 30.0% tax)\n"
                        "  margin of safety     500.00 units, revenue 25000.00, 20.0% of sales\n"
                        "  operating leverage   5.00\n"
                        "  cash break-even      1500.00 units, revenue 75000.00 (without "
                        "10000.00 of non-cash costs)\n");
    CHECK(output::figure_notes(a).empty());

    // No margin: the figures are null and the note says why.
    const break_even_analysis_result none = break_even_analysis({cvp_model{40000, 50, 50}});
    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, none);
    w.end_object();
    CHECK(json.str() == R"({"contribution_margin":0,"contribution_margin_ratio":0,)"
                        R"("break_even_units":null,"break_even_revenue":null})"
                        "\n"); // the top-level object ends its line
    REQUIRE(output::figure_notes(none).size() == 1);
    CHECK(output::figure_notes(none)[0] == none.break_even.reason);
}

TEST_CASE("break-even writers: a sales mix") {
    // Prices 20, 30, 50, unit costs 12, 18, 35, unit shares 0.5, 0.3, 0.2, F 53,000: weighted
    // cm 10.6 of an average price 10 + 9 + 10 = 29 (36.6%); 5,000 units: 2,500, 1,500, 1,000
    // with revenues 50,000, 45,000, 50,000.
    const std::vector<std::string> product{"a", "b", "c"};
    const std::vector<double> price{20, 30, 50}, cost{12, 18, 35}, share{0.5, 0.3, 0.2};
    const mix_break_even r = break_even_mix(53000, price, cost, share);
    std::ostringstream text;
    output::write_text(text, r, product, "mix.csv", mix_basis::units);
    CHECK(text.str() ==
          "Break-even analysis: sales mix of 3 products (mix.csv, shares by units)\n"
          "  weighted contribution margin  10.60 per unit (36.6% of the average price 29.00)\n"
          "  break-even                    5000.00 units, revenue 145000.00\n"
          "    a: 2500.00 units, revenue 50000.00\n"
          "    b: 1500.00 units, revenue 45000.00\n"
          "    c: 1000.00 units, revenue 50000.00\n");
    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, r, product, 53000, mix_basis::revenue);
    w.end_object();
    const std::string s = json.str();
    CHECK(s.starts_with(R"({"fixed_costs":53000,"mix_basis":"revenue",)"
                        R"("weighted_contribution_margin":10.6)"));
    CHECK(s.find(R"("average_price":29,"defined":true,"break_even_units":5000,)"
                 R"("break_even_revenue":145000,"products":[{"product":"a","unit_share":0.5,)") !=
          std::string::npos);
}

TEST_CASE("break-even writers: over time and the report section") {
    // Months from 2023-01-01 (1672531200) and 2023-02-01 (1675209600) to 2023-03-01
    // (1677628800); revenue 100, 300, cost 200, 100: cumulative profit -100, then +100, so the
    // line crosses 0 halfway through February's 28 days: 2023-02-15 00:00.
    const std::vector<std::int64_t> start{1672531200, 1675209600};
    const std::vector<double> revenue{100, 300}, cost{200, 100};
    const auto r = break_even_over_time(start, 1677628800, revenue, cost);
    std::ostringstream text;
    output::write_text(text, r, "  ");
    CHECK(text.str() == "  months               2023-01 .. 2023-02  (2)\n"
                        "  cumulative revenue   400.00, cost 300.00\n"
                        "  break-even date      2023-02-15  (2023-02-15, interpolated "
                        "within 2023-02)\n"); // format_time leaves out a midnight
    std::ostringstream titled;
    output::write_text(titled, r, "log.csv", 1000);
    CHECK(titled.str() ==
          "Break-even over time: log.csv, fixed costs 1000.00 per month\n" + text.str());
    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::report_break_even_json(w, r, 1000);
    output::report_break_even_json(w, std::nullopt, 1000);
    w.end_object();
    CHECK(json.str() == R"({"break_even":{"fixed_costs_per_month":1000,"first_month":"2023-01",)"
                        R"("last_month":"2023-02","cumulative_revenue":400,"cumulative_cost":300,)"
                        R"("reached":true,"break_even_date":"2023-02-15","break_even_time":)"
                        R"("2023-02-15","break_even_month":"2023-02","months":[{"month":"2023-01",)"
                        R"("cumulative_revenue":100,"cumulative_cost":200},{"month":"2023-02",)"
                        R"("cumulative_revenue":400,"cumulative_cost":300}]},"break_even":)"
                        R"({"fixed_costs_per_month":1000,"skipped":"the log has no cost column"}})"
                        "\n");
    std::ostringstream skipped;
    output::report_break_even_text(skipped, std::nullopt, 1000, std::nullopt, {});
    CHECK(skipped.str() == "\nBreak-even (fixed costs 1000.00 per month)\n  skipped: the log has "
                           "no cost column (name it with --cost, --margin or --unit-cost)\n");
}

TEST_CASE("break-even writers: the critical volume and the margin of safety") {
    // Revenue 120,000, cost 72,000 over 12 months, fixed 3,000 a month (break_even.hpp):
    // 10,000 a month at 40%: break-even 7,500, margin of safety 2,500 = 25% of sales; with 2,400
    // units 150 units a month at break-even against 200 sold, 50 units of margin.
    const critical_volume_result r = critical_volume(120'000, 72'000, std::nullopt, 12, 3'000);
    std::ostringstream text;
    output::write_text(text, r, "  ");
    CHECK(text.str() == "  critical volume      7,500.00 revenue a month (contribution margin "
                        "40.0%)\n"
                        "  margin of safety     2,500.00 a month, 25.0% of sales of 10,000.00\n");
    const critical_volume_result u = critical_volume(120'000, 72'000, 2'400.0, 12, 3'000);
    std::ostringstream units;
    output::write_text(units, u, "");
    CHECK(units.str() == "critical volume      150.00 units a month, revenue 7,500.00 "
                         "(contribution margin 40.0%)\n"
                         "margin of safety     2,500.00 a month (50.00 units), 25.0% of sales of "
                         "10,000.00\n");
    std::ostringstream none;
    output::write_text(none, critical_volume(100, 120, std::nullopt, 1, 1), "  ");
    CHECK(none.str().starts_with("  critical volume      none: "));

    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, r);
    w.end_object();
    CHECK(json.str() == R"({"months":12,"revenue_per_month":10000,"variable_cost_per_month":6000,)"
                        R"("units_per_month":null,"contribution_margin_ratio":0.4,"defined":true,)"
                        R"("break_even_units_per_month":null,"break_even_revenue_per_month":7500,)"
                        R"("margin_of_safety_per_month":2500,)"
                        R"("margin_of_safety_units_per_month":null,"margin_of_safety_share":0.25})"
                        "\n");

    // In the report section: after the series, inside its JSON object.
    const std::vector<std::int64_t> start{1672531200, 1675209600};
    const std::vector<double> revenue{100, 300}, cost{200, 100};
    const auto series = break_even_over_time(start, 1677628800, revenue, cost);
    std::ostringstream section;
    output::report_break_even_text(section, series, 1000, r, {});
    CHECK(section.str().ends_with("\n" + text.str()));
    std::ostringstream sj;
    detail::json_writer w2(sj);
    w2.begin_object();
    output::report_break_even_json(w2, series, 1000, r);
    w2.end_object();
    CHECK(sj.str().find(R"(}]},"critical_volume":{"months":12,)") == std::string::npos);
    CHECK(sj.str().find(R"("cumulative_cost":300}],"critical_volume":{"months":12,)") !=
          std::string::npos);
}
