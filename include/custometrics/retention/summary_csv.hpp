// The per-customer summary CSV that `custometrics summarize --out` writes (or lifetimes'
// summary tables), read back for fitting and scoring the retention models.
//
// The table has a key column (`customer_id`, or the first column unless that one is a value
// column such as `frequency`: then a `parse_error` at the header), one row per customer (a key
// on two lines is a `parse_error` naming both); a table of patterns with `weights` and no
// `customer_id` (lifetimes' donation table) has no key column, its rows are "row 1", "row 2"...;
// `frequency`, `recency`, `T` and, for spend, `monetary_value`; the `_cal` forms of a calibration
// summary are used when the plain ones are absent, and lifetimes' `n_periods` or `periods` (BG/BB's
// opportunities) when neither `T` nor `T_cal` is there; `first_purchase` (a date) is read when
// present, and so are `weights` (customers per row, as lifetimes' donation table; only BG/BB fits
// use them), `frequency_holdout` and `duration_holdout` (the holdout of a calibration summary, for
// the model choice).
//
// BG/BB (`fit_summary(s, "bgbb")`) reads frequency x, recency t_x and T as the count of
// opportunities n: whole numbers with x <= t_x <= n and t_x = 0 when x = 0 (bg_bb.hpp), e.g.
//     customer_id,frequency,recency,n_periods,weights
//     p6,6,6,6,1203
// A summary of continuous time (T = 38.86 weeks) does not fit the model: the fit throws the
// core's `data_error` ("periods: customer 0: value 38.86 is not a whole number >= 0") with the
// file line and key added. The trailing
// `time_unit`, `unit_scale`, `observation_end` (and `calibration_end`) columns that `summarize`
// writes give the summary's time axis and end; they must hold one value on every row. Without
// them the caller's values (`summary_axis`) decide, else the `summarize` defaults (days, 1, no
// end: the first purchase + T per customer); a given value that contradicts the column is an
// `invalid_argument` naming both. A bad cell is a `parse_error` with the file, line, column
// and value.
//
// Example:
//     const summary_table s = read_summary_csv("summary.csv", false, {});
//     const customer_scores sc = s.naming_lines([&] {
//         return score_customers(model, std::nullopt, s.columns(), s.units);
//     });
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/error.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/fitted_model.hpp"
#include "custometrics/retention/intervals.hpp"
#include "custometrics/retention/scoring.hpp"
#include "custometrics/retention/selection.hpp"
#include "custometrics/retention/units.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The time axis and end given by the caller for a summary that may not record them, with the
/// names of the arguments they came from (for the errors).
struct summary_axis {
    std::string time_unit;            ///< empty: the summary's column, else days
    std::optional<double> unit_scale; ///< unset: the summary's column, else 1
    std::string as_of;                ///< empty: the summary's end column, if any
    std::string time_unit_argument = "time_unit";
    std::string unit_scale_argument = "unit_scale";
    std::string as_of_argument = "as_of";
};

/// A summary CSV read back: the model columns, keys and first purchases in the file's order,
/// its time axis and the date T is measured to.
struct summary_table {
    std::string path; ///< as given (`-` for standard input)
    csv_table table;
    std::vector<std::string> keys;
    std::vector<double> x, tx, T, m;          ///< m is empty without a monetary_value column
    std::vector<double> weights;              ///< empty without a weights column
    std::vector<double> holdout;              ///< frequency_holdout; empty without it
    std::optional<double> duration_holdout;   ///< the duration_holdout column, if any
    std::vector<std::int64_t> first_purchase; ///< no_time where unknown
    summary_units units;
    std::optional<std::int64_t> end; ///< calibration_end / observation_end / as_of

    /// The columns the scores read.
    summary_columns columns() const { return {x, tx, T, m, first_purchase, weights}; }

