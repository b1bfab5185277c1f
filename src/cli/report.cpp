// The `custometrics report` overview: size, period, revenue and per-customer statistics, Pareto,
// RFM segments, retention, break-even, loyalty and profitability sections.
#include "report.hpp"

#include "command.hpp"
#include "loyalty_cli.hpp"
#include "pareto_cli.hpp"
#include "retention_cli.hpp"

#include "format.hpp"
#include "output.hpp"

#include "custometrics/detail/json.hpp"
#include "custometrics/generate.hpp"
#include "custometrics/output/break_even.hpp"
#include "custometrics/output/report.hpp"
#include "custometrics/output/segments.hpp"
#include "custometrics/report.hpp"
#include "custometrics/summary.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <ostream>
#include <utility>
#include <vector>

namespace custometrics::cli {

void print_report(std::ostream& out, const transaction_log& log, const std::string& source,
                  bool json, std::optional<double> fixed_costs_per_month,
                  const std::string& signals, const std::string& costs, output_file* html) {
    const transaction_view view = log.view();
    view.validate();
    if (log.size() == 0) throw invalid_argument("report", "the log has no rows");
    summary_options so;
    so.unit = time_unit::days;
    const customer_summary s = summarize(view, so);
    const sales_overview overview = compute_sales_overview(log, s);
    const retention_overview_result retention = retention_overview(s);
    if (html) {
        output::html_document doc;
        doc.title = "Sales report";
        doc.subtitle = source + ", " + format_date(overview.first_time) + " to " +
                       format_date(overview.last_time);
        output::add_html_sections(doc, overview);
        html->stream() << output::render_html(doc);
    }
    if (json) {
        detail::json_writer w(out);
        w.begin_object();
        output::write_json(w, overview, source);
        output::report_rfm_json(w, s);
        report_retention_json(w, retention, s, log.customer_keys);
        if (fixed_costs_per_month)
            output::report_break_even_json(
                w, output::report_break_even_series(log, *fixed_costs_per_month),
                *fixed_costs_per_month);
        report_loyalty_json(w, log, signals, costs);
        w.end_object();
        return;
    }
    output::write_text(out, overview, source);
    output::report_rfm_text(out, s);
    report_retention_text(out, retention, s, log.customer_keys);
    if (fixed_costs_per_month)
        output::report_break_even_text(
            out, output::report_break_even_series(log, *fixed_costs_per_month),
            *fixed_costs_per_month);
    report_loyalty_text(out, log, signals, costs);
}

void register_report(CLI::App& app) {
    struct options {
        std::string file, format = "text", signals, costs, html;
        column_args columns;
        std::size_t sample_customers = 10'000;
        std::uint64_t sample_seed = 42;
        std::optional<double> fixed_costs_per_month;
    };
    auto o = std::make_shared<options>();
    auto* r = app.add_subcommand(
        "report", "A readable overview of a transaction log (default: a generated sample)");
    r->add_option("file", o->file,
                  "Transaction CSV (default: a generated sample of 10,000 customers)");
    o->columns.add_to(*r);
    r->add_option("--sample-customers", o->sample_customers, "Customers in the generated sample")
        ->check(whole_number())
        ->capture_default_str();
    r->add_option("--sample-seed", o->sample_seed, "Seed of the generated sample")
        ->check(whole_number())
        ->capture_default_str();
    r->add_option_function<double>(
        "--fixed-costs-per-month", [o](const double& v) { o->fixed_costs_per_month = v; },
        "Adds a break-even section: the date revenue covers cost of goods plus these fixed costs");
    r->add_option("--signals", o->signals,
                  "Per-customer signals CSV for the loyalty section (see `loyalty --help`)");
    r->add_option("--costs", o->costs, "Cost-rate JSON for the profitability section");
    r->add_option("--html", o->html,
                  "Also write the report as one self-contained HTML page with charts");
    add_format(*r, o->format);
    r->callback([o] {
        const bool json = o->format == "json";
        std::optional<output_file> html;
        if (!o->html.empty()) {
            check_not_input(o->html, o->file, "--html");
            check_not_input(o->html, o->signals, "--html");
            check_not_input(o->html, o->costs, "--html");
            html.emplace(o->html, "--html");
        }
        output_file* page = html ? &*html : nullptr;
        if (!o->file.empty()) {
            const transaction_log log = read_transactions_csv(o->file, o->columns.resolve());
            print_report(std::cout, log, o->file, json, o->fixed_costs_per_month, o->signals,
                         o->costs, page);
            if (html) html->commit();
            return;
        }
        generate_options g;
        g.customers = o->sample_customers;
        g.seed = o->sample_seed;
        const generated_log sample = generate_transactions(g);
        print_report(std::cout, sample.log,
                     "generated sample (" + std::to_string(o->sample_customers) +
                         " customers, seed " + std::to_string(o->sample_seed) + ")",
                     json, o->fixed_costs_per_month, o->signals, o->costs, page);
        if (html) html->commit();
    });
}

} // namespace custometrics::cli
