// Tests of detail/json.hpp's writer and detail/utf8.hpp: the output is valid UTF-8 or an error.
#include <custometrics/detail/json.hpp>
#include <custometrics/detail/utf8.hpp>

#include <doctest/doctest.h>

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
