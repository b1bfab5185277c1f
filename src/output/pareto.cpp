// The writers of the Pareto analysis (see custometrics/output/pareto.hpp).
#include "custometrics/output/pareto.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/detail/write_rows.hpp"
#include "custometrics/output/format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <ostream>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

constexpr const char* class_names[4] = {"A", "B", "C", "none"};

void json_pareto(detail::json_writer& w, const pareto_result& r) {
    w.field("defined", r.defined);
    if (!r.defined) w.field("reason", r.reason);
    w.field("n", static_cast<std::uint64_t>(r.size()));
    w.field("total", r.total);
    w.field("gini", r.gini.gini);
    w.field("gini_small_sample", r.gini.gini_small_sample);
    w.field("entities_for_80pct", r.entities_for_80pct);
    w.field("top20_share", r.top20_share);
    w.key("classes").begin_object();
    for (int c = 0; c < 3; ++c)
        w.field(class_names[c], static_cast<std::uint64_t>(r.class_count[c]));
    w.end_object();
    w.key("class_shares").begin_object();
    for (int c = 0; c < 3; ++c)
        w.field(class_names[c], r.class_share[c]);
    w.end_object();
    w.key("not_ranked").begin_object();
    w.field("count", static_cast<std::uint64_t>(r.nonpositive.size()))
        .field("total", r.nonpositive_total);
    w.end_object();
}

void json_whale(detail::json_writer& w, const whale_result& wh) {
    w.key("whale").begin_object();
    w.field("defined", wh.defined);
    if (!wh.defined) w.field("reason", wh.reason);
    w.field("total_profit", wh.total);
    w.field("peak_share", wh.peak_share);
    w.field("peak_entity_share", wh.peak_entity_share);
    w.field("loss_entities", static_cast<std::uint64_t>(wh.loss_entities));
    w.field("loss_entity_share", wh.loss_entity_share);
    w.field("loss_total", wh.loss_total);
    w.field("loss_share", wh.loss_share);
    w.end_object();
}

void json_comparison(detail::json_writer& w, const period_comparison& cmp) {
    w.key("comparison").begin_object();
    w.key("migration").begin_object();
    for (int a = 0; a < 4; ++a) {
        w.key(class_names[a]).begin_object();
        for (int b = 0; b < 4; ++b)
            w.field(class_names[b], static_cast<std::uint64_t>(cmp.migration[a][b]));
        w.end_object();
    }
    w.end_object();
    w.field("entered_a", static_cast<std::uint64_t>(cmp.entered_a.size()));
    w.field("left_a", static_cast<std::uint64_t>(cmp.left_a.size()));
    w.field("spearman", cmp.spearman.defined ? std::optional(cmp.spearman.rho) : std::nullopt);
    w.field("gini_before", cmp.before.gini.gini);
    w.field("gini_change", cmp.gini_change);
    w.field("entities_for_80pct_change", cmp.entities_for_80pct_change);
    w.field("top20_share_change", cmp.top20_share_change);
    w.end_object();
}

void text_pareto(std::ostream& out, const pareto_result& r, const key_index& keys) {
    if (!r.defined) {
        out << "  not defined: " << r.reason << "\n";
        return;
    }
    out << "  entities ranked      " << r.size();
    if (!r.nonpositive.empty())
        out << "  (" << r.nonpositive.size()
            << " more with a total <= 0, not ranked: " << num(r.nonpositive_total) << ")";
    out << "\n  total                " << num(r.total) << "\n";
    out << "  80% of the total     from the top " << pct(r.entities_for_80pct) << " of entities\n";
    out << "  top 20% of entities  make " << pct(r.top20_share) << " of the total\n";
    out << "  Gini                 " << num(r.gini.gini, 3) << "  (small-sample "
        << num(r.gini.gini_small_sample, 3) << ")\n";
    out << "  ABC classes          A " << r.class_count[0] << " (" << pct(r.class_share[0])
        << "), B " << r.class_count[1] << " (" << pct(r.class_share[1]) << "), C "
        << r.class_count[2] << " (" << pct(r.class_share[2]) << ")\n";
    const std::size_t top = std::min<std::size_t>(5, r.size());
    out << "  top " << top << ":";
    for (std::size_t k = 0; k < top; ++k)
        out << (k == 0 ? " " : ", ") << keys.key_string(r.entity[k]) << " " << pct(r.share[k]);
    out << "\n";
}

