// Break-even analysis (cost-volume-profit): the sales volume at which revenue covers total cost,
// for one product, a sales mix, fixed costs that step with capacity, and real revenue and cost
// series over time; the margin above it, how it moves when price or costs change, and the data
// of the break-even chart.
//
// Model. With price p per unit, unit variable cost v and fixed costs F per period, the profit of
// Q units is  profit(Q) = Q * (p - v) - F. The formulas are those of any cost accounting text,
// e.g. Horngren, Datar & Rajan, "Cost Accounting: A Managerial Emphasis", ch. 3
// (Cost-Volume-Profit Analysis), and Garrison, Noreen & Brewer, "Managerial Accounting", ch. 5-6:
//   contribution margin        cm  = p - v                 (per unit)
//   contribution margin ratio  cmr = cm / p
//   break-even units           Q*  = F / cm,   revenue  R* = Q* * p = F / cmr
//   target profit T            Q_T = (F + T) / cm;  after tax at rate t, a net target N needs
//                              T = N / (1 - t) before tax (no tax is charged on a loss, so a
//                              target N <= 0 is its own pre-tax profit)
//   margin of safety at Q      Q - Q* units, (Q - Q*) * p revenue, (Q - Q*) / Q of sales
//   operating leverage at Q    DOL = Q * cm / profit(Q)  (% change of profit per % change of
//                              sales; undefined at break-even, where profit is 0)
//   cash break-even            (F - D) / cm with D the non-cash part of F (depreciation)
// Worked example (the numbers of the tests): p 50, v 30, F 40,000 -> cm 20, cmr 0.4,
// Q* 2,000 units, R* 100,000; target 10,000 -> 2,500 units; 14,000 after 30% tax -> 20,000
// before tax -> 3,000 units; sales 2,500 -> margin of safety 500 units, 25,000, 20%;
// DOL = 50,000 / 10,000 = 5; depreciation 10,000 -> cash break-even 1,500 units.
//
// Unreachable is a result, not an error: when cm <= 0 every extra unit loses money and there is
// no break-even; results then have `defined == false`, a `reason`, and figures of 0. Invalid
// input throws `invalid_argument` naming the input and its value: fixed costs negative or not
// finite, price not finite or <= 0, unit variable cost not finite or negative, a tax rate outside
// [0, 1), sales volume negative, non-cash costs above the fixed costs, an empty mix, mix shares
// that do not sum to 1 within the tolerance, capacity bands that overlap or leave gaps. A result
// that would overflow the largest double (fixed costs 1e308 at a margin of 0.5) is never
// returned as infinity: `break_even`, `cash_break_even`, `target_profit`, `margin_of_safety`,
// `operating_leverage` and `break_even_mix` throw `invalid_argument` naming the input that
// drives it (fixed_costs, target_profit or sales_units) and its value; so do
// `break_even_stepped` (the band's fixed costs), `break_even_over_time` (the period's revenue or
// cost; from a log a `data_error` naming the amount or cost column and the month, or
// fixed_costs_per_month), `tornado` (the changed input, or sales_units for a profit),
// `price_volume_grid` (the change, by list and index, or sales_units) and
// `break_even_chart_data` (volume_max).
//
// Sales mix: several products sold in a fixed proportion behave as one product whose price and
// unit variable cost are the mix-weighted averages (Horngren et al. ch. 3, "Multiple Products";
// Garrison et al., "Break-Even Analysis with Multiple Products"). See `break_even_mix`.
// Stepped fixed costs: see `break_even_stepped`. Series over time: see `break_even_over_time`.
// Sensitivity: see `tornado` and `price_volume_grid`. Chart: see `break_even_chart_data`.
//
// Example:
//     custometrics::cvp_model m{.fixed_costs = 40'000, .price = 50, .unit_variable_cost = 30};
//     auto be = custometrics::break_even(m);        // be.units = 2000, be.revenue = 100000
//     auto mos = custometrics::margin_of_safety(m, 2500); // mos.units = 500, mos.ratio = 0.2
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/date.hpp"
#include "custometrics/error.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/transactions.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// One product's cost-volume-profit inputs: fixed costs per period, price and variable cost
/// per unit. Valid when fixed costs are finite and >= 0, the price finite and > 0 and the unit
/// variable cost finite and >= 0 (checked by every function that takes one).
struct cvp_model {
    double fixed_costs = 0.0;
    double price = 0.0;
    double unit_variable_cost = 0.0;
};

/// Throws `invalid_argument` naming the first invalid field of `m` and its value.
void validate(const cvp_model& m);

