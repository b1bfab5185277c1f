// Tests of output/retention.hpp and retention/summary_csv.hpp: the text, CSV and JSON forms of
// a fitted model, customer scores (with and without intervals), a contact list and a model
// choice made by hand, and a summary CSV read back (its time axis, its end, the file line and
// key of a bad customer row); BG/BB fitted on lifetimes' donation table against lifetimes'
// fit, the model choice on the CDNOW calibration/holdout fixture against lifetimes' errors
// (tests/reference/selection_reference.py), and the intervals' refusal of a file without
// covariance.
#include <custometrics/date.hpp>
#include <custometrics/detail/json.hpp>
#include <custometrics/output/retention.hpp>
#include <custometrics/retention.hpp>

#include <doctest/doctest.h>

#include <filesystem>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

/// Two customers scored by hand: "A" alive 0.6, 1.5 purchases expected, spend 10, CLV 100.5,
/// next purchase on 2020-01-02; "B,1" (a key with a comma) 0.3, 0, 20, 0, no date.
customer_scores two_scores() {
    customer_scores s;
    s.model = purchase_model_kind::bg_nbd;
    s.units = parse_summary_units("days", 1.0);
    s.horizon = 30.0;
    s.with_spend = true;
    s.p_alive = {0.6, 0.3};
    s.expected_purchases = {1.5, 0.0};
    s.expected_spend = {10.0, 20.0};
    s.clv = {100.5, 0.0};
    s.next_purchase_wait = {1.0, 2.0};
    s.analysis_date = {*parse_time("2020-01-01"), no_time};
    s.next_purchase_date = {*parse_time("2020-01-02"), no_time};
    s.expected_alive = 0.9;
    s.at_risk = 1;
    s.total_expected_purchases = 1.5;
    s.clv_total = 100.5;
    return s;
}

const std::vector<std::string> keys = {"A", "B,1"};

/// What `write` writes with a JSON writer (which ends the outermost object with a newline).
std::string json_of(const auto& write) {
    std::ostringstream out;
    detail::json_writer w(out);
    write(w);
    return out.str();
}

} // namespace

TEST_CASE("output::write_csv, write_json and write_text of customer scores") {
    const customer_scores s = two_scores();
    std::ostringstream csv;
    output::write_csv(csv, s, keys);
    CHECK(csv.str() == "customer_id,p_alive,expected_purchases,expected_spend,clv,"
                       "next_purchase_date\n"
                       "A,0.6,1.5,10,100.5,2020-01-02\n"
                       "\"B,1\",0.3,0,20,0,\n");
    CHECK(json_of([&](detail::json_writer& w) { output::write_json(w, s); }) ==
          "{\"model\":\"bgnbd\",\"time_unit\":\"days\",\"unit_scale\":1,\"n\":2,\"horizon\":30,"
          "\"expected_alive\":0.9,\"at_risk\":1,\"expected_purchases\":1.5,\"clv_total\":100.5}\n");
    std::ostringstream text;
    output::write_text(text, s, score_options{});
    // 0.9 of 2 customers alive = 45.0%; 12 months at 1% a month.
    CHECK(text.str() == "BG/NBD scores of 2 customers\n"
                        "  expected alive        0.9  (45.0%)\n"
                        "  P(alive) below 50%    1 customers\n"
                        "  expected purchases    1.5 in the next 30.00 days\n"
                        "  lifetime value        100.50 over 12 months (discount 1.0% a month)\n");
}

TEST_CASE("output writers of a contact list") {
    const customer_scores s = two_scores();
    // Within 30 days, call 14 days before: A waits 1 day (call on the end date), B 2 days (no
    // date); ranked by CLV: A (100.5), then B (0). top 0 = all rows.
    contact_days o;
    const contact_plan plan = contact_list(s, o);
    REQUIRE(plan.contacts.size() == 2);
    std::ostringstream csv;
    output::write_csv(csv, plan, keys);
    CHECK(csv.str() == "customer_id,call_date,next_purchase_date,p_alive,clv\n"
                       "A,2020-01-01,2020-01-02,0.6,100.5\n"
                       "\"B,1\",,,0.3,0\n");
    CHECK(json_of([&](detail::json_writer& w) { output::write_json(w, plan, s, o, keys, 1); }) ==
          "{\"model\":\"bgnbd\",\"customers\":2,\"contacts\":2,\"within_days\":30,"
          "\"lead_days\":14,\"value_at_risk\":100.5,\"top\":[{\"customer_id\":\"A\","
          "\"call_date\":\"2020-01-01\",\"next_purchase_date\":\"2020-01-02\",\"p_alive\":0.6,"
          "\"clv\":100.5}]}\n");
    std::ostringstream text;
    output::write_text(text, plan, o, keys);
    CHECK(text.str() ==
          "2 customers expected to buy within 30 days, worth 100.50 of lifetime value; call 14 "
          "days before\n"
          "  customer             call on      expected     P(alive)          CLV\n"
          "  A                    2020-01-01   2020-01-02      0.600       100.50\n"
          "  B,1                                               0.300         0.00\n");
    // top 1 keeps the first row; its value is the value at risk.
    o.top = 1;
    const contact_plan one = contact_list(s, o);
    CHECK(one.contacts.size() == 1);
    CHECK(one.value_at_risk == 100.5);
}

