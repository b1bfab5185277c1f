// Tests of the parallel CSV reader (csv.hpp, "Parallel reading"): on generated logs and on
// hand-made edge cases it must give the serial reader's result, or its error, exactly. The
// serial reader is the reference; a few results are also checked against values worked out by
// hand, so that the comparison cannot pass by both readers being wrong the same way.
#include "custometrics/csv.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

namespace cm = custometrics;

namespace {

// What a reading gave: the log, or the error's class and message (which holds the file, line,
// column and value).
struct outcome {
    bool ok = false;
    std::string error_type;
    std::string error;
    cm::transaction_log log;
};

template <class F> outcome run(F&& read) {
    outcome o;
    try {
        o.log = read();
        o.ok = true;
    } catch (const cm::error& e) {
        o.error_type = typeid(e).name();
        o.error = e.what();
    }
    return o;
}

outcome serial(const std::string& csv, const cm::csv_columns& columns,
               const cm::csv_options& options) {
    return run([&] {
        std::istringstream in(csv);
        return cm::read_transactions_csv(in, "gen.csv", columns, options);
    });
}

outcome parallel(const std::string& csv, const cm::csv_columns& columns,
                 const cm::csv_options& options, std::size_t chunk_bytes) {
    return run([&] {
        return cm::detail::read_transactions_csv_parallel(csv, "gen.csv", columns, options,
                                                          chunk_bytes);
    });
}

std::vector<std::string> key_strings(const cm::key_index& keys) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < keys.size(); ++i)
        out.push_back(keys.key_string(static_cast<cm::entity_id>(i)));
    return out;
}

void check_same_keys(const cm::key_index& a, const cm::key_index& b) {
    CHECK(a.type() == b.type());
    CHECK(key_strings(a) == key_strings(b));
}

void check_same(const outcome& a, const outcome& b) {
    REQUIRE(a.ok == b.ok);
    if (!a.ok) {
        CHECK(a.error_type == b.error_type);
        CHECK(a.error == b.error);
        return;
    }
    CHECK(a.log.customer == b.log.customer);
    check_same_keys(a.log.customer_keys, b.log.customer_keys);
    CHECK(a.log.time == b.log.time);
    CHECK(a.log.amount == b.log.amount);
    CHECK(a.log.cost == b.log.cost);
    CHECK(a.log.quantity == b.log.quantity);
    CHECK(a.log.order == b.log.order);
    check_same_keys(a.log.order_keys, b.log.order_keys);
    CHECK(a.log.product == b.log.product);
    check_same_keys(a.log.product_keys, b.log.product_keys);
    CHECK(a.log.channel == b.log.channel);
    check_same_keys(a.log.channel_keys, b.log.channel_keys);
    CHECK(a.log.lines == b.log.lines); // the file line of every row (transaction_log::line_of)
}

// Chunk sizes that put chunk boundaries everywhere (0: the automatic size, one chunk here).
const std::vector<std::size_t> chunk_sizes{1, 2, 3, 5, 8, 13, 64, 0};

// The parallel reader against the serial one on `csv`, for every chunk size, 1 and 3 threads,
// keys sorted and in order of first appearance. Returns the serial outcome (sorted keys).
outcome compare(const std::string& csv, const cm::csv_columns& columns = {}) {
    CAPTURE(csv);
    outcome reference;
    for (const bool sort : {true, false}) {
        cm::csv_options options;
        options.sort_keys = sort;
        const outcome s = serial(csv, columns, options);
        if (sort) reference = s;
        for (const unsigned threads : {1U, 3U})
            for (const std::size_t chunk : chunk_sizes) {
                CAPTURE(sort);
                CAPTURE(threads);
                CAPTURE(chunk);
                options.threads = threads;
                check_same(s, parallel(csv, columns, options, chunk));
            }
    }
    return reference;
}

// A random transaction log as CSV text: keys that are integers, or strings holding delimiters,
// doubled quotes and line breaks; CRLF or LF; a BOM; blank lines; quoted numbers and dates.
struct log_text {
    bool crlf = false;
    bool bom = false;
    bool strings = false;      // string customer keys from the start
    std::size_t switch_at = 0; // 1-based row from which customer keys are strings (0: never)
    bool products = false;     // a product column with quoted keys
    std::size_t rows = 40;
    bool last_eol = false; // always end the last record with a line break
};

