// The `custometrics fit`, `score` and `contacts` subcommands and the retention section of
// `custometrics report`.
//
// Input: a per-customer summary CSV as `custometrics summarize --out` writes it (or lifetimes'
// summary tables): a key column (`customer_id`, or the first column), `frequency`, `recency`,
// `T` and, for spend, `monetary_value`; the `_cal` forms of a calibration summary are used
// when the plain ones are absent. Read with csv_table, so a bad cell is reported with the file,
// line, column and value. The trailing `time_unit`, `unit_scale`, `observation_end` (and
// `calibration_end`) columns that `summarize` writes give the summary's time axis and end;
// without them the flags do (`summary_flags`). The models are read and written as
// `fitted_model` JSON, scores and contact lists come from retention/scoring.hpp.
#pragma once

#include "custometrics/detail/json.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/retention.hpp"
#include "custometrics/summary.hpp"
#include "custometrics/transactions.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace custometrics::cli {

/// The time axis flags of `fit`, `score` and `contacts`, for a summary that does not record
/// it: empty / unset means "the summary's column, else the `summarize` default" (days, 1, the
/// first purchase + T); a flag that contradicts the summary's column is an error.
struct summary_flags {
    std::string time_unit;            ///< hours, days, weeks or months
    std::optional<double> unit_scale; ///< recency and T divided by this
    std::string as_of;                ///< end of the summary period (score, contacts)
};

/// Options of `custometrics fit`.
struct fit_cli_options {
    std::string file;
    std::string model = "bgnbd"; ///< bgnbd, mbgnbd, pnbd or gamma-gamma
    double penalizer = 0.0;
    std::string out; ///< also write the JSON result here
    bool json = false;
    summary_flags units;
};

/// Options of `custometrics score` and `custometrics contacts`.
struct score_cli_options {
    std::string file;
    std::string model;        ///< empty: the "model" member of the params file
    std::string params;       ///< JSON from `fit` (or {"params": {...}} / a flat object)
    std::string spend_params; ///< Gamma-Gamma JSON from `fit --model gamma-gamma`
    double horizon = 30.0;    ///< periods ahead for expected purchases
    int clv_months = 12;
    double discount_rate = 0.01; ///< per month
    summary_flags units;
    std::string out;
    bool json = false;
    // contacts
    double lead_days = 14.0;
    double within_days = 30.0; ///< the window: next purchase expected within this many days
    std::size_t top = 0;       ///< at most this many rows (0 = all)
};

void run_fit(std::ostream& out, const fit_cli_options& o);
void run_score(std::ostream& out, const score_cli_options& o);
void run_contacts(std::ostream& out, const score_cli_options& o);

/// The retention section of `custometrics report` from the core's overview
/// (custometrics/retention/overview.hpp, fitted on the summary in days): expected alive
/// customers, customers at risk and their revenue, purchases expected in the next 90 days and
/// the 12-month lifetime value in total and of the top customers, named by their keys in
/// `customers` (the summary's rows `summary.customer`).
void report_retention_text(std::ostream& out, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers);
void report_retention_json(detail::json_writer& w, const retention_overview_result& r,
                           const customer_summary& summary, const key_index& customers);

} // namespace custometrics::cli
