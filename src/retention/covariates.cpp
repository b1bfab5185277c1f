// Time-invariant covariates for the purchase models (see covariates.hpp).
#include "custometrics/retention/covariates.hpp"

#include "custometrics/retention/covariate_partition.hpp"

#include "custometrics/csv_table.hpp"
#include "custometrics/detail/format.hpp"
#include "custometrics/error.hpp"
#include "custometrics/number.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <string_view>
#include <unordered_map>
#include <variant>

CUSTOMETRICS_BEGIN_NAMESPACE

using detail::format_number;

namespace {

// The most model parameters (GGompertz/NBD's five); the others use the first four.
constexpr std::size_t max_model_params = 5;

// How a process moves the model's parameters: q_j = p_j exp(sign_j g' z) for the j with
// sign_j != 0 (file comment of covariates.hpp).
struct process_signs {
    std::array<double, max_model_params> life;
    std::array<double, max_model_params> trans;
};

process_signs signs_of(purchase_model_kind kind) {
    // Order: (r, alpha, s, beta), (r, alpha, a, b) or (r, alpha, b, s, beta).
    if (kind == purchase_model_kind::pareto_nbd) return {{0, 0, 0, -1, 0}, {0, -1, 0, 0, 0}};
    // CLVTools src/ggomnbd.cpp 474-488 (see covariates.hpp)
    if (kind == purchase_model_kind::ggom_nbd) return {{0, 0, 0, 0, -1}, {0, -1, 0, 0, 0}};
    return {{0, 0, 1, 1, 0}, {0, -1, 0, 0, 0}};
}

// Each row's log L and gradient in the customer's own parameters q for rows [i, e), which share
// q, into out[0 .. e - i) (unweighted): Pareto/NBD and GGompertz/NBD share the work of rows with
// equal x over the run; BG/NBD and MBG/NBD, with closed forms, go row by row.
void row_logliks(purchase_model_kind kind, const std::array<double, max_model_params>& q,
                 std::span<const double> x, std::span<const double> tx, std::span<const double> T,
                 std::size_t i, std::size_t e, std::span<ggom_nbd_loglik> out) {
    switch (kind) {
    case purchase_model_kind::pareto_nbd: {
        std::vector<pareto_nbd_loglik> rows(e - i);
        detail::pareto_nbd_row_logliks({q[0], q[1], q[2], q[3]}, x, tx, T, i, e, rows);
        for (std::size_t k = 0; k < rows.size(); ++k)
            out[k] = {rows[k].value,
                      {rows[k].gradient[0], rows[k].gradient[1], rows[k].gradient[2],
                       rows[k].gradient[3], 0.0}};
        return;
    }
    case purchase_model_kind::ggom_nbd:
        detail::ggom_nbd_row_logliks({q[0], q[1], q[2], q[3], q[4]}, x, tx, T, i, e, out);
        return;
    case purchase_model_kind::bg_nbd:
    case purchase_model_kind::mbg_nbd:
        break;
    }
    const std::array<double, 1> one{1.0};
    for (std::size_t k = i; k < e; ++k) {
        double ll = 0.0;
        std::array<double, 4> g{};
        // the row alone, weight 1: spans starting at row k
        const auto row = [&](std::span<const double> v) { return v.subspan(k, 1); };
        if (kind == purchase_model_kind::bg_nbd)
            detail::bg_nbd_add_loglik({q[0], q[1], q[2], q[3]}, row(x), row(tx), row(T), one, 0,
                                      1, ll, g);
        else
            detail::mbg_nbd_add_loglik({q[0], q[1], q[2], q[3]}, row(x), row(tx), row(T), one, 0,
                                       1, ll, g);
        out[k - i] = {ll, {g[0], g[1], g[2], g[3], 0.0}};
    }
}

// The per-customer parameters and the chain rule, for rows [begin, end) of weights w (customers
// sharing the row; adds w_i ll_i and its gradient). `params` holds
// the four model parameters then the design's coefficients; `grad` the same layout. `each`, when
// not empty, receives every customer's ll_i. Consecutive rows with equal covariate rows (the
// fit's compressed rows come grouped so, sorted by x within a group) share their parameters,
// so the model's row values come from one call per run, which shares the per-x and per-T work
// of the rows as the fits without covariates do; the sums and the chain rule still run row by
// row, in the order of the rows.
void add_covariate_loglik(purchase_model_kind kind, std::span<const double> params,
                          std::span<const double> x, std::span<const double> tx,
                          std::span<const double> T, std::span<const double> w,
                          const covariate_design& d, std::size_t begin, std::size_t end, double& ll,
                          std::span<double> grad, std::span<double> each = {}) {
    const process_signs s = signs_of(kind);
    const std::size_t m = parameter_names(kind).size();
    const auto kl = static_cast<Eigen::Index>(d.life_names.size());
    const auto kt = static_cast<Eigen::Index>(d.trans_names.size());
    const std::span<const double> coef = params.subspan(m);
    auto same_row = [&](std::size_t a, std::size_t b) {
        const auto A = static_cast<Eigen::Index>(a);
        const auto B = static_cast<Eigen::Index>(b);
        return d.life.row(A) == d.life.row(B) && d.trans.row(A) == d.trans.row(B);
    };
    std::vector<ggom_nbd_loglik> rows;
    for (std::size_t i = begin; i < end;) {
        std::size_t e = i + 1;
        while (e < end && same_row(e, i))
            ++e;
        const auto I = static_cast<Eigen::Index>(i);
        double eta_life = 0.0;
        double eta_trans = 0.0;
        for (Eigen::Index k = 0; k < kl; ++k)
            eta_life += d.life(I, k) * coef[d.life_coefficient[static_cast<std::size_t>(k)]];
        for (Eigen::Index k = 0; k < kt; ++k)
            eta_trans += d.trans(I, k) * coef[d.trans_coefficient[static_cast<std::size_t>(k)]];
        std::array<double, max_model_params> q{};
        for (std::size_t j = 0; j < m; ++j)
            q[j] = params[j] * std::exp(s.life[j] * eta_life + s.trans[j] * eta_trans);
        rows.resize(e - i);
        row_logliks(kind, q, x, tx, T, i, e, rows);
        for (std::size_t r = i; r < e; ++r) {
            const auto R = static_cast<Eigen::Index>(r);
            const ggom_nbd_loglik& l = rows[r - i];
            const double lli = w[r] * l.value;
            ll += lli;
            if (!each.empty()) each[r] = lli;
            // d ll / d p_j = d ll / d q_j * q_j / p_j; the process terms q_j d ll / d q_j.
            double life_term = 0.0;
            double trans_term = 0.0;
            for (std::size_t j = 0; j < m; ++j) {
                const double g = w[r] * l.gradient[j];
                grad[j] += g * q[j] / params[j];
                life_term += s.life[j] * q[j] * g;
                trans_term += s.trans[j] * q[j] * g;
            }
            for (Eigen::Index k = 0; k < kl; ++k)
                grad[m + d.life_coefficient[static_cast<std::size_t>(k)]] +=
                    d.life(R, k) * life_term;
            for (Eigen::Index k = 0; k < kt; ++k)
                grad[m + d.trans_coefficient[static_cast<std::size_t>(k)]] +=
                    d.trans(R, k) * trans_term;
        }
        i = e;
    }
}

// The customers of a covariate fit as distinct rows (x, t_x, T, life row, trans row), each
// weighted by the customers sharing it. Customers are grouped by their covariate rows (a linear
// scan over the groups found, so categorical and binary covariates cost a comparison or two per
// customer), then each group's (x, t_x, T) compressed as the fits without covariates do
// (fit.hpp `detail::compress_rows`). With more than `max_groups` distinct covariate rows
// (continuous covariates) compression would gain little: the customers stay one row each.
// The likelihood is a sum over customers, so the weighted sum over rows is the same up to the
// order of the additions.
struct covariate_rows {
    std::vector<double> x, tx, T, weight;
    covariate_design design; ///< the rows' life and trans values; the input's names and layout
};

covariate_rows compress_customers(std::span<const double> x, std::span<const double> tx,
                                  std::span<const double> T, const covariate_design& d) {
    constexpr std::size_t max_groups = 256;
    const std::size_t n = x.size();
    const Eigen::Index kl = d.life.cols();
    const Eigen::Index kt = d.trans.cols();
    auto same = [&](std::size_t a, std::size_t b) {
        const auto A = static_cast<Eigen::Index>(a);
        const auto B = static_cast<Eigen::Index>(b);
        for (Eigen::Index k = 0; k < kl; ++k)
            if (d.life(A, k) != d.life(B, k)) return false;
        for (Eigen::Index k = 0; k < kt; ++k)
            if (d.trans(A, k) != d.trans(B, k)) return false;
        return true;
    };
    std::vector<std::size_t> first; // a customer of each group
    std::vector<std::uint32_t> group(n);
    bool compress = true;
    for (std::size_t i = 0, last = 0; i < n && compress; ++i) {
        if (!first.empty() && same(i, first[last])) {
            group[i] = static_cast<std::uint32_t>(last);
            continue;
        }
        std::size_t g = 0;
        while (g < first.size() && !same(i, first[g]))
            ++g;
        if (g == first.size()) {
            compress = first.size() < max_groups;
            first.push_back(i);
        }
        group[i] = static_cast<std::uint32_t>(g);
        last = g;
    }
    covariate_rows out;
    out.design = d;
    if (!compress) {
        out.x.assign(x.begin(), x.end());
        out.tx.assign(tx.begin(), tx.end());
        out.T.assign(T.begin(), T.end());
        out.weight.assign(n, 1.0);
        return out;
    }
    // The groups in the order of their covariate rows (lexicographic), not of first appearance:
    // the sums, so the fit, do not depend on the customers' order (Spark collects them in any).
    auto row_less = [&](std::size_t a, std::size_t b) {
        const auto A = static_cast<Eigen::Index>(a);
        const auto B = static_cast<Eigen::Index>(b);
        for (Eigen::Index k = 0; k < kl; ++k)
            if (d.life(A, k) != d.life(B, k)) return d.life(A, k) < d.life(B, k);
        for (Eigen::Index k = 0; k < kt; ++k)
            if (d.trans(A, k) != d.trans(B, k)) return d.trans(A, k) < d.trans(B, k);
        return false;
    };
    std::vector<std::uint32_t> order(first.size());
    for (std::size_t g = 0; g < order.size(); ++g)
        order[g] = static_cast<std::uint32_t>(g);
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return row_less(first[a], first[b]); });
    std::vector<std::uint32_t> rank(first.size());
    std::vector<std::size_t> sorted_first(first.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        rank[order[k]] = static_cast<std::uint32_t>(k);
        sorted_first[k] = first[order[k]];
    }
    first = std::move(sorted_first);
    for (std::uint32_t& g : group)
        g = rank[g];
    // The customers in group order (a counting sort), then each group compressed.
    std::vector<std::size_t> start(first.size() + 1, 0);
    for (const std::uint32_t g : group)
        ++start[g + 1];
    for (std::size_t g = 0; g < first.size(); ++g)
        start[g + 1] += start[g];
    std::vector<double> gx(n), gtx(n), gT(n);
    std::vector<std::size_t> at(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t j = at[group[i]]++;
        gx[j] = x[i];
        gtx[j] = tx[i];
        gT[j] = T[i];
    }
    std::vector<std::size_t> life_row;
    for (std::size_t g = 0; g < first.size(); ++g) {
        const std::size_t b = start[g];
        const std::size_t len = start[g + 1] - b;
        const compressed_summary rows =
            detail::compress_rows(std::span<const double>(gx).subspan(b, len),
                                  std::span<const double>(gtx).subspan(b, len),
                                  std::span<const double>(gT).subspan(b, len), {}, 64);
        out.x.insert(out.x.end(), rows.frequency.begin(), rows.frequency.end());
        out.tx.insert(out.tx.end(), rows.recency.begin(), rows.recency.end());
        out.T.insert(out.T.end(), rows.T.begin(), rows.T.end());
        out.weight.insert(out.weight.end(), rows.weight.begin(), rows.weight.end());
        life_row.insert(life_row.end(), rows.size(), first[g]);
    }
    const auto m = static_cast<Eigen::Index>(life_row.size());
    out.design.life.resize(m, kl);
    out.design.trans.resize(m, kt);
    for (Eigen::Index r = 0; r < m; ++r) {
        const auto i = static_cast<Eigen::Index>(life_row[static_cast<std::size_t>(r)]);
        out.design.life.row(r) = d.life.row(i);
        out.design.trans.row(r) = d.trans.row(i);
    }
    return out;
}

