// Google Benchmark cases for the BG/NBD model: one evaluation of the log-likelihood and its
// gradient over the compressed rows, `compress_summary`, and the whole fit, on the CDNOW sample
// (when the shared data is there) and on 1e5 and 1e6 customers of the project's generator
// (BG/NBD ground truth, days), the fit on 1 and 2 threads.
//
//   cmake --preset bench && cmake --build --preset bench --target bench_retention
//   ./build/bench/benchmarks/bench_retention --benchmark_repetitions=5
//   --benchmark_report_aggregates_only
#include <custometrics/generate.hpp>
#include <custometrics/retention/bg_nbd.hpp>
#include <custometrics/retention/pareto_nbd.hpp>
#include <custometrics/summary.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

struct customers {
    std::vector<double> x, tx, T;
};

// Generated customers, summarised in days to the end of the period (cached per size).
const customers& generated(std::size_t n) {
    static std::map<std::size_t, customers> cache;
    auto it = cache.find(n);
    if (it == cache.end()) {
        generate_options g;
        g.customers = n;
        g.seed = 7;
        const generated_log log = generate_transactions(g);
        summary_options so;
        so.observation_end = g.end;
        const customer_summary s = summarize(log.log.view(), so);
        it = cache.emplace(n, customers{s.frequency, s.recency, s.T}).first;
    }
    return it->second;
}

// The CDNOW calibration summary (2,357 customers, weeks); empty when absent.
const customers& cdnow() {
    static customers c = [] {
        customers out;
        std::ifstream in(std::string(CUSTOMETRICS_SHARED_DATA_DIR) +
                         "/cdnow/cdnow_customers_summary_with_transactions.csv");
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            std::stringstream ss(line);
            std::string f[5];
            for (auto& v : f)
                std::getline(ss, v, ',');
            out.x.push_back(std::stod(f[1]));
            out.tx.push_back(std::stod(f[2]));
            out.T.push_back(std::stod(f[3]));
        }
        return out;
    }();
    return c;
}

const bg_nbd_params truth_days{0.243, 30.9, 0.793, 2.426};

void BM_bg_nbd_loglik_gradient(benchmark::State& state) {
    const customers& c = generated(static_cast<std::size_t>(state.range(0)));
    const compressed_summary rows = compress_summary(c.x, c.tx, c.T);
    for (auto _ : state) {
        double ll = 0;
        double g[4] = {0, 0, 0, 0};
        detail::bg_nbd_add_loglik(truth_days, rows.frequency, rows.recency, rows.T, rows.weight, 0,
                                  rows.size(), ll, g);
        benchmark::DoNotOptimize(ll);
        benchmark::DoNotOptimize(g);
    }
    state.counters["rows"] = static_cast<double>(rows.size());
}
BENCHMARK(BM_bg_nbd_loglik_gradient)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_compress_summary(benchmark::State& state) {
    const customers& c = generated(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state)
        benchmark::DoNotOptimize(compress_summary(c.x, c.tx, c.T));
}
BENCHMARK(BM_compress_summary)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// compress_summary + fit_bg_nbd, as a caller runs them.
void BM_bg_nbd_fit(benchmark::State& state) {
    const customers& c = generated(static_cast<std::size_t>(state.range(0)));
    fit_options o;
    o.threads = static_cast<int>(state.range(1));
    int iterations = 0;
    int evaluations = 0;
    for (auto _ : state) {
        const fit_result f = fit_bg_nbd(compress_summary(c.x, c.tx, c.T), o);
        iterations = f.report.iterations;
        evaluations = f.report.function_evaluations;
        benchmark::DoNotOptimize(f.params);
    }
    state.counters["lbfgs_iterations"] = iterations;
    state.counters["evaluations"] = evaluations;
}
BENCHMARK(BM_bg_nbd_fit)
    ->Args({100'000, 1})
    ->Args({100'000, 2})
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_bg_nbd_fit_cdnow(benchmark::State& state) {
    const customers& c = cdnow();
    if (c.x.empty()) {
        state.SkipWithError("CDNOW summary not found");
        return;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(fit_bg_nbd(compress_summary(c.x, c.tx, c.T)).params);
}
BENCHMARK(BM_bg_nbd_fit_cdnow)->Unit(benchmark::kMillisecond);

// Pareto/NBD: one evaluation of the log-likelihood and its gradient over the compressed rows
// (the hypergeometric series dominates), at the Pareto/NBD fit of the 1e5 generated customers
// (r 0.519, alpha 11.44 weeks, s 0.827, beta 31.19 weeks, here in days); the whole fit on 1 and
// 2 threads; the CDNOW fit.
const pareto_nbd_params pareto_days{0.51889, 11.4378 * 7, 0.827355, 31.1893 * 7};

void BM_pareto_nbd_loglik_gradient(benchmark::State& state) {
    const customers& c = generated(static_cast<std::size_t>(state.range(0)));
    const compressed_summary rows = compress_summary(c.x, c.tx, c.T);
    for (auto _ : state) {
        double ll = 0;
        std::array<double, 4> g{};
        detail::pareto_nbd_add_loglik(pareto_days, rows.frequency, rows.recency, rows.T,
                                      rows.weight, 0, rows.size(), ll, g);
        benchmark::DoNotOptimize(ll);
        benchmark::DoNotOptimize(g);
    }
    state.counters["rows"] = static_cast<double>(rows.size());
}
BENCHMARK(BM_pareto_nbd_loglik_gradient)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

void BM_pareto_nbd_fit(benchmark::State& state) {
    const customers& c = generated(static_cast<std::size_t>(state.range(0)));
    fit_options o;
    o.threads = static_cast<int>(state.range(1));
    int evaluations = 0;
    for (auto _ : state) {
        const fit_result f = fit_pareto_nbd(compress_summary(c.x, c.tx, c.T), o);
        evaluations = f.report.function_evaluations;
        benchmark::DoNotOptimize(f.params);
    }
    state.counters["evaluations"] = evaluations;
}
BENCHMARK(BM_pareto_nbd_fit)
    ->Args({100'000, 1})
    ->Args({100'000, 2})
    ->ArgNames({"n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_pareto_nbd_fit_cdnow(benchmark::State& state) {
    const customers& c = cdnow();
    if (c.x.empty()) {
        state.SkipWithError("CDNOW summary not found");
        return;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(fit_pareto_nbd(compress_summary(c.x, c.tx, c.T)).params);
}
BENCHMARK(BM_pareto_nbd_fit_cdnow)->Unit(benchmark::kMillisecond);

} // namespace
