// Tests of retention/pareto_nbd.hpp: the log-likelihood and predictions against lifetimes 0.11.3
// at the CDNOW estimates, against 50-digit mpmath values of the hypergeometric form (heavy buyers,
// long histories, both branches, both sides of the series/quadrature switch), the gradient
// against mpmath and against central differences, identities of the predictions, the CDNOW
// log-likelihood at the published estimates, and bad input.
#include <custometrics/error.hpp>
#include <custometrics/retention/fit.hpp>
#include <custometrics/retention/pareto_nbd.hpp>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

#ifdef NDEBUG
constexpr bool debug_build = false;
#else
constexpr bool debug_build = true;
#endif

// The CDNOW estimates of Fader, Hardie & Lee (2005), time unit one week.
constexpr pareto_nbd_params cdnow{0.553, 10.578, 0.606, 11.669};

bool close(double got, double want, double rel) {
    return std::abs(got - want) <= rel * std::max(std::abs(want), 1e-300);
}

struct cdnow_summary {
    std::vector<double> x, tx, T;
};

// The 2,357-customer CDNOW calibration summary (weeks) shipped with the shared data; empty when
// the shared data directory is absent.
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

// Central difference of order 4 of the log-likelihood in parameter k.
double numeric_derivative(pareto_nbd_params p, int k, double x, double tx, double T) {
    std::array<double*, 4> q{&p.r, &p.alpha, &p.s, &p.beta};
    const double v = *q[k], h = 1e-4 * v;
    auto at = [&](double step) {
        *q[k] = v + step;
        return log_likelihood(p, x, tx, T);
    };
    return (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
}

} // namespace

TEST_CASE("pareto/nbd: agrees with lifetimes 0.11.3 at the CDNOW estimates") {
    // /work/venv-r2/bin/python (lifetimes 0.11.3, scipy 1.17.1):
    //   f = ParetoNBDFitter(); f.params_ = pd.Series({"r": 0.553, "alpha": 10.578,
    //                                                 "s": 0.606, "beta": 11.669})
    //   P = [0.553, 10.578, 0.606, 11.669]
    //   f._conditional_log_likelihood(P, x, tx, T), f.conditional_probability_alive(x, tx, T),
    //   f.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T),
    //   [f.conditional_probability_of_n_purchases_up_to_time(n, 39, x, tx, T) for n in (0,1,3)]
    struct row {
        double x, tx, T, ll, alive, expected, p0, p1, p3;
    };
    const std::array<row, 6> rows{{
        {0, 0.0, 38.86, -0.5210462940808909, 0.29528660461689443, 0.10708146821530898,
         0.9307148159456802, 0.045898124125809486, 0.005314443007192747},
        {2, 30.43, 38.86, -9.554283245150405, 0.8691675591530114, 1.4551231932576048,
         0.40806272360646373, 0.21928749790096388, 0.09565534629634972},
        {1, 1.71, 38.86, -4.45019433388101, 0.16800232672434479, 0.17109298055378294,
         0.913358754665093, 0.043134487490923815, 0.011046041660882869},
        {7, 29.43, 38.86, -21.59464321811261, 0.7495014076670342, 3.7122513804705637,
         0.3112444193308396, 0.06522712294196839, 0.08404649372244657},
        {26, 35.71, 38.86, -43.73080176434255, 0.9021124545710911, 15.707957374098598,
         0.1176062294462527, 0.018616761174599147, 0.016724481778049336},
        {10, 5.0, 38.86, -17.27282360143178, 5.0818880830866396e-05, 0.00035167903131154687,
         0.9999519624904492, 2.6957843381817612e-06, 3.413273408801617e-06},
    }};
    for (const row& c : rows) {
        CAPTURE(c.x);
        CHECK(close(log_likelihood(cdnow, c.x, c.tx, c.T), c.ll, 1e-12));
        CHECK(close(p_alive(cdnow, c.x, c.tx, c.T), c.alive, 1e-12));
        CHECK(close(conditional_expected_purchases(cdnow, 39, c.x, c.tx, c.T), c.expected, 1e-12));
        // lifetimes sums three 2F1 terms with cancellation here; the quadrature form agrees to
        // 1e-9 relative (observed: 1e-13).
        CHECK(
            close(conditional_probability_of_purchases(cdnow, 39, 0, c.x, c.tx, c.T), c.p0, 1e-9));
        CHECK(
            close(conditional_probability_of_purchases(cdnow, 39, 1, c.x, c.tx, c.T), c.p1, 1e-9));
        CHECK(
            close(conditional_probability_of_purchases(cdnow, 39, 3, c.x, c.tx, c.T), c.p3, 1e-9));
    }
    // f.expected_number_of_purchases_up_to_time(39)
    CHECK(close(expected_purchases(cdnow, 39), 1.2130028442810157, 1e-14));
}

