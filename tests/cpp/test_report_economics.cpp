// Tests of the report's retention economics and loyalty-programme sections (report.hpp
// report_economics_of, report_programme_of; output/report.hpp add_economics_section,
// add_programme_section and their JSON): one small log worked by hand, the sections' cells, the
// German labels, and the same numbers in the text, the JSON and the page.
#include <custometrics/error.hpp>
#include <custometrics/json_value.hpp>
#include <custometrics/output/report.hpp>
#include <custometrics/report.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

constexpr std::int64_t day = 86'400;
constexpr std::int64_t t0 = 1'577'836'800; // 2020-01-01

// The hand-worked log (days from 2020-01-01, amounts):
//   M1: 100 (30), 200 (30), 250 (30)    member, joins day 180
//   N1: 100 (30), 200 (30)              non-member, bought as M1 before day 180
//   M2: 150 (60), 300 (60), 320 (60)    member, joins day 180
//   N2: 150 (60)                        non-member, bought as M2 before day 180
//   N3: 0 (10), 359 (10)                non-member; sets the log's span to days 0..359
// Retention economics, periods of 120 days, end day 360: P2 = [0, 120), P1 = [120, 240),
// P0 = [240, 360).
//   active P2 {N3, M1, N1} = 3, P1 {M2, N2, M1, N1} = 4, P0 {M1, M2, N3} = 3
//   retained P1: M1, N1 (2 of 3); P0: M1, M2 (2 of 4); pooled r = 4/7 = 57.1%
//   new P1: M2, N2 = 2, P0: none; per period (P1, P0) = 1
//   revenue P2 70, P1 180, P0 160 = 410 over 10 customer-periods: 41 per customer; margin at
//   rate 0.5: 20.5
// Projection, horizon 2, N = 3, n = 1: customers_1 = N q + n, customers_2 = N q^2 + n (1 + q)
//   q = 4/7:        2.714286 + 2.551020 = 5.265306 customers -> revenue 215.877551
//   q = 4/7 + 0.05: 2.864286 + 2.779949 = 5.644235           -> revenue 231.413622 (+7.1967%)
//   q = 4/7 x 1.05: 2.8 + 2.68 = 5.48                        -> revenue 224.68
// Lifetime value m (1 + d) / (1 + d - q), d = 0.1: 42.662162 at 4/7, 47.119403 at +5 points.
// Kept in addition: N x 0.05 = 0.15 customers, worth 0.15 x 47.119403 = 7.067910.
// Programme (members M1, M2, X9 joined day 180; 180 days before and after): X9 is not in the
// log; M1 matches N1 and M2 matches N2 at distance 0. A month is 30.4375 days, so 180 days are
// 5.913758 months. Purchases: pair 1 (2 - 1) - (1 - 1) = 1, pair 2 (2 - 1) - (0 - 1) = 2: mean
// 1.5 / 5.913758 = 0.253646 a month; members after 2 / 5.913758 = 0.338194, counterfactual
// 0.338194 - 0.253646 = 0.084549, relative 3 (+300%). Spend: (60 - 30) - 0 = 30 and
// (120 - 60) - (0 - 60) = 120: mean 75 / 5.913758 = 12.682292 a month; margin at 0.5: 37.5 per
// member over the 180 days. Still buying: members 1 -> 1, N1 1 -> 1, N2 1 -> 0: effect 0.5.
transaction_log hand_log() {
    struct row {
        const char* key;
        int day;
        double amount;
    };
    const std::vector<row> rows{{"N3", 0, 10},   {"M1", 100, 30}, {"N1", 100, 30}, {"M2", 150, 60},
                                {"N2", 150, 60}, {"M1", 200, 30}, {"N1", 200, 30}, {"M1", 250, 30},
                                {"M2", 300, 60}, {"M2", 320, 60}, {"N3", 359, 10}};
    transaction_log log;
    for (const row& r : rows) {
        log.customer.push_back(log.customer_keys.insert(std::string_view(r.key)));
        log.time.push_back(t0 + r.day * day);
        log.amount.push_back(r.amount);
    }
    return log;
}

std::vector<programme_member> hand_members() {
    return {{"M1", t0 + 180 * day}, {"M2", t0 + 180 * day}, {"X9", t0 + 180 * day}};
}

log_economics_options hand_economics() {
    log_economics_options o;
    o.period_days = 120;
    o.horizon = 2;
    o.margin_rate = 0.5;
    return o;
}

report_options hand_report_options() {
    report_options o;
    o.source = "hand.csv";
    o.economics = hand_economics();
    o.members = hand_members();
    return o;
}

