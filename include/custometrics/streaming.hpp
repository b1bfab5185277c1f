// Analyses of a transaction CSV file within a memory limit (`--memory-limit`): the per-customer
// summary (`summarize_csv`), the Pareto analysis (`pareto_csv`) and the RFM scores (`rfm_csv`).
//
// When the file would not fit the limit in memory, it is read once by the serial reader (its
// errors: file, line, column, value) and its rows are cut by the hash of the entity's key (the
// customer's; the product's or channel's for a Pareto analysis by those) into K part files in a
// private temporary directory (csv.hpp `detail::csv_parts`). A summary reads each part back
// whole and summarises it alone with the in-memory code (`detail::summarize_part`, in the time
// window of the whole file): a customer's summary needs its rows in time order. A Pareto
// analysis and RFM need per entity only totals, so they read each part row by row
// (`csv_parts::for_each_row`) and fold the rows into one accumulator per entity: the
// compensated sums of `entity_totals` (the accumulator of aggregate.hpp, fed each entity's rows
// in file order as `entity_totals` is), and for RFM `detail::customer_totals` (net revenue,
// returns and profit as Neumaier sums, purchase and return rows, first and last purchase) and
// the customer's distinct orders. The parts' per-entity rows are then merged by key into the
// rows the whole file gives. What needs every entity at once runs on the merged rows: the
// ranking of the Pareto analysis (`pareto_of_totals`), the binning of RFM (`rfm_from_summary`).
// The result is the in-memory one, exactly: the same entities in the same order, the same
// numbers, the same rows and
// customers left out, the same error for a late row or an overflowing total (the first row, the
// lowest key, as in memory). A part where some customer's amounts and costs add up, in
// magnitude, to 2^1020 (about 1.1e307) or more is summarised whole for RFM instead, so that
// the summary's own overflow errors, which depend on the order of the rows, are raised. A
// Neumaier total is the correctly rounded sum of its terms nearly always, but not always: when
// its compensation term itself rounds, the last bit depends on the order (2^-99, 2^-99, 128,
// 2^-46 total 128 + 2^-45 in that order, 128 by date). So RFM adds a customer's rows in the
// order `summarize` does: folded as they come while they come in that order (time, then
// amount), and for a customer whose rows do not, added again from its rows alone, gathered in
// a second pass over the part and sorted as `summarize` sorts them (24 bytes a row of those
// customers). Pareto's totals are folded in file order, where in memory each thread sums its
// range of rows and the threads' sums are added: the same bits short of that rounding. The
// temporary directory is removed on success and on failure. The parts honour
// `csv_options::sort_keys`: with false, the entities are numbered in order of first appearance
// in the file, as in memory.
//
// Without a limit (or when K is 1), a Pareto analysis of a file that the parallel reader reads
// (csv.hpp) folds its rows into the totals while the chunks are parsed
// (`detail::fold_csv_totals`): each chunk thread adds its rows into its own table of `sum_acc`
// indexed by the entity's integer key, and no column of the log is kept (the log holds about 28
// bytes a row). The result and the errors are those of the log read whole; keys the table does
// not take (strings, negative, sparse) and a misguessed chunk leave it to the log.
//
// Memory. K = ceil(bytes_per_csv_byte * file size / (limit - reserve)), so that one part, read
// and summarised, holds about limit - reserve bytes; reserve (16 MiB) covers the reader's
// block, the spill buffers and the program. When K is 1 the file is read and analysed in
// memory as without a limit. The merged result (one row of about 150 bytes a customer for a
// summary or RFM, 8 to 16 bytes an entity for a Pareto analysis, and the keys) is held too: the
// limit bounds the rows held, not the entities.
// - A summary holds one part whole. It assumes the keys spread the rows: a part holds the rows
//   of its keys, so one key holding most rows (a "guest" customer) makes one part most of the
//   file, and the limit is exceeded by as much.
// - A Pareto analysis and RFM hold, per part, one accumulator per entity of the part (with its
//   key: about 100 bytes; for RFM with an order column, also about 200 bytes per distinct
//   order of a customer: a node of the set of (customer, order) pairs, 16 bytes in a 32-byte
//   heap block plus 8 to 16 bytes of buckets, and an entry of the part's order-key index, a
//   32-byte hash slot at a load between 1/4 and 1/2 with an 8-byte offset and the key's
//   characters, arrays held up to twice their size as they grow: 40 to 48 bytes and 145 to 225
//   bytes measured, for 8-character keys), never its rows. The hash spreads the distinct keys
//   evenly over the parts whatever their rows, so a part holds about 1/K of the entities: one
//   key holding most rows (a "guest" customer, a hot product, `pareto --by channel` with three
//   channels) costs nothing more. Measured peaks: docs/benchmarks.md.
// Example:
//     const auto s = custometrics::summarize_csv("big.csv", {}, {}, parse_memory_size("512M"));
//     output::write_csv(std::cout, s.summary, s.customer_keys);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/entity_totals.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/pareto_log.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/summary.hpp"
#include "custometrics/transactions.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The smallest memory limit accepted: 32 MiB.
inline constexpr std::size_t min_memory_limit = std::size_t{32} << 20;

