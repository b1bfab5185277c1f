// Tests of retention/unique_rows.hpp: the span predictions (P(alive), expected purchases, the
// lifetime value) and score_customers, evaluated once per unique (x, t_x, T) row, against the
// per-customer functions customer by customer (bit for bit; the lifetime value, whose monthly
// sum is regrouped, to 1e-12 relative), on a generated summary with many duplicate rows and on
// CDNOW (skipped where the shared data are absent); and the same results for 1, 2 and 3 threads;
// the memo of the last unique rows recognises the same columns only.
#include <custometrics/retention/clv.hpp>
#include <custometrics/retention/fitted_model.hpp>
#include <custometrics/retention/purchase_model.hpp>
#include <custometrics/retention/scoring.hpp>
#include <custometrics/retention/unique_rows.hpp>
#include <custometrics/threads.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

struct columns {
    std::vector<double> x, tx, T, m;
};

/// 40,000 customers on a coarse grid (x 0..12, T 30..52 weeks, t_x = T - 0, 3, ..., 21), so
/// rows repeat (at most 23 + 12 x 23 x 8 = 2,231 unique rows, 299 runs of (x, T)), in random
/// order: enough rows and runs for two threads.
columns generated() {
    std::mt19937_64 rng(18);
    columns c;
    for (int i = 0; i < 40000; ++i) {
        const double T = 30 + static_cast<double>(rng() % 23);
        const double x = static_cast<double>(rng() % 13);
        const double tx = x == 0 ? 0.0 : T - 3 * static_cast<double>(rng() % 8);
        c.x.push_back(x);
        c.tx.push_back(tx);
        c.T.push_back(T);
        c.m.push_back(x == 0 ? 0.0 : 5 + static_cast<double>(rng() % 400) / 8);
    }
    return c;
}

/// CDNOW's calibration summary (2,357 customers, weeks; 1,016 unique rows), or none.
columns cdnow() {
    std::ifstream in(std::string(CUSTOMETRICS_SHARED_DATA_DIR) +
                     "/cdnow/cdnow_customers_summary_with_transactions.csv");
    columns c;
    std::string line;
    if (!in || !std::getline(in, line)) return c; // ID,x,t_x,T,zbar
    while (std::getline(in, line)) {
        std::istringstream row(line);
        std::string id, x, tx, T, m;
        if (!std::getline(row, id, ',') || !std::getline(row, x, ',') ||
            !std::getline(row, tx, ',') || !std::getline(row, T, ',') || !std::getline(row, m))
            continue;
        c.x.push_back(std::stod(x));
        c.tx.push_back(std::stod(tx));
        c.T.push_back(std::stod(T));
        c.m.push_back(std::stod(m));
    }
    return c;
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

/// The models with their CDNOW fits (weeks): lifetimes' BG/NBD and Pareto/NBD, the MBG/NBD and
/// GGompertz/NBD of their tests (test_retention_ggom_nbd.cpp).
std::vector<purchase_params> models() {
    return {bg_nbd_params{0.243, 4.414, 0.793, 2.426}, mbg_nbd_params{0.525, 6.183, 0.891, 1.614},
            pareto_nbd_params{0.553, 10.578, 0.606, 11.669},
            ggom_nbd_params{1.2, 4, 0.05, 0.8, 0.6}};
}

/// Each span prediction against the per-customer function, every `step`-th customer.
void check_against_per_customer(const columns& c, std::size_t step) {
    const gamma_gamma_params gg{6.25, 3.74, 15.44};
    clv_options o;
    o.periods_per_month = 4.345;
    for (const purchase_params& p : models()) {
        CAPTURE(to_string(kind_of(p)));
        const std::vector<double> alive = p_alive(p, c.x, c.tx, c.T);
        const std::vector<double> e = conditional_expected_purchases(p, 52, c.x, c.tx, c.T);
        const std::vector<double> e0 = conditional_expected_purchases(p, 0, c.x, c.tx, c.T);
        const std::vector<double> clv = std::visit(
            [&](const auto& m) { return customer_lifetime_value(m, gg, c.x, c.tx, c.T, c.m, o); },
            p);
        REQUIRE(alive.size() == c.x.size());
        std::size_t off = 0;
        double worst = 0;
        for (std::size_t i = 0; i < c.x.size(); i += step) {
            if (!same_bits(alive[i], p_alive(p, c.x[i], c.tx[i], c.T[i]))) ++off;
            if (!same_bits(e[i], conditional_expected_purchases(p, 52, c.x[i], c.tx[i], c.T[i])))
                ++off;
            if (e0[i] != 0.0) ++off;
            // The scalar CLV: month by month, P(alive) in every month's forecast.
            const double want = std::visit(
                [&](const auto& m) {
                    return customer_lifetime_value(m, gg, c.x[i], c.tx[i], c.T[i], c.m[i], o);
                },
                p);
            worst = std::max(worst, std::abs(clv[i] - want) / std::max(std::abs(want), 1e-300));
        }
        CHECK(off == 0);
        CHECK(worst <= 1e-12);
    }
}

} // namespace

