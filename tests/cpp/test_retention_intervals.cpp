// Tests of retention/intervals.hpp: the delta method against analytic derivatives and against an
// independent numerical gradient on the natural scale; the percentile rule against numpy; the
// coverage of the total's interval on generated BG/NBD logs whose true parameters are known;
// the parametric bootstrap's spread against the delta method; reproducibility by seed whatever
// the thread count; and bad arguments with their error fields.
#include <custometrics/error.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/retention/bg_nbd.hpp>
#include <custometrics/retention/clv.hpp>
#include <custometrics/retention/fitted_model.hpp>
#include <custometrics/retention/gamma_gamma.hpp>
#include <custometrics/retention/intervals.hpp>
#include <custometrics/summary.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

struct sample {
    customer_summary summary;
    fit_result fit;
};

// `customers` generated with BG/NBD truth r 0.243, alpha 30.9, a 0.793, b 2.426 (per day),
// summarised in days up to the end of 2021, and the BG/NBD fitted to them.
sample generated(std::uint64_t seed, std::size_t customers) {
    generate_options g;
    g.customers = customers;
    g.seed = seed;
    g.threads = 1;
    sample s;
    s.summary = summarize(generate_transactions(g).log.view());
    s.fit =
        fit_purchase_model(purchase_model_kind::bg_nbd,
                           compress_summary(s.summary.frequency, s.summary.recency, s.summary.T));
    return s;
}

const bg_nbd_params truth{0.243, 30.9, 0.793, 2.426};

// The expected total at the true parameters: what the interval of the total should cover.
double true_total(const customer_summary& s, double t) {
    double total = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        total += conditional_expected_purchases(truth, t, s.frequency[i], s.recency[i], s.T[i]);
    return total;
}

} // namespace

TEST_CASE("intervals: delta method against analytic derivatives") {
    // f(p) = p0^2 p1 at p = (2, 3): df/dp = (2 p0 p1, p0^2) = (12, 4); in log p the gradient is
    // (p0 * 12, p1 * 4) = (24, 12). With Sigma = [[0.04, 0.01], [0.01, 0.09]]:
    // Var f = 12^2 0.04 + 2 12 4 0.01 + 4^2 0.09 = 5.76 + 0.96 + 1.44 = 8.16.
    Eigen::MatrixXd cov(2, 2);
    cov << 0.04, 0.01, 0.01, 0.09;
    const std::vector<double> p{2, 3};
    const auto f = [](std::span<const double> q) { return q[0] * q[0] * q[1]; };
    const detail::delta_estimate d = detail::delta_method(f, p, cov);
    CHECK(d.value == 12);
    // Central differences in log p: 12 sinh(2h)/h = 24 (1 + (2h)^2/6 + ...): error 7e-11.
    CHECK(d.gradient[0] == doctest::Approx(24).epsilon(1e-9));
    CHECK(d.gradient[1] == doctest::Approx(12).epsilon(1e-9));
    CHECK(d.variance == doctest::Approx(8.16).epsilon(1e-9));
    // One parameter: f = log p has d f / d log p = 1, so Var = sigma^2 / p^2 = 0.25 / 25.
    Eigen::MatrixXd c1(1, 1);
    c1 << 0.25;
    const detail::delta_estimate l = detail::delta_method(
        [](std::span<const double> q) { return std::log(q[0]); }, std::vector<double>{5}, c1);
    CHECK(l.gradient[0] == doctest::Approx(1).epsilon(1e-9));
    CHECK(l.variance == doctest::Approx(0.01).epsilon(1e-9));
}

