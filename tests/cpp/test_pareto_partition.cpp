// Tests of pareto_partition.hpp: a hand-worked ranking in two chunks, the same bits as `pareto`
// over random splits of random values (ties, negatives, both policies and rules, chunks
// smaller and larger than a summation block, classified in pieces), and errors.
#include <custometrics/pareto_partition.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

std::uint64_t bits(double x) {
    return std::bit_cast<std::uint64_t>(x);
}

// The cut points of a random split of n values into chunks: some empty, some of a few values,
// some longer than a summation block.
std::vector<std::size_t> random_cuts(std::size_t n, std::mt19937_64& rng) {
    std::vector<std::size_t> cuts{0};
    std::uniform_int_distribution<int> kind(0, 3);
    while (cuts.back() < n) {
        const int k = kind(rng);
        const std::size_t len = k == 0   ? 0
                                : k == 1 ? std::uniform_int_distribution<std::size_t>(1, 5)(rng)
                                : k == 2
                                    ? std::uniform_int_distribution<std::size_t>(1, 9000)(rng)
                                    : std::uniform_int_distribution<std::size_t>(1, 30000)(rng);
        cuts.push_back(std::min(n, cuts.back() + len));
    }
    return cuts;
}

// What a distributed analysis does: sums per chunk, combined; each chunk classified from its
// start (in two pieces); the summaries merged into the figures.
struct chunked {
    chunked_figures figures;
    std::vector<double> cum;
    std::vector<abc_class> abc;
    std::vector<std::int64_t> rank;
};

double total_in_chunks(std::span<const double> v, const std::vector<std::size_t>& cuts) {
    std::vector<pareto_chunk_sums> parts;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k)
        parts.push_back(
            pareto_chunk_sums_of(v.subspan(cuts[k], cuts[k + 1] - cuts[k]), cuts[k], v.size()));
    return combine_chunk_sums(parts, v.size()).total;
}

chunked in_chunks(std::span<const double> ranked, std::span<const double> rest,
                  const std::vector<std::size_t>& cuts, const std::vector<std::size_t>& rest_cuts,
                  const pareto_options& o, std::mt19937_64& rng) {
    const std::size_t n = ranked.size();
    std::vector<pareto_chunk_sums> parts;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k)
        parts.push_back(
            pareto_chunk_sums_of(ranked.subspan(cuts[k], cuts[k + 1] - cuts[k]), cuts[k], n));
    const pareto_chunked_sums sums = combine_chunk_sums(parts, n, o.nonpositive);
    REQUIRE(sums.first.size() == cuts.size() - 1);
    const std::size_t n_positive = static_cast<std::size_t>(
        std::count_if(ranked.begin(), ranked.end(), [](double x) { return x > 0.0; }));
    chunked out;
    pareto_chunk_summary summary;
    for (std::size_t k = 0; n != 0 && k + 1 < cuts.size(); ++k) {
        const std::span<const double> chunk = ranked.subspan(cuts[k], cuts[k + 1] - cuts[k]);
        const std::size_t cut = std::uniform_int_distribution<std::size_t>(0, chunk.size())(rng);
        const pareto_chunk one = classify_chunk(chunk.first(cut), cuts[k], sums.carry[k],
                                                sums.running[k], n, n_positive, sums.total, o);
        const pareto_chunk two = classify_chunk(chunk.subspan(cut), cuts[k] + cut, one.next_carry,
                                                one.next_running, n, n_positive, sums.total, o);
        for (const pareto_chunk* p : {&one, &two}) {
            out.cum.insert(out.cum.end(), p->cum_share.begin(), p->cum_share.end());
            out.abc.insert(out.abc.end(), p->abc.begin(), p->abc.end());
            out.rank.insert(out.rank.end(), p->rank.begin(), p->rank.end());
        }
        pareto_chunk_summary s = one.summary;
        s += two.summary;
        summary += s;
    }
    out.figures =
        chunk_figures(sums, n_positive, summary, rest.size(), total_in_chunks(rest, rest_cuts));
    return out;
}

