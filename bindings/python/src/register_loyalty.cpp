// _core.classify_loyalty, _core.net_promoter, _core.tightwad_totals, _core.churn_reasons and
// _core.customer_profitability: loyalty.hpp and profitability.hpp over numpy columns.
//
// Per-customer inputs the user gives (signals, service tickets) come as their own key column
// plus value columns, and are matched to the log's customers here: a key that is not in the
// log is returned in "unmatched", a key given twice is an error naming it. NaN in a signal
// column is a missing value (pandas' convention), and becomes `std::nullopt` for the core.
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

// The log columns as prepared by custometrics/loyalty_types.py.
struct log_input {
    keyed_column customers;
    std::optional<keyed_column> orders;
    transaction_view view;

    log_input(const py::array& customer, const int64_array& time, std::int64_t ticks_per_second,
              const float64_array& amount, const opt_array& cost,
              const std::optional<py::array>& order, const std::string& customer_column)
        : customers(encode_keys(customer, customer_column, 0)) {
        if (order) orders = encode_keys(*order, "order", 0);
        view.customer = customers.ids;
        view.n_customers = customers.index.size();
        view.customer_keys = &customers.index;
        view.time = as_span(time);
        view.ticks_per_second = ticks_per_second;
        view.amount = as_span(amount);
        if (cost) view.cost = as_span(*cost);
        if (orders) view.order = orders->ids;
    }
};

// Matches the keys of a per-customer table to the log's customer ids: the id of each row, or
// no_id (and the key appended to `unmatched`) when the log lacks it. A key given twice throws.
std::vector<entity_id> match_keys(const py::array& keys, const key_index& index,
                                  const std::string& column, py::list& unmatched) {
    if (keys.ndim() != 1)
        throw invalid_argument(column + ": expected a 1-D column, got " +
                               std::to_string(keys.ndim()) + " dimensions");
    const auto n = static_cast<std::size_t>(keys.shape(0));
    std::vector<entity_id> ids(n, no_id);
    std::vector<std::uint8_t> seen(index.size(), 0);
    const bool ints = keys.dtype().kind() == 'i' || keys.dtype().kind() == 'u';
    const int64_array as_ints = ints ? int64_array::ensure(keys) : int64_array();
    for (std::size_t i = 0; i < n; ++i) {
        std::optional<entity_id> id;
        std::string text;
        if (ints) {
            const std::int64_t k = as_ints.at(static_cast<py::ssize_t>(i));
            id = index.find(k);
            text = std::to_string(k);
        } else {
            const py::object o = keys[py::int_(i)];
            if (!py::isinstance<py::str>(o))
                throw data_error(column + ": row " + std::to_string(i) +
                                 ": key is not a str or an integer");
            text = o.cast<std::string>();
            id = index.find(std::string_view(text));
        }
        if (!id) {
            unmatched.append(ints ? py::object(py::int_(as_ints.at(static_cast<py::ssize_t>(i))))
                                  : py::object(py::str(text)));
            continue;
        }
        if (seen[*id] != 0)
            throw data_error(column + ": row " + std::to_string(i) + ": customer \"" + text +
                             "\" appears twice");
        seen[*id] = 1;
        ids[i] = *id;
    }
    return ids;
}

// A signal column scattered to the log's customers: NaN = missing.
std::vector<std::optional<double>> scatter(const opt_array& values,
                                           const std::vector<entity_id>& ids, std::size_t n,
                                           const char* name) {
    if (!values) return {};
    const std::span<const double> v = as_span(*values);
    if (v.size() != ids.size())
        throw invalid_argument(name, "has " + std::to_string(v.size()) +
                                         " rows, the signals' customer column has " +
                                         std::to_string(ids.size()));
    std::vector<std::optional<double>> out(n);
    for (std::size_t i = 0; i < v.size(); ++i)
        if (ids[i] != no_id && !std::isnan(v[i])) out[ids[i]] = v[i];
    return out;
}

