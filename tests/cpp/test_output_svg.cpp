// Tests of output/svg.hpp: round ticks worked by hand, escaping, and the marks a chart draws
// (counted, as the browser test counts them in the page).
#include <custometrics/error.hpp>
#include <custometrics/output/svg.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace custometrics;

namespace {

std::size_t occurrences(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("nice_ticks: 1, 2 or 5 times a power of ten covering the range") {
    // 0..97 in about 5 ticks: range 97 -> nice 100, step 100 / 4 = 25 -> rounded to 20.
    CHECK(output::nice_ticks(0, 97, 5) == std::vector<double>{0, 20, 40, 60, 80, 100});
    // 0..1 in 6 ticks: step 1 / 5 = 0.2.
    const std::vector<double> t = output::nice_ticks(0, 1, 6);
    REQUIRE(t.size() == 6);
    CHECK(t[1] == doctest::Approx(0.2));
    CHECK(t.back() == doctest::Approx(1.0));
    // Negative values: -230..480 -> span 710 -> nice 1000, step 200: -400 .. 600.
    CHECK(output::nice_ticks(-230, 480, 6) == std::vector<double>{-400, -200, 0, 200, 400, 600});
    // A single value widens to include zero.
    CHECK(output::nice_ticks(5, 5, 5).front() == 0.0);
    CHECK(output::nice_ticks(5, 5, 5).back() >= 5.0);
}

TEST_CASE("xml_escape") {
    CHECK(output::xml_escape("A&B <c> \"d\" 'e'") == "A&amp;B &lt;c&gt; &quot;d&quot; &#39;e&#39;");
    // Control characters XML forbids become U+FFFD; tab, line feed and carriage return stay.
    CHECK(output::xml_escape("a\x01"
                             "b\x7f\tc\n") == "a\xEF\xBF\xBD"
                                              "b\xEF\xBF\xBD\tc\n");
}

TEST_CASE("render_svg: lines, marks, bars and the cumulative line") {
    output::chart c;
    c.title = "Revenue <by> customer";
    c.x_label = "share of customers";
    c.y_label = "share of revenue";
    c.x_format = c.y_format = output::axis_format::percent;
    c.lines.push_back({"customers", {0, 0.2, 1}, {0, 0.8, 1}, false});
    c.lines.push_back({"equality", {0, 1}, {0, 1}, true});
    c.marks.push_back({0.2, 0.8, "20% make 80%"});
    const std::string svg = output::render_svg(c, output::formatter{});
    CHECK(svg.rfind("<svg ", 0) == 0);
    CHECK(svg.substr(svg.size() - 6) == "</svg>");
    CHECK(occurrences(svg, "class=\"line\"") == 2);
    CHECK(occurrences(svg, "class=\"mark\"") == 1);
    CHECK(svg.find("<title>Revenue &lt;by&gt; customer</title>") != std::string::npos);
    CHECK(svg.find(">100%</text>") != std::string::npos); // percent ticks
    CHECK(svg.find("stroke-dasharray") != std::string::npos);
    CHECK(svg.find("http://www.w3.org/2000/svg") != std::string::npos);
    CHECK(svg.find("href") == std::string::npos); // nothing to fetch

    output::chart b;
    b.title = "Pareto chart";
    b.bar_labels = {"A", "B", "C"};
    b.bar_values = {50, 30, 20};
    b.bar_cumulative = {0.5, 0.8, 1.0};
    const std::string bars = output::render_svg(b, output::formatter{});
    CHECK(occurrences(bars, "class=\"bar\"") == 3);
    CHECK(occurrences(bars, "class=\"line\"") == 1);
    CHECK(bars.find("cumulative share (right axis)") != std::string::npos);
    // The cumulative axis: 0, 25, ..., 100 percent, the sign after a space in German (the
    // formatter's `percent_sign`, as its `pct` writes "12,3 %").
    CHECK(bars.find(">25%</text>") != std::string::npos);
    const std::string balken = output::render_svg(
        b, output::formatter({{}, output::language::de, output::number_locale::de}));
    CHECK(balken.find(">25 %</text>") != std::string::npos);
    CHECK(balken.find(">25%</text>") == std::string::npos);

    output::chart bad;
    bad.lines.push_back({"x", {0, 1}, {0}, false});
    CHECK_THROWS_AS((void)output::render_svg(bad, output::formatter{}), invalid_argument);
}

TEST_CASE("render_svg: long category labels turn, and are cut between characters") {
    output::chart c;
    c.bar_labels = {"A", "B"};
    c.bar_values = {1, 2};
    CHECK(output::render_svg(c, output::formatter{}).find("rotate(-35)") ==
          std::string::npos); // short: upright
    // 11 labels of up to 18 characters: 108 units each, in bands of (640 - 92) / 11 = 49.8.
    c.bar_labels = {"Champions",
                    "Can't Lose Them",
                    "At Risk",
                    "Loyal Customers",
                    "New",
                    "Promising",
                    "Need",
                    "About To Sleep",
                    "Potential",
                    "Lost",
                    "Überläufer Überläufer"};
    c.bar_values.assign(11, 1.0);
    const std::string svg = output::render_svg(c, output::formatter{});
    CHECK(occurrences(svg, "rotate(-35)") == 11);
    // "Überläufer Überläufer" (21 characters, 25 bytes) cut to 18 characters (22 bytes):
    // "Überläufer " (11) and "Überläu" (7).
    CHECK(svg.find(">Überläufer Überläu</text>") != std::string::npos);
}

TEST_CASE("render_svg: date axis ticks are dates") {
    output::chart c;
    c.title = "Cumulative revenue";
    c.x_format = output::axis_format::date;
    c.lines.push_back(
        {"revenue", {1577836800.0, 1609459200.0}, {0, 1000}, false}); // 2020-01-01, 2021-01-01
    const std::string svg = output::render_svg(c, output::formatter{});
    CHECK(svg.find(">2020-") != std::string::npos);
}
