// The retention overview of a customer base: the retention section of `custometrics report`,
// and `custometrics.retention.retention_overview` in Python, computed here once.
//
// Method. Customers first seen on the last day (T = 0) carry no information for the models:
// they are left out and counted (`too_new`). The purchase model of `options.model` (BG/NBD,
// bg_nbd.hpp, by default; MBG/NBD or Pareto/NBD, purchase_model.hpp) is fitted on the others; from
// it, per customer, P(alive) and the purchases expected over `horizon` periods. A customer is *at
// risk* when P(alive) < `at_risk_below`; the overview sums the revenue of the at-risk customers and
// of all of them. The Gamma-Gamma spend model (gamma_gamma.hpp) is fitted on the spend sample of
// `select_spend_sample` (gamma_gamma.hpp: the repeat buyers with a positive average spend, x > 0
// and m > 0), and only when there are at least 10 of them and the fit has q > 1 (a finite expected
// spend); otherwise `spend` is empty and `spend_reason` says why. With it, the discounted lifetime
// value of every customer (clv.hpp, lifetimes' definition; customers without a repeat purchase get
// the population mean spend) is summed, and the `top` customers by lifetime value are returned as
// positions in the input (ties: the lower position first).
//
// Every time is in the summary's unit; `clv.periods_per_month` must match it (30: days, the
// default, as the report fits on days).
//
// Errors. `invalid_argument` when no customer has T > 0, for columns of different lengths or
// bad options; the data errors of `compress_summary` (naming the customer's position among
// the customers with T > 0) for a bad row.
//
// Example:
//     const customer_summary s = summarize(view);                 // days
//     const retention_overview_result r = retention_overview(s);
//     std::cout << r.expected_alive << " of " << r.customers << " expected alive\n";
//     for (std::size_t k = 0; k < r.top_customers.size(); ++k)
//         std::cout << s.customer[r.top_customers[k]] << " " << r.top_clv[k] << "\n";
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/clv.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/purchase_model.hpp"
#include "custometrics/summary.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Options of `retention_overview`; the defaults are the report's.
struct retention_overview_options {
    double horizon = 90.0;      ///< periods ahead for the expected purchases (>= 0)
    double at_risk_below = 0.5; ///< P(alive) below this: at risk (in [0, 1])
    clv_options clv{};          ///< 12 months at 1% a month, 30 periods (days) a month
    std::size_t top = 5;        ///< customers listed by lifetime value
    fit_options fit{};          ///< of both fits
    /// The purchase model (the report passes the one `select_purchase_model` chose).
    purchase_model_kind model = purchase_model_kind::bg_nbd;
};

/// The retention overview (see the file comment).
struct retention_overview_result {
    purchase_model_kind model = purchase_model_kind::bg_nbd; ///< the purchase model fitted
    fit_result purchase;                    ///< its fit on the customers with T > 0
    std::optional<fit_result> spend;        ///< Gamma-Gamma; none when `spend_reason` says why
    std::string spend_reason;               ///< empty when there is a spend model
    std::size_t customers = 0;              ///< with T > 0: the customers of every figure below
    std::size_t too_new = 0;                ///< with T = 0, left out
    std::size_t spend_buyers = 0;           ///< in the spend sample (x > 0 and m > 0)
    double expected_alive = 0;              ///< sum of P(alive)
    std::size_t at_risk = 0;                ///< P(alive) < at_risk_below
    double at_risk_revenue = 0;             ///< revenue of the customers at risk
    double revenue = 0;                     ///< revenue of all `customers`
    double expected_purchases = 0;          ///< over `horizon` periods, all customers
    double clv_total = 0;                   ///< lifetime value of all customers (0 without spend)
    std::vector<std::size_t> top_customers; ///< positions in the input, by lifetime value
    std::vector<double> top_clv;            ///< their lifetime values
};

/// The retention overview of per-customer columns of equal length: frequency x, recency t_x,
/// age T (the summary's unit), average repeat spend m (`monetary_value`) and revenue.
retention_overview_result
retention_overview(std::span<const double> frequency, std::span<const double> recency,
                   std::span<const double> T, std::span<const double> monetary,
                   std::span<const double> revenue, const retention_overview_options& options = {});

/// The same on a summary (`summarize`); `top_customers` are its rows.
retention_overview_result retention_overview(const customer_summary& summary,
                                             const retention_overview_options& options = {});

CUSTOMETRICS_END_NAMESPACE
