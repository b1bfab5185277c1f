// Tests of custometrics/retention/purchase_model.hpp: purchase models chosen by name.
#include "custometrics/retention/purchase_model.hpp"

#include "custometrics/error.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

using namespace custometrics;

TEST_CASE("purchase_model: names") {
    CHECK(parse_purchase_model("bgnbd") == purchase_model_kind::bg_nbd);
    CHECK(parse_purchase_model("BG/NBD") == purchase_model_kind::bg_nbd);
    CHECK(parse_purchase_model("mbg_nbd") == purchase_model_kind::mbg_nbd);
    CHECK(parse_purchase_model("Pareto/NBD") == purchase_model_kind::pareto_nbd);
    CHECK(parse_purchase_model("pnbd") == purchase_model_kind::pareto_nbd);
    CHECK_THROWS_WITH_AS(
        parse_purchase_model("bgbb", "--model"),
        "--model: unknown purchase model \"bgbb\" (expected bgnbd, mbgnbd, pnbd or ggomnbd)",
        invalid_argument);
    for (const auto k : {purchase_model_kind::bg_nbd, purchase_model_kind::mbg_nbd,
                         purchase_model_kind::pareto_nbd})
        CHECK(parse_purchase_model(to_string(k)) == k);
    CHECK(display_name(purchase_model_kind::pareto_nbd) == "Pareto/NBD");
    CHECK(parameter_names(purchase_model_kind::pareto_nbd) ==
          std::vector<std::string>{"r", "alpha", "s", "beta"});
    CHECK(parameter_names(purchase_model_kind::mbg_nbd) ==
          std::vector<std::string>{"r", "alpha", "a", "b"});
}

TEST_CASE("purchase_model: parameters and dispatch") {
    const std::vector<double> ones{1.0, 1.0, 1.0, 1.0};
    const purchase_params bg = purchase_params_from(purchase_model_kind::bg_nbd, ones);
    CHECK(kind_of(bg) == purchase_model_kind::bg_nbd);
    CHECK(parameter_values(bg) == ones);
    // BG/NBD, r = alpha = a = b = 1, x = 1, t_x = 1, T = 2: P(alive) = 1 / (1 + (3/2)^2) = 4/13.
    CHECK(p_alive(bg, 1.0, 1.0, 2.0) == doctest::Approx(4.0 / 13.0).epsilon(1e-14));
    CHECK(p_alive(bg, 1.0, 1.0, 2.0) == p_alive(bg_nbd_params{1, 1, 1, 1}, 1.0, 1.0, 2.0));
    const std::vector<double> x{0, 1}, tx{0, 1}, T{2, 2};
    const std::vector<double> alive = p_alive(bg, x, tx, T);
    CHECK(alive[0] == 1.0);
    CHECK(alive[1] == doctest::Approx(4.0 / 13.0).epsilon(1e-14));
    // Each model's own function, through the variant.
    const pareto_nbd_params pn{0.553, 10.578, 0.606, 11.669};
    const purchase_params pv =
        purchase_params_from(purchase_model_kind::pareto_nbd, parameter_values(pn));
    CHECK(conditional_expected_purchases(pv, 39.0, 2.0, 30.43, 38.86) ==
          conditional_expected_purchases(pn, 39.0, 2.0, 30.43, 38.86));
    CHECK(expected_purchases(pv, 39.0) == expected_purchases(pn, 39.0));
    CHECK(log_likelihood(pv, 2.0, 30.43, 38.86) == log_likelihood(pn, 2.0, 30.43, 38.86));
    // The shared rate posterior Gamma(r + x, alpha + T).
    const rate_posterior post = purchase_rate_posterior(pv, 2.0, 38.86);
    CHECK(post.shape == doctest::Approx(2.553));
    CHECK(post.rate == doctest::Approx(10.578 + 38.86));

    CHECK_THROWS_WITH_AS(
        purchase_params_from(purchase_model_kind::bg_nbd, std::vector<double>{1.0, 2.0}),
        "params: BG/NBD has 4 parameters, got 2", invalid_argument);
    CHECK_THROWS_WITH_AS(purchase_params_from(purchase_model_kind::mbg_nbd,
                                              std::vector<double>{1.0, -2.0, 1.0, 1.0}),
                         "params: alpha must be positive and finite, got -2", invalid_argument);
    CHECK_THROWS_AS(purchase_params_from(purchase_model_kind::pareto_nbd,
                                         std::vector<double>{1.0, 1.0, NAN, 1.0}),
                    invalid_argument);
}

TEST_CASE("purchase_model: the fit by name is the model's own fit") {
    // A small deterministic sample: x, t_x, T in weeks.
    const std::vector<double> x{0, 1, 2, 0, 5, 1, 0, 3, 0, 2, 7, 0};
    const std::vector<double> tx{0, 10, 20, 0, 30, 3, 0, 25, 0, 12, 35, 0};
    const std::vector<double> T{39, 39, 39, 30, 39, 20, 15, 39, 39, 30, 39, 10};
    const compressed_summary rows = compress_summary(x, tx, T);
    const fit_result a = fit_purchase_model(purchase_model_kind::bg_nbd, rows);
    const fit_result b = fit_bg_nbd(rows);
    CHECK(a.params == b.params);
    CHECK(a.log_likelihood == b.log_likelihood);
    const fit_result c = fit_purchase_model(purchase_model_kind::mbg_nbd, rows);
    CHECK(c.params == fit_mbg_nbd(rows).params);
}

TEST_CASE("expected_purchases and probability_of_purchases over columns, for any model") {
    const purchase_params p =
        purchase_params_from(purchase_model_kind::bg_nbd, std::vector{0.243, 4.414, 0.793, 2.426});
    const std::vector<double> t{0.0, 39.0};
    const std::vector<double> e = expected_purchases(p, t);
    CHECK(e[0] == 0.0); // nothing expected in no time
    CHECK(e[1] == expected_purchases(p, 39.0));
    const std::vector<std::int64_t> n{0, 1, 2};
    const std::vector<double> pn = probability_of_purchases(p, 39.0, n);
    for (std::size_t i = 0; i < n.size(); ++i)
        CHECK(pn[i] == probability_of_purchases(p, 39.0, static_cast<int>(n[i])));
    // The probabilities of 0..199 purchases sum to 1 (the tail beyond is negligible).
    std::vector<std::int64_t> all(200);
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = static_cast<std::int64_t>(i);
    double sum = 0;
    for (const double q : probability_of_purchases(p, 39.0, all))
        sum += q;
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-6));
    const std::vector<std::int64_t> negative{1, -1};
    CHECK_THROWS_WITH_AS((void)probability_of_purchases(p, 39.0, negative),
                         "n: must be >= 0, got -1", invalid_argument);
}
