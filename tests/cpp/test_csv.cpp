// Tests of custometrics/csv.hpp: the CSV reader and writer.
//
// Times are worked out by hand from 2023-01-01T00:00:00Z = 1672531200 s (day 19358 since
// 1970-01-01): 2023-01-05 is 4 days later, 1672876800; 2023-02-01 is 31 days after New Year,
// 1675209600; 2023-03-01 is 31 + 28 days after it, 1677628800.
#include "custometrics/csv.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace cm = custometrics;

namespace {

constexpr std::int64_t jan_01 = 1672531200;
constexpr std::int64_t jan_05 = 1672876800;
constexpr std::int64_t feb_01 = 1675209600;
constexpr std::int64_t mar_01 = 1677628800;
constexpr std::int64_t day = 86400;

// Block sizes that put block boundaries everywhere, plus the default.
const std::vector<std::size_t> block_sizes{1, 2, 3, 7, 16, cm::csv_options{}.block_size};

cm::transaction_log read(const std::string& csv, const cm::csv_columns& columns = {},
                         std::size_t block_size = cm::csv_options{}.block_size,
                         bool sort_keys = true) {
    std::istringstream in(csv);
    cm::csv_options options;
    options.block_size = block_size;
    options.sort_keys = sort_keys;
    return cm::read_transactions_csv(in, "test.csv", columns, options);
}

std::vector<std::string> key_strings(const cm::key_index& keys) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < keys.size(); ++i)
        out.push_back(keys.key_string(static_cast<cm::entity_id>(i)));
    return out;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Reads `csv` as "bad.csv" and checks that it fails with a parse_error at `line`, `column`,
// `value`, and that the message names all of them (and holds `reason_part`).
void expect_parse_error(const std::string& csv, std::size_t line, const std::string& column,
                        const std::string& value, const std::string& reason_part,
                        const cm::csv_columns& columns = {},
                        std::size_t block_size = cm::csv_options{}.block_size) {
    CAPTURE(csv);
    CAPTURE(block_size);
    std::istringstream in(csv);
    cm::csv_options options;
    options.block_size = block_size;
    try {
        (void)cm::read_transactions_csv(in, "bad.csv", columns, options);
        FAIL_CHECK("no parse_error thrown");
    } catch (const cm::parse_error& e) {
        const std::string msg = e.what();
        CAPTURE(msg);
        CHECK(e.source() == "bad.csv");
        CHECK(e.line() == line);
        CHECK(e.column() == column);
        CHECK(e.value() == value);
        CHECK(contains(msg, "bad.csv:" + std::to_string(line) + ": "));
        CHECK(contains(msg, "column \"" + column + "\""));
        CHECK(contains(msg, value));
        CHECK(contains(msg, reason_part));
    }
}

template <class F> std::string invalid_argument_message(F&& f) {
    try {
        f();
    } catch (const cm::invalid_argument& e) {
        return e.what();
    }
    FAIL_CHECK("no invalid_argument thrown");
    return {};
}

} // namespace

TEST_CASE("csv: reads every column of a small file") {
    // Quoted notes column is read (its quotes handled) but not stored.
    const std::string csv = "customer_id,date,amount,cost,quantity,order_id,product,channel,note\n"
                            "42,2023-01-05,19.99,12.5,2,1001,P-7,web,\"first, order\"\n"
                            "7,2023-01-05T13:45:00,5,2.25,1,1002,P-3,store,plain\n"
                            "42,2023-02-01,-19.99,-12.5,-2,1003,P-7,web,\"a \"\"return\"\"\"\n";
    cm::csv_columns cols;
    cols.cost = "cost";
    cols.quantity = "quantity";
    cols.order = "order_id";
    cols.product = "product";
    cols.channel = "channel";

    SUBCASE("ids in order of first appearance") {
        const auto log = read(csv, cols, cm::csv_options{}.block_size, false);
        REQUIRE(log.size() == 3);
        // Customers 42 -> 0, 7 -> 1; integer keys.
        CHECK(log.customer_keys.type() == cm::key_index::key_type::integer);
        CHECK(log.customer == std::vector<cm::entity_id>{0, 1, 0});
        CHECK(log.customer_keys.integer_key(0) == 42);
        CHECK(log.customer_keys.integer_key(1) == 7);
        // 13:45 = 13 * 3600 + 45 * 60 = 49500 s after midnight.
        CHECK(log.time == cm::column<std::int64_t>{jan_05, jan_05 + 49500, feb_01});
        CHECK(log.amount == cm::column<double>{19.99, 5.0, -19.99});
        CHECK(log.cost == cm::column<double>{12.5, 2.25, -12.5});
        CHECK(log.quantity == cm::column<double>{2.0, 1.0, -2.0});
        CHECK(log.order_keys.type() == cm::key_index::key_type::integer);
        CHECK(log.order == std::vector<cm::entity_id>{0, 1, 2});
        CHECK(key_strings(log.order_keys) == std::vector<std::string>{"1001", "1002", "1003"});
        CHECK(log.product_keys.type() == cm::key_index::key_type::string);
        CHECK(log.product == std::vector<cm::entity_id>{0, 1, 0});
        CHECK(key_strings(log.product_keys) == std::vector<std::string>{"P-7", "P-3"});
        CHECK(log.channel == std::vector<cm::entity_id>{0, 1, 0});
        CHECK(key_strings(log.channel_keys) == std::vector<std::string>{"web", "store"});
    }
    SUBCASE("sorted keys") {
        for (const std::size_t block : block_sizes) {
            CAPTURE(block);
            const auto log = read(csv, cols, block);
            // 7 < 42, so 7 -> 0, 42 -> 1; "P-3" < "P-7"; "store" < "web".
            CHECK(log.customer == std::vector<cm::entity_id>{1, 0, 1});
            CHECK(key_strings(log.customer_keys) == std::vector<std::string>{"7", "42"});
            CHECK(log.order == std::vector<cm::entity_id>{0, 1, 2});
            CHECK(log.product == std::vector<cm::entity_id>{1, 0, 1});
            CHECK(key_strings(log.product_keys) == std::vector<std::string>{"P-3", "P-7"});
            CHECK(log.channel == std::vector<cm::entity_id>{1, 0, 1});
            CHECK(key_strings(log.channel_keys) == std::vector<std::string>{"store", "web"});
            CHECK(log.time == cm::column<std::int64_t>{jan_05, jan_05 + 49500, feb_01});
            CHECK(log.amount == cm::column<double>{19.99, 5.0, -19.99});
        }
    }
    SUBCASE("only the required columns by default") {
        const auto log = read(csv);
        CHECK(log.size() == 3);
        CHECK(log.cost.empty());
        CHECK(log.quantity.empty());
        CHECK(log.order.empty());
        CHECK(log.product.empty());
        CHECK(log.channel.empty());
    }
}

