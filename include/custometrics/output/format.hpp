// Number and field formatting shared by the text, CSV and JSON writers of the results
// (custometrics/output/*.hpp) that the command-line tool, the Python package and the report use.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"

#include <array>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

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

/// The language of the report's words (`output/strings.hpp` holds the table).
enum class language { en, de };

/// "en" or "de" (any case) to a language; `invalid_argument` naming `argument` and the value
/// otherwise.
language parse_language(std::string_view text, std::string_view argument = "lang");

/// How `money` writes an amount: plain, or with a currency symbol or code.
struct money_style {
    std::string symbol;        ///< "€", "$", "CHF"; empty: plain numbers (the default)
    bool symbol_first = false; ///< "€1,234.50" rather than "1,234.50 €"
};

/// The style of an ISO 4217 currency code (three letters, any case) in `lang`: EUR, USD, GBP
/// and JPY by their symbols (€, $, £, ¥), any other code by itself; in English a symbol goes
/// first ("€1,234.50", "-$5.00") and a code after ("1,234.50 CHF"), in German both after
/// ("1,234.50 €"). An empty code is the plain style. Throws `invalid_argument` ("currency") for
/// anything but three letters.
money_style money_style_of(std::string_view code, language lang = language::en);

/// How the report's writers write: the currency of `money` and the language of `tr`.
struct output_style {
    money_style money;
    language lang = language::en;
};

/// The style of the writers on this thread (set by `output_style_scope`).
inline output_style& current_output_style() {
    thread_local output_style style;
    return style;
}

/// Sets the style of the writers on this thread for its lifetime and restores the previous one.
/// The report's writers (output/report.hpp) open one with the report's currency and language,
/// so every amount and every word of every section follows it without a parameter through
/// each writer; every other output keeps the default (plain numbers, English).
class output_style_scope {
public:
    explicit output_style_scope(output_style style)
        : m_previous(std::exchange(current_output_style(), std::move(style))) {}
    ~output_style_scope() { current_output_style() = std::move(m_previous); }
    output_style_scope(const output_style_scope&) = delete;
    output_style_scope& operator=(const output_style_scope&) = delete;

private:
    output_style m_previous;
};

/// Money with two decimals and thousands separators: money(-1234.5) == "-1,234.50"; with a
/// currency (`output_style_scope`) "-€1,234.50" or "-1,234.50 €" (see `money_style_of`).
inline std::string money(double x) {
    std::string s = num(x, 2);
    const std::size_t dot = s.find('.');
    const std::ptrdiff_t begin = s[0] == '-' ? 1 : 0;
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(dot) - 3; i > begin; i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    const money_style& style = current_output_style().money;
    if (style.symbol.empty()) return s;
    if (!style.symbol_first) return s + " " + style.symbol;
    return begin == 1 ? "-" + style.symbol + s.substr(1) : style.symbol + s;
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
