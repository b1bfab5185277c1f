// Customer scores from a fitted purchase model (and optionally the Gamma-Gamma spend model):
// P(alive), expected purchases over a horizon, expected spend, lifetime value, the wait to the
// next purchase and its date; and the contact list built on them. The one implementation the
// CLI (`score`, `contacts`), Python (`score_customers`, `contact_list`) and C++ callers use.
//
// Inputs are the summary columns (frequency x, recency t_x, T, and monetary value m for the
// spend model) in the time axis `units` of the summary (units.hpp). The purchase model must
// record the same units or none (`check_same_units`: a model fitted on weeks refuses a summary
// in days, naming both; nothing is converted). Per customer i:
//     p_alive[i]             = P(alive | x, t_x, T)                        (the model's header)
//     expected_purchases[i]  = E[X(T, T + horizon] | x, t_x, T], horizon in summary periods
//     expected_spend[i]      = E[Z | x, m] of the Gamma-Gamma model (gamma_gamma.hpp)
//     clv[i]                 = lifetimes' discounted CLV (clv.hpp), periods_per_month(units)
//     next_purchase_wait[i]  = median wait to the next purchase given alive (clv.hpp), periods
//     analysis_date[i]       = the analysis date (options.analysis_date), else the customer's
//                              first purchase + T periods (the summary's `first_purchase`),
//                              else `no_time`
//     next_purchase_date[i]  = time_after(analysis_date[i], wait, units): no_time when the wait is
//                              infinite or the date falls after 9999-12-31
// and the totals: expected alive customers (sum of P(alive)), customers at risk (P(alive) <
// 0.5), total expected purchases and total CLV (sums in customer order).
//
// The first-purchase fallback serves summaries written before `summarize` recorded the
// observation end; with weeks or months it is approximate (T counts whole periods from the
// period of the first purchase), so pass the observation end when it is known.
//
// Contact list: customers whose expected next purchase falls within `within_days` days of the
// analysis date, converted to periods with the summary's unit (days / days_per_period), each
// with the time to call `lead_days` before it (not before the analysis date), ranked by CLV,
// highest first (ties in customer order); see `contact_list` in clv.hpp for the reasoning.
//
// A BG/BB model (bg_bb.hpp, discrete opportunities) scores patterns (x, t_x, n) of whole
// numbers, T read as the opportunities n: P(alive at opportunity n + 1) (FHS eq. 11),
// expected transactions at the next `horizon` opportunities (a whole number; eq. 13) and DERT
// at `discount_rate` per opportunity (eq. 14), the numbers of lifetimes' BetaGeoBetaBinomFitter
// (`conditional_probability_alive(1, ...)`, `conditional_expected_number_of_purchases_up_to_
// time(horizon, ...)`); no spend, value, wait nor date. Its totals are weighted by the
// summary's `weights` (customers per row, lifetimes' donations.csv); the continuous-time models
// score one row per customer and refuse a weights column (`check_score_request`).
//
// Errors: customers are checked as a fit checks them (`data_error` with the customer's row);
// a horizon that is not finite and >= 0, a window that is not > 0, a lead time < 0, a spend
// model without monetary values, columns of different lengths (`invalid_argument`).
//
// Example:
//     const fitted_model bg = fitted_purchase_model(bg_nbd_params{1, 1, 1, 1});
//     const fitted_model gg = fitted_spend_model(gamma_gamma_params{2, 3, 4});
//     const std::vector<double> x{1, 0}, tx{1, 0}, T{2, 2}, m{10, 0};
//     score_options o;
//     o.analysis_date = parse_time_or_throw("2024-01-10", "as_of");
//     const customer_scores s =
//         score_customers(bg, gg, summary_columns{x, tx, T, m, {}, {}}, summary_units{}, o);
//     // s.p_alive[0] = 4/13, s.expected_spend[0] = 7, next purchase 2024-01-11
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/clv.hpp"
#include "custometrics/retention/fitted_model.hpp"
#include "custometrics/retention/units.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The summary columns the scores read (spans of equal length; `monetary_value` and
/// `first_purchase` may be empty).
struct summary_columns {
    std::span<const double> frequency;
    std::span<const double> recency;
    std::span<const double> T;
    std::span<const double> monetary_value;       ///< needed with a spend model
    std::span<const std::int64_t> first_purchase; ///< seconds, no_time if unknown (date fallback)
    std::span<const double> weights;              ///< BG/BB only: customers per row (empty: 1 each)
};

