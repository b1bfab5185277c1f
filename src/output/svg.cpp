// Inline SVG charts (custometrics/output/svg.hpp).
#include "custometrics/output/svg.hpp"

#include "custometrics/date.hpp"
#include "custometrics/error.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/output/strings.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

// Category labels are cut to this many characters.
constexpr std::size_t max_label_chars = 18;

// Characters (code points) of UTF-8 text.
std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (const char ch : text)
        n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

// The first `chars` characters of UTF-8 text, never cutting one in two.
std::string utf8_prefix(std::string_view text, std::size_t chars) {
    std::size_t i = 0;
    for (std::size_t n = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && n++ == chars) break;
    }
    return std::string(text.substr(0, i));
}

// Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
// colour blindness.
constexpr std::array<const char*, 7> palette = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                "#56B4E9", "#D55E00", "#000000"};

// A number of the drawing (coordinates): one decimal is finer than a pixel.
std::string c1(double v) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.1f", v);
    return buf.data();
}

// "Nice" number near x (Heckbert, Graphics Gems, 1990): 1, 2, 5 or 10 times a power of ten,
// rounded when `round`, else the next one up.
double nice(double x, bool round) {
    const double e = std::floor(std::log10(x));
    const double f = x / std::pow(10.0, e);
    double n;
    if (round)
        n = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    else
        n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return n * std::pow(10.0, e);
}

// Decimals needed to tell ticks `step` apart.
int decimals_for(double step) {
    if (!(step > 0)) return 0;
    return std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
}

std::string tick_text(double v, double step, axis_format f, const formatter& fm) {
    switch (f) {
    case axis_format::percent:
        return fm.grouped(100.0 * v, decimals_for(100.0 * step)) + std::string(fm.percent_sign());
    case axis_format::date:
        return format_date(static_cast<std::int64_t>(std::llround(v)));
    case axis_format::number:
        break;
    }
    return fm.grouped(v, decimals_for(step));
}

// Ticks of an axis; dates at whole days.
std::vector<double> ticks_for(double lo, double hi, axis_format f, int target) {
    if (f != axis_format::date) return nice_ticks(lo, hi, target);
    // Dates: the first days of every k-th month inside [lo, hi], k in 1, 2, 3, 6, 12, 24, ...
    // so that at most `target` ticks show; the axis spans the data, not round numbers.
    const auto civil = [](double v) {
        return civil_from_days(static_cast<std::int64_t>(std::floor(v / 86400.0)));
    };
    const civil_date a = civil(lo), b = civil(hi);
    const std::int64_t months = (b.year - a.year) * 12 + b.month - a.month + 1;
    std::int64_t k = 1;
    for (const std::int64_t step : {1, 2, 3, 6, 12}) {
        k = step;
        if (months / step <= target) break;
    }
    while (months / k > target)
        k *= 2;
    std::vector<double> t;
    std::int64_t y = a.year;
    unsigned m = a.month;
    for (std::int64_t i = 0; i <= months; ++i) {
        const double at = static_cast<double>(days_from_civil(y, m, 1) * seconds_per_day);
        if (at >= lo && at <= hi && (y * 12 + m - 1) % k == 0) t.push_back(at);
        if (++m > 12) {
            m = 1;
            ++y;
        }
    }
    if (t.empty()) t = {lo, hi};
    return t;
}

struct range {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    void operator()(double v) {
        if (!std::isfinite(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    bool empty() const { return lo > hi; }
};

} // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) return {0.0, 1.0};
    if (lo > hi) std::swap(lo, hi);
    if (lo == hi) {
        lo = std::min(lo, 0.0);
        hi = std::max(hi, lo + 1.0);
        if (lo == hi) hi = lo + 1.0;
    }
    const double span = nice(hi - lo, false);
    const double step = nice(span / std::max(1, target - 1), true);
    const double first = std::floor(lo / step) * step;
    const double last = std::ceil(hi / step) * step;
    std::vector<double> t;
    for (double v = first; v <= last + 0.5 * step; v += step)
        t.push_back(std::abs(v) < 1e-12 * step ? 0.0 : v);
    return t;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
                c == '\x7f')
                out += "\xEF\xBF\xBD"; // U+FFFD: XML 1.0 has no way to write these
            else
                out += c;
        }
    }
    return out;
}

