// The purchase models chosen at run time: BG/NBD, MBG/NBD, Pareto/NBD or GGompertz/NBD by name, for
// the command-line tool, the Python bindings and any caller that reads the model from a file.
//
// Each model keeps its own header and typed parameters (bg_nbd.hpp, mbg_nbd.hpp,
// pareto_nbd.hpp, ggom_nbd.hpp); this header adds a `purchase_params` variant over them and one
// function per operation that dispatches on it. Names are the lifetimes ones in its order
// ({r, alpha, a, b} or {r, alpha, s, beta}), CLVTools' for GGompertz/NBD ({r, alpha, b, s,
// beta}); model names are "bgnbd", "mbgnbd", "pnbd" and "ggomnbd" (also accepted: "bg/nbd",
// "bg_nbd", "mbg/nbd", "mbg_nbd", "pareto/nbd", "pareto_nbd", "paretonbd", "ggom", "ggom_nbd",
// "ggompertz/nbd", and lifetimes' class names "BetaGeoFitter", "ModifiedBetaGeoFitter",
// "ParetoNBDFitter"; any case, '/', '_', '-', ' ' and a trailing "fitter" ignored: see
// `detail::model_name_key`). Every face (CLI, Python, Spark) reads model names through it.
//
// Example:
//     const purchase_model_kind k = parse_purchase_model("bgnbd");
//     const purchase_params p = purchase_params_from(k, std::vector{0.243, 4.414, 0.793, 2.426});
//     double alive = p_alive(p, 2, 30.43, 38.86);   // the BG/NBD value, 0.7266
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/bg_nbd.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/ggom_nbd.hpp"
#include "custometrics/retention/mbg_nbd.hpp"
#include "custometrics/retention/pareto_nbd.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The non-contractual purchase models.
enum class purchase_model_kind { bg_nbd, mbg_nbd, pareto_nbd, ggom_nbd };

/// Parameters of any purchase model (in the order of `purchase_model_kind`).
using purchase_params =
    std::variant<bg_nbd_params, mbg_nbd_params, pareto_nbd_params, ggom_nbd_params>;

/// The model named `name` (see the file comment); `invalid_argument` naming `argument` and
/// the accepted names otherwise.
purchase_model_kind parse_purchase_model(std::string_view name,
                                         std::string_view argument = "model");

namespace detail {
/// A model name as the parsers compare it: lower case, without '/', '_', '-', ' ' and without a
/// trailing "fitter" (lifetimes' class names), e.g. "BetaGeoFitter" -> "betageo".
std::string model_name_key(std::string_view name);
} // namespace detail

/// The canonical name: "bgnbd", "mbgnbd", "pnbd" or "ggomnbd".
std::string_view to_string(purchase_model_kind kind) noexcept;

/// A readable name: "BG/NBD", "MBG/NBD", "Pareto/NBD" or "GGompertz/NBD".
std::string_view display_name(purchase_model_kind kind) noexcept;

/// The parameter names of `kind`, in order.
std::vector<std::string> parameter_names(purchase_model_kind kind);

/// The model of `params`.
purchase_model_kind kind_of(const purchase_params& params) noexcept;

/// Parameters of `kind` from values in its order; `invalid_argument` for a wrong count or a
/// value that is not positive and finite (naming the parameter).
purchase_params purchase_params_from(purchase_model_kind kind, std::span<const double> values);

/// The parameters of `params` in order.
std::vector<double> parameter_values(const purchase_params& params);

/// Fits `kind` by maximum likelihood (see fit.hpp and the model's header).
fit_result fit_purchase_model(purchase_model_kind kind, const compressed_summary& rows,
                              const fit_options& options = {});

/// The per-customer functions of the model's header, for any model.
double log_likelihood(const purchase_params& params, double x, double tx, double T);
double p_alive(const purchase_params& params, double x, double tx, double T);
double expected_purchases(const purchase_params& params, double t);
double conditional_expected_purchases(const purchase_params& params, double t, double x, double tx,
                                      double T);
double probability_of_purchases(const purchase_params& params, double t, int n);
std::vector<double> p_alive(const purchase_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T);
std::vector<double> conditional_expected_purchases(const purchase_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T);

/// E[X(t)] of a new customer at each time of `t`.
std::vector<double> expected_purchases(const purchase_params& params, std::span<const double> t);

/// P(X(t) = n) of a new customer for each count of `n`; `invalid_argument` naming "n" for a
/// negative count. Example: the probabilities of n = 0, 1, 2, ... sum to 1.
std::vector<double> probability_of_purchases(const purchase_params& params, double t,
                                             std::span<const std::int64_t> n);

/// The log-likelihood of each customer's (x, t_x, T) under `params`, in the rows' order.
///
/// Example: for BG/NBD {0.243, 4.414, 0.793, 2.426} and one row (2, 30.43, 38.86) this is
/// {log_likelihood(params, 2, 30.43, 38.86)}.
std::vector<double> log_likelihood(const purchase_params& params, std::span<const double> x,
                                   std::span<const double> tx, std::span<const double> T);

/// The quantile `probability` (default the median) of each customer's wait to the next
/// purchase, given alive (clv.hpp `next_purchase_time`), in the rows' order.
std::vector<double> next_purchase_time(const purchase_params& params, std::span<const double> x,
                                       std::span<const double> tx, std::span<const double> T,
                                       double probability = 0.5);

/// The purchase-rate posterior Gamma(shape, rate) = Gamma(r + x, alpha + T), which all four
/// models share (the dropout process does not change it), used for the next-purchase time.
struct rate_posterior {
    double shape;
    double rate;
};
rate_posterior purchase_rate_posterior(const purchase_params& params, double x, double T);

CUSTOMETRICS_END_NAMESPACE
