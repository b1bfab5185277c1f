// Synthetic transaction logs (see custometrics/generate.hpp for the model and its guarantees).
//
// Method, in five passes:
//  1. sequential: per customer, the uniforms for acquisition day, lambda, p (two), nu and the
//     preferred channel;
//  2. parallel: those uniforms become Gamma and Beta quantiles (the expensive part);
//  3. sequential: customer by customer, the purchase process, which needs lambda and p and reads
//     the stream a number of times that depends on them; each purchase row keeps the uniform of
//     its amount;
//  4. parallel: amount quantiles and costs; each return copies its purchase, negated;
//  5. a stable counting sort by day, which keeps customer order within a day because rows were
//     emitted customer by customer.
// The parallel parts (passes 2 and 4, and the copy in pass 5) are pure functions of what the
// stream produced, so the output does not depend on the thread count.
#include "custometrics/generate.hpp"

#include "custometrics/date.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/progress.hpp"

#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

// Quantiles in plain double. Boost.Math promotes double arguments to long double by default,
// which is about 5x slower here and differs between platforms (80 bits on x86-64, 64 on MSVC
// and 128 on AArch64 Linux); in double the results agree with the promoted ones to a few ulp.
using quantile_policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

double gamma_quantile(double shape, double u) {
    return boost::math::gamma_p_inv(shape, u, quantile_policy());
}

// p ~ Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) independent (Devroye 1986,
// "Non-Uniform Random Variate Generation", ch. IX.4), from the uniforms ux and uy. Two Gamma
// quantiles cost about half of one Beta quantile (ibeta_inv). X and Y both underflow to 0 only
// for shapes far below 0.05 with tiny uniforms; the Beta quantile of ux stands in then.
double beta_draw(double a, double b, double ux, double uy) {
    const double x = gamma_quantile(a, ux);
    const double y = gamma_quantile(b, uy);
    return x + y > 0.0 ? x / (x + y) : boost::math::ibeta_inv(a, b, ux, quantile_policy());
}

// Uniforms in (0, 1) from one std::mt19937_64 (whose output is fixed by the standard): the top
// 52 bits k of a draw give (k + 1/2) / 2^52, the midpoint of one of 2^52 equal cells. The value
// is exact in double and never 0 or 1, so log(u) is finite and every quantile is too.
class uniform_stream {
public:
    explicit uniform_stream(std::uint64_t seed) : m_engine(seed) {}
    double operator()() { return (static_cast<double>(m_engine() >> 12) + 0.5) * 0x1p-52; }

private:
    std::mt19937_64 m_engine;
};

// Cell floor(u * n) of a uniform over n equal cells (clamped: u * n may round up to n).
std::size_t pick(double u, std::size_t n) {
    return std::min(static_cast<std::size_t>(u * static_cast<double>(n)), n - 1);
}

double round_cents(double x) {
    return std::round(x * 100.0) / 100.0;
}

// Shortest text that reads back as `x` ("-1", "0.5", "inf", "nan").
std::string format_number(double x) {
    std::array<char, 32> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), x);
    return {buf.data(), res.ptr};
}

void require_positive(double value, const char* name) {
    if (!(value > 0.0) || !std::isfinite(value))
        throw invalid_argument(std::string("generate: ") + name +
                               " must be a positive finite number, got " + format_number(value));
}

// Customers, products and channels become dense ids, so their count must fit the id range.
void require_count(std::size_t value, const char* name) {
    constexpr std::size_t max_count = no_id - 1;
    if (value == 0 || value > max_count)
        throw invalid_argument(std::string("generate: ") + name + " must be between 1 and " +
                               std::to_string(max_count) + ", got " + std::to_string(value));
}

void validate(const generate_options& opt) {
    require_count(opt.customers, "customers");
    require_positive(opt.r, "r");
    require_positive(opt.alpha, "alpha");
    require_positive(opt.a, "a");
    require_positive(opt.b, "b");
    require_positive(opt.p_spend, "p_spend");
    require_positive(opt.q_spend, "q_spend");
    require_positive(opt.v_spend, "v_spend");
    if (opt.end < opt.start)
        throw invalid_argument("generate", "end must not be before start, got end " +
                                               std::to_string(opt.end) + " < start " +
                                               std::to_string(opt.start));
    if (!(opt.acquisition_share > 0.0 && opt.acquisition_share <= 1.0))
        throw invalid_argument("generate", "acquisition_share must be in (0, 1], got " +
                                               format_number(opt.acquisition_share));
    require_count(opt.products, "products");
    require_count(opt.channels, "channels");
    if (!(opt.return_rate >= 0.0 && opt.return_rate < 1.0))
        throw invalid_argument("generate", "return_rate must be in [0, 1), got " +
                                               format_number(opt.return_rate));
}

