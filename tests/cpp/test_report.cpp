// Tests of report.hpp and output/report.hpp: the overview of a small log worked by hand, the
// linear quantile against numpy's values, and the text and JSON lines the writers produce.
#include <custometrics/csv.hpp>
#include <custometrics/detail/json.hpp>
#include <custometrics/output/report.hpp>
#include <custometrics/report.hpp>
#include <custometrics/summary.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

// Net revenue per customer: A 50 - 5 = 45, B 30, C 15 + 7 = 22 (total 97 = 102 - 5).
// Profit per customer: A (50 - 20) + (-5 + 2) = 27, B 30 - 35 = -5, C (15 - 5) + (7 - 3) = 14.
const char* const log_csv = "customer_id,date,amount,cost,product,channel\n"
                            "A,2020-01-01,50,20,p1,web\n"
                            "B,2020-01-02,30,35,p1,shop\n"
                            "A,2020-01-03,-5,-2,p2,web\n"
                            "C,2020-01-03,15,5,p2,shop\n"
                            "C,2020-01-04,7,3,p1,web\n";

transaction_log read_log() {
    std::istringstream in(log_csv);
    csv_columns columns;
    columns.conventional_names = true;
    return read_transactions_csv(in, "log.csv", columns);
}

sales_overview overview_of(const transaction_log& log) {
    summary_options so;
    so.unit = time_unit::days;
    return compute_sales_overview(log, summarize(log.view(), so));
}

} // namespace

TEST_CASE("quantile_linear interpolates as numpy's default") {
    // numpy.quantile([1, 2, 3, 4], 0.5) == 2.5; numpy.quantile([5, 1, 3], 0.9) == 4.6.
    CHECK(quantile_linear({1, 2, 3, 4}, 0.5) == doctest::Approx(2.5));
    CHECK(quantile_linear({5, 1, 3}, 0.9) == doctest::Approx(4.6));
    CHECK(quantile_linear({7}, 0.9) == 7.0);
    CHECK(quantile_linear({}, 0.5) == 0.0);
    CHECK_THROWS_AS(quantile_linear({1.0}, 1.5), invalid_argument);
}

TEST_CASE("compute_sales_overview: the figures of a small log by hand") {
    const transaction_log log = read_log();
    const sales_overview o = overview_of(log);
    CHECK(o.rows == 5);
    CHECK(o.purchase_rows == 4);
    CHECK(o.return_rows == 1);
    CHECK(o.days == 4); // 2020-01-01 .. 2020-01-04, both included
    CHECK(o.customers == 3);
    CHECK(o.customers_with_purchase == 3);
    CHECK(o.products == 2);
    CHECK(o.channels == 2);
    CHECK(o.gross_sales == 102.0);
    CHECK(o.returns == 5.0);
    CHECK(o.net_revenue == 97.0);
    CHECK(*o.cost == 61.0); // 20 + 35 - 2 + 5 + 3
    CHECK(*o.profit == 36.0);
    CHECK(o.revenue_mean == doctest::Approx(97.0 / 3));
    CHECK(o.revenue_median == 30.0);
    CHECK(o.revenue_p90 == doctest::Approx(42.0)); // 30 + 0.8 * (45 - 30)
    CHECK(o.revenue_max == 45.0);
    // A and B bought on one day only; C on two days: one repeat purchase worth 7.
    CHECK(o.one_time_buyer_share == doctest::Approx(2.0 / 3));
    CHECK(o.mean_frequency == doctest::Approx(1.0 / 3));
    CHECK(o.mean_repeat_purchase_value == 7.0);
    REQUIRE(o.pareto.size() == 3);
    CHECK(o.pareto[0].dimension == "customer");
    CHECK(o.pareto[0].n == 3);
    CHECK(o.pareto[0].top20_share == doctest::Approx(45.0 / 97)); // ceil(0.2 * 3) = 1: A
    // At most 30 entities: one bar each, the cumulative line ending at 100%.
    CHECK(o.pareto[0].bar_values == std::vector<double>{45, 30, 22});
    CHECK(o.pareto[0].bar_cum_share.back() == doctest::Approx(1.0));
    CHECK(o.pareto[1].dimension == "product");
    CHECK(o.pareto[2].dimension == "channel");
    REQUIRE(o.whale);
    CHECK(o.whale->defined);
    CHECK(o.whale->peak_share == doctest::Approx(41.0 / 36)); // (27 + 14) / 36
    CHECK(o.whale->loss_entity_share == doctest::Approx(1.0 / 3));
    CHECK(o.whale->loss_share == doctest::Approx(5.0 / 36));
}

