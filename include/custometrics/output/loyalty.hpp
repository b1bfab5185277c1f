// Text, JSON and CSV writers of the loyalty and profitability results (loyalty.hpp,
// profitability.hpp): the output of `custometrics loyalty` and `custometrics profitability` and
// their sections of the report.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/loyalty.hpp"
#include "custometrics/output/format.hpp"
#include "custometrics/pareto.hpp"
#include "custometrics/profitability.hpp"

#include <array>
#include <iosfwd>
#include <optional>
#include <string_view>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// The loyalty overview as members of the current JSON object.
///
/// Members: `customers`, `signals_given`, `signal_rows_not_in_log` (with signals), `types` and
/// `quadrants` (an object per label: `count`, `share` of all customers), `nps` and
/// `nps_by_segment` (per segment name: promoters, passives, detractors, missing, score or null),
/// `spending` (`questionnaire` and `proxy`: count and share of the source's total per type,
/// `unknown`, `reference`: the share per type the proxy cuts at, `questionnaire_test`: tested,
/// chi_square, df, p_value when tested, warnings), `churn_reasons` (`answers`; per reason
/// count, share and, when tested, in_reference and expected; not_in_reference, chi_square, df,
/// p_value when tested; `warnings`). Example: `"types": {"loyal": {"count": 2,
/// "share": 0.5}, ...}`.
void write_json(detail::json_writer& w, const loyalty_overview& a);

/// The loyalty overview as text: types and quadrants (count, share), NPS overall and per
/// segment, spending types by source, notes on the signals file, churn reasons with the test.
/// Example first line: "Loyalty types (4 customers; no signals file: behaviour only)".
/// `with_types` false leaves the type counts out (the report prints them, with their revenue,
/// in its own loyalty-type section) and starts with the quadrants. Counts and shares follow `fm`
/// (the report's formatter; default plain).
void write_text(std::ostream& out, const loyalty_overview& a, bool with_types = true,
                const formatter& fm = {});

/// One CSV row per customer: `customer_id,loyalty_type,quadrant,nps_category,spending_type,
/// reason,decided_by`, the spending type marked " (proxy)" where it is the behavioural proxy,
/// `decided_by` the signals that decided the type ("behaviour: ...; stated: ...", empty for
/// unknown); `keys` are the log's customers.
void write_csv(std::ostream& out, const loyalty_overview& a, const key_index& keys);

/// The service a tier calls for (the article's service programme: serve customers by what they
/// earn), e.g. "standard service" for B; the text and HTML reports show it beside the tier.
std::string_view tier_service(service_tier t) noexcept;

/// Profitability totals and the whale curve as members of the current JSON object: customers,
/// revenue, gross_margin, cost_to_serve {discounts, orders, returns, service, payment_delays,
/// total}, profit, wanted, large_unprofitable, loss_makers, large_threshold, criteria_skipped,
/// service_tiers [{tier ("A".."D"), customers, revenue, gross_margin, cost_to_serve, profit}],
/// service_tier_cuts {tier_a, tier_b} (the cumulative profit shares the tiers were cut at),
/// whale {defined, peak_share, peak_entity_share, loss_share | reason}.
void write_json(detail::json_writer& w, const customer_profitability& p, const whale_result& whale);

/// Profitability totals, the service tiers (each with its cost to serve, profit and what
/// service it calls for) and the whale curve as text (money with thousands separators, in the
/// style of `fm`: the report's formatter, default plain).
void write_text(std::ostream& out, const customer_profitability& p, const whale_result& whale,
                const formatter& fm = {});

/// One CSV row per customer: the money columns (shortest round-trip numbers), orders,
/// return_rows, the three flags as 0/1, the reason and the service tier (A..D).
void write_csv(std::ostream& out, const customer_profitability& p, const key_index& keys);

/// The loyalty and profitability sections of the report, computed.
struct loyalty_report_section {
    loyalty_overview loyalty;
    /// Net revenue (purchases minus returns) of the customers of each loyalty type, and of all.
    std::array<double, n_loyalty_types> type_revenue{};
    double revenue = 0.0;
    std::optional<customer_profitability> profitability; ///< none without a cost column
    std::optional<whale_result> whale;                   ///< of the profits
    bool costs_given = false;                            ///< false: every cost rate is 0
};

/// Computes the report's loyalty section of `log` with default rules, the churn answers of
/// `signals` (when it has any) tested against the article's reasons (`churn_reference("article")`),
/// the net revenue of each loyalty type,
/// and, when the log has a cost column, the profitability with `costs` (default: all rates 0)
/// and the service tickets of `signals`, and its whale curve.
loyalty_report_section loyalty_report_section_of(const transaction_log& log,
                                                 std::optional<signal_file> signals,
                                                 const std::optional<profitability_config>& costs);

/// The loyalty and profitability sections of the report as text: a blank line, the loyalty
/// overview, a blank line and the profitability (or one line saying it is skipped for lack of a
/// cost column); without costs given a note that every cost rate is 0. Numbers follow `fm`, the
/// report's formatter (`formatter{}`: plain English numbers, as the other writers here use).
void report_loyalty_text(std::ostream& out, const loyalty_report_section& s, const formatter& fm);

/// The same as the `"loyalty"` and (with a cost column) `"profitability"` members of the
/// report's JSON object; `"loyalty"` adds `type_revenue` {type: {revenue, share}}, the net
/// revenue of each type and its share of all customers' net revenue (0 when that is 0).
void report_loyalty_json(detail::json_writer& w, const loyalty_report_section& s);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
