// Analyses of a transaction CSV file within a memory limit (see custometrics/streaming.hpp).
#include "custometrics/streaming.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_set>
#include <utility>

#include <unistd.h>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

using detail::csv_parts;

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

// Whether key `a` sorts before `b` in the whole file's key index: as text when the file has
// string keys in that column, else as the (canonical) integers they are.
bool key_less(const std::string& a, const std::string& b, bool strings) {
    if (strings) return a < b;
    return std::stoll(a) < std::stoll(b);
}

// Of several errors met in the parts, the one the in-memory run throws: the one `first` ranks
// before the others (`first(a, b)`: a is thrown before b), with the `tag` it was kept with.
class first_error {
public:
    template <class First> void keep(data_error e, First&& first, std::size_t tag = 0) {
        if (m_error && !first(e, *m_error)) return;
        m_error = std::move(e);
        m_tag = tag;
    }
    void rethrow() const {
        if (m_error) throw *m_error;
    }
    std::size_t tag() const noexcept { return m_tag; }

private:
    std::optional<data_error> m_error;
    std::size_t m_tag = 0;
};

// `a` before `b` when `a` names the lower entity key (errors over totals, checked in id order:
// key order when the keys are sorted); with unsorted keys (ids by first appearance), when `a`
// names the earlier first row.
auto by_key(bool strings, bool sorted = true) {
    return [strings, sorted](const data_error& a, const data_error& b) {
        if (!sorted) return a.row().value_or(0) < b.row().value_or(0);
        return !a.context().key.empty() && !b.context().key.empty() &&
               key_less(a.context().key, b.context().key, strings);
    };
}

// A file cut into parts by `by` in a private temporary directory, the parts read back one at a
// time.
class cut_file {
public:
    cut_file(const std::string& path, const csv_columns& columns, const csv_options& csv,
             std::size_t parts, csv_parts::key by)
        // The parts' write buffers share a quarter of the reserve (4 to 64 KiB each).
        : m_cut(path, columns, csv, parts, m_dir.path(),
                std::clamp<std::size_t>(reserve_bytes / 4 / parts, 4096, 65536), by),
          m_file(path == "-" ? "<stdin>" : path), m_sort_keys(csv.sort_keys) {}

    const csv_parts& cut() const noexcept { return m_cut; }
    const std::string& file() const noexcept { return m_file; }

    // Calls `f(part, line_of)` on part `p` read whole; `line_of(row)` is the file line of row
    // `row` (of the file) of the part.
    template <class F> void read(std::size_t p, F&& f) const {
        csv_parts::part part = m_cut.read(p);
        auto line_of = [&](std::size_t row) {
            const auto it = std::lower_bound(part.rows.begin(), part.rows.end(), row);
            return part.log.line_of(static_cast<std::size_t>(it - part.rows.begin()));
        };
        f(part, line_of);
    }

    // The first row (of the file) of each id of `ids`, a key column of `part` (ids < n): where
    // the entity first appears, what orders the ids when keys are not sorted.
    static std::vector<std::size_t> first_rows(const csv_parts::part& part,
                                               const std::vector<entity_id>& ids, std::size_t n) {
        std::vector<std::size_t> first(n, std::numeric_limits<std::size_t>::max());
        for (std::size_t i = ids.size(); i-- > 0;)
            first[ids[i]] = part.rows[i];
        return first;
    }
    bool sort_keys() const noexcept { return m_sort_keys; }

private:
    temp_dir m_dir;
    csv_parts m_cut;
    std::string m_file;
    bool m_sort_keys = true;
};

// One part's entities: their keys and, when the keys are not sorted, the first row of each.
struct part_keys {
    key_index keys;
    std::vector<std::size_t> first_row;
};

// The entities of one part and an accumulator `Acc` of each, folded row by row: memory grows
// with the part's entities, not its rows. Ids in order of first appearance until `finish`
// renumbers them in key order (with sorted keys), as the part's log would number them.
template <class Acc> struct entity_fold {
    part_keys keys; // first_row: the first row (of the file) of each id
    std::vector<Acc> acc;
    bool strings = false; // the keys are strings (else canonical integers)

    // The accumulator of the entity of `key`, first met (if new) at row `row` of the file.
    Acc& at(std::string_view key, std::size_t row) {
        entity_id id = 0;
        if (strings) {
            id = keys.keys.insert(key);
        } else {
            std::int64_t k = 0;
            std::from_chars(key.data(), key.data() + key.size(), k);
            id = keys.keys.insert(k);
        }
        if (id == acc.size()) {
            acc.emplace_back();
            keys.first_row.push_back(row);
        }
        return acc[id];
    }
    // Renumbers the ids in key order when `sorted`.
    void finish(bool sorted) {
        if (!sorted) return;
        const std::vector<entity_id> remap = keys.keys.sort();
        std::vector<Acc> a(acc.size());
        std::vector<std::size_t> f(acc.size());
        for (std::size_t i = 0; i < acc.size(); ++i) {
            a[remap[i]] = std::move(acc[i]);
            f[remap[i]] = keys.first_row[i];
        }
        acc = std::move(a);
        keys.first_row = std::move(f);
    }
};