/// Operating profit of `units` sold: units * (price - unit variable cost) - fixed costs.
constexpr double profit(const cvp_model& m, double units) noexcept {
    return units * (m.price - m.unit_variable_cost) - m.fixed_costs;
}

/// A break-even point and the contribution margin it rests on.
struct break_even_point {
    double contribution_margin = 0.0;       ///< price - unit variable cost, per unit
    double contribution_margin_ratio = 0.0; ///< contribution margin / price
    bool defined = false;                   ///< false when the contribution margin is <= 0
    std::string reason;                     ///< why it is not defined, else empty
    double units = 0.0;                     ///< fixed costs / contribution margin; 0 if undefined
    double revenue = 0.0;                   ///< units * price; 0 if undefined
};

/// Break-even units and revenue of `m` (see break_even.hpp): F / (p - v) and F / cmr.
/// Example: F 40,000, p 50, v 30 -> cm 20, cmr 0.4, 2,000 units, 100,000 revenue.
break_even_point break_even(const cvp_model& m);

/// Cash break-even: the volume at which cash receipts cover the fixed costs paid in cash,
/// (F - D) / cm, with D the non-cash part of the fixed costs (depreciation, amortisation).
/// Throws `invalid_argument` naming `non_cash_costs` unless 0 <= D <= F.
/// Example: F 40,000 of which depreciation 10,000, cm 20 -> 30,000 / 20 = 1,500 units.
break_even_point cash_break_even(const cvp_model& m, double non_cash_costs);

/// Sales needed for a target profit.
struct target_profit_result {
    double pre_tax_profit = 0.0; ///< the target before tax: N / (1 - t) for N > 0, else N
    bool defined = false;        ///< false when cm <= 0, or the target is below -F (see below)
    std::string reason;
    double units = 0.0;   ///< (F + pre-tax profit) / cm
    double revenue = 0.0; ///< units * price
};

/// Units and revenue that earn `target_profit`; with `tax_rate` t > 0 the target is the net
/// profit after tax, and the profit before tax is target / (1 - t) (no tax on a loss, so a
/// target <= 0 is taken as is). A target below -F (a loss larger than at zero volume) would need
/// negative units: not defined. Throws `invalid_argument` for a non-finite target or a tax rate
/// outside [0, 1). Example: p 50, v 30, F 40,000, net target 14,000 at 30% tax -> 14,000 / 0.7
/// = 20,000 before tax -> (40,000 + 20,000) / 20 = 3,000 units, 150,000 revenue.
target_profit_result target_profit(const cvp_model& m, double target_profit, double tax_rate = 0.0);

/// Margin of safety: how far sales can fall before a loss.
struct margin_of_safety_result {
    bool defined = false; ///< false when there is no break-even or sales are 0
    std::string reason;
    double units = 0.0;   ///< sales units - break-even units (negative below break-even)
    double revenue = 0.0; ///< units * price
    double ratio = 0.0;   ///< units / sales units: the share of sales, 0.2 for 20%
};

/// Margin of safety at `sales_units` (finite, >= 0, else `invalid_argument`).
/// Example: sales 2,500, break-even 2,000 -> 500 units, 25,000 revenue, 500 / 2,500 = 20%.
margin_of_safety_result margin_of_safety(const cvp_model& m, double sales_units);

/// Degree of operating leverage at a sales level.
struct operating_leverage_result {
    double contribution = 0.0; ///< total contribution margin: sales units * cm
    double profit = 0.0;       ///< contribution - fixed costs
    bool defined = false;      ///< false at break-even (profit 0)
    std::string reason;
    double degree = 0.0; ///< contribution / profit; negative below break-even
};

/// Degree of operating leverage at `sales_units`: contribution / operating profit, the
/// percentage change of profit per percentage change of sales. Undefined when the profit is 0
/// within rounding (|profit| <= 1e-12 * max(|contribution|, F)), i.e. at break-even, where it
/// grows without bound. Below break-even it is negative; with cm <= 0 it is computed as is,
/// though there is no break-even. Example: 2,500 units, cm 20, F 40,000 -> 50,000 / 10,000 = 5.
operating_leverage_result operating_leverage(const cvp_model& m, double sales_units);

