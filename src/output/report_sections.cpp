// The report's segment, loyalty, period and win-back sections of the HTML page
// (custometrics/output/report.hpp): each a takeaway, a chart and a table from
// the figures of `sales_report`, the same figures its JSON writes.
#include "custometrics/output/report.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/output/strings.hpp"
#include "custometrics/output/svg.hpp"

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

// What each segment of the default RFM map (rfm.hpp) means and what to do with
// it.
constexpr std::pair<std::string_view, std::string_view> rfm_meanings[] = {
    {"Champions", "Bought recently, often and for much: reward them and ask for referrals."},
    {"Can't Lose Them", "Bought often and for much, but long ago: win them "
                        "back before a competitor does."},
    {"At Risk", "Bought often, but not for a while: reach out with a personal offer."},
    {"Loyal Customers", "Buy regularly and for good amounts: offer more of the range."},
    {"New Customers", "Bought recently for the first time: help them to a second purchase."},
    {"Promising", "Bought recently, little so far: build the relationship."},
    {"Need Attention", "Middling on every score: a timely offer keeps them from lapsing."},
    {"About To Sleep", "Below average and fading: remind them before they are lost."},
    {"Potential Loyalist", "Recent buyers with some repeat purchases: make them regulars."},
    {"Lost", "Last bought long ago, seldom and for little: spend little on them."},
    {"Hibernating", "Last bought long ago, seldom: low-cost reminders only."},
    {"Unclassified", "Frequency and amount disagree widely (one large or many "
                     "small purchases): look at them "
                     "one by one."},
};

std::string rfm_meaning(std::string_view segment, const formatter& fm) {
    for (const auto& [name, meaning] : rfm_meanings)
        if (name == segment) return fm.tr(meaning);
    return "";
}

// The article's six loyalty types (loyalty.hpp) in the order of `loyalty_type`:
// the name and what to do with each.
constexpr std::pair<std::string_view, std::string_view> loyalty_texts[] = {
    {"advocate (buys regularly and recommends)",
     "Thank and involve them (referrals, reviews); keep the service they "
     "praise."},
    {"loyal (buys systematically, does not promote)",
     "Ask them for a recommendation and show them the rest of the range."},
    {"switcher (buys here and at competitors)",
     "Find out what the competitor offers and win the larger share of their "
     "purchases."},
    {"mercenary (buys on discount)",
     "Do not buy their loyalty with price; watch the margin of what they buy."},
    {"hostage (has no alternative)",
     "Serve them well anyway: they leave as soon as an alternative appears."},
    {"terrorist (dissatisfied and vocal)",
     "Solve the complaint quickly: a dissatisfied customer tells ten others."},
    {"unknown (no rule decided)", "A survey (satisfaction, recommendation, "
                                  "share of wallet) tells their type."},
};

std::string share_or_dash(const std::optional<double>& x, const formatter& fm) {
    return x ? fm.pct(*x) : "-";
}

} // namespace

std::string revenue_change_text(const report_period_change& p, const formatter& fm) {
    if (p.revenue_change) return (*p.revenue_change >= 0 ? "+" : "") + fm.pct(*p.revenue_change);
    return fm.tr(p.revenue_after > 0.0 ? "new" : "n/a");
}

