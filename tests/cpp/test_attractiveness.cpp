// Tests of attractiveness.hpp: growth, the three normalisations (ties, a constant column, less
// is better), direct weights, AHP on Saaty's published drinks matrix (checked against the paper
// and against power iteration and the geometric-mean approximation run here), the consistency
// error and its acceptance, scores and ranks with a tie, sensitivity crossing points worked by
// hand and checked by brute force, matrix placement on and around the cut points, bad input.
#include <custometrics/attractiveness.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace custometrics;
using doctest::Approx;

namespace {

const double nan_v = std::numeric_limits<double>::quiet_NaN();
const double inf_v = std::numeric_limits<double>::infinity();

// The message of the exception `f` throws, checking its type.
template <class E, class F> std::string message_of(F f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    FAIL("no exception of the expected type");
    return {};
}

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

std::vector<double> col(const Eigen::MatrixXd& m, Eigen::Index j) {
    return {m.col(j).data(), m.col(j).data() + m.rows()};
}

// Principal eigenvector (sum 1) and eigenvalue by power iteration, independent of Eigen's solver.
std::pair<std::vector<double>, double> power_iteration(const Eigen::MatrixXd& a) {
    Eigen::VectorXd x = Eigen::VectorXd::Constant(a.rows(), 1.0 / static_cast<double>(a.rows()));
    for (int it = 0; it < 2000; ++it) {
        x = a * x;
        x /= x.sum();
    }
    const Eigen::VectorXd ax = a * x;
    const double lambda = ax.sum(); // sum(A x) / sum(x), sum(x) = 1
    return {{x.data(), x.data() + x.size()}, lambda};
}

// Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
// Sciences 1(1), 83-98, Table 3: "Which drink is consumed more in the US?", rows and columns
// coffee, wine, tea, beer, sodas, milk, water.
Eigen::MatrixXd drinks() {
    Eigen::MatrixXd a(7, 7);
    a << 1, 9, 5, 2, 1, 1, 0.5,                                  //
        1.0 / 9, 1, 1.0 / 3, 1.0 / 9, 1.0 / 9, 1.0 / 9, 1.0 / 9, //
        1.0 / 5, 3, 1, 1.0 / 3, 1.0 / 4, 1.0 / 3, 1.0 / 9,       //
        1.0 / 2, 9, 3, 1, 1.0 / 2, 1, 1.0 / 3,                   //
        1, 9, 4, 2, 1, 2, 1.0 / 2,                               //
        1, 9, 3, 1, 1.0 / 2, 1, 1.0 / 3,                         //
        2, 9, 9, 3, 2, 3, 1;
    return a;
}

} // namespace

TEST_CASE("attractiveness: growth between two periods") {
    // (120 - 100) / 100 = 0.2, (50 - 50) / 50 = 0, (60 - 80) / 80 = -0.25.
    const std::vector<double> g =
        growth(std::vector<double>{100, 50, 80}, std::vector<double>{120, 50, 60});
    CHECK(g == std::vector<double>{0.2, 0.0, -0.25});
    CHECK(growth(std::vector<double>{}, std::vector<double>{}).empty());

    CHECK(contains(message_of<data_error>([] {
                       growth(std::vector<double>{100, 0}, std::vector<double>{1, 2});
                   }),
                   "before: segment 1: must be finite and > 0 (the base of the growth), got 0"));
    CHECK(contains(message_of<data_error>([] {
                       growth(std::vector<double>{1, 2}, std::vector<double>{nan_v, 2});
                   }),
                   "after: segment 0: value is nan"));
    CHECK(contains(message_of<invalid_argument>([] {
                       growth(std::vector<double>{1, 2}, std::vector<double>{1});
                   }),
                   "after: has 1 segments, before has 2"));
}

