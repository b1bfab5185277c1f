// Tests of retention/mbg_nbd.hpp: the log-likelihood and predictions against lifetimes 0.11.3,
// the gradient against 40-digit mpmath and central differences, heavy buyers, identities of the
// predictions, the CDNOW fit against lifetimes' ModifiedBetaGeoFitter, and bad input.
#include <custometrics/error.hpp>
#include <custometrics/retention/fit.hpp>
#include <custometrics/retention/mbg_nbd.hpp>

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

// lifetimes 0.11.3's ModifiedBetaGeoFitter fit on CDNOW (weeks), rounded.
constexpr mbg_nbd_params cdnow{0.525, 6.183, 0.891, 1.614};

bool close(double got, double want, double rel) {
    return std::abs(got - want) <= rel * std::max(std::abs(want), 1e-300);
}

struct cdnow_summary {
    std::vector<double> x, tx, T;
};

cdnow_summary read_cdnow() {
    cdnow_summary d;
    std::ifstream in(std::string(CUSTOMETRICS_SHARED_DATA_DIR) +
                     "/cdnow/cdnow_customers_summary_with_transactions.csv");
    if (!in) return d;
    std::string line;
    std::getline(in, line); // ID,x,t_x,T,zbar
    while (std::getline(in, line)) {
        std::istringstream row(line);
        std::string id, x, tx, T;
        std::getline(row, id, ',');
        std::getline(row, x, ',');
        std::getline(row, tx, ',');
        std::getline(row, T, ',');
        d.x.push_back(std::stod(x));
        d.tx.push_back(std::stod(tx));
        d.T.push_back(std::stod(T));
    }
    return d;
}

} // namespace

TEST_CASE("mbg/nbd: agrees with lifetimes 0.11.3") {
    // /work/venv-r2/bin/python (lifetimes 0.11.3):
    //   m = ModifiedBetaGeoFitter(); m.params_ = pd.Series({"r": 0.525, "alpha": 6.183,
    //                                                       "a": 0.891, "b": 1.614})
    //   -ModifiedBetaGeoFitter._negative_log_likelihood(np.log([0.525, 6.183, 0.891, 1.614]),
    //        np.array([x]), np.array([tx]), np.array([T]), np.ones(1), 0.0)
    //   m.conditional_probability_alive(x, tx, T),
    //   m.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T)
    struct row {
        double x, tx, T, ll, alive, expected;
    };
    const std::array<row, 6> rows{{
        {0, 0.0, 38.86, -0.5398374635310146, 0.3897350809187629, 0.15401274667514553},
        {2, 30.43, 38.86, -9.48555131453393, 0.7062022651184873, 1.2629606232673432},
        {1, 1.71, 38.86, -4.460360612584317, 0.17083648431040802, 0.18883654136434078},
        {7, 29.43, 38.86, -21.77652224890387, 0.6227238141691119, 3.1675724322986705},
        {26, 35.71, 38.86, -43.24428920486148, 0.8191652194128409, 14.24720121167221},
        {10, 5.0, 38.86, -15.404975882659231, 5.5814963504211765e-06, 3.928467013237327e-05},
    }};
    for (const row& c : rows) {
        CAPTURE(c.x);
        CHECK(close(log_likelihood(cdnow, c.x, c.tx, c.T), c.ll, 1e-13));
        CHECK(close(p_alive(cdnow, c.x, c.tx, c.T), c.alive, 1e-13));
        CHECK(close(conditional_expected_purchases(cdnow, 39, c.x, c.tx, c.T), c.expected, 1e-12));
    }
    // m.expected_number_of_purchases_up_to_time(t),
    // [m.probability_of_n_purchases_up_to_time(t, n) for n in (0, 1, 3, 10)]
    struct horizon {
        double t, expected;
        std::array<double, 4> pn;
    };
    const std::array<horizon, 3> horizons{{
        {1.0,
         0.053084795263698685,
         {0.9512339544916595, 0.044859520780194305, 0.00033128923891849666, 8.420429750797084e-11}},
        {39.0,
         1.1829536655971713,
         {0.5824731894932891, 0.18278307728754056, 0.04857044295156923, 0.0036261877952900303}},
        {200.0,
         2.9350487818835767,
         {0.4578984504212383, 0.1766259063984688, 0.059487306796877346, 0.00909381601855921}},
    }};
    const std::array<int, 4> ns{0, 1, 3, 10};
    for (const horizon& h : horizons) {
        CAPTURE(h.t);
        // lifetimes computes 1 - (alpha/(alpha+t))^r 2F1(...), which cancels at t = 1 (about
        // 1e-13 lost); here the bracket is summed without the cancellation.
        CHECK(close(expected_purchases(cdnow, h.t), h.expected, 1e-12));
        for (int k = 0; k < 4; ++k) {
            CAPTURE(ns[k]);
            // lifetimes' 1 - sum_{j<n} NB(j) cancels for n = 10 at t = 1 (P = 8e-11): it agrees
            // to 2e-8 there (ibeta here), to 1e-13 elsewhere.
            const double tol = h.t == 1.0 && ns[k] == 10 ? 3e-8 : 1e-12;
            CHECK(close(probability_of_purchases(cdnow, h.t, ns[k]), h.pn[k], tol));
        }
    }
}

