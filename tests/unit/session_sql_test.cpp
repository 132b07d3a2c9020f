// The SQL text the session sends for one object, pinned per dialect: the
// INSERT ... RETURNING of the columns the database fills in, the SELECT by
// primary key (composite keys too), the DELETE (with the version when the
// table has one), and the UPDATE of a set of changed columns (run-time text,
// made once per set). Also the compile-time flush order of the blog tables.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>

#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

using namespace ctorm;
using namespace blog;

namespace {

struct Account {
    std::int64_t id{};
    std::string owner;
    std::int64_t balance = 0;
    std::int32_t version = 0;
};
CTORM_TABLE(accounts, Account, (id, primary_key), (owner), (balance), (version, version_id));

using sqlite = sqlite_dialect;
using pg = postgres_dialect;

template <class Table>
using insert_of = typename detail::insert_returning_generated<Table, typename mapping_traits<Table>::generated>::type;

// INSERT ... RETURNING what the database generates: users' id and created_at (server default).
static_assert(
    to_sql<sqlite, insert_of<ctorm_table_users>>() ==
    R"(INSERT INTO "users" ("email", "name", "is_active") VALUES (?, ?, ?) RETURNING "users"."id", "users"."created_at")");
static_assert(
    to_sql<pg, insert_of<ctorm_table_users>>() ==
    R"(INSERT INTO "users" ("email", "name", "is_active") VALUES ($1, $2, $3) RETURNING "users"."id", "users"."created_at")");
// A version_id column is written by the session (1 on insert), not generated.
static_assert(
    to_sql<pg, insert_of<ctorm_table_accounts>>() ==
    R"(INSERT INTO "accounts" ("owner", "balance", "version") VALUES ($1, $2, $3) RETURNING "accounts"."id")");

// SELECT by primary key, one column and composite.
static_assert(to_sql<sqlite, decltype(detail::select_by_key<ctorm_table_users>(1))>() ==
              R"(SELECT "users"."id", "users"."email", "users"."name", "users"."is_active", "users"."created_at" )"
              R"(FROM "users" WHERE "users"."id" = ?)");
static_assert(to_sql<pg, decltype(detail::select_by_key<ctorm_table_post_tags>({}))>() ==
              R"(SELECT "post_tags"."post_id", "post_tags"."tag", "post_tags"."weight" FROM "post_tags" )"
              R"(WHERE "post_tags"."post_id" = $1 AND "post_tags"."tag" = $2)");

// DELETE by key; with a version_id column, by key and version.
static_assert(to_sql<pg, decltype(delete_from(users).where(detail::delete_condition<ctorm_table_users>(User{})))>() ==
              R"(DELETE FROM "users" WHERE "users"."id" = $1)");
static_assert(to_sql<sqlite, decltype(delete_from(accounts).where(
                                 detail::delete_condition<ctorm_table_accounts>(Account{})))>() ==
              R"(DELETE FROM "accounts" WHERE "accounts"."id" = ? AND "accounts"."version" = ?)");

// Parents before children: users, then posts, then post_tags.
static_assert(mapping_traits<ctorm_table_users>::flush_rank < mapping_traits<ctorm_table_posts>::flush_rank);
static_assert(mapping_traits<ctorm_table_posts>::flush_rank < mapping_traits<ctorm_table_post_tags>::flush_rank);

}  // namespace

TEST_CASE("the UPDATE sets only the changed columns, in table order, keyed by the primary key") {
    using update = detail::changed_columns_update<ctorm_table_users>;
    // Bits are column positions: 0 id, 1 email, 2 name, 3 is_active, 4 created_at.
    CHECK(update::render<sqlite>(0b00100) == R"(UPDATE "users" SET "name" = ? WHERE "id" = ?)");
    CHECK(update::render<pg>(0b00100) == R"(UPDATE "users" SET "name" = $1 WHERE "id" = $2)");
    CHECK(update::render<pg>(0b01010) == R"(UPDATE "users" SET "email" = $1, "is_active" = $2 WHERE "id" = $3)");
}

TEST_CASE("a version_id table's UPDATE sets the new version and checks the old one") {
    using update = detail::changed_columns_update<ctorm_table_accounts>;
    // 0 id, 1 owner, 2 balance, 3 version: the session adds the version's bit to every UPDATE.
    CHECK(update::render<sqlite>(0b1100) ==
          R"(UPDATE "accounts" SET "balance" = ?, "version" = ? WHERE "id" = ? AND "version" = ?)");
    CHECK(update::render<pg>(0b1100) ==
          R"(UPDATE "accounts" SET "balance" = $1, "version" = $2 WHERE "id" = $3 AND "version" = $4)");
}

TEST_CASE("the UPDATE binds the changed values, then the key and version the database has") {
    Account before{.id = 7, .owner = "ann", .balance = 10, .version = 3};
    Account now = before;
    now.balance = 25;
    now.version = 4;
    const std::uint64_t changed = detail::changed_columns(ctorm_table_accounts::ctorm_columns{}, now, before);
    CHECK(changed == 0b1100);
    const std::string text = detail::changed_columns_update<ctorm_table_accounts>::render<pg>(changed);
    const detail::changed_columns_update<ctorm_table_accounts> q{text, &now, &before, changed};
    std::string bound;
    auto collect = [&](const auto& v) {
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>) bound += v + ";";
        else bound += std::to_string(v) + ";";
    };
    q.visit_params(collect);
    CHECK(bound == "25;4;7;3;");
}
