// The `custometrics` command-line tool: generate, summarize, report, pareto, break-even, rfm,
// segments, attractiveness, the retention models (fit, score, contacts), loyalty and
// profitability.
//
// Every subcommand accepts `--format json` to print one JSON object on stdout instead of text,
// and exits with status 1 and a one-line message on stderr on error (2 for usage errors).
#include "break_even_cli.hpp"
#include "command.hpp"
#include "loyalty_cli.hpp"
#include "pareto_cli.hpp"
#include "report.hpp"
#include "retention_cli.hpp"
#include "segments_cli.hpp"
#include "text.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/generate.hpp"
#include "custometrics/summary.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>

using namespace custometrics;
using custometrics::cli::add_format;
using custometrics::cli::column_args;
using custometrics::cli::number_text;
using custometrics::cli::open_out;

namespace {

// Writes the summary table as CSV, with its time axis and end as the last columns (read back by
// fit, score and contacts).
void write_summary_csv(std::ostream& out, const customer_summary& s, const key_index& keys) {
    const bool h = s.has_holdout();
    const std::string sfx = h ? "_cal" : "";
    out << "customer_id,frequency" << sfx << ",recency" << sfx << ",T" << sfx << ",monetary_value"
        << sfx;
    if (h) out << ",frequency_holdout,monetary_value_holdout,duration_holdout";
    out << ",revenue,returns";
    if (!s.profit.empty()) out << ",profit";
    out << ",n_purchases,n_returns,orders,first_purchase,last_purchase,time_unit,unit_scale,"
           "observation_end";
    if (h) out << ",calibration_end";
    out << '\n';
    // The time axis and end as constant columns: they survive row filtering and any CSV tool.
    std::string axis = ',' + std::string(to_string(s.unit)) + ',' + number_text(s.unit_scale) +
                       ',' + format_time(s.observation_end);
    if (h) axis += ',' + format_time(*s.calibration_end);
    for (std::size_t k = 0; k < s.size(); ++k) {
        out << csv_key(keys, s.customer[k]) << ',' << number_text(s.frequency[k]) << ','
            << number_text(s.recency[k]) << ',' << number_text(s.T[k]) << ','
            << number_text(s.monetary_value[k]);
        if (h)
            out << ',' << number_text(s.frequency_holdout[k]) << ','
                << number_text(s.monetary_value_holdout[k]) << ','
                << number_text(s.duration_holdout);
        out << ',' << number_text(s.revenue[k]) << ',' << number_text(s.returns[k]);
        if (!s.profit.empty()) out << ',' << number_text(s.profit[k]);
        out << ',' << s.n_purchases[k] << ',' << s.n_returns[k] << ',' << s.orders[k] << ','
            << (s.first_purchase[k] == no_time ? "" : format_time(s.first_purchase[k])) << ','
            << (s.last_purchase[k] == no_time ? "" : format_time(s.last_purchase[k])) << axis
            << '\n';
    }
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "custometrics: customer segmentation and retention scoring from a transaction log"};
    app.set_version_flag("--version", CUSTOMETRICS_VERSION_STRING);
    app.require_subcommand(1);

    // summarize
    std::string sum_in, sum_out, sum_unit = "days", sum_obs, sum_cal, sum_returns = "exclude",
                                 sum_late = "error", sum_format = "text";
    double sum_scale = 1.0;
    bool sum_include_first = false;
    column_args sum_cols;
    auto* s = app.add_subcommand("summarize",
                                 "Per-customer frequency, recency, T, monetary value and totals");
    s->add_option("file", sum_in, "Transaction CSV")->required();
    sum_cols.add_to(*s);
    s->add_option("--time-unit", sum_unit, "Purchase period: days, weeks or months")
        ->capture_default_str();
    s->add_option("--unit-scale", sum_scale,
                  "Divide recency, T and duration by this (e.g. days / 7 = weeks)")
        ->capture_default_str();
    s->add_option("--observation-end", sum_obs,
                  "Last day observed (default: the last transaction)");
    s->add_option("--calibration-end", sum_cal,
                  "End of the calibration period: adds holdout columns");
    s->add_option("--returns", sum_returns,
                  "Negative amounts: exclude (default) or net (as lifetimes)")
        ->capture_default_str();
    s->add_option("--late", sum_late, "Rows after the observation end: error (default) or drop")
        ->capture_default_str();
    s->add_flag("--include-first-transaction", sum_include_first,
                "Count the first purchase period in frequency and monetary value");
    s->add_option("--out", sum_out, "Output CSV file (default: standard output)");
    add_format(*s, sum_format);

