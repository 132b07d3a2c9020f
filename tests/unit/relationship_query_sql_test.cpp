// The SQL of queries through relationships, pinned per dialect: join(rel)
// and outer_join(rel) take their condition from the declaration (through the
// association table for many-to-many), any() and has() are EXISTS subqueries
// correlated to the owner.
#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"
#include "../support/library_schema.hpp"

using namespace ctorm;
using namespace blog;

namespace {

using sqlite = sqlite_dialect;
using pg = postgres_dialect;

template <class D, class Q>
constexpr auto sql_of(const Q&) {
    return to_sql<D, Q>();
}

constexpr auto join_posts = select(users.name, posts.title).from(users).join(user_posts);
static_assert(
    sql_of<sqlite>(join_posts) ==
    R"(SELECT "users"."name", "posts"."title" FROM "users" JOIN "posts" ON "posts"."author_id" = "users"."id")");
static_assert(sql_of<pg>(join_posts) == sql_of<sqlite>(join_posts));

constexpr auto outer_posts = select(users.name, posts.title).from(users).outer_join(user_posts);
static_assert(sql_of<sqlite>(outer_posts) == R"(SELECT "users"."name", "posts"."title" FROM "users" )"
                                             R"(LEFT OUTER JOIN "posts" ON "posts"."author_id" = "users"."id")");

constexpr auto join_author = select(posts.title, users.name).from(posts).join(post_author);
static_assert(
    sql_of<sqlite>(join_author) ==
    R"(SELECT "posts"."title", "users"."name" FROM "posts" JOIN "users" ON "users"."id" = "posts"."author_id")");

constexpr auto join_tags =
    select(library::books.id, library::tags.id).from(library::books).join(library::book_tag_list);
static_assert(
    sql_of<pg>(join_tags) ==
    R"(SELECT "books"."id", "tags"."id" FROM "books" JOIN "book_tags" ON "book_tags"."book_id" = "books"."id" )"
    R"(JOIN "tags" ON "book_tags"."tag_id" = "tags"."id")");

constexpr auto any_popular = select(users.name).where(ctorm::any(user_posts, posts.views > 60));
static_assert(sql_of<sqlite>(any_popular) ==
              R"(SELECT "users"."name" FROM "users" WHERE EXISTS (SELECT "posts"."author_id" FROM "posts" )"
              R"(WHERE "posts"."author_id" = "users"."id" AND "posts"."views" > ?))");
static_assert(sql_of<pg>(any_popular) ==
              R"(SELECT "users"."name" FROM "users" WHERE EXISTS (SELECT "posts"."author_id" FROM "posts" )"
              R"(WHERE "posts"."author_id" = "users"."id" AND "posts"."views" > $1))");

constexpr auto any_post = select(users.name).where(ctorm::any(user_posts));
static_assert(sql_of<sqlite>(any_post) ==
              R"(SELECT "users"."name" FROM "users" WHERE EXISTS (SELECT "posts"."author_id" FROM "posts" )"
              R"(WHERE "posts"."author_id" = "users"."id"))");

constexpr auto active_author = select(posts.title).where(ctorm::has(post_author, users.is_active));
static_assert(sql_of<pg>(active_author) ==
              R"(SELECT "posts"."title" FROM "posts" WHERE EXISTS (SELECT "users"."id" FROM "users" )"
              R"(WHERE "users"."id" = "posts"."author_id" AND "users"."is_active"))");

constexpr auto tagged = select(library::books.id).where(ctorm::any(library::book_tag_list, library::tags.name == "x"));
static_assert(sql_of<pg>(tagged) ==
              R"(SELECT "books"."id" FROM "books" WHERE EXISTS (SELECT "book_tags"."book_id" FROM "book_tags" )"
              R"(JOIN "tags" ON "book_tags"."tag_id" = "tags"."id" WHERE "book_tags"."book_id" = "books"."id" )"
              R"(AND "tags"."name" = $1))");

}  // namespace

TEST_CASE("any() binds its condition's values like any other WHERE") {
    const auto q = select(users.name).where(ctorm::any(user_posts, posts.views > 60));
    int bound = 0;
    auto count = [&](const auto&) { ++bound; };
    q.visit_params(count);
    CHECK(bound == 1);
}
