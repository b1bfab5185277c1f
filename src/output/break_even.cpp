// The writers of the break-even results (see custometrics/output/break_even.hpp).
#include "custometrics/output/break_even.hpp"

#include "custometrics/date.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/output/strings.hpp"

#include <optional>
#include <ostream>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

// A figure that exists only when `defined` (written as null otherwise).
std::optional<double> when(bool defined, double x) {
    return defined ? std::optional<double>(x) : std::nullopt;
}

std::string month_of(std::int64_t t) {
    return format_date(t).substr(0, 7);
}

const char* basis_name(mix_basis b) {
    return b == mix_basis::revenue ? "revenue" : "units";
}

} // namespace

void write_json(detail::json_writer& w, const break_even_analysis_result& a) {
    for (const break_even_figure& f : a.figures())
        w.field(f.name, when(f.defined, f.value));
}

std::vector<std::string> figure_notes(const break_even_analysis_result& a) {
    std::vector<std::string> notes;
    if (!a.break_even.defined)
        notes.push_back(a.break_even.reason);
    else if (a.target && !a.target->defined)
        notes.push_back("target_units: " + a.target->reason);
    if (a.operating_leverage && !a.operating_leverage->defined)
        notes.push_back("operating_leverage: " + a.operating_leverage->reason);
    return notes;
}

void write_text(std::ostream& out, const break_even_analysis_result& a) {
    const break_even_point& be = a.break_even;
    out << "Break-even analysis: one product\n";
    out << "  contribution margin  " << num(be.contribution_margin) << " per unit ("
        << pct(be.contribution_margin_ratio) << " of the price)\n";
    if (!be.defined) {
        out << "  break-even           none: " << be.reason << "\n";
        return;
    }
    out << "  break-even           " << num(be.units) << " units, revenue " << num(be.revenue)
        << "\n";
    if (const auto& target = a.target) {
        out << "  target profit        ";
        if (!target->defined) {
            out << "not reachable: " << target->reason << "\n";
        } else {
            out << num(target->units) << " units, revenue " << num(target->revenue) << " (profit "
                << num(target->pre_tax_profit) << " before tax";
            if (a.inputs.tax_rate > 0.0)
                out << ", " << num(a.inputs.target_profit.value_or(0.0)) << " after "
                    << pct(a.inputs.tax_rate) << " tax";
            out << ")\n";
        }
    }
    if (const auto& mos = a.margin_of_safety) {
        out << "  margin of safety     " << num(mos->units) << " units, revenue "
            << num(mos->revenue);
        if (mos->defined) out << ", " << pct(mos->ratio) << " of sales";
        out << "\n";
        const auto& dol = a.operating_leverage;
        out << "  operating leverage   "
            << (dol->defined ? num(dol->degree) : "undefined: " + dol->reason) << "\n";
    }
    if (const auto& cash = a.cash_break_even)
        out << "  cash break-even      " << num(cash->units) << " units, revenue "
            << num(cash->revenue) << " (without " << num(a.inputs.depreciation.value_or(0.0))
            << " of non-cash costs)\n";
}

void write_json(detail::json_writer& w, const mix_break_even& r,
                std::span<const std::string> product, double fixed_costs, mix_basis basis) {
    w.field("fixed_costs", fixed_costs).field("mix_basis", basis_name(basis));
    w.field("weighted_contribution_margin", r.weighted_contribution_margin);
    w.field("weighted_contribution_margin_ratio", r.weighted_contribution_margin_ratio);
    w.field("average_price", r.average_price);
    w.field("defined", r.defined);
    if (!r.defined) w.field("reason", r.reason);
    w.field("break_even_units", when(r.defined, r.units));
    w.field("break_even_revenue", when(r.defined, r.revenue));
    w.key("products").begin_array();
    for (std::size_t i = 0; i < product.size(); ++i) {
        w.begin_object().field("product", product[i]);
        w.field("unit_share", r.unit_share[i]).field("revenue_share", r.revenue_share[i]);
        w.field("break_even_units", when(r.defined, r.product_units[i]));
        w.field("break_even_revenue", when(r.defined, r.product_revenue[i]));
        w.end_object();
    }
    w.end_array();
}

void write_text(std::ostream& out, const mix_break_even& r, std::span<const std::string> product,
                std::string_view source, mix_basis basis) {
    out << "Break-even analysis: sales mix of " << product.size() << " products (" << source
        << ", shares by " << basis_name(basis) << ")\n";
    out << "  weighted contribution margin  " << num(r.weighted_contribution_margin)
        << " per unit (" << pct(r.weighted_contribution_margin_ratio) << " of the average price "
        << num(r.average_price) << ")\n";
    if (!r.defined) {
        out << "  break-even                    none: " << r.reason << "\n";
        return;
    }
    out << "  break-even                    " << num(r.units) << " units, revenue "
        << num(r.revenue) << "\n";
    for (std::size_t i = 0; i < product.size(); ++i)
        out << "    " << product[i] << ": " << num(r.product_units[i]) << " units, revenue "
            << num(r.product_revenue[i]) << "\n";
}

void write_json(detail::json_writer& w, const break_even_over_time_result& r) {
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
    for (std::size_t i = 0; i < r.period_start.size(); ++i) {
        w.begin_object().field("month", month_of(r.period_start[i]));
        w.field("cumulative_revenue", r.cumulative_revenue[i]);
        w.field("cumulative_cost", r.cumulative_cost[i]);
        w.end_object();
    }
    w.end_array();
}