TEST_CASE("intervals: delta standard errors of BG/NBD predictions against a natural-scale "
          "gradient") {
    const sample s = generated(5, 1500);
    const customer_summary& c = s.summary;
    const double t = 90;
    const prediction_intervals pi = conditional_expected_purchases_intervals(
        purchase_model_kind::bg_nbd, s.fit, t, c.frequency, c.recency, c.T);
    REQUIRE(pi.estimate.size() == c.size());
    CHECK(pi.method == interval_method::delta);
    CHECK(pi.draws == 0);
    // Independently: d g / d p_j on the natural scale by Richardson-extrapolated central
    // differences (steps 1e-3 p_j and 5e-4 p_j), then Var = g' Sigma g with Sigma the fit's
    // covariance as it is (no log transform).
    const std::vector<double>& p = s.fit.params;
    auto g_at = [&](const std::vector<double>& q, std::size_t i) {
        return conditional_expected_purchases(bg_nbd_params{q[0], q[1], q[2], q[3]}, t,
                                              c.frequency[i], c.recency[i], c.T[i]);
    };
    auto derivative = [&](std::size_t i, std::size_t j) {
        auto central = [&](double h) {
            std::vector<double> up = p, down = p;
            up[j] += h;
            down[j] -= h;
            return (g_at(up, i) - g_at(down, i)) / (2 * h);
        };
        const double h = 1e-3 * p[j];
        return (4 * central(h / 2) - central(h)) / 3;
    };
    Eigen::VectorXd total_gradient = Eigen::VectorXd::Zero(4);
    for (std::size_t i = 0; i < c.size(); ++i) {
        Eigen::VectorXd gi(4);
        for (std::size_t j = 0; j < 4; ++j)
            gi[static_cast<Eigen::Index>(j)] = derivative(i, j);
        total_gradient += gi;
        if (i % 97 == 0) { // a spread of customers
            CAPTURE(i);
            const double se = std::sqrt(gi.dot(s.fit.covariance * gi));
            CHECK(pi.std_error[i] == doctest::Approx(se).epsilon(1e-5));
            CHECK(pi.estimate[i] == doctest::Approx(g_at(p, i)).epsilon(1e-14));
            const double z = 1.6448536269514722; // standard normal quantile at 0.95
            CHECK(pi.upper[i] == doctest::Approx(pi.estimate[i] + z * se).epsilon(1e-5));
            CHECK(pi.lower[i] ==
                  doctest::Approx(std::max(0.0, pi.estimate[i] - z * se)).epsilon(1e-5));
        }
    }
    const double total_se = std::sqrt(total_gradient.dot(s.fit.covariance * total_gradient));
    CHECK(pi.total_std_error == doctest::Approx(total_se).epsilon(1e-5));
}

TEST_CASE("intervals: percentile rule is numpy's default (type 7)") {
    std::vector<double> v{4, 1, 3, 2};
    CHECK(detail::percentile(v, 0.5) == doctest::Approx(2.5));   // np.percentile(.., 50)
    CHECK(detail::percentile(v, 0.9) == doctest::Approx(3.7));   // np.percentile(.., 90)
    CHECK(detail::percentile(v, 0.05) == doctest::Approx(1.15)); // np.percentile(.., 5)
    CHECK(detail::percentile(v, 1.0) == 4);
}

TEST_CASE("intervals: the 90% delta interval of the total covers the truth about 90% of the "
          "time") {
    // 20 independent logs of 1,000 customers with known parameters: count how often the total
    // expected purchases over the next 90 days at the true parameters lie inside the interval.
    // With true coverage 0.9, 14 or more of 20 happens with probability 0.998.
    // The standardised errors z = (estimate - truth) / se must also have a mean square near 1
    // (sum of 20 z^2 ~ chi-square(20): mean square in [0.48, 1.71] with probability 0.95), which
    // catches intervals that cover only because they are too wide.
    int covered = 0;
    double z2 = 0;
    for (std::uint64_t seed = 100; seed < 120; ++seed) {
        const sample s = generated(seed, 1000);
        const prediction_intervals pi = conditional_expected_purchases_intervals(
            purchase_model_kind::bg_nbd, s.fit, 90, s.summary.frequency, s.summary.recency,
            s.summary.T);
        const double want = true_total(s.summary, 90);
        covered += pi.total_lower <= want && want <= pi.total_upper ? 1 : 0;
        const double z = (pi.total - want) / pi.total_std_error;
        z2 += z * z;
    }
    CHECK(covered >= 14);
    CHECK(z2 / 20 > 0.35); // 0.63 with these seeds
    CHECK(z2 / 20 < 2.0);
}

