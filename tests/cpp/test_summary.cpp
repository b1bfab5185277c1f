// Tests of summary.hpp on hand-worked logs. The CDNOW agreement with lifetimes is in
// tests/python/test_summary.py.
#include <custometrics/detail/summary_path.hpp>
#include <custometrics/summary.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>

using namespace custometrics;

namespace {

std::int64_t day(int y, unsigned m, unsigned d) {
    return days_from_civil(y, m, d) * seconds_per_day;
}

struct row {
    const char* customer;
    std::int64_t time;
    double amount;
    double cost = 0.0;
    const char* order = nullptr;
};

transaction_log make_log(std::initializer_list<row> rows, bool with_cost = false,
                         bool with_order = false) {
    transaction_log log;
    for (const row& r : rows) {
        log.customer.push_back(log.customer_keys.insert(std::string_view(r.customer)));
        log.time.push_back(r.time);
        log.amount.push_back(r.amount);
        if (with_cost) log.cost.push_back(r.cost);
        if (with_order) log.order.push_back(log.order_keys.insert(std::string_view(r.order)));
    }
    log.sort_keys();
    return log;
}

// Customer A buys on 2020-01-01 (10 + 5, one period), 01-04 (20) and 01-10 (30); B once on 01-05.
transaction_log base_log() {
    return make_log({{"B", day(2020, 1, 5), 7.0},
                     {"A", day(2020, 1, 1), 10.0},
                     {"A", day(2020, 1, 1), 5.0},
                     {"A", day(2020, 1, 4), 20.0},
                     {"A", day(2020, 1, 10), 30.0}});
}

} // namespace

TEST_CASE("summary in days: lifetimes definitions, worked by hand") {
    const transaction_log log = base_log();
    const customer_summary s = summarize(log.view());
    REQUIRE(s.size() == 2);
    // A (id 0): periods 01-01 (15), 01-04 (20), 01-10 (30): frequency 2, recency 9 days,
    // T = 01-10 - 01-01 = 9 (observation end = last row), monetary = (20 + 30) / 2 = 25.
    CHECK(log.customer_keys.key_string(s.customer[0]) == "A");
    CHECK(s.frequency[0] == 2);
    CHECK(s.recency[0] == 9);
    CHECK(s.T[0] == 9);
    CHECK(s.monetary_value[0] == 25);
    CHECK(s.revenue[0] == 65);
    CHECK(s.n_purchases[0] == 4);
    CHECK(s.orders[0] == 4);
    CHECK(s.first_purchase[0] == day(2020, 1, 1));
    CHECK(s.last_purchase[0] == day(2020, 1, 10));
    // B: one purchase on 01-05: frequency 0, recency 0, T 5, monetary 0.
    CHECK(s.frequency[1] == 0);
    CHECK(s.recency[1] == 0);
    CHECK(s.T[1] == 5);
    CHECK(s.monetary_value[1] == 0);
    CHECK(s.profit.empty());
    CHECK(s.observation_end == day(2020, 1, 10));
    CHECK(s.customers_without_purchase.empty());
}

TEST_CASE("summary in weeks (Monday to Sunday) and with a unit scale") {
    const transaction_log log = base_log();
    // 2020-01-01 is a Wednesday: 01-01, 01-04 and 01-05 lie in the week of Monday 2019-12-30,
    // 01-10 in the next. A: weeks W0 (15 + 20 = 35) and W1 (30): frequency 1, recency 1, T 1,
    // monetary 30. B: W0 only, T = W1 - W0 = 1.
    summary_options w;
    w.unit = time_unit::weeks;
    const customer_summary s = summarize(log.view(), w);
    CHECK(s.frequency[0] == 1);
    CHECK(s.recency[0] == 1);
    CHECK(s.T[0] == 1);
    CHECK(s.monetary_value[0] == 30);
    CHECK(s.T[1] == 1);
    // Days scaled by 7 (lifetimes freq="D", freq_multiplier=7): recency = T = 9 / 7 weeks.
    summary_options d7;
    d7.unit_scale = 7;
    const customer_summary s7 = summarize(log.view(), d7);
    CHECK(s7.recency[0] == doctest::Approx(9.0 / 7.0));
    CHECK(s7.T[1] == doctest::Approx(5.0 / 7.0));
    CHECK(s7.frequency[0] == 2);
}

