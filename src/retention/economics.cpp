// Retention economics (see custometrics/retention/economics.hpp).
#include "custometrics/retention/economics.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"

#include <cmath>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

using detail::format_number;

void check_rates(double r, double d) {
    if (!std::isfinite(r) || r < 0 || r > 1)
        throw invalid_argument("retention_rate", "must be in [0, 1], got " + format_number(r));
    if (!std::isfinite(d) || d < 0)
        throw invalid_argument("discount_rate",
                               "must be a finite number >= 0, got " + format_number(d));
    if (!detail::finite_lifetime(r, d))
        throw invalid_argument("retention_rate 1 with discount_rate 0: the lifetime value is "
                               "infinite");
}

} // namespace

namespace detail {

std::optional<double> relative(double before, double after) {
    if (before == 0) return std::nullopt;
    return after / before - 1;
}

bool finite_lifetime(double r, double d) noexcept {
    return 1 + d - r > 0;
}

} // namespace detail

const char* to_string(margin_timing timing) noexcept {
    return timing == margin_timing::start_of_period ? "start" : "end";
}

margin_timing parse_margin_timing(std::string_view name, std::string_view argument) {
    if (name != "start" && name != "end")
        throw invalid_argument(argument,
                               "expected 'start' or 'end', got '" + std::string(name) + "'",
                               std::string(name));
    return name == "start" ? margin_timing::start_of_period : margin_timing::end_of_period;
}

double margin_multiple(double retention_rate, double discount_rate, margin_timing timing) {
    check_rates(retention_rate, discount_rate);
    const double denominator = 1 + discount_rate - retention_rate;
    return (timing == margin_timing::start_of_period ? 1 + discount_rate : retention_rate) /
           denominator;
}

double retention_lifetime_value(double margin, double retention_rate, double discount_rate,
                                margin_timing timing) {
    if (!std::isfinite(margin))
        throw invalid_argument("margin", "must be finite, got " + format_number(margin));
    return margin * margin_multiple(retention_rate, discount_rate, timing);
}

retention_scenario retention_scenario_at(double margin, double retention_rate, double discount_rate,
                                         const retention_base& base, margin_timing timing) {
    if (!std::isfinite(base.customers) || base.customers < 0)
        throw invalid_argument("customers", "must be a finite number >= 0, got " +
                                                format_number(base.customers));
    if (!std::isfinite(base.new_customers) || base.new_customers < 0)
        throw invalid_argument("new_customers", "must be a finite number >= 0, got " +
                                                    format_number(base.new_customers));
    if (!std::isfinite(base.acquisition_cost) || base.acquisition_cost < 0)
        throw invalid_argument("acquisition_cost", "must be a finite number >= 0, got " +
                                                       format_number(base.acquisition_cost));
    retention_scenario s;
    s.retention_rate = retention_rate;
    s.lifetime_value = retention_lifetime_value(margin, retention_rate, discount_rate, timing);
    s.base_value = base.customers * s.lifetime_value;
    if (base.new_customers > 0) {
        if (discount_rate == 0)
            throw invalid_argument("discount_rate", "0 with new customers every period makes the "
                                                    "value of future cohorts infinite");
        s.base_value +=
            base.new_customers * (s.lifetime_value - base.acquisition_cost) / discount_rate;
        if (retention_rate < 1) {
            s.steady_state_customers = base.new_customers / (1 - retention_rate);
            s.steady_state_profit =
                margin * *s.steady_state_customers - base.acquisition_cost * base.new_customers;
        }
    }
    return s;
}

retention_change retention_uplift(double margin, double retention_rate, double discount_rate,
                                  double points, const retention_base& base, margin_timing timing) {
    if (!std::isfinite(points))
        throw invalid_argument("points", "must be finite, got " + format_number(points));
    const double after = retention_rate + points / 100;
    if (!(after >= 0 && after <= 1))
        throw invalid_argument("points", "retention_rate " + format_number(retention_rate) + " + " +
                                             format_number(points) + " points = " +
                                             format_number(after) + " is outside [0, 1]");
    retention_change c;
    c.before = retention_scenario_at(margin, retention_rate, discount_rate, base, timing);
    c.after = retention_scenario_at(margin, after, discount_rate, base, timing);
    c.lifetime_value_change = detail::relative(c.before.lifetime_value, c.after.lifetime_value);
    c.base_value_change = detail::relative(c.before.base_value, c.after.base_value);
    if (c.before.steady_state_profit && c.after.steady_state_profit)
        c.steady_state_profit_change =
            detail::relative(*c.before.steady_state_profit, *c.after.steady_state_profit);
    return c;
}

CUSTOMETRICS_END_NAMESPACE
