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

#include "custometrics/detail/format.hpp"
#include "custometrics/loyalty.hpp"
#include "custometrics/profitability.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace custometrics::python {

namespace {

using opt_array = std::optional<float64_array>;
/// Thresholds or rates by name (a Python dict's items), read by the core's `*_from`.
using named_numbers = std::vector<std::pair<std::string, double>>;

// The customer of each key of a per-customer table (integers or str) by the core's rule
// (`unmatched`: the rows whose key is not the log's); a key given twice throws.
key_match match(const py::array& keys, const key_index& index, const std::string& column) {
    if (keys.ndim() != 1)
        throw invalid_argument(column + ": expected a 1-D column, got " +
                               std::to_string(keys.ndim()) + " dimensions");
    key_match m;
    if (keys.dtype().kind() == 'i' || keys.dtype().kind() == 'u') {
        m = match_customer_keys(as_span(int64_array::ensure(keys)), index);
    } else {
        std::vector<std::string> text(static_cast<std::size_t>(keys.shape(0)));
        for (std::size_t i = 0; i < text.size(); ++i) {
            const py::object o = keys[py::int_(i)];
            if (!py::isinstance<py::str>(o))
                throw data_error(column + ": row " + std::to_string(i) +
                                 ": key is not a str or an integer");
            text[i] = o.cast<std::string>();
        }
        m = match_customer_keys(text, index);
    }
    m.check_unique(column, index);
    return m;
}

// A signal column scattered to the log's customers (`out`, one per customer): NaN = missing.
template <class T>
void scatter(const opt_array& values, const key_match& m, std::vector<std::optional<T>>& out,
             const char* name) {
    if (!values) return;
    const std::span<const double> v = as_span(*values);
    if (v.size() != m.id.size())
        throw invalid_argument(name, "has " + std::to_string(v.size()) +
                                         " rows, the signals' customer column has " +
                                         std::to_string(m.id.size()));
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (m.id[i] == no_id || std::isnan(v[i])) continue;
        if constexpr (std::is_same_v<T, bool>) {
            if (v[i] != 0 && v[i] != 1)
                throw data_error(std::string(name) + ": row " + std::to_string(i) + ": value is " +
                                 detail::format_number(v[i]) + " (must be 0, 1, True or False)");
        }
        out[m.id[i]] = static_cast<T>(v[i]);
    }
}

std::span<const double> span_of(const opt_array& a) {
    return a ? as_span(*a) : std::span<const double>{};
}

template <class E> py::array_t<std::uint8_t> codes(const std::vector<E>& v) {
    std::vector<std::uint8_t> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        out[i] = static_cast<std::uint8_t>(v[i]);
    return to_numpy(std::move(out));
}

// Read-only properties: enum codes as uint8, optionals as NaN.
template <class C, class E> auto codes_of(std::vector<E> C::*member) {
    return [member](const C& c) { return codes(c.*member); };
}
template <class T> auto nan_of(std::vector<std::optional<T>> stated_signals::*member) {
    return [member](const stated_signals& s) {
        const auto& v = s.*member;
        std::vector<double> out(v.size(), std::nan(""));
        for (std::size_t c = 0; c < v.size(); ++c)
            if (v[c]) out[c] = static_cast<double>(*v[c]);
        return to_numpy(std::move(out));
    };
}

py::tuple classify(const py::array& customer, const int64_array& time,
                   std::int64_t ticks_per_second, const float64_array& amount,
                   const opt_array& discount, const opt_array& payment_delay,
                   const opt_array& list_amount,
                   const std::vector<std::pair<std::int64_t, std::int64_t>>& promotions,
                   std::optional<std::int64_t> observation_end,
                   const std::optional<py::array>& signal_customer, const opt_array& satisfaction,
                   const opt_array& recommend, const opt_array& referrals,
                   const opt_array& complaints, const opt_array& share_of_wallet,
                   const opt_array& has_alternative, const named_numbers& rules,
                   const std::string& customer_column) {
    const log_columns in(customer, time, ticks_per_second, amount, std::nullopt, std::nullopt,
                         customer_column);
    std::vector<promotion_period> periods;
    for (const auto& [start, end] : promotions)
        periods.push_back({start, end});
    behaviour_options bo;
    bo.observation_end = observation_end;
    bo.discount = span_of(discount);
    bo.payment_delay = span_of(payment_delay);
    bo.list_amount = span_of(list_amount);
    bo.promotions = periods;
    stated_signals s(in.customers.index.size());
    key_match m;
    if (signal_customer) {
        m = match(*signal_customer, in.customers.index, "signals");
        scatter(satisfaction, m, s.satisfaction, "satisfaction");
        scatter(recommend, m, s.recommend, "recommend");
        scatter(referrals, m, s.referrals, "referrals");
        scatter(complaints, m, s.complaints, "complaints");
        scatter(share_of_wallet, m, s.share_of_wallet, "share_of_wallet");
        scatter(has_alternative, m, s.has_alternative, "has_alternative");
    }
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
                 const std::optional<py::array>& order, const opt_array& discount,
                 const opt_array& payment_delay, const std::optional<py::array>& ticket_customer,
                 const opt_array& tickets, const named_numbers& settings,
                 const std::string& customer_column) {
    const log_columns in(customer, time, ticks_per_second, amount, cost, order, customer_column);
    const profitability_config config = profitability_config_from(settings, "costs");
    signal_file given; // the tickets: per customer, none where not given
    key_match m;
    if (ticket_customer && tickets) {
        m = match(*ticket_customer, in.customers.index, "tickets");
        given.service_tickets.resize(in.customers.index.size());
        scatter(tickets, m, given.service_tickets, "tickets");
    }
    customer_profitability p;
    {
        py::gil_scoped_release nogil;
        p = profitability(in.view, config, &given, span_of(discount), span_of(payment_delay));
    }
    return py::make_tuple(keys_array(in.customers.index), std::move(p),
                          to_numpy(std::move(m.unmatched)));
}

} // namespace

