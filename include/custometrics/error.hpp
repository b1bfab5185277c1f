// The exception types custometrics throws.
//
// Every error derives from `custometrics::error`, so `catch (const custometrics::error&)` is
// enough for a caller that only wants the message. Messages name the argument, the row or key
// and the offending value, e.g. `amount: row 17 (customer "C-12"): value is NaN`.
//
// The same facts are fields (`error_context`: argument, row, key, column, value), so a caller
// that adds its own context (the CLI adds the file line of a customer, the Python package sets
// exception attributes, the Spark module names its columns) reads them and never parses the
// message. A field that does not apply is empty (`row` is `std::nullopt`).
//
// Example:
//     try {
//         compress_summary(x, tx, T);
//     } catch (const data_error& e) {
//         if (e.row()) std::cerr << "line " << line_of[*e.row()] << ": " << e.what() << "\n";
//     }
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/utf8.hpp"

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

/// What an error is about, field by field (each empty when it does not apply).
struct error_context {
    /// The argument, option or input column the error is about: "recency", "--horizon".
    std::string argument;
    /// 0-based position of the offending row, customer or entity within that argument.
    std::optional<std::size_t> row;
    /// The key of the customer or entity of that row, as text, when the core knows it.
    std::string key;
    /// The column of a table or file the value was read from, when it is not the argument.
    std::string column;
    /// The offending value, as text.
    std::string value;
};

/// Base of every exception thrown by custometrics.
class error : public std::runtime_error {
public:
    /// An error with `message` (what() returns it) and the fields of `context`.
    explicit error(const std::string& message, error_context context = {})
        : std::runtime_error(message), m_context(std::move(context)) {}

    /// All fields at once.
    const error_context& context() const noexcept { return m_context; }
    /// The argument, option or input column; empty when unknown.
    const std::string& argument() const noexcept { return m_context.argument; }
    /// 0-based position of the offending row, customer or entity; nullopt when none.
    std::optional<std::size_t> row() const noexcept { return m_context.row; }
    /// Key of the offending customer or entity; empty when unknown.
    const std::string& key() const noexcept { return m_context.key; }
    /// Column of a table or file; empty when it is the argument itself or unknown.
    const std::string& column() const noexcept { return m_context.column; }
    /// The offending value as text; empty when none.
    const std::string& value() const noexcept { return m_context.value; }

private:
    error_context m_context;
};

/// An argument is out of its domain (negative size, unknown option, end date before start).
class invalid_argument : public error {
public:
    using error::error;

    /// "argument: reason", with `argument` (and `value` when given) as fields.
    invalid_argument(std::string_view argument, const std::string& reason, std::string value = {})
        : error(std::string(argument) + ": " + reason,
                error_context{std::string(argument), std::nullopt, {}, {}, std::move(value)}) {}
};

/// A row of data breaks a rule (NaN amount, empty key, transaction after the observation end).
class data_error : public error {
public:
    using error::error;
};

/// Text input could not be read: names the source, the 1-based line, the column and the value.
///
/// A `data_error`: the fields `column` and `value` are set, `row` is the 0-based line index
/// (line - 1), and `source()` and `line()` name the file and its 1-based line. The column and
/// the value are kept as `detail::excerpt` writes them (control bytes and bytes that are not
/// UTF-8 escaped, at most 60 bytes), so that every reader's messages escape alike.
class parse_error : public data_error {
public:
    parse_error(std::string source, std::size_t line, std::string_view column,
                std::string_view value, const std::string& reason)
        : parse_error(std::move(source), line, detail::excerpt(column), detail::excerpt(value),
                      reason, 0) {}

    /// File name (or "<input>") the error was found in.
    const std::string& source() const noexcept { return m_source; }
    /// 1-based line number of the offending record.
    std::size_t line() const noexcept { return m_line; }

private:
    parse_error(std::string source, std::size_t line, const std::string& column,
                const std::string& value, const std::string& reason, int /*escaped*/)
        : data_error(source + ":" + std::to_string(line) + ": column \"" + column + "\": " +
                         reason + (value.empty() ? std::string() : " (value \"" + value + "\")"),
                     error_context{column,
                                   line > 0 ? std::optional<std::size_t>(line - 1) : std::nullopt,
                                   {},
                                   column,
                                   value}),
          m_source(std::move(source)), m_line(line) {}

    std::string m_source;
    std::size_t m_line;
};

/// `e` as an error about `argument`: the field replaced, and the message's leading "old: " too
/// when it has one, so that a face names its own option for a core argument without parsing the
/// message. Example: renamed(invalid_argument("horizon", "must be > 0, got -1"), "--horizon")
/// says "--horizon: must be > 0, got -1" with argument "--horizon"; the other fields are kept.
inline invalid_argument renamed(const invalid_argument& e, std::string_view argument) {
    const std::string_view what = e.what();
    const std::string prefix = e.argument() + ": ";
    error_context c = e.context();
    c.argument = argument;
    if (e.argument().empty() || !what.starts_with(prefix))
        return invalid_argument(std::string(what), std::move(c));
    return invalid_argument(std::string(argument) + ": " + std::string(what.substr(prefix.size())),
                            std::move(c));
}

CUSTOMETRICS_END_NAMESPACE
