// The text, CSV and JSON forms of the retention results: a fitted model, the customer scores,
// the contact list and the retention section of the report. The command-line tool prints them
// (`custometrics fit`, `score`, `contacts`, `report`); Python and C++ callers reach the same
// bytes.
//
// Numbers in CSV are in their shortest round-trip form (`number_text`), dates as YYYY-MM-DD
// (empty when unknown); text uses the rounded forms of output/format.hpp. Customer keys are
// passed in the result's order (`keys[i]` names the customer at position i).
//
// Example:
//     const summary_table s = read_summary_csv("summary.csv", false);
//     const customer_scores sc = score_summary(s, read_fitted_model("bgnbd.json"), std::nullopt);
//     output::write_csv(std::cout, sc, s.keys);    // customer_id,p_alive,...
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/retention/fitted_model.hpp"
#include "custometrics/retention/intervals.hpp"
#include "custometrics/retention/overview.hpp"
#include "custometrics/retention/scoring.hpp"
#include "custometrics/retention/selection.hpp"
#include "custometrics/summary.hpp"

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The fit of a model as text: a headline (model, customers, unique rows and the summary's
/// units, or the customers the spend model left out; convergence), one line per parameter with
/// its standard error (`v` shown as `gamma`), the log-likelihood. A model without fit
/// statistics (given parameters) prints its headline and parameters only.
///
///     BG/NBD fit on 2,357 customers (1,124 unique rows, weeks): converged after 31 iterations
///     (...)
///       r            0.242593   (standard error 0.01256)
void write_text(std::ostream& out, const fitted_model& m);

/// The scores as CSV, one row per customer in the summary's order:
/// `customer_id,p_alive,expected_purchases,expected_spend,clv,next_purchase_date` (spend and
/// value empty without a spend model, the date empty when unknown). With `intervals` (of the
/// same customers and horizon, `summary_intervals`) the columns `expected_purchases_lower` and
/// `expected_purchases_upper` follow `expected_purchases`, and with the lifetime value's
/// intervals `clv_lower` and `clv_upper` follow `clv`. BG/BB scores (`bg_bb`):
/// `customer_id,p_alive,expected_purchases,dert`.
void write_csv(std::ostream& out, const customer_scores& s, std::span<const std::string> keys,
               const std::optional<score_intervals>& intervals = std::nullopt);

/// The totals of the scores as one JSON object: model, time_unit,
/// unit_scale, n, horizon, expected_alive, at_risk, expected_purchases and, with a spend model,
/// clv_total; with `intervals`, `expected_purchases_lower`, `expected_purchases_upper` (of the
/// total), with the lifetime value's intervals `clv_total_lower` and `clv_total_upper`, and
/// `interval` {method, level, draws, seed, failed_draws[, clv_failed_draws]}. BG/BB scores:
/// model "bgbb", n, horizon (opportunities), discount_rate, expected_alive, at_risk,
/// expected_purchases and dert_total.
void write_json(detail::json_writer& w, const customer_scores& s,
                const std::optional<score_intervals>& intervals = std::nullopt);

/// The same on its own: the object, its newline and an empty line (the CLI's output).
void write_json(std::ostream& out, const customer_scores& s,
                const std::optional<score_intervals>& intervals = std::nullopt);

/// The totals of the scores as text: expected alive (and share), customers with P(alive)
/// below 50%, purchases expected over the horizon (with `intervals`, its interval) and, with
/// a spend model, the lifetime value over `o.clv_months` at `o.discount_rate` a month (with the
/// lifetime value's intervals, the total's interval). BG/BB scores: expected alive, P(alive)
/// below 50%, purchases at the next `horizon` opportunities and the DERT total.
void write_text(std::ostream& out, const customer_scores& s, const score_options& o,
                const std::optional<score_intervals>& intervals = std::nullopt);

/// A model choice as text: a headline (criterion, customers, holdout length, the chosen model)
/// and one row per candidate: log-likelihood, BIC, holdout MAE, RMSE and aggregate error, the
/// criterion's score, `*` at the chosen one, the reason of a model that is not usable.
///
///     Model choice by holdout MAE on 2,357 customers (holdout 39 periods): Pareto/NBD
///       model       log-lik        BIC      MAE     RMSE  aggregate      score
///       BG/NBD     -9582.43   19196.03   0.7855   ...
void write_text(std::ostream& out, const model_selection& m);

/// A model choice as one JSON object: criterion, has_holdout, duration, customers, chosen (the
/// model's name or null) and `models`: per candidate model, usable, reason, params,
/// std_errors, log_likelihood, aic, bic, mae, rmse, aggregate_error (null without a holdout)
/// and score (null when not usable).
void write_json(detail::json_writer& w, const model_selection& m);

/// The same on its own: the object, its newline and an empty line (the CLI's output).
void write_json(std::ostream& out, const model_selection& m);

/// The contact list as CSV: `customer_id,call_date,next_purchase_date,p_alive,clv`, highest
/// value first; with rhythm dates (`p.with_rhythm`) also `timing` (model or rhythm: which date
/// the call is planned on), `rhythm_date` (own-rhythm next purchase, empty without one) and
/// `due_days` (rhythm_date - analysis date; negative: overdue).
void write_csv(std::ostream& out, const contact_plan& p, std::span<const std::string> keys);

/// The contact list as one JSON object: model, customers, contacts,
/// within_days, lead_days, value_at_risk and the first `shown` rows as `top`; with rhythm dates
/// also `timing` and per row `timing`, `rhythm_date` and `due_days` (null where none).
void write_json(detail::json_writer& w, const contact_plan& p, const customer_scores& s,
                const contact_days& o, std::span<const std::string> keys, std::size_t shown = 10);

/// The same on its own: the object, its newline and an empty line (the CLI's output).
void write_json(std::ostream& out, const contact_plan& p, const customer_scores& s,
                const contact_days& o, std::span<const std::string> keys, std::size_t shown = 10);

/// The contact list as text: a headline with the window, value and lead time, then a table of
/// the first `shown` rows (customer, call date, expected date, P(alive), CLV; with rhythm dates
/// also the own-rhythm date and the days until it is due).
void write_text(std::ostream& out, const contact_plan& p, const contact_days& o,
                std::span<const std::string> keys, std::size_t shown = 10);

/// The retention section of the report from the core's overview (fitted on the summary in
/// days): the purchase model's name and parameters, expected alive customers, customers at risk and
/// their revenue, purchases expected in the next 90 days, the 12-month lifetime value in total and
/// of the top customers, named by their keys in `customers` (the summary's rows
/// `summary.customer`); numbers, amounts and words in the style of `fm`, the report's formatter.
void report_retention_text(std::ostream& out, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers,
                           const formatter& fm);

/// The same as the JSON member `retention` of the report's object: model ("bgnbd", "mbgnbd"
/// or "pnbd"), params, log_likelihood, converged, customers, customers_too_new,
/// expected_alive, at_risk, at_risk_revenue, expected_purchases_90d and spend_params,
/// clv_12m_total and top_clv (or spend_reason).
void report_retention_json(detail::json_writer& w, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers);

/// The members of `report_retention_json` without the key and braces, for a caller that adds
/// members to the same object.
void report_retention_members(detail::json_writer& w, const retention_overview_result& r,
                              const customer_summary& summary, const key_index& customers);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
