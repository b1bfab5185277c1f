// Tests of retention/covariates.hpp against CLVTools 0.12.1 (the committed fixtures of
// tests/reference/clvtools, apparel data: 600 customers, weeks, Gender and Channel on both
// processes): the log-likelihood at CLVTools' parameters, the fitted coefficients and their
// standard errors, the constrained and penalised fits (options_params.csv, made by
// tests/reference/clvtools_covariate_options.R), P(alive) and expected transactions per customer;
// the analytic gradient against central differences; all-zero covariates against the models
// without covariates; categorical coding and errors.
#include <custometrics/csv_table.hpp>
#include <custometrics/error.hpp>
#include <custometrics/retention/covariates.hpp>
#include <custometrics/retention/pareto_nbd.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <map>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

// The committed fixtures, beside this file's folder (relative to the build folder under ccache's
// base_dir, as the other data paths: run the tests from build/dev).
const std::string fixtures =
    (std::filesystem::path(__FILE__).parent_path().parent_path() / "reference" / "clvtools")
        .string() +
    "/";

// One predictions file of the fixtures: the summary, covariates and CLVTools' predictions.
struct apparel {
    std::vector<std::string> keys;
    std::vector<double> x, tx, T, gender, channel, p_alive, cet;
    double horizon = 0.0;
};

apparel read_predictions(const std::string& fit) {
    const csv_table t = read_csv_table(fixtures + "predictions_apparel_" + fit + ".csv");
    apparel a;
    for (std::size_t r = 0; r < t.size(); ++r) {
        a.keys.push_back(t.rows[r][t.column("Id")]);
        a.x.push_back(t.number(r, t.column("x")));
        a.tx.push_back(t.number(r, t.column("t.x")));
        a.T.push_back(t.number(r, t.column("T.cal")));
        a.gender.push_back(t.number(r, t.column("Gender")));
        a.channel.push_back(t.number(r, t.column("Channel")));
        a.p_alive.push_back(t.number(r, t.column("PAlive")));
        a.cet.push_back(t.number(r, t.column("CET")));
        a.horizon = t.number(r, t.column("period.length"));
    }
    return a;
}

// params.csv's estimates and standard errors of one apparel fit, by CLVTools' names.
std::map<std::string, std::pair<double, double>> read_params(const std::string& fit) {
    const csv_table t = read_csv_table(fixtures + "params.csv");
    std::map<std::string, std::pair<double, double>> out;
    for (std::size_t r = 0; r < t.size(); ++r)
        if (t.rows[r][0] == "apparel" && t.rows[r][1] == fit)
            out[t.rows[r][2]] = {t.number(r, 3), t.number(r, 4)};
    return out;
}

double fixture_log_likelihood(const std::string& fit) {
    const csv_table t = read_csv_table(fixtures + "fits.csv");
    for (std::size_t r = 0; r < t.size(); ++r)
        if (t.rows[r][0] == "apparel" && t.rows[r][1] == fit)
            return t.number(r, t.column("log_likelihood"));
    FAIL("no fit " << fit);
    return 0.0;
}

std::map<std::string, double> read_options(const std::string& fit) {
    const csv_table t = read_csv_table(fixtures + "options_params.csv");
    std::map<std::string, double> out;
    for (std::size_t r = 0; r < t.size(); ++r)
        if (t.rows[r][0] == fit) out[t.rows[r][1]] = t.number(r, 2);
    return out;
}

covariate_table table_of(const apparel& a) {
    return {a.keys, {{"Gender", a.gender, {}}, {"Channel", a.channel, {}}}};
}

const covariate_spec both{{"Gender", "Channel"}, {"Gender", "Channel"}, {}, 0.0, 0.0};

// The parameter vector in the design's layout from CLVTools' names.
std::vector<double> params_in(const std::vector<std::string>& model_names,
                              const covariate_design& d,
                              const std::map<std::string, std::pair<double, double>>& p) {
    std::vector<double> out;
    for (const std::string& n : model_names)
        out.push_back(p.at(n).first);
    for (const std::string& n : d.coefficient_names)
        out.push_back(p.at(n).first);
    return out;
}