void add_segments_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    html_section sec = make_section("segments", "Customer segments (RFM)", fm);
    const segment_profiles& p = r.rfm_profiles;
    std::vector<const segment_profile*> shown;
    for (const segment_profile& s : p.segments)
        if (s.customers > 0) shown.push_back(&s);
    if (shown.empty()) {
        sec.takeaway = fm.tr("No customer has a purchase to score.");
        doc.sections.push_back(std::move(sec));
        return;
    }
    const segment_profile& top = **std::max_element(
        shown.begin(), shown.end(),
        [](const segment_profile* a, const segment_profile* b) { return a->revenue < b->revenue; });
    std::size_t lapsing = 0;
    double lapsing_revenue = 0.0;
    for (const segment_profile* s : shown)
        if (s->name == "At Risk" || s->name == "Can't Lose Them") {
            lapsing += s->customers;
            lapsing_revenue += s->revenue;
        }
    sec.takeaway = fm.trf("{0} ({1} of the customers) bring {2} of net revenue; {3} good customers "
                          "who have not bought for a while (At Risk, Can't Lose Them, {4}) need a "
                          "call before they are lost.",
                          {fm.tr(top.name), share_or_dash(top.customer_share, fm),
                           share_or_dash(top.revenue_share, fm), fm.count(lapsing),
                           fm.money(lapsing_revenue)});
    chart c;
    c.title = fm.tr("Net revenue by RFM segment");
    c.x_label = fm.tr("segment");
    c.y_label = fm.tr("net revenue");
    html_table t;
    t.header = {fm.tr("segment"),     fm.tr("customers"),        fm.tr("share of customers"),
                fm.tr("net revenue"), fm.tr("share of revenue"), fm.tr("what it means")};
    t.numeric = {false, true, true, true, true, false};
    for (const segment_profile* s : shown) {
        c.bar_labels.push_back(fm.tr(s->name));
        c.bar_values.push_back(s->revenue);
        t.rows.push_back({fm.tr(s->name), fm.count(s->customers),
                          share_or_dash(s->customer_share, fm), fm.money(s->revenue),
                          share_or_dash(s->revenue_share, fm), rfm_meaning(s->name, fm)});
    }
    sec.charts.push_back(render_svg(c, fm));
    sec.tables.push_back(std::move(t));
    sec.notes.push_back(fm.trf("Each customer with a purchase gets three scores "
                               "from 1 to 5 (fifths of the customers): "
                               "recency (days from the last purchase to {0}, the "
                               "end of the log; recent is 5), frequency "
                               "(purchase days) and monetary value (net revenue); "
                               "the segment follows from the scores.",
                               {fm.date(r.rfm.values.analysis_date)}));
    if (r.rfm.unclassified > 0)
        sec.notes.push_back(fm.trf("{0} customers fall in score cells no segment covers "
                                   "(Unclassified).",
                                   {fm.count(r.rfm.unclassified)}));
    doc.sections.push_back(std::move(sec));
}

void add_loyalty_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    html_section sec = make_section("loyalty", "Loyalty types", fm);
    const output::loyalty_report_section& l = r.loyalty;
    const loyalty_result& labels = l.loyalty.labels;
    const std::size_t n = labels.size();
    const std::size_t unknown = labels.type_count[static_cast<std::size_t>(loyalty_type::unknown)];
    std::size_t largest = 0;
    for (std::size_t k = 1; k + 1 < n_loyalty_types; ++k)
        if (labels.type_count[k] > labels.type_count[largest]) largest = k;
    const auto rev_share = [&](std::size_t k) {
        return l.revenue != 0.0 ? l.type_revenue[k] / l.revenue : 0.0;
    };
    sec.takeaway =
        unknown == n
            ? fm.trf("None of the {0} customers could be typed: see the note.", {fm.count(n)})
            : fm.trf("{0} of {1} customers have a loyalty type; the largest group: "
                     "{2}, "
                     "{3} customers with {4} of net revenue.",
                     {fm.count(n - unknown), fm.count(n), fm.tr(loyalty_texts[largest].first),
                      fm.count(labels.type_count[largest]), fm.pct(rev_share(largest))});
    chart c;
    c.title = fm.tr("Customers by loyalty type");
    c.x_label = fm.tr("loyalty type");
    c.y_label = fm.tr("customers");
    html_table t;
    t.header = {fm.tr("loyalty type"), fm.tr("customers"),        fm.tr("share of customers"),
                fm.tr("net revenue"),  fm.tr("share of revenue"), fm.tr("what to do")};
    t.numeric = {false, true, true, true, true, false};
    for (std::size_t k = 0; k < n_loyalty_types; ++k) {
        const std::string name = fm.tr(loyalty_texts[k].first);
        c.bar_labels.push_back(fm.tr(to_string(static_cast<loyalty_type>(k))));
        c.bar_values.push_back(static_cast<double>(labels.type_count[k]));
        t.rows.push_back({name, fm.count(labels.type_count[k]), fm.pct(l.loyalty.type_share[k]),
                          fm.money(l.type_revenue[k]), fm.pct(rev_share(k)),
                          fm.tr(loyalty_texts[k].second)});
    }
    sec.charts.push_back(render_svg(c, fm));
    sec.tables.push_back(std::move(t));
    sec.notes.push_back(fm.tr("The types follow the article: Anhänger (advocate), "
                              "treuer Kunde (loyal), Überläufer "
                              "(switcher), Söldner (mercenary), Geisel (hostage), "
                              "Terrorist. They are decided from the "
                              "log's behaviour (purchase days, regularity, recency "
                              "in the customer's own rhythm, "
                              "discounts, returns) and, where a signals file gives "
                              "them, stated answers; the first rule "
                              "that applies gives the type."));
    if (!l.loyalty.signals)
        sec.notes.push_back(
            fm.tr("No signals file: recommendation, satisfaction, share of wallet and "
                  "alternatives are not known, so advocates, hostages and terrorists "
                  "cannot be told apart (--signals adds them)."));
    doc.sections.push_back(std::move(sec));
}

