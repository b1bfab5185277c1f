// Reading and writing transaction logs as CSV (see custometrics/csv.hpp).
//
// Method: the input is read into one buffer `block_size` bytes at a time. A plain record (integer
// keys, `YYYY-MM-DD` dates, plain decimals, no quotes) is read in one pass straight from its
// bytes by column role (`row_layout::parse_plain`); any other is split and read by the general
// rules, as follows (`row_layout::parse`), with the same result. Records are split in
// place: every field is a pointer pair into the buffer (a `field_list` kept from record to
// record), so a row costs no heap allocation. A record without quotes (the common case) is split
// in one pass, a search (`detail::find_byte`, 16 or 8 bytes at a time) for the next delimiter,
// quote or line break per field. A record with quotes goes through a small state machine that
// may run over several physical lines. When the buffer ends inside a record, the unread tail is
// moved to the front, the next block is appended and the record is split again from its start.
// Each refill reads at least as many bytes as are carried over, so even a record far longer than
// a block costs amortised linear time. A quoted field with doubled quotes is collapsed in place
// once its record is known to be complete (the collapsed text is never longer than the raw
// text). Integer keys are collected and numbered at the end
// (see `key_column`), which on 10^6 rows is markedly faster than one hash lookup per row.
#include "custometrics/csv.hpp"
#include "custometrics/number.hpp"
#include "custometrics/progress.hpp"

#include "custometrics/date.hpp"

#include "custometrics/detail/byte_scan.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/detail/plain_fields.hpp"
#include "custometrics/threads.hpp"

#include <fast_float/fast_float.h>

#if defined(__unix__) || defined(__APPLE__)
#define CUSTOMETRICS_CSV_MMAP 1
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#define CUSTOMETRICS_CSV_MMAP 0
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <istream>
#include <limits>
#include <new>
#include <numeric>
#include <ostream>
#include <sstream>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace {

// One field of the current record: the text [begin, end) inside the buffer, quotes removed;
// `escaped` while it still holds doubled quotes to collapse.
struct field {
    char* begin;
    char* end;
    bool escaped;

    std::string_view text() const noexcept {
        return {begin, static_cast<std::size_t>(end - begin)};
    }
};

enum class scan_status {
    complete,     // the record ends before the buffer does (or at the end of input)
    incomplete,   // the buffer ends inside the record and more input may follow
    unterminated, // the input ends inside a quoted field
    bad_quote,    // a closing quote followed by something other than a delimiter or line break
};

struct scan_result {
    scan_status status = scan_status::complete;
    char* next = nullptr;      // start of the following record (complete only)
    std::size_t newlines = 0;  // line breaks in the record, its terminator included
    std::size_t bad_field = 0; // index of the field at fault (unterminated, bad_quote)
    char* bad_begin = nullptr; // raw text of that field, for the message
};

// The fields of the current record, kept from record to record: `push_back` is inline and
// writes by index while the record fits the capacity reached so far; growing is out of line, so
// after the first records a row costs no call and no allocation.
class field_list {
public:
    void clear() noexcept { m_size = 0; }
    void push_back(field f) {
        if (m_size == m_fields.size()) grow();
        m_fields[m_size++] = f;
    }
    std::size_t size() const noexcept { return m_size; }
    field& operator[](std::size_t i) noexcept { return m_fields[i]; }
    const field& operator[](std::size_t i) const noexcept { return m_fields[i]; }
    field* begin() noexcept { return m_fields.data(); }
    field* end() noexcept { return m_fields.data() + m_size; }
    const field* begin() const noexcept { return m_fields.data(); }
    const field* end() const noexcept { return m_fields.data() + m_size; }

private:
    void grow(); // out of line, see below

    std::vector<field> m_fields; // its size is the capacity; the record is the first m_size
    std::size_t m_size = 0;
};

#if defined(__GNUC__)
__attribute__((noinline))
#endif
void field_list::grow() {
    m_fields.resize(std::max<std::size_t>(16, 2 * m_fields.size()));
}

// The first `c` in [p, end), or `end`.
char* find_char(char* p, char* end, char c) noexcept {
    return detail::find_byte(p, end, c, c, c);
}

// Splits the record that starts at `p` (not a blank line) into `fields`. `eof`: nothing
// follows `end`, so a record may end there without a line break.
//
// Unquoted records (the common case) take one pass: `find_byte` gives the next delimiter,
// quote or line break, so a field costs one search of a few words, not a test per byte. The
// first quote sends the record, from its start, to a state machine over the raw bytes, which
// may run over several lines. A record is incomplete (more input is needed) when no line
// break follows its start in the buffer and more input may follow, whatever else it holds, so
// that its error, if any, is the one the whole record gives.
scan_result scan_record(char* p, char* end, bool eof, char delim, field_list& fields) {
    fields.clear();
    scan_result r;
    char* b = p;
    for (;;) {
        char* const c = detail::find_byte(b, end, delim, '"', '\n');
        if (c == end || *c == '\n') { // the last field
            if (c == end && !eof) {
                r.status = scan_status::incomplete;
                return r;
            }
            char* field_end = c;
            if (field_end > b && field_end[-1] == '\r') --field_end;
            fields.push_back({b, field_end, false});
            r.next = c == end ? end : c + 1;
            r.newlines = c == end ? 0 : 1;
            return r;
        }
        if (*c == '"') {
            if (!eof && find_char(c, end, '\n') == end) {
                r.status = scan_status::incomplete;
                return r;
            }
            break;
        }
        fields.push_back({b, c, false});
        b = c + 1;
    }
    fields.clear();

    // Quotes: a state machine over the raw bytes, field by field.
    char* pos = p;
    for (;;) {
        if (pos < end && *pos == '"') {
            char* const open = pos;
            char* const content = pos + 1;
            bool escaped = false;
            char* q = content;
            char* close = nullptr;
            while (close == nullptr) {
                char* const quote = find_char(q, end, '"');
                if (quote == end) {
                    r.status = eof ? scan_status::unterminated : scan_status::incomplete;
                    r.bad_field = fields.size();
                    r.bad_begin = open;
                    return r;
                }
                // A quote that ends the buffer is taken as closing; if more input follows, the
                // check after the field asks for it, so a doubled quote split there is safe.
                if (quote + 1 < end && quote[1] == '"') {
                    escaped = true;
                    q = quote + 2;
                } else {
                    close = quote;
                }
            }
            fields.push_back({content, close, escaped});
            pos = close + 1;
            if (pos == end) {
                if (!eof) {
                    r.status = scan_status::incomplete;
                    return r;
                }
                break; // the last record, without a line break
            }
            if (*pos == delim) {
                ++pos;
                continue;
            }
            if (*pos == '\n') {
                ++pos;
                break;
            }
            if (*pos == '\r') {
                if (pos + 1 == end) {
                    if (!eof) {
                        r.status = scan_status::incomplete;
                        return r;
                    }
                    ++pos;
                    break;
                }
                if (pos[1] == '\n') {
                    pos += 2;
                    break;
                }
            }
            r.status = scan_status::bad_quote;
            r.bad_field = fields.size() - 1;
            r.bad_begin = open;
            r.next = pos;
            return r;
        }
        // Unquoted: up to the next delimiter or line break (a quote inside is kept as text).
        char* const e = detail::find_byte(pos, end, delim, '\n', '\n');
        if (e == end && !eof) {
            r.status = scan_status::incomplete;
            return r;
        }
        if (e < end && *e == delim) {
            fields.push_back({pos, e, false});
            pos = e + 1;
            continue;
        }
        char* field_end = e;
        if (field_end > pos && field_end[-1] == '\r') --field_end;
        fields.push_back({pos, field_end, false});
        pos = e < end ? e + 1 : e;
        break;
    }
    r.next = pos;
    r.newlines = static_cast<std::size_t>(std::count(p, pos, '\n'));
    return r;
}

// Collapses the doubled quotes of an escaped field in place.
void unescape(field& f) noexcept {
    char* w = f.begin;
    for (char* r = f.begin; r < f.end; ++r) {
        *w++ = *r;
        if (*r == '"') ++r; // skip the second quote of the pair
    }
    f.end = w;
    f.escaped = false;
}

// The reason a number field of a transaction CSV is refused (number.hpp's rule).
std::string number_reason(number_status status) {
    return status == number_status::empty        ? "empty number"
           : status == number_status::not_finite ? "not a finite number"
                                                 : "not a number";
}

// True, with the value in `out`, when `s` is a canonical decimal integer that fits 64 bits:
// an optional '-', then "0" or digits without a leading zero ("-0" is not canonical).
bool canonical_integer(std::string_view s, std::int64_t& out) noexcept {
    const char* const last = s.data() + s.size();
    std::int64_t v = 0;
    if (s.empty() || detail::scan_canonical_integer(s.data(), last, v) != last) return false;
    out = v;
    return true;
}

// The decimal text of `k`, written into `buf`: for a canonical integer, the text it was read from.
std::string_view integer_text(std::int64_t k, std::array<char, 24>& buf) noexcept {
    const char* const last = std::to_chars(buf.data(), buf.data() + buf.size(), k).ptr;
    return {buf.data(), static_cast<std::size_t>(last - buf.data())};
}

// A column written into storage that another owns (the parallel reader's columns, sized for the
// rows of the whole file before the chunks are parsed, see `read_transactions_csv_parallel`):
// `push_back` without a capacity check, never past the rows the storage was sized for.
// The end of the rows written is a pointer, not a count: a store of an int64 key or time may
// alias a std::size_t count (the same type but for its sign), so the count would be read again
// after each store; a pointer's type aliases none of the columns'.
template <class T> struct span_column {
    T* data = nullptr;
    T* last = nullptr; // past the rows written

    // A column of no rows yet, written from `at` on.
    static span_column at(T* at) noexcept { return {at, at}; }
    void push_back(T x) noexcept { *last++ = x; }
    std::size_t size() const noexcept { return static_cast<std::size_t>(last - data); }
    bool empty() const noexcept { return last == data; }
    const T* begin() const noexcept { return data; }
    const T* end() const noexcept { return last; }
    T operator[](std::size_t i) const noexcept { return data[i]; }
    void reserve(std::size_t /*rows*/) noexcept {}
    // Its rows now at `to` (moved there by the caller).
    void move_to(T* to) noexcept {
        last = to + size();
        data = to;
    }
};

// The serial reader's columns, and the parallel reader's columns of the whole file: the columns
// of `transaction_log`.
template <class T> using vector_column = column<T>;

// A key column being read. While every key is a canonical integer the keys are only collected,
// with no hashing per row, and `finish` numbers them at once: sorted, `key_index::from_integers`
// (a plain array lookup when the keys span a compact range); else by insertion in row order.
// The first other key turns the column into string keys: the integer keys read so far are
// inserted as decimal text in row order, which gives each the id it had (order of first
// appearance), and every later key is inserted as it comes.
template <class Ints> struct basic_key_column {
    key_index keys;
    std::vector<entity_id> ids; // one id a row once `strings` (or after `finish`)
    Ints ints;                  // integer keys by row, until `finish` or `to_strings`
    bool strings = false;

    void add(std::string_view key) {
        if (!strings) {
            std::int64_t v = 0;
            if (canonical_integer(key, v)) {
                ints.push_back(v);
                return;
            }
            to_strings();
        }
        ids.push_back(keys.insert(key));
    }

    // Adds the integer key `k`, read as canonical; only while not `strings`.
    void add_integer(std::int64_t k) { ints.push_back(k); }

    // Numbers integer keys; `sorted`: ids ascending by key, else in order of first appearance.
    void finish(bool sorted, unsigned threads) {
        if (strings || ints.empty()) return;
        if (sorted) {
            std::tie(keys, ids) = key_index::from_integers(ints, threads);
        } else {
            ids.reserve(ints.size());
            for (const std::int64_t k : ints)
                ids.push_back(keys.insert(k));
        }
        ints = {};
    }

    void to_strings() {
        strings = true;
        ids.reserve(ints.size());
        std::array<char, 24> buf{};
        for (const std::int64_t k : ints)
            ids.push_back(keys.insert(integer_text(k, buf)));
        ints = {};
    }
};
using key_column = basic_key_column<column<std::int64_t>>;

