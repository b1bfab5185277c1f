// Tests of programme.hpp: the article's thirteen programme types, a hand-worked case (matching,
// the difference-in-differences arithmetic, margin with discounts, cost and ROI, every exclusion
// reason), matching with and without replacement, the bootstrap (reproducible by seed and
// re-drawn here from its documented recipe), the members file, bad input with its fields, and a
// generated log where members get a known uplift (+30% purchase rate) or none.
#include <custometrics/csv_table.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/programme.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

constexpr std::int64_t day = 86'400;
constexpr std::int64_t t0 = 1'577'836'800; // 2020-01-01
constexpr double days_per_month = 30.4375;

// The hand-worked log. pre = post = 30 days. Rows: (customer, day, amount, discount).
//   M1 (joins day 40): pre 20, 35 (10 each)       post 41 (10, discount 2), 45, 60 (10 each)
//   M2 (joins day 40): pre 30 (50)                post 50, 65 (50 each)
//   M3 (joins day 50): pre 25, 30, 45 (20 each)   post 55 (20, discount 4), 60, 70, 75 (20 each)
//   M4 (joins day 50): day 15 (30, before the pre-period [20, 50))   post 60 (30)
//   M5 (joins day 20): day 12 (10)    -> before_log_start (20 - 30 < day 10, the log's start)
//   M6 (joins day 75): day 80 (10)    -> after_log_end (75 + 30 > day 100, the log's end)
//   M7 (joins day 40): day 41 (10)    -> no_history (first purchase after joining)
//   X9 (joins day 40): not in the log -> not_in_log
//   N1: 22, 35 (10 each), 50 (10, discount 1), 99 (10)
//   N2: 28 (50), 60 (50)
//   N3: 30, 40, 45, 55, 65 (20 each)
//   N4: 10 (30), 85 (30)
struct hand_case {
    transaction_log log;
    std::vector<double> discount;
    std::vector<programme_member> members;
};

hand_case make_hand_case() {
    hand_case h;
    for (const char* k : {"M1", "M2", "M3", "M4", "M5", "M6", "M7", "N1", "N2", "N3", "N4"})
        h.log.customer_keys.insert(std::string_view(k)); // ids 0..10 in this order
    struct row {
        const char* key;
        int day;
        double amount, discount;
    };
    const std::vector<row> rows{
        {"M1", 20, 10, 0}, {"M1", 35, 10, 0}, {"M1", 41, 10, 2}, {"M1", 45, 10, 0},
        {"M1", 60, 10, 0}, {"M2", 30, 50, 0}, {"M2", 50, 50, 0}, {"M2", 65, 50, 0},
        {"M3", 25, 20, 0}, {"M3", 30, 20, 0}, {"M3", 45, 20, 0}, {"M3", 55, 20, 4},
        {"M3", 60, 20, 0}, {"M3", 70, 20, 0}, {"M3", 75, 20, 0}, {"M4", 15, 30, 0},
        {"M4", 60, 30, 0}, {"M5", 12, 10, 0}, {"M6", 80, 10, 0}, {"M7", 41, 10, 0},
        {"N1", 22, 10, 0}, {"N1", 35, 10, 0}, {"N1", 50, 10, 1}, {"N1", 99, 10, 0},
        {"N2", 28, 50, 0}, {"N2", 60, 50, 0}, {"N3", 30, 20, 0}, {"N3", 40, 20, 0},
        {"N3", 45, 20, 0}, {"N3", 55, 20, 0}, {"N3", 65, 20, 0}, {"N4", 10, 30, 0},
        {"N4", 85, 30, 0}};
    // Rows in reverse order: the evaluation must not depend on the row order.
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        h.log.customer.push_back(*h.log.customer_keys.find(std::string_view(it->key)));
        h.log.time.push_back(t0 + it->day * day);
        h.log.amount.push_back(it->amount);
        h.discount.push_back(it->discount);
    }
    h.members = {{"M1", t0 + 40 * day}, {"M2", t0 + 40 * day}, {"M3", t0 + 50 * day},
                 {"M4", t0 + 50 * day}, {"M5", t0 + 20 * day}, {"M6", t0 + 75 * day},
                 {"M7", t0 + 40 * day}, {"X9", t0 + 40 * day}};
    return h;
}

programme_options hand_options(const hand_case& h) {
    programme_options opt;
    opt.type = programme_type::cumulative_discounts;
    opt.pre_days = 30;
    opt.post_days = 30;
    opt.margin_rate = 0.4;
    opt.discount = h.discount;
    opt.card_cost_per_member = 2.0;
    opt.fixed_costs = 16.0; // over the 8 rows of the members table: 2 per member
    opt.bootstrap = 200;
    opt.seed = 7;
    return opt;
}

