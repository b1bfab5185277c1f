// Tests of custometrics/detail/plain_fields.hpp: the fast readers of plain fields (decimals,
// `YYYY-MM-DD` dates, canonical integer keys). Each reader's value and end are checked against
// an independent one (std::strtod, std::from_chars, std::chrono's civil calendar) under the
// rule written out here, and the word readers against the byte-at-a-time readers of the same
// rule. Every text is read at the end of its range and with bytes after it, so that both the
// eight-byte word path and the byte path (fewer than eight bytes left) are taken.
#include "custometrics/detail/plain_fields.hpp"

#include <doctest/doctest.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <vector>

namespace cm = custometrics;

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A reader's result: the offset of its end (-1: refused) and the value's bits.
struct scanned {
    std::ptrdiff_t end = -1;
    std::uint64_t bits = 0;
    bool operator==(const scanned&) const = default;
};

template <class T> std::uint64_t bits_of(T v) {
    std::uint64_t b = 0;
    std::memcpy(&b, &v, sizeof v);
    return b;
}

// `read` on the bytes of `text`, in an allocation of their own (ASan sees a read past them).
template <class T, class Read> scanned scan(const std::string& text, Read read) {
    const std::vector<char> bytes(text.begin(), text.end());
    T out{};
    const char* const end = read(bytes.data(), bytes.data() + bytes.size(), out);
    if (end == nullptr) return {};
    return {end - bytes.data(), bits_of(out)};
}

// The plain decimal rule worked out apart from the readers: [-]digits[.digits], at most 15
// digits, a point needs a digit after it; the value strtod's ("C" locale, correctly rounded).
scanned expected_decimal(const std::string& text) {
    std::size_t i = text.starts_with('-') ? 1 : 0;
    const std::size_t first = i;
    while (i < text.size() && is_digit(text[i]))
        ++i;
    if (i == first) return {};
    std::size_t digits = i - first;
    if (i < text.size() && text[i] == '.') {
        const std::size_t point = i++;
        while (i < text.size() && is_digit(text[i]))
            ++i;
        if (i == point + 1) return {};
        digits += i - point - 1;
    }
    if (digits > 15) return {};
    const std::string number = text.substr(0, i);
    return {static_cast<std::ptrdiff_t>(i), bits_of(std::strtod(number.c_str(), nullptr))};
}

// The canonical integer rule worked out apart from the readers: std::from_chars (which takes a
// '-' and leading zeros, no '+'), then no leading zero but "0" alone, and no "-0".
scanned expected_integer(const std::string& text) {
    std::int64_t v = 0;
    const char* const b = text.data();
    const auto [ptr, ec] = std::from_chars(b, b + text.size(), v);
    if (ec != std::errc{}) return {};
    const std::size_t first = text.starts_with('-') ? 1 : 0;
    const auto n = static_cast<std::size_t>(ptr - b) - first;
    if (text[first] == '0' && (n > 1 || first == 1)) return {};
    return {ptr - b, bits_of(v)};
}

const auto decimal = [](const char* p, const char* e, double& x) {
    return cm::detail::scan_plain_decimal(p, e, x);
};
const auto decimal_bytes = [](const char* p, const char* e, double& x) {
    return cm::detail::scan_plain_decimal_bytes(p, e, x);
};
const auto integer = [](const char* p, const char* e, std::int64_t& x) {
    return cm::detail::scan_canonical_integer(p, e, x);
};
const auto integer_bytes = [](const char* p, const char* e, std::int64_t& x) {
    return cm::detail::scan_canonical_integer_bytes(p, e, x);
};

// What follows a field in its range: nothing (the range ends: fewer than eight bytes may be
// left, read one at a time), a delimiter and more fields (eight bytes loaded as a word), a line
// break, a second point, a letter.
// A text of up to 15 bytes followed by the third (18 bytes) fills two words (sixteen bytes).
const char* const afters[] = {"", ",", ",2024-01-31,17.05\n", "\r\n9,2", ".5,1234567", "e3,12345"};

// Checks both decimal readers on `text` followed by each of `afters` against
// `expected_decimal` of the same bytes.
void check_decimal(const std::string& text) {
    for (const char* after : afters) {
        const std::string bytes = text + after;
        CAPTURE(bytes);
        const scanned want = expected_decimal(bytes);
        CHECK(scan<double>(bytes, decimal) == want);
        CHECK(scan<double>(bytes, decimal_bytes) == want);
    }
}

// Checks both integer readers on `text` followed by each of `afters` against
// `expected_integer` of the same bytes.
void check_integer(const std::string& text) {
    for (const char* after : afters) {
        const std::string bytes = text + after;
        CAPTURE(bytes);
        const scanned want = expected_integer(bytes);
        CHECK(scan<std::int64_t>(bytes, integer) == want);
        CHECK(scan<std::int64_t>(bytes, integer_bytes) == want);
    }
}