void check_arguments(const csv_columns& columns, const csv_options& options) {
    const int cost_sources =
        (columns.cost ? 1 : 0) + (columns.margin ? 1 : 0) + (columns.unit_cost ? 1 : 0);
    if (cost_sources > 1)
        throw invalid_argument("columns", "name at most one of cost, margin and unit_cost (got " +
                                              std::to_string(cost_sources) + ")");
    if (columns.unit_cost && !columns.quantity)
        throw invalid_argument("columns.unit_cost",
                               "\"" + *columns.unit_cost +
                                   "\" needs columns.quantity (cost = unit_cost * quantity)");
    if (options.block_size == 0) throw invalid_argument("options.block_size", "must be > 0, got 0");
    if (options.max_record_bytes == 0)
        throw invalid_argument("options.max_record_bytes", "must be > 0, got 0");
    const char d = options.delimiter;
    if (d == '"' || d == '\n' || d == '\r')
        throw invalid_argument("options.delimiter", "cannot be a quote or a line break");
}

// Steps over blank lines (LF, CRLF, and a lone CR that ends the input) from `p`, adding one to
// `line` for each; returns the first byte that is not part of a blank line. `eof`: nothing
// follows `end`.
char* skip_blank_lines(char* p, char* end, bool eof, std::size_t& line) noexcept {
    while (p < end) {
        if (*p == '\r' && p + 1 < end && p[1] == '\n') {
            p += 2;
        } else if (*p == '\n' || (*p == '\r' && p + 1 == end && eof)) {
            ++p; // LF, or a lone CR that ends the input
        } else {
            break;
        }
        ++line;
    }
    return p;
}

// The header name of column `i`, or "field <i+1>" beyond the header (or in it).
std::string column_name(const std::vector<std::string>& names, std::size_t i) {
    return i < names.size() ? names[i] : "field " + std::to_string(i + 1);
}

std::string_view text(const char* b, const char* e) noexcept {
    return {b, static_cast<std::size_t>(e - b)};
}

// Throws the parse_error of the record at `p` (starting on `line`; the input ends at `end`) that
// is longer than `max_bytes` (csv_options::max_record_bytes), naming its first bytes.
[[noreturn]] void record_too_long(const char* p, const char* end, std::size_t line,
                                  std::size_t max_bytes, const std::string& source) {
    throw parse_error(source, line, "record", text(p, p + std::min<std::ptrdiff_t>(end - p, 61)),
                      "the record is longer than the limit of " + std::to_string(max_bytes) +
                          " bytes (csv_options::max_record_bytes)");
}

// Throws the parse_error of the record at `p` (starting on `line`) that `scan_record` found
// broken (unterminated quote, text after a closing quote), or whose `n_fields` differ from the
// header's `names` (not checked while `names` is empty: the header itself). `end`: the end of the
// bytes scanned, all of the input when the quote is unterminated. A record of which more than
// `max_bytes` were scanned is too long (`record_too_long`), whatever else is wrong with it.
// The common case, a complete record of the header's width within the limit, is checked inline.
void check_broken_record(const scan_result& r, char* p, char* end, std::size_t line,
                         const std::vector<std::string>& names, std::size_t n_fields,
                         const std::string& source, std::size_t max_bytes);
inline void check_record(const scan_result& r, char* p, char* end, std::size_t line,
                         const std::vector<std::string>& names, std::size_t n_fields,
                         const std::string& source, std::size_t max_bytes) {
    if (r.status == scan_status::complete && n_fields == names.size() &&
        static_cast<std::size_t>(r.next - p) <= max_bytes)
        return;
    check_broken_record(r, p, end, line, names, n_fields, source, max_bytes);
}

void check_broken_record(const scan_result& r, char* p, char* end, std::size_t line,
                         const std::vector<std::string>& names, std::size_t n_fields,
                         const std::string& source, std::size_t max_bytes) {
    const char* scanned = r.status == scan_status::unterminated ? end : r.next;
    if (static_cast<std::size_t>(scanned - p) > max_bytes)
        record_too_long(p, end, line, max_bytes, source);
    switch (r.status) {
    case scan_status::unterminated:
        throw parse_error(
            source, line, column_name(names, r.bad_field), text(r.bad_begin, end),
            "unterminated quoted field: the quote opened on line " +
                std::to_string(line + static_cast<std::size_t>(std::count(p, r.bad_begin, '\n'))) +
                " is never closed");
    case scan_status::bad_quote:
        throw parse_error(source, line, column_name(names, r.bad_field),
                          text(r.bad_begin, r.next + 1),
                          "unexpected character after a closing quote");
    case scan_status::complete:
    case scan_status::incomplete:
        break;
    }
    if (!names.empty() && n_fields != names.size()) {
        char* record_end = r.next;
        while (record_end > p && (record_end[-1] == '\n' || record_end[-1] == '\r'))
            --record_end;
        throw parse_error(source, line, column_name(names, std::min(n_fields, names.size())),
                          text(p, record_end),
                          "the record has " + std::to_string(n_fields) +
                              " fields, the header has " + std::to_string(names.size()));
    }
}

// The streaming reader: the buffer, the position in it, and the current record.
class csv_reader {
public:
    csv_reader(std::istream& in, const std::string& source, const csv_options& options)
        : m_in(in), m_source(source), m_delim(options.delimiter), m_block(options.block_size),
          m_max(options.max_record_bytes) {}

    // Skips a UTF-8 byte order mark at the start of the input.
    void skip_bom() {
        while (!m_eof && m_filled - m_pos < 3)
            fill();
        if (m_filled - m_pos >= 3 && std::memcmp(m_buf.data() + m_pos, "\xEF\xBB\xBF", 3) == 0)
            m_pos += 3;
    }

    // What `next` read.
    enum class read_kind {
        nothing, // the end of input
        fields,  // a record, split into `fields()`
        row,     // a record that `fast` read
    };

    // Reads the next record into `fields()`; false at the end of input. Blank lines are skipped.
    // `names`: the header's column names, empty while the header itself is read; a record with
    // another number of fields is an error.
    bool next(const std::vector<std::string>& names) {
        return next(names, [](char*, char*, std::size_t) -> char* { return nullptr; }) !=
               read_kind::nothing;
    }

    // `next`, offering each record first to `fast(p, end, line)`: the record starts at `p` on
    // `line` and the bytes read so far end at `end`; `fast` reads a record it accepts (then
    // `read_kind::row`) and returns the start of the following one, or returns nullptr, having read
    // nothing (then the record is split into `fields()` as `next` splits it, `read_kind::fields`).
    template <class Fast> read_kind next(const std::vector<std::string>& names, Fast&& fast) {
        for (;;) {
            char* const base = m_buf.data();
            char* const end = base + m_filled;
            char* const p = skip_blank_lines(base + m_pos, end, m_eof, m_line);
            m_pos = static_cast<std::size_t>(p - base);
            if (p == end || (*p == '\r' && p + 1 == end && !m_eof)) {
                if (m_eof) return read_kind::nothing;
                fill();
                continue;
            }
            if (char* const q = fast(p, end, m_line)) { // one line, a line break read
                m_record_line = m_line++;
                m_pos = static_cast<std::size_t>(q - base);
                return read_kind::row;
            }
            const scan_result r = scan_record(p, end, m_eof, m_delim, m_fields);
            if (r.status == scan_status::incomplete) {
                // More than the limit held and no end yet: refused before reading further, so
                // memory stays within a block and twice the limit.
                if (static_cast<std::size_t>(end - p) > m_max)
                    record_too_long(p, end, m_line, m_max, m_source);
                fill();
                continue;
            }
            check_record(r, p, end, m_line, names, m_fields.size(), m_source, m_max);
            m_record_line = m_line;
            m_line += r.newlines;
            m_pos = static_cast<std::size_t>(r.next - base);
            for (field& f : m_fields)
                if (f.escaped) unescape(f);
            return read_kind::fields;
        }
    }

    field_list& fields() noexcept { return m_fields; }
    // 1-based line on which the current record starts.
    std::size_t line() const noexcept { return m_record_line; }

private:
    // Moves the unread tail to the front and appends the next block (or more, see the top).
    void fill() {
        const std::size_t keep = m_filled - m_pos;
        if (keep > 0 && m_pos > 0) std::memmove(m_buf.data(), m_buf.data() + m_pos, keep);
        m_pos = 0;
        m_filled = keep;
        const std::size_t want = std::max(m_block, keep);
        if (m_buf.size() < keep + want) m_buf.resize(keep + want);
        m_in.read(m_buf.data() + keep, static_cast<std::streamsize>(want));
        const auto got = static_cast<std::size_t>(m_in.gcount());
        m_filled += got;
        if (got < want) {
            if (m_in.bad()) throw invalid_argument(m_source + ": read error");
            m_eof = true;
        }
    }

    std::istream& m_in;
    const std::string& m_source;
    char m_delim;
    std::size_t m_block;
    std::size_t m_max; // csv_options::max_record_bytes
    std::vector<char> m_buf;
    std::size_t m_pos = 0;    // start of the unread bytes in m_buf
    std::size_t m_filled = 0; // end of the bytes read into m_buf
    bool m_eof = false;
    std::size_t m_line = 1; // line of the next unread byte
    std::size_t m_record_line = 0;
    field_list m_fields;
};

// Appends a key as a CSV field, quoted when it holds a delimiter, a quote or a line break.
void append_key(std::string& out, const key_index& keys, entity_id id) {
    if (keys.type() == key_index::key_type::integer) {
        std::array<char, 24> buf{};
        const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), keys.integer_key(id));
        out.append(buf.data(), res.ptr);
        return;
    }
    const std::string_view k = keys.string_key(id);
    if (k.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(k);
        return;
    }
    out.push_back('"');
    for (const char c : k) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

// Appends the shortest decimal text that reads back as exactly `x`.
void append_double(std::string& out, double x) {
    std::array<char, 32> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), x);
    out.append(buf.data(), res.ptr);
}

} // namespace

namespace {

// The file at `path` opened for reading, or `invalid_argument` naming it and why not.
std::ifstream open_csv(const std::string& path) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        throw invalid_argument(
            "path", "cannot open \"" + path + "\"" +
                        (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
    }
    return in;
}

} // namespace

namespace {

// "a, b, c": the header's names for messages.
std::string header_list_of(std::span<const std::string> header) {
    std::string out;
    for (std::size_t i = 0; i < header.size(); ++i)
        out += (i > 0 ? ", " : "") + header[i];
    return out;
}

// The error of a named column that is not in the header.
parse_error missing_column(const std::string& source, std::size_t line, const std::string& name,
                           const std::string& header_text, const std::string& header_list) {
    return parse_error(source, line, name, header_text,
                       "no such column in the header (columns: " + header_list + ")");
}

} // namespace

