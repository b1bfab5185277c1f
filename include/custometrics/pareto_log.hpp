// The Pareto analysis of a transaction log: one indicator totalled per entity over a time
// window (entity_totals.hpp), ranked (pareto.hpp), with the whale curve for profit and, when an
// earlier window is given, the comparison of the two periods. `custometrics pareto` prints it
// with custometrics/output/pareto.hpp.
//
// The analysis covers the entities with a row in the window: they are ranked among
// themselves, so an entity without activity is neither ranked nor counted among those with a
// total <= 0. The result's entity ids (ranked and not ranked) are ids of `dimension_keys(log,
// d)`. The whale curve and the comparison use the same active entities (the comparison's
// earlier totals cover every entity of the log, 0 where inactive).
//
// Example: rows A 50, B 30, A -5 by customer, revenue, no window -> A 45 (rank 1), B 30;
// total 75, `pareto.cum_share` {0.6, 1.0}.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/entity_totals.hpp"
#include "custometrics/left_out.hpp"
#include "custometrics/pareto.hpp"
#include "custometrics/transactions.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The Pareto analysis of one indicator per entity of a log (see the file comment).
struct log_pareto {
    entity_totals_result totals;                 ///< per entity id over the window
    pareto_result pareto;                        ///< over the active entities, ids of the log
    std::optional<whale_result> whale;           ///< of profit only
    std::optional<period_comparison> comparison; ///< with the earlier window, when given
    /// The active entities not ranked (`pareto.nonpositive`, total <= 0 under
    /// `nonpositive_policy::separate`) as `value_not_positive` items with their totals
    /// (left_out.hpp), in the order of `pareto.nonpositive`.
    std::vector<left_out_item> left_out;
};

/// The Pareto analysis of measure `m` from its totals per entity over the window, `totals`, and
/// over the earlier window, `earlier` (one per entity id, as `entity_totals` gives them), when
/// given: what `pareto_of_log` and the bounded-memory `pareto_csv` (streaming.hpp) rank.
inline log_pareto pareto_of_totals(entity_totals_result totals, measure m,
                                   const std::vector<double>* earlier = nullptr,
                                   const pareto_options& options = {}) {
    log_pareto r;
    r.totals = std::move(totals);
    std::vector<double> values(r.totals.active.size());
    for (std::size_t k = 0; k < values.size(); ++k)
        values[k] = r.totals.value[r.totals.active[k]];
    r.pareto = pareto(values, options);
    for (auto& e : r.pareto.entity)
        e = r.totals.active[e];
    for (auto& e : r.pareto.nonpositive) {
        e = r.totals.active[e];
        r.left_out.push_back(
            {left_out_reason::value_not_positive, e, no_row, no_time, r.totals.value[e]});
    }
    if (m == measure::profit) r.whale = whale_curve(values, options.threads);
    if (earlier) r.comparison = compare_periods(*earlier, r.totals.value, options);
    return r;
}

/// The Pareto analysis of measure `m` by dimension `d` over `window` of `log`, compared with
/// `earlier` when given; `invalid_argument` as `entity_totals` when the log lacks a column, and
/// for a reversed window (`check_window`), both windows checked before any total.
inline log_pareto pareto_of_log(const transaction_log& log, dimension d, measure m,
                                const time_window& window = {},
                                const std::optional<time_window>& earlier = std::nullopt,
                                const pareto_options& options = {}) {
    check_window(window);
    if (earlier) check_window(*earlier);
    entity_totals_result now = entity_totals(log, d, m, window);
    if (!earlier) return pareto_of_totals(std::move(now), m, nullptr, options);
    const std::vector<double> before = entity_totals(log, d, m, *earlier).value;
    return pareto_of_totals(std::move(now), m, &before, options);
}

/// What a Pareto analysis of a CSV file ranks: the dimension, the measure, and the columns to
/// read for them (`resolve_pareto_axes`).
struct pareto_axes {
    dimension by = dimension::customer;
    measure what = measure::revenue;
    csv_columns columns;
};

/// The option names `resolve_pareto_axes` uses in its errors.
struct pareto_axes_names {
    std::string by = "by", what = "measure", product = "product", quantity = "quantity";
};

/// The dimension named `by` and the measure named `what` of a Pareto analysis of a CSV file read
/// with `columns`, as `custometrics pareto --by --measure` takes them: "customer", "product",
/// "channel" and "revenue", "profit", "quantity" name themselves; any other name is a column of
/// the file, read as the product key (`by`) or as the quantity (`what`), so that any key or
/// numeric column can be ranked. Throws `invalid_argument` naming `names.by` when `columns`
/// names another product column already ("by: region: cannot be combined with product sku"),
/// and `names.what` likewise for the quantity.
///
/// Example: by "region", what "revenue" -> {dimension::product, measure::revenue} with
/// columns.product "region".
inline pareto_axes resolve_pareto_axes(std::string_view by, std::string_view what,
                                       csv_columns columns, const pareto_axes_names& names = {}) {
    pareto_axes out{dimension::product, measure::quantity, std::move(columns)};
    auto as_column = [](std::string_view name, std::optional<std::string>& column,
                        const std::string& argument, const std::string& option) {
        if (column && *column != name)
            throw invalid_argument(argument, std::string(name) + ": cannot be combined with " +
                                                 option + " " + *column);
        column = std::string(name);
    };
    if (by == "customer")
        out.by = dimension::customer;
    else if (by == "channel")
        out.by = dimension::channel;
    else if (by != "product")
        as_column(by, out.columns.product, names.by, names.product);
    if (what == "revenue")
        out.what = measure::revenue;
    else if (what == "profit")
        out.what = measure::profit;
    else if (what != "quantity")
        as_column(what, out.columns.quantity, names.what, names.quantity);
    return out;
}

/// The header name of the key column that `axes.by` ranks: the customer column, else the
/// product or channel column as named in `axes.columns`, else its conventional name ("product",
/// "channel"). The faces name the entities' key after it. Example: `resolve_pareto_axes("region",
/// "revenue", {})` -> "region"; by "customer" with columns.customer "cust" -> "cust".
inline std::string key_column(const pareto_axes& axes) {
    switch (axes.by) {
    case dimension::product:
        return axes.columns.product.value_or("product");
    case dimension::channel:
        return axes.columns.channel.value_or("channel");
    case dimension::customer:
        break;
    }
    return axes.columns.customer;
}

CUSTOMETRICS_END_NAMESPACE
