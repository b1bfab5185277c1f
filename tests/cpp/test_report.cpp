// Tests of report.hpp and output/report.hpp: the overview of a small log worked by hand, the
// linear quantile against numpy's values, and the text and JSON lines the writers produce.
#include <custometrics/csv.hpp>
#include <custometrics/date.hpp>
#include <custometrics/detail/json.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/json_value.hpp>
#include <custometrics/output/report.hpp>
#include <custometrics/output/svg.hpp>
#include <custometrics/report.hpp>
#include <custometrics/retention/diagnostics.hpp>
#include <custometrics/summary.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace custometrics;

namespace {

// Net revenue per customer: A 50 - 5 = 45, B 30, C 15 + 7 = 22 (total 97 = 102 - 5).
// Profit per customer: A (50 - 20) + (-5 + 2) = 27, B 30 - 35 = -5, C (15 - 5) + (7 - 3) = 14.
const char* const log_csv = "customer_id,date,amount,cost,product,channel\n"
                            "A,2020-01-01,50,20,p1,web\n"
                            "B,2020-01-02,30,35,p1,shop\n"
                            "A,2020-01-03,-5,-2,p2,web\n"
                            "C,2020-01-03,15,5,p2,shop\n"
                            "C,2020-01-04,7,3,p1,web\n";

transaction_log read_log() {
    std::istringstream in(log_csv);
    csv_columns columns;
    columns.conventional_names = true;
    return read_transactions_csv(in, "log.csv", columns);
}

sales_overview overview_of(const transaction_log& log) {
    summary_options so;
    so.unit = time_unit::days;
    return compute_sales_overview(log, summarize(log.view(), so));
}

} // namespace

TEST_CASE("quantile_linear interpolates as numpy's default") {
    // numpy.quantile([1, 2, 3, 4], 0.5) == 2.5; numpy.quantile([5, 1, 3], 0.9) == 4.6.
    CHECK(quantile_linear({1, 2, 3, 4}, 0.5) == doctest::Approx(2.5));
    CHECK(quantile_linear({5, 1, 3}, 0.9) == doctest::Approx(4.6));
    CHECK(quantile_linear({7}, 0.9) == 7.0);
    CHECK(quantile_linear({}, 0.5) == 0.0);
    CHECK_THROWS_AS(quantile_linear({1.0}, 1.5), invalid_argument);
}

TEST_CASE("compute_sales_overview: the figures of a small log by hand") {
    const transaction_log log = read_log();
    const sales_overview o = overview_of(log);
    CHECK(o.rows == 5);
    CHECK(o.purchase_rows == 4);
    CHECK(o.return_rows == 1);
    CHECK(o.days == 4); // 2020-01-01 .. 2020-01-04, both included
    CHECK(o.customers == 3);
    CHECK(o.customers_with_purchase == 3);
    CHECK(o.products == 2);
    CHECK(o.channels == 2);
    CHECK(o.gross_sales == 102.0);
    CHECK(o.returns == 5.0);
    CHECK(o.net_revenue == 97.0);
    CHECK(*o.cost == 61.0); // 20 + 35 - 2 + 5 + 3
    CHECK(*o.profit == 36.0);
    CHECK(o.revenue_mean == doctest::Approx(97.0 / 3));
    CHECK(o.revenue_median == 30.0);
    CHECK(o.revenue_p90 == doctest::Approx(42.0)); // 30 + 0.8 * (45 - 30)
    CHECK(o.revenue_max == 45.0);
    // A and B bought on one day only; C on two days: one repeat purchase worth 7.
    CHECK(o.one_time_buyer_share == doctest::Approx(2.0 / 3));
    CHECK(o.mean_frequency == doctest::Approx(1.0 / 3));
    CHECK(o.mean_repeat_purchase_value == 7.0);
    REQUIRE(o.pareto.size() == 3);
    CHECK(o.pareto[0].dimension == "customer");
    CHECK(o.pareto[0].n == 3);
    CHECK(o.pareto[0].top20_share == doctest::Approx(45.0 / 97)); // ceil(0.2 * 3) = 1: A
    // At most 30 entities: one bar each, the cumulative line ending at 100%.
    CHECK(o.pareto[0].bar_values == std::vector<double>{45, 30, 22});
    CHECK(o.pareto[0].bar_cum_share.back() == doctest::Approx(1.0));
    CHECK(o.pareto[1].dimension == "product");
    CHECK(o.pareto[2].dimension == "channel");
    REQUIRE(o.whale);
    CHECK(o.whale->defined);
    CHECK(o.whale->peak_share == doctest::Approx(41.0 / 36)); // (27 + 14) / 36
    CHECK(o.whale->loss_entity_share == doctest::Approx(1.0 / 3));
    CHECK(o.whale->loss_share == doctest::Approx(5.0 / 36));
}

TEST_CASE("the overview writers: text lines and JSON members") {
    const sales_overview o = overview_of(read_log());
    std::ostringstream text;
    output::write_text(text, o, "log.csv", {});
    const std::string t = text.str();
    CHECK(t.rfind("custometrics report: log.csv\n\nTransactions\n", 0) == 0);
    CHECK(t.find("  rows                 5  (purchases 4, returns 1)\n") != std::string::npos);
    CHECK(t.find("  period               2020-01-01 .. 2020-01-04  (4 days)\n") !=
          std::string::npos);
    CHECK(t.find("  returns              -5.00  (4.9% of gross)\n") != std::string::npos);
    CHECK(t.find("  gross profit         36.00  (margin 37.1%)\n") != std::string::npos);
    CHECK(t.find("  90th pct / max       42.00 / 45.00\n") != std::string::npos);

    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, o, "log.csv");
    w.end_object();
    const std::string j = json.str();
    CHECK(j.rfind("{\"source\":\"log.csv\",\"rows\":5,\"purchase_rows\":4,\"return_rows\":1,", 0) ==
          0);
    CHECK(
        j.find("\"gross_sales\":102,\"returns\":5,\"net_revenue\":97,\"cost\":61,\"profit\":36,") !=
        std::string::npos);
    CHECK(j.find("\"classes\":{\"A\":") != std::string::npos);
}