    // report
    std::string rep_in, rep_format = "text";
    column_args rep_cols;
    std::size_t rep_customers = 10'000;
    std::uint64_t rep_seed = 42;
    auto* r = app.add_subcommand(
        "report", "A readable overview of a transaction log (default: a generated sample)");
    r->add_option("file", rep_in,
                  "Transaction CSV (default: a generated sample of 10,000 customers)");
    rep_cols.add_to(*r);
    r->add_option("--sample-customers", rep_customers, "Customers in the generated sample")
        ->capture_default_str();
    r->add_option("--sample-seed", rep_seed, "Seed of the generated sample")->capture_default_str();
    std::optional<double> rep_fixed_per_month;
    r->add_option_function<double>(
        "--fixed-costs-per-month",
        [&rep_fixed_per_month](const double& v) { rep_fixed_per_month = v; },
        "Adds a break-even section: the date revenue covers cost of goods plus these fixed costs");
    std::string rep_signals, rep_costs;
    r->add_option("--signals", rep_signals,
                  "Per-customer signals CSV for the loyalty section (see `loyalty --help`)");
    r->add_option("--costs", rep_costs, "Cost-rate JSON for the profitability section");
    add_format(*r, rep_format);

    // pareto
    std::string par_in, par_by = "customer", par_measure = "revenue", par_ps, par_pe, par_cs,
                        par_ce, par_out, par_rule = "before", par_format = "text";
    pareto_options par_opt;
    column_args par_cols;
    auto* p = app.add_subcommand(
        "pareto", "80/20 curve, ABC classes, Gini, whale curve and period comparison");
    p->add_option("file", par_in, "Transaction CSV")->required();
    par_cols.add_to(*p);
    p->add_option("--by", par_by, "Entities: customer, product, channel, or any column of the file")
        ->capture_default_str();
    p->add_option("--measure", par_measure,
                  "Indicator: revenue, profit, quantity, or any numeric column")
        ->capture_default_str();
    p->add_option("--period-start", par_ps, "First day of the period analysed");
    p->add_option("--period-end", par_pe, "Last day of the period analysed (inclusive)");
    p->add_option("--compare-start", par_cs, "First day of the earlier period to compare with");
    p->add_option("--compare-end", par_ce, "Last day of the earlier period (inclusive)");
    p->add_option("--a-threshold", par_opt.a_threshold, "Cumulative share closing class A")
        ->capture_default_str();
    p->add_option("--b-threshold", par_opt.b_threshold, "Cumulative share closing class B")
        ->capture_default_str();
    p->add_option("--rule", par_rule,
                  "Class boundary: before (A while the share before is below the threshold) "
                  "or including")
        ->check(CLI::IsMember({"before", "including"}))
        ->capture_default_str();
    p->add_option("--out", par_out, "Write key,value,rank,cum_share,class per entity to this CSV");
    add_format(*p, par_format);

    // break-even
    cli::break_even_options be_opt;
    column_args be_cols;
    std::string be_format = "text";
    auto* b = app.add_subcommand(
        "break-even", "Break-even units and revenue (one product or a sales mix), or the "
                      "break-even date of a transaction log");
    be_opt.add_to(*b);
    be_cols.add_to(*b);
    add_format(*b, be_format);

    // fit
    cli::fit_cli_options fit_opt;
    std::string fit_format = "text";
    auto* fit = app.add_subcommand(
        "fit", "Fit a retention model (BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma) to a summary");
    fit->add_option("file", fit_opt.file,
                    "Customer summary CSV (custometrics summarize --out): frequency, recency, T "
                    "[, monetary_value]")
        ->required();
    fit->add_option("--model", fit_opt.model, "bgnbd, mbgnbd, pnbd or gamma-gamma")
        ->capture_default_str();
    fit->add_option("--penalizer", fit_opt.penalizer,
                    "L2 penalty on the parameters (lifetimes' penalizer_coef)")
        ->capture_default_str();
    fit->add_option("--out", fit_opt.out, "Also write the JSON result to this file");
    // The summary's time axis when it has no time_unit / unit_scale columns (recorded in the fit).
    auto unit_options = [](CLI::App& cmd, cli::summary_flags& f) {
        cmd.add_option("--time-unit", f.time_unit,
                       "Unit of recency and T when the summary has no time_unit column: hours, "
                       "days (default), weeks or months");
        cmd.add_option_function<double>(
            "--unit-scale", [&f](const double& v) { f.unit_scale = v; },
            "Scale of recency and T when the summary has no unit_scale column (default 1)");
    };
    unit_options(*fit, fit_opt.units);
    add_format(*fit, fit_format);

