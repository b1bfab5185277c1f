// Tests of retention/partition.hpp: a partition's log-likelihood against the per-customer
// likelihoods of the model headers, the time-scaling identity, partitioned fits against the
// single-machine fits of every model, the row checks' fields, the totals, and a failing
// evaluator.
#include <custometrics/error.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/retention.hpp>
#include <custometrics/summary.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

// 2,000 generated customers summarised in days, compressed; the rows split in three
// partitions of unequal size.
struct data {
    compressed_summary rows;
    std::vector<double> m; // a positive average spend per row, for the Gamma-Gamma tests
    std::vector<purchase_rows> parts;
    std::vector<spend_rows> spend_parts;
    std::vector<double> spend_x, spend_m, spend_w; // the repeat buyers' rows
    data() {
        generate_options g;
        g.customers = 2000;
        g.seed = 9;
        const generated_log log = generate_transactions(g);
        const customer_summary s = summarize(log.log.view());
        rows = compress_summary(s.frequency, s.recency, s.T);
        const std::size_t n = rows.size();
        const std::size_t cut[] = {0, n / 5, n / 2, n};
        for (int p = 0; p < 3; ++p) {
            const std::size_t b = cut[p], e = cut[p + 1];
            parts.push_back({std::span(rows.frequency).subspan(b, e - b),
                             std::span(rows.recency).subspan(b, e - b),
                             std::span(rows.T).subspan(b, e - b),
                             std::span(rows.weight).subspan(b, e - b)});
        }
        for (std::size_t i = 0; i < n; ++i)
            if (rows.frequency[i] > 0) {
                spend_x.push_back(rows.frequency[i]);
                spend_m.push_back(10.0 + std::fmod(rows.T[i] * 7.3, 40.0)); // 10 .. 50
                spend_w.push_back(rows.weight[i]);
            }
        const std::size_t k = spend_x.size();
        spend_parts.push_back({std::span(spend_x).first(k / 3), std::span(spend_m).first(k / 3),
                               std::span(spend_w).first(k / 3)});
        spend_parts.push_back({std::span(spend_x).subspan(k / 3), std::span(spend_m).subspan(k / 3),
                               std::span(spend_w).subspan(k / 3)});
    }
};

const data& the_data() {
    static const data d;
    return d;
}

partition_totals totals_over(const std::vector<purchase_rows>& parts) {
    partition_totals t;
    for (const purchase_rows& p : parts)
        t += totals_of(p);
    return t;
}

} // namespace

TEST_CASE("partition_log_likelihood: the sum of the per-customer likelihoods of every model") {
    const data& d = the_data();
    const std::vector<double> bg{0.25, 30.0, 0.8, 2.5};
    const std::vector<double> pn{0.6, 40.0, 0.5, 20.0};
    for (const purchase_model_kind kind :
         {purchase_model_kind::bg_nbd, purchase_model_kind::mbg_nbd,
          purchase_model_kind::pareto_nbd}) {
        CAPTURE(to_string(kind));
        const std::vector<double>& p = kind == purchase_model_kind::pareto_nbd ? pn : bg;
        const purchase_params params = purchase_params_from(kind, p);
        // Reference: w_i log L_i of each row by the model header's one-customer function.
        double expected = 0;
        for (std::size_t i = 0; i < d.rows.size(); ++i)
            expected += d.rows.weight[i] *
                        log_likelihood(params, d.rows.frequency[i], d.rows.recency[i], d.rows.T[i]);
        loglik_gradient sum;
        for (const purchase_rows& part : d.parts)
            sum += partition_log_likelihood(kind, p, part, 1.0);
        CHECK(sum.value == doctest::Approx(expected).epsilon(1e-12));
        REQUIRE(sum.gradient.size() == 4);
        // The gradient against central differences of the value (relative step 1e-6).
        for (std::size_t j = 0; j < 4; ++j) {
            std::vector<double> up = p, down = p;
            const double h = 1e-6 * p[j];
            up[j] += h;
            down[j] -= h;
            double lu = 0, ld = 0;
            for (const purchase_rows& part : d.parts) {
                lu += partition_log_likelihood(kind, up, part, 1.0).value;
                ld += partition_log_likelihood(kind, down, part, 1.0).value;
            }
            CHECK(sum.gradient[j] == doctest::Approx((lu - ld) / (2 * h)).epsilon(1e-5));
        }
    }
}

