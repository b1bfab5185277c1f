// The `custometrics pareto` subcommand (see pareto_cli.hpp).
#include "pareto_cli.hpp"

#include "command.hpp"
#include "output.hpp"

#include "format.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/detail/json.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <ostream>

namespace custometrics::cli {

namespace {

constexpr const char* class_names[4] = {"A", "B", "C", "none"};

void write_entities(std::ostream& f, const pareto_result& r, const key_index& keys,
                    const std::vector<double>& values) {
    f << "key,value,rank,cum_share,class\n";
    std::array<char, 32> buf{};
    for (std::size_t rank = 0; rank < r.size(); ++rank) {
        f << csv_key(keys, r.entity[rank]) << ',' << detail::format_double(r.value[rank], buf)
          << ',' << rank + 1 << ',';
        f << detail::format_double(r.cum_share[rank], buf) << ','
          << class_names[static_cast<int>(r.abc[rank])] << '\n';
    }
    // Entities not ranked (value <= 0 under the default policy) follow, without rank or share.
    for (const entity_id id : r.nonpositive)
        f << csv_key(keys, id) << ',' << detail::format_double(values[id], buf) << ",,,none\n";
}

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

} // namespace

void print_pareto(std::ostream& out, const transaction_log& log, dimension d, measure m,
                  const time_window& period, const std::optional<time_window>& compare,
                  const std::string& out_csv, bool json, const std::string& by_name,
                  const std::string& measure_name, const pareto_options& options) {
    const key_index& all_keys = dimension_keys(log, d);
    // The analysis covers the entities with a row in the period: rank among those, so that an
    // entity with no activity is neither ranked nor counted as one with a total <= 0.
    const entity_totals_result totals = entity_totals(log, d, m, period);
    std::vector<double> values(totals.active.size());
    for (std::size_t k = 0; k < values.size(); ++k)
        values[k] = totals.value[totals.active[k]];
    pareto_result r = pareto(values, options);
    for (auto& e : r.entity)
        e = totals.active[e];
    for (auto& e : r.nonpositive)
        e = totals.active[e];
    const key_index& keys = all_keys;
    std::optional<whale_result> wh;
    if (m == measure::profit) wh = whale_curve(values, options.threads);
    std::optional<period_comparison> cmp;
    if (compare)
        cmp = compare_periods(entity_totals(log, d, m, *compare).value, totals.value, options);
    if (!out_csv.empty()) {
        output_file file(out_csv);
        write_entities(file.stream(), r, keys, totals.value);
        file.commit();
        if (file.is_stdout()) return; // the table is the standard output
    }

    if (json) {
        detail::json_writer w(out);
        w.begin_object();
        w.field("by", by_name).field("measure", measure_name);
        json_pareto(w, r);
        if (wh) json_whale(w, *wh);
        if (cmp) {
            w.key("comparison").begin_object();
            w.key("migration").begin_object();
            for (int a = 0; a < 4; ++a) {
                w.key(class_names[a]).begin_object();
                for (int b = 0; b < 4; ++b)
                    w.field(class_names[b], static_cast<std::uint64_t>(cmp->migration[a][b]));
                w.end_object();
            }
            w.end_object();
            w.field("entered_a", static_cast<std::uint64_t>(cmp->entered_a.size()));
            w.field("left_a", static_cast<std::uint64_t>(cmp->left_a.size()));
            if (cmp->spearman.defined)
                w.field("spearman", cmp->spearman.rho);
            else
                w.key("spearman").null();
            w.field("gini_before", cmp->before.gini.gini);
            w.field("gini_change", cmp->gini_change);
            w.field("entities_for_80pct_change", cmp->entities_for_80pct_change);
            w.field("top20_share_change", cmp->top20_share_change);
            w.end_object();
        }
        if (!out_csv.empty()) w.field("out", out_csv);
        w.end_object();
        return;
    }
    out << "Pareto analysis: " << measure_name << " by " << by_name << "\n";
    text_pareto(out, r, keys);
    if (wh) text_whale(out, *wh);
    if (cmp) {
        out << "\nCompared with the earlier period\n";
        out << "  class migration (rows: before, columns: after)\n          A       B       C    "
               "none\n";
        for (int a = 0; a < 4; ++a) {
            char line[96];
            std::snprintf(line, sizeof line, "  %-4s %7zu %7zu %7zu %7zu\n", class_names[a],
                          cmp->migration[a][0], cmp->migration[a][1], cmp->migration[a][2],
                          cmp->migration[a][3]);
            out << line;
        }
        out << "  entered A            " << cmp->entered_a.size() << ", left A "
            << cmp->left_a.size() << "\n";
        out << "  Spearman rank corr.  "
            << (cmp->spearman.defined ? num(cmp->spearman.rho, 3)
                                      : "undefined: " + cmp->spearman.reason)
            << "\n";
        out << "  Gini change          " << num(cmp->gini_change, 3) << "; 80%-share change "
            << num(100.0 * cmp->entities_for_80pct_change, 1) << " points\n";
    }
    if (!out_csv.empty())
        out << "\nwrote " << r.size() + r.nonpositive.size() << " entities to " << out_csv << "\n";
}

void register_pareto(CLI::App& app) {
    struct options {
        std::string file, by = "customer", measure = "revenue", period_start, period_end,
                          compare_start, compare_end, out, rule = "before", format = "text";
        pareto_options pareto;
        column_args columns;
    };
    auto o = std::make_shared<options>();
    auto* p = app.add_subcommand(
        "pareto", "80/20 curve, ABC classes, Gini, whale curve and period comparison");
    p->add_option("file", o->file, "Transaction CSV")->required();
    o->columns.add_to(*p);
    p->add_option("--by", o->by, "Entities: customer, product, channel, or any column of the file")
        ->capture_default_str();
    p->add_option("--measure", o->measure,
                  "Indicator: revenue, profit, quantity, or any numeric column")
        ->capture_default_str();
    p->add_option("--period-start", o->period_start, "First day of the period analysed");
    p->add_option("--period-end", o->period_end, "Last day of the period analysed (inclusive)");
    p->add_option("--compare-start", o->compare_start,
                  "First day of the earlier period to compare with");
    p->add_option("--compare-end", o->compare_end, "Last day of the earlier period (inclusive)");
    p->add_option("--a-threshold", o->pareto.a_threshold, "Cumulative share closing class A")
        ->capture_default_str();
    p->add_option("--b-threshold", o->pareto.b_threshold, "Cumulative share closing class B")
        ->capture_default_str();
    p->add_option("--rule", o->rule,
                  "Class boundary: before (A while the share before is below the threshold) "
                  "or including")
        ->check(CLI::IsMember({"before", "including"}))
        ->capture_default_str();
    p->add_option("--out", o->out, "Write key,value,rank,cum_share,class per entity to this CSV");
    add_format(*p, o->format);
    p->callback([o] {
        // A dimension or measure that is not a built-in name is a column of the file, read as
        // the product key (dimension) or the quantity (measure).
        csv_columns cols = o->columns.resolve();
        dimension dim = dimension::customer;
        if (o->by == "product")
            dim = dimension::product;
        else if (o->by == "channel")
            dim = dimension::channel;
        else if (o->by != "customer") {
            if (cols.product && *cols.product != o->by)
                throw invalid_argument("--by", o->by + ": cannot be combined with --product " +
                                                   *cols.product);
            cols.product = o->by;
            dim = dimension::product;
        }
        measure mea = measure::revenue;
        if (o->measure == "profit") {
            mea = measure::profit;
        } else if (o->measure == "quantity") {
            mea = measure::quantity;
        } else if (o->measure != "revenue") {
            if (cols.quantity && *cols.quantity != o->measure)
                throw invalid_argument("--measure", o->measure +
                                                        ": cannot be combined with --quantity " +
                                                        *cols.quantity);
            cols.quantity = o->measure;
            mea = measure::quantity;
        }
        auto day_end = [](const std::string& text, const char* arg) {
            return inclusive_end(parse_time_or_throw(text, arg)); // a date: its whole day
        };
        time_window period;
        if (!o->period_start.empty())
            period.start = parse_time_or_throw(o->period_start, "--period-start");
        if (!o->period_end.empty()) period.end = day_end(o->period_end, "--period-end");
        std::optional<time_window> compare;
        if (!o->compare_start.empty() || !o->compare_end.empty()) {
            if (o->compare_start.empty() || o->compare_end.empty())
                throw invalid_argument("--compare-start and --compare-end: give both or neither");
            compare = time_window{parse_time_or_throw(o->compare_start, "--compare-start"),
                                  day_end(o->compare_end, "--compare-end")};
        }
        pareto_options po = o->pareto;
        po.rule = parse_boundary_rule(o->rule, "--rule");
        check_not_input(o->out, o->file, "--out");
        const transaction_log log = read_transactions_csv(o->file, cols);
        print_pareto(std::cout, log, dim, mea, period, compare, o->out, o->format == "json", o->by,
                     o->measure, po);
    });
}

} // namespace custometrics::cli
