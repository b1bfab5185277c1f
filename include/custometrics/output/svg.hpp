// Charts as self-contained inline SVG for the HTML report (no script, no font or network
// request): line charts (Pareto, Lorenz and whale curves, the break-even chart) and bar charts
// with an optional cumulative line. The palette is Okabe-Ito (safe for colour-blind readers,
// never red against green); every chart has a title, labelled axes with round tick values, and
// scales with the page (viewBox, width 100%).
//
//     output::chart c;
//     c.title = "Pareto curve of revenue by customer";
//     c.x_label = "share of customers";
//     c.y_label = "share of revenue";
//     c.x_format = c.y_format = output::axis_format::percent;
//     c.lines.push_back({"customers", curve.x, curve.y});
//     c.marks.push_back({0.2, 0.8, "20% / 80%"});
//     std::string svg = output::render_svg(c, r.format); // "<svg ...>...</svg>"
//
// The formatter is always passed (the report's `sales_report::format`, or `formatter{}` for the
// plain English style), so no chart can fall back to English numbers inside a German page.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/output/format.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// How the tick labels of an axis are written.
enum class axis_format {
    number,  ///< 1,250 / 0.5 (as few decimals as the ticks need)
    percent, ///< 0.25 -> "25%"
    date     ///< seconds since the epoch -> "2020-03-01"
};

/// One line of a chart: points (x[i], y[i]), drawn in the order given.
struct chart_line {
    std::string name;      ///< legend text
    std::vector<double> x; ///< same length as y
    std::vector<double> y;
    bool dashed = false; ///< a reference line (e.g. the diagonal of equality)
};

/// A labelled point drawn on the chart (a break-even point, the 80% mark).
struct chart_mark {
    double x = 0.0;
    double y = 0.0;
    std::string label;
};

/// A bubble of a bubble chart (the attractiveness/strength matrix): a circle at (x, y) whose
/// area is proportional to `size` (the largest bubble of the chart gets `chart::bubble_radius`;
/// a size of 0 or less, or not finite, is drawn as a small hollow circle), labelled `label`.
struct chart_bubble {
    double x = 0.0;
    double y = 0.0;
    double size = 0.0;
    std::string label;
};

/// A chart: lines and/or bars (one bar per category, in order, with an optional cumulative
/// share line on a second 0-100% axis at the right: the Pareto chart of the article).
struct chart {
    std::string title;
    std::string x_label;
    std::string y_label;
    axis_format x_format = axis_format::number;
    axis_format y_format = axis_format::number;
    std::vector<chart_line> lines;
    std::vector<chart_mark> marks;
    std::vector<std::string> bar_labels; ///< bars: category names (x axis)
    std::vector<double> bar_values;      ///< bars: heights, same length as bar_labels
    std::vector<double> bar_cumulative;  ///< optional: cumulative share (0..1) per bar
    std::vector<chart_bubble> bubbles;   ///< bubbles (with lines, not with bars)
    double bubble_radius = 30.0;         ///< radius of the largest bubble, drawing units
    std::optional<double> x_min;         ///< x axis range of a line/bubble chart; default data
    std::optional<double> x_max;
    std::optional<double> y_min; ///< axis range; default from the data (and 0)
    std::optional<double> y_max;
    double width = 640.0;  ///< drawing units of the viewBox
    double height = 360.0; ///< drawing units of the viewBox
};

/// Round tick values covering [lo, hi]: about `target` ticks at 1, 2 or 5 times a power of
/// ten (Heckbert's "nice numbers"). Example: nice_ticks(0, 97, 5) == {0, 20, 40, 60, 80, 100}.
/// A degenerate range (lo == hi) widens to include 0 and one unit.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

/// `text` escaped for XML/HTML text and attribute values (& < > " '), with the control
/// characters XML 1.0 forbids (bytes below 0x20 other than tab, line feed and carriage return,
/// and DEL) replaced by U+FFFD, so that a customer key with any bytes keeps the page and its
/// SVG well formed. Example: xml_escape("a<b\x01") == "a&lt;b\uFFFD" (as UTF-8).
std::string xml_escape(std::string_view text);

/// The chart as one `<svg>` element. Lines with non-finite points skip those points; a chart
/// without data draws its frame and title only. Throws `invalid_argument` ("chart") when a
/// line's x and y, or the bar labels and values, differ in length. Tick labels and the
/// legend follow `fm` (German: "1.250", "25 %"; dates stay ISO); there is no default, so a
/// caller cannot forget the report's style.
std::string render_svg(const chart& c, const formatter& fm);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