csv_columns resolve_columns(std::span<const std::string> header, const csv_columns& chosen,
                            const std::string& source, std::size_t line) {
    auto has = [&header](const std::string& name) {
        return std::find(header.begin(), header.end(), name) != header.end();
    };
    // Every name the caller gave must be in the header.
    for (const std::optional<std::string>* named :
         {&chosen.cost, &chosen.margin, &chosen.unit_cost, &chosen.quantity, &chosen.order,
          &chosen.product, &chosen.channel})
        if (*named && !has(**named)) {
            std::string header_text;
            for (std::size_t i = 0; i < header.size(); ++i)
                header_text += (i > 0 ? "," : "") + header[i];
            throw missing_column(source, line, **named, header_text, header_list_of(header));
        }
    csv_columns c = chosen;
    // A conventional name is free when the header has it and no chosen column uses it.
    auto free = [&](const std::string& name) {
        if (!has(name)) return false;
        for (const std::string* used : {&c.customer, &c.date, &c.amount})
            if (*used == name) return false;
        for (const std::optional<std::string>* used :
             {&c.cost, &c.margin, &c.unit_cost, &c.quantity, &c.order, &c.product, &c.channel})
            if (*used && **used == name) return false;
        return true;
    };
    auto fill = [&](std::optional<std::string>& column, std::initializer_list<const char*> names) {
        if (column) return;
        for (const char* name : names)
            if (free(name)) {
                column = name;
                return;
            }
    };
    fill(c.quantity, {"quantity"});
    fill(c.order, {"order_id", "order"});
    fill(c.product, {"product"});
    fill(c.channel, {"channel"});
    if (!c.cost && !c.margin && !c.unit_cost) {
        if (free("cost"))
            c.cost = "cost";
        else if (free("margin"))
            c.margin = "margin";
        else if (c.quantity && free("unit_cost"))
            c.unit_cost = "unit_cost";
    }
    c.conventional_names = false; // resolved
    return c;
}

csv_columns resolve_columns(const std::string& path, const csv_columns& chosen,
                            const csv_options& options) {
    check_arguments(chosen, options);
    std::ifstream in = open_csv(path);
    csv_reader reader(in, path, options);
    reader.skip_bom();
    std::vector<std::string> names;
    if (!reader.next(names)) throw invalid_argument(path + ": empty file (no header line)");
    for (const field& f : reader.fields())
        names.emplace_back(f.text());
    return resolve_columns(names, chosen, path, reader.line());
}

namespace {

constexpr std::size_t absent = static_cast<std::size_t>(-1);

struct row_layout;

// The columns of a transaction log read so far: the whole log (serial reader, `Column` =
// `vector_column`) or one chunk of it (parallel reader, `span_column`: the chunk's rows written
// in place into the columns of the whole file).
template <template <class> class Column> struct basic_log_columns {
    Column<std::int64_t> time;
    Column<double> amount;
    Column<double> cost;
    Column<double> quantity;
    basic_key_column<Column<std::int64_t>> customer;
    basic_key_column<Column<std::int64_t>> order;
    basic_key_column<Column<std::int64_t>> product;
    basic_key_column<Column<std::int64_t>> channel;
    std::vector<line_mark> lines; // transaction_log::lines, rows of these columns
    std::size_t last_line = 0;    // the line of the last row
};
using log_columns = basic_log_columns<vector_column>;
using chunk_columns = basic_log_columns<span_column>;

// The numbers of one row, checked, before they are appended (`row_layout::append`).
struct row_values {
    std::int64_t time = 0;
    double amount = 0;
    double cost = 0;
    double quantity = 0;
};

// Where the columns of a log are in the records of one file, and how one record becomes a row:
// the rules and error messages every reader shares.
//
// Two ways, one result. `parse` reads a record split into fields (`scan_record`) by the general
// rules, and throws the error of its first bad field. `parse_plain` reads a record straight from
// its bytes in one pass, field by field in the header's order by what the layout makes of each
// column (its `roles`): an integer key by `detail::scan_canonical_integer`, a date by
// `detail::read_plain_date`, a number by `detail::scan_plain_decimal` (the fast paths of the
// general rules, see plain_fields.hpp), a column not used skipped to the next delimiter; each
// followed by exactly the delimiter, the last by LF or CRLF. Whatever it is not sure of (a quote,
// an empty field, a string key or a key column already of strings, a date with a time, an
// exponent, too few or too many fields, no line break yet, a record over the limit, a derived
// cost that is not finite) it leaves to `parse`, untouched: nothing is written before the whole
// record is read, so the reader then splits it and `parse` gives the row or the error it would
// have given anyway.
struct row_layout {
    // What a column of the header is to `parse_plain`.
    enum class role : unsigned char {
        unused,
        customer,
        order,
        product,
        channel,
        date,
        amount,
        quantity,
        cost_source, // the cost, margin or unit cost column
    };

    const std::string* source = nullptr;
    std::size_t max_record = std::numeric_limits<std::size_t>::max(); // csv_options's limit
    std::vector<std::string> names;                                   // the header
    std::size_t customer = absent, date = absent, amount = absent, cost = absent, margin = absent,
                unit_cost = absent, quantity = absent, order = absent, product = absent,
                channel = absent;
    bool has_cost = false;
    std::vector<role> roles; // one a column of the header
    char delimiter = ',';
    // `parse_plain` may be used: no column has two roles and the delimiter is no byte of a plain
    // field (a digit, '-' or '.', which `scan_record` would split such a field at).
    bool plain = false;
    // The columns are exactly `basic_roles` (a log of customer, date and amount): `parse_plain`
    // is then compiled for them (`parse_plain<true>`), the loop over the columns unrolled and
    // the optional columns left out.
    bool basic = false;
    static constexpr std::array<role, 3> basic_roles{role::customer, role::date, role::amount};

    // The column the cost comes from, `absent` without one.
    std::size_t cost_column() const noexcept {
        return cost != absent ? cost : margin != absent ? margin : unit_cost;
    }

    // The cost of a row of amount `a` and quantity `q` whose cost column holds `x`: the cost
    // itself, the amount less the margin, or the unit cost times the quantity.
    double cost_of(double a, double x, double q) const noexcept {
        return cost != absent ? x : margin != absent ? a - x : x * q;
    }

    // Appends the row of `v` (its record starting on `line`; its keys added) to `out`;
    // `Basic` where the layout is `basic` (no quantity, no cost).
    template <bool Basic = false, class Columns>
    void append(const row_values& v, std::size_t line, Columns& out) const {
        out.time.push_back(v.time);
        out.amount.push_back(v.amount);
        if (!Basic && quantity != absent) out.quantity.push_back(v.quantity);
        if (!Basic && has_cost) out.cost.push_back(v.cost);
        // A mark where this row is not on the line after the previous one (transaction_log).
        const std::size_t row = out.time.size() - 1;
        if (row == 0 || line != out.last_line + 1) out.lines.push_back({row, line});
        out.last_line = line;
    }

    // Appends the row of the record `f` (starting on `line`) to `out`, or throws the
    // parse_error of its first bad field.
    template <class Columns> void parse(const field_list& f, std::size_t line, Columns& out) const {
        auto fail = [&](std::size_t col, std::string_view value, const std::string& reason) {
            throw parse_error(*source, line, names[col], value, reason);
        };
        auto key = [&](auto& keys, std::size_t col) {
            const std::string_view text = f[col].text();
            if (text.empty()) fail(col, text, "empty key");
            keys.add(text);
        };
        auto number = [&](std::size_t col) {
            const std::string_view text = f[col].text();
            double x = 0;
            // The one number rule (number.hpp): decimal only, finite.
            const number_status status = read_number(text, x);
            if (status != number_status::ok) fail(col, text, number_reason(status));
            return x;
        };
        key(out.customer, customer);
        row_values v;
        const std::string_view date_text = f[date].text();
        const time_status status = parse_time_status(date_text, v.time);
        if (status != time_status::ok) fail(date, date_text, std::string(describe(status)));
        v.amount = number(amount);
        if (quantity != absent) v.quantity = number(quantity);
        if (has_cost) {
            const std::size_t col = cost_column();
            v.cost = cost_of(v.amount, number(col), v.quantity);
            if (!std::isfinite(v.cost)) fail(col, f[col].text(), "the derived cost is not finite");
        }
        if (order != absent) key(out.order, order);
        if (product != absent) key(out.product, product);
        if (channel != absent) key(out.channel, channel);
        append(v, line, out);
    }

