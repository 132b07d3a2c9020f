// Unit tests for the small types that stand in for standard headers in the
// adapters: detail::shared_const (exception payloads), echo_callback and
// detail::text_map (statement caches).
#include <ctorm/detail/shared_const.hpp>
#include <ctorm/detail/text_map.hpp>
#include <ctorm/engine/echo.hpp>
#include <ctorm/errors.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

TEST_CASE("shared_const: copies share one value and outlive the original") {
    auto* original = new ctorm::detail::shared_const<std::string>(std::string("payload"));
    const std::string* address = &**original;
    ctorm::detail::shared_const<std::string> copy = *original;
    CHECK(&*copy == address);
    delete original;
    CHECK(*copy == "payload");
    ctorm::detail::shared_const<std::string> other(std::string("other"));
    other = copy;
    CHECK(&*other == address);
    static_assert(std::is_nothrow_copy_constructible_v<ctorm::detail::shared_const<std::string>>);
}

TEST_CASE("exceptions copy without throwing and keep their details after a move") {
    static_assert(std::is_nothrow_copy_constructible_v<ctorm::decode_error>);
    static_assert(std::is_nothrow_copy_constructible_v<ctorm::database_error>);
    ctorm::decode_error e("users", "age", "value 300 is out of range for std::int8_t");
    ctorm::decode_error moved = std::move(e);
    CHECK(moved.table() == "users");
    CHECK(e.column() == "age");  // NOLINT(bugprone-use-after-move): still answers
    CHECK(std::string(moved.what()) == "ctorm: users.age: value 300 is out of range for std::int8_t");

    ctorm::database_error d(ctorm::database_error_details{.backend = "postgresql",
                                                          .code = 0,
                                                          .sqlstate = "23505",
                                                          .message = "duplicate key",
                                                          .sql = "INSERT",
                                                          .constraint = "users_email_key",
                                                          .code_text = "postgres SQLSTATE 23505"});
    const ctorm::database_error copy = d;
    CHECK(copy.sqlstate() == "23505");
    CHECK(&copy.message() == &d.message());  // shared, not copied
    CHECK(copy.constraint() == "users_email_key");
}

TEST_CASE("echo_callback: empty, from a lambda, from nullptr, moved") {
    ctorm::echo_callback none;
    CHECK_FALSE(none);
    ctorm::echo_callback off = nullptr;
    CHECK_FALSE(off);

    std::vector<std::string> seen;
    ctorm::echo_callback echo = [&seen](std::string_view sql) { seen.emplace_back(sql); };
    REQUIRE(echo);
    echo("SELECT 1");
    ctorm::echo_callback moved = std::move(echo);
    CHECK_FALSE(echo);  // NOLINT(bugprone-use-after-move): documented empty
    moved("SELECT 2");
    CHECK(seen == std::vector<std::string>{"SELECT 1", "SELECT 2"});
    moved = nullptr;
    CHECK_FALSE(moved);
    static_assert(!std::is_constructible_v<ctorm::echo_callback, int>, "only callables taking string_view");
}

TEST_CASE("text_map: finds by text, not by address, and keeps every entry") {
    ctorm::detail::text_map<std::string, int> map;
    CHECK(map.find("SELECT 1") == nullptr);
    map.emplace("SELECT 1", 1);
    map.emplace("SELECT 2", 2);
    const std::string key = std::string("SELECT ") + "2";
    REQUIRE(map.find(key) != nullptr);
    CHECK(*map.find(key) == 2);
    CHECK(*map.find("SELECT 1") == 1);
    CHECK(map.find("SELECT 3") == nullptr);
    CHECK(map.find("SELECT") == nullptr);
    for (int i = 0; i < 500; ++i) map.emplace("q" + std::to_string(i), i);
    CHECK(map.size() == 502);
    CHECK(*map.find("q499") == 499);
    int sum = 0;
    for (const auto& entry : map) sum += entry.value;
    CHECK(sum == 3 + 499 * 500 / 2);
    map.clear();
    CHECK(map.find("q1") == nullptr);
}

}  // namespace
