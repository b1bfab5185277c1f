// The remembered unique rows of the last scored summary (retention/unique_rows.hpp).
#include "custometrics/retention/unique_rows.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <mutex>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

namespace {

std::mutex memo_mutex;
std::shared_ptr<const compressed_summary> memo; // guarded by memo_mutex

bool same_bits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

} // namespace

std::shared_ptr<const compressed_summary> recalled_unique_rows(std::span<const double> x,
                                                               std::span<const double> tx,
                                                               std::span<const double> T) {
    std::shared_ptr<const compressed_summary> rows;
    {
        const std::lock_guard<std::mutex> lock(memo_mutex);
        rows = memo;
    }
    const std::size_t n = x.size();
    if (!rows || rows->row_of.size() != n || tx.size() != n || T.size() != n) return nullptr;
    std::atomic<bool> equal{true};
    parallel_chunks(
        n, thread_count(n, 0, std::size_t{1} << 17), [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e && equal.load(std::memory_order_relaxed);) {
                // Blocks of 4096 between looks at the flag, no branch inside.
                const std::size_t end = std::min(e, i + 4096);
                bool same = true;
                for (; i < end; ++i) {
                    const std::uint32_t r = rows->row_of[i];
                    same &= same_bits(x[i], rows->frequency[r]) &
                            same_bits(tx[i], rows->recency[r]) & same_bits(T[i], rows->T[r]);
                }
                if (!same) equal.store(false, std::memory_order_relaxed);
            }
        });
    return equal.load() ? rows : nullptr;
}

void remember_unique_rows(std::shared_ptr<const compressed_summary> rows) {
    const std::lock_guard<std::mutex> lock(memo_mutex);
    memo = std::move(rows);
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
