// Tests of custometrics/output/loyalty.hpp: the exact text, JSON and CSV of a small loyalty
// overview and profitability result made by hand (the shares are worked out in the comments).
#include <custometrics/output/loyalty.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using namespace custometrics;

namespace {

// Two customers: K1 loyal, a loyalist and promoter, a tightwad by the questionnaire; K2 unknown
// everywhere but a spendthrift by the proxy. Shares: 1 of 2 = 50% per label, 100% per source.
loyalty_overview two_customers() {
    loyalty_overview a;
    a.labels.type = {loyalty_type::loyal, loyalty_type::unknown};
    a.labels.rule = {"loyal: share of wallet 0.6", "unknown: missing \"satisfaction\", x"};
    a.labels.decided_by = {"behaviour: purchase_days; stated: recommend", ""};
    a.labels.quadrant_of = {quadrant::loyalist, quadrant::unknown};
    a.labels.type_count[1] = a.labels.type_count[6] = 1;
    a.labels.quadrant_count[0] = a.labels.quadrant_count[6] = 1;
    a.type_share[1] = a.type_share[6] = 0.5;
    a.quadrant_share[0] = a.quadrant_share[6] = 0.5;
    a.nps.category = {nps_category::promoter, nps_category::missing};
    a.nps.overall.promoters = 1;
    a.nps.overall.missing = 1;
    a.nps.overall.score = 100.0; // 100 x (1 - 0) / 1
    a.spending = {spending_type::tightwad, spending_type::spendthrift};
    a.proxy = {0, 1};
    a.spending_counts.questionnaire = {1, 0, 0};
    a.spending_counts.proxy = {0, 0, 1};
    a.spending_counts.questionnaire_share = {1, 0, 0};
    a.spending_counts.proxy_share = {0, 0, 1};
    a.spending_counts.questionnaire_total = a.spending_counts.proxy_total = 1;
    a.spending_reference = {0.24, 0.61, 0.15};
    return a;
}

key_index keys() {
    key_index k;
    k.insert(std::string_view("K1"));
    k.insert(std::string_view("K,2"));
    return k;
}

} // namespace

TEST_CASE("loyalty writers: text, CSV and JSON of a hand-made overview") {
    const loyalty_overview a = two_customers();
    std::ostringstream text;
    output::write_text(text, a);
    CHECK(text.str() ==
          "Loyalty types (2 customers; no signals file: behaviour only)\n"
          "  advocate                0     0.0%\n"
          "  loyal                   1    50.0%\n"
          "  switcher                0     0.0%\n"
          "  mercenary               0     0.0%\n"
          "  hostage                 0     0.0%\n"
          "  terrorist               0     0.0%\n"
          "  unknown                 1    50.0%\n"
          "Satisfaction x loyalty quadrants (Jones & Sasser; js_ names, not the types above)\n"
          "  js_loyalist             1    50.0%\n"
          "  js_apostle              0     0.0%\n"
          "  js_mercenary            0     0.0%\n"
          "  js_hostage              0     0.0%\n"
          "  js_defector             0     0.0%\n"
          "  js_terrorist            0     0.0%\n"
          "  unknown                 1    50.0%\n"
          "Net Promoter score\n"
          "  overall             100.0  (answered 1: 1 promoters, 0 passives, 0 detractors)\n"
          "Spending types    questionnaire (1)   proxy (1, spend per purchase day cut at the "
          "reference shares)   reference\n"
          "  tightwad                1   100.0%            0     0.0%     24.0%\n"
          "  unconflicted            0     0.0%            0     0.0%     61.0%\n"
          "  spendthrift             0     0.0%            1   100.0%     15.0%\n"
          "  note: the proxy is spending level, not the Tightwad-Spendthrift scale; it matches "
          "the reference by construction\n");

    std::ostringstream csv;
    output::write_csv(csv, a, keys());
    CHECK(csv.str() == "customer_id,loyalty_type,quadrant,nps_category,spending_type,reason,"
                       "decided_by\n"
                       "K1,loyal,js_loyalist,promoter,tightwad,loyal: share of wallet 0.6,"
                       "behaviour: purchase_days; stated: recommend\n"
                       "\"K,2\",unknown,unknown,missing,spendthrift (proxy),\"unknown: missing "
                       "\"\"satisfaction\"\", x\",\n");

    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::write_json(w, a);
    w.end_object();
    const std::string s = json.str();
    CHECK(s.starts_with(R"({"customers":2,"signals_given":false,"types":{"advocate":)"
                        R"({"count":0,"share":0},"loyal":{"count":1,"share":0.5},)"));
    CHECK(s.find(R"("nps":{"promoters":1,"passives":0,"detractors":0,"missing":1,"score":100},)"
                 R"("nps_by_segment":{},"spending":{"questionnaire":{"tightwad":{"count":1,)"
                 R"("share":1},)") != std::string::npos);
    CHECK(s.find(R"("unknown":0,"reference":{"tightwad":0.24,"unconflicted":0.61,)"
                 R"("spendthrift":0.15},"questionnaire_test":{"tested":false,"warnings":[]}},)"
                 R"("churn_reasons":{"answers":0,"no_longer_needed":)") != std::string::npos);
    CHECK(s.ends_with(R"("warnings":[]}})"
                      "\n"));
}