TEST_CASE("the overview writers: text lines and JSON members") {
    const sales_overview o = overview_of(read_log());
    std::ostringstream text;
    output::write_text(text, o, "log.csv");
    const std::string t = text.str();
    CHECK(t.rfind("custometrics report: log.csv\n\nTransactions\n", 0) == 0);
    CHECK(t.find("  rows                 5  (purchases 4, returns 1)\n") != std::string::npos);
    CHECK(t.find("  period               2020-01-01 .. 2020-01-04  (4 days)\n") !=
          std::string::npos);
    CHECK(t.find("  returns              -5.00  (4.9% of gross)\n") != std::string::npos);
    CHECK(t.find("  gross profit         36.00  (margin 37.1%)\n") != std::string::npos);
    CHECK(t.find("  90th pct / max       42.00 / 45.00\n") != std::string::npos);

    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, o, "log.csv");
    w.end_object();
    const std::string j = json.str();
    CHECK(j.rfind("{\"source\":\"log.csv\",\"rows\":5,\"purchase_rows\":4,\"return_rows\":1,", 0) ==
          0);
    CHECK(
        j.find("\"gross_sales\":102,\"returns\":5,\"net_revenue\":97,\"cost\":61,\"profit\":36,") !=
        std::string::npos);
    CHECK(j.find("\"classes\":{\"A\":") != std::string::npos);
}

TEST_CASE("build_report: every section, written as text, JSON and one page") {
    report_options ro;
    ro.source = "log.csv";
    ro.fixed_costs_per_month = 10.0;
    const sales_report r = build_report(read_log(), ro);
    CHECK(r.overview.net_revenue == 97.0);
    CHECK(r.summary.size() == 3);
    REQUIRE(r.break_even); // the log has a cost column
    // Critical volume: one month (January 2020), net revenue 97, cost of goods
    // 20 + 35 - 2 + 5 + 3 = 61, contribution 36 = 37.1%; fixed costs 10 -> break-even revenue
    // 10 * 97 / 36 = 26.94, margin of safety 97 - 26.94 = 70.06 = (36 - 10) / 36 = 72.2% of sales.
    REQUIRE(r.critical);
    CHECK(r.critical->months == 1.0);
    CHECK(r.critical->break_even.revenue == doctest::Approx(970.0 / 36.0));
    CHECK(r.critical->margin_of_safety.revenue == doctest::Approx(97.0 - 970.0 / 36.0));
    CHECK(r.critical->margin_of_safety.ratio == doctest::Approx(26.0 / 36.0));
    std::ostringstream text, json;
    output::write_text(text, r);
    output::write_json(json, r);
    const std::string t = text.str(), j = json.str();
    CHECK(t.rfind("custometrics report: log.csv\n", 0) == 0);
    for (const char* heading : {"\nRFM segments", "\nRetention", "\nBreak-even", "\nLoyalty"})
        CHECK_MESSAGE(t.find(heading) != std::string::npos, heading);
    // The members in the report's order, after the overview's.
    std::size_t at = 0;
    for (const char* member : {"\"source\":", "\"rfm\":", "\"retention\":", "\"break_even\":",
                               "\"loyalty\":", "\"profitability\":"}) {
        const std::size_t p = j.find(member);
        CHECK_MESSAGE((p != std::string::npos && p >= at), member);
        at = p == std::string::npos ? at : p;
    }
    const std::string page = output::render_html(r);
    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(page.find("<td class=\"num\">97.00</td>") != std::string::npos);
    for (const char* id : {"id=\"glance\"", "id=\"sources\"", "id=\"profit\"", "id=\"retention\"",
                           "id=\"break-even\""})
        CHECK_MESSAGE(page.find(id) != std::string::npos, id);
    CHECK(page.find("Cumulative revenue and costs") != std::string::npos);
    CHECK(t.find("\n  critical volume      26.94 revenue a month (contribution margin 37.1%)\n"
                 "  margin of safety     70.06 a month, 72.2% of sales of 97.00\n") !=
          std::string::npos);
    CHECK(j.find(R"("critical_volume":{"months":1,"revenue_per_month":97,)") != std::string::npos);
    CHECK(page.find("Break-even chart: a month&#39;s costs and revenue") != std::string::npos);
    CHECK(page.find("<td>margin of safety (share of sales)</td><td class=\"num\">72.2%</td>") !=
          std::string::npos);
    CHECK_THROWS_AS((void)build_report(transaction_log{}, ro), invalid_argument);
}
