// Tests of segments.hpp: segment profiles worked by hand (shares, sums, means, an empty
// segment, non-positive totals), the profile of RFM segments from a summary, target selection
// by score, rank, zone, level and raw criterion bounds on the example of attractiveness.hpp,
// the customers of the targets, and bad input.
#include <custometrics/segments.hpp>

#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <string_view>
#include <vector>

using namespace custometrics;
using doctest::Approx;

namespace {

const double nan_v = std::numeric_limits<double>::quiet_NaN();

// Five customers in segments 0, 1, 0, 2, 1 of four (segment 3 is empty).
const std::vector<std::uint32_t> labels{0, 1, 0, 2, 1};
const std::vector<double> rec{1, 30, 3, 90, 20};
const std::vector<double> freq{5, 1, 3, 1, 2};
const std::vector<double> mon{50, 10, 30, 5, 15};
const std::vector<double> profit{20, -5, 10, 1, 2};

// The criteria table of the example in attractiveness.hpp: size, growth, competition (less is
// better), weights 2, 1, 1 -> 0.5, 0.25, 0.25; normalised rows (1, 0.25, 0), (5/9, 1, 0.75),
// (0, 0, 1): scores 0.5625, 0.25 * 5/9 + 0.25 + 0.1875 = 0.7153, 0.25; ranks 2, 1, 3.
struct table {
    std::vector<criterion> crit{{"size"}, {"growth"}, {"competition", direction::less_is_better}};
    Eigen::MatrixXd raw{3, 3};
    segment_scores scores;
    table() {
        raw << 1200, 0.10, 5, //
            800, 0.25, 2,     //
            300, 0.05, 1;
        scores = score_segments(raw, crit, std::vector<double>{2, 1, 1});
    }
};

} // namespace

TEST_CASE("profile_segments: sizes, shares, sums and means per segment") {
    const segment_profiles p = profile_segments<std::uint32_t>(
        labels, 4, {rec, freq, mon, mon, profit}, {"a", "b", "c", "d"});
    // Totals: revenue 50 + 10 + 30 + 5 + 15 = 110, profit 20 - 5 + 10 + 1 + 2 = 28.
    CHECK(p.customers == 5);
    CHECK(p.revenue == 110);
    CHECK(*p.profit == 28);
    REQUIRE(p.segments.size() == 4);
    const segment_profile& a = p.segments[0]; // customers 0 and 2
    CHECK(a.name == "a");
    CHECK(a.customers == 2);
    CHECK(*a.customer_share == Approx(0.4));
    CHECK(a.revenue == 80);
    CHECK(*a.revenue_share == Approx(80.0 / 110.0));
    CHECK(*a.profit == 30);
    CHECK(*a.profit_share == Approx(30.0 / 28.0)); // more than the whole: b loses money
    CHECK(*a.mean_recency == 2);                   // (1 + 3) / 2
    CHECK(*a.mean_frequency == 4);                 // (5 + 3) / 2
    CHECK(*a.mean_monetary == 40);                 // (50 + 30) / 2
    const segment_profile& b = p.segments[1];      // customers 1 and 4
    CHECK(b.revenue == 25);
    CHECK(*b.profit == -3);
    CHECK(*b.profit_share == Approx(-3.0 / 28.0));
    CHECK(*b.mean_recency == 25);
    CHECK(*b.mean_frequency == 1.5);
    CHECK(*b.mean_monetary == 12.5);
    CHECK(*b.repeat_rate == 0.5);             // frequencies 1 and 2
    CHECK(*b.margin == Approx(-3.0 / 25.0));  // a loss-making segment
    const segment_profile& c = p.segments[2]; // customer 3
    CHECK(c.customers == 1);
    CHECK(*c.customer_share == Approx(0.2));
    CHECK(*c.mean_recency == 90);
    CHECK(*c.repeat_rate == 0);               // frequency 1
    const segment_profile& d = p.segments[3]; // nobody
    CHECK(d.customers == 0);
    CHECK(*d.customer_share == 0);
    CHECK(d.revenue == 0);
    CHECK(*d.revenue_share == 0);
    CHECK_FALSE(d.mean_recency.has_value());
    CHECK_FALSE(d.mean_frequency.has_value());
    CHECK_FALSE(d.mean_monetary.has_value());
    CHECK_FALSE(d.repeat_rate.has_value());
    CHECK_FALSE(d.margin.has_value()); // revenue 0
}

