// Pareto analysis in chunks: the result of `pareto` (pareto.hpp) from pieces of the ranking held
// apart, e.g. the partitions of a distributed sort (custometrics.spark.pareto_exact), the same
// bits as `pareto` on the whole.
//
// Input. The ranked values (value descending, ties by key: the order `pareto` ranks in) cut
// into chunks of consecutive ranks; chunk k holds the ranks [first_k, first_k + count_k) of n.
// Under `nonpositive_policy::separate` the values <= 0 follow the ranked ones and are a second
// sequence, summed the same way for `nonpositive_total`.
//
// Steps. Each chunk is read twice where it lies, and between the two reads one call on one
// machine puts a few numbers per chunk together:
// 1. `pareto_chunk_sums_of(chunk, first, n)`: what the chunk adds to the sums
//    (`pareto_chunk_sums`).
// 2. `combine_chunk_sums(all of them, n, policy)`: the total, the Gini coefficients
//    (`gini_from_sums`, with its rule for sums that overflow), and where each chunk's running
//    sums start (`pareto_chunked_sums`); throws `data_error` when the total overflows, or is
//    <= 0 under `nonpositive_policy::include`, as `pareto` does.
// 3. `classify_chunk(chunk, start, ...)`: rank, cumulative share and ABC class of each value,
//    and a `pareto_chunk_summary` of the chunk; summaries merge with `+=`, in any order.
// 4. `chunk_figures(sums, n_positive, summary, ...)`: the headline figures (`chunked_figures`).
//
// Bits. `pareto` adds the ranked values in blocks of `detail::sum_block` (8192) ranks: within a
// block a running sum from 0, in rank order; the blocks' sums are carried over one after the
// other, and cum_share[r] = (carry of r's block + running sum to r) / total. A block whose ranks
// all lie in one chunk is summed there as `pareto` sums it. A block that a chunk boundary cuts
// is summed in rank order across the boundary: a chunk hands over its values before its first
// block boundary (its `head`, at most 8191 values) and step 2 continues the running sums of the
// block begun in an earlier chunk with them, value by value. So every sum is formed in the same
// order, from the same terms, as in `pareto`, and every cumulative share, class, figure and Gini
// coefficient is the same double; the tests split random vectors at random and compare bits.
// The classes follow `pareto`'s boundary rules value by value: as the cumulative share never
// decreases over the values > 0, an entity is A under `boundary_rule::before` when it is the
// first or the share before it is below a, as `pareto` cuts the ranking at the first share that
// reaches a (`detail::class_bounds`).
//
// Example: values 50, 30, 15, 5 (n = 4) in two chunks {50, 30} and {15, 5}: step 2 gives total
// 100, Gini 0.375 and the second chunk's start (carry 0, running 80); step 3 gives cum_share 0.5,
// 0.8 and 0.95, 1 with classes A, A and B, C; step 4 the figures of pareto({50, 30, 15, 5}).
#pragma once

#include "custometrics/pareto.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

/// What one chunk of the ranked values adds to the sums of `pareto` (see pareto_partition.hpp).
struct pareto_chunk_sums {
    std::size_t first = 0;   ///< rank of the chunk's first value, 0-based
    std::size_t count = 0;   ///< values in the chunk
    column<double> head;     ///< values before the chunk's first block boundary (in a block begun
                             ///< in an earlier chunk); empty when `first` starts a block
    column<double> sum;      ///< per block begun in the chunk: the running sum of its values here
    column<double> weighted; ///< per block: sum of (n - 1 - 2 r) * value[r] (the Gini numerator)
    column<double> absolute; ///< per block: sum of |value[r]|
};

/// The sums of all the chunks together and where each chunk's running sums start.
struct pareto_chunked_sums {
    std::size_t n = 0;           ///< values ranked
    double total = 0.0;          ///< their sum, carried over the blocks as in `pareto`
    gini_result gini;            ///< the Gini coefficients of the values (`gini_from_sums`)
    column<std::uint64_t> first; ///< per chunk, in rank order: its first rank
    column<double> carry;        ///< the sum of the blocks before the block holding `first`
    column<double> running;      ///< the running sum of that block's values before `first`
};

