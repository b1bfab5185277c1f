// The overview figures of the report (custometrics/report.hpp).
#include "custometrics/report.hpp"
#include "custometrics/progress.hpp"

#include "custometrics/accumulators.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/entity_totals.hpp"
#include "custometrics/error.hpp"
#include "custometrics/generate.hpp"
#include "custometrics/output/break_even.hpp"
#include "custometrics/retention/fitted_model.hpp"
#include "custometrics/retention/gamma_gamma.hpp"
#include "custometrics/retention/rhythm.hpp"

#include <algorithm>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

double quantile_linear(std::vector<double> v, double q) {
    if (!(q >= 0.0 && q <= 1.0)) throw invalid_argument("q", "must be in [0, 1]");
    if (v.empty()) return 0.0;
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
    const double a = v[lo];
    if (lo + 1 >= v.size()) return a;
    const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
    return a + (b - a) * (pos - static_cast<double>(lo));
}

sales_overview compute_sales_overview(const transaction_log& log, const customer_summary& s,
                                      std::size_t top_entities) {
    if (log.size() == 0) throw invalid_argument("report", "the log has no rows");
    sales_overview o;
    o.rows = log.size();
    double gross = 0.0, refunds = 0.0, cost = 0.0;
    time_range span;
    for (std::size_t i = 0; i < log.size(); ++i) {
        const double a = log.amount[i];
        if (a < 0) {
            refunds -= a;
            ++o.return_rows;
        } else {
            gross += a;
        }
        if (log.has_cost()) cost += log.cost[i];
        span(log.time[i]);
    }
    o.purchase_rows = o.rows - o.return_rows;
    o.first_time = span.first;
    o.last_time = span.last;
    o.days = (day_of(span.last) - day_of(span.first)) + 1;
    o.customers = log.customer_keys.size();
    o.customers_with_purchase = s.size();
    if (!log.product.empty()) o.products = log.product_keys.size();
    if (!log.channel.empty()) o.channels = log.channel_keys.size();
    o.gross_sales = gross;
    o.returns = refunds;
    o.net_revenue = gross - refunds;
    if (log.has_cost()) {
        o.cost = cost;
        o.profit = o.net_revenue - cost;
    }

    moments revenue_m, freq_m, recency_m, t_m, monetary_m;
    std::size_t one_time = 0;
    for (std::size_t k = 0; k < s.size(); ++k) {
        revenue_m(s.revenue[k]);
        freq_m(s.frequency[k]);
        recency_m(s.recency[k]);
        t_m(s.T[k]);
        if (s.frequency[k] == 0)
            ++one_time;
        else
            monetary_m(s.monetary_value[k]);
    }
    o.revenue_mean = revenue_m.mean;
    o.revenue_median = quantile_linear(s.revenue, 0.5);
    o.revenue_p90 = quantile_linear(s.revenue, 0.9);
    o.revenue_max = revenue_m.max;
    o.one_time_buyer_share =
        s.size() > 0 ? static_cast<double>(one_time) / static_cast<double>(s.size()) : 0.0;
    o.mean_frequency = freq_m.mean;
    o.mean_recency_days = recency_m.mean;
    o.mean_T_days = t_m.mean;
    o.mean_repeat_purchase_value = monetary_m.count > 0 ? monetary_m.mean : 0.0;

    const std::pair<const char*, dimension> dims[] = {{"customer", dimension::customer},
                                                      {"product", dimension::product},
                                                      {"channel", dimension::channel}};
    for (const auto& [name, d] : dims) {
        if ((d == dimension::product && log.product.empty()) ||
            (d == dimension::channel && log.channel.empty()))
            continue;
        const pareto_result r = pareto(entity_totals(log, d, measure::revenue, {}).value);
        const key_index& keys = d == dimension::customer  ? log.customer_keys
                                : d == dimension::product ? log.product_keys
                                                          : log.channel_keys;
        overview_pareto p;
        p.dimension = name;
        p.n = r.size();
        p.total = r.total;
        p.gini = r.gini.gini;
        p.entities_for_80pct = r.entities_for_80pct;
        p.top20_share = r.top20_share;
        p.class_count = r.class_count;
        p.class_share = r.class_share;
        p.not_ranked = r.nonpositive.size();
        p.not_ranked_total = r.nonpositive_total;
        p.curve = r.curve(201);
        p.lorenz = r.lorenz(201);
        for (std::size_t k = 0; k < std::min(top_entities, r.size()); ++k)
            p.top.push_back({k + 1, keys.key_string(r.entity[k]), r.value[k], r.share[k],
                             r.cum_share[k], r.abc[k]});
        if (r.size() <= 30) {
            for (std::size_t k = 0; k < r.size(); ++k) {
                p.bar_labels.push_back(keys.key_string(r.entity[k]));
                p.bar_values.push_back(r.value[k]);
                p.bar_cum_share.push_back(r.cum_share[k]);
            }
        } else {
            std::size_t begin = 0;
            for (std::size_t tenth = 1; tenth <= 10; ++tenth) {
                const std::size_t end = r.size() * tenth / 10;
                double sum = 0.0;
                for (std::size_t k = begin; k < end; ++k)
                    sum += r.value[k];
                p.bar_labels.push_back(tenth == 1 ? std::string("top 10%")
                                                  : std::to_string(10 * (tenth - 1)) + "-" +
                                                        std::to_string(10 * tenth) + "%");
                p.bar_values.push_back(sum);
                p.bar_cum_share.push_back(end > 0 ? r.cum_share[end - 1] : 0.0);
                begin = end;
            }
        }
        o.pareto.push_back(std::move(p));
    }
    if (log.has_cost())
        o.whale = whale_curve(entity_totals(log, dimension::customer, measure::profit, {}).value);
    return o;
}

