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

/// Offset of the first byte of `s` that does not start a well-formed UTF-8 sequence, or
/// `std::string_view::npos` when all of `s` is well-formed. Example: "M\xfcller" -> 1.
constexpr std::size_t utf8_error_offset(std::string_view s) noexcept {
    const std::size_t n = s.size();
    std::size_t i = 0;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    while (i < n) {
        const unsigned char c = byte(i);
        if (c < 0x80) {
            ++i;
            continue;
        }
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
            return i;
        }
        if (i + len > n) return i;
        const unsigned char second = byte(i + 1);
        if (second < lo || second > hi) return i;
        for (std::size_t k = 2; k < len; ++k)
            if ((byte(i + k) & 0xC0) != 0x80) return i;
        i += len;
    }
    return std::string_view::npos;
}

/// Whether all of `s` is well-formed UTF-8.
constexpr bool is_valid_utf8(std::string_view s) noexcept {
    return utf8_error_offset(s) == std::string_view::npos;
}

/// `s` for a message: printable ASCII as is, other bytes as `\xNN`, cut after `limit` bytes
/// with "..." (so a bad value of any length gives a short, printable, valid message).
inline std::string escape_bytes(std::string_view s, std::size_t limit = 80) {
    constexpr std::string_view hex = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    if (s.size() > limit) out += "...";
    return out;
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
