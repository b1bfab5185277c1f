// Tests of retention/bg_bb.hpp: the published fit of Fader, Hardie & Shang (2010) on the
// donation data, the same fit and predictions against lifetimes 0.11.3, one likelihood term
// by hand, the likelihood against a direct lbeta/log-sum-exp evaluation, the analytic gradient
// against central differences, DERT against Boost.Math's 2F1, the expectations at gamma = 1
// (where the closed forms divide by zero), the pattern compression, and bad input.
//
// lifetimes values come from tests/reference/bg_bb_reference.py (lifetimes 0.11.3, numpy 1.26,
// scipy): `BetaGeoBetaBinomFitter().fit(frequency, recency, periods, weights=weights)` on
// `lifetimes.datasets.load_donations()`; at FHS's estimates (1.204, 0.750, 0.657, 2.783)
// `_loglikelihood`, `conditional_probability_alive(1, x, tx, n)`,
// `conditional_expected_number_of_purchases_up_to_time(k, x, tx, n)` and
// `expected_number_of_transactions_in_first_n_periods(n)` / N; DERT (FHS eq. 14) and E[X(n)]
// (FHS eq. 8) by their closed forms with scipy's hyp2f1 and gammaln.
#include <custometrics/error.hpp>
#include <custometrics/retention/bg_bb.hpp>

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

using namespace custometrics;

namespace {

double rel(double got, double want) {
    return std::abs(got - want) / std::abs(want);
}

const bg_bb_params fhs{1.204, 0.750, 0.657, 2.783}; // FHS 2010, the published estimates

// The donation data (FHS 2010; lifetimes 0.11.3 datasets/donations.csv, MIT licence):
// 11,104 first-time donors of 1995, n = 6 later yearly opportunities (1996-2001), the count
// of donors per (x, t_x) pattern.
struct pattern_count {
    double x, tx, n, count;
};
const std::vector<pattern_count> donations{
    {0, 0, 6, 3464}, {1, 1, 6, 1091}, {1, 2, 6, 277}, {1, 3, 6, 129}, {1, 4, 6, 78},
    {1, 5, 6, 119},  {1, 6, 6, 129},  {2, 2, 6, 613}, {2, 3, 6, 255}, {2, 4, 6, 155},
    {2, 5, 6, 173},  {2, 6, 6, 234},  {3, 3, 6, 322}, {3, 4, 6, 181}, {3, 5, 6, 225},
    {3, 6, 6, 357},  {4, 4, 6, 240},  {4, 5, 6, 284}, {4, 6, 6, 512}, {5, 5, 6, 335},
    {5, 6, 6, 728},  {6, 6, 6, 1203}};

struct columns {
    std::vector<double> x, tx, n, w;
};
columns donation_columns() {
    columns c;
    for (const pattern_count& p : donations) {
        c.x.push_back(p.x);
        c.tx.push_back(p.tx);
        c.n.push_back(p.n);
        c.w.push_back(p.count);
    }
    return c;
}

// log L by FHS eq. 5 directly: every term by lbeta (Boost), joined by log-sum-exp; independent
// of the library's ratio recurrence.
double direct_loglik(const bg_bb_params& p, double x, double tx, double n) {
    auto lb = [](double a, double b) { return std::log(boost::math::beta(a, b)); };
    std::vector<double> terms;
    terms.push_back(lb(p.alpha + x, p.beta + n - x) - lb(p.alpha, p.beta) +
                    lb(p.gamma, p.delta + n) - lb(p.gamma, p.delta));
    for (double i = 0; i <= n - tx - 1; ++i)
        terms.push_back(lb(p.alpha + x, p.beta + tx - x + i) - lb(p.alpha, p.beta) +
                        lb(p.gamma + 1, p.delta + tx + i) - lb(p.gamma, p.delta));
    const double hi = *std::max_element(terms.begin(), terms.end());
    double s = 0;
    for (double t : terms)
        s += std::exp(t - hi);
    return hi + std::log(s);
}

} // namespace

