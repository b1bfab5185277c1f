// The CSV form of what an analysis left out (see custometrics/output/left_out.hpp).
#include "custometrics/output/left_out.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/output/format.hpp"

#include <algorithm>
#include <ostream>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

namespace {

// The items as CSV, `line_of(row)` giving the file line of a row item (0: none).
template <class LineOf>
void write_items(std::ostream& out, std::span<const left_out_item> items, const key_index& keys,
                 LineOf&& line_of) {
    out << "line,key,reason,value\n";
    for (const left_out_item& item : items) {
        if (item.is_row()) {
            const std::size_t line = line_of(item.row);
            if (line != 0) out << line;
        }
        out << ',';
        if (item.entity < keys.size()) out << csv_key(keys, item.entity);
        out << ',' << left_out_code(item.reason) << ',';
        if (item.is_row())
            out << format_time(item.time);
        else
            out << number_text(item.value);
        out << '\n';
    }
}

} // namespace

void write_left_out_csv(std::ostream& out, std::span<const left_out_item> items,
                        const key_index& keys, const transaction_log* log) {
    write_items(out, items, keys,
                [log](std::size_t row) { return log != nullptr ? log->line_of(row) : 0; });
}

void write_left_out_csv(std::ostream& out, std::span<const left_out_item> items,
                        const key_index& keys, std::span<const line_mark> lines) {
    write_items(out, items, keys, [lines](std::size_t row) -> std::size_t {
        const auto it =
            std::lower_bound(lines.begin(), lines.end(), row,
                             [](const line_mark& m, std::size_t r) { return m.row < r; });
        return it != lines.end() && it->row == row ? it->line : 0;
    });
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
