// Tests of retention/rhythm.hpp (each customer's own purchase rhythm) and of the contact list
// timed by it (scoring.hpp contact_list with rhythm dates), worked by hand.
#include <custometrics/date.hpp>
#include <custometrics/error.hpp>
#include <custometrics/output/retention.hpp>
#include <custometrics/retention/rhythm.hpp>
#include <custometrics/retention/scoring.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

constexpr std::int64_t day = 86'400;
constexpr std::int64_t t0 = 1'704'067'200; // 2024-01-01

struct row {
    const char* key;
    int day;
    double amount;
};

transaction_log make_log(const std::vector<row>& rows) {
    transaction_log log;
    for (const row& r : rows) {
        log.customer.push_back(log.customer_keys.insert(std::string_view(r.key)));
        log.time.push_back(t0 + r.day * day + 3600 * 10); // 10:00, the day counts
        log.amount.push_back(r.amount);
    }
    return log;
}

// A buys every 30 days: Jan 1, Jan 31, Mar 1 (2024 is a leap year: Jan 31 -> Mar 1 is 30 days),
// twice on Jan 31 (one purchase day) and a return on Feb 15 (not a purchase).
// B is irregular: Jan 1, Jan 3, Mar 1 (gaps 2 and 58). C has two purchases: Feb 1, Mar 1.
// D bought every 10 days in October 2023 (Oct 1, 11, 21) and then stopped.
// The log ends on its last row, Mar 1 (day 60).
transaction_log the_log() {
    return make_log({{"A", 0, 10},
                     {"A", 30, 10},
                     {"A", 30, 5},
                     {"A", 45, -5},
                     {"A", 60, 10},
                     {"B", 0, 20},
                     {"B", 2, 20},
                     {"B", 60, 20},
                     {"C", 31, 30},
                     {"C", 60, 30},
                     {"D", -92, 40},
                     {"D", -82, 40},
                     {"D", -72, 40}});
}

} // namespace

TEST_CASE("purchase_rhythm_of: a regular, an irregular, a two-purchase and a lapsed customer") {
    const transaction_log log = the_log();
    const purchase_rhythm r = purchase_rhythm_of(log.view());
    REQUIRE(r.size() == 4);
    CHECK(r.purchase_days == std::vector<std::int64_t>{3, 3, 2, 3});
    // A: gaps 30, 30: mean 30, CV 0; regular; next purchase Mar 1 + 30 days = Mar 31.
    CHECK(r.mean_gap[0] == 30);
    CHECK(r.gap_cv[0] == 0);
    CHECK(r.regular[0] == 1);
    CHECK(r.last_purchase[0] == t0 + 60 * day);
    CHECK(format_date(r.next_purchase[0]) == "2024-03-31");
    // B: gaps 2, 58: mean 30, sd sqrt((28^2 + 28^2) / 1) = 39.598, CV 1.3199 > 0.5.
    CHECK(r.mean_gap[1] == 30);
    CHECK(r.gap_cv[1] == doctest::Approx(std::sqrt(2.0 * 28 * 28) / 30));
    CHECK(r.regular[1] == 0);
    CHECK(r.next_purchase[1] == no_time);
    // C: one gap of 29 days; no CV from one gap, so no rhythm.
    CHECK(r.mean_gap[2] == 29);
    CHECK(std::isnan(r.gap_cv[2]));
    CHECK(r.regular[2] == 0);
    CHECK(r.next_purchase[2] == no_time);
    // D: regular (gaps 10, 10) but its own date, Oct 31, is 122 days (12 cycles) before the
    // log's end: lapsed, no rhythm date. Allowing 13 cycles overdue gives it back.
    CHECK(r.regular[3] == 1);
    CHECK(r.next_purchase[3] == no_time);
    rhythm_options o;
    o.max_overdue_cycles = 13;
    CHECK(format_date(purchase_rhythm_of(log.view(), o).next_purchase[3]) == "2023-10-31");
    // A stricter CV keeps A (0) regular; min_purchases 4 leaves nobody with a rhythm.
    o = {};
    o.min_purchases = 4;
    const purchase_rhythm four = purchase_rhythm_of(log.view(), o);
    CHECK(four.regular == std::vector<std::uint8_t>{0, 0, 0, 0});

    // The dates of a summary's customers, by key: A's, none for a key not in the log or B.
    const std::vector<std::string> keys{"A", "Z", "B"};
    CHECK(rhythm_dates(log.view(), keys) ==
          std::vector<std::int64_t>{t0 + 90 * day, no_time, no_time});
    transaction_view keyless = log.view();
    keyless.customer_keys = nullptr;
    CHECK_THROWS_AS(rhythm_dates(keyless, keys), invalid_argument);
}

TEST_CASE("purchase_rhythm_of: bad options and an empty log") {
    const transaction_log log = the_log();
    rhythm_options o;
    o.min_purchases = 2;
    CHECK_THROWS_WITH_AS(purchase_rhythm_of(log.view(), o), doctest::Contains("min_purchases"),
                         invalid_argument);
    o = {};
    o.max_cv = std::nan("");
    CHECK_THROWS_WITH_AS(purchase_rhythm_of(log.view(), o), doctest::Contains("max_cv"),
                         invalid_argument);
    o = {};
    o.max_overdue_cycles = -1;
    CHECK_THROWS_WITH_AS(purchase_rhythm_of(log.view(), o), doctest::Contains("max_overdue_cycles"),
                         invalid_argument);
    CHECK_THROWS_AS(purchase_rhythm_of(transaction_log{}.view()), invalid_argument);
}