TEST_CASE("output::write_text of a fitted model") {
    fit_result r;
    r.names = {"r", "alpha", "a", "b"};
    r.params = {0.243, 4.414, 0.793, 2.426};
    r.std_errors = {0.0125, 0.3786, 0.1855, 0.7052};
    r.log_likelihood = -9582.4292;
    r.n = 2357;
    r.report = {true, 31, 40, 1e-10, "gradient below tolerance"};
    const fitted_model m =
        fitted_purchase_model(purchase_model_kind::bg_nbd, r, 1124, parse_summary_units("weeks"));
    std::ostringstream text;
    output::write_text(text, m);
    CHECK(text.str() == "BG/NBD fit on 2,357 customers (1,124 unique rows, weeks): converged after "
                        "31 iterations (gradient below tolerance)\n"
                        "  r               0.243   (standard error 0.0125)\n"
                        "  alpha           4.414   (standard error 0.3786)\n"
                        "  a               0.793   (standard error 0.1855)\n"
                        "  b               2.426   (standard error 0.7052)\n"
                        "  log-likelihood -9582.4292\n");
    std::ostringstream given;
    output::write_text(given, fitted_spend_model(gamma_gamma_params{6.25, 3.74, 15.44}));
    CHECK(given.str() == "Gamma-Gamma (repeat buyers) with given parameters\n"
                         "  p                6.25\n"
                         "  q                3.74\n"
                         "  gamma           15.44\n");
}

TEST_CASE("read_summary_csv: columns, time axis and end, and a bad row named by line and key") {
    const std::string path = "test_output_retention_summary.csv";
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T,monetary_value,time_unit,unit_scale,"
             "observation_end\n"
             "A,2,30,40,10.5,weeks,1,2020-03-01\n"
             "B,0,0,12,0,weeks,1,2020-03-01\n";
    }
    const summary_table s = read_summary_csv(path, true);
    CHECK(s.keys == std::vector<std::string>{"A", "B"});
    CHECK(s.x == std::vector<double>{2, 0});
    CHECK(s.m == std::vector<double>{10.5, 0});
    CHECK(describe(s.units) == "weeks");
    CHECK(s.end == parse_time("2020-03-01"));
    // A given unit that contradicts the column is an error naming the given argument.
    summary_axis days;
    days.time_unit = "days";
    CHECK_THROWS_AS((void)read_summary_csv(path, false, days), invalid_argument);
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T\nA,2,30,40\nB,1,50,40\n"; // B: recency > T
    }
    const summary_table bad = read_summary_csv(path, false);
    try {
        (void)fit_summary(bad, "bgnbd");
        FAIL("expected a data_error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()).starts_with(path + ":3 (customer B): "));
        CHECK(e.key() == "B");
        CHECK(e.row() == 1u);
    }
    CHECK_THROWS_AS((void)fit_summary(bad, "nope"), invalid_argument);
    // A customer twice: an error at its second line naming the first (before, score wrote two
    // rows for it).
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T\nA,2,30,40\nB,1,5,40\nA,0,0,40\n";
    }
    try {
        (void)read_summary_csv(path, false);
        FAIL("expected a parse_error");
    } catch (const parse_error& e) {
        CHECK(std::string(e.what()) ==
              path + ":4: column \"customer_id\": customer \"A\" is already on line 2 (a summary "
                     "has one row per customer) (value \"A\")");
        CHECK(e.line() == 4u);
        CHECK(e.column() == "customer_id");
        CHECK(e.value() == "A");
    }
    // No customer_id column and a value column first: an error at the header (before, the
    // frequencies 2 and 1 became the customer keys). A key column of another name still works.
    {
        std::ofstream f(path);
        f << "frequency,recency,T\n2,30,40\n1,5,40\n";
    }
    try {
        (void)read_summary_csv(path, false);
        FAIL("expected a parse_error");
    } catch (const parse_error& e) {
        CHECK(std::string(e.what()) ==
              path + ":1: column \"customer_id\": no customer_id column, and the first column "
                     "holds values, not customer keys (add a customer_id column) (value "
                     "\"frequency\")");
        CHECK(e.line() == 1u);
    }
    {
        std::ofstream f(path);
        f << "id,frequency,recency,T\nA,2,30,40\nB,1,5,40\n";
    }
    CHECK(read_summary_csv(path, false).keys == std::vector<std::string>{"A", "B"});
    std::remove(path.c_str());
}

