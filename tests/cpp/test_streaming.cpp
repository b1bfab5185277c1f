// Tests of the bounded-memory summary (streaming.hpp): cut into 1, several and many parts, a
// generated file must give the in-memory path's output byte for byte (summary CSV, left-out
// CSV, row count), or its error message exactly; a small file's numbers are also checked by
// hand, so that the comparison cannot pass by both paths being wrong the same way.
#include "custometrics/streaming.hpp"

#include "custometrics/output/left_out.hpp"
#include "custometrics/output/summary.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <typeinfo>
#include <unistd.h>

namespace cm = custometrics;
namespace fs = std::filesystem;

namespace {

// A private directory for the test's files, made the temporary directory (TMPDIR) of the
// process while it lives, so that the parts' directory can be seen to be removed.
struct scratch {
    fs::path dir;
    std::string old_tmpdir;
    bool had_tmpdir = false;
    scratch() {
        std::string pattern =
            (fs::temp_directory_path() / "custometrics-test-streaming-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        dir = pattern;
        if (const char* t = std::getenv("TMPDIR")) {
            had_tmpdir = true;
            old_tmpdir = t;
        }
        ::setenv("TMPDIR", dir.c_str(), 1);
    }
    ~scratch() {
        if (had_tmpdir)
            ::setenv("TMPDIR", old_tmpdir.c_str(), 1);
        else
            ::unsetenv("TMPDIR");
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        const fs::path p = dir / name;
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
    // Entries of the directory other than the test's own files (*.csv).
    std::size_t others() const {
        std::size_t n = 0;
        for (const auto& e : fs::directory_iterator(dir))
            n += e.path().extension() != ".csv" ? 1 : 0;
        return n;
    }
};

// The summary as the CLI writes it: the table, the left-out rows, the row count; or the error.
std::string written(const cm::csv_summary& s) {
    std::ostringstream out;
    cm::output::write_csv(out, s.summary, s.customer_keys);
    out << "--\n";
    cm::output::write_left_out_csv(out, s.summary.left_out, s.customer_keys, s.left_out_lines);
    out << "-- rows " << s.rows << "\n";
    return out.str();
}

template <class F> std::string outcome(F&& f) {
    try {
        return written(f());
    } catch (const cm::error& e) {
        return std::string("error ") + typeid(e).name() + ": " + e.what();
    }
}

// The in-memory path, written as `written` does (left-out lines from the log itself).
std::string in_memory(const std::string& path, const cm::csv_columns& columns,
                      const cm::summary_options& options) {
    try {
        const cm::transaction_log log = cm::read_transactions_csv(path, columns);
        const cm::customer_summary s =
            cm::naming_line(log, path, [&] { return cm::summarize(log.view(), options); });
        std::ostringstream out;
        cm::output::write_csv(out, s, log.customer_keys);
        out << "--\n";
        cm::output::write_left_out_csv(out, s.left_out, log.customer_keys, &log);
        out << "-- rows " << log.size() << "\n";
        return out.str();
    } catch (const cm::error& e) {
        return std::string("error ") + typeid(e).name() + ": " + e.what();
    }
}

// A generated log: `customers` customers, keys integers or strings (some quoted, holding a
// comma or a quote), dates in 2020 (some with a time of day), amounts with returns, a cost and
// an order column, a blank line and a record over two lines now and then.
std::string generate(unsigned seed, std::size_t rows, std::size_t customers, bool string_keys) {
    std::mt19937_64 rng(seed);
    std::ostringstream out;
    out << "customer_id,date,amount,cost,order_id,note\n";
    for (std::size_t i = 0; i < rows; ++i) {
        const std::size_t c = rng() % customers;
        std::string key = std::to_string(c * 7 + 3);
        if (string_keys) key = c % 5 == 0 ? "\"C," + std::to_string(c) + "\"\"\"" : "C" + key;
        char date[16];
        std::snprintf(date, sizeof date, "2020-%02d-%02d", static_cast<int>(1 + rng() % 12),
                      static_cast<int>(1 + rng() % 28));
        out << key << "," << date;
        if (rng() % 10 == 0) out << " 13:45:00";
        const double amount = static_cast<double>(rng() % 20000) / 100.0 - 20.0;
        out << "," << amount << "," << amount / 3 << ",O" << (rng() % (rows / 2 + 1)) << ",";
        if (rng() % 50 == 0) out << "\"two\nlines\"";
        out << "\n";
        if (rng() % 100 == 0) out << "\n";
    }
    return out.str();
}

cm::csv_columns with_cost() {
    cm::csv_columns c;
    c.conventional_names = true;
    return c;
}

} // namespace

TEST_CASE("parse_memory_size: units, and errors naming the argument and the value") {
    CHECK(cm::parse_memory_size("512M") == 536870912);
    CHECK(cm::parse_memory_size("2g") == 2147483648);
    CHECK(cm::parse_memory_size("1.5G") == 1610612736);
    CHECK(cm::parse_memory_size("64MiB") == 67108864);
    CHECK(cm::parse_memory_size("40000000") == 40000000);
    for (const char* bad : {"", "M", "12X", "5.G", "-5M", "1M", "512 M", "1.2.3G", "9999999T"}) {
        try {
            cm::parse_memory_size(bad, "--memory-limit");
            FAIL("accepted " << bad);
        } catch (const cm::invalid_argument& e) {
            CHECK(e.argument() == "--memory-limit");
            CHECK(e.context().value == bad);
            CHECK(
                std::string(e.what()).starts_with("--memory-limit: \"" + std::string(bad) + "\""));
        }
    }
}

TEST_CASE("parts_for: the file's in-memory size over the limit less the reserve") {
    // 4 bytes a CSV byte: 100 MiB of CSV need 400 MiB; 64 MiB less 16 MiB leaves 48: 8.33 -> 9.
    CHECK(cm::detail::parts_for(std::size_t{100} << 20, std::size_t{64} << 20) == 9);
    CHECK(cm::detail::parts_for(std::size_t{1} << 20, std::size_t{64} << 20) == 1);
    CHECK_THROWS_AS(cm::detail::parts_for(std::size_t{1} << 40, std::size_t{32} << 20),
                    cm::invalid_argument);
}

TEST_CASE("summarize_csv: a small file in parts, checked by hand") {
    const scratch s;
    // A: 2020-01-01 10, 2020-01-05 20 and 30 (one period), 2020-01-10 -4 (a return);
    // B: 2020-01-03 5; "x,y": only a return. Observation end: the last row, 2020-01-10.
    const std::string path = s.write("hand.csv", "customer_id,date,amount\n"
                                                 "A,2020-01-01,10\n"
                                                 "B,2020-01-03,5\n"
                                                 "A,2020-01-05,20\n"
                                                 "\"x,y\",2020-01-06,-7\n"
                                                 "A,2020-01-05,30\n"
                                                 "A,2020-01-10,-4\n");
    const cm::csv_summary r = cm::detail::summarize_csv_parts(path, {}, {}, 5);
    CHECK(r.parts == 5);
    CHECK(r.rows == 6);
    REQUIRE(r.summary.size() == 2);
    CHECK(r.customer_keys.key_string(r.summary.customer[0]) == "A");
    // A: periods Jan 1 (10) and Jan 5 (50): frequency 1, recency 4, T 9, monetary 50, revenue 56.
    CHECK(r.summary.frequency[0] == 1);
    CHECK(r.summary.recency[0] == 4);
    CHECK(r.summary.T[0] == 9);
    CHECK(r.summary.monetary_value[0] == 50);
    CHECK(r.summary.revenue[0] == 56);
    CHECK(r.summary.returns[0] == 4);
    // B: one purchase, T = 10 - 3 = 7.
    CHECK(r.summary.T[1] == 7);
    CHECK(written(r) == in_memory(path, {}, {}));
    CHECK(written(r).ends_with("--\nline,key,reason,value\n,\"x,y\",only_returns,-7\n-- rows 6\n"));
    CHECK(s.others() == 0);
}

TEST_CASE("summarize_csv: 1, several and many parts give the in-memory output byte for byte") {
    const scratch s;
    for (const bool strings : {false, true}) {
        const std::string path = s.write("gen.csv", generate(strings ? 11 : 7, 4000, 600, strings));
        cm::summary_options late_drop;
        late_drop.observation_end = cm::parse_time_or_throw("2020-10-31", "end");
        late_drop.late = cm::late_policy::drop;
        cm::summary_options holdout = late_drop;
        holdout.calibration_end = cm::parse_time_or_throw("2020-06-30", "end");
        holdout.returns = cm::returns_policy::net;
        holdout.unit = cm::time_unit::weeks;
        for (const cm::summary_options& o : {cm::summary_options{}, late_drop, holdout}) {
            const std::string expected = in_memory(path, with_cost(), o);
            REQUIRE(expected.starts_with("customer_id,"));
            for (const std::size_t parts : {1, 2, 7, 64, 700}) {
                CAPTURE(strings);
                CAPTURE(parts);
                CHECK(outcome([&] {
                          return cm::detail::summarize_csv_parts(path, with_cost(), o, parts);
                      }) == expected);
            }
        }
    }
    CHECK(s.others() == 0);
}

TEST_CASE("summarize_csv: integer keys and one string key sort as one string column") {
    const scratch s;
    // 9 and 10 sort as "10" < "9" once "x" makes the column strings; parts holding only 9 or 10
    // must sort so too.
    const std::string path = s.write("mixed.csv", "customer_id,date,amount\n"
                                                  "9,2020-01-01,1\n10,2020-01-02,2\n"
                                                  "100,2020-01-03,3\n9,2020-01-04,4\n"
                                                  "x,2020-01-05,5\n");
    const std::string expected = in_memory(path, {}, {});
    CHECK(expected.starts_with("customer_id,frequency,recency,T,monetary_value"));
    CHECK(expected.find("\n10,") < expected.find("\n100,"));
    CHECK(expected.find("\n100,") < expected.find("\n9,"));
    for (const std::size_t parts : {1, 2, 3, 8})
        CHECK(written(cm::detail::summarize_csv_parts(path, {}, {}, parts)) == expected);
}

TEST_CASE("summarize_csv: errors as in memory (file, line, column, value), nothing left behind") {
    const scratch s;
    std::string text = generate(3, 500, 80, true);
    // A bad amount on line 301 (after 299 data records and the header; blank lines and
    // records over two lines counted by the reader).
    {
        std::istringstream in(text);
        std::string out, line;
        std::size_t n = 0;
        while (std::getline(in, line)) {
            if (++n == 301 && line.find(',') != std::string::npos) line = "C1,2020-03-01,12x,1,O1,";
            out += line + "\n";
        }
        const std::string path = s.write("bad.csv", out);
        const std::string expected = in_memory(path, with_cost(), {});
        CHECK(expected.find("bad.csv:301: ") != std::string::npos);
        CHECK(expected.find("12x") != std::string::npos);
        for (const std::size_t parts : {1, 4, 64})
            CHECK(outcome([&] {
                      return cm::detail::summarize_csv_parts(path, with_cost(), {}, parts);
                  }) == expected);
    }
    // Late rows under the error policy: the first late row of the file, in whichever part.
    {
        const std::string path = s.write("late.csv", text);
        cm::summary_options o;
        o.observation_end = cm::parse_time_or_throw("2020-06-30", "end");
        const std::string expected = in_memory(path, with_cost(), o);
        CHECK(expected.find("is after the observation end") != std::string::npos);
        for (const std::size_t parts : {1, 4, 64})
            CHECK(outcome([&] {
                      return cm::detail::summarize_csv_parts(path, with_cost(), o, parts);
                  }) == expected);
    }
    // Overflowing totals of two customers: the lowest key is named, with its first row's line.
    {
        const std::string path = s.write("overflow.csv", "customer_id,date,amount\n"
                                                         "z,2020-01-01,1e308\nb,2020-01-02,1\n"
                                                         "z,2020-01-03,1e308\nb,2020-01-04,1e308\n"
                                                         "b,2020-01-05,1e308\n");
        const std::string expected = in_memory(path, {}, {});
        CHECK(expected.find("overflow.csv:3: revenue: row 1 (customer \"b\")") !=
              std::string::npos);
        for (const std::size_t parts : {1, 2, 5, 16})
            CHECK(outcome([&] { return cm::detail::summarize_csv_parts(path, {}, {}, parts); }) ==
                  expected);
    }
    // A header without rows; a window error (observation end before the first row).
    {
        const std::string path = s.write("empty.csv", "customer_id,date,amount\n");
        CHECK(outcome([&] { return cm::detail::summarize_csv_parts(path, {}, {}, 4); }) ==
              in_memory(path, {}, {}));
        const std::string path2 = s.write("window.csv", text);
        cm::summary_options o;
        o.observation_end = cm::parse_time_or_throw("2019-06-30", "end");
        CHECK(outcome([&] { return cm::detail::summarize_csv_parts(path2, with_cost(), o, 8); }) ==
              in_memory(path2, with_cost(), o));
    }
    CHECK(s.others() == 0);
}

TEST_CASE("summarize_csv: the limit chooses the parts; a file that fits is read whole") {
    const scratch s;
    const std::string path = s.write("gen.csv", generate(5, 3000, 400, false));
    const std::string expected = in_memory(path, with_cost(), {});
    const cm::csv_summary whole =
        cm::summarize_csv(path, with_cost(), {}, cm::parse_memory_size("64M"));
    CHECK(whole.parts == 1);
    CHECK(written(whole) == expected);
    CHECK(written(cm::summarize_csv(path, with_cost(), {})) == expected);
}
