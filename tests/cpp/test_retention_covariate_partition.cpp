// Tests of retention/covariate_partition.hpp: the covariate fit on partitions equals
// fit_with_covariates on the whole apparel fixture (tests/reference/clvtools, 600 customers,
// weeks, Gender numeric and Channel as labels "offline"/"online"), the layout from the levels
// equals design_covariates' coding, and the blocks' errors name the customer; the model names
// every face reads (purchase_model.hpp, fitted_model.hpp).
#include <custometrics/csv_table.hpp>
#include <custometrics/error.hpp>
#include <custometrics/retention/covariate_partition.hpp>
#include <custometrics/retention/fitted_model.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

const std::string fixture = (std::filesystem::path(__FILE__).parent_path().parent_path() /
                             "reference" / "clvtools" / "predictions_apparel_pnbd_cov.csv")
                                .string();

// The fixture's summary and covariates, Channel as labels.
struct customers {
    std::vector<std::string> keys, channel;
    std::vector<double> x, tx, T, gender;
};

customers read_fixture() {
    const csv_table t = read_csv_table(fixture);
    customers c;
    for (std::size_t r = 0; r < t.size(); ++r) {
        c.keys.push_back(t.rows[r][t.column("Id")]);
        c.x.push_back(t.number(r, t.column("x")));
        c.tx.push_back(t.number(r, t.column("t.x")));
        c.T.push_back(t.number(r, t.column("T.cal")));
        c.gender.push_back(t.number(r, t.column("Gender")));
        c.channel.push_back(t.number(r, t.column("Channel")) == 1.0 ? "online" : "offline");
    }
    return c;
}

// Customers [b, e) of `c` as a partition: its rows and its covariate table.
struct part {
    std::vector<std::string> keys;
    std::vector<double> x, tx, T;
    covariate_table table;
};

part slice(const customers& c, std::size_t b, std::size_t e) {
    part p;
    std::vector<double> gender;
    std::vector<std::string> channel;
    for (std::size_t i = b; i < e; ++i) {
        p.keys.push_back(c.keys[i]);
        p.x.push_back(c.x[i]);
        p.tx.push_back(c.tx[i]);
        p.T.push_back(c.T[i]);
        gender.push_back(c.gender[i]);
        channel.push_back(c.channel[i]);
    }
    p.table = covariate_table_of(p.keys, {{"Gender", gender}, {"Channel", channel}});
    return p;
}

} // namespace

TEST_CASE("covariate_partition: three partitions reach fit_with_covariates' optimum") {
    const customers c = read_fixture();
    REQUIRE(c.keys.size() == 600);
    const covariate_spec spec{{"Gender", "Channel"}, {"Gender", "Channel"}, {}, 0.0, 0.0};
    const covariate_table whole =
        covariate_table_of(c.keys, {{"Gender", c.gender}, {"Channel", c.channel}});
    const fit_options o{0.0, 1000, 1e-12, {}, 1};
    const covariate_fit want = fit_with_covariates(purchase_model_kind::pareto_nbd, c.x, c.tx, c.T,
                                                   design_covariates(whole, c.keys, spec), o);

    // The layout from the levels alone (repeated and unsorted): design_covariates' coding.
    const covariate_design layout =
        covariate_layout({{"Gender", {}}, {"Channel", {"online", "offline", "online"}}}, spec);
    CHECK(layout.coefficient_names == std::vector<std::string>{"life.Gender", "life.Channel=online",
                                                               "trans.Gender",
                                                               "trans.Channel=online"});
    CHECK(layout.reference_levels ==
          std::vector<std::pair<std::string, std::string>>{{"Channel", "offline"}});
    CHECK(layout.customers() == 0);

    const std::vector<part> parts{slice(c, 0, 250), slice(c, 250, 251), slice(c, 251, 600)};
    std::vector<covariate_design> blocks;
    partition_totals totals;
    for (const part& p : parts) {
        blocks.push_back(covariate_block(layout, p.table, p.keys));
        totals += totals_of(purchase_rows{p.x, p.tx, p.T, {}});
    }
    CHECK(totals.rows == 600);
    const double scale = totals.time_scale();
    int calls = 0;
    const covariate_fit got = fit_covariates_partitioned(
        purchase_model_kind::pareto_nbd,
        [&](std::span<const double> params) {
            ++calls;
            loglik_gradient l;
            for (std::size_t k = 0; k < parts.size(); ++k)
                l += partition_covariate_log_likelihood(purchase_model_kind::pareto_nbd, params,
                                                        {parts[k].x, parts[k].tx, parts[k].T, {}},
                                                        blocks[k], scale);
            return l;
        },
        totals, layout, o);
    CHECK(calls > 10);
    // The same optimum: CLVTools' tight run is r 1.838963, trans.Channel 0.623930
    // (options_params.csv; test_retention_covariates.cpp checks fit_with_covariates reaches it).
    CHECK(got.fit.log_likelihood == doctest::Approx(want.fit.log_likelihood).epsilon(1e-12));
    REQUIRE(got.fit.params.size() == 8);
    for (std::size_t j = 0; j < 8; ++j) {
        INFO(got.fit.names[j]);
        CHECK(got.fit.names[j] == want.fit.names[j]);
        // Both start from the optimum without covariates; the sums run in another order (three
        // partitions of customers against compressed rows), and beta and the life coefficients
        // are weakly identified (a flat ridge), so the estimates agree to a small fraction of
        // their standard errors, and the standard errors (central differences of the gradient)
        // to 1e-5, not to the last bits.
        CHECK(std::abs(got.fit.params[j] - want.fit.params[j]) < 1e-6 * want.fit.std_errors[j]);
        CHECK(got.fit.std_errors[j] == doctest::Approx(want.fit.std_errors[j]).epsilon(1e-5));
    }
    CHECK(got.fit.params[0] == doctest::Approx(1.838963).epsilon(1e-4));
    CHECK(got.model.coefficients.trans ==
          std::vector<double>{got.fit.params[6], got.fit.params[7]});
    CHECK(got.model.coefficients.trans_names ==
          std::vector<std::string>{"Gender", "Channel=online"});
    CHECK(got.trans_std_errors[1] == got.fit.std_errors[7]);
}

