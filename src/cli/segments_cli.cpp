// The `rfm`, `segments` and `attractiveness` subcommands: read the inputs, call the core (rfm.hpp,
// segments.hpp, criteria_table.hpp), print with the writers of custometrics/output/segments.hpp.
#include "command.hpp"

#include "custometrics/criteria_table.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/output/left_out.hpp"
#include "custometrics/output/segments.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/segments.hpp"
#include "custometrics/streaming.hpp"

#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace custometrics::cli {
namespace {

// What `rfm` and `segments` share: log, analysis date, table, criteria of the segments, format.
struct log_command : log_args {
    std::string analysis_date, out, criteria_out, rejected;

    void add_log(CLI::App& app) {
        log_args::add_to(app);
        app.add_option("--analysis-date", analysis_date,
                       "Day recency is measured to (default: the day after the last purchase)");
    }
    void add_outputs(CLI::App& app, const char* out_help, const char* criteria_help) {
        app.add_option("--out", out, out_help)->required();
        app.add_option("--criteria-out", criteria_out, criteria_help);
        add_rejected(app, rejected);
    }
    std::optional<std::int64_t> date() const { // recency is in days, summarize's default
        if (analysis_date.empty()) return std::nullopt;
        return parse_time_or_throw(analysis_date, "--analysis-date");
    }
    // Writes --out, --criteria-out and --rejected all or nothing (output/file.hpp
    // `write_outputs`); then, unless one is the standard output, prints the JSON object
    // {"out": ..., members} or the text. `values` holds what was left out, rows of the file
    // (their lines in `lines`) and customers of `keys`. The
    // JSON is made first: an error in it (a name that is not UTF-8) leaves no file written.
    template <class Table, class Json, class Text>
    void finish(std::ostream& text, const segment_profiles& p, const rfm_values& values,
                const key_index& keys, std::span<const line_mark> lines, Table&& table, Json&& json,
                Text&& summary) const {
        std::ostringstream js; // not when a table is the standard output (then nothing else is)
        if (format == "json" && out != "-" && criteria_out != "-" && rejected != "-")
            write_json_object(js, [&](detail::json_writer& w) { json(w.field("out", out)); });
        if (output::write_outputs({{out, "--out", table},
                                   {criteria_out, "--criteria-out",
                                    [&](std::ostream& f) { output::write_criteria_csv(f, p); }},
                                   {rejected, "--rejected",
                                    [&](std::ostream& f) {
                                        output::write_left_out_csv(f, values.left_out, keys, lines);
                                    }}},
                                  {file}))
            return;
        if (format != "json") return summary();
        text << js.str();
    }
};

struct rfm_cli : log_command {
    std::string map_file, ties = "grouped", fm = "separate", memory_limit;
    rfm_options options; // the bins; the names of the ties and fm rules are parsed in `run`

    void add_to(CLI::App& app) {
        add_log(app);
        app.add_option("--bins", options.bins,
                       "Scores 1..bins per dimension (the default map needs 5)")
            ->capture_default_str();
        app.add_option("--ties", ties, "Equal values: grouped (never split) or first (pandas rank)")
            ->check(CLI::IsMember({"grouped", "first"}))
            ->capture_default_str();
        app.add_option("--fm", fm,
                       "Segment by F and M apart, or by the combined FM = ceil((F + M) / 2)")
            ->check(CLI::IsMember({"separate", "combined"}))
            ->capture_default_str();
        app.add_option(
            "--map", map_file,
            "Segment map CSV: segment,r_min,r_max,f_min,f_max,m_min,m_max (first match)");
        add_outputs(app, "Write the per-customer table to this CSV",
                    "Write the segments' data criteria for `attractiveness --criteria` here");
        add_memory_limit(app, memory_limit);
    }

    void run(std::ostream& text) const {
        const std::size_t limit = memory_limit_of(memory_limit);
        rfm_options ro = options;
        ro.ties = parse_rfm_ties(ties, "--ties");
        ro.fm = parse_rfm_fm(fm, "--fm");
        if (map_file.empty() && ro.bins != 5)
            throw invalid_argument("--bins " + std::to_string(ro.bins) +
                                   ": the default segment map is for 5 bins; give --map");
        const segment_map map =
            map_file.empty() ? default_segment_map() : read_segment_map(map_file, ro.bins);
        const csv_rfm c = usage_checked([&] {
            return rfm_csv(file, columns.resolve(), date(), map, ro, limit, {}, "--memory-limit");
        });
        const rfm_result& r = c.rfm;
        const customer_summary& s = c.summary.summary;
        const key_index& keys = c.summary.customer_keys;
        const segment_profiles p = profile_rfm_segments(r, s);
        finish(
            text, p, r.values, keys, c.summary.left_out_lines,
            [&](std::ostream& f) { output::write_csv(f, r, s, keys); },
            [&](detail::json_writer& w) { output::write_json(w, r, p); },
            [&] {
                text << "wrote the RFM scores of " << output::count(r.size()) << " customers to "
                     << out << " (analysis date " << format_date(r.values.analysis_date) << ")"
                     << output::left_out_note(r.values) << "\n\n";
                output::write_text(text, r, p);
            });
    }
};

struct segments_cli : log_command {
    rfm_cluster_options options;

    void add_to(CLI::App& app) {
        add_log(app);
        app.add_option("--k", options.k, "Number of clusters")
            ->excludes(
                app.add_flag("--auto-k", options.choose_k, "Choose k by the mean silhouette"));
        app.add_option("--k-min", options.k_min, "Smallest k tried with --auto-k")
            ->capture_default_str();
        app.add_option("--k-max", options.k_max, "Largest k tried with --auto-k")
            ->capture_default_str();
        app.add_option("--seed", options.seed,
                       "Seed of the k-means++ draws and the silhouette sample")
            ->capture_default_str();
        app.add_option("--n-init", options.n_init, "k-means++ restarts")->capture_default_str();
        add_outputs(app, "Write customer_id,recency,frequency,monetary,cluster here",
                    "Write the clusters' data criteria for `attractiveness --criteria` here");
    }

