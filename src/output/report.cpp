// The report's writers (custometrics/output/report.hpp).
#include "custometrics/output/report.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/output/break_even.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/output/loyalty.hpp"
#include "custometrics/output/retention.hpp"
#include "custometrics/output/segments.hpp"
#include "custometrics/output/strings.hpp"
#include "custometrics/output/svg.hpp"
#include "custometrics/retention/purchase_model.hpp"
#include "custometrics/retention/rhythm.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <sstream>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

std::string customer_key(const report_retention_detail& d, std::size_t position,
                         const customer_summary& summary, const key_index& customers) {
    return customers.key_string(summary.customer[d.rows[position]]);
}

void write_json(detail::json_writer& w, const sales_overview& o, const std::string& source) {
    const auto u = [](std::size_t n) { return static_cast<std::uint64_t>(n); };
    w.field("source", source);
    w.field("rows", u(o.rows));
    w.field("purchase_rows", u(o.purchase_rows));
    w.field("return_rows", u(o.return_rows));
    w.field("first_date", format_date(o.first_time));
    w.field("last_date", format_date(o.last_time));
    w.field("days", o.days);
    w.field("customers", u(o.customers));
    w.field("customers_with_purchase", u(o.customers_with_purchase));
    if (o.products) w.field("products", u(*o.products));
    if (o.channels) w.field("channels", u(*o.channels));
    w.field("gross_sales", o.gross_sales);
    w.field("returns", o.returns);
    w.field("net_revenue", o.net_revenue);
    if (o.cost) {
        w.field("cost", *o.cost);
        w.field("profit", *o.profit);
    }
    w.key("revenue_per_customer").begin_object();
    w.field("mean", o.revenue_mean)
        .field("median", o.revenue_median)
        .field("p90", o.revenue_p90)
        .field("max", o.revenue_max);
    w.end_object();
    w.field("one_time_buyer_share", o.one_time_buyer_share);
    w.field("mean_frequency", o.mean_frequency);
    w.field("mean_recency_days", o.mean_recency_days);
    w.field("mean_T_days", o.mean_T_days);
    w.field("mean_repeat_purchase_value", o.mean_repeat_purchase_value);
    w.key("pareto").begin_object();
    for (const overview_pareto& p : o.pareto) {
        w.key(p.dimension).begin_object();
        w.field("n", u(p.n)).field("gini", p.gini);
        w.field("entities_for_80pct", p.entities_for_80pct).field("top20_share", p.top20_share);
        w.key("classes").begin_object();
        w.field("A", u(p.class_count[0]));
        w.field("B", u(p.class_count[1]));
        w.field("C", u(p.class_count[2]));
        w.end_object().end_object();
    }
    w.end_object();
    if (o.whale) {
        const whale_result& h = *o.whale;
        w.key("whale").begin_object().field("defined", h.defined);
        w.field("peak_share", h.peak_share).field("peak_entity_share", h.peak_entity_share);
        w.field("loss_entity_share", h.loss_entity_share).field("loss_share", h.loss_share);
        w.end_object();
    }
}