TEST_CASE("profitability writers and the report section") {
    // Two customers: revenue 100 and 50, profit 30 and -10 (total 20); A wanted of 2 buyers.
    customer_profitability p;
    p.revenue = {100, 50};
    p.cost = {60, 55};
    p.discounts = {0, 0};
    p.gross_margin = {40, -5};
    p.order_cost = {4, 2};
    p.return_cost = {0, 3};
    p.service_cost = {6, 0};
    p.delay_cost = {0, 0};
    p.cost_to_serve = {10, 5};
    p.profit = {30, -10};
    p.orders = {2, 1};
    p.return_rows = {0, 1};
    p.large = {1, 0};
    p.large_unprofitable = {0, 0};
    p.wanted = {1, 0};
    p.reason = {"wanted", "not wanted: fails profit -10 > 0"};
    p.large_threshold = 90;
    p.tier = {service_tier::A, service_tier::D};
    p.tiers[0] = {1, 100, 40, 10, 30};
    p.tiers[3] = {1, 50, -5, 5, -10};
    // Whale: positive profits 30 of a total 20 -> peak 150% after the top 1 of 2 (50%); the
    // loss maker destroys 10 / 20 = 50%.
    const whale_result whale = whale_curve(p.profit);
    std::ostringstream text;
    output::write_text(text, p, whale);
    CHECK(text.str() ==
          "Customer profitability (2 customers)\n"
          "  net revenue          150.00\n"
          "  gross margin         35.00  (at list prices)\n"
          "  cost to serve        15.00  (discounts 0.00, orders 6.00, returns 3.00, service "
          "6.00, payment delays 0.00)\n"
          "  profit               20.00\n"
          "  wanted customers     1  (50.0% of buyers)\n"
          "  large, unprofitable  0  (revenue >= 90.00, profit < 0)\n"
          "  loss makers          1\n"
          "  service tiers (by profit; A, B, C up to 80.0% and 95.0% of it, D profit <= 0):\n"
          "    A  1 customers, gross margin 40.00, cost to serve 10.00, profit 30.00: personal "
          "service: keep and grow (the top of the profit)\n"
          "    B  0 customers, gross margin 0.00, cost to serve 0.00, profit 0.00: standard "
          "service\n"
          "    C  0 customers, gross margin 0.00, cost to serve 0.00, profit 0.00: efficient "
          "service: self-service, bundled orders\n"
          "    D  1 customers, gross margin -5.00, cost to serve 5.00, profit -10.00: reprice or "
          "cut the cost to serve\n"
          "  whale curve: peaks at 150.0% of total profit after the top 50.0%; loss makers "
          "destroy 50.0% of it\n");
    std::ostringstream csv;
    output::write_csv(csv, p, keys());
    CHECK(csv.str() == "customer_id,revenue,cost,discounts,gross_margin,order_cost,return_cost,"
                       "service_cost,delay_cost,cost_to_serve,profit,orders,return_rows,large,"
                       "large_unprofitable,wanted,reason,tier\n"
                       "K1,100,60,0,40,4,0,6,0,10,30,2,0,1,0,1,wanted,A\n"
                       "\"K,2\",50,55,0,-5,2,3,0,0,5,-10,1,1,0,0,0,not wanted: fails profit "
                       "-10 > 0,D\n");

    output::loyalty_report_section s;
    s.loyalty = two_customers();
    std::ostringstream skipped;
    output::report_loyalty_text(skipped, s, {});
    CHECK(skipped.str().ends_with("by construction\n\nCustomer profitability: skipped (the log "
                                  "has no cost column)\n"));
    s.profitability = p;
    s.whale = whale;
    std::ostringstream json;
    detail::json_writer w(json);
    w.begin_object();
    output::report_loyalty_json(w, s);
    w.end_object();
    CHECK(json.str().find(R"(},"profitability":{"customers":2,"revenue":150,"gross_margin":35,)"
                          R"("cost_to_serve":{"discounts":0,"orders":6,"returns":3,"service":6,)"
                          R"("payment_delays":0,"total":15},"profit":20,"wanted":1,)"
                          R"("large_unprofitable":0,"loss_makers":1,"large_threshold":90,)"
                          R"("criteria_skipped":[],"service_tiers":[{"tier":"A","customers":1,)"
                          R"("revenue":100,"gross_margin":40,"cost_to_serve":10,"profit":30},)"
                          R"({"tier":"B","customers":0,"revenue":0,"gross_margin":0,)"
                          R"("cost_to_serve":0,"profit":0},{"tier":"C","customers":0,"revenue":0,)"
                          R"("gross_margin":0,"cost_to_serve":0,"profit":0},{"tier":"D",)"
                          R"("customers":1,"revenue":50,"gross_margin":-5,"cost_to_serve":5,)"
                          R"("profit":-10}],"service_tier_cuts":{"tier_a":0.8,"tier_b":0.95},)"
                          R"("whale":{"defined":true,"peak_share":1.5,)"
                          R"("peak_entity_share":0.5,"loss_share":0.5}}})") != std::string::npos);
    std::ostringstream note;
    output::report_loyalty_text(note, s, {});
    CHECK(note.str().ends_with("  note: no --costs given: every cost rate is 0\n"));
}
