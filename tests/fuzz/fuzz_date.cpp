// libFuzzer target: the date parser and formatter (date.hpp) and the number rule (number.hpp),
// the two readers of short text fields.
//
// Invariants: no crash or undefined behaviour; a time that parses lies in the supported range
// (years 1..9999), formats, and the formatted text parses back to the same second; the status
// and the optional result agree; a number that reads is finite and its shortest form reads back
// to the same value.
#include "custometrics/date.hpp"
#include "custometrics/number.hpp"

#include "fuzz_common.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace cm = custometrics;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::int64_t t = 0;
    const cm::time_status status = cm::parse_time_status(text, t);
    require((status == cm::time_status::ok) == cm::parse_time(text).has_value(),
            "parse_time and parse_time_status disagree");
    if (status == cm::time_status::ok) {
        require(cm::is_supported_time(t), "a parsed time outside the supported range");
        require(cm::parse_time(cm::format_time(t)) == t, "format_time does not read back");
        require(cm::parse_time(cm::format_date(t)) == cm::day_of(t) * cm::seconds_per_day,
                "format_date does not read back");
    }
    double x = 0.0;
    if (cm::read_number(text, x) == cm::number_status::ok) {
        require(std::isfinite(x), "a number that reads is not finite");
        char buf[64];
        const auto res = std::to_chars(buf, buf + sizeof buf, x);
        double y = 0.0;
        require(cm::read_number(std::string_view(buf, res.ptr - buf), y) == cm::number_status::ok &&
                    (y == x || (std::isnan(x) && std::isnan(y))),
                "the shortest form of a number does not read back");
    }
    return 0;
}
