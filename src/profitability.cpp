// Customer profitability (see include/custometrics/profitability.hpp).
#include "custometrics/profitability.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/loyalty.hpp"
#include "custometrics/pareto.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/json_value.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

void check_range(double x, const char* name, double lo, double hi) {
    if (!(x >= lo && x <= hi))
        throw invalid_argument(
            name, "value is " + detail::format_number(x) +
                      (hi == std::numeric_limits<double>::max()
                           ? " (must be a finite number >= " + detail::format_number(lo)
                           : " (must be in " + detail::format_number(lo) + ".." +
                                 detail::format_number(hi)) +
                      ")");
}

// Linear quantile of the values (numpy's default); 0 for none.
double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    if (lo + 1 >= v.size()) return v[lo];
    return v[lo] + (v[lo + 1] - v[lo]) * (pos - static_cast<double>(lo));
}

} // namespace

void cost_rates::validate() const {
    constexpr double big = std::numeric_limits<double>::max();
    check_range(per_order, "per_order", 0, big);
    check_range(per_return, "per_return", 0, big);
    check_range(per_ticket, "per_ticket", 0, big);
    check_range(cost_of_capital, "cost_of_capital", 0, big);
}

void profitability_flags::validate() const {
    constexpr double big = std::numeric_limits<double>::max();
    check_range(large_quantile, "large_quantile", 0, 1);
    check_range(max_return_rate, "max_return_rate", 0, big);
    check_range(max_tickets_per_order, "max_tickets_per_order", 0, big);
    check_range(max_payment_delay_days, "max_payment_delay_days", 0, big);
    check_range(tier_a, "tier_a", 0, 1);
    check_range(tier_b, "tier_b", 0, 1);
    if (!(tier_a > 0 && tier_a < tier_b))
        throw invalid_argument("tier_a",
                               "must be > 0 and below tier_b " + detail::format_short(tier_b) +
                                   ", got " + detail::format_short(tier_a),
                               detail::format_short(tier_a));
}

const char* to_string(service_tier t) noexcept {
    static constexpr const char* names[] = {"A", "B", "C", "D"};
    return names[static_cast<std::size_t>(t)];
}

namespace {

/// The rates and thresholds of `c` by name, for the readers by name.
std::array<std::pair<const char*, double*>, 10> config_fields(profitability_config& c) {
    return {{{"per_order", &c.rates.per_order},
             {"per_return", &c.rates.per_return},
             {"per_ticket", &c.rates.per_ticket},
             {"cost_of_capital", &c.rates.cost_of_capital},
             {"large_quantile", &c.flags.large_quantile},
             {"max_return_rate", &c.flags.max_return_rate},
             {"max_tickets_per_order", &c.flags.max_tickets_per_order},
             {"max_payment_delay_days", &c.flags.max_payment_delay_days},
             {"tier_a", &c.flags.tier_a},
             {"tier_b", &c.flags.tier_b}}};
}

} // namespace

profitability_config parse_profitability_config(std::string_view json, const std::string& source) {
    profitability_config c;
    assign_json_numbers(json, source, config_fields(c), "field");
    c.rates.validate();
    c.flags.validate();
    return c;
}

profitability_config
profitability_config_from(std::span<const std::pair<std::string, double>> values,
                          std::string_view argument) {
    profitability_config c;
    assign_named_numbers(values, argument, config_fields(c), "field");
    c.rates.validate();
    c.flags.validate();
    return c;
}

