// Retention economics from the log (see custometrics/retention/log_economics.hpp).
#include "custometrics/retention/log_economics.hpp"

#include "custometrics/accumulators.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

using detail::format_number;
using detail::relative;

constexpr int max_period_days = 36'600;
constexpr int max_horizon = 100;
constexpr std::int64_t max_periods = 100'000;

void check_money(const std::optional<double>& v, const char* name) {
    if (v && !(std::isfinite(*v) && *v >= 0))
        throw invalid_argument(name, "must be a finite number >= 0, got " + format_number(*v),
                               format_number(*v));
}

} // namespace

void check_log_economics_options(const log_economics_options& o) {
    if (o.period_days < 1 || o.period_days > max_period_days)
        throw invalid_argument("period_days",
                               "must be between 1 and " + std::to_string(max_period_days) +
                                   ", got " + std::to_string(o.period_days),
                               std::to_string(o.period_days));
    if (o.horizon < 1 || o.horizon > max_horizon)
        throw invalid_argument("horizon",
                               "must be between 1 and " + std::to_string(max_horizon) + ", got " +
                                   std::to_string(o.horizon),
                               std::to_string(o.horizon));
    if (!(std::isfinite(o.uplift) && o.uplift > 0))
        throw invalid_argument("uplift",
                               "must be a finite number > 0, got " + format_number(o.uplift),
                               format_number(o.uplift));
    if (!(std::isfinite(o.discount_rate) && o.discount_rate >= 0))
        throw invalid_argument(
            "discount_rate", "must be a finite number >= 0, got " + format_number(o.discount_rate),
            format_number(o.discount_rate));
    check_money(o.acquisition_spend, "acquisition_spend");
    check_money(o.retention_spend, "retention_spend");
}

namespace {

// Wilson score interval at 95% of k successes in n trials (n > 0).
std::pair<double, double> wilson(double k, double n) {
    constexpr double z = 1.959963984540054;
    const double p = k / n;
    const double z2n = z * z / n;
    const double centre = (p + z2n / 2) / (1 + z2n);
    const double half = z * std::sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n);
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

// The projection at retention rate q (see the file comment).
economics_scenario project(std::string name, double q, const log_economics_result& r) {
    economics_scenario s;
    s.name = std::move(name);
    s.capped = q > 1;
    s.retention_rate = std::min(q, 1.0);
    if (detail::finite_lifetime(s.retention_rate, r.discount_rate))
        s.lifetime_value = retention_lifetime_value(r.margin_per_customer, s.retention_rate,
                                                    r.discount_rate, r.timing);
    double survivors = r.customers_now; // N q^t
    double cohorts = 0;                 // n (1 + q + ... + q^(t-1))
    double power = 1;                   // q^(t-1)
    for (int t = 1; t <= r.horizon; ++t) {
        survivors *= s.retention_rate;
        cohorts += r.new_customers_per_period * power;
        power *= s.retention_rate;
        economics_projection_point p;
        p.period = t;
        p.customers = survivors + cohorts;
        p.revenue = p.customers * r.revenue_per_customer;
        p.margin = p.customers * r.margin_per_customer;
        s.revenue += p.revenue;
        s.margin += p.margin;
        s.projection.push_back(p);
    }
    return s;
}

} // namespace

