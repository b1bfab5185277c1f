// Tests of loyalty.hpp: behavioural signals of a small log worked by hand, every loyalty rule
// and the boundary of each threshold, missing signals and the unknown label, the quadrants,
// Net Promoter categories and scores, the Tightwad-Spendthrift scoring (with the reverse-scored
// item) and its proxy, churn reasons with the chi-square test, the signals file, bad input.
#include <custometrics/loyalty.hpp>
#include <custometrics/profitability.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t day = 86'400;

// Customers A..E (ids 0..4); rows (customer, day, amount). See the first test for the values.
transaction_log small_log() {
    transaction_log log;
    const std::vector<std::pair<std::string, std::pair<int, double>>> rows{
        {"A", {0, 10}}, {"A", {10, 10}}, {"A", {20, 10}}, {"A", {30, 10}}, {"B", {0, 5}},
        {"B", {2, 5}},  {"B", {12, 5}},  {"B", {14, 5}},  {"C", {20, 50}}, {"C", {21, -20}},
        {"D", {5, 10}}, {"D", {5, 5}},   {"D", {25, 15}}, {"E", {35, 5}}};
    for (const auto& [key, r] : rows) {
        log.customer.push_back(log.customer_keys.insert(std::string_view(key)));
        log.time.push_back(r.first * day);
        log.amount.push_back(r.second);
    }
    return log;
}

// One customer with the given behaviour (purchase days, cv, recency ratio, discount share).
behaviour_signals one(std::int64_t days, double cv, double ratio, double discount = nan_v) {
    behaviour_signals b;
    b.purchase_days = {days};
    b.purchase_rows = {days};
    b.return_rows = {0};
    b.regularity_cv = {cv};
    b.recency_ratio = {ratio};
    b.discount_share = {discount};
    for (auto* v : {&b.mean_interval, &b.days_since_last, &b.tenure_days, &b.frequency_trend,
                    &b.return_share, &b.payment_delay, &b.revenue})
        v->assign(1, nan_v);
    return b;
}

struct stated_one {
    std::optional<double> sat, rec, ref, com, sow;
    std::optional<bool> alt;
};

loyalty_result classify(const behaviour_signals& b, const stated_one& s,
                        const loyalty_rules& rules = {}) {
    stated_signals st(1);
    st.satisfaction[0] = s.sat;
    st.recommend[0] = s.rec;
    st.referrals[0] = s.ref;
    st.complaints[0] = s.com;
    st.share_of_wallet[0] = s.sow;
    st.has_alternative[0] = s.alt;
    return classify_loyalty(b, st, rules);
}

