// A minimal streaming JSON writer for the command-line tool's `--format json` output, and a
// reader of flat objects of numbers (rule and cost-rate files).
//
// Writes objects, arrays, strings (escaped per RFC 8259), integers, booleans and doubles in
// the shortest form that reads back to the same value; a NaN or infinite double is written as
// `null` (JSON has no such numbers). Commas are inserted automatically.
//
// The output is always valid UTF-8 (RFC 8259 section 8.1): a key or string value that is not
// well-formed UTF-8 (a Latin-1 customer key "M\xfcller", a segment name from a map file in
// another encoding) throws `data_error` naming the value, its bytes escaped as \xNN, and the
// offset of the first bad byte, rather than writing bytes no JSON reader accepts or silently
// replacing them with U+FFFD (which would change keys and could merge two of them). The fix is
// to convert the input to UTF-8 (`iconv -f latin1 -t utf-8`).
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/utf8.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// The shortest round-trip decimal text of `x` in [0.001, 1) (a share: a cumulative share of a
/// Pareto curve), as `std::to_chars(first, last, x)` writes it ("0.1234..."), written at `out`
/// (room for 24 bytes); returns the end, or nullptr for the few values it leaves to `to_chars`.
///
/// Method (the idea of Ryu, Adams 2018, in exact 128-bit integers for this range only). With
/// x = m 2^e (m the 53-bit significand), every decimal strictly between the midpoints (m -
/// 1/2) 2^e and (m + 1/2) 2^e to the neighbouring doubles reads back as x. Scaled by 10^P, P =
/// 16 + k for x in [10^-k, 10^(1-k)), k = 1..3, the three are (2m - 1, 2m, 2m + 1) 10^P /
/// 2^(1-e): products below 2^118, exact; x 10^P has 17 digits before the point and the
/// interval is wider than 1 (10^P 2^e >= 1.08). Neither midpoint is an integer at this scale
/// ((2m +- 1) 5^P is odd, and 1 - e > P), so the interval holds the integers lo..hi with no
/// question of its ends. The fewest digits are those of the largest power 10^j with a
/// multiple in lo..hi (Ryu's loop: drop a digit of hi and of lo - 1 while they differ), and
/// of those multiples the one nearest x, x 10^P rounded at 10^j, is the text to_chars writes:
/// the shortest, then the closest. Left to to_chars: a power of two (its lower neighbour is
/// nearer, the interval lopsided) and an exact tie between two nearest (which to_chars breaks
/// to the even digit). Fixed notation is the shorter (or the tie) for every such text below
/// 1 and at or above 0.001. The test holds it to to_chars' text on millions of values.
inline char* write_fraction(char* out, double x) noexcept {
#ifdef __SIZEOF_INT128__
    __extension__ using u128 = unsigned __int128; // GCC and Clang; elsewhere to_chars writes all
    static constexpr std::uint64_t pow10[20] = {1ULL,
                                                10ULL,
                                                100ULL,
                                                1000ULL,
                                                10000ULL,
                                                100000ULL,
                                                1000000ULL,
                                                10000000ULL,
                                                100000000ULL,
                                                1000000000ULL,
                                                10000000000ULL,
                                                100000000000ULL,
                                                1000000000000ULL,
                                                10000000000000ULL,
                                                100000000000000ULL,
                                                1000000000000000ULL,
                                                10000000000000000ULL,
                                                100000000000000000ULL,
                                                1000000000000000000ULL,
                                                10000000000000000000ULL};
    if (!(x >= 1e-3 && x < 1.0)) return nullptr;
    const auto bits = std::bit_cast<std::uint64_t>(x);
    constexpr std::uint64_t hidden = std::uint64_t{1} << 52;
    const std::uint64_t m = (bits & (hidden - 1)) | hidden;
    if (m == hidden) return nullptr; // a power of two: the interval is lopsided
    const int e = static_cast<int>(bits >> 52) - 1075;           // x = m 2^e, e in [-62, -53]
    const int p = x >= 0.1 ? 17 : x >= 0.01 ? 18 : 19;           // P = 16 + k
    const auto s = static_cast<unsigned>(1 - e);                 // 54..63
    const u128 scaled = static_cast<u128>(2 * m) * pow10[p];     // 2m 10^P
    const auto x_int = static_cast<std::uint64_t>(scaled >> s);  // floor(x 10^P) < 10^17
    const u128 x_frac = scaled & ((u128{1} << s) - 1);           // its fraction, over 2^s
    const std::uint64_t lo = static_cast<std::uint64_t>((scaled - pow10[p]) >> s) + 1;
    const auto hi = static_cast<std::uint64_t>((scaled + pow10[p]) >> s);
    std::uint64_t vp = hi;
    std::uint64_t vm = lo - 1;
    unsigned j = 0;
    while (vp / 10 > vm / 10) {
        vp /= 10;
        vm /= 10;
        ++j;
    }
    // x 10^P / 10^j rounded to the nearest integer; a tie goes to to_chars.
    const std::uint64_t unit = pow10[j];
    std::uint64_t c = x_int / unit;
    const std::uint64_t r = x_int % unit;
    if (j == 0) {
        const u128 half = u128{1} << (s - 1);
        if (x_frac == half) return nullptr;
        c += x_frac > half ? 1 : 0;
    } else {
        const std::uint64_t half = unit / 2;
        if (r == half && x_frac == 0) return nullptr;
        c += r > half || (r == half && x_frac != 0) ? 1 : 0;
    }
    if (c * unit < lo || c * unit > hi) return nullptr; // cannot happen (see above); safe
    // c 10^(j - P): "0.", zeros, the digits of c (no trailing zero: c 10^j is no multiple of
    // 10^(j+1), by the choice of j).
    std::array<char, 20> digits; // NOLINT(cppcoreguidelines-pro-type-member-init): written next
    const char* end = std::to_chars(digits.data(), digits.data() + digits.size(), c).ptr;
    const auto d = static_cast<unsigned>(end - digits.data());
    const unsigned after_point = static_cast<unsigned>(p) - j; // > d - 1: the text is below 1
    *out++ = '0';
    *out++ = '.';
    for (unsigned z = d; z < after_point; ++z)
        *out++ = '0';
    return std::copy(static_cast<const char*>(digits.data()), end, out);
#else
    (void)x;
    (void)out;
    return nullptr;
#endif
}