/// The inputs of `break_even_analysis`: the model and the optional inputs of the figures asked
/// for. The field names are the names the inputs go by in errors (and in Python's
/// `custometrics.break_even_analysis`).
struct break_even_inputs {
    cvp_model model;                          ///< fixed_costs, price, unit_variable_cost
    std::optional<double> sales_units = {};   ///< margin of safety and operating leverage here
    std::optional<double> target_profit = {}; ///< units for this profit (after tax at tax_rate)
    double tax_rate = 0.0;                    ///< in [0, 1), checked even without a target
    std::optional<double> depreciation = {};  ///< non-cash part of F: cash break-even
};

/// One figure of a break-even analysis: its name, whether it exists, its value, and why not.
struct break_even_figure {
    std::string_view name; ///< "break_even_units", "margin_of_safety_pct", ...
    bool defined = false;  ///< false when the figure does not exist (value 0, reason set)
    double value = 0.0;
    std::string reason; ///< why it is not defined, else empty
};

/// Every single-product figure of `custometrics break-even` (and Python's
/// `break_even_analysis`), computed once.
struct break_even_analysis_result {
    break_even_inputs inputs;                                    ///< as given
    break_even_point break_even;                                 ///< always
    std::optional<target_profit_result> target;                  ///< when target_profit is given
    std::optional<margin_of_safety_result> margin_of_safety;     ///< when sales_units is given
    std::optional<operating_leverage_result> operating_leverage; ///< when sales_units is given
    std::optional<break_even_point> cash_break_even;             ///< when depreciation is given

    /// The figures the faces show, in this order: contribution_margin,
    /// contribution_margin_ratio, break_even_units, break_even_revenue (always); target_units
    /// (with a target); margin_of_safety_units, margin_of_safety_pct (the ratio in percent, 20
    /// for 20%), operating_leverage (with sales units); cash_break_even_units (with
    /// depreciation). A figure that does not exist has `defined == false` and its reason.
    std::vector<break_even_figure> figures() const;
};

/// The single-product break-even analysis: break-even units and revenue always, the units for
/// a target profit (after tax at `tax_rate`), the margin of safety and degree of operating
/// leverage at a sales volume, and the cash break-even without the depreciation, each when its
/// input is given. One function for the CLI and Python, so both show the same figures.
///
/// Unreachable figures are results (see `break_even`, `target_profit`, `margin_of_safety`,
/// `operating_leverage`, `cash_break_even`); invalid input throws `invalid_argument` whose
/// `argument()` is the field of `break_even_inputs` (fixed_costs, price, unit_variable_cost,
/// sales_units, target_profit, tax_rate, depreciation), also when no target is given for the
/// tax rate. Example: F 40,000, p 50, v 30, sales 2,500, net target 14,000 at 30% tax,
/// depreciation 10,000 -> cm 20, ratio 0.4, 2,000 units, revenue 100,000; target 20,000 before
/// tax -> 3,000 units; margin of safety 500 units, 20%; DOL 5; cash break-even 1,500 units.
break_even_analysis_result break_even_analysis(const break_even_inputs& inputs);

/// How the shares of a sales mix are given.
enum class mix_basis {
    units,  ///< share of units sold
    revenue ///< share of revenue
};

/// "units" / "revenue" to a mix basis; throws `invalid_argument` naming `argument` (value: the
/// text) otherwise.
mix_basis parse_mix_basis(std::string_view text, std::string_view argument = "basis");

/// Shares of a mix may miss 1 by at most this much (then they are divided by their sum).
inline constexpr double default_mix_tolerance = 1e-6;

/// Break-even of a sales mix.
struct mix_break_even {
    std::vector<double> unit_share;            ///< share of units per product (sums to 1)
    std::vector<double> revenue_share;         ///< share of revenue per product (sums to 1)
    std::vector<double> contribution_margin;   ///< price - unit variable cost, per product
    double average_price = 0.0;                ///< sum unit_share * price: price of one mix unit
    double weighted_contribution_margin = 0.0; ///< sum unit_share * cm
    double weighted_contribution_margin_ratio = 0.0; ///< weighted cm / average price
    bool defined = false; ///< false when the weighted contribution margin is <= 0
    std::string reason;
    double units = 0.0;                  ///< total units: F / weighted cm
    double revenue = 0.0;                ///< units * average price
    std::vector<double> product_units;   ///< units * unit_share, per product
    std::vector<double> product_revenue; ///< product units * price, per product
};