std::vector<std::size_t> histogram_01(std::span<const double> values, std::size_t bins) {
    if (bins == 0) throw invalid_argument("bins", "must be > 0, got 0");
    std::vector<std::size_t> counts(bins, 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!(v >= 0.0 && v <= 1.0))
            throw invalid_argument("values: value " + detail::format_number(v) + " at " +
                                       std::to_string(i) + " is outside [0, 1]",
                                   error_context{"values", i, {}, {}, detail::format_number(v)});
        const auto k = static_cast<std::size_t>(v * static_cast<double>(bins));
        ++counts[std::min(k, bins - 1)];
    }
    return counts;
}

namespace {

// The columns of the customers with T > 0 (the ones the purchase models can take).
struct positive_T_columns {
    std::vector<std::size_t> rows;
    std::vector<double> x, tx, T, m, holdout;
    std::vector<std::int64_t> first;
};

positive_T_columns positive_T(const customer_summary& s) {
    positive_T_columns c;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!(s.T[i] > 0)) continue;
        c.rows.push_back(i);
        c.x.push_back(s.frequency[i]);
        c.tx.push_back(s.recency[i]);
        c.T.push_back(s.T[i]);
        c.m.push_back(s.monetary_value[i]);
        if (s.has_holdout()) c.holdout.push_back(s.frequency_holdout[i]);
        c.first.push_back(s.first_purchase[i]);
    }
    return c;
}

} // namespace

report_model_choice choose_report_model(const transaction_view& log,
                                        const customer_summary& summary, double min_holdout_days,
                                        std::size_t min_customers) {
    report_model_choice c;
    try {
        std::int64_t first = log.seconds(0), last = first;
        for (std::size_t i = 1; i < log.size(); ++i) {
            first = std::min(first, log.seconds(i));
            last = std::max(last, log.seconds(i));
        }
        summary_options so;
        so.unit = time_unit::days;
        so.calibration_end = first + (last - first) / 3 * 2;
        so.observation_end = last;
        const customer_summary cal = summarize(log, so);
        const positive_T_columns k = positive_T(cal);
        if (cal.duration_holdout < min_holdout_days) {
            c.note = "the log is too short for a holdout of " +
                     detail::format_number(min_holdout_days) + " days: chosen by BIC";
        } else if (k.rows.size() < min_customers) {
            c.note = "fewer than " + std::to_string(min_customers) +
                     " customers before the holdout: chosen by BIC";
        } else {
            c.selection = select_purchase_model(k.x, k.tx, k.T, k.holdout, cal.duration_holdout);
            c.calibration_end = so.calibration_end;
            c.holdout_days = cal.duration_holdout;
        }
        if (!c.calibration_end) {
            const positive_T_columns all = positive_T(summary);
            c.selection = select_purchase_model(all.x, all.tx, all.T);
        }
    } catch (const error& e) {
        c.note = std::string("no model choice (") + e.what() + "): BG/NBD";
        c.selection = {};
        c.calibration_end.reset();
        c.holdout_days = 0.0;
        return c;
    }
    if (c.selection.chosen)
        c.model = c.selection.models[*c.selection.chosen].model;
    else
        c.note = "no candidate model converged: BG/NBD";
    return c;
}