TEST_CASE("pareto/nbd: heavy buyers and long histories against 50-digit mpmath") {
    // mpmath 1.3.0, mp.dps = 50, the hypergeometric form of note 009 (eqs. 19-20):
    //   F(t) = (m+t)^-(r+s+x)/(r+s+x) * hyp2f1(r+s+x, s+1 if alpha >= beta else r+x,
    //                                          r+s+x+1, |alpha-beta|/(m+t)), m = max(alpha,beta)
    //   A = (alpha+T)^-(r+x) (beta+T)^-s;  I = F(tx) - F(T)
    //   ll = loggamma(r+x) - loggamma(r) + r log(alpha) + s log(beta) + log(A + s I)
    //   gradient: mp.diff of ll in each parameter.
    // lifetimes 0.11.3 gives nan for the fifth case (scipy's hyp2f1 overflows).
    struct row {
        pareto_nbd_params p;
        double x, tx, T, ll;
        std::array<double, 4> grad;
    };
    const std::array<row, 6> rows{{
        {cdnow,
         0,
         0,
         38.86,
         -0.52104629408089037401,
         {-0.85489523085227069, 0.026363674593273, 0.35662606926660925, -0.012899181084054924}},
        {cdnow,
         26,
         35.71,
         38.86,
         -43.730801764342557786,
         {3.4457991806847109, -0.48709499375633224, -1.3000386202678605, 0.037870449984910352}},
        // alpha / beta = 21: z > 0.9, quadrature; 1000 purchases
        {{0.553, 10.578, 0.606, 0.5},
         1000,
         1,
         500,
         3453.3662019850738339,
         {8.5399035563967339, -86.280860445698142, 0.54397394223539202, 0.14938703584923343}},
        // beta / alpha = 1167, the other branch by quadrature
        {{0.553, 0.01, 0.606, 11.669},
         300,
         30,
         380,
         379.68752123919207349,
         {-0.58265274067228754, 45.318099276870672, 0.37494611394050154, 0.013482800656916525}},
        {{2.0, 1e4, 3.0, 1.0},
         200,
         100,
         1000,
         -989.98062593748996364,
         {4.8710230490840605, -0.019759436455638832, -4.4532209106381639, 2.9662406752767268}},
        // last purchase at T: I = 0
        {cdnow,
         3,
         38.86,
         38.86,
         -12.657952820093732721,
         {1.3019863244910324, -0.019589480523802606, -1.4656116760603883, 0.039939357782848394}},
    }};
    for (const row& c : rows) {
        CAPTURE(c.x);
        CAPTURE(c.p.beta);
        const pareto_nbd_loglik l = log_likelihood_gradient(c.p, c.x, c.tx, c.T);
        CHECK(close(l.value, c.ll, 1e-13));
        CHECK(close(log_likelihood(c.p, c.x, c.tx, c.T), c.ll, 1e-13)); // the value-only path
        for (int k = 0; k < 4; ++k) {
            CAPTURE(k);
            CHECK(close(l.gradient[k], c.grad[k], 1e-11));
        }
    }
    // mpmath, as above: x = 300, tx = 1, T = 500 at (0.553, 10.578, 0.606, 0.5) and x = 500,
    // tx = 0.5, T = 2000 at the CDNOW estimates; P(alive) is 1e-494 and 1e-1130 there: 0.
    CHECK(close(log_likelihood({0.553, 10.578, 0.606, 0.5}, 300, 1, 500), 672.23401635336236085,
                1e-14));
    CHECK(close(log_likelihood(cdnow, 500, 0.5, 2000), 1398.7344518547432104, 1e-14));
    CHECK(p_alive(cdnow, 500, 0.5, 2000) == 0.0);
}

