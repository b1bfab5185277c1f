// The shape every subcommand of the command-line tool shares: one `register_<cmd>(CLI::App&)`
// that adds the subcommand (`add_command`), its options and a callback running
// `run_<cmd>(options)` after parsing, plus the option groups several subcommands have (the
// log's file and columns, --format).
//
// A subcommand parses its own arguments, calls the core and formats the result; it holds no
// business rule. Errors reach main() as exceptions: a CLI11 parse error exits 2 (usage), any
// other exits 1 with its one-line message.
//
// This is the header every subcommand's file includes: it brings CLI11, the core's CSV readers,
// the JSON writer and the errors along with the helpers below.
#pragma once

#include "custometrics/csv.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/error.hpp"
#include "custometrics/output/file.hpp"
#include "custometrics/report.hpp"
#include "custometrics/transactions.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>

namespace custometrics::cli {

using detail::write_json_object;
using output::check_not_input;
using output::output_file;
using output::write_table;

/// The column options of a subcommand that reads a transaction log: --customer, --date,
/// --amount (with their defaults) and the optional --cost, --margin, --unit-cost, --quantity,
/// --order, --product, --channel.
struct column_args {
    csv_columns columns;

    /// Adds the options to `app`.
    void add_to(CLI::App& app);
    /// The columns to read: the three required ones, each optional one that was given (an
    /// empty name counts as not given), and the others by their conventional names when the
    /// file has them (csv.hpp `resolve_columns`, the one rule of every subcommand).
    csv_columns resolve() const;
};

/// The input of a subcommand that reads one transaction log: the file, its columns and the
/// output format.
struct log_args {
    std::string file, format = "text";
    column_args columns;

    /// Adds the positional `file` (required, described by `help`), the column options and
    /// `--format text|json` to `app`.
    void add_to(CLI::App& app, const char* help = "Transaction CSV");
};

/// Adds the subcommand `name` (`about`: its help) with options of type `Options`, shared with its
/// callback, which calls `run(options)` after parsing. Returns the options and the subcommand,
/// for the caller to bind the options to flags:
///     const auto [o, cmd] = add_command<pareto_command>(app, "pareto", "...", run_pareto);
///     cmd->add_option("--out", o->out, "...");
template <class Options, class Run>
std::pair<std::shared_ptr<Options>, CLI::App*> add_command(CLI::App& app, const char* name,
                                                           const char* about, Run run) {
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(name, about);
    cmd->callback([o, run] { run(*o); });
    return {o, cmd};
}

/// Checks that an option's text is a whole number >= 0 (digits only): a count, a seed, a rank.
/// CLI11 reads "-5" into an unsigned option as 2^64 - 5; this makes it a usage error instead.
/// `require_decimal_numbers` adds it to every unsigned option.
const CLI::Validator& whole_number();

/// Checks that an option's text is a number by the one rule of number.hpp (decimal, finite):
/// CLI11 alone reads "0x10" as 16 and accepts "inf" and "nan". A failure is a usage error.
const CLI::Validator& decimal_number();

/// Adds `decimal_number()` to every option of `app` and its subcommands (recursively) whose
/// value type is a floating-point number, and `whole_number()` to every one whose value type is
/// unsigned, so that every number the tool reads follows one rule; and to each output file
/// option (--*out, --rejected, --html) a non-empty check.
void require_decimal_numbers(CLI::App& app);

/// Adds `--format text|json` (default text) bound to `format`.
void add_format(CLI::App& app, std::string& format);

/// Adds `--rejected FILE` bound to `path`: the CSV of the rows and entities the analysis left
/// out, with file line, key, reason code and value (custometrics/output/left_out.hpp).
void add_rejected(CLI::App& app, std::string& path);

/// Adds `--memory-limit SIZE` bound to `text` (streaming.hpp): the rows held in memory bounded,
/// a larger file cut into parts by entity on disk (TMPDIR).
void add_memory_limit(CLI::App& app, std::string& text);

/// The bytes of a `--memory-limit` text (`parse_memory_size`; empty: 0, no limit); a bad size
/// is a usage error.
std::size_t memory_limit_of(const std::string& text);

/// Throws `e` again as a CLI11 validation error: its message, exit status 2 (usage).
[[noreturn]] void throw_usage_error(const invalid_argument& e);

/// Runs `f` (a core call given the tool's options); an `invalid_argument` about one of the
/// options (its argument starts with "--": an implausible or contradictory value) becomes a
/// usage error, exit status 2. Other errors pass unchanged.
template <class F> decltype(auto) usage_checked(F&& f) {
    try {
        return std::forward<F>(f)();
    } catch (const invalid_argument& e) {
        if (!e.argument().starts_with("--")) throw;
        throw_usage_error(e);
    }
}

/// Adds the retention economics options bound to `o`: `retention-economics`'s and `report`'s.
void add_economics_options(CLI::App& cmd, log_economics_options& o);

// One per subcommand, in the file of that subcommand.
void register_generate(CLI::App& app);
void register_summarize(CLI::App& app);
void register_report(CLI::App& app);
void register_pareto(CLI::App& app);
void register_break_even(CLI::App& app);
void register_fit(CLI::App& app);
void register_score(CLI::App& app);
void register_contacts(CLI::App& app);
void register_rfm(CLI::App& app);
void register_segments(CLI::App& app);
void register_attractiveness(CLI::App& app);
void register_loyalty(CLI::App& app);
void register_profitability(CLI::App& app);
void register_programme(CLI::App& app);
void register_retention_economics(CLI::App& app);

} // namespace custometrics::cli
