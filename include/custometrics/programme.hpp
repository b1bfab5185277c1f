// Evaluation of a loyalty programme (Kundenbindungsprogramm) from a transaction log and a table
// of members with their joining dates: did joining change what members buy, and does the extra
// margin pay for the programme?
//
// Design: matched difference-in-differences. Members are compared with comparable non-members
// before and after joining (Stuart 2010, "Matching methods for causal inference", Statistical
// Science 25(1); Angrist & Pischke 2009, "Mostly Harmless Econometrics", ch. 5; for loyalty
// programmes, Leenheer, van Heerde, Bijmolt & Smidts 2007, IJRM 24(1), who stress that members
// self-select, which is why members are matched on their behaviour before joining).
//
// Periods. For a member who joined at time J (seconds), the pre-period is [J - pre_days, J) and
// the post-period [J, J + post_days) (the joining day belongs to the post-period). The log covers
// [first day of its first row, end of the day of its last row). A member is evaluated when
// both periods lie inside the log, the member has bought before J (a row with a positive amount
// before J, in or before the pre-period: there is behaviour to match on), and a comparable
// non-member is found. Everyone else is counted and listed with the reason, checked in this
// order: `not_in_log` (the member's key is not a customer of the log), `before_log_start` (joined
// before the log starts, or too soon after it for a full pre-period), `after_log_end` (joined
// too close to the log's end for a full post-period), `no_history` (no purchase before joining),
// `no_match` (no non-member within the caliper). A customer of the log listed twice is an
// error (a key that is not in the log is counted each time it appears).
//
// Matching. Non-members (customers of the log that are not in the members table at all) are
// candidates for a member when they bought before J; a matched non-member gets its member's J as
// reference date, so both are measured over the same calendar windows. Features in the
// pre-period: recency (days from the last purchase in the pre-period to J; pre_days when there
// is none), frequency (purchases: rows with a positive amount) and spend (net amount, returns
// subtracted, floored at 0), each as log1p and divided by the standard deviation of that feature
// over the eligible members (1 when it is 0). The control is the nearest candidate in Euclidean
// distance on these three (ties: the smaller customer id); farther than `caliper` = no match.
// Without replacement (the default) a non-member serves at most one member and members pick in
// order of joining date, then customer id (greedy matching); with replacement every member gets
// its nearest candidate. Cost: one pass over the log, then per distinct joining date the
// features of every candidate (a binary search per customer) and a scan of the candidates per
// member: O(rows log rows + dates * customers * log k + members * customers).
//
// Assumption: joining depends on behaviour before joining (which the matching holds equal), not
// on what members or controls do afterwards. The controls are customers who never join; where
// customers join when they turn active, those who never join include some who stayed light
// after J, which inflates the effect. On generated logs with joining dates spread over a year
// and joining driven by the purchases before it, this biased the purchase effect upwards by
// about 1.5 standard errors (900 members); with one enrolment date (a programme launch) the
// bias is gone (tests/cpp/test_programme.cpp uses that design).
//
// Outcomes per customer and period: purchases per month, spend (net amount) per month, margin
// per month (month = 30.4375 days) and active (1 when the customer buys at least once in the
// period). Retention is the share of customers active in the post-period ("still buying"), a
// share, not a survival curve; its difference-in-differences subtracts the pre-period shares.
// Each effect is the mean over matched pairs of
//     (member post - member pre) - (control post - control pre),
// the average effect on the evaluated members (ATT). `relative` divides it by the members'
// counterfactual post-period value (member post - effect).
//
// Margin and cost. Row margin = amount - cost with the log's cost column, else margin_rate *
// amount (the rate is the margin share of the price before the programme's discount). With a
// discount column (the programme's discount per row, in money, >= 0) the discount is the
// programme's cost: members' post-period rows count at their margin before the discount
// (amount + discount - cost; with a rate, margin_rate * (amount + discount)) and the discounts
// of those rows are summed as cost; every other row counts net of its discount (amount - cost;
// margin_rate * (amount + discount) - discount). Per evaluated member:
//     incremental margin = effect on margin per month * post months
//     cost               = post-period discounts + card_cost_per_member
//                          + fixed_costs / (rows of the members table)
//     ROI                = (incremental margin - cost) / cost        (not defined for cost 0)
// Card cost and fixed costs are for the post-period. Totals are per-member figures times the
// evaluated members.
//
// Confidence intervals: percentile bootstrap over matched pairs (Efron & Tibshirani 1993,
// "An Introduction to the Bootstrap", ch. 13): `bootstrap` resamples of the pairs with
// replacement, drawn from std::mt19937_64 seeded with `seed` (indices by rejection sampling, so
// the draws are the same on every platform), quantiles linear between order statistics (numpy's
// default). Each resample recomputes every effect and the ROI. With replacement matching, pairs
// that share a control are not independent and the interval is somewhat too narrow (Abadie &
// Imbens 2008, Econometrica 76(6)); matching without replacement avoids this.
//
// The programme type is a label carried to the result; the thirteen types are those of the
// article ("Gängige Treueprogramme, die eine Umsatzsteigerung hervorrufen").
//
// Example:
//     std::vector<programme_member> members{{"C-17", parse_time_or_throw("2021-03-01", "joined")}};
//     programme_options opt;
//     opt.type = programme_type::customer_card;
//     opt.margin_rate = 0.3; // needed when the log has no cost column
//     opt.card_cost_per_member = 5;
//     const programme_result r = evaluate_programme(log.view(), members, opt);
//     // r.frequency.effect: extra purchases per member and month; r.roi.value and its interval
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/transactions.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The article's thirteen common loyalty programmes ("Gängige Treueprogramme"), in its order.
enum class programme_type : std::uint8_t {
    customer_card,        ///<  1. Kundenkarte -- customer card
    cumulative_discounts, ///<  2. Kumulative Rabatte, Boni -- cumulative discounts, bonuses
    special_terms,        ///<  3. Besondere Nutzungsbedingungen -- special terms of use
    prizes,               ///<  4. Preise, Lotterien, Wettbewerbe -- prizes, lotteries, contests
    unique_experience,    ///<  5. Ein einzigartiges Erlebnis bekommen -- a unique experience
    charity,              ///<  6. Wohltätigkeit -- charity
    club,                 ///<  7. Vereinsgründungen -- founding a club
    restricted_access,    ///<  8. Zugriff auf eingeschränkte Ressourcen -- restricted resources
    customer_service,     ///<  9. Kundendienst -- customer service
    coalition,            ///< 10. Erstellung von Koalitions-Treueprogrammen -- coalition programme
    trade_in,             ///< 11. Austausch eines alten Artikels gegen einen neuen -- trade-in
    customer_training,    ///< 12. Kundenschulung -- customer training
    support_24_7          ///< 13. Technischer Support rund um die Uhr -- 24/7 technical support
};
inline constexpr std::size_t n_programme_types = 13;