TEST_CASE("csv: quoting, BOM, CRLF and line endings across block boundaries") {
    // Keys with an embedded comma, doubled quotes and a line break; a quoted number; a quoted
    // header name; a timestamp with a space. Expected, in order of first appearance:
    //   "Smith, J" 2023-03-01 10;  say "hi" 2023-03-02 2.5;  multi\nline 2023-03-03 3;
    //   plain 2023-03-04 08:00 (= + 8 * 3600 = 28800 s) 4.25.
    const std::string body = "\"Smith, J\",2023-03-01,10|"
                             "\"say \"\"hi\"\"\",2023-03-02,\"2.5\"|"
                             "\"multi\nline\",2023-03-03,3|"
                             "plain,2023-03-04 08:00,4.25";
    auto make = [&](const std::string& eol, bool bom, const std::string& tail) {
        std::string s = bom ? "\xEF\xBB\xBF" : "";
        s += "\"customer_id\",date,amount" + eol;
        for (const char c : body) {
            if (c == '|')
                s += eol;
            else
                s += c;
        }
        return s + tail;
    };
    const std::vector<std::string> variants{
        make("\n", false, "\n"),           make("\n", false, ""),
        make("\r\n", true, "\r\n"),        make("\r\n", true, ""),
        make("\r\n", false, "\r\n\r\n\n"), make("\n", true, "\n\n\n"),
        make("\r\n", false, "\r"),         make("\r\n", false, "\r\n\r"),
    };
    for (const std::string& csv : variants) {
        for (const std::size_t block : block_sizes) {
            CAPTURE(csv);
            CAPTURE(block);
            const auto log = read(csv, {}, block, false);
            REQUIRE(log.size() == 4);
            CHECK(log.customer == std::vector<cm::entity_id>{0, 1, 2, 3});
            CHECK(key_strings(log.customer_keys) ==
                  std::vector<std::string>{"Smith, J", "say \"hi\"", "multi\nline", "plain"});
            CHECK(log.time == cm::column<std::int64_t>{mar_01, mar_01 + day, mar_01 + 2 * day,
                                                       mar_01 + 3 * day + 28800});
            CHECK(log.amount == cm::column<double>{10.0, 2.5, 3.0, 4.25});
        }
    }
}

TEST_CASE("csv: lines are counted across quoted line breaks, CRLF and blank lines") {
    // Line 1 header, 2 "a", 3-4 the two-line key, 5 blank, 6 the bad date.
    const std::string csv = "customer_id,date,amount\r\n"
                            "a,2023-01-01,1\r\n"
                            "\"two\r\nlines\",2023-01-01,2\r\n"
                            "\r\n"
                            "c,2023-13-01,3\r\n";
    for (const std::size_t block : block_sizes)
        expect_parse_error(csv, 6, "date", "2023-13-01", "not a date", {}, block);
}

TEST_CASE("csv: the file line of every row (line marks), whatever the block size") {
    // Line 1 header, 2 "a", 3-4 the two-line key, 5 blank, 6 "c", 7 "d", 8-9 blank, 10 "e".
    const std::string csv = "customer_id,date,amount\r\n"
                            "a,2023-01-01,1\r\n"
                            "\"two\r\nlines\",2023-01-01,2\r\n"
                            "\r\n"
                            "c,2023-01-02,3\r\n"
                            "d,2023-01-02,4\n"
                            "\n\n"
                            "e,2023-01-03,5";
    for (const std::size_t block : block_sizes) {
        CAPTURE(block);
        const cm::transaction_log log = read(csv, {}, block);
        REQUIRE(log.size() == 5);
        // Marks where a row is not on the line after the previous row's: rows 0 (line 2),
        // 2 (line 6, after the two-line record and a blank line) and 4 (line 10).
        CHECK(log.lines == std::vector<cm::line_mark>{{0, 2}, {2, 6}, {4, 10}});
        CHECK(log.line_of(0) == 2);
        CHECK(log.line_of(1) == 3);
        CHECK(log.line_of(2) == 6);
        CHECK(log.line_of(3) == 7);
        CHECK(log.line_of(4) == 10);
        CHECK(log.line_of(5) == 0); // not a row
    }
    // A plain file: one mark; a log not read from a file: no line.
    const cm::transaction_log plain =
        read("customer_id,date,amount\na,2023-01-01,1\nb,2023-01-01,2\n");
    CHECK(plain.lines == std::vector<cm::line_mark>{{0, 2}});
    CHECK(plain.line_of(1) == 3);
    CHECK(cm::transaction_log{}.line_of(0) == 0);
}