void add_period_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    if (!r.period_change) return;
    const report_period_change& p = *r.period_change;
    const period_comparison& c = p.comparison;
    html_section sec = make_section("change", "What changed since the previous period", fm);
    const std::string before =
        fm.date(p.before_start) + " – " + fm.date(p.after_start - seconds_per_day);
    const std::string after = fm.date(p.after_start) + " – " + fm.date(p.end);
    sec.takeaway = fm.trf("Net revenue went from {0} ({1}) to {2} ({3}), {4}; {5} "
                          "customers entered "
                          "class A and {6} left it.",
                          {fm.money(p.revenue_before), before, fm.money(p.revenue_after), after,
                           revenue_change_text(p, fm), fm.count(c.entered_a.size()),
                           fm.count(c.left_a.size())});
    static constexpr std::string_view class_labels[] = {"A", "B", "C", "new"};
    chart ch;
    ch.title = fm.tr("Net revenue by class in the previous period");
    ch.x_label = fm.tr("class in the previous period: earlier half, later half");
    ch.y_label = fm.tr("net revenue");
    html_table t;
    t.header = {fm.tr("class in the previous period"), fm.tr("customers"), fm.tr("previous period"),
                fm.tr("this period"), fm.tr("change")};
    t.numeric = {false, true, true, true, true};
    for (std::size_t k = 0; k < 4; ++k) {
        const std::string name = fm.tr(class_labels[k]);
        ch.bar_labels.push_back(name + " " + fm.tr("before"));
        ch.bar_values.push_back(p.class_revenue_before[k]);
        ch.bar_labels.push_back(name + " " + fm.tr("after"));
        ch.bar_values.push_back(p.class_revenue_after[k]);
        t.rows.push_back({name, fm.count(p.class_customers[k]), fm.money(p.class_revenue_before[k]),
                          fm.money(p.class_revenue_after[k]),
                          fm.money(p.class_revenue_after[k] - p.class_revenue_before[k])});
    }
    sec.charts.push_back(render_svg(ch, fm));
    sec.tables.push_back(std::move(t));
    // The customers who moved, the largest movers first, at most 10 of each.
    html_table moved;
    moved.caption = fm.tr("Who entered and who left class A (the 10 largest of each)");
    moved.header = {fm.tr("customer"), fm.tr("class A"), fm.tr("previous period"),
                    fm.tr("this period")};
    moved.numeric = {false, false, true, true};
    for (const auto& [ids, entered] : {std::pair{&c.entered_a, true}, {&c.left_a, false}}) {
        std::vector<entity_id> v(ids->begin(), ids->end());
        const std::vector<double>& by = entered ? p.after : p.before;
        std::stable_sort(v.begin(), v.end(),
                         [&](entity_id a, entity_id b) { return by[a] > by[b]; });
        if (v.size() > 10) v.resize(10);
        for (const entity_id id : v)
            moved.rows.push_back({r.customer_keys.key_string(id),
                                  entered ? fm.tr("entered") : fm.tr("left"),
                                  fm.money(p.before[id]), fm.money(p.after[id])});
    }
    sec.tables.push_back(std::move(moved));
    sec.notes.push_back(fm.trf("The log is split at its middle day: the previous "
                               "period is {0}, this period {1}. Each "
                               "half ranks the customers by their net revenue in it "
                               "(class A up to 80% of it, B up to "
                               "95%); \"new\" are the customers without net revenue "
                               "in the previous period (new "
                               "customers, and the few with returns only).",
                               {before, after}));
    if (!p.revenue_change)
        sec.notes.push_back(fm.tr("The previous period has no positive net revenue, so the change "
                                  "has no percentage: \"new\" when only this period has revenue, "
                                  "\"n/a\" when neither has."));
    if (c.spearman.defined)
        sec.notes.push_back(
            fm.trf("Rank correlation (Spearman) of the customers who bought in both "
                   "periods: {0}.",
                   {fm.num(c.spearman.rho, 3)}));
    doc.sections.push_back(std::move(sec));
}

