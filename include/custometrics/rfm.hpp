// RFM analysis: recency, frequency and monetary scores 1..bins by quantiles, and named segments
// from score rules (a segment map), with a check of the map for gaps, overlaps and dead rules.
//
// Input. Three values per customer, indexed by position (a dense customer id, key_index.hpp):
// - recency: days since the last purchase at the analysis date (>= 0);
// - frequency: purchases or orders (>= 0);
// - monetary: net revenue (any sign: returns can exceed purchases).
// `rfm_values_from(summary, analysis_date)` makes them from a `customer_summary`: recency =
// day(analysis date) - day(last purchase row), in whole calendar days (UTC); frequency =
// `orders` (distinct orders with an order column, else purchase rows); monetary = `revenue`
// (net: purchases minus returns, up to the observation end). The default analysis date is the
// day after the last purchase of any customer, so the most recent customers have recency 1 (the
// common pandas recipe `snapshot = max(date) + 1 day`). NaN or infinite values throw `data_error`
// naming the argument and the customer (`monetary: customer 3: value is nan`), as do a negative
// recency (a purchase after the analysis date) and a negative frequency.
//
// Scores. Each dimension is scored on its own. The n values are put in ascending order, ties by
// customer id; position p = 0..n-1 belongs to the equal-size bin
//     b(p) = 0 for p = 0 or n = 1, else ceil(p * bins / (n - 1)) - 1          (0-based),
// which is pandas `qcut(x.rank(method="first"), bins)`: the ranks r = p + 1 cut at the linear
// quantiles 1 + (n - 1) k / bins, k = 0..bins, each bin (e_{k-1}, e_k], the first closed (here
// in exact integer arithmetic; pandas' floating edges can differ by one ulp exactly on an edge).
// The score of bin b is b + 1 for frequency and monetary, and bins - b for recency (reversed:
// the most recent customers, the smallest recency, get the top score). Two tie methods:
// - `rfm_ties::grouped` (default): equal values are never split across bins. Each tie group
//   (the customers sharing one value) goes wholly into the bin of its *first* position, the one
//   its first customer would get by rank: b(first position of the group). Values that are not
//   tied get exactly the bin of the `first` method. A large tie group thus fills its bin and the
//   following ones, which stay empty or small: with frequencies 1 x 6, 2 x 2, 3, 4 (n = 10,
//   5 bins) the ones fill positions 0..5 and all get score 1; position 6 (value 2) has
//   b = ceil(6 * 5 / 9) - 1 = 3, so the twos score 4; 3 scores 5 (b(8) = 4) and 4 scores 5;
//   scores 2 and 3 are empty.
// - `rfm_ties::first`: pandas' rank method: equal-size bins, ties split by customer id (the
//   lower id gets the lower position). The same value can then get two scores; use it when
//   equal bin sizes matter more than treating equal customers equally.
// Uneven bins are reported per dimension (`rfm_bins`): the size of each score, the size it
// would have with equal-size bins (`target`, the sizes of the `first` method: n / bins up to
// rounding, the extra customers in the outer bins), the value range of each score, and warnings
// for every empty score and every score whose size differs from its target (under `grouped`
// only ties cause that). One customer, or all customers sharing one value, use one score only:
// 1 for frequency and monetary, `bins` for recency (position 0), and say so in a warning.
//
// Segments. A segment map is an ordered list of rules, each a segment name and inclusive score
// ranges for R, F and M; a customer gets the segment of the *first* rule whose three ranges hold
// its scores; several rules may share a name (the segment is then their union). A cell (r, f, m)
// that no rule covers gets the segment "Unclassified" (the last entry of the names table),
// counted in `rfm_result::unclassified`. Building a map throws `data_error` for a malformed
// rule (empty or reserved name, a range outside 1..bins, min > max), naming the rule, the column
// and the value as a map file's reader does (`find_segment_rule_problem`); everything else is
// reported, not thrown, in `segment_map_report`: the cells no rule covers, the pairs of rules
// that overlap (with an example cell: the first rule wins it), and the rules that can never fire
// because earlier rules take all their cells.
//
// The default map (5 bins). The segment names and score ranges are those of the RFM segment
// table common in marketing analytics (Putler's "RFM analysis for successful customer
// segmentation" table, also the documented example of `rfm_segment` in the R package rfm by
// A. Hebbali, rfm 0.2.x, where F and M carry the table's combined FM range). That example lists
// the rules from Champions down; the package gives a cell to the first rule that matches it,
// and in that order New Customers and Promising lie inside Potential Loyalist and Can't Lose
// Them inside At Risk, so three of its ten rules never fire. The default map keeps the
// table's ranges but orders the rules specific-first, so that every one fires; the table's
// Hibernating and Lost have the same ranges (R 1-2, FM 1-2), so Hibernating here is widened to
// F and M 1-3, after Lost. First match wins, in this order:
//     segment              R      F      M
//     Champions            4-5    4-5    4-5
//     Can't Lose Them      1      4-5    4-5
//     At Risk              1-2    2-5    2-5
//     Loyal Customers      2-5    3-5    3-5
//     New Customers        4-5    1      1
//     Promising            3-4    1      1
//     Need Attention       2-3    2-3    2-3
//     About To Sleep       2-3    1-2    1-2
//     Potential Loyalist   3-5    1-3    1-3
//     Lost                 1-2    1-2    1-2
//     Hibernating          1-2    1-3    1-3
// Every rule fires (the fewest cells: Promising, only (3, 1, 1)). The table treats F and M as one
// FM score, so the 32 cells where they disagree widely are uncovered: one of F, M is 1-2 and the
// other 4-5, except F or M = 2 at R 1-2 (At Risk), e.g. (5, 5, 1) and (3, 1, 4). Customers
// there are "Unclassified"; `default_segment_map().report()` lists the cells.
//
// Combined FM (`rfm_options::fm = rfm_fm::combined`). The table the default map comes from
// scores customers on R and one FM score, not on F and M apart. With `combined`, each customer
// is classified at the cell (r, fm, fm), where fm = ceil((f + m) / 2), the mean of F and M
// rounded up (a half step counts for the customer: F 3, M 4 -> FM 4; F 1, M 2 -> 2), so a rule's
// F range and M range both apply to FM. The scores and `cell` stay those of F and M. For the
// default map, whose rules carry equal F and M ranges, this is the table's R x FM grid and every
// (r, fm) has a rule: no customer is "Unclassified" (e.g. (5, 5, 1) -> FM 3 -> Loyal Customers,
// (3, 1, 4) -> FM 3 -> Loyal Customers, (2, 1, 2) -> FM 2 -> At Risk, where F and M apart give
// About To Sleep). Hibernating never fires there: on the grid its cells (R 1-2, FM 1-3) go to
// the earlier Lost (FM 1) and At Risk (FM 2-3), as in the table, where Hibernating and Lost have
// the same ranges. `rfm_result::map_warnings` then report the map on the (r, fm) grid only: the
// (r, fm) pairs no rule covers and the rules that win no pair (`fm_map_warnings`).
//
// Cell codes. `rfm_result::cell` is 100 r + 10 f + m for bins <= 9 (scores 5, 4, 1 -> 541) and
// 1000000 r + 1000 f + m for more bins.
//
// Map files (`read_segment_map`, `parse_segment_map`): CSV with the header
// `segment,r_min,r_max,f_min,f_max,m_min,m_max`, one rule per line in order; fields may be
// double-quoted (a quote inside doubled), blank lines and lines starting with '#' are skipped,
// spaces around fields are trimmed. Errors throw `parse_error` naming the file, the line, the
// column and the value.
//
// Speed: each dimension is sorted once by the radix ranking of detail/radix_sort.hpp, then
// swept once. The whole `rfm` of 10^6 customers (recency 1..365 days, geometric frequency,
// lognormal monetary) took about 45 ms on one thread of the shared development machine, of
// which 18 ms for the nearly distinct monetary values and 7 ms for frequency (bench_rfm.cpp).
//
// Example:
//     std::vector<double> rec{1, 30, 5}, freq{4, 1, 2}, mon{120.0, 15.0, 40.0};
//     rfm_result r = rfm(rec, freq, mon);        // 5 bins, grouped ties, the default map
//     // n = 3: positions 0, 1, 2 have bins 0, 2, 4 (b(1) = ceil(5 / 2) - 1 = 2).
//     // r_score = {5, 1, 3}, f_score = {5, 1, 3}, m_score = {5, 1, 3}, cell = {555, 111, 333}
//     // segments: Champions, Lost, Loyal Customers (333: R 2-5, F 3-5, M 3-5).
#pragma once