TEST_CASE("bg_bb: the published donation-data fit (Fader, Hardie & Shang 2010)") {
    const columns c = donation_columns();
    const bg_bb_patterns rows = compress_bg_bb(c.x, c.tx, c.n, c.w);
    CHECK(rows.size() == 22);
    CHECK(rows.total_weight == 11104);
    const fit_result f = fit_bg_bb(rows);
    CHECK(f.report.converged);
    CHECK(f.names == std::vector<std::string>{"alpha", "beta", "gamma", "delta"});
    CHECK(f.n == 11104);
    const bg_bb_params p = bg_bb_params_from(f);
    // FHS: 1.204, 0.750, 0.657, 2.783, LL -33,225.6 (to their rounding).
    CHECK(std::abs(p.alpha - 1.204) < 0.0005);
    CHECK(std::abs(p.beta - 0.750) < 0.0005);
    CHECK(std::abs(p.gamma - 0.657) < 0.0005);
    CHECK(std::abs(p.delta - 2.783) < 0.0005);
    CHECK(std::abs(f.log_likelihood - -33225.6) < 0.05);
    // lifetimes (scipy BFGS, tol 1e-7): the same optimum; our log-likelihood is no lower.
    CHECK(rel(p.alpha, 1.2035223936080277) < 2e-5);
    CHECK(rel(p.beta, 0.74971635817576021) < 2e-5);
    CHECK(rel(p.gamma, 0.65671816954995765) < 2e-5);
    CHECK(rel(p.delta, 2.7834419828876551) < 2e-5);
    CHECK(f.log_likelihood >= -33225.58127434615 - 1e-7);
    CHECK(f.log_likelihood < -33225.58127434615 + 1e-4);
    // Standard errors: lifetimes' (autograd Hessian in log-parameters, delta method).
    CHECK(rel(f.std_errors[0], 0.069391362186698488) < 1e-3);
    CHECK(rel(f.std_errors[1], 0.02944771622097736) < 1e-3);
    CHECK(rel(f.std_errors[2], 0.051009850332854358) < 1e-3);
    CHECK(rel(f.std_errors[3], 0.3208189394353807) < 1e-3);

    // The same fit on one row per donor (11,104 rows, weights 1): the compression finds the 22
    // patterns with the counts as weights, and the fit is the same.
    columns each;
    for (const pattern_count& q : donations)
        for (int k = 0; k < static_cast<int>(q.count); ++k) {
            each.x.push_back(q.x);
            each.tx.push_back(q.tx);
            each.n.push_back(q.n);
        }
    std::reverse(each.x.begin(), each.x.end()); // not in pattern order
    std::reverse(each.tx.begin(), each.tx.end());
    const bg_bb_patterns rows2 = compress_bg_bb(each.x, each.tx, each.n);
    REQUIRE(rows2.size() == 22);
    CHECK(rows2.weight == rows.weight);
    CHECK(rows2.frequency == rows.frequency);
    CHECK(rows2.recency == rows.recency);
    CHECK(rows2.row_of.size() == 11104);
    CHECK(rows2.row_of[0] == 21); // the last donor given: (6, 6, 6), the last pattern
    CHECK(rows2.frequency[rows2.row_of[11103]] == 0);
    const fit_result f2 = fit_bg_bb(rows2);
    CHECK(rel(f2.log_likelihood, f.log_likelihood) < 1e-12);
    CHECK(rel(f2.params[3], f.params[3]) < 1e-9);

    // Penalised (L2 0.01 on the natural parameters, lifetimes' penalty).
    fit_options o;
    o.penalizer = 0.01;
    const bg_bb_params q = bg_bb_params_from(fit_bg_bb(rows, o));
    CHECK(rel(q.alpha, 0.97753726921762174) < 1e-4);
    CHECK(rel(q.beta, 0.61812850686574694) < 1e-4);
    CHECK(rel(q.gamma, 0.31420768965822216) < 1e-4);
    CHECK(rel(q.delta, 1.0120611299458946) < 1e-4);
}

