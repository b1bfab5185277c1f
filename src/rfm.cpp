// RFM: segment maps (check, lookup table, CSV files), values from a summary, and the whole
// scoring and segmentation (see custometrics/rfm.hpp for the definitions).
#include "custometrics/rfm.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

CUSTOMETRICS_BEGIN_NAMESPACE

rfm_ties parse_rfm_ties(std::string_view text, std::string_view argument) {
    if (text == "grouped") return rfm_ties::grouped;
    if (text == "first") return rfm_ties::first;
    throw invalid_argument(argument,
                           "expected 'grouped' or 'first', got '" + std::string(text) + "'",
                           std::string(text));
}

rfm_fm parse_rfm_fm(std::string_view text, std::string_view argument) {
    if (text == "separate") return rfm_fm::separate;
    if (text == "combined") return rfm_fm::combined;
    throw invalid_argument(argument,
                           "expected 'separate' or 'combined', got '" + std::string(text) + "'",
                           std::string(text));
}

namespace {

constexpr std::size_t max_rules = std::numeric_limits<std::uint16_t>::max() - 1;

std::string rule_label(std::size_t i, const segment_rule& rule) {
    return "rule " + std::to_string(i + 1) + " (\"" + rule.name + "\")";
}

std::string cell_text(const rfm_cell& c) {
    return "(" + std::to_string(c.r) + ", " + std::to_string(c.f) + ", " + std::to_string(c.m) +
           ")";
}

constexpr std::array<const char*, 7> map_columns{"segment", "r_min", "r_max", "f_min",
                                                 "f_max",   "m_min", "m_max"};

void check_rules(const std::vector<segment_rule>& rules, unsigned bins) {
    detail::check_bins(bins);
    if (rules.empty()) throw invalid_argument("segment_map", "has no rule");
    if (rules.size() > max_rules)
        throw invalid_argument("segment_map", "has " + std::to_string(rules.size()) +
                                                  " rules, at most " + std::to_string(max_rules) +
                                                  " are allowed");
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const segment_rule& r = rules[i];
        (void)segment_rule_of(r.name, {r.r.lo, r.r.hi, r.f.lo, r.f.hi, r.m.lo, r.m.hi}, bins, i);
    }
}

// Intersection of two ranges; empty when lo > hi.
score_range intersect(const score_range& a, const score_range& b) {
    return {std::max(a.lo, b.lo), std::min(a.hi, b.hi)};
}

std::size_t width(const score_range& a) {
    return a.lo > a.hi ? 0 : a.hi - a.lo + 1;
}

// The first-match rule of every cell (rules.size() for none), index ((r-1) b + f-1) b + m-1.
std::vector<std::uint16_t> cell_rules(const std::vector<segment_rule>& rules, unsigned bins) {
    const auto none = static_cast<std::uint16_t>(rules.size());
    std::vector<std::uint16_t> cell(std::size_t{bins} * bins * bins, none);
    for (std::size_t i = rules.size(); i-- > 0;) { // later rules first, earlier ones overwrite
        const segment_rule& rule = rules[i];
        for (unsigned r = rule.r.lo; r <= rule.r.hi; ++r)
            for (unsigned f = rule.f.lo; f <= rule.f.hi; ++f)
                for (unsigned m = rule.m.lo; m <= rule.m.hi; ++m)
                    cell[((std::size_t{r} - 1) * bins + (f - 1)) * bins + (m - 1)] =
                        static_cast<std::uint16_t>(i);
    }
    return cell;
}

