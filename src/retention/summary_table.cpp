// Reading a per-customer summary CSV back: the columns, keys, time axis and end (see
// custometrics/retention/summary_csv.hpp). Apart from what uses the summary (fits, scores in
// summary_csv.cpp), so that the reader alone can be fuzzed (tests/fuzz/fuzz_summary.cpp).
#include "custometrics/retention/summary_csv.hpp"

#include "custometrics/date.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/retention/units.hpp"

#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace {

std::size_t column_or_cal(const csv_table& t, const std::string& name) {
    if (const auto j = t.find_column(name)) return *j;
    if (const auto j = t.find_column(name + "_cal")) return *j;
    return t.column(name); // throws naming the columns there are
}

/// The value of a column that `summarize` writes the same on every row (time_unit,
/// unit_scale, observation_end, calibration_end), if the table has it; `parse_error` at the
/// first row that differs (filtering rows keeps them, mixing summaries does not).
std::optional<std::string> constant_column(const csv_table& t, std::string_view name) {
    const std::optional<std::size_t> j = t.find_column(name);
    if (!j || t.size() == 0) return std::nullopt;
    const std::string& first = t.rows[0][*j];
    for (std::size_t i = 1; i < t.size(); ++i)
        if (t.rows[i][*j] != first)
            throw parse_error(t.source, t.line[i], std::string(name), t.rows[i][*j],
                              "differs from the first row's \"" + first +
                                  "\" (one summary has one value)");
    return first;
}

/// The time axis of the summary: its columns, else the given values, else the `summarize`
/// defaults; a given value that contradicts a column is an error naming both.
summary_units units_of(const csv_table& t, const summary_axis& given) {
    std::optional<double> scale;
    if (constant_column(t, "unit_scale")) scale = t.number(0, *t.find_column("unit_scale"));
    return resolve_summary_units(
        constant_column(t, "time_unit"), scale,
        given.time_unit.empty() ? std::nullopt : std::optional<std::string>(given.time_unit),
        given.unit_scale, t.source, given.time_unit_argument, given.unit_scale_argument);
}

/// The date T is measured to: the summary's calibration_end (a calibration summary) or
/// observation_end column, else the given as_of; both and different is an error.
std::optional<std::int64_t> end_of(const csv_table& t, const summary_axis& given) {
    std::optional<std::string> column = constant_column(t, "calibration_end");
    std::string name = "calibration_end";
    if (!column) {
        column = constant_column(t, "observation_end");
        name = "observation_end";
    }
    std::optional<std::int64_t> in_file;
    if (column && !column->empty()) {
        const auto when = parse_time(*column);
        if (!when) throw parse_error(t.source, t.line[0], name, *column, "not a date");
        in_file = *when;
    }
    if (given.as_of.empty()) return in_file;
    const std::int64_t as_of = parse_time_or_throw(given.as_of, given.as_of_argument);
    if (in_file && *in_file != as_of)
        throw invalid_argument(given.as_of_argument, given.as_of + " contradicts the " + name +
                                                         " column " + *column + " of " + t.source);
    return as_of;
}

// The key column: `customer_id`, else none for a table of patterns (a `weights` column, as
// lifetimes' donation table: its rows are named "row 1", "row 2", ...), else the first column
// unless that one holds values (a column `summarize` or lifetimes writes), which would make
// counts or dates customer ids: then a `parse_error` at the header line naming the column found.
std::optional<std::size_t> key_column(const csv_table& t) {
    if (const auto j = t.find_column("customer_id")) return *j;
    if (t.find_column("weights")) return std::nullopt;
    static constexpr std::string_view value_columns[] = {"frequency",
                                                         "recency",
                                                         "T",
                                                         "monetary_value",
                                                         "frequency_cal",
                                                         "recency_cal",
                                                         "T_cal",
                                                         "monetary_value_cal",
                                                         "first_purchase",
                                                         "time_unit",
                                                         "unit_scale",
                                                         "observation_end",
                                                         "calibration_end",
                                                         "frequency_holdout",
                                                         "monetary_value_holdout",
                                                         "duration_holdout"};
    const std::string& first = t.header.empty() ? std::string() : t.header[0];
    for (const std::string_view v : value_columns)
        if (first == v)
            throw parse_error(t.source, t.header_line, "customer_id", first,
                              "no customer_id column, and the first column holds values, not "
                              "customer keys (add a customer_id column)");
    return 0;
}

// Throws `parse_error` at the second line of a customer that appears twice, naming the first.
void check_unique_keys(const csv_table& t, std::size_t key) {
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        const auto [it, fresh] = seen.emplace(t.rows[i][key], i);
        if (!fresh)
            throw parse_error(t.source, t.line[i], t.header[key], t.rows[i][key],
                              "customer \"" + detail::excerpt(t.rows[i][key]) +
                                  "\" is already on line " + std::to_string(t.line[it->second]) +
                                  " (a summary has one row per customer)");
    }
}