TEST_CASE("bg_bb: one likelihood term by hand") {
    // (x, t_x, n) = (0, 0, 1): either alive at opportunity 1 without a transaction,
    //     B(a, b+1)/B(a, b) B(g, d+1)/B(g, d) = b/(a+b) d/(g+d)
    //     = 0.75/1.954 * 2.783/3.44 = 0.38382804503582396 * 0.80901162790697674
    //     = 0.31052135155078...,
    // or dead before it (term i = 0 of the sum, t_x = 0):
    //     B(a, b)/B(a, b) B(g+1, d)/B(g, d) = g/(g+d) = 0.657/3.44 = 0.19098837209302325;
    // L = 0.50150972364381..., log L = -0.69013228264785842 (scipy; lifetimes
    // -0.69013228264785587).
    const double L = 0.75 / 1.954 * 2.783 / 3.44 + 0.657 / 3.44;
    CHECK(rel(std::exp(log_likelihood(fhs, 0, 0, 1)), L) < 1e-14);
    CHECK(rel(log_likelihood(fhs, 0, 0, 1), -0.69013228264785842) < 1e-14);
    // P(alive at 2) = b/(a+b) B(g, d+2)/B(g, d) / L, B(g, d+2)/B(g, d) = d(d+1)/((g+d)(g+d+1)).
    const double alive2 = 0.75 / 1.954 * (2.783 * 3.783) / (3.44 * 4.44) / L;
    CHECK(rel(p_alive(fhs, 0, 0, 1), alive2) < 1e-14);
    // n = 0: no opportunity observed, L = 1; P(alive at 1) = d/(g+d); E[X(0, 1)] = E[p] d/(g+d).
    CHECK(log_likelihood(fhs, 0, 0, 0) == 0.0);
    CHECK(rel(p_alive(fhs, 0, 0, 0), 2.783 / 3.44) < 1e-14);
    CHECK(rel(conditional_expected_purchases(fhs, 1, 0, 0, 0), 1.204 / 1.954 * 2.783 / 3.44) <
          1e-14);
    CHECK(rel(expected_purchases(fhs, 1), 1.204 / 1.954 * 2.783 / 3.44) < 1e-14);
    CHECK(expected_purchases(fhs, 0) == 0.0);
}

