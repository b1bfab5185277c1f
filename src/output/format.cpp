// The formatting of the report's amounts (see custometrics/output/format.hpp).
#include "custometrics/output/format.hpp"

#include "custometrics/date.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

namespace {

// "en" (false) or "de" (true), any case; `invalid_argument` naming `argument` otherwise.
bool is_german(std::string_view text, std::string_view argument) {
    std::string t(text);
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (t == "en") return false;
    if (t == "de") return true;
    throw invalid_argument(argument, "expected 'en' or 'de', got '" + std::string(text) + "'",
                           std::string(text));
}

// `s` (digits with an optional '-' and '.') with `thousands` every three digits before the
// point and `point` for it.
std::string group(std::string s, char thousands, char point) {
    const std::size_t dot = std::min(s.find('.'), s.size());
    if (dot < s.size()) s[dot] = point;
    const std::ptrdiff_t begin = s[0] == '-' ? 1 : 0;
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(dot) - 3; i > begin; i -= 3)
        s.insert(static_cast<std::size_t>(i), 1, thousands);
    return s;
}

} // namespace

language parse_language(std::string_view text, std::string_view argument) {
    return is_german(text, argument) ? language::de : language::en;
}

number_locale parse_locale(std::string_view text, std::string_view argument) {
    return is_german(text, argument) ? number_locale::de : number_locale::en;
}

std::string formatter::num(double x, int digits) const {
    std::string s = output::num(x, digits);
    if (m_style.locale == number_locale::de) std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

std::string formatter::grouped(double x, int digits) const {
    std::string s = output::num(x, digits);
    if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return m_style.locale == number_locale::en ? group(std::move(s), ',', '.')
                                               : group(std::move(s), '.', ',');
}

std::string formatter::pct(double x) const {
    return num(100.0 * x, 1) + std::string(percent_sign());
}

std::string_view formatter::percent_sign() const noexcept {
    return m_style.locale == number_locale::en ? "%" : " %";
}

std::string formatter::count(std::size_t n) const {
    return group(std::to_string(n), m_style.locale == number_locale::en ? ',' : '.', '.');
}

std::string formatter::money(double x) const {
    const std::string s =
        m_style.locale == number_locale::en ? output::money(x) : group(output::num(x, 2), '.', ',');
    const money_style& style = m_style.money;
    if (style.symbol.empty()) return s;
    if (!style.symbol_first) return s + " " + style.symbol;
    return s[0] == '-' ? "-" + style.symbol + s.substr(1) : style.symbol + s;
}

std::string formatter::date(std::int64_t seconds) const {
    const std::string iso = format_date(seconds);
    if (m_style.locale == number_locale::en || iso.size() != 10) return iso; // expanded years
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

money_style money_style_of(std::string_view code, number_locale locale) {
    if (code.empty()) return {};
    std::string c(code);
    const bool letters = c.size() == 3 && std::all_of(c.begin(), c.end(), [](unsigned char ch) {
                             return std::isalpha(ch) != 0;
                         });
    if (!letters)
        throw invalid_argument(
            "currency", "expected a three-letter ISO 4217 code such as EUR, got '" + c + "'", c);
    std::transform(c.begin(), c.end(), c.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    static const std::array<std::pair<const char*, const char*>, 4> symbols{
        {{"EUR", "€"}, {"USD", "$"}, {"GBP", "£"}, {"JPY", "¥"}}};
    for (const auto& [name, symbol] : symbols)
        if (c == name) return {symbol, locale == number_locale::en};
    return {c, false};
}

std::string date_or_empty(std::int64_t seconds) {
    return seconds == no_time ? std::string() : format_date(seconds);
}

std::optional<std::string> date_or_null(std::int64_t seconds) {
    if (seconds == no_time) return std::nullopt;
    return format_date(seconds);
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
