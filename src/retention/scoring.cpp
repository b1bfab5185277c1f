// Customer scores and the contact list (see scoring.hpp).
#include "custometrics/retention/scoring.hpp"

#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/retention/bg_bb.hpp"
#include "custometrics/retention/clv.hpp"
#include "custometrics/retention/covariates.hpp"
#include "custometrics/retention/unique_rows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

/// The refusal of a contact list without a lifetime value to rank by: the one copy of that rule,
/// for the request (check_score_models) and for scores (contact_list).
[[noreturn]] void refuse_contacts_without_spend() {
    throw invalid_argument("spend", "contacts are ranked by lifetime value, which needs the "
                                    "Gamma-Gamma spend model");
}

/// The requests a BG/BB model cannot honour (see check_score_models).
void check_bg_bb_request(const fitted_model& purchase, const std::optional<fitted_model>& spend,
                         const score_options& options) {
    const bg_bb_params p = bg_bb_params_of(purchase);
    if (options.contacts)
        throw invalid_argument("model",
                               "holds a BG/BB model of discrete opportunities, which has no "
                               "contact list: its opportunities have no calendar to time a call "
                               "by, nor a lifetime value to rank by; contact lists need a model "
                               "of continuous time (bgnbd, mbgnbd, pnbd)",
                               purchase.model);
    if (options.intervals)
        throw invalid_argument("interval",
                               "prediction intervals are not derived for a BG/BB model: score "
                               "it without one (its scores are P(alive), the expected "
                               "transactions and DERT at the fitted parameters)",
                               purchase.model);
    if (spend)
        throw invalid_argument("spend",
                               "a BG/BB model has no lifetime value (its discounted expected "
                               "residual transactions are the dert column): score it without "
                               "a spend model",
                               spend->model);
    const double h = options.horizon;
    if (!(std::isfinite(h) && h >= 0 && h == std::floor(h) && h <= 1e7))
        throw invalid_argument("horizon",
                               "a BG/BB model looks ahead a whole number of opportunities "
                               "(0 to 10^7), got " +
                                   detail::format_number(h),
                               detail::format_number(h));
    const double d = options.discount_rate;
    if (!(std::isfinite(d) && d >= 0))
        throw invalid_argument("discount_rate",
                               "DERT's discount rate per opportunity must be a finite number "
                               ">= 0, got " +
                                   detail::format_number(d),
                               detail::format_number(d));
    // The series of DERT needs about 38 / d terms per customer (bg_bb.hpp): a rate below 1e-4
    // would cost millions of terms each and, below about 4e-6, fail customer by customer.
    if (d > 0 && d < 1e-4)
        throw invalid_argument("discount_rate",
                               "DERT's discount rate per opportunity must be 0 or at least "
                               "1e-4 (its series needs about 38 / rate terms per customer), got " +
                                   detail::format_number(d),
                               detail::format_number(d));
    if (d == 0 && p.gamma <= 1)
        throw invalid_argument("discount_rate",
                               "0 (DERT undiscounted) is infinite for the model's gamma " +
                                   detail::format_number(p.gamma) + " <= 1: give a rate > 0",
                               "0");
}

} // namespace

void check_score_models(const fitted_model& purchase, const std::optional<fitted_model>& spend,
                        const score_options& options) {
    if (purchase.is_bg_bb()) return check_bg_bb_request(purchase, spend, options);
    (void)purchase_params_of(purchase);
    if (options.contacts && !spend) refuse_contacts_without_spend();
    if (!(std::isfinite(options.horizon) && options.horizon >= 0.0))
        throw invalid_argument("horizon",
                               "must be >= 0, got " + detail::format_number(options.horizon));
    if (options.clv_months < 1)
        throw invalid_argument("months",
                               "must be a whole number of months >= 1, got " +
                                   std::to_string(options.clv_months),
                               std::to_string(options.clv_months));
    if (!(std::isfinite(options.discount_rate) && options.discount_rate > -1))
        throw invalid_argument("discount_rate", "must be a finite number > -1, got " +
                                                    detail::format_number(options.discount_rate));
    if (!(options.probability > 0 && options.probability < 1))
        throw invalid_argument(
            "probability", "must be in (0, 1), got " + detail::format_number(options.probability),
            detail::format_number(options.probability));
    if (spend) (void)spend_params_of(*spend, "spend");
}

