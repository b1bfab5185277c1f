// The `custometrics loyalty` and `custometrics profitability` subcommands and their report
// sections (see loyalty_cli.hpp).
#include "loyalty_cli.hpp"

#include "command.hpp"

#include "format.hpp"
#include "output.hpp"

#include "custometrics/json_value.hpp"
#include "custometrics/loyalty.hpp"
#include "custometrics/pareto.hpp"
#include "custometrics/profitability.hpp"

#include <CLI/CLI.hpp>

#include <array>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <vector>

namespace custometrics::cli {
namespace {

std::string read_file(const std::string& path, const char* option) {
    if (path == "-") { // standard input
        std::ostringstream s;
        s << std::cin.rdbuf();
        return s.str();
    }
    std::ifstream f(path, std::ios::binary);
    if (!f) throw invalid_argument(option, "cannot open \"" + path + "\"");
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

// The optional per-row columns of the log file.
struct row_columns {
    std::vector<double> discount, payment_delay;
};

row_columns read_row_columns(const loyalty_cli_options& o) {
    row_columns r;
    std::vector<std::string> names;
    if (!o.discount.empty()) names.push_back(o.discount);
    if (!o.payment_delay.empty()) names.push_back(o.payment_delay);
    if (names.empty()) return r;
    auto cols = read_csv_numbers(o.file, names);
    std::size_t k = 0;
    if (!o.discount.empty()) r.discount = std::move(cols[k++]);
    if (!o.payment_delay.empty()) r.payment_delay = std::move(cols[k++]);
    return r;
}

std::optional<signal_file> read_signals(const std::string& path, const transaction_log& log) {
    if (path.empty()) return std::nullopt;
    return read_signal_file(read_csv_table(path), log.customer_keys);
}

// Everything the loyalty subcommand and report section show.
struct loyalty_analysis {
    behaviour_signals behaviour;
    std::optional<signal_file> signals;
    loyalty_result labels;
    nps_result nps;
    std::vector<spending_type> spending;
    std::vector<std::uint8_t> proxy; // 1 where the spending type is the behavioural proxy
    churn_reason_tally churn;
};

loyalty_analysis analyse(const transaction_log& log, const row_columns& rows,
                         const std::string& signals_path, const loyalty_rules& rules,
                         std::span<const double> reference) {
    loyalty_analysis a;
    behaviour_options bo;
    bo.discount = rows.discount;
    bo.payment_delay = rows.payment_delay;
    a.behaviour = behaviour_signals_from(log.view(), bo);
    a.signals = read_signals(signals_path, log);
    const std::size_t n = a.behaviour.size();
    const stated_signals none;
    a.labels = classify_loyalty(a.behaviour, a.signals ? a.signals->stated : none, rules,
                                &log.customer_keys);
    std::vector<std::optional<double>> rec(n);
    if (a.signals) rec = a.signals->stated.recommend;
    a.nps = net_promoter(rec, a.signals ? std::span<const std::string>(a.signals->segment)
                                        : std::span<const std::string>{});

    // Spending: the questionnaire where answered, else the proxy (net revenue per purchase
    // day against the customers of the same segment).
    std::vector<double> spend(n, std::nan(""));
    for (std::size_t c = 0; c < n; ++c)
        if (a.behaviour.purchase_days[c] > 0)
            spend[c] = a.behaviour.revenue[c] / static_cast<double>(a.behaviour.purchase_days[c]);
    std::vector<std::uint32_t> group;
    if (a.signals && !a.signals->segment.empty()) {
        std::map<std::string, std::uint32_t> ids;
        for (const auto& s : a.signals->segment)
            group.push_back(ids.emplace(s, static_cast<std::uint32_t>(ids.size())).first->second);
    }
    a.spending = spending_proxy(spend, group);
    a.proxy.assign(n, 1);
    if (a.signals && !a.signals->spending.empty())
        for (std::size_t c = 0; c < n; ++c)
            if (const auto& ans = a.signals->spending[c]) {
                a.spending[c] = spending_type_of(tightwad_total(*ans));
                a.proxy[c] = 0;
            }
    for (std::size_t c = 0; c < n; ++c)
        if (a.spending[c] == spending_type::unknown) a.proxy[c] = 0;
    a.churn =
        tally_churn_reasons(a.signals ? std::span<const churn_reason>(a.signals->churn_answers)
                                      : std::span<const churn_reason>{},
                            reference);
    return a;
}

std::vector<double> parse_reference(const std::string& path) {
    if (path.empty()) return {};
    const auto fields = json_number_members(read_file(path, "--churn-reference"), path);
    std::vector<double> shares(n_churn_reasons, std::nan(""));
    for (const auto& [name, value] : fields)
        shares[static_cast<std::size_t>(parse_churn_reason(name, path))] = value;
    for (std::size_t k = 0; k < n_churn_reasons; ++k)
        if (std::isnan(shares[k]))
            throw invalid_argument("--churn-reference",
                                   path + ": no share for \"" +
                                       std::string(to_string(static_cast<churn_reason>(k))) + "\"");
    return shares;
}

double share(std::size_t k, std::size_t n) {
    return n > 0 ? static_cast<double>(k) / static_cast<double>(n) : 0.0;
}

void write_nps_json(detail::json_writer& w, const nps_score& s) {
    w.begin_object();
    w.field("promoters", static_cast<std::uint64_t>(s.promoters));
    w.field("passives", static_cast<std::uint64_t>(s.passives));
    w.field("detractors", static_cast<std::uint64_t>(s.detractors));
    w.field("missing", static_cast<std::uint64_t>(s.missing));
    if (s.score)
        w.field("score", *s.score);
    else
        w.key("score").null();
    w.end_object();
}

void write_loyalty_json(detail::json_writer& w, const loyalty_analysis& a) {
    const std::size_t n = a.labels.size();
    w.field("customers", static_cast<std::uint64_t>(n));
    w.field("signals_given", a.signals.has_value());
    if (a.signals)
        w.field("signal_rows_not_in_log", static_cast<std::uint64_t>(a.signals->unmatched.size()));
    w.key("types").begin_object();
    for (std::size_t k = 0; k < n_loyalty_types; ++k) {
        w.key(to_string(static_cast<loyalty_type>(k))).begin_object();
        w.field("count", static_cast<std::uint64_t>(a.labels.type_count[k]));
        w.field("share", share(a.labels.type_count[k], n)).end_object();
    }
    w.end_object();
    w.key("quadrants").begin_object();
    for (std::size_t k = 0; k < n_quadrants; ++k) {
        w.key(to_string(static_cast<quadrant>(k))).begin_object();
        w.field("count", static_cast<std::uint64_t>(a.labels.quadrant_count[k]));
        w.field("share", share(a.labels.quadrant_count[k], n)).end_object();
    }
    w.end_object();
    w.key("nps");
    write_nps_json(w, a.nps.overall);
    w.key("nps_by_segment").begin_object();
    for (std::size_t s = 0; s < a.nps.segments.size(); ++s) {
        if (a.nps.segments[s].empty()) continue; // customers without a segment
        w.key(a.nps.segments[s]);
        write_nps_json(w, a.nps.by_segment[s]);
    }
    w.end_object();
    std::array<std::array<std::size_t, 4>, 2> sp{}; // [questionnaire, proxy][type]
    for (std::size_t c = 0; c < n; ++c)
        ++sp[a.proxy[c]][static_cast<std::size_t>(a.spending[c])];
    w.key("spending").begin_object();
    const char* source_names[] = {"questionnaire", "proxy"};
    for (std::size_t s = 0; s < 2; ++s) {
        std::size_t total = sp[s][0] + sp[s][1] + sp[s][2];
        w.key(source_names[s]).begin_object();
        for (std::size_t k = 0; k < 3; ++k) {
            w.key(to_string(static_cast<spending_type>(k))).begin_object();
            w.field("count", static_cast<std::uint64_t>(sp[s][k]));
            w.field("share", share(sp[s][k], total)).end_object();
        }
        w.end_object();
    }
    w.field("unknown", static_cast<std::uint64_t>(sp[0][3]));
    w.end_object();
    const churn_reason_tally& t = a.churn;
    w.key("churn_reasons").begin_object();
    w.field("answers", static_cast<std::uint64_t>(t.total));
    for (std::size_t k = 0; k < n_churn_reasons; ++k) {
        w.key(to_string(static_cast<churn_reason>(k))).begin_object();
        w.field("count", static_cast<std::uint64_t>(t.count[k])).field("share", t.share[k]);
        if (t.tested) w.field("expected", t.expected[k]);
        w.end_object();
    }
    if (t.tested) {
        w.field("chi_square", t.chi_square).field("df", t.df).field("p_value", t.p_value);
    }
    w.key("warnings").begin_array();
    for (const auto& s : t.warnings)
        w.value(s);
    w.end_array().end_object();
}

void write_loyalty_text(std::ostream& out, const loyalty_analysis& a) {
    const std::size_t n = a.labels.size();
    char line[200];
    out << "Loyalty types (" << count(n) << " customers"
        << (a.signals ? "" : "; no signals file: behaviour only") << ")\n";
    for (std::size_t k = 0; k < n_loyalty_types; ++k) {
        std::snprintf(line, sizeof line, "  %-14s %10s  %7s\n",
                      std::string(to_string(static_cast<loyalty_type>(k))).c_str(),
                      count(a.labels.type_count[k]).c_str(),
                      pct(share(a.labels.type_count[k], n)).c_str());
        out << line;
    }
    out << "Satisfaction x loyalty (Jones & Sasser)\n";
    for (std::size_t k = 0; k < n_quadrants; ++k) {
        std::snprintf(line, sizeof line, "  %-14s %10s  %7s\n",
                      std::string(to_string(static_cast<quadrant>(k))).c_str(),
                      count(a.labels.quadrant_count[k]).c_str(),
                      pct(share(a.labels.quadrant_count[k], n)).c_str());
        out << line;
    }
    auto nps_line = [&](const std::string& name, const nps_score& s) {
        std::snprintf(line, sizeof line,
                      "  %-14s %10s  (answered %zu: %zu promoters, %zu passives, %zu "
                      "detractors)\n",
                      name.c_str(), s.score ? num(*s.score, 1).c_str() : "n/a", s.answered(),
                      s.promoters, s.passives, s.detractors);
        out << line;
    };
    out << "Net Promoter score\n";
    nps_line("overall", a.nps.overall);
    for (std::size_t s = 0; s < a.nps.segments.size(); ++s)
        if (!a.nps.segments[s].empty()) nps_line(a.nps.segments[s], a.nps.by_segment[s]);
    std::array<std::array<std::size_t, 4>, 2> sp{};
    for (std::size_t c = 0; c < n; ++c)
        ++sp[a.proxy[c]][static_cast<std::size_t>(a.spending[c])];
    const std::size_t q_total = sp[0][0] + sp[0][1] + sp[0][2];
    const std::size_t p_total = sp[1][0] + sp[1][1] + sp[1][2];
    out << "Spending types    questionnaire (" << count(q_total) << ")   proxy (" << count(p_total)
        << ", spend per purchase day vs. the segment's quartiles)\n";
    for (std::size_t k = 0; k < 3; ++k) {
        std::snprintf(line, sizeof line, "  %-14s %10s  %7s   %10s  %7s\n",
                      std::string(to_string(static_cast<spending_type>(k))).c_str(),
                      count(sp[0][k]).c_str(), pct(share(sp[0][k], q_total)).c_str(),
                      count(sp[1][k]).c_str(), pct(share(sp[1][k], p_total)).c_str());
        out << line;
    }
    if (a.signals && !a.signals->unmatched.empty())
        out << "  note: " << count(a.signals->unmatched.size())
            << " rows of the signals file name customers not in the log (first: "
            << a.signals->unmatched.front() << "); their churn reasons still count\n";
    if (a.signals && !a.signals->ignored.empty())
        out << "  note: signals columns ignored (not signals): " << a.signals->ignored.size()
            << "\n";
    const churn_reason_tally& t = a.churn;
    if (t.total > 0) {
        out << "Churn reasons (" << count(t.total) << " answers)\n";
        for (std::size_t k = 0; k < n_churn_reasons; ++k) {
            std::snprintf(line, sizeof line, "  %-18s %8s  %7s",
                          std::string(to_string(static_cast<churn_reason>(k))).c_str(),
                          count(t.count[k]).c_str(), pct(t.share[k]).c_str());
            out << line;
            if (t.tested) out << "  (expected " << num(t.expected[k], 1) << ")";
            out << "\n";
        }
        if (t.tested)
            out << "  chi-square " << num(t.chi_square, 3) << ", df " << t.df << ", p "
                << num(t.p_value, 4) << " against the reference\n";
        for (const auto& wmsg : t.warnings)
            out << "  note: " << wmsg << "\n";
    }
}

struct profit_summary {
    double revenue = 0, gross_margin = 0, discounts = 0, orders = 0, returns = 0, service = 0,
           delay = 0, cost_to_serve = 0, profit = 0;
    std::size_t active = 0, wanted = 0, large_unprofitable = 0, loss_makers = 0;
};

profit_summary summarise(const customer_profitability& p) {
    profit_summary s;
    for (std::size_t c = 0; c < p.size(); ++c) {
        s.revenue += p.revenue[c];
        s.gross_margin += p.gross_margin[c];
        s.discounts += p.discounts[c];
        s.orders += p.order_cost[c];
        s.returns += p.return_cost[c];
        s.service += p.service_cost[c];
        s.delay += p.delay_cost[c];
        s.cost_to_serve += p.cost_to_serve[c];
        s.profit += p.profit[c];
        s.active += p.orders[c] > 0 ? 1 : 0;
        s.wanted += p.wanted[c];
        s.large_unprofitable += p.large_unprofitable[c];
        s.loss_makers += p.profit[c] < 0 ? 1 : 0;
    }
    return s;
}

void write_profit_json(detail::json_writer& w, const customer_profitability& p,
                       const whale_result& whale) {
    const profit_summary s = summarise(p);
    w.field("customers", static_cast<std::uint64_t>(p.size()));
    w.field("revenue", s.revenue).field("gross_margin", s.gross_margin);
    w.key("cost_to_serve").begin_object();
    w.field("discounts", s.discounts).field("orders", s.orders).field("returns", s.returns);
    w.field("service", s.service).field("payment_delays", s.delay).field("total", s.cost_to_serve);
    w.end_object();
    w.field("profit", s.profit);
    w.field("wanted", static_cast<std::uint64_t>(s.wanted));
    w.field("large_unprofitable", static_cast<std::uint64_t>(s.large_unprofitable));
    w.field("loss_makers", static_cast<std::uint64_t>(s.loss_makers));
    w.field("large_threshold", p.large_threshold);
    w.key("criteria_skipped").begin_array();
    for (const auto& c : p.criteria_skipped)
        w.value(c);
    w.end_array();
    w.key("whale").begin_object().field("defined", whale.defined);
    if (whale.defined) {
        w.field("peak_share", whale.peak_share).field("peak_entity_share", whale.peak_entity_share);
        w.field("loss_share", whale.loss_share);
    } else {
        w.field("reason", whale.reason);
    }
    w.end_object();
}

void write_profit_text(std::ostream& out, const customer_profitability& p,
                       const whale_result& whale) {
    const profit_summary s = summarise(p);
    out << "Customer profitability (" << count(p.size()) << " customers)\n";
    out << "  net revenue          " << money(s.revenue) << "\n";
    out << "  gross margin         " << money(s.gross_margin) << "  (at list prices)\n";
    out << "  cost to serve        " << money(s.cost_to_serve) << "  (discounts "
        << money(s.discounts) << ", orders " << money(s.orders) << ", returns " << money(s.returns)
        << ", service " << money(s.service) << ", payment delays " << money(s.delay) << ")\n";
    out << "  profit               " << money(s.profit) << "\n";
    out << "  wanted customers     " << count(s.wanted) << "  (" << pct(share(s.wanted, s.active))
        << " of buyers)\n";
    out << "  large, unprofitable  " << count(s.large_unprofitable)
        << "  (revenue >= " << money(p.large_threshold) << ", profit < 0)\n";
    out << "  loss makers          " << count(s.loss_makers) << "\n";
    for (const auto& c : p.criteria_skipped)
        out << "  note: wanted criterion skipped: " << c << "\n";
    if (whale.defined)
        out << "  whale curve: peaks at " << pct(whale.peak_share)
            << " of total profit after the top " << pct(whale.peak_entity_share)
            << "; loss makers destroy " << pct(whale.loss_share) << " of it\n";
    else
        out << "  whale curve: not defined: " << whale.reason << "\n";
}

customer_profitability compute_profitability(const transaction_log& log, const row_columns& rows,
                                             const std::optional<signal_file>& signals,
                                             const profitability_config& config) {
    profitability_inputs in;
    in.discount = rows.discount;
    in.payment_delay = rows.payment_delay;
    std::vector<double> tickets;
    if (signals && !signals->service_tickets.empty()) {
        tickets.reserve(signals->service_tickets.size());
        for (const auto& t : signals->service_tickets)
            tickets.push_back(t.value_or(0.0)); // no ticket recorded: none raised
        in.tickets = tickets;
    }
    return profitability(log.view(), config.rates, in, config.flags);
}

} // namespace

void print_loyalty(std::ostream& out, const loyalty_cli_options& o, bool json) {
    const transaction_log log = read_transactions_csv(o.file, o.columns);
    const row_columns rows = read_row_columns(o);
    const loyalty_rules rules = o.rules.empty()
                                    ? loyalty_rules{}
                                    : parse_loyalty_rules(read_file(o.rules, "--rules"), o.rules);
    const std::vector<double> reference = parse_reference(o.churn_reference);
    const loyalty_analysis a = analyse(log, rows, o.signals, rules, reference);
    if (!o.out.empty()) {
        check_not_input(o.out, o.file, "--out");
        output_file file(o.out);
        std::ostream& f = file.stream();
        f << "customer_id,loyalty_type,quadrant,nps_category,spending_type,reason\n";
        for (std::size_t c = 0; c < a.labels.size(); ++c) {
            std::string spending(to_string(a.spending[c]));
            if (a.proxy[c] != 0) spending += " (proxy)";
            f << csv_key(log.customer_keys, static_cast<entity_id>(c)) << ','
              << to_string(a.labels.type[c]) << ',' << to_string(a.labels.quadrant_of[c]) << ','
              << to_string(a.nps.category[c]) << ',' << spending << ','
              << csv_field(a.labels.rule[c]) << '\n';
        }
        file.commit();
        if (o.out == "-") return; // the table is the standard output
    }
    if (json) {
        detail::json_writer w(out);
        w.begin_object();
        if (!o.out.empty()) w.field("out", o.out);
        write_loyalty_json(w, a);
        w.end_object();
    } else {
        write_loyalty_text(out, a);
        if (!o.out.empty())
            out << "wrote the labels of " << a.labels.size() << " customers to " << o.out << "\n";
    }
}

void print_profitability(std::ostream& out, const loyalty_cli_options& o, bool json) {
    if (o.costs.empty()) throw invalid_argument("--costs", "required (a JSON file of cost rates)");
    const profitability_config config =
        parse_profitability_config(read_file(o.costs, "--costs"), o.costs);
    const transaction_log log = read_transactions_csv(o.file, o.columns);
    const row_columns rows = read_row_columns(o);
    const customer_profitability p =
        compute_profitability(log, rows, read_signals(o.signals, log), config);
    const whale_result whale = whale_curve(p.profit);
    if (!o.out.empty()) {
        check_not_input(o.out, o.file, "--out");
        output_file file(o.out);
        std::ostream& f = file.stream();
        f << "customer_id,revenue,cost,discounts,gross_margin,order_cost,return_cost,"
             "service_cost,delay_cost,cost_to_serve,profit,orders,return_rows,large,"
             "large_unprofitable,wanted,reason\n";
        for (std::size_t c = 0; c < p.size(); ++c) {
            f << csv_key(log.customer_keys, static_cast<entity_id>(c));
            for (const auto* v :
                 {&p.revenue, &p.cost, &p.discounts, &p.gross_margin, &p.order_cost, &p.return_cost,
                  &p.service_cost, &p.delay_cost, &p.cost_to_serve, &p.profit})
                f << ',' << number_text((*v)[c]);
            f << ',' << p.orders[c] << ',' << p.return_rows[c] << ',' << int(p.large[c]) << ','
              << int(p.large_unprofitable[c]) << ',' << int(p.wanted[c]) << ','
              << csv_field(p.reason[c]) << '\n';
        }
        file.commit();
        if (o.out == "-") return; // the table is the standard output
    }
    if (json) {
        detail::json_writer w(out);
        w.begin_object();
        if (!o.out.empty()) w.field("out", o.out);
        write_profit_json(w, p, whale);
        w.end_object();
    } else {
        write_profit_text(out, p, whale);
        if (!o.out.empty())
            out << "wrote the profitability of " << p.size() << " customers to " << o.out << "\n";
    }
}

void report_loyalty_text(std::ostream& out, const transaction_log& log, const std::string& signals,
                         const std::string& costs) {
    const loyalty_analysis a = analyse(log, {}, signals, {}, {});
    out << "\n";
    write_loyalty_text(out, a);
    out << "\n";
    if (!log.has_cost()) {
        out << "Customer profitability: skipped (the log has no cost column)\n";
        return;
    }
    const profitability_config config =
        costs.empty() ? profitability_config{}
                      : parse_profitability_config(read_file(costs, "--costs"), costs);
    const customer_profitability p = compute_profitability(log, {}, a.signals, config);
    write_profit_text(out, p, whale_curve(p.profit));
    if (costs.empty()) out << "  note: no --costs given: every cost rate is 0\n";
}

void report_loyalty_json(detail::json_writer& w, const transaction_log& log,
                         const std::string& signals, const std::string& costs) {
    const loyalty_analysis a = analyse(log, {}, signals, {}, {});
    w.key("loyalty").begin_object();
    write_loyalty_json(w, a);
    w.end_object();
    if (!log.has_cost()) return;
    const profitability_config config =
        costs.empty() ? profitability_config{}
                      : parse_profitability_config(read_file(costs, "--costs"), costs);
    const customer_profitability p = compute_profitability(log, {}, a.signals, config);
    w.key("profitability").begin_object();
    write_profit_json(w, p, whale_curve(p.profit));
    w.end_object();
}

namespace {

/// The options `loyalty` and `profitability` share, with the log's columns and --format.
struct loyalty_command {
    loyalty_cli_options options;
    column_args columns;
    std::string format = "text";
};

std::shared_ptr<loyalty_command> add_loyalty_options(CLI::App& cmd) {
    auto o = std::make_shared<loyalty_command>();
    cmd.add_option("file", o->options.file, "Transaction CSV")->required();
    o->columns.add_to(cmd);
    cmd.add_option("--signals", o->options.signals,
                   "Per-customer CSV: customer_id and any of satisfaction, recommend, "
                   "referrals, complaints, share_of_wallet, has_alternative, segment, "
                   "churn_reason, service_tickets, tw_describe, tw_trouble_limiting, "
                   "tw_trouble_spending, tw_sale_scenario");
    cmd.add_option("--discount", o->options.discount,
                   "Column of the log holding the discount given on the row");
    cmd.add_option("--payment-delay", o->options.payment_delay,
                   "Column of the log holding the days the row was paid late");
    cmd.add_option("--out", o->options.out, "Write one row per customer to this CSV");
    add_format(cmd, o->format);
    return o;
}

} // namespace

void register_loyalty(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "loyalty", "Loyalty types, satisfaction x loyalty quadrants, NPS, spending types and "
                   "churn reasons per customer, each label with the rule behind it");
    auto o = add_loyalty_options(*cmd);
    cmd->add_option("--rules", o->options.rules,
                    "JSON object of rule thresholds: min_purchase_days (3), max_regular_cv (0.5), "
                    "max_recency_ratio (2), high_satisfaction (4), low_satisfaction (2), "
                    "promoter_min (9), detractor_max (6), min_referrals (1), min_complaints (1), "
                    "min_share_of_wallet (0.5), min_discount_share (0.5)");
    cmd->add_option("--churn-reference", o->options.churn_reference,
                    "JSON object of the reference share of each churn reason");
    cmd->callback([o] {
        loyalty_cli_options lo = o->options;
        lo.columns = o->columns.resolve();
        print_loyalty(std::cout, lo, o->format == "json");
    });
}

void register_profitability(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "profitability", "Profit per customer: gross margin minus the cost to serve, with the "
                         "wanted and the large-but-unprofitable customers flagged");
    auto o = add_loyalty_options(*cmd);
    cmd->add_option("--costs", o->options.costs,
                    "JSON object of cost rates (per_order, per_return, per_ticket, "
                    "cost_of_capital per year; default 0) and flag thresholds "
                    "(large_quantile 0.8, max_return_rate 0.1, max_tickets_per_order 0.2, "
                    "max_payment_delay_days 0)")
        ->required();
    cmd->callback([o] {
        loyalty_cli_options po = o->options;
        po.columns = o->columns.resolve();
        print_profitability(std::cout, po, o->format == "json");
    });
}

} // namespace custometrics::cli