// The fields of the error that `f` throws, as "argument|row|key|value" ("" when none).
template <class E, class F> std::string fields_of(F f) {
    try {
        f();
    } catch (const E& e) {
        return e.argument() + "|" + (e.row() ? std::to_string(*e.row()) : "-") + "|" + e.key() +
               "|" + e.value();
    }
    return "";
}

} // namespace

TEST_CASE("programme types: the article's thirteen, in its order, both names, parsing") {
    CHECK(n_programme_types == 13);
    CHECK(to_string(programme_type::customer_card) == "customer_card");
    CHECK(german_name(programme_type::customer_card) == "Kundenkarte");
    CHECK(german_name(programme_type::coalition) == "Erstellung von Koalitions-Treueprogrammen");
    CHECK(german_name(programme_type::support_24_7) == "Technischer Support rund um die Uhr");
    CHECK(english_name(programme_type::trade_in) == "Trade-in of old for new");
    CHECK(parse_programme_type("coalition") == programme_type::coalition);
    CHECK(parse_programme_type("10") == programme_type::coalition); // article's item 10
    CHECK(parse_programme_type("1") == programme_type::customer_card);
    CHECK(parse_programme_type("13") == programme_type::support_24_7);
    std::set<std::string_view> ids, german;
    for (std::size_t i = 0; i < n_programme_types; ++i) {
        const auto t = static_cast<programme_type>(i);
        CHECK(parse_programme_type(to_string(t)) == t);
        ids.insert(to_string(t));
        german.insert(german_name(t));
    }
    CHECK(ids.size() == 13);
    CHECK(german.size() == 13);
    CHECK(fields_of<invalid_argument>([] { (void)parse_programme_type("14", "--type"); }) ==
          "--type|-||14");
    CHECK(fields_of<invalid_argument>([] { (void)parse_programme_type("card"); }) ==
          "type|-||card");
    CHECK(fields_of<invalid_argument>([] { (void)parse_programme_type("0"); }) == "type|-||0");
}

