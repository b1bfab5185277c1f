// Tests of output/segments.hpp: the exact text, JSON and CSV of small hand-made results: two
// segment profiles (one empty, shares and means worked by hand), the criteria CSV of the same
// profiles, and the attractiveness analysis of the example in attractiveness.hpp (the text and
// JSON the command-line tool printed before the writers moved to the core).
#include <custometrics/output/segments.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using namespace custometrics;

namespace {

// Customers 0, 1, 2 in segments A, A, B of three (C is empty): A has revenue 30 + 10 = 40 of
// 100 (share 40%), mean recency (1 + 3) / 2 = 2, frequency (4 + 1) / 2 = 2.5, monetary 20,
// repeat rate 1/2; B has 60 (60%), recency 10, frequency 1, monetary 60, repeat rate 0.
segment_profiles example_profiles(bool with_profit) {
    const std::vector<std::uint32_t> labels{0, 0, 1};
    const std::vector<double> rec{1, 3, 10}, freq{4, 1, 1}, mon{30, 10, 60}, rev{30, 10, 60};
    const std::vector<double> profit{15, -5, 30}; // A: 10 of 40 (margin 0.25), B: 0.5
    return profile_segments<std::uint32_t>(
        labels, 3,
        {rec, freq, mon, rev,
         with_profit ? std::span<const double>(profit) : std::span<const double>()},
        {"A", "B", "C"});
}

} // namespace

TEST_CASE("output segments: profiles as text, JSON and criteria CSV") {
    const segment_profiles p = example_profiles(false);
    std::ostringstream text;
    output::write_text(text, p, "  ");
    CHECK(
        text.str() ==
        "  segment               customers    share   revenue   recency frequency     monetary\n"
        "  A                             2    66.7%     40.0%       2.0      2.50        20.00\n"
        "  B                             1    33.3%     60.0%      10.0      1.00        60.00\n");
    std::ostringstream json;
    detail::json_writer w(json);
    output::write_json(w, p); // a whole document: ends with a newline
    CHECK(json.str() ==
          "[{\"segment\":\"A\",\"customers\":2,\"customer_share\":0.6666666666666666,"
          "\"revenue\":40,\"revenue_share\":0.4,\"mean_recency\":2,\"mean_frequency\":2.5,"
          "\"mean_monetary\":20,\"repeat_rate\":0.5},"
          "{\"segment\":\"B\",\"customers\":1,\"customer_share\":0.3333333333333333,"
          "\"revenue\":60,\"revenue_share\":0.6,\"mean_recency\":10,\"mean_frequency\":1,"
          "\"mean_monetary\":60,\"repeat_rate\":0},"
          "{\"segment\":\"C\",\"customers\":0,\"customer_share\":0,\"revenue\":0,"
          "\"revenue_share\":0,\"mean_recency\":null,\"mean_frequency\":null,"
          "\"mean_monetary\":null,\"repeat_rate\":null}]\n");
    std::ostringstream csv;
    output::write_criteria_csv(csv, example_profiles(true));
    CHECK(csv.str() == "segment,customers,revenue,margin,repeat_rate,mean_recency,"
                       "mean_frequency,mean_monetary\n"
                       "direction,more,more,more,more,less,more,more\n"
                       "A,2,40,0.25,0.5,2,2.5,20\n"
                       "B,1,60,0.5,0,10,1,60\n");
    // The criteria CSV reads back as a criteria table.
    std::istringstream back(csv.str());
    const criteria_table t = read_criteria_table(read_csv_table(back, "back.csv"));
    CHECK(t.segments == std::vector<std::string>{"A", "B"});
    CHECK(t.criteria[4].dir == direction::less_is_better);
}

TEST_CASE("output segments: the attractiveness analysis as text and JSON") {
    std::istringstream in("segment,size,growth,competition,share\n"
                          "direction,more,more,less,more\n"
                          "axis,attractiveness,attractiveness,attractiveness,strength\n"
                          "weight,2,1,1,1\n"
                          "Champions,1200,0.10,5,0.9\n"
                          "Loyal Customers,800,0.25,2,0.2\n"
                          "Lost,300,0.05,1,0.7\n");
    attractiveness_options o;
    o.rules.min_score = 0.5;
    const attractiveness_analysis a =
        analyse_attractiveness(read_criteria_table(read_csv_table(in, "c.csv")), o);
    std::ostringstream text;
    output::write_text(text, a);
    CHECK(text.str() ==
          "weights: size 0.500, growth 0.250, competition 0.250\n\n"
          "rank  segment                    score  strength  cell           zone\n"
          "   1  Loyal Customers            0.715     0.000  high/low       selective\n"
          "   2  Champions                  0.562     1.000  medium/high    invest/grow\n"
          "   3  Lost                       0.250     0.714  low/high       selective\n"
          "\ntarget segments: Loyal Customers; Champions;\n");
    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, a);
    w.end_object();
    // Sensitivity of size (see attractiveness.hpp): Champions 0.125 + 0.875 t meets Loyal
    // 0.875 - 0.31944 t at t = 0.75 / 1.19444 = 0.62791.
    CHECK(json.str() ==
          "{\"weights\":{\"size\":0.5,\"growth\":0.25,\"competition\":0.25},\"segments\":["
          "{\"segment\":\"Loyal Customers\",\"score\":0.7152777777777778,\"rank\":1,"
          "\"strength\":0,\"cell\":\"high/low\",\"zone\":\"selective\"},"
          "{\"segment\":\"Champions\",\"score\":0.5625,\"rank\":2,\"strength\":1,"
          "\"cell\":\"medium/high\",\"zone\":\"invest/grow\"},"
          "{\"segment\":\"Lost\",\"score\":0.25,\"rank\":3,\"strength\":0.7142857142857143,"
          "\"cell\":\"low/high\",\"zone\":\"selective\"}],\"sensitivity\":["
          "{\"criterion\":\"size\",\"weight\":0.5,\"down\":null,\"up\":{\"weight\":"
          "0.627906976744186,\"new_top\":\"Champions\"}},"
          "{\"criterion\":\"growth\",\"weight\":0.25,\"down\":{\"weight\":0.05813953488372092,"
          "\"new_top\":\"Champions\"},\"up\":null},"
          "{\"criterion\":\"competition\",\"weight\":0.25,\"down\":{\"weight\":"
          "0.05813953488372092,\"new_top\":\"Champions\"},\"up\":{\"weight\":"
          "0.7378640776699029,\"new_top\":\"Lost\"}}],"
          "\"targets\":[\"Loyal Customers\",\"Champions\"]}\n");
    // The target customers of an assignment file.
    std::istringstream as("customer_id,segment\nA,Champions\nB,Lost\n\"C, c\",Loyal Customers\n");
    const segment_assignments s = read_segment_assignments(read_csv_table(as, "a.csv"));
    std::vector<std::string> names;
    for (const std::size_t k : a.targets)
        names.push_back(a.segments[k]);
    std::ostringstream targets;
    output::write_csv(targets, s, s.rows_in(names));
    CHECK(targets.str() == "customer_id,segment\nA,Champions\n\"C, c\",Loyal Customers\n");
}