    void run(std::ostream& text) const {
        if (!options.choose_k && options.k == 0)
            throw invalid_argument("--k or --auto-k: give one of them");
        const csv_summary cs = summarize_csv(file, columns.resolve(), {});
        const customer_summary& s = cs.summary;
        rfm_cluster_options o = options;
        o.analysis_date = date();
        rfm_clusters c;
        try {
            c = cluster_rfm(s, o, &cs.customer_keys);
        } catch (const invalid_argument& e) {
            if (e.argument() != "summary") throw;
            throw invalid_argument(file + ": no customer with a purchase");
        }
        finish(
            text, c.profiles, c.values, cs.customer_keys, cs.left_out_lines,
            [&](std::ostream& f) { output::write_csv(f, c, s, cs.customer_keys); },
            [&](detail::json_writer& w) { output::write_json(w, c); },
            [&] {
                text << "wrote " << c.k() << " clusters of " << output::count(c.values.size())
                     << " customers to " << out << " (k-means on log-scaled RFM; silhouette "
                     << output::num(c.silhouette.mean, 3) << ", inertia "
                     << output::num(c.kmeans.inertia, 1) << ")" << output::left_out_note(c.values)
                     << "\n\n";
                output::write_text(text, c.profiles);
            });
    }
};

struct attractiveness_cli {
    std::string criteria_file, weights_file, pairwise_file, assignments_file, targets_out;
    attractiveness_options options; // the cut points, AHP's limit, score and rank targets
    std::vector<std::string> zones, at_least, at_most;
    std::string format = "text";

    void add_to(CLI::App& app) {
        app.add_option("--criteria", criteria_file, "Criteria CSV (format: custometrics docs)")
            ->required();
        app.add_option("--weights", weights_file, "CSV criterion,weight")
            ->excludes(app.add_option("--pairwise", pairwise_file,
                                      "CSV pairwise comparison matrix (AHP)"));
        app.add_flag("--accept-inconsistent", options.ahp.accept_inconsistent,
                     "Accept a pairwise matrix whose consistency ratio is above 0.10");
        app.add_option("--low-cut", options.cuts.low, "Scores below are low")
            ->capture_default_str();
        app.add_option("--high-cut", options.cuts.high, "Scores at or above are high")
            ->capture_default_str();
        app.add_option("--min-score", options.rules.min_score,
                       "Target segments: attractiveness score at least this");
        app.add_option("--max-rank", options.rules.max_rank, "Target segments: rank at most this");
        app.add_option(
            "--at-least", at_least,
            "Target segments: raw criterion value at least this, as NAME=VALUE (repeatable)");
        app.add_option(
            "--at-most", at_most,
            "Target segments: raw criterion value at most this, as NAME=VALUE (repeatable)");
        app.add_option("--zone", zones,
                       "Target segments: zone invest/grow, selective or harvest/divest "
                       "(repeatable)");
        app.add_option("--assignments", assignments_file,
                       "CSV customer_id,segment (or cluster): lists the customers of the targets");
        app.add_option("--targets-out", targets_out, "Write the target customers here");
        add_format(app, format);
    }

    void run(std::ostream& text) const {
        const attractiveness_analysis a = analyse_attractiveness_files(
            {criteria_file, weights_file, pairwise_file, zones, at_least, at_most}, options,
            {"--criteria", "--weights", "--pairwise", "--zone", "--at-least", "--at-most",
             "--accept-inconsistent"});
        std::size_t customers = 0; // of the targets, from an assignment file
        if (assignments_file.empty() != targets_out.empty())
            throw invalid_argument("--assignments and --targets-out: give both or neither");
        if (!targets_out.empty()) {
            const segment_assignments in =
                read_segment_assignments(read_csv_table(assignments_file, "--assignments"));
            const std::vector<std::size_t> rows = in.rows_in(a.target_names());
            if (write_table(
                    targets_out, {assignments_file, criteria_file, weights_file, pairwise_file},
                    [&](std::ostream& f) { output::write_csv(f, in, rows); }, "--targets-out"))
                return; // the target customers are the standard output
            customers = rows.size();
        }
        if (format == "json")
            return write_json_object(text, [&](detail::json_writer& w) {
                output::write_json(w, a);
                if (!targets_out.empty()) w.field("target_customers", std::uint64_t{customers});
            });
        output::write_text(text, a);
        if (!targets_out.empty())
            text << "wrote " << output::count(customers) << " target customers to " << targets_out
                 << "\n";
    }
};

// Adds the subcommand `name` with the options of `Cli`, running it on standard output.
template <class Cli> void add_cli(CLI::App& app, const char* name, const char* what) {
    const auto [o, cmd] = add_command<Cli>(app, name, what, [](const Cli& c) { c.run(std::cout); });
    o->add_to(*cmd);
}

} // namespace

void register_rfm(CLI::App& app) {
    add_cli<rfm_cli>(app, "rfm",
                     "Recency, frequency and monetary scores per customer and named RFM segments");
}
void register_segments(CLI::App& app) {
    add_cli<segments_cli>(
        app, "segments",
        "k-means clusters of customers on log-scaled recency, frequency, monetary");
}
void register_attractiveness(CLI::App& app) {
    add_cli<attractiveness_cli>(
        app, "attractiveness",
        "Weighted segment attractiveness, ranks, the nine-cell matrix, targets");
}

} // namespace custometrics::cli