TEST_CASE("csv: integer keys turn into string keys on the first non-canonical key") {
    const std::string csv = "customer_id,date,amount\n"
                            "1,2023-01-01,1\n"
                            "2,2023-01-01,2\n"
                            "0042,2023-01-01,3\n"
                            "1,2023-01-01,4\n";
    SUBCASE("ids kept") {
        // 1 -> 0, 2 -> 1 as integers; "0042" switches to strings and gets 2; "1" is still 0.
        const auto log = read(csv, {}, 7, false);
        CHECK(log.customer_keys.type() == cm::key_index::key_type::string);
        CHECK(log.customer == std::vector<cm::entity_id>{0, 1, 2, 0});
        CHECK(key_strings(log.customer_keys) == std::vector<std::string>{"1", "2", "0042"});
    }
    SUBCASE("sorted as strings") {
        // Bytewise: "0042" < "1" < "2".
        const auto log = read(csv);
        CHECK(log.customer == std::vector<cm::entity_id>{1, 2, 0, 1});
        CHECK(key_strings(log.customer_keys) == std::vector<std::string>{"0042", "1", "2"});
    }
    SUBCASE("canonical integers stay integers, sorted numerically") {
        const auto log = read("customer_id,date,amount\n"
                              "10,2023-01-01,1\n"
                              "-3,2023-01-01,1\n"
                              "0,2023-01-01,1\n"
                              "\"9223372036854775807\",2023-01-01,1\n"
                              "-9223372036854775808,2023-01-01,1\n");
        CHECK(log.customer_keys.type() == cm::key_index::key_type::integer);
        CHECK(log.customer == std::vector<cm::entity_id>{3, 1, 2, 4, 0});
        CHECK(log.customer_keys.integer_keys()[0] == std::numeric_limits<std::int64_t>::min());
        CHECK(log.customer_keys.integer_keys()[4] == std::numeric_limits<std::int64_t>::max());
    }
    SUBCASE("each non-canonical form is a string key, kept verbatim") {
        for (const std::string k : {"-0", "+5", "007", "9223372036854775808",
                                    "-9223372036854775809", " 5", "5a", "1.0"}) {
            CAPTURE(k);
            const auto log =
                read("customer_id,date,amount\n3,2023-01-01,1\n\"" + k + "\",2023-01-01,1\n", {}, 3,
                     false);
            CHECK(log.customer_keys.type() == cm::key_index::key_type::string);
            CHECK(key_strings(log.customer_keys) == std::vector<std::string>{"3", k});
        }
    }
}

TEST_CASE("csv: cost from a cost, margin or unit_cost column") {
    const std::string csv = "customer_id,date,amount,c,m,qty,unit\n"
                            "1,2023-01-01,100,70,30,2,35\n"
                            "1,2023-01-02,-50,-40,-10,-1,35\n";
    cm::csv_columns cols;
    SUBCASE("cost") {
        cols.cost = "c";
        CHECK(read(csv, cols).cost == cm::column<double>{70.0, -40.0});
    }
    SUBCASE("margin") {
        // cost = amount - margin: 100 - 30 = 70, -50 - (-10) = -40.
        cols.margin = "m";
        CHECK(read(csv, cols).cost == cm::column<double>{70.0, -40.0});
    }
    SUBCASE("unit_cost") {
        // cost = unit_cost * quantity: 35 * 2 = 70, 35 * -1 = -35.
        cols.unit_cost = "unit";
        cols.quantity = "qty";
        const auto log = read(csv, cols);
        CHECK(log.cost == cm::column<double>{70.0, -35.0});
        CHECK(log.quantity == cm::column<double>{2.0, -1.0});
    }
    SUBCASE("unit_cost needs quantity") {
        cols.unit_cost = "unit";
        const std::string msg = invalid_argument_message([&] { (void)read(csv, cols); });
        CHECK(contains(msg, "unit_cost"));
        CHECK(contains(msg, "quantity"));
    }
    SUBCASE("at most one of cost, margin, unit_cost") {
        cols.cost = "c";
        cols.margin = "m";
        const std::string msg = invalid_argument_message([&] { (void)read(csv, cols); });
        CHECK(contains(msg, "margin"));
    }
    SUBCASE("numbers: blanks around them and a leading plus are accepted") {
        cols.cost = "c";
        const auto log = read("customer_id,date,amount,c\n1,2023-01-01, +1.5e2 ,\t.25\n", cols);
        CHECK(log.amount == cm::column<double>{150.0});
        CHECK(log.cost == cm::column<double>{0.25});
    }
}

