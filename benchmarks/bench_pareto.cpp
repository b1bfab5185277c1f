// Google Benchmark cases for the Pareto analysis: full pareto (ranking + curve + classes + Gini),
// the radix ranking against std::sort, the cumulative pass, Gini alone and the partial-selection
// queries, at 1e5, 1e6 and 1e7 entities with lognormal values (mu 4, sigma 1.5: a customer
// revenue shape), on 1 and 2 threads; and `pareto_by_key` straight from rows (10 rows per key,
// as in benchmarks/compare_pareto.py) against summing with `sum_by_key` and then ranking.
//
//   cmake --preset bench && cmake --build --preset bench --target bench_pareto
//   ./build/bench/benchmarks/bench_pareto --benchmark_repetitions=5
//   --benchmark_report_aggregates_only
#include <custometrics/aggregate.hpp>
#include <custometrics/pareto.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

using namespace custometrics;

namespace {

const std::vector<double>& lognormal(std::size_t n) {
    static std::vector<double> v;
    if (v.size() != n) {
        std::mt19937_64 rng(2024);
        std::lognormal_distribution<double> dist(4.0, 1.5);
        v.resize(n);
        for (auto& x : v)
            x = dist(rng);
    }
    return v;
}

// Reported as `per_entity`: seconds of wall time per entity (printed as ns).
void per_entity(benchmark::State& state) {
    state.counters["per_entity"] = benchmark::Counter(
        static_cast<double>(state.range(0)),
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void sizes_threads(benchmark::internal::Benchmark* b) {
    for (const std::int64_t n : {100'000, 1'000'000, 10'000'000})
        for (const std::int64_t t : {1, 2})
            b->Args({n, t});
    b->ArgNames({"n", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

void sizes(benchmark::internal::Benchmark* b) {
    for (const std::int64_t n : {100'000, 1'000'000, 10'000'000})
        b->Arg(n);
    b->ArgNames({"n"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

unsigned threads_arg(const benchmark::State& state) {
    return static_cast<unsigned>(state.range(1));
}

// The whole analysis: ranking, shares and cumulative shares, classes, headline figures, Gini.
void BM_pareto(benchmark::State& state) {
    const auto& v = lognormal(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(pareto(v, {.threads = threads_arg(state)}));
    per_entity(state);
}
BENCHMARK(BM_pareto)->Apply(sizes_threads);

// The ranking alone: radix, with ids (what pareto uses) and values only (what gini uses).
void BM_rank_radix(benchmark::State& state) {
    const auto& v = lognormal(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(detail::rank_descending<true>(
            v, [](double) { return true; }, threads_arg(state)));
    per_entity(state);
}
BENCHMARK(BM_rank_radix)->Apply(sizes_threads);

void BM_rank_radix_values_only(benchmark::State& state) {
    const auto& v = lognormal(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(detail::rank_descending<false>(
            v, [](double) { return true; }, threads_arg(state)));
    per_entity(state);
}
BENCHMARK(BM_rank_radix_values_only)->Apply(sizes_threads);

// The same ranking by std::sort of (key, id) pairs: the comparison-sort baseline.
void BM_rank_std_sort(benchmark::State& state) {
    const auto& v = lognormal(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        std::vector<std::pair<std::uint64_t, std::uint32_t>> kv(v.size());
        for (std::size_t i = 0; i < v.size(); ++i)
            kv[i] = {detail::descending_key(v[i]), static_cast<std::uint32_t>(i)};
        std::sort(kv.begin(), kv.end());
        benchmark::DoNotOptimize(kv.data());
    }
    per_entity(state);
}
BENCHMARK(BM_rank_std_sort)->Apply(sizes);

// The cumulative pass over ranked values: block sums, carries, shares and cumulative shares.
void BM_cumulative(benchmark::State& state) {
    const auto& v = lognormal(static_cast<std::size_t>(state.range(0)));
    const auto ranked = detail::rank_descending<false>(
        v, [](double) { return true; }, 1);
    std::vector<double> cum(v.size());
    std::vector<double> share(v.size());
    for (auto _ : state) {
        const detail::ranked_sums s =
            detail::block_sums(ranked.values, cum.data(), threads_arg(state));
        detail::finish_shares(ranked.values, cum.data(), share.data(), s, threads_arg(state));
        benchmark::DoNotOptimize(cum.data());
    }
    per_entity(state);
}
BENCHMARK(BM_cumulative)->Apply(sizes_threads);

void BM_gini(benchmark::State& state) {
    const auto& v = lognormal(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(gini(v, threads_arg(state)));
    per_entity(state);
}
BENCHMARK(BM_gini)->Apply(sizes_threads);

// One headline query without a full ranking (partial selection).
void BM_top_share_partial(benchmark::State& state) {
    const auto& v = lognormal(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(top_share(v, 0.2));
    per_entity(state);
}
BENCHMARK(BM_top_share_partial)->Apply(sizes);

void BM_entities_for_share_partial(benchmark::State& state) {
    const auto& v = lognormal(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(entities_for_share(v, 0.8));
    per_entity(state);
}
BENCHMARK(BM_entities_for_share_partial)->Apply(sizes);

// Rows of a log: `rows` keys drawn uniformly from `rows / 10` customers, lognormal amounts
// with 3% returns (negated), as benchmarks/compare_pareto.py generates them.
const std::pair<std::vector<std::int64_t>, std::vector<double>>& log_rows(std::size_t rows) {
    static std::pair<std::vector<std::int64_t>, std::vector<double>> log;
    if (log.first.size() != rows) {
        std::mt19937_64 rng(7);
        std::lognormal_distribution<double> dist(3.0, 1.0);
        const std::uint64_t customers = std::max<std::uint64_t>(1, rows / 10);
        log.first.resize(rows);
        log.second.resize(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            log.first[i] = static_cast<std::int64_t>(rng() % customers);
            log.second[i] = rng() % 100 < 3 ? -dist(rng) : dist(rng);
        }
    }
    return log;
}

void rows_threads(benchmark::internal::Benchmark* b) {
    for (const std::int64_t n : {1'000'000, 10'000'000})
        for (const std::int64_t t : {1, 2})
            b->Args({n, t});
    b->ArgNames({"rows", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

// Totals per key and the whole analysis from the rows, keys of the ranked entities included.
void BM_pareto_by_key(benchmark::State& state) {
    const auto& [k, v] = log_rows(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(pareto_by_key(k, v, {.threads = threads_arg(state)}));
}
BENCHMARK(BM_pareto_by_key)->Apply(rows_threads);

// The same in two steps: squeezed totals (`sum_by_key`), `pareto`, then the keys by rank.
void BM_sum_by_key_then_pareto(benchmark::State& state) {
    const auto& [k, v] = log_rows(static_cast<std::size_t>(state.range(0)));
    const unsigned t = threads_arg(state);
    for (auto _ : state) {
        const keyed_sums s = sum_by_key(k, v, t);
        const pareto_result r = pareto(s.sum, {.threads = t});
        column<std::int64_t> keys(r.size());
        for (std::size_t i = 0; i < r.size(); ++i)
            keys[i] = s.keys[r.entity[i]];
        benchmark::DoNotOptimize(keys.data());
    }
}
BENCHMARK(BM_sum_by_key_then_pareto)->Apply(rows_threads);

} // namespace
