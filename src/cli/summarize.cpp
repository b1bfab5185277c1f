// `custometrics summarize`: the per-customer summary of a log (summary.hpp) as CSV, with the
// summary's time axis and observation end as its last columns (read back by fit, score and
// contacts).
#include "command.hpp"

#include "custometrics/date.hpp"
#include "custometrics/output/left_out.hpp"
#include "custometrics/output/summary.hpp"
#include "custometrics/streaming.hpp"

#include <iostream>
#include <optional>
#include <ostream>
#include <string>

namespace custometrics::cli {

namespace {

/// The options of `custometrics summarize`: the core's (those that are not names or dates bound
/// to their flags) and the files.
struct summarize_cli_options : log_args {
    std::string out, rejected, time_unit = "days", observation_end, calibration_end,
                               returns = "exclude", late = "error", memory_limit;
    summary_options core;
};

void run_summarize(const summarize_cli_options& o) {
    const bool json = o.format == "json";
    const bool to_stdout = o.out.empty() || o.out == "-";
    if (json && to_stdout)
        throw invalid_argument("--out", "required with --format json (the table goes to the file)");
    check_not_input(o.out, o.file, "--out");
    check_not_input(o.rejected, o.file, "--rejected");
    const std::size_t limit = memory_limit_of(o.memory_limit);
    summary_options so = o.core;
    so.unit = parse_time_unit(o.time_unit, "--time-unit");
    if (!o.observation_end.empty())
        so.observation_end = parse_time_or_throw(o.observation_end, "--observation-end");
    if (!o.calibration_end.empty())
        so.calibration_end = parse_time_or_throw(o.calibration_end, "--calibration-end");
    so.returns = parse_returns_policy(o.returns, "--returns");
    so.late = parse_late_policy(o.late, "--late");
    const csv_summary r = usage_checked([&] {
        return summarize_csv(o.file, o.columns.resolve(), so, limit, {}, "--memory-limit");
    });
    const customer_summary& sm = r.summary;
    // Two outputs, all or nothing, after the last check.
    output::write_outputs({{to_stdout ? "-" : o.out, "--out",
                            [&](std::ostream& f) { output::write_csv(f, sm, r.customer_keys); }},
                           {o.rejected, "--rejected", [&](std::ostream& f) {
                                output::write_left_out_csv(f, sm.left_out, r.customer_keys,
                                                           r.left_out_lines);
                            }}});
    if (json) {
        write_json_object(std::cout, [&](detail::json_writer& w) {
            w.field("out", o.out).field("rows_read", static_cast<std::uint64_t>(r.rows));
            w.field("parts", static_cast<std::uint64_t>(r.parts));
            output::write_json(w, sm);
        });
    } else if (!to_stdout) {
        std::cout << "wrote the summary of " << sm.size() << " customers to " << o.out << "\n";
    }
    if (!sm.customers_without_purchase.empty() || sm.rows_dropped_after_end > 0)
        std::cerr << "custometrics: note: " << sm.customers_without_purchase.size()
                  << " customers without a purchase in the window are not in the table; "
                  << sm.rows_dropped_after_end << " rows after the observation end were dropped\n";
}

} // namespace

void register_summarize(CLI::App& app) {
    const auto [o, s] = add_command<summarize_cli_options>(
        app, "summarize", "Per-customer frequency, recency, T, monetary value and totals",
        run_summarize);
    o->add_to(*s);
    s->add_option("--time-unit", o->time_unit, "Purchase period: days, weeks or months")
        ->capture_default_str();
    s->add_option("--unit-scale", o->core.unit_scale,
                  "Divide recency, T and duration by this (e.g. days / 7 = weeks)")
        ->capture_default_str();
    s->add_option("--observation-end", o->observation_end,
                  "Last day observed (default: the last transaction)");
    s->add_option("--calibration-end", o->calibration_end,
                  "End of the calibration period: adds holdout columns");
    s->add_option("--returns", o->returns,
                  "Negative amounts: exclude (default) or net (as lifetimes)")
        ->capture_default_str();
    s->add_option("--late", o->late, "Rows after the observation end: error (default) or drop")
        ->capture_default_str();
    s->add_flag("--include-first-transaction", o->core.include_first_transaction,
                "Count the first purchase period in frequency and monetary value");
    s->add_option("--out", o->out, "Output CSV file (default: standard output)");
    add_rejected(*s, o->rejected);
    add_memory_limit(*s, o->memory_limit);
}

} // namespace custometrics::cli
