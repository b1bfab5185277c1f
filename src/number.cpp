// The one number rule (see custometrics/number.hpp).
#include "custometrics/number.hpp"

#include "custometrics/error.hpp"

#include "custometrics/detail/plain_fields.hpp"

#include <fast_float/fast_float.h>

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>

CUSTOMETRICS_BEGIN_NAMESPACE

number_status read_number(std::string_view s, double& out) noexcept {
    // The common case, `[-]digits[.digits]` of at most 15 digits, without the general parser.
    // (An empty text's data may be null, as the refusal is; `out` is set on success only.)
    if (double x = 0; !s.empty() && detail::scan_plain_decimal(s.data(), s.data() + s.size(), x) ==
                                        s.data() + s.size()) {
        out = x;
        return number_status::ok;
    }
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