TEST_CASE("build_report: every section, written as text, JSON and one page") {
    report_options ro;
    ro.source = "log.csv";
    ro.fixed_costs_per_month = 10.0;
    const sales_report r = build_report(read_log(), ro);
    CHECK(r.overview.net_revenue == 97.0);
    CHECK(r.summary.size() == 3);
    REQUIRE(r.break_even); // the log has a cost column
    // Critical volume: one month (January 2020), net revenue 97, cost of goods
    // 20 + 35 - 2 + 5 + 3 = 61, contribution 36 = 37.1%; fixed costs 10 -> break-even revenue
    // 10 * 97 / 36 = 26.94, margin of safety 97 - 26.94 = 70.06 = (36 - 10) / 36 = 72.2% of sales.
    REQUIRE(r.critical);
    CHECK(r.critical->months == 1.0);
    CHECK(r.critical->break_even.revenue == doctest::Approx(970.0 / 36.0));
    CHECK(r.critical->margin_of_safety.revenue == doctest::Approx(97.0 - 970.0 / 36.0));
    CHECK(r.critical->margin_of_safety.ratio == doctest::Approx(26.0 / 36.0));
    std::ostringstream text, json;
    output::write_text(text, r);
    output::write_json(json, r);
    const std::string t = text.str(), j = json.str();
    CHECK(t.rfind("custometrics report: log.csv\n", 0) == 0);
    for (const char* heading :
         {"\nCustomer segments (RFM)", "\nRetention", "\nBreak-even", "\nLoyalty types"})
        CHECK_MESSAGE(t.find(heading) != std::string::npos, heading);
    // The members in the report's order, after the overview's.
    std::size_t at = 0;
    for (const char* member : {"\"source\":", "\"rfm\":", "\"retention\":", "\"break_even\":",
                               "\"loyalty\":", "\"profitability\":"}) {
        const std::size_t p = j.find(member);
        CHECK_MESSAGE((p != std::string::npos && p >= at), member);
        at = p == std::string::npos ? at : p;
    }
    const std::string page = output::render_html(r);
    CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(page.find("<td class=\"num\">97.00</td>") != std::string::npos);
    for (const char* id : {"id=\"glance\"", "id=\"sources\"", "id=\"profit\"", "id=\"retention\"",
                           "id=\"break-even\""})
        CHECK_MESSAGE(page.find(id) != std::string::npos, id);
    CHECK(page.find("Cumulative revenue and costs") != std::string::npos);
    CHECK(t.find("\n  critical volume      26.94 revenue a month (contribution margin 37.1%)\n"
                 "  margin of safety     70.06 a month, 72.2% of sales of 97.00\n") !=
          std::string::npos);
    CHECK(j.find(R"("critical_volume":{"months":1,"revenue_per_month":97,)") != std::string::npos);
    CHECK(page.find("Break-even chart: a month&#39;s costs and revenue") != std::string::npos);
    CHECK(page.find("<td>margin of safety (share of sales)</td><td class=\"num\">72.2%</td>") !=
          std::string::npos);
    CHECK_THROWS_AS((void)build_report(transaction_log{}, ro), invalid_argument);
}

TEST_CASE("render_html: the page does not grow with the customers (charts aggregated)") {
    // Issue 19: a page for a large log stays small (under 5 MB for a million customers): the
    // curves are cut to at most 201 points and the tables to the top entries, so eight times
    // the customers make a page hardly larger. Were every customer a point of the Pareto, Lorenz
    // and whale curves, the 8,000-customer page would be several times the 1,000-customer one.
    const auto page_of = [](std::size_t customers) {
        report_options ro;
        ro.source = "sample";
        return output::render_html(build_report(generate_report_sample(customers, 3).log, ro));
    };
    const std::string small = page_of(1000), large = page_of(8000);
    CHECK(large.size() < small.size() * 5 / 4);
    CHECK(large.size() < 5'000'000);
}

TEST_CASE("generate_report_sample: the generator's log of that size and seed, named") {
    const report_sample s = generate_report_sample(300, 1);
    CHECK(s.source == "generated sample (300 customers, seed 1)");
    generate_options g;
    g.customers = 300;
    g.seed = 1;
    const transaction_log want = generate_transactions(g).log;
    CHECK(s.log.customer_keys.size() == 300);
    CHECK(s.log.size() == want.size());
    CHECK(s.log.amount == want.amount);
    CHECK(s.log.time == want.time);
    CHECK(s.log.customer == want.customer);
}

TEST_CASE("histogram_01: counts in equal bins over [0, 1]") {
    // 0 and 0.05 in [0, 0.1); 0.5 in [0.5, 0.6); 0.99 and 1 (the closed end) in the last bin.
    const std::vector<double> v{0, 0.05, 0.5, 0.99, 1};
    CHECK(histogram_01(v, 10) == std::vector<std::size_t>{2, 0, 0, 0, 0, 1, 0, 0, 0, 2});
    CHECK(histogram_01(v, 2) == std::vector<std::size_t>{2, 3});
    CHECK(histogram_01({}, 3) == std::vector<std::size_t>{0, 0, 0});
    const std::vector<double> bad{0.5, 1.5};
    CHECK_THROWS_WITH_AS((void)histogram_01(bad, 10), "values: value 1.5 at 1 is outside [0, 1]",
                         invalid_argument);
    CHECK_THROWS_AS((void)histogram_01(v, 0), invalid_argument);
}

TEST_CASE("choose_report_model: by holdout MAE over the last third of the log, else by BIC") {
    // A log of 4 days has no 28-day holdout: chosen by BIC on the whole log, with the reason.
    const transaction_log tiny = read_log();
    summary_options so;
    so.unit = time_unit::days;
    const report_model_choice t = choose_report_model(tiny.view(), summarize(tiny.view(), so));
    CHECK_FALSE(t.calibration_end);
    CHECK(t.holdout_days == 0.0);
    CHECK(t.note.rfind("the log is too short for a holdout of 28 days", 0) == 0);

    // 600 generated customers over 2020-01-01 .. 2021-12-31: the calibration ends 2/3 of the
    // way from the first to the last purchase, the holdout is the rest in days.
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    const transaction_log log = generate_transactions(g).log;
    const transaction_view view = log.view();
    std::int64_t first = view.seconds(0), last = first;
    for (std::size_t i = 0; i < view.size(); ++i) {
        first = std::min(first, view.seconds(i));
        last = std::max(last, view.seconds(i));
    }
    const customer_summary all = summarize(view, so);
    const report_model_choice c = choose_report_model(view, all);
    REQUIRE(c.calibration_end);
    CHECK(*c.calibration_end == first + (last - first) / 3 * 2);
    CHECK(c.holdout_days == static_cast<double>(last / 86'400 - *c.calibration_end / 86'400));
    CHECK(c.note.empty());
    REQUIRE(c.selection.models.size() == 3);
    REQUIRE(c.selection.chosen);
    CHECK(c.selection.criterion == selection_criterion::mae);
    CHECK(c.model == c.selection.models[*c.selection.chosen].model);
    // The chosen model has the smallest MAE; recomputed here from its parameters on the
    // calibration summary (customers with T > 0) with holdout_check.
    so.calibration_end = c.calibration_end;
    const customer_summary cal = summarize(view, so);
    std::vector<double> x, tx, T, xh;
    for (std::size_t i = 0; i < cal.size(); ++i)
        if (cal.T[i] > 0) {
            x.push_back(cal.frequency[i]);
            tx.push_back(cal.recency[i]);
            T.push_back(cal.T[i]);
            xh.push_back(cal.frequency_holdout[i]);
        }
    for (const model_score& m : c.selection.models) {
        REQUIRE(m.usable);
        const purchase_params p = purchase_params_from(m.model, m.fit.params);
        const double mae = holdout_check(p, x, tx, T, xh, c.holdout_days).mae;
        CHECK(m.holdout.mae == doctest::Approx(mae));
        CHECK(c.selection.models[*c.selection.chosen].holdout.mae <= mae);
    }
}

