// Tests of retention/units.hpp, retention/fitted_model.hpp, retention/scoring.hpp and the
// Gamma-Gamma spend sample (gamma_gamma.hpp): unit conversions by hand, the JSON form read back
// bit for bit, the unit check, scores against lifetimes 0.11.3 values (test_retention_clv.cpp)
// and hand calculations, the contact list in days, and the spend-sample counts by hand.
#include <custometrics/error.hpp>
#include <custometrics/json_value.hpp>
#include <custometrics/retention/bg_bb.hpp>
#include <custometrics/retention/bg_nbd.hpp>
#include <custometrics/retention/clv.hpp>
#include <custometrics/retention/covariates.hpp>
#include <custometrics/retention/fit.hpp>
#include <custometrics/retention/fitted_model.hpp>
#include <custometrics/retention/pareto_nbd.hpp>
#include <custometrics/retention/purchase_model.hpp>
#include <custometrics/retention/scoring.hpp>
#include <custometrics/retention/units.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

/// The summary columns, the optional ones empty unless given.
summary_columns cols(std::span<const double> x, std::span<const double> tx,
                     std::span<const double> T, std::span<const double> m = {},
                     std::span<const std::int64_t> first = {}) {
    return summary_columns{x, tx, T, m, first, {}};
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

std::string message_of(const auto& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

// lifetimes 0.11.3 values of test_retention_clv.cpp (CDNOW parameters, weeks).
const bg_nbd_params bg{0.243, 4.414, 0.793, 2.426};
const gamma_gamma_params gg{6.25, 3.74, 15.44};
const std::vector<double> xs{2, 1, 0, 5, 40};
const std::vector<double> txs{30.43, 1.71, 0, 20, 30};
const std::vector<double> Ts{38.86, 38.86, 38.86, 38, 38.86};
const std::vector<double> ms{22.35, 11.77, 0, 40, 15};

} // namespace

TEST_CASE("units: conversions by hand") {
    const summary_units days = parse_summary_units("days");
    const summary_units weeks = parse_summary_units("W");
    const summary_units hours = parse_summary_units("hours");
    CHECK(periods_per_month(days) == 30.0);
    CHECK(periods_per_month(weeks) == 4.345);
    CHECK(periods_per_month(parse_summary_units("months")) == 1.0);
    CHECK(periods_per_month(hours) == 720.0); // lifetimes' "H": 30 * 24
    CHECK(hours == summary_units{time_unit::days, 1.0 / 24.0});
    // Days divided by 7: 30 / 7 periods a month, a period of 7 days.
    const summary_units days7 = parse_summary_units("days", 7.0);
    CHECK(periods_per_month(days7) == 30.0 / 7.0);
    CHECK(days_per_period(days7) == 7.0);
    // 2.5 weeks = 17.5 days = 1,512,000 s; 1.5 hours = 5,400 s; half a month of 30.4375 days.
    CHECK(seconds_of_periods(2.5, weeks) == 1'512'000);
    CHECK(seconds_of_periods(1.5, hours) == 5'400);
    CHECK(seconds_of_periods(0.5, parse_summary_units("months")) == 1'314'900);
    CHECK(describe(days7) == "days / 7");
    CHECK(describe(weeks) == "weeks");
    try {
        (void)parse_summary_units("fortnights", 1.0, "--time-unit");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "--time-unit: unknown time unit \"fortnights\" (expected hours, days, weeks or "
              "months)");
        CHECK(e.argument() == "--time-unit");
        CHECK(e.value() == "fortnights");
    }
    CHECK_THROWS_AS(parse_summary_units("days", 0.0), invalid_argument);
    CHECK_THROWS_AS(parse_summary_units("days", std::nan("")), invalid_argument);
}

TEST_CASE("fitted_model: JSON read back bit for bit") {
    fitted_model m =
        fitted_purchase_model(bg_nbd_params{0.1 + 0.2, 1.0 / 3.0, 1e-300, 123456789.123456789},
                              summary_units{time_unit::weeks, 1.0 / 7.0});
    fit_statistics s;
    s.std_errors = {std::nextafter(1.0, 2.0), 5e-324, std::numeric_limits<double>::quiet_NaN(),
                    1e15 + 1};
    s.log_likelihood = -9582.429406500268;
    s.n = 2357;
    s.unique_rows = 1016;
    s.report = {true, 37, 45, 2.2250738585072014e-308, "gradient below tolerance \"quoted\""};
    m.fit = s;
    const std::string text = to_json(m);
    const fitted_model back = parse_fitted_model(text, "m.json");
    CHECK(back.model == "bgnbd");
    CHECK(back.names == std::vector<std::string>{"r", "alpha", "a", "b"});
    REQUIRE(back.params.size() == 4);
    for (std::size_t j = 0; j < 4; ++j) {
        CAPTURE(j);
        CHECK(same_bits(back.params[j], m.params[j]));
    }
    REQUIRE(back.fit);
    CHECK(same_bits(back.fit->std_errors[0], s.std_errors[0]));
    CHECK(same_bits(back.fit->std_errors[1], s.std_errors[1]));
    CHECK(std::isnan(back.fit->std_errors[2])); // written null
    CHECK(same_bits(back.fit->std_errors[3], s.std_errors[3]));
    CHECK(same_bits(back.fit->log_likelihood, s.log_likelihood));
    CHECK(back.fit->n == 2357);
    CHECK(back.fit->unique_rows == 1016);
    CHECK(back.fit->report.converged);
    CHECK(back.fit->report.iterations == 37);
    CHECK(back.fit->report.function_evaluations == 45);
    CHECK(same_bits(back.fit->report.gradient_norm, s.report.gradient_norm));
    CHECK(back.fit->report.reason == s.report.reason);
    REQUIRE(back.units);
    CHECK(back.units->unit == time_unit::weeks);
    CHECK(same_bits(back.units->scale, 1.0 / 7.0));
    CHECK(back.version == CUSTOMETRICS_VERSION_STRING);
    CHECK(to_json(back) == text); // and writes the same text again

    // A real fit round-trips too.
    const compressed_summary rows = compress_summary(xs, txs, Ts);
    const fitted_model fitted = fitted_purchase_model(
        purchase_model_kind::bg_nbd, fit_purchase_model(purchase_model_kind::bg_nbd, rows),
        rows.size(), parse_summary_units("weeks"));
    const fitted_model again = parse_fitted_model(to_json(fitted), "fit.json");
    for (std::size_t j = 0; j < 4; ++j) {
        CHECK(same_bits(again.params[j], fitted.params[j]));
        CHECK(same_bits(again.fit->std_errors[j], fitted.fit->std_errors[j]));
    }
    CHECK(same_bits(again.fit->log_likelihood, fitted.fit->log_likelihood));
}

TEST_CASE("fitted_model: the spend model writes gamma and no unit") {
    const spend_sample sample = select_spend_sample(xs, ms);
    const fitted_model g = fitted_spend_model(fit_gamma_gamma(sample), sample);
    const std::string text = to_json(g);
    CHECK(text.find("\"gamma\":") != std::string::npos);
    CHECK(text.find("\"v\":") == std::string::npos);
    CHECK(text.find("time_unit") == std::string::npos);
    CHECK(text.find("\"without_repeat_purchase\":1") != std::string::npos);
    const fitted_model back = parse_fitted_model(text, "gg.json");
    CHECK(back.is_spend_model());
    CHECK(!back.units);
    CHECK(back.fit->without_repeat_purchase == 1);
    for (std::size_t j = 0; j < 3; ++j)
        CHECK(same_bits(back.params[j], g.params[j]));
    const gamma_gamma_params p = spend_params_of(back);
    CHECK(p.v == g.params[2]);
    // "v" is read as well as "gamma"; a flat object with the model from the caller.
    CHECK(spend_params_of(parse_fitted_model(R"({"p": 2, "q": 3, "v": 4})", "f", "gg")).v == 4);
    // Spend models are unit-free: never refused.
    CHECK_NOTHROW(check_same_units(back, parse_summary_units("months")));
}

TEST_CASE("fitted_model: files of today and their errors") {
    // Written before time_unit: the unit is not recorded and any summary is accepted.
    const fitted_model old = parse_fitted_model(
        R"({"model": "bgnbd", "params": {"r": 1, "alpha": 2, "a": 3, "b": 4},
            "std_errors": {"r": 0.1, "alpha": 0.2, "a": 0.3, "b": 0.4}, "log_likelihood": -10,
            "n": 5, "unique_rows": 4, "converged": true, "iterations": 3,
            "function_evaluations": 4, "gradient_norm": 1e-10, "reason": "ok"})",
        "old.json");
    CHECK(!old.units);
    CHECK(old.version.empty());
    CHECK(old.fit->std_errors[3] == 0.4);
    CHECK_NOTHROW(check_same_units(old, parse_summary_units("weeks")));
    const purchase_params p = purchase_params_of(old);
    CHECK(std::get<bg_nbd_params>(p).b == 4);
    // A flat object needs the model from the caller.
    const fitted_model flat =
        parse_fitted_model(R"({"r": 1, "alpha": 1, "s": 1, "beta": 2})", "flat.json", "pareto/nbd");
    CHECK(flat.model == "pnbd");
    CHECK(!flat.fit);
    CHECK(message_of([] {
              (void)parse_fitted_model(R"({"r": 1})", "flat.json");
          }).find("has no \"model\" member") != std::string::npos);
    // The caller's model must agree with the file's.
    CHECK(message_of([] {
              (void)parse_fitted_model(R"({"model": "bgnbd", "params": {}})", "f.json", "pnbd",
                                       "--model");
          }) == "--model: \"pnbd\" differs from the model \"bgnbd\" of f.json");
    CHECK(message_of([] {
              (void)parse_fitted_model(
                  R"({"model": "bgnbd", "params": {"r": 1, "alpha": 1, "a": 1}})", "f.json");
          }).find("params.b") != std::string::npos);
    CHECK_THROWS_AS(
        parse_fitted_model(R"({"model": "bgnbd", "params": {"r": -1, "alpha": 1, "a": 1, "b": 1}})",
                           "f.json"),
        invalid_argument);
    // BG/BB is a model of the JSON form (issue 15): without its parameters the member is named.
    CHECK_THROWS_AS(parse_fitted_model(R"({"model": "bgbb", "params": {}})", "f.json"),
                    parse_error);
    CHECK_THROWS_AS(parse_fitted_model(R"({"model": "bg-nbb", "params": {}})", "f.json"),
                    invalid_argument);
    CHECK_THROWS_AS(purchase_params_of(fitted_spend_model(gg)), invalid_argument);
    CHECK_THROWS_AS(spend_params_of(old), invalid_argument);
}

