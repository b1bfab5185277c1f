// The report's retention economics and loyalty-programme sections (issue 14; declared in
// custometrics/output/report.hpp): each a takeaway, a chart and tables from the figures of
// `sales_report`, and the JSON members that hold the same figures.
#include "custometrics/output/report.hpp"

#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/output/economics.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/output/programme.hpp"
#include "custometrics/output/strings.hpp"
#include "custometrics/output/svg.hpp"

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

// A change as "+12.3%" / "-4.0%"; "-" when there is none.
std::string signed_pct(const std::optional<double>& x, const formatter& fm) {
    return x ? (*x >= 0 ? "+" : "") + fm.pct(*x) : "-";
}

std::string signed_num(double x, const formatter& fm, int digits = 2) {
    return (x >= 0 ? "+" : "") + fm.num(x, digits);
}

std::string money_or_dash(const std::optional<double>& x, const formatter& fm) {
    return x ? fm.money(*x) : "-";
}

// The uplift in the output's number format: whole points without decimals ("5", "5,50").
std::string uplift_text(double uplift, const formatter& fm) {
    return fm.num(uplift, uplift == std::floor(uplift) ? 0 : 2);
}

// A scenario's name in the output's language: "observed", "+5 points", "+5 percent".
std::string scenario_name(std::size_t k, double uplift, const formatter& fm) {
    const std::string u = uplift_text(uplift, fm);
    return k == 0 ? fm.tr("observed") : fm.trf(k == 1 ? "+{0} points" : "+{0} percent", {u});
}

} // namespace

