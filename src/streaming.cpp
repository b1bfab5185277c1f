// Analyses of a transaction CSV file within a memory limit (see custometrics/streaming.hpp).
#include "custometrics/streaming.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include <unistd.h>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

// Bytes the in-memory path holds per byte of CSV (columns, key index, the summary's buckets;
// measured on `customer_id,date,amount` logs: docs/benchmarks.md), and the memory kept aside for
// the reader's block, the spill buffers and the program.
constexpr double bytes_per_csv_byte = 4.0;
constexpr std::size_t reserve_bytes = std::size_t{16} << 20;
constexpr std::size_t max_parts = 1024;

// A private temporary directory, removed with everything in it when this goes out of scope.
class temp_dir {
public:
    temp_dir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "custometrics-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw error("cannot create a temporary directory in " +
                        std::filesystem::temp_directory_path().string());
        m_path = pattern;
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::string& path() const noexcept { return m_path; }

private:
    std::string m_path;
};

// The file lines of the row items of `items`, ascending by row; `line_of(row)` gives one.
template <class LineOf>
void add_row_lines(std::vector<line_mark>& lines, const std::vector<left_out_item>& items,
                   LineOf&& line_of) {
    for (const left_out_item& item : items)
        if (item.is_row()) lines.push_back({item.row, line_of(item.row)});
}

// `e`, an error about a row, with the file and the row's line in front (as `naming_line`).
data_error named(const data_error& e, const std::string& file, std::size_t line) {
    if (line == 0) return e;
    return data_error(file + ":" + std::to_string(line) + ": " + e.what(), e.context());
}

// Whether customer key `a` sorts before `b` in the whole file's key index: as text when the
// file has string keys, else as the (canonical) integers they are.
bool key_less(const std::string& a, const std::string& b, bool strings) {
    if (strings) return a < b;
    return std::stoll(a) < std::stoll(b);
}

// One part summarised: its summary, its customer keys, the lines of its left-out rows.
struct part_result {
    customer_summary summary;
    key_index keys;
    std::vector<line_mark> lines;
};