TEST_CASE("unique rows: span predictions equal the per-customer functions, many duplicates") {
    const columns c = generated();
    const compressed_summary rows = compress_summary(c.x, c.tx, c.T);
    // The premise: the rows repeat, and runs of (x, T) are fewer still (13 x 23 at most).
    CHECK(rows.size() > 2048); // two threads for the rows
    CHECK(rows.size() <= 23 + 12 * 23 * 8);
    CHECK(detail::runs_of_x_and_T(rows).size() - 1 <= 13 * 23);
    check_against_per_customer(c, 13);
}

TEST_CASE("unique rows: span predictions equal the per-customer functions on CDNOW") {
    const columns c = cdnow();
    if (c.x.empty()) {
        MESSAGE("skipped: no CDNOW summary under CUSTOMETRICS_SHARED_DATA_DIR");
        return;
    }
    CHECK(c.x.size() == 2357);
    CHECK(compress_summary(c.x, c.tx, c.T).size() == 1016); // fit.hpp's count
    check_against_per_customer(c, 1);
}

TEST_CASE("unique rows: runs of (x, T) by hand") {
    // Rows sorted by (x, T, t_x): (0,0,5) | (1,1,5) (1,3,5) | (1,2,6) | (2,1,6) (2,4,6).
    const std::vector<double> x{2, 1, 0, 1, 2, 1, 1}, tx{4, 3, 0, 1, 1, 2, 3},
        T{6, 5, 5, 5, 6, 6, 5};
    const compressed_summary rows = compress_summary(x, tx, T);
    CHECK(rows.size() == 6);
    CHECK(detail::runs_of_x_and_T(rows) == std::vector<std::uint32_t>{0, 1, 3, 4, 6});
    // Scattered back: customers 1 and 6 share a row and its value.
    const std::vector<double> alive =
        p_alive(pareto_nbd_params{0.553, 10.578, 0.606, 11.669}, x, tx, T);
    CHECK(same_bits(alive[1], alive[6]));
}

TEST_CASE("unique rows: the same results for 1, 2 and 3 threads") {
    const columns c = generated();
    const fitted_model gg = fitted_spend_model(gamma_gamma_params{6.25, 3.74, 15.44});
    score_options o;
    o.horizon = 52;
    for (const purchase_params& p : models()) {
        CAPTURE(to_string(kind_of(p)));
        std::vector<customer_scores> runs;
        std::vector<std::vector<double>> alive, expected;
        for (const unsigned threads : {1U, 2U, 3U}) {
            set_default_threads(threads);
            // Forget the rows of the run before: each thread count compresses afresh.
            detail::remember_unique_rows(nullptr);
            runs.push_back(score_customers(fitted_purchase_model(p), gg,
                                           summary_columns{c.x, c.tx, c.T, c.m, {}, {}},
                                           parse_summary_units("weeks"), o));
            alive.push_back(p_alive(p, c.x, c.tx, c.T));
            expected.push_back(conditional_expected_purchases(p, 52, c.x, c.tx, c.T));
        }
        set_default_threads(0);
        for (std::size_t k = 1; k < runs.size(); ++k) {
            CHECK(runs[k].p_alive == runs[0].p_alive);
            CHECK(runs[k].expected_purchases == runs[0].expected_purchases);
            CHECK(runs[k].next_purchase_wait == runs[0].next_purchase_wait);
            CHECK(runs[k].clv == runs[0].clv);
            CHECK(alive[k] == alive[0]);
            CHECK(expected[k] == expected[0]);
        }
        // And score_customers equals the span predictions it shares its rows with.
        CHECK(runs[0].p_alive == alive[0]);
        CHECK(runs[0].expected_purchases == expected[0]);
    }
}