TEST_CASE("csv: parse errors name the file, line, column and value") {
    const std::string head = "customer_id,date,amount\n1,2023-01-01,5\n";
    cm::csv_columns cols;
    SUBCASE("missing column lists the header") {
        const std::string csv = "customer_id,day,amount\n1,2023-01-01,5\n";
        expect_parse_error(csv, 1, "date", "customer_id,day,amount",
                           "columns: customer_id, day, amount");
        cols.channel = "channel";
        expect_parse_error(head, 1, "channel", "customer_id,date,amount",
                           "columns: customer_id, date, amount", cols);
    }
    SUBCASE("dates") {
        expect_parse_error(head + "2,2023-02-30,6\n", 3, "date", "2023-02-30", "not a date");
        expect_parse_error(head + "2,01/02/2023,6\n", 3, "date", "01/02/2023", "not a date");
        expect_parse_error(head + "2,,6\n", 3, "date", "", "empty date");
    }
    SUBCASE("numbers") {
        expect_parse_error(head + "2,2023-01-02,\"12,5\"\n", 3, "amount", "12,5", "not a number");
        expect_parse_error(head + "2,2023-01-02,abc\n", 3, "amount", "abc", "not a number");
        expect_parse_error(head + "2,2023-01-02,5 EUR\n", 3, "amount", "5 EUR", "not a number");
        expect_parse_error(head + "2,2023-01-02,\n", 3, "amount", "", "empty number");
        expect_parse_error(head + "2,2023-01-02,nan\n", 3, "amount", "nan", "not a finite number");
        expect_parse_error(head + "2,2023-01-02,-inf\n", 3, "amount", "-inf",
                           "not a finite number");
        cols.cost = "cost";
        expect_parse_error("customer_id,date,amount,cost\n1,2023-01-01,5,inf\n", 2, "cost", "inf",
                           "not a finite number", cols);
    }
    SUBCASE("margin and quantity") {
        cols.margin = "profit";
        expect_parse_error("customer_id,date,amount,profit\n1,2023-01-01,5,NaN\n", 2, "profit",
                           "NaN", "not a finite number", cols);
        cols.margin.reset();
        cols.unit_cost = "uc";
        cols.quantity = "q";
        expect_parse_error("customer_id,date,amount,uc,q\n1,2023-01-01,5,1,x\n", 2, "q", "x",
                           "not a number", cols);
    }
    SUBCASE("empty keys") {
        expect_parse_error(head + ",2023-01-02,6\n", 3, "customer_id", "", "empty key");
        expect_parse_error(head + "\"\",2023-01-02,6\n", 3, "customer_id", "", "empty key");
        cols.product = "product";
        expect_parse_error("customer_id,date,amount,product\n1,2023-01-01,5,\n", 2, "product", "",
                           "empty key", cols);
    }
    SUBCASE("wrong number of fields") {
        // Too few: the first missing column is named; too many: the first extra field.
        expect_parse_error(head + "2,2023-01-02\n", 3, "amount", "2,2023-01-02",
                           "the record has 2 fields, the header has 3");
        expect_parse_error(head + "2,2023-01-02,6,x\r\n", 3, "field 4", "2,2023-01-02,6,x",
                           "the record has 4 fields, the header has 3");
        // A long record is cut to its first 60 characters in the message.
        const std::string rec = "2,2023-01-02,6," + std::string(70, 'x');
        expect_parse_error(head + rec + "\n", 3, "field 4", rec.substr(0, 60) + "...",
                           "the record has 4 fields");
    }
    SUBCASE("unterminated quote") {
        // The record starts on line 3; the quote is never closed.
        for (const std::size_t block : block_sizes)
            expect_parse_error(head + "2,\"2023-01-02,6\n3,2023-01-03,7\n", 3, "date",
                               "\"2023-01-02,6\\n3,2023-01-03,7\\n", "quote opened on line 3", {},
                               block);
        expect_parse_error(head + "2,2023-01-02,6\n\n\"3", 5, "customer_id", "\"3", "unterminated");
    }
    SUBCASE("text after a closing quote") {
        for (const std::size_t block : block_sizes)
            expect_parse_error(head + "\"2\"x,2023-01-02,6\n", 3, "customer_id", "\"2\"x",
                               "after a closing quote", {}, block);
    }
}

TEST_CASE("csv: empty input, bad files and bad options are invalid_argument") {
    for (const std::string csv : {"", "\xEF\xBB\xBF", "\n\r\n\n", "customer_id,date,amount\n",
                                  "customer_id,date,amount", "customer_id,date,amount\r\n\r\n"}) {
        CAPTURE(csv);
        const std::string msg = invalid_argument_message([&] {
            std::istringstream in(csv);
            (void)cm::read_transactions_csv(in, "empty.csv");
        });
        CHECK(contains(msg, "empty.csv"));
    }
    const std::string path = "/nonexistent-dir/no-such-file.csv";
    const std::string msg =
        invalid_argument_message([&] { (void)cm::read_transactions_csv(path); });
    CHECK(contains(msg, path));

    CHECK_THROWS_AS((void)read("customer_id,date,amount\n1,2023-01-01,1\n", {}, 0),
                    cm::invalid_argument);
    cm::csv_options options;
    options.delimiter = '"';
    std::istringstream in("x");
    CHECK_THROWS_AS((void)cm::read_transactions_csv(in, "x.csv", {}, options),
                    cm::invalid_argument);
}