// The day number (since 1970-01-01) of `text` when it is exactly YYYY-MM-DD of a day of the
// years 1-9999, by std::chrono's civil calendar; none when it is not.
std::optional<std::int64_t> expected_day(const char* text) {
    for (int i = 0; i < 10; ++i)
        if ((i == 4 || i == 7) ? text[i] != '-' : !is_digit(text[i])) return std::nullopt;
    auto number = [text](int from, int to) {
        int v = 0;
        for (int i = from; i < to; ++i)
            v = v * 10 + (text[i] - '0');
        return v;
    };
    using namespace std::chrono;
    const year_month_day ymd{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 7))},
                             day{static_cast<unsigned>(number(8, 10))}};
    if (ymd.year() == year{0} || !ymd.ok()) return std::nullopt;
    return sys_days{ymd}.time_since_epoch().count();
}

// Checks read_plain_date on the 10 bytes of `text` against `expected_day`.
void check_date(const char* text) {
    const std::optional<std::int64_t> want = expected_day(text);
    std::vector<char> bytes(text, text + 10); // exactly ten bytes: ASan sees a read past them
    std::int64_t t = -7;                      // untouched when refused
    const bool ok = cm::detail::read_plain_date(bytes.data(), t);
    const std::int64_t want_t = want ? *want * cm::seconds_per_day : -7;
    if (ok != want.has_value() || t != want_t) { // one CHECK a date would be 10^5 assertions
        CAPTURE(std::string(text, 10));
        CHECK(ok == want.has_value());
        CHECK(t == want_t);
    }
}

// The ten bytes YYYY-MM-DD of a year, month and day given as numbers 0-9999, 0-99, 0-99.
std::array<char, 10> date_text(int y, int m, int d) {
    std::array<char, 10> s{};
    const int digits[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10,
                          m / 10,   m % 10,       d / 10,      d % 10};
    const int at[] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; ++i)
        s[static_cast<std::size_t>(at[i])] = static_cast<char>('0' + digits[i]);
    s[4] = s[7] = '-';
    return s;
}

} // namespace