report_retention_detail report_retention_details(const customer_summary& summary,
                                                 const retention_overview_result& overview,
                                                 std::span<const std::int64_t> rhythm) {
    report_retention_detail d;
    const positive_T_columns k = positive_T(summary);
    d.rows = k.rows;
    const summary_units days{time_unit::days, 1.0};
    const fitted_model purchase =
        fitted_purchase_model(purchase_params_from(overview.model, overview.purchase.params), days);
    std::optional<fitted_model> spend;
    if (overview.spend) spend = fitted_spend_model(gamma_gamma_params_from(*overview.spend));
    score_options so;
    so.horizon = 90.0;
    so.analysis_date = summary.observation_end;
    d.scores = score_customers(purchase, spend, summary_columns{k.x, k.tx, k.T, k.m, k.first, {}},
                               days, so);
    d.p_alive_histogram = histogram_01(d.scores.p_alive, 10);
    if (!spend) return d;
    std::vector<std::int64_t> own; // rhythm dates of the scored customers, in d.rows' order
    if (!rhythm.empty()) {
        for (const std::size_t row : d.rows)
            own.push_back(summary.customer[row] < rhythm.size() ? rhythm[summary.customer[row]]
                                                                : no_time);
        d.contact_options.timing = contact_timing::rhythm;
    }
    d.contacts = contact_list(d.scores, d.contact_options, own);
    report_win_back w;
    w.at_risk_below = retention_overview_options{}.at_risk_below;
    for (std::size_t i = 0; i < d.rows.size(); ++i)
        if (d.scores.p_alive[i] < w.at_risk_below) {
            ++w.lapsed;
            w.lapsed_revenue += summary.revenue[d.rows[i]];
        }
    const contact_plan all = contact_list(d.scores, {w.within_days, w.lead_days, 0});
    for (const contact_entry& c : all.contacts)
        if (c.p_alive < w.at_risk_below) w.customers.push_back(c);
    const auto revenue_of = [&](const contact_entry& c) {
        return summary.revenue[d.rows[c.customer]];
    };
    std::stable_sort(w.customers.begin(), w.customers.end(),
                     [&](const contact_entry& a, const contact_entry& b) {
                         return revenue_of(a) > revenue_of(b);
                     });
    if (w.customers.size() > w.top) w.customers.resize(w.top);
    for (const contact_entry& c : w.customers)
        w.revenue.push_back(revenue_of(c));
    d.win_back = std::move(w);
    return d;
}

std::optional<report_period_change> report_period_change_of(const transaction_log& log,
                                                            double min_days_per_half) {
    const transaction_view view = log.view();
    if (view.size() == 0) return std::nullopt;
    std::int64_t first = view.seconds(0), last = first;
    for (std::size_t i = 1; i < view.size(); ++i) {
        first = std::min(first, view.seconds(i));
        last = std::max(last, view.seconds(i));
    }
    const std::int64_t first_day = floor_div(first, seconds_per_day);
    const std::int64_t days = floor_div(last, seconds_per_day) - first_day + 1;
    if (static_cast<double>(days / 2) < min_days_per_half) return std::nullopt;
    report_period_change c;
    c.before_start = first_day * seconds_per_day;
    c.after_start = (first_day + (days + 1) / 2) * seconds_per_day;
    c.end = (first_day + days - 1) * seconds_per_day;
    c.before = entity_totals(log, dimension::customer, measure::revenue,
                             {c.before_start, c.after_start - 1})
                   .value;
    c.after = entity_totals(log, dimension::customer, measure::revenue,
                            {c.after_start, c.end + seconds_per_day - 1})
                  .value;
    c.comparison = compare_periods(c.before, c.after);
    const column<std::uint8_t> from = detail::class_by_id(c.comparison.before, c.before.size());
    for (std::size_t i = 0; i < c.before.size(); ++i) {
        if (c.before[i] == 0.0 && c.after[i] == 0.0) continue; // no net revenue in either half
        ++c.class_customers[from[i]];
        c.class_revenue_before[from[i]] += c.before[i];
        c.class_revenue_after[from[i]] += c.after[i];
        c.revenue_before += c.before[i];
        c.revenue_after += c.after[i];
    }
    if (c.revenue_before > 0.0)
        c.revenue_change = (c.revenue_after - c.revenue_before) / c.revenue_before;
    return c;
}