TEST_CASE("programme: hand-worked case -- exclusions, matching, DiD, margin, cost, ROI") {
    const hand_case h = make_hand_case();
    const programme_options opt = hand_options(h);
    const programme_result r = evaluate_programme(h.log.view(), h.members, opt);

    CHECK(r.type == programme_type::cumulative_discounts);
    CHECK(r.log_start == t0 + 10 * day); // N4's first row
    CHECK(r.log_end == t0 + 100 * day);  // the day after N1's row on day 99
    CHECK(r.members == 8);
    CHECK(r.candidates == 4); // N1..N4
    CHECK(r.evaluated == 4);
    CHECK(r.controls == 4);
    CHECK(r.excluded[static_cast<std::size_t>(programme_exclusion_reason::not_in_log)] == 1);
    CHECK(r.excluded[static_cast<std::size_t>(programme_exclusion_reason::before_log_start)] == 1);
    CHECK(r.excluded[static_cast<std::size_t>(programme_exclusion_reason::after_log_end)] == 1);
    CHECK(r.excluded[static_cast<std::size_t>(programme_exclusion_reason::no_history)] == 1);
    CHECK(r.excluded[static_cast<std::size_t>(programme_exclusion_reason::no_match)] == 0);
    REQUIRE(r.exclusions.size() == 4);
    CHECK(r.exclusions[0].key == "M5");
    CHECK(r.exclusions[0].row == 4);
    CHECK(r.exclusions[0].reason == programme_exclusion_reason::before_log_start);
    CHECK(r.exclusions[1].key == "M6");
    CHECK(r.exclusions[1].reason == programme_exclusion_reason::after_log_end);
    CHECK(r.exclusions[2].key == "M7");
    CHECK(r.exclusions[2].reason == programme_exclusion_reason::no_history);
    CHECK(r.exclusions[3].key == "X9");
    CHECK(r.exclusions[3].reason == programme_exclusion_reason::not_in_log);

    // Matching. Pre-period features (recency days, purchases, spend) of the members:
    //   M1 (5, 2, 20), M2 (10, 1, 50) at day 40; M3 (5, 3, 60), M4 (30, 0, 0) at day 50.
    // Candidates at day 40 (window [10, 40)): N1 (5, 2, 20), N2 (12, 1, 50), N3 (10, 1, 20),
    // N4 (30, 1, 30); at day 50 ([20, 50)): N3 (5, 3, 60), N4 (30, 0, 0).
    // Scale: population sd over the members of log1p(recency) = 0.670919 and of log1p(spend) =
    // 1.650457. M1 -> N1 at distance 0. M2: N2 differs in recency only,
    // (ln 13 - ln 11) / 0.670919 = 0.248993; N3 in spend only, (ln 51 - ln 21) / 1.650457 = 0.5376
    // -> N2. At day 50, M3 -> N3 and M4 -> N4, both at distance 0.
    REQUIRE(r.pairs.size() == 4);
    const auto id = [&](const char* k) { return *h.log.customer_keys.find(std::string_view(k)); };
    CHECK(r.pairs[0].member == id("M1"));
    CHECK(r.pairs[0].control == id("N1"));
    CHECK(r.pairs[0].distance == doctest::Approx(0.0));
    CHECK(r.pairs[1].member == id("M2"));
    CHECK(r.pairs[1].control == id("N2"));
    CHECK(r.pairs[1].distance == doctest::Approx(0.248993).epsilon(1e-5));
    CHECK(r.pairs[1].member_row == 1);
    CHECK(r.pairs[2].member == id("M3"));
    CHECK(r.pairs[2].control == id("N3"));
    CHECK(r.pairs[2].joined == t0 + 50 * day);
    CHECK(r.pairs[3].member == id("M4"));
    CHECK(r.pairs[3].control == id("N4"));
    CHECK(r.mean_distance == doctest::Approx(0.248993 / 4).epsilon(1e-5));
    CHECK(r.member_features.recency_days == doctest::Approx(12.5)); // (5 + 10 + 5 + 30) / 4
    CHECK(r.member_features.purchases == doctest::Approx(1.5));
    CHECK(r.member_features.spend == doctest::Approx(32.5));
    CHECK(r.control_features.recency_days == doctest::Approx(13.0)); // (5 + 12 + 5 + 30) / 4
    CHECK(r.control_features.purchases == doctest::Approx(1.5));
    CHECK(r.control_features.spend == doctest::Approx(32.5));

    // Outcomes per 30 days (member pre, post; control pre, post) and the pair differences:
    //   purchases  M1-N1 (2, 3; 2, 1) -> 2   M2-N2 (1, 2; 1, 1) -> 1
    //              M3-N3 (3, 4; 3, 2) -> 2   M4-N4 (0, 1; 0, 0) -> 1    mean 1.5
    //   spend      (20, 30; 20, 10) -> 20  (50, 100; 50, 50) -> 50  (60, 80; 60, 40) -> 40
    //              (0, 30; 0, 0) -> 30                                  mean 35
    //   active     0, 0, 0, (0, 1; 0, 0) -> 1                           mean 0.25
    // Per month: times 30.4375 / 30.
    const double per_month = days_per_month / 30.0;
    CHECK(r.frequency.member_pre == doctest::Approx(1.5 * per_month));
    CHECK(r.frequency.member_post == doctest::Approx(2.5 * per_month));
    CHECK(r.frequency.control_pre == doctest::Approx(1.5 * per_month));
    CHECK(r.frequency.control_post == doctest::Approx(1.0 * per_month));
    CHECK(r.frequency.effect == doctest::Approx(1.5 * per_month));
    REQUIRE(r.frequency.relative.has_value());
    CHECK(*r.frequency.relative == doctest::Approx(1.5)); // 1.5 / (2.5 - 1.5)
    CHECK(r.spend.effect == doctest::Approx(35.0 * per_month));
    CHECK(*r.spend.relative == doctest::Approx(35.0 / (60.0 - 35.0))); // member post 240 / 4
    CHECK(r.retention.member_pre == doctest::Approx(0.75));
    CHECK(r.retention.member_post == doctest::Approx(1.0));
    CHECK(r.retention.control_post == doctest::Approx(0.75));
    CHECK(r.retention.effect == doctest::Approx(0.25));

    // Margin at rate 0.4; members' post rows before discount, every other row net
    // (0.4 * (amount + discount) - discount):
    //   M1-N1: M1 pre 8, post 0.4 * (30 + 2) = 12.8; N1 pre 8, post 0.4 * 11 - 1 = 3.4 -> 9.4
    //   M2-N2: (20, 40; 20, 20) -> 20   M3-N3: (24, 0.4 * 84 = 33.6; 24, 16) -> 17.6
    //   M4-N4: (0, 12; 0, 0) -> 12      mean 59 / 4 = 14.75 per member over the 30 days
    CHECK(r.margin.effect == doctest::Approx(14.75 * per_month));
    CHECK(r.incremental_margin == doctest::Approx(14.75));
    // Cost per member: discounts (2 + 4) / 4 = 1.5, card 2, fixed 16 / 8 = 2 -> 5.5.
    CHECK(r.discount_cost == doctest::Approx(1.5));
    CHECK(r.card_cost == doctest::Approx(2.0));
    CHECK(r.fixed_cost == doctest::Approx(2.0));
    CHECK(r.cost == doctest::Approx(5.5));
    CHECK(r.net == doctest::Approx(9.25));
    CHECK(r.total_incremental_margin == doctest::Approx(59.0));
    CHECK(r.total_cost == doctest::Approx(22.0));
    REQUIRE(r.roi.defined);
    CHECK(r.roi.value == doctest::Approx(9.25 / 5.5)); // 1.681818
    CHECK(r.roi.resamples == 200);

    // Intervals lie within what resampling four pairs can give: purchase differences 1 or 2.
    CHECK(r.frequency.ci_low >= 1.0 * per_month - 1e-12);
    CHECK(r.frequency.ci_high <= 2.0 * per_month + 1e-12);
    CHECK(r.frequency.ci_low < r.frequency.effect);
    CHECK(r.frequency.ci_high > r.frequency.effect);
    CHECK(r.retention.ci_low >= 0.0);
    CHECK(r.retention.ci_high <= 1.0);
    CHECK(r.roi.ci_low < r.roi.value);
    CHECK(r.roi.ci_high > r.roi.value);
    CHECK(r.incremental_margin_ci_low == doctest::Approx(r.margin.ci_low * 30.0 / days_per_month));
}