/// Break-even of products sold in a fixed mix: `price`, `unit_variable_cost` and `share` per
/// product, the shares by units or by revenue. Shares by revenue r_i become shares by units
/// u_i = (r_i / p_i) / sum_j (r_j / p_j). Then the weighted contribution margin is
/// sum u_i (p_i - v_i), the break-even units F / that, product i's units u_i times those.
/// A product may have a negative margin; only the weighted one must be > 0.
/// Throws `invalid_argument` for an empty mix, lengths that differ, a price, unit variable cost
/// or share that is invalid (naming the column and the product index), or shares whose sum
/// differs from 1 by more than `tolerance`.
/// Example: prices 20, 30, 50, unit costs 12, 18, 35, unit shares 0.5, 0.3, 0.2, F 53,000 ->
/// weighted cm 0.5*8 + 0.3*12 + 0.2*15 = 10.6 -> 5,000 units: 2,500, 1,500 and 1,000;
/// revenue 50,000 + 45,000 + 50,000 = 145,000.
mix_break_even break_even_mix(double fixed_costs, std::span<const double> price,
                              std::span<const double> unit_variable_cost,
                              std::span<const double> share, mix_basis basis = mix_basis::units,
                              double tolerance = default_mix_tolerance);

/// The names the inputs of a sales mix go by in errors: the caller's column or argument names
/// (the CLI's mix file has a `mix` column, Python takes any column names).
struct mix_names {
    std::string product = "product";
    std::string price = "price";
    std::string unit_variable_cost = "unit_variable_cost";
    std::string share = "share";
};

/// `break_even_mix` of named products, with errors naming the inputs as `names` does.
///
/// `product` holds one name per product, or is empty (products known by position). A product
/// listed twice is an error: `invalid_argument` "product: product 'b' appears more than once"
/// (`argument()` names.product, `row()` the position of the second listing, `key()` the
/// product). Invalid prices, unit costs and shares name the input (`argument()`), the product's
/// position (`row()`) and its name (`key()`, when given) and the value. Example: products a, b,
/// a -> "product: product 'a' appears more than once", row 2.
mix_break_even break_even_mix(double fixed_costs, std::span<const std::string> product,
                              std::span<const double> price,
                              std::span<const double> unit_variable_cost,
                              std::span<const double> share, mix_basis basis, double tolerance,
                              const mix_names& names);

/// A sales mix as a file gives it: one row per product.
struct sales_mix_table {
    std::vector<std::string> product;
    std::vector<double> price, unit_variable_cost, share;
};

/// Reads a sales mix table (`read_csv_table`) with the columns `product,price,
/// unit_variable_cost,mix` in any order (more columns ignored): the input of the CLI's
/// `break-even --mix`, for `break_even_mix` with `mix_names{"product", "price",
/// "unit_variable_cost", "mix"}`.
///
/// Throws `parse_error` naming the file, line, column and value for a missing column (listing
/// the header), an empty product name, a product listed twice (naming the line of its first
/// listing), a price that is not finite and > 0, a unit variable cost or mix share that is not
/// finite and >= 0; `invalid_argument(argument, ...)` for a file without
/// products (`argument` names the input). Example: the rows `a,20,12,0.5` and `b,30,18,0.5` give
/// products {a, b}, prices {20, 30}, unit costs {12, 18} and shares {0.5, 0.5}.
sales_mix_table read_sales_mix(const csv_table& table, std::string_view argument = "mix");

/// The current sales mix of a transaction log, per product.
struct sales_mix {
    std::vector<entity_id> product;         ///< product ids (log.product_keys) in the mix
    std::vector<double> quantity;           ///< net units sold
    std::vector<double> price;              ///< net amount / net units
    std::vector<double> unit_variable_cost; ///< net cost / net units
    std::vector<double> share;              ///< share of units: quantity / total quantity
    std::vector<entity_id> excluded;        ///< products with net units <= 0, ascending id
    double excluded_amount = 0.0;           ///< net amount of the excluded products
};

/// The mix, average price and average unit cost per product of `log`, which must have product,
/// quantity and cost columns (else `invalid_argument` naming the missing one).
///
/// Returns are netted: a row with a negative amount takes |quantity| units off its product (its
/// cost, negative like its amount, comes off too), whatever the sign of its quantity. Rows with
/// quantity 0 (fees, price adjustments) add to the amount and cost but not to the units. A
/// product whose net units are <= 0 (no quantity at all, or all of it returned) has no unit
/// price: it is left out of the mix and listed in `excluded`, its net amount summed in
/// `excluded_amount` (with none left the mix is empty, and `break_even_mix` rejects it). Cost of
/// goods is the only variable cost the log knows. Products are in
/// ascending id order. Example: p1 sells 10 for 200 (cost 120) and 5 for 100 (cost 60), one
/// return of 2 for -40 (cost -24): 13 units, price 260 / 13 = 20, unit cost 156 / 13 = 12.
sales_mix sales_mix_from_log(const transaction_log& log);

