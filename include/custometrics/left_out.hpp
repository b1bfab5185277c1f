// What an analysis leaves out: the rows of a log and the entities (customers, products,
// channels) it does not use, each with the reason and the value that decided it.
//
// Every result that leaves something out keeps the list (`customer_summary::left_out`,
// `rfm_values::left_out`, `log_pareto::left_out`), so that nothing is dropped without a count
// and a reason; the faces write it (`custometrics ... --rejected FILE`,
// output/left_out.hpp) and never decide it themselves.
//
// Reasons (`left_out_code` gives the stable code the faces write):
// - `after_observation_end` (a row): its time is after the period of the observation end and
//   the late policy is `drop` (summary.hpp); the value is the row's time.
// - `only_returns` (a customer): every row of the customer is a return (amount < 0), so it has no
//   purchase period, no recency and no T; the value is its net revenue (<= 0).
// - `no_purchase_in_calibration` (a customer): its first purchase is after the calibration end
//   (summary.hpp); the value is its net revenue.
// - `no_row_in_window` (a customer): no row of the customer is up to the observation end
//   (its rows are listed as `after_observation_end`); the value is 0.
// - `value_not_positive` (an entity of a Pareto analysis): its total is <= 0 under
//   `nonpositive_policy::separate` (pareto.hpp), so it is listed, not ranked; the value is that
//   total.
//
// Example: a log with rows A 10 (Jan 1), B -5 (Jan 2), A 7 (Mar 1) summarised with observation
// end Feb 1 and late policy drop leaves out row 2 (after_observation_end, Mar 1) and customer B
// (only_returns, -5).
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/date.hpp"
#include "custometrics/key_index.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Why a row or an entity is left out of a result (see left_out.hpp).
enum class left_out_reason : std::uint8_t {
    after_observation_end,
    only_returns,
    no_purchase_in_calibration,
    no_row_in_window,
    value_not_positive,
};

/// The stable code of a reason, as the faces write it: "after_observation_end",
/// "only_returns", "no_purchase_in_calibration", "no_row_in_window", "value_not_positive".
constexpr const char* left_out_code(left_out_reason r) noexcept {
    switch (r) {
    case left_out_reason::after_observation_end:
        return "after_observation_end";
    case left_out_reason::only_returns:
        return "only_returns";
    case left_out_reason::no_purchase_in_calibration:
        return "no_purchase_in_calibration";
    case left_out_reason::no_row_in_window:
        return "no_row_in_window";
    case left_out_reason::value_not_positive:
        break;
    }
    return "value_not_positive";
}

/// `left_out_item::row` of an item that is an entity, not a row.
inline constexpr std::size_t no_row = std::numeric_limits<std::size_t>::max();

/// One row or entity left out of a result, and why.
///
/// A row item has `row` (its 0-based position in the log; `transaction_log::line_of` gives its
/// file line), `entity` (its customer) and `time` (its time in seconds, the value that decided
/// it). An entity item has `row == no_row`, `entity` (an id of the result's key index) and
/// `value` (its net revenue or total, the value that decided it).
struct left_out_item {
    left_out_reason reason = left_out_reason::only_returns;
    entity_id entity = 0;
    std::size_t row = no_row;
    std::int64_t time = no_time; ///< a row's time, seconds; no_time for an entity
    double value = 0.0;          ///< an entity's total; 0 for a row
    bool is_row() const noexcept { return row != no_row; }
};

CUSTOMETRICS_END_NAMESPACE
