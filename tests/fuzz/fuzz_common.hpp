// What the fuzz targets share: the check of an invariant, and whether numbers are finite.
//
// A broken invariant is a finding: `require` prints it and aborts, which libFuzzer reports with
// the input that caused it (scripts/fuzz.sh keeps it as a crash file).
//
// Example:
//     require(finite(summary.revenue), "a summary number that is not finite");
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>

/// Aborts with "invariant broken: <what>" on stderr unless `condition` holds.
inline void require(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

/// Whether every number of `values` (any range of doubles) is finite; true for none.
template <class Range> bool finite(const Range& values) {
    for (const double x : values)
        if (!std::isfinite(x)) return false;
    return true;
}
