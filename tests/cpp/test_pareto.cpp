// Tests of pareto.hpp and detail/radix_sort.hpp: hand-worked curves, classes under both boundary
// rules, ties, a dominant entity, equal values, negatives, one entity, empty input, Gini (and the
// Raffinetti-Siletti-Vernizzi form), the whale curve, period comparison with Spearman's rho,
// partial-selection queries, properties on random data, and errors.
#include <custometrics/pareto.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

using namespace custometrics;
using cls = abc_class;

namespace {

// A result column as a plain vector, to compare with a braced list.
template <class T> std::vector<T> vec(const column<T>& c) {
    return {c.begin(), c.end()};
}

std::vector<cls> classes(const pareto_result& r) {
    return vec(r.abc);
}

// Values with everything the ranking must get right: duplicates, -0.0 and 0.0, negatives,
// subnormal, tiny and huge magnitudes, integers and fractions.
std::vector<double> awkward_values(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> ln(3.0, 2.0);
    const std::vector<double> specials{0.0,           -0.0,    DBL_MIN,  -DBL_MIN, DBL_TRUE_MIN,
                                       -DBL_TRUE_MIN, DBL_MAX, -DBL_MAX, 1e-300,   -1e300,
                                       1.0,           -1.0,    0.5};
    std::vector<double> v(n);
    for (auto& x : v) {
        switch (rng() % 6) {
        case 0:
            x = specials[rng() % specials.size()];
            break;
        case 1:
            x = static_cast<double>(rng() % 10) - 4.0;
            break; // many duplicates
        case 2:
            x = -ln(rng);
            break;
        default:
            x = ln(rng);
            break;
        }
    }
    return v;
}

// The reference ranking: std::stable_sort of the ids by value descending.
std::vector<std::uint32_t> reference_order(const std::vector<double>& v) {
    std::vector<std::uint32_t> ids(v.size());
    std::iota(ids.begin(), ids.end(), 0U);
    std::stable_sort(ids.begin(), ids.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return v[a] > v[b]; });
    return ids;
}

} // namespace

TEST_CASE("radix ranking equals std::stable_sort by value descending (ties by id)") {
    for (const std::size_t n : {0UL, 1UL, 2UL, 23UL, 24UL, 25UL, 1000UL, 70'000UL, 300'000UL}) {
        const std::vector<double> v = awkward_values(n, n + 7);
        const std::vector<std::uint32_t> ref = reference_order(v);
        for (const unsigned threads : {1U, 2U}) {
            CAPTURE(n);
            CAPTURE(threads);
            const auto r = detail::rank_descending<true>(
                v, [](double) { return true; }, threads);
            const auto r2 = detail::rank_descending<false>(
                v, [](double) { return true; }, threads);
            REQUIRE(r.finite);
            REQUIRE(r.ids.size() == n);
            CHECK(vec(r.ids) == ref);
            bool values_match = r2.values.size() == n && r2.ids.empty();
            for (std::size_t i = 0; i < n && values_match; ++i)
                values_match = r.values[i] == v[ref[i]] && r2.values[i] == r.values[i] &&
                               !std::signbit(r.values[i] == 0.0 ? r.values[i] : 1.0); // 0 is +0
            CHECK(values_match);
        }
    }
}

