// The `custometrics break-even` subcommand and the break-even section of `custometrics report`.
//
// Three forms, chosen by the options given:
// - one product: --fixed-costs F --price P --unit-variable-cost V [--sales-units Q]
//   [--target-profit T [--tax-rate t]] [--depreciation D]
// - a sales mix: --fixed-costs F --mix FILE.csv [--mix-basis units|revenue], the file with the
//   header `product,price,unit_variable_cost,mix` (columns in any order, no quoting)
// - over time: --log FILE.csv --fixed-costs-per-month F (and the column options of the log)
#pragma once

#include "custometrics/break_even.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/detail/json.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace CLI {
class App;
} // namespace CLI

namespace custometrics::cli {

/// The options of `custometrics break-even`; the numbers are empty when not given.
struct break_even_options {
    std::optional<double> fixed_costs, price, unit_variable_cost, sales_units, target_profit,
        tax_rate, depreciation, fixed_costs_per_month;
    std::string mix_file;
    std::string mix_basis = "units";
    std::string log_file;
    csv_columns columns; ///< columns of --log (the caller fills them in)

    /// Registers the options above (all but `columns`) on the subcommand.
    void add_to(CLI::App& app);
};

/// Runs the form the options select and prints text or, when `json`, one JSON object.
/// Throws `invalid_argument` naming the option for a missing or misplaced one.
void print_break_even(std::ostream& out, const break_even_options& options, bool json);

/// The "Break-even" lines of `custometrics report`: the date cumulative revenue reaches
/// cumulative cost with `fixed_costs_per_month`, or why it is skipped (no cost column).
void report_break_even_text(std::ostream& out, const transaction_log& log,
                            double fixed_costs_per_month);

/// The same as a `"break_even"` member of the report's JSON object.
void report_break_even_json(detail::json_writer& w, const transaction_log& log,
                            double fixed_costs_per_month);

} // namespace custometrics::cli
