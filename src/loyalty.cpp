// Loyalty signals, types, quadrants, Net Promoter, spending types and churn reasons (see
// include/custometrics/loyalty.hpp for every definition and source).
#include "custometrics/loyalty.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/json_value.hpp"

#include <boost/math/distributions/chi_squared.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <system_error>
#include <type_traits>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// `customer "C-3"` with keys, else `customer 3`.
std::string who(std::size_t id, const key_index* keys) {
    if (keys != nullptr && id < keys->size())
        return "customer \"" + keys->key_string(static_cast<entity_id>(id)) + "\"";
    return "customer " + std::to_string(id);
}

// The fields of an error about `argument` of customer `id` with `value`.
error_context at_customer(const char* argument, std::size_t id, const key_index* keys,
                          double value) {
    error_context c{argument, id, {}, {}, detail::format_number(value)};
    if (keys != nullptr && id < keys->size()) c.key = keys->key_string(static_cast<entity_id>(id));
    return c;
}

// --- Three-valued conditions --------------------------------------------------------------

enum class tri { no, yes, undecided };

// The value of a condition, the text that says why (in the sense of its value), and the
// signals that kept it undecided.
struct cond {
    tri value = tri::undecided;
    std::string why;
    std::vector<std::string> missing;
    std::vector<std::string> used; ///< for a decided condition: the signals that decided it
};

enum class op { ge, le, gt, lt };

// `name x op t`, undecided when x is missing (nullopt or NaN).
cond test(std::string_view name, std::optional<double> x, op o, double t) {
    cond c;
    if (!x || std::isnan(*x)) {
        c.missing.emplace_back(name);
        return c;
    }
    bool yes = false;
    const char* sym_yes = "";
    const char* sym_no = "";
    switch (o) {
    case op::ge:
        yes = *x >= t, sym_yes = ">=", sym_no = "<";
        break;
    case op::le:
        yes = *x <= t, sym_yes = "<=", sym_no = ">";
        break;
    case op::gt:
        yes = *x > t, sym_yes = ">", sym_no = "<=";
        break;
    case op::lt:
        yes = *x < t, sym_yes = "<", sym_no = ">=";
        break;
    }
    c.value = yes ? tri::yes : tri::no;
    std::string signal(name);
    std::replace(signal.begin(), signal.end(), ' ', '_');
    c.used.push_back(std::move(signal));
    c.why = std::string(name) + " " + detail::format_short(*x) + " " + (yes ? sym_yes : sym_no) +
            " " + detail::format_short(t);
    return c;
}

void add_missing(std::vector<std::string>& to, const std::vector<std::string>& from) {
    for (const auto& m : from)
        if (std::find(to.begin(), to.end(), m) == to.end()) to.push_back(m);
}

std::string join(const std::vector<const cond*>& parts) {
    std::string s;
    for (const cond* p : parts) {
        if (!s.empty()) s += ", ";
        s += p->why;
    }
    return s;
}

// True when every part is, false when one is (the first false one says why).
cond all(std::initializer_list<cond> parts) {
    cond c;
    std::vector<const cond*> yes;
    for (const cond& p : parts) {
        if (p.value == tri::no) {
            c.value = tri::no;
            c.why = p.why;
            c.missing.clear();
            return c;
        }
        if (p.value == tri::yes)
            yes.push_back(&p);
        else
            add_missing(c.missing, p.missing);
    }
    if (c.missing.empty()) {
        c.value = tri::yes;
        c.why = join(yes);
        for (const cond* p : yes)
            add_missing(c.used, p->used);
    }
    return c;
}

// True when one part is (the first true one says why), false when every part is.
cond any(std::initializer_list<cond> parts) {
    cond c;
    std::vector<const cond*> no;
    for (const cond& p : parts) {
        if (p.value == tri::yes) {
            c.value = tri::yes;
            c.why = p.why;
            c.used = p.used;
            c.missing.clear();
            return c;
        }
        if (p.value == tri::no)
            no.push_back(&p);
        else
            add_missing(c.missing, p.missing);
    }
    if (c.missing.empty()) {
        c.value = tri::no;
        c.why = join(no);
        for (const cond* p : no)
            add_missing(c.used, p->used);
    }
    return c;
}

// The stated measure where it was answered, else its behavioural stand-in (the stand-in's
// missing signals then name both).
cond stated_else(const cond& stated, cond stand_in) {
    if (stated.value != tri::undecided) return stated;
    if (stand_in.value == tri::undecided) {
        std::vector<std::string> both = stated.missing;
        add_missing(both, stand_in.missing);
        stand_in.missing = std::move(both);
    }
    return stand_in;
}

// The signals of a decided condition by source: "behaviour: a, b; stated: c".
std::string decided_by(const std::vector<std::string>& used) {
    static constexpr std::array<std::string_view, 6> stated_names{
        "satisfaction", "recommend",       "referrals",
        "complaints",   "share_of_wallet", "has_alternative"};
    std::string behaviour, stated;
    for (const auto& u : used) {
        std::string& to =
            std::find(stated_names.begin(), stated_names.end(), u) != stated_names.end()
                ? stated
                : behaviour;
        to += (to.empty() ? "" : ", ") + u;
    }
    std::string out;
    if (!behaviour.empty()) out = "behaviour: " + behaviour;
    if (!stated.empty()) out += (out.empty() ? "" : "; ") + ("stated: " + stated);
    return out;
}

template <class T> std::optional<T> at(const std::vector<std::optional<T>>& v, std::size_t i) {
    return v.empty() ? std::nullopt : v[i];
}

double at(const std::vector<double>& v, std::size_t i) {
    return v.empty() ? nan_value : v[i];
}

template <class E, std::size_t N>
std::string_view name_of(E e, const std::array<std::string_view, N>& names) noexcept {
    const auto k = static_cast<std::size_t>(e);
    return k < N ? names[k] : std::string_view("?");
}

constexpr std::array<std::string_view, n_loyalty_types> type_names{
    "advocate", "loyal", "switcher", "mercenary", "hostage", "terrorist", "unknown"};
constexpr std::array<std::string_view, n_quadrants> quadrant_names{
    "js_loyalist", "js_apostle",   "js_mercenary", "js_hostage",
    "js_defector", "js_terrorist", "unknown"};
constexpr std::array<std::string_view, 4> nps_names{"promoter", "passive", "detractor", "missing"};
constexpr std::array<std::string_view, 4> spending_names{"tightwad", "unconflicted", "spendthrift",
                                                         "unknown"};
constexpr std::array<std::string_view, n_churn_reasons> reason_names{
    "no_longer_needed", "too_expensive", "quality", "service",
    "competitor_offer", "moved",         "other"};

} // namespace

std::string_view to_string(loyalty_type t) noexcept {
    return name_of(t, type_names);
}
std::string_view to_string(quadrant q) noexcept {
    return name_of(q, quadrant_names);
}
std::string_view to_string(nps_category c) noexcept {
    return name_of(c, nps_names);
}
std::string_view to_string(spending_type t) noexcept {
    return name_of(t, spending_names);
}
std::string_view to_string(churn_reason r) noexcept {
    return name_of(r, reason_names);
}

