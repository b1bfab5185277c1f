// Small text helpers shared by the command-line subcommands: numbers and fields in CSV output.
// (Side files are read by csv_table.hpp; outputs are opened through output.hpp.)
#pragma once

#include "custometrics/detail/json.hpp"

#include <array>
#include <string>

namespace custometrics::cli {

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

} // namespace custometrics::cli
