// Each customer's own purchase rhythm (see custometrics/retention/rhythm.hpp).
#include "custometrics/retention/rhythm.hpp"

#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/loyalty.hpp"

#include <cmath>
#include <string>
#include <unordered_map>

CUSTOMETRICS_BEGIN_NAMESPACE

void rhythm_options::validate() const {
    using detail::format_number;
    if (min_purchases < 3)
        throw invalid_argument("min_purchases",
                               "must be >= 3 (a coefficient of variation needs two gaps), got " +
                                   std::to_string(min_purchases),
                               std::to_string(min_purchases));
    if (!(std::isfinite(max_cv) && max_cv >= 0))
        throw invalid_argument("max_cv",
                               "must be a finite number >= 0, got " + format_number(max_cv),
                               format_number(max_cv));
    if (!(std::isfinite(max_overdue_cycles) && max_overdue_cycles >= 0))
        throw invalid_argument("max_overdue_cycles",
                               "must be a finite number >= 0, got " +
                                   format_number(max_overdue_cycles),
                               format_number(max_overdue_cycles));
}

purchase_rhythm purchase_rhythm_of(const transaction_view& log, const rhythm_options& options) {
    options.validate();
    if (log.size() == 0) throw invalid_argument("log", "is empty");
    // The loyalty signals' purchase days, mean interval and CV of the gaps (one definition of
    // "regular" for both), measured to the log's last row.
    const behaviour_signals b = behaviour_signals_from(log);
    const std::int64_t end = b.observation_end;
    const std::int64_t end_day = day_of(end);
    const std::size_t n = b.size();
    purchase_rhythm r;
    r.options = options;
    r.purchase_days = b.purchase_days;
    r.mean_gap = b.mean_interval;
    r.gap_cv = b.regularity_cv;
    r.regular.assign(n, 0);
    r.last_purchase.assign(n, no_time);
    r.next_purchase.assign(n, no_time);
    for (std::size_t c = 0; c < n; ++c) {
        if (b.purchase_days[c] == 0) continue;
        r.last_purchase[c] =
            (end_day - static_cast<std::int64_t>(b.days_since_last[c])) * seconds_per_day;
        r.regular[c] = static_cast<std::size_t>(b.purchase_days[c]) >= options.min_purchases &&
                       r.gap_cv[c] <= options.max_cv; // false for NaN
        if (r.regular[c] == 0) continue;
        const auto gap = static_cast<std::int64_t>(std::llround(r.mean_gap[c] * seconds_per_day));
        const std::int64_t next = r.last_purchase[c] + gap;
        // On rhythm: at most max_overdue_cycles cycles past the own date at the log's end.
        if (static_cast<double>(end - next) <=
            options.max_overdue_cycles * static_cast<double>(gap))
            r.next_purchase[c] = next;
    }
    return r;
}

std::vector<std::int64_t> rhythm_dates(const transaction_view& log,
                                       std::span<const std::string> keys,
                                       const rhythm_options& options) {
    if (log.customer_keys == nullptr)
        throw invalid_argument("log", "has no customer keys to match the customers by");
    const purchase_rhythm r = purchase_rhythm_of(log, options);
    std::unordered_map<std::string, std::int64_t> by_key;
    by_key.reserve(r.size());
    for (std::size_t c = 0; c < r.size(); ++c)
        by_key.emplace(log.customer_keys->key_string(static_cast<entity_id>(c)),
                       r.next_purchase[c]);
    std::vector<std::int64_t> out(keys.size(), no_time);
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (const auto it = by_key.find(keys[i]); it != by_key.end()) out[i] = it->second;
    return out;
}

CUSTOMETRICS_END_NAMESPACE
