// Tests of retention/diagnostics.hpp: the count distribution and the holdout check worked by
// hand on BG/NBD with r = alpha = a = b = 1, where every term has a closed form; the values on
// CDNOW are compared with the former numpy implementation in tests/python/test_retention.py.
#include <custometrics/error.hpp>
#include <custometrics/retention.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace custometrics;

TEST_CASE("count_distribution: BG/NBD with r = alpha = a = b = 1, by hand") {
    // FHL 2005 eq. 8 with r = alpha = a = b = 1 and p = alpha / (alpha + t) = 1 / (1 + t):
    //   P(X(t) = 0) = p,
    //   P(X(t) = 1) = B(1, 2)/B(1, 1) r p (1 - p) + B(2, 1)/B(1, 1) (1 - p) = p (1 - p)/2 + (1 -
    //   p)/2.
    // t = 1: p = 1/2, P0 = 1/2, P1 = 1/8 + 1/4 = 3/8; t = 2: p = 1/3, P0 = 1/3, P1 = 1/9 + 1/3 =
    // 4/9. Ages {1, 2, 1}, max_frequency 2: cells 2 (1/2) + 1/3 = 4/3, 2 (3/8) + 4/9 = 43/36, and
    // the rest 3 - 4/3 - 43/36 = 17/36.
    const purchase_params p = bg_nbd_params{1, 1, 1, 1};
    const std::vector<double> T{1, 2, 1};
    const std::vector<double> c = count_distribution(p, T, 2);
    REQUIRE(c.size() == 3);
    CHECK(c[0] == doctest::Approx(4.0 / 3).epsilon(1e-14));
    CHECK(c[1] == doctest::Approx(43.0 / 36).epsilon(1e-14));
    CHECK(c[2] == doctest::Approx(17.0 / 36).epsilon(1e-14));
    // max_frequency 1: the second cell is everything but the zeros, 3 - 4/3 = 5/3.
    const std::vector<double> c1 = count_distribution(p, T, 1);
    REQUIRE(c1.size() == 2);
    CHECK(c1[1] == doctest::Approx(5.0 / 3).epsilon(1e-14));

    CHECK_THROWS_WITH_AS(count_distribution(p, T, 0), "max_frequency: must be >= 1, got 0",
                         invalid_argument);
    const std::vector<double> bad{1, 0};
    try {
        count_distribution(p, bad, 2);
        FAIL("no data_error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) == "T: customer 1: value 0 is not a finite number > 0");
        CHECK(e.argument() == "T");
        CHECK(e.row() == std::optional<std::size_t>(1));
    }
}

TEST_CASE("holdout_check: groups, means and errors by hand") {
    // BG/NBD r = alpha = a = b = 1. A customer with x = 0 at T: P(alive) = 1 and
    // E[Y(t) | 0, 0, T] = (a + b - 1)/(a - 1) [1 - ((alpha+T)/(alpha+T+t))^r 2F1(...)]: at a = 1
    // its limit; rather than by hand, each prediction is the model's own
    // conditional_expected_purchases, and the grouping, means and errors are checked by hand.
    const purchase_params p = bg_nbd_params{1, 1, 1, 1};
    const std::vector<double> x{0, 1, 0, 3, 2}, tx{0, 2, 0, 4, 3}, T{5, 5, 4, 6, 5},
        actual{0, 2, 1, 1, 0};
    const double t = 3;
    std::vector<double> pred;
    for (std::size_t i = 0; i < x.size(); ++i)
        pred.push_back(conditional_expected_purchases(p, t, x[i], tx[i], T[i]));
    const holdout_check_result r = holdout_check(p, x, tx, T, actual, t, 2);
    // Groups 0 (customers 0, 2), 1 (customer 1), 2+ (customers 3 and 4).
    CHECK(r.customers == std::vector<std::int64_t>{2, 1, 2});
    CHECK(r.actual[0] == 0.5);
    CHECK(r.actual[1] == 2.0);
    CHECK(r.actual[2] == 0.5);
    CHECK(r.predicted[0] == doctest::Approx((pred[0] + pred[2]) / 2).epsilon(1e-15));
    CHECK(r.predicted[1] == doctest::Approx(pred[1]).epsilon(1e-15));
    CHECK(r.predicted[2] == doctest::Approx((pred[3] + pred[4]) / 2).epsilon(1e-15));
    double mae = 0, mse = 0, total = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        mae += std::abs(pred[i] - actual[i]) / 5;
        mse += (pred[i] - actual[i]) * (pred[i] - actual[i]) / 5;
        total += pred[i];
    }
    CHECK(r.mae == doctest::Approx(mae).epsilon(1e-14));
    CHECK(r.rmse == doctest::Approx(std::sqrt(mse)).epsilon(1e-14));
    CHECK(r.total_actual == 4.0);
    CHECK(r.total_predicted == doctest::Approx(total).epsilon(1e-14));
    const double mape = (std::abs(r.predicted[0] - 0.5) / 0.5 + std::abs(r.predicted[1] - 2) / 2 +
                         std::abs(r.predicted[2] - 0.5) / 0.5) /
                        3;
    CHECK(r.bin_mape == doctest::Approx(mape).epsilon(1e-14));

    // An empty group has NaN means and stays out of the percentage error; no positive actual
    // mean at all: NaN.
    const holdout_check_result e = holdout_check(p, x, tx, T, std::vector<double>(5, 0.0), t, 5);
    CHECK(e.customers[4] == 0);
    CHECK(std::isnan(e.actual[4]));
    CHECK(std::isnan(e.predicted[4]));
    CHECK(std::isnan(e.bin_mape));

    CHECK_THROWS_WITH_AS(holdout_check(p, x, tx, T, actual, 0.0),
                         "duration: the holdout length "
                         "must be a finite number > 0, got 0",
                         invalid_argument);
    CHECK_THROWS_AS(holdout_check(p, x, tx, T, actual, t, 0), invalid_argument);
    CHECK_THROWS_AS(holdout_check(p, x, tx, T, std::vector<double>{1, 2}, t), invalid_argument);
    const std::vector<double> nan_actual{0, 1, std::nan(""), 0, 0};
    CHECK_THROWS_WITH_AS(holdout_check(p, x, tx, T, nan_actual, t),
                         "holdout_frequency: customer 2: value nan is not a finite number >= 0",
                         data_error);
    const std::vector<double> bad_tx{0, 6, 0, 4, 3};
    CHECK_THROWS_WITH_AS(holdout_check(p, x, bad_tx, T, actual, t),
                         "recency: customer 1: value 6 is above T (5)", data_error);
}