log_economics_result log_retention_economics(const transaction_view& log,
                                             const log_economics_options& options) {
    log.validate();
    check_log_economics_options(options);
    const std::size_t n = log.size();
    if (n == 0) throw invalid_argument("log", "is empty");

    log_economics_result r;
    r.period_days = options.period_days;
    r.horizon = options.horizon;
    r.uplift = options.uplift;
    r.discount_rate = options.discount_rate;
    r.timing = options.timing;
    r.margin_from_cost = !log.cost.empty();
    if (!r.margin_from_cost) {
        if (!options.margin_rate)
            throw invalid_argument(
                "margin_rate", "the log has no cost column: give the margin share of the amount");
        r.margin_rate = *options.margin_rate;
        if (!(r.margin_rate >= 0 && r.margin_rate <= 1))
            throw invalid_argument("margin_rate",
                                   "must be in [0, 1], got " + format_number(r.margin_rate),
                                   format_number(r.margin_rate));
    }
    r.rows = n;

    const time_range span = seconds_range(log);
    const std::int64_t lo = span.first;
    const std::int64_t hi = span.last;
    const std::int64_t end = options.end ? *options.end : (day_of(hi) + 1) * seconds_per_day;
    const std::int64_t length = std::int64_t{options.period_days} * seconds_per_day;
    const std::int64_t start_day = day_of(lo) * seconds_per_day;
    if (options.end && (end <= start_day || end - length > hi))
        // Before the log, or a latest period with no row (its customers would all look lost).
        throw invalid_argument("end",
                               "must fall after the log's first day and at most one period (" +
                                   std::to_string(options.period_days) +
                                   " days) after its last row, got " + format_date(end),
                               format_date(end));
    const std::int64_t k_count = end > start_day ? (end - start_day) / length : 0;
    if (k_count > max_periods)
        throw invalid_argument("period_days",
                               "the log spans " + std::to_string(k_count) + " periods of " +
                                   std::to_string(options.period_days) + " days, more than " +
                                   std::to_string(max_periods) + ": choose longer periods",
                               std::to_string(options.period_days));
    if (k_count < 2)
        throw invalid_argument(
            "period_days",
            "the log covers " +
                std::to_string(std::max<std::int64_t>(0, day_of(end - 1) - day_of(lo) + 1)) +
                " days up to its end, fewer than two complete periods of " +
                std::to_string(options.period_days) + " days",
            std::to_string(options.period_days));
    const std::size_t periods = static_cast<std::size_t>(k_count);
    const std::int64_t first_start = end - k_count * length;

    // Period of each row (k = 0 the latest), first purchase of each customer, and the
    // (customer, period) pairs of purchases.
    constexpr std::int64_t none = std::numeric_limits<std::int64_t>::max();
    std::vector<std::int64_t> first(log.n_customers, none);
    std::vector<char> seen(log.n_customers, 0);
    std::vector<std::uint64_t> active_pairs;
    std::vector<double> revenue(periods, 0.0), margin(periods, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t t = log.seconds(i);
        const entity_id c = log.customer[i];
        seen[c] = 1;
        if (t >= end) {
            ++r.rows_after;
            continue;
        }
        const double a = log.amount[i];
        if (a > 0) first[c] = std::min(first[c], t);
        if (t < first_start) {
            ++r.rows_before;
            continue;
        }
        ++r.rows_used;
        const std::size_t k = static_cast<std::size_t>((end - 1 - t) / length);
        revenue[k] += a;
        margin[k] += r.margin_from_cost ? a - log.cost[i] : r.margin_rate * a;
        if (a > 0) active_pairs.push_back(std::uint64_t{c} * periods + k);
    }
    for (const char s : seen)
        r.customers += s != 0;
    std::sort(active_pairs.begin(), active_pairs.end());
    active_pairs.erase(std::unique(active_pairs.begin(), active_pairs.end()), active_pairs.end());

    std::vector<std::size_t> active(periods, 0), retained(periods, 0), fresh(periods, 0);
    for (std::size_t j = 0; j < active_pairs.size(); ++j) {
        const std::uint64_t c = active_pairs[j] / periods;
        const std::size_t k = static_cast<std::size_t>(active_pairs[j] % periods);
        ++active[k];
        // Sorted by customer, then period: the pair before is this customer's next later
        // period; a customer active in k and k + 1 (the period before) is retained in k.
        if (j + 1 < active_pairs.size() && active_pairs[j + 1] == active_pairs[j] + 1 &&
            k + 1 < periods)
            ++retained[k];
        const std::int64_t f = first[c];
        if (f >= end - static_cast<std::int64_t>(k + 1) * length &&
            f < end - static_cast<std::int64_t>(k) * length)
            ++fresh[k];
    }

    double customer_periods = 0, revenue_sum = 0, margin_sum = 0, new_sum = 0;
    for (std::size_t step = 0; step < periods; ++step) {
        const std::size_t k = periods - 1 - step; // oldest first
        economics_period p;
        p.start = end - static_cast<std::int64_t>(k + 1) * length;
        p.end = end - static_cast<std::int64_t>(k) * length;
        p.active = active[k];
        p.new_customers = fresh[k];
        p.revenue = revenue[k];
        p.margin = margin[k];
        if (k + 1 < periods) {
            p.retained = retained[k];
            if (active[k + 1] > 0)
                p.retention_rate =
                    static_cast<double>(retained[k]) / static_cast<double>(active[k + 1]);
            r.retained += retained[k];
            r.retention_base += active[k + 1];
            new_sum += static_cast<double>(fresh[k]);
        }
        customer_periods += static_cast<double>(active[k]);
        revenue_sum += revenue[k];
        margin_sum += margin[k];
        r.periods.push_back(p);
    }
    if (r.retention_base == 0)
        throw invalid_argument("log", "has no customer with a purchase in the periods before the "
                                      "latest: no retention rate can be measured");
    r.retention_rate = static_cast<double>(r.retained) / static_cast<double>(r.retention_base);
    std::tie(r.retention_ci_low, r.retention_ci_high) =
        wilson(static_cast<double>(r.retained), static_cast<double>(r.retention_base));
    r.revenue_per_customer = revenue_sum / customer_periods;
    r.margin_per_customer = margin_sum / customer_periods;
    r.customers_now = static_cast<double>(active[0]);
    r.new_customers_per_period = new_sum / static_cast<double>(periods - 1);

    const std::string u = format_number(options.uplift);
    r.scenarios.push_back(project("observed", r.retention_rate, r));
    r.scenarios.push_back(project("+" + u + " points", r.retention_rate + options.uplift / 100, r));
    r.scenarios.push_back(
        project("+" + u + " percent", r.retention_rate * (1 + options.uplift / 100), r));
    const economics_scenario& base = r.scenarios[0];
    for (std::size_t s = 1; s < r.scenarios.size(); ++s) {
        economics_scenario& x = r.scenarios[s];
        x.revenue_change = relative(base.revenue, x.revenue);
        x.margin_change = relative(base.margin, x.margin);
        if (base.lifetime_value && x.lifetime_value)
            x.lifetime_value_change = relative(*base.lifetime_value, *x.lifetime_value);
    }

    const economics_scenario& points = r.scenarios[1];
    r.extra_retained = r.customers_now * (points.retention_rate - r.retention_rate);
    if (points.lifetime_value) r.extra_retained_value = r.extra_retained * *points.lifetime_value;
    if (options.acquisition_spend || options.retention_spend) {
        economics_spend s;
        s.acquisition_spend = options.acquisition_spend;
        s.retention_spend = options.retention_spend;
        const double retained_per_period =
            static_cast<double>(r.retained) / static_cast<double>(periods - 1);
        if (s.acquisition_spend && s.retention_spend && *s.retention_spend > 0)
            s.spend_ratio = *s.acquisition_spend / *s.retention_spend;
        if (s.acquisition_spend && r.new_customers_per_period > 0)
            s.cost_per_new_customer = *s.acquisition_spend / r.new_customers_per_period;
        if (s.retention_spend && retained_per_period > 0)
            s.cost_per_retained_customer = *s.retention_spend / retained_per_period;
        if (s.cost_per_new_customer && s.cost_per_retained_customer &&
            *s.cost_per_retained_customer > 0)
            s.cost_ratio = *s.cost_per_new_customer / *s.cost_per_retained_customer;
        s.extra_retained = r.extra_retained;
        if (s.cost_per_new_customer)
            s.break_even_retention_spend = s.extra_retained * *s.cost_per_new_customer;
        s.extra_retained_value = r.extra_retained_value;
        r.spend = s;
    }
    return r;
}

CUSTOMETRICS_END_NAMESPACE