void text_whale(std::ostream& out, const whale_result& wh) {
    if (!wh.defined) {
        out << "  whale curve          not defined: " << wh.reason << "\n";
        return;
    }
    out << "  whale curve          peaks at " << pct(wh.peak_share)
        << " of total profit after the top " << pct(wh.peak_entity_share) << " of entities\n";
    out << "  loss makers          " << wh.loss_entities << " (" << pct(wh.loss_entity_share)
        << ") destroy " << num(wh.loss_total) << " (" << pct(wh.loss_share)
        << " of total profit)\n";
}

void text_comparison(std::ostream& out, const period_comparison& cmp) {
    out << "\nCompared with the earlier period\n";
    out << "  class migration (rows: before, columns: after)\n          A       B       C    "
           "none\n";
    for (int a = 0; a < 4; ++a) {
        char line[96];
        std::snprintf(line, sizeof line, "  %-4s %7zu %7zu %7zu %7zu\n", class_names[a],
                      cmp.migration[a][0], cmp.migration[a][1], cmp.migration[a][2],
                      cmp.migration[a][3]);
        out << line;
    }
    out << "  entered A            " << cmp.entered_a.size() << ", left A " << cmp.left_a.size()
        << "\n";
    out << "  Spearman rank corr.  "
        << (cmp.spearman.defined ? num(cmp.spearman.rho, 3) : "undefined: " + cmp.spearman.reason)
        << "\n";
    out << "  Gini change          " << num(cmp.gini_change, 3) << "; 80%-share change "
        << num(100.0 * cmp.entities_for_80pct_change, 1) << " points\n";
}

} // namespace

void write_csv(std::ostream& out, const log_pareto& a, const key_index& keys) {
    const pareto_result& r = a.pareto;
    out << "key,value,rank,cum_share,class\n";
    // Rows formatted on every thread, written in order (the bytes of a serial loop).
    // The keys are read in rank order, at random in id order: each is asked for `ahead` ranks
    // before it is written, so that its cache miss overlaps the rows before it.
    constexpr std::size_t ahead = 16;
    detail::write_rows(out, r.size(), [&](std::size_t rank, std::string& row) {
        if (rank + ahead < r.size()) keys.prefetch(r.entity[rank + ahead]);
        append_csv_key(row, keys, r.entity[rank]);
        detail::row_fields<128> f; // 2 numbers, a count and a class: 2 * 33 + 21 + 2 bytes
        f.number(r.value[rank]);
        f.count(static_cast<std::int64_t>(rank + 1));
        f.number(r.cum_share[rank]);
        f.word(class_names[static_cast<int>(r.abc[rank])]);
        f.append_to(row);
        row += '\n';
    });
    // Entities not ranked (value <= 0 under the default policy) follow, without rank or share.
    for (const entity_id id : r.nonpositive)
        out << csv_key(keys, id) << ',' << number_text(a.totals.value[id]) << ",,,none\n";
}

void write_json(detail::json_writer& w, const log_pareto& a) {
    json_pareto(w, a.pareto);
    if (a.whale) json_whale(w, *a.whale);
    if (a.comparison) json_comparison(w, *a.comparison);
}

void write_text(std::ostream& out, const log_pareto& a, const key_index& keys,
                std::string_view measure_name, std::string_view by_name) {
    out << "Pareto analysis: " << measure_name << " by " << by_name << "\n";
    text_pareto(out, a.pareto, keys);
    if (a.whale) text_whale(out, *a.whale);
    if (a.comparison) text_comparison(out, *a.comparison);
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
