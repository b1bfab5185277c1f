// A fitted retention model as a value, and its JSON form (see fitted_model.hpp).
#include "custometrics/retention/fitted_model.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/error.hpp"

#include <cctype>
#include <cmath>
#include <limits>
#include <ostream>
#include <sstream>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace {

/// The name a parameter has in the JSON form: Gamma-Gamma's v is written "gamma".
std::string json_name(const fitted_model& m, const std::string& name) {
    return m.is_spend_model() && name == "v" ? "gamma" : name;
}

fitted_model with_statistics(fitted_model m, const fit_result& fit, std::size_t unique_rows) {
    m.names = fit.names;
    m.params = fit.params;
    m.fit = fit_statistics_of(fit, unique_rows);
    m.version = CUSTOMETRICS_VERSION_STRING;
    return m;
}

/// A member that may be a number or null (NaN).
double number_or_nan(const json_value& v) {
    return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.as_number();
}

/// The parameters the covariance covers: the model's, and a covariate model's coefficients
/// (each constrained one once, `lay_out_coefficients`).
std::size_t parameter_count(const fitted_model& m) {
    if (!m.covariates) return m.params.size();
    const covariate_coefficients& c = *m.covariates;
    return m.params.size() + c.life_names.size() + c.trans_names.size() - c.constrained.size();
}

/// A penalty member `name` of `v`: 0 when absent, else a finite number >= 0 (`parse_error`).
double read_penalizer(const json_value& v, const char* name) {
    const json_value* x = v.find(name);
    if (x == nullptr) return 0.0;
    const double value = x->as_number();
    if (!(std::isfinite(value) && value >= 0))
        throw parse_error(x->source(), x->line(), name, detail::format_number(value),
                          "must be a finite number >= 0");
    return value;
}

/// The `covariance` member: k arrays of k numbers (or null); `parse_error` at the member when
/// it has another shape.
Eigen::MatrixXd read_covariance(const json_value& c, std::size_t k) {
    const auto K = static_cast<Eigen::Index>(k);
    const auto bad = [&](const std::string& why) {
        return parse_error(c.source(), c.line(), c.path().empty() ? "covariance" : c.path(), "",
                           why);
    };
    if (!c.is_array() || c.as_array().size() != k)
        throw bad("expected " + std::to_string(k) + " rows of " + std::to_string(k) + " numbers");
    Eigen::MatrixXd out(K, K);
    for (std::size_t i = 0; i < k; ++i) {
        const json_value& row = c.as_array()[i];
        if (!row.is_array() || row.as_array().size() != k)
            throw bad("row " + std::to_string(i) + ": expected " + std::to_string(k) + " numbers");
        for (std::size_t j = 0; j < k; ++j)
            out(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
                number_or_nan(row.as_array()[j]);
    }
    return out;
}

/// {"name": value, ...} under `key` (values NaN written null).
void write_named(detail::json_writer& w, const char* key, const std::vector<std::string>& names,
                 const std::vector<double>& values) {
    w.key(key).begin_object();
    for (std::size_t j = 0; j < names.size() && j < values.size(); ++j)
        w.field(names[j], values[j]);
    w.end_object();
}

/// The names and values of an object of numbers (in the file's order); NaN for null.
void read_named(const json_value& v, std::vector<std::string>& names, std::vector<double>& values) {
    for (const auto& [name, value] : v.as_object()) {
        names.push_back(name);
        values.push_back(number_or_nan(value));
    }
}

/// The `covariates` member (see fitted_model.hpp); coefficients must be finite.
covariate_coefficients read_covariates(const json_value& v) {
    covariate_coefficients c;
    if (const json_value* l = v.find("life")) read_named(*l, c.life_names, c.life);
    if (const json_value* t = v.find("trans")) read_named(*t, c.trans_names, c.trans);
    for (const auto* values : {&c.life, &c.trans})
        for (const double g : *values)
            if (!std::isfinite(g))
                throw parse_error(v.source(), v.line(), "covariates", "",
                                  "coefficients must be finite numbers");
    if (const json_value* k = v.find("constrained"))
        for (const json_value& n : k->as_array())
            c.constrained.push_back(n.as_string());
    if (const json_value* r = v.find("reference_levels"))
        for (const auto& [column, level] : r->as_object())
            c.reference_levels.emplace_back(column, level.as_string());
    return c;
}

/// The standard errors of `names` in the object `se` (NaN where missing).
std::vector<double> read_errors(const json_value* se, const std::vector<std::string>& names) {
    std::vector<double> out;
    for (const std::string& n : names) {
        const json_value* e = se != nullptr ? se->find(n) : nullptr;
        out.push_back(e != nullptr ? number_or_nan(*e) : std::numeric_limits<double>::quiet_NaN());
    }
    return out;
}

} // namespace

