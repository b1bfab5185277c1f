// libFuzzer target: the summary CSV reader (retention/summary_csv.hpp `summary_from_table`), what
// `fit`, `score` and `contacts` read back from `summarize` or from lifetimes.
//
// The first byte picks whether monetary_value is required and whether an as-of date is given;
// the rest is the summary's CSV text. Invariants checked on every input:
// - no crash, leak, undefined behaviour or exception other than custometrics::error;
// - a summary that reads has one key, x, t_x and T per row, monetary values (when present),
//   weights and holdout frequencies of the same length, finite numbers everywhere, distinct
//   keys when the file has a key column, and a positive finite unit scale.
#include "custometrics/csv_table.hpp"
#include "custometrics/error.hpp"
#include "custometrics/retention/summary_csv.hpp"

#include "fuzz_common.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace cm = custometrics;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool need_money = (data[0] & 1) != 0;
    cm::summary_axis given;
    if ((data[0] & 2) != 0) given.as_of = "2021-06-30";
    if ((data[0] & 4) != 0) given.time_unit = "weeks";
    std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    try {
        const cm::summary_table s = cm::summary_from_table(cm::read_csv_table(in, "fuzz.csv"),
                                                           "fuzz.csv", need_money, given);
        const std::size_t n = s.keys.size();
        require(n == s.table.size(), "not one key per row");
        require(s.x.size() == n && s.tx.size() == n && s.T.size() == n, "x, t_x, T lengths");
        require(s.first_purchase.size() == n, "first purchases length");
        require(s.m.empty() ? !need_money : s.m.size() == n, "monetary values length");
        require(s.weights.empty() || s.weights.size() == n, "weights length");
        require(s.holdout.empty() || s.holdout.size() == n, "holdout length");
        require(finite(s.x) && finite(s.tx) && finite(s.T) && finite(s.m) && finite(s.weights) &&
                    finite(s.holdout),
                "a number that is not finite");
        require(std::isfinite(s.units.scale) && s.units.scale > 0, "a bad unit scale");
        if (s.table.find_column("customer_id")) {
            std::set<std::string> keys(s.keys.begin(), s.keys.end());
            require(keys.size() == n, "a customer twice");
        }
    } catch (const cm::error&) {
    }
    return 0;
}