template <class F> std::string error_of(F&& f) {
    try {
        f();
    } catch (const error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("behavioural signals of a small log, worked by hand") {
    transaction_log log = small_log();
    // Discounts per row: A 0, 2, 2, 0 (2 of 4 on discount); B none; C 5 on its purchase;
    // D none; E none. Payment delays: A 0, 10, 0, 2 (mean 3 days); others 0.
    const std::vector<double> discount{0, 2, 2, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0};
    const std::vector<double> delay{0, 10, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    behaviour_options o;
    o.discount = discount;
    o.payment_delay = delay;
    const behaviour_signals b = behaviour_signals_from(log.view(), o);
    REQUIRE(b.size() == 5);
    // Observation end: day 35 (E's row). Split: first day 0, 36 days -> day 0 + 36 / 2 = 18.
    CHECK(b.observation_end == 35 * day);
    CHECK(b.trend_split == 18 * day);

    // A: days 0, 10, 20, 30: gaps 10, 10, 10 -> mean 10, cv 0; 5 days since the last -> ratio
    // 0.5; tenure 35; 2 days before the split, 2 from it -> trend 0.
    CHECK(b.purchase_days[0] == 4);
    CHECK(b.mean_interval[0] == 10);
    CHECK(b.regularity_cv[0] == 0);
    CHECK(b.days_since_last[0] == 5);
    CHECK(b.recency_ratio[0] == 0.5);
    CHECK(b.tenure_days[0] == 35);
    CHECK(b.frequency_trend[0] == 0);
    CHECK(b.discount_share[0] == 0.5);
    CHECK(b.payment_delay[0] == 3);
    CHECK(b.revenue[0] == 40);

    // B: days 0, 2, 12, 14: gaps 2, 10, 2, mean 14/3; squared deviations (-8/3)^2, (16/3)^2,
    // (-8/3)^2 = 64/9 + 256/9 + 64/9 = 384/9; sample variance / 2 = 64/3; sd 4.618802;
    // cv = 4.618802 / 4.666667 = 0.9897433. 21 days since the last: ratio 21 / (14/3) = 4.5.
    // All 4 days before the split: trend (0 - 4) / 4 = -1.
    CHECK(b.regularity_cv[1] == doctest::Approx(0.9897433186).epsilon(1e-9));
    CHECK(b.recency_ratio[1] == doctest::Approx(4.5));
    CHECK(b.frequency_trend[1] == -1);
    CHECK(b.discount_share[1] == 0);

    // C: one purchase day (20) and a return of 20 on day 21: no gap, so no cv, interval or
    // ratio; first purchase after the split: no trend; returns 20 / 50 = 0.4.
    CHECK(b.purchase_days[2] == 1);
    CHECK(std::isnan(b.regularity_cv[2]));
    CHECK(std::isnan(b.mean_interval[2]));
    CHECK(std::isnan(b.recency_ratio[2]));
    CHECK(std::isnan(b.frequency_trend[2]));
    CHECK(b.tenure_days[2] == 15);
    CHECK(b.return_rows[2] == 1);
    CHECK(b.return_share[2] == 0.4);
    CHECK(b.discount_share[2] == 1);
    CHECK(b.revenue[2] == 30);

    // D: two rows on day 5 are one purchase day; days 5, 25: interval 20, 10 days since the
    // last -> ratio 0.5; one day each side of the split -> trend 0; 3 purchase rows.
    CHECK(b.purchase_days[3] == 2);
    CHECK(b.purchase_rows[3] == 3);
    CHECK(b.mean_interval[3] == 20);
    CHECK(b.recency_ratio[3] == 0.5);
    CHECK(std::isnan(b.regularity_cv[3]));
    CHECK(b.frequency_trend[3] == 0);

    // E: bought on the last day: tenure 0, no returns -> return share 0.
    CHECK(b.tenure_days[4] == 0);
    CHECK(b.return_share[4] == 0);

    // Without the optional columns the shares are not measurable.
    const behaviour_signals plain = behaviour_signals_from(log.view());
    CHECK(std::isnan(plain.discount_share[0]));
    CHECK(std::isnan(plain.payment_delay[0]));
}

TEST_CASE("behavioural signals: row order does not matter; huge values are kept") {
    transaction_log log = small_log();
    const behaviour_signals sorted = behaviour_signals_from(log.view());
    // Reverse the rows: the same signals.
    std::reverse(log.customer.begin(), log.customer.end());
    std::reverse(log.time.begin(), log.time.end());
    std::reverse(log.amount.begin(), log.amount.end());
    const behaviour_signals reversed = behaviour_signals_from(log.view());
    CHECK(reversed.regularity_cv[1] == sorted.regularity_cv[1]);
    CHECK(reversed.purchase_days == sorted.purchase_days);
    CHECK(reversed.frequency_trend[0] == sorted.frequency_trend[0]);
    CHECK(reversed.revenue == sorted.revenue);
    // Huge counts are valid signals (referrals 1e300 >= 1): an advocate, not an error.
    stated_signals s(1);
    s.referrals[0] = 1e300;
    CHECK(classify_loyalty(one(3, 0.1, 1.0), s).type[0] == loyalty_type::advocate);
    s.satisfaction[0] = 1e300;
    CHECK_THROWS_AS(classify_loyalty(one(3, 0.1, 1.0), s), data_error);
}

TEST_CASE("behavioural signals: bad input") {
    transaction_log log = small_log();
    std::vector<double> discount(log.size(), 0.0);
    discount[9] = nan_v;
    behaviour_options o;
    o.discount = discount;
    CHECK(error_of([&] { behaviour_signals_from(log.view(), o); }) ==
          "discount: row 9 (customer \"C\"): value is nan (must be a finite amount >= 0)");
    discount[9] = -1;
    CHECK(error_of([&] { behaviour_signals_from(log.view(), o); }).find("value is -1") !=
          std::string::npos);
    discount[9] = 0;
    discount.pop_back();
    o.discount = discount;
    CHECK_THROWS_AS(behaviour_signals_from(log.view(), o), invalid_argument);
    behaviour_options late;
    late.observation_end = 30 * day;
    CHECK(error_of([&] {
              behaviour_signals_from(log.view(), late);
          }).starts_with("time: row 13 (customer \"E\")"));
    transaction_log empty;
    CHECK_THROWS_AS(behaviour_signals_from(empty.view()), invalid_argument);
}

TEST_CASE("behavioural signals: rhythm share, promotions and list prices, worked by hand") {
    transaction_log log = small_log();
    // Promotion days 0..8 (9 of the log's 36 days 0..35: 0.25) and a period outside the log.
    const std::vector<promotion_period> promotions{{0, 8 * day + 3600}, {100 * day, 110 * day}};
    // List amounts: the rows' amounts, except A's first two rows listed at 12 (paid 10).
    std::vector<double> list(log.amount.begin(), log.amount.end());
    list[0] = list[1] = 12;
    behaviour_options o;
    o.promotions = promotions;
    o.list_amount = list;
    const behaviour_signals b = behaviour_signals_from(log.view(), o);
    CHECK(b.promotion_day_share == 0.25);
    // A: days 0, 10, 20, 30: one in a promotion: 1/4 = 0.25, lift 0.25 / 0.25 = 1. Gaps 10,
    // 10, 10: cycle 10, every gap one cycle: rhythm share 3 / 3 = 1. Two rows paid below list.
    CHECK(b.promotion_share[0] == 0.25);
    CHECK(b.promotion_lift[0] == 1);
    CHECK(b.rhythm_share[0] == 1);
    CHECK(b.discount_share[0] == 0.5);
    // B: days 0, 2, 12, 14: two in the promotion: 0.5, lift 2. Gaps 2, 10, 2: lower median 2;
    // 10 / 2 = 5 cycles; short gaps {2, 2} (2 of 3, CV 0): rhythm share 3 / (1 + 5 + 1) = 3/7.
    CHECK(b.promotion_share[1] == 0.5);
    CHECK(b.promotion_lift[1] == 2);
    CHECK(b.rhythm_share[1] == doctest::Approx(3.0 / 7.0));
    CHECK(b.discount_share[1] == 0);
    // C: one purchase day (20), none in a promotion; D: days 5 and 25: 0.5; fewer than three
    // purchase days: no rhythm.
    CHECK(b.promotion_share[2] == 0);
    CHECK(std::isnan(b.rhythm_share[2]));
    CHECK(b.promotion_share[3] == 0.5);
    CHECK(std::isnan(b.rhythm_share[3]));

    // The header's example: gaps 10, 10, 30, 10 -> cycle 10, 1 + 1 + 3 + 1 = 6 cycles,
    // rhythm share 4 / 6. Irregular gaps 3, 17, 7, 23: lower median 7; short gaps {3, 7}
    // (17 / 7 = 2.4 and 23 / 7 = 3.3 round to 2 and 3) have CV sd(3, 7) / 5 = 2.83 / 5 =
    // 0.566 > 0.5: no rhythm, NaN.
    transaction_log two;
    for (const auto& [key, d] : std::vector<std::pair<std::string, int>>{{"R", 0},
                                                                         {"R", 10},
                                                                         {"R", 20},
                                                                         {"R", 50},
                                                                         {"R", 60},
                                                                         {"I", 0},
                                                                         {"I", 3},
                                                                         {"I", 20},
                                                                         {"I", 27},
                                                                         {"I", 50}}) {
        two.customer.push_back(two.customer_keys.insert(std::string_view(key)));
        two.time.push_back(d * day);
        two.amount.push_back(1);
    }
    const behaviour_signals r = behaviour_signals_from(two.view());
    CHECK(r.rhythm_share[0] == doctest::Approx(4.0 / 6.0));
    CHECK(std::isnan(r.rhythm_share[1]));
    CHECK(std::isnan(r.promotion_share[0])); // no promotions listed
    CHECK(std::isnan(r.discount_share[0]));  // no discount or list column

    // Bad input: a period that ends before it starts; a NaN list amount (a negative one is the
    // list value of a return).
    const std::vector<promotion_period> bad{{10 * day, 5 * day}};
    behaviour_options ob;
    ob.promotions = bad;
    CHECK(error_of([&] { behaviour_signals_from(log.view(), ob); }) ==
          "promotions: period 0 ends (1970-01-06) before it starts (1970-01-11)");
    list[3] = nan_v;
    behaviour_options ol;
    ol.list_amount = list;
    CHECK(error_of([&] { behaviour_signals_from(log.view(), ol); })
              .starts_with(
                  "list_amount: row 3 (customer \"A\"): value is nan (must be a finite amount)"));
}

TEST_CASE("loyalty types: every rule fires, with the rule, its values and its signals") {
    // "regular" at its three boundaries: 3 purchase days, cv 0.5, ratio 2 (all <= / >=).
    const behaviour_signals reg = one(3, 0.5, 2.0);
    const std::string regular = "purchase days 3 >= 3, regularity_cv 0.5 <= 0.5, "
                                "recency_ratio 2 <= 2";
    const std::string active = "purchase days 3 >= 3, recency_ratio 2 <= 2";
    struct row {
        stated_one s;
        loyalty_type type;
        std::string rule, decided_by;
    };
    const std::vector<row> table{
        // "Terrorist ... ein unzufriedener Kunde [informiert] 10 Personen": dissatisfied
        // (2 <= 2) and vocal by complaints (1 >= 1) ...
        {{2, {}, {}, 1, {}, {}},
         loyalty_type::terrorist,
         "terrorist: satisfaction 2 <= 2, complaints 1 >= 1",
         "stated: satisfaction, complaints"},
        // ... or by a detractor score (6 <= 6), even when locked in.
        {{1, 6, {}, 0, {}, false},
         loyalty_type::terrorist,
         "terrorist: satisfaction 1 <= 2, recommend 6 <= 6",
         "stated: satisfaction, recommend"},
        // "Geisel - ein Kaeufer, der keine Wahl hat": no alternative and still buying, whatever
        // the satisfaction: dissatisfied and quiet (recommend 7 > 6, no complaint) ...
        {{1, 7, {}, 0, {}, false},
         loyalty_type::hostage,
         "hostage: has_alternative no, purchase days 3 >= 2, recency_ratio 2 <= 2",
         "behaviour: purchase_days, recency_ratio; stated: has_alternative"},
        // ... or satisfied and recommending (old rule: advocate; the article: no choice).
        {{5, 10, {}, {}, {}, false},
         loyalty_type::hostage,
         "hostage: has_alternative no, purchase days 3 >= 2, recency_ratio 2 <= 2",
         "behaviour: purchase_days, recency_ratio; stated: has_alternative"},
        // "Anhaenger - ein Kunde, der regelmaessig einkauft und aktiv fuer das Unternehmen
        // wirbt": regular and recommend 9 >= 9 or referrals 1 >= 1.
        {{5, 9, {}, {}, {}, true},
         loyalty_type::advocate,
         "advocate: " + regular + ", recommend 9 >= 9",
         "behaviour: purchase_days, regularity_cv, recency_ratio; stated: recommend"},
        {{3, {}, 1, {}, {}, {}},
         loyalty_type::advocate,
         "advocate: " + regular + ", referrals 1 >= 1",
         "behaviour: purchase_days, regularity_cv, recency_ratio; stated: referrals"},
        // "Ueberlaeufer - ... regelmaessig sowohl beim Unternehmen als auch bei Wettbewerbern":
        // buys repeatedly here and the stated share of wallet is below half (0.49 < 0.5).
        {{3, 8, 0, 0, 0.49, {}},
         loyalty_type::switcher,
         "switcher: " + active + ", share_of_wallet 0.49 < 0.5",
         "behaviour: purchase_days, recency_ratio; stated: share_of_wallet"},
        // "treues Thema - ... systematisch Einkaeufe ..., ohne weitere Produktwerbung": regular,
        // recommend 8 < 9, referrals 0 < 1, share of wallet 0.5 not below 0.5.
        {{3, 8, 0, 0, 0.5, {}},
         loyalty_type::loyal,
         "loyal: " + regular + ", recommend 8 < 9, referrals 0 < 1",
         "behaviour: purchase_days, regularity_cv, recency_ratio; stated: recommend, referrals"},
        // Behaviour only (no survey, no counts): a regular buyer with no recommendation recorded.
        {{{}, {}, {}, {}, {}, {}},
         loyalty_type::loyal,
         "loyal: " + regular + ", no recommendation recorded",
         "behaviour: purchase_days, regularity_cv, recency_ratio"},
    };
    for (const row& r : table) {
        CAPTURE(r.rule);
        const loyalty_result res = classify(reg, r.s);
        CHECK(res.type[0] == r.type);
        CHECK(res.rule[0] == r.rule);
        CHECK(res.decided_by[0] == r.decided_by);
        CHECK(res.missing[0].empty());
        CHECK(res.type_count[static_cast<std::size_t>(r.type)] == 1);
        CHECK(res.share(r.type) == 1.0);
    }
}

TEST_CASE("loyalty types: behavioural stand-ins (discount, promotions, rhythm, returns)") {
    // "Soeldner - ein Kunde, der sich aufkaufen laesst": half the purchase rows on discount
    // (0.5 >= 0.5), with no satisfaction asked; 0.49: not mercenary, a regular buyer: loyal.
    loyalty_result r = classify(one(3, 0.5, 2.0, 0.5), {});
    CHECK(r.type[0] == loyalty_type::mercenary);
    CHECK(r.rule[0] == "mercenary: discount_share 0.5 >= 0.5");
    CHECK(r.decided_by[0] == "behaviour: discount_share");
    r = classify(one(3, 0.5, 2.0, 0.49), {});
    CHECK(r.type[0] == loyalty_type::loyal);
    // At promotion peaks: half the purchase days in promotions (0.5 >= 0.5) that cover a
    // quarter of the days (lift 0.5 / 0.25 = 2 >= 2); lift 1.9: buys through the year.
    behaviour_signals b = one(3, 0.5, 2.0);
    b.promotion_share = {0.5};
    b.promotion_lift = {2.0};
    r = classify(b, {});
    CHECK(r.type[0] == loyalty_type::mercenary);
    CHECK(r.rule[0] == "mercenary: promotion_share 0.5 >= 0.5, promotion_lift 2 >= 2");
    CHECK(r.decided_by[0] == "behaviour: promotion_share, promotion_lift");
    b.promotion_lift = {1.9};
    CHECK(classify(b, {}).type[0] == loyalty_type::loyal);

    // Switcher from behaviour: a repeat buyer with a rhythm who skips cycles (rhythm share
    // 0.79 < 0.8) ...
    b = one(5, 0.9, 1.0);
    b.rhythm_share = {0.79};
    r = classify(b, {});
    CHECK(r.type[0] == loyalty_type::switcher);
    CHECK(r.rule[0] == "switcher: purchase days 5 >= 3, recency_ratio 1 <= 2, "
                       "rhythm_share 0.79 < 0.8");
    CHECK(r.decided_by[0] == "behaviour: purchase_days, recency_ratio, rhythm_share");
    // ... but the stated share of wallet is the measure itself and decides where answered:
    // 0.95 with satisfaction 5 is no switcher (the issue's example), and with cv 0.9 not
    // regular either: undecided are only hostage and mercenary (no has_alternative, discount
    // or promotion signal).
    r = classify(b, {5, {}, {}, {}, 0.95, {}});
    CHECK(r.type[0] == loyalty_type::unknown);
    CHECK(r.missing[0] == std::vector<std::string>{"has_alternative", "discount_share",
                                                   "promotion_share", "promotion_lift"});
    // Irregular timing alone (cv 0.9, no rhythm: rhythm share NaN) is no switcher.
    r = classify(one(5, 0.9, 1.0), {3, 8, 0, 0, {}, true});
    CHECK(r.type[0] == loyalty_type::unknown);
    CHECK(r.missing[0] == std::vector<std::string>{"discount_share", "promotion_share",
                                                   "promotion_lift", "share_of_wallet",
                                                   "rhythm_share"});

    // Dissatisfied from behaviour: returns of 0.2 of gross purchases (>= 0.2) and a complaint;
    // a stated satisfaction of 4 overrides the returns.
    b = one(3, 0.5, 2.0);
    b.return_share = {0.2};
    r = classify(b, {{}, {}, {}, 1, {}, {}});
    CHECK(r.type[0] == loyalty_type::terrorist);
    CHECK(r.rule[0] == "terrorist: return_share 0.2 >= 0.2, complaints 1 >= 1");
    CHECK(r.decided_by[0] == "behaviour: return_share; stated: complaints");
    CHECK(classify(b, {4, {}, {}, 1, {}, {}}).type[0] != loyalty_type::terrorist);
    b.return_share = {0.19};
    CHECK(classify(b, {{}, {}, {}, 1, {}, {}}).type[0] == loyalty_type::loyal);
}

TEST_CASE("loyalty types: threshold boundaries and configurable rules") {
    // satisfaction 3 and locked in: a hostage whatever the satisfaction (was: no rule).
    loyalty_result r = classify(one(3, 0.5, 2.0, 0.2), {3, 2, {}, 5, {}, false});
    CHECK(r.type[0] == loyalty_type::hostage);
    // cv 0.51 > 0.5 with a high share of wallet: not regular, not elsewhere: no type (was:
    // switcher by irregular timing alone).
    r = classify(one(5, 0.51, 1.0, 0.0), {3, 8, 0, 0, 0.9, true});
    CHECK(r.type[0] == loyalty_type::unknown);
    // recency ratio 2.01 > 2: not regular, not active, not a hostage (no longer buying), no
    // discount, no promotion: every rule decided, none applies.
    behaviour_signals b = one(5, 0.5, 2.01, 0.0);
    b.promotion_share = {0.0};
    r = classify(b, {1, 7, 0, 0, 0.9, false});
    CHECK(r.type[0] == loyalty_type::unknown);
    CHECK(r.missing[0].empty());
    CHECK(r.decided_by[0].empty());
    CHECK(r.rule[0] == "unknown: no rule applies (recency_ratio 2.01 > 2)");
    // purchase days 2 < 3: not regular even with cv and ratio fine.
    r = classify(one(2, 0.1, 0.5), {3, 10, {}, 0, 0.9, true});
    CHECK(r.type[0] == loyalty_type::unknown);
    // Configurable: with min_purchase_days 3 -> 4, the 3-day regular buyer is no advocate.
    loyalty_rules rules;
    rules.min_purchase_days = 4;
    r = classify(one(3, 0.5, 2.0), {5, 9, {}, {}, {}, {}}, rules);
    CHECK(r.type[0] != loyalty_type::advocate);
    rules = {};
    rules.promoter_min = 10;
    r = classify(one(3, 0.5, 2.0), {5, 9, 0, 0, 0.8, {}}, rules);
    CHECK(r.type[0] == loyalty_type::loyal);
    rules = {};
    rules.min_rhythm_share = 0.7;
    b = one(5, 0.9, 1.0);
    b.rhythm_share = {0.75};
    CHECK(classify(b, {}).type[0] == loyalty_type::switcher);
    CHECK(classify(b, {}, rules).type[0] == loyalty_type::unknown);
}

TEST_CASE("loyalty types: a missing signal is never guessed") {
    // Two purchase days (no cv), a promoter score and nothing else: terrorist needs
    // satisfaction (or returns) and complaints (recommend 10 is not <= 6), hostage
    // has_alternative, mercenary a discount or promotion signal; advocate, switcher and loyal
    // are false (2 < 3 purchase days).
    const loyalty_result r = classify(one(2, nan_v, 0.5), {{}, 10, {}, {}, {}, {}});
    CHECK(r.type[0] == loyalty_type::unknown);
    CHECK(r.missing[0] == std::vector<std::string>{"satisfaction", "return_share", "complaints",
                                                   "has_alternative", "discount_share",
                                                   "promotion_share", "promotion_lift"});
    CHECK(r.rule[0] == "unknown: missing satisfaction, return_share, complaints, "
                       "has_alternative, discount_share, promotion_share, promotion_lift");
    // Missing early signals do not block a later rule that is decided: a regular promoter
    // with no satisfaction known is still an advocate.
    const loyalty_result a = classify(one(4, 0.2, 1.0), {{}, 10, {}, {}, {}, {}});
    CHECK(a.type[0] == loyalty_type::advocate);
    CHECK(a.missing[0].empty());
    // No stated signals at all (a default-constructed set): an irregular buyer without a
    // rhythm is no longer a switcher but unknown; a regular one is loyal.
    const loyalty_result s = classify_loyalty(one(6, 0.8, 1.0), stated_signals{});
    CHECK(s.type[0] == loyalty_type::unknown);
    CHECK(classify_loyalty(one(6, 0.2, 1.0), stated_signals{}).type[0] == loyalty_type::loyal);
}

TEST_CASE("quadrants of Jones & Sasser with their refinements") {
    const behaviour_signals reg = one(4, 0.3, 1.0), irr = one(4, 0.8, 1.0);
    auto q = [](const behaviour_signals& b, stated_one s) { return classify(b, s).quadrant_of[0]; };
    CHECK(q(reg, {5, 10, {}, {}, {}, {}}) == quadrant::apostle);
    CHECK(q(reg, {4, 8, {}, {}, {}, {}}) == quadrant::loyalist);
    CHECK(q(reg, {4, {}, {}, {}, {}, {}}) == quadrant::loyalist); // refinement not guessed
    CHECK(q(reg, {3, {}, {}, {}, {}, {}}) == quadrant::hostage);
    CHECK(q(irr, {4, {}, {}, {}, {}, {}}) == quadrant::mercenary);
    CHECK(q(irr, {3, 7, {}, 0, {}, {}}) == quadrant::defector);
    CHECK(q(irr, {3, 7, {}, 2, {}, {}}) == quadrant::terrorist);
    CHECK(q(irr, {{}, 7, {}, 2, {}, {}}) == quadrant::unknown);
    const loyalty_result r = classify(reg, {5, 10, {}, {}, {}, {}});
    CHECK(r.quadrant_rule[0] ==
          "js_apostle: satisfaction 5 >= 4; purchase days 4 >= 3, "
          "regularity_cv 0.3 <= 0.5, recency_ratio 1 <= 2; recommend 10 >= 9");
    // Cut point 5 (only "completely satisfied" counts as high, as in the article).
    loyalty_rules rules;
    rules.high_satisfaction = 5;
    CHECK(classify(reg, {4, {}, {}, {}, {}, {}}, rules).quadrant_of[0] == quadrant::hostage);
    CHECK(classify(reg, {{}, {}, {}, {}, {}, {}}).quadrant_rule[0] ==
          "unknown: missing satisfaction");
}

TEST_CASE("stated signals and rules: bad input names the customer and the value") {
    transaction_log log = small_log();
    const behaviour_signals b = behaviour_signals_from(log.view());
    stated_signals s(5);
    s.satisfaction[2] = 6;
    CHECK(error_of([&] { classify_loyalty(b, s, {}, &log.customer_keys); }) ==
          "satisfaction: customer \"C\": value is 6 (must be a whole number 1..5)");
    s = stated_signals(5);
    s.recommend[1] = 11;
    CHECK(error_of([&] { classify_loyalty(b, s, {}, &log.customer_keys); }) ==
          "recommend: customer \"B\": value is 11 (must be a whole number 0..10)");
    s.recommend[1] = nan_v;
    CHECK(error_of([&] { classify_loyalty(b, s); }) ==
          "recommend: customer 1: value is nan (must be a whole number 0..10)");
    s.recommend[1] = 7.5;
    CHECK_THROWS_AS(classify_loyalty(b, s), data_error);
    s = stated_signals(5);
    s.share_of_wallet[0] = 1.2;
    CHECK_THROWS_AS(classify_loyalty(b, s), data_error);
    s = stated_signals(4); // wrong length
    CHECK_THROWS_AS(classify_loyalty(b, s), invalid_argument);
    loyalty_rules rules;
    rules.max_regular_cv = nan_v;
    CHECK(error_of([&] {
              classify_loyalty(b, stated_signals{}, rules);
          }).starts_with("rules: max_regular_cv: value is nan"));
    rules = {};
    rules.low_satisfaction = 4;
    CHECK_THROWS_AS(classify_loyalty(b, stated_signals{}, rules), invalid_argument);
}

TEST_CASE("rules from JSON") {
    const loyalty_rules r = parse_loyalty_rules(R"({"max_regular_cv": 0.4, "promoter_min": 10})");
    CHECK(r.max_regular_cv == 0.4);
    CHECK(r.promoter_min == 10);
    CHECK(r.min_purchase_days == 3);
    CHECK(error_of([] {
              parse_loyalty_rules(R"({"max_regular_vc": 0.4})", "r.json");
          }).starts_with("r.json:1: column \"max_regular_vc\": unknown rule threshold"));
    CHECK_THROWS_AS(parse_loyalty_rules(R"({"max_regular_cv": "x"})"), parse_error);
    CHECK_THROWS_AS(parse_loyalty_rules(R"({"max_regular_cv": 1, "max_regular_cv": 2})"),
                    parse_error);
    CHECK_THROWS_AS(parse_loyalty_rules(R"({"max_regular_cv": 1} x)"), parse_error);
    CHECK_THROWS_AS(parse_loyalty_rules(R"({"high_satisfaction": 7})"), invalid_argument);
}

TEST_CASE("Net Promoter categories and scores, overall and per segment") {
    // 10, 9 promoters; 8, 7 passives; 6, 0 detractors; one missing.
    // Overall 100 (2 - 2) / 6 = 0. Segment a (10, 9, 8): 100 * 2 / 3 = 66.67; segment b
    // (7, 6, 0, missing): 100 (0 - 2) / 3 = -66.67.
    const std::vector<std::optional<double>> rec{10, 9, 8, 7, 6, 0, std::nullopt};
    const std::vector<std::string> seg{"a", "a", "a", "b", "b", "b", "b"};
    const nps_result r = net_promoter(rec, seg);
    CHECK(r.category == std::vector<nps_category>{nps_category::promoter, nps_category::promoter,
                                                  nps_category::passive, nps_category::passive,
                                                  nps_category::detractor, nps_category::detractor,
                                                  nps_category::missing});
    CHECK(r.overall.promoters == 2);
    CHECK(r.overall.missing == 1);
    CHECK(*r.overall.score == 0);
    REQUIRE(r.segments == std::vector<std::string>{"a", "b"});
    CHECK(*r.by_segment[0].score == doctest::Approx(200.0 / 3));
    CHECK(*r.by_segment[1].score == doctest::Approx(-200.0 / 3));
    CHECK(r.by_segment[1].missing == 1);
    // All promoters: 100; nobody answered: undefined, not NaN.
    CHECK(*net_promoter(std::vector<std::optional<double>>{9, 10}).overall.score == 100);
    CHECK(!net_promoter(std::vector<std::optional<double>>{std::nullopt}).overall.score);
    CHECK(error_of([] {
              net_promoter(std::vector<std::optional<double>>{5, 11});
          }) == "recommend: customer 1: value is 11 (must be a whole number 0..10)");
    CHECK_THROWS_AS(net_promoter(std::vector<std::optional<double>>{-1}), data_error);
    CHECK_THROWS_AS(net_promoter(rec, std::vector<std::string>{"a"}), invalid_argument);
    // Numbers with NaN for no answer: {10, NaN, 3} -> 1 promoter, 1 missing, 1 detractor, so
    // 100 (1 - 1) / 2 answered = 0.
    const nps_result n = net_promoter(std::vector<double>{10, std::nan(""), 3});
    CHECK(n.category == std::vector<nps_category>{nps_category::promoter, nps_category::missing,
                                                  nps_category::detractor});
    CHECK(n.overall.missing == 1);
    CHECK(*n.overall.score == 0);
}

TEST_CASE("Tightwad-Spendthrift scale: totals, the reverse-scored item, boundaries") {
    // Lowest: 1 + 1 + (6 - 5) + 1 = 4; highest: 11 + 5 + (6 - 1) + 5 = 26.
    CHECK(tightwad_total({1, 1, 5, 1}) == 4);
    CHECK(tightwad_total({11, 5, 1, 5}) == 26);
    // Item 2b reverse-scored: answering "always" (5) instead of "never" (1) to "trouble
    // spending money" lowers the total by 4: 6 + 3 + 5 + 3 = 17 against 6 + 3 + 1 + 3 = 13.
    CHECK(tightwad_total({6, 3, 1, 3}) == 17);
    CHECK(tightwad_total({6, 3, 5, 3}) == 13);
    // Boundaries: 5 + 2 + (6 - 4) + 2 = 11 tightwad; 12 unconflicted; 18 unconflicted; 19.
    CHECK(tightwad_total({5, 2, 4, 2}) == 11);
    CHECK(spending_type_of(11) == spending_type::tightwad);
    CHECK(spending_type_of(12) == spending_type::unconflicted);
    CHECK(spending_type_of(18) == spending_type::unconflicted);
    CHECK(spending_type_of(19) == spending_type::spendthrift);
    CHECK(spending_type_of(tightwad_total({9, 4, 3, 3})) == spending_type::spendthrift); // 19
    CHECK(error_of([] {
              tightwad_total({12, 1, 1, 1}, "customer \"X\"");
          }) ==
          "tightwad-spendthrift item 1 (describe): customer \"X\": answer is 12 (must be 1..11)");
    CHECK_THROWS_AS(tightwad_total({5, 0, 1, 1}), data_error);
    CHECK_THROWS_AS(tightwad_total({5, 1, 6, 1}), data_error);
}

TEST_CASE("spending proxy: spend against the reference quantiles of comparable customers") {
    // 1..5, cut at the article's shares: quantile 0.24 -> position 0.96 -> 1.96, 0.85 ->
    // position 3.4 -> 4.4 (numpy linear). 1 < 1.96 tightwad; 2, 3, 4 unconflicted; 5 > 4.4
    // spendthrift.
    std::vector<double> spend{1, 2, 3, 4, 5, nan_v};
    auto t = spending_proxy(spend);
    CHECK(t == std::vector<spending_type>{spending_type::tightwad, spending_type::unconflicted,
                                          spending_type::unconflicted, spending_type::unconflicted,
                                          spending_type::spendthrift, spending_type::unknown});
    // Group 1 = {10, 20, 30}: quantiles 14.8 and 27 -> tightwad, unconflicted, spendthrift;
    // the 10 would be the top spender of group 0.
    spend = {10, 20, 30, 1, 2, 3, 4, 5};
    const std::vector<std::uint32_t> group{1, 1, 1, 0, 0, 0, 0, 0};
    t = spending_proxy(spend, group);
    CHECK(t[0] == spending_type::tightwad);
    CHECK(t[1] == spending_type::unconflicted);
    CHECK(t[2] == spending_type::spendthrift);
    CHECK(t[7] == spending_type::spendthrift);
    CHECK_THROWS_AS(spending_proxy(spend, std::vector<std::uint32_t>{1}), invalid_argument);
    CHECK_THROWS_AS(spending_proxy(spend, {}, 0.8, 0.2), invalid_argument);
}

TEST_CASE("built-in references: the article's buyer types and churn reasons") {
    // "24% - Geizhaelse; 61 % sind durchschnittliche Kaeufer; 15% - Spender" (Rick et al.).
    CHECK(spending_reference("article") == std::vector<double>{0.24, 0.61, 0.15});
    CHECK(spending_reference("quartiles") == std::vector<double>{0.25, 0.5, 0.25});
    // Spend 1..100 cut at the article's shares: quantile 0.24 at position 23.76 -> 24.76, so
    // 1..24 are tightwads (24); 0.85 at position 84.15 -> 85.15, so 86..100 are spendthrifts
    // (15); 61 unconflicted: the reference's shares, by construction.
    std::vector<double> spend(100);
    for (std::size_t i = 0; i < 100; ++i)
        spend[i] = static_cast<double>(i + 1);
    const auto types = spending_proxy_at(spend, {}, spending_reference("article"));
    CHECK(std::count(types.begin(), types.end(), spending_type::tightwad) == 24);
    CHECK(std::count(types.begin(), types.end(), spending_type::unconflicted) == 61);
    CHECK(std::count(types.begin(), types.end(), spending_type::spendthrift) == 15);
    // A cut given replaces the reference's: high 0.9 (quantile 90.1 of 1..100, 10 above it),
    // low still the article's 0.24; the same as spending_proxy with both cuts written out.
    const auto high = spending_proxy_at(spend, {}, spending_reference("article"), {}, 0.9);
    CHECK(std::count(high.begin(), high.end(), spending_type::tightwad) == 24);
    CHECK(std::count(high.begin(), high.end(), spending_type::spendthrift) == 10);
    CHECK(high == spending_proxy(spend, {}, 0.24, 0.9));
    CHECK(error_of([] { spending_reference("rick"); }) ==
          "spending_reference: unknown reference \"rick\" (built in: article, quartiles)");
    // Questionnaire counts 30, 100, 20 against 24/61/15 (expected 36, 91.5, 22.5): chi-square
    // 1 + 0.789617 + 0.277778 = 2.0673953, df 2; scipy 1.17.1 stats.chisquare([30, 100, 20],
    // f_exp=[36, 91.5, 22.5]): 2.0673952641165756, p 0.35568931776713514.
    const std::array<std::string_view, 3> names{"tightwad", "unconflicted", "spendthrift"};
    const std::vector<std::size_t> counts{30, 100, 20};
    const goodness_of_fit f = chi_square_fit(counts, spending_reference("article"), names);
    CHECK(f.tested);
    CHECK(f.df == 2);
    CHECK(f.chi_square == doctest::Approx(2.0673952641165756).epsilon(1e-12));
    CHECK(f.p_value == doctest::Approx(0.35568931776713514).epsilon(1e-9));

    // A category with share 0: counts 60, 5, 35 against 0.5, 0, 0.5: the 5 are not in the
    // reference; expected 47.5 each of the other 95; chi-square 2 * 12.5^2 / 47.5 = 6.578947,
    // df 1; scipy stats.chisquare([60, 35]): 6.578947368421052, p 0.010319189908034942.
    const std::vector<std::size_t> c3{60, 5, 35};
    const goodness_of_fit z = chi_square_fit(c3, std::vector<double>{0.5, 0, 0.5}, names);
    CHECK(z.not_in_reference == 5);
    CHECK(z.tested_total == 95);
    CHECK(z.in_reference == std::vector<std::uint8_t>{1, 0, 1});
    CHECK(z.expected == std::vector<double>{47.5, 0, 47.5});
    CHECK(z.chi_square == doctest::Approx(6.578947368421052).epsilon(1e-12));
    CHECK(z.p_value == doctest::Approx(0.010319189908034942).epsilon(1e-9));
    CHECK(z.warnings == std::vector<std::string>{
                            "unconflicted: 5 answers not in the reference (share 0), left out of "
                            "the test"});
    CHECK_THROWS_AS(chi_square_fit(c3, std::vector<double>{1, 0, 0}, names), invalid_argument);

    // The article's churn reasons: 68% attitude towards customers (service), 14% quality, 9%
    // competitors' offers, 5% change of activity (no_longer_needed), 3% relocation (moved), 1%
    // other; too_expensive is not among them (share 0).
    const std::vector<double> ref = churn_reference("article");
    CHECK(ref == std::vector<double>{0.05, 0.0, 0.14, 0.68, 0.09, 0.03, 0.01});
    // 100 answers: no_longer_needed 5, too_expensive 2, quality 20, service 60, competitor 10,
    // moved 3, other 0. The 2 are not in the reference; the other 98 are tested: expected 4.9,
    // 13.72, 66.64, 8.82, 2.94, 0.98; chi-square 4.677261, df 5; scipy 1.17.1
    // stats.chisquare([5, 20, 60, 10, 3, 0], f_exp=[98 * s for s in (.05, .14, .68, .09, .03,
    // .01)]): 4.677261380742772, p 0.45652221241560276.
    std::vector<churn_reason> answers;
    const int counts7[] = {5, 2, 20, 60, 10, 3, 0};
    for (std::size_t k = 0; k < 7; ++k)
        answers.insert(answers.end(), static_cast<std::size_t>(counts7[k]),
                       static_cast<churn_reason>(k));
    const churn_reason_tally t = tally_churn_reasons(answers, ref);
    CHECK(t.tested);
    CHECK(t.not_in_reference == 2);
    CHECK(!t.in_reference[1]);
    CHECK(t.expected[1] == 0);
    CHECK(t.expected[3] == doctest::Approx(66.64));
    CHECK(t.df == 5);
    CHECK(t.chi_square == doctest::Approx(4.677261380742772).epsilon(1e-12));
    CHECK(t.p_value == doctest::Approx(0.45652221241560276).epsilon(1e-9));
    CHECK(t.warnings.front() ==
          "too_expensive: 2 answers not in the reference (share 0), left out of the test");
    CHECK(error_of([] { churn_reference("uniform"); }) ==
          "churn_reference: unknown reference \"uniform\" (built in: article)");
}

TEST_CASE("churn reasons: tally and chi-square test against a reference") {
    // 30, 20, 10, 10, 10, 10, 10 answers against a uniform reference (expected 100/7 each):
    // chi2 = (110/7)^2/(100/7) + (40/7)^2/(100/7) + 5 (30/7)^2/(100/7) = (121 + 16 + 45)/7 = 26.
    // p = 0.00022264244658763393: scipy 1.17.1, `python -c "from scipy import stats;
    // print(stats.chisquare([30,20,10,10,10,10,10]))"` (statistic 26.0, pvalue 0.000222642446...).
    std::vector<churn_reason> answers;
    const int counts[] = {30, 20, 10, 10, 10, 10, 10};
    for (std::size_t k = 0; k < 7; ++k)
        answers.insert(answers.end(), static_cast<std::size_t>(counts[k]),
                       static_cast<churn_reason>(k));
    const std::vector<double> uniform(7, 1.0 / 7);
    const churn_reason_tally t = tally_churn_reasons(answers, uniform);
    CHECK(t.total == 100);
    CHECK(t.count[0] == 30);
    CHECK(t.share[1] == 0.2);
    CHECK(t.tested);
    CHECK(t.df == 6);
    CHECK(t.expected[0] == doctest::Approx(100.0 / 7));
    CHECK(t.chi_square == doctest::Approx(26.0).epsilon(1e-12));
    CHECK(t.p_value == doctest::Approx(0.00022264244658763393).epsilon(1e-9));
    CHECK(t.warnings.empty());
    // Without a reference: tally only. Small samples warn.
    CHECK(!tally_churn_reasons(answers).tested);
    const churn_reason_tally small =
        tally_churn_reasons(std::vector<churn_reason>{churn_reason::moved}, uniform);
    CHECK(small.warnings.size() == 7);
    CHECK(parse_churn_reason("competitor_offer") == churn_reason::competitor_offer);
    CHECK(error_of([] {
              parse_churn_reason("price", "line 3");
          }).starts_with("line 3: \"price\" is not a reason code"));
    std::vector<double> bad = uniform;
    bad[2] = -0.1;
    CHECK(error_of([&] { tally_churn_reasons(answers, bad); }) ==
          "reference: quality: share is -0.1 (must be >= 0 and <= 1)");
    bad[2] = 0; // share 0 is allowed (issue 14), but these no longer sum to 1
    CHECK(error_of([&] { tally_churn_reasons(answers, bad); }) ==
          "reference: shares sum to 0.8571428571, not 1");
    bad[2] = 0.5;
    CHECK_THROWS_AS(tally_churn_reasons(answers, bad), invalid_argument);
    CHECK_THROWS_AS(tally_churn_reasons(answers, std::vector<double>{1.0}), invalid_argument);
}

TEST_CASE("signals file: matched to the log's customers; duplicates and bad values") {
    transaction_log log = small_log();
    std::istringstream in("customer_id,satisfaction,recommend,has_alternative,segment,"
                          "churn_reason,tw_describe,tw_trouble_limiting,tw_trouble_spending,"
                          "tw_sale_scenario,note\n"
                          "A,5,10,yes,north,,6,3,1,3,x\n"
                          "C,,3,0,south,quality,,,,,\n"
                          "Z,1,0,,south,moved,,,,,\n");
    const signal_file f = read_signal_file(read_csv_table(in, "s.csv"), log.customer_keys);
    CHECK(*f.stated.satisfaction[0] == 5);
    CHECK(*f.stated.recommend[0] == 10);
    CHECK(*f.stated.has_alternative[0] == true);
    CHECK(!f.stated.satisfaction[2]);
    CHECK(*f.stated.has_alternative[2] == false);
    CHECK(!f.stated.recommend[1]);
    CHECK(f.segment == std::vector<std::string>{"north", "", "south", "", ""});
    CHECK(tightwad_total(*f.spending[0]) == 17);
    CHECK(!f.spending[2]);
    CHECK(f.churn_answers == std::vector<churn_reason>{churn_reason::quality, churn_reason::moved});
    CHECK(f.unmatched == std::vector<std::string>{"Z"});
    CHECK(f.ignored == std::vector<std::string>{"note"});

    auto read = [&](const std::string& text) {
        std::istringstream s(text);
        return read_signal_file(read_csv_table(s, "s.csv"), log.customer_keys);
    };
    CHECK(error_of([&] { read("customer_id,satisfaction\nA,4\nB,3\nA,5\n"); }) ==
          "s.csv:4: column \"customer_id\": customer appears twice (first on line 2) "
          "(value \"A\")");
    CHECK(error_of([&] { read("customer_id,satisfaction\nA,6\n"); }) ==
          "satisfaction: customer \"A\": value is 6 (must be a whole number 1..5)");
    CHECK(error_of([&] { read("customer_id,recommend\nB,11\n"); }) ==
          "recommend: customer \"B\": value is 11 (must be a whole number 0..10)");
    CHECK(error_of([&] {
              read("customer_id,recommend\nB,NaN\n");
          }).starts_with("s.csv:2: column \"recommend\": must be a finite number"));
    CHECK_THROWS_AS(read("id,recommend\nB,1\n"), parse_error);
    CHECK_THROWS_AS(read("customer_id,has_alternative\nB,maybe\n"), parse_error);
    CHECK_THROWS_AS(read("customer_id,tw_describe\nB,1\n"), parse_error);
    CHECK_THROWS_AS(read("customer_id,tw_describe,tw_trouble_limiting,tw_trouble_spending,"
                         "tw_sale_scenario\nB,12,1,1,1\n"),
                    data_error);
}

TEST_CASE("rules by name: loyalty_rules_from, as a face gives them") {
    const std::vector<std::pair<std::string, double>> v{{"max_regular_cv", 0.4},
                                                        {"promoter_min", 10}};
    const loyalty_rules r = loyalty_rules_from(v);
    CHECK(r.max_regular_cv == 0.4);
    CHECK(r.promoter_min == 10);
    CHECK(r.min_purchase_days == 3); // the default, not named
    // The same rules as the JSON form.
    const loyalty_rules j = parse_loyalty_rules(R"({"max_regular_cv": 0.4, "promoter_min": 10})");
    CHECK(j.max_regular_cv == r.max_regular_cv);
    CHECK(j.promoter_min == r.promoter_min);
    try {
        loyalty_rules_from(std::vector<std::pair<std::string, double>>{{"max_regular_vc", 0.4}});
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()).starts_with(
            "rules: \"max_regular_vc\": unknown rule threshold (known: min_purchase_days, "));
        CHECK(e.argument() == "rules");
        CHECK(e.value() == "max_regular_vc");
    }
    CHECK_THROWS_AS(
        loyalty_rules_from(std::vector<std::pair<std::string, double>>{{"high_satisfaction", 7}}),
        invalid_argument);
    CHECK_THROWS_AS(loyalty_rules_from(std::vector<std::pair<std::string, double>>{
                        {"max_regular_cv", std::nan("")}}),
                    invalid_argument);
}

TEST_CASE("match_customer_keys: the one matching rule of signal and ticket tables") {
    key_index text;
    text.insert(std::string_view("A"));
    text.insert(std::string_view("B"));
    const std::vector<std::string> keys{"B", "X", "A"};
    key_match m = match_customer_keys(keys, text);
    CHECK(m.id == std::vector<entity_id>{1, no_id, 0});
    CHECK(m.unmatched == std::vector<std::size_t>{1});
    CHECK(!m.repeated);
    CHECK_NOTHROW(m.check_unique("signals", text));

    // An integer index matches whole decimal text only; integer keys never match text keys.
    key_index ints;
    ints.insert(std::int64_t{5});
    ints.insert(std::int64_t{7});
    const std::vector<std::string> int_text{"7", "7.0", " 5", "5"};
    m = match_customer_keys(int_text, ints);
    CHECK(m.id == std::vector<entity_id>{1, no_id, no_id, 0});
    CHECK(m.unmatched == std::vector<std::size_t>{1, 2});
    const std::vector<std::int64_t> int_keys{9, 5, 7, 5, 7};
    m = match_customer_keys(int_keys, ints);
    CHECK(m.id == std::vector<entity_id>{no_id, 0, 1, 0, 1});
    REQUIRE(m.repeated);
    CHECK(*m.repeated == 3); // the first repetition: row 3 names 5 again (first in row 1)
    CHECK(m.repeated_first == 1);
    CHECK(match_customer_keys(int_keys, text).unmatched.size() == 5);
    try {
        m.check_unique("tickets", ints);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) ==
              "tickets: row 3: customer \"5\" appears twice (first in row 1)");
        CHECK(e.context().argument == "tickets");
        CHECK(e.context().row == std::optional<std::size_t>(3));
        CHECK(e.context().key == "5");
    }
}

