// The time axis of a customer summary (see units.hpp).
#include "custometrics/retention/units.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"

#include <cmath>
#include <limits>

CUSTOMETRICS_BEGIN_NAMESPACE

summary_units parse_summary_units(std::string_view unit, double scale, std::string_view argument) {
    summary_units u;
    if (unit == "hours" || unit == "hour" || unit == "H") {
        u.unit = time_unit::days;
        u.scale = scale / 24.0;
    } else {
        try {
            u.unit = parse_time_unit(unit, argument);
        } catch (const invalid_argument&) {
            throw invalid_argument(std::string(argument),
                                   "unknown time unit \"" + std::string(unit) +
                                       "\" (expected hours, days, weeks or months)",
                                   std::string(unit));
        }
        u.scale = scale;
    }
    if (!(std::isfinite(scale) && scale > 0))
        throw invalid_argument("unit_scale",
                               "must be a finite number > 0, got " + detail::format_number(scale));
    return u;
}

summary_units resolve_summary_units(std::optional<std::string> recorded_unit,
                                    std::optional<double> recorded_scale,
                                    std::optional<std::string> given_unit,
                                    std::optional<double> given_scale, std::string_view source,
                                    std::string_view unit_argument,
                                    std::string_view scale_argument) {
    if (recorded_unit && given_unit &&
        parse_summary_units(*given_unit, 1.0, unit_argument) !=
            parse_summary_units(*recorded_unit, 1.0, std::string(source) + ": time_unit"))
        throw invalid_argument(std::string(unit_argument),
                               "\"" + *given_unit + "\" contradicts the time_unit \"" +
                                   *recorded_unit + "\" of " + std::string(source),
                               *given_unit);
    if (recorded_scale && given_scale && *recorded_scale != *given_scale)
        throw invalid_argument(
            std::string(scale_argument),
            detail::format_number(*given_scale) + " contradicts the unit_scale " +
                detail::format_number(*recorded_scale) + " of " + std::string(source),
            detail::format_number(*given_scale));
    const std::string unit = given_unit ? *given_unit : recorded_unit.value_or("days");
    return parse_summary_units(unit, given_scale.value_or(recorded_scale.value_or(1.0)),
                               unit_argument);
}

void check_summary_units(const summary_units& units) {
    if (!(std::isfinite(units.scale) && units.scale > 0))
        throw invalid_argument("unit_scale", "must be a finite number > 0, got " +
                                                 detail::format_number(units.scale));
}

double periods_per_month(const summary_units& units) {
    check_summary_units(units);
    switch (units.unit) {
    case time_unit::days:
        return 30.0 / units.scale;
    case time_unit::weeks:
        return 4.345 / units.scale;
    case time_unit::months:
        return 1.0 / units.scale;
    }
    return 30.0 / units.scale;
}

double days_per_period(const summary_units& units) {
    check_summary_units(units);
    switch (units.unit) {
    case time_unit::days:
        return 1.0 * units.scale;
    case time_unit::weeks:
        return 7.0 * units.scale;
    case time_unit::months:
        return 30.4375 * units.scale;
    }
    return units.scale;
}

std::int64_t seconds_of_periods(double periods, const summary_units& units) {
    const double s = periods * days_per_period(units) * static_cast<double>(seconds_per_day);
    if (std::isnan(s)) return 0;
    // 2^63 is exactly representable; llround beyond it is undefined.
    constexpr double limit = 9223372036854775808.0;
    constexpr std::int64_t largest = std::numeric_limits<std::int64_t>::max();
    if (s >= limit) return largest;
    if (s <= -limit) return -largest;
    return static_cast<std::int64_t>(std::llround(s));
}

std::int64_t time_after(std::int64_t start, double periods, const summary_units& units) {
    if (start == no_time || !std::isfinite(periods)) return no_time;
    const std::int64_t span = seconds_of_periods(periods, units);
    // start + span inside [min_supported_time, max_supported_time], tested without overflow.
    if (span > 0 ? start > max_supported_time - span : start < min_supported_time - span)
        return no_time;
    const std::int64_t end = start + span;
    return end < min_supported_time || end > max_supported_time ? no_time : end;
}

std::string describe(const summary_units& units) {
    std::string s(to_string(units.unit));
    if (units.scale != 1.0) s += " / " + detail::format_number(units.scale);
    return s;
}

CUSTOMETRICS_END_NAMESPACE
