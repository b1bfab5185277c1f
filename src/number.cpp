// The one number rule (see custometrics/number.hpp).
#include "custometrics/number.hpp"

#include "custometrics/error.hpp"

#include <fast_float/fast_float.h>

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

// The common case of a CSV amount, `[-]digits[.digits]` with at most 15 digits in all, read
// without the general parser; false (and `out` untouched) for any other text, which the
// general parser then reads. The digits make an integer w < 10^15 < 2^53 and the fraction f
// digits, so w and 10^f (f <= 15 <= 22) are exact doubles and one IEEE division gives the
// correctly rounded w / 10^f: the value fast_float (also correctly rounded; it takes this same
// path, Clinger's fast path, for such a text) gives. A '-' makes it negative ("-0" is -0.0, as
// there). Example: "-12.50" -> w 1250, f 2, -12.5.
bool read_plain_decimal(std::string_view s, double& out) noexcept {
    const char* p = s.data();
    const char* const end = p + s.size();
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    std::uint64_t w = 0;
    const char* const first = p;
    std::ptrdiff_t fraction = 0;
    for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p)
        w = w * 10 + static_cast<unsigned>(*p - '0');
    if (p == first) return false;
    if (p < end) {
        if (*p != '.') return false;
        const char* const point = p++;
        for (; p < end && static_cast<unsigned>(*p - '0') < 10; ++p)
            w = w * 10 + static_cast<unsigned>(*p - '0');
        fraction = p - point - 1;
        if (p < end || fraction == 0) return false;
    }
    if (p - first - (fraction > 0 ? 1 : 0) > 15) return false; // w may have wrapped: unused
    static constexpr double powers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const double x = static_cast<double>(w) / powers[fraction];
    out = negative ? -x : x;
    return true;
}

} // namespace

number_status read_number(std::string_view s, double& out) noexcept {
    // Only where doubles are evaluated as doubles (not in x87's extended precision, where the
    // division would be rounded twice).
    if (FLT_EVAL_METHOD == 0 && read_plain_decimal(s, out)) return number_status::ok;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    if (s.empty()) return number_status::empty;
    if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
    const char* const last = s.data() + s.size();
    double x = 0.0;
    // chars_format::general: decimal and scientific only, never hexadecimal.
    const auto res = fast_float::from_chars(s.data(), last, x, fast_float::chars_format::general);
    if (res.ptr != last) return number_status::malformed;
    // A decimal text beyond the range (1e400) reads as infinity (newer fast_float versions
    // also report result_out_of_range, for an underflow to 0 too, which is kept as from_chars
    // rounds it); inf and nan themselves parse without error: all are not finite.
    if (!std::isfinite(x)) return number_status::not_finite;
    if (res.ec != std::errc() && res.ec != std::errc::result_out_of_range)
        return number_status::malformed;
    out = x;
    return number_status::ok;
}

std::string_view describe(number_status status) noexcept {
    switch (status) {
    case number_status::ok:
        return "a number";
    case number_status::empty:
        return "empty number";
    case number_status::malformed:
        break;
    case number_status::not_finite:
        return "must be a finite number";
    }
    return "not a number (decimal notation expected, e.g. 12.5 or 1e6)";
}

double parse_number(std::string_view text, std::string_view argument) {
    double x = 0.0;
    const number_status status = read_number(text, x);
    if (status == number_status::ok) return x;
    throw invalid_argument(argument,
                           "cannot read \"" + std::string(text) +
                               "\" as a number: " + std::string(describe(status)),
                           std::string(text));
}

CUSTOMETRICS_END_NAMESPACE
