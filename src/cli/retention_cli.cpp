// The `custometrics fit`, `score` and `contacts` subcommands (registered through command.hpp).
//
// They read a per-customer summary CSV (custometrics/retention/summary_csv.hpp), fit or score
// with the core (fit_summary, score_summary, contact_list) and print with the core's writers
// (custometrics/output/retention.hpp), which also hold the report's retention section.
#include "command.hpp"

#include "custometrics/output/retention.hpp"
#include "custometrics/retention.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace custometrics::cli {
namespace {

/// The options of `fit`, `score` and `contacts`.
struct retention_options {
    std::string file, model, params, spend_params, out, format = "text";
    summary_axis axis{{}, {}, {}, "--time-unit", "--unit-scale", "--as-of"};
    selection_options selection; ///< fit: `fit` (the penalizer), with --model auto all of it
    score_options score;
    contact_days contacts;
    std::string select_by;                  ///< fit --model auto: the criterion ("" = default)
    std::optional<double> holdout_duration; ///< fit --model auto: the holdout's length
    std::string interval;                   ///< score: the interval method ("" = none)
    interval_options intervals;             ///< score: level, draws, seed
    std::string covariates;                 ///< fit, score, contacts: the covariate CSV
    covariate_spec covariate;               ///< fit: which covariates on which process
    std::string log, timing = "model";      ///< contacts: own-rhythm dates from this log
    column_args columns;                    ///< contacts: the log's columns
};

/// A CLI11 validator that runs one of the core's parsers on the option's text: a name the core
/// does not accept is a usage error (exit 2) with the core's message.
template <class Parse> CLI::Validator core_names(Parse parse, const char* description) {
    return CLI::Validator(
        [parse](std::string& text) {
            try {
                (void)parse(text);
            } catch (const invalid_argument& e) { // CLI11 puts the flag before the reason
                std::string_view what = e.what();
                if (what.starts_with(e.argument() + ": "))
                    what.remove_prefix(e.argument().size() + 2);
                return std::string(what);
            }
            return std::string();
        },
        description);
}

/// Prints a result: `csv` to `--out` (not over an input; standard output then holds only the
/// table), else `json` or `text` to standard output, naming the file `what` was written to.
template <class Csv, class Json, class Text>
void print(const retention_options& o, Csv csv, Json json, Text text, const char* what) {
    if (write_table(o.out, {o.file, o.params, o.spend_params, o.covariates, o.log}, csv)) return;
    if (o.format == "json") return json(std::cout);
    text(std::cout);
    if (!o.out.empty() && what) std::cout << "  " << what << " written to " << o.out << "\n";
}

/// `fit --model auto`: the model choice (text or JSON), the chosen model's JSON to `--out`.
void run_choice(const retention_options& o, const summary_table& s) {
    selection_options so = o.selection;
    if (!o.select_by.empty()) so.criterion = parse_selection_criterion(o.select_by, "--select-by");
    const model_selection m =
        select_summary(s, so, o.holdout_duration, "--select-by", "--holdout-duration");
    print(
        o, [&](std::ostream& out) { write_json(out, chosen_model(s, m)); },
        [&](std::ostream& out) { output::write_json(out, m); },
        [&](std::ostream& out) { output::write_text(out, m); },
        m.chosen ? "chosen model" : nullptr);
}

void run_fit(const retention_options& o) {
    if (!o.select_by.empty() && o.model != "auto")
        throw invalid_argument("--select-by", "chooses among models: only with --model auto",
                               o.select_by);
    if (o.holdout_duration && o.model != "auto")
        throw invalid_argument("--holdout-duration", "only with --model auto");
    const summary_table s = usage_checked(
        [&] { return read_summary_csv(o.file, is_spend_model_name(o.model), o.axis); });
    check_covariate_request(o.covariate, !o.covariates.empty());
    if (o.model == "auto" && o.covariates.empty()) return run_choice(o, s);
    if (o.model == "auto")
        throw invalid_argument("--covariates", "not with --model auto: name the model");
    const fitted_model m =
        o.covariates.empty()
            ? fit_summary(s, o.model, o.selection.fit, "--model")
            : fit_summary_with_covariates(s, o.model, read_covariates_csv(o.covariates),
                                          o.covariate, o.selection.fit, "--model");
    const auto json = [&](std::ostream& out) { write_json(out, m); };
    print(
        o, json, json, [&](std::ostream& out) { output::write_text(out, m); }, nullptr);
}

/// The covariate table of `--covariates`, if given.
std::optional<covariate_table> covariates_of(const retention_options& o) {
    if (o.covariates.empty()) return std::nullopt;
    return read_covariates_csv(o.covariates);
}

/// The scores of the summary `s` with the purchase model of `--params` and `spend`; with
/// `--interval` the core refuses what has no intervals before any customer is scored.
customer_scores scores_of(const retention_options& o, const summary_table& s,
                          const fitted_model& purchase, const std::optional<fitted_model>& spend,
                          const std::optional<covariate_table>& table) {
    score_options score = o.score;
    score.intervals = !o.interval.empty();
    return score_summary(s, purchase, spend, score, "--params", "--spend-params",
                         table ? &*table : nullptr, "--covariates");
}

void run_score(const retention_options& o) {
    const summary_table s = usage_checked([&] { return read_summary_csv(o.file, false, o.axis); });
    const fitted_model purchase = read_fitted_model(o.params, o.model, "--model");
    const auto spend = read_fitted_model_if(o.spend_params, "gamma-gamma", "--spend-params");
    const auto table = covariates_of(o);
    const customer_scores sc = scores_of(o, s, purchase, spend, table);
    std::optional<score_intervals> pi;
    if (!o.interval.empty()) {
        interval_options io = o.intervals;
        io.method = parse_interval_method(o.interval, "--interval");
        pi = summary_intervals(s, purchase, spend, o.score, io, "--params", o.params,
                               "--spend-params", o.spend_params, table ? &*table : nullptr,
                               "--covariates");
    }
    print(
        o, [&](std::ostream& f) { output::write_csv(f, sc, s.keys, pi); },
        [&](std::ostream& out) { output::write_json(out, sc, pi); },
        [&](std::ostream& out) { output::write_text(out, sc, o.score, pi); }, "scores");
}

void run_contacts(const retention_options& o) { // the core refuses BG/BB and no spend model
    const summary_table s = usage_checked([&] { return read_summary_csv(o.file, false, o.axis); });
    const customer_scores sc =
        scores_of(o, s, read_fitted_model(o.params, o.model, "--model"),
                  read_fitted_model_if(o.spend_params, "gamma-gamma", "--spend-params"),
                  covariates_of(o));
    contact_days days = o.contacts;
    days.timing = parse_contact_timing(o.timing, "--timing");
    const auto rhythm =
        o.log.empty()
            ? std::vector<std::int64_t>() // own-rhythm dates by key
            : rhythm_dates(read_transactions_csv(o.log, o.columns.resolve()).view(), s.keys);
    const contact_plan p = contact_list(sc, days, rhythm);
    print(
        o, [&](std::ostream& f) { output::write_csv(f, p, s.keys); },
        [&](std::ostream& out) { output::write_json(out, p, sc, o.contacts, s.keys); },
        [&](std::ostream& out) { output::write_text(out, p, o.contacts, s.keys); }, "contact list");
}

/// The core's names of the options passed on, with their flags.
constexpr std::pair<std::string_view, std::string_view> core_flags[] = {
    {"horizon", "--horizon"},
    {"within_days", "--within-days"},
    {"lead_days", "--lead-days"},
    {"unit_scale", "--unit-scale"},
    {"months", "--clv-months"},
    {"discount_rate", "--discount-rate"},
    {"spend", "--spend-params"},
    {"level", "--level"},
    {"draws", "--draws"},
    {"duration", "--holdout-duration"},
    {"life_penalizer", "--life-penalizer"},
    {"trans_penalizer", "--trans-penalizer"},
    {"covariates", "--covariates"},
    {"life", "--life-covariates"},
    {"trans", "--trans-covariates"},
    {"timing", "--timing"},
    {"interval", "--interval"}};

/// Runs `run`, naming the flag instead of the core's argument (`core_flags`) in an
/// `invalid_argument` (error.hpp `renamed`: its `argument` field and its message).
template <class Run> void naming_flags(Run&& run) {
    try {
        run();
    } catch (const invalid_argument& e) {
        for (const auto& [argument, flag] : core_flags)
            if (e.argument() == argument) throw renamed(e, flag);
        throw;
    }
}

/// Adds the subcommand `name` with the summary file and time-axis options; `run` on parse.
using command = std::pair<std::shared_ptr<retention_options>, CLI::App*>;
command add_summary_command(CLI::App& app, const char* name, const char* about,
                            void (*run)(const retention_options&)) {
    const command c = add_command<retention_options>(
        app, name, about, [run](const retention_options& o) { naming_flags([&] { run(o); }); });
    const auto& [o, cmd] = c;
    cmd->add_option("file", o->file,
                    "Customer summary CSV (custometrics summarize --out): frequency, recency, T "
                    "[, monetary_value]")
        ->required();
    cmd->add_option("--time-unit", o->axis.time_unit,
                    "Unit of recency and T when the summary has no time_unit column: hours, "
                    "days (default), weeks or months");
    cmd->add_option("--unit-scale", o->axis.unit_scale,
                    "Scale of recency and T when the summary has no unit_scale column (default 1)");
    add_format(*cmd, o->format);
    return c;
}

/// Adds `score` or `contacts` with the options they share.
command add_scoring(CLI::App& app, const char* name, const char* about,
                    void (*run)(const retention_options&), const char* out) {
    const auto [o, c] = add_summary_command(app, name, about, run);
    CLI::App& cmd = *c;
    cmd.add_option("--params", o->params, "JSON from custometrics fit --out (or --format json)")
        ->required();
    cmd.add_option("--model", o->model, "bgnbd, mbgnbd, pnbd or ggomnbd (default: --params)");
    cmd.add_option("--spend-params", o->spend_params,
                   "JSON of a Gamma-Gamma fit: adds expected spend and lifetime value");
    cmd.add_option("--as-of", o->axis.as_of,
                   "End of the summary period when the summary has no observation_end "
                   "column (default: first_purchase + T per customer)");
    cmd.add_option("--clv-months", o->score.clv_months, "Lifetime value horizon in months")
        ->capture_default_str();
    cmd.add_option("--discount-rate", o->score.discount_rate, "Per month (BG/BB: of DERT)")
        ->capture_default_str();
    cmd.add_option("--covariates", o->covariates,
                   "Covariate CSV (customer_id + columns) of a model fitted with --covariates: "
                   "each customer is scored at its own parameters");
    cmd.add_option("--out", o->out, out);
    return {o, c};
}

} // namespace