fit_statistics fit_statistics_of(const fit_result& fit, std::size_t unique_rows,
                                 std::size_t without_repeat_purchase,
                                 std::size_t without_positive_spend) {
    fit_statistics s;
    s.std_errors = fit.std_errors;
    s.covariance = fit.covariance;
    s.log_likelihood = fit.log_likelihood;
    s.n = fit.n;
    s.unique_rows = unique_rows;
    s.report = fit.report;
    s.without_repeat_purchase = without_repeat_purchase;
    s.without_positive_spend = without_positive_spend;
    s.penalizer = fit.penalizer;
    return s;
}

std::string canonical_model_name(std::string_view name, std::string_view argument) {
    if (is_spend_model_name(name)) return "gamma-gamma";
    if (is_bg_bb_model_name(name)) return "bgbb";
    try {
        return std::string(to_string(parse_purchase_model(name, argument)));
    } catch (const invalid_argument&) {
        throw invalid_argument(
            std::string(argument),
            "unknown model \"" + std::string(name) +
                "\" (expected bgnbd, mbgnbd, pnbd, ggomnbd, gamma-gamma or bgbb)",
            std::string(name));
    }
}

bool is_spend_model_name(std::string_view name) noexcept {
    const std::string k = detail::model_name_key(name);
    return k == "gammagamma" || k == "gg";
}

bool is_bg_bb_model_name(std::string_view name) noexcept {
    const std::string k = detail::model_name_key(name);
    return k == "bgbb" || k == "betageobetabinom";
}

bool fitted_model::has_covariance() const noexcept {
    const auto k = static_cast<Eigen::Index>(parameter_count(*this));
    return fit && k > 0 && fit->covariance.rows() == k && fit->covariance.cols() == k;
}

fitted_model fitted_purchase_model(purchase_model_kind kind, const fit_result& fit,
                                   std::size_t unique_rows, const summary_units& units) {
    check_summary_units(units);
    fitted_model m;
    m.model = std::string(to_string(kind));
    m.units = units;
    return with_statistics(std::move(m), fit, unique_rows);
}

fitted_model fitted_covariate_model(const covariate_fit& fit, const summary_units& units) {
    check_summary_units(units);
    fitted_model m;
    const purchase_model_kind kind = kind_of(fit.model.base);
    m.model = std::string(to_string(kind));
    m.units = units;
    m.names = parameter_names(kind);
    m.params = parameter_values(fit.model.base);
    fit_statistics s = fit_statistics_of(fit.fit, static_cast<std::size_t>(fit.fit.n));
    s.std_errors = fit.base_std_errors;
    s.life_std_errors = fit.life_std_errors;
    s.life_penalizer = fit.life_penalizer;
    s.trans_penalizer = fit.trans_penalizer;
    s.trans_std_errors = fit.trans_std_errors;
    m.fit = std::move(s);
    m.covariates = fit.model.coefficients;
    m.version = CUSTOMETRICS_VERSION_STRING;
    return m;
}

covariate_model covariate_model_of(const fitted_model& m, std::string_view argument) {
    if (!m.covariates)
        throw invalid_argument(std::string(argument), "the " + m.model + " model has no covariates",
                               m.model);
    return {purchase_params_of(m, argument), *m.covariates};
}

void check_covariates_given(const fitted_model& purchase, const covariate_table* covariates,
                            std::string_view params_argument,
                            std::string_view covariates_argument) {
    if (purchase.covariates && covariates == nullptr)
        throw invalid_argument(covariates_argument,
                               "the " + purchase.model + " model of " +
                                   std::string(params_argument) +
                                   " was fitted with covariates: give the customers' covariates");
    if (!purchase.covariates && covariates != nullptr)
        throw invalid_argument(covariates_argument, "the " + purchase.model + " model of " +
                                                        std::string(params_argument) +
                                                        " was fitted without covariates");
}

fitted_model fitted_purchase_model(const purchase_params& params,
                                   std::optional<summary_units> units) {
    if (units) check_summary_units(*units);
    fitted_model m;
    m.model = std::string(to_string(kind_of(params)));
    m.names = parameter_names(kind_of(params));
    m.params = parameter_values(params);
    m.units = units;
    m.version = CUSTOMETRICS_VERSION_STRING;
    return m;
}

