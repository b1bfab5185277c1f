// How `summarize` buckets a log's rows by customer (summary.cpp): for tests of each path.
//
// Two paths give the same bits. The partitioned pass (logs without cost and order columns) cuts
// the customers into partitions of 2^bits consecutive ids, copies each kept row as 16 bytes into
// its partition's place in a buffer reused by passes over the log's columns in order, then
// counting-sorts each partition by customer in cache. The gather (logs with cost or order)
// counting-sorts the rows' numbers by customer and reads each customer's rows through them.
#pragma once

#include "custometrics/summary.hpp"

#include <cstddef>
#include <optional>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// How `summarize_part` buckets a log's rows by customer. The default chooses: the partitioned
/// pass for logs without cost and order columns, else the gather through sorted row numbers.
/// Every choice gives the same result.
struct summary_path {
    /// The gather through row numbers sorted by customer, even without cost and order.
    bool gather = false;
    /// The gather, its row numbers in 64 bits whatever the size (else 32 bits below 2^32 rows).
    bool wide_row_numbers = false;
    /// The partitioned pass: log2 of the customers a partition holds (0: chosen from the rows a
    /// customer has, so that a partition's rows fit a core's L2 cache; at most 16).
    unsigned partition_bits = 0;
    /// The partitioned pass: the most rows one pass over the log copies (0: 2^22; a pass holds
    /// whole partitions, so at least the largest partition's rows).
    std::size_t pass_rows = 0;
};

/// `summarize_part(part, options, whole)` (summary.hpp) with the rows bucketed as `path` says.
customer_summary summarize_part(const transaction_view& part, const summary_options& options,
                                std::optional<time_span> whole, const summary_path& path);

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