namespace {

// Scores of three customers in days, analysed on Mar 1 2024: the model expects A in 45 days,
// B in 10, C in 5; lifetime values 300, 200, 100.
customer_scores three_scores() {
    customer_scores s;
    s.with_spend = true;
    s.p_alive = {0.9, 0.8, 0.7};
    s.clv = {300, 200, 100};
    s.next_purchase_wait = {45, 10, 5};
    s.analysis_date.assign(3, t0 + 60 * day);
    return s;
}

} // namespace

TEST_CASE("contact_list: the own rhythm beside the model, and timing by it") {
    const customer_scores s = three_scores();
    const std::vector<std::string> keys{"A", "B", "C"};
    // A's own date is Mar 31 (due in 30 days), B has none, C's was Feb 20 (overdue by 10 days).
    const std::vector<std::int64_t> rhythm{t0 + 90 * day, no_time, t0 + 50 * day};
    contact_days o; // within 30 days, call 14 days before

    // Model timing: A (45 days) is not listed; B and C are, with C's rhythm shown beside.
    const contact_plan m = contact_list(s, o, rhythm);
    REQUIRE(m.contacts.size() == 2);
    CHECK(m.with_rhythm);
    CHECK(m.contacts[0].customer == 1);
    CHECK(m.contacts[0].timing == contact_timing::model);
    CHECK(!m.contacts[0].due_days);
    CHECK(m.contacts[1].customer == 2);
    CHECK(m.contacts[1].rhythm_date == t0 + 50 * day);
    CHECK(*m.contacts[1].due_days == -10);
    CHECK(format_date(m.contacts[1].next_purchase_date) == "2024-03-06"); // the model's 5 days

    // Rhythm timing: A is due in 30 days (listed, call 30 - 14 = 16 days ahead, Mar 17); B keeps
    // the model (10 days); C is overdue: due now (wait 0, called on the analysis date).
    o.timing = contact_timing::rhythm;
    const contact_plan r = contact_list(s, o, rhythm);
    REQUIRE(r.contacts.size() == 3);
    CHECK(r.value_at_risk == 600);
    std::ostringstream csv;
    output::write_csv(csv, r, keys);
    CHECK(csv.str() == "customer_id,call_date,next_purchase_date,p_alive,clv,timing,rhythm_date,"
                       "due_days\n"
                       "A,2024-03-17,2024-03-31,0.9,300,rhythm,2024-03-31,30\n"
                       "B,2024-03-01,2024-03-11,0.8,200,model,,\n"
                       "C,2024-03-01,2024-03-01,0.7,100,rhythm,2024-02-20,-10\n");
    std::ostringstream json;
    detail::json_writer w(json);
    output::write_json(w, r, s, o, keys, 1);
    CHECK(json.str() ==
          "{\"model\":\"bgnbd\",\"customers\":3,\"contacts\":3,\"within_days\":30,"
          "\"lead_days\":14,\"value_at_risk\":600,\"timing\":\"rhythm\",\"top\":[{\"customer_id\":"
          "\"A\",\"call_date\":\"2024-03-17\",\"next_purchase_date\":\"2024-03-31\",\"p_alive\":"
          "0.9,\"clv\":300,\"timing\":\"rhythm\",\"rhythm_date\":\"2024-03-31\",\"due_days\":30}]}"
          "\n");
    std::ostringstream text;
    output::write_text(text, r, o, keys, 3);
    CHECK(text.str().find("  C                    2024-03-01   2024-03-01      0.700       "
                          "100.00  2024-02-20      -10.0\n") != std::string::npos);

    // Without rhythm dates the list and its writers are as before (no rhythm columns).
    o.timing = contact_timing::model;
    std::ostringstream plain;
    output::write_csv(plain, contact_list(s, o), keys);
    CHECK(plain.str() == "customer_id,call_date,next_purchase_date,p_alive,clv\n"
                         "B,2024-03-01,2024-03-11,0.8,200\n"
                         "C,2024-03-01,2024-03-06,0.7,100\n");

    // Rhythm timing needs the dates; a list of another length is refused.
    o.timing = contact_timing::rhythm;
    CHECK_THROWS_WITH_AS(contact_list(s, o), doctest::Contains("timing: rhythm needs"),
                         invalid_argument);
    CHECK_THROWS_WITH_AS(contact_list(s, o, std::vector<std::int64_t>{no_time}),
                         doctest::Contains("rhythm: has 1 dates"), invalid_argument);
    CHECK(parse_contact_timing("rhythm") == contact_timing::rhythm);
    CHECK_THROWS_WITH_AS(parse_contact_timing("own", "--timing"),
                         "--timing: expected 'model' or 'rhythm', got 'own'", invalid_argument);
}