TEST_CASE("programme: margin from the cost column, ROI undefined without cost, caliper") {
    hand_case h = make_hand_case();
    // Cost = 70% of the amount: the same margins as a 30% rate.
    for (double a : h.log.amount)
        h.log.cost.push_back(0.7 * a);
    programme_options opt;
    opt.pre_days = 30;
    opt.post_days = 30;
    opt.margin_rate = 0.9; // ignored: the log has costs
    opt.bootstrap = 20;
    const programme_result r = evaluate_programme(h.log.view(), h.members, opt);
    CHECK(r.margin_from_cost);
    // Margin differences 0.3 * spend differences (20, 50, 40, 30): mean 0.3 * 35 = 10.5.
    CHECK(r.incremental_margin == doctest::Approx(10.5));
    CHECK(r.cost == 0.0);
    CHECK_FALSE(r.roi.defined);
    CHECK_FALSE(r.roi.reason.empty());
    CHECK_FALSE(r.type.has_value());

    // A caliper of 0.2 leaves M2 (nearest at 0.249) without a match.
    opt.caliper = 0.2;
    const programme_result c = evaluate_programme(h.log.view(), h.members, opt);
    CHECK(c.evaluated == 3);
    CHECK(c.excluded[static_cast<std::size_t>(programme_exclusion_reason::no_match)] == 1);
    const auto it = std::find_if(c.exclusions.begin(), c.exclusions.end(), [](const auto& e) {
        return e.reason == programme_exclusion_reason::no_match;
    });
    REQUIRE(it != c.exclusions.end());
    CHECK(it->key == "M2");
    CHECK(it->row == 1);
    // Purchase differences of M1, M3, M4: 2, 2, 1.
    CHECK(c.frequency.effect == doctest::Approx(5.0 / 3.0 * days_per_month / 30.0));
}

TEST_CASE("programme: matching with and without replacement") {
    // Members A, B identical in the pre-period [10, 30) (one purchase of 10 on day 20, joined
    // day 30); non-member C identical to them, D different (purchases of 40 on days 15, 25).
    // The log runs from day 5 to day 79; pre = post = 20 days.
    transaction_log log;
    for (const char* k : {"A", "B", "C", "D"})
        log.customer_keys.insert(std::string_view(k));
    auto add = [&](entity_id c, int d, double a) {
        log.customer.push_back(c);
        log.time.push_back(t0 + d * day);
        log.amount.push_back(a);
    };
    add(0, 20, 10);
    add(1, 20, 10);
    add(2, 20, 10);
    add(3, 5, 40);
    add(3, 15, 40);
    add(3, 25, 40);
    add(0, 35, 10); // A buys once after joining, B twice, C never
    add(1, 35, 10);
    add(1, 40, 10);
    add(3, 79, 1);
    const std::vector<programme_member> members{{"A", t0 + 30 * day}, {"B", t0 + 30 * day}};
    programme_options opt;
    opt.pre_days = 20;
    opt.post_days = 20;
    opt.margin_rate = 0.5;
    opt.caliper = std::numeric_limits<double>::infinity();
    opt.bootstrap = 10;
    const programme_result without = evaluate_programme(log.view(), members, opt);
    REQUIRE(without.pairs.size() == 2);
    CHECK(without.pairs[0].control == 2); // A (smaller id) picks first: C
    CHECK(without.pairs[1].control == 3); // B gets D
    // The members' features are identical, so the scale is 1: D differs by
    // (ln 11 - ln 6, ln 2 - ln 3, ln 11 - ln 81) = (0.6061, -0.4055, -1.9966) -> 2.1256.
    CHECK(without.pairs[1].distance == doctest::Approx(2.12557).epsilon(1e-5));
    CHECK(without.controls == 2);
    opt.with_replacement = true;
    const programme_result with = evaluate_programme(log.view(), members, opt);
    REQUIRE(with.pairs.size() == 2);
    CHECK(with.pairs[0].control == 2);
    CHECK(with.pairs[1].control == 2);
    CHECK(with.controls == 1);
    CHECK(with.mean_distance == 0.0);
    // A (pre 1, post 1) and B (pre 1, post 2) against C (pre 1, post 0): differences 1 and 2
    // purchases per 20 days.
    CHECK(with.frequency.effect == doctest::Approx(1.5 * days_per_month / 20.0));
}