    // Appends the row of the record at `p` (starting on `line`, not a blank line; the bytes end
    // at `end`) to `out` in one pass and returns the start of the following record, or returns
    // nullptr, `out` untouched, when the record is not one it reads for sure (see above).
    // Needs `plain`; `Basic` needs `basic` (then the same, for these columns only).
    template <bool Basic, class Columns>
    char* parse_plain(char* p, const char* end, std::size_t line, Columns& out) const {
        char* const start = p;
        std::array<std::int64_t, 4> keys{}; // customer, order, product, channel
        row_values v;
        double cost_text = 0; // the value of the cost column
        // Inlined into each key role (GCC otherwise keeps it out of line: a call a row).
        auto key = [&](const auto& column, std::int64_t& k) CUSTOMETRICS_PLAIN_LAMBDA_INLINE {
            return column.strings ? nullptr : detail::scan_canonical_integer(p, end, k);
        };
        const char delim = delimiter;
        // Reads the field of role `r` at `p` and the delimiter after it (after the `last`, the
        // line break), `p` then after them; false where the record is not one for sure.
        auto field = [&](role r, bool last) CUSTOMETRICS_PLAIN_LAMBDA_INLINE -> bool {
            const char* q = nullptr;
            switch (r) {
            case role::unused: // not read; a quote stops it and is then no delimiter: refused
                q = detail::find_byte(p, end, delim, '"', '\n');
                break;
            case role::customer:
                q = key(out.customer, keys[0]);
                break;
            case role::order:
                q = key(out.order, keys[1]);
                break;
            case role::product:
                q = key(out.product, keys[2]);
                break;
            case role::channel:
                q = key(out.channel, keys[3]);
                break;
            case role::date:
                if (end - p > 10 && detail::read_plain_date(p, v.time)) q = p + 10;
                break;
            case role::amount:
                q = detail::scan_plain_decimal(p, end, v.amount);
                break;
            case role::quantity:
                q = detail::scan_plain_decimal(p, end, v.quantity);
                break;
            case role::cost_source:
                q = detail::scan_plain_decimal(p, end, cost_text);
                break;
            }
            if (q == nullptr || q == end) return false;
            if (last) {
                if (*q == '\r' && ++q == end) return false;
                if (*q != '\n') return false;
            } else if (*q != delim) {
                return false;
            }
            p += q + 1 - p;
            return true;
        };
        if constexpr (Basic) { // the switches folded
            if (!field(basic_roles[0], false) || !field(basic_roles[1], false) ||
                !field(basic_roles[2], true))
                return nullptr;
        } else {
            const std::size_t n = roles.size();
            for (std::size_t i = 0; i < n; ++i)
                if (!field(roles[i], i + 1 == n)) return nullptr;
        }
        if (static_cast<std::size_t>(p - start) > max_record) return nullptr;
        if (!Basic && has_cost) {
            v.cost = cost_of(v.amount, cost_text, v.quantity);
            if (!std::isfinite(v.cost)) return nullptr;
        }
        out.customer.add_integer(keys[0]);
        if constexpr (!Basic) {
            if (order != absent) out.order.add_integer(keys[1]);
            if (product != absent) out.product.add_integer(keys[2]);
            if (channel != absent) out.channel.add_integer(keys[3]);
        }
        append<Basic>(v, line, out);
        return p;
    }
};

// The layout of a file whose header (on `header_line`) holds `names`: finds every column the
// caller names (and, with `conventional_names`, the conventional ones), or throws the
// parse_error of a missing or repeated column.
row_layout layout_of(std::vector<std::string> names, std::size_t header_line,
                     const std::string& source, const csv_columns& chosen, char delimiter) {
    std::string header_list;
    std::string header_text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) {
            header_list += ", ";
            header_text += delimiter;
        }
        header_list += names[i];
        header_text += names[i];
    }
    auto find = [&](const std::optional<std::string>& name) -> std::size_t {
        if (!name) return absent;
        const auto it = std::find(names.begin(), names.end(), *name);
        if (it == names.end())
            throw missing_column(source, header_line, *name, header_text, header_list);
        if (std::find(it + 1, names.end(), *name) != names.end())
            throw parse_error(source, header_line, *name, header_text,
                              "the column appears more than once in the header");
        return static_cast<std::size_t>(it - names.begin());
    };
    row_layout l;
    l.source = &source;
    l.customer = find(chosen.customer);
    l.date = find(chosen.date);
    l.amount = find(chosen.amount);
    // The columns named by the caller first (their errors name the header as the file has it),
    // then the optional columns found by their conventional names.
    for (const std::optional<std::string>* named :
         {&chosen.cost, &chosen.margin, &chosen.unit_cost, &chosen.quantity, &chosen.order,
          &chosen.product, &chosen.channel})
        find(*named);
    const csv_columns columns =
        chosen.conventional_names ? resolve_columns(names, chosen, source, header_line) : chosen;
    l.cost = find(columns.cost);
    l.margin = find(columns.margin);
    l.unit_cost = find(columns.unit_cost);
    l.quantity = find(columns.quantity);
    l.order = find(columns.order);
    l.product = find(columns.product);
    l.channel = find(columns.channel);
    l.has_cost = l.cost != absent || l.margin != absent || l.unit_cost != absent;
    l.delimiter = delimiter;
    l.plain = std::string_view("0123456789-.").find(delimiter) == std::string_view::npos;
    using role = row_layout::role;
    l.roles.assign(names.size(), role::unused);
    for (const auto& [col, r] : {std::pair{l.customer, role::customer},
                                 {l.order, role::order},
                                 {l.product, role::product},
                                 {l.channel, role::channel},
                                 {l.date, role::date},
                                 {l.amount, role::amount},
                                 {l.quantity, role::quantity},
                                 {l.cost_column(), role::cost_source}})
        if (col != absent) {
            if (l.roles[col] != role::unused) l.plain = false; // one column in two roles
            l.roles[col] = r;
        }
    l.basic = l.plain && std::equal(l.roles.begin(), l.roles.end(), row_layout::basic_roles.begin(),
                                    row_layout::basic_roles.end());
    l.names = std::move(names);
    return l;
}

// The error of a file with a header and no data row.
invalid_argument no_data_rows(const std::string& source) {
    return invalid_argument(source + ": no data rows after the header");
}

// The log of `columns`, every read row: numbers the keys and sorts them when asked.
transaction_log finish_log(log_columns&& columns, const std::string& source,
                           const csv_options& options) {
    if (columns.amount.empty()) throw no_data_rows(source);
    transaction_log log;
    log.time = std::move(columns.time);
    log.amount = std::move(columns.amount);
    log.cost = std::move(columns.cost);
    log.quantity = std::move(columns.quantity);
    log.lines = std::move(columns.lines);
    auto keys = [&options](key_column& k, key_index& index, std::vector<entity_id>& ids) {
        k.finish(options.sort_keys, options.threads);
        index = std::move(k.keys);
        ids = std::move(k.ids);
    };
    keys(columns.customer, log.customer_keys, log.customer);
    keys(columns.order, log.order_keys, log.order);
    keys(columns.product, log.product_keys, log.product);
    keys(columns.channel, log.channel_keys, log.channel);
    if (options.sort_keys) log.sort_keys();
    return log;
}

} // namespace

namespace {

// The layout of the file `reader` starts (its header read), or the reader's error.
row_layout read_header(csv_reader& reader, const std::string& source, const csv_columns& chosen,
                       const csv_options& options) {
    check_arguments(chosen, options);
    reader.skip_bom();
    std::vector<std::string> names;
    if (!reader.next(names)) throw invalid_argument(source + ": empty file (no header line)");
    for (const field& f : reader.fields())
        names.emplace_back(f.text());
    row_layout layout =
        layout_of(std::move(names), reader.line(), source, chosen, options.delimiter);
    layout.max_record = options.max_record_bytes;
    return layout;
}

// Reads the records of `reader` (its header read) into `columns` by `layout`: by the one pass
// (`row_layout::parse_plain`) where it reads the record, else split and by `row_layout::parse`.
// Calls `after()` after each row.
template <class Fn>
void read_rows(csv_reader& reader, const row_layout& layout, log_columns& columns, Fn&& after) {
    auto fast = [&](char* p, char* end, std::size_t line) {
        if (layout.basic) return layout.parse_plain<true>(p, end, line, columns);
        return layout.plain ? layout.parse_plain<false>(p, end, line, columns) : nullptr;
    };
    using read_kind = csv_reader::read_kind;
    for (read_kind got{}; (got = reader.next(layout.names, fast)) != read_kind::nothing;) {
        if (got == read_kind::fields) layout.parse(reader.fields(), reader.line(), columns);
        after();
    }
}

} // namespace

transaction_log read_transactions_csv(std::istream& in, const std::string& source,
                                      const csv_columns& chosen, const csv_options& options) {
    csv_reader reader(in, source, options);
    const row_layout layout = read_header(reader, source, chosen, options);
    log_columns columns;
    std::uint64_t rows = 0;
    read_rows(reader, layout, columns, [&rows] {
        if (++rows % 65536 == 0) report_progress("read", rows, 0); // a stream: total unknown
    });
    report_progress("read", rows, rows);
    return finish_log(std::move(columns), source, options);
}

// The parallel reader (see csv.hpp for the design).
namespace {

// Calls `fn(i)` for every i in [0, n) on `threads` threads, each taking the next index when it
// is free, so that a thread slowed down by other work does not hold the others up.
template <class Fn> void for_each_index(std::size_t n, unsigned threads, Fn&& fn) {
    std::atomic<std::size_t> next{0};
    const auto t = static_cast<unsigned>(std::min<std::size_t>(std::max(threads, 1U), n));
    detail::parallel_chunks(t, t, [&](std::size_t, std::size_t, unsigned) {
        for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1))
            fn(i);
    });
}

// Where the records of one chunk lie: those that start (after blank lines) in [begin, stop).
struct chunk_span {
    const char* first = nullptr; // where its first record starts, blank lines skipped
    const char* stop = nullptr;  // the first record start at or after `stop`: the next chunk's
    std::size_t stop_line = 0;   // its line
    std::exception_ptr error;    // the first error of the chunk, which ends it
};

// The rows of one chunk, read into the columns of the file.
struct chunk_rows : chunk_span {
    chunk_columns columns; // written in place into the columns of the file (`file_columns`)
    std::size_t slot = 0;  // the row of those columns its first row is written to
};

// The columns of the whole file, sized before the chunks are parsed for one row a line (a
// record takes at least one line, so a chunk whose records start on lines [a, b) has at most
// b - a rows): each chunk writes its rows in place from the row of its first line, and the gaps
// that blank lines and quoted line breaks leave are closed once all are parsed. So a chunk's
// rows are never copied when every line is a record, and never held twice. The columns are
// left unset when made (`detail::uninitialised_column`, no zeroing pass on this thread): the
// thread that parses a chunk is the first to touch the pages of its rows, so that page faults
// and the kernel's zeroing of fresh pages are shared out among the threads. A row is read only
// once written: the slots no record filled lie in the gaps, which `close_gap` closes by moving
// written rows over them, and beyond the last row, which the final `resize` drops.
struct file_columns {
    log_columns all;
    std::size_t first_line = 0; // the line of row 0

    file_columns(const row_layout& layout, std::size_t first, std::size_t lines)
        : first_line(first) {
        auto make = [lines](auto& v, bool present) {
            using T = typename std::remove_reference_t<decltype(v)>::value_type;
            if (!present) return;
            v = detail::uninitialised_column<T>(lines);
#ifdef MADV_NOHUGEPAGE
            // Ordinary pages: on the virtual machines measured, the kernel's zeroing of fresh huge
            // pages cost several times that of small pages (docs/benchmarks.md, "First touch").
            const std::size_t bytes = v.size() * sizeof(T);
            if (bytes >= detail::large_allocator<T>::huge_threshold)
                ::madvise(v.data(), bytes, MADV_NOHUGEPAGE); // a hint: failure only costs speed
#endif
        };
        make(all.time, true);
        make(all.amount, true);
        make(all.cost, layout.has_cost);
        make(all.quantity, layout.quantity != absent);
        make(all.customer.ints, true);
        make(all.order.ints, layout.order != absent);
        make(all.product.ints, layout.product != absent);
        make(all.channel.ints, layout.channel != absent);
    }

    // Columns that write the rows of the records from `line` on in place.
    chunk_columns at(std::size_t line) {
        const std::size_t slot = line - first_line;
        auto span = [slot](auto& v) {
            using T = typename std::remove_reference_t<decltype(v)>::value_type;
            return span_column<T>::at(v.empty() ? nullptr : v.data() + slot);
        };
        chunk_columns c;
        c.time = span(all.time);
        c.amount = span(all.amount);
        c.cost = span(all.cost);
        c.quantity = span(all.quantity);
        c.customer.ints = span(all.customer.ints);
        c.order.ints = span(all.order.ints);
        c.product.ints = span(all.product.ints);
        c.channel.ints = span(all.channel.ints);
        return c;
    }
};

// Parses the records of the chunk that starts at `begin` on `line` in the input [.., end) into
// `out`, calling `row()` after each row: it returns false to stop the chunk there (its `stop`
// then the start of the next record). Records are scanned exactly as the serial reader scans
// them with all of the input at hand, and a record that starts before `stop` is read to its end,
// past `stop` if need be. An error is kept, not thrown: the chunk may start inside a quoted
// field (a wrong guess, see csv.hpp), and then its rows and its error are thrown away. Fields
// with doubled quotes are collapsed into `scratch` strings, never in place: neighbouring chunks
// may read the same bytes.
template <class Columns, class Row>
chunk_span parse_records(char* begin, const char* stop, char* end, std::size_t line,
                         const row_layout& layout, char delimiter, Columns& out, Row&& row) {
    chunk_span c;
    field_list fields;
    std::vector<std::string> scratch;
    char* p = skip_blank_lines(begin, end, true, line);
    c.first = p;
    const bool plain = layout.plain;
    const bool basic = layout.basic;
    try {
        while (p < stop) {
            if (plain) {
                char* const next = basic ? layout.parse_plain<true>(p, end, line, out)
                                         : layout.parse_plain<false>(p, end, line, out);
                if (next != nullptr) {
                    ++line; // the record's line break
                    p = next;
                    if (p < end && (*p == '\n' || *p == '\r')) // else no blank line: no call
                        p = skip_blank_lines(p, end, true, line);
                    if (!row()) break;
                    continue;
                }
            }
            const scan_result r = scan_record(p, end, true, delimiter, fields);
            check_record(r, p, end, line, layout.names, fields.size(), *layout.source,
                         layout.max_record);
            if (scratch.size() < fields.size()) scratch.resize(fields.size());
            for (std::size_t i = 0; i < fields.size(); ++i)
                if (fields[i].escaped) {
                    scratch[i].assign(fields[i].begin, fields[i].end);
                    fields[i] = {scratch[i].data(), scratch[i].data() + scratch[i].size(), true};
                    unescape(fields[i]);
                }
            layout.parse(fields, line, out);
            line += r.newlines;
            p = skip_blank_lines(r.next, end, true, line);
            if (!row()) break;
        }
    } catch (...) {
        c.error = std::current_exception();
    }
    c.stop = p;
    c.stop_line = line;
    return c;
}

