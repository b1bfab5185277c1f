// Tests of left_out.hpp and custometrics/output/left_out.hpp: what summarize, rfm and pareto
// leave out, as items and as the CSV of `--rejected`. Every line, key and value below is read
// off the input by hand.
#include "custometrics/csv.hpp"
#include "custometrics/output/left_out.hpp"
#include "custometrics/pareto_log.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/summary.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using namespace custometrics;

namespace {

transaction_log read_text(const std::string& csv) {
    std::istringstream in(csv);
    return read_transactions_csv(in, "t.csv");
}

} // namespace

TEST_CASE("left out: --rejected CSV of summarize with late rows, a blank line and returns") {
    // Line 1 header; 2 A 01-01 10; 3 B 01-02 -5 (only returns); 4 blank; 5 "C,1" (a key with a
    // comma) 01-03 2; 6 A 03-01 7 (after the observation end 02-01).
    const transaction_log log = read_text("customer_id,date,amount\n"
                                          "A,2020-01-01,10\n"
                                          "B,2020-01-02,-5\n"
                                          "\n"
                                          "\"C,1\",2020-01-03,2\n"
                                          "A,2020-03-01T10:30:00,7\n");
    summary_options o;
    o.observation_end = parse_time_or_throw("2020-02-01", "observation_end");
    o.late = late_policy::drop;
    const customer_summary s = summarize(log.view(), o);
    std::ostringstream out;
    output::write_left_out_csv(out, s.left_out, log.customer_keys, &log);
    CHECK(out.str() == "line,key,reason,value\n"
                       "6,A,after_observation_end,2020-03-01T10:30:00\n"
                       ",B,only_returns,-5\n");
    // Without the log (no lines known) the line is empty; no item: the header only.
    std::ostringstream no_log;
    output::write_left_out_csv(no_log, s.left_out, log.customer_keys);
    CHECK(no_log.str().find("\n,A,after_observation_end,") != std::string::npos);
    std::ostringstream none;
    output::write_left_out_csv(none, {}, log.customer_keys, &log);
    CHECK(none.str() == "line,key,reason,value\n");
}

TEST_CASE("left out: rfm keeps the summary's customers without a purchase") {
    // A buys 10, B only returns 8, C buys 7 (cli_test.sh's ret_only.csv).
    const transaction_log log =
        read_text("customer_id,date,amount\nA,2020-01-01,10\nB,2020-01-03,-8\nC,2020-01-04,7\n");
    const rfm_values v = rfm_values_from(summarize(log.view()));
    CHECK(v.size() == 2);
    REQUIRE(v.left_out.size() == 1);
    CHECK(v.customers_left_out == 1);
    CHECK(log.customer_keys.key_string(v.left_out[0].entity) == "B");
    CHECK(v.left_out[0].reason == left_out_reason::only_returns);
    CHECK(v.left_out[0].value == -8);
}

TEST_CASE("left out: pareto lists the entities with a total <= 0 with their totals") {
    // By customer, revenue: A 50 - 5 = 45, B 30, C -4 + 4 = 0, D -2: C and D not ranked, listed
    // value descending (C 0 then D -2).
    const transaction_log log = read_text("customer_id,date,amount\n"
                                          "A,2020-01-01,50\nB,2020-01-02,30\nA,2020-01-03,-5\n"
                                          "C,2020-01-03,-4\nC,2020-01-04,4\nD,2020-01-04,-2\n");
    const log_pareto a = pareto_of_log(log, dimension::customer, measure::revenue);
    CHECK(a.pareto.size() == 2);
    REQUIRE(a.left_out.size() == 2);
    CHECK(log.customer_keys.key_string(a.left_out[0].entity) == "C");
    CHECK(a.left_out[0].value == 0);
    CHECK(log.customer_keys.key_string(a.left_out[1].entity) == "D");
    CHECK(a.left_out[1].value == -2);
    std::ostringstream out;
    output::write_left_out_csv(out, a.left_out, log.customer_keys, &log);
    CHECK(out.str() ==
          "line,key,reason,value\n,C,value_not_positive,0\n,D,value_not_positive,-2\n");
}