void add_economics_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    const report_economics& e = r.economics;
    html_section sec = make_section("retention-economics", "What keeping customers is worth", fm);
    if (!e.result) {
        sec.takeaway = fm.trf("Skipped: {0}.", {fm.tr(e.omitted)});
        sec.notes.push_back(fm.tr("The section needs a margin (the log's cost column, or a margin "
                                  "rate given to the report) and at least two complete periods of "
                                  "the log (a year each unless a period length is given)."));
        doc.sections.push_back(std::move(sec));
        return;
    }
    const log_economics_result& x = *e.result;
    const economics_scenario& base = x.scenarios[0];
    const economics_scenario& points = x.scenarios[1];
    const std::string u = uplift_text(x.uplift, fm);
    sec.takeaway = fm.trf(
        "{0} of the customers who buy in a period of {1} days buy again in the "
        "next; with {2} points more ({3}) revenue over the next {4} periods would "
        "be {5} instead of {6} ({7}).",
        {fm.pct(x.retention_rate), fm.count(static_cast<std::size_t>(x.period_days)), u,
         fm.pct(points.retention_rate), fm.count(static_cast<std::size_t>(x.horizon)),
         fm.money(points.revenue), fm.money(base.revenue), signed_pct(points.revenue_change, fm)});
    chart c;
    c.title = fm.tr("Projected revenue per period at each retention rate");
    c.x_label = fm.tr("period ahead");
    c.y_label = fm.tr("revenue");
    html_table t;
    t.caption = fm.trf("The three scenarios over {0} periods of {1} days",
                       {fm.count(static_cast<std::size_t>(x.horizon)),
                        fm.count(static_cast<std::size_t>(x.period_days))});
    t.header = {fm.tr("scenario"),
                fm.tr("retention rate"),
                fm.tr("revenue"),
                fm.tr("change"),
                fm.tr("margin"),
                fm.tr("change"),
                fm.tr("lifetime value of a customer"),
                fm.tr("change")};
    t.numeric = {false, true, true, true, true, true, true, true};
    for (std::size_t k = 0; k < x.scenarios.size(); ++k) {
        const economics_scenario& s = x.scenarios[k];
        chart_line line{scenario_name(k, x.uplift, fm), {}, {}, k == 0};
        for (const economics_projection_point& p : s.projection) {
            line.x.push_back(p.period);
            line.y.push_back(p.revenue);
        }
        c.lines.push_back(std::move(line));
        t.rows.push_back(
            {scenario_name(k, x.uplift, fm) + (s.capped ? " " + fm.tr("(capped at 100%)") : ""),
             fm.pct(s.retention_rate), fm.money(s.revenue), signed_pct(s.revenue_change, fm),
             fm.money(s.margin), signed_pct(s.margin_change, fm),
             money_or_dash(s.lifetime_value, fm), signed_pct(s.lifetime_value_change, fm)});
    }
    sec.charts.push_back(render_svg(c, fm));
    sec.tables.push_back(std::move(t));

    html_table m;
    m.caption = fm.tr("Measured in the log");
    m.header = {fm.tr("figure"), fm.tr("value")};
    m.numeric = {false, true};
    m.rows = {{fm.tr("retention rate (95% interval)"),
               fm.trf("{0} ({1} to {2})", {fm.pct(x.retention_rate), fm.pct(x.retention_ci_low),
                                           fm.pct(x.retention_ci_high)})},
              {fm.tr("customers who bought again / customers of the period before"),
               fm.count(x.retained) + " / " + fm.count(x.retention_base)},
              {fm.trf("complete periods of {0} days",
                      {fm.count(static_cast<std::size_t>(x.period_days))}),
               fm.count(x.periods.size())},
              {fm.tr("revenue per customer and period"), fm.money(x.revenue_per_customer)},
              {fm.tr("margin per customer and period"), fm.money(x.margin_per_customer)},
              {fm.tr("margin from"),
               e.margin_source == "cost column"
                   ? fm.tr("the log's cost column")
                   : fm.trf("a margin rate of {0} (no cost column)", {fm.pct(x.margin_rate)})},
              {fm.tr("customers active in the latest period"),
               fm.count(static_cast<std::size_t>(x.customers_now))},
              {fm.tr("new customers per period"), fm.num(x.new_customers_per_period, 1)}};
    sec.tables.push_back(std::move(m));

    html_table a;
    a.caption = fm.tr("Keeping against winning customers (the article's \"8 times\")");
    a.header = {fm.tr("figure"), fm.tr("value")};
    a.numeric = {false, true};
    a.rows = {{fm.trf("customers kept in addition per period at {0} points", {"+" + u}),
               fm.num(e.extra_retained, 2)},
              {fm.tr("their lifetime value (margin)"), money_or_dash(e.extra_retained_value, fm)},
              {fm.tr("the article's spend on winning against keeping customers"),
               fm.trf("{0} times", {fm.num(article_spend_ratio, 0)})}};
    if (x.spend) {
        const economics_spend& s = *x.spend;
        a.rows.push_back({fm.tr("your spend on winning against keeping customers"),
                          s.spend_ratio ? fm.trf("{0} times", {fm.num(*s.spend_ratio, 1)}) : "-"});
        a.rows.push_back(
            {fm.tr("cost per new customer"), money_or_dash(s.cost_per_new_customer, fm)});
        a.rows.push_back(
            {fm.tr("cost per retained customer"), money_or_dash(s.cost_per_retained_customer, fm)});
        a.rows.push_back({fm.tr("cost per new / per retained customer"),
                          s.cost_ratio ? fm.trf("{0} times", {fm.num(*s.cost_ratio, 1)}) : "-"});
        a.rows.push_back({fm.tr("break-even extra retention spend per period"),
                          money_or_dash(s.break_even_retention_spend, fm)});
    }
    sec.tables.push_back(std::move(a));

    sec.notes.push_back(fm.trf(
        "The log is cut into complete periods of {0} days counted back from {1}; the retention "
        "rate is the customers who bought in a period and in the one before, over all who "
        "bought in the one before, pooled over the periods (Wilson interval). {2} rows before "
        "the first complete period are left out.",
        {fm.count(static_cast<std::size_t>(x.period_days)), fm.date(x.periods.back().end),
         fm.count(x.rows_before)}));
    sec.notes.push_back(fm.trf(
        "Projection: the customers of the latest period kept at the scenario's rate each "
        "period, plus {0} new customers a period (the log's mean), each bringing the revenue and "
        "margin per customer measured; lifetime value: the margin per customer over the expected "
        "lifetime at {1} discount per period.",
        {fm.num(x.new_customers_per_period, 1), fm.pct(x.discount_rate)}));
    sec.notes.push_back(fm.trf(
        "The article: five percent more loyal customers can raise revenue by up to 100% "
        "(Reichheld and Sasser 1990 found 25-95% more profit for five points more retention); "
        "here \"+{0} points\" adds {0} percentage points to the measured rate, \"+{0} percent\" "
        "raises it by {0}% of itself.",
        {u}));
    sec.notes.push_back(
        x.spend ? fm.tr("Cost per new customer: the acquisition spend per period over the new "
                        "customers per period; per retained customer: the retention spend over the "
                        "customers retained per period; the break-even extra retention spend keeps "
                        "the additional customers for what winning as many new ones would cost.")
                : fm.tr("The article reports that German firms spend 8 times more on winning new "
                        "customers than on bringing customers back; the customers kept in addition "
                        "are what the extra points of retention save winning anew, and their "
                        "lifetime value is the most keeping them is worth. The acquisition and "
                        "retention spends (options of retention-economics) add the costs per "
                        "customer."));
    doc.sections.push_back(std::move(sec));
}