#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/detail/radix_sort.hpp"
#include "custometrics/error.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/summary.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// How equal values are binned (see rfm.hpp).
enum class rfm_ties {
    grouped, ///< a tie group goes wholly into the bin of its first position (default)
    first    ///< pandas qcut(x.rank(method="first"), bins): equal sizes, ties split by id
};

/// Which scores the segment map is applied to (see rfm.hpp).
enum class rfm_fm {
    separate, ///< the cell (r, f, m) (default)
    combined  ///< the cell (r, fm, fm), fm = ceil((f + m) / 2)
};

/// "grouped" / "first" to a tie rule; throws `invalid_argument` naming `argument` (value: the
/// text) otherwise.
rfm_ties parse_rfm_ties(std::string_view text, std::string_view argument = "ties");
/// "separate" / "combined" to the scores the map is applied to; throws `invalid_argument`
/// naming `argument` (value: the text) otherwise.
rfm_fm parse_rfm_fm(std::string_view text, std::string_view argument = "fm");

/// Fewest and most bins per dimension.
inline constexpr unsigned rfm_min_bins = 2;
inline constexpr unsigned rfm_max_bins = 100;

/// The segment of customers whose cell no rule covers.
inline constexpr std::string_view unclassified_segment = "Unclassified";

/// Options of `rfm` and `rfm_from_summary`.
struct rfm_options {
    unsigned bins = 5; ///< scores 1..bins, 2 <= bins <= 100
    rfm_ties ties = rfm_ties::grouped;
    rfm_fm fm = rfm_fm::separate; ///< classify by F and M apart or by the combined FM score
    unsigned threads = 0;         ///< 0 = all hardware threads
};