void add_win_back_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    const report_retention_detail& d = r.retention_detail;
    if (!d.win_back) return;
    const report_win_back& w = *d.win_back;
    html_section sec = make_section("win-back", "Customers to win back", fm);
    sec.takeaway =
        w.lapsed == 0 ? fm.trf("No customer has probably stopped buying "
                               "(P(alive) below {0}): there is no one "
                               "to win back.",
                               {fm.pct(w.at_risk_below)})
        : w.customers.empty()
            ? fm.trf("{0} customers who bought for {1} have probably "
                     "stopped buying, but none of "
                     "them would buy again within {2} days, so there is "
                     "no one to contact now.",
                     {fm.count(w.lapsed), fm.money(w.lapsed_revenue), fm.num(w.within_days, 0)})
            : fm.trf(
                  "{0} customers who bought for {1} have probably "
                  "stopped buying; the {2} below "
                  "bought the most, each with a date to contact them.",
                  {fm.count(w.lapsed), fm.money(w.lapsed_revenue), fm.count(w.customers.size())});
    chart c;
    c.title = fm.tr("Net revenue so far of the customers to win back");
    c.x_label = fm.tr("customer");
    c.y_label = fm.tr("net revenue");
    html_table t;
    t.header = {fm.tr("customer"), fm.tr("net revenue so far"), fm.tr("P(alive)"),
                fm.tr("contact on"), fm.tr("next purchase expected (if still buying)")};
    t.numeric = {false, true, true, false, false};
    for (std::size_t k = 0; k < w.customers.size(); ++k) {
        const contact_entry& e = w.customers[k];
        const std::string key = customer_key(d, e.customer, r.summary, r.customer_keys);
        c.bar_labels.push_back(key);
        c.bar_values.push_back(w.revenue[k]);
        t.rows.push_back({key, fm.money(w.revenue[k]), fm.pct(e.p_alive), date_or_empty(e.call_date),
                          date_or_empty(e.next_purchase_date)});
    }
    if (!w.customers.empty()) {
        std::ostringstream csv;
        write_win_back_csv(csv, r);
        t.download = csv_download("win_back.csv", t.rows.size(), std::move(csv).str(), fm);
        sec.charts.push_back(render_svg(c, fm));
        sec.tables.push_back(std::move(t));
    }
    sec.notes.push_back(
        fm.trf("Probably stopped: P(alive) below {0} in the purchase model. Listed "
               "are those whose "
               "next purchase, were they still buying, would come within {1} days, "
               "by net revenue so "
               "far; contact them {2} days before it.",
               {fm.pct(w.at_risk_below), fm.num(w.within_days, 0), fm.num(w.lead_days, 0)}));
    doc.sections.push_back(std::move(sec));
}

