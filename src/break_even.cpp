// Break-even analysis (see custometrics/break_even.hpp for the definitions, formulas and
// sources). Everything here is scalar arithmetic on a handful of numbers or one pass over a
// transaction log; it is compiled once rather than inlined into every user.
#include "custometrics/break_even.hpp"
#include "custometrics/detail/format.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

CUSTOMETRICS_BEGIN_NAMESPACE

mix_basis parse_mix_basis(std::string_view text, std::string_view argument) {
    if (text == "units") return mix_basis::units;
    if (text == "revenue") return mix_basis::revenue;
    throw invalid_argument(argument,
                           "expected 'units' or 'revenue', got '" + std::string(text) + "'",
                           std::string(text));
}

namespace {

// Throws `invalid_argument` "<name>: must be <rule>, got <x>" unless ok(x).
template <class Ok>
void require(double x, const std::string& name, const std::string& rule, Ok ok) {
    if (!ok(x)) {
        const std::string value = detail::format_number(x);
        throw invalid_argument(name, "must be " + rule + ", got " + value, value);
    }
}

void require_nonnegative(double x, const std::string& name) {
    require(x, name, "finite and >= 0", [](double y) { return std::isfinite(y) && y >= 0.0; });
}

void require_positive(double x, const std::string& name) {
    require(x, name, "finite and > 0", [](double y) { return std::isfinite(y) && y > 0.0; });
}

void require_same_length(std::size_t n, std::size_t n_ref, const char* name, const char* ref,
                         const char* what) {
    if (n != n_ref)
        throw invalid_argument(std::string(name) + ": has " + std::to_string(n) + " " + what +
                               ", " + ref + " has " + std::to_string(n_ref));
}

// Throws `invalid_argument` naming `argument` (whose value is `input`) when the result `x` is
// not finite: every input is finite, so the result overflowed the largest double (1.8e308).
void require_finite_result(double x, const char* what, const std::string& argument, double input) {
    if (std::isfinite(x)) return;
    const std::string value = detail::format_number(input);
    throw invalid_argument(argument,
                           value + " gives " + what +
                               " beyond the largest number (about 1.8e308); state the amounts in "
                               "a larger unit (thousands, millions)",
                           value);
}

std::string no_margin_reason(double cm) {
    return "contribution margin is " + detail::format_number(cm) +
           " (<= 0): every unit sold adds to the loss, there is no break-even";
}

// Break-even of fixed costs `fixed` (known as `argument` in errors) at contribution margin
// `cm` and price `price`.
break_even_point point(double fixed, double price, double cm,
                       const std::string& argument = "fixed_costs") {
    break_even_point p;
    p.contribution_margin = cm;
    p.contribution_margin_ratio = cm / price;
    if (!(cm > 0.0)) {
        p.reason = no_margin_reason(cm);
        return p;
    }
    p.defined = true;
    p.units = fixed / cm;
    p.revenue = p.units * price;
    require_finite_result(p.units, "a break-even volume", argument, fixed);
    require_finite_result(p.revenue, "a break-even revenue", argument, fixed);
    return p;
}

std::string period_name(std::size_t i, std::int64_t start) {
    return "period " + std::to_string(i) + " (" + format_time(start) + ")";
}

} // namespace

void validate(const cvp_model& m) {
    require_nonnegative(m.fixed_costs, "fixed_costs");
    require_positive(m.price, "price");
    require_nonnegative(m.unit_variable_cost, "unit_variable_cost");
}

break_even_point break_even(const cvp_model& m) {
    validate(m);
    return point(m.fixed_costs, m.price, m.price - m.unit_variable_cost);
}

namespace {

// cash_break_even with the non-cash costs known as `name` in errors.
break_even_point cash_point(const cvp_model& m, double non_cash_costs, const char* name) {
    validate(m);
    if (!(std::isfinite(non_cash_costs) && non_cash_costs >= 0.0 &&
          non_cash_costs <= m.fixed_costs))
        throw invalid_argument(name,
                               "must be between 0 and fixed_costs " +
                                   detail::format_number(m.fixed_costs) + ", got " +
                                   detail::format_number(non_cash_costs),
                               detail::format_number(non_cash_costs));
    return point(m.fixed_costs - non_cash_costs, m.price, m.price - m.unit_variable_cost,
                 "fixed_costs");
}

} // namespace

break_even_point cash_break_even(const cvp_model& m, double non_cash_costs) {
    return cash_point(m, non_cash_costs, "non_cash_costs");
}

target_profit_result target_profit(const cvp_model& m, double target_profit, double tax_rate) {
    validate(m);
    require(target_profit, "target_profit", "finite", [](double y) { return std::isfinite(y); });
    require(tax_rate, "tax_rate", "in [0, 1)", [](double y) { return y >= 0.0 && y < 1.0; });
    target_profit_result r;
    r.pre_tax_profit = target_profit > 0.0 ? target_profit / (1.0 - tax_rate) : target_profit;
    const double cm = m.price - m.unit_variable_cost;
    const double needed = m.fixed_costs + r.pre_tax_profit;
    if (!(cm > 0.0)) {
        r.reason = no_margin_reason(cm);
    } else if (needed < 0.0) {
        r.reason = "target profit " + detail::format_number(r.pre_tax_profit) +
                   " is below the loss at zero volume (" + detail::format_number(-m.fixed_costs) +
                   "): it would need negative units";
    } else {
        r.defined = true;
        r.units = needed / cm;
        r.revenue = r.units * m.price;
        require_finite_result(needed, "a required contribution", "target_profit", target_profit);
        require_finite_result(r.units, "a required volume", "target_profit", target_profit);
        require_finite_result(r.revenue, "a required revenue", "target_profit", target_profit);
    }
    return r;
}

