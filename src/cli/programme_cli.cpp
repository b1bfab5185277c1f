// The `custometrics programme` subcommand (register_programme in command.hpp): reads the log,
// the members table and the programme's costs, calls the core's `evaluate_programme` and
// writes its result with custometrics/output/programme.hpp (text, or JSON with --format json).
#include "command.hpp"

#include "custometrics/csv_table.hpp"
#include "custometrics/output/programme.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <vector>

namespace custometrics::cli {
namespace {

// The options of `custometrics programme`.
struct programme_command {
    std::string file, members, type, discount, format = "text";
    column_args columns;
    std::optional<double> margin_rate;
    double card_cost = 0.0, programme_cost = 0.0, caliper = 0.5, level = 0.95;
    std::int64_t pre_days = 180, post_days = 180;
    std::size_t bootstrap = 1000;
    std::uint64_t seed = 42;
    bool with_replacement = false;
};

void run_programme(const programme_command& o) {
    const std::vector<programme_member> members = read_programme_members(read_csv_table(o.members));
    const transaction_log log = read_transactions_csv(o.file, o.columns.resolve());
    std::vector<double> discount;
    if (!o.discount.empty()) {
        const std::vector<std::string> names{o.discount};
        discount = std::move(read_csv_numbers(o.file, names)[0]);
    }
    programme_options opt;
    if (!o.type.empty()) opt.type = parse_programme_type(o.type, "--type");
    opt.pre_days = o.pre_days;
    opt.post_days = o.post_days;
    opt.with_replacement = o.with_replacement;
    opt.caliper = o.caliper;
    opt.margin_rate = o.margin_rate;
    opt.discount = discount;
    opt.card_cost_per_member = o.card_cost;
    opt.fixed_costs = o.programme_cost;
    opt.level = o.level;
    opt.bootstrap = o.bootstrap;
    opt.seed = o.seed;
    const programme_result r = evaluate_programme(log.view(), members, opt);
    if (o.format == "json") {
        detail::json_writer w(std::cout);
        w.begin_object();
        output::write_json(w, r);
        w.end_object();
        return;
    }
    output::write_text(std::cout, r);
}

} // namespace

void register_programme(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "programme", "Loyalty programme evaluation: members against matched non-members before "
                     "and after joining (difference-in-differences of purchases, spend, "
                     "retention and margin), the incremental margin against the programme's "
                     "cost and the ROI with bootstrap intervals");
    auto o = std::make_shared<programme_command>();
    cmd->add_option("file", o->file, "Transaction CSV")->required();
    o->columns.add_to(*cmd);
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
    cmd->add_option("--margin-rate", o->margin_rate,
                    "Margin share of the amount, 0..1 (required without a cost column)");
    cmd->add_option("--card-cost", o->card_cost,
                    "Card and reward cost per member over the post-period (default 0)");
    cmd->add_option("--programme-cost", o->programme_cost,
                    "Fixed cost of the programme over the post-period, shared by the members "
                    "(default 0)");
    cmd->add_option("--pre-days", o->pre_days, "Days before joining compared (default 180)");
    cmd->add_option("--post-days", o->post_days, "Days after joining compared (default 180)");
    cmd->add_option("--caliper", o->caliper,
                    "Largest standardised distance of a match (default 0.5)");
    cmd->add_flag("--with-replacement", o->with_replacement,
                  "Let one non-member serve as control of several members");
    cmd->add_option("--level", o->level, "Confidence level of the intervals (default 0.95)");
    cmd->add_option("--bootstrap", o->bootstrap, "Bootstrap resamples (default 1000)")
        ->check(whole_number());
    cmd->add_option("--seed", o->seed, "Seed of the resampling (default 42)")
        ->check(whole_number());
    add_format(*cmd, o->format);
    cmd->callback([o] { run_programme(*o); });
}

} // namespace custometrics::cli
