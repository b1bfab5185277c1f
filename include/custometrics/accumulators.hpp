// Mergeable streaming accumulators: moments (count, sum, mean, variance, min, max) and the
// time range (first, last) of a stream.
//
// Boost.Accumulators computes the same statistics, but an `accumulator_set` cannot be merged
// with another one, and it is several times larger than needed per group when a million groups
// are aggregated at once. So these two are written as small accumulators with a mergeable
// `operator+=`: partial results from threads, partitions or Spark executors combine exactly.
// The tests check them against Boost.Accumulators on the same streams.
//
// Variance uses Welford's update (Welford 1962) and the pairwise merge of Chan, Golub and
// LeVeque (1979, "Updating formulae and a pairwise algorithm for computing sample variances"),
// which stay accurate when the mean is large relative to the spread.
#pragma once

#include "custometrics/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Count, sum, mean, sum of squared deviations, min and max of a stream of doubles.
///
/// Example: `moments m; m(1.0); m(3.0); m.mean == 2.0; m.variance() == 2.0`.
struct moments {
    std::int64_t count = 0;
    double sum = 0.0;
    double mean = 0.0;
    double m2 = 0.0; ///< sum of squared deviations from the mean
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();

    /// Adds one value.
    void operator()(double x) noexcept {
        ++count;
        sum += x;
        const double delta = x - mean;
        mean += delta / static_cast<double>(count);
        m2 += delta * (x - mean);
        min = std::min(min, x);
        max = std::max(max, x);
    }

    /// Merges another accumulator's stream into this one.
    moments& operator+=(const moments& o) noexcept {
        if (o.count == 0) return *this;
        if (count == 0) return *this = o;
        const auto na = static_cast<double>(count);
        const auto nb = static_cast<double>(o.count);
        const double n = na + nb;
        const double delta = o.mean - mean;
        mean += delta * nb / n;
        m2 += o.m2 + delta * delta * na * nb / n;
        count += o.count;
        sum += o.sum;
        min = std::min(min, o.min);
        max = std::max(max, o.max);
        return *this;
    }

    /// Variance with `ddof` delta degrees of freedom (1 = sample variance, as pandas). NaN when
    /// `count <= ddof`: the variance is undefined there, as in pandas and numpy.
    double variance(int ddof = 1) const noexcept {
        if (count <= ddof) return std::numeric_limits<double>::quiet_NaN();
        return m2 / static_cast<double>(count - ddof);
    }
};

/// A compensated (Kahan) sum, step for step as pandas' groupby sum and mean compute it, so that
/// sums and means of money agree with pandas (and lifetimes) to the last bit:
/// `y = x - c; t = s + y; c = (t - s) - y; s = t` (Kahan 1965, "Further remarks on reducing
/// truncation errors", CACM 8(1)). The error bound is independent of the number of terms.
/// Merging adds the other sum as one compensated term (its own compensation included).
struct compensated_sum {
    double sum = 0.0;
    double compensation = 0.0;

    void operator()(double x) noexcept {
        const double y = x - compensation;
        const double t = sum + y;
        compensation = (t - sum) - y;
        sum = t;
    }
    compensated_sum& operator+=(const compensated_sum& o) noexcept {
        (*this)(o.sum);
        (*this)(-o.compensation);
        return *this;
    }
};

/// A compensated sum after Neumaier (1974, "Rundungsfehleranalyse einiger Verfahren zur
/// Summation endlicher Summen", ZAMM 54), for totals that must not lose small terms to
/// cancellation: purchases 1e17 and 1 and a return of -1e17 total exactly 1, where a plain sum
/// and Kahan's `compensated_sum` (whose correction is itself rounded away by the large term that
/// follows) both give 0.
///
/// Method: `t = s + x`; the rounding error of that addition is recovered exactly by Knuth's
/// TwoSum (TAOCP vol. 2, 4.2.2), `z = t - s; e = (s - (t - z)) + (x - z)`, the same error as
/// Neumaier's ordered form `(s - t) + x` for |s| >= |x|, else `(x - t) + s`, but without the
/// comparison and branch, and collected in `compensation`; the result `value()` is
/// `sum + compensation`. The result is the correctly rounded sum whenever
/// the collected errors do not themselves cancel (always for up to 2^52 terms of one sign; the
/// error bound is 2u|S| + O(n u^2) sum|x_i|), and then the same whatever the order of the
/// terms. An infinite or NaN term, or an overflow, makes `value()` non-finite (the running sum's
/// infinity when it overflowed), never a finite wrong sum.
/// Cost: five more additions per term than a plain sum, no branch (Ogita, Rump and Oishi 2005,
/// "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6): their Sum2).
///
/// Example: `neumaier_sum s; s(1e17); s(1.0); s(-1e17); s.value() == 1.0`.
struct neumaier_sum {
    double sum = 0.0;
    double compensation = 0.0;

    void operator()(double x) noexcept {
        const double t = sum + x;
        const double z = t - sum; // TwoSum: the exact error of sum + x, branch-free
        compensation += (sum - (t - z)) + (x - z);
        sum = t;
    }
    /// The compensated total; infinite (not NaN) when the running sum overflowed.
    double value() const noexcept { return std::isfinite(sum) ? sum + compensation : sum; }
    /// Merges another partial sum (its sum and its compensation as two terms).
    neumaier_sum& operator+=(const neumaier_sum& o) noexcept {
        (*this)(o.sum);
        compensation += o.compensation;
        return *this;
    }
};

/// First and last time (any integer ticks) of a stream.
struct time_range {
    std::int64_t first = std::numeric_limits<std::int64_t>::max();
    std::int64_t last = std::numeric_limits<std::int64_t>::min();

    void operator()(std::int64_t t) noexcept {
        first = std::min(first, t);
        last = std::max(last, t);
    }
    time_range& operator+=(const time_range& o) noexcept {
        first = std::min(first, o.first);
        last = std::max(last, o.last);
        return *this;
    }
    bool empty() const noexcept { return first > last; }
};

/// The first and last time of a transaction log (`transaction_view` or any type with `size()`
/// and `seconds(i)`), in seconds: `time_range` over every row; empty for an empty log.
/// Example: rows at 2024-01-05 and 2024-01-01 give first 2024-01-01, last 2024-01-05.
template <class Log> time_range seconds_range(const Log& log) noexcept {
    time_range r;
    for (std::size_t i = 0; i < log.size(); ++i)
        r(log.seconds(i));
    return r;
}

CUSTOMETRICS_END_NAMESPACE
