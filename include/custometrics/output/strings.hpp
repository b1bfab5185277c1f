// The words of the report in English and German: one table, English the default. The German
// follows the terms of the method's article (Break-even-Punkt, kritische Absatzmenge,
// A/B/C-Kunden, Sicherheitsabstand).
//
//     output::tr(output::language::de, "At a glance")          // "Auf einen Blick"
//     fm.trf("{0} customers", {fm.count(n)})   // fm: the report's output::formatter
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/output/format.hpp"

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// `english` in `lang`: the German of the report's table of strings, or `english` itself for
/// English and for a string the table does not hold (so a new string shows in English until
/// it is translated, never as a key).
std::string tr(language lang, std::string_view english);

/// `pattern` with {0}, {1}, ... replaced by the arguments in that position; a brace not followed
/// by a digit and '}' stays as it is, as does a position without an argument.
/// Example: `fill("{0} of {1}", {"3", "4"}) == "3 of 4"`.
std::string fill(std::string_view pattern, std::initializer_list<std::string_view> args);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