void add_programme_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    if (!r.programme) return;
    html_section sec = make_section("programme", "Loyalty programme", fm);
    const report_programme& p = *r.programme;
    if (!p.result) {
        sec.takeaway = fm.trf("Skipped: {0}.", {fm.tr(p.omitted)});
        doc.sections.push_back(std::move(sec));
        return;
    }
    const programme_result& x = *p.result;
    const std::string level = fm.pct(x.level);
    sec.takeaway =
        fm.trf("Against comparable non-members, joining changed members' purchases by {0} "
               "a month ({1}; {2} interval {3} to {4}) and their spend by {5} a month; {6} "
               "of {7} members could be compared.",
               {signed_num(x.frequency.effect, fm), signed_pct(x.frequency.relative, fm), level,
                fm.num(x.frequency.ci_low), fm.num(x.frequency.ci_high), fm.money(x.spend.effect),
                fm.count(x.evaluated), fm.count(x.members)});
    chart c;
    c.title = fm.tr("Purchases a month before and after joining");
    c.x_label = fm.tr("group and period");
    c.y_label = fm.tr("purchases a month");
    c.bar_labels = {fm.tr("members before"), fm.tr("members after"), fm.tr("non-members before"),
                    fm.tr("non-members after")};
    c.bar_values = {x.frequency.member_pre, x.frequency.member_post, x.frequency.control_pre,
                    x.frequency.control_post};
    sec.charts.push_back(render_svg(c, fm));
    html_table t;
    t.header = {fm.tr("outcome"),
                fm.tr("members before"),
                fm.tr("members after"),
                fm.tr("non-members before"),
                fm.tr("non-members after"),
                fm.tr("effect"),
                fm.trf("{0} interval", {level})};
    t.numeric = {false, true, true, true, true, true, false};
    const auto row = [&](std::string_view name, const programme_effect& f, auto fmt) {
        t.rows.push_back({fm.tr(name), fmt(f.member_pre), fmt(f.member_post), fmt(f.control_pre),
                          fmt(f.control_post), fmt(f.effect),
                          fmt(f.ci_low) + " " + fm.tr("to") + " " + fmt(f.ci_high)});
    };
    row("purchases a month", x.frequency, [&](double v) { return fm.num(v); });
    row("spend a month", x.spend, [&](double v) { return fm.money(v); });
    row("share still buying", x.retention, [&](double v) { return fm.pct(v); });
    row("margin a month", x.margin, [&](double v) { return fm.money(v); });
    sec.tables.push_back(std::move(t));
    html_table e;
    e.caption = fm.tr("Per member over the period after joining");
    e.header = {fm.tr("figure"), fm.tr("value")};
    e.numeric = {false, true};
    e.rows = {{fm.tr("incremental margin"), fm.money(x.incremental_margin)},
              {fm.trf("its {0} interval", {level}), fm.money(x.incremental_margin_ci_low) + " " +
                                                        fm.tr("to") + " " +
                                                        fm.money(x.incremental_margin_ci_high)},
              {fm.tr("programme cost"), fm.money(x.cost)},
              {fm.tr("net"), fm.money(x.net)},
              {fm.tr("return on the programme's cost"),
               x.roi.defined ? fm.pct(x.roi.value) : fm.tr("not defined: no cost given")}};
    sec.tables.push_back(std::move(e));
    sec.notes.push_back(fm.trf(
        "Each member is compared with the non-member who bought most alike in the {0} days "
        "before joining (recency, purchases and spend; at most {1} apart in standard "
        "deviations), over the same {0} days before and {2} days after the joining date; the "
        "effect is the members' change minus the non-members' change (difference-in-"
        "differences), its interval from {3} bootstrap resamples of the pairs.",
        {fm.count(static_cast<std::size_t>(x.pre_days)), fm.num(x.caliper, 2),
         fm.count(static_cast<std::size_t>(x.post_days)), fm.count(x.bootstrap)}));
    sec.notes.push_back(
        fm.tr("Assumption: customers joined because of how they bought before joining, which the "
              "matching holds equal, not because of what they would do afterwards; where customers "
              "join as they turn active, the effect is overstated."));
    sec.notes.push_back(fm.trf(
        "Left out: {0} members not in the log, {1} who joined too soon after its start, {2} too "
        "close to its end, {3} without a purchase before joining, {4} without a comparable "
        "non-member.",
        {fm.count(x.excluded[0]), fm.count(x.excluded[1]), fm.count(x.excluded[2]),
         fm.count(x.excluded[3]), fm.count(x.excluded[4])}));
    sec.notes.push_back(
        (x.margin_from_cost
             ? fm.tr("Margin: amount minus the log's cost.")
             : fm.trf("Margin: {0} of the amount (no cost column).", {fm.pct(x.margin_rate)})) +
        " " +
        fm.tr("The report counts no programme cost; custometrics programme takes the discounts, "
              "card and fixed costs for the return on them."));
    doc.sections.push_back(std::move(sec));
}

void write_json(detail::json_writer& w, const report_economics& e) {
    w.key("retention_economics").begin_object();
    w.key("margin_source");
    e.margin_source.empty() ? w.null() : w.value(e.margin_source);
    w.key("omitted");
    e.omitted.empty() ? w.null() : w.value(e.omitted);
    if (e.result) {
        w.field("extra_retained", e.extra_retained);
        w.field("extra_retained_value", e.extra_retained_value);
        w.field("article_spend_ratio", article_spend_ratio);
        write_json(w, *e.result); // the members of `retention-economics --format json`
    }
    w.end_object();
}

void write_json(detail::json_writer& w, const std::optional<report_programme>& p) {
    w.key("programme");
    if (!p) {
        w.null();
        return;
    }
    w.begin_object().key("omitted");
    p->omitted.empty() ? w.null() : w.value(p->omitted);
    if (p->result) write_json(w, *p->result); // the members of `programme --format json`
    w.end_object();
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
