// How numbers are written in error messages and reasons.
#pragma once

#include "custometrics/config.hpp"

#include <array>
#include <cstdio>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// Text of a number for messages: up to 10 significant digits, "nan", "inf" and "-inf" as such.
inline std::string format_number(double x) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.10g", x);
    return buf.data();
}

/// Short text of a number for reasons shown to people: 4 significant digits ("0.5", "10",
/// "0.9897", "1e+06").
inline std::string format_short(double x) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.4g", x);
    return buf.data();
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
