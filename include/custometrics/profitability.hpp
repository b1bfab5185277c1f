// Customer profitability: gross margin minus the cost to serve, per customer, with flags for
// the customers the business wants and for the large but unprofitable ones.
//
// Method. Per customer, over every row of the log (returns included, as negative amounts and
// costs):
//     revenue        = sum of amounts (net of returns)
//     discounts      = sum of the discount column (what was given off the list price)
//     gross_margin   = revenue + discounts - cost of goods      (the margin at list prices)
//     order_cost     = per_order x orders (distinct order ids of purchase rows with an order
//                      column, else purchase rows)
//     return_cost    = per_return x return rows
//     service_cost   = per_ticket x service tickets (given per customer)
//     delay_cost     = sum over purchase rows of amount x cost_of_capital x days late / 365
//     cost_to_serve  = discounts + order_cost + return_cost + service_cost + delay_cost
//     profit         = gross_margin - cost_to_serve
// so profit = revenue - cost - the service costs: a discount lowers profit once, and is shown
// as a cost to serve rather than hidden in the margin. `profit` is indexed by customer id and
// is what `whale_curve` (pareto.hpp) takes.
//
// Flags (thresholds in `profitability_flags`). `large`: net revenue at or above the
// `large_quantile` (default 0.8, linear as numpy) of all customers with a purchase;
// `large_unprofitable`: large and profit < 0. `wanted`: profit > 0 and every one of
//     high margin    margin rate (revenue - cost) / revenue >= the median of the customers
//     large orders   gross purchases / orders >= the median of the customers
//     few returns    return rows / orders <= max_return_rate (0.1)
//     little service tickets / orders <= max_tickets_per_order (0.2), when tickets are given
//     on time        mean payment delay <= max_payment_delay_days (0), when delays are given
// A criterion whose data is not given is left out and named in `criteria_skipped`; the rule
// that decided each flag is in `reason`. "Full payment" is not measured (no unpaid amounts).
//
// Service tiers (the article's service programme: serve customers by what they earn). The
// customers with profit > 0 are ranked by profit (ties: customer id) and cut by the cumulative
// share of their total profit as the Pareto classes are (pareto.hpp, boundary rule `before`: a
// customer belongs to A while the share before it is below `tier_a`, default 0.8, then to B
// below `tier_b`, 0.95, then C); every customer with profit <= 0 is tier D. Per tier: the
// customers, revenue, gross margin, cost to serve and profit, so the service cost of each tier
// stands beside the margin it earns.
//
// Example (hand-worked in tests/cpp/test_profitability.cpp):
//     cost_rates rates{.per_order = 2, .per_return = 5};
//     customer_profitability p = profitability(log.view(), rates);
//     whale_result w = whale_curve(p.profit);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/transactions.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Cost rates of serving customers (money per unit; the rate of capital per year).
struct cost_rates {
    double per_order = 0;       ///< handling cost of one order
    double per_return = 0;      ///< cost of processing one return row
    double per_ticket = 0;      ///< cost of one service ticket
    double cost_of_capital = 0; ///< yearly rate, e.g. 0.08: a payment 365 days late costs 8%

    /// Throws `invalid_argument` naming the field for a negative, NaN or infinite rate.
    void validate() const;
};

/// Thresholds of the flags (see the top of the file).
struct profitability_flags {
    double large_quantile = 0.8;
    double max_return_rate = 0.1;
    double max_tickets_per_order = 0.2;
    double max_payment_delay_days = 0;
    double tier_a = 0.8;  ///< service tier A up to this cumulative share of profit
    double tier_b = 0.95; ///< tier B up to this share; tier_a < tier_b <= 1

    /// Throws `invalid_argument` naming the field for a value out of range.
    void validate() const;
};

/// Rates and thresholds read together from one JSON file.
struct profitability_config {
    cost_rates rates;
    profitability_flags flags;
};

/// Reads a flat JSON object of rates and thresholds (`{"per_order": 2.5, "cost_of_capital":
/// 0.08, "max_return_rate": 0.05}`); fields not named keep their defaults. Throws `parse_error`
/// naming `source` for bad JSON or an unknown field, `invalid_argument` for a bad value.
profitability_config parse_profitability_config(std::string_view json,
                                                const std::string& source = "<costs>");