TEST_CASE("attractiveness: normalisations, ties, constant column, less is better") {
    // Columns: 10, 20, 40, 30 (three ways and flipped), 5, 3, 5, 1 by rank, 7 constant (three
    // ways).
    const std::vector<criterion> crit{
        {"mm", direction::more_is_better, normalisation::min_max},
        {"mm_less", direction::less_is_better, normalisation::min_max},
        {"z", direction::more_is_better, normalisation::z_score},
        {"z_less", direction::less_is_better, normalisation::z_score},
        {"rank_ties", direction::more_is_better, normalisation::rank},
        {"rank_less", direction::less_is_better, normalisation::rank},
        {"const_mm", direction::more_is_better, normalisation::min_max},
        {"const_z", direction::less_is_better, normalisation::z_score},
        {"const_rank", direction::less_is_better, normalisation::rank},
    };
    Eigen::MatrixXd raw(4, 9);
    raw << 10, 10, 10, 10, 5, 5, 7, 7, 7, //
        20, 20, 20, 20, 3, 3, 7, 7, 7,    //
        40, 40, 40, 40, 5, 5, 7, 7, 7,    //
        30, 30, 30, 30, 1, 1, 7, 7, 7;
    const Eigen::MatrixXd v = normalise_criteria(raw, crit);
    REQUIRE(v.rows() == 4);
    REQUIRE(v.cols() == 9);

    // min-max: min 10, max 40: (x - 10) / 30 = 0, 1/3, 1, 2/3; less is better: 1 - that.
    CHECK(col(v, 0) == std::vector<double>{0.0, 10.0 / 30.0, 1.0, 20.0 / 30.0});
    CHECK(v(0, 1) == 1.0);
    CHECK(v(1, 1) == Approx(2.0 / 3.0));
    CHECK(v(2, 1) == 0.0);
    CHECK(v(3, 1) == Approx(1.0 / 3.0));

    // z-score: mean 25, deviations -15, -5, 15, 5, population variance (225+25+225+25)/4 = 125,
    // sd = 11.18034: z = -1.341641, -0.447214, 1.341641, 0.447214; less is better: -z.
    const double sd = std::sqrt(125.0);
    for (Eigen::Index s = 0; s < 4; ++s) {
        CHECK(v(s, 2) == Approx((raw(s, 2) - 25.0) / sd));
        CHECK(v(s, 3) == Approx(-(raw(s, 2) - 25.0) / sd));
    }
    CHECK(v(0, 2) == Approx(-1.341641).epsilon(1e-6));

    // rank: 5, 3, 5, 1 ascending: 1 -> 1, 3 -> 2, 5 and 5 -> (3 + 4) / 2 = 3.5; scaled
    // (r - 1) / 3: 2.5/3, 1/3, 2.5/3, 0. Less is better: 1 - that: 1/6, 2/3, 1/6, 1.
    CHECK(v(0, 4) == Approx(2.5 / 3.0));
    CHECK(v(1, 4) == Approx(1.0 / 3.0));
    CHECK(v(2, 4) == Approx(2.5 / 3.0));
    CHECK(v(3, 4) == 0.0);
    CHECK(v(0, 5) == Approx(1.0 / 6.0));
    CHECK(v(1, 5) == Approx(2.0 / 3.0));
    CHECK(v(3, 5) == 1.0);

    // Constant column: min-max 0.5, z-score 0 (flipped: -0 == 0), rank 0.5 (flipped: 0.5).
    CHECK(col(v, 6) == std::vector<double>(4, 0.5));
    CHECK(col(v, 7) == std::vector<double>(4, 0.0));
    CHECK(col(v, 8) == std::vector<double>(4, 0.5));

    // Huge and tiny magnitudes: max - min of +-1e308 overflows and squares of 1e-200 vanish
    // unless the column is rescaled first. min-max of 1e308, -1e308, 0: 1, 0, 0.5; z-score of
    // 1e-200, 2e-200, 3e-200: deviations -1, 0, 1 (x 1e-200), sd sqrt(2/3): -1.224745, 0, 1.224745.
    Eigen::MatrixXd extreme(3, 2);
    extreme << 1e308, 1e-200, -1e308, 2e-200, 0, 3e-200;
    const Eigen::MatrixXd ve = normalise_criteria(
        extreme, std::vector<criterion>{
                     {"huge"}, {"tiny", direction::more_is_better, normalisation::z_score}});
    CHECK(ve(0, 0) == 1.0);
    CHECK(ve(1, 0) == 0.0);
    CHECK(ve(2, 0) == 0.5);
    CHECK(ve(0, 1) == Approx(-std::sqrt(1.5)));
    CHECK(ve(1, 1) == Approx(0.0).scale(1));
    CHECK(ve(2, 1) == Approx(std::sqrt(1.5)));

    // One segment: every column is constant.
    Eigen::MatrixXd one(1, 3);
    one << 3, 4, 5;
    const std::vector<criterion> c3{{"a", direction::more_is_better, normalisation::min_max},
                                    {"b", direction::more_is_better, normalisation::z_score},
                                    {"c", direction::more_is_better, normalisation::rank}};
    const Eigen::MatrixXd v1 = normalise_criteria(one, c3);
    CHECK(v1(0, 0) == 0.5);
    CHECK(v1(0, 1) == 0.0);
    CHECK(v1(0, 2) == 0.5);
}

TEST_CASE("attractiveness: normalise_criteria rejects bad input") {
    const std::vector<criterion> crit{{"size"}, {"growth"}};
    Eigen::MatrixXd raw(3, 2);
    raw << 1, 2, 3, nan_v, 5, 6;
    CHECK(message_of<data_error>([&] { normalise_criteria(raw, crit); }) ==
          "values: segment 1, criterion \"growth\": value is nan");
    raw(1, 1) = -inf_v;
    CHECK(contains(message_of<data_error>([&] { normalise_criteria(raw, crit); }), "-inf"));
    raw(1, 1) = 4;
    CHECK(contains(message_of<invalid_argument>(
                       [&] { normalise_criteria(raw, std::vector<criterion>{{"size"}}); }),
                   "values: has 2 columns, criteria has 1"));
    CHECK_THROWS_AS(normalise_criteria(raw, std::vector<criterion>{}), invalid_argument);
    CHECK_THROWS_AS(normalise_criteria(Eigen::MatrixXd(0, 2), crit), invalid_argument);
}

TEST_CASE("attractiveness: direct weights are validated and normalised") {
    const std::vector<criterion> crit{{"size"}, {"growth"}, {"margin"}};
    // 2, 1, 1 -> / 4 -> 0.5, 0.25, 0.25; zeros are allowed.
    CHECK(normalise_weights(std::vector<double>{2, 1, 1}, crit) ==
          std::vector<double>{0.5, 0.25, 0.25});
    CHECK(normalise_weights(std::vector<double>{0, 3, 0}, crit) ==
          std::vector<double>{0.0, 1.0, 0.0});

    CHECK(message_of<invalid_argument>([&] {
              normalise_weights(std::vector<double>{1, -1, 1}, crit);
          }) == "weights: criterion \"growth\": must be finite and >= 0, got -1");
    CHECK(message_of<invalid_argument>([&] {
              normalise_weights(std::vector<double>{1, 1, nan_v}, crit);
          }) == "weights: criterion \"margin\": must be finite and >= 0, got nan");
    CHECK(contains(message_of<invalid_argument>([&] {
                       normalise_weights(std::vector<double>{0, 0, 0}, crit);
                   }),
                   "all are 0"));
    CHECK(contains(message_of<invalid_argument>([&] {
                       normalise_weights(std::vector<double>{1, 1}, crit);
                   }),
                   "weights: has 2 entries, criteria has 3"));
    CHECK(contains(message_of<invalid_argument>([&] {
                       normalise_weights(std::vector<double>{1e308, 1e308, 1e308}, crit);
                   }),
                   "overflows"));
}

