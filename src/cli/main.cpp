// The `custometrics` command-line tool: generate, summarize, report, pareto, break-even, rfm,
// segments, attractiveness, the retention models (fit, score, contacts), loyalty,
// profitability, the loyalty-programme evaluation (programme) and the retention economics
// (retention-economics).
//
// Each subcommand registers itself (`register_<cmd>` in src/cli, see command.hpp) and runs from
// its callback inside `parse`. Every subcommand accepts `--format json` to print one JSON object
// on stdout instead of text. Exit status: 0 on success, 1 with a one-line message on stderr for
// an error in the input, 2 for a usage error (an unknown option, a missing argument), each as
// one line `custometrics: error: MESSAGE`.
#include "command.hpp"

#include "custometrics/config.hpp"
#include "custometrics/error.hpp"
#include "custometrics/progress.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <exception>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    namespace cli = custometrics::cli;
    CLI::App app{
        "custometrics: customer segmentation and retention scoring from a transaction log"};
    app.set_version_flag("--version", CUSTOMETRICS_VERSION_STRING);
    app.require_subcommand(1);
    for (auto* add :
         {cli::register_generate, cli::register_summarize, cli::register_report,
          cli::register_pareto, cli::register_break_even, cli::register_fit, cli::register_score,
          cli::register_contacts, cli::register_loyalty, cli::register_profitability,
          cli::register_rfm, cli::register_segments, cli::register_attractiveness,
          cli::register_programme, cli::register_retention_economics})
        add(app);
    cli::require_decimal_numbers(app); // one number rule for every option (number.hpp)
    try {
        // The long routines' one-line bar on standard error, only when that is a terminal.
        const custometrics::progress_scope bar(
            isatty(fileno(stderr)) ? custometrics::terminal_progress_bar(stderr) : nullptr);
        app.parse(argc, argv); // runs the chosen subcommand's callback
        std::cout.flush();
        if (!std::cout) throw custometrics::error("writing to standard output failed");
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; every other parse error is a usage error: status 2, one
        // line with the prefix of every error (issue 16; CLI11 alone wrote two lines, no prefix).
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
        std::string message = e.what();
        for (char& c : message)
            if (c == '\n' || c == '\r') c = ' ';
        std::cerr << "custometrics: error: " << message << " (usage: custometrics "
                  << (app.get_subcommands().empty()
                          ? std::string("--help")
                          : app.get_subcommands().front()->get_name() + " --help")
                  << ")\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "custometrics: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