void check_same(const chunked& got, const pareto_result& want) {
    const chunked_figures& f = got.figures;
    CHECK(f.n == want.size());
    CHECK(bits(f.total) == bits(want.total));
    CHECK(f.n_positive == want.n_positive);
    CHECK(f.defined == want.defined);
    CHECK(f.reason == want.reason);
    CHECK(f.nonpositive_count == want.nonpositive.size());
    CHECK(bits(f.nonpositive_total) == bits(want.nonpositive_total));
    CHECK(bits(f.entities_for_80pct) == bits(want.entities_for_80pct));
    CHECK(bits(f.top20_share) == bits(want.top20_share));
    CHECK(f.class_count == want.class_count);
    for (std::size_t c = 0; c < 3; ++c)
        CHECK(bits(f.class_share[c]) == bits(want.class_share[c]));
    CHECK(f.gini.defined == want.gini.defined);
    CHECK(f.gini.reason == want.gini.reason);
    CHECK(bits(f.gini.gini) == bits(want.gini.gini));
    CHECK(bits(f.gini.gini_small_sample) == bits(want.gini.gini_small_sample));
    CHECK(bits(f.gini.gini_rsv) == bits(want.gini.gini_rsv));
    CHECK(bits(f.gini.absolute_total) == bits(want.gini.absolute_total));
    REQUIRE(got.cum.size() == want.size());
    std::size_t cum_differ = 0;
    std::size_t abc_differ = 0;
    std::size_t rank_differ = 0;
    for (std::size_t r = 0; r < want.size(); ++r) {
        cum_differ += bits(got.cum[r]) != bits(want.cum_share[r]) ? 1 : 0;
        abc_differ += got.abc[r] != want.abc[r] ? 1 : 0;
        rank_differ += got.rank[r] != static_cast<std::int64_t>(r + 1) ? 1 : 0;
    }
    CHECK(cum_differ == 0);
    CHECK(abc_differ == 0);
    CHECK(rank_differ == 0);
}

} // namespace

TEST_CASE("pareto_partition: 50, 30, 15, 5 in two chunks, worked by hand") {
    const std::vector<double> v{50, 30, 15, 5};
    const std::vector<pareto_chunk_sums> parts{pareto_chunk_sums_of({v.data(), 2}, 0, 4),
                                               pareto_chunk_sums_of({v.data() + 2, 2}, 2, 4)};
    // The first chunk begins block 0: no head; the second continues it: its values are its head.
    CHECK(parts[0].head.empty());
    CHECK(parts[0].sum.size() == 1);
    CHECK(parts[0].sum[0] == 80.0);
    CHECK(parts[0].weighted[0] == 3 * 50.0 + 1 * 30.0); // (n - 1 - 2r) v[r], r = 0, 1
    CHECK(parts[0].absolute[0] == 80.0);
    CHECK(parts[1].head.size() == 2);
    CHECK(parts[1].sum.empty());
    const pareto_chunked_sums s = combine_chunk_sums(parts, 4);
    CHECK(s.total == 100.0);
    // S = 3*50 + 1*30 - 1*15 - 3*5 = 150; G = 150 / (4 * 100) = 0.375; n/(n-1) G = 0.5.
    CHECK(s.gini.gini == 0.375);
    CHECK(s.gini.gini_small_sample == 0.5);
    CHECK(s.gini.gini_rsv == 0.375);
    CHECK(s.carry[0] == 0.0);
    CHECK(s.carry[1] == 0.0);
    CHECK(s.running[0] == 0.0);
    CHECK(s.running[1] == 80.0);
    const pareto_options o; // 0.8, 0.95, before
    const pareto_chunk a = classify_chunk({v.data(), 2}, 0, 0.0, 0.0, 4, 4, 100.0, o);
    const pareto_chunk b = classify_chunk({v.data() + 2, 2}, 2, 0.0, 80.0, 4, 4, 100.0, o);
    CHECK(std::vector<double>(a.cum_share.begin(), a.cum_share.end()) ==
          std::vector<double>{0.5, 0.8});
    CHECK(std::vector<double>(b.cum_share.begin(), b.cum_share.end()) ==
          std::vector<double>{0.95, 1.0});
    CHECK(std::vector<std::int64_t>(b.rank.begin(), b.rank.end()) ==
          std::vector<std::int64_t>{3, 4});
    // Before: shares before 0, 0.5 (A, A), 0.8 (not < 0.8: B), 0.95 (not < 0.95: C).
    CHECK(std::vector<abc_class>(a.abc.begin(), a.abc.end()) ==
          std::vector<abc_class>{abc_class::A, abc_class::A});
    CHECK(std::vector<abc_class>(b.abc.begin(), b.abc.end()) ==
          std::vector<abc_class>{abc_class::B, abc_class::C});
    pareto_chunk_summary sum = b.summary;
    sum += a.summary; // in any order
    const chunked_figures f = chunk_figures(s, 4, sum, 1, 0.0);
    CHECK(f.defined);
    CHECK(f.class_count == std::array<std::size_t, 3>{2, 1, 1});
    CHECK(f.class_share[0] == 0.8);
    CHECK(f.class_share[1] == doctest::Approx(0.15));
    CHECK(f.entities_for_80pct == 0.5); // 2 of 4 reach 0.8
    CHECK(f.top20_share == 0.5);        // the top ceil(0.2 * 4) = 1
    CHECK(f.nonpositive_count == 1);

    // Including: A while the share including the entity is <= 0.6: 50 only; B to 0.95.
    const pareto_options inc{.a_threshold = 0.6, .rule = boundary_rule::including};
    const pareto_chunk c = classify_chunk(v, 0, 0.0, 0.0, 4, 4, 100.0, inc);
    CHECK(std::vector<abc_class>(c.abc.begin(), c.abc.end()) ==
          std::vector<abc_class>{abc_class::A, abc_class::B, abc_class::B, abc_class::C});

    // Nothing ranked: the reason of `pareto`.
    const chunked_figures none = chunk_figures(combine_chunk_sums({}, 0), 0, {}, 2, -2.0);
    CHECK_FALSE(none.defined);
    CHECK(none.reason == "no entity has a value > 0 (2 entities, all <= 0)");
    CHECK(none.gini.reason == "no values");
}