/// The identifier of a type: "customer_card", "cumulative_discounts", ... "support_24_7".
std::string_view to_string(programme_type t) noexcept;
/// The article's German name: "Kundenkarte", ... "Technischer Support rund um die Uhr".
std::string_view german_name(programme_type t) noexcept;
/// An English name: "Customer card", ... "24/7 technical support".
std::string_view english_name(programme_type t) noexcept;
/// A type from its identifier (`to_string`) or its number in the article, "1".."13". Throws
/// `invalid_argument` naming `argument`, with the text as value and the identifiers in the
/// message, for anything else. Example: "coalition" and "10" both give `coalition`.
programme_type parse_programme_type(std::string_view text, std::string_view argument = "type");

/// One row of the members table: a customer key (as text, matched to the log's keys whatever
/// their type; a view without `customer_keys` takes the dense id written in decimal) and the
/// joining time in seconds since the epoch.
struct programme_member {
    std::string key;
    std::int64_t joined = 0;
};

/// Reads a members table (`read_csv_table`) with the columns `customer_id` (the customer key)
/// and `joined` (an ISO date or timestamp, see `parse_time`); other columns are ignored. Throws
/// `parse_error` naming the file, line, column and value for a missing column, an empty key or
/// a date that cannot be read. Row r of the result is row r of the table (`table.line[r]` is its
/// line), so an error of `evaluate_programme` with row r points to that line.
std::vector<programme_member> read_programme_members(const csv_table& table);