TEST_CASE("fitted_model: a summary of another unit or scale is refused, naming both") {
    const fitted_model weeks = fitted_purchase_model(bg, parse_summary_units("weeks"));
    CHECK_NOTHROW(check_same_units(weeks, parse_summary_units("weeks")));
    std::string what;
    try {
        check_same_units(weeks, parse_summary_units("days"), "--params");
    } catch (const invalid_argument& e) {
        what = e.what();
        CHECK(e.argument() == "--params");
    }
    CHECK(what.find("fitted on a summary in weeks") != std::string::npos);
    CHECK(what.find("is in days") != std::string::npos);
    // The same unit with another scale is another time axis.
    const fitted_model days7 = fitted_purchase_model(bg, parse_summary_units("days", 7));
    CHECK(message_of([&] {
              check_same_units(days7, parse_summary_units("days"));
          }).find("days / 7") != std::string::npos);
    // And scoring checks it.
    const std::vector<double> x{1}, tx{1}, T{2};
    CHECK_THROWS_AS(
        score_customers(weeks, std::nullopt, cols(x, tx, T), parse_summary_units("days")),
        invalid_argument);
}

TEST_CASE("score_customers: equal to the model functions and lifetimes") {
    // lifetimes 0.11.3 CLV over 12 months at 1% in weeks (test_retention_clv.cpp).
    const double weeks_clv[] = {36.289211125599358, 4.6372946597471936, 8.3690043589201846,
                                56.466626763806318, 2.5871608120693081};
    const summary_units weeks = parse_summary_units("weeks");
    score_options o;
    o.horizon = 52;
    const customer_scores s = score_customers(
        fitted_purchase_model(bg, weeks), fitted_spend_model(gg), cols(xs, txs, Ts, ms), weeks, o);
    REQUIRE(s.size() == 5);
    CHECK(s.with_spend);
    CHECK(s.model == purchase_model_kind::bg_nbd);
    clv_options co;
    co.periods_per_month = 4.345;
    const std::vector<double> clv = customer_lifetime_value(bg, gg, xs, txs, Ts, ms, co);
    double alive = 0, expected = 0, total = 0;
    std::size_t at_risk = 0;
    for (std::size_t i = 0; i < 5; ++i) {
        CAPTURE(i);
        // The old CLI's numbers: the same functions, bit for bit.
        CHECK(same_bits(s.p_alive[i], p_alive(bg, xs[i], txs[i], Ts[i])));
        CHECK(same_bits(s.expected_purchases[i],
                        conditional_expected_purchases(bg, 52, xs[i], txs[i], Ts[i])));
        CHECK(same_bits(s.expected_spend[i], conditional_expected_average_spend(gg, xs[i], ms[i])));
        CHECK(same_bits(s.clv[i], clv[i]));
        CHECK(std::abs(s.clv[i] - weeks_clv[i]) < 1e-10 * weeks_clv[i]);
        CHECK(same_bits(s.next_purchase_wait[i], next_purchase_time(bg, xs[i], txs[i], Ts[i])));
        CHECK(s.analysis_date[i] == no_time); // no date given, no first purchase
        CHECK(s.next_purchase_date[i] == no_time);
        alive += s.p_alive[i];
        expected += s.expected_purchases[i];
        total += s.clv[i];
        at_risk += s.p_alive[i] < 0.5 ? 1 : 0;
    }
    // Published: P(alive) 0.7266 and 1.5587 purchases in 52 weeks for (2, 30.43, 38.86).
    CHECK(std::abs(s.p_alive[0] - 0.7266) < 5e-5);
    CHECK(std::abs(s.expected_purchases[0] - 1.5587) < 5e-5);
    CHECK(same_bits(s.expected_alive, alive));
    CHECK(same_bits(s.total_expected_purchases, expected));
    CHECK(same_bits(s.clv_total, total));
    CHECK(s.at_risk == at_risk);
    // Without a spend model: no spend, no CLV.
    const customer_scores plain =
        score_customers(fitted_purchase_model(bg), std::nullopt, cols(xs, txs, Ts), weeks);
    CHECK(!plain.with_spend);
    CHECK(plain.clv.empty());
    CHECK(plain.clv_total == 0);
    CHECK_THROWS_AS(score_customers(fitted_purchase_model(bg), fitted_spend_model(gg),
                                    cols(xs, txs, Ts), weeks),
                    invalid_argument); // no monetary values
    o.horizon = -1;
    CHECK_THROWS_AS(
        score_customers(fitted_purchase_model(bg), std::nullopt, cols(xs, txs, Ts), weeks, o),
        invalid_argument);
    const std::vector<double> bad_tx{30.43, 1.71, 0, 50, 30}; // 50 > T = 38
    try {
        (void)score_customers(fitted_purchase_model(bg), std::nullopt, cols(xs, bad_tx, Ts), weeks);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.row() == 3);
    }
}