TEST_CASE("bg_bb: predictions against lifetimes at the published estimates") {
    // {x, t_x, n, log L, P(alive at n+1), P(alive at n+3), E[X(n, n+1)], E[X(n, n+5)],
    //  E[X(n, n+30)], DERT(0.1), DERT(0.01)} (bg_bb_reference.py). lifetimes adds 1e-15 to the sum
    //  over i of
    // eq. 5, which is negligible for n = 6 but makes its L 0.34% too large for (10, 40, 50) and
    // 21 times too large for (30, 49, 50) (terms near 1e-15 themselves): log L here is eq. 5
    // with scipy's betaln and logsumexp, and lifetimes' P(alive) and expectations are scaled by
    // L_lifetimes / L (all are proportional to 1/L; the script prints lifetimes' raw values).
    const std::vector<std::array<double, 11>> ref{
        {0, 0, 1, -0.69013228264785842, 0.52755225176479126, 0.41651849184681389,
         0.21502129692783045, 0.8713404875249251, 2.9635788329520727, 1.2517508634520111,
         4.8412924667126633},
        {0, 0, 6, -1.1672624726738932, 0.10801658416867421, 0.09540597518143494, 0.0163505113576922,
         0.072802877475043742, 0.29160058757956442, 0.11464699618176362, 0.51682807045715629},
        {1, 1, 6, -2.2885316856662574, 0.069408093206549698, 0.061304908582502912,
         0.019232516649136958, 0.08563539833787108, 0.34299925138938692, 0.13485512560449545,
         0.60792621419343562},
        {3, 4, 6, -5.0593079474111038, 0.43946285705575661, 0.38815689975857726,
         0.23227330287432738, 1.0342284984211145, 4.142441182142937, 1.6286607730608185,
         7.3419944072130399},
        {6, 6, 6, -2.1822484476182997, 0.93040254237288156, 0.82178086401767625,
         0.84267285834224881, 3.7521156075998574, 15.028514720693948, 5.9086783195553672,
         26.636291543184647},
        {2, 6, 6, -5.6520162686592279, 0.93040254237288234, 0.82178086401767647,
         0.37478121017886773, 1.6687643540741162, 6.6839757308583243, 2.6279019066984173,
         11.846568309878348},
        {5, 5, 6, -3.7169993072900187, 0.52190828628042374, 0.46097707487306211,
         0.40708058939951575, 1.812581736691605, 7.2600138591560768, 2.8543796433987341,
         12.867528784714995},
        {0, 0, 40, -1.2439872231926188, 0.0050301130906167477, 0.0048840946965887514,
         0.00014435467800684416, 0.00070118833339191395, 0.0036311042069253263,
         0.0012817028096482306, 0.0080910803051195499},
        {10, 40, 50, -28.685896650026905, 0.50721459842215899, 0.49515508244695006,
         0.10938199870414218, 0.53409478331709359, 2.8291572372252172, 0.98951601100466524,
         6.5235123957463825},
        {10, 12, 50, -10.582849704389723, 6.9684846960518055e-09, 6.8028022555691056e-09,
         1.5027698066351111e-09, 7.3377843133145812e-09, 3.8869028950778004e-08,
         1.3594693844843002e-08, 8.9624779010061153e-08},
        {30, 49, 50, -37.364198946316392, 0.956399750501849, 0.93366042457206777,
         0.57442156165864844, 2.8048084981201238, 14.857370843811747, 5.1964613836043698,
         34.258344355178586},
    };
    std::vector<double> xs;
    std::vector<double> txs;
    std::vector<double> ns;
    for (const auto& r : ref) {
        const double x = r[0];
        const double tx = r[1];
        const double n = r[2];
        CAPTURE(x);
        CAPTURE(tx);
        CAPTURE(n);
        CHECK(std::abs(log_likelihood(fhs, x, tx, n) - r[3]) < 1e-9);
        CHECK(rel(p_alive(fhs, x, tx, n), r[4]) < 1e-9);
        CHECK(rel(p_alive(fhs, x, tx, n, 3), r[5]) < 1e-9);
        CHECK(rel(conditional_expected_purchases(fhs, 1, x, tx, n), r[6]) < 1e-9);
        CHECK(rel(conditional_expected_purchases(fhs, 5, x, tx, n), r[7]) < 1e-9);
        CHECK(rel(conditional_expected_purchases(fhs, 30, x, tx, n), r[8]) < 1e-9);
        CHECK(rel(dert(fhs, 0.1, x, tx, n), r[9]) < 1e-9);
        CHECK(rel(dert(fhs, 0.01, x, tx, n), r[10]) < 1e-9);
        // At n (ahead = 0): 1 after a transaction at n.
        if (tx == n) CHECK(p_alive(fhs, x, tx, n, 0) == doctest::Approx(1.0).epsilon(1e-14));
        CHECK(conditional_expected_purchases(fhs, 0, x, tx, n) == 0.0);
        xs.push_back(x);
        txs.push_back(tx);
        ns.push_back(n);
    }
    // The span versions give the scalar values.
    const std::vector<double> pa = p_alive(fhs, xs, txs, ns);
    const std::vector<double> pa3 = p_alive(fhs, xs, txs, ns, 3);
    const std::vector<double> ce = conditional_expected_purchases(fhs, 5, xs, txs, ns);
    const std::vector<double> de = dert(fhs, 0.1, xs, txs, ns);
    for (std::size_t i = 0; i < ref.size(); ++i) {
        CHECK(pa[i] == p_alive(fhs, xs[i], txs[i], ns[i]));
        CHECK(pa3[i] == p_alive(fhs, xs[i], txs[i], ns[i], 3));
        CHECK(ce[i] == conditional_expected_purchases(fhs, 5, xs[i], txs[i], ns[i]));
        CHECK(de[i] == dert(fhs, 0.1, xs[i], txs[i], ns[i]));
    }

    // E[X(n)] (FHS eq. 8 closed form, scipy).
    CHECK(rel(expected_purchases(fhs, 1), 0.49849027635619197) < 1e-13);
    CHECK(rel(expected_purchases(fhs, 6), 2.2196313934873091) < 1e-13);
    CHECK(rel(expected_purchases(fhs, 11), 3.387571111064632) < 1e-13);
    CHECK(rel(expected_purchases(fhs, 50), 8.2140543394948544) < 1e-12);

    // P(X(n) = x) (lifetimes, FHS eq. 7); they sum to 1 and their mean is E[X(n)].
    const std::vector<double> p6{0.31121774326384954, 0.17010997840651476,  0.12148051376687112,
                                 0.10026311502480374, 0.091659853424921819, 0.092481147905292424,
                                 0.11278764820774681};
    const std::vector<double> p11{0.2963523058529226,   0.15103020708139911,  0.098736378910408984,
                                  0.073398629272403135, 0.059248735829883999, 0.050741477419377755,
                                  0.045504666447207409, 0.04242683513873189,  0.041030502653292528,
                                  0.041332208672253685, 0.044258395945528974, 0.055939656776589804};
    for (const auto& [n, p] : {std::pair{6, p6}, std::pair{11, p11}}) {
        double sum = 0;
        double mean = 0;
        for (int x = 0; x <= n; ++x) {
            CAPTURE(n);
            CAPTURE(x);
            const double pr = probability_of_purchases(fhs, n, x);
            CHECK(rel(pr, p[static_cast<std::size_t>(x)]) < 1e-12);
            sum += pr;
            mean += x * pr;
        }
        CHECK(std::abs(sum - 1) < 1e-14);
        CHECK(rel(mean, expected_purchases(fhs, n)) < 1e-13);
        CHECK(probability_of_purchases(fhs, n, n + 1) == 0.0);
    }
}