TEST_CASE("intervals: bootstraps cover the truth, agree with the delta method, and are "
          "reproducible") {
    const sample s = generated(7, 1000);
    const customer_summary& c = s.summary;
    const double want = true_total(c, 90);
    const prediction_intervals delta = conditional_expected_purchases_intervals(
        purchase_model_kind::bg_nbd, s.fit, 90, c.frequency, c.recency, c.T);
    CHECK(delta.total_lower <= want);
    CHECK(want <= delta.total_upper);

    interval_options o;
    o.method = interval_method::parametric_bootstrap;
    o.draws = 400;
    o.seed = 11;
    o.threads = 1;
    const prediction_intervals par = conditional_expected_purchases_intervals(
        purchase_model_kind::bg_nbd, s.fit, 90, c.frequency, c.recency, c.T, o);
    CHECK(par.draws == 400);
    CHECK(par.failed_draws == 0);
    CHECK(par.total == delta.total);
    CHECK(par.total_lower <= want);
    CHECK(want <= par.total_upper);
    // The spread of 400 draws estimates the delta method's standard error to a few percent
    // (relative sampling error of a standard deviation ~ 1/sqrt(2 B) = 3.5%).
    CHECK(par.total_std_error == doctest::Approx(delta.total_std_error).epsilon(0.15));
    for (std::size_t i = 0; i < c.size(); i += 50)
        CHECK(par.lower[i] <= par.upper[i]);

    // The same seed on two threads: identical to the last bit; another seed differs.
    o.threads = 2;
    const prediction_intervals par2 = conditional_expected_purchases_intervals(
        purchase_model_kind::bg_nbd, s.fit, 90, c.frequency, c.recency, c.T, o);
    CHECK(par2.lower == par.lower);
    CHECK(par2.upper == par.upper);
    CHECK(par2.std_error == par.std_error);
    CHECK(par2.total_lower == par.total_lower);
    CHECK(par2.total_upper == par.total_upper);
    o.seed = 12;
    const prediction_intervals par3 = conditional_expected_purchases_intervals(
        purchase_model_kind::bg_nbd, s.fit, 90, c.frequency, c.recency, c.T, o);
    CHECK(par3.total_upper != par.total_upper);

    // Nonparametric: refits on resampled customers (few draws: each is a fit).
    interval_options n;
    n.method = interval_method::nonparametric_bootstrap;
    n.draws = 40;
    n.seed = 3;
    n.threads = 1;
    const prediction_intervals np = conditional_expected_purchases_intervals(
        purchase_model_kind::bg_nbd, s.fit, 90, c.frequency, c.recency, c.T, n);
    CHECK(np.failed_draws == 0);
    CHECK(np.total_lower <= want);
    CHECK(want <= np.total_upper);
    // Same order of spread as the delta method (40 draws: a loose band).
    CHECK(np.total_std_error > 0.5 * delta.total_std_error);
    CHECK(np.total_std_error < 2.0 * delta.total_std_error);
    n.threads = 2;
    const prediction_intervals np2 = conditional_expected_purchases_intervals(
        purchase_model_kind::bg_nbd, s.fit, 90, c.frequency, c.recency, c.T, n);
    CHECK(np2.lower == np.lower);
    CHECK(np2.total_upper == np.total_upper);
}

