// The formatting of the report's amounts (see custometrics/output/format.hpp).
#include "custometrics/output/format.hpp"

#include "custometrics/error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

language parse_language(std::string_view text, std::string_view argument) {
    std::string t(text);
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (t == "en") return language::en;
    if (t == "de") return language::de;
    throw invalid_argument(argument, "expected 'en' or 'de', got '" + std::string(text) + "'",
                           std::string(text));
}

money_style money_style_of(std::string_view code, language lang) {
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
        if (c == name) return {symbol, lang == language::en};
    return {c, false};
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