// The options of a covariate fit with its start: the caller's, else the optimum of the model
// without covariates (on the customers' distinct (x, t_x, T) rows, cheap) with every
// coefficient 0, i.e. the covariate model's restriction g = 0. That start is where the
// covariate likelihood equals the plain model's maximum, so L-BFGS begins near the optimum
// (on apparel the GGompertz/NBD covariate fit needs about half the evaluations of the default
// start, whose parameters are far from the data's). A plain fit that fails (or gives a
// non-finite value) leaves the model's default start.
fit_options warm_start(purchase_model_kind kind, std::span<const double> x,
                       std::span<const double> tx, std::span<const double> T,
                       const fit_options& options, const covariate_design& d) {
    fit_options o = options;
    if (!o.initial.empty()) return o;
    try {
        const fit_result plain =
            fit_purchase_model(kind, detail::compress_rows(x, tx, T, {}, 64), options);
        if (!std::all_of(plain.params.begin(), plain.params.end(),
                         [](double v) { return v > 0 && std::isfinite(v); }))
            return o;
        o.initial = plain.params;
        o.initial.resize(plain.params.size() + d.coefficient_names.size(), 0.0);
    } catch (const error&) {
        o.initial.clear();
    }
    return o;
}

void check_lengths(std::size_t n, std::span<const double> tx, std::span<const double> T,
                   const covariate_design& d) {
    if (tx.size() != n || T.size() != n)
        throw invalid_argument("recency", "frequency, recency and T have different lengths");
    if (d.customers() != n || static_cast<std::size_t>(d.trans.rows()) != n)
        throw invalid_argument("covariates", "the design has " + std::to_string(d.customers()) +
                                                 " customers, the summary " + std::to_string(n));
}