// --- Behavioural signals ----------------------------------------------------------------------

namespace {

// The rhythm share of one customer's purchase days `days[lo..hi)` (sorted, distinct; at least
// three): gaps over the cycles they cover, the cycle being the lower median gap; NaN without a
// rhythm (fewer than two short gaps, short gaps fewer than half, or their CV above `max_cv`).
// See loyalty.hpp. Example: gaps 10, 10, 30, 10: cycle 10, 4 gaps over 6 cycles = 0.667.
double rhythm_share_of(const std::vector<std::pair<entity_id, std::int64_t>>& days, std::size_t lo,
                       std::size_t hi, double max_cv) {
    std::vector<double> gaps;
    for (std::size_t j = lo + 1; j < hi; ++j)
        gaps.push_back(static_cast<double>(days[j].second - days[j - 1].second));
    std::vector<double> sorted = gaps;
    std::sort(sorted.begin(), sorted.end());
    const double cycle = sorted[(sorted.size() - 1) / 2]; // lower median, >= 1 day
    std::vector<double> short_gaps;
    double cycles = 0;
    for (const double g : gaps) {
        const double covered = std::max(1.0, std::round(g / cycle));
        cycles += covered;
        if (covered == 1.0) short_gaps.push_back(g);
    }
    if (short_gaps.size() < 2 || 2 * short_gaps.size() < gaps.size()) return nan_value;
    double mean = 0, ss = 0;
    for (const double g : short_gaps)
        mean += g;
    mean /= static_cast<double>(short_gaps.size());
    for (const double g : short_gaps)
        ss += (g - mean) * (g - mean);
    if (std::sqrt(ss / static_cast<double>(short_gaps.size() - 1)) / mean > max_cv)
        return nan_value;
    return static_cast<double>(gaps.size()) / cycles;
}

} // namespace

behaviour_signals behaviour_signals_from(const transaction_view& log,
                                         const behaviour_options& options) {
    log.validate();
    const std::size_t n = log.size();
    if (n == 0) throw invalid_argument("log", "no rows");
    // A list amount may be negative (the list value of a returned row); the others may not.
    auto check_column = [&](std::span<const double> col, const char* name, const char* unit,
                            bool signed_ = false) {
        if (col.empty()) return;
        if (col.size() != n)
            throw invalid_argument(name, "has " + std::to_string(col.size()) +
                                             " rows, the log has " + std::to_string(n));
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(col[i]) || (!signed_ && col[i] < 0))
                throw data_error(std::string(name) + ": " + log.describe_row(i) + ": value is " +
                                     detail::format_number(col[i]) + " (must be a finite " + unit +
                                     (signed_ ? ")" : " >= 0)"),
                                 log.row_context(name, i, detail::format_number(col[i])));
    };
    check_column(options.discount, "discount", "amount");
    check_column(options.payment_delay, "payment_delay", "number of days");
    check_column(options.list_amount, "list_amount", "amount", true);
    for (std::size_t k = 0; k < options.promotions.size(); ++k)
        if (day_of(options.promotions[k].end) < day_of(options.promotions[k].start))
            throw invalid_argument(
                "promotions: period " + std::to_string(k) + " ends (" +
                    format_date(options.promotions[k].end) + ") before it starts (" +
                    format_date(options.promotions[k].start) + ")",
                error_context{"promotions", k, {}, {}, format_date(options.promotions[k].end)});

    std::int64_t first = std::numeric_limits<std::int64_t>::max();
    std::int64_t last = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < n; ++i) {
        first = std::min(first, log.seconds(i));
        last = std::max(last, log.seconds(i));
    }
    const std::int64_t end = options.observation_end.value_or(last);
    const std::int64_t end_day = day_of(end);
    const std::int64_t first_day = day_of(first);
    const std::int64_t split_day = options.trend_split ? day_of(*options.trend_split)
                                                       : first_day + (end_day - first_day + 1) / 2;

    const std::size_t m = log.n_customers;
    behaviour_signals b;
    b.observation_end = end;
    b.trend_split = split_day * seconds_per_day;
    b.purchase_days.assign(m, 0);
    b.purchase_rows.assign(m, 0);
    b.return_rows.assign(m, 0);
    for (auto* v : {&b.regularity_cv, &b.mean_interval, &b.days_since_last, &b.recency_ratio,
                    &b.tenure_days, &b.frequency_trend, &b.discount_share, &b.rhythm_share,
                    &b.promotion_share, &b.promotion_lift, &b.return_share, &b.payment_delay})
        v->assign(m, nan_value);
    b.revenue.assign(m, 0.0);
    std::vector<double> gross(m, 0.0), refunds(m, 0.0), discounted(m, 0.0), delay(m, 0.0);

    std::vector<std::pair<entity_id, std::int64_t>> days;
    days.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t t = log.seconds(i);
        if (t > end)
            throw data_error("time: " + log.describe_row(i) + ": " + format_time(t) +
                             " is after the observation end " + format_time(end));
        const entity_id c = log.customer[i];
        const double a = log.amount[i];
        b.revenue[c] += a;
        if (a < 0) {
            ++b.return_rows[c];
            refunds[c] -= a;
            continue;
        }
        ++b.purchase_rows[c];
        gross[c] += a;
        if ((!options.discount.empty() && options.discount[i] > 0) ||
            (!options.list_amount.empty() && a < options.list_amount[i]))
            discounted[c] += 1;
        if (!options.payment_delay.empty()) delay[c] += options.payment_delay[i];
        days.emplace_back(c, day_of(t));
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());

    // Promotion days as sorted, merged [first, last] day ranges; their share of the log's days.
    std::vector<std::pair<std::int64_t, std::int64_t>> promo;
    for (const promotion_period& p : options.promotions)
        promo.emplace_back(day_of(p.start), day_of(p.end));
    std::sort(promo.begin(), promo.end());
    std::vector<std::pair<std::int64_t, std::int64_t>> merged;
    for (const auto& r : promo) {
        if (!merged.empty() && r.first <= merged.back().second + 1)
            merged.back().second = std::max(merged.back().second, r.second);
        else
            merged.push_back(r);
    }
    const auto in_promotion = [&merged](std::int64_t day) {
        auto it = std::upper_bound(
            merged.begin(), merged.end(),
            std::pair<std::int64_t, std::int64_t>(day, std::numeric_limits<std::int64_t>::max()));
        return it != merged.begin() && std::prev(it)->second >= day;
    };
    if (!merged.empty()) {
        std::int64_t covered = 0;
        for (const auto& [lo, hi] : merged)
            covered +=
                std::max<std::int64_t>(0, std::min(hi, end_day) - std::max(lo, first_day) + 1);
        b.promotion_day_share =
            static_cast<double>(covered) / static_cast<double>(end_day - first_day + 1);
    }

    for (std::size_t lo = 0; lo < days.size();) {
        const entity_id c = days[lo].first;
        std::size_t hi = lo;
        while (hi < days.size() && days[hi].first == c)
            ++hi;
        const std::size_t k = hi - lo; // purchase days
        const std::int64_t d0 = days[lo].second, d1 = days[hi - 1].second;
        b.purchase_days[c] = static_cast<std::int64_t>(k);
        b.tenure_days[c] = static_cast<double>(end_day - d0);
        b.days_since_last[c] = static_cast<double>(end_day - d1);
        if (k >= 2) {
            const double mean = static_cast<double>(d1 - d0) / static_cast<double>(k - 1);
            b.mean_interval[c] = mean;
            b.recency_ratio[c] = b.days_since_last[c] / mean;
            if (k >= 3) {
                double ss = 0.0;
                for (std::size_t j = lo + 1; j < hi; ++j) {
                    const double gap = static_cast<double>(days[j].second - days[j - 1].second);
                    ss += (gap - mean) * (gap - mean);
                }
                b.regularity_cv[c] = std::sqrt(ss / static_cast<double>(k - 2)) / mean;
                b.rhythm_share[c] = rhythm_share_of(days, lo, hi, options.rhythm_max_cv);
            }
        }
        if (!merged.empty()) {
            std::size_t inside = 0;
            for (std::size_t j = lo; j < hi; ++j)
                inside += in_promotion(days[j].second) ? 1 : 0;
            b.promotion_share[c] = static_cast<double>(inside) / static_cast<double>(k);
            if (b.promotion_day_share > 0)
                b.promotion_lift[c] = b.promotion_share[c] / b.promotion_day_share;
        }
        if (d0 < split_day) {
            std::size_t n1 = 0;
            for (std::size_t j = lo; j < hi; ++j)
                n1 += days[j].second < split_day ? 1 : 0;
            const double a = static_cast<double>(n1), z = static_cast<double>(k - n1);
            b.frequency_trend[c] = (z - a) / (z + a);
        }
        lo = hi;
    }
    for (std::size_t c = 0; c < m; ++c) {
        const auto rows = static_cast<double>(b.purchase_rows[c]);
        if (rows > 0) {
            if (!options.discount.empty() || !options.list_amount.empty())
                b.discount_share[c] = discounted[c] / rows;
            if (!options.payment_delay.empty()) b.payment_delay[c] = delay[c] / rows;
        }
        if (gross[c] > 0) b.return_share[c] = refunds[c] / gross[c];
    }
    return b;
}