/// How the customers of one dimension fall into its scores; every vector is indexed by score - 1.
struct rfm_bins {
    std::vector<std::size_t> size;     ///< customers with each score
    std::vector<std::size_t> target;   ///< the size with equal-size bins (the `first` method)
    std::vector<double> lower;         ///< smallest value with each score; NaN for an empty score
    std::vector<double> upper;         ///< largest value with each score; NaN for an empty score
    std::size_t distinct = 0;          ///< distinct values
    std::vector<std::string> warnings; ///< empty scores, sizes off target (see rfm.hpp)

    /// Whether some score's size differs from its equal-size target.
    bool uneven() const { return size != target; }
};

/// Scores of one dimension.
struct quantile_scores {
    column<std::uint8_t> score; ///< 1..bins per customer
    rfm_bins bins;
};

namespace detail {

/// Throws `invalid_argument` unless rfm_min_bins <= bins <= rfm_max_bins.
inline void check_bins(unsigned bins) {
    if (bins < rfm_min_bins || bins > rfm_max_bins)
        throw invalid_argument("bins", "must be in 2..100, got " + std::to_string(bins));
}

/// The 0-based equal-size bin of ascending position `p` of `n` (see rfm.hpp): pandas' qcut of
/// the ranks p + 1, in exact integer arithmetic.
constexpr std::size_t equal_size_bin(std::size_t p, std::size_t n, unsigned bins) noexcept {
    if (p == 0 || n <= 1) return 0;
    return (p * bins + n - 2) / (n - 1) - 1; // ceil(p * bins / (n - 1)) - 1
}

/// Sizes of the equal-size bins 0..bins-1 of n positions: bin k >= 1 starts at position
/// floor(k (n - 1) / bins) + 1 (the first p with p * bins / (n - 1) > k).
inline std::vector<std::size_t> equal_size_counts(std::size_t n, unsigned bins) {
    std::vector<std::size_t> count(bins, 0);
    if (n == 0) return count;
    std::size_t start = 0;
    for (unsigned k = 0; k < bins; ++k) {
        const std::size_t next = k + 1 == bins ? n : std::min(n, (k + 1) * (n - 1) / bins + 1);
        count[k] = next - start;
        start = next;
    }
    return count;
}

/// Throws `data_error` naming `name` and the first customer whose value is not finite or, with
/// `nonnegative`, negative (`why` says what a negative value means).
inline void check_values(std::span<const double> v, const char* name, bool nonnegative,
                         const char* why) {
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!std::isfinite(v[i]))
            throw data_error(std::string(name) + ": customer " + std::to_string(i) + ": value is " +
                                 format_number(v[i]),
                             {name, i, {}, {}, format_number(v[i])});
        if (nonnegative && v[i] < 0.0)
            throw data_error(std::string(name) + ": customer " + std::to_string(i) + ": value is " +
                                 format_number(v[i]) + " (" + why + ")",
                             {name, i, {}, {}, format_number(v[i])});
    }
}

} // namespace detail