TEST_CASE("score_customers by unique rows: every score against the per-customer functions") {
    const columns c = generated();
    const gamma_gamma_params g{6.25, 3.74, 15.44};
    score_options o;
    o.horizon = 52;
    o.probability = 0.8;
    const summary_units weeks = parse_summary_units("weeks");
    const clv_options co = clv_options_of(o, weeks);
    for (const purchase_params& p : models()) {
        CAPTURE(to_string(kind_of(p)));
        const customer_scores s =
            score_customers(fitted_purchase_model(p), fitted_spend_model(g),
                            summary_columns{c.x, c.tx, c.T, c.m, {}, {}}, weeks, o);
        std::size_t off = 0;
        double worst = 0;
        for (std::size_t i = 0; i < c.x.size(); i += 7) {
            std::visit(
                [&](const auto& m) {
                    if (!same_bits(s.p_alive[i], p_alive(m, c.x[i], c.tx[i], c.T[i]))) ++off;
                    if (!same_bits(s.expected_purchases[i],
                                   conditional_expected_purchases(m, 52, c.x[i], c.tx[i], c.T[i])))
                        ++off;
                    if (!same_bits(s.next_purchase_wait[i],
                                   next_purchase_time(m, c.x[i], c.tx[i], c.T[i], 0.8)))
                        ++off;
                    const double want =
                        customer_lifetime_value(m, g, c.x[i], c.tx[i], c.T[i], c.m[i], co);
                    worst = std::max(worst,
                                     std::abs(s.clv[i] - want) / std::max(std::abs(want), 1e-300));
                },
                p);
        }
        CHECK(off == 0);
        CHECK(worst <= 1e-12);
    }
    // A probability outside (0, 1) is refused as next_purchase_time refuses it.
    o.probability = 1.0;
    CHECK_THROWS_WITH_AS(score_customers(fitted_purchase_model(models()[0]), std::nullopt,
                                         summary_columns{c.x, c.tx, c.T, {}, {}, {}}, weeks, o),
                         "probability: must be in (0, 1), got 1", invalid_argument);
}

TEST_CASE("unique rows memo: the same columns are recognised bit for bit, changed ones are not") {
    columns c = generated();
    const bg_nbd_params bg{0.243, 4.414, 0.793, 2.426};
    // Remembered by a call that compresses, recognised in a copy (equal bits), for the P(alive)
    // that then goes by rows: the same values as the first, per-customer evaluation.
    detail::remember_unique_rows(nullptr);
    CHECK(detail::recalled_unique_rows(c.x, c.tx, c.T) == nullptr);
    const std::vector<double> alive = p_alive(bg, c.x, c.tx, c.T); // per customer, not remembered
    CHECK(detail::recalled_unique_rows(c.x, c.tx, c.T) == nullptr);
    const std::vector<double> e = conditional_expected_purchases(bg, 52, c.x, c.tx, c.T);
    const columns copy = c;
    const auto rows = detail::recalled_unique_rows(copy.x, copy.tx, copy.T);
    REQUIRE(rows != nullptr);
    CHECK(rows->size() == compress_summary(c.x, c.tx, c.T).size());
    CHECK(p_alive(bg, copy.x, copy.tx, copy.T) == alive);
    CHECK(conditional_expected_purchases(bg, 52, copy.x, copy.tx, copy.T) == e);
    // Fewer customers, one value changed in place (the last customer, the block scan's end), and
    // 0 written as -0 (equal as numbers, other bits) are not recognised.
    const std::span<const double> head_x(c.x.data(), c.x.size() - 1);
    const std::span<const double> head_tx(c.tx.data(), c.tx.size() - 1);
    const std::span<const double> head_T(c.T.data(), c.T.size() - 1);
    CHECK(detail::recalled_unique_rows(head_x, head_tx, head_T) == nullptr);
    const std::size_t last = c.x.size() - 1;
    c.T[last] += 1;
    CHECK(detail::recalled_unique_rows(c.x, c.tx, c.T) == nullptr);
    c.T[last] -= 1;
    CHECK(detail::recalled_unique_rows(c.x, c.tx, c.T) != nullptr);
    const auto zero =
        static_cast<std::size_t>(std::find(c.tx.begin(), c.tx.end(), 0.0) - c.tx.begin());
    REQUIRE(zero < c.tx.size());
    c.tx[zero] = -0.0;
    CHECK(detail::recalled_unique_rows(c.x, c.tx, c.T) == nullptr);
    c.tx[zero] = 0.0;
    // A bad value written in place after the columns were remembered is checked again.
    c.tx[last] = c.T[last] + 1;
    CHECK_THROWS_AS(conditional_expected_purchases(bg, 52, c.x, c.tx, c.T), data_error);
    CHECK_THROWS_AS(p_alive(bg, c.x, c.tx, c.T), data_error);
    // A value changed in place to another good one is scored afresh: the per-customer value.
    c.x[last] += 1;
    c.tx[last] = c.T[last];
    (void)conditional_expected_purchases(bg, 52, c.x, c.tx, c.T); // remembered anew
    const std::vector<double> a = p_alive(bg, c.x, c.tx, c.T);    // by its rows
    CHECK(same_bits(a[last], p_alive(bg, c.x[last], c.tx[last], c.T[last])));
    CHECK(same_bits(a[0], alive[0]));
}