/// A capacity band [from, to) of volume (units) with its fixed costs per period.
struct cost_band {
    double from = 0.0;
    double to = 0.0; ///< may be +infinity for the last band
    double fixed_costs = 0.0;
};

/// The break-even candidate of one capacity band.
struct band_break_even {
    cost_band band;
    bool in_band = false; ///< whether F_band / cm lies in [from, to)
    std::string reason;   ///< why not, else empty
    double units = 0.0;   ///< F_band / cm (0 when cm <= 0)
    double revenue = 0.0; ///< units * price
};

/// Break-even points under stepped fixed costs.
struct stepped_break_even {
    double contribution_margin = 0.0;
    std::vector<band_break_even> bands; ///< one per band, in band order
    std::vector<double> units;          ///< the break-even points inside their bands, ascending
    bool defined = false;               ///< whether there is at least one
    std::string reason;
};

/// Break-even points when fixed costs step with capacity: for each band the volume
/// F_band / (p - v) is a break-even point when it lies inside the band ([from, to): a point on
/// `to` belongs to the next band, whose fixed costs apply there). Profit can turn positive in
/// one band and negative again when the next step is taken, so there may be several points, or
/// none within the capacity, each band's candidate reported with the reason it is outside.
/// Bands must be in order, contiguous (each `to` is the next `from`: no gap, no overlap), with
/// 0 <= from < to and fixed costs finite and >= 0; else `invalid_argument` naming the band.
/// Example: p 50, v 30 (cm 20); [0, 3,000) F 40,000 and [3,000, 6,000) F 70,000 -> 2,000 and
/// 3,500, both inside; with [0, 1,500) and [1,500, 3,000) the same costs give 2,000 (above the
/// first band) and 3,500 (above the second): none.
stepped_break_even break_even_stepped(double price, double unit_variable_cost,
                                      std::span<const cost_band> bands);

/// `break_even_stepped` of bands given as three columns (a table's from, to and fixed costs).
/// Throws `invalid_argument` ("bands") when the columns differ in length.
stepped_break_even break_even_stepped(double price, double unit_variable_cost,
                                      std::span<const double> from, std::span<const double> to,
                                      std::span<const double> fixed_costs);

/// When cumulative revenue reaches cumulative total cost over time.
struct break_even_over_time_result {
    std::vector<std::int64_t> period_start; ///< start of each period, seconds since the epoch
    std::int64_t end = 0;                   ///< end of the last period (exclusive)
    std::vector<double> cumulative_revenue; ///< at the end of each period
    std::vector<double> cumulative_cost;    ///< at the end of each period
    std::vector<double> cumulative_profit;  ///< cumulative revenue - cost, each period's end
    bool defined = false;                   ///< whether break-even is reached in the data
    std::string reason;                     ///< why not, else empty
    std::size_t period = 0;                 ///< index of the period in which it is reached
    std::int64_t time = no_time; ///< the interpolated time it is reached (rounded to a second)
    double remaining_gap = 0.0;  ///< when not reached: cumulative cost - revenue at the end
};

/// First time cumulative revenue reaches cumulative cost, from revenue and total cost (fixed
/// plus variable) per period. Period i runs from period_start[i] to period_start[i + 1] (the
/// last to `end`); cumulative values are at period ends and start from 0 at period_start[0].
/// Revenue and cost accrue evenly within a period, so the cumulative profit is linear there:
/// the break-even is the end of the first period whose cumulative profit is >= 0, moved back
/// linearly to where the profit line crosses 0: t = start + (0 - P_before) / (P_end - P_before)
/// * length. If the first period already ends in profit, the profit never was negative and the
/// break-even is period_start[0]. Not reached: `defined == false` and the remaining gap.
/// `end` not given: `default_period_end(period_start)` (and what it throws, first).
/// Throws `invalid_argument` for lengths that differ, no period, starts not increasing, `end`
/// not after the last start, or a non-finite revenue or cost (naming the period).
/// Example: months from 2024-01-01, revenue 1,000, 3,000, 3,000, cost 2,000, 1,500, 1,500 ->
/// cumulative profit -1,000 at the end of January, +500 at the end of February: it crosses 0
/// after 1,000 / 1,500 = 2/3 of February's 29 days = 19 days 8 hours: 2024-02-20T08:00:00.
break_even_over_time_result break_even_over_time(std::span<const std::int64_t> period_start,
                                                 std::optional<std::int64_t> end,
                                                 std::span<const double> revenue,
                                                 std::span<const double> cost);

