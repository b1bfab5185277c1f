// The `custometrics loyalty` and `custometrics profitability` subcommands, and their sections of
// `custometrics report`.
//
//   custometrics loyalty FILE.csv [--signals signals.csv] [--rules rules.json]
//       [--churn-reference reference.json] [--discount COL] [--payment-delay COL]
//       [--out labels.csv] [--format json]
// writes `customer_id,loyalty_type,quadrant,nps_category,spending_type,reason` per customer of
// the log (spending types from the questionnaire, or "<type> (proxy)" from the behavioural
// proxy) and prints counts and shares per loyalty type, quadrant, NPS (overall and per
// segment), spending type and churn reason (with the chi-square test against the reference,
// a JSON object of the seven shares).
//
//   custometrics profitability FILE.csv --costs costs.json [--signals signals.csv]
//       [--discount COL] [--payment-delay COL] [--out profit.csv] [--format json]
// writes the cost lines, profit, flags and reason per customer and prints totals, flag counts
// and the whale curve of the profits.
#pragma once

#include "custometrics/csv.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/transactions.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace custometrics::cli {

/// Options shared by both subcommands (the caller fills in `columns`).
struct loyalty_cli_options {
    std::string file;
    csv_columns columns;
    std::string signals, rules, churn_reference, costs, discount, payment_delay, out;
};

/// Runs `custometrics loyalty`; prints text or, when `json`, one JSON object.
void print_loyalty(std::ostream& out, const loyalty_cli_options& options, bool json);

/// Runs `custometrics profitability`; prints text or, when `json`, one JSON object.
void print_profitability(std::ostream& out, const loyalty_cli_options& options, bool json);

/// The loyalty and profitability sections of `custometrics report` (`signals` and `costs` are
/// file names or empty). Text form.
void report_loyalty_text(std::ostream& out, const transaction_log& log, const std::string& signals,
                         const std::string& costs);

/// The same as `"loyalty"` and `"profitability"` members of the report's JSON object.
void report_loyalty_json(detail::json_writer& w, const transaction_log& log,
                         const std::string& signals, const std::string& costs);

} // namespace custometrics::cli
