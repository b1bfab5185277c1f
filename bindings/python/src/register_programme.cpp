// _core.evaluate_programme, _core.programme_json and _core.programme_text: programme.hpp's
// evaluation of a loyalty programme over numpy columns, its result as read-only classes, and the
// core's writers (custometrics/output/programme.hpp) so that Python and `custometrics
// programme` print the same numbers.
#include "common.hpp"

#include "custometrics/output/programme.hpp"
#include "custometrics/programme.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace custometrics::python {

namespace {

programme_result evaluate(const py::array& customer, const int64_array& time,
                          std::int64_t ticks_per_second, const float64_array& amount,
                          const std::optional<float64_array>& cost,
                          std::optional<std::span<const double>> discount,
                          const std::vector<std::string>& member_keys,
                          std::span<const std::int64_t> joined,
                          const std::optional<std::string>& type, programme_options opt,
                          const std::string& customer_column) {
    const log_columns in(customer, time, ticks_per_second, amount, cost, std::nullopt,
                         customer_column);
    const std::vector<programme_member> members = programme_members(member_keys, joined);
    if (type) opt.type = parse_programme_type(*type, "type");
    if (discount) opt.discount = *discount;
    py::gil_scoped_release nogil;
    return evaluate_programme(in.view, members, opt);
}

} // namespace

void register_programme(py::module_& m) {
    const auto doc = [](const char* type) {
        return "custometrics/programme.hpp " + std::string(type) + ".";
    };
    CM_RESULT(m, programme_effect, "ProgrammeEffect", doc("programme_effect"), member_pre,
              member_post, control_pre, control_post, effect, relative, std_error, ci_low, ci_high);
    CM_RESULT(m, programme_roi, "ProgrammeRoi", doc("programme_roi"), defined, reason, value,
              ci_low, ci_high, resamples);
    CM_RESULT(m, programme_features, "ProgrammeFeatures", doc("programme_features"), recency_days,
              purchases, spend);
    CM_RESULT(m, programme_pair, "ProgrammePair", doc("programme_pair"), member, control, joined,
              distance, member_row);
    CM_RESULT(m, programme_exclusion, "ProgrammeExclusion", doc("programme_exclusion"), row, key,
              reason);
    CM_OPTIONS(m, programme_options, "ProgrammeOptions",
               doc("programme_options") + " By keyword, e.g. ProgrammeOptions(pre_days=90); the "
                                          "type and the discount column are arguments of "
                                          "evaluate_programme.",
               pre_days, post_days, with_replacement, caliper, margin_rate, card_cost_per_member,
               fixed_costs, level, bootstrap, seed);
    using r = programme_result;
    CM_RESULT(m, programme_result, "ProgrammeResult", doc("programme_result"), type, pre_days,
              post_days, with_replacement, caliper, margin_from_cost, margin_rate, level, bootstrap,
              seed, log_start, log_end, members, evaluated, controls, candidates, exclusions, pairs,
              member_features, control_features, mean_distance, frequency, spend, retention, margin,
              incremental_margin, incremental_margin_ci_low, incremental_margin_ci_high,
              discount_cost, card_cost, fixed_cost, cost, net, total_incremental_margin, total_cost,
              roi)
        .def_property_readonly("excluded",
                               [](const r& x) { // the core's counts, by the reasons' names
                                   py::dict d;
                                   for (std::size_t k = 0; k < x.excluded.size(); ++k)
                                       d[py::str(to_string(programme_exclusion_reason(k)))] =
                                           x.excluded[k];
                                   return d;
                               })
        .def_property_readonly("pair_member", [](const r& x) {
            return numpy_gather<std::int64_t>(x.pairs, &programme_pair::member_row);
        });

    m.def("evaluate_programme", &evaluate, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("cost"), py::arg("discount"),
          py::arg("member_keys"), py::arg("joined"), py::arg("type"), py::arg("options"),
          py::arg("customer_column"), "ProgrammeResult (see custometrics.evaluate_programme).");
    CM_WRITERS(m, programme_result, "programme", "programme");
}

} // namespace custometrics::python