void register_fit(CLI::App& app) {
    const auto [o, fit] = add_summary_command(app, "fit",
                                              "Fit a retention model (BG/NBD, MBG/NBD, Pareto/NBD, "
                                              "GGom/NBD, Gamma-Gamma, BG/BB), or choose one",
                                              run_fit);
    o->model = "bgnbd";
    fit->add_option("--model", o->model,
                    "bgnbd, mbgnbd, pnbd, ggomnbd, gamma-gamma, bgbb (discrete opportunities: "
                    "whole-number frequency, recency and T or n_periods, optional weights) or "
                    "auto (fit bgnbd, mbgnbd and pnbd and choose by --select-by)")
        ->capture_default_str();
    fit->add_option("--select-by", o->select_by,
                    "With --model auto: mae, rmse or aggregate (holdout errors; default mae when "
                    "the summary has frequency_holdout) or bic (default without)")
        ->check(core_names([](const std::string& t) { return parse_selection_criterion(t); },
                           "CRITERION"));
    fit->add_option(
        "--holdout-duration", o->holdout_duration,
        "With --model auto: the holdout's length in the summary's periods when the summary "
        "has no duration_holdout column");
    fit->add_option("--penalizer", o->selection.fit.penalizer,
                    "L2 penalty on the parameters (lifetimes' penalizer_coef)")
        ->capture_default_str();
    fit->add_option("--covariates", o->covariates,
                    "Time-invariant covariates (bgnbd, mbgnbd, pnbd, ggomnbd), CLVTools' "
                    "parameterisation: CSV with customer_id and one column per covariate "
                    "(numbers, or labels dummy-coded against the first level)");
    fit->add_option("--life-covariates", o->covariate.life,
                    "Comma-separated covariate columns of the lifetime (dropout) process")
        ->delimiter(',');
    fit->add_option("--trans-covariates", o->covariate.trans,
                    "Comma-separated covariate columns of the transaction process")
        ->delimiter(',');
    fit->add_option("--constrained-covariates", o->covariate.constrained,
                    "Comma-separated covariates with one coefficient on both processes")
        ->delimiter(',');
    fit->add_option("--life-penalizer", o->covariate.life_penalizer,
                    "L2 penalty on the lifetime coefficients (CLVTools' reg.lambdas life)")
        ->capture_default_str();
    fit->add_option("--trans-penalizer", o->covariate.trans_penalizer,
                    "L2 penalty on the transaction coefficients (CLVTools' reg.lambdas trans)")
        ->capture_default_str();
    fit->add_option("--out", o->out, "Also write the JSON result to this file");
}

