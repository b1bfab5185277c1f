// The `custometrics pareto` subcommand and the Pareto section of `custometrics report`.
#pragma once

#include "custometrics/entity_totals.hpp"
#include "custometrics/pareto.hpp"
#include "custometrics/transactions.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace custometrics::cli {

/// Prints the analysis (text or one JSON object); writes the per-entity table to `out_csv` when
/// not empty. `compare` is the earlier period, when given.
void print_pareto(std::ostream& out, const transaction_log& log, dimension d, measure m,
                  const time_window& period, const std::optional<time_window>& compare,
                  const std::string& out_csv, bool json, const std::string& by_name,
                  const std::string& measure_name, const pareto_options& options = {});

} // namespace custometrics::cli