TEST_CASE("profile_segments: default names, no profit, non-positive totals, no customers") {
    const segment_profiles p =
        profile_segments<std::uint32_t>(labels, 3, {rec, freq, mon, mon, {}});
    CHECK(p.segments[2].name == "2");
    CHECK_FALSE(p.profit.has_value());
    CHECK_FALSE(p.segments[0].profit.has_value());
    CHECK_FALSE(p.segments[0].profit_share.has_value());
    CHECK_FALSE(p.segments[0].margin.has_value());

    // Revenue 10, -30, 5, 5, 0: total -10 <= 0, so no revenue share; sums still there.
    const std::vector<double> rev{10, -30, 5, 5, 0};
    const segment_profiles q =
        profile_segments<std::uint32_t>(labels, 3, {rec, freq, mon, rev, {}});
    CHECK(q.revenue == -10);
    CHECK(q.segments[0].revenue == 15);
    CHECK(q.segments[1].revenue == -30);
    CHECK_FALSE(q.segments[0].revenue_share.has_value());

    const std::vector<std::uint32_t> none;
    const std::vector<double> empty;
    const segment_profiles z =
        profile_segments<std::uint32_t>(none, 2, {empty, empty, empty, empty, {}});
    CHECK(z.customers == 0);
    CHECK(z.segments[0].customers == 0);
    CHECK_FALSE(z.segments[0].customer_share.has_value());
    CHECK_FALSE(z.segments[0].revenue_share.has_value());
}

TEST_CASE("profile_segments: bad input") {
    CHECK_THROWS_WITH_AS(profile_segments<std::uint32_t>(labels, 2, {rec, freq, mon, mon, {}}),
                         "labels: customer 3: label 2 is not below the 2 segments",
                         invalid_argument);
    std::vector<double> bad = mon;
    bad[3] = nan_v;
    CHECK_THROWS_WITH_AS(profile_segments<std::uint32_t>(labels, 3, {rec, freq, mon, bad, {}}),
                         "revenue: customer 3: value is nan", data_error);
    bad[3] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(profile_segments<std::uint32_t>(labels, 3, {rec, freq, mon, mon, bad}),
                         "profit: customer 3: value is inf", data_error);
    const std::vector<double> short_v{1, 2};
    CHECK_THROWS_WITH_AS(profile_segments<std::uint32_t>(labels, 3, {rec, short_v, mon, mon, {}}),
                         "frequency: 2 values for 5 labels", invalid_argument);
    CHECK_THROWS_WITH_AS(
        profile_segments<std::uint32_t>(labels, 3, {rec, freq, mon, mon, {}}, {"a", "b"}),
        "names: 2 names for 3 segments", invalid_argument);
}

TEST_CASE("profile_rfm_segments: the RFM segments of a summary with revenue and profit") {
    // As test_rfm.cpp: A buys 10 (cost 4) on 2020-01-01 and 30 (cost 12) on 01-10, returns 5
    // (cost -2) on 01-11; B buys 7 (cost 3) on 01-05. Revenue A 35, B 7 (total 42); profit A
    // 6 + 18 - 3 = 21, B 4 (total 25). Scores: A 555 Champions, B 111 Lost; recency 1 and 6.
    const auto day = [](unsigned d) { return days_from_civil(2020, 1, d) * seconds_per_day; };
    transaction_log log;
    const auto add = [&](const char* c, std::int64_t t, double a, double cost) {
        log.customer.push_back(log.customer_keys.insert(std::string_view(c)));
        log.time.push_back(t);
        log.amount.push_back(a);
        log.cost.push_back(cost);
    };
    add("A", day(1), 10, 4);
    add("A", day(10), 30, 12);
    add("A", day(11), -5, -2);
    add("B", day(5), 7, 3);
    log.sort_keys();
    const customer_summary s = summarize(log.view());
    const rfm_result r = rfm_from_summary(s);
    const segment_profiles p = profile_rfm_segments(r, s);
    REQUIRE(p.segments.size() == r.segment_names.size());
    std::size_t champions = r.segment_names.size(), lost = champions;
    for (std::size_t i = 0; i < r.segment_names.size(); ++i) {
        if (r.segment_names[i] == "Champions") champions = i;
        if (r.segment_names[i] == "Lost") lost = i;
    }
    REQUIRE(champions < p.segments.size());
    REQUIRE(lost < p.segments.size());
    const segment_profile& c = p.segments[champions];
    CHECK(c.name == "Champions");
    CHECK(c.customers == 1);
    CHECK(c.revenue == 35);
    CHECK(*c.revenue_share == Approx(35.0 / 42.0));
    CHECK(*c.profit == 21);
    CHECK(*c.profit_share == Approx(21.0 / 25.0));
    CHECK(*c.mean_recency == 1);
    CHECK(*c.mean_frequency == 2); // orders = purchase rows without an order column: 2
    CHECK(*p.segments[lost].mean_recency == 6);
    CHECK(p.segments.back().name == "Unclassified");
    CHECK(p.segments.back().customers == 0);

    rfm_result bare =
        rfm(std::vector<double>{1, 6}, std::vector<double>{2, 1}, std::vector<double>{35, 7});
    CHECK_THROWS_AS(profile_rfm_segments(bare, s), invalid_argument);
}