TEST_CASE("summary in calendar months") {
    // Purchases in January, February and March 2020, observation end in May:
    // frequency 2, recency 2 months, T 4 months.
    const transaction_log log = make_log(
        {{"A", day(2020, 1, 31), 1.0}, {"A", day(2020, 2, 1), 2.0}, {"A", day(2020, 3, 15), 3.0}});
    summary_options m;
    m.unit = time_unit::months;
    m.observation_end = day(2020, 5, 1);
    const customer_summary s = summarize(log.view(), m);
    CHECK(s.frequency[0] == 2);
    CHECK(s.recency[0] == 2);
    CHECK(s.T[0] == 4);
    CHECK(s.monetary_value[0] == 2.5);
}

TEST_CASE("include_first_transaction counts the first period") {
    summary_options o;
    o.include_first_transaction = true;
    const customer_summary s = summarize(base_log().view(), o);
    // A: 3 periods 15, 20, 30 -> frequency 3, monetary 65 / 3.
    CHECK(s.frequency[0] == 3);
    CHECK(s.monetary_value[0] == doctest::Approx(65.0 / 3.0));
    CHECK(s.frequency[1] == 1);
    CHECK(s.monetary_value[1] == 7.0);
}

TEST_CASE("returns: excluded from purchase periods by default, netted on request") {
    // A returns 5 on 01-12; observation end 01-12.
    const transaction_log log = make_log({{"A", day(2020, 1, 1), 10.0},
                                          {"A", day(2020, 1, 1), 5.0},
                                          {"A", day(2020, 1, 4), 20.0},
                                          {"A", day(2020, 1, 10), 30.0},
                                          {"A", day(2020, 1, 12), -5.0},
                                          {"R", day(2020, 1, 11), -3.0}});
    const customer_summary ex = summarize(log.view());
    // exclude: periods unchanged (frequency 2, recency 9, monetary 25) but T = 11 days;
    // totals: revenue 65 - 5 = 60, returns 5. R has only a return: no purchase, listed.
    REQUIRE(ex.size() == 1);
    CHECK(ex.frequency[0] == 2);
    CHECK(ex.recency[0] == 9);
    CHECK(ex.T[0] == 11);
    CHECK(ex.monetary_value[0] == 25);
    CHECK(ex.revenue[0] == 60);
    CHECK(ex.returns[0] == 5);
    CHECK(ex.n_returns[0] == 1);
    CHECK(ex.last_purchase[0] == day(2020, 1, 10));
    REQUIRE(ex.customers_without_purchase.size() == 1);
    CHECK(log.customer_keys.key_string(ex.customers_without_purchase[0]) == "R");

    summary_options net;
    net.returns = returns_policy::net;
    const customer_summary nt = summarize(log.view(), net);
    // net (lifetimes): the return is a transaction of its own period 01-12 worth -5:
    // frequency 3, recency 11, monetary (20 + 30 - 5) / 3 = 15. R: one period, T = 1.
    REQUIRE(nt.size() == 2);
    CHECK(nt.frequency[0] == 3);
    CHECK(nt.recency[0] == 11);
    CHECK(nt.monetary_value[0] == 15);
    CHECK(nt.T[1] == 1);
    CHECK(nt.first_purchase[1] == no_time);
}

TEST_CASE("late rows: an error naming the row by default, dropped and counted on request") {
    const transaction_log log = base_log();
    summary_options o;
    o.observation_end = day(2020, 1, 9);
    CHECK_THROWS_WITH_AS(
        summarize(log.view(), o),
        doctest::Contains(
            "row 4 (customer \"A\"): 2020-01-10 is after the observation end 2020-01-09"),
        data_error);
    o.late = late_policy::drop;
    const customer_summary s = summarize(log.view(), o);
    // A keeps 01-01 and 01-04: frequency 1, recency 3, T 8, monetary 20.
    CHECK(s.rows_dropped_after_end == 1);
    CHECK(s.rows_used == 4);
    CHECK(s.frequency[0] == 1);
    CHECK(s.recency[0] == 3);
    CHECK(s.T[0] == 8);
    CHECK(s.monetary_value[0] == 20);
}