TEST_CASE("build_report: the chosen model, the distribution of P(alive) and the call list") {
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    report_options ro;
    ro.source = "generated";
    const sales_report r = build_report(generate_transactions(g).log, ro);
    CHECK(r.retention.model == r.model_choice.model);
    const report_retention_detail& d = r.retention_detail;
    // Every customer with T > 0 is scored once, and counted once in the histogram.
    CHECK(d.rows.size() == r.retention.customers);
    std::size_t counted = 0;
    for (const std::size_t n : d.p_alive_histogram)
        counted += n;
    CHECK(counted == r.retention.customers);
    // P(alive) of the first scored customer, from the overview's parameters directly.
    const purchase_params p = purchase_params_from(r.retention.model, r.retention.purchase.params);
    const std::size_t i0 = d.rows.front();
    CHECK(d.scores.p_alive.front() ==
          doctest::Approx(
              p_alive(p, r.summary.frequency[i0], r.summary.recency[i0], r.summary.T[i0])));
    CHECK(d.scores.expected_alive == doctest::Approx(r.retention.expected_alive));
    // The call list: at most 10, highest value first, each expected within 21 days, the value
    // at risk their sum.
    REQUIRE(d.contacts);
    REQUIRE_FALSE(d.contacts->contacts.empty());
    CHECK(d.contacts->contacts.size() <= 10);
    double sum = 0.0;
    for (std::size_t k = 0; k < d.contacts->contacts.size(); ++k) {
        const contact_entry& e = d.contacts->contacts[k];
        sum += e.clv;
        CHECK(e.next_purchase <= 21.0);
        CHECK(e.call_at == doctest::Approx(std::max(0.0, e.next_purchase - 7.0)));
        if (k > 0) CHECK(e.clv <= d.contacts->contacts[k - 1].clv);
    }
    CHECK(d.contacts->value_at_risk == doctest::Approx(sum));

    std::ostringstream text, json;
    output::write_text(text, r);
    output::write_json(json, r);
    const std::string name(display_name(r.model_choice.model));
    CHECK(text.str().find("\nRetention (" + name + " on days") != std::string::npos);
    CHECK(text.str().find("\n  model choice         " + name +
                          ": smallest holdout MAE over the last ") != std::string::npos);
    CHECK(text.str().find("\n  P(alive) by tenths   0-10% ") != std::string::npos);
    CHECK(text.str().find("\n  call list            ") != std::string::npos);
    const json_value v = parse_json(json.str(), "report.json");
    const json_value& ret = v.at("retention");
    CHECK(ret.at("model").as_string() == std::string(to_string(r.model_choice.model)));
    CHECK(ret.at("model_choice").at("chosen").as_string() == ret.at("model").as_string());
    CHECK(ret.at("model_choice").at("candidates").as_array().size() == 3);
    CHECK(ret.at("p_alive_histogram").at("counts").as_array().size() == 10);
    CHECK(ret.at("call_list").at("customers").as_array().size() == d.contacts->contacts.size());
    const std::string page = output::render_html(r);
    CHECK(page.find("How likely customers are still buying: P(alive)") != std::string::npos);
    CHECK(page.find("Who to call: the ") != std::string::npos);
    CHECK(page.find("<th class=\"num\">holdout MAE</th>") != std::string::npos);
}

TEST_CASE("report_period_change_of: the log's halves, who entered and left class A") {
    // 2020-01-01 .. 2020-03-01: 61 days, the earlier half the first 31 (to Jan 31).
    // Earlier: A 100, B 15, C 5 (total 120): A starts at 0 (class A), B at 100/120 = 83.3% (B),
    // C at 115/120 = 95.8% (C). Later: B 200, D 50, A 10, C 0 (total 260): B starts at 0 and D
    // at 200/260 = 76.9% (both A), A at 250/260 = 96.2% (C), C not ranked. So B (from B) and D
    // (new) entered A, A left it.
    std::istringstream in("customer_id,date,amount\n"
                          "C,2020-01-01,5\n"
                          "A,2020-01-05,100\n"
                          "B,2020-01-10,15\n"
                          "B,2020-02-01,200\n"
                          "A,2020-02-10,10\n"
                          "D,2020-03-01,50\n");
    const transaction_log log = read_transactions_csv(in, "log.csv", csv_columns{});
    const std::optional<report_period_change> p = report_period_change_of(log);
    REQUIRE(p);
    CHECK(format_date(p->before_start) == "2020-01-01");
    CHECK(format_date(p->after_start) == "2020-02-01");
    CHECK(format_date(p->end) == "2020-03-01");
    CHECK(p->revenue_before == 120.0);
    CHECK(p->revenue_after == 260.0);
    const auto keys = [&](const column<entity_id>& ids) {
        std::vector<std::string> v;
        for (const entity_id id : ids)
            v.push_back(log.customer_keys.key_string(id));
        std::sort(v.begin(), v.end());
        return v;
    };
    CHECK(keys(p->comparison.entered_a) == std::vector<std::string>{"B", "D"});
    CHECK(keys(p->comparison.left_a) == std::vector<std::string>{"A"});
    // By the earlier class: A (customer A) 100 -> 10, B (B) 15 -> 200, C (C) 5 -> 0, none (D)
    // 0 -> 50.
    CHECK(p->class_customers == std::array<std::size_t, 4>{1, 1, 1, 1});
    CHECK(p->class_revenue_before == std::array<double, 4>{100, 15, 5, 0});
    CHECK(p->class_revenue_after == std::array<double, 4>{10, 200, 0, 50});
    // The page and the JSON say the same.
    report_options ro;
    const sales_report r = build_report(log, ro);
    std::ostringstream json;
    output::write_json(json, r);
    const json_value v = parse_json(json.str(), "report.json").at("period_comparison");
    CHECK(v.at("before").at("end").as_string() == "2020-01-31");
    CHECK(v.at("revenue_after").as_number() == 260.0);
    CHECK(v.at("left_a").as_array().size() == 1);
    CHECK(v.at("by_class").at("none").at("revenue_after").as_number() == 50.0);
    const std::string page = output::render_html(r);
    CHECK(page.find("Net revenue went from 120.00 (2020-01-01 – 2020-01-31) to 260.00 "
                    "(2020-02-01 – 2020-03-01), +116.7%; 2 customers entered class A and 1 left "
                    "it.") != std::string::npos);
    CHECK(page.find("<tr><td>B</td><td>entered</td><td class=\"num\">15.00</td><td "
                    "class=\"num\">200.00</td></tr>") != std::string::npos);
    // Fewer than 28 days a half: no comparison, and no section.
    std::istringstream short_log("customer_id,date,amount\nA,2020-01-01,5\nA,2020-02-24,5\n");
    const transaction_log s = read_transactions_csv(short_log, "short.csv", csv_columns{});
    CHECK_FALSE(report_period_change_of(s)); // 55 days: 28 and 27
    CHECK(report_period_change_of(s, 27.0));
    CHECK(output::render_html(build_report(s, ro)).find("id=\"change\"") == std::string::npos);
}