void check_params(purchase_model_kind kind, std::span<const double> params,
                  const covariate_design& d) {
    const std::size_t m = parameter_names(kind).size();
    if (params.size() != m + d.coefficient_names.size())
        throw invalid_argument("params", std::to_string(params.size()) + " values for " +
                                             std::to_string(m + d.coefficient_names.size()) +
                                             " parameters");
    for (std::size_t j = 0; j < m; ++j)
        if (!(params[j] > 0) || !std::isfinite(params[j]))
            throw invalid_argument("params", "parameter " + std::to_string(j) + " = " +
                                                 format_number(params[j]) +
                                                 " is not a positive finite number");
    for (std::size_t j = m; j < params.size(); ++j)
        if (!std::isfinite(params[j]))
            throw invalid_argument("params", d.coefficient_names[j - m] + " = " +
                                                 format_number(params[j]) + " is not finite");
}

// Splits a coded name "<column>=<level>" into its parts (no '=': the column alone).
std::pair<std::string, std::string> split_coded(const std::string& name) {
    const auto eq = name.find('=');
    if (eq == std::string::npos) return {name, {}};
    return {name.substr(0, eq), name.substr(eq + 1)};
}

// The key -> table row index, refusing duplicates.
std::unordered_map<std::string, std::size_t> index_keys(const covariate_table& table) {
    std::unordered_map<std::string, std::size_t> at;
    at.reserve(table.keys.size());
    for (std::size_t r = 0; r < table.keys.size(); ++r)
        if (!at.emplace(table.keys[r], r).second)
            throw data_error("covariates: customer " + table.keys[r] + " has two rows",
                             error_context{"covariates", r, table.keys[r], {}, {}});
    for (const covariate_column& c : table.columns) {
        const std::size_t len = c.is_categorical() ? c.labels.size() : c.values.size();
        if (len != table.keys.size())
            throw invalid_argument("covariates", "column " + c.name + " has " +
                                                     std::to_string(len) + " values for " +
                                                     std::to_string(table.keys.size()) + " keys");
    }
    return at;
}