margin_of_safety_result margin_of_safety(const cvp_model& m, double sales_units) {
    const break_even_point be = break_even(m);
    require_nonnegative(sales_units, "sales_units");
    margin_of_safety_result r;
    if (!be.defined) {
        r.reason = be.reason;
    } else if (sales_units == 0.0) {
        r.reason = "sales_units is 0: the margin as a share of sales is undefined";
    } else {
        r.defined = true;
        r.units = sales_units - be.units;
        r.revenue = r.units * m.price;
        r.ratio = r.units / sales_units;
        require_finite_result(r.revenue, "a margin of safety in revenue", "sales_units",
                              sales_units);
    }
    return r;
}

operating_leverage_result operating_leverage(const cvp_model& m, double sales_units) {
    validate(m);
    require_nonnegative(sales_units, "sales_units");
    operating_leverage_result r;
    r.contribution = sales_units * (m.price - m.unit_variable_cost);
    r.profit = r.contribution - m.fixed_costs;
    require_finite_result(r.contribution, "a contribution", "sales_units", sales_units);
    // At break-even the profit is 0 in exact arithmetic; rounding of the inputs leaves a residue
    // of a few ulps of the larger term, which would give a huge meaningless degree.
    const double scale = std::max(std::fabs(r.contribution), m.fixed_costs);
    if (std::fabs(r.profit) <= 1e-12 * scale) {
        r.reason = "profit is 0 at " + detail::format_number(sales_units) +
                   " units (the break-even point): operating leverage is unbounded there";
        return r;
    }
    r.defined = true;
    r.degree = r.contribution / r.profit;
    return r;
}

break_even_analysis_result break_even_analysis(const break_even_inputs& in) {
    break_even_analysis_result r;
    r.inputs = in;
    r.break_even = break_even(in.model);
    require(in.tax_rate, "tax_rate", "in [0, 1)", [](double y) { return y >= 0.0 && y < 1.0; });
    if (in.target_profit) r.target = target_profit(in.model, *in.target_profit, in.tax_rate);
    if (in.sales_units) {
        r.margin_of_safety = margin_of_safety(in.model, *in.sales_units);
        r.operating_leverage = operating_leverage(in.model, *in.sales_units);
    }
    if (in.depreciation) r.cash_break_even = cash_point(in.model, *in.depreciation, "depreciation");
    return r;
}

std::vector<break_even_figure> break_even_analysis_result::figures() const {
    std::vector<break_even_figure> out;
    auto add = [&out](std::string_view name, bool defined, double value,
                      const std::string& reason) {
        out.push_back(break_even_figure{name, defined, defined ? value : 0.0,
                                        defined ? std::string() : reason});
    };
    const break_even_point& be = break_even;
    add("contribution_margin", true, be.contribution_margin, {});
    add("contribution_margin_ratio", true, be.contribution_margin_ratio, {});
    add("break_even_units", be.defined, be.units, be.reason);
    add("break_even_revenue", be.defined, be.revenue, be.reason);
    if (target) add("target_units", target->defined, target->units, target->reason);
    if (margin_of_safety) {
        const margin_of_safety_result& m = *margin_of_safety;
        add("margin_of_safety_units", m.defined, m.units, m.reason);
        add("margin_of_safety_pct", m.defined, 100.0 * m.ratio, m.reason);
    }
    if (operating_leverage) {
        const operating_leverage_result& d = *operating_leverage;
        add("operating_leverage", d.defined, d.degree, d.reason);
    }
    if (cash_break_even)
        add("cash_break_even_units", cash_break_even->defined, cash_break_even->units,
            cash_break_even->reason);
    return out;
}

mix_break_even break_even_mix(double fixed_costs, std::span<const double> price,
                              std::span<const double> unit_variable_cost,
                              std::span<const double> share, mix_basis basis, double tolerance) {
    return break_even_mix(fixed_costs, {}, price, unit_variable_cost, share, basis, tolerance,
                          mix_names{});
}