TEST_CASE("partition_log_likelihood: times scaled by c are the rates scaled by c") {
    // The likelihood is a density in t_x: with times multiplied by c and the rate parameters
    // (alpha; alpha and beta of Pareto/NBD) by c, log L changes by -x log c per customer.
    const data& d = the_data();
    const double c = 1.0 / 700.0;
    const partition_totals t = totals_over(d.parts);
    const std::vector<double> bg{0.25, 30.0, 0.8, 2.5};
    const loglik_gradient plain =
        partition_log_likelihood(purchase_model_kind::bg_nbd, bg, d.parts[0], 1.0);
    const std::vector<double> bg_c{0.25, 30.0 * c, 0.8, 2.5};
    const loglik_gradient scaled =
        partition_log_likelihood(purchase_model_kind::bg_nbd, bg_c, d.parts[0], c);
    double wx = 0;
    for (std::size_t i = 0; i < d.parts[0].frequency.size(); ++i)
        wx += d.parts[0].weight[i] * d.parts[0].frequency[i];
    CHECK(scaled.value == doctest::Approx(plain.value - wx * std::log(c)).epsilon(1e-12));
    const std::vector<double> pn{0.6, 40.0, 0.5, 20.0};
    const std::vector<double> pn_c{0.6, 40.0 * c, 0.5, 20.0 * c};
    CHECK(partition_log_likelihood(purchase_model_kind::pareto_nbd, pn_c, d.parts[1], c).value ==
          doctest::Approx(
              partition_log_likelihood(purchase_model_kind::pareto_nbd, pn, d.parts[1], 1.0).value -
              totals_of(d.parts[1]).weighted_frequency * std::log(c))
              .epsilon(1e-12));
    CHECK(t.time_scale() == 1.0 / t.max_T);
}

TEST_CASE("fit_partitioned: the single-machine fit of every purchase model") {
    const data& d = the_data();
    const partition_totals totals = totals_over(d.parts);
    CHECK(totals.rows == d.rows.size());
    CHECK(totals.weight == d.rows.total_weight);
    const double scale = totals.time_scale();
    for (const purchase_model_kind kind :
         {purchase_model_kind::bg_nbd, purchase_model_kind::mbg_nbd,
          purchase_model_kind::pareto_nbd}) {
        CAPTURE(to_string(kind));
        int calls = 0;
        const fit_result f = fit_partitioned(
            kind,
            [&](std::span<const double> p) {
                ++calls;
                loglik_gradient l;
                for (const purchase_rows& part : d.parts)
                    l += partition_log_likelihood(kind, p, part, scale);
                return l;
            },
            totals);
        const fit_result ref = fit_purchase_model(kind, d.rows);
        CHECK(f.report.converged);
        CHECK(calls == f.report.function_evaluations + 1 + 2 * 4); // + the final value, Hessian
        CHECK(f.names == ref.names);
        for (std::size_t j = 0; j < 4; ++j) {
            CHECK(f.params[j] == doctest::Approx(ref.params[j]).epsilon(1e-6));
            CHECK(f.std_errors[j] == doctest::Approx(ref.std_errors[j]).epsilon(1e-4));
        }
        CHECK(f.log_likelihood == doctest::Approx(ref.log_likelihood).epsilon(1e-10));
        CHECK(f.n == ref.n);
    }
    // A start given in the input unit is scaled like the single-machine fit's.
    fit_options o;
    o.initial = {0.3, 20.0, 0.7, 2.0};
    o.max_iterations = 1; // the first step from the start only
    const fit_result a = fit_partitioned(
        purchase_model_kind::bg_nbd,
        [&](std::span<const double> p) {
            loglik_gradient l;
            for (const purchase_rows& part : d.parts)
                l += partition_log_likelihood(purchase_model_kind::bg_nbd, p, part, scale);
            return l;
        },
        totals, o);
    const fit_result b = fit_bg_nbd(d.rows, o);
    CHECK(a.params[1] == doctest::Approx(b.params[1]).epsilon(1e-9));
}

