// The report's writers: the overview (custometrics/report.hpp) as text and as JSON members.
// The text and HTML writers take the report's `formatter` (`fm`, `sales_report::format`) for
// every amount, number, percentage, prose date and word, so that reports in different styles
// never share one; the JSON writers follow no style (machine numbers, ISO dates).
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/output/html.hpp"
#include "custometrics/report.hpp"

#include <optional>
#include <ostream>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The first part of the text report: the title line naming `source`, then the Transactions,
/// Revenue, Per customer, Purchase behaviour and Pareto blocks (money with two decimals and
/// thousands separators, shares as percentages with one decimal).
///
/// Example (abridged): "custometrics report: log.csv\n\nTransactions\n  rows   1,234 ...".
void write_text(std::ostream& out, const sales_overview& o, const std::string& source,
                const formatter& fm);

/// The overview as members of the report's JSON object (the caller opens and closes it):
/// `source`, `rows`, `purchase_rows`, `return_rows`, `first_date`, `last_date`, `days`,
/// `customers`, `customers_with_purchase`, `products`/`channels` (when present),
/// `gross_sales`, `returns`, `net_revenue`, `cost`/`profit` (with costs),
/// `revenue_per_customer` {mean, median, p90, max}, `one_time_buyer_share`,
/// `mean_frequency`, `mean_recency_days`, `mean_T_days`, `mean_repeat_purchase_value`,
/// `pareto` {dimension: {n, gini, entities_for_80pct, top20_share, classes {A, B, C}}} and
/// `whale` (with costs).
void write_json(detail::json_writer& w, const sales_overview& o, const std::string& source);

/// The overview's sections of the HTML report, appended to `doc`: "At a glance" (the key
/// figures), "Where sales come from" (per dimension the Pareto curve with the 80% mark, the
/// article's Pareto chart of the top entities with the cumulative share, the six-step table
/// (rank, value, share, cumulative share, class) and the A/B/C classes; the Lorenz curve and
/// Gini of customers; a note of the entities with net revenue <= 0, which are not ranked) and,
/// with costs, "Profit by customer" (the whale curve). Each section opens with a one-sentence
/// takeaway.
void add_html_sections(html_document& doc, const sales_overview& o, const formatter& fm);

/// The model choice of the retention section as text lines: the chosen model and the
/// criterion with every candidate's score (or why there was no choice).
/// Example: "  model choice         MBG/NBD: smallest holdout MAE over the last 243 days
/// (BG/NBD 0.5120, MBG/NBD 0.4980, Pareto/NBD 0.5010)".
void write_text(std::ostream& out, const report_model_choice& c, const formatter& fm);

/// The model choice as the JSON object `model_choice`: criterion, calibration_end (date or
/// null), holdout_days, chosen, note (when set) and candidates [{model, usable, score, mae,
/// rmse (null without holdout), bic, reason (when not usable)}].
void write_json(detail::json_writer& w, const report_model_choice& c);

/// The key of the customer at `position` of the retention detail's scored rows (`d.rows`, rows
/// of `summary`), as every table, list and CSV of the report names it.
std::string customer_key(const report_retention_detail& d, std::size_t position,
                         const customer_summary& summary, const key_index& customers);

/// The per-customer part of the retention section as text: P(alive) by tenths, then the call
/// list (customers of `summary`'s rows `d.rows`, keys from `customers`): key, P(alive),
/// purchases expected in 90 days, value at risk (12-month lifetime value) and the date to call.
void write_text(std::ostream& out, const report_retention_detail& d,
                const customer_summary& summary, const key_index& customers, const formatter& fm);

/// The same as JSON members: `p_alive_histogram` {bin_width, counts} and `call_list`
/// {within_days, lead_days, value_at_risk, timing, customers [{customer_id, p_alive,
/// expected_purchases_90d, value_at_risk, call_date, next_purchase_date, timing, rhythm_date,
/// due_days}]} (the timing fields when the list was given rhythm dates) and `win_back`
/// {at_risk_below, lapsed, lapsed_revenue, within_days, lead_days, customers [{customer_id,
/// revenue, p_alive, clv, contact_date, next_purchase_date}]} (both null without a spend model).
void write_json(detail::json_writer& w, const report_retention_detail& d,
                const customer_summary& summary, const key_index& customers);