TEST_CASE("score_customers: next purchase dates by hand") {
    // BG/NBD r = alpha = a = b = 1. P (x 1, t_x 1, T 2): P(alive) = 1 / (1 + 1.5^2) = 4/13;
    // median wait (alpha + T)(2^(1/(r + x)) - 1) = 3 (sqrt 2 - 1) = 1.2426 periods; Q (x 0,
    // T 2): P(alive) 1, wait 3 (2 - 1) = 3. Gamma-Gamma (2, 3, 4): P 0.5 * 10 + 0.5 * 4 = 7, Q 4.
    const fitted_model model = fitted_purchase_model(bg_nbd_params{1, 1, 1, 1});
    const fitted_model spend = fitted_spend_model(gamma_gamma_params{2, 3, 4});
    const std::vector<double> x{1, 0}, tx{1, 0}, T{2, 2}, m{10, 0};
    const std::int64_t as_of = parse_time_or_throw("2024-01-10", "as_of");
    score_options o;
    o.analysis_date = as_of;
    const customer_scores days =
        score_customers(model, spend, cols(x, tx, T, m), parse_summary_units("days"), o);
    CHECK(days.p_alive[0] == doctest::Approx(4.0 / 13.0).epsilon(1e-14));
    CHECK(days.p_alive[1] == 1.0);
    CHECK(days.expected_spend[0] == doctest::Approx(7.0).epsilon(1e-14));
    CHECK(days.expected_spend[1] == doctest::Approx(4.0).epsilon(1e-14));
    CHECK(days.next_purchase_wait[0] == doctest::Approx(3 * (std::sqrt(2.0) - 1)).epsilon(1e-14));
    CHECK(days.next_purchase_wait[1] == doctest::Approx(3.0).epsilon(1e-14));
    // 1.24264 days = 107,364.155 s -> 107,364 s after midnight: 2024-01-11T05:49:24.
    CHECK(days.next_purchase_date[0] == as_of + 107'364);
    CHECK(format_time(days.next_purchase_date[0]) == "2024-01-11T05:49:24");
    CHECK(format_date(days.next_purchase_date[1]) == "2024-01-13");
    // In weeks the same waits are 7 times longer: 8.698 days (751,549.09 s) and 21 days.
    const customer_scores weeks =
        score_customers(model, spend, cols(x, tx, T, m), parse_summary_units("weeks"), o);
    CHECK(weeks.next_purchase_date[0] == as_of + 751'549);
    CHECK(format_date(weeks.next_purchase_date[1]) == "2024-01-31");
    // Without an analysis date: each customer's first purchase + T (2 days after 01-08).
    const std::vector<std::int64_t> first{parse_time_or_throw("2024-01-08", "f"), no_time};
    const customer_scores fallback =
        score_customers(model, spend, cols(x, tx, T, m, first), parse_summary_units("days"));
    CHECK(fallback.analysis_date[0] == as_of);
    CHECK(fallback.next_purchase_date[0] == as_of + 107'364);
    CHECK(fallback.analysis_date[1] == no_time);
    CHECK(fallback.next_purchase_date[1] == no_time);
}

TEST_CASE("time_after: saturating spans, dates only in the years 1..9999") {
    const summary_units days = parse_summary_units("days");
    const double inf = std::numeric_limits<double>::infinity();
    constexpr std::int64_t largest = std::numeric_limits<std::int64_t>::max();
    CHECK(seconds_of_periods(inf, days) == largest);
    CHECK(seconds_of_periods(-inf, days) == -largest);
    CHECK(seconds_of_periods(1e300, days) == largest);
    CHECK(seconds_of_periods(std::nan(""), days) == 0);
    const std::int64_t y1900 = parse_time_or_throw("1900-01-01", "t");
    CHECK(time_after(y1900, 1.0, days) == y1900 + seconds_per_day);
    CHECK(time_after(y1900, inf, days) == no_time);
    CHECK(time_after(y1900, 1e300, days) == no_time);
    CHECK(time_after(no_time, 1.0, days) == no_time);
    // 9999-12-31 is the last day written; the next is not a date the tool reads back.
    const std::int64_t last = parse_time_or_throw("9999-12-31", "t");
    CHECK(time_after(last - seconds_per_day, 1.0, days) == last);
    CHECK(time_after(last, 1.0, days) == no_time);
    CHECK(time_after(min_supported_time, -1e-5, days) == no_time); // 0.864 s before year 1
    CHECK(time_after(largest - 5, 1.0, days) == no_time);
}

TEST_CASE("score_customers: a wait beyond 9999 has no date, also from a date before 1970") {
    // BG/NBD r = a = b = 1, alpha 1e7 days: Q (x 0, T 2) waits (alpha + 2)(2 - 1) days, about
    // 27,000 years; alpha 1e18 makes the wait's seconds overflow an int64 (8.6e22), which
    // llround did not survive before time_after.
    const std::vector<double> x{0}, tx{0}, T{2}, m{0};
    score_options o;
    o.analysis_date = parse_time_or_throw("1900-01-01", "as_of");
    for (const double alpha : {1e7, 1e18}) {
        const customer_scores s = score_customers(fitted_purchase_model(bg_nbd_params{1, alpha, 1, 1}),
                                                  std::nullopt, cols(x, tx, T, m),
                                                  parse_summary_units("days"), o);
        CHECK(s.next_purchase_wait[0] == doctest::Approx(alpha + 2).epsilon(1e-12));
        CHECK(s.analysis_date[0] == *o.analysis_date);
        CHECK(s.next_purchase_date[0] == no_time);
    }
}

TEST_CASE("contact_list: the window and lead time in days") {
    const fitted_model model = fitted_purchase_model(bg_nbd_params{1, 1, 1, 1});
    const fitted_model spend = fitted_spend_model(gamma_gamma_params{2, 3, 4});
    const std::vector<double> x{1, 0}, tx{1, 0}, T{2, 2}, m{10, 0};
    score_options o;
    o.analysis_date = parse_time_or_throw("2024-01-10", "as_of");
    // Days: within 2 days lists P (1.24 days), not Q (3 days); the call 14 days before falls
    // before the analysis date, so on it.
    const customer_scores days =
        score_customers(model, spend, cols(x, tx, T, m), parse_summary_units("days"), o);
    contact_days cd;
    cd.within_days = 2;
    const contact_plan p = contact_list(days, cd);
    REQUIRE(p.contacts.size() == 1);
    CHECK(p.customers == 2);
    CHECK(p.contacts[0].customer == 0);
    CHECK(p.contacts[0].call_at == 0.0);
    CHECK(format_date(p.contacts[0].call_date) == "2024-01-10");
    CHECK(format_date(p.contacts[0].next_purchase_date) == "2024-01-11");
    CHECK(p.value_at_risk == days.clv[0]);
    // Equal to the template of clv.hpp in days.
    contact_options co;
    co.window_end = 2;
    const std::vector<contact> t = contact_list(bg_nbd_params{1, 1, 1, 1}, x, tx, T, days.clv, co);
    REQUIRE(t.size() == 1);
    CHECK(same_bits(t[0].next_purchase, p.contacts[0].next_purchase));
    CHECK(same_bits(t[0].p_alive, p.contacts[0].p_alive));
    // Weeks: P waits 1.2426 weeks = 8.70 days, Q 3 weeks = 21 days. Within 10 days lists P
    // only; a lead of 7 days (1 week) calls 0.2426 weeks = 1.70 days after the analysis date.
    const customer_scores weeks =
        score_customers(model, spend, cols(x, tx, T, m), parse_summary_units("weeks"), o);
    cd.within_days = 10;
    cd.lead_days = 7;
    const contact_plan w = contact_list(weeks, cd);
    REQUIRE(w.contacts.size() == 1);
    CHECK(w.window_periods == doctest::Approx(10.0 / 7.0));
    CHECK(w.lead_periods == 1.0);
    CHECK(w.contacts[0].call_at == doctest::Approx(3 * (std::sqrt(2.0) - 1) - 1).epsilon(1e-14));
    CHECK(format_date(w.contacts[0].call_date) == "2024-01-11");
    CHECK(format_date(w.contacts[0].next_purchase_date) == "2024-01-18");
    // Within 30 days lists both, ranked by CLV (P's spend 7 and P(alive) 4/13 against Q's 4
    // and 1); top 1 keeps the first.
    cd.within_days = 30;
    const contact_plan both = contact_list(weeks, cd);
    REQUIRE(both.contacts.size() == 2);
    CHECK(both.contacts[0].clv >= both.contacts[1].clv);
    cd.top = 1;
    CHECK(contact_list(weeks, cd).contacts.size() == 1);
    cd.within_days = 0;
    CHECK_THROWS_AS(contact_list(weeks, cd), invalid_argument);
    cd.within_days = 10;
    cd.lead_days = -1;
    CHECK_THROWS_AS(contact_list(weeks, cd), invalid_argument);
    const customer_scores no_spend =
        score_customers(model, std::nullopt, cols(x, tx, T), parse_summary_units("days"), o);
    CHECK_THROWS_AS(contact_list(no_spend, contact_days{}), invalid_argument);
}

TEST_CASE("check_score_request: the checks of score_customers alone, with its errors") {
    const fitted_model model = fitted_purchase_model(bg_nbd_params{1, 1, 1, 1});
    const fitted_model spend = fitted_spend_model(gamma_gamma_params{2, 3, 4});
    const summary_units days = parse_summary_units("days");
    // The error of each refused request, from the check and from the scoring: the same type,
    // message and fields.
    const auto same_error = [&](const summary_columns& c, const score_options& o,
                                std::string_view argument, std::optional<std::size_t> row) {
        std::string checked, scored;
        try {
            check_score_request(model, spend, c, days, o);
        } catch (const error& e) {
            checked = e.what();
            CHECK(e.context().argument == argument);
            CHECK(e.context().row == row);
        }
        try {
            (void)score_customers(model, spend, c, days, o);
        } catch (const error& e) {
            scored = e.what();
        }
        CHECK(!checked.empty());
        CHECK(checked == scored);
    };
    const std::vector<double> x{1, 2, 0}, tx{1, 3, 0}, T{2, 2, 2}, m{10, 5, 0};
    // Row 1: recency 3 above T 2.
    same_error(cols(x, tx, T, m), {}, "recency", 1);
    // Row 0: a repeat buyer spending 0.
    const std::vector<double> tx_ok{1, 1, 0}, m_zero{0, 5, 0};
    same_error(cols(x, tx_ok, T, m_zero), {}, "monetary", 0);
    // The options, with an empty summary (no monetary column needed): months 0, a discount
    // rate of -1 (-100% a month), a negative horizon.
    score_options o;
    o.clv_months = 0;
    same_error(summary_columns{}, o, "months", std::nullopt);
    o = {};
    o.discount_rate = -1;
    same_error(summary_columns{}, o, "discount_rate", std::nullopt);
    o = {};
    o.horizon = -1;
    same_error(summary_columns{}, o, "horizon", std::nullopt);
    // The wait's quantile: checked with the options, so Spark's driver check refuses it too.
    for (const double q : {0.0, 1.0, std::nan("")}) {
        o = {};
        o.probability = q;
        same_error(summary_columns{}, o, "probability", std::nullopt);
        same_error(cols(x, tx_ok, T, m), o, "probability", std::nullopt);
    }
    // A request score_customers takes passes: the check computes nothing and throws nothing.
    CHECK_NOTHROW(check_score_request(model, spend, cols(x, tx_ok, T, m), days, {}));
    CHECK_NOTHROW(check_score_request(model, spend, summary_columns{}, days, {}));
    // Months 0 without a spend model: refused as well (the CLV horizon is an option of every
    // scoring), where it used to pass unnoticed.
    o = {};
    o.clv_months = 0;
    CHECK_THROWS_AS(check_score_request(model, std::nullopt, summary_columns{}, days, o),
                    invalid_argument);
}

TEST_CASE("contact_list: its option checks alone, and the plan as columns") {
    CHECK_NOTHROW(check_contact_days(contact_days{}));
    for (const double w : {0.0, -1.0, std::nan("")}) {
        contact_days cd;
        cd.within_days = w;
        CHECK(message_of([&] { check_contact_days(cd); }).starts_with("within_days: must be > 0"));
    }
    contact_days lead;
    lead.lead_days = -0.5;
    CHECK(message_of([&] { check_contact_days(lead); }) == "lead_days: must be >= 0, got -0.5");
    // The columns hold the entries, field by field, in the list's order.
    const fitted_model model = fitted_purchase_model(bg_nbd_params{1, 1, 1, 1});
    const fitted_model spend = fitted_spend_model(gamma_gamma_params{2, 3, 4});
    const std::vector<double> x{1, 0}, tx{1, 0}, T{2, 2}, m{10, 0};
    score_options o;
    o.analysis_date = parse_time_or_throw("2024-01-10", "as_of");
    const customer_scores weeks =
        score_customers(model, spend, cols(x, tx, T, m), parse_summary_units("weeks"), o);
    const std::vector<std::int64_t> rhythm{parse_time_or_throw("2024-01-13", "r"), no_time};
    const contact_plan p =
        contact_list(weeks, contact_days{30, 14, 0, contact_timing::rhythm}, rhythm);
    REQUIRE(p.contacts.size() == 2);
    const contact_columns c = columns_of(p);
    REQUIRE(c.customer.size() == 2);
    for (std::size_t k = 0; k < 2; ++k) {
        const contact_entry& e = p.contacts[k];
        CHECK(c.customer[k] == e.customer);
        CHECK(same_bits(c.next_purchase[k], e.next_purchase));
        CHECK(same_bits(c.call_at[k], e.call_at));
        CHECK(same_bits(c.p_alive[k], e.p_alive));
        CHECK(same_bits(c.clv[k], e.clv));
        CHECK(c.call_date[k] == e.call_date);
        CHECK(c.next_purchase_date[k] == e.next_purchase_date);
        CHECK(c.timing[k] == to_string(e.timing));
        CHECK(c.rhythm_date[k] == e.rhythm_date);
        CHECK(c.due_days[k] == e.due_days);
    }
    // Customer 0 is timed by its rhythm (due in 3 days), customer 1 by the model.
    const std::size_t first = c.customer[0] == 0 ? 0 : 1;
    CHECK(c.timing[first] == "rhythm");
    CHECK(c.due_days[first] == 3.0);
    CHECK(c.timing[1 - first] == "model");
    CHECK(!c.due_days[1 - first]);
    CHECK(columns_of(contact_plan{}).customer.empty());
}

TEST_CASE("spend sample: repeat buyers with a positive spend, the rest counted") {
    // x: 0, 2, 3, 1, 0, 4; m: 0, 10, -5, 0, 7, 12. Kept: positions 1 (2, 10) and 5 (4, 12);
    // without a repeat purchase: 0 and 4; with a mean repeat spend <= 0: 2 and 3.
    const std::vector<double> x{0, 2, 3, 1, 0, 4}, m{0, 10, -5, 0, 7, 12}, w{1, 2, 3, 4, 5, 6};
    const spend_sample s = select_spend_sample(x, m, w);
    CHECK(s.customers == std::vector<std::size_t>{1, 5});
    CHECK(s.frequency == std::vector<double>{2, 4});
    CHECK(s.monetary == std::vector<double>{10, 12});
    CHECK(s.weights == std::vector<double>{2, 6});
    CHECK(s.without_repeat_purchase == 2);
    CHECK(s.without_positive_spend == 2);
    CHECK(s.left_out() == 4);
    CHECK(select_spend_sample(x, m).weights.empty());
    // NaN or negative frequency, NaN spend: errors naming the customer.
    const std::vector<double> bad{0, std::nan("")};
    try {
        (void)select_spend_sample(std::vector<double>{1, 2}, bad);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.row() == 1);
        CHECK(e.argument() == "monetary");
    }
    CHECK_THROWS_AS(select_spend_sample(std::vector<double>{-1}, std::vector<double>{1}),
                    data_error);
    // An empty sample: the fit says why.
    const spend_sample none =
        select_spend_sample(std::vector<double>{0, 1}, std::vector<double>{0, 0});
    CHECK(message_of([&] {
              (void)fit_gamma_gamma(none);
          }).find("(1 without a repeat purchase, 1 with a mean repeat spend <= 0)") !=
          std::string::npos);
}

TEST_CASE("fitted_model: the covariance in the JSON form, and files without it") {
    const compressed_summary rows = compress_summary(xs, txs, Ts);
    const fit_result r = fit_purchase_model(purchase_model_kind::bg_nbd, rows);
    const fitted_model fitted = fitted_purchase_model(purchase_model_kind::bg_nbd, r, rows.size(),
                                                      parse_summary_units("weeks"));
    REQUIRE(fitted.has_covariance());
    const std::string text = to_json(fitted);
    CHECK(text.find("\"covariance\":[[") != std::string::npos);
    const fitted_model back = parse_fitted_model(text, "fit.json");
    REQUIRE(back.has_covariance());
    const Eigen::MatrixXd& c = covariance_of(back, "--params", "fit.json");
    for (Eigen::Index i = 0; i < 4; ++i)
        for (Eigen::Index j = 0; j < 4; ++j)
            CHECK(same_bits(c(i, j), r.covariance(i, j)));
    // The diagonal is the square of the standard errors the same file holds.
    for (Eigen::Index j = 0; j < 4; ++j)
        CHECK(std::sqrt(c(j, j)) ==
              doctest::Approx(back.fit->std_errors[static_cast<std::size_t>(j)]).epsilon(1e-12));
    CHECK(to_json(back) == text);

    // A file of 0.1.0 (no covariance) still reads; only the intervals refuse it, naming it.
    const fitted_model old = parse_fitted_model(
        R"({"model": "bgnbd", "params": {"r": 1, "alpha": 2, "a": 3, "b": 4},
            "std_errors": {"r": 0.1, "alpha": 0.2, "a": 0.3, "b": 0.4}, "log_likelihood": -10})",
        "old.json");
    CHECK(!old.has_covariance());
    CHECK(to_json(old).find("covariance") == std::string::npos);
    try {
        (void)covariance_of(old, "--params", "old.json");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--params");
        CHECK(e.value() == "old.json");
        CHECK(std::string(e.what()).starts_with("--params: old.json records no parameter "
                                                "covariance"));
    }
    CHECK_THROWS_AS((void)covariance_of(fitted_purchase_model(bg)), invalid_argument);
    // A covariance of the wrong shape is named by its member.
    CHECK_THROWS_AS(
        parse_fitted_model(R"({"model": "bgnbd", "params": {"r": 1, "alpha": 2, "a": 3, "b": 4},
            "log_likelihood": -10, "covariance": [[1, 0], [0, 1]]})",
                           "bad.json"),
        parse_error);
}