std::string generate(const log_text& spec, std::mt19937& rng) {
    const std::string eol = spec.crlf ? "\r\n" : "\n";
    std::uniform_int_distribution<int> pick(0, 99);
    std::string s = spec.bom ? "\xEF\xBB\xBF" : "";
    s += "customer_id,date,\"amount\"";
    if (spec.products) s += ",product";
    s += eol;
    const std::vector<std::string> odd_keys{
        "\"Smith, J\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"crlf\r\nkey\"", "plain", "0042",
        "\"\"\"\""};
    for (std::size_t r = 1; r <= spec.rows; ++r) {
        if (pick(rng) < 10) s += eol; // a blank line
        const bool as_string = spec.strings || (spec.switch_at != 0 && r >= spec.switch_at);
        const bool first_string = (spec.strings && r == 1) || r == spec.switch_at;
        if (as_string && (first_string || pick(rng) < 50))
            s += odd_keys[static_cast<std::size_t>(pick(rng)) % odd_keys.size()];
        else
            s += std::to_string(pick(rng) % 17 - 3); // canonical integers, a few negative
        s += ",";
        const int day = 1 + pick(rng) % 28;
        const std::string date = "2023-02-" + std::string(day < 10 ? "0" : "") +
                                 std::to_string(day) + (pick(rng) < 20 ? " 10:30" : "");
        s += pick(rng) < 20 ? "\"" + date + "\"" : date;
        s += ",";
        const std::string amount = std::to_string(pick(rng)) + "." + std::to_string(pick(rng));
        s += pick(rng) < 20 ? "\"" + amount + "\"" : amount;
        if (spec.products) s += pick(rng) < 50 ? ",\"p,\"\"" + std::to_string(r % 5) + "\"" : ",q";
        s += eol;
    }
    if (!spec.last_eol && pick(rng) < 30)
        s.resize(s.size() - eol.size()); // the last record without a line break
    return s;
}

} // namespace

TEST_CASE("csv parallel: same log as the serial reader on generated logs") {
    std::mt19937 rng(20261206);
    int cases = 0;
    for (const bool crlf : {false, true})
        for (const bool bom : {false, true})
            for (int kind = 0; kind < 4; ++kind) {
                log_text spec;
                spec.crlf = crlf;
                spec.bom = bom;
                spec.strings = kind == 1;
                spec.switch_at = kind == 2 ? 37 : 0; // strings from a late row
                spec.products = kind == 3;
                const std::string csv = generate(spec, rng);
                cm::csv_columns columns;
                columns.conventional_names = true;
                const outcome s = compare(csv, columns);
                REQUIRE(s.ok);
                CHECK(s.log.size() == spec.rows);
                CHECK((s.log.customer_keys.type() == cm::key_index::key_type::integer) ==
                      (kind == 0 || kind == 3));
                ++cases;
            }
    CHECK(cases == 16);
}

TEST_CASE("csv parallel: integer keys turn into strings in a late chunk, ids as serial") {
    // Rows 1-6 integer keys, row 7 "0042": as the serial test in test_csv.cpp, the integers keep
    // the ids of first appearance (1 -> 0, 2 -> 1, 3 -> 2), "0042" gets 3 and a later "1" is 0.
    const std::string csv = "customer_id,date,amount\n"
                            "1,2023-01-01,1\n2,2023-01-01,2\n3,2023-01-01,3\n"
                            "1,2023-01-01,4\n2,2023-01-01,5\n3,2023-01-01,6\n"
                            "0042,2023-01-01,7\n1,2023-01-01,8\n";
    compare(csv);
    cm::csv_options options;
    options.sort_keys = false;
    options.threads = 3;
    const auto log = cm::detail::read_transactions_csv_parallel(csv, "x.csv", {}, options, 16);
    CHECK(log.customer_keys.type() == cm::key_index::key_type::string);
    CHECK(log.customer == std::vector<cm::entity_id>{0, 1, 2, 0, 1, 2, 3, 0});
    CHECK(key_strings(log.customer_keys) == std::vector<std::string>{"1", "2", "3", "0042"});
    // Sorted bytewise: "0042" < "1" < "2" < "3".
    options.sort_keys = true;
    const auto sorted = cm::detail::read_transactions_csv_parallel(csv, "x.csv", {}, options, 16);
    CHECK(sorted.customer == std::vector<cm::entity_id>{1, 2, 3, 1, 2, 3, 0, 1});
}

TEST_CASE("csv parallel: quoted line breaks and delimiters across chunk boundaries") {
    // Every record but the header holds a quoted key with a line break, a delimiter and a
    // doubled quote, so most chunk starts fall inside quotes; parity finds the true boundaries.
    std::string csv = "customer_id,date,amount\r\n";
    for (int i = 0; i < 30; ++i)
        csv += "\"k" + std::to_string(i % 7) + ",\r\n\"\"x\"\"\",2023-01-0" +
               std::to_string(1 + i % 9) + "," + std::to_string(i) + ".5\r\n";
    const outcome s = compare(csv);
    REQUIRE(s.ok);
    REQUIRE(s.log.size() == 30);
    CHECK(s.log.amount[29] == 29.5);
    CHECK(key_strings(s.log.customer_keys)[0] == "k0,\r\n\"x\"");
}

TEST_CASE("csv parallel: a quote inside an unquoted field misleads parity; chunks re-read") {
    // `ab"c` holds one literal quote: after it, quote parity is wrong, every guessed chunk start
    // is checked against where the previous chunk stopped and re-read when they differ.
    std::string csv = "customer_id,date,amount\n";
    for (int i = 0; i < 25; ++i)
        csv += (i % 6 == 2 ? "ab\"c" : "\"q\nq" + std::to_string(i % 4) + "\"") + ",2023-03-01," +
               std::to_string(i) + "\n";
    const outcome s = compare(csv);
    REQUIRE(s.ok);
    CHECK(s.log.size() == 25);
    CHECK(key_strings(s.log.customer_keys) ==
          std::vector<std::string>{"ab\"c", "q\nq0", "q\nq1", "q\nq2", "q\nq3"});
}

