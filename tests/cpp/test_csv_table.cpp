// Tests of custometrics/csv_table.hpp: small CSV tables read whole.
#include "custometrics/csv_table.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <istream>
#include <sstream>
#include <streambuf>
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

namespace {

// An input of `size` bytes 'x' without a line break, made on demand and counting what was read:
// a reader that held the whole input would read all of it.
class endless_line : public std::streambuf {
public:
    explicit endless_line(std::size_t size) : m_left(size) {}
    std::size_t served = 0;

protected:
    int_type underflow() override {
        if (m_left == 0) return traits_type::eof();
        const std::size_t n = std::min(m_left, m_chunk.size());
        m_left -= n;
        served += n;
        setg(m_chunk.data(), m_chunk.data(), m_chunk.data() + n);
        return traits_type::to_int_type(m_chunk[0]);
    }

private:
    std::size_t m_left;
    std::string m_chunk = std::string(std::size_t{1} << 16, 'x');
};

} // namespace

TEST_CASE("csv_table: a line longer than 1 MiB is the transaction reader's error (issue 16)") {
    // Line 3 holds 2^20 + 1 bytes with its line break: one more than the limit of
    // csv_options::max_record_bytes, the bound every side file shares; the error names the file,
    // the line, column "record", the line's first 60 bytes and the limit, as the transaction
    // reader's. A line of exactly 2^20 bytes (with its break) is read.
    const std::string head = "a,b\n1,2\n";
    const std::string reason = "the record is longer than the limit of 1048576 bytes "
                               "(csv_options::max_record_bytes)";
    const std::string at_limit = "3," + std::string((std::size_t{1} << 20) - 3, '9') + "\n";
    CHECK(read(head + at_limit).rows.at(1).at(1).size() == (std::size_t{1} << 20) - 3);
    try {
        (void)read(head + "3," + std::string((std::size_t{1} << 20) - 2, '9') + "\n4,5\n");
        FAIL_CHECK("no parse_error");
    } catch (const cm::parse_error& e) {
        CHECK(std::string(e.what()) == "t.csv:3: column \"record\": " + reason + " (value \"3," +
                                           std::string(58, '9') + "...\")");
        CHECK(e.line() == 3);
        CHECK(e.column() == "record");
    }
    // A 64 MiB input without a line break stops after the limit and one read block (64 KiB):
    // memory stays bounded by the longest legal line.
    endless_line source(std::size_t{64} << 20);
    std::istream in(&source);
    CHECK_THROWS_WITH_AS((void)cm::read_csv_table(in, "flat.csv"),
                         doctest::Contains(("flat.csv:1: column \"record\": " + reason).c_str()),
                         cm::parse_error);
    CHECK(source.served <= (std::size_t{1} << 20) + (std::size_t{1} << 16));
}

TEST_CASE("read_side_text: the line limit of side files (JSON cost rates, maps, tables)") {
    // Limit 4: "ab\n" (3 bytes) and "cde\n" (4, at the limit) pass; "fghij\n" on line 3 is 6
    // bytes: refused, naming line 3 and its first bytes. Without a final break, "wxyz" (4)
    // passes and "vwxyz" (5) does not. A limit of 0 is an error.
    const auto text = [](const std::string& s, std::size_t limit) {
        std::istringstream in(s);
        return cm::read_side_text(in, "costs.json", limit);
    };
    CHECK(text("ab\ncde\nwxyz", 4) == "ab\ncde\nwxyz");
    CHECK_THROWS_WITH_AS(text("ab\ncde\nfghij\n", 4),
                         "costs.json:3: column \"record\": the record is longer than the limit "
                         "of 4 bytes (csv_options::max_record_bytes) (value \"fghij\\n\")",
                         cm::parse_error);
    CHECK_THROWS_WITH_AS(text("ab\nvwxyz", 4), doctest::Contains("costs.json:2: column \"record\""),
                         cm::parse_error);
    CHECK_THROWS_AS(text("ab", 0), cm::invalid_argument);
}