TEST_CASE("pareto_partition: chunks at block boundaries carry the sums as pareto does") {
    // 8192 ones then 1: the second chunk begins block 1 (carry 8192, running 0); a chunk from
    // rank 8190 holds 2 values of block 0 as its head.
    std::vector<double> v(8193, 1.0);
    const auto at = [&](std::size_t b, std::size_t e) {
        return pareto_chunk_sums_of(std::span<const double>(v).subspan(b, e - b), b, v.size());
    };
    const pareto_chunked_sums s = combine_chunk_sums(
        std::vector<pareto_chunk_sums>{at(0, 8190), at(8190, 8192), at(8192, 8193)}, 8193);
    CHECK(at(8190, 8193).head.size() == 2);
    CHECK(at(8190, 8193).sum.size() == 1);
    CHECK(s.total == 8193.0);
    CHECK(s.running[1] == 8190.0);
    CHECK(s.carry[1] == 0.0);
    CHECK(s.carry[2] == 8192.0);
    CHECK(s.running[2] == 0.0);
    CHECK(s.gini.gini == 0.0);
}

TEST_CASE("pareto_partition: any split of random values gives the bits of pareto") {
    std::mt19937_64 rng(20261207);
    std::lognormal_distribution<double> ln(2.0, 1.7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 24; ++trial) {
        const std::size_t n = trial < 4 ? static_cast<std::size_t>(trial)
                                        : std::uniform_int_distribution<std::size_t>(5, 60000)(rng);
        std::vector<double> values(n);
        for (double& x : values) {
            const double p = u(rng);
            x = p < 0.1 ? 0.0 : p < 0.2 ? -ln(rng) : p < 0.3 ? 7.25 : ln(rng); // ties, <= 0
        }
        for (const auto policy : {nonpositive_policy::separate, nonpositive_policy::include})
            for (const auto rule : {boundary_rule::before, boundary_rule::including}) {
                const pareto_options o{.a_threshold = trial % 2 ? 0.8 : 0.7,
                                       .b_threshold = 0.95,
                                       .rule = rule,
                                       .nonpositive = policy};
                pareto_result want;
                try {
                    want = pareto(values, o);
                } catch (const data_error&) { // include with a total <= 0
                    continue;
                }
                std::vector<double> rest;
                for (const entity_id id : want.nonpositive)
                    rest.push_back(values[id]);
                CAPTURE(trial);
                CAPTURE(n);
                const chunked got = in_chunks(want.value, rest, random_cuts(want.size(), rng),
                                              random_cuts(rest.size(), rng), o, rng);
                check_same(got, want);
            }
    }
}