TEST_CASE("radix ranking: keep predicate, -0.0 ties 0.0, clustered keys, non-finite flag") {
    // -0.0 and 0.0 tie, so they stay in id order; they come back as +0.0.
    const std::vector<double> zeros{-0.0, 0.0, -0.0, 1.0};
    const auto z = detail::rank_descending<true>(
        zeros, [](double) { return true; }, 1);
    CHECK(vec(z.ids) == std::vector<std::uint32_t>{3, 0, 1, 2});
    CHECK_FALSE(std::signbit(z.values[1]));

    // Only positive values kept.
    const std::vector<double> v{2.0, -1.0, 5.0, 0.0, 2.0};
    const auto pos = detail::rank_descending<true>(
        v, [](double x) { return x > 0.0; }, 1);
    CHECK(vec(pos.ids) == std::vector<std::uint32_t>{2, 0, 4});
    CHECK(vec(pos.values) == std::vector<double>{5.0, 2.0, 2.0});

    // Keys that differ only in their lowest bits, in large blocks (deep recursion, no spread),
    // and a block of a million equal values.
    std::vector<double> clustered(400'000);
    std::mt19937_64 rng(5);
    for (std::size_t i = 0; i < clustered.size(); ++i)
        clustered[i] = i < 200'000 ? std::nextafter(1000.0, 1e9 * static_cast<double>(rng() % 2)) +
                                         static_cast<double>(rng() % 3) * DBL_EPSILON * 1000.0
                                   : 42.0;
    const auto c = detail::rank_descending<true>(
        clustered, [](double) { return true; }, 2);
    CHECK(vec(c.ids) == reference_order(clustered));

    const std::vector<double> bad{1.0, std::numeric_limits<double>::quiet_NaN()};
    CHECK_FALSE(detail::rank_descending<true>(
                    bad, [](double) { return true; }, 1)
                    .finite);
}

TEST_CASE("pareto: hand-worked curve, classes, nonpositive entities reported separately") {
    // ids:            0   1  2   3   4  5
    const std::vector<double> v{15, 50, 0, 30, -4, 5};
    // Ranked > 0: 50 (id 1), 30 (3), 15 (0), 5 (5); total 100; cum 0.5, 0.8, 0.95, 1.
    // before rule: cum before 0, 0.5, 0.8, 0.95 -> A A B C.
    const pareto_result r = pareto(v);
    REQUIRE(r.defined);
    CHECK(r.reason.empty());
    CHECK(vec(r.entity) == std::vector<entity_id>{1, 3, 0, 5});
    CHECK(vec(r.value) == std::vector<double>{50, 30, 15, 5});
    CHECK(vec(r.share) == std::vector<double>{0.5, 0.3, 0.15, 0.05});
    CHECK(vec(r.cum_share) == std::vector<double>{0.5, 0.8, 0.95, 1.0});
    CHECK(classes(r) == std::vector<cls>{cls::A, cls::A, cls::B, cls::C});
    CHECK(r.total == 100.0);
    CHECK(r.size() == 4);
    CHECK(r.n_positive == 4);
    // 0 (id 2) and -4 (id 4) rank last, by value descending, and are reported separately.
    CHECK(vec(r.nonpositive) == std::vector<entity_id>{2, 4});
    CHECK(r.nonpositive_total == -4.0);
    // 80% is reached by the top 2 of 4 entities; the top ceil(0.2 * 4) = 1 make 50%.
    CHECK(r.entities_for_80pct == 0.5);
    CHECK(r.top20_share == 0.5);
    CHECK(r.entity_share(1) == 0.5);
    CHECK(r.class_count == std::array<std::size_t, 3>{2, 1, 1});
    CHECK(r.class_share[0] == 0.8);
    CHECK(r.class_share[1] == doctest::Approx(0.15));
    CHECK(r.class_share[2] == doctest::Approx(0.05));
    // Any "top x% -> y%" query: top 50% (2) -> 80%, top 75% (3) -> 95%, top 60% (ceil 2.4 = 3).
    CHECK(r.top_share(0.5) == 0.8);
    CHECK(r.top_share(0.6) == 0.95);
    CHECK(r.top_share(0.0) == 0.0);
    CHECK(r.top_share(1.0) == 1.0);
    CHECK(r.entities_for_share(0.81) == 0.75);
    CHECK(r.entities_for_share(0.5) == 0.25);
    CHECK(r.entities_for_share(0.0) == 0.0);
    CHECK(r.entities_for_share(1.0) == 1.0);
    // Gini over the ranked values: S = 3*50 + 1*30 - 1*15 - 3*5 = 150, G = 150 / (4 * 100).
    CHECK(r.gini.defined);
    CHECK(r.gini.gini == 0.375);
    CHECK(r.gini.gini_small_sample == 0.5); // 150 / (3 * 100)
    CHECK(r.gini.gini_rsv == 0.375);        // no negatives: equal to G

    // The Pareto chart line and the Lorenz curve (ascending: L = 0, 0.05, 0.2, 0.5, 1).
    const curve_points c = r.curve();
    CHECK(vec(c.x) == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
    CHECK(vec(c.y) == std::vector<double>{0, 0.5, 0.8, 0.95, 1});
    const curve_points l = r.lorenz();
    CHECK(vec(l.x) == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
    REQUIRE(l.y.size() == 5);
    CHECK(l.y[1] == doctest::Approx(0.05));
    CHECK(l.y[2] == doctest::Approx(0.2));
    CHECK(l.y[3] == 0.5);
    CHECK(l.y.back() == 1.0);
    const curve_points l3 = r.lorenz(3); // exact points at indices 0, 2, 4
    CHECK(vec(l3.x) == std::vector<double>{0, 0.5, 1});
    CHECK(l3.y[1] == doctest::Approx(0.2));
}

TEST_CASE("pareto: the two boundary rules give different classes at the boundary") {
    // 60, 25, 10, 5: cum 0.6, 0.85, 0.95, 1.
    // before: cum before 0, 0.6, 0.85, 0.95 -> A A B C (A covers 85%).
    // including: cum 0.6 <= 0.8 A; 0.85 <= 0.95 B; 0.95 <= 0.95 B; 1 C (A covers 60%).
    const std::vector<double> v{60, 25, 10, 5};
    const pareto_result before = pareto(v);
    const pareto_result including = pareto(v, {.rule = boundary_rule::including});
    CHECK(classes(before) == std::vector<cls>{cls::A, cls::A, cls::B, cls::C});
    CHECK(classes(including) == std::vector<cls>{cls::A, cls::B, cls::B, cls::C});
    CHECK(before.class_share[0] == 0.85);
    CHECK(including.class_share[0] == 0.6);
    CHECK(including.class_count == std::array<std::size_t, 3>{1, 2, 1});
    // Custom thresholds: A up to 50%, B up to 90%: before -> cum before 0, 0.6 -> A B B C.
    CHECK(classes(pareto(v, {.a_threshold = 0.5, .b_threshold = 0.9})) ==
          std::vector<cls>{cls::A, cls::B, cls::B, cls::C});
}

TEST_CASE("pareto: ties are broken by id, also across a class boundary") {
    // ids 0..4: 3, 5, 3, 5, 1 -> ranked 5 (1), 5 (3), 3 (0), 3 (2), 1 (4); total 17;
    // cum 5/17, 10/17, 13/17 = 0.765, 16/17 = 0.941, 1.
    const std::vector<double> v{3, 5, 3, 5, 1};
    const pareto_result before = pareto(v);
    CHECK(vec(before.entity) == std::vector<entity_id>{1, 3, 0, 2, 4});
    // before: cum before 0, .29, .59, .76, .94 -> A A A A B
    CHECK(classes(before) == std::vector<cls>{cls::A, cls::A, cls::A, cls::A, cls::B});
    // including: .29 .59 .76 <= .8 A; .94 <= .95 B; 1 C. The two entities of value 3 split:
    // id 0 (first by id) is A, id 2 is B.
    const pareto_result including = pareto(v, {.rule = boundary_rule::including});
    CHECK(classes(including) == std::vector<cls>{cls::A, cls::A, cls::A, cls::B, cls::C});
    CHECK(including.entity[2] == 0);
    CHECK(including.entity[3] == 2);
}

TEST_CASE("pareto: a single dominant entity is A under the default rule, C under the other") {
    // 100, 1, 1: cum 100/102 = 0.98, 0.99, 1.
    const std::vector<double> v{1, 100, 1};
    const pareto_result before = pareto(v);
    CHECK(vec(before.entity) == std::vector<entity_id>{1, 0, 2});
    CHECK(classes(before) == std::vector<cls>{cls::A, cls::C, cls::C});
    CHECK(before.class_count == std::array<std::size_t, 3>{1, 0, 2});
    CHECK(before.entities_for_80pct == doctest::Approx(1.0 / 3.0));
    CHECK(before.top20_share == doctest::Approx(100.0 / 102.0)); // top ceil(0.6) = 1
    const pareto_result including = pareto(v, {.rule = boundary_rule::including});
    CHECK(classes(including) == std::vector<cls>{cls::C, cls::C, cls::C});
    CHECK(including.class_share == std::array<double, 3>{0.0, 0.0, 1.0});
}

TEST_CASE("pareto: all-equal values") {
    // 5 x 4: cum 0.2, 0.4, 0.6, 0.8, 1; ids in order.
    // before: cum before 0, .2, .4, .6 < .8 -> A; .8 -> B.  including: .8 <= .8 A; 1 -> C.
    const std::vector<double> v(5, 4.0);
    const pareto_result r = pareto(v);
    CHECK(vec(r.entity) == std::vector<entity_id>{0, 1, 2, 3, 4});
    CHECK(vec(r.cum_share) == std::vector<double>{0.2, 0.4, 0.6, 0.8, 1.0});
    CHECK(classes(r) == std::vector<cls>{cls::A, cls::A, cls::A, cls::A, cls::B});
    CHECK(classes(pareto(v, {.rule = boundary_rule::including})) ==
          std::vector<cls>{cls::A, cls::A, cls::A, cls::A, cls::C});
    CHECK(r.entities_for_80pct == 0.8);
    CHECK(r.top20_share == 0.2);
    CHECK(r.gini.gini == 0.0); // S = 4 * (4 + 2 + 0 - 2 - 4) = 0 exactly
    CHECK(r.gini.gini_small_sample == 0.0);
}

TEST_CASE("pareto: one entity, empty input, nothing positive") {
    const pareto_result one = pareto(std::vector<double>{7.0});
    CHECK(one.defined);
    CHECK(vec(one.cum_share) == std::vector<double>{1.0});
    CHECK(classes(one) == std::vector<cls>{cls::A});
    // including: cum 1 is above both thresholds.
    CHECK(classes(pareto(std::vector<double>{7.0}, {.rule = boundary_rule::including})) ==
          std::vector<cls>{cls::C});
    CHECK(one.entities_for_80pct == 1.0);
    CHECK(one.top20_share == 1.0); // top ceil(0.2) = 1 entity
    CHECK(one.gini.gini == 0.0);
    CHECK(one.gini.gini_small_sample == 0.0);

    const pareto_result empty = pareto(std::vector<double>{});
    CHECK_FALSE(empty.defined);
    CHECK(empty.reason == "no entities");
    CHECK(empty.size() == 0);
    CHECK(empty.entities_for_80pct == 0.0);
    CHECK(empty.top20_share == 0.0);
    CHECK(empty.top_share(0.5) == 0.0);
    CHECK(empty.curve().x.empty());
    CHECK(empty.lorenz().x.empty());
    CHECK_FALSE(empty.gini.defined);

    const pareto_result none = pareto(std::vector<double>{0.0, -1.0, -0.5});
    CHECK_FALSE(none.defined);
    CHECK(none.reason == "no entity has a value > 0 (3 entities, all <= 0)");
    CHECK(vec(none.nonpositive) == std::vector<entity_id>{0, 2, 1});
    CHECK(none.nonpositive_total == -1.5);
}

TEST_CASE("pareto: nonpositive_policy::include ranks negatives last, shares of the net total") {
    // ids:            0   1  2   3   4  5
    const std::vector<double> v{15, 50, 0, 30, -4, 5};
    // Ranked: 50 (1), 30 (3), 15 (0), 5 (5), 0 (2), -4 (4); total 96;
    // cum 50/96, 80/96, 95/96, 100/96, 100/96, 96/96 = 1 (rises above 1, falls back).
    const pareto_result r = pareto(v, {.nonpositive = nonpositive_policy::include});
    CHECK(vec(r.entity) == std::vector<entity_id>{1, 3, 0, 5, 2, 4});
    CHECK(r.total == 96.0);
    CHECK(r.n_positive == 4);
    CHECK(r.nonpositive.empty());
    CHECK(r.cum_share[3] == doctest::Approx(100.0 / 96.0));
    CHECK(r.cum_share.back() == 1.0);
    // before: cum before 0, .52 -> A; .83 -> B; .99 -> C; value <= 0 -> C.
    CHECK(classes(r) == std::vector<cls>{cls::A, cls::A, cls::B, cls::C, cls::C, cls::C});
    CHECK(r.class_share[2] == doctest::Approx(1.0 - 95.0 / 96.0)); // 5 + 0 - 4 = 1 of 96
    // top ceil(1.2) = 2 make 80/96; 80% is first reached at rank 2 of 6.
    CHECK(r.top20_share == doctest::Approx(80.0 / 96.0));
    CHECK(r.entities_for_80pct == doctest::Approx(2.0 / 6.0));
    // S = 5*50 + 3*30 + 1*15 - 1*5 - 3*0 - 5*(-4) = 370; G = 370 / (6 * 96);
    // G_RSV = 370 / (6 * 104) with sum |x| = 104.
    CHECK(r.gini.gini == doctest::Approx(370.0 / 576.0));
    CHECK(r.gini.gini_rsv == doctest::Approx(370.0 / 624.0));
    // The Lorenz curve dips below 0: the smallest value alone holds -4/96.
    CHECK(r.lorenz().y[1] == doctest::Approx(-4.0 / 96.0));

    // An entity <= 0 is C even where the rule alone would make it B: with b = 1 under
    // `including`, 3, 1, 0 have cum 0.75, 1, 1 -> A, B and (value 0) C.
    CHECK(classes(
              pareto(std::vector<double>{3, 1, 0}, {.b_threshold = 1.0,
                                                    .rule = boundary_rule::including,
                                                    .nonpositive = nonpositive_policy::include})) ==
          std::vector<cls>{cls::A, cls::B, cls::C});

    // A total <= 0 leaves no shares: an error naming the total.
    CHECK_THROWS_WITH_AS(
        pareto(std::vector<double>{1.0, -3.0}, {.nonpositive = nonpositive_policy::include}),
        doctest::Contains("values: total is -2 (<= 0)"), data_error);
}

TEST_CASE("gini: equal values, one non-zero value, negatives (RSV), undefined cases") {
    CHECK(gini(std::vector<double>{3, 3, 3, 3}).gini == 0.0);
    // One non-zero value among n = 4: G = (n - 1) / n = 0.75, small-sample form 1.
    const gini_result one = gini(std::vector<double>{0, 0, 5, 0});
    CHECK(one.defined);
    CHECK(one.gini == 0.75);
    CHECK(one.gini_small_sample == 1.0);
    // -2, 1, 4: pairs |diff| 3, 6, 3 -> sum_i sum_j = 24, S = 12; T = 3, sum |x| = 7.
    // G = 24 / (2 * 3 * 3) = 4/3 (above 1); small-sample 12 / (2 * 3) = 2; RSV 24 / (2 * 3 * 7).
    const gini_result neg = gini(std::vector<double>{1, -2, 4});
    CHECK(neg.gini == doctest::Approx(4.0 / 3.0));
    CHECK(neg.gini_small_sample == doctest::Approx(2.0));
    CHECK(neg.gini_rsv == doctest::Approx(4.0 / 7.0));
    CHECK(neg.absolute_total == 7.0);
    // Total <= 0: G undefined; RSV still defined. 0.5, -1 is the polarised case: (n-1)/n.
    const gini_result down = gini(std::vector<double>{-1, 0.5});
    CHECK_FALSE(down.defined);
    CHECK(down.reason == "total is -0.5 (<= 0): shares of the total are undefined");
    CHECK(down.gini == 0.0);
    CHECK(down.rsv_defined);
    CHECK(down.gini_rsv == 0.5);
    const gini_result empty = gini(std::vector<double>{});
    CHECK_FALSE(empty.defined);
    CHECK_FALSE(empty.rsv_defined);
    CHECK(empty.reason == "no values");
    CHECK_FALSE(gini(std::vector<double>{0, 0}).rsv_defined);
}

TEST_CASE("whale curve: hand-worked profit, undefined when total profit <= 0") {
    // ids 0..3: 30, 10, -20, 0 -> ranked 30 (0), 10 (1), 0 (3), -20 (2); total 20;
    // cum 1.5, 2, 2, 1: peak 2 after 2 of 4; one loss maker destroys 20 = 100% of the total.
    const whale_result w = whale_curve(std::vector<double>{30, 10, -20, 0});
    REQUIRE(w.defined);
    CHECK(vec(w.entity) == std::vector<entity_id>{0, 1, 3, 2});
    CHECK(vec(w.cum_share) == std::vector<double>{1.5, 2.0, 2.0, 1.0});
    CHECK(w.total == 20.0);
    CHECK(w.profit_total == 40.0);
    CHECK(w.peak_share == 2.0);
    CHECK(w.peak_count == 2);
    CHECK(w.peak_entity_share == 0.5);
    CHECK(w.loss_entities == 1);
    CHECK(w.loss_entity_share == 0.25);
    CHECK(w.loss_total == 20.0);
    CHECK(w.loss_share == 1.0);
    const curve_points c = w.curve();
    CHECK(vec(c.x) == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
    CHECK(vec(c.y) == std::vector<double>{0, 1.5, 2, 2, 1});
    // Three points: the ends and the peak (index 2 of 0..4).
    CHECK(vec(w.curve(3).y) == std::vector<double>{0, 2, 1});

    const whale_result down = whale_curve(std::vector<double>{5, -10});
    CHECK_FALSE(down.defined);
    CHECK(down.reason == "total profit is -5 (<= 0): shares of the total are undefined");
    CHECK(down.n == 2);
    CHECK(down.loss_entities == 1);
    CHECK(down.loss_total == 10.0);
    CHECK(down.profit_total == 5.0);
    CHECK(down.total == -5.0);
    CHECK(down.entity.empty());
    CHECK(down.curve().x.empty());
    CHECK(whale_curve(std::vector<double>{}).reason == "no entities");
}

TEST_CASE("compare_periods: migration, entering and leaving A, Spearman with ties, changes") {
    // ids:                 0   1   2   3  4  5
    const std::vector<double> before{10, 20, 20, 30, 0, 5};
    const std::vector<double> after{1, 3, 2, 4, 7, 0};
    // before: 30 (3), 20 (1), 20 (2), 10 (0), 5 (5); total 85; cum .35 .59 .82 .94 1;
    //   cum before 0 .35 .59 -> A A A; .82 .94 -> B B; id 4 none.
    // after: 7 (4), 4 (3), 3 (1), 2 (2), 1 (0); total 17; cum .41 .65 .82 .94 1 -> A A A B B;
    //   id 5 none.
    const period_comparison c = compare_periods(before, after);
    constexpr std::size_t A = 0, B = 1, none = class_none;
    // id 0 B->B, 1 A->A, 2 A->B, 3 A->A, 4 none->A (new), 5 B->none (gone).
    CHECK(c.migration[A][A] == 2);
    CHECK(c.migration[A][B] == 1);
    CHECK(c.migration[B][B] == 1);
    CHECK(c.migration[none][A] == 1);
    CHECK(c.migration[B][none] == 1);
    std::size_t sum = 0;
    for (const auto& row : c.migration)
        sum += std::accumulate(row.begin(), row.end(), std::size_t{0});
    CHECK(sum == 6);
    CHECK(vec(c.entered_a) == std::vector<entity_id>{4});
    CHECK(vec(c.left_a) == std::vector<entity_id>{2});
    // Spearman over ids 0..3 (value > 0 in both): ranks (largest 1) before 4, 2.5, 2.5, 1 and
    // after 4, 2, 3, 1; deviations from 2.5: (1.5, 0, 0, -1.5) and (1.5, -0.5, 0.5, -1.5):
    // rho = 4.5 / sqrt(4.5 * 5) = 3 / sqrt(10).
    CHECK(c.spearman.defined);
    CHECK(c.spearman.n == 4);
    CHECK(c.spearman.rho == doctest::Approx(3.0 / std::sqrt(10.0)).epsilon(1e-12));
    // Gini: before S = 4*30 + 2*20 + 0 - 2*10 - 4*5 = 120, G = 120/425; after S = 28, G = 28/85.
    CHECK(c.changes_defined);
    CHECK(c.gini_change == doctest::Approx(28.0 / 85.0 - 120.0 / 425.0));
    CHECK(c.entities_for_80pct_change == 0.0); // 3 of 5 in both
    CHECK(c.top20_share_change == doctest::Approx(7.0 / 17.0 - 30.0 / 85.0));

    // One common entity: no correlation.
    const period_comparison few =
        compare_periods(std::vector<double>{1, 0}, std::vector<double>{2, 3});
    CHECK_FALSE(few.spearman.defined);
    CHECK(few.spearman.reason == "fewer than 2 entities with a value > 0 in both periods (1)");
    // Reversed order: rho = -1.
    CHECK(
        compare_periods(std::vector<double>{1, 2, 3}, std::vector<double>{3, 2, 1}).spearman.rho ==
        -1.0);
}

TEST_CASE("top_share and entities_for_share by partial selection") {
    const std::vector<double> v{15, 50, 0, 30, -4, 5};
    CHECK(top_share(v, 0.5) == 0.8);
    CHECK(top_share(v, 0.0) == 0.0);
    CHECK(top_share(v, 1.0) == 1.0);
    CHECK(entities_for_share(v, 0.8) == 0.5);
    CHECK(entities_for_share(v, 0.81) == 0.75);
    CHECK(entities_for_share(v, 1.0) == 1.0);
    CHECK(entities_for_share(v, 0.0) == 0.0);
    CHECK(top_share(v, 0.2, nonpositive_policy::include) == doctest::Approx(80.0 / 96.0));
    CHECK_FALSE(top_share(std::vector<double>{0, -1}, 0.2).has_value());
    CHECK_FALSE(entities_for_share(std::vector<double>{}, 0.8).has_value());

    // Agreement with the full ranking on random data, both policies.
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> ln(2.0, 1.5);
    std::vector<double> r(50'001);
    for (auto& x : r)
        x = rng() % 10 == 0 ? -ln(rng) / 10 : (rng() % 10 == 1 ? 0.0 : ln(rng));
    for (const auto policy : {nonpositive_policy::separate, nonpositive_policy::include}) {
        const pareto_result p = pareto(r, {.nonpositive = policy});
        for (const double f : {0.01, 0.2, 0.5, 0.8, 0.999}) {
            CAPTURE(f);
            CHECK(*top_share(r, f, policy) == doctest::Approx(p.top_share(f)).epsilon(1e-12));
            CHECK(*entities_for_share(r, f, policy) == p.entities_for_share(f));
        }
    }
}

TEST_CASE("pareto properties on random data: order, monotone shares, Gini, threads") {
    std::mt19937_64 rng(2024);
    std::lognormal_distribution<double> ln(4.0, 1.5);
    std::vector<double> v(300'000);
    for (auto& x : v) {
        const auto u = rng() % 20;
        x = u == 0 ? 0.0 : u == 1 ? -ln(rng) : u < 5 ? std::round(ln(rng)) : ln(rng); // ties too
    }
    const pareto_result r1 = pareto(v, {.threads = 1});
    const pareto_result r2 = pareto(v, {.threads = 2});
    // Independent of the thread count, bit for bit.
    CHECK(r1.entity == r2.entity);
    CHECK(r1.cum_share == r2.cum_share);
    CHECK(r1.share == r2.share);
    CHECK(r1.abc == r2.abc);
    CHECK(r1.gini.gini == r2.gini.gini);
    CHECK(r1.nonpositive == r2.nonpositive);

    const std::size_t n = r1.size();
    REQUIRE(n > 0);
    CHECK(n + r1.nonpositive.size() == v.size());
    bool ordered = true;
    bool monotone = r1.cum_share[0] > 0.0;
    for (std::size_t i = 1; i < n; ++i) {
        ordered &= r1.value[i - 1] > r1.value[i] ||
                   (r1.value[i - 1] == r1.value[i] && r1.entity[i - 1] < r1.entity[i]);
        monotone &= r1.cum_share[i - 1] <= r1.cum_share[i];
    }
    CHECK(ordered);
    CHECK(monotone);
    CHECK(r1.cum_share.back() == 1.0);
    CHECK(std::is_sorted(r1.abc.begin(), r1.abc.end()));
    CHECK(r1.class_share[0] >= 0.8);

    // Gini by the textbook formula on an independent ascending sort, and by the Lorenz
    // trapezoids: G = 1 - sum (p_i - p_{i-1}) (L_i + L_{i-1}).
    std::vector<double> asc(r1.value.begin(), r1.value.end());
    std::sort(asc.begin(), asc.end());
    long double num = 0.0L;
    long double tot = 0.0L;
    for (std::size_t i = 0; i < n; ++i) {
        num += static_cast<long double>(i + 1) * asc[i];
        tot += asc[i];
    }
    const auto nn = static_cast<long double>(n);
    const auto textbook = static_cast<double>(2.0L * num / (nn * tot) - (nn + 1.0L) / nn);
    CHECK(r1.gini.gini == doctest::Approx(textbook).epsilon(1e-9));
    const curve_points l = r1.lorenz();
    double area = 0.0;
    for (std::size_t i = 1; i < l.x.size(); ++i)
        area += (l.x[i] - l.x[i - 1]) * (l.y[i] + l.y[i - 1]);
    CHECK(1.0 - area == doctest::Approx(r1.gini.gini).epsilon(1e-9));
    // Downsampled: at most 100 exact points, ends included.
    const curve_points l100 = r1.lorenz(100);
    CHECK(l100.x.size() == 100);
    CHECK(l100.x.front() == 0.0);
    CHECK(l100.y.back() == 1.0);
    const auto i33 = static_cast<std::size_t>(std::llround(l100.x[33] * static_cast<double>(n)));
    CHECK(l100.y[33] == l.y[i33]);

    // The standalone Gini of the ranked values agrees bit for bit.
    CHECK(gini(r1.value).gini == r1.gini.gini);
}

TEST_CASE("curve indices: evenly spaced exact points, a kept index replaces the nearest") {
    CHECK(detail::curve_indices(10, 4) == std::vector<std::size_t>{0, 3, 7, 10});
    CHECK(detail::curve_indices(10, 4, 5) == std::vector<std::size_t>{0, 5, 7, 10});
    CHECK(detail::curve_indices(10, 4, 9) == std::vector<std::size_t>{0, 3, 9, 10});
    CHECK(detail::curve_indices(3, 0) == std::vector<std::size_t>{0, 1, 2, 3});
    CHECK(detail::curve_indices(3, 10) == std::vector<std::size_t>{0, 1, 2, 3});
    CHECK(detail::curve_indices(3, 2, 1) == std::vector<std::size_t>{0, 3});
}

TEST_CASE("pareto: bad input names the option, the entity and the value") {
    const std::vector<double> v{1, 2, 3};
    CHECK_THROWS_WITH_AS(pareto(v, {.a_threshold = 0.0}),
                         "pareto_options.a_threshold: must be in (0, 1), got 0", invalid_argument);
    CHECK_THROWS_WITH_AS(pareto(v, {.a_threshold = std::nan("")}),
                         "pareto_options.a_threshold: must be in (0, 1), got nan",
                         invalid_argument);
    CHECK_THROWS_WITH_AS(pareto(v, {.a_threshold = 0.9, .b_threshold = 0.8}),
                         "pareto_options.b_threshold: must be in (a_threshold = 0.9, 1], got 0.8",
                         invalid_argument);
    CHECK_THROWS_WITH_AS(pareto(v, {.b_threshold = 1.5}),
                         "pareto_options.b_threshold: must be in (a_threshold = 0.8, 1], got 1.5",
                         invalid_argument);
    CHECK_NOTHROW(pareto(v, {.b_threshold = 1.0}));

    const std::vector<double> nan{1, 2, std::numeric_limits<double>::quiet_NaN(), 4};
    CHECK_THROWS_WITH_AS(pareto(nan), "values: entity 2: value is nan", data_error);
    const std::vector<double> inf{-std::numeric_limits<double>::infinity(), 1};
    CHECK_THROWS_WITH_AS(pareto(inf), "values: entity 0: value is -inf", data_error);
    CHECK_THROWS_WITH_AS(gini(nan), "values: entity 2: value is nan", data_error);
    CHECK_THROWS_WITH_AS(whale_curve(nan), "profit: entity 2: value is nan", data_error);
    CHECK_THROWS_WITH_AS(top_share(nan, 0.2), "values: entity 2: value is nan", data_error);
    CHECK_THROWS_WITH_AS(compare_periods(v, std::span<const double>(nan).first(3)),
                         "after: entity 2: value is nan", data_error);
    CHECK_THROWS_WITH_AS(compare_periods(v, std::vector<double>{1, 2}),
                         "after: has 2 entities, before has 3", invalid_argument);

    // Finite values whose sum overflows: an error, not a NaN share (1e308 + 1e308 = inf).
    const std::vector<double> huge{1e308, 1e308, 1};
    CHECK_THROWS_WITH_AS(pareto(huge),
                         "values: the sum of the values overflows the largest number (about "
                         "1.8e308)",
                         data_error);
    CHECK_THROWS_AS(top_share(huge, 0.2), data_error);
    CHECK_THROWS_AS(entities_for_share(huge, 0.8), data_error);
    CHECK_THROWS_AS(gini(huge), data_error);
    CHECK_THROWS_AS(pareto(huge, {.nonpositive = nonpositive_policy::include}), data_error);
    try {
        (void)whale_curve(huge);
        FAIL("no data_error");
    } catch (const data_error& e) {
        CHECK(e.argument() == "profit");
        CHECK(e.value() == "inf");
    }
    // A finite total (1.7e308) whose Gini sum 2 * 1e308 + 0 * 7e307 - 2 * 1 overflows: the
    // curve stands, Gini is undefined with its reason.
    const pareto_result big = pareto(std::vector<double>{1e308, 7e307, 1});
    CHECK(big.total == 1.7e308);
    CHECK(big.cum_share.back() == 1.0);
    CHECK_FALSE(big.gini.defined);
    CHECK_FALSE(big.gini.rsv_defined);
    CHECK(big.gini.gini == 0.0);
    CHECK(big.gini.reason.find("overflow") != std::string::npos);
    // n * total overflows (3 * 1.4e308) where Gini does not: sum_r (n - 1 - 2r) x_r = 2 * 0.8e308
    // + 0 - 2 * 0.1e308 = 1.4e308, over n T = 4.2e308: 1/3 (small-sample: 1.4 / 2.8 = 0.5).
    const pareto_result near = pareto(std::vector<double>{0.8e308, 0.5e308, 0.1e308});
    CHECK(near.gini.defined);
    CHECK(near.gini.gini == doctest::Approx(1.0 / 3.0).epsilon(1e-12));
    CHECK(near.gini.gini_small_sample == doctest::Approx(0.5).epsilon(1e-12));
    CHECK(near.gini.gini_rsv == doctest::Approx(1.0 / 3.0).epsilon(1e-12));

    const pareto_result r = pareto(v);
    CHECK_THROWS_WITH_AS((void)r.top_share(1.5), "fraction: must be in [0, 1], got 1.5",
                         invalid_argument);
    CHECK_THROWS_WITH_AS((void)r.entities_for_share(-0.1), "share: must be in [0, 1], got -0.1",
                         invalid_argument);
    CHECK_THROWS_AS((void)top_share(v, std::nan("")), invalid_argument);
}

TEST_CASE("pareto_by_key: hand-worked rows, gaps in the keys, zero and negative totals") {
    // Totals by hand: key 10: 5 + 3 = 8; key 12: 1 + 1 = 2; key 15: -2; key 16: 4 - 4 = 0.
    // Keys 11, 13 and 14 have no row: they are no entity at all.
    const std::vector<std::int64_t> keys{10, 12, 10, 15, 12, 16, 16};
    const std::vector<double> v{5, 1, 3, -2, 1, 4, -4};
    const keyed_pareto s = pareto_by_key(keys, v, {.threads = 1});
    CHECK(s.keys == column<std::int64_t>{10, 12});
    CHECK(s.pareto.value == column<double>{8, 2});
    CHECK(s.pareto.cum_share == column<double>{0.8, 1.0}); // 8/10, 10/10
    CHECK(s.pareto.abc == column<cls>{cls::A, cls::B});    // before 12: 0.8, not below 0.8
    // Not ranked: value descending (0 before -2), then key.
    CHECK(s.nonpositive_keys == column<std::int64_t>{16, 15});
    CHECK(s.nonpositive_values == column<double>{0, -2});
    CHECK(s.pareto.nonpositive_total == -2.0);

    // include: every key with a row is ranked; shares of the net total 8 + 2 - 2 + 0 = 8.
    const keyed_pareto i =
        pareto_by_key(keys, v, {.nonpositive = nonpositive_policy::include, .threads = 2});
    CHECK(i.keys == column<std::int64_t>{10, 12, 16, 15});
    CHECK(i.pareto.cum_share == column<double>{1.0, 1.25, 1.25, 1.0});
    CHECK(i.nonpositive_keys.empty());

    // Equal totals: the smaller key first, as ids ascend with keys.
    const keyed_pareto t = pareto_by_key(std::vector<std::int64_t>{7, 3, 5},
                                         std::vector<double>{2, 2, 6}, {.threads = 1});
    CHECK(t.keys == column<std::int64_t>{5, 3, 7});

    const keyed_pareto e = pareto_by_key({}, {});
    CHECK_FALSE(e.pareto.defined);
    CHECK(e.pareto.reason == "no entities");
    const keyed_pareto neg =
        pareto_by_key(std::vector<std::int64_t>{4, 9}, std::vector<double>{-1, 0});
    CHECK_FALSE(neg.pareto.defined);
    CHECK(neg.pareto.reason == "no entity has a value > 0 (2 entities, all <= 0)");
    CHECK(neg.nonpositive_keys == column<std::int64_t>{9, 4});
}

TEST_CASE("pareto_by_key equals pareto of sum_by_key, dense and sparse keys, any thread count") {
    std::mt19937_64 rng(99);
    std::lognormal_distribution<double> ln(2.0, 1.2);
    for (const std::int64_t spread : {std::int64_t{3}, std::int64_t{1} << 40}) {
        // spread 3: keys in a compact range with gaps (the table path); 2^40: sparse keys
        // (ranked after squeezing, through sum_by_key).
        std::vector<std::int64_t> k(200'000);
        std::vector<double> x(k.size());
        for (std::size_t j = 0; j < k.size(); ++j) {
            k[j] = -5000 + static_cast<std::int64_t>(rng() % 40'000) * spread;
            x[j] = rng() % 10 == 0 ? -ln(rng) : std::round(ln(rng)); // ties and negatives
        }
        for (const auto policy : {nonpositive_policy::separate, nonpositive_policy::include}) {
            const keyed_sums sums = sum_by_key(k, x, 1);
            const pareto_result want = pareto(sums.sum, {.nonpositive = policy, .threads = 1});
            for (const unsigned threads : {1U, 2U}) {
                const keyed_pareto got =
                    pareto_by_key(k, x, {.nonpositive = policy, .threads = threads});
                REQUIRE(got.keys.size() == want.size());
                bool same_keys = true;
                for (std::size_t r = 0; r < want.size(); ++r)
                    same_keys &= got.keys[r] == sums.keys[want.entity[r]];
                CHECK(same_keys);
                CHECK(got.pareto.value == want.value);
                CHECK(got.pareto.cum_share == want.cum_share);
                CHECK(got.pareto.abc == want.abc);
                CHECK(got.pareto.gini.gini == want.gini.gini);
                CHECK(got.pareto.class_count == want.class_count);
                REQUIRE(got.nonpositive_keys.size() == want.nonpositive.size());
                bool same_rest = true;
                for (std::size_t r = 0; r < want.nonpositive.size(); ++r)
                    same_rest &= got.nonpositive_keys[r] == sums.keys[want.nonpositive[r]] &&
                                 got.nonpositive_values[r] == sums.sum[want.nonpositive[r]];
                CHECK(same_rest);
            }
        }
    }
}

TEST_CASE("pareto_by_key: bad input names the row, the key or the lengths") {
    const std::vector<std::int64_t> k{1, 2, 2};
    CHECK_THROWS_WITH_AS(pareto_by_key(k, std::vector<double>{1, NAN, 2}),
                         "values: row 1: value is nan", data_error);
    CHECK_THROWS_WITH_AS(pareto_by_key(k, std::vector<double>{1, 1e308, 1e308}),
                         "values: key 2: total is inf (the sum of its values overflows)",
                         data_error);
    CHECK_THROWS_WITH_AS(pareto_by_key(k, std::vector<double>{1, 2}),
                         "values: has 2 rows, keys has 3", invalid_argument);
    CHECK_THROWS_AS(pareto_by_key(k, std::vector<double>{1, 2, 3}, {.a_threshold = 2.0}),
                    invalid_argument);
}

TEST_CASE("pareto_of_rows and whale_of_rows: totals per key, ranked, errors naming the columns") {
    const row_columns cols{"customer_id", "amount"};
    // Integer keys 7, 5, 7, 9 with amounts 10, 30, 25, -4: totals 5 -> 30, 7 -> 35, 9 -> -4.
    // Ranked 7 (35), 5 (30); 9 is not positive and kept apart; total 65.
    const std::vector<std::int64_t> k{7, 5, 7, 9};
    const std::vector<double> v{10, 30, 25, -4};
    const keyed_pareto p = pareto_of_rows(k, v, {}, cols);
    CHECK(p.keys == column<std::int64_t>{7, 5});
    CHECK(p.pareto.value == column<double>{35, 30});
    CHECK(p.pareto.total == 65.0);
    CHECK(p.nonpositive_keys == column<std::int64_t>{9});
    CHECK(p.nonpositive_values == column<double>{-4});
    // The whale curve of the same rows: 35, 30, -4 of a total 61; peak 65 / 61 after 2 of 3.
    const keyed_whale w = whale_of_rows(k, v, 0, cols);
    CHECK(w.keys == column<std::int64_t>{7, 5, 9});
    CHECK(w.whale.value == column<double>{35, 30, -4});
    CHECK(w.whale.peak_share == doctest::Approx(65.0 / 61.0));
    // String keys by the ids of an index ("b" id 0, "a" id 1, sorted to "a" 0, "b" 1): rows
    // b 3, a 5, b 4 -> a 5, b 7; ranked b (id 1), a (id 0).
    key_index index;
    const entity_id b = index.insert(std::string_view("b"));
    const entity_id a = index.insert(std::string_view("a"));
    const std::vector<entity_id> remap = index.sort();
    const std::vector<entity_id> ids{remap[b], remap[a], remap[b]};
    const keyed_pareto ps = pareto_of_rows(ids, index, std::vector<double>{3, 5, 4}, {}, cols);
    CHECK(ps.keys == column<std::int64_t>{1, 0});
    CHECK(index.string_key(static_cast<entity_id>(ps.keys[0])) == "b");
    CHECK(ps.pareto.value == column<double>{7, 5});
    const keyed_whale ws = whale_of_rows(ids, index, std::vector<double>{3, -5, 4}, 0, cols);
    CHECK(ws.keys == column<std::int64_t>{1, 0});
    CHECK(ws.whale.value == column<double>{7, -5});
    // The errors name the columns, the row and the key (quoted when it is a string).
    CHECK_THROWS_WITH_AS(pareto_of_rows(k, std::vector<double>{1, NAN, 2, 3}, {}, cols),
                         "amount: row 1 (customer_id 5): value is nan", data_error);
    CHECK_THROWS_WITH_AS(pareto_of_rows(k, std::vector<double>{1e308, 1, 1e308, 3}, {}, cols),
                         "amount: customer_id 7: total is inf (the sum of its values overflows)",
                         data_error);
    CHECK_THROWS_WITH_AS(whale_of_rows(k, std::vector<double>{1, 2, 3, INFINITY}, 0, cols),
                         "amount: row 3 (customer_id 9): value is inf", data_error);
    CHECK_THROWS_WITH_AS(pareto_of_rows(ids, index, std::vector<double>{1, NAN, 2}, {}, cols),
                         "amount: row 1 (customer_id 'a'): value is nan", data_error);
    try {
        whale_of_rows(ids, index, std::vector<double>{1, 2, NAN}, 0, cols);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.argument() == "amount");
        CHECK(e.row() == std::optional<std::size_t>{2});
        CHECK(e.key() == "'b'");
    }
}

TEST_CASE("the options by name: parse_boundary_rule and parse_nonpositive_policy") {
    CHECK(parse_boundary_rule("before") == boundary_rule::before);
    CHECK(parse_boundary_rule("including") == boundary_rule::including);
    CHECK(parse_nonpositive_policy("separate") == nonpositive_policy::separate);
    CHECK(parse_nonpositive_policy("include") == nonpositive_policy::include);
    try {
        parse_boundary_rule("after");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "rule: expected 'before' or 'including', got 'after'");
        CHECK(e.argument() == "rule");
        CHECK(e.value() == "after");
    }
    try {
        parse_nonpositive_policy("Include", "par_nonpositive");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "par_nonpositive: expected 'separate' or 'include', got 'Include'");
        CHECK(e.argument() == "par_nonpositive");
        CHECK(e.value() == "Include");
    }
}

TEST_CASE("pareto_by_key: totals exact under cancellation (Neumaier), dense and sparse keys") {
    // Key 1: 1e17 + 1 - 1e17 = 1 (a plain sum gave 0 and left key 1 out of the ranking as
    // nonpositive); key 2: 5. Ranked: 2 (5), 1 (1).
    const std::vector<double> v{1e17, 5, 1, -1e17};
    for (const std::int64_t scale : {std::int64_t{1}, std::int64_t{1} << 45}) {
        const std::vector<std::int64_t> k{scale, 2 * scale, scale, scale};
        const keyed_pareto r = pareto_by_key(k, v);
        CHECK(r.keys == column<std::int64_t>{2 * scale, scale});
        CHECK(r.pareto.value == column<double>{5, 1});
        CHECK(r.nonpositive_keys.empty());
    }
}
