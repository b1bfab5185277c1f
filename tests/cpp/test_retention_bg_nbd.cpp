// Tests of retention/bg_nbd.hpp: the likelihood, P(alive) and forecasts worked by hand at
// simple parameters; the same quantities against lifetimes 0.11.3 at the published CDNOW
// estimates; the analytic gradient against central differences; heavy buyers (x = 1000); the
// published CDNOW fit (Fader, Hardie & Lee 2005); parameter recovery on generated customers;
// and bad input.
//
// lifetimes values come from tests/reference/retention_reference.py (lifetimes 0.11.3, numpy 1.26,
// scipy): `b = BetaGeoFitter(); b.params_ = pd.Series(dict(r=0.243, alpha=4.414, a=0.793,
// b=2.426))`, then `b.conditional_probability_alive(x, tx, T)`,
// `b.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T)`,
// `b.expected_number_of_purchases_up_to_time(t)`, `b.probability_of_n_purchases_up_to_time(39,
// n)`, `-BetaGeoFitter._negative_log_likelihood(log(params), [x], [tx], [T], [1], 0)` and
// `BetaGeoFitter(penalizer_coef=c).fit(d.frequency, d.recency, d["T"])` on
// `lifetimes.datasets.load_cdnow_summary(index_col=[0])`.
#include <custometrics/error.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/retention/bg_nbd.hpp>
#include <custometrics/summary.hpp>

#include <boost/math/quadrature/tanh_sinh.hpp>
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

const bg_nbd_params cdnow{0.243, 4.414, 0.793, 2.426}; // FHL 2005, weeks

struct cdnow_summary {
    std::vector<double> x, tx, T, m;
};

// The 2,357-customer CDNOW sample summarised over the 39-week calibration period
// (ID,x,t_x,T,zbar); empty when the shared data is not there.
cdnow_summary read_cdnow() {
    cdnow_summary s;
    const std::filesystem::path path = std::filesystem::path(CUSTOMETRICS_SHARED_DATA_DIR) /
                                       "cdnow" / "cdnow_customers_summary_with_transactions.csv";
    std::ifstream in(path);
    if (!in) return s;
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string f[5];
        for (auto& v : f)
            std::getline(ss, v, ',');
        s.x.push_back(std::stod(f[1]));
        s.tx.push_back(std::stod(f[2]));
        s.T.push_back(std::stod(f[3]));
        s.m.push_back(std::stod(f[4]));
    }
    return s;
}

double rel(double got, double want) {
    return std::abs(got - want) / std::abs(want);
}

} // namespace