mix_break_even break_even_mix(double fixed_costs, std::span<const std::string> product,
                              std::span<const double> price,
                              std::span<const double> unit_variable_cost,
                              std::span<const double> share, mix_basis basis, double tolerance,
                              const mix_names& names) {
    require_nonnegative(fixed_costs, "fixed_costs");
    const std::size_t n = price.size();
    if (n == 0) throw invalid_argument(names.price, "the mix is empty (no product)");
    if (!product.empty())
        require_same_length(product.size(), n, names.product.c_str(), names.price.c_str(),
                            "products");
    require_same_length(unit_variable_cost.size(), n, names.unit_variable_cost.c_str(),
                        names.price.c_str(), "products");
    require_same_length(share.size(), n, names.share.c_str(), names.price.c_str(), "products");
    require_nonnegative(tolerance, "tolerance");
    if (!product.empty()) {
        std::unordered_map<std::string_view, std::size_t> seen;
        seen.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
            if (!seen.emplace(product[i], i).second)
                throw invalid_argument(names.product + ": product '" + detail::excerpt(product[i]) +
                                           "' appears more than once",
                                       error_context{names.product, i, product[i], {}, product[i]});
    }
    // "price: product 1: must be finite and > 0, got nan", with the input, position, product
    // name and value as fields.
    auto check = [&](double x, const std::string& name, std::size_t i, bool positive) {
        if (positive ? (std::isfinite(x) && x > 0.0) : (std::isfinite(x) && x >= 0.0)) return;
        const std::string value = detail::format_number(x);
        throw invalid_argument(
            name + ": product " + std::to_string(i) + ": must be finite and " +
                (positive ? "> 0" : ">= 0") + ", got " + value,
            error_context{name, i, product.empty() ? std::string() : product[i], {}, value});
    };
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        check(price[i], names.price, i, true);
        check(unit_variable_cost[i], names.unit_variable_cost, i, false);
        check(share[i], names.share, i, false);
        sum += share[i];
    }
    if (!(std::fabs(sum - 1.0) <= tolerance))
        throw invalid_argument(names.share,
                               "the shares sum to " + detail::format_number(sum) +
                                   ", not 1 within " + detail::format_number(tolerance),
                               detail::format_number(sum));

    mix_break_even r;
    r.unit_share.resize(n);
    r.revenue_share.resize(n);
    r.contribution_margin.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        r.contribution_margin[i] = price[i] - unit_variable_cost[i];
    // Shares of units u_i, from shares of revenue by dividing by the price and normalising.
    double u_sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        r.unit_share[i] = basis == mix_basis::units ? share[i] : share[i] / price[i];
        u_sum += r.unit_share[i];
    }
    for (std::size_t i = 0; i < n; ++i) {
        r.unit_share[i] /= u_sum;
        r.average_price += r.unit_share[i] * price[i];
        r.weighted_contribution_margin += r.unit_share[i] * r.contribution_margin[i];
    }
    for (std::size_t i = 0; i < n; ++i)
        r.revenue_share[i] = basis == mix_basis::revenue
                                 ? share[i] / sum
                                 : r.unit_share[i] * price[i] / r.average_price;
    r.weighted_contribution_margin_ratio = r.weighted_contribution_margin / r.average_price;
    r.product_units.assign(n, 0.0);
    r.product_revenue.assign(n, 0.0);
    if (!(r.weighted_contribution_margin > 0.0)) {
        r.reason = "weighted " + no_margin_reason(r.weighted_contribution_margin);
        return r;
    }
    r.defined = true;
    r.units = fixed_costs / r.weighted_contribution_margin;
    for (std::size_t i = 0; i < n; ++i) {
        r.product_units[i] = r.unit_share[i] * r.units;
        r.product_revenue[i] = r.product_units[i] * price[i];
        r.revenue += r.product_revenue[i];
    }
    require_finite_result(r.units, "a break-even volume", "fixed_costs", fixed_costs);
    require_finite_result(r.revenue, "a break-even revenue", "fixed_costs", fixed_costs);
    return r;
}

sales_mix sales_mix_from_log(const transaction_log& log) {
    if (log.product.empty())
        throw invalid_argument("product", "the log has no product column (needed for a sales mix)");
    if (log.quantity.empty())
        throw invalid_argument("quantity",
                               "the log has no quantity column (needed for a sales mix)");
    if (!log.has_cost())
        throw invalid_argument("cost", "the log has no cost column (needed for a sales mix)");
    const transaction_view view = log.view();
    view.validate();
    require_same_length(log.product.size(), log.size(), "product", "customer", "rows");
    const std::size_t n_products = log.product_keys.size();
    std::vector<double> units(n_products, 0.0);
    std::vector<double> amount(n_products, 0.0);
    std::vector<double> cost(n_products, 0.0);
    for (std::size_t i = 0; i < log.size(); ++i) {
        const entity_id p = log.product[i];
        if (p >= n_products)
            throw data_error("product: " + view.describe_row(i) + ": id " + std::to_string(p) +
                             " is not below the number of products " + std::to_string(n_products));
        const double q = std::fabs(log.quantity[i]);
        units[p] += log.amount[i] < 0.0 ? -q : q;
        amount[p] += log.amount[i];
        cost[p] += log.cost[i];
    }
    sales_mix mix;
    double total = 0.0;
    for (std::size_t p = 0; p < n_products; ++p) {
        const auto id = static_cast<entity_id>(p);
        if (!(units[p] > 0.0)) {
            mix.excluded.push_back(id);
            mix.excluded_amount += amount[p];
            continue;
        }
        mix.product.push_back(id);
        mix.quantity.push_back(units[p]);
        mix.price.push_back(amount[p] / units[p]);
        mix.unit_variable_cost.push_back(cost[p] / units[p]);
        total += units[p];
    }
    mix.share.reserve(mix.quantity.size());
    for (const double q : mix.quantity)
        mix.share.push_back(q / total);
    return mix;
}

