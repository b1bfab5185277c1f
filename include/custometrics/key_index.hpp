// Mapping of entity keys (customer, product, channel, order) to dense ids 0..n-1.
//
// Keys are either 64-bit integers or strings, never both in one index. Every later stage works
// on the dense ids, so a key is hashed once, when the log is read.
//
// Two representations, chosen automatically:
// - *dense range*: integer keys that span a compact range (at most 4 slots per key) are
//   looked up in a plain array indexed by `key - min`, with no hashing at all;
// - *hash*: open addressing with linear probing, load factor at most 1/2, capacity a power of
//   two. Integer slots hold the key itself; string slots hold the 64-bit hash and the id, and
//   the characters live in one contiguous arena.
//
// Ids are handed out in order of first insertion; `sort()` renumbers them so that keys
// ascend (integers numerically, strings bytewise) and returns the old-to-new mapping.
// Example:
//     key_index ix;
//     ix.insert(std::int64_t{42}); ix.insert(std::int64_t{7});   // ids 0, 1
//     auto remap = ix.sort();                                      // 7 -> 0, 42 -> 1
#pragma once

#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/detail/parallel.hpp"
#include "custometrics/error.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

namespace detail {
inline std::uint64_t hash_int(std::int64_t k) noexcept {
    auto x = static_cast<std::uint64_t>(k);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}
inline std::uint64_t hash_bytes(std::string_view s) noexcept {
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xff51afd7ed558ccdULL);
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w = 0;
        std::memcpy(&w, s.data() + i, 8);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 29;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, s.data() + i, s.size() - i);
    h = (h ^ tail) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
    return hash_int(static_cast<std::int64_t>(h));
}
/// A hint to start loading the cache line at `p`.
inline void prefetch(const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

/// Smallest and largest of a non-empty column, on `threads` threads (0 = all).
inline std::pair<std::int64_t, std::int64_t> min_max(std::span<const std::int64_t> v,
                                                     unsigned threads) {
    const unsigned t = thread_count(v.size(), threads, std::size_t{1} << 20);
    std::vector<std::pair<std::int64_t, std::int64_t>> part(t, {v[0], v[0]});
    parallel_chunks(v.size(), t, [&](std::size_t b, std::size_t e, unsigned c) {
        std::int64_t lo = v[b];
        std::int64_t hi = v[b];
        for (std::size_t i = b; i < e; ++i) { // branch-free: vectorises
            lo = v[i] < lo ? v[i] : lo;
            hi = v[i] > hi ? v[i] : hi;
        }
        part[c] = {lo, hi};
    });
    std::pair<std::int64_t, std::int64_t> r = part[0];
    for (const auto& p : part)
        r = {std::min(r.first, p.first), std::max(r.second, p.second)};
    return r;
}

/// Whether integer keys spanning `range` (max - min) over `rows` rows are looked up directly
/// by `key - min`: at most 4 slots per row (at least 1024) and below 2^31 slots.
constexpr bool is_dense_range(std::uint64_t range, std::size_t rows) noexcept {
    return range < 4 * std::max<std::uint64_t>(rows, 1024) && range < (std::uint64_t{1} << 31);
}

} // namespace detail

/// Dense id of an entity; `no_id` marks "absent".
using entity_id = std::uint32_t;
inline constexpr entity_id no_id = std::numeric_limits<entity_id>::max();

/// A bijection between keys and dense ids 0..size()-1 (see the file comment).
class key_index {
public:
    /// What kind of keys the index holds; `none` until the first insert.
    enum class key_type { none, integer, string };

    key_index() = default;

    /// Number of distinct keys.
    std::size_t size() const noexcept {
        return m_type == key_type::string ? m_offsets.size() - 1 : m_ints.size();
    }
    bool empty() const noexcept { return size() == 0; }
    key_type type() const noexcept { return m_type; }

    /// Id of integer `key`, inserting it when new. Throws when the index holds strings.
    entity_id insert(std::int64_t key) {
        require(key_type::integer);
        if (!m_dense.empty()) {
            const auto off = static_cast<std::uint64_t>(key) - static_cast<std::uint64_t>(m_min);
            if (key >= m_min && off < m_dense.size()) {
                entity_id& slot = m_dense[off];
                if (slot == no_id) {
                    slot = next_id();
                    m_ints.push_back(key);
                }
                return slot;
            }
            to_hash(); // the key falls outside the range: switch representation
        }
        grow_if_needed();
        std::size_t s = detail::hash_int(key) & m_mask;
        while (m_int_slots[s].id != no_id) {
            if (m_int_slots[s].key == key) return m_int_slots[s].id;
            s = (s + 1) & m_mask;
        }
        const entity_id id = next_id();
        m_int_slots[s] = {key, id};
        m_ints.push_back(key);
        return id;
    }

