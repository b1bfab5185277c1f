// Reading a transaction log from CSV, and writing one.
//
// RFC 4180: fields separated by a delimiter (default ','), optionally enclosed in double quotes,
// a quote inside a quoted field written twice, quoted fields may hold delimiters and line breaks;
// records end in LF or CRLF. The first record is the header; columns are found by name, and
// columns that are not named are skipped. A UTF-8 byte order mark at the start is skipped, and
// so are blank lines (anywhere, as pandas does); the last record may lack its line break.
// The serial reader (streams, files of at most one block, any file on one thread) reads in
// blocks and never holds the input whole: peak memory is the resulting columns plus one block (or
// the longest record, when that is longer), plus 8 bytes a row for each integer key column, whose
// keys are numbered at the end in one pass
// (`key_index::from_integers`). Fields are split in place in the block, so a row costs no heap
// allocation.
//
// Keys (customer, order, product, channel) are read as integers while every key of the column
// is a canonical integer (optional '-', no leading zeros, fits 64 bits); the first other key
// turns the column into string keys, keeping the ids already given. So "0042" stays "0042".
// Keys are taken verbatim (no trimming); an empty key is an error in every key column.
// Dates: see `parse_time` in date.hpp. Numbers: fast_float (locale-independent; '.' decimal;
// blanks around the number and a leading '+' are accepted). Amount, cost (direct or derived),
// margin, unit cost and quantity must be finite.
//
// Errors are `parse_error`s naming the file, the 1-based line on which the record starts, the
// column and the value: a missing column (line 1; the reason lists the header's columns), an
// empty or unparsable date or number, NaN or infinite numbers, an empty key, a record with the
// wrong number of fields (the first missing column, or "field <n>" for the first extra one), an
// unterminated quote, text after a closing quote. An empty file or a header without data rows
// is an `invalid_argument` naming the file; so are a file that cannot be opened and bad
// arguments (two cost columns, `unit_cost` without `quantity`, `block_size` 0, a delimiter that
// is a quote or a line break).
//
// Parallel reading. A file (not a stream, not `-`) larger than one block is read on
// `csv_options::threads` threads (0: `default_threads()`, so CUSTOMETRICS_NUM_THREADS=1 gives the
// serial reader); results and errors are identical to the serial reader's, which stays the
// reference (tests compare the two on generated logs, and a fuzz target on any input). Method:
// 1. The file is memory-mapped (read-only) and its header read as the serial reader reads it.
// 2. The data is cut into nominal chunks of max(block_size, size / (4 * threads)) bytes. One
//    parallel pass counts the quotes and line breaks of each chunk (vectorised counts); their
//    prefix sums give the quote parity and the line number at every chunk start. Each chunk
//    then starts after its first line break at even quote parity: outside quotes, in valid
//    RFC 4180 (a doubled quote counts twice), so a record boundary; its line is known exactly.
// 3. The chunks are parsed in parallel with the serial reader's own record scanner and row rules
//    in place into the columns of the whole file (dates, numbers, integer keys collected; string
//    keys interned in a per-chunk index), made unset (no zeroing pass: each chunk's thread is
//    first to touch its rows' pages) for one row a line: a record takes at least one line, so a
//    chunk writes its rows from the row of its first line and never reaches the next chunk's. A
//    record that starts in a chunk is read to its end, past it. An error ends it and is kept.
// 4. Validation, in file order (as DuckDB's parallel CSV reader does): a chunk is right when it
//    starts where the previous one stopped. Parity is only a guess where a quote stands inside
//    an unquoted field (`ab"c`, which the reader keeps as text) or quoting is broken; a chunk
//    that starts elsewhere is parsed again, serially, from where the previous one stopped. The
//    first error of a checked chunk is then the first error of the file, with the line, column
//    and value the serial reader names.
// 5. The gaps that blank lines and quoted line breaks leave between the chunks' rows are closed
//    (nothing moves when every line is a record). Integer keys are numbered as the
//    serial reader numbers them; once any chunk holds a string key, every chunk's keys are
//    inserted, in file order, into one string index (each chunk's distinct keys in their order
//    of first appearance), then each chunk's ids are renumbered in parallel: the same ids, in
//    the same order, as the serial reader gives. Then `sort_keys` as usual.
// Memory: the mapped file (page cache) plus the columns (for one row a line until the gaps are
// closed), never a second copy of them. Smaller files, streams and systems without mmap
// use the streaming reader. String keys are merged on one thread, so a file whose keys are
// strings gains less than one with integer keys.
//
// Example:
//     custometrics::csv_columns cols;
//     cols.margin = "profit";
//     auto log = custometrics::read_transactions_csv("sales.csv", cols);
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/entity_totals.hpp"
#include "custometrics/error.hpp"
#include "custometrics/transactions.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Which header names hold which column. Optional columns are read only when named (or, with
/// `conventional_names`, by `resolve_columns`); a named column that is not in the header is an
/// error. At most one of `cost`, `margin` and
/// `unit_cost` may be named, and `unit_cost` needs `quantity`.
struct csv_columns {
    std::string customer = "customer_id";
    std::string date = "date";
    std::string amount = "amount";
    std::optional<std::string> cost;      ///< cost of goods of the row (profit = amount - cost)
    std::optional<std::string> margin;    ///< profit of the row; cost = amount - margin
    std::optional<std::string> unit_cost; ///< cost per unit; cost = unit_cost * quantity
    std::optional<std::string> quantity;
    std::optional<std::string> order;
    std::optional<std::string> product;
    std::optional<std::string> channel;
    /// Whether an optional column not named above is read from its conventional header name
    /// when the header has one (`resolve_columns`). The CLI and Python turn it on; off, only
    /// the named columns are read.
    bool conventional_names = false;
};