/// A memory size in bytes from text: a whole or decimal number, optionally followed by a unit
/// K, M, G or T (powers of 1024; case-insensitive, an optional trailing B or iB), no blanks.
/// Throws `invalid_argument` naming `argument` and the text when it is not such a size, or is
/// below `min_memory_limit`, or overflows.
/// Example: "512M" -> 536870912, "1.5G" -> 1610612736, "2g" -> 2147483648.
std::size_t parse_memory_size(std::string_view text, std::string_view argument = "memory_limit");

/// The per-customer summary of a CSV file, with what a face needs to write it.
struct csv_summary {
    customer_summary summary;
    key_index customer_keys; ///< the keys of `summary`'s customer ids (every customer of the file)
    std::size_t rows = 0;    ///< data rows of the file
    /// The file line of each row item of `summary.left_out`, one mark a row, ascending by row
    /// (for `output::write_left_out_csv`).
    std::vector<line_mark> left_out_lines;
    std::size_t parts = 1; ///< parts the file was cut into; 1: read whole, in memory
};

/// `summarize` of the log in the CSV file at `path` (`-`: standard input), holding at most
/// about `memory_limit` bytes (0: no limit, read whole) as the top of this file says.
///
/// Same result and same errors as `summarize(read_transactions_csv(path, columns, csv).view(),
/// options)`, with a `data_error` about a row named by its file line in front
/// (`naming_line`): `big.csv:7: time: row 5 (customer "A"): ...`.
csv_summary summarize_csv(const std::string& path, const csv_columns& columns,
                          const summary_options& options, std::size_t memory_limit = 0,
                          const csv_options& csv = {},
                          std::string_view memory_argument = "memory_limit");

/// The Pareto analysis of a CSV file, with what a face needs to write it.
struct csv_pareto {
    log_pareto analysis;
    key_index keys;        ///< the keys of the analysis' entity ids (every entity of the file)
    std::size_t rows = 0;  ///< data rows of the file
    std::size_t parts = 1; ///< parts the file was cut into (by entity); 1: read whole
};