TEST_CASE("select_targets: score, rank, zone, level and criterion thresholds") {
    const table t;
    REQUIRE(t.scores.rank == std::vector<std::size_t>{2, 1, 3});
    using v = std::vector<std::size_t>;
    target_rules none;
    CHECK(select_targets(t.scores, none) == v{1, 0, 2}); // everyone, best first

    target_rules score;
    score.min_score = 0.5; // 0.5625 and 0.7153 pass
    CHECK(select_targets(t.scores, score) == v{1, 0});
    score.min_score = 0.5625; // on the bound: passes
    CHECK(select_targets(t.scores, score) == v{1, 0});

    target_rules rank;
    rank.max_rank = 1;
    CHECK(select_targets(t.scores, rank) == v{1});

    // Raw bounds: size >= 500 (1200, 800), competition <= 2 (2, 1).
    target_rules crit;
    crit.criteria = {{0, 500.0, std::nullopt}};
    CHECK(select_targets(t.scores, crit, t.raw) == v{1, 0});
    crit.criteria = {{2, std::nullopt, 2.0}};
    CHECK(select_targets(t.scores, crit, t.raw) == v{1, 2});
    crit.min_score = 0.5;
    CHECK(select_targets(t.scores, crit, t.raw) == v{1});

    // Strength 0.9, 0.2, 0.7 with the default cuts: segment 0 medium-high (invest/grow),
    // 1 high-low (selective), 2 low-high (selective).
    const segment_matrix m =
        attractiveness_matrix(t.scores.score, std::vector<double>{0.9, 0.2, 0.7});
    target_rules zone;
    zone.zones = {strategy_zone::invest_grow};
    CHECK(select_targets(t.scores, zone, Eigen::MatrixXd(), &m) == v{0});
    zone.zones = {strategy_zone::selective};
    CHECK(select_targets(t.scores, zone, Eigen::MatrixXd(), &m) == v{1, 2});
    zone.zones = {strategy_zone::harvest_divest};
    CHECK(select_targets(t.scores, zone, Eigen::MatrixXd(), &m).empty());
    target_rules level;
    level.min_strength = matrix_level::high;
    CHECK(select_targets(t.scores, level, Eigen::MatrixXd(), &m) == v{0, 2});
    level.min_strength.reset();
    level.min_attractiveness = matrix_level::medium;
    CHECK(select_targets(t.scores, level, Eigen::MatrixXd(), &m) == v{1, 0});
}

TEST_CASE("select_targets: a threshold without its input, bad bounds") {
    const table t;
    target_rules zone;
    zone.zones = {strategy_zone::selective};
    CHECK_THROWS_AS(select_targets(t.scores, zone), invalid_argument);
    const segment_matrix two =
        attractiveness_matrix(std::vector<double>{0.1, 0.2}, std::vector<double>{0.1, 0.2});
    CHECK_THROWS_WITH_AS(select_targets(t.scores, zone, Eigen::MatrixXd(), &two),
                         "matrix: 2 cells for 3 segments", invalid_argument);
    target_rules crit;
    crit.criteria = {{0, 1.0, std::nullopt}};
    CHECK_THROWS_AS(select_targets(t.scores, crit), invalid_argument);
    crit.criteria = {{3, 1.0, std::nullopt}};
    CHECK_THROWS_WITH_AS(select_targets(t.scores, crit, t.raw),
                         "criteria thresholds: criterion 3: the table has 3 criteria",
                         invalid_argument);
    crit.criteria = {{0, 5.0, 1.0}};
    CHECK_THROWS_WITH_AS(select_targets(t.scores, crit, t.raw),
                         "criteria thresholds: criterion 0: min 5 > max 1", invalid_argument);
    crit.criteria = {{0, nan_v, std::nullopt}};
    CHECK_THROWS_AS(select_targets(t.scores, crit, t.raw), invalid_argument);
    target_rules score;
    score.min_score = nan_v;
    CHECK_THROWS_WITH_AS(select_targets(t.scores, score), "min_score: value is nan",
                         invalid_argument);
}

