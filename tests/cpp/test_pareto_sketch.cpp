// Tests of pareto_sketch.hpp: bins, hand-worked bounds of one bin, exact figures when every
// value has its own bin, merging, the bounds holding against pareto() on many distributions,
// their width shrinking with eps, and bad input.
#include <custometrics/pareto.hpp>
#include <custometrics/pareto_sketch.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

using namespace custometrics;

namespace {

pareto_sketch sketch_of(const std::vector<double>& v, double eps) {
    pareto_sketch s(eps);
    s.add(v);
    return s;
}

void check_exact(const bounded_figure& f, double x) {
    CHECK(f.estimate == doctest::Approx(x).epsilon(1e-12));
    CHECK(f.lower == doctest::Approx(x).epsilon(1e-12));
    CHECK(f.upper == doctest::Approx(x).epsilon(1e-12));
}

// lower <= x <= upper (the bounds allow for the rounding of the sums), and the estimate
// within the bounds.
bool within(const bounded_figure& f, double x) {
    return f.lower <= x && x <= f.upper && f.lower <= f.estimate && f.estimate <= f.upper;
}

// Every figure of `exact` lies within the bounds of the sketch's figures.
void check_bounds(const std::vector<double>& v, double eps, boundary_rule rule) {
    pareto_options o;
    o.rule = rule;
    const pareto_result exact = pareto(v, o);
    const sketch_figures f = pareto_figures(sketch_of(v, eps), o);
    REQUIRE(f.n == exact.size());
    CHECK(f.total == doctest::Approx(exact.total).epsilon(1e-12));
    CHECK(f.nonpositive_count == exact.nonpositive.size());
    CHECK(within(f.entities_for_80pct, exact.entities_for_80pct));
    CHECK(within(f.top20_share, exact.top20_share));
    CHECK(within(f.gini, exact.gini.gini));
    CHECK(within(f.gini_small_sample, exact.gini.gini_small_sample));
    for (std::size_t c = 0; c < 3; ++c) {
        CHECK(within(f.class_count[c], static_cast<double>(exact.class_count[c])));
        CHECK(within(f.class_share[c], exact.class_share[c]));
    }
}

std::vector<double> draw(const char* kind, std::size_t n, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<double> v(n);
    const std::string k = kind;
    if (k == "uniform") {
        std::uniform_real_distribution<double> u(1.0, 100.0);
        for (auto& x : v)
            x = u(rng);
    } else if (k == "lognormal") { // heavy tail
        std::lognormal_distribution<double> ln(3.0, 2.5);
        for (auto& x : v)
            x = ln(rng);
    } else if (k == "equal") {
        std::fill(v.begin(), v.end(), 7.25);
    } else if (k == "dominant") {
        std::uniform_real_distribution<double> u(0.5, 1.5);
        for (auto& x : v)
            x = u(rng);
        v[n / 2] = 1e9;
    } else if (k == "ties") { // few distinct values, zeros and negatives among them
        std::uniform_int_distribution<int> u(-2, 6);
        for (auto& x : v)
            x = 10.0 * u(rng);
    } else { // "magnitudes": 1e-200 .. 1e200, subnormals too
        std::uniform_real_distribution<double> e(-200.0, 200.0);
        for (auto& x : v)
            x = std::pow(10.0, e(rng));
        if (n > 0) v[0] = DBL_TRUE_MIN;
        if (n > 1) v[1] = 4.0 * DBL_MIN;
    }
    return v;
}

} // namespace

TEST_CASE("pareto_sketch: bins are exact bit ranges of relative width at most eps") {
    const pareto_sketch s(0.01);
    CHECK(s.precision_bits() == 7); // 2^-7 = 0.0078 <= 0.01 < 2^-6
    CHECK(pareto_sketch(1.0).precision_bits() == 0);
    CHECK(pareto_sketch(0.5).precision_bits() == 1);
    CHECK(pareto_sketch(1e-30).precision_bits() == 52);
    // 1.0 = 0x3FF0000000000000: index 0x3FF0000000000000 >> 45 = 0x3FF << 7 = 130944.
    CHECK(s.bin_index(1.0) == 130944);
    CHECK(s.bin_lower(130944) == 1.0);
    CHECK(s.bin_upper(130944) == 1.0 + 1.0 / 128.0);
    CHECK(s.bin_index(std::nextafter(1.0 + 1.0 / 128.0, 0.0)) == 130944);
    CHECK(s.bin_index(1.0 + 1.0 / 128.0) == 130945);
    CHECK(s.bin_index(2.0) == 130944 + 128); // the next octave
    for (const double x : {1e-300, 0.3, 1.0, 7.0, 123456.789, 1e300}) {
        const std::uint64_t i = s.bin_index(x);
        CHECK(s.bin_lower(i) <= x);
        CHECK(x < s.bin_upper(i));
        CHECK(s.bin_upper(i) / s.bin_lower(i) <= 1.0 + 1.0 / 128.0);
    }
}

