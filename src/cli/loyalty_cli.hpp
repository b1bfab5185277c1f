// The `custometrics loyalty` and `custometrics profitability` subcommands (register_loyalty and
// register_profitability in command.hpp) and their sections of `custometrics report`; the
// output formats are documented at the writers (custometrics/output/loyalty.hpp).
#pragma once

#include "custometrics/detail/json.hpp"
#include "custometrics/transactions.hpp"

#include <iosfwd>
#include <string>

namespace custometrics::cli {

/// The loyalty and profitability sections of `custometrics report` as text (`signals` and
/// `costs` are file names or empty).
void report_loyalty_text(std::ostream& out, const transaction_log& log, const std::string& signals,
                         const std::string& costs);

/// The same as the `"loyalty"` and `"profitability"` members of the report's JSON object.
void report_loyalty_json(detail::json_writer& w, const transaction_log& log,
                         const std::string& signals, const std::string& costs);

} // namespace custometrics::cli
