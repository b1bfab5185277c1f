// The `custometrics fit`, `score` and `contacts` subcommands and the report's retention
// section (see retention_cli.hpp).
#include "retention_cli.hpp"

#include "command.hpp"
#include "output.hpp"

#include "format.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/json_value.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <numeric>
#include <ostream>
#include <span>
#include <sstream>
#include <string_view>
#include <utility>

namespace custometrics::cli {
namespace {

/// The model columns of a summary CSV, the key and first-purchase columns when present, and
/// its time axis and end (from its columns or the flags).
struct summary_table {
    csv_table table;
    std::vector<std::string> keys;
    std::vector<double> x, tx, T, m;
    std::vector<std::int64_t> first_purchase; ///< no_time where unknown
    summary_units units;
    std::optional<std::int64_t> end; ///< the date T is measured to (score, contacts)

    summary_columns columns() const { return {x, tx, T, m, first_purchase}; }
};

std::size_t column_or_cal(const csv_table& t, const std::string& name) {
    if (const auto j = t.find_column(name)) return *j;
    if (const auto j = t.find_column(name + "_cal")) return *j;
    return t.column(name); // throws naming the columns there are
}

/// The value of a column that `summarize` writes the same on every row (time_unit,
/// unit_scale, observation_end, calibration_end), if the table has it; `parse_error` at the
/// first row that differs (filtering rows keeps them, mixing summaries does not).
std::optional<std::string> constant_column(const csv_table& t, std::string_view name) {
    const std::optional<std::size_t> j = t.find_column(name);
    if (!j || t.size() == 0) return std::nullopt;
    const std::string& first = t.rows[0][*j];
    for (std::size_t i = 1; i < t.size(); ++i)
        if (t.rows[i][*j] != first)
            throw parse_error(t.source, t.line[i], std::string(name), t.rows[i][*j],
                              "differs from the first row's \"" + first +
                                  "\" (one summary has one value)");
    return first;
}

/// The time axis of the summary: its columns, else the flags, else the `summarize` defaults;
/// a flag that contradicts a column is an error naming both.
summary_units units_of(const csv_table& t, const summary_flags& flags) {
    std::optional<double> scale;
    if (constant_column(t, "unit_scale")) scale = t.number(0, *t.find_column("unit_scale"));
    return resolve_summary_units(
        constant_column(t, "time_unit"), scale,
        flags.time_unit.empty() ? std::nullopt : std::optional<std::string>(flags.time_unit),
        flags.unit_scale, t.source, "--time-unit", "--unit-scale");
}

/// The date T is measured to: the summary's calibration_end (a calibration summary) or
/// observation_end column, else --as-of; both and different is an error.
std::optional<std::int64_t> end_of(const csv_table& t, const summary_flags& flags) {
    std::optional<std::string> column = constant_column(t, "calibration_end");
    std::string name = "calibration_end";
    if (!column) {
        column = constant_column(t, "observation_end");
        name = "observation_end";
    }
    std::optional<std::int64_t> in_file;
    if (column && !column->empty()) {
        const auto when = parse_time(*column);
        if (!when) throw parse_error(t.source, t.line[0], name, *column, "not a date");
        in_file = *when;
    }
    if (flags.as_of.empty()) return in_file;
    const std::int64_t as_of = parse_time_or_throw(flags.as_of, "--as-of");
    if (in_file && *in_file != as_of)
        throw invalid_argument("--as-of", flags.as_of + " contradicts the " + name + " column " +
                                              *column + " of " + t.source);
    return as_of;
}

summary_table read_summary(const std::string& path, bool need_money, const summary_flags& flags) {
    summary_table s;
    s.table = read_csv_table(path);
    const csv_table& t = s.table;
    if (t.size() == 0) throw invalid_argument(path + ": the summary has no customers");
    const std::size_t key = t.find_column("customer_id").value_or(0);
    const std::size_t jx = column_or_cal(t, "frequency");
    const std::size_t jtx = column_or_cal(t, "recency");
    const std::size_t jT = column_or_cal(t, "T");
    const std::optional<std::size_t> jm =
        need_money ? std::optional<std::size_t>(column_or_cal(t, "monetary_value"))
                   : t.find_column("monetary_value");
    const std::optional<std::size_t> jfirst = t.find_column("first_purchase");
    const std::size_t n = t.size();
    s.keys.resize(n);
    s.x.resize(n);
    s.tx.resize(n);
    s.T.resize(n);
    if (jm) s.m.resize(n);
    s.first_purchase.assign(n, no_time);
    for (std::size_t i = 0; i < n; ++i) {
        s.keys[i] = t.rows[i][key];
        s.x[i] = t.number(i, jx);
        s.tx[i] = t.number(i, jtx);
        s.T[i] = t.number(i, jT);
        if (jm) s.m[i] = t.number(i, *jm);
        if (jfirst && !t.rows[i][*jfirst].empty()) {
            const auto when = parse_time(t.rows[i][*jfirst]);
            if (!when)
                throw parse_error(path, t.line[i], "first_purchase", t.rows[i][*jfirst],
                                  "not a date");
            s.first_purchase[i] = *when;
        }
    }
    s.units = units_of(t, flags);
    s.end = end_of(t, flags);
    return s;
}

/// Runs `f` (which checks the summary's model inputs, naming the customer position) and adds
/// the file line and key of that customer to its error.
template <class F> auto naming_line(const summary_table& s, const std::string& path, F&& f) {
    try {
        return f();
    } catch (const data_error& e) {
        // The error's row is the customer's position: add its file line and key.
        if (const auto i = e.row(); i && *i < s.table.line.size()) {
            error_context c = e.context();
            c.key = s.keys[*i];
            throw data_error(path + ":" + std::to_string(s.table.line[*i]) + " (customer " +
                                 s.keys[*i] + "): " + e.what(),
                             std::move(c));
        }
        throw;
    }
}

/// The scores of `score` and `contacts`: the models from their files, the core's scores.
customer_scores compute_scores(const score_cli_options& o, const summary_table& s) {
    const fitted_model purchase = read_fitted_model(o.params, o.model, "--model");
    (void)purchase_kind_of(purchase, "--params");
    std::optional<fitted_model> spend;
    if (!o.spend_params.empty()) {
        spend = read_fitted_model(o.spend_params, "gamma-gamma", "--spend-params");
        if (s.m.empty())
            throw invalid_argument("--spend-params", o.file + " has no monetary_value column");
    }
    check_same_units(purchase, s.units, "--params");
    score_options so;
    so.horizon = o.horizon;
    so.clv_months = o.clv_months;
    so.discount_rate = o.discount_rate;
    so.analysis_date = s.end;
    return naming_line(s, o.file,
                       [&] { return score_customers(purchase, spend, s.columns(), s.units, so); });
}

std::string date_or_empty(std::int64_t t) {
    return t == no_time ? std::string() : format_date(t);
}

} // namespace

void run_fit(std::ostream& out, const fit_cli_options& o) {
    const bool spend = is_spend_model_name(o.model);
    const summary_table s = read_summary(o.file, spend, o.units);
    fit_options fo;
    fo.penalizer = o.penalizer;
    fitted_model model;
    std::string display;
    if (spend) {
        // The core's spend sample: repeat buyers with a positive mean spend, the rest counted.
        const spend_sample sample =
            naming_line(s, o.file, [&] { return select_spend_sample(s.x, s.m); });
        const fit_result r = naming_line(s, o.file, [&] { return fit_gamma_gamma(sample, fo); });
        model = fitted_spend_model(r, sample);
        display = "Gamma-Gamma (repeat buyers)";
    } else {
        purchase_model_kind kind{};
        try {
            kind = parse_purchase_model(o.model, "--model");
        } catch (const invalid_argument&) {
            throw invalid_argument("--model",
                                   "unknown model \"" + o.model +
                                       "\" (expected bgnbd, mbgnbd, pnbd or gamma-gamma)");
        }
        const compressed_summary rows =
            naming_line(s, o.file, [&] { return compress_summary(s.x, s.tx, s.T); });
        model =
            fitted_purchase_model(kind, fit_purchase_model(kind, rows, fo), rows.size(), s.units);
        display = std::string(display_name(kind));
    }
    if (!o.out.empty()) {
        check_not_input(o.out, o.file, "--out");
        output_file f(o.out);
        write_json(f.stream(), model);
        f.commit();
        if (f.is_stdout()) return; // the model is the standard output
    }
    if (o.json) {
        write_json(out, model);
        return;
    }
    const fit_statistics& st = *model.fit;
    out << display << " fit on " << count(static_cast<std::size_t>(st.n)) << " customers";
    if (!spend)
        out << " (" << count(st.unique_rows) << " unique rows, " << describe(s.units) << ")";
    else if (st.without_repeat_purchase + st.without_positive_spend > 0)
        out << " (left out: " << count(st.without_repeat_purchase) << " without a repeat purchase, "
            << count(st.without_positive_spend) << " with a mean repeat spend <= 0)";
    out << ": " << (st.report.converged ? "converged" : "NOT converged") << " after "
        << st.report.iterations << " iterations (" << st.report.reason << ")\n";
    for (std::size_t j = 0; j < model.names.size(); ++j) {
        char line[128];
        std::snprintf(line, sizeof line, "  %-8s %12.6g   (standard error %.4g)\n",
                      (model.names[j] == "v" ? "gamma" : model.names[j]).c_str(), model.params[j],
                      st.std_errors[j]);
        out << line;
    }
    out << "  log-likelihood " << num(st.log_likelihood, 4) << "\n";
}

void run_score(std::ostream& out, const score_cli_options& o) {
    const summary_table s = read_summary(o.file, false, o.units);
    const customer_scores sc = compute_scores(o, s);
    const std::size_t n = sc.size();
    if (!o.out.empty()) {
        check_not_input(o.out, o.file, "--out");
        check_not_input(o.out, o.params, "--out");
        check_not_input(o.out, o.spend_params, "--out");
        output_file file(o.out);
        std::ostream& f = file.stream();
        f << "customer_id,p_alive,expected_purchases,expected_spend,clv,next_purchase_date\n";
        for (std::size_t i = 0; i < n; ++i) {
            f << csv_field(s.keys[i]) << ',' << number_text(sc.p_alive[i]) << ','
              << number_text(sc.expected_purchases[i]) << ',';
            if (sc.with_spend)
                f << number_text(sc.expected_spend[i]) << ',' << number_text(sc.clv[i]);
            else
                f << ',';
            f << ',' << date_or_empty(sc.next_purchase_date[i]) << '\n';
        }
        file.commit();
        if (file.is_stdout()) return; // the scores are the standard output
    }
    if (o.json) {
        detail::json_writer w(out);
        w.begin_object();
        w.field("model", to_string(sc.model));
        w.field("time_unit", to_string(sc.units.unit)).field("unit_scale", sc.units.scale);
        w.field("n", static_cast<std::uint64_t>(n));
        w.field("horizon", o.horizon);
        w.field("expected_alive", sc.expected_alive);
        w.field("at_risk", static_cast<std::uint64_t>(sc.at_risk));
        w.field("expected_purchases", sc.total_expected_purchases);
        if (sc.with_spend) w.field("clv_total", sc.clv_total);
        w.end_object();
        out << '\n';
        return;
    }
    out << display_name(sc.model) << " scores of " << count(n) << " customers\n";
    out << "  expected alive        " << num(sc.expected_alive, 1) << "  ("
        << pct(sc.expected_alive / static_cast<double>(n)) << ")\n";
    out << "  P(alive) below 50%    " << count(sc.at_risk) << " customers\n";
    out << "  expected purchases    " << num(sc.total_expected_purchases, 1) << " in the next "
        << num(o.horizon, 2) << " " << describe(sc.units) << "\n";
    if (sc.with_spend)
        out << "  lifetime value        " << money(sc.clv_total) << " over " << num(o.clv_months, 0)
            << " months (discount " << pct(o.discount_rate) << " a month)\n";
    if (!o.out.empty()) out << "  scores written to " << o.out << "\n";
}

void run_contacts(std::ostream& out, const score_cli_options& o) {
    if (o.spend_params.empty())
        throw invalid_argument("--spend-params",
                               "contacts are ranked by lifetime value, which "
                               "needs a Gamma-Gamma fit (custometrics fit --model gamma-gamma)");
    const summary_table s = read_summary(o.file, true, o.units);
    const customer_scores sc = compute_scores(o, s);
    contact_days cd;
    cd.within_days = o.within_days;
    cd.lead_days = o.lead_days;
    cd.top = o.top;
    const contact_plan plan = contact_list(sc, cd);
    const std::vector<contact_entry>& list = plan.contacts;
    if (!o.out.empty()) {
        check_not_input(o.out, o.file, "--out");
        check_not_input(o.out, o.params, "--out");
        check_not_input(o.out, o.spend_params, "--out");
        output_file out_file(o.out);
        std::ostream& file = out_file.stream();
        file << "customer_id,call_date,next_purchase_date,p_alive,clv\n";
        for (const contact_entry& c : list)
            file << csv_field(s.keys[c.customer]) << ',' << date_or_empty(c.call_date) << ','
                 << date_or_empty(c.next_purchase_date) << ',' << number_text(c.p_alive) << ','
                 << number_text(c.clv) << '\n';
        out_file.commit();
        if (out_file.is_stdout()) return; // the contact list is the standard output
    }
    if (o.json) {
        detail::json_writer w(out);
        w.begin_object();
        w.field("model", to_string(sc.model));
        w.field("customers", static_cast<std::uint64_t>(plan.customers));
        w.field("contacts", static_cast<std::uint64_t>(list.size()));
        w.field("within_days", o.within_days);
        w.field("lead_days", o.lead_days);
        w.field("value_at_risk", plan.value_at_risk);
        w.key("top").begin_array();
        for (std::size_t k = 0; k < std::min<std::size_t>(list.size(), 10); ++k) {
            const contact_entry& c = list[k];
            w.begin_object();
            w.field("customer_id", s.keys[c.customer]);
            w.field("call_date", date_or_empty(c.call_date));
            w.field("next_purchase_date", date_or_empty(c.next_purchase_date));
            w.field("p_alive", c.p_alive);
            w.field("clv", c.clv);
            w.end_object();
        }
        w.end_array();
        w.end_object();
        out << '\n';
        return;
    }
    out << count(list.size()) << " customers expected to buy within " << num(o.within_days, 0)
        << " days, worth " << money(plan.value_at_risk) << " of lifetime value; call "
        << num(o.lead_days, 0) << " days before\n";
    out << "  customer             call on      expected     P(alive)          CLV\n";
    for (std::size_t k = 0; k < std::min<std::size_t>(list.size(), 10); ++k) {
        const contact_entry& c = list[k];
        char line[160];
        std::snprintf(line, sizeof line, "  %-20s %-12s %-12s %8.3f %12s\n",
                      s.keys[c.customer].c_str(), date_or_empty(c.call_date).c_str(),
                      date_or_empty(c.next_purchase_date).c_str(), c.p_alive, money(c.clv).c_str());
        out << line;
    }
    if (!o.out.empty()) out << "  contact list written to " << o.out << "\n";
}

void report_retention_text(std::ostream& out, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers) {
    const bg_nbd_params bg = bg_nbd_params_from(r.purchase);
    const auto n = static_cast<double>(r.customers);
    out << "\nRetention (BG/NBD on days" << (r.spend ? ", Gamma-Gamma spend" : "") << ")\n";
    out << "  model                r " << num(bg.r, 3) << ", alpha " << num(bg.alpha, 2) << ", a "
        << num(bg.a, 3) << ", b " << num(bg.b, 3) << "  ("
        << (r.purchase.report.converged ? "converged" : "NOT converged") << ")\n";
    out << "  expected alive       "
        << count(static_cast<std::size_t>(std::llround(r.expected_alive))) << " of "
        << count(r.customers) << " customers (" << pct(r.expected_alive / n) << ")";
    if (r.too_new > 0) out << "; " << count(r.too_new) << " first seen on the last day left out";
    out << "\n";
    out << "  at risk              " << count(r.at_risk)
        << " customers with P(alive) < 50%, who brought " << money(r.at_risk_revenue) << " ("
        << pct(r.revenue != 0 ? r.at_risk_revenue / r.revenue : 0.0) << " of revenue)\n";
    out << "  next 90 days         "
        << count(static_cast<std::size_t>(std::llround(r.expected_purchases)))
        << " purchases expected\n";
    if (!r.spend) {
        out << "  lifetime value       not computed: " << r.spend_reason << "\n";
        return;
    }
    out << "  lifetime value       " << money(r.clv_total) << " over 12 months (1% a month)\n";
    out << "  top lifetime values ";
    for (std::size_t k = 0; k < r.top_customers.size(); ++k)
        out << (k == 0 ? " " : ", ") << csv_key(customers, summary.customer[r.top_customers[k]])
            << " (" << money(r.top_clv[k]) << ")";
    out << "\n";
}

void report_retention_json(detail::json_writer& w, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers) {
    w.key("retention").begin_object();
    w.field("model", "bgnbd");
    w.key("params").begin_object();
    for (std::size_t j = 0; j < r.purchase.names.size(); ++j)
        w.field(r.purchase.names[j], r.purchase.params[j]);
    w.end_object();
    w.field("log_likelihood", r.purchase.log_likelihood);
    w.field("converged", r.purchase.report.converged);
    w.field("customers", static_cast<std::uint64_t>(r.customers));
    w.field("customers_too_new", static_cast<std::uint64_t>(r.too_new));
    w.field("expected_alive", r.expected_alive);
    w.field("at_risk", static_cast<std::uint64_t>(r.at_risk));
    w.field("at_risk_revenue", r.at_risk_revenue);
    w.field("expected_purchases_90d", r.expected_purchases);
    if (r.spend) {
        w.key("spend_params").begin_object();
        w.field("p", r.spend->params[0]).field("q", r.spend->params[1]);
        w.field("gamma", r.spend->params[2]);
        w.end_object();
        w.field("clv_12m_total", r.clv_total);
        w.key("top_clv").begin_array();
        for (std::size_t k = 0; k < r.top_customers.size(); ++k) {
            w.begin_object();
            w.field("customer_id", csv_key(customers, summary.customer[r.top_customers[k]]));
            w.field("clv", r.top_clv[k]);
            w.end_object();
        }
        w.end_array();
    } else {
        w.field("spend_reason", r.spend_reason);
    }
    w.end_object();
}

namespace {

// The summary's time axis when it has no time_unit / unit_scale columns (recorded in the fit).
void add_unit_options(CLI::App& cmd, summary_flags& f) {
    cmd.add_option("--time-unit", f.time_unit,
                   "Unit of recency and T when the summary has no time_unit column: hours, "
                   "days (default), weeks or months");
    cmd.add_option_function<double>(
        "--unit-scale", [&f](const double& v) { f.unit_scale = v; },
        "Scale of recency and T when the summary has no unit_scale column (default 1)");
}

// The options `score` and `contacts` share.
std::shared_ptr<std::pair<score_cli_options, std::string>> add_score_options(CLI::App& cmd) {
    auto o = std::make_shared<std::pair<score_cli_options, std::string>>();
    o->second = "text";
    score_cli_options& sc = o->first;
    cmd.add_option("file", sc.file, "Customer summary CSV (custometrics summarize --out)")
        ->required();
    cmd.add_option("--params", sc.params, "JSON from custometrics fit --out (or --format json)")
        ->required();
    cmd.add_option("--model", sc.model, "bgnbd, mbgnbd or pnbd (default: from --params)");
    cmd.add_option("--spend-params", sc.spend_params,
                   "JSON of a Gamma-Gamma fit: adds expected spend and lifetime value");
    add_unit_options(cmd, sc.units);
    cmd.add_option("--as-of", sc.units.as_of,
                   "End of the summary period when the summary has no observation_end "
                   "column (default: first_purchase + T per customer)");
    cmd.add_option("--clv-months", sc.clv_months, "Lifetime value horizon in months")
        ->capture_default_str();
    cmd.add_option("--discount-rate", sc.discount_rate, "Discount rate per month")
        ->capture_default_str();
    return o;
}

/// Runs `run` and names the command-line flag, not the core's argument, in an
/// `invalid_argument` about one of `flags` ({core argument, flag}): the error's `argument` field
/// says which input it is about, and the message starts with it.
template <class Run>
void naming_flags(std::span<const std::pair<std::string_view, std::string_view>> flags, Run&& run) {
    try {
        run();
    } catch (const invalid_argument& e) {
        for (const auto& [argument, flag] : flags) {
            const std::string prefix = std::string(argument) + ": ";
            const std::string_view what = e.what();
            if (e.argument() != argument || !what.starts_with(prefix)) continue;
            error_context c = e.context();
            c.argument = flag;
            throw invalid_argument(
                std::string(flag) + ": " + std::string(what.substr(prefix.size())), std::move(c));
        }
        throw;
    }
}

/// The core's names of the options `score` and `contacts` pass on, with their flags.
constexpr std::pair<std::string_view, std::string_view> score_flags[] = {
    {"horizon", "--horizon"},
    {"within_days", "--within-days"},
    {"lead_days", "--lead-days"},
    {"clv_options.months", "--clv-months"},
    {"clv_options.discount_rate", "--discount-rate"},
    {"unit_scale", "--unit-scale"},
    {"time_unit", "--time-unit"},
    {"as_of", "--as-of"},
};

} // namespace

void register_fit(CLI::App& app) {
    auto o = std::make_shared<std::pair<fit_cli_options, std::string>>();
    o->second = "text";
    fit_cli_options& f = o->first;
    auto* fit = app.add_subcommand(
        "fit", "Fit a retention model (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma) to a summary");
    fit->add_option("file", f.file,
                    "Customer summary CSV (custometrics summarize --out): frequency, recency, T "
                    "[, monetary_value]")
        ->required();
    fit->add_option("--model", f.model, "bgnbd, mbgnbd, pnbd or gamma-gamma")
        ->capture_default_str();
    fit->add_option("--penalizer", f.penalizer,
                    "L2 penalty on the parameters (lifetimes' penalizer_coef)")
        ->capture_default_str();
    fit->add_option("--out", f.out, "Also write the JSON result to this file");
    add_unit_options(*fit, f.units);
    add_format(*fit, o->second);
    fit->callback([o] {
        fit_cli_options opt = o->first;
        opt.json = o->second == "json";
        naming_flags(score_flags, [&] { run_fit(std::cout, opt); });
    });
}

void register_score(CLI::App& app) {
    auto* sc = app.add_subcommand(
        "score", "P(alive), expected purchases, spend, lifetime value and next purchase date");
    auto o = add_score_options(*sc);
    sc->add_option("--horizon", o->first.horizon, "Periods ahead for expected purchases")
        ->capture_default_str();
    sc->add_option("--out", o->first.out,
                   "Scores CSV: customer_id,p_alive,expected_purchases,expected_spend,clv,"
                   "next_purchase_date");
    add_format(*sc, o->second);
    sc->callback([o] {
        score_cli_options opt = o->first;
        opt.json = o->second == "json";
        naming_flags(score_flags, [&] { run_score(std::cout, opt); });
    });
}

void register_contacts(CLI::App& app) {
    auto* ct = app.add_subcommand(
        "contacts", "Customers to call before their next purchase, ranked by lifetime value");
    auto o = add_score_options(*ct);
    ct->add_option("--within-days", o->first.within_days,
                   "List customers whose next purchase is expected within this many days")
        ->capture_default_str();
    ct->add_option("--lead-days", o->first.lead_days, "Call this many days before")
        ->capture_default_str();
    ct->add_option("--top", o->first.top, "At most this many customers (0 = all)")
        ->check(whole_number())
        ->capture_default_str();
    ct->add_option("--out", o->first.out,
                   "Contacts CSV: customer_id,call_date,next_purchase_date,p_alive,clv");
    add_format(*ct, o->second);
    ct->callback([o] {
        score_cli_options opt = o->first;
        opt.json = o->second == "json";
        naming_flags(score_flags, [&] { run_contacts(std::cout, opt); });
    });
}

} // namespace custometrics::cli