stepped_break_even break_even_stepped(double price, double unit_variable_cost,
                                      std::span<const cost_band> bands) {
    require_positive(price, "price");
    require_nonnegative(unit_variable_cost, "unit_variable_cost");
    if (bands.empty()) throw invalid_argument("bands", "no capacity band");
    for (std::size_t i = 0; i < bands.size(); ++i) {
        const cost_band& b = bands[i];
        const std::string name = "bands: band " + std::to_string(i);
        require_nonnegative(b.from, name + " from");
        require(b.to, name + " to", "above its from " + detail::format_number(b.from),
                [&](double y) { return y > b.from; }); // also rejects NaN
        require_nonnegative(b.fixed_costs, name + " fixed_costs");
        if (i > 0 && b.from != bands[i - 1].to)
            throw invalid_argument(name + " starts at " + detail::format_number(b.from) +
                                   " but band " + std::to_string(i - 1) + " ends at " +
                                   detail::format_number(bands[i - 1].to) +
                                   (b.from < bands[i - 1].to ? " (overlap)" : " (gap)"));
    }
    stepped_break_even r;
    r.contribution_margin = price - unit_variable_cost;
    const double cm = r.contribution_margin;
    for (const cost_band& b : bands) {
        band_break_even e;
        e.band = b;
        const std::string band =
            "[" + detail::format_number(b.from) + ", " + detail::format_number(b.to) + ")";
        if (!(cm > 0.0)) {
            e.reason = no_margin_reason(cm);
        } else {
            e.units = b.fixed_costs / cm;
            e.revenue = e.units * price;
            const std::string name =
                "bands: band " + std::to_string(r.bands.size()) + " fixed_costs";
            require_finite_result(e.units, "a break-even volume", name, b.fixed_costs);
            require_finite_result(e.revenue, "a break-even revenue", name, b.fixed_costs);
            e.in_band = e.units >= b.from && e.units < b.to;
            if (e.units < b.from)
                e.reason =
                    "break-even " + detail::format_number(e.units) + " lies below the band " + band;
            else if (!e.in_band)
                e.reason =
                    "break-even " + detail::format_number(e.units) + " lies above the band " + band;
            else
                r.units.push_back(e.units);
        }
        r.bands.push_back(std::move(e));
    }
    r.defined = !r.units.empty();
    if (!(cm > 0.0))
        r.reason = no_margin_reason(cm);
    else if (!r.defined)
        r.reason = "no break-even point lies inside its capacity band (up to " +
                   detail::format_number(bands.back().to) + " units)";
    return r;
}

std::int64_t default_period_end(std::span<const std::int64_t> period_start) {
    const std::size_t n = period_start.size();
    if (n < 2)
        throw invalid_argument("end", "required with a single period (its length is not known)");
    const bool months = std::all_of(period_start.begin(), period_start.end(), [](std::int64_t t) {
        return floor_div(t, seconds_per_day) * seconds_per_day == t &&
               civil_from_days(floor_div(t, seconds_per_day)).day == 1;
    });
    const std::int64_t last = period_start[n - 1], prev = period_start[n - 2];
    if (!months) return last + (last - prev);
    const civil_date a = civil_from_days(floor_div(prev, seconds_per_day));
    const civil_date b = civil_from_days(floor_div(last, seconds_per_day));
    // Months from the year 0 onwards, so that the step and the sum carry into the years.
    const std::int64_t step = (b.year - a.year) * 12 + (std::int64_t{b.month} - a.month);
    const std::int64_t month = b.year * 12 + (b.month - 1) + step;
    return days_from_civil(floor_div(month, 12),
                           static_cast<unsigned>(month - floor_div(month, 12) * 12) + 1, 1) *
           seconds_per_day;
}

break_even_over_time_result break_even_over_time(std::span<const std::int64_t> period_start,
                                                 std::optional<std::int64_t> given_end,
                                                 std::span<const double> revenue,
                                                 std::span<const double> cost) {
    const std::int64_t end = given_end ? *given_end : default_period_end(period_start);
    const std::size_t n = period_start.size();
    if (n == 0) throw invalid_argument("period_start", "no period");
    require_same_length(revenue.size(), n, "revenue", "period_start", "periods");
    require_same_length(cost.size(), n, "cost", "period_start", "periods");
    for (std::size_t i = 1; i < n; ++i)
        if (period_start[i] <= period_start[i - 1])
            throw invalid_argument("period_start", period_name(i, period_start[i]) +
                                                       " is not after " +
                                                       period_name(i - 1, period_start[i - 1]));
    if (end <= period_start[n - 1])
        throw invalid_argument("end", format_time(end) + " is not after the last period start " +
                                          format_time(period_start[n - 1]));
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(revenue[i]))
            throw invalid_argument("revenue", period_name(i, period_start[i]) + ": value is " +
                                                  detail::format_number(revenue[i]));
        if (!std::isfinite(cost[i]))
            throw invalid_argument("cost", period_name(i, period_start[i]) + ": value is " +
                                               detail::format_number(cost[i]));
    }
    break_even_over_time_result r;
    r.period_start.assign(period_start.begin(), period_start.end());
    r.end = end;
    r.cumulative_revenue.resize(n);
    r.cumulative_cost.resize(n);
    r.cumulative_profit.resize(n);
    double cum_r = 0.0;
    double cum_c = 0.0;
    // A cumulative value (or the profit, their difference) beyond the largest double names the
    // period whose value tipped it over.
    auto overflow = [&](const char* argument, const char* what, std::size_t i, double value) {
        const std::string v = detail::format_number(value);
        throw invalid_argument(std::string(argument) + ": " + period_name(i, period_start[i]) +
                                   ": " + v + " takes the cumulative " + what +
                                   " beyond the largest number (about 1.8e308); state the "
                                   "amounts in a larger unit (thousands, millions)",
                               error_context{argument, i, {}, {}, v});
    };
    for (std::size_t i = 0; i < n; ++i) {
        cum_r += revenue[i];
        cum_c += cost[i];
        if (!std::isfinite(cum_r)) overflow("revenue", "revenue", i, revenue[i]);
        if (!std::isfinite(cum_c)) overflow("cost", "cost", i, cost[i]);
        if (!std::isfinite(cum_r - cum_c))
            overflow(revenue[i] >= cost[i] ? "revenue" : "cost", "profit", i,
                     revenue[i] >= cost[i] ? revenue[i] : cost[i]);
        r.cumulative_revenue[i] = cum_r;
        r.cumulative_cost[i] = cum_c;
        r.cumulative_profit[i] = cum_r - cum_c;
    }
    double before = 0.0; // cumulative profit at the start of period i
    for (std::size_t i = 0; i < n; ++i) {
        const double after = r.cumulative_profit[i];
        if (after >= 0.0) {
            r.defined = true;
            r.period = i;
            if (before >= 0.0) { // only at i == 0: the profit never was negative
                r.time = period_start[0];
            } else {
                const std::int64_t next = i + 1 < n ? period_start[i + 1] : end;
                // In (0, 1]; halved terms, so that after - before (up to twice the largest
                // double) cannot overflow: scaling by 2 is exact, the quotient is unchanged.
                const double fraction = (-before / 2) / (after / 2 - before / 2);
                r.time = period_start[i] +
                         std::llround(fraction * static_cast<double>(next - period_start[i]));
            }
            return r;
        }
        before = after;
    }
    r.remaining_gap = cum_c - cum_r;
    r.reason = "cumulative revenue " + detail::format_number(cum_r) +
               " stays below cumulative cost " + detail::format_number(cum_c) + " up to " +
               format_time(end) + " (gap " + detail::format_number(r.remaining_gap) + ")";
    return r;
}