TEST_CASE("programme: the bootstrap is reproducible by seed and follows its recipe") {
    const hand_case h = make_hand_case();
    programme_options opt = hand_options(h);
    opt.bootstrap = 50;
    const programme_result a = evaluate_programme(h.log.view(), h.members, opt);
    const programme_result b = evaluate_programme(h.log.view(), h.members, opt);
    CHECK(a.frequency.ci_low == b.frequency.ci_low);
    CHECK(a.frequency.ci_high == b.frequency.ci_high);
    CHECK(a.roi.ci_low == b.roi.ci_low);
    CHECK(a.roi.ci_high == b.roi.ci_high);
    CHECK(a.spend.std_error == b.spend.std_error);

    // The recipe: mt19937_64(seed); each resample draws 4 pair indices by rejection
    // (x < floor(2^64 / 4) * 4, then x % 4) and averages the pair differences; the 2.5% and
    // 97.5% quantiles are linear between order statistics. Purchase differences per pair in
    // matching order: 2, 1, 2, 1 (see the hand-worked case).
    const double d[4] = {2, 1, 2, 1};
    std::mt19937_64 g(opt.seed);
    std::vector<double> means;
    for (int k = 0; k < 50; ++k) {
        double s = 0;
        for (int i = 0; i < 4; ++i) {
            std::uint64_t x = g();
            while (x >= std::numeric_limits<std::uint64_t>::max() / 4 * 4)
                x = g();
            s += d[x % 4];
        }
        means.push_back(s / 4 * days_per_month / 30.0);
    }
    std::sort(means.begin(), means.end());
    auto q = [&](double p) {
        const double pos = 49 * p;
        const auto lo = static_cast<std::size_t>(pos);
        return means[lo] + (pos - static_cast<double>(lo)) * (means[lo + 1] - means[lo]);
    };
    CHECK(a.frequency.ci_low == doctest::Approx(q(0.025)));
    CHECK(a.frequency.ci_high == doctest::Approx(q(0.975)));

    opt.seed = 8;
    const programme_result c = evaluate_programme(h.log.view(), h.members, opt);
    CHECK(c.frequency.effect == a.frequency.effect); // the estimate does not depend on the seed
    CHECK((c.spend.std_error != a.spend.std_error || c.roi.ci_low != a.roi.ci_low));
    opt.level = 0.5; // a narrower interval
    const programme_result n = evaluate_programme(h.log.view(), h.members, opt);
    CHECK(n.spend.ci_high - n.spend.ci_low < c.spend.ci_high - c.spend.ci_low);
}

TEST_CASE("programme: members from two columns") {
    const std::vector<std::string> keys{"M1", "M2"};
    const std::vector<std::int64_t> joined{t0, t0 + day};
    const auto m = programme_members(keys, joined);
    REQUIRE(m.size() == 2);
    CHECK(m[1].key == "M2");
    CHECK(m[1].joined == t0 + day);
    const std::vector<std::int64_t> one{t0};
    try {
        (void)programme_members(keys, one);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "members: joined has 1 rows, the keys have 2");
        CHECK(e.argument() == "members");
    }
}

TEST_CASE("programme: members file") {
    std::istringstream in("customer_id,joined,tier\nM1,2020-02-10,gold\n"
                          "M2,2020-02-10T00:00:00Z,\n");
    const auto m = read_programme_members(read_csv_table(in, "members.csv"));
    REQUIRE(m.size() == 2);
    CHECK(m[0].key == "M1");
    CHECK(m[0].joined == t0 + 40 * day);
    CHECK(m[1].joined == t0 + 40 * day);

    std::istringstream bad_date("customer_id,joined\nM1,2020-02-30\n");
    try {
        (void)read_programme_members(read_csv_table(bad_date, "members.csv"));
        FAIL("no error");
    } catch (const parse_error& e) {
        CHECK(e.source() == "members.csv");
        CHECK(e.line() == 2);
        CHECK(e.column() == "joined");
        CHECK(e.value() == "2020-02-30");
    }
    std::istringstream no_col("customer,joined\nM1,2020-02-01\n");
    CHECK_THROWS_AS((void)read_programme_members(read_csv_table(no_col, "m.csv")), parse_error);
    std::istringstream empty_key("customer_id,joined\n,2020-02-01\n");
    try {
        (void)read_programme_members(read_csv_table(empty_key, "m.csv"));
        FAIL("no error");
    } catch (const parse_error& e) {
        CHECK(e.column() == "customer_id");
        CHECK(e.line() == 2);
    }
}

