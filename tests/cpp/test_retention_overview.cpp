// Tests of retention/overview.hpp: the report's retention section on the generated sample
// (the numbers `custometrics report --format json` printed before the overview moved into the
// core, captured from the CLI at commit 989b57b), the customers left out, the spend policy's
// edge cases and bad options.
#include <custometrics/csv.hpp>
#include <custometrics/error.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/retention.hpp>
#include <custometrics/summary.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace custometrics;

namespace {

// The generated sample of `custometrics report` (10,000 customers, seed 42), summarised in
// days as the report does.
struct sample {
    generated_log log = generate_transactions({});
    customer_summary summary;
    sample() {
        summary_options o;
        o.unit = time_unit::days;
        summary = summarize(log.log.view(), o);
    }
};

const sample& the_sample() {
    static const sample s;
    return s;
}

} // namespace

TEST_CASE("retention_overview: the report's numbers on the generated sample") {
    const sample& s = the_sample();
    const retention_overview_result r = retention_overview(s.summary);
    // `custometrics report --format json` before the move (retention section, commit 989b57b).
    CHECK(r.customers == 10000);
    CHECK(r.too_new == 0);
    CHECK(r.at_risk == 2551);
    REQUIRE(r.purchase.params.size() == 4);
    CHECK(r.purchase.params[0] == doctest::Approx(0.2389413419434957).epsilon(1e-12));
    CHECK(r.purchase.params[1] == doctest::Approx(31.907507235499235).epsilon(1e-12));
    CHECK(r.purchase.params[2] == doctest::Approx(0.7829943138153462).epsilon(1e-12));
    CHECK(r.purchase.params[3] == doctest::Approx(2.4249394880758093).epsilon(1e-12));
    CHECK(r.purchase.log_likelihood == doctest::Approx(-106535.66167745266).epsilon(1e-12));
    CHECK(r.purchase.report.converged);
    CHECK(r.expected_alive == doctest::Approx(7302.661586136928).epsilon(1e-12));
    CHECK(r.at_risk_revenue == doctest::Approx(327164.2400000004).epsilon(1e-12));
    CHECK(r.expected_purchases == doctest::Approx(1772.182499351684).epsilon(1e-12));
    REQUIRE(r.spend.has_value());
    CHECK(r.spend_reason.empty());
    CHECK(r.spend->params[0] == doctest::Approx(6.824724379253993).epsilon(1e-12));
    CHECK(r.spend->params[1] == doctest::Approx(3.831511430175679).epsilon(1e-12));
    CHECK(r.spend->params[2] == doctest::Approx(14.622718282310764).epsilon(1e-12));
    CHECK(r.clv_total == doctest::Approx(209564.00065458298).epsilon(1e-12));
    const std::vector<std::string> keys{"5808", "230", "1866", "6388", "4354"};
    const std::vector<double> clv{1622.3556877984968, 1367.6936760274061, 1283.6741687845142,
                                  1156.6701046649791, 1098.0020286077463};
    REQUIRE(r.top_customers.size() == 5);
    for (std::size_t k = 0; k < 5; ++k) {
        CHECK(csv_key(s.log.log.customer_keys, s.summary.customer[r.top_customers[k]]) == keys[k]);
        CHECK(r.top_clv[k] == doctest::Approx(clv[k]).epsilon(1e-12));
    }
    // The revenue of all customers: the summary's column summed.
    double revenue = 0;
    for (const double v : s.summary.revenue)
        revenue += v;
    CHECK(r.revenue == revenue);
    // The spend sample: repeat buyers with a positive average spend.
    std::size_t buyers = 0;
    for (std::size_t i = 0; i < s.summary.size(); ++i)
        buyers += s.summary.frequency[i] > 0 && s.summary.monetary_value[i] > 0;
    CHECK(r.spend_buyers == buyers);
    CHECK(static_cast<double>(r.spend->n) == static_cast<double>(buyers));
}

TEST_CASE("retention_overview: customers first seen on the last day are left out and counted") {
    const sample& s = the_sample();
    const customer_summary& m = s.summary;
    std::vector<double> x = m.frequency, tx = m.recency, T = m.T, mv = m.monetary_value,
                        rev = m.revenue;
    // Three customers with T = 0 in front: every figure is unchanged, positions shift by 3.
    for (int k = 0; k < 3; ++k) {
        x.insert(x.begin(), 0.0);
        tx.insert(tx.begin(), 0.0);
        T.insert(T.begin(), 0.0);
        mv.insert(mv.begin(), 0.0);
        rev.insert(rev.begin(), 99.0);
    }
    const retention_overview_result a = retention_overview(m);
    const retention_overview_result b = retention_overview(x, tx, T, mv, rev);
    CHECK(b.too_new == 3);
    CHECK(b.customers == a.customers);
    CHECK(b.purchase.params == a.purchase.params);
    CHECK(b.expected_alive == a.expected_alive);
    CHECK(b.revenue == a.revenue); // the 99s are not counted
    CHECK(b.clv_total == a.clv_total);
    REQUIRE(b.top_customers.size() == a.top_customers.size());
    for (std::size_t k = 0; k < a.top_customers.size(); ++k)
        CHECK(b.top_customers[k] == a.top_customers[k] + 3);
}

