// Google Benchmark cases for key mapping, aggregation and per-customer summaries,
// 1e5 to 1e7 rows with one customer per ten rows (the shape of the side-by-side run), and the
// CSV reader against the memory-bandwidth floor of the bytes it reads (issue 18's goal: within
// 2x): `BM_csv_bytes_floor` reads the same file from the page cache into a buffer and makes one
// pass over its words, the least any reader of those bytes must do; `BM_csv_read` is
// `read_transactions_csv` of the file (both threads unless CUSTOMETRICS_NUM_THREADS says
// otherwise; its CPU time is that of every thread). Both report bytes per second; their ratio is
// the distance to the goal.
//
//   cmake --preset bench && cmake --build --preset bench &&
//   ./build/bench/benchmarks/bench_transactions
#include <custometrics/aggregate.hpp>
#include <custometrics/csv.hpp>
#include <custometrics/date.hpp>
#include <custometrics/key_index.hpp>
#include <custometrics/output/pareto.hpp>
#include <custometrics/output/summary.hpp>
#include <custometrics/pareto_log.hpp>
#include <custometrics/summary.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <random>
#include <streambuf>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

struct columns {
    std::vector<std::int64_t> keys;
    std::vector<std::int64_t> time;
    std::vector<double> amount;
};

// Rows in random order; keys 1..n/10 (dense) or spread over 2^40 (hash path) when `sparse`.
columns make_columns(std::size_t n, bool sparse) {
    std::mt19937_64 rng(2024);
    const std::uint64_t customers = std::max<std::size_t>(1, n / 10);
    columns c;
    c.keys.resize(n);
    c.time.resize(n);
    c.amount.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto k = static_cast<std::int64_t>(rng() % customers);
        c.keys[i] = sparse ? static_cast<std::int64_t>(detail::hash_int(k) >> 24) : k + 1;
        c.time[i] = static_cast<std::int64_t>(1'577'836'800 + (rng() % 730) * 86400);
        c.amount[i] = static_cast<double>(rng() % 20000) / 100.0;
    }
    return c;
}

void args(benchmark::internal::Benchmark* b) {
    for (const std::int64_t n : {100'000, 1'000'000, 10'000'000})
        b->Arg(n);
    b->Unit(benchmark::kMillisecond)->UseRealTime();
}

void BM_key_index_dense(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), false);
    for (auto _ : state)
        benchmark::DoNotOptimize(key_index::from_integers(c.keys));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_key_index_dense)->Apply(args);

void BM_key_index_hash(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), true);
    for (auto _ : state)
        benchmark::DoNotOptimize(key_index::from_integers(c.keys));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_key_index_hash)->Apply(args);

void BM_key_index_strings(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), false);
    std::vector<std::string> keys;
    keys.reserve(c.keys.size());
    for (const auto k : c.keys)
        keys.push_back("C" + std::to_string(k));
    for (auto _ : state) {
        key_index ix;
        std::vector<entity_id> ids(keys.size());
        ix.insert_strings(
            keys.size(), [&](std::size_t i) { return std::string_view(keys[i]); }, ids.data());
        benchmark::DoNotOptimize(ids.data());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_key_index_strings)->Apply(args);

void BM_aggregate_by_key_basic(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), false);
    for (auto _ : state)
        benchmark::DoNotOptimize(
            aggregate_by_key(c.keys, c.amount, c.time, {.with_moments = false}));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_aggregate_by_key_basic)->Apply(args);

void BM_aggregate_by_key_moments(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), false);
    for (auto _ : state)
        benchmark::DoNotOptimize(aggregate_by_key(c.keys, c.amount, c.time));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_aggregate_by_key_moments)->Apply(args);

void BM_aggregate_one_thread(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), false);
    for (auto _ : state)
        benchmark::DoNotOptimize(
            aggregate_by_key(c.keys, c.amount, c.time, {.threads = 1, .with_moments = false}));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_aggregate_one_thread)->Apply(args);

// The rows of `c` as a transaction view, their keys numbered by `ix` as `ids`.
transaction_view view_of(const columns& c, const key_index& ix, const std::vector<entity_id>& ids) {
    transaction_view v;
    v.customer = ids;
    v.n_customers = ix.size();
    v.time = c.time;
    v.amount = c.amount;
    return v;
}

