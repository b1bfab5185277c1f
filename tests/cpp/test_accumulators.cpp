// Tests of accumulators.hpp against Boost.Accumulators and hand-worked values.
#include <custometrics/accumulators.hpp>

#include <boost/accumulators/accumulators.hpp>
#include <boost/accumulators/statistics/count.hpp>
#include <boost/accumulators/statistics/max.hpp>
#include <boost/accumulators/statistics/mean.hpp>
#include <boost/accumulators/statistics/min.hpp>
#include <boost/accumulators/statistics/stats.hpp>
#include <boost/accumulators/statistics/sum.hpp>
#include <boost/accumulators/statistics/variance.hpp>
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

using namespace custometrics;
namespace ba = boost::accumulators;

TEST_CASE("moments: hand-worked values, with a large offset") {
    // 1e9 + {4, 7, 13, 16}: mean 1e9 + 10, deviations -6, -3, 3, 6, squares sum to 90,
    // sample variance 90 / 3 = 30. A naive sum-of-squares formula loses this completely.
    moments m;
    for (const double x : {4.0, 7.0, 13.0, 16.0})
        m(1e9 + x);
    CHECK(m.count == 4);
    CHECK(m.mean == doctest::Approx(1e9 + 10).epsilon(1e-15));
    CHECK(m.variance() == doctest::Approx(30.0).epsilon(1e-9));
    CHECK(m.variance(0) == doctest::Approx(22.5).epsilon(1e-9));
    CHECK(m.min == 1e9 + 4);
    CHECK(m.max == 1e9 + 16);
    moments one;
    one(5.0);
    CHECK(std::isnan(one.variance()));
    CHECK(one.variance(0) == 0.0);
    CHECK(std::isnan(moments{}.variance()));
}

TEST_CASE("moments agree with Boost.Accumulators, and merging equals one pass") {
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> dist(3.0, 1.2);
    std::vector<double> xs(10007);
    for (auto& x : xs)
        x = dist(rng) - 20.0;

    ba::accumulator_set<double, ba::stats<ba::tag::count, ba::tag::sum, ba::tag::mean,
                                          ba::tag::variance, ba::tag::min, ba::tag::max>>
        ref;
    moments whole;
    for (const double x : xs) {
        ref(x);
        whole(x);
    }
    CHECK(whole.count == static_cast<std::int64_t>(ba::count(ref)));
    CHECK(whole.sum == doctest::Approx(ba::sum(ref)).epsilon(1e-12));
    CHECK(whole.mean == doctest::Approx(ba::mean(ref)).epsilon(1e-12));
    // Boost's variance is the population variance (divides by n).
    CHECK(whole.variance(0) == doctest::Approx(ba::variance(ref)).epsilon(1e-10));
    CHECK(whole.min == ba::min(ref));
    CHECK(whole.max == ba::max(ref));

    // Uneven pieces, including an empty one, merged in order.
    moments merged;
    const std::size_t cuts[] = {0, 1, 1, 500, 4096, 10007};
    for (std::size_t k = 0; k + 1 < std::size(cuts); ++k) {
        moments part;
        for (std::size_t i = cuts[k]; i < cuts[k + 1]; ++i)
            part(xs[i]);
        merged += part;
    }
    CHECK(merged.count == whole.count);
    CHECK(merged.sum == doctest::Approx(whole.sum).epsilon(1e-13));
    CHECK(merged.mean == doctest::Approx(whole.mean).epsilon(1e-13));
    CHECK(merged.variance() == doctest::Approx(whole.variance()).epsilon(1e-11));
    CHECK(merged.min == whole.min);
    CHECK(merged.max == whole.max);
}

TEST_CASE("time_range") {
    time_range a;
    CHECK(a.empty());
    a(10);
    a(-5);
    time_range b;
    b(20);
    a += b;
    a += time_range{};
    CHECK(a.first == -5);
    CHECK(a.last == 20);
    CHECK_FALSE(a.empty());
}

TEST_CASE("neumaier_sum: exact where a plain and a Kahan sum lose the small term") {
    // 1e17 + 1 rounds to 1e17 (the spacing of doubles there is 16); the compensation keeps the 1.
    neumaier_sum n;
    compensated_sum k;
    double plain = 0.0;
    for (const double x : {1e17, 1.0, -1e17}) {
        n(x);
        k(x);
        plain += x;
    }
    CHECK(n.value() == 1.0);
    CHECK(plain == 0.0);
    CHECK(k.sum == 0.0); // Kahan's correction -1 is itself absorbed by -1e17
    // Order does not matter here: a large term after small ones.
    neumaier_sum m;
    for (const double x : {1.0, 1e17, -1e17, 0.5})
        m(x);
    CHECK(m.value() == 1.5);
    // Merging two partial sums equals one pass: {1e17, 1} + {-1e17, 2} = 3.
    neumaier_sum a, b;
    a(1e17);
    a(1.0);
    b(-1e17);
    b(2.0);
    a += b;
    CHECK(a.value() == 3.0);
    // An overflow is never a finite wrong total.
    neumaier_sum o;
    o(1e308);
    o(1e308);
    CHECK(!std::isfinite(o.value()));
}
