// sqlite::create_engine: an in-memory engine is one connection that every
// checkout shares (a second checkout waits for it); a file engine hands out
// a connection per concurrent user, all on the same file; a bad URL fails
// at create_engine; sessions open on an engine.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite/engine.hpp>

#include <chrono>
#include <cstdint>
#include <string>

using namespace blog;
using namespace std::chrono_literals;

namespace {}  // namespace

TEST_CASE("an in-memory engine keeps one connection: every checkout sees the same database") {
    auto engine = ctorm::sqlite::create_engine("sqlite:///:memory:", {.pool_size = 5, .timeout = 20ms});
    CHECK(engine.pool().options().pool_size == 1);
    CHECK(engine.pool().options().max_overflow == 0);
    {
        auto db = engine.connect();
        db->create_all(users);
        db->execute(insert(users).values(User{.email = "ann@x.io", .name = "Ann"}));
        CHECK_THROWS_AS(engine.connect(), ctorm::pool_timeout_error);  // the one connection is out
    }
    auto db = engine.connect();
    CHECK(user_count(*db) == 1);
    CHECK(engine.pool().statistics().connects == 1);
}

TEST_CASE("a file engine hands out a connection per concurrent user, on the same file") {
    ctorm_test::remove_database_files("engine.db");
    auto engine = ctorm::sqlite::create_engine("sqlite:///engine.db?journal_mode=wal", {.pool_size = 2});
    auto a = engine.connect();
    auto b = engine.connect();
    CHECK(&*a != &*b);
    a->create_all(users);
    a->execute(insert(users).values(User{.email = "ann@x.io", .name = "Ann"}));
    CHECK(user_count(*b) == 1);
    CHECK(engine.pool().statistics().connects == 2);
}

TEST_CASE("a URL that does not parse fails at create_engine; one SQLite refuses fails at the first checkout") {
    CHECK_THROWS_AS(ctorm::sqlite::create_engine("sqlite://host/x.db?journal_mode=\x01"), ctorm::url_error);
    auto engine = ctorm::sqlite::create_engine("sqlite:///engine_bad.db?journal_mode=sideways");
    CHECK_THROWS_AS(engine.connect(), ctorm::url_error);
    CHECK(engine.pool().statistics().size == 0);
}

TEST_CASE("a session on an engine: committed work is there for the next session") {
    auto engine = ctorm::sqlite::create_engine("sqlite:///:memory:");
    engine.connect()->create_all(users);
    {
        ctorm::pooled_session s(engine);
        s.add(users, User{.email = "ann@x.io", .name = "Ann"});
        s.commit();
    }
    {
        ctorm::pooled_session s(engine);
        s.add(users, User{.email = "bob@x.io", .name = "Bob"});
        s.flush();
    }  // not committed
    ctorm::pooled_session s(engine);
    CHECK(s.all(select(users)).size() == 1);
}