/// Options of `score_customers`.
struct score_options {
    double horizon = 30.0;                     ///< periods ahead (BG/BB: whole opportunities)
    int clv_months = 12;                       ///< lifetime value horizon in months
    double discount_rate = 0.01;               ///< per month (BG/BB: per opportunity, of DERT)
    std::optional<std::int64_t> analysis_date; ///< seconds; the end of the summary period
    double probability = 0.5;                  ///< quantile of the wait (the median)
    bool contacts = false;  ///< the scores are for `contact_list` (a calendar and a value)
    bool intervals = false; ///< prediction intervals go with the scores (not for BG/BB)
};

/// The lifetime value's options of the scores: `options.clv_months`, `options.discount_rate`
/// and the periods per month of `units` (units.hpp). Example: weeks give 4.345 periods a month.
clv_options clv_options_of(const score_options& options, const summary_units& units);

/// Per-customer scores (in the summary's order) and their totals.
struct customer_scores {
    purchase_model_kind model{};
    summary_units units;
    double horizon = 0.0;
    bool with_spend = false; ///< expected_spend and clv are filled
    std::vector<double> p_alive;
    std::vector<double> expected_purchases;       ///< over `horizon` periods
    std::vector<double> expected_spend;           ///< per purchase; empty without a spend model
    std::vector<double> clv;                      ///< empty without a spend model
    std::vector<double> next_purchase_wait;       ///< periods after the analysis date
    std::vector<std::int64_t> analysis_date;      ///< seconds or no_time
    std::vector<std::int64_t> next_purchase_date; ///< seconds or no_time
    double expected_alive = 0.0;                  ///< sum of P(alive)
    std::size_t at_risk = 0;                      ///< customers with P(alive) < 0.5
    double total_expected_purchases = 0.0;        ///< sum over customers
    double clv_total = 0.0;                       ///< sum over customers (0 without a spend model)
    /// A BG/BB model (see the file comment): `expected_purchases` over the next `horizon`
    /// opportunities, `dert` filled, no spend, waits NaN, dates no_time, `model` and `units`
    /// unset; the totals weighted by the summary's `weights`, `at_risk` their rounded sum.
    bool bg_bb = false;
    std::vector<double> dert;   ///< BG/BB: discounted expected residual transactions
    double dert_total = 0.0;    ///< BG/BB: weighted sum over the rows
    double customers = 0.0;     ///< BG/BB: the customers the rows stand for (sum of weights)
    double discount_rate = 0.0; ///< BG/BB: DERT's discount rate per opportunity

    std::size_t size() const noexcept { return p_alive.size(); }
};

/// The checks of `check_score_request` on the models and the options alone, before any
/// customer: a purchase model that is not one (`invalid_argument` naming "model"), a spend model
/// that is not Gamma-Gamma ("spend"), the options ("horizon", "months", "discount_rate",
/// "probability": the wait's quantile in (0, 1)), and
/// every request a BG/BB model cannot honour: a spend model ("spend": BG/BB has no lifetime
/// value, its DERT is the `dert` column), a contact list (`options.contacts`, naming "model":
/// its opportunities have no calendar to time a call by), prediction intervals
/// (`options.intervals`, naming "interval": none are derived for BG/BB), a horizon that is not a
/// whole number
/// of opportunities in 0..10^7 ("horizon"), a discount rate < 0, between 0 and 1e-4 (DERT's
/// series would need millions of terms per customer), or 0 with gamma <= 1 (DERT undiscounted
/// is then infinite; "discount_rate"). A contact list (`options.contacts`) of a
/// continuous-time model without a spend model is refused naming "spend", as `contact_list`
/// refuses scores without a lifetime value (one function holds that refusal for both).
/// Example: `check_score_models(bb, gg, {})` throws `invalid_argument` naming "spend".
void check_score_models(const fitted_model& purchase, const std::optional<fitted_model>& spend,
                        const score_options& options = {});

