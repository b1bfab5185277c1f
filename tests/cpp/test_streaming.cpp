// Tests of the bounded-memory summary (streaming.hpp): cut into 1, several and many parts, a
// generated file must give the in-memory path's output byte for byte (summary CSV, left-out
// CSV, row count), or its error message exactly; a small file's numbers are also checked by
// hand, so that the comparison cannot pass by both paths being wrong the same way.
#include "custometrics/streaming.hpp"

#include "custometrics/detail/json.hpp"
#include "custometrics/output/left_out.hpp"
#include "custometrics/output/pareto.hpp"
#include "custometrics/output/segments.hpp"
#include "custometrics/output/summary.hpp"
#include "custometrics/segments.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

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
// an order column, a blank line and a record over two lines now and then; with `products`, a
// product (integer or string keys as the customers') and a channel column too.
std::string generate(unsigned seed, std::size_t rows, std::size_t customers, bool string_keys,
                     bool products = false) {
    std::mt19937_64 rng(seed);
    std::ostringstream out;
    out << "customer_id,date,amount,cost,order_id,note" << (products ? ",product,channel" : "")
        << "\n";
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
        if (products)
            out << "," << (string_keys ? "P" : "") << rng() % 97 << ","
                << (rng() % 3 == 0   ? "web"
                    : rng() % 2 == 0 ? "store"
                                     : "phone");
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

namespace {

// A Pareto analysis as the CLI writes it: the table, the entities left out, the text; or the
// error with its `row` (the entity's id).
std::string written(const cm::log_pareto& a, const cm::key_index& keys) {
    std::ostringstream out;
    cm::output::write_csv(out, a, keys);
    out << "--\n";
    cm::output::write_left_out_csv(out, a.left_out, keys);
    out << "--\n";
    cm::output::write_text(out, a, keys, "measure", "by");
    cm::detail::json_writer w(out);
    w.begin_object();
    cm::output::write_json(w, a);
    w.end_object();
    return out.str();
}

template <class F> std::string pareto_outcome(F&& f) {
    try {
        const cm::csv_pareto r = f();
        return written(r.analysis, r.keys) + "-- rows " + std::to_string(r.rows) + "\n";
    } catch (const cm::data_error& e) {
        return std::string("error ") + typeid(e).name() + ": " + e.what() + " row " +
               std::to_string(e.row().value_or(999999));
    } catch (const cm::error& e) {
        return std::string("error ") + typeid(e).name() + ": " + e.what();
    }
}

// The in-memory Pareto analysis, as `custometrics pareto` ran it before `pareto_csv`.
std::string pareto_in_memory(const std::string& path, const cm::pareto_axes& axes,
                             const cm::time_window& window = {},
                             const std::optional<cm::time_window>& earlier = std::nullopt,
                             const cm::csv_options& csv = {}) {
    return pareto_outcome([&] {
        const cm::transaction_log log = cm::read_transactions_csv(path, axes.columns, csv);
        cm::csv_pareto r;
        r.analysis = cm::pareto_of_log(log, axes.by, axes.what, window, earlier);
        r.keys = cm::dimension_keys(log, axes.by);
        r.rows = log.size();
        return r;
    });
}

cm::pareto_axes axes_of(const char* by, const char* what) {
    cm::csv_columns c;
    c.conventional_names = true;
    return cm::resolve_pareto_axes(by, what, c);
}

} // namespace

TEST_CASE("pareto_csv: a small file in parts, checked by hand") {
    const scratch s;
    // By product: p1 50 - 5 = 45, p2 30, p3 -2 (left out, not ranked); total 75.
    const std::string path = s.write("small.csv", "customer_id,date,amount,product\n"
                                                  "A,2020-01-01,50,p1\nB,2020-01-02,30,p2\n"
                                                  "C,2020-01-03,-2,p3\nB,2020-01-04,-5,p1\n");
    for (const std::size_t parts : {1, 2, 3, 8}) {
        CAPTURE(parts);
        const cm::csv_pareto r =
            cm::detail::pareto_csv_parts(path, axes_of("product", "revenue"), {}, {}, {}, parts);
        CHECK(r.parts == parts);
        CHECK(r.rows == 4);
        REQUIRE(r.keys.size() == 3);
        REQUIRE(r.analysis.pareto.size() == 2);
        CHECK(r.keys.key_string(r.analysis.pareto.entity[0]) == "p1");
        CHECK(r.analysis.pareto.value[0] == 45.0);
        CHECK(r.keys.key_string(r.analysis.pareto.entity[1]) == "p2");
        CHECK(r.analysis.pareto.cum_share[0] == doctest::Approx(0.6).epsilon(1e-15));
        REQUIRE(r.analysis.left_out.size() == 1);
        CHECK(r.keys.key_string(r.analysis.left_out[0].entity) == "p3");
        CHECK(r.analysis.left_out[0].value == -2.0);
    }
    CHECK(s.others() == 0);
}

TEST_CASE("pareto_csv: by customer, product, channel; 1 to 700 parts byte for byte") {
    const scratch s;
    for (const bool strings : {false, true}) {
        const std::string path =
            s.write("gen.csv", generate(strings ? 21 : 17, 4000, 600, strings, true));
        const cm::time_window window{
            cm::parse_time_or_throw("2020-04-01", "start"),
            cm::inclusive_end(cm::parse_time_or_throw("2020-11-30", "end"))};
        const cm::time_window before{cm::parse_time_or_throw("2020-01-01", "start"),
                                     cm::parse_time_or_throw("2020-03-31", "end")};
        for (const char* by : {"customer", "product", "channel"})
            for (const char* what : {"revenue", "profit"})
                for (const bool windows : {false, true}) {
                    const cm::pareto_axes axes = axes_of(by, what);
                    const cm::time_window w = windows ? window : cm::time_window{};
                    const std::optional<cm::time_window> e =
                        windows ? std::optional(before) : std::nullopt;
                    const std::string expected = pareto_in_memory(path, axes, w, e);
                    REQUIRE(expected.starts_with("key,value,rank,cum_share,class"));
                    for (const std::size_t parts : {1, 2, 7, 64, 700}) {
                        CAPTURE(strings);
                        CAPTURE(by);
                        CAPTURE(what);
                        CAPTURE(windows);
                        CAPTURE(parts);
                        CHECK(pareto_outcome([&] {
                                  return cm::detail::pareto_csv_parts(path, axes, w, e, {}, parts);
                              }) == expected);
                    }
                }
    }
    CHECK(s.others() == 0);
}

TEST_CASE("pareto_csv: errors as in memory; the limit chooses the parts") {
    const scratch s;
    // Overflowing totals of two products: the lowest key and its id in the whole file.
    const std::string path = s.write("overflow.csv", "customer_id,date,amount,product\n"
                                                     "a,2020-01-01,1e308,z\nb,2020-01-02,1,b\n"
                                                     "c,2020-01-03,1e308,z\nd,2020-01-04,1e308,y\n"
                                                     "e,2020-01-05,1e308,y\nf,2020-01-06,1,a\n");
    const std::string expected = pareto_in_memory(path, axes_of("product", "revenue"));
    CHECK(expected.find("the total of \"y\" overflows") != std::string::npos);
    CHECK(expected.ends_with(" row 2"));
    // Only in the earlier window: the window's totals pass, the earlier's overflow.
    const cm::time_window late{cm::parse_time_or_throw("2020-01-06", "start"), {}};
    const cm::time_window early{{}, cm::parse_time_or_throw("2020-01-05", "end")};
    const std::string expected_earlier =
        pareto_in_memory(path, axes_of("product", "revenue"), late, early);
    CHECK(expected_earlier.find("the total of \"y\" overflows") != std::string::npos);
    // A missing column, a bad field, no data rows, a reversed window.
    const std::string bad = s.write("bad.csv", "customer_id,date,amount\nA,2020-01-01,1\n"
                                               "B,2020-01-02,x1\n");
    const std::string empty = s.write("empty.csv", "customer_id,date,amount,product\n");
    const cm::time_window reversed{cm::parse_time_or_throw("2020-02-01", "start"),
                                   cm::parse_time_or_throw("2020-01-01", "end")};
    const std::string expected_reversed =
        pareto_in_memory(path, axes_of("product", "revenue"), reversed);
    CHECK(expected_reversed.find("the window holds no time") != std::string::npos);
    for (const std::size_t parts : {1, 2, 5, 16}) {
        CAPTURE(parts);
        CHECK(pareto_outcome([&] {
                  return cm::detail::pareto_csv_parts(path, axes_of("product", "revenue"), {}, {},
                                                      {}, parts);
              }) == expected);
        CHECK(pareto_outcome([&] {
                  return cm::detail::pareto_csv_parts(path, axes_of("product", "revenue"), late,
                                                      early, {}, parts);
              }) == expected_earlier);
        CHECK(pareto_outcome([&] {
                  return cm::detail::pareto_csv_parts(path, axes_of("product", "revenue"), reversed,
                                                      {}, {}, parts);
              }) == expected_reversed);
        for (const std::string& p : {bad, empty})
            for (const char* by : {"product", "channel"}) {
                const std::string e = pareto_in_memory(p, axes_of(by, "profit"));
                CHECK(e.starts_with("error "));
                CHECK(pareto_outcome([&] {
                          return cm::detail::pareto_csv_parts(p, axes_of(by, "profit"), {}, {}, {},
                                                              parts);
                      }) == e);
            }
    }
    // The limit: a small file is read whole; a limit too small for the file names its argument.
    // (Not the overflow file: by customer its four 1e308 totals overflow the total.)
    const std::string small = s.write("small.csv", "customer_id,date,amount\nA,2020-01-01,1\n"
                                                   "B,2020-01-02,2\n");
    const cm::csv_pareto whole = cm::pareto_csv(small, axes_of("customer", "revenue"), {}, {}, {},
                                                cm::parse_memory_size("64M"));
    CHECK(whole.analysis.pareto.total == 3.0);
    CHECK(whole.parts == 1);
    try {
        (void)cm::detail::parts_for(std::size_t{1} << 40, cm::min_memory_limit, "--memory-limit");
        FAIL("no error");
    } catch (const cm::invalid_argument& e) {
        CHECK(e.argument() == "--memory-limit");
        CHECK(std::string(e.what()).find("more than 1024 parts") != std::string::npos);
    }
    CHECK(s.others() == 0);
}

TEST_CASE("pareto_csv: a row whose profit overflows, the same error in memory and in parts") {
    const scratch s;
    // amount - cost of rows 1 (customer "b", line 4: after a blank line) and 3 (customer "d",
    // line 6) overflow to inf and -inf; the first in the file is named, by its file line.
    const std::string path =
        s.write("profit.csv", "customer_id,date,amount,cost\na,2020-01-01,5,1\n\n"
                              "b,2020-01-02,1e308,-1e308\nc,2020-01-03,7,2\n"
                              "d,2020-01-04,-1e308,1e308\na,2020-01-05,1,0\n");
    const cm::pareto_axes axes = axes_of("customer", "profit");
    // Only row 3 in the window (Jan 4 on); only row 1 in the earlier window (Jan 1 to 2).
    const cm::time_window late{cm::parse_time_or_throw("2020-01-04", "start"), {}};
    const cm::time_window early{{}, cm::parse_time_or_throw("2020-01-02", "end")};
    struct expected_error {
        cm::time_window window;
        std::optional<cm::time_window> earlier;
        std::string what, key, value;
        std::size_t row;
    };
    const std::string b_row =
        path + ":4: profit: row 1 (customer \"b\"): amount 1e+308 - cost -1e+308 is inf";
    const std::string d_row =
        path + ":6: profit: row 3 (customer \"d\"): amount -1e+308 - cost 1e+308 is -inf";
    const std::vector<expected_error> cases = {
        {{}, std::nullopt, b_row, "b", "inf", 1},
        {late, std::nullopt, d_row, "d", "-inf", 3},
        {late, early, d_row, "d", "-inf", 3}, // the window's row first
        {cm::time_window{cm::parse_time_or_throw("2020-01-05", "start"), {}}, early, b_row, "b",
         "inf", 1}, // the window passes, the earlier one's row is named
    };
    for (const expected_error& c : cases)
        for (const std::size_t parts : {0, 1, 2, 3, 5}) {
            CAPTURE(c.what);
            CAPTURE(parts);
            try {
                // 0: in memory (`pareto_csv` without a limit), else in `parts` parts.
                if (parts == 0)
                    (void)cm::pareto_csv(path, axes, c.window, c.earlier);
                else
                    (void)cm::detail::pareto_csv_parts(path, axes, c.window, c.earlier, {}, parts);
                FAIL("no error");
            } catch (const cm::data_error& e) {
                CHECK(typeid(e) == typeid(cm::data_error));
                CHECK(std::string(e.what()) == c.what);
                CHECK(e.argument() == "profit");
                CHECK(e.row() == c.row);
                CHECK(e.key() == c.key);
                CHECK(e.column().empty());
                CHECK(e.value() == c.value);
            }
        }
    CHECK(s.others() == 0);
}

TEST_CASE("sort_keys = false: entities numbered by first appearance, in parts as in memory") {
    const scratch s;
    const std::string path = s.write("gen.csv", generate(9, 3000, 400, true, true));
    cm::csv_options unsorted;
    unsorted.sort_keys = false;
    // The summary: customers in the order of their first row.
    const cm::transaction_log log = cm::read_transactions_csv(path, with_cost(), unsorted);
    REQUIRE(log.customer_keys.key_string(0) != log.customer_keys.key_string(1));
    std::ostringstream in_memory;
    cm::output::write_csv(in_memory, cm::summarize(log.view(), {}), log.customer_keys);
    const cm::transaction_log sorted = cm::read_transactions_csv(path, with_cost());
    std::ostringstream sorted_out;
    cm::output::write_csv(sorted_out, cm::summarize(sorted.view(), {}), sorted.customer_keys);
    REQUIRE(in_memory.str() != sorted_out.str()); // so that the order is seen
    for (const std::size_t parts : {1, 3, 64}) {
        CAPTURE(parts);
        const cm::csv_summary r =
            cm::detail::summarize_csv_parts(path, with_cost(), {}, parts, unsorted);
        std::ostringstream out;
        cm::output::write_csv(out, r.summary, r.customer_keys);
        CHECK(out.str() == in_memory.str());
        // Overflowing totals of two products: in memory the first to appear is named (id 0).
        const std::string overflow =
            s.write("overflow.csv", "customer_id,date,amount,product\n"
                                    "a,2020-01-01,1e308,z\nb,2020-01-02,1,b\n"
                                    "c,2020-01-03,1e308,z\nd,2020-01-04,1e308,y\n"
                                    "e,2020-01-05,1e308,y\n");
        const std::string first =
            pareto_in_memory(overflow, axes_of("product", "revenue"), {}, {}, unsorted);
        CHECK(first.find("the total of \"z\" overflows") != std::string::npos);
        CHECK(first.ends_with(" row 0"));
        CHECK(pareto_outcome([&] {
                  return cm::detail::pareto_csv_parts(overflow, axes_of("product", "revenue"), {},
                                                      {}, {}, parts, unsorted);
              }) == first);
        for (const char* by : {"customer", "product"})
            CHECK(pareto_outcome([&] {
                      return cm::detail::pareto_csv_parts(path, axes_of(by, "revenue"), {}, {}, {},
                                                          parts, unsorted);
                  }) == pareto_in_memory(path, axes_of(by, "revenue"), {}, {}, unsorted));
    }
}

namespace {

// RFM scores as `custometrics rfm` writes them: table, left out, text; or the error.
std::string rfm_written(const cm::csv_rfm& c) {
    std::ostringstream out;
    cm::output::write_csv(out, c.rfm, c.summary.summary, c.summary.customer_keys);
    out << "--\n";
    cm::output::write_left_out_csv(out, c.rfm.values.left_out, c.summary.customer_keys,
                                   c.summary.left_out_lines);
    out << "--\n";
    cm::output::write_text(out, c.rfm, cm::profile_rfm_segments(c.rfm, c.summary.summary));
    return out.str();
}

template <class F> std::string rfm_outcome(F&& f) {
    try {
        return rfm_written(f());
    } catch (const cm::error& e) {
        return std::string("error ") + typeid(e).name() + ": " + e.what();
    }
}

// `text` (a generated log) with the key of most rows replaced: the customer by "guest" and the
// product by "hot" on every row but each `spread`-th, so that one part holds most of the file.
std::string with_hot_key(const std::string& text, std::size_t spread) {
    std::istringstream in(text);
    std::string out, line;
    std::getline(in, line);
    out += line + "\n";
    for (std::size_t n = 0; std::getline(in, line); ++n) {
        // Records over two lines and blank lines are kept as they are.
        if (n % spread != 0 && line.starts_with("C") && line.find('"') == std::string::npos) {
            const std::size_t comma = line.find(',');
            line = "guest" + line.substr(comma);
            const std::size_t product = line.rfind(",P");
            if (product != std::string::npos)
                line = line.substr(0, product) + ",hot" + line.substr(line.find(',', product + 1));
        }
        out += line + "\n";
    }
    return out;
}

// The in-memory RFM scores of `path`, as the CLI computed them before `rfm_csv`.
std::string rfm_in_memory(const std::string& path, std::optional<std::int64_t> date,
                          const cm::rfm_options& o = {}) {
    return rfm_outcome([&] {
        const cm::transaction_log log = cm::read_transactions_csv(path, with_cost());
        cm::csv_rfm c;
        c.summary.summary = cm::naming_line(log, path, [&] { return cm::summarize(log.view()); });
        c.summary.customer_keys = log.customer_keys;
        c.rfm = cm::rfm_from_summary(c.summary.summary, date, cm::default_segment_map(), o,
                                     &log.customer_keys);
        return c;
    });
}

// The RFM scores of `path` cut into `parts` parts (`detail::rfm_csv_parts`), written as
// `rfm_in_memory` writes them, or the error.
std::string rfm_in_parts(const std::string& path, std::optional<std::int64_t> date,
                         std::size_t parts, const cm::rfm_options& o = {}) {
    return rfm_outcome([&] {
        return cm::detail::rfm_csv_parts(path, with_cost(), date, cm::default_segment_map(), o,
                                         parts);
    });
}

} // namespace

TEST_CASE("rfm_csv: 1 to 700 parts give the in-memory scores byte for byte") {
    const scratch s;
    for (const bool strings : {false, true}) {
        const std::string path = s.write("gen.csv", generate(strings ? 5 : 6, 4000, 600, strings));
        for (const cm::rfm_ties ties : {cm::rfm_ties::grouped, cm::rfm_ties::first}) {
            cm::rfm_options o;
            o.ties = ties;
            const std::optional<std::int64_t> date = cm::parse_time_or_throw("2021-01-01", "d");
            const std::string expected = rfm_in_memory(path, date, o);
            REQUIRE(expected.starts_with("customer_id,recency"));
            CHECK(rfm_outcome([&] {
                      return cm::rfm_csv(path, with_cost(), date, cm::default_segment_map(), o);
                  }) == expected);
            for (const std::size_t parts : {1, 2, 7, 64, 700}) {
                CAPTURE(strings);
                CAPTURE(parts);
                CHECK(rfm_in_parts(path, date, parts, o) == expected);
            }
        }
        // An analysis date before a last purchase: the same error, whatever the parts.
        const std::optional<std::int64_t> early = cm::parse_time_or_throw("2020-06-01", "d");
        const std::string expected = rfm_outcome(
            [&] { return cm::rfm_csv(path, with_cost(), early, cm::default_segment_map()); });
        CHECK(expected.find("is before the last purchase of customer") != std::string::npos);
        for (const std::size_t parts : {3, 64})
            CHECK(rfm_in_parts(path, early, parts) == expected);
    }
    CHECK(s.others() == 0);
}

TEST_CASE("pareto_csv and rfm_csv: one key holding most rows, in parts as in memory") {
    const scratch s;
    const std::string path =
        s.write("hot.csv", with_hot_key(generate(31, 6000, 500, true, true), 10));
    {
        const cm::transaction_log log = cm::read_transactions_csv(path, with_cost());
        const auto guest = log.customer_keys.find(std::string_view("guest"));
        REQUIRE(guest);
        const auto rows =
            static_cast<std::size_t>(std::count(log.customer.begin(), log.customer.end(), *guest));
        CHECK(rows > log.size() * 2 / 3); // most rows: one part holds them
    }
    const cm::time_window window{cm::parse_time_or_throw("2020-04-01", "start"), {}};
    const cm::time_window before{{}, cm::parse_time_or_throw("2020-03-31", "end")};
    for (const char* by : {"customer", "product", "channel"})
        for (const bool windows : {false, true}) {
            const cm::pareto_axes axes = axes_of(by, "profit");
            const cm::time_window w = windows ? window : cm::time_window{};
            const std::optional<cm::time_window> e = windows ? std::optional(before) : std::nullopt;
            const std::string expected = pareto_in_memory(path, axes, w, e);
            REQUIRE(expected.starts_with("key,value,rank,cum_share,class"));
            for (const std::size_t parts : {1, 2, 7, 64}) {
                CAPTURE(by);
                CAPTURE(windows);
                CAPTURE(parts);
                CHECK(pareto_outcome([&] {
                          return cm::detail::pareto_csv_parts(path, axes, w, e, {}, parts);
                      }) == expected);
            }
        }
    const std::optional<std::int64_t> date = cm::parse_time_or_throw("2021-01-01", "d");
    const std::string expected = rfm_in_memory(path, date);
    REQUIRE(expected.starts_with("customer_id,recency"));
    CHECK(expected.find("\nguest,") != std::string::npos);
    for (const std::size_t parts : {1, 2, 7, 64}) {
        CAPTURE(parts);
        CHECK(rfm_in_parts(path, date, parts) == expected);
    }
    CHECK(s.others() == 0);
}

TEST_CASE("rfm_csv: amounts near the largest number, summarised whole in their part") {
    const scratch s;
    // Customer "big" buys for 1e307 three times (past the folding bound, 2^1020, but no
    // total overflows): its part is summarised whole, the others folded, merged as in memory.
    std::string text = generate(41, 1500, 200, true);
    text += "big,2020-02-01,1e307,0,O1,\nbig,2020-03-01,1e307,0,O2,\nbig,2020-03-02,-1e307,0,O3,\n"
            "big,2020-04-01,1e307,0,O4,\n";
    const std::string path = s.write("near.csv", text);
    const std::optional<std::int64_t> date = cm::parse_time_or_throw("2021-01-01", "d");
    const std::string expected = rfm_in_memory(path, date);
    CHECK(expected.find("\nbig,") != std::string::npos);
    // Revenue 2e307 (three purchases less a return): checked by hand.
    CHECK(expected.find("\nbig,275,3,2e+307,") != std::string::npos);
    // Overflowing totals: the summary's error (revenue of the lowest key, its first row's line).
    const std::string overflow = s.write("overflow.csv", "customer_id,date,amount\n"
                                                         "z,2020-01-01,1e308\nb,2020-01-02,1\n"
                                                         "z,2020-01-03,1e308\nb,2020-01-04,1e308\n"
                                                         "b,2020-01-05,1e308\na,2020-01-06,5\n");
    const std::string expected_error = rfm_in_memory(overflow, date);
    CHECK(expected_error.find("overflow.csv:3: revenue: row 1 (customer \"b\")") !=
          std::string::npos);
    for (const std::size_t parts : {1, 2, 5, 16}) {
        CAPTURE(parts);
        CHECK(rfm_in_parts(path, date, parts) == expected);
        CHECK(rfm_in_parts(overflow, date, parts) == expected_error);
    }
    CHECK(s.others() == 0);
}

TEST_CASE("rfm_csv: a customer's rows out of date order, added in the summary's order") {
    // A Neumaier sum's last bit can depend on the order of its terms (the review's input): A's
    // amounts 2^-99, 2^-99, 128, 2^-46 total 128 + 2^-45 in file order, but 128 in the order
    // `summarize` adds them (by date: 128, 2^-46, 2^-99, 2^-99; the compensation 2^-46 + 2^-99
    // rounds to 2^-46, and 128 + 2^-46 to even). Folded in file order, a part gave
    // 128.00000000000003; A's rows are now added again in the summary's order.
    const scratch s;
    std::string text = "customer_id,date,amount,cost\n"
                       "A,2020-01-03,1.5777218104420236e-30,0\n"
                       "A,2020-01-04,1.5777218104420236e-30,0\n"
                       "A,2020-01-01,128,0\n"
                       "A,2020-01-02,1.4210854715202004e-14,0\n";
    for (int c = 0; c < 40; ++c) // other customers, in order, so that parts hold several
        text += "C" + std::to_string(c) + ",2020-02-0" + std::to_string(1 + c % 9) + "," +
                std::to_string(10 + c) + ",1\n";
    const std::string path = s.write("order.csv", text);
    const std::optional<std::int64_t> date = cm::parse_time_or_throw("2021-01-01", "d");
    const std::string expected = rfm_in_memory(path, date);
    // A: last purchase 2020-01-04, 363 days before 2021-01-01; 4 purchase rows; revenue 128.
    CHECK(expected.find("\nA,363,4,128,") != std::string::npos);
    for (const std::size_t parts : {1, 2, 5}) {
        CAPTURE(parts);
        CHECK(rfm_in_parts(path, date, parts) == expected);
    }
    CHECK(s.others() == 0);
}

namespace {

// The Pareto analysis of the CSV text `csv` with its totals folded while it is read
// (`detail::fold_csv_totals` in chunks of `chunk` bytes on `threads` threads), or "not folded"
// when the fold leaves it to the log; and as `pareto_csv` gives it in memory from the log that
// the parallel reader reads in the same chunks (its row errors named by their file line).
std::string folded(const std::string& csv, const cm::pareto_axes& axes,
                   const cm::time_window& window, const std::optional<cm::time_window>& earlier,
                   std::size_t chunk, unsigned threads) {
    cm::csv_options o;
    o.threads = threads;
    std::optional<cm::detail::folded_totals> f;
    const std::string got = pareto_outcome([&] {
        f = cm::detail::fold_csv_totals(csv, "gen.csv", axes.columns, o,
                                        {axes.by, axes.what, window, earlier}, chunk);
        if (!f) return cm::csv_pareto{};
        return cm::detail::pareto_of_folded(std::move(*f), axes.what, earlier.has_value());
    });
    return f || got.starts_with("error") ? got : "not folded";
}

std::string from_log(const std::string& csv, const cm::pareto_axes& axes,
                     const cm::time_window& window, const std::optional<cm::time_window>& earlier,
                     std::size_t chunk, unsigned threads) {
    cm::csv_options o;
    o.threads = threads;
    return pareto_outcome([&] {
        const cm::transaction_log log =
            cm::detail::read_transactions_csv_parallel(csv, "gen.csv", axes.columns, o, chunk);
        cm::csv_pareto r;
        try {
            r.analysis = cm::pareto_of_log(log, axes.by, axes.what, window, earlier);
        } catch (const cm::detail::log_row_error& e) {
            throw cm::with_line(e, "gen.csv", log.line_of(*e.row()));
        }
        r.keys = cm::dimension_keys(log, axes.by);
        r.rows = log.size();
        return r;
    });
}

// `folded` equals `from_log` for chunk sizes that put boundaries everywhere, on 2 and 3 threads;
// returns how many were folded (the rest left to the log).
int check_fold(const std::string& csv, const cm::pareto_axes& axes,
               const cm::time_window& window = {},
               const std::optional<cm::time_window>& earlier = std::nullopt) {
    int n = 0;
    for (const std::size_t chunk : {7, 61, 400, 0})
        for (const unsigned threads : {2U, 3U}) {
            CAPTURE(chunk);
            CAPTURE(threads);
            const std::string f = folded(csv, axes, window, earlier, chunk, threads);
            if (f == "not folded") continue;
            CHECK(f == from_log(csv, axes, window, earlier, chunk, threads));
            ++n;
        }
    return n;
}

// A log with integer customer and product keys, a cost and a quantity column, blank lines,
// quoted fields, CRLF or LF; `rows` rows, dates in January 2020.
std::string fold_log(std::mt19937& rng, std::size_t rows, bool crlf) {
    const std::string eol = crlf ? "\r\n" : "\n";
    std::uniform_int_distribution<int> pick(0, 99);
    std::string s = "customer_id,date,amount,cost,quantity,product" + eol;
    for (std::size_t r = 0; r < rows; ++r) {
        if (pick(rng) < 5) s += eol;
        const int day = 1 + pick(rng) % 28;
        const std::string date =
            "2020-01-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
        const std::string amount = std::to_string(pick(rng) - 20) + "." + std::to_string(pick(rng));
        s += std::to_string(pick(rng) % 40) + "," + (pick(rng) < 10 ? "\"" + date + "\"" : date) +
             "," + (pick(rng) < 10 ? "\"" + amount + "\"" : amount) + "," +
             std::to_string(pick(rng) % 9) + ".25," + std::to_string(pick(rng) % 5) + "," +
             std::to_string(3 + pick(rng) % 7) + eol;
    }
    return s;
}

} // namespace

TEST_CASE("pareto_csv folded while read: the log's analysis on generated files") {
    std::mt19937 rng(20261208);
    const cm::time_window mid{cm::parse_time_or_throw("2020-01-08", "start"),
                              cm::inclusive_end(cm::parse_time_or_throw("2020-01-20", "end"))};
    const cm::time_window early{{}, cm::inclusive_end(cm::parse_time_or_throw("2020-01-07", "e"))};
    for (const bool crlf : {false, true}) {
        const std::string csv = fold_log(rng, 600, crlf);
        CHECK(check_fold(csv, axes_of("customer", "revenue")) == 8);
        CHECK(check_fold(csv, axes_of("product", "profit"), mid, early) == 8);
        CHECK(check_fold(csv, axes_of("customer", "quantity"), early) == 8);
        // The first of two windows: totals <= 0 left out, keys only outside the window.
        CHECK(check_fold(csv, axes_of("customer", "profit"), mid, mid) == 8);
    }
    // By hand: A (key 3) 50 - 5 = 45, B (key 1) 30; key 7 only outside the window: not ranked.
    const std::string small = "customer_id,date,amount\n3,2020-01-02,50\n\n1,2020-01-03,30\r\n"
                              "3,2020-01-04,-5\n7,2019-12-31,9\n";
    cm::csv_options o;
    o.threads = 2;
    std::optional<cm::detail::folded_totals> f = cm::detail::fold_csv_totals(
        small, "s.csv", axes_of("customer", "revenue").columns, o,
        {cm::dimension::customer, cm::measure::revenue,
         cm::time_window{cm::parse_time_or_throw("2020-01-01", "start"), {}}, std::nullopt},
        5);
    REQUIRE(f);
    CHECK(std::vector<std::int64_t>(f->keys.begin(), f->keys.end()) ==
          std::vector<std::int64_t>{1, 3, 7});
    CHECK(std::vector<double>(f->now_sum.begin(), f->now_sum.end()) ==
          std::vector<double>{30, 45, 0});
    CHECK(std::vector<std::int64_t>(f->now_rows.begin(), f->now_rows.end()) ==
          std::vector<std::int64_t>{1, 2, 0});
    CHECK(f->rows == 4);
}

TEST_CASE("pareto_csv folded while read: the log's first error, or left to the log") {
    const std::string head = "customer_id,date,amount,cost,product\n";
    std::string rows;
    for (int r = 0; r < 60; ++r)
        rows += std::to_string(r % 7) + ",2020-01-" + std::to_string(10 + r % 9) + "," +
                std::to_string(r) + ".5,1," + std::to_string(r % 4) + "\n";
    const auto at = [&](int line, const std::string& record) { // a record put before data line
        std::string s = rows;
        std::size_t p = 0;
        for (int i = 1; i < line; ++i)
            p = s.find('\n', p) + 1;
        return head + s.substr(0, p) + record + "\n" + s.substr(p);
    };
    const cm::time_window late{cm::parse_time_or_throw("2020-01-15", "start"), {}};
    const cm::time_window early{{}, cm::inclusive_end(cm::parse_time_or_throw("2020-01-12", "e"))};
    // A bad date: the reader's error, whichever chunk holds it.
    CHECK(check_fold(at(41, "3,2020-13-01,1,1,2"), axes_of("customer", "revenue")) == 8);
    CHECK(folded(at(41, "3,2020-13-01,1,1,2"), axes_of("customer", "revenue"), {}, {}, 61, 2)
              .starts_with("error"));
    // Profits that overflow, in one window or the other, and a total that overflows.
    const std::string profits =
        at(50, "5,2020-01-16,-1e308,1e308,1") + "4,2020-01-11,1e308,-1e308,2\n";
    for (const auto& [w, e] : {std::pair<cm::time_window, std::optional<cm::time_window>>{{}, {}},
                               {late, std::nullopt},
                               {late, early},
                               {cm::time_window{{}, early.end}, late}})
        CHECK(check_fold(profits, axes_of("product", "profit"), w, e) == 8);
    CHECK(folded(profits, axes_of("product", "profit"), {}, {}, 0, 2).starts_with("error"));
    const std::string total = at(20, "2,2020-01-11,1e308,0,1") + "2,2020-01-12,1e308,0,1\n";
    CHECK(check_fold(total, axes_of("customer", "revenue")) == 8);
    CHECK(check_fold(total, axes_of("customer", "profit"), late, early) == 8);
    // A string customer key: folded by product (its error names the key), not by customer.
    const std::string named = at(55, "\"x,\"\"7\",2020-01-16,-1e308,1e308,1");
    CHECK(check_fold(named, axes_of("product", "profit")) == 8);
    CHECK(folded(named, axes_of("product", "profit"), {}, {}, 0, 2).find("customer \"x,\"7\"") !=
          std::string::npos);
    CHECK(check_fold(named, axes_of("customer", "revenue")) == 0);
    // Keys the table does not take: negative, beyond 4 slots a line, or "07".
    for (const char* key : {"-1", "100000", "07"})
        CHECK(check_fold(at(30, std::string(key) + ",2020-01-11,1,1,1"),
                         axes_of("customer", "revenue")) == 0);
    // A quote inside an unquoted field misleads the chunks' parity (a chunk guessed to start in
    // a quoted line break, as in test_csv_parallel.cpp): left to the log.
    std::string quote = head;
    for (int r = 0; r < 40; ++r)
        quote += std::to_string(r % 7) + ",2020-01-11," + std::to_string(r) + ",1," +
                 (r % 6 == 2 ? "ab\"c" : "\"q\nq\"") + "\n";
    CHECK(check_fold(quote, axes_of("customer", "revenue")) < 8);
    // Reversed window, missing column, no data row: the log's errors.
    const cm::time_window reversed{cm::parse_time_or_throw("2020-02-01", "s"),
                                   cm::parse_time_or_throw("2020-01-01", "e")};
    CHECK(check_fold(head + rows, axes_of("customer", "revenue"), reversed) == 0);
    CHECK(check_fold(head + rows, axes_of("channel", "revenue")) == 0);
    CHECK(check_fold(head, axes_of("customer", "revenue")) == 0);
}

TEST_CASE("pareto_csv(path) folded while read: blocks of 64 bytes on 3 threads, as on one") {
    // `pareto_csv(path)` folds a file of more than one block on more than one thread: with
    // blocks of 64 bytes, these small files take the fold's path (checked), and each result
    // and error equals the one-thread run's (the serial reader and the log).
    const scratch s;
    std::mt19937 rng(20261209);
    const std::string csv = fold_log(rng, 600, false);
    const std::string good = s.write("fold.csv", csv);
    // Line 4 (after a header and two data lines) a profit that overflows: 1e308 - -1e308.
    const std::size_t third = csv.find('\n', csv.find('\n', csv.find('\n') + 1) + 1) + 1;
    const std::string bad = s.write(
        "bad.csv", csv.substr(0, third) + "7,2020-01-15,1e308,-1e308,1,3\n" + csv.substr(third));
    // A string key near the end: the fold gives up, the log is read.
    const std::string named = s.write("named.csv", csv + "x7,2020-01-15,5,1,1,3\n");
    cm::csv_options many;
    many.threads = 3;
    many.block_size = 64;
    cm::csv_options one;
    one.threads = 1;
    const cm::time_window mid{cm::parse_time_or_throw("2020-01-08", "start"),
                              cm::inclusive_end(cm::parse_time_or_throw("2020-01-20", "end"))};
    const cm::time_window early{{}, cm::inclusive_end(cm::parse_time_or_throw("2020-01-07", "e"))};
    const cm::pareto_axes by_customer = axes_of("customer", "revenue");
    CHECK(cm::detail::fold_csv_totals(good, by_customer.columns, many,
                                      {cm::dimension::customer, cm::measure::revenue, {}, {}}));
    CHECK_FALSE(cm::detail::fold_csv_totals(named, by_customer.columns, many,
                                            {cm::dimension::customer, cm::measure::revenue, {}, {}}));
    CHECK_FALSE(cm::detail::fold_csv_totals(good, by_customer.columns, one,
                                            {cm::dimension::customer, cm::measure::revenue, {}, {}}));
    for (const std::string& path : {good, bad, named})
        for (const auto& [by, what] : {std::pair{"customer", "revenue"}, {"customer", "profit"},
                                       {"product", "profit"}, {"customer", "quantity"}})
            for (const bool windows : {false, true}) {
                CAPTURE(path);
                CAPTURE(by);
                CAPTURE(what);
                CAPTURE(windows);
                const cm::pareto_axes axes = axes_of(by, what);
                const cm::time_window w = windows ? mid : cm::time_window{};
                const std::optional<cm::time_window> e =
                    windows ? std::optional(early) : std::nullopt;
                const std::string expected = pareto_outcome(
                    [&] { return cm::pareto_csv(path, axes, w, e, {}, 0, one); });
                CHECK(pareto_outcome([&] { return cm::pareto_csv(path, axes, w, e, {}, 0, many); }) ==
                      expected);
                const bool overflows = path == bad && std::string(what) == "profit";
                CHECK(expected.starts_with("error") == overflows);
                if (overflows) // named by its file line, the fourth
                    CHECK(expected.find("bad.csv:4: profit: row 2") != std::string::npos);
            }
    CHECK(s.others() == 0);
}

TEST_CASE("fold_csv_totals: keys past what the tables may take within the log's memory") {
    // 70,000 lines: keys below 4 * lines are dense enough, but the tables of 16 threads with an
    // earlier window (32 + 32 bytes a key and thread) may index keys below
    // 64 MiB / (16 * 64) = 65,536 only; on 2 threads 524,288, and the dense bound, keys below
    // about 4 * 70,000 lines, is the one reached.
    REQUIRE(cm::detail::fold_memory_floor / (16 * 64) == 65536);
    REQUIRE(cm::detail::fold_memory_per_line * 70001 < cm::detail::fold_memory_floor);
    std::string csv = "customer_id,date,amount\n";
    for (int r = 0; r < 70000; ++r)
        csv += std::to_string(r % 1000) + ",2020-01-0" + std::to_string(1 + r % 9) + ",1.5\n";
    const cm::pareto_axes axes = axes_of("customer", "revenue");
    const cm::detail::totals_fold_spec spec{
        cm::dimension::customer, cm::measure::revenue,
        cm::time_window{cm::parse_time_or_throw("2020-01-05", "start"), {}},
        cm::time_window{{}, cm::inclusive_end(cm::parse_time_or_throw("2020-01-04", "end"))}};
    const auto folds = [&](std::int64_t key, unsigned threads) {
        cm::csv_options o;
        o.threads = threads;
        const auto f = cm::detail::fold_csv_totals(
            csv + std::to_string(key) + ",2020-01-05,2\n", "keys.csv", axes.columns, o, spec, 4096);
        if (f) { // every key, tallied here: keys 0..999 (70 rows each) and `key` (its row: 2)
            REQUIRE(f->keys.size() == 1001);
            std::vector<double> sum(1000, 0.0);
            std::vector<std::int64_t> rows(1000, 0);
            for (int r = 0; r < 70000; ++r)
                if (1 + r % 9 >= 5) { // on or after 2020-01-05: in the window
                    sum[static_cast<std::size_t>(r % 1000)] += 1.5;
                    ++rows[static_cast<std::size_t>(r % 1000)];
                }
            for (std::size_t k = 0; k < 1000; ++k) {
                CAPTURE(k);
                CHECK(f->keys[k] == static_cast<std::int64_t>(k));
                CHECK(f->now_sum[k] == sum[k]);
                CHECK(f->now_rows[k] == rows[k]);
            }
            CHECK(f->keys[1000] == key);
            CHECK(f->now_sum[1000] == 2);
            CHECK(f->now_rows[1000] == 1);
            CHECK(f->before_rows[1000] == 0);
        }
        return f.has_value();
    };
    CHECK(folds(65535, 16));
    CHECK_FALSE(folds(65536, 16));
    CHECK(folds(65536, 2));
    CHECK(folds(280000, 2));
    CHECK_FALSE(folds(300000, 2));
}
