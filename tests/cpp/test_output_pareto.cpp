// Tests of output/pareto.hpp and pareto_log.hpp: the Pareto analysis of a small log worked by
// hand (totals, ranks, shares, classes, the entity not ranked) and its CSV, JSON and text forms.
#include <custometrics/csv.hpp>
#include <custometrics/detail/json.hpp>
#include <custometrics/output/pareto.hpp>
#include <custometrics/pareto_log.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <sstream>
#include <string>

using namespace custometrics;

namespace {

// Totals by customer: A 50 - 5 = 45, B 30, C -10 (not ranked); D has no row in the window
// [2020-01-01, 2020-01-03] and is neither ranked nor counted.
const char* const log_csv = "customer_id,date,amount,cost\n"
                            "A,2020-01-01,50,20\n"
                            "B,2020-01-02,30,40\n"
                            "A,2020-01-03,-5,-2\n"
                            "C,2020-01-03,-10,0\n"
                            "D,2020-02-01,99,1\n";

transaction_log read_log() {
    std::istringstream in(log_csv);
    csv_columns columns;
    columns.conventional_names = true;
    return read_transactions_csv(in, "log.csv", columns);
}

time_window january_1_to_3() {
    return {*parse_time("2020-01-01"), inclusive_end(*parse_time("2020-01-03"))};
}

} // namespace

TEST_CASE("pareto_of_log: ranks the active entities, ids of the log") {
    const transaction_log log = read_log();
    const log_pareto a =
        pareto_of_log(log, dimension::customer, measure::revenue, january_1_to_3());
    // Ranked: A 45, B 30 (total 75); C -10 not ranked; D inactive.
    REQUIRE(a.pareto.size() == 2);
    CHECK(log.customer_keys.key_string(a.pareto.entity[0]) == "A");
    CHECK(log.customer_keys.key_string(a.pareto.entity[1]) == "B");
    CHECK(a.pareto.total == 75.0);
    CHECK(a.pareto.cum_share[0] == doctest::Approx(45.0 / 75.0));
    REQUIRE(a.pareto.nonpositive.size() == 1);
    CHECK(log.customer_keys.key_string(a.pareto.nonpositive[0]) == "C");
    CHECK(!a.whale);
    CHECK(!a.comparison);
}

TEST_CASE("output::write_csv of a log's Pareto analysis") {
    const transaction_log log = read_log();
    const log_pareto a =
        pareto_of_log(log, dimension::customer, measure::revenue, january_1_to_3());
    std::ostringstream out;
    output::write_csv(out, a, log.customer_keys);
    // A: share before 0 < 0.8 -> A; B: share before 0.6 < 0.8 -> A (rule "before").
    CHECK(out.str() == "key,value,rank,cum_share,class\n"
                       "A,45,1,0.6,A\n"
                       "B,30,2,1,A\n"
                       "C,-10,,,none\n");
}

TEST_CASE("output::write_json and write_text of a log's Pareto analysis with its whale curve") {
    const transaction_log log = read_log();
    // Profit by customer in the window: A (50-20) + (-5+2) = 27, B 30-40 = -10, C -10.
    const log_pareto a = pareto_of_log(log, dimension::customer, measure::profit, january_1_to_3());
    REQUIRE(a.whale);
    std::ostringstream json;
    {
        detail::json_writer w(json);
        w.begin_object();
        output::write_json(w, a);
        w.end_object();
    }
    const std::string j = json.str();
    CHECK(j.find("\"n\":1,\"total\":27,") != std::string::npos);
    CHECK(j.find("\"not_ranked\":{\"count\":2,\"total\":-20}") != std::string::npos);
    // Whale: total 7, loss 20 over 2 of 3 customers, peak 27/7.
    CHECK(j.find("\"whale\":{\"defined\":true,\"total_profit\":7,") != std::string::npos);
    CHECK(j.find("\"loss_entities\":2,") != std::string::npos);

    // One entity ranked: it alone is needed for 80%, and it is the top 20% (the core counts
    // whole entities, at least one).
    std::ostringstream text;
    output::write_text(text, a, log.customer_keys, "profit", "customer");
    CHECK(text.str() == "Pareto analysis: profit by customer\n"
                        "  entities ranked      1  (2 more with a total <= 0, not ranked: -20.00)\n"
                        "  total                27.00\n"
                        "  80% of the total     from the top 100.0% of entities\n"
                        "  top 20% of entities  make 100.0% of the total\n"
                        "  Gini                 0.000  (small-sample 0.000)\n"
                        "  ABC classes          A 1 (100.0%), B 0 (0.0%), C 0 (0.0%)\n"
                        "  top 1: A 100.0%\n"
                        "  whale curve          peaks at 385.7% of total profit after the top "
                        "33.3% of entities\n"
                        "  loss makers          2 (66.7%) destroy 20.00 (285.7% of total "
                        "profit)\n");
}

TEST_CASE("resolve_pareto_axes: built-in names, any other column as product or quantity") {
    const pareto_axes plain = resolve_pareto_axes("channel", "profit", {});
    CHECK(plain.by == dimension::channel);
    CHECK(plain.what == measure::profit);
    CHECK_FALSE(plain.columns.product.has_value());
    // "region" is a column read as the product key, "units" one read as the quantity.
    const pareto_axes cols = resolve_pareto_axes("region", "units", {});
    CHECK(cols.by == dimension::product);
    CHECK(cols.what == measure::quantity);
    CHECK(cols.columns.product == std::optional<std::string>("region"));
    CHECK(cols.columns.quantity == std::optional<std::string>("units"));
    // The same column named twice is fine; another one is an error naming the options.
    csv_columns named;
    named.product = "sku";
    CHECK(resolve_pareto_axes("sku", "revenue", named).by == dimension::product);
    CHECK_THROWS_WITH_AS(resolve_pareto_axes("region", "revenue", named,
                                             {"--by", "--measure", "--product", "--quantity"}),
                         "--by: region: cannot be combined with --product sku", invalid_argument);
    named.quantity = "qty";
    CHECK_THROWS_WITH_AS(resolve_pareto_axes("customer", "units", named),
                         "measure: units: cannot be combined with quantity qty", invalid_argument);
}

TEST_CASE("key_column: the header name of the ranked entities' key") {
    CHECK(key_column(resolve_pareto_axes("customer", "revenue", {})) == "customer_id");
    CHECK(key_column(resolve_pareto_axes("product", "revenue", {})) == "product");
    CHECK(key_column(resolve_pareto_axes("channel", "revenue", {})) == "channel");
    CHECK(key_column(resolve_pareto_axes("region", "revenue", {})) == "region");
    csv_columns named;
    named.customer = "cust";
    named.product = "sku";
    named.channel = "via";
    CHECK(key_column(resolve_pareto_axes("customer", "revenue", named)) == "cust");
    CHECK(key_column(resolve_pareto_axes("product", "revenue", named)) == "sku");
    CHECK(key_column(resolve_pareto_axes("channel", "profit", named)) == "via");
}
