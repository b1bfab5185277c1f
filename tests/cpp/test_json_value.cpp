// Tests of custometrics/json_value.hpp: the JSON reader.
#include "custometrics/json_value.hpp"

#include "custometrics/error.hpp"

#include <doctest/doctest.h>

#include <string>

namespace cm = custometrics;

namespace {

std::string error_of(const std::string& text) {
    try {
        (void)cm::parse_json(text, "f.json");
    } catch (const cm::parse_error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("json: every kind of value, nested, in file order") {
    const cm::json_value v = cm::parse_json(R"({
  "model": "bgnbd",
  "params": {"r": 0.243, "alpha": 4.414e0, "a": -7.93E-1, "b": 2},
  "flags": [true, false, null],
  "text": "tab\tquote\" slash\/ \u00e9 \ud83d\ude00",
  "empty": {}, "none": []
})",
                                            "f.json");
    CHECK(v.string("model") == "bgnbd");
    const cm::json_value& p = v.at("params");
    CHECK(p.number("r") == 0.243);
    CHECK(p.number("alpha") == 4.414);
    CHECK(p.number("a") == -0.793);
    CHECK(p.number("b") == 2.0);
    REQUIRE(p.as_object().size() == 4);
    CHECK(p.as_object()[1].first == "alpha"); // file order
    const auto& flags = v.at("flags").as_array();
    CHECK(flags[0].as_bool());
    CHECK_FALSE(flags[1].as_bool());
    CHECK(flags[2].is_null());
    // é is C3 A9 in UTF-8; U+1F600 (the surrogate pair) is F0 9F 98 80.
    CHECK(v.string("text") == "tab\tquote\" slash/ \xC3\xA9 \xF0\x9F\x98\x80");
    CHECK(v.at("empty").as_object().empty());
    CHECK(v.at("none").as_array().empty());
    CHECK(v.find("missing") == nullptr);
    CHECK(p.path() == "params");
    CHECK(p.line() == 3);
}

TEST_CASE("json: lookups name the source, line and member path") {
    const cm::json_value v =
        cm::parse_json("{\"params\":\n {\"r\": \"x\", \"list\": [1, {}]}}", "f.json");
    CHECK_THROWS_WITH_AS((void)v.at("params").number("alpha"),
                         "f.json:2: column \"params.alpha\": the member is missing",
                         cm::parse_error);
    CHECK_THROWS_WITH_AS((void)v.at("params").number("r"),
                         "f.json:2: column \"params.r\": expected a number, got a string",
                         cm::parse_error);
    CHECK_THROWS_WITH_AS((void)v.at("params").at("list").as_array()[1].as_number(),
                         "f.json:2: column \"params.list[1]\": expected a number, got an object",
                         cm::parse_error);
    CHECK_THROWS_AS((void)v.at("params").at("list").find("x"), cm::parse_error);
}

TEST_CASE("json: malformed input") {
    CHECK(error_of("") == "f.json:1: column \"\": a value is missing (end of input)");
    CHECK(error_of("{\"a\": 1,}") ==
          "f.json:1: column \"\": expected a member name in double quotes (value \"}\")");
    CHECK(error_of("{\"a\": 1 \"b\": 2}") ==
          "f.json:1: column \"\": expected ',' or '}' in an object (value \"\"b\": 2}\")");
    CHECK(error_of("{\"a\": 1, \"a\": 2}") ==
          "f.json:1: column \"a\": the member name appears twice (value \": 2}\")");
    CHECK(error_of("[1, 2") == "f.json:1: column \"\": expected ',' or ']' in an array");
    CHECK(error_of("{\"a\":\n 01}") == "f.json:2: column \"a\": not a JSON number (value \"01}\")");
    CHECK(error_of("{\"a\": .5}") == "f.json:1: column \"a\": not a JSON value (value \".5}\")");
    CHECK(error_of("{\"a\": 1e999}") ==
          "f.json:1: column \"a\": number out of range (value \"1e999}\")");
    CHECK(error_of("{\"a\": NaN}") == "f.json:1: column \"a\": not a JSON value (value \"NaN}\")");
    CHECK(error_of("\"abc") == "f.json:1: column \"\": a string is not closed");
    CHECK(error_of("\"a\\qb\"") ==
          "f.json:1: column \"\": an unknown escape in a string (value \"qb\"\")");
    CHECK(error_of("\"\\ud800x\"") ==
          "f.json:1: column \"\": a high surrogate without its low surrogate (value \"x\"\")");
    CHECK(error_of("{} {}") == "f.json:1: column \"\": text after the JSON value (value \"{}\")");
    // The path of the 257th level, "[0]" 257 times, is cut to its first 60 bytes in the message
    // and the column field (parse_error's one escaping, detail::excerpt: a bounded message).
    std::string path;
    for (int i = 0; i < 20; ++i)
        path += "[0]";
    CHECK(error_of(std::string(300, '[')) == "f.json:1: column \"" + path +
                                                 "...\": nested deeper than 256 levels (value \"" +
                                                 std::string(20, '[') + "\")");
    CHECK_THROWS_AS((void)cm::read_json_file("/nonexistent.json"), cm::invalid_argument);
}

TEST_CASE("json: flat objects of numbers into named fields") {
    double a = 1.0, b = 2.0;
    const std::pair<const char*, double*> fields[] = {{"a", &a}, {"b", &b}};
    cm::assign_json_numbers("{\"b\": 5, \"a\": true}", "f.json", fields, "rate");
    CHECK(a == 1.0); // true reads as 1
    CHECK(b == 5.0);
    cm::assign_json_numbers("{\"a\": false}", "f.json", fields, "rate");
    CHECK(a == 0.0);
    CHECK(b == 5.0); // not in the file: unchanged
    CHECK_THROWS_WITH_AS(
        cm::assign_json_numbers("{\"a\": 1,\n \"c\": 2}", "f.json", fields, "rate"),
        "f.json:2: column \"c\": unknown rate (known: a, b)", cm::parse_error);
    CHECK_THROWS_WITH_AS(cm::assign_json_numbers("{\"a\": \"x\"}", "f.json", fields, "rate"),
                         "f.json:1: column \"a\": expected a number, got a string",
                         cm::parse_error);
    CHECK_THROWS_WITH_AS(cm::assign_json_numbers("[1]", "f.json", fields, "rate"),
                         "f.json:1: column \"\": expected an object, got an array",
                         cm::parse_error);
    const auto members = cm::json_number_members("{\"x\": 1.5, \"y\": true}", "f.json");
    REQUIRE(members.size() == 2);
    CHECK(members[0] == std::pair<std::string, double>{"x", 1.5});
    CHECK(members[1] == std::pair<std::string, double>{"y", 1.0});
}