double rel(double a, double b) {
    return std::abs(a - b) / std::abs(b);
}

} // namespace

TEST_CASE("covariates: log-likelihood at CLVTools' parameters equals its logLik") {
    for (const auto& [fit, kind] :
         {std::pair{std::string("pnbd_cov"), purchase_model_kind::pareto_nbd},
          std::pair{std::string("bgnbd_cov"), purchase_model_kind::bg_nbd}}) {
        CAPTURE(fit);
        const apparel a = read_predictions(fit);
        REQUIRE(a.keys.size() == 600);
        const covariate_design d = design_covariates(table_of(a), a.keys, both);
        CHECK(d.coefficient_names == std::vector<std::string>{"life.Gender", "life.Channel",
                                                              "trans.Gender", "trans.Channel"});
        const std::vector<double> p = params_in(parameter_names(kind), d, read_params(fit));
        const loglik_gradient l = covariate_log_likelihood(kind, p, a.x, a.tx, a.T, d);
        // fits.csv: -5821.0627090933922 (pnbd_cov), -5839.8634846690502 (bgnbd_cov); recomputed
        // independently with lifetimes' likelihood to 1e-12 (check_clvtools_fixtures.py).
        CHECK(rel(l.value, fixture_log_likelihood(fit)) < 1e-10);
        // CLVTools' Pareto/NBD optimum is interior: the gradient is small there.
        if (kind == purchase_model_kind::pareto_nbd)
            for (std::size_t j = 4; j < p.size(); ++j)
                CHECK(std::abs(l.gradient[j]) < 0.05);
        // The per-customer values sum to the total.
        const std::vector<double> each = covariate_log_likelihoods(kind, p, a.x, a.tx, a.T, d);
        double s = 0.0;
        for (const double v : each)
            s += v;
        CHECK(s == doctest::Approx(l.value).epsilon(1e-13));
    }
}

TEST_CASE("covariates: predictions per customer equal CLVTools' at its parameters") {
    for (const auto& [fit, kind] :
         {std::pair{std::string("pnbd_cov"), purchase_model_kind::pareto_nbd},
          std::pair{std::string("bgnbd_cov"), purchase_model_kind::bg_nbd}}) {
        CAPTURE(fit);
        const apparel a = read_predictions(fit);
        const covariate_design d = design_covariates(table_of(a), a.keys, both);
        const auto ref = read_params(fit);
        covariate_model m;
        std::vector<double> base;
        for (const std::string& n : parameter_names(kind))
            base.push_back(ref.at(n).first);
        m.base = purchase_params_from(kind, base);
        m.coefficients.life_names = {"Gender", "Channel"};
        m.coefficients.trans_names = {"Gender", "Channel"};
        m.coefficients.life = {ref.at("life.Gender").first, ref.at("life.Channel").first};
        m.coefficients.trans = {ref.at("trans.Gender").first, ref.at("trans.Channel").first};
        const std::vector<purchase_params> per = customer_params(m, d);
        const std::vector<double> alive = p_alive(per, a.x, a.tx, a.T);
        const std::vector<double> cet =
            conditional_expected_purchases(per, a.horizon, a.x, a.tx, a.T);
        double worst_alive = 0.0;
        double worst_cet = 0.0;
        // (A NaN counts as infinitely far: std::max would skip it.)
        const auto worse = [](double w, double e) {
            return std::isnan(e) ? std::numeric_limits<double>::infinity() : std::max(w, e);
        };
        for (std::size_t i = 0; i < a.x.size(); ++i) {
            worst_alive = worse(worst_alive, std::abs(alive[i] - a.p_alive[i]));
            worst_cet = worse(worst_cet, rel(cet[i], a.cet[i]));
        }
        CHECK(worst_alive < 1e-9);
        CHECK(worst_cet < 1e-8);
        // design_for re-codes the table by the model's names: the same design.
        const covariate_design again = design_for(m, table_of(a), a.keys);
        CHECK(again.life == d.life);
        CHECK(again.trans == d.trans);
    }
}