TEST_CASE("match_customer_keys: a key column encoded once, as a face hands it over") {
    key_index customers;
    customers.insert(std::string_view("A"));
    customers.insert(std::string_view("B"));
    key_index text; // the table's distinct keys: B (id 0), X (id 1)
    text.insert(std::string_view("B"));
    text.insert(std::string_view("X"));
    const std::vector<entity_id> rows{0, 1, 0}; // B, X, B
    const key_match m = match_customer_keys(text, rows, customers);
    CHECK(m.id == std::vector<entity_id>{1, no_id, 1});
    CHECK(m.unmatched == std::vector<std::size_t>{1});
    REQUIRE(m.repeated);
    CHECK(*m.repeated == 2);
    CHECK(m.repeated_first == 0);
    // Integer keys against an integer index; against a text index they match nothing.
    key_index ints;
    ints.insert(std::int64_t{5});
    ints.insert(std::int64_t{7});
    key_index given;
    given.insert(std::int64_t{7});
    given.insert(std::int64_t{9});
    const std::vector<entity_id> two{0, 1}; // 7, 9
    CHECK(match_customer_keys(given, two, ints).id == std::vector<entity_id>{1, no_id});
    CHECK(match_customer_keys(given, two, customers).unmatched == std::vector<std::size_t>{0, 1});
}