TEST_CASE("fitted_model: BG/BB in the JSON form") {
    // FHS 2010's estimates as given parameters: no units, no fit.
    const fitted_model given = fitted_bg_bb_model(bg_bb_params{1.204, 0.750, 0.657, 2.783});
    CHECK(given.is_bg_bb());
    CHECK(to_json(given).find("time_unit") == std::string::npos);
    const fitted_model back = parse_fitted_model(to_json(given), "bb.json");
    CHECK(back.model == "bgbb");
    CHECK(bg_bb_params_of(back).delta == 2.783);
    // Names as lifetimes and the literature spell them; a flat object with the caller's model.
    CHECK(bg_bb_params_of(parse_fitted_model(R"({"alpha": 1, "beta": 2, "gamma": 3, "delta": 4})",
                                             "f", "BG/BB"))
              .gamma == 3);
    // Not a purchase model of continuous time: scoring it as one is refused, naming the argument.
    try {
        (void)purchase_kind_of(back, "--params");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--params");
        CHECK(std::string(e.what()).find("BG/BB") != std::string::npos);
    }
    CHECK_THROWS_AS((void)bg_bb_params_of(fitted_purchase_model(bg)), invalid_argument);
    CHECK_THROWS_AS(parse_fitted_model(R"({"model": "bgbb", "params": {"alpha": 1, "beta": 2,
                                           "gamma": 0, "delta": 4}})",
                                       "f.json"),
                    invalid_argument);
}