namespace {

// Revenue and cost of goods per month, added up in the order given.
struct month_sums {
    std::map<std::int64_t, std::pair<double, double>> by_month;
    void add(std::int64_t month, double revenue, double cost) {
        auto& [r, c] = by_month[month];
        r += revenue;
        c += cost;
    }
    monthly_totals totals() const {
        monthly_totals t;
        for (const auto& [m, rc] : by_month) {
            t.month.push_back(m);
            t.revenue.push_back(rc.first);
            t.cost.push_back(rc.second);
        }
        return t;
    }
};

monthly_totals totals_of(const transaction_view& log) {
    month_sums sums;
    for (std::size_t i = 0; i < log.size(); ++i)
        sums.add(period_index(log.seconds(i), time_unit::months), log.amount[i], log.cost[i]);
    return sums.totals();
}

} // namespace

monthly_totals monthly_log_totals(std::span<const std::int64_t> time, std::int64_t ticks_per_second,
                                  std::span<const double> amount, std::span<const double> cost) {
    const std::vector<entity_id> customer(time.size(), 0); // one placeholder customer
    transaction_view view;
    view.customer = customer;
    view.n_customers = 1;
    view.time = time;
    view.ticks_per_second = ticks_per_second;
    view.amount = amount;
    view.cost = cost;
    if (cost.size() != time.size())
        throw invalid_argument("cost", "has " + std::to_string(cost.size()) + " rows, the log " +
                                           std::to_string(time.size()));
    view.validate();
    return totals_of(view);
}

void check_fixed_costs_per_month(double fixed_costs_per_month) {
    require_nonnegative(fixed_costs_per_month, "fixed_costs_per_month");
}

break_even_over_time_result break_even_over_time(const monthly_totals& totals,
                                                 double fixed_costs_per_month) {
    check_fixed_costs_per_month(fixed_costs_per_month);
    const std::size_t n = totals.month.size();
    if (totals.revenue.size() != n || totals.cost.size() != n)
        throw invalid_argument("totals", "month, revenue and cost differ in length");
    if (n == 0) throw invalid_argument("log", "has no rows");
    // Months of the years 1..9999, the dates the library reads and writes.
    const std::int64_t lowest = period_index(min_supported_time, time_unit::months);
    const std::int64_t highest = period_index(max_supported_time, time_unit::months);
    month_sums sums;
    for (std::size_t i = 0; i < n; ++i) {
        if (totals.month[i] < lowest || totals.month[i] > highest)
            throw invalid_argument(
                "month: month " + std::to_string(totals.month[i]) + " is outside the years 1..9999",
                error_context{"month", i, {}, {}, std::to_string(totals.month[i])});
        sums.add(totals.month[i], totals.revenue[i], totals.cost[i]);
    }
    const std::int64_t first = sums.by_month.begin()->first;
    const std::int64_t last = sums.by_month.rbegin()->first;
    const auto months = static_cast<std::size_t>(last - first + 1);
    std::vector<std::int64_t> start(months);
    std::vector<double> revenue(months, 0.0);
    std::vector<double> log_cost(months, 0.0); // without the fixed costs
    for (std::size_t k = 0; k < months; ++k)
        start[k] = period_start(first + static_cast<std::int64_t>(k), time_unit::months);
    for (const auto& [m, rc] : sums.by_month) {
        revenue[static_cast<std::size_t>(m - first)] = rc.first;
        log_cost[static_cast<std::size_t>(m - first)] = rc.second;
    }
    std::vector<double> cost(months);
    for (std::size_t k = 0; k < months; ++k)
        cost[k] = log_cost[k] + fixed_costs_per_month;
    // A cumulative revenue or cost (or their difference) beyond the largest double is bad data,
    // named by its column ("amount" or "cost") and month; fixed_costs_per_month is named instead
    // when the costs of the log alone stay finite.
    double cum_r = 0.0;
    double cum_c = 0.0;
    double cum_log_c = 0.0;
    for (std::size_t k = 0; k < months; ++k) {
        cum_r += revenue[k];
        cum_c += cost[k];
        cum_log_c += log_cost[k];
        std::string column;
        if (!std::isfinite(cum_r))
            column = "amount";
        else if (!std::isfinite(cum_c))
            column = std::isfinite(cum_log_c) ? "fixed_costs_per_month" : "cost";
        else if (!std::isfinite(cum_r - cum_c))
            column = std::fabs(cum_r) >= std::fabs(cum_c) ? "amount" : "cost";
        else
            continue;
        const std::string month = format_date(start[k]).substr(0, 7);
        const std::string beyond = " beyond the largest number (about 1.8e308); state the amounts "
                                   "in a larger unit (thousands, millions)";
        if (column == "fixed_costs_per_month") {
            const std::string v = detail::format_number(fixed_costs_per_month);
            throw invalid_argument(column, v + " takes the cumulative cost up to " + month + beyond,
                                   v);
        }
        throw data_error(column + ": the cumulative " + (column == "amount" ? "revenue" : "cost") +
                             " up to " + month + " goes" + beyond,
                         error_context{column, std::nullopt, {}, column, month});
    }
    return break_even_over_time(start, period_start(last + 1, time_unit::months), revenue, cost);
}