TEST_CASE("ahp: Saaty's drinks matrix gives the published weights and CR") {
    // Saaty (2008), Table 3: eigenvector .177 .019 .042 .116 .190 .129 .327 (coffee, wine, tea,
    // beer, sodas, milk, water), CR = .022 (n = 7, RI = 1.32, so CI ~ .029 and lambda_max ~
    // 7.17). The same numbers are asserted by the AHPy package's tests (3 decimals).
    const Eigen::MatrixXd a = drinks();
    const ahp_result r = ahp(a);
    const std::vector<double> published{0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327};
    REQUIRE(r.weights.size() == 7);
    for (std::size_t i = 0; i < 7; ++i) {
        CAPTURE(i);
        CHECK(std::fabs(r.weights[i] - published[i]) <= 0.0005 + 1e-12);
    }
    CHECK(std::fabs(r.consistency_ratio - 0.022) <= 0.0005);
    CHECK(r.random_index == 1.32);
    CHECK(r.consistency_index == Approx((r.lambda_max - 7.0) / 6.0));
    CHECK(r.consistency_ratio == Approx(r.consistency_index / 1.32));
    CHECK(r.consistent);

    // Independent check: power iteration (the Perron vector is the limit of A^k x).
    const auto [x, lambda] = power_iteration(a);
    for (std::size_t i = 0; i < 7; ++i)
        CHECK(r.weights[i] == Approx(x[i]).epsilon(1e-9));
    CHECK(r.lambda_max == Approx(lambda).epsilon(1e-9));

    // The geometric-mean approximation (row geometric means, normalised) is close but not equal.
    std::vector<double> gm(7);
    double gsum = 0.0;
    for (Eigen::Index i = 0; i < 7; ++i) {
        gm[static_cast<std::size_t>(i)] = std::pow(a.row(i).prod(), 1.0 / 7.0);
        gsum += gm[static_cast<std::size_t>(i)];
    }
    for (std::size_t i = 0; i < 7; ++i)
        CHECK(std::fabs(r.weights[i] - gm[i] / gsum) < 0.01);
}

TEST_CASE("ahp: consistent matrices, n = 1 and 2, and the random index table") {
    // a_ij = w_i / w_j for w = (0.5, 0.3, 0.2): perfectly consistent, lambda_max = 3, CR = 0.
    Eigen::MatrixXd a(3, 3);
    const double w[3] = {0.5, 0.3, 0.2};
    for (Eigen::Index i = 0; i < 3; ++i)
        for (Eigen::Index j = 0; j < 3; ++j)
            a(i, j) = w[i] / w[j];
    const ahp_result r = ahp(a);
    CHECK(r.weights[0] == Approx(0.5));
    CHECK(r.weights[1] == Approx(0.3));
    CHECK(r.weights[2] == Approx(0.2));
    CHECK(r.lambda_max == Approx(3.0));
    CHECK(r.consistency_ratio == Approx(0.0).scale(1));
    CHECK(r.random_index == 0.58);

    // n = 2: 3 vs 1 -> 0.75, 0.25, CR 0 by definition.
    Eigen::MatrixXd b(2, 2);
    b << 1, 3, 1.0 / 3, 1;
    const ahp_result r2 = ahp(b);
    CHECK(r2.weights[0] == Approx(0.75));
    CHECK(r2.weights[1] == Approx(0.25));
    CHECK(r2.consistency_ratio == 0.0);
    CHECK(r2.consistency_index == 0.0);
    CHECK(r2.lambda_max == Approx(2.0));

    const ahp_result r1 = ahp(Eigen::MatrixXd::Ones(1, 1));
    CHECK(r1.weights == std::vector<double>{1.0});
    CHECK(r1.consistency_ratio == 0.0);

    CHECK(saaty_random_index(1) == 0.0);
    CHECK(saaty_random_index(2) == 0.0);
    CHECK(saaty_random_index(4) == 0.90);
    CHECK(saaty_random_index(10) == 1.49);
    CHECK(saaty_random_index(12) == 1.48);
    CHECK(saaty_random_index(15) == 1.59);
    CHECK_THROWS_AS(saaty_random_index(0), invalid_argument);
    CHECK_THROWS_AS(saaty_random_index(16), invalid_argument);
}