TEST_CASE("intervals: the nonparametric bootstrap refits with the fit's own penalizer, which the "
          "fitted model's JSON records") {
    const sample s = generated(5, 400);
    const customer_summary& c = s.summary;
    const compressed_summary rows = compress_summary(c.frequency, c.recency, c.T);
    fit_options fo;
    fo.penalizer = 0.001;
    const fit_result pf = fit_purchase_model(purchase_model_kind::bg_nbd, rows, fo);
    CHECK(pf.penalizer == 0.001);
    CHECK(s.fit.penalizer == 0.0);

    // The JSON writes the penalizer and reads it back; a bad one is named.
    const fitted_model m =
        fitted_purchase_model(purchase_model_kind::bg_nbd, pf, rows.size(), summary_units{});
    const std::string json = to_json(m);
    CHECK(json.find("\"penalizer\":0.001") != std::string::npos);
    const fitted_model back = parse_fitted_model(json, "fit.json");
    REQUIRE(back.fit);
    CHECK(back.fit->penalizer == 0.001);
    std::string bad = json;
    const std::string field = "\"penalizer\":0.001";
    bad.replace(bad.find(field), field.size(), "\"penalizer\":-1.0");
    try {
        (void)parse_fitted_model(bad, "fit.json");
        FAIL("a negative penalizer was read");
    } catch (const parse_error& e) {
        CHECK(e.context().column == "penalizer");
        CHECK(e.context().value == "-1");
    }

    // The refits use 0.001 whatever the options say: the fitted model's and the fit's intervals
    // equal those of the parameters with options.fit.penalizer = 0.001, and differ from 0.
    interval_options n;
    n.method = interval_method::nonparametric_bootstrap;
    n.draws = 20;
    n.seed = 9;
    n.threads = 1;
    const purchase_params params = purchase_params_from(purchase_model_kind::bg_nbd, pf.params);
    const prediction_intervals unpenalised = conditional_expected_purchases_intervals(
        params, Eigen::MatrixXd(), 30, c.frequency, c.recency, c.T, n);
    n.fit.penalizer = 0.001;
    const prediction_intervals penalised = conditional_expected_purchases_intervals(
        params, Eigen::MatrixXd(), 30, c.frequency, c.recency, c.T, n);
    CHECK(penalised.total_upper != unpenalised.total_upper);
    n.fit.penalizer = 0.0;
    const prediction_intervals from_model =
        conditional_expected_purchases_intervals(back, 30, c.frequency, c.recency, c.T, n);
    const prediction_intervals from_fit = conditional_expected_purchases_intervals(
        purchase_model_kind::bg_nbd, pf, 30, c.frequency, c.recency, c.T, n);
    CHECK(from_model.total_upper == penalised.total_upper);
    CHECK(from_model.upper == penalised.upper);
    CHECK(from_fit.total_lower == penalised.total_lower);
    CHECK(from_fit.lower == penalised.lower);
}

TEST_CASE("intervals: bootstrap draws without a prediction are left out and counted") {
    // a + b = 1.1 with a log-scale standard deviation of 0.5 on a and b: many draws have
    // a + b <= 1, where the BG/NBD eq. 10 has no value for a customer with x = 0.
    const purchase_params p = bg_nbd_params{0.5, 4, 0.5, 0.6};
    const Eigen::MatrixXd cov = Eigen::Vector4d(0.0025, 0.16, 0.0625, 0.09).asDiagonal();
    const std::vector<double> x{0, 3}, tx{0, 8}, T{10, 10};
    interval_options o;
    o.method = interval_method::parametric_bootstrap;
    o.draws = 200;
    const prediction_intervals pi =
        conditional_expected_purchases_intervals(p, cov, 5, x, tx, T, o);
    CHECK(pi.failed_draws > 10);
    CHECK(pi.failed_draws < 190);
    CHECK(pi.first_failure.find("a + b + x - 1") != std::string::npos);
    // Customer 1 (x = 3) has a value at every draw, but its interval uses the same draws as
    // customer 0: rerunning with customer 1 alone (no draw fails) gives another interval.
    const prediction_intervals alone = conditional_expected_purchases_intervals(
        p, cov, 5, std::vector<double>{3}, std::vector<double>{8}, std::vector<double>{10}, o);
    CHECK(alone.failed_draws == 0);
    CHECK(alone.upper[0] != pi.upper[1]);
    CHECK(pi.lower[0] <= pi.estimate[0]);
    CHECK(pi.estimate[0] <= pi.upper[0]);
    // Parameters without a prediction fail before any draw, with the model's error.
    const purchase_params bad = bg_nbd_params{0.5, 4, 0.3, 0.3};
    CHECK_THROWS_AS(conditional_expected_purchases_intervals(bad, cov, 5, x, tx, T, o),
                    invalid_argument);
    // Every draw failing (refits stopped after one iteration) is an error naming the reason.
    const sample s = generated(9, 300);
    interval_options n;
    n.method = interval_method::nonparametric_bootstrap;
    n.draws = 5;
    n.fit.max_iterations = 1;
    CHECK_THROWS_WITH_AS(conditional_expected_purchases_intervals(
                             purchase_model_kind::bg_nbd, s.fit, 5, s.summary.frequency,
                             s.summary.recency, s.summary.T, n),
                         doctest::Contains("5 of 5 bootstrap draws failed; first: draw 0: refit "
                                           "did not converge"),
                         error);
}