TEST_CASE("score_customers: a BG/BB model against lifetimes, totals weighted by the patterns") {
    // lifetimes 0.11.3 BetaGeoBetaBinomFitter at FHS's estimates: P(alive at n + 1) =
    // conditional_probability_alive(1, ...), E[X(n, n + 5)] =
    // conditional_expected_number_of_purchases_up_to_time(5, ...); DERT(0.1) by FHS eq. 14 with
    // scipy's hyp2f1 (the closed form of tests/reference/bg_bb_reference.py; lifetimes has no
    // DERT). Rerun: the three patterns through those calls agree with these to 1e-13.
    const fitted_model bb = fitted_bg_bb_model(bg_bb_params{1.204, 0.750, 0.657, 2.783});
    const std::vector<double> x{0, 3, 6}, tx{0, 4, 6}, n{6, 6, 6}, w{3464, 181, 1203};
    const double alive[] = {0.10801658416867378, 0.43946285705567345, 0.93040254237287201};
    const double next5[] = {0.072802877475043451, 1.0342284984209189, 3.7521156075998192};
    const double dert10[] = {0.11464699618176362, 1.6286607730608185, 5.9086783195553672};
    score_options o;
    o.horizon = 5;
    o.discount_rate = 0.1;
    summary_columns c{x, tx, n, {}, {}, w};
    const customer_scores s = score_customers(bb, std::nullopt, c, summary_units{}, o);
    CHECK(s.bg_bb);
    CHECK_FALSE(s.with_spend);
    REQUIRE(s.size() == 3);
    double want_alive = 0, want_next = 0, want_dert = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        CHECK(s.p_alive[i] == doctest::Approx(alive[i]).epsilon(1e-9));
        CHECK(s.expected_purchases[i] == doctest::Approx(next5[i]).epsilon(1e-9));
        CHECK(s.dert[i] == doctest::Approx(dert10[i]).epsilon(1e-9));
        CHECK(std::isnan(s.next_purchase_wait[i]));
        CHECK(s.next_purchase_date[i] == no_time);
        want_alive += w[i] * alive[i];
        want_next += w[i] * next5[i];
        want_dert += w[i] * dert10[i];
    }
    // Weighted totals: 3464 * 0.1080 + 181 * 0.4395 + 1203 * 0.9304 = 1572.99 expected alive;
    // P(alive) < 0.5 for the first two patterns, 3464 + 181 = 3645 donors at risk.
    CHECK(s.expected_alive == doctest::Approx(want_alive).epsilon(1e-12));
    CHECK(s.expected_alive == doctest::Approx(1572.9865).epsilon(1e-6));
    CHECK(s.total_expected_purchases == doctest::Approx(want_next).epsilon(1e-12));
    CHECK(s.dert_total == doctest::Approx(want_dert).epsilon(1e-12));
    CHECK(s.at_risk == 3645);
    CHECK(s.customers == 3464 + 181 + 1203); // the rows stand for 4,848 donors
    CHECK(s.horizon == 5);
    CHECK(s.discount_rate == 0.1);
    // Without weights each row counts once.
    c.weights = {};
    CHECK(score_customers(bb, std::nullopt, c, summary_units{}, o).at_risk == 2);
    CHECK(score_customers(bb, std::nullopt, c, summary_units{}, o).customers == 3);
}