TEST_CASE("stated_signals_from: named columns of a signals table, scattered to the customers") {
    key_index text;
    text.insert(std::string_view("A"));
    text.insert(std::string_view("B"));
    const std::vector<std::string> keys{"B", "X", "A"}; // ids 1, none, 0
    const key_match m = match_customer_keys(keys, text);
    const double nan = std::nan("");
    const std::vector<double> satisfaction{4, 5, nan}, alternative{1, 0, 0};
    const std::vector<std::pair<std::string, std::span<const double>>> columns{
        {"has_alternative", alternative}, {"satisfaction", satisfaction}};
    const stated_signals s = stated_signals_from(m, 2, columns);
    // Row 0 (B) -> customer 1; row 1 (X) is no customer; row 2 (A) -> customer 0, NaN missing.
    CHECK(s.satisfaction == std::vector<std::optional<double>>{std::nullopt, 4.0});
    CHECK(s.has_alternative == std::vector<std::optional<bool>>{false, true});
    CHECK(s.recommend == std::vector<std::optional<double>>(2)); // not given: missing
    CHECK(s.share_of_wallet.size() == 2);

    const std::vector<double> two{1, 2};
    const std::vector<std::pair<std::string, std::span<const double>>> short_column{
        {"recommend", two}};
    CHECK_THROWS_AS(stated_signals_from(m, 2, short_column), invalid_argument); // 2 rows, not 3
    const std::vector<double> half{0.5, 1, 1};
    const std::vector<std::pair<std::string, std::span<const double>>> not_yes_no{
        {"has_alternative", half}};
    CHECK_THROWS_AS(stated_signals_from(m, 2, not_yes_no), data_error);
    const std::vector<std::pair<std::string, std::span<const double>>> unknown{
        {"mood", satisfaction}};
    try {
        (void)stated_signals_from(m, 2, unknown);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "signals: unknown signal \"mood\"");
        CHECK(e.value() == "mood");
    }
}

