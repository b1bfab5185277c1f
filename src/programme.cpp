// Loyalty-programme evaluation: matched difference-in-differences (see programme.hpp).
#include "custometrics/programme.hpp"

#include "custometrics/accumulators.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr double days_per_month = 30.4375; // 365.25 / 12, as retention/units.hpp
constexpr std::int64_t max_period_days = 1'000'000;

struct type_name {
    std::string_view id, german, english;
};
// In the article's order ("Gängige Treueprogramme, die eine Umsatzsteigerung hervorrufen").
constexpr std::array<type_name, n_programme_types> type_names{{
    {"customer_card", "Kundenkarte", "Customer card"},
    {"cumulative_discounts", "Kumulative Rabatte, Boni", "Cumulative discounts, bonuses"},
    {"special_terms", "Besondere Nutzungsbedingungen", "Special terms of use"},
    {"prizes", "Preise, Lotterien, Wettbewerbe", "Prizes, lotteries, contests"},
    {"unique_experience", "Ein einzigartiges Erlebnis bekommen", "A unique experience"},
    {"charity", "Wohltätigkeit", "Charity"},
    {"club", "Vereinsgründungen", "Founding a club"},
    {"restricted_access", "Zugriff auf eingeschränkte Ressourcen",
     "Access to restricted resources"},
    {"customer_service", "Kundendienst", "Customer service"},
    {"coalition", "Erstellung von Koalitions-Treueprogrammen", "Coalition loyalty programme"},
    {"trade_in", "Austausch eines alten Artikels gegen einen neuen", "Trade-in of old for new"},
    {"customer_training", "Kundenschulung", "Customer training"},
    {"support_24_7", "Technischer Support rund um die Uhr", "24/7 technical support"},
}};

// A uniform index in [0, n) from the generator, by rejection: the same draws on every platform
// (std::uniform_int_distribution is implementation-defined).
std::size_t draw_index(std::mt19937_64& g, std::size_t n) {
    const std::uint64_t range = n;
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() / range * range;
    std::uint64_t x = g();
    while (x >= limit)
        x = g();
    return static_cast<std::size_t>(x % range);
}

// Quantile q of sorted values, linear between order statistics (numpy's default, type 7).
double quantile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0.0;
    const double h = static_cast<double>(sorted.size() - 1) * q;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Sample standard deviation (0 for fewer than two values).
