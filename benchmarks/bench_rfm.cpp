// Google Benchmark cases for RFM: the whole `rfm` (three quantile scorings, cell codes and the
// default map) and one dimension's `score_quantiles` under both tie methods, at 1e5 and 1e6
// customers, on 1 and 2 threads. The data has the shape of real customers: recency uniform in
// 1..365 days and frequency geometric (mean 3), both with many ties, monetary lognormal
// (mu 4, sigma 1.5) and nearly all distinct.
//
//   cmake --preset bench && cmake --build --preset bench --target bench_rfm
//   ./build/bench/benchmarks/bench_rfm --benchmark_repetitions=5
//   --benchmark_report_aggregates_only
#include <custometrics/rfm.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace custometrics;

namespace {

struct customers {
    std::vector<double> recency, frequency, monetary;
};

const customers& data(std::size_t n) {
    static customers c;
    if (c.recency.size() != n) {
        std::mt19937_64 rng(2024);
        std::uniform_int_distribution<int> rec(1, 365);
        std::geometric_distribution<int> freq(1.0 / 3.0);
        std::lognormal_distribution<double> mon(4.0, 1.5);
        c.recency.resize(n);
        c.frequency.resize(n);
        c.monetary.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            c.recency[i] = rec(rng);
            c.frequency[i] = 1 + freq(rng);
            c.monetary[i] = mon(rng);
        }
    }
    return c;
}

// Reported as `per_customer`: seconds of wall time per customer (printed as ns).
void per_customer(benchmark::State& state) {
    state.counters["per_customer"] = benchmark::Counter(
        static_cast<double>(state.range(0)),
        benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void sizes_threads(benchmark::internal::Benchmark* b) {
    for (const std::int64_t n : {100'000, 1'000'000})
        for (const std::int64_t t : {1, 2})
            b->Args({n, t});
    b->ArgNames({"n", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

// The whole analysis with the default map.
void BM_rfm(benchmark::State& state) {
    const customers& c = data(static_cast<std::size_t>(state.range(0)));
    const rfm_options opt{.threads = static_cast<unsigned>(state.range(1))};
    for (auto _ : state) {
        rfm_result r = rfm(c.recency, c.frequency, c.monetary, opt);
        benchmark::DoNotOptimize(r.segment.data());
    }
    per_customer(state);
}
BENCHMARK(BM_rfm)->Apply(sizes_threads);

// The whole analysis with pandas' rank method.
void BM_rfm_first(benchmark::State& state) {
    const customers& c = data(static_cast<std::size_t>(state.range(0)));
    const rfm_options opt{.ties = rfm_ties::first,
                          .threads = static_cast<unsigned>(state.range(1))};
    for (auto _ : state) {
        rfm_result r = rfm(c.recency, c.frequency, c.monetary, opt);
        benchmark::DoNotOptimize(r.segment.data());
    }
    per_customer(state);
}
BENCHMARK(BM_rfm_first)->Apply(sizes_threads);

// One dimension with distinct values (monetary), grouped ties.
void BM_score_monetary(benchmark::State& state) {
    const customers& c = data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        quantile_scores s = score_quantiles(c.monetary, 5, rfm_ties::grouped, false, "monetary",
                                            static_cast<unsigned>(state.range(1)));
        benchmark::DoNotOptimize(s.score.data());
    }
    per_customer(state);
}
BENCHMARK(BM_score_monetary)->Apply(sizes_threads);

// One dimension with few distinct values (frequency), grouped ties.
void BM_score_frequency(benchmark::State& state) {
    const customers& c = data(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) {
        quantile_scores s = score_quantiles(c.frequency, 5, rfm_ties::grouped, false, "frequency",
                                            static_cast<unsigned>(state.range(1)));
        benchmark::DoNotOptimize(s.score.data());
    }
    per_customer(state);
}
BENCHMARK(BM_score_frequency)->Apply(sizes_threads);

} // namespace
