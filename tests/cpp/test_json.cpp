// Tests of detail/json.hpp's writer and detail/utf8.hpp: the output is valid UTF-8 or an error;
// `write_double`'s text is std::to_chars' text.
#include <custometrics/detail/json.hpp>
#include <custometrics/detail/utf8.hpp>

#include <doctest/doctest.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

using namespace custometrics;
using custometrics::detail::utf8_error_offset;

TEST_CASE("utf8_error_offset: the Unicode Standard's well-formed sequences (table 3-7)") {
    constexpr auto npos = std::string_view::npos;
    CHECK(utf8_error_offset("") == npos);
    CHECK(utf8_error_offset("plain ASCII \x7f") == npos);
    CHECK(utf8_error_offset("M\xc3\xbcller") == npos);    // U+00FC
    CHECK(utf8_error_offset("\xe2\x82\xac") == npos);     // U+20AC euro
    CHECK(utf8_error_offset("\xed\x9f\xbf") == npos);     // U+D7FF, last before surrogates
    CHECK(utf8_error_offset("\xee\x80\x80") == npos);     // U+E000, first after them
    CHECK(utf8_error_offset("\xf0\x9f\x98\x80") == npos); // U+1F600
    CHECK(utf8_error_offset("\xf4\x8f\xbf\xbf") == npos); // U+10FFFF, the last
    CHECK(utf8_error_offset("M\xfcller") == 1);           // Latin-1 u-umlaut
    CHECK(utf8_error_offset("ab\x80") == 2);              // stray continuation
    CHECK(utf8_error_offset("\xc0\xaf") == 0);            // overlong '/'
    CHECK(utf8_error_offset("\xc1\xbf") == 0);            // overlong
    CHECK(utf8_error_offset("\xe0\x9f\xbf") == 0);        // overlong 3-byte
    CHECK(utf8_error_offset("\xed\xa0\x80") == 0);        // surrogate U+D800
    CHECK(utf8_error_offset("\xf0\x8f\xbf\xbf") == 0);    // overlong 4-byte
    CHECK(utf8_error_offset("\xf4\x90\x80\x80") == 0);    // U+110000
    CHECK(utf8_error_offset("\xf5\x80\x80\x80") == 0);
    CHECK(utf8_error_offset("x\xe2\x82") == 1);    // truncated
    CHECK(utf8_error_offset("\xe2\x28\xa1") == 0); // bad second byte
    CHECK(utf8_error_offset("\xe2\x82\x28") == 0); // bad third byte
    CHECK(utf8_error_offset("\xff") == 0);
}

TEST_CASE("json_writer refuses strings that are not UTF-8, naming the value") {
    std::ostringstream good;
    detail::json_writer(good).begin_object().field("segment", "M\xc3\xbcller").end_object();
    CHECK(good.str() == "{\"segment\":\"M\xc3\xbcller\"}\n");

    // Before: the bytes were written raw, and the output was not JSON (RFC 8259 section 8.1).
    std::ostringstream out;
    detail::json_writer w(out);
    w.begin_object();
    try {
        w.field("segment", "M\xfcller");
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) == "json: \"M\\xFCller\" is not valid UTF-8 (byte 1); JSON "
                                       "output must be UTF-8: convert the input to UTF-8");
        CHECK(e.value() == "M\\xFCller");
        CHECK(e.argument() == "json");
    }
    CHECK(out.str().find('\xfc') == std::string::npos);
    std::ostringstream keys;
    CHECK_THROWS_AS(detail::json_writer(keys).begin_object().key("\xed\xa0\x80"), data_error);
    // Long values are cut in the message.
    std::ostringstream longer;
    try {
        detail::json_writer(longer).value(std::string(500, 'a') + "\xff");
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()).size() < 200);
        CHECK(std::string(e.what()).find("(byte 500)") != std::string::npos);
    }
}

namespace {

// The text `write_double` must give: whole numbers below 10^15 as integers, everything else as
// `std::to_chars` writes it (the shortest round-trip text).
std::string reference_double_text(double x) {
    std::array<char, 64> buf{};
    const auto res =
        std::abs(x) < 1e15 && x == std::trunc(x)
            ? std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<std::int64_t>(x))
            : std::to_chars(buf.data(), buf.data() + buf.size(), x);
    return {buf.data(), res.ptr};
}

std::string written_double(double x) {
    std::array<char, 32> buf{};
    return std::string(custometrics::detail::format_double(x, buf));
}

} // namespace

TEST_CASE("write_double: the money fast path gives std::to_chars' text") {
    std::size_t checked = 0;
    std::string first_wrong; // the first value written otherwise, with both texts
    auto check = [&](double y) {
        ++checked;
        const std::string got = written_double(y);
        if (first_wrong.empty() && got != reference_double_text(y))
            first_wrong = reference_double_text(y) + " written " + got;
    };
    // Every amount of cents up to 2,000.00 either way, and its neighbouring doubles (which the
    // fast path must leave to the general one).
    for (std::int64_t m = -200'000; m <= 200'000; ++m) {
        const double x = static_cast<double>(m) / 100.0;
        check(x);
        check(std::nextafter(x, 1e300));
        check(std::nextafter(x, -1e300));
    }
    // Near the fast path's bound 2^30 and across magnitudes: cents and random bits.
    std::mt19937_64 rng(7);
    for (int i = 0; i < 200'000; ++i) {
        const double scale = std::ldexp(1.0, static_cast<int>(rng() % 80) - 20);
        const double cents = std::round(std::ldexp(static_cast<double>(rng() >> 11), -53) *
                                        scale * 100.0) / 100.0;
        const double bits = std::ldexp(static_cast<double>(rng() >> 11), -53) * scale;
        for (const double y : {cents, -cents, bits, 0x1p30 - 0.01, 0x1p30 + 0.5, 0x1p30 - 0.25})
            check(y);
    }
    CHECK(checked == 2'400'003);
    CHECK_MESSAGE(first_wrong.empty(), first_wrong);
    // Hand-checked texts: one decimal kept, two kept, a negative amount, a trailing zero dropped.
    CHECK(written_double(0.1) == "0.1");
    CHECK(written_double(0.05) == "0.05");
    CHECK(written_double(-17.5) == "-17.5");
    CHECK(written_double(342.85) == "342.85");
    CHECK(written_double(342.80) == "342.8");
    CHECK(written_double(0.1 + 0.2) == "0.30000000000000004"); // not an amount of cents
    // -0.0 is a whole number: "0" (to_chars writes "-0"), which reads back equal to it.
    CHECK(written_double(-0.0) == "0");
    CHECK(written_double(-1e-300) == "-1e-300");
}