TEST_CASE("pareto_sketch: one value per bin gives the exact figures of pareto.hpp") {
    // The example of pareto.hpp: 50, 30, 15, 5 ranked (0 not), cum 0.5, 0.8, 0.95, 1.
    pareto_sketch s(0.01);
    s.add(std::vector<double>{50, 30, 15, 5, 0});
    CHECK(s.bins().size() == 4);
    CHECK(s.count() == 4);
    CHECK(s.total() == 100.0);
    const sketch_figures f = pareto_figures(s);
    CHECK(f.defined);
    CHECK(f.n == 4);
    CHECK(f.nonpositive_count == 1);
    CHECK(f.nonpositive_total == 0.0);
    CHECK(f.min == 5.0);
    CHECK(f.max == 50.0);
    check_exact(f.top20_share, 0.5);        // top ceil(0.8) = 1 of 4: 50 / 100
    check_exact(f.entities_for_80pct, 0.5); // 50 + 30 = 80% at k = 2
    check_exact(f.gini, 0.375);             // (3*50 + 30 - 15 - 3*5) / (4 * 100)
    check_exact(f.gini_small_sample, 0.5);  // 0.375 * 4 / 3
    check_exact(f.class_count[0], 2);       // before: A A B C
    check_exact(f.class_count[1], 1);
    check_exact(f.class_count[2], 1);
    check_exact(f.class_share[0], 0.8);
    check_exact(f.class_share[1], 0.15);
    check_exact(f.class_share[2], 0.05);

    // 60, 25, 10, 5: before A A B C (A covers 85%); including A B B C (A covers 60%).
    pareto_sketch t(0.01);
    t.add(std::vector<double>{5, 10, 25, 60});
    check_exact(pareto_figures(t).class_count[0], 2);
    pareto_options inc;
    inc.rule = boundary_rule::including;
    const sketch_figures g = pareto_figures(t, inc);
    check_exact(g.class_count[0], 1);
    check_exact(g.class_count[1], 2);
    check_exact(g.class_share[0], 0.6);
    // 100, 1, 1: including -> C C C (A empty, B empty: 100/102 > 0.95).
    const sketch_figures h = pareto_figures(sketch_of({100, 1, 1}, 0.01), inc);
    check_exact(h.class_count[0], 0);
    check_exact(h.class_count[1], 0);
    check_exact(h.class_count[2], 3);
    // b = 1 under including: every entity within 100% is B or A.
    inc.b_threshold = 1.0;
    check_exact(pareto_figures(t, inc).class_count[2], 0);
}

TEST_CASE("pareto_sketch: hand-worked bounds of one bin") {
    // eps = 1: octave bins; 7, 6, 5, 4 share the bin [4, 8): c = 4, s = 22, m = 4, M = 7.
    const pareto_sketch s = sketch_of({7, 6, 5, 4}, 1.0);
    REQUIRE(s.bins().size() == 1);
    CHECK(s.bins()[0].count == 4);
    CHECK(s.bins()[0].sum == 22.0);
    CHECK(s.bins()[0].min == 4.0);
    CHECK(s.bins()[0].max == 7.0);
    const sketch_figures f = pareto_figures(s);
    // top 1 of 4 is the max: 7 / 22 exactly.
    check_exact(f.top20_share, 7.0 / 22.0);
    // S(2) in [M + r, min(2M, s - 2m)] = [7 + 5.5, 14] (r = (22 - 7 - 4) / 2 = 5.5);
    // S(3) in [7 + 2 * 5.5, min(21, 22 - 4)] = [18, 18] >= 0.8 * 22 = 17.6: k = 3 exactly.
    check_exact(f.entities_for_80pct, 0.75);
    CHECK(top_share(s, 0.5).lower == doctest::Approx(12.5 / 22.0));
    CHECK(top_share(s, 0.5).upper == doctest::Approx(14.0 / 22.0));
    CHECK(top_share(s, 0.5).estimate == doctest::Approx(13.25 / 22.0));
    // Gini: W = 3 s - 2 U with U in [(c-1)s - sum hi, (c-1)s - sum lo]: sum lo = 7 + 12.5 + 18
    // = 37.5, sum hi = 7 + 14 + 18 = 39, so U in [27, 28.5], W in [9, 12], G in [9/88, 12/88]
    // (7, 5.5, 5.5, 4 gives 9; 7, 7, 4, 4 gives 12). The true 7, 6, 5, 4: W = 21 + 6 - 5 - 12 = 10.
    CHECK(f.gini.lower == doctest::Approx(9.0 / 88.0));
    CHECK(f.gini.upper == doctest::Approx(12.0 / 88.0));
    CHECK(f.gini.estimate == doctest::Approx(10.5 / 88.0));
    CHECK(within(f.gini, pareto(std::vector<double>{7, 6, 5, 4}).gini.gini));
}