void check_score_request(const fitted_model& purchase, const std::optional<fitted_model>& spend,
                         const summary_columns& summary, const summary_units& units,
                         const score_options& options,
                         std::span<const purchase_params> per_customer) {
    check_score_models(purchase, spend, options);
    if (purchase.covariates && per_customer.empty() && !summary.frequency.empty())
        throw invalid_argument("covariates",
                               "the " + purchase.model +
                                   " model was fitted with covariates: scoring needs the "
                                   "customers' covariate table");
    if (!purchase.covariates && !per_customer.empty())
        throw invalid_argument("covariates",
                               "the " + purchase.model + " model was fitted without covariates");
    check_same_units(purchase, units);
    if (!purchase.is_bg_bb() && !summary.weights.empty())
        throw invalid_argument(
            "weights", "customers per row are read by BG/BB scores only: the " + purchase.model +
                           " model scores each row as one customer; give one row per "
                           "customer, without a weights column");
    const std::span<const double> x = summary.frequency, tx = summary.recency, T = summary.T;
    const std::size_t n = x.size();
    detail::check_same_length(n, tx.size(), "recency");
    detail::check_same_length(n, T.size(), "T");
    if (!summary.first_purchase.empty())
        detail::check_same_length(n, summary.first_purchase.size(), "first_purchase");
    if (!summary.weights.empty()) detail::check_same_length(n, summary.weights.size(), "weights");
    if (purchase.is_bg_bb()) { // whole numbers, t_x <= n, weights >= 0 (bg_bb.hpp)
        if (n > 0) (void)compress_bg_bb(x, tx, T, summary.weights);
        return;
    }
    if (n > 0) detail::check_summary(x, tx, T); // no customers: the models and options alone
    if (!per_customer.empty()) detail::check_same_length(n, per_customer.size(), "covariates");
    if (spend) {
        if (summary.monetary_value.empty() && n > 0)
            throw invalid_argument("monetary_value", "the spend model needs the summary's "
                                                     "monetary_value column");
        detail::check_same_length(n, summary.monetary_value.size(), "monetary_value");
        detail::check_spend_customers(x, summary.monetary_value);
    }
}

std::vector<purchase_params> covariate_customer_params(const fitted_model& purchase,
                                                       const covariate_table* covariates,
                                                       std::span<const std::string> keys,
                                                       std::string_view params_argument,
                                                       std::string_view covariates_argument) {
    check_covariates_given(purchase, covariates, params_argument, covariates_argument);
    if (covariates == nullptr) return {};
    const covariate_model m = covariate_model_of(purchase, params_argument);
    return customer_params(m, design_for(m, *covariates, keys));
}

namespace {

/// The BG/BB scores of score_customers (see scoring.hpp), the request checked.
customer_scores score_bg_bb(const fitted_model& model, const summary_columns& summary,
                            const score_options& options) {
    const bg_bb_params p = bg_bb_params_of(model);
    const std::span<const double> x = summary.frequency, tx = summary.recency, n = summary.T;
    const std::size_t rows = x.size();
    customer_scores out;
    out.bg_bb = true;
    out.horizon = options.horizon;
    out.discount_rate = options.discount_rate;
    out.p_alive = p_alive(p, x, tx, n, 1);
    out.expected_purchases =
        conditional_expected_purchases(p, static_cast<int>(options.horizon), x, tx, n);
    out.dert = dert(p, options.discount_rate, x, tx, n);
    out.next_purchase_wait.assign(rows, std::numeric_limits<double>::quiet_NaN());
    out.analysis_date.assign(rows, no_time);
    out.next_purchase_date.assign(rows, no_time);
    double at_risk = 0;
    for (std::size_t i = 0; i < rows; ++i) {
        const double w = summary.weights.empty() ? 1.0 : summary.weights[i];
        out.expected_alive += w * out.p_alive[i];
        out.total_expected_purchases += w * out.expected_purchases[i];
        out.dert_total += w * out.dert[i];
        out.customers += w;
        if (out.p_alive[i] < 0.5) at_risk += w;
    }
    out.at_risk = static_cast<std::size_t>(std::llround(at_risk));
    return out;
}

} // namespace

