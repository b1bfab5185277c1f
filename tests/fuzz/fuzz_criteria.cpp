// libFuzzer target: the side files of segment attractiveness, read through the one side-file
// CSV reader (csv_table.hpp) and criteria_table.hpp: the criteria table, and for a table that
// reads, a weights file, a pairwise matrix and an assignment file made of the same bytes.
//
// Invariants checked on every input:
// - no crash, leak, undefined behaviour or exception other than custometrics::error;
// - a criteria table that reads has distinct, non-empty segment names, one criterion per
//   column with distinct names, a raw matrix of segments x criteria with finite values and
//   finite weights;
// - weights read for its criteria are one finite number per criterion; a pairwise matrix is
//   criteria x criteria with finite values; an assignment file has as many segments as
//   customers.
#include "custometrics/criteria_table.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/error.hpp"

#include "fuzz_common.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>

namespace cm = custometrics;

namespace {

cm::csv_table table_of(const std::string& text) {
    std::istringstream in(text);
    return cm::read_csv_table(in, "fuzz.csv");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // The input up to the first form feed is the criteria table, the rest the second file.
    const std::size_t split = text.find('\f');
    const std::string first = text.substr(0, split);
    const std::string second = split == std::string::npos ? first : text.substr(split + 1);
    try {
        const cm::criteria_table c = cm::read_criteria_table(table_of(first));
        const std::size_t n = c.segments.size(), k = c.criteria.size();
        require(static_cast<std::size_t>(c.raw.rows()) == n &&
                    static_cast<std::size_t>(c.raw.cols()) == k,
                "raw is not segments x criteria");
        require(c.strength.size() == k && c.weight.size() == k, "a column without its axis");
        std::set<std::string> names(c.segments.begin(), c.segments.end());
        require(names.size() == n, "a segment twice");
        require(names.count("") == 0, "an empty segment name");
        std::set<std::string> criteria;
        for (const cm::criterion& x : c.criteria)
            criteria.insert(x.name);
        require(criteria.size() == k, "a criterion twice");
        require(c.raw.allFinite(), "a raw value that is not finite");
        for (const double w : c.weight)
            require(std::isfinite(w), "a weight that is not finite");
        try {
            const auto w = cm::read_criterion_weights(table_of(second), c.criteria);
            require(w.size() == k, "weights are not one per criterion");
            for (const double x : w)
                require(std::isfinite(x), "a weight that is not finite");
        } catch (const cm::error&) {
        }
        try {
            const Eigen::MatrixXd p = cm::read_pairwise_matrix(table_of(second), c.criteria);
            require(static_cast<std::size_t>(p.rows()) == k &&
                        static_cast<std::size_t>(p.cols()) == k && p.allFinite(),
                    "a pairwise matrix that is not criteria x criteria and finite");
        } catch (const cm::error&) {
        }
        try {
            const cm::segment_assignments a = cm::read_segment_assignments(table_of(second));
            require(a.customer.size() == a.segment.size(), "an assignment without a segment");
            const auto rows = a.rows_in(c.segments);
            require(rows.size() <= a.customer.size(), "more rows in segments than rows");
        } catch (const cm::error&) {
        }
    } catch (const cm::error&) {
    }
    return 0;
}