// A given as-of date must be a plausible end of the summary: not before any customer's first
// purchase, and not far after the end that a first purchase plus T implies (more than one day
// and one period of the summary's unit, the rounding of T; months count 30.44 days each).
void check_as_of(const summary_table& s, const summary_axis& given) {
    if (given.as_of.empty() || !s.end) return;
    const std::int64_t as_of = *s.end;
    // A unit scale so large that one period passes every supported date saturates the slack.
    const std::int64_t period = seconds_of_periods(1.0, s.units);
    const std::int64_t slack = period > std::numeric_limits<std::int64_t>::max() - seconds_per_day
                                   ? std::numeric_limits<std::int64_t>::max()
                                   : seconds_per_day + period;
    for (std::size_t i = 0; i < s.keys.size(); ++i) {
        const std::int64_t first = s.first_purchase[i];
        if (first == no_time || !std::isfinite(s.T[i]) || s.T[i] < 0) continue;
        const std::string where = " of customer " + s.keys[i] + " (" + s.path + ":" +
                                  std::to_string(s.table.line[i]) + ")";
        if (as_of < first)
            throw invalid_argument(given.as_of_argument,
                                   given.as_of + " is before the first purchase " +
                                       format_time(first) + where +
                                       ": give the date the summary was made to",
                                   given.as_of);
        // A T that ends after 9999 ends after any date the tool reads: the as-of date is not
        // after it.
        const std::int64_t implied = time_after(first, s.T[i], s.units);
        if (implied == no_time) continue;
        if (as_of - implied > slack)
            throw invalid_argument(
                given.as_of_argument,
                given.as_of + " is " + std::to_string((as_of - implied) / seconds_per_day) +
                    " days after the end " + format_time(implied) + " that the first purchase " +
                    format_time(first) + " and T " + detail::format_number(s.T[i]) + where +
                    " give: give the date the summary was made to",
                given.as_of);
    }
}

} // namespace

summary_table read_summary_csv(const std::string& path, bool need_money,
                               const summary_axis& given) {
    return summary_from_table(read_csv_table(path), path, need_money, given);
}

summary_table summary_from_table(csv_table table, const std::string& path, bool need_money,
                                 const summary_axis& given) {
    summary_table s;
    s.path = path;
    s.table = std::move(table);
    const csv_table& t = s.table;
    if (t.size() == 0) throw invalid_argument(path + ": the summary has no customers");
    const std::optional<std::size_t> key = key_column(t);
    const std::size_t jx = column_or_cal(t, "frequency");
    const std::size_t jtx = column_or_cal(t, "recency");
    std::optional<std::size_t> jn; // lifetimes' names of BG/BB's opportunities
    if (!t.find_column("T") && !t.find_column("T_cal"))
        jn = t.find_column("n_periods") ? t.find_column("n_periods") : t.find_column("periods");
    const std::size_t jT = jn ? *jn : column_or_cal(t, "T");
    const std::optional<std::size_t> jw = t.find_column("weights");
    const std::optional<std::size_t> jh = t.find_column("frequency_holdout");
    const std::optional<std::size_t> jm =
        need_money ? std::optional<std::size_t>(column_or_cal(t, "monetary_value"))
                   : t.find_column("monetary_value");
    const std::optional<std::size_t> jfirst = t.find_column("first_purchase");
    const std::size_t n = t.size();
    s.keys.resize(n);
    s.x.resize(n);
    s.tx.resize(n);
    s.T.resize(n);
    if (jm) s.m.resize(n);
    if (jw) s.weights.resize(n);
    if (jh) s.holdout.resize(n);
    s.first_purchase.assign(n, no_time);
    for (std::size_t i = 0; i < n; ++i) {
        s.keys[i] = key ? t.rows[i][*key] : "row " + std::to_string(i + 1);
        s.x[i] = t.number(i, jx);
        s.tx[i] = t.number(i, jtx);
        s.T[i] = t.number(i, jT);
        if (jm) s.m[i] = t.number(i, *jm);
        if (jw) s.weights[i] = t.number(i, *jw);
        if (jh) s.holdout[i] = t.number(i, *jh);
        if (jfirst && !t.rows[i][*jfirst].empty()) {
            const auto when = parse_time(t.rows[i][*jfirst]);
            if (!when)
                throw parse_error(path, t.line[i], "first_purchase", t.rows[i][*jfirst],
                                  "not a date");
            s.first_purchase[i] = *when;
        }
    }
    if (constant_column(t, "duration_holdout"))
        s.duration_holdout = t.number(0, *t.find_column("duration_holdout"));
    s.units = units_of(t, given);
    s.end = end_of(t, given);
    // After the columns that must hold one value: two summaries pasted together are named as
    // such (a time_unit that differs) before their repeated customers.
    if (key) check_unique_keys(t, *key);
    check_as_of(s, given);
    return s;
}

CUSTOMETRICS_END_NAMESPACE
