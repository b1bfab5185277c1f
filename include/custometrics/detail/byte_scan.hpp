// The byte scans of the CSV readers: the first of up to three given bytes in a range
// (`find_byte`), and how often two given bytes occur in it (`count_bytes`).
#pragma once

#include "custometrics/config.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#define CUSTOMETRICS_FIND_BYTE_SSE2 1
#include <emmintrin.h>
#else
#define CUSTOMETRICS_FIND_BYTE_SSE2 0
#endif

CUSTOMETRICS_BEGIN_NAMESPACE

namespace detail {

/// 0x80 in each byte of `w` that is zero, 0 in every other byte: exact for every byte (no false
/// positive above a zero byte, unlike the shorter `(w - 0x01..) & ~w & 0x80..`), so the first
/// match may be taken from either end of the word. Method: `(w & 0x7f..) + 0x7f..` sets the high
/// bit of each byte whose low seven bits are not all zero, without a carry into the next byte;
/// or-ing `w` adds the bytes whose high bit is set; what is left clear is a zero byte.
/// Example: `zero_bytes(0x0011'2200'3344'5566) == 0x8000'0080'0000'0000`.
constexpr std::uint64_t zero_bytes(std::uint64_t w) noexcept {
    constexpr std::uint64_t low7 = 0x7f7f'7f7f'7f7f'7f7fULL;
    return ~(((w & low7) + low7) | w | low7);
}

/// The first byte in [p, end) equal to `a`, `b` or `c` (pass one byte twice to search for
/// two), or `end` when there is none. The one scan primitive of the CSV readers (csv.cpp, the
/// transaction reader's record scanner and chunk boundaries; csv_table.cpp), which call it for
/// the next structural byte (delimiter, quote, line break) of a run of field text.
///
/// Method: 16 bytes at a time with SSE2 (the x86-64 baseline: three byte compares, a mask, its
/// lowest set bit), then 8 at a time with 64-bit words (SWAR: `zero_bytes` of the word xor each
/// byte repeated, the first match by the bit order of the machine), then byte by byte; without
/// SSE2 the words do all but the last few bytes. Unaligned loads through `memcpy` /
/// `_mm_loadu_si128`, never a byte at or past `end`, so it is safe at the end of a mapped file.
/// Bytes >= 0x80 are compared as bytes (UTF-8 text, a delimiter such as 0xA7). Fields of a few
/// bytes cost one load; a long run of text costs one load per 16 bytes instead of a compare and
/// a branch per byte.
/// Example: on `s` = "12,5\n", `find_byte(s, s + 5, ',', '"', '\n')` is `s + 2` (the comma)
/// and `find_byte(s + 3, s + 5, ',', '"', '\n')` is `s + 4` (the line break); on "12.5",
/// `find_byte(s, s + 4, ',', '"', '\n')` is `s + 4` (none).
inline const char* find_byte(const char* p, const char* end, char a, char b, char c) noexcept {
#if CUSTOMETRICS_FIND_BYTE_SSE2
    if (end - p >= 16) {
        const __m128i va = _mm_set1_epi8(a);
        const __m128i vb = _mm_set1_epi8(b);
        const __m128i vc = _mm_set1_epi8(c);
        do {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i hit = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc));
            const auto bits = static_cast<unsigned>(_mm_movemask_epi8(hit));
            if (bits != 0) return p + std::countr_zero(bits);
            p += 16;
        } while (end - p >= 16);
    }
#endif
    constexpr std::uint64_t ones = 0x0101'0101'0101'0101ULL;
    const std::uint64_t wa = ones * static_cast<unsigned char>(a);
    const std::uint64_t wb = ones * static_cast<unsigned char>(b);
    const std::uint64_t wc = ones * static_cast<unsigned char>(c);
    while (end - p >= 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, sizeof w);
        const std::uint64_t hit = zero_bytes(w ^ wa) | zero_bytes(w ^ wb) | zero_bytes(w ^ wc);
        if (hit != 0) {
            if constexpr (std::endian::native == std::endian::little)
                return p + std::countr_zero(hit) / 8;
            else
                return p + std::countl_zero(hit) / 8;
        }
        p += 8;
    }
    for (; p < end; ++p)
        if (*p == a || *p == b || *p == c) return p;
    return end;
}

/// How many bytes of [p, end) equal `a`, and how many equal `b`: the parallel CSV reader's
/// count of quotes and line breaks per chunk, in one pass over the bytes.
///
/// Method: as `find_byte`, 16 bytes at a time with SSE2 (a compare gives -1 in each matching
/// byte; 255 blocks are summed in byte lanes, then the lanes are added with `psadbw`), then 8
/// at a time with words (`popcount` of `zero_bytes`, exact per byte), then byte by byte.
/// Example: `count_bytes(s, s + 7, '"', '\n')` on `"x""y"\n` is {4, 1}.
inline std::pair<std::size_t, std::size_t> count_bytes(const char* p, const char* end, char a,
                                                       char b) noexcept {
    std::size_t na = 0;
    std::size_t nb = 0;
#if CUSTOMETRICS_FIND_BYTE_SSE2
    const __m128i va = _mm_set1_epi8(a);
    const __m128i vb = _mm_set1_epi8(b);
    const __m128i zero = _mm_setzero_si128();
    while (end - p >= 16) {
        // Byte lanes count up to 255 blocks without overflow.
        const std::ptrdiff_t blocks = std::min<std::ptrdiff_t>((end - p) / 16, 255);
        __m128i ca = zero;
        __m128i cb = zero;
        for (std::ptrdiff_t i = 0; i < blocks; ++i, p += 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            ca = _mm_sub_epi8(ca, _mm_cmpeq_epi8(v, va));
            cb = _mm_sub_epi8(cb, _mm_cmpeq_epi8(v, vb));
        }
        const __m128i sa = _mm_sad_epu8(ca, zero); // two 64-bit sums of eight lanes each
        const __m128i sb = _mm_sad_epu8(cb, zero);
        na += static_cast<std::size_t>(_mm_cvtsi128_si32(sa)) +
              static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sa, 8)));
        nb += static_cast<std::size_t>(_mm_cvtsi128_si32(sb)) +
              static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sb, 8)));
    }
#endif
    constexpr std::uint64_t ones = 0x0101'0101'0101'0101ULL;
    const std::uint64_t wa = ones * static_cast<unsigned char>(a);
    const std::uint64_t wb = ones * static_cast<unsigned char>(b);
    for (; end - p >= 8; p += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, sizeof w);
        na += static_cast<std::size_t>(std::popcount(zero_bytes(w ^ wa)));
        nb += static_cast<std::size_t>(std::popcount(zero_bytes(w ^ wb)));
    }
    for (; p < end; ++p) {
        na += *p == a ? 1 : 0;
        nb += *p == b ? 1 : 0;
    }
    return {na, nb};
}

/// `find_byte` on mutable text (the readers split records in place).
inline char* find_byte(char* p, char* end, char a, char b, char c) noexcept {
    return const_cast<char*>(find_byte(static_cast<const char*>(p), end, a, b, c));
}

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