TEST_CASE("retention_overview: options, no spend model, bad input") {
    const sample& s = the_sample();
    retention_overview_options o;
    o.at_risk_below = 0.0; // nobody has P(alive) < 0
    o.top = 2;
    const retention_overview_result r = retention_overview(s.summary, o);
    CHECK(r.at_risk == 0);
    CHECK(r.at_risk_revenue == 0.0);
    CHECK(r.top_customers.size() == 2);
    o.horizon = 0.0; // nothing expected in no time
    CHECK(retention_overview(s.summary, o).expected_purchases == 0.0);

    // Six customers, three of them repeat buyers: too few for the spend model (10 needed).
    const std::vector<double> x{0, 1, 2, 0, 3, 0}, tx{0, 5, 8, 0, 9, 0}, T{10, 10, 10, 4, 12, 7},
        m{0, 10, 20, 0, 15, 0}, rev{5, 20, 60, 5, 60, 5};
    const retention_overview_result few = retention_overview(x, tx, T, m, rev);
    CHECK(few.customers == 6);
    CHECK(!few.spend.has_value());
    CHECK(few.spend_buyers == 3);
    CHECK(few.spend_reason == "fewer than 10 repeat buyers with a positive spend (3; 3 without a "
                              "repeat purchase, 0 with a mean repeat spend <= 0)");
    CHECK(few.clv_total == 0.0);
    CHECK(few.top_customers.empty());
    CHECK(few.revenue == 155.0);

    const std::vector<double> zero{0, 0};
    CHECK_THROWS_WITH_AS(retention_overview(zero, zero, zero, zero, zero),
                         "retention_overview: no customer has a purchase before the last day",
                         invalid_argument);
    CHECK_THROWS_AS(retention_overview(x, tx, T, m, zero), invalid_argument);
    retention_overview_options bad;
    bad.horizon = -1;
    CHECK_THROWS_WITH_AS(retention_overview(x, tx, T, m, rev, bad),
                         "horizon: must be a finite number >= 0, got -1", invalid_argument);
    bad = {};
    bad.at_risk_below = 1.5;
    CHECK_THROWS_AS(retention_overview(x, tx, T, m, rev, bad), invalid_argument);
    // A bad row: recency above T, named by the data error of the fit's compression.
    std::vector<double> tx2 = tx;
    tx2[1] = 11;
    try {
        retention_overview(x, tx2, T, m, rev);
        FAIL("no data_error");
    } catch (const data_error& e) {
        CHECK(e.argument() == "recency");
        CHECK(e.row() == std::optional<std::size_t>(1));
    }
}

TEST_CASE("retention_overview: another purchase model by option (the report's choice)") {
    const sample& s = the_sample();
    retention_overview_options o;
    o.model = purchase_model_kind::mbg_nbd;
    const retention_overview_result r = retention_overview(s.summary, o);
    CHECK(r.model == purchase_model_kind::mbg_nbd);
    // The fit is MBG/NBD's own fit of the same customers (all have T > 0 here).
    const fit_result direct =
        fit_mbg_nbd(compress_summary(s.summary.frequency, s.summary.recency, s.summary.T), o.fit);
    REQUIRE(r.purchase.params.size() == 4);
    for (std::size_t j = 0; j < 4; ++j)
        CHECK(r.purchase.params[j] == doctest::Approx(direct.params[j]).epsilon(1e-12));
    // Expected alive is the sum of MBG/NBD's P(alive); unlike BG/NBD, a customer without a
    // repeat purchase is not certainly alive.
    const mbg_nbd_params p = mbg_nbd_params_from(direct);
    double alive = 0.0;
    bool one_time_below_1 = false;
    for (std::size_t i = 0; i < s.summary.size(); ++i) {
        const double a = p_alive(p, s.summary.frequency[i], s.summary.recency[i], s.summary.T[i]);
        alive += a;
        if (s.summary.frequency[i] == 0 && a < 1.0) one_time_below_1 = true;
    }
    CHECK(r.expected_alive == doctest::Approx(alive).epsilon(1e-12));
    CHECK(one_time_below_1);
    CHECK(retention_overview(s.summary).model == purchase_model_kind::bg_nbd); // the default
}