TEST_CASE("target_customers: the customers of the chosen segments, ascending") {
    using v = std::vector<std::uint32_t>;
    const auto list = [](std::vector<std::size_t> seg) {
        const column<std::uint32_t> c = target_customers<std::uint32_t>(labels, seg);
        return v(c.begin(), c.end());
    };
    CHECK(list({1, 2}) == v{1, 3, 4});
    CHECK(list({2, 1}) == v{1, 3, 4});
    CHECK(list({0}) == v{0, 2});
    CHECK(list({}).empty());
    CHECK(list({7}).empty()); // a segment nobody is in
}

TEST_CASE("cluster_rfm: two clusters of the CLI test's five customers, and a negative monetary") {
    // A buys 100, 50, 60 (01-01, 01-20, 01-30), B 10 (01-05), C 40, 30 (01-10, 01-28), D 5
    // (01-15), E 300 (01-29): recency to 01-31 1, 26, 3, 16, 2; frequency 3, 1, 2, 1, 1. The
    // recent, frequent and large A, C, E against the lapsed small B, D: the split of the largest
    // between-group distance in every log-scaled feature.
    const auto day = [](unsigned d) { return days_from_civil(2020, 1, d) * seconds_per_day; };
    transaction_log log;
    const auto add = [&](const char* c, unsigned d, double a) {
        log.customer.push_back(log.customer_keys.insert(std::string_view(c)));
        log.time.push_back(day(d));
        log.amount.push_back(a);
    };
    add("A", 1, 100);
    add("A", 20, 50);
    add("A", 30, 60);
    add("B", 5, 10);
    add("C", 10, 40);
    add("C", 28, 30);
    add("D", 15, 5);
    add("E", 29, 300);
    log.sort_keys();
    summary_options so;
    so.unit = time_unit::days;
    const customer_summary s = summarize(log.view(), so);
    rfm_cluster_options o;
    o.k = 2;
    const rfm_clusters c = cluster_rfm(s, o, &log.customer_keys);
    REQUIRE(c.k() == 2);
    const auto& l = c.kmeans.labels;
    CHECK(l[0] == l[2]);
    CHECK(l[2] == l[4]);
    CHECK(l[1] == l[3]);
    CHECK(l[0] != l[1]);
    CHECK(c.values.recency[1] == 26);
    // The profile of the cluster of A, C, E: mean monetary (210 + 70 + 300) / 3.
    CHECK(*c.profiles.segments[l[0]].mean_monetary == Approx(580.0 / 3.0));
    // Centres in the units of the data: the mean recency of B and D is 21 on the log scale's
    // inverse only for equal logs; it lies between their recencies 16 and 26.
    const auto bd = static_cast<Eigen::Index>(l[1]);
    CHECK(c.centres(bd, 0) > 16);
    CHECK(c.centres(bd, 0) < 26);
    CHECK(c.k_table.empty());

    add("B", 6, -20); // B's net revenue 10 - 20 = -10
    log.sort_keys();
    const customer_summary neg = summarize(log.view(), so);
    try {
        (void)cluster_rfm(neg, o, &log.customer_keys);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) ==
              "monetary: customer B: net revenue -10 is negative (returns exceed purchases); the "
              "log scaling of `segments` needs values >= 0");
        CHECK(e.context().key == "B");
        CHECK(e.context().row == 1u);
    }
}

TEST_CASE("profile_segments: extra measures averaged per segment") {
    // P(alive) 0.9, 0.2, 0.7, 0.5, 0.4 in segments 0, 1, 0, 2, 1 (3 empty): means (0.9 + 0.7) / 2
    // = 0.8, (0.2 + 0.4) / 2 = 0.3, 0.5, none; a 0/1 indicator's mean is its share.
    const std::vector<double> p_alive{0.9, 0.2, 0.7, 0.5, 0.4};
    const std::vector<double> loyal{1, 0, 0, 1, 1};
    segment_measures m{rec, freq, mon, mon, {}};
    m.extra = {{"p_alive", p_alive}, {"loyal", loyal}};
    const segment_profiles p = profile_segments<std::uint32_t>(labels, 4, m);
    REQUIRE(p.segments[0].extra_means.size() == 2);
    CHECK(*p.segments[0].extra_means[0] == Approx(0.8));
    CHECK(*p.segments[1].extra_means[0] == Approx(0.3));
    CHECK(*p.segments[2].extra_means[0] == 0.5);
    CHECK_FALSE(p.segments[3].extra_means[0].has_value());
    CHECK(*p.segments[0].extra_means[1] == 0.5);
    CHECK(*p.segments[1].extra_means[1] == 0.5);
    CHECK(*p.segments[2].extra_means[1] == 1);
    const std::vector<double> bad{1, nan_v, 0, 0, 0};
    m.extra = {{"clv", bad}};
    CHECK_THROWS_WITH_AS(profile_segments<std::uint32_t>(labels, 4, m),
                         "clv: customer 1: value is nan", data_error);
}
