// Tests of the covariate prediction intervals of retention/intervals.hpp: with every coefficient
// 0 and no coefficient variance they are the model's without covariates for the same seed; the
// delta method and the parametric draws' spread against a delta-method standard deviation worked
// out here on the natural scale (a finite-difference gradient of the prediction in every
// parameter and coefficient times the fit's covariance); coverage of the true expected purchases
// on BG/NBD data simulated here with known parameters and covariates; the same results on 1 and
// 3 threads; the JSON form's full covariance; errors naming the key and the argument.
#include <custometrics/error.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/retention/bg_nbd.hpp>
#include <custometrics/retention/covariates.hpp>
#include <custometrics/retention/fitted_model.hpp>
#include <custometrics/retention/gamma_gamma.hpp>
#include <custometrics/retention/intervals.hpp>
#include <custometrics/retention/scoring.hpp>
#include <custometrics/summary.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

// The customers of a test: summary rows, keys and two covariates (a 0/1 group and a number).
struct customers {
    std::vector<std::string> keys;
    std::vector<double> x, tx, T, group, score;
    covariate_table table() const { return {keys, {{"group", group, {}}, {"score", score, {}}}}; }
};

// BG/NBD customers simulated with known parameters: customer i buys at rate lambda_i ~
// Gamma(r, alpha_i) while alive and drops out after each purchase with probability
// p_i ~ Beta(a_i, b_i), over T_i ~ U(26, 52) weeks, where (covariates.hpp) alpha_i = alpha
// exp(-g_trans z_i) and a_i, b_i = a, b exp(g_life z_i). std:: distributions: the exact values
// depend on the standard library, the tests' bounds do not.
customers simulate(const bg_nbd_params& p, double g_life, double g_trans, std::size_t n,
                   std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    customers c;
    for (std::size_t i = 0; i < n; ++i) {
        const double z = u(rng) < 0.5 ? 1.0 : 0.0;
        const double alpha = p.alpha * std::exp(-g_trans * z);
        const double scale = std::exp(g_life * z);
        std::gamma_distribution<double> lambda_d(p.r, 1.0 / alpha);
        std::gamma_distribution<double> ga(p.a * scale, 1.0), gb(p.b * scale, 1.0);
        const double lambda = lambda_d(rng);
        const double ya = ga(rng), yb = gb(rng);
        const double drop = ya / (ya + yb);
        const double T = 26.0 + 26.0 * u(rng);
        std::exponential_distribution<double> wait(lambda);
        double t = 0, x = 0, tx = 0;
        while (true) {
            t += wait(rng);
            if (t > T) break;
            x += 1;
            tx = t;
            if (u(rng) < drop) break;
        }
        c.keys.push_back("c" + std::to_string(i));
        c.x.push_back(x);
        c.tx.push_back(tx);
        c.T.push_back(T);
        c.group.push_back(z);
        c.score.push_back(u(rng) - 0.5);
    }
    return c;
}

const bg_nbd_params truth{0.8, 6.0, 0.8, 2.5};

// A BG/NBD fit with `group` and `score` on both processes, `score` constrained.
const covariate_spec spec{{"group", "score"}, {"group", "score"}, {"score"}, 0.0, 0.0};

} // namespace