TEST_CASE("parse_churn_reference: seven shares in the order of the reasons") {
    const std::string json = R"({"other": 0.1, "moved": 0.1, "competitor_offer": 0.2,
        "service": 0.1, "quality": 0.2, "too_expensive": 0.2, "no_longer_needed": 0.1})";
    CHECK(parse_churn_reference(json, "ref.json") ==
          std::vector<double>{0.1, 0.2, 0.2, 0.1, 0.2, 0.1, 0.1});
    CHECK(error_of([] {
              parse_churn_reference(R"({"quality": 1})", "ref.json", "--churn-reference");
          }) == "--churn-reference: ref.json: no share for \"no_longer_needed\"");
    CHECK_THROWS_AS(parse_churn_reference(R"({"weather": 1})", "ref.json"), data_error);
}

TEST_CASE("read_loyalty_rules, read_signal_file and read_profitability_config: files by path") {
    // No path: the defaults (rules, costs) and no signals.
    CHECK(read_loyalty_rules("", "--rules").max_regular_cv == 0.5);
    CHECK(read_profitability_config("", "--costs").rates.per_order == 0);
    key_index customers;
    customers.insert(std::string_view("A"));
    CHECK(!read_signal_file("", customers));

    const auto dir = std::filesystem::temp_directory_path();
    const auto rules = (dir / "custometrics_test_rules.json").string();
    const auto costs = (dir / "custometrics_test_costs.json").string();
    const auto signals = (dir / "custometrics_test_signals.csv").string();
    std::ofstream(rules) << R"({"max_regular_cv": 0.4})";
    std::ofstream(costs) << R"({"per_order": 2.5})";
    std::ofstream(signals) << "customer_id,satisfaction\nA,4\nZ,2\n";
    CHECK(read_loyalty_rules(rules, "--rules").max_regular_cv == 0.4);
    CHECK(read_loyalty_rules(rules, "--rules").min_purchase_days == 3); // not named: default
    CHECK(read_profitability_config(costs, "--costs").rates.per_order == 2.5);
    const std::optional<signal_file> f = read_signal_file(signals, customers);
    REQUIRE(f);
    CHECK(f->stated.satisfaction == std::vector<std::optional<double>>{4.0});
    CHECK(f->unmatched == std::vector<std::string>{"Z"});
    for (const auto& p : {rules, costs, signals})
        std::filesystem::remove(p);
    try { // a file that is not there names the argument and the path
        (void)read_loyalty_rules(rules, "--rules");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--rules");
    }
    CHECK_THROWS_AS(read_profitability_config(costs, "--costs"), invalid_argument);
}