TEST_CASE("pareto/nbd: series and quadrature agree at the switch z = 0.9") {
    // beta = 0.0999 and 0.1001 alpha-ish: x = 0 customers with t_x = 0 have z = 1 - beta/alpha
    // just above and below 0.9. mpmath (as above): -0.21499102831985107743 at beta =
    // 11.669 * 0.0999 (P(alive) 0.061999811954632303244), -0.2151893125125015933 at
    // 11.669 * 0.1001 (0.062085117307866672352).
    const pareto_nbd_params below{0.553, 10.578, 0.606, 11.669 * 0.0999};
    const pareto_nbd_params above{0.553, 10.578, 0.606, 11.669 * 0.1001};
    CHECK(close(log_likelihood(below, 0, 0, 38.86), -0.21499102831985107743, 1e-13));
    CHECK(close(log_likelihood(above, 0, 0, 38.86), -0.2151893125125015933, 1e-13));
    CHECK(close(p_alive(below, 0, 0, 38.86), 0.061999811954632303244, 1e-13));
    CHECK(close(p_alive(above, 0, 0, 38.86), 0.062085117307866672352, 1e-13));
    // Continuity across the switch for a repeat buyer: z at t_x = 0.5 crosses 0.9 between the two
    // betas below; the log-likelihood moves smoothly (the derivative in beta times the step).
    const double bz = 10.578 - 0.9 * (10.578 + 0.5); // z(t_x) = (alpha-beta)/(alpha+0.5) = 0.9
    REQUIRE(bz > 0.0);
    const double h = 1e-7;
    const pareto_nbd_params lo{0.553, 10.578, 0.606, bz - h}, hi{0.553, 10.578, 0.606, bz + h};
    const double jump = log_likelihood(hi, 4, 0.5, 38.86) - log_likelihood(lo, 4, 0.5, 38.86);
    const double slope = log_likelihood_gradient(lo, 4, 0.5, 38.86).gradient[3];
    CHECK(std::abs(jump - 2 * h * slope) < 1e-12);
}

TEST_CASE("pareto/nbd: gradient against central differences on random parameters") {
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> logu(-3.0, 3.0);
    int checked = 0;
    for (int trial = 0; trial < 60; ++trial) {
        const pareto_nbd_params p{std::exp(logu(rng)), std::exp(logu(rng) + 1.0),
                                  std::exp(logu(rng)), std::exp(logu(rng) + 1.0)};
        const double T = 40.0;
        const double x = static_cast<double>(trial % 12) * 3.0;
        const double tx = x == 0.0 ? 0.0 : T * static_cast<double>(trial % 7) / 7.0;
        const pareto_nbd_loglik l = log_likelihood_gradient(p, x, tx, T);
        for (int k = 0; k < 4; ++k) {
            const double fd = numeric_derivative(p, k, x, tx, T);
            CAPTURE(trial);
            CAPTURE(k);
            // order-4 differences with h = 1e-4 p: truncation ~1e-13, rounding ~1e-12 |ll|/p
            CHECK(std::abs(l.gradient[k] - fd) <=
                  1e-6 * std::max(1.0, std::abs(fd)) + 1e-9 * std::abs(l.value));
            ++checked;
        }
    }
    CHECK(checked == 240);
}

TEST_CASE("pareto/nbd: predictions satisfy their identities") {
    // sum_n P(X(t) = n) = 1 and sum_n n P(X(t) = n) = E[X(t)] (closed form, eq. 27 of note 009)
    for (double t : {1.0, 39.0, 200.0}) {
        double total = 0.0, mean = 0.0;
        for (int n = 0; n < 1500; ++n) { // the tail beyond 1500 is below 1e-20 at t = 200
            const double pn = probability_of_purchases(cdnow, t, n);
            total += pn;
            mean += n * pn;
        }
        CAPTURE(t);
        CHECK(close(total, 1.0, 1e-10));
        CHECK(close(mean, expected_purchases(cdnow, t), 1e-9));
    }
    // the same for a customer with history: sum_n n P(n | history) = E[X(T, T+t) | history]
    double total = 0.0, mean = 0.0;
    for (int n = 0; n < 400; ++n) {
        const double pn = conditional_probability_of_purchases(cdnow, 39, n, 7, 29.43, 38.86);
        total += pn;
        mean += n * pn;
    }
    CHECK(close(total, 1.0, 1e-10));
    CHECK(close(mean, conditional_expected_purchases(cdnow, 39, 7, 29.43, 38.86), 1e-9));
    // s = 1: E[X(t)] = r beta/alpha log(1 + t/beta) (the limit of eq. 27); by hand with
    // r = 0.5, alpha = 2, beta = 4, t = 4: 0.5 * 4/2 * log(2) = log(2).
    CHECK(close(expected_purchases({0.5, 2.0, 1.0, 4.0}, 4.0), std::log(2.0), 1e-15));
    // s just off 1: continuous
    CHECK(close(expected_purchases({0.5, 2.0, 1.0 + 1e-9, 4.0}, 4.0), std::log(2.0), 1e-8));
    // t = 0: nothing happens
    CHECK(expected_purchases(cdnow, 0.0) == 0.0);
    CHECK(probability_of_purchases(cdnow, 0.0, 0) == 1.0);
    CHECK(conditional_expected_purchases(cdnow, 0.0, 2, 30.43, 38.86) == 0.0);
    // P(alive) is 1 when the last purchase is at T
    CHECK(p_alive(cdnow, 3, 38.86, 38.86) == 1.0);
    // t_x one ulp below T: I vanishes to working precision, no 0/0 in the gradient, on both
    // sides of the series/quadrature switch
    for (const pareto_nbd_params& p : {cdnow, pareto_nbd_params{0.553, 10.578, 0.606, 0.5}}) {
        const double tx = std::nextafter(38.86, 0.0);
        const pareto_nbd_loglik near = log_likelihood_gradient(p, 3, tx, 38.86);
        const pareto_nbd_loglik at = log_likelihood_gradient(p, 3, 38.86, 38.86);
        CHECK(close(near.value, at.value, 1e-13));
        for (int k = 0; k < 4; ++k)
            CHECK(close(near.gradient[k], at.gradient[k], 1e-9));
    }
}