/// Options of the CSV reader.
struct csv_options {
    char delimiter = ',';
    std::size_t block_size = std::size_t{1} << 22; ///< bytes read at a time
    bool sort_keys = true; ///< renumber ids so that keys ascend (transaction_log::sort_keys)
    /// Threads of the parallel reader (see the top of this file); 0: `default_threads()`. 1
    /// reads serially. Files of at most `block_size` bytes are always read serially.
    unsigned threads = 0;
    /// The longest record (a line, or the lines a quoted line break joins, with its line
    /// break), in bytes: 1 MiB, far above any transaction row. A longer record is a
    /// `parse_error` naming the file, the line it starts on, column "record", its first bytes
    /// and this limit, raised as soon as more than the limit is read without the record's end,
    /// so that memory stays bounded (a block plus twice the limit) on a file without line
    /// breaks. Must be > 0.
    /// Example: `csv_options o; o.max_record_bytes = 64;` refuses a 65-byte line.
    std::size_t max_record_bytes = std::size_t{1} << 20;
};

/// The one rule by which the CLI (every subcommand and the report) and Python's
/// `read_transactions` choose the optional columns of a transaction CSV.
///
/// A column the caller names is used and must be in `header` (else the `parse_error` of the
/// reader: `source:line: column "x": no such column in the header (columns: ...)`). An optional
/// column the caller leaves unnamed is read from its conventional name when the header has it:
///   cost      `cost`, else `margin` (the row's profit: read as `margin`), else `unit_cost`
///             (read as `unit_cost`, only when quantity is read too); only when none of cost,
///             margin and unit_cost is named
///   quantity  `quantity`
///   order     `order_id`, else `order`
///   product   `product`
///   channel   `channel`
/// A conventional name that the caller uses for another column (say `--amount cost`) is not
/// taken twice. Names are matched exactly (case-sensitive, no trimming).
/// Example: header `customer_id,date,amount,cost,product` with nothing named -> cost "cost",
/// product "product"; with margin "profit" named and the header lacking it -> parse_error.
csv_columns resolve_columns(std::span<const std::string> header, const csv_columns& chosen,
                            const std::string& source = "<header>", std::size_t line = 1);

/// `resolve_columns` on the header of the CSV file at `path` (read with `options`; the rest of
/// the file is not read): the columns `read_transactions_csv` reads with `conventional_names`.
/// Errors name the file and the header's line. Python's `read_transactions` uses it to learn
/// the names of the columns it finds.
csv_columns resolve_columns(const std::string& path, const csv_columns& chosen,
                            const csv_options& options = {});

/// Reads a transaction log from the CSV file at `path` (`-`: standard input, named `<stdin>`).
transaction_log read_transactions_csv(const std::string& path, const csv_columns& columns = {},
                                      const csv_options& options = {});

/// Reads a transaction log from a stream; `source` names it in error messages. Always serial:
/// this is the reference reader.
transaction_log read_transactions_csv(std::istream& in, const std::string& source,
                                      const csv_columns& columns = {},
                                      const csv_options& options = {});

