// The `custometrics pareto` subcommand and the Pareto section of `custometrics report`.
#pragma once

#include "custometrics/pareto.hpp"
#include "custometrics/transactions.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace custometrics::cli {

/// Which entities are ranked: customers, products, channels, or a column read as product keys.
enum class dimension { customer, product, channel };
/// Which indicator is totalled per entity: net revenue, profit, quantity (or a column read as
/// quantity).
enum class measure { revenue, profit, quantity };

/// A time window [start, end] in seconds, either side open when absent.
struct window {
    std::optional<std::int64_t> start;
    std::optional<std::int64_t> end; ///< inclusive
};

/// Totals of one indicator per entity, indexed by entity id.
struct entity_totals_result {
    std::vector<double> value;     ///< total per entity id (0 when it has no row in the window)
    std::vector<entity_id> active; ///< ids with at least one row in the window, ascending
};

/// The total of `m` per entity of `d` over the rows of `log` inside `w`.
/// Throws `invalid_argument` naming the option when the log lacks the column the pair needs.
entity_totals_result entity_totals(const transaction_log& log, dimension d, measure m,
                                   const window& w);

/// The key index of dimension `d` in `log`.
const key_index& dimension_keys(const transaction_log& log, dimension d);

/// Prints the analysis (text or one JSON object); writes the per-entity table to `out_csv` when
/// not empty. `compare` is the earlier period, when given.
void print_pareto(std::ostream& out, const transaction_log& log, dimension d, measure m,
                  const window& period, const std::optional<window>& compare,
                  const std::string& out_csv, bool json, const std::string& by_name,
                  const std::string& measure_name, const pareto_options& options = {});

} // namespace custometrics::cli