// The whole days the rows may fall on: from the first midnight at or after start to the day of
// end.
struct period {
    std::int64_t first_day;
    std::int64_t last_day;
    std::int64_t n_days;
};

period whole_days(const generate_options& opt) {
    const std::int64_t first = day_of(opt.start) + (opt.start % seconds_per_day != 0 ? 1 : 0);
    const std::int64_t last = day_of(opt.end);
    if (first > last)
        throw invalid_argument("generate", "the period from start " + std::to_string(opt.start) +
                                               " to end " + std::to_string(opt.end) +
                                               " contains no midnight (rows fall on whole days)");
    return {first, last, last - first + 1};
}

// Products: Zipf popularity (weight 1 / (k + 1)) and a margin each. The margins follow the Weyl
// sequence (k + 1) * phi mod 1, which spreads them evenly over [0.1, 0.6) and independently of
// popularity.
struct catalog {
    std::vector<double> cumulative; // cumulative popularity, the last entry 1
    std::vector<double> margin;

    explicit catalog(std::size_t products) : cumulative(products), margin(products) {
        constexpr double golden = 0.6180339887498949;
        double total = 0.0;
        for (std::size_t k = 0; k < products; ++k) {
            cumulative[k] = total += 1.0 / static_cast<double>(k + 1);
            const double x = static_cast<double>(k + 1) * golden;
            margin[k] = 0.1 + 0.5 * (x - std::floor(x));
        }
        for (double& c : cumulative)
            c /= total;
    }

    // Inverse CDF of the popularity: the first product whose cumulative weight exceeds u.
    entity_id draw(double u) const {
        const auto k =
            std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
        return static_cast<entity_id>(std::min<std::size_t>(k, cumulative.size() - 1));
    }
};

// What is drawn per customer: the truth, plus the spend rate nu and the preferred channel.
struct customer_draws {
    generated_truth truth; // acquired holds day numbers until the log is assembled
    std::vector<double> nu;
    std::vector<entity_id> preferred;
};

// Passes 1 and 2: per-customer uniforms in stream order, then their quantiles in parallel.
customer_draws draw_customers(const generate_options& opt, const period& days,
                              uniform_stream& uniform) {
    const std::size_t n = opt.customers;
    customer_draws c;
    generated_truth& t = c.truth;
    t.lambda.resize(n);
    t.p_dropout.resize(n);
    t.mean_spend.resize(n);
    t.acquired.resize(n);
    t.death.assign(n, no_time);
    c.nu.resize(n);
    c.preferred.resize(n);
    std::vector<double> beta_y(n); // the second uniform of p
    const double acquisition_days = opt.acquisition_share * static_cast<double>(days.n_days);
    for (std::size_t i = 0; i < n; ++i) {
        const auto offset = static_cast<std::int64_t>(uniform() * acquisition_days);
        t.acquired[i] = days.first_day + std::min(offset, days.n_days - 1);
        t.lambda[i] = uniform();
        t.p_dropout[i] = uniform();
        beta_y[i] = uniform();
        c.nu[i] = uniform();
        c.preferred[i] = static_cast<entity_id>(pick(uniform(), opt.channels));
    }
    // lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b), nu ~ Gamma(q, rate v).
    auto quantiles = [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) {
            t.lambda[i] = gamma_quantile(opt.r, t.lambda[i]) / opt.alpha;
            t.p_dropout[i] = beta_draw(opt.a, opt.b, t.p_dropout[i], beta_y[i]);
            c.nu[i] = gamma_quantile(opt.q_spend, c.nu[i]) / opt.v_spend;
            t.mean_spend[i] = opt.p_spend / c.nu[i];
            // Only extreme parameters get here (alpha near the smallest double, q_spend so small
            // that nu underflows); say so rather than emit infinite rates or amounts.
            if (!std::isfinite(t.lambda[i]))
                throw invalid_argument("generate", "r " + format_number(opt.r) + " and alpha " +
                                                       format_number(opt.alpha) +
                                                       " give an infinite purchase rate");
            if (!std::isfinite(t.mean_spend[i]))
                throw invalid_argument(
                    "generate", "q_spend " + format_number(opt.q_spend) + " and v_spend " +
                                    format_number(opt.v_spend) + " give an infinite mean spend");
        }
    };
    detail::parallel_chunks(n, detail::thread_count(n, opt.threads, 1024), quantiles);
    return c;
}