TEST_CASE("read_churn_reference: a built-in name, a JSON file, or none") {
    CHECK(read_churn_reference("article", "--churn-reference") == churn_reference("article"));
    CHECK(read_churn_reference("", "--churn-reference").empty());
    const auto path =
        (std::filesystem::temp_directory_path() / "custometrics_test_churn_ref.json").string();
    std::ofstream(path) << R"({"other": 0.1, "moved": 0.1, "competitor_offer": 0.2,
        "service": 0.1, "quality": 0.2, "too_expensive": 0.2, "no_longer_needed": 0.1})";
    CHECK(read_churn_reference(path, "--churn-reference") ==
          std::vector<double>{0.1, 0.2, 0.2, 0.1, 0.2, 0.1, 0.1});
    std::filesystem::remove(path);
    try { // neither a built-in name nor a file
        (void)read_churn_reference(path, "--churn-reference");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--churn-reference");
        CHECK(e.value() == path);
    }
}

TEST_CASE("loyalty_overview_of: shares, spending by source and the tickets of a signals file") {
    const transaction_log log = small_log();
    // Net revenue per purchase day: A 40 / 4 = 10, B 20 / 4 = 5, C 30 / 1 = 30, D 30 / 2 = 15,
    // E 5 / 1 = 5. Quartiles of {5, 5, 10, 15, 30}: 5 and 15 (positions 1 and 3), so only C
    // (30 > 15) is a spendthrift; nobody is below 5.
    const loyalty_overview a = loyalty_overview_of(log.view());
    CHECK(!a.signals);
    CHECK(a.spending_counts.proxy == std::array<std::size_t, 3>{0, 4, 1});
    CHECK(a.spending_counts.proxy_total == 5);
    CHECK(a.spending_counts.proxy_share[1] == doctest::Approx(0.8));
    CHECK(a.spending_counts.questionnaire_total == 0);
    CHECK(a.spending_counts.questionnaire_share[0] == 0); // no answers: 0, not NaN
    CHECK(a.proxy == std::vector<std::uint8_t>{1, 1, 1, 1, 1});
    for (std::size_t k = 0; k < n_loyalty_types; ++k)
        CHECK(a.type_share[k] * 5 == doctest::Approx(static_cast<double>(a.labels.type_count[k])));
    CHECK(a.churn.total == 0);

    // With the signals file of the test above: A answered the scale (total 17: unconflicted);
    // segments north {A}, south {C}, none {B, D, E}. Group {B 5, D 15, E 5}: quantiles 0.24 and
    // 0.85 are 5 and 12 (positions 0.48 and 1.7), so D (15 > 12) is a spendthrift; C alone is
    // unconflicted.
    std::istringstream in("customer_id,segment,service_tickets,tw_describe,tw_trouble_limiting,"
                          "tw_trouble_spending,tw_sale_scenario\n"
                          "A,north,2,6,3,1,3\nC,south,,,,,\nZ,south,1,,,,\n");
    signal_file f = read_signal_file(read_csv_table(in, "s.csv"), log.customer_keys);
    CHECK(service_ticket_counts(f) == std::vector<double>{2, 0, 0, 0, 0});
    const loyalty_overview b = loyalty_overview_of(log.view(), {}, std::move(f));
    CHECK(b.spending_counts.questionnaire == std::array<std::size_t, 3>{0, 1, 0});
    CHECK(b.spending_counts.questionnaire_share[1] == 1);
    CHECK(b.spending_counts.proxy == std::array<std::size_t, 3>{0, 3, 1});
    CHECK(b.spending_counts.proxy_share[2] == doctest::Approx(0.25));
    CHECK(b.spending[3] == spending_type::spendthrift);
    CHECK(b.proxy == std::vector<std::uint8_t>{0, 1, 1, 1, 1});
    CHECK(b.signals->unmatched == std::vector<std::string>{"Z"});
    // The questionnaire (A: unconflicted) against 24/61/15: chi-square 0.24 + 0.39^2 / 0.61 +
    // 0.15 = 0.639344, df 2; scipy stats.chisquare([0, 1, 0], f_exp=[.24, .61, .15]):
    // 0.639344262295082, p 0.7263871577592353.
    CHECK(b.spending_reference == std::vector<double>{0.24, 0.61, 0.15});
    CHECK(b.spending_fit.tested);
    CHECK(b.spending_fit.chi_square == doctest::Approx(0.639344262295082).epsilon(1e-12));
    CHECK(b.spending_fit.p_value == doctest::Approx(0.7263871577592353).epsilon(1e-9));
    CHECK(!a.spending_fit.tested); // no questionnaire
}