fitted_model fitted_spend_model(const fit_result& fit, const spend_sample& sample) {
    fitted_model m;
    m.model = "gamma-gamma";
    m = with_statistics(std::move(m), fit, sample.size());
    m.fit->without_repeat_purchase = sample.without_repeat_purchase;
    m.fit->without_positive_spend = sample.without_positive_spend;
    return m;
}

fitted_model fitted_spend_model(const gamma_gamma_params& params) {
    fitted_model m;
    m.model = "gamma-gamma";
    m.names = {"p", "q", "v"};
    m.params = {params.p, params.q, params.v};
    m.version = CUSTOMETRICS_VERSION_STRING;
    return m;
}

fitted_model fitted_bg_bb_model(const fit_result& fit, std::size_t unique_rows) {
    (void)bg_bb_params_from(fit); // checks the names
    fitted_model m;
    m.model = "bgbb";
    return with_statistics(std::move(m), fit, unique_rows);
}

fitted_model fitted_bg_bb_model(const bg_bb_params& params) {
    fitted_model m;
    m.model = "bgbb";
    m.names = {"alpha", "beta", "gamma", "delta"};
    m.params = {params.alpha, params.beta, params.gamma, params.delta};
    m.version = CUSTOMETRICS_VERSION_STRING;
    return m;
}

bg_bb_params bg_bb_params_of(const fitted_model& m, std::string_view argument) {
    if (!m.is_bg_bb())
        throw invalid_argument(std::string(argument), "holds a " + m.model + " model, not bgbb",
                               m.model);
    if (m.params.size() != 4)
        throw invalid_argument(std::string(argument), "the BG/BB model has 4 parameters, got " +
                                                          std::to_string(m.params.size()));
    return {m.params[0], m.params[1], m.params[2], m.params[3]};
}

const Eigen::MatrixXd& covariance_of(const fitted_model& m, std::string_view argument,
                                     std::string_view source) {
    if (m.has_covariance()) return m.fit->covariance;
    const std::string where = source.empty() ? "the model" : std::string(source);
    throw invalid_argument(std::string(argument),
                           where + " records no parameter covariance (given parameters, or a fit "
                                   "written before the covariance was recorded): prediction "
                                   "intervals need it; refit with this version",
                           std::string(source));
}

purchase_model_kind purchase_kind_of(const fitted_model& m, std::string_view argument) {
    if (m.is_bg_bb())
        throw invalid_argument(std::string(argument),
                               "holds a BG/BB model of discrete opportunities, not a purchase "
                               "model of continuous time (bgnbd, mbgnbd, pnbd)",
                               m.model);
    if (m.is_spend_model())
        throw invalid_argument(std::string(argument),
                               "holds a Gamma-Gamma spend model, not a purchase model (bgnbd, "
                               "mbgnbd, pnbd)",
                               m.model);
    return parse_purchase_model(m.model, argument);
}

purchase_params purchase_params_of(const fitted_model& m, std::string_view argument) {
    return purchase_params_from(purchase_kind_of(m, argument), m.params);
}

gamma_gamma_params spend_params_of(const fitted_model& m, std::string_view argument) {
    if (!m.is_spend_model())
        throw invalid_argument(std::string(argument),
                               "holds a " + m.model + " model, not gamma-gamma", m.model);
    if (m.params.size() != 3)
        throw invalid_argument(std::string(argument),
                               "the Gamma-Gamma model has 3 parameters, got " +
                                   std::to_string(m.params.size()));
    return {m.params[0], m.params[1], m.params[2]};
}

void check_same_units(const fitted_model& m, const summary_units& summary,
                      std::string_view argument) {
    check_summary_units(summary);
    if (m.is_spend_model() || !m.units || *m.units == summary) return;
    throw invalid_argument(std::string(argument),
                           "the " + m.model + " model was fitted on a summary in " +
                               describe(*m.units) + ", but the summary scored is in " +
                               describe(summary) +
                               "; refit on this summary or summarize in the model's unit",
                           describe(*m.units));
}