std::vector<promotion_period> read_promotion_file(const csv_table& table) {
    const std::size_t c_start = table.column("start"), c_end = table.column("end");
    std::vector<promotion_period> out;
    out.reserve(table.size());
    for (std::size_t r = 0; r < table.size(); ++r) {
        const auto at_column = [&](std::size_t c) {
            const std::string& field = table.rows[r][c];
            const std::optional<std::int64_t> t = parse_time(field);
            if (!t)
                throw parse_error(table.source, table.line[r], table.header[c], field,
                                  "not a date");
            return *t;
        };
        const promotion_period p{at_column(c_start), at_column(c_end)};
        if (day_of(p.end) < day_of(p.start))
            throw parse_error(table.source, table.line[r], "end", table.rows[r][c_end],
                              "the promotion ends before it starts (" + table.rows[r][c_start] +
                                  ")");
        out.push_back(p);
    }
    return out;
}

// --- Stated signals and rules -----------------------------------------------------------------

void stated_signals::validate(std::size_t n, const key_index* keys) const {
    auto check = [&](const auto& v, const char* name, double lo, double hi, bool whole,
                     const char* range) {
        if (!v.empty() && v.size() != n)
            throw invalid_argument(name, "has " + std::to_string(v.size()) +
                                             " entries, there are " + std::to_string(n) +
                                             " customers");
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i]) continue;
            const double x = static_cast<double>(*v[i]);
            if (!(x >= lo && x <= hi) || (whole && x != std::floor(x)))
                throw data_error(std::string(name) + ": " + who(i, keys) + ": value is " +
                                     detail::format_number(x) + " (must be " + range + ")",
                                 at_customer(name, i, keys, x));
        }
    };
    constexpr double big = std::numeric_limits<double>::max();
    check(satisfaction, "satisfaction", 1, 5, true, "a whole number 1..5");
    check(recommend, "recommend", 0, 10, true, "a whole number 0..10");
    check(referrals, "referrals", 0, big, false, "a finite number >= 0");
    check(complaints, "complaints", 0, big, false, "a finite number >= 0");
    check(share_of_wallet, "share_of_wallet", 0, 1, false, "a share 0..1");
    if (!has_alternative.empty() && has_alternative.size() != n)
        throw invalid_argument("has_alternative", "has " + std::to_string(has_alternative.size()) +
                                                      " entries, there are " + std::to_string(n) +
                                                      " customers");
}

void loyalty_rules::validate() const {
    auto check = [](double x, const char* name, double lo, double hi) {
        if (!(x >= lo && x <= hi))
            throw invalid_argument(
                std::string("rules: ") + name + ": value is " + detail::format_number(x) +
                (hi == std::numeric_limits<double>::max()
                     ? " (must be a finite number >= " + detail::format_number(lo)
                     : " (must be in " + detail::format_number(lo) + ".." +
                           detail::format_number(hi)) +
                ")");
    };
    constexpr double big = std::numeric_limits<double>::max();
    check(min_purchase_days, "min_purchase_days", 3, big);
    check(max_regular_cv, "max_regular_cv", 0, big);
    check(max_recency_ratio, "max_recency_ratio", 0, big);
    check(high_satisfaction, "high_satisfaction", 1, 5);
    check(low_satisfaction, "low_satisfaction", 1, 5);
    check(promoter_min, "promoter_min", 0, 10);
    check(detractor_max, "detractor_max", 0, 10);
    check(min_referrals, "min_referrals", 0, big);
    check(min_complaints, "min_complaints", 0, big);
    check(min_share_of_wallet, "min_share_of_wallet", 0, 1);
    check(min_discount_share, "min_discount_share", 0, 1);
    check(min_rhythm_share, "min_rhythm_share", 0, 1);
    check(min_promotion_share, "min_promotion_share", 0, 1);
    check(min_promotion_lift, "min_promotion_lift", 0, big);
    check(min_return_share, "min_return_share", 0, big);
    if (!(low_satisfaction < high_satisfaction))
        throw invalid_argument("rules", "low_satisfaction " +
                                            detail::format_number(low_satisfaction) +
                                            " must be below high_satisfaction " +
                                            detail::format_number(high_satisfaction));
    if (!(detractor_max < promoter_min))
        throw invalid_argument("rules", "detractor_max " + detail::format_number(detractor_max) +
                                            " must be below promoter_min " +
                                            detail::format_number(promoter_min));
}

namespace {

/// The thresholds of `r` by name, for the readers by name.
std::array<std::pair<const char*, double*>, 15> rule_fields(loyalty_rules& r) {
    return {{{"min_purchase_days", &r.min_purchase_days},
             {"max_regular_cv", &r.max_regular_cv},
             {"max_recency_ratio", &r.max_recency_ratio},
             {"high_satisfaction", &r.high_satisfaction},
             {"low_satisfaction", &r.low_satisfaction},
             {"promoter_min", &r.promoter_min},
             {"detractor_max", &r.detractor_max},
             {"min_referrals", &r.min_referrals},
             {"min_complaints", &r.min_complaints},
             {"min_share_of_wallet", &r.min_share_of_wallet},
             {"min_discount_share", &r.min_discount_share},
             {"min_rhythm_share", &r.min_rhythm_share},
             {"min_promotion_share", &r.min_promotion_share},
             {"min_promotion_lift", &r.min_promotion_lift},
             {"min_return_share", &r.min_return_share}}};
}

} // namespace

