// Tests of error.hpp: every error carries its facts as fields (argument, row, key, column,
// value) next to the message, so callers read them instead of parsing the text. The fields are
// checked at the throw sites the faces rely on: the retention models' customer checks (the CLI
// adds the file line of `row`), the transaction log's row checks (row and customer key), the
// CSV reader (file, line, column, value), and argument checks.
#include <custometrics/csv.hpp>
#include <custometrics/error.hpp>
#include <custometrics/retention/bg_nbd.hpp>
#include <custometrics/retention/fit.hpp>
#include <custometrics/summary.hpp>
#include <custometrics/transactions.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

/// The error `f` throws, caught as `E`; the test fails (on the logic_error, or on whatever else
/// `f` throws) when it throws no `E`.
template <class E, class F> E thrown(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e;
    }
    throw std::logic_error("no exception thrown");
}

} // namespace

TEST_CASE("error: invalid_argument(argument, reason) composes the message and sets the field") {
    const invalid_argument e("--horizon", "must be >= 0, got -1", "-1");
    CHECK(std::string(e.what()) == "--horizon: must be >= 0, got -1");
    CHECK(e.argument() == "--horizon");
    CHECK(e.value() == "-1");
    CHECK_FALSE(e.row().has_value());
    CHECK(e.key().empty());
    // A message alone leaves every field empty.
    const data_error d("something broke");
    CHECK(d.argument().empty());
    CHECK_FALSE(d.row().has_value());
}

TEST_CASE("error: renamed names another argument in the field and the message") {
    const invalid_argument e =
        renamed(invalid_argument("horizon", "must be > 0, got -1", "-1"), "--horizon");
    CHECK(std::string(e.what()) == "--horizon: must be > 0, got -1");
    CHECK(e.argument() == "--horizon");
    CHECK(e.value() == "-1");
    // A message that does not start with the argument keeps its text; the field still changes.
    const invalid_argument free_text =
        renamed(invalid_argument("the horizon is odd", error_context{"horizon", 3, "k", {}, {}}),
                "--horizon");
    CHECK(std::string(free_text.what()) == "the horizon is odd");
    CHECK(free_text.argument() == "--horizon");
    CHECK(free_text.row() == std::optional<std::size_t>{3});
    CHECK(free_text.key() == "k");
}

TEST_CASE("error: a retention model names the customer's position, argument and value") {
    const bg_nbd_params p{0.243, 4.414, 0.793, 2.426};
    // Customer 1 has recency 5 above T = 4.
    const std::vector<double> x{1, 2, 0}, tx{1, 5, 0}, T{3, 4, 2};
    const auto e = thrown<data_error>([&] { (void)p_alive(p, x, tx, T); });
    CHECK(std::string(e.what()) == "recency: customer 1: value 5 is above T (4)");
    CHECK(e.argument() == "recency");
    REQUIRE(e.row().has_value());
    CHECK(*e.row() == 1);
    CHECK(e.value() == "5");
    // A single customer has no position.
    const auto single = thrown<data_error>([&] { (void)p_alive(p, -1, 0, 2); });
    CHECK(single.argument() == "frequency");
    CHECK_FALSE(single.row().has_value());
    CHECK(single.value() == "-1");
    // compress_summary (the fit's input) the same way: customer 2 has T = 0.
    const std::vector<double> T0{3, 4, 0}, tx0{1, 4, 0};
    const auto c = thrown<data_error>([&] { (void)compress_summary(x, tx0, T0); });
    CHECK(c.argument() == "T");
    REQUIRE(c.row().has_value());
    CHECK(*c.row() == 2);
    CHECK(c.value() == "0");
}

TEST_CASE("error: a transaction row error carries the row and the customer key") {
    std::istringstream in("customer_id,date,amount\nA,2020-01-01,5\nB,2020-01-03,7\n");
    const transaction_log log = read_transactions_csv(in, "log.csv");
    summary_options o;
    o.observation_end = parse_time_or_throw("2020-01-02", "observation_end");
    // Row 1 (customer B, 2020-01-03) lies after the observation end.
    const auto e = thrown<data_error>([&] { (void)summarize(log.view(), o); });
    CHECK(e.argument() == "time");
    REQUIRE(e.row().has_value());
    CHECK(*e.row() == 1);
    CHECK(e.key() == "B");
    CHECK(e.value() == "2020-01-03");
}

TEST_CASE("error: a CSV field that cannot be read is a parse_error and a data_error") {
    std::istringstream in("customer_id,date,amount\nA,2020-01-01,5\nB,2020-01-03,abc\n");
    const auto e = thrown<parse_error>([&] { (void)read_transactions_csv(in, "log.csv"); });
    CHECK(e.source() == "log.csv");
    CHECK(e.line() == 3);
    CHECK(e.column() == "amount");
    CHECK(e.value() == "abc");
    REQUIRE(e.row().has_value());
    CHECK(*e.row() == 2); // 0-based line index
    std::istringstream again("customer_id,date,amount\nA,2020-01-01,abc\n");
    CHECK_THROWS_AS((void)read_transactions_csv(again, "log.csv"), data_error);
}

TEST_CASE("error: every parse_error escapes its column and value the one way (detail::excerpt)") {
    using custometrics::detail::excerpt;
    // Line breaks and tabs by name, other control bytes and bytes that are not UTF-8 as \xHH,
    // a BOM as \uFEFF, well-formed UTF-8 ("ü" = C3 BC) kept, cut after 60 bytes with "...".
    CHECK(excerpt(std::string("x\0y", 3)) == "x\\x00y");
    CHECK(excerpt("a\tb\r\nc\x7f") == "a\\tb\\r\\nc\\x7F");
    CHECK(excerpt("M\xfcller M\xc3\xbcller") == "M\\xFCller M\xc3\xbcller");
    CHECK(excerpt("\xef\xbb\xbfx") == "\\uFEFFx");
    CHECK(excerpt(std::string(61, 'z')) == std::string(60, 'z') + "...");
    CHECK(excerpt("ab\xc3\xbc", 3) == "ab\\xC3..."); // a sequence cut at the limit is escaped
    CHECK(excerpt(excerpt("x\x01y")) == "x\\x01y");  // twice: no change
    // A side file's error (a segment map, a criteria table, a mix) is a parse_error too: the
    // same escaping in the message and the fields.
    const parse_error e("map.csv", 3, "seg\x01ment", std::string("5\0", 2), "not a whole number");
    CHECK(std::string(e.what()) ==
          "map.csv:3: column \"seg\\x01ment\": not a whole number (value \"5\\x00\")");
    CHECK(e.column() == "seg\\x01ment");
    CHECK(e.value() == "5\\x00");
}
