// The one rule by which custometrics reads a number from text: CSV amounts, side-file cells and
// command-line option values.
//
// Accepted: decimal notation with an optional fraction and exponent, as C++17 `from_chars` with
// `chars_format::general` reads it (here through fast_float, locale-independent, '.' as the
// decimal mark): `12`, `-0.5`, `.5`, `5.`, `1e6`, `2.5E-3`; one optional leading '+' (spreadsheets
// write it); blanks (space, tab) around the number are ignored.
// Refused: hexadecimal (`0x10`, `0x1p4`), which strtod and CLI11 would read as 16; `inf`,
// `infinity` and `nan` in any case (not a finite number); thousands separators and decimal
// commas (`1,000`, `1_000`, `1,5`); two signs (`+-1`, `++1`); an exponent without digits (`1e`);
// anything after the number (`12abc`, `12 34`); a finite text whose value overflows a double
// (`1e400`, read as infinity) is "not a finite number". A tiny value underflows to 0 or a
// subnormal, as from_chars rounds it.
//
// Example: `double x; read_number(" +1.5e3 ", x) == number_status::ok && x == 1500`.
#pragma once

#include "custometrics/config.hpp"

#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE

/// What `read_number` made of a text.
enum class number_status {
    ok,         ///< a finite number
    empty,      ///< nothing but blanks
    malformed,  ///< not a decimal number (hexadecimal, text, separators, trailing characters)
    not_finite, ///< inf, nan, or a decimal text beyond the range of a double (1e400)
};

/// Reads `text` by the rule above; `out` is set only when the result is `ok`.
number_status read_number(std::string_view text, double& out) noexcept;

/// A reason for a status other than `ok`, for messages: "not a number (decimal notation
/// expected, e.g. 12.5 or 1e6)", "must be a finite number", "empty number".
std::string_view describe(number_status status) noexcept;

/// `read_number` that throws `invalid_argument` naming `argument` and the text when it fails.
/// Example: `parse_number("0x10", "--fixed-costs")` throws "--fixed-costs: cannot read "0x10"
/// as a number: not a number (decimal notation expected, e.g. 12.5 or 1e6)".
double parse_number(std::string_view text, std::string_view argument);

CUSTOMETRICS_END_NAMESPACE