// Rows as the purchase process emits them, before amounts are drawn and rows are sorted.
struct raw_rows {
    std::vector<entity_id> customer;
    std::vector<std::int64_t> day;
    std::vector<double> amount; // the uniform of the amount until pass 4
    std::vector<double> cost;   // filled by pass 4
    std::vector<entity_id> product;
    std::vector<entity_id> channel;
    std::vector<std::pair<std::size_t, std::size_t>> returns; // (return row, purchase row)

    std::size_t size() const noexcept { return customer.size(); }

    std::size_t push(entity_id c, std::int64_t d, double a, entity_id p, entity_id ch) {
        customer.push_back(c);
        day.push_back(d);
        amount.push_back(a);
        product.push_back(p);
        channel.push_back(ch);
        return customer.size() - 1;
    }
};

constexpr double preferred_channel_share = 0.7;
constexpr std::size_t max_return_delay_days = 30;

// Pass 3: the purchase process, customer by customer. t is continuous time in days since the
// acquisition midnight; the customer is observed while t < horizon (the end of the last day).
raw_rows simulate_purchases(const generate_options& opt, const period& days, const catalog& cat,
                            customer_draws& c, uniform_stream& uniform) {
    raw_rows rows;
    const std::size_t step = std::max<std::size_t>(1, opt.customers / 100);
    for (std::size_t i = 0; i < opt.customers; ++i) {
        if (i % step == 0) report_progress("generate", i, opt.customers);
        const auto id = static_cast<entity_id>(i);
        const std::int64_t acquired = c.truth.acquired[i];
        const auto horizon = static_cast<double>(days.last_day + 1 - acquired);
        const double lambda = c.truth.lambda[i];
        const double p = c.truth.p_dropout[i];
        double t = 0.0;
        for (bool repeat = false;; repeat = true) {
            const std::int64_t day = acquired + static_cast<std::int64_t>(t); // t >= 0: floor
            const double u_amount = uniform();
            const entity_id product = cat.draw(uniform());
            const double u_coin = uniform();
            const double u_channel = uniform();
            const entity_id channel = u_coin < preferred_channel_share
                                          ? c.preferred[i]
                                          : static_cast<entity_id>(pick(u_channel, opt.channels));
            const bool returned = uniform() < opt.return_rate;
            const auto delay =
                static_cast<std::int64_t>(1 + pick(uniform(), max_return_delay_days));
            const std::size_t row = rows.push(id, day, u_amount, product, channel);
            if (returned && day + delay <= days.last_day)
                rows.returns.emplace_back(rows.push(id, day + delay, 0.0, product, channel), row);
            // BG/NBD: the dropout coin follows repeat purchases only (see generate.hpp).
            if (repeat && uniform() < p) {
                c.truth.death[i] = day * seconds_per_day;
                break;
            }
            t += -std::log(uniform()) / lambda; // lambda == 0 gives t = inf: no more purchases
            if (!(t < horizon)) break;
        }
    }
    return rows;
}

// Pass 4: amount z = (Gamma(p_spend, 1) quantile) / nu, in cents and at least 0.01; cost from
// the product margin; returns mirror their purchase.
void price_rows(const generate_options& opt, const customer_draws& c, const catalog& cat,
                raw_rows& rows) {
    const std::size_t n = rows.size();
    rows.cost.assign(n, 0.0);
    std::vector<char> is_return(n, 0);
    for (const auto& [ret, src] : rows.returns)
        is_return[ret] = 1;
    auto price = [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) {
            if (is_return[i] != 0) continue;
            const double z = gamma_quantile(opt.p_spend, rows.amount[i]) / c.nu[rows.customer[i]];
            const double amount = std::max(0.01, round_cents(z));
            rows.amount[i] = amount;
            rows.cost[i] = round_cents(amount * (1.0 - cat.margin[rows.product[i]]));
        }
    };
    detail::parallel_chunks(n, detail::thread_count(n, opt.threads, 4096), price);
    for (const auto& [ret, src] : rows.returns) {
        rows.amount[ret] = -rows.amount[src];
        rows.cost[ret] = -rows.cost[src];
    }
}

