// The CSV form of what an analysis left out (see custometrics/output/left_out.hpp).
#include "custometrics/output/left_out.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/output/format.hpp"

#include <ostream>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

void write_left_out_csv(std::ostream& out, std::span<const left_out_item> items,
                        const key_index& keys, const transaction_log* log) {
    out << "line,key,reason,value\n";
    for (const left_out_item& item : items) {
        if (item.is_row() && log != nullptr) {
            const std::size_t line = log->line_of(item.row);
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

} // namespace output
CUSTOMETRICS_END_NAMESPACE
