// The option groups shared by the subcommands (see command.hpp).
#include "command.hpp"

#include "custometrics/number.hpp"
#include "custometrics/streaming.hpp"

#include <string>

namespace custometrics::cli {

void column_args::add_to(CLI::App& app) {
    app.add_option("--customer", columns.customer, "Column holding the customer key")
        ->capture_default_str();
    app.add_option("--date", columns.date, "Column holding the date or timestamp")
        ->capture_default_str();
    app.add_option("--amount", columns.amount, "Column holding the amount (negative = return)")
        ->capture_default_str();
    app.add_option("--cost", columns.cost, "Column holding the cost of goods of the row");
    app.add_option("--margin", columns.margin, "Column holding the margin (profit) of the row");
    app.add_option("--unit-cost", columns.unit_cost,
                   "Column holding the cost per unit (needs --quantity)");
    app.add_option("--quantity", columns.quantity, "Column holding the quantity");
    app.add_option("--order", columns.order, "Column holding the order id");
    app.add_option("--product", columns.product, "Column holding the product key");
    app.add_option("--channel", columns.channel, "Column holding the channel key");
}

csv_columns column_args::resolve() const {
    csv_columns c = columns;
    for (auto* named :
         {&c.cost, &c.margin, &c.unit_cost, &c.quantity, &c.order, &c.product, &c.channel})
        if (named->has_value() && (*named)->empty()) named->reset();
    // Columns not named are found by their conventional names (csv.hpp resolve_columns).
    c.conventional_names = true;
    return c;
}

void log_args::add_to(CLI::App& app, const char* help) {
    app.add_option("file", file, help)->required();
    columns.add_to(app);
    add_format(app, format);
}

const CLI::Validator& whole_number() {
    static const CLI::Validator v(
        [](std::string& text) -> std::string {
            if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos)
                return {};
            return "expected a whole number >= 0, got \"" + text + "\"";
        },
        "N", "whole_number");
    return v;
}

const CLI::Validator& decimal_number() {
    static const CLI::Validator v(
        [](std::string& text) -> std::string {
            double x = 0.0;
            const number_status status = read_number(text, x);
            if (status == number_status::ok) return {};
            return "cannot read \"" + text + "\" as a number: " + std::string(describe(status));
        },
        "", "decimal_number");
    return v;
}

void require_decimal_numbers(CLI::App& app) {
    const auto named = [](const std::string& path) -> std::string { // "": the core writes nothing
        return path.empty() ? "an empty file name (give a path, or - for standard output)" : "";
    };
    for (CLI::Option* o : app.get_options()) {
        const std::string& n = o->get_name();
        if (o->get_type_name().rfind("FLOAT", 0) == 0)
            o->check(decimal_number());
        else if (o->get_type_name().rfind("UINT", 0) == 0)
            o->check(whole_number());
        if (n.ends_with("out") || n == "--rejected" || n == "--html") o->check(named);
    }
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
        require_decimal_numbers(*sub);
}

void add_format(CLI::App& app, std::string& format) {
    app.add_option("--format", format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
}

void add_rejected(CLI::App& app, std::string& path) {
    app.add_option("--rejected", path,
                   "Write the rows and customers left out here: line,key,reason,value");
}

void add_memory_limit(CLI::App& app, std::string& text) {
    app.add_option("--memory-limit", text,
                   "Bound the rows held in memory (512M, 2G): a larger file is cut into parts "
                   "by entity on disk (TMPDIR); the entities' results are held whole");
}

std::size_t memory_limit_of(const std::string& text) {
    if (text.empty()) return 0;
    return usage_checked([&] { return parse_memory_size(text, "--memory-limit"); });
}

void throw_usage_error(const invalid_argument& e) {
    throw CLI::ValidationError(e.what());
}

} // namespace custometrics::cli