TEST_CASE("left out: late rows and customers without a purchase listed with reasons and values") {
    // base_log rows: 0 B 01-05 7, 1 A 01-01 10, 2 A 01-01 5, 3 A 01-04 20, 4 A 01-10 30; plus
    // 5 R 01-02 -3 and -2 (only returns, net revenue -5) and 7 L 01-12 4 (only after the end).
    const transaction_log log = make_log({{"B", day(2020, 1, 5), 7.0},
                                          {"A", day(2020, 1, 1), 10.0},
                                          {"A", day(2020, 1, 1), 5.0},
                                          {"A", day(2020, 1, 4), 20.0},
                                          {"A", day(2020, 1, 10), 30.0},
                                          {"R", day(2020, 1, 2), -3.0},
                                          {"R", day(2020, 1, 3), -2.0},
                                          {"L", day(2020, 1, 12), 4.0}});
    summary_options o;
    o.observation_end = day(2020, 1, 9);
    o.late = late_policy::drop;
    const customer_summary s = summarize(log.view(), o);
    // Rows 4 (A, 01-10) and 7 (L, 01-12) are after the end; customers L (no row up to the end)
    // and R (only returns, -5) are not in the table, in id order (keys sorted: A B L R).
    REQUIRE(s.left_out.size() == 4);
    auto key = [&](entity_id id) { return log.customer_keys.key_string(id); };
    CHECK(s.left_out[0].reason == left_out_reason::after_observation_end);
    CHECK(s.left_out[0].row == 4);
    CHECK(key(s.left_out[0].entity) == "A");
    CHECK(s.left_out[0].time == day(2020, 1, 10));
    CHECK(s.left_out[1].row == 7);
    CHECK(key(s.left_out[1].entity) == "L");
    CHECK(s.left_out[2].reason == left_out_reason::no_row_in_window);
    CHECK(!s.left_out[2].is_row());
    CHECK(key(s.left_out[2].entity) == "L");
    CHECK(s.left_out[2].value == 0);
    CHECK(s.left_out[3].reason == left_out_reason::only_returns);
    CHECK(key(s.left_out[3].entity) == "R");
    CHECK(s.left_out[3].value == -5);
    CHECK(std::string(left_out_code(s.left_out[3].reason)) == "only_returns");
    // Rows in = rows used + rows listed: 8 = 6 + 2.
    CHECK(s.rows_used == 6);
    CHECK(s.rows_used + 2 == log.size());
    CHECK(s.customers_without_purchase.size() == 2);

    // Calibration end 01-04: B's first purchase (01-05) is in the holdout.
    summary_options c;
    c.observation_end = day(2020, 1, 12);
    c.calibration_end = day(2020, 1, 4);
    const customer_summary h = summarize(log.view(), c);
    REQUIRE(h.left_out.size() == 3); // B, L (purchases only in the holdout), R
    CHECK(h.left_out[0].reason == left_out_reason::no_purchase_in_calibration);
    CHECK(key(h.left_out[0].entity) == "B");
    CHECK(h.left_out[0].value == 7);
    CHECK(h.left_out[1].reason == left_out_reason::no_purchase_in_calibration);
    CHECK(h.left_out[2].reason == left_out_reason::only_returns);
}

TEST_CASE("calibration and holdout, compared to the second as lifetimes does") {
    // Calibration end 2020-01-04 00:00. A also buys 4 at 2020-01-04 10:00, which is after the
    // calibration end, so it is a holdout row (lifetimes compares timestamps, not periods).
    const transaction_log log = make_log({{"B", day(2020, 1, 5), 7.0},
                                          {"A", day(2020, 1, 1), 10.0},
                                          {"A", day(2020, 1, 1), 5.0},
                                          {"A", day(2020, 1, 4), 20.0},
                                          {"A", day(2020, 1, 4) + 36000, 4.0},
                                          {"A", day(2020, 1, 10), 30.0}});
    summary_options o;
    o.calibration_end = day(2020, 1, 4);
    const customer_summary s = summarize(log.view(), o);
    // Calibration for A: 01-01 (15), 01-04 (20): frequency 1, recency 3, T 3, monetary 20.
    // Holdout for A: days 01-04 and 01-10: frequency_holdout 2, mean row amount (4 + 30) / 2 = 17.
    // B's first purchase is in the holdout: not in the summary. Duration 01-10 - 01-04 = 6.
    REQUIRE(s.size() == 1);
    CHECK(s.frequency[0] == 1);
    CHECK(s.recency[0] == 3);
    CHECK(s.T[0] == 3);
    CHECK(s.monetary_value[0] == 20);
    CHECK(s.frequency_holdout[0] == 2);
    CHECK(s.monetary_value_holdout[0] == 17);
    CHECK(s.duration_holdout == 6);
    CHECK(s.revenue[0] == 69);
    REQUIRE(s.customers_without_purchase.size() == 1);
    CHECK(s.has_holdout());
}

