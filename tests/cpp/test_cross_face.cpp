// The C++ face of the cross-face suite (tests/python/test_cross_face.py runs the CLI, Python and
// Spark on the same log): the log `custometrics generate --customers 1500 --seed 5
// --return-rate 0.05` writes, generated here in memory by the core, written as CSV by the
// core's writer and read back by its reader (as the CLI and `read_transactions` read it). The
// summary, Pareto analysis, fits, scores, contact lists and break-even figures of the in-memory
// log equal those of the CSV path and of the core workflow functions the CLI calls
// (`pareto_of_log`, `fit_summary` and `score_summary` on the summary file) and Python calls
// (`pareto_of_rows`, `score_customers` on columns, the column form of `break_even_over_time`):
// bit-identical, as the arithmetic is the same in the same order.
//
// Independent anchors, from the CLI on the same options: 4,300 rows of 1,500 customers;
// `break-even --log --fixed-costs-per-month 2000` reaches break-even at 2020-05-25T18:44:58
// with cumulative revenue 145302.61999999994 over 24 months.
#include <custometrics/break_even.hpp>
#include <custometrics/csv.hpp>
#include <custometrics/date.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/json_value.hpp>
#include <custometrics/output/summary.hpp>
#include <custometrics/pareto.hpp>
#include <custometrics/pareto_log.hpp>
#include <custometrics/retention.hpp>
#include <custometrics/summary.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

/// The generated log of the cross-face suite (the CLI's `generate` defaults for the rest).
const transaction_log& in_memory() {
    static const transaction_log log = [] {
        generate_options o;
        o.customers = 1500;
        o.seed = 5;
        o.return_rate = 0.05;
        return generate_transactions(o).log;
    }();
    return log;
}

/// The same log written as CSV and read back with the CLI's column rule (the optional columns
/// by their conventional names).
const transaction_log& through_csv() {
    static const transaction_log log = [] {
        std::stringstream csv;
        write_transactions_csv(csv, in_memory());
        csv_columns c;
        c.conventional_names = true;
        return read_transactions_csv(csv, "log.csv", c);
    }();
    return log;
}

/// The keys of `ids` in `keys`, as text: ids of two logs may differ where their keys do not.
template <class Ids> std::vector<std::string> keys_of(const key_index& keys, const Ids& ids) {
    std::vector<std::string> out;
    for (const auto id : ids)
        out.push_back(keys.key_string(static_cast<entity_id>(id)));
    return out;
}

/// A temporary file removed at the end of the scope.
struct temp_file {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("custometrics_cross_face_" + std::to_string(::getpid()) + ".csv");
    ~temp_file() { std::filesystem::remove(path); }
};

} // namespace

TEST_CASE("cross-face: the generated log reads back from its CSV as it was") {
    const transaction_log& a = in_memory();
    const transaction_log& b = through_csv();
    REQUIRE(a.size() == 4300); // as `custometrics generate` reports it
    CHECK(a.customer_keys.size() == 1500);
    REQUIRE(b.size() == a.size());
    CHECK(b.time == a.time);
    CHECK(b.amount == a.amount); // numbers written in the shortest form that reads back exactly
    CHECK(b.cost == a.cost);
    CHECK(keys_of(b.customer_keys, b.customer) == keys_of(a.customer_keys, a.customer));
    CHECK(keys_of(b.product_keys, b.product) == keys_of(a.product_keys, a.product));
    CHECK(keys_of(b.channel_keys, b.channel) == keys_of(a.channel_keys, a.channel));
}