/// Scores `values` 1..bins by quantiles (see rfm.hpp): ascending values get ascending scores,
/// or descending ones with `reverse` (recency). `name` names the dimension in warnings and
/// errors. Throws `invalid_argument` for bins outside 2..100 and `data_error` naming `name` and
/// the customer for a NaN or infinite value.
///
/// Example: values 10, 20, 20, 30 with 2 bins: positions 0..3 have bins 0, 0, 1, 1
/// (b(2) = ceil(2 * 2 / 3) - 1 = 1); grouped, the twenties start at position 1, bin 0: scores
/// 1, 1, 1, 2 (sizes 3, 1 against targets 2, 2: uneven); `first`: scores 1, 1, 2, 2.
inline quantile_scores score_quantiles(std::span<const double> values, unsigned bins,
                                       rfm_ties ties = rfm_ties::grouped, bool reverse = false,
                                       const char* name = "values", unsigned threads = 0) {
    detail::check_bins(bins);
    const std::size_t n = values.size();
    quantile_scores out;
    rfm_bins& b = out.bins;
    b.size.assign(bins, 0);
    b.lower.assign(bins, std::nan(""));
    b.upper.assign(bins, std::nan(""));
    const std::vector<std::size_t> target = detail::equal_size_counts(n, bins);
    b.target.resize(bins);
    for (unsigned k = 0; k < bins; ++k)
        b.target[reverse ? bins - 1 - k : k] = target[k];
    if (n == 0) return out;

    // Descending ranking, ties by id ascending: a tie group [i, j) of it holds the ascending
    // positions [n - j, n - i), its ids ascending.
    detail::ranking ranked = detail::rank_descending<true>(
        values, [](double) { return true; }, threads);
    if (!ranked.finite) detail::check_values(values, name, false, "");
    out.score.resize(n);
    const double* v = ranked.values.data();
    const std::uint32_t* id = ranked.ids.data();
    std::uint8_t* score = out.score.data();
    const auto to_score = [&](std::size_t bin) {
        return static_cast<std::uint8_t>(reverse ? bins - bin : bin + 1);
    };
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && v[j] == v[i])
            ++j;
        ++b.distinct;
        const std::size_t first = n - j; // ascending position of the group's first customer
        if (ties == rfm_ties::grouped || j - i == 1) {
            const std::uint8_t s = to_score(detail::equal_size_bin(first, n, bins));
            for (std::size_t q = i; q < j; ++q)
                score[id[q]] = s;
            b.size[s - 1U] += j - i;
            b.upper[s - 1U] = std::isnan(b.upper[s - 1U]) ? v[i] : std::max(b.upper[s - 1U], v[i]);
            b.lower[s - 1U] = std::isnan(b.lower[s - 1U]) ? v[i] : std::min(b.lower[s - 1U], v[i]);
        } else {
            for (std::size_t q = i; q < j; ++q) {
                const std::uint8_t s = to_score(detail::equal_size_bin(first + (q - i), n, bins));
                score[id[q]] = s;
                ++b.size[s - 1U];
                b.upper[s - 1U] =
                    std::isnan(b.upper[s - 1U]) ? v[i] : std::max(b.upper[s - 1U], v[i]);
                b.lower[s - 1U] =
                    std::isnan(b.lower[s - 1U]) ? v[i] : std::min(b.lower[s - 1U], v[i]);
            }
        }
        i = j;
    }

    const std::string dim(name);
    if (b.distinct == 1)
        b.warnings.push_back(dim + ": all " + std::to_string(n) + " customers share the value " +
                             detail::format_number(v[0]) + ": only score " +
                             std::to_string(to_score(0)) + " is used");
    for (unsigned k = 0; k < bins; ++k) {
        const std::string s = dim + ": score " + std::to_string(k + 1);
        if (b.size[k] == 0)
            b.warnings.push_back(s + " is empty (" + std::to_string(b.target[k]) +
                                 " customers with equal-size bins)");
        else if (b.size[k] != b.target[k])
            b.warnings.push_back(s + " holds " + std::to_string(b.size[k]) + " customers, " +
                                 std::to_string(b.target[k]) + " with equal-size bins (ties)");
    }
    return out;
}

