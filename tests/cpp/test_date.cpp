// Tests of date.hpp: civil conversions, parsing, periods.
#include <custometrics/date.hpp>
#include <custometrics/nanoseconds.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace custometrics;

TEST_CASE("civil dates round-trip and match known day numbers") {
    // 2000-03-01 is day 11017 (30 years of 365 days + 7 leap days 1972..1996 = 10957 days to
    // 2000-01-01, + 31 (Jan) + 29 (Feb, leap) = 11017).
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 1, 1) == 10957);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    for (std::int64_t d = -800000; d <= 800000; d += 997) {
        const civil_date c = civil_from_days(d);
        CHECK(days_from_civil(c.year, c.month, c.day) == d);
    }
}

TEST_CASE("parse_time accepts ISO dates and timestamps") {
    CHECK(parse_time("1970-01-01") == 0);
    CHECK(parse_time("19700102") == seconds_per_day);
    CHECK(parse_time("1997-01-01") == days_from_civil(1997, 1, 1) * seconds_per_day);
    CHECK(parse_time("2020-02-29T12:30:15") ==
          days_from_civil(2020, 2, 29) * seconds_per_day + 45015);
    CHECK(parse_time("2020-02-29 12:30") == days_from_civil(2020, 2, 29) * seconds_per_day + 45000);
    CHECK(parse_time("2020-02-29T12:30:15.999Z") ==
          days_from_civil(2020, 2, 29) * seconds_per_day + 45015);
    // 01:00 at +02:00 is 23:00 UTC the day before.
    CHECK(parse_time("2020-03-01T01:00:00+02:00") ==
          days_from_civil(2020, 2, 29) * seconds_per_day + 23 * 3600);
    CHECK(parse_time("2020-03-01T01:00:00-0130") ==
          days_from_civil(2020, 3, 1) * seconds_per_day + 2 * 3600 + 30 * 60);
    CHECK(parse_time("  2020-01-01\r") == days_from_civil(2020, 1, 1) * seconds_per_day);
}

TEST_CASE("parse_time rejects what is not a valid date") {
    for (const char* bad : {"", "2020", "2020-13-01", "2021-02-29", "2020-04-31", "2020-01-00",
                            "2020/01/01", "01.02.2020", "2020-01-01T25:00", "2020-01-01Tx",
                            "2020-01-01+", "abc", "2020-01-01T10:00:00+2", "nan"})
        CHECK_MESSAGE(!parse_time(bad).has_value(), bad);
    CHECK_THROWS_WITH_AS(parse_time_or_throw("2021-02-29", "observation_end"),
                         doctest::Contains("observation_end"), invalid_argument);
    CHECK_THROWS_WITH_AS(parse_time_or_throw("2021-02-29", "observation_end"),
                         doctest::Contains("2021-02-29"), invalid_argument);
}

TEST_CASE("parse_time_status: plain YYYY-MM-DD (its fast path) and the texts it passes on") {
    // By hand: 2024-01-01 is day 19723 (1704067200 s); 2024-02-29 is 59 days later.
    std::int64_t t = 0;
    CHECK(parse_time_status("2024-02-29", t) == time_status::ok);
    CHECK(t == 1709164800);
    CHECK(parse_time_status("0001-01-01", t) == time_status::ok);
    CHECK(t == min_supported_time);
    CHECK(parse_time_status("9999-12-31", t) == time_status::ok);
    CHECK(t == max_supported_time - (seconds_per_day - 1));
    // Every day of 1999-12-25..2001-03-05 (2000 is a leap year) as format_date writes it.
    for (std::int64_t d = days_from_civil(1999, 12, 25); d <= days_from_civil(2001, 3, 5); ++d) {
        const std::string text = format_date(d * seconds_per_day);
        CAPTURE(text);
        REQUIRE(parse_time_status(text, t) == time_status::ok);
        CHECK(t == d * seconds_per_day);
    }
    // Not plain dates: each gets the general parser's status. A digit position holding a byte
    // next to the digits (':' 0x3A, '/' 0x2F), a letter, a high byte, or a bad calendar day.
    const std::pair<const char*, time_status> other[] = {{"0000-01-01", time_status::out_of_range},
                                                         {"2023-02-29", time_status::malformed},
                                                         {"2023-13-01", time_status::malformed},
                                                         {"2023-00-10", time_status::malformed},
                                                         {"2023-04-31", time_status::malformed},
                                                         {"2023-0:-01", time_status::malformed},
                                                         {"2023-01-0/", time_status::malformed},
                                                         {"2o23-01-01", time_status::malformed},
                                                         {"2\xC3\xA9"
                                                          "3-01-01",
                                                          time_status::malformed},
                                                         {"2023-01-01 ", time_status::ok},
                                                         {" 2023-01-01", time_status::ok},
                                                         {"2023-01-01T00:00", time_status::ok}};
    for (const auto& [text, status] : other) {
        CAPTURE(text);
        CHECK(parse_time_status(text, t) == status);
    }
    CHECK(parse_time_status(" 2023-01-05", t) == time_status::ok);
    CHECK(t == 1672876800); // by hand: 2023-01-01 is 1672531200, + 4 days
}