void BM_summarize(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), false);
    auto [ix, ids] = key_index::from_integers(c.keys);
    const transaction_view v = view_of(c, ix, ids);
    for (auto _ : state)
        benchmark::DoNotOptimize(summarize(v));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_summarize)->Apply(args);

// An output stream that counts the bytes written to it and keeps none: the writers' formatting
// cost without the file system's.
class counting_buf : public std::streambuf {
public:
    std::size_t bytes = 0;

protected:
    std::streamsize xsputn(const char* /*s*/, std::streamsize n) override {
        bytes += static_cast<std::size_t>(n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) ++bytes;
        return c;
    }
};

// The per-customer summary of `make_columns(n)` (n / 10 customers) written as CSV.
void BM_write_summary_csv(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), false);
    auto [ix, ids] = key_index::from_integers(c.keys);
    const customer_summary s = summarize(view_of(c, ix, ids));
    for (auto _ : state) {
        counting_buf buf;
        std::ostream out(&buf);
        output::write_csv(out, s, ix);
        benchmark::DoNotOptimize(buf.bytes);
        state.SetBytesProcessed(state.bytes_processed() + static_cast<std::int64_t>(buf.bytes));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.size()));
}
BENCHMARK(BM_write_summary_csv)->Apply(args)->MeasureProcessCPUTime(); // CPU: all threads

// The Pareto ranking by customer of `make_columns(n)` written as CSV.
void BM_write_pareto_csv(benchmark::State& state) {
    const columns c = make_columns(static_cast<std::size_t>(state.range(0)), false);
    transaction_log log;
    auto [ix, ids] = key_index::from_integers(c.keys);
    log.customer_keys = std::move(ix);
    log.customer = std::move(ids);
    log.time.assign(c.time.begin(), c.time.end());
    log.amount.assign(c.amount.begin(), c.amount.end());
    const log_pareto p = pareto_of_log(log, dimension::customer, measure::revenue);
    for (auto _ : state) {
        counting_buf buf;
        std::ostream out(&buf);
        output::write_csv(out, p, log.customer_keys);
        benchmark::DoNotOptimize(buf.bytes);
        state.SetBytesProcessed(state.bytes_processed() + static_cast<std::int64_t>(buf.bytes));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(p.pareto.size()));
}
BENCHMARK(BM_write_pareto_csv)->Apply(args)->MeasureProcessCPUTime(); // CPU: all threads

// The log of `make_columns(n)` as a CSV file `customer_id,date,amount` in the temporary
// directory, written once per size; its path.
std::string csv_file(std::size_t n) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("custometrics_bench_" + std::to_string(n) + ".csv");
    if (!std::filesystem::exists(path)) {
        const columns c = make_columns(n, false);
        std::ofstream out(path, std::ios::binary);
        out << "customer_id,date,amount\n";
        char buf[64];
        for (std::size_t i = 0; i < n; ++i) {
            const std::string day = format_date(c.time[i]);
            const int len = std::snprintf(buf, sizeof buf, "%lld,%s,%.2f\n",
                                          static_cast<long long>(c.keys[i]), day.c_str(),
                                          c.amount[i]);
            out.write(buf, len);
        }
    }
    return path.string();
}

void BM_csv_bytes_floor(benchmark::State& state) {
    const std::string path = csv_file(static_cast<std::size_t>(state.range(0)));
    const auto bytes = static_cast<std::size_t>(std::filesystem::file_size(path));
    std::vector<std::uint64_t> buf(bytes / 8 + 1);
    for (auto _ : state) {
        std::FILE* f = std::fopen(path.c_str(), "rb");
        const std::size_t got = std::fread(buf.data(), 1, bytes, f);
        std::fclose(f);
        std::uint64_t sum = got;
        for (const std::uint64_t w : buf)
            sum += w;
        benchmark::DoNotOptimize(sum);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_csv_bytes_floor)->Apply(args);

void BM_csv_read(benchmark::State& state) {
    const std::string path = csv_file(static_cast<std::size_t>(state.range(0)));
    const auto bytes = static_cast<std::size_t>(std::filesystem::file_size(path));
    for (auto _ : state)
        benchmark::DoNotOptimize(read_transactions_csv(path));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_csv_read)->Apply(args)->MeasureProcessCPUTime(); // CPU: all threads

} // namespace