/// Inclusive range of scores of one dimension in a rule.
struct score_range {
    unsigned lo = 1;
    unsigned hi = 5;
    bool contains(unsigned s) const noexcept { return lo <= s && s <= hi; }
};

/// A rule of a segment map: the segment of the customers whose scores lie in all three ranges.
struct segment_rule {
    std::string name;
    score_range r;
    score_range f;
    score_range m;
};

/// What is wrong with one rule of a segment map: the column of a map file it is in
/// ("segment", "r_min", "r_max", "f_min", "f_max", "m_min" or "m_max"), the value as text and
/// the reason ("outside the scores 1..5", "below m_min 4", "empty segment name", ...).
struct segment_rule_problem {
    std::string column;
    std::string value;
    std::string reason;
};

/// The first problem of a rule given as its name and its six bounds (r_min, r_max, f_min, f_max,
/// m_min, m_max, any whole number) for `bins` scores; nullopt when the rule is well formed.
///
/// The one rule check: the map file reader (`parse_segment_map`) turns a problem into a
/// `parse_error` naming the file and line, `segment_map` and `segment_rule_of` (Python's rules)
/// into a `data_error`; all three say the same column, value and reason. Checked in order: the
/// name (empty, or the reserved "Unclassified"), then each bound left to right: outside
/// 1..bins, or a max below its min (reported at the max).
/// Example: `find_segment_rule_problem("X", {0, 5, 1, 5, 1, 5}, 5)` gives column "r_min",
/// value "0", reason "outside the scores 1..5".
std::optional<segment_rule_problem>
find_segment_rule_problem(std::string_view name, const std::array<std::int64_t, 6>& bounds,
                          unsigned bins);

/// The rule `name` with `bounds` (r_min, r_max, f_min, f_max, m_min, m_max), checked by
/// `find_segment_rule_problem`: a problem throws `data_error` with the message
/// `segment_map: rule <index + 1> ("<name>"): column "<column>": <reason> (value "<value>")`
/// and the fields argument "segment_map", row `index`, key `name`, column and value.
/// Example: `segment_rule_of("Top", {4, 5, 4, 5, 4, 5}, 5, 0)`.
segment_rule segment_rule_of(std::string name, const std::array<std::int64_t, 6>& bounds,
                             unsigned bins, std::size_t index);

/// A cell of the score cube.
struct rfm_cell {
    unsigned r = 0;
    unsigned f = 0;
    unsigned m = 0;
    friend bool operator==(const rfm_cell&, const rfm_cell&) = default;
};

/// Two rules whose ranges share cells; the earlier rule (`first`) wins them.
struct rule_overlap {
    std::size_t first = 0;  ///< index of the earlier rule
    std::size_t second = 0; ///< index of the later rule
    std::size_t cells = 0;  ///< cells they share
    rfm_cell example;       ///< one of them: the lowest r, then f, then m
};

