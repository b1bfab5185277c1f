// _core.evaluate_programme, _core.programme_json and _core.programme_text: programme.hpp's
// evaluation of a loyalty programme over numpy columns, its result as read-only classes, and the
// core's writers (custometrics/output/programme.hpp) so that Python and `custometrics
// programme` print the same numbers.
#include "common.hpp"

#include "custometrics/output/programme.hpp"
#include "custometrics/programme.hpp"

#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace custometrics::python {

namespace {

using opt_array = std::optional<float64_array>;

programme_result evaluate(const py::array& customer, const int64_array& time,
                          std::int64_t ticks_per_second, const float64_array& amount,
                          const opt_array& cost, const opt_array& discount,
                          const std::vector<std::string>& member_keys, const int64_array& joined,
                          const std::optional<std::string>& type, std::int64_t pre_days,
                          std::int64_t post_days, bool with_replacement, double caliper,
                          std::optional<double> margin_rate, double card_cost,
                          double programme_cost, double level, std::size_t bootstrap,
                          std::uint64_t seed, const std::string& customer_column) {
    const log_columns in(customer, time, ticks_per_second, amount, cost, std::nullopt,
                         customer_column);
    const std::span<const std::int64_t> j = as_span(joined);
    if (j.size() != member_keys.size())
        throw invalid_argument("members", "joined has " + std::to_string(j.size()) +
                                              " rows, the keys have " +
                                              std::to_string(member_keys.size()));
    std::vector<programme_member> members;
    members.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i)
        members.push_back({member_keys[i], j[i]});
    programme_options opt;
    if (type) opt.type = parse_programme_type(*type, "type");
    opt.pre_days = pre_days;
    opt.post_days = post_days;
    opt.with_replacement = with_replacement;
    opt.caliper = caliper;
    opt.margin_rate = margin_rate;
    if (discount) opt.discount = as_span(*discount);
    opt.card_cost_per_member = card_cost;
    opt.fixed_costs = programme_cost;
    opt.level = level;
    opt.bootstrap = bootstrap;
    opt.seed = seed;
    py::gil_scoped_release nogil;
    return evaluate_programme(in.view, members, opt);
}

} // namespace

void register_programme(py::module_& m) {
    using pe = programme_effect;
    py::class_<pe>(m, "ProgrammeEffect", "custometrics/programme.hpp programme_effect.")
        .def_readonly("member_pre", &pe::member_pre)
        .def_readonly("member_post", &pe::member_post)
        .def_readonly("control_pre", &pe::control_pre)
        .def_readonly("control_post", &pe::control_post)
        .def_readonly("effect", &pe::effect)
        .def_readonly("relative", &pe::relative)
        .def_readonly("std_error", &pe::std_error)
        .def_readonly("ci_low", &pe::ci_low)
        .def_readonly("ci_high", &pe::ci_high);
    using pr = programme_roi;
    py::class_<pr>(m, "ProgrammeRoi", "custometrics/programme.hpp programme_roi.")
        .def_readonly("defined", &pr::defined)
        .def_readonly("reason", &pr::reason)
        .def_readonly("value", &pr::value)
        .def_readonly("ci_low", &pr::ci_low)
        .def_readonly("ci_high", &pr::ci_high)
        .def_readonly("resamples", &pr::resamples);
    using pf = programme_features;
    py::class_<pf>(m, "ProgrammeFeatures", "custometrics/programme.hpp programme_features.")
        .def_readonly("recency_days", &pf::recency_days)
        .def_readonly("purchases", &pf::purchases)
        .def_readonly("spend", &pf::spend);
    using r = programme_result;
    py::class_<r>(m, "ProgrammeResult", "custometrics/programme.hpp programme_result.")
        .def_property_readonly("type",
                               [](const r& x) -> std::optional<std::string> {
                                   if (!x.type) return std::nullopt;
                                   return std::string(to_string(*x.type));
                               })
        .def_readonly("pre_days", &r::pre_days)
        .def_readonly("post_days", &r::post_days)
        .def_readonly("members", &r::members)
        .def_readonly("evaluated", &r::evaluated)
        .def_readonly("controls", &r::controls)
        .def_readonly("candidates", &r::candidates)
        .def_property_readonly(
            "excluded",
            [](const r& x) {
                py::dict d;
                for (std::size_t k = 0; k < n_programme_exclusion_reasons; ++k)
                    d[py::str(std::string(to_string(static_cast<programme_exclusion_reason>(k))))] =
                        x.excluded[k];
                return d;
            })
        .def_property_readonly("pair_member",
                               [](const r& x) {
                                   std::vector<std::int64_t> v;
                                   for (const auto& p : x.pairs)
                                       v.push_back(static_cast<std::int64_t>(p.member_row));
                                   return to_numpy(std::move(v));
                               })
        .def_readonly("member_features", &r::member_features)
        .def_readonly("control_features", &r::control_features)
        .def_readonly("mean_distance", &r::mean_distance)
        .def_readonly("frequency", &r::frequency)
        .def_readonly("spend", &r::spend)
        .def_readonly("retention", &r::retention)
        .def_readonly("margin", &r::margin)
        .def_readonly("incremental_margin", &r::incremental_margin)
        .def_readonly("incremental_margin_ci_low", &r::incremental_margin_ci_low)
        .def_readonly("incremental_margin_ci_high", &r::incremental_margin_ci_high)
        .def_readonly("discount_cost", &r::discount_cost)
        .def_readonly("card_cost", &r::card_cost)
        .def_readonly("fixed_cost", &r::fixed_cost)
        .def_readonly("cost", &r::cost)
        .def_readonly("net", &r::net)
        .def_readonly("total_incremental_margin", &r::total_incremental_margin)
        .def_readonly("total_cost", &r::total_cost)
        .def_readonly("roi", &r::roi);

    m.def("evaluate_programme", &evaluate, py::arg("customer"), py::arg("time"),
          py::arg("ticks_per_second"), py::arg("amount"), py::arg("cost"), py::arg("discount"),
          py::arg("member_keys"), py::arg("joined"), py::arg("type"), py::arg("pre_days"),
          py::arg("post_days"), py::arg("with_replacement"), py::arg("caliper"),
          py::arg("margin_rate"), py::arg("card_cost"), py::arg("programme_cost"), py::arg("level"),
          py::arg("bootstrap"), py::arg("seed"), py::arg("customer_column"),
          "ProgrammeResult (see custometrics.evaluate_programme).");
    m.def(
        "programme_json",
        [](const programme_result& res) {
            std::ostringstream s;
            detail::json_writer w(s);
            w.begin_object();
            output::write_json(w, res);
            w.end_object();
            return s.str();
        },
        py::arg("result"), "The JSON of `custometrics programme --format json`.");
    m.def(
        "programme_text",
        [](const programme_result& res) {
            std::ostringstream s;
            output::write_text(s, res);
            return s.str();
        },
        py::arg("result"), "The text of `custometrics programme`.");
}

} // namespace custometrics::python