TEST_CASE("ahp: consistency ratio above 0.10 is an error unless accepted") {
    // 1 prefers 2 (3), 2 prefers 3 (3), but 3 prefers 1 (a_13 = 1/3): a cycle. Hand-worked:
    // the matrix [[1, 3, 1/3], [1/3, 1, 3], [3, 1/3, 1]] is circulant, so w = (1/3, 1/3, 1/3)
    // and lambda_max = 1 + 3 + 1/3 = 4.3333; CI = (4.3333 - 3) / 2 = 0.66667,
    // CR = 0.66667 / 0.58 = 1.14943.
    const std::vector<criterion> crit{{"size"}, {"growth"}, {"fit"}};
    Eigen::MatrixXd a(3, 3);
    a << 1, 3, 1.0 / 3, 1.0 / 3, 1, 3, 3, 1.0 / 3, 1;
    try {
        ahp(a, crit);
        FAIL("expected inconsistent_judgments");
    } catch (const inconsistent_judgments& e) {
        CHECK(e.consistency_ratio() == Approx(2.0 / 3.0 / 0.58));
        CHECK(contains(e.what(), "pairwise: consistency ratio 1.149425287"));
        CHECK(contains(e.what(), "accept_inconsistent"));
    }
    CHECK_THROWS_AS(ahp(a, crit), invalid_argument); // and it is an invalid_argument

    const ahp_result r = ahp(a, crit, ahp_options{.accept_inconsistent = true});
    CHECK_FALSE(r.consistent);
    CHECK(r.lambda_max == Approx(13.0 / 3.0));
    CHECK(r.consistency_index == Approx(2.0 / 3.0));
    CHECK(r.consistency_ratio == Approx(2.0 / 3.0 / 0.58));
    for (const double x : r.weights)
        CHECK(x == Approx(1.0 / 3.0));

    // Just under and just over, by hand. For n = 3 the eigenvector is the row geometric mean
    // (Crawford & Williams 1985, J. Math. Psych. 29, 387-405): with a_12 = a, a_23 = b,
    // a_13 = c, w = ((ac)^(1/3), (b/a)^(1/3), (bc)^(-1/3)) and (A w)_1 / w_1 = 1 + q + 1/q,
    // q = (a b / c)^(1/3), so lambda_max = 1 + q + 1/q. With a = 2, b = 1:
    //   c = 5: q = 0.4^(1/3) = 0.736806, lambda = 3.094018, CI = 0.047009, CR = 0.081050: ok.
    //   c = 6: q = (1/3)^(1/3) = 0.693361, lambda = 3.135610, CI = 0.067805, CR = 0.116905.
    for (const double c : {5.0, 6.0}) {
        CAPTURE(c);
        Eigen::MatrixXd m(3, 3);
        m << 1, 2, c, 0.5, 1, 1, 1.0 / c, 1, 1;
        const double q = std::cbrt(2.0 / c);
        const double lambda = 1.0 + q + 1.0 / q;
        const double cr = (lambda - 3.0) / 2.0 / 0.58;
        const ahp_result rm = ahp(m, {}, ahp_options{.accept_inconsistent = true});
        CHECK(rm.lambda_max == Approx(lambda).epsilon(1e-12));
        CHECK(rm.consistency_ratio == Approx(cr).epsilon(1e-10));
        const double g[3] = {std::cbrt(2.0 * c), std::cbrt(0.5), std::cbrt(1.0 / c)};
        for (std::size_t i = 0; i < 3; ++i)
            CHECK(rm.weights[i] == Approx(g[i] / (g[0] + g[1] + g[2])).epsilon(1e-12));
        CHECK(rm.consistent == (c == 5.0));
        if (c == 5.0) {
            CHECK(cr == Approx(0.081050).epsilon(1e-5));
            CHECK_NOTHROW(ahp(m));
        } else {
            CHECK(cr == Approx(0.116905).epsilon(1e-5));
            CHECK_THROWS_AS(ahp(m), inconsistent_judgments);
        }
    }
}

TEST_CASE("ahp: bad pairwise matrices name the cell and value") {
    const std::vector<criterion> crit{{"size"}, {"growth"}, {"fit"}};
    Eigen::MatrixXd a(3, 3);
    a << 1, 3, 5, 1.0 / 3, 1, 2, 1.0 / 5, 1.0 / 2, 1;
    CHECK_NOTHROW(ahp(a, crit));

    CHECK(contains(message_of<invalid_argument>([] { ahp(Eigen::MatrixXd::Ones(2, 3)); }),
                   "must be square, got 2 x 3"));
    CHECK_THROWS_AS(ahp(Eigen::MatrixXd(0, 0)), invalid_argument);
    CHECK(contains(message_of<invalid_argument>([] { ahp(Eigen::MatrixXd::Ones(16, 16)); }),
                   "16 criteria"));

    Eigen::MatrixXd b = a;
    b(0, 2) = -5;
    CHECK(message_of<invalid_argument>([&] { ahp(b, crit); }) ==
          "pairwise(0, 2) (\"size\" vs \"fit\"): must be finite and > 0, got -5");
    b = a;
    b(1, 0) = nan_v;
    CHECK(message_of<invalid_argument>([&] { ahp(b); }) ==
          "pairwise(1, 0): must be finite and > 0, got nan");
    b = a;
    b(2, 2) = 2;
    CHECK(message_of<invalid_argument>([&] { ahp(b, crit); }) ==
          "pairwise(2, 2) (\"fit\" vs \"fit\"): diagonal must be 1, got 2");
    b = a;
    b(2, 1) = 0.6; // should be 1/2
    CHECK(message_of<invalid_argument>([&] { ahp(b, crit); }) ==
          "pairwise(2, 1) (\"fit\" vs \"growth\"): must be 1 / pairwise(1, 2) (\"growth\" vs "
          "\"fit\") = 0.5 within 0.01, got 0.6");
    // Rounded reciprocals are accepted within the tolerance: 1/3 typed 0.333, 1/5 typed 0.2.
    b = a;
    b(1, 0) = 0.333;
    CHECK_NOTHROW(ahp(b, crit));
    CHECK_THROWS_AS(ahp(b, crit, ahp_options{.reciprocal_tolerance = 1e-6}), invalid_argument);
    CHECK_THROWS_AS(ahp(a, crit, ahp_options{.reciprocal_tolerance = nan_v}), invalid_argument);
    CHECK(contains(message_of<invalid_argument>([&] { ahp(a, std::vector<criterion>{{"x"}}); }),
                   "criteria: has 1 rows, pairwise has 3"));
}