segment_map_report report_of(const std::vector<segment_rule>& rules, unsigned bins,
                             const std::vector<std::uint16_t>& cell) {
    segment_map_report rep;
    rep.cells = cell.size();
    rep.cells_won.assign(rules.size(), 0);
    std::size_t i = 0;
    for (unsigned r = 1; r <= bins; ++r)
        for (unsigned f = 1; f <= bins; ++f)
            for (unsigned m = 1; m <= bins; ++m, ++i) {
                if (cell[i] < rules.size()) {
                    ++rep.cells_won[cell[i]];
                } else {
                    ++rep.uncovered_count;
                    if (rep.uncovered.size() < segment_map_report::max_listed)
                        rep.uncovered.push_back({r, f, m});
                }
            }
    for (std::size_t a = 0; a < rules.size(); ++a)
        for (std::size_t b = a + 1; b < rules.size(); ++b) {
            const score_range r = intersect(rules[a].r, rules[b].r);
            const score_range f = intersect(rules[a].f, rules[b].f);
            const score_range m = intersect(rules[a].m, rules[b].m);
            const std::size_t cells = width(r) * width(f) * width(m);
            if (cells > 0) rep.overlaps.push_back({a, b, cells, {r.lo, f.lo, m.lo}});
        }
    if (rep.uncovered_count > 0) {
        std::string w = "segment_map: " + std::to_string(rep.uncovered_count) + " of " +
                        std::to_string(rep.cells) + " cells are covered by no rule (\"" +
                        std::string(unclassified_segment) + "\"), first " +
                        cell_text(rep.uncovered.front());
        rep.warnings.push_back(std::move(w));
    }
    for (std::size_t k = 0; k < rules.size(); ++k) {
        if (rep.cells_won[k] > 0) continue;
        rep.shadowed.push_back(k);
        // Name the earlier rule that takes the rule's first cell.
        const segment_rule& rule = rules[k];
        const std::size_t by =
            cell[((std::size_t{rule.r.lo} - 1) * bins + (rule.f.lo - 1)) * bins + (rule.m.lo - 1)];
        rep.warnings.push_back("segment_map: " + rule_label(k, rule) +
                               " never fires: earlier rules take all its cells, e.g. " +
                               rule_label(by, rules[by]) + " takes " +
                               cell_text({rule.r.lo, rule.f.lo, rule.m.lo}));
    }
    return rep;
}

// Splits one CSV line into trimmed fields; a double-quoted field may hold commas and "".
// Returns false (with `bad` set to the field index) for an unterminated quote.
bool split_csv(std::string_view line, std::vector<std::string>& fields, std::size_t& bad) {
    fields.clear();
    std::size_t i = 0;
    const auto trim = [](std::string s) {
        const auto b = s.find_first_not_of(" \t");
        const auto e = s.find_last_not_of(" \t");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    while (true) {
        std::string field;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i < line.size() && line[i] == '"') {
            ++i;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                field += line[i++];
            }
            if (!closed) {
                bad = fields.size();
                return false;
            }
            while (i < line.size() && line[i] != ',')
                ++i; // text after the closing quote is ignored up to the comma
        } else {
            while (i < line.size() && line[i] != ',')
                field += line[i++];
            field = trim(std::move(field));
        }
        fields.push_back(std::move(field));
        if (i >= line.size()) return true;
        ++i; // the comma
    }
}

} // namespace

std::optional<segment_rule_problem>
find_segment_rule_problem(std::string_view name, const std::array<std::int64_t, 6>& bounds,
                          unsigned bins) {
    if (name.empty()) return segment_rule_problem{"segment", "", "empty segment name"};
    if (name == unclassified_segment)
        return segment_rule_problem{"segment", std::string(name),
                                    "reserved for cells no rule covers"};
    for (std::size_t k = 0; k < bounds.size(); ++k) {
        const std::string value = std::to_string(bounds[k]);
        if (bounds[k] < 1 || bounds[k] > std::int64_t{bins})
            return segment_rule_problem{map_columns[k + 1], value,
                                        "outside the scores 1.." + std::to_string(bins)};
        if (k % 2 == 1 && bounds[k - 1] > bounds[k])
            return segment_rule_problem{map_columns[k + 1], value,
                                        std::string("below ") + map_columns[k] + " " +
                                            std::to_string(bounds[k - 1])};
    }
    return std::nullopt;
}

segment_rule segment_rule_of(std::string name, const std::array<std::int64_t, 6>& bounds,
                             unsigned bins, std::size_t index) {
    detail::check_bins(bins);
    if (const auto p = find_segment_rule_problem(name, bounds, bins)) {
        const std::string label = "segment_map: rule " + std::to_string(index + 1) +
                                  (name.empty() ? "" : " (\"" + detail::excerpt(name) + "\")");
        throw data_error(
            label + ": column \"" + p->column + "\": " + p->reason +
                (p->value.empty() ? "" : " (value \"" + detail::excerpt(p->value) + "\")"),
            error_context{"segment_map", index, name, p->column, p->value});
    }
    const auto u = [&](std::size_t k) { return static_cast<unsigned>(bounds[k]); };
    return {std::move(name), {u(0), u(1)}, {u(2), u(3)}, {u(4), u(5)}};
}

