// libFuzzer target: the pipeline CSV -> summarize -> rfm -> pareto, with the invariants that
// nothing is lost: every row and customer is used or listed as left out with a reason.
//
// The first byte picks the options: bit 0 late policy drop with the observation end at the
// time of the middle row (so that rows after it are dropped), bit 1 returns netted (lifetimes)
// instead of excluded, bit 2 months instead of days; the rest is the log's CSV text.
// Invariants checked on every input that reads and summarises:
// - no crash, leak, undefined behaviour or exception other than custometrics::error;
// - rows in = rows used + rows listed left out (`after_observation_end`), and the listed rows
//   are `rows_dropped_after_end`, each really after the observation end;
// - customers in = customers in the summary + customers listed left out, none in both;
// - every number of the summary is finite;
// - RFM scores every customer of the summary (scores in 1..5) and keeps its left-out list;
// - the Pareto analysis of revenue by customer ranks or lists every customer of the log:
//   ranked + listed (value <= 0) = customers, listed values <= 0, ranked ones > 0, and the
//   cumulative share ends at 1.
#include "custometrics/csv.hpp"
#include "custometrics/error.hpp"
#include "custometrics/pareto_log.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/summary.hpp"

#include "fuzz_common.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace cm = custometrics;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t flags = data[0];
    std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    cm::csv_options read_options;
    read_options.block_size = std::size_t{1} << 16; // see fuzz_csv.cpp
    read_options.threads = 1;
    cm::transaction_log log;
    try {
        log = cm::read_transactions_csv(in, "fuzz.csv", {}, read_options);
    } catch (const cm::error&) {
        return 0;
    }
    const std::size_t rows = log.size();
    const std::size_t customers = log.customer_keys.size();
    cm::summary_options so;
    so.threads = 1;
    if ((flags & 1) != 0) {
        so.late = cm::late_policy::drop;
        so.observation_end = log.time[rows / 2];
    }
    if ((flags & 2) != 0) so.returns = cm::returns_policy::net;
    if ((flags & 4) != 0) so.unit = cm::time_unit::months;
    cm::customer_summary s;
    try {
        s = cm::summarize(log.view(), so);
    } catch (const cm::error&) {
        return 0;
    }
    std::size_t row_items = 0, customer_items = 0;
    std::vector<char> in_summary(customers, 0);
    for (const cm::entity_id c : s.customer)
        in_summary[c] = 1;
    for (const cm::left_out_item& item : s.left_out) {
        require(item.entity < customers, "a left-out item names no customer");
        if (item.is_row()) {
            ++row_items;
            require(item.reason == cm::left_out_reason::after_observation_end,
                    "a row left out for another reason");
            require(item.row < rows && log.customer[item.row] == item.entity &&
                        log.time[item.row] == item.time && item.time > s.observation_end,
                    "a listed row that is not after the observation end");
        } else {
            ++customer_items;
            require(in_summary[item.entity] == 0, "a customer both summarised and left out");
        }
    }
    require(s.rows_used + row_items == rows, "rows in != rows used + rows left out");
    require(row_items == s.rows_dropped_after_end, "rows listed != rows dropped");
    require(s.size() + customer_items == customers,
            "customers in != customers summarised + customers left out");
    require(customer_items == s.customers_without_purchase.size(),
            "customers listed != customers without purchase");
    require(finite(s.frequency) && finite(s.recency) && finite(s.T) && finite(s.monetary_value) &&
                finite(s.revenue) && finite(s.returns),
            "a summary number that is not finite");

    try {
        const cm::rfm_result r = cm::rfm_from_summary(s);
        if (r.defined) {
            require(r.size() == s.size(), "RFM does not score every summarised customer");
            for (std::size_t i = 0; i < r.size(); ++i)
                require(r.r_score[i] >= 1 && r.r_score[i] <= 5 && r.f_score[i] >= 1 &&
                            r.f_score[i] <= 5 && r.m_score[i] >= 1 && r.m_score[i] <= 5,
                        "an RFM score outside 1..5");
        }
        require(r.values.left_out.size() == s.left_out.size() &&
                    r.values.customers_left_out == customer_items,
                "RFM loses the left-out list");
    } catch (const cm::error&) {
    }

    try {
        const cm::log_pareto p =
            cm::pareto_of_log(log, cm::dimension::customer, cm::measure::revenue);
        require(p.totals.active.size() == customers, "a customer with a row is not active");
        require(p.pareto.size() + p.left_out.size() == customers,
                "Pareto: ranked + left out != customers");
        for (const cm::left_out_item& item : p.left_out)
            require(item.reason == cm::left_out_reason::value_not_positive && item.value <= 0,
                    "Pareto lists a customer with a positive total");
        for (std::size_t k = 0; k < p.pareto.size(); ++k)
            require(p.pareto.value[k] > 0, "Pareto ranks a total <= 0");
        if (p.pareto.defined && p.pareto.size() > 0)
            require(std::fabs(p.pareto.cum_share[p.pareto.size() - 1] - 1.0) < 1e-9,
                    "the cumulative share does not end at 1");
    } catch (const cm::error&) {
    }
    return 0;
}