TEST_CASE("read_summary_csv: an as-of date before the first purchase or far after T's end") {
    // A first bought 2020-01-10 and B 2020-01-20, T = 21 and 11 days: both give the end
    // 2020-01-31. An as-of date of 2020-01-31 (or a day later, the rounding of T) is
    // plausible; 1900-01-01 is before the first purchases (before: accepted, and next purchases
    // were dated in 1939), 2021-01-01 is 336 days after the end T gives.
    const std::string path = "test_output_retention_as_of.csv";
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T,first_purchase\n"
             "A,1,5,21,2020-01-10\nB,0,0,11,2020-01-20\n";
    }
    summary_axis axis;
    axis.as_of_argument = "--as-of";
    axis.as_of = "2020-01-31";
    CHECK(read_summary_csv(path, false, axis).end == parse_time("2020-01-31"));
    axis.as_of = "2020-02-01";
    CHECK(read_summary_csv(path, false, axis).end == parse_time("2020-02-01"));
    axis.as_of = "1900-01-01";
    try {
        (void)read_summary_csv(path, false, axis);
        FAIL("expected an invalid_argument");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "--as-of: 1900-01-01 is before the first purchase "
                                       "2020-01-10 of customer A (" +
                                           path + ":2): give the date the summary was made to");
        CHECK(e.argument() == "--as-of");
        CHECK(e.value() == "1900-01-01");
    }
    axis.as_of = "2021-01-01";
    try {
        (void)read_summary_csv(path, false, axis);
        FAIL("expected an invalid_argument");
    } catch (const invalid_argument& e) {
        // 2021-01-01 - 2020-01-31 = 366 - 30 = 336 days.
        CHECK(std::string(e.what()) == "--as-of: 2021-01-01 is 336 days after the end 2020-01-31 "
                                       "that the first purchase 2020-01-10 and T 21 of customer "
                                       "A (" +
                                           path +
                                           ":2) give: give the date the summary was made to");
        CHECK(e.value() == "2021-01-01");
    }
    // A T far beyond any date (fuzz_summary's finding: its seconds overflowed an int64 and the
    // end's subtraction was undefined) ends after the as-of date: nothing to refuse there.
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T,first_purchase\n"
             "A,0,0,7.7e76,2020-01-05\nB,0,0,11,2020-01-20\n";
    }
    axis.as_of = "2020-02-01";
    CHECK(read_summary_csv(path, false, axis).end == parse_time("2020-02-01"));
    // A unit scale so large that one period passes every date (fuzz_summary's finding in
    // CI: a day plus one period overflowed an int64): the slack saturates, and a T of 0 ends
    // at the first purchase, so a later as-of date is within the slack.
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T,first_purchase,time_unit,unit_scale\n"
             "A,0,0,0,2020-01-05,days,1e300\n";
    }
    axis.as_of = "2020-02-01";
    CHECK(read_summary_csv(path, false, axis).end == parse_time("2020-02-01"));
    // Without first purchases there is nothing to check against: any date is taken.
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T\nA,1,5,21\n";
    }
    axis.as_of = "1900-01-01";
    CHECK(read_summary_csv(path, false, axis).end == parse_time("1900-01-01"));
    std::remove(path.c_str());
}

