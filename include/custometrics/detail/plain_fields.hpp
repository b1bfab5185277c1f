// The fast paths of the field rules: a plain decimal (number.hpp's rule), a plain `YYYY-MM-DD`
// date (date.hpp's rule) and a canonical integer key (csv.cpp's key rule), each read from the
// front of a byte range. `read_number`, `parse_time_status` and the CSV key columns take them
// first on a whole field; the transaction reader's one-pass record parse (csv.cpp, `row_layout::
// parse_plain`) takes them straight from the record's bytes and then expects a delimiter. So a
// field is accepted by the one pass exactly when its text is accepted by the fast path of the
// general rule, and gives the same value: one function for both.
//
// Each reader looks at the eight bytes at its start as one 64-bit word (SWAR, "SIMD within a
// register"; a date at its ten bytes as two words): which bytes are digits is one mask, a run's
// length the mask's lowest set bit, its value three multiplications (`eight_digits`), with no
// branch per digit. A number or key that does not end within those eight bytes but within
// sixteen is read from two words (`scan_plain_decimal_long`, `scan_canonical_integer_long`,
// not inlined); one that is longer (or where fewer bytes are left before the range's end than
// the words need, or on a big-endian machine) by the byte-at-a-time reader of the same rule
// (`scan_plain_decimal_bytes`, `scan_canonical_integer_bytes`), which tests also hold the word
// readers against. No byte at or past the range's end is read (a mapped file ends there).
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/date.hpp"

#include <array>
#include <bit>
#include <cfloat>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>

#if defined(__GNUC__) || defined(__clang__)
// The word readers are inlined into the record parse (csv.cpp); the byte readers, their rare
// path, are not, so that they do not crowd the registers of the common one.
#define CUSTOMETRICS_PLAIN_INLINE inline __attribute__((always_inline))
#define CUSTOMETRICS_PLAIN_NOINLINE __attribute__((noinline))
// The same for a lambda of the record parse, after its parameter list.
#define CUSTOMETRICS_PLAIN_LAMBDA_INLINE __attribute__((always_inline))
#else
#define CUSTOMETRICS_PLAIN_INLINE inline
#define CUSTOMETRICS_PLAIN_NOINLINE
#define CUSTOMETRICS_PLAIN_LAMBDA_INLINE
#endif

CUSTOMETRICS_BEGIN_NAMESPACE

namespace detail {

/// Whether the plain-field readers take eight bytes at a time: on little-endian machines, where
/// the first byte of a range is the lowest byte of the word loaded from it.
inline constexpr bool plain_words = std::endian::native == std::endian::little;

/// The eight bytes at `p` as one word xor '0' in every byte: a digit byte is then its value
/// 0-9, and xor maps no other byte into 0-9.
CUSTOMETRICS_PLAIN_INLINE std::uint64_t digit_word(const char* p) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, p, sizeof w);
    return w ^ 0x3030'3030'3030'3030ULL;
}

