// Reading a transaction log from CSV.
//
// RFC 4180: fields separated by a delimiter (default ','), optionally enclosed in double quotes,
// a quote inside a quoted field written twice, quoted fields may hold delimiters and line breaks;
// records end in LF or CRLF. The first record is the header; columns are found by name.
// The file is read in blocks (streaming), so it is never held in memory whole: peak memory is
// the resulting columns plus one block.
//
// Keys (customer, order, product, channel) are read as integers while every key of the column
// is a canonical integer (optional '-', no leading zeros, fits 64 bits); the first other key
// turns the column into string keys, keeping the ids already given. So "0042" stays "0042".
// Dates: see `parse_time` in date.hpp. Numbers: fast_float (locale-independent; '.' decimal).
//
// Errors are `parse_error`s naming the file, the 1-based line, the column and the value: a
// missing column (line 1), an empty or unparsable date or number, NaN or infinite amounts or
// costs, an empty customer key, a record with the wrong number of fields, an unterminated quote.
// An empty file or a header without data rows is an `invalid_argument` naming the file.
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/transactions.hpp"

#include <iosfwd>
#include <optional>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

/// Which header names hold which column. Optional columns are read only when named; a named
/// column that is not in the header is an error.
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
};

/// Options of the CSV reader.
struct csv_options {
    char delimiter = ',';
    std::size_t block_size = std::size_t{1} << 22; ///< bytes read at a time
    bool sort_keys = true; ///< renumber ids so that keys ascend (transaction_log::sort_keys)
};

/// Reads a transaction log from the CSV file at `path`.
transaction_log read_transactions_csv(const std::string& path, const csv_columns& columns = {},
                                      const csv_options& options = {});

/// Reads a transaction log from a stream; `source` names it in error messages.
transaction_log read_transactions_csv(std::istream& in, const std::string& source,
                                      const csv_columns& columns = {},
                                      const csv_options& options = {});

/// Writes `log` as CSV with the header `customer_id,date,amount[,cost][,quantity][,order_id]
/// [,product][,channel]`, dates as ISO dates (timestamps when not at midnight), amounts with
/// the shortest round-trip decimal form. Keys that need it are quoted.
void write_transactions_csv(std::ostream& out, const transaction_log& log);

CUSTOMETRICS_END_NAMESPACE