/// The report's call list ("who to call this week") as CSV, the bytes `custometrics contacts`
/// writes for these customers: `write_csv` of output/retention.hpp with the columns
/// `customer_id,call_date,next_purchase_date,p_alive,clv` and, when the list was timed with
/// rhythm dates, `timing,rhythm_date,due_days`; numbers in their shortest round-trip form
/// (`number_text`), dates as YYYY-MM-DD. The rows are those of `r.retention_detail.contacts` in
/// its order, highest lifetime value first: the report's bounded list (at most
/// `contact_options.top`, 10), the rows of the page's table and of the JSON's
/// `retention.call_list.customers`. Without a spend model (no call list) only the header.
///
/// The page offers it as the download `who_to_call.csv` below the table (`render_html`).
/// Example: "customer_id,call_date,next_purchase_date,p_alive,clv\nC017,2024-01-03,
/// 2024-01-10,0.93,412.5\n".
void write_call_list_csv(std::ostream& out, const sales_report& r);

/// The report's win-back list (lapsed valuable customers) as CSV, the members of the JSON's
/// `retention.win_back.customers` in their order (highest net revenue so far first, at most
/// `report_win_back::top`, 10): `customer_id,revenue,p_alive,clv,contact_date,
/// next_purchase_date`, numbers in their shortest round-trip form (`number_text`, as the
/// contacts CSV), dates as YYYY-MM-DD. Without a spend model (no list) only the header.
///
/// The page offers it as the download `win_back.csv` below the table (`render_html`).
/// Example: "customer_id,revenue,p_alive,clv,contact_date,next_purchase_date\nC101,1830.4,
/// 0.12,96.25,2024-02-01,2024-02-08\n".
void write_win_back_csv(std::ostream& out, const sales_report& r);

/// The download link of a list of the report: `file_name`, the CSV `content` and the link's
/// words in the style of `fm` ("Download these 10 customers as CSV (who_to_call.csv: ...)",
/// naming the `rows` the file holds, its number and date format).
html_download csv_download(std::string file_name, std::size_t rows, std::string content,
                           const formatter& fm);

/// The comparison of the log's halves as the JSON member `period_comparison` (null when the
/// log is too short): before and after {start, end}, revenue_before, revenue_after,
/// revenue_change ((after - before) / before; null when the earlier half has no positive net
/// revenue), spearman
/// (rho or null), entered_a and left_a (customer keys, ascending ids), by_class {A, B, C, none:
/// {customers, revenue_before, revenue_after}} by the class in the earlier half.
void write_json(detail::json_writer& w, const std::optional<report_period_change>& p,
                const key_index& customers);

/// The whole report as text: the overview, what changed since the previous period, the RFM
/// block and the page's segments section, retention, the win-back list, break-even (when asked
/// for), the page's loyalty types with their revenue, the loyalty and profitability blocks
/// (`custometrics report`). The sections shared with the page are the page's own
/// (`add_period_section` and the others, printed by `write_text(std::ostream&, const
/// html_section&)`), so text and page show the same cells.
void write_text(std::ostream& out, const sales_report& r);

/// The whole report as one JSON object (`custometrics report --format json`): the overview's
/// members, then `rfm`, `retention`, `break_even` (when asked for), `loyalty`,
/// `profitability` (with a cost column) and `period_comparison`. Built whole before any of it
/// reaches `out`: an error midway (a customer key that is not UTF-8) leaves nothing on `out`.
void write_json(std::ostream& out, const sales_report& r);

/// The "Customer segments (RFM)" section of the page: the takeaway (the segment with the most
/// net revenue, the good customers lapsing: At Risk and Can't Lose Them), net revenue by segment
/// as bars, and per non-empty segment its customers, share of customers, net revenue, share of
/// revenue and what it means (`r.rfm_profiles`, the `rfm.segments` of the JSON).
void add_segments_section(html_document& doc, const sales_report& r);

/// The "Loyalty types" section: the article's six types and unknown, customers per type as
/// bars, and per type its customers, share, net revenue, revenue share and what to do
/// (`r.loyalty`, the JSON's `loyalty.types` and `loyalty.type_revenue`).
void add_loyalty_section(html_document& doc, const sales_report& r);