TEST_CASE("check_score_request: what a BG/BB model cannot honour, and weights elsewhere") {
    const fitted_model bb = fitted_bg_bb_model(bg_bb_params{1.204, 0.750, 0.657, 2.783});
    const fitted_model gg = fitted_spend_model(gamma_gamma_params{6.25, 3.74, 15.44});
    const std::vector<double> x{0, 3, 6}, tx{0, 4, 6}, n{6, 6, 6}, w{3464, 181, 1203};
    const summary_columns c{x, tx, n, {}, {}, w};
    // The argument of the check's error; the scoring throws the same.
    const auto refused = [&](const fitted_model& m, const std::optional<fitted_model>& spend,
                             const summary_columns& cols, const score_options& o) {
        std::string checked = "no error", scored = "no error";
        try {
            check_score_request(m, spend, cols, summary_units{}, o);
        } catch (const error& e) {
            checked = e.context().argument;
        }
        try {
            (void)score_customers(m, spend, cols, summary_units{}, o);
        } catch (const error& e) {
            scored = e.context().argument;
        }
        CHECK(checked == scored);
        return checked;
    };
    score_options o;
    CHECK(refused(bb, std::nullopt, c, o) == "no error");
    CHECK(refused(bb, gg, c, o) == "spend"); // no lifetime value: DERT is the dert column
    o.contacts = true;                       // no calendar to time a call by
    CHECK(refused(bb, std::nullopt, c, o) == "model");
    CHECK(refused(bb, std::nullopt, summary_columns{}, o) == "model"); // before any customer
    o = {};
    o.horizon = 2.5; // opportunities are whole
    CHECK(refused(bb, std::nullopt, c, o) == "horizon");
    o.horizon = 5;
    o.discount_rate = -0.5;
    CHECK(refused(bb, std::nullopt, c, o) == "discount_rate");
    // 0: DERT undiscounted sums E[transactions at n + t] ~ t^-gamma, infinite for gamma 0.657.
    o.discount_rate = 0;
    CHECK(refused(bb, std::nullopt, c, o) == "discount_rate");
    CHECK(refused(fitted_bg_bb_model(bg_bb_params{1.204, 0.750, 1.5, 2.783}), std::nullopt, c, o) ==
          "no error");
    // Between 0 and 1e-4 the series would need millions of terms per customer (about 38 / rate):
    // refused before any customer; 1e-4 itself is scored.
    o.discount_rate = 5e-5;
    CHECK(refused(bb, std::nullopt, c, o) == "discount_rate");
    CHECK(refused(bb, std::nullopt, summary_columns{}, o) == "discount_rate");
    o.discount_rate = 1e-4;
    CHECK(refused(bb, std::nullopt, c, o) == "no error");
    o = {};
    // Prediction intervals are not derived for BG/BB: refused with the request, before any
    // customer (the CLI's --interval, issue 15), where summary_intervals used to refuse them
    // after the scores; a continuous-time model takes the request.
    o.intervals = true;
    CHECK(refused(bb, std::nullopt, c, o) == "interval");
    CHECK(refused(bb, std::nullopt, summary_columns{}, o) == "interval");
    CHECK_THROWS_WITH_AS(check_score_models(bb, std::nullopt, o),
                         doctest::Contains("interval: prediction intervals are not derived for "
                                           "a BG/BB model"),
                         invalid_argument);
    o = {};
    // A pattern that is not one of whole numbers, or a negative weight, is the row's data_error.
    const std::vector<double> tx_half{0, 4.5, 6}, w_neg{1, -1, 1};
    CHECK(refused(bb, std::nullopt, summary_columns{x, tx_half, n, {}, {}, w}, o) == "recency");
    CHECK(refused(bb, std::nullopt, summary_columns{x, tx, n, {}, {}, w_neg}, o) == "weights");
    // A continuous-time model scores one row per customer: it refuses weights, naming them.
    const fitted_model bg = fitted_purchase_model(bg_nbd_params{0.243, 4.414, 0.793, 2.426});
    CHECK(refused(bg, std::nullopt, c, o) == "weights");
    CHECK(refused(bg, std::nullopt, summary_columns{x, tx, n, {}, {}, {}}, o) == "no error");
    o.intervals = true;
    CHECK(refused(bg, std::nullopt, summary_columns{x, tx, n, {}, {}, {}}, o) == "no error");
    o = {};
    o.contacts = true; // a contact list is ranked by lifetime value: no spend model, refused
    CHECK(refused(bg, std::nullopt, summary_columns{x, tx, n, {}, {}, {}}, o) == "spend");
    o = {};
    // Contacts: BG/BB scores have no lifetime value, and contact_list (the one place of that
    // rule) refuses scores without one, naming "spend".
    const auto contact_argument = [](const customer_scores& s) -> std::string {
        try {
            (void)contact_list(s);
        } catch (const invalid_argument& e) {
            return e.argument();
        }
        return "no error";
    };
    CHECK(contact_argument(score_customers(bb, std::nullopt, c, summary_units{}, o)) == "spend");
    CHECK(contact_argument(score_customers(bg, std::nullopt, summary_columns{x, tx, n, {}, {}, {}},
                                           summary_units{}, o)) == "spend");
}

