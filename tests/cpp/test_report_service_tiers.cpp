// Tests of the report's "Service tiers" HTML section (output/report.hpp
// add_service_tiers_section): the tiers of a profitability worked by hand.
#include <custometrics/output/report.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace custometrics;

TEST_CASE("report: the service tiers section") {
    sales_report r;
    output::html_document doc;
    // No cost column, no profitability: no section.
    output::add_service_tiers_section(doc, r);
    CHECK(doc.sections.empty());

    // Tier A: 1 customer, revenue 100, gross margin 40, cost to serve 10, profit 30; tier B: 1
    // customer with profit 10; tier D: 1 customer, revenue 50, gross margin -5, cost 5, profit
    // -10. A earns 30 of the 40 the profitable customers earn: 75%.
    customer_profitability p;
    p.tiers[0] = {1, 100, 40, 10, 30};
    p.tiers[1] = {1, 20, 12, 2, 10};
    p.tiers[3] = {1, 50, -5, 5, -10};
    p.tier_cut_a = 0.7;
    r.loyalty.profitability = p;
    r.loyalty.costs_given = true;
    output::add_service_tiers_section(doc, r);
    REQUIRE(doc.sections.size() == 1);
    const output::html_section& s = doc.sections[0];
    CHECK(s.id == "service-tiers");
    CHECK(s.takeaway == "1 customers (tier A) earn 75.0% of the profit of the profitable ones; 1 "
                        "customers (tier D) cost 10.00 more than they earn.");
    REQUIRE(s.tables.size() == 1);
    REQUIRE(s.tables[0].rows.size() == 4);
    CHECK(s.tables[0].rows[0] ==
          std::vector<std::string>{"A", "1", "100.00", "40.00", "10.00", "30.00",
                                   "personal service: keep and grow (the top of the profit)"});
    CHECK(s.tables[0].rows[3][5] == "-10.00");
    CHECK(s.charts.size() == 1);
    REQUIRE(s.notes.size() == 1); // the cuts; costs were given
    CHECK(s.notes[0].find("tier A up to 70.0% of their total profit, B up to 95.0%") !=
          std::string::npos);
}
