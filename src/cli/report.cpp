// `custometrics report`: reads the log (or generates the sample) and the signals and cost
// files, builds the report in the core (custometrics/report.hpp) and writes it as text or JSON,
// and with --html as a page (custometrics/output/report.hpp).
#include "command.hpp"

#include "custometrics/output/left_out.hpp"
#include "custometrics/output/report.hpp"
#include "custometrics/report.hpp"

#include <iostream>
#include <optional>
#include <string>

namespace custometrics::cli {
namespace {

/// The options of `custometrics report`: the core's (the break-even's fixed costs, the currency)
/// bound to their flags, and the files.
struct report_command {
    std::string file, format = "text", html, rejected;
    column_args columns;
    std::size_t sample_customers = 10'000;
    std::uint64_t sample_seed = 42;
    report_request core;
};

void run_report(const report_command& o) {
    std::optional<output_file> html, rejected; // opened first: a bad path fails before the work
    for (const std::string* input :
         {&o.file, &o.core.signals, &o.core.costs, &o.core.criteria, &o.core.members}) {
        check_not_input(o.html, *input, "--html");
        check_not_input(o.rejected, *input, "--rejected");
    }
    if (!o.html.empty()) html.emplace(o.html, "--html");
    if (!o.rejected.empty()) rejected.emplace(o.rejected, "--rejected");
    std::optional<report_sample> sample;
    if (o.file.empty()) sample = generate_report_sample(o.sample_customers, o.sample_seed);
    const transaction_log log =
        sample ? std::move(sample->log) : read_transactions_csv(o.file, o.columns.resolve());
    report_request request = o.core;
    request.source = sample ? sample->source : o.file;
    const sales_report report = build_report(log, request);
    if (html) html->stream() << output::render_html(report);
    if (rejected)
        output::write_left_out_csv(rejected->stream(), report.left_out(), report.customer_keys,
                                   &log);
    for (auto* f : {&html, &rejected})
        if (*f) (*f)->commit();
    o.format == "json" ? output::write_json(std::cout, report)
                       : output::write_text(std::cout, report);
}

} // namespace

void register_report(CLI::App& app) {
    const auto [o, r] = add_command<report_command>(
        app, "report", "A readable overview of a transaction log (default: a generated sample)",
        run_report);
    r->add_option("file", o->file,
                  "Transaction CSV (default: a generated sample of 10,000 customers)");
    o->columns.add_to(*r);
    r->add_option("--sample-customers", o->sample_customers, "Customers in the generated sample")
        ->capture_default_str();
    r->add_option("--sample-seed", o->sample_seed, "Seed of the generated sample")
        ->capture_default_str();
    r->add_option("--fixed-costs-per-month", o->core.fixed_costs_per_month,
                  "Fixed costs a month: adds the break-even section");
    r->add_option("--signals", o->core.signals,
                  "Per-customer signals CSV for the loyalty section (see `loyalty --help`)");
    r->add_option("--costs", o->core.costs, "Cost-rate JSON for the profitability section");
    r->add_option("--criteria", o->core.criteria, "Criteria CSV: the attractiveness matrix");
    r->add_option("--members", o->core.members, "Members CSV: the programme section");
    add_economics_options(*r, o->core.economics); // the retention economics section
    r->add_option("--html", o->html,
                  "Also write the report as one self-contained HTML page with charts");
    r->add_option("--currency", o->core.currency,
                  "ISO 4217 code of the amounts in text and HTML (EUR, USD, ...; default none)");
    add_rejected(*r, o->rejected);
    r->add_option("--lang", o->core.lang, "Language of the text and HTML report: en or de")
        ->capture_default_str();
    r->add_option("--locale", o->core.locale,
                  "Number and date formats: en or de (default: --lang)");
    add_format(*r, o->format);
}

} // namespace custometrics::cli