    // score and contacts share their options
    cli::score_cli_options sc_opt;
    std::string sc_format = "text";
    auto score_options = [&sc_opt, &unit_options](CLI::App& cmd) {
        cmd.add_option("file", sc_opt.file, "Customer summary CSV (custometrics summarize --out)")
            ->required();
        cmd.add_option("--params", sc_opt.params,
                       "JSON from custometrics fit --out (or --format json)")
            ->required();
        cmd.add_option("--model", sc_opt.model, "bgnbd, mbgnbd or pnbd (default: from --params)");
        cmd.add_option("--spend-params", sc_opt.spend_params,
                       "JSON of a Gamma-Gamma fit: adds expected spend and lifetime value");
        unit_options(cmd, sc_opt.units);
        cmd.add_option("--as-of", sc_opt.units.as_of,
                       "End of the summary period when the summary has no observation_end "
                       "column (default: first_purchase + T per customer)");
        cmd.add_option("--clv-months", sc_opt.clv_months, "Lifetime value horizon in months")
            ->capture_default_str();
        cmd.add_option("--discount-rate", sc_opt.discount_rate, "Discount rate per month")
            ->capture_default_str();
    };
    auto* sc = app.add_subcommand(
        "score", "P(alive), expected purchases, spend, lifetime value and next purchase date");
    score_options(*sc);
    sc->add_option("--horizon", sc_opt.horizon, "Periods ahead for expected purchases")
        ->capture_default_str();
    sc->add_option("--out", sc_opt.out,
                   "Scores CSV: customer_id,p_alive,expected_purchases,expected_spend,clv,"
                   "next_purchase_date");
    add_format(*sc, sc_format);
    auto* ct = app.add_subcommand(
        "contacts", "Customers to call before their next purchase, ranked by lifetime value");
    score_options(*ct);
    ct->add_option("--within-days", sc_opt.within_days,
                   "List customers whose next purchase is expected within this many days")
        ->capture_default_str();
    ct->add_option("--lead-days", sc_opt.lead_days, "Call this many days before")
        ->capture_default_str();
    ct->add_option("--top", sc_opt.top, "At most this many customers (0 = all)")
        ->capture_default_str();
    ct->add_option("--out", sc_opt.out,
                   "Contacts CSV: customer_id,call_date,next_purchase_date,p_alive,clv");
    add_format(*ct, sc_format);
    cli::register_generate(app);
    cli::register_loyalty(app);
    cli::register_profitability(app);
    cli::register_rfm(app);
    cli::register_segments(app);
    cli::register_attractiveness(app);

