// A core error about a row of a log read from a file, named by the file and the row's line.
#pragma once

#include "custometrics/error.hpp"
#include "custometrics/transactions.hpp"

#include <string>
#include <utility>

namespace custometrics::cli {

/// Runs `f`, a core call on the rows of `log` (read from `file`) whose `data_error`s give the
/// 0-based row of the log in `row()` (`transaction_view::row_context`, as `summarize` does).
///
/// Such an error is thrown again with the file and the row's line in front, its fields kept, so
/// that the message names the line of the file, not only the row's position (issue 16): `log.csv:3:
/// revenue: row 1 (customer "A"): the sum ... overflows ...`. A `parse_error` (it names its line
/// already), an error without a row and a log without line marks pass unchanged. Example:
///     const customer_summary s = naming_line(log, o.file, [&] { return summarize(log.view()); });
template <class F>
decltype(auto) naming_line(const transaction_log& log, const std::string& file, F&& f) {
    try {
        return std::forward<F>(f)();
    } catch (const parse_error&) {
        throw;
    } catch (const data_error& e) {
        const std::size_t line = e.row() ? log.line_of(*e.row()) : 0;
        if (line == 0) throw;
        throw data_error(file + ":" + std::to_string(line) + ": " + e.what(), e.context());
    }
}

} // namespace custometrics::cli
