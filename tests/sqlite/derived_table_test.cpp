// Derived tables, (SELECT ...) AS "name", in FROM and in joins: text per dialect and results on SQLite.
#include <catch2/catch.hpp>

#include <ctorm/sqlite.hpp>

#include "support/blog_schema.hpp"

using namespace ctorm;
using namespace blog;

namespace {

constexpr auto counts =
    derived<"counts">(select(posts.author_id, count().as<"n">()).where(posts.views > 5).group_by(posts.author_id));

void seed(sqlite::connection& db) {
    db.create_all(users, posts);
    db.execute(insert(users).values(users.email = "a@x", users.name = "Ann"));
    db.execute(insert(users).values(users.email = "b@x", users.name = "Bob"));
    db.execute(insert(users).values(users.email = "c@x", users.name = "Cid"));
    for (int i = 0; i < 6; ++i)
        db.execute(insert(posts).values(posts.title = "t", posts.content = "c", posts.author_id = 1 + i % 2,
                                        posts.views = i * 10));
}

}  // namespace

TEST_CASE("derived table joined: text and values in order", "[sqlite]") {
    const auto q = select(users.name, counts.c<"n">())
                       .join(counts, counts.c<"author_id">() == users.id)
                       .where(users.id > 0)
                       .order_by(users.name);
    STATIC_REQUIRE(
        to_sql<sqlite_dialect>(q) ==
        R"(SELECT "users"."name", "counts"."n" FROM "users" JOIN (SELECT "posts"."author_id", COUNT(*) AS "n" FROM "posts" WHERE "posts"."views" > ? GROUP BY "posts"."author_id") AS "counts" ON "counts"."author_id" = "users"."id" WHERE "users"."id" > ? ORDER BY "users"."name")");
    STATIC_REQUIRE(
        to_sql<postgres_dialect>(q) ==
        R"(SELECT "users"."name", "counts"."n" FROM "users" JOIN (SELECT "posts"."author_id", COUNT(*) AS "n" FROM "posts" WHERE "posts"."views" > $1 GROUP BY "posts"."author_id") AS "counts" ON "counts"."author_id" = "users"."id" WHERE "users"."id" > $2 ORDER BY "users"."name")");
    STATIC_REQUIRE(std::is_same_v<statement_traits<decltype(q)>::row_type, std::tuple<std::string, std::int64_t>>);

    auto db = sqlite::connect("sqlite:///:memory:");
    seed(db);
    // views 0,10,20,30,40,50; author 1 gets 0,20,40 -> 2 over 5; author 2 gets 10,30,50 -> 3.
    const auto rows = db.all(q);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == std::tuple<std::string, std::int64_t>{"Ann", 2});
    CHECK(rows[1] == std::tuple<std::string, std::int64_t>{"Bob", 3});
}

TEST_CASE("derived table as the whole FROM, outer-joined, and in a dynamic select", "[sqlite]") {
    auto db = sqlite::connect("sqlite:///:memory:");
    seed(db);

    const auto only = select(counts.c<"n">()).from(counts).where(counts.c<"n">() > 2);
    STATIC_REQUIRE(
        to_sql<sqlite_dialect>(only) ==
        R"(SELECT "counts"."n" FROM (SELECT "posts"."author_id", COUNT(*) AS "n" FROM "posts" WHERE "posts"."views" > ? GROUP BY "posts"."author_id") AS "counts" WHERE "counts"."n" > ?)");
    CHECK(db.all(only) == std::vector<std::int64_t>{3});

    // Cid has no posts: through an outer join the derived column is optional.
    const auto all_users = select(users.name, counts.c<"n">())
                               .outer_join(counts, counts.c<"author_id">() == users.id)
                               .order_by(users.name);
    STATIC_REQUIRE(std::is_same_v<statement_traits<decltype(all_users)>::row_type,
                                  std::tuple<std::string, std::optional<std::int64_t>>>);
    const auto rows = db.all(all_users);
    REQUIRE(rows.size() == 3);
    CHECK(std::get<1>(rows[2]) == std::nullopt);
    CHECK(std::get<1>(rows[1]) == 3);

    auto search = dynamic(select(users.name, counts.c<"n">()).join(counts, counts.c<"author_id">() == users.id));
    search.where(counts.c<"n">() >= 3);
    CHECK(db.all(search) == std::vector<std::tuple<std::string, std::int64_t>>{{"Bob", 3}});
}