TEST_CASE("attractiveness: scores and ranks, ties by segment index") {
    // Two min-max criteria weighted 1, 1 -> 0.5, 0.5. Raw values are already on [0, 1] with 0
    // and 1 in each column, so normalising leaves them. Scores: 0.5, 0.5, 1, 0; best first
    // 2, then 0 and 1 tied (0 first), then 3.
    const std::vector<criterion> crit{{"size"}, {"fit"}};
    Eigen::MatrixXd raw(4, 2);
    raw << 0, 1, 1, 0, 1, 1, 0, 0;
    const segment_scores r = score_segments(raw, crit, std::vector<double>{1, 1});
    CHECK(r.score == std::vector<double>{0.5, 0.5, 1.0, 0.0});
    CHECK(r.rank == std::vector<std::size_t>{2, 3, 1, 4});
    CHECK(r.order == std::vector<std::size_t>{2, 0, 1, 3});
    CHECK(r.top == 2);
    CHECK(r.weights == std::vector<double>{0.5, 0.5});

    // Raw values with a less-is-better criterion, weights 3, 1 (-> 0.75, 0.25):
    //   revenue 100, 400, 250 -> min-max 0, 1, 0.5
    //   competition 2, 8, 5 (less is better) -> min-max 0, 1, 0.5 -> flipped 1, 0, 0.5
    //   scores 0.75*0 + 0.25*1 = 0.25, 0.75*1 + 0 = 0.75, 0.75*0.5 + 0.25*0.5 = 0.5.
    const std::vector<criterion> c2{{"revenue"}, {"competition", direction::less_is_better}};
    Eigen::MatrixXd raw2(3, 2);
    raw2 << 100, 2, 400, 8, 250, 5;
    const segment_scores r2 = score_segments(raw2, c2, std::vector<double>{3, 1});
    CHECK(r2.score[0] == Approx(0.25));
    CHECK(r2.score[1] == Approx(0.75));
    CHECK(r2.score[2] == Approx(0.5));
    CHECK(r2.rank == std::vector<std::size_t>{3, 1, 2});
    CHECK(r2.top == 1);

    // Bad weights reach the caller with the criterion named.
    CHECK(contains(message_of<invalid_argument>([&] {
                       score_segments(raw2, c2, std::vector<double>{1, -2});
                   }),
                   "criterion \"competition\""));
}

TEST_CASE("attractiveness: weight sensitivity, worked by hand") {
    // Normalised values (raw values with 0 and 1 in each column, min-max leaves them):
    //   S0 (1, 0.2), S1 (0, 1), S2 (0.5, 0); weights 0.5, 0.5 -> scores 0.6, 0.5, 0.25, top S0.
    // Criterion 0 at weight t (criterion 1 gets 1 - t):
    //   S0 = t + 0.2 (1 - t) = 0.2 + 0.8 t,  S1 = 1 - t,  S2 = 0.5 t.
    //   Up: S0 - S1 = 1.8 t - 0.8 > 0 and S0 - S2 = 0.2 + 0.3 t > 0 for t > 0.5: never.
    //   Down: S1 meets S0 at 1.8 t = 0.8, t = 4/9 (change -1/18); S2 never: S1 takes over.
    // Criterion 1 at weight t:
    //   S0 = 1 - 0.8 t,  S1 = t,  S2 = 0.5 (1 - t).
    //   Up: S1 meets S0 at t = 5/9 (+1/18); S2 at 0.3 t = 0.5, t = 5/3 > 1. S1 takes over.
    //   Down: S0 - S1 = 1 - 1.8 t > 0, S0 - S2 = 0.5 - 0.3 t > 0 for t < 0.5: never.
    const std::vector<criterion> crit{{"size"}, {"fit"}};
    Eigen::MatrixXd raw(3, 2);
    raw << 1, 0.2, 0, 1, 0.5, 0;
    const segment_scores r = score_segments(raw, crit, std::vector<double>{1, 1});
    REQUIRE(r.top == 0);
    CHECK(r.score[0] == Approx(0.6));
    const std::vector<weight_sensitivity> ws = weight_sensitivities(r);
    REQUIRE(ws.size() == 2);
    CHECK(ws[0].criterion == 0);
    CHECK(ws[0].weight == 0.5);
    CHECK_FALSE(ws[0].up.has_value());
    REQUIRE(ws[0].down.has_value());
    CHECK(ws[0].down->weight == Approx(4.0 / 9.0));
    CHECK(ws[0].down->change == Approx(-1.0 / 18.0));
    CHECK(ws[0].down->new_top == 1);
    REQUIRE(ws[1].up.has_value());
    CHECK(ws[1].up->weight == Approx(5.0 / 9.0));
    CHECK(ws[1].up->change == Approx(1.0 / 18.0));
    CHECK(ws[1].up->new_top == 1);
    CHECK_FALSE(ws[1].down.has_value());
}