void write_text(std::ostream& out, const sales_overview& o, const std::string& source,
                const formatter& fm) {
    out << "custometrics report: " << source << "\n\n";
    out << fm.tr("Transactions") << "\n";
    out << fm.label("rows")
        << fm.trf("{0}  (purchases {1}, returns {2})",
                  {fm.count(o.rows), fm.count(o.purchase_rows), fm.count(o.return_rows)})
        << "\n";
    out << fm.label("period")
        << fm.trf("{0} .. {1}  ({2} days)", {format_date(o.first_time), format_date(o.last_time),
                                             fm.count(static_cast<std::size_t>(o.days))})
        << "\n";
    out << fm.label("customers") << fm.count(o.customers);
    if (o.customers_with_purchase != o.customers)
        out << fm.trf("  ({0} without a purchase)",
                      {fm.count(o.customers - o.customers_with_purchase)});
    out << "\n";
    if (o.products) out << fm.label("products") << fm.count(*o.products) << "\n";
    if (o.channels) out << fm.label("channels") << fm.count(*o.channels) << "\n";
    out << "\n" << fm.tr("Revenue") << "\n";
    out << fm.label("gross sales") << fm.money(o.gross_sales) << "\n";
    out << fm.label("returns")
        << fm.trf(
               "{0}  ({1} of gross)",
               {fm.money(-o.returns), fm.pct(o.gross_sales > 0 ? o.returns / o.gross_sales : 0.0)})
        << "\n";
    out << fm.label("net revenue") << fm.money(o.net_revenue) << "\n";
    if (o.cost) {
        out << fm.label("cost of goods") << fm.money(*o.cost) << "\n";
        out << fm.label("gross profit")
            << fm.trf("{0}  (margin {1})",
                      {fm.money(*o.profit),
                       fm.pct(o.net_revenue != 0 ? *o.profit / o.net_revenue : 0.0)})
            << "\n";
    }
    out << "\n" << fm.tr("Per customer (net revenue)") << "\n";
    out << fm.label("mean / median") << fm.money(o.revenue_mean) << " / "
        << fm.money(o.revenue_median) << "\n";
    out << fm.label("90th pct / max") << fm.money(o.revenue_p90) << " / " << fm.money(o.revenue_max)
        << "\n";
    out << "\n" << fm.tr("Purchase behaviour (periods of one day)") << "\n";
    out << fm.label("one-time buyers") << fm.pct(o.one_time_buyer_share) << "\n";
    out << fm.label("repeat purchases")
        << fm.trf("{0} per customer on average", {fm.num(o.mean_frequency)}) << "\n";
    out << fm.label("recency / age (T)")
        << fm.trf("{0} / {1} days on average",
                  {fm.num(o.mean_recency_days, 1), fm.num(o.mean_T_days, 1)})
        << "\n";
    out << fm.label("repeat order value")
        << fm.trf("{0} on average", {fm.money(o.mean_repeat_purchase_value)}) << "\n";
    out << "\n"
        << fm.tr("Pareto (net revenue)   80% from top   top 20% make    Gini    A / B / C") << "\n";
    for (const overview_pareto& p : o.pareto) {
        char line[160];
        std::snprintf(line, sizeof line, "%s %13s %14s %7s    %zu / %zu / %zu\n",
                      fm.label(p.dimension + "s", 22).c_str(), fm.pct(p.entities_for_80pct).c_str(),
                      fm.pct(p.top20_share).c_str(), fm.num(p.gini, 3).c_str(), p.class_count[0],
                      p.class_count[1], p.class_count[2]);
        out << line;
    }
    if (o.whale && o.whale->defined)
        out << "  "
            << fm.trf(
                   "whale curve (profit by customer): peaks at {0} after the top {1}; loss makers "
                   "{2} of customers destroy {3} of total profit",
                   {fm.pct(o.whale->peak_share), fm.pct(o.whale->peak_entity_share),
                    fm.pct(o.whale->loss_entity_share), fm.pct(o.whale->loss_share)})
            << "\n";
    else if (o.whale)
        out << "  "
            << fm.trf("whale curve (profit by customer): not defined: {0}", {o.whale->reason})
            << "\n";
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

const char* const class_names[] = {"A", "B", "C"};

// "customers", "products", "channels" in the report's language.
std::string plural(const std::string& dimension, const formatter& fm) {
    return fm.tr(dimension + "s");
}

html_table six_step_table(const overview_pareto& p, const formatter& fm) {
    html_table t;
    t.caption = fm.trf("Top {0} {1} by net revenue (the article's six steps: list, sort, share, "
                       "cumulate, class)",
                       {std::to_string(p.top.size()), plural(p.dimension, fm)});
    t.header = {fm.tr("rank"),  fm.tr(p.dimension),        fm.tr("net revenue"),
                fm.tr("share"), fm.tr("cumulative share"), fm.tr("class")};
    t.numeric = {true, false, true, true, true, false};
    for (const ranked_entity& e : p.top)
        t.rows.push_back({std::to_string(e.rank), e.name, fm.money(e.value), fm.pct(e.share),
                          fm.pct(e.cum_share), class_names[static_cast<int>(e.abc)]});
    return t;
}

html_table class_table(const overview_pareto& p, const formatter& fm) {
    html_table t;
    t.caption = fm.tr("A/B/C classes (A: up to 80% of revenue, B: up to 95%, C: the rest)");
    t.header = {fm.tr("class"), plural(p.dimension, fm),
                fm.trf("share of {0}", {plural(p.dimension, fm)}), fm.tr("share of revenue")};
    t.numeric = {false, true, true, true};
    for (int k = 0; k < 3; ++k) {
        const double n = static_cast<double>(p.class_count[static_cast<std::size_t>(k)]);
        t.rows.push_back({class_names[k], fm.count(p.class_count[static_cast<std::size_t>(k)]),
                          fm.pct(p.n > 0 ? n / static_cast<double>(p.n) : 0.0),
                          fm.pct(p.class_share[static_cast<std::size_t>(k)])});
    }
    return t;
}

std::string pareto_curve_svg(const overview_pareto& p, const formatter& fm) {
    chart c;
    c.title = fm.trf("Pareto curve: net revenue by {0}", {fm.tr(p.dimension)});
    c.x_label = fm.trf("share of {0} (largest first)", {plural(p.dimension, fm)});
    c.y_label = fm.tr("cumulative share of net revenue");
    c.x_format = c.y_format = axis_format::percent;
    c.y_max = 1.0;
    c.lines.push_back({plural(p.dimension, fm),
                       {p.curve.x.begin(), p.curve.x.end()},
                       {p.curve.y.begin(), p.curve.y.end()},
                       false});
    c.lines.push_back({fm.tr("equal shares"), {0.0, 1.0}, {0.0, 1.0}, true});
    c.marks.push_back(
        {p.entities_for_80pct, 0.8, fm.trf("{0} make 80%", {fm.pct(p.entities_for_80pct)})});
    return render_svg(c, fm);
}

std::string pareto_bars_svg(const overview_pareto& p, const formatter& fm) {
    chart c;
    const bool grouped = p.bar_labels.size() == 10 && p.n > 30;
    c.title = grouped
                  ? fm.trf("Pareto chart: net revenue by tenth of {0}", {plural(p.dimension, fm)})
                  : fm.trf("Pareto chart: net revenue by {0}", {fm.tr(p.dimension)});
    c.x_label = grouped ? fm.trf("{0} grouped by rank (largest first)", {plural(p.dimension, fm)})
                        : fm.trf("{0} (by rank)", {fm.tr(p.dimension)});
    c.y_label = fm.tr("net revenue");
    c.bar_labels = p.bar_labels;
    c.bar_values = p.bar_values;
    c.bar_cumulative = p.bar_cum_share;
    return render_svg(c, fm);
}

std::string lorenz_svg(const overview_pareto& p, const formatter& fm) {
    chart c;
    c.title =
        fm.trf("Lorenz curve of {0} (Gini {1})", {plural(p.dimension, fm), fm.num(p.gini, 3)});
    c.x_label = fm.trf("share of {0} (smallest first)", {plural(p.dimension, fm)});
    c.y_label = fm.tr("cumulative share of net revenue");
    c.x_format = c.y_format = axis_format::percent;
    c.y_max = 1.0;
    c.lines.push_back({fm.tr("Lorenz curve"),
                       {p.lorenz.x.begin(), p.lorenz.x.end()},
                       {p.lorenz.y.begin(), p.lorenz.y.end()},
                       false});
    c.lines.push_back({fm.tr("equal shares"), {0.0, 1.0}, {0.0, 1.0}, true});
    return render_svg(c, fm);
}

} // namespace