TEST_CASE("profit and distinct orders") {
    const transaction_log log = make_log({{"A", day(2020, 1, 1), 10.0, 6.0, "o1"},
                                          {"A", day(2020, 1, 1), 5.0, 1.0, "o1"},
                                          {"A", day(2020, 1, 2), 20.0, 15.0, "o2"},
                                          {"A", day(2020, 1, 3), -10.0, -6.0, "o3"}},
                                         true, true);
    const customer_summary s = summarize(log.view());
    // profit = (10-6) + (5-1) + (20-15) + (-10+6) = 4 + 4 + 5 - 4 = 9; orders o1, o2 = 2.
    CHECK(s.profit[0] == 9);
    CHECK(s.orders[0] == 2);
    CHECK(s.n_purchases[0] == 3);
}

TEST_CASE("summary: bad input is a clear error") {
    transaction_log empty;
    CHECK_THROWS_WITH_AS(summarize(empty.view()), doctest::Contains("empty"), invalid_argument);

    const transaction_log log = base_log();
    summary_options o;
    o.unit_scale = 0;
    CHECK_THROWS_WITH_AS(summarize(log.view(), o), doctest::Contains("unit_scale"),
                         invalid_argument);
    o = {};
    o.observation_end = day(2019, 12, 1);
    CHECK_THROWS_WITH_AS(summarize(log.view(), o),
                         doctest::Contains("observation_end: 2019-12-01 is before"),
                         invalid_argument);
    o = {};
    o.calibration_end = day(2019, 12, 1);
    CHECK_THROWS_WITH_AS(summarize(log.view(), o), doctest::Contains("calibration_end: 2019-12-01"),
                         invalid_argument);
    o.calibration_end = day(2020, 1, 10);
    CHECK_THROWS_WITH_AS(summarize(log.view(), o),
                         doctest::Contains("holdout period would be empty"), invalid_argument);

    transaction_log bad = base_log();
    bad.amount[2] = NAN;
    CHECK_THROWS_WITH_AS(summarize(bad.view()),
                         doctest::Contains("amount: row 2 (customer \"A\"): value is nan"),
                         data_error);
    bad.amount[2] = INFINITY;
    CHECK_THROWS_WITH_AS(summarize(bad.view()), doctest::Contains("value is inf"), data_error);
    bad.amount[2] = 1.0;
    bad.time.pop_back();
    CHECK_THROWS_WITH_AS(summarize(bad.view()), doctest::Contains("time: has 4 rows"),
                         invalid_argument);
}

TEST_CASE("summary does not depend on row order") {
    const transaction_log a = base_log();
    transaction_log b = make_log({{"A", day(2020, 1, 10), 30.0},
                                  {"A", day(2020, 1, 4), 20.0},
                                  {"B", day(2020, 1, 5), 7.0},
                                  {"A", day(2020, 1, 1), 5.0},
                                  {"A", day(2020, 1, 1), 10.0}});
    const customer_summary sa = summarize(a.view());
    const customer_summary sb = summarize(b.view());
    CHECK(sa.frequency == sb.frequency);
    CHECK(sa.recency == sb.recency);
    CHECK(sa.T == sb.T);
    CHECK(sa.monetary_value == sb.monetary_value);
}

