// Each customer's own purchase rhythm: for a regular buyer, the next purchase expected from
// their own cycle (the article: a customer who buys towards the end of every month is called two
// weeks before it), beside the purchase model's date in the contact list (scoring.hpp).
//
// Method. Per customer, over the distinct days with a purchase (rows with amount >= 0, as the
// loyalty signals count them; several rows on one day are one purchase day, returns are not
// purchases):
//     purchase_days = n
//     mean_gap      = (last day - first day) / (n - 1) days              (n >= 2)
//     gap_cv        = sample standard deviation of the n - 1 gaps (divisor n - 2, as pandas'
//                     `std`) / mean_gap                                  (n >= 3)
//     regular       = n >= min_purchases (3) and gap_cv <= max_cv (0.5)
//     next_purchase = last day + mean_gap days, for a regular customer still on rhythm at the
//                     log's end (its last row): at most max_overdue_cycles x mean_gap past
//                     that date (1 cycle: a customer who missed two turns has lapsed, a
//                     win-back case, and the purchase model times them); else no_time
// the same purchase days, mean interval and coefficient of variation as the loyalty types'
// `regular` rule (loyalty.hpp: behaviour_signals' mean_interval and regularity_cv, rule
// min_purchase_days 3 and max_regular_cv 0.5), so a customer is "regular" in both for the same
// reason. The mean gap (not the median) is the cycle: with a CV of at most 0.5 the two differ
// little, and the mean is what `summarize`'s recency / frequency gives too.
//
// Days are calendar days (UTC) of the row times in seconds; `last_purchase` is the start of the
// last purchase day. A customer with no purchase day has no_time throughout and NaN gaps.
//
// The contact list (`contact_list` with `rhythm_dates`, scoring.hpp) shows this date and how
// many days the customer is due in (negative: overdue) beside the model's, and with timing
// `rhythm` plans the call on it for the customers who have one.
//
// Errors: min_purchases < 3 (a CV needs two gaps), or a max_cv or max_overdue_cycles that is
// not a finite number >= 0, throws `invalid_argument` naming the option; an empty log
// `invalid_argument` ("log"); a bad log throws as `transaction_view::validate` does.
//
// Example (tests/cpp/test_rhythm.cpp):
//     // A buys on Jan 1, Jan 31, Mar 1 (gaps 30, 30): mean gap 30, CV 0, next purchase Mar 31.
//     const purchase_rhythm r = purchase_rhythm_of(log.view());
//     // r.regular[0] == 1, r.next_purchase[0] == 2024-03-31
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/transactions.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Options of `purchase_rhythm_of` (see the file comment).
struct rhythm_options {
    std::size_t min_purchases = 3; ///< purchase days a rhythm needs (>= 3)
    double max_cv = 0.5;           ///< regular: gap_cv <= this
    double max_overdue_cycles = 1; ///< on rhythm: at most this many cycles past the own date

    /// Throws `invalid_argument` naming the field for a value out of range.
    void validate() const;
};

/// Each customer's purchase rhythm, indexed by dense customer id.
struct purchase_rhythm {
    std::vector<std::int64_t> purchase_days; ///< distinct days with a purchase
    std::vector<double> mean_gap;            ///< days; NaN below 2 purchase days
    std::vector<double> gap_cv;              ///< NaN below 3 purchase days
    std::vector<std::uint8_t> regular;       ///< 1: purchase_days >= min, gap_cv <= max_cv
    std::vector<std::int64_t> last_purchase; ///< seconds, start of the last purchase day
    std::vector<std::int64_t> next_purchase; ///< last + mean gap (regular, on rhythm), else no_time
    rhythm_options options;                  ///< the options used

    std::size_t size() const noexcept { return purchase_days.size(); }
};

/// The purchase rhythm of every customer of `log` (see the file comment).
purchase_rhythm purchase_rhythm_of(const transaction_view& log, const rhythm_options& options = {});

/// The own-rhythm next purchase date of each of `keys` (e.g. a summary's customers, in its
/// order): `purchase_rhythm_of(log, options).next_purchase` of the log customer with that key
/// (`log.customer_keys`), no_time where the key is not in the log or the customer has none.
/// Throws `invalid_argument` ("log") when the log has no customer keys.
/// Example: keys {"A", "Z"} with A regular (next 2024-03-31) give {2024-03-31, no_time}.
std::vector<std::int64_t> rhythm_dates(const transaction_view& log,
                                       std::span<const std::string> keys,
                                       const rhythm_options& options = {});

CUSTOMETRICS_END_NAMESPACE