namespace detail {
/// The parallel reader (see the top of this file) on the whole input in memory, whatever its
/// size: what `read_transactions_csv(path)` runs on a mapped file. `chunk_bytes` (0: the
/// automatic size) forces the nominal chunk size, so that tests and the fuzz target put chunk
/// boundaries everywhere. Same result, or same error, as the serial reader of the same bytes.
transaction_log read_transactions_csv_parallel(std::string_view bytes, const std::string& source,
                                               const csv_columns& columns = {},
                                               const csv_options& options = {},
                                               std::size_t chunk_bytes = 0);

/// What `fold_csv_totals` totals: measure `what` per entity of dimension `by` over `window`,
/// and over `earlier` when given (a Pareto analysis and its period comparison).
struct totals_fold_spec {
    dimension by = dimension::customer;
    measure what = measure::revenue;
    time_window window;
    std::optional<time_window> earlier;
};

/// The totals of a `totals_fold_spec` per key of the dimension, folded while the file was read.
struct folded_totals {
    column<std::int64_t> keys; ///< every key of the dimension in the file, ascending
    /// Per key: the compensated sum of the values of its rows in the window, and their count
    /// (0: not active); likewise over the earlier window (empty without one).
    column<double> now_sum, before_sum;
    column<std::int64_t> now_rows, before_rows;
    std::size_t rows = 0; ///< data rows of the file
    /// The first row (in file order) of each window whose value is not finite
    /// (`detail::row_measure`'s error, its file line in front, `with_line`), when there is one.
    std::optional<data_error> now_error, before_error;
};

/// The memory that `fold_csv_totals`' tables of accumulators (32 bytes a key and thread, twice
/// with an earlier window) may take, all threads together: about what the log they replace
/// would hold (its columns take some 28 bytes a row), `fold_memory_per_line` bytes a line of
/// the file and at least `fold_memory_floor`. Example: 10^7 lines on 2 threads, one window:
/// keys below 5 * 10^6; on 16 threads, below 625,000.
inline constexpr std::size_t fold_memory_per_line = 32;
inline constexpr std::size_t fold_memory_floor = std::size_t{64} << 20; ///< 64 MiB

/// The totals that `entity_totals` gives of the log the parallel reader reads from `bytes`
/// (`read_transactions_csv_parallel`), folded while the chunks are parsed, no column kept: each
/// chunk thread adds its rows in file order into its own table of accumulators indexed by the
/// key (the compensated sums of `entity_totals`, `sum_acc`), and the tables are merged in file
/// order as `aggregate_by` merges its threads' tables. Same sums short of the last-bit rounding
/// that aggregate.hpp describes (the rows are split among the threads elsewhere), same rows and
/// same first error of the file (file, line, column, value). Likewise a total that overflows
/// only part way (1e308 + 1e308 - 1e308): infinite, an error, when one thread adds those rows,
/// finite when threads split them; as in `entity_totals`, whether it is depends on the split.
/// (A total infinite at the end is an error either way.)
///
/// Only for keys that allow it; else `nullopt` (the caller reads the log): the dimension's
/// column is missing, some key of it is not a canonical integer in [0, max(1024, 4 * lines)),
/// or is too large for the tables within the memory above (`fold_memory_per_line`), a table
/// cannot be allocated, the file has no data row, `options.sort_keys` is false, a window is
/// reversed, or a chunk started inside a quoted field (its rows were folded from a wrong
/// guess). A fold given up after some chunks were read has reported their progress ("read");
/// the caller's read of the log reports from 0 again. `chunk_bytes` as
/// `read_transactions_csv_parallel`'s.
std::optional<folded_totals> fold_csv_totals(std::string_view bytes, const std::string& source,
                                             const csv_columns& columns, const csv_options& options,
                                             const totals_fold_spec& spec,
                                             std::size_t chunk_bytes = 0);

/// `fold_csv_totals` of the file at `path` when `read_transactions_csv(path)` would read it in
/// parallel (a file of more than one block, mapped, more than one thread); else `nullopt`.
std::optional<folded_totals> fold_csv_totals(const std::string& path, const csv_columns& columns,
                                             const csv_options& options,
                                             const totals_fold_spec& spec);

/// A transaction CSV file read once and cut into parts by the hash of one key (the customer's
/// by default, or the product's or channel's: the entity an analysis totals), each part a file
/// in a directory the caller owns, so that each part can be read back and analysed alone
/// (streaming.hpp: the bounded-memory path of summaries, Pareto analyses and RFM scores).
///
/// The file is read by the serial reader, with its errors (file, line, column, value) raised
/// while cutting, before any part is read. Each row goes, in file order, to the part of its
/// key (every row of a customer, or product, in one part), with its row number and line in the
/// file; a file without the product (channel) column asked for is cut by customer;
/// keys are written as text. Memory while cutting: one block of the reader, 65,536 rows and a
/// write buffer per part (`buffer_bytes` each).
class csv_parts {
public:
    /// One part read back: the log of its rows, in file order (with the line marks of their
    /// file lines), and the row of each in the file. A key column is read as strings when any
    /// key of that column in the file is not an integer, so that each part's keys sort as the
    /// whole file's do.
    struct part {
        transaction_log log;
        std::vector<std::size_t> rows;
    };