void write_text(std::ostream& out, const break_even_over_time_result& r, std::string_view indent,
                const formatter& fm) {
    // The labels are two spaces wide narrower than fm.label()'s, whose two spaces `indent`
    // replaces.
    const auto lbl = [&](std::string_view english) { return fm.label(english).substr(2); };
    out << indent << lbl("months") << month_of(r.period_start.front()) << " .. "
        << month_of(r.period_start.back()) << "  (" << r.period_start.size() << ")\n";
    out << indent << lbl("cumulative revenue")
        << fm.trf("{0}, cost {1}",
                  {fm.num(r.cumulative_revenue.back()), fm.num(r.cumulative_cost.back())})
        << "\n";
    if (r.defined)
        out << indent << lbl("break-even date")
            << fm.trf(
                   "{0}  ({1}, interpolated within {2})",
                   {format_date(r.time), format_time(r.time), month_of(r.period_start[r.period])})
            << "\n";
    else
        out << indent << lbl("break-even date")
            << fm.trf("not reached in the data: gap {0}", {fm.num(r.remaining_gap)}) << "\n";
}

void write_text(std::ostream& out, const break_even_over_time_result& r, std::string_view source,
                double fixed_costs_per_month) {
    out << "Break-even over time: " << source << ", fixed costs " << num(fixed_costs_per_month)
        << " per month\n";
    write_text(out, r, "  ");
}

std::optional<break_even_over_time_result> report_break_even_series(const transaction_log& log,
                                                                    double fixed_costs_per_month) {
    if (!log.has_cost()) return std::nullopt;
    return break_even_over_time(log.view(), fixed_costs_per_month);
}

void write_json(detail::json_writer& w, const critical_volume_result& r) {
    const bool units = r.units_per_month.has_value();
    const bool be = r.break_even.defined;
    const bool mos = r.margin_of_safety.defined;
    w.field("months", r.months);
    w.field("revenue_per_month", r.revenue_per_month);
    w.field("variable_cost_per_month", r.variable_cost_per_month);
    w.field("units_per_month", r.units_per_month);
    w.field("contribution_margin_ratio", r.break_even.contribution_margin_ratio);
    w.field("defined", be);
    if (!be) w.field("reason", r.break_even.reason);
    w.field("break_even_units_per_month", when(be && units, r.break_even.units));
    w.field("break_even_revenue_per_month", when(be, r.break_even.revenue));
    w.field("margin_of_safety_per_month", when(mos, r.margin_of_safety.revenue));
    w.field("margin_of_safety_units_per_month", when(mos && units, r.margin_of_safety.units));
    w.field("margin_of_safety_share", when(mos, r.margin_of_safety.ratio));
}

void write_text(std::ostream& out, const critical_volume_result& r, std::string_view indent,
                const formatter& fm) {
    if (!r.break_even.defined) {
        out << indent << fm.label("critical volume").substr(2)
            << fm.trf("none: {0}", {r.break_even.reason}) << "\n";
        return;
    }
    out << indent << fm.label("critical volume").substr(2);
    if (r.units_per_month)
        out << fm.trf("{0} units a month, revenue {1}",
                      {fm.num(r.break_even.units), fm.money(r.break_even.revenue)});
    else
        out << fm.trf("{0} revenue a month", {fm.money(r.break_even.revenue)});
    out << fm.trf(" (contribution margin {0})", {fm.pct(r.break_even.contribution_margin_ratio)})
        << "\n";
    const margin_of_safety_result& m = r.margin_of_safety;
    out << indent << fm.label("margin of safety").substr(2)
        << fm.trf("{0} a month", {fm.money(m.revenue)});
    if (r.units_per_month) out << fm.trf(" ({0} units)", {fm.num(m.units)});
    out << fm.trf(", {0} of sales of {1}", {fm.pct(m.ratio), fm.money(r.revenue_per_month)})
        << "\n";
}

void report_break_even_text(std::ostream& out, const std::optional<break_even_over_time_result>& r,
                            double fixed_costs_per_month,
                            const std::optional<critical_volume_result>& critical,
                            const formatter& fm) {
    out << "\n"
        << fm.trf("Break-even (fixed costs {0} per month)", {fm.num(fixed_costs_per_month)})
        << "\n";
    if (!r) {
        out << "  "
            << fm.tr("skipped: the log has no cost column (name it with --cost, --margin or "
                     "--unit-cost)")
            << "\n";
        return;
    }
    write_text(out, *r, "  ", fm);
    if (critical) write_text(out, *critical, "  ", fm);
}

void report_break_even_json(detail::json_writer& w,
                            const std::optional<break_even_over_time_result>& r,
                            double fixed_costs_per_month,
                            const std::optional<critical_volume_result>& critical) {
    w.key("break_even").begin_object();
    w.field("fixed_costs_per_month", fixed_costs_per_month);
    if (!r) {
        w.field("skipped", "the log has no cost column");
    } else {
        write_json(w, *r);
        if (critical) {
            w.key("critical_volume").begin_object();
            write_json(w, *critical);
            w.end_object();
        }
    }
    w.end_object();
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
