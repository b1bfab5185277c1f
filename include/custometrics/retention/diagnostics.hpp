// Checks of a fitted purchase model against data: the calibration/holdout check and the
// distribution of repeat-purchase counts (Fader, Hardie & Lee 2005, "Counting your customers
// the easy way", figures 2 and 4).
//
// Holdout check. A model fitted on a calibration period predicts each customer's purchases in
// the holdout period that follows (`conditional_expected_purchases` over the holdout length);
// the check groups the customers by their calibration frequency 0, 1, ..., max_frequency - 1
// and max_frequency or more, and compares the mean actual and mean predicted holdout purchases
// per group (FHL 2005 figure 4), with the mean absolute and root mean square error over
// customers, the totals, and the mean absolute percentage error over the groups whose actual
// mean is positive (NaN when there is none). An empty group has NaN means.
//
// Count distribution. The expected number of customers with 0, 1, ..., max_frequency - 1 and
// max_frequency or more repeat purchases by their own ages, sum_i P(X(T_i) = x) (the last
// cell 1 minus the others per customer), against which the actual counts of a summary are
// plotted (FHL 2005 figure 2). Customers share ages (whole days of a cohort), so each distinct T
// is evaluated once.
//
// Cumulative transactions. lifetimes' tracking curve (`expected_cumulative_transactions`; Fader,
// Hardie & Lee 2005, "A note on implementing the Pareto/NBD model in MATLAB", p. 8): from the
// transactions' customers and periods (whole periods since the first purchase of anyone), a
// customer's first period is its cohort and each later period with a purchase (one per customer
// and period) a repeat transaction. Over the first t periods, the actual count at j = 0..t-1 is
// the repeat transactions in periods 0..j, and the expected count at period i = 1..t is
// sum over cohorts c < i of n_c E[X(i - c)], with E[X(s)] the model's expected purchases of a
// new customer (given for s = 1..t, so any model serves). Transactions after period t are left
// out.
//
// Errors. `invalid_argument` for max_frequency < 1, a holdout length that is not positive and
// finite, columns of different lengths or no customers; `data_error` naming the column, the
// customer position and the value for a bad calibration row (as `compress_summary`), a holdout
// purchase count that is not finite and >= 0, an age T that is not positive and finite, or a
// negative transaction period; `invalid_argument` for no expected counts or a customer and a
// period column of different lengths.
//
// Example:
//     const purchase_params p = bg_nbd_params{0.243, 4.414, 0.793, 2.426};   // CDNOW, weeks
//     const holdout_check_result h = holdout_check(p, x, tx, T, x_holdout, 39.0);
//     // h.actual[0], h.predicted[0]: mean holdout purchases of the zero-repeat customers
//     const std::vector<double> counts = count_distribution(p, T, 7);  // 8 cells
//     // customer {0, 0, 1}, period {0, 2, 1}, E[X(1)], E[X(2)] = {0.5, 0.8}: cohorts n_0 = n_1 =
//     1;
//     // actual {0, 0}, predicted {0.5, 0.8 + 0.5}
//     const cumulative_transactions_result c = cumulative_transactions(customer, period, ex);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/retention/purchase_model.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Actual against predicted holdout purchases, per calibration frequency (see the file comment).
struct holdout_check_result {
    /// Per group 0, 1, ..., max_frequency (the last: max_frequency or more).
    std::vector<std::int64_t> customers;
    std::vector<double> actual;    ///< mean actual holdout purchases (NaN for an empty group)
    std::vector<double> predicted; ///< mean predicted holdout purchases (NaN for an empty group)
    double mae = 0;                ///< mean |predicted - actual| over customers
    double rmse = 0;               ///< sqrt(mean (predicted - actual)^2) over customers
    double total_actual = 0;
    double total_predicted = 0;
    double bin_mape = 0; ///< mean |predicted - actual| / actual over groups with actual > 0
};

/// Compares the holdout purchases `holdout_frequency` of customers with calibration summaries
/// (frequency, recency, T) against the prediction of `params` over `duration` periods (the
/// holdout length, in the summary's unit).
holdout_check_result holdout_check(const purchase_params& params, std::span<const double> frequency,
                                   std::span<const double> recency, std::span<const double> T,
                                   std::span<const double> holdout_frequency, double duration,
                                   int max_frequency = 7);

/// Expected customers with 0, 1, ..., max_frequency - 1 and max_frequency or more repeat
/// purchases at their own ages T (max_frequency + 1 cells).
std::vector<double> count_distribution(const purchase_params& params, std::span<const double> T,
                                       int max_frequency = 7);

/// Actual and expected cumulative repeat transactions per period (see the file comment).
struct cumulative_transactions_result {
    std::vector<std::int64_t> actual; ///< repeat transactions in periods 0..j, j = 0..t-1
    std::vector<double> predicted;    ///< sum over cohorts c < i of n_c E[X(i - c)], i = 1..t
};

/// lifetimes' tracking curve of transactions given by `customer` (any integer codes) and
/// `period` (whole periods >= 0 since the first purchase of anyone), with
/// `expected[s - 1]` = E[X(s)] of the model for s = 1..t.
cumulative_transactions_result cumulative_transactions(std::span<const std::int64_t> customer,
                                                       std::span<const std::int64_t> period,
                                                       std::span<const double> expected);

CUSTOMETRICS_END_NAMESPACE