/// What a classified chunk adds to the headline figures; `+=` merges chunks in any order.
struct pareto_chunk_summary {
    std::array<std::size_t, 3> class_count{}; ///< entities in A, B, C
    std::size_t a_end = 0;   ///< 1 + rank of the last A entity (0: none in the chunks merged)
    double cum_a = 0.0;      ///< its cumulative share
    std::size_t ab_end = 0;  ///< 1 + rank of the last A or B entity (0: none)
    double cum_ab = 0.0;     ///< its cumulative share
    std::size_t k80 = 0;     ///< 1 + the first rank of a value > 0 whose cum_share reaches 0.8
    std::size_t top_end = 0; ///< top_count(0.2, n) when that rank is among the chunks merged
    double top20 = 0.0;      ///< the cumulative share there

    /// Merges the summary of other chunks of the same ranking.
    pareto_chunk_summary& operator+=(const pareto_chunk_summary& o) noexcept {
        for (std::size_t c = 0; c < 3; ++c)
            class_count[c] += o.class_count[c];
        if (o.a_end > a_end) a_end = o.a_end, cum_a = o.cum_a;
        if (o.ab_end > ab_end) ab_end = o.ab_end, cum_ab = o.cum_ab;
        if (o.k80 != 0 && (k80 == 0 || o.k80 < k80)) k80 = o.k80;
        if (o.top_end != 0) top_end = o.top_end, top20 = o.top20;
        return *this;
    }
};

/// One chunk ranked and classified: its columns (by rank) and summary.
struct pareto_chunk {
    column<std::int64_t> rank;    ///< 1-based rank in the whole ranking
    column<double> cum_share;     ///< cumulative share of the total, as `pareto` gives it
    column<abc_class> abc;        ///< ABC class, as `pareto` gives it
    pareto_chunk_summary summary; ///< for `chunk_figures`
    double next_carry = 0.0;      ///< the start of the chunk that follows (`classify_chunk`)
    double next_running = 0.0;
};

/// The headline figures of a ranking in chunks: those of `pareto_result` on the same values.
struct chunked_figures {
    std::size_t n = 0;                        ///< entities ranked
    double total = 0.0;                       ///< sum of their values
    std::size_t n_positive = 0;               ///< ranked entities with value > 0
    bool defined = false;                     ///< false: nothing to rank (see `reason`)
    std::string reason;                       ///< why not, else empty
    std::size_t nonpositive_count = 0;        ///< `separate`: entities with value <= 0
    double nonpositive_total = 0.0;           ///< their sum
    double entities_for_80pct = 0.0;          ///< as `pareto_result::entities_for_80pct`
    double top20_share = 0.0;                 ///< as `pareto_result::top20_share`
    std::array<std::size_t, 3> class_count{}; ///< entities in A, B, C
    std::array<double, 3> class_share{};      ///< share of the total in A, B, C
    gini_result gini;                         ///< Gini coefficients of the ranked values
};

namespace detail {

/// Throws `invalid_argument` ("first") unless ranks [first, first + count) lie within n.
inline void check_chunk(std::size_t first, std::size_t count, std::size_t n) {
    if (first > n || count > n - first)
        throw invalid_argument("first",
                               "ranks " + std::to_string(first) + " to " +
                                   std::to_string(first + count) + " reach past the " +
                                   std::to_string(n) + " values ranked",
                               std::to_string(first));
}

} // namespace detail

/// Sums of one chunk of `n` ranked values, `values` at the ranks first, first + 1, ...: the
/// blocks of `detail::sum_block` ranks begun in it summed as `detail::block_sums` sums them,
/// the values before its first block boundary handed over as they are. Throws
/// `invalid_argument` ("first") when the chunk reaches past rank n.
///
/// Example: 8194 values from rank 8190 of 20000: `head` holds the first 2 (ranks 8190, 8191);
/// `sum`, `weighted` and `absolute` one block (ranks 8192..16383), all of it in the chunk.
inline pareto_chunk_sums pareto_chunk_sums_of(std::span<const double> values, std::size_t first,
                                              std::size_t n) {
    constexpr std::size_t block = detail::sum_block;
    detail::check_chunk(first, values.size(), n);
    pareto_chunk_sums out;
    out.first = first;
    out.count = values.size();
    const std::size_t into = first % block;
    const std::size_t head = into == 0 ? 0 : std::min(values.size(), block - into);
    out.head.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(head));
    const double last = static_cast<double>(n) - 1.0;
    for (std::size_t b = head; b < values.size(); b += block) {
        detail::block_accumulator acc;
        for (std::size_t i = b; i < std::min(values.size(), b + block); ++i)
            acc.add(values[i], last, first + i);
        out.sum.push_back(acc.sum);
        out.weighted.push_back(acc.weighted);
        out.absolute.push_back(acc.absolute);
    }
    return out;
}