    /// Id of string `key`, inserting it when new. Throws when the index holds integers.
    entity_id insert(std::string_view key) {
        require(key_type::string);
        grow_if_needed();
        const std::uint64_t h = detail::hash_bytes(key);
        std::size_t s = h & m_mask;
        while (m_str_slots[s].id != no_id) {
            if (matches(m_str_slots[s], h, key)) return m_str_slots[s].id;
            s = (s + 1) & m_mask;
        }
        const entity_id id = next_id();
        m_str_slots[s] = make_slot(h, id, key);
        m_chars.append(key);
        m_offsets.push_back(m_chars.size());
        return id;
    }

    /// Inserts `n` string keys, `key(i)` giving the i-th as a string_view, writing each id to
    /// `ids[i]`. Same result as n calls of `insert`, faster on large inputs: the hash slot of a
    /// key a few rows ahead is prefetched, so that cache misses of consecutive keys overlap.
    template <class KeyAt> void insert_strings(std::size_t n, KeyAt&& key, entity_id* ids) {
        require(key_type::string);
        constexpr std::size_t ahead = 8;
        for (std::size_t i = 0; i < n; ++i) {
            if (i + ahead < n && !m_str_slots.empty())
                detail::prefetch(&m_str_slots[detail::hash_bytes(key(i + ahead)) & m_mask]);
            ids[i] = insert(key(i));
        }
    }

    /// Id of an integer key, or nullopt when absent (or when the index holds strings).
    std::optional<entity_id> find(std::int64_t key) const noexcept {
        if (m_type != key_type::integer) return std::nullopt;
        if (!m_dense.empty()) {
            const auto off = static_cast<std::uint64_t>(key) - static_cast<std::uint64_t>(m_min);
            if (key < m_min || off >= m_dense.size() || m_dense[off] == no_id) return std::nullopt;
            return m_dense[off];
        }
        if (m_int_slots.empty()) return std::nullopt;
        for (std::size_t s = detail::hash_int(key) & m_mask; m_int_slots[s].id != no_id;
             s = (s + 1) & m_mask)
            if (m_int_slots[s].key == key) return m_int_slots[s].id;
        return std::nullopt;
    }

    /// Id of a string key, or nullopt when absent (or when the index holds integers).
    std::optional<entity_id> find(std::string_view key) const noexcept {
        if (m_type != key_type::string || m_str_slots.empty()) return std::nullopt;
        const std::uint64_t h = detail::hash_bytes(key);
        for (std::size_t s = h & m_mask; m_str_slots[s].id != no_id; s = (s + 1) & m_mask)
            if (matches(m_str_slots[s], h, key)) return m_str_slots[s].id;
        return std::nullopt;
    }

    /// Integer key of `id` (the index must hold integers).
    std::int64_t integer_key(entity_id id) const { return m_ints[id]; }
    /// String key of `id` (the index must hold strings); valid until the next insert.
    std::string_view string_key(entity_id id) const {
        return std::string_view(m_chars).substr(m_offsets[id], m_offsets[id + 1] - m_offsets[id]);
    }
    /// Asks the CPU to start loading the key of `id` (its integer, or its string's offsets), for
    /// a loop that reads keys in an order other than id's (a ranking's): a few rows ahead, the
    /// load's cache miss overlaps the work on the rows before it. No effect on the results.
    void prefetch(entity_id id) const noexcept {
        if (m_type == key_type::string)
            detail::prefetch(m_offsets.data() + id);
        else if (m_type == key_type::integer)
            detail::prefetch(m_ints.data() + id);
    }
    /// The key of `id` as text, whatever its type.
    std::string key_string(entity_id id) const {
        return m_type == key_type::string ? std::string(string_key(id))
                                          : std::to_string(integer_key(id));
    }
    /// All integer keys in id order (empty for string keys).
    std::span<const std::int64_t> integer_keys() const noexcept { return m_ints; }