    /// Runs `f` (a core call that checks the summary's rows and names a customer by its
    /// position in the error's `row`) and adds that customer's file line and key to its
    /// `data_error`: "summary.csv:12 (customer 42): monetary: value 0 ...", `key` set to the
    /// customer's key. The position the core's message gives after its argument ("monetary:
    /// customer 10: value 0 ...") is left out: the line and the key name the customer.
    template <class F> auto naming_lines(F&& f) const {
        try {
            return std::forward<F>(f)();
        } catch (const data_error& e) {
            const auto i = e.row();
            if (!i || *i >= table.line.size()) throw;
            error_context c = e.context();
            c.key = keys[*i];
            std::string what = e.what();
            const std::string argument = c.argument + ": ";
            const std::string position = "customer " + std::to_string(*i) + ": ";
            if (what.starts_with(argument) &&
                what.compare(argument.size(), position.size(), position) == 0)
                what.erase(argument.size(), position.size());
            throw data_error(path + ":" + std::to_string(table.line[*i]) + " (customer " +
                                 keys[*i] + "): " + what,
                             std::move(c));
        }
    }
};

/// Reads the summary CSV at `path` (`-`: standard input); `need_money` requires a
/// `monetary_value` column. `invalid_argument` for a summary without rows.
summary_table read_summary_csv(const std::string& path, bool need_money,
                               const summary_axis& given = {});

/// The summary of a CSV table already read (`read_summary_csv` reads the file, then calls
/// this); `path` names it in errors. The same columns, checks and errors as
/// `read_summary_csv`. Example: `summary_from_table(read_csv_table(in, "s.csv"), "s.csv",
/// false)`.
summary_table summary_from_table(csv_table table, const std::string& path, bool need_money,
                                 const summary_axis& given = {});

/// Fits the model named `model` (bgnbd, mbgnbd, pnbd, ggomnbd, gamma-gamma or bgbb) to the summary
/// `s`.
///
/// A purchase model is fitted on the compressed summary and records the summary's units; the
/// spend model on the core's spend sample (repeat buyers with a positive mean spend, the rest
/// counted in its fit statistics; it needs the `monetary_value` column); BG/BB on the
/// summary's patterns with its `weights` (see the file comment). A customer row the fit
/// refuses is named by its file line and key (`naming_lines`); an unknown model is an
/// `invalid_argument` naming `argument` and the accepted names.
///
/// Example: `fit_summary(read_summary_csv("s.csv", false), "pnbd").params` holds
/// {r, alpha, s, beta}.
fitted_model fit_summary(const summary_table& s, std::string_view model,
                         const fit_options& options = {}, std::string_view argument = "model");

/// Chooses among the purchase models fitted on the summary (`select_purchase_model`,
/// selection.hpp): with its holdout (`frequency_holdout`, over `duration` periods, else the
/// `duration_holdout` column) when it has one (its errors reported whatever the criterion),
/// else by BIC. A holdout criterion without a
/// holdout is an `invalid_argument` naming `criterion_argument` and saying which columns are
/// missing; no holdout length (neither `duration` nor the column) names `duration_argument`;
/// a bad customer row is named by its file line and key.
///
/// Example: `select_summary(read_summary_csv("cal.csv", false), {}).chosen` is the index of the
/// model with the smallest holdout MAE.
model_selection select_summary(const summary_table& s, const selection_options& options,
                               std::optional<double> duration = std::nullopt,
                               std::string_view criterion_argument = "criterion",
                               std::string_view duration_argument = "duration");

/// The chosen model of a choice on the summary `s` as a fitted model (its fit, the summary's
/// unique rows and units), to write and score as `fit_summary`'s; `error` naming each
/// candidate's reason when no model was usable.
fitted_model chosen_model(const summary_table& s, const model_selection& m);

