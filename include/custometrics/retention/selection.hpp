// Model choice among the purchase models (BG/NBD, MBG/NBD, Pareto/NBD) by their accuracy on a
// holdout period, or by BIC when there is none.
//
// Method. Each candidate model is fitted by maximum likelihood on the calibration summaries
// (x, t_x, T) of the customers (`fit_purchase_model`, fit.hpp). With a holdout, each fitted
// model predicts every customer's purchases in the holdout period of length `duration`
// (`conditional_expected_purchases`), and `holdout_check` (diagnostics.hpp) compares them with
// the actual holdout purchases x*_i. For every model the table reports, over the n customers:
//     mae             = (1/n) sum_i |E_i - x*_i|                  (per-customer error)
//     rmse            = sqrt((1/n) sum_i (E_i - x*_i)^2)
//     aggregate_error = (sum_i E_i - sum_i x*_i) / sum_i x*_i     (relative; NaN if sum x* = 0)
//     log_likelihood  = sum_i log L(x_i, t_x_i, T_i | fitted params)   (calibration data)
//     aic             = 2 k - 2 log_likelihood
//     bic             = k log(n) - 2 log_likelihood               (k = 4 parameters each)
// with E_i the model's prediction for customer i.
//
// Criterion (the score, smaller is better):
//     mae (default with a holdout)   the per-customer mean absolute error;
//     rmse                           the per-customer root mean square error;
//     aggregate                      |sum_i E_i - sum_i x*_i|, the error of the total (ranks as
//                                    the relative error does: the actual total is common);
//     bic (default without holdout)  the Bayesian information criterion of the calibration fit.
// The model with the smallest score among the usable ones is chosen. Ties -- scores within
// 1e-12 relative of the smallest -- go to the model listed first in `selection_options::models`
// (by default BG/NBD, MBG/NBD, Pareto/NBD: the most used model first, then its variant; all
// have four parameters, so no order by size applies). A model is usable when its fit returned
// finite parameters, converged (fit_report::converged) and its holdout predictions were computed;
// any other model stays in the table with `usable = false` and the reason (the exception's message
// or the fit's report reason), and is never chosen. When no model is usable, `chosen` is empty.
//
// Errors. `invalid_argument` for no candidate models or one listed twice (argument "models"), a
// holdout criterion without a holdout (argument "criterion"), a holdout length that is not
// positive and finite ("duration"), columns of different lengths or no customers; `data_error`
// naming the column, the customer position and the value for a bad calibration row (as
// `compress_summary`) or a holdout purchase count that is not a finite number >= 0.
//
// Example (a log with a calibration end, summarised in weeks):
//     const customer_summary s = summarize(log, {.unit_scale = 7, .calibration_end = cal_end});
//     const model_selection m = select_purchase_model(s);      // by holdout MAE
//     if (m.chosen) {
//         const model_score& best = m.models[*m.chosen];       // best.model, best.params
//         // best.holdout.mae, best.bic, ...; m.models holds one row per candidate
//     }
//     selection_options o;
//     o.criterion = selection_criterion::bic;                     // no holdout needed
//     const model_selection by_bic = select_purchase_model(x, tx, T, o);
// On the CDNOW sample (FHL 2005's split: 39 calibration weeks, 39 holdout weeks, 1,882 holdout
// purchases) the holdout MAE is 0.7855 (BG/NBD), 0.7648 (MBG/NBD) and 0.7545 (Pareto/NBD), so
// Pareto/NBD is chosen; by BIC it is MBG/NBD (log L -9582.14 against -9582.43 and -9594.98).
// Cost: one fit per model (milliseconds on CDNOW) plus one prediction per customer and model.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/diagnostics.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/purchase_model.hpp"
#include "custometrics/summary.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// What a model choice minimises (see selection.hpp).
enum class selection_criterion { mae, rmse, aggregate, bic };

/// "mae", "rmse", "aggregate" or "bic" (any case) to a criterion; `invalid_argument` naming
/// `argument`, the value and the accepted names otherwise.
selection_criterion parse_selection_criterion(std::string_view text,
                                              std::string_view argument = "criterion");

/// The canonical name: "mae", "rmse", "aggregate" or "bic".
std::string_view to_string(selection_criterion criterion) noexcept;

/// Whether `criterion` needs a holdout period (all but bic).
bool needs_holdout(selection_criterion criterion) noexcept;

/// Options of `select_purchase_model`.
struct selection_options {
    /// The criterion; unset = mae with a holdout, bic without.
    std::optional<selection_criterion> criterion;
    /// The candidates, in the tie-breaking order (first wins a tie).
    std::vector<purchase_model_kind> models = {
        purchase_model_kind::bg_nbd, purchase_model_kind::mbg_nbd, purchase_model_kind::pareto_nbd};
    /// Options of every fit (penalizer, iterations, threads, ...); `initial` must be empty.
    fit_options fit;
    /// Calibration-frequency groups of each model's `holdout_check` table (FHL 2005 fig. 4).
    int max_frequency = 7;
};

/// One candidate model of a choice: its fit and its scores.
struct model_score {
    purchase_model_kind model = purchase_model_kind::bg_nbd;
    /// The fit converged and was scored; only a usable model can be chosen.
    bool usable = false;
    /// Why the model is not usable (empty when it is).
    std::string reason;
    /// The fit (names, params, std_errors, covariance, report); params empty if the fit threw.
    fit_result fit;
    std::size_t parameters = 0; ///< k, the number of free parameters
    double log_likelihood = 0;  ///< of the calibration data at the fitted parameters; NaN if none
    double aic = 0;             ///< 2 k - 2 log_likelihood
    double bic = 0;             ///< k log(n) - 2 log_likelihood
    /// The holdout comparison (mae, rmse, totals, the per-frequency table); zeros without holdout.
    holdout_check_result holdout;
    /// (total predicted - total actual) / total actual; NaN without holdout or actual total 0.
    double aggregate_error = 0;
    /// The value of the criterion (smaller is better); NaN when not usable.
    double score = 0;
};

/// The result of a model choice: one row per candidate, in the order of the options.
struct model_selection {
    selection_criterion criterion = selection_criterion::mae;
    bool has_holdout = false;
    double duration = 0; ///< holdout length (0 without holdout)
    std::size_t customers = 0;
    std::vector<model_score> models;
    /// Index in `models` of the chosen model; empty when no model is usable.
    std::optional<std::size_t> chosen;
};

/// Chooses among the purchase models fitted on calibration summaries (frequency, recency, T) by
/// their accuracy on `holdout_frequency` over a holdout of length `duration` (see selection.hpp).
model_selection select_purchase_model(std::span<const double> frequency,
                                      std::span<const double> recency, std::span<const double> T,
                                      std::span<const double> holdout_frequency, double duration,
                                      const selection_options& options = {});

/// Chooses among the purchase models without a holdout: by BIC (the criterion must be unset or
/// bic).
model_selection select_purchase_model(std::span<const double> frequency,
                                      std::span<const double> recency, std::span<const double> T,
                                      const selection_options& options = {});

/// Chooses for a customer summary: with its holdout columns when it has them
/// (`summary.has_holdout()`, duration `duration_holdout`), else by BIC.
model_selection select_purchase_model(const customer_summary& summary,
                                      const selection_options& options = {});

namespace detail {

/// The index of the smallest finite score, ties within 1e-12 relative going to the lowest index;
/// empty when no score is finite. NaN marks a model that cannot be chosen.
std::optional<std::size_t> choose_smallest(std::span<const double> scores);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
