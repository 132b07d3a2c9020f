// join(table) and outer_join(table) without a condition: the condition comes from
// the one foreign key between the joined table and a table in FROM, either way round.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <type_traits>

#include "support/blog_schema.hpp"

using namespace ctorm;
using namespace blog;

TEST_CASE("join(table): the condition from the foreign key, both directions, both dialects", "[unit][query]") {
    constexpr auto posts_of_users = select(users.name, posts.title).from(users).join(posts);
    static_assert(
        to_sql<sqlite_dialect>(posts_of_users) ==
        R"(SELECT "users"."name", "posts"."title" FROM "users" JOIN "posts" ON "posts"."author_id" = "users"."id")");
    static_assert(
        to_sql<postgres_dialect>(posts_of_users) ==
        R"(SELECT "users"."name", "posts"."title" FROM "users" JOIN "posts" ON "posts"."author_id" = "users"."id")");

    constexpr auto authors_of_posts = select(posts.title, users.name).from(posts).join(users);
    static_assert(
        to_sql<sqlite_dialect>(authors_of_posts) ==
        R"(SELECT "posts"."title", "users"."name" FROM "posts" JOIN "users" ON "posts"."author_id" = "users"."id")");

    constexpr auto users_and_posts = select(users.name, posts.title).from(users).outer_join(posts);
    static_assert(
        to_sql<postgres_dialect>(users_and_posts) ==
        R"(SELECT "users"."name", "posts"."title" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."author_id" = "users"."id")");
    static_assert(std::is_same_v<statement_traits<std::remove_cvref_t<decltype(users_and_posts)>>::row_type,
                                 std::tuple<std::string, std::optional<std::string>>>);
    SUCCEED();
}