// Stable order of rows by day: counting sort when the period is not much longer than the log,
// otherwise a stable comparison sort (a century-long period of a tiny log).
std::vector<std::size_t> order_by_day(const std::vector<std::int64_t>& day, const period& days) {
    const std::size_t n = day.size();
    std::vector<std::size_t> order(n);
    if (static_cast<std::uint64_t>(days.n_days) <= 4 * static_cast<std::uint64_t>(n) + 1024) {
        std::vector<std::size_t> next(static_cast<std::size_t>(days.n_days) + 1, 0);
        for (const std::int64_t d : day)
            ++next[static_cast<std::size_t>(d - days.first_day) + 1];
        std::partial_sum(next.begin(), next.end(), next.begin());
        for (std::size_t i = 0; i < n; ++i)
            order[next[static_cast<std::size_t>(day[i] - days.first_day)]++] = i;
    } else {
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t x, std::size_t y) { return day[x] < day[y]; });
    }
    return order;
}

// Product keys "P1".."P9", "P01".."P50", "P001".. : zero-padded to the width of `products`.
std::string product_key(std::size_t k, std::size_t products) {
    const std::string digits = std::to_string(k);
    return "P" + std::string(std::to_string(products).size() - digits.size(), '0') + digits;
}

std::string channel_key(std::size_t k) {
    constexpr std::array<const char*, 3> names{"web", "store", "phone"};
    return k < names.size() ? std::string(names[k]) : "channel" + std::to_string(k + 1);
}

// Pass 5: the log, rows by day, then customer, then generation order, with its key indexes.
transaction_log assemble_log(const generate_options& opt, const period& days,
                             const raw_rows& rows) {
    const std::vector<std::size_t> order = order_by_day(rows.day, days);
    const std::size_t n = rows.size();
    transaction_log log;
    log.customer.resize(n);
    log.time.resize(n);
    log.amount.resize(n);
    log.cost.resize(n);
    log.product.resize(n);
    log.channel.resize(n);
    auto copy = [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) {
            const std::size_t j = order[i];
            log.customer[i] = rows.customer[j];
            log.time[i] = rows.day[j] * seconds_per_day;
            log.amount[i] = rows.amount[j];
            log.cost[i] = rows.cost[j];
            log.product[i] = rows.product[j];
            log.channel[i] = rows.channel[j];
        }
    };
    detail::parallel_chunks(n, detail::thread_count(n, opt.threads), copy);

    // Customers 1..n (a dense range, id = key - 1), products by rank, channels by name.
    std::vector<std::int64_t> keys(opt.customers);
    std::iota(keys.begin(), keys.end(), std::int64_t{1});
    log.customer_keys = key_index::from_integers(keys, opt.threads).first;
    for (std::size_t k = 0; k < opt.products; ++k)
        log.product_keys.insert(product_key(k + 1, opt.products));
    for (std::size_t k = 0; k < opt.channels; ++k)
        log.channel_keys.insert(channel_key(k));
    log.sort_keys();
    return log;
}

} // namespace

generated_log generate_transactions(const generate_options& opt) {
    validate(opt);
    const period days = whole_days(opt);
    const catalog cat(opt.products);
    uniform_stream uniform(opt.seed);
    customer_draws customers = draw_customers(opt, days, uniform);
    raw_rows rows = simulate_purchases(opt, days, cat, customers, uniform);
    price_rows(opt, customers, cat, rows);

    generated_log out{assemble_log(opt, days, rows), std::move(customers.truth)};
    for (auto& day : out.truth.acquired)
        day *= seconds_per_day;
    out.truth.product_margin = cat.margin;
    report_progress("generate", opt.customers, opt.customers);
    return out;
}

CUSTOMETRICS_END_NAMESPACE
