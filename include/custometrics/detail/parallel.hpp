// A minimal fork-join helper: split [0, n) into contiguous chunks, one per thread.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/threads.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// Threads to use for `n` items: `requested` (0 = `default_threads()`: the process-wide setting,
/// CUSTOMETRICS_NUM_THREADS, else all hardware threads), but never so many that
/// a chunk holds fewer than `min_per_thread` items. Always at least 1.
inline unsigned thread_count(std::size_t n, unsigned requested,
                             std::size_t min_per_thread = std::size_t{1} << 16) {
    unsigned t = requested != 0 ? requested : default_threads();
    const std::size_t by_size =
        std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_per_thread));
    return static_cast<unsigned>(std::min<std::size_t>(t, by_size));
}

/// Stores `value` in `slot` as a relaxed atomic store: for threads that may write one slot at
/// once (each the same value). `std::atomic_ref` where the standard library has it (libstdc++
/// 10, libc++ 19), else the compiler's builtin, which it is made of.
template <class T> void store_relaxed(T& slot, T value) noexcept {
#if defined(__cpp_lib_atomic_ref)
    std::atomic_ref<T>(slot).store(value, std::memory_order_relaxed);
#else
    __atomic_store_n(&slot, value, __ATOMIC_RELAXED);
#endif
}

/// Calls `fn(begin, end, chunk)` for `threads` contiguous chunks of [0, n); chunk 0 runs on the
/// calling thread. The first exception thrown by any chunk is rethrown after all have joined.
template <class Fn> void parallel_chunks(std::size_t n, unsigned threads, Fn&& fn) {
    if (threads <= 1 || n == 0) {
        fn(std::size_t{0}, n, 0U);
        return;
    }
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> workers;
    workers.reserve(threads - 1);
    auto run = [&](unsigned c) {
        const std::size_t b = n * c / threads;
        const std::size_t e = n * (c + 1) / threads;
        try {
            fn(b, e, c);
        } catch (...) {
            errors[c] = std::current_exception();
        }
    };
    for (unsigned c = 1; c < threads; ++c)
        workers.emplace_back(run, c);
    run(0);
    for (auto& w : workers)
        w.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