TEST_CASE("csv: reads a file by path, with another delimiter") {
    const auto path = std::filesystem::temp_directory_path() / "custometrics_test_csv_path.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << "date;customer_id;amount\n2023-01-01;b;1,5\n2023-01-02;a;2\n";
    }
    cm::csv_options options;
    options.delimiter = ';';
    options.block_size = 5;
    // "1,5" is not a number with '.' decimals: an error naming the file path.
    try {
        (void)cm::read_transactions_csv(path.string(), {}, options);
        FAIL_CHECK("no parse_error thrown");
    } catch (const cm::parse_error& e) {
        CHECK(e.source() == path.string());
        CHECK(contains(e.what(), path.string() + ":2: column \"amount\""));
        CHECK(e.value() == "1,5");
    }
    {
        std::ofstream out(path, std::ios::binary);
        out << "date;customer_id;amount\n2023-01-01;b;1.5\n2023-01-02;a;2\n";
    }
    const auto log = cm::read_transactions_csv(path.string(), {}, options);
    std::filesystem::remove(path);
    // "a" < "b": b -> 1, a -> 0.
    CHECK(log.customer == std::vector<cm::entity_id>{1, 0});
    CHECK(log.time == cm::column<std::int64_t>{jan_01, jan_01 + day});
    CHECK(log.amount == cm::column<double>{1.5, 2.0});
}

TEST_CASE("csv: write_transactions_csv writes exact text and reads back identically") {
    cm::csv_columns all;
    all.cost = "cost";
    all.quantity = "quantity";
    all.order = "order_id";
    all.product = "product";
    all.channel = "channel";

    SUBCASE("exact text") {
        // Keys sorted: "a,b" < "c"; products "p" < "say \"x\""; channels "line\nbreak" < "web".
        // Doubles in shortest round-trip form: 0.1, 0.30000000000000004, 1e+21, -0.5.
        const std::string csv =
            "customer_id,date,amount,cost,quantity,order_id,product,channel\n"
            "\"a,b\",2023-01-05T13:45:00,0.1,0.30000000000000004,1,7,\"say \"\"x\"\"\","
            "\"line\nbreak\"\n"
            "c,2023-01-05,1e+21,-0.5,2.5,8,p,web\n";
        const auto log = read(csv, all);
        std::ostringstream out;
        cm::write_transactions_csv(out, log);
        CHECK(out.str() == csv);
        const auto back = read(out.str(), all, 7);
        CHECK(back.customer == log.customer);
        CHECK(key_strings(back.customer_keys) == key_strings(log.customer_keys));
        CHECK(back.time == log.time);
        CHECK(back.amount == log.amount);
        CHECK(back.cost == log.cost);
        CHECK(back.quantity == log.quantity);
        CHECK(back.order == log.order);
        CHECK(back.product == log.product);
        CHECK(key_strings(back.product_keys) == key_strings(log.product_keys));
        CHECK(back.channel == log.channel);
        CHECK(key_strings(back.channel_keys) == key_strings(log.channel_keys));
    }
    SUBCASE("round trip of awkward doubles, negative keys and timestamps") {
        cm::transaction_log log;
        for (int i = 0; i < 300; ++i) {
            log.customer.push_back(log.customer_keys.insert(std::int64_t{(i * 37) % 101 - 50}));
            // From 1932 to 2008 in steps of 7919000 s: before and after 1970, rarely midnight.
            log.time.push_back(std::int64_t{i - 150} * 7'919'000);
            log.amount.push_back((i % 7 == 0 ? -1.0 : 1.0) * (i * 0.37 + 1.0 / 3.0) *
                                 std::pow(10.0, i % 25 - 12));
            log.cost.push_back(log.amount.back() * 0.6);
            log.quantity.push_back(static_cast<double>(i % 5) + 0.5);
            log.order.push_back(log.order_keys.insert("o" + std::to_string(i / 2)));
            log.product.push_back(log.product_keys.insert(std::int64_t{i % 13}));
            log.channel.push_back(log.channel_keys.insert(i % 3 == 0 ? "web, eu" : "store"));
        }
        std::ostringstream out;
        cm::write_transactions_csv(out, log);
        for (const std::size_t block : {std::size_t{7}, cm::csv_options{}.block_size}) {
            const auto back = read(out.str(), all, block, false);
            CHECK(back.customer == log.customer);
            CHECK(back.customer_keys.integer_keys()[0] == log.customer_keys.integer_keys()[0]);
            CHECK(key_strings(back.customer_keys) == key_strings(log.customer_keys));
            CHECK(back.time == log.time);
            CHECK(back.amount == log.amount);
            CHECK(back.cost == log.cost);
            CHECK(back.quantity == log.quantity);
            CHECK(back.order == log.order);
            CHECK(key_strings(back.order_keys) == key_strings(log.order_keys));
            CHECK(back.product == log.product);
            CHECK(key_strings(back.product_keys) == key_strings(log.product_keys));
            CHECK(back.channel == log.channel);
            CHECK(key_strings(back.channel_keys) == key_strings(log.channel_keys));
        }
    }
    SUBCASE("a NaN amount cannot be written") {
        auto log = read("customer_id,date,amount\n1,2023-01-01,5\n");
        log.amount[0] = std::numeric_limits<double>::quiet_NaN();
        std::ostringstream out;
        CHECK_THROWS_AS(cm::write_transactions_csv(out, log), cm::data_error);
    }
}

