// Criteria, weights, pairwise and assignment files, and the attractiveness analysis of a
// criteria table (see custometrics/criteria_table.hpp).
#include "custometrics/criteria_table.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace {

// The header and the rows of a table as one list (the header as row 0), with line numbers: the
// weights file's header is optional, so its first line may be data.
struct lines {
    std::vector<const std::vector<std::string>*> rows;
    std::vector<std::size_t> line_no;
    explicit lines(const csv_table& t) {
        rows.push_back(&t.header);
        line_no.push_back(t.header_line);
        for (std::size_t r = 0; r < t.size(); ++r) {
            rows.push_back(&t.rows[r]);
            line_no.push_back(t.line[r]);
        }
    }
};

// `text` read by `parse`, a parse_error with `reason` at (line, column) when it is not a word of
// the parser.
template <class Parse>
auto word(Parse parse, const std::string& text, const csv_table& t, std::size_t line,
          const std::string& column, const char* reason) {
    try {
        return parse(text);
    } catch (const invalid_argument&) {
        throw parse_error(t.source, line, column, text, reason);
    }
}

std::size_t criterion_index(std::span<const criterion> crit, const std::string& name,
                            const std::string& source, std::size_t line) {
    for (std::size_t j = 0; j < crit.size(); ++j)
        if (crit[j].name == name) return j;
    std::string have;
    for (const auto& c : crit)
        have += (have.empty() ? "" : ", ") + c.name;
    throw parse_error(source, line, "criterion", name,
                      "not an attractiveness criterion (they are: " + have + ")");
}

} // namespace

std::optional<std::size_t> criteria_table::find(std::string_view name) const noexcept {
    for (std::size_t j = 0; j < criteria.size(); ++j)
        if (criteria[j].name == name) return j;
    return std::nullopt;
}

criteria_axis criteria_table::axis(bool on_strength) const {
    criteria_axis a;
    for (std::size_t j = 0; j < criteria.size(); ++j)
        if (strength[j] == on_strength) a.columns.push_back(j);
    a.raw.resize(raw.rows(), static_cast<Eigen::Index>(a.columns.size()));
    for (std::size_t k = 0; k < a.columns.size(); ++k) {
        a.criteria.push_back(criteria[a.columns[k]]);
        a.weight.push_back(weight[a.columns[k]]);
        a.raw.col(static_cast<Eigen::Index>(k)) = raw.col(static_cast<Eigen::Index>(a.columns[k]));
    }
    return a;
}

criteria_table read_criteria_table(const csv_table& in) {
    const std::string& path = in.source;
    const auto& header = in.header;
    if (header.size() < 2 || header[0] != "segment")
        throw parse_error(path, in.header_line, header[0], header[0],
                          "the header must be `segment,CRITERION,...` with at least one criterion");
    const std::size_t c = header.size() - 1;
    criteria_table t;
    t.criteria.resize(c);
    t.strength.assign(c, false);
    t.weight.assign(c, 1.0);
    std::set<std::string> seen;
    for (std::size_t j = 0; j < c; ++j) {
        if (header[j + 1].empty() || !seen.insert(header[j + 1]).second)
            throw parse_error(path, in.header_line, header[j + 1], header[j + 1],
                              "criterion names must be non-empty and distinct");
        t.criteria[j].name = header[j + 1];
    }
    std::vector<std::vector<double>> rows;
    std::map<std::string, std::size_t> segment_line; // segment -> line it was first given on
    for (std::size_t r = 0; r < in.size(); ++r) {
        const auto& f = in.rows[r];
        const std::size_t line = in.line[r];
        const std::string& name = f[0];
        const bool meta =
            name == "direction" || name == "normalisation" || name == "axis" || name == "weight";
        if (meta && !rows.empty())
            throw parse_error(path, line, "segment", name,
                              "describe the criteria before the first segment");
        for (std::size_t j = 0; j < c && meta; ++j) {
            const std::string& v = f[j + 1];
            const std::string& col = header[j + 1];
            if (name == "direction") {
                t.criteria[j].dir = word([](const std::string& s) { return parse_direction(s); }, v,
                                         in, line, col, "direction must be more or less");
            } else if (name == "normalisation") {
                t.criteria[j].norm =
                    word([](const std::string& s) { return parse_normalisation(s); }, v, in, line,
                         col, "normalisation must be min_max, z_score or rank");
            } else if (name == "axis") {
                if (v != "attractiveness" && v != "strength")
                    throw parse_error(path, line, col, v,
                                      "axis must be attractiveness or strength");
                t.strength[j] = v == "strength";
            } else {
                t.weight[j] = parse_number_field(v, path, line, col);
            }
        }
        if (meta) continue;
        if (name.empty()) throw parse_error(path, line, "segment", name, "empty segment name");
        if (const auto [at, fresh] = segment_line.emplace(name, line); !fresh)
            throw parse_error(path, line, "segment", name,
                              "the segment appears twice (first on line " +
                                  std::to_string(at->second) + ")");
        t.segments.push_back(name);
        std::vector<double> x(c);
        for (std::size_t j = 0; j < c; ++j)
            x[j] = parse_number_field(f[j + 1], path, line, header[j + 1]);
        rows.push_back(std::move(x));
    }
    if (rows.empty())
        throw parse_error(path, in.size() == 0 ? in.header_line : in.line.back(), "segment", "",
                          "no segment rows");
    t.raw.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(c));
    for (std::size_t s = 0; s < rows.size(); ++s)
        for (std::size_t j = 0; j < c; ++j)
            t.raw(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(j)) = rows[s][j];
    return t;
}