TEST_CASE("bg_nbd: likelihood, P(alive) and E[X(t)] worked by hand") {
    const bg_nbd_params p{1, 1, 1, 1};
    // x = 1, t_x = 1, T = 2: B(1, 2)/B(1, 1) = 1/2, Gamma(2)/Gamma(1) = 1, alpha^r = 1,
    // bracket (1+2)^-2 + (a/(b+x-1)) (1+1)^-2 = 1/9 + 1/4 = 13/36: L = 13/72.
    CHECK(log_likelihood(p, 1, 1, 2) == doctest::Approx(std::log(13.0 / 72.0)).epsilon(1e-14));
    // x = 0, T = 2: L = (alpha/(alpha+T))^r = 1/3.
    CHECK(log_likelihood(p, 0, 0, 2) == doctest::Approx(-std::log(3.0)).epsilon(1e-14));
    // P(alive) = 1 / (1 + (1/1) (3/2)^2) = 4/13; 1 for x = 0.
    CHECK(p_alive(p, 1, 1, 2) == doctest::Approx(4.0 / 13.0).epsilon(1e-14));
    CHECK(p_alive(p, 0, 0, 2) == 1.0);

    // E[X(t)] = E_p[(1/p)(1 - (alpha/(alpha + p t))^r)] (FHL 2005 sec. 4, before eq. 9).
    // r = 1, alpha = 1, t = 1, a = b = 2 (Beta density 6 p (1-p)):
    // 6 int_0^1 p (1-p)/(1+p) dp = 6 (3/2 - 2 log 2) = 9 - 12 log 2.
    CHECK(expected_purchases({1, 1, 2, 2}, 1) ==
          doctest::Approx(9 - 12 * std::log(2.0)).epsilon(1e-13));
    // a = 1, b = 2 (density 2 (1-p)), the removable singularity of eq. 9:
    // 2 int_0^1 (1-p)/(1+p) dp = 2 (2 log 2 - 1).
    CHECK(expected_purchases({1, 1, 1, 2}, 1) ==
          doctest::Approx(4 * std::log(2.0) - 2).epsilon(1e-13));
    CHECK(expected_purchases({1, 1, 1 + 1e-9, 2}, 1) ==
          doctest::Approx(4 * std::log(2.0) - 2).epsilon(1e-8));
    CHECK(expected_purchases(p, 0) == 0.0);
    // A new customer's conditional forecast (x = 0, T -> 0) is E[X(t)].
    CHECK(conditional_expected_purchases({1, 1, 2, 2}, 1, 0, 0, 1e-300) ==
          doctest::Approx(9 - 12 * std::log(2.0)).epsilon(1e-13));
    // P(X(t) = 0) = B(a, b)/B(a, b) (alpha/(alpha+t))^r = 1/2 at r = alpha = t = 1.
    CHECK(probability_of_purchases(p, 1, 0) == doctest::Approx(0.5).epsilon(1e-14));
    // P(X(1) = 1) = B(1, 2)/B(1, 1) (1/2)(1/2) + B(2, 1)/B(1, 1) (1 - 1/2) = 1/8 + 1/4.
    CHECK(probability_of_purchases(p, 1, 1) == doctest::Approx(0.375).epsilon(1e-14));
}

TEST_CASE("bg_nbd: CDNOW parameters, against lifetimes 0.11.3") {
    struct row {
        double x, tx, T, palive, cond52, cond1;
    };
    const row rows[] = {
        {2, 30.43, 38.86, 0.72657857008067295, 1.5587208064320972, 0.037447969741733936},
        {1, 1.71, 38.86, 0.21210098537737909, 0.25982346486862162, 0.0060629517982834545},
        {0, 0, 38.86, 1, 0.25207302228245038, 0.005595657889482763},
        {5, 20, 38, 0.30926907448999108, 1.5088761039779686, 0.037961748503729541},
        {40, 30, 38.86, 0.0051511586836432621, 0.17980707062605969, 0.0047490200426795592},
        {1, 38.86, 38.86, 0.75365020192606402, 0.92322063669323429, 0.021543251385250973},
        {500, 38, 38.86, 0.0267986903650285, 11.504540498654977, -1},
        {1000, 38.5, 38.86, 0.22885330464969897, 196.34690630169578, -1},
    };
    std::vector<double> xs, txs, Ts;
    for (const row& r : rows) {
        CAPTURE(r.x);
        CAPTURE(r.tx);
        CHECK(rel(p_alive(cdnow, r.x, r.tx, r.T), r.palive) < 1e-12);
        CHECK(rel(conditional_expected_purchases(cdnow, 52, r.x, r.tx, r.T), r.cond52) < 1e-10);
        if (r.cond1 > 0)
            CHECK(rel(conditional_expected_purchases(cdnow, 1, r.x, r.tx, r.T), r.cond1) < 1e-10);
        xs.push_back(r.x);
        txs.push_back(r.tx);
        Ts.push_back(r.T);
    }
    // Span versions give the scalar values.
    const std::vector<double> pa = p_alive(cdnow, xs, txs, Ts);
    const std::vector<double> ce = conditional_expected_purchases(cdnow, 52, xs, txs, Ts);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        CHECK(pa[i] == p_alive(cdnow, xs[i], txs[i], Ts[i]));
        CHECK(ce[i] == conditional_expected_purchases(cdnow, 52, xs[i], txs[i], Ts[i]));
    }

    // Log-likelihood of single customers (lifetimes' negative log-likelihood of one row).
    CHECK(rel(log_likelihood(cdnow, 2, 30.43, 38.86), -9.4586063070662707) < 1e-13);
    CHECK(rel(log_likelihood(cdnow, 0, 0, 38.86), -0.55471327643815849) < 1e-13);
    CHECK(rel(log_likelihood(cdnow, 500, 38, 38.86), 720.33504655476008) < 1e-13);
    CHECK(rel(log_likelihood(cdnow, 1000, 38.5, 38.86), 2134.1395912673206) < 1e-13);
    CHECK(rel(log_likelihood(cdnow, 1000, 10, 38.86), 3225.1429836828206) < 1e-13);

    // E[X(t)] (eq. 9) and P(X(39) = n) (eq. 8).
    const double ex[][2] = {{1, 0.05326789117165627},
                            {39, 1.1967231933207985},
                            {52, 1.446050595396398},
                            {78, 1.8605190579427455},
                            {520, 4.9746178618495636}};
    for (const auto& e : ex)
        CHECK(rel(expected_purchases(cdnow, e[0]), e[1]) < 1e-11);
    const double pn[] = {0.57378635209600937, 0.19939528083591135, 0.085429759539060721,
                         0.045860353847999705, 0.027671449335782181};
    for (int n = 0; n < 5; ++n)
        CHECK(rel(probability_of_purchases(cdnow, 39, n), pn[n]) < 1e-11);
    CHECK(rel(probability_of_purchases(cdnow, 39, 20), 0.00039869209414220816) < 1e-10);
}