output::html_section section_of(void (*add)(output::html_document&, const sales_report&),
                                const sales_report& r) {
    output::html_document doc;
    add(doc, r);
    REQUIRE(doc.sections.size() == 1);
    return doc.sections[0];
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("report_economics_of: the log's retention economics by hand, and why it is left out") {
    const transaction_log log = hand_log();
    const report_economics e = report_economics_of(log, hand_economics());
    REQUIRE(e.result);
    CHECK(e.omitted.empty());
    CHECK(e.margin_source == "margin rate");
    const log_economics_result& x = *e.result;
    CHECK(x.retained == 4);
    CHECK(x.retention_base == 7);
    CHECK(x.retention_rate == doctest::Approx(4.0 / 7));
    CHECK(x.revenue_per_customer == doctest::Approx(41.0));
    CHECK(x.margin_per_customer == doctest::Approx(20.5));
    CHECK(x.customers_now == 3.0);
    CHECK(x.new_customers_per_period == doctest::Approx(1.0));
    REQUIRE(x.scenarios.size() == 3);
    CHECK(x.scenarios[0].revenue == doctest::Approx(215.877551));
    CHECK(x.scenarios[1].revenue == doctest::Approx(231.413622));
    CHECK(*x.scenarios[1].revenue_change == doctest::Approx(0.0719671));
    CHECK(x.scenarios[2].revenue == doctest::Approx(224.68));
    CHECK(*x.scenarios[0].lifetime_value == doctest::Approx(42.662162));
    CHECK(e.extra_retained == doctest::Approx(0.15));
    CHECK(*e.extra_retained_value == doctest::Approx(7.067910));
    CHECK_FALSE(x.spend);

    // A cost column decides the margin whatever the rate.
    transaction_log costed = hand_log();
    costed.cost.assign(costed.amount.size(), 0.0);
    CHECK(report_economics_of(costed, hand_economics()).margin_source == "cost column");

    // No margin source: left out, naming the option of the face.
    log_economics_options no_margin = hand_economics();
    no_margin.margin_rate.reset();
    const report_economics cli = report_economics_of(log, no_margin);
    CHECK_FALSE(cli.result);
    CHECK(cli.margin_source.empty());
    CHECK(cli.omitted == "the log has no cost column and no margin rate was given (--margin-rate)");
    CHECK(report_economics_of(log, no_margin, "").omitted ==
          "the log has no cost column and no margin rate was given (margin_rate)");

    // Too short: 360 days are fewer than two periods of 365 (the default), so left out.
    log_economics_options year = hand_economics();
    year.period_days = 365;
    const report_economics short_log = report_economics_of(log, year);
    CHECK_FALSE(short_log.result);
    CHECK(short_log.omitted == "period_days: the log covers 360 days up to its end, fewer than "
                               "two complete periods of 365 days");

    // A bad option stays an error; so does a margin rate outside [0, 1].
    log_economics_options bad = hand_economics();
    bad.period_days = 0;
    CHECK_THROWS_AS((void)report_economics_of(log, bad), invalid_argument);
    bad = hand_economics();
    bad.margin_rate = 1.5;
    CHECK_THROWS_AS((void)report_economics_of(log, bad), invalid_argument);
}

TEST_CASE("report_programme_of: the programme's effect by hand, and why it is left out") {
    const transaction_log log = hand_log();
    const std::vector<programme_member> members = hand_members();
    const report_programme p = report_programme_of(log, members, 0.5);
    REQUIRE(p.result);
    const programme_result& x = *p.result;
    CHECK(x.members == 3);
    CHECK(x.evaluated == 2);
    CHECK(x.excluded[static_cast<std::size_t>(programme_exclusion_reason::not_in_log)] == 1);
    CHECK(x.pre_days == 180); // the defaults of `custometrics programme`
    CHECK(x.post_days == 180);
    CHECK(x.bootstrap == 1000);
    CHECK(x.frequency.effect == doctest::Approx(0.253646).epsilon(1e-5));
    CHECK(*x.frequency.relative == doctest::Approx(3.0));
    CHECK(x.spend.effect == doctest::Approx(12.682292).epsilon(1e-6));
    CHECK(x.retention.effect == doctest::Approx(0.5));
    CHECK(x.incremental_margin == doctest::Approx(37.5));
    CHECK_FALSE(x.roi.defined); // the report counts no cost
    // Each resample's mean lies between the pairs' effects, 1 and 2 purchases in 180 days.
    CHECK(x.frequency.ci_low >= 0.169097 - 1e-6);
    CHECK(x.frequency.ci_high <= 0.338195);

    // No margin: left out with the option named; no member to evaluate: the core's reason.
    CHECK(report_programme_of(log, members, std::nullopt).omitted ==
          "the log has no cost column and no margin rate was given (--margin-rate)");
    const std::vector<programme_member> late{{"M1", t0 + 300 * day}};
    const report_programme none = report_programme_of(log, late, 0.5);
    CHECK_FALSE(none.result);
    CHECK(has(none.omitted, "members: no member can be evaluated ("));
    CHECK(has(none.omitted, "after_log_end 1"));
    // A member listed twice is an error in the file, not a reason to leave the section out.
    const std::vector<programme_member> twice{{"M1", t0 + 180 * day}, {"M1", t0 + 180 * day}};
    CHECK_THROWS_AS((void)report_programme_of(log, twice, 0.5), data_error);
}

TEST_CASE("report: the retention economics and programme sections' cells") {
    const sales_report r = build_report(hand_log(), hand_report_options());
    const output::html_section e = section_of(output::add_economics_section, r);
    CHECK(e.id == "retention-economics");
    CHECK(e.title == "What keeping customers is worth");
    CHECK(e.takeaway == "57.1% of the customers who buy in a period of 120 days buy again in the "
                        "next; with 5 points more (62.1%) revenue over the next 2 periods would "
                        "be 231.41 instead of 215.88 (+7.2%).");
    CHECK(e.charts.size() == 1);
    REQUIRE(e.tables.size() == 3);
    REQUIRE(e.tables[0].rows.size() == 3);
    CHECK(e.tables[0].rows[0] == std::vector<std::string>{"observed", "57.1%", "215.88", "-",
                                                          "107.94", "-", "42.66", "-"});
    CHECK(e.tables[0].rows[1] == std::vector<std::string>{"+5 points", "62.1%", "231.41", "+7.2%",
                                                          "115.71", "+7.2%", "47.12", "+10.4%"});
    CHECK(e.tables[0].rows[2][0] == "+5 percent");
    CHECK(e.tables[0].rows[2][2] == "224.68");
    // Wilson 95% of 4 in 7: centre (p + z^2/14) / (1 + z^2/7) = 0.546119, half-width
    // z sqrt(p (1 - p) / 7 + z^2 / 196) / (1 + z^2/7) = 0.295661: 25.0% to 84.2%.
    const auto& measured = e.tables[1].rows;
    CHECK(measured[0] ==
          std::vector<std::string>{"retention rate (95% interval)", "57.1% (25.0% to 84.2%)"});
    CHECK(measured[1][1] == "4 / 7");
    CHECK(measured[2] == std::vector<std::string>{"complete periods of 120 days", "3"});
    CHECK(measured[3][1] == "41.00");
    CHECK(measured[4][1] == "20.50");
    CHECK(measured[5] ==
          std::vector<std::string>{"margin from", "a margin rate of 50.0% (no cost column)"});
    CHECK(measured[6][1] == "3");
    CHECK(measured[7][1] == "1.0");
    const auto& keep = e.tables[2].rows;
    REQUIRE(keep.size() == 3); // no spends given
    CHECK(keep[0] ==
          std::vector<std::string>{"customers kept in addition per period at +5 points", "0.15"});
    CHECK(keep[1][1] == "7.07");
    CHECK(keep[2][1] == "8 times");
    REQUIRE(e.notes.size() == 4);
    CHECK(has(e.notes[0], "complete periods of 120 days counted back from 2020-12-26"));
    CHECK(has(e.notes[1], "plus 1.0 new customers a period"));

    const output::html_section p = section_of(output::add_programme_section, r);
    CHECK(p.id == "programme");
    CHECK(p.takeaway == "Against comparable non-members, joining changed members' purchases by "
                        "+0.25 a month (+300.0%; 95.0% interval 0.17 to 0.34) and their spend by "
                        "12.68 a month; 2 of 3 members could be compared.");
    REQUIRE(p.tables.size() == 2);
    REQUIRE(p.tables[0].rows.size() == 4);
    CHECK(p.tables[0].rows[0] == std::vector<std::string>{"purchases a month", "0.17", "0.34",
                                                          "0.17", "0.08", "0.25", "0.17 to 0.34"});
    CHECK(p.tables[0].rows[2][5] == "50.0%");
    CHECK(p.tables[1].rows[0] == std::vector<std::string>{"incremental margin", "37.50"});
    CHECK(p.tables[1].rows[4][1] == "not defined: no cost given");
    CHECK(has(p.notes[1], "Assumption: customers joined because of how they bought before"));
    CHECK(p.notes[2] == "Left out: 1 members not in the log, 0 who joined too soon after its "
                        "start, 0 too close to its end, 0 without a purchase before joining, 0 "
                        "without a comparable non-member.");

    // Without members there is no programme section; without a margin the economics section
    // says why it is skipped.
    report_options plain;
    plain.source = "hand.csv";
    const sales_report bare = build_report(hand_log(), plain);
    CHECK_FALSE(bare.programme);
    output::html_document doc;
    output::add_programme_section(doc, bare);
    CHECK(doc.sections.empty());
    CHECK(section_of(output::add_economics_section, bare).takeaway ==
          "Skipped: the log has no cost column and no margin rate was given (--margin-rate).");
}

TEST_CASE("report: the new sections and the service tiers in German") {
    report_options o = hand_report_options();
    o.lang = output::language::de;
    const sales_report r = build_report(hand_log(), o);
    const output::html_section e = section_of(output::add_economics_section, r);
    CHECK(e.title == "Was treue Kunden wert sind");
    CHECK(has(e.takeaway, "57,1 % der Kunden, die in einer Periode von 120 Tagen kaufen"));
    CHECK(e.tables[0].header[1] == "Wiederkaufrate");
    CHECK(e.tables[0].rows[1][0] == "+5 Prozentpunkte");
    CHECK(e.tables[2].caption ==
          "Kundenbindung gegen Neukundengewinnung (das \"8-mal mehr\" des Artikels)");
    CHECK(e.tables[2].rows[2][1] == "8-mal");
    const output::html_section p = section_of(output::add_programme_section, r);
    CHECK(p.title == "Kundenbindungsprogramm");
    CHECK(p.tables[0].header[0] == "Kennzahl");
    CHECK(has(p.notes[1], "Annahme:"));

    // The service tiers (a cost column): title, header and the tiers' service in German.
    transaction_log costed = hand_log();
    costed.cost.assign(costed.amount.size(), 0.0);
    const sales_report c = build_report(costed, o);
    const output::html_section t = section_of(output::add_service_tiers_section, c);
    CHECK(t.title == "Servicestufen");
    CHECK(t.tables[0].header == std::vector<std::string>{"Servicestufe", "Kunden", "Nettoumsatz",
                                                         "Bruttomarge", "Betreuungskosten",
                                                         "Gewinn", "Kundendienstniveau"});
    CHECK(t.tables[0].rows[0][6] ==
          "persönlicher Service: halten und ausbauen (die Spitze des Gewinns)");
    CHECK(has(t.takeaway, "Kunden (Stufe A) erwirtschaften"));
    CHECK(has(t.notes[0], "Kunden mit Gewinn über 0 nach Gewinn geordnet"));
}

TEST_CASE("report: the text, the JSON and the page show the same economics and programme") {
    const sales_report r = build_report(hand_log(), hand_report_options());
    std::ostringstream text, json;
    output::write_text(text, r);
    output::write_json(json, r);
    const std::string page = output::render_html(r);
    const json_value j = parse_json(json.str(), "report.json");
    const json_value& e = j.at("retention_economics");
    CHECK(e.at("margin_source").as_string() == "margin rate");
    CHECK(e.at("omitted").is_null());
    CHECK(e.at("retention").at("rate").as_number() == doctest::Approx(4.0 / 7));
    CHECK(e.at("scenarios").as_array()[1].at("revenue").as_number() == doctest::Approx(231.413622));
    CHECK(e.at("extra_retained").as_number() == doctest::Approx(0.15));
    CHECK(e.at("article_spend_ratio").as_number() == 8.0);
    const json_value& p = j.at("programme");
    CHECK(p.at("omitted").is_null());
    CHECK(p.at("frequency").at("effect").as_number() == doctest::Approx(0.253646).epsilon(1e-5));
    CHECK(p.at("economics").at("incremental_margin").as_number() == doctest::Approx(37.5));
    // The same figures, formatted, in the text and on the page.
    for (const std::string& shown : {text.str(), page}) {
        CHECK(has(shown, "57.1% (25.0% to 84.2%)"));
        CHECK(has(shown, "231.41"));
        CHECK(has(shown, "215.88"));
        CHECK(has(shown, "+300.0%"));
        CHECK(has(shown, "37.50"));
        CHECK(has(shown, "12.68 a month"));
    }
    CHECK(has(page, "id=\"retention-economics\""));
    CHECK(has(page, "id=\"programme\""));
    CHECK(has(text.str(), "\nWhat keeping customers is worth\n"));
    CHECK(has(text.str(), "\nLoyalty programme\n"));
}
