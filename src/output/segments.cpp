// Writers of the segmentation results (see custometrics/output/segments.hpp).
#include "custometrics/output/segments.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/output/format.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

void strings(detail::json_writer& w, const char* name, const std::vector<std::string>& v) {
    w.key(name).begin_array();
    for (const auto& s : v)
        w.value(s);
    w.end_array();
}

std::string cell_name(const matrix_cell& c) {
    return std::string(to_string(c.attractiveness)) + "/" + to_string(c.strength);
}

// The members on the customers left out: their number and why.
void left_out_json(detail::json_writer& w, const rfm_values& v) {
    w.field("customers_left_out", static_cast<std::uint64_t>(v.customers_left_out));
    w.field("left_out_reason", rfm_left_out_reason);
}

} // namespace

std::string left_out_note(const rfm_values& v) {
    if (v.customers_left_out == 0) return {};
    return "; " + count(v.customers_left_out) +
           (v.customers_left_out == 1 ? " customer" : " customers") +
           " left out: " + rfm_left_out_reason;
}

void write_json(detail::json_writer& w, const segment_profiles& p) {
    w.begin_array();
    for (const segment_profile& s : p.segments) {
        w.begin_object().field("segment", s.name);
        w.field("customers", static_cast<std::uint64_t>(s.customers));
        w.field("customer_share", s.customer_share);
        w.field("revenue", s.revenue);
        w.field("revenue_share", s.revenue_share);
        if (p.profit) {
            w.field("profit", s.profit);
            w.field("profit_share", s.profit_share);
        }
        w.field("mean_recency", s.mean_recency);
        w.field("mean_frequency", s.mean_frequency);
        w.field("mean_monetary", s.mean_monetary);
        w.field("repeat_rate", s.repeat_rate);
        if (p.profit) w.field("margin", s.margin);
        w.end_object();
    }
    w.end_array();
}

void write_text(std::ostream& out, const segment_profiles& p, std::string_view indent_view) {
    const std::string indent(indent_view);
    char line[200];
    std::snprintf(line, sizeof line, "%s%-20s %10s %8s %9s %9s %9s %12s\n", indent.c_str(),
                  "segment", "customers", "share", "revenue", "recency", "frequency", "monetary");
    out << line;
    for (const segment_profile& s : p.segments) {
        if (s.customers == 0) continue;
        std::snprintf(line, sizeof line, "%s%-20s %10s %8s %9s %9s %9s %12s\n", indent.c_str(),
                      s.name.c_str(), count(s.customers).c_str(),
                      pct(s.customer_share.value_or(0)).c_str(),
                      s.revenue_share ? pct(*s.revenue_share).c_str() : "n/a",
                      num(*s.mean_recency, 1).c_str(), num(*s.mean_frequency, 2).c_str(),
                      money(*s.mean_monetary).c_str());
        out << line;
    }
}