namespace {

// "a, b and c" of `names`; "none" for no names.
std::string name_list(const std::vector<std::string>& names, const formatter& fm) {
    if (names.empty()) return fm.tr("none");
    std::string s = names.front();
    for (std::size_t k = 1; k < names.size(); ++k)
        s += (k + 1 == names.size() ? " " + fm.tr("and") + " " : ", ") + names[k];
    return s;
}

} // namespace

void add_matrix_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    if (!r.matrix) return;
    const report_matrix& m = *r.matrix;
    const attractiveness_analysis& a = m.analysis;
    html_section sec =
        make_section("matrix", "Segment attractiveness and competitive strength", fm);
    const std::size_t n = a.segments.size();
    const bool revenue = !m.revenue.empty();
    double total = 0.0;
    for (const double v : m.revenue)
        total += v;
    const auto share = [&](double v) { return total > 0.0 ? fm.pct(v / total) : std::string("-"); };
    std::vector<std::string> invest;
    std::size_t harvest = 0;
    double invest_revenue = 0.0;
    for (const std::size_t s : a.scores.order) {
        const strategy_zone z = a.matrix->cells[s].zone;
        if (z == strategy_zone::invest_grow) {
            invest.push_back(a.segments[s]);
            if (revenue) invest_revenue += m.revenue[s];
        }
        harvest += z == strategy_zone::harvest_divest ? 1 : 0;
    }
    sec.takeaway = revenue ? fm.trf("{0} of {1} segments are attractive and the business is "
                                    "strong in them "
                                    "(invest/grow: {2}), with {3} of the segments' net "
                                    "revenue; {4} are for "
                                    "harvesting or leaving.",
                                    {fm.count(invest.size()), fm.count(n), name_list(invest, fm),
                                     share(invest_revenue), fm.count(harvest)})
                           : fm.trf("{0} of {1} segments are attractive and the business is "
                                    "strong in them "
                                    "(invest/grow: {2}); {3} are for harvesting or leaving.",
                                    {fm.count(invest.size()), fm.count(n), name_list(invest, fm),
                                     fm.count(harvest)});
    chart c;
    c.title = fm.tr("Attractiveness and strength of the segments");
    c.x_label = fm.tr("market attractiveness (score 0-1)");
    c.y_label = fm.tr("competitive strength (score 0-1)");
    c.x_min = c.y_min = 0.0;
    c.x_max = c.y_max = 1.0;
    const matrix_cuts& cuts = a.matrix->cuts;
    for (const double cut : {cuts.low, cuts.high}) {
        c.lines.push_back({"", {cut, cut}, {0.0, 1.0}, true});
        c.lines.push_back({"", {0.0, 1.0}, {cut, cut}, true});
    }
    html_table t;
    t.header = {fm.tr("segment"),  fm.tr("attractiveness"), fm.tr("strength"),        fm.tr("cell"),
                fm.tr("strategy"), fm.tr("net revenue"),    fm.tr("share of revenue")};
    t.numeric = {false, true, true, false, false, true, true};
    if (!revenue) {
        t.header.resize(5);
        t.numeric.resize(5);
    }
    for (const std::size_t s : a.scores.order) {
        const matrix_cell& cell = a.matrix->cells[s];
        const double x = a.scores.score[s], y = a.strength->score[s];
        c.bubbles.push_back({x, y, revenue ? m.revenue[s] : 1.0, a.segments[s]});
        t.rows.push_back(
            {a.segments[s], fm.num(x, 2), fm.num(y, 2),
             fm.tr(to_string(cell.attractiveness)) + " / " + fm.tr(to_string(cell.strength)),
             fm.tr(to_string(cell.zone))});
        if (revenue) {
            t.rows.back().push_back(fm.money(m.revenue[s]));
            t.rows.back().push_back(share(m.revenue[s]));
        }
    }
    sec.charts.push_back(render_svg(c, fm));
    sec.tables.push_back(std::move(t));
    sec.notes.push_back(fm.trf("Each criterion of the criteria file is put on a 0-1 "
                               "scale across the segments (the best "
                               "segment 1) and weighted; attractiveness is the "
                               "weighted score of the market's criteria, "
                               "strength that of the business's own position. Low "
                               "is below {0}, high from {1}; the "
                               "strategy follows the cell: invest/grow (high-high, "
                               "high-medium, medium-high), selective "
                               "(the diagonal), harvest/divest (below it).",
                               {fm.num(cuts.low, 2), fm.num(cuts.high, 2)}));
    sec.notes.push_back(
        m.revenue_source == "criteria"
            ? fm.tr("Bubble area: the criteria file's revenue of the segment.")
        : m.revenue_source == "rfm"
            ? fm.tr("Bubble area: the net revenue of the RFM segment of the same "
                    "name in this log.")
            : fm.tr("Bubbles of equal size: the criteria file has no revenue column "
                    "and its segments are not all RFM segments of this log."));
    doc.sections.push_back(std::move(sec));
}

