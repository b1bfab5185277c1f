// Tests of key_index.hpp: both representations, sorting, from_integers, mixing errors.
#include <custometrics/key_index.hpp>

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace custometrics;

TEST_CASE("integer keys get ids in order of first insertion") {
    key_index ix;
    CHECK(ix.insert(std::int64_t{42}) == 0);
    CHECK(ix.insert(std::int64_t{-7}) == 1);
    CHECK(ix.insert(std::int64_t{42}) == 0);
    CHECK(ix.size() == 2);
    CHECK(ix.find(std::int64_t{-7}) == 1);
    CHECK_FALSE(ix.find(std::int64_t{8}).has_value());
    CHECK_FALSE(ix.find(std::string_view("42")).has_value());
    const auto remap = ix.sort();
    CHECK(remap == std::vector<entity_id>{1, 0});
    CHECK(ix.integer_key(0) == -7);
    CHECK(ix.find(std::int64_t{42}) == 1);
    CHECK(ix.key_string(1) == "42");
}

TEST_CASE("string keys and sorting bytewise") {
    key_index ix;
    for (const char* k : {"b", "a", "ab", "b", ""})
        ix.insert(std::string_view(k));
    CHECK(ix.size() == 4);
    const auto remap = ix.sort();
    // old ids: b=0, a=1, ab=2, ""=3 -> sorted "", a, ab, b
    CHECK(remap == std::vector<entity_id>{3, 1, 2, 0});
    CHECK(ix.string_key(0).empty());
    CHECK(ix.string_key(3) == "b");
    CHECK(ix.find(std::string_view("ab")) == 2);
    CHECK_THROWS_WITH_AS(ix.insert(std::int64_t{1}), doctest::Contains("cannot mix"),
                         invalid_argument);
}

TEST_CASE("growth keeps every key findable") {
    key_index ix;
    for (std::int64_t k = 0; k < 100000; ++k)
        CHECK(ix.insert(k * 7919 - 50000) == static_cast<entity_id>(k));
    for (std::int64_t k = 0; k < 100000; k += 101)
        CHECK(ix.find(k * 7919 - 50000) == static_cast<entity_id>(k));
    key_index sx;
    for (int k = 0; k < 20000; ++k)
        sx.insert("customer-" + std::to_string(k));
    CHECK(sx.find(std::string_view("customer-19999")) == 19999);
}

TEST_CASE("from_integers: dense range and hash paths agree, ids ascend by key") {
    std::mt19937_64 rng(7);
    for (const std::int64_t spread : {std::int64_t{1000}, std::int64_t{1} << 40}) {
        std::vector<std::int64_t> keys(20000);
        for (auto& k : keys)
            k = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(spread)) - 300;
        auto [ix, ids] = key_index::from_integers(keys, 2);
        REQUIRE(ids.size() == keys.size());
        for (std::size_t i = 0; i < keys.size(); ++i)
            CHECK(ix.integer_key(ids[i]) == keys[i]);
        for (std::size_t id = 1; id < ix.size(); ++id)
            CHECK(ix.integer_key(static_cast<entity_id>(id - 1)) <
                  ix.integer_key(static_cast<entity_id>(id)));
        // A key outside the dense range switches representation without losing ids.
        const entity_id big = ix.insert(std::int64_t{1} << 50);
        CHECK(big == ix.size() - 1);
        CHECK(ix.find(keys[123]) == ids[123]);
    }
    auto [empty_ix, empty_ids] = key_index::from_integers({});
    CHECK(empty_ix.empty());
    CHECK(empty_ids.empty());
}