TEST_CASE("intervals: bad arguments name their fields") {
    const std::vector<double> x{1, 0, 2}, tx{5, 0, 8}, T{10, 10, 10};
    const purchase_params p = bg_nbd_params{0.5, 4, 0.8, 2.4};
    const Eigen::MatrixXd cov = Eigen::MatrixXd::Identity(4, 4) * 0.01;
    auto argument_of = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const invalid_argument& e) {
            return "invalid:" + e.argument() + ":" + e.value();
        } catch (const data_error& e) {
            return "data:" + e.argument() + ":" + (e.row() ? std::to_string(*e.row()) : "-");
        }
        return "no error";
    };
    interval_options o;
    o.level = 1;
    CHECK(argument_of([&] { conditional_expected_purchases_intervals(p, cov, 10, x, tx, T, o); }) ==
          "invalid:level:1");
    o.level = std::numeric_limits<double>::quiet_NaN();
    CHECK(argument_of([&] { conditional_expected_purchases_intervals(p, cov, 10, x, tx, T, o); }) ==
          "invalid:level:nan");
    o = {};
    o.method = interval_method::parametric_bootstrap;
    o.draws = 1;
    CHECK(argument_of([&] { conditional_expected_purchases_intervals(p, cov, 10, x, tx, T, o); }) ==
          "invalid:draws:1");
    CHECK(argument_of([&] { conditional_expected_purchases_intervals(p, cov, -1, x, tx, T); }) ==
          "invalid:t:-1");
    CHECK(argument_of([&] {
              conditional_expected_purchases_intervals(p, Eigen::MatrixXd::Identity(3, 3), 10, x,
                                                       tx, T);
          }) == "invalid:covariance:");
    Eigen::MatrixXd bad = cov;
    bad(1, 2) = std::numeric_limits<double>::quiet_NaN();
    CHECK(argument_of([&] { conditional_expected_purchases_intervals(p, bad, 10, x, tx, T); }) ==
          "invalid:covariance:");
    Eigen::MatrixXd indefinite = cov;
    indefinite(0, 0) = -1;
    o = {};
    o.method = interval_method::parametric_bootstrap;
    CHECK(argument_of([&] {
              conditional_expected_purchases_intervals(p, indefinite, 10, x, tx, T, o);
          }) == "invalid:covariance:");
    CHECK(argument_of([&] {
              conditional_expected_purchases_intervals(p, cov, 10, x, std::vector<double>{5, 0, 12},
                                                       T);
          }) == "data:recency:2");
    CHECK(argument_of([] { parse_interval_method("jackknife"); }) == "invalid:method:jackknife");
    CHECK(parse_interval_method("Bootstrap") == interval_method::nonparametric_bootstrap);
    CHECK(parse_interval_method("parametric") == interval_method::parametric_bootstrap);
}

// ---------------------------------------------------------------------------------------------
// Intervals of the lifetime value (customer_lifetime_value_intervals): BG/NBD purchases and the
// Gamma-Gamma spend model, their covariances taken as independent.

