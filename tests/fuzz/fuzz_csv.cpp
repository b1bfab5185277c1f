// libFuzzer target: the transaction CSV reader (csv.hpp).
//
// Invariants checked on every input:
// - no crash, leak, undefined behaviour or exception other than custometrics::error;
// - the reader gives the same log (or the same error message) whatever its block size: the
//   first byte picks a small block size (1..64 bytes) that is compared against one block,
//   so that records and quoted fields split across block boundaries are exercised;
// - the parallel reader (`detail::read_transactions_csv_parallel`, chunks of 1..64 bytes picked
//   by the first byte too) gives the serial reader's log (rows, ids, keys and line marks) or its
//   error. It runs on one thread, and on 3 threads for one input in 16 (the length a multiple
//   of 16): its chunks, parity guesses and joins are the same whatever the thread count (the
//   doctest suite compares 1 and 3 threads), and starting threads was most of the time of a run;
//
// Speed: a run used to start about 30 threads (each `for_each_index` of the parallel reader
// starts its own) and allocate three 64 KiB blocks; under ASan thread starts, fresh stacks and
// fresh pages (the allocator's quarantine keeps freed blocks out of use) took about half of the
// time in the kernel (perf, 2026-12). One thread and blocks the size of the input keep every
// check and run several times faster (docs/fuzzing.md).
// - a log that reads writes back (`write_transactions_csv`) and reads back to the same rows:
//   times, amounts and keys (as text) equal.
#include "custometrics/csv.hpp"
#include "custometrics/error.hpp"

#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace cm = custometrics;

namespace {

// One block for the whole input: the reference reading. (The default block of 4 MiB would be
// allocated and poisoned by ASan on every run, 100 times slower.)
std::size_t one_block(const std::string& text) {
    return text.size() + 1;
}

struct outcome {
    bool ok = false;
    std::string error;
    cm::transaction_log log;
};

// `chunk_bytes` 0: the serial reader; else the parallel reader with chunks of that size, on
// `threads` threads.
outcome read(const std::string& text, std::size_t block_size, std::size_t chunk_bytes = 0,
             unsigned threads = 1) {
    outcome o;
    std::istringstream in(text);
    cm::csv_options options;
    options.block_size = block_size;
    options.threads = threads;
    cm::csv_columns columns;
    columns.conventional_names = true;
    try {
        o.log = chunk_bytes == 0 ? cm::read_transactions_csv(in, "fuzz.csv", columns, options)
                                 : cm::detail::read_transactions_csv_parallel(
                                       text, "fuzz.csv", columns, options, chunk_bytes);
        o.ok = true;
    } catch (const cm::error& e) {
        o.error = e.what();
    }
    return o;
}

std::vector<std::string> customer_keys(const cm::transaction_log& log) {
    std::vector<std::string> keys;
    keys.reserve(log.size());
    for (const cm::entity_id id : log.customer)
        keys.push_back(log.customer_keys.key_string(id));
    return keys;
}

bool same_rows(const cm::transaction_log& a, const cm::transaction_log& b) {
    return a.time == b.time && a.amount == b.amount && a.cost == b.cost &&
           a.quantity == b.quantity && customer_keys(a) == customer_keys(b) && a.lines == b.lines;
}

// Same ids and keys in every index (what the parallel reader must reproduce exactly).
bool same_ids(const cm::transaction_log& a, const cm::transaction_log& b) {
    auto same = [](const cm::key_index& x, const cm::key_index& y) {
        if (x.type() != y.type() || x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (x.key_string(static_cast<cm::entity_id>(i)) !=
                y.key_string(static_cast<cm::entity_id>(i)))
                return false;
        return true;
    };
    return a.customer == b.customer && a.order == b.order && a.product == b.product &&
           a.channel == b.channel && same(a.customer_keys, b.customer_keys) &&
           same(a.order_keys, b.order_keys) && same(a.product_keys, b.product_keys) &&
           same(a.channel_keys, b.channel_keys);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t small_block = 1 + data[0] % 64;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    const outcome whole = read(text, one_block(text));
    const outcome split = read(text, small_block);
    const outcome parallel =
        read(text, one_block(text), 1 + (data[0] >> 2) % 64, size % 16 == 0 ? 3 : 1);
    require(whole.ok == split.ok, "block size changes whether the file reads");
    require(whole.ok == parallel.ok, "the parallel reader changes whether the file reads");
    if (!whole.ok) {
        require(whole.error == split.error, "block size changes the error");
        require(whole.error == parallel.error, "the parallel reader changes the error");
        return 0;
    }
    require(same_rows(whole.log, split.log), "block size changes the rows");
    require(same_rows(whole.log, parallel.log) && same_ids(whole.log, parallel.log),
            "the parallel reader changes the rows or ids");
    std::ostringstream out;
    cm::write_transactions_csv(out, whole.log);
    const std::string written = out.str();
    const outcome again = read(written, one_block(written));
    if (!again.ok) std::fprintf(stderr, "re-read failed: %s\n", again.error.c_str());
    require(again.ok, "the written log does not read back");
    require(whole.log.time == again.log.time && whole.log.amount == again.log.amount &&
                whole.log.cost == again.log.cost && whole.log.quantity == again.log.quantity &&
                customer_keys(whole.log) == customer_keys(again.log),
            "the written log reads back different");
    return 0;
}