template <class E> py::array_t<std::uint8_t> codes(const std::vector<E>& v) {
    std::vector<std::uint8_t> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        out[i] = static_cast<std::uint8_t>(v[i]);
    return to_numpy(std::move(out));
}

py::dict classify(const py::array& customer, const int64_array& time, std::int64_t ticks_per_second,
                  const float64_array& amount, const opt_array& discount,
                  const opt_array& payment_delay, std::optional<std::int64_t> observation_end,
                  const std::optional<py::array>& signal_customer, const opt_array& satisfaction,
                  const opt_array& recommend, const opt_array& referrals,
                  const opt_array& complaints, const opt_array& share_of_wallet,
                  const opt_array& has_alternative, const named_numbers& rules,
                  const std::string& customer_column) {
    const log_input in(customer, time, ticks_per_second, amount, std::nullopt, std::nullopt,
                       customer_column);
    behaviour_options bo;
    if (discount) bo.discount = as_span(*discount);
    if (payment_delay) bo.payment_delay = as_span(*payment_delay);
    bo.observation_end = observation_end;
    const std::size_t n = in.customers.index.size();
    stated_signals s;
    py::list unmatched;
    if (signal_customer) {
        const auto ids = match_keys(*signal_customer, in.customers.index, "signals", unmatched);
        s.satisfaction = scatter(satisfaction, ids, n, "satisfaction");
        s.recommend = scatter(recommend, ids, n, "recommend");
        s.referrals = scatter(referrals, ids, n, "referrals");
        s.complaints = scatter(complaints, ids, n, "complaints");
        s.share_of_wallet = scatter(share_of_wallet, ids, n, "share_of_wallet");
        const auto alt = scatter(has_alternative, ids, n, "has_alternative");
        if (!alt.empty()) {
            s.has_alternative.resize(n);
            for (std::size_t c = 0; c < n; ++c)
                if (alt[c]) {
                    if (*alt[c] != 0 && *alt[c] != 1)
                        throw data_error("has_alternative: customer \"" +
                                         in.customers.index.key_string(static_cast<entity_id>(c)) +
                                         "\": value is " + detail::format_number(*alt[c]) +
                                         " (must be 0, 1, True or False)");
                    s.has_alternative[c] = *alt[c] != 0;
                }
        }
    }
    const loyalty_rules r = loyalty_rules_from(rules, "rules");
    behaviour_signals b;
    loyalty_result res;
    {
        py::gil_scoped_release nogil;
        b = behaviour_signals_from(in.view, bo);
        res = classify_loyalty(b, s, r, &in.customers.index);
    }
    auto opt_column = [&](const std::vector<std::optional<double>>& v) {
        std::vector<double> out(n, std::nan(""));
        for (std::size_t c = 0; c < v.size(); ++c)
            if (v[c]) out[c] = *v[c];
        return to_numpy(std::move(out));
    };
    py::dict out;
    out["keys"] = keys_array(in.customers.index);
    out["type"] = codes(res.type);
    out["rule"] = res.rule;
    out["missing"] = res.missing;
    out["quadrant"] = codes(res.quadrant_of);
    out["quadrant_rule"] = res.quadrant_rule;
    out["purchase_days"] = to_numpy(std::move(b.purchase_days));
    out["regularity_cv"] = to_numpy(std::move(b.regularity_cv));
    out["mean_interval"] = to_numpy(std::move(b.mean_interval));
    out["days_since_last"] = to_numpy(std::move(b.days_since_last));
    out["recency_ratio"] = to_numpy(std::move(b.recency_ratio));
    out["tenure_days"] = to_numpy(std::move(b.tenure_days));
    out["frequency_trend"] = to_numpy(std::move(b.frequency_trend));
    out["discount_share"] = to_numpy(std::move(b.discount_share));
    out["return_share"] = to_numpy(std::move(b.return_share));
    out["payment_delay"] = to_numpy(std::move(b.payment_delay));
    out["revenue"] = to_numpy(std::move(b.revenue));
    out["satisfaction"] = opt_column(s.satisfaction);
    out["recommend"] = opt_column(s.recommend);
    out["referrals"] = opt_column(s.referrals);
    out["complaints"] = opt_column(s.complaints);
    out["share_of_wallet"] = opt_column(s.share_of_wallet);
    std::vector<std::optional<double>> alt(s.has_alternative.size());
    for (std::size_t c = 0; c < alt.size(); ++c)
        if (s.has_alternative[c]) alt[c] = *s.has_alternative[c] ? 1.0 : 0.0;
    out["has_alternative"] = opt_column(alt);
    out["unmatched"] = unmatched;
    return out;
}

