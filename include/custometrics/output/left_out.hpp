// The CSV form of what an analysis left out (left_out.hpp), as `custometrics ... --rejected FILE`
// writes it.
//
// Example:
//     const customer_summary s = summarize(log.view(), options);
//     output::write_left_out_csv(file, s.left_out, log.customer_keys, &log);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/left_out.hpp"
#include "custometrics/transactions.hpp"

#include <iosfwd>
#include <span>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The items as CSV: header `line,key,reason,value`, one record per item in the given order.
///
/// `line` is the 1-based file line of a row item (`log->line_of(row)`; empty when `log` is null
/// or has no line marks, and for an entity item); `key` the entity's key in `keys` (a row's
/// customer); `reason` the code of `left_out_code`; `value` what decided it: a row's time as an
/// ISO date (with the time of day when not midnight), an entity's total as a number in its
/// shortest round-trip form. Keys are quoted as RFC 4180 wants. Only a header for no item.
///
/// Example: summarize --late drop of `customer_id,date,amount` / `A,2020-01-01,10` /
/// `B,2020-01-02,-5` / `A,2020-03-01,7` with observation end 2020-02-01 writes
/// `4,A,after_observation_end,2020-03-01` and `,B,only_returns,-5`.
void write_left_out_csv(std::ostream& out, std::span<const left_out_item> items,
                        const key_index& keys, const transaction_log* log = nullptr);

/// The items as above, the line of a row item given by `lines`: one mark a row, ascending by
/// row (`csv_summary::left_out_lines`, streaming.hpp); a row without a mark has no line.
void write_left_out_csv(std::ostream& out, std::span<const left_out_item> items,
                        const key_index& keys, std::span<const line_mark> lines);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