TEST_CASE("next_purchase_time and log_likelihood per customer for any purchase model") {
    const purchase_params p =
        purchase_params_from(purchase_model_kind::bg_nbd, std::vector{0.243, 4.414, 0.793, 2.426});
    const std::vector<double> x{2, 0}, tx{30.43, 0}, T{38.86, 38.86};
    const std::vector<double> wait = next_purchase_time(p, x, tx, T);
    // The median of the Gamma(r + x, alpha + T) wait: (alpha + T)(2^(1/(r + x)) - 1).
    CHECK(wait[0] == doctest::Approx((4.414 + 38.86) * (std::pow(2.0, 1 / 2.243) - 1)));
    CHECK(wait[1] == doctest::Approx((4.414 + 38.86) * (std::pow(2.0, 1 / 0.243) - 1)));
    const std::vector<double> ll = log_likelihood(p, x, tx, T);
    CHECK(ll[1] == log_likelihood(p, 0.0, 0.0, 38.86));
}

namespace {

std::filesystem::path reference(const char* name) {
    return std::filesystem::path(__FILE__).parent_path().parent_path() / "reference" / name;
}

double rel(double got, double want) {
    return std::abs(got - want) / std::abs(want);
}

/// The CDNOW calibration/holdout fixture (x, t_x, T, x_holdout; weeks, holdout 39 weeks) as a
/// summary CSV at `path`, with or without the holdout columns.
void write_cdnow_summary(const std::string& path, bool holdout, bool duration = true) {
    std::ifstream in(reference("selection_cdnow.csv"));
    REQUIRE(in);
    std::ofstream out(path);
    std::string line;
    std::getline(in, line);
    out << "customer_id,frequency_cal,recency_cal,T_cal" << (holdout ? ",frequency_holdout" : "")
        << (holdout && duration ? ",duration_holdout" : "") << "\n";
    for (int k = 0; std::getline(in, line); ++k) {
        if (!holdout) line = line.substr(0, line.rfind(','));
        out << "c" << k << ',' << line << (holdout && duration ? ",39" : "") << "\n";
    }
}

} // namespace

TEST_CASE("fit_summary: BG/BB on lifetimes' donation table, and a summary that does not fit") {
    // lifetimes 0.11.3's donations.csv (frequency, recency, periods, weights: 22 patterns of
    // 11,104 donors, FHS 2010) as it ships.
    const summary_table s = read_summary_csv(reference("donations.csv").string(), false);
    CHECK(s.weights.size() == 22);
    // No customer_id column: the rows are patterns, named by their position (not by their
    // frequency, which repeats: 22 rows, 7 distinct frequencies).
    CHECK(s.keys.front() == "row 1");
    CHECK(s.keys.back() == "row 22");
    const fitted_model m = fit_summary(s, "bgbb");
    CHECK(m.model == "bgbb");
    REQUIRE(m.fit);
    CHECK(m.fit->n == 11104);
    CHECK(m.fit->unique_rows == 22);
    CHECK(!m.units);
    CHECK(m.has_covariance());
    // lifetimes' BetaGeoBetaBinomFitter on the same table (tests/reference/bg_bb_reference.py):
    // the same optimum to 2e-5 relative, our log-likelihood no lower.
    const bg_bb_params p = bg_bb_params_of(m);
    CHECK(rel(p.alpha, 1.2035223936080277) < 2e-5);
    CHECK(rel(p.beta, 0.74971635817576021) < 2e-5);
    CHECK(rel(p.gamma, 0.65671816954995765) < 2e-5);
    CHECK(rel(p.delta, 2.7834419828876551) < 2e-5);
    CHECK(m.fit->log_likelihood >= -33225.58127434615 - 1e-7);
    std::ostringstream text;
    output::write_text(text, m);
    CHECK(text.str().starts_with("BG/BB (discrete opportunities) fit on 11,104 customers (22 "
                                 "unique patterns): converged"));

    // A summary of continuous time does not fit the model: the row is named by line and key.
    const std::string path = "test_output_retention_bgbb.csv";
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T\nA,1,2,6\nB,2,30,38.86\n";
    }
    try {
        (void)fit_summary(read_summary_csv(path, false), "bgbb");
        FAIL("expected a data_error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) ==
              path + ":3 (customer B): periods: value 38.86 is not a whole number >= 0");
        CHECK(e.key() == "B");
        CHECK(e.argument() == "periods");
    }
    std::remove(path.c_str());
}