loyalty_rules parse_loyalty_rules(std::string_view json, const std::string& source) {
    loyalty_rules r;
    assign_json_numbers(json, source, rule_fields(r), "rule threshold");
    r.validate();
    return r;
}

loyalty_rules loyalty_rules_from(std::span<const std::pair<std::string, double>> values,
                                 std::string_view argument) {
    loyalty_rules r;
    assign_named_numbers(values, argument, rule_fields(r), "rule threshold");
    r.validate();
    return r;
}

loyalty_result classify_loyalty(const behaviour_signals& b, const stated_signals& s,
                                const loyalty_rules& rules, const key_index* keys) {
    rules.validate();
    const std::size_t n = b.size();
    s.validate(n, keys);
    const loyalty_rules& r = rules;
    loyalty_result out;
    out.type.resize(n);
    out.rule.resize(n);
    out.decided_by.resize(n);
    out.missing.resize(n);
    out.quadrant_of.resize(n);
    out.quadrant_rule.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto sat = at(s.satisfaction, i);
        const auto rec = at(s.recommend, i);
        const auto ref = at(s.referrals, i);
        const auto com = at(s.complaints, i);
        const auto sow = at(s.share_of_wallet, i);
        const auto alt = at(s.has_alternative, i);
        const double cv = b.regularity_cv[i], ratio = b.recency_ratio[i];

        const cond purchase_days = test("purchase days", static_cast<double>(b.purchase_days[i]),
                                        op::ge, r.min_purchase_days);
        const cond still_buying = test("recency_ratio", ratio, op::le, r.max_recency_ratio);
        const cond active = all({purchase_days, still_buying});
        const cond regular =
            all({purchase_days, test("regularity_cv", cv, op::le, r.max_regular_cv), still_buying});
        const cond satisfied = test("satisfaction", sat, op::ge, r.high_satisfaction);
        const cond dissatisfied =
            stated_else(test("satisfaction", sat, op::le, r.low_satisfaction),
                        test("return_share", at(b.return_share, i), op::ge, r.min_return_share));
        const cond recommends = any({test("recommend", rec, op::ge, r.promoter_min),
                                     test("referrals", ref, op::ge, r.min_referrals)});
        const cond vocal = any({test("complaints", com, op::ge, r.min_complaints),
                                test("recommend", rec, op::le, r.detractor_max)});
        const cond elsewhere =
            stated_else(test("share_of_wallet", sow, op::lt, r.min_share_of_wallet),
                        test("rhythm_share", at(b.rhythm_share, i), op::lt, r.min_rhythm_share));
        const cond on_discount = any(
            {test("discount_share", at(b.discount_share, i), op::ge, r.min_discount_share),
             all({test("promotion_share", at(b.promotion_share, i), op::ge, r.min_promotion_share),
                  test("promotion_lift", at(b.promotion_lift, i), op::ge, r.min_promotion_lift)})});
        // Not known to recommend: a missing answer or count is no recommendation recorded.
        cond no_recommend{tri::yes, "no recommendation recorded", {}, {}};
        if (rec && ref)
            no_recommend = all({test("recommend", rec, op::lt, r.promoter_min),
                                test("referrals", ref, op::lt, r.min_referrals)});
        else if (rec)
            no_recommend = test("recommend", rec, op::lt, r.promoter_min);
        else if (ref)
            no_recommend = test("referrals", ref, op::lt, r.min_referrals);
        cond locked_in;
        if (alt) {
            locked_in.value = *alt ? tri::no : tri::yes;
            locked_in.why = *alt ? "has_alternative yes" : "has_alternative no";
            locked_in.used.emplace_back("has_alternative");
        } else {
            locked_in.missing.emplace_back("has_alternative");
        }

        const std::pair<loyalty_type, cond> rules_in_order[] = {
            {loyalty_type::terrorist, all({dissatisfied, vocal})},
            {loyalty_type::hostage,
             all({locked_in,
                  test("purchase days", static_cast<double>(b.purchase_days[i]), op::ge, 2),
                  still_buying})},
            {loyalty_type::mercenary, on_discount},
            {loyalty_type::advocate, all({regular, recommends})},
            {loyalty_type::switcher, all({active, elsewhere})},
            {loyalty_type::loyal, all({regular, no_recommend})}};
        out.type[i] = loyalty_type::unknown;
        for (const auto& [type, c] : rules_in_order) {
            if (c.value == tri::yes) {
                out.type[i] = type;
                out.rule[i] = std::string(to_string(type)) + ": " + c.why;
                out.decided_by[i] = decided_by(c.used);
                break;
            }
            if (c.value == tri::undecided) add_missing(out.missing[i], c.missing);
        }
        if (out.type[i] == loyalty_type::unknown) {
            if (out.missing[i].empty()) {
                out.rule[i] = "unknown: no rule applies (" + regular.why + ")";
            } else {
                std::string list;
                for (const auto& m : out.missing[i])
                    list += (list.empty() ? "" : ", ") + m;
                out.rule[i] = "unknown: missing " + list;
            }
        } else {
            out.missing[i].clear();
        }
        ++out.type_count[static_cast<std::size_t>(out.type[i])];

        // Quadrant: satisfaction high x loyalty (regular) high, then the refinements.
        quadrant q = quadrant::unknown;
        std::string why;
        if (satisfied.value != tri::undecided && regular.value != tri::undecided) {
            const bool hs = satisfied.value == tri::yes, hl = regular.value == tri::yes;
            why = satisfied.why + "; " + regular.why;
            q = hs ? (hl ? quadrant::loyalist : quadrant::mercenary)
                   : (hl ? quadrant::hostage : quadrant::defector);
            if (q == quadrant::loyalist && recommends.value == tri::yes) {
                q = quadrant::apostle;
                why += "; " + recommends.why;
            } else if (q == quadrant::defector && vocal.value == tri::yes) {
                q = quadrant::terrorist;
                why += "; " + vocal.why;
            }
            why = std::string(to_string(q)) + ": " + why;
        } else {
            std::vector<std::string> miss;
            if (satisfied.value == tri::undecided) add_missing(miss, satisfied.missing);
            if (regular.value == tri::undecided) add_missing(miss, regular.missing);
            std::string list;
            for (const auto& m : miss)
                list += (list.empty() ? "" : ", ") + m;
            why = "unknown: missing " + list;
        }
        out.quadrant_of[i] = q;
        out.quadrant_rule[i] = std::move(why);
        ++out.quadrant_count[static_cast<std::size_t>(q)];
    }
    return out;
}

// --- Net Promoter -----------------------------------------------------------------------------