double std_dev(const std::vector<double>& v) {
    if (v.size() < 2) return 0.0;
    const double m = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double ss = 0.0;
    for (double x : v)
        ss += (x - m) * (x - m);
    return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// What a customer did in one window.
struct window_stats {
    double purchases = 0.0;      // rows with a positive amount
    double amount = 0.0;         // net amount
    double margin = 0.0;         // net margin
    double discount = 0.0;       // programme discounts
    std::int64_t last = no_time; // time of the last purchase in the window
};

// The log grouped by customer, in time order, with prefix sums for window queries.
class customer_history {
public:
    customer_history(const transaction_view& log, std::span<const double> discount, bool has_cost,
                     double margin_rate)
        : m_start(log.n_customers + 1, 0), m_first(log.n_customers, no_time) {
        const std::size_t n = log.size();
        for (std::size_t i = 0; i < n; ++i)
            ++m_start[log.customer[i] + 1];
        std::partial_sum(m_start.begin(), m_start.end(), m_start.begin());
        std::vector<std::size_t> order(n);
        std::vector<std::size_t> fill(m_start.begin(), m_start.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            order[fill[log.customer[i]]++] = i;
        for (std::size_t c = 0; c < log.n_customers; ++c)
            std::stable_sort(
                order.begin() + static_cast<std::ptrdiff_t>(m_start[c]),
                order.begin() + static_cast<std::ptrdiff_t>(m_start[c + 1]),
                [&](std::size_t a, std::size_t b) { return log.seconds(a) < log.seconds(b); });
        m_time.resize(n);
        m_last.resize(n);
        m_purchases.assign(n + 1, 0.0);
        m_amount.assign(n + 1, 0.0);
        m_margin.assign(n + 1, 0.0);
        m_discount.assign(n + 1, 0.0);
        for (std::size_t c = 0; c < log.n_customers; ++c) {
            std::int64_t last = no_time;
            for (std::size_t k = m_start[c]; k < m_start[c + 1]; ++k) {
                const std::size_t i = order[k];
                const double a = log.amount[i];
                const double d = discount.empty() ? 0.0 : discount[i];
                const double margin = has_cost ? a - log.cost[i] : margin_rate * (a + d) - d;
                m_time[k] = log.seconds(i);
                if (a > 0) {
                    last = m_time[k];
                    if (m_first[c] == no_time) m_first[c] = last;
                }
                m_last[k] = last;
                m_purchases[k + 1] = m_purchases[k] + (a > 0 ? 1.0 : 0.0);
                m_amount[k + 1] = m_amount[k] + a;
                m_margin[k + 1] = m_margin[k] + margin;
                m_discount[k + 1] = m_discount[k] + d;
            }
        }
    }

    /// Time of the first purchase of customer c, or no_time.
    std::int64_t first_purchase(std::size_t c) const { return m_first[c]; }

    /// What customer c did in [from, to).
    window_stats window(std::size_t c, std::int64_t from, std::int64_t to) const {
        const auto b = m_time.begin() + static_cast<std::ptrdiff_t>(m_start[c]);
        const auto e = m_time.begin() + static_cast<std::ptrdiff_t>(m_start[c + 1]);
        const auto lo = static_cast<std::size_t>(std::lower_bound(b, e, from) - m_time.begin());
        const auto hi = static_cast<std::size_t>(std::lower_bound(b, e, to) - m_time.begin());
        window_stats w;
        w.purchases = m_purchases[hi] - m_purchases[lo];
        w.amount = m_amount[hi] - m_amount[lo];
        w.margin = m_margin[hi] - m_margin[lo];
        w.discount = m_discount[hi] - m_discount[lo];
        if (hi > m_start[c] && m_last[hi - 1] != no_time && m_last[hi - 1] >= from)
            w.last = m_last[hi - 1];
        return w;
    }

private:
    std::vector<std::size_t> m_start;  // CSR offsets per customer
    std::vector<std::int64_t> m_first; // first purchase per customer
    std::vector<std::int64_t> m_time;  // per CSR position
    std::vector<std::int64_t> m_last;  // last purchase at or before the position (same customer)
    std::vector<double> m_purchases, m_amount, m_margin, m_discount; // prefix sums
};

// Pre-period features (recency days, purchases, spend) of a window ending at j.
programme_features features_of(const window_stats& w, std::int64_t j, std::int64_t pre_days) {
    programme_features f;
    f.recency_days = w.last == no_time ? static_cast<double>(pre_days)
                                       : static_cast<double>(j - w.last) / seconds_per_day;
    f.purchases = w.purchases;
    f.spend = std::max(w.amount, 0.0);
    return f;
}

std::array<double, 3> transformed(const programme_features& f) {
    return {std::log1p(f.recency_days), std::log1p(f.purchases), std::log1p(f.spend)};
}

std::optional<entity_id> find_customer(const transaction_view& log, const std::string& key) {
    if (log.customer_keys == nullptr || log.customer_keys->type() == key_index::key_type::integer) {
        std::int64_t k = 0;
        const auto res = std::from_chars(key.data(), key.data() + key.size(), k);
        if (res.ec != std::errc() || res.ptr != key.data() + key.size()) return std::nullopt;
        if (log.customer_keys != nullptr) return log.customer_keys->find(k);
        if (k < 0 || static_cast<std::uint64_t>(k) >= log.n_customers) return std::nullopt;
        return static_cast<entity_id>(k);
    }
    return log.customer_keys->find(std::string_view(key));
}

// A member that passed the period and history checks.
struct eligible_member {
    std::int64_t joined;
    entity_id id;
    std::size_t row;
};

// Per pair and outcome: member pre, member post, control pre, control post.
struct pair_outcome {
    std::array<double, 4> frequency, spend, active, margin;
    double discount;
};

programme_effect effect_of(const std::vector<pair_outcome>& outcomes,
                           std::array<double, 4> pair_outcome::*field) {
    programme_effect e;
    for (const auto& o : outcomes) {
        const auto& v = o.*field;
        e.member_pre += v[0];
        e.member_post += v[1];
        e.control_pre += v[2];
        e.control_post += v[3];
    }
    const auto n = static_cast<double>(outcomes.size());
    e.member_pre /= n;
    e.member_post /= n;
    e.control_pre /= n;
    e.control_post /= n;
    e.effect = (e.member_post - e.member_pre) - (e.control_post - e.control_pre);
    const double counterfactual = e.member_post - e.effect;
    if (counterfactual > 0) e.relative = e.effect / counterfactual;
    return e;
}

double difference(const std::array<double, 4>& v) {
    return (v[1] - v[0]) - (v[3] - v[2]);
}

void set_interval(programme_effect& e, std::vector<double> draws, double level) {
    e.std_error = std_dev(draws);
    std::sort(draws.begin(), draws.end());
    e.ci_low = quantile(draws, (1 - level) / 2);
    e.ci_high = quantile(draws, 1 - (1 - level) / 2);
}

void check_cost(double x, const char* name) {
    if (!std::isfinite(x) || x < 0)
        throw invalid_argument(name,
                               "must be a finite number >= 0, got " + detail::format_number(x),
                               detail::format_number(x));
}

} // namespace

std::string_view to_string(programme_type t) noexcept {
    return type_names[static_cast<std::size_t>(t)].id;
}
std::string_view german_name(programme_type t) noexcept {
    return type_names[static_cast<std::size_t>(t)].german;
}
std::string_view english_name(programme_type t) noexcept {
    return type_names[static_cast<std::size_t>(t)].english;
}

programme_type parse_programme_type(std::string_view text, std::string_view argument) {
    for (std::size_t i = 0; i < n_programme_types; ++i)
        if (text == type_names[i].id) return static_cast<programme_type>(i);
    unsigned k = 0;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), k);
    if (res.ec == std::errc() && res.ptr == text.data() + text.size() && k >= 1 &&
        k <= n_programme_types)
        return static_cast<programme_type>(k - 1);
    std::string known;
    for (const auto& n : type_names)
        known += (known.empty() ? "" : ", ") + std::string(n.id);
    throw invalid_argument(argument,
                           "unknown programme type \"" + std::string(text) +
                               "\" (expected 1..13 or one of " + known + ")",
                           std::string(text));
}