/// The rates and thresholds of the JSON file at `path` (`parse_profitability_config`, naming the
/// file); an empty path: the defaults. A file that cannot be read is an `invalid_argument`
/// naming `argument` and the path. Example: `read_profitability_config("costs.json", "--costs")`.
profitability_config read_profitability_config(const std::string& path,
                                               std::string_view argument = "costs");

/// Rates and thresholds by name, as a face gives them (a Python dict: `{"per_order": 2.5}`);
/// names not given keep their defaults. Throws `invalid_argument` naming `argument` (value: the
/// name) for an unknown name or a bad value.
profitability_config
profitability_config_from(std::span<const std::pair<std::string, double>> values,
                          std::string_view argument = "costs");

/// Optional per-row and per-customer inputs.
struct profitability_inputs {
    std::span<const double> discount = {};      ///< per row, >= 0
    std::span<const double> payment_delay = {}; ///< per row, days late, >= 0
    std::span<const double> tickets = {};       ///< per customer id, >= 0
};

/// The service tiers: A, B, C on profit > 0, D for profit <= 0.
enum class service_tier : std::uint8_t { A = 0, B = 1, C = 2, D = 3 };

/// "A", "B", "C" or "D".
const char* to_string(service_tier t) noexcept;

/// The totals of one service tier.
struct service_tier_totals {
    std::size_t customers = 0;
    double revenue = 0, gross_margin = 0, cost_to_serve = 0, profit = 0;
};

/// Profitability of every customer, indexed by dense customer id.
struct customer_profitability {
    std::vector<double> revenue, cost, discounts, gross_margin;
    std::vector<double> order_cost, return_cost, service_cost, delay_cost, cost_to_serve;
    std::vector<double> profit;
    std::vector<std::int64_t> orders, return_rows;
    std::vector<std::uint8_t> large, large_unprofitable, wanted;
    std::vector<service_tier> tier;           ///< service tier per customer (see the top)
    std::array<service_tier_totals, 4> tiers; ///< totals of A, B, C, D
    double tier_cut_a = 0.8;                  ///< the cuts used (profitability_flags)
    double tier_cut_b = 0.95;
    std::vector<std::string> reason;           ///< why wanted / not, with the values
    std::vector<std::string> criteria_skipped; ///< wanted criteria left out for lack of data
    double large_threshold = 0;                ///< revenue at the large quantile
    double median_margin_rate = 0;
    double median_order_value = 0;

    std::size_t size() const noexcept { return profit.size(); }
};

/// Computes the profitability of every customer of `log` (see the top of the file). The log
/// needs a cost column. Throws `invalid_argument` without one, for bad rates or thresholds, or
/// an input column of another length; `data_error` naming the row or customer (by key when
/// the log has its keys) for a NaN, infinite or negative discount, delay or
/// ticket count.
customer_profitability profitability(const transaction_view& log, const cost_rates& rates,
                                     const profitability_inputs& inputs = {},
                                     const profitability_flags& flags = {});

struct signal_file; // loyalty.hpp

/// `profitability` with the config's rates and flags and the service tickets of a signals file
/// (`service_ticket_counts`; `signals` null or without the column: no tickets).
customer_profitability profitability(const transaction_view& log,
                                     const profitability_config& config, const signal_file* signals,
                                     std::span<const double> discount = {},
                                     std::span<const double> payment_delay = {});

/// Totals of a profitability result over its customers: the sums of each money column, the
/// customers with an order (`active`), the flag counts and the loss makers (profit < 0).
struct profitability_totals {
    double revenue = 0, gross_margin = 0, discounts = 0, orders = 0, returns = 0, service = 0,
           delay = 0, cost_to_serve = 0, profit = 0;
    std::size_t customers = 0, active = 0, wanted = 0, large_unprofitable = 0, loss_makers = 0;
    double wanted_share = 0; ///< wanted / active (0 without buyers)
};

/// Sums `p` per column (in customer order) and counts its flags. Example: profits {5, -2} with
/// one order each give profit 3, active 2 and loss_makers 1.
profitability_totals totals_of(const customer_profitability& p);

CUSTOMETRICS_END_NAMESPACE