TEST_CASE("csv_key writes one RFC 4180 field per key") {
    // Plain keys stay as they are; a key holding a comma, quote or line break is enclosed in
    // quotes with its inner quotes doubled: a"b,c -> "a""b,c".
    cm::key_index s;
    for (const char* k : {"plain", "a\"b,c", "line\nbreak", ""})
        s.insert(std::string_view(k));
    CHECK(cm::csv_key(s, 0) == "plain");
    CHECK(cm::csv_key(s, 1) == "\"a\"\"b,c\"");
    CHECK(cm::csv_key(s, 2) == "\"line\nbreak\"");
    CHECK(cm::csv_key(s, 3).empty());
    cm::key_index n;
    n.insert(std::int64_t{-42});
    CHECK(cm::csv_key(n, 0) == "-42");
}

TEST_CASE("csv: read_csv_numbers reads named columns of a log in row order") {
    const auto path = std::filesystem::temp_directory_path() / "custometrics_test_numbers.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << "customer_id,date,amount,discount,late\nA,2023-01-01,5,0.5,3\n\nB,2023-01-02,6, 2 "
               ",0\n";
    }
    const std::vector<std::string> names{"late", "discount"};
    const auto cols = cm::read_csv_numbers(path.string(), names);
    CHECK(cols[0] == std::vector<double>{3, 0});
    CHECK(cols[1] == std::vector<double>{0.5, 2});
    const std::vector<std::string> missing{"delay"};
    CHECK_THROWS_AS(cm::read_csv_numbers(path.string(), missing), cm::parse_error);
    {
        std::ofstream out(path, std::ios::binary);
        out << "customer_id,discount\nA,1\nB,\nC,nan\n";
    }
    const std::vector<std::string> d{"discount"};
    try {
        (void)cm::read_csv_numbers(path.string(), d);
        FAIL_CHECK("no parse_error thrown");
    } catch (const cm::parse_error& e) {
        CHECK(e.line() == 3);
        CHECK(contains(e.what(), ":3: column \"discount\": empty number"));
    }
    std::filesystem::remove(path);
}

TEST_CASE("csv: read_transactions_with_numbers reads the log and its numeric columns at once") {
    const auto path = std::filesystem::temp_directory_path() / "custometrics_test_with_numbers.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << "customer_id,date,amount,discount,late\nA,2023-01-01,5,0.5,3\n\nB,2023-01-02,6, 2 "
               ",0\nA,2023-01-03,7,0,1\n";
    }
    const std::vector<std::string> names{"late", "", "discount"};
    const cm::transaction_csv t = cm::read_transactions_with_numbers(path.string(), {}, names);
    // The log is what read_transactions_csv reads; the columns follow its three rows in file
    // order (the blank line is no row), the empty name gives an empty column.
    const cm::transaction_log alone = cm::read_transactions_csv(path.string());
    CHECK(t.log.amount == alone.amount);
    CHECK(t.log.amount == cm::column<double>{5, 6, 7});
    CHECK(t.log.customer == alone.customer);
    REQUIRE(t.numbers.size() == 3);
    CHECK(t.numbers[0] == std::vector<double>{3, 0, 1});
    CHECK(t.numbers[1].empty());
    CHECK(t.numbers[2] == std::vector<double>{0.5, 2, 0});
    // No name: the log alone.
    const std::vector<std::string> none{""};
    const cm::transaction_csv n = cm::read_transactions_with_numbers(path.string(), {}, none);
    CHECK(n.log.amount == alone.amount);
    CHECK(n.numbers == std::vector<std::vector<double>>{{}});
    // The errors of read_csv_numbers: a missing column names the file and the header's line.
    const std::vector<std::string> missing{"delay"};
    try {
        (void)cm::read_transactions_with_numbers(path.string(), {}, missing);
        FAIL_CHECK("no parse_error thrown");
    } catch (const cm::parse_error& e) {
        CHECK(e.line() == 1);
        CHECK(contains(e.what(), "column \"delay\": no such column in the header"));
    }
    std::filesystem::remove(path);
}