TEST_CASE("build_report: segments, loyalty types and the win-back list, in JSON and the page") {
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    report_options ro;
    ro.source = "generated";
    const transaction_log log = generate_transactions(g).log;
    const sales_report r = build_report(log, ro);
    std::ostringstream json;
    output::write_json(json, r);
    const json_value v = parse_json(json.str(), "report.json");
    const std::string page = output::render_html(r);
    for (const char* id : {"id=\"segments\"", "id=\"loyalty\"", "id=\"win-back\"", "id=\"change\""})
        CHECK_MESSAGE(page.find(id) != std::string::npos, id);

    // Segments: the RFM of the summary, as `rfm` computes it.
    const rfm_result rfm = rfm_from_summary(r.summary);
    CHECK(r.rfm.segment_count == rfm.segment_count);
    std::size_t customers = 0;
    for (const segment_profile& s : r.rfm_profiles.segments) {
        customers += s.customers;
        if (s.customers > 0)
            CHECK_MESSAGE(page.find("<tr><td>" + output::xml_escape(s.name) +
                                    "</td><td class=\"num\">" + output::count(s.customers) +
                                    "</td>") != std::string::npos,
                          s.name);
    }
    CHECK(customers == r.summary.size());

    // Loyalty: the net revenue of each type, summed over the summary's customers instead of the
    // log's rows (every generated customer has a purchase, so the summary holds them all).
    std::array<double, n_loyalty_types> by_type{};
    for (std::size_t i = 0; i < r.summary.size(); ++i)
        by_type[static_cast<std::size_t>(r.loyalty.loyalty.labels.type[r.summary.customer[i]])] +=
            r.summary.revenue[i];
    for (std::size_t k = 0; k < n_loyalty_types; ++k) {
        CHECK(r.loyalty.type_revenue[k] == doctest::Approx(by_type[k]));
        const json_value& t = v.at("loyalty")
                                  .at("type_revenue")
                                  .at(std::string(to_string(static_cast<loyalty_type>(k))));
        CHECK(t.at("share").as_number() == doctest::Approx(by_type[k] / r.overview.net_revenue));
    }
    CHECK(r.loyalty.revenue == doctest::Approx(r.overview.net_revenue));

    // Win-back: lapsed (P(alive) < 0.5) customers, the most revenue first, at most 10, each to
    // contact a week before the next purchase expected within a year.
    const report_retention_detail& d = r.retention_detail;
    REQUIRE(d.win_back);
    const report_win_back& w = *d.win_back;
    std::size_t lapsed = 0;
    for (const double p : d.scores.p_alive)
        lapsed += p < 0.5 ? 1 : 0;
    CHECK(w.lapsed == lapsed);
    CHECK(w.lapsed == r.retention.at_risk);
    REQUIRE_FALSE(w.customers.empty());
    CHECK(w.customers.size() <= 10);
    for (std::size_t k = 0; k < w.customers.size(); ++k) {
        const contact_entry& e = w.customers[k];
        CHECK(e.p_alive < 0.5);
        CHECK(e.next_purchase <= 365.0);
        CHECK(e.call_at == doctest::Approx(std::max(0.0, e.next_purchase - 7.0)));
        CHECK(w.revenue[k] == r.summary.revenue[d.rows[e.customer]]);
        if (k > 0) CHECK(w.revenue[k] <= w.revenue[k - 1]);
    }
    const json_value& wb = v.at("retention").at("win_back");
    CHECK(wb.at("lapsed").as_number() == static_cast<double>(lapsed));
    CHECK(wb.at("customers").as_array().size() == w.customers.size());
    CHECK(wb.at("customers").as_array()[0].at("revenue").as_number() == w.revenue[0]);
}

TEST_CASE("build_report: the currency and the language of the text and the page") {
    report_options ro;
    ro.source = "log.csv";
    ro.fixed_costs_per_month = 10.0;
    const sales_report plain = build_report(read_log(), ro);
    ro.currency = "eur";
    const sales_report eur = build_report(read_log(), ro);
    ro.lang = output::language::de;
    const sales_report de = build_report(read_log(), ro);
    std::ostringstream t_plain, t_eur, t_de, j_plain, j_de;
    output::write_text(t_plain, plain);
    output::write_text(t_eur, eur);
    output::write_text(t_de, de);
    // Net revenue 97: plain, then the euro sign first in English and after it in German, whose
    // locale (by default that of the language) writes the decimal comma.
    CHECK(t_plain.str().find("\n  net revenue          97.00\n") != std::string::npos);
    CHECK(t_eur.str().find("\n  net revenue          €97.00\n") != std::string::npos);
    CHECK(t_de.str().find("\nUmsatz\n") != std::string::npos);
    CHECK(t_de.str().find("\n  Nettoumsatz          97,00 €\n") != std::string::npos);
    CHECK(t_de.str().find("\nTransaktionen\n  Zeilen               5  (Käufe 4, Retouren 1)\n") !=
          std::string::npos);
    // The JSON carries numbers and English keys whatever the style.
    output::write_json(j_plain, plain);
    output::write_json(j_de, de);
    CHECK(j_plain.str() == j_de.str());
    const std::string page = output::render_html(de);
    CHECK(page.find("<html lang=\"de\">") != std::string::npos);
    CHECK(page.find("Auf einen Blick") != std::string::npos);
    CHECK(page.find("Wann sich das Geschäft trägt") != std::string::npos);
    CHECK(page.find("<td class=\"num\">97,00 €</td>") != std::string::npos);
    CHECK(page.find("kumulierter Anteil (rechte Achse)") != std::string::npos); // Pareto chart
    CHECK(output::render_html(plain).find("<html lang=\"en\">") != std::string::npos);
    // The critical volume of "build_report: every section" in German numbers: 970 / 36 =
    // 26.94, 97 - 26.94 = 70.06, 26 / 36 = 72.2%.
    CHECK(t_de.str().find("26,94 €") != std::string::npos);
    CHECK(t_de.str().find("70,06 €") != std::string::npos);
    CHECK(t_de.str().find("72,2 %") != std::string::npos);
    CHECK(page.find("<td class=\"num\">72,2 %</td>") != std::string::npos);
    CHECK(page.find("72.2%") == std::string::npos);
    // German words with English numbers: the locale given apart from the language.
    ro.locale = output::number_locale::en;
    std::ostringstream t_de_en;
    output::write_text(t_de_en, build_report(read_log(), ro));
    CHECK(t_de_en.str().find("\n  Nettoumsatz          €97.00\n") != std::string::npos);
    ro.currency = "EURO";
    CHECK_THROWS_AS((void)build_report(read_log(), ro), invalid_argument);
}