/// Puts together the sums of the chunks of `n` ranked values (`pareto_chunk_sums_of`), given
/// in rank order and covering ranks 0..n-1 without gap or overlap: the total and the Gini
/// coefficients of the values, formed as `pareto` forms them, and the start of each chunk's
/// running sums (for `classify_chunk`). Throws `invalid_argument` ("chunks", value: the rank)
/// when a chunk does not begin where the one before it ends or its sums do not match its
/// length, and `data_error` as `pareto` throws it when the total overflows and, when the values
/// are ranked under `nonpositive` = `nonpositive_policy::include` (n > 0), when the total is
/// <= 0 (`detail::throw_total_not_positive`): so that a distributed ranking stops here, on the
/// machine that combines, with the error's fields, before any chunk is classified.
///
/// Example: chunks {50, 30} (first 0) and {15, 5} (first 2) of n = 4: total 100, gini 0.375,
/// carry {0, 0} and running {0, 80}. Chunks {5} and {-7} of n = 2 under include: total -2,
/// `data_error` "values: total is -2 (<= 0) under nonpositive_policy::include: ...".
inline pareto_chunked_sums
combine_chunk_sums(std::span<const pareto_chunk_sums> chunks, std::size_t n,
                   nonpositive_policy nonpositive = nonpositive_policy::separate) {
    constexpr std::size_t block = detail::sum_block;
    pareto_chunked_sums out;
    out.n = n;
    detail::ranked_sums whole;      // the closed blocks
    detail::block_accumulator open; // the block being summed, continued over chunks
    bool is_open = false;
    auto close = [&] {
        whole.total += open.sum;
        whole.weighted += open.weighted;
        whole.absolute += open.absolute;
        open = {};
        is_open = false;
    };
    auto malformed = [](std::size_t first, const std::string& why) {
        return invalid_argument("chunks", "the chunk at rank " + std::to_string(first) + " " + why,
                                std::to_string(first));
    };
    const double last = static_cast<double>(n) - 1.0;
    std::size_t at = 0; // the next rank
    for (const pareto_chunk_sums& c : chunks) {
        if (c.first != at)
            throw malformed(c.first, "does not begin where the chunks before it end (rank " +
                                         std::to_string(at) + ")");
        const std::size_t into = at % block;
        const std::size_t head = into == 0 ? 0 : std::min(c.count, block - into);
        const std::size_t blocks = (c.count - std::min(c.count, head) + block - 1) / block;
        if (c.head.size() != head || c.sum.size() != blocks || c.weighted.size() != blocks ||
            c.absolute.size() != blocks || c.count > n - std::min(n, at))
            throw malformed(c.first, "has sums that do not match its " + std::to_string(c.count) +
                                         " values of " + std::to_string(n));
        if (into == 0 && is_open) close();
        out.first.push_back(at);
        out.carry.push_back(whole.total);
        out.running.push_back(open.sum);
        for (std::size_t i = 0; i < head; ++i)
            open.add(c.head[i], last, at + i);
        is_open = is_open || head > 0;
        at += head;
        for (std::size_t j = 0; j < blocks; ++j) {
            if (is_open) close();
            open = {c.sum[j], c.weighted[j], c.absolute[j]};
            is_open = true;
            at = std::min(c.first + c.count, at + block);
        }
    }
    if (at != n)
        throw invalid_argument("chunks",
                               "the chunks end at rank " + std::to_string(at) + ", not at " +
                                   std::to_string(n),
                               std::to_string(at));
    if (is_open) close();
    if (!std::isfinite(whole.total)) detail::throw_sum_overflow("values", whole.total);
    if (nonpositive == nonpositive_policy::include && n > 0 && !(whole.total > 0.0))
        detail::throw_total_not_positive(whole.total);
    out.total = whole.total;
    out.gini = detail::gini_from_sums(n, whole);
    return out;
}