nps_result net_promoter(std::span<const double> recommend, std::span<const std::string> segment) {
    std::vector<std::optional<double>> answers(recommend.size());
    for (std::size_t i = 0; i < recommend.size(); ++i)
        if (!std::isnan(recommend[i])) answers[i] = recommend[i];
    return net_promoter(answers, segment);
}

nps_result net_promoter(std::span<const std::optional<double>> recommend,
                        std::span<const std::string> segment, const key_index* keys) {
    const std::size_t n = recommend.size();
    if (!segment.empty() && segment.size() != n)
        throw invalid_argument("segment", "has " + std::to_string(segment.size()) +
                                              " entries, recommend has " + std::to_string(n));
    nps_result out;
    out.category.resize(n);
    std::map<std::string, nps_score> groups;
    auto add = [](nps_score& s, nps_category c) {
        switch (c) {
        case nps_category::promoter:
            ++s.promoters;
            break;
        case nps_category::passive:
            ++s.passives;
            break;
        case nps_category::detractor:
            ++s.detractors;
            break;
        case nps_category::missing:
            ++s.missing;
            break;
        }
    };
    for (std::size_t i = 0; i < n; ++i) {
        nps_category c = nps_category::missing;
        if (recommend[i]) {
            const double x = *recommend[i];
            if (!(x >= 0 && x <= 10) || x != std::floor(x))
                throw data_error("recommend: " + who(i, keys) + ": value is " +
                                     detail::format_number(x) + " (must be a whole number 0..10)",
                                 at_customer("recommend", i, keys, x));
            c = x >= 9 ? nps_category::promoter
                       : (x >= 7 ? nps_category::passive : nps_category::detractor);
        }
        out.category[i] = c;
        add(out.overall, c);
        if (!segment.empty()) add(groups[segment[i]], c);
    }
    auto finish = [](nps_score& s) {
        if (s.answered() > 0)
            s.score = 100.0 *
                      (static_cast<double>(s.promoters) - static_cast<double>(s.detractors)) /
                      static_cast<double>(s.answered());
    };
    finish(out.overall);
    for (auto& [name, score] : groups) {
        finish(score);
        out.segments.push_back(name);
        out.by_segment.push_back(score);
    }
    return out;
}

// --- Spending types ---------------------------------------------------------------------------

int tightwad_total(const tightwad_answers& a, std::string_view who_) {
    auto check = [&](int x, int hi, const char* item) {
        if (x < 1 || x > hi)
            throw data_error("tightwad-spendthrift item " + std::string(item) + ": " +
                             std::string(who_) + ": answer is " + std::to_string(x) +
                             " (must be 1.." + std::to_string(hi) + ")");
    };
    check(a.describe, 11, "1 (describe)");
    check(a.trouble_limiting, 5, "2a (trouble limiting spending)");
    check(a.trouble_spending, 5, "2b (trouble spending money)");
    check(a.sale_scenario, 5, "3 (sale scenario)");
    return a.describe + a.trouble_limiting + (6 - a.trouble_spending) + a.sale_scenario;
}

spending_type spending_type_of(int total) noexcept {
    if (total <= 11) return spending_type::tightwad;
    if (total >= 19) return spending_type::spendthrift;
    return spending_type::unconflicted;
}

std::vector<spending_type> spending_proxy(std::span<const double> spend,
                                          std::span<const std::uint32_t> group, double low_q,
                                          double high_q) {
    const std::size_t n = spend.size();
    if (!group.empty() && group.size() != n)
        throw invalid_argument("group", "has " + std::to_string(group.size()) +
                                            " entries, spend has " + std::to_string(n));
    if (!(low_q >= 0 && low_q <= high_q && high_q <= 1))
        throw invalid_argument("quantiles", "need 0 <= low <= high <= 1, got " +
                                                detail::format_number(low_q) + " and " +
                                                detail::format_number(high_q));
    std::map<std::uint32_t, std::vector<double>> values;
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isnan(spend[i])) values[group.empty() ? 0 : group[i]].push_back(spend[i]);
    std::map<std::uint32_t, std::pair<double, double>> cut;
    for (auto& [g, group_values] : values) {
        std::vector<double>& v = group_values; // a lambda may not capture a binding (clang < 16)
        std::sort(v.begin(), v.end());
        auto q = [&v](double p) { // linear interpolation between order statistics (numpy)
            const double pos = p * static_cast<double>(v.size() - 1);
            const auto lo = static_cast<std::size_t>(pos);
            if (lo + 1 >= v.size()) return v[lo];
            return v[lo] + (v[lo + 1] - v[lo]) * (pos - static_cast<double>(lo));
        };
        cut[g] = {q(low_q), q(high_q)};
    }
    std::vector<spending_type> out(n, spending_type::unknown);
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(spend[i])) continue;
        const auto [lo, hi] = cut[group.empty() ? 0 : group[i]];
        out[i] = spend[i] < lo   ? spending_type::tightwad
                 : spend[i] > hi ? spending_type::spendthrift
                                 : spending_type::unconflicted;
    }
    return out;
}

// --- Churn reasons ----------------------------------------------------------------------------

churn_reason parse_churn_reason(std::string_view text, std::string_view what) {
    for (std::size_t k = 0; k < n_churn_reasons; ++k)
        if (text == reason_names[k]) return static_cast<churn_reason>(k);
    std::string list;
    for (const auto r : reason_names)
        list += (list.empty() ? "" : ", ") + std::string(r);
    throw data_error(std::string(what) + ": \"" + detail::excerpt(text) +
                     "\" is not a reason code (codes: " + list + ")");
}

goodness_of_fit chi_square_fit(std::span<const std::size_t> counts,
                               std::span<const double> reference,
                               std::span<const std::string_view> names, std::string_view argument) {
    const std::size_t k = counts.size();
    if (reference.size() != k || names.size() != k)
        throw invalid_argument(argument, "has " + std::to_string(reference.size()) +
                                             " shares, there are " + std::to_string(k) +
                                             " categories");
    double sum = 0.0;
    std::size_t positive = 0;
    for (std::size_t j = 0; j < k; ++j) {
        if (!(reference[j] >= 0 && reference[j] <= 1))
            throw invalid_argument(argument, std::string(names[j]) + ": share is " +
                                                 detail::format_number(reference[j]) +
                                                 " (must be >= 0 and <= 1)");
        sum += reference[j];
        positive += reference[j] > 0 ? 1 : 0;
    }
    if (std::abs(sum - 1.0) > 1e-6)
        throw invalid_argument(argument, "shares sum to " + detail::format_number(sum) + ", not 1");
    if (positive < 2)
        throw invalid_argument(argument, "needs at least two categories with a share > 0");
    goodness_of_fit f;
    f.expected.assign(k, 0.0);
    f.in_reference.assign(k, 0);
    for (std::size_t j = 0; j < k; ++j) {
        if (reference[j] > 0) {
            f.in_reference[j] = 1;
            f.tested_total += counts[j];
        } else {
            f.not_in_reference += counts[j];
            if (counts[j] > 0)
                f.warnings.push_back(std::string(names[j]) + ": " + std::to_string(counts[j]) +
                                     " answers not in the reference (share 0), left out of the "
                                     "test");
        }
    }
    if (f.tested_total == 0) {
        f.warnings.emplace_back("no answers in the reference's categories: nothing to test");
        return f;
    }
    f.tested = true;
    f.df = static_cast<int>(positive) - 1;
    for (std::size_t j = 0; j < k; ++j) {
        if (reference[j] <= 0) continue;
        const double e = static_cast<double>(f.tested_total) * reference[j];
        f.expected[j] = e;
        const double d = static_cast<double>(counts[j]) - e;
        f.chi_square += d * d / e;
        if (e < 5)
            f.warnings.push_back(std::string(names[j]) + ": expected count " +
                                 detail::format_short(e) +
                                 " is below 5; the chi-square p-value is approximate");
    }
    const boost::math::chi_squared_distribution<double> dist(f.df);
    f.p_value = boost::math::cdf(boost::math::complement(dist, f.chi_square));
    return f;
}

