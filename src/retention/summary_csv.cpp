// Using a per-customer summary CSV read back (see custometrics/retention/summary_csv.hpp): fits,
// selection, intervals and scores; the reader is summary_table.cpp.
#include "custometrics/retention/summary_csv.hpp"

#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/retention.hpp"

#include <cmath>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE

fitted_model fit_summary(const summary_table& s, std::string_view model, const fit_options& options,
                         std::string_view argument) {
    if (is_spend_model_name(model)) {
        if (s.m.empty()) throw invalid_argument(argument, s.path + " has no monetary_value column");
        const spend_sample sample = s.naming_lines([&] { return select_spend_sample(s.x, s.m); });
        return fitted_spend_model(s.naming_lines([&] { return fit_gamma_gamma(sample, options); }),
                                  sample);
    }
    if (is_bg_bb_model_name(model)) {
        const bg_bb_patterns rows =
            s.naming_lines([&] { return compress_bg_bb(s.x, s.tx, s.T, s.weights); });
        return fitted_bg_bb_model(fit_bg_bb(rows, options), rows.size());
    }
    purchase_model_kind kind{};
    try {
        kind = parse_purchase_model(model, argument);
    } catch (const invalid_argument&) {
        throw invalid_argument(
            argument,
            "unknown model \"" + std::string(model) +
                "\" (expected bgnbd, mbgnbd, pnbd, ggomnbd, gamma-gamma, bgbb or auto)",
            std::string(model));
    }
    const compressed_summary rows =
        s.naming_lines([&] { return compress_summary(s.x, s.tx, s.T); });
    return fitted_purchase_model(kind, fit_purchase_model(kind, rows, options), rows.size(),
                                 s.units);
}

model_selection select_summary(const summary_table& s, const selection_options& options,
                               std::optional<double> duration, std::string_view criterion_argument,
                               std::string_view duration_argument) {
    const bool holdout_wanted = !options.criterion || needs_holdout(*options.criterion);
    const std::optional<double> d = duration ? duration : s.duration_holdout;
    if (s.holdout.empty() && holdout_wanted && options.criterion)
        throw invalid_argument(criterion_argument,
                               std::string(to_string(*options.criterion)) +
                                   " scores a holdout period, but " + s.path +
                                   " has no frequency_holdout column (summarize with a "
                                   "calibration end), or choose bic",
                               std::string(to_string(*options.criterion)));
    if (!s.holdout.empty() && !d && holdout_wanted)
        throw invalid_argument(duration_argument,
                               "the holdout's length is needed: " + s.path +
                                   " has frequency_holdout but no duration_holdout column");
    // With a holdout (and its length) its errors are reported whatever the criterion.
    if (s.holdout.empty() || !d)
        return s.naming_lines([&] { return select_purchase_model(s.x, s.tx, s.T, options); });
    return s.naming_lines(
        [&] { return select_purchase_model(s.x, s.tx, s.T, s.holdout, *d, options); });
}

fitted_model chosen_model(const summary_table& s, const model_selection& m) {
    if (!m.chosen) {
        std::string why;
        for (const model_score& r : m.models)
            why += std::string(why.empty() ? "" : "; ") + std::string(to_string(r.model)) + ": " +
                   r.reason;
        throw error("no candidate model is usable (" + why + ")");
    }
    const model_score& best = m.models[*m.chosen];
    const compressed_summary rows = compress_summary(s.x, s.tx, s.T);
    return fitted_purchase_model(best.model, best.fit, rows.size(), s.units);
}

prediction_intervals summary_intervals(const summary_table& s, const fitted_model& purchase,
                                       double horizon, const interval_options& options,
                                       std::string_view params_argument,
                                       std::string_view params_source,
                                       const covariate_table* covariates,
                                       std::string_view covariates_argument) {
    (void)purchase_kind_of(purchase, params_argument);
    check_same_units(purchase, s.units, params_argument);
    check_covariates_given(purchase, covariates, params_argument, covariates_argument);
    if (covariates != nullptr)
        return s.naming_lines([&] {
            return conditional_expected_purchases_intervals(purchase, *covariates, s.keys, horizon,
                                                            s.x, s.tx, s.T, options,
                                                            params_argument, params_source);
        });
    return s.naming_lines([&] {
        return conditional_expected_purchases_intervals(purchase, horizon, s.x, s.tx, s.T, options,
                                                        params_argument, params_source);
    });
}

score_intervals summary_intervals(const summary_table& s, const fitted_model& purchase,
                                  const std::optional<fitted_model>& spend,
                                  const score_options& score, const interval_options& options,
                                  std::string_view params_argument, std::string_view params_source,
                                  std::string_view spend_argument, std::string_view spend_source,
                                  const covariate_table* covariates,
                                  std::string_view covariates_argument) {
    score_intervals out{summary_intervals(s, purchase, score.horizon, options, params_argument,
                                          params_source, covariates, covariates_argument),
                        std::nullopt};
    if (!spend) return out;
    if (s.m.empty())
        throw invalid_argument(spend_argument, s.path + " has no monetary_value column");
    out.clv = s.naming_lines([&] {
        if (covariates != nullptr)
            return customer_lifetime_value_intervals(
                purchase, *spend, *covariates, s.keys, s.x, s.tx, s.T, s.m,
                clv_options_of(score, s.units), options, params_argument, spend_argument,
                params_source, spend_source);
        return customer_lifetime_value_intervals(
            purchase, *spend, s.x, s.tx, s.T, s.m, clv_options_of(score, s.units), options,
            params_argument, spend_argument, params_source, spend_source);
    });
    return out;
}

customer_scores score_summary(const summary_table& s, const fitted_model& purchase,
                              const std::optional<fitted_model>& spend, score_options options,
                              std::string_view params_argument, std::string_view spend_argument,
                              const covariate_table* covariates,
                              std::string_view covariates_argument) {
    try {
        check_score_models(purchase, spend, options);
    } catch (const invalid_argument& e) {
        if (e.argument() == "model") throw renamed(e, params_argument);
        if (e.argument() == "spend") throw renamed(e, spend_argument);
        throw;
    }
    if (spend && s.m.empty())
        throw invalid_argument(spend_argument, s.path + " has no monetary_value column");
    check_same_units(purchase, s.units, params_argument);
    options.analysis_date = s.end;
    return s.naming_lines([&] {
        const std::vector<purchase_params> per = covariate_customer_params(
            purchase, covariates, s.keys, params_argument, covariates_argument);
        return score_customers(purchase, spend, s.columns(), s.units, options, per);
    });
}

fitted_model fit_summary_with_covariates(const summary_table& s, std::string_view model,
                                         const covariate_table& covariates,
                                         const covariate_spec& spec, const fit_options& options,
                                         std::string_view argument) {
    purchase_model_kind kind{};
    try {
        kind = parse_purchase_model(model, argument);
    } catch (const invalid_argument&) {
        throw invalid_argument(
            argument,
            "covariates go with a purchase model (bgnbd, mbgnbd or pnbd), not \"" +
                std::string(model) + "\"",
            std::string(model));
    }
    if (!s.weights.empty())
        throw invalid_argument(argument, s.path + " has a weights column: a fit with covariates "
                                                  "takes one row per customer");
    return s.naming_lines([&] {
        const covariate_design d = design_covariates(covariates, s.keys, spec);
        return fitted_covariate_model(fit_with_covariates(kind, s.x, s.tx, s.T, d, options),
                                      s.units);
    });
}

CUSTOMETRICS_END_NAMESPACE