void write_json(std::ostream& out, const fitted_model& m) {
    detail::json_writer w(out);
    w.begin_object();
    w.field("model", m.model);
    w.key("params").begin_object();
    for (std::size_t j = 0; j < m.names.size(); ++j)
        w.field(json_name(m, m.names[j]), m.params[j]);
    w.end_object();
    if (m.covariates) {
        const covariate_coefficients& c = *m.covariates;
        w.key("covariates").begin_object();
        write_named(w, "life", c.life_names, c.life);
        write_named(w, "trans", c.trans_names, c.trans);
        if (!c.constrained.empty()) {
            w.key("constrained").begin_array();
            for (const std::string& n : c.constrained)
                w.value(n);
            w.end_array();
        }
        if (!c.reference_levels.empty()) {
            w.key("reference_levels").begin_object();
            for (const auto& [column, level] : c.reference_levels)
                w.field(column, level);
            w.end_object();
        }
        w.end_object();
    }
    if (m.fit) {
        const fit_statistics& s = *m.fit;
        w.key("std_errors").begin_object();
        for (std::size_t j = 0; j < m.names.size() && j < s.std_errors.size(); ++j)
            w.field(json_name(m, m.names[j]), s.std_errors[j]);
        if (m.covariates) {
            write_named(w, "life", m.covariates->life_names, s.life_std_errors);
            write_named(w, "trans", m.covariates->trans_names, s.trans_std_errors);
        }
        w.end_object();
        w.field("log_likelihood", s.log_likelihood);
        w.field("n", s.n);
        w.field("penalizer", s.penalizer);
        if (m.covariates) {
            w.field("life_penalizer", s.life_penalizer);
            w.field("trans_penalizer", s.trans_penalizer);
        }
        w.field("unique_rows", static_cast<std::uint64_t>(s.unique_rows));
        w.field("converged", s.report.converged);
        w.field("iterations", s.report.iterations);
        w.field("function_evaluations", s.report.function_evaluations);
        w.field("gradient_norm", s.report.gradient_norm);
        w.field("reason", s.report.reason);
        if (m.has_covariance()) {
            w.key("covariance").begin_array();
            for (Eigen::Index i = 0; i < s.covariance.rows(); ++i) {
                w.begin_array();
                for (Eigen::Index j = 0; j < s.covariance.cols(); ++j)
                    w.value(s.covariance(i, j));
                w.end_array();
            }
            w.end_array();
        }
        if (m.is_spend_model()) {
            w.field("without_repeat_purchase",
                    static_cast<std::uint64_t>(s.without_repeat_purchase));
            w.field("without_positive_spend", static_cast<std::uint64_t>(s.without_positive_spend));
        }
    }
    if (m.units && !m.is_spend_model()) {
        w.field("time_unit", to_string(m.units->unit));
        w.field("unit_scale", m.units->scale);
    }
    w.field("version", m.version);
    w.end_object(); // the writer ends the top-level object with a newline
}

std::string to_json(const fitted_model& m) {
    std::ostringstream s;
    write_json(s, m);
    return s.str();
}

