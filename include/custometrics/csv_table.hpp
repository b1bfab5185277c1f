// Small CSV tables read whole: the side inputs next to a transaction log (segment maps,
// criteria and weights, survey signals, customer summaries, cost rates).
//
// Format: RFC 4180 with a header line. Fields are separated by commas; a field in double quotes
// may hold commas, line breaks and doubled quotes (""); blanks (spaces, tabs) around a field are
// dropped, those inside quotes kept. CRLF and LF line ends both work. Lines that are blank, or
// whose first non-blank character is '#', are skipped (comments), outside quoted fields. Every
// row must have as many fields as the header, else `parse_error` names the file, the line and
// the counts. Header names must be non-empty and distinct. A UTF-8 byte order mark at the start
// (as spreadsheet programs write) is skipped.
//
// Numbers are read by `csv_table::number`: decimal or scientific notation (fast_float), blanks
// around ignored; an empty field, text, NaN or an infinity throws `parse_error` naming the
// file, the line, the column and the value, unless the caller asks to allow empty fields as
// missing (NaN).
//
// The transaction log itself is read by the streaming reader in csv.hpp, which is built for
// hundreds of millions of rows; this reader keeps every field as a string and suits tables of
// up to a few million cells.
//
// Example:
//     const csv_table t = read_csv_table("criteria.csv");
//     const std::size_t size = t.column("size");        // throws naming the columns there are
//     for (std::size_t r = 0; r < t.size(); ++r) use(t.rows[r][0], t.number(r, size));
#pragma once

#include "custometrics/config.hpp"

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// A CSV table held as text: header names, rows of fields, and the line each row starts on.
struct csv_table {
    std::string source;                         ///< file name (or the name given for a stream)
    std::vector<std::string> header;            ///< column names
    std::vector<std::vector<std::string>> rows; ///< fields, header.size() per row
    std::vector<std::size_t> line;              ///< 1-based line where each row starts
    std::size_t header_line = 1;                ///< 1-based line of the header

    /// Number of data rows.
    std::size_t size() const noexcept { return rows.size(); }

    /// Index of the column `name`, if the header has it.
    std::optional<std::size_t> find_column(std::string_view name) const noexcept;

    /// Index of the column `name`; throws `parse_error` naming the file, the column and the
    /// columns there are when it is missing.
    std::size_t column(std::string_view name) const;

    /// The number in row `row`, column `col`. Throws `parse_error` naming the file, line,
    /// column and value for text, NaN or infinity, and for an empty field unless
    /// `empty_is_missing` (it is then NaN).
    double number(std::size_t row, std::size_t col, bool empty_is_missing = false) const;

    /// Every number of column `name` (see `number`).
    std::vector<double> numbers(std::string_view name, bool empty_is_missing = false) const;
};

/// Reads one number field of a side file, as `csv_table::number` does: decimal or scientific
/// notation (fast_float), an optional leading '+', blanks around ignored. Throws `parse_error`
/// naming `source`, `line`, `column` and the text for text, NaN or infinity ("not a number",
/// "must be a finite number"), and for an empty field unless `empty_is_missing` (it is then NaN).
/// Every side-file reader uses it, so a number reads the same everywhere.
double parse_number_field(std::string_view text, const std::string& source, std::size_t line,
                          const std::string& column, bool empty_is_missing = false);

/// Reads the CSV table at `path` (`-`: standard input, named `<stdin>`). Throws `invalid_argument`
/// naming the path when the file cannot be opened ("<argument>: cannot open \"<path>\"" with
/// `argument` the option of a side file, e.g. "--criteria"; without one, argument "path"), and
/// `parse_error` (file, line, column) for a missing or malformed header, an unterminated quote,
/// a row whose field count differs from the header's, or a line longer than 1 MiB (the
/// transaction reader's error and limit, `read_side_text` in csv.hpp: memory stays bounded on a
/// file without line breaks).
csv_table read_csv_table(const std::string& path, std::string_view argument = {});

/// Reads a CSV table from a stream; `source` names it in error messages.
csv_table read_csv_table(std::istream& in, const std::string& source);

CUSTOMETRICS_END_NAMESPACE
