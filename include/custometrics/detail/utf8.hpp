// UTF-8 validation: where a byte string stops being well-formed UTF-8.
//
// Well-formed as the Unicode Standard (ch. 3, table 3-7) and RFC 3629 define it: no overlong
// forms (C0, C1, E0 80..9F, F0 80..8F), no surrogates (ED A0..BF), nothing above U+10FFFF
// (F4 90.., F5..FF), no stray continuation byte, no truncated sequence. The JSON writer uses it
// to refuse strings that would make its output invalid (RFC 8259 section 8.1 requires UTF-8).
#pragma once

#include "custometrics/config.hpp"

#include <cstddef>
#include <string>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// Length of the well-formed UTF-8 sequence that starts `s` (1 to 4), or 0 when `s` is empty
/// or does not start with one. Example: "\xc3\xbc" -> 2, "\xfc" -> 0.
constexpr std::size_t utf8_sequence_length(std::string_view s) noexcept {
    if (s.empty()) return 0;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(0);
    if (c < 0x80) return 1;
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0; // overlong
        if (c == 0xED) hi = 0x9F; // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90; // overlong
        if (c == 0xF4) hi = 0x8F; // above U+10FFFF
    } else {
        return 0;
    }
    if (len > s.size() || byte(1) < lo || byte(1) > hi) return 0;
    for (std::size_t k = 2; k < len; ++k)
        if ((byte(k) & 0xC0) != 0x80) return 0;
    return len;
}

/// Offset of the first byte of `s` that does not start a well-formed UTF-8 sequence, or
/// `std::string_view::npos` when all of `s` is well-formed. Example: "M\xfcller" -> 1.
constexpr std::size_t utf8_error_offset(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t len = utf8_sequence_length(s.substr(i));
        if (len == 0) return i;
        i += len;
    }
    return std::string_view::npos;
}

/// Whether all of `s` is well-formed UTF-8.
constexpr bool is_valid_utf8(std::string_view s) noexcept {
    return utf8_error_offset(s) == std::string_view::npos;
}

/// `s` for an error message: the one escaping of every value and column a message names
/// (`parse_error` applies it, so every reader of a transaction CSV or side file escapes alike).
///
/// At most `limit` bytes of `s` on one line, printable and valid UTF-8: line breaks and tabs
/// written as \n, \r, \t, other control bytes (NUL included, which would cut the message) and
/// bytes that are not part of well-formed UTF-8 as \xHH, a byte order mark inside the text as
/// \uFEFF; well-formed UTF-8 stays as it is. A longer `s` is cut after `limit` bytes and ends
/// in "..." (so a bad value of any length gives a short message); a sequence cut there is
/// escaped. Applying it twice changes nothing but the cut.
/// Example: excerpt("x\0y") == "x\\x00y", excerpt("M\xfcller") == "M\\xFCller".
inline std::string excerpt(std::string_view s, std::size_t limit = 60) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    const std::string_view head = s.substr(0, limit);
    std::string out;
    for (std::size_t i = 0; i < head.size();) {
        const auto c = static_cast<unsigned char>(head[i]);
        const std::size_t len = c >= 0x80 ? utf8_sequence_length(head.substr(i)) : 1;
        if (c == '\n' || c == '\r' || c == '\t') {
            out += '\\';
            out += c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else if (c < 0x20 || c == 0x7F || len == 0) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else if (head.substr(i, 3) == "\xEF\xBB\xBF") {
            out += "\\uFEFF";
        } else {
            out += head.substr(i, len);
        }
        i += len == 0 ? 1 : len;
    }
    if (s.size() > limit) out += "...";
    return out;
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
