// A fitted retention model as a value: which model, its parameters and fit statistics, the
// time axis of the summary it was fitted on and the library version; with its JSON form, which
// the CLI (`fit --out`, `score`, `contacts`), Python (`save`, `load`) and C++ all read and write
// through the functions here.
//
// Models: "bgnbd", "mbgnbd", "pnbd" (purchase models, names as `parse_purchase_model` accepts),
// "gamma-gamma" (the spend model; also "gamma_gamma", "gg") and "bgbb" (the discrete-time BG/BB
// model of bg_bb.hpp; also "bg_bb", "bg/bb"). Parameters keep the core's names and order
// ({r, alpha, a, b}, {r, alpha, s, beta}, {p, q, v}, {alpha, beta, gamma, delta}).
//
// Units. A purchase model's parameters are in the time axis of its summary (alpha and beta are
// per period), so the value records the summary's `summary_units` (units.hpp) and
// `check_same_units` refuses to score a summary of another unit or scale, naming both: a fit on
// weeks used on days would give lifetime values about 5 times too low and dates decades away.
// The spend model is unit-free (it models money per purchase), so it records none and is never
// checked; so is BG/BB, whose time axis is the count of opportunities. A model read from a file
// that does not record its unit (written before 0.1.0's `time_unit` member, or a flat object of
// parameters) has `units` empty: "not recorded", and the summary's unit is taken as it is (the
// caller's flags, as before).
//
// JSON form (one object):
//     {"model": "bgnbd", "params": {"r": .., "alpha": .., "a": .., "b": ..},
//      "std_errors": {...}, "log_likelihood": .., "n": .., "unique_rows": ..,
//      "converged": true, "iterations": .., "function_evaluations": .., "gradient_norm": ..,
//      "reason": "...", "covariance": [[..], ..], "time_unit": "days", "unit_scale": 1,
//      "version": "0.1.0"}
// `covariance` is the k x k covariance of the parameters (the inverse observed information,
// `fit_result::covariance`), rows and columns in the order of `params`, NaN written null; the
// prediction intervals (intervals.hpp) need it. Files written before it (0.1.0) read back
// without it (`fit_statistics::covariance` empty), and every use but the intervals works.
// Gamma-Gamma's third parameter is written "gamma" (the name of the CLI and the literature's
// tables) and read as "gamma" or "v"; it has no time_unit and unit_scale members, and its fit
// adds "without_repeat_purchase" and "without_positive_spend" (the customers its sample left
// out, `spend_sample` in gamma_gamma.hpp). Numbers are
// written in the shortest form that reads back to the same double (detail/json.hpp), so a
// write and read gives bit-identical parameters; a NaN standard error is written null and read
// back as NaN. Reading also accepts {"model": .., "params": {..}} alone, and a flat object of
// the parameters (the model then comes from the caller); the fit statistics are then absent.
//
// Covariates (covariates.hpp). A purchase model fitted with time-invariant covariates keeps its
// base (z = 0) parameters in `params` and its coefficients in `covariates`, written
//     "covariates": {"life": {"Gender": -0.643, ...}, "trans": {"Gender": 0.286, ...},
//                    "constrained": ["Gender"], "reference_levels": {"Channel": "offline"}},
//     "std_errors": {"r": .., ..., "life": {"Gender": 0.296, ...}, "trans": {...}}
// (`constrained` and `reference_levels` only when there are any; a constrained coefficient is
// written under both processes with the same value), with "life_penalizer" and
// "trans_penalizer" (the coefficients' L2 penalties). `covariance` then covers the base
// parameters and every coefficient, in the fit's layout (covariates.hpp
// `lay_out_coefficients`: the base parameters, `life.<name>` of the free life columns,
// `trans.<name>` of the free trans columns, `constr.<name>`): the covariate prediction
// intervals (intervals.hpp) need all of it. Files without the member read back as models without covariates, and a model
// with covariates scores a summary only with its covariate table (scoring.hpp).
//
// Example:
//     const fit_result r = fit_purchase_model(purchase_model_kind::bg_nbd, rows);
//     const fitted_model m = fitted_purchase_model(purchase_model_kind::bg_nbd, r, rows.size(),
//                                                  parse_summary_units("weeks"));
//     const std::string text = to_json(m);
//     const fitted_model back = parse_fitted_model(text, "model.json");   // == m's values
//     check_same_units(back, parse_summary_units("days"));  // throws: weeks vs days
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/json_value.hpp"
#include "custometrics/retention/bg_bb.hpp"
#include "custometrics/retention/covariates.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/gamma_gamma.hpp"
#include "custometrics/retention/purchase_model.hpp"
#include "custometrics/retention/units.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The statistics of a maximum-likelihood fit that a fitted model keeps.
struct fit_statistics {
    std::vector<double> std_errors; ///< in the parameters' order; NaN where unknown
    /// The parameters' covariance, k x k in their order; 0 x 0 when not recorded (older JSON).
    Eigen::MatrixXd covariance;
    double log_likelihood = 0.0; ///< total over customers
    double n = 0.0;              ///< customers (total weight) fitted
    std::size_t unique_rows = 0; ///< unique data rows the likelihood was evaluated on
    fit_report report;
    /// Spend model only (`spend_sample`): customers left out of the fit without a repeat
    /// purchase, and with a mean repeat spend <= 0 (JSON `without_repeat_purchase`,
    /// `without_positive_spend`).
    std::size_t without_repeat_purchase = 0;
    std::size_t without_positive_spend = 0;
    /// Covariate models only: the standard errors of the life and trans coefficients, in the
    /// order of `fitted_model::covariates` (NaN where unknown).
    std::vector<double> life_std_errors;
    std::vector<double> trans_std_errors;
    /// The L2 penalty coefficient of the fit (JSON `penalizer`; 0 when not recorded): the
    /// nonparametric bootstrap's refits use it, so an interval refits the model that was fitted.
    double penalizer = 0.0;
    /// Covariate models only: the L2 penalties of the life and trans coefficients (JSON
    /// `life_penalizer`, `trans_penalizer`; 0 when not recorded), for the same reason.
    double life_penalizer = 0.0;
    double trans_penalizer = 0.0;
};