/// Prediction intervals for the expected purchases of every customer of `s` over `horizon`
/// periods (`conditional_expected_purchases_intervals`, intervals.hpp) under the purchase model
/// `purchase` (`score_summary`'s checks). The delta method and the parametric bootstrap need the
/// model's covariance: `covariance_of` names `params_argument` and `params_source` (the file)
/// when it records none. The nonparametric bootstrap refits on `s`, taken to be the sample the
/// model was fitted on. A model with covariates takes the customers' covariate table
/// `covariates` (the covariate intervals of intervals.hpp; a customer without a row is a
/// `data_error` naming its line and key); without it, or a table for a model without
/// covariates, is an `invalid_argument` naming `covariates_argument`, as `score_summary`.
prediction_intervals summary_intervals(const summary_table& s, const fitted_model& purchase,
                                       double horizon, const interval_options& options,
                                       std::string_view params_argument = "params",
                                       std::string_view params_source = {},
                                       const covariate_table* covariates = nullptr,
                                       std::string_view covariates_argument = "covariates");

/// The intervals of `score`: those of the expected purchases over `score.horizon` periods (as
/// above) and, with a spend model, those of the lifetime value over `score.clv_months` months
/// at `score.discount_rate` (`customer_lifetime_value_intervals`, the summary's periods per
/// month, as `score_summary`'s `clv`). The spend model's covariance is named by
/// `spend_argument` and `spend_source` when it records none; a summary without
/// `monetary_value` names `spend_argument`. A model with covariates takes `covariates` for both
/// (the covariate overloads of intervals.hpp), as the purchases' overload above.
///
/// Example: `summary_intervals(s, bg, gg, {}, o, "--params").clv->total_lower` is the lower
/// end of the total lifetime value's interval.
score_intervals summary_intervals(const summary_table& s, const fitted_model& purchase,
                                  const std::optional<fitted_model>& spend,
                                  const score_options& score, const interval_options& options,
                                  std::string_view params_argument = "params",
                                  std::string_view params_source = {},
                                  std::string_view spend_argument = "spend_params",
                                  std::string_view spend_source = {},
                                  const covariate_table* covariates = nullptr,
                                  std::string_view covariates_argument = "covariates");

/// Scores the summary `s` with a purchase model and, when given, the spend model
/// (`score_customers`), its end date as the analysis date.
///
/// The models and options are checked first (`check_score_models`), its "model" named
/// `params_argument` and its "spend" `spend_argument`: a BG/BB model scores the summary's
/// patterns (P(alive), expected transactions at the next `options.horizon` opportunities,
/// DERT), weighted by its `weights`, and refuses a spend model or `options.contacts`.
/// `invalid_argument` naming `params_argument` when the purchase model is the spend model or
/// records other units than the summary, naming `spend_argument` when a spend model is given
/// and the summary has no `monetary_value` column; a bad customer row is named by its file
/// line and key.
///
/// A purchase model with covariates scores each customer at its own parameters from
/// `covariates` (the table re-coded by the model's columns, `design_for`); without the table, or
/// a table for a model without covariates, is an `invalid_argument` naming `covariates_argument`;
/// a customer without a covariate row is a `data_error` naming its line and key.
customer_scores score_summary(const summary_table& s, const fitted_model& purchase,
                              const std::optional<fitted_model>& spend, score_options options = {},
                              std::string_view params_argument = "params",
                              std::string_view spend_argument = "spend_params",
                              const covariate_table* covariates = nullptr,
                              std::string_view covariates_argument = "covariates");

/// Fits the purchase model named `model` (bgnbd, mbgnbd or pnbd) with the time-invariant
/// covariates of `covariates` as `spec` says (covariates.hpp: CLVTools' parameterisation), one
/// row per customer, and records the summary's units. A customer without a covariate row, or a
/// bad summary row, is a `data_error` naming its file line and key; another model, or a summary
/// with a weights column, an `invalid_argument` naming `argument`.
///
/// Example: `fit_summary_with_covariates(s, "pnbd", read_covariates_csv("cov.csv"),
/// {{"Gender"}, {"Gender"}}).covariates->life` holds the Gender coefficient of the lifetime.
fitted_model fit_summary_with_covariates(const summary_table& s, std::string_view model,
                                         const covariate_table& covariates,
                                         const covariate_spec& spec,
                                         const fit_options& options = {},
                                         std::string_view argument = "model");

CUSTOMETRICS_END_NAMESPACE
