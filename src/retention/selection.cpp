// Model choice among the purchase models (see custometrics/retention/selection.hpp).
#include "custometrics/retention/selection.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <limits>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void check_models(const selection_options& options) {
    if (options.models.empty()) throw invalid_argument("models", "no candidate model given");
    for (std::size_t i = 0; i < options.models.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (options.models[i] == options.models[j])
                throw invalid_argument("models",
                                       "model " + std::string(to_string(options.models[i])) +
                                           " is listed twice",
                                       std::string(to_string(options.models[i])));
    if (!options.fit.initial.empty())
        throw invalid_argument("fit.initial",
                               "must be empty: the candidates have different parameters");
}

/// Fits one candidate on the compressed rows and fills the likelihood columns; the holdout
/// columns are left to the caller. Never throws for a failed fit: it records the reason.
model_score fit_candidate(purchase_model_kind kind, const compressed_summary& rows,
                          const selection_options& options) {
    model_score s;
    s.model = kind;
    s.parameters = parameter_names(kind).size();
    s.log_likelihood = s.aic = s.bic = s.score = s.aggregate_error = nan;
    try {
        s.fit = fit_purchase_model(kind, rows, options.fit);
    } catch (const std::exception& e) {
        s.reason = std::string("fit failed: ") + e.what();
        return s;
    }
    const auto k = static_cast<double>(s.parameters);
    s.log_likelihood = s.fit.log_likelihood;
    s.aic = 2 * k - 2 * s.log_likelihood;
    s.bic = k * std::log(rows.total_weight) - 2 * s.log_likelihood;
    if (!s.fit.report.converged)
        s.reason = "fit did not converge: " + s.fit.report.reason;
    else if (!std::isfinite(s.log_likelihood))
        s.reason = "fit ended at a log-likelihood that is not finite";
    else
        s.usable = true;
    return s;
}

model_selection select(std::span<const double> frequency, std::span<const double> recency,
                       std::span<const double> T, std::span<const double> holdout_frequency,
                       std::optional<double> duration, const selection_options& options) {
    check_models(options);
    const bool holdout = duration.has_value();
    const selection_criterion criterion =
        options.criterion.value_or(holdout ? selection_criterion::mae : selection_criterion::bic);
    if (!holdout && needs_holdout(criterion))
        throw invalid_argument("criterion",
                               "'" + std::string(to_string(criterion)) +
                                   "' needs a holdout period; without one use 'bic'",
                               std::string(to_string(criterion)));
    if (holdout && !(std::isfinite(*duration) && *duration > 0))
        throw invalid_argument("duration",
                               "the holdout length must be a finite number > 0, got " +
                                   detail::format_number(*duration),
                               detail::format_number(*duration));
    // Validates the calibration rows (lengths, no customers, bad rows) once for every model.
    const compressed_summary rows = compress_summary(frequency, recency, T);
    if (holdout) {
        // The holdout column's checks before any fit, so bad input fails fast.
        if (holdout_frequency.size() != frequency.size())
            throw invalid_argument("holdout_frequency",
                                   "has " + std::to_string(holdout_frequency.size()) +
                                       " values for " + std::to_string(frequency.size()) +
                                       " customers");
        for (std::size_t i = 0; i < holdout_frequency.size(); ++i)
            if (!(std::isfinite(holdout_frequency[i]) && holdout_frequency[i] >= 0)) {
                const std::string v = detail::format_number(holdout_frequency[i]);
                throw data_error("holdout_frequency: customer " + std::to_string(i) + ": value " +
                                     v + " is not a finite number >= 0",
                                 {"holdout_frequency", i, {}, {}, v});
            }
    }

    model_selection out;
    out.criterion = criterion;
    out.has_holdout = holdout;
    out.duration = holdout ? *duration : 0.0;
    out.customers = frequency.size();
    std::vector<double> scores;
    for (const purchase_model_kind kind : options.models) {
        model_score s = fit_candidate(kind, rows, options);
        if (s.usable && holdout) {
            try {
                s.holdout =
                    holdout_check(purchase_params_from(kind, s.fit.params), frequency, recency, T,
                                  holdout_frequency, *duration, options.max_frequency);
                s.aggregate_error = s.holdout.total_actual > 0
                                        ? (s.holdout.total_predicted - s.holdout.total_actual) /
                                              s.holdout.total_actual
                                        : nan;
            } catch (const std::exception& e) { // the input was checked: the model failed
                s.usable = false;
                s.reason = std::string("holdout prediction failed: ") + e.what();
            }
        }
        if (s.usable) {
            switch (criterion) {
            case selection_criterion::mae:
                s.score = s.holdout.mae;
                break;
            case selection_criterion::rmse:
                s.score = s.holdout.rmse;
                break;
            case selection_criterion::aggregate:
                s.score = std::abs(s.holdout.total_predicted - s.holdout.total_actual);
                break;
            case selection_criterion::bic:
                s.score = s.bic;
                break;
            }
            if (!std::isfinite(s.score)) {
                s.usable = false;
                s.reason = "the criterion is not finite for this model";
                s.score = nan;
            }
        }
        scores.push_back(s.usable ? s.score : nan);
        out.models.push_back(std::move(s));
    }
    out.chosen = detail::choose_smallest(scores);
    return out;
}

} // namespace

selection_criterion parse_selection_criterion(std::string_view text, std::string_view argument) {
    const std::string s = lower(text);
    if (s == "mae") return selection_criterion::mae;
    if (s == "rmse") return selection_criterion::rmse;
    if (s == "aggregate") return selection_criterion::aggregate;
    if (s == "bic") return selection_criterion::bic;
    throw invalid_argument(argument,
                           "unknown criterion '" + std::string(text) +
                               "' (accepted: mae, rmse, aggregate, bic)",
                           std::string(text));
}

std::string_view to_string(selection_criterion criterion) noexcept {
    switch (criterion) {
    case selection_criterion::mae:
        return "mae";
    case selection_criterion::rmse:
        return "rmse";
    case selection_criterion::aggregate:
        return "aggregate";
    case selection_criterion::bic:
        return "bic";
    }
    return "mae";
}

bool needs_holdout(selection_criterion criterion) noexcept {
    return criterion != selection_criterion::bic;
}

model_selection select_purchase_model(std::span<const double> frequency,
                                      std::span<const double> recency, std::span<const double> T,
                                      std::span<const double> holdout_frequency, double duration,
                                      const selection_options& options) {
    return select(frequency, recency, T, holdout_frequency, duration, options);
}

model_selection select_purchase_model(std::span<const double> frequency,
                                      std::span<const double> recency, std::span<const double> T,
                                      const selection_options& options) {
    return select(frequency, recency, T, {}, std::nullopt, options);
}

model_selection select_purchase_model(const customer_summary& summary,
                                      const selection_options& options) {
    if (summary.has_holdout())
        return select(summary.frequency, summary.recency, summary.T, summary.frequency_holdout,
                      summary.duration_holdout, options);
    return select(summary.frequency, summary.recency, summary.T, {}, std::nullopt, options);
}

namespace detail {

std::optional<std::size_t> choose_smallest(std::span<const double> scores) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < scores.size(); ++i)
        if (std::isfinite(scores[i]) && (!best || scores[i] < scores[*best])) best = i;
    if (!best) return best;
    // The first model whose score ties the smallest (within 1e-12 relative) wins.
    const double m = scores[*best];
    for (std::size_t i = 0; i < *best; ++i)
        if (std::isfinite(scores[i]) && scores[i] - m <= 1e-12 * std::abs(m)) return i;
    return best;
}

} // namespace detail

CUSTOMETRICS_END_NAMESPACE