TEST_CASE("summarize refuses times outside the supported years 1..9999") {
    // A caller's log (the CSV reader refuses them itself) with a row in the year 0: its first
    // purchase could not be written in a form that reads back.
    const transaction_log log =
        make_log({{"A", day(2020, 1, 1), 1.0}, {"B", min_supported_time - 1, 2.0}});
    CHECK_THROWS_WITH_AS(summarize(log.view()),
                         doctest::Contains("time: row 1 (customer \"B\"): -62135596801 seconds "
                                           "since 1970 is outside the supported range"),
                         data_error);
    summary_options o;
    o.observation_end = max_supported_time + 1;
    CHECK_THROWS_WITH_AS(summarize(base_log().view(), o),
                         doctest::Contains("observation_end: 253402300800 seconds"),
                         invalid_argument);
    o.observation_end = max_supported_time;
    CHECK(summarize(base_log().view(), o).size() == 2);
}

TEST_CASE("summarize: revenue exact under cancellation (Neumaier), overflows are errors") {
    // Purchases 1e17 and 1 and a return of -1e17: revenue 1 (before: 0, the 1 was lost in
    // 1e17 + 1, whose spacing is 16), returns 1e17, two purchases and one return.
    const transaction_log log = make_log(
        {{"A", day(2020, 1, 1), 1e17}, {"A", day(2020, 1, 2), 1.0}, {"A", day(2020, 1, 3), -1e17}});
    const customer_summary s = summarize(log.view());
    REQUIRE(s.size() == 1);
    CHECK(s.revenue[0] == 1.0);
    CHECK(s.returns[0] == 1e17);
    CHECK(s.n_purchases[0] == 2);
    // Profit with costs 1e17 - 0.5 - ... : amounts minus costs 1e17-0, 1-0.25, -1e17+0 -> 0.75.
    const transaction_log with_cost = make_log({{"A", day(2020, 1, 1), 1e17, 0.0},
                                                {"A", day(2020, 1, 2), 1.0, 0.25},
                                                {"A", day(2020, 1, 3), -1e17, 0.0}},
                                               true);
    CHECK(summarize(with_cost.view()).profit[0] == 0.75);

    // Two rows of 1e308 for customer Z: revenue 2e308 overflows; before, it was written as inf.
    const transaction_log big = make_log({{"A", day(2020, 1, 1), 1.0},
                                          {"Z", day(2020, 1, 1), 1e308},
                                          {"Z", day(2020, 1, 2), 1e308}});
    try {
        (void)summarize(big.view());
        FAIL("no error");
    } catch (const data_error& e) {
        CHECK(std::string(e.what()) == "revenue: row 1 (customer \"Z\"): the sum of the "
                                       "customer's amounts overflows the largest number (about "
                                       "1.8e308)");
        CHECK(e.argument() == "revenue");
        CHECK(e.key() == "Z");
        CHECK(e.row() == 1);
    }
}

TEST_CASE("summarize: a unit scale that makes recency or T infinite is an error") {
    // base_log spans 9 days; 9 / 1e-310 = 9e310 overflows. Before: recency and T were inf.
    summary_options o;
    o.unit_scale = 1e-310;
    CHECK_THROWS_WITH_AS(summarize(base_log().view(), o),
                         "unit_scale: 1e-310 divides a span of 9 days into a recency or T beyond "
                         "the largest number (about 1.8e308)",
                         invalid_argument);
    // 9 / 1e-307 = 9e307 is finite: accepted, T exact to rounding.
    o.unit_scale = 1e-307;
    const customer_summary s = summarize(base_log().view(), o);
    CHECK(s.T[0] == doctest::Approx(9e307));
}