TEST_CASE("score_tightwad and parse_churn_reasons: many answers at once") {
    // 6 + 3 + (6 - 1) + 3 = 17 unconflicted; 2 + 1 + (6 - 5) + 1 = 5 tightwad;
    // 11 + 5 + (6 - 1) + 4 = 25 spendthrift.
    const std::vector<std::int64_t> a{6, 2, 11}, b{3, 1, 5}, c{1, 5, 1}, d{3, 1, 4};
    const tightwad_scores s = score_tightwad(a, b, c, d);
    CHECK(s.total == std::vector<std::int64_t>{17, 5, 25});
    CHECK(s.type == std::vector<spending_type>{spending_type::unconflicted, spending_type::tightwad,
                                               spending_type::spendthrift});
    CHECK_THROWS_AS(score_tightwad(a, b, c, std::vector<std::int64_t>{1}), invalid_argument);
    const std::vector<std::int64_t> bad{12, 2, 11};
    CHECK(error_of([&] { score_tightwad(bad, b, c, d); }).find("row 0: answer is 12") !=
          std::string::npos);

    const std::vector<std::string> answers{"moved", "quality"};
    CHECK(parse_churn_reasons(answers) ==
          std::vector<churn_reason>{churn_reason::moved, churn_reason::quality});
    const std::vector<std::string> unknown{"moved", "weather"};
    CHECK(error_of([&] { parse_churn_reasons(unknown); }).starts_with("reasons: row 1"));
}

