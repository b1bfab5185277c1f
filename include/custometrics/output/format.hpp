// Number and field formatting shared by the text, CSV and JSON writers of the results
// (custometrics/output/*.hpp) that the command-line tool, the Python package and the report use.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <optional>
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

/// The conventions of the numbers and prose dates of the text and HTML report: English
/// (1,234.56, 12.3%, 2024-03-01) or German (1.234,56, 12,3 %, 01.03.2024). JSON and CSV are
/// machine formats and never follow it.
enum class number_locale { en, de };

/// "en" or "de" (any case) to a number locale; `invalid_argument` naming `argument` and the
/// value otherwise. Example: `parse_locale("DE", "--locale") == number_locale::de`.
number_locale parse_locale(std::string_view text, std::string_view argument = "locale");

/// How `formatter::money` writes an amount: plain, or with a currency symbol or code.
struct money_style {
    std::string symbol;        ///< "€", "$", "CHF"; empty: plain numbers (the default)
    bool symbol_first = false; ///< "€1,234.50" rather than "1,234.50 €"
};

/// The style of an ISO 4217 currency code (three letters, any case) in `locale`: EUR, USD, GBP
/// and JPY by their symbols (€, $, £, ¥), any other code by itself; in English a symbol goes
/// first ("€1,234.50", "-$5.00") and a code after ("1,234.50 CHF"), in German both after
/// ("1.234,50 €"). An empty code is the plain style. Throws `invalid_argument` ("currency") for
/// anything but three letters.
money_style money_style_of(std::string_view code, number_locale locale = number_locale::en);

/// How the report's writers write: the currency of amounts, the language of words and the
/// conventions of numbers and dates.
struct output_style {
    money_style money;
    language lang = language::en;
    number_locale locale = number_locale::en;
};

/// The writer of the report's numbers, dates and words in one `output_style`, passed to every
/// writer of the text and HTML report (the report keeps its own, `sales_report::format`), so two
/// reports in different styles, on one thread or many, never share one; a default-constructed
/// formatter is the plain style (English, no currency) of every other output.
///
/// English numbers are the free functions' (`num`, `pct`, `count`, `money`); German ones write
/// the decimal comma, group thousands with '.' where English groups them with ',' (`grouped`,
/// `count`, `money`; `num` and `pct` group in neither) and put the percent sign after a space:
/// `formatter({{}, language::de, number_locale::de}).money(-1234.5) == "-1.234,50"`,
/// `.pct(0.1234) == "12,3 %"`, `.count(1234567) == "1.234.567"`, `.date(t) == "01.03.2024"`.
class formatter {
public:
    /// The plain style: English words and numbers, amounts without a currency.
    formatter() = default;
    /// The writer of `style`.
    explicit formatter(output_style style) : m_style(std::move(style)) {}

    /// The style this formatter writes in.
    [[nodiscard]] const output_style& style() const noexcept { return m_style; }

    /// `x` with `digits` decimals and no thousands separators, in either locale: English as
    /// `output::num` ("1234.50"), German with the decimal comma ("1234,50"). The rule is the same
    /// in both: `num` (and `pct`, built on it) never groups, for figures read as measurements
    /// (scores, BIC, units, days); `grouped`, `count` and `money` always group, in the locale's
    /// separator. Example: `num(1234.5)` is "1234.50" / "1234,50", `grouped(1234.5)` "1,234.50"
    /// / "1.234,50".
    [[nodiscard]] std::string num(double x, int digits = 2) const;
    /// `x` with `digits` decimals and thousands separators: "1,234.5" / "1.234,5"; "-0" written
    /// as "0" (a negative value that rounds to zero).
    [[nodiscard]] std::string grouped(double x, int digits = 2) const;
    /// A share as a percentage with one decimal: "12.3%" / "12,3 %".
    [[nodiscard]] std::string pct(double x) const;
    /// What follows a number to make it a percentage: "%" in English, " %" (a space, then the
    /// sign) in German, as German style (DIN 5008) writes "12,3 %". Every percentage the report
    /// writes takes its sign from here (`pct`, the charts' axis labels), so the rule is once.
    /// Example: `fm.num(25, 0) + std::string(fm.percent_sign())` is "25%" / "25 %".
    [[nodiscard]] std::string_view percent_sign() const noexcept;
    /// An integer with thousands separators: "1,234,567" / "1.234.567".
    [[nodiscard]] std::string count(std::size_t n) const;
    /// Money with two decimals, thousands separators and the currency of the style (see
    /// `money_style_of`): "-€1,234.50" in English with EUR, "-1.234,50 €" in German.
    [[nodiscard]] std::string money(double x) const;
    /// A date in prose: ISO "2024-03-01" in English, "01.03.2024" in German (tables and CSV
    /// keep ISO: they use `format_date`).
    [[nodiscard]] std::string date(std::int64_t seconds) const;
    /// `english` in the style's language (output/strings.hpp, defined there).
    [[nodiscard]] std::string tr(std::string_view english) const;
    /// `tr(pattern)` filled with `args` (`fill`).
    [[nodiscard]] std::string trf(std::string_view pattern,
                                  std::initializer_list<std::string_view> args) const;
    /// A label of the text report: two spaces, `tr(english)` and spaces up to `width`
    /// characters (at least one), counting characters, not bytes, so German umlauts align.
    /// Example: `formatter().label("rows") == "  rows                 "` (23 characters).
    [[nodiscard]] std::string label(std::string_view english, std::size_t width = 23) const;

private:
    output_style m_style;
};

/// Money with two decimals and thousands separators, no currency: money(-1234.5) == "-1,234.50"
/// (the plain style; the report's writers use `formatter::money`).
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

/// A date as `format_date` writes it (YYYY-MM-DD), or "" for `no_time`: a date the core could
/// not give (no analysis date, an infinite wait, a day after 9999-12-31; see `time_after`).
std::string date_or_empty(std::int64_t seconds);

/// The same for JSON: the date, or no value (written as null) for `no_time`.
std::optional<std::string> date_or_null(std::int64_t seconds);

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
