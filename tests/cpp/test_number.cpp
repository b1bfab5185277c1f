// Tests of number.hpp: the one rule by which text becomes a number (CSV cells, option values).
#include <custometrics/csv_table.hpp>
#include <custometrics/error.hpp>
#include <custometrics/number.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

using namespace custometrics;

TEST_CASE("read_number: decimal and scientific notation, one leading '+', blanks around") {
    const std::pair<const char*, double> good[] = {
        {"12", 12.0},   {"-0.5", -0.5},       {".5", 0.5},
        {"5.", 5.0},    {"1e6", 1e6},         {"2.5E-3", 2.5e-3},
        {"+7", 7.0},    {" +1.5e3 ", 1500.0}, {"\t-3\t", -3.0},
        {"0010", 10.0}, {"-0", -0.0},         {"1.7976931348623157e308", 1.7976931348623157e308},
        {"1e-400", 0.0}};
    for (const auto& [text, value] : good) {
        CAPTURE(text);
        double x = -99.0;
        CHECK(read_number(text, x) == number_status::ok);
        CHECK(x == value);
    }
}

TEST_CASE("read_number: plain decimals (its fast path) as the compiler rounds the same literals") {
    // [-]digits[.digits] with at most 15 digits take a fast path (one division); the values are
    // the C++ literals of the same text, which the compiler rounds correctly on its own. 16
    // digits and more go through the general parser: 2^53 + 1 rounds to 2^53 (even).
    const std::pair<const char*, double> good[] = {{"0.1", 0.1},
                                                   {"0.3", 0.3},
                                                   {"123.45", 123.45},
                                                   {"99999.99", 99999.99},
                                                   {"-19.99", -19.99},
                                                   {"1.23456789012345", 1.23456789012345},
                                                   {"123456789012345", 123456789012345.0},
                                                   {"0.00000000000001", 0.00000000000001},
                                                   {"0.000000000000001", 0.000000000000001},
                                                   {"9007199254740993", 9007199254740992.0},
                                                   {"1234567890.1234567", 1234567890.1234567},
                                                   {"007.50", 7.5}};
    for (const auto& [text, value] : good) {
        CAPTURE(text);
        double x = -99.0;
        CHECK(read_number(text, x) == number_status::ok);
        CHECK(x == value);
    }
    double z = 1.0;
    CHECK(read_number("-0.00", z) == number_status::ok);
    CHECK((z == 0.0 && std::signbit(z)));
    // Random plain decimals of 1 to 17 digits against strtod (correctly rounded, "C" locale),
    // bit for bit.
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const auto digits = static_cast<int>(1 + rng() % 17);
        const auto point = static_cast<int>(rng() % static_cast<std::uint64_t>(digits));
        std::string text = rng() % 2 == 0 ? "-" : "";
        for (int d = 0; d < digits; ++d) {
            if (d == point && d > 0) text += '.';
            text += static_cast<char>('0' + rng() % 10);
        }
        CAPTURE(text);
        double x = 0;
        REQUIRE(read_number(text, x) == number_status::ok);
        const double expected = std::strtod(text.c_str(), nullptr);
        CHECK(std::memcmp(&x, &expected, sizeof x) == 0);
    }
}