TEST_CASE("bg_bb: likelihood against the direct sum, gradient against central differences") {
    const std::vector<std::array<double, 3>> pats{
        {0, 0, 1},   {0, 0, 6},       {1, 1, 6},      {3, 4, 6},       {6, 6, 6},      {0, 0, 300},
        {1, 1, 300}, {150, 160, 300}, {20, 290, 300}, {299, 299, 300}, {300, 300, 300}};
    const std::vector<bg_bb_params> params{
        fhs, {0.1, 5, 3, 0.2}, {20, 0.3, 0.05, 40}, {1, 1, 1, 1}};
    for (const bg_bb_params& p : params)
        for (const auto& [x, tx, n] : pats) {
            CAPTURE(p.alpha);
            CAPTURE(x);
            CAPTURE(tx);
            CAPTURE(n);
            const bg_bb_loglik l = log_likelihood_gradient(p, x, tx, n);
            CHECK(l.value == log_likelihood(p, x, tx, n));
            const double direct = direct_loglik(p, x, tx, n);
            CHECK(std::abs(l.value - direct) < 1e-11 * std::max(1.0, std::abs(direct)));
            // Central differences with relative steps, truncation ~h^2.
            for (int k = 0; k < 4; ++k) {
                bg_bb_params up = p;
                bg_bb_params dn = p;
                double* pu = &up.alpha + k;
                double* pd = &dn.alpha + k;
                const double h = 1e-5 * *pu;
                *pu += h;
                *pd -= h;
                const double num =
                    (log_likelihood(up, x, tx, n) - log_likelihood(dn, x, tx, n)) / (2 * h);
                CAPTURE(k);
                CHECK(std::abs(l.gradient[static_cast<std::size_t>(k)] - num) <
                      1e-6 * std::max(1.0, std::abs(num)));
            }
        }
}

TEST_CASE("bg_bb: DERT against Boost.Math's 2F1 and its limits") {
    // FHS eq. 14: DERT = B(a+x+1, b+n-x)/B(a,b) B(g, d+n+1)/B(g,d) / (1+d) 2F1(1, d+n+1;
    // g+d+n+1; 1/(1+d)) / L, here with the posterior written through P(alive).
    const double x = 3;
    const double tx = 4;
    const double n = 6;
    for (double disc : {0.5, 0.1, 0.01}) {
        const double z = 1 / (1 + disc);
        const double f21 = boost::math::hypergeometric_pFq({1.0, fhs.delta + n + 1},
                                                           {fhs.gamma + fhs.delta + n + 1}, z);
        const double want =
            p_alive(fhs, x, tx, n) * (fhs.alpha + x) / (fhs.alpha + fhs.beta + n) * z * f21;
        CAPTURE(disc);
        CHECK(rel(dert(fhs, disc, x, tx, n), want) < 1e-11);
    }
    // d = 0 with gamma > 1: sum_j s_j = (g + d + n)/(g - 1); the series at small d approaches
    // it from below.
    const bg_bb_params g2{1.204, 0.75, 2.5, 2.783};
    const double total = p_alive(g2, x, tx, n) * (g2.alpha + x) / (g2.alpha + g2.beta + n) *
                         (g2.gamma + g2.delta + n) / (g2.gamma - 1);
    CHECK(rel(dert(g2, 0, x, tx, n), total) < 1e-14);
    CHECK(dert(g2, 1e-5, x, tx, n) < total);
    CHECK(rel(dert(g2, 1e-5, x, tx, n), total) < 1e-3);
    // The undiscounted sum is the limit of E[X(n, n+n*)] as n* grows.
    CHECK(rel(conditional_expected_purchases(g2, 100000, x, tx, n), total) < 1e-3);
    CHECK_THROWS_AS(dert(fhs, 0, x, tx, n), invalid_argument);    // gamma 0.657: infinite
    CHECK_THROWS_AS(dert(fhs, 1e-9, x, tx, n), invalid_argument); // series too long
    const double xs[] = {x};
    const double txs[] = {tx};
    const double ns[] = {n};
    CHECK_THROWS_AS(dert(fhs, 0, xs, txs, ns), invalid_argument);
}