break_even_over_time_result break_even_over_time(const transaction_view& log,
                                                 double fixed_costs_per_month) {
    require_nonnegative(fixed_costs_per_month, "fixed_costs_per_month");
    log.validate();
    if (log.size() == 0) throw invalid_argument("log", "has no rows");
    if (log.cost.empty())
        throw invalid_argument("cost",
                               "the log has no cost column (needed for the variable costs)");
    return break_even_over_time(totals_of(log), fixed_costs_per_month);
}

critical_volume_result critical_volume(double revenue, double variable_cost,
                                       std::optional<double> units, double months,
                                       double fixed_costs_per_month) {
    require_nonnegative(fixed_costs_per_month, "fixed_costs_per_month");
    require(months, "months", "finite and > 0", [](double y) { return std::isfinite(y) && y > 0; });
    require(revenue, "revenue", "finite", [](double y) { return std::isfinite(y); });
    require(variable_cost, "variable_cost", "finite", [](double y) { return std::isfinite(y); });
    if (units) require(*units, "units", "finite", [](double y) { return std::isfinite(y); });
    critical_volume_result r;
    r.months = months;
    r.revenue_per_month = revenue / months;
    r.variable_cost_per_month = variable_cost / months;
    if (units && *units > 0.0) r.units_per_month = *units / months;
    std::string reason;
    if (!(revenue > 0.0))
        reason = "the log has no net revenue (" + detail::format_number(revenue) + ")";
    else if (variable_cost < 0.0)
        reason = "the cost of goods is negative (" + detail::format_number(variable_cost) + ")";
    if (!reason.empty()) {
        r.break_even.reason = r.margin_of_safety.reason = reason;
        return r;
    }
    // One "unit" is one unit sold, or without units one unit of revenue (price 1).
    const double q = r.units_per_month ? *units : revenue;
    r.model = {fixed_costs_per_month, revenue / q, variable_cost / q};
    r.break_even = break_even(r.model);
    r.margin_of_safety = margin_of_safety(r.model, q / months);
    return r;
}

critical_volume_result critical_volume(const transaction_view& log, double fixed_costs_per_month) {
    const break_even_over_time_result months = break_even_over_time(log, fixed_costs_per_month);
    double revenue = 0.0, cost = 0.0, units = 0.0;
    for (std::size_t i = 0; i < log.size(); ++i) {
        revenue += log.amount[i];
        cost += log.cost[i];
        if (!log.quantity.empty()) {
            const double q = std::fabs(log.quantity[i]);
            units += log.amount[i] < 0.0 ? -q : q;
        }
    }
    return critical_volume(revenue, cost,
                           log.quantity.empty() ? std::nullopt : std::optional<double>(units),
                           static_cast<double>(months.period_start.size()), fixed_costs_per_month);
}

std::string_view to_string(cvp_variable v) noexcept {
    switch (v) {
    case cvp_variable::price:
        return "price";
    case cvp_variable::unit_variable_cost:
        return "unit_variable_cost";
    case cvp_variable::fixed_costs:
        return "fixed_costs";
    case cvp_variable::volume:
        return "volume";
    }
    return "price";
}

