// The `custometrics rfm`, `segments` and `attractiveness` subcommands and the RFM section of
// `custometrics report` (see segments_cli.hpp).
#include "segments_cli.hpp"

#include "command.hpp"

#include "format.hpp"
#include "output.hpp"

#include "custometrics/attractiveness.hpp"
#include "custometrics/clustering.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/segments.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <sstream>

namespace custometrics::cli {
namespace {

template <class T>
void optional_field(detail::json_writer& w, const char* name, const std::optional<T>& v) {
    w.key(name);
    if (v)
        w.value(*v);
    else
        w.null();
}

customer_summary summary_of(const transaction_log& log) {
    summary_options so;
    so.unit = time_unit::days;
    return summarize(log.view(), so);
}

std::optional<std::int64_t> analysis_date_of(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return parse_time_or_throw(text, "--analysis-date");
}

// The profiles as a JSON array of objects.
void profiles_json(detail::json_writer& w, const segment_profiles& p) {
    w.begin_array();
    for (const segment_profile& s : p.segments) {
        w.begin_object().field("segment", s.name);
        w.field("customers", static_cast<std::uint64_t>(s.customers));
        optional_field(w, "customer_share", s.customer_share);
        w.field("revenue", s.revenue);
        optional_field(w, "revenue_share", s.revenue_share);
        if (p.profit) {
            optional_field(w, "profit", s.profit);
            optional_field(w, "profit_share", s.profit_share);
        }
        optional_field(w, "mean_recency", s.mean_recency);
        optional_field(w, "mean_frequency", s.mean_frequency);
        optional_field(w, "mean_monetary", s.mean_monetary);
        optional_field(w, "repeat_rate", s.repeat_rate);
        if (p.profit) optional_field(w, "margin", s.margin);
        w.end_object();
    }
    w.end_array();
}

// The profiles as a text table (non-empty segments only).
void profiles_text(std::ostream& out, const segment_profiles& p, const char* indent) {
    char line[200];
    std::snprintf(line, sizeof line, "%s%-20s %10s %8s %9s %9s %9s %12s\n", indent, "segment",
                  "customers", "share", "revenue", "recency", "frequency", "monetary");
    out << line;
    for (const segment_profile& s : p.segments) {
        if (s.customers == 0) continue;
        std::snprintf(line, sizeof line, "%s%-20s %10s %8s %9s %9s %9s %12s\n", indent,
                      s.name.c_str(), count(s.customers).c_str(),
                      pct(s.customer_share.value_or(0)).c_str(),
                      s.revenue_share ? pct(*s.revenue_share).c_str() : "n/a",
                      num(*s.mean_recency, 1).c_str(), num(*s.mean_frequency, 2).c_str(),
                      money(*s.mean_monetary).c_str());
        out << line;
    }
}

// The data-derived criteria of the non-empty segments, in the criteria format of `attractiveness`:
// size, revenue, margin (with profit), repeat rate and the mean R, F, M; recency less is better.
void write_criteria(std::ostream& f, const segment_profiles& p) {
    const bool margin = p.profit.has_value();
    f << "segment,customers,revenue" << (margin ? ",margin" : "")
      << ",repeat_rate,mean_recency,mean_frequency,mean_monetary\n";
    f << "direction,more,more" << (margin ? ",more" : "") << ",more,less,more,more\n";
    for (const segment_profile& s : p.segments) {
        if (s.customers == 0) continue;
        f << csv_field(s.name) << ',' << s.customers << ',' << number_text(s.revenue);
        // A segment without revenue has no margin: 0, so that the row stays numeric.
        if (margin) f << ',' << number_text(s.margin.value_or(0.0));
        f << ',' << number_text(*s.repeat_rate) << ',' << number_text(*s.mean_recency) << ','
          << number_text(*s.mean_frequency) << ',' << number_text(*s.mean_monetary) << '\n';
    }
}

void warnings_json(detail::json_writer& w, const char* name, const std::vector<std::string>& v) {
    w.key(name).begin_array();
    for (const auto& s : v)
        w.value(s);
    w.end_array();
}

// --- criteria files -----------------------------------------------------------------------

// The header and rows of a side file, read by the one CSV reader of the side files
// (csv_table.hpp: RFC 4180 quoting, blanks around fields, '#' comments, blank lines, BOM), the
// header as row 0, each row with its line number.
struct csv_lines {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> line_no;
};

csv_lines read_lines(const std::string& path, const char* option) {
    csv_table table;
    try {
        table = read_csv_table(path);
    } catch (const invalid_argument& e) {
        if (e.argument() != "path") throw;
        throw invalid_argument(option, "cannot open \"" + path + "\"", path);
    }
    csv_lines out;
    out.rows.reserve(table.size() + 1);
    out.rows.push_back(std::move(table.header));
    out.line_no.push_back(table.header_line);
    for (std::size_t r = 0; r < table.size(); ++r) {
        out.rows.push_back(std::move(table.rows[r]));
        out.line_no.push_back(table.line[r]);
    }
    return out;
}

struct criteria_table {
    std::vector<std::string> segments;
    std::vector<criterion> criteria;
    std::vector<bool> strength; // per criterion: on the strength axis
    std::vector<double> weight; // per criterion
    Eigen::MatrixXd raw;        // segments x criteria
};

criteria_table read_criteria(const std::string& path) {
    const csv_lines in = read_lines(path, "--criteria");
    const auto& header = in.rows[0];
    if (header.size() < 2 || header[0] != "segment")
        throw parse_error(path, in.line_no[0], header[0], header[0],
                          "the header must be `segment,CRITERION,...` with at least one criterion");
    const std::size_t c = header.size() - 1;
    criteria_table t;
    t.criteria.resize(c);
    t.strength.assign(c, false);
    t.weight.assign(c, 1.0);
    std::set<std::string> seen;
    for (std::size_t j = 0; j < c; ++j) {
        if (header[j + 1].empty() || !seen.insert(header[j + 1]).second)
            throw parse_error(path, in.line_no[0], header[j + 1], header[j + 1],
                              "criterion names must be non-empty and distinct");
        t.criteria[j].name = header[j + 1];
    }
    std::vector<std::vector<double>> rows;
    std::map<std::string, std::size_t> segment_line; // segment -> line it was first given on
    for (std::size_t r = 1; r < in.rows.size(); ++r) {
        const auto& f = in.rows[r];
        const std::size_t line = in.line_no[r];
        if (f.size() != header.size())
            throw parse_error(path, line, "", "",
                              std::to_string(f.size()) + " fields, the header has " +
                                  std::to_string(header.size()));
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
                if (v == "more")
                    t.criteria[j].dir = direction::more_is_better;
                else if (v == "less")
                    t.criteria[j].dir = direction::less_is_better;
                else
                    throw parse_error(path, line, col, v, "direction must be more or less");
            } else if (name == "normalisation") {
                if (v == "min_max")
                    t.criteria[j].norm = normalisation::min_max;
                else if (v == "z_score")
                    t.criteria[j].norm = normalisation::z_score;
                else if (v == "rank")
                    t.criteria[j].norm = normalisation::rank;
                else
                    throw parse_error(path, line, col, v,
                                      "normalisation must be min_max, z_score or rank");
            } else if (name == "axis") {
                if (v == "attractiveness" || v == "strength")
                    t.strength[j] = v == "strength";
                else
                    throw parse_error(path, line, col, v,
                                      "axis must be attractiveness or strength");
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
        std::vector<double> row(c);
        for (std::size_t j = 0; j < c; ++j)
            row[j] = parse_number_field(f[j + 1], path, line, header[j + 1]);
        rows.push_back(std::move(row));
    }
    if (rows.empty()) throw parse_error(path, in.line_no.back(), "segment", "", "no segment rows");
    t.raw.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(c));
    for (std::size_t s = 0; s < rows.size(); ++s)
        for (std::size_t j = 0; j < c; ++j)
            t.raw(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(j)) = rows[s][j];
    return t;
}

// Position of `name` in `crit`, or throws a parse error of `path` at `line`.
std::size_t criterion_index(const std::vector<criterion>& crit, const std::string& name,
                            const std::string& path, std::size_t line, const char* what) {
    for (std::size_t j = 0; j < crit.size(); ++j)
        if (crit[j].name == name) return j;
    std::string have;
    for (const auto& c : crit)
        have += (have.empty() ? "" : ", ") + c.name;
    throw parse_error(path, line, "criterion", name,
                      std::string("not an ") + what + " criterion (they are: " + have + ")");
}

std::vector<double> read_weights(const std::string& path, const std::vector<criterion>& crit) {
    const csv_lines in = read_lines(path, "--weights");
    std::vector<double> w(crit.size(), 0.0);
    std::vector<bool> given(crit.size(), false);
    const std::size_t first = in.rows[0].size() == 2 && in.rows[0][0] == "criterion" ? 1 : 0;
    for (std::size_t r = first; r < in.rows.size(); ++r) {
        const auto& f = in.rows[r];
        if (f.size() != 2)
            throw parse_error(path, in.line_no[r], "", "", "expected `criterion,weight`");
        const std::size_t j = criterion_index(crit, f[0], path, in.line_no[r], "attractiveness");
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

// The pairwise matrix of `path`, rows and columns put in the order of `crit`.
Eigen::MatrixXd read_pairwise(const std::string& path, const std::vector<criterion>& crit) {
    const csv_lines in = read_lines(path, "--pairwise");
    const auto& header = in.rows[0];
    const std::size_t n = crit.size();
    if (header.size() != n + 1 || header[0] != "criterion")
        throw parse_error(path, in.line_no[0], header[0], header[0],
                          "the header must be `criterion,` and the " + std::to_string(n) +
                              " attractiveness criteria");
    std::vector<std::size_t> col(n);
    for (std::size_t j = 0; j < n; ++j)
        col[j] = criterion_index(crit, header[j + 1], path, in.line_no[0], "attractiveness");
    if (std::set<std::size_t>(col.begin(), col.end()).size() != n)
        throw parse_error(path, in.line_no[0], "criterion", "", "a criterion appears twice");
    if (in.rows.size() != n + 1)
        throw parse_error(path, in.line_no.back(), "", "",
                          std::to_string(in.rows.size() - 1) + " rows for " + std::to_string(n) +
                              " criteria");
    Eigen::MatrixXd a(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
    for (std::size_t r = 1; r <= n; ++r) {
        const auto& f = in.rows[r];
        if (f.size() != n + 1)
            throw parse_error(path, in.line_no[r], "", "",
                              std::to_string(f.size()) + " fields, the header has " +
                                  std::to_string(n + 1));
        if (f[0] != header[r])
            throw parse_error(path, in.line_no[r], "criterion", f[0],
                              "rows must follow the order of the header (expected " + header[r] +
                                  ")");
        for (std::size_t j = 0; j < n; ++j)
            a(static_cast<Eigen::Index>(col[r - 1]), static_cast<Eigen::Index>(col[j])) =
                parse_number_field(f[j + 1], path, in.line_no[r], header[j + 1]);
    }
    return a;
}

// The columns `which` (true = strength) of the table.
struct axis_table {
    std::vector<criterion> criteria;
    std::vector<double> weight;
    std::vector<std::size_t> columns;
    Eigen::MatrixXd raw;
};

axis_table axis_of(const criteria_table& t, bool strength) {
    axis_table a;
    for (std::size_t j = 0; j < t.criteria.size(); ++j)
        if (t.strength[j] == strength) a.columns.push_back(j);
    a.raw.resize(t.raw.rows(), static_cast<Eigen::Index>(a.columns.size()));
    for (std::size_t k = 0; k < a.columns.size(); ++k) {
        a.criteria.push_back(t.criteria[a.columns[k]]);
        a.weight.push_back(t.weight[a.columns[k]]);
        a.raw.col(static_cast<Eigen::Index>(k)) =
            t.raw.col(static_cast<Eigen::Index>(a.columns[k]));
    }
    return a;
}

strategy_zone parse_zone(const std::string& z) {
    if (z == "invest/grow") return strategy_zone::invest_grow;
    if (z == "selective") return strategy_zone::selective;
    if (z == "harvest/divest") return strategy_zone::harvest_divest;
    throw invalid_argument("--zone",
                           "expected invest/grow, selective or harvest/divest, got \"" + z + "\"");
}

} // namespace

void rfm_cli_options::add_to(CLI::App& app) {
    app.add_option("file", file, "Transaction CSV")->required();
    app.add_option("--analysis-date", analysis_date,
                   "Day recency is measured to (default: the day after the last purchase)");
    app.add_option("--bins", bins, "Scores 1..bins per dimension (the default map needs 5)")
        ->check(whole_number())
        ->capture_default_str();
    app.add_option("--ties", ties, "Equal values: grouped (never split) or first (pandas rank)")
        ->check(CLI::IsMember({"grouped", "first"}))
        ->capture_default_str();
    app.add_option("--fm", fm,
                   "Segment by F and M apart, or by the combined FM = ceil((F + M) / 2)")
        ->check(CLI::IsMember({"separate", "combined"}))
        ->capture_default_str();
    app.add_option("--map", map_file,
                   "Segment map CSV: segment,r_min,r_max,f_min,f_max,m_min,m_max (first match)");
    app.add_option("--out", out, "Write the per-customer table to this CSV")->required();
    app.add_option("--criteria-out", criteria_out,
                   "Write the segments' data criteria for `attractiveness --criteria` here");
}

void segments_cli_options::add_to(CLI::App& app) {
    app.add_option("file", file, "Transaction CSV")->required();
    app.add_option("--analysis-date", analysis_date,
                   "Day recency is measured to (default: the day after the last purchase)");
    auto* kk = app.add_option("--k", k, "Number of clusters")->check(whole_number());
    auto* ak = app.add_flag("--auto-k", auto_k, "Choose k by the mean silhouette");
    kk->excludes(ak);
    app.add_option("--k-min", k_min, "Smallest k tried with --auto-k")
        ->check(whole_number())
        ->capture_default_str();
    app.add_option("--k-max", k_max, "Largest k tried with --auto-k")
        ->check(whole_number())
        ->capture_default_str();
    app.add_option("--seed", seed, "Seed of the k-means++ draws and the silhouette sample")
        ->check(whole_number())
        ->capture_default_str();
    app.add_option("--n-init", n_init, "k-means++ restarts")
        ->check(whole_number())
        ->capture_default_str();
    app.add_option("--out", out, "Write customer_id,recency,frequency,monetary,cluster here")
        ->required();
    app.add_option("--criteria-out", criteria_out,
                   "Write the clusters' data criteria for `attractiveness --criteria` here");
}

void attractiveness_cli_options::add_to(CLI::App& app) {
    app.add_option("--criteria", criteria_file, "Criteria CSV (format: custometrics docs)")
        ->required();
    auto* w = app.add_option("--weights", weights_file, "CSV criterion,weight");
    auto* p = app.add_option("--pairwise", pairwise_file, "CSV pairwise comparison matrix (AHP)");
    w->excludes(p);
    app.add_flag("--accept-inconsistent", accept_inconsistent,
                 "Accept a pairwise matrix whose consistency ratio is above 0.10");
    app.add_option("--low-cut", low_cut, "Scores below are low")->capture_default_str();
    app.add_option("--high-cut", high_cut, "Scores at or above are high")->capture_default_str();
    app.add_option_function<double>(
        "--min-score", [this](const double& v) { min_score = v; },
        "Target segments: attractiveness score at least this");
    app.add_option_function<std::size_t>(
        "--max-rank", [this](const std::size_t& v) { max_rank = v; },
        "Target segments: rank at most this");
    app.add_option(
        "--at-least", at_least,
        "Target segments: raw criterion value at least this, as NAME=VALUE (repeatable)");
    app.add_option("--at-most", at_most,
                   "Target segments: raw criterion value at most this, as NAME=VALUE (repeatable)");
    app.add_option("--zone", zones,
                   "Target segments: zone invest/grow, selective or harvest/divest (repeatable)");
    app.add_option("--assignments", assignments_file,
                   "CSV customer_id,segment (or cluster): lists the customers of the targets");
    app.add_option("--targets-out", targets_out, "Write the target customers here");
}

void print_rfm(std::ostream& out, const rfm_cli_options& o, const csv_columns& columns, bool json) {
    const transaction_log log = read_transactions_csv(o.file, columns);
    const customer_summary s = summary_of(log);
    rfm_options ro;
    ro.bins = o.bins;
    ro.ties = parse_rfm_ties(o.ties, "--ties");
    ro.fm = parse_rfm_fm(o.fm, "--fm");
    if (o.map_file.empty() && o.bins != 5)
        throw invalid_argument("--bins " + std::to_string(o.bins) +
                               ": the default segment map is for 5 bins; give --map");
    const segment_map map =
        o.map_file.empty() ? default_segment_map() : read_segment_map(o.map_file, o.bins);
    const rfm_result r = rfm_from_summary(s, analysis_date_of(o.analysis_date), map, ro);
    const segment_profiles p = profile_rfm_segments(r, s);

    // Both outputs are opened before either is written and committed together at the end.
    check_not_input(o.out, o.file, "--out");
    check_not_input(o.criteria_out, o.file, "--criteria-out");
    output_file table(o.out, "--out");
    std::optional<output_file> criteria;
    if (!o.criteria_out.empty()) criteria.emplace(o.criteria_out, "--criteria-out");
    std::ostream& f = table.stream();
    f << "customer_id,recency,frequency,monetary,r_score,f_score,m_score,segment\n";
    for (std::size_t k = 0; k < r.size(); ++k)
        f << csv_key(log.customer_keys, s.customer[k]) << ',' << number_text(r.values.recency[k])
          << ',' << number_text(r.values.frequency[k]) << ',' << number_text(r.values.monetary[k])
          << ',' << unsigned(r.r_score[k]) << ',' << unsigned(r.f_score[k]) << ','
          << unsigned(r.m_score[k]) << ',' << csv_field(r.segment_names[r.segment[k]]) << '\n';
    if (criteria) write_criteria(criteria->stream(), p);
    table.commit();
    if (criteria) criteria->commit();
    if (table.is_stdout() || (criteria && criteria->is_stdout())) return;

    const std::vector<std::string> warnings = r.warnings();
    if (json) {
        detail::json_writer w(out);
        w.begin_object().field("out", o.out);
        w.field("customers", static_cast<std::uint64_t>(r.size()));
        w.field("analysis_date", format_date(r.values.analysis_date));
        w.field("bins", static_cast<std::uint64_t>(o.bins)).field("ties", o.ties);
        w.field("fm", o.fm);
        w.key("counts").begin_object();
        for (std::size_t i = 0; i < r.segment_names.size(); ++i)
            w.field(r.segment_names[i], static_cast<std::uint64_t>(r.segment_count[i]));
        w.end_object();
        w.field("unclassified", static_cast<std::uint64_t>(r.unclassified));
        w.key("segments");
        profiles_json(w, p);
        warnings_json(w, "map_warnings", r.map_warnings);
        std::vector<std::string> bin_warnings;
        for (const auto* b : {&r.recency_bins, &r.frequency_bins, &r.monetary_bins})
            bin_warnings.insert(bin_warnings.end(), b->warnings.begin(), b->warnings.end());
        warnings_json(w, "bin_warnings", bin_warnings);
        w.end_object();
        return;
    }
    out << "wrote the RFM scores of " << count(r.size()) << " customers to " << o.out
        << " (analysis date " << format_date(r.values.analysis_date) << ")\n\n";
    profiles_text(out, p, "");
    if (!warnings.empty()) {
        out << "\nwarnings\n";
        for (const auto& line : warnings)
            out << "  " << line << "\n";
    }
}

void print_segments(std::ostream& out, const segments_cli_options& o, const csv_columns& columns,
                    bool json) {
    if (!o.auto_k && o.k == 0) throw invalid_argument("--k or --auto-k: give one of them");
    const transaction_log log = read_transactions_csv(o.file, columns);
    const customer_summary s = summary_of(log);
    const rfm_values v = rfm_values_from(s, analysis_date_of(o.analysis_date));
    const auto n = static_cast<Eigen::Index>(v.size());
    if (n == 0) throw invalid_argument(o.file + ": no customer with a purchase");
    Eigen::MatrixXd x(n, 3);
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        if (v.monetary[k] < 0.0)
            throw data_error("monetary: customer " + csv_key(log.customer_keys, s.customer[k]) +
                             ": net revenue " + detail::format_number(v.monetary[k]) +
                             " is negative (returns exceed purchases); the log scaling of "
                             "`segments` needs values >= 0");
        x(i, 0) = v.recency[k];
        x(i, 1) = v.frequency[k];
        x(i, 2) = v.monetary[k];
    }
    kmeans_options ko;
    ko.k = o.k;
    ko.n_init = o.n_init;
    ko.seed = o.seed;
    ko.scaling.methods.assign(3, feature_scaling::log_standardize);
    ko.scaling.names = {"recency", "frequency", "monetary"};
    kmeans_result km;
    silhouette_result sil;
    std::vector<k_score> table;
    if (o.auto_k) {
        k_selection_options sel;
        sel.k_min = o.k_min;
        sel.k_max = std::min<std::size_t>(o.k_max, static_cast<std::size_t>(n));
        kmeans_k_selection ks = kmeans_select_k(x, sel, ko);
        km = std::move(ks.best);
        sil = ks.sample;
        table = std::move(ks.table);
    } else {
        km = kmeans(x, ko);
        sil = silhouette(km.scaling.transform(x), km.labels, 10'000, o.seed);
    }
    const std::size_t k = static_cast<std::size_t>(km.centres.rows());
    const segment_profiles p = profile_segments<std::uint32_t>(
        km.labels, k, {v.recency, v.frequency, v.monetary, s.revenue, s.profit});
    const Eigen::MatrixXd centres = km.scaling.inverse_transform(km.centres);

    check_not_input(o.out, o.file, "--out");
    check_not_input(o.criteria_out, o.file, "--criteria-out");
    output_file clusters(o.out, "--out");
    std::optional<output_file> criteria;
    if (!o.criteria_out.empty()) criteria.emplace(o.criteria_out, "--criteria-out");
    std::ostream& f = clusters.stream();
    f << "customer_id,recency,frequency,monetary,cluster\n";
    for (std::size_t i = 0; i < v.size(); ++i)
        f << csv_key(log.customer_keys, s.customer[i]) << ',' << number_text(v.recency[i]) << ','
          << number_text(v.frequency[i]) << ',' << number_text(v.monetary[i]) << ',' << km.labels[i]
          << '\n';
    if (criteria) write_criteria(criteria->stream(), p);
    clusters.commit();
    if (criteria) criteria->commit();
    if (clusters.is_stdout() || (criteria && criteria->is_stdout())) return;

    if (json) {
        detail::json_writer w(out);
        w.begin_object().field("out", o.out);
        w.field("customers", static_cast<std::uint64_t>(v.size()));
        w.field("analysis_date", format_date(v.analysis_date));
        w.field("features", "log1p then z-score of recency, frequency, monetary");
        w.field("k", static_cast<std::uint64_t>(k)).field("inertia", km.inertia);
        w.field("iterations", static_cast<std::uint64_t>(km.iterations));
        w.field("converged", km.converged);
        w.field("silhouette", sil.mean);
        w.field("silhouette_points", static_cast<std::uint64_t>(sil.points));
        w.key("centres").begin_array();
        for (Eigen::Index c = 0; c < centres.rows(); ++c) {
            w.begin_object().field("recency", centres(c, 0)).field("frequency", centres(c, 1));
            w.field("monetary", centres(c, 2)).end_object();
        }
        w.end_array();
        w.key("segments");
        profiles_json(w, p);
        if (o.auto_k) {
            w.key("k_table").begin_array();
            for (const k_score& t : table) {
                w.begin_object().field("k", static_cast<std::uint64_t>(t.k));
                w.field("silhouette", t.silhouette).field("inertia", t.inertia).end_object();
            }
            w.end_array();
        }
        w.end_object();
        return;
    }
    out << "wrote " << k << " clusters of " << count(v.size()) << " customers to " << o.out
        << " (k-means on log-scaled RFM; silhouette " << num(sil.mean, 3) << ", inertia "
        << num(km.inertia, 1) << ")\n\n";
    profiles_text(out, p, "");
}

void print_attractiveness(std::ostream& out, const attractiveness_cli_options& o, bool json) {
    const criteria_table t = read_criteria(o.criteria_file);
    const axis_table a = axis_of(t, false);
    const axis_table st = axis_of(t, true);
    if (a.criteria.empty())
        throw invalid_argument("--criteria",
                               "no attractiveness criterion (every axis is strength)");
    std::vector<double> weights = a.weight;
    std::optional<ahp_result> ahp_r;
    if (!o.weights_file.empty()) weights = read_weights(o.weights_file, a.criteria);
    if (!o.pairwise_file.empty()) {
        ahp_options opt;
        opt.accept_inconsistent = o.accept_inconsistent;
        try {
            ahp_r = ahp(read_pairwise(o.pairwise_file, a.criteria), a.criteria, opt);
        } catch (const inconsistent_judgments& e) {
            throw invalid_argument("--pairwise", "consistency ratio " +
                                                     detail::format_number(e.consistency_ratio()) +
                                                     " is above 0.1; revise the judgments or pass "
                                                     "--accept-inconsistent");
        }
        weights = ahp_r->weights;
    }
    const segment_scores sc = score_segments(a.raw, a.criteria, weights);
    const std::vector<weight_sensitivity> sens = weight_sensitivities(sc);
    std::optional<segment_scores> strength;
    std::optional<segment_matrix> matrix;
    if (!st.criteria.empty()) {
        strength = score_segments(st.raw, st.criteria, st.weight);
        matrix = attractiveness_matrix(sc.score, strength->score, {o.low_cut, o.high_cut});
    }
    target_rules rules;
    rules.min_score = o.min_score;
    rules.max_rank = o.max_rank;
    for (const auto& z : o.zones)
        rules.zones.push_back(parse_zone(z));
    if (!rules.zones.empty() && !matrix)
        throw invalid_argument("--zone", "needs strength criteria (an `axis` row in --criteria)");
    // NAME=VALUE bounds on the raw values of any criterion of the file.
    const auto add_bounds = [&](const std::vector<std::string>& specs, const char* option,
                                bool lower) {
        for (const std::string& spec : specs) {
            const std::size_t eq = spec.find('=');
            const std::string name = spec.substr(0, std::min(eq, spec.size()));
            std::size_t j = 0;
            while (j < t.criteria.size() && t.criteria[j].name != name)
                ++j;
            if (eq == std::string::npos || j == t.criteria.size())
                throw invalid_argument(std::string(option) + " " + spec +
                                       ": expected NAME=VALUE with NAME a criterion of --criteria");
            const std::string text = spec.substr(eq + 1);
            double x = 0.0;
            const auto res = std::from_chars(text.data(), text.data() + text.size(), x);
            if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() ||
                !std::isfinite(x))
                throw invalid_argument(std::string(option) + " " + spec + ": \"" + text +
                                       "\" is not a finite number");
            criterion_threshold c;
            c.criterion = j;
            (lower ? c.min : c.max) = x;
            rules.criteria.push_back(c);
        }
    };
    add_bounds(o.at_least, "--at-least", true);
    add_bounds(o.at_most, "--at-most", false);
    const bool select =
        rules.min_score || rules.max_rank || !rules.zones.empty() || !rules.criteria.empty();
    const std::vector<std::size_t> targets =
        select_targets(sc, rules, t.raw, matrix ? &*matrix : nullptr);

    // Customers of the targets, from an assignment file.
    std::size_t target_customer_count = 0;
    if (!o.assignments_file.empty() || !o.targets_out.empty()) {
        if (o.assignments_file.empty() || o.targets_out.empty())
            throw invalid_argument("--assignments and --targets-out: give both or neither");
        const csv_lines in = read_lines(o.assignments_file, "--assignments");
        const auto& h = in.rows[0];
        const auto find = [&h](const char* name) {
            return static_cast<std::size_t>(std::find(h.begin(), h.end(), name) - h.begin());
        };
        const std::size_t id_col = find("customer_id");
        std::size_t seg_col = find("segment");
        if (seg_col == h.size()) seg_col = find("cluster");
        if (id_col == h.size() || seg_col == h.size())
            throw parse_error(o.assignments_file, in.line_no[0], "", "",
                              "needs the columns customer_id and segment (or cluster)");
        std::set<std::string> chosen;
        for (const std::size_t s : targets)
            chosen.insert(t.segments[s]);
        for (const std::string* input :
             {&o.assignments_file, &o.criteria_file, &o.weights_file, &o.pairwise_file})
            check_not_input(o.targets_out, *input, "--targets-out");
        output_file targets_file(o.targets_out, "--targets-out");
        std::ostream& f = targets_file.stream();
        f << "customer_id,segment\n";
        for (std::size_t r = 1; r < in.rows.size(); ++r) {
            const auto& row = in.rows[r];
            if (row.size() != h.size())
                throw parse_error(o.assignments_file, in.line_no[r], "", "",
                                  std::to_string(row.size()) + " fields, the header has " +
                                      std::to_string(h.size()));
            if (chosen.count(row[seg_col]) == 0) continue;
            f << csv_field(row[id_col]) << ',' << csv_field(row[seg_col]) << '\n';
            ++target_customer_count;
        }
        targets_file.commit();
        if (targets_file.is_stdout()) return; // the target customers are the standard output
    }

    const auto cell_name = [&](std::size_t s) {
        const matrix_cell& c = matrix->cells[s];
        return std::string(to_string(c.attractiveness)) + "/" + to_string(c.strength);
    };
    if (json) {
        detail::json_writer w(out);
        w.begin_object();
        w.key("weights").begin_object();
        for (std::size_t j = 0; j < a.criteria.size(); ++j)
            w.field(a.criteria[j].name, sc.weights[j]);
        w.end_object();
        if (ahp_r) {
            w.field("consistency_ratio", ahp_r->consistency_ratio);
            w.field("consistency_index", ahp_r->consistency_index);
            w.field("lambda_max", ahp_r->lambda_max);
        }
        w.key("segments").begin_array();
        for (const std::size_t s : sc.order) {
            w.begin_object().field("segment", t.segments[s]).field("score", sc.score[s]);
            w.field("rank", static_cast<std::uint64_t>(sc.rank[s]));
            if (matrix) {
                w.field("strength", strength->score[s]).field("cell", cell_name(s));
                w.field("zone", to_string(matrix->cells[s].zone));
            } else {
                w.key("cell").null().key("zone").null();
            }
            w.end_object();
        }
        w.end_array();
        w.key("sensitivity").begin_array();
        for (const weight_sensitivity& ws : sens) {
            w.begin_object().field("criterion", a.criteria[ws.criterion].name);
            w.field("weight", ws.weight);
            for (const auto& [name, c] : {std::pair{"down", ws.down}, std::pair{"up", ws.up}}) {
                w.key(name);
                if (!c) {
                    w.null();
                    continue;
                }
                w.begin_object().field("weight", c->weight);
                w.field("new_top", t.segments[c->new_top]).end_object();
            }
            w.end_object();
        }
        w.end_array();
        if (select) {
            w.key("targets").begin_array();
            for (const std::size_t s : targets)
                w.value(t.segments[s]);
            w.end_array();
        }
        if (!o.targets_out.empty())
            w.field("target_customers", static_cast<std::uint64_t>(target_customer_count));
        w.end_object();
        return;
    }
    if (ahp_r)
        out << "weights by AHP: consistency ratio " << num(ahp_r->consistency_ratio, 3) << "\n";
    out << "weights: ";
    for (std::size_t j = 0; j < a.criteria.size(); ++j)
        out << (j ? ", " : "") << a.criteria[j].name << " " << num(sc.weights[j], 3);
    out << "\n\n";
    char line[200];
    std::snprintf(line, sizeof line, "%4s  %-24s %7s %9s  %-14s %s\n", "rank", "segment", "score",
                  "strength", "cell", "zone");
    out << line;
    for (const std::size_t s : sc.order) {
        std::snprintf(
            line, sizeof line, "%4zu  %-24s %7.3f %9s  %-14s %s\n", sc.rank[s],
            t.segments[s].c_str(), sc.score[s], matrix ? num(strength->score[s], 3).c_str() : "-",
            matrix ? cell_name(s).c_str() : "-", matrix ? to_string(matrix->cells[s].zone) : "-");
        out << line;
    }
    if (select) {
        out << "\ntarget segments:";
        for (const std::size_t s : targets)
            out << " " << t.segments[s] << ";";
        if (targets.empty()) out << " none";
        out << "\n";
    }
    if (!o.targets_out.empty())
        out << "wrote " << count(target_customer_count) << " target customers to " << o.targets_out
            << "\n";
}

void report_rfm_text(std::ostream& out, const customer_summary& s) {
    const rfm_result r = rfm_from_summary(s);
    const segment_profiles p = profile_rfm_segments(r, s);
    out << "\nRFM segments (5 bins, analysis date " << format_date(r.values.analysis_date) << ")\n";
    profiles_text(out, p, "  ");
}

void report_rfm_json(detail::json_writer& w, const customer_summary& s) {
    const rfm_result r = rfm_from_summary(s);
    const segment_profiles p = profile_rfm_segments(r, s);
    w.key("rfm").begin_object();
    w.field("analysis_date", format_date(r.values.analysis_date));
    w.field("unclassified", static_cast<std::uint64_t>(r.unclassified));
    w.key("segments");
    profiles_json(w, p);
    w.end_object();
}

void register_rfm(CLI::App& app) {
    struct options {
        rfm_cli_options rfm;
        column_args columns;
        std::string format = "text";
    };
    auto o = std::make_shared<options>();
    auto* cmd = app.add_subcommand(
        "rfm", "Recency, frequency and monetary scores per customer and named RFM segments");
    o->rfm.add_to(*cmd);
    o->columns.add_to(*cmd);
    add_format(*cmd, o->format);
    cmd->callback([o] { print_rfm(std::cout, o->rfm, o->columns.resolve(), o->format == "json"); });
}

void register_segments(CLI::App& app) {
    struct options {
        segments_cli_options segments;
        column_args columns;
        std::string format = "text";
    };
    auto o = std::make_shared<options>();
    auto* cmd = app.add_subcommand(
        "segments", "k-means clusters of customers on log-scaled recency, frequency, monetary");
    o->segments.add_to(*cmd);
    o->columns.add_to(*cmd);
    add_format(*cmd, o->format);
    cmd->callback(
        [o] { print_segments(std::cout, o->segments, o->columns.resolve(), o->format == "json"); });
}

void register_attractiveness(CLI::App& app) {
    struct options {
        attractiveness_cli_options attractiveness;
        std::string format = "text";
    };
    auto o = std::make_shared<options>();
    auto* cmd = app.add_subcommand(
        "attractiveness", "Weighted segment attractiveness, ranks, the nine-cell matrix, targets");
    o->attractiveness.add_to(*cmd);
    add_format(*cmd, o->format);
    cmd->callback([o] { print_attractiveness(std::cout, o->attractiveness, o->format == "json"); });
}

} // namespace custometrics::cli
