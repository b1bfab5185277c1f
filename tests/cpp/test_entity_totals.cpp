// Tests of entity_totals.hpp: totals of revenue, profit and quantity per customer, product and
// channel of a small log, worked by hand, with the edges of the time window (a plain end date
// closes at the end of its day), inactive entities, and the errors for missing columns.
#include <custometrics/csv.hpp>
#include <custometrics/date.hpp>
#include <custometrics/entity_totals.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

// Customers A, B, C (ids 0, 1, 2), products p1, p2 (0, 1), channels shop, web (0, 1).
const char* const log_csv = "customer_id,date,amount,cost,quantity,product,channel\n"
                            "A,2020-01-01,50,20,5,p1,web\n"
                            "B,2020-01-02T18:00:00,30,35,3,p1,shop\n"
                            "A,2020-01-03,-5,-2,1,p2,web\n"
                            "C,2020-01-03T23:59:59,15,5,2,p2,shop\n"
                            "C,2020-01-04,7,3,1,p1,web\n";

transaction_log read_log(const std::string& csv) {
    std::istringstream in(csv);
    csv_columns columns;
    columns.conventional_names = true;
    return read_transactions_csv(in, "log.csv", columns);
}

std::int64_t at(const char* text) {
    return *parse_time(text);
}

std::string argument_of(const transaction_log& log, dimension d, measure m) {
    try {
        (void)entity_totals(log, d, m);
    } catch (const invalid_argument& e) {
        return e.argument() + "=" + e.value();
    }
    return "";
}

} // namespace

TEST_CASE("entity_totals: revenue, profit and quantity per customer, product and channel") {
    const transaction_log log = read_log(log_csv);
    // Revenue per customer, no window: A 50 - 5 = 45, B 30, C 15 + 7 = 22.
    const entity_totals_result r = entity_totals(log, dimension::customer, measure::revenue);
    CHECK(r.value == std::vector<double>{45, 30, 22});
    CHECK(r.active == std::vector<entity_id>{0, 1, 2});
    // Profit per product: p1 (50 - 20) + (30 - 35) + (7 - 3) = 29; p2 (-5 + 2) + (15 - 5) = 7.
    CHECK(entity_totals(log, dimension::product, measure::profit).value ==
          std::vector<double>{29, 7});
    // Quantity per channel: shop 3 + 2 = 5; web 5 + 1 + 1 = 7.
    CHECK(entity_totals(log, dimension::channel, measure::quantity).value ==
          std::vector<double>{5, 7});
    CHECK(&dimension_keys(log, dimension::channel) == &log.channel_keys);
    CHECK(dimension_keys(log, dimension::channel).key_string(1) == "web");
}

TEST_CASE("entity_totals: window edges; a plain end date closes at the end of its day") {
    const transaction_log log = read_log(log_csv);
    CHECK(inclusive_end(at("2020-01-02")) == at("2020-01-02T23:59:59"));
    CHECK(inclusive_end(at("2020-01-02T12:00:00")) == at("2020-01-02T12:00:00"));
    // [Jan 2, end of Jan 3]: B's Jan 2 18:00 row (30), A's Jan 3 return (-5) and C's row at
    // 23:59:59 on Jan 3 (15), both ends included; A's Jan 1 and C's Jan 4 rows are outside.
    const time_window w{at("2020-01-02"), inclusive_end(at("2020-01-03"))};
    const entity_totals_result r = entity_totals(log, dimension::customer, measure::revenue, w);
    CHECK(r.value == std::vector<double>{-5, 30, 15});
    CHECK(r.active == std::vector<entity_id>{0, 1, 2});
    // The end as midnight itself (not a whole day) leaves out C's 23:59:59 row.
    const time_window midnight{at("2020-01-02"), at("2020-01-03")};
    CHECK(entity_totals(log, dimension::customer, measure::revenue, midnight).value ==
          std::vector<double>{-5, 30, 0});
    // Only an end, the whole of Jan 2: A 50, B 30 (18:00 is inside); C has no row: 0, inactive.
    const time_window until{std::nullopt, inclusive_end(at("2020-01-02"))};
    const entity_totals_result u = entity_totals(log, dimension::customer, measure::revenue, until);
    CHECK(u.value == std::vector<double>{50, 30, 0});
    CHECK(u.active == std::vector<entity_id>{0, 1});
    // Only a start, Jan 4: C 7 alone; products p1 7 (active), p2 0 (inactive).
    const time_window from{at("2020-01-04"), std::nullopt};
    const entity_totals_result f = entity_totals(log, dimension::product, measure::revenue, from);
    CHECK(f.value == std::vector<double>{7, 0});
    CHECK(f.active == std::vector<entity_id>{0});
    // A window with no row: every total 0, nobody active.
    const time_window empty{at("2021-01-01"), std::nullopt};
    const entity_totals_result e = entity_totals(log, dimension::customer, measure::profit, empty);
    CHECK(e.value == std::vector<double>{0, 0, 0});
    CHECK(e.active.empty());
}

TEST_CASE("entity_totals: a missing column names the dimension or the measure") {
    const transaction_log bare = read_log("customer_id,date,amount\nA,2020-01-01,5\n");
    CHECK(argument_of(bare, dimension::product, measure::revenue) == "dimension=product");
    CHECK(argument_of(bare, dimension::channel, measure::revenue) == "dimension=channel");
    CHECK(argument_of(bare, dimension::customer, measure::profit) == "measure=profit");
    CHECK(argument_of(bare, dimension::customer, measure::quantity) == "measure=quantity");
    CHECK(argument_of(bare, dimension::customer, measure::revenue).empty());
}