segment_map_report check_segment_rules(const std::vector<segment_rule>& rules, unsigned bins) {
    check_rules(rules, bins);
    return report_of(rules, bins, cell_rules(rules, bins));
}

segment_map::segment_map(std::vector<segment_rule> rules, unsigned bins)
    : m_rules(std::move(rules)), m_bins(bins) {
    check_rules(m_rules, bins);
    m_cell_rule = cell_rules(m_rules, bins);
    m_report = report_of(m_rules, bins, m_cell_rule);
    for (const segment_rule& rule : m_rules) {
        const auto it = std::find(m_segments.begin(), m_segments.end(), rule.name);
        m_rule_segment.push_back(static_cast<std::uint16_t>(it - m_segments.begin()));
        if (it == m_segments.end()) m_segments.push_back(rule.name);
    }
    m_segments.emplace_back(unclassified_segment);
    m_cell_segment.resize(m_cell_rule.size());
    for (std::size_t c = 0; c < m_cell_rule.size(); ++c)
        m_cell_segment[c] =
            m_cell_rule[c] < m_rules.size() ? m_rule_segment[m_cell_rule[c]] : unclassified();
}

std::vector<segment_rule> default_segment_rules() {
    return {
        {"Champions", {4, 5}, {4, 5}, {4, 5}},
        {"Can't Lose Them", {1, 1}, {4, 5}, {4, 5}},
        {"At Risk", {1, 2}, {2, 5}, {2, 5}},
        {"Loyal Customers", {2, 5}, {3, 5}, {3, 5}},
        {"New Customers", {4, 5}, {1, 1}, {1, 1}},
        {"Promising", {3, 4}, {1, 1}, {1, 1}},
        {"Need Attention", {2, 3}, {2, 3}, {2, 3}},
        {"About To Sleep", {2, 3}, {1, 2}, {1, 2}},
        {"Potential Loyalist", {3, 5}, {1, 3}, {1, 3}},
        {"Lost", {1, 2}, {1, 2}, {1, 2}},
        {"Hibernating", {1, 2}, {1, 3}, {1, 3}},
    };
}

const segment_map& default_segment_map() {
    static const segment_map map(default_segment_rules(), 5);
    return map;
}

segment_map parse_segment_map(std::string_view text, unsigned bins, const std::string& source) {
    detail::check_bins(bins);
    std::vector<segment_rule> rules;
    std::vector<std::string> fields;
    std::size_t line_no = 0;
    bool header = false;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos || line[first] == '#') continue;
        std::size_t bad = 0;
        if (!split_csv(line, fields, bad))
            throw parse_error(source, line_no,
                              bad < map_columns.size() ? map_columns[bad]
                                                       : "field " + std::to_string(bad + 1),
                              std::string(line), "unterminated quote");
        if (!header) {
            for (std::size_t k = 0; k < map_columns.size(); ++k)
                if (k >= fields.size() || fields[k] != map_columns[k])
                    throw parse_error(source, line_no, map_columns[k],
                                      k < fields.size() ? fields[k] : std::string(),
                                      "bad header: expected "
                                      "segment,r_min,r_max,f_min,f_max,m_min,m_max");
            if (fields.size() > map_columns.size())
                throw parse_error(source, line_no,
                                  "field " + std::to_string(map_columns.size() + 1),
                                  fields[map_columns.size()], "bad header: too many columns");
            header = true;
            continue;
        }
        if (fields.size() < map_columns.size())
            throw parse_error(source, line_no, map_columns[fields.size()], "", "missing field");
        if (fields.size() > map_columns.size())
            throw parse_error(source, line_no, "field " + std::to_string(map_columns.size() + 1),
                              fields[map_columns.size()], "too many fields");
        std::array<std::int64_t, 6> v{};
        for (std::size_t k = 1; k < map_columns.size(); ++k) {
            const std::string& f = fields[k];
            unsigned x = 0;
            const auto res = std::from_chars(f.data(), f.data() + f.size(), x);
            if (f.empty() || res.ec != std::errc() || res.ptr != f.data() + f.size())
                throw parse_error(source, line_no, map_columns[k], f, "not a whole number");
            v[k - 1] = x;
        }
        // The one rule check (with Python's rules and segment_map), named by file and line.
        if (const auto p = find_segment_rule_problem(fields[0], v, bins))
            throw parse_error(source, line_no, p->column, p->value, p->reason);
        rules.push_back(segment_rule_of(fields[0], v, bins, rules.size()));
    }
    if (!header) throw parse_error(source, line_no, "segment", "", "no header line");
    if (rules.empty()) throw parse_error(source, line_no, "segment", "", "no rule");
    return segment_map(std::move(rules), bins);
}