TEST_CASE("bg_bb: expectations at gamma = 1, where the closed forms divide by zero") {
    // At gamma = 1, B(1, d+k)/B(1, d) = d/(d+k), so E[X(n)] = a/(a+b) sum_{k=1}^{n} d/(d+k), and
    // E[X(n, n+n*)] = sum_{k=1}^{n*} P(alive at n+k | data) (a+x)/(a+b+n) with
    // P(alive at n+k | data) = B(a+x, b+n-x)/B(a, b) d/(d+n+k) / L, summed here from those
    // definitions; FHS eq. 13's closed form is checked just off gamma = 1.
    const bg_bb_params p{1.204, 0.75, 1.0, 2.783};
    double s = 0;
    for (int k = 1; k <= 20; ++k)
        s += 2.783 / (2.783 + k);
    CHECK(rel(expected_purchases(p, 20), 1.204 / 1.954 * s) < 1e-14);
    // Conditional, (x, t_x, n) = (2, 5, 6): P(alive at 6+k | data) = A(6+k)/L with
    // A(m) = B(a+2, b+4)/B(a, b) d/(d+m) at gamma = 1.
    const double lA =
        std::log(boost::math::beta(1.204 + 2, 0.75 + 4) / boost::math::beta(1.204, 0.75));
    const double L = std::exp(direct_loglik(p, 2, 5, 6));
    double want = 0;
    for (int k = 1; k <= 10; ++k)
        want += std::exp(lA) * 2.783 / (2.783 + 6 + k) / L * (1.204 + 2) / (1.954 + 6);
    CHECK(rel(conditional_expected_purchases(p, 10, 2, 5, 6), want) < 1e-12);
    // FHS eq. 13's closed form near gamma = 1 (the removable singularity) agrees to ~1e-6.
    auto closed = [](const bg_bb_params& q, int future, double x, double n) {
        const double g = q.gamma;
        const double d = q.delta;
        const double r0 = std::lgamma(1 + d + n) - std::lgamma(g + d + n);
        const double r1 = std::lgamma(1 + d + n + future) - std::lgamma(g + d + n + future);
        return std::exp(std::log(boost::math::beta(q.alpha + x + 1, q.beta + n - x)) -
                        std::log(boost::math::beta(q.alpha, q.beta))) *
               d / (g - 1) * std::exp(std::lgamma(g + d) - std::lgamma(1 + d)) *
               (std::exp(r0) - std::exp(r1));
    };
    const bg_bb_params near{1.204, 0.75, 1.0 + 1e-6, 2.783};
    const double cl = closed(near, 10, 2, 6) / std::exp(log_likelihood(near, 2, 5, 6));
    CHECK(rel(conditional_expected_purchases(near, 10, 2, 5, 6), cl) < 1e-6);
    CHECK(rel(conditional_expected_purchases(p, 10, 2, 5, 6), cl) < 1e-5);
}