TEST_CASE("report styles: two reports in different styles never leak into each other") {
    // Each report carries its own formatter (no thread-local style): writing a German report
    // between two English ones, or both at once on two threads, changes no byte of either.
    report_options ro;
    ro.source = "log.csv";
    ro.fixed_costs_per_month = 10.0;
    const sales_report en = build_report(read_log(), ro);
    const auto text = [](const sales_report& r) {
        std::ostringstream out;
        output::write_text(out, r);
        return out.str();
    };
    const std::string en_page = output::render_html(en);
    const std::string en_text = text(en);
    ro.currency = "EUR";
    ro.lang = output::language::de;
    const sales_report de = build_report(read_log(), ro);
    const std::string de_page = output::render_html(de);
    const std::string de_text = text(de);
    CHECK(output::render_html(en) == en_page);
    CHECK(text(en) == en_text);
    CHECK(en_text.find("\n  net revenue          97.00\n") != std::string::npos);
    CHECK(de_text.find("\n  Nettoumsatz          97,00 €\n") != std::string::npos);
    CHECK(en_page.find("€") == std::string::npos);
    std::string en_threaded, de_threaded;
    std::thread a([&] {
        for (int i = 0; i < 3; ++i)
            en_threaded = output::render_html(en);
    });
    std::thread b([&] {
        for (int i = 0; i < 3; ++i)
            de_threaded = output::render_html(de);
    });
    a.join();
    b.join();
    CHECK(en_threaded == en_page);
    CHECK(de_threaded == de_page);
    // Every other output keeps the plain style.
    CHECK(output::money(5) == "5.00");
    CHECK(output::formatter().money(1234.5) == "1,234.50");
}

TEST_CASE("read_report_inputs: the signals and cost rates read back from their files") {
    const transaction_log log = read_log(); // customers A, B, C, with a cost column
    const auto dir = std::filesystem::temp_directory_path();
    const std::string signals = (dir / "custometrics_test_report_signals.csv").string();
    const std::string costs = (dir / "custometrics_test_report_costs.json").string();
    {
        std::ofstream(signals, std::ios::binary)
            << "customer_id,satisfaction,service_tickets\nB,4,2\nZ,5,0\nA,,1\n";
        std::ofstream(costs, std::ios::binary) << "{\"per_order\": 2.5, \"per_ticket\": 4}";
    }
    report_request request;
    request.signals = signals;
    request.costs = costs;
    request.prefix = "";
    const report_options o = read_report_inputs(log, request);
    REQUIRE(o.signals);
    // By the log's customers (A 0, B 1, C 2); Z is not in the log; A's empty field is missing.
    CHECK(o.signals->stated.satisfaction ==
          std::vector<std::optional<double>>{std::nullopt, 4.0, std::nullopt});
    CHECK(o.signals->service_tickets == std::vector<std::optional<double>>{1.0, 2.0, std::nullopt});
    CHECK(o.signals->unmatched == std::vector<std::string>{"Z"});
    REQUIRE(o.costs);
    CHECK(o.costs->rates.per_order == 2.5);
    CHECK(o.costs->rates.per_ticket == 4.0);
    CHECK(o.costs->rates.per_return == 0.0); // not named: the default

    // Empty paths read nothing; a log without costs skips the cost file (its section needs it).
    const report_options none = read_report_inputs(log, {});
    CHECK_FALSE(none.signals);
    CHECK_FALSE(none.costs);
    CHECK_FALSE(none.criteria);
    transaction_log no_cost = read_log();
    no_cost.cost.clear();
    report_request costs_only;
    costs_only.costs = costs;
    CHECK_FALSE(read_report_inputs(no_cost, costs_only).costs);

    // A cost file that cannot be opened names the argument (with the face's prefix) and path.
    std::filesystem::remove(costs);
    try {
        (void)read_report_inputs(log, costs_only);
        FAIL_CHECK("no invalid_argument thrown");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--costs");
        CHECK(e.value() == costs);
    }
    // The language and the currency pass through; a bad language names the option.
    report_request de;
    de.lang = "DE";
    de.currency = "EUR";
    CHECK(read_report_inputs(log, de).lang == output::language::de);
    CHECK(read_report_inputs(log, de).currency == "EUR");
    CHECK(!read_report_inputs(log, de).locale); // follows the language
    de.locale = "en";
    CHECK(read_report_inputs(log, de).locale == output::number_locale::en);
    de.locale = "fr";
    try {
        (void)read_report_inputs(log, de);
        FAIL_CHECK("no invalid_argument thrown");
    } catch (const invalid_argument& e) {
        CHECK(e.argument() == "--locale");
        CHECK(e.value() == "fr");
    }
    de.locale.clear();
    de.lang = "fr";
    CHECK_THROWS_WITH_AS((void)read_report_inputs(log, de), doctest::Contains("--lang"),
                         invalid_argument);
    std::filesystem::remove(signals);
}

