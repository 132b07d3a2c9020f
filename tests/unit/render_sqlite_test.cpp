// The SQL text each statement renders for SQLite, pinned at compile time: one statement, one expected string.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "../support/blog_schema.hpp"

using namespace ctorm;
using namespace blog;

using sqlite = ctorm::sqlite_dialect;

namespace {

// The values a statement binds, in bind order, as text: what the placeholders receive.
struct bound_values {
    std::vector<std::string> values;

    template <class V>
    void operator()(const V& value) {
        values.push_back(describe(value));
    }

    template <class V>
    static std::string describe(const V& value) {
        if constexpr (std::is_same_v<V, bool>) {
            return value ? "true" : "false";
        } else if constexpr (std::is_arithmetic_v<V>) {
            return std::to_string(value);
        } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
            return "'" + std::string(std::string_view(value)) + "'";
        } else {
            return "<value>";
        }
    }
};

template <class Statement>
std::vector<std::string> values_of(const Statement& statement) {
    bound_values visitor;
    statement.visit_params(visitor);
    return visitor.values;
}

std::size_t placeholders_in(std::string_view text) {
    std::size_t n = 0;
    for (char c : text) n += (c == '?') ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("sqlite: comparison operators", "[unit]") {
    static_assert(to_sql<sqlite>(select(users.id).where(users.id == 1)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" = ?)");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id != 1)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" <> ?)");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id < 1)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" < ?)");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id <= 1)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" <= ?)");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id > 1)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" > ?)");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id >= 1)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" >= ?)");
    // The value on the left, and two columns.
    static_assert(to_sql<sqlite>(select(users.id).where(1 < users.id)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE ? < "users"."id")");
    static_assert(to_sql<sqlite>(select(users.id).where(users.email == users.name)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."email" = "users"."name")");
    // A comparison compared with a bool column keeps its parentheses.
    static_assert(to_sql<sqlite>(select(users.id).where(users.is_active == (users.id > 1))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."is_active" = ("users"."id" > ?))");
}

TEST_CASE("sqlite: and, or, not and their parentheses", "[unit]") {
    static_assert(to_sql<sqlite>(select(users.id).where(users.id > 1 && users.is_active)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND "users"."is_active")");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id > 1 || users.is_active)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" > ? OR "users"."is_active")");
    static_assert(to_sql<sqlite>(select(users.id).where(!users.is_active)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE NOT ("users"."is_active"))");
    static_assert(to_sql<sqlite>(select(users.id).where(!(users.id > 1 && users.is_active))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE NOT ("users"."id" > ? AND "users"."is_active"))");
    // a AND (b OR c): the OR keeps its parentheses.
    static_assert(
        to_sql<sqlite>(select(users.id).where(users.id > 1 && (users.email == "a" || users.name == "b"))) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND ("users"."email" = ? OR "users"."name" = ?))");
    // (a AND b) OR c: AND binds tighter, no parentheses needed.
    static_assert(
        to_sql<sqlite>(select(users.id).where((users.id > 1 && users.email == "a") || users.name == "b")) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND "users"."email" = ? OR "users"."name" = ?)");
    // A chain of ANDs stays flat.
    static_assert(
        to_sql<sqlite>(select(users.id).where(users.id > 1 && users.email == "a" && users.name == "b")) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND "users"."email" = ? AND "users"."name" = ?)");
    static_assert(
        to_sql<sqlite>(
            select(users.id).where((users.id > 1 || users.email == "a") && (users.name == "b" || users.is_active))) ==
        R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" > ? OR "users"."email" = ?) AND ("users"."name" = ? OR "users"."is_active"))");
    static_assert(
        to_sql<sqlite>(select(users.id).where(!(users.is_active || users.id > 1) && users.name == "b")) ==
        R"(SELECT "users"."id" FROM "users" WHERE NOT ("users"."is_active" OR "users"."id" > ?) AND "users"."name" = ?)");
}

TEST_CASE("sqlite: like, not like and ilike", "[unit]") {
    static_assert(to_sql<sqlite>(select(users.id).where(users.email.like("a%"))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."email" LIKE ? ESCAPE '\')");
    static_assert(to_sql<sqlite>(select(users.id).where(users.email.not_like("a%"))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."email" NOT LIKE ? ESCAPE '\')");
    // SQLite's LIKE case folding depends on a pragma: ilike says it with lower().
    static_assert(to_sql<sqlite>(select(users.id).where(users.email.ilike("a%"))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE lower("users"."email") LIKE lower(?) ESCAPE '\')");
}

TEST_CASE("sqlite: where(a, b, c) joins its conditions with AND, as where(a).where(b).where(c) does", "[unit]") {
    static_assert(
        to_sql<sqlite>(select(users.id).where(users.id > 1, users.is_active, users.name == "b")) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND "users"."is_active" AND "users"."name" = ?)");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id > 1, users.is_active, users.name == "b")) ==
                  to_sql<sqlite>(select(users.id).where(users.id > 1).where(users.is_active).where(users.name == "b")));
    static_assert(to_sql<sqlite>(update(users).set(users.name = "x").where(users.id > 1, users.is_active)) ==
                  R"(UPDATE "users" SET "name" = ? WHERE "users"."id" > ? AND "users"."is_active")");
    static_assert(to_sql<sqlite>(delete_from(users).where(users.id > 1, users.id < 9)) ==
                  R"(DELETE FROM "users" WHERE "users"."id" > ? AND "users"."id" < ?)");
    CHECK(values_of(select(users.id).where(users.id > 1, users.name == "b", users.id < 9)) ==
          std::vector<std::string>{"1", "'b'", "9"});
}

TEST_CASE("sqlite: contains, startswith, endswith escape the text they are given", "[unit]") {
    using contains_q = decltype(select(users.id).where(users.email.contains("x")));
    using istarts_q = decltype(select(users.id).where(users.email.istartswith("x")));
    static_assert(to_sql<sqlite, contains_q>() ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."email" LIKE ? ESCAPE '\')");
    static_assert(to_sql<sqlite, istarts_q>() ==
                  R"(SELECT "users"."id" FROM "users" WHERE lower("users"."email") LIKE lower(?) ESCAPE '\')");
    CHECK(values_of(select(users.id).where(users.email.contains(R"(50%_a\b)"))) ==
          std::vector<std::string>{R"('%50\%\_a\\b%')"});
    CHECK(values_of(select(users.id).where(users.email.startswith("a_"))) == std::vector<std::string>{R"('a\_%')"});
    CHECK(values_of(select(users.id).where(users.email.endswith("%"))) == std::vector<std::string>{R"('%\%')"});
    CHECK(values_of(select(users.id).where(users.email.icontains(""))) == std::vector<std::string>{"'%%'"});
}

TEST_CASE("sqlite: in_ and not_in with a run-time list: one text whatever its length", "[unit]") {
    using in_q = decltype(select(users.id).where(users.id.in_(std::vector<std::int64_t>{})));
    using not_in_q = decltype(select(users.id).where(users.name.not_in(std::vector<std::string>{})));
    static_assert(to_sql<sqlite, in_q>() ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT value FROM json_each(?)))");
    static_assert(to_sql<sqlite, not_in_q>() ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."name" NOT IN (SELECT value FROM json_each(?)))");
    // The same type, whatever the length: one prepared statement.
    static_assert(std::is_same_v<decltype(users.id.in_(std::vector<std::int64_t>{1})),
                                 decltype(users.id.in_(std::vector<std::int64_t>(1000)))>);
}

TEST_CASE("sqlite: in, not in, between, is null, is not null", "[unit]") {
    static_assert(to_sql<sqlite>(select(users.id).where(users.id.in_(1, 2, 3))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?, ?, ?))");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id.in_(1))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?))");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id.not_in(1, 2, 3))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" NOT IN (?, ?, ?))");
    static_assert(to_sql<sqlite>(select(users.id).where(users.id.between(1, 10))) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" BETWEEN ? AND ?)");
    static_assert(to_sql<sqlite>(select(posts.id).where(posts.published_at.is_null())) ==
                  R"(SELECT "posts"."id" FROM "posts" WHERE "posts"."published_at" IS NULL)");
    static_assert(to_sql<sqlite>(select(posts.id).where(posts.published_at.is_not_null())) ==
                  R"(SELECT "posts"."id" FROM "posts" WHERE "posts"."published_at" IS NOT NULL)");
    static_assert(
        to_sql<sqlite>(select(users.id).where(users.email == "x" && users.id.in_(1, 2) && users.id.between(3, 4))) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."email" = ? AND "users"."id" IN (?, ?) AND "users"."id" BETWEEN ? AND ?)");
}

TEST_CASE("sqlite: order by", "[unit]") {
    static_assert(to_sql<sqlite>(select(users.id).order_by(users.id.asc())) ==
                  R"(SELECT "users"."id" FROM "users" ORDER BY "users"."id" ASC)");
    static_assert(to_sql<sqlite>(select(users.id).order_by(users.id.desc())) ==
                  R"(SELECT "users"."id" FROM "users" ORDER BY "users"."id" DESC)");
    static_assert(to_sql<sqlite>(select(users.id).order_by(users.id)) ==
                  R"(SELECT "users"."id" FROM "users" ORDER BY "users"."id")");
    static_assert(to_sql<sqlite>(select(users.id).order_by(users.created_at.desc(), users.id)) ==
                  R"(SELECT "users"."id" FROM "users" ORDER BY "users"."created_at" DESC, "users"."id")");
    // A second order_by() adds terms after the first.
    static_assert(to_sql<sqlite>(select(users.id).order_by(users.created_at.desc()).order_by(users.id.asc())) ==
                  R"(SELECT "users"."id" FROM "users" ORDER BY "users"."created_at" DESC, "users"."id" ASC)");
}

TEST_CASE("sqlite: limit, offset and distinct", "[unit]") {
    static_assert(to_sql<sqlite>(select(users.id).limit(10)) == R"(SELECT "users"."id" FROM "users" LIMIT ?)");
    // SQLite has no OFFSET without LIMIT: LIMIT -1 means no limit.
    static_assert(to_sql<sqlite>(select(users.id).offset(20)) ==
                  R"(SELECT "users"."id" FROM "users" LIMIT -1 OFFSET ?)");
    static_assert(to_sql<sqlite>(select(users.id).limit(10).offset(20)) ==
                  R"(SELECT "users"."id" FROM "users" LIMIT ? OFFSET ?)");
    static_assert(to_sql<sqlite>(select(users.id).offset(20).limit(10)) ==
                  R"(SELECT "users"."id" FROM "users" LIMIT ? OFFSET ?)");
    static_assert(to_sql<sqlite>(select(users.email).distinct()) == R"(SELECT DISTINCT "users"."email" FROM "users")");
    static_assert(
        to_sql<sqlite>(select(users.id).distinct().where(users.id > 1).order_by(users.id).limit(10).offset(20)) ==
        R"(SELECT DISTINCT "users"."id" FROM "users" WHERE "users"."id" > ? ORDER BY "users"."id" LIMIT ? OFFSET ?)");
}

TEST_CASE("sqlite: counts", "[unit]") {
    static_assert(to_sql<sqlite>(select(count()).from(users)) == R"(SELECT COUNT(*) FROM "users")");
    static_assert(to_sql<sqlite>(select(count(posts.published_at))) ==
                  R"(SELECT COUNT("posts"."published_at") FROM "posts")");
    static_assert(to_sql<sqlite>(select(count_distinct(posts.author_id))) ==
                  R"(SELECT COUNT(DISTINCT "posts"."author_id") FROM "posts")");
    static_assert(to_sql<sqlite>(select(count()).from(users).where(users.is_active)) ==
                  R"(SELECT COUNT(*) FROM "users" WHERE "users"."is_active")");
}

TEST_CASE("sqlite: what select selects and where FROM comes from", "[unit]") {
    static_assert(
        to_sql<sqlite>(select(users)) ==
        R"(SELECT "users"."id", "users"."email", "users"."name", "users"."is_active", "users"."created_at" FROM "users")");
    static_assert(
        to_sql<sqlite>(select(posts)) ==
        R"(SELECT "posts"."id", "posts"."title", "posts"."content", "posts"."author_id", "posts"."views", "posts"."published_at" FROM "posts")");
    static_assert(to_sql<sqlite>(select(users.id, users.email)) ==
                  R"(SELECT "users"."id", "users"."email" FROM "users")");
    // FROM lists each table of the selected columns once, in order.
    static_assert(to_sql<sqlite>(select(users.id, posts.title, users.email)) ==
                  R"(SELECT "users"."id", "posts"."title", "users"."email" FROM "users", "posts")");
    // from() adds a table that nothing selected names (its tables come first), and a table already there once.
    static_assert(to_sql<sqlite>(select(count()).from(posts).where(posts.views > 10)) ==
                  R"(SELECT COUNT(*) FROM "posts" WHERE "posts"."views" > ?)");
    static_assert(to_sql<sqlite>(select(users.id).from(users).where(users.is_active)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."is_active")");
    static_assert(to_sql<sqlite>(select(users.id).from(posts).where(posts.author_id == users.id)) ==
                  R"(SELECT "users"."id" FROM "posts", "users" WHERE "posts"."author_id" = "users"."id")");
}

TEST_CASE("sqlite: where() twice is joined with AND", "[unit]") {
    static_assert(to_sql<sqlite>(select(users.id).where(users.id > 1).where(users.is_active)) ==
                  R"(SELECT "users"."id" FROM "users" WHERE "users"."id" > ? AND "users"."is_active")");
    static_assert(
        to_sql<sqlite>(select(users.id).where(users.id > 1 || users.is_active).where(users.name == "x")) ==
        R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" > ? OR "users"."is_active") AND "users"."name" = ?)");
}

TEST_CASE("sqlite: insert", "[unit]") {
    // The autoincrement id and the server-defaulted created_at are left to the database.
    const User ann{};
    const auto one_user = insert(users).values(ann);
    static_assert(to_sql<sqlite>(one_user) == R"(INSERT INTO "users" ("email", "name", "is_active") VALUES (?, ?, ?))");

    const Post post{};
    const auto one_post = insert(posts).values(post);
    static_assert(
        to_sql<sqlite>(one_post) ==
        R"(INSERT INTO "posts" ("title", "content", "author_id", "views", "published_at") VALUES (?, ?, ?, ?, ?))");

    // A composite key is not generated: every column is written.
    const PostTag tag{};
    const auto one_tag = insert(post_tags).values(tag);
    static_assert(to_sql<sqlite>(one_tag) ==
                  R"(INSERT INTO "post_tags" ("post_id", "tag", "weight") VALUES (?, ?, ?))");

    // Every supported type, nullable or not (and, on PostgreSQL, placeholders past $9).
    const Everything row{};
    const auto one_of_everything = insert(everything).values(row);
    static_assert(
        to_sql<sqlite>(one_of_everything) ==
        R"(INSERT INTO "everything" ("i8", "i16", "i32", "i64", "u8", "u16", "u32", "flag", "f32", "f64", "text_value", "bytes", "at", "day", "feeling", "maybe_int", "maybe_real", "maybe_text", "maybe_bytes", "maybe_at", "maybe_day", "maybe_flag", "maybe_feeling") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))");

    const std::vector<User> rows(3);
    const auto bulk = insert(users).values(rows);
    static_assert(to_sql<sqlite>(bulk) == R"(INSERT INTO "users" ("email", "name", "is_active") VALUES (?, ?, ?))");

    static_assert(to_sql<sqlite>(insert(users).values(users.email = "a", users.name = "b")) ==
                  R"(INSERT INTO "users" ("email", "name") VALUES (?, ?))");
    static_assert(to_sql<sqlite>(insert(users).values(users.name = "b", users.email = "a", users.is_active = false)) ==
                  R"(INSERT INTO "users" ("name", "email", "is_active") VALUES (?, ?, ?))");
}

TEST_CASE("sqlite: update and delete", "[unit]") {
    static_assert(to_sql<sqlite>(update(users).set(users.name = "x", users.is_active = false).where(users.id == 1)) ==
                  R"(UPDATE "users" SET "name" = ?, "is_active" = ? WHERE "users"."id" = ?)");
    // A second set() adds assignments; a second where() is ANDed.
    static_assert(
        to_sql<sqlite>(update(users)
                           .set(users.name = "x")
                           .set(users.is_active = false)
                           .where(users.id > 1)
                           .where(users.email.like("%@x.io"))) ==
        R"(UPDATE "users" SET "name" = ?, "is_active" = ? WHERE "users"."id" > ? AND "users"."email" LIKE ? ESCAPE '\')");
    // Every row.
    static_assert(to_sql<sqlite>(update(users).set(users.is_active = true)) == R"(UPDATE "users" SET "is_active" = ?)");
    static_assert(to_sql<sqlite>(update(posts).set(posts.published_at = std::nullopt)) ==
                  R"(UPDATE "posts" SET "published_at" = ?)");
    static_assert(to_sql<sqlite>(update(users).set(users.name = users.email)) ==
                  R"(UPDATE "users" SET "name" = "users"."email")");

    static_assert(to_sql<sqlite>(delete_from(users).where(users.id == 1)) ==
                  R"(DELETE FROM "users" WHERE "users"."id" = ?)");
    static_assert(to_sql<sqlite>(delete_from(users)) == R"(DELETE FROM "users")");
}

TEST_CASE("sqlite: create table and drop table", "[unit]") {
    static_assert(
        to_sql<sqlite>(create_table(users)) ==
        R"(CREATE TABLE IF NOT EXISTS "users" ("id" INTEGER PRIMARY KEY, "email" TEXT NOT NULL CHECK (length("email") <= 255), "name" TEXT NOT NULL CHECK (length("name") <= 100), "is_active" INTEGER NOT NULL DEFAULT 1, "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')) STRICT; CREATE UNIQUE INDEX IF NOT EXISTS "ix_users_email" ON "users" ("email"))");
    static_assert(
        to_sql<sqlite>(create_table(posts)) ==
        R"(CREATE TABLE IF NOT EXISTS "posts" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL CHECK (length("title") <= 200), "content" TEXT NOT NULL, "author_id" INTEGER NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE, "views" INTEGER NOT NULL DEFAULT 0, "published_at" TEXT) STRICT; CREATE INDEX IF NOT EXISTS "ix_posts_author_id" ON "posts" ("author_id"))");
    static_assert(
        to_sql<sqlite>(create_table(post_tags)) ==
        R"(CREATE TABLE IF NOT EXISTS "post_tags" ("post_id" INTEGER NOT NULL REFERENCES "posts" ("id") ON DELETE CASCADE, "tag" TEXT NOT NULL CHECK (length("tag") <= 50), "weight" INTEGER NOT NULL DEFAULT 1, PRIMARY KEY ("post_id", "tag")) STRICT; CREATE INDEX IF NOT EXISTS "ix_post_tags_tag_weight" ON "post_tags" ("tag", "weight"))");
    static_assert(
        to_sql<sqlite>(create_table(everything)) ==
        R"(CREATE TABLE IF NOT EXISTS "everything" ("id" INTEGER PRIMARY KEY, "i8" INTEGER NOT NULL, "i16" INTEGER NOT NULL, "i32" INTEGER NOT NULL, "i64" INTEGER NOT NULL, "u8" INTEGER NOT NULL, "u16" INTEGER NOT NULL, "u32" INTEGER NOT NULL, "flag" INTEGER NOT NULL, "f32" REAL NOT NULL, "f64" REAL NOT NULL, "text_value" TEXT NOT NULL, "bytes" BLOB NOT NULL, "at" TEXT NOT NULL, "day" TEXT NOT NULL, "feeling" INTEGER NOT NULL, "maybe_int" INTEGER, "maybe_real" REAL, "maybe_text" TEXT, "maybe_bytes" BLOB, "maybe_at" TEXT, "maybe_day" TEXT, "maybe_flag" INTEGER, "maybe_feeling" INTEGER) STRICT)");
    static_assert(to_sql<sqlite>(drop_table(users)) == R"(DROP TABLE IF EXISTS "users")");
    static_assert(to_sql<sqlite>(drop_table(post_tags)) == R"(DROP TABLE IF EXISTS "post_tags")");
}

TEST_CASE("sqlite: a statement holding run-time values has constant text", "[unit]") {
    const std::string email = GENERATE(as<std::string>{}, "ann@example.com", "bob@example.com");
    const auto query = select(users).where(users.email == email && users.id > 7);

    // Usable in a constant expression although email is only known now.
    constexpr std::string_view text = to_sql<sqlite>(query);
    static_assert(
        text ==
        R"(SELECT "users"."id", "users"."email", "users"."name", "users"."is_active", "users"."created_at" FROM "users" WHERE "users"."email" = ? AND "users"."id" > ?)");
    REQUIRE(text.find(email) == std::string_view::npos);
    REQUIRE(values_of(query) == std::vector<std::string>{"'" + email + "'", "7"});
    REQUIRE(placeholders_in(text) == values_of(query).size());
}

TEST_CASE("sqlite: statements that differ only in their values share one text", "[unit]") {
    const std::string ann = "ann@example.com";
    const std::string bob = "bob@example.com";
    const auto first = select(users.id).where(users.email == ann);
    const auto second = select(users.id).where(users.email == bob);
    const auto literal = select(users.id).where(users.email == "carol@example.com");
    STATIC_REQUIRE(std::is_same_v<decltype(first), decltype(second)>);
    STATIC_REQUIRE(std::is_same_v<decltype(first), decltype(literal)>);  // lvalue strings and literals are viewed alike
    REQUIRE(to_sql<sqlite>(first).data() == to_sql<sqlite>(second).data());
    REQUIRE(to_sql<sqlite>(first).data() == to_sql<sqlite>(literal).data());

    std::int64_t id = 1;
    const auto by_one = update(users).set(users.name = ann).where(users.id == id);
    id = 2;
    const auto by_two = update(users).set(users.name = bob).where(users.id == id);
    STATIC_REQUIRE(std::is_same_v<decltype(by_one), decltype(by_two)>);
    REQUIRE(to_sql<sqlite>(by_one).data() == to_sql<sqlite>(by_two).data());
    REQUIRE(values_of(by_one) == std::vector<std::string>{"'ann@example.com'", "1"});
    REQUIRE(values_of(by_two) == std::vector<std::string>{"'bob@example.com'", "2"});

    // Different value types (int and std::int64_t) give other statement types, with equal text.
    const auto by_int = select(users.id).where(users.id == 1);
    const auto by_int64 = select(users.id).where(users.id == std::int64_t{1});
    REQUIRE(to_sql<sqlite>(by_int) == to_sql<sqlite>(by_int64));
}

TEST_CASE("sqlite: values are bound in placeholder order", "[unit]") {
    const auto query = select(users.id)
                           .where(users.id > 1 && (users.email == "a" || users.name.like("b%")))
                           .where(users.id.in_(4, 5))
                           .order_by(users.id)
                           .limit(10)
                           .offset(20);
    REQUIRE(values_of(query) == std::vector<std::string>{"1", "'a'", "'b%'", "4", "5", "10", "20"});
    REQUIRE(placeholders_in(to_sql<sqlite>(query)) == 7);

    // OFFSET alone renders LIMIT -1, a constant, and binds only the offset.
    const auto only_offset = select(users.id).offset(20);
    REQUIRE(values_of(only_offset) == std::vector<std::string>{"20"});
    REQUIRE(placeholders_in(to_sql<sqlite>(only_offset)) == 1);

    const auto change = update(users).set(users.name = "x", users.is_active = false).where(users.id.between(3, 4));
    REQUIRE(values_of(change) == std::vector<std::string>{"'x'", "false", "3", "4"});

    User ann{};
    ann.email = "ann@example.com";
    ann.name = "Ann";
    ann.is_active = false;
    const auto add = insert(users).values(ann);
    REQUIRE(values_of(add) == std::vector<std::string>{"'ann@example.com'", "'Ann'", "false"});
    REQUIRE(placeholders_in(to_sql<sqlite>(add)) == 3);
}

TEST_CASE("sqlite: a grouping key or sort term that repeats a selected expression reuses its placeholders", "[unit]") {
    // PostgreSQL compares GROUP BY with the select list by structure: $1 and $2 would be two expressions.
    static_assert(
        to_sql<sqlite>(select(coalesce(everything.maybe_text, "none"), count())
                           .group_by(coalesce(everything.maybe_text, "none"))) ==
        R"(SELECT COALESCE("everything"."maybe_text", ?), COUNT(*) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?1))");
    static_assert(
        to_sql<sqlite>(select(posts.views / 10, count())
                           .where(posts.id > 5)
                           .group_by(posts.views / 10)
                           .having(count() > 1)
                           .order_by((posts.views / 10).desc())
                           .limit(3)) ==
        R"(SELECT "posts"."views" / ?, COUNT(*) FROM "posts" WHERE "posts"."id" > ? GROUP BY "posts"."views" / ?1 HAVING COUNT(*) > ? ORDER BY "posts"."views" / ?1 DESC LIMIT ?)");
    // ORDER BY a grouping key that is not selected: the key's placeholders.
    static_assert(
        to_sql<sqlite>(select(count())
                           .from(everything)
                           .group_by(coalesce(everything.maybe_text, "none"))
                           .order_by(coalesce(everything.maybe_text, "none"))) ==
        R"(SELECT COUNT(*) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?) ORDER BY COALESCE("everything"."maybe_text", ?1))");
    // In a subquery: numbered after the enclosing statement's placeholders.
    static_assert(
        to_sql<sqlite>(select(users.name)
                           .where(users.id > 1 &&
                                  in_select(users.name, select(coalesce(everything.maybe_text, "none"))
                                                            .group_by(coalesce(everything.maybe_text, "none"))))) ==
        R"(SELECT "users"."name" FROM "users" WHERE "users"."id" > ? AND "users"."name" IN (SELECT COALESCE("everything"."maybe_text", ?) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?2)))");
    static_assert(
        to_sql<sqlite>(select(coalesce(everything.maybe_text, "none").as<"t">(), count())
                           .group_by(coalesce(everything.maybe_text, "none"))
                           .order_by(coalesce(everything.maybe_text, "none").as<"t">())) ==
        R"(SELECT COALESCE("everything"."maybe_text", ?) AS "t", COUNT(*) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?1) ORDER BY "t")");
    // SELECT DISTINCT: ORDER BY must be a selected expression.
    static_assert(
        to_sql<sqlite>(select(coalesce(everything.maybe_text, "none"))
                           .distinct()
                           .order_by(coalesce(everything.maybe_text, "none").desc())) ==
        R"(SELECT DISTINCT COALESCE("everything"."maybe_text", ?) FROM "everything" ORDER BY COALESCE("everything"."maybe_text", ?1) DESC)");
    // The values are bound once, where the expression first appears.
    const auto buckets = select(posts.views / 10, count())
                             .where(posts.id > 5)
                             .group_by(posts.views / 10)
                             .having(count() > 1)
                             .order_by((posts.views / 10).desc());
    REQUIRE(values_of(buckets) == std::vector<std::string>{"10", "5", "1"});
    // Columns hold no values: they render as written.
    static_assert(to_sql<sqlite>(select(users.name, count()).group_by(users.name).order_by(users.name)) ==
                  R"(SELECT "users"."name", COUNT(*) FROM "users" GROUP BY "users"."name" ORDER BY "users"."name")");
}

TEST_CASE("sqlite: where NULLs sort: after every value unless nulls_first() / nulls_last() say otherwise", "[unit]") {
    constexpr auto p = posts.published_at.as<"p">();
    // A nullable term: NULL sorts after every value, as on PostgreSQL.
    static_assert(
        to_sql<sqlite>(
            select(posts.id).order_by(posts.published_at, posts.published_at.asc(), posts.published_at.desc())) ==
        R"(SELECT "posts"."id" FROM "posts" ORDER BY "posts"."published_at" NULLS LAST, "posts"."published_at" ASC NULLS LAST, "posts"."published_at" DESC NULLS FIRST)");
    // Said explicitly: the same on both.
    static_assert(
        to_sql<sqlite>(select(posts.id).order_by(posts.published_at.asc().nulls_first(),
                                                 posts.published_at.desc().nulls_last())) ==
        R"(SELECT "posts"."id" FROM "posts" ORDER BY "posts"."published_at" ASC NULLS FIRST, "posts"."published_at" DESC NULLS LAST)");
    // NOT NULL: as written.
    static_assert(
        to_sql<sqlite>(select(posts.id).order_by(posts.views.desc(), posts.views.desc().nulls_first())) ==
        R"(SELECT "posts"."id" FROM "posts" ORDER BY "posts"."views" DESC, "posts"."views" DESC NULLS FIRST)");
    // A NOT NULL column of an outer-joined table may be NULL.
    static_assert(
        to_sql<sqlite>(select(users.name, posts.views)
                           .outer_join(posts, posts.author_id == users.id)
                           .order_by(posts.views.desc(), users.name)) ==
        R"(SELECT "users"."name", "posts"."views" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."author_id" = "users"."id" ORDER BY "posts"."views" DESC NULLS FIRST, "users"."name")");
    // MAX() is NULL on an empty group; COUNT() never.
    static_assert(
        to_sql<sqlite>(select(posts.author_id, max(posts.views))
                           .group_by(posts.author_id)
                           .order_by(max(posts.views).desc(), count())) ==
        R"(SELECT "posts"."author_id", MAX("posts"."views") FROM "posts" GROUP BY "posts"."author_id" ORDER BY MAX("posts"."views") DESC NULLS FIRST, COUNT(*))");
    // Inside OVER (...).
    static_assert(
        to_sql<sqlite>(select(posts.id, over(rank(), window().order_by(posts.published_at.desc())))) ==
        R"(SELECT "posts"."id", RANK() OVER (ORDER BY "posts"."published_at" DESC NULLS FIRST) FROM "posts")");
    // A label of a nullable expression.
    static_assert(to_sql<sqlite>(select(p).order_by(p.desc())) ==
                  R"(SELECT "posts"."published_at" AS "p" FROM "posts" ORDER BY "p" DESC NULLS FIRST)");
    // A set operation: an output column that may be NULL on either side.
    static_assert(
        to_sql<sqlite>(
            union_(select(posts.published_at), select(posts.published_at)).order_by(posts.published_at.desc())) ==
        R"(SELECT "posts"."published_at" FROM "posts" UNION SELECT "posts"."published_at" FROM "posts" ORDER BY "published_at" DESC NULLS FIRST)");
    static_assert(
        to_sql<sqlite>(union_(select(users.name), select(posts.title)).order_by(users.name.desc().nulls_last())) ==
        R"(SELECT "users"."name" FROM "users" UNION SELECT "posts"."title" FROM "posts" ORDER BY "name" DESC NULLS LAST)");
}

TEST_CASE("sqlite: a grouping key that is not a column repeats its placeholders at any depth", "[unit]") {
    constexpr auto key = coalesce(everything.maybe_text, "none");
    constexpr auto half = posts.views + 0.5;
    // HAVING repeats the key: one expression to PostgreSQL (42803 before).
    static_assert(
        to_sql<sqlite>(select(key, count()).group_by(key).having(key != "x")) ==
        R"(SELECT COALESCE("everything"."maybe_text", ?), COUNT(*) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?1) HAVING COALESCE("everything"."maybe_text", ?1) <> ?)");
    // Inside a selected expression.
    static_assert(
        to_sql<sqlite>(select(upper(key), count()).group_by(key)) ==
        R"(SELECT upper(COALESCE("everything"."maybe_text", ?)), COUNT(*) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?1))");
    // First inside upper(), then selected, grouped and inside a sort key.
    static_assert(
        to_sql<sqlite>(select(upper(key), key, count()).group_by(key).order_by(length(key))) ==
        R"(SELECT upper(COALESCE("everything"."maybe_text", ?)), COALESCE("everything"."maybe_text", ?1), COUNT(*) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?1) ORDER BY length(COALESCE("everything"."maybe_text", ?1)))");
    // An aggregate's argument is per row: its own values, even of the key's type.
    static_assert(
        to_sql<sqlite>(select(key, count(coalesce(everything.maybe_text, "x"))).group_by(key)) ==
        R"(SELECT COALESCE("everything"."maybe_text", ?), COUNT(COALESCE("everything"."maybe_text", ?)) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?1))");
    // round() writes its operand twice on PostgreSQL: the key's placeholders both times.
    static_assert(
        to_sql<sqlite>(select(round(half), count()).group_by(half).having(half > 10.0).order_by(round(half))) ==
        R"(SELECT round("posts"."views" + ?), COUNT(*) FROM "posts" GROUP BY "posts"."views" + ?1 HAVING "posts"."views" + ?1 > ? ORDER BY round("posts"."views" + ?1))");
    // WHERE is outside the scope: its own values.
    static_assert(
        to_sql<sqlite>(select(key, count()).where(coalesce(everything.maybe_text, "w") != "q").group_by(key)) ==
        R"(SELECT COALESCE("everything"."maybe_text", ?), COUNT(*) FROM "everything" WHERE COALESCE("everything"."maybe_text", ?) <> ? GROUP BY COALESCE("everything"."maybe_text", ?1))");
    // A window's ORDER BY is after grouping: the key's placeholders.
    static_assert(
        to_sql<sqlite>(select(key, over(rank(), window().order_by(key))).group_by(key)) ==
        R"(SELECT COALESCE("everything"."maybe_text", ?), RANK() OVER (ORDER BY COALESCE("everything"."maybe_text", ?1)) FROM "everything" GROUP BY COALESCE("everything"."maybe_text", ?1))");
}
