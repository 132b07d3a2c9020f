// The pool under faults on real PostgreSQL servers (issue 16's fault list):
// each fault ends in a clear error, the pool heals, and nothing committed is
// lost. A server restarted under idle connections, and max_connections, use a
// cluster of this file's own (scripts/pg_cluster start / restart / stop), so
// the fixture's server, which other tests use at the same time, is never
// restarted; the other faults happen on the fixture's server: a backend
// terminated while checked out (inside a transaction), a role's connection
// limit, a server-side idle_session_timeout, and a pool exhausted by leaked
// checkouts.
#include "support/pg_fixture.hpp"
#include "support/pg_private_server.hpp"

#include <catch2/catch.hpp>

#include <ctorm/engine/pool.hpp>
#include <ctorm/orm.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace blog;
using namespace std::chrono_literals;

namespace {

using connection = ctorm::postgres::connection;
using pg_pool = ctorm::pool<connection>;

// A pool on the private server, whose connections hold the blog schema's users table.
pg_pool own_pool(ctorm::pool_options options) {
    {
        auto db = ctorm::postgres::connect(ctorm_test::own_server().url());
        db.execute_script("DROP TABLE IF EXISTS post_tags, posts, everything, users CASCADE");
        db.create_all(users);
    }
    return pg_pool([] { return ctorm::postgres::connect(ctorm_test::own_server().url()); }, options);
}

// A pool on the fixture's server working in the schema `tag` (a fresh blog schema).
struct schema_pool {
    connection first;
    std::string schema;
    pg_pool pool;
    schema_pool(const char* tag, ctorm::pool_options options, std::string url = ctorm_test::postgres_database_url())
        : first(ctorm_test::postgres_fresh_db(tag)),
          schema(ctorm_test::postgres_schema_name(tag)),
          pool(
              [this, url] {
                  auto c = ctorm::postgres::connect(url);
                  c.execute_script("SET search_path TO \"" + schema + "\"");
                  return c;
              },
              options) {}
};

// A libpq keyword string for this executable's database on the fixture's
// server, as `user`, with `extra` keywords.
std::string keyword_url(const std::string& user, const std::string& extra = {}) {
    std::string out = "host=" + ctorm_test::postgres_server_parameter("host") +
                      " port=" + ctorm_test::postgres_server_parameter("port") +
                      " dbname=" + ctorm_test::postgres_test_database() + " user=" + user;
    return extra.empty() ? out : out + " " + extra;
}

}  // namespace

TEST_CASE("a server restarted under idle connections: with pre_ping every checkout after it works") {
    pg_pool pool = own_pool({.pool_size = 3, .max_overflow = 0, .pre_ping = true});
    {
        auto a = pool.acquire();
        auto b = pool.acquire();
        auto c = pool.acquire();
        a->execute(insert(users).values(User{.email = "kept@x.io", .name = "Kept"}));
    }
    REQUIRE(pool.statistics().idle == 3);
    ctorm_test::own_server().restart();
    for (int i = 0; i < 3; ++i) {
        auto a = pool.acquire();
        CHECK(user_count(*a) == 1);  // committed before the restart: still there
    }
    std::vector<pg_pool::checkout> all;
    for (int i = 0; i < 3; ++i) all.push_back(pool.acquire());
    for (auto& c : all) CHECK(user_count(*c) == 1);
    const auto s = pool.statistics();
    CHECK(s.invalidated == 3);  // each dead one found at its checkout, none handed out
    CHECK(s.connects == 6);
    CHECK(s.size == 3);
}

TEST_CASE("a server restarted under idle connections: without pre_ping one use fails, then the pool heals") {
    pg_pool pool = own_pool({.pool_size = 2, .max_overflow = 0});
    {
        auto a = pool.acquire();
        auto b = pool.acquire();
        a->execute(insert(users).values(User{.email = "kept@x.io", .name = "Kept"}));
    }
    ctorm_test::own_server().restart();
    {
        auto a = pool.acquire();
        CHECK_THROWS_AS(user_count(*a), ctorm::connection_error);
        CHECK(a->is_closed());
    }  // discarded, and the other idle one, opened before, is now suspect
    {
        auto a = pool.acquire();
        auto b = pool.acquire();
        CHECK(user_count(*a) == 1);
        CHECK(user_count(*b) == 1);
    }
    const auto s = pool.statistics();
    CHECK(s.invalidated == 2);
    CHECK(s.size == 2);
}

TEST_CASE("the server's max_connections reached: a clear error, the pool keeps what it has, and heals") {
    {
        auto admin = ctorm::postgres::connect(ctorm_test::own_server().url());
        // 6 connections in all, none reserved for superusers (the tests connect as one).
        admin.execute_script("ALTER SYSTEM SET max_connections = 6");  // one statement per call: not in a
        admin.execute_script("ALTER SYSTEM SET superuser_reserved_connections = 0");  // transaction block
    }
    ctorm_test::own_server().restart();
    pg_pool pool = own_pool({.pool_size = 8, .max_overflow = 0, .timeout = 2000ms});
    std::vector<pg_pool::checkout> held;
    std::optional<std::string> refused;
    for (int i = 0; i < 8 && !refused; ++i) {
        try {
            held.push_back(pool.acquire());
        } catch (const ctorm::connection_error& e) {
            refused = e.what();
        }
    }
    REQUIRE(refused);
    CHECK_THAT(*refused, Catch::Contains("too many clients"));
    // 6, or fewer while the server still counts the backend of own_pool's set-up connection.
    CHECK(held.size() >= 5);
    CHECK(held.size() <= 6);
    CHECK(pool.statistics().size == held.size());  // the failed one left no place taken
    held.pop_back();
    auto again = pool.acquire();  // the one given back
    CHECK(user_count(*again) == 0);
    held.clear();
    pool.dispose();
}

