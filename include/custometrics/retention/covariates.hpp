// Time-invariant covariates for the purchase models (Pareto/NBD, BG/NBD, MBG/NBD, GGompertz/NBD):
// the covariate table, its coding into one design matrix per process, the log-likelihood with its
// analytic gradient in the coefficients, the fit, and per-customer parameters and predictions.
//
// Parameterisation (CLVTools 0.12.1, read from its source; tests/reference/clvtools/README.md).
// Customer i has covariates z_i (one row of the table); g_life and g_trans are the coefficients
// of the lifetime (dropout) and the transaction process:
//     Pareto/NBD:  alpha_i = alpha exp(-g_trans' z_i),  beta_i = beta exp(-g_life' z_i),
//                  r and s common;
//     BG/NBD:      alpha_i = alpha exp(-g_trans' z_i),  a_i = a exp(g_life' z_i),
//                  b_i = b exp(g_life' z_i) (one factor on both, plus sign), r common;
//     MBG/NBD:     as BG/NBD (CLVTools has no MBG/NBD; the same form is used);
//     GGompertz/NBD: alpha_i = alpha exp(-g_trans' z_i),  beta_i = beta exp(-g_life' z_i),
//                  r, b and s common. CLVTools src/ggomnbd.cpp:
//                  478:  //    alpha_i: alpha0 * exp(-cov.trans * cov.params.trans)
//                  479:  return alpha_0 * arma::exp(((mCov_trans * (-1)) * vCovParams_trans));
//                  486:  //    beta_i:  beta0  * exp(-cov.life  * cov.parama.life)
//                  487:  return beta_0 * arma::exp(((mCov_life  * (-1)) * vCovParams_life));
// A positive trans coefficient thus means more purchases (a smaller Gamma rate parameter gives a
// larger mean rate r/alpha_i); a positive Pareto/NBD life coefficient a longer life. The
// per-customer likelihood and the predictions are the models' formulas (pareto_nbd.hpp,
// bg_nbd.hpp, mbg_nbd.hpp, ggom_nbd.hpp) at the customer's own parameters. With z_i = 0 a customer
// has the base parameters exactly (exp(0) = 1), so a customer whose covariates are all 0 (the
// reference group) is the model without covariates.
//
// Gradient. By the chain rule through the per-customer parameters on the models' analytic
// gradients: with q_ij = p_j exp(sign_j g' z_i) the customer's j-th parameter,
//     d ll_i / d p_j = d ll_i / d q_ij * q_ij / p_j,
//     d ll_i / d g_k = sum_{j in the process} sign_j z_ik q_ij d ll_i / d q_ij.
//
// Fit. `fit_with_covariates` maximises sum_i ll_i by the time-scaled driver of the models without
// covariates (partition.hpp `detail::fit_time_scaled`, fit.hpp's L-BFGS: the model parameters on
// the log scale, the coefficients as they are, start 0), on the customers compressed to distinct
// rows (x, t_x, T, z) weighted by their counts (customers with the same (x, t_x, T) may differ in
// z, so z is part of the row; with more than 256 distinct z rows, continuous covariates, one row
// per customer). Standard errors
// for every parameter and coefficient from the observed information (fit.hpp). Options:
// - the L2 penalty on the coefficients, CLVTools' `reg.lambdas`: the objective is
//   -sum_i ll_i / n + lambda_trans |g_trans|^2 + lambda_life |g_life|^2 (a constrained
//   coefficient counts in both); `fit_options::penalizer` still penalises the model parameters
//   as in the models without covariates;
// - the constraint "same coefficient on both processes" (CLVTools' `names.cov.constr`): one
//   coefficient `constr.<name>` used as g_life and g_trans of that covariate.
// Names follow CLVTools' coef(): r, alpha, s, beta (or r, alpha, a, b; r, alpha, b, s, beta), then
// `life.<name>`, `trans.<name>` for the free coefficients and `constr.<name>` for the constrained
// ones.
//
// Categorical covariates. A column of the table given as labels is dummy-coded: its levels are
// sorted (byte order, as R sorts factor levels in the C locale), the first is the reference
// level (recorded in `reference_levels`) and every other level L becomes a 0/1 column named
// "<column>=<level>". Predictions re-code a table by the fitted names: a label that is neither the
// reference nor a fitted level is a `data_error` naming the key, the column and the label.
//
// Errors. A customer of the summary without a covariate row is a `data_error` naming the key
// (field `key`) and the argument "covariates"; a duplicate key in the table, an unknown column,
// a non-finite covariate value likewise name the key and the column. Names used twice, a
// constrained name that is not on both processes, an empty design: `invalid_argument`.
//
// Example (apparel, weeks; the CLVTools fixture):
//     covariate_table t{keys, {{"Gender", gender, {}}, {"Channel", channel, {}}}};
//     covariate_spec spec{{"Gender", "Channel"}, {"Gender", "Channel"}};
//     const covariate_design d = design_covariates(t, summary_keys, spec);
//     const covariate_fit f = fit_with_covariates(purchase_model_kind::pareto_nbd, x, tx, T, d);
//     // f.fit.params: r 1.8378, alpha 92.912, s 0.5920, beta 49.623, life.Gender -0.6430, ...
//     const auto per = customer_params(f.model, d);
//     const std::vector<double> alive = p_alive(per, x, tx, T);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/partition.hpp"
#include "custometrics/retention/purchase_model.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// One covariate column: numbers, or labels of a categorical covariate (exactly one is filled).
struct covariate_column {
    std::string name;
    std::vector<double> values;      ///< numeric column, one per key; empty when categorical
    std::vector<std::string> labels; ///< categorical column, one per key; empty when numeric