// The rows of the chunk that starts at `begin` on `line` (`parse_records`), read into `file`
// from the row of `line` on.
chunk_rows parse_chunk(char* begin, const char* stop, char* end, std::size_t line,
                       const row_layout& layout, char delimiter, file_columns& file) {
    chunk_rows c;
    c.columns = file.at(line);
    c.slot = line - file.first_line;
    static_cast<chunk_span&>(c) =
        parse_records(begin, stop, end, line, layout, delimiter, c.columns, [] { return true; });
    return c;
}

// Moves the rows of `part` (in `all`, from its slot on) down to row `row`, closing the gap
// before them; the part's integer keys are pointed at their new place. Only the part's rows,
// all written, are read: the slots of the gap may never have been (see `file_columns`).
void close_gap(log_columns& all, chunk_rows& part, std::size_t row) {
    const std::size_t n = part.columns.amount.size();
    auto move = [&](auto& v, auto& span) {
        if (v.empty()) return;
        std::copy(v.begin() + static_cast<std::ptrdiff_t>(part.slot),
                  v.begin() + static_cast<std::ptrdiff_t>(part.slot + span.size()),
                  v.begin() + static_cast<std::ptrdiff_t>(row));
        if (span.data != nullptr) span.move_to(v.data() + row);
    };
    if (part.slot != row && n > 0) {
        move(all.time, part.columns.time);
        move(all.amount, part.columns.amount);
        move(all.cost, part.columns.cost);
        move(all.quantity, part.columns.quantity);
        move(all.customer.ints, part.columns.customer.ints);
        move(all.order.ints, part.columns.order.ints);
        move(all.product.ints, part.columns.product.ints);
        move(all.channel.ints, part.columns.channel.ints);
    }
    part.slot = row;
}

// The key column that one `key_column` fed the rows of every part in order would hold (before
// `finish`), given `all`, the parts' integer keys in place (their gaps closed, `rows` long).
// Integer parts need nothing more; once one part holds strings, every key is inserted as
// text into one index, part by part, each part's keys in its order of first appearance, which
// is their order of first appearance in the file: so the ids are those the serial reader gives.
void join_keys(std::vector<chunk_rows>& parts,
               basic_key_column<span_column<std::int64_t>> chunk_columns::*member, key_column& all,
               std::size_t rows, unsigned threads) {
    bool strings = false;
    for (chunk_rows& part : parts)
        strings = strings || (part.columns.*member).strings;
    if (!strings) {
        if (!all.ints.empty()) all.ints.resize(rows); // else a column the file does not have
        return;
    }
    // One index for all, then each part's ids mapped through its `remap`, in parallel.
    column<std::int64_t> ints = std::move(all.ints); // the integer parts' keys, in place
    all.ints = {};
    all.strings = true;
    all.ids.resize(rows);
    std::vector<std::vector<entity_id>> remap(parts.size());
    std::array<char, 24> buf{};
    for (std::size_t i = 0; i < parts.size(); ++i) {
        auto& k = parts[i].columns.*member;
        if (!k.strings) {
            for (std::size_t r = 0; r < k.ints.size(); ++r)
                all.ids[parts[i].slot + r] =
                    all.keys.insert(integer_text(ints[parts[i].slot + r], buf));
            continue;
        }
        remap[i].resize(k.keys.size());
        for (std::size_t id = 0; id < k.keys.size(); ++id)
            remap[i][id] = all.keys.insert(k.keys.string_key(static_cast<entity_id>(id)));
        k.keys = {};
    }
    for_each_index(parts.size(), threads, [&](std::size_t i) {
        auto& k = parts[i].columns.*member;
        for (std::size_t r = 0; r < k.ids.size(); ++r)
            all.ids[parts[i].slot + r] = remap[i][k.ids[r]];
        k.ids = {};
    });
}

// The header of the input `bytes` and its data cut into chunks at record starts (steps 1 and 2
// of the parallel reader, see csv.hpp).
struct chunk_plan {
    row_layout layout;
    char* end = nullptr;
    std::vector<std::pair<char*, std::size_t>> chunks; // start and its line
    std::size_t last_line = 0;                         // the line of the data's last byte
    unsigned threads = 1;

    // Where chunk `k` stops: the next one's start, or the end of the input.
    const char* stop(std::size_t k) const noexcept {
        return k + 1 < chunks.size() ? chunks[k + 1].first : end;
    }
    // The bytes of all chunks.
    std::size_t bytes() const noexcept { return static_cast<std::size_t>(end - chunks[0].first); }
};

chunk_plan plan_chunks(std::string_view bytes, const std::string& source, const csv_columns& chosen,
                       const csv_options& options, std::size_t chunk_bytes) {
    check_arguments(chosen, options);
    const unsigned threads = options.threads != 0 ? options.threads : default_threads();
    // Never written: fields with doubled quotes are collapsed into copies (parse_chunk).
    char* const base = const_cast<char*>(bytes.data());
    char* const end = base + bytes.size();
    const char delim = options.delimiter;

    // The header, as the serial reader reads it.
    char* p = base;
    if (bytes.size() >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    std::size_t line = 1;
    p = skip_blank_lines(p, end, true, line);
    if (p == end) throw invalid_argument(source + ": empty file (no header line)");
    field_list fields;
    // Scanned no further than the limit: a file without a line break is refused at once.
    const std::size_t max = options.max_record_bytes;
    char* const header_end = static_cast<std::size_t>(end - p) > max ? p + max + 1 : end;
    const scan_result header = scan_record(p, header_end, header_end == end, delim, fields);
    if (header.status == scan_status::incomplete) record_too_long(p, end, line, max, source);
    check_record(header, p, end, line, {}, fields.size(), source, max);
    std::vector<std::string> names;
    for (field f : fields) {
        std::string name(f.text());
        if (f.escaped) {
            field g{name.data(), name.data() + name.size(), true};
            unescape(g);
            name.resize(static_cast<std::size_t>(g.end - g.begin));
        }
        names.push_back(std::move(name));
    }
    chunk_plan plan;
    plan.threads = threads;
    plan.end = end;
    plan.layout = layout_of(std::move(names), line, source, chosen, delim);
    plan.layout.max_record = options.max_record_bytes;
    char* const data = header.next;

    // Pass 1: quotes and line breaks of each nominal chunk (one vectorised pass, `count_bytes`).
    const auto size = static_cast<std::size_t>(end - data);
    if (chunk_bytes == 0)
        chunk_bytes = std::max(options.block_size, size / (std::size_t{4} * threads) + 1);
    const std::size_t n = std::max<std::size_t>(1, (size + chunk_bytes - 1) / chunk_bytes);
    auto nominal = [&](std::size_t i) { return data + size * i / n; };
    std::vector<std::size_t> quotes(n);
    std::vector<std::size_t> breaks(n);
    for_each_index(n, threads, [&](std::size_t i) {
        std::tie(quotes[i], breaks[i]) = detail::count_bytes(nominal(i), nominal(i + 1), '"', '\n');
    });
    // Pass 2: each chunk but the first starts after the first line break of its nominal range
    // at which the quotes counted from the data's start are even (outside quotes in valid
    // RFC 4180); a range without one joins the previous chunk.
    std::vector<char*> start(n, nullptr);
    std::vector<std::size_t> start_line(n, 0);
    start[0] = data;
    start_line[0] = 1 + static_cast<std::size_t>(std::count(base, data, '\n'));
    std::vector<std::size_t> quotes_before(n, 0);
    std::vector<std::size_t> line_before(n, start_line[0]);
    for (std::size_t i = 1; i < n; ++i) {
        quotes_before[i] = quotes_before[i - 1] + quotes[i - 1];
        line_before[i] = line_before[i - 1] + breaks[i - 1];
    }
    for_each_index(n - 1, threads, [&](std::size_t j) {
        const std::size_t i = j + 1;
        bool inside = quotes_before[i] % 2 == 1;
        std::size_t l = line_before[i];
        char* const stop = nominal(i + 1);
        for (char* q = nominal(i); (q = detail::find_byte(q, stop, '"', '\n', '\n')) < stop; ++q) {
            if (*q == '"') {
                inside = !inside;
            } else {
                ++l;
                if (!inside) {
                    start[i] = q + 1;
                    start_line[i] = l;
                    return;
                }
            }
        }
    });
    for (std::size_t i = 0; i < n; ++i)
        if (start[i] != nullptr) plan.chunks.emplace_back(start[i], start_line[i]);
    plan.last_line = line_before[n - 1] + breaks[n - 1];
    return plan;
}

} // namespace

namespace detail {

transaction_log read_transactions_csv_parallel(std::string_view bytes, const std::string& source,
                                               const csv_columns& chosen,
                                               const csv_options& options,
                                               std::size_t chunk_bytes) {
    const chunk_plan plan = plan_chunks(bytes, source, chosen, options, chunk_bytes);
    const row_layout& layout = plan.layout;
    const auto& chunks = plan.chunks;
    const std::size_t m = chunks.size();
    const unsigned threads = plan.threads;
    char* const end = plan.end;
    const char delim = options.delimiter;
    auto chunk_stop = [&](std::size_t k) { return plan.stop(k); };
    const std::size_t last_line = plan.last_line;

    // Pass 3: parse every chunk, in parallel, in place into the columns of the file.
    file_columns file(layout, chunks[0].second, last_line - chunks[0].second + 1);
    std::vector<chunk_rows> parts(m);
    std::atomic<std::size_t> parsed{0}; // bytes of the chunks parsed (reported by the caller)
    for_each_index(m, threads, [&](std::size_t k) {
        parts[k] =
            parse_chunk(chunks[k].first, chunk_stop(k), end, chunks[k].second, layout, delim, file);
        report_progress("read", parsed += static_cast<std::size_t>(chunk_stop(k) - chunks[k].first),
                        static_cast<std::size_t>(end - chunks[0].first));
    });
    // Reports from worker threads are dropped: the calling thread says "done" once, whoever
    // parsed the last chunk.
    const auto parsed_total = static_cast<std::size_t>(end - chunks[0].first);
    report_progress("read", parsed_total, parsed_total);
    // Check, in file order, that each chunk starts where the previous one stopped; a chunk
    // that does not (it started inside a quoted field) is parsed again from there. The first
    // error of a checked chunk is the first error of the file.
    for (std::size_t k = 0; k < m; ++k) {
        if (k > 0 && parts[k].first != parts[k - 1].stop)
            parts[k] = parse_chunk(const_cast<char*>(parts[k - 1].stop), chunk_stop(k), end,
                                   parts[k - 1].stop_line, layout, delim, file);
        if (parts[k].error) std::rethrow_exception(parts[k].error);
    }

    log_columns& all = file.all;
    // The line marks of the parts, as the serial reader makes them: a part's first mark is
    // dropped when its row is on the line after the previous part's last row. The gaps between
    // the parts' rows closed.
    std::size_t rows = 0;
    for (chunk_rows& part : parts) {
        const std::size_t part_rows = part.columns.amount.size();
        for (const line_mark& mark : part.columns.lines) {
            const std::size_t row = rows + mark.row;
            if (row > 0 && mark.row == 0 && mark.line == all.last_line + 1) continue;
            all.lines.push_back({row, mark.line});
        }
        if (part_rows > 0) all.last_line = part.columns.last_line;
        close_gap(all, part, rows);
        rows += part_rows;
    }
    for (auto* v : {&all.amount, &all.cost, &all.quantity})
        if (!v->empty()) v->resize(rows);
    all.time.resize(rows);
    join_keys(parts, &chunk_columns::customer, all.customer, rows, threads);
    join_keys(parts, &chunk_columns::order, all.order, rows, threads);
    join_keys(parts, &chunk_columns::product, all.product, rows, threads);
    join_keys(parts, &chunk_columns::channel, all.channel, rows, threads);
    return finish_log(std::move(all), source, options);
}

} // namespace detail