/// The change of net revenue between the log's halves as the page and the text show it:
/// "+116.7%" / "-12.0%" from `p.revenue_change`, and where the earlier half has no positive net
/// revenue (no percentage exists) "new" when the later half has revenue, else "n/a".
std::string revenue_change_text(const report_period_change& p, const formatter& fm);

/// The "What changed since the previous period" section (nothing without `r.period_change`):
/// net revenue of both halves, who entered and left class A, and by the earlier half's class
/// the revenue of both halves as bars and a table (the JSON's `period_comparison`).
void add_period_section(html_document& doc, const sales_report& r);

/// The "Customers to win back" section (nothing without a spend model): the lapsed customers,
/// the listed ones' net revenue as bars and a table with the date to contact each (the JSON's
/// `retention.win_back`).
void add_win_back_section(html_document& doc, const sales_report& r);

/// The "Segment attractiveness and competitive strength" section (nothing without `r.matrix`):
/// the takeaway (the segments in the invest/grow zone and their share of the segments' revenue,
/// and how many are for harvesting), the bubble chart (x attractiveness, y strength, both 0-1
/// with the cut lines; bubble area the segment's revenue) and per segment, best attractiveness
/// first, its scores, cell, strategy and revenue (the JSON's `matrix`).
void add_matrix_section(html_document& doc, const sales_report& r);

/// The matrix as the JSON member `matrix` (null without criteria): cuts {low, high},
/// revenue_source ("criteria", "rfm" or null) and segments, best attractiveness first:
/// [{segment, rank, attractiveness, strength, attractiveness_level, strength_level, zone,
/// revenue (null when unknown)}].
void write_json(detail::json_writer& w, const std::optional<report_matrix>& m);
/// The "Service tiers" section (nothing without `r.loyalty.profitability`, i.e. a cost column):
/// profit per tier A..D as bars, and per tier its customers, net revenue, gross margin, cost to
/// serve, profit and the service it calls for (the JSON's `loyalty.profitability.service_tiers`
/// and `service_tier_cuts`), with the cuts in a note.
void add_service_tiers_section(html_document& doc, const sales_report& r);

/// The "What keeping customers is worth" section (issue 14: the article's "+5% loyal customers
/// can raise revenue by up to 100%" and "8 times more spent on winning than on keeping", from
/// the log): the takeaway (the measured retention rate and the revenue over the horizon at
/// +uplift points against the observed rate), the projected revenue per period of the three
/// scenarios as lines, the scenarios' table (rate, revenue, margin, lifetime value and their
/// change), what was measured (rate with its interval, per-customer figures, the margin's
/// source) and keeping against winning (the customers kept in addition and their lifetime
/// value, the article's 8 times, with spends the costs per customer), each figure defined in a
/// note. Without a result the section says why it is skipped (the JSON's
/// `retention_economics`).
void add_economics_section(html_document& doc, const sales_report& r);

/// The "Loyalty programme" section (nothing without `r.programme`): the takeaway (the effect of
/// joining on purchases and spend a month, with its interval, and the members compared), the
/// purchases a month of members and non-members before and after as bars, the four outcomes
/// (purchases, spend, share still buying, margin: before, after, effect, interval), the
/// incremental margin per member against the programme's cost, and notes on the design, its
/// assumption and who was left out (the JSON's `programme`). Without a result: why it is skipped.
void add_programme_section(html_document& doc, const sales_report& r);

/// The retention economics as the JSON member `retention_economics`: margin_source ("cost
/// column", "margin rate" or null), omitted (the reason or null) and, with a result,
/// extra_retained, extra_retained_value, article_spend_ratio (8) and the members of
/// `custometrics retention-economics --format json` (output/economics.hpp).
void write_json(detail::json_writer& w, const report_economics& e);

/// The programme evaluation as the JSON member `programme` (null without members): omitted
/// (the reason or null) and, with a result, the members of `custometrics programme --format
/// json` (output/programme.hpp).
void write_json(detail::json_writer& w, const std::optional<report_programme>& p);

/// The whole report as one self-contained HTML page (output/html.hpp): the overview's
/// sections, the period comparison, segments, retention, win-back, loyalty, service tiers,
/// retention economics, the loyalty programme (with members) and break-even.
std::string render_html(const sales_report& r);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