customer_scores score_customers(const fitted_model& purchase,
                                const std::optional<fitted_model>& spend,
                                const summary_columns& summary, const summary_units& units,
                                const score_options& options,
                                std::span<const purchase_params> per_customer) {
    check_score_request(purchase, spend, summary, units, options, per_customer);
    if (purchase.is_bg_bb()) return score_bg_bb(purchase, summary, options);
    customer_scores out;
    out.model = purchase_kind_of(purchase);
    const purchase_params p = purchase_params_of(purchase);
    out.units = units;
    out.horizon = options.horizon;
    const std::span<const double> x = summary.frequency, tx = summary.recency, T = summary.T;
    const std::size_t n = x.size();
    std::optional<gamma_gamma_params> g;
    if (spend) g = spend_params_of(*spend, "spend");
    const clv_options co = clv_options_of(options, units);
    if (g) {
        out.with_spend = true;
        out.expected_spend = conditional_expected_average_spend(*g, x, summary.monetary_value);
    }
    if (per_customer.empty()) {
        // Every score once per unique (x, t_x, T) row (the rows checked above), the forecasts
        // once per run of rows sharing (x, T), P(alive) shared by all of them (unique_rows.hpp);
        // the same values as the per-customer functions (the lifetime value within rounding).
        const auto kept = n > 0 ? detail::memo_unique_rows(x, tx, T, [] {}) : nullptr;
        const compressed_summary empty;
        const compressed_summary& rows = kept ? *kept : empty;
        const double log1p_minus_q = std::log1p(-options.probability);
        std::visit(
            [&](const auto& m) {
                const std::vector<double> alive = detail::p_alive_rows(m, rows);
                out.p_alive = detail::scatter(rows, alive);
                out.expected_purchases =
                    detail::scatter(rows, detail::expected_rows(m, options.horizon, rows, alive));
                out.next_purchase_wait = detail::scatter(
                    rows,
                    detail::for_each_index(rows.size(), std::size_t{1} << 14, [&](std::size_t r) {
                        return detail::next_purchase_wait(m, rows.frequency[r], rows.T[r],
                                                          log1p_minus_q);
                    }));
                if (g)
                    out.clv = detail::scale_rows(
                        rows, out.expected_spend,
                        detail::purchase_stream_rows(m, rows, alive, co.months,
                                                     co.periods_per_month, co.discount_rate));
            },
            p);
    } else {
        out.p_alive = p_alive(per_customer, x, tx, T);
        out.expected_purchases =
            conditional_expected_purchases(per_customer, options.horizon, x, tx, T);
        out.next_purchase_wait.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            out.next_purchase_wait[i] = std::visit(
                [&](const auto& m) {
                    return next_purchase_time(m, x[i], tx[i], T[i], options.probability);
                },
                per_customer[i]);
        if (g) {
            out.clv.resize(n);
            for (std::size_t i = 0; i < n; ++i)
                out.clv[i] = std::visit(
                    [&](const auto& m) {
                        return customer_lifetime_value(m, *g, x[i], tx[i], T[i],
                                                       summary.monetary_value[i], co);
                    },
                    per_customer[i]);
        }
    }
    out.analysis_date.assign(n, no_time);
    out.next_purchase_date.assign(n, no_time);
    for (std::size_t i = 0; i < n; ++i) {
        std::int64_t end = no_time;
        if (options.analysis_date)
            end = *options.analysis_date;
        else if (!summary.first_purchase.empty() && summary.first_purchase[i] != no_time)
            end = time_after(summary.first_purchase[i], T[i], units);
        out.analysis_date[i] = end;
        out.next_purchase_date[i] = time_after(end, out.next_purchase_wait[i], units);
    }
    for (std::size_t i = 0; i < n; ++i) {
        out.expected_alive += out.p_alive[i];
        out.total_expected_purchases += out.expected_purchases[i];
        if (out.p_alive[i] < 0.5) ++out.at_risk;
        if (out.with_spend) out.clv_total += out.clv[i];
    }
    return out;
}

const char* to_string(contact_timing t) noexcept {
    return t == contact_timing::rhythm ? "rhythm" : "model";
}

