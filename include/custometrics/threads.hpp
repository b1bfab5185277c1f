// The process-wide default number of threads: what every routine uses when its `threads`
// option is 0 (the default everywhere).
//
// Without a setting, the default is the environment variable CUSTOMETRICS_NUM_THREADS (a whole
// number >= 1, read once, at the first use) or else all hardware threads. A notebook, a web
// server or a Spark executor that shares its cores caps every call at once with
// `set_default_threads(n)` (Python: `custometrics.set_num_threads(n)`); `set_default_threads(0)`
// goes back to the environment variable or the hardware.
//
//     custometrics::set_default_threads(2);
//     custometrics::default_threads();   // 2: every call with threads = 0 uses at most 2
#pragma once

#include "custometrics/config.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string_view>
#include <thread>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// The threads named by CUSTOMETRICS_NUM_THREADS, or 0 when it is unset, empty or not a whole
/// number in 1..4096 (then ignored: a bad value must not stop a library).
inline unsigned threads_from_environment() noexcept {
    const char* text = std::getenv("CUSTOMETRICS_NUM_THREADS");
    if (text == nullptr) return 0;
    const std::string_view s(text);
    if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789") != std::string_view::npos)
        return 0;
    unsigned v = 0;
    for (const char c : s)
        v = v * 10 + static_cast<unsigned>(c - '0');
    return v >= 1 && v <= 4096 ? v : 0;
}

inline std::atomic<unsigned>& default_threads_setting() noexcept {
    static std::atomic<unsigned> setting{0};
    return setting;
}

} // namespace detail

/// Sets the threads every routine uses when asked for 0 threads; 0 restores the default
/// (CUSTOMETRICS_NUM_THREADS, else all hardware threads). Thread-safe.
inline void set_default_threads(unsigned threads) noexcept {
    detail::default_threads_setting().store(threads, std::memory_order_relaxed);
}

/// The threads a routine asked for 0 threads uses: the value of `set_default_threads`, else
/// CUSTOMETRICS_NUM_THREADS, else `std::thread::hardware_concurrency()` (at least 1).
inline unsigned default_threads() noexcept {
    const unsigned set = detail::default_threads_setting().load(std::memory_order_relaxed);
    if (set != 0) return set;
    static const unsigned from_env = detail::threads_from_environment();
    if (from_env != 0) return from_env;
    return std::max(1U, std::thread::hardware_concurrency());
}

CUSTOMETRICS_END_NAMESPACE