    bool is_categorical() const noexcept { return values.empty() && !labels.empty(); }
};

/// A typed covariate table: customer keys and named columns of the same length.
struct covariate_table {
    std::vector<std::string> keys;
    std::vector<covariate_column> columns;
};

/// A covariate table from text cells (a CSV file: `header[key_column]` the key, every other
/// column a covariate): a column whose every cell is a finite number is numeric, any other is
/// categorical (labels as they are). `invalid_argument` when the key column is missing;
/// `data_error` naming the key for a row of the wrong width.
covariate_table covariate_table_from_text(std::span<const std::string> header,
                                          std::span<const std::vector<std::string>> rows,
                                          std::string_view key_column = "customer_id");

/// The covariate table of the CSV file at `path` (`covariate_table_from_text`: `key_column` the
/// key, numeric and categorical columns); csv_table's `parse_error`s name the file and line.
covariate_table read_covariates_csv(const std::string& path,
                                    std::string_view key_column = "customer_id");

/// Which covariates enter which process, and the fit's options on them.
struct covariate_spec {
    std::vector<std::string> life;        ///< columns of the lifetime (dropout) process
    std::vector<std::string> trans;       ///< columns of the transaction process
    std::vector<std::string> constrained; ///< one coefficient for both processes
    double life_penalizer = 0.0;          ///< L2 lambda_life on the mean objective (>= 0)
    double trans_penalizer = 0.0;         ///< L2 lambda_trans (>= 0)
};

/// Checks a request for a fit with covariates before anything is read: `has_table` says whether
/// a covariate table (file, frame) was given. Throws `invalid_argument` ("covariates") for
/// covariates named without a table, and ("life") for a table with no covariate named for
/// either process; the value field lists the names given. Every face calls it, so they refuse
/// the same requests with the same fields. Example: `check_covariate_request(spec, false)`
/// throws for a spec with `life = {"Gender"}`.
void check_covariate_request(const covariate_spec& spec, bool has_table);

/// The covariates coded and aligned to the summary's customers, with the coefficient layout.
struct covariate_design {
    std::vector<std::string> life_names;  ///< coded columns of the lifetime process
    std::vector<std::string> trans_names; ///< coded columns of the transaction process
    Eigen::MatrixXd life;                 ///< customers x life_names
    Eigen::MatrixXd trans;                ///< customers x trans_names
    /// The fit's coefficients after the model parameters: "life.<name>", "trans.<name>",
    /// "constr.<name>", and for each life / trans column the coefficient it uses.
    std::vector<std::string> coefficient_names;
    std::vector<std::size_t> life_coefficient;
    std::vector<std::size_t> trans_coefficient;
    std::vector<double> coefficient_penalizers; ///< per coefficient (lambda_life + lambda_trans
                                                ///< for a constrained one)
    std::vector<std::pair<std::string, std::string>> reference_levels; ///< column, level
    double life_penalizer = 0.0;  ///< the spec's lambda_life (a refit uses it again)
    double trans_penalizer = 0.0; ///< the spec's lambda_trans

    std::size_t customers() const noexcept { return static_cast<std::size_t>(life.rows()); }
};

/// Codes `table` for the customers `keys` (the summary's, in its order) as `spec` says (file
/// comment: dummy coding, names, errors).
covariate_design design_covariates(const covariate_table& table, std::span<const std::string> keys,
                                   const covariate_spec& spec);

/// The coefficients of a covariate model by process, in the coded columns' names.
struct covariate_coefficients {
    std::vector<std::string> life_names;
    std::vector<double> life;
    std::vector<std::string> trans_names;
    std::vector<double> trans;
    std::vector<std::string> constrained; ///< coded names with one coefficient on both
    std::vector<std::pair<std::string, std::string>> reference_levels; ///< column, level
};