py::dict nps(const float64_array& scores, const std::optional<std::vector<std::string>>& segment) {
    const std::span<const double> v = as_span(scores);
    std::vector<std::optional<double>> rec(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        if (!std::isnan(v[i])) rec[i] = v[i];
    const nps_result r = segment ? net_promoter(rec, *segment) : net_promoter(rec);
    auto row = [](const nps_score& s) {
        return py::make_tuple(s.promoters, s.passives, s.detractors, s.missing,
                              s.score ? py::object(py::float_(*s.score)) : py::object(py::none()));
    };
    py::dict out;
    out["category"] = codes(r.category);
    out["overall"] = row(r.overall);
    py::list segs;
    for (std::size_t k = 0; k < r.segments.size(); ++k)
        segs.append(py::make_tuple(r.segments[k], row(r.by_segment[k])));
    out["segments"] = segs;
    return out;
}

py::tuple tightwad(const int64_array& describe, const int64_array& limiting,
                   const int64_array& spending, const int64_array& scenario) {
    const auto a = as_span(describe), b = as_span(limiting), c = as_span(spending),
               d = as_span(scenario);
    if (b.size() != a.size() || c.size() != a.size() || d.size() != a.size())
        throw invalid_argument("tightwad_spendthrift", "the four items have different lengths");
    std::vector<std::int64_t> total(a.size());
    std::vector<spending_type> type(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        const tightwad_answers t{static_cast<int>(a[i]), static_cast<int>(b[i]),
                                 static_cast<int>(c[i]), static_cast<int>(d[i])};
        total[i] = tightwad_total(t, "row " + std::to_string(i));
        type[i] = spending_type_of(static_cast<int>(total[i]));
    }
    return py::make_tuple(to_numpy(std::move(total)), codes(type));
}

py::tuple proxy(const float64_array& spend, const std::optional<int64_array>& group, double low,
                double high) {
    std::vector<std::uint32_t> g;
    if (group)
        for (const auto x : as_span(*group))
            g.push_back(static_cast<std::uint32_t>(x));
    return py::make_tuple(codes(spending_proxy(as_span(spend), g, low, high)));
}

py::dict churn(const std::vector<std::string>& answers,
               const std::optional<std::vector<double>>& reference) {
    std::vector<churn_reason> r;
    r.reserve(answers.size());
    for (std::size_t i = 0; i < answers.size(); ++i)
        r.push_back(parse_churn_reason(answers[i], "reasons: row " + std::to_string(i)));
    const churn_reason_tally t =
        reference ? tally_churn_reasons(r, *reference) : tally_churn_reasons(r);
    py::dict out;
    out["count"] = std::vector<std::size_t>(t.count.begin(), t.count.end());
    out["share"] = std::vector<double>(t.share.begin(), t.share.end());
    out["tested"] = t.tested;
    out["expected"] = std::vector<double>(t.expected.begin(), t.expected.end());
    out["chi_square"] = t.chi_square;
    out["df"] = t.df;
    out["p_value"] = t.p_value;
    out["warnings"] = t.warnings;
    return out;
}

py::dict profit(const py::array& customer, const int64_array& time, std::int64_t ticks_per_second,
                const float64_array& amount, const float64_array& cost,
                const std::optional<py::array>& order, const opt_array& discount,
                const opt_array& payment_delay, const std::optional<py::array>& ticket_customer,
                const opt_array& tickets, const named_numbers& settings,
                const std::string& customer_column) {
    const log_input in(customer, time, ticks_per_second, amount, cost, order, customer_column);
    const profitability_config config = profitability_config_from(settings, "costs");
    profitability_inputs pi;
    if (discount) pi.discount = as_span(*discount);
    if (payment_delay) pi.payment_delay = as_span(*payment_delay);
    std::vector<double> t;
    py::list unmatched;
    if (ticket_customer && tickets) {
        const auto ids = match_keys(*ticket_customer, in.customers.index, "tickets", unmatched);
        const auto v = as_span(*tickets);
        if (v.size() != ids.size())
            throw invalid_argument("tickets", "has " + std::to_string(v.size()) + " values for " +
                                                  std::to_string(ids.size()) + " keys");
        t.assign(in.customers.index.size(), 0.0);
        for (std::size_t i = 0; i < ids.size(); ++i)
            if (ids[i] != no_id) t[ids[i]] = v[i];
        pi.tickets = t;
    }
    customer_profitability p;
    {
        py::gil_scoped_release nogil;
        p = profitability(in.view, config.rates, pi, config.flags);
    }
    py::dict out;
    out["keys"] = keys_array(in.customers.index);
    out["revenue"] = to_numpy(std::move(p.revenue));
    out["cost"] = to_numpy(std::move(p.cost));
    out["discounts"] = to_numpy(std::move(p.discounts));
    out["gross_margin"] = to_numpy(std::move(p.gross_margin));
    out["order_cost"] = to_numpy(std::move(p.order_cost));
    out["return_cost"] = to_numpy(std::move(p.return_cost));
    out["service_cost"] = to_numpy(std::move(p.service_cost));
    out["delay_cost"] = to_numpy(std::move(p.delay_cost));
    out["cost_to_serve"] = to_numpy(std::move(p.cost_to_serve));
    out["profit"] = to_numpy(std::move(p.profit));
    out["orders"] = to_numpy(std::move(p.orders));
    out["return_rows"] = to_numpy(std::move(p.return_rows));
    out["large"] = to_numpy(std::move(p.large));
    out["large_unprofitable"] = to_numpy(std::move(p.large_unprofitable));
    out["wanted"] = to_numpy(std::move(p.wanted));
    out["reason"] = p.reason;
    out["criteria_skipped"] = p.criteria_skipped;
    out["large_threshold"] = p.large_threshold;
    out["median_margin_rate"] = p.median_margin_rate;
    out["median_order_value"] = p.median_order_value;
    out["unmatched"] = unmatched;
    return out;
}

} // namespace

