// `custometrics summarize`: the per-customer summary of a log (summary.hpp) as CSV, with the
// summary's time axis and observation end as its last columns (read back by fit, score and
// contacts).
#include "command.hpp"
#include "format.hpp"
#include "output.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/summary.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <ostream>
#include <string>

namespace custometrics::cli {

namespace {

/// The options of `custometrics summarize`.
struct summarize_cli_options {
    std::string file, out, time_unit = "days", observation_end, calibration_end,
                           returns = "exclude", late = "error", format = "text";
    double unit_scale = 1.0;
    bool include_first_transaction = false;
    column_args columns;
};

// Writes the summary table as CSV, with its time axis and end as the last columns.
void write_summary_csv(std::ostream& out, const customer_summary& s, const key_index& keys) {
    const bool h = s.has_holdout();
    const std::string sfx = h ? "_cal" : "";
    out << "customer_id,frequency" << sfx << ",recency" << sfx << ",T" << sfx << ",monetary_value"
        << sfx;
    if (h) out << ",frequency_holdout,monetary_value_holdout,duration_holdout";
    out << ",revenue,returns";
    if (!s.profit.empty()) out << ",profit";
    out << ",n_purchases,n_returns,orders,first_purchase,last_purchase,time_unit,unit_scale,"
           "observation_end";
    if (h) out << ",calibration_end";
    out << '\n';
    // The time axis and end as constant columns: they survive row filtering and any CSV tool.
    std::string axis = ',' + std::string(to_string(s.unit)) + ',' + number_text(s.unit_scale) +
                       ',' + format_time(s.observation_end);
    if (h) axis += ',' + format_time(*s.calibration_end);
    for (std::size_t k = 0; k < s.size(); ++k) {
        out << csv_key(keys, s.customer[k]) << ',' << number_text(s.frequency[k]) << ','
            << number_text(s.recency[k]) << ',' << number_text(s.T[k]) << ','
            << number_text(s.monetary_value[k]);
        if (h)
            out << ',' << number_text(s.frequency_holdout[k]) << ','
                << number_text(s.monetary_value_holdout[k]) << ','
                << number_text(s.duration_holdout);
        out << ',' << number_text(s.revenue[k]) << ',' << number_text(s.returns[k]);
        if (!s.profit.empty()) out << ',' << number_text(s.profit[k]);
        out << ',' << s.n_purchases[k] << ',' << s.n_returns[k] << ',' << s.orders[k] << ','
            << (s.first_purchase[k] == no_time ? "" : format_time(s.first_purchase[k])) << ','
            << (s.last_purchase[k] == no_time ? "" : format_time(s.last_purchase[k])) << axis
            << '\n';
    }
}

void run_summarize(std::ostream& out, const summarize_cli_options& o) {
    const bool json = o.format == "json";
    const bool to_stdout = o.out.empty() || o.out == "-";
    if (json && to_stdout)
        throw invalid_argument("--out", "required with --format json (the table goes to the file)");
    check_not_input(o.out, o.file, "--out");
    const transaction_log log = read_transactions_csv(o.file, o.columns.resolve());
    summary_options so;
    so.unit = parse_time_unit(o.time_unit, "--time-unit");
    so.unit_scale = o.unit_scale;
    if (!o.observation_end.empty())
        so.observation_end = parse_time_or_throw(o.observation_end, "--observation-end");
    if (!o.calibration_end.empty())
        so.calibration_end = parse_time_or_throw(o.calibration_end, "--calibration-end");
    so.returns = parse_returns_policy(o.returns, "--returns");
    so.late = parse_late_policy(o.late, "--late");
    so.include_first_transaction = o.include_first_transaction;
    const customer_summary sm = summarize(log.view(), so);
    output_file table(to_stdout ? "-" : o.out);
    write_summary_csv(table.stream(), sm, log.customer_keys);
    table.commit();
    if (json) {
        detail::json_writer w(out);
        w.begin_object()
            .field("out", o.out)
            .field("rows_read", static_cast<std::uint64_t>(log.size()));
        w.field("rows_used", static_cast<std::uint64_t>(sm.rows_used));
        w.field("rows_dropped_after_end", static_cast<std::uint64_t>(sm.rows_dropped_after_end));
        w.field("customers", static_cast<std::uint64_t>(sm.size()));
        w.field("customers_without_purchase",
                static_cast<std::uint64_t>(sm.customers_without_purchase.size()));
        w.field("time_unit", to_string(sm.unit)).field("unit_scale", sm.unit_scale);
        w.field("observation_end", format_time(sm.observation_end));
        if (sm.calibration_end) {
            w.field("calibration_end", format_time(*sm.calibration_end));
            w.field("duration_holdout", sm.duration_holdout);
        }
        w.end_object();
    } else if (!to_stdout) {
        out << "wrote the summary of " << sm.size() << " customers to " << o.out << "\n";
    }
    if (!sm.customers_without_purchase.empty() || sm.rows_dropped_after_end > 0)
        std::cerr << "custometrics: note: " << sm.customers_without_purchase.size()
                  << " customers without a purchase in the window are not in the table; "
                  << sm.rows_dropped_after_end << " rows after the observation end were dropped\n";
}

} // namespace

void register_summarize(CLI::App& app) {
    auto o = std::make_shared<summarize_cli_options>();
    auto* s = app.add_subcommand("summarize",
                                 "Per-customer frequency, recency, T, monetary value and totals");
    s->add_option("file", o->file, "Transaction CSV")->required();
    o->columns.add_to(*s);
    s->add_option("--time-unit", o->time_unit, "Purchase period: days, weeks or months")
        ->capture_default_str();
    s->add_option("--unit-scale", o->unit_scale,
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
    s->add_flag("--include-first-transaction", o->include_first_transaction,
                "Count the first purchase period in frequency and monetary value");
    s->add_option("--out", o->out, "Output CSV file (default: standard output)");
    add_format(*s, o->format);
    s->callback([o] { run_summarize(std::cout, *o); });
}

} // namespace custometrics::cli
