// Tests of aggregate.hpp: hand-worked groups, agreement with a naive loop, threads, errors.
#include <custometrics/aggregate.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string_view>
#include <vector>

using namespace custometrics;

namespace {
// A result column as a plain vector, to compare with a braced list.
template <class T> std::vector<T> vec(const column<T>& c) {
    return {c.begin(), c.end()};
}
// GCC's and clang's 128-bit integer: exact sums of scaled doubles.
__extension__ typedef __int128 int128;
} // namespace

TEST_CASE("aggregate_by: hand-worked groups, including an empty one") {
    // group 0: 1, 3 (times 5, 2) -> count 2, sum 4, mean 2, var 2, first 2, last 5
    // group 1: 5 (time 9)        -> count 1, sum 5, var NaN
    // group 2: no rows
    const std::vector<entity_id> g{0, 1, 0};
    const std::vector<double> v{1, 5, 3};
    const std::vector<std::int64_t> t{5, 9, 2};
    const group_stats s = aggregate_by(g, 3, v, t);
    CHECK(vec(s.count) == std::vector<std::int64_t>{2, 1, 0});
    CHECK(vec(s.sum) == std::vector<double>{4, 5, 0});
    CHECK(s.mean[0] == 2.0);
    CHECK(s.variance[0] == 2.0);
    CHECK(std::isnan(s.variance[1]));
    CHECK(std::isnan(s.mean[2]));
    CHECK(s.min[0] == 1.0);
    CHECK(s.max[0] == 3.0);
    CHECK(vec(s.first) == std::vector<std::int64_t>{2, 9, no_time});
    CHECK(vec(s.last) == std::vector<std::int64_t>{5, 9, no_time});

    const group_stats lean = aggregate_by(g, 3, v, t, {.threads = 1, .with_moments = false});
    CHECK(lean.count == s.count);
    CHECK(lean.sum == s.sum);
    CHECK(lean.mean.empty());
    CHECK(lean.first == s.first);
}

TEST_CASE("aggregate_by agrees with a naive loop on one and two threads") {
    std::mt19937_64 rng(3);
    const std::size_t n = 600'000; // large enough that two threads really split the rows
    const std::size_t groups = 5000;
    std::vector<entity_id> g(n);
    std::vector<double> v(n);
    std::vector<std::int64_t> t(n);
    for (std::size_t i = 0; i < n; ++i) {
        g[i] = static_cast<entity_id>(rng() % groups);
        v[i] = static_cast<double>(rng() % 100000) / 100.0 - 200.0;
        t[i] = static_cast<std::int64_t>(rng() % 1000000);
    }
    std::vector<std::int64_t> cnt(groups, 0);
    std::vector<double> sum(groups, 0.0), mn(groups, INFINITY), mx(groups, -INFINITY);
    std::vector<std::int64_t> first(groups, INT64_MAX), last(groups, INT64_MIN);
    for (std::size_t i = 0; i < n; ++i) {
        ++cnt[g[i]];
        sum[g[i]] += v[i];
        mn[g[i]] = std::min(mn[g[i]], v[i]);
        mx[g[i]] = std::max(mx[g[i]], v[i]);
        first[g[i]] = std::min(first[g[i]], t[i]);
        last[g[i]] = std::max(last[g[i]], t[i]);
    }
    for (const unsigned threads : {1U, 2U}) {
        for (const bool mom : {true, false}) {
            const group_stats s =
                aggregate_by(g, groups, v, t, {.threads = threads, .with_moments = mom});
            CHECK(vec(s.count) == cnt);
            CHECK(vec(s.first) == first);
            CHECK(vec(s.last) == last);
            for (std::size_t k = 0; k < groups; ++k)
                CHECK(s.sum[k] == doctest::Approx(sum[k]).epsilon(1e-12));
            if (mom) {
                CHECK(vec(s.min) == mn);
                CHECK(vec(s.max) == mx);
            }
        }
    }
}

TEST_CASE("aggregate_by_key lists keys ascending") {
    const std::vector<std::int64_t> keys{30, 10, 30, 20};
    const std::vector<double> v{1, 2, 3, 4};
    const keyed_group_stats s = aggregate_by_key(keys, v);
    CHECK(vec(s.keys) == std::vector<std::int64_t>{10, 20, 30});
    CHECK(vec(s.stats.sum) == std::vector<double>{2, 4, 4});
    CHECK(s.stats.first.empty());
}

TEST_CASE("aggregate_by_key over the ids of a key index: one group per key, ids as keys") {
    // Index {"b" -> 0, "a" -> 1}, sorted to a 0, b 1. Rows b 2, a 3, b 4: a has 3, b has 6.
    key_index index;
    const entity_id b = index.insert(std::string_view("b"));
    const entity_id a = index.insert(std::string_view("a"));
    const std::vector<entity_id> remap = index.sort();
    const std::vector<entity_id> ids{remap[b], remap[a], remap[b]};
    const keyed_group_stats s =
        aggregate_by_key(ids, index, std::vector<double>{2, 3, 4}, {}, {.with_moments = false});
    CHECK(s.keys == column<std::int64_t>{0, 1});
    CHECK(s.stats.count == column<std::int64_t>{1, 2});
    CHECK(s.stats.sum == column<double>{3, 6});
    CHECK(index.string_key(static_cast<entity_id>(s.keys[1])) == "b");
}