customer_profitability profitability(const transaction_view& log, const cost_rates& rates,
                                     const profitability_inputs& in,
                                     const profitability_flags& flags) {
    rates.validate();
    flags.validate();
    log.validate();
    const std::size_t n = log.size();
    const std::size_t m = log.n_customers;
    if (log.cost.empty())
        throw invalid_argument("cost", "the log has no cost column (the gross margin needs the "
                                       "cost of goods)");
    auto check_rows = [&](std::span<const double> col, const char* name) {
        if (col.empty()) return;
        if (col.size() != n)
            throw invalid_argument(name, "has " + std::to_string(col.size()) +
                                             " rows, the log has " + std::to_string(n));
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(col[i]) || col[i] < 0)
                throw data_error(std::string(name) + ": " + log.describe_row(i) + ": value is " +
                                     detail::format_number(col[i]) + " (must be finite and >= 0)",
                                 log.row_context(name, i, detail::format_number(col[i])));
    };
    check_rows(in.discount, "discount");
    check_rows(in.payment_delay, "payment_delay");
    if (!in.tickets.empty()) {
        if (in.tickets.size() != m)
            throw invalid_argument("tickets", "has " + std::to_string(in.tickets.size()) +
                                                  " entries, there are " + std::to_string(m) +
                                                  " customers");
        for (std::size_t c = 0; c < m; ++c)
            if (!std::isfinite(in.tickets[c]) || in.tickets[c] < 0) {
                const std::string who =
                    log.customer_keys != nullptr && c < log.customer_keys->size()
                        ? "customer \"" + log.customer_keys->key_string(static_cast<entity_id>(c)) +
                              "\""
                        : "customer " + std::to_string(c);
                throw data_error("tickets: " + who + ": value is " +
                                     detail::format_number(in.tickets[c]) +
                                     " (must be finite and >= 0)",
                                 {"tickets",
                                  c,
                                  log.customer_keys != nullptr && c < log.customer_keys->size()
                                      ? log.customer_keys->key_string(static_cast<entity_id>(c))
                                      : std::string(),
                                  {},
                                  detail::format_number(in.tickets[c])});
            }
    }

    customer_profitability p;
    for (auto* v : {&p.revenue, &p.cost, &p.discounts, &p.gross_margin, &p.order_cost,
                    &p.return_cost, &p.service_cost, &p.delay_cost, &p.cost_to_serve, &p.profit})
        v->assign(m, 0.0);
    p.orders.assign(m, 0);
    p.return_rows.assign(m, 0);
    std::vector<double> gross(m, 0.0), delay_days(m, 0.0);
    std::vector<std::int64_t> purchase_rows(m, 0);
    std::vector<std::pair<entity_id, entity_id>> orders;
    for (std::size_t i = 0; i < n; ++i) {
        const entity_id c = log.customer[i];
        const double a = log.amount[i];
        p.revenue[c] += a;
        p.cost[c] += log.cost[i];
        if (!in.discount.empty()) p.discounts[c] += in.discount[i];
        if (a < 0) {
            ++p.return_rows[c];
            continue;
        }
        gross[c] += a;
        ++purchase_rows[c];
        if (!log.order.empty()) orders.emplace_back(c, log.order[i]);
        if (!in.payment_delay.empty()) {
            delay_days[c] += in.payment_delay[i];
            p.delay_cost[c] += a * rates.cost_of_capital * in.payment_delay[i] / 365.0;
        }
    }
    if (log.order.empty()) {
        p.orders = purchase_rows;
    } else {
        std::sort(orders.begin(), orders.end());
        orders.erase(std::unique(orders.begin(), orders.end()), orders.end());
        for (const auto& [c, o] : orders)
            ++p.orders[c];
    }

    std::vector<double> active_revenue, margin_rates, order_values;
    for (std::size_t c = 0; c < m; ++c) {
        p.gross_margin[c] = p.revenue[c] + p.discounts[c] - p.cost[c];
        p.order_cost[c] = rates.per_order * static_cast<double>(p.orders[c]);
        p.return_cost[c] = rates.per_return * static_cast<double>(p.return_rows[c]);
        if (!in.tickets.empty()) p.service_cost[c] = rates.per_ticket * in.tickets[c];
        p.cost_to_serve[c] = p.discounts[c] + p.order_cost[c] + p.return_cost[c] +
                             p.service_cost[c] + p.delay_cost[c];
        p.profit[c] = p.gross_margin[c] - p.cost_to_serve[c];
        if (purchase_rows[c] > 0) {
            active_revenue.push_back(p.revenue[c]);
            if (p.revenue[c] > 0) margin_rates.push_back((p.revenue[c] - p.cost[c]) / p.revenue[c]);
            order_values.push_back(gross[c] / static_cast<double>(p.orders[c]));
        }
    }
    p.large_threshold = quantile(active_revenue, flags.large_quantile);
    p.median_margin_rate = quantile(margin_rates, 0.5);
    p.median_order_value = quantile(order_values, 0.5);
    if (in.tickets.empty()) p.criteria_skipped.emplace_back("little service (no tickets given)");
    if (in.payment_delay.empty())
        p.criteria_skipped.emplace_back("on time (no payment delays given)");

    p.large.assign(m, 0);
    p.large_unprofitable.assign(m, 0);
    p.wanted.assign(m, 0);
    p.reason.assign(m, "");
    for (std::size_t c = 0; c < m; ++c) {
        if (purchase_rows[c] == 0) {
            p.reason[c] = "no purchase";
            continue;
        }
        const double orders_c = static_cast<double>(p.orders[c]);
        p.large[c] = p.revenue[c] >= p.large_threshold ? 1 : 0;
        if (p.large[c] != 0 && p.profit[c] < 0) {
            p.large_unprofitable[c] = 1;
            p.reason[c] = "large but unprofitable: revenue " + detail::format_short(p.revenue[c]) +
                          " >= " + detail::format_short(p.large_threshold) + ", profit " +
                          detail::format_short(p.profit[c]) + " < 0";
            continue;
        }
        // The wanted criteria in order; the first that fails says why not.
        const double margin_rate =
            p.revenue[c] > 0 ? (p.revenue[c] - p.cost[c]) / p.revenue[c] : nan_value;
        const double order_value = gross[c] / orders_c;
        const double return_rate = static_cast<double>(p.return_rows[c]) / orders_c;
        std::vector<std::pair<bool, std::string>> checks{
            {p.profit[c] > 0, "profit " + detail::format_short(p.profit[c]) + " > 0"},
            {margin_rate >= p.median_margin_rate,
             "margin rate " + detail::format_short(margin_rate) + " >= median " +
                 detail::format_short(p.median_margin_rate)},
            {order_value >= p.median_order_value,
             "order value " + detail::format_short(order_value) + " >= median " +
                 detail::format_short(p.median_order_value)},
            {return_rate <= flags.max_return_rate,
             "returns per order " + detail::format_short(return_rate) +
                 " <= " + detail::format_short(flags.max_return_rate)}};
        if (!in.tickets.empty()) {
            const double t = in.tickets[c] / orders_c;
            checks.emplace_back(t <= flags.max_tickets_per_order,
                                "tickets per order " + detail::format_short(t) +
                                    " <= " + detail::format_short(flags.max_tickets_per_order));
        }
        if (!in.payment_delay.empty()) {
            const double d = delay_days[c] / static_cast<double>(purchase_rows[c]);
            checks.emplace_back(d <= flags.max_payment_delay_days,
                                "mean payment delay " + detail::format_short(d) + " <= " +
                                    detail::format_short(flags.max_payment_delay_days) + " days");
        }
        std::string why;
        bool ok = true;
        for (const auto& [pass, text] : checks) {
            if (!pass) {
                ok = false;
                why = "not wanted: fails " + text;
                break;
            }
            why += (why.empty() ? "wanted: " : ", ") + text;
        }
        p.wanted[c] = ok ? 1 : 0;
        p.reason[c] = why;
    }

    // Service tiers: the Pareto classes of the positive profits, D for the rest.
    pareto_options cuts;
    cuts.a_threshold = flags.tier_a;
    cuts.b_threshold = flags.tier_b;
    cuts.threads = 1;
    const pareto_result ranked = pareto(p.profit, cuts);
    p.tier_cut_a = flags.tier_a;
    p.tier_cut_b = flags.tier_b;
    p.tier.assign(m, service_tier::D);
    for (std::size_t r = 0; r < ranked.size(); ++r)
        p.tier[ranked.entity[r]] = static_cast<service_tier>(ranked.abc[r]);
    for (std::size_t c = 0; c < m; ++c) {
        service_tier_totals& t = p.tiers[static_cast<std::size_t>(p.tier[c])];
        ++t.customers;
        t.revenue += p.revenue[c];
        t.gross_margin += p.gross_margin[c];
        t.cost_to_serve += p.cost_to_serve[c];
        t.profit += p.profit[c];
    }
    return p;
}

