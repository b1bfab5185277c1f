// Tests of rfm.hpp: quantile scores with ties worked by hand under both tie methods, recency
// reversal, one customer, all-equal values, empty input, the default map's cells, map checks
// (gap, overlap, shadowed rule), shared segment names, the map file parser and its errors,
// values from a summary, properties on random data against a reference, and bad input.
#include <custometrics/rfm.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

template <class T> std::vector<int> ints(const column<T>& c) {
    return {c.begin(), c.end()};
}

std::vector<std::string> names_of(const rfm_result& r) {
    std::vector<std::string> out;
    for (const auto s : r.segment)
        out.push_back(r.segment_names[s]);
    return out;
}

std::string segment(unsigned r, unsigned f, unsigned m) {
    const segment_map& map = default_segment_map();
    return map.segments()[map.segment_of(r, f, m)];
}

// Reference for the `first` method: pandas qcut(x.rank(method="first"), bins), with the edges
// 1 + (n - 1) k / bins in floating point (no edge falls on an integer rank in the sizes tested,
// or does so exactly).
std::vector<int> reference_first(const std::vector<double>& v, unsigned bins) {
    const std::size_t n = v.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<int> score(n);
    for (std::size_t p = 0; p < n; ++p) {
        const double rank = static_cast<double>(p + 1);
        int k = 1; // first bin closed: rank 1 is in bin 1
        while (k < static_cast<int>(bins) &&
               rank > 1.0 + static_cast<double>(n - 1) * k / static_cast<double>(bins))
            ++k;
        score[order[p]] = k;
    }
    return score;
}

} // namespace

TEST_CASE("rfm scores: ties never split (grouped), split by id (first), worked by hand") {
    // Frequencies of customers 0..9: six 1s (ids 1, 2, 4, 6, 8, 9), 2s (ids 0, 5), 3 (id 7),
    // 4 (id 3). n = 10, 5 bins: position p has bin b(p) = ceil(5p / 9) - 1:
    //   p: 0 1 2 3 4 5 6 7 8 9
    //   b: 0 0 1 1 2 2 3 3 4 4   (pandas: ranks cut at 1, 2.8, 4.6, 6.4, 8.2, 10)
    const std::vector<double> freq{2, 1, 1, 4, 1, 2, 1, 3, 1, 1};

    // grouped: the 1s start at p = 0 -> score 1; the 2s at p = 6 -> b 3, score 4;
    // 3 at p = 8 and 4 at p = 9 -> b 4, score 5. Scores 2 and 3 stay empty.
    const quantile_scores g = score_quantiles(freq, 5, rfm_ties::grouped, false, "frequency");
    CHECK(ints(g.score) == std::vector<int>{4, 1, 1, 5, 1, 4, 1, 5, 1, 1});
    CHECK(g.bins.size == std::vector<std::size_t>{6, 0, 0, 2, 2});
    CHECK(g.bins.target == std::vector<std::size_t>{2, 2, 2, 2, 2});
    CHECK(g.bins.uneven());
    CHECK(g.bins.distinct == 4);
    CHECK(g.bins.lower[0] == 1);
    CHECK(g.bins.upper[0] == 1);
    CHECK(std::isnan(g.bins.lower[1]));
    CHECK(std::isnan(g.bins.upper[2]));
    CHECK(g.bins.lower[3] == 2);
    CHECK(g.bins.lower[4] == 3);
    CHECK(g.bins.upper[4] == 4);
    CHECK(g.bins.warnings ==
          std::vector<std::string>{
              "frequency: score 1 holds 6 customers, 2 with equal-size bins (ties)",
              "frequency: score 2 is empty (2 customers with equal-size bins)",
              "frequency: score 3 is empty (2 customers with equal-size bins)"});

    // first: ascending, ties by id: 1s ids 1, 2, 4, 6, 8, 9 at p 0..5 -> b 0 0 1 1 2 2;
    // 2s ids 0, 5 at p 6, 7 -> b 3; id 7 at p 8 and id 3 at p 9 -> b 4.
    const quantile_scores f = score_quantiles(freq, 5, rfm_ties::first, false, "frequency");
    CHECK(ints(f.score) == std::vector<int>{4, 1, 1, 5, 2, 4, 2, 5, 3, 3});
    CHECK(f.bins.size == std::vector<std::size_t>{2, 2, 2, 2, 2});
    CHECK_FALSE(f.bins.uneven());
    CHECK(f.bins.warnings.empty());
    CHECK(f.bins.lower[2] == 1); // the value 1 has scores 1, 2 and 3
    CHECK(f.bins.upper[2] == 1);
    CHECK(ints(f.score) == reference_first(freq, 5));

    // The header's example: 10, 20, 20, 30 in 2 bins: b = 0, 0, 1, 1 (b(2) = ceil(4/3) - 1).
    const std::vector<double> small{10, 20, 20, 30};
    CHECK(ints(score_quantiles(small, 2).score) == std::vector<int>{1, 1, 1, 2});
    CHECK(ints(score_quantiles(small, 2, rfm_ties::first).score) == std::vector<int>{1, 1, 2, 2});

    // n = 7, 5 bins: ranks cut at 1, 2.2, 3.4, 4.6, 5.8, 7: sizes 2, 1, 1, 1, 2 (the extra
    // customers go to the outer bins), as b(p) = ceil(5p / 6) - 1 = 0 0 1 2 3 4 4.
    const std::vector<double> seven{7, 6, 5, 4, 3, 2, 1};
    const quantile_scores s7 = score_quantiles(seven, 5);
    CHECK(ints(s7.score) == std::vector<int>{5, 5, 4, 3, 2, 1, 1});
    CHECK(s7.bins.target == std::vector<std::size_t>{2, 1, 1, 1, 2});
}

