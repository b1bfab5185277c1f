// The purchase models chosen at run time (see purchase_model.hpp).
#include "custometrics/retention/purchase_model.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/retention/clv.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

CUSTOMETRICS_BEGIN_NAMESPACE

std::string detail::model_name_key(std::string_view name) {
    std::string k;
    for (const char c : name)
        if (c != '/' && c != '_' && c != '-' && c != ' ')
            k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (k.size() > 6 && k.ends_with("fitter")) k.resize(k.size() - 6);
    return k;
}

purchase_model_kind parse_purchase_model(std::string_view name, std::string_view argument) {
    const std::string k = detail::model_name_key(name);
    if (k == "bgnbd" || k == "betageo") return purchase_model_kind::bg_nbd;
    if (k == "mbgnbd" || k == "modifiedbetageo") return purchase_model_kind::mbg_nbd;
    if (k == "pnbd" || k == "paretonbd") return purchase_model_kind::pareto_nbd;
    if (k == "ggomnbd" || k == "ggom" || k == "ggompertznbd") return purchase_model_kind::ggom_nbd;
    throw invalid_argument(argument, "unknown purchase model \"" + std::string(name) +
                                         "\" (expected bgnbd, mbgnbd, pnbd or ggomnbd)");
}

std::string_view to_string(purchase_model_kind kind) noexcept {
    switch (kind) {
    case purchase_model_kind::bg_nbd:
        return "bgnbd";
    case purchase_model_kind::mbg_nbd:
        return "mbgnbd";
    case purchase_model_kind::pareto_nbd:
        return "pnbd";
    case purchase_model_kind::ggom_nbd:
        return "ggomnbd";
    }
    return "?";
}

std::string_view display_name(purchase_model_kind kind) noexcept {
    switch (kind) {
    case purchase_model_kind::bg_nbd:
        return "BG/NBD";
    case purchase_model_kind::mbg_nbd:
        return "MBG/NBD";
    case purchase_model_kind::pareto_nbd:
        return "Pareto/NBD";
    case purchase_model_kind::ggom_nbd:
        return "GGompertz/NBD";
    }
    return "?";
}

std::vector<std::string> parameter_names(purchase_model_kind kind) {
    if (kind == purchase_model_kind::pareto_nbd) return {"r", "alpha", "s", "beta"};
    if (kind == purchase_model_kind::ggom_nbd) return {"r", "alpha", "b", "s", "beta"};
    return {"r", "alpha", "a", "b"};
}

purchase_model_kind kind_of(const purchase_params& params) noexcept {
    return static_cast<purchase_model_kind>(params.index());
}

purchase_params purchase_params_from(purchase_model_kind kind, std::span<const double> values) {
    const std::vector<std::string> names = parameter_names(kind);
    if (values.size() != names.size())
        throw invalid_argument("params", std::string(display_name(kind)) + " has " +
                                             std::to_string(names.size()) + " parameters, got " +
                                             std::to_string(values.size()));
    for (std::size_t j = 0; j < names.size(); ++j)
        if (!(std::isfinite(values[j]) && values[j] > 0.0))
            throw invalid_argument("params", names[j] + " must be positive and finite, got " +
                                                 detail::format_number(values[j]));
    switch (kind) {
    case purchase_model_kind::bg_nbd:
        return bg_nbd_params{values[0], values[1], values[2], values[3]};
    case purchase_model_kind::mbg_nbd:
        return mbg_nbd_params{values[0], values[1], values[2], values[3]};
    case purchase_model_kind::ggom_nbd:
        return ggom_nbd_params{values[0], values[1], values[2], values[3], values[4]};
    case purchase_model_kind::pareto_nbd:
        break;
    }
    return pareto_nbd_params{values[0], values[1], values[2], values[3]};
}