TEST_CASE("aggregate_by: bad input names the argument and row") {
    const std::vector<entity_id> g{0, 1};
    CHECK_THROWS_WITH_AS(aggregate_by(g, 2, std::vector<double>{1.0}),
                         doctest::Contains("values: has 1 rows"), invalid_argument);
    CHECK_THROWS_WITH_AS(aggregate_by(g, 1, std::vector<double>{1.0, 2.0}),
                         doctest::Contains("group: row 1: id 1 is not below n_groups 1"),
                         data_error);
    CHECK_THROWS_WITH_AS(aggregate_by(g, 2, std::vector<double>{1.0, NAN}),
                         doctest::Contains("values: row 1: value is nan"), data_error);
    CHECK_THROWS_WITH_AS(
        aggregate_by(g, 2, std::vector<double>{1.0, 2.0}, std::vector<std::int64_t>{1}),
        doctest::Contains("times: has 1 rows"), invalid_argument);
    const group_stats empty = aggregate_by({}, 0, {});
    CHECK(empty.size() == 0);
}

TEST_CASE("aggregate_by_key: dense and hash paths give the same groups") {
    // Keys 5, -3, 5, 1e15: the spread forces the hash path; shifting them into a compact
    // range must give the same statistics in the same (ascending) order.
    const std::vector<double> v{1.5, 2.0, 4.5, 8.0};
    const std::vector<std::int64_t> t{40, 10, 20, 30};
    const std::vector<std::int64_t> sparse{5, -3, 5, 1'000'000'000'000'000};
    const std::vector<std::int64_t> dense{5, -3, 5, 9};
    for (const bool mom : {true, false}) {
        const keyed_group_stats a =
            aggregate_by_key(sparse, v, t, {.threads = 1, .with_moments = mom});
        const keyed_group_stats b =
            aggregate_by_key(dense, v, t, {.threads = 1, .with_moments = mom});
        CHECK(vec(a.keys) == std::vector<std::int64_t>{-3, 5, 1'000'000'000'000'000});
        CHECK(vec(b.keys) == std::vector<std::int64_t>{-3, 5, 9});
        CHECK(vec(a.stats.count) == std::vector<std::int64_t>{1, 2, 1});
        CHECK(vec(a.stats.sum) == std::vector<double>{2.0, 6.0, 8.0});
        CHECK(vec(a.stats.first) == std::vector<std::int64_t>{10, 20, 30});
        CHECK(vec(a.stats.last) == std::vector<std::int64_t>{10, 40, 30});
        CHECK(b.stats.count == a.stats.count);
        CHECK(b.stats.sum == a.stats.sum);
        CHECK(b.stats.first == a.stats.first);
        if (mom)
            CHECK(b.stats.variance[1] == doctest::Approx(4.5)); // (1.5-3)^2 + (4.5-3)^2 = 4.5, /1
    }
    CHECK_THROWS_WITH_AS(aggregate_by_key(dense, std::vector<double>{1, 2, INFINITY, 4}),
                         doctest::Contains("values: row 2: value is inf"), data_error);
    CHECK_THROWS_WITH_AS(aggregate_by_key(sparse, std::vector<double>{1, NAN, 3, 4}),
                         doctest::Contains("values: row 1: value is nan"), data_error);
    CHECK(aggregate_by_key({}, {}).keys.empty());
}

TEST_CASE(
    "sum_by_key: the sums of aggregate_by_key, untouched slots left out, -0.0 and zero sums kept") {
    // Keys 4, 2, 4, 7, 9 (range 2..9: 3, 5, 6, 8 untouched). Key 7 sums 1.5 + -1.5 = +0.0 and
    // key 9 holds one -0.0: both are groups with a zero sum, not absent keys.
    const std::vector<std::int64_t> keys{4, 2, 4, 7, 9, 7};
    const std::vector<double> v{1.0, 2.5, 3.0, 1.5, -0.0, -1.5};
    const keyed_sums s = sum_by_key(keys, v, 1);
    CHECK(vec(s.keys) == std::vector<std::int64_t>{2, 4, 7, 9});
    CHECK(vec(s.sum) == std::vector<double>{2.5, 4.0, 0.0, 0.0});
    // Same sums as the general path, on one and two threads and on the hash path.
    std::mt19937_64 rng(5);
    std::vector<std::int64_t> k(700'000);
    std::vector<double> x(k.size());
    for (std::size_t i = 0; i < k.size(); ++i) {
        k[i] = static_cast<std::int64_t>(rng() % 50'000) - 20'000;
        x[i] = static_cast<double>(rng() % 10'000) / 4.0 - 1000.0;
    }
    const keyed_group_stats ref = aggregate_by_key(k, x, {}, {.threads = 1, .with_moments = false});
    for (const unsigned t : {1U, 2U}) {
        const keyed_sums got = sum_by_key(k, x, t);
        CHECK(got.keys == ref.keys);
        CHECK(got.sum == ref.stats.sum); // quarter units: every sum is exact
    }
    k[10] = std::int64_t{1} << 50; // hash path
    const keyed_sums sparse = sum_by_key(k, x, 2);
    CHECK(sparse.keys.back() == (std::int64_t{1} << 50));
    CHECK_THROWS_WITH_AS(sum_by_key(keys, std::vector<double>{1, 2, NAN, 4, 5, 6}),
                         doctest::Contains("values: row 2: value is nan"), data_error);
    CHECK(sum_by_key({}, {}).keys.empty());
}

TEST_CASE("sums without moments are exact under cancellation and the same for any row order") {
    // Hand-worked: per group 1e17 + 1 - 1e17 in three orders. A plain sum gives 0 for the first
    // two (1e17 + 1 rounds to 1e17, the spacing of doubles there being 16); Neumaier keeps 1.
    const std::vector<entity_id> g{0, 0, 0, 1, 1, 1, 2, 2, 2};
    const std::vector<double> v{1e17, 1, -1e17, 1, 1e17, -1e17, 1e17, -1e17, 1};
    const std::vector<std::int64_t> t{1, 2, 3, 4, 5, 6, 7, 8, 9};
    const std::vector<double> ones{1, 1, 1};
    CHECK(vec(aggregate_by(g, 3, v, {}, {.with_moments = false}).sum) == ones);
    CHECK(vec(aggregate_by(g, 3, v, t, {.with_moments = false}).sum) == ones);
    const std::vector<std::int64_t> dense{7, 7, 7, 8, 8, 8, 9, 9, 9};
    CHECK(vec(sum_by_key(dense, v).sum) == ones);
    const std::vector<std::int64_t> sparse{0, 0, 0, 1LL << 50, 1LL << 50, 1LL << 50, -3, -3, -3};
    const keyed_sums s = sum_by_key(sparse, v);
    CHECK(vec(s.keys) == std::vector<std::int64_t>{-3, 0, 1LL << 50});
    CHECK(vec(s.sum) == ones);

    // Row-order permutations and thread counts: 600,000 rows (enough for two threads' chunks)
    // in pairs over 1000 groups, each value a multiple of 2^-7: a large term (below 2^53 / 2^7,
    // exact in a double) and either its negative or a small term (|small| <= 10,000 / 2^7).
    // The reference is the exact integer sum of value * 2^7 in __int128, converted once to
    // double (correctly rounded): independent of the code under test. A plain running sum
    // misses it; the compensation is exact here (every rounding error is a multiple of 2^-7
    // below 2^13), so the compensated total is the correctly rounded one in any order.
    std::mt19937_64 rng(16);
    const std::size_t n = 600'000;
    const std::size_t groups = 1000;
    std::vector<std::int64_t> key(n);
    std::vector<double> x(n);
    std::vector<int128> exact(groups, 0);
    for (std::size_t i = 0; i < n; i += 2) {
        const auto grp = static_cast<std::int64_t>(rng() % groups);
        const auto big = static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 53));
        const auto small = static_cast<std::int64_t>(rng() % 20'001) - 10'000;
        key[i] = key[i + 1] = grp;
        x[i] = std::ldexp(static_cast<double>(big), -7);
        // Every other pair leaves its large term, so totals are large too.
        const bool cancel = (i / 2) % 2 == 0;
        x[i + 1] = cancel ? -x[i] + 0.0 : std::ldexp(static_cast<double>(small), -7);
        if (!cancel) exact[static_cast<std::size_t>(grp)] += big + small;
    }
    std::vector<double> want(groups);
    for (std::size_t k = 0; k < groups; ++k)
        want[k] = static_cast<double>(exact[k]) / 128.0;
    std::vector<double> plain(groups, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        plain[static_cast<std::size_t>(key[i])] += x[i];
    CHECK(plain != want); // the test can fail: a plain sum loses the small terms
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i)
        order[i] = i;
    for (int round = 0; round < 3; ++round) {
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<std::int64_t> k2(n);
        std::vector<entity_id> g2(n);
        std::vector<double> x2(n);
        for (std::size_t i = 0; i < n; ++i) {
            k2[i] = key[order[i]];
            g2[i] = static_cast<entity_id>(k2[i]);
            x2[i] = x[order[i]];
        }
        for (const unsigned threads : {1U, 2U}) {
            CAPTURE(round);
            CAPTURE(threads);
            const aggregate_options lean{.threads = threads, .with_moments = false};
            CHECK(vec(aggregate_by(g2, groups, x2, {}, lean).sum) == want);
            CHECK(vec(sum_by_key(k2, x2, threads).sum) == want);
            // Sparse keys (through aggregate_by_key and a key index).
            std::vector<std::int64_t> far(n);
            for (std::size_t i = 0; i < n; ++i)
                far[i] = k2[i] << 40;
            CHECK(vec(sum_by_key(far, x2, threads).sum) == want);
        }
    }
}
