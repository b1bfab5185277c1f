// _core.aggregate: statistics of a value by key (custometrics/aggregate.hpp) over numpy columns.
#include "common.hpp"

#include "custometrics/aggregate.hpp"

#include <optional>
#include <string>

namespace custometrics::python {

namespace {

// `by`: int64 or object-str keys; `values`: float64; `times`: int64 ticks of any unit (first and
// last come back in the same ticks). Groups are listed by ascending key in "keys".
py::dict aggregate(const py::array& by, std::span<const double> v,
                   std::optional<std::span<const std::int64_t>> times, bool moments,
                   threads_arg threads, const std::string& by_column) {
    aggregate_options opt;
    opt.threads = threads;
    opt.with_moments = moments;
    const auto t = times.value_or(std::span<const std::int64_t>{});
    std::optional<keyed_column> strings;
    keyed_group_stats ks = by_rows(by, by_column, threads, strings, [&](auto... keys) {
        return aggregate_by_key(keys..., v, t, opt);
    });
    group_stats& s = ks.stats;
    py::dict out;
    out["keys"] = keys_of(strings, std::move(ks.keys));
    out["count"] = to_numpy(std::move(s.count));
    out["sum"] = to_numpy(std::move(s.sum));
    if (moments) {
        out["mean"] = to_numpy(std::move(s.mean));
        out["variance"] = to_numpy(std::move(s.variance));
        out["min"] = to_numpy(std::move(s.min));
        out["max"] = to_numpy(std::move(s.max));
    }
    if (times) {
        out["first"] = to_numpy(std::move(s.first));
        out["last"] = to_numpy(std::move(s.last));
    }
    return out;
}

} // namespace

void register_aggregate(py::module_& m) {
    m.def("aggregate", &aggregate, py::arg("by"), py::arg("values"), py::arg("times"),
          py::arg("moments"), py::arg("threads"), py::arg("by_column"),
          "Count, sum, moments and time range of values by key (see custometrics.aggregate).");
}

} // namespace custometrics::python