TEST_CASE("covariates: analytic gradient equals central differences") {
    const apparel a = read_predictions("pnbd_cov");
    covariate_spec spec = both;
    spec.constrained = {"Gender"};
    spec.life = {"Channel"};
    spec.trans = {"Channel"};
    const covariate_design d = design_covariates(table_of(a), a.keys, spec);
    CHECK(d.coefficient_names ==
          std::vector<std::string>{"life.Channel", "trans.Channel", "constr.Gender"});
    for (const purchase_model_kind kind :
         {purchase_model_kind::pareto_nbd, purchase_model_kind::bg_nbd,
          purchase_model_kind::mbg_nbd}) {
        CAPTURE(to_string(kind));
        const std::vector<double> p{1.3, 40.0, 0.8, 3.5, 0.4, -0.3, 0.25};
        const loglik_gradient l = covariate_log_likelihood(kind, p, a.x, a.tx, a.T, d);
        for (std::size_t j = 0; j < p.size(); ++j) {
            CAPTURE(j);
            const double h = 1e-5 * std::max(1.0, std::abs(p[j]));
            std::vector<double> up = p;
            std::vector<double> down = p;
            up[j] += h;
            down[j] -= h;
            const double fd = (covariate_log_likelihood(kind, up, a.x, a.tx, a.T, d).value -
                               covariate_log_likelihood(kind, down, a.x, a.tx, a.T, d).value) /
                              (2 * h);
            CHECK(l.gradient[j] == doctest::Approx(fd).epsilon(1e-6).scale(1.0));
        }
    }
}

TEST_CASE("covariates: all-zero covariates are the model without covariates") {
    const apparel a = read_predictions("pnbd_cov"); // the customers of the apparel fits
    const std::vector<double> zeros(a.keys.size(), 0.0);
    const covariate_table t{a.keys, {{"Zero", zeros, {}}}};
    const covariate_design d = design_covariates(t, a.keys, {{"Zero"}, {"Zero"}, {}, 0, 0});
    // Hand check: z = 0 gives alpha_i = alpha exp(0) = alpha, beta_i = beta, whatever g, so
    // every customer's log-likelihood is the Pareto/NBD one at (r, alpha, s, beta), bit for bit.
    const pareto_nbd_params base{1.4489767903208122, 48.636084482486304, 0.56125980901583572,
                                 46.884363479360346};
    const std::vector<double> p{base.r, base.alpha, base.s, base.beta, 0.7, -1.3};
    const std::vector<double> each =
        covariate_log_likelihoods(purchase_model_kind::pareto_nbd, p, a.x, a.tx, a.T, d);
    for (std::size_t i = 0; i < each.size(); ++i)
        CHECK(each[i] == log_likelihood(base, a.x[i], a.tx[i], a.T[i]));
    // The fit reaches the fit without covariates (fits.csv: apparel pnbd -5848.0978269624165)
    // and leaves the coefficients at their start; their information is 0, so no standard errors.
    const covariate_fit f = fit_with_covariates(purchase_model_kind::pareto_nbd, a.x, a.tx, a.T, d);
    const fit_result plain = fit_pareto_nbd(compress_summary(a.x, a.tx, a.T));
    for (std::size_t j = 0; j < 4; ++j)
        CHECK(f.fit.params[j] == doctest::Approx(plain.params[j]).epsilon(1e-6));
    CHECK(f.fit.params[4] == 0.0);
    CHECK(f.fit.params[5] == 0.0);
    CHECK(f.fit.log_likelihood == doctest::Approx(-5848.0978269624165).epsilon(1e-10));
    const std::vector<double> alive = p_alive(customer_params(f.model, d), a.x, a.tx, a.T);
    const std::vector<double> plain_alive =
        p_alive(pareto_nbd_params_from(plain), std::span<const double>(a.x),
                std::span<const double>(a.tx), std::span<const double>(a.T));
    for (std::size_t i = 0; i < alive.size(); ++i)
        CHECK(alive[i] == doctest::Approx(plain_alive[i]).epsilon(1e-6));
}