/// The statistics a fitted model keeps of `fit` on `unique_rows` data rows (and, for the spend
/// model, the customers its sample left out): standard errors, log-likelihood, customers, the
/// convergence report. Example: `fit_statistics_of(r, 1124).log_likelihood == r.log_likelihood`.
fit_statistics fit_statistics_of(const fit_result& fit, std::size_t unique_rows,
                                 std::size_t without_repeat_purchase = 0,
                                 std::size_t without_positive_spend = 0);

/// A fitted (or given) retention model; see the file comment.
struct fitted_model {
    std::string model;                  ///< "bgnbd", "mbgnbd", "pnbd", "gamma-gamma" or "bgbb"
    std::vector<std::string> names;     ///< parameter names in the model's order
    std::vector<double> params;         ///< parameter values, same order
    std::optional<fit_statistics> fit;  ///< none for given parameters
    std::optional<summary_units> units; ///< purchase models: the summary's; none = not recorded
    std::string version;                ///< library version that wrote it ("" when unknown)
    /// Purchase models fitted with covariates: the coefficients (`params` are then the base,
    /// z = 0, parameters); none for a model without covariates.
    std::optional<covariate_coefficients> covariates;

    /// True for the Gamma-Gamma spend model.
    bool is_spend_model() const noexcept { return model == "gamma-gamma"; }
    /// True for the discrete-time BG/BB model.
    bool is_bg_bb() const noexcept { return model == "bgbb"; }
    /// True when the fit statistics hold a k x k covariance (`covariance_of` returns it); k
    /// counts the coefficients of a model with covariates (`lay_out_coefficients`).
    bool has_covariance() const noexcept;
};

/// True when `name` names the Gamma-Gamma spend model ("gamma-gamma", "gamma_gamma", "gg",
/// lifetimes' "GammaGammaFitter"; compared as `detail::model_name_key` reads names).
bool is_spend_model_name(std::string_view name) noexcept;

/// True when `name` names the BG/BB model ("bgbb", "bg_bb", "bg/bb", "bg-bb", lifetimes'
/// "BetaGeoBetaBinomFitter", any case).
bool is_bg_bb_model_name(std::string_view name) noexcept;

/// The canonical name of any model, the one reading of model names every face uses: "bgnbd",
/// "mbgnbd", "pnbd", "ggomnbd" (`parse_purchase_model`'s names), "gamma-gamma" or "bgbb";
/// `invalid_argument` naming `argument`, with `name` as the value, for any other. Example:
/// `canonical_model_name("BetaGeoFitter")` is "bgnbd", `canonical_model_name("gg")`
/// "gamma-gamma".
std::string canonical_model_name(std::string_view name, std::string_view argument = "model");

/// A purchase model from its fit on a summary of `units` (`unique_rows`: of the compressed
/// summary), with this library's version.
fitted_model fitted_purchase_model(purchase_model_kind kind, const fit_result& fit,
                                   std::size_t unique_rows, const summary_units& units);

