// The `custometrics loyalty` and `custometrics profitability` subcommands (register_loyalty and
// register_profitability in command.hpp) and their sections of `custometrics report`; the
// output formats are documented at the writers (custometrics/output/loyalty.hpp).
#pragma once

#include "custometrics/report.hpp"
#include "custometrics/transactions.hpp"

#include <iosfwd>
#include <string>

namespace custometrics::cli {

/// Reads the `--signals` and `--costs` files of `custometrics report` into `options` (file
/// names or empty; the costs file only for a log with a cost column).
void read_report_inputs(report_options& options, const transaction_log& log,
                        const std::string& signals, const std::string& costs);

} // namespace custometrics::cli