TEST_CASE("covariates: Pareto/NBD fit reaches CLVTools' optimum") {
    const apparel a = read_predictions("pnbd_cov");
    const covariate_design d = design_covariates(table_of(a), a.keys, both);
    const covariate_fit f = fit_with_covariates(purchase_model_kind::pareto_nbd, a.x, a.tx, a.T, d);
    CHECK(f.fit.report.converged);
    const auto ref = read_params("pnbd_cov");
    const auto tight = read_options("pnbd_cov_tight");
    const std::vector<std::string> names{
        "r", "alpha", "s", "beta", "life.Gender", "life.Channel", "trans.Gender", "trans.Channel"};
    REQUIRE(f.fit.names == names);
    for (std::size_t j = 0; j < names.size(); ++j) {
        CAPTURE(names[j]);
        // CLVTools run to its optimum (factr 10, pgtol 0): 1e-4 relative (seen: r 1.838966 vs
        // 1.838963, life.Gender -0.641868 vs -0.641869, all within 2e-6 relative).
        CHECK(rel(f.fit.params[j], tight.at(names[j])) < 1e-4);
        // Its default stop (factr 1e7) is ~1e-3 relative short of it, 0.003 standard errors.
        CHECK(std::abs(f.fit.params[j] - ref.at(names[j]).first) < 0.01 * ref.at(names[j]).second);
        // Standard errors: CLVTools' at its default stop, from optimx' numerical Hessian.
        CHECK(rel(f.fit.std_errors[j], ref.at(names[j]).second) < 1e-2);
    }
    // No lower than either of CLVTools' log-likelihoods (-5821.0627090933922 default,
    // -5821.0626858690048 tight).
    CHECK(f.fit.log_likelihood >= fixture_log_likelihood("pnbd_cov"));
    CHECK(f.fit.log_likelihood >= tight.at("logLik") - 1e-9);
    CHECK(f.fit.log_likelihood == doctest::Approx(tight.at("logLik")).epsilon(1e-11));
    // The fit sums over the distinct (x, t_x, T, Gender, Channel) rows weighted by their
    // customers; the same parameters summed customer by customer give the same value.
    const loglik_gradient direct =
        covariate_log_likelihood(purchase_model_kind::pareto_nbd, f.fit.params, a.x, a.tx, a.T, d);
    CHECK(f.fit.log_likelihood == doctest::Approx(direct.value).epsilon(1e-12));
    CHECK(f.model.coefficients.life == std::vector<double>{f.fit.params[4], f.fit.params[5]});
    CHECK(f.trans_std_errors == std::vector<double>{f.fit.std_errors[6], f.fit.std_errors[7]});
}

TEST_CASE("covariates: BG/NBD fit is no worse than CLVTools' (ridge, no interior optimum)") {
    const apparel a = read_predictions("bgnbd_cov");
    const covariate_design d = design_covariates(table_of(a), a.keys, both);
    const covariate_fit f = fit_with_covariates(purchase_model_kind::bg_nbd, a.x, a.tx, a.T, d);
    // Seen: LL -5839.8621 with a = 1.8e6, b = 1.3e7 (further along the ridge than CLVTools).
    // The README: the likelihood rises along a ridge with a, b -> infinity; CLVTools stops at
    // -5839.8634846690502, other optimisers at -5839.86214.
    CHECK(f.fit.log_likelihood >= fixture_log_likelihood("bgnbd_cov") - 1e-3);
}