TEST_CASE("covariate_customer_params: the covariate rules of every face's scores") {
    // Pareto/NBD with a numeric and a categorical covariate on the lifetime: customer "b"
    // (Gender 1, Channel web) has beta_b = beta exp(-(0.5 * 1 - 0.25 * 1)) by hand; "a" is the
    // reference group (0, shop) with the base parameters exactly.
    fitted_model m = fitted_purchase_model(pareto_nbd_params{0.5, 10, 0.8, 12});
    covariate_coefficients c;
    c.life_names = {"Gender", "Channel=web"};
    c.life = {0.5, -0.25};
    c.reference_levels = {{"Channel", "shop"}};
    m.covariates = c;
    const covariate_table t{{"a", "b"}, {{"Gender", {0, 1}, {}}, {"Channel", {}, {"shop", "web"}}}};
    const std::vector<std::string> keys{"b", "a"}; // the summary's order, not the table's
    const std::vector<purchase_params> per = covariate_customer_params(m, &t, keys);
    REQUIRE(per.size() == 2);
    CHECK(std::get<pareto_nbd_params>(per[0]).beta ==
          doctest::Approx(12 * std::exp(-0.25)).epsilon(1e-15));
    CHECK(std::get<pareto_nbd_params>(per[0]).alpha == 10); // no trans covariate
    CHECK(std::get<pareto_nbd_params>(per[1]).beta == 12);
    // The table and the model go together, or neither: "covariates", the model named by the
    // caller's argument (the CLI's --params).
    const auto argument = [&](const fitted_model& model, const covariate_table* table) {
        try {
            (void)covariate_customer_params(model, table, keys, "--params", "--covariates");
        } catch (const invalid_argument& e) {
            CHECK(std::string(e.what()).find("model of --params was fitted with") !=
                  std::string::npos);
            return e.argument();
        }
        return std::string("no error");
    };
    const fitted_model plain = fitted_purchase_model(pareto_nbd_params{0.5, 10, 0.8, 12});
    CHECK(argument(m, nullptr) == "--covariates");
    CHECK(argument(plain, &t) == "--covariates");
    CHECK(argument(plain, nullptr) == "no error");
    CHECK(covariate_customer_params(plain, nullptr, keys).empty());
    // A customer without a covariate row: the data_error naming the key.
    const std::vector<std::string> missing{"a", "c"};
    try {
        (void)covariate_customer_params(m, &t, missing);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.key() == "c");
        CHECK(e.argument() == "covariates");
    }
    // No customers (a driver's check before any row): the table's columns against the model
    // alone, and the scores' check passes without per-customer parameters.
    const covariate_table no_channel{{}, {{"Gender", std::vector<double>{}, {}}}};
    CHECK_THROWS_AS((void)covariate_customer_params(m, &no_channel, {}), invalid_argument);
    const covariate_table empty{{}, {{"Gender", {}, {}}, {"Channel", {}, {}}}};
    CHECK(covariate_customer_params(m, &empty, {}).empty());
    check_score_request(m, std::nullopt, summary_columns{}, summary_units{});
    // With customers the scores need them (check_score_request's own rule).
    const std::vector<double> x{1, 0}, tx{2, 0}, T{5, 5};
    CHECK_THROWS_AS(check_score_request(m, std::nullopt, summary_columns{x, tx, T, {}, {}, {}},
                                        summary_units{}),
                    invalid_argument);
    const customer_scores s = score_customers(
        m, std::nullopt, summary_columns{x, tx, T, {}, {}, {}}, summary_units{}, {}, per);
    CHECK(s.p_alive[1] ==
          doctest::Approx(p_alive(pareto_nbd_params{0.5, 10, 0.8, 12}, 0.0, 0.0, 5.0))
              .epsilon(1e-15));
}