// The summary of the whole file from those of its parts (each in its key order): one key index
// of every customer, sorted as the in-memory reader sorts it, and each part's rows, left-out
// items and counts under those ids, in the order the in-memory summary has them.
csv_summary merge_parts(std::vector<part_result>& parts, bool string_keys, std::size_t rows) {
    csv_summary out;
    out.rows = rows;
    key_index& keys = out.customer_keys;
    std::vector<std::size_t> offset;
    for (const part_result& p : parts) {
        offset.push_back(keys.size());
        for (entity_id id = 0; id < p.keys.size(); ++id) {
            if (string_keys)
                keys.insert(p.keys.string_key(id));
            else
                keys.insert(p.keys.integer_key(id));
        }
    }
    for (part_result& p : parts)
        p.keys = {};
    const std::vector<entity_id> remap = keys.sort();
    auto global = [&](std::size_t p, entity_id id) { return remap[offset[p] + id]; };

    customer_summary& m = out.summary;
    const customer_summary& first = parts.front().summary;
    m.unit = first.unit;
    m.unit_scale = first.unit_scale;
    m.observation_end = first.observation_end;
    m.calibration_end = first.calibration_end;
    m.duration_holdout = first.duration_holdout;
    // (customer, part, row of the part's summary), in key order.
    struct at {
        entity_id customer;
        std::size_t part, row;
    };
    std::vector<at> order;
    std::vector<left_out_item> late, customers;
    for (std::size_t p = 0; p < parts.size(); ++p) {
        customer_summary& s = parts[p].summary;
        m.rows_used += s.rows_used;
        m.rows_dropped_after_end += s.rows_dropped_after_end;
        for (std::size_t i = 0; i < s.size(); ++i)
            order.push_back({global(p, s.customer[i]), p, i});
        for (const entity_id c : s.customers_without_purchase)
            m.customers_without_purchase.push_back(global(p, c));
        for (left_out_item item : s.left_out) {
            item.entity = global(p, item.entity);
            (item.is_row() ? late : customers).push_back(item);
        }
        out.left_out_lines.insert(out.left_out_lines.end(), parts[p].lines.begin(),
                                  parts[p].lines.end());
        s.customer = {};
        s.left_out = {};
    }
    std::sort(order.begin(), order.end(),
              [](const at& a, const at& b) { return a.customer < b.customer; });
    std::sort(m.customers_without_purchase.begin(), m.customers_without_purchase.end());
    std::sort(late.begin(), late.end(),
              [](const left_out_item& a, const left_out_item& b) { return a.row < b.row; });
    std::sort(customers.begin(), customers.end(),
              [](const left_out_item& a, const left_out_item& b) { return a.entity < b.entity; });
    m.left_out = std::move(late);
    m.left_out.insert(m.left_out.end(), customers.begin(), customers.end());
    std::sort(out.left_out_lines.begin(), out.left_out_lines.end(),
              [](const line_mark& a, const line_mark& b) { return a.row < b.row; });

    // Every column of a part's summary, appended row by row in key order, then freed.
    auto copy = [&](auto member) {
        auto& to = m.*member;
        for (const at& a : order) {
            const auto& from = parts[a.part].summary.*member;
            if (!from.empty()) to.push_back(from[a.row]);
        }
        for (part_result& p : parts)
            p.summary.*member = {};
    };
    for (const at& a : order)
        m.customer.push_back(a.customer);
    for (auto member :
         {&customer_summary::frequency, &customer_summary::recency, &customer_summary::T,
          &customer_summary::monetary_value, &customer_summary::frequency_holdout,
          &customer_summary::monetary_value_holdout, &customer_summary::revenue,
          &customer_summary::returns, &customer_summary::profit})
        copy(member);
    for (auto member :
         {&customer_summary::n_purchases, &customer_summary::n_returns, &customer_summary::orders,
          &customer_summary::first_purchase, &customer_summary::last_purchase})
        copy(member);
    return out;
}

} // namespace

std::size_t parse_memory_size(std::string_view text, std::string_view argument) {
    auto bad = [&](const std::string& why) {
        return invalid_argument(argument, "\"" + std::string(text) + "\" " + why,
                                std::string(text));
    };
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) != 0 ||
                               (text[i] == '.' && text.find('.') == i)))
        ++i;
    const std::string number(text.substr(0, i));
    if (number.empty() || number == "." || number.back() == '.')
        throw bad("is not a memory size (a number with an optional unit K, M, G or T, e.g. 512M)");
    std::string unit(text.substr(i));
    for (char& c : unit)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (unit.size() == 3 && unit.ends_with("IB")) unit.resize(1);
    if (unit.size() == 2 && unit[1] == 'B' && unit[0] != 'B') unit.resize(1);
    double scale = 0;
    if (unit.empty() || unit == "B")
        scale = 1;
    else if (unit == "K")
        scale = 0x1p10;
    else if (unit == "M")
        scale = 0x1p20;
    else if (unit == "G")
        scale = 0x1p30;
    else if (unit == "T")
        scale = 0x1p40;
    else
        throw bad("is not a memory size (a number with an optional unit K, M, G or T, e.g. 512M)");
    const double bytes = std::strtod(number.c_str(), nullptr) * scale;
    if (!(bytes < 0x1p63)) throw bad("is too large");
    if (bytes < static_cast<double>(min_memory_limit))
        throw bad("is below the smallest memory limit, 32M");
    return static_cast<std::size_t>(bytes);
}

