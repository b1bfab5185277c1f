// Analyses of a transaction CSV file within a memory limit (`--memory-limit`).
//
// When the file would not fit the limit in memory, it is read once by the serial reader (its
// errors: file, line, column, value) and its rows are cut by the hash of the customer key into
// K part files in a private temporary directory (csv.hpp `detail::csv_parts`); each part is
// then read back and summarised alone with the in-memory code (`detail::summarize_part`, in the
// time window of the whole file), and the parts' results are merged by customer key. The result
// is the in-memory one, exactly: the same customers in the same order, the same numbers (a
// customer's rows reach it in file order), the same rows and customers left out, the same error
// for a late row or an overflowing total (the first row, the lowest key, as in memory). The
// temporary directory is removed on success and on failure.
//
// Memory. K = ceil(bytes_per_csv_byte * file size / (limit - reserve)), so that one part, read
// and summarised, holds about limit - reserve bytes; reserve (16 MiB) covers the reader's
// block, the spill buffers and the program. When K is 1 the file is read and summarised in
// memory as without a limit. The merged result (one row of about 150 bytes a customer, and
// the customer keys) is held too: the limit bounds the rows held, not the customers.
// Standard input and a file of unknown size (a pipe) are cut into 64 parts, whatever the
// limit. The part files go to the system's temporary directory (`TMPDIR`, else /tmp): where that
// is a tmpfs, they take memory too, so point `TMPDIR` at a disk.
//
// Example:
//     const auto s = custometrics::summarize_csv("big.csv", {}, {}, parse_memory_size("512M"));
//     output::write_csv(std::cout, s.summary, s.customer_keys);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/summary.hpp"
#include "custometrics/transactions.hpp"

#include <cstddef>
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
                          const csv_options& csv = {});

namespace detail {
/// The parts a file of `file_bytes` bytes is cut into under `memory_limit` (top of this file);
/// at least 1. Throws `invalid_argument` ("memory_limit") when more than 1024 parts would be
/// needed (the limit is too small for the file).
std::size_t parts_for(std::size_t file_bytes, std::size_t memory_limit);

/// `summarize_csv` with the file cut into `parts` (>= 1) parts, whatever its size: what the
/// limit chooses, forced, so that tests compare any number of parts with the in-memory path.
csv_summary summarize_csv_parts(const std::string& path, const csv_columns& columns,
                                const summary_options& options, std::size_t parts,
                                const csv_options& csv = {});
} // namespace detail

CUSTOMETRICS_END_NAMESPACE
