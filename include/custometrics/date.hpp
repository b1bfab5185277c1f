// Dates, timestamps and purchase periods.
//
// custometrics stores every point in time as `std::int64_t` seconds since 1970-01-01T00:00:00Z
// (a Unix time without leap seconds). Calendar arithmetic uses Howard Hinnant's proleptic
// Gregorian algorithms ("chrono-Compatible Low-Level Date Algorithms", 2013), exact for every
// year that fits.
//
// A *period* is the unit in which purchases are counted by the retention summaries: a day, a
// week (Monday to Sunday, as pandas' `to_period("W")`) or a calendar month. `period_index`
// numbers periods consecutively, so the distance between two periods is a plain difference.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/error.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE

inline constexpr std::int64_t seconds_per_day = 86'400;

/// Marks "no time" (a group or customer without the event); never a real time.
inline constexpr std::int64_t no_time = std::numeric_limits<std::int64_t>::min();

/// Days since 1970-01-01 of the civil date y-m-d (m in 1..12, d in 1..31).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// A civil (proleptic Gregorian) date.
struct civil_date {
    std::int64_t year;
    unsigned month; ///< 1..12
    unsigned day;   ///< 1..31
};

/// The civil date of day number `z` (days since 1970-01-01).
constexpr civil_date civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2 ? 1 : 0), m, d};
}

/// Floor division for time arithmetic (C++ `/` truncates toward zero).
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// Whole days since 1970-01-01 of a time in seconds.
constexpr std::int64_t day_of(std::int64_t seconds) noexcept {
    return floor_div(seconds, seconds_per_day);
}

/// The unit in which purchase periods are counted.
enum class time_unit {
    days,   ///< calendar days (UTC)
    weeks,  ///< weeks Monday..Sunday, as pandas `Period` with freq "W" (W-SUN)
    months, ///< calendar months
};

/// Consecutive number of the period that contains `seconds`.
///
/// Days: days since 1970-01-01. Weeks: 1970-01-01 was a Thursday, so the week that starts on
/// Monday 1969-12-29 is week 0. Months: 12 * year + (month - 1).
constexpr std::int64_t period_index(std::int64_t seconds, time_unit unit) noexcept {
    const std::int64_t day = day_of(seconds);
    switch (unit) {
    case time_unit::days:
        return day;
    case time_unit::weeks:
        return floor_div(day + 3, 7);
    case time_unit::months: {
        const civil_date c = civil_from_days(day);
        return c.year * 12 + static_cast<std::int64_t>(c.month) - 1;
    }
    }
    return day;
}

/// First second of period `index` of `unit` (inverse of `period_index` on period starts).
constexpr std::int64_t period_start(std::int64_t index, time_unit unit) noexcept {
    switch (unit) {
    case time_unit::days:
        return index * seconds_per_day;
    case time_unit::weeks:
        return (index * 7 - 3) * seconds_per_day;
    case time_unit::months: {
        const std::int64_t y = floor_div(index, 12);
        const auto m = static_cast<unsigned>(index - y * 12 + 1);
        return days_from_civil(y, m, 1) * seconds_per_day;
    }
    }
    return index * seconds_per_day;
}

/// "days", "weeks" or "months" (also "D", "W", "M", as pandas writes them) to a `time_unit`;
/// throws `invalid_argument` naming `argument` otherwise.
time_unit parse_time_unit(std::string_view text, std::string_view argument = "time_unit");

/// Name of a unit: "days", "weeks" or "months".
constexpr std::string_view to_string(time_unit unit) noexcept {
    switch (unit) {
    case time_unit::days:
        return "days";
    case time_unit::weeks:
        return "weeks";
    case time_unit::months:
        return "months";
    }
    return "days";
}

/// First second of the supported range of times: 0001-01-01T00:00:00Z.
///
/// Supported times are those of the years 1 to 9999 (UTC), the years that ISO 8601 writes with
/// four digits and no sign, as `format_date` writes them and `parse_time` reads them: every
/// time the parser accepts is written back in the same form and reads back to the same second.
/// pandas' nanosecond timestamps (1677..2262) lie well inside.
inline constexpr std::int64_t min_supported_time = days_from_civil(1, 1, 1) * seconds_per_day;
/// Last second of the supported range of times: 9999-12-31T23:59:59Z.
inline constexpr std::int64_t max_supported_time =
    days_from_civil(9999, 12, 31) * seconds_per_day + seconds_per_day - 1;

/// Whether `seconds` lies in the supported range [0001-01-01T00:00:00Z, 9999-12-31T23:59:59Z].
constexpr bool is_supported_time(std::int64_t seconds) noexcept {
    return seconds >= min_supported_time && seconds <= max_supported_time;
}

/// Why `parse_time` refuses a text.
enum class time_status {
    ok,           ///< read
    empty,        ///< nothing but blanks
    malformed,    ///< not a date or timestamp of the accepted forms, or not a calendar date
    leap_second,  ///< a second of 60: Unix times have no leap seconds
    out_of_range, ///< a valid timestamp outside the supported years 1..9999 (after its offset)
};

/// A sentence for a `time_status` other than `ok`, for error messages: e.g. "outside the
/// supported range 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z".
std::string_view describe(time_status status) noexcept;

/// Parses `text` like `parse_time` and says why it fails (`out` is set only on `ok`).
time_status parse_time_status(std::string_view text, std::int64_t& out) noexcept;

/// Parse an ISO 8601 date or timestamp into seconds since the epoch, or nullopt.
///
/// Accepted: `YYYY-MM-DD`, `YYYYMMDD`, and a date followed by `T` or a space and `hh:mm`,
/// `hh:mm:ss` or `hh:mm:ss.fff…`, optionally ending in `Z` or an offset `±hh:mm` / `±hhmm`
/// (converted to UTC). Fractions of a second are truncated toward the earlier second.
/// Day and month are range-checked against the calendar (2023-02-29 is rejected).
///
/// Edge cases: the year 0000 and any time that falls outside the supported range once its
/// offset is applied (`0001-01-01T00:00+01:00`, `9999-12-31T23:30-01:00`) are refused, so that
/// everything read can be written and read back (see `min_supported_time`). A second of 60 (a
/// leap second, `2016-12-31T23:59:60Z`) is refused on every day, as Python's `datetime` and
/// pandas refuse it: a Unix time has no leap seconds, and reading it as the next second would
/// not write back as read. `parse_time_status` says which of these applies.
/// Example: `parse_time("2020-03-01T01:00+02:00")` is 2020-02-29T23:00:00Z.
std::optional<std::int64_t> parse_time(std::string_view text) noexcept;

/// `parse_time` that throws `invalid_argument` naming `argument`, the text and the reason when
/// it fails.
std::int64_t parse_time_or_throw(std::string_view text, std::string_view argument);

/// `YYYY-MM-DD` of the day containing `seconds`.
///
/// Every supported time (years 1..9999) is written with a four-digit year and reads back with
/// `parse_time`. A year outside 0..9999 (which only computed times can reach, e.g. a predicted
/// date far ahead) is written in ISO 8601's expanded form with a sign and at least four digits,
/// `+10000-01-01` or `-0001-12-31`, never truncated or mis-padded; `parse_time` refuses it.
std::string format_date(std::int64_t seconds);

/// `YYYY-MM-DD` when `seconds` falls on midnight, else `YYYY-MM-DDThh:mm:ss`.
std::string format_time(std::int64_t seconds);

/// The text of `format_time(seconds)` written at `out`, which must have room for
/// `max_time_text` bytes; returns the end of what was written. For writers of large tables:
/// no allocation.
char* write_time(char* out, std::int64_t seconds) noexcept;

/// The most bytes `write_time` writes (an expanded year of 13 digits with its sign, then the
/// month, day and time of day).
inline constexpr std::size_t max_time_text = 40;

CUSTOMETRICS_END_NAMESPACE