    /// The key columns, in the order `string_keys` takes them.
    enum class key { customer, order, product, channel };

    /// Reads `path` (`-`: standard input) into `parts` (>= 1) files in the existing directory
    /// `dir`, each row to the part of the hash of its key `by` (customer, product or channel).
    /// Throws what `read_transactions_csv` throws for the same file.
    csv_parts(const std::string& path, const csv_columns& columns, const csv_options& options,
              std::size_t parts, const std::string& dir, std::size_t buffer_bytes = 1 << 16,
              key by = key::customer);

    std::size_t size() const noexcept { return m_files.size(); } ///< number of parts
    std::size_t rows() const noexcept { return m_rows; }         ///< data rows of the file
    std::int64_t first_time() const noexcept { return m_first; } ///< earliest time of a row
    std::int64_t last_time() const noexcept { return m_last; }   ///< latest time of a row
    /// Whether the keys of column `k` in the file are strings (some key is not an integer).
    bool string_keys(key k = key::customer) const noexcept {
        return m_strings[static_cast<std::size_t>(k)];
    }
    /// Data rows in part `p`.
    std::size_t rows_in(std::size_t p) const { return m_part_rows.at(p); }

    /// Part `p` (< size()) read back, keys sorted as `options.sort_keys` asks.
    part read(std::size_t p) const;

    /// One row of a part as `for_each_row` passes it; the keys are views valid during the call.
    struct row {
        std::size_t row = 0;  ///< the row's number in the file (0 = the first data row)
        std::size_t line = 0; ///< its line in the file
        std::int64_t time = 0;
        double amount = 0.0;
        double cost = 0.0;     ///< 0 when the file has no cost (`has_cost`)
        double quantity = 0.0; ///< 0 when the file has no quantity column
        std::string_view customer, order, product, channel; ///< empty for an absent column
    };
    /// Calls `f(r)` on each row of part `p` (< size()) in file order, the part read in blocks
    /// of 1 MiB: memory does not grow with the part's rows. Keys as the file has them; a key of
    /// a column with `string_keys` false is a canonical integer.
    void for_each_row(std::size_t p, const std::function<void(const row&)>& f) const;

    bool has_cost() const noexcept { return m_cost; }         ///< a cost (or margin, unit cost)
    bool has_quantity() const noexcept { return m_quantity; } ///< a quantity column
    bool has_order() const noexcept { return m_order; }       ///< an order column
    bool has_product() const noexcept { return m_product; }   ///< a product column
    bool has_channel() const noexcept { return m_channel; }   ///< a channel column

private:
    std::string m_source;
    csv_options m_options;
    std::vector<std::string> m_files;
    std::vector<std::size_t> m_part_rows;
    std::size_t m_rows = 0;
    std::int64_t m_first = 0, m_last = 0;
    bool m_cost = false, m_quantity = false, m_order = false, m_product = false, m_channel = false;
    // Per key column (customer, order, product, channel): a key of the file is not an integer.
    std::array<bool, 4> m_strings{};
};
} // namespace detail

/// Writes `log` as CSV with the header `customer_id,date,amount[,cost][,quantity][,order_id]
/// [,product][,channel]` (the optional columns that are not empty), LF line ends, dates as ISO
/// dates (timestamps when not at midnight), numbers in the shortest form that reads back
/// exactly. Keys holding a comma, a quote or a line break are quoted.
///
/// Reading the file back with those optional columns named gives the same columns and keys
/// (ids too, when they were numbered in order of first appearance or sorted), except that a
/// string index whose keys all look like canonical integers comes back as integers (sorted
/// numerically). Throws what `transaction_view::validate` throws for an inconsistent log (NaN
/// amounts, ids out of range), and `error` when the stream fails.
void write_transactions_csv(std::ostream& out, const transaction_log& log);

/// The key of `id` as one CSV field: integers in decimal, strings verbatim, or enclosed in
/// double quotes with inner quotes doubled when they hold a comma, a quote, CR or LF (RFC 4180).
/// Example: a key `a"b,c` is written `"a""b,c"`.
std::string csv_key(const key_index& keys, entity_id id);

