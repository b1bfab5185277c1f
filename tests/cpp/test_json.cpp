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

TEST_CASE("write_fraction: shares from 0.001 up to 1 (not included) as std::to_chars writes them") {
    std::size_t written = 0; // by the fast path, not left to to_chars
    std::size_t checked = 0;
    std::string first_wrong;
    auto check = [&](double y) {
        ++checked;
        std::array<char, 32> buf{};
        char* end = detail::write_fraction(buf.data(), y);
        std::array<char, 64> ref{};
        char* ref_end = std::to_chars(ref.data(), ref.data() + ref.size(), y).ptr;
        const std::string want(ref.data(), ref_end);
        if (end != nullptr) {
            ++written;
            const std::string got(buf.data(), end);
            if (first_wrong.empty() && got != want) first_wrong = want + " written " + got;
        }
        // And through write_double, either sign (the fast path or to_chars).
        if (first_wrong.empty() && written_double(y) != want)
            first_wrong = want + " written_double " + written_double(y);
        if (first_wrong.empty() && written_double(-y) != "-" + want)
            first_wrong = "-" + want + " written_double " + written_double(-y);
    };
    std::mt19937_64 rng(18);
    // Random significands at every binary exponent of the range (2^-10 .. 2^-1), cumulative
    // shares k / n as a ranking gives them (running sums over a total), and the decimals of
    // few digits with their neighbouring doubles (ties, short texts, powers of ten).
    for (int i = 0; i < 1'000'000; ++i) {
        const double y = std::ldexp(1.0 + std::ldexp(static_cast<double>(rng() >> 12), -52),
                                    -1 - static_cast<int>(rng() % 10));
        if (y >= 1e-3 && y < 1.0) check(y);
    }
    double sum = 0.0;
    const double total = 123456.789;
    for (int i = 0; i < 200'000; ++i) {
        sum += static_cast<double>(rng() % 1000) / 100.0 + 0.01;
        if (sum / total < 1.0) check(sum / total);
        check(static_cast<double>(i + 1) / 200'001.0);
    }
    for (int d = 1; d <= 99'999; ++d) {
        const double y = static_cast<double>(d) / 100'000.0;
        for (const double z : {y, std::nextafter(y, 0.0), std::nextafter(y, 1.0)})
            if (z >= 1e-3 && z < 1.0) check(z);
    }
    for (const double y : {1e-3, 0.5, 0.25, 0.75, 0.1, 0.01, 0.3, 0.999, std::nextafter(1.0, 0.0),
                           std::nextafter(1e-3, 1.0), 0.1 + 0.2 - 0.2})
        check(y);
    CHECK_MESSAGE(first_wrong.empty(), first_wrong);
    CHECK(checked > 1'500'000);
    CHECK(written > checked * 9 / 10); // the fast path writes nearly all of them
    // Hand-checked: 17 digits, fewer, zeros after the point, and values outside the range.
    std::array<char, 32> buf{};
    auto text = [&](double y) {
        char* end = detail::write_fraction(buf.data(), y);
        return end == nullptr ? std::string("(to_chars)") : std::string(buf.data(), end);
    };
    CHECK(text(0.1 + 0.2) == "0.30000000000000004");
    CHECK(text(2.0 / 3.0) == "0.6666666666666666");
    CHECK(text(0.001) == "0.001");
    CHECK(text(1.0 / 999.0) == "0.001001001001001001");
    CHECK(text(0.3) == "0.3");
    CHECK(text(0.5) == "(to_chars)"); // a power of two
    CHECK(text(1.0) == "(to_chars)");
    CHECK(text(0.000999) == "(to_chars)");
    CHECK(text(-0.3) == "(to_chars)");
}