// One key index of the entities of every part, ordered as the in-memory reader orders the
// whole file's (sorted, or by first appearance when `sorted` is false); `id[p][i]` is the id
// in it of id i of part p. The parts' keys are freed.
struct merged_keys {
    key_index keys;
    std::vector<std::vector<entity_id>> id;

    merged_keys(std::vector<part_keys>& parts, bool strings, bool sorted) : id(parts.size()) {
        auto insert = [&](std::size_t p, entity_id i) {
            const key_index& k = parts[p].keys;
            id[p][i] = strings ? keys.insert(k.string_key(i)) : keys.insert(k.integer_key(i));
        };
        for (std::size_t p = 0; p < parts.size(); ++p)
            id[p].resize(parts[p].keys.size());
        if (sorted) {
            for (std::size_t p = 0; p < parts.size(); ++p)
                for (entity_id i = 0; i < parts[p].keys.size(); ++i)
                    insert(p, i);
        } else { // in order of first appearance in the file
            struct at {
                std::size_t first_row, part;
                entity_id id;
            };
            std::vector<at> order;
            for (std::size_t p = 0; p < parts.size(); ++p)
                for (entity_id i = 0; i < parts[p].keys.size(); ++i)
                    order.push_back({parts[p].first_row[i], p, i});
            std::sort(order.begin(), order.end(),
                      [](const at& a, const at& b) { return a.first_row < b.first_row; });
            for (const at& a : order)
                insert(a.part, a.id);
        }
        for (part_keys& p : parts)
            p = {};
        if (!sorted) return;
        const std::vector<entity_id> remap = keys.sort();
        for (auto& ids : id)
            for (entity_id& i : ids)
                i = remap[i];
    }
};

// One part summarised: its summary, the lines of its left-out rows.
struct part_result {
    customer_summary summary;
    std::vector<line_mark> lines;
};