void register_score(CLI::App& app) {
    const auto [o, sc] = add_scoring(
        app, "score", "P(alive), expected purchases, spend, lifetime value and next purchase date",
        run_score,
        "Scores CSV: customer_id,p_alive,expected_purchases[,expected_purchases_lower,"
        "expected_purchases_upper],expected_spend,clv[,clv_lower,clv_upper],next_purchase_date "
        "(BG/BB: customer_id,p_alive,expected_purchases,dert)");
    sc->add_option("--horizon", o->score.horizon, "Periods ahead (BG/BB: opportunities)")
        ->capture_default_str();
    sc->add_option("--interval", o->interval,
                   "Adds expected_purchases_lower/upper (and clv_lower/upper with "
                   "--spend-params) from the fits' parameter covariances: delta, parametric "
                   "(bootstrap from the covariance) or bootstrap (refits on resampled customers "
                   "of this summary, the one the models were fitted on)")
        ->check(
            core_names([](const std::string& t) { return parse_interval_method(t); }, "METHOD"));
    sc->add_option("--level", o->intervals.level, "Coverage of the interval")
        ->capture_default_str();
    sc->add_option("--draws", o->intervals.draws, "Bootstrap draws")->capture_default_str();
    sc->add_option("--seed", o->intervals.seed, "Seed of the bootstrap (same seed, same interval)")
        ->capture_default_str();
}

void register_contacts(CLI::App& app) {
    const auto [o, ct] = add_scoring(
        app, "contacts", "Customers to call before their next purchase, ranked by lifetime value",
        run_contacts, "Contacts CSV: customer_id,call_date,next_purchase_date,p_alive,clv");
    o->score.contacts = true; // the core refuses a model without a calendar (BG/BB)
    ct->add_option("--within-days", o->contacts.within_days,
                   "List customers whose next purchase is expected within this many days")
        ->capture_default_str();
    ct->add_option("--lead-days", o->contacts.lead_days, "Call this many days before")
        ->capture_default_str();
    ct->add_option("--top", o->contacts.top, "At most this many customers (0 = all)")
        ->capture_default_str();
    ct->add_option("--log", o->log,
                   "Transaction CSV of the summary's customers: adds each regular buyer's own "
                   "rhythm (last purchase + mean gap) and the days until it is due");
    ct->add_option("--timing", o->timing,
                   "Time calls by the purchase model (default) or by each regular buyer's own "
                   "rhythm (needs --log)");
    o->columns.add_to(*ct);
}

} // namespace custometrics::cli