/// 0x80 in each byte of `x` above 9 (no digit, for `x` from `digit_word`), 0 in each other.
/// Exact for every byte, as `zero_bytes` (byte_scan.hpp): `(x & 0x7f..) + 0x76..` sets a byte's
/// high bit when its low seven bits exceed 9, without a carry into the next byte; or-ing `x`
/// adds the bytes at or above 0x80. Example: `non_digit_bytes(0x0a09) == 0x8000`.
constexpr std::uint64_t non_digit_bytes(std::uint64_t x) noexcept {
    return (((x & 0x7f7f'7f7f'7f7f'7f7fULL) + 0x7676'7676'7676'7676ULL) | x) &
           0x8080'8080'8080'8080ULL;
}

/// The value of the eight decimal digits in the bytes of `x` (each 0-9), the lowest byte the
/// most significant: 0 to 99,999,999; k < 8 digits shifted up by 8 * (8 - k) bits read as
/// eight whose first 8 - k are zeros. Method (fast_float's `parse_eight_digits_unrolled`, after
/// Lemire): `x * 10 + (x >> 8)` puts each pair of digits in its even byte (no byte carries:
/// 9 * 10 + 9 < 256); two multiplications weigh the four pairs by 10^6, 10^4, 10^2 and 1 and
/// add them in the upper 32 bits. Example: the bytes 1 2 3 4 5 6 7 8 -> 12,345,678.
constexpr std::uint32_t eight_digits(std::uint64_t x) noexcept {
    constexpr std::uint64_t mask = 0x0000'00ff'0000'00ffULL;
    constexpr std::uint64_t mul1 = 100 + (1'000'000ULL << 32);
    constexpr std::uint64_t mul2 = 1 + (10'000ULL << 32);
    x = x * 10 + (x >> 8);
    return static_cast<std::uint32_t>(((x & mask) * mul1 + ((x >> 16) & mask) * mul2) >> 32);
}

/// 10^0 to 10^8 as integers.
inline constexpr std::array<std::uint64_t, 9> powers_of_ten{
    1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000};

/// The digits 0-9 of the `k` (0-7) lowest bytes of `x` (from `digit_word`) as a number:
/// `eight_digits` of them moved to the top of the word; 0 for none.
CUSTOMETRICS_PLAIN_INLINE std::uint64_t low_digits(std::uint64_t x, unsigned k) noexcept {
    return k == 0 ? 0 : eight_digits(x << (64 - 8 * k));
}

/// 10^0 to 10^15, each an exact double.
inline constexpr std::array<double, 16> exact_powers_of_ten{
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/// `scan_plain_decimal` one byte at a time: its path for a number that does not end within the
/// first eight bytes after its sign, or near the range's end, and its reference in the tests.
CUSTOMETRICS_PLAIN_NOINLINE inline const char*
scan_plain_decimal_bytes(const char* p, const char* end, double& out) noexcept {
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
    const double x =
        static_cast<double>(w) / exact_powers_of_ten[static_cast<std::size_t>(fraction)];
    out = negative ? -x : x;
    return p;
}

/// `scan_plain_decimal` of the number at `q` (its sign, `negative`, before it) from the word of
/// the eight bytes at `q`: true, with the reader's result in `result` (its end, or nullptr when
/// refused), where the word decides; false where the number does not end within the word (then
/// the byte reader decides).
CUSTOMETRICS_PLAIN_INLINE bool plain_decimal_in_word(const char* q, bool negative, double& out,
                                                     const char*& result) noexcept {
    const std::uint64_t x = digit_word(q);
    const std::uint64_t stop = non_digit_bytes(x);
    const auto n = static_cast<unsigned>(std::countr_zero(stop)) / 8; // 8: none
    result = nullptr;
    if (n == 0) return true;
    if (n == 8) return false;
    if (((x >> (8 * n)) & 0xff) != ('.' ^ '0')) { // n digits, no point
        const auto v = static_cast<double>(eight_digits(x << (64 - 8 * n)));
        out = negative ? -v : v;
        result = q + n;
        return true;
    }
    const std::uint64_t after = stop & (stop - 1); // the stops after the point
    if (after == 0) return false;
    const auto e = static_cast<unsigned>(std::countr_zero(after)) / 8; // the end
    if (e == n + 1) return true;                                       // "5."
    const std::uint64_t high = ~std::uint64_t{0} << (8 * n);
    const std::uint64_t digits = (x & ~high) | ((x >> 8) & high); // e - 1 of them
    const double v =
        static_cast<double>(eight_digits(digits << (72 - 8 * e))) / exact_powers_of_ten[e - n - 1];
    out = negative ? -v : v;
    result = q + e;
    return true;
}

/// `scan_plain_decimal` of a number that does not end within the eight bytes after its sign
/// (at `q`): one that ends within sixteen bytes, with sixteen bytes left, is read from two
/// words; any other by `scan_plain_decimal_bytes`. The first word holds eight digits, or
/// digits, a point and digits; the second's first non-digit byte is then the end, or the point
/// (after eight digits) and its next non-digit byte the end. Its at most 15 digits, the point
/// taken out as in `plain_decimal_in_word`, give w in two `eight_digits`. Not inlined: the
/// common number is shorter.
CUSTOMETRICS_PLAIN_NOINLINE inline const char*
scan_plain_decimal_long(const char* p, const char* end, double& out) noexcept {
    if constexpr (plain_words && FLT_EVAL_METHOD == 0) {
        const bool negative = p < end && *p == '-';
        const char* const q = p + (negative ? 1 : 0);
        if (end - q >= 16) {
            const std::uint64_t x = digit_word(q);
            const std::uint64_t y = digit_word(q + 8);
            const std::uint64_t x_stop = non_digit_bytes(x);
            const std::uint64_t y_stop = non_digit_bytes(y);
            const auto n = static_cast<unsigned>(std::countr_zero(x_stop)) / 8; // 8: none
            const auto m = static_cast<unsigned>(std::countr_zero(y_stop)) / 8;
            constexpr std::uint64_t point = '.' ^ '0';
            // Where the word reader left it: n digits, the point and 7 - n digits (n >= 1, no
            // other stop in x), or eight digits.
            const bool word_left = n == 8 || (n >= 1 && ((x >> (8 * n)) & 0xff) == point &&
                                              (x_stop & (x_stop - 1)) == 0);
            if (word_left && m < 8) {
                std::uint64_t w = 0;
                unsigned fraction = 0;
                unsigned e = 8 + m; // the end, from q
                if (n < 8) {        // the fraction goes on in y, to its first stop
                    const std::uint64_t high = ~std::uint64_t{0} << (8 * n);
                    const std::uint64_t digits = (x & ~high) | ((x >> 8) & high); // seven
                    w = eight_digits(digits << 8) * powers_of_ten[m] + low_digits(y, m);
                    fraction = 7 - n + m;
                    if (fraction == 0) return nullptr;         // "1234567."
                } else if (((y >> (8 * m)) & 0xff) == point) { // 8 + m digits, the point
                    const std::uint64_t after = y_stop & (y_stop - 1);
                    e = after == 0 ? 16 : 8 + static_cast<unsigned>(std::countr_zero(after)) / 8;
                    if (e == 8 + m + 1) return nullptr; // "12345678."
                    if (e < 16) {
                        const std::uint64_t high = ~std::uint64_t{0} << (8 * m);
                        const std::uint64_t digits = (y & ~high) | ((y >> 8) & high);
                        w = eight_digits(x) * powers_of_ten[e - 9] + low_digits(digits, e - 9);
                        fraction = e - 9 - m;
                    }
                } else { // 8 + m digits
                    w = eight_digits(x) * powers_of_ten[m] + low_digits(y, m);
                }
                if (e < 16) {
                    const double v = static_cast<double>(w) / exact_powers_of_ten[fraction];
                    out = negative ? -v : v;
                    return q + e;
                }
            }
        }
    }
    return scan_plain_decimal_bytes(p, end, out);
}

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
/// division would be rounded twice): elsewhere always nullptr. A number that ends within the
/// eight bytes after its sign is read from one word: its first non-digit byte is the point
/// or the end; after a point, the next non-digit byte is the end, and the fraction's digits
/// are shifted down one byte over the point, so that one `eight_digits` gives w. One that ends
/// within sixteen bytes is read from two words (`scan_plain_decimal_long`).
/// Example: "-12.50," -> w 1250, f 2, -12.5, the pointer to ','.
CUSTOMETRICS_PLAIN_INLINE const char* scan_plain_decimal(const char* p, const char* end,
                                                         double& out) noexcept {
    if constexpr (plain_words && FLT_EVAL_METHOD == 0) {
        const bool negative = p < end && *p == '-';
        const char* const q = p + (negative ? 1 : 0);
        const char* result = nullptr;
        if (end - q >= 8 && plain_decimal_in_word(q, negative, out, result)) return result;
    }
    return scan_plain_decimal_long(p, end, out);
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

/// The days of each month 0-99 (0 where there is no such month) and the days before each month
/// 1-12, in a common year ([0]) and in a leap year ([1]): `read_plain_date`'s tables.
struct plain_month_table {
    std::array<std::array<std::uint8_t, 100>, 2> length{};
    std::array<std::array<std::uint16_t, 13>, 2> before{};
};

/// `plain_month_table` of the Gregorian calendar (February 28 days, 29 in a leap year).
inline constexpr plain_month_table plain_months = [] {
    constexpr std::array<std::uint8_t, 13> days{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    plain_month_table t;
    for (unsigned leap = 0; leap < 2; ++leap) {
        for (unsigned m = 1; m <= 12; ++m) {
            t.length[leap][m] = static_cast<std::uint8_t>(days[m] + (m == 2 ? leap : 0));
            if (m < 12) {
                t.before[leap][m + 1] =
                    static_cast<std::uint16_t>(t.before[leap][m] + t.length[leap][m]);
            }
        }
    }
    return t;
}();

/// The days from 1970-01-01 to January 1st of each year `first` to `first + 127`, and whether
/// it is a leap year: `read_plain_date`'s table for the years of most logs (no division).
struct plain_year_table {
    static constexpr std::uint32_t first = 1970;
    static constexpr std::uint32_t count = 128;
    std::array<std::int32_t, count> days{};
    std::array<std::uint8_t, count> leap{};
};

/// `plain_year_table` of the Gregorian calendar.
inline constexpr plain_year_table plain_years = [] {
    plain_year_table t;
    std::int32_t days = 0;
    for (std::uint32_t i = 0; i < plain_year_table::count; ++i) {
        const std::uint32_t y = plain_year_table::first + i;
        t.days[i] = days;
        t.leap[i] = is_leap(y) ? 1 : 0;
        days += is_leap(y) ? 366 : 365;
    }
    return t;
}();

/// True, with its Unix seconds in `out`, when the 10 bytes at `s` are exactly `YYYY-MM-DD` of a
/// calendar day from 0001-01-01 on (the caller makes sure 10 bytes are there); false (and `out`
/// untouched) for anything else (a bad day, the year 0, a blank), which `parse_time_status`'s
/// general parser then reads with its own checks and reasons.
///
/// Method: bytes 0-7 (`YYYY-MM-`) and bytes 2-9 (`YY-MM-DD`) as two words, each xor its
/// expected text with '0' for a digit and '-' for a dash: a digit is then its value 0-9 and a
/// dash 0, and one mask (`non_digit_bytes`'s, with 0x7f added where a 0 is due) checks all
/// ten bytes. `x * 10 + (x >> 8)` pairs the digits (as in `eight_digits`): the two halves of
/// the year and the month in the first word, the day in the second. Then a table by month
/// (0 where no month) of the days in it and of the days before it, one for common years and
/// one for leap years. A year of 1970-2097 takes its leap flag and the days before it from
/// `plain_years`; for any other the day number since 1970-01-01 counts the days of the years
/// before (365 each and a leap day every 4th year, not every 100th, every 400th). Then the days
/// of the months before in the year and of the days before in the month. A year of 1-9999 is a
/// leap year when divisible by 4, or by 16 where divisible by 25 (by 100 as by 4: 400 = 16 * 25).
/// Example: "2023-02-28" -> 1677542400; "2023-02-29" -> false (then malformed).
CUSTOMETRICS_PLAIN_INLINE bool read_plain_date(const char* s, std::int64_t& out) noexcept {
    std::uint32_t year = 0;
    std::uint32_t month = 0;
    std::uint32_t day = 0;
    if constexpr (plain_words) {
        // "YYYY-MM-" and "YY-MM-DD" xor '0', then xor ('0' ^ '-') at the dashes.
        const std::uint64_t a = digit_word(s) ^ 0x1d00'001d'0000'0000ULL;
        const std::uint64_t b = digit_word(s + 2) ^ 0x0000'1d00'001d'0000ULL;
        constexpr std::uint64_t low7 = 0x7f7f'7f7f'7f7f'7f7fULL;
        const std::uint64_t bad = ((a & low7) + 0x7f76'767f'7676'7676ULL) | a |
                                  ((b & low7) + 0x7676'7f76'767f'7676ULL) | b;
        if ((bad & 0x8080'8080'8080'8080ULL) != 0) return false;
        const std::uint64_t pairs = a * 10 + (a >> 8); // byte 0: YY.., 2: ..YY, 5: MM
        year = static_cast<std::uint32_t>(pairs & 0xff) * 100 +
               static_cast<std::uint32_t>((pairs >> 16) & 0xff);
        month = static_cast<std::uint32_t>((pairs >> 40) & 0xff);
        day = static_cast<std::uint32_t>(((b >> 48) & 0xff) * 10 + (b >> 56));
    } else {
        if (s[4] != '-' || s[7] != '-') return false;
        for (const int i : {0, 1, 2, 3, 5, 6, 8, 9})
            if (static_cast<unsigned>(s[i] - '0') >= 10) return false;
        auto digit = [s](int i) { return static_cast<std::uint32_t>(s[i] - '0'); };
        year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
        month = digit(5) * 10 + digit(6);
        day = digit(8) * 10 + digit(9);
    }
    const std::uint32_t from_first = year - plain_year_table::first;
    if (from_first < plain_year_table::count) { // the days before the year from the table
        const unsigned leap = plain_years.leap[from_first];
        if (day - 1 >= plain_months.length[leap][month]) return false;
        const std::int64_t days =
            std::int64_t{plain_years.days[from_first]} + plain_months.before[leap][month] + day - 1;
        out = days * seconds_per_day;
        return true;
    }
    const unsigned leap = (year & (year % 25 != 0 ? 3U : 15U)) == 0 ? 1 : 0;
    if (year == 0 || day - 1 >= plain_months.length[leap][month]) return false;
    const std::uint32_t y = year - 1; // the years before
    const std::uint32_t centuries = y / 100;
    const std::int64_t days = std::int64_t{365} * y + y / 4 - centuries + centuries / 4 +
                              plain_months.before[leap][month] + day - 1 +
                              days_from_civil(1, 1, 1); // 0001-01-01 is day 0 of this count
    out = days * seconds_per_day;
    return true;
}

/// `scan_canonical_integer` one byte at a time: its path for a key that does not end within
/// the first eight bytes after its sign, or near the range's end, and its reference in the
/// tests.
CUSTOMETRICS_PLAIN_NOINLINE inline const char*
scan_canonical_integer_bytes(const char* p, const char* end, std::int64_t& out) noexcept {
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

/// `scan_canonical_integer` of a key that does not end within the eight bytes after its sign:
/// a key of 8 to 15 digits that ends within sixteen bytes, with sixteen bytes left, is read
/// from two words (the first eight digits, then the rest); any other by
/// `scan_canonical_integer_bytes`. Not inlined: the common key is shorter.
CUSTOMETRICS_PLAIN_NOINLINE inline const char*
scan_canonical_integer_long(const char* p, const char* end, std::int64_t& out) noexcept {
    if constexpr (plain_words) {
        const bool negative = p < end && *p == '-';
        const char* const q = p + (negative ? 1 : 0);
        if (end - q >= 16) {
            const std::uint64_t x = digit_word(q);
            const std::uint64_t y = digit_word(q + 8);
            const auto m = static_cast<unsigned>(std::countr_zero(non_digit_bytes(y))) / 8;
            if (non_digit_bytes(x) == 0 && m < 8) {  // 8 + m <= 15 digits: within 64 bits
                if ((x & 0xff) == 0) return nullptr; // a leading zero
                const auto v = static_cast<std::int64_t>(eight_digits(x) * powers_of_ten[m] +
                                                         low_digits(y, m));
                out = negative ? -v : v;
                return q + 8 + m;
            }
        }
    }
    return scan_canonical_integer_bytes(p, end, out);
}

/// The end of the canonical decimal integer that starts at `p`, with its value in `out`;
/// nullptr (and `out` untouched) when [p, end) does not start with one. Canonical: an optional
/// '-', then "0" or digits without a leading zero ("-0", "007" are not), within 64 bits
/// (-9223372036854775808 to 9223372036854775807). The integer ends at the first byte that is
/// not a digit, which the caller checks: a whole key (`end`) or a delimiter (`out` is written
/// whenever an integer is returned, as by `scan_plain_decimal`).
/// Method: up to 19 digits accumulate in 64 unsigned bits without overflow (10^19 < 2^64), so
/// the range is one comparison; longer runs are refused (they wrap, unused). A key of at most
/// seven digits that ends within the eight bytes after its sign is read from one word
/// (`eight_digits`: no range to check), one of 8 to 15 digits from two
/// (`scan_canonical_integer_long`).
/// Example: "-42,x" -> -42 and the pointer to ','; "042" -> nullptr.
CUSTOMETRICS_PLAIN_INLINE const char* scan_canonical_integer(const char* p, const char* end,
                                                             std::int64_t& out) noexcept {
    if constexpr (plain_words) {
        const bool negative = p < end && *p == '-';
        const char* const q = p + (negative ? 1 : 0);
        if (end - q >= 8) {
            const std::uint64_t x = digit_word(q);
            const auto n = static_cast<unsigned>(std::countr_zero(non_digit_bytes(x))) / 8;
            if (n < 8) { // n digits (none: refused), the first a zero only alone and unsigned
                if (n == 0 || ((x & 0xff) == 0 && (n > 1 || negative))) return nullptr;
                const auto v = static_cast<std::int64_t>(eight_digits(x << (64 - 8 * n)));
                out = negative ? -v : v;
                return q + n;
            }
        }
    }
    return scan_canonical_integer_long(p, end, out);
}

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