std::vector<double> read_criterion_weights(const csv_table& table,
                                           std::span<const criterion> crit) {
    const lines in(table);
    const std::string& path = table.source;
    std::vector<double> w(crit.size(), 0.0);
    std::vector<bool> given(crit.size(), false);
    const auto& head = *in.rows[0];
    const std::size_t first = head.size() == 2 && head[0] == "criterion" ? 1 : 0;
    for (std::size_t r = first; r < in.rows.size(); ++r) {
        const auto& f = *in.rows[r];
        if (f.size() != 2)
            throw parse_error(path, in.line_no[r], "", "", "expected `criterion,weight`");
        const std::size_t j = criterion_index(crit, f[0], path, in.line_no[r]);
        if (given[j]) throw parse_error(path, in.line_no[r], "criterion", f[0], "given twice");
        given[j] = true;
        w[j] = parse_number_field(f[1], path, in.line_no[r], "weight");
    }
    for (std::size_t j = 0; j < crit.size(); ++j)
        if (!given[j])
            throw parse_error(path, in.line_no.back(), "criterion", crit[j].name,
                              "no weight for this criterion");
    return w;
}

Eigen::MatrixXd read_pairwise_matrix(const csv_table& in, std::span<const criterion> crit) {
    const std::string& path = in.source;
    const auto& header = in.header;
    const std::size_t n = crit.size();
    if (header.size() != n + 1 || header[0] != "criterion")
        throw parse_error(path, in.header_line, header[0], header[0],
                          "the header must be `criterion,` and the " + std::to_string(n) +
                              " attractiveness criteria");
    std::vector<std::size_t> col(n);
    for (std::size_t j = 0; j < n; ++j)
        col[j] = criterion_index(crit, header[j + 1], path, in.header_line);
    if (std::set<std::size_t>(col.begin(), col.end()).size() != n)
        throw parse_error(path, in.header_line, "criterion", "", "a criterion appears twice");
    if (in.size() != n)
        throw parse_error(path, in.size() == 0 ? in.header_line : in.line.back(), "", "",
                          std::to_string(in.size()) + " rows for " + std::to_string(n) +
                              " criteria");
    Eigen::MatrixXd a(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    for (std::size_t r = 0; r < n; ++r) {
        const auto& f = in.rows[r];
        if (f[0] != header[r + 1])
            throw parse_error(path, in.line[r], "criterion", f[0],
                              "rows must follow the order of the header (expected " +
                                  header[r + 1] + ")");
        for (std::size_t j = 0; j < n; ++j)
            a(static_cast<Eigen::Index>(col[r]), static_cast<Eigen::Index>(col[j])) =
                parse_number_field(f[j + 1], path, in.line[r], header[j + 1]);
    }
    return a;
}

std::vector<std::size_t> segment_assignments::rows_in(std::span<const std::string> names) const {
    const std::set<std::string> chosen(names.begin(), names.end());
    std::vector<std::size_t> out;
    for (std::size_t r = 0; r < segment.size(); ++r)
        if (chosen.count(segment[r]) != 0) out.push_back(r);
    return out;
}

segment_assignments read_segment_assignments(const csv_table& in) {
    const auto id_col = in.find_column("customer_id");
    auto seg_col = in.find_column("segment");
    segment_assignments a;
    a.segment_column = "segment";
    if (!seg_col) {
        seg_col = in.find_column("cluster");
        a.segment_column = "cluster";
    }
    if (!id_col || !seg_col)
        throw parse_error(in.source, in.header_line, "", "",
                          "needs the columns customer_id and segment (or cluster)");
    a.customer.reserve(in.size());
    a.segment.reserve(in.size());
    for (const auto& row : in.rows) {
        a.customer.push_back(row[*id_col]);
        a.segment.push_back(row[*seg_col]);
    }
    return a;
}

criterion_threshold parse_criterion_bound(std::string_view spec, const criteria_table& table,
                                          bool lower, std::string_view argument,
                                          std::string_view table_argument) {
    const std::string head = std::string(argument) + " " + std::string(spec) + ": ";
    const std::size_t eq = spec.find('=');
    const auto j = table.find(spec.substr(0, std::min(eq, spec.size())));
    if (eq == std::string_view::npos || !j)
        throw invalid_argument(head + "expected NAME=VALUE with NAME a criterion of " +
                               std::string(table_argument));
    const std::string_view text = spec.substr(eq + 1);
    double x = 0.0;
    // fast_float: std::from_chars for doubles is missing from libc++ before 17.
    const auto res = fast_float::from_chars(text.data(), text.data() + text.size(), x);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() ||
        !std::isfinite(x))
        throw invalid_argument(head + "\"" + detail::excerpt(text) + "\" is not a finite number");
    criterion_threshold c;
    c.criterion = *j;
    (lower ? c.min : c.max) = x;
    return c;
}