TEST_CASE("covariate intervals: zero coefficients without variance are the plain intervals, of "
          "the purchases and of the lifetime value") {
    // The plain model's fit on generated customers; a covariate model with the same base
    // parameters, every coefficient 0 and a covariance that is the plain one bordered by zeros:
    // every customer has the base parameters whatever its covariates, so each interval must be
    // the plain one for the same seed (the totals up to the order of their sums).
    generate_options g;
    g.customers = 300;
    g.seed = 11;
    g.threads = 1;
    const customer_summary s = summarize(generate_transactions(g).log.view());
    const fit_result f = fit_purchase_model(purchase_model_kind::bg_nbd,
                                            compress_summary(s.frequency, s.recency, s.T));
    const fit_result spend = fit_gamma_gamma(select_spend_sample(s.frequency, s.monetary_value));
    customers c = simulate(truth, 0.3, 0.5, s.size(), 5); // covariates only
    c.x = s.frequency;
    c.tx = s.recency;
    c.T = s.T;
    covariate_design d = design_covariates(c.table(), c.keys, spec);
    REQUIRE(d.coefficient_names ==
            std::vector<std::string>{"life.group", "trans.group", "constr.score"});
    covariate_model m;
    m.base = purchase_params_from(purchase_model_kind::bg_nbd, f.params);
    m.coefficients.life_names = d.life_names;
    m.coefficients.trans_names = d.trans_names;
    m.coefficients.constrained = {"score"};
    m.coefficients.life = {0.0, 0.0};
    m.coefficients.trans = {0.0, 0.0};
    Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(7, 7);
    cov.topLeftCorner(4, 4) = f.covariance;
    // Every column and total within 1e-12 relative, and the same draws left out.
    const auto same = [](const prediction_intervals& a, const prediction_intervals& b) {
        CHECK(a.failed_draws == b.failed_draws);
        for (std::size_t i = 0; i < b.estimate.size(); ++i) {
            CHECK(a.estimate[i] == doctest::Approx(b.estimate[i]).epsilon(1e-12));
            CHECK(a.std_error[i] == doctest::Approx(b.std_error[i]).epsilon(1e-12));
            CHECK(a.lower[i] == doctest::Approx(b.lower[i]).epsilon(1e-12));
            CHECK(a.upper[i] == doctest::Approx(b.upper[i]).epsilon(1e-12));
        }
        CHECK(a.total == doctest::Approx(b.total).epsilon(1e-12));
        CHECK(a.total_std_error == doctest::Approx(b.total_std_error).epsilon(1e-12));
        CHECK(a.total_lower == doctest::Approx(b.total_lower).epsilon(1e-12));
        CHECK(a.total_upper == doctest::Approx(b.total_upper).epsilon(1e-12));
    };
    for (const interval_method method :
         {interval_method::delta, interval_method::parametric_bootstrap}) {
        CAPTURE(to_string(method));
        interval_options o;
        o.method = method;
        o.draws = 300;
        o.seed = 9;
        const prediction_intervals plain =
            conditional_expected_purchases_intervals(m.base, f.covariance, 13, c.x, c.tx, c.T, o);
        const prediction_intervals cv =
            conditional_expected_purchases_intervals(m, cov, d, 13, c.x, c.tx, c.T, o);
        REQUIRE(cv.estimate.size() == plain.estimate.size());
        same(cv, plain);
        for (std::size_t i = 0; i < plain.estimate.size(); ++i)
            CHECK(cv.estimate[i] == plain.estimate[i]); // the same arithmetic, customer by customer
        // The lifetime value's intervals likewise (the Gamma-Gamma fit's covariance for the
        // spend side; the plain estimate sums the stream by rows, within 1e-12 of per customer).
        const clv_options co{};
        const prediction_intervals vp = customer_lifetime_value_intervals(
            m.base, f.covariance, gamma_gamma_params_from(spend), spend.covariance, c.x, c.tx,
            c.T, s.monetary_value, co, o);
        const prediction_intervals vc = customer_lifetime_value_intervals(
            m, cov, d, gamma_gamma_params_from(spend), spend.covariance, c.x, c.tx, c.T,
            s.monetary_value, co, o);
        same(vc, vp);
        CHECK(vp.total_upper > vp.total_lower);
    }
}