TEST_CASE("programme: integer customer keys are matched from text") {
    generate_options g;
    g.customers = 300;
    g.seed = 3;
    const generated_log gl = generate_transactions(g);
    std::vector<programme_member> members;
    for (int k = 1; k <= 60; ++k)
        members.push_back({std::to_string(k), t0 + 400 * day});
    members.push_back({"C-1", t0 + 400 * day});
    programme_options opt;
    opt.bootstrap = 10;
    const programme_result r = evaluate_programme(gl.log.view(), members, opt);
    CHECK(r.excluded[static_cast<std::size_t>(programme_exclusion_reason::not_in_log)] == 1);
    CHECK(r.candidates == 240);
    CHECK(r.evaluated + r.exclusions.size() == 61);
    CHECK(r.evaluated > 20);
}

TEST_CASE("programme: bad input names its argument, row and key") {
    const hand_case h = make_hand_case();
    const programme_options good = hand_options(h);
    const auto view = h.log.view();
    auto run = [&](programme_options o, std::span<const programme_member> m) {
        return [=] { (void)evaluate_programme(view, m, o); };
    };
    auto with = [&](auto change) {
        programme_options o = good;
        change(o);
        return run(o, h.members);
    };
    CHECK(fields_of<invalid_argument>(with([](auto& o) { o.pre_days = 0; })) == "pre_days|-||0");
    CHECK(fields_of<invalid_argument>(with([](auto& o) { o.post_days = -5; })) ==
          "post_days|-||-5");
    CHECK(fields_of<invalid_argument>(with([](auto& o) { o.caliper = 0; })) == "caliper|-||0");
    CHECK(fields_of<invalid_argument>(with([](auto& o) {
              o.caliper = std::numeric_limits<double>::quiet_NaN();
          })) == "caliper|-||nan");
    CHECK(fields_of<invalid_argument>(with([](auto& o) { o.margin_rate.reset(); })) ==
          "margin_rate|-||");
    CHECK(fields_of<invalid_argument>(with([](auto& o) { o.margin_rate = 1.5; })) ==
          "margin_rate|-||1.5");
    CHECK(fields_of<invalid_argument>(with([](auto& o) { o.level = 1.0; })) == "level|-||1");
    CHECK(fields_of<invalid_argument>(with([](auto& o) { o.bootstrap = 0; })) == "bootstrap|-||0");
    CHECK(fields_of<invalid_argument>(with([](auto& o) { o.card_cost_per_member = -1; })) ==
          "card_cost_per_member|-||-1");
    CHECK(fields_of<invalid_argument>(with([](auto& o) {
              o.fixed_costs = std::numeric_limits<double>::infinity();
          })) == "fixed_costs|-||inf");
    const std::vector<double> short_discount(3, 0.0);
    CHECK(fields_of<invalid_argument>(with([&](auto& o) { o.discount = short_discount; })) ==
          "discount|-||3");
    std::vector<double> negative = h.discount;
    negative[5] = -1; // row 5 of the log (reversed order): N3's row on day 40
    CHECK(fields_of<data_error>(with([&](auto& o) { o.discount = negative; })) ==
          "discount|5|N3|-1");
    CHECK(fields_of<invalid_argument>(run(good, {})) == "members|-||");

    std::vector<programme_member> twice = h.members;
    twice.push_back({"M3", t0 + 45 * day});
    CHECK(fields_of<data_error>(run(good, twice)) == "members|8|M3|M3");

    // No member can be evaluated: the counts are in the message.
    const std::vector<programme_member> none{{"X9", t0}, {"M5", t0 + 20 * day}};
    try {
        (void)evaluate_programme(view, none, good);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.argument() == "members");
        CHECK(std::string(e.what()).find("not_in_log 1, before_log_start 1") != std::string::npos);
    }
    transaction_log empty;
    CHECK(fields_of<invalid_argument>(
              [&] { (void)evaluate_programme(empty.view(), h.members, good); }) == "log|-||");
}