TEST_CASE("csv parallel: the first error in file order, with the serial reader's line") {
    std::mt19937 rng(7);
    log_text spec;
    spec.rows = 30;
    spec.switch_at = 12;
    spec.last_eol = true;
    const std::string head = generate(spec, rng);
    // Bad records appended late (then good rows after them): each must be the reported error.
    const std::vector<std::string> bad{
        "7,2023-13-01,1\n",                 // not a date
        "7,2023-01-01,abc\n",               // not a number
        "\"\",2023-01-01,1\n",              // empty key
        "7,2023-01-01\n",                   // too few fields
        "7,2023-01-01,1,9\n",               // too many fields
        "\"7\"x,2023-01-01,1\n",            // text after a closing quote
        "7,2023-01-01,nan\n",               // not finite
        "\"multi\nline\",2023-02-30,1\n",   // a bad date after a quoted line break
        "7,2023-01-01,1\n\"never closed,1", // unterminated quote, the last record
    };
    for (const std::string& b : bad) {
        const std::string csv = head + b + "8,2023-01-01,2\n9,2023-01-01,x\n";
        const outcome s = compare(csv);
        CHECK_FALSE(s.ok);
    }
    // The line by hand: header line 1, then the head's line breaks, so the bad record's line is
    // 1 + (line breaks in head), and the reader names it.
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(head.begin(), head.end(), '\n'));
    cm::csv_options options;
    options.threads = 3;
    try {
        (void)cm::detail::read_transactions_csv_parallel(head + bad[0] + "9,2023-01-01,x\n",
                                                         "gen.csv", {}, options, 5);
        FAIL_CHECK("no parse_error");
    } catch (const cm::parse_error& e) {
        CHECK(e.line() == line);
        CHECK(e.column() == "date");
        CHECK(e.value() == "2023-13-01");
    }
}

TEST_CASE("csv parallel: edge inputs give the serial reader's result or error") {
    const std::vector<std::string> inputs{
        "",
        "\n\n",
        "\xEF\xBB\xBF",
        "customer_id,date,amount",
        "customer_id,date,amount\n\n\r\n",
        "customer_id,date,amount\r\n1,2023-01-01,1\r",
        "customer_id,date,amount\n1,2023-01-01,1\r\n\r",
        "\n\ncustomer_id,date,amount\n\n1,2023-01-01,1\n\n2,2023-01-02,2",
        "\"customer_id\",\"da\"\"te\",amount\n1,2023-01-01,1\n",
        "customer_id,date\n1,2023-01-01\n",
        "customer_id,date,amount\n\"1,2023-01-01,1\n",
        "customer_id,date,amount\n1,2023-01-01,1\n\"a\"\"\nb\",2023-01-01,2\n",
        "customer_id,date,amount\n\"a\" ,2023-01-01,1\n",
        "\"customer_id,date,amount\n1,2,3\n",
        "customer_id,date,amount\n1,2023-01-01,1\n-9223372036854775808,2023-01-01,1\n"
        "9223372036854775807,2023-01-01,1\n",
    };
    for (const std::string& csv : inputs)
        compare(csv);
    // Optional columns: cost derived from margin, quantity, order and channel keys.
    cm::csv_columns columns;
    columns.margin = "m";
    columns.quantity = "q";
    columns.order = "o";
    columns.channel = "c";
    const outcome s = compare("customer_id,date,amount,m,q,o,c\n"
                              "1,2023-01-01,10,4,2,A7,web\n"
                              "1,2023-01-02,5,1,1,8,\"shop,1\"\n"
                              "2,2023-01-03,3,3,1,9,web\n",
                              columns);
    REQUIRE(s.ok);
    CHECK(s.log.cost == cm::column<double>{6, 4, 0}); // amount - margin
    CHECK(key_strings(s.log.order_keys) == std::vector<std::string>{"8", "9", "A7"});
}

TEST_CASE("csv parallel: the unset slots of gaps are never read (reused blocks of other values)") {
    // The columns of the file are made unset (no zeroing pass, see file_columns in csv.cpp), one
    // slot a line; blank lines and quoted line breaks leave slots no record writes. Blocks of
    // the columns' size rounded to 2 MiB (6 MiB: 685,714 lines after the header, as 600,001
    // entries of 8 bytes) filled with values the file does not hold are freed first, so that
    // the reader gets them back from the cache of large blocks: a row taken from a slot left
    // unset would show one of those values (777) and differ from the serial reader's. Integer
    // keys (the quoted line breaks are in a column not read).
    struct limit_guard { // restores the process's limit (AddressSanitizer builds start at 0)
        std::size_t saved = cm::block_cache_limit();
        ~limit_guard() { cm::set_block_cache_limit(saved); }
    } const guard;
    cm::set_block_cache_limit(0);
    cm::set_block_cache_limit(std::size_t{64} << 20);
    const std::size_t lines = 600000;
    {
        // Freed in reverse order, and taken back the most recently freed first: for the times,
        // the amounts and the integer keys, in the order the reader makes its columns.
        const cm::column<std::int64_t> times(lines + 1, 777);
        const cm::column<double> amounts(lines + 1, 777.0);
        const cm::column<std::int64_t> keys(lines + 1, 777);
    }
    std::string csv = "customer_id,date,amount,note\n"; // the note is not read
    for (std::size_t line = 0; line < lines; ++line) {
        const std::size_t k = line % 100;
        if (line % 7 == 3)
            csv += "5,2023-01-02,2,\"a\nb\"\n"; // a record over two lines
        else if (k % 6 == 0)
            csv += std::to_string(k) + ",2023-01-01," + std::to_string(k % 10) + ",\n";
        else
            csv += "\n"; // blank
    }
    cm::csv_options options;
    const outcome s = serial(csv, {}, options);
    REQUIRE(s.ok);
    CHECK(s.log.size() == 173143); // 85714 records over two lines, 87429 on one
    for (const unsigned threads : {2U, 3U})
        for (const std::size_t chunk : {std::size_t{0}, std::size_t{65536}}) {
            CAPTURE(threads);
            CAPTURE(chunk);
            options.threads = threads;
            const outcome p = parallel(csv, {}, options, chunk);
            check_same(s, p);
            CHECK(std::none_of(p.log.amount.begin(), p.log.amount.end(),
                               [](double x) { return x == 777.0; }));
        }
}