/// A purchase model with covariates: the base (z = 0) parameters and the coefficients.
struct covariate_model {
    purchase_params base;
    covariate_coefficients coefficients;
};

/// A covariate fit: the model, the standard errors in the same layout, and the raw fit (names
/// and order of CLVTools' coef(), covariance of all of them).
struct covariate_fit {
    covariate_model model;
    std::vector<double> base_std_errors;  ///< of the base parameters
    std::vector<double> life_std_errors;  ///< per life column (a constrained one's shared)
    std::vector<double> trans_std_errors; ///< per trans column
    fit_result fit;
    double life_penalizer = 0.0;  ///< the design's lambda_life
    double trans_penalizer = 0.0; ///< the design's lambda_trans
};

/// Fits `kind` with covariates by maximum likelihood (file comment). `x`, `tx`, `T` are the
/// summary's customers in the design's order. `data_error` naming the customer for a bad row
/// (`compress_summary`'s checks); `invalid_argument` when the design's length differs.
covariate_fit fit_with_covariates(purchase_model_kind kind, std::span<const double> x,
                                  std::span<const double> tx, std::span<const double> T,
                                  const covariate_design& design, const fit_options& options = {});

/// sum_i ll_i and its gradient in `params` = (the model's parameters, five for GGompertz/NBD,
/// four for the others, then the design's coefficients), customers unchecked beyond their count
/// (the fit checks them).
loglik_gradient covariate_log_likelihood(purchase_model_kind kind, std::span<const double> params,
                                         std::span<const double> x, std::span<const double> tx,
                                         std::span<const double> T, const covariate_design& design);

/// Each customer's log-likelihood at `params` (layout as `covariate_log_likelihood`).
std::vector<double> covariate_log_likelihoods(purchase_model_kind kind,
                                              std::span<const double> params,
                                              std::span<const double> x, std::span<const double> tx,
                                              std::span<const double> T,
                                              const covariate_design& design);

/// One customer's parameters: the base parameters moved by exp(+-g' z) (file comment).
purchase_params customer_params(const covariate_model& model, std::span<const double> z_life,
                                std::span<const double> z_trans);

/// The parameters of a customer whose linear predictors are g_life' z = `eta_life` and
/// g_trans' z = `eta_trans`: the base parameters moved by exp(+-eta) (file comment). With both 0
/// they are `base` exactly.
purchase_params customer_params(const purchase_params& base, double eta_life, double eta_trans);

/// Every customer's parameters under `model`, with `design` coded for the model's columns
/// (`design_for`).
std::vector<purchase_params> customer_params(const covariate_model& model,
                                             const covariate_design& design);

/// Codes `table` for the customers `keys` with the columns of a fitted model (dummy columns
/// from their "<column>=<level>" names, the fitted reference levels).
covariate_design design_for(const covariate_model& model, const covariate_table& table,
                            std::span<const std::string> keys);

/// The fit's coefficient layout of fitted coefficients (CLVTools' order: `life.<name>` of the
/// free life columns, `trans.<name>` of the free trans columns, then `constr.<name>` of the
/// constrained ones, as `design_covariates` lays out a fit): sets `coefficient_names`,
/// `life_coefficient`, `trans_coefficient` and `coefficient_penalizers` (lambda_life,
/// lambda_trans, their sum for a constrained one) of `design`, whose other members are kept.
/// `invalid_argument` ("covariates") when a constrained name is not on both processes.
/// Example: life {G, C}, trans {G}, constrained {G}: names {life.C, constr.G}.
void lay_out_coefficients(covariate_design& design, const covariate_coefficients& coefficients,
                          double life_penalizer = 0.0, double trans_penalizer = 0.0);

/// The coefficients of `coefficients` as one vector in `layout`'s order (`lay_out_coefficients`).
std::vector<double> coefficient_vector(const covariate_coefficients& coefficients,
                                       const covariate_design& layout);

/// `coefficients` with the values of `values` (in `layout`'s order; a constrained coefficient
/// sets its life and its trans column).
covariate_coefficients with_coefficient_vector(covariate_coefficients coefficients,
                                               const covariate_design& layout,
                                               std::span<const double> values);

/// P(alive) of each customer at its own parameters.
std::vector<double> p_alive(std::span<const purchase_params> per_customer,
                            std::span<const double> x, std::span<const double> tx,
                            std::span<const double> T);

/// Expected purchases in (T, T + t] of each customer at its own parameters.
std::vector<double> conditional_expected_purchases(std::span<const purchase_params> per_customer,
                                                   double t, std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T);

CUSTOMETRICS_END_NAMESPACE