// ---------------------------------------------------------------------------------------------
// A generated log with a known effect.
//
// Base behaviour: generate_transactions (BG/NBD purchases, Gamma-Gamma spend, cost from the
// products' margins), 4,000 customers acquired during 2020, observed to 2021-12-31. Members:
// the programme launches on J = 2021-01-01 and each customer joins that day with a probability
// that rises with their purchases in the 180 days before (0.1 + 0.05 per purchase, at most
// 0.7): selection on observed behaviour, which the matching must undo (a naive comparison of
// all members with all non-members would be biased). One enrolment date, because with joining
// dates spread out, non-joining would depend on the controls' later purchases (see the
// assumption in programme.hpp); the hand-worked case covers several joining dates. With uplift u,
// each member buys extra in [J, J + 180 days) while alive (before the day of the purchase after
// which the generator dropped them): a Poisson process at rate u * lambda (their own rate), each
// extra purchase of their expected spend with cost 60% (margin 40%). So the members' purchase rate
// is (1 + u) times their own, and the expected effect per matched member is
//     E[extra purchases per month] = mean over pairs of u * lambda * alive days / post months,
// and for spend the same times the expected spend per purchase.
namespace {

struct generated_case {
    transaction_log log;
    std::vector<programme_member> members;
    std::map<std::string, double> extra_purchases;    // realised extra purchases per member key
    std::map<std::string, double> extra_spend;        // and their amount
    std::map<std::string, double> expected_purchases; // u * lambda * alive days in the post-period
    std::map<std::string, double> expected_spend;     // times the expected spend per purchase
};

double uniform01(std::mt19937_64& g) {
    return (static_cast<double>(g() >> 11) + 0.5) * 0x1p-53;
}

generated_case make_generated_case(double uplift, std::uint64_t seed = 11) {
    generate_options opt;
    opt.customers = 4000;
    opt.seed = seed;
    // Steadier buyers than the CDNOW defaults (purchase rates Gamma(2, 60 days): mean one a
    // month, CV 0.71; dropout Beta(1, 9): mean 0.1 per purchase), so that 4,000 customers give
    // a standard error well below the effect.
    opt.r = 2.0;
    opt.alpha = 60.0;
    opt.a = 1.0;
    opt.b = 9.0;
    generated_log gl = generate_transactions(opt);
    generated_case out;
    transaction_log& log = gl.log;
    const std::size_t n_rows = log.size();
    const std::int64_t start = t0;
    const std::int64_t end = t0 + 731 * day; // 2022-01-01, exclusive
    const std::int64_t window = 180 * day;

    std::vector<std::vector<std::int64_t>> times(log.customer_keys.size());
    for (std::size_t i = 0; i < n_rows; ++i)
        if (log.amount[i] > 0) times[log.customer[i]].push_back(log.time[i]);
    std::mt19937_64 g(seed * 1000 + 1);       // joining coins: the same for every uplift
    std::mt19937_64 extra_g(seed * 1000 + 2); // the extra purchases
    for (entity_id c = 0; c < log.customer_keys.size(); ++c) {
        const std::int64_t j = start + 366 * day; // 2021-01-01
        const auto& t = times[c];
        const double pre = static_cast<double>(
            std::count_if(t.begin(), t.end(), [&](auto x) { return x >= j - window && x < j; }));
        const double p_join = std::min(0.7, 0.1 + 0.05 * pre);
        const double coin = uniform01(g);
        if (t.empty() || t.front() >= j || coin >= p_join) continue;
        const std::string key = log.customer_keys.key_string(c);
        out.members.push_back({key, j});
        // Alive until the day of the purchase after which the customer dropped out.
        std::int64_t alive_end = std::min(j + window, end);
        if (gl.truth.death[c] != no_time) alive_end = std::min(alive_end, gl.truth.death[c]);
        const double alive_days =
            std::max<double>(0.0, static_cast<double>(alive_end - j) / static_cast<double>(day));
        const double rate = uplift * gl.truth.lambda[c];
        const double spend = std::round(gl.truth.mean_spend[c] * 100) / 100;
        out.expected_purchases[key] = rate * alive_days;
        out.expected_spend[key] = rate * alive_days * spend;
        double extra = 0;
        double extra_amount = 0;
        if (rate > 0) {
            double at = -std::log(uniform01(extra_g)) / rate; // days after J
            while (at < alive_days) {
                log.customer.push_back(c);
                log.time.push_back(j + static_cast<std::int64_t>(at) * day);
                log.amount.push_back(spend);
                log.cost.push_back(std::round(spend * 60) / 100);
                extra += 1;
                extra_amount += spend;
                at += -std::log(uniform01(extra_g)) / rate;
            }
        }
        out.extra_purchases[key] = extra;
        out.extra_spend[key] = extra_amount;
    }
    // Keep only the columns the evaluation reads (the generator also fills product/channel).
    log.product.clear();
    log.channel.clear();
    log.quantity.clear();
    log.order.clear();
    out.log = std::move(log);
    return out;
}

programme_options generated_options() {
    programme_options opt;
    opt.pre_days = 180;
    opt.post_days = 180;
    opt.card_cost_per_member = 10.0;
    opt.bootstrap = 400;
    opt.seed = 5;
    // 99% intervals: a correct estimator fails a coverage check below with probability about
    // 1% on a random seed (the seeds here are fixed, so the outcome is deterministic).
    opt.level = 0.99;
    return opt;
}

} // namespace