// The summary of the whole file from those of its parts (each in its key order): each part's
// rows, left-out items and counts under the merged ids, in the order the in-memory summary has
// them.
csv_summary merge_parts(std::vector<part_result>& parts, merged_keys&& merged, std::size_t rows) {
    csv_summary out;
    out.rows = rows;
    out.customer_keys = std::move(merged.keys);
    auto global = [&](std::size_t p, entity_id id) { return merged.id[p][id]; };
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

std::size_t detail::parts_for(std::size_t file_bytes, std::size_t memory_limit,
                              std::string_view argument) {
    const double budget = static_cast<double>(memory_limit - std::min(memory_limit, reserve_bytes));
    const double need = bytes_per_csv_byte * static_cast<double>(file_bytes);
    const double parts = std::max(1.0, std::ceil(need / std::max(budget, 1.0)));
    if (parts > static_cast<double>(max_parts))
        throw invalid_argument(argument,
                               "a limit of " + std::to_string(memory_limit) +
                                   " bytes would cut a file of " + std::to_string(file_bytes) +
                                   " bytes into more than " + std::to_string(max_parts) +
                                   " parts: raise it",
                               std::to_string(memory_limit));
    return static_cast<std::size_t>(parts);
}

std::size_t detail::parts_of_file(const std::string& path, std::size_t memory_limit,
                                  std::string_view argument) {
    if (memory_limit == 0) return 1;
    std::error_code ec;
    const auto size = path == "-" ? std::uintmax_t{0} : std::filesystem::file_size(path, ec);
    // Standard input and a file of unknown size (a pipe) are cut into 64 parts.
    return path == "-" || ec ? 64 : parts_for(size, memory_limit, argument);
}

csv_summary summarize_csv(const std::string& path, const csv_columns& columns,
                          const summary_options& options, std::size_t memory_limit,
                          const csv_options& csv, std::string_view memory_argument) {
    const std::size_t parts = detail::parts_of_file(path, memory_limit, memory_argument);
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

namespace {

// A customer's totals folded from its rows (`customer_totals`), its distinct orders, and the
// sum of the magnitudes of its amounts and costs: a bound on every partial sum of its totals.
struct folded_customer {
    detail::customer_totals totals;
    std::int64_t orders = 0;
    double magnitude = 0.0;
    // The last row folded, and whether every row came after the one before in the summary's
    // order (`detail::summary_order`; a tie only with the same cost): then the rows were added
    // in the order `summarize` adds them.
    std::int64_t seconds = std::numeric_limits<std::int64_t>::min();
    double amount = -std::numeric_limits<double>::infinity(), cost = 0.0;
    bool in_order = true;
    void follow(std::int64_t t, double a, double c) noexcept {
        const struct {
            std::int64_t seconds;
            double amount;
        } next{t, a};
        if (detail::summary_order(next, *this) ||
            (!detail::summary_order(*this, next) && c != cost))
            in_order = false;
        seconds = t;
        amount = a;
        cost = c;
    }
};

// Below this bound on every customer's partial sums (2^1020, about 1.1e307: the largest
// double is about 2^1024, and the bound itself is a rounded sum), no sum of a summary can
// overflow, in any order of the rows, and no total raises an error.
constexpr double fold_bound = 0x1p1020;

// The totals of `summarize_part` with the default options that RFM reads (`rfm_values_from`,
// `profile_rfm_segments`: revenue, returns, profit, purchase and return rows, orders, first and
// last purchase; customers without a purchase left out with their reason) of part `p`, folded
// row by row: memory grows with the part's customers and their distinct orders, not its rows.
// A Neumaier sum is the correctly rounded sum only short of rounding in its compensation term,
// so its last bit can depend on the order (rows of 2^-99, 2^-99, 128, 2^-46 total 128 + 2^-45
// in that order, 128 in date order). So the totals of a customer whose rows came out of the
// order `summarize` adds them in (`folded_customer::in_order`) are added again, from that
// customer's rows alone, gathered in a second pass over the part and sorted as `summarize` sorts
// them (the same `std::sort` of the same rows in file order, so the same permutation): memory
// for the rows of those customers only. Nullopt when some customer's amounts come near the
// largest number (`fold_bound`): the caller summarises that part whole, with the summary's own
// errors. The lifetimes columns (frequency,
// recency, T, monetary value) are left empty: RFM does not read them.
std::optional<part_result> fold_part(const csv_parts& c, std::size_t p, bool strings, bool sorted,
                                     std::int64_t observation_end, part_keys& keys) {
    entity_fold<folded_customer> fold;
    fold.strings = strings;
    key_index orders;                       // the part's order keys, as text
    std::unordered_set<std::uint64_t> seen; // (customer id in order of first row, order id)
    const bool with_cost = c.has_cost();
    c.for_each_row(p, [&](const csv_parts::row& r) {
        folded_customer& f = fold.at(r.customer, r.row);
        f.magnitude += std::abs(r.amount) + std::abs(r.cost);
        f.follow(r.time, r.amount, with_cost ? r.cost : 0.0);
        if (!f.totals.add(r.time, r.amount, r.cost, with_cost) || !c.has_order()) return;
        const auto customer = static_cast<entity_id>(&f - fold.acc.data());
        const std::uint64_t pair = (std::uint64_t{customer} << 32) | orders.insert(r.order);
        if (seen.insert(pair).second) ++f.orders;
    });
    seen = {};
    bool any_out_of_order = false;
    for (const folded_customer& f : fold.acc) {
        if (!(f.magnitude < fold_bound)) return std::nullopt;
        any_out_of_order |= !f.in_order;
    }
    if (any_out_of_order) {
        struct timed_row {
            std::int64_t seconds;
            double amount, cost;
        };
        std::vector<std::vector<timed_row>> rows(fold.acc.size());
        c.for_each_row(p, [&](const csv_parts::row& r) {
            folded_customer& f = fold.at(r.customer, r.row);
            if (!f.in_order)
                rows[static_cast<std::size_t>(&f - fold.acc.data())].push_back(
                    {r.time, r.amount, r.cost});
        });
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (fold.acc[i].in_order) continue;
            std::sort(rows[i].begin(), rows[i].end(), detail::summary_order<timed_row, timed_row>);
            detail::customer_totals t;
            for (const timed_row& r : rows[i])
                t.add(r.seconds, r.amount, r.cost, with_cost);
            fold.acc[i].totals = t;
            rows[i] = {};
        }
    }
    fold.finish(sorted);
    const std::size_t n = fold.acc.size();
    part_result out;
    customer_summary& s = out.summary;
    for (auto* v : {&s.revenue, &s.returns})
        v->resize(n);
    if (with_cost) s.profit.resize(n);
    for (auto* v : {&s.n_purchases, &s.n_returns, &s.orders, &s.first_purchase, &s.last_purchase})
        v->resize(n);
    std::vector<unsigned char> included(n);
    for (std::size_t i = 0; i < n; ++i) {
        const folded_customer& f = fold.acc[i];
        f.totals.write(s, i, with_cost);
        s.orders[i] = c.has_order() ? f.orders : f.totals.n_purchases;
        included[i] = f.totals.n_purchases > 0 ? 1 : 0;
    }
    detail::keep_customers_with_purchase(s, included);
    s.observation_end = observation_end;
    s.rows_used = c.rows_in(p);
    keys = std::move(fold.keys);
    if (sorted) keys.first_row = {};
    return out;
}

// `summarize_csv_parts`; with `totals_only` (and the default summary options), each part's
// totals that RFM reads are folded row by row (`fold_part`) where its amounts allow.
csv_summary summarize_parts(const std::string& path, const csv_columns& columns,
                            const summary_options& options, std::size_t parts,
                            const csv_options& csv, bool totals_only) {
    const cut_file cut(path, columns, csv, parts, csv_parts::key::customer);
    const bool strings = cut.cut().string_keys();
    const detail::time_span whole{cut.cut().first_time(), cut.cut().last_time()};

    // Each part summarised alone; its keys kept for the merge. A data error is kept, not thrown,
    // until every part has run: the one thrown is the one the whole log throws first. In memory,
    // the first late row is found before any total is checked, and totals are checked in key
    // order.
    std::vector<part_result> done;
    std::vector<part_keys> keys;
    first_error late, total;
    for (std::size_t p = 0; p < cut.cut().size(); ++p) {
        if (cut.cut().rows_in(p) == 0) continue;
        if (totals_only) {
            part_keys k;
            std::optional<part_result> r =
                fold_part(cut.cut(), p, strings, cut.sort_keys(), whole.last, k);
            if (r) {
                keys.push_back(std::move(k));
                done.push_back(std::move(*r));
                continue;
            }
        }
        cut.read(p, [&](csv_parts::part& part, auto&& line_of) {
            transaction_view view = part.log.view();
            view.row_numbers = part.rows;
            part_result r;
            try {
                r.summary = detail::summarize_part(view, options, whole);
            } catch (const parse_error&) {
                throw;
            } catch (const data_error& e) {
                data_error named = with_line(e, cut.file(), line_of(e.row().value_or(0)));
                if (e.context().argument == "time")
                    late.keep(std::move(named), [](const data_error& a, const data_error& b) {
                        return a.row().value_or(0) < b.row().value_or(0);
                    });
                else
                    total.keep(std::move(named), by_key(strings, cut.sort_keys()));
            }
            add_row_lines(r.lines, r.summary.left_out, line_of);
            if (totals_only) // as the folded parts: RFM does not read the lifetimes columns
                for (auto* v : {&r.summary.frequency, &r.summary.recency, &r.summary.T,
                                &r.summary.monetary_value})
                    *v = {};
            part_keys k;
            if (!cut.sort_keys())
                k.first_row =
                    cut_file::first_rows(part, part.log.customer, part.log.customer_keys.size());
            k.keys = std::move(part.log.customer_keys);
            keys.push_back(std::move(k));
            done.push_back(std::move(r));
        });
    }
    late.rethrow();
    total.rethrow();
    csv_summary out =
        merge_parts(done, merged_keys(keys, strings, cut.sort_keys()), cut.cut().rows());
    out.parts = cut.cut().size();
    return out;
}

} // namespace

csv_summary detail::summarize_csv_parts(const std::string& path, const csv_columns& columns,
                                        const summary_options& options, std::size_t parts,
                                        const csv_options& csv) {
    return summarize_parts(path, columns, options, parts, csv, false);
}

csv_pareto detail::pareto_of_folded(folded_totals&& f, measure m, bool compare,
                                    const pareto_options& options) {
    csv_pareto out;
    out.rows = f.rows;
    out.keys = key_index::from_ascending_integers(f.keys); // ascending: no renumbering
    if (f.now_error) throw *f.now_error;
    entity_totals_result now = totals_of(f.now_sum, f.now_rows, out.keys, m);
    if (!compare) {
        out.analysis = pareto_of_totals(std::move(now), m, nullptr, options);
        return out;
    }
    if (f.before_error) throw *f.before_error;
    const std::vector<double> before = totals_of(f.before_sum, f.before_rows, out.keys, m).value;
    out.analysis = pareto_of_totals(std::move(now), m, &before, options);
    return out;
}

csv_pareto pareto_csv(const std::string& path, const pareto_axes& axes, const time_window& window,
                      const std::optional<time_window>& earlier, const pareto_options& options,
                      std::size_t memory_limit, const csv_options& csv,
                      std::string_view memory_argument) {
    const std::size_t parts = detail::parts_of_file(path, memory_limit, memory_argument);
    if (parts > 1)
        return detail::pareto_csv_parts(path, axes, window, earlier, options, parts, csv);
    // Totals only: folded while the file is read, no log kept, when its keys allow.
    if (std::optional<detail::folded_totals> folded =
            detail::fold_csv_totals(path, axes.columns, csv, {axes.by, axes.what, window, earlier}))
        return detail::pareto_of_folded(std::move(*folded), axes.what, earlier.has_value(),
                                        options);
    transaction_log log = read_transactions_csv(path, axes.columns, csv);
    csv_pareto out;
    try {
        out.analysis = pareto_of_log(log, axes.by, axes.what, window, earlier, options);
    } catch (const detail::log_row_error& e) {
        // A row's bad value is named by its file line; an entity's total has no line.
        throw with_line(e, path == "-" ? "<stdin>" : path, log.line_of(*e.row()));
    }
    out.rows = log.size();
    out.keys = std::move(axes.by == dimension::product   ? log.product_keys
                         : axes.by == dimension::channel ? log.channel_keys
                                                         : log.customer_keys);
    return out;
}

csv_pareto detail::pareto_csv_parts(const std::string& path, const pareto_axes& axes,
                                    const time_window& window,
                                    const std::optional<time_window>& earlier,
                                    const pareto_options& options, std::size_t parts,
                                    const csv_options& csv) {
    const csv_parts::key by = axes.by == dimension::product   ? csv_parts::key::product
                              : axes.by == dimension::channel ? csv_parts::key::channel
                                                              : csv_parts::key::customer;
    check_window(window); // both windows before any row, as `pareto_of_log` checks them
    if (earlier) check_window(*earlier);
    const cut_file cut(path, axes.columns, csv, parts, by);
    const bool strings = cut.cut().string_keys(by);

    // Per part, the totals of its entities over each window (a reversed window or a missing
    // column is thrown by the first part, as in memory). An overflowing total is kept until
    // every part has run: in memory, the window's totals are checked in key order, then the
    // earlier window's (in id order: by key, or by first row when the keys are not sorted).
    // Its `row` is the entity's id: made the merged id below, from the part kept as its tag.
    struct part_totals {
        entity_totals_result now;
        std::vector<double> before;
    };
    // Each entity's sums over the two windows: the accumulator of `entity_totals` (aggregate.hpp),
    // fed the entity's rows in file order, as `entity_totals` feeds them.
    struct sums {
        detail::sum_acc now, before;
    };
    const csv_parts& file = cut.cut();
    detail::check_totals_columns(axes.by, axes.what, file.has_product(), file.has_channel(),
                                 file.has_cost(), file.has_quantity());
    std::vector<part_totals> done;
    std::vector<part_keys> keys;
    // A row of a window whose value is not finite: the first in the file, as in memory the
    // window's rows are checked in file order before any total (`detail::row_measure`).
    first_error now_row, before_row, now_error, before_error;
    const auto by_row = [](const data_error& a, const data_error& b) { return *a.row() < *b.row(); };
    for (std::size_t p = 0; p < file.size(); ++p) {
        if (file.rows_in(p) == 0) continue;
        entity_fold<sums> fold;
        fold.strings = strings;
        file.for_each_row(p, [&](const csv_parts::row& r) {
            const bool now = window.contains(r.time), before = earlier && earlier->contains(r.time);
            sums& e = fold.at(axes.by == dimension::product   ? r.product
                              : axes.by == dimension::channel ? r.channel
                                                              : r.customer,
                              r.row);
            if (!now && !before) return;
            double v = 0.0;
            try {
                v = detail::row_measure(axes.what, r.amount, r.cost, r.quantity, r.row,
                                        [&] { return std::string(r.customer); });
            } catch (const data_error& bad) {
                const data_error named = with_line(bad, cut.file(), r.line);
                if (now) now_row.keep(named, by_row);
                if (before) before_row.keep(named, by_row);
                return;
            }
            if (now) e.now.add(v, 0);
            if (before) e.before.add(v, 0);
        });
        fold.finish(cut.sort_keys());
        part_keys& pk = fold.keys;
        part_totals t;
        auto keep = [&](first_error& to, const data_error& e) {
            error_context ec = e.context();
            if (!cut.sort_keys()) ec.row = pk.first_row.at(ec.row.value_or(0));
            to.keep(data_error(e.what(), ec), by_key(strings, cut.sort_keys()), done.size());
        };
        // The totals of one window (`member` of each entity's sums), checked as in memory.
        auto totals = [&](detail::sum_acc sums::*member) {
            std::vector<double> sum(fold.acc.size());
            std::vector<std::int64_t> count(fold.acc.size());
            for (std::size_t i = 0; i < fold.acc.size(); ++i) {
                sum[i] = (fold.acc[i].*member).total();
                count[i] = (fold.acc[i].*member).count;
            }
            return detail::totals_of(sum, count, pk.keys, axes.what);
        };
        try {
            t.now = totals(&sums::now);
        } catch (const data_error& e) {
            keep(now_error, e);
        }
        if (earlier) try {
                t.before = totals(&sums::before).value;
            } catch (const data_error& e) {
                keep(before_error, e);
            }
        if (cut.sort_keys()) pk.first_row = {};
        keys.push_back(std::move(pk));
        done.push_back(std::move(t));
    }
    merged_keys merged(keys, strings, cut.sort_keys());
    // The error thrown names the entity by its id in the whole file, as in memory.
    auto rethrow = [&](const first_error& f) {
        try {
            f.rethrow();
        } catch (const data_error& e) {
            error_context c = e.context();
            for (const entity_id i : merged.id[f.tag()])
                if (merged.keys.key_string(i) == c.key) c.row = i;
            throw data_error(e.what(), c);
        }
    };
    now_row.rethrow();
    rethrow(now_error);
    before_row.rethrow();
    rethrow(before_error);

    const std::size_t n = merged.keys.size();
    entity_totals_result now;
    now.value.assign(n, 0.0);
    std::vector<char> active(n, 0);
    std::vector<double> before(earlier ? n : 0, 0.0);
    for (std::size_t p = 0; p < done.size(); ++p) {
        const std::vector<entity_id>& ids = merged.id[p];
        for (entity_id i = 0; i < ids.size(); ++i) {
            now.value[ids[i]] = done[p].now.value[i];
            if (earlier) before[ids[i]] = done[p].before[i];
        }
        for (const entity_id i : done[p].now.active)
            active[ids[i]] = 1;
        done[p] = {};
    }
    for (std::size_t id = 0; id < n; ++id)
        if (active[id] != 0) now.active.push_back(static_cast<entity_id>(id));
    csv_pareto out;
    out.analysis =
        pareto_of_totals(std::move(now), axes.what, earlier ? &before : nullptr, options);
    out.keys = std::move(merged.keys);
    out.rows = cut.cut().rows();
    out.parts = cut.cut().size();
    return out;
}

namespace {
// The RFM scores of summary `s` of a file.
csv_rfm scored(csv_summary&& s, std::optional<std::int64_t> analysis_date, const segment_map& map,
               const rfm_options& options) {
    csv_rfm out;
    out.summary = std::move(s);
    out.rfm = rfm_from_summary(out.summary.summary, analysis_date, map, options,
                               &out.summary.customer_keys);
    return out;
}
} // namespace

csv_rfm rfm_csv(const std::string& path, const csv_columns& columns,
                std::optional<std::int64_t> analysis_date, const segment_map& map,
                const rfm_options& options, std::size_t memory_limit, const csv_options& csv,
                std::string_view memory_argument) {
    const std::size_t parts = detail::parts_of_file(path, memory_limit, memory_argument);
    if (parts > 1)
        return detail::rfm_csv_parts(path, columns, analysis_date, map, options, parts, csv);
    return scored(summarize_csv(path, columns, {}, 0, csv), analysis_date, map, options);
}

csv_rfm detail::rfm_csv_parts(const std::string& path, const csv_columns& columns,
                              std::optional<std::int64_t> analysis_date, const segment_map& map,
                              const rfm_options& options, std::size_t parts,
                              const csv_options& csv) {
    return scored(summarize_parts(path, columns, {}, parts, csv, true), analysis_date, map,
                  options);
}

CUSTOMETRICS_END_NAMESPACE