TEST_CASE("pareto_partition: errors") {
    const std::vector<double> v{3, 2, 1};
    const std::span<const double> s(v);
    CHECK_THROWS_AS(pareto_chunk_sums_of(s, 1, 3), invalid_argument); // ranks 1..4 of 3
    const auto a = pareto_chunk_sums_of(s.first(1), 0, 3);
    const auto b = pareto_chunk_sums_of(s.subspan(1), 1, 3);
    CHECK_THROWS_WITH_AS(combine_chunk_sums(std::vector<pareto_chunk_sums>{b, a}, 3),
                         "chunks: the chunk at rank 1 does not begin where the chunks before it "
                         "end (rank 0)",
                         invalid_argument);
    CHECK_THROWS_AS(combine_chunk_sums(std::vector<pareto_chunk_sums>{a}, 3), invalid_argument);
    const auto s_ok = combine_chunk_sums(std::vector<pareto_chunk_sums>{a, b}, 3);
    CHECK(s_ok.total == 6.0);
    // A summary that misses a chunk.
    const pareto_chunk one = classify_chunk(s.first(1), 0, 0.0, 0.0, 3, 3, 6.0, {});
    CHECK_THROWS_AS(chunk_figures(s_ok, 3, one.summary, 0, 0.0), invalid_argument);
    CHECK_THROWS_AS(classify_chunk(s, 0, 0.0, 0.0, 3, 3, 0.0, {}), invalid_argument);
    CHECK_THROWS_AS(classify_chunk(s, 0, 0.0, 0.0, 3, 4, 6.0, {}), invalid_argument);
    // Finite values whose total overflows: data_error, as pareto throws.
    const std::vector<double> big{1e308, 1e308};
    const std::vector<pareto_chunk_sums> parts{pareto_chunk_sums_of(big, 0, 2)};
    CHECK_THROWS_AS(combine_chunk_sums(parts, 2), data_error);
    CHECK_THROWS_AS(pareto(big), data_error);
}

TEST_CASE("pareto_partition: a total <= 0 under include is pareto's error, thrown on combining") {
    // 5 + 1 - 8 = -2 ranked under include: shares of the total are undefined. The chunks' sums
    // put together throw the error of `pareto` (message and fields), before any classify_chunk.
    const std::vector<double> v{5, 1, -8};
    const std::span<const double> s(v);
    pareto_options include;
    include.nonpositive = nonpositive_policy::include;
    std::string want_what, want_value;
    try {
        (void)pareto(std::vector<double>{1, -8, 5}, include);
        FAIL("no error");
    } catch (const data_error& e) {
        want_what = e.what();
        want_value = e.value();
        CHECK(e.argument() == "values");
        CHECK_FALSE(e.row());
    }
    CHECK(want_what == "values: total is -2 (<= 0) under nonpositive_policy::include: shares of "
                       "the total are undefined");
    CHECK(want_value == "-2");
    const std::vector<std::vector<pareto_chunk_sums>> cuts{
        {pareto_chunk_sums_of(s, 0, 3)},
        {pareto_chunk_sums_of(s.first(1), 0, 3), pareto_chunk_sums_of(s.subspan(1), 1, 3)}};
    for (const auto& parts : cuts) {
        CAPTURE(parts.size());
        try {
            (void)combine_chunk_sums(parts, 3, nonpositive_policy::include);
            FAIL("no error");
        } catch (const data_error& e) {
            CHECK(std::string(e.what()) == want_what);
            CHECK(e.argument() == "values");
            CHECK(e.value() == want_value);
            CHECK_FALSE(e.row());
            CHECK(e.key().empty());
        }
        // Under separate (the values <= 0 summed apart), combining the same sums does not judge.
        CHECK(combine_chunk_sums(parts, 3).total == -2.0);
    }
    // A zero total is <= 0 too; no values at all rank nothing and throw nothing, as pareto.
    const std::vector<double> zero{1, -1};
    CHECK_THROWS_WITH_AS(combine_chunk_sums(std::vector<pareto_chunk_sums>{pareto_chunk_sums_of(
                                                zero, 0, 2)},
                                            2, nonpositive_policy::include),
                         "values: total is 0 (<= 0) under nonpositive_policy::include: shares of "
                         "the total are undefined",
                         data_error);
    CHECK(combine_chunk_sums({}, 0, nonpositive_policy::include).total == 0.0);
    CHECK_FALSE(pareto(std::vector<double>{}, include).defined);
}
