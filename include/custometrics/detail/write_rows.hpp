// Writing the rows of a large table as text, formatted on several threads, written in order.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/detail/parallel.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
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

/// The fields of one row of a table, each after a comma, formatted at a pointer into a buffer of
/// `Capacity` bytes (no allocation and no capacity check per field) and appended to the row's
/// text at once. The caller sizes `Capacity` for its widest row: a number takes at most 33
/// bytes with its comma, a count 21, a time `max_time_text` + 1.
///
///     row_fields<128> f;
///     f.number(2.5);  f.count(3);  f.time(no_time);
///     f.append_to(row);               // row += ",2.5,3,"
template <std::size_t Capacity> class row_fields {
public:
    row_fields() = default;
    row_fields(const row_fields&) = delete; // the end points into this object's buffer
    row_fields& operator=(const row_fields&) = delete;

    /// `,` and the shortest round-trip text of `x` (`write_double`).
    void number(double x) noexcept {
        *m_end++ = ',';
        m_end = write_double(m_end, x);
    }
    /// `,` and the decimal text of `x`.
    void count(std::int64_t x) noexcept {
        *m_end++ = ',';
        m_end = std::to_chars(m_end, m_end + 20, x).ptr;
    }
    /// `,` and the time as `format_time` writes it; the comma alone for `no_time`.
    void time(std::int64_t seconds) noexcept {
        *m_end++ = ',';
        if (seconds != no_time) m_end = write_time(m_end, seconds);
    }
    /// `,` and `text`, which must be short (a code, a class name: at most 32 bytes).
    void word(std::string_view text) noexcept {
        *m_end++ = ',';
        m_end = std::copy(text.begin(), text.begin() + std::min<std::size_t>(text.size(), 32),
                          m_end);
    }
    /// Appends the fields written so far to `row`.
    void append_to(std::string& row) const {
        assert(m_end <= m_buf.data() + Capacity); // the caller's bound held
        row.append(m_buf.data(), static_cast<std::size_t>(m_end - m_buf.data()));
    }

private:
    std::array<char, Capacity> m_buf; // not initialised: only [data, m_end) is ever read
    char* m_end = m_buf.data();
};

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
