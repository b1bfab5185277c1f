// Tests of custometrics/detail/byte_scan.hpp: the byte search of the CSV readers. Its three
// widths (16-byte SSE2 blocks, 8-byte words, single bytes) are each reached by some length below,
// so a match at every position of a block or word, in a block or in the tail after it, is
// checked against the position where the test put it.
#include "custometrics/detail/byte_scan.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace cm = custometrics;

namespace {

// The offset that find_byte gives in `s` (s.size() when no byte matches).
std::size_t offset(const std::string& s, char a, char b, char c) {
    return static_cast<std::size_t>(cm::detail::find_byte(s.data(), s.data() + s.size(), a, b, c) -
                                    s.data());
}

} // namespace

TEST_CASE("zero_bytes: 0x80 exactly in the zero bytes of a word") {
    // By hand: bytes (high to low) 00 11 22 00 33 44 55 66; the zero bytes are the 8th and 5th.
    CHECK(cm::detail::zero_bytes(0x0011'2200'3344'5566ULL) == 0x8000'0080'0000'0000ULL);
    CHECK(cm::detail::zero_bytes(0) == 0x8080'8080'8080'8080ULL);
    CHECK(cm::detail::zero_bytes(0xffff'ffff'ffff'ffffULL) == 0);
    // 0x01 above a zero byte: the short formula ((w - 0x01..) & ~w & 0x80..) flags it too
    // (a borrow), this one does not. 0x80 bytes (high bit set) are not zero.
    CHECK(cm::detail::zero_bytes(0x0000'0000'0000'0100ULL) == 0x8080'8080'8080'0080ULL);
    CHECK(cm::detail::zero_bytes(0x8080'8080'8080'8000ULL) == 0x0000'0000'0000'0080ULL);
}

TEST_CASE("find_byte: each of the three bytes at every position of blocks, words and tails") {
    // Lengths 0..40 cover two 16-byte blocks, an 8-byte word after them and 0..7 single bytes.
    // The filler holds bytes >= 0x80 (UTF-8 and Latin-1) and near misses ('+' and '-' beside
    // ',', '!' and '#' beside '"', 0x0b and 0x09 beside '\n').
    const std::string filler = "ab\xC3\xA9+-!#\x0b\x09\xFF\x80\x7F 0Z";
    for (std::size_t n = 0; n <= 40; ++n) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i)
            s += filler[i % filler.size()];
        CAPTURE(n);
        CHECK(offset(s, ',', '"', '\n') == n); // none
        for (std::size_t at = 0; at < n; ++at)
            for (const char target : {',', '"', '\n'}) {
                std::string t = s;
                t[at] = target;
                if (at + 3 < n) t[at + 3] = ','; // a later match does not matter
                CAPTURE(at);
                CAPTURE(target);
                CHECK(offset(t, ',', '"', '\n') == at);
                CHECK(offset(t, target, target, target) == at);
            }
    }
}

TEST_CASE("find_byte: bytes >= 0x80 as the searched bytes, and the range's bounds") {
    // A Latin-1 section sign 0xA7 as a delimiter among UTF-8 text (0xC2 0xA7 is the same sign
    // in UTF-8: its second byte matches, as a byte-wise delimiter must).
    const std::string s = "caf\xC3\xA9\xC2\xA7x\xA7yyyyyyyyyyyyyyyyy";
    CHECK(offset(s, '\xA7', '\n', '\n') == 6);
    CHECK(offset(s.substr(7), '\xA7', '\n', '\n') == 1);
    CHECK(offset(s, '\xC3', '\xA9', '\xA9') == 3);
    // Bytes at or past `end` are never read or matched: a match right after the range is not
    // found, at every length.
    const std::string t(40, 'q');
    for (std::size_t n = 0; n < 40; ++n) {
        std::string u = t;
        u[n] = ',';
        CHECK(cm::detail::find_byte(u.data(), u.data() + n, ',', ',', ',') == u.data() + n);
    }
}

TEST_CASE("count_bytes: counts in blocks, words and tails, past 255 blocks of byte lanes") {
    // All quotes: every byte lane of the SSE2 sums reaches its most (255) before it is added
    // up; 10,000 bytes take 2 batches of 255 blocks and a part of a third.
    const std::string quotes(10000, '"');
    for (const std::size_t n : {0, 1, 7, 8, 15, 16, 17, 4080, 4081, 4096, 10000}) {
        const auto [q, l] = cm::detail::count_bytes(quotes.data(), quotes.data() + n, '"', '\n');
        CHECK(q == n);
        CHECK(l == 0);
    }
    // A line break at every 7th byte and a quote at every other 3rd one, from byte
    // 0 of a 1000-byte text, counted from every start in the first 40 bytes: expected counts
    // by construction, and the quote at the start of a range counted once.
    std::string s(1000, 'x');
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] = i % 7 == 0 ? '\n' : i % 3 == 0 ? '"' : static_cast<char>(0x80 + i % 100);
    for (std::size_t from = 0; from < 40; ++from)
        for (const std::size_t to : {from, from + 1, from + 9, from + 31, std::size_t{1000}}) {
            std::size_t want_q = 0;
            std::size_t want_l = 0;
            for (std::size_t i = from; i < to; ++i) {
                want_l += i % 7 == 0 ? 1 : 0;
                want_q += i % 7 != 0 && i % 3 == 0 ? 1 : 0;
            }
            const auto [q, l] = cm::detail::count_bytes(s.data() + from, s.data() + to, '"', '\n');
            CAPTURE(from);
            CAPTURE(to);
            CHECK(q == want_q);
            CHECK(l == want_l);
        }
}