void register_loyalty(py::module_& m) {
    using bs = behaviour_signals;
    py::class_<bs>(m, "BehaviourSignals", "custometrics/loyalty.hpp behaviour_signals.")
        .def_property_readonly("purchase_days", numpy_of(&bs::purchase_days))
        .def_property_readonly("regularity_cv", numpy_of(&bs::regularity_cv))
        .def_property_readonly("mean_interval", numpy_of(&bs::mean_interval))
        .def_property_readonly("days_since_last", numpy_of(&bs::days_since_last))
        .def_property_readonly("recency_ratio", numpy_of(&bs::recency_ratio))
        .def_property_readonly("tenure_days", numpy_of(&bs::tenure_days))
        .def_property_readonly("frequency_trend", numpy_of(&bs::frequency_trend))
        .def_property_readonly("discount_share", numpy_of(&bs::discount_share))
        .def_property_readonly("rhythm_share", numpy_of(&bs::rhythm_share))
        .def_property_readonly("promotion_share", numpy_of(&bs::promotion_share))
        .def_property_readonly("promotion_lift", numpy_of(&bs::promotion_lift))
        .def_property_readonly("return_share", numpy_of(&bs::return_share))
        .def_property_readonly("payment_delay", numpy_of(&bs::payment_delay))
        .def_property_readonly("revenue", numpy_of(&bs::revenue));
    py::class_<stated_signals>(m, "StatedSignals", "custometrics/loyalty.hpp stated_signals.")
        .def_property_readonly("satisfaction", nan_of(&stated_signals::satisfaction))
        .def_property_readonly("recommend", nan_of(&stated_signals::recommend))
        .def_property_readonly("referrals", nan_of(&stated_signals::referrals))
        .def_property_readonly("complaints", nan_of(&stated_signals::complaints))
        .def_property_readonly("share_of_wallet", nan_of(&stated_signals::share_of_wallet))
        .def_property_readonly("has_alternative", nan_of(&stated_signals::has_alternative));
    py::class_<loyalty_result>(m, "LoyaltyResult", "custometrics/loyalty.hpp loyalty_result.")
        .def_property_readonly("type", codes_of(&loyalty_result::type))
        .def_readonly("rule", &loyalty_result::rule)
        .def_readonly("decided_by", &loyalty_result::decided_by)
        .def_readonly("missing", &loyalty_result::missing)
        .def_property_readonly("quadrant", codes_of(&loyalty_result::quadrant_of))
        .def_readonly("quadrant_rule", &loyalty_result::quadrant_rule);
    py::class_<nps_score>(m, "NpsScore", "custometrics/loyalty.hpp nps_score.")
        .def_readonly("promoters", &nps_score::promoters)
        .def_readonly("passives", &nps_score::passives)
        .def_readonly("detractors", &nps_score::detractors)
        .def_readonly("missing", &nps_score::missing)
        .def_property_readonly("answered", &nps_score::answered)
        .def_readonly("score", &nps_score::score);
    py::class_<nps_result>(m, "NpsResult", "custometrics/loyalty.hpp nps_result.")
        .def_property_readonly("category", codes_of(&nps_result::category))
        .def_readonly("overall", &nps_result::overall)
        .def_readonly("segments", &nps_result::segments)
        .def_readonly("by_segment", &nps_result::by_segment);
    py::class_<tightwad_scores>(m, "TightwadScores", "custometrics/loyalty.hpp tightwad_scores.")
        .def_property_readonly("total", numpy_of(&tightwad_scores::total))
        .def_property_readonly("type", codes_of(&tightwad_scores::type));
    using gf = goodness_of_fit;
    py::class_<gf>(m, "GoodnessOfFit", "custometrics/loyalty.hpp goodness_of_fit.")
        .def_readonly("tested", &gf::tested)
        .def_readonly("expected", &gf::expected)
        .def_readonly("in_reference", &gf::in_reference)
        .def_readonly("tested_total", &gf::tested_total)
        .def_readonly("not_in_reference", &gf::not_in_reference)
        .def_readonly("chi_square", &gf::chi_square)
        .def_readonly("df", &gf::df)
        .def_readonly("p_value", &gf::p_value)
        .def_readonly("warnings", &gf::warnings);
    using ct = churn_reason_tally;
    py::class_<ct>(m, "ChurnReasonTally", "custometrics/loyalty.hpp churn_reason_tally.")
        .def_readonly("count", &ct::count)
        .def_readonly("share", &ct::share)
        .def_readonly("tested", &ct::tested)
        .def_readonly("in_reference", &ct::in_reference)
        .def_readonly("not_in_reference", &ct::not_in_reference)
        .def_readonly("expected", &ct::expected)
        .def_readonly("chi_square", &ct::chi_square)
        .def_readonly("df", &ct::df)
        .def_readonly("p_value", &ct::p_value)
        .def_readonly("warnings", &ct::warnings);
    using cp = customer_profitability;
    py::class_<cp>(m, "CustomerProfitability", "custometrics/profitability.hpp.")
        .def_property_readonly("revenue", numpy_of(&cp::revenue))
        .def_property_readonly("cost", numpy_of(&cp::cost))
        .def_property_readonly("discounts", numpy_of(&cp::discounts))
        .def_property_readonly("gross_margin", numpy_of(&cp::gross_margin))
        .def_property_readonly("order_cost", numpy_of(&cp::order_cost))
        .def_property_readonly("return_cost", numpy_of(&cp::return_cost))
        .def_property_readonly("service_cost", numpy_of(&cp::service_cost))
        .def_property_readonly("delay_cost", numpy_of(&cp::delay_cost))
        .def_property_readonly("cost_to_serve", numpy_of(&cp::cost_to_serve))
        .def_property_readonly("profit", numpy_of(&cp::profit))
        .def_property_readonly("orders", numpy_of(&cp::orders))
        .def_property_readonly("return_rows", numpy_of(&cp::return_rows))
        .def_property_readonly("large", numpy_of(&cp::large))
        .def_property_readonly("large_unprofitable", numpy_of(&cp::large_unprofitable))
        .def_property_readonly("wanted", numpy_of(&cp::wanted))
        .def_readonly("reason", &cp::reason)
        .def_readonly("criteria_skipped", &cp::criteria_skipped)
        .def_readonly("large_threshold", &cp::large_threshold)
        .def_readonly("median_margin_rate", &cp::median_margin_rate)
        .def_readonly("median_order_value", &cp::median_order_value);

    m.def("classify_loyalty", &classify, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("discount"),
          py::arg("payment_delay"), py::arg("list_amount"), py::arg("promotions"),
          py::arg("observation_end"), py::arg("signal_customer"), py::arg("satisfaction"),
          py::arg("recommend"), py::arg("referrals"), py::arg("complaints"),
          py::arg("share_of_wallet"), py::arg("has_alternative"), py::arg("rules"),
          py::arg("customer_column"),
          "(keys, BehaviourSignals, LoyaltyResult, StatedSignals, unmatched rows).");
    m.def(
        "net_promoter",
        [](const float64_array& scores, const std::optional<std::vector<std::string>>& segment) {
            const std::span<const double> v = as_span(scores);
            std::vector<std::optional<double>> rec(v.size());
            for (std::size_t i = 0; i < v.size(); ++i)
                if (!std::isnan(v[i])) rec[i] = v[i]; // NaN: no answer
            return segment ? net_promoter(rec, *segment) : net_promoter(rec);
        },
        py::arg("scores"), py::arg("segment"),
        "Net Promoter categories and scores (see custometrics.nps).");
    m.def(
        "tightwad_spendthrift",
        [](const int64_array& a, const int64_array& b, const int64_array& c, const int64_array& d) {
            return score_tightwad(as_span(a), as_span(b), as_span(c), as_span(d));
        },
        py::arg("describe"), py::arg("trouble_limiting"), py::arg("trouble_spending"),
        py::arg("sale_scenario"),
        "Tightwad-Spendthrift totals and types (see custometrics.spending_types).");
    m.def(
        "spending_proxy",
        [](const float64_array& spend, const std::optional<int64_array>& group,
           std::optional<double> low, std::optional<double> high, const std::string& reference) {
            std::vector<std::uint32_t> g;
            if (group)
                for (const auto x : as_span(*group))
                    g.push_back(static_cast<std::uint32_t>(x));
            if (low || high) // explicit cuts; each one not given comes from the reference
            {
                const std::vector<double> ref = spending_reference(reference, "reference");
                return codes(spending_proxy(as_span(spend), g, low.value_or(ref[0]),
                                            high.value_or(1.0 - ref[2])));
            }
            return codes(
                spending_proxy_at(as_span(spend), g, spending_reference(reference, "reference")));
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