TEST_CASE("cumulative_transactions: lifetimes' tracking curve, by hand") {
    // Customer 7 buys in periods 0, 0 (one transaction a period counts), 2 and 5 (after t = 3:
    // left out); customer 3 in periods 1 and 3; customer 9 in period 2. Cohorts: n_0 = 1
    // (customer 7), n_1 = 1 (3), n_2 = 1 (9); repeats: period 2 (7) and period 3 (3).
    // E[X(1..3)] = 0.5, 0.8, 1.0.
    // actual: periods 0..0 -> 0, 0..1 -> 0, 0..2 -> 1.
    // predicted: i = 1: n_0 E[X(1)] = 0.5; i = 2: n_0 E[X(2)] + n_1 E[X(1)] = 0.8 + 0.5 = 1.3;
    // i = 3: n_0 E[X(3)] + n_1 E[X(2)] + n_2 E[X(1)] = 1.0 + 0.8 + 0.5 = 2.3.
    const std::vector<std::int64_t> customer{7, 7, 3, 7, 9, 3, 7};
    const std::vector<std::int64_t> period{0, 0, 1, 2, 2, 3, 5};
    const std::vector<double> expected{0.5, 0.8, 1.0};
    const cumulative_transactions_result r = cumulative_transactions(customer, period, expected);
    CHECK(r.actual == std::vector<std::int64_t>{0, 0, 1});
    REQUIRE(r.predicted.size() == 3);
    CHECK(r.predicted[0] == 0.5);
    CHECK(r.predicted[1] == doctest::Approx(1.3).epsilon(1e-15));
    CHECK(r.predicted[2] == doctest::Approx(2.3).epsilon(1e-15));

    CHECK_THROWS_WITH_AS(cumulative_transactions(customer, period, std::vector<double>{}),
                         "t: must be at least 1, got 0", invalid_argument);
    const std::vector<std::int64_t> early{0, -1, 0, 0, 0, 0, 0};
    CHECK_THROWS_WITH_AS(cumulative_transactions(customer, early, expected),
                         "period: row 1: value -1 is before the first period", data_error);
}
