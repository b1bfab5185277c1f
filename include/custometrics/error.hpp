// The exception types custometrics throws.
//
// Every error derives from `custometrics::error`, so `catch (const custometrics::error&)` is
// enough for a caller that only wants the message. Messages name the argument, the row or key
// and the offending value, e.g. `amount: row 17 (customer "C-12"): value is NaN`.
#pragma once

#include "custometrics/config.hpp"

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Base of every exception thrown by custometrics.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An argument is out of its domain (negative size, unknown option, end date before start).
class invalid_argument : public error {
public:
    using error::error;
};

/// A row of data breaks a rule (NaN amount, empty key, transaction after the observation end).
class data_error : public error {
public:
    using error::error;
};

/// Text input could not be read: names the source, the 1-based line, the column and the value.
class parse_error : public error {
public:
    parse_error(std::string source, std::size_t line, std::string column, std::string value,
                const std::string& reason)
        : error(source + ":" + std::to_string(line) + ": column \"" + column + "\": " + reason +
                (value.empty() ? std::string() : " (value \"" + value + "\")")),
          m_source(std::move(source)), m_line(line), m_column(std::move(column)),
          m_value(std::move(value)) {}

    /// File name (or "<input>") the error was found in.
    const std::string& source() const noexcept { return m_source; }
    /// 1-based line number of the offending record.
    std::size_t line() const noexcept { return m_line; }
    /// Name of the column, as in the header.
    const std::string& column() const noexcept { return m_column; }
    /// The raw text that could not be read.
    const std::string& value() const noexcept { return m_value; }

private:
    std::string m_source;
    std::size_t m_line;
    std::string m_column;
    std::string m_value;
};

CUSTOMETRICS_END_NAMESPACE