TEST_CASE("cross-face: summaries of the log and of its CSV are bit-identical") {
    summary_options weeks;
    weeks.unit = time_unit::weeks;
    summary_options scaled;
    scaled.unit_scale = 7.0;
    summary_options calibration;
    calibration.calibration_end = parse_time("2021-06-30");
    for (const summary_options& o : {summary_options{}, weeks, scaled, calibration}) {
        const customer_summary a = summarize(in_memory().view(), o);
        const customer_summary b = summarize(through_csv().view(), o);
        CHECK(keys_of(through_csv().customer_keys, b.customer) ==
              keys_of(in_memory().customer_keys, a.customer));
        CHECK(b.frequency == a.frequency);
        CHECK(b.recency == a.recency);
        CHECK(b.T == a.T);
        CHECK(b.monetary_value == a.monetary_value);
        CHECK(b.revenue == a.revenue);
        CHECK(b.returns == a.returns);
        CHECK(b.profit == a.profit);
        CHECK(b.n_returns == a.n_returns);
        CHECK(b.frequency_holdout == a.frequency_holdout);
        CHECK(b.monetary_value_holdout == a.monetary_value_holdout);
    }
}

TEST_CASE("cross-face: the Pareto analysis of the CLI, of Python's row path and of the CSV") {
    const transaction_log& mem = in_memory();
    const transaction_log& csv = through_csv();
    for (const auto& [d, m] : {std::pair{dimension::customer, measure::revenue},
                               std::pair{dimension::product, measure::profit},
                               std::pair{dimension::channel, measure::revenue}}) {
        CAPTURE(static_cast<int>(d));
        // What `custometrics pareto` computes, on the log and on its CSV.
        const log_pareto a = pareto_of_log(mem, d, m);
        const log_pareto b = pareto_of_log(csv, d, m);
        const key_index& keys = dimension_keys(csv, d);
        CHECK(keys_of(keys, b.pareto.entity) == keys_of(dimension_keys(mem, d), a.pareto.entity));
        CHECK(b.pareto.value == a.pareto.value);
        CHECK(b.pareto.abc == a.pareto.abc);
        CHECK(b.pareto.gini.gini == a.pareto.gini.gini);
        // What Python's `pareto` computes from the rows (one thread: sums in row order, as the
        // log's totals): customer keys as integers, products and channels as string keys.
        std::vector<double> value(csv.size());
        for (std::size_t i = 0; i < csv.size(); ++i)
            value[i] = m == measure::profit ? csv.amount[i] - csv.cost[i] : csv.amount[i];
        const row_columns names{"key", "value"};
        keyed_pareto rows;
        if (d == dimension::customer) {
            const auto integer = csv.customer_keys.integer_keys();
            std::vector<std::int64_t> k(csv.size());
            for (std::size_t i = 0; i < csv.size(); ++i)
                k[i] = integer[csv.customer[i]];
            rows = pareto_of_rows(k, value, {.threads = 1}, names);
            std::vector<std::string> row_keys;
            for (const std::int64_t key : rows.keys)
                row_keys.push_back(std::to_string(key));
            CHECK(row_keys == keys_of(keys, b.pareto.entity));
        } else {
            const std::vector<entity_id>& ids = d == dimension::product ? csv.product : csv.channel;
            rows = pareto_of_rows(ids, keys, value, {.threads = 1}, names);
            CHECK(keys_of(keys, rows.keys) == keys_of(keys, b.pareto.entity));
        }
        CHECK(rows.pareto.value == b.pareto.value);
        CHECK(rows.pareto.cum_share == b.pareto.cum_share);
        CHECK(rows.pareto.abc == b.pareto.abc);
        CHECK(rows.pareto.gini.gini == b.pareto.gini.gini);
    }
}

TEST_CASE("cross-face: fits from the summary file (the CLI) equal fits of the summary") {
    const customer_summary s = summarize(in_memory().view());
    temp_file file;
    {
        std::ofstream out(file.path);
        output::write_csv(out, s, in_memory().customer_keys); // as `summarize --out` writes it
    }
    const summary_table table = read_summary_csv(file.path.string(), true);
    REQUIRE(table.x.size() == s.size());
    const fitted_model bg = fit_summary(table, "bgnbd");
    const fit_result want = fit_purchase_model(purchase_model_kind::bg_nbd,
                                               compress_summary(s.frequency, s.recency, s.T));
    CHECK(bg.params == want.params);
    REQUIRE(bg.fit);
    CHECK(bg.fit->log_likelihood == want.log_likelihood);
    CHECK(bg.units->unit == time_unit::days);
    const fitted_model gg = fit_summary(table, "gamma-gamma");
    const fit_result gg_want = fit_gamma_gamma(select_spend_sample(s.frequency, s.monetary_value));
    CHECK(gg.params == gg_want.params);
}