TEST_CASE("pareto/nbd: span versions match the scalar ones") {
    const std::vector<double> x{0, 2, 26, 500}, tx{0, 30.43, 35.71, 0.5},
        T{38.86, 38.86, 38.86, 2000};
    const std::vector<double> alive = p_alive(cdnow, x, tx, T);
    const std::vector<double> expected = conditional_expected_purchases(cdnow, 52, x, tx, T);
    REQUIRE(alive.size() == 4);
    for (std::size_t i = 0; i < x.size(); ++i) {
        CHECK(alive[i] == p_alive(cdnow, x[i], tx[i], T[i]));
        CHECK(expected[i] == conditional_expected_purchases(cdnow, 52, x[i], tx[i], T[i]));
    }
    CHECK(p_alive(cdnow, std::vector<double>{}, std::vector<double>{}, std::vector<double>{})
              .empty());
}

TEST_CASE("pareto/nbd: CDNOW log-likelihood at the published estimates") {
    const cdnow_summary d = read_cdnow();
    if (d.x.empty()) {
        MESSAGE("skipped: no CDNOW data under CUSTOMETRICS_SHARED_DATA_DIR");
        return;
    }
    REQUIRE(d.x.size() == 2357);
    double ll = 0.0;
    for (std::size_t i = 0; i < d.x.size(); ++i)
        ll += log_likelihood(cdnow, d.x[i], d.tx[i], d.T[i]);
    // Fader, Hardie & Lee (2005): -9595.0 at the rounded estimates; lifetimes 0.11.3, summing
    // ParetoNBDFitter._conditional_log_likelihood(P, x, tx, T) customer by customer:
    // -9594.974010040962.
    CHECK(close(ll, -9594.974010040962, 1e-12));
}

TEST_CASE("pareto/nbd: bad input") {
    CHECK_THROWS_AS(log_likelihood({0.0, 1, 1, 1}, 1, 1, 2), invalid_argument);
    CHECK_THROWS_AS(p_alive({1, -1, 1, 1}, 1, 1, 2), invalid_argument);
    CHECK_THROWS_AS(p_alive({1, 1, NAN, 1}, 1, 1, 2), invalid_argument);
    CHECK_THROWS_AS(p_alive({1, 1, 1, INFINITY}, 1, 1, 2), invalid_argument);
    CHECK_THROWS_WITH_AS(p_alive(cdnow, 1, 3, 2), "recency: value 3 is above T (2)",
                         data_error);
    CHECK_THROWS_AS(p_alive(cdnow, -1, 0, 2), data_error);
    CHECK_THROWS_AS(p_alive(cdnow, NAN, 0, 2), data_error);
    CHECK_THROWS_AS(p_alive(cdnow, 1, -1, 2), data_error);
    CHECK_THROWS_AS(p_alive(cdnow, 0, 1, 2), data_error);
    CHECK_THROWS_AS(p_alive(cdnow, 0, 0, 0), data_error);
    CHECK_THROWS_AS(expected_purchases(cdnow, -1), invalid_argument);
    CHECK_THROWS_AS(expected_purchases(cdnow, NAN), invalid_argument);
    CHECK_THROWS_AS(probability_of_purchases(cdnow, 1, -1), invalid_argument);
    const std::vector<double> x{1, 2}, tx{1, 5}, T{2, 4}, short_T{2};
    CHECK_THROWS_WITH_AS(p_alive(cdnow, x, tx, T),
                         "recency: customer 1: value 5 is above T (4)", data_error);
    CHECK_THROWS_AS(p_alive(cdnow, x, tx, short_T), invalid_argument);
}