TEST_CASE(
    "a backend terminated while checked out, inside a transaction: connection_error, nothing of it "
    "committed, the connection discarded") {
    schema_pool p("fault_terminated", {.pool_size = 2, .max_overflow = 0});
    {
        auto c = p.pool.acquire();
        c->execute(insert(users).values(User{.email = "before@x.io", .name = "Before"}));
        auto tx = c->begin();
        c->execute(insert(users).values(User{.email = "lost@x.io", .name = "Lost"}));
        const std::string pid = std::to_string(PQbackendPID(c->native_handle()));
        REQUIRE(ctorm_test::postgres_query_text(p.first, "SELECT pg_terminate_backend(" + pid + ", 10000)") == "t");
        CHECK_THROWS_AS(c->execute(insert(users).values(User{.email = "after@x.io", .name = "After"})),
                        ctorm::connection_error);
        CHECK_THROWS_AS(tx.commit(), ctorm::error);
    }  // the guard and the checkout end without a throw; the dead connection is closed
    CHECK(p.pool.statistics().size == 0);
    auto c = p.pool.acquire();
    CHECK(user_count(*c) == 1);  // "before" only
    CHECK(user_count(p.first) == 1);
}

TEST_CASE("a role's connection limit reached: the connect error names it, and the pool heals") {
    const std::string role = "ctorm_limited_" + std::to_string(::getpid());
    schema_pool p("fault_role_limit", {.pool_size = 4, .max_overflow = 0}, keyword_url(role));
    p.first.execute_script("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role +
                           " LOGIN CONNECTION LIMIT 2; GRANT USAGE ON SCHEMA \"" + p.schema + "\" TO " + role +
                           "; GRANT SELECT ON ALL TABLES IN SCHEMA \"" + p.schema + "\" TO " + role);
    {
        auto a = p.pool.acquire();
        auto b = p.pool.acquire();
        try {
            auto c = p.pool.acquire();
            FAIL("a third connection for the role was opened");
        } catch (const ctorm::connection_error& e) {
            CHECK_THAT(e.what(), Catch::Contains("too many connections for role"));
        }
        CHECK(p.pool.statistics().size == 2);
        CHECK(user_count(*a) == 0);
    }
    {
        auto a = p.pool.acquire();
        auto b = p.pool.acquire();
        CHECK(user_count(*b) == 0);
    }
    p.pool.dispose();
    p.first.execute_script("DROP OWNED BY " + role + "; DROP ROLE " + role);
}

TEST_CASE(
    "a connection the server timed out while idle (idle_session_timeout): pre_ping replaces it, "
    "and without it one use fails and the pool heals") {
    const std::string url = keyword_url("postgres", "options='-c idle_session_timeout=300'");
    SECTION("pre_ping") {
        schema_pool p("fault_idle_ping", {.pool_size = 1, .max_overflow = 0, .pre_ping = true}, url);
        { auto c = p.pool.acquire(); }
        std::this_thread::sleep_for(800ms);
        auto c = p.pool.acquire();
        CHECK(user_count(*c) == 0);
        CHECK(p.pool.statistics().invalidated == 1);
    }
    SECTION("no pre_ping") {
        schema_pool p("fault_idle_plain", {.pool_size = 1, .max_overflow = 0}, url);
        { auto c = p.pool.acquire(); }
        std::this_thread::sleep_for(800ms);
        {
            auto c = p.pool.acquire();
            CHECK_THROWS_AS(user_count(*c), ctorm::connection_error);
        }
        auto c = p.pool.acquire();
        CHECK(user_count(*c) == 0);
        CHECK(p.pool.statistics().invalidated == 1);
    }
}

TEST_CASE(
    "a pool exhausted by leaked checkouts: the timeout fires with where the leak was taken, no "
    "deadlock, and giving them back ends it") {
    schema_pool p("fault_leak", {.pool_size = 2, .max_overflow = 1, .timeout = 300ms, .leak_threshold = 50ms});
    std::vector<ctorm::pool_leak> reported;
    std::mutex reported_mutex;
    p.pool.on_leak = [&](const ctorm::pool_leak& l) {
        std::lock_guard lock(reported_mutex);
        reported.push_back(l);
    };
    std::vector<pg_pool::checkout> leaked;
    const int leak_line = __LINE__ + 1;
    for (int i = 0; i < 3; ++i) leaked.push_back(p.pool.acquire());
    std::this_thread::sleep_for(100ms);
    std::optional<std::string> message;
    std::thread other([&] {
        try {
            auto c = p.pool.acquire();
        } catch (const ctorm::pool_timeout_error& e) {
            message = e.what();
        }
    });
    other.join();
    REQUIRE(message);
    CHECK_THAT(*message, Catch::Contains("pool_size 2, max_overflow 1, 3 checked out"));
    CHECK_THAT(*message, Catch::Contains("pool_fault_test.cpp:" + std::to_string(leak_line)));
    {
        std::lock_guard lock(reported_mutex);
        CHECK(reported.size() == 3);
    }
    CHECK(p.pool.statistics().timeouts == 1);
    leaked.clear();
    auto c = p.pool.acquire();
    CHECK(user_count(*c) == 0);
}
