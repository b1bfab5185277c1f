// The fast paths of the field rules: a plain decimal (number.hpp's rule), a plain `YYYY-MM-DD`
// date (date.hpp's rule) and a canonical integer key (csv.cpp's key rule), each read from the
// front of a byte range. `read_number`, `parse_time_status` and the CSV key columns take them
// first on a whole field; the transaction reader's one-pass record parse (csv.cpp, `row_layout::
// parse_plain`) takes them straight from the record's bytes and then expects a delimiter. So a
// field is accepted by the one pass exactly when its text is accepted by the fast path of the
// general rule, and gives the same value: one function for both.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/date.hpp"

#include <array>
#include <cfloat>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace detail {

/// The end of the plain decimal `[-]digits[.digits]` (at most 15 digits in all) that starts at
/// `p`, with its value in `out`; nullptr (and `out` untouched) when [p, end) does not start with
/// one, or starts with one of more than 15 digits or "5." (a point without digits after it).
/// `out` is written whenever a number is returned, also where the caller then refuses the byte
/// after it: a caller that promises `out` untouched on failure reads into a local first.
/// The number ends at the first byte that is neither a digit nor its point, which the caller
/// checks: `read_number` asks for `end`, the one-pass record parse for a delimiter (never a
/// digit, '-' or '.'). So "1.5e3" gives the 'e' and "1.5.2" the second point, refused by both.
///
/// Method: the digits make an integer w < 10^15 < 2^53 and the fraction f digits, so w and
/// 10^f (f <= 15 <= 22) are exact doubles and one IEEE division gives the correctly rounded
/// w / 10^f: the value fast_float (also correctly rounded; it takes this same path, Clinger's
/// fast path, for such a text) gives. A '-' makes it negative ("-0" is -0.0, as there). Only
/// where doubles are evaluated as doubles (FLT_EVAL_METHOD 0; in x87's extended precision the
/// division would be rounded twice): elsewhere always nullptr.
/// Example: "-12.50," -> w 1250, f 2, -12.5, the pointer to ','.
inline const char* scan_plain_decimal(const char* p, const char* end, double& out) noexcept {
    if constexpr (FLT_EVAL_METHOD != 0) return nullptr;
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    std::uint64_t w = 0;
    const char* const first = p;
    std::ptrdiff_t fraction = 0;
    for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p)
        w = w * 10 + static_cast<unsigned>(*p - '0');
    if (p == first) return nullptr;
    if (p < end && *p == '.') {
        const char* const point = p++;
        for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p)
            w = w * 10 + static_cast<unsigned>(*p - '0');
        fraction = p - point - 1;
        if (fraction == 0) return nullptr;
    }
    if (p - first - (fraction > 0 ? 1 : 0) > 15) return nullptr; // w may have wrapped: unused
    static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const double x = static_cast<double>(w) / powers[fraction];
    out = negative ? -x : x;
    return p;
}

/// True when a year has 366 days (proleptic Gregorian calendar).
constexpr bool is_leap(std::int64_t y) noexcept {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/// The days of month `m` (1-12) of year `y`.
constexpr unsigned days_in_month(std::int64_t y, std::int64_t m) noexcept {
    constexpr std::array<unsigned, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29U : days[static_cast<std::size_t>(m - 1)];
}

/// True, with its Unix seconds in `out`, when the 10 bytes at `p` are exactly `YYYY-MM-DD` of a
/// calendar day from 0001-01-01 on (the caller makes sure 10 bytes are there); false (and `out`
/// untouched) for anything else (a bad day, the year 0, a blank), which `parse_time_status`'s
/// general parser then reads with its own checks and reasons. Method: the eight digits are
/// checked at once in a 64-bit word (a byte is a digit when its high nibble is 3 and its low
/// nibble plus 6 stays below 16).
/// Example: "2023-02-28" -> 1677542400; "2023-02-29" -> false (then malformed).
inline bool read_plain_date(const char* s, std::int64_t& out) noexcept {
    if (s[4] != '-' || s[7] != '-') return false;
    const std::array<char, 8> b{s[0], s[1], s[2], s[3], s[5], s[6], s[8], s[9]};
    std::uint64_t w = 0;
    std::memcpy(&w, b.data(), sizeof w);
    constexpr std::uint64_t high = 0xf0f0'f0f0'f0f0'f0f0ULL;
    if ((w & high) != 0x3030'3030'3030'3030ULL ||
        (((w & ~high) + 0x0606'0606'0606'0606ULL) & high) != 0)
        return false;
    auto digit = [&b](std::size_t i) { return static_cast<unsigned>(b[i] - '0'); };
    const unsigned y = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
    const unsigned m = digit(4) * 10 + digit(5);
    const unsigned d = digit(6) * 10 + digit(7);
    if (y == 0 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
    out = days_from_civil(y, m, d) * seconds_per_day;
    return true;
}

/// The end of the canonical decimal integer that starts at `p`, with its value in `out`;
/// nullptr (and `out` untouched) when [p, end) does not start with one. Canonical: an optional
/// '-', then "0" or digits without a leading zero ("-0", "007" are not), within 64 bits
/// (-9223372036854775808 to 9223372036854775807). The integer ends at the first byte that is
/// not a digit, which the caller checks: a whole key (`end`) or a delimiter (`out` is written
/// whenever an integer is returned, as by `scan_plain_decimal`).
/// Method: up to 19 digits accumulate in 64 unsigned bits without overflow (10^19 < 2^64), so
/// the range is one comparison; longer runs are refused (they wrap, unused).
/// Example: "-42,x" -> -42 and the pointer to ','; "042" -> nullptr.
inline const char* scan_canonical_integer(const char* p, const char* end,
                                          std::int64_t& out) noexcept {
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    const char* const first = p;
    std::uint64_t v = 0;
    for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p)
        v = v * 10 + static_cast<unsigned>(*p - '0');
    const std::ptrdiff_t n = p - first;
    if (n == 0 || n > 19 || (*first == '0' && (n > 1 || negative))) return nullptr;
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (v > max + (negative ? 1 : 0)) return nullptr;
    out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
    return p;
}

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