TEST_CASE("cross-face: scores and contacts of the summary file (the CLI) equal those of columns") {
    // The CLI: `summarize --out`, `fit --out`, then `score` / `contacts` on the summary file
    // (score_summary: its observation_end is the analysis date). Python: the summary's columns
    // with that date given (score_customers, as _core.retention_score calls it). Same models,
    // same arithmetic in the same order: bit-identical.
    const customer_summary s = summarize(in_memory().view());
    temp_file file;
    {
        std::ofstream out(file.path);
        output::write_csv(out, s, in_memory().customer_keys);
    }
    const summary_table table = read_summary_csv(file.path.string(), true);
    const fitted_model bg = fit_summary(table, "bgnbd");
    const std::optional<fitted_model> gg = fit_summary(table, "gamma-gamma");
    const customer_scores cli = score_summary(table, bg, gg);
    score_options o;
    o.analysis_date = s.observation_end;
    const customer_scores py =
        score_customers(bg, gg, {s.frequency, s.recency, s.T, s.monetary_value, {}, {}},
                        parse_summary_units("days", 1.0), o);
    REQUIRE(cli.size() == 1500);
    CHECK(py.p_alive == cli.p_alive);
    CHECK(py.expected_purchases == cli.expected_purchases);
    CHECK(py.expected_spend == cli.expected_spend);
    CHECK(py.clv == cli.clv);
    CHECK(py.next_purchase_date == cli.next_purchase_date);
    CHECK(py.clv_total == cli.clv_total);
    const contact_plan a = contact_list(cli, {120.0, 10.0, 0});
    const contact_plan b = contact_list(py, {120.0, 10.0, 0});
    REQUIRE(!a.contacts.empty());
    REQUIRE(a.contacts.size() == b.contacts.size());
    for (std::size_t i = 0; i < a.contacts.size(); ++i) {
        CHECK(a.contacts[i].customer == b.contacts[i].customer);
        CHECK(a.contacts[i].clv == b.contacts[i].clv);
        CHECK(a.contacts[i].call_date == b.contacts[i].call_date);
    }
    CHECK(a.value_at_risk == b.value_at_risk);
}