TEST_CASE("owning_log: the rows of a view, times in whole seconds rounded down") {
    const transaction_log log = read_log();
    // The same log in nanosecond ticks, half a second after each time (and -1.5 s for a time
    // before the epoch, which rounds down to -2).
    std::vector<std::int64_t> ticks(log.size());
    for (std::size_t i = 0; i < log.size(); ++i)
        ticks[i] = log.time[i] * 1'000'000'000 + 500'000'000;
    ticks[0] = -1'500'000'000;
    transaction_view v = log.view();
    v.time = ticks;
    v.ticks_per_second = 1'000'000'000;
    const transaction_log copy = owning_log(v);
    CHECK(copy.time[0] == -2);
    CHECK(std::equal(copy.time.begin() + 1, copy.time.end(), log.time.begin() + 1));
    CHECK(copy.customer == log.customer);
    CHECK(copy.customer_keys.size() == 3);
    CHECK(copy.amount == log.amount);
    CHECK(copy.cost == log.cost);
    CHECK(copy.product.empty()); // no product or order column in a view
}

TEST_CASE("the report's customer keys: plain in the JSON, HTML-escaped in the page") {
    // The generated log (600 customers, seed 7) with every customer key rewritten to
    // `k, "N" <x>`: a comma, quotes and markup, which the CSV quotes as "k, ""N"" <x>".
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    std::ostringstream csv;
    write_transactions_csv(csv, generate_transactions(g).log);
    std::istringstream lines(csv.str());
    std::string line, rewritten;
    std::getline(lines, line);
    rewritten = line + "\n";
    while (std::getline(lines, line)) {
        const std::size_t comma = line.find(',');
        rewritten += "\"k, \"\"" + line.substr(0, comma) + "\"\" <x>\"" + line.substr(comma) + "\n";
    }
    std::istringstream in(rewritten);
    csv_columns columns;
    columns.conventional_names = true;
    const transaction_log log = read_transactions_csv(in, "keys.csv", columns);
    CHECK(log.customer_keys.key_string(0).starts_with("k, \""));
    const sales_report r = build_report(log, report_options{});
    std::ostringstream json;
    output::write_json(json, r);
    const json_value v = parse_json(json.str(), "report.json");
    const report_retention_detail& d = r.retention_detail;
    REQUIRE(d.contacts);
    REQUIRE(d.win_back);
    REQUIRE_FALSE(d.win_back->customers.empty());
    const auto key = [&](std::size_t position) {
        return log.customer_keys.key_string(r.summary.customer[d.rows[position]]);
    };
    const std::string first_win_back = key(d.win_back->customers.front().customer);
    CHECK(v.at("retention")
              .at("win_back")
              .at("customers")
              .as_array()[0]
              .at("customer_id")
              .as_string() == first_win_back);
    if (!d.contacts->contacts.empty())
        CHECK(v.at("retention")
                  .at("call_list")
                  .at("customers")
                  .as_array()[0]
                  .at("customer_id")
                  .as_string() == key(d.contacts->contacts.front().customer));
    for (const json_value& k : v.at("period_comparison").at("left_a").as_array())
        CHECK(k.as_string().starts_with("k, \""));
    for (const json_value& c : v.at("retention").at("top_clv").as_array())
        CHECK(c.at("customer_id").as_string().starts_with("k, \""));
    // The page: the key escaped once, never in its CSV form.
    const std::string page = output::render_html(r);
    CHECK(page.find("<td>" + output::xml_escape(first_win_back) + "</td>") != std::string::npos);
    CHECK(page.find("&quot;&quot;") == std::string::npos);
    CHECK(page.find("<x>") == std::string::npos);
    CHECK(json.str().find("\\\"\\\"") == std::string::npos); // no doubled quote in the JSON
}

TEST_CASE("report period comparison: no percentage from an earlier half without revenue") {
    // 2020-01-01 .. 2020-03-01 (61 days; halves of 31 and 30 days).
    const auto page_of = [](const char* text) {
        std::istringstream in(text);
        const transaction_log log = read_transactions_csv(in, "log.csv", csv_columns{});
        const sales_report r = build_report(log, report_options{});
        std::ostringstream json;
        output::write_json(json, r);
        return std::pair{output::render_html(r),
                         parse_json(json.str(), "report.json").at("period_comparison")};
    };
    // Only a return (-5) before, 100 after: a change from net returns has no percentage.
    const auto returns_only = page_of("customer_id,date,amount\nA,2020-01-01,20\n"
                                      "A,2020-01-02,-25\nB,2020-02-10,100\nB,2020-03-01,0\n");
    CHECK(returns_only.second.at("revenue_before").as_number() == -5.0);
    CHECK(returns_only.second.at("revenue_change").is_null());
    CHECK(returns_only.first.find("to 100.00 (2020-02-01 – 2020-03-01), new; ") !=
          std::string::npos);
    CHECK(returns_only.first.find("+0.0%") == std::string::npos);
    CHECK(returns_only.first.find("so the change has no percentage") != std::string::npos);
    // Nothing in either half (amounts of 0): n/a.
    const auto nothing = page_of("customer_id,date,amount\nA,2020-01-01,0\nB,2020-03-01,0\n");
    CHECK(nothing.first.find("to 0.00 (2020-02-01 – 2020-03-01), n/a; ") != std::string::npos);
    // 120 before, 60 after: (60 - 120) / 120 = -50.0%.
    const auto halved = page_of("customer_id,date,amount\nA,2020-01-01,120\nA,2020-03-01,60\n");
    CHECK(halved.second.at("revenue_change").as_number() == -0.5);
    CHECK(halved.first.find("to 60.00 (2020-02-01 – 2020-03-01), -50.0%; ") != std::string::npos);
    CHECK(halved.first.find("so the change has no percentage") == std::string::npos);
}

TEST_CASE("report win-back section: a sentence for an empty list") {
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    sales_report r = build_report(generate_transactions(g).log, report_options{});
    REQUIRE(r.retention_detail.win_back);
    report_win_back& w = *r.retention_detail.win_back;
    REQUIRE(w.lapsed > 0);
    const std::size_t lapsed = w.lapsed;
    // Lapsed customers, none of them due within the year: no table, and no "the 0 below".
    w.customers.clear();
    w.revenue.clear();
    std::string page = output::render_html(r);
    CHECK(page.find("the 0 below") == std::string::npos);
    CHECK(page.find(output::count(lapsed) + " customers who bought for " +
                    output::money(w.lapsed_revenue) +
                    " have probably stopped buying, but none of them would buy again within "
                    "365 days, so there is no one to contact now.") != std::string::npos);
    // Nobody lapsed.
    w.lapsed = 0;
    w.lapsed_revenue = 0.0;
    page = output::render_html(r);
    CHECK(page.find("No customer has probably stopped buying (P(alive) below 50.0%): there is no "
                    "one to win back.") != std::string::npos);
}

namespace {

criteria_table criteria_of(const char* text) {
    std::istringstream in(text);
    return read_criteria_table(read_csv_table(in, "criteria.csv"));
}

} // namespace