namespace {

sales_report build_report_of(const transaction_log& log, const report_options& options) {
    const transaction_view view = log.view();
    view.validate();
    if (log.size() == 0) throw invalid_argument("report", "the log has no rows");
    sales_report r;
    r.source = options.source;
    const output::number_locale locale =
        options.locale.value_or(options.lang == output::language::de ? output::number_locale::de
                                                                     : output::number_locale::en);
    r.format =
        output::formatter({output::money_style_of(options.currency, locale), options.lang, locale});
    summary_options so;
    so.unit = time_unit::days;
    report_progress("report", 0, 5);
    r.summary = summarize(view, so);
    report_progress("report", 1, 5);
    r.customer_keys = log.customer_keys;
    r.overview = compute_sales_overview(log, r.summary);
    report_progress("report", 2, 5);
    r.model_choice = choose_report_model(view, r.summary);
    report_progress("report", 3, 5);
    retention_overview_options ro;
    ro.model = r.model_choice.model;
    r.retention = retention_overview(r.summary, ro);
    r.retention_detail =
        report_retention_details(r.summary, r.retention, purchase_rhythm_of(view).next_purchase);
    r.fixed_costs_per_month = options.fixed_costs_per_month;
    if (options.fixed_costs_per_month)
        r.break_even = output::report_break_even_series(log, *options.fixed_costs_per_month);
    if (r.break_even) r.critical = critical_volume(view, *options.fixed_costs_per_month);
    report_progress("report", 4, 5);
    r.loyalty = output::loyalty_report_section_of(log, options.signals,
                                                  log.has_cost() ? options.costs : std::nullopt);
    r.rfm = rfm_from_summary(r.summary);
    r.rfm_profiles = profile_rfm_segments(r.rfm, r.summary);
    r.period_change = report_period_change_of(log);
    if (options.criteria) r.matrix = report_matrix_of(*options.criteria, r.rfm_profiles);
    r.economics = report_economics_of(log, options.economics, options.prefix);
    if (options.members)
        r.programme = report_programme_of(log, *options.members, options.economics.margin_rate,
                                          options.prefix);
    report_progress("report", 5, 5);
    return r;
}

} // namespace

sales_report build_report(const transaction_log& log, const report_options& options) {
    // The file line of a row a section refuses, for the CLI and Python alike (issue 16).
    return naming_line(log, options.source, [&] { return build_report_of(log, options); });
}

report_sample generate_report_sample(std::size_t customers, std::uint64_t seed) {
    generate_options g;
    g.customers = customers;
    g.seed = seed;
    return {generate_transactions(g).log, "generated sample (" + std::to_string(customers) +
                                              " customers, seed " + std::to_string(seed) + ")"};
}

transaction_log owning_log(const transaction_view& view) {
    transaction_log log;
    if (view.customer_keys != nullptr) log.customer_keys = *view.customer_keys;
    log.customer.assign(view.customer.begin(), view.customer.end());
    log.time.resize(view.time.size());
    for (std::size_t i = 0; i < view.time.size(); ++i)
        log.time[i] = view.seconds(i);
    log.amount.assign(view.amount.begin(), view.amount.end());
    log.cost.assign(view.cost.begin(), view.cost.end());
    log.quantity.assign(view.quantity.begin(), view.quantity.end());
    return log;
}

namespace {

// The matrix has two axes: a criteria table without strength criteria is refused, naming
// `argument` (and the file, `value`).
void require_strength(const criteria_table& criteria, const std::string& argument,
                      std::string value = {}) {
    if (criteria.axis(true).criteria.empty())
        throw invalid_argument(argument,
                               "the matrix needs strength criteria (an `axis` row naming the "
                               "company's strength on some criteria)",
                               std::move(value));
}

} // namespace

