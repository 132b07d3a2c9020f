// The session's identity map (open addressing, erase by backward shift)
// against std::unordered_map over the same random operations, with integer,
// text and composite keys, through growth, wrap-around and erasing.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <ctorm/orm/identity_map.hpp>

namespace {

template <class Key, class Make>
void same_as_unordered_map(Make make, std::size_t key_space, std::size_t steps, unsigned seed) {
    std::vector<int> objects(key_space);
    ctorm::detail::identity_map<Key, int*> map;
    std::unordered_map<Key, int*, ctorm::detail::key_hash> reference;
    std::mt19937 random(seed);
    for (std::size_t step = 0; step < steps; ++step) {
        const std::size_t n = random() % key_space;
        const Key key = make(n);
        switch (random() % 4) {
            case 0:
            case 1: {
                const auto [value, inserted] = map.try_emplace(Key(key), &objects[n]);
                const auto [it, reference_inserted] = reference.try_emplace(key, &objects[n]);
                REQUIRE(inserted == reference_inserted);
                REQUIRE(value == it->second);
                break;
            }
            case 2: {
                // Erase only when stored with another object's address: never.
                int* other = &objects[(n + 1) % key_space];
                if (key_space > 1) REQUIRE_FALSE(map.erase(key, other));
                REQUIRE(map.erase(key) == (reference.erase(key) == 1));
                break;
            }
            default: {
                const auto it = reference.find(key);
                REQUIRE(map.find(key) == (it == reference.end() ? nullptr : it->second));
            }
        }
        REQUIRE(map.size() == reference.size());
    }
    // Every element still found, and visited once.
    for (const auto& [key, value] : reference) REQUIRE(map.find(key) == value);
    std::size_t visited = 0;
    map.for_each([&](int*) { ++visited; });
    CHECK(visited == reference.size());
    map.clear();
    CHECK(map.empty());
    for (const auto& [key, value] : reference) CHECK(map.find(key) == nullptr);
}

}  // namespace

TEST_CASE("identity_map: the same answers as std::unordered_map", "[unit][orm]") {
    SECTION("integer keys, dense: long runs and wrap-around") {
        same_as_unordered_map<std::int64_t>([](std::size_t n) { return static_cast<std::int64_t>(n); }, 3000, 60000, 1);
    }
    SECTION("integer keys, few: erase empties the map again and again") {
        same_as_unordered_map<std::int64_t>([](std::size_t n) { return static_cast<std::int64_t>(n) * 1024; }, 5, 5000,
                                            2);
    }
    SECTION("text keys") {
        same_as_unordered_map<std::string>([](std::size_t n) { return "key " + std::to_string(n * 7919); }, 800, 20000,
                                           3);
    }
    SECTION("composite keys") {
        same_as_unordered_map<std::tuple<std::int64_t, std::string>>(
            [](std::size_t n) { return std::tuple<std::int64_t, std::string>(n % 13, std::to_string(n / 13)); }, 600,
            20000, 4);
    }
}

TEST_CASE("identity_map: reserve keeps the elements", "[unit][orm]") {
    std::vector<int> objects(100);
    ctorm::detail::identity_map<std::int64_t, int*> map;
    for (std::size_t i = 0; i < 100; ++i) REQUIRE(map.try_emplace(static_cast<std::int64_t>(i), &objects[i]).second);
    map.reserve(10000);
    for (std::size_t i = 0; i < 100; ++i) CHECK(map.find(static_cast<std::int64_t>(i)) == &objects[i]);
    CHECK(map.find(100) == nullptr);
    CHECK(map.size() == 100);
}