/// Every check `score_customers` makes, and nothing else: `check_score_models`, covariates
/// given to a model without them or missing for one with them, the summary's units against the
/// model's recorded ones, the column lengths, and every customer row (`data_error` naming the
/// column, the position and the value: recency above T, a negative frequency, a repeat buyer
/// without a positive monetary value; for BG/BB, a value that is not a whole number, as
/// `compress_bg_bb` checks them, and a bad weight). `weights` are read by BG/BB only: with a
/// continuous-time model they are an `invalid_argument` naming "weights" (its scores are per
/// customer; a row standing for several customers would be scored once).
///
/// For callers that check before they score elsewhere, e.g. Spark's check job over every
/// partition before the scoring job hands results out. An empty summary checks the models and
/// the options alone (the monetary column may then be absent).
/// Example: `check_score_request(bg, gg, summary_columns{}, summary_units{}, {.clv_months = 0})`
/// throws `invalid_argument` naming "months".
void check_score_request(const fitted_model& purchase, const std::optional<fitted_model>& spend,
                         const summary_columns& summary, const summary_units& units,
                         const score_options& options = {},
                         std::span<const purchase_params> per_customer = {});

/// The per-customer parameters `score_customers` takes for the customers `keys` (the
/// summary's, in its order): with a covariate table, each customer's parameters under the
/// model's coefficients (`customer_params` of `design_for`: the table re-coded by the model's
/// columns; a customer without a row, a label the fit did not see, a duplicate key are the
/// `data_error`s of covariates.hpp naming the key); without one, none (empty). A model with
/// covariates without a table, or a table for a model without covariates, is an
/// `invalid_argument` naming `covariates_argument`; the message names the model by
/// `params_argument`. With no customers the table is checked against the model alone. The one
/// copy of these rules for every face (CLI `score --covariates`, Python
/// `score_customers(covariates=)`, Spark `score(covariates=)`).
/// Example: `covariate_customer_params(pnbd_cov, nullptr, keys)` throws naming "covariates".
std::vector<purchase_params>
covariate_customer_params(const fitted_model& purchase, const covariate_table* covariates,
                          std::span<const std::string> keys,
                          std::string_view params_argument = "model",
                          std::string_view covariates_argument = "covariates");

/// Scores every customer of the summary (see the file comment). `spend` is the Gamma-Gamma
/// model or empty. It throws what `check_score_request` throws, before any computation.
///
/// Without covariates every score is computed once per unique (x, t_x, T) row of the summary
/// (one compression shared by all scores) and scattered back: P(alive) once per row and shared
/// by the expected purchases and the lifetime value, the forecasts once per run of rows sharing
/// (x, T), the wait to the next purchase once per row (retention/unique_rows.hpp), on the
/// default threads (threads.hpp; the results do not depend on them). The values are the
/// per-customer functions' bit for bit, the lifetime value's within 1e-12 relative.
///
/// A BG/BB model scores as the file comment says: for (x, t_x, n) = (6, 6, 6) at FHS's
/// estimates {1.204, 0.750, 0.657, 2.783}, horizon 5 and discount rate 0.1: p_alive 0.9304,
/// expected_purchases 3.752, dert 5.909 (lifetimes 0.11.3 gives the same to 1e-9).
///
/// A model with covariates (fitted_model.hpp, covariates.hpp) scores each customer at its own
/// parameters, `per_customer` (`customer_params`, in the summary's order); without them it is an
/// `invalid_argument` naming "covariates". A model without covariates ignores an empty span.
customer_scores score_customers(const fitted_model& purchase,
                                const std::optional<fitted_model>& spend,
                                const summary_columns& summary, const summary_units& units,
                                const score_options& options = {},
                                std::span<const purchase_params> per_customer = {});

/// Which expected next purchase a contact is timed by: the purchase model's, or the customer's
/// own rhythm (rhythm.hpp) where they have one.
enum class contact_timing : std::uint8_t { model, rhythm };

/// "model" or "rhythm".
const char* to_string(contact_timing t) noexcept;