tornado_result tornado(const cvp_model& m, double sales_units, double change) {
    validate(m);
    require_nonnegative(sales_units, "sales_units");
    require(change, "change", "in [0, 1)", [](double y) { return y >= 0.0 && y < 1.0; });
    tornado_result r;
    r.change = change;
    r.sales_units = sales_units;
    r.base = break_even(m);
    r.base_profit = profit(m, sales_units);
    require_finite_result(r.base_profit, "a profit", "sales_units", sales_units);
    auto make = [&](cvp_variable var, double c) {
        sensitivity_case s;
        s.change = c;
        s.model = m;
        s.sales_units = sales_units;
        const double f = 1.0 + c;
        switch (var) {
        case cvp_variable::price:
            s.value = s.model.price *= f;
            break;
        case cvp_variable::unit_variable_cost:
            s.value = s.model.unit_variable_cost *= f;
            break;
        case cvp_variable::fixed_costs:
            s.value = s.model.fixed_costs *= f;
            break;
        case cvp_variable::volume:
            s.value = s.sales_units *= f;
            break;
        }
        // The changed input itself, then what follows from it, named by that input (its value
        // as given) when beyond the largest double.
        const std::string name(to_string(var));
        const std::string argument = var == cvp_variable::volume ? "sales_units" : name;
        const double input = var == cvp_variable::price                ? m.price
                             : var == cvp_variable::unit_variable_cost ? m.unit_variable_cost
                             : var == cvp_variable::fixed_costs        ? m.fixed_costs
                                                                       : sales_units;
        require_finite_result(s.value, ("a changed " + name).c_str(), argument, input);
        // An overflowing break-even names the fixed costs of this case (F / cm beyond 1.8e308).
        s.break_even =
            point(s.model.fixed_costs, s.model.price, s.model.price - s.model.unit_variable_cost);
        s.profit = profit(s.model, s.sales_units);
        require_finite_result(s.profit, "a profit", argument, input);
        return s;
    };
    for (const cvp_variable var : {cvp_variable::price, cvp_variable::unit_variable_cost,
                                   cvp_variable::fixed_costs, cvp_variable::volume}) {
        tornado_row row;
        row.variable = var;
        row.low = make(var, -change);
        row.high = make(var, change);
        row.profit_swing = std::fabs(row.high.profit - row.low.profit);
        require_finite_result(row.profit_swing, "a profit swing", "sales_units", sales_units);
        if (row.low.break_even.defined && row.high.break_even.defined)
            row.break_even_units_swing =
                std::fabs(row.high.break_even.units - row.low.break_even.units);
        r.rows.push_back(std::move(row));
    }
    std::stable_sort(r.rows.begin(), r.rows.end(), [](const tornado_row& a, const tornado_row& b) {
        return a.profit_swing > b.profit_swing;
    });
    return r;
}

profit_grid price_volume_grid(const cvp_model& m, double sales_units,
                              std::span<const double> price_changes,
                              std::span<const double> volume_changes) {
    validate(m);
    require_nonnegative(sales_units, "sales_units");
    auto check = [](std::span<const double> changes, const char* name) {
        for (std::size_t i = 0; i < changes.size(); ++i)
            require(changes[i], std::string(name) + ": index " + std::to_string(i),
                    "finite and > -1", [](double y) { return std::isfinite(y) && y > -1.0; });
    };
    check(price_changes, "price_changes");
    check(volume_changes, "volume_changes");
    profit_grid g;
    // A changed price or volume, or a profit, beyond the largest double names the change (list
    // and index) that leads to it, or sales_units when the unchanged volume does.
    for (std::size_t i = 0; i < price_changes.size(); ++i) {
        g.price.push_back(m.price * (1.0 + price_changes[i]));
        require_finite_result(g.price.back(), "a price",
                              "price_changes: index " + std::to_string(i), price_changes[i]);
    }
    for (std::size_t j = 0; j < volume_changes.size(); ++j) {
        g.volume.push_back(sales_units * (1.0 + volume_changes[j]));
        require_finite_result(g.volume.back(), "a volume",
                              "volume_changes: index " + std::to_string(j), volume_changes[j]);
    }
    g.profit.reserve(g.price.size() * g.volume.size());
    for (std::size_t i = 0; i < g.price.size(); ++i) {
        cvp_model changed = m;
        changed.price = g.price[i];
        for (std::size_t j = 0; j < g.volume.size(); ++j) {
            g.profit.push_back(profit(changed, g.volume[j]));
            if (!std::isfinite(g.profit.back()))
                require_finite_result(
                    g.profit.back(), "a profit",
                    volume_changes[j] > 0.0  ? "volume_changes: index " + std::to_string(j)
                    : price_changes[i] > 0.0 ? "price_changes: index " + std::to_string(i)
                                             : std::string("sales_units"),
                    volume_changes[j] > 0.0  ? volume_changes[j]
                    : price_changes[i] > 0.0 ? price_changes[i]
                                             : sales_units);
        }
    }
    return g;
}

double default_volume_max(std::optional<double> break_even_units,
                          std::optional<double> sales_units) {
    double largest = 0.0;
    for (const std::optional<double>& x : {break_even_units, sales_units})
        if (x && *x > 0.0) largest = std::max(largest, *x);
    if (largest == 0.0)
        throw invalid_argument("volume_max",
                               "required when there is no break-even point and no sales volume "
                               "above 0 to scale the chart");
    return 2.0 * largest;
}

break_even_chart break_even_chart_data(const cvp_model& m, double volume_max, std::size_t points,
                                       double volume_min) {
    break_even_chart c;
    c.break_even = break_even(m);
    if (points < 2) throw invalid_argument("points", "must be >= 2, got " + std::to_string(points));
    require_nonnegative(volume_min, "volume_min");
    require(volume_max, "volume_max",
            "finite and above volume_min " + detail::format_number(volume_min),
            [&](double y) { return std::isfinite(y) && y > volume_min; });
    c.volume.resize(points);
    c.fixed_costs.assign(points, m.fixed_costs);
    c.total_costs.resize(points);
    c.revenue.resize(points);
    const double step = (volume_max - volume_min) / static_cast<double>(points - 1);
    for (std::size_t j = 0; j < points; ++j) {
        const double q = j + 1 == points ? volume_max : volume_min + step * static_cast<double>(j);
        c.volume[j] = q;
        c.total_costs[j] = m.fixed_costs + m.unit_variable_cost * q;
        c.revenue[j] = m.price * q;
        require_finite_result(c.total_costs[j], "total costs", "volume_max", volume_max);
        require_finite_result(c.revenue[j], "a revenue", "volume_max", volume_max);
    }
    return c;
}