TEST_CASE("report matrix: attractiveness, strength and revenue of a criteria file by hand") {
    // Attractiveness: size by min-max (revenue has weight 0): A 0, B (20 - 10) / 20 = 0.5, C 1.
    // Strength: share by min-max: A (0.5 - 0.1) / 0.4 = 1, B 0, C (0.3 - 0.1) / 0.4 = 0.5.
    // Cells (low < 1/3 <= medium < 2/3 <= high): A low/high (selective), B medium/low
    // (harvest/divest), C high/medium (invest/grow). Revenue 100, 300, 600 of 1,000: C 60%.
    const criteria_table t = criteria_of("segment,size,share,revenue\n"
                                         "axis,attractiveness,strength,attractiveness\n"
                                         "weight,1,1,0\n"
                                         "A,10,0.5,100\n"
                                         "B,20,0.1,300\n"
                                         "C,30,0.3,600\n");
    report_options ro;
    ro.criteria = t;
    const sales_report r = build_report(read_log(), ro);
    REQUIRE(r.matrix);
    const report_matrix& m = *r.matrix;
    CHECK(m.revenue_source == "criteria");
    CHECK(m.revenue == std::vector<double>{100, 300, 600});
    CHECK(m.analysis.scores.score[0] == doctest::Approx(0.0));
    CHECK(m.analysis.scores.score[1] == doctest::Approx(0.5));
    CHECK(m.analysis.scores.score[2] == doctest::Approx(1.0));
    CHECK(m.analysis.strength->score[0] == doctest::Approx(1.0));
    CHECK(m.analysis.strength->score[1] == doctest::Approx(0.0));
    CHECK(m.analysis.strength->score[2] == doctest::Approx(0.5));
    CHECK(m.analysis.matrix->cells[0].zone == strategy_zone::selective);
    CHECK(m.analysis.matrix->cells[1].zone == strategy_zone::harvest_divest);
    CHECK(m.analysis.matrix->cells[2].zone == strategy_zone::invest_grow);

    // JSON: best attractiveness first.
    std::ostringstream json, text;
    output::write_json(json, r);
    const json_value v = parse_json(json.str(), "report.json").at("matrix");
    CHECK(v.at("revenue_source").as_string() == "criteria");
    const auto& segs = v.at("segments").as_array();
    REQUIRE(segs.size() == 3);
    CHECK(segs[0].at("segment").as_string() == "C");
    CHECK(segs[0].at("zone").as_string() == "invest/grow");
    CHECK(segs[0].at("attractiveness_level").as_string() == "high");
    CHECK(segs[0].at("strength_level").as_string() == "medium");
    CHECK(segs[0].at("revenue").as_number() == 600.0);
    CHECK(segs[2].at("segment").as_string() == "A");
    CHECK(segs[2].at("strength").as_number() == doctest::Approx(1.0));

    // The page: the takeaway, one bubble per segment with area proportional to revenue (radius
    // 30 for the largest, 600; 30 * sqrt(300 / 600) = 21.2; 30 * sqrt(100 / 600) = 12.2) and the
    // table row of C.
    const std::string page = output::render_html(r);
    const std::string takeaway = "1 of 3 segments are attractive and the business is strong in "
                                 "them (invest/grow: C), with 60.0% of the segments' net revenue; "
                                 "1 are for harvesting or leaving.";
    CHECK(page.find(output::xml_escape(takeaway)) != std::string::npos);
    CHECK(page.find("r=\"30.0\"") != std::string::npos);
    CHECK(page.find("r=\"21.2\"") != std::string::npos);
    CHECK(page.find("r=\"12.2\"") != std::string::npos);
    std::size_t bubbles = 0;
    for (std::size_t at = page.find("class=\"bubble\""); at != std::string::npos;
         at = page.find("class=\"bubble\"", at + 1))
        ++bubbles;
    CHECK(bubbles == 3);
    CHECK(page.find("<tr><td>C</td><td class=\"num\">1.00</td><td class=\"num\">0.50</td><td>high "
                    "/ medium</td><td>invest/grow</td><td class=\"num\">600.00</td><td "
                    "class=\"num\">60.0%</td></tr>") != std::string::npos);
    // The text: the same section, its table in columns.
    output::write_text(text, r);
    CHECK(text.str().find("\nSegment attractiveness and competitive strength\n  " + takeaway) !=
          std::string::npos);
    // Without criteria: no section, "matrix": null.
    const sales_report plain = build_report(read_log(), report_options{});
    CHECK(output::render_html(plain).find("id=\"matrix\"") == std::string::npos);
    std::ostringstream plain_json;
    output::write_json(plain_json, plain);
    CHECK(parse_json(plain_json.str(), "report.json").at("matrix").is_null());
}

TEST_CASE("report matrix: revenue from the log's RFM segments, or none; strength needed") {
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    const transaction_log log = generate_transactions(g).log;
    const sales_report base = build_report(log, report_options{});
    const auto revenue_of = [&](const std::string& name) {
        for (const segment_profile& p : base.rfm_profiles.segments)
            if (p.name == name) return p.revenue;
        return -1.0;
    };
    const criteria_table t = criteria_of("segment,growth,fit\n"
                                         "axis,attractiveness,strength\n"
                                         "Champions,0.1,3\n"
                                         "At Risk,0.3,1\n"
                                         "Lost,0.0,2\n");
    const report_matrix m = report_matrix_of(t, base.rfm_profiles);
    CHECK(m.revenue_source == "rfm");
    CHECK(m.revenue ==
          std::vector<double>{revenue_of("Champions"), revenue_of("At Risk"), revenue_of("Lost")});
    // A segment the RFM map does not have: no revenue, bubbles of equal size, said in a note.
    const criteria_table other = criteria_of("segment,growth,fit\n"
                                             "axis,attractiveness,strength\n"
                                             "Champions,0.1,3\n"
                                             "North,0.3,1\n");
    const report_matrix none = report_matrix_of(other, base.rfm_profiles);
    CHECK(none.revenue.empty());
    CHECK(none.revenue_source.empty());
    report_options ro;
    ro.criteria = other;
    const std::string page = output::render_html(build_report(log, ro));
    CHECK(page.find("Bubbles of equal size") != std::string::npos);
    // Champions low/high and North high/low: both selective, none to invest in or harvest.
    CHECK(page.find("0 of 2 segments are attractive and the business is strong in them "
                    "(invest/grow: none); 0 are for harvesting or leaving.") != std::string::npos);
    // No strength criterion: no matrix.
    CHECK_THROWS_AS(
        (void)report_matrix_of(criteria_of("segment,size\nA,1\nB,2\n"), base.rfm_profiles),
        invalid_argument);
}