TEST_CASE("csv: resolve_columns fills in optional columns by their conventional names") {
    using opt = std::optional<std::string>;
    const std::vector<std::string> all{"customer_id", "date",     "amount",  "cost",
                                       "quantity",    "order_id", "product", "channel"};
    // Present and not named: each is found by its conventional name.
    const cm::csv_columns found = cm::resolve_columns(all, {});
    CHECK(found.cost == opt("cost"));
    CHECK(found.margin == std::nullopt);
    CHECK(found.quantity == opt("quantity"));
    CHECK(found.order == opt("order_id"));
    CHECK(found.product == opt("product"));
    CHECK(found.channel == opt("channel"));
    CHECK_FALSE(found.conventional_names);
    // Absent: nothing is filled in.
    const std::vector<std::string> bare{"customer_id", "date", "amount"};
    const cm::csv_columns none = cm::resolve_columns(bare, {});
    CHECK((none.cost || none.margin || none.unit_cost || none.quantity || none.order ||
           none.product || none.channel) == false);
    // The second choices: `margin` when there is no `cost`, `order` when there is no
    // `order_id`, `unit_cost` only with a quantity.
    const std::vector<std::string> second{"customer_id", "date", "amount", "margin", "order"};
    const cm::csv_columns s = cm::resolve_columns(second, {});
    CHECK(s.cost == std::nullopt);
    CHECK(s.margin == opt("margin"));
    CHECK(s.order == opt("order"));
    const std::vector<std::string> unit{"customer_id", "date", "amount", "unit_cost"};
    CHECK(cm::resolve_columns(unit, {}).unit_cost == std::nullopt);
    const std::vector<std::string> unit_q{"customer_id", "date", "amount", "unit_cost", "quantity"};
    CHECK(cm::resolve_columns(unit_q, {}).unit_cost == opt("unit_cost"));
    // Explicit choices win: a named margin keeps `cost` from being read as well; a named
    // product column is used, not `product`; a conventional name used as the amount is not
    // taken again as the cost.
    cm::csv_columns chosen;
    chosen.margin = "cost";
    chosen.product = "channel";
    const cm::csv_columns e = cm::resolve_columns(all, chosen);
    CHECK(e.cost == std::nullopt);
    CHECK(e.margin == opt("cost"));
    CHECK(e.product == opt("channel"));
    CHECK(e.channel == std::nullopt); // "channel" is taken by the product
    cm::csv_columns amount_is_cost;
    amount_is_cost.amount = "cost";
    CHECK(cm::resolve_columns(all, amount_is_cost).cost == std::nullopt);
    // Explicit but missing: the reader's parse_error, naming the column and the header.
    cm::csv_columns missing;
    missing.cost = "cogs";
    try {
        (void)cm::resolve_columns(bare, missing, "log.csv", 1);
        FAIL_CHECK("no parse_error for a named column that is missing");
    } catch (const cm::parse_error& err) {
        CHECK(err.column() == "cogs");
        CHECK(err.line() == 1);
        CHECK(std::string(err.what()) ==
              "log.csv:1: column \"cogs\": no such column in the header (columns: customer_id, "
              "date, amount) (value \"customer_id,date,amount\")");
    }
}

TEST_CASE("csv: the reader applies resolve_columns with conventional_names") {
    const std::string csv = "customer_id,date,amount,cost,product\n"
                            "A,2023-01-01,10,4,p1\n"
                            "B,2023-01-02,5,1,p2\n";
    // Off (the default): only the named columns are read.
    const cm::transaction_log plain = read(csv);
    CHECK_FALSE(plain.has_cost());
    CHECK(plain.product.empty());
    // On: the cost and product columns are found by name.
    cm::csv_columns columns;
    columns.conventional_names = true;
    const cm::transaction_log log = read(csv, columns);
    CHECK(log.cost == cm::column<double>{4, 1});
    CHECK(key_strings(log.product_keys) == std::vector<std::string>{"p1", "p2"});
    // From a file: resolve_columns(path) reads the header only.
    const auto path = std::filesystem::temp_directory_path() / "custometrics_test_resolve.csv";
    {
        std::ofstream f(path, std::ios::binary);
        f << "\n" << csv; // a blank line first: the header is on line 2
    }
    const cm::csv_columns r = cm::resolve_columns(path.string(), {});
    CHECK(r.cost == std::optional<std::string>("cost"));
    CHECK(r.product == std::optional<std::string>("product"));
    cm::csv_columns missing;
    missing.channel = "region";
    try {
        (void)cm::resolve_columns(path.string(), missing);
        FAIL_CHECK("no parse_error");
    } catch (const cm::parse_error& err) {
        CHECK(err.line() == 2);
        CHECK(err.source() == path.string());
    }
    std::filesystem::remove(path);
    // A named column that is missing is the reader's error whether or not the rule is on.
    cm::csv_columns named;
    named.conventional_names = true;
    named.quantity = "qty";
    expect_parse_error(csv, 1, "qty", "customer_id,date,amount,cost,product",
                       "no such column in the header", named);
}

TEST_CASE("read_transactions_csv: dates outside the years 1..9999 and leap seconds are refused") {
    // Before: 0000-01-01T00:00+03:20 was read as a time in the year -1 that no tool could read
    // back from its own output.
    CHECK_THROWS_WITH_AS(
        read("customer_id,date,amount\nA,2020-01-01,1\nB,0000-01-01T00:00+03:20,2\n"),
        "test.csv:3: column \"date\": outside the supported range "
        "0001-01-01T00:00:00Z..9999-12-31T23:59:59Z (value "
        "\"0000-01-01T00:00+03:20\")",
        cm::parse_error);
    CHECK_THROWS_WITH_AS(read("customer_id,date,amount\nA,2016-12-31T23:59:60Z,1\n"),
                         doctest::Contains("leap second"), cm::parse_error);
    const cm::transaction_log log =
        read("customer_id,date,amount\nA,0001-01-01,1\nB,9999-12-31T23:59:59,2\n");
    CHECK(log.time[0] == cm::min_supported_time);
    CHECK(log.time[1] == cm::max_supported_time);
}

TEST_CASE("read_text_file: the whole file, or an error naming the argument and the path") {
    const auto path = std::filesystem::temp_directory_path() / "custometrics_test_text_file.json";
    {
        std::ofstream out(path, std::ios::binary);
        out << "{\"per_order\": 2.5}\r\n\n"; // bytes kept as they are (binary read)
    }
    CHECK(cm::read_text_file(path.string(), "--costs") == "{\"per_order\": 2.5}\r\n\n");
    std::filesystem::remove(path);
    try {
        (void)cm::read_text_file(path.string(), "--costs");
        FAIL_CHECK("no invalid_argument thrown");
    } catch (const cm::invalid_argument& e) {
        CHECK(e.argument() == "--costs");
        CHECK(e.value() == path.string());
        CHECK(std::string(e.what()) == "--costs: cannot open \"" + path.string() + "\"");
    }
}