void register_loyalty(py::module_& m) {
    m.def("classify_loyalty", &classify, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("discount"),
          py::arg("payment_delay"), py::arg("observation_end"), py::arg("signal_customer"),
          py::arg("satisfaction"), py::arg("recommend"), py::arg("referrals"),
          py::arg("complaints"), py::arg("share_of_wallet"), py::arg("has_alternative"),
          py::arg("rules"), py::arg("customer_column"),
          "Loyalty types and quadrants per customer (see custometrics.classify_loyalty).");
    m.def("net_promoter", &nps, py::arg("scores"), py::arg("segment"),
          "Net Promoter categories and scores (see custometrics.nps).");
    m.def("tightwad_spendthrift", &tightwad, py::arg("describe"), py::arg("trouble_limiting"),
          py::arg("trouble_spending"), py::arg("sale_scenario"),
          "Tightwad-Spendthrift totals and types (see custometrics.spending_types).");
    m.def("spending_proxy", &proxy, py::arg("spend"), py::arg("group"), py::arg("low"),
          py::arg("high"), "Behavioural spending proxy (see custometrics.spending_types).");
    m.def("churn_reasons", &churn, py::arg("answers"), py::arg("reference"),
          "Churn-reason tally and chi-square test (see custometrics.churn_reasons).");
    m.def("customer_profitability", &profit, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("cost"), py::arg("order"),
          py::arg("discount"), py::arg("payment_delay"), py::arg("ticket_customer"),
          py::arg("tickets"), py::arg("settings"), py::arg("customer_column"),
          "Profit per customer (see custometrics.customer_profitability).");
}

} // namespace custometrics::python
