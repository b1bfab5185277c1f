// The `custometrics pareto` subcommand (registered through command.hpp): the Pareto analysis of
// a log (custometrics/pareto_log.hpp) printed with the core's writers
// (custometrics/output/pareto.hpp).
#include "command.hpp"

#include "custometrics/date.hpp"
#include "custometrics/output/left_out.hpp"
#include "custometrics/output/pareto.hpp"
#include "custometrics/streaming.hpp"

#include <iostream>
#include <optional>

namespace custometrics::cli {
namespace {

struct pareto_cli_options : log_args {
    std::string by = "customer", measure = "revenue", period_start, period_end, compare_start,
                compare_end, out, rejected, rule = "before", memory_limit;
    pareto_options pareto;
};

/// The end of a window given as a date: its whole day.
std::int64_t day_end(const std::string& text, const char* argument) {
    return inclusive_end(parse_time_or_throw(text, argument));
}

void run_pareto(const pareto_cli_options& o) {
    // A dimension or measure that is not a built-in name is a column of the file (pareto_log.hpp).
    const pareto_axes axes = resolve_pareto_axes(o.by, o.measure, o.columns.resolve(),
                                                 {"--by", "--measure", "--product", "--quantity"});
    time_window period;
    if (!o.period_start.empty())
        period.start = parse_time_or_throw(o.period_start, "--period-start");
    if (!o.period_end.empty()) period.end = day_end(o.period_end, "--period-end");
    std::optional<time_window> compare;
    if (!o.compare_start.empty() || !o.compare_end.empty()) {
        if (o.compare_start.empty() || o.compare_end.empty())
            throw invalid_argument("--compare-start and --compare-end: give both or neither");
        compare = time_window{parse_time_or_throw(o.compare_start, "--compare-start"),
                              day_end(o.compare_end, "--compare-end")};
    }
    usage_checked([&] {
        check_window(period, "--period-start", "--period-end");
        if (compare) check_window(*compare, "--compare-start", "--compare-end");
    });
    pareto_options po = o.pareto;
    po.rule = parse_boundary_rule(o.rule, "--rule");
    check_not_input(o.out, o.file, "--out"); // before reading the log
    check_not_input(o.rejected, o.file, "--rejected");
    const std::size_t limit = memory_limit_of(o.memory_limit);
    const csv_pareto r = usage_checked(
        [&] { return pareto_csv(o.file, axes, period, compare, po, limit, {}, "--memory-limit"); });
    const log_pareto& a = r.analysis;
    const key_index& keys = r.keys;
    // Two outputs, all or nothing; a table on the standard output is the output.
    if (output::write_outputs(
            {{o.out, "--out", [&](std::ostream& f) { output::write_csv(f, a, keys); }},
             {o.rejected, "--rejected",
              [&](std::ostream& f) { output::write_left_out_csv(f, a.left_out, keys); }}}))
        return;
    if (o.format == "json")
        return write_json_object(std::cout, [&](detail::json_writer& w) {
            w.field("by", o.by).field("measure", o.measure);
            output::write_json(w, a);
            if (!o.out.empty()) w.field("out", o.out);
        });
    output::write_text(std::cout, a, keys, o.measure, o.by);
    if (!o.out.empty())
        std::cout << "\nwrote " << a.pareto.size() + a.pareto.nonpositive.size() << " entities to "
                  << o.out << "\n";
}

} // namespace

void register_pareto(CLI::App& app) {
    const auto [o, p] = add_command<pareto_cli_options>(
        app, "pareto", "80/20 curve, ABC classes, Gini, whale curve and period comparison",
        run_pareto);
    o->add_to(*p);
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
    add_rejected(*p, o->rejected);
    add_memory_limit(*p, o->memory_limit);
}

} // namespace custometrics::cli