/// The end of the last period (exclusive) when the caller gives none: for starts that all fall
/// on the first of a month at midnight, as many calendar months after the last start as lie
/// between the last two; else the last start plus the last period's length. Throws
/// `invalid_argument` ("end") for fewer than two starts (the length is not known).
/// Example: quarters 2024-01-01, 2024-04-01 -> 2024-07-01; starts 10 and 17 (seconds) -> 24.
std::int64_t default_period_end(std::span<const std::int64_t> period_start);

/// The same over the calendar months of a transaction log: revenue is the net amount of each
/// month (returns negative), total cost its cost of goods plus `fixed_costs_per_month`. Months
/// run from the month of the first transaction to that of the last, empty months included; the
/// last month counts whole (its full fixed costs, ending at the next month's start) even when the
/// data stop inside it. Needs a cost column; throws `invalid_argument` for an empty log, a log
/// without cost, or fixed costs that are negative or not finite, and what `validate` throws.
break_even_over_time_result break_even_over_time(const transaction_view& log,
                                                 double fixed_costs_per_month);

/// The same for the rows of a log given as columns only: times (`ticks_per_second` ticks per
/// second), amounts and costs (the months need no customers).
break_even_over_time_result break_even_over_time(std::span<const std::int64_t> time,
                                                 std::int64_t ticks_per_second,
                                                 std::span<const double> amount,
                                                 std::span<const double> cost,
                                                 double fixed_costs_per_month);

/// Net revenue and cost of goods of transaction rows per calendar month: the part of
/// `break_even_over_time` over a log that adds up, so that parts of a log (Spark's partitions)
/// can each be totalled and their totals passed on together.
struct monthly_totals {
    std::vector<std::int64_t> month; ///< 12 x year + month - 1 (`period_index` of months)
    std::vector<double> revenue;     ///< net amount of the month's rows (returns negative)
    std::vector<double> cost;        ///< cost of goods of the month's rows
};

/// The monthly totals of rows given as columns: times (`ticks_per_second` ticks per second),
/// amounts and costs; one entry per month that has rows, in increasing order. Throws
/// `invalid_argument` for columns of different lengths and a time outside the dates the library
/// reads (the checks of `transaction_view::validate`), and for `ticks_per_second` <= 0.
/// Example: rows on 2024-01-05 (100, cost 60), 2024-01-20 (-10, cost -6) and 2024-03-02 (50,
/// cost 30) -> months 24,288 and 24,290 (2024-01, 2024-03), revenue 90 and 50, cost 54 and 30.
monthly_totals monthly_log_totals(std::span<const std::int64_t> time, std::int64_t ticks_per_second,
                                  std::span<const double> amount, std::span<const double> cost);

/// The check `break_even_over_time` makes of its fixed costs, alone (Spark checks it on the
/// driver before any job): `invalid_argument` naming "fixed_costs_per_month" unless the value
/// is a finite number >= 0.
void check_fixed_costs_per_month(double fixed_costs_per_month);

/// `break_even_over_time` of a log from its monthly totals: the months from the first to the
/// last that occur (empty months between them included, each with the fixed costs), the last
/// month whole. Entries may come in any order and a month more than once (the totals of
/// several parts of a log): a month's entries are added in the order given, and the month's
/// total cost is its cost of goods plus `fixed_costs_per_month`. Throws `invalid_argument` for
/// no entry, columns of different lengths, a month outside the years 1..9999, fixed costs that
/// are negative or not finite, and `data_error` for a non-finite total or cumulative total
/// (naming "amount" or "cost" and the month).
/// Example: months 2024-01 and 2024-03 as in `monthly_log_totals` with fixed costs 20 a month
/// -> three months, revenue 90, 0, 50 and cost 74, 20, 50: cumulative profit 16 after January.
break_even_over_time_result break_even_over_time(const monthly_totals& totals,
                                                 double fixed_costs_per_month);

/// The critical volume of a business from its own transaction log: how much it must sell a
/// month to cover its fixed costs, and how far its actual sales are above that.
struct critical_volume_result {
    double months = 0.0;                   ///< calendar months the figures are spread over
    double revenue_per_month = 0.0;        ///< net revenue / months
    double variable_cost_per_month = 0.0;  ///< cost of goods / months
    std::optional<double> units_per_month; ///< net units / months, when units are known
    /// The month as one product: fixed costs per month, price per unit and unit variable cost
    /// (without units a "unit" is one unit of revenue: price 1, unit variable cost = the cost
    /// share of revenue). Its fields are 0 when `break_even.reason` says the log has no revenue.
    cvp_model model;
    break_even_point break_even;              ///< per month: units (or revenue) and revenue
    margin_of_safety_result margin_of_safety; ///< at the actual volume per month
};