TEST_CASE("periods: days, weeks from Monday, calendar months") {
    const auto t = [](int y, unsigned m, unsigned d) {
        return days_from_civil(y, m, d) * seconds_per_day;
    };
    // 1997-01-01 was a Wednesday: its week starts on Monday 1996-12-30 and ends Sunday 1997-01-05.
    CHECK(period_index(t(1997, 1, 1), time_unit::weeks) ==
          period_index(t(1996, 12, 30), time_unit::weeks));
    CHECK(period_index(t(1997, 1, 5), time_unit::weeks) ==
          period_index(t(1996, 12, 30), time_unit::weeks));
    CHECK(period_index(t(1997, 1, 6), time_unit::weeks) ==
          period_index(t(1996, 12, 30), time_unit::weeks) + 1);
    CHECK(period_start(period_index(t(1997, 1, 1), time_unit::weeks), time_unit::weeks) ==
          t(1996, 12, 30));
    CHECK(period_index(t(1997, 3, 31), time_unit::months) -
              period_index(t(1996, 12, 1), time_unit::months) ==
          3);
    CHECK(period_start(period_index(t(1997, 3, 31), time_unit::months), time_unit::months) ==
          t(1997, 3, 1));
    CHECK(period_index(t(1969, 12, 31) + 3600, time_unit::days) == -1);
    CHECK(period_index(-1, time_unit::months) == 1969 * 12 + 11);
    CHECK(parse_time_unit("W") == time_unit::weeks);
    CHECK(parse_time_unit("months") == time_unit::months);
    CHECK_THROWS_WITH_AS(parse_time_unit("fortnights", "--time-unit"),
                         doctest::Contains("--time-unit: unknown time unit \"fortnights\""),
                         invalid_argument);
}

TEST_CASE("formatting") {
    CHECK(format_date(0) == "1970-01-01");
    CHECK(format_date(-1) == "1969-12-31");
    CHECK(format_time(days_from_civil(2021, 12, 31) * seconds_per_day) == "2021-12-31");
    CHECK(format_time(days_from_civil(2021, 12, 31) * seconds_per_day + 3661) ==
          "2021-12-31T01:01:01");
}

TEST_CASE("supported range: years 1..9999, every time read writes back and reads back") {
    // 0001-01-01 is 719162 days before 1970-01-01 (Hinnant's days_from_civil; 1969 years of
    // 365 days + 477 leap days = 719162), 9999-12-31 is 2932896 days after it.
    CHECK(min_supported_time == -719162LL * seconds_per_day);
    CHECK(max_supported_time == 2932896LL * seconds_per_day + 86399);
    CHECK(parse_time("0001-01-01") == min_supported_time);
    CHECK(parse_time("9999-12-31T23:59:59Z") == max_supported_time);
    for (const std::int64_t t :
         {min_supported_time, min_supported_time + 1, std::int64_t{0}, std::int64_t{-1},
          max_supported_time - 86399, max_supported_time}) {
        CAPTURE(t);
        CHECK(parse_time(format_time(t)) == t);
        CHECK(parse_time(format_date(t)) == day_of(t) * seconds_per_day);
    }
    // Before: 0000-01-01T00:00+03:20 was read as -001-12-31T20:40:00, which was written as
    // "-001-12-31T20:40:00" and then refused on reading.
    std::int64_t t = 0;
    for (const char* out :
         {"0000-01-01", "0000-12-31T23:59:59", "0001-01-01T00:00+03:20",
          "0001-01-01T00:59:59+01:00", "9999-12-31T23:30-01:00", "9999-12-31T23:59:59-00:01"}) {
        CAPTURE(out);
        CHECK(!parse_time(out).has_value());
        CHECK(parse_time_status(out, t) == time_status::out_of_range);
    }
    CHECK(parse_time("0001-01-01T01:00+01:00") == min_supported_time);
    CHECK(parse_time("9999-12-31T22:59:59-01:00") == max_supported_time);
    CHECK_THROWS_WITH_AS(parse_time_or_throw("0000-06-01", "--as-of"),
                         "--as-of: cannot read \"0000-06-01\" as a date: outside the supported "
                         "range 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z",
                         invalid_argument);
    CHECK(parse_time_status("2020-02-30", t) == time_status::malformed);
    CHECK(parse_time_status("  ", t) == time_status::empty);
}

