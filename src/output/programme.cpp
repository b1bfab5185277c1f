// The writers of the loyalty-programme evaluation (see custometrics/output/programme.hpp).
#include "custometrics/output/programme.hpp"

#include "custometrics/date.hpp"
#include "custometrics/output/format.hpp"

#include <array>
#include <cstdio>
#include <ostream>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {
namespace {

// The four outcomes with their names, in the order of the outputs.
std::array<std::pair<const char*, const programme_effect*>, 4> outcomes(const programme_result& r) {
    return {{{"frequency", &r.frequency},
             {"spend", &r.spend},
             {"retention", &r.retention},
             {"margin", &r.margin}}};
}

void write_effect(detail::json_writer& w, const programme_effect& e) {
    w.begin_object();
    w.field("member_pre", e.member_pre).field("member_post", e.member_post);
    w.field("control_pre", e.control_pre).field("control_post", e.control_post);
    w.field("effect", e.effect);
    w.field("relative", e.relative);
    w.field("std_error", e.std_error).field("ci_low", e.ci_low).field("ci_high", e.ci_high);
    w.end_object();
}

void write_features(detail::json_writer& w, const programme_features& f) {
    w.begin_object();
    w.field("recency_days", f.recency_days).field("purchases", f.purchases);
    w.field("spend", f.spend).end_object();
}

} // namespace

void write_json(detail::json_writer& w, const programme_result& r) {
    w.field("type", r.type ? std::optional(to_string(*r.type)) : std::nullopt);
    w.field("type_name", r.type ? std::optional(german_name(*r.type)) : std::nullopt);
    w.key("design").begin_object();
    w.field("pre_days", r.pre_days).field("post_days", r.post_days);
    w.field("with_replacement", r.with_replacement).field("caliper", r.caliper);
    w.field("level", r.level).field("bootstrap", static_cast<std::uint64_t>(r.bootstrap));
    w.field("seed", r.seed).field("margin_from_cost", r.margin_from_cost);
    w.field("margin_rate", r.margin_rate);
    w.field("log_start", format_date(r.log_start)).field("log_end", format_date(r.log_end));
    w.end_object();
    w.field("members", static_cast<std::uint64_t>(r.members));
    w.field("evaluated", static_cast<std::uint64_t>(r.evaluated));
    w.field("controls", static_cast<std::uint64_t>(r.controls));
    w.field("candidates", static_cast<std::uint64_t>(r.candidates));
    w.key("excluded").begin_object();
    for (std::size_t k = 0; k < n_programme_exclusion_reasons; ++k)
        w.field(to_string(static_cast<programme_exclusion_reason>(k)),
                static_cast<std::uint64_t>(r.excluded[k]));
    w.end_object();
    w.key("features").begin_object();
    w.key("members");
    write_features(w, r.member_features);
    w.key("controls");
    write_features(w, r.control_features);
    w.end_object();
    w.field("mean_distance", r.mean_distance);
    for (const auto& [name, e] : outcomes(r)) {
        w.key(name);
        write_effect(w, *e);
    }
    w.key("economics").begin_object();
    w.field("incremental_margin", r.incremental_margin);
    w.field("incremental_margin_ci_low", r.incremental_margin_ci_low);
    w.field("incremental_margin_ci_high", r.incremental_margin_ci_high);
    w.field("discount_cost", r.discount_cost).field("card_cost", r.card_cost);
    w.field("fixed_cost", r.fixed_cost).field("cost", r.cost).field("net", r.net);
    w.field("total_incremental_margin", r.total_incremental_margin);
    w.field("total_cost", r.total_cost);
    w.end_object();
    w.key("roi").begin_object().field("defined", r.roi.defined);
    if (r.roi.defined) {
        w.field("value", r.roi.value).field("ci_low", r.roi.ci_low).field("ci_high", r.roi.ci_high);
        w.field("resamples", static_cast<std::uint64_t>(r.roi.resamples));
    } else {
        w.field("reason", r.roi.reason);
    }
    w.end_object();
}