TEST_CASE("csv parallel: read_transactions_csv(path) maps the file and reads it in parallel") {
    std::mt19937 rng(11);
    log_text spec;
    spec.rows = 400;
    spec.crlf = true;
    spec.switch_at = 350;
    const std::string csv = generate(spec, rng);
    const auto path = std::filesystem::temp_directory_path() / "custometrics_test_parallel.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << csv;
    }
    cm::csv_options options;
    options.block_size = 256; // the file is larger: read in parallel
    const outcome s = serial(csv, {}, options);
    for (const unsigned threads : {1U, 2U, 4U}) {
        CAPTURE(threads);
        options.threads = threads;
        const outcome p =
            run([&] { return cm::read_transactions_csv(path.string(), {}, options); });
        // The path names the file in errors; the log is the same.
        check_same(s, p);
    }
    // An error names the file and the serial reader's line.
    {
        std::ofstream out(path, std::ios::binary);
        out << csv << "\r\n1,2023-01-01,1\r\n\"x\",2023-01-01,\r\n";
    }
    const std::size_t line = 3 + static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
    options.threads = 2;
    try {
        (void)cm::read_transactions_csv(path.string(), {}, options);
        FAIL_CHECK("no parse_error");
    } catch (const cm::parse_error& e) {
        CHECK(e.source() == path.string());
        CHECK(e.line() == line);
        CHECK(e.column() == "amount");
        CHECK(e.value().empty());
    }
    std::filesystem::remove(path);
}

namespace {

// `compare` (the parallel reader at every chunk size against the serial one), and the serial
// reader at block sizes 1 to 40 against the default block: a field then crosses the end of the
// buffer (and a CR LF is split between two blocks) at every offset. Returns the serial outcome.
outcome compare_blocks(const std::string& csv, const cm::csv_columns& columns = {},
                       const cm::csv_options& base = {}) {
    const outcome reference = compare(csv, columns);
    for (std::size_t block = 1; block <= 40; ++block) {
        CAPTURE(csv);
        CAPTURE(block);
        cm::csv_options options = base;
        options.block_size = block;
        check_same(reference, serial(csv, columns, options));
    }
    return reference;
}

// Records `key,2023-01-05,<k>` for k = 1..n, the key being `key(k)`, lines ended by `eol`
// (the last one too when `last_eol`): the delimiters and line breaks fall at every offset of a
// 16-byte block and an 8-byte word as k grows.
std::string keyed_rows(std::size_t n, const std::string& eol, bool last_eol,
                       const std::function<std::string(std::size_t)>& key, char delim = ',') {
    std::string s = std::string("customer_id") + delim + "date" + delim + "amount" + eol;
    for (std::size_t k = 1; k <= n; ++k) {
        s += key(k) + delim + "2023-01-05" + delim + std::to_string(k);
        if (k < n || last_eol) s += eol;
    }
    return s;
}

// By hand: 2023-01-05T00:00:00Z = 1672876800 s (19362 days after 1970-01-01).
constexpr std::int64_t jan_05 = 1672876800;

// The rows of `keyed_rows(n, ...)` as read: keys `key(1)`..`key(n)` in row order, the date of
// every row, amounts 1..n.
void check_keyed(const outcome& o, std::size_t n,
                 const std::function<std::string(std::size_t)>& key) {
    REQUIRE(o.ok);
    REQUIRE(o.log.size() == n);
    for (std::size_t k = 1; k <= n; ++k) {
        CAPTURE(k);
        CHECK(o.log.customer_keys.key_string(o.log.customer[k - 1]) == key(k));
        CHECK(o.log.time[k - 1] == jan_05);
        CHECK(o.log.amount[k - 1] == static_cast<double>(k));
    }
}

} // namespace

