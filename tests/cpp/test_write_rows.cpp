// Tests of detail/write_rows.hpp and of the CSV writers built on it (summary, Pareto): the rows
// come out in order and the bytes do not depend on the thread count or the block size.
#include <custometrics/csv.hpp>
#include <custometrics/detail/write_rows.hpp>
#include <custometrics/output/pareto.hpp>
#include <custometrics/output/summary.hpp>
#include <custometrics/pareto_log.hpp>
#include <custometrics/summary.hpp>
#include <custometrics/threads.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

TEST_CASE("write_rows: the rows of a serial loop, in order, for any threads and block size") {
    auto row = [](std::size_t i, std::string& s) {
        s += std::to_string(i * 7919 % 1000);
        s += i % 3 == 0 ? ",x\n" : "\n";
    };
    for (const std::size_t n :
         {std::size_t{0}, std::size_t{1}, std::size_t{40}, std::size_t{1001}}) {
        std::string expected;
        for (std::size_t i = 0; i < n; ++i)
            row(i, expected);
        for (const unsigned threads : {1U, 2U, 3U, 5U})
            for (const std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
                std::ostringstream out;
                detail::write_rows(out, n, row, threads, block);
                CHECK_MESSAGE(out.str() == expected, "n ", n, " threads ", threads, " block ",
                              block);
            }
    }
}

TEST_CASE("summary and Pareto CSV: the same bytes on 1, 2 and 3 threads, rows by hand") {
    // 40,000 customers (more than two blocks of rows): customer k buys on day 1 + k % 28 of
    // January 2020 for k / 100 + 0.25, and again on 2020-02-01 for 1.5 when k is even.
    std::string text = "customer_id,date,amount\n";
    for (int k = 0; k < 40000; ++k) {
        const int day = 1 + k % 28;
        text += std::to_string(k) + ",2020-01-" + (day < 10 ? "0" : "") + std::to_string(day) +
                ',' + std::to_string(k / 100) + ".25\n";
        if (k % 2 == 0) text += std::to_string(k) + ",2020-02-01,1.5\n";
    }
    std::istringstream in(text);
    const transaction_log log = read_transactions_csv(in, "log.csv");
    const customer_summary s = summarize(log.view());
    const log_pareto p = pareto_of_log(log, dimension::customer, measure::revenue, {});
    std::vector<std::string> sums, paretos;
    for (const unsigned threads : {1U, 2U, 3U}) {
        set_default_threads(threads);
        std::ostringstream a, b;
        output::write_csv(a, s, log.customer_keys);
        output::write_csv(b, p, log.customer_keys);
        sums.push_back(a.str());
        paretos.push_back(b.str());
    }
    set_default_threads(0);
    CHECK(sums[1] == sums[0]);
    CHECK(sums[2] == sums[0]);
    CHECK(paretos[1] == paretos[0]);
    CHECK(paretos[2] == paretos[0]);
    // Customer 1 (odd): one purchase on 2020-01-02 of 0.25; customer 2: 2020-01-03 for 0.25,
    // then 2020-02-01 for 1.5 (frequency 1, recency 29 days, T 29, monetary value 1.5).
    const std::string tail = ",days,1,2020-02-01\n";
    CHECK(sums[0].find("\n1,0,0,30,0,0.25,0,1,0,1,2020-01-02,2020-01-02" + tail) !=
          std::string::npos);
    CHECK(sums[0].find("\n2,1,29,29,1.5,1.75,0,2,0,2,2020-01-03,2020-02-01" + tail) !=
          std::string::npos);
    // The largest revenue, 399.25 + 1.5, is that of the even customers 39900..39998: ties rank
    // by key, so 39900 is first; the last of all is 99 (0.25, the largest key of the odd ones
    // under 100).
    CHECK(paretos[0].rfind("key,value,rank,cum_share,class\n39900,400.75,1,", 0) == 0);
    CHECK(paretos[0].find("\n39902,400.75,2,") != std::string::npos);
    CHECK(paretos[0].size() - paretos[0].rfind("\n99,0.25,40000,1,C\n") == 19);
}