void write_text(std::ostream& out, const programme_result& r) {
    std::array<char, 256> line{};
    out << "Loyalty programme";
    if (r.type) out << ": " << german_name(*r.type) << " (" << to_string(*r.type) << ")";
    out << "\n";
    out << "  design        matched difference-in-differences, " << r.pre_days
        << " days before and " << r.post_days << " days after joining; log "
        << format_date(r.log_start) << " to " << format_date(r.log_end) << " (exclusive)\n";
    out << "  matching      nearest non-member on pre-period recency, purchases, spend; caliper "
        << num(r.caliper, 2)
        << (r.with_replacement ? ", with replacement" : ", without replacement") << "\n";
    out << "  margin        "
        << (r.margin_from_cost ? std::string("amount - cost (the log's cost column)")
                               : "margin rate " + pct(r.margin_rate) + " of the amount")
        << "\n";
    out << "  members       " << count(r.members) << ", evaluated " << count(r.evaluated)
        << " against " << count(r.controls) << " controls (of " << count(r.candidates)
        << " non-members)\n";
    for (std::size_t k = 0; k < n_programme_exclusion_reasons; ++k)
        if (r.excluded[k] > 0)
            out << "  left out      " << count(r.excluded[k]) << " "
                << to_string(static_cast<programme_exclusion_reason>(k)) << "\n";
    out << "  balance       before joining: members recency "
        << num(r.member_features.recency_days, 1) << " days, "
        << num(r.member_features.purchases, 2) << " purchases, spend "
        << num(r.member_features.spend, 2) << "; controls "
        << num(r.control_features.recency_days, 1) << " days, "
        << num(r.control_features.purchases, 2) << " purchases, spend "
        << num(r.control_features.spend, 2) << "; mean distance " << num(r.mean_distance, 3)
        << "\n";
    const int pct_level = static_cast<int>(r.level * 100 + 0.5);
    std::snprintf(line.data(), line.size(), "  %-22s %10s %10s %10s %10s %10s %8s  %d%% interval\n",
                  "per member", "mem pre", "mem post", "ctl pre", "ctl post", "effect", "rel",
                  pct_level);
    out << line.data();
    const std::array<const char*, 4> labels{"purchases per month", "spend per month",
                                            "active share", "margin per month"};
    std::size_t k = 0;
    for (const auto& [name, e] : outcomes(r)) {
        std::snprintf(line.data(), line.size(), "  %-22s %10s %10s %10s %10s %10s %8s  [%s, %s]\n",
                      labels[k++], num(e->member_pre, 3).c_str(), num(e->member_post, 3).c_str(),
                      num(e->control_pre, 3).c_str(), num(e->control_post, 3).c_str(),
                      num(e->effect, 3).c_str(), e->relative ? pct(*e->relative).c_str() : "n/a",
                      num(e->ci_low, 3).c_str(), num(e->ci_high, 3).c_str());
        out << line.data();
    }
    out << "  incremental margin  " << num(r.incremental_margin) << " per member ["
        << num(r.incremental_margin_ci_low) << ", " << num(r.incremental_margin_ci_high)
        << "], total " << num(r.total_incremental_margin) << "\n";
    out << "  programme cost      " << num(r.cost) << " per member (discounts "
        << num(r.discount_cost) << ", card " << num(r.card_cost) << ", fixed " << num(r.fixed_cost)
        << "), total " << num(r.total_cost) << "\n";
    out << "  net                 " << num(r.net) << " per member\n";
    if (r.roi.defined)
        out << "  ROI                 " << pct(r.roi.value) << " [" << pct(r.roi.ci_low) << ", "
            << pct(r.roi.ci_high) << "] (" << r.roi.resamples << " resamples)\n";
    else
        out << "  ROI                 not defined: " << r.roi.reason << "\n";
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