TEST_CASE("entity_totals: a total that overflows is an error naming the key") {
    // Two rows of 1e308: the total overflows; before, it was inf.
    const transaction_log big = read_log(
        "customer_id,date,amount\nA,2020-01-01,1\nZ,2020-01-01,1e308\nZ,2020-01-02,1e308\n");
    try {
        (void)entity_totals(big, dimension::customer, measure::revenue);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) ==
              "amount: the total of \"Z\" overflows the largest number (about 1.8e308)");
        CHECK(e.key() == "Z");
        CHECK(e.row() == 1);
    }
}

TEST_CASE("entity_totals: a row whose value is not finite is named by its row of the log") {
    // The data_error of entity_totals by customer of measure `m` over `w` (none: a failure).
    // `row_errors` counts those thrown as a row's error (`detail::log_row_error`).
    int row_errors = 0;
    auto error_of = [&row_errors](const transaction_log& log, measure m, const time_window& w) {
        try {
            (void)entity_totals(log, dimension::customer, m, w);
        } catch (const detail::log_row_error& e) {
            ++row_errors;
            return data_error(e);
        } catch (const data_error& e) {
            return e;
        }
        FAIL("no error");
        return data_error("");
    };
    // Row 2 (customer "B"): amount 1e308 - cost -1e308 overflows to inf. Within the window from
    // Jan 2 it is the second row gathered: the error names row 2 of the log, not 1, and the
    // measure (before: "values: row 1: value is inf").
    const transaction_log log = read_log("customer_id,date,amount,cost\nA,2020-01-01,1,0\n"
                                         "A,2020-01-02,2,1\nB,2020-01-03,1e308,-1e308\n");
    const time_window from_jan_2{at("2020-01-02"), {}};
    for (const time_window& w : {time_window{}, from_jan_2}) {
        const data_error e = error_of(log, measure::profit, w);
        CHECK(std::string(e.what()) ==
              "profit: row 2 (customer \"B\"): amount 1e+308 - cost -1e+308 is inf");
        CHECK(e.argument() == "profit");
        CHECK(e.row() == 2);
        CHECK(e.key() == "B");
        CHECK(e.column().empty());
        CHECK(e.value() == "inf");
    }
    CHECK(row_errors == 2);
    // A log built by hand may hold an infinite amount: named as a row of revenue ("amount").
    transaction_log hand = read_log("customer_id,date,amount\nA,2020-01-01,1\nA,2020-01-02,2\n"
                                    "A,2020-01-03,3\n");
    hand.amount[2] = -std::numeric_limits<double>::infinity();
    const data_error e = error_of(hand, measure::revenue, from_jan_2);
    CHECK(std::string(e.what()) == "amount: row 2 (customer \"A\"): value is -inf");
    CHECK(e.row() == 2);
    CHECK(e.value() == "-inf");
    CHECK(row_errors == 3);
    // An entity's overflowing total is not a row's error: it carries no value (and no line).
    const transaction_log big =
        read_log("customer_id,date,amount\nZ,2020-01-01,1e308\nZ,2020-01-02,1e308\n");
    const data_error total = error_of(big, measure::revenue, {});
    CHECK(std::string(total.what()).find("the total of \"Z\" overflows") != std::string::npos);
    CHECK(total.value().empty());
    CHECK(row_errors == 3);
}

TEST_CASE("entity_totals: exact under cancellation, the same for every row order") {
    // Per customer 1e17 + 1 - 1e17 = 1 (and per product 2 of those rows each). A plain sum gave
    // 0 for A and B (1e17 + 1 rounds to 1e17: the spacing of doubles there is 16).
    const char* const rows[] = {"A,2020-01-01,1e17,p",  "A,2020-01-02,1,q",
                                "A,2020-01-03,-1e17,p", "B,2020-01-01,1,q",
                                "B,2020-01-02,1e17,p",  "B,2020-01-03,-1e17,p"};
    std::vector<int> order{0, 1, 2, 3, 4, 5};
    int permutations = 0;
    do {
        std::string csv = "customer_id,date,amount,product\n";
        for (const int i : order)
            csv += std::string(rows[i]) + "\n";
        const transaction_log log = read_log(csv);
        // Keys are numbered in order of first appearance: look them up by name.
        const entity_totals_result c = entity_totals(log, dimension::customer, measure::revenue);
        CHECK(c.value[*log.customer_keys.find("A")] == 1.0);
        CHECK(c.value[*log.customer_keys.find("B")] == 1.0);
        // p: 1e17 - 1e17 + 1e17 - 1e17 = 0; q: 1 + 1 = 2.
        const entity_totals_result p = entity_totals(log, dimension::product, measure::revenue);
        CHECK(p.value[*log.product_keys.find("p")] == 0.0);
        CHECK(p.value[*log.product_keys.find("q")] == 2.0);
        ++permutations;
    } while (std::next_permutation(order.begin(), order.end()));
    CHECK(permutations == 720);
}

TEST_CASE("entity_totals: a window that ends before it starts is an argument error") {
    // Before: the reversed window selected no row and the Pareto analysis said "no entities".
    const transaction_log log = read_log(log_csv);
    const time_window reversed{at("2020-02-01"), inclusive_end(at("2020-01-31"))};
    try {
        (void)entity_totals(log, dimension::customer, measure::revenue, reversed);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "end: 2020-01-31T23:59:59 is before start 2020-02-01: the window holds no time");
        CHECK(e.argument() == "end");
        CHECK(e.value() == "2020-01-31T23:59:59");
    }
    try {
        check_window(reversed, "--period-start", "--period-end");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--period-end");
    }
    // One day, start and end on the same date: not reversed (the end closes at 23:59:59).
    CHECK_NOTHROW(check_window({at("2020-01-03"), inclusive_end(at("2020-01-03"))}));
    CHECK_NOTHROW(check_window({at("2020-01-03"), std::nullopt}));
}