/// The critical volume (Break-even-Punkt, kritische Absatzmenge) and the margin of safety of
/// sales of `revenue` net and `variable_cost` cost of goods over `months` months, with
/// `fixed_costs_per_month` (and `units` net units sold, when known).
///
/// Method: the month is one product with price R / Q and unit variable cost C / Q (Q the
/// units), or, without units, price 1 and unit variable cost C / R, so a "unit" is one unit of
/// revenue; the actual volume is Q / months (or R / months). Then `break_even` and
/// `margin_of_safety` of that model: break-even revenue F / cmr with cmr = (R - C) / R, the
/// margin of safety R / months - F / cmr, and its ratio (R - C - F months) / (R - C), profit over
/// contribution. Units <= 0 count as unknown. Not defined (a result, `defined == false` with
/// the reason, figures 0): revenue <= 0, a negative cost of goods, or a contribution margin
/// <= 0. Throws `invalid_argument` for months not finite and > 0, fixed costs negative or not
/// finite, and a revenue, cost or units value that is not finite.
/// Example: revenue 120,000, cost 72,000 over 12 months, fixed costs 3,000 a month -> 10,000 a
/// month at a margin of 40%: break-even 7,500 a month, margin of safety 2,500 (25%); with 2,400
/// units: price 50, unit cost 30, 150 units a month at break-even against 200 sold.
critical_volume_result critical_volume(double revenue, double variable_cost,
                                       std::optional<double> units, double months,
                                       double fixed_costs_per_month);

/// The critical volume of a log with a cost column: net revenue (returns negative), cost of
/// goods and, with a quantity column, net units (a row with a negative amount takes |quantity|
/// units off, as `sales_mix_from_log` counts them) over the calendar months from the first
/// transaction's to the last's, both whole (the months of `break_even_over_time`). Throws as
/// `break_even_over_time` does (empty log, no cost column, bad fixed costs).
/// Example: net revenue 5,900 and cost 2,760 from January to March, fixed costs 1,000 a month
/// -> break-even 1,000 / (3,140 / 5,900) = 1,878.98 a month against 1,966.67 sold: margin of
/// safety 87.69 a month, 140 / 3,140 = 4.46%.
critical_volume_result critical_volume(const transaction_view& log, double fixed_costs_per_month);

/// An input of the single-product model varied by the sensitivity analysis.
enum class cvp_variable { price, unit_variable_cost, fixed_costs, volume };

/// "price", "unit_variable_cost", "fixed_costs" or "volume".
std::string_view to_string(cvp_variable v) noexcept;

/// The model with one input changed, and what follows.
struct sensitivity_case {
    double change = 0.0;         ///< relative change of the input: -0.1 for -10%
    cvp_model model;             ///< the model with the change (volume: unchanged)
    double sales_units = 0.0;    ///< the sales volume with the change
    break_even_point break_even; ///< break-even of `model`
    double profit = 0.0;         ///< profit(model, sales_units)
    double value = 0.0;          ///< the changed input's new value (price, cost, F or volume)
};

/// One row of the tornado table.
struct tornado_row {
    cvp_variable variable = cvp_variable::price;
    sensitivity_case low;      ///< the input lowered by the change
    sensitivity_case high;     ///< the input raised by the change
    double profit_swing = 0.0; ///< |high.profit - low.profit|
    /// |high - low| of the break-even units; not defined unless both are.
    std::optional<double> break_even_units_swing;
};

/// The tornado table: each input moved by -x and +x, one at a time.
struct tornado_result {
    double change = 0.0;
    double sales_units = 0.0;
    break_even_point base; ///< break-even of the unchanged model
    double base_profit = 0.0;
    std::vector<tornado_row> rows; ///< by profit swing descending; ties in cvp_variable order
};

/// Sensitivity of break-even units and profit at `sales_units` to `change` (0.1 for +-10%) of
/// price, unit variable cost, fixed costs and volume, one at a time (volume moves the profit
/// only). Throws `invalid_argument` unless 0 <= change < 1 (a price must stay > 0).
/// Example: p 50, v 30, F 40,000, 2,500 units, 10%: price 45 / 55 -> profit -2,500 / 22,500
/// (swing 25,000), unit cost 27 / 33 -> 17,500 / 2,500 (15,000), volume 2,250 / 2,750 ->
/// 5,000 / 15,000 (10,000), fixed 36,000 / 44,000 -> 14,000 / 6,000 (8,000).
tornado_result tornado(const cvp_model& m, double sales_units, double change = 0.1);