// Totals folded while the chunks are parsed (`detail::fold_csv_totals`).
namespace {

// A column of the fold: no rows kept, only the value of the row being read and the count.
template <class T> struct last_value {
    T value{};
    std::size_t n = 0;

    void push_back(T x) noexcept {
        value = x;
        ++n;
    }
    std::size_t size() const noexcept { return n; }
};

// A key column of the fold: the key of the row being read, an integer while canonical, else its
// text (valid until the next record is read). `strings` once a key was not canonical, as
// `basic_key_column`: `parse_plain` then leaves the column's keys to `parse`.
struct fold_key {
    bool strings = false;
    bool is_text = false;
    std::int64_t integer = 0;
    std::string_view text;

    void add_integer(std::int64_t k) noexcept {
        integer = k;
        is_text = false;
    }
    void add(std::string_view key) {
        is_text = !canonical_integer(key, integer);
        if (is_text) {
            strings = true;
            text = key;
        }
    }
    // The key as `key_index::key_string` gives it.
    std::string string() const { return is_text ? std::string(text) : std::to_string(integer); }
};

// Line marks are not kept.
struct no_lines {
    void push_back(const line_mark& /*mark*/) noexcept {}
};

// The "columns" that `row_layout::parse` and `parse_plain` fill, one row at a time.
struct fold_columns {
    last_value<std::int64_t> time;
    last_value<double> amount, cost, quantity;
    fold_key customer, order, product, channel;
    no_lines lines;
    std::size_t last_line = 0;
};

// A table of accumulators indexed by key, zeroed and grown on demand: fresh anonymous pages
// (zero without a pass, on ordinary pages: see `file_columns` on huge pages) that the thread
// using it touches first; grown by `mremap` (no copy) where there is one.
template <class T> class zeroed_table {
public:
    static_assert(std::is_trivially_copyable_v<T>);
    zeroed_table() = default;
    zeroed_table(const zeroed_table&) = delete;
    zeroed_table& operator=(const zeroed_table&) = delete;
    ~zeroed_table() { release(); }

    std::size_t size() const noexcept { return m_size; }
    T& operator[](std::size_t i) noexcept { return m_data[i]; }
    const T& operator[](std::size_t i) const noexcept { return m_data[i]; }

    // Makes room for at least `n` entries (new ones zero), doubling, but to no more than
    // `limit` entries (rounded up to a page) unless `n` asks for more.
    void grow(std::size_t n, std::size_t limit = std::numeric_limits<std::size_t>::max()) {
        if (n <= m_size) return;
        std::size_t m = std::max(
            n, std::min(std::max<std::size_t>(2 * m_size, std::size_t{4096}), limit));
        m = (m * sizeof(T) + page - 1) / page * page / sizeof(T);
#if CUSTOMETRICS_CSV_MMAP && defined(MREMAP_MAYMOVE)
        void* p = m_data == nullptr
                      ? ::mmap(nullptr, m * sizeof(T), PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                      : ::mremap(m_data, m_size * sizeof(T), m * sizeof(T), MREMAP_MAYMOVE);
        if (p == MAP_FAILED) throw std::bad_alloc();
#ifdef MADV_NOHUGEPAGE
        ::madvise(p, m * sizeof(T), MADV_NOHUGEPAGE); // a hint: failure only costs speed
#endif
#else
        // Aligned as T asks (the slots are `alignas(32)`, past what malloc promises).
        void* p = ::operator new(m * sizeof(T), std::align_val_t{alignof(T)});
        std::memset(p, 0, m * sizeof(T));
        if (m_size > 0) std::memcpy(p, m_data, m_size * sizeof(T));
        release();
#endif
        m_data = static_cast<T*>(p);
        m_size = m;
    }

private:
    static constexpr std::size_t page = 4096;
    void release() noexcept {
        if (m_data == nullptr) return;
#if CUSTOMETRICS_CSV_MMAP && defined(MREMAP_MAYMOVE)
        ::munmap(m_data, m_size * sizeof(T));
#else
        ::operator delete(m_data, std::align_val_t{alignof(T)});
#endif
        m_data = nullptr;
    }
    T* m_data = nullptr;
    std::size_t m_size = 0;
};

// One key's accumulator over the window, as `sum_acc` (its rows in the window and their
// compensated sum), and its rows in the whole file (> 0: the key is in the file). 32 bytes.
struct alignas(32) fold_slot {
    std::int64_t now_rows = 0;
    neumaier_sum now;
    std::int64_t rows = 0;

    fold_slot& operator+=(const fold_slot& o) noexcept {
        now_rows += o.now_rows;
        now += o.now;
        rows += o.rows;
        return *this;
    }
};

// A row of a window whose value is not finite: enough to raise `row_measure`'s error.
struct bad_row {
    std::size_t row = 0; // in its chunk
    std::size_t line = 0;
    double amount = 0, cost = 0, quantity = 0;
    std::string customer;
};

// What one chunk folded.
struct fold_chunk : chunk_span {
    std::size_t rows = 0;
    std::optional<bad_row> now_bad, before_bad;
};

} // namespace

namespace detail {

std::optional<folded_totals> fold_csv_totals(std::string_view bytes, const std::string& source,
                                             const csv_columns& columns, const csv_options& options,
                                             const totals_fold_spec& spec,
                                             std::size_t chunk_bytes) {
    if (!options.sort_keys || spec.window.reversed() || (spec.earlier && spec.earlier->reversed()))
        return std::nullopt;
    const chunk_plan plan = plan_chunks(bytes, source, columns, options, chunk_bytes);
    const row_layout& layout = plan.layout;
    const std::size_t key_col = spec.by == dimension::product   ? layout.product
                                : spec.by == dimension::channel ? layout.channel
                                                                : layout.customer;
    const bool has_quantity = layout.quantity != absent;
    if (key_col == absent || (spec.what == measure::profit && !layout.has_cost) ||
        (spec.what == measure::quantity && !has_quantity))
        return std::nullopt; // the in-memory path names what is missing
    fold_key fold_columns::*const key = spec.by == dimension::product   ? &fold_columns::product
                                        : spec.by == dimension::channel ? &fold_columns::channel
                                                                        : &fold_columns::customer;

    // The windows as closed ranges of times (an empty one, from > to, without an earlier one).
    constexpr std::int64_t first = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t last = std::numeric_limits<std::int64_t>::max();
    const std::int64_t now_from = spec.window.start.value_or(first);
    const std::int64_t now_to = spec.window.end.value_or(last);
    const std::int64_t before_from = spec.earlier ? spec.earlier->start.value_or(first) : last;
    const std::int64_t before_to = spec.earlier ? spec.earlier->end.value_or(last) : first;

    const std::size_t m = plan.chunks.size();
    const unsigned t = static_cast<unsigned>(std::min<std::size_t>(plan.threads, m));
    // The keys taken: as `is_dense_range` allows for one row a line, from 0, and no more than
    // the tables of all threads can index within about what the log would hold instead
    // (`fold_memory_per_line` a line, at least `fold_memory_floor`): sparse keys on many threads
    // would otherwise ask for tables many times the log's size.
    const std::size_t lines = plan.last_line - plan.chunks[0].second + 1;
    const std::size_t slot_bytes =
        t * (sizeof(fold_slot) + (spec.earlier ? sizeof(sum_acc) : std::size_t{0}));
    const std::size_t budget = std::max(fold_memory_floor, fold_memory_per_line * lines);
    const auto cap = static_cast<std::int64_t>(std::min<std::size_t>(
        {std::max<std::size_t>(1024, 4 * lines), std::size_t{1} << 31, budget / slot_bytes}));
    const auto slot_cap = static_cast<std::size_t>(cap); // no table grows past it
    std::vector<zeroed_table<fold_slot>> now(t);
    std::vector<zeroed_table<sum_acc>> before(spec.earlier ? t : 0);
    std::vector<fold_chunk> parts(m);
    std::atomic<bool> give_up{false};
    std::atomic<std::size_t> parsed{0};
    // Each thread folds a run of consecutive chunks, in file order, into its own tables: its
    // rows' sums are in file order, and the tables are merged in thread order below.
    parallel_chunks(m, t, [&](std::size_t b, std::size_t e, unsigned c) {
        zeroed_table<fold_slot>& tab = now[c];
        zeroed_table<sum_acc>* tab_before = spec.earlier ? &before[c] : nullptr;
        // The rows' updates wait in a batch (in file order) and are applied a batch at a time,
        // the table entry of the row `ahead` on prefetched: the tables do not fit in the cache,
        // and a miss a row (and its page walk) would otherwise stall the parse every row.
        struct pending {
            std::size_t slot;
            double value;
            bool now, before;
        };
        constexpr std::size_t batch = 1024, ahead = 16;
        std::vector<pending> queue(batch);
        std::size_t queued = 0;
        auto flush = [&] {
            const std::size_t n = queued;
            for (std::size_t i = 0; i < n; ++i) {
                const pending& r = queue[i];
                if (i + ahead < n) {
                    const pending& next = queue[i + ahead];
                    prefetch(&tab[next.slot]);
                    if (next.before) prefetch(&(*tab_before)[next.slot]);
                }
                fold_slot& s = tab[r.slot];
                ++s.rows;
                if (r.now) {
                    ++s.now_rows;
                    s.now(r.value);
                }
                if (r.before) (*tab_before)[r.slot].add(r.value, 0);
            }
            queued = 0;
        };
        for (std::size_t k = b; k < e && !give_up.load(std::memory_order_relaxed); ++k) {
            fold_columns cols;
            fold_chunk& part = parts[k];
            auto keep = [&](std::optional<bad_row>& to) {
                if (!to)
                    to = bad_row{cols.amount.n - 1, cols.last_line,      cols.amount.value,
                                 cols.cost.value,   cols.quantity.value, cols.customer.string()};
            };
            // One row read into `cols`: its update queued, or false (stop) when the fold gives up.
            auto fold_row = [&] {
                const fold_key& id = cols.*key;
                if (id.is_text || id.integer < 0 || id.integer >= cap ||
                    give_up.load(std::memory_order_relaxed)) {
                    give_up.store(true, std::memory_order_relaxed);
                    return false;
                }
                pending r{static_cast<std::size_t>(id.integer), 0.0, false, false};
                if (r.slot >= tab.size()) tab.grow(r.slot + 1, slot_cap);
                const std::int64_t time = cols.time.value;
                const bool in_now = time >= now_from && time <= now_to;
                const bool in_before = time >= before_from && time <= before_to;
                if (in_now || in_before) {
                    r.value = measure_value(spec.what, cols.amount.value, cols.cost.value,
                                            cols.quantity.value);
                    if (!std::isfinite(r.value)) [[unlikely]] {
                        if (in_now) keep(part.now_bad);
                        if (in_before) keep(part.before_bad);
                    } else {
                        r.now = in_now;
                        r.before = in_before;
                        if (in_before && r.slot >= tab_before->size())
                            tab_before->grow(r.slot + 1, slot_cap);
                    }
                }
                queue[queued] = r;
                if (++queued == batch) flush();
                return true;
            };
            static_cast<chunk_span&>(part) = parse_records(
                plan.chunks[k].first, plan.stop(k), plan.end, plan.chunks[k].second, layout,
                options.delimiter, cols, [&] {
                    try {
                        return fold_row();
                    } catch (const std::bad_alloc&) {
                        // A table that cannot grow (or a bad row's key that cannot be kept):
                        // left to the log, which needs less memory for these keys.
                        give_up.store(true, std::memory_order_relaxed);
                        return false;
                    }
                });
            part.rows = cols.amount.n;
            report_progress("read",
                            parsed += static_cast<std::size_t>(plan.stop(k) - plan.chunks[k].first),
                            plan.bytes());
        }
        flush();
    });
    report_progress("read", plan.bytes(), plan.bytes());
    // In file order, as the reader checks: a chunk that does not start where the previous one
    // stopped (a wrong guess, or one given up) leaves the fold to the log.
    for (std::size_t k = 0; k < m; ++k) {
        if (k > 0 && parts[k].first != parts[k - 1].stop) return std::nullopt;
        if (parts[k].error) std::rethrow_exception(parts[k].error);
    }
    if (give_up.load()) return std::nullopt;

    folded_totals out;
    std::size_t first_row = 0; // the row of the chunk's first row
    for (const fold_chunk& part : parts) {
        auto name = [&](const std::optional<bad_row>& bad, std::optional<data_error>& to) {
            if (!bad || to) return;
            try {
                (void)row_measure(spec.what, bad->amount, bad->cost, bad->quantity,
                                  first_row + bad->row, [&] { return bad->customer; });
            } catch (const data_error& e) {
                to = with_line(e, source, bad->line);
            }
        };
        name(part.now_bad, out.now_error);
        name(part.before_bad, out.before_error);
        first_row += part.rows;
    }
    out.rows = first_row;
    if (out.rows == 0) return std::nullopt; // the reader's error

    // The threads' tables merged in thread order (file order), as `aggregate_tables` merges.
    std::size_t slots = 0;
    for (const auto& tab : now)
        slots = std::max(slots, tab.size());
    try {
        now[0].grow(slots);
        if (spec.earlier) before[0].grow(slots);
    } catch (const std::bad_alloc&) {
        return std::nullopt; // left to the log, as a table that cannot grow while read
    }
    merge_tables(std::span(now), t);
    merge_tables(std::span(before), t);
    // The keys in the file (slots with a row), in slot order, collected by block on the threads:
    // each block counts its keys, then writes them at its place in columns left unset, so that
    // the fresh pages are touched (and zeroed by the kernel) on both threads, not one.
    const unsigned ct = thread_count(slots, t, std::size_t{1} << 16);
    std::vector<std::size_t> at(std::size_t{ct} + 1, 0);
    parallel_chunks(slots, ct, [&](std::size_t b, std::size_t e, unsigned c) {
        std::size_t k = 0;
        for (std::size_t g = b; g < e; ++g)
            k += now[0][g].rows > 0 ? 1 : 0;
        at[c + 1] = k;
    });
    std::partial_sum(at.begin(), at.end(), at.begin());
    const std::size_t n = at[ct];
    out.keys = uninitialised_column<std::int64_t>(n);
    out.now_sum = uninitialised_column<double>(n);
    out.now_rows = uninitialised_column<std::int64_t>(n);
    if (spec.earlier) {
        out.before_sum = uninitialised_column<double>(n);
        out.before_rows = uninitialised_column<std::int64_t>(n);
    }
    parallel_chunks(slots, ct, [&](std::size_t b, std::size_t e, unsigned c) {
        std::size_t i = at[c];
        for (std::size_t g = b; g < e; ++g) {
            const fold_slot& s = now[0][g];
            if (s.rows == 0) continue;
            out.keys[i] = static_cast<std::int64_t>(g);
            out.now_sum[i] = s.now.value();
            out.now_rows[i] = s.now_rows;
            if (spec.earlier) {
                out.before_sum[i] = before[0][g].total();
                out.before_rows[i] = before[0][g].count;
            }
            ++i;
        }
    });
    return out;
}

} // namespace detail

namespace {

#if CUSTOMETRICS_CSV_MMAP
// A regular file mapped read-only into memory, when it is larger than `min_size` bytes; else
// (or when it cannot be mapped) empty, and the caller reads it as a stream.
class mapped_file {
public:
    mapped_file(const std::string& path, std::size_t min_size) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        struct stat st {};
        if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            static_cast<std::uint64_t>(st.st_size) > min_size) {
            const auto size = static_cast<std::size_t>(st.st_size);
            void* const p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p != MAP_FAILED) {
                m_data = p;
                m_size = size;
                ::madvise(p, size, MADV_WILLNEED);
            }
        }
        ::close(fd);
    }
    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;
    ~mapped_file() {
        if (m_data != nullptr) ::munmap(m_data, m_size);
    }
    std::string_view bytes() const noexcept {
        return m_data != nullptr ? std::string_view(static_cast<const char*>(m_data), m_size)
                                 : std::string_view();
    }