void write_criteria_csv(std::ostream& f, const segment_profiles& p) {
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

void write_csv(std::ostream& f, const rfm_result& r, const customer_summary& s,
               const key_index& keys) {
    f << "customer_id,recency,frequency,monetary,r_score,f_score,m_score,segment\n";
    for (std::size_t k = 0; k < r.size(); ++k)
        f << csv_key(keys, s.customer[k]) << ',' << number_text(r.values.recency[k]) << ','
          << number_text(r.values.frequency[k]) << ',' << number_text(r.values.monetary[k]) << ','
          << unsigned(r.r_score[k]) << ',' << unsigned(r.f_score[k]) << ','
          << unsigned(r.m_score[k]) << ',' << csv_field(r.segment_names[r.segment[k]]) << '\n';
}

void write_json(detail::json_writer& w, const rfm_result& r, const segment_profiles& p) {
    w.field("customers", static_cast<std::uint64_t>(r.size()));
    left_out_json(w, r.values);
    w.field("analysis_date", format_date(r.values.analysis_date));
    w.field("bins", static_cast<std::uint64_t>(r.options.bins));
    w.field("ties", r.options.ties == rfm_ties::grouped ? "grouped" : "first");
    w.field("fm", r.options.fm == rfm_fm::separate ? "separate" : "combined");
    w.key("counts").begin_object();
    for (std::size_t i = 0; i < r.segment_names.size(); ++i)
        w.field(r.segment_names[i], static_cast<std::uint64_t>(r.segment_count[i]));
    w.end_object();
    w.field("unclassified", static_cast<std::uint64_t>(r.unclassified));
    w.key("segments");
    write_json(w, p);
    strings(w, "map_warnings", r.map_warnings);
    std::vector<std::string> bin_warnings;
    for (const auto* b : {&r.recency_bins, &r.frequency_bins, &r.monetary_bins})
        bin_warnings.insert(bin_warnings.end(), b->warnings.begin(), b->warnings.end());
    strings(w, "bin_warnings", bin_warnings);
}

void write_text(std::ostream& out, const rfm_result& r, const segment_profiles& p) {
    write_text(out, p, "");
    const std::vector<std::string> warnings = r.warnings();
    if (warnings.empty()) return;
    out << "\nwarnings\n";
    for (const auto& line : warnings)
        out << "  " << line << "\n";
}

void write_csv(std::ostream& f, const rfm_clusters& c, const customer_summary& s,
               const key_index& keys) {
    const rfm_values& v = c.values;
    f << "customer_id,recency,frequency,monetary,cluster\n";
    for (std::size_t i = 0; i < v.size(); ++i)
        f << csv_key(keys, s.customer[i]) << ',' << number_text(v.recency[i]) << ','
          << number_text(v.frequency[i]) << ',' << number_text(v.monetary[i]) << ','
          << c.kmeans.labels[i] << '\n';
}

void write_json(detail::json_writer& w, const rfm_clusters& c) {
    const kmeans_result& km = c.kmeans;
    w.field("customers", static_cast<std::uint64_t>(c.values.size()));
    left_out_json(w, c.values);
    w.field("analysis_date", format_date(c.values.analysis_date));
    w.field("features", "log1p then z-score of recency, frequency, monetary");
    w.field("k", static_cast<std::uint64_t>(c.k())).field("inertia", km.inertia);
    w.field("iterations", static_cast<std::uint64_t>(km.iterations));
    w.field("converged", km.converged);
    w.field("silhouette", c.silhouette.mean);
    w.field("silhouette_points", static_cast<std::uint64_t>(c.silhouette.points));
    w.key("centres").begin_array();
    for (Eigen::Index k = 0; k < c.centres.rows(); ++k) {
        w.begin_object().field("recency", c.centres(k, 0)).field("frequency", c.centres(k, 1));
        w.field("monetary", c.centres(k, 2)).end_object();
    }
    w.end_array();
    w.key("segments");
    write_json(w, c.profiles);
    if (!c.chose_k) return;
    w.key("k_table").begin_array();
    for (const k_score& t : c.k_table) {
        w.begin_object().field("k", static_cast<std::uint64_t>(t.k));
        w.field("silhouette", t.silhouette).field("inertia", t.inertia).end_object();
    }
    w.end_array();
}

void write_json(detail::json_writer& w, const attractiveness_analysis& a) {
    const segment_scores& sc = a.scores;
    w.key("weights").begin_object();
    for (std::size_t j = 0; j < a.criteria.size(); ++j)
        w.field(a.criteria[j].name, sc.weights[j]);
    w.end_object();
    if (a.ahp) {
        w.field("consistency_ratio", a.ahp->consistency_ratio);
        w.field("consistency_index", a.ahp->consistency_index);
        w.field("lambda_max", a.ahp->lambda_max);
    }
    w.key("segments").begin_array();
    for (const std::size_t s : sc.order) {
        w.begin_object().field("segment", a.segments[s]).field("score", sc.score[s]);
        w.field("rank", static_cast<std::uint64_t>(sc.rank[s]));
        if (a.matrix) {
            w.field("strength", a.strength->score[s]).field("cell", cell_name(a.matrix->cells[s]));
            w.field("zone", to_string(a.matrix->cells[s].zone));
        } else {
            w.key("cell").null().key("zone").null();
        }
        w.end_object();
    }
    w.end_array();
    w.key("sensitivity").begin_array();
    for (const weight_sensitivity& ws : a.sensitivity) {
        w.begin_object().field("criterion", a.criteria[ws.criterion].name);
        w.field("weight", ws.weight);
        for (const auto& [name, c] : {std::pair{"down", ws.down}, std::pair{"up", ws.up}}) {
            w.key(name);
            if (!c) {
                w.null();
                continue;
            }
            w.begin_object().field("weight", c->weight);
            w.field("new_top", a.segments[c->new_top]).end_object();
        }
        w.end_object();
    }
    w.end_array();
    if (a.selected) {
        w.key("targets").begin_array();
        for (const std::size_t s : a.targets)
            w.value(a.segments[s]);
        w.end_array();
    }
}

void write_text(std::ostream& out, const attractiveness_analysis& a) {
    const segment_scores& sc = a.scores;
    if (a.ahp)
        out << "weights by AHP: consistency ratio " << num(a.ahp->consistency_ratio, 3) << "\n";
    out << "weights: ";
    for (std::size_t j = 0; j < a.criteria.size(); ++j)
        out << (j ? ", " : "") << a.criteria[j].name << " " << num(sc.weights[j], 3);
    out << "\n\n";
    char line[200];
    std::snprintf(line, sizeof line, "%4s  %-24s %7s %9s  %-14s %s\n", "rank", "segment", "score",
                  "strength", "cell", "zone");
    out << line;
    for (const std::size_t s : sc.order) {
        const bool m = a.matrix.has_value();
        std::snprintf(line, sizeof line, "%4zu  %-24s %7.3f %9s  %-14s %s\n", sc.rank[s],
                      a.segments[s].c_str(), sc.score[s],
                      m ? num(a.strength->score[s], 3).c_str() : "-",
                      m ? cell_name(a.matrix->cells[s]).c_str() : "-",
                      m ? to_string(a.matrix->cells[s].zone) : "-");
        out << line;
    }
    if (!a.selected) return;
    out << "\ntarget segments:";
    for (const std::size_t s : a.targets)
        out << " " << a.segments[s] << ";";
    if (a.targets.empty()) out << " none";
    out << "\n";
}

void write_csv(std::ostream& f, const segment_assignments& a, std::span<const std::size_t> rows) {
    f << "customer_id,segment\n";
    for (const std::size_t r : rows)
        f << csv_field(a.customer[r]) << ',' << csv_field(a.segment[r]) << '\n';
}

void report_rfm_json(detail::json_writer& w, const rfm_result& r, const segment_profiles& p) {
    w.key("rfm").begin_object();
    w.field("analysis_date", format_date(r.values.analysis_date));
    w.field("unclassified", static_cast<std::uint64_t>(r.unclassified));
    w.key("segments");
    write_json(w, p);
    w.end_object();
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