const covariate_column& column_named(const covariate_table& table, const std::string& name) {
    for (const covariate_column& c : table.columns)
        if (c.name == name) return c;
    std::string there;
    for (const covariate_column& c : table.columns)
        there += (there.empty() ? "" : ", ") + c.name;
    throw invalid_argument("covariates: no column " + name + " (columns: " + there + ")",
                           error_context{"covariates", std::nullopt, {}, name, {}});
}

// The table's rows for the customers `keys`: a customer without a row names its key.
std::vector<std::size_t> rows_for(const covariate_table& table, std::span<const std::string> keys) {
    const auto at = index_keys(table);
    std::vector<std::size_t> rows(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto it = at.find(keys[i]);
        if (it == at.end())
            throw data_error("covariates: customer " + keys[i] + " has no covariate row",
                             error_context{"covariates", i, keys[i], {}, {}});
        rows[i] = it->second;
    }
    return rows;
}

// One coded column: a numeric column as it is, or the indicator of `level` of a categorical one
// (labels must be the reference or one of `levels`).
struct coded_column {
    std::string name;
    const covariate_column* source;
    std::string level; ///< empty for a numeric column
};

Eigen::VectorXd fill_column(const coded_column& c, const covariate_table& table,
                            const std::vector<std::size_t>& rows,
                            const std::set<std::string>* allowed) {
    Eigen::VectorXd v(static_cast<Eigen::Index>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::size_t r = rows[i];
        double value = 0.0;
        if (c.level.empty()) {
            value = c.source->values[r];
            if (!std::isfinite(value))
                throw data_error("covariates: customer " + table.keys[r] + ": " + c.source->name +
                                     " = " + format_number(value) + " is not finite",
                                 error_context{"covariates", i, table.keys[r], c.source->name,
                                               format_number(value)});
        } else {
            const std::string& label = c.source->labels[r];
            if (allowed && !allowed->contains(label))
                throw data_error(
                    "covariates: customer " + table.keys[r] + ": " + c.source->name + " = " +
                        label + " is not a level of the fitted model",
                    error_context{"covariates", i, table.keys[r], c.source->name, label});
            value = label == c.level ? 1.0 : 0.0;
        }
        v[static_cast<Eigen::Index>(i)] = value;
    }
    return v;
}

void check_penalizer(double c, const char* argument) {
    if (!(c >= 0) || !std::isfinite(c))
        throw invalid_argument(argument, format_number(c) + " is not a non-negative finite number");
}

} // namespace

covariate_table covariate_table_from_text(std::span<const std::string> header,
                                          std::span<const std::vector<std::string>> rows,
                                          std::string_view key_column) {
    const auto key_it = std::find(header.begin(), header.end(), key_column);
    if (key_it == header.end())
        throw invalid_argument("covariates", "no " + std::string(key_column) + " column");
    const auto key = static_cast<std::size_t>(key_it - header.begin());
    covariate_table t;
    t.keys.reserve(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (rows[r].size() != header.size())
            throw data_error("covariates: row " + std::to_string(r) + " has " +
                                 std::to_string(rows[r].size()) + " fields, the header " +
                                 std::to_string(header.size()),
                             error_context{"covariates", r, {}, {}, {}});
        t.keys.push_back(rows[r][key]);
    }
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (c == key) continue;
        covariate_column col;
        col.name = header[c];
        std::vector<double> values(rows.size());
        bool numeric = true;
        for (std::size_t r = 0; r < rows.size() && numeric; ++r)
            numeric = read_number(rows[r][c], values[r]) == number_status::ok;
        if (numeric && !rows.empty()) {
            col.values = std::move(values);
        } else {
            col.labels.reserve(rows.size());
            for (const auto& row : rows)
                col.labels.push_back(row[c]);
        }
        t.columns.push_back(std::move(col));
    }
    return t;
}

covariate_table read_covariates_csv(const std::string& path, std::string_view key_column) {
    const csv_table t = read_csv_table(path);
    if (!t.find_column(key_column))
        throw invalid_argument("covariates",
                               path + " has no " + std::string(key_column) + " column", path);
    return covariate_table_from_text(t.header, t.rows, key_column);
}

void check_covariate_request(const covariate_spec& spec, bool has_table) {
    std::string names; // the names given, for the value field
    for (const auto* list : {&spec.life, &spec.trans, &spec.constrained})
        for (const std::string& n : *list)
            names += (names.empty() ? "" : ",") + n;
    if (!names.empty() && !has_table)
        throw invalid_argument("covariates",
                               "the covariates named for the lifetime and transaction processes "
                               "come from a covariate table: give it",
                               names);
    if (names.empty() && has_table)
        throw invalid_argument("life", "no covariate named for either process (name the "
                                       "covariates of the lifetime and/or transaction process)");
}

