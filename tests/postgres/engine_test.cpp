// postgres::create_engine on the test server: connections of the pool, an
// on_connect hook for session settings, pre_ping after the server ended an
// idle connection's session, a session on the engine.
#include "support/pg_fixture.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>
#include <ctorm/postgres/engine.hpp>

#include <cstdint>
#include <string>

using namespace blog;

namespace {

// An engine whose connections work in the schema of `first` (a fresh blog schema).
struct schema_engine {
    ctorm::postgres::connection first;
    std::string schema;
    ctorm::postgres::engine engine;
    explicit schema_engine(const char* tag, ctorm::pool_options options = {})
        : first(ctorm_test::postgres_fresh_db(tag)),
          schema(ctorm_test::postgres_schema_name(tag)),
          engine(
              ctorm_test::postgres_database_url(), [](std::string_view a) { return ctorm::postgres::connect(a); },
              options) {
        engine.pool().on_connect = [this](ctorm::postgres::connection& c) {
            c.execute_script("SET search_path TO \"" + schema + "\"");
        };
    }
};

}  // namespace

TEST_CASE("create_engine connects on first use, and the on_connect hook sets up each connection") {
    auto engine = ctorm::postgres::create_engine(ctorm_test::postgres_database_url(), {.pool_size = 2});
    CHECK(engine.pool().statistics().connects == 0);
    {
        auto db = engine.connect();
        CHECK(ctorm_test::postgres_query_text(*db, "SELECT 1") == "1");
    }
    schema_engine e("engine_hook");
    auto a = e.engine.connect();
    auto b = e.engine.connect();
    a->execute(insert(users).values(User{.email = "ann@x.io", .name = "Ann"}));
    CHECK(user_count(*b) == 1);
    CHECK(ctorm_test::postgres_current_schema(*b) == e.schema);
}

TEST_CASE("with pre_ping, an idle connection whose session the server ended is replaced at checkout") {
    schema_engine e("engine_ping", {.pool_size = 1, .max_overflow = 0, .pre_ping = true});
    std::string pid;
    {
        auto db = e.engine.connect();
        pid = std::to_string(PQbackendPID(db->native_handle()));
    }
    auto admin = ctorm_test::postgres_server_connection();
    REQUIRE(ctorm_test::postgres_query_text(admin, "SELECT pg_terminate_backend(" + pid + ", 10000)") == "t");
    auto db = e.engine.connect();
    CHECK(user_count(*db) == 0);
    CHECK(std::to_string(PQbackendPID(db->native_handle())) != pid);
    CHECK(e.engine.pool().statistics().invalidated == 1);
}

TEST_CASE("a session on an engine, with a row lock, gives its connection back rolled back") {
    schema_engine e("engine_session", {.pool_size = 1, .max_overflow = 0});
    std::int64_t id = 0;
    {
        ctorm::pooled_session s(e.engine);
        auto ann = s.add(users, User{.email = "ann@x.io", .name = "Ann"});
        s.commit();
        id = ann->id;
    }
    {
        ctorm::pooled_session s(e.engine);
        auto ann = s.get(users, id, ctorm::for_update);
        ann->name = "locked";
        s.flush();
    }
    auto db = e.engine.connect();
    CHECK_FALSE(db->in_transaction());
    CHECK(db->one(select(users.name).where(users.id == id)) == "Ann");
}