std::vector<double> churn_reference(std::string_view name, std::string_view argument) {
    // no_longer_needed, too_expensive, quality, service, competitor_offer, moved, other.
    if (name == "article") return {0.05, 0.0, 0.14, 0.68, 0.09, 0.03, 0.01};
    throw invalid_argument(argument,
                           "unknown reference \"" + std::string(name) + "\" (built in: article)",
                           std::string(name));
}

std::vector<double> spending_reference(std::string_view name, std::string_view argument) {
    if (name == "article") return {0.24, 0.61, 0.15};
    if (name == "quartiles") return {0.25, 0.5, 0.25};
    throw invalid_argument(
        argument, "unknown reference \"" + std::string(name) + "\" (built in: article, quartiles)",
        std::string(name));
}

std::vector<spending_type> spending_proxy_at(std::span<const double> spend,
                                             std::span<const std::uint32_t> group,
                                             std::span<const double> reference,
                                             std::optional<double> low_quantile,
                                             std::optional<double> high_quantile) {
    if (reference.size() != 3 || !(reference[0] >= 0 && reference[1] >= 0 && reference[2] >= 0) ||
        std::abs(reference[0] + reference[1] + reference[2] - 1.0) > 1e-6)
        throw invalid_argument("reference", "needs three shares >= 0 (tightwad, unconflicted, "
                                            "spendthrift) summing to 1");
    return spending_proxy(spend, group, low_quantile.value_or(reference[0]),
                          high_quantile.value_or(1.0 - reference[2]));
}

std::vector<double> read_churn_reference(const std::string& name_or_path,
                                         std::string_view argument) {
    if (name_or_path.empty()) return {};
    if (std::find(churn_reference_names.begin(), churn_reference_names.end(), name_or_path) !=
        churn_reference_names.end())
        return churn_reference(name_or_path, argument);
    return parse_churn_reference(read_text_file(name_or_path, argument), name_or_path, argument);
}

churn_reason_tally tally_churn_reasons(std::span<const churn_reason> answers,
                                       std::span<const double> reference) {
    churn_reason_tally t;
    for (const churn_reason r : answers) {
        const auto k = static_cast<std::size_t>(r);
        if (k >= n_churn_reasons)
            throw invalid_argument("answers",
                                   "reason code " + std::to_string(k) + " is out of range");
        ++t.count[k];
    }
    t.total = answers.size();
    for (std::size_t k = 0; k < n_churn_reasons; ++k)
        t.share[k] =
            t.total > 0 ? static_cast<double>(t.count[k]) / static_cast<double>(t.total) : 0.0;
    if (reference.empty()) return t;
    if (reference.size() != n_churn_reasons)
        throw invalid_argument("reference", "has " + std::to_string(reference.size()) +
                                                " shares, there are 7 reasons");
    const goodness_of_fit f = chi_square_fit(t.count, reference, reason_names, "reference");
    t.tested = f.tested;
    t.not_in_reference = f.not_in_reference;
    for (std::size_t k = 0; k < n_churn_reasons; ++k) {
        t.in_reference[k] = f.in_reference[k] != 0;
        t.expected[k] = f.expected[k];
    }
    t.chi_square = f.chi_square;
    t.df = f.df;
    t.p_value = f.p_value;
    t.warnings = f.warnings;
    return t;
}

// --- Signals file -----------------------------------------------------------------------------

tightwad_scores score_tightwad(std::span<const std::int64_t> describe,
                               std::span<const std::int64_t> trouble_limiting,
                               std::span<const std::int64_t> trouble_spending,
                               std::span<const std::int64_t> sale_scenario) {
    const std::size_t n = describe.size();
    if (trouble_limiting.size() != n || trouble_spending.size() != n || sale_scenario.size() != n)
        throw invalid_argument("tightwad_spendthrift", "the four items have different lengths");
    tightwad_scores s;
    s.total.resize(n);
    s.type.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const tightwad_answers t{
            static_cast<int>(describe[i]), static_cast<int>(trouble_limiting[i]),
            static_cast<int>(trouble_spending[i]), static_cast<int>(sale_scenario[i])};
        s.total[i] = tightwad_total(t, "row " + std::to_string(i));
        s.type[i] = spending_type_of(static_cast<int>(s.total[i]));
    }
    return s;
}

std::vector<churn_reason> parse_churn_reasons(std::span<const std::string> answers,
                                              std::string_view what) {
    std::vector<churn_reason> r;
    r.reserve(answers.size());
    for (std::size_t i = 0; i < answers.size(); ++i)
        r.push_back(
            parse_churn_reason(answers[i], std::string(what) + ": row " + std::to_string(i)));
    return r;
}

std::vector<double> parse_churn_reference(std::string_view json, const std::string& source,
                                          std::string_view argument) {
    const auto fields = json_number_members(json, source);
    std::vector<double> shares(n_churn_reasons, std::nan(""));
    for (const auto& [name, value] : fields)
        shares[static_cast<std::size_t>(parse_churn_reason(name, source))] = value;
    for (std::size_t k = 0; k < n_churn_reasons; ++k)
        if (std::isnan(shares[k]))
            throw invalid_argument(std::string(argument),
                                   source + ": no share for \"" +
                                       std::string(to_string(static_cast<churn_reason>(k))) + "\"");
    return shares;
}

namespace {

// match_customer_keys over any key type: `find(r)` is row r's customer, if any.
template <class Find> key_match match_rows(std::size_t n, std::size_t customers, Find find) {
    key_match m;
    m.id.assign(n, no_id);
    std::vector<std::size_t> first(customers, n); // row that first named each customer
    for (std::size_t r = 0; r < n; ++r) {
        const std::optional<entity_id> id = find(r);
        if (!id) {
            m.unmatched.push_back(r);
            continue;
        }
        m.id[r] = *id;
        if (first[*id] == n) {
            first[*id] = r;
        } else if (!m.repeated) {
            m.repeated = r;
            m.repeated_first = first[*id];
        }
    }
    return m;
}

} // namespace

key_match match_customer_keys(std::span<const std::string> keys, const key_index& customers) {
    return match_rows(keys.size(), customers.size(), [&](std::size_t r) {
        const std::string& key = keys[r];
        if (customers.type() == key_index::key_type::string)
            return customers.find(std::string_view(key));
        std::int64_t k = 0;
        const auto res = std::from_chars(key.data(), key.data() + key.size(), k);
        if (res.ec == std::errc() && res.ptr == key.data() + key.size()) return customers.find(k);
        return std::optional<entity_id>();
    });
}

