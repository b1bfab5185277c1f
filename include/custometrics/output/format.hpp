// Number and field formatting shared by the text, CSV and JSON writers of the results
// (custometrics/output/*.hpp) that the command-line tool, the Python package and the report use.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// `x` with `digits` decimals, at any magnitude: num(3.14159) == "3.14", num(1e70, 0) has 71
/// digits (never truncated).
inline std::string num(double x, int digits = 2) {
    std::array<char, 64> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), "%.*f", digits, x);
    if (n >= 0 && static_cast<std::size_t>(n) < buf.size()) return buf.data();
    std::string big(static_cast<std::size_t>(n) + 1, '\0');
    std::snprintf(big.data(), big.size(), "%.*f", digits, x);
    big.pop_back();
    return big;
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

/// A number for CSV output: shortest round-trip form, whole numbers as integers.
inline std::string number_text(double x) {
    std::array<char, 32> buf{};
    return std::string(detail::format_double(x, buf));
}

/// `s` as one CSV field: verbatim, or double-quoted with inner quotes doubled when it holds a
/// comma, a quote, CR or LF (RFC 4180).
inline std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (const char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + '"';
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