TEST_CASE("select_summary on the CDNOW holdout, its writers and its errors") {
    const std::string path = "test_output_retention_select.csv";
    write_cdnow_summary(path, true);
    const summary_table s = read_summary_csv(path, false, {});
    CHECK(s.duration_holdout == 39.0);
    const model_selection m = select_summary(s, {});
    REQUIRE(m.chosen);
    // lifetimes 0.11.3 (selection.hpp's example): MAE 0.7855, 0.7648, 0.7545: Pareto/NBD.
    CHECK(m.models[*m.chosen].model == purchase_model_kind::pareto_nbd);
    CHECK(m.models[0].holdout.mae == doctest::Approx(0.7855).epsilon(1e-4));
    CHECK(m.models[1].holdout.mae == doctest::Approx(0.7648).epsilon(1e-4));
    CHECK(m.models[2].holdout.mae == doctest::Approx(0.7545).epsilon(1e-4));
    // The same choice from the core's call on the columns.
    const model_selection direct = select_purchase_model(s.x, s.tx, s.T, s.holdout, 39.0);
    CHECK(direct.models[2].holdout.mae == m.models[2].holdout.mae);

    std::ostringstream text;
    output::write_text(text, m);
    const std::string t = text.str();
    CHECK(t.starts_with("Model choice by holdout MAE on 2,357 customers (holdout 39.00 periods): "
                        "Pareto/NBD\n"));
    CHECK(t.find("* Pareto/NBD") != std::string::npos);
    CHECK(t.find("  BG/NBD") != std::string::npos);
    const json_value j =
        parse_json(json_of([&](detail::json_writer& w) { output::write_json(w, m); }), "choice");
    CHECK(j.string("criterion") == "mae");
    CHECK(j.string("chosen") == "pnbd");
    REQUIRE(j.at("models").as_array().size() == 3);
    const json_value& bg = j.at("models").as_array()[0];
    CHECK(bg.string("model") == "bgnbd");
    CHECK(bg.number("mae") == m.models[0].holdout.mae); // shortest round-trip form
    CHECK(bg.number("bic") == m.models[0].bic);
    CHECK(bg.at("params").number("r") == m.models[0].fit.params[0]);

    // The chosen model as a fitted model, with its covariance, scored as fit_summary's.
    const fitted_model best = chosen_model(s, m);
    CHECK(best.model == "pnbd");
    CHECK(best.has_covariance());

    // By BIC: MBG/NBD (log L -9582.14 against -9582.43 and -9594.98).
    selection_options by_bic;
    by_bic.criterion = selection_criterion::bic;
    CHECK(select_summary(s, by_bic).models[*select_summary(s, by_bic).chosen].model ==
          purchase_model_kind::mbg_nbd);

    // No holdout columns: bic by default, and a holdout criterion names its argument.
    write_cdnow_summary(path, false);
    const summary_table plain = read_summary_csv(path, false, {});
    CHECK(!select_summary(plain, {}).has_holdout);
    selection_options by_mae;
    by_mae.criterion = selection_criterion::mae;
    try {
        (void)select_summary(plain, by_mae, std::nullopt, "--select-by");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--select-by");
        CHECK(std::string(e.what()).find("no frequency_holdout column") != std::string::npos);
    }
    // The holdout without its length: the length's argument is named; given, it is used.
    write_cdnow_summary(path, true, false);
    const summary_table no_length = read_summary_csv(path, false, {});
    try {
        (void)select_summary(no_length, {}, std::nullopt, "--select-by", "--holdout-duration");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--holdout-duration");
    }
    CHECK(select_summary(no_length, {}, 39.0).models[2].holdout.mae == m.models[2].holdout.mae);
    std::remove(path.c_str());
}