namespace {

const gamma_gamma_params spend_truth{6.25, 3.74, 15.44}; // the generator's spend parameters

struct clv_sample {
    sample purchase;
    fit_result spend;
};

clv_sample generated_with_spend(std::uint64_t seed, std::size_t customers) {
    clv_sample s{generated(seed, customers), {}};
    const customer_summary& c = s.purchase.summary;
    s.spend = fit_gamma_gamma(select_spend_sample(c.frequency, c.monetary_value));
    return s;
}

// Lifetime value options of a summary in days: 12 months of 30 days, 1% a month (lifetimes').
const clv_options clv_days{};

double true_clv_total(const customer_summary& c) {
    double total = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
        total += customer_lifetime_value(truth, spend_truth, c.frequency[i], c.recency[i], c.T[i],
                                         c.monetary_value[i], clv_days);
    return total;
}

prediction_intervals clv_intervals(const clv_sample& s, const interval_options& o = {}) {
    const customer_summary& c = s.purchase.summary;
    return customer_lifetime_value_intervals(
        purchase_params_from(purchase_model_kind::bg_nbd, s.purchase.fit.params),
        s.purchase.fit.covariance, gamma_gamma_params_from(s.spend), s.spend.covariance,
        c.frequency, c.recency, c.T, c.monetary_value, clv_days, o);
}

} // namespace

TEST_CASE("clv intervals: delta standard errors against a natural-scale gradient of the core's "
          "CLV") {
    const clv_sample s = generated_with_spend(5, 800);
    const customer_summary& c = s.purchase.summary;
    const prediction_intervals pi = clv_intervals(s);
    REQUIRE(pi.estimate.size() == c.size());
    CHECK(pi.method == interval_method::delta);
    CHECK(pi.horizon == 360);
    // The estimate is the core's CLV (score's `clv`) to the last bit.
    const std::vector<double> want = customer_lifetime_value(
        bg_nbd_params{s.purchase.fit.params[0], s.purchase.fit.params[1], s.purchase.fit.params[2],
                      s.purchase.fit.params[3]},
        gamma_gamma_params_from(s.spend), c.frequency, c.recency, c.T, c.monetary_value, clv_days);
    CHECK(pi.estimate == want);
    // Independently: the 7 natural parameters (r, alpha, a, b, p, q, v) moved one at a time by
    // Richardson-extrapolated central differences (steps 1e-3 and 5e-4 of the parameter) of
    // the core's scalar CLV, and Var = J Sigma J' with Sigma = diag(Sigma_bgnbd, Sigma_gg) as
    // the fits report them (no log transform).
    std::vector<double> theta = s.purchase.fit.params;
    theta.insert(theta.end(), s.spend.params.begin(), s.spend.params.end());
    Eigen::MatrixXd sigma = Eigen::MatrixXd::Zero(7, 7);
    sigma.topLeftCorner(4, 4) = s.purchase.fit.covariance;
    sigma.bottomRightCorner(3, 3) = s.spend.covariance;
    const auto value = [&](const std::vector<double>& q, std::size_t i) {
        return customer_lifetime_value(bg_nbd_params{q[0], q[1], q[2], q[3]},
                                       gamma_gamma_params{q[4], q[5], q[6]}, c.frequency[i],
                                       c.recency[i], c.T[i], c.monetary_value[i], clv_days);
    };
    const auto derivative = [&](std::size_t i, std::size_t j) {
        const auto central = [&](double h) {
            std::vector<double> up = theta, down = theta;
            up[j] += h;
            down[j] -= h;
            return (value(up, i) - value(down, i)) / (2 * h);
        };
        const double h = 1e-3 * theta[j];
        return (4 * central(h / 2) - central(h)) / 3;
    };
    Eigen::VectorXd total_gradient = Eigen::VectorXd::Zero(7);
    int repeat_buyers_checked = 0;
    for (std::size_t i = 0; i < c.size(); ++i) {
        Eigen::VectorXd gi(7);
        for (std::size_t j = 0; j < 7; ++j)
            gi[static_cast<Eigen::Index>(j)] = derivative(i, j);
        total_gradient += gi;
        if (i % 37 == 0) {
            CAPTURE(i);
            repeat_buyers_checked += c.frequency[i] > 0 ? 1 : 0;
            const double se = std::sqrt(gi.dot(sigma * gi));
            CHECK(pi.std_error[i] == doctest::Approx(se).epsilon(1e-5));
            const double z = 1.6448536269514722; // standard normal quantile at 0.95
            CHECK(pi.upper[i] == doctest::Approx(pi.estimate[i] + z * se).epsilon(1e-5));
            CHECK(pi.lower[i] ==
                  doctest::Approx(std::max(0.0, pi.estimate[i] - z * se)).epsilon(1e-5));
        }
    }
    CHECK(repeat_buyers_checked > 3); // both kinds of customer (x = 0: the population spend)
    const double total_se = std::sqrt(total_gradient.dot(sigma * total_gradient));
    CHECK(pi.total_std_error == doctest::Approx(total_se).epsilon(1e-5));
    double total = 0;
    for (const double v : want)
        total += v;
    CHECK(pi.total == doctest::Approx(total).epsilon(1e-13));
}