fitted_model parse_fitted_model(const json_value& v, std::string_view model,
                                std::string_view argument) {
    fitted_model f;
    std::string name = model.empty() ? std::string() : canonical_model_name(model, argument);
    if (const json_value* m = v.find("model"); m != nullptr) {
        const std::string in_file = canonical_model_name(m->as_string(), m->path());
        if (!name.empty() && name != in_file &&
            (is_spend_model_name(name) || is_spend_model_name(in_file) ||
             parse_purchase_model(name) != parse_purchase_model(in_file)))
            throw invalid_argument(std::string(argument),
                                   "\"" + std::string(model) + "\" differs from the model \"" +
                                       m->as_string() + "\" of " + v.source(),
                                   std::string(model));
        name = in_file;
    }
    if (name.empty())
        throw invalid_argument(std::string(argument),
                               "not given and " + v.source() + " has no \"model\" member");
    f.model = name;
    const json_value* p = v.find("params");
    const json_value& params = p != nullptr ? *p : v;
    if (f.is_spend_model()) {
        const json_value* gamma = params.find("gamma");
        const double third = gamma != nullptr ? gamma->as_number() : params.number("v");
        f.names = {"p", "q", "v"};
        f.params = {params.number("p"), params.number("q"), third};
        for (std::size_t j = 0; j < 3; ++j)
            if (!(std::isfinite(f.params[j]) && f.params[j] > 0))
                throw invalid_argument("params." + json_name(f, f.names[j]),
                                       "must be a finite number > 0, got " +
                                           detail::format_number(f.params[j]));
    } else if (f.is_bg_bb()) {
        f.names = {"alpha", "beta", "gamma", "delta"};
        for (const std::string& n : f.names)
            f.params.push_back(params.number(n));
        for (std::size_t j = 0; j < 4; ++j)
            if (!(std::isfinite(f.params[j]) && f.params[j] > 0))
                throw invalid_argument("params." + f.names[j],
                                       "must be a finite number > 0, got " +
                                           detail::format_number(f.params[j]));
    } else {
        const purchase_model_kind kind = parse_purchase_model(f.model, argument);
        f.names = parameter_names(kind);
        for (const std::string& n : f.names)
            f.params.push_back(params.number(n));
        (void)purchase_params_from(kind, f.params); // checks each value, naming it
        if (const json_value* c = v.find("covariates"); p != nullptr && c != nullptr)
            f.covariates = read_covariates(*c);
    }
    if (p != nullptr && (v.find("log_likelihood") != nullptr || v.find("std_errors") != nullptr)) {
        fit_statistics s;
        if (const json_value* se = v.find("std_errors"); se != nullptr)
            for (const std::string& n : f.names) {
                const json_value* e = se->find(json_name(f, n));
                s.std_errors.push_back(e != nullptr ? number_or_nan(*e)
                                                    : std::numeric_limits<double>::quiet_NaN());
            }
        else
            s.std_errors.assign(f.names.size(), std::numeric_limits<double>::quiet_NaN());
        if (const json_value* x = v.find("log_likelihood")) s.log_likelihood = number_or_nan(*x);
        if (const json_value* x = v.find("n")) s.n = x->as_number();
        s.penalizer = read_penalizer(v, "penalizer");
        if (const json_value* x = v.find("unique_rows"))
            s.unique_rows = static_cast<std::size_t>(x->as_number());
        if (const json_value* x = v.find("converged")) s.report.converged = x->as_bool();
        if (const json_value* x = v.find("iterations"))
            s.report.iterations = static_cast<int>(x->as_number());
        if (const json_value* x = v.find("function_evaluations"))
            s.report.function_evaluations = static_cast<int>(x->as_number());
        if (const json_value* x = v.find("gradient_norm"))
            s.report.gradient_norm = number_or_nan(*x);
        if (const json_value* x = v.find("reason")) s.report.reason = x->as_string();
        if (const json_value* c = v.find("covariance"); c != nullptr && !c->is_null()) {
            // A covariate fit written before the coefficients' covariance was recorded holds
            // the base parameters' block alone: it still reads and scores; without the full
            // covariance it has none (`has_covariance`), and only intervals refuse it, naming
            // the file (`covariance_of`).
            const std::size_t k = parameter_count(f);
            const bool base_block = f.covariates && k != f.params.size() && c->is_array() &&
                                    c->as_array().size() == f.params.size();
            if (base_block)
                (void)read_covariance(*c, f.params.size()); // its shape still checked
            else
                s.covariance = read_covariance(*c, k);
        }
        if (const json_value* x = v.find("without_repeat_purchase"))
            s.without_repeat_purchase = static_cast<std::size_t>(x->as_number());
        if (const json_value* x = v.find("without_positive_spend"))
            s.without_positive_spend = static_cast<std::size_t>(x->as_number());
        if (f.covariates) {
            s.life_penalizer = read_penalizer(v, "life_penalizer");
            s.trans_penalizer = read_penalizer(v, "trans_penalizer");
            const json_value* se = v.find("std_errors");
            s.life_std_errors =
                read_errors(se != nullptr ? se->find("life") : nullptr, f.covariates->life_names);
            s.trans_std_errors =
                read_errors(se != nullptr ? se->find("trans") : nullptr, f.covariates->trans_names);
        }
        f.fit = std::move(s);
    }
    if (p != nullptr && !f.is_spend_model())
        if (const json_value* u = v.find("time_unit"); u != nullptr && !u->is_null()) {
            const json_value* scale = v.find("unit_scale");
            f.units =
                parse_summary_units(u->as_string(), scale != nullptr ? scale->as_number() : 1.0,
                                    u->path().empty() ? "time_unit" : u->path());
        }
    if (p != nullptr)
        if (const json_value* x = v.find("version"); x != nullptr) f.version = x->as_string();
    return f;
}

fitted_model parse_fitted_model(std::string_view text, const std::string& source,
                                std::string_view model, std::string_view argument) {
    return parse_fitted_model(parse_json(text, source), model, argument);
}

fitted_model read_fitted_model(const std::string& path, std::string_view model,
                               std::string_view argument) {
    return parse_fitted_model(read_json_file(path), model, argument);
}

std::optional<fitted_model> read_fitted_model_if(const std::string& path, std::string_view model,
                                                 std::string_view argument) {
    if (path.empty()) return std::nullopt;
    return read_fitted_model(path, model, argument);
}

CUSTOMETRICS_END_NAMESPACE
