// Tests of generate.hpp: determinism, argument checks, the calendar, and the statistics of the
// generated log against the closed forms of the models behind it.
//
// Statistical checks use a fixed seed and a tolerance of 4 standard errors, the standard error
// worked out from the model's known variance (or, where no closed form is handy, from the
// sample). A correct generator fails one such check with probability about 6e-5 for a random
// seed; with the seed fixed the outcome is deterministic. The reference values were computed
// with mpmath 1.3 (quoted next to each), and the E[X(t)] series is also summed here.
#include <custometrics/generate.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

constexpr std::int64_t day(int y, unsigned m, unsigned d) {
    return days_from_civil(y, m, d) * seconds_per_day;
}

// The message of the invalid_argument that generate_transactions throws ("" when none).
std::string error_of(const generate_options& opt) {
    try {
        (void)generate_transactions(opt);
    } catch (const invalid_argument& e) {
        return e.what();
    }
    return "";
}

// 20,000 customers all acquired on 2020-01-01 (acquisition_share * 120 days < 1 day) and observed
// for t = 120 days, with a > 1 (so E[X(t)] of Fader, Hardie & Lee 2005 eq. 9 applies) and
// q_spend = 6 (so p / nu has finite moments well beyond the variance the tolerance uses).
generate_options window_options() {
    generate_options opt;
    opt.customers = 20'000;
    opt.seed = 2024;
    opt.start = day(2020, 1, 1);
    opt.end = day(2020, 4, 29); // 2020 is a leap year: Jan 31 + Feb 29 + Mar 31 + Apr 29 = 120
    opt.acquisition_share = 1e-6;
    opt.r = 1.2;
    opt.alpha = 15.0;
    opt.a = 2.5;
    opt.b = 5.0;
    opt.p_spend = 6.25;
    opt.q_spend = 6.0;
    opt.v_spend = 50.0;
    opt.return_rate = 0.05;
    return opt;
}

// Generated once and shared by the statistical tests (it is the slow part in a Debug build).
const generated_log& window_log() {
    static const generated_log g = generate_transactions(window_options());
    return g;
}

constexpr double window_days = 120.0;

// Rows of each customer, by customer id.
std::vector<std::vector<std::size_t>> rows_by_customer(const transaction_log& log) {
    std::vector<std::vector<std::size_t>> rows(log.customer_keys.size());
    for (std::size_t i = 0; i < log.size(); ++i)
        rows[log.customer[i]].push_back(i);
    return rows;
}

// Gauss hypergeometric 2F1(a, b; c; z) by its power series, for 0 <= z < 1.
double hyp2f1(double a, double b, double c, double z) {
    double term = 1.0;
    double sum = 1.0;
    for (int n = 0; n < 100'000 && std::abs(term) > 1e-17 * std::abs(sum); ++n) {
        term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
        sum += term;
    }
    return sum;
}

// Mean and standard error of the mean.
struct mean_se {
    double mean;
    double se;
};

mean_se sample_mean(const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double ss = 0.0;
    for (const double v : x)
        ss += (v - mean) * (v - mean);
    return {mean, std::sqrt(ss / (n - 1.0) / n)};
}

} // namespace