/// What the check of a segment map found (see rfm.hpp); a report, not an error.
struct segment_map_report {
    std::size_t cells = 0;              ///< bins^3
    std::size_t uncovered_count = 0;    ///< cells no rule covers
    std::vector<rfm_cell> uncovered;    ///< the first `max_listed` of them, r then f then m
    std::vector<rule_overlap> overlaps; ///< every overlapping pair, by first then second
    std::vector<std::size_t> shadowed;  ///< rules that never fire: earlier rules take all cells
    std::vector<std::size_t> cells_won; ///< per rule: cells it classifies
    std::vector<std::string> warnings;  ///< one line per gap summary and shadowed rule

    static constexpr std::size_t max_listed = 1000;

    /// No uncovered cell and no shadowed rule (overlaps are how first-match maps are written).
    bool complete() const noexcept { return uncovered_count == 0 && shadowed.empty(); }
};

/// Checks `rules` for `bins` scores: throws `invalid_argument` for no rule at all or more than
/// 65534 rules, `data_error` as `segment_rule_of` for a malformed rule (empty name, the name
/// "Unclassified", a range outside 1..bins, min > max), and reports gaps, overlaps and shadowed
/// rules.
segment_map_report check_segment_rules(const std::vector<segment_rule>& rules, unsigned bins = 5);

/// An ordered list of rules, checked, with its cell lookup table (see rfm.hpp).
class segment_map {
public:
    /// Builds and checks the map; throws as `check_segment_rules`.
    explicit segment_map(std::vector<segment_rule> rules, unsigned bins = 5);

    const std::vector<segment_rule>& rules() const noexcept { return m_rules; }
    unsigned bins() const noexcept { return m_bins; }
    /// Segment names: distinct rule names in order of first appearance, then "Unclassified".
    const std::vector<std::string>& segments() const noexcept { return m_segments; }
    /// Index into `segments()` of each rule.
    const std::vector<std::uint16_t>& rule_segment() const noexcept { return m_rule_segment; }
    /// Index of "Unclassified" in `segments()` (the last one).
    std::uint16_t unclassified() const noexcept {
        return static_cast<std::uint16_t>(m_segments.size() - 1);
    }
    const segment_map_report& report() const noexcept { return m_report; }

    /// Segment index of a cell (scores 1..bins, unchecked in release builds).
    std::uint16_t segment_of(unsigned r, unsigned f, unsigned m) const noexcept {
        return m_cell_segment[((r - 1) * m_bins + (f - 1)) * m_bins + (m - 1)];
    }
    /// Index of the rule that classifies a cell, rules().size() when none does.
    std::size_t rule_of(unsigned r, unsigned f, unsigned m) const noexcept {
        return m_cell_rule[((r - 1) * m_bins + (f - 1)) * m_bins + (m - 1)];
    }

private:
    std::vector<segment_rule> m_rules;
    unsigned m_bins;
    std::vector<std::string> m_segments;
    std::vector<std::uint16_t> m_rule_segment;
    std::vector<std::uint16_t> m_cell_rule;
    std::vector<std::uint16_t> m_cell_segment;
    segment_map_report m_report;
};

/// The check of `map` on the (r, fm) grid of combined FM (see rfm.hpp): a warning for the pairs
/// (r, fm) no rule covers (cells (r, fm, fm)) and one per rule that wins no pair.
std::vector<std::string> fm_map_warnings(const segment_map& map);

/// The rules of the default map, for 5 bins (the table in rfm.hpp).
std::vector<segment_rule> default_segment_rules();
/// The default map, for 5 bins (built once).
const segment_map& default_segment_map();

/// Reads a map from CSV text (format in rfm.hpp); `source` names it in errors. Throws
/// `parse_error` naming the source, line, column and value for a bad header, a wrong number of
/// fields, an empty name, a score that is not an integer or outside 1..bins, and min > max;
/// `invalid_argument` for bad `bins` or no rule.
segment_map parse_segment_map(std::string_view text, unsigned bins = 5,
                              const std::string& source = "<input>");
/// Reads a map file (format in rfm.hpp); throws `invalid_argument` when it cannot be opened and
/// as `parse_segment_map` otherwise.
segment_map read_segment_map(const std::string& path, unsigned bins = 5);