TEST_CASE("clv intervals: the 90% delta interval of the total covers the truth about 90% of the "
          "time") {
    // As for the purchases: 20 logs of 1,000 customers with known BG/NBD and Gamma-Gamma
    // parameters; the total CLV at the true parameters (given each customer's history) inside
    // the interval 14 or more times of 20 (probability 0.998 at true coverage 0.9), and the
    // standardised errors' mean square near 1 (chi-square(20) / 20: [0.48, 1.71] w.p. 0.95).
    int covered = 0;
    double z2 = 0;
    for (std::uint64_t seed = 100; seed < 120; ++seed) {
        const clv_sample s = generated_with_spend(seed, 1000);
        const prediction_intervals pi = clv_intervals(s);
        const double want = true_clv_total(s.purchase.summary);
        covered += pi.total_lower <= want && want <= pi.total_upper ? 1 : 0;
        const double z = (pi.total - want) / pi.total_std_error;
        z2 += z * z;
    }
    CHECK(covered >= 14);
    CHECK(z2 / 20 > 0.35);
    CHECK(z2 / 20 < 2.0);
}

TEST_CASE("clv intervals: bootstraps cover the truth, agree with the delta method, and are "
          "reproducible by seed") {
    const clv_sample s = generated_with_spend(7, 1000);
    const double want = true_clv_total(s.purchase.summary);
    const prediction_intervals delta = clv_intervals(s);
    CHECK(delta.total_lower <= want);
    CHECK(want <= delta.total_upper);

    interval_options o;
    o.method = interval_method::parametric_bootstrap;
    o.draws = 400;
    o.seed = 11;
    o.threads = 1;
    const prediction_intervals par = clv_intervals(s, o);
    CHECK(par.draws == 400);
    CHECK(par.failed_draws == 0);
    CHECK(par.estimate == delta.estimate);
    CHECK(par.total_lower <= want);
    CHECK(want <= par.total_upper);
    // 400 draws estimate the delta method's standard error to ~3.5% (1 / sqrt(2 B)).
    CHECK(par.total_std_error == doctest::Approx(delta.total_std_error).epsilon(0.15));
    for (std::size_t i = 0; i < par.lower.size(); i += 50) {
        CHECK(par.lower[i] <= par.estimate[i] * 1.5);
        CHECK(par.lower[i] <= par.upper[i]);
    }
    o.threads = 2; // the same seed on two threads: identical to the last bit
    const prediction_intervals par2 = clv_intervals(s, o);
    CHECK(par2.lower == par.lower);
    CHECK(par2.upper == par.upper);
    CHECK(par2.std_error == par.std_error);
    CHECK(par2.total_lower == par.total_lower);
    CHECK(par2.total_upper == par.total_upper);
    o.seed = 12;
    CHECK(clv_intervals(s, o).total_upper != par.total_upper);

    interval_options n; // refits of both models on resampled customers
    n.method = interval_method::nonparametric_bootstrap;
    n.draws = 40;
    n.seed = 3;
    n.threads = 1;
    const prediction_intervals np = clv_intervals(s, n);
    CHECK(np.failed_draws == 0);
    CHECK(np.total_lower <= want);
    CHECK(want <= np.total_upper);
    CHECK(np.total_std_error > 0.5 * delta.total_std_error);
    CHECK(np.total_std_error < 2.0 * delta.total_std_error);
    n.threads = 2;
    const prediction_intervals np2 = clv_intervals(s, n);
    CHECK(np2.lower == np.lower);
    CHECK(np2.total_upper == np.total_upper);
}

