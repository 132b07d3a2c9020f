// The statement cache as the server sees it: pg_prepared_statements holds one
// entry per statement text a connection ran, however often it ran, with the
// parameter types taken from the C++ values; dynamic selects are prepared per
// text; a connection's statements are its own.
#include "support/pg_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace blog;

namespace {

using connection = ctorm::postgres::connection;
using ctorm_test::postgres_query_text;
using ctorm_test::postgres_query_value;

// How many statements the server has prepared for this session.
std::size_t server_prepared(const connection& db) {
    return std::stoul(postgres_query_text(db, "SELECT count(*) FROM pg_prepared_statements"));
}

// The parameter types the server holds for the prepared statement with this text.
std::string parameter_types(const connection& db, std::string_view sql) {
    std::string quoted;
    for (char c : sql) {
        quoted += c;
        if (c == '\'') quoted += '\'';
    }
    const auto types = postgres_query_value(
        db, "SELECT parameter_types::text FROM pg_prepared_statements WHERE statement = '" + quoted + "'");
    return types.value_or("(not prepared)");
}

void seed(connection& db, int n) {
    std::vector<User> people;
    for (int i = 0; i < n; ++i)
        people.push_back(User{.email = "u" + std::to_string(i) + "@example.com", .name = "user " + std::to_string(i)});
    REQUIRE(db.execute(insert(users).values(people)).rows_affected == n);
}

}  // namespace

TEST_CASE("a statement run many times is prepared once, on the server too", "[prepared]") {
    auto db = ctorm_test::postgres_fresh_db();
    seed(db, 50);
    const std::size_t before = server_prepared(db);
    CHECK(before == db.statements_prepared());
    for (int i = 0; i < 50; ++i) {
        const std::int64_t id = i + 1;
        CHECK(db.one(select(users.name).where(users.id == id)) == "user " + std::to_string(i));
        db.execute(update(users).set(users.is_active = i % 2 == 0).where(users.id == id));
    }
    CHECK(db.statements_prepared() == before + 2);
    CHECK(server_prepared(db) == before + 2);
    // The server's own count of executions: 50 each, one preparation.
    const std::string sql(
        ctorm::to_sql<ctorm::postgres_dialect>(select(users.name).where(users.id == std::int64_t{1})));
    CHECK(postgres_query_text(db, "SELECT count(*) FROM pg_prepared_statements WHERE statement = '" + sql +
                                      "' AND name LIKE 'ctorm\\_%'") == "1");
}

TEST_CASE("parameters are typed from the C++ values, so the server guesses nothing", "[prepared]") {
    auto db = ctorm_test::postgres_fresh_db();
    seed(db, 3);
    using D = ctorm::postgres_dialect;

    const auto by_id = select(users.name).where(users.id == std::int64_t{2});
    CHECK(db.one(by_id) == "user 1");
    CHECK(parameter_types(db, ctorm::to_sql<D>(by_id)) == "{bigint}");

    const auto by_views = select(posts.id).where(posts.views > std::int32_t{5} && posts.title == std::string("t"));
    CHECK(db.all(by_views).empty());
    CHECK(parameter_types(db, ctorm::to_sql<D>(by_views)) == "{integer,text}");

    const auto by_time = select(users.id).where(users.created_at < ctorm::timestamp{} && users.is_active);
    CHECK(db.all(by_time).empty());
    CHECK(parameter_types(db, ctorm::to_sql<D>(by_time)) == "{\"timestamp with time zone\"}");

    const Everything row{};
    CHECK(db.execute(insert(everything).values(row)).rows_affected == 1);
    // The insert runs exactly its own text: no RETURNING is added.
    CHECK(parameter_types(db, ctorm::to_sql<D>(insert(everything).values(row))) ==
          "{smallint,smallint,integer,bigint,smallint,integer,bigint,boolean,real,\"double precision\",text,bytea,"
          "\"timestamp with time zone\",date,smallint,bigint,\"double precision\",text,bytea,"
          "\"timestamp with time zone\",date,boolean,smallint}");
}

TEST_CASE("a dynamic select is prepared once per text it renders", "[prepared]") {
    auto db = ctorm_test::postgres_fresh_db();
    seed(db, 10);
    const std::size_t before = db.statements_prepared();
    const auto search = [&db](std::optional<std::string> name, std::int64_t page) {
        auto q = ctorm::dynamic(select(users.id).where(users.is_active));
        if (name) q.where(users.name.like(*name));
        q.order_by(users.id.asc());
        q.page(page, 3);
        return db.all(q);
    };
    CHECK(search(std::nullopt, 1) == std::vector<std::int64_t>{1, 2, 3});
    CHECK(search(std::nullopt, 2) == std::vector<std::int64_t>{4, 5, 6});
    CHECK(search(std::nullopt, 4) == std::vector<std::int64_t>{10});
    CHECK(db.statements_prepared() == before + 1);
    CHECK(search(std::string("user 1%"), 1) == std::vector<std::int64_t>{2});
    CHECK(search(std::string("user %"), 2) == std::vector<std::int64_t>{4, 5, 6});
    CHECK(db.statements_prepared() == before + 2);
    CHECK(server_prepared(db) == db.statements_prepared());
}

TEST_CASE("prepared statements belong to their connection", "[prepared]") {
    auto db = ctorm_test::postgres_fresh_db();
    seed(db, 2);
    const auto q = select(users.email).where(users.id == std::int64_t{1});
    CHECK(db.one(q) == "u0@example.com");
    auto second = ctorm_test::postgresql::reconnect(db);
    const std::size_t fresh = server_prepared(second);
    CHECK(fresh == second.statements_prepared());
    CHECK(second.one(q) == "u0@example.com");
    CHECK(server_prepared(second) == fresh + 1);

    // Moved, a connection keeps its session and so its prepared statements.
    const std::size_t count = server_prepared(db);
    auto moved = std::move(db);
    CHECK(moved.one(q) == "u0@example.com");
    CHECK(server_prepared(moved) == count);
}

// Regression (fixed): statement types with the same text share one
// server-side statement (connection::prepare looks it up by text), but its
// parameter types come from the first type prepared. A select compared with
// an std::int64_t prepares $1 as bigint; the same text compared with an int
// then sends 4 binary bytes for that bigint and the server answers
// "insufficient data left in message" (08P01); the other order fails with
// "incorrect binary data format". (tests/behaviour/cache_test.cpp's
// "statement types with the same text share one prepared statement" fails on
// PostgreSQL the same way.)
TEST_CASE("the same text with an int and an int64 parameter runs both ways", "[prepared]") {
    auto db = ctorm_test::postgres_fresh_db();
    seed(db, 3);
    CHECK(db.one(select(users.email).where(users.id == std::int64_t{2})) == "u1@example.com");
    CHECK(db.one(select(users.email).where(users.id == 3)) == "u2@example.com");
    auto other = ctorm_test::postgresql::reconnect(db);
    CHECK(other.one(select(users.email).where(users.id == 3)) == "u2@example.com");
    CHECK(other.one(select(users.email).where(users.id == std::int64_t{2})) == "u1@example.com");
}