customer_profitability profitability(const transaction_view& log,
                                     const profitability_config& config, const signal_file* signals,
                                     std::span<const double> discount,
                                     std::span<const double> payment_delay) {
    const std::vector<double> tickets =
        signals != nullptr ? service_ticket_counts(*signals) : std::vector<double>{};
    return profitability(log, config.rates, {discount, payment_delay, tickets}, config.flags);
}

profitability_totals totals_of(const customer_profitability& p) {
    profitability_totals s;
    s.customers = p.size();
    for (std::size_t c = 0; c < p.size(); ++c) {
        s.revenue += p.revenue[c];
        s.gross_margin += p.gross_margin[c];
        s.discounts += p.discounts[c];
        s.orders += p.order_cost[c];
        s.returns += p.return_cost[c];
        s.service += p.service_cost[c];
        s.delay += p.delay_cost[c];
        s.cost_to_serve += p.cost_to_serve[c];
        s.profit += p.profit[c];
        s.active += p.orders[c] > 0 ? 1 : 0;
        s.wanted += p.wanted[c];
        s.large_unprofitable += p.large_unprofitable[c];
        s.loss_makers += p.profit[c] < 0 ? 1 : 0;
    }
    s.wanted_share =
        s.active > 0 ? static_cast<double>(s.wanted) / static_cast<double>(s.active) : 0.0;
    return s;
}

profitability_config read_profitability_config(const std::string& path, std::string_view argument) {
    if (path.empty()) return {};
    return parse_profitability_config(read_text_file(path, argument), path);
}

CUSTOMETRICS_END_NAMESPACE