contact_timing parse_contact_timing(std::string_view name, std::string_view argument) {
    if (name != "model" && name != "rhythm")
        throw invalid_argument(argument,
                               "expected 'model' or 'rhythm', got '" + std::string(name) + "'",
                               std::string(name));
    return name == "rhythm" ? contact_timing::rhythm : contact_timing::model;
}

void check_contact_days(const contact_days& options) {
    if (!(std::isfinite(options.within_days) && options.within_days > 0))
        throw invalid_argument("within_days",
                               "must be > 0, got " + detail::format_number(options.within_days));
    if (!(std::isfinite(options.lead_days) && options.lead_days >= 0))
        throw invalid_argument("lead_days",
                               "must be >= 0, got " + detail::format_number(options.lead_days));
}

contact_columns columns_of(const contact_plan& plan) {
    contact_columns c;
    for (const contact_entry& e : plan.contacts) {
        c.customer.push_back(e.customer);
        c.next_purchase.push_back(e.next_purchase);
        c.call_at.push_back(e.call_at);
        c.p_alive.push_back(e.p_alive);
        c.clv.push_back(e.clv);
        c.call_date.push_back(e.call_date);
        c.next_purchase_date.push_back(e.next_purchase_date);
        c.timing.emplace_back(to_string(e.timing));
        c.rhythm_date.push_back(e.rhythm_date);
        c.due_days.push_back(e.due_days);
    }
    return c;
}

contact_plan contact_list(const customer_scores& scores, const contact_days& options,
                          std::span<const std::int64_t> rhythm) {
    if (!scores.with_spend) refuse_contacts_without_spend();
    check_contact_days(options);
    if (options.timing == contact_timing::rhythm && rhythm.empty())
        throw invalid_argument("timing", "rhythm needs each customer's purchase dates (the log)",
                               "rhythm");
    if (!rhythm.empty() && rhythm.size() != scores.size())
        throw invalid_argument("rhythm", "has " + std::to_string(rhythm.size()) +
                                             " dates, the scores " + std::to_string(scores.size()) +
                                             " customers");
    contact_plan plan;
    plan.customers = scores.size();
    plan.timing = options.timing;
    plan.with_rhythm = !rhythm.empty();
    const double days = days_per_period(scores.units);
    plan.window_periods = options.within_days / days;
    plan.lead_periods = options.lead_days / days;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (!std::isfinite(scores.clv[i]))
            throw data_error("clv: customer " + std::to_string(i) + ": value " +
                                 detail::format_number(scores.clv[i]) + " is not finite",
                             error_context{"clv", i, {}, {}, detail::format_number(scores.clv[i])});
        contact_entry c;
        const std::int64_t end = scores.analysis_date[i];
        if (!rhythm.empty() && rhythm[i] != no_time) {
            c.rhythm_date = rhythm[i];
            if (end != no_time) c.due_days = static_cast<double>(rhythm[i] - end) / seconds_per_day;
        }
        double w = scores.next_purchase_wait[i];
        if (options.timing == contact_timing::rhythm && c.due_days) {
            c.timing = contact_timing::rhythm;
            w = std::max(0.0, *c.due_days) / days;
        }
        if (w < 0.0 || w > plan.window_periods) continue;
        c.customer = i;
        c.next_purchase = w;
        c.call_at = std::max(0.0, w - plan.lead_periods);
        c.p_alive = scores.p_alive[i];
        c.clv = scores.clv[i];
        c.call_date = time_after(end, c.call_at, scores.units);
        c.next_purchase_date = time_after(end, c.next_purchase, scores.units);
        plan.contacts.push_back(c);
    }
    std::stable_sort(plan.contacts.begin(), plan.contacts.end(),
                     [](const contact_entry& a, const contact_entry& b) { return a.clv > b.clv; });
    if (options.top > 0 && plan.contacts.size() > options.top) plan.contacts.resize(options.top);
    for (const contact_entry& c : plan.contacts)
        plan.value_at_risk += c.clv;
    return plan;
}

clv_options clv_options_of(const score_options& options, const summary_units& units) {
    clv_options co;
    co.months = options.clv_months;
    co.discount_rate = options.discount_rate;
    co.periods_per_month = periods_per_month(units);
    return co;
}

CUSTOMETRICS_END_NAMESPACE