    try {
        // The subcommands registered with a callback run inside parse().
        app.parse(argc, argv);
        if (*s) {
            const transaction_log log = read_transactions_csv(sum_in, sum_cols.resolve());
            summary_options so;
            so.unit = parse_time_unit(sum_unit, "--time-unit");
            so.unit_scale = sum_scale;
            if (!sum_obs.empty())
                so.observation_end = parse_time_or_throw(sum_obs, "--observation-end");
            if (!sum_cal.empty())
                so.calibration_end = parse_time_or_throw(sum_cal, "--calibration-end");
            so.returns = parse_returns_policy(sum_returns, "--returns");
            so.late = parse_late_policy(sum_late, "--late");
            so.include_first_transaction = sum_include_first;
            const customer_summary sm = summarize(log.view(), so);
            if (sum_out.empty() || sum_out == "-") {
                if (sum_format == "json")
                    throw invalid_argument(
                        "--out", "required with --format json (the table goes to the file)");
                write_summary_csv(std::cout, sm, log.customer_keys);
            } else {
                std::ofstream f = open_out(sum_out);
                write_summary_csv(f, sm, log.customer_keys);
                cli::close_out(f, sum_out);
            }
            if (sum_format == "json") {
                detail::json_writer w(std::cout);
                w.begin_object()
                    .field("out", sum_out)
                    .field("rows_read", static_cast<std::uint64_t>(log.size()));
                w.field("rows_used", static_cast<std::uint64_t>(sm.rows_used));
                w.field("rows_dropped_after_end",
                        static_cast<std::uint64_t>(sm.rows_dropped_after_end));
                w.field("customers", static_cast<std::uint64_t>(sm.size()));
                w.field("customers_without_purchase",
                        static_cast<std::uint64_t>(sm.customers_without_purchase.size()));
                w.field("time_unit", to_string(sm.unit)).field("unit_scale", sm.unit_scale);
                w.field("observation_end", format_time(sm.observation_end));
                if (sm.calibration_end) {
                    w.field("calibration_end", format_time(*sm.calibration_end));
                    w.field("duration_holdout", sm.duration_holdout);
                }
                w.end_object();
            } else if (!sum_out.empty() && sum_out != "-") {
                std::cout << "wrote the summary of " << sm.size() << " customers to " << sum_out
                          << "\n";
            }
            if (!sm.customers_without_purchase.empty() || sm.rows_dropped_after_end > 0)
                std::cerr << "custometrics: note: " << sm.customers_without_purchase.size()
                          << " customers without a purchase in the window are not in the table; "
                          << sm.rows_dropped_after_end
                          << " rows after the observation end were dropped\n";
        } else if (*p) {
            // A dimension or measure that is not a built-in name is a column of the file, read as
            // the product key (dimension) or the quantity (measure).
            csv_columns cols = par_cols.resolve();
            dimension dim = dimension::customer;
            if (par_by == "product")
                dim = dimension::product;
            else if (par_by == "channel")
                dim = dimension::channel;
            else if (par_by != "customer") {
                if (cols.product && *cols.product != par_by)
                    throw invalid_argument("--by " + par_by +
                                           ": cannot be combined with --product " + *cols.product);
                cols.product = par_by;
                dim = dimension::product;
            }
            measure mea = measure::revenue;
            if (par_measure == "profit") {
                mea = measure::profit;
            } else if (par_measure == "quantity") {
                mea = measure::quantity;
            } else if (par_measure != "revenue") {
                if (cols.quantity && *cols.quantity != par_measure)
                    throw invalid_argument("--measure " + par_measure +
                                           ": cannot be combined with --quantity " +
                                           *cols.quantity);
                cols.quantity = par_measure;
                mea = measure::quantity;
            }
            auto day_end = [](const std::string& text, const char* arg) {
                return inclusive_end(parse_time_or_throw(text, arg)); // a date: its whole day
            };
            time_window period;
            if (!par_ps.empty()) period.start = parse_time_or_throw(par_ps, "--period-start");
            if (!par_pe.empty()) period.end = day_end(par_pe, "--period-end");
            std::optional<time_window> compare;
            if (!par_cs.empty() || !par_ce.empty()) {
                if (par_cs.empty() || par_ce.empty())
                    throw invalid_argument(
                        "--compare-start and --compare-end: give both or neither");
                compare = time_window{parse_time_or_throw(par_cs, "--compare-start"),
                                      day_end(par_ce, "--compare-end")};
            }
            par_opt.rule =
                par_rule == "including" ? boundary_rule::including : boundary_rule::before;
            const transaction_log log = read_transactions_csv(par_in, cols);
            cli::print_pareto(std::cout, log, dim, mea, period, compare, par_out,
                              par_format == "json", par_by, par_measure, par_opt);
        } else if (*r) {
            if (rep_in.empty()) {
                generate_options o;
                o.customers = rep_customers;
                o.seed = rep_seed;
                const generated_log sample = generate_transactions(o);
                cli::print_report(std::cout, sample.log,
                                  "generated sample (" + std::to_string(rep_customers) +
                                      " customers, seed " + std::to_string(rep_seed) + ")",
                                  rep_format == "json", rep_fixed_per_month, rep_signals,
                                  rep_costs);
            } else {
                const transaction_log log = read_transactions_csv(rep_in, rep_cols.resolve());
                cli::print_report(std::cout, log, rep_in, rep_format == "json", rep_fixed_per_month,
                                  rep_signals, rep_costs);
            }
        } else if (*b) {
            be_opt.columns = be_cols.resolve();
            cli::print_break_even(std::cout, be_opt, be_format == "json");
        } else if (*fit) {
            fit_opt.json = fit_format == "json";
            cli::run_fit(std::cout, fit_opt);
        } else if (*sc) {
            sc_opt.json = sc_format == "json";
            cli::run_score(std::cout, sc_opt);
        } else if (*ct) {
            sc_opt.json = sc_format == "json";
            cli::run_contacts(std::cout, sc_opt);
        }
    } catch (const CLI::ParseError& e) {
        // --help and --version exit 0; every other parse error is a usage error: status 2.
        return app.exit(e) == 0 ? 0 : 2;
    } catch (const std::exception& e) {
        std::cerr << "custometrics: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