/// The shortest round-trip decimal text of `x`, as `std::to_chars(first, last, x)` writes it,
/// written at `out` (room for 32 bytes); returns the end. Whole numbers below 10^15 are written
/// as integers (100000, not the shorter 1e+05), and so is -0.0: as "0", which reads back as a
/// number equal to it (where `to_chars` writes "-0"). "nan"/"inf" are the caller's business.
///
/// Amounts of money (at most two decimal places) skip the general algorithm: when the nearest
/// double to the decimal m/100 (m = x * 100 rounded) is `x` itself, that decimal, its trailing
/// zero dropped, is the text `to_chars` gives. It reads back as `x` (the quotient m / 100.0 of
/// two exact doubles is correctly rounded, as `strtod` of its text is), and no other text of as
/// few digits does: below 2^30 two doubles 0.01 apart are distinct, so every other decimal of at
/// most two places names another double, and one of fewer digits has at most two places. Fixed
/// notation is the shorter one for every such non-whole number.
inline char* write_double(char* out, double x) noexcept {
    const double ax = std::abs(x);
    if (ax < 1e15 && x == std::trunc(x))
        return std::to_chars(out, out + 32, static_cast<std::int64_t>(x)).ptr;
    if (ax < 0x1p30) {
        const double scaled = ax * 100.0;
        const auto m = static_cast<std::uint64_t>(scaled + 0.5);
        if (static_cast<double>(m) / 100.0 == ax) {
            if (x < 0) *out++ = '-';
            out = std::to_chars(out, out + 24, m / 100).ptr;
            const auto cents = static_cast<unsigned>(m % 100); // 1..99: x is not whole
            *out++ = '.';
            *out++ = static_cast<char>('0' + cents / 10);
            if (cents % 10 != 0) *out++ = static_cast<char>('0' + cents % 10);
            return out;
        }
    }
    if (ax >= 1e-3 && ax < 1.0) { // a share: `write_fraction`, unless it leaves x to to_chars
        char* const first = out;
        if (x < 0) *out++ = '-';
        if (char* end = write_fraction(out, ax)) return end;
        out = first;
    }
    return std::to_chars(out, out + 32, x).ptr;
}