TEST_CASE("clv intervals: the delta method adds the spend model's variance to the purchases'") {
    // CLV_i = s_i S_i with independent estimates: Var = s^2 Var S + S^2 Var s, so the variance
    // with both covariances is the sum of the variances with each one alone (the other zero),
    // per customer and for the total, and each part is a real share of it.
    const clv_sample s = generated_with_spend(21, 600);
    const customer_summary& c = s.purchase.summary;
    const auto with = [&](double purchase_scale, double spend_scale) {
        return customer_lifetime_value_intervals(
            purchase_params_from(purchase_model_kind::bg_nbd, s.purchase.fit.params),
            purchase_scale * s.purchase.fit.covariance, gamma_gamma_params_from(s.spend),
            spend_scale * s.spend.covariance, c.frequency, c.recency, c.T, c.monetary_value,
            clv_days);
    };
    const prediction_intervals both = with(1, 1), purchase = with(1, 0), spend = with(0, 1);
    const auto sq = [](double v) { return v * v; };
    CHECK(sq(both.total_std_error) ==
          doctest::Approx(sq(purchase.total_std_error) + sq(spend.total_std_error)).epsilon(1e-12));
    CHECK(spend.total_std_error > 0.05 * both.total_std_error); // the spend term is not nil
    CHECK(purchase.total_std_error > 0.05 * both.total_std_error);
    for (std::size_t i = 0; i < c.size(); i += 29)
        CHECK(sq(both.std_error[i]) ==
              doctest::Approx(sq(purchase.std_error[i]) + sq(spend.std_error[i])).epsilon(1e-12));
}

TEST_CASE("clv intervals: bad arguments name their fields") {
    const std::vector<double> x{1, 0, 2}, tx{5, 0, 8}, T{10, 10, 10}, m{20, 0, 30};
    const purchase_params p = bg_nbd_params{0.5, 4, 0.8, 2.4};
    const gamma_gamma_params g{6, 4, 15};
    const Eigen::MatrixXd cov = Eigen::MatrixXd::Identity(4, 4) * 0.01;
    const Eigen::MatrixXd gcov = Eigen::MatrixXd::Identity(3, 3) * 0.01;
    auto argument_of = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const invalid_argument& e) {
            return "invalid:" + e.argument();
        } catch (const data_error& e) {
            return "data:" + e.argument() + ":" + (e.row() ? std::to_string(*e.row()) : "-");
        }
        return "no error";
    };
    const auto run = [&](const Eigen::MatrixXd& pc, const Eigen::MatrixXd& gc,
                         std::span<const double> mv, const interval_options& o = {}) {
        return customer_lifetime_value_intervals(p, pc, g, gc, x, tx, T, mv, clv_options{}, o);
    };
    CHECK(argument_of([&] { run(cov, gcov, m); }) == "no error");
    CHECK(argument_of([&] { run(Eigen::MatrixXd::Identity(3, 3), gcov, m); }) ==
          "invalid:purchase_covariance");
    CHECK(argument_of([&] { run(cov, cov, m); }) == "invalid:spend_covariance");
    Eigen::MatrixXd indefinite = gcov;
    indefinite(1, 1) = -1;
    interval_options o;
    o.method = interval_method::parametric_bootstrap;
    o.draws = 10;
    CHECK(argument_of([&] { run(cov, indefinite, m, o); }) == "invalid:spend_covariance");
    CHECK(argument_of([&] { run(cov, gcov, std::vector<double>{20, 0}); }) == "invalid:monetary");
    // A repeat buyer without a positive mean spend has no Gamma-Gamma spend.
    CHECK(argument_of([&] { run(cov, gcov, std::vector<double>{20, 0, 0}); }) == "data:monetary:2");
    o.level = 1.5;
    CHECK(argument_of([&] { run(cov, gcov, m, o); }) == "invalid:level");
    // The fitted-model overload names the model without a covariance (given parameters).
    CHECK(argument_of([&] {
              customer_lifetime_value_intervals(fitted_purchase_model(p), fitted_spend_model(g), x,
                                                tx, T, m, clv_options{}, interval_options{},
                                                "--params", "--spend-params");
          }) == "invalid:--params");
}
