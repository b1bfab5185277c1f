// Small CSV tables read whole (see csv_table.hpp).
#include "custometrics/csv_table.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/number.hpp"

#include "custometrics/detail/byte_scan.hpp"
#include "custometrics/error.hpp"

#include <fast_float/fast_float.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

bool blank(char c) noexcept {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && blank(s.back()))
        s.remove_suffix(1);
    return s;
}

/// Splits `text` into records of fields. `line` of each record is where it starts.
class table_scanner {
public:
    table_scanner(std::string_view text, const std::string& source)
        : m_text(text), m_source(source) {}

    /// The next record that is not blank or a comment; false at the end.
    bool next(std::vector<std::string>& fields, std::size_t& line) {
        while (m_pos < m_text.size()) {
            // Skip blank and comment lines.
            std::size_t p = m_pos;
            while (p < m_text.size() && blank(m_text[p]))
                ++p;
            if (p == m_text.size()) {
                m_pos = p;
                return false;
            }
            if (m_text[p] == '\n' || m_text[p] == '\r' || m_text[p] == '#') {
                while (p < m_text.size() && m_text[p] != '\n')
                    ++p;
                m_pos = p + 1;
                ++m_line;
                continue;
            }
            line = m_line;
            record(fields);
            return true;
        }
        return false;
    }

private:
    void record(std::vector<std::string>& fields) {
        fields.clear();
        const std::size_t start_line = m_line;
        while (true) {
            std::string field;
            std::size_t p = m_pos;
            while (p < m_text.size() && blank(m_text[p]))
                ++p;
            if (p < m_text.size() && m_text[p] == '"') {
                ++p;
                bool closed = false;
                while (p < m_text.size()) {
                    const char c = m_text[p];
                    if (c == '"') {
                        if (p + 1 < m_text.size() && m_text[p + 1] == '"') {
                            field += '"';
                            p += 2;
                            continue;
                        }
                        ++p;
                        closed = true;
                        break;
                    }
                    if (c == '\n') ++m_line;
                    field += c;
                    ++p;
                }
                if (!closed)
                    throw parse_error(m_source, start_line,
                                      "field " + std::to_string(fields.size() + 1), "",
                                      "a quoted field is not closed");
                while (p < m_text.size() && blank(m_text[p]))
                    ++p;
                if (p < m_text.size() && m_text[p] != ',' && m_text[p] != '\n' && m_text[p] != '\r')
                    throw parse_error(
                        m_source, m_line, "field " + std::to_string(fields.size() + 1),
                        std::string(1, m_text[p]), "text after the closing quote of a field");
            } else {
                const std::size_t b = p;
                const char* const text = m_text.data();
                p = static_cast<std::size_t>(
                    detail::find_byte(text + p, text + m_text.size(), ',', '\n', '\r') - text);
                field = std::string(trim(m_text.substr(b, p - b)));
            }
            fields.push_back(std::move(field));
            if (p < m_text.size() && m_text[p] == ',') {
                m_pos = p + 1;
                continue;
            }
            if (p < m_text.size() && m_text[p] == '\r') ++p;
            if (p < m_text.size() && m_text[p] == '\n') ++p;
            ++m_line;
            m_pos = p;
            return;
        }
    }

    std::string_view m_text;
    const std::string& m_source;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
};

} // namespace

std::optional<std::size_t> csv_table::find_column(std::string_view name) const noexcept {
    for (std::size_t j = 0; j < header.size(); ++j)
        if (header[j] == name) return j;
    return std::nullopt;
}

std::size_t csv_table::column(std::string_view name) const {
    if (const auto j = find_column(name)) return *j;
    std::string have;
    for (const auto& h : header)
        have += (have.empty() ? "" : ", ") + h;
    throw parse_error(source, header_line, std::string(name), "",
                      "no such column; the header has: " + have);
}

double csv_table::number(std::size_t row, std::size_t col, bool empty_is_missing) const {
    return parse_number_field(rows.at(row).at(col), source, line.at(row), header.at(col),
                              empty_is_missing);
}

double parse_number_field(std::string_view text, const std::string& source, std::size_t line,
                          const std::string& column, bool empty_is_missing) {
    const std::string_view s = trim(text);
    if (s.empty()) {
        if (empty_is_missing) return std::nan("");
        throw parse_error(source, line, column, "", "a number is missing");
    }
    double x = 0.0;
    // The one number rule (number.hpp): decimal only, finite.
    switch (read_number(s, x)) {
    case number_status::ok:
        return x;
    case number_status::not_finite:
        throw parse_error(source, line, column, std::string(text), "must be a finite number");
    default:
        throw parse_error(source, line, column, std::string(text), "not a number");
    }
}

std::vector<double> csv_table::numbers(std::string_view name, bool empty_is_missing) const {
    const std::size_t j = column(name);
    std::vector<double> out(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
        out[r] = number(r, j, empty_is_missing);
    return out;
}

csv_table read_csv_table(std::istream& in, const std::string& source) {
    std::string text = read_side_text(in, source);          // a line of at most 1 MiB
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3); // a UTF-8 byte order mark
    csv_table t;
    t.source = source;
    table_scanner scan(text, source);
    std::vector<std::string> fields;
    std::size_t line = 1;
    if (!scan.next(fields, line))
        throw parse_error(source, 1, "", "", "the file is empty: a header line is required");
    t.header = fields;
    t.header_line = line;
    std::set<std::string> seen;
    for (std::size_t j = 0; j < t.header.size(); ++j) {
        if (t.header[j].empty())
            throw parse_error(source, line, "field " + std::to_string(j + 1), "",
                              "a column name is empty");
        if (!seen.insert(t.header[j]).second)
            throw parse_error(source, line, t.header[j], t.header[j],
                              "the column name appears twice in the header");
    }
    while (scan.next(fields, line)) {
        if (fields.size() != t.header.size())
            throw parse_error(source, line, "", "",
                              "the row has " + std::to_string(fields.size()) +
                                  " fields, the header has " + std::to_string(t.header.size()));
        t.rows.push_back(fields);
        t.line.push_back(line);
    }
    return t;
}

csv_table read_csv_table(const std::string& path, std::string_view argument) {
    if (path == "-") return read_csv_table(std::cin, "<stdin>");
    std::ifstream f(path, std::ios::binary);
    if (!f && !argument.empty())
        throw invalid_argument(argument, "cannot open \"" + path + "\"", path);
    if (!f)
        throw invalid_argument("cannot open \"" + path + "\" for reading",
                               {"path", std::nullopt, {}, {}, path});
    return read_csv_table(f, path);
}

CUSTOMETRICS_END_NAMESPACE