TEST_CASE("covariate intervals: delta and parametric spread against a natural-scale delta sd") {
    // A fit on simulated customers; for customer 0 (and the total of the first 50) the
    // delta-method sd worked out here: the gradient of the prediction in the natural parameters
    // (r, alpha, a, b, life.group, trans.group, constr.score) by central differences through
    // customer_params, times the fit's covariance. The core's delta method works on the log
    // scale by the chain rule through the linear predictors: a different route to the same
    // first-order variance.
    const customers c = simulate(truth, 0.3, 0.5, 800, 21);
    const covariate_design d = design_covariates(c.table(), c.keys, spec);
    const covariate_fit f = fit_with_covariates(purchase_model_kind::bg_nbd, c.x, c.tx, c.T, d);
    REQUIRE(f.fit.report.converged);
    const std::size_t k = 4, m = 7;
    const double t = 20;
    const auto prediction = [&](const std::vector<double>& theta, std::size_t i) {
        covariate_model q{purchase_params_from(purchase_model_kind::bg_nbd,
                                               std::span<const double>(theta).first(k)),
                          with_coefficient_vector(f.model.coefficients, d,
                                                  std::span<const double>(theta).subspan(k))};
        const std::vector<double> zl{c.group[i], c.score[i]}, zt{c.group[i], c.score[i]};
        return conditional_expected_purchases(customer_params(q, zl, zt), t, c.x[i], c.tx[i],
                                              c.T[i]);
    };
    const auto hand_sd = [&](const std::vector<std::size_t>& who) {
        Eigen::VectorXd grad = Eigen::VectorXd::Zero(m);
        for (std::size_t j = 0; j < m; ++j) {
            const double h = 1e-5 * std::max(std::abs(f.fit.params[j]), 0.1);
            std::vector<double> up = f.fit.params, down = f.fit.params;
            up[j] += h;
            down[j] -= h;
            for (const std::size_t i : who)
                grad[static_cast<Eigen::Index>(j)] +=
                    (prediction(up, i) - prediction(down, i)) / (2 * h);
        }
        return std::sqrt(grad.dot(f.fit.covariance * grad));
    };
    const std::vector<double> x(c.x.begin(), c.x.begin() + 50), tx(c.tx.begin(), c.tx.begin() + 50),
        T(c.T.begin(), c.T.begin() + 50);
    std::vector<std::size_t> first50(50);
    for (std::size_t i = 0; i < 50; ++i)
        first50[i] = i;
    covariate_design d50 = design_covariates(
        covariate_table{std::vector<std::string>(c.keys.begin(), c.keys.begin() + 50),
                        {{"group", std::vector<double>(c.group.begin(), c.group.begin() + 50), {}},
                         {"score", std::vector<double>(c.score.begin(), c.score.begin() + 50), {}}}},
        std::vector<std::string>(c.keys.begin(), c.keys.begin() + 50), spec);
    REQUIRE(d50.coefficient_names == d.coefficient_names);
    const double sd0 = hand_sd({0}), sd_total = hand_sd(first50);
    REQUIRE(sd0 > 0);
    interval_options o;
    const prediction_intervals delta =
        conditional_expected_purchases_intervals(f.model, f.fit.covariance, d50, t, x, tx, T, o);
    CHECK(delta.estimate[0] == doctest::Approx(prediction(f.fit.params, 0)).epsilon(1e-14));
    CHECK(delta.std_error[0] == doctest::Approx(sd0).epsilon(1e-5));
    CHECK(delta.total_std_error == doctest::Approx(sd_total).epsilon(1e-5));
    // The draws: their sd is the delta sd to first order (4000 draws: the sd's own relative
    // sampling error is about 1 / sqrt(2 * 4000) = 1.1%), their middle near the estimate.
    o.method = interval_method::parametric_bootstrap;
    o.draws = 4000;
    o.seed = 3;
    const prediction_intervals boot =
        conditional_expected_purchases_intervals(f.model, f.fit.covariance, d50, t, x, tx, T, o);
    CHECK(boot.failed_draws == 0);
    CHECK(boot.std_error[0] == doctest::Approx(sd0).epsilon(0.06));
    CHECK(boot.total_std_error == doctest::Approx(sd_total).epsilon(0.06));
    CHECK(0.5 * (boot.lower[0] + boot.upper[0]) ==
          doctest::Approx(delta.estimate[0]).epsilon(0.05));
    CHECK(boot.lower[0] < delta.estimate[0]);
    CHECK(boot.upper[0] > delta.estimate[0]);
}