TEST_CASE("csv scan: structural bytes at every offset of a block or word, LF and CR LF") {
    // Keys "c", "cc", ... 34 characters. A CR before the LF belongs to neither the amount nor
    // the key (an amount "1\r" would not be a number).
    const auto key = [](std::size_t k) { return std::string(k, 'c'); };
    for (const std::string eol : {"\n", "\r\n"})
        for (const bool last_eol : {true, false}) {
            CAPTURE(eol.size());
            CAPTURE(last_eol);
            check_keyed(compare_blocks(keyed_rows(34, eol, last_eol, key)), 34, key);
        }
    // Blank lines (LF, CR LF) between the records do not count as records.
    const std::string csv = "customer_id,date,amount\r\n\r\nccc,2023-01-05,3\n\n\r\n"
                            "cccccccccccccccccc,2023-01-05,18\r\n";
    const outcome o = compare_blocks(csv);
    REQUIRE(o.ok);
    CHECK(o.log.size() == 2);
    CHECK(o.log.amount == cm::column<double>{3, 18});
    CHECK(o.log.lines == std::vector<cm::line_mark>{{0, 3}, {1, 6}});
}

TEST_CASE("csv scan: quotes at every offset: quoted fields, doubled and literal quotes") {
    // Row k: a key of k 'c's then a literal quote and "d" (unquoted: the quote is text),
    // a quoted date, a quoted amount, and a product "x""<k 'y'>" whose value is x"yyy...
    std::string csv = "customer_id,date,amount,product\n";
    for (std::size_t k = 1; k <= 20; ++k)
        csv += std::string(k, 'c') + "\"d,\"2023-01-05\",\"" + std::to_string(k) + "\",\"x\"\"" +
               std::string(k, 'y') + "\"\n";
    cm::csv_columns columns;
    columns.product = "product";
    const outcome o = compare_blocks(csv, columns);
    check_keyed(o, 20, [](std::size_t k) { return std::string(k, 'c') + "\"d"; });
    for (std::size_t k = 1; k <= 20; ++k)
        CHECK(o.log.product_keys.key_string(o.log.product[k - 1]) == "x\"" + std::string(k, 'y'));
}

TEST_CASE("csv scan: bytes >= 0x80 in fields and as the delimiter") {
    // UTF-8 keys "é", "éé", ... (0xC3 0xA9 each).
    const auto utf8 = [](std::size_t k) {
        std::string s;
        for (std::size_t i = 0; i < k; ++i)
            s += "\xC3\xA9";
        return s;
    };
    check_keyed(compare_blocks(keyed_rows(20, "\n", true, utf8)), 20, utf8);
    // A Latin-1 section sign 0xA7 as the delimiter; keys hold 0xFF and 0x80 bytes.
    const auto high = [](std::size_t k) { return std::string(k, '\xFF') + "\x80"; };
    cm::csv_options options;
    options.delimiter = '\xA7';
    const std::string csv = keyed_rows(20, "\n", true, high, '\xA7');
    const outcome s = serial(csv, {}, options);
    check_keyed(s, 20, high);
    for (const std::size_t chunk : chunk_sizes) {
        options.threads = 3;
        check_same(s, parallel(csv, {}, options, chunk));
    }
}

TEST_CASE("csv scan: errors at every offset name the serial reader's line, column, value") {
    // Text after a closing quote in the date of line 2 + k, after k good rows of growing keys.
    for (std::size_t k = 1; k <= 18; ++k) {
        std::string csv =
            keyed_rows(k, "\n", true, [](std::size_t i) { return std::string(i, 'c'); });
        csv += std::string(k, 'c') + ",\"2023-01-05\"x,1\n";
        const outcome o = compare_blocks(csv);
        REQUIRE_FALSE(o.ok);
        CHECK(o.error == "gen.csv:" + std::to_string(k + 2) +
                             ": column \"date\": unexpected character after a closing quote "
                             "(value \"\"2023-01-05\"x\")");
    }
}

// The one-pass parse of plain records (csv.cpp, `row_layout::parse_plain`): a record it reads
// must give the row the general path (`scan_record` and `row_layout::parse`) gives, and a record
// it does not read for sure must fall back to the general path with no trace. The reference is
// the same file with every field of every record quoted: a quote sends a record to the general
// path, which reads a quoted field's text by the same rules as an unquoted one, and names the
// same (unquoted) value in its errors. Both files are read by the serial reader at every block
// size and the parallel reader at every chunk size (`compare_blocks`).
namespace {

// `csv` with every field of every record but the header quoted; blank lines kept. No field may
// hold a quote, the delimiter or a line break.
std::string quote_fields(const std::string& csv, char delim = ',') {
    std::string out;
    std::size_t b = 0;
    bool header = true;
    while (b < csv.size()) {
        std::size_t e = csv.find('\n', b);
        const bool eol = e != std::string::npos;
        if (!eol) e = csv.size();
        std::string line = csv.substr(b, e - b);
        const bool cr = !line.empty() && line.back() == '\r';
        if (cr) line.pop_back();
        if (header || line.empty()) {
            out += line;
        } else {
            out += '"';
            for (const char c : line)
                out += c == delim ? std::string("\"") + delim + "\"" : std::string(1, c);
            out += '"';
        }
        header = false;
        if (cr) out += '\r';
        if (eol) out += '\n';
        b = e + 1;
    }
    return out;
}

// The outcome of `csv` and of `quote_fields(csv)` through `compare_blocks`, checked the same;
// returns the first.
outcome compare_plain(const std::string& csv, const cm::csv_columns& columns = {}) {
    const outcome plain = compare_blocks(csv, columns);
    const outcome reference = compare_blocks(quote_fields(csv), columns);
    CAPTURE(csv);
    check_same(plain, reference);
    return plain;
}

// The columns of the one-pass test files: every role, and a column not used.
const std::string plain_header = "customer_id,date,amount,note,cost,quantity,order_id,product,"
                                 "channel\n";
const std::vector<std::string> plain_row{"7", "2021-02-03", "12.5", "x", "4", "2", "90", "-3", "0"};

cm::csv_columns plain_columns() {
    cm::csv_columns columns;
    columns.cost = "cost";
    columns.quantity = "quantity";
    columns.order = "order_id";
    columns.product = "product";
    columns.channel = "channel";
    return columns;
}

std::string join_row(const std::vector<std::string>& fields, const std::string& eol = "\n") {
    std::string s;
    for (std::size_t i = 0; i < fields.size(); ++i)
        s += (i > 0 ? "," : "") + fields[i];
    return s + eol;
}

// A file of good rows with `value` in column `col` of its third record (line 4).
std::string with_value(std::size_t col, const std::string& value) {
    std::vector<std::string> row = plain_row;
    row[col] = value;
    return plain_header + join_row(plain_row) + join_row(plain_row) + join_row(row) +
           join_row(plain_row);
}

} // namespace