/// Ranks, cumulative shares and ABC classes of one chunk of the `n` ranked values (`n_positive`
/// of them > 0, summing to `total`), as `pareto` gives them for the whole with `options`, from
/// the chunk's start: its first rank, and the `carry` and `running` sums there
/// (`combine_chunk_sums`). A chunk may be classified in pieces, each starting where the one
/// before ended (`next_carry`, `next_running`). Throws `invalid_argument` for bad options, a
/// chunk past rank n, n_positive above n, or a total that is not finite and > 0.
///
/// Example: {15, 5} from rank 2 of n = 4, carry 0, running 80, total 100: ranks 3, 4,
/// cum_share 0.95, 1, classes B, C.
inline pareto_chunk classify_chunk(std::span<const double> values, std::size_t first, double carry,
                                   double running, std::size_t n, std::size_t n_positive,
                                   double total, const pareto_options& options) {
    constexpr std::size_t block = detail::sum_block;
    detail::check_options(options);
    detail::check_chunk(first, values.size(), n);
    if (n_positive > n)
        throw invalid_argument("n_positive", "is above n = " + std::to_string(n),
                               std::to_string(n_positive));
    if (!(std::isfinite(total) && total > 0.0))
        throw invalid_argument("total",
                               "must be finite and > 0, got " + detail::format_number(total),
                               detail::format_number(total));
    const std::size_t m = values.size();
    pareto_chunk out;
    out.rank.resize(m);
    out.cum_share.resize(m);
    out.abc.resize(m);
    pareto_chunk_summary& sum = out.summary;
    const std::size_t top = detail::top_count(0.2, n);
    const boundary_rule rule = options.rule;
    double before = (carry + running) / total; // the share before the chunk: carry + running
    for (std::size_t i = 0; i < m; ++i) {
        const std::size_t r = first + i;
        if (r % block == 0 && i != 0) { // a block begins: carried over, as `block_sums` carries
            carry += running;
            running = 0.0;
        }
        running += values[i];
        const double cum = (carry + running) / total;
        const bool positive = r < n_positive;
        const double c = rule == boundary_rule::before ? before : cum;
        const bool a = positive && ((rule == boundary_rule::before && r == 0) ||
                                    detail::inside(rule, c, options.a_threshold));
        const bool b = positive && !a && detail::inside(rule, c, options.b_threshold);
        const abc_class k = a ? abc_class::A : b ? abc_class::B : abc_class::C;
        out.rank[i] = static_cast<std::int64_t>(r + 1);
        out.cum_share[i] = cum;
        out.abc[i] = k;
        ++sum.class_count[static_cast<std::size_t>(k)];
        if (a) sum.a_end = r + 1, sum.cum_a = cum;
        if (a || b) sum.ab_end = r + 1, sum.cum_ab = cum;
        if (sum.k80 == 0 && positive && !(cum < 0.8)) sum.k80 = r + 1; // entities_for_share(0.8)
        if (r + 1 == top) sum.top_end = top, sum.top20 = cum;          // top_share(0.2)
        before = cum;
    }
    if ((first + m) % block == 0 && m != 0) {
        carry += running;
        running = 0.0;
    }
    out.next_carry = carry;
    out.next_running = running;
    return out;
}

/// The headline figures of `n` ranked values in chunks, `n_positive` of them > 0: from their
/// sums (`combine_chunk_sums`) and the merged summaries of all the chunks (`classify_chunk`;
/// none when n is 0), with `nonpositive_count` entities <= 0 summing to `nonpositive_total`
/// left out (`separate`). The figures of `pareto` on the same values. Throws
/// `invalid_argument` ("summary") when the summaries do not count n entities.
inline chunked_figures chunk_figures(const pareto_chunked_sums& sums, std::size_t n_positive,
                                    const pareto_chunk_summary& summary,
                                    std::size_t nonpositive_count, double nonpositive_total) {
    chunked_figures f;
    f.n = sums.n;
    f.total = sums.total;
    f.n_positive = n_positive;
    f.nonpositive_count = nonpositive_count;
    f.nonpositive_total = nonpositive_total;
    f.gini = sums.gini;
    const auto& k = summary.class_count;
    if (k[0] + k[1] + k[2] != sums.n)
        throw invalid_argument("summary",
                               "counts " + std::to_string(k[0] + k[1] + k[2]) +
                                   " entities, the sums " + std::to_string(sums.n),
                               std::to_string(k[0] + k[1] + k[2]));
    if (sums.n == 0) {
        f.reason = detail::not_ranked_reason(nonpositive_count);
        return f;
    }
    f.defined = true;
    const detail::class_figures cf = detail::class_figures_of(
        sums.n, k[0], k[0] + k[1], summary.a_end == 0 ? 0.0 : summary.cum_a,
        summary.ab_end == 0 ? 0.0 : summary.cum_ab);
    f.class_count = cf.count;
    f.class_share = cf.share;
    const std::size_t k80 = n_positive == 0 ? 0 : summary.k80 != 0 ? summary.k80 : n_positive;
    f.entities_for_80pct = static_cast<double>(k80) / static_cast<double>(sums.n);
    f.top20_share = summary.top_end == 0 ? 0.0 : summary.top20;
    return f;
}

CUSTOMETRICS_END_NAMESPACE