TEST_CASE("covariate intervals: the 90% delta interval covers the true expected purchases of "
          "about 90% of the customers") {
    // 25 simulated samples of 400 customers with known parameters and covariates, each fitted
    // with covariates; for every customer the interval of its expected purchases in the next 26
    // weeks against the value at the true parameters and coefficients. The 10,000 customers'
    // coverage must be near 90% (the customers of one sample share its estimate, so the rate
    // varies more than a binomial's: [0.8, 0.97]).
    const double g_life = 0.3, g_trans = 0.5;
    std::size_t covered = 0, total = 0, covered_total = 0;
    for (std::uint64_t rep = 0; rep < 25; ++rep) {
        const customers c = simulate(truth, g_life, g_trans, 400, 100 + rep);
        const covariate_spec one{{"group"}, {"group"}, {}, 0.0, 0.0};
        const covariate_design d = design_covariates(c.table(), c.keys, one);
        const covariate_fit f =
            fit_with_covariates(purchase_model_kind::bg_nbd, c.x, c.tx, c.T, d);
        REQUIRE(f.fit.report.converged);
        interval_options o;
        o.level = 0.9;
        const prediction_intervals pi =
            conditional_expected_purchases_intervals(f.model, f.fit.covariance, d, 26, c.x, c.tx,
                                                     c.T, o);
        covariate_model true_model = f.model;
        true_model.base = truth;
        true_model.coefficients.life = {g_life};
        true_model.coefficients.trans = {g_trans};
        const std::vector<double> expected = conditional_expected_purchases(
            customer_params(true_model, d), 26, c.x, c.tx, c.T);
        double true_total = 0;
        for (std::size_t i = 0; i < c.x.size(); ++i) {
            covered += pi.lower[i] <= expected[i] && expected[i] <= pi.upper[i] ? 1 : 0;
            true_total += expected[i];
            ++total;
        }
        covered_total += pi.total_lower <= true_total && true_total <= pi.total_upper ? 1 : 0;
    }
    const double rate = static_cast<double>(covered) / static_cast<double>(total);
    CAPTURE(rate);
    CAPTURE(covered_total);
    CHECK(rate > 0.8);
    CHECK(rate < 0.97);
    CHECK(covered_total >= 18); // of 25; 22.5 expected
}

