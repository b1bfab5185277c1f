// A seeded synthetic transaction log with known ground truth, for demos, tests and benchmarks.
//
// Each customer follows the BG/NBD story (Fader, Hardie & Lee 2005, "Counting your customers
// the easy way", Marketing Science 24(2), sec. 2): the first purchase happens at acquisition
// (time 0); while alive, repeat purchases arrive as a Poisson process with rate
// lambda ~ Gamma(shape r, rate alpha) per day; after every *repeat* purchase the customer drops
// out with probability p ~ Beta(a, b). There is no dropout right after the first purchase: that
// is what the BG/NBD likelihood and its E[X(t)] (eq. 9) assume (the MBG/NBD of Batislam et al.
// 2007 is the variant that allows it). Spend per purchase follows the Gamma-Gamma model (Fader,
// Hardie & Lok 2005, "RFM and CLV", Journal of Marketing Research 42(4); Colombo & Jiang 1999):
// z ~ Gamma(shape p_spend, rate nu), nu ~ Gamma(shape q_spend, rate v_spend), so a customer's
// expected spend per purchase is p_spend / nu, and over customers E[p_spend / nu] =
// p_spend * v_spend / (q_spend - 1) when q_spend > 1.
//
// Calendar. Rows fall on whole days (midnight UTC), so a CSV written from the log holds plain
// ISO dates. The period is the days from the first midnight at or after `start` to the day that
// contains `end`, that day included. Each customer is acquired at midnight of a day drawn
// uniformly from the first `acquisition_share` of those days; purchase times are continuous
// (days since that midnight) and each row's time is its purchase time rounded down to the day,
// so several purchases of one customer on one day are separate rows. A customer acquired on day
// A is observed for the continuous window [0, last_day + 1 - A) days; purchases beyond it are
// not generated.
//
// Each purchase row: amount = z rounded to cents (at least 0.01); product k (0-based id, key
// "P01".."P50", zero-padded to the width of `products`) with Zipf popularity proportional to
// 1 / (k + 1) and a fixed margin per product (`generated_truth::product_margin`, between 10% and
// 60%), cost = amount * (1 - margin) rounded to cents; channel: the customer's preferred channel
// (drawn uniformly) with probability 0.7, otherwise uniform over all channels (keys "web",
// "store", "phone", then "channel4", "channel5", ...). With probability `return_rate` the
// purchase is returned 1..30 days later (uniform): a row with amount and cost negated, same
// customer, product and channel, kept only when that day is still in the period.
//
// Row order: by time, then customer; rows that tie keep the order they were generated in (a
// customer's purchases in time order, each return right after the purchase it reverses). Key
// indexes are sorted (`transaction_log::sort_keys`), as the CSV reader leaves them, so customer
// id = key - 1 and product id = popularity rank.
//
// Determinism: all draws come from one std::mt19937_64 stream seeded with `seed` (its output is
// fixed by the standard), turned into uniforms in (0, 1) by the library itself and into
// distributions by inverse CDFs from Boost.Math -- never the implementation-defined std::
// distributions. Gamma draws are gamma_p_inv(shape, u) / rate; a Beta(a, b) draw is
// X / (X + Y) with X, Y the Gamma(a), Gamma(b) quantiles of two uniforms, which is exact and
// half the cost of ibeta_inv. The quantiles are computed in double, not promoted to long double
// (whose width differs between platforms). The stream is read in a fixed order: per customer,
// acquisition day, lambda, p (two), nu, preferred channel; then customer by customer, per
// purchase: amount, product, channel coin, channel, return coin, return delay, dropout coin
// (repeat purchases only), waiting time to the next purchase. Only the pure uniform-to-quantile
// transforms run on several threads, so the output does not depend on `threads`: the same seed
// gives a byte-identical log with the same build. Across platforms the uniforms are identical
// and the quantiles agree up to the rounding of the math library (log, pow), so a rare amount
// may differ by a cent.
//
// Cost: four inverse-CDF evaluations per customer and one per purchase. With the defaults, 10^6
// customers give 2.9 million rows in about 3.3 s of CPU, about 2 s on two cores (the quantiles
// run in parallel; the purchase process and the sort do not).
//
// Example:
//     generate_options opt;
//     opt.customers = 1000;
//     opt.seed = 7;
//     const generated_log g = generate_transactions(opt);
//     // g.log.size() rows; g.truth.lambda[0] is the purchase rate of customer key 1.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/transactions.hpp"

#include <cstdint>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Parameters of `generate_transactions`. Times are seconds since the epoch; rates are per day.
struct generate_options {
    std::size_t customers = 10'000;
    std::uint64_t seed = 42;
    std::int64_t start = 1'577'836'800; ///< 2020-01-01
    std::int64_t end = 1'640'908'800;   ///< 2021-12-31 (inclusive day)
    double acquisition_share = 0.5;     ///< customers join during this share of the period
    // BG/NBD (rates per day): the CDNOW fit of Fader et al. (r .243, alpha 4.414 weeks) in days.
    double r = 0.243;
    double alpha = 30.9;
    double a = 0.793;
    double b = 2.426;
    // Gamma-Gamma spend: the CDNOW fit of Fader, Hardie & Lok 2005 (p 6.25, q 3.74, gamma 15.44).
    double p_spend = 6.25;
    double q_spend = 3.74;
    double v_spend = 15.44;
    std::size_t products = 50;
    std::size_t channels = 3;
    double return_rate = 0.03; ///< probability that a purchase is returned, in [0, 1)
    unsigned threads = 0;      ///< 0 = all hardware threads; the output does not depend on it
};

/// Ground truth drawn for each customer (index = customer id in the generated log = key - 1).
struct generated_truth {
    std::vector<double> lambda;         ///< purchase rate per day while alive
    std::vector<double> p_dropout;      ///< dropout probability after each repeat purchase
    std::vector<double> mean_spend;     ///< expected spend per purchase
    std::vector<std::int64_t> acquired; ///< time of the first purchase (a midnight)
    std::vector<std::int64_t> death;    ///< day of the purchase after which the customer dropped
                                        ///< out (its row time); no_time if alive at the end
    std::vector<double> product_margin; ///< margin share of each product id, in [0.1, 0.6)
};

/// A generated log and the truth behind it.
struct generated_log {
    transaction_log log; ///< customer keys are integers 1..customers, product P01.., channel names
    generated_truth truth;
};

/// Generates a transaction log (see the file comment). Throws `invalid_argument` naming the
/// parameter and its value when one is out of its domain: customers, products or channels 0
/// (or above the id range), a shape or rate that is not a positive finite number, end before
/// start or no midnight between them, acquisition_share outside (0, 1], return_rate outside
/// [0, 1).
generated_log generate_transactions(const generate_options& options = {});

CUSTOMETRICS_END_NAMESPACE