std::vector<std::string> attractiveness_analysis::target_names() const {
    std::vector<std::string> out;
    for (const std::size_t s : targets)
        out.push_back(segments[s]);
    return out;
}

namespace {

/// The attractiveness axis of `t`; `invalid_argument` naming `argument` when every criterion is
/// on the strength axis.
criteria_axis attractiveness_axis(const criteria_table& t, std::string_view argument) {
    criteria_axis a = t.axis(false);
    if (a.criteria.empty())
        throw invalid_argument(argument, "no attractiveness criterion (every axis is strength)");
    return a;
}

} // namespace

attractiveness_analysis analyse_attractiveness(const criteria_table& t,
                                               const attractiveness_options& o) {
    const criteria_axis a = attractiveness_axis(t, "criteria");
    const criteria_axis st = t.axis(true);
    attractiveness_analysis r;
    r.segments = t.segments;
    r.criteria = a.criteria;
    std::vector<double> weights = o.weights.value_or(a.weight);
    if (weights.size() != a.criteria.size())
        throw invalid_argument("weights", std::to_string(weights.size()) + " weights for " +
                                              std::to_string(a.criteria.size()) + " criteria");
    if (o.pairwise) {
        r.ahp = ahp(*o.pairwise, a.criteria, o.ahp);
        weights = r.ahp->weights;
    }
    r.scores = score_segments(a.raw, a.criteria, weights);
    r.sensitivity = weight_sensitivities(r.scores);
    if (!st.criteria.empty()) {
        r.strength = score_segments(st.raw, st.criteria, st.weight);
        r.matrix = attractiveness_matrix(r.scores.score, r.strength->score, o.cuts);
    }
    const target_rules& rules = o.rules;
    if (!rules.zones.empty() && !r.matrix)
        throw invalid_argument("zones", "needs strength criteria (an `axis` row)");
    r.selected = rules.min_score || rules.max_rank || !rules.zones.empty() ||
                 rules.min_attractiveness || rules.min_strength || !rules.criteria.empty();
    r.targets = select_targets(r.scores, rules, t.raw, r.matrix ? &*r.matrix : nullptr);
    return r;
}

attractiveness_analysis analyse_attractiveness_files(const attractiveness_inputs& in,
                                                     attractiveness_options o,
                                                     const attractiveness_input_names& names) {
    const criteria_table t = read_criteria_table(read_csv_table(in.criteria, names.criteria));
    const std::vector<criterion> crit = attractiveness_axis(t, names.criteria).criteria;
    if (!in.weights.empty())
        o.weights = read_criterion_weights(read_csv_table(in.weights, names.weights), crit);
    if (!in.pairwise.empty())
        o.pairwise = read_pairwise_matrix(read_csv_table(in.pairwise, names.pairwise), crit);
    for (const auto& z : in.zones)
        o.rules.zones.push_back(parse_strategy_zone(z, names.zone));
    if (!o.rules.zones.empty() && t.axis(true).criteria.empty())
        throw invalid_argument(names.zone,
                               "needs strength criteria (an `axis` row in " + names.criteria + ")");
    for (const bool lower : {true, false})
        for (const auto& b : lower ? in.at_least : in.at_most)
            o.rules.criteria.push_back(parse_criterion_bound(
                b, t, lower, lower ? names.at_least : names.at_most, names.criteria));
    try {
        return analyse_attractiveness(t, o);
    } catch (const inconsistent_judgments& e) {
        throw invalid_argument(names.pairwise, "consistency ratio " +
                                                   detail::format_number(e.consistency_ratio()) +
                                                   " is above 0.1; revise the judgments or pass " +
                                                   names.accept_inconsistent);
    }
}

CUSTOMETRICS_END_NAMESPACE
