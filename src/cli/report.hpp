// The `custometrics report` overview of a transaction log (command-line tool only).
#pragma once

#include "custometrics/transactions.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace custometrics::cli {

class output_file;

/// Computes the overview of `log` and prints it as text or, when `json`, as one JSON object.
/// `source` names the input ("generated sample (10,000 customers, seed 42)" or a file name).
/// With `fixed_costs_per_month`, adds the break-even date of the log (see break_even_cli.hpp).
/// The loyalty and profitability sections use the signals file `signals` and the cost-rate
/// file `costs` when not empty (see loyalty_cli.hpp). With `html`, also writes the page of
/// the report there (output/report.hpp, output/html.hpp).
void print_report(std::ostream& out, const transaction_log& log, const std::string& source,
                  bool json, std::optional<double> fixed_costs_per_month = std::nullopt,
                  const std::string& signals = {}, const std::string& costs = {},
                  output_file* html = nullptr);

} // namespace custometrics::cli