TEST_CASE("covariates: constrained and penalised fits equal CLVTools'") {
    const apparel a = read_predictions("pnbd_cov");
    SUBCASE("Gender constrained to one coefficient (names.cov.constr)") {
        covariate_spec spec{{"Channel"}, {"Channel"}, {"Gender"}, 0.0, 0.0};
        const covariate_design d = design_covariates(table_of(a), a.keys, spec);
        const covariate_fit f =
            fit_with_covariates(purchase_model_kind::pareto_nbd, a.x, a.tx, a.T, d);
        const auto ref = read_options("pnbd_constr_tight");
        for (std::size_t j = 0; j < f.fit.names.size(); ++j) {
            CAPTURE(f.fit.names[j]);
            CHECK(rel(f.fit.params[j], ref.at(f.fit.names[j])) < 1e-4);
        }
        CHECK(f.fit.log_likelihood >= ref.at("logLik") - 1e-9);
        CHECK(f.fit.log_likelihood == doctest::Approx(ref.at("logLik")).epsilon(1e-9));
        CHECK(f.model.coefficients.constrained == std::vector<std::string>{"Gender"});
        // Both processes report the one coefficient.
        CHECK(f.model.coefficients.life[1] == f.model.coefficients.trans[1]);
        CHECK(f.life_std_errors[1] == f.trans_std_errors[1]);
    }
    SUBCASE("L2 penalty (reg.lambdas trans 0.05, life 0.1)") {
        covariate_spec spec = both;
        spec.trans_penalizer = 0.05;
        spec.life_penalizer = 0.1;
        const covariate_design d = design_covariates(table_of(a), a.keys, spec);
        const covariate_fit f =
            fit_with_covariates(purchase_model_kind::pareto_nbd, a.x, a.tx, a.T, d);
        const auto ref = read_options("pnbd_reg_tight");
        for (std::size_t j = 0; j < f.fit.names.size(); ++j) {
            CAPTURE(f.fit.names[j]);
            CHECK(rel(f.fit.params[j], ref.at(f.fit.names[j])) < 1e-4);
        }
    }
}

TEST_CASE("covariates: categorical columns are dummy-coded with the reference level named") {
    const apparel a = read_predictions("pnbd_cov");
    std::vector<std::string> labels;
    for (const double c : a.channel)
        labels.push_back(c == 1.0 ? "online" : "offline");
    const covariate_table t{a.keys, {{"Gender", a.gender, {}}, {"Channel", {}, labels}}};
    const covariate_design d = design_covariates(t, a.keys, both);
    CHECK(d.life_names == std::vector<std::string>{"Gender", "Channel=online"});
    REQUIRE(d.reference_levels.size() == 1);
    CHECK(d.reference_levels[0] == std::pair<std::string, std::string>{"Channel", "offline"});
    // The dummy equals the 0/1 column, so the log-likelihood is the fixture's.
    const auto ref = read_params("pnbd_cov");
    const std::vector<double> p{ref.at("r").first,
                                ref.at("alpha").first,
                                ref.at("s").first,
                                ref.at("beta").first,
                                ref.at("life.Gender").first,
                                ref.at("life.Channel").first,
                                ref.at("trans.Gender").first,
                                ref.at("trans.Channel").first};
    CHECK(covariate_log_likelihood(purchase_model_kind::pareto_nbd, p, a.x, a.tx, a.T, d).value ==
          doctest::Approx(-5821.0627090933922).epsilon(1e-10));
    // A label the model has not seen names the customer, the column and the label.
    covariate_model m;
    m.base = pareto_nbd_params{1, 1, 1, 1};
    m.coefficients.life_names = d.life_names;
    m.coefficients.life = {0.1, 0.2};
    m.coefficients.reference_levels = d.reference_levels;
    covariate_table bad = t;
    bad.columns[1].labels[3] = "phone";
    try {
        (void)design_for(m, bad, a.keys);
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.key() == a.keys[3]);
        CHECK(e.column() == "Channel");
        CHECK(e.value() == "phone");
    }
}