report_matrix report_matrix_of(const criteria_table& criteria, const segment_profiles& rfm) {
    require_strength(criteria, "criteria");
    report_matrix m;
    m.analysis = analyse_attractiveness(criteria);
    const std::size_t n = criteria.segments.size();
    if (const std::optional<std::size_t> col = criteria.find("revenue")) {
        for (std::size_t s = 0; s < n; ++s)
            m.revenue.push_back(
                criteria.raw(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(*col)));
        m.revenue_source = "criteria";
        return m;
    }
    for (const std::string& name : criteria.segments) {
        const auto it = std::find_if(rfm.segments.begin(), rfm.segments.end(),
                                     [&](const segment_profile& p) { return p.name == name; });
        if (it == rfm.segments.end()) {
            m.revenue.clear();
            return m;
        }
        m.revenue.push_back(it->revenue);
    }
    m.revenue_source = "rfm";
    return m;
}

namespace {

// The option that gives the margin without a cost column, as the face names it.
std::string margin_option(std::string_view prefix) {
    return prefix.empty() ? "margin_rate" : std::string(prefix) + "margin-rate";
}

} // namespace

report_economics report_economics_of(const transaction_log& log,
                                     const log_economics_options& options,
                                     std::string_view prefix) {
    check_log_economics_options(options); // a bad option is an error, not a left-out section
    report_economics e;
    if (!log.has_cost() && !options.margin_rate) {
        e.omitted = "the log has no cost column and no margin rate was given (" +
                    margin_option(prefix) + ")";
        return e;
    }
    e.margin_source = log.has_cost() ? "cost column" : "margin rate";
    try {
        e.result = log_retention_economics(log.view(), options);
        e.extra_retained = e.result->extra_retained;
        e.extra_retained_value = e.result->extra_retained_value;
    } catch (const invalid_argument& x) {
        // Too short a log (periods, no earlier customers): the data cannot carry the section.
        // The margin rate's range stays an error.
        if (x.argument() != "period_days" && x.argument() != "log") throw;
        e.omitted = x.what();
    }
    return e;
}

report_programme report_programme_of(const transaction_log& log,
                                     std::span<const programme_member> members,
                                     std::optional<double> margin_rate, std::string_view prefix) {
    report_programme p;
    if (!log.has_cost() && !margin_rate) {
        p.omitted = "the log has no cost column and no margin rate was given (" +
                    margin_option(prefix) + ")";
        return p;
    }
    programme_options o;
    o.margin_rate = margin_rate;
    try {
        p.result = evaluate_programme(log.view(), members, o);
    } catch (const data_error& x) {
        // No member could be evaluated (no row named): the data cannot carry the section.
        if (x.argument() != "members" || x.row()) throw;
        p.omitted = x.what();
    }
    return p;
}

report_options read_report_inputs(const transaction_log& log, const report_request& request) {
    report_options o;
    o.source = request.source;
    o.fixed_costs_per_month = request.fixed_costs_per_month;
    o.currency = request.currency;
    o.lang = output::parse_language(request.lang, request.prefix + "lang");
    if (!request.locale.empty())
        o.locale = output::parse_locale(request.locale, request.prefix + "locale");
    o.signals = read_signal_file(request.signals, log.customer_keys, request.prefix + "signals");
    if (log.has_cost() && !request.costs.empty())
        o.costs = parse_profitability_config(
            read_text_file(request.costs, request.prefix + "costs"), request.costs);
    if (!request.criteria.empty()) {
        o.criteria =
            read_criteria_table(read_csv_table(request.criteria, request.prefix + "criteria"));
        require_strength(*o.criteria, request.prefix + "criteria", request.criteria);
    }
    if (!request.members.empty())
        o.members =
            read_programme_members(read_csv_table(request.members, request.prefix + "members"));
    o.economics = request.economics;
    o.prefix = request.prefix;
    return o;
}

sales_report build_report(const transaction_log& log, const report_request& request) {
    return build_report(log, read_report_inputs(log, request));
}

CUSTOMETRICS_END_NAMESPACE