TEST_CASE("csv plain parse: every acceptance boundary gives the general path's row or error") {
    const std::vector<std::string> keys{"0",
                                        "-0",
                                        "007",
                                        "-5",
                                        "9223372036854775807",
                                        "9223372036854775808",
                                        "-9223372036854775808",
                                        "-9223372036854775809",
                                        "12345678901234567890",
                                        "12345678",
                                        "-12345678",
                                        "123456789012345",
                                        "1234567890123456",
                                        "-123456789012345",
                                        "0123456789",
                                        "00000000",
                                        "",
                                        "-",
                                        "+5",
                                        " 5",
                                        "5 ",
                                        "1a",
                                        "a1",
                                        "0x1"};
    const std::vector<std::string> dates{"2021-02-28",
                                         "2020-02-29",
                                         "2021-02-29",
                                         "2021-02-30",
                                         "2021-2-3",
                                         "2021-02-3",
                                         "2021-02-03T10:00:00",
                                         "2021-02-03T10:00:00Z",
                                         "2021-02-03 ",
                                         " 2021-02-03",
                                         "0000-01-01",
                                         "0001-01-01",
                                         "9999-12-31",
                                         "2021-13-01",
                                         "2021-00-10",
                                         "2021/02/03",
                                         "",
                                         "20210203"};
    const std::vector<std::string> numbers{"1",
                                           "-1.5",
                                           "0",
                                           "-0",
                                           ".5",
                                           "5.",
                                           "+5",
                                           "1e5",
                                           "1E-2",
                                           " 12",
                                           "12 ",
                                           "",
                                           "-",
                                           "1.2.3",
                                           "123456789012345",
                                           "1234567890123456",
                                           "12345678901234567",
                                           "1234567.89012345",
                                           "0.1234567890123456",
                                           "12345678.9",
                                           "-12345678.25",
                                           "1234567.8",
                                           "12.3456789012",
                                           "12345678.",
                                           "1234567.",
                                           "123456789012.345",
                                           "12345678.1.2",
                                           "9007199254740993",
                                           "nan",
                                           "inf",
                                           "0x10",
                                           "--1",
                                           "12a"};
    // Columns: customer 0, date 1, amount 2, the unused note 3, cost 4, quantity 5, order 6,
    // product 7, channel 8.
    for (const std::size_t col : {0, 6, 7, 8})
        for (const std::string& k : keys) {
            CAPTURE(col);
            CAPTURE(k);
            compare_plain(with_value(col, k), plain_columns());
        }
    for (const std::string& d : dates) {
        CAPTURE(d);
        compare_plain(with_value(1, d), plain_columns());
    }
    for (const std::size_t col : {2, 4, 5})
        for (const std::string& x : numbers) {
            CAPTURE(col);
            CAPTURE(x);
            compare_plain(with_value(col, x), plain_columns());
        }
    for (const std::string note : {"", "anything at all", "1e400", "a\tb", "\x80\xFF"}) {
        CAPTURE(note);
        compare_plain(with_value(3, note), plain_columns());
    }
}

TEST_CASE("csv plain parse: values as worked out independently (strtod, days by hand)") {
    // Every number the one pass accepts reads as glibc's strtod (correctly rounded) reads it.
    const std::vector<std::string> numbers{"1",
                                           "-1.5",
                                           "0.1",
                                           "123456789012345",
                                           "99999999999999.9",
                                           "0.000000000000001",
                                           "-7.25",
                                           "3.14159265358979",
                                           "12345678.9",
                                           "-1234567.1234567",
                                           "123456789012.345"};
    std::string csv = "customer_id,date,amount\n";
    for (const std::string& x : numbers)
        csv += "1,2020-02-29," + x + "\n";
    const outcome o = compare_plain(csv);
    REQUIRE(o.ok);
    REQUIRE(o.log.size() == numbers.size());
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        CAPTURE(numbers[i]);
        CHECK(o.log.amount[i] == std::strtod(numbers[i].c_str(), nullptr));
        // 2020-02-29: 18321 days after 1970-01-01 (50 years of 365 days, 12 leap days, 59).
        CHECK(o.log.time[i] == std::int64_t{18321} * 86400);
    }
    CHECK(std::signbit(compare_plain("customer_id,date,amount\n1,2021-01-01,-0\n").log.amount[0]));
    // Keys at the ends of the 64-bit range stay integers.
    const outcome k = compare_plain("customer_id,date,amount\n-9223372036854775808,2021-01-01,1\n"
                                    "9223372036854775807,2021-01-01,1\n0,2021-01-01,1\n"
                                    "123456789012345,2021-01-01,1\n-12345678,2021-01-01,1\n");
    REQUIRE(k.ok);
    CHECK(k.log.customer_keys.type() == cm::key_index::key_type::integer);
    CHECK(key_strings(k.log.customer_keys) ==
          std::vector<std::string>{"-9223372036854775808", "-12345678", "0", "123456789012345",
                                   "9223372036854775807"});
}

