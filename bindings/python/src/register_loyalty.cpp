// _core.classify_loyalty, _core.net_promoter, _core.tightwad_spendthrift, _core.spending_proxy,
// _core.churn_reasons and _core.customer_profitability: loyalty.hpp and profitability.hpp over
// numpy columns, their results as read-only classes (columns as numpy arrays).
//
// Per-customer inputs the user gives (signals, service tickets) come as their own key column
// plus value columns, and are matched to the log's customers by the core's
// `match_customer_keys`: the rows whose key is not in the log are returned ("unmatched"), a
// key given twice is an error naming it. NaN in a signal column is a missing value (pandas'
// convention), and becomes `std::nullopt` for the core.
#include "common.hpp"

#include "custometrics/loyalty.hpp"
#include "custometrics/profitability.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace custometrics::python {

namespace {

/// Thresholds or rates by name (a Python dict's items), read by the core's `*_from`.
using named_numbers = std::vector<std::pair<std::string, double>>;

// The customer of each key of a per-customer table (integers or str, `encode_keys`) by the
// core's rule (`unmatched`: the rows whose key is not the log's); a key given twice throws.
key_match match(const py::array& keys, const key_index& index, const std::string& column) {
    const keyed_column k = encode_keys(keys, column, 1);
    key_match m = match_customer_keys(k.index, k.ids, index);
    m.check_unique(column, index);
    return m;
}

using opt_span = std::optional<std::span<const double>>;
constexpr std::span<const double> no_column{};
/// Named signal columns of the signals table (loyalty.hpp `stated_signals_from`).
using named_columns = std::vector<std::pair<std::string, std::span<const double>>>;

py::tuple classify(const py::array& customer, const int64_array& time,
                   std::int64_t ticks_per_second, const float64_array& amount, opt_span discount,
                   opt_span payment_delay, opt_span list_amount,
                   const std::vector<std::pair<std::int64_t, std::int64_t>>& promotions,
                   std::optional<std::int64_t> observation_end,
                   const std::optional<py::array>& signal_customer, const named_columns& signals,
                   const named_numbers& rules, const std::string& customer_column) {
    const log_columns in(customer, time, ticks_per_second, amount, std::nullopt, std::nullopt,
                         customer_column);
    std::vector<promotion_period> periods;
    for (const auto& [start, end] : promotions)
        periods.push_back({start, end});
    const behaviour_options bo{observation_end,
                               std::nullopt,
                               discount.value_or(no_column),
                               payment_delay.value_or(no_column),
                               list_amount.value_or(no_column),
                               periods};
    key_match m =
        signal_customer ? match(*signal_customer, in.customers.index, "signals") : key_match{};
    stated_signals s = stated_signals_from(m, in.customers.index.size(), signals);
    const loyalty_rules r = loyalty_rules_from(rules, "rules");
    behaviour_signals b;
    loyalty_result res;
    {
        py::gil_scoped_release nogil;
        b = behaviour_signals_from(in.view, bo);
        res = classify_loyalty(b, s, r, &in.customers.index);
    }
    return py::make_tuple(keys_array(in.customers.index), std::move(b), std::move(res),
                          std::move(s), to_numpy(std::move(m.unmatched)));
}

py::tuple profit(const py::array& customer, const int64_array& time, std::int64_t ticks_per_second,
                 const float64_array& amount, const float64_array& cost,
                 const std::optional<py::array>& order, opt_span discount, opt_span payment_delay,
                 const std::optional<py::array>& ticket_customer, opt_span tickets,
                 const named_numbers& settings, const std::string& customer_column) {
    const log_columns in(customer, time, ticks_per_second, amount, cost, order, customer_column);
    const profitability_config config = profitability_config_from(settings, "costs");
    signal_file given; // the tickets: per customer, none where not given
    key_match m;
    if (ticket_customer && tickets) {
        m = match(*ticket_customer, in.customers.index, "tickets");
        given.service_tickets.resize(in.customers.index.size());
        m.scatter(*tickets, given.service_tickets, "tickets");
    }
    customer_profitability p = without_gil([&] {
        return profitability(in.view, config, &given, discount.value_or(no_column),
                             payment_delay.value_or(no_column));
    });
    return py::make_tuple(keys_array(in.customers.index), std::move(p),
                          to_numpy(std::move(m.unmatched)));
}

} // namespace