TEST_CASE("naming_line: a row error of a log read from a file names the row's file line") {
    // Line 1 header, 2 customer 7, 3 blank, 4 customer 8: row 1 is on line 4.
    const cm::transaction_log log =
        read("customer_id,date,amount\n7,2023-01-01,1\n\n8,2023-01-02,2\n");
    const cm::error_context row1{"amount", 1, "8", {}, "2"};
    try {
        cm::naming_line(log, "log.csv", [&]() -> int {
            throw cm::data_error("amount: row 1 (customer 8): bad", row1);
        });
        FAIL_CHECK("no data_error thrown");
    } catch (const cm::data_error& e) {
        CHECK(std::string(e.what()) == "log.csv:4: amount: row 1 (customer 8): bad");
        CHECK(e.argument() == "amount"); // the fields are kept
        CHECK(e.row() == std::optional<std::size_t>(1));
        CHECK(e.key() == "8");
        CHECK(e.value() == "2");
    }
    // The value of the call passes through; an error without a row passes unchanged.
    CHECK(cm::naming_line(log, "log.csv", [] { return 42; }) == 42);
    try {
        cm::naming_line(log, "log.csv", []() -> int { throw cm::data_error("no row"); });
        FAIL_CHECK("no data_error thrown");
    } catch (const cm::data_error& e) {
        CHECK(std::string(e.what()) == "no row");
    }
    // A log not read from a file has no lines: unchanged too.
    try {
        cm::naming_line(cm::transaction_log{}, "log.csv",
                        [&]() -> int { throw cm::data_error("amount: row 1: bad", row1); });
        FAIL_CHECK("no data_error thrown");
    } catch (const cm::data_error& e) {
        CHECK(std::string(e.what()) == "amount: row 1: bad");
    }
}

TEST_CASE("csv: a record longer than max_record_bytes is an error naming file, line and limit") {
    // The limit is checked on bytes scanned: a 64-byte limit refuses the record
    // "1,2020-01-01,<52 digits>\n" on line 3 (13 + 52 + 1 = 66 bytes > 64), in the serial
    // reader (block sizes 1 and 4096) and the parallel reader (chunks of 7 bytes) alike.
    const std::string ok = "customer_id,date,amount\n1,2020-01-01,10\n";
    const std::string csv = ok + "1,2020-01-01," + std::string(52, '7') + "\n";
    cm::csv_options o;
    o.max_record_bytes = 64;
    const std::string reason = "the record is longer than the limit of 64 bytes "
                               "(csv_options::max_record_bytes)";
    for (const std::size_t block : {std::size_t{1}, std::size_t{4096}}) {
        o.block_size = block;
        std::istringstream in(csv);
        try {
            (void)cm::read_transactions_csv(in, "long.csv", {}, o);
            FAIL_CHECK("no parse_error");
        } catch (const cm::parse_error& e) {
            CHECK(e.line() == 3);
            CHECK(e.column() == "record");
            CHECK(e.value() == "1,2020-01-01," + std::string(47, '7') + "...");
            CHECK(contains(e.what(), "long.csv:3: column \"record\": " + reason));
        }
    }
    try {
        (void)cm::detail::read_transactions_csv_parallel(csv, "long.csv", {}, o, 7);
        FAIL_CHECK("no parse_error");
    } catch (const cm::parse_error& e) {
        CHECK(e.line() == 3);
        CHECK(contains(e.what(), reason));
    }
    // At the limit exactly it is read: the 40-byte file's records are 24 and 16 bytes.
    o.max_record_bytes = 24;
    std::istringstream at(ok);
    CHECK(cm::read_transactions_csv(at, "ok.csv", {}, o).size() == 1);
    o.max_record_bytes = 0;
    std::istringstream zero(ok);
    CHECK_THROWS_AS((void)cm::read_transactions_csv(zero, "ok.csv", {}, o), cm::invalid_argument);
}

TEST_CASE("csv: a 200 MB file without a line break is refused at the default 1 MiB limit") {
    // Read by path (the mapped, parallel reader on 2 threads) and as a stream (serial): both name
    // line 1 (the header never ends) and the limit, 1048576 bytes. The stream reader stops after
    // its first block (4 MiB), so its memory stays small; the check is on the error, not timing.
    const auto path = std::filesystem::temp_directory_path() / "custometrics_test_no_newline.csv";
    {
        std::ofstream out(path, std::ios::binary);
        const std::string mib(std::size_t{1} << 20, 'x');
        for (int i = 0; i < 200; ++i)
            out << mib;
    }
    const std::string reason =
        "column \"record\": the record is longer than the limit of 1048576 bytes";
    cm::csv_options o;
    o.threads = 2;
    try {
        (void)cm::read_transactions_csv(path.string(), {}, o);
        FAIL_CHECK("no parse_error");
    } catch (const cm::parse_error& e) {
        CHECK(e.line() == 1);
        CHECK(contains(e.what(), path.string() + ":1: " + reason));
        CHECK(e.value() == std::string(60, 'x') + "...");
    }
    o.threads = 1;
    std::ifstream in(path, std::ios::binary);
    const std::string want = "big.csv:1: " + reason;
    CHECK_THROWS_WITH_AS((void)cm::read_transactions_csv(in, "big.csv", {}, o),
                         doctest::Contains(want.c_str()), cm::parse_error);
    in.close();
    std::filesystem::remove(path);
}