TEST_CASE("csv plain parse: line ends, blank lines, field counts and quotes fall back cleanly") {
    const std::string h = "customer_id,date,amount\n";
    for (const std::string& csv : {
             h + "1,2021-01-01,1\r\n2,2021-01-02,2\r\n",       // CRLF
             h + "1,2021-01-01,1\n2,2021-01-02,2",             // no final line break
             h + "1,2021-01-01,1\n2,2021-01-02,2\r",           // a lone CR ends the input
             h + "1,2021-01-01,1\r\r\n2,2021-01-02,2\n",       // CR CR LF: "1\r" is no number
             h + "\n1,2021-01-01,1\n\n\r\n2,2021-01-02,2\n\n", // blank lines
             h + "1,2021-01-01,1\n2,2021-01-02,\n",            // an empty last field
             h + "1,2021-01-01,1\n,2021-01-02,2\n",            // an empty first field
         })
        compare_plain(csv);
    // Quotes (the quoted file would not be the same text): the readers, and the values.
    const outcome quoted = compare_blocks(h + "1,2021-01-01,1\n2,\"2021-01-02\",2\n3,2021-01-03,"
                                              "3\n\"4\",2021-01-04,4\n5,2021-01-05,\"5\"\n");
    REQUIRE(quoted.ok);
    CHECK(quoted.log.amount == cm::column<double>{1, 2, 3, 4, 5});
    CHECK(key_strings(quoted.log.customer_keys) ==
          std::vector<std::string>{"1", "2", "3", "4", "5"});
    CHECK(quoted.log.time[1] == std::int64_t{18629} * 86400);                    // 2021-01-02
    for (const std::string& csv : {h + "1,2021-01-01,1\n2,2021-01-02,2\"\n",     // after a number
                                   h + "1,2021-01-01,1\n2,2021-01-02,1\"2\n"}) { // inside one
        const outcome o = compare_blocks(csv);
        REQUIRE_FALSE(o.ok);
        CHECK(o.error.find("gen.csv:3: column \"amount\": not a number") == 0);
    }
    // Too few and too many fields: the general path's message, which shows the raw record.
    const outcome few = compare_blocks(h + "1,2021-01-01,1\n2,2021-01-02\n");
    CHECK(few.error == "gen.csv:3: column \"amount\": the record has 2 fields, the header has 3 "
                       "(value \"2,2021-01-02\")");
    const outcome many = compare_blocks(h + "1,2021-01-01,1\r\n2,2021-01-02,2,\r\n");
    CHECK(many.error == "gen.csv:3: column \"field 4\": the record has 4 fields, the header has "
                        "3 (value \"2,2021-01-02,2,\")");
    // An unused column: a quote in it falls back, its text is never read.
    cm::csv_columns columns;
    const outcome unused = compare_blocks("customer_id,note,date,amount\n1,,2021-01-01,1\n"
                                          "2,a b,2021-01-02,2\r\n3,\"x,y\",2021-01-03,3\n");
    REQUIRE(unused.ok);
    CHECK(unused.log.amount == cm::column<double>{1, 2, 3});
    CHECK(unused.log.lines == std::vector<cm::line_mark>{{0, 2}});
}

TEST_CASE("csv plain parse: keys that turn into strings, in any column, fall back from then on") {
    // After "007" the customer column holds strings: later integer keys are strings too, with
    // the ids of their first appearance (as `key_column` gives them, never integers again).
    const std::string csv = "customer_id,date,amount,product\n5,2021-01-01,1,3\n007,2021-01-02,2,"
                            "3\n5,2021-01-03,3,4\n6,2021-01-04,4,x\n3,2021-01-05,5,3\n";
    cm::csv_columns columns;
    columns.product = "product";
    const outcome o = compare_plain(csv, columns);
    REQUIRE(o.ok);
    CHECK(o.log.customer_keys.type() == cm::key_index::key_type::string);
    CHECK(key_strings(o.log.customer_keys) == std::vector<std::string>{"007", "3", "5", "6"});
    CHECK(key_strings(o.log.product_keys) == std::vector<std::string>{"3", "4", "x"});
    CHECK(o.log.product == std::vector<cm::entity_id>{0, 0, 1, 2, 0});
}

