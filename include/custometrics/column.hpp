// `column<T>`: the vector type of large results (one entry per customer, product, row).
//
// A `std::vector` with an allocator that asks the kernel for transparent huge pages when a block
// is large (4 MiB or more): the block is 2 MiB-aligned and marked with madvise(MADV_HUGEPAGE)
// on Linux. Filling a column of a million entries then costs a handful of page faults instead
// of thousands; on virtual machines a fault costs microseconds, and on a 10-million-row pass the
// faults of freshly allocated results otherwise take a third of the time. Small blocks come from
// the ordinary `operator new`. Everything else is `std::vector`: index it, iterate it, take
// `data()`; copy into a `std::vector<T>` with `std::vector<T>(c.begin(), c.end())` if needed.
//
// Freed large blocks are kept for reuse, up to `block_cache_limit()` bytes in all (default
// 256 MiB; `set_block_cache_limit(0)` frees them and turns the cache off). A block handed back
// to the C library is unmapped, and the next call of the same size pays again for page faults,
// the kernel's zeroing of every huge page and, once two threads touched the block, a TLB
// shootdown to the other core (an inter-processor interrupt, costly on virtual machines).
// Measured on `pareto_by_key` of 10^7 rows on two threads (about 50 MB of columns a call, five
// alternating rounds of ten calls): median 32.4 to 33.8 ms with the cache, 34.6 to 60 ms
// without; kernel time 0.4 to 2.4 ms a call against 4.4 to 23.5 ms. A kept block is reused
// only for a request of the same size rounded to 2 MiB, the most recently freed first.
// AddressSanitizer builds start with the cache off, so that a use after free is still caught.
//
// `detail::uninitialised_column<T>(n)` makes a column of `n` entries left unset (no zeroing pass):
// for storage that several threads then fill, each its own rows, so that each thread takes the
// first touch (page faults and the kernel's zeroing) of the pages it writes, in parallel, instead
// of one thread zeroing the whole block first. Its entries must be written before they are read;
// `resize` and the other members of the column construct as for any vector (zeros).
#pragma once

#include "custometrics/config.hpp"

#include <cstddef>
#include <cstdlib>
#include <iterator>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// The argument with which `large_allocator` constructs an entry left unset (default-initialised;
/// see `uninitialised_column`).
struct uninitialised_t {
    explicit uninitialised_t() = default;
    /// Declared, never defined: libc++'s `vector(first, last)` asks that the element be
    /// constructible from the iterator's entries before it hands each one to
    /// `large_allocator::construct`, which takes the tag itself. A call would fail to link.
    template <class U> explicit operator U() const noexcept;
};

/// Freed large blocks kept for reuse (see column.hpp): one per process, never destroyed (so that
/// columns freed during static destruction still find it).
class block_cache {
public:
    static block_cache& instance() {
        static block_cache* cache = new block_cache; // never destroyed, see above
        return *cache;
    }
    /// A kept block of exactly `bytes`, or nullptr.
    void* take(std::size_t bytes) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        for (std::size_t i = m_blocks.size(); i-- > 0;) // the most recently freed first
            if (m_blocks[i].first == bytes) {
                void* p = m_blocks[i].second;
                m_blocks.erase(m_blocks.begin() + static_cast<std::ptrdiff_t>(i));
                m_total -= bytes;
                return p;
            }
        return nullptr;
    }
    /// Keeps `p` (`bytes` long) when the limit allows, else frees it.
    void give(void* p, std::size_t bytes) noexcept {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            if (m_total + bytes <= m_limit) {
                try {
                    m_blocks.emplace_back(bytes, p);
                    m_total += bytes;
                    return;
                } catch (...) { // no room to remember it: free it below
                }
            }
        }
        std::free(p);
    }
    /// Sets the limit and frees the blocks beyond it (all of them for 0).
    void set_limit(std::size_t bytes) noexcept {
        std::vector<std::pair<std::size_t, void*>> freed;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_limit = bytes;
            while (m_total > m_limit) { // the oldest first
                freed.push_back(m_blocks.front());
                m_total -= m_blocks.front().first;
                m_blocks.erase(m_blocks.begin());
            }
        }
        for (const auto& b : freed)
            std::free(b.second);
    }
    std::size_t limit() const noexcept {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_limit;
    }
    std::size_t cached() const noexcept {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_total;
    }