TEST_CASE("covariate intervals: a seed gives the same intervals on any number of threads") {
    const customers c = simulate(truth, 0.3, 0.5, 150, 8);
    const covariate_design d = design_covariates(c.table(), c.keys, spec);
    const covariate_fit f = fit_with_covariates(purchase_model_kind::bg_nbd, c.x, c.tx, c.T, d);
    for (const interval_method method :
         {interval_method::delta, interval_method::parametric_bootstrap,
          interval_method::nonparametric_bootstrap}) {
        CAPTURE(to_string(method));
        interval_options o;
        o.method = method;
        o.draws = method == interval_method::nonparametric_bootstrap ? 12 : 200;
        o.seed = 77;
        o.threads = 1;
        const prediction_intervals one =
            conditional_expected_purchases_intervals(f.model, f.fit.covariance, d, 10, c.x, c.tx,
                                                     c.T, o);
        o.threads = 3;
        const prediction_intervals three =
            conditional_expected_purchases_intervals(f.model, f.fit.covariance, d, 10, c.x, c.tx,
                                                     c.T, o);
        CHECK(one.std_error == three.std_error);
        CHECK(one.lower == three.lower);
        CHECK(one.upper == three.upper);
        CHECK(one.total_lower == three.total_lower);
        CHECK(one.total_upper == three.total_upper);
        CHECK(one.total_std_error == three.total_std_error);
        CHECK(one.failed_draws == three.failed_draws);
        CHECK(one.total_upper > one.total_lower);
        // The lifetime value's (a Gamma-Gamma model given with a covariance; refitted by the
        // nonparametric bootstrap on the resamples' repeat buyers).
        const gamma_gamma_params gg{6.0, 4.0, 15.0};
        const Eigen::MatrixXd gg_cov = Eigen::Vector3d(0.5, 0.3, 4.0).asDiagonal();
        std::vector<double> monetary(c.x.size());
        for (std::size_t i = 0; i < c.x.size(); ++i)
            monetary[i] = c.x[i] > 0 ? 10.0 + 5.0 * static_cast<double>(i % 7) : 0.0;
        o.threads = 1;
        const prediction_intervals v1 = customer_lifetime_value_intervals(
            f.model, f.fit.covariance, d, gg, gg_cov, c.x, c.tx, c.T, monetary, clv_options{}, o);
        o.threads = 3;
        const prediction_intervals v3 = customer_lifetime_value_intervals(
            f.model, f.fit.covariance, d, gg, gg_cov, c.x, c.tx, c.T, monetary, clv_options{}, o);
        CHECK(v1.lower == v3.lower);
        CHECK(v1.upper == v3.upper);
        CHECK(v1.total_lower == v3.total_lower);
        CHECK(v1.total_upper == v3.total_upper);
        CHECK(v1.total_upper > v1.total_lower);
        if (method == interval_method::nonparametric_bootstrap) {
            // The refits move the coefficients: a wider total than parameters held fixed.
            CHECK(one.total_std_error > 0);
            o.seed = 78;
            const prediction_intervals other = conditional_expected_purchases_intervals(
                f.model, f.fit.covariance, d, 10, c.x, c.tx, c.T, o);
            CHECK(other.total_lower != one.total_lower);
        }
    }
}

TEST_CASE("covariate intervals: a fitted model's JSON keeps every coefficient's covariance") {
    const customers c = simulate(truth, 0.3, 0.5, 200, 4);
    covariate_spec penalised = spec;
    penalised.life_penalizer = 0.01;
    penalised.trans_penalizer = 0.02;
    const covariate_design d = design_covariates(c.table(), c.keys, penalised);
    const covariate_fit f = fit_with_covariates(purchase_model_kind::bg_nbd, c.x, c.tx, c.T, d);
    const fitted_model m = fitted_covariate_model(f, parse_summary_units("weeks"));
    REQUIRE(m.has_covariance());
    CHECK(m.fit->covariance.rows() == 7);
    const fitted_model back = parse_fitted_model(to_json(m), "m.json");
    REQUIRE(back.has_covariance());
    CHECK(back.fit->covariance == f.fit.covariance);
    CHECK(back.fit->life_penalizer == 0.01);
    CHECK(back.fit->trans_penalizer == 0.02);
    interval_options o;
    o.method = interval_method::parametric_bootstrap;
    o.draws = 100;
    const prediction_intervals direct =
        conditional_expected_purchases_intervals(f.model, f.fit.covariance, d, 10, c.x, c.tx, c.T,
                                                 o);
    const prediction_intervals read = conditional_expected_purchases_intervals(
        back, c.table(), c.keys, 10, c.x, c.tx, c.T, o);
    CHECK(read.lower == direct.lower);
    CHECK(read.upper == direct.upper);
    CHECK(read.total_lower == direct.total_lower);
    // The layout from the fitted coefficients is the fit's, penalties included.
    covariate_design laid;
    lay_out_coefficients(laid, m.covariates.value(), 0.01, 0.02);
    CHECK(laid.coefficient_names == d.coefficient_names);
    CHECK(laid.life_coefficient == d.life_coefficient);
    CHECK(laid.trans_coefficient == d.trans_coefficient);
    CHECK(laid.coefficient_penalizers == d.coefficient_penalizers);
}

