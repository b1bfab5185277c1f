// Progress of the long routines: a callback that receives the stage, the units done and the
// total, installed for the calling thread.
//
// The routines that can take seconds (reading a CSV log, generate_transactions, the fits of
// the purchase, spend and sBG models, the report) call `report_progress(stage, done, total)`
// at coarse steps (a chunk of the file, a block of customers, an iteration of the optimizer).
// It passes the report to the callback that the calling thread installed with
// `progress_scope`, and does nothing when there is none: one thread-local load and a branch,
// so a routine may report in its loops at no measurable cost. Worker threads have no callback
// (it is thread-local), so a report from a worker is dropped: a callback never runs on a thread
// it did not install itself on, and never concurrently with itself. The faces install one: the
// CLI a one-line bar on standard error when it is a terminal (`terminal_progress_bar`), Python a
// tqdm bar when tqdm is installed.
//
// A callback may throw (Python's KeyboardInterrupt does, through pybind11): the routine is
// interrupted there and the exception reaches its caller, as any error. `total` is 0 when it is
// unknown; `done` never exceeds a non-zero `total`. Stages are short lowercase names: "read",
// "generate", "fit", "report".
//
//     custometrics::progress_scope scope([](std::string_view stage, std::uint64_t done,
//                                           std::uint64_t total) {
//         std::fprintf(stderr, "%.*s %llu/%llu\n", int(stage.size()), stage.data(),
//                      (unsigned long long)done, (unsigned long long)total);
//     });
//     auto log = custometrics::generate_transactions(options); // "generate 1/5", ...
#pragma once

#include "custometrics/config.hpp"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string_view>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

/// A progress callback: (stage, units done, total units or 0 when unknown).
using progress_callback =
    std::function<void(std::string_view stage, std::uint64_t done, std::uint64_t total)>;

namespace detail {
inline const progress_callback*& current_progress() noexcept {
    thread_local const progress_callback* current = nullptr;
    return current;
}
} // namespace detail

/// Installs `callback` for the calling thread while the scope lives (scopes nest: the previous
/// callback comes back at the end).
class progress_scope {
public:
    explicit progress_scope(progress_callback callback)
        : m_callback(std::move(callback)), m_previous(detail::current_progress()) {
        detail::current_progress() = m_callback ? &m_callback : nullptr;
    }
    ~progress_scope() { detail::current_progress() = m_previous; }
    progress_scope(const progress_scope&) = delete;
    progress_scope& operator=(const progress_scope&) = delete;

private:
    progress_callback m_callback;
    const progress_callback* m_previous;
};

/// Reports `done` of `total` units of `stage` to the calling thread's callback, if any.
inline void report_progress(std::string_view stage, std::uint64_t done, std::uint64_t total) {
    if (const progress_callback* callback = detail::current_progress())
        (*callback)(stage, done, total);
}

/// True when the calling thread has a callback (to skip work that only feeds the reports).
inline bool progress_wanted() noexcept {
    return detail::current_progress() != nullptr;
}

/// A callback that draws one line on `out` (a terminal): "stage [#####     ]  45% 450/1000",
/// redrawn in place with a carriage return when the whole percent changes, and ended with a
/// newline when a stage reaches its total. The CLI installs it when standard error is a
/// terminal (isatty), so pipes and log files never see it.
progress_callback terminal_progress_bar(std::FILE* out);

CUSTOMETRICS_END_NAMESPACE