namespace {

// A log of `rows` rows of `customers` integer keys drawn at random: times over two years (any
// second of the day, so that a customer has several rows in a day), whole amounts from -20 to
// 100 (returns among them; sums of whole numbers are exact in any order), costs and orders.
transaction_log random_log(std::size_t rows, std::int64_t customers, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::int64_t> key(1, customers), second(0, 730 * 86400 - 1),
        amount(-20, 100), order(1, static_cast<std::int64_t>(rows) / 2);
    transaction_log log;
    for (std::size_t i = 0; i < rows; ++i) {
        log.customer.push_back(log.customer_keys.insert(key(rng)));
        log.time.push_back(day(2020, 1, 1) + second(rng));
        log.amount.push_back(static_cast<double>(amount(rng)));
        log.cost.push_back(static_cast<double>(amount(rng)) / 4);
        log.order.push_back(log.order_keys.insert(order(rng)));
    }
    log.sort_keys();
    return log;
}

void check_same(const customer_summary& a, const customer_summary& b) {
    CHECK(a.customer == b.customer);
    for (auto m : {&customer_summary::frequency, &customer_summary::recency, &customer_summary::T,
                   &customer_summary::monetary_value, &customer_summary::frequency_holdout,
                   &customer_summary::monetary_value_holdout, &customer_summary::revenue,
                   &customer_summary::returns, &customer_summary::profit})
        CHECK(a.*m == b.*m);
    for (auto m :
         {&customer_summary::n_purchases, &customer_summary::n_returns, &customer_summary::orders,
          &customer_summary::first_purchase, &customer_summary::last_purchase})
        CHECK(a.*m == b.*m);
    CHECK(a.customers_without_purchase == b.customers_without_purchase);
    CHECK(a.rows_dropped_after_end == b.rows_dropped_after_end);
}

} // namespace

TEST_CASE("summary of a large random log: every customer's rows, any row-number width or threads") {
    // 40,000 rows of 10,000 customers: two threads for the customers (4,096 each at least), and
    // customers' rows far apart in the log (the per-customer pass gathers them by row number).
    const transaction_log log = random_log(40000, 10000, 18);
    const transaction_view v = log.view();
    const customer_summary s = summarize(v);

    // Worked out independently, customer by customer: the rows of each, purchase days (a
    // purchase period is a day), totals.
    struct expected {
        std::map<std::int64_t, double> day_value; // purchase day -> its amount
        double revenue = 0, returns = 0;
        std::int64_t purchases = 0, n_returns = 0, first = no_time, last = no_time;
    };
    std::map<entity_id, expected> want;
    for (std::size_t i = 0; i < v.size(); ++i) {
        expected& e = want[v.customer[i]];
        const double a = v.amount[i];
        const std::int64_t t = v.time[i];
        e.revenue += a;
        if (a < 0) {
            e.returns -= a;
            ++e.n_returns;
            continue;
        }
        e.day_value[t / seconds_per_day] += a;
        e.first = e.purchases == 0 ? t : std::min(e.first, t);
        e.last = e.purchases == 0 ? t : std::max(e.last, t);
        ++e.purchases;
    }
    std::int64_t end_day = 0;
    for (const std::int64_t t : v.time)
        end_day = std::max(end_day, t / seconds_per_day);
    std::size_t k = 0;
    std::size_t mismatches = 0;
    for (const auto& [c, e] : want) {
        if (e.purchases == 0) continue; // only returns: left out
        REQUIRE(k < s.size());
        const auto first_day = e.day_value.begin()->first;
        const auto last_day = e.day_value.rbegin()->first;
        double repeat = 0;
        for (auto it = std::next(e.day_value.begin()); it != e.day_value.end(); ++it)
            repeat += it->second;
        const auto repeats = static_cast<double>(e.day_value.size() - 1);
        const bool same = s.customer[k] == c && s.frequency[k] == repeats &&
                          s.recency[k] == static_cast<double>(last_day - first_day) &&
                          s.T[k] == static_cast<double>(end_day - first_day) &&
                          s.monetary_value[k] == (repeats > 0 ? repeat / repeats : 0.0) &&
                          s.revenue[k] == e.revenue && s.returns[k] == e.returns &&
                          s.n_purchases[k] == e.purchases && s.n_returns[k] == e.n_returns &&
                          s.first_purchase[k] == e.first && s.last_purchase[k] == e.last;
        mismatches += same ? 0 : 1;
        ++k;
    }
    CHECK(mismatches == 0);
    CHECK(k == s.size());
    CHECK(s.size() > 9000);

    // 64-bit row numbers and one thread give the same bits, with every option that reads a
    // customer's rows in input order (the holdout mean, profit, orders, late rows dropped).
    check_same(s, detail::summarize_part(v, {}, std::nullopt, {false, true}));
    summary_options o;
    o.calibration_end = day(2021, 6, 1);
    o.observation_end = day(2021, 11, 1);
    o.late = late_policy::drop;
    o.returns = returns_policy::net;
    const customer_summary h = summarize(v, o);
    CHECK(h.rows_dropped_after_end > 0);
    check_same(h, detail::summarize_part(v, o, std::nullopt, {false, true}));
    o.threads = 1;
    check_same(h, summarize(v, o));
}