void add_html_sections(html_document& doc, const sales_overview& o, const formatter& fm) {
    html_section glance = make_section("glance", "At a glance", fm);
    glance.takeaway =
        fm.trf("{0} customers bought for {1} net between {2} and {3}; {4} of them "
               "bought on one day only.",
               {fm.count(o.customers_with_purchase), fm.money(o.net_revenue), fm.date(o.first_time),
                fm.date(o.last_time), fm.pct(o.one_time_buyer_share)});
    html_table facts;
    facts.header = {fm.tr("figure"), fm.tr("value")};
    facts.numeric = {false, true};
    facts.rows = {{fm.tr("rows (purchases / returns)"), fm.count(o.rows) + " (" +
                                                            fm.count(o.purchase_rows) + " / " +
                                                            fm.count(o.return_rows) + ")"},
                  {fm.tr("days"), fm.count(static_cast<std::size_t>(o.days))},
                  {fm.tr("customers"), fm.count(o.customers)},
                  {fm.tr("gross sales"), fm.money(o.gross_sales)},
                  {fm.tr("returns"), fm.money(-o.returns)},
                  {fm.tr("net revenue"), fm.money(o.net_revenue)}};
    if (o.cost) {
        facts.rows.push_back({fm.tr("cost of goods"), fm.money(*o.cost)});
        facts.rows.push_back({fm.tr("gross profit"), fm.money(*o.profit)});
    }
    facts.rows.push_back({fm.tr("net revenue per customer: mean / median"),
                          fm.money(o.revenue_mean) + " / " + fm.money(o.revenue_median)});
    facts.rows.push_back({fm.tr("repeat purchases per customer"), fm.num(o.mean_frequency)});
    facts.rows.push_back({fm.tr("repeat order value"), fm.money(o.mean_repeat_purchase_value)});
    glance.tables.push_back(std::move(facts));
    glance.notes.push_back(fm.tr("Net revenue is purchases minus returns. A repeat purchase is a "
                                 "purchase on a later day than the customer's first."));
    if (o.customers != o.customers_with_purchase)
        glance.notes.push_back(fm.trf("{0} customers have returns only and no purchase.",
                                      {fm.count(o.customers - o.customers_with_purchase)}));
    doc.sections.push_back(std::move(glance));

    html_section sources = make_section("sources", "Where sales come from", fm);
    if (!o.pareto.empty()) {
        const overview_pareto& c = o.pareto.front();
        sources.takeaway = fm.trf(
            "The top 20% of customers bring {0} of net revenue; {1} of "
            "customers (class A: {2}) make 80% of it.",
            {fm.pct(c.top20_share), fm.pct(c.entities_for_80pct), fm.count(c.class_count[0])});
    }
    for (const overview_pareto& p : o.pareto) {
        sources.charts.push_back(pareto_curve_svg(p, fm));
        if (!p.bar_values.empty()) sources.charts.push_back(pareto_bars_svg(p, fm));
        if (p.dimension == "customer") sources.charts.push_back(lorenz_svg(p, fm));
        sources.tables.push_back(six_step_table(p, fm));
        sources.tables.push_back(class_table(p, fm));
        if (p.not_ranked > 0)
            sources.notes.push_back(fm.trf(
                "{0} {1} with net revenue of 0 or less (together {2}) "
                "are not ranked and belong to no class.",
                {fm.count(p.not_ranked), plural(p.dimension, fm), fm.money(p.not_ranked_total)}));
    }
    sources.notes.push_back(
        fm.tr("Classes follow the article: A up to 80% of cumulative net "
              "revenue, B up to 95%, C the rest; an entity is in the class where "
              "its cumulative share starts."));
    doc.sections.push_back(std::move(sources));

    if (o.whale) {
        const whale_result& w = *o.whale;
        html_section profit = make_section("profit", "Profit by customer", fm);
        if (w.defined) {
            profit.takeaway =
                fm.trf("The profitable {0} of customers earn {1} of total profit; the "
                       "{2} who lose money destroy {3} of it.",
                       {fm.pct(w.peak_entity_share), fm.pct(w.peak_share),
                        fm.pct(w.loss_entity_share), fm.pct(w.loss_share)});
            const curve_points pts = w.curve(201);
            chart c;
            c.title = fm.tr("Whale curve: cumulative profit by customer");
            c.x_label = fm.tr("share of customers (most profitable first)");
            c.y_label = fm.tr("cumulative share of total profit");
            c.x_format = c.y_format = axis_format::percent;
            c.lines.push_back({fm.tr("customers"),
                               {pts.x.begin(), pts.x.end()},
                               {pts.y.begin(), pts.y.end()},
                               false});
            c.marks.push_back(
                {w.peak_entity_share, w.peak_share, fm.trf("peak {0}", {fm.pct(w.peak_share)})});
            profit.charts.push_back(render_svg(c, fm));
        } else {
            profit.takeaway = fm.trf("The whale curve is not defined: {0}.", {w.reason});
        }
        profit.notes.push_back(fm.tr("Profit is net revenue minus the cost of goods of each row."));
        doc.sections.push_back(std::move(profit));
    }
}