TEST_CASE("generate: every argument out of its domain is named with its value") {
    const generate_options ok;
    auto with = [&](auto change) {
        generate_options opt = ok;
        opt.customers = 10;
        change(opt);
        return error_of(opt);
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();

    CHECK(with([](auto& o) { o.customers = 0; }) ==
          "generate: customers must be between 1 and 4294967294, got 0");
    CHECK(with([](auto& o) { o.customers = std::size_t{4294967295}; }) ==
          "generate: customers must be between 1 and 4294967294, got 4294967295");
    CHECK(with([](auto& o) { o.r = 0.0; }) ==
          "generate: r must be a positive finite number, got 0");
    CHECK(with([&](auto& o) { o.alpha = -1.0; }) ==
          "generate: alpha must be a positive finite number, got -1");
    CHECK(with([&](auto& o) { o.a = nan; }) ==
          "generate: a must be a positive finite number, got nan");
    CHECK(with([&](auto& o) { o.b = inf; }) ==
          "generate: b must be a positive finite number, got inf");
    CHECK(with([](auto& o) { o.p_spend = 0.0; }) ==
          "generate: p_spend must be a positive finite number, got 0");
    CHECK(with([](auto& o) { o.q_spend = -2.5; }) ==
          "generate: q_spend must be a positive finite number, got -2.5");
    CHECK(with([&](auto& o) { o.v_spend = -inf; }) ==
          "generate: v_spend must be a positive finite number, got -inf");
    CHECK(with([](auto& o) {
              o.start = day(2021, 1, 2);
              o.end = day(2021, 1, 1);
          }) == "generate: end must not be before start, got end 1609459200 < start 1609545600");
    CHECK(with([](auto& o) { o.acquisition_share = 0.0; }) ==
          "generate: acquisition_share must be in (0, 1], got 0");
    CHECK(with([](auto& o) { o.acquisition_share = 1.5; }) ==
          "generate: acquisition_share must be in (0, 1], got 1.5");
    CHECK(with([&](auto& o) { o.acquisition_share = nan; }) ==
          "generate: acquisition_share must be in (0, 1], got nan");
    CHECK(with([](auto& o) { o.products = 0; }) ==
          "generate: products must be between 1 and 4294967294, got 0");
    CHECK(with([](auto& o) { o.channels = 0; }) ==
          "generate: channels must be between 1 and 4294967294, got 0");
    CHECK(with([](auto& o) { o.return_rate = 1.0; }) ==
          "generate: return_rate must be in [0, 1), got 1");
    CHECK(with([](auto& o) { o.return_rate = -0.1; }) ==
          "generate: return_rate must be in [0, 1), got -0.1");
    // 10:00 to 20:00 of one day: no midnight, so no day a row could fall on.
    CHECK(with([](auto& o) {
              o.start = day(2020, 1, 1) + 36'000;
              o.end = day(2020, 1, 1) + 72'000;
          }) == "generate: the period from start 1577872800 to end 1577908800 contains no "
                "midnight (rows fall on whole days)");

    // The edges of the domains are accepted.
    CHECK(with([](auto& o) {
              o.acquisition_share = 1.0;
              o.return_rate = 0.0;
          }) == "");
    CHECK(with([](auto& o) { o.end = o.start; }) == ""); // a one-day period
    // The type is catchable as the library's base error as well.
    generate_options bad;
    bad.alpha = -1.0;
    CHECK_THROWS_AS((void)generate_transactions(bad), error);
}

TEST_CASE("generate: the same seed gives the same log, whatever the thread count") {
    // 5,000 customers and ~15,000 rows: enough for both parallel passes to use two threads.
    generate_options opt;
    opt.customers = 5'000;
    opt.seed = 7;
    opt.threads = 1;
    const generated_log one = generate_transactions(opt);
    opt.threads = 2;
    const generated_log two = generate_transactions(opt);
    REQUIRE(one.log.size() > 8'192);
    CHECK(one.log.customer == two.log.customer);
    CHECK(one.log.time == two.log.time);
    CHECK(one.log.amount == two.log.amount);
    CHECK(one.log.cost == two.log.cost);
    CHECK(one.log.product == two.log.product);
    CHECK(one.log.channel == two.log.channel);
    CHECK(one.truth.lambda == two.truth.lambda);
    CHECK(one.truth.p_dropout == two.truth.p_dropout);
    CHECK(one.truth.mean_spend == two.truth.mean_spend);
    CHECK(one.truth.acquired == two.truth.acquired);
    CHECK(one.truth.death == two.truth.death);

    opt.seed = 8;
    const generated_log other = generate_transactions(opt);
    CHECK(other.log.amount != one.log.amount);
    CHECK(other.truth.lambda != one.truth.lambda);
    CHECK(other.truth.acquired != one.truth.acquired);
}

TEST_CASE("generate: keys, calendar and row order") {
    SUBCASE("default period: rows on midnights within it, sorted, first row at acquisition") {
        generate_options opt;
        opt.customers = 3'000;
        opt.seed = 11;
        const generated_log g = generate_transactions(opt);
        const transaction_log& log = g.log;
        REQUIRE(log.size() > 3'000);
        log.view().validate();

        // Keys: customers 1..n with id = key - 1, products P01..P50 by rank, channels by name.
        REQUIRE(log.customer_keys.size() == 3'000);
        bool id_is_key_minus_one = true;
        for (entity_id c = 0; c < 3'000; ++c)
            id_is_key_minus_one = id_is_key_minus_one && log.customer_keys.integer_key(c) == c + 1;
        CHECK(id_is_key_minus_one);
        REQUIRE(log.product_keys.size() == 50);
        CHECK(log.product_keys.string_key(0) == "P01");
        CHECK(log.product_keys.string_key(9) == "P10");
        CHECK(log.product_keys.string_key(49) == "P50");
        REQUIRE(log.channel_keys.size() == 3);
        CHECK(log.channel_keys.string_key(0) == "phone");
        CHECK(log.channel_keys.string_key(1) == "store");
        CHECK(log.channel_keys.string_key(2) == "web");

        // Every column is filled; times are midnights in [start, end]; order is (time, customer).
        CHECK(log.cost.size() == log.size());
        CHECK(log.product.size() == log.size());
        CHECK(log.channel.size() == log.size());
        bool on_midnight = true;
        bool in_period = true;
        bool sorted = true;
        for (std::size_t i = 0; i < log.size(); ++i) {
            on_midnight = on_midnight && log.time[i] % seconds_per_day == 0;
            in_period = in_period && log.time[i] >= opt.start && log.time[i] <= opt.end;
            if (i > 0)
                sorted =
                    sorted &&
                    (log.time[i - 1] < log.time[i] ||
                     (log.time[i - 1] == log.time[i] && log.customer[i - 1] <= log.customer[i]));
        }
        CHECK(on_midnight);
        CHECK(in_period);
        CHECK(sorted);

        // Each customer's first row is a purchase on its acquisition day; a customer who dropped
        // out did so at its last purchase.
        const auto rows = rows_by_customer(log);
        bool first_at_acquisition = true;
        bool death_at_last_purchase = true;
        std::vector<double> offset_days;
        for (std::size_t c = 0; c < rows.size(); ++c) {
            if (rows[c].empty()) { // every customer makes a first purchase
                first_at_acquisition = false;
                continue;
            }
            const std::size_t first = rows[c].front();
            first_at_acquisition = first_at_acquisition && log.time[first] == g.truth.acquired[c] &&
                                   log.amount[first] > 0.0;
            if (g.truth.death[c] != no_time) {
                std::int64_t last_purchase = no_time;
                for (const std::size_t i : rows[c])
                    if (log.amount[i] > 0.0) last_purchase = log.time[i];
                death_at_last_purchase =
                    death_at_last_purchase && g.truth.death[c] == last_purchase;
            }
            offset_days.push_back(
                static_cast<double>((g.truth.acquired[c] - opt.start) / seconds_per_day));
        }
        CHECK(first_at_acquisition);
        CHECK(death_at_last_purchase);

        // 2020-01-01..2021-12-31 holds 731 days; with acquisition_share 0.5 the offset is
        // floor(U * 365.5), so it lies in 0..365 with mean (sum_{k<365} k + 365 * 0.5) / 365.5
        // = 182.2503 and standard deviation about 365.5 / sqrt(12) = 105.5.
        CHECK(*std::min_element(offset_days.begin(), offset_days.end()) >= 0.0);
        CHECK(*std::max_element(offset_days.begin(), offset_days.end()) <= 365.0);
        const mean_se acq = sample_mean(offset_days);
        CHECK(std::abs(acq.mean - 182.2503) < 4.0 * 105.5 / std::sqrt(3'000.0));
    }

    SUBCASE("a period that starts and ends mid-day keeps rows inside it") {
        generate_options opt;
        opt.customers = 300;
        opt.start = day(2020, 3, 1) + 43'200; // 2020-03-01 12:00
        opt.end = day(2020, 3, 31) + 3'600;   // 2020-03-31 01:00
        opt.acquisition_share = 1.0;          // ~10 customers are acquired on each of the 30 days
        const generated_log g = generate_transactions(opt);
        const auto [lo, hi] = std::minmax_element(g.log.time.begin(), g.log.time.end());
        CHECK(*lo == day(2020, 3, 2));  // the first midnight after start
        CHECK(*hi == day(2020, 3, 31)); // the day that contains end
    }

    SUBCASE("product keys are padded to the width of the count; extra channels are numbered") {
        generate_options opt;
        opt.customers = 10;
        opt.products = 5;
        opt.channels = 5;
        generated_log g = generate_transactions(opt);
        CHECK(g.log.product_keys.string_key(0) == "P1");
        CHECK(g.log.product_keys.string_key(4) == "P5");
        REQUIRE(g.log.channel_keys.size() == 5);
        CHECK(g.log.channel_keys.string_key(0) == "channel4");
        CHECK(g.log.channel_keys.string_key(1) == "channel5");
        CHECK(g.log.channel_keys.string_key(4) == "web");
        opt.products = 100;
        g = generate_transactions(opt);
        CHECK(g.log.product_keys.string_key(0) == "P001");
        CHECK(g.log.product_keys.string_key(99) == "P100");
    }
}

TEST_CASE("generate: the drawn lambda, p and mean spend follow their priors") {
    const generated_log& g = window_log();
    const double n = 20'000.0;
    // lambda ~ Gamma(r 1.2, rate alpha 15): mean r / alpha = 0.08, sd sqrt(r) / alpha = 0.073030.
    const mean_se lambda = sample_mean(g.truth.lambda);
    CHECK(std::abs(lambda.mean - 0.08) < 4.0 * 0.073030 / std::sqrt(n));
    // p ~ Beta(2.5, 5): mean a / (a + b) = 1/3, sd sqrt(ab / ((a+b)^2 (a+b+1))) = 0.161690.
    const mean_se p = sample_mean(g.truth.p_dropout);
    CHECK(std::abs(p.mean - 1.0 / 3.0) < 4.0 * 0.161690 / std::sqrt(n));
    // p_spend / nu with nu ~ Gamma(q 6, rate v 50) is inverse-gamma scaled by p_spend 6.25:
    // mean p v / (q - 1) = 62.5, sd = mean / sqrt(q - 2) = 31.25.
    const mean_se spend = sample_mean(g.truth.mean_spend);
    CHECK(std::abs(spend.mean - 62.5) < 4.0 * 31.25 / std::sqrt(n));
    // The sample standard errors agree with the closed forms (a check on the variances too).
    CHECK(lambda.se * std::sqrt(n) == doctest::Approx(0.073030).epsilon(0.05));
    CHECK(p.se * std::sqrt(n) == doctest::Approx(0.161690).epsilon(0.05));
    bool p_in_unit = true;
    for (const double x : g.truth.p_dropout)
        p_in_unit = p_in_unit && x >= 0.0 && x <= 1.0;
    CHECK(p_in_unit);
}

TEST_CASE("generate: repeat purchases match the BG/NBD expectation E[X(t)]") {
    const generated_log& g = window_log();
    const transaction_log& log = g.log;
    const generate_options opt = window_options();
    REQUIRE(std::count(g.truth.acquired.begin(), g.truth.acquired.end(), opt.start) == 20'000);

    // X = purchase rows - 1 per customer (returns are the negative rows; same-day purchases
    // are separate rows, so counting rows counts purchases).
    std::vector<double> repeat(opt.customers, -1.0);
    for (std::size_t i = 0; i < log.size(); ++i)
        if (log.amount[i] > 0.0) repeat[log.customer[i]] += 1.0;

    // Fader, Hardie & Lee 2005, eq. 9, with r 1.2, alpha 15, a 2.5, b 5, t 120:
    // E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
    // mpmath gives 2.7593355045059363 both from this formula and by integrating
    // E[X(t) | lambda, p] = (1 - exp(-lambda p t)) / p over the two priors.
    const double r = opt.r, alpha = opt.alpha, a = opt.a, b = opt.b, t = window_days;
    const double expected =
        (a + b - 1.0) / (a - 1.0) *
        (1.0 - std::pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1.0, t / (alpha + t)));
    CHECK(expected == doctest::Approx(2.7593355045059363).epsilon(1e-12));

    const mean_se x = sample_mean(repeat);
    CHECK(std::abs(x.mean - expected) < 4.0 * x.se);

    // P(X(t) = 0) = E[exp(-lambda t)] = (alpha / (alpha + t))^r = (1/9)^1.2 = 0.0715993: no
    // dropout can happen before the first repeat purchase. (A dropout coin after the first
    // purchase, as in the MBG/NBD, would raise this to about 0.38.)
    const double p0 = std::pow(1.0 / 9.0, 1.2);
    const double zero = static_cast<double>(std::count(repeat.begin(), repeat.end(), 0.0));
    CHECK(std::abs(zero / 20'000.0 - p0) < 4.0 * std::sqrt(p0 * (1.0 - p0) / 20'000.0));

    // P(dropped out by t) = 1 - E_p[(alpha / (alpha + p t))^r] = 0.7475214 (mpmath quad).
    const double dead = static_cast<double>(std::count_if(
        g.truth.death.begin(), g.truth.death.end(), [](std::int64_t d) { return d != no_time; }));
    const double pd = 0.7475214;
    CHECK(std::abs(dead / 20'000.0 - pd) < 4.0 * std::sqrt(pd * (1.0 - pd) / 20'000.0));
}

TEST_CASE("generate: purchase amounts follow the Gamma-Gamma spend model") {
    const generated_log& g = window_log();
    const transaction_log& log = g.log;
    const double p_spend = window_options().p_spend;

    // Given a customer's mean m = p / nu, an amount z ~ Gamma(p, nu) has variance p / nu^2 =
    // m^2 / p. So R = sum over purchases of (z - m) has mean 0 and variance sum m^2 / p.
    // Rounding to cents moves each z by at most 0.005 (and not systematically), against a
    // standard deviation of R near 6,000 here.
    double residual = 0.0;
    double variance = 0.0;
    const std::size_t customers = log.customer_keys.size();
    std::vector<double> spent(customers, 0.0);
    std::vector<double> bought(customers, 0.0);
    bool cents = true;
    bool cost_from_margin = true;
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (log.amount[i] < 0.0) continue;
        const double m = g.truth.mean_spend[log.customer[i]];
        residual += log.amount[i] - m;
        variance += m * m / p_spend;
        spent[log.customer[i]] += log.amount[i];
        bought[log.customer[i]] += 1.0;
        cents = cents && log.amount[i] >= 0.01 &&
                std::abs(log.amount[i] * 100.0 - std::round(log.amount[i] * 100.0)) < 1e-6;
        const double margin = g.truth.product_margin[log.product[i]];
        cost_from_margin =
            cost_from_margin &&
            log.cost[i] == std::round(log.amount[i] * (1.0 - margin) * 100.0) / 100.0;
    }
    CHECK(std::abs(residual) < 4.0 * std::sqrt(variance));
    CHECK(cents);
    CHECK(cost_from_margin);

    // The mean amount over purchase rows estimates E[p / nu] = p v / (q - 1) = 62.5 (nu is
    // independent of the purchase count). Its standard error is that of a ratio estimator,
    // sum_i S_i / sum_i n_i, with customers as the independent units.
    const double n_rows = std::accumulate(bought.begin(), bought.end(), 0.0);
    const double mean = std::accumulate(spent.begin(), spent.end(), 0.0) / n_rows;
    double ss = 0.0;
    for (std::size_t c = 0; c < customers; ++c)
        ss += (spent[c] - mean * bought[c]) * (spent[c] - mean * bought[c]);
    CHECK(std::abs(mean - 62.5) < 4.0 * std::sqrt(ss) / n_rows);

    // Margins: fixed per product, in [0.1, 0.6), all different.
    std::vector<double> margins = g.truth.product_margin;
    REQUIRE(margins.size() == 50);
    CHECK(*std::min_element(margins.begin(), margins.end()) >= 0.1);
    CHECK(*std::max_element(margins.begin(), margins.end()) < 0.6);
    std::sort(margins.begin(), margins.end());
    CHECK(std::adjacent_find(margins.begin(), margins.end()) == margins.end());

    // Zipf popularity: P01 (id 0) has weight 1 / H_50 = 0.2222615 of purchases.
    double first_product = 0.0;
    for (std::size_t i = 0; i < log.size(); ++i)
        if (log.amount[i] > 0.0 && log.product[i] == 0) first_product += 1.0;
    const double share = 0.2222615;
    CHECK(std::abs(first_product / n_rows - share) <
          4.0 * std::sqrt(share * (1.0 - share) / n_rows));
}

TEST_CASE("generate: returns reverse an earlier purchase, at the return rate") {
    const generated_log& g = window_log();
    const transaction_log& log = g.log;
    const generate_options opt = window_options();
    const std::int64_t last = opt.end;

    // A purchase on day d is returned with probability rate, 1..30 days later (uniform); the
    // return row exists only when it falls by the last day, so each purchase contributes
    // q = rate * min(30, last - d) / 30 to the expected count and q (1 - q) to its variance.
    double expected = 0.0;
    double variance = 0.0;
    double returns = 0.0;
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (log.amount[i] < 0.0) {
            returns += 1.0;
            continue;
        }
        const auto room =
            static_cast<double>(std::min<std::int64_t>(30, (last - log.time[i]) / seconds_per_day));
        const double q = opt.return_rate * room / 30.0;
        expected += q;
        variance += q * (1.0 - q);
    }
    CHECK(returns > 1'000.0);
    CHECK(std::abs(returns - expected) < 4.0 * std::sqrt(variance));

    // Each return matches a distinct purchase of the same customer 1..30 days earlier with the
    // same product, channel and the amount and cost negated.
    const auto rows = rows_by_customer(log);
    std::vector<char> used(log.size(), 0);
    bool all_matched = true;
    for (const auto& mine : rows) {
        for (const std::size_t ret : mine) {
            if (log.amount[ret] > 0.0) continue;
            bool found = false;
            for (const std::size_t buy : mine) {
                const std::int64_t lag = (log.time[ret] - log.time[buy]) / seconds_per_day;
                if (used[buy] == 0 && log.amount[buy] > 0.0 && lag >= 1 && lag <= 30 &&
                    log.amount[buy] == -log.amount[ret] && log.cost[buy] == -log.cost[ret] &&
                    log.product[buy] == log.product[ret] && log.channel[buy] == log.channel[ret]) {
                    used[buy] = 1;
                    found = true;
                    break;
                }
            }
            all_matched = all_matched && found;
        }
    }
    CHECK(all_matched);
}