TEST_CASE("the text report: the page's period, segment, win-back and loyalty sections") {
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    const sales_report r = build_report(generate_transactions(g).log, report_options{});
    std::ostringstream out;
    output::write_text(out, r);
    const std::string text = out.str();
    std::size_t sections = 0;
    for (auto add : {output::add_period_section, output::add_segments_section,
                     output::add_win_back_section, output::add_loyalty_section}) {
        output::html_document doc;
        add(doc, r);
        REQUIRE(doc.sections.size() == 1);
        const output::html_section& s = doc.sections.front();
        ++sections;
        // The title, then the takeaway, as on the page.
        const std::size_t from = text.find("\n" + s.title + "\n  " + s.takeaway + "\n");
        REQUIRE_MESSAGE(from != std::string::npos, s.title);
        // Every row of every table on one line, its cells in order.
        for (const output::html_table& t : s.tables)
            for (const auto& row : t.rows) {
                std::size_t at = text.find("\n    " + row.front() + " ", from);
                REQUIRE_MESSAGE(at != std::string::npos, row.front());
                const std::size_t end = text.find('\n', at + 1);
                for (const std::string& cell : row) {
                    at = text.find(cell, at);
                    CHECK_MESSAGE(at < end, s.title << ": " << cell);
                }
            }
        for (const std::string& n : s.notes)
            CHECK(text.find("  note: " + n + "\n") != std::string::npos);
    }
    CHECK(sections == 4);
    // A table's numbers are right-aligned in their column: "Champions" row of the segments.
    CHECK(text.find("\nCustomer segments (RFM)\n") != std::string::npos);
}

TEST_CASE("report call list: a regular buyer timed by his own rhythm, the others by the model") {
    // The generated log (600 customers, seed 7, up to 2021-12-31) with two big spenders added:
    // R buys on 2021-11-21, 2021-12-11 and 2021-12-31: gaps 20 and 20 days, mean gap 20, CV 0,
    // 3 purchase days, so a regular buyer; own next purchase 2021-12-31 + 20 = 2022-01-20, due
    // in 20 days (within the list's 21), called 7 days before: 2022-01-13.
    // M buys on 2021-06-01, 2021-12-20 and 2021-12-31: gaps 202 and 11, mean 106.5, sample SD
    // 191 / sqrt(2) = 135.1, CV 1.27 > 0.5: no rhythm, timed by the model.
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    std::ostringstream csv;
    write_transactions_csv(csv, generate_transactions(g).log);
    std::string text = csv.str();
    REQUIRE(text.starts_with("customer_id,date,amount,cost,product,channel\n"));
    for (const char* row : {"R,2021-11-21,1900", "R,2021-12-11,2000", "R,2021-12-31,2100",
                            "M,2021-06-01,1900", "M,2021-12-20,2000", "M,2021-12-31,2100"})
        text += std::string(row) + ",1000,p,c\n"; // cost, product and channel of no account
    std::istringstream in(text);
    csv_columns columns;
    columns.conventional_names = true;
    const transaction_log log = read_transactions_csv(in, "rhythm.csv", columns);
    const sales_report r = build_report(log, report_options{});
    const std::int64_t day = seconds_per_day;
    REQUIRE(r.summary.observation_end == days_from_civil(2021, 12, 31) * day);
    const report_retention_detail& d = r.retention_detail;
    REQUIRE(d.contacts);
    CHECK(d.contacts->with_rhythm);
    CHECK(d.contacts->timing == contact_timing::rhythm);
    const auto key = [&](std::size_t position) {
        return log.customer_keys.key_string(r.summary.customer[d.rows[position]]);
    };
    const contact_plan by_model = contact_list(d.scores, {21.0, 7.0, 0}); // the model's dates
    bool found_r = false, found_model = false;
    for (const contact_entry& c : d.contacts->contacts) {
        if (key(c.customer) == "R") {
            found_r = true;
            CHECK(c.timing == contact_timing::rhythm);
            CHECK(c.rhythm_date == days_from_civil(2022, 1, 20) * day);
            CHECK(c.next_purchase_date == days_from_civil(2022, 1, 20) * day);
            CHECK(c.call_date == days_from_civil(2022, 1, 13) * day);
            REQUIRE(c.due_days);
            CHECK(*c.due_days == doctest::Approx(20.0));
        } else if (c.timing == contact_timing::model) {
            found_model = true;
            CHECK(c.rhythm_date == no_time);
            const auto m =
                std::find_if(by_model.contacts.begin(), by_model.contacts.end(),
                             [&](const contact_entry& e) { return e.customer == c.customer; });
            REQUIRE(m != by_model.contacts.end());
            CHECK(c.next_purchase_date == m->next_purchase_date);
            CHECK(c.call_date == m->call_date);
        }
        if (key(c.customer) == "M") CHECK(c.timing == contact_timing::model);
    }
    CHECK(found_r);
    CHECK(found_model);
    // The JSON, the text report and the page name the timing and the own-rhythm date.
    std::ostringstream json;
    output::write_json(json, r);
    const json_value v = parse_json(json.str(), "report.json");
    const json_value& calls = v.at("retention").at("call_list");
    CHECK(calls.at("timing").as_string() == "rhythm");
    bool json_r = false;
    for (const json_value& c : calls.at("customers").as_array())
        if (c.at("customer_id").as_string() == "R") {
            json_r = true;
            CHECK(c.at("timing").as_string() == "rhythm");
            CHECK(c.at("rhythm_date").as_string() == "2022-01-20");
            CHECK(c.at("due_days").as_number() == doctest::Approx(20.0));
            CHECK(c.at("call_date").as_string() == "2022-01-13");
        } else if (c.at("timing").as_string() == "model") {
            CHECK(c.at("rhythm_date").is_null());
        }
    CHECK(json_r);
    std::ostringstream report_text;
    output::write_text(report_text, r);
    CHECK(report_text.str().find("call 2022-01-13, timed by own rhythm") != std::string::npos);
    CHECK(report_text.str().find(", timed by model") != std::string::npos);
    const std::string page = output::render_html(r);
    CHECK(page.find("<th>timed by</th>") != std::string::npos);
    CHECK(page.find("<td>own rhythm</td><td>2022-01-20</td>") != std::string::npos);
    CHECK(page.find("the others are timed by the model") != std::string::npos);
    report_options de;
    de.lang = output::language::de;
    const std::string seite = output::render_html(build_report(log, de));
    CHECK(seite.find("<td>eigenem Rhythmus</td><td>2022-01-20</td>") != std::string::npos);
    CHECK(seite.find("die übrigen nach dem Modell") != std::string::npos);
}