TEST_CASE("pareto_sketch: merging equals sketching the union") {
    const std::vector<double> v = draw("lognormal", 3000, 11);
    pareto_sketch a(0.05);
    a.add(std::span<const double>(v).first(1000));
    pareto_sketch b(0.05);
    b.add(std::span<const double>(v).subspan(1000));
    b.add(std::vector<double>{-3.0, 0.0});
    a += b;
    const pareto_sketch whole = sketch_of(v, 0.05);
    REQUIRE(a.bins().size() == whole.bins().size());
    for (std::size_t i = 0; i < a.bins().size(); ++i) {
        CHECK(a.bins()[i].index == whole.bins()[i].index);
        CHECK(a.bins()[i].count == whole.bins()[i].count);
        CHECK(a.bins()[i].min == whole.bins()[i].min);
        CHECK(a.bins()[i].max == whole.bins()[i].max);
        CHECK(a.bins()[i].sum == doctest::Approx(whole.bins()[i].sum).epsilon(1e-13));
    }
    CHECK(a.nonpositive_count() == 2);
    CHECK(a.nonpositive_total() == -3.0);
    // The same bins through from_bins (as Spark merges them).
    const pareto_sketch c = pareto_sketch::from_bins(0.05, a.bins(), 2, -3.0);
    CHECK(pareto_figures(c).gini.lower == pareto_figures(a).gini.lower);
    // An empty sketch: nothing defined, figures 0.
    const sketch_figures e = pareto_figures(pareto_sketch(0.1));
    CHECK_FALSE(e.defined);
    CHECK(e.reason == "no entities");
    CHECK(e.gini.upper == 0.0);
    const sketch_figures z = pareto_figures(sketch_of({0.0, -1.0}, 0.1));
    CHECK_FALSE(z.defined);
    CHECK(z.reason == "no entity has a value > 0 (2 entities, all <= 0)");
    CHECK(z.nonpositive_total == -1.0);
}

TEST_CASE("pareto_sketch: the exact figures lie within the bounds on many distributions") {
    for (const char* kind : {"uniform", "lognormal", "equal", "dominant", "ties", "magnitudes"})
        for (const std::size_t n : {1, 2, 3, 7, 50, 5000})
            for (const double eps : {1.0, 0.1, 0.01})
                for (const auto rule : {boundary_rule::before, boundary_rule::including}) {
                    CAPTURE(kind);
                    CAPTURE(n);
                    CAPTURE(eps);
                    const auto v = draw(kind, n, 1000 + n);
                    if (std::none_of(v.begin(), v.end(), [](double x) { return x > 0.0; }))
                        continue;
                    check_bounds(v, eps, rule);
                }
    // All equal: every bin has m = M, so every figure is exact: Gini 0, 80% at ceil(0.8 n).
    const sketch_figures f = pareto_figures(sketch_of(draw("equal", 10, 1), 0.1));
    check_exact(f.gini, 0.0);
    check_exact(f.entities_for_80pct, 0.8);
    check_exact(f.top20_share, 0.2);
}

TEST_CASE("pareto_sketch: the bounds narrow as eps shrinks") {
    const auto v = draw("lognormal", 20000, 5);
    const pareto_result exact = pareto(v);
    double last_gini = 2.0;
    double last_top = 2.0;
    double last_k = 2.0;
    for (const double eps : {0.5, 0.1, 0.01, 0.001}) {
        CAPTURE(eps);
        const sketch_figures f = pareto_figures(sketch_of(v, eps));
        const double wg = f.gini.upper - f.gini.lower;
        const double wt = f.top20_share.upper - f.top20_share.lower;
        const double wk = f.entities_for_80pct.upper - f.entities_for_80pct.lower;
        CHECK(wg < last_gini);
        CHECK(wt <= last_top);
        CHECK(wk <= last_k);
        // Width of the Gini bound at most eps (a loose corollary of hi - lo <= t M eps).
        CHECK(wg <= eps);
        CHECK(std::fabs(f.gini.estimate - exact.gini.gini) <= wg / 2 + 1e-12);
        last_gini = wg;
        last_top = wt;
        last_k = wk;
    }
    CHECK(last_gini < 1e-3);
}

