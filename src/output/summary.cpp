// The writers of the per-customer summary (see custometrics/output/summary.hpp).
#include "custometrics/output/summary.hpp"

#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/output/format.hpp"

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
    for (std::size_t k = 0; k < s.size(); ++k) {
        out << csv_key(keys, s.customer[k]) << ',' << number_text(s.frequency[k]) << ','
            << number_text(s.recency[k]) << ',' << number_text(s.T[k]) << ','
            << number_text(s.monetary_value[k]);
        if (h)
            out << ',' << number_text(s.frequency_holdout[k]) << ','
                << number_text(s.monetary_value_holdout[k]) << ','
                << number_text(s.duration_holdout);
        out << ',' << number_text(s.revenue[k]) << ',' << number_text(s.returns[k]);
        if (!s.profit.empty()) out << ',' << number_text(s.profit[k]);
        out << ',' << s.n_purchases[k] << ',' << s.n_returns[k] << ',' << s.orders[k] << ','
            << (s.first_purchase[k] == no_time ? "" : format_time(s.first_purchase[k])) << ','
            << (s.last_purchase[k] == no_time ? "" : format_time(s.last_purchase[k])) << axis
            << '\n';
    }
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