    /// Renumbers ids so that keys ascend; returns `remap` with `remap[old_id] == new_id`.
    std::vector<entity_id> sort() {
        const std::size_t n = size();
        std::vector<entity_id> order(n);
        std::iota(order.begin(), order.end(), entity_id{0});
        if (m_type == key_type::integer) {
            // Sort (key, id) pairs, not ids through the key array: contiguous compares.
            std::vector<std::pair<std::int64_t, entity_id>> kv(n);
            for (std::size_t i = 0; i < n; ++i)
                kv[i] = {m_ints[i], static_cast<entity_id>(i)};
            std::sort(kv.begin(), kv.end());
            for (std::size_t i = 0; i < n; ++i)
                order[i] = kv[i].second;
        } else if (m_type == key_type::string)
            std::sort(order.begin(), order.end(),
                      [&](entity_id a, entity_id b) { return string_key(a) < string_key(b); });
        std::vector<entity_id> remap(n);
        for (std::size_t i = 0; i < n; ++i)
            remap[order[i]] = static_cast<entity_id>(i);
        if (m_type == key_type::integer) {
            column<std::int64_t> ints(n);
            for (std::size_t i = 0; i < n; ++i)
                ints[i] = m_ints[order[i]];
            m_ints = std::move(ints);
            for (auto& s : m_int_slots)
                if (s.id != no_id) s.id = remap[s.id];
            for (auto& d : m_dense)
                if (d != no_id) d = remap[d];
        } else if (m_type == key_type::string) {
            std::string chars;
            chars.reserve(m_chars.size());
            column<std::size_t> offsets{0};
            offsets.reserve(n + 1);
            for (std::size_t i = 0; i < n; ++i) {
                chars.append(string_key(order[i]));
                offsets.push_back(chars.size());
            }
            m_chars = std::move(chars);
            m_offsets = std::move(offsets);
            for (auto& s : m_str_slots)
                if (s.id != no_id) s.id = remap[s.id];
        }
        return remap;
    }

    /// Maps a whole column of integer keys: returns the index (ids ascending by key) and the id
    /// of every row. Uses the dense-range representation when the keys allow it, and both
    /// halves of the work run on `threads` threads (0 = all).
    static std::pair<key_index, std::vector<entity_id>>
    from_integers(std::span<const std::int64_t> keys, unsigned threads = 0) {
        key_index ix;
        ix.m_type = key_type::integer;
        std::vector<entity_id> ids(keys.size());
        if (keys.empty()) return {std::move(ix), std::move(ids)};
        const auto bounds = detail::min_max(keys, threads);
        const std::int64_t lo = bounds.first; // a plain local: lambdas below capture it
        const auto range =
            static_cast<std::uint64_t>(bounds.second) - static_cast<std::uint64_t>(lo);
        const unsigned t = detail::thread_count(keys.size(), threads);
        if (detail::is_dense_range(range, keys.size())) {
            // Dense range: mark present keys, number them in key order, then look rows up.
            ix.m_min = lo;
            ix.m_dense.assign(range + 1, no_id);
            entity_id* dense = ix.m_dense.data();
            detail::parallel_chunks(keys.size(), t, [&](std::size_t b, std::size_t e, unsigned) {
                // Threads may mark the same slot: every writer stores the same value.
                for (std::size_t i = b; i < e; ++i)
                    detail::store_relaxed(dense[keys[i] - lo], entity_id{0});
            });
            entity_id next = 0;
            for (std::size_t off = 0; off <= range; ++off)
                if (dense[off] == 0) {
                    dense[off] = next++;
                    ix.m_ints.push_back(lo + static_cast<std::int64_t>(off));
                }
            detail::parallel_chunks(keys.size(), t, [&](std::size_t b, std::size_t e, unsigned) {
                for (std::size_t i = b; i < e; ++i)
                    ids[i] = dense[keys[i] - lo];
            });
            return {std::move(ix), std::move(ids)};
        }
        // Hash path: prefetch the slot of a row a few rows ahead, so that the cache misses of
        // consecutive rows overlap instead of queueing.
        constexpr std::size_t ahead = 16;
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (i + ahead < keys.size() && !ix.m_int_slots.empty())
                detail::prefetch(&ix.m_int_slots[detail::hash_int(keys[i + ahead]) & ix.m_mask]);
            ids[i] = ix.insert(keys[i]);
        }
        const std::vector<entity_id> remap = ix.sort();
        detail::parallel_chunks(keys.size(), t, [&](std::size_t b, std::size_t e, unsigned) {
            for (std::size_t i = b; i < e; ++i)
                ids[i] = remap[ids[i]];
        });
        return {std::move(ix), std::move(ids)};
    }

    /// The index of `keys`, which must be integers strictly ascending (a table's keys in key
    /// order, as `detail::fold_csv_totals` gives them): key `keys[i]` gets id i. The index that
    /// `from_integers(keys).first` builds (the same representation and ids), without its
    /// per-row work: no ids column, no marking pass, no renumbering, and the keys copied once.
    /// Example: `from_ascending_integers({{3, 7, 12}}).find(7) == 1`.
    static key_index from_ascending_integers(std::span<const std::int64_t> keys) {
        key_index ix;
        ix.m_type = key_type::integer;
        ix.m_ints.assign(keys.begin(), keys.end());
        if (keys.empty()) return ix;
        const std::int64_t lo = keys.front();
        const auto range =
            static_cast<std::uint64_t>(keys.back()) - static_cast<std::uint64_t>(lo);
        if (detail::is_dense_range(range, keys.size())) {
            ix.m_min = lo;
            ix.m_dense.assign(range + 1, no_id);
            for (std::size_t i = 0; i < keys.size(); ++i)
                ix.m_dense[static_cast<std::uint64_t>(keys[i]) - static_cast<std::uint64_t>(lo)] =
                    static_cast<entity_id>(i);
            return ix;
        }
        // Sparse keys: the hash table of the capacity that `from_integers`' inserts grow to (the
        // least 16 * 2^j holding 2n), filled in id order as its last rehash and inserts fill it.
        std::size_t cap = 16;
        while (cap < 2 * keys.size())
            cap *= 2;
        ix.rehash(cap);
        return ix;
    }

