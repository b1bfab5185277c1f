// Tests of custometrics/csv_table.hpp: small CSV tables read whole.
#include "custometrics/csv_table.hpp"

#include "custometrics/error.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>

namespace cm = custometrics;

namespace {

cm::csv_table read(const std::string& text) {
    std::istringstream in(text);
    return cm::read_csv_table(in, "t.csv");
}

std::string message_of(const std::string& text) {
    try {
        (void)read(text);
    } catch (const cm::parse_error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("csv_table: header, rows, quoting, comments and line numbers") {
    const cm::csv_table t = read("# a comment line\n"
                                 "segment , size,note\r\n"
                                 "\n"
                                 "A, 10 ,\"x, y\"\r\n"
                                 "  # indented comment\n"
                                 "\"B \"\"big\"\"\",2.5e1,\"two\nlines\"\n"
                                 "C,-3,  plain text  ");
    CHECK(t.header == std::vector<std::string>{"segment", "size", "note"});
    CHECK(t.header_line == 2);
    REQUIRE(t.size() == 3);
    CHECK(t.rows[0] == std::vector<std::string>{"A", "10", "x, y"});
    CHECK(t.rows[1] == std::vector<std::string>{"B \"big\"", "2.5e1", "two\nlines"});
    CHECK(t.rows[2] == std::vector<std::string>{"C", "-3", "plain text"});
    CHECK(t.line == std::vector<std::size_t>{4, 6, 8}); // the quoted line break counts
    CHECK(t.numbers("size") == std::vector<double>{10.0, 25.0, -3.0});
    CHECK(t.column("note") == 2);
    CHECK_FALSE(t.find_column("missing").has_value());
}

TEST_CASE("csv_table: numbers name the file, line, column and value") {
    const cm::csv_table t = read("k,x\na,1\nb,\nc,abc\nd,nan\ne,+2\n");
    CHECK(t.number(4, 1) == 2.0);
    CHECK(std::isnan(t.number(1, 1, true)));
    CHECK_THROWS_WITH_AS(t.number(1, 1), "t.csv:3: column \"x\": a number is missing",
                         cm::parse_error);
    CHECK_THROWS_WITH_AS(t.number(2, 1), "t.csv:4: column \"x\": not a number (value \"abc\")",
                         cm::parse_error);
    CHECK_THROWS_WITH_AS(t.number(3, 1),
                         "t.csv:5: column \"x\": must be a finite number (value \"nan\")",
                         cm::parse_error);
    CHECK_THROWS_WITH_AS((void)t.column("y"),
                         "t.csv:1: column \"y\": no such column; the header has: k, x",
                         cm::parse_error);
}

TEST_CASE("csv_table: malformed files") {
    CHECK(message_of("") == "t.csv:1: column \"\": the file is empty: a header line is required");
    CHECK(message_of("# only a comment\n\n") ==
          "t.csv:1: column \"\": the file is empty: a header line is required");
    CHECK(message_of("a,b\n1,2\n3\n") == "t.csv:3: column \"\": the row has 1 fields, the "
                                         "header has 2");
    CHECK(message_of("a,,b\n") == "t.csv:1: column \"field 2\": a column name is empty");
    CHECK(message_of("a,b,a\n") ==
          "t.csv:1: column \"a\": the column name appears twice in the header (value \"a\")");
    CHECK(message_of("a,b\n1,\"open\n") ==
          "t.csv:2: column \"field 2\": a quoted field is not closed");
    CHECK(message_of("a,b\n1,\"x\"y\n") ==
          "t.csv:2: column \"field 2\": text after the closing quote of a field (value \"y\")");
    CHECK_THROWS_AS((void)cm::read_csv_table("/nonexistent/file.csv"), cm::invalid_argument);
    // A side file names its option (the argument) and the path (the value).
    try {
        (void)cm::read_csv_table("/nonexistent/file.csv", "--criteria");
        FAIL_CHECK("no invalid_argument thrown");
    } catch (const cm::invalid_argument& e) {
        CHECK(std::string(e.what()) == "--criteria: cannot open \"/nonexistent/file.csv\"");
        CHECK(e.argument() == "--criteria");
        CHECK(e.value() == "/nonexistent/file.csv");
    }
}

TEST_CASE("csv_table: a UTF-8 byte order mark is skipped; empty fields stay empty") {
    const cm::csv_table t = read("\xEF\xBB\xBF"
                                 "customer_id,note\r\nA,\"x, \"\"y\"\"\"\n\nB,\n");
    CHECK(t.header == std::vector<std::string>{"customer_id", "note"});
    REQUIRE(t.size() == 2);
    CHECK(t.rows[0] == std::vector<std::string>{"A", "x, \"y\""});
    CHECK(t.rows[1] == std::vector<std::string>{"B", ""});
    CHECK(t.line == std::vector<std::size_t>{2, 4});
}

TEST_CASE("csv_table: a header alone is an empty table") {
    const cm::csv_table t = read("a,b\n");
    CHECK(t.size() == 0);
    CHECK(t.numbers("b").empty());
}