std::string_view to_string(programme_exclusion_reason r) noexcept {
    switch (r) {
    case programme_exclusion_reason::not_in_log:
        return "not_in_log";
    case programme_exclusion_reason::before_log_start:
        return "before_log_start";
    case programme_exclusion_reason::after_log_end:
        return "after_log_end";
    case programme_exclusion_reason::no_history:
        return "no_history";
    case programme_exclusion_reason::no_match:
        return "no_match";
    }
    return "not_in_log";
}

std::vector<programme_member> programme_members(std::span<const std::string> keys,
                                                std::span<const std::int64_t> joined) {
    if (joined.size() != keys.size())
        throw invalid_argument("members", "joined has " + std::to_string(joined.size()) +
                                              " rows, the keys have " +
                                              std::to_string(keys.size()));
    std::vector<programme_member> members;
    members.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        members.push_back({keys[i], joined[i]});
    return members;
}

std::vector<programme_member> read_programme_members(const csv_table& table) {
    const std::size_t c_key = table.column("customer_id");
    const std::size_t c_joined = table.column("joined");
    std::vector<programme_member> out;
    out.reserve(table.size());
    for (std::size_t r = 0; r < table.size(); ++r) {
        const auto& row = table.rows[r];
        if (row[c_key].empty())
            throw parse_error(table.source, table.line[r], "customer_id", "", "empty customer key");
        const auto t = parse_time(row[c_joined]);
        if (!t)
            throw parse_error(table.source, table.line[r], "joined", row[c_joined],
                              "not a date (expected YYYY-MM-DD or an ISO 8601 timestamp)");
        out.push_back({row[c_key], *t});
    }
    return out;
}