TEST_CASE("attractiveness: weight sensitivity edge cases") {
    const std::vector<criterion> two{{"a"}, {"b"}};
    // A tie at the current weights: S0 (1, 0) and S1 (0, 1) score 0.5 each, S0 on top by
    // index. Raising criterion 1 by any amount hands the top to S1: crossing at 0.5, change 0.
    // Lowering it, S0 stays: never. Criterion 0 is the mirror image: down at 0.5 -> S1.
    Eigen::MatrixXd tie(2, 2);
    tie << 1, 0, 0, 1;
    const auto wt = weight_sensitivities(score_segments(tie, two, std::vector<double>{1, 1}));
    REQUIRE(wt[1].up.has_value());
    CHECK(wt[1].up->weight == 0.5);
    CHECK(wt[1].up->change == 0.0);
    CHECK(wt[1].up->new_top == 1);
    CHECK_FALSE(wt[1].down.has_value());
    REQUIRE(wt[0].down.has_value());
    CHECK(wt[0].down->weight == 0.5);
    CHECK_FALSE(wt[0].up.has_value());

    // Unequal weights: S0 (0, 1), S1 (1, 0.5), S2 (0, 0) (S2 keeps 0 in each column, so
    // min-max leaves the values), weights 1, 3 (-> 0.25, 0.75): S0 = 0.75, S1 = 0.25 + 0.375 =
    // 0.625, top S0. Criterion 0 at t: S0 = 1 - t, S1 = t + 0.5 (1 - t) = 0.5 + 0.5 t: they
    // meet at t = 1/3 (change +1/12) and S1 takes over.
    Eigen::MatrixXd e(3, 2);
    e << 0, 1, 1, 0.5, 0, 0;
    const auto we = weight_sensitivities(score_segments(e, two, std::vector<double>{1, 3}));
    REQUIRE(we[0].up.has_value());
    CHECK(we[0].up->weight == Approx(1.0 / 3.0));
    CHECK(we[0].up->change == Approx(1.0 / 12.0));
    CHECK(we[0].up->new_top == 1);

    // The crossing on the end of the range: S0 (1, 0), S1 (1, 1), S2 (0, 0), weights 1, 1:
    // S0 = 0.5, S1 = 1, top S1. Criterion 0 at t: S0 = t, S1 = 1: they meet at t = 1 only,
    // where S0 wins the tie by index: crossing 1, new top S0. With the two swapped, the
    // higher-index segment would need t > 1: never.
    Eigen::MatrixXd end1(3, 2);
    end1 << 1, 0, 1, 1, 0, 0;
    const auto wend = weight_sensitivities(score_segments(end1, two, std::vector<double>{1, 1}));
    REQUIRE(wend[0].up.has_value());
    CHECK(wend[0].up->weight == 1.0);
    CHECK(wend[0].up->new_top == 0);
    Eigen::MatrixXd end2(3, 2);
    end2 << 1, 1, 1, 0, 0, 0;
    const auto wend2 = weight_sensitivities(score_segments(end2, two, std::vector<double>{1, 1}));
    CHECK_FALSE(wend2[0].up.has_value());

    // S0 (1, 0), S1 (0, 1) with weights 1, 0: S0 = 1 on top. Criterion 0 is at weight 1: it
    // cannot go up; down, S1 = 1 - t meets S0 = t at 0.5. Criterion 1 is at 0: down never.
    // Criterion 0 at weight 1 and weight 0 on criterion 1: the rescaled others share 1 - t.
    const auto w10 = weight_sensitivities(score_segments(tie, two, std::vector<double>{1, 0}));
    CHECK_FALSE(w10[0].up.has_value());
    REQUIRE(w10[0].down.has_value());
    CHECK(w10[0].down->weight == Approx(0.5));
    CHECK(w10[0].down->new_top == 1);
    CHECK_FALSE(w10[1].down.has_value());
    REQUIRE(w10[1].up.has_value());
    CHECK(w10[1].up->weight == Approx(0.5));

    // One criterion: nothing to rescale; one segment: nothing to overtake it.
    Eigen::MatrixXd one_c(2, 1);
    one_c << 1, 2;
    const auto w1 = weight_sensitivities(
        score_segments(one_c, std::vector<criterion>{{"a"}}, std::vector<double>{1}));
    CHECK_FALSE(w1[0].up.has_value());
    CHECK_FALSE(w1[0].down.has_value());
    Eigen::MatrixXd one_s(1, 2);
    one_s << 1, 2;
    const auto w2 = weight_sensitivities(score_segments(one_s, two, std::vector<double>{1, 1}));
    CHECK_FALSE(w2[0].up.has_value());
    CHECK_FALSE(w2[1].down.has_value());
}

TEST_CASE("attractiveness: weight sensitivity agrees with a brute-force scan") {
    // Random 6 segments x 4 criteria: at each reported crossing the top changes just beyond it
    // (or at it, for a lower-index winner) and nowhere between the current weight and it.
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::vector<criterion> crit{{"a"}, {"b"}, {"c", direction::less_is_better}, {"d"}};
    for (int trial = 0; trial < 50; ++trial) {
        Eigen::MatrixXd raw(6, 4);
        for (Eigen::Index i = 0; i < raw.size(); ++i)
            raw(i) = u(rng);
        std::vector<double> w{u(rng), u(rng), u(rng), u(rng)};
        const segment_scores r = score_segments(raw, crit, w);
        const auto ws = weight_sensitivities(r);
        for (std::size_t k = 0; k < 4; ++k) {
            // Top segment with criterion k at weight t, the others rescaled.
            const auto top_at = [&](double t) {
                std::vector<double> wt(r.weights);
                for (std::size_t j = 0; j < 4; ++j)
                    wt[j] = j == k ? t : r.weights[j] * (1.0 - t) / (1.0 - r.weights[k]);
                std::size_t best = 0;
                double best_score = -1.0;
                for (Eigen::Index s = 0; s < 6; ++s) {
                    double sc = 0.0;
                    for (std::size_t j = 0; j < 4; ++j)
                        sc += wt[j] * r.normalised(s, static_cast<Eigen::Index>(j));
                    if (sc > best_score) {
                        best_score = sc;
                        best = static_cast<std::size_t>(s);
                    }
                }
                return best;
            };
            const double wk = r.weights[k];
            for (const bool up : {false, true}) {
                const auto& c = up ? ws[k].up : ws[k].down;
                const double end = c ? c->weight : (up ? 1.0 : 0.0);
                // Between the current weight and the crossing (or the end): still the top.
                for (int q = 1; q < 20; ++q) {
                    const double t = wk + (end - wk) * q / 20.0;
                    CHECK(top_at(t) == r.top);
                }
                if (!c) {
                    CHECK(top_at(end) == r.top);
                    continue;
                }
                const double beyond =
                    up ? std::min(1.0, c->weight + 1e-9) : std::max(0.0, c->weight - 1e-9);
                CHECK(top_at(beyond) == c->new_top);
                CHECK(c->new_top != r.top);
            }
        }
    }
}

