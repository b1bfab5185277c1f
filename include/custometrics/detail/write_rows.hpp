// Writing the rows of a large table as text, formatted on several threads, written in order.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/parallel.hpp"

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// Writes rows 0..n-1 of a table to `out`, in order: `row(i, text)` appends the text of row i
/// (its line break included) to `text`.
///
/// Method: rows are formatted in rounds of `block` rows per thread, each thread into its own
/// string, and a round's strings are written in thread order before the next round starts, so
/// the output is the bytes a serial loop writes, whatever the thread count, and memory is
/// bounded by one round's text. `row` is called concurrently for different rows: it must only
/// read shared state. Tables under two blocks are formatted on the calling thread.
///
///     write_rows(out, v.size(), [&](std::size_t i, std::string& s) {
///         s += std::to_string(v[i]);
///         s += '\n';
///     });
template <class Row>
void write_rows(std::ostream& out, std::size_t n, Row&& row, unsigned threads = 0,
                std::size_t block = std::size_t{1} << 14) {
    const unsigned t = thread_count(n, threads, block);
    std::vector<std::string> text(t);
    for (std::size_t start = 0; start < n; start += block * t) {
        const std::size_t stop = std::min(n, start + block * t);
        parallel_chunks(stop - start, t, [&](std::size_t b, std::size_t e, unsigned c) {
            std::string& s = text[c];
            s.clear();
            for (std::size_t i = start + b; i < start + e; ++i)
                row(i, s);
        });
        for (const std::string& s : text)
            out.write(s.data(), static_cast<std::streamsize>(s.size()));
    }
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
