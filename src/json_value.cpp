// JSON input (see json_value.hpp): a recursive-descent reader of RFC 8259.
#include "custometrics/json_value.hpp"
#include "custometrics/csv.hpp"

#include "custometrics/error.hpp"

#include <fast_float/fast_float.h>

#include <cmath>
#include <fstream>
#include <iostream>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

const char* kind_name(json_value::kind k) noexcept {
    switch (k) {
    case json_value::kind::null:
        return "null";
    case json_value::kind::boolean:
        return "a boolean";
    case json_value::kind::number:
        return "a number";
    case json_value::kind::string:
        return "a string";
    case json_value::kind::array:
        return "an array";
    case json_value::kind::object:
        return "an object";
    }
    return "?";
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

} // namespace

class json_parser {
public:
    json_parser(std::string_view text, const std::string& source)
        : m_text(text), m_source(std::make_shared<const std::string>(source)) {}

    json_value document() {
        json_value v = value("", 0);
        skip();
        if (m_pos < m_text.size()) fail("", "text after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& path, const std::string& reason) const {
        const std::size_t end = std::min(m_text.size(), m_pos + 20);
        throw parse_error(*m_source, m_line, path, std::string(m_text.substr(m_pos, end - m_pos)),
                          reason);
    }

    void skip() {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '\n')
                ++m_line;
            else if (c != ' ' && c != '\t' && c != '\r')
                return;
            ++m_pos;
        }
    }

    bool literal(std::string_view word) {
        if (m_text.substr(m_pos, word.size()) != word) return false;
        m_pos += word.size();
        return true;
    }

    json_value make(const std::string& path) const {
        json_value v;
        v.m_source = m_source;
        v.m_line = m_line;
        v.m_path = path;
        return v;
    }

    json_value value(const std::string& path, int depth) {
        if (depth > 256) fail(path, "nested deeper than 256 levels");
        skip();
        if (m_pos >= m_text.size()) fail(path, "a value is missing (end of input)");
        json_value v = make(path);
        const char c = m_text[m_pos];
        if (c == '{') {
            ++m_pos;
            json_value::object members;
            skip();
            if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                ++m_pos;
            } else {
                while (true) {
                    skip();
                    if (m_pos >= m_text.size() || m_text[m_pos] != '"')
                        fail(path, "expected a member name in double quotes");
                    std::string name = string_body(path);
                    const std::string child = path.empty() ? name : path + "." + name;
                    for (const auto& [k, _] : members)
                        if (k == name) fail(child, "the member name appears twice");
                    skip();
                    if (m_pos >= m_text.size() || m_text[m_pos] != ':')
                        fail(child, "expected ':' after the member name");
                    ++m_pos;
                    members.emplace_back(std::move(name), value(child, depth + 1));
                    skip();
                    if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                        ++m_pos;
                        continue;
                    }
                    if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                        ++m_pos;
                        break;
                    }
                    fail(path, "expected ',' or '}' in an object");
                }
            }
            v.m_data = std::move(members);
        } else if (c == '[') {
            ++m_pos;
            json_value::array items;
            skip();
            if (m_pos < m_text.size() && m_text[m_pos] == ']') {
                ++m_pos;
            } else {
                while (true) {
                    items.push_back(
                        value(path + "[" + std::to_string(items.size()) + "]", depth + 1));
                    skip();
                    if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                        ++m_pos;
                        continue;
                    }
                    if (m_pos < m_text.size() && m_text[m_pos] == ']') {
                        ++m_pos;
                        break;
                    }
                    fail(path, "expected ',' or ']' in an array");
                }
            }
            v.m_data = std::move(items);
        } else if (c == '"') {
            v.m_data = string_body(path);
        } else if (literal("true")) {
            v.m_data = true;
        } else if (literal("false")) {
            v.m_data = false;
        } else if (literal("null")) {
            v.m_data = std::monostate{};
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            v.m_data = number(path);
        } else {
            fail(path, "not a JSON value");
        }
        return v;
    }

    double number(const std::string& path) {
        // RFC 8259 grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        const std::size_t start = m_pos;
        std::size_t p = m_pos;
        auto digits = [&] {
            const std::size_t b = p;
            while (p < m_text.size() && m_text[p] >= '0' && m_text[p] <= '9')
                ++p;
            return p - b;
        };
        if (p < m_text.size() && m_text[p] == '-') ++p;
        const std::size_t int_start = p;
        const std::size_t n_int = digits();
        bool ok = n_int > 0 && !(n_int > 1 && m_text[int_start] == '0');
        if (ok && p < m_text.size() && m_text[p] == '.') {
            ++p;
            ok = digits() > 0;
        }
        if (ok && p < m_text.size() && (m_text[p] == 'e' || m_text[p] == 'E')) {
            ++p;
            if (p < m_text.size() && (m_text[p] == '+' || m_text[p] == '-')) ++p;
            ok = digits() > 0;
        }
        if (!ok) fail(path, "not a JSON number");
        double x = 0.0;
        const auto res = fast_float::from_chars(m_text.data() + start, m_text.data() + p, x);
        if (res.ec != std::errc() || !std::isfinite(x)) fail(path, "number out of range");
        m_pos = p;
        return x;
    }

    std::uint32_t hex4(const std::string& path) {
        if (m_pos + 4 > m_text.size()) fail(path, "\\u needs four hex digits");
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const char h = m_text[m_pos++];
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= static_cast<std::uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= static_cast<std::uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= static_cast<std::uint32_t>(h - 'A' + 10);
            else
                fail(path, "\\u needs four hex digits");
        }
        return v;
    }

    std::string string_body(const std::string& path) {
        ++m_pos; // the opening quote
        std::string out;
        while (true) {
            if (m_pos >= m_text.size()) fail(path, "a string is not closed");
            const char c = m_text[m_pos++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail(path, "a control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (m_pos >= m_text.size()) fail(path, "a string is not closed");
            const char e = m_text[m_pos++];
            switch (e) {
            case '"':
            case '\\':
            case '/':
                out += e;
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                std::uint32_t cp = hex4(path);
                if (cp >= 0xD800 && cp < 0xDC00) {
                    if (!literal("\\u")) fail(path, "a high surrogate without its low surrogate");
                    const std::uint32_t lo = hex4(path);
                    if (lo < 0xDC00 || lo >= 0xE000) fail(path, "an invalid low surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    fail(path, "a low surrogate without its high surrogate");
                }
                append_utf8(out, cp);
                break;
            }
            default:
                --m_pos;
                fail(path, "an unknown escape in a string");
            }
        }
    }

    std::string_view m_text;
    std::shared_ptr<const std::string> m_source;
    std::size_t m_pos = 0;
    std::size_t m_line = 1;
};

void json_value::fail(const std::string& reason) const {
    throw parse_error(*m_source, m_line, m_path, "", reason);
}

double json_value::as_number() const {
    if (const auto* x = std::get_if<double>(&m_data)) return *x;
    fail(std::string("expected a number, got ") + kind_name(type()));
}

bool json_value::as_bool() const {
    if (const auto* x = std::get_if<bool>(&m_data)) return *x;
    fail(std::string("expected true or false, got ") + kind_name(type()));
}

const std::string& json_value::as_string() const {
    if (const auto* x = std::get_if<std::string>(&m_data)) return *x;
    fail(std::string("expected a string, got ") + kind_name(type()));
}

const json_value::array& json_value::as_array() const {
    if (const auto* x = std::get_if<array>(&m_data)) return *x;
    fail(std::string("expected an array, got ") + kind_name(type()));
}

const json_value::object& json_value::as_object() const {
    if (const auto* x = std::get_if<object>(&m_data)) return *x;
    fail(std::string("expected an object, got ") + kind_name(type()));
}

const json_value* json_value::find(std::string_view name) const {
    for (const auto& [k, v] : as_object())
        if (k == name) return &v;
    return nullptr;
}

const json_value& json_value::at(std::string_view name) const {
    if (const json_value* v = find(name)) return *v;
    const std::string child = m_path.empty() ? std::string(name) : m_path + "." + std::string(name);
    throw parse_error(*m_source, m_line, child, "", "the member is missing");
}

json_value parse_json(std::string_view text, const std::string& source) {
    return json_parser(text, source).document();
}

std::vector<std::pair<std::string, double>> json_number_members(std::string_view text,
                                                                const std::string& source) {
    const json_value v = parse_json(text, source);
    std::vector<std::pair<std::string, double>> out;
    for (const auto& [name, value] : v.as_object()) {
        if (value.type() == json_value::kind::boolean)
            out.emplace_back(name, value.as_bool() ? 1.0 : 0.0);
        else
            out.emplace_back(name, value.as_number());
    }
    return out;
}

namespace {

/// The field named `name`, or nullptr.
double* named_field(std::string_view name,
                    std::span<const std::pair<const char*, double*>> fields) {
    for (const auto& [known, field] : fields)
        if (name == known) return field;
    return nullptr;
}

/// "unknown <what> (known: a, b, ...)".
std::string unknown_field(std::span<const std::pair<const char*, double*>> fields,
                          const std::string& what) {
    std::string list;
    for (const auto& [known, field] : fields)
        list += (list.empty() ? "" : ", ") + std::string(known);
    return "unknown " + what + " (known: " + list + ")";
}

} // namespace

void assign_named_numbers(std::span<const std::pair<std::string, double>> values,
                          std::string_view argument,
                          std::span<const std::pair<const char*, double*>> fields,
                          const std::string& what) {
    for (const auto& [name, value] : values) {
        double* dst = named_field(name, fields);
        if (dst == nullptr)
            throw invalid_argument(argument, "\"" + name + "\": " + unknown_field(fields, what),
                                   name);
        *dst = value;
    }
}

void assign_json_numbers(std::string_view text, const std::string& source,
                         std::span<const std::pair<const char*, double*>> fields,
                         const std::string& what) {
    const json_value v = parse_json(text, source);
    for (const auto& [name, value] : v.as_object()) {
        double* dst = named_field(name, fields);
        if (dst == nullptr)
            throw parse_error(source, value.line(), name, "", unknown_field(fields, what));
        *dst = value.type() == json_value::kind::boolean ? (value.as_bool() ? 1.0 : 0.0)
                                                         : value.as_number();
    }
}

json_value read_json_file(const std::string& path) {
    if (path == "-") return parse_json(read_side_text(std::cin, "<stdin>"), "<stdin>");
    std::ifstream f(path, std::ios::binary);
    if (!f)
        throw invalid_argument("cannot open \"" + path + "\" for reading",
                               {"path", std::nullopt, {}, {}, path});
    return parse_json(read_side_text(f, path), path); // a line of at most 1 MiB
}

CUSTOMETRICS_END_NAMESPACE