std::size_t detail::parts_for(std::size_t file_bytes, std::size_t memory_limit) {
    const double budget = static_cast<double>(memory_limit - std::min(memory_limit, reserve_bytes));
    const double need = bytes_per_csv_byte * static_cast<double>(file_bytes);
    const double parts = std::max(1.0, std::ceil(need / std::max(budget, 1.0)));
    if (parts > static_cast<double>(max_parts))
        throw invalid_argument("memory_limit",
                               "a limit of " + std::to_string(memory_limit) +
                                   " bytes would cut a file of " + std::to_string(file_bytes) +
                                   " bytes into more than " + std::to_string(max_parts) +
                                   " parts: raise it",
                               std::to_string(memory_limit));
    return static_cast<std::size_t>(parts);
}

csv_summary summarize_csv(const std::string& path, const csv_columns& columns,
                          const summary_options& options, std::size_t memory_limit,
                          const csv_options& csv) {
    std::size_t parts = 1;
    if (memory_limit != 0) {
        std::error_code ec;
        const auto size = path == "-" ? std::uintmax_t{0} : std::filesystem::file_size(path, ec);
        // Standard input and a file of unknown size (a pipe) are cut into 64 parts.
        parts = path == "-" || ec ? 64 : detail::parts_for(size, memory_limit);
    }
    if (parts > 1) return detail::summarize_csv_parts(path, columns, options, parts, csv);
    csv_summary out;
    const transaction_log log = read_transactions_csv(path, columns, csv);
    out.summary = naming_line(log, path == "-" ? "<stdin>" : path,
                              [&] { return summarize(log.view(), options); });
    out.rows = log.size();
    add_row_lines(out.left_out_lines, out.summary.left_out,
                  [&](std::size_t row) { return log.line_of(row); });
    out.customer_keys = log.customer_keys;
    return out;
}

csv_summary detail::summarize_csv_parts(const std::string& path, const csv_columns& columns,
                                        const summary_options& options, std::size_t parts,
                                        const csv_options& csv) {
    const temp_dir dir;
    // The parts' write buffers share a quarter of the reserve (4 to 64 KiB each).
    const std::size_t buffer = std::clamp<std::size_t>(reserve_bytes / 4 / parts, 4096, 65536);
    const csv_parts cut(path, columns, csv, parts, dir.path(), buffer);
    const std::string file = path == "-" ? "<stdin>" : path;
    const time_span whole{cut.first_time(), cut.last_time()};

    // Each part summarised alone; its keys kept for the merge. A data error is kept, not thrown,
    // until every part has run: the one thrown is the one the whole log throws first.
    std::vector<part_result> done;
    std::optional<data_error> late_error, total_error;
    std::size_t late_row = 0;
    std::string total_key;
    for (std::size_t p = 0; p < cut.size(); ++p) {
        if (cut.rows_in(p) == 0) continue;
        csv_parts::part part = cut.read(p);
        transaction_view view = part.log.view();
        view.row_numbers = part.rows;
        auto line_of = [&](std::size_t row) {
            const auto it = std::lower_bound(part.rows.begin(), part.rows.end(), row);
            return part.log.line_of(static_cast<std::size_t>(it - part.rows.begin()));
        };
        part_result r;
        try {
            r.summary = summarize_part(view, options, whole);
        } catch (const parse_error&) {
            throw;
        } catch (const data_error& e) {
            // In memory, the first late row is found before any total is checked, and totals are
            // checked in key order.
            const std::size_t row = e.row().value_or(0);
            if (e.context().argument == "time") {
                if (!late_error || row < late_row) {
                    late_error = named(e, file, line_of(row));
                    late_row = row;
                }
            } else if (!total_error ||
                       (!e.context().key.empty() && !total_key.empty() &&
                        key_less(e.context().key, total_key, cut.string_keys()))) {
                total_error = named(e, file, line_of(row));
                total_key = e.context().key;
            }
        }
        add_row_lines(r.lines, r.summary.left_out, line_of);
        r.keys = std::move(part.log.customer_keys);
        done.push_back(std::move(r));
    }
    if (late_error) throw *late_error;
    if (total_error) throw *total_error;
    csv_summary out = merge_parts(done, cut.string_keys(), cut.rows());
    out.parts = cut.size();
    return out;
}

CUSTOMETRICS_END_NAMESPACE