key_match match_customer_keys(std::span<const std::int64_t> keys, const key_index& customers) {
    return match_rows(keys.size(), customers.size(), [&](std::size_t r) {
        if (customers.type() == key_index::key_type::string) return std::optional<entity_id>();
        return customers.find(keys[r]);
    });
}

key_match match_customer_keys(const key_index& keys, std::span<const entity_id> rows,
                              const key_index& customers) {
    if (keys.type() == key_index::key_type::string) {
        std::vector<std::string> text(rows.size());
        for (std::size_t r = 0; r < rows.size(); ++r)
            text[r] = std::string(keys.string_key(rows[r]));
        return match_customer_keys(text, customers);
    }
    std::vector<std::int64_t> ints(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
        ints[r] = keys.integer_keys()[rows[r]];
    return match_customer_keys(ints, customers);
}

namespace {

template <class T>
void scatter_to(const key_match& m, std::span<const double> v, std::vector<std::optional<T>>& out,
                std::string_view name) {
    if (v.empty()) return;
    if (v.size() != m.id.size())
        throw invalid_argument(name, "has " + std::to_string(v.size()) +
                                         " rows, the signals' customer column has " +
                                         std::to_string(m.id.size()));
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (m.id[i] == no_id || std::isnan(v[i])) continue;
        if (std::is_same_v<T, bool> && v[i] != 0 && v[i] != 1) {
            const std::string value = detail::format_number(v[i]);
            throw data_error(std::string(name) + ": row " + std::to_string(i) + ": value is " +
                                 value + " (must be 0, 1, True or False)",
                             error_context{std::string(name), i, {}, {}, value});
        }
        out[m.id[i]] = static_cast<T>(v[i]);
    }
}

} // namespace

void key_match::scatter(std::span<const double> values, std::vector<std::optional<double>>& out,
                        std::string_view name) const {
    scatter_to(*this, values, out, name);
}

void key_match::scatter(std::span<const double> values, std::vector<std::optional<bool>>& out,
                        std::string_view name) const {
    scatter_to(*this, values, out, name);
}

void key_match::check_unique(std::string_view argument, const key_index& customers) const {
    if (!repeated) return;
    const std::string key = customers.key_string(id[*repeated]);
    error_context where;
    where.argument = std::string(argument);
    where.row = *repeated;
    where.key = key;
    where.value = key;
    throw data_error(std::string(argument) + ": row " + std::to_string(*repeated) +
                         ": customer \"" + detail::excerpt(key) +
                         "\" appears twice (first in row " + std::to_string(repeated_first) + ")",
                     where);
}

namespace {

/// The numeric stated signals by their column names, the one list of `stated_signals_from`
/// and `read_signal_file`.
std::array<std::pair<std::string_view, std::vector<std::optional<double>>*>, 5>
numeric_signals(stated_signals& s) {
    return {{{"satisfaction", &s.satisfaction},
             {"recommend", &s.recommend},
             {"referrals", &s.referrals},
             {"complaints", &s.complaints},
             {"share_of_wallet", &s.share_of_wallet}}};
}

} // namespace

stated_signals
stated_signals_from(const key_match& rows, std::size_t customers,
                    std::span<const std::pair<std::string, std::span<const double>>> columns,
                    std::string_view argument) {
    stated_signals out(customers);
    const auto numbers = numeric_signals(out);
    const auto column = [&](std::string_view name) {
        for (const auto& [given, values] : columns)
            if (given == name) return values;
        return std::span<const double>{};
    };
    for (const auto& given : columns) {
        const std::string& name = given.first; // a lambda may not capture a binding (clang < 16)
        if (name != "has_alternative" &&
            std::none_of(numbers.begin(), numbers.end(),
                         [&](const auto& n) { return n.first == name; }))
            throw invalid_argument(argument, "unknown signal \"" + name + "\"", name);
    }
    for (const auto& [name, to] : numbers)
        rows.scatter(column(name), *to, name);
    rows.scatter(column("has_alternative"), out.has_alternative, "has_alternative");
    return out;
}

loyalty_rules read_loyalty_rules(const std::string& path, std::string_view argument) {
    if (path.empty()) return {};
    return parse_loyalty_rules(read_text_file(path, argument), path);
}

std::optional<signal_file> read_signal_file(const std::string& path, const key_index& customers,
                                            std::string_view argument) {
    if (path.empty()) return std::nullopt;
    return read_signal_file(read_csv_table(path, argument), customers);
}