private:
#if defined(__SANITIZE_ADDRESS__)
    static constexpr std::size_t default_limit = 0;
#else
    static constexpr std::size_t default_limit = std::size_t{256} << 20;
#endif
    mutable std::mutex m_mutex;
    std::vector<std::pair<std::size_t, void*>> m_blocks; // (bytes, block), oldest first
    std::size_t m_total = 0;
    std::size_t m_limit = default_limit;
};

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
        void* p = block_cache::instance().take(rounded);
        if (p == nullptr) {
            p = std::aligned_alloc(huge_page, rounded);
            if (p == nullptr) throw std::bad_alloc();
        }
#ifdef MADV_HUGEPAGE
        // A hint (failure only costs speed), given again to a kept block: its last owner may have
        // asked for ordinary pages (the CSV reader's columns do).
        ::madvise(p, rounded, MADV_HUGEPAGE);
#endif
        return static_cast<T*>(p);
    }

    void deallocate(T* p, std::size_t n) noexcept {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge_threshold)
            ::operator delete(p, std::align_val_t(alignof(T)));
        else
            block_cache::instance().give(p, (bytes + huge_page - 1) / huge_page * huge_page);
    }

    /// Default-initialises the entry at `p` (an arithmetic entry is left unset); constructions
    /// with any other arguments are the ordinary ones (`std::allocator_traits`).
    template <class U> void construct(U* p, uninitialised_t /*tag*/) noexcept {
        static_assert(std::is_trivially_default_constructible_v<U>);
        ::new (static_cast<void*>(p)) U;
    }

    template <class U> bool operator==(const large_allocator<U>& /*other*/) const noexcept {
        return true;
    }
};

/// An iterator over a run of `uninitialised_t` (the range `uninitialised_column` builds from).
struct uninitialised_tags {
    using iterator_category = std::random_access_iterator_tag;
    using value_type = uninitialised_t;
    using difference_type = std::ptrdiff_t;
    using pointer = const uninitialised_t*;
    using reference = uninitialised_t;

    std::ptrdiff_t i = 0;

    uninitialised_t operator*() const noexcept { return uninitialised_t{}; }
    uninitialised_tags& operator++() noexcept {
        ++i;
        return *this;
    }
    uninitialised_tags operator++(int) noexcept { return {i++}; }
    friend difference_type operator-(uninitialised_tags a, uninitialised_tags b) noexcept {
        return a.i - b.i;
    }
    friend bool operator==(uninitialised_tags a, uninitialised_tags b) noexcept {
        return a.i == b.i;
    }
};

} // namespace detail

/// A vector for large results, backed by huge pages where the platform offers them.
template <class T> using column = std::vector<T, detail::large_allocator<T>>;

namespace detail {

/// A column of `n` entries left unset, with no zeroing pass (see column.hpp): for storage that
/// threads fill, each its own rows, so that each thread takes the first touch of its pages. Every
/// entry must be written before it is read. Example: the CSV reader's columns, sized for the
/// lines of the file before its chunks are parsed.
template <class T> column<T> uninitialised_column(std::size_t n) {
    static_assert(std::is_trivially_default_constructible_v<T>);
    return column<T>(uninitialised_tags{0}, uninitialised_tags{static_cast<std::ptrdiff_t>(n)});
}

} // namespace detail

/// Most bytes of freed large column blocks kept for reuse (see column.hpp); 0: none.
inline std::size_t block_cache_limit() noexcept {
    return detail::block_cache::instance().limit();
}

/// Sets that limit (0 turns the cache off) and frees the kept blocks beyond it at once.
inline void set_block_cache_limit(std::size_t bytes) noexcept {
    detail::block_cache::instance().set_limit(bytes);
}

/// Bytes of freed large column blocks kept for reuse now.
inline std::size_t block_cache_size() noexcept {
    return detail::block_cache::instance().cached();
}

CUSTOMETRICS_END_NAMESPACE
