// `custometrics generate`: a seeded synthetic transaction log (generate.hpp) written as CSV.
#include "command.hpp"

#include "custometrics/date.hpp"
#include "custometrics/generate.hpp"

#include <iostream>
#include <ostream>
#include <string>

namespace custometrics::cli {

/// The options of `custometrics generate`.
struct generate_cli_options {
    generate_options gen;
    std::string start = "2020-01-01", end = "2021-12-31", out, format = "text";
};

/// Writes the log and prints what was written.
void run_generate(const generate_cli_options& o) {
    generate_options gen = o.gen;
    gen.start = parse_time_or_throw(o.start, "--start");
    gen.end = parse_time_or_throw(o.end, "--end");
    const generated_log log = generate_transactions(gen);
    output_file file(o.out); // --out is required: an empty name is an error here
    write_transactions_csv(file.stream(), log.log);
    file.commit();
    if (file.is_stdout()) return; // the log is the standard output
    if (o.format == "json") {
        write_json_object(std::cout, [&](detail::json_writer& w) {
            w.field("out", o.out).field("rows", static_cast<std::uint64_t>(log.log.size()));
            w.field("customers", static_cast<std::uint64_t>(log.log.customer_keys.size()));
            w.field("seed", gen.seed);
        });
    } else {
        std::cout << "wrote " << log.log.size() << " transactions of "
                  << log.log.customer_keys.size() << " customers to " << o.out << "\n";
    }
}

void register_generate(CLI::App& app) {
    const auto [o, g] = add_command<generate_cli_options>(
        app, "generate", "Write a seeded synthetic transaction log (BG/NBD + Gamma-Gamma)",
        run_generate);
    g->add_option("--customers", o->gen.customers, "Number of customers")->capture_default_str();
    g->add_option("--seed", o->gen.seed, "Random seed (same seed, same file)")
        ->capture_default_str();
    g->add_option("--start", o->start, "First day (YYYY-MM-DD)")->capture_default_str();
    g->add_option("--end", o->end, "Last day (YYYY-MM-DD)")->capture_default_str();
    g->add_option("--return-rate", o->gen.return_rate, "Share of purchases returned")
        ->capture_default_str();
    g->add_option("--out", o->out, "Output CSV file (customer_id,date,amount,cost,product,channel)")
        ->required();
    add_format(*g, o->format);
}

} // namespace custometrics::cli
