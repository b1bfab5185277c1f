// The `custometrics loyalty` and `custometrics profitability` subcommands (registered through
// command.hpp) and the inputs of their sections of `custometrics report`: read the inputs, call
// the core, write with custometrics/output/loyalty.hpp (where the formats are documented).
#include "command.hpp"

#include "custometrics/output/loyalty.hpp"

#include <array>
#include <iostream>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace custometrics::cli {
namespace {

// The options of `loyalty` and `profitability` (one struct: they share most).
struct loyalty_command : log_args {
    std::string signals, rules, churn_reference, costs, discount, payment_delay, out;
    std::string list_price, promotions, spending_reference = "article";
};

// The log with the optional discount, payment-delay and list-price columns of its rows (one
// read of the file) and the promotion periods.
struct log_input {
    transaction_csv in;
    const transaction_log& log = in.log;
    std::span<const double> discount = in.numbers[0], payment_delay = in.numbers[1];
    std::vector<promotion_period> promotions;

    explicit log_input(const loyalty_command& o)
        : in(read_transactions_with_numbers(
              o.file, o.columns.resolve(), std::array{o.discount, o.payment_delay, o.list_price})) {
        if (!o.promotions.empty()) promotions = read_promotion_file(read_csv_table(o.promotions));
    }

    behaviour_options options() const {
        behaviour_options b;
        b.discount = discount;
        b.payment_delay = payment_delay;
        b.list_amount = in.numbers[2];
        b.promotions = promotions;
        return b;
    }
};

// Writes the per-customer table of `r` to --out (if given) and then its summary (`more`: the
// writers' other arguments), unless the table went to standard output.
template <class Result, class... More>
void write_outputs(const loyalty_command& o, std::size_t n, const char* what, const Result& r,
                   const key_index& keys, const More&... more) {
    if (write_table(o.out, {o.file}, [&](std::ostream& f) { output::write_csv(f, r, keys); }))
        return; // the table is the standard output
    if (o.format == "json")
        return write_json_object(std::cout, [&](detail::json_writer& w) {
            if (!o.out.empty()) w.field("out", o.out);
            output::write_json(w, r, more...);
        });
    output::write_text(std::cout, r, more...);
    if (!o.out.empty())
        std::cout << "wrote the " << what << " of " << n << " customers to " << o.out << "\n";
}

void run_loyalty(const loyalty_command& o) {
    const log_input in(o);
    const loyalty_rules rules = read_loyalty_rules(o.rules, "--rules");
    const auto reference = read_churn_reference(o.churn_reference, "--churn-reference");
    const std::vector<double> spending =
        spending_reference(o.spending_reference, "--spending-reference");
    const loyalty_overview a = loyalty_overview_of(
        in.log.view(), in.options(), read_signal_file(o.signals, in.log.customer_keys, "--signals"),
        rules, reference, spending);
    write_outputs(o, a.labels.size(), "labels", a, in.log.customer_keys);
}

void run_profitability(const loyalty_command& o) {
    if (o.costs.empty()) throw invalid_argument("--costs", "required (a JSON file of cost rates)");
    // The costs before the log: a bad costs file fails before the log is read.
    const profitability_config config = read_profitability_config(o.costs, "--costs");
    const log_input in(o);
    const auto signals = read_signal_file(o.signals, in.log.customer_keys, "--signals");
    const customer_profitability p = profitability(
        in.log.view(), config, signals ? &*signals : nullptr, in.discount, in.payment_delay);
    const whale_result whale = whale_curve(p.profit);
    write_outputs(o, p.size(), "profitability", p, in.log.customer_keys, whale);
}

// Adds `loyalty` or `profitability` with the options they share.
std::pair<std::shared_ptr<loyalty_command>, CLI::App*>
add_loyalty_command(CLI::App& app, const char* name, const char* about,
                    void (*run)(const loyalty_command&)) {
    const auto [o, c] = add_command<loyalty_command>(app, name, about, run);
    CLI::App& cmd = *c;
    o->add_to(cmd);
    cmd.add_option("--signals", o->signals,
                   "Per-customer CSV: customer_id and any of satisfaction, recommend, "
                   "referrals, complaints, share_of_wallet, has_alternative, segment, "
                   "churn_reason, service_tickets, tw_describe, tw_trouble_limiting, "
                   "tw_trouble_spending, tw_sale_scenario");
    cmd.add_option("--discount", o->discount,
                   "Column of the log holding the discount given on the row");
    cmd.add_option("--payment-delay", o->payment_delay,
                   "Column of the log holding the days the row was paid late");
    cmd.add_option("--out", o->out, "Write one row per customer to this CSV");
    return {o, c};
}

} // namespace

void register_loyalty(CLI::App& app) {
    const auto [o, cmd] = add_loyalty_command(
        app, "loyalty",
        "Loyalty types, satisfaction x loyalty quadrants, NPS, spending types and churn reasons "
        "per customer, each label with the rule behind it",
        run_loyalty);
    cmd->add_option("--rules", o->rules,
                    "JSON object of rule thresholds: min_purchase_days (3), max_regular_cv (0.5), "
                    "max_recency_ratio (2), high_satisfaction (4), low_satisfaction (2), "
                    "promoter_min (9), detractor_max (6), min_referrals (1), min_complaints (1), "
                    "min_share_of_wallet (0.5), min_discount_share (0.5), min_rhythm_share (0.8), "
                    "min_promotion_share (0.5), min_promotion_lift (2), min_return_share (0.2)");
    cmd->add_option("--list-price", o->list_price,
                    "Column of the log holding the row's amount at list price (a row paid below "
                    "it was bought on discount)");
    cmd->add_option("--promotions", o->promotions,
                    "CSV of promotion periods (columns start, end: dates, both days included)");
    cmd->add_option("--churn-reference", o->churn_reference,
                    "Reference of the churn reasons: \"article\" (the article's 68% service, 14% "
                    "quality, 9% competitor_offer, 5% no_longer_needed, 3% moved, 1% other) or a "
                    "JSON object of the share of each reason (0 allowed: not in the reference)");
    cmd->add_option("--spending-reference", o->spending_reference,
                    "Reference of the spending types, where the proxy cuts and the "
                    "questionnaire is tested: \"article\" (24% tightwad, 61% unconflicted, 15% "
                    "spendthrift; default) or \"quartiles\" (25/50/25)");
}

void register_profitability(CLI::App& app) {
    const auto [o, cmd] = add_loyalty_command(
        app, "profitability",
        "Profit per customer: gross margin minus the cost to serve, with the wanted and the "
        "large-but-unprofitable customers flagged",
        run_profitability);
    cmd->add_option("--costs", o->costs,
                    "JSON object of cost rates (per_order, per_return, per_ticket, "
                    "cost_of_capital per year; default 0) and flag thresholds "
                    "(large_quantile 0.8, max_return_rate 0.1, max_tickets_per_order 0.2, "
                    "max_payment_delay_days 0)")
        ->required();
}

} // namespace custometrics::cli