programme_result evaluate_programme(const transaction_view& log,
                                    std::span<const programme_member> members,
                                    const programme_options& options) {
    log.validate();
    const std::size_t n = log.size();
    if (n == 0) throw invalid_argument("log", "is empty");
    if (members.empty()) throw invalid_argument("members", "is empty");
    for (const auto& [value, name] :
         {std::pair{options.pre_days, "pre_days"}, std::pair{options.post_days, "post_days"}})
        if (value < 1 || value > max_period_days)
            throw invalid_argument(name,
                                   "must be between 1 and " + std::to_string(max_period_days) +
                                       " days, got " + std::to_string(value),
                                   std::to_string(value));
    if (std::isnan(options.caliper) || options.caliper <= 0)
        throw invalid_argument("caliper",
                               "must be > 0 (infinity: no caliper), got " +
                                   detail::format_number(options.caliper),
                               detail::format_number(options.caliper));
    const bool has_cost = !log.cost.empty();
    double rate = 0.0;
    if (!has_cost) {
        if (!options.margin_rate)
            throw invalid_argument(
                "margin_rate", "the log has no cost column: give the margin share of the amount");
        rate = *options.margin_rate;
        if (!(rate >= 0 && rate <= 1))
            throw invalid_argument("margin_rate",
                                   "must be in [0, 1], got " + detail::format_number(rate),
                                   detail::format_number(rate));
    }
    if (!options.discount.empty() && options.discount.size() != n)
        throw invalid_argument("discount",
                               "has " + std::to_string(options.discount.size()) +
                                   " rows, the log has " + std::to_string(n),
                               std::to_string(options.discount.size()));
    for (std::size_t i = 0; i < options.discount.size(); ++i) {
        const double d = options.discount[i];
        if (!std::isfinite(d) || d < 0)
            throw data_error("discount: " + log.describe_row(i) + ": value is " +
                                 detail::format_number(d) + " (must be a finite number >= 0)",
                             log.row_context("discount", i, detail::format_number(d)));
    }
    check_cost(options.card_cost_per_member, "card_cost_per_member");
    check_cost(options.fixed_costs, "fixed_costs");
    if (!(options.level > 0 && options.level < 1))
        throw invalid_argument("level",
                               "must be in (0, 1), got " + detail::format_number(options.level),
                               detail::format_number(options.level));
    if (options.bootstrap == 0) throw invalid_argument("bootstrap", "must be >= 1", "0");

    programme_result res;
    res.type = options.type;
    res.pre_days = options.pre_days;
    res.post_days = options.post_days;
    res.with_replacement = options.with_replacement;
    res.caliper = options.caliper;
    res.margin_from_cost = has_cost;
    res.margin_rate = rate;
    res.level = options.level;
    res.bootstrap = options.bootstrap;
    res.seed = options.seed;
    res.members = members.size();

    const customer_history history(log, options.discount, has_cost, rate);
    const time_range span = seconds_range(log);
    res.log_start = day_of(span.first) * seconds_per_day;
    res.log_end = (day_of(span.last) + 1) * seconds_per_day;
    const std::int64_t pre = options.pre_days * seconds_per_day;
    const std::int64_t post = options.post_days * seconds_per_day;

    // Members: resolve keys, reject duplicates, check periods and history.
    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> member_row(log.n_customers, none);
    std::vector<eligible_member> eligible;
    auto exclude = [&](std::size_t r, programme_exclusion_reason why) {
        res.exclusions.push_back({r, members[r].key, why});
        ++res.excluded[static_cast<std::size_t>(why)];
    };
    for (std::size_t r = 0; r < members.size(); ++r) {
        const auto& m = members[r];
        const auto id = find_customer(log, m.key);
        if (!id) {
            exclude(r, programme_exclusion_reason::not_in_log);
            continue;
        }
        if (member_row[*id] != none)
            throw data_error("members: row " + std::to_string(r) + " (customer \"" + m.key +
                                 "\"): appears twice (first at row " +
                                 std::to_string(member_row[*id]) + ")",
                             error_context{"members", r, m.key, "customer_id", m.key});
        member_row[*id] = r;
        // Compared without forming J - pre (which could overflow for absurd joining times).
        if (m.joined < res.log_start || m.joined - res.log_start < pre)
            exclude(r, programme_exclusion_reason::before_log_start);
        else if (m.joined > res.log_end || res.log_end - m.joined < post)
            exclude(r, programme_exclusion_reason::after_log_end);
        else if (history.first_purchase(*id) == no_time || history.first_purchase(*id) >= m.joined)
            exclude(r, programme_exclusion_reason::no_history);
        else
            eligible.push_back({m.joined, *id, r});
    }
    std::sort(eligible.begin(), eligible.end(), [](const auto& a, const auto& b) {
        return a.joined != b.joined ? a.joined < b.joined : a.id < b.id;
    });

    // Scale: the standard deviation of each transformed feature over the eligible members.
    std::vector<std::array<double, 3>> member_x(eligible.size());
    for (std::size_t k = 0; k < eligible.size(); ++k) {
        const auto& e = eligible[k];
        member_x[k] = transformed(features_of(history.window(e.id, e.joined - pre, e.joined),
                                              e.joined, options.pre_days));
    }
    std::array<double, 3> scale{1.0, 1.0, 1.0};
    for (std::size_t f = 0; f < 3; ++f) {
        std::vector<double> v(eligible.size());
        for (std::size_t k = 0; k < eligible.size(); ++k)
            v[k] = member_x[k][f];
        const double s = v.size() < 2 ? 0.0
                                      : std_dev(v) * std::sqrt(static_cast<double>(v.size() - 1) /
                                                               static_cast<double>(v.size()));
        if (s > 1e-12) scale[f] = s;
    }

    // Candidates: non-members with a purchase, by time of their first purchase, so that those
    // who bought before J are a prefix.
    std::vector<entity_id> candidates;
    for (std::size_t c = 0; c < log.n_customers; ++c)
        if (member_row[c] == none && history.first_purchase(c) != no_time)
            candidates.push_back(static_cast<entity_id>(c));
    std::stable_sort(candidates.begin(), candidates.end(), [&](entity_id a, entity_id b) {
        return history.first_purchase(a) < history.first_purchase(b);
    });
    for (std::size_t c = 0; c < log.n_customers; ++c)
        if (member_row[c] == none) ++res.candidates;

    std::vector<char> used(log.n_customers, 0);
    std::vector<std::array<double, 3>> cand_x;
    for (std::size_t k = 0; k < eligible.size();) {
        const std::int64_t j = eligible[k].joined;
        std::size_t group_end = k;
        while (group_end < eligible.size() && eligible[group_end].joined == j)
            ++group_end;
        const auto n_cand =
            static_cast<std::size_t>(std::lower_bound(candidates.begin(), candidates.end(), j,
                                                      [&](entity_id c, std::int64_t t) {
                                                          return history.first_purchase(c) < t;
                                                      }) -
                                     candidates.begin());
        cand_x.resize(n_cand);
        for (std::size_t i = 0; i < n_cand; ++i) {
            cand_x[i] = transformed(
                features_of(history.window(candidates[i], j - pre, j), j, options.pre_days));
            for (std::size_t f = 0; f < 3; ++f)
                cand_x[i][f] /= scale[f];
        }
        for (; k < group_end; ++k) {
            std::array<double, 3> x = member_x[k];
            for (std::size_t f = 0; f < 3; ++f)
                x[f] /= scale[f];
            double best = std::numeric_limits<double>::infinity();
            std::size_t best_i = none;
            for (std::size_t i = 0; i < n_cand; ++i) {
                if (!options.with_replacement && used[candidates[i]]) continue;
                double d = 0.0;
                for (std::size_t f = 0; f < 3; ++f)
                    d += (x[f] - cand_x[i][f]) * (x[f] - cand_x[i][f]);
                if (d < best ||
                    (d == best && best_i != none && candidates[i] < candidates[best_i])) {
                    best = d;
                    best_i = i;
                }
            }
            const double dist = std::sqrt(best);
            if (best_i == none || dist > options.caliper) {
                exclude(eligible[k].row, programme_exclusion_reason::no_match);
                continue;
            }
            used[candidates[best_i]] = 1;
            res.pairs.push_back({eligible[k].id, candidates[best_i], j, dist, eligible[k].row});
        }
    }
    std::sort(res.exclusions.begin(), res.exclusions.end(),
              [](const auto& a, const auto& b) { return a.row < b.row; });

    res.evaluated = res.pairs.size();
    if (res.evaluated == 0) {
        std::string counts;
        for (std::size_t r = 0; r < n_programme_exclusion_reasons; ++r)
            counts += (r == 0 ? "" : ", ") +
                      std::string(to_string(static_cast<programme_exclusion_reason>(r))) + " " +
                      std::to_string(res.excluded[r]);
        throw data_error("members: no member can be evaluated (" + counts + ")",
                         error_context{"members", std::nullopt, {}, {}, {}});
    }
    res.controls = static_cast<std::size_t>(std::count(used.begin(), used.end(), char{1}));

    // Outcomes of every pair.
    const double pre_months = static_cast<double>(options.pre_days) / days_per_month;
    const double post_months = static_cast<double>(options.post_days) / days_per_month;
    std::vector<pair_outcome> outcomes(res.pairs.size());
    double distance_sum = 0.0;
    for (std::size_t p = 0; p < res.pairs.size(); ++p) {
        const auto& pr = res.pairs[p];
        const std::int64_t j = pr.joined;
        const window_stats mp = history.window(pr.member, j - pre, j);
        const window_stats mq = history.window(pr.member, j, j + post);
        const window_stats cp = history.window(pr.control, j - pre, j);
        const window_stats cq = history.window(pr.control, j, j + post);
        auto& o = outcomes[p];
        o.frequency = {mp.purchases / pre_months, mq.purchases / post_months,
                       cp.purchases / pre_months, cq.purchases / post_months};
        o.spend = {mp.amount / pre_months, mq.amount / post_months, cp.amount / pre_months,
                   cq.amount / post_months};
        o.active = {mp.purchases > 0 ? 1.0 : 0.0, mq.purchases > 0 ? 1.0 : 0.0,
                    cp.purchases > 0 ? 1.0 : 0.0, cq.purchases > 0 ? 1.0 : 0.0};
        // Members' post-period margin before the programme's discounts (booked as cost).
        o.margin = {mp.margin / pre_months, (mq.margin + mq.discount) / post_months,
                    cp.margin / pre_months, cq.margin / post_months};
        o.discount = mq.discount;
        const programme_features fm = features_of(mp, j, options.pre_days);
        const programme_features fc = features_of(cp, j, options.pre_days);
        res.member_features.recency_days += fm.recency_days;
        res.member_features.purchases += fm.purchases;
        res.member_features.spend += fm.spend;
        res.control_features.recency_days += fc.recency_days;
        res.control_features.purchases += fc.purchases;
        res.control_features.spend += fc.spend;
        distance_sum += pr.distance;
    }
    const auto n_pairs = static_cast<double>(res.pairs.size());
    for (auto* f : {&res.member_features, &res.control_features}) {
        f->recency_days /= n_pairs;
        f->purchases /= n_pairs;
        f->spend /= n_pairs;
    }
    res.mean_distance = distance_sum / n_pairs;

    res.frequency = effect_of(outcomes, &pair_outcome::frequency);
    res.spend = effect_of(outcomes, &pair_outcome::spend);
    res.retention = effect_of(outcomes, &pair_outcome::active);
    res.margin = effect_of(outcomes, &pair_outcome::margin);
    double discount_sum = 0.0;
    for (const auto& o : outcomes)
        discount_sum += o.discount;
    res.incremental_margin = res.margin.effect * post_months;
    res.discount_cost = discount_sum / n_pairs;
    res.card_cost = options.card_cost_per_member;
    res.fixed_cost = options.fixed_costs / static_cast<double>(members.size());
    res.cost = res.discount_cost + res.card_cost + res.fixed_cost;
    res.net = res.incremental_margin - res.cost;
    res.total_incremental_margin = res.incremental_margin * n_pairs;
    res.total_cost = res.cost * n_pairs;
    const double fixed_per_member = res.card_cost + res.fixed_cost;
    if (res.cost > 0) {
        res.roi.defined = true;
        res.roi.value = res.net / res.cost;
    } else {
        res.roi.reason = "the programme's cost is 0 (no discounts, card cost or fixed costs)";
    }

    // Percentile bootstrap over the matched pairs.
    std::mt19937_64 rng(options.seed);
    std::array<std::vector<double>, 4> draws;
    for (auto& d : draws)
        d.reserve(options.bootstrap);
    std::vector<double> roi_draws;
    roi_draws.reserve(options.bootstrap);
    for (std::size_t b = 0; b < options.bootstrap; ++b) {
        std::array<double, 4> sum{};
        double disc = 0.0;
        for (std::size_t p = 0; p < outcomes.size(); ++p) {
            const auto& o = outcomes[draw_index(rng, outcomes.size())];
            sum[0] += difference(o.frequency);
            sum[1] += difference(o.spend);
            sum[2] += difference(o.active);
            sum[3] += difference(o.margin);
            disc += o.discount;
        }
        for (std::size_t f = 0; f < 4; ++f)
            draws[f].push_back(sum[f] / n_pairs);
        const double cost_b = disc / n_pairs + fixed_per_member;
        if (cost_b > 0) roi_draws.push_back((sum[3] / n_pairs * post_months - cost_b) / cost_b);
    }
    set_interval(res.frequency, draws[0], options.level);
    set_interval(res.spend, draws[1], options.level);
    set_interval(res.retention, draws[2], options.level);
    set_interval(res.margin, draws[3], options.level);
    res.incremental_margin_ci_low = res.margin.ci_low * post_months;
    res.incremental_margin_ci_high = res.margin.ci_high * post_months;
    if (res.roi.defined) {
        res.roi.resamples = roi_draws.size();
        std::sort(roi_draws.begin(), roi_draws.end());
        res.roi.ci_low = quantile(roi_draws, (1 - options.level) / 2);
        res.roi.ci_high = quantile(roi_draws, 1 - (1 - options.level) / 2);
    }
    return res;
}

CUSTOMETRICS_END_NAMESPACE