TEST_CASE("attractiveness matrix: placement on and around the cut points, zones") {
    const double third = 1.0 / 3.0;
    const double two_thirds = 2.0 / 3.0;
    // On a cut point goes up; just below stays down.
    CHECK(level_of(0.0) == matrix_level::low);
    CHECK(level_of(std::nextafter(third, 0.0)) == matrix_level::low);
    CHECK(level_of(third) == matrix_level::medium);
    CHECK(level_of(0.5) == matrix_level::medium);
    CHECK(level_of(std::nextafter(two_thirds, 0.0)) == matrix_level::medium);
    CHECK(level_of(two_thirds) == matrix_level::high);
    CHECK(level_of(1.0) == matrix_level::high);

    // All nine cells: level sum >= 3 invest/grow, 2 selective, <= 1 harvest/divest.
    using L = matrix_level;
    using Z = strategy_zone;
    CHECK(zone_of(L::high, L::high) == Z::invest_grow);
    CHECK(zone_of(L::high, L::medium) == Z::invest_grow);
    CHECK(zone_of(L::medium, L::high) == Z::invest_grow);
    CHECK(zone_of(L::high, L::low) == Z::selective);
    CHECK(zone_of(L::medium, L::medium) == Z::selective);
    CHECK(zone_of(L::low, L::high) == Z::selective);
    CHECK(zone_of(L::medium, L::low) == Z::harvest_divest);
    CHECK(zone_of(L::low, L::medium) == Z::harvest_divest);
    CHECK(zone_of(L::low, L::low) == Z::harvest_divest);
    CHECK(std::string(to_string(Z::invest_grow)) == "invest/grow");
    CHECK(std::string(to_string(Z::harvest_divest)) == "harvest/divest");
    CHECK(std::string(to_string(L::medium)) == "medium");

    // Segments: (0.8, 0.5) high-medium invest; (1/3, 0.2) medium-low harvest; (2/3, 2/3)
    // high-high invest; (0.1, 0.9) low-high selective; (0.5, just below 1/3) medium-low.
    const std::vector<double> attr{0.8, third, two_thirds, 0.1, 0.5};
    const std::vector<double> str{0.5, 0.2, two_thirds, 0.9, std::nextafter(third, 0.0)};
    const segment_matrix m = attractiveness_matrix(attr, str);
    REQUIRE(m.cells.size() == 5);
    CHECK(m.cells[0].attractiveness == L::high);
    CHECK(m.cells[0].strength == L::medium);
    CHECK(m.cells[0].zone == Z::invest_grow);
    CHECK(m.cells[1].attractiveness == L::medium);
    CHECK(m.cells[1].strength == L::low);
    CHECK(m.cells[1].zone == Z::harvest_divest);
    CHECK(m.cells[2].zone == Z::invest_grow);
    CHECK(m.cells[2].strength == L::high);
    CHECK(m.cells[3].zone == Z::selective);
    CHECK(m.cells[4].strength == L::low);
    CHECK(m.cells[4].zone == Z::harvest_divest);
    CHECK(m.count[2][1] == 1);
    CHECK(m.count[1][0] == 2);
    CHECK(m.count[2][2] == 1);
    CHECK(m.count[0][2] == 1);

    // Custom cuts 0.4, 0.7: 0.5 medium, 0.7 high, 0.39 low.
    const matrix_cuts cuts{0.4, 0.7};
    const segment_matrix c =
        attractiveness_matrix(std::vector<double>{0.5, 0.7}, std::vector<double>{0.39, 0.7}, cuts);
    CHECK(c.cells[0].attractiveness == L::medium);
    CHECK(c.cells[0].strength == L::low);
    CHECK(c.cells[0].zone == Z::harvest_divest);
    CHECK(c.cells[1].zone == Z::invest_grow);
    CHECK(c.cuts.low == 0.4);
}