TEST_CASE("non_digit_bytes and eight_digits: by hand") {
    // Bytes (low to high) 0 9 0x0a 0x1e ('.' ^ '0') 0x7f 0x80 0xff 5.
    CHECK(cm::detail::non_digit_bytes(0x05ff'807f'1e0a'0900ULL) == 0x0080'8080'8080'0000ULL);
    CHECK(cm::detail::non_digit_bytes(0x0909'0909'0909'0909ULL) == 0);
    // "12345678" xor '0': byte 0 is 1. "00000042": 42. "99999999": 99,999,999.
    CHECK(cm::detail::eight_digits(0x0807'0605'0403'0201ULL) == 12'345'678);
    CHECK(cm::detail::eight_digits(0x0204'0000'0000'0000ULL) == 42);
    CHECK(cm::detail::eight_digits(0x0909'0909'0909'0909ULL) == 99'999'999);
}

TEST_CASE("read_plain_date: every day of 1-8, 1880-2120 and 9992-9999 against std::chrono") {
    // Each day of the spans, written out from std::chrono's civil date of its day number.
    using namespace std::chrono;
    long count = 0;
    for (const auto& [from, to] : {std::pair{1, 8}, {1880, 2120}, {9992, 9999}}) {
        for (sys_days d{year_month_day{year{from}, January, day{1}}};
             d <= sys_days{year_month_day{year{to}, December, day{31}}}; d += days{1}) {
            const year_month_day ymd{d};
            const std::array<char, 10> s =
                date_text(static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                          static_cast<int>(unsigned(ymd.day())));
            std::int64_t t = 0;
            if (!cm::detail::read_plain_date(s.data(), t) ||
                t != d.time_since_epoch().count() * cm::seconds_per_day) {
                CAPTURE(std::string(s.data(), 10));
                CHECK(t == d.time_since_epoch().count() * cm::seconds_per_day);
            }
            ++count;
        }
    }
    CHECK(count == (8 + 241 + 8) * 365 + 2 + 59 + 2); // the leap days, counted by hand
}

TEST_CASE(
    "read_plain_date: months 00-15 and 99, days 00-33 and 99 of common, leap, century years") {
    // Feb 29 only in leap years (2024, 2000, 2400, 4, 1600 yes; 2023, 1900, 2100, 1700, 1 no),
    // day 00, month 00 and 13-99, days 32-99 refused; the year 0 refused (before 0001-01-01).
    for (const int y : {0, 1, 4, 100, 1600, 1700, 1900, 1970, 2000, 2023, 2024, 2100, 2400, 9999})
        for (int m = 0; m <= 16; ++m)
            for (int d = 0; d <= 34; ++d)
                check_date(date_text(y, m == 16 ? 99 : m, d == 34 ? 99 : d).data());
    std::int64_t t = 0;
    CHECK(!cm::detail::read_plain_date("1900-02-29", t));
    CHECK(cm::detail::read_plain_date("2000-02-29", t));
    CHECK(t == 951782400); // by hand: 2000-01-01 is 946684800, + 59 days
    CHECK(!cm::detail::read_plain_date("2100-02-29", t));
    CHECK(!cm::detail::read_plain_date("2023-13-01", t));
    CHECK(!cm::detail::read_plain_date("2023-01-00", t));
}

TEST_CASE("read_plain_date: every byte value at every position of a date") {
    // Each byte of "2024-02-29" and "1999-12-31" replaced by each of the 256 byte values: valid
    // only where a digit gives another real day; dashes only at 4 and 7.
    for (const char* base : {"2024-02-29", "1999-12-31", "0001-01-01"})
        for (int i = 0; i < 10; ++i)
            for (int b = 0; b < 256; ++b) {
                char s[10];
                std::memcpy(s, base, 10);
                s[i] = static_cast<char>(b);
                check_date(s);
            }
}

TEST_CASE("scan_plain_decimal: edge texts against strtod, both readers") {
    const char* const texts[] = {"0",
                                 "-0",
                                 "-0.0",
                                 "0.0",
                                 "00",
                                 "007.50",
                                 "-007.50",
                                 "5",
                                 "5.",
                                 "-5.",
                                 ".5",
                                 "-.5",
                                 "-",
                                 "",
                                 "+5",
                                 "1.5.2",
                                 "1.5e3",
                                 "17.05",
                                 "123456789012345",
                                 "12345678901234.5",
                                 "0.00000000000001",
                                 "0.000000000000001",
                                 "0.0000000000000001",
                                 "1234567890123456",
                                 "12345678.1234567",
                                 "1234567.12345678",
                                 "999999999999999",
                                 "9999999.99999999",
                                 "1234567.",
                                 "1234567.8",
                                 "12345678",
                                 "123456789",
                                 "12345678.9",
                                 "0000000000000001",
                                 "000000000000001",
                                 "-000000000000001",
                                 "9.99999999999999",
                                 "0.1",
                                 "0.3",
                                 "99999.99",
                                 // 8-17 bytes: two words (the point in the first, in the
                                 // second, none), a point or a second point at each end.
                                 "12345678.9",
                                 "-12345678.9",
                                 "1234567.8",
                                 "12.3456789012",
                                 "-1.23456789012345",
                                 "12345678.",
                                 "-1234567.",
                                 "12345678.1.2",
                                 "123.45678.9",
                                 "123456789012.345",
                                 "1234567890.12345",
                                 "12345678901234.5",
                                 "123456789012345.",
                                 "00000000.000001",
                                 "000000000000.5",
                                 "9999999999.99999",
                                 "99999999.9999999"};
    for (const char* text : texts)
        check_decimal(text);
}

TEST_CASE("scan_plain_decimal: random texts of 1-20 digits, points and signs, against strtod") {
    // Digit counts 1, 15, 16, 17, 19, 20 and all between; the point anywhere (also first or
    // last), leading zeros, a '-' or not. 15 fraction digits divide by 10^15, the largest power.
    std::mt19937_64 rng(18);
    for (int i = 0; i < 2500; ++i) {
        const auto digits = static_cast<int>(1 + rng() % 20);
        const auto point = static_cast<int>(rng() % static_cast<std::uint64_t>(digits + 2)) - 1;
        std::string text = rng() % 3 == 0 ? "-" : "";
        for (int d = 0; d < digits; ++d) {
            if (d == point) text += '.';
            text += static_cast<char>('0' + (rng() % 4 == 0 ? 0 : rng() % 10));
        }
        if (point == digits) text += '.';
        check_decimal(text);
    }
}

TEST_CASE("scan_canonical_integer: edge texts against from_chars, both readers") {
    const char* const texts[] = {"0",
                                 "-0",
                                 "00",
                                 "007",
                                 "-007",
                                 "+1",
                                 "-",
                                 "",
                                 "1",
                                 "-1",
                                 "1234567",
                                 "12345678",
                                 "-1234567",
                                 "-12345678",
                                 "9999999",
                                 "10000000",
                                 "9223372036854775807",
                                 "9223372036854775808",
                                 "-9223372036854775808",
                                 "-9223372036854775809",
                                 "18446744073709551615",
                                 "18446744073709551616",
                                 "99999999999999999999",
                                 "1000000000000000000",
                                 "12.5",
                                 "1e3",
                                 // 8-19 digits: two words up to 15, the bytes beyond.
                                 "99999999",
                                 "-99999999",
                                 "123456789",
                                 "100000000000000",
                                 "999999999999999",
                                 "-999999999999999",
                                 "1234567890123456",
                                 "12345678901234567",
                                 "123456789012345678",
                                 "00000000",
                                 "000000000",
                                 "0123456789012",
                                 "-0123456789",
                                 "+123456789",
                                 "12345678-9",
                                 "123456789012.5"};
    for (const char* text : texts)
        check_integer(text);
}

TEST_CASE("scan_canonical_integer: random texts of 1-21 digits against from_chars") {
    std::mt19937_64 rng(42);
    for (int i = 0; i < 2500; ++i) {
        const auto digits = static_cast<int>(1 + rng() % 21);
        std::string text = rng() % 3 == 0 ? "-" : "";
        for (int d = 0; d < digits; ++d)
            text += static_cast<char>('0' + (d == 0 && rng() % 5 == 0 ? 0 : rng() % 10));
        check_integer(text);
    }
}