signal_file read_signal_file(const csv_table& table, const key_index& customers) {
    const std::size_t n = customers.size();
    const auto key_col = table.find_column("customer_id");
    if (!key_col)
        throw parse_error(table.source, 1, "customer_id", "",
                          "no such column in the header (the customer keys)");
    signal_file out;
    out.stated = stated_signals(n);
    const auto col = [&](std::string_view name) { return table.find_column(name); };
    const auto c_seg = col("segment"), c_churn = col("churn_reason"),
               c_tickets = col("service_tickets");
    const std::array<std::optional<std::size_t>, 4> c_tw{
        col("tw_describe"), col("tw_trouble_limiting"), col("tw_trouble_spending"),
        col("tw_sale_scenario")};
    const std::size_t tw_given = static_cast<std::size_t>(
        std::count_if(c_tw.begin(), c_tw.end(), [](const auto& c) { return c.has_value(); }));
    if (tw_given != 0 && tw_given != 4)
        throw parse_error(table.source, 1, "tw_describe", "",
                          "give all four Tightwad-Spendthrift items (tw_describe, "
                          "tw_trouble_limiting, tw_trouble_spending, tw_sale_scenario) or none");
    if (c_seg) out.segment.assign(n, "");
    if (tw_given == 4) out.spending.assign(n, std::nullopt);
    if (c_tickets) out.service_tickets.assign(n, std::nullopt);
    const auto numeric = numeric_signals(out.stated);
    const char* const known[] = {"customer_id",         "satisfaction",    "recommend",
                                 "referrals",           "complaints",      "share_of_wallet",
                                 "has_alternative",     "segment",         "churn_reason",
                                 "service_tickets",     "tw_describe",     "tw_trouble_limiting",
                                 "tw_trouble_spending", "tw_sale_scenario"};
    for (const auto& name : table.header)
        if (std::find_if(std::begin(known), std::end(known),
                         [&](const char* k) { return name == k; }) == std::end(known))
            out.ignored.push_back(name);

    std::vector<std::string> keys(table.rows.size());
    for (std::size_t r = 0; r < table.rows.size(); ++r)
        keys[r] = table.rows[r][*key_col];
    const key_match match = match_customer_keys(keys, customers);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& row = table.rows[r];
        const std::size_t line = table.line[r];
        // An empty field is an unknown signal; anything else must be a finite number.
        auto number = [&](std::size_t c) -> std::optional<double> {
            const double x = parse_number_field(row[c], table.source, line, table.header[c],
                                                /*empty_is_missing=*/true);
            if (std::isnan(x)) return std::nullopt;
            return x;
        };
        if (c_churn && !row[*c_churn].empty()) {
            try {
                out.churn_answers.push_back(parse_churn_reason(row[*c_churn], "churn_reason"));
            } catch (const data_error& e) {
                throw parse_error(table.source, line, "churn_reason", row[*c_churn], e.what());
            }
        }
        const std::string& key = row[*key_col];
        const std::optional<entity_id> id =
            match.id[r] == no_id ? std::nullopt : std::optional<entity_id>(match.id[r]);
        if (!id) {
            out.unmatched.push_back(key);
            continue;
        }
        if (match.repeated == r)
            throw parse_error(table.source, line, "customer_id", key,
                              "customer appears twice (first on line " +
                                  std::to_string(table.line[match.repeated_first]) + ")");
        for (const auto& [name, dst] : numeric)
            if (const auto c = col(name)) (*dst)[*id] = number(*c);
        if (const auto c = col("has_alternative"); c && !row[*c].empty()) {
            const std::string& v = row[*c];
            if (v == "1" || v == "yes" || v == "true")
                out.stated.has_alternative[*id] = true;
            else if (v == "0" || v == "no" || v == "false")
                out.stated.has_alternative[*id] = false;
            else
                throw parse_error(table.source, line, "has_alternative", v,
                                  "expected 1/0, yes/no or true/false");
        }
        if (c_seg) out.segment[*id] = row[*c_seg];
        if (c_tickets) {
            out.service_tickets[*id] = number(*c_tickets);
            if (out.service_tickets[*id] && *out.service_tickets[*id] < 0)
                throw data_error(
                    "service_tickets: " + who(*id, &customers) + ": value is " +
                        detail::format_number(*out.service_tickets[*id]) + " (must be >= 0)",
                    at_customer("service_tickets", *id, &customers, *out.service_tickets[*id]));
        }
        if (tw_given == 4) {
            std::array<std::optional<double>, 4> a;
            std::size_t given = 0;
            for (std::size_t k = 0; k < 4; ++k) {
                a[k] = number(*c_tw[k]);
                if (a[k]) {
                    ++given;
                    if (*a[k] != std::floor(*a[k]) || std::abs(*a[k]) > 100)
                        throw parse_error(table.source, line, table.header[*c_tw[k]], row[*c_tw[k]],
                                          "not a whole answer");
                }
            }
            if (given != 0 && given != 4)
                throw parse_error(table.source, line, "tw_describe", "",
                                  who(*id, &customers) +
                                      ": answer all four Tightwad-Spendthrift items or none");
            if (given == 4) {
                const tightwad_answers t{static_cast<int>(*a[0]), static_cast<int>(*a[1]),
                                         static_cast<int>(*a[2]), static_cast<int>(*a[3])};
                tightwad_total(t, who(*id, &customers)); // checks the ranges
                out.spending[*id] = t;
            }
        }
    }
    out.stated.validate(n, &customers);
    return out;
}

std::vector<double> service_ticket_counts(const signal_file& signals) {
    std::vector<double> tickets;
    tickets.reserve(signals.service_tickets.size());
    for (const auto& t : signals.service_tickets)
        tickets.push_back(t.value_or(0.0)); // no ticket recorded: none raised
    return tickets;
}

namespace {

double share_of(std::size_t k, std::size_t n) {
    return n > 0 ? static_cast<double>(k) / static_cast<double>(n) : 0.0;
}

} // namespace

loyalty_overview loyalty_overview_of(const transaction_view& log, const behaviour_options& options,
                                     std::optional<signal_file> signals, const loyalty_rules& rules,
                                     std::span<const double> churn_reference,
                                     std::span<const double> spending_shares) {
    loyalty_overview a;
    a.behaviour = behaviour_signals_from(log, options);
    a.signals = std::move(signals);
    const std::size_t n = a.behaviour.size();
    const stated_signals none;
    a.labels = classify_loyalty(a.behaviour, a.signals ? a.signals->stated : none, rules,
                                log.customer_keys);
    for (std::size_t k = 0; k < n_loyalty_types; ++k)
        a.type_share[k] = share_of(a.labels.type_count[k], n);
    for (std::size_t k = 0; k < n_quadrants; ++k)
        a.quadrant_share[k] = share_of(a.labels.quadrant_count[k], n);
    std::vector<std::optional<double>> rec(n);
    if (a.signals) rec = a.signals->stated.recommend;
    a.nps = net_promoter(rec, a.signals ? std::span<const std::string>(a.signals->segment)
                                        : std::span<const std::string>{});

    // Spending: the questionnaire where answered, else the proxy (net revenue per purchase
    // day against the customers of the same segment).
    std::vector<double> spend(n, std::nan(""));
    for (std::size_t c = 0; c < n; ++c)
        if (a.behaviour.purchase_days[c] > 0)
            spend[c] = a.behaviour.revenue[c] / static_cast<double>(a.behaviour.purchase_days[c]);
    std::vector<std::uint32_t> group;
    if (a.signals && !a.signals->segment.empty()) {
        std::map<std::string, std::uint32_t> ids;
        for (const auto& s : a.signals->segment)
            group.push_back(ids.emplace(s, static_cast<std::uint32_t>(ids.size())).first->second);
    }
    a.spending_reference = spending_shares.empty() ? spending_reference("article")
                                                   : std::vector<double>(spending_shares.begin(),
                                                                         spending_shares.end());
    a.spending = spending_proxy_at(spend, group, a.spending_reference);
    a.proxy.assign(n, 1);
    if (a.signals && !a.signals->spending.empty())
        for (std::size_t c = 0; c < n; ++c)
            if (const auto& ans = a.signals->spending[c]) {
                a.spending[c] = spending_type_of(tightwad_total(*ans));
                a.proxy[c] = 0;
            }
    spending_tally& t = a.spending_counts;
    for (std::size_t c = 0; c < n; ++c) {
        const auto k = static_cast<std::size_t>(a.spending[c]);
        if (a.spending[c] == spending_type::unknown) {
            a.proxy[c] = 0;
            ++t.unknown;
        } else {
            ++(a.proxy[c] != 0 ? t.proxy : t.questionnaire)[k];
        }
    }
    for (std::size_t k = 0; k < 3; ++k) {
        t.questionnaire_total += t.questionnaire[k];
        t.proxy_total += t.proxy[k];
    }
    for (std::size_t k = 0; k < 3; ++k) {
        t.questionnaire_share[k] = share_of(t.questionnaire[k], t.questionnaire_total);
        t.proxy_share[k] = share_of(t.proxy[k], t.proxy_total);
    }
    if (t.questionnaire_total > 0) {
        static constexpr std::array<std::string_view, 3> types{"tightwad", "unconflicted",
                                                               "spendthrift"};
        a.spending_fit =
            chi_square_fit(t.questionnaire, a.spending_reference, types, "spending_reference");
    }
    a.churn =
        tally_churn_reasons(a.signals ? std::span<const churn_reason>(a.signals->churn_answers)
                                      : std::span<const churn_reason>{},
                            churn_reference);
    return a;
}

CUSTOMETRICS_END_NAMESPACE