/// `csv_key(keys, id)` appended to `out` (for writers of large tables: no string per key).
void append_csv_key(std::string& out, const key_index& keys, entity_id id);

/// Reads the named numeric columns of a transaction CSV file, one value per data record in file
/// order (the rows of `read_transactions_csv` of the same file). Numbers must be finite; an
/// empty or bad field, or a column missing from the header, is a `parse_error` naming the file,
/// line, column and value.
std::vector<std::vector<double>> read_csv_numbers(const std::string& path,
                                                  std::span<const std::string> columns,
                                                  const csv_options& options = {});

/// A transaction log with numeric columns of its rows that the log does not hold.
struct transaction_csv {
    transaction_log log;
    /// One per name asked for, in that order: a value per row of `log`, or empty for an empty
    /// name (a column not asked for).
    std::vector<std::vector<double>> numbers;
};

/// Reads a transaction log and named numeric columns of the same rows (a discount, a payment
/// delay, a list price: per-row inputs of an analysis that the log has no field for) from one
/// read of the CSV at `path` (`-`: standard input, named `<stdin>`).
///
/// The log is read as `read_transactions_csv(path, columns, options)` reads it and the columns
/// as `read_csv_numbers` reads them, with the same errors, the log's first. The input is read
/// once into memory and parsed twice when a column is asked for (so standard input works too);
/// with only empty names it is `read_transactions_csv`. An empty name gives an empty column,
/// so that a face passes its optional column options as they are.
/// Example: `read_transactions_with_numbers("log.csv", cols, {"discount", ""})` -> the log,
/// numbers[0] the discount of each row, numbers[1] empty.
transaction_csv read_transactions_with_numbers(const std::string& path, const csv_columns& columns,
                                               std::span<const std::string> numbers,
                                               const csv_options& options = {});

/// The whole text of the file at `path` (`-`: standard input): a side file (JSON rules, cost
/// rates, a churn reference) read for a parser that takes text. Throws `invalid_argument` naming
/// `argument` and the path when the file cannot be opened, and as `read_side_text` (a line
/// longer than 1 MiB) otherwise.
/// Example: `parse_profitability_config(read_text_file("costs.json", "--costs"), "costs.json")`.
std::string read_text_file(const std::string& path, std::string_view argument);

/// All of `in` as text, for the readers of side files (csv_table, segment maps, JSON files):
/// a line longer than `max_line_bytes` (with its line break; by default 1 MiB, the transaction
/// reader's `csv_options::max_record_bytes`) is the transaction reader's `parse_error`: `source`,
/// the line, column "record", the line's first bytes and the limit. It is raised as soon as more
/// than the limit is read without a line break, so that memory stays bounded by the longest legal
/// line (plus the lines before it) on a file without line breaks. Throws `error` on a read error.
/// Example: `read_side_text(in, "costs.json")` refuses a 2 MiB JSON file written on one line.
std::string read_side_text(std::istream& in, const std::string& source,
                           std::size_t max_line_bytes = csv_options{}.max_record_bytes);

/// `e`, an error about a row of `file`, with the file and the row's `line` in front
/// (`big.csv:7: time: ...`), its fields kept; `e` itself when the line is 0 (not known).
inline data_error with_line(const data_error& e, const std::string& file, std::size_t line) {
    if (line == 0) return e;
    return data_error(file + ":" + std::to_string(line) + ": " + e.what(), e.context());
}

/// Runs `f`, a core call on the rows of `log` (read from `file`) whose `data_error`s give the
/// 0-based row of the log in `row()` (`transaction_view::row_context`, as `summarize` does).
///
/// Such an error is thrown again with the file and the row's line in front, its fields kept, so
/// that the message names the line of the file, not only the row's position (issue 16):
/// `log.csv:3: revenue: row 1 (customer "A"): the sum ... overflows ...`. A `parse_error` (it
/// names its line already), an error without a row and a log without line marks pass unchanged.
/// The command-line tool and the Python package name the lines of logs read from files so.
/// Example:
///     const auto s = naming_line(log, "log.csv", [&] { return summarize(log.view()); });
template <class F>
decltype(auto) naming_line(const transaction_log& log, const std::string& file, F&& f) {
    try {
        return std::forward<F>(f)();
    } catch (const parse_error&) {
        throw;
    } catch (const data_error& e) {
        const std::size_t line = e.row() ? log.line_of(*e.row()) : 0;
        if (line == 0) throw;
        throw with_line(e, file, line);
    }
}

CUSTOMETRICS_END_NAMESPACE
