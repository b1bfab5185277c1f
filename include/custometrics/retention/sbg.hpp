// The shifted-beta-geometric (sBG) model of contract renewal (Fader & Hardie 2007, "How to
// project customer retention", Journal of Interactive Marketing 21(1), 76-90): fit on the
// survivor counts of a cohort, survival, retention rates and the discounted expected residual
// lifetime (Fader & Hardie 2010, "Customer-base valuation in a contractual setting: the perils
// of ignoring heterogeneity", Marketing Science 29(1), 85-93).
//
// Model. Each customer has a churn probability theta ~ Beta(alpha, beta) at every renewal
// opportunity, independently across periods. Periods are 0, 1, 2, ...; all customers of a
// cohort are active in period 0 and the first renewal decision comes at the end of it. With
// B the beta function (FH 2007 eqs. 3-6):
//     P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)     (churn at the end of period t-1),
//     S(t)     = B(alpha, beta + t) / B(alpha, beta)              (still active in period t),
//     r_t      = S(t) / S(t-1) = (beta + t - 1)/(alpha + beta + t - 1)   (retention rate, t >= 1),
// retention rates that rise with t, the "sorting" of a heterogeneous cohort.
//
// Fit. `active[t]` = customers active in period t, t = 0..k, active[0] the cohort size. The
// log-likelihood (FH 2007 eq. 7) is
//     LL = sum_{t=1..k} (active[t-1] - active[t]) log P(T = t) + active[k] log S(k),
// in lgamma form, with the analytic gradient (digamma), maximised by
// `detail::fit_maximum_likelihood` (fit.hpp) from (alpha, beta) = (1, 1), FH's spreadsheet
// start; `fit_result::n` is the cohort size. Counts may be fractional (e.g. percentages).
//
// DERL. The discounted expected residual lifetime of a customer who has renewed n - 1 times
// and faces the n-th renewal decision now (FH 2010 eq. 6), with discount rate d per period:
//     DERL(d | alpha, beta, n - 1 renewals)
//         = sum_{j>=0} S(n + j)/S(n - 1) (1 + d)^-j
//         = (beta + n - 1)/(alpha + beta + n - 1) 2F1(1, beta + n; alpha + beta + n; 1/(1+d)),
// i.e. the payments of the coming renewals, the first (if the customer renews now)
// undiscounted. Multiply by the margin per period for the customer's residual value. The series
// has positive terms with ratio below z = 1/(1+d); it is summed until the tail bound
// term z/(1-z) is below 2^-55 of the sum, about 37/d terms, at most 10^7 (d down to ~4e-6;
// smaller positive d throw `invalid_argument`). At d = 0 DERL is the expected residual lifetime
// (beta + n - 1)/(alpha - 1), finite only when alpha > 1 (else `invalid_argument`).
//
// Errors. `fit_sbg`: at least two counts, finite, >= 0, non-increasing, active[0] > 0
// (`data_error` naming the period and the value; `invalid_argument` for fewer than two).
// Parameters must be positive and finite, t >= 0 (t >= 1 for a retention rate), d >= 0,
// renewals >= 0 (`invalid_argument`).
//
// Example:
//     const double regular[] = {1000, 631, 468, 382, 326, 289, 262, 241};   // FH 2007
//     const sbg_params p = sbg_params_from(fit_sbg(regular));   // alpha 0.704, beta 1.182
//     double s12 = sbg_survival(p, 12);                          // share active in year 12
//     double derl = sbg_derl(p, 0.1, 4);                         // after 4 renewals, d = 10%
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/fit.hpp"

#include <cstdint>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// sBG parameters: churn probability ~ Beta(alpha, beta).
struct sbg_params {
    double alpha = 1.0;
    double beta = 1.0;
};

/// Fits the sBG model on a cohort's survivor counts (see the file comment). Names
/// {"alpha", "beta"}.
fit_result fit_sbg(std::span<const double> active, const fit_options& options = {});

/// The parameters of an sBG fit; throws `invalid_argument` if the names are not
/// {"alpha", "beta"}.
sbg_params sbg_params_from(const fit_result& fit);

/// The parameters from values in the model's order {alpha, beta}; throws `invalid_argument`
/// naming "params" for another count. Example: sbg_params_from(std::vector{0.7, 1.2}).beta == 1.2.
sbg_params sbg_params_from(std::span<const double> values);

/// S(t): share of the cohort still active in period t (S(0) = 1).
double sbg_survival(const sbg_params& params, int t);

/// r_t = S(t)/S(t-1): share of the customers active in period t-1 that renew (t >= 1).
double sbg_retention_rate(const sbg_params& params, int t);

/// S(t) and r_t at each of the whole periods `t` (a face's column): `sbg_survival` and
/// `sbg_retention_rate` per element, each period read as an `int`; the first period out of
/// range throws as they do. Example: alpha = beta = 1 gives S(t) = 1 / (1 + t), so t = {0, 1, 2}
/// -> {1, 1/2, 1/3}, and r_t = t / (t + 1), so t = {1, 2} -> {1/2, 2/3}.
std::vector<double> sbg_survival(const sbg_params& params, std::span<const std::int64_t> t);
std::vector<double> sbg_retention_rate(const sbg_params& params, std::span<const std::int64_t> t);

/// P(T = t): share of the cohort that churns at the end of period t-1 (t >= 1).
double sbg_churn_probability(const sbg_params& params, int t);

/// DERL(d | alpha, beta, renewals_so_far): discounted expected residual lifetime, in periods,
/// of a customer who has renewed `renewals_so_far` times (Fader & Hardie 2010; file comment).
double sbg_derl(const sbg_params& params, double discount_rate, int renewals_so_far);

CUSTOMETRICS_END_NAMESPACE
