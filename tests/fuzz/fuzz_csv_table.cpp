// libFuzzer target: the side-file CSV reader (csv_table.hpp) and its number cells.
//
// Invariants: no crash, leak, undefined behaviour or exception other than custometrics::error;
// every row of a table that reads has as many fields as the header; a cell that reads as a
// number is finite.
#include "custometrics/csv_table.hpp"
#include "custometrics/error.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace cm = custometrics;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        const cm::csv_table t = cm::read_csv_table(in, "fuzz.csv");
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            if (t.rows[r].size() != t.header.size()) {
                std::fprintf(stderr, "row %zu has %zu fields, header %zu\n", r, t.rows[r].size(),
                             t.header.size());
                std::abort();
            }
            for (std::size_t c = 0; c < t.header.size(); ++c) {
                try {
                    if (!std::isfinite(t.number(r, c))) std::abort();
                } catch (const cm::error&) {
                }
            }
        }
    } catch (const cm::error&) {
    }
    return 0;
}
