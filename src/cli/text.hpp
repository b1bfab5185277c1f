// Small text helpers shared by the command-line subcommands: CSV fields of the small input
// files (segment maps aside, which rfm.hpp reads), numbers in CSV output, output files.
#pragma once

#include "custometrics/detail/json.hpp"
#include "custometrics/error.hpp"

#include <array>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace custometrics::cli {

/// `s` without leading and trailing blanks (spaces, tabs, a carriage return at the end).
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/// The comma-separated fields of a line, trimmed (no quoting).
inline std::vector<std::string_view> split_fields(std::string_view rest) {
    std::vector<std::string_view> fields;
    for (std::size_t comma = rest.find(','); comma != std::string_view::npos;
         comma = rest.find(',')) {
        fields.push_back(trim(rest.substr(0, comma)));
        rest.remove_prefix(comma + 1);
    }
    fields.push_back(trim(rest));
    return fields;
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

} // namespace custometrics::cli