/// The timing named "model" or "rhythm"; `invalid_argument` naming `argument` otherwise.
contact_timing parse_contact_timing(std::string_view name, std::string_view argument = "timing");

/// Options of the contact list, in days.
struct contact_days {
    double within_days = 30.0; ///< list customers expected to buy within this many days (> 0)
    double lead_days = 14.0;   ///< call this many days before (>= 0)
    std::size_t top = 0;       ///< at most this many rows (0 = all)
    contact_timing timing = contact_timing::model; ///< rhythm: needs rhythm dates
};

/// One customer to call.
struct contact_entry {
    std::size_t customer = 0;   ///< position in the summary
    double next_purchase = 0.0; ///< wait to the next purchase, periods
    double call_at = 0.0;       ///< max(0, next_purchase - lead time), periods
    double p_alive = 0.0;
    double clv = 0.0;                              ///< the value at risk
    std::int64_t call_date = no_time;              ///< time_after(analysis date, call_at)
    std::int64_t next_purchase_date = no_time;     ///< time_after(analysis date, next_purchase)
    contact_timing timing = contact_timing::model; ///< which date next_purchase is
    std::int64_t rhythm_date = no_time;            ///< own-rhythm next purchase, or no_time
    std::optional<double> due_days; ///< rhythm_date - analysis date, days (< 0: overdue)
};

/// The contact list and its total value.
struct contact_plan {
    std::vector<contact_entry> contacts; ///< highest CLV first
    std::size_t customers = 0;           ///< customers scored
    double value_at_risk = 0.0;          ///< sum of the listed customers' CLV
    double window_periods = 0.0;         ///< within_days in summary periods
    double lead_periods = 0.0;           ///< lead_days in summary periods
    contact_timing timing = contact_timing::model;
    bool with_rhythm = false; ///< rhythm dates were given (the entries' rhythm fields are set)
};

/// The customers to call before their next purchase, from scores with a spend model (see the
/// file comment); `invalid_argument` naming "spend" when the scores have no lifetime value (no
/// spend model; BG/BB scores never have one, and `check_score_request` refuses them for
/// contacts before).
///
/// `rhythm` (optional, one per scored customer, no_time where none: `rhythm_dates` of
/// rhythm.hpp) adds each listed customer's own-rhythm date and `due_days` beside the model's.
/// With `options.timing` rhythm, a customer with a rhythm date is timed by it instead of the
/// model: the wait is max(0, due days) (an overdue regular buyer is due now), in periods, and
/// the call falls `lead_days` before it as for the others; `invalid_argument` naming "timing"
/// when no rhythm dates are given (or "rhythm" when their count differs from the scores').
/// Example: a customer due in 20 days by their rhythm and 45 by the model is listed (within
/// 30) with a call 6 days ahead (lead 14) under rhythm timing, and not listed under model.
contact_plan contact_list(const customer_scores& scores, const contact_days& options = {},
                          std::span<const std::int64_t> rhythm = {});

/// The checks of `contact_list` on its options alone, before any scores exist (Spark checks
/// them on the driver): `invalid_argument` naming "within_days" (not a finite number > 0) or
/// "lead_days" (not a finite number >= 0).
void check_contact_days(const contact_days& options);

/// A contact list as columns, one per field of `contact_entry`, in the list's order: for
/// callers that build tables (the Python and Spark faces) without one object per row.
struct contact_columns {
    std::vector<std::size_t> customer; ///< positions in the summary
    std::vector<double> next_purchase;
    std::vector<double> call_at;
    std::vector<double> p_alive;
    std::vector<double> clv;
    std::vector<std::int64_t> call_date;          ///< seconds or no_time
    std::vector<std::int64_t> next_purchase_date; ///< seconds or no_time
    std::vector<std::string> timing;              ///< "model" or "rhythm"
    std::vector<std::int64_t> rhythm_date;        ///< seconds or no_time
    std::vector<std::optional<double>> due_days;
};

/// The entries of `plan` as columns (see `contact_columns`).
/// Example: `columns_of(contact_list(scores)).clv` lists the listed customers' values, highest
/// first.
contact_columns columns_of(const contact_plan& plan);

CUSTOMETRICS_END_NAMESPACE