TEST_CASE("key_match::scatter: a table column to the log's customers, NaN missing") {
    key_index text;
    text.insert(std::string_view("A"));
    text.insert(std::string_view("B"));
    const std::vector<std::string> keys{"B", "X", "A"};
    const key_match m = match_customer_keys(keys, text); // ids {1, no_id, 0}
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::optional<double>> score(2);
    m.scatter(std::vector<double>{4, 5, nan}, score, "satisfaction"); // X skipped, A missing
    CHECK(score == std::vector<std::optional<double>>{std::nullopt, 4.0});
    m.scatter({}, score, "satisfaction"); // not given: nothing changes
    CHECK(score == std::vector<std::optional<double>>{std::nullopt, 4.0});
    CHECK_THROWS_WITH_AS(m.scatter(std::vector<double>{1, 2}, score, "satisfaction"),
                         "satisfaction: has 2 rows, the signals' customer column has 3",
                         invalid_argument);
    std::vector<std::optional<bool>> yes_no(2);
    m.scatter(std::vector<double>{1, 7, 0}, yes_no, "has_alternative"); // 7 is X's: skipped
    CHECK(yes_no == std::vector<std::optional<bool>>{false, true});
    try {
        m.scatter(std::vector<double>{1, 0, 0.5}, yes_no, "has_alternative");
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) ==
              "has_alternative: row 2: value is 0.5 (must be 0, 1, True or False)");
        CHECK(e.row() == std::optional<std::size_t>(2));
        CHECK(e.value() == "0.5");
    }
}
