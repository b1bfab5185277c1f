// Number formatting shared by the command-line tool's text output.
#pragma once

#include <array>
#include <cstdio>
#include <string>

namespace custometrics::cli {

/// `x` with `digits` decimals: num(3.14159) == "3.14".
inline std::string num(double x, int digits = 2) {
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%.*f", digits, x);
    return buf.data();
}

/// A share as a percentage with one decimal: pct(0.1234) == "12.3%".
inline std::string pct(double x) {
    return num(100.0 * x, 1) + "%";
}

/// An integer with thousands separators: count(1234567) == "1,234,567".
inline std::string count(std::size_t n) {
    std::string s = std::to_string(n);
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(s.size()) - 3; i > 0; i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

/// Money with two decimals and thousands separators: money(-1234.5) == "-1,234.50".
inline std::string money(double x) {
    std::string s = num(x, 2);
    const std::size_t dot = s.find('.');
    const std::ptrdiff_t begin = s[0] == '-' ? 1 : 0;
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(dot) - 3; i > begin; i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

} // namespace custometrics::cli