TEST_CASE("rfm scores: recency is reversed, the most recent get the top score") {
    // Recency of customers 0..4: 10, 3, 50, 3, 7 days. Ascending: 3 (ids 1, 3), 7, 10, 50 at
    // p 0..4; n = 5, b(p) = ceil(5p / 4) - 1 = 0 1 2 3 4; score = 5 - b.
    // grouped: the 3s start at p 0 -> score 5; 7 -> b 2, score 3; 10 -> 2; 50 -> 1; 4 empty.
    const std::vector<double> rec{10, 3, 50, 3, 7};
    const quantile_scores g = score_quantiles(rec, 5, rfm_ties::grouped, true, "recency");
    CHECK(ints(g.score) == std::vector<int>{2, 5, 1, 5, 3});
    CHECK(g.bins.size == std::vector<std::size_t>{1, 1, 1, 0, 2}); // by score 1..5
    CHECK(g.bins.target == std::vector<std::size_t>{1, 1, 1, 1, 1});
    CHECK(g.bins.lower[4] == 3); // score 5 holds the smallest recency
    CHECK(g.bins.upper[0] == 50);
    CHECK(g.bins.warnings ==
          std::vector<std::string>{
              "recency: score 4 is empty (1 customers with equal-size bins)",
              "recency: score 5 holds 2 customers, 1 with equal-size bins (ties)"});
    // first: id 1 at p 0 -> 5, id 3 at p 1 -> b 1, score 4.
    const quantile_scores f = score_quantiles(rec, 5, rfm_ties::first, true, "recency");
    CHECK(ints(f.score) == std::vector<int>{2, 5, 1, 4, 3});

    // Through rfm(): the same r scores, f and m ascending.
    const std::vector<double> freq{1, 2, 3, 4, 5};
    const std::vector<double> mon{50, 40, 30, 20, 10};
    const rfm_result r = rfm(rec, freq, mon);
    CHECK(ints(r.r_score) == std::vector<int>{2, 5, 1, 5, 3});
    CHECK(ints(r.f_score) == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(ints(r.m_score) == std::vector<int>{5, 4, 3, 2, 1});
    // Cells 215, 524, 133, 542, 351. By the default map (first match):
    //   215: R 1-2 but F 1 (not At Risk's 2-5), M 5 (not Lost's or Hibernating's) -> none;
    //   524: F 2, M 4 at R 5: uncovered too (one of F, M is 1-2, the other 4-5);
    //   133: At Risk (R 1-2, F 2-5, M 2-5);
    //   542: uncovered; 351: R 3, F 5, M 1 -> uncovered.
    CHECK(ints(r.cell) == std::vector<int>{215, 524, 133, 542, 351});
    CHECK(names_of(r) == std::vector<std::string>{"Unclassified", "Unclassified", "At Risk",
                                                  "Unclassified", "Unclassified"});
    CHECK(r.unclassified == 4);
    CHECK(r.segment_count[2] == 1); // "At Risk" is the third segment of the default map
    CHECK(r.segment_names[2] == "At Risk");
    CHECK(r.segment_names.back() == "Unclassified");
}

TEST_CASE("rfm: one customer, all-equal values, empty input") {
    SUBCASE("one customer: position 0, so r = 5, f = m = 1: cell 511, New Customers") {
        const std::vector<double> rec{4}, freq{2}, mon{10};
        const rfm_result r = rfm(rec, freq, mon);
        REQUIRE(r.defined);
        CHECK(ints(r.cell) == std::vector<int>{511});
        CHECK(names_of(r) == std::vector<std::string>{"New Customers"});
        CHECK(r.frequency_bins.size == std::vector<std::size_t>{1, 0, 0, 0, 0});
        CHECK(r.frequency_bins.target == std::vector<std::size_t>{1, 0, 0, 0, 0});
        CHECK(r.recency_bins.size == std::vector<std::size_t>{0, 0, 0, 0, 1});
        CHECK(r.frequency_bins.warnings.front() ==
              "frequency: all 1 customers share the value 2: only score 1 is used");
        CHECK(r.recency_bins.warnings.front() ==
              "recency: all 1 customers share the value 4: only score 5 is used");
    }
    SUBCASE("all equal: one score used, reported; targets of n = 4 are 1, 1, 0, 1, 1") {
        // b(p) = ceil(5p / 3) - 1 for p = 0..3: 0, 1, 3, 4.
        const std::vector<double> v{3, 3, 3, 3};
        const quantile_scores s = score_quantiles(v, 5, rfm_ties::grouped, false, "frequency");
        CHECK(ints(s.score) == std::vector<int>{1, 1, 1, 1});
        CHECK(s.bins.size == std::vector<std::size_t>{4, 0, 0, 0, 0});
        CHECK(s.bins.target == std::vector<std::size_t>{1, 1, 0, 1, 1});
        CHECK(s.bins.distinct == 1);
        CHECK(s.bins.warnings.size() == 6); // the summary line, score 1 off target, 2..5 empty
        CHECK(s.bins.warnings[0] ==
              "frequency: all 4 customers share the value 3: only score 1 is used");
        CHECK(ints(score_quantiles(v, 5, rfm_ties::first).score) == std::vector<int>{1, 2, 4, 5});
    }
    SUBCASE("empty input: not defined, no columns, zero counts") {
        const std::vector<double> none;
        const rfm_result r = rfm(none, none, none);
        CHECK_FALSE(r.defined);
        CHECK(r.reason == "no customers");
        CHECK(r.size() == 0);
        CHECK(r.cell.empty());
        CHECK(r.segment_count == std::vector<std::size_t>(12, 0));
        CHECK(r.recency_bins.size == std::vector<std::size_t>(5, 0));
        CHECK(r.recency_bins.warnings.empty());
    }
}

TEST_CASE("default map: cells classified by hand, every rule fires, 32 gaps") {
    const segment_map& map = default_segment_map();
    CHECK(map.bins() == 5);
    CHECK(map.rules().size() == 11);
    CHECK(map.segments().size() == 12);
    CHECK(segment(5, 5, 5) == "Champions");
    CHECK(segment(4, 4, 5) == "Champions");
    CHECK(segment(1, 5, 5) == "Can't Lose Them"); // R 1, F/M 4-5, before At Risk
    CHECK(segment(2, 5, 5) == "At Risk");         // R 2 misses Can't Lose Them
    CHECK(segment(2, 3, 3) == "At Risk");         // also Loyal and Need Attention: first wins
    CHECK(segment(5, 3, 3) == "Loyal Customers"); // F 3 misses Champions
    CHECK(segment(5, 1, 1) == "New Customers");
    CHECK(segment(4, 1, 1) == "New Customers"); // also Promising (R 3-4): New is first
    CHECK(segment(3, 1, 1) == "Promising");
    CHECK(segment(3, 2, 2) == "Need Attention"); // also Potential Loyalist, later
    CHECK(segment(3, 2, 1) == "About To Sleep"); // also Potential Loyalist, later
    CHECK(segment(5, 2, 2) == "Potential Loyalist");
    CHECK(segment(1, 1, 1) == "Lost");
    CHECK(segment(1, 1, 3) == "Hibernating"); // M 3 is beyond Lost's 1-2
    CHECK(segment(5, 5, 1) == "Unclassified");
    CHECK(segment(3, 1, 4) == "Unclassified");

    const segment_map_report& rep = map.report();
    CHECK(rep.cells == 125);
    CHECK(rep.shadowed.empty());
    CHECK(rep.uncovered_count == 32);
    CHECK(rep.uncovered.front() == rfm_cell{1, 1, 4});
    CHECK(rep.uncovered.back() == rfm_cell{5, 5, 2});
    for (const rfm_cell& c : rep.uncovered) { // one of F, M is 1-2, the other 4-5
        CAPTURE(c.r);
        CAPTURE(c.f);
        CAPTURE(c.m);
        CHECK(((c.f <= 2 && c.m >= 4) || (c.f >= 4 && c.m <= 2)));
    }
    CHECK(rep.cells_won[5] == 1); // Promising: only (3, 1, 1)
    CHECK(std::accumulate(rep.cells_won.begin(), rep.cells_won.end(), std::size_t{0}) == 93);
    CHECK(rep.warnings.size() == 1);
    CHECK(
        rep.warnings[0] ==
        "segment_map: 32 of 125 cells are covered by no rule (\"Unclassified\"), first (1, 1, 4)");

    // The rfm package's example order (Champions, Loyal Customers, Potential Loyalist, New
    // Customers, Promising, Need Attention, About To Sleep, At Risk, Can't Lose Them, Lost)
    // under first match: New Customers and Promising lie in Potential Loyalist (R 3-5, F/M
    // 1-3), Can't Lose Them in At Risk (R 1-2, F/M 2-5): three dead rules.
    const std::vector<segment_rule> rfm_package{
        {"Champions", {4, 5}, {4, 5}, {4, 5}},          {"Loyal Customers", {2, 5}, {3, 5}, {3, 5}},
        {"Potential Loyalist", {3, 5}, {1, 3}, {1, 3}}, {"New Customers", {4, 5}, {1, 1}, {1, 1}},
        {"Promising", {3, 4}, {1, 1}, {1, 1}},          {"Need Attention", {2, 3}, {2, 3}, {2, 3}},
        {"About To Sleep", {2, 3}, {1, 2}, {1, 2}},     {"At Risk", {1, 2}, {2, 5}, {2, 5}},
        {"Can't Lose Them", {1, 1}, {4, 5}, {4, 5}},    {"Lost", {1, 2}, {1, 2}, {1, 2}}};
    CHECK(check_segment_rules(rfm_package).shadowed == std::vector<std::size_t>{3, 4, 8});
}

TEST_CASE("map check: a gap, an overlap and a shadowed rule, reported not thrown") {
    // 2 bins, 8 cells. A: r 2, f 1-2, m 1-2 (the 4 cells 2xx). B: r 1-2, f 2, m 1-2: shares
    // (2, 2, 1) and (2, 2, 2) with A, which wins them; B keeps (1, 2, 1), (1, 2, 2).
    // C: r 1, f 2, m 2: its one cell (1, 2, 2) is B's: shadowed. (1, 1, 1), (1, 1, 2): no rule.
    const std::vector<segment_rule> rules{{"A", {2, 2}, {1, 2}, {1, 2}},
                                          {"B", {1, 2}, {2, 2}, {1, 2}},
                                          {"C", {1, 1}, {2, 2}, {2, 2}}};
    const segment_map map(rules, 2);
    const segment_map_report& rep = map.report();
    CHECK(rep.cells == 8);
    CHECK(rep.uncovered_count == 2);
    CHECK(rep.uncovered == std::vector<rfm_cell>{{1, 1, 1}, {1, 1, 2}});
    REQUIRE(rep.overlaps.size() == 2);
    CHECK(rep.overlaps[0].first == 0);
    CHECK(rep.overlaps[0].second == 1);
    CHECK(rep.overlaps[0].cells == 2);
    CHECK(rep.overlaps[0].example == rfm_cell{2, 2, 1});
    CHECK(rep.overlaps[1].first == 1);
    CHECK(rep.overlaps[1].second == 2);
    CHECK(rep.overlaps[1].cells == 1);
    CHECK(rep.overlaps[1].example == rfm_cell{1, 2, 2});
    CHECK(rep.cells_won == std::vector<std::size_t>{4, 2, 0});
    CHECK(rep.shadowed == std::vector<std::size_t>{2});
    CHECK_FALSE(rep.complete());
    CHECK(rep.warnings ==
          std::vector<std::string>{
              "segment_map: 2 of 8 cells are covered by no rule (\"Unclassified\"), first "
              "(1, 1, 1)",
              "segment_map: rule 3 (\"C\") never fires: earlier rules take all its cells, e.g. "
              "rule 2 (\"B\") takes (1, 2, 2)"});
    CHECK(map.rule_of(2, 2, 1) == 0);
    CHECK(map.rule_of(1, 2, 2) == 1);
    CHECK(map.rule_of(1, 1, 1) == 3);

    // Scored with this map: recency 1, 9 (2 bins: r 2, 1), frequency 0, 5 (f 1, 2), monetary
    // 5, 5 (tied: m 1, 1): cells (2, 1, 1) -> A and (1, 2, 1) -> B.
    const std::vector<double> rec{1, 9}, freq{0, 5}, mon{5, 5};
    const rfm_result r = rfm(rec, freq, mon, map, {.bins = 2});
    CHECK(ints(r.cell) == std::vector<int>{211, 121});
    CHECK(names_of(r) == std::vector<std::string>{"A", "B"});
    CHECK(r.segment_count == std::vector<std::size_t>{1, 1, 0, 0});
    CHECK(r.map_warnings == rep.warnings);
    // monetary: one value only, score 1 holds 2 (target 1), score 2 empty; the map's two.
    CHECK(r.warnings().size() == 5);
}

TEST_CASE("map: rules sharing a name form one segment; a full map is complete") {
    // 2 bins: "High" = r 2 (any f, m) or f 2 and m 2 at r 1; the rest "Low".
    const segment_map map({{"High", {2, 2}, {1, 2}, {1, 2}},
                           {"High", {1, 1}, {2, 2}, {2, 2}},
                           {"Low", {1, 2}, {1, 2}, {1, 2}}},
                          2);
    CHECK(map.segments() == std::vector<std::string>{"High", "Low", "Unclassified"});
    CHECK(map.rule_segment() == std::vector<std::uint16_t>{0, 0, 1});
    CHECK(map.segment_of(1, 2, 2) == 0);
    CHECK(map.segment_of(1, 2, 1) == 1);
    CHECK(map.report().complete());
    CHECK(map.report().cells_won == std::vector<std::size_t>{4, 1, 3});
    // Cell codes for more than 9 bins: 10^6 r + 10^3 f + m.
    const std::vector<double> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const segment_map wide({{"all", {1, 12}, {1, 12}, {1, 12}}}, 12);
    const rfm_result r = rfm(v, v, v, wide, {.bins = 12});
    CHECK(r.cell[0] == 12'001'001); // recency 1 -> r 12, f 1, m 1
    CHECK(r.cell[11] == 1'012'012);
}

TEST_CASE("map file: quotes, comments, CRLF; errors name file, line, column, value") {
    const std::string text = "# my map\r\n"
                             "segment,r_min,r_max,f_min,f_max,m_min,m_max\r\n"
                             "\r\n"
                             "\"Big, \"\"loyal\"\"\", 4, 5, 4, 5, 4, 5\r\n"
                             "Rest,1,5,1,5,1,5";
    const segment_map map = parse_segment_map(text, 5, "map.csv");
    REQUIRE(map.rules().size() == 2);
    CHECK(map.rules()[0].name == "Big, \"loyal\"");
    CHECK(map.rules()[0].r.lo == 4);
    CHECK(map.rules()[1].m.hi == 5);
    CHECK(map.report().complete());

    const std::string header = "segment,r_min,r_max,f_min,f_max,m_min,m_max\n";
    const auto err = [](const std::string& t) -> std::string {
        try {
            (void)parse_segment_map(t, 5, "map.csv");
        } catch (const parse_error& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(err("segment,r_min,r_max,f_min,f_max,m_min\n") ==
          "map.csv:1: column \"m_max\": bad header: expected "
          "segment,r_min,r_max,f_min,f_max,m_min,m_max");
    CHECK(err("name,r_min,r_max,f_min,f_max,m_min,m_max\n") ==
          "map.csv:1: column \"segment\": bad header: expected "
          "segment,r_min,r_max,f_min,f_max,m_min,m_max (value \"name\")");
    CHECK(err(header + "A,1,2,1,2,1\n") == "map.csv:2: column \"m_max\": missing field");
    CHECK(err(header + "A,1,2,1,2,1,2,9\n") ==
          "map.csv:2: column \"field 8\": too many fields (value \"9\")");
    CHECK(err(header + "A,1,2,1,2,1,2\nB,1,6,1,2,1,2\n") ==
          "map.csv:3: column \"r_max\": outside the scores 1..5 (value \"6\")");
    CHECK(err(header + "A,1,2,x,2,1,2\n") ==
          "map.csv:2: column \"f_min\": not a whole number (value \"x\")");
    CHECK(err(header + "A,1,2,1,2,-1,2\n") ==
          "map.csv:2: column \"m_min\": not a whole number (value \"-1\")");
    CHECK(err(header + "A,1,2,1,2,4,2\n") ==
          "map.csv:2: column \"m_max\": below m_min 4 (value \"2\")");
    CHECK(err(header + " ,1,2,1,2,1,2\n") == "map.csv:2: column \"segment\": empty segment name");
    CHECK(err(header + "Unclassified,1,2,1,2,1,2\n") ==
          "map.csv:2: column \"segment\": reserved for cells no rule covers (value "
          "\"Unclassified\")");
    CHECK(err(header + "\"A,1,2,1,2,1,2\n") ==
          "map.csv:2: column \"segment\": unterminated quote (value \"\"A,1,2,1,2,1,2\")");
    CHECK(err(header) == "map.csv:2: column \"segment\": no rule");
    CHECK(err("# nothing\n") == "map.csv:2: column \"segment\": no header line");
    CHECK_THROWS_WITH_AS(read_segment_map("/nonexistent/map.csv"),
                         doctest::Contains("map: cannot open \"/nonexistent/map.csv\""),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(parse_segment_map(header, 1), "bins: must be in 2..100, got 1",
                         invalid_argument);
}

TEST_CASE("segment rules: one check for map files and rules given as values (issue 16)") {
    // The same bad rule given as a file line and as values (Python's tuples call
    // segment_rule_of): the same column, value and reason; the file adds its name and line, the
    // values their rule position and name. Scores 0 and 6 lie outside 1..5, a negative bound
    // (which a Python tuple can hold) too, and f_min 4 > f_max 2 is reported at f_max.
    struct bad_rule {
        std::array<std::int64_t, 6> bounds;
        std::string column, value, reason;
    };
    const std::vector<bad_rule> cases{
        {{0, 5, 1, 5, 1, 5}, "r_min", "0", "outside the scores 1..5"},
        {{1, 6, 1, 5, 1, 5}, "r_max", "6", "outside the scores 1..5"},
        {{1, 5, 4, 2, 1, 5}, "f_max", "2", "below f_min 4"},
        {{1, 5, 1, 5, -3, 5}, "m_min", "-3", "outside the scores 1..5"},
    };
    for (const bad_rule& c : cases) {
        CAPTURE(c.column);
        try {
            (void)segment_rule_of("Top", c.bounds, 5, 1);
            FAIL_CHECK("no error");
        } catch (const data_error& e) {
            CHECK(std::string(e.what()) == "segment_map: rule 2 (\"Top\"): column \"" + c.column +
                                               "\": " + c.reason + " (value \"" + c.value + "\")");
            CHECK(e.argument() == "segment_map");
            CHECK(e.row() == std::optional<std::size_t>(1));
            CHECK(e.key() == "Top");
            CHECK(e.column() == c.column);
            CHECK(e.value() == c.value);
        }
        if (c.bounds[4] < 0) continue; // a map file's negative bound is not a whole number
        std::string line = "Top";
        for (const std::int64_t b : c.bounds)
            line += "," + std::to_string(b);
        try {
            (void)parse_segment_map("segment,r_min,r_max,f_min,f_max,m_min,m_max\n" + line, 5,
                                    "map.csv");
            FAIL_CHECK("no error");
        } catch (const parse_error& e) {
            CHECK(std::string(e.what()) == "map.csv:2: column \"" + c.column + "\": " + c.reason +
                                               " (value \"" + c.value + "\")");
            CHECK(e.column() == c.column);
            CHECK(e.value() == c.value);
        }
    }
    const segment_rule ok = segment_rule_of("Top", {4, 5, 4, 5, 3, 5}, 5, 0);
    CHECK((ok.name == "Top" && ok.r.lo == 4 && ok.r.hi == 5 && ok.m.lo == 3 && ok.m.hi == 5));
    CHECK_FALSE(find_segment_rule_problem("Top", {1, 1, 1, 1, 1, 1}, 5).has_value());
}

TEST_CASE("rfm_from_summary: recency in days to the analysis date, orders, net revenue") {
    // A buys on 2020-01-01 and 01-10 (orders o1, o2; 10 and 30), returns 5 on 01-11; B buys
    // on 01-05 (o3, 7). Default analysis date: the day after the last purchase, 01-11 (the
    // return is not a purchase): recency A = 1 day, B = 6; frequency (orders) A 2, B 1; monetary
    // (net) A = 35, B = 7.
    const auto day = [](unsigned d) { return days_from_civil(2020, 1, d) * seconds_per_day; };
    transaction_log log;
    const auto add = [&](const char* c, std::int64_t t, double a, const char* o) {
        log.customer.push_back(log.customer_keys.insert(std::string_view(c)));
        log.time.push_back(t);
        log.amount.push_back(a);
        log.order.push_back(log.order_keys.insert(std::string_view(o)));
    };
    add("A", day(1) + 3600, 10, "o1");
    add("A", day(10) + 7200, 30, "o2");
    add("A", day(11) + 60, -5, "o4");
    add("B", day(5), 7, "o3");
    log.sort_keys();
    const customer_summary s = summarize(log.view());
    const rfm_values v = rfm_values_from(s);
    CHECK(v.analysis_date == day(11));
    CHECK(std::vector<double>(v.recency.begin(), v.recency.end()) == std::vector<double>{1, 6});
    CHECK(std::vector<double>(v.frequency.begin(), v.frequency.end()) == std::vector<double>{2, 1});
    CHECK(std::vector<double>(v.monetary.begin(), v.monetary.end()) == std::vector<double>{35, 7});

    const rfm_values later = rfm_values_from(s, day(31) + 500);
    CHECK(later.analysis_date == day(31));
    CHECK(later.recency[0] == 21);
    CHECK_THROWS_WITH_AS(rfm_values_from(s, day(9)),
                         "analysis_date: 2020-01-09 is before the last purchase of customer at "
                         "position 0 (2020-01-10)",
                         data_error);
    // With the keys, the customer by its key (A buys last on day 11 > day 9), and the fields.
    try {
        (void)rfm_values_from(s, day(9), &log.customer_keys);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) ==
              "analysis_date: 2020-01-09 is before the last purchase of customer A (2020-01-10)");
        CHECK(e.argument() == "analysis_date");
        CHECK(e.row() == std::optional<std::size_t>(0));
        CHECK(e.key() == "A");
        CHECK(e.value() == "2020-01-09");
    }

    // Two customers: positions 0, 1 have bins 0, 4. A: r 5, f 5, m 5; B: r 1, f 1, m 1.
    const rfm_result r = rfm_from_summary(s);
    CHECK(ints(r.cell) == std::vector<int>{555, 111});
    CHECK(names_of(r) == std::vector<std::string>{"Champions", "Lost"});
    CHECK(r.values.size() == 2);
    CHECK(r.values.customers_left_out == 0);

    // C only returns (-8 on 01-03): no purchase row, so no recency; it is left out of the
    // scores, counted (before: dropped without a word).
    add("C", day(3), -8, "o5");
    log.sort_keys();
    const customer_summary with_c = summarize(log.view());
    const rfm_result rc = rfm_from_summary(with_c);
    CHECK(rc.values.size() == 2);
    CHECK(rc.values.customers_left_out == 1);
    CHECK(std::string(rfm_left_out_reason) == "no purchase row (only returns)");
}

TEST_CASE("rfm scores on random data: a reference for `first`, never split for `grouped`") {
    std::mt19937_64 rng(11);
    for (const std::size_t n : {2UL, 3UL, 9UL, 10UL, 11UL, 101UL, 1000UL, 5003UL}) {
        for (const unsigned bins : {2U, 3U, 5U, 10U}) {
            std::vector<double> v(n);
            for (auto& x : v)
                x = static_cast<double>(rng() % (n / 2 + 2)); // many ties
            CAPTURE(n);
            CAPTURE(bins);
            const quantile_scores f = score_quantiles(v, bins, rfm_ties::first, false, "x", 2);
            CHECK(ints(f.score) == reference_first(v, bins));
            CHECK(f.bins.size == f.bins.target);
            const quantile_scores g = score_quantiles(v, bins, rfm_ties::grouped, false, "x", 1);
            // Equal values share a score; a larger value never has a lower score; and the
            // score of a tie group is the `first` score of its lowest id.
            std::vector<std::size_t> order(n);
            std::iota(order.begin(), order.end(), std::size_t{0});
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
            bool ok = true;
            for (std::size_t p = 1; p < n; ++p) {
                const std::size_t a = order[p - 1];
                const std::size_t b = order[p];
                if (v[a] == v[b] ? g.score[a] != g.score[b] : g.score[a] > g.score[b]) ok = false;
                if (v[a] != v[b] && g.score[b] != f.score[b]) ok = false;
            }
            CHECK(ok);
            CHECK(g.score[order[0]] == 1);
            const quantile_scores gr = score_quantiles(v, bins, rfm_ties::grouped, true, "x", 2);
            bool reversed = true;
            for (std::size_t i = 0; i < n; ++i)
                reversed &= gr.score[i] + g.score[i] == bins + 1;
            CHECK(reversed);
        }
    }
}

TEST_CASE("rfm: bad input names the argument, the customer and the value") {
    const std::vector<double> ok{1, 2, 3};
    const std::vector<double> nan{1, 2, std::nan("")};
    const std::vector<double> inf{-INFINITY, 2, 3};
    const std::vector<double> neg{1, -1, 3};
    CHECK_THROWS_WITH_AS(rfm(ok, ok, nan), "monetary: customer 2: value is nan", data_error);
    CHECK_THROWS_WITH_AS(rfm(inf, ok, ok), "recency: customer 0: value is -inf", data_error);
    CHECK_THROWS_WITH_AS(rfm(neg, ok, ok),
                         "recency: customer 1: value is -1 (a purchase after the analysis date)",
                         data_error);
    CHECK_THROWS_WITH_AS(rfm(ok, neg, ok),
                         "frequency: customer 1: value is -1 (a count cannot be negative)",
                         data_error);
    CHECK_NOTHROW(rfm(ok, ok, neg)); // net revenue may be negative
    CHECK_THROWS_WITH_AS(score_quantiles(nan, 5, rfm_ties::grouped, false, "monetary"),
                         "monetary: customer 2: value is nan", data_error);
    CHECK_THROWS_WITH_AS(rfm(ok, ok, ok, {.bins = 1}), "bins: must be in 2..100, got 1",
                         invalid_argument);
    CHECK_THROWS_WITH_AS(score_quantiles(ok, 101), "bins: must be in 2..100, got 101",
                         invalid_argument);
    CHECK_THROWS_WITH_AS(rfm(ok, ok, ok, {.bins = 4}),
                         "bins: the default segment map is for 5 bins, got 4; pass a "
                         "segment_map built for 4",
                         invalid_argument);
    CHECK_THROWS_WITH_AS(rfm(ok, ok, ok, default_segment_map(), {.bins = 3}),
                         "map: built for 5 bins, the scores have 3", invalid_argument);
    CHECK_THROWS_WITH_AS(rfm(ok, std::vector<double>{1, 2}, ok),
                         "frequency: has 2 customers, recency has 3", invalid_argument);

    using rules = std::vector<segment_rule>;
    CHECK_THROWS_WITH_AS(segment_map(rules{}), "segment_map: has no rule", invalid_argument);
    // A malformed rule: the column, value and reason of the map file reader (issue 16: one
    // check, find_segment_rule_problem), with the rule's position and name.
    CHECK_THROWS_WITH_AS(segment_map(rules{{"", {1, 5}, {1, 5}, {1, 5}}}),
                         "segment_map: rule 1: column \"segment\": empty segment name", data_error);
    CHECK_THROWS_WITH_AS(
        segment_map(rules{{"A", {1, 5}, {1, 5}, {1, 5}}, {"X", {1, 5}, {1, 6}, {1, 5}}}),
        "segment_map: rule 2 (\"X\"): column \"f_max\": outside the scores 1..5 (value \"6\")",
        data_error);
    CHECK_THROWS_WITH_AS(
        segment_map(rules{{"X", {0, 5}, {1, 5}, {1, 5}}}),
        "segment_map: rule 1 (\"X\"): column \"r_min\": outside the scores 1..5 (value \"0\")",
        data_error);
    CHECK_THROWS_WITH_AS(
        segment_map(rules{{"X", {1, 5}, {1, 5}, {4, 2}}}),
        "segment_map: rule 1 (\"X\"): column \"m_max\": below m_min 4 (value \"2\")", data_error);
    CHECK_THROWS_WITH_AS(segment_map(rules{{"Unclassified", {1, 5}, {1, 5}, {1, 5}}}),
                         "segment_map: rule 1 (\"Unclassified\"): column \"segment\": reserved "
                         "for cells no rule covers (value \"Unclassified\")",
                         data_error);
    CHECK_THROWS_WITH_AS(check_segment_rules(rules{{"X", {1, 5}, {1, 5}, {1, 5}}}, 0),
                         "bins: must be in 2..100, got 0", invalid_argument);
}

TEST_CASE("rfm combined FM: the default map on the (R, FM) grid covers every cell") {
    // Every (r, fm) of the default map has a rule; Hibernating (R 1-2, FM 1-3) wins none: at
    // R 1-2, FM 1 is Lost (R 1-2, FM 1-2, earlier) and FM 2-3 At Risk (R 1-2, FM 2-5, earlier).
    const std::vector<std::string> dw = fm_map_warnings(default_segment_map());
    REQUIRE(dw.size() == 1);
    CHECK(dw[0] == "segment_map: rule 11 (\"Hibernating\") never fires on combined FM: earlier "
                   "rules take all its (R, FM) cells, or its F and M ranges do not meet");
    // Five customers with distinct values get scores 1..5 in value order (n = 5: bins
    // ceil(5p / 4) - 1 = p). Chosen cells (r, f, m) and fm = ceil((f + m) / 2):
    //   (5, 5, 1) fm 3 -> (5, 3, 3) Loyal Customers   (separate: uncovered)
    //   (4, 1, 4) fm 3 -> (4, 3, 3) Loyal Customers   (separate: uncovered)
    //   (3, 2, 5) fm 4 -> (3, 4, 4) Loyal Customers   (separate: uncovered)
    //   (2, 3, 2) fm 3 -> (2, 3, 3) At Risk           (separate: At Risk, R 1-2 F 2-5 M 2-5)
    //   (1, 4, 3) fm 4 -> (1, 4, 4) Can't Lose Them   (separate: At Risk)
    // Recency is reversed: r 5..1 for recency 1..5.
    const std::vector<double> rec{1, 2, 3, 4, 5};
    const std::vector<double> freq{50, 10, 20, 30, 40}; // f 5, 1, 2, 3, 4
    const std::vector<double> mon{10, 40, 50, 20, 30};  // m 1, 4, 5, 2, 3
    rfm_options sep;
    const rfm_result a = rfm(rec, freq, mon, sep);
    CHECK(ints(a.cell) == std::vector<int>{551, 414, 325, 232, 143});
    CHECK(names_of(a) == std::vector<std::string>{"Unclassified", "Unclassified", "Unclassified",
                                                  "At Risk", "At Risk"});
    rfm_options comb;
    comb.fm = rfm_fm::combined;
    const rfm_result b = rfm(rec, freq, mon, comb);
    CHECK(ints(b.cell) == ints(a.cell)); // the scores and cells do not change
    CHECK(names_of(b) == std::vector<std::string>{"Loyal Customers", "Loyal Customers",
                                                  "Loyal Customers", "At Risk", "Can't Lose Them"});
    CHECK(b.unclassified == 0);
    CHECK(b.map_warnings == dw);

    // A map whose only rule needs F 1 and M 5 never fires on combined FM (fm = 3 there).
    const segment_map odd({{"odd", {1, 5}, {1, 1}, {5, 5}}}, 5);
    const std::vector<std::string> w = fm_map_warnings(odd);
    REQUIRE(w.size() == 2);
    CHECK(w[0] == "segment_map: 25 of 25 (R, FM) cells are covered by no rule (\"Unclassified\"), "
                  "first (1, 1)");
    CHECK(w[1].find("rule 1 (\"odd\") never fires on combined FM") != std::string::npos);
}

TEST_CASE("the options by name: parse_rfm_ties and parse_rfm_fm") {
    CHECK(parse_rfm_ties("grouped") == rfm_ties::grouped);
    CHECK(parse_rfm_ties("first") == rfm_ties::first);
    CHECK(parse_rfm_fm("separate") == rfm_fm::separate);
    CHECK(parse_rfm_fm("combined") == rfm_fm::combined);
    try {
        parse_rfm_ties("dense");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "ties: expected 'grouped' or 'first', got 'dense'");
        CHECK(e.argument() == "ties");
        CHECK(e.value() == "dense");
    }
    try {
        parse_rfm_fm("", "fm");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "fm: expected 'separate' or 'combined', got ''");
        CHECK(e.argument() == "fm");
    }
}
