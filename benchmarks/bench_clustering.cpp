// Google Benchmark cases for k-means: Lloyd's iterations on 1e5 and 1e6 points x 3 features,
// k = 5, one run (n_init = 1) from fixed initial centres (the first 5 rows, so a peer such as
// scikit-learn's KMeans(init=centres, n_init=1) can start from the same ones), on 1 and 2
// threads. The data: five Gaussian blobs (sd 1.5) around fixed centres, seed 2024. Counters:
// `per_point` (wall time per point, all iterations), `iterations` and `inertia`.
//
//   cmake --preset bench && cmake --build --preset bench --target bench_clustering
//   ./build/bench/benchmarks/bench_clustering --benchmark_repetitions=5
//   --benchmark_report_aggregates_only
#include <custometrics/clustering.hpp>

#include <benchmark/benchmark.h>

#include <random>

using namespace custometrics;

namespace {

const Eigen::MatrixXd& points(Eigen::Index n) {
    static Eigen::MatrixXd x;
    if (x.rows() != n) {
        std::mt19937_64 rng(2024);
        std::normal_distribution<double> noise(0.0, 1.5);
        const double centre[5][3] = {{0, 0, 0}, {6, 1, 2}, {1, 7, 3}, {5, 5, 8}, {-4, 3, 5}};
        x.resize(n, 3);
        for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index j = 0; j < 3; ++j)
                x(i, j) = centre[i % 5][j] + noise(rng);
    }
    return x;
}

void BM_kmeans_fixed_init(benchmark::State& state) {
    const Eigen::MatrixXd& x = points(state.range(0));
    const Eigen::MatrixXd init = x.topRows(5);
    kmeans_options o;
    o.n_init = 1;
    o.threads = static_cast<unsigned>(state.range(1));
    kmeans_result r;
    for (auto _ : state) {
        r = kmeans(x, init, o);
        benchmark::DoNotOptimize(r.inertia);
    }
    state.counters["per_point"] = benchmark::Counter(static_cast<double>(state.range(0)),
                                                     benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
    state.counters["iterations"] = r.iterations;
    state.counters["inertia"] = r.inertia;
}

BENCHMARK(BM_kmeans_fixed_init)
    ->ArgsProduct({{100'000, 1'000'000}, {1, 2}})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace
