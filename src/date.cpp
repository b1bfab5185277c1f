// Parsing and formatting of ISO dates and timestamps (see custometrics/date.hpp).
#include "custometrics/date.hpp"
#include "custometrics/nanoseconds.hpp"

#include "custometrics/detail/plain_fields.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at `pos`; false when any is missing.
constexpr bool read_digits(std::string_view s, std::size_t pos, std::size_t n,
                           std::int64_t& out) noexcept {
    if (pos + n > s.size()) return false;
    std::int64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (!is_digit(c)) return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

} // namespace

time_unit parse_time_unit(std::string_view text, std::string_view argument) {
    if (text == "days" || text == "day" || text == "D") return time_unit::days;
    if (text == "weeks" || text == "week" || text == "W") return time_unit::weeks;
    if (text == "months" || text == "month" || text == "M") return time_unit::months;
    throw invalid_argument(argument, "unknown time unit \"" + std::string(text) +
                                         "\" (expected days, weeks or months)");
}

std::string_view describe(time_status status) noexcept {
    switch (status) {
    case time_status::ok:
        return "a valid time";
    case time_status::empty:
        return "empty date";
    case time_status::malformed:
        break;
    case time_status::leap_second:
        return "second 60 (a leap second) is not supported: times are Unix times without leap "
               "seconds";
    case time_status::out_of_range:
        return "outside the supported range 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z";
    }
    return "not a date (expected YYYY-MM-DD or an ISO 8601 timestamp)";
}

time_status parse_time_status(std::string_view s, std::int64_t& out) noexcept {
    // The common case, exactly `YYYY-MM-DD`, without the general parser.
    if (s.size() == 10 && detail::read_plain_date(s.data(), out)) return time_status::ok;
    // Trim surrounding blanks: CSV exports often pad fields.
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    if (s.empty()) return time_status::empty;
    constexpr time_status bad = time_status::malformed;
    std::int64_t y = 0;
    std::int64_t m = 0;
    std::int64_t d = 0;
    std::size_t pos = 0;
    if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
        if (!read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) || !read_digits(s, 8, 2, d))
            return bad;
        pos = 10;
    } else if (s.size() >= 8 && read_digits(s, 0, 4, y) && read_digits(s, 4, 2, m) &&
               read_digits(s, 6, 2, d) && (s.size() == 8 || s[8] == 'T' || s[8] == ' ')) {
        pos = 8;
    } else {
        return bad;
    }
    if (m < 1 || m > 12 || d < 1 || d > detail::days_in_month(y, m)) return bad;
    std::int64_t seconds =
        days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * seconds_per_day;
    auto finish = [&](std::int64_t t) {
        if (!is_supported_time(t)) return time_status::out_of_range;
        out = t;
        return time_status::ok;
    };
    if (pos == s.size()) return finish(seconds);

    if (s[pos] != 'T' && s[pos] != ' ') return bad;
    ++pos;
    std::int64_t hh = 0;
    std::int64_t mm = 0;
    std::int64_t ss = 0;
    if (!read_digits(s, pos, 2, hh) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
        !read_digits(s, pos + 3, 2, mm))
        return bad;
    pos += 5;
    if (pos < s.size() && s[pos] == ':') {
        if (!read_digits(s, pos + 1, 2, ss)) return bad;
        pos += 3;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            const std::size_t start = pos;
            while (pos < s.size() && is_digit(s[pos]))
                ++pos;
            if (pos == start) return bad;
        }
    }
    if (hh > 23 || mm > 59 || ss > 60) return bad;
    std::int64_t offset = 0;
    if (pos < s.size()) {
        if (s[pos] == 'Z' && pos + 1 == s.size()) {
            // UTC
        } else if (s[pos] == '+' || s[pos] == '-') {
            const std::int64_t sign = s[pos] == '+' ? 1 : -1;
            std::int64_t oh = 0;
            std::int64_t om = 0;
            if (!read_digits(s, pos + 1, 2, oh)) return bad;
            std::size_t p = pos + 3;
            if (p < s.size() && s[p] == ':') ++p;
            if (!read_digits(s, p, 2, om) || p + 2 != s.size() || oh > 23 || om > 59) return bad;
            offset = sign * (oh * 3600 + om * 60);
        } else {
            return bad;
        }
    }
    // Checked last, so that a malformed text is reported as such rather than as a leap second.
    if (ss == 60) return time_status::leap_second;
    seconds += hh * 3600 + mm * 60 + ss;
    return finish(seconds - offset);
}

std::optional<std::int64_t> parse_time(std::string_view s) noexcept {
    std::int64_t t = 0;
    if (parse_time_status(s, t) != time_status::ok) return std::nullopt;
    return t;
}

std::int64_t parse_time_or_throw(std::string_view text, std::string_view argument) {
    std::int64_t t = 0;
    const time_status status = parse_time_status(text, t);
    if (status == time_status::ok) return t;
    std::string reason = "cannot read \"" + std::string(text) + "\" as a date";
    if (status == time_status::malformed || status == time_status::empty)
        reason += " (expected YYYY-MM-DD or an ISO 8601 timestamp)";
    else
        reason += ": " + std::string(describe(status));
    throw invalid_argument(argument, reason, std::string(text));
}

namespace {

// `YYYY-MM-DD` of the day containing `seconds` at `out` (see format_date); the end.
char* write_date(char* out, std::int64_t seconds) noexcept {
    const civil_date c = civil_from_days(day_of(seconds));
    if (c.year >= 0 && c.year <= 9999) { // the common case, without snprintf (CSV writers)
        const auto y = static_cast<unsigned>(c.year);
        out[0] = static_cast<char>('0' + y / 1000);
        out[1] = static_cast<char>('0' + y / 100 % 10);
        out[2] = static_cast<char>('0' + y / 10 % 10);
        out[3] = static_cast<char>('0' + y % 10);
        out[4] = '-';
        out[5] = static_cast<char>('0' + c.month / 10);
        out[6] = static_cast<char>('0' + c.month % 10);
        out[7] = '-';
        out[8] = static_cast<char>('0' + c.day / 10);
        out[9] = static_cast<char>('0' + c.day % 10);
        return out + 10;
    }
    // 0..9999: four digits, no sign (ISO 8601's basic range); otherwise the expanded form with
    // its sign and at least four digits ("%04lld" alone would write the year -1 as "-001").
    const char* format = c.year < 0 ? "-%04lld-%02u-%02u" : "+%04lld-%02u-%02u";
    const long long year = c.year < 0 ? -static_cast<long long>(c.year) : c.year;
    const int n = std::snprintf(out, 32, format, year, c.month, c.day);
    return out + n;
}

} // namespace

std::string format_date(std::int64_t seconds) {
    std::array<char, max_time_text> buf{};
    return {buf.data(), write_date(buf.data(), seconds)};
}

char* write_time(char* out, std::int64_t seconds) noexcept {
    out = write_date(out, seconds);
    const std::int64_t in_day = seconds - day_of(seconds) * seconds_per_day;
    if (in_day == 0) return out;
    const auto two = [&out](std::int64_t v) {
        out[0] = static_cast<char>('0' + v / 10);
        out[1] = static_cast<char>('0' + v % 10);
        out += 2;
    };
    *out++ = 'T';
    two(in_day / 3600);
    *out++ = ':';
    two(in_day / 60 % 60);
    *out++ = ':';
    two(in_day % 60);
    return out;
}

std::string format_time(std::int64_t seconds) {
    std::array<char, max_time_text> buf{};
    return {buf.data(), write_time(buf.data(), seconds)};
}

void seconds_to_nanoseconds(std::span<std::int64_t> times, std::string_view what) {
    constexpr std::int64_t ns = 1'000'000'000;
    constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max() / ns;
    for (std::size_t i = 0; i < times.size(); ++i) {
        std::int64_t& s = times[i];
        if (s == no_time) continue;
        if (s > hi || s <= -hi)
            throw invalid_argument(std::string(what) + ": " + format_time(s) +
                                       " is outside the range of datetime64[ns]",
                                   error_context{std::string(what), i, {}, {}, format_time(s)});
        s *= ns;
    }
}

CUSTOMETRICS_END_NAMESPACE