/// The members from two columns, as the Python face gives them: keys and joining times
/// (seconds since the epoch), row r from row r of each. Throws `invalid_argument` ("members")
/// when the columns differ in length. Example: keys {"A", "B"}, joined {0, 86400}.
std::vector<programme_member> programme_members(std::span<const std::string> keys,
                                                std::span<const std::int64_t> joined);

/// Why a member is not evaluated (see the file comment for the order of the checks).
enum class programme_exclusion_reason : std::uint8_t {
    not_in_log,       ///< the key is not a customer of the log
    before_log_start, ///< joined before the log starts or too soon after it for the pre-period
    after_log_end,    ///< joined too close to the log's end for the post-period
    no_history,       ///< no purchase before joining: nothing to match on
    no_match          ///< no non-member within the caliper (or none left, without replacement)
};
inline constexpr std::size_t n_programme_exclusion_reasons = 5;
/// "not_in_log", "before_log_start", "after_log_end", "no_history", "no_match".
std::string_view to_string(programme_exclusion_reason r) noexcept;

/// Options of `evaluate_programme`; the defaults are what the CLI and Python use.
struct programme_options {
    std::optional<programme_type> type; ///< a label carried to the result; none by default
    std::int64_t pre_days = 180;        ///< length of the pre-period, days, >= 1
    std::int64_t post_days = 180;       ///< length of the post-period, days, >= 1
    bool with_replacement = false;      ///< may one non-member serve several members?
    /// Largest standardised distance of a match (> 0; infinity = no caliper). 0.5: the three
    /// features may differ by about a third of a standard deviation each.
    double caliper = 0.5;
    /// Margin share of the amount, in [0, 1], used when the log has no cost column (it is
    /// ignored when there is one). Without a cost column it must be given.
    std::optional<double> margin_rate;
    /// Programme discount per row of the log, money, >= 0 (empty: no discounts).
    std::span<const double> discount = {};
    double card_cost_per_member = 0.0; ///< card and reward cost per member over the post-period
    double fixed_costs = 0.0;          ///< fixed cost of the programme over the post-period
    double level = 0.95;               ///< confidence level of the intervals, in (0, 1)
    std::size_t bootstrap = 1000;      ///< resamples, >= 1
    std::uint64_t seed = 42;           ///< seed of the resampling (std::mt19937_64)
};

/// One outcome before and after joining, for the evaluated members and their controls.
struct programme_effect {
    double member_pre = 0.0;   ///< members' mean in the pre-period
    double member_post = 0.0;  ///< members' mean in the post-period
    double control_pre = 0.0;  ///< matched non-members' mean in the pre-period
    double control_post = 0.0; ///< matched non-members' mean in the post-period
    /// (member_post - member_pre) - (control_post - control_pre): the difference-in-differences.
    double effect = 0.0;
    /// effect / (member_post - effect), the change relative to the members' counterfactual;
    /// nullopt when that is <= 0.
    std::optional<double> relative;
    double std_error = 0.0; ///< standard deviation of the bootstrap effects
    double ci_low = 0.0;    ///< percentile bootstrap interval at `level`
    double ci_high = 0.0;
};

/// Return on the programme's cost, per evaluated member.
struct programme_roi {
    bool defined = false; ///< false when the cost is 0
    std::string reason;   ///< why not defined, else empty
    double value = 0.0;   ///< (incremental margin - cost) / cost
    double ci_low = 0.0;  ///< percentile bootstrap interval at `level`
    double ci_high = 0.0;
    std::size_t resamples = 0; ///< resamples with a cost > 0 that the interval rests on
};

/// A matched pair: a member and the non-member it is compared with.
struct programme_pair {
    entity_id member = 0;       ///< dense customer id in the log
    entity_id control = 0;      ///< dense customer id in the log
    std::int64_t joined = 0;    ///< the member's joining time, the reference date of both
    double distance = 0.0;      ///< standardised distance of their pre-period features
    std::size_t member_row = 0; ///< row of the member in the members table
};