TEST_CASE("fit_gamma_gamma_partitioned: the single-machine Gamma-Gamma fit") {
    const data& d = the_data();
    partition_totals totals;
    for (const spend_rows& part : d.spend_parts) {
        check_rows(part);
        totals += totals_of(part);
    }
    const fit_result f = fit_gamma_gamma_partitioned(
        [&](std::span<const double> p) {
            loglik_gradient l;
            for (const spend_rows& part : d.spend_parts)
                l += partition_log_likelihood(gamma_gamma_params{p[0], p[1], p[2]}, part);
            return l;
        },
        totals);
    const fit_result ref = fit_gamma_gamma(d.spend_x, d.spend_m, d.spend_w);
    CHECK(f.names == ref.names);
    for (std::size_t j = 0; j < 3; ++j)
        CHECK(f.params[j] == doctest::Approx(ref.params[j]).epsilon(1e-6));
    CHECK(f.log_likelihood == doctest::Approx(ref.log_likelihood).epsilon(1e-10));
    // The value against the one-customer function of gamma_gamma.hpp.
    const gamma_gamma_params g{6.0, 3.5, 15.0};
    double expected = 0;
    for (std::size_t i = 0; i < d.spend_x.size(); ++i)
        expected += d.spend_w[i] * log_likelihood(g, d.spend_x[i], d.spend_m[i]);
    const spend_rows all{d.spend_x, d.spend_m, d.spend_w};
    CHECK(partition_log_likelihood(g, all).value == doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("check_rows: the fit's checks, the position in the fields only") {
    const std::vector<double> x{1, 2}, tx{5, 9}, T{6, 8}, w{1, 1};
    try {
        check_rows(purchase_rows{x, tx, T, w});
        FAIL("no data_error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) == "recency: value 9 is above T (8)");
        CHECK(e.argument() == "recency");
        CHECK(e.row() == std::optional<std::size_t>(1));
        CHECK(e.value() == "9");
    }
    const std::vector<double> neg_w{1, -2}, ok_tx{5, 7};
    CHECK_THROWS_WITH_AS(check_rows(purchase_rows{x, ok_tx, T, neg_w}),
                         "weights: value -2 is negative", data_error);
    CHECK_NOTHROW(check_rows(purchase_rows{x, ok_tx, T, w}));
    CHECK_NOTHROW(check_rows(purchase_rows{})); // an empty partition
    const std::vector<double> sx{1, 0}, sm{10, 12};
    try {
        check_rows(spend_rows{sx, sm, w});
        FAIL("no data_error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) == "frequency: value 0 is not a whole number > 0 (the "
                                       "Gamma-Gamma model is fitted on repeat buyers only)");
        CHECK(e.row() == std::optional<std::size_t>(1));
    }
    // The single-machine fit keeps naming the customer in its message.
    CHECK_THROWS_WITH_AS(fit_gamma_gamma(sx, sm),
                         "frequency: customer 1: value 0 is not a whole number > 0 (the "
                         "Gamma-Gamma model is fitted on repeat buyers only)",
                         data_error);
}

TEST_CASE("partition_totals and the partitioned fit's errors") {
    partition_totals a;
    a.rows = 2;
    a.weight = 3;
    a.weighted_frequency = 4;
    a.max_T = 10;
    partition_totals b;
    b.rows = 1;
    b.weight = 1;
    b.weighted_frequency = 2;
    b.max_T = 20;
    a += b;
    CHECK(a.rows == 3);
    CHECK(a.weight == 4);
    CHECK(a.weighted_frequency == 6);
    CHECK(a.time_scale() == 1.0 / 20);
    CHECK_THROWS_AS(partition_totals{}.time_scale(), invalid_argument);
    const std::vector<double> x{1}, tx{1}, T{2}, w{1};
    CHECK_THROWS_AS(partition_log_likelihood(purchase_model_kind::bg_nbd,
                                             std::vector<double>{1, 1, 1}, {x, tx, T, w}, 1.0),
                    invalid_argument);
    CHECK_THROWS_AS(partition_log_likelihood(purchase_model_kind::bg_nbd,
                                             std::vector<double>{1, 1, 1, 1}, {x, tx, T, w}, 0.0),
                    invalid_argument);

    // A failing evaluation (a failed Spark job) comes out as it was thrown.
    struct job_failed : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    int calls = 0;
    CHECK_THROWS_WITH_AS(fit_partitioned(
                             purchase_model_kind::bg_nbd,
                             [&](std::span<const double>) -> loglik_gradient {
                                 if (++calls == 3) throw job_failed("executor lost");
                                 return {-100.0 - calls, {1.0, 1.0, 1.0, 1.0}};
                             },
                             a),
                         "executor lost", job_failed);
    CHECK(calls == 3); // the fit stopped at the failure
    // A gradient of the wrong length.
    CHECK_THROWS_AS(fit_partitioned(
                        purchase_model_kind::pareto_nbd,
                        [](std::span<const double>) {
                            return loglik_gradient{-1.0, {1.0}};
                        },
                        a),
                    invalid_argument);
}
