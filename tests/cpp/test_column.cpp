// Tests of column.hpp: the cache of freed large blocks (reuse of the same rounded size, the
// limit, turning it off) and its use from several threads; columns made unset.
#include <custometrics/column.hpp>
#include <custometrics/detail/parallel.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifdef __linux__
#include <sys/mman.h>
#endif

using namespace custometrics;

namespace {

constexpr std::size_t mib = std::size_t{1} << 20;

#if defined(__linux__) && defined(MADV_NOHUGEPAGE)
// The VmFlags line of /proc/self/smaps for the mapping that holds `p` ("" when not found): "hg"
// marks the huge-page advice (MADV_HUGEPAGE), "nh" the advice against (MADV_NOHUGEPAGE).
std::string vm_flags_of(const void* p) {
    std::ifstream smaps("/proc/self/smaps");
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    bool inside = false;
    for (std::string line; std::getline(smaps, line);) {
        std::uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream head(line);
        if (line.find("VmFlags:") == 0) {
            if (inside) return line;
        } else if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
            inside = lo <= at && at < hi;
        }
    }
    return {};
}
#endif

// Restores the process's limit (AddressSanitizer builds start at 0) after a test.
struct limit_guard {
    std::size_t saved = block_cache_limit();
    ~limit_guard() { set_block_cache_limit(saved); }
};

TEST_CASE("column blocks: a freed large block is reused for the same rounded size") {
    const limit_guard guard;
    set_block_cache_limit(0); // start empty
    set_block_cache_limit(64 * mib);
    CHECK(block_cache_size() == 0);
    const double* first = nullptr;
    {
        column<double> a(mib); // 8 MiB
        first = a.data();
    }
    CHECK(block_cache_size() == 8 * mib);
    {
        // 8 MiB - 8 bytes rounds up to the same 8 MiB: the kept block comes back, filled anew.
        column<double> b(mib - 1, 2.5);
        CHECK(b.data() == first);
        CHECK(b.front() == 2.5);
        CHECK(b.back() == 2.5);
        CHECK(block_cache_size() == 0);
        // Another size is a new block; small columns never enter the cache.
        column<double> c(mib / 2 + 1); // 4 MiB + 8 bytes -> 6 MiB
        CHECK(c.data() != first);
        column<double> small(1000);
    }
    CHECK(block_cache_size() == 8 * mib + 6 * mib);
}

#if defined(__linux__) && defined(MADV_NOHUGEPAGE)
TEST_CASE("column blocks: a kept block is handed out with the huge-page advice again") {
    // The CSV reader asks for ordinary pages on its columns; a later column given the same
    // block must not inherit that advice.
    const limit_guard guard;
    set_block_cache_limit(0);
    set_block_cache_limit(64 * mib);
    const double* first = nullptr;
    {
        column<double> a(mib); // 8 MiB, advised huge pages by the allocator
        first = a.data();
        if (vm_flags_of(first).find(" hg") == std::string::npos)
            return; // the kernel has no transparent huge pages: nothing to check
        ::madvise(a.data(), a.size() * sizeof(double), MADV_NOHUGEPAGE);
        CHECK(vm_flags_of(first).find(" nh") != std::string::npos);
    }
    column<double> b(mib);
    REQUIRE(b.data() == first); // the kept block
    const std::string flags = vm_flags_of(first);
    CHECK(flags.find(" hg") != std::string::npos);
    CHECK(flags.find(" nh") == std::string::npos);
}
#endif

TEST_CASE("column blocks: the limit is kept, and 0 frees everything and turns the cache off") {
    const limit_guard guard;
    set_block_cache_limit(0);
    set_block_cache_limit(8 * mib);
    {
        column<double> a(mib / 2); // 4 MiB each
        column<double> b(mib / 2);
        column<double> c(mib / 2);
    } // freed c, b, a: two fit in 8 MiB, the third is handed back to the C library
    CHECK(block_cache_size() == 8 * mib);
    set_block_cache_limit(4 * mib); // the oldest kept block goes
    CHECK(block_cache_size() == 4 * mib);
    CHECK(block_cache_limit() == 4 * mib);
    set_block_cache_limit(0);
    CHECK(block_cache_size() == 0);
    { column<double> d(mib); }
    CHECK(block_cache_size() == 0);
}

TEST_CASE("column blocks: columns made and freed on several threads at once") {
    const limit_guard guard;
    set_block_cache_limit(0);
    set_block_cache_limit(32 * mib);
    std::vector<std::int64_t> sums(4, 0);
    detail::parallel_chunks(4, 4, [&](std::size_t b, std::size_t, unsigned c) {
        for (int round = 0; round < 20; ++round) {
            column<std::int64_t> x(mib / 2 + static_cast<std::size_t>(round % 3), // 4-6 MiB
                                   static_cast<std::int64_t>(b + 1));
            sums[c] += x[x.size() / 2];
        }
    });
    CHECK(sums == std::vector<std::int64_t>{20, 40, 60, 80});
    CHECK(block_cache_size() <= 32 * mib);
}

TEST_CASE("column blocks: an unset column takes a block as it is; other columns still zero it") {
    const limit_guard guard;
    set_block_cache_limit(0);
    set_block_cache_limit(64 * mib);
    const double* block = nullptr;
    {
        column<double> a(mib, 2.5); // 8 MiB
        block = a.data();
    }
    {
        // The kept block, with no zeroing pass: every entry is written before it is read.
        column<double> u = detail::uninitialised_column<double>(mib - 3);
        CHECK(u.data() == block);
        CHECK(u.size() == mib - 3);
        detail::parallel_chunks(u.size(), 2, [&u](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i)
                u[i] = static_cast<double>(i);
        });
        CHECK(u[0] == 0.0);
        CHECK(u[mib - 4] == static_cast<double>(mib - 4));
        u.resize(mib - 1); // resize constructs as for any vector: the two new entries are zero
        CHECK(u[mib - 3] == 0.0);
        CHECK(u[mib - 2] == 0.0);
    }
    // Constructed with a size, a column is zeroed, also on a reused block holding other values.
    column<double> z(mib);
    CHECK(z.data() == block);
    CHECK(std::all_of(z.begin(), z.end(), [](double x) { return x == 0.0; }));
    CHECK(detail::uninitialised_column<std::int64_t>(0).empty());
}

} // namespace