segment_map read_segment_map(const std::string& path, unsigned bins) {
    if (path == "-") return parse_segment_map(read_side_text(std::cin, "<stdin>"), bins, "<stdin>");
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        throw invalid_argument(
            "map", "cannot open \"" + path + "\"" +
                       (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
    }
    return parse_segment_map(read_side_text(in, path), bins, path);
}

rfm_values rfm_values_from(const customer_summary& summary,
                           std::optional<std::int64_t> analysis_date, const key_index* keys) {
    const std::size_t n = summary.size();
    rfm_values v;
    std::int64_t last_day = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < n; ++i)
        if (summary.last_purchase[i] != no_time)
            last_day = std::max(last_day, day_of(summary.last_purchase[i]));
    const std::int64_t day = analysis_date ? day_of(*analysis_date)
                             : n == 0 || last_day == std::numeric_limits<std::int64_t>::min()
                                 ? day_of(summary.observation_end) + 1
                                 : last_day + 1;
    v.analysis_date = day * seconds_per_day;
    v.customers_left_out = summary.customers_without_purchase.size();
    v.left_out = summary.left_out;
    v.customer.assign(summary.customer.begin(), summary.customer.end());
    v.recency.resize(n);
    v.frequency.resize(n);
    v.monetary.resize(n);
    // The customer of position i for a message: its key, else "at position i".
    auto customer = [&](std::size_t i) {
        return keys != nullptr ? keys->key_string(summary.customer[i]) : std::string();
    };
    auto named = [&](std::size_t i) {
        return keys != nullptr ? customer(i) : "at position " + std::to_string(i);
    };
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t last = summary.last_purchase[i];
        if (last == no_time)
            throw data_error("last_purchase: customer " + named(i) + ": has no purchase row",
                             {"last_purchase", i, customer(i), {}, {}});
        const std::int64_t rec = day - day_of(last);
        if (rec < 0)
            throw data_error("analysis_date: " + format_date(v.analysis_date) +
                                 " is before the last purchase of customer " + named(i) + " (" +
                                 format_date(last) + ")",
                             {"analysis_date", i, customer(i), {}, format_date(v.analysis_date)});
        v.recency[i] = static_cast<double>(rec);
        v.frequency[i] = static_cast<double>(summary.orders[i]);
        v.monetary[i] = summary.revenue[i];
    }
    return v;
}

std::vector<std::string> fm_map_warnings(const segment_map& map) {
    const unsigned bins = map.bins();
    const std::size_t rules = map.rules().size();
    std::vector<std::size_t> won(rules, 0);
    std::size_t uncovered = 0;
    std::optional<std::pair<unsigned, unsigned>> first;
    for (unsigned r = 1; r <= bins; ++r)
        for (unsigned x = 1; x <= bins; ++x) {
            const std::size_t k = map.rule_of(r, x, x);
            if (k < rules) {
                ++won[k];
            } else {
                ++uncovered;
                if (!first) first.emplace(r, x);
            }
        }
    std::vector<std::string> w;
    if (uncovered > 0)
        w.push_back("segment_map: " + std::to_string(uncovered) + " of " +
                    std::to_string(std::size_t{bins} * bins) +
                    " (R, FM) cells are covered by no rule (\"" +
                    std::string(unclassified_segment) + "\"), first (" +
                    std::to_string(first->first) + ", " + std::to_string(first->second) + ")");
    for (std::size_t k = 0; k < rules; ++k)
        if (won[k] == 0)
            w.push_back("segment_map: " + rule_label(k, map.rules()[k]) +
                        " never fires on combined FM: earlier rules take all its (R, FM) cells, "
                        "or its F and M ranges do not meet");
    return w;
}

std::vector<std::string> rfm_result::warnings() const {
    std::vector<std::string> w;
    for (const rfm_bins* b : {&recency_bins, &frequency_bins, &monetary_bins})
        w.insert(w.end(), b->warnings.begin(), b->warnings.end());
    w.insert(w.end(), map_warnings.begin(), map_warnings.end());
    return w;
}