covariate_design design_covariates(const covariate_table& table, std::span<const std::string> keys,
                                   const covariate_spec& spec) {
    check_penalizer(spec.life_penalizer, "life_penalizer");
    check_penalizer(spec.trans_penalizer, "trans_penalizer");
    check_covariate_request(spec, true);
    const std::vector<std::size_t> rows = rows_for(table, keys);
    // A constrained column is on both processes whether listed there or not.
    auto with_constrained = [&](const std::vector<std::string>& names, const char* argument) {
        std::vector<std::string> out;
        for (const std::string& n : names) {
            if (std::find(out.begin(), out.end(), n) != out.end())
                throw invalid_argument(argument, "covariate " + n + " named twice", n);
            out.push_back(n);
        }
        for (const std::string& n : spec.constrained)
            if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
        return out;
    };
    const std::vector<std::string> life = with_constrained(spec.life, "life");
    const std::vector<std::string> trans = with_constrained(spec.trans, "trans");

    covariate_design d;
    // Codes one process's columns (categorical -> dummies of every non-reference level).
    std::set<std::string> referenced;
    auto code = [&](const std::vector<std::string>& names) {
        std::vector<coded_column> out;
        for (const std::string& n : names) {
            const covariate_column& c = column_named(table, n);
            if (!c.is_categorical()) {
                out.push_back({n, &c, {}});
                continue;
            }
            std::set<std::string> levels;
            for (const std::size_t r : rows)
                levels.insert(c.labels[r]);
            auto it = levels.begin();
            if (referenced.insert(n).second) d.reference_levels.emplace_back(n, *it);
            for (++it; it != levels.end(); ++it)
                out.push_back({n + "=" + *it, &c, *it});
        }
        return out;
    };
    const std::vector<coded_column> cl = code(life);
    const std::vector<coded_column> ct = code(trans);
    const auto n = static_cast<Eigen::Index>(keys.size());
    d.life.resize(n, static_cast<Eigen::Index>(cl.size()));
    d.trans.resize(n, static_cast<Eigen::Index>(ct.size()));
    auto is_constrained = [&](const coded_column& c) {
        return std::find(spec.constrained.begin(), spec.constrained.end(), c.source->name) !=
               spec.constrained.end();
    };
    // Coefficient layout, CLVTools' order: life.*, trans.*, constr.*.
    std::vector<std::string> constrained_names;
    for (const coded_column& c : cl)
        if (is_constrained(c)) constrained_names.push_back(c.name);
    // One process's coded columns, their coefficients (a constrained one's comes below).
    auto lay_out = [&](const std::vector<coded_column>& cols, std::vector<std::string>& names,
                       Eigen::MatrixXd& values, std::vector<std::size_t>& coefficient,
                       const char* prefix, double penalizer) {
        for (std::size_t k = 0; k < cols.size(); ++k) {
            names.push_back(cols[k].name);
            values.col(static_cast<Eigen::Index>(k)) = fill_column(cols[k], table, rows, nullptr);
            if (is_constrained(cols[k])) {
                coefficient.push_back(static_cast<std::size_t>(-1));
                continue;
            }
            coefficient.push_back(d.coefficient_names.size());
            d.coefficient_names.push_back(prefix + cols[k].name);
            d.coefficient_penalizers.push_back(penalizer);
        }
    };
    lay_out(cl, d.life_names, d.life, d.life_coefficient, "life.", spec.life_penalizer);
    lay_out(ct, d.trans_names, d.trans, d.trans_coefficient, "trans.", spec.trans_penalizer);
    for (const std::string& c : constrained_names) {
        const std::size_t at = d.coefficient_names.size();
        d.coefficient_names.push_back("constr." + c);
        d.coefficient_penalizers.push_back(spec.life_penalizer + spec.trans_penalizer);
        for (std::size_t k = 0; k < cl.size(); ++k)
            if (cl[k].name == c) d.life_coefficient[k] = at;
        for (std::size_t k = 0; k < ct.size(); ++k)
            if (ct[k].name == c) d.trans_coefficient[k] = at;
    }
    d.life_penalizer = spec.life_penalizer;
    d.trans_penalizer = spec.trans_penalizer;
    return d;
}

loglik_gradient covariate_log_likelihood(purchase_model_kind kind, std::span<const double> params,
                                         std::span<const double> x, std::span<const double> tx,
                                         std::span<const double> T,
                                         const covariate_design& design) {
    check_lengths(x.size(), tx, T, design);
    check_params(kind, params, design);
    const std::vector<double> ones(x.size(), 1.0);
    loglik_gradient out;
    out.gradient.assign(params.size(), 0.0);
    add_covariate_loglik(kind, params, x, tx, T, ones, design, 0, x.size(), out.value,
                         out.gradient);
    return out;
}

std::vector<double> covariate_log_likelihoods(purchase_model_kind kind,
                                              std::span<const double> params,
                                              std::span<const double> x, std::span<const double> tx,
                                              std::span<const double> T,
                                              const covariate_design& design) {
    check_lengths(x.size(), tx, T, design);
    check_params(kind, params, design);
    const std::vector<double> ones(x.size(), 1.0);
    std::vector<double> each(x.size());
    std::vector<double> grad(params.size());
    double ll = 0.0;
    add_covariate_loglik(kind, params, x, tx, T, ones, design, 0, x.size(), ll, grad, each);
    return each;
}

