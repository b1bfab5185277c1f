// Tests of criteria_table.hpp: the criteria file of the example in attractiveness.hpp read field
// by field, every reader's errors with file, line, column and value, weights and pairwise files
// (a pairwise header in another order is put back in the order of the criteria), assignment
// files (segment, else cluster), and the whole analysis checked against the hand-worked scores.
#include <custometrics/criteria_table.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace custometrics;
using doctest::Approx;

namespace {

csv_table table_of(const std::string& text, const std::string& source = "c.csv") {
    std::istringstream in(text);
    return read_csv_table(in, source);
}

// The example of attractiveness.hpp plus a strength criterion (share): Champions 0.9, Loyal
// Customers 0.2, Lost 0.7, so strength by min_max is 1, 0, 5/7.
const std::string example = "segment,size,growth,competition,share\n"
                            "direction,more,more,less,more\n"
                            "axis,attractiveness,attractiveness,attractiveness,strength\n"
                            "weight,2,1,1,1\n"
                            "# one row per segment\n"
                            "Champions,1200,0.10,5,0.9\n"
                            "Loyal Customers,800,0.25,2,0.2\n"
                            "Lost,300,0.05,1,0.7\n";

std::string message_of(const csv_table& t) {
    try {
        (void)read_criteria_table(t);
    } catch (const parse_error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("criteria_table: the example file, field by field") {
    const criteria_table t = read_criteria_table(table_of(example));
    CHECK(t.segments == std::vector<std::string>{"Champions", "Loyal Customers", "Lost"});
    REQUIRE(t.criteria.size() == 4);
    CHECK(t.criteria[0].name == "size");
    CHECK(t.criteria[2].dir == direction::less_is_better);
    CHECK(t.criteria[1].dir == direction::more_is_better);
    CHECK(t.criteria[3].norm == normalisation::min_max);
    CHECK(t.strength == std::vector<bool>{false, false, false, true});
    CHECK(t.weight == std::vector<double>{2, 1, 1, 1});
    CHECK(t.raw(1, 1) == 0.25);
    CHECK(t.raw(2, 3) == 0.7);
    CHECK(t.find("competition") == 2u);
    CHECK_FALSE(t.find("reach").has_value());
    const criteria_axis a = t.axis(false);
    CHECK(a.columns == std::vector<std::size_t>{0, 1, 2});
    CHECK(a.raw.cols() == 3);
    const criteria_axis s = t.axis(true);
    CHECK(s.columns == std::vector<std::size_t>{3});
    CHECK(s.raw(0, 0) == 0.9);
}

TEST_CASE("criteria_table: errors name the file, line, column and value") {
    CHECK(message_of(table_of("segment,size\ndirection,up\nA,1\n")) ==
          "c.csv:2: column \"size\": direction must be more or less (value \"up\")");
    CHECK(message_of(table_of("segment,size\nnormalisation,minmax\nA,1\n")) ==
          "c.csv:2: column \"size\": normalisation must be min_max, z_score or rank (value "
          "\"minmax\")");
    CHECK(message_of(table_of("segment,size\naxis,foo\nA,1\n")) ==
          "c.csv:2: column \"size\": axis must be attractiveness or strength (value \"foo\")");
    CHECK(message_of(table_of("segment,size\nA,1\ndirection,more\n")) ==
          "c.csv:3: column \"segment\": describe the criteria before the first segment (value "
          "\"direction\")");
    CHECK(message_of(table_of("segment,size\nA,1\nB,x\n")) ==
          "c.csv:3: column \"size\": not a number (value \"x\")");
    CHECK(message_of(table_of("segment,size\nA,1\nB,2\nA,3\n")) ==
          "c.csv:4: column \"segment\": the segment appears twice (first on line 2) (value \"A\")");
    CHECK(message_of(table_of("segment,size\n")) == "c.csv:1: column \"segment\": no segment rows");
    CHECK(message_of(table_of("segment,size\n,1\n")) ==
          "c.csv:2: column \"segment\": empty segment name");
    CHECK(message_of(table_of("seg,size\nA,1\n")).find("the header must be") != std::string::npos);
}

TEST_CASE("criteria_table: weights and pairwise files") {
    const criteria_table t = read_criteria_table(table_of(example));
    const auto crit = t.axis(false).criteria;
    CHECK(read_criterion_weights(table_of("criterion,weight\ngrowth,2\nsize,1\ncompetition,3\n"),
                                 crit) == std::vector<double>{1, 2, 3});
    // Without the header the first line is a weight.
    CHECK(read_criterion_weights(table_of("size,1\ngrowth,2\ncompetition,3\n"), crit) ==
          std::vector<double>{1, 2, 3});
    CHECK_THROWS_WITH_AS(
        read_criterion_weights(table_of("criterion,weight\nreach,1\n", "w.csv"), crit),
        "w.csv:2: column \"criterion\": not an attractiveness criterion (they are: size, growth, "
        "competition) (value \"reach\")",
        parse_error);
    CHECK_THROWS_WITH_AS(
        read_criterion_weights(table_of("criterion,weight\nsize,1\ngrowth,2\n", "w.csv"), crit),
        "w.csv:3: column \"criterion\": no weight for this criterion (value \"competition\")",
        parse_error);
    // The file's order size, competition, growth put back in the order size, growth, competition.
    const Eigen::MatrixXd a = read_pairwise_matrix(
        table_of("criterion,size,competition,growth\nsize,1,5,3\ncompetition,0.2,1,0.5\n"
                 "growth,0.3333,2,1\n"),
        crit);
    CHECK(a(0, 1) == 3);
    CHECK(a(0, 2) == 5);
    CHECK(a(1, 2) == 2);
    CHECK(a(2, 1) == 0.5);
    CHECK_THROWS_WITH_AS(
        read_pairwise_matrix(table_of("criterion,size,growth,competition\nsize,1,3,5\n"
                                      "competition,0.2,1,1\ngrowth,1,1,1\n",
                                      "p.csv"),
                             crit),
        "p.csv:3: column \"criterion\": rows must follow the order of the header (expected "
        "growth) (value \"competition\")",
        parse_error);
}

TEST_CASE("criteria_table: assignment files") {
    const segment_assignments a =
        read_segment_assignments(table_of("customer_id,cluster\nA,0\nB,1\nC,0\n"));
    CHECK(a.segment_column == "cluster");
    CHECK(a.customer == std::vector<std::string>{"A", "B", "C"});
    const std::vector<std::string> names{"0"};
    CHECK(a.rows_in(names) == std::vector<std::size_t>{0, 2});
    CHECK_THROWS_WITH_AS(
        read_segment_assignments(table_of("id,segment\nA,x\n", "a.csv")),
        "a.csv:1: column \"\": needs the columns customer_id and segment (or cluster)",
        parse_error);
}

TEST_CASE("criteria_table: the analysis of the example") {
    const criteria_table t = read_criteria_table(table_of(example));
    attractiveness_options o;
    o.rules.min_score = 0.5;
    const attractiveness_analysis a = analyse_attractiveness(t, o);
    // Weights 2, 1, 1 -> 0.5, 0.25, 0.25; normalised rows (1, 0.25, 0), (5/9, 1, 0.75), (0, 0,
    // 1): scores 0.5625, 0.5 * 5/9 + 0.25 + 0.1875, 0.25.
    CHECK(a.scores.score[0] == Approx(0.5625));
    CHECK(a.scores.score[1] == Approx(0.5 * 5.0 / 9.0 + 0.25 + 0.1875));
    CHECK(a.scores.order == std::vector<std::size_t>{1, 0, 2});
    REQUIRE(a.matrix.has_value());
    // Strength 1, 0, 5/7: Champions medium (0.5625) / high, Loyal high / low, Lost low / high.
    CHECK(a.matrix->cells[0].zone == strategy_zone::invest_grow);
    CHECK(a.matrix->cells[1].zone == strategy_zone::selective);
    CHECK(a.strength->score[2] == Approx(5.0 / 7.0));
    CHECK(a.selected);
    CHECK(a.targets == std::vector<std::size_t>{1, 0});
    CHECK_FALSE(a.ahp.has_value());

    // Weights from a file replace the table's: size alone.
    attractiveness_options w;
    w.weights = std::vector<double>{1, 0, 0};
    const attractiveness_analysis b = analyse_attractiveness(t, w);
    CHECK(b.scores.order == std::vector<std::size_t>{0, 1, 2});
    CHECK_FALSE(b.selected);

    const criteria_table only_strength =
        read_criteria_table(table_of("segment,size\naxis,strength\nA,1\nB,2\n"));
    CHECK_THROWS_AS(analyse_attractiveness(only_strength), invalid_argument);
    attractiveness_options z;
    z.rules.zones = {strategy_zone::selective};
    CHECK_THROWS_WITH_AS(
        analyse_attractiveness(read_criteria_table(table_of("segment,x\nA,1\n")), z),
        "zones: needs strength criteria (an `axis` row)", invalid_argument);
}

TEST_CASE("criteria_table: the analysis of files as the tool takes them") {
    const auto dir = std::filesystem::temp_directory_path();
    const std::string criteria = (dir / "custometrics_test_criteria.csv").string();
    const std::string weights = (dir / "custometrics_test_weights.csv").string();
    std::ofstream(criteria) << example;
    std::ofstream(weights) << "criterion,weight\nsize,1\ngrowth,0\ncompetition,0\n";
    // The example's scores (see above): Loyal Customers 0.6402..., Champions 0.5625, Lost 0.25;
    // a bound size >= 500 keeps Champions (1,200) and Loyal Customers (800), best first.
    attractiveness_inputs in{criteria, "", "", {}, {"size=500"}, {}};
    const attractiveness_analysis a = analyse_attractiveness_files(in);
    CHECK(a.scores.score[0] == Approx(0.5625));
    CHECK(a.targets == std::vector<std::size_t>{1, 0});
    // The weights file replaces the table's: size alone ranks Champions first.
    in.weights = weights;
    in.at_least.clear();
    CHECK(analyse_attractiveness_files(in).scores.order == std::vector<std::size_t>{0, 1, 2});
    // Errors name the inputs by the names given (the tool's flags).
    attractiveness_input_names flags;
    flags.criteria = "--criteria";
    flags.zone = "--zone";
    std::ofstream(criteria) << "segment,size\naxis,strength\nA,1\nB,2\n";
    attractiveness_inputs plain;
    plain.criteria = criteria;
    CHECK_THROWS_WITH_AS(analyse_attractiveness_files(plain, {}, flags),
                         "--criteria: no attractiveness criterion (every axis is strength)",
                         invalid_argument);
    std::ofstream(criteria) << "segment,x\nA,1\n";
    plain.zones = {"selective"};
    CHECK_THROWS_WITH_AS(analyse_attractiveness_files(plain, {}, flags),
                         "--zone: needs strength criteria (an `axis` row in --criteria)",
                         invalid_argument);
    std::filesystem::remove(criteria);
    std::filesystem::remove(weights);
}