void register_loyalty(py::module_& m) {
    CM_RESULT(m, behaviour_signals, "BehaviourSignals",
              "custometrics/loyalty.hpp behaviour_signals.", purchase_days, purchase_rows,
              return_rows, regularity_cv, mean_interval, days_since_last, recency_ratio,
              tenure_days, frequency_trend, discount_share, rhythm_share, promotion_share,
              promotion_lift, return_share, payment_delay, revenue, observation_end, trend_split,
              promotion_day_share);
    CM_RESULT(m, stated_signals, "StatedSignals",
              "custometrics/loyalty.hpp stated_signals (NaN: not known).", satisfaction, recommend,
              referrals, complaints, share_of_wallet, has_alternative);
    CM_RESULT(m, loyalty_result, "LoyaltyResult", "custometrics/loyalty.hpp loyalty_result.", type,
              rule, decided_by, missing, quadrant_of, quadrant_rule, type_count, quadrant_count)
        .def_property_readonly("quadrant", [](const py::object& self) {
            return self.attr("quadrant_of"); // the name the Python layer reads
        });
    CM_RESULT(m, nps_score, "NpsScore", "custometrics/loyalty.hpp nps_score.", promoters, passives,
              detractors, missing, score)
        .def_property_readonly("answered", &nps_score::answered);
    CM_RESULT(m, nps_result, "NpsResult", "custometrics/loyalty.hpp nps_result.", category, overall,
              segments, by_segment);
    CM_RESULT(m, tightwad_scores, "TightwadScores", "custometrics/loyalty.hpp tightwad_scores.",
              total, type);
    CM_RESULT(m, goodness_of_fit, "GoodnessOfFit", "custometrics/loyalty.hpp goodness_of_fit.",
              tested, expected, in_reference, tested_total, not_in_reference, chi_square, df,
              p_value, warnings);
    CM_RESULT(m, churn_reason_tally, "ChurnReasonTally",
              "custometrics/loyalty.hpp churn_reason_tally.", count, total, share, tested,
              in_reference, not_in_reference, expected, chi_square, df, p_value, warnings);
    CM_RESULT(m, service_tier_totals, "ServiceTierTotals", "custometrics/profitability.hpp.",
              customers, revenue, gross_margin, cost_to_serve, profit);
    CM_RESULT(m, customer_profitability, "CustomerProfitability", "custometrics/profitability.hpp.",
              revenue, cost, discounts, gross_margin, order_cost, return_cost, service_cost,
              delay_cost, cost_to_serve, profit, orders, return_rows, large, large_unprofitable,
              wanted, reason, criteria_skipped, large_threshold, median_margin_rate,
              median_order_value, tiers, tier_cut_a, tier_cut_b)
        .def_property_readonly("tier", [](const customer_profitability& p) {
            std::vector<std::string> t; // "A".."D" per customer
            for (const service_tier x : p.tier)
                t.emplace_back(to_string(x));
            return t;
        });

    m.def("classify_loyalty", &classify, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("discount"),
          py::arg("payment_delay"), py::arg("list_amount"), py::arg("promotions"),
          py::arg("observation_end"), py::arg("signal_customer"), py::arg("signals"),
          py::arg("rules"), py::arg("customer_column"),
          "(keys, BehaviourSignals, LoyaltyResult, StatedSignals, unmatched rows).");
    m.def(
        "net_promoter",
        [](std::span<const double> scores, const std::optional<std::vector<std::string>>& segment) {
            return net_promoter(scores, segment.value_or(std::vector<std::string>{}));
        },
        py::arg("scores"), py::arg("segment"),
        "Net Promoter categories and scores (see custometrics.nps).");
    m.def(
        "tightwad_spendthrift",
        [](std::span<const std::int64_t> a, std::span<const std::int64_t> b,
           std::span<const std::int64_t> c,
           std::span<const std::int64_t> d) { return score_tightwad(a, b, c, d); },
        py::arg("describe"), py::arg("trouble_limiting"), py::arg("trouble_spending"),
        py::arg("sale_scenario"),
        "Tightwad-Spendthrift totals and types (see custometrics.spending_types).");
    m.def(
        "spending_proxy",
        [](std::span<const double> spend, std::optional<std::span<const std::uint32_t>> group,
           std::optional<double> low, std::optional<double> high, const std::string& reference) {
            return to_python(
                spending_proxy_at(spend, group.value_or(std::span<const std::uint32_t>{}),
                                  spending_reference(reference, "reference"), low, high));
        },
        py::arg("spend"), py::arg("group"), py::arg("low"), py::arg("high"), py::arg("reference"),
        "Behavioural spending proxy codes (see custometrics.spending_proxy).");
    m.def(
        "spending_fit",
        [](const std::vector<std::size_t>& counts, const std::string& reference) {
            static constexpr std::array<std::string_view, 3> types{"tightwad", "unconflicted",
                                                                   "spendthrift"};
            return chi_square_fit(counts, spending_reference(reference, "reference"), types,
                                  "reference");
        },
        py::arg("counts"), py::arg("reference"),
        "Spending-type counts against a named reference (see custometrics.spending_types).");
    m.def(
        "spending_reference",
        [](const std::string& name) { return spending_reference(name, "reference"); },
        py::arg("name"), "A built-in spending-type reference by name.");
    m.def(
        "churn_reference",
        [](const std::string& name) { return churn_reference(name, "reference"); }, py::arg("name"),
        "A built-in churn reference by name.");
    m.def(
        "churn_reasons",
        [](const std::vector<std::string>& answers,
           const std::optional<std::vector<double>>& reference) {
            const std::vector<churn_reason> r = parse_churn_reasons(answers);
            return reference ? tally_churn_reasons(r, *reference) : tally_churn_reasons(r);
        },
        py::arg("answers"), py::arg("reference"),
        "Churn-reason tally and chi-square test (see custometrics.churn_reasons).");
    m.def("customer_profitability", &profit, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("cost"), py::arg("order"),
          py::arg("discount"), py::arg("payment_delay"), py::arg("ticket_customer"),
          py::arg("tickets"), py::arg("settings"), py::arg("customer_column"),
          "(keys, CustomerProfitability, unmatched rows).");
}

} // namespace custometrics::python