covariate_fit fit_with_covariates(purchase_model_kind kind, std::span<const double> x,
                                  std::span<const double> tx, std::span<const double> T,
                                  const covariate_design& design, const fit_options& options) {
    const std::size_t n = x.size();
    check_lengths(n, tx, T, design);
    if (n == 0) throw invalid_argument("fit", "no customers");
    detail::check_summary(x, tx, T);
    covariate_rows rows = compress_customers(x, tx, T, design);
    const std::size_t m_rows = rows.x.size();
    // Times in units of the largest T, as the fits without covariates (partition.hpp).
    const double scale = 1.0 / *std::max_element(T.begin(), T.end());
    double weighted_frequency = 0.0;
    for (std::size_t i = 0; i < m_rows; ++i) {
        rows.tx[i] *= scale;
        rows.T[i] *= scale;
        weighted_frequency += rows.weight[i] * rows.x[i];
    }
    const detail::loglik_kernel kernel = [&](std::span<const double> p, std::size_t b,
                                             std::size_t e, double& ll,
                                             Eigen::Ref<Eigen::VectorXd> g) {
        add_covariate_loglik(kind, p, rows.x, rows.tx, rows.T, rows.weight, rows.design, b, e, ll,
                             std::span<double>(g.data(), static_cast<std::size_t>(g.size())));
    };
    return detail::covariate_fit_of(
        kind,
        detail::fit_time_scaled(kind, kernel, m_rows, static_cast<double>(n), weighted_frequency,
                                scale, warm_start(kind, x, tx, T, options, design),
                                design.coefficient_names, design.coefficient_penalizers),
        design);
}

covariate_fit detail::covariate_fit_of(purchase_model_kind kind, fit_result fit,
                                       const covariate_design& design) {
    covariate_fit out;
    out.fit = std::move(fit);
    const fit_result& f = out.fit;
    const std::size_t m = parameter_names(kind).size();
    out.model.base = purchase_params_from(kind, std::span<const double>(f.params).first(m));
    out.base_std_errors.assign(f.std_errors.begin(),
                               f.std_errors.begin() + static_cast<std::ptrdiff_t>(m));
    covariate_coefficients& c = out.model.coefficients;
    c.life_names = design.life_names;
    c.trans_names = design.trans_names;
    c.reference_levels = design.reference_levels;
    for (std::size_t k = 0; k < design.life_names.size(); ++k) {
        c.life.push_back(f.params[m + design.life_coefficient[k]]);
        out.life_std_errors.push_back(f.std_errors[m + design.life_coefficient[k]]);
    }
    for (std::size_t k = 0; k < design.trans_names.size(); ++k) {
        c.trans.push_back(f.params[m + design.trans_coefficient[k]]);
        out.trans_std_errors.push_back(f.std_errors[m + design.trans_coefficient[k]]);
    }
    for (const std::string& name : design.coefficient_names)
        if (name.starts_with("constr.")) c.constrained.push_back(name.substr(7));
    out.life_penalizer = design.life_penalizer;
    out.trans_penalizer = design.trans_penalizer;
    return out;
}

covariate_table covariate_table_of(std::vector<std::string> keys, covariate_columns columns) {
    covariate_table t{std::move(keys), {}};
    for (auto& [name, column] : columns) {
        covariate_column& c = t.columns.emplace_back(covariate_column{std::move(name), {}, {}});
        if (auto* v = std::get_if<std::vector<double>>(&column))
            c.values = std::move(*v);
        else
            c.labels = std::move(std::get<std::vector<std::string>>(column));
    }
    return t;
}

covariate_design covariate_layout(const covariate_levels& columns, const covariate_spec& spec) {
    // design_covariates on a table of the levels: every categorical column padded with its first
    // level to the longest one, the numeric columns 0 (their values do not enter the layout).
    std::size_t n = 1;
    for (const auto& [name, levels] : columns)
        n = std::max(n, levels.size());
    covariate_table t;
    for (std::size_t i = 0; i < n; ++i)
        t.keys.push_back(std::to_string(i));
    for (const auto& [name, levels] : columns) {
        covariate_column& out = t.columns.emplace_back(covariate_column{name, {}, levels});
        if (levels.empty())
            out.values.assign(n, 0.0);
        else
            out.labels.resize(n, levels.front());
    }
    covariate_design d = design_covariates(t, t.keys, spec);
    d.life.resize(0, d.life.cols());
    d.trans.resize(0, d.trans.cols());
    return d;
}

covariate_design covariate_block(const covariate_design& layout, const covariate_table& table,
                                 std::span<const std::string> keys) {
    // design_for codes the rows by the layout's coded names and reference levels.
    covariate_model m;
    m.coefficients.life_names = layout.life_names;
    m.coefficients.trans_names = layout.trans_names;
    m.coefficients.reference_levels = layout.reference_levels;
    covariate_design d = design_for(m, table, keys);
    d.coefficient_names = layout.coefficient_names;
    d.life_coefficient = layout.life_coefficient;
    d.trans_coefficient = layout.trans_coefficient;
    d.coefficient_penalizers = layout.coefficient_penalizers;
    d.life_penalizer = layout.life_penalizer;
    d.trans_penalizer = layout.trans_penalizer;
    return d;
}