TEST_CASE("attractiveness matrix: scores from two criteria tables") {
    // Attractiveness from market criteria, strength from the company's position, both min-max.
    //   attractiveness: size 100, 300, 200 -> 0, 1, 0.5; growth 0.1, 0.0, 0.3 -> 1/3, 0, 1;
    //   weights 0.5, 0.5 -> 1/6, 0.5, 0.75.
    //   strength: share 0.3, 0.1, 0.2 -> 1, 0, 0.5 (one criterion, weight 1).
    //   cells: (1/6 low, 1 high) selective; (0.5 medium, 0 low) harvest; (0.75 high, 0.5
    //   medium) invest/grow.
    Eigen::MatrixXd market(3, 2);
    market << 100, 0.1, 300, 0.0, 200, 0.3;
    Eigen::MatrixXd position(3, 1);
    position << 0.3, 0.1, 0.2;
    const segment_scores a = score_segments(market, std::vector<criterion>{{"size"}, {"growth"}},
                                            std::vector<double>{1, 1});
    const segment_scores s =
        score_segments(position, std::vector<criterion>{{"share"}}, std::vector<double>{1});
    CHECK(a.score[0] == Approx(1.0 / 6.0));
    CHECK(a.score[2] == Approx(0.75));
    const segment_matrix m = attractiveness_matrix(a.score, s.score);
    CHECK(m.cells[0].zone == strategy_zone::selective);
    CHECK(m.cells[1].zone == strategy_zone::harvest_divest);
    CHECK(m.cells[2].zone == strategy_zone::invest_grow);
}

TEST_CASE("attractiveness matrix: bad input") {
    const std::vector<double> ok{0.5, 0.5};
    CHECK(contains(
        message_of<invalid_argument>([&] { attractiveness_matrix(ok, std::vector<double>{0.5}); }),
        "strength: has 1 segments, attractiveness has 2"));
    CHECK(message_of<invalid_argument>([&] {
              attractiveness_matrix(std::vector<double>{0.5, 1.2}, ok);
          }) == "attractiveness: segment 1: must be a score in [0, 1] (min_max or rank "
                "criteria), got 1.2");
    CHECK(contains(message_of<invalid_argument>([&] {
                       attractiveness_matrix(ok, std::vector<double>{nan_v, 0.1});
                   }),
                   "strength: segment 0"));
    CHECK(message_of<invalid_argument>([&] {
              attractiveness_matrix(ok, ok, matrix_cuts{0.0, 0.5});
          }) == "matrix_cuts.low: must be in (0, 1), got 0");
    CHECK(message_of<invalid_argument>([&] {
              attractiveness_matrix(ok, ok, matrix_cuts{0.6, 0.5});
          }) == "matrix_cuts.high: must be in (low = 0.6, 1), got 0.5");
    CHECK_THROWS_AS(attractiveness_matrix(ok, ok, matrix_cuts{0.3, 1.0}), invalid_argument);
    CHECK_THROWS_AS(attractiveness_matrix(ok, ok, matrix_cuts{0.3, 0.3}), invalid_argument);
    CHECK_THROWS_AS(level_of(0.5, matrix_cuts{nan_v, 0.5}), invalid_argument);
    CHECK(attractiveness_matrix(std::vector<double>{}, std::vector<double>{}).cells.empty());
}

TEST_CASE("attractiveness: the example of attractiveness.hpp") {
    // size 1200, 800, 300 -> (x - 300) / 900 = 1, 5/9, 0; growth 0.10, 0.25, 0.05 -> 0.25, 1, 0;
    // competition 5, 2, 1 (less is better) -> 1, 0.25, 0 -> flipped 0, 0.75, 1.
    // Weights 2, 1, 1 -> 0.5, 0.25, 0.25: scores 0.5 + 0.0625 = 0.5625,
    // 5/18 + 0.25 + 0.1875 = 0.715278, 0.25; ranks 2, 1, 3.
    const std::vector<criterion> crit{
        {"size"}, {"growth"}, {"competition", direction::less_is_better}};
    Eigen::MatrixXd raw(3, 3);
    raw << 1200, 0.10, 5, 800, 0.25, 2, 300, 0.05, 1;
    const segment_scores a = score_segments(raw, crit, std::vector<double>{2, 1, 1});
    CHECK(a.weights == std::vector<double>{0.5, 0.25, 0.25});
    CHECK(a.score[0] == Approx(0.5625));
    CHECK(a.score[1] == Approx(5.0 / 18.0 + 0.4375));
    CHECK(a.score[2] == Approx(0.25));
    CHECK(a.rank == std::vector<std::size_t>{2, 1, 3});
    CHECK(a.top == 1);
    CHECK(a.normalised(0, 2) == 0.0);
    CHECK(a.normalised(1, 2) == Approx(0.75));
}

TEST_CASE("the options by name: parse_direction and parse_normalisation") {
    CHECK(parse_direction("more") == direction::more_is_better);
    CHECK(parse_direction("less") == direction::less_is_better);
    CHECK(parse_normalisation("min_max") == normalisation::min_max);
    CHECK(parse_normalisation("z_score") == normalisation::z_score);
    CHECK(parse_normalisation("rank") == normalisation::rank);
    try {
        parse_direction("higher", "directions", "growth");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "directions: criterion \"growth\": expected 'more' or 'less', got 'higher'");
        CHECK(e.argument() == "directions");
        CHECK(e.value() == "higher");
    }
    try {
        parse_normalisation("minmax");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "normalisation: expected 'min_max', 'z_score' or 'rank', got 'minmax'");
        CHECK(e.value() == "minmax");
    }
}

TEST_CASE("parse_strategy_zone: the names to_string writes, and nothing else") {
    for (const strategy_zone z :
         {strategy_zone::invest_grow, strategy_zone::selective, strategy_zone::harvest_divest})
        CHECK(parse_strategy_zone(to_string(z)) == z);
    CHECK_THROWS_WITH_AS(parse_strategy_zone("grow", "--zone"),
                         "--zone: expected invest/grow, selective or harvest/divest, got \"grow\"",
                         invalid_argument);
}