/// Recency, frequency and monetary value per customer (see rfm.hpp for the definitions).
struct rfm_values {
    column<entity_id> customer;     ///< customer id of each row (from the summary)
    column<double> recency;         ///< days since the last purchase at the analysis date
    column<double> frequency;       ///< orders
    column<double> monetary;        ///< net revenue
    std::int64_t analysis_date = 0; ///< seconds, at 00:00 UTC of the analysis day
    /// Customers of the summary's log left out: no purchase row (only returns), so no recency
    /// (`customer_summary::customers_without_purchase`). Reported, not silently dropped.
    std::size_t customers_left_out = 0;
    /// The summary's rows and customers left out, with reasons (`customer_summary::left_out`).
    std::vector<left_out_item> left_out;
    std::size_t size() const noexcept { return recency.size(); }
};

/// Why `rfm_values::customers_left_out` customers are not scored (for the faces' messages).
inline constexpr const char* rfm_left_out_reason = "no purchase row (only returns)";

/// Recency, frequency and monetary value of each row of `summary` (see rfm.hpp). The default
/// analysis date is the day after the latest purchase. Customers without a purchase row are
/// not rows of the summary; their number is kept in `customers_left_out`. Throws `data_error`
/// naming the customer whose last purchase is after the analysis date's day: by its key in
/// `keys` (the summary's log's customer keys) when given, else by its position; the fields are
/// argument "analysis_date", row (the position), key and value (the analysis date).
/// Example: with keys, an analysis date 2020-01-09 and customer "zz" last buying 2020-01-10:
/// `analysis_date: 2020-01-09 is before the last purchase of customer zz (2020-01-10)`.
rfm_values rfm_values_from(const customer_summary& summary,
                           std::optional<std::int64_t> analysis_date = {},
                           const key_index* keys = nullptr);

/// Scores and segments of every customer (see rfm.hpp).
struct rfm_result {
    column<std::uint8_t> r_score; ///< 1..bins, the most recent highest
    column<std::uint8_t> f_score;
    column<std::uint8_t> m_score;
    column<std::uint32_t> cell;    ///< 100 r + 10 f + m (bins <= 9), else 10^6 r + 10^3 f + m
    column<std::uint16_t> segment; ///< index into `segment_names`
    std::vector<std::string> segment_names; ///< the map's segments, "Unclassified" last
    std::vector<std::size_t> segment_count; ///< customers per segment
    std::size_t unclassified = 0;           ///< customers in cells no rule covers

    rfm_bins recency_bins;
    rfm_bins frequency_bins;
    rfm_bins monetary_bins;
    std::vector<std::string> map_warnings; ///< the map's report warnings

    bool defined = false; ///< false: no customers (see `reason`), columns empty
    std::string reason;
    rfm_options options; ///< the options used

    rfm_values values; ///< the inputs, filled by `rfm_from_summary` only

    std::size_t size() const noexcept { return r_score.size(); }
    /// Every warning of the three dimensions and the map, in that order.
    std::vector<std::string> warnings() const;
};

/// Scores and segments customers by `recency[i]`, `frequency[i]`, `monetary[i]` with `map`.
///
/// Throws `invalid_argument` when the lengths differ, bins is outside 2..100 or differs from
/// the map's, and `data_error` naming the argument and the customer for a NaN or infinite
/// value, a negative recency or a negative frequency. No customers: `defined == false`.
rfm_result rfm(std::span<const double> recency, std::span<const double> frequency,
               std::span<const double> monetary, const segment_map& map,
               const rfm_options& options = {});
/// As above with the default map; bins must then be 5.
rfm_result rfm(std::span<const double> recency, std::span<const double> frequency,
               std::span<const double> monetary, const rfm_options& options = {});

/// `rfm` of `rfm_values_from(summary, analysis_date, keys)`, the values kept in the result.
rfm_result rfm_from_summary(const customer_summary& summary,
                            std::optional<std::int64_t> analysis_date, const segment_map& map,
                            const rfm_options& options = {}, const key_index* keys = nullptr);
/// As above with the default map (bins 5).
rfm_result rfm_from_summary(const customer_summary& summary,
                            std::optional<std::int64_t> analysis_date = {},
                            const rfm_options& options = {});

CUSTOMETRICS_END_NAMESPACE