/// A member that is not evaluated, and why.
struct programme_exclusion {
    std::size_t row = 0; ///< row in the members table
    std::string key;
    programme_exclusion_reason reason = programme_exclusion_reason::not_in_log;
};

/// Mean pre-period features of one group: recency (days), purchases, spend.
struct programme_features {
    double recency_days = 0.0;
    double purchases = 0.0;
    double spend = 0.0;
};

/// Everything `evaluate_programme` finds (see the file comment).
struct programme_result {
    std::optional<programme_type> type; ///< the label given
    std::int64_t pre_days = 0;
    std::int64_t post_days = 0;
    bool with_replacement = false;
    double caliper = 0.0;
    bool margin_from_cost = false; ///< true: the log's cost column; false: margin_rate
    double margin_rate = 0.0;      ///< the rate used (0 when the cost column is)
    double level = 0.0;
    std::size_t bootstrap = 0;
    std::uint64_t seed = 0;
    std::int64_t log_start = 0; ///< midnight of the first row's day
    std::int64_t log_end = 0;   ///< midnight after the last row's day (exclusive)

    std::size_t members = 0;    ///< rows of the members table
    std::size_t evaluated = 0;  ///< members with a matched non-member
    std::size_t controls = 0;   ///< distinct non-members used as controls
    std::size_t candidates = 0; ///< non-members of the log (customers not in the table)
    /// Members left out, counted by reason (index: `programme_exclusion_reason`).
    std::array<std::size_t, n_programme_exclusion_reasons> excluded{};
    std::vector<programme_exclusion> exclusions; ///< each left-out member, in table order
    std::vector<programme_pair> pairs;           ///< in matching order

    programme_features member_features;  ///< evaluated members, pre-period
    programme_features control_features; ///< their controls, pre-period
    double mean_distance = 0.0;          ///< of the pairs

    programme_effect frequency; ///< purchases per month
    programme_effect spend;     ///< net amount per month
    programme_effect retention; ///< share active (at least one purchase) in the period
    programme_effect margin;    ///< margin per month (members' post-period before discounts)

    double incremental_margin = 0.0; ///< per evaluated member: margin.effect * post months
    double incremental_margin_ci_low = 0.0;
    double incremental_margin_ci_high = 0.0;
    double discount_cost = 0.0;            ///< per evaluated member: post-period discounts
    double card_cost = 0.0;                ///< per member, as given
    double fixed_cost = 0.0;               ///< per member: fixed_costs / members
    double cost = 0.0;                     ///< discount_cost + card_cost + fixed_cost
    double net = 0.0;                      ///< incremental_margin - cost
    double total_incremental_margin = 0.0; ///< incremental_margin * evaluated
    double total_cost = 0.0;               ///< cost * evaluated
    programme_roi roi;
};

/// Evaluates a loyalty programme: matched difference-in-differences of purchase frequency,
/// spend, retention and margin of the members in `members` (see the file comment), the
/// incremental margin against the programme's cost and the ROI, each with a bootstrap interval.
///
/// Throws what `transaction_view::validate` throws; `invalid_argument` naming the option for an
/// empty log or members table, pre_days or post_days < 1 (or so large that the period overflows),
/// a caliper that is NaN or <= 0, a missing margin_rate without a cost column or one outside
/// [0, 1], a discount column of another length, a negative or non-finite card cost or fixed
/// cost, a level outside (0, 1), bootstrap 0; `data_error` with the row and key for a member
/// that appears twice (argument "members"), a negative or non-finite discount (argument
/// "discount", row of the log), and when no member can be evaluated (argument "members", the
/// counts by reason in the message).
///
/// Example: members who buy 30% more often after joining, at their usual spend per purchase,
/// give frequency.relative and spend.relative of about 0.3 (the tests check this on a
/// generated log), and members who change nothing give intervals that cover 0.
programme_result evaluate_programme(const transaction_view& log,
                                    std::span<const programme_member> members,
                                    const programme_options& options = {});

CUSTOMETRICS_END_NAMESPACE