TEST_CASE("covariates: input errors name the customer and the column") {
    const std::vector<std::string> header{"customer_id", "Gender", "Channel"};
    const std::vector<std::vector<std::string>> rows{{"a", "1", "web"}, {"b", "0", "shop"}};
    const covariate_table t = covariate_table_from_text(header, rows);
    CHECK(t.keys == std::vector<std::string>{"a", "b"});
    CHECK(t.columns[0].values == std::vector<double>{1, 0});
    CHECK(t.columns[1].labels == std::vector<std::string>{"web", "shop"});
    const std::vector<std::string> keys{"a", "c"};
    try {
        (void)design_covariates(t, keys, {{"Gender"}, {}, {}, 0, 0});
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(e.key() == "c");
        CHECK(e.argument() == "covariates");
        CHECK(e.row() == 1);
    }
    const std::vector<std::string> ab{"a", "b"};
    CHECK_THROWS_AS(design_covariates(t, ab, {{"Age"}, {}, {}, 0, 0}), invalid_argument);
    CHECK_THROWS_AS(design_covariates(t, ab, {{"Gender", "Gender"}, {}, {}, 0, 0}),
                    invalid_argument);
    CHECK_THROWS_AS(design_covariates(t, ab, {{"Gender"}, {}, {}, -1, 0}), invalid_argument);
    const covariate_table dup{{"a", "a"}, {{"Gender", {1, 0}, {}}}};
    CHECK_THROWS_AS(design_covariates(dup, ab, {{"Gender"}, {}, {}, 0, 0}), data_error);
}

TEST_CASE("covariates: a request names its covariates and its table, or neither") {
    const covariate_spec named{{"Gender"}, {"Channel"}, {}, 0, 0};
    try {
        check_covariate_request(named, false);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "covariates");
        CHECK(e.value() == "Gender,Channel"); // the names given
    }
    try {
        check_covariate_request(covariate_spec{}, true);
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "life");
        CHECK(std::string(e.what()).starts_with("life: no covariate named for either process"));
    }
    check_covariate_request(named, true);             // both: fine
    check_covariate_request(covariate_spec{}, false); // neither: a fit without covariates
    // design_covariates refuses a spec without names the same way.
    const covariate_table t{{"a"}, {{"Gender", {1}, {}}}};
    const std::vector<std::string> a{"a"};
    CHECK_THROWS_WITH_AS(design_covariates(t, a, covariate_spec{}),
                         doctest::Contains("no covariate named"), invalid_argument);
}

TEST_CASE("covariates: GGompertz/NBD log-likelihood and predictions equal CLVTools'") {
    const apparel a = read_predictions("ggomnbd_cov");
    const covariate_design d = design_covariates(table_of(a), a.keys, both);
    const auto ref = read_params("ggomnbd_cov");
    const purchase_model_kind kind = purchase_model_kind::ggom_nbd;
    const std::vector<double> p = params_in(parameter_names(kind), d, ref);
    REQUIRE(p.size() == 9);
    // fits.csv: -5821.0628327140184 (CLVTools' integral by GSL QAGS at 1e-8).
    const loglik_gradient l = covariate_log_likelihood(kind, p, a.x, a.tx, a.T, d);
    CHECK(rel(l.value, fixture_log_likelihood("ggomnbd_cov")) < 1e-12);
    covariate_model m;
    m.base = purchase_params_from(kind, std::span<const double>(p).first(5));
    m.coefficients.life_names = {"Gender", "Channel"};
    m.coefficients.trans_names = {"Gender", "Channel"};
    m.coefficients.life = {ref.at("life.Gender").first, ref.at("life.Channel").first};
    m.coefficients.trans = {ref.at("trans.Gender").first, ref.at("trans.Channel").first};
    const std::vector<purchase_params> per = customer_params(m, d);
    // beta_i = beta exp(-g_life' z_i), alpha_i = alpha exp(-g_trans' z_i), r, b, s common.
    const auto& q = std::get<ggom_nbd_params>(per[1]); // Id 10: Gender 1, Channel 0
    CHECK(q.beta == doctest::Approx(p[4] * std::exp(-p[5])).epsilon(1e-15));
    CHECK(q.alpha == doctest::Approx(p[1] * std::exp(-p[7])).epsilon(1e-15));
    CHECK(q.b == p[2]);
    const std::vector<double> alive = p_alive(per, a.x, a.tx, a.T);
    const std::vector<double> cet = conditional_expected_purchases(per, a.horizon, a.x, a.tx, a.T);
    double worst_alive = 0.0;
    double worst_cet = 0.0;
    for (std::size_t i = 0; i < a.x.size(); ++i) {
        const double ea = std::abs(alive[i] - a.p_alive[i]);
        const double ec = rel(cet[i], a.cet[i]);
        worst_alive = std::isnan(ea) ? INFINITY : std::max(worst_alive, ea);
        worst_cet = std::isnan(ec) ? INFINITY : std::max(worst_cet, ec);
    }
    CHECK(worst_alive < 1e-12);
    // CLVTools' CET carries the error of its GSL-integrated 2F1 terms (seen: 1.8e-7 relative
    // here; test_retention_ggom_nbd.cpp checks custometrics' CET against 40-digit mpmath).
    CHECK(worst_cet < 1e-6);
}