/// `write_double` into `buf`, as a view of the text.
inline std::string_view format_double(double x, std::array<char, 32>& buf) {
    return {buf.data(), static_cast<std::size_t>(write_double(buf.data(), x) - buf.data())};
}

class json_writer {
public:
    explicit json_writer(std::ostream& out) : m_out(out) {}

    json_writer& begin_object() {
        open('{');
        return *this;
    }
    json_writer& end_object() {
        close('}');
        return *this;
    }
    json_writer& begin_array() {
        open('[');
        return *this;
    }
    json_writer& end_array() {
        close(']');
        return *this;
    }

    /// Writes `"name":` inside an object; the next call writes its value.
    json_writer& key(std::string_view name) {
        comma();
        string(name);
        m_out << ':';
        m_after_key = true;
        return *this;
    }
    json_writer& value(std::string_view s) {
        comma();
        string(s);
        return *this;
    }
    json_writer& value(const char* s) { return value(std::string_view(s)); }
    json_writer& value(bool b) {
        comma();
        m_out << (b ? "true" : "false");
        return *this;
    }
    json_writer& value(std::int64_t v) {
        comma();
        m_out << v;
        return *this;
    }
    json_writer& value(std::uint64_t v) {
        comma();
        m_out << v;
        return *this;
    }
    json_writer& value(int v) { return value(static_cast<std::int64_t>(v)); }
    json_writer& value(double x) {
        comma();
        if (!std::isfinite(x)) {
            m_out << "null";
        } else {
            std::array<char, 32> buf{};
            m_out << format_double(x, buf);
        }
        return *this;
    }
    json_writer& null() {
        comma();
        m_out << "null";
        return *this;
    }
    /// The value of `v`, or `null` when it is absent (a figure that is not defined), so that
    /// `field(name, optional)` writes either: `w.field("relative", std::optional<double>())`
    /// writes `"relative":null`.
    template <class T> json_writer& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }

    /// `key(name).value(v)` in one call.
    template <class T> json_writer& field(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }

private:
    void open(char c) {
        comma();
        m_out << c;
        m_first.push_back(true);
    }
    void close(char c) {
        m_first.pop_back();
        m_out << c;
        if (m_first.empty()) m_out << '\n';
    }
    void comma() {
        if (m_after_key) {
            m_after_key = false;
            return;
        }
        if (m_first.empty()) return;
        if (!m_first.back()) m_out << ',';
        m_first.back() = false;
    }
    void string(std::string_view s) {
        if (const std::size_t bad = utf8_error_offset(s); bad != std::string_view::npos) {
            const std::string value = excerpt(s);
            throw data_error("json: \"" + value + "\" is not valid UTF-8 (byte " +
                                 std::to_string(bad) +
                                 "); JSON output must be UTF-8: convert the input to UTF-8",
                             error_context{"json", std::nullopt, {}, {}, value});
        }
        m_out << '"';
        for (const char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            switch (c) {
            case '"':
                m_out << "\\\"";
                break;
            case '\\':
                m_out << "\\\\";
                break;
            case '\n':
                m_out << "\\n";
                break;
            case '\r':
                m_out << "\\r";
                break;
            case '\t':
                m_out << "\\t";
                break;
            default:
                if (c < 0x20) {
                    constexpr std::string_view hex = "0123456789abcdef";
                    m_out << "\\u00" << hex[c >> 4] << hex[c & 15];
                } else {
                    m_out << ch;
                }
            }
        }
        m_out << '"';
    }

    std::ostream& m_out;
    std::vector<bool> m_first;
    bool m_after_key = false;
};

/// Writes one JSON object to `out`, its members written by `members(json_writer&)`: the
/// `--format json` output of a subcommand, and the same text for Python. Example:
/// `write_json_object(std::cout, [&](json_writer& w) { w.field("out", path); })`.
/// The object is built whole before any of it reaches `out`: an error while writing it (a text
/// that is not UTF-8) leaves nothing on `out`.
template <class Members> void write_json_object(std::ostream& out, Members&& members) {
    std::ostringstream whole;
    json_writer w(whole);
    w.begin_object();
    std::forward<Members>(members)(w);
    w.end_object();
    out << whole.str();
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