private:
    struct int_slot {
        std::int64_t key;
        entity_id id;
    };
    // A string slot keeps keys of up to 16 bytes inline, so that finding a short key costs one
    // cache miss (the slot) instead of three (slot, offset, characters).
    static constexpr std::size_t inline_bytes = 16;
    struct str_slot {
        std::uint64_t hash;
        entity_id id;
        std::uint32_t size;
        char bytes[inline_bytes];
    };
    static str_slot make_slot(std::uint64_t h, entity_id id, std::string_view key) noexcept {
        str_slot slot{h,
                      id,
                      static_cast<std::uint32_t>(std::min<std::size_t>(
                          key.size(), std::numeric_limits<std::uint32_t>::max())),
                      {}};
        if (key.size() <= inline_bytes) std::memcpy(slot.bytes, key.data(), key.size());
        return slot;
    }
    bool matches(const str_slot& slot, std::uint64_t h, std::string_view key) const noexcept {
        if (slot.hash != h || slot.size != key.size()) return false;
        if (key.size() <= inline_bytes) return std::memcmp(slot.bytes, key.data(), key.size()) == 0;
        return string_key(slot.id) == key;
    }

    void require(key_type t) {
        if (m_type == key_type::none) {
            m_type = t;
            if (t == key_type::string) m_offsets.assign(1, 0);
        } else if (m_type != t) {
            throw invalid_argument(
                std::string("key_index: cannot mix integer and string keys (index holds ") +
                (m_type == key_type::integer ? "integers" : "strings") + ")");
        }
    }

    entity_id next_id() const {
        const std::size_t n = size();
        if (n >= no_id) throw invalid_argument("key_index", "more than 4294967294 distinct keys");
        return static_cast<entity_id>(n);
    }

    std::size_t capacity() const noexcept {
        return m_type == key_type::string ? m_str_slots.size() : m_int_slots.size();
    }

    void grow_if_needed() {
        if (2 * (size() + 1) <= capacity()) return;
        rehash(std::max<std::size_t>(16, capacity() * 2));
    }

    void rehash(std::size_t cap) {
        m_mask = cap - 1;
        if (m_type == key_type::integer) {
            m_int_slots.assign(cap, int_slot{0, no_id});
            for (std::size_t id = 0; id < m_ints.size(); ++id) {
                std::size_t s = detail::hash_int(m_ints[id]) & m_mask;
                while (m_int_slots[s].id != no_id)
                    s = (s + 1) & m_mask;
                m_int_slots[s] = {m_ints[id], static_cast<entity_id>(id)};
            }
        } else {
            m_str_slots.assign(cap, str_slot{0, no_id, 0, {}});
            for (std::size_t id = 0; id + 1 < m_offsets.size(); ++id) {
                const std::uint64_t h = detail::hash_bytes(string_key(static_cast<entity_id>(id)));
                std::size_t s = h & m_mask;
                while (m_str_slots[s].id != no_id)
                    s = (s + 1) & m_mask;
                m_str_slots[s] = make_slot(h, static_cast<entity_id>(id),
                                           string_key(static_cast<entity_id>(id)));
            }
        }
    }

    void to_hash() {
        m_dense.clear();
        m_dense.shrink_to_fit();
        std::size_t cap = 16;
        while (cap < 2 * (m_ints.size() + 1))
            cap *= 2;
        rehash(cap);
    }

    // Large arrays are columns (huge pages): lookups hit them at random, and with 4 KiB pages
    // a table of millions of keys misses the TLB on nearly every probe.
    key_type m_type = key_type::none;
    column<std::int64_t> m_ints;   // integer keys by id
    std::string m_chars;           // string keys, concatenated
    column<std::size_t> m_offsets; // string key id spans m_chars[off[id], off[id+1])
    column<int_slot> m_int_slots;  // hash table for integers
    column<str_slot> m_str_slots;  // hash table for strings
    std::size_t m_mask = 0;
    std::int64_t m_min = 0;    // dense range: first key
    column<entity_id> m_dense; // dense range: id by key - m_min
};

CUSTOMETRICS_END_NAMESPACE