/// `pareto_of_log` of the log in the CSV file at `path` (`-`: standard input), read with
/// `axes.columns`, by `axes.by` and `axes.what` over `window` (compared with `earlier` when
/// given), holding at most about `memory_limit` bytes (0: no limit) as the top of this file
/// says; the file is cut by the entity's key. Same result and same errors as the in-memory run
/// (`custometrics pareto` without a limit); a row whose value is not finite (a profit that
/// overflows, `detail::row_measure`) is named by its file line in front, read whole or in parts:
/// `big.csv:1001: profit: row 999 (customer "17"): amount 1e+308 - cost -1e+308 is inf`.
/// `memory_argument` names the limit in the error of a limit too small for the file
/// (`detail::parts_for`).
csv_pareto pareto_csv(const std::string& path, const pareto_axes& axes,
                      const time_window& window = {},
                      const std::optional<time_window>& earlier = std::nullopt,
                      const pareto_options& options = {}, std::size_t memory_limit = 0,
                      const csv_options& csv = {},
                      std::string_view memory_argument = "memory_limit");

/// The RFM scores of a CSV file and the summary they score.
struct csv_rfm {
    /// `summarize_csv` with the default summary options. Cut into parts, only its customers,
    /// totals (revenue, returns, profit, purchase and return rows, orders, first and last
    /// purchase) and left-out customers are filled: its lifetimes columns (frequency, recency,
    /// T, monetary value), which RFM does not read, are empty.
    csv_summary summary;
    rfm_result rfm; ///< `rfm_from_summary` of it, values kept
};

/// `rfm_from_summary(summarize_csv(path, columns, {}, memory_limit, csv), analysis_date, map,
/// options)` with the file's customer keys, as `custometrics rfm` computes it: the totals
/// within the limit (top of this file: each part folded row by row), the bins on the merged
/// per-customer rows. Same result and errors as those two calls.
csv_rfm rfm_csv(const std::string& path, const csv_columns& columns,
                std::optional<std::int64_t> analysis_date, const segment_map& map,
                const rfm_options& options = {}, std::size_t memory_limit = 0,
                const csv_options& csv = {}, std::string_view memory_argument = "memory_limit");

namespace detail {
/// The parts a file of `file_bytes` bytes is cut into under `memory_limit` (top of this file);
/// at least 1. Throws `invalid_argument` naming `argument` (the face's name of the limit) when
/// more than 1024 parts would be needed (the limit is too small for the file).
std::size_t parts_for(std::size_t file_bytes, std::size_t memory_limit,
                      std::string_view argument = "memory_limit");

/// The parts the file at `path` is cut into under `memory_limit` (0: 1, read whole); standard
/// input and a file of unknown size: 64. Errors as `parts_for`.
std::size_t parts_of_file(const std::string& path, std::size_t memory_limit,
                          std::string_view argument = "memory_limit");

/// `summarize_csv` with the file cut into `parts` (>= 1) parts, whatever its size: what the
/// limit chooses, forced, so that tests compare any number of parts with the in-memory path.
csv_summary summarize_csv_parts(const std::string& path, const csv_columns& columns,
                                const summary_options& options, std::size_t parts,
                                const csv_options& csv = {});

/// `pareto_csv` with the file cut into `parts` (>= 1) parts by the entity, whatever its size.
csv_pareto pareto_csv_parts(const std::string& path, const pareto_axes& axes,
                            const time_window& window, const std::optional<time_window>& earlier,
                            const pareto_options& options, std::size_t parts,
                            const csv_options& csv = {});

/// The Pareto analysis of totals folded while the file was read (`detail::fold_csv_totals` of
/// measure `m`, compared with the earlier window when `compare`): what `pareto_csv` gives in
/// memory, with the errors of `pareto_of_log` in its order: the window's first row whose value
/// is not finite, an overflowing total (the first key), then the same of the earlier window.
csv_pareto pareto_of_folded(folded_totals&& f, measure m, bool compare,
                            const pareto_options& options = {});

/// `rfm_csv` with the file cut into `parts` (>= 1) parts by customer, whatever its size.
csv_rfm rfm_csv_parts(const std::string& path, const csv_columns& columns,
                      std::optional<std::int64_t> analysis_date, const segment_map& map,
                      const rfm_options& options, std::size_t parts, const csv_options& csv = {});
} // namespace detail

CUSTOMETRICS_END_NAMESPACE