/// A purchase model with covariates from its fit (`fit_with_covariates`) on `customers` rows of
/// a summary of `units`: base parameters, coefficients, all standard errors.
fitted_model fitted_covariate_model(const covariate_fit& fit, const summary_units& units);

/// The base parameters and coefficients of a model with covariates; `invalid_argument` naming
/// `argument` for a model without covariates.
covariate_model covariate_model_of(const fitted_model& m, std::string_view argument = "model");

/// Checks that a covariate table is given exactly when the purchase model has covariates:
/// `invalid_argument` naming `covariates_argument` (and the model of `params_argument`)
/// otherwise. Every face's scoring and intervals refuse the same requests through it (scoring.hpp
/// `covariate_customer_params`, `summary_intervals`).
void check_covariates_given(const fitted_model& purchase, const covariate_table* covariates,
                            std::string_view params_argument = "model",
                            std::string_view covariates_argument = "covariates");

/// A purchase model from given parameters (no fit statistics); `units` empty: not recorded.
fitted_model fitted_purchase_model(const purchase_params& params,
                                   std::optional<summary_units> units = std::nullopt);

/// The Gamma-Gamma spend model from its fit on `sample` (with its left-out counts).
fitted_model fitted_spend_model(const fit_result& fit, const spend_sample& sample);

/// The Gamma-Gamma spend model from given parameters (no fit statistics).
fitted_model fitted_spend_model(const gamma_gamma_params& params);

/// The BG/BB model from its fit on `unique_rows` patterns (`compress_bg_bb`), with this
/// library's version; no units (its axis is the count of opportunities).
fitted_model fitted_bg_bb_model(const fit_result& fit, std::size_t unique_rows);

/// The BG/BB model from given parameters (no fit statistics).
fitted_model fitted_bg_bb_model(const bg_bb_params& params);

/// The parameters of the BG/BB model; `invalid_argument` naming `argument` for another model.
bg_bb_params bg_bb_params_of(const fitted_model& m, std::string_view argument = "model");

/// The covariance of the fitted parameters, for the prediction intervals; `invalid_argument`
/// naming `argument` and `source` (the file the model was read from, "" if none) when the model
/// records none: given parameters, or JSON written before the covariance was (0.1.0), which
/// must be refitted.
const Eigen::MatrixXd& covariance_of(const fitted_model& m, std::string_view argument = "model",
                                     std::string_view source = {});

/// The kind and parameters of a purchase model; `invalid_argument` naming `argument` for the
/// spend model and for BG/BB.
purchase_model_kind purchase_kind_of(const fitted_model& m, std::string_view argument = "model");
purchase_params purchase_params_of(const fitted_model& m, std::string_view argument = "model");

/// The parameters of the spend model; `invalid_argument` naming `argument` for a purchase model.
gamma_gamma_params spend_params_of(const fitted_model& m, std::string_view argument = "model");

/// Throws `invalid_argument` naming `argument` and both time axes when the purchase model `m`
/// records units other than `summary` (never converts). A model without recorded units, and
/// the spend model, pass.
void check_same_units(const fitted_model& m, const summary_units& summary,
                      std::string_view argument = "model");

/// Writes the JSON form (file comment) followed by a newline.
void write_json(std::ostream& out, const fitted_model& m);

/// The JSON form as a string (with the final newline).
std::string to_json(const fitted_model& m);

/// Reads the JSON form (or {"model", "params"} alone, or a flat object of parameters).
///
/// `model` is the model the caller expects ("" = the file's). When the file names a model and
/// `model` is given they must agree (else `invalid_argument` naming `argument` and both); when
/// neither names one, `invalid_argument`. Missing or non-numeric parameters, a parameter that
/// is not finite and > 0, an unknown time unit or a bad scale throw `parse_error` /
/// `invalid_argument` naming the member (`params.b`).
fitted_model parse_fitted_model(const json_value& value, std::string_view model = {},
                                std::string_view argument = "model");

/// `parse_fitted_model` of the JSON text `text`; `source` names it in messages.
fitted_model parse_fitted_model(std::string_view text, const std::string& source,
                                std::string_view model = {}, std::string_view argument = "model");

/// `parse_fitted_model` of the file at `path`.
fitted_model read_fitted_model(const std::string& path, std::string_view model = {},
                               std::string_view argument = "model");

/// `read_fitted_model` of an optional file: none when `path` is empty (an option not given,
/// such as the CLI's `--spend-params`). Example: `read_fitted_model_if("", "gamma-gamma")` is
/// std::nullopt.
std::optional<fitted_model> read_fitted_model_if(const std::string& path,
                                                 std::string_view model = {},
                                                 std::string_view argument = "model");

CUSTOMETRICS_END_NAMESPACE