namespace {

const char* const p_alive_bin_labels[] = {"0-10%",  "10-20%", "20-30%", "30-40%", "40-50%",
                                          "50-60%", "60-70%", "70-80%", "80-90%", "90-100%"};

std::string criterion_name(const report_model_choice& c, const formatter& fm) {
    switch (c.selection.criterion) {
    case selection_criterion::mae:
        return fm.tr("holdout MAE");
    case selection_criterion::rmse:
        return fm.tr("holdout RMSE");
    case selection_criterion::aggregate:
        return fm.tr("holdout error of the total");
    case selection_criterion::bic:
        break;
    }
    return "BIC";
}

// "BG/NBD 0.5120, MBG/NBD 0.4980, Pareto/NBD not usable".
std::string candidate_scores(const report_model_choice& c, const formatter& fm) {
    std::string s;
    for (const model_score& m : c.selection.models) {
        if (!s.empty()) s += ", ";
        s += std::string(display_name(m.model)) + " " +
             (m.usable ? fm.num(m.score, c.selection.criterion == selection_criterion::bic ? 1 : 4)
                       : fm.tr("not usable"));
    }
    return s;
}

std::string choice_sentence(const report_model_choice& c, const formatter& fm) {
    if (c.selection.models.empty() || !c.selection.chosen) return c.note;
    std::string s = fm.trf("smallest {0}", {criterion_name(c, fm)});
    if (c.calibration_end)
        s += fm.trf(" over the last {0} days", {fm.num(c.holdout_days, 0)});
    else if (!c.note.empty())
        s += " (" + c.note + ")";
    return s + " (" + candidate_scores(c, fm) + ")";
}

std::string choice_sentence_short(const report_model_choice& c, const formatter& fm) {
    if (!c.selection.chosen) return c.note;
    return fm.trf("smallest {0}", {criterion_name(c, fm)}) +
           (c.calibration_end ? fm.trf(" over the last {0} days", {fm.num(c.holdout_days, 0)})
                              : "");
}

// Which date timed a call-list entry, in words: "own rhythm" or "model".
std::string timed_by(const contact_entry& c, const formatter& fm) {
    return fm.tr(c.timing == contact_timing::rhythm ? "own rhythm" : "model");
}

} // namespace

void write_text(std::ostream& out, const report_model_choice& c, const formatter& fm) {
    out << fm.label("model choice") << display_name(c.model) << ": " << choice_sentence(c, fm)
        << "\n";
}