TEST_CASE("read_number: texts the plain-decimal fast path passes on to the general parser") {
    // Each text leaves `detail::scan_plain_decimal` (no digit before the point, no digit after it, a
    // '+', a blank, an exponent, a letter, 16 or more digits) or is its sign edge ("-0"). The
    // status is the rule's; a value is checked twice: against the hand-written literal, and bit
    // for bit against strtod ("C" locale, correctly rounded) of the text without its blanks and
    // its one leading '+', an independent parser.
    struct row {
        const char* text;
        number_status status;
        double value; // when ok
    };
    const row rows[] = {
        {".5", number_status::ok, 0.5},
        {"5.", number_status::ok, 5.0},
        {"+5", number_status::ok, 5.0},
        {"-", number_status::malformed, 0.0},
        {"-.5", number_status::ok, -0.5},
        {" 12", number_status::ok, 12.0},
        {"1e5", number_status::ok, 100000.0},
        {"1E5", number_status::ok, 100000.0},
        {"0x10", number_status::malformed, 0.0},
        {"inf", number_status::not_finite, 0.0},
        {"nan", number_status::not_finite, 0.0},
        {"1_000", number_status::malformed, 0.0},
        // 16 significant digits: exact (below 2^53); 17: 12345678901234567 is odd above 2^53,
        // between the doubles ...566 and ...568, a tie rounded to the even mantissa, ...568.
        {"1234567890123456", number_status::ok, 1234567890123456.0},
        {"123456789012.3456", number_status::ok, 123456789012.3456},
        {"12345678901234567", number_status::ok, 12345678901234568.0},
        {"0.12345678901234567", number_status::ok, 0.12345678901234567},
        {"-0", number_status::ok, -0.0},
        {"-0.0", number_status::ok, -0.0},
    };
    for (const row& r : rows) {
        CAPTURE(r.text);
        double x = -99.0;
        const number_status status = read_number(r.text, x);
        CHECK(status == r.status);
        if (r.status != number_status::ok) {
            CHECK(x == -99.0); // untouched
            continue;
        }
        CHECK(x == r.value);
        CHECK(std::signbit(x) == std::signbit(r.value)); // -0 and -0.0 keep their sign
        std::string plain = r.text;
        plain.erase(0, plain.find_first_not_of(" \t"));
        if (plain.front() == '+') plain.erase(0, 1);
        char* end = nullptr;
        const double expected = std::strtod(plain.c_str(), &end);
        REQUIRE(*end == '\0');
        CHECK(std::memcmp(&x, &expected, sizeof x) == 0);
    }
}

TEST_CASE("read_number refuses hexadecimal, inf, nan, separators, two signs, trailing text") {
    // Before, an option value went through CLI11/strtod, which reads 0x10 as 16 and accepts inf.
    for (const char* text : {"0x10", "0X1A", "0x1p4", "1,000", "1_000", "1,5", "+-1", "++1", "-+1",
                             "1e", "12abc", "12 34", "abc", "+", "-", ".", "e5", "1..2", "5 EUR"}) {
        CAPTURE(text);
        double x = -99.0;
        CHECK(read_number(text, x) == number_status::malformed);
        CHECK(x == -99.0);
    }
    for (const char* text :
         {"inf", "-inf", "+inf", "INF", "Infinity", "nan", "NaN", "-nan", "1e400", "-1e400"}) {
        CAPTURE(text);
        double x = -99.0;
        CHECK(read_number(text, x) == number_status::not_finite);
    }
    double x = 0.0;
    CHECK(read_number("", x) == number_status::empty);
    CHECK(read_number(" \t ", x) == number_status::empty);
    CHECK_THROWS_WITH_AS(parse_number("0x10", "--fixed-costs"),
                         "--fixed-costs: cannot read \"0x10\" as a number: not a number (decimal "
                         "notation expected, e.g. 12.5 or 1e6)",
                         invalid_argument);
    CHECK_THROWS_WITH_AS(parse_number("inf", "--price"),
                         "--price: cannot read \"inf\" as a number: must be a finite number",
                         invalid_argument);
    CHECK(parse_number("+2.5", "--price") == 2.5);
}

TEST_CASE("side files follow the same rule as option values") {
    CHECK_THROWS_WITH_AS(parse_number_field("0x10", "m.csv", 2, "price"),
                         "m.csv:2: column \"price\": not a number (value \"0x10\")", parse_error);
    CHECK_THROWS_WITH_AS(parse_number_field("1e400", "m.csv", 2, "price"),
                         "m.csv:2: column \"price\": must be a finite number (value \"1e400\")",
                         parse_error);
    CHECK(parse_number_field(" +3 ", "m.csv", 2, "price") == 3.0);
}