TEST_CASE("pareto_sketch: bad input") {
    CHECK_THROWS_WITH_AS(pareto_sketch(0.0), "eps: the relative bin width must be in (0, 1], got 0",
                         invalid_argument);
    CHECK_THROWS_AS(pareto_sketch(-0.1), invalid_argument);
    CHECK_THROWS_AS(pareto_sketch(1.5), invalid_argument);
    CHECK_THROWS_AS(pareto_sketch(std::nan("")), invalid_argument);
    pareto_sketch s(0.01);
    CHECK_THROWS_WITH_AS(s.add(std::vector<double>{1.0, 2.0, std::nan("")}),
                         "values: entity 2: value is nan", data_error);
    CHECK_THROWS_AS(s.add(std::vector<double>{HUGE_VAL}), data_error);
    CHECK(s.count() == 0); // nothing added
    pareto_sketch coarse(0.5);
    CHECK_THROWS_AS(s += coarse, invalid_argument);
    pareto_options inc;
    inc.nonpositive = nonpositive_policy::include;
    CHECK_THROWS_AS(pareto_figures(s, inc), invalid_argument);
    pareto_options bad;
    bad.a_threshold = 1.2;
    CHECK_THROWS_AS(pareto_figures(s, bad), invalid_argument);
    CHECK_THROWS_AS(top_share(s, 1.5), invalid_argument);
    CHECK_THROWS_AS(entities_for_share(s, -0.1), invalid_argument);

    const std::uint64_t i = s.bin_index(1.0);
    auto from = [&](sketch_bin b) { return pareto_sketch::from_bins(0.01, {b}, 0, 0.0); };
    CHECK_NOTHROW(from({i, 2, 2.005, 1.0, 1.005}));
    CHECK_THROWS_WITH_AS(from({i, 0, 0.0, 1.0, 1.0}),
                         "bins: bin 130944 (count 0, sum 0, min 1, max 1): count is 0", data_error);
    CHECK_THROWS_AS(from({i, 1, 1.0, 1.0, 0.99}), data_error);  // min > max, outside
    CHECK_THROWS_AS(from({i, 1, 2.0, 2.0, 2.0}), data_error);   // outside the bin
    CHECK_THROWS_AS(from({i, 2, 5.0, 1.0, 1.005}), data_error); // sum > count * max
    CHECK_THROWS_AS(from({i, 1, 1.0, std::nan(""), 1.0}), data_error);
    CHECK_THROWS_AS(pareto_sketch::from_bins(0.01, {{i, 1, 1, 1, 1}, {i, 1, 1, 1, 1}}, 0, 0.0),
                    data_error); // index repeated
    CHECK_THROWS_AS(pareto_sketch::from_bins(0.01, {}, 1, 2.0), data_error);
    CHECK_THROWS_AS(pareto_sketch::from_bins(0.01, {}, 0, -2.0), data_error);
}

TEST_CASE("from_bins on columns, as Spark hands the merged bins back") {
    const pareto_sketch s(0.01);
    const auto i = static_cast<std::int64_t>(s.bin_index(1.0));
    const auto j = static_cast<std::int64_t>(s.bin_index(2.0));
    // Two bins: two values near 1 (sum 2.005), one value 2; one entity <= 0 with total -1.
    const std::vector<std::int64_t> index{j, i}, count{1, 2};
    const std::vector<double> sum{2.0, 2.005}, min{2.0, 1.0}, max{2.0, 1.005};
    const pareto_sketch c = pareto_sketch::from_bins(0.01, index, count, sum, min, max, 1, -1.0);
    REQUIRE(c.bins().size() == 2);
    CHECK(c.bins()[0].index == static_cast<std::uint64_t>(i)); // sorted by index
    CHECK(c.bins()[0].count == 2);
    CHECK(c.bins()[1].sum == 2.0);
    CHECK(c.count() == 3);
    CHECK(c.nonpositive_count() == 1);
    CHECK(c.nonpositive_total() == -1.0);
    const std::vector<double> one{1.0};
    CHECK_THROWS_WITH_AS(
        pareto_sketch::from_bins(0.01, index, count, sum, one, max, 0, 0.0),
        "from_bins: index, count, sum, min and max must have the same length, got 2, 2, 2, 1, 2",
        invalid_argument);
    const std::vector<std::int64_t> negative{1, -2};
    const std::string message =
        "bins: row 1: index " + std::to_string(i) + " or count -2 is negative";
    CHECK_THROWS_WITH_AS(pareto_sketch::from_bins(0.01, index, negative, sum, min, max, 0, 0.0),
                         message.c_str(), data_error);
    CHECK_THROWS_WITH_AS(pareto_sketch::from_bins(0.01, index, count, sum, min, max, -1, 0.0),
                         "nonpositive_count: must be >= 0, got -1", data_error);
}