private:
    void* m_data = nullptr;
    std::size_t m_size = 0;
};
#endif

} // namespace

transaction_log read_transactions_csv(const std::string& path, const csv_columns& columns,
                                      const csv_options& options) {
    if (path == "-") return read_transactions_csv(std::cin, "<stdin>", columns, options);
#if CUSTOMETRICS_CSV_MMAP
    const unsigned threads = options.threads != 0 ? options.threads : default_threads();
    if (threads > 1 && options.block_size > 0) {
        const mapped_file file(path, options.block_size);
        if (!file.bytes().empty())
            return detail::read_transactions_csv_parallel(file.bytes(), path, columns, options);
    }
#endif
    std::ifstream in = open_csv(path);
    return read_transactions_csv(in, path, columns, options);
}

std::optional<detail::folded_totals> detail::fold_csv_totals(const std::string& path,
                                                             const csv_columns& columns,
                                                             const csv_options& options,
                                                             const totals_fold_spec& spec) {
#if CUSTOMETRICS_CSV_MMAP
    const unsigned threads = options.threads != 0 ? options.threads : default_threads();
    if (path != "-" && threads > 1 && options.block_size > 0) {
        const mapped_file file(path, options.block_size);
        if (!file.bytes().empty())
            return fold_csv_totals(file.bytes(), path, columns, options, spec);
    }
#endif
    return std::nullopt;
}

namespace {

// read_csv_numbers on a stream; `source` names it in errors.
std::vector<std::vector<double>> read_csv_numbers(std::istream& in, const std::string& source,
                                                  std::span<const std::string> columns,
                                                  const csv_options& options) {
    check_arguments(csv_columns{}, options);
    csv_reader reader(in, source, options);
    reader.skip_bom();
    std::vector<std::string> names;
    if (!reader.next(names)) throw invalid_argument(source + ": empty file (no header line)");
    for (const field& f : reader.fields())
        names.emplace_back(f.text());
    std::vector<std::size_t> index;
    for (const std::string& c : columns) {
        const auto it = std::find(names.begin(), names.end(), c);
        if (it == names.end())
            throw parse_error(source, reader.line(), c, "", "no such column in the header");
        index.push_back(static_cast<std::size_t>(it - names.begin()));
    }
    std::vector<std::vector<double>> out(columns.size());
    while (reader.next(names)) {
        for (std::size_t k = 0; k < index.size(); ++k) {
            const std::string_view text = reader.fields()[index[k]].text();
            double x = 0;
            const number_status st = read_number(text, x);
            if (st != number_status::ok)
                throw parse_error(source, reader.line(), columns[k], std::string(text),
                                  number_reason(st));
            out[k].push_back(x);
        }
    }
    return out;
}

} // namespace

std::vector<std::vector<double>> read_csv_numbers(const std::string& path,
                                                  std::span<const std::string> columns,
                                                  const csv_options& options) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw invalid_argument("path", "cannot open \"" + path + "\"");
    return read_csv_numbers(in, path, columns, options);
}

transaction_csv read_transactions_with_numbers(const std::string& path, const csv_columns& columns,
                                               std::span<const std::string> numbers,
                                               const csv_options& options) {
    transaction_csv out;
    out.numbers.resize(numbers.size());
    std::vector<std::string> named; // the names given, in order
    for (const std::string& name : numbers)
        if (!name.empty()) named.push_back(name);
    if (named.empty()) {
        out.log = read_transactions_csv(path, columns, options);
        return out;
    }
    // One read of the input (standard input can be read only once), two parses of the bytes.
    std::ostringstream bytes;
    if (path == "-") {
        bytes << std::cin.rdbuf();
    } else {
        std::ifstream file = open_csv(path);
        bytes << file.rdbuf();
    }
    const std::string source = path == "-" ? "<stdin>" : path;
    std::istringstream in(std::move(bytes).str());
    out.log = read_transactions_csv(in, source, columns, options);
    in.clear();
    in.seekg(0);
    std::vector<std::vector<double>> read = read_csv_numbers(in, source, named, options);
    for (std::size_t k = 0, j = 0; k < numbers.size(); ++k)
        if (!numbers[k].empty()) out.numbers[k] = std::move(read[j++]);
    return out;
}