TEST_CASE("bg_bb: bad input") {
    CHECK_THROWS_AS(log_likelihood({-1, 1, 1, 1}, 0, 0, 1), invalid_argument);
    CHECK_THROWS_AS(p_alive({1, 1, std::nan(""), 1}, 0, 0, 1), invalid_argument);
    CHECK_THROWS_WITH_AS(p_alive(fhs, 1, 7, 6), "recency: value 7 is above periods (6)",
                         data_error);
    CHECK_THROWS_WITH_AS(p_alive(fhs, 3, 2, 6),
                         "frequency: value 3 is above recency (2): one transaction per opportunity",
                         data_error);
    CHECK_THROWS_WITH_AS(p_alive(fhs, 0, 2, 6),
                         "recency: value 2 is not 0 for a customer with frequency 0", data_error);
    CHECK_THROWS_WITH_AS(p_alive(fhs, 1.5, 2, 6), "frequency: value 1.5 is not a whole number >= 0",
                         data_error);
    CHECK_THROWS_WITH_AS(p_alive(fhs, 1, 2, 6.5), "periods: value 6.5 is not a whole number >= 0",
                         data_error);
    CHECK_THROWS_AS(p_alive(fhs, 1, 2, std::nan("")), data_error);
    CHECK_THROWS_AS(p_alive(fhs, 1, 2, 2e7), data_error);
    CHECK_THROWS_AS(conditional_expected_purchases(fhs, -1, 1, 2, 6), invalid_argument);
    CHECK_THROWS_AS(p_alive(fhs, 1, 2, 6, -1), invalid_argument);
    CHECK_THROWS_AS(conditional_expected_purchases(fhs, 10'000'001, 1, 2, 6), invalid_argument);
    CHECK_THROWS_AS(expected_purchases(fhs, 10'000'001), invalid_argument);
    CHECK_THROWS_AS(probability_of_purchases(fhs, 10'000'001, 1), invalid_argument);
    CHECK_THROWS_AS(dert(fhs, -0.1, 1, 2, 6), invalid_argument);
    CHECK_THROWS_AS(dert(fhs, std::nan(""), 1, 2, 6), invalid_argument);
    CHECK_THROWS_AS(expected_purchases(fhs, -1), invalid_argument);
    CHECK_THROWS_AS(probability_of_purchases(fhs, 6, -1), invalid_argument);

    // The span versions and the compression name the position.
    const std::vector<double> x{1, 2, 1};
    const std::vector<double> tx{1, 4, 3};
    const std::vector<double> n{6, 3, 6};
    try {
        (void)p_alive(fhs, x, tx, n);
        FAIL("no exception");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) == "recency: customer 1: value 4 is above periods (3)");
        CHECK(e.context().argument == "recency");
        CHECK(e.context().row == 1);
        CHECK(e.context().value == "4");
    }
    CHECK_THROWS_AS(compress_bg_bb(x, tx, n), data_error);
    const std::vector<double> ok_n{6, 6, 6};
    const std::vector<double> two{6, 6};
    const std::vector<double> zeros{0, 0, 0};
    const std::vector<double> negative{1, -2, 1};
    const std::vector<double> one_zero{1, 0, 1};
    CHECK_THROWS_AS(compress_bg_bb(x, tx, two), invalid_argument);
    CHECK_THROWS_AS(compress_bg_bb({}, {}, {}), invalid_argument);
    CHECK_THROWS_AS(compress_bg_bb(x, tx, ok_n, two), invalid_argument);
    CHECK_THROWS_AS(compress_bg_bb(x, tx, ok_n, zeros), invalid_argument);
    try {
        (void)compress_bg_bb(x, tx, ok_n, negative);
        FAIL("no exception");
    } catch (const data_error& e) {
        CHECK(e.context().argument == "weights");
        CHECK(e.context().row == 1);
    }
    // A zero weight is allowed and leaves its pattern out of the likelihood.
    const bg_bb_patterns rows = compress_bg_bb(x, tx, ok_n, one_zero);
    CHECK(rows.size() == 3);
    CHECK(rows.total_weight == 2);

    fit_result not_bb;
    not_bb.names = {"r", "alpha", "a", "b"};
    not_bb.params = {1, 1, 1, 1};
    CHECK_THROWS_AS(bg_bb_params_from(not_bb), invalid_argument);
    // From a list as a face passes it: the order alpha, beta, gamma, delta; four numbers only.
    const std::vector<double> listed{1.204, 0.750, 0.657, 2.783};
    const bg_bb_params from_list = bg_bb_params_from(listed);
    CHECK(from_list.alpha == 1.204);
    CHECK(from_list.delta == 2.783);
    const std::vector<double> three{1, 2, 3};
    CHECK_THROWS_WITH_AS(bg_bb_params_from(three),
                         "params: the BG/BB model has 4 parameters (alpha, beta, gamma, delta), "
                         "got 3",
                         invalid_argument);
    CHECK_THROWS_AS(fit_bg_bb(bg_bb_patterns{}), invalid_argument);
}