/// Profit over a grid of price and volume changes.
struct profit_grid {
    std::vector<double> price;  ///< the prices, one per price change
    std::vector<double> volume; ///< the volumes, one per volume change
    std::vector<double> profit; ///< row-major: profit[i * volume.size() + j] at price[i], volume[j]
};

/// Two-way sensitivity: profit at price * (1 + price_changes[i]) and
/// sales_units * (1 + volume_changes[j]). Changes must be finite and > -1 (naming the list and
/// index otherwise). Example: p 50, v 30, F 40,000, 2,500 units, changes {-0.1, 0, 0.1} both ->
/// profit at (45, 2,250) = 2,250 * 15 - 40,000 = -6,250; at (55, 2,750) = 2,750 * 25 - 40,000
/// = 28,750.
profit_grid price_volume_grid(const cvp_model& m, double sales_units,
                              std::span<const double> price_changes,
                              std::span<const double> volume_changes);

/// The lines of a break-even chart at evenly spaced volumes.
struct break_even_chart {
    std::vector<double> volume;      ///< from volume_min to volume_max, both included
    std::vector<double> fixed_costs; ///< F at every volume
    std::vector<double> total_costs; ///< F + v * volume
    std::vector<double> revenue;     ///< p * volume
    break_even_point break_even;     ///< where total costs and revenue cross
};

/// The right end of a break-even chart when the user gives none: twice the larger of the
/// break-even units and the sales units, counting only those given and above 0, so that the
/// break-even point and the actual volume both lie in the left half of the chart.
/// Throws `invalid_argument` ("volume_max") when neither is given and above 0.
/// Example: break-even 2,000 units, sales 2,500 -> 5,000; break-even only, 2,000 -> 4,000.
double default_volume_max(std::optional<double> break_even_units,
                          std::optional<double> sales_units = std::nullopt);

/// Chart data of `m` over [volume_min, volume_max] at `points` volumes (>= 2, and
/// 0 <= volume_min < volume_max, finite; else `invalid_argument`). The break-even point is
/// reported whether or not it lies in the range. Example: 0..4,000 in 5 points -> volumes 0,
/// 1,000, ..., 4,000; total costs 40,000, 70,000, ..., 160,000; revenue 0, 50,000, ..., 200,000.
break_even_chart break_even_chart_data(const cvp_model& m, double volume_max,
                                       std::size_t points = 51, double volume_min = 0.0);

/// Which break-even analysis a face's inputs ask for: one product, a sales mix or a log over
/// time.
enum class break_even_form { single, mix, over_time };

/// The inputs a face was given for a break-even analysis, each empty when not given, and
/// whether a mix table and a log were given (their contents are read later).
struct break_even_request {
    std::optional<double> fixed_costs, price, unit_variable_cost, sales_units, target_profit,
        tax_rate, depreciation, fixed_costs_per_month;
    bool mix = false, log = false;
};

/// The names the inputs of a `break_even_request` go by in errors (a face's flags).
struct break_even_names {
    std::string fixed_costs = "fixed_costs", price = "price",
                unit_variable_cost = "unit_variable_cost", sales_units = "sales_units",
                target_profit = "target_profit", tax_rate = "tax_rate",
                depreciation = "depreciation", fixed_costs_per_month = "fixed_costs_per_month",
                mix = "mix", log = "log";
};

/// The form a request asks for, once exactly the inputs of that form are given.
///
/// A mix and a log together are an error; with either, the single product's price, unit
/// variable cost, sales units, target profit and depreciation are not used; a tax rate needs a
/// target profit; the log form needs the fixed costs per month and not the fixed costs of a
/// period, the others the reverse; one product needs a price and a unit variable cost. Every
/// error is an `invalid_argument` naming the input (by `names`) and what is wrong, e.g.
/// "price: not used with mix" or "fixed_costs_per_month: required with log". Example: fixed
/// costs, price and unit variable cost alone -> `break_even_form::single`; a log and fixed costs
/// per month -> `over_time`.
break_even_form choose_break_even_form(const break_even_request& r,
                                       const break_even_names& names = {});

CUSTOMETRICS_END_NAMESPACE