TEST_CASE("covariates: GGompertz/NBD gradient and fit reach CLVTools' optimum") {
    const apparel a = read_predictions("ggomnbd_cov");
    const covariate_design d = design_covariates(table_of(a), a.keys, both);
    const purchase_model_kind kind = purchase_model_kind::ggom_nbd;
    const std::vector<double> p0{1.3, 40.0, 0.05, 0.8, 3.5, 0.4, -0.3, 0.25, 0.1};
    const loglik_gradient l = covariate_log_likelihood(kind, p0, a.x, a.tx, a.T, d);
    for (std::size_t j = 0; j < p0.size(); ++j) {
        CAPTURE(j);
        const double h = 1e-5 * std::max(1e-2, std::abs(p0[j]));
        std::vector<double> up = p0;
        std::vector<double> down = p0;
        up[j] += h;
        down[j] -= h;
        const double fd = (covariate_log_likelihood(kind, up, a.x, a.tx, a.T, d).value -
                           covariate_log_likelihood(kind, down, a.x, a.tx, a.T, d).value) /
                          (2 * h);
        CHECK(l.gradient[j] == doctest::Approx(fd).epsilon(1e-6).scale(1.0));
    }
    const covariate_fit f = fit_with_covariates(kind, a.x, a.tx, a.T, d);
    const std::vector<std::string> names{"r",
                                         "alpha",
                                         "b",
                                         "s",
                                         "beta",
                                         "life.Gender",
                                         "life.Channel",
                                         "trans.Gender",
                                         "trans.Channel"};
    REQUIRE(f.fit.names == names);
    MESSAGE("apparel GGom/NBD with covariates: log-likelihood "
            << std::setprecision(12) << f.fit.log_likelihood << " (CLVTools "
            << fixture_log_likelihood("ggomnbd_cov") << "); " << f.fit.report.reason);
    // The model goes to its Pareto/NBD limit (b, beta -> 0; tests/reference/clvtools/README.md):
    // the log-likelihood is no lower than CLVTools' (-5821.0628327140184) and the identified
    // parameters (r, alpha, s and the four coefficients) agree within a small fraction of
    // CLVTools' standard errors; b and beta are not identified and are not compared.
    CHECK(f.fit.log_likelihood >= fixture_log_likelihood("ggomnbd_cov"));
    const auto ref = read_params("ggomnbd_cov");
    for (const std::size_t j : {0, 1, 3, 5, 6, 7, 8}) {
        CAPTURE(names[j]);
        CHECK(std::abs(f.fit.params[j] - ref.at(names[j]).first) < 0.1 * ref.at(names[j]).second);
    }
    CHECK(f.model.coefficients.trans == std::vector<double>{f.fit.params[7], f.fit.params[8]});
    CHECK(f.base_std_errors.size() == 5);
}
