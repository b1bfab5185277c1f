// Times as nanoseconds since the epoch: the unit of numpy's datetime64[ns] and pandas'
// timestamps, which the Python face hands its time columns back in.
#pragma once

#include "custometrics/config.hpp"

#include <cstdint>
#include <span>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Rewrites times in seconds since the epoch as nanoseconds, in place.
///
/// `no_time` (date.hpp) is the smallest int64, which datetime64[ns] reads as NaT: it stays. A
/// time whose nanoseconds do not fit an int64 (outside about the years 1677..2262) throws
/// `invalid_argument` naming `what` and the time, and leaves the times before it converted.
/// Example: {86'400, no_time} -> {86'400'000'000'000, no_time}.
void seconds_to_nanoseconds(std::span<std::int64_t> times, std::string_view what);

CUSTOMETRICS_END_NAMESPACE