TEST_CASE("a leap second (second 60) is refused on every day, as Python's datetime does") {
    std::int64_t t = 0;
    for (const char* leap : {"2016-12-31T23:59:60Z", "2016-12-31T23:59:60", "2020-05-05T10:00:60",
                             "2015-06-30 23:59:60.5+00:00"}) {
        CAPTURE(leap);
        CHECK(!parse_time(leap).has_value());
        CHECK(parse_time_status(leap, t) == time_status::leap_second);
    }
    CHECK(parse_time_status("2016-12-31T23:59:61Z", t) == time_status::malformed);
    CHECK(parse_time("2016-12-31T23:59:59Z") == days_from_civil(2017, 1, 1) * seconds_per_day - 1);
    CHECK_THROWS_WITH_AS(parse_time_or_throw("2016-12-31T23:59:60Z", "--as-of"),
                         doctest::Contains("leap second"), invalid_argument);
}

TEST_CASE("format_date writes years outside 0..9999 in ISO 8601's expanded form") {
    // Before: "%04lld" wrote the year -1 as "-001".
    CHECK(format_date(days_from_civil(-1, 12, 31) * seconds_per_day) == "-0001-12-31");
    CHECK(format_date(days_from_civil(0, 1, 1) * seconds_per_day) == "0000-01-01");
    CHECK(format_date(days_from_civil(10000, 1, 1) * seconds_per_day) == "+10000-01-01");
    CHECK(format_time(days_from_civil(-12345, 3, 4) * seconds_per_day + 61) ==
          "-12345-03-04T00:01:01");
}

TEST_CASE("format_date in years 0..9999 (written without snprintf): the printf text") {
    // Every 7th day from 0000-01-01 to 9999-12-31, its last day and the boundaries, against
    // the civil date printed with "%04lld-%02u-%02u".
    const std::int64_t first = days_from_civil(0, 1, 1);
    const std::int64_t last = days_from_civil(9999, 12, 31);
    std::vector<std::int64_t> days{first, last, 0, -1, days_from_civil(2000, 2, 29)};
    for (std::int64_t d = first; d <= last; d += 7)
        days.push_back(d);
    std::size_t differ = 0;
    for (const std::int64_t d : days) {
        const civil_date c = civil_from_days(d);
        std::array<char, 32> buf{};
        std::snprintf(buf.data(), buf.size(), "%04lld-%02u-%02u", static_cast<long long>(c.year),
                      c.month, c.day);
        if (format_date(d * seconds_per_day + 5) != buf.data()) ++differ;
    }
    CHECK(differ == 0);
    CHECK(format_date(last * seconds_per_day) == "9999-12-31");
}

TEST_CASE("seconds_to_nanoseconds: datetime64[ns] ticks, no_time kept as NaT") {
    // 1 day = 86,400 s = 86,400 * 10^9 ns; no_time is the smallest int64 (NaT) and stays.
    std::vector<std::int64_t> t{86'400, -1, custometrics::no_time};
    custometrics::seconds_to_nanoseconds(t, "date");
    CHECK(t ==
          std::vector<std::int64_t>{86'400'000'000'000, -1'000'000'000, custometrics::no_time});
    // 2262-04-12 is past int64 nanoseconds (2^63 ns = 9,223,372,036.85 s ~ 2262-04-11T23:47:16).
    std::vector<std::int64_t> late{custometrics::days_from_civil(2262, 4, 12) * 86'400};
    try {
        custometrics::seconds_to_nanoseconds(late, "date");
        FAIL("no error");
    } catch (const custometrics::invalid_argument& e) {
        CHECK(e.argument() == "date");
        CHECK(e.context().row == std::optional<std::size_t>{0});
        CHECK(e.context().value == "2262-04-12");
        CHECK(std::string(e.what()) == "date: 2262-04-12 is outside the range of datetime64[ns]");
    }
}