TEST_CASE("mbg/nbd: r > a + b, a < 1 and long horizons against lifetimes 0.11.3") {
    // m.params_ = pd.Series({"r": 3.0, "alpha": 5.0, "a": 0.5, "b": 0.8});
    // m.expected_number_of_purchases_up_to_time(t),
    // m.conditional_expected_number_of_purchases_up_to_time(t, 4, 20.0, 40.0)
    const mbg_nbd_params p{3.0, 5.0, 0.5, 0.8};
    const std::array<std::array<double, 3>, 3> rows{
        {{1.0, 0.3412718020639286, 0.02093897701803808},
         {52.0, 6.789311507977144, 0.8513387543455676},
         {1000.0, 34.65936206253827, 6.520995415638432}}};
    for (const auto& row : rows) {
        CAPTURE(row[0]);
        CHECK(close(expected_purchases(p, row[0]), row[1], 1e-12));
        CHECK(close(conditional_expected_purchases(p, row[0], 4, 20, 40), row[2], 1e-12));
    }
}

TEST_CASE("mbg/nbd: gradient against mpmath, heavy buyers, central differences") {
    // mpmath 1.3.0 (mp.dps = 40), the likelihood of the header in exact form:
    //   ll = loggamma(r+x) - loggamma(r) + r log(al) + loggamma(a+b) + loggamma(b+x+1)
    //        - loggamma(b) - loggamma(a+b+x+1) - (r+x) log(al+T)
    //        + log(1 + a/(b+x) ((al+T)/(al+tx))^(r+x)),  gradient by mp.diff.
    struct row {
        mbg_nbd_params p;
        double x, tx, T, ll;
        std::array<double, 4> grad;
    };
    const std::array<row, 3> rows{{
        {cdnow,
         7,
         29.43,
         38.86,
         -21.776522248903874846,
         {1.8982845737801727, -0.098841785257602509, -1.1744649502375458, 0.43062216704670688}},
        // ((alpha+T)/(alpha+t_x))^(r+x) = 10^1150: the direct form overflows
        {cdnow,
         1000,
         0.5,
         500,
         3995.9313603949121889,
         {8.6751741832519597, -149.62704547076548, -5.0828158772123053, 0.56572131451294413}},
        {{3.0, 0.05, 20.0, 0.01},
         300,
         200,
         1000,
         -271.521703283515659,
         {-3.5050022111433732, 58.485378655336163, -2.7488773136182141, 103.46415641470831}},
    }};
    for (const row& c : rows) {
        CAPTURE(c.x);
        const mbg_nbd_loglik l = log_likelihood_gradient(c.p, c.x, c.tx, c.T);
        CHECK(close(l.value, c.ll, 1e-13));
        for (int k = 0; k < 4; ++k) {
            CAPTURE(k);
            CHECK(close(l.gradient[k], c.grad[k], 1e-11));
        }
    }
    CHECK(p_alive(cdnow, 1000, 0.5, 500) == 0.0);

    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> logu(-2.0, 2.0);
    for (int trial = 0; trial < 40; ++trial) {
        mbg_nbd_params p{std::exp(logu(rng)), std::exp(logu(rng) + 2.0), std::exp(logu(rng)),
                         std::exp(logu(rng))};
        const double x = (trial % 8) * 4.0, T = 40.0;
        const double tx = x == 0.0 ? 0.0 : T * (trial % 5) / 5.0;
        const mbg_nbd_loglik l = log_likelihood_gradient(p, x, tx, T);
        std::array<double*, 4> q{&p.r, &p.alpha, &p.a, &p.b};
        for (int k = 0; k < 4; ++k) {
            const double v = *q[k], h = 1e-4 * v;
            auto at = [&](double step) {
                *q[k] = v + step;
                return log_likelihood(p, x, tx, T);
            };
            const double fd = (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
            *q[k] = v;
            CAPTURE(trial);
            CAPTURE(k);
            CHECK(std::abs(l.gradient[k] - fd) <=
                  1e-6 * std::max(1.0, std::abs(fd)) + 1e-9 * std::abs(l.value));
        }
    }
}

TEST_CASE("mbg/nbd: predictions satisfy their identities") {
    // sum_n P(X(t) = n) = 1 and sum_n n P(X(t) = n) = E[X(t)]
    for (double t : {1.0, 39.0}) {
        double total = 0.0, mean = 0.0;
        for (int n = 0; n < 3000; ++n) {
            const double pn = probability_of_purchases(cdnow, t, n);
            total += pn;
            mean += n * pn;
        }
        CAPTURE(t);
        CHECK(close(total, 1.0, 1e-12));
        CHECK(close(mean, expected_purchases(cdnow, t), 1e-9));
    }
    // x = 0, t_x = 0: P(alive) = 1/(1 + a/b ((alpha+T)/alpha)^r); by hand with r = 1,
    // alpha = 1, a = 1, b = 1, T = 1: 1/(1 + 2) = 1/3 (dead right after the first purchase is
    // possible, unlike BG/NBD).
    CHECK(close(p_alive({1, 1, 1, 1}, 0, 0, 1), 1.0 / 3.0, 1e-15));
    // last purchase at T: P(alive) = 1/(1 + a/(b+x)); r, alpha, a, b = 1, x = 3: 1/(1 + 1/4)
    CHECK(close(p_alive({1, 1, 1, 1}, 3, 5, 5), 0.8, 1e-15));
    // a = 1 is the removable singularity of the b/(a-1) forms: continuous across it
    const double at1 = expected_purchases({0.5, 5.0, 1.0, 2.0}, 10.0);
    CHECK(close(expected_purchases({0.5, 5.0, 1.0 + 1e-9, 2.0}, 10.0), at1, 1e-7));
    CHECK(std::isfinite(at1));
    CHECK(expected_purchases(cdnow, 0.0) == 0.0);
    CHECK(probability_of_purchases(cdnow, 0.0, 0) == 1.0);
    CHECK(probability_of_purchases(cdnow, 0.0, 2) == 0.0);
}

TEST_CASE("mbg/nbd: span versions match the scalar ones") {
    const std::vector<double> x{0, 2, 26, 1000}, tx{0, 30.43, 35.71, 0.5},
        T{38.86, 38.86, 38.86, 500};
    const std::vector<double> alive = p_alive(cdnow, x, tx, T);
    const std::vector<double> expected = conditional_expected_purchases(cdnow, 52, x, tx, T);
    for (std::size_t i = 0; i < x.size(); ++i) {
        CHECK(alive[i] == p_alive(cdnow, x[i], tx[i], T[i]));
        CHECK(expected[i] == conditional_expected_purchases(cdnow, 52, x[i], tx[i], T[i]));
    }
}

TEST_CASE("mbg/nbd: fit on CDNOW agrees with lifetimes' ModifiedBetaGeoFitter") {
    const cdnow_summary d = read_cdnow();
    if (d.x.empty()) {
        MESSAGE("skipped: no CDNOW data under CUSTOMETRICS_SHARED_DATA_DIR");
        return;
    }
    const fit_result f = fit_mbg_nbd(compress_summary(d.x, d.tx, d.T));
    CHECK(f.report.converged);
    const mbg_nbd_params p = mbg_nbd_params_from(f);
    // m = ModifiedBetaGeoFitter().fit(d["x"], d["t_x"], d["T"]) (lifetimes 0.11.3, BFGS,
    // tol 1e-7): r 0.5248377255677019, alpha 6.182988479134203, a 0.8913562809310627,
    // b 1.614000025671838; log-likelihood (unscaled times, summed):
    // -ModifiedBetaGeoFitter._negative_log_likelihood(log params, x, t_x, T, ones, 0) * 2357
    // = -9582.13268489992.
    CHECK(close(p.r, 0.5248377255677019, 1e-4));
    CHECK(close(p.alpha, 6.182988479134203, 1e-4));
    CHECK(close(p.a, 0.8913562809310627, 1e-4));
    CHECK(close(p.b, 1.614000025671838, 1e-4));
    CHECK(close(f.log_likelihood, -9582.13268489992, 1e-10));
    CHECK(f.log_likelihood >= -9582.13268489992 - 1e-8);
    CHECK_THROWS_AS(mbg_nbd_params_from(fit_result{}), invalid_argument);
}

TEST_CASE("mbg/nbd: bad input") {
    CHECK_THROWS_AS(log_likelihood({0.0, 1, 1, 1}, 1, 1, 2), invalid_argument);
    CHECK_THROWS_WITH_AS(p_alive({1, 1, -2, 1}, 1, 1, 2),
                         "mbg_nbd: parameter a must be a positive finite number, got -2",
                         invalid_argument);
    CHECK_THROWS_AS(p_alive({1, 1, 1, NAN}, 1, 1, 2), invalid_argument);
    CHECK_THROWS_AS(p_alive(cdnow, 1, 3, 2), data_error);
    CHECK_THROWS_AS(p_alive(cdnow, -1, 0, 2), data_error);
    CHECK_THROWS_AS(p_alive(cdnow, 0, 1, 2), data_error);
    CHECK_THROWS_AS(p_alive(cdnow, 1, 1, INFINITY), data_error);
    CHECK_THROWS_AS(expected_purchases(cdnow, -1), invalid_argument);
    CHECK_THROWS_AS(probability_of_purchases(cdnow, 1, -1), invalid_argument);
    const std::vector<double> x{1, 2}, tx{1, NAN}, T{2, 4}, short_T{2};
    CHECK_THROWS_WITH_AS(p_alive(cdnow, x, tx, T),
                         "recency: customer 1: value nan is not finite", data_error);
    CHECK_THROWS_AS(conditional_expected_purchases(cdnow, 1, x, tx, short_T), invalid_argument);
}