stepped_break_even break_even_stepped(double price, double unit_variable_cost,
                                      std::span<const double> from, std::span<const double> to,
                                      std::span<const double> fixed_costs) {
    if (to.size() != from.size() || fixed_costs.size() != from.size())
        throw invalid_argument("bands", "from, to and fixed_costs differ in length (" +
                                            std::to_string(from.size()) + ", " +
                                            std::to_string(to.size()) + ", " +
                                            std::to_string(fixed_costs.size()) + ")");
    std::vector<cost_band> bands(from.size());
    for (std::size_t i = 0; i < from.size(); ++i)
        bands[i] = cost_band{from[i], to[i], fixed_costs[i]};
    return break_even_stepped(price, unit_variable_cost, bands);
}

break_even_over_time_result break_even_over_time(std::span<const std::int64_t> time,
                                                 std::int64_t ticks_per_second,
                                                 std::span<const double> amount,
                                                 std::span<const double> cost,
                                                 double fixed_costs_per_month) {
    require_nonnegative(fixed_costs_per_month, "fixed_costs_per_month");
    if (cost.empty() && !time.empty())
        throw invalid_argument("cost",
                               "the log has no cost column (needed for the variable costs)");
    return break_even_over_time(monthly_log_totals(time, ticks_per_second, amount, cost),
                                fixed_costs_per_month);
}

namespace {

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

} // namespace

sales_mix_table read_sales_mix(const csv_table& table, std::string_view argument) {
    constexpr std::array<const char*, 4> names = {"product", "price", "unit_variable_cost", "mix"};
    std::array<std::size_t, 4> col{};
    for (std::size_t k = 0; k < names.size(); ++k) {
        const auto c = table.find_column(names[k]);
        if (!c) {
            std::string have;
            for (const auto& h : table.header)
                have += (have.empty() ? "" : ", ") + h;
            throw parse_error(table.source, table.header_line, names[k], "",
                              "missing column (the header has: " + have + ")");
        }
        col[k] = *c;
    }
    sales_mix_table t;
    std::unordered_map<std::string_view, std::size_t> seen; // product -> its first line
    seen.reserve(table.size());
    for (std::size_t r = 0; r < table.size(); ++r) {
        const std::vector<std::string>& fields = table.rows[r];
        const std::size_t line = table.line[r];
        if (fields[col[0]].empty())
            throw parse_error(table.source, line, "product", "", "empty product name");
        if (const auto [it, fresh] = seen.emplace(fields[col[0]], line); !fresh)
            throw parse_error(table.source, line, "product", fields[col[0]],
                              "product '" + detail::excerpt(fields[col[0]]) +
                                  "' is already on line " + std::to_string(it->second) +
                                  " (a mix lists each product once)");
        t.product.push_back(fields[col[0]]);
        t.price.push_back(mix_number(fields[col[1]], table.source, line, names[1], true));
        t.unit_variable_cost.push_back(
            mix_number(fields[col[2]], table.source, line, names[2], false));
        t.share.push_back(mix_number(fields[col[3]], table.source, line, names[3], false));
    }
    if (t.product.empty())
        throw invalid_argument(std::string(argument), "\"" + table.source + "\" has no products");
    return t;
}

break_even_form choose_break_even_form(const break_even_request& r, const break_even_names& names) {
    // Throws unless `ok`: "<name>: <what> <form>".
    const auto need = [](bool ok, const std::string& name, const char* what,
                         const std::string& form) {
        if (!ok) throw invalid_argument(name, std::string(what) + " " + form);
    };
    if (r.mix && r.log)
        throw invalid_argument(names.mix, "give one or the other, not also " + names.log);
    if (r.mix || r.log) {
        const std::string form = "with " + (r.mix ? names.mix : names.log);
        need(!r.price, names.price, "not used", form);
        need(!r.unit_variable_cost, names.unit_variable_cost, "not used", form);
        need(!r.sales_units, names.sales_units, "not used", form);
        need(!r.target_profit, names.target_profit, "not used", form);
        need(!r.depreciation, names.depreciation, "not used", form);
    }
    need(!r.tax_rate || r.target_profit, names.tax_rate, "not used",
         "without " + names.target_profit);
    if (r.log) {
        need(!r.fixed_costs, names.fixed_costs, "not used",
             "with " + names.log + " (give " + names.fixed_costs_per_month + ")");
        need(r.fixed_costs_per_month.has_value(), names.fixed_costs_per_month, "required",
             "with " + names.log);
        return break_even_form::over_time;
    }
    need(!r.fixed_costs_per_month, names.fixed_costs_per_month, "not used", "without " + names.log);
    need(r.fixed_costs.has_value(), names.fixed_costs, "required",
         r.mix ? "with " + names.mix
               : "for one product (or give " + names.log + " and " + names.fixed_costs_per_month +
                     ")");
    if (r.mix) return break_even_form::mix;
    const std::string either = "(or give " + names.mix + " or " + names.log + ")";
    need(r.price.has_value(), names.price, "required", either);
    need(r.unit_variable_cost.has_value(), names.unit_variable_cost, "required", either);
    return break_even_form::single;
}

CUSTOMETRICS_END_NAMESPACE