TEST_CASE("output writers of scores with intervals; summary_intervals refuses a file without "
          "covariance") {
    const customer_scores s = two_scores();
    prediction_intervals pi;
    pi.method = interval_method::delta;
    pi.level = 0.9;
    pi.horizon = 30.0;
    pi.estimate = {1.5, 0.0};
    pi.lower = {1.25, 0.0};
    pi.upper = {1.75, 0.5};
    pi.total = 1.5;
    pi.total_lower = 1.0;
    pi.total_upper = 2.0;
    std::optional<score_intervals> si = score_intervals{pi, std::nullopt};
    std::ostringstream csv;
    output::write_csv(csv, s, keys, si);
    CHECK(csv.str() == "customer_id,p_alive,expected_purchases,expected_purchases_lower,"
                       "expected_purchases_upper,expected_spend,clv,next_purchase_date\n"
                       "A,0.6,1.5,1.25,1.75,10,100.5,2020-01-02\n"
                       "\"B,1\",0.3,0,0,0.5,20,0,\n");
    CHECK(json_of([&](detail::json_writer& w) { output::write_json(w, s, si); }) ==
          "{\"model\":\"bgnbd\",\"time_unit\":\"days\",\"unit_scale\":1,\"n\":2,\"horizon\":30,"
          "\"expected_alive\":0.9,\"at_risk\":1,\"expected_purchases\":1.5,"
          "\"expected_purchases_lower\":1,\"expected_purchases_upper\":2,\"clv_total\":100.5,"
          "\"interval\":{\"method\":\"delta\",\"level\":0.9,\"draws\":0,\"seed\":0,"
          "\"failed_draws\":0}}\n");
    std::ostringstream text;
    output::write_text(text, s, score_options{}, si);
    CHECK(text.str().find("  expected purchases    1.5 in the next 30.00 days\n"
                          "    90.0% interval   1.0 to 2.0 (delta method, parameter uncertainty "
                          "only)\n") != std::string::npos);

    // With the lifetime value's intervals: clv_lower/clv_upper after clv, the total's in JSON
    // and text (a parametric bootstrap here, with its draws and seed).
    prediction_intervals v;
    v.method = interval_method::parametric_bootstrap;
    v.level = 0.8;
    v.draws = 200;
    v.seed = 5;
    v.failed_draws = 1;
    v.estimate = {100.5, 0.0};
    v.lower = {90.25, 0.0};
    v.upper = {110.75, 0.5};
    v.total = 100.5;
    v.total_lower = 90.25;
    v.total_upper = 111.0;
    si->clv = v;
    std::ostringstream csv2;
    output::write_csv(csv2, s, keys, si);
    CHECK(csv2.str() == "customer_id,p_alive,expected_purchases,expected_purchases_lower,"
                        "expected_purchases_upper,expected_spend,clv,clv_lower,clv_upper,"
                        "next_purchase_date\n"
                        "A,0.6,1.5,1.25,1.75,10,100.5,90.25,110.75,2020-01-02\n"
                        "\"B,1\",0.3,0,0,0.5,20,0,0,0.5,\n");
    CHECK(json_of([&](detail::json_writer& w) { output::write_json(w, s, si); }) ==
          "{\"model\":\"bgnbd\",\"time_unit\":\"days\",\"unit_scale\":1,\"n\":2,\"horizon\":30,"
          "\"expected_alive\":0.9,\"at_risk\":1,\"expected_purchases\":1.5,"
          "\"expected_purchases_lower\":1,\"expected_purchases_upper\":2,\"clv_total\":100.5,"
          "\"clv_total_lower\":90.25,\"clv_total_upper\":111,"
          "\"interval\":{\"method\":\"delta\",\"level\":0.9,\"draws\":0,\"seed\":0,"
          "\"failed_draws\":0,\"clv_failed_draws\":1}}\n");
    std::ostringstream text2;
    output::write_text(text2, s, score_options{}, si);
    CHECK(text2.str().find("    80.0% interval   ") != std::string::npos);
    CHECK(text2.str().find("(parametric bootstrap, 200 draws, seed 5, 1 failed)\n") !=
          std::string::npos);
    // Lifetime value intervals of other customers are not these scores'.
    si->clv->lower = {1.0};
    CHECK_THROWS_AS(output::write_csv(csv, s, keys, si), invalid_argument);
    si->clv.reset();

    si->purchases.horizon = 10.0; // intervals of another horizon are not these scores'
    CHECK_THROWS_AS(output::write_csv(csv, s, keys, si), invalid_argument);

    const std::string path = "test_output_retention_intervals.csv";
    {
        std::ofstream f(path);
        f << "customer_id,frequency,recency,T\nA,2,30.43,38.86\nB,0,0,38.86\n";
    }
    const summary_table sum = read_summary_csv(path, false);
    const fitted_model old = parse_fitted_model(
        R"({"model": "bgnbd", "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426},
            "log_likelihood": -9582.43, "std_errors": {}})",
        "old.json");
    try {
        (void)summary_intervals(sum, old, 30.0, interval_options{}, "--params", "old.json");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--params");
        CHECK(std::string(e.what()).find("old.json") != std::string::npos);
    }
    std::remove(path.c_str());
}