TEST_CASE("pareto/nbd: fit on CDNOW reproduces the published estimates") {
    const cdnow_summary d = read_cdnow();
    if (d.x.empty()) {
        MESSAGE("skipped: no CDNOW data under CUSTOMETRICS_SHARED_DATA_DIR");
        return;
    }
    const compressed_summary rows = compress_summary(d.x, d.tx, d.T);
    const fit_result f = fit_pareto_nbd(rows);
    CHECK(f.report.converged);
    const pareto_nbd_params p = pareto_nbd_params_from(f);
    // Fader, Hardie & Lee (2005, "RFM and CLV" and note 009): r = 0.553, alpha = 10.578,
    // s = 0.606, beta = 11.669, log-likelihood -9595.0 (3 significant digits asked by issue 7).
    CHECK(close(p.r, 0.553, 5e-3));
    CHECK(close(p.alpha, 10.578, 5e-3));
    CHECK(close(p.s, 0.606, 5e-3));
    CHECK(close(p.beta, 11.669, 5e-3));
    CHECK(std::abs(f.log_likelihood - (-9595.0)) < 0.05);
    // the maximum is at least the value at the rounded published estimates (lifetimes 0.11.3:
    // -9594.974010040962) and at lifetimes' own fit (ParetoNBDFitter().fit(d["x"], d["t_x"],
    // d["T"]), Nelder-Mead, tol 1e-4: r 0.553198411042134, alpha 10.576713595257495,
    // s 0.6063499102038443, beta 11.672857093559514, summed log-likelihood -9594.973931683011;
    // here r 0.55328, alpha 10.5776, s 0.60621, beta 11.6679, -9594.9739298), and the reported
    // log-likelihood is the sum at the fitted parameters
    CHECK(f.log_likelihood >= -9594.973931683011);
    CHECK(close(p.beta, 11.672857093559514, 1e-3));
    double ll = 0.0;
    for (std::size_t i = 0; i < d.x.size(); ++i)
        ll += log_likelihood(p, d.x[i], d.tx[i], d.T[i]);
    CHECK(close(f.log_likelihood, ll, 1e-12));
    CHECK(f.std_errors.size() == 4);
    CHECK_THROWS_AS(pareto_nbd_params_from(fit_result{}), invalid_argument);
}

// 100,000 simulated customers take ~1.5 s to fit in Release and far longer unoptimised, so this
// runs in optimised builds only (the release preset and CI's Release job).
TEST_CASE("pareto/nbd: recovers known parameters from 100,000 simulated customers" *
          doctest::skip(debug_build)) {
    // The Pareto/NBD story, simulated directly (the project's generator draws BG/NBD
    // customers): lambda ~ Gamma(r, alpha), mu ~ Gamma(s, beta), lifetime ~ Exp(mu), purchases
    // a Poisson process of rate lambda until min(lifetime, T); T in whole weeks 52..156 (weekly
    // cohorts). Boost.Random's distributions are fixed algorithms, so the seed fixes the data.
    // Standard errors at this size (observed information): about 1.1%, 1.0%, 1.3%, 2.1%, so
    // 5% is more than two of them for every parameter.
    const pareto_nbd_params truth{1.0, 4.0, 2.0, 15.0};
    const std::size_t n = 100'000;
    boost::random::mt19937_64 rng(1);
    boost::random::gamma_distribution<double> rate(truth.r, 1.0 / truth.alpha);
    boost::random::gamma_distribution<double> death_rate(truth.s, 1.0 / truth.beta);
    boost::random::uniform_int_distribution<int> weeks(52, 156);
    std::vector<double> x(n), tx(n), T(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double lambda = rate(rng), mu = death_rate(rng);
        T[i] = weeks(rng);
        const double end = std::min(boost::random::exponential_distribution<double>(mu)(rng), T[i]);
        boost::random::exponential_distribution<double> gap(lambda);
        for (double t = gap(rng); t <= end; t += gap(rng)) {
            x[i] += 1.0;
            tx[i] = t;
        }
    }
    const fit_result f = fit_pareto_nbd(compress_summary(x, tx, T));
    CHECK(f.report.converged);
    const pareto_nbd_params p = pareto_nbd_params_from(f);
    CHECK(close(p.r, truth.r, 0.05));
    CHECK(close(p.alpha, truth.alpha, 0.05));
    CHECK(close(p.s, truth.s, 0.05));
    CHECK(close(p.beta, truth.beta, 0.05));
    // each estimate within three of its standard errors of the truth
    const std::array<double, 4> want{truth.r, truth.alpha, truth.s, truth.beta};
    for (std::size_t k = 0; k < 4; ++k)
        CHECK(std::abs(f.params[k] - want[k]) < 3.0 * f.std_errors[k]);
}
