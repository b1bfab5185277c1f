// The `custometrics retention-economics` subcommand (register_retention_economics in
// command.hpp): reads the log, calls the core's `log_retention_economics` and writes its result
// with custometrics/output/economics.hpp (text, or JSON with --format json).
#include "command.hpp"

#include "custometrics/output/economics.hpp"

#include <iostream>

namespace custometrics::cli {
namespace {

// The options of `custometrics retention-economics`: the core's, bound to the flags.
struct economics_command : log_args {
    std::string end, timing = "start";
    log_economics_options core;
};

void run_economics(economics_command o) {
    usage_checked([&] {
        if (!o.end.empty()) o.core.end = parse_time_or_throw(o.end, "--end");
        o.core.timing = parse_margin_timing(o.timing, "--timing");
    });
    const transaction_log log = read_transactions_csv(o.file, o.columns.resolve());
    const log_economics_result r = log_retention_economics(log.view(), o.core);
    if (o.format == "json")
        return write_json_object(std::cout, [&](auto& w) { output::write_json(w, r); });
    output::write_text(std::cout, r);
}

} // namespace

void add_economics_options(CLI::App& cmd, log_economics_options& o) {
    cmd.add_option("--period-days", o.period_days, "Length of a period in days (default 365)")
        ->check(whole_number());
    cmd.add_option("--margin-rate", o.margin_rate,
                   "Margin share of the amount, 0..1 (required without a cost column)");
    cmd.add_option("--discount-rate", o.discount_rate,
                   "Discount rate per period of the lifetime value (default 0.1)");
    cmd.add_option("--uplift", o.uplift, "The scenarios' increase: points and percent (default 5)");
    cmd.add_option("--horizon", o.horizon, "Periods projected (default 5)")->check(whole_number());
    cmd.add_option("--acquisition-spend", o.acquisition_spend,
                   "Money spent per period on winning new customers");
    cmd.add_option("--retention-spend", o.retention_spend,
                   "Money spent per period on keeping customers");
}

void register_retention_economics(CLI::App& app) {
    const auto [o, cmd] = add_command<economics_command>(
        app, "retention-economics",
        "Retention rate and margin per customer measured in the log, what +5 points and +5% "
        "retention do to revenue, margin and lifetime value, and acquisition against retention "
        "spend (the article's \"+5% -> up to +100%\" and \"8x\")",
        run_economics);
    o->add_to(*cmd);
    add_economics_options(*cmd, o->core);
    cmd->add_option("--end", o->end,
                    "Date the last period ends before, e.g. 2024-01-01 for calendar years "
                    "(default: the day after the last row)");
    cmd->add_option("--timing", o->timing,
                    "When a period's margin is earned: start (default) or end");
}

} // namespace custometrics::cli
