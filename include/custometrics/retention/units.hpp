// The time axis of a customer summary: the unit in which recency and T are counted and the
// scale they are divided by, with the conversions the scores need (periods per month for the
// lifetime value, seconds per period for dates).
//
// A summary made by `summarize` counts purchase periods of `time_unit` (days, weeks, calendar
// months) and divides recency and T by `unit_scale` (lifetimes' `freq_multiplier`): days with
// scale 7 are weeks with fractions, as in the CDNOW tables. A purchase model fitted on such a
// summary has parameters in that time axis (alpha is a rate per period), so it must be scored
// on a summary of the same unit and scale; `check_same_units` (fitted_model.hpp) refuses the
// others instead of converting.
//
// Conversions (lifetimes 0.11's CLV steps and the CLI's dates):
//     periods per month  = {days: 30, weeks: 4.345, months: 1}[unit] / scale,
//     days per period    = {days: 1, weeks: 7, months: 30.4375}[unit] * scale,
// so days with scale 7 give 30/7 = 4.2857 periods a month (lifetimes' "W" uses 4.345: name
// the unit weeks to get it) and hours are days with scale 1/24 (720 periods a month, as
// lifetimes' "H"). A wait of w periods lasts llround(w * days per period * 86400) seconds.
//
// Example:
//     const summary_units u = parse_summary_units("weeks", 1.0);
//     periods_per_month(u);           // 4.345
//     seconds_of_periods(2.5, u);     // 1512000 (17.5 days)
//     time_after(t, inf, u);          // no_time: an infinite wait has no date
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/date.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The unit of recency and T in a customer summary and the scale they are divided by.
struct summary_units {
    time_unit unit = time_unit::days;
    double scale = 1.0; ///< recency and T are periods of `unit` divided by this (> 0)

    friend bool operator==(const summary_units&, const summary_units&) = default;
};

/// The units named by `unit` ("days", "weeks", "months", their pandas letters D, W, M, or
/// "hours"/"H", read as days with the scale divided by 24) and `scale`. Throws
/// `invalid_argument` naming `argument` for an unknown unit or a scale that is not a finite
/// number > 0.
summary_units parse_summary_units(std::string_view unit, double scale = 1.0,
                                  std::string_view argument = "time_unit");

/// The time axis of a summary: the unit and scale it records (the CLI summary's `time_unit` and
/// `unit_scale` columns, the `attrs` of a Python summary), else those the caller gives, else
/// days and 1 (the defaults of `summarize`). A given unit or scale that contradicts the record
/// throws `invalid_argument` naming `unit_argument` / `scale_argument`, both values and
/// `source` (the summary); "hours" given for a record of days is a contradiction.
summary_units resolve_summary_units(std::optional<std::string> recorded_unit,
                                    std::optional<double> recorded_scale,
                                    std::optional<std::string> given_unit,
                                    std::optional<double> given_scale, std::string_view source,
                                    std::string_view unit_argument = "time_unit",
                                    std::string_view scale_argument = "unit_scale");

/// Throws `invalid_argument` ("unit_scale") unless the scale is a finite number > 0.
void check_summary_units(const summary_units& units);

/// Periods of the summary per month, lifetimes' CLV step (see the file comment).
double periods_per_month(const summary_units& units);

/// Days in one period of the summary (see the file comment).
double days_per_period(const summary_units& units);

/// `periods` of the summary as seconds, rounded to the nearest second. Saturates: a span beyond
/// int64's range (an infinite wait, a T of billions of years) gives the largest or smallest
/// int64 + 1 (never `no_time`), NaN gives 0.
std::int64_t seconds_of_periods(double periods, const summary_units& units);

/// The time `periods` of the summary after `start` (seconds, rounded as `seconds_of_periods`),
/// or `no_time` when `start` is `no_time`, `periods` is not finite, or the result falls outside
/// the supported years 1..9999 (`min_supported_time`..`max_supported_time`): a predicted date is
/// written only where it reads back.
std::int64_t time_after(std::int64_t start, double periods, const summary_units& units);

/// "days", "weeks", "months", or "days / 7" when the scale is not 1.
std::string describe(const summary_units& units);

CUSTOMETRICS_END_NAMESPACE