TEST_CASE("csv plain parse: a delimiter that a plain field holds, or a column in two roles") {
    // With '.' or '-' as the delimiter, "5.5" and a date are split: the general path's error.
    for (const char delim : {'.', '-', '5'}) {
        CAPTURE(delim);
        const std::string d(1, delim);
        const std::string csv =
            "customer_id" + d + "date" + d + "amount\n1" + d + "2021-01-01" + d + "5.5\n";
        cm::csv_options options;
        options.delimiter = delim;
        const outcome s = serial(csv, {}, options);
        REQUIRE_FALSE(s.ok);
        CHECK(s.error.find("fields, the header has 3") != std::string::npos);
        for (const std::size_t chunk : chunk_sizes) {
            options.threads = 3;
            check_same(s, parallel(csv, {}, options, chunk));
        }
    }
    // Another delimiter takes the one pass.
    cm::csv_options semicolon;
    semicolon.delimiter = ';';
    const std::string csv = "customer_id;date;amount\n1;2021-01-01;5.5\n2;2021-01-02;1,5\n";
    const outcome s = serial(csv, {}, semicolon);
    REQUIRE_FALSE(s.ok);
    CHECK(s.error == "gen.csv:3: column \"amount\": not a number (value \"1,5\")");
    // The customer column also the order column: both read from it.
    cm::csv_columns columns;
    columns.order = "customer_id";
    const outcome o =
        compare_plain("customer_id,date,amount\n4,2021-01-01,1\n9,2021-01-02,2\n", columns);
    REQUIRE(o.ok);
    CHECK(key_strings(o.log.order_keys) == std::vector<std::string>{"4", "9"});
    CHECK(o.log.order == o.log.customer);
}

TEST_CASE("csv plain parse: margin and unit cost columns, and the record limit") {
    const std::string csv = "customer_id,date,amount,m,q\n1,2021-01-01,10,4,2\n1,2021-01-02,5.5,"
                            "0.25,3\n2,2021-01-03,1,1e1,1\n";
    cm::csv_columns margin;
    margin.margin = "m";
    margin.quantity = "q";
    const outcome a = compare_plain(csv, margin);
    REQUIRE(a.ok);
    CHECK(a.log.cost == cm::column<double>{6, 5.25, -9}); // amount - margin
    cm::csv_columns unit;
    unit.unit_cost = "m";
    unit.quantity = "q";
    const outcome b = compare_plain(csv, unit);
    REQUIRE(b.ok);
    CHECK(b.log.cost == cm::column<double>{8, 0.75, 10}); // unit cost * quantity
    CHECK(b.log.quantity == cm::column<double>{2, 3, 1});
    // A record longer than max_record_bytes (here 16: "1,2021-01-01,10\n" is 16 bytes and
    // fits, "22,2021-01-02,10\n" is 17) is the general path's error, in both readers.
    cm::csv_options options;
    options.max_record_bytes = 16;
    cm::csv_columns short_names;
    short_names.customer = "c";
    short_names.date = "d";
    short_names.amount = "a";
    const std::string long_csv = "c,d,a\n1,2021-01-01,10\n22,2021-01-02,10\n";
    const outcome s = serial(long_csv, short_names, options);
    REQUIRE_FALSE(s.ok);
    CHECK(s.error.find("gen.csv:3: column \"record\"") == 0);
    CHECK(s.error.find("longer than the limit of 16 bytes") != std::string::npos);
    for (const std::size_t chunk : chunk_sizes) {
        options.threads = 3;
        check_same(s, parallel(long_csv, short_names, options, chunk));
    }
    options.max_record_bytes = 17;
    CHECK(serial(long_csv, short_names, options).ok);
    CHECK(parallel(long_csv, short_names, options, 0).ok);
}

TEST_CASE("csv plain parse: random records of good and bad fields, against the quoted file") {
    std::mt19937 rng(18);
    const std::vector<std::vector<std::string>> pools{
        {"1", "2", "-3", "0", "10", "007", "-0", "", "a"},                     // customer
        {"2021-01-01", "2020-02-29", "2021-02-29", "2021-01-01T00:00:00", ""}, // date
        {"1", "-1.5", "2.25", ".5", "1e2", "", "x"},                           // amount
        {"n", "", "1,2"},         // note (may add a field)
        {"1", "0.5", "5.", "+1"}, // cost
        {"1", "2", "3"},          // quantity
        {"1", "2", "01", "o"},    // order
        {"1", "2", "3"},          // product
        {"1", "9"},               // channel
    };
    for (int file = 0; file < 60; ++file) {
        std::string csv = plain_header;
        bool extra = false; // a note "1,2": a field too many
        const int rows = 1 + static_cast<int>(rng() % 8);
        for (int r = 0; r < rows; ++r) {
            std::vector<std::string> row;
            for (const auto& pool : pools) {
                // Mostly the first (good) values, so that files often read to the end.
                const std::size_t i = rng() % 4 == 0 ? rng() % pool.size() : rng() % 2;
                row.push_back(pool[std::min(i, pool.size() - 1)]);
            }
            extra = extra || row[3] == "1,2";
            csv += join_row(row, rng() % 3 == 0 ? "\r\n" : "\n");
            if (rng() % 5 == 0) csv += "\n";
        }
        if (rng() % 2 == 0) csv.pop_back(); // no final line break (or a lone CR)
        CAPTURE(csv);
        if (extra) { // the quoted file would hold the note as one field: the readers only
            compare_blocks(csv, plain_columns());
            continue;
        }
        compare_plain(csv, plain_columns());
    }
}