std::string render_svg(const chart& c, const formatter& fm) {
    for (const chart_line& l : c.lines)
        if (l.x.size() != l.y.size())
            throw invalid_argument("chart", "line \"" + l.name + "\": x and y differ in length");
    if (c.bar_labels.size() != c.bar_values.size() ||
        (!c.bar_cumulative.empty() && c.bar_cumulative.size() != c.bar_values.size()))
        throw invalid_argument("chart", "bar labels, values and cumulative differ in length");
    const bool bars = !c.bar_values.empty();
    const bool cumulative = bars && !c.bar_cumulative.empty();

    const double W = c.width, H = c.height;
    // Category labels that do not fit their band side by side (about 6 units a character at
    // font size 10) are turned by 35 degrees, with room for them below the axis.
    std::size_t longest = 0;
    for (const std::string& l : c.bar_labels)
        longest = std::max(longest, std::min(utf8_length(l), max_label_chars));
    const double band_estimate = (W - 72 - (cumulative ? 52 : 20)) /
                                 static_cast<double>(std::max<std::size_t>(1, c.bar_labels.size()));
    const bool turned = bars && 6.0 * static_cast<double>(longest) > band_estimate;
    const double left = 72, right = cumulative ? 52 : 20, top = 44,
                 bottom = turned ? 56 + 3.5 * static_cast<double>(longest) : 56;
    const double pw = W - left - right, ph = H - top - bottom;

    range xr, yr;
    for (const chart_line& l : c.lines) {
        for (std::size_t i = 0; i < l.x.size(); ++i) {
            if (!std::isfinite(l.x[i]) || !std::isfinite(l.y[i])) continue;
            xr(l.x[i]);
            yr(l.y[i]);
        }
    }
    for (const chart_mark& m : c.marks) {
        xr(m.x);
        yr(m.y);
    }
    for (const chart_bubble& b : c.bubbles) {
        if (!std::isfinite(b.x) || !std::isfinite(b.y)) continue;
        xr(b.x);
        yr(b.y);
    }
    for (const double v : c.bar_values)
        yr(v);
    if (yr.empty()) yr = {0.0, 1.0};
    yr(0.0);
    if (c.y_min) yr.lo = *c.y_min;
    if (c.y_max) yr.hi = *c.y_max;
    const std::vector<double> yt = ticks_for(yr.lo, yr.hi, c.y_format, 6);
    const double y0 = c.y_min ? *c.y_min : yt.front();
    const double y1 = c.y_max ? *c.y_max : yt.back();
    std::vector<double> xt;
    double x0 = 0, x1 = 1;
    if (!bars) {
        if (xr.empty()) xr = {0.0, 1.0};
        if (c.x_min) xr.lo = *c.x_min;
        if (c.x_max) xr.hi = *c.x_max;
        xt = ticks_for(xr.lo, xr.hi, c.x_format, 6);
        x0 = c.x_min ? *c.x_min : c.x_format == axis_format::date ? xr.lo : xt.front();
        x1 = c.x_max                           ? *c.x_max
             : c.x_format == axis_format::date ? std::max(xr.hi, xr.lo + 1.0)
                                               : xt.back();
    }
    const auto X = [&](double v) { return left + (v - x0) / (x1 - x0) * pw; };
    const auto Y = [&](double v) { return top + ph - (v - y0) / (y1 - y0) * ph; };

    std::ostringstream s;
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << c1(W) << ' ' << c1(H)
      << "\" width=\"100%\" role=\"img\" class=\"chart\" font-family=\"sans-serif\" "
         "font-size=\"12\"><title>"
      << xml_escape(c.title) << "</title>\n";
    s << "<text x=\"" << c1(left) << "\" y=\"20\" font-size=\"15\" font-weight=\"bold\">"
      << xml_escape(c.title) << "</text>\n";
    // Grid and y ticks.
    const double ystep = yt.size() > 1 ? yt[1] - yt[0] : 1.0;
    for (const double v : yt) {
        if (v < y0 - 1e-9 * ystep || v > y1 + 1e-9 * ystep) continue;
        s << "<line x1=\"" << c1(left) << "\" x2=\"" << c1(left + pw) << "\" y1=\"" << c1(Y(v))
          << "\" y2=\"" << c1(Y(v)) << "\" stroke=\"#ddd\"/>"
          << "<text x=\"" << c1(left - 6) << "\" y=\"" << c1(Y(v) + 4) << "\" text-anchor=\"end\">"
          << xml_escape(tick_text(v, ystep, c.y_format, fm)) << "</text>\n";
    }
    // X ticks (lines) or category labels (bars).
    if (!bars) {
        const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1.0;
        for (const double v : xt) {
            // A label near the right edge ends at its tick, so that it stays on the chart.
            const bool edge = X(v) > left + pw - 30;
            s << "<text x=\"" << c1(X(v)) << "\" y=\"" << c1(top + ph + 18) << "\" text-anchor=\""
              << (edge ? "end" : "middle") << "\">"
              << xml_escape(tick_text(v, xstep, c.x_format, fm)) << "</text>\n";
        }
    }
    s << "<rect x=\"" << c1(left) << "\" y=\"" << c1(top) << "\" width=\"" << c1(pw)
      << "\" height=\"" << c1(ph) << "\" fill=\"none\" stroke=\"#888\"/>\n";
    s << "<text x=\"" << c1(left + pw / 2) << "\" y=\"" << c1(H - 10)
      << "\" text-anchor=\"middle\">" << xml_escape(c.x_label) << "</text>\n";
    s << "<text transform=\"translate(16 " << c1(top + ph / 2)
      << ") rotate(-90)\" text-anchor=\"middle\">" << xml_escape(c.y_label) << "</text>\n";

    if (bars) {
        const std::size_t n = c.bar_values.size();
        const double band = pw / static_cast<double>(n);
        const double bw = std::max(1.0, band * 0.8);
        for (std::size_t i = 0; i < n; ++i) {
            const double v = std::isfinite(c.bar_values[i]) ? c.bar_values[i] : 0.0;
            const double ya = Y(std::max(v, 0.0)), yb = Y(std::min(v, 0.0));
            s << "<rect class=\"bar\" x=\""
              << c1(left + band * static_cast<double>(i) + (band - bw) / 2) << "\" y=\"" << c1(ya)
              << "\" width=\"" << c1(bw) << "\" height=\"" << c1(std::max(yb - ya, 0.5))
              << "\" fill=\"" << palette[0] << "\"><title>" << xml_escape(c.bar_labels[i]) << ": "
              << xml_escape(tick_text(v, 0.01, c.y_format, fm)) << "</title></rect>\n";
            const double lx = left + band * (static_cast<double>(i) + 0.5);
            if (n <= 24 && turned)
                s << "<text transform=\"translate(" << c1(lx + 3) << ' ' << c1(top + ph + 12)
                  << ") rotate(-35)\" text-anchor=\"end\" font-size=\"10\">"
                  << xml_escape(utf8_prefix(c.bar_labels[i], max_label_chars)) << "</text>\n";
            else if (n <= 24)
                s << "<text x=\"" << c1(lx) << "\" y=\"" << c1(top + ph + 16)
                  << "\" text-anchor=\"middle\" font-size=\"10\">"
                  << xml_escape(utf8_prefix(c.bar_labels[i], max_label_chars)) << "</text>\n";
        }
        if (cumulative) {
            s << "<polyline class=\"line\" fill=\"none\" stroke=\"" << palette[1]
              << "\" stroke-width=\"2\" points=\"";
            for (std::size_t i = 0; i < n; ++i)
                s << c1(left + band * (static_cast<double>(i) + 0.5)) << ','
                  << c1(top + ph - c.bar_cumulative[i] * ph) << ' ';
            s << "\"/>\n";
            for (int k = 0; k <= 4; ++k) {
                const double v = 0.25 * k;
                s << "<text x=\"" << c1(left + pw + 6) << "\" y=\"" << c1(top + ph - v * ph + 4)
                  << "\" fill=\"" << palette[1] << "\">" << k * 25 << fm.percent_sign()
                  << "</text>\n";
            }
        }
    }
    for (std::size_t k = 0; k < c.lines.size(); ++k) {
        const chart_line& l = c.lines[k];
        const char* colour = palette[(k + (cumulative ? 2 : 0)) % palette.size()];
        s << "<polyline class=\"line\" fill=\"none\" stroke=\"" << (l.dashed ? "#888" : colour)
          << "\" stroke-width=\"2\"" << (l.dashed ? " stroke-dasharray=\"5 4\"" : "")
          << " points=\"";
        for (std::size_t i = 0; i < l.x.size(); ++i)
            if (std::isfinite(l.x[i]) && std::isfinite(l.y[i]))
                s << c1(X(l.x[i])) << ',' << c1(Y(l.y[i])) << ' ';
        s << "\"><title>" << xml_escape(l.name) << "</title></polyline>\n";
    }
    // Bubbles: area proportional to size, the largest first so that small ones stay visible.
    double largest = 0.0;
    for (const chart_bubble& b : c.bubbles)
        if (std::isfinite(b.size)) largest = std::max(largest, b.size);
    std::vector<std::size_t> order(c.bubbles.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    const auto size_of = [&](std::size_t i) {
        const double v = c.bubbles[i].size;
        return std::isfinite(v) && v > 0.0 ? v : 0.0;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return size_of(a) > size_of(b); });
    for (const std::size_t i : order) {
        const chart_bubble& b = c.bubbles[i];
        if (!std::isfinite(b.x) || !std::isfinite(b.y)) continue;
        const bool filled = size_of(i) > 0.0 && largest > 0.0;
        const double r =
            filled ? std::max(2.0, c.bubble_radius * std::sqrt(size_of(i) / largest)) : 3.0;
        s << "<circle class=\"bubble\" cx=\"" << c1(X(b.x)) << "\" cy=\"" << c1(Y(b.y)) << "\" r=\""
          << c1(r) << "\" fill=\"" << (filled ? palette[0] : "none")
          << "\" fill-opacity=\"0.55\" stroke=\"" << palette[0] << "\"><title>"
          << xml_escape(b.label) << "</title></circle>";
        s << "<text x=\"" << c1(X(b.x)) << "\" y=\"" << c1(Y(b.y) - r - 3)
          << "\" text-anchor=\"middle\" font-size=\"10\">"
          << xml_escape(utf8_prefix(b.label, max_label_chars)) << "</text>\n";
    }
    for (const chart_mark& m : c.marks) {
        if (!std::isfinite(m.x) || !std::isfinite(m.y)) continue;
        s << "<circle class=\"mark\" cx=\"" << c1(X(m.x)) << "\" cy=\"" << c1(Y(m.y))
          << "\" r=\"4\" fill=\"#000\"/>";
        // A label in the right third of the plot is written to the left of its point.
        const bool leftwards = X(m.x) > left + pw * 2 / 3;
        s << "<text x=\"" << c1(X(m.x) + (leftwards ? -7 : 7)) << "\" y=\"" << c1(Y(m.y) - 7)
          << (leftwards ? "\" text-anchor=\"end\">" : "\">") << xml_escape(m.label) << "</text>\n";
    }
    // Legend: one entry per named line (and the bars with their cumulative line).
    double lx = left + 8, ly = top + 16;
    const auto legend = [&](const char* colour, const std::string& name, bool dashed) {
        s << "<line x1=\"" << c1(lx) << "\" x2=\"" << c1(lx + 18) << "\" y1=\"" << c1(ly - 4)
          << "\" y2=\"" << c1(ly - 4) << "\" stroke=\"" << colour << "\" stroke-width=\"3\""
          << (dashed ? " stroke-dasharray=\"5 4\"" : "") << "/><text x=\"" << c1(lx + 24)
          << "\" y=\"" << c1(ly) << "\">" << xml_escape(name) << "</text>\n";
        ly += 16;
    };
    if (cumulative) legend(palette[1], fm.tr("cumulative share (right axis)"), false);
    if (c.lines.size() > 1 || cumulative)
        for (std::size_t k = 0; k < c.lines.size(); ++k)
            if (!c.lines[k].name.empty())
                legend(c.lines[k].dashed ? "#888"
                                         : palette[(k + (cumulative ? 2 : 0)) % palette.size()],
                       c.lines[k].name, c.lines[k].dashed);
    s << "</svg>";
    return s.str();
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
