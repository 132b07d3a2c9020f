// Placeholder that exercises the unit-test build rules; delete once real unit tests exist.
#include <catch2/catch.hpp>

#include <string_view>

TEST_CASE("placeholder: the unit test machinery runs", "[placeholder]") {
    constexpr std::string_view text = "SELECT 1";
    STATIC_REQUIRE(text.size() == 8);
    CHECK(text.front() == 'S');
}

TEST_CASE("placeholder: a second case, with [brackets], commas", "[placeholder]") { CHECK(1 + 1 == 2); }