TEST_CASE("programme: generated log -- no uplift, no effect; +30% purchase rate recovered") {
    const generated_case zero = make_generated_case(0.0);
    const generated_case up = make_generated_case(0.3);
    const programme_options opt = generated_options();
    const programme_result r0 = evaluate_programme(zero.log.view(), zero.members, opt);
    const programme_result r1 = evaluate_programme(up.log.view(), up.members, opt);
    INFO("members ", r0.members, ", evaluated ", r0.evaluated, ", no match ",
         r0.excluded[static_cast<std::size_t>(programme_exclusion_reason::no_match)]);
    INFO("no uplift: frequency ", r0.frequency.effect, " [", r0.frequency.ci_low, ", ",
         r0.frequency.ci_high, "], spend ", r0.spend.effect, " [", r0.spend.ci_low, ", ",
         r0.spend.ci_high, "], retention ", r0.retention.effect, " [", r0.retention.ci_low, ", ",
         r0.retention.ci_high, "], roi ", r0.roi.value);
    INFO("+30%: frequency ", r1.frequency.effect, " se ", r1.frequency.std_error, " rel ",
         r1.frequency.relative.value_or(-1), ", spend ", r1.spend.effect, " se ",
         r1.spend.std_error, ", retention ", r1.retention.effect, ", margin ",
         r1.incremental_margin, ", roi ", r1.roi.value, " [", r1.roi.ci_low, ", ", r1.roi.ci_high,
         "]");

    // Enough members for a test with power: several hundred pairs.
    REQUIRE(r0.evaluated >= 500);
    // The extra rows lie after each member's joining day, so they change neither the features
    // nor the matching: the same pairs in both runs.
    REQUIRE(r1.pairs.size() == r0.pairs.size());
    for (std::size_t p = 0; p < r0.pairs.size(); ++p) {
        CHECK(r1.pairs[p].member == r0.pairs[p].member);
        CHECK(r1.pairs[p].control == r0.pairs[p].control);
    }

    // No uplift: every interval covers 0, and the estimates are within 3 standard errors of it.
    for (const programme_effect* e : {&r0.frequency, &r0.spend, &r0.retention, &r0.margin}) {
        CHECK(e->ci_low < 0.0);
        CHECK(e->ci_high > 0.0);
        CHECK(std::abs(e->effect) < 3 * e->std_error);
    }

    // With uplift, the difference between the two estimates is exactly the realised extra
    // purchases of the matched members per member and month.
    const double post_months = 180 / days_per_month;
    double extra = 0, extra_spend = 0, expected_n = 0, expected_s = 0;
    for (const auto& pr : r1.pairs) {
        const std::string key = up.log.customer_keys.key_string(pr.member);
        extra += up.extra_purchases.at(key);
        extra_spend += up.extra_spend.at(key);
        expected_n += up.expected_purchases.at(key);
        expected_s += up.expected_spend.at(key);
    }
    const double n_pairs = static_cast<double>(r1.pairs.size());
    CHECK(r1.frequency.effect - r0.frequency.effect ==
          doctest::Approx(extra / n_pairs / post_months).epsilon(1e-9));
    CHECK(r1.spend.effect - r0.spend.effect ==
          doctest::Approx(extra_spend / n_pairs / post_months).epsilon(1e-9));
    // Extra purchases can only keep more members active.
    CHECK(r1.retention.effect >= r0.retention.effect);
    CHECK(r1.retention.member_pre == r0.retention.member_pre);

    // The estimate recovers the known effect: within 3 bootstrap standard errors (which
    // include the Poisson noise of the extra purchases and the noise of the base behaviour),
    // and the effect is detected (its interval excludes 0).
    const double true_frequency = expected_n / n_pairs / post_months;
    const double true_spend = expected_s / n_pairs / post_months;
    INFO("true frequency effect ", true_frequency, ", true spend effect ", true_spend);
    CHECK(std::abs(r1.frequency.effect - true_frequency) < 3 * r1.frequency.std_error);
    CHECK(std::abs(r1.spend.effect - true_spend) < 3 * r1.spend.std_error);
    CHECK(r1.frequency.ci_low > 0.0);
    CHECK(r1.spend.ci_low > 0.0);
    // Relative to the members' counterfactual, the purchase rate rose by about 30%.
    REQUIRE(r1.frequency.relative.has_value());
    const double counterfactual = r1.frequency.member_post - r1.frequency.effect;
    CHECK(std::abs(*r1.frequency.relative - 0.3) < 3 * r1.frequency.std_error / counterfactual);
    // Incremental margin: the extra spend at a 40% margin, and the ROI against the card cost.
    const double true_margin = 0.4 * true_spend * post_months;
    CHECK(std::abs(r1.incremental_margin - true_margin) < 3 * r1.margin.std_error * post_months);
    const double true_roi = (true_margin - 10.0) / 10.0;
    CHECK(r1.roi.ci_low < true_roi);
    CHECK(r1.roi.ci_high > true_roi);
}
