// The retention overview (see custometrics/retention/overview.hpp).
#include "custometrics/retention/overview.hpp"

#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/retention/bg_nbd.hpp"
#include "custometrics/retention/gamma_gamma.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

/// The overview needs at least this many buyers in the spend sample (`select_spend_sample`:
/// repeat buyers with a positive average spend) for a spend model.
constexpr std::size_t min_spend_buyers = 10;

void check_options(const retention_overview_options& o) {
    if (!(std::isfinite(o.horizon) && o.horizon >= 0))
        throw invalid_argument("horizon", "must be a finite number >= 0, got " +
                                              detail::format_number(o.horizon));
    if (!(o.at_risk_below >= 0 && o.at_risk_below <= 1))
        throw invalid_argument("at_risk_below",
                               "must be in [0, 1], got " + detail::format_number(o.at_risk_below));
    detail::check_clv_options(o.clv);
}

} // namespace

retention_overview_result
retention_overview(std::span<const double> frequency, std::span<const double> recency,
                   std::span<const double> T, std::span<const double> monetary,
                   std::span<const double> revenue, const retention_overview_options& options) {
    const std::size_t n = frequency.size();
    if (recency.size() != n || T.size() != n || monetary.size() != n || revenue.size() != n)
        throw invalid_argument("retention_overview",
                               "frequency, recency, T, monetary and revenue must have the same "
                               "length (got " +
                                   std::to_string(n) + ", " + std::to_string(recency.size()) +
                                   ", " + std::to_string(T.size()) + ", " +
                                   std::to_string(monetary.size()) + ", " +
                                   std::to_string(revenue.size()) + ")");
    check_options(options);
    retention_overview_result r;
    // Customers first seen on the last day (T = 0) carry no information for the models: they
    // are left out of the fit and the scores, and counted.
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < n; ++i) {
        if (T[i] > 0)
            keep.push_back(i);
        else
            ++r.too_new;
    }
    r.customers = keep.size();
    if (r.customers == 0)
        throw invalid_argument("retention_overview",
                               "no customer has a purchase before the last day");
    auto pick = [&](std::span<const double> v) {
        std::vector<double> out(keep.size());
        for (std::size_t k = 0; k < keep.size(); ++k)
            out[k] = v[keep[k]];
        return out;
    };
    const std::vector<double> fx = pick(frequency);
    const std::vector<double> ftx = pick(recency);
    const std::vector<double> fT = pick(T);
    const std::vector<double> fm = pick(monetary);
    const std::vector<double> frev = pick(revenue);
    r.model = options.model;
    r.purchase = fit_purchase_model(options.model, compress_summary(fx, ftx, fT), options.fit);
    const purchase_params purchase = purchase_params_from(options.model, r.purchase.params);
    const std::vector<double> alive = p_alive(purchase, fx, ftx, fT);
    const std::vector<double> next =
        conditional_expected_purchases(purchase, options.horizon, fx, ftx, fT);
    for (std::size_t i = 0; i < r.customers; ++i) {
        r.expected_alive += alive[i];
        r.expected_purchases += next[i];
        r.revenue += frev[i];
        if (alive[i] < options.at_risk_below) {
            ++r.at_risk;
            r.at_risk_revenue += frev[i];
        }
    }

    const spend_sample sample = select_spend_sample(fx, fm);
    r.spend_buyers = sample.size();
    if (sample.size() < min_spend_buyers) {
        r.spend_reason =
            "fewer than " + std::to_string(min_spend_buyers) +
            " repeat buyers with a positive spend (" + std::to_string(sample.size()) + "; " +
            std::to_string(sample.without_repeat_purchase) + " without a repeat purchase, " +
            std::to_string(sample.without_positive_spend) + " with a mean repeat spend <= 0)";
        return r;
    }
    try {
        r.spend = fit_gamma_gamma(sample, options.fit);
    } catch (const error& e) {
        r.spend_reason = e.what();
        return r;
    }
    const gamma_gamma_params gg = gamma_gamma_params_from(*r.spend);
    if (!(gg.q > 1.0)) {
        r.spend_reason = "the spend model has q <= 1: the expected spend is unbounded";
        r.spend.reset();
        return r;
    }
    // Customers without a repeat purchase get the population mean spend (x = 0).
    const std::vector<double> clv =
        customer_lifetime_value(purchase, gg, fx, ftx, fT, fm, options.clv);
    for (const double v : clv)
        r.clv_total += v;
    std::vector<std::size_t> order(r.customers);
    std::iota(order.begin(), order.end(), std::size_t{0});
    const std::size_t top = std::min(options.top, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                      [&](std::size_t a, std::size_t b) {
                          return clv[a] > clv[b] || (clv[a] == clv[b] && a < b);
                      });
    for (std::size_t k = 0; k < top; ++k) {
        r.top_customers.push_back(keep[order[k]]);
        r.top_clv.push_back(clv[order[k]]);
    }
    return r;
}

retention_overview_result retention_overview(const customer_summary& summary,
                                             const retention_overview_options& options) {
    return retention_overview(summary.frequency, summary.recency, summary.T, summary.monetary_value,
                              summary.revenue, options);
}

CUSTOMETRICS_END_NAMESPACE