TEST_CASE("covariate_partition: block errors name the customer and the column") {
    const customers c = read_fixture();
    const covariate_spec spec{{"Channel"}, {}, {}, 0.0, 0.0};
    const covariate_design layout = covariate_layout({{"Channel", {"offline", "online"}}}, spec);
    part p = slice(c, 0, 5);
    // Customer 3 has no covariate row.
    covariate_table missing = covariate_table_of(
        {p.keys[0], p.keys[1], p.keys[2], p.keys[4]},
        {{"Channel", std::vector<std::string>{"online", "online", "offline", "online"}}});
    try {
        (void)covariate_block(layout, missing, p.keys);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.argument() == "covariates");
        CHECK(e.key() == p.keys[3]);
    }
    // A label that is not a level of the layout.
    p.table.columns[1].labels[2] = "phone";
    try {
        (void)covariate_block(layout, p.table, p.keys);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.key() == p.keys[2]);
        CHECK(e.column() == "Channel");
        CHECK(e.value() == "phone");
    }
    // A covariate that is not a column of the table: the layout refuses it.
    CHECK_THROWS_AS(covariate_layout({{"Gender", {}}}, spec), invalid_argument);
    // Weighted rows are not customers.
    const std::vector<double> w(5, 1.0);
    CHECK_THROWS_AS(partition_covariate_log_likelihood(
                        purchase_model_kind::pareto_nbd, std::vector<double>{1, 1, 1, 1, 0},
                        {p.x, p.tx, p.T, w}, covariate_block(layout, slice(c, 0, 5).table, p.keys),
                        1.0),
                    invalid_argument);
}

TEST_CASE("model names: one reading for every face") {
    CHECK(parse_purchase_model("BetaGeoFitter") == purchase_model_kind::bg_nbd);
    CHECK(parse_purchase_model("ModifiedBetaGeoFitter") == purchase_model_kind::mbg_nbd);
    CHECK(parse_purchase_model("ParetoNBDFitter") == purchase_model_kind::pareto_nbd);
    CHECK(parse_purchase_model("GGompertz/NBD") == purchase_model_kind::ggom_nbd);
    CHECK(canonical_model_name("gamma_gamma") == "gamma-gamma");
    CHECK(canonical_model_name("GammaGammaFitter") == "gamma-gamma");
    CHECK(canonical_model_name("BG/BB") == "bgbb");
    CHECK(canonical_model_name("ggom") == "ggomnbd");
    // "fitter" alone is no model.
    try {
        (void)canonical_model_name("fitter");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "model");
        CHECK(e.value() == "fitter");
    }
}