void write_transactions_csv(std::ostream& out, const transaction_log& log) {
    log.view().validate();
    const std::size_t n = log.size();
    auto check_ids = [n](const std::vector<entity_id>& ids, const key_index& keys,
                         const char* name) {
        if (ids.empty()) return;
        if (ids.size() != n)
            throw invalid_argument(name, "has " + std::to_string(ids.size()) +
                                             " rows, customer has " + std::to_string(n));
        for (std::size_t i = 0; i < n; ++i)
            if (ids[i] >= keys.size())
                throw data_error(std::string(name) + ": row " + std::to_string(i) + ": id " +
                                     std::to_string(ids[i]) + " has no key (the index holds " +
                                     std::to_string(keys.size()) + ")",
                                 {name, i, {}, {}, std::to_string(ids[i])});
    };
    check_ids(log.order, log.order_keys, "order");
    check_ids(log.product, log.product_keys, "product");
    check_ids(log.channel, log.channel_keys, "channel");

    std::string buf = "customer_id,date,amount";
    if (!log.cost.empty()) buf += ",cost";
    if (!log.quantity.empty()) buf += ",quantity";
    if (!log.order.empty()) buf += ",order_id";
    if (!log.product.empty()) buf += ",product";
    if (!log.channel.empty()) buf += ",channel";
    buf += '\n';
    constexpr std::size_t flush_at = std::size_t{1} << 20;
    buf.reserve(flush_at + 4096);
    for (std::size_t i = 0; i < n; ++i) {
        append_key(buf, log.customer_keys, log.customer[i]);
        buf += ',';
        buf += format_time(log.time[i]);
        buf += ',';
        append_double(buf, log.amount[i]);
        if (!log.cost.empty()) {
            buf += ',';
            append_double(buf, log.cost[i]);
        }
        if (!log.quantity.empty()) {
            buf += ',';
            append_double(buf, log.quantity[i]);
        }
        if (!log.order.empty()) {
            buf += ',';
            append_key(buf, log.order_keys, log.order[i]);
        }
        if (!log.product.empty()) {
            buf += ',';
            append_key(buf, log.product_keys, log.product[i]);
        }
        if (!log.channel.empty()) {
            buf += ',';
            append_key(buf, log.channel_keys, log.channel[i]);
        }
        buf += '\n';
        if (buf.size() >= flush_at) {
            out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
            buf.clear();
        }
    }
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (!out) throw error("write_transactions_csv: writing to the stream failed");
}

std::string csv_key(const key_index& keys, entity_id id) {
    std::string out;
    append_key(out, keys, id);
    return out;
}

void append_csv_key(std::string& out, const key_index& keys, entity_id id) {
    append_key(out, keys, id);
}

std::string read_text_file(const std::string& path, std::string_view argument) {
    std::ifstream f;
    if (path != "-" && (f.open(path, std::ios::binary), !f))
        throw invalid_argument(std::string(argument), "cannot open \"" + path + "\"", path);
    return path == "-" ? read_side_text(std::cin, "<stdin>") : read_side_text(f, path);
}

std::string read_side_text(std::istream& in, const std::string& source,
                           std::size_t max_line_bytes) {
    if (max_line_bytes == 0) throw invalid_argument("max_line_bytes", "must be > 0, got 0");
    std::string text;
    std::array<char, std::size_t{1} << 16> buf{};
    std::size_t line = 1;       // the line that starts at `start`
    std::size_t start = 0;      // offset of the first byte of the current line
    const auto too_long = [&] { // the line at `start` is longer than the limit
        const char* p = text.data() + start;
        record_too_long(p, text.data() + text.size(), line, max_line_bytes, source);
    };
    while (in.read(buf.data(), buf.size()) || in.gcount() > 0) {
        std::size_t at = text.size();
        text.append(buf.data(), static_cast<std::size_t>(in.gcount()));
        while ((at = text.find('\n', at)) != std::string::npos) {
            if (at + 1 - start > max_line_bytes) too_long();
            start = ++at;
            ++line;
        }
        if (text.size() - start > max_line_bytes) too_long();
    }
    if (in.bad()) throw error(source + ": read error");
    return text;
}

namespace {

// Spill records (csv_parts): row, line (u64), time (i64), amount, [cost], [quantity] (f64), then
// the customer key and [order], [product], [channel] keys, each a u32 length and its bytes.
void put_bytes(std::string& out, const void* p, std::size_t n) {
    out.append(static_cast<const char*>(p), n);
}
template <class T> void put(std::string& out, T x) {
    put_bytes(out, &x, sizeof x);
}
void put_key(std::string& out, std::string_view key) {
    put(out, static_cast<std::uint32_t>(key.size()));
    put_bytes(out, key.data(), key.size());
}

// The text of row `r`'s key in a key column of one block of rows.
std::string_view key_text(const key_column& k, std::size_t r, std::array<char, 24>& buf) {
    return k.strings ? k.keys.string_key(k.ids[r]) : integer_text(k.ints[r], buf);
}

// Reads a spill file in blocks.
class spill_reader {
public:
    explicit spill_reader(const std::string& path) : m_in(path, std::ios::binary) {
        if (!m_in) throw error("cannot open the spill file \"" + path + "\"");
    }
    void get(void* p, std::size_t n) {
        auto* out = static_cast<char*>(p);
        while (n > 0) {
            if (m_pos == m_buf.size()) refill();
            const std::size_t k = std::min(n, m_buf.size() - m_pos);
            std::memcpy(out, m_buf.data() + m_pos, k);
            m_pos += k;
            out += k;
            n -= k;
        }
    }
    template <class T> T get() {
        T x{};
        get(&x, sizeof x);
        return x;
    }
    // Reads a key into `to`; returns a view of it.
    std::string_view key(std::string& to) {
        const auto n = get<std::uint32_t>();
        to.resize(n);
        get(to.data(), n);
        return to;
    }

private:
    void refill() {
        m_buf.resize(std::size_t{1} << 20);
        m_in.read(m_buf.data(), static_cast<std::streamsize>(m_buf.size()));
        m_buf.resize(static_cast<std::size_t>(m_in.gcount()));
        m_pos = 0;
        if (m_buf.empty()) throw error("a spill file ends early");
    }
    std::ifstream m_in;
    std::vector<char> m_buf;
    std::size_t m_pos = 0;
};

} // namespace

detail::csv_parts::csv_parts(const std::string& path, const csv_columns& chosen,
                             const csv_options& options, std::size_t parts, const std::string& dir,
                             std::size_t buffer_bytes, key by)
    : m_source(path == "-" ? "<stdin>" : path), m_options(options), m_part_rows(parts, 0) {
    if (parts == 0) throw invalid_argument("parts", "must be at least 1");
    std::ifstream file;
    if (path != "-") file = open_csv(path);
    std::istream& in = path == "-" ? std::cin : file;
    csv_reader reader(in, m_source, options);
    const row_layout layout = read_header(reader, m_source, chosen, options);
    m_cost = layout.has_cost;
    m_quantity = layout.quantity != absent;
    m_order = layout.order != absent;
    m_product = layout.product != absent;
    m_channel = layout.channel != absent;
    if ((by == key::product && !m_product) || (by == key::channel && !m_channel) ||
        by == key::order)
        by = key::customer;
    std::vector<std::ofstream> out(parts);
    std::vector<std::string> buffer(parts);
    for (std::size_t p = 0; p < parts; ++p) {
        m_files.push_back(dir + "/part-" + std::to_string(p) + ".bin");
        out[p].open(m_files.back(), std::ios::binary | std::ios::trunc);
        if (!out[p]) throw error("cannot create the spill file \"" + m_files.back() + "\"");
    }
    auto flush = [&](std::size_t p) {
        out[p].write(buffer[p].data(), static_cast<std::streamsize>(buffer[p].size()));
        if (!out[p]) throw error("cannot write the spill file \"" + m_files[p] + "\"");
        buffer[p].clear();
    };
    m_first = std::numeric_limits<std::int64_t>::max();
    m_last = std::numeric_limits<std::int64_t>::min();
    log_columns block;
    // Writes the rows of `block` to their parts and empties it.
    auto spill = [&] {
        const std::size_t n = block.time.size();
        std::array<char, 24> buf{};
        std::size_t mark = 0;
        for (std::size_t r = 0; r < n; ++r) {
            while (mark + 1 < block.lines.size() && block.lines[mark + 1].row <= r)
                ++mark;
            const std::string_view customer = key_text(block.customer, r, buf);
            std::array<char, 24> by_buf{};
            const std::string_view by_key = by == key::product ? key_text(block.product, r, by_buf)
                                            : by == key::channel
                                                ? key_text(block.channel, r, by_buf)
                                                : customer;
            const std::size_t p = detail::hash_bytes(by_key) % parts;
            std::string& o = buffer[p];
            put(o, static_cast<std::uint64_t>(m_rows + r));
            put(o,
                static_cast<std::uint64_t>(block.lines[mark].line + (r - block.lines[mark].row)));
            put(o, block.time[r]);
            put(o, block.amount[r]);
            if (m_cost) put(o, block.cost[r]);
            if (m_quantity) put(o, block.quantity[r]);
            put_key(o, customer);
            if (m_order) put_key(o, key_text(block.order, r, buf));
            if (m_product) put_key(o, key_text(block.product, r, buf));
            if (m_channel) put_key(o, key_text(block.channel, r, buf));
            ++m_part_rows[p];
            m_first = std::min(m_first, block.time[r]);
            m_last = std::max(m_last, block.time[r]);
            if (o.size() >= buffer_bytes) flush(p);
        }
        const key_column* keys[] = {&block.customer, &block.order, &block.product, &block.channel};
        for (std::size_t k = 0; k < 4; ++k)
            m_strings[k] = m_strings[k] || keys[k]->strings;
        m_rows += n;
        block = log_columns{};
    };
    read_rows(reader, layout, block, [&] {
        if (block.time.size() == 65536) {
            spill();
            report_progress("read", m_rows, 0);
        }
    });
    spill();
    report_progress("read", m_rows, m_rows);
    if (m_rows == 0) throw no_data_rows(m_source);
    for (std::size_t p = 0; p < parts; ++p) {
        flush(p);
        out[p].close();
        if (!out[p]) throw error("cannot write the spill file \"" + m_files[p] + "\"");
    }
}

void detail::csv_parts::for_each_row(std::size_t p,
                                     const std::function<void(const row&)>& f) const {
    const std::size_t n = m_part_rows.at(p);
    spill_reader in(m_files[p]);
    std::array<std::string, 4> keys; // customer, order, product, channel: the spill's order
    row r;
    for (std::size_t i = 0; i < n; ++i) {
        r.row = in.get<std::uint64_t>();
        r.line = in.get<std::uint64_t>();
        r.time = in.get<std::int64_t>();
        r.amount = in.get<double>();
        if (m_cost) r.cost = in.get<double>();
        if (m_quantity) r.quantity = in.get<double>();
        in.key(keys[0]);
        r.customer = keys[0];
        if (m_order) r.order = in.key(keys[1]);
        if (m_product) r.product = in.key(keys[2]);
        if (m_channel) r.channel = in.key(keys[3]);
        f(r);
    }
}

detail::csv_parts::part detail::csv_parts::read(std::size_t p) const {
    const std::size_t n = m_part_rows.at(p);
    log_columns c;
    key_column* keys[] = {&c.customer, &c.order, &c.product, &c.channel};
    for (std::size_t k = 0; k < 4; ++k)
        if (m_strings[k]) keys[k]->to_strings();
    part out;
    out.rows.reserve(n);
    c.time.reserve(n);
    c.amount.reserve(n);
    for_each_row(p, [&](const row& x) {
        const std::size_t r = out.rows.size();
        out.rows.push_back(x.row);
        c.time.push_back(x.time);
        c.amount.push_back(x.amount);
        if (m_cost) c.cost.push_back(x.cost);
        if (m_quantity) c.quantity.push_back(x.quantity);
        c.customer.add(x.customer);
        if (m_order) c.order.add(x.order);
        if (m_product) c.product.add(x.product);
        if (m_channel) c.channel.add(x.channel);
        if (r == 0 || x.line != c.last_line + 1) c.lines.push_back({r, x.line});
        c.last_line = x.line;
    });
    out.log = finish_log(std::move(c), m_source, m_options);
    return out;
}

CUSTOMETRICS_END_NAMESPACE