void write_json(detail::json_writer& w, const report_model_choice& c) {
    w.key("model_choice").begin_object();
    w.field("criterion", to_string(c.selection.criterion));
    w.field("calibration_end",
            c.calibration_end ? std::optional(format_date(*c.calibration_end)) : std::nullopt);
    w.field("holdout_days", c.holdout_days);
    w.field("chosen", to_string(c.model));
    if (!c.note.empty()) w.field("note", c.note);
    w.key("candidates").begin_array();
    for (const model_score& m : c.selection.models) {
        w.begin_object().field("model", to_string(m.model)).field("usable", m.usable);
        w.field("score", m.score);
        w.field("mae", c.selection.has_holdout ? std::optional(m.holdout.mae) : std::nullopt);
        w.field("rmse", c.selection.has_holdout ? std::optional(m.holdout.rmse) : std::nullopt);
        w.field("bic", m.bic);
        if (!m.usable) w.field("reason", m.reason);
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

void write_text(std::ostream& out, const report_retention_detail& d,
                const customer_summary& summary, const key_index& customers, const formatter& fm) {
    out << fm.label("P(alive) by tenths", 22);
    for (std::size_t k = 0; k < d.p_alive_histogram.size(); ++k)
        out << (k == 0 ? " " : ", ") << p_alive_bin_labels[k] << " "
            << fm.count(d.p_alive_histogram[k]);
    out << "\n";
    if (!d.contacts) {
        out << fm.label("call list") << fm.tr("none: no lifetime value") << "\n";
        return;
    }
    const contact_plan& p = *d.contacts;
    out << fm.label("call list")
        << fm.trf(
               "{0} customers of highest lifetime value expected to buy within {1} days (call {2} "
               "days before), value at risk {3}",
               {fm.count(p.contacts.size()), fm.num(d.contact_options.within_days, 0),
                fm.num(d.contact_options.lead_days, 0), fm.money(p.value_at_risk)})
        << "\n";
    std::size_t width = 0;
    for (const contact_entry& c : p.contacts)
        width = std::max(width, customer_key(d, c.customer, summary, customers).size());
    for (const contact_entry& c : p.contacts)
        out << "    " << customer_key(d, c.customer, summary, customers)
            << std::string(width - customer_key(d, c.customer, summary, customers).size(), ' ') << "  "
            << fm.tr("P(alive)") << " "
            << fm.trf("{0}, {1} purchases in 90 days, value {2}, call {3}",
                      {fm.pct(c.p_alive), fm.num(d.scores.expected_purchases[c.customer]),
                       fm.money(c.clv), date_or_empty(c.call_date)})
            << (p.with_rhythm ? fm.trf(", timed by {0}", {timed_by(c, fm)}) : "") << "\n";
}

void write_json(detail::json_writer& w, const report_retention_detail& d,
                const customer_summary& summary, const key_index& customers) {
    w.key("p_alive_histogram").begin_object().field("bin_width", 0.1);
    w.key("counts").begin_array();
    for (const std::size_t n : d.p_alive_histogram)
        w.value(static_cast<std::uint64_t>(n));
    w.end_array().end_object();
    w.key("call_list");
    if (!d.contacts) {
        w.null();
        w.key("win_back").null();
        return;
    }
    const contact_plan& p = *d.contacts;
    w.begin_object();
    w.field("within_days", d.contact_options.within_days);
    w.field("lead_days", d.contact_options.lead_days);
    w.field("value_at_risk", p.value_at_risk);
    if (p.with_rhythm) w.field("timing", to_string(p.timing));
    w.key("customers").begin_array();
    for (const contact_entry& c : p.contacts) {
        w.begin_object().field("customer_id", customer_key(d, c.customer, summary, customers));
        w.field("p_alive", c.p_alive);
        w.field("expected_purchases_90d", d.scores.expected_purchases[c.customer]);
        w.field("value_at_risk", c.clv);
        w.field("call_date", date_or_null(c.call_date));
        w.field("next_purchase_date", date_or_null(c.next_purchase_date));
        if (p.with_rhythm) {
            w.field("timing", to_string(c.timing));
            w.field("rhythm_date", date_or_null(c.rhythm_date));
            w.field("due_days", c.due_days);
        }
        w.end_object();
    }
    w.end_array().end_object();
    w.key("win_back");
    if (!d.win_back) {
        w.null();
        return;
    }
    const report_win_back& b = *d.win_back;
    w.begin_object().field("at_risk_below", b.at_risk_below);
    w.field("lapsed", static_cast<std::uint64_t>(b.lapsed));
    w.field("lapsed_revenue", b.lapsed_revenue);
    w.field("within_days", b.within_days).field("lead_days", b.lead_days);
    w.key("customers").begin_array();
    for (std::size_t k = 0; k < b.customers.size(); ++k) {
        const contact_entry& c = b.customers[k];
        w.begin_object().field("customer_id", customer_key(d, c.customer, summary, customers));
        w.field("revenue", b.revenue[k]).field("p_alive", c.p_alive).field("clv", c.clv);
        w.field("contact_date", date_or_null(c.call_date));
        w.field("next_purchase_date", date_or_null(c.next_purchase_date));
        w.end_object();
    }
    w.end_array().end_object();
}

void write_call_list_csv(std::ostream& out, const sales_report& r) {
    const report_retention_detail& d = r.retention_detail;
    if (!d.contacts) {
        write_csv(out, contact_plan{}, {});
        return;
    }
    // The contacts writer names customer `c.customer` by `keys[c.customer]`: renumber the listed
    // customers 0..n-1 so that only their keys are made (not one per scored customer).
    contact_plan listed = *d.contacts;
    std::vector<std::string> keys;
    keys.reserve(listed.contacts.size());
    for (contact_entry& c : listed.contacts) {
        keys.push_back(customer_key(d, c.customer, r.summary, r.customer_keys));
        c.customer = keys.size() - 1;
    }
    write_csv(out, listed, keys);
}

void write_win_back_csv(std::ostream& out, const sales_report& r) {
    const report_retention_detail& d = r.retention_detail;
    out << "customer_id,revenue,p_alive,clv,contact_date,next_purchase_date\n";
    if (!d.win_back) return;
    const report_win_back& b = *d.win_back;
    for (std::size_t k = 0; k < b.customers.size(); ++k) {
        const contact_entry& c = b.customers[k];
        out << csv_field(customer_key(d, c.customer, r.summary, r.customer_keys)) << ','
            << number_text(b.revenue[k]) << ',' << number_text(c.p_alive) << ','
            << number_text(c.clv) << ',' << date_or_empty(c.call_date) << ','
            << date_or_empty(c.next_purchase_date) << '\n';
    }
}

html_download csv_download(std::string file_name, std::size_t rows, std::string content,
                           const formatter& fm) {
    html_download link;
    link.text = fm.trf("Download these {0} customers as CSV ({1}: the rows of the table, numbers "
                       "with a decimal point and no grouping, dates as YYYY-MM-DD)",
                       {fm.count(rows), file_name});
    link.file_name = std::move(file_name);
    link.content = std::move(content);
    return link;
}

void write_json(detail::json_writer& w, const std::optional<report_period_change>& p,
                const key_index& customers) {
    w.key("period_comparison");
    if (!p) {
        w.null();
        return;
    }
    const period_comparison& c = p->comparison;
    w.begin_object();
    w.key("before").begin_object().field("start", format_date(p->before_start));
    w.field("end", format_date(p->after_start - seconds_per_day)).end_object();
    w.key("after").begin_object().field("start", format_date(p->after_start));
    w.field("end", format_date(p->end)).end_object();
    w.field("revenue_before", p->revenue_before).field("revenue_after", p->revenue_after);
    w.field("revenue_change", p->revenue_change);
    w.field("spearman", c.spearman.defined ? std::optional(c.spearman.rho) : std::nullopt);
    for (const auto& [name, ids] : {std::pair{"entered_a", &c.entered_a}, {"left_a", &c.left_a}}) {
        w.key(name).begin_array();
        for (const entity_id id : *ids)
            w.value(customers.key_string(id));
        w.end_array();
    }
    w.key("by_class").begin_object();
    for (std::size_t k = 0; k < 4; ++k) {
        w.key(k < 3 ? class_names[k] : "none").begin_object();
        w.field("customers", static_cast<std::uint64_t>(p->class_customers[k]));
        w.field("revenue_before", p->class_revenue_before[k]);
        w.field("revenue_after", p->class_revenue_after[k]).end_object();
    }
    w.end_object().end_object();
}

void write_json(detail::json_writer& w, const std::optional<report_matrix>& m) {
    w.key("matrix");
    if (!m) {
        w.null();
        return;
    }
    const attractiveness_analysis& a = m->analysis;
    w.begin_object();
    w.key("cuts").begin_object().field("low", a.matrix->cuts.low);
    w.field("high", a.matrix->cuts.high).end_object();
    w.key("revenue_source");
    m->revenue_source.empty() ? w.null() : w.value(m->revenue_source);
    w.key("segments").begin_array();
    for (const std::size_t s : a.scores.order) {
        const matrix_cell& c = a.matrix->cells[s];
        w.begin_object().field("segment", a.segments[s]);
        w.field("rank", static_cast<std::uint64_t>(a.scores.rank[s]));
        w.field("attractiveness", a.scores.score[s]).field("strength", a.strength->score[s]);
        w.field("attractiveness_level", to_string(c.attractiveness));
        w.field("strength_level", to_string(c.strength)).field("zone", to_string(c.zone));
        w.key("revenue");
        m->revenue.empty() ? w.null() : w.value(m->revenue[s]);
        w.end_object();
    }
    w.end_array().end_object();
}

void write_text(std::ostream& out, const sales_report& r) {
    const formatter& fm = r.format;
    // The page's sections that the text has no block of its own for, as text (the same cells).
    const auto section_text = [&](void (*add)(html_document&, const sales_report&)) {
        html_document doc;
        add(doc, r);
        for (const html_section& s : doc.sections)
            write_text(out, s, fm);
    };
    write_text(out, r.overview, r.source, fm);
    section_text(add_period_section);
    section_text(add_segments_section); // the RFM segments (their means: the JSON's rfm)
    section_text(add_matrix_section);
    report_retention_text(out, r.retention, r.summary, r.customer_keys, fm);
    write_text(out, r.model_choice, fm);
    write_text(out, r.retention_detail, r.summary, r.customer_keys, fm);
    section_text(add_win_back_section);
    if (r.fixed_costs_per_month)
        report_break_even_text(out, r.break_even, *r.fixed_costs_per_month, r.critical, fm);
    section_text(add_loyalty_section);
    report_loyalty_text(out, r.loyalty, fm);
    section_text(add_economics_section);
    section_text(add_programme_section);
}

void write_json(std::ostream& out, const sales_report& r) {
    // Built whole first (write_json_object): a key that is not UTF-8 midway leaves no JSON.
    detail::write_json_object(out, [&](detail::json_writer& w) {
        write_json(w, r.overview, r.source);
        report_rfm_json(w, r.rfm, r.rfm_profiles);
        w.key("retention").begin_object();
        report_retention_members(w, r.retention, r.summary, r.customer_keys);
        write_json(w, r.model_choice);
        write_json(w, r.retention_detail, r.summary, r.customer_keys);
        w.end_object();
        if (r.fixed_costs_per_month)
            report_break_even_json(w, r.break_even, *r.fixed_costs_per_month, r.critical);
        report_loyalty_json(w, r.loyalty);
        write_json(w, r.period_change, r.customer_keys);
        write_json(w, r.matrix);
        write_json(w, r.economics);
        write_json(w, r.programme);
    });
}

namespace {

// "Who is likely to stay": the retention overview (the chosen purchase model and Gamma-Gamma on the
// summary in days), its figures and the customers of highest lifetime value.
void add_retention_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    const retention_overview_result& o = r.retention;
    const retention_overview_options defaults;
    html_section sec = make_section("retention", "Who is likely to stay", fm);
    const double n = static_cast<double>(o.customers);
    sec.takeaway = fm.trf("{0} customers: about {1} are expected to still be buying; {2} are at "
                          "risk, with {3} of revenue so far.",
                          {fm.count(o.customers), fm.pct(n > 0 ? o.expected_alive / n : 0),
                           fm.count(o.at_risk), fm.money(o.at_risk_revenue)});
    html_table facts;
    facts.header = {fm.tr("figure"), fm.tr("value")};
    facts.numeric = {false, true};
    facts.rows = {{fm.tr("customers expected to be active"),
                   fm.count(static_cast<std::size_t>(std::llround(o.expected_alive)))},
                  {fm.trf("at risk (P(alive) below {0})", {fm.pct(defaults.at_risk_below)}),
                   fm.count(o.at_risk)},
                  {fm.tr("revenue of the customers at risk"), fm.money(o.at_risk_revenue)},
                  {fm.trf("purchases expected in the next {0} days", {fm.num(defaults.horizon, 0)}),
                   fm.count(static_cast<std::size_t>(std::llround(o.expected_purchases)))}};
    if (o.spend)
        facts.rows.push_back(
            {fm.tr("12-month lifetime value, all customers"), fm.money(o.clv_total)});
    sec.tables.push_back(std::move(facts));
    if (!o.top_customers.empty()) {
        html_table top;
        top.caption = fm.tr("Highest 12-month lifetime value");
        top.header = {fm.tr("customer"), fm.tr("lifetime value")};
        top.numeric = {false, true};
        for (std::size_t k = 0; k < o.top_customers.size(); ++k)
            top.rows.push_back({r.customer_keys.key_string(r.summary.customer[o.top_customers[k]]),
                                fm.money(o.top_clv[k])});
        sec.tables.push_back(std::move(top));
    }
    const report_model_choice& mc = r.model_choice;
    if (!mc.selection.models.empty()) {
        html_table models;
        models.caption = fm.trf("Purchase model: {0}, {1}",
                                {display_name(mc.model), choice_sentence_short(mc, fm)});
        models.header = {fm.tr("model"), mc.selection.has_holdout ? fm.tr("holdout MAE") : "MAE",
                         mc.selection.has_holdout ? fm.tr("holdout RMSE") : "RMSE", "BIC",
                         fm.tr("chosen")};
        models.numeric = {false, true, true, true, false};
        for (std::size_t k = 0; k < mc.selection.models.size(); ++k) {
            const model_score& m = mc.selection.models[k];
            const bool h = mc.selection.has_holdout && m.usable;
            models.rows.push_back({std::string(display_name(m.model)),
                                   h ? fm.num(m.holdout.mae, 4) : "-",
                                   h ? fm.num(m.holdout.rmse, 4) : "-",
                                   m.usable ? fm.num(m.bic, 1) : fm.tr("not usable"),
                                   mc.selection.chosen == k ? fm.tr("yes") : ""});
        }
        sec.tables.push_back(std::move(models));
    }
    const report_retention_detail& d = r.retention_detail;
    {
        chart c;
        c.title = fm.tr("How likely customers are still buying: P(alive)");
        c.x_label = fm.tr("P(alive)");
        c.y_label = fm.tr("customers");
        c.bar_labels.assign(std::begin(p_alive_bin_labels), std::end(p_alive_bin_labels));
        for (const std::size_t customers : d.p_alive_histogram)
            c.bar_values.push_back(static_cast<double>(customers));
        sec.charts.push_back(render_svg(c, fm));
    }
    if (d.contacts) {
        html_table calls;
        calls.caption = fm.trf(
            "Who to call: the {0} customers of highest lifetime value expected to "
            "buy within {1} days",
            {fm.count(d.contacts->contacts.size()), fm.num(d.contact_options.within_days, 0)});
        calls.header = {
            fm.tr("customer"),      fm.tr("P(alive)"), fm.tr("purchases expected (90 days)"),
            fm.tr("value at risk"), fm.tr("call on"),  fm.tr("next purchase expected")};
        calls.numeric = {false, true, true, true, false, false};
        const bool rhythm = d.contacts->with_rhythm;
        if (rhythm) {
            calls.header.insert(calls.header.end(), {fm.tr("timed by"), fm.tr("own-rhythm date")});
            calls.numeric.insert(calls.numeric.end(), {false, false});
        }
        for (const contact_entry& c : d.contacts->contacts) {
            calls.rows.push_back({customer_key(d, c.customer, r.summary, r.customer_keys),
                                  fm.pct(c.p_alive),
                                  fm.num(d.scores.expected_purchases[c.customer]), fm.money(c.clv),
                                  date_or_empty(c.call_date), date_or_empty(c.next_purchase_date)});
            if (rhythm)
                calls.rows.back().insert(calls.rows.back().end(),
                                         {timed_by(c, fm), c.rhythm_date == no_time
                                                               ? std::string("-")
                                                               : format_date(c.rhythm_date)});
        }
        if (!calls.rows.empty()) {
            std::ostringstream csv;
            write_call_list_csv(csv, r);
            calls.download =
                csv_download("who_to_call.csv", calls.rows.size(), std::move(csv).str(), fm);
        }
        sec.tables.push_back(std::move(calls));
    }
    sec.notes.push_back(
        fm.trf("Model: {0} (purchases and dropping out) fitted by maximum likelihood on the "
               "customers' purchase days, chosen among BG/NBD, MBG/NBD and Pareto/NBD: ",
               {display_name(mc.model)}) +
        (mc.calibration_end
             ? fm.trf("each was fitted on the log up to {0} and predicted every customer's "
                      "purchases in the remaining {1} days; the smallest mean absolute error (MAE) "
                      "wins, and the winner is fitted again on the whole log.",
                      {fm.date(*mc.calibration_end), fm.num(mc.holdout_days, 0)})
             : choice_sentence(mc, fm) + ".") +
        fm.tr(" P(alive) is the probability a customer still buys.") +
        (mc.model == purchase_model_kind::bg_nbd
             ? fm.tr(" BG/NBD counts a customer with one purchase day as active.")
             : ""));
    if (d.contacts)
        sec.notes.push_back(fm.trf("Value at risk is the customer's 12-month lifetime value; the "
                                   "call date is {0} days before the expected next purchase (the "
                                   "median wait).",
                                   {fm.num(d.contact_options.lead_days, 0)}));
    if (d.contacts && d.contacts->with_rhythm)
        sec.notes.push_back(fm.trf(
            "Timed by own rhythm: a regular buyer (at least {0} purchase days, the gaps between "
            "them varying by a coefficient of variation of at most {1}) is expected again on the "
            "last purchase day plus the mean gap and called {2} days before it, as the article "
            "calls a customer two weeks before his usual purchase; the others are timed by the "
            "model.",
            {fm.count(rhythm_options{}.min_purchases), fm.num(rhythm_options{}.max_cv, 1),
             fm.num(d.contact_options.lead_days, 0)}));
    if (o.too_new > 0)
        sec.notes.push_back(fm.trf("{0} customers who bought on the last day only are left out (no "
                                   "time observed yet).",
                                   {fm.count(o.too_new)}));
    sec.notes.push_back(o.spend
                            ? fm.trf("Lifetime value: Gamma-Gamma spend of {0} repeat buyers, 12 "
                                     "months at 1% a month.",
                                     {fm.count(o.spend_buyers)})
                            : fm.trf("No lifetime value: {0}.", {o.spend_reason}));
    doc.sections.push_back(std::move(sec));
}

// The critical volume in the break-even section: a sentence after the takeaway, the article's
// break-even chart (fixed costs, total costs and revenue against the volume of a month, crossing
// at the critical volume, the actual volume marked) and the table of its figures.
void add_critical_volume(html_section& sec, const critical_volume_result& v, const formatter& fm) {
    const break_even_point& be = v.break_even;
    if (!be.defined) {
        sec.notes.push_back(fm.trf("No critical volume: {0}.", {be.reason}));
        return;
    }
    const margin_of_safety_result& m = v.margin_of_safety;
    const bool units = v.units_per_month.has_value();
    sec.takeaway +=
        " " + fm.trf(m.revenue >= 0
                         ? "To cover its fixed costs the business must sell {0} a month; it "
                           "sells {1}, {2} above the break-even point."
                         : "To cover its fixed costs the business must sell {0} a month; it "
                           "sells {1}, {2} below the break-even point.",
                     {units ? fm.trf("{0} units ({1})", {fm.num(be.units), fm.money(be.revenue)})
                            : fm.money(be.revenue),
                      fm.money(v.revenue_per_month), fm.pct(std::fabs(m.ratio))});
    const double actual = units ? *v.units_per_month : v.revenue_per_month;
    const break_even_chart d = break_even_chart_data(v.model, 1.5 * std::max(actual, be.units));
    chart c;
    c.title = fm.tr("Break-even chart: a month's costs and revenue");
    c.x_label = units ? fm.tr("units sold a month") : fm.tr("revenue a month (sales volume)");
    c.y_label = fm.tr("amount a month");
    c.lines.push_back({fm.tr("fixed costs"), d.volume, d.fixed_costs, true});
    c.lines.push_back({fm.tr("total costs"), d.volume, d.total_costs, false});
    c.lines.push_back({fm.tr("revenue"), d.volume, d.revenue, false});
    c.marks.push_back({be.units, be.revenue, fm.trf("break-even {0}", {fm.money(be.revenue)})});
    c.marks.push_back(
        {actual, v.revenue_per_month, fm.trf("actual {0}", {fm.money(v.revenue_per_month)})});
    sec.charts.push_back(render_svg(c, fm));
    html_table t;
    t.caption = fm.trf("Critical volume and margin of safety, per month ({0} months of data)",
                       {fm.num(v.months, 0)});
    t.header = {fm.tr("figure"), fm.tr("value")};
    t.numeric = {false, true};
    t.rows = {
        {fm.tr("net revenue a month"), fm.money(v.revenue_per_month)},
        {fm.tr("cost of goods a month"), fm.money(v.variable_cost_per_month)},
        {fm.tr("contribution margin (share of revenue)"), fm.pct(be.contribution_margin_ratio)}};
    if (units) {
        t.rows.push_back({fm.tr("units sold a month"), fm.num(*v.units_per_month)});
        t.rows.push_back({fm.tr("critical volume (units a month)"), fm.num(be.units)});
    }
    t.rows.push_back({fm.tr("break-even revenue a month"), fm.money(be.revenue)});
    t.rows.push_back({fm.tr("margin of safety a month"), fm.money(m.revenue)});
    if (units) t.rows.push_back({fm.tr("margin of safety (units a month)"), fm.num(m.units)});
    t.rows.push_back({fm.tr("margin of safety (share of sales)"), fm.pct(m.ratio)});
    sec.tables.push_back(std::move(t));
    sec.notes.push_back(fm.tr(
        units ? "The critical volume is the fixed costs of a month divided by the contribution "
                "margin (net revenue minus cost of goods, as a share of net revenue, or per "
                "unit sold); the margin of safety is how far the actual monthly sales lie "
                "above it, as an amount and as a share of the sales."
              : "The critical volume is the fixed costs of a month divided by the contribution "
                "margin (net revenue minus cost of goods, as a share of net revenue); the "
                "margin of safety is how far the actual monthly sales lie above it, as an "
                "amount and as a share of the sales."));
}

// "When the business breaks even": cumulative revenue against cumulative cost of goods plus
// the fixed costs per month, by calendar month, with the break-even date.
void add_break_even_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    html_section sec = make_section("break-even", "When the business breaks even", fm);
    if (!r.break_even) {
        sec.takeaway = fm.tr("Skipped: the log has no cost column, so the costs are not known.");
        doc.sections.push_back(std::move(sec));
        return;
    }
    const break_even_over_time_result& b = *r.break_even;
    sec.takeaway = b.defined
                       ? fm.trf("Revenue covered the cost of goods plus {0} of fixed costs a "
                                "month on {1}.",
                                {fm.money(*r.fixed_costs_per_month), fm.date(b.time)})
                       : fm.trf("Revenue has not yet covered the costs: {0} are still missing.",
                                {fm.money(b.remaining_gap)});
    chart c;
    c.title = fm.tr("Cumulative revenue and costs");
    c.x_label = fm.tr("month");
    c.y_label = fm.tr("cumulative amount");
    c.x_format = axis_format::date;
    std::vector<double> x{static_cast<double>(b.period_start.empty() ? 0 : b.period_start[0])};
    std::vector<double> revenue{0.0}, cost{0.0};
    for (std::size_t i = 0; i < b.cumulative_revenue.size(); ++i) {
        x.push_back(
            static_cast<double>(i + 1 < b.period_start.size() ? b.period_start[i + 1] : b.end));
        revenue.push_back(b.cumulative_revenue[i]);
        cost.push_back(b.cumulative_cost[i]);
    }
    c.lines.push_back({fm.tr("revenue"), x, revenue, false});
    c.lines.push_back({fm.tr("cost of goods + fixed costs"), x, cost, false});
    if (b.defined) {
        // The crossing lies on the revenue line, linear within its month.
        const std::size_t i = b.period;
        const double t0 = x[i], t1 = x[i + 1];
        const double f = t1 > t0 ? (static_cast<double>(b.time) - t0) / (t1 - t0) : 0.0;
        c.marks.push_back({static_cast<double>(b.time),
                           revenue[i] + f * (revenue[i + 1] - revenue[i]),
                           fm.trf("break-even {0}", {format_date(b.time)})});
    }
    sec.charts.push_back(render_svg(c, fm));
    if (r.critical) add_critical_volume(sec, *r.critical, fm);
    sec.notes.push_back(fm.trf("Costs are the log's cost of goods plus {0} of fixed costs in every "
                               "calendar month; within a month revenue and costs accrue evenly.",
                               {fm.money(*r.fixed_costs_per_month)}));
    doc.sections.push_back(std::move(sec));
}

} // namespace

std::string render_html(const sales_report& r) {
    const formatter& fm = r.format;
    html_document doc;
    doc.lang = fm.style().lang == language::de ? "de" : "en";
    doc.title = fm.tr("Sales report");
    doc.subtitle = fm.trf("{0}, {1} to {2}", {r.source, fm.date(r.overview.first_time),
                                              fm.date(r.overview.last_time)});
    add_html_sections(doc, r.overview, fm);
    add_period_section(doc, r);
    add_segments_section(doc, r);
    add_matrix_section(doc, r);
    add_retention_section(doc, r);
    add_win_back_section(doc, r);
    add_loyalty_section(doc, r);
    add_service_tiers_section(doc, r);
    add_economics_section(doc, r);
    add_programme_section(doc, r);
    if (r.fixed_costs_per_month) add_break_even_section(doc, r);
    return render_html(doc);
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
