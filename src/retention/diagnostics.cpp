// Holdout check and repeat-purchase count distribution (see
// custometrics/retention/diagnostics.hpp).
#include "custometrics/retention/diagnostics.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

void check_max_frequency(int max_frequency) {
    if (max_frequency < 1)
        throw invalid_argument("max_frequency",
                               "must be >= 1, got " + std::to_string(max_frequency));
}

[[noreturn]] void bad_value(const char* column, std::size_t i, double v, const char* why) {
    const std::string value = detail::format_number(v);
    throw data_error(std::string(column) + ": customer " + std::to_string(i) + ": value " + value +
                         " " + why,
                     {column, i, {}, {}, value});
}

} // namespace

holdout_check_result holdout_check(const purchase_params& params, std::span<const double> frequency,
                                   std::span<const double> recency, std::span<const double> T,
                                   std::span<const double> holdout_frequency, double duration,
                                   int max_frequency) {
    check_max_frequency(max_frequency);
    if (!(std::isfinite(duration) && duration > 0))
        throw invalid_argument("duration", "the holdout length must be a finite number > 0, got " +
                                               detail::format_number(duration));
    const std::size_t n = frequency.size();
    if (holdout_frequency.size() != n)
        throw invalid_argument("holdout_frequency",
                               "has " + std::to_string(holdout_frequency.size()) + " values for " +
                                   std::to_string(n) + " customers");
    detail::check_summary(frequency, recency, T); // lengths, no customers, bad rows
    for (std::size_t i = 0; i < n; ++i)
        if (!(std::isfinite(holdout_frequency[i]) && holdout_frequency[i] >= 0))
            bad_value("holdout_frequency", i, holdout_frequency[i], "is not a finite number >= 0");
    const std::vector<double> predicted =
        conditional_expected_purchases(params, duration, frequency, recency, T);

    const auto cells = static_cast<std::size_t>(max_frequency) + 1;
    holdout_check_result r;
    r.customers.assign(cells, 0);
    r.actual.assign(cells, 0.0);
    r.predicted.assign(cells, 0.0);
    double abs_error = 0;
    double squared_error = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto bin = static_cast<std::size_t>(std::min(frequency[i], double(max_frequency)));
        ++r.customers[bin];
        r.actual[bin] += holdout_frequency[i];
        r.predicted[bin] += predicted[i];
        const double e = predicted[i] - holdout_frequency[i];
        abs_error += std::abs(e);
        squared_error += e * e;
        r.total_actual += holdout_frequency[i];
        r.total_predicted += predicted[i];
    }
    const auto customers = static_cast<double>(n);
    r.mae = abs_error / customers;
    r.rmse = std::sqrt(squared_error / customers);
    double ape = 0;
    std::size_t bins = 0;
    for (std::size_t b = 0; b < cells; ++b) {
        const auto c = static_cast<double>(r.customers[b]);
        if (c == 0) {
            r.actual[b] = r.predicted[b] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        r.actual[b] /= c;
        r.predicted[b] /= c;
        if (r.actual[b] > 0) {
            ape += std::abs(r.predicted[b] - r.actual[b]) / r.actual[b];
            ++bins;
        }
    }
    r.bin_mape =
        bins > 0 ? ape / static_cast<double>(bins) : std::numeric_limits<double>::quiet_NaN();
    return r;
}

std::vector<double> count_distribution(const purchase_params& params, std::span<const double> T,
                                       int max_frequency) {
    check_max_frequency(max_frequency);
    for (std::size_t i = 0; i < T.size(); ++i)
        if (!(std::isfinite(T[i]) && T[i] > 0))
            bad_value("T", i, T[i], "is not a finite number > 0");
    std::vector<double> ages(T.begin(), T.end());
    std::sort(ages.begin(), ages.end());
    std::vector<double> out(static_cast<std::size_t>(max_frequency) + 1, 0.0);
    for (std::size_t i = 0; i < ages.size();) {
        std::size_t j = i;
        while (j < ages.size() && ages[j] == ages[i])
            ++j;
        const auto customers = static_cast<double>(j - i);
        double below = 0.0;
        for (int k = 0; k < max_frequency; ++k) {
            const double pk = probability_of_purchases(params, ages[i], k);
            out[static_cast<std::size_t>(k)] += customers * pk;
            below += pk;
        }
        out.back() += customers * std::max(0.0, 1.0 - below);
        i = j;
    }
    return out;
}

cumulative_transactions_result cumulative_transactions(std::span<const std::int64_t> customer,
                                                       std::span<const std::int64_t> period,
                                                       std::span<const double> expected) {
    const std::size_t t = expected.size();
    if (t == 0) throw invalid_argument("t", "must be at least 1, got 0");
    if (customer.size() != period.size())
        throw invalid_argument("period", "has " + std::to_string(period.size()) +
                                             " rows, the customer column has " +
                                             std::to_string(customer.size()));
    // The distinct (customer, period) pairs of the first t periods, by customer then period.
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
    for (std::size_t i = 0; i < period.size(); ++i) {
        if (period[i] < 0) {
            const std::string value = std::to_string(period[i]);
            throw data_error("period: row " + std::to_string(i) + ": value " + value +
                                 " is before the first period",
                             {"period", i, {}, {}, value});
        }
        if (static_cast<std::uint64_t>(period[i]) <= t) pairs.emplace_back(customer[i], period[i]);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::vector<double> cohort(t + 1, 0.0);      // customers by first period
    std::vector<std::int64_t> repeats(t + 1, 0); // repeat transactions by period
    for (std::size_t k = 0; k < pairs.size(); ++k) {
        if (k == 0 || pairs[k].first != pairs[k - 1].first) {
            cohort[static_cast<std::size_t>(pairs[k].second)] += 1.0; // its first period
        } else {
            ++repeats[static_cast<std::size_t>(pairs[k].second)];
        }
    }
    cumulative_transactions_result r;
    r.actual.resize(t);
    r.predicted.resize(t);
    std::int64_t running = 0;
    for (std::size_t i = 1; i <= t; ++i) {
        running += repeats[i - 1];
        r.actual[i - 1] = running;
        double sum = 0.0;
        for (std::size_t c = 0; c < i; ++c)
            sum += cohort[c] * expected[i - 1 - c];
        r.predicted[i - 1] = sum;
    }
    return r;
}

CUSTOMETRICS_END_NAMESPACE