TEST_CASE("summary, partitioned pass: each customer's rows grouped and in input order, as the "
          "gather's, at any partition size, pass size or thread count") {
    // 30,000 rows of 2,000 integer customers, no cost or order (the partitioned pass), amounts of
    // magnitudes from 1e-6 to 1e6, either sign, several rows a day: the compensated sums of a
    // customer's periods and its holdout mean depend on the rows' order in their last bits, and
    // any row given to the wrong customer changes its totals. Customers 801..900 buy only after
    // the observation end: with late rows dropped, their partitions are empty at 8 customers a
    // partition (ids 800..899: partitions 100..111 whole).
    std::mt19937_64 rng(1814);
    std::uniform_int_distribution<std::int64_t> key(1, 2000), second(0, 400 * 86400 - 1);
    std::uniform_real_distribution<double> magnitude(-6.0, 6.0), unit(0.0, 1.0);
    transaction_log log;
    auto add = [&](std::int64_t k, std::int64_t t) {
        const double a = std::pow(10.0, magnitude(rng)) * (unit(rng) < 0.15 ? -1.0 : 1.0);
        log.customer.push_back(log.customer_keys.insert(k));
        log.time.push_back(t);
        log.amount.push_back(a);
    };
    for (std::size_t i = 0; i < 30000; ++i) {
        const std::int64_t k = key(rng);
        const bool late_only = k > 800 && k <= 900;
        add(k, day(2020, 1, 1) + (late_only ? 400 * 86400 : 0) + second(rng));
    }
    add(5, day(2020, 1, 1) + 401 * 86400); // one late row of an ordinary customer
    log.sort_keys();
    const transaction_view v = log.view();
    REQUIRE(v.cost.empty());
    REQUIRE(v.order.empty());

    std::vector<summary_options> options(4);
    options[1].observation_end = day(2020, 1, 1) + 399 * 86400;
    options[1].late = late_policy::drop;
    options[1].calibration_end = day(2020, 9, 1);
    options[1].returns = returns_policy::net;
    options[2].include_first_transaction = true;
    options[2].unit = time_unit::weeks;
    options[3].unit = time_unit::months;
    options[3].returns = returns_policy::net;
    for (const summary_options& base : options) {
        detail::summary_path gather;
        gather.gather = true;
        summary_options one = base;
        one.threads = 1;
        const customer_summary want = detail::summarize_part(v, one, std::nullopt, gather);
        REQUIRE(want.size() > 1000);
        for (const unsigned bits : {0U, 1U, 3U, 7U, 20U})
            for (const std::size_t pass_rows : {std::size_t{0}, std::size_t{1}, std::size_t{2500}})
                for (const unsigned threads : {1U, 2U, 3U}) {
                    CAPTURE(bits);
                    CAPTURE(pass_rows);
                    CAPTURE(threads);
                    summary_options o = base;
                    o.threads = threads;
                    const customer_summary got =
                        detail::summarize_part(v, o, std::nullopt, {false, false, bits, pass_rows});
                    check_same(want, got);
                    CHECK(got.rows_used == want.rows_used);
                }
    }
    CHECK(
        detail::summarize_part(v, options[1], std::nullopt, {}).customers_without_purchase.size() >=
        100);

    // One customer: one partition, and one pass of one row at a time still holds it.
    transaction_log single;
    for (int i = 0; i < 50; ++i) {
        single.customer.push_back(single.customer_keys.insert(std::int64_t{77}));
        single.time.push_back(day(2021, 3, 1) + (i % 7) * 86400 + i);
        single.amount.push_back(1.0 / (i + 3));
    }
    single.sort_keys();
    detail::summary_path gather;
    gather.gather = true;
    const customer_summary one_want =
        detail::summarize_part(single.view(), {}, std::nullopt, gather);
    REQUIRE(one_want.size() == 1);
    CHECK(one_want.frequency[0] == 6.0);
    check_same(one_want,
               detail::summarize_part(single.view(), {}, std::nullopt, {false, false, 0, 1}));
    check_same(one_want, summarize(single.view()));
}
