// libFuzzer target: the RFM segment map reader (rfm.hpp `parse_segment_map`), a side file.
//
// The first byte picks the number of bins (1..9); the rest is the map's CSV text.
// Invariants checked on every input:
// - no crash, leak, undefined behaviour or exception other than custometrics::error;
// - a map that reads has at least one rule, every rule a non-empty name other than
//   "Unclassified" and score ranges with 1 <= min <= max <= bins;
// - every cell of the bins^3 cube has a segment index inside `segments()`, and the rule that
//   classifies it (if any) contains the cell and is the first rule that does (first match).
#include "custometrics/error.hpp"
#include "custometrics/rfm.hpp"

#include "fuzz_common.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace cm = custometrics;

namespace {

bool in(const cm::score_range& s, unsigned bins) {
    return 1 <= s.lo && s.lo <= s.hi && s.hi <= bins;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned bins = 1 + data[0] % 9;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        const cm::segment_map map = cm::parse_segment_map(text, bins, "fuzz.csv");
        const auto& rules = map.rules();
        require(!rules.empty(), "a map without rules");
        require(map.bins() == bins, "the map's bins differ");
        for (const cm::segment_rule& r : rules) {
            require(!r.name.empty() && r.name != "Unclassified", "a bad rule name");
            require(in(r.r, bins) && in(r.f, bins) && in(r.m, bins), "a range outside 1..bins");
        }
        require(!map.segments().empty() && map.segments().back() == "Unclassified",
                "Unclassified is not the last segment");
        for (unsigned r = 1; r <= bins; ++r)
            for (unsigned f = 1; f <= bins; ++f)
                for (unsigned m = 1; m <= bins; ++m) {
                    std::size_t first = rules.size();
                    for (std::size_t k = 0; k < rules.size() && first == rules.size(); ++k)
                        if (rules[k].r.contains(r) && rules[k].f.contains(f) &&
                            rules[k].m.contains(m))
                            first = k;
                    require(map.rule_of(r, f, m) == first, "a cell's rule is not the first match");
                    const std::uint16_t s = map.segment_of(r, f, m);
                    require(s < map.segments().size(), "a cell's segment is out of range");
                    require(first == rules.size() ? s == map.unclassified()
                                                  : s == map.rule_segment()[first],
                            "a cell's segment is not its rule's");
                }
    } catch (const cm::error&) {
    }
    return 0;
}