loglik_gradient partition_covariate_log_likelihood(purchase_model_kind kind,
                                                   std::span<const double> params,
                                                   const purchase_rows& rows,
                                                   const covariate_design& block,
                                                   double time_scale) {
    if (!(time_scale > 0) || !std::isfinite(time_scale))
        throw invalid_argument("time_scale",
                               format_number(time_scale) + " is not a positive finite number");
    if (!rows.weight.empty())
        throw invalid_argument("weights", "a fit with covariates takes one row per customer");
    const std::size_t n = rows.frequency.size();
    check_lengths(n, rows.recency, rows.T, block);
    std::vector<double> tx(n);
    std::vector<double> T(n);
    for (std::size_t i = 0; i < n; ++i) {
        tx[i] = rows.recency[i] * time_scale;
        T[i] = rows.T[i] * time_scale;
    }
    return covariate_log_likelihood(kind, params, rows.frequency, tx, T, block);
}

covariate_fit fit_covariates_partitioned(purchase_model_kind kind,
                                         const partition_evaluator& evaluate,
                                         const partition_totals& totals,
                                         const covariate_design& layout,
                                         const fit_options& options) {
    if (totals.rows == 0) throw invalid_argument("fit", "no customers");
    // fit_with_covariates' start (warm_start): the optimum of the model without covariates,
    // here over the same partitions (the covariate log-likelihood at g = 0 is the plain one and
    // its first gradient entries the plain gradient), with every coefficient 0.
    fit_options o = options;
    if (o.initial.empty()) {
        const std::size_t k = layout.coefficient_names.size();
        const partition_evaluator plain = [&](std::span<const double> p) {
            std::vector<double> q(p.begin(), p.end());
            q.resize(p.size() + k, 0.0);
            loglik_gradient l = evaluate(q);
            l.gradient.resize(p.size());
            return l;
        };
        try {
            const fit_result f = fit_partitioned(kind, plain, totals, options);
            if (std::all_of(f.params.begin(), f.params.end(),
                            [](double v) { return v > 0 && std::isfinite(v); })) {
                o.initial = f.params;
                o.initial.resize(f.params.size() + k, 0.0);
            }
        } catch (const error&) {
            o.initial.clear(); // the model's default start, as warm_start
        }
    }
    return detail::covariate_fit_of(kind,
                                    detail::fit_partitioned(kind, evaluate, totals, o,
                                                            layout.coefficient_names,
                                                            layout.coefficient_penalizers),
                                    layout);
}

purchase_params customer_params(const covariate_model& model, std::span<const double> z_life,
                                std::span<const double> z_trans) {
    const covariate_coefficients& c = model.coefficients;
    if (z_life.size() != c.life.size() || z_trans.size() != c.trans.size())
        throw invalid_argument("covariates", "covariate rows of length " +
                                                 std::to_string(z_life.size()) + " and " +
                                                 std::to_string(z_trans.size()) + " for " +
                                                 std::to_string(c.life.size()) + " and " +
                                                 std::to_string(c.trans.size()) + " coefficients");
    double eta_life = 0.0;
    double eta_trans = 0.0;
    for (std::size_t k = 0; k < z_life.size(); ++k)
        eta_life += c.life[k] * z_life[k];
    for (std::size_t k = 0; k < z_trans.size(); ++k)
        eta_trans += c.trans[k] * z_trans[k];
    return customer_params(model.base, eta_life, eta_trans);
}

purchase_params customer_params(const purchase_params& base, double eta_life, double eta_trans) {
    const purchase_model_kind kind = kind_of(base);
    const process_signs s = signs_of(kind);
    std::vector<double> q = parameter_values(base);
    for (std::size_t j = 0; j < q.size(); ++j)
        q[j] *= std::exp(s.life[j] * eta_life + s.trans[j] * eta_trans);
    return purchase_params_from(kind, q);
}

std::vector<purchase_params> customer_params(const covariate_model& model,
                                             const covariate_design& design) {
    const std::size_t n = design.customers();
    std::vector<purchase_params> out;
    out.reserve(n);
    Eigen::VectorXd zl(design.life.cols());
    Eigen::VectorXd zt(design.trans.cols());
    for (std::size_t i = 0; i < n; ++i) {
        zl = design.life.row(static_cast<Eigen::Index>(i)).transpose();
        zt = design.trans.row(static_cast<Eigen::Index>(i)).transpose();
        out.push_back(customer_params(
            model, std::span<const double>(zl.data(), static_cast<std::size_t>(zl.size())),
            std::span<const double>(zt.data(), static_cast<std::size_t>(zt.size()))));
    }
    return out;
}

covariate_design design_for(const covariate_model& model, const covariate_table& table,
                            std::span<const std::string> keys) {
    const covariate_coefficients& c = model.coefficients;
    const std::vector<std::size_t> rows = rows_for(table, keys);
    // The allowed labels of each categorical column: its reference and its fitted levels.
    std::unordered_map<std::string, std::set<std::string>> allowed;
    for (const auto& [column, level] : c.reference_levels)
        allowed[column].insert(level);
    for (const auto* names : {&c.life_names, &c.trans_names})
        for (const std::string& n : *names)
            if (auto [column, level] = split_coded(n); !level.empty() && allowed.contains(column))
                allowed[column].insert(level);
    auto coded = [&](const std::string& name) -> coded_column {
        // A column named as the coded name itself (numeric) wins; else "<column>=<level>".
        for (const covariate_column& col : table.columns)
            if (col.name == name && !col.is_categorical()) return {name, &col, {}};
        auto [column, level] = split_coded(name);
        const covariate_column& col = column_named(table, column);
        if (level.empty() || !col.is_categorical()) {
            if (col.is_categorical())
                throw invalid_argument("covariates: column " + column +
                                           " holds labels, the model a number",
                                       error_context{"covariates", std::nullopt, {}, column, {}});
            return {name, &col, {}};
        }
        return {name, &col, level};
    };
    covariate_design d;
    const auto n = static_cast<Eigen::Index>(keys.size());
    d.life_names = c.life_names;
    d.trans_names = c.trans_names;
    d.reference_levels = c.reference_levels;
    d.life.resize(n, static_cast<Eigen::Index>(c.life_names.size()));
    d.trans.resize(n, static_cast<Eigen::Index>(c.trans_names.size()));
    auto fill = [&](const std::vector<std::string>& names, Eigen::MatrixXd& m) {
        for (std::size_t k = 0; k < names.size(); ++k) {
            const coded_column cc = coded(names[k]);
            const auto it = allowed.find(cc.source->name);
            m.col(static_cast<Eigen::Index>(k)) = fill_column(
                cc, table, rows, cc.level.empty() || it == allowed.end() ? nullptr : &it->second);
        }
    };
    fill(c.life_names, d.life);
    fill(c.trans_names, d.trans);
    return d;
}

