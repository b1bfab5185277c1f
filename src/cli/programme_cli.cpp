// The `custometrics programme` subcommand (register_programme in command.hpp): reads the log,
// the members table and the programme's costs, calls the core's `evaluate_programme` and
// writes its result with custometrics/output/programme.hpp (text, or JSON with --format json).
#include "command.hpp"

#include "custometrics/csv_table.hpp"
#include "custometrics/output/programme.hpp"

#include <iostream>
#include <vector>

namespace custometrics::cli {
namespace {

// The options of `custometrics programme`: the core's, bound to the flags, and the files.
struct programme_command : log_args {
    std::string members, type, discount;
    programme_options core;
};

void run_programme(programme_command o) {
    const std::vector<programme_member> members = read_programme_members(read_csv_table(o.members));
    const std::string discount[] = {o.discount};
    const transaction_csv in =
        read_transactions_with_numbers(o.file, o.columns.resolve(), discount);
    if (!o.type.empty()) o.core.type = parse_programme_type(o.type, "--type");
    o.core.discount = in.numbers[0];
    const programme_result r = evaluate_programme(in.log.view(), members, o.core);
    if (o.format == "json")
        return write_json_object(std::cout, [&](auto& w) { output::write_json(w, r); });
    output::write_text(std::cout, r);
}

} // namespace

void register_programme(CLI::App& app) {
    const auto [o, cmd] = add_command<programme_command>(
        app, "programme",
        "Loyalty programme evaluation: members against matched non-members before "
        "and after joining (difference-in-differences of purchases, spend, "
        "retention and margin), the incremental margin against the programme's "
        "cost and the ROI with bootstrap intervals",
        run_programme);
    o->add_to(*cmd);
    cmd->add_option("--members", o->members,
                    "CSV of the members: customer_id and joined (the joining date)")
        ->required();
    cmd->add_option("--type", o->type,
                    "The programme's type, a label: one of the article's 13 (customer_card, "
                    "cumulative_discounts, special_terms, prizes, unique_experience, charity, "
                    "club, restricted_access, customer_service, coalition, trade_in, "
                    "customer_training, support_24_7) or its number 1..13");
    cmd->add_option("--discount", o->discount,
                    "Column of the log holding the programme's discount on the row (a cost of "
                    "the programme)");
    cmd->add_option("--margin-rate", o->core.margin_rate,
                    "Margin share of the amount, 0..1 (required without a cost column)");
    cmd->add_option("--card-cost", o->core.card_cost_per_member,
                    "Card and reward cost per member over the post-period (default 0)");
    cmd->add_option("--programme-cost", o->core.fixed_costs,
                    "Fixed cost of the programme over the post-period, shared by the members "
                    "(default 0)");
    cmd->add_option("--pre-days", o->core.pre_days, "Days before joining compared (default 180)");
    cmd->add_option("--post-days", o->core.post_days, "Days after joining compared (default 180)");
    cmd->add_option("--caliper", o->core.caliper,
                    "Largest standardised distance of a match (default 0.5)");
    cmd->add_flag("--with-replacement", o->core.with_replacement,
                  "Let one non-member serve as control of several members");
    cmd->add_option("--level", o->core.level, "Confidence level of the intervals (default 0.95)");
    cmd->add_option("--bootstrap", o->core.bootstrap, "Bootstrap resamples (default 1000)");
    cmd->add_option("--seed", o->core.seed, "Seed of the resampling (default 42)");
}

} // namespace custometrics::cli