TEST_CASE("cross-face: break-even over time of the log, of its CSV and of its columns") {
    const transaction_log& mem = in_memory();
    const transaction_log& csv = through_csv();
    const break_even_over_time_result a = break_even_over_time(mem.view(), 2000.0);
    const break_even_over_time_result b = break_even_over_time(csv.view(), 2000.0);
    // Python passes the times as numpy datetime64[ns] ticks.
    std::vector<std::int64_t> ns(csv.time.begin(), csv.time.end());
    for (auto& t : ns)
        t *= 1'000'000'000;
    const break_even_over_time_result c =
        break_even_over_time(ns, 1'000'000'000, csv.amount, csv.cost, 2000.0);
    REQUIRE(a.defined);
    CHECK(format_time(a.time) == "2020-05-25T18:44:58");
    CHECK(a.cumulative_revenue.size() == 24);
    CHECK(a.cumulative_revenue.back() == 145302.61999999994);
    for (const break_even_over_time_result* r : {&b, &c}) {
        CHECK(r->period_start == a.period_start);
        CHECK(r->cumulative_revenue == a.cumulative_revenue);
        CHECK(r->cumulative_cost == a.cumulative_cost);
        CHECK(r->time == a.time);
        CHECK(r->period == a.period);
    }
}

TEST_CASE("cross-face: CDNOW through the C++ face equals the CLI's recorded figures") {
    // The CDNOW master log (23,570 customers, 1997-01..1998-06; skipped where the shared data
    // are absent) read as the CSV that tests/python/test_cross_face.py writes for the CLI and
    // Python; tests/reference/cdnow_cross_face.json holds what the CLI printed for it
    // (`summarize --time-unit weeks`, `fit`, `pareto --by customer --measure revenue`), and
    // the Python test checks the CLI and Python against the same file.
    std::ifstream master(std::string(CUSTOMETRICS_SHARED_DATA_DIR) + "/cdnow/CDNOW_master.txt");
    if (!master) {
        MESSAGE("skipped: no CDNOW data under CUSTOMETRICS_SHARED_DATA_DIR");
        return;
    }
    std::string line;
    std::getline(master, line); // customer_id date number_of_cds dollar_value
    std::ostringstream csv;
    csv << "customer_id,date,quantity,amount\n";
    while (std::getline(master, line)) {
        std::istringstream row(line);
        std::string id, date, quantity, amount;
        if (!(row >> id >> date >> quantity >> amount)) continue; // the blank last line
        csv << std::stoll(id) << ',' << date.substr(0, 4) << '-' << date.substr(4, 2) << '-'
            << date.substr(6, 2) << ',' << quantity << ',' << amount << '\n';
    }
    std::istringstream in(csv.str());
    csv_columns columns;
    columns.conventional_names = true;
    const transaction_log log = read_transactions_csv(in, "cdnow.csv", columns);
    std::ifstream file(std::filesystem::path(__FILE__).parent_path().parent_path() / "reference" /
                       "cdnow_cross_face.json");
    REQUIRE(file);
    const json_value want = parse_json(
        std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()),
        "cdnow_cross_face.json");

    summary_options weeks;
    weeks.unit = time_unit::weeks;
    const customer_summary s = summarize(log.view(), weeks);
    REQUIRE(s.size() == static_cast<std::size_t>(want.number("customers")));
    const json_value& sums = want.at("summary_sums");
    const auto sum = [](const std::vector<double>& v) { // in the summary's order, as written
        double t = 0.0;
        for (const double x : v)
            t += x;
        return t;
    };
    CHECK(sum(s.frequency) == sums.number("frequency"));
    CHECK(sum(s.recency) == sums.number("recency"));
    CHECK(sum(s.T) == sums.number("T"));
    CHECK(sum(s.monetary_value) == sums.number("monetary_value"));
    CHECK(sum(s.revenue) == sums.number("revenue"));

    const fit_result bg = fit_purchase_model(purchase_model_kind::bg_nbd,
                                             compress_summary(s.frequency, s.recency, s.T));
    const json_value& params = want.at("bgnbd").at("params");
    const char* names[] = {"r", "alpha", "a", "b"};
    for (std::size_t k = 0; k < 4; ++k)
        CHECK(bg.params[k] == doctest::Approx(params.number(names[k])).epsilon(1e-12));
    CHECK(bg.log_likelihood ==
          doctest::Approx(want.at("bgnbd").number("log_likelihood")).epsilon(1e-12));

    const log_pareto p = pareto_of_log(log, dimension::customer, measure::revenue);
    const json_value& figures = want.at("pareto");
    CHECK(static_cast<double>(p.pareto.entity.size()) == figures.number("n"));
    CHECK(p.pareto.total == figures.number("total")); // the CLI's sums, in the same order
    CHECK(p.pareto.gini.gini == doctest::Approx(figures.number("gini")).epsilon(1e-12));
    CHECK(p.pareto.entities_for_80pct == figures.number("entities_for_80pct"));
    const json_value& classes = figures.at("classes");
    CHECK(static_cast<double>(p.pareto.class_count[0]) == classes.number("A"));
    CHECK(static_cast<double>(p.pareto.class_count[1]) == classes.number("B"));
    CHECK(static_cast<double>(p.pareto.class_count[2]) == classes.number("C"));
}
