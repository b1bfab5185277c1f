// `column<T>`: the vector type of large results (one entry per customer, product, row).
//
// A `std::vector` with an allocator that asks the kernel for transparent huge pages when a block
// is large (4 MiB or more): the block is 2 MiB-aligned and marked with madvise(MADV_HUGEPAGE)
// on Linux. Filling a column of a million entries then costs a handful of page faults instead
// of thousands; on virtual machines a fault costs microseconds, and on a 10-million-row pass the
// faults of freshly allocated results otherwise take a third of the time. Small blocks come from
// the ordinary `operator new`. Everything else is `std::vector`: index it, iterate it, take
// `data()`; copy into a `std::vector<T>` with `std::vector<T>(c.begin(), c.end())` if needed.
#pragma once

#include "custometrics/config.hpp"

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// The allocator of `column` (see column.hpp).
template <class T> struct large_allocator {
    using value_type = T;
    static constexpr std::size_t huge_threshold = std::size_t{1} << 22; ///< 4 MiB
    static constexpr std::size_t huge_page = std::size_t{1} << 21;      ///< 2 MiB

    large_allocator() noexcept = default;
    template <class U> large_allocator(const large_allocator<U>& /*other*/) noexcept {}

    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge_threshold)
            return static_cast<T*>(::operator new(bytes, std::align_val_t(alignof(T))));
        const std::size_t rounded = (bytes + huge_page - 1) / huge_page * huge_page;
        void* p = std::aligned_alloc(huge_page, rounded);
        if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        ::madvise(p, rounded, MADV_HUGEPAGE); // a hint: failure only costs speed
#endif
        return static_cast<T*>(p);
    }

    void deallocate(T* p, std::size_t n) noexcept {
        if (n * sizeof(T) < huge_threshold)
            ::operator delete(p, std::align_val_t(alignof(T)));
        else
            std::free(p);
    }

    template <class U> bool operator==(const large_allocator<U>& /*other*/) const noexcept {
        return true;
    }
};

} // namespace detail

/// A vector for large results, backed by huge pages where the platform offers them.
template <class T> using column = std::vector<T, detail::large_allocator<T>>;

CUSTOMETRICS_END_NAMESPACE