std::vector<double> parameter_values(const purchase_params& params) {
    return std::visit(
        [](const auto& p) -> std::vector<double> {
            using P = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<P, pareto_nbd_params>)
                return {p.r, p.alpha, p.s, p.beta};
            else if constexpr (std::is_same_v<P, ggom_nbd_params>)
                return {p.r, p.alpha, p.b, p.s, p.beta};
            else
                return {p.r, p.alpha, p.a, p.b};
        },
        params);
}

fit_result fit_purchase_model(purchase_model_kind kind, const compressed_summary& rows,
                              const fit_options& options) {
    switch (kind) {
    case purchase_model_kind::bg_nbd:
        return fit_bg_nbd(rows, options);
    case purchase_model_kind::mbg_nbd:
        return fit_mbg_nbd(rows, options);
    case purchase_model_kind::ggom_nbd:
        return fit_ggom_nbd(rows, options);
    case purchase_model_kind::pareto_nbd:
        break;
    }
    return fit_pareto_nbd(rows, options);
}

double log_likelihood(const purchase_params& params, double x, double tx, double T) {
    return std::visit([&](const auto& p) { return log_likelihood(p, x, tx, T); }, params);
}

double p_alive(const purchase_params& params, double x, double tx, double T) {
    return std::visit([&](const auto& p) { return p_alive(p, x, tx, T); }, params);
}

double expected_purchases(const purchase_params& params, double t) {
    return std::visit([&](const auto& p) { return expected_purchases(p, t); }, params);
}

double conditional_expected_purchases(const purchase_params& params, double t, double x, double tx,
                                      double T) {
    return std::visit([&](const auto& p) { return conditional_expected_purchases(p, t, x, tx, T); },
                      params);
}

double probability_of_purchases(const purchase_params& params, double t, int n) {
    return std::visit([&](const auto& p) { return probability_of_purchases(p, t, n); }, params);
}

std::vector<double> p_alive(const purchase_params& params, std::span<const double> x,
                            std::span<const double> tx, std::span<const double> T) {
    return std::visit([&](const auto& p) { return p_alive(p, x, tx, T); }, params);
}

std::vector<double> conditional_expected_purchases(const purchase_params& params, double t,
                                                   std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T) {
    return std::visit([&](const auto& p) { return conditional_expected_purchases(p, t, x, tx, T); },
                      params);
}

std::vector<double> expected_purchases(const purchase_params& params, std::span<const double> t) {
    std::vector<double> out(t.size());
    for (std::size_t i = 0; i < t.size(); ++i)
        out[i] = expected_purchases(params, t[i]);
    return out;
}

std::vector<double> probability_of_purchases(const purchase_params& params, double t,
                                             std::span<const std::int64_t> n) {
    std::vector<double> out(n.size());
    for (std::size_t i = 0; i < n.size(); ++i) {
        if (n[i] < 0) throw invalid_argument("n", "must be >= 0, got " + std::to_string(n[i]));
        out[i] = probability_of_purchases(params, t, static_cast<int>(n[i]));
    }
    return out;
}

std::vector<double> log_likelihood(const purchase_params& params, std::span<const double> x,
                                   std::span<const double> tx, std::span<const double> T) {
    std::vector<double> out(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        out[i] = log_likelihood(params, x[i], tx[i], T[i]);
    return out;
}

std::vector<double> next_purchase_time(const purchase_params& params, std::span<const double> x,
                                       std::span<const double> tx, std::span<const double> T,
                                       double probability) {
    std::vector<double> out(x.size());
    std::visit(
        [&](const auto& p) {
            for (std::size_t i = 0; i < x.size(); ++i)
                out[i] = next_purchase_time(p, x[i], tx[i], T[i], probability);
        },
        params);
    return out;
}

rate_posterior purchase_rate_posterior(const purchase_params& params, double x, double T) {
    return std::visit([&](const auto& p) { return rate_posterior{p.r + x, p.alpha + T}; }, params);
}

CUSTOMETRICS_END_NAMESPACE
