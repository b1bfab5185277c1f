// `custometrics generate`: a seeded synthetic transaction log (generate.hpp) written as CSV.
#include "command.hpp"
#include "output.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/generate.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <ostream>
#include <string>

namespace custometrics::cli {

/// The options of `custometrics generate`.
struct generate_cli_options {
    generate_options gen;
    std::string start = "2020-01-01", end = "2021-12-31", out, format = "text";
};

/// Writes the log and prints what was written.
void run_generate(std::ostream& out, const generate_cli_options& o) {
    generate_options gen = o.gen;
    gen.start = parse_time_or_throw(o.start, "--start");
    gen.end = parse_time_or_throw(o.end, "--end");
    const generated_log log = generate_transactions(gen);
    output_file file(o.out);
    write_transactions_csv(file.stream(), log.log);
    file.commit();
    if (file.is_stdout()) return; // the log is the standard output
    if (o.format == "json") {
        detail::json_writer w(out);
        w.begin_object()
            .field("out", o.out)
            .field("rows", static_cast<std::uint64_t>(log.log.size()));
        w.field("customers", static_cast<std::uint64_t>(log.log.customer_keys.size()));
        w.field("seed", gen.seed).end_object();
    } else {
        out << "wrote " << log.log.size() << " transactions of " << log.log.customer_keys.size()
            << " customers to " << o.out << "\n";
    }
}

void register_generate(CLI::App& app) {
    auto o = std::make_shared<generate_cli_options>();
    auto* g = app.add_subcommand("generate",
                                 "Write a seeded synthetic transaction log (BG/NBD + Gamma-Gamma)");
    g->add_option("--customers", o->gen.customers, "Number of customers")
        ->check(whole_number())
        ->capture_default_str();
    g->add_option("--seed", o->gen.seed, "Random seed (same seed, same file)")
        ->check(whole_number())
        ->capture_default_str();
    g->add_option("--start", o->start, "First day (YYYY-MM-DD)")->capture_default_str();
    g->add_option("--end", o->end, "Last day (YYYY-MM-DD)")->capture_default_str();
    g->add_option("--return-rate", o->gen.return_rate, "Share of purchases returned")
        ->capture_default_str();
    g->add_option("--out", o->out, "Output CSV file (customer_id,date,amount,cost,product,channel)")
        ->required();
    add_format(*g, o->format);
    g->callback([o] { run_generate(std::cout, *o); });
}

} // namespace custometrics::cli