TEST_CASE("covariate intervals: a fit file with the base parameters' covariance alone (written "
          "before the coefficients' was recorded) scores, and its intervals are refused") {
    const customers c = simulate(truth, 0.3, 0.5, 60, 2);
    const covariate_design d = design_covariates(c.table(), c.keys, spec);
    const covariate_fit f = fit_with_covariates(purchase_model_kind::bg_nbd, c.x, c.tx, c.T, d);
    const fitted_model m = fitted_covariate_model(f, parse_summary_units("weeks"));
    // The file as older versions wrote it: the 7 x 7 covariance replaced by its 4 x 4 block.
    std::string json = to_json(m);
    const std::size_t at = json.find('[', json.find("\"covariance\""));
    REQUIRE(at != std::string::npos);
    std::size_t end = at;
    int depth = 0;
    do {
        depth += json[end] == '[' ? 1 : json[end] == ']' ? -1 : 0;
        ++end;
    } while (depth != 0);
    std::string block = "[";
    for (int i = 0; i < 4; ++i) {
        block += i ? ",[" : "[";
        for (int j = 0; j < 4; ++j)
            block += (j ? "," : "") + std::to_string(f.fit.covariance(i, j));
        block += "]";
    }
    json.replace(at, end - at, block + "]");
    const fitted_model back = parse_fitted_model(json, "old.json");
    CHECK_FALSE(back.has_covariance());
    CHECK(back.params == m.params);
    const covariate_table table = c.table();
    const std::vector<purchase_params> per = covariate_customer_params(back, &table, c.keys);
    CHECK(per.size() == c.keys.size());
    try {
        (void)conditional_expected_purchases_intervals(back, c.table(), c.keys, 10, c.x, c.tx,
                                                       c.T, {}, "--params", "old.json");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--params");
        CHECK(std::string(e.what()).find("old.json") != std::string::npos);
    }
}

TEST_CASE("covariate intervals: errors name the key and the argument") {
    const customers c = simulate(truth, 0.3, 0.5, 60, 2);
    const covariate_design d = design_covariates(c.table(), c.keys, spec);
    const covariate_fit f = fit_with_covariates(purchase_model_kind::bg_nbd, c.x, c.tx, c.T, d);
    const fitted_model m = fitted_covariate_model(f, parse_summary_units("weeks"));
    // A customer without a covariate row: the key.
    covariate_table partial = c.table();
    partial.keys[7] = "someone else";
    try {
        (void)conditional_expected_purchases_intervals(m, partial, c.keys, 10, c.x, c.tx, c.T);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.key() == "c7");
        CHECK(e.argument() == "covariates");
    }
    // The model without its covariates, the covariates of a model without them.
    try {
        (void)conditional_expected_purchases_intervals(m, 10, c.x, c.tx, c.T);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "covariates");
    }
    const fitted_model plain = fitted_purchase_model(f.model.base);
    CHECK_THROWS_AS(conditional_expected_purchases_intervals(plain, c.table(), c.keys, 10, c.x,
                                                             c.tx, c.T),
                    invalid_argument);
    // A covariance of the base parameters alone.
    try {
        (void)conditional_expected_purchases_intervals(
            f.model, f.fit.covariance.topLeftCorner(4, 4), d, 10, c.x, c.tx, c.T);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "covariance");
    }
    // A coefficient block that is not positive semidefinite.
    Eigen::MatrixXd bad = f.fit.covariance;
    bad(6, 6) = -1.0;
    interval_options o;
    o.method = interval_method::parametric_bootstrap;
    o.draws = 10;
    try {
        (void)conditional_expected_purchases_intervals(f.model, bad, d, 10, c.x, c.tx, c.T, o);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "covariance");
    }
    // A design of other customers.
    const std::vector<double> shorter(c.x.begin(), c.x.begin() + 5);
    CHECK_THROWS_AS(conditional_expected_purchases_intervals(f.model, f.fit.covariance, d, 10,
                                                             shorter, shorter, shorter),
                    invalid_argument);
}
