// The writers of the per-customer summary (see custometrics/output/summary.hpp).
#include "custometrics/output/summary.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/detail/json.hpp"
#include "custometrics/detail/write_rows.hpp"
#include "custometrics/output/format.hpp"

#include <array>
#include <charconv>
#include <ostream>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

void write_csv(std::ostream& out, const customer_summary& s, const key_index& keys) {
    const bool h = s.has_holdout();
    const std::string sfx = h ? "_cal" : "";
    out << "customer_id,frequency" << sfx << ",recency" << sfx << ",T" << sfx << ",monetary_value"
        << sfx;
    if (h) out << ",frequency_holdout,monetary_value_holdout,duration_holdout";
    out << ",revenue,returns";
    if (!s.profit.empty()) out << ",profit";
    out << ",n_purchases,n_returns,orders,first_purchase,last_purchase,time_unit,unit_scale,"
           "observation_end";
    if (h) out << ",calibration_end";
    out << '\n';
    std::string axis = ',' + std::string(to_string(s.unit)) + ',' + number_text(s.unit_scale) +
                       ',' + format_time(s.observation_end);
    if (h) axis += ',' + format_time(*s.calibration_end);
    // Rows formatted on every thread, written in order (the bytes of a serial loop).
    detail::write_rows(out, s.size(), [&](std::size_t k, std::string& row) {
        append_csv_key(row, keys, s.customer[k]);
        // At most 10 numbers (4, 3 of the holdout, revenue, returns, profit), 3 counts and 2
        // times: 10 * 33 + 3 * 21 + 2 * 41 = 475 bytes.
        detail::row_fields<480> f;
        f.number(s.frequency[k]);
        f.number(s.recency[k]);
        f.number(s.T[k]);
        f.number(s.monetary_value[k]);
        if (h) {
            f.number(s.frequency_holdout[k]);
            f.number(s.monetary_value_holdout[k]);
            f.number(s.duration_holdout);
        }
        f.number(s.revenue[k]);
        f.number(s.returns[k]);
        if (!s.profit.empty()) f.number(s.profit[k]);
        f.count(s.n_purchases[k]);
        f.count(s.n_returns[k]);
        f.count(s.orders[k]);
        f.time(s.first_purchase[k]);
        f.time(s.last_purchase[k]);
        f.append_to(row);
        row += axis;
        row += '\n';
    });
}

void write_json(detail::json_writer& w, const customer_summary& s) {
    w.field("rows_used", static_cast<std::uint64_t>(s.rows_used));
    w.field("rows_dropped_after_end", static_cast<std::uint64_t>(s.rows_dropped_after_end));
    w.field("customers", static_cast<std::uint64_t>(s.size()));
    w.field("customers_without_purchase",
            static_cast<std::uint64_t>(s.customers_without_purchase.size()));
    w.field("time_unit", to_string(s.unit)).field("unit_scale", s.unit_scale);
    w.field("observation_end", format_time(s.observation_end));
    if (s.calibration_end) {
        w.field("calibration_end", format_time(*s.calibration_end));
        w.field("duration_holdout", s.duration_holdout);
    }
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
