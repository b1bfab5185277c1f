// A seeded synthetic transaction log with known ground truth, for demos, tests and benchmarks.
//
// Each customer follows the BG/NBD story (Fader, Hardie & Lee 2005, "Counting your customers
// the easy way", Marketing Science 24(2)): while alive, purchases arrive as a Poisson process
// with rate lambda ~ Gamma(shape r, rate alpha); after every purchase the customer drops out with
// probability p ~ Beta(a, b). Spend per purchase follows the Gamma-Gamma model (Fader, Hardie &
// Lee 2005, "RFM and CLV", and Colombo & Jiang 1999): z ~ Gamma(p_spend, nu), nu ~ Gamma(q, v).
// Customers are acquired uniformly over the first `acquisition_share` of the period; each
// purchase buys one product (Zipf-like popularity, products with different margins) through one
// channel (customer-specific preference), and is returned with probability `return_rate`
// (a negative row a few days later, amount and cost reversed).
//
// Determinism: all draws come from one std::mt19937_64 stream seeded with `seed`, turned into
// doubles by the library itself and into distributions by inverse CDFs (Boost.Math) -- never
// the implementation-defined std:: distributions -- so the same seed gives byte-identical
// output on every platform with IEEE doubles.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/transactions.hpp"

#include <cstdint>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Parameters of `generate_transactions`. Times are seconds since the epoch.
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
    // Gamma-Gamma spend: the CDNOW fit of Fader et al. 2005 (p 6.25, q 3.74, gamma 15.44).
    double p_spend = 6.25;
    double q_spend = 3.74;
    double v_spend = 15.44;
    std::size_t products = 50;
    std::size_t channels = 3;
    double return_rate = 0.03;
};

/// Ground truth drawn for each customer (index = customer id in the generated log).
struct generated_truth {
    std::vector<double> lambda;        ///< purchase rate per day while alive
    std::vector<double> p_dropout;     ///< dropout probability after each purchase
    std::vector<double> mean_spend;    ///< expected spend per purchase
    std::vector<std::int64_t> acquired; ///< time of the first purchase
    std::vector<std::int64_t> death;   ///< time the customer dropped out; no_time if alive at end
};

/// A generated log and the truth behind it.
struct generated_log {
    transaction_log log; ///< customer keys are integers 1..customers, product P01.., channel names
    generated_truth truth;
};

/// Generates a transaction log (see the file comment). Throws `invalid_argument` naming the
/// parameter when one is out of its domain (non-positive shape or rate, end before start, ...).
generated_log generate_transactions(const generate_options& options = {});

CUSTOMETRICS_END_NAMESPACE