void lay_out_coefficients(covariate_design& design, const covariate_coefficients& coefficients,
                          double life_penalizer, double trans_penalizer) {
    const covariate_coefficients& c = coefficients;
    const auto constrained = [&](const std::string& name) {
        return std::find(c.constrained.begin(), c.constrained.end(), name) != c.constrained.end();
    };
    design.coefficient_names.clear();
    design.coefficient_penalizers.clear();
    design.life_coefficient.clear();
    design.trans_coefficient.clear();
    // Free columns first (life, then trans), as design_covariates lays out a fit.
    const auto free = [&](const std::vector<std::string>& names, std::vector<std::size_t>& at,
                          const char* prefix, double penalizer) {
        for (const std::string& n : names) {
            if (constrained(n)) {
                at.push_back(static_cast<std::size_t>(-1));
                continue;
            }
            at.push_back(design.coefficient_names.size());
            design.coefficient_names.push_back(prefix + n);
            design.coefficient_penalizers.push_back(penalizer);
        }
    };
    free(c.life_names, design.life_coefficient, "life.", life_penalizer);
    free(c.trans_names, design.trans_coefficient, "trans.", trans_penalizer);
    for (const std::string& n : c.constrained) {
        const auto life = std::find(c.life_names.begin(), c.life_names.end(), n);
        const auto trans = std::find(c.trans_names.begin(), c.trans_names.end(), n);
        if (life == c.life_names.end() || trans == c.trans_names.end())
            throw invalid_argument("covariates",
                                   "constrained covariate " + n + " is not on both processes", n);
        const std::size_t at = design.coefficient_names.size();
        design.coefficient_names.push_back("constr." + n);
        design.coefficient_penalizers.push_back(life_penalizer + trans_penalizer);
        design.life_coefficient[static_cast<std::size_t>(life - c.life_names.begin())] = at;
        design.trans_coefficient[static_cast<std::size_t>(trans - c.trans_names.begin())] = at;
    }
    design.life_penalizer = life_penalizer;
    design.trans_penalizer = trans_penalizer;
}

std::vector<double> coefficient_vector(const covariate_coefficients& coefficients,
                                       const covariate_design& layout) {
    std::vector<double> out(layout.coefficient_names.size(), 0.0);
    for (std::size_t k = 0; k < layout.life_coefficient.size(); ++k)
        out[layout.life_coefficient[k]] = coefficients.life[k];
    for (std::size_t k = 0; k < layout.trans_coefficient.size(); ++k)
        out[layout.trans_coefficient[k]] = coefficients.trans[k];
    return out;
}

covariate_coefficients with_coefficient_vector(covariate_coefficients coefficients,
                                               const covariate_design& layout,
                                               std::span<const double> values) {
    coefficients.life.resize(layout.life_coefficient.size());
    coefficients.trans.resize(layout.trans_coefficient.size());
    for (std::size_t k = 0; k < layout.life_coefficient.size(); ++k)
        coefficients.life[k] = values[layout.life_coefficient[k]];
    for (std::size_t k = 0; k < layout.trans_coefficient.size(); ++k)
        coefficients.trans[k] = values[layout.trans_coefficient[k]];
    return coefficients;
}

std::vector<double> p_alive(std::span<const purchase_params> per_customer,
                            std::span<const double> x, std::span<const double> tx,
                            std::span<const double> T) {
    const std::size_t n = per_customer.size();
    if (x.size() != n || tx.size() != n || T.size() != n)
        throw invalid_argument("covariates", "per-customer parameters and the summary differ "
                                             "in length");
    detail::check_summary(x, tx, T);
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = p_alive(per_customer[i], x[i], tx[i], T[i]);
    return out;
}

std::vector<double> conditional_expected_purchases(std::span<const purchase_params> per_customer,
                                                   double t, std::span<const double> x,
                                                   std::span<const double> tx,
                                                   std::span<const double> T) {
    const std::size_t n = per_customer.size();
    if (x.size() != n || tx.size() != n || T.size() != n)
        throw invalid_argument("covariates", "per-customer parameters and the summary differ "
                                             "in length");
    detail::check_summary(x, tx, T);
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = conditional_expected_purchases(per_customer[i], t, x[i], tx[i], T[i]);
    return out;
}

CUSTOMETRICS_END_NAMESPACE
