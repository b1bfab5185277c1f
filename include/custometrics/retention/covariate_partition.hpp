// Partitioned fits with covariates: the covariate fit of covariates.hpp on data that stays in
// partitions (Spark executors, shards), the optimiser in one place, as partition.hpp does for the
// models without covariates.
//
// The log-likelihood with covariates is a sum over customers, so it splits at any partition of
// the customers (each with its covariate row). What is not a sum is fixed once, before the
// partitions are evaluated:
// - the coding (`covariate_layout`): which coded columns enter which process, the dummy columns
//   of every categorical covariate and its reference level, the coefficient names and
//   penalties. It depends on the levels of each categorical column over all the customers, so
//   the caller collects them first (one distinct-values pass) and passes them as the columns of
//   a small table: a categorical column holds its levels (any order, repeats allowed), a
//   numeric column no values. The layout is then exactly `design_covariates`' on the whole
//   table (the same names, the same order, the same reference levels);
// - the time scale 1 / max T (`partition_totals`, partition.hpp).
// Each partition codes its own customers under the layout (`covariate_block`: a customer without
// a covariate row, a label that is not a level, a non-finite value are `data_error`s naming the
// customer's key and the column, as `design_covariates` names them) and evaluates its part of the
// log-likelihood and gradient (`partition_covariate_log_likelihood`) at the driver's point;
// `fit_covariates_partitioned` runs the single-machine fit's driver (start, time scaling,
// L-BFGS, standard errors, the same result layout) over their sum, from the same start (the
// optimum of the model without covariates, fitted over the same partitions, coefficients 0).
// The estimates equal `fit_with_covariates`' to a small fraction of their standard errors (the
// sums run in another order; tests/cpp/test_retention_covariate_partition.cpp,
// tests/python/test_spark_covariates.py).
//
// Example (two partitions in one process, customers keys1 and keys2 of the table t):
//     const covariate_design layout = covariate_layout(level_columns, spec);
//     const covariate_design d1 = covariate_block(layout, t, keys1), d2 = ...;
//     partition_totals totals = totals_of(purchase_rows{x1, tx1, T1, {}});
//     totals += totals_of(purchase_rows{x2, tx2, T2, {}});
//     const double s = totals.time_scale();
//     const covariate_fit f = fit_covariates_partitioned(kind, [&](std::span<const double> p) {
//         loglik_gradient l = partition_covariate_log_likelihood(kind, p, {x1, tx1, T1, {}}, d1,
//         s); l += partition_covariate_log_likelihood(kind, p, {x2, tx2, T2, {}}, d2, s); return l;
//     }, totals, layout);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/covariates.hpp"
#include "custometrics/retention/partition.hpp"

#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Covariate columns as the faces hold them, by name: numbers, or labels (categorical).
using covariate_columns = std::vector<
    std::pair<std::string, std::variant<std::vector<double>, std::vector<std::string>>>>;

/// The covariate table of `keys` and `columns` (a frame's columns, as the Python and Spark faces
/// pass them); lengths are checked where the table is used (`design_covariates`). Example:
/// `covariate_table_of({"1", "2"}, {{"Gender", std::vector{0.0, 1.0}}})`.
covariate_table covariate_table_of(std::vector<std::string> keys, covariate_columns columns);

/// The columns of a covariate table by name, each categorical one with its levels over the
/// customers fitted (any order, repeats allowed), each numeric one with none.
using covariate_levels = std::vector<std::pair<std::string, std::vector<std::string>>>;

/// The coding of a covariate fit without its customers (file comment), from the table's
/// `columns`. The result has no rows; `invalid_argument` as `design_covariates` (a covariate
/// that is not a column, names used twice, a bad penalty).
covariate_design covariate_layout(const covariate_levels& columns, const covariate_spec& spec);

/// The customers `keys` (one partition's, in its order) coded under `layout`: the layout's names
/// and coefficients, the rows of `table` (`data_error` naming the key for a customer without a
/// row, a label that is not a level, a non-finite value).
covariate_design covariate_block(const covariate_design& layout, const covariate_table& table,
                                 std::span<const std::string> keys);

/// sum_i ll_i and its gradient at `params` (the model's parameters of the time-scaled problem,
/// then the coefficients) of one partition's customers, their recency and T first multiplied by
/// `time_scale` (`partition_totals::time_scale()`); `block` their `covariate_block`. The rows'
/// weights must be empty (one customer per row); the rows are not checked (`check_rows`).
loglik_gradient partition_covariate_log_likelihood(purchase_model_kind kind,
                                                   std::span<const double> params,
                                                   const purchase_rows& rows,
                                                   const covariate_design& block,
                                                   double time_scale);

/// Fits `kind` with covariates on data that stays in partitions: `fit_with_covariates`' driver,
/// start, time scaling and standard errors over `evaluate` (the sum of every partition's
/// `partition_covariate_log_likelihood`), called once per evaluation. `totals` of the customers'
/// rows (weights 1). Without `options.initial` it starts, as `fit_with_covariates`, from the
/// optimum of the model without covariates (fitted over the same partitions: the evaluator at
/// coefficients 0) with every coefficient 0; one evaluation per call of `evaluate`.
covariate_fit fit_covariates_partitioned(purchase_model_kind kind,
                                         const partition_evaluator& evaluate,
                                         const partition_totals& totals,
                                         const covariate_design& layout,
                                         const fit_options& options = {});

namespace detail {

/// `fit_partitioned` with covariate coefficients after the model's parameters (see
/// `fit_time_scaled`).
fit_result fit_partitioned(purchase_model_kind kind, const partition_evaluator& evaluate,
                           const partition_totals& totals, const fit_options& options,
                           const std::vector<std::string>& coefficient_names,
                           std::span<const double> coefficient_penalizers);

/// The covariate fit of `fit` (model parameters then the coefficients of `design`): the base
/// parameters, the coefficients and standard errors by process.
covariate_fit covariate_fit_of(purchase_model_kind kind, fit_result fit,
                               const covariate_design& design);

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
