// The `custometrics break-even` subcommand (see break_even_cli.hpp).
#include "break_even_cli.hpp"

#include "command.hpp"

#include "custometrics/csv_table.hpp"

#include "format.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <ostream>
#include <vector>

namespace custometrics::cli {
namespace {

// A sales mix file: `product,price,unit_variable_cost,mix` (any column order, more columns
// ignored), a CSV read by csv_table (quoted fields, comments and blank lines skipped).
struct mix_table {
    std::vector<std::string> product;
    std::vector<double> price, unit_variable_cost, share;
};

constexpr std::array<const char*, 4> mix_columns = {"product", "price", "unit_variable_cost",
                                                    "mix"};

// Position of each of `mix_columns` in the header on line 1 of `path`.
std::array<std::size_t, 4> find_mix_columns(const std::vector<std::string>& header,
                                            const std::string& path, std::size_t line_no) {
    std::array<std::size_t, 4> col{};
    for (std::size_t k = 0; k < mix_columns.size(); ++k) {
        const auto it = std::find(header.begin(), header.end(), mix_columns[k]);
        if (it == header.end()) {
            std::string have;
            for (const auto& h : header)
                have += (have.empty() ? "" : ", ") + h;
            throw parse_error(path, line_no, mix_columns[k], "",
                              "missing column (the header has: " + have + ")");
        }
        col[k] = static_cast<std::size_t>(it - header.begin());
    }
    return col;
}

// The number in `text` of column `name` (the side files' one number parser); > 0 when
// `positive`, else >= 0.
double mix_number(std::string_view text, const std::string& path, std::size_t line_no,
                  const char* name, bool positive) {
    const double x = parse_number_field(text, path, line_no, name);
    if (x < 0.0 || (positive && x == 0.0))
        throw parse_error(path, line_no, name, std::string(text),
                          positive ? "must be finite and > 0" : "must be finite and >= 0");
    return x;
}

// The mix file, read by the one reader of the side files (csv_table.hpp: quoting, comments,
// blank lines, a byte order mark, `-` for standard input).
mix_table read_mix(const std::string& path) {
    csv_table table;
    try {
        table = read_csv_table(path);
    } catch (const invalid_argument& e) {
        if (e.argument() != "path") throw;
        throw invalid_argument("--mix", "cannot open \"" + path + "\"", path);
    }
    const std::array<std::size_t, 4> col =
        find_mix_columns(table.header, table.source, table.header_line);
    mix_table t;
    for (std::size_t r = 0; r < table.size(); ++r) {
        const std::vector<std::string>& fields = table.rows[r];
        const std::size_t line_no = table.line[r];
        if (fields[col[0]].empty())
            throw parse_error(table.source, line_no, "product", "", "empty product name");
        t.product.push_back(fields[col[0]]);
        t.price.push_back(mix_number(fields[col[1]], table.source, line_no, mix_columns[1], true));
        t.unit_variable_cost.push_back(
            mix_number(fields[col[2]], table.source, line_no, mix_columns[2], false));
        t.share.push_back(mix_number(fields[col[3]], table.source, line_no, mix_columns[3], false));
    }
    if (t.product.empty()) throw invalid_argument("--mix", "\"" + path + "\" has no products");
    return t;
}

// Throws unless exactly the options of the chosen form are given.
void require_given(const std::optional<double>& x, const char* option, const char* form) {
    if (!x) throw invalid_argument(option, "required " + std::string(form));
}
void forbid(bool given, const char* option, const char* form) {
    if (given) throw invalid_argument(option, "not used " + std::string(form));
}

// JSON value of a figure that exists only when `defined`.
void field_or_null(detail::json_writer& w, const char* name, bool defined, double x) {
    w.key(name);
    if (defined)
        w.value(x);
    else
        w.null();
}

void note(const std::string& text) {
    std::cerr << "custometrics: note: " << text << "\n";
}

void print_single(std::ostream& out, const break_even_options& o, bool json) {
    break_even_inputs in;
    in.model = cvp_model{*o.fixed_costs, *o.price, *o.unit_variable_cost};
    in.sales_units = o.sales_units;
    in.target_profit = o.target_profit;
    in.tax_rate = o.tax_rate.value_or(0.0);
    in.depreciation = o.depreciation;
    const break_even_analysis_result a = break_even_analysis(in);
    const break_even_point& be = a.break_even;
    const auto& target = a.target;
    const auto& mos = a.margin_of_safety;
    const auto& dol = a.operating_leverage;
    const auto& cash = a.cash_break_even;

    if (json) {
        detail::json_writer w(out);
        w.begin_object();
        for (const break_even_figure& f : a.figures())
            field_or_null(w, std::string(f.name).c_str(), f.defined, f.value);
        w.end_object();
        // The keys are fixed; the reason for a null goes to standard error.
        if (!be.defined)
            note(be.reason);
        else if (target && !target->defined)
            note("target_units: " + target->reason);
        if (dol && !dol->defined) note("operating_leverage: " + dol->reason);
        return;
    }
    out << "Break-even analysis: one product\n";
    out << "  contribution margin  " << num(be.contribution_margin) << " per unit ("
        << pct(be.contribution_margin_ratio) << " of the price)\n";
    if (!be.defined) {
        out << "  break-even           none: " << be.reason << "\n";
        return;
    }
    out << "  break-even           " << num(be.units) << " units, revenue " << num(be.revenue)
        << "\n";
    if (target) {
        out << "  target profit        ";
        if (!target->defined) {
            out << "not reachable: " << target->reason << "\n";
        } else {
            out << num(target->units) << " units, revenue " << num(target->revenue) << " (profit "
                << num(target->pre_tax_profit) << " before tax";
            if (o.tax_rate && *o.tax_rate > 0.0)
                out << ", " << num(*o.target_profit) << " after " << pct(*o.tax_rate) << " tax";
            out << ")\n";
        }
    }
    if (mos) {
        out << "  margin of safety     " << num(mos->units) << " units, revenue "
            << num(mos->revenue);
        if (mos->defined) out << ", " << pct(mos->ratio) << " of sales";
        out << "\n";
        out << "  operating leverage   "
            << (dol->defined ? num(dol->degree) : "undefined: " + dol->reason) << "\n";
    }
    if (cash)
        out << "  cash break-even      " << num(cash->units) << " units, revenue "
            << num(cash->revenue) << " (without " << num(*o.depreciation)
            << " of non-cash costs)\n";
}

void print_mix(std::ostream& out, const break_even_options& o, bool json) {
    const mix_table t = read_mix(o.mix_file);
    const mix_basis basis = o.mix_basis == "revenue" ? mix_basis::revenue : mix_basis::units;
    // Errors name the file's columns (mix_columns) and the product; the file name is added here.
    const mix_names names{mix_columns[0], mix_columns[1], mix_columns[2], mix_columns[3]};
    mix_break_even r;
    try {
        r = break_even_mix(*o.fixed_costs, t.product, t.price, t.unit_variable_cost, t.share, basis,
                           default_mix_tolerance, names);
    } catch (const invalid_argument& e) {
        throw invalid_argument(o.mix_file + ": " + e.what(), e.context());
    }
    if (json) {
        detail::json_writer w(out);
        w.begin_object();
        w.field("fixed_costs", *o.fixed_costs).field("mix_basis", o.mix_basis);
        w.field("weighted_contribution_margin", r.weighted_contribution_margin);
        w.field("weighted_contribution_margin_ratio", r.weighted_contribution_margin_ratio);
        w.field("average_price", r.average_price);
        w.field("defined", r.defined);
        if (!r.defined) w.field("reason", r.reason);
        field_or_null(w, "break_even_units", r.defined, r.units);
        field_or_null(w, "break_even_revenue", r.defined, r.revenue);
        w.key("products").begin_array();
        for (std::size_t i = 0; i < t.product.size(); ++i) {
            w.begin_object().field("product", t.product[i]);
            w.field("unit_share", r.unit_share[i]).field("revenue_share", r.revenue_share[i]);
            field_or_null(w, "break_even_units", r.defined, r.product_units[i]);
            field_or_null(w, "break_even_revenue", r.defined, r.product_revenue[i]);
            w.end_object();
        }
        w.end_array().end_object();
        return;
    }
    out << "Break-even analysis: sales mix of " << t.product.size() << " products (" << o.mix_file
        << ", shares by " << o.mix_basis << ")\n";
    out << "  weighted contribution margin  " << num(r.weighted_contribution_margin)
        << " per unit (" << pct(r.weighted_contribution_margin_ratio) << " of the average price "
        << num(r.average_price) << ")\n";
    if (!r.defined) {
        out << "  break-even                    none: " << r.reason << "\n";
        return;
    }
    out << "  break-even                    " << num(r.units) << " units, revenue "
        << num(r.revenue) << "\n";
    for (std::size_t i = 0; i < t.product.size(); ++i)
        out << "    " << t.product[i] << ": " << num(r.product_units[i]) << " units, revenue "
            << num(r.product_revenue[i]) << "\n";
}

std::string month_of(std::int64_t t) {
    return format_date(t).substr(0, 7);
}

void series_json(detail::json_writer& w, const break_even_over_time_result& r) {
    const std::size_t n = r.period_start.size();
    w.field("first_month", month_of(r.period_start.front()));
    w.field("last_month", month_of(r.period_start.back()));
    w.field("cumulative_revenue", r.cumulative_revenue.back());
    w.field("cumulative_cost", r.cumulative_cost.back());
    w.field("reached", r.defined);
    if (r.defined) {
        w.field("break_even_date", format_date(r.time));
        w.field("break_even_time", format_time(r.time));
        w.field("break_even_month", month_of(r.period_start[r.period]));
    } else {
        w.key("break_even_date").null();
        w.field("remaining_gap", r.remaining_gap);
        w.field("reason", r.reason);
    }
    w.key("months").begin_array();
    for (std::size_t i = 0; i < n; ++i) {
        w.begin_object().field("month", month_of(r.period_start[i]));
        w.field("cumulative_revenue", r.cumulative_revenue[i]);
        w.field("cumulative_cost", r.cumulative_cost[i]);
        w.end_object();
    }
    w.end_array();
}

void series_text(std::ostream& out, const break_even_over_time_result& r, const char* indent) {
    const std::string pad(indent);
    out << pad << "months               " << month_of(r.period_start.front()) << " .. "
        << month_of(r.period_start.back()) << "  (" << r.period_start.size() << ")\n";
    out << pad << "cumulative revenue   " << num(r.cumulative_revenue.back()) << ", cost "
        << num(r.cumulative_cost.back()) << "\n";
    if (r.defined)
        out << pad << "break-even date      " << format_date(r.time) << "  (" << format_time(r.time)
            << ", interpolated within " << month_of(r.period_start[r.period]) << ")\n";
    else
        out << pad << "break-even date      not reached in the data: gap " << num(r.remaining_gap)
            << "\n";
}

void print_series(std::ostream& out, const break_even_options& o, bool json) {
    const transaction_log log = read_transactions_csv(o.log_file, o.columns);
    const break_even_over_time_result r =
        break_even_over_time(log.view(), *o.fixed_costs_per_month);
    if (json) {
        detail::json_writer w(out);
        w.begin_object().field("fixed_costs_per_month", *o.fixed_costs_per_month);
        series_json(w, r);
        w.end_object();
        return;
    }
    out << "Break-even over time: " << o.log_file << ", fixed costs "
        << num(*o.fixed_costs_per_month) << " per month\n";
    series_text(out, r, "  ");
}

} // namespace

void break_even_options::add_to(CLI::App& app) {
    auto number = [&app](const char* name, std::optional<double>& dst, const char* help) {
        app.add_option_function<double>(
            name, [&dst](const double& v) { dst = v; }, help);
    };
    number("--fixed-costs", fixed_costs, "Fixed costs of the period (one product or --mix)");
    number("--price", price, "Price per unit");
    number("--unit-variable-cost", unit_variable_cost, "Variable cost per unit");
    number("--sales-units", sales_units,
           "Sales volume for the margin of safety (margin_of_safety_pct is in percent) and the "
           "degree of operating leverage");
    number("--target-profit", target_profit,
           "Profit to reach (after tax when --tax-rate is given)");
    number("--tax-rate", tax_rate, "Income tax rate in [0, 1) for --target-profit");
    number("--depreciation", depreciation,
           "Non-cash part of the fixed costs, for the cash break-even point");
    app.add_option("--mix", mix_file, "Sales mix CSV: product,price,unit_variable_cost,mix");
    app.add_option("--mix-basis", mix_basis, "Mix shares are of units or of revenue")
        ->check(CLI::IsMember({"units", "revenue"}))
        ->capture_default_str();
    app.add_option("--log", log_file, "Transaction CSV with a cost column: break-even date");
    number("--fixed-costs-per-month", fixed_costs_per_month,
           "Fixed costs per calendar month (--log)");
}

void print_break_even(std::ostream& out, const break_even_options& o, bool json) {
    const bool mix = !o.mix_file.empty();
    const bool series = !o.log_file.empty();
    if (mix && series) throw invalid_argument("--mix and --log: give one or the other");
    if (mix || series) {
        const char* form = mix ? "with --mix" : "with --log";
        forbid(o.price.has_value(), "--price", form);
        forbid(o.unit_variable_cost.has_value(), "--unit-variable-cost", form);
        forbid(o.sales_units.has_value(), "--sales-units", form);
        forbid(o.target_profit.has_value(), "--target-profit", form);
        forbid(o.depreciation.has_value(), "--depreciation", form);
    }
    forbid(o.tax_rate && !o.target_profit, "--tax-rate", "without --target-profit");
    if (series) {
        forbid(o.fixed_costs.has_value(), "--fixed-costs",
               "with --log (give --fixed-costs-per-month)");
        require_given(o.fixed_costs_per_month, "--fixed-costs-per-month", "with --log");
        print_series(out, o, json);
        return;
    }
    forbid(o.fixed_costs_per_month.has_value(), "--fixed-costs-per-month", "without --log");
    require_given(o.fixed_costs, "--fixed-costs",
                  mix ? "with --mix"
                      : "for one product (or give --log and --fixed-costs-per-month)");
    if (mix) {
        print_mix(out, o, json);
        return;
    }
    require_given(o.price, "--price", "(or give --mix or --log)");
    require_given(o.unit_variable_cost, "--unit-variable-cost", "(or give --mix or --log)");
    print_single(out, o, json);
}

void report_break_even_text(std::ostream& out, const transaction_log& log,
                            double fixed_costs_per_month) {
    out << "\nBreak-even (fixed costs " << num(fixed_costs_per_month) << " per month)\n";
    if (!log.has_cost()) {
        out << "  skipped: the log has no cost column (name it with --cost, --margin or "
               "--unit-cost)\n";
        return;
    }
    series_text(out, break_even_over_time(log.view(), fixed_costs_per_month), "  ");
}

void report_break_even_json(detail::json_writer& w, const transaction_log& log,
                            double fixed_costs_per_month) {
    w.key("break_even").begin_object();
    w.field("fixed_costs_per_month", fixed_costs_per_month);
    if (!log.has_cost())
        w.field("skipped", "the log has no cost column");
    else
        series_json(w, break_even_over_time(log.view(), fixed_costs_per_month));
    w.end_object();
}

void register_break_even(CLI::App& app) {
    struct options {
        break_even_options break_even;
        column_args columns;
        std::string format = "text";
    };
    auto o = std::make_shared<options>();
    auto* b = app.add_subcommand(
        "break-even", "Break-even units and revenue (one product or a sales mix), or the "
                      "break-even date of a transaction log");
    o->break_even.add_to(*b);
    o->columns.add_to(*b);
    add_format(*b, o->format);
    b->callback([o] {
        break_even_options be = o->break_even;
        be.columns = o->columns.resolve();
        print_break_even(std::cout, be, o->format == "json");
    });
}

} // namespace custometrics::cli