TEST_CASE("bg_nbd: P(X(t) = n) sums to 1 and has mean E[X(t)]") {
    // Independent of the closed forms: the distribution of eq. 8 against eq. 9.
    const bg_nbd_params p{1.5, 4.0, 2.5, 3.0}; // a light tail: E[X] converges quickly
    double total = 0;
    double mean = 0;
    for (int n = 0; n <= 400; ++n) {
        const double q = probability_of_purchases(p, 10, n);
        total += q;
        mean += n * q;
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
    CHECK(mean == doctest::Approx(expected_purchases(p, 10)).epsilon(1e-11));
}

TEST_CASE("bg_nbd: analytic gradient against central differences") {
    const bg_nbd_params ps[] = {cdnow, {1.3, 0.7, 2.2, 0.4}, {0.05, 120.0, 0.3, 9.0}};
    const double customers[][3] = {{0, 0, 38.86}, {1, 0.5, 38.86},  {2, 30.43, 38.86},
                                   {7, 37, 39},   {500, 38, 38.86}, {1000, 10, 38.86}};
    for (const auto& p : ps) {
        for (const auto& c : customers) {
            CAPTURE(c[0]);
            CAPTURE(c[1]);
            const bg_nbd_loglik g = log_likelihood_gradient(p, c[0], c[1], c[2]);
            CHECK(g.value == log_likelihood(p, c[0], c[1], c[2]));
            for (int j = 0; j < 4; ++j) {
                CAPTURE(j);
                bg_nbd_params hi = p;
                bg_nbd_params lo = p;
                double* phi[] = {&hi.r, &hi.alpha, &hi.a, &hi.b};
                double* plo[] = {&lo.r, &lo.alpha, &lo.a, &lo.b};
                const double h = 1e-6 * *phi[j];
                *phi[j] += h;
                *plo[j] -= h;
                const double fd =
                    (log_likelihood(hi, c[0], c[1], c[2]) - log_likelihood(lo, c[0], c[1], c[2])) /
                    (2 * h);
                // Central differences: truncation ~h^2, rounding ~1e-16 |ll| / h.
                CHECK(std::abs(g.gradient[j] - fd) <=
                      1e-6 * (std::abs(fd) + 1) +
                          1e-9 * std::abs(g.value) / (h / *phi[j]) / *phi[j]);
            }
        }
    }
}

TEST_CASE("bg_nbd: heavy buyers stay finite") {
    for (const double x : {1000.0, 1e5}) {
        for (const double tx : {0.01, 10.0, 38.0, 38.86}) {
            CAPTURE(x);
            CAPTURE(tx);
            const bg_nbd_loglik g = log_likelihood_gradient(cdnow, x, tx, 38.86);
            CHECK(std::isfinite(g.value));
            for (double d : g.gradient)
                CHECK(std::isfinite(d));
            const double pa = p_alive(cdnow, x, tx, 38.86);
            CHECK((pa >= 0 && pa <= 1));
            const double e = conditional_expected_purchases(cdnow, 520, x, tx, 38.86);
            CHECK(std::isfinite(e));
            CHECK(e >= 0);
        }
    }
}

TEST_CASE("bg_nbd: conditional expectation against a quadrature of the model") {
    // Independent of eq. 10: given alive at T, lambda ~ Gamma(r + x, alpha + T) and
    // p ~ Beta(a, b + x) independently, and E[Y(t) | lambda, p] = (1 - exp(-lambda p t))/p
    // (FHL 2005 appendix). Integrating lambda out:
    //     E[Y(t) | alive] = int_0^1 (1 - ((alpha+T)/(alpha+T+p t))^(r+x)) / p Beta(p; a, b+x) dp,
    // by tanh-sinh quadrature (the Beta density is singular at 0 when a < 1), then times
    // P(alive).
    const double customers[][3] = {{0, 0, 38.86},
                                   {2, 30.43, 38.86},
                                   {40, 30, 38.86},
                                   {1000, 38.5, 38.86},
                                   {1000, 38.86, 38.86}};
    boost::math::quadrature::tanh_sinh<double> integrator;
    for (const auto& c : customers) {
        const double x = c[0];
        const double aT = cdnow.alpha + c[2];
        const double t = 52;
        const double lb =
            std::lgamma(cdnow.a) + std::lgamma(cdnow.b + x) - std::lgamma(cdnow.a + cdnow.b + x);
        auto f = [&](double p) {
            const double growth = -std::expm1(-(cdnow.r + x) * std::log1p(p * t / aT));
            return growth / p *
                   std::exp((cdnow.a - 1) * std::log(p) + (cdnow.b + x - 1) * std::log1p(-p) - lb);
        };
        const double alive = integrator.integrate(f, 0.0, 1.0, 1e-13);
        CAPTURE(x);
        CHECK(rel(conditional_expected_purchases(cdnow, t, x, c[1], c[2]),
                  alive * p_alive(cdnow, x, c[1], c[2])) < 1e-9);
    }
}

TEST_CASE("bg_nbd: published CDNOW fit (Fader, Hardie & Lee 2005) and lifetimes' fit") {
    const cdnow_summary d = read_cdnow();
    if (d.x.empty()) {
        MESSAGE("CDNOW summary not found under CUSTOMETRICS_SHARED_DATA_DIR: skipped");
        return;
    }
    REQUIRE(d.x.size() == 2357);
    const compressed_summary rows = compress_summary(d.x, d.tx, d.T);
    CHECK(rows.size() == 1016); // pandas drop_duplicates(["x", "t_x", "T"])
    const fit_result f = fit_bg_nbd(rows);
    CHECK(f.report.converged);
    const bg_nbd_params p = bg_nbd_params_from(f);
    // FHL 2005 sec. 5: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
    CHECK(p.r == doctest::Approx(0.243).epsilon(0.0005 / 0.243));
    CHECK(p.alpha == doctest::Approx(4.414).epsilon(0.0005 / 4.414));
    CHECK(p.a == doctest::Approx(0.793).epsilon(0.0005 / 0.793));
    CHECK(p.b == doctest::Approx(2.426).epsilon(0.0005 / 2.426));
    CHECK(std::abs(f.log_likelihood - -9582.4) < 0.05);
    // lifetimes' fit (BFGS to tol 1e-7): the same optimum to ~1e-5.
    CHECK(rel(p.r, 0.2425929282798216) < 2e-5);
    CHECK(rel(p.alpha, 4.413532265271803) < 2e-5);
    CHECK(rel(p.a, 0.7928859664405851) < 2e-5);
    CHECK(rel(p.b, 2.42575238262545) < 2e-5);
    // Standard errors (lifetimes: autograd Hessian of the mean in log-parameters, delta method).
    CHECK(rel(f.std_errors[0], 0.012557320698193184) < 1e-3);
    CHECK(rel(f.std_errors[1], 0.378221457043926) < 1e-3);
    CHECK(rel(f.std_errors[2], 0.18571907191206236) < 1e-3);
    CHECK(rel(f.std_errors[3], 0.7053453435329929) < 1e-3);
    // The reported log-likelihood is the sum of the customers' (original weeks, not scaled).
    double ll = 0;
    for (std::size_t i = 0; i < d.x.size(); ++i)
        ll += log_likelihood(p, d.x[i], d.tx[i], d.T[i]);
    CHECK(f.log_likelihood == doctest::Approx(ll).epsilon(1e-12));
    CHECK(f.n == 2357.0);

    // Every customer at the published parameters against lifetimes: the sums over the 2,357
    // customers of P(alive) and of the 1- and 52-week forecasts
    // (tests/reference/retention_reference.py; a one-off customer-by-customer comparison of all of
    // them agreed to 1e-12 relative at worst).
    const std::vector<double> pa = p_alive(cdnow, d.x, d.tx, d.T);
    const std::vector<double> e1 = conditional_expected_purchases(cdnow, 1, d.x, d.tx, d.T);
    const std::vector<double> e52 = conditional_expected_purchases(cdnow, 52, d.x, d.tx, d.T);
    double s_pa = 0, s_e1 = 0, s_e52 = 0;
    for (std::size_t i = 0; i < d.x.size(); ++i) {
        s_pa += pa[i];
        s_e1 += e1[i];
        s_e52 += e52[i];
    }
    CHECK(rel(s_pa, 1917.2172651479814) < 1e-13);
    CHECK(rel(s_e1, 52.164276246817522) < 1e-12);
    CHECK(rel(s_e52, 2090.075834461145) < 1e-12);

    // L2 penalty 0.1, lifetimes' BetaGeoFitter(penalizer_coef=0.1) (alpha scaled by 1/max T).
    fit_options o;
    o.penalizer = 0.1;
    const fit_result pf = fit_bg_nbd(rows, o);
    CHECK(pf.report.converged);
    CHECK(rel(pf.params[0], 0.23094701386573419) < 1e-4);
    CHECK(rel(pf.params[1], 4.219287523619098) < 1e-4);
    CHECK(rel(pf.params[2], 0.12865474020745987) < 1e-4);
    CHECK(rel(pf.params[3], 0.26712679605042133) < 1e-4);

    // Starting elsewhere (given in weeks) reaches the same optimum; two threads too.
    o.penalizer = 0;
    o.initial = {1.0, 10.0, 1.0, 1.0};
    o.threads = 2;
    const fit_result f2 = fit_bg_nbd(rows, o);
    for (int j = 0; j < 4; ++j)
        CHECK(rel(f2.params[j], f.params[j]) < 1e-6);
}

TEST_CASE("bg_nbd: parameters recovered from 100,000 generated customers") {
    // The generator draws the BG/NBD story in continuous time (rates per day); the summary
    // counts purchase *days* and whole-day recency and age, a small discretisation. Seed 11
    // gives r 0.2468, alpha 32.06, a 0.7845, b 2.450 (truth 0.243, 30.9, 0.793, 2.426): alpha
    // is 3.8% high (3.3 of its standard errors 0.35), the others within 2%. Debug: ~2 s.
    generate_options g;
    g.customers = 100'000;
    g.seed = 11;
    g.return_rate = 0;
    const generated_log log = generate_transactions(g);
    summary_options so;
    so.observation_end = g.end;
    const customer_summary s = summarize(log.log.view(), so);
    const compressed_summary rows = compress_summary(s.frequency, s.recency, s.T);
    const fit_result f = fit_bg_nbd(rows);
    CHECK(f.report.converged);
    // The fit evaluates these rows through a table of distinct times; the same log-likelihood
    // as the customers' own.
    const bg_nbd_params p = bg_nbd_params_from(f);
    double ll = 0;
    for (std::size_t i = 0; i < s.frequency.size(); ++i)
        ll += log_likelihood(p, s.frequency[i], s.recency[i], s.T[i]);
    CHECK(f.log_likelihood == doctest::Approx(ll).epsilon(1e-11));
    // ... and the optimum of the customers' own gradient (the fit takes the rows of the common
    // frequencies through tables of powers (alpha + t)^(r + x)): the mean gradient in
    // log-parameters, p_j d ll / d p_j / n, vanishes to the fit's tolerance (1e-9 relative,
    // 1000 times that at rounding level); scaling one term of the fit's alpha gradient by
    // 1.0001 leaves 4e-7 to 2e-5 here.
    std::array<double, 4> grad{};
    for (std::size_t i = 0; i < s.frequency.size(); ++i) {
        const bg_nbd_loglik l = log_likelihood_gradient(p, s.frequency[i], s.recency[i], s.T[i]);
        for (int j = 0; j < 4; ++j)
            grad[j] += l.gradient[j];
    }
    for (int j = 0; j < 4; ++j) {
        CAPTURE(j);
        CHECK(std::abs(grad[j] * f.params[j]) / static_cast<double>(s.frequency.size()) < 1e-7);
    }
    const double truth[] = {g.r, g.alpha, g.a, g.b};
    for (int j = 0; j < 4; ++j) {
        CAPTURE(f.names[j]);
        CAPTURE(f.params[j]);
        CAPTURE(f.std_errors[j]);
        CHECK(rel(f.params[j], truth[j]) < 0.05);
    }
}

TEST_CASE("bg_nbd: long horizons: increasing forecasts up to the documented series bound") {
    // t up to ~2.7e4 (alpha + T) sums the hypergeometric series; beyond, it throws.
    double previous = 0;
    for (const double t : {52.0, 520.0, 5200.0, 1e5}) {
        const double e = conditional_expected_purchases(cdnow, t, 2, 30.43, 38.86);
        CHECK(e > previous);
        previous = e;
        CHECK(expected_purchases(cdnow, t) > 0);
    }
    CHECK_THROWS_AS(conditional_expected_purchases(cdnow, 1e9, 2, 30.43, 38.86), invalid_argument);
    CHECK_THROWS_AS(expected_purchases(cdnow, 1e9), invalid_argument);
}

TEST_CASE("bg_nbd: bad input") {
    CHECK_THROWS_AS(p_alive({-1, 1, 1, 1}, 1, 1, 2), invalid_argument);
    CHECK_THROWS_AS(p_alive({1, std::nan(""), 1, 1}, 1, 1, 2), invalid_argument);
    CHECK_THROWS_WITH_AS(p_alive(cdnow, 1, 3, 2), "recency: value 3 is above T (2)",
                         data_error);
    CHECK_THROWS_AS(p_alive(cdnow, 1.5, 1, 2), data_error);
    CHECK_THROWS_AS(p_alive(cdnow, 0, 1, 2), data_error);
    CHECK_THROWS_AS(log_likelihood(cdnow, 1, 1, 0), data_error);
    CHECK_THROWS_AS(log_likelihood(cdnow, -1, 0, 1), data_error);
    CHECK_THROWS_AS(conditional_expected_purchases(cdnow, -1, 1, 1, 2), invalid_argument);
    CHECK_THROWS_AS(expected_purchases(cdnow, std::numeric_limits<double>::infinity()),
                    invalid_argument);
    CHECK_THROWS_AS(expected_purchases({1, 1, 0.3, 0.5}, 1), invalid_argument); // a + b < 1
    CHECK_THROWS_AS(probability_of_purchases(cdnow, 1, -1), invalid_argument);
    const std::vector<double> x{1, 2};
    const std::vector<double> tx{1, 5};
    const std::vector<double> T{2, 4};
    CHECK_THROWS_WITH_AS(p_alive(cdnow, x, tx, T),
                         "recency: customer 1: value 5 is above T (4)", data_error);
    CHECK_THROWS_AS(p_alive(cdnow, x, tx, std::vector<double>{2}), invalid_argument);
    fit_result wrong;
    wrong.names = {"r", "alpha", "s", "beta"};
    wrong.params = {1, 1, 1, 1};
    CHECK_THROWS_AS(bg_nbd_params_from(wrong), invalid_argument);
}