TEST_CASE("from_ascending_integers: the index from_integers builds of ascending keys") {
    std::mt19937_64 rng(11);
    // Dense (gaps of 0 to 3, negative start) and sparse (gaps up to 2^40) ascending keys, and
    // sizes around the hash table's growth steps (8, 9, 16, 17 keys).
    for (const std::uint64_t gap : {std::uint64_t{4}, std::uint64_t{1} << 40})
        for (const std::size_t n : {std::size_t{1}, std::size_t{8}, std::size_t{9},
                                    std::size_t{16}, std::size_t{17}, std::size_t{20000}}) {
            std::vector<std::int64_t> keys(n);
            std::int64_t k = -500;
            for (auto& key : keys) {
                k += 1 + static_cast<std::int64_t>(rng() % gap);
                key = k;
            }
            const key_index ix = key_index::from_ascending_integers(keys);
            const key_index ref = key_index::from_integers(keys, 2).first;
            REQUIRE(ix.size() == n);
            CHECK(ix.type() == key_index::key_type::integer);
            CHECK(std::ranges::equal(ix.integer_keys(), ref.integer_keys()));
            for (std::size_t i = 0; i < n; ++i) {
                CHECK(ix.find(keys[i]) == static_cast<entity_id>(i));
                CHECK(ix.find(keys[i] + 1) == ref.find(keys[i] + 1)); // absent keys too
            }
            CHECK(ix.find(keys.front() - 1) == std::nullopt);
            // Inserting goes on as in the index from_integers builds: new keys, new ids.
            key_index grown = ix;
            key_index grown_ref = ref;
            CHECK(grown.insert(std::int64_t{1} << 50) == grown_ref.insert(std::int64_t{1} << 50));
            CHECK(grown.insert(keys.back()) == static_cast<entity_id>(n - 1));
            CHECK(grown.find(keys.front()) == 0);
        }
    const key_index empty = key_index::from_ascending_integers({});
    CHECK(empty.empty());
    CHECK(empty.type() == key_index::key_type::integer);
}

TEST_CASE("insert_strings equals one insert per key, for inline and long keys") {
    std::vector<std::string> keys;
    for (int k = 0; k < 5000; ++k)
        keys.push_back(k % 3 == 0 ? "a-rather-long-customer-key-" + std::to_string(k % 700)
                                  : "C" + std::to_string(k % 900));
    keys.push_back("exactly16bytes!!");
    keys.push_back("exactly16bytes!?");
    key_index bulk;
    std::vector<entity_id> ids(keys.size());
    bulk.insert_strings(
        keys.size(), [&](std::size_t i) { return std::string_view(keys[i]); }, ids.data());
    key_index one;
    for (std::size_t i = 0; i < keys.size(); ++i)
        CHECK(one.insert(std::string_view(keys[i])) == ids[i]);
    CHECK(bulk.size() == one.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        CHECK(bulk.string_key(ids[i]) == keys[i]);
    CHECK(bulk.find(std::string_view("exactly16bytes!?")) == ids.back());
    CHECK_FALSE(bulk.find(std::string_view("exactly16bytes!.")).has_value());
}

TEST_CASE("prefetch is a hint: every id of each representation, nothing changes") {
    // Integer keys in a dense range, integer keys spread wide (hashed, then sorted) and string
    // keys (inline and long): prefetch of every id, the last included, leaves every key, id and
    // lookup as they were (under the asan-ubsan preset, a read past a column would be caught).
    std::mt19937_64 rng(11);
    std::vector<std::int64_t> range(3000), spread(3000);
    for (auto& k : range)
        k = static_cast<std::int64_t>(rng() % 1000) - 300;
    for (auto& k : spread)
        k = static_cast<std::int64_t>(rng() % (std::uint64_t{1} << 40));
    std::vector<key_index> indexes;
    indexes.push_back(key_index::from_integers(range, 1).first);
    indexes.push_back(key_index::from_integers(spread, 1).first);
    key_index strings;
    for (int k = 0; k < 2000; ++k)
        strings.insert(std::string_view(k % 2 == 0 ? "a-key-longer-than-sixteen-bytes-" +
                                                         std::to_string(k)
                                                   : "C" + std::to_string(k)));
    (void)strings.sort();
    indexes.push_back(std::move(strings));
    indexes.emplace_back(); // empty: no id to prefetch, and none is read
    for (const key_index& ix : indexes) {
        CAPTURE(ix.size());
        std::vector<std::string> before;
        for (entity_id id = 0; id < ix.size(); ++id)
            before.push_back(ix.key_string(id));
        for (entity_id id = 0; id < ix.size(); ++id)
            ix.prefetch(id);
        if (!ix.empty()) ix.prefetch(static_cast<entity_id>(ix.size() - 1)); // the last again
        REQUIRE(ix.size() == before.size());
        for (entity_id id = 0; id < ix.size(); ++id) {
            CHECK(ix.key_string(id) == before[id]);
            const auto found = ix.type() == key_index::key_type::string
                                   ? ix.find(std::string_view(before[id]))
                                   : ix.find(ix.integer_key(id));
            CHECK(found == id);
        }
    }
    // Dense range (range 1000 over 3000 rows: `detail::is_dense_range`), hashed, strings.
    CHECK(detail::is_dense_range(999, range.size()));
    CHECK_FALSE(detail::is_dense_range(std::uint64_t{1} << 39, spread.size()));
    CHECK(indexes[2].type() == key_index::key_type::string);
}
