// The `custometrics break-even` subcommand (register_break_even in command.hpp; the outputs are
// documented at the writers, custometrics/output/break_even.hpp). Three forms, chosen by the
// options given: one product (--fixed-costs, --price, --unit-variable-cost and optional
// --sales-units, --target-profit [--tax-rate], --depreciation), a sales mix (--fixed-costs,
// --mix FILE.csv, --mix-basis) or over time (--log FILE.csv, --fixed-costs-per-month).
#include "command.hpp"

#include "custometrics/output/break_even.hpp"

#include <iostream>
#include <optional>

namespace custometrics::cli {
namespace {

// The options of `custometrics break-even`; the numbers are empty when not given.
struct break_even_command {
    std::optional<double> fixed_costs, price, unit_variable_cost, sales_units, target_profit,
        tax_rate, depreciation, fixed_costs_per_month;
    std::string mix_file, mix_basis = "units", log_file, format = "text";
    column_args columns;
};

void print_single(const break_even_command& o) {
    const break_even_analysis_result a = break_even_analysis(
        {cvp_model{*o.fixed_costs, *o.price, *o.unit_variable_cost}, o.sales_units, o.target_profit,
         o.tax_rate.value_or(0.0), o.depreciation});
    if (o.format != "json") return output::write_text(std::cout, a);
    write_json_object(std::cout, [&](detail::json_writer& w) { output::write_json(w, a); });
    for (const std::string& note : output::figure_notes(a)) // the reasons for the nulls
        std::cerr << "custometrics: note: " << note << "\n";
}

void print_mix(const break_even_command& o) {
    const sales_mix_table t = read_sales_mix(read_csv_table(o.mix_file, "--mix"), "--mix");
    const mix_basis basis = parse_mix_basis(o.mix_basis, "--mix-basis");
    mix_break_even r;
    try { // errors name the file's columns and the product; the file name is added here
        r = break_even_mix(*o.fixed_costs, t.product, t.price, t.unit_variable_cost, t.share, basis,
                           default_mix_tolerance,
                           {"product", "price", "unit_variable_cost", "mix"});
    } catch (const invalid_argument& e) {
        throw invalid_argument(o.mix_file + ": " + e.what(), e.context());
    }
    if (o.format != "json") return output::write_text(std::cout, r, t.product, o.mix_file, basis);
    write_json_object(std::cout, [&](detail::json_writer& w) {
        output::write_json(w, r, t.product, *o.fixed_costs, basis);
    });
}

void print_series(const break_even_command& o) {
    const transaction_log log = read_transactions_csv(o.log_file, o.columns.resolve());
    const auto r = break_even_over_time(log.view(), *o.fixed_costs_per_month);
    if (o.format != "json")
        return output::write_text(std::cout, r, o.log_file, *o.fixed_costs_per_month);
    write_json_object(std::cout, [&](detail::json_writer& w) {
        output::write_json(w.field("fixed_costs_per_month", *o.fixed_costs_per_month), r);
    });
}

void run_break_even(const break_even_command& o) {
    const break_even_form form = choose_break_even_form(
        {o.fixed_costs, o.price, o.unit_variable_cost, o.sales_units, o.target_profit, o.tax_rate,
         o.depreciation, o.fixed_costs_per_month, !o.mix_file.empty(), !o.log_file.empty()},
        {"--fixed-costs", "--price", "--unit-variable-cost", "--sales-units", "--target-profit",
         "--tax-rate", "--depreciation", "--fixed-costs-per-month", "--mix", "--log"});
    if (form == break_even_form::over_time) return print_series(o);
    if (form == break_even_form::mix) return print_mix(o);
    print_single(o);
}

} // namespace

void register_break_even(CLI::App& app) {
    const auto [o, b] = add_command<break_even_command>(
        app, "break-even",
        "Break-even units and revenue (one product or a sales mix), or the break-even date of a "
        "transaction log",
        run_break_even);
    b->add_option("--fixed-costs", o->fixed_costs,
                  "Fixed costs of the period (one product or --mix)");
    b->add_option("--price", o->price, "Price per unit");
    b->add_option("--unit-variable-cost", o->unit_variable_cost, "Variable cost per unit");
    b->add_option(
        "--sales-units", o->sales_units,
        "Sales volume for the margin of safety (margin_of_safety_pct is in percent) and the "
        "degree of operating leverage");
    b->add_option("--target-profit", o->target_profit,
                  "Profit to reach (after tax when --tax-rate is given)");
    b->add_option("--tax-rate", o->tax_rate, "Income tax rate in [0, 1) for --target-profit");
    b->add_option("--depreciation", o->depreciation,
                  "Non-cash part of the fixed costs, for the cash break-even point");
    b->add_option("--mix", o->mix_file, "Sales mix CSV: product,price,unit_variable_cost,mix");
    b->add_option("--mix-basis", o->mix_basis, "Mix shares are of units or of revenue")
        ->check(CLI::IsMember({"units", "revenue"}))
        ->capture_default_str();
    b->add_option("--log", o->log_file, "Transaction CSV with a cost column: break-even date");
    b->add_option("--fixed-costs-per-month", o->fixed_costs_per_month,
                  "Fixed costs per calendar month (--log)");
    o->columns.add_to(*b);
    add_format(*b, o->format);
}

} // namespace custometrics::cli