rfm_result rfm(std::span<const double> recency, std::span<const double> frequency,
               std::span<const double> monetary, const segment_map& map,
               const rfm_options& options) {
    detail::check_bins(options.bins);
    if (map.bins() != options.bins)
        throw invalid_argument("map", "built for " + std::to_string(map.bins()) +
                                          " bins, the scores have " + std::to_string(options.bins));
    const std::size_t n = recency.size();
    if (frequency.size() != n)
        throw invalid_argument("frequency", "has " + std::to_string(frequency.size()) +
                                                " customers, recency has " + std::to_string(n));
    if (monetary.size() != n)
        throw invalid_argument("monetary", "has " + std::to_string(monetary.size()) +
                                               " customers, recency has " + std::to_string(n));
    detail::check_values(recency, "recency", true, "a purchase after the analysis date");
    detail::check_values(frequency, "frequency", true, "a count cannot be negative");
    detail::check_values(monetary, "monetary", false, "");

    rfm_result out;
    out.options = options;
    out.segment_names = map.segments();
    out.segment_count.assign(out.segment_names.size(), 0);
    const bool combined = options.fm == rfm_fm::combined;
    out.map_warnings = combined ? fm_map_warnings(map) : map.report().warnings;
    quantile_scores r =
        score_quantiles(recency, options.bins, options.ties, true, "recency", options.threads);
    quantile_scores f =
        score_quantiles(frequency, options.bins, options.ties, false, "frequency", options.threads);
    quantile_scores m =
        score_quantiles(monetary, options.bins, options.ties, false, "monetary", options.threads);
    out.recency_bins = std::move(r.bins);
    out.frequency_bins = std::move(f.bins);
    out.monetary_bins = std::move(m.bins);
    if (n == 0) {
        out.reason = "no customers";
        return out;
    }
    out.defined = true;
    out.r_score = std::move(r.score);
    out.f_score = std::move(f.score);
    out.m_score = std::move(m.score);
    out.cell.resize(n);
    out.segment.resize(n);
    const std::uint32_t base = options.bins <= 9 ? 10 : 1000;
    const std::uint8_t* rs = out.r_score.data();
    const std::uint8_t* fs = out.f_score.data();
    const std::uint8_t* ms = out.m_score.data();
    std::size_t* count = out.segment_count.data();
    for (std::size_t i = 0; i < n; ++i) {
        out.cell[i] = (rs[i] * base + fs[i]) * base + ms[i];
        const unsigned fm = (fs[i] + ms[i] + 1U) / 2U; // ceil((f + m) / 2)
        const std::uint16_t s =
            combined ? map.segment_of(rs[i], fm, fm) : map.segment_of(rs[i], fs[i], ms[i]);
        out.segment[i] = s;
        ++count[s];
    }
    out.unclassified = out.segment_count.back();
    return out;
}

rfm_result rfm(std::span<const double> recency, std::span<const double> frequency,
               std::span<const double> monetary, const rfm_options& options) {
    detail::check_bins(options.bins);
    if (options.bins != 5)
        throw invalid_argument(
            "bins", "the default segment map is for 5 bins, got " + std::to_string(options.bins) +
                        "; pass a segment_map built for " + std::to_string(options.bins));
    return rfm(recency, frequency, monetary, default_segment_map(), options);
}

rfm_result rfm_from_summary(const customer_summary& summary,
                            std::optional<std::int64_t> analysis_date, const segment_map& map,
                            const rfm_options& options, const key_index* keys) {
    rfm_values v = rfm_values_from(summary, analysis_date, keys);
    rfm_result out = rfm(v.recency, v.frequency, v.monetary, map, options);
    out.values = std::move(v);
    return out;
}

rfm_result rfm_from_summary(const customer_summary& summary,
                            std::optional<std::int64_t> analysis_date, const rfm_options& options) {
    detail::check_bins(options.bins);
    if (options.bins != 5)
        throw invalid_argument(
            "bins", "the default segment map is for 5 bins, got " + std::to_string(options.bins) +
                        "; pass a segment_map built for " + std::to_string(options.bins));
    return rfm_from_summary(summary, analysis_date, default_segment_map(), options);
}

CUSTOMETRICS_END_NAMESPACE