// The service tiers (issue 14: the article's service programme), self-contained: the figures
// are `r.loyalty.profitability`'s, which the text and JSON report in the profitability part.
void add_service_tiers_section(html_document& doc, const sales_report& r) {
    const formatter& fm = r.format;
    if (!r.loyalty.profitability) return;
    const customer_profitability& p = *r.loyalty.profitability;
    html_section sec = make_section("service-tiers", "Service tiers", fm);
    double positive = 0.0; // the profit of tiers A, B and C (the customers with profit > 0)
    for (std::size_t k = 0; k < 3; ++k)
        positive += p.tiers[k].profit;
    const service_tier_totals& a = p.tiers[0];
    const service_tier_totals& d = p.tiers[3];
    sec.takeaway =
        fm.trf("{0} customers (tier A) earn {1} of the profit of the profitable ones; {2} "
               "customers (tier D) cost {3} more than they earn.",
               {fm.count(a.customers), fm.pct(positive > 0 ? a.profit / positive : 0.0),
                fm.count(d.customers), fm.money(-d.profit)});
    chart c;
    c.title = fm.tr("Profit by service tier");
    c.x_label = fm.tr("service tier");
    c.y_label = fm.tr("profit");
    html_table t;
    t.header = {fm.tr("service tier"), fm.tr("customers"),     fm.tr("net revenue"),
                fm.tr("gross margin"), fm.tr("cost to serve"), fm.tr("profit"),
                fm.tr("service")};
    t.numeric = {false, true, true, true, true, true, false};
    for (std::size_t k = 0; k < p.tiers.size(); ++k) {
        const auto tier = static_cast<service_tier>(k);
        const service_tier_totals& x = p.tiers[k];
        c.bar_labels.emplace_back(to_string(tier));
        c.bar_values.push_back(x.profit);
        t.rows.push_back({to_string(tier), fm.count(x.customers), fm.money(x.revenue),
                          fm.money(x.gross_margin), fm.money(x.cost_to_serve), fm.money(x.profit),
                          fm.tr(tier_service(tier))});
    }
    sec.charts.push_back(render_svg(c, fm));
    sec.tables.push_back(std::move(t));
    sec.notes.push_back(
        fm.trf("Customers with profit above 0 ranked by profit: tier A up to {0} of their total "
               "profit, B up to {1}, C the rest; D: profit 0 or less. Profit is gross margin minus "
               "the cost to serve (discounts, orders, returns, service, payment delays).",
               {fm.pct(p.tier_cut_a), fm.pct(p.tier_cut_b)}));
    if (!r.loyalty.costs_given)
        sec.notes.push_back(fm.tr("No --costs given: every cost rate is 0, so the cost to serve is "
                                  "the discounts only."));
    doc.sections.push_back(std::move(sec));
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
