// JSON input: a small reader for the parameter, rule and cost files the command-line tool takes.
//
// `parse_json` reads RFC 8259 JSON into a `json_value` tree: null, booleans, numbers (as
// double), strings (with every escape, \uXXXX and surrogate pairs written out as UTF-8),
// arrays and objects (members in file order; a name that appears twice is an error, since
// which one wins is not defined by the RFC). Errors throw `parse_error` naming the source, the
// line, the member path (`params.alpha`, `rules[2].name`) and the text where reading stopped.
// Nesting deeper than 256 levels is refused. The lookups `at`, `number`, `string` throw
// `parse_error` naming the path and what was expected, so a caller turns a bad file into a
// clear message without checks of its own.
//
// Example:
//     const json_value v = parse_json(R"({"model": "bgnbd", "params": {"r": 0.24}})", "f.json");
//     double r = v.at("params").number("r");   // 0.24
//     v.at("params").number("alpha");          // throws: f.json:1: column "params.alpha": ...
#pragma once

#include "custometrics/config.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// One JSON value with the source, line and member path it was read from (for messages).
class json_value {
public:
    using array = std::vector<json_value>;
    using object = std::vector<std::pair<std::string, json_value>>;
    enum class kind { null, boolean, number, string, array, object };

    json_value() = default;

    kind type() const noexcept { return static_cast<kind>(m_data.index()); }
    bool is_null() const noexcept { return type() == kind::null; }
    bool is_number() const noexcept { return type() == kind::number; }
    bool is_string() const noexcept { return type() == kind::string; }
    bool is_object() const noexcept { return type() == kind::object; }
    bool is_array() const noexcept { return type() == kind::array; }

    /// The value as a number, boolean, string, array or object; throws `parse_error` naming
    /// the path and the type found otherwise.
    double as_number() const;
    bool as_bool() const;
    const std::string& as_string() const;
    const array& as_array() const;
    const object& as_object() const;

    /// The member `name` of an object, if present (throws when this is not an object).
    const json_value* find(std::string_view name) const;
    /// The member `name` of an object; throws `parse_error` naming the path when missing.
    const json_value& at(std::string_view name) const;
    /// `at(name).as_number()`.
    double number(std::string_view name) const { return at(name).as_number(); }
    /// `at(name).as_string()`.
    const std::string& string(std::string_view name) const { return at(name).as_string(); }

    /// Where the value was read: "source:line", and its member path ("" for the top).
    const std::string& source() const noexcept { return *m_source; }
    std::size_t line() const noexcept { return m_line; }
    const std::string& path() const noexcept { return m_path; }

    /// Throws `parse_error` at this value: `source:line: column "path": reason`.
    [[noreturn]] void fail(const std::string& reason) const;

private:
    friend class json_parser;
    std::variant<std::monostate, bool, double, std::string, array, object> m_data;
    std::shared_ptr<const std::string> m_source = std::make_shared<const std::string>();
    std::size_t m_line = 0;
    std::string m_path;
};

/// Parses `text` as one JSON value (see the file comment); `source` names it in messages.
json_value parse_json(std::string_view text, const std::string& source);

/// Reads and parses the JSON file at `path` (`-`: standard input); `invalid_argument` when it
/// cannot be opened.
json_value read_json_file(const std::string& path);

/// The members of a flat JSON object of numbers (true and false read as 1 and 0), in file
/// order, e.g. `{"per_order": 2.5, "cost_of_capital": 0.08}` for cost-rate and rule files.
/// Throws `parse_error` (source, line, member) for malformed JSON, a value that is not a number
/// or a boolean, or a top-level value that is not an object.
std::vector<std::pair<std::string, double>> json_number_members(std::string_view text,
                                                                const std::string& source);

/// Reads a flat JSON object of numbers (as `json_number_members`) into the named fields:
/// `*fields[k].second = value` for the member named `fields[k].first`; fields not in the file
/// keep their value. A member that names no field throws `parse_error` at its line, naming it
/// as "unknown <what>" and listing the known names.
void assign_json_numbers(std::string_view text, const std::string& source,
                         std::span<const std::pair<const char*, double*>> fields,
                         const std::string& what);

/// The same for (name, value) pairs given in memory (a Python dict of thresholds): fields not
/// named keep their value; a name that is no field throws `invalid_argument` naming `argument`
/// (value: the name) as "unknown <what>" with the known names, as `assign_json_numbers` does.
void assign_named_numbers(std::span<const std::pair<std::string, double>> values,
                          std::string_view argument,
                          std::span<const std::pair<const char*, double*>> fields,
                          const std::string& what);

CUSTOMETRICS_END_NAMESPACE
