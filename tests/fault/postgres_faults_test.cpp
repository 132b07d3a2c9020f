// A connection's faults on real PostgreSQL servers (issue 13): its backend
// terminated in the middle of a transaction and in the middle of a 5,000-row
// bulk insert, its server restarted under it, and statement_timeout cutting a
// statement short. Each ends in a clear error with nothing of the unfinished
// work committed, and the same connection object works again after
// reconnect(). The restart uses a cluster of this file's own
// (support/pg_private_server.hpp); the other faults happen on the fixture's
// server. Deadlocks, serialization failures with retry, lock_timeout and
// NOWAIT are in tests/postgres/sqlstate_test.cpp and isolation_test.cpp,
// which carry the fault label too; the pool's faults in pool_fault_test.cpp.
#include "support/pg_fixture.hpp"
#include "support/pg_private_server.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <typeinfo>
#include <vector>

using namespace blog;
using namespace std::chrono_literals;

namespace {

using connection = ctorm::postgres::connection;

using ctorm_test::contains;

std::string pid_of(const connection& db) { return std::to_string(PQbackendPID(db.native_handle())); }

// Ends db's server session from `admin` and waits until the backend has exited.
void terminate_backend(connection& admin, const std::string& pid) {
    REQUIRE(ctorm_test::postgres_query_text(admin, "SELECT pg_terminate_backend(" + pid + ", 10000)") == "t");
}

// Waits until backend `pid` waits for a lock (at most 10 s).
bool wait_until_blocked(connection& admin, const std::string& pid) {
    for (int i = 0; i < 400; ++i) {
        if (ctorm_test::postgres_query_text(
                admin, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = " + pid) == "1")
            return true;
        std::this_thread::sleep_for(25ms);
    }
    return false;
}

// What() of the exception of type E that f throws; fails on any other outcome.
template <class E, class F>
std::string thrown(F f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    } catch (const std::exception& e) {
        FAIL("expected " << typeid(E).name() << ", got " << typeid(e).name() << ": " << e.what());
    }
    FAIL("expected " << typeid(E).name() << ", nothing was thrown");
    return {};
}

}  // namespace

TEST_CASE("a backend terminated mid-transaction: connection_error, nothing committed, reconnect() works", "[fault]") {
    auto db = ctorm_test::postgres_fresh_db("f_mid_tx");
    const std::string schema = ctorm_test::postgres_schema_name("f_mid_tx");
    auto admin = ctorm_test::postgres_connect_in(schema);
    add_someone(db, "before@x.io");
    {
        auto tx = db.begin();
        add_someone(db, "lost1@x.io");
        add_someone(db, "lost2@x.io");
        terminate_backend(admin, pid_of(db));
        const std::string what = thrown<ctorm::connection_error>([&] { add_someone(db, "lost3@x.io"); });
        CAPTURE(what);
        CHECK(contains(what, "is closed"));
        CHECK_FALSE(db.in_transaction());
        CHECK_FALSE(db.is_alive());
        CHECK_THROWS_AS(tx.commit(), ctorm::connection_error);
    }                               // the guard ends without a throw
    CHECK(user_count(admin) == 1);  // "before" only

    db.reconnect();
    db.execute_script("SET search_path TO \"" + schema + "\"");
    {
        auto tx = db.begin();
        add_someone(db, "after@x.io");
        tx.commit();
    }
    CHECK(user_count(admin) == 2);
}

TEST_CASE(
    "a backend terminated in the middle of a 5,000-row bulk insert, while it waits for a lock: 0 rows "
    "committed, connection_error, reconnect() works",
    "[fault]") {
    auto db = ctorm_test::postgres_fresh_db("f_mid_bulk");
    const std::string schema = ctorm_test::postgres_schema_name("f_mid_bulk");
    auto admin = ctorm_test::postgres_connect_in(schema);
    auto holder = ctorm_test::postgres_connect_in(schema);

    std::vector<User> rows;
    rows.reserve(5000);
    for (int i = 0; i < 5000; ++i) rows.push_back(User{.email = "bulk" + std::to_string(i) + "@x.io", .name = "b"});

    // An uncommitted row with the email of the bulk's last row: the bulk insert
    // writes 4,999 rows, then waits on the unique index for `holder` to decide.
    auto held = holder.begin();
    add_someone(holder, "bulk4999@x.io");

    const std::string pid = pid_of(db);
    std::optional<std::string> error;
    std::string error_type;
    std::thread bulk([&] {
        try {
            db.execute(insert(users).values(rows));
        } catch (const ctorm::connection_error& e) {
            error = e.what();
            error_type = "connection_error";
        } catch (const std::exception& e) {
            error = e.what();
            error_type = typeid(e).name();
        }
    });
    const bool blocked = wait_until_blocked(admin, pid);
    if (blocked) terminate_backend(admin, pid);
    held.rollback();  // releases the bulk if it was never blocked, so that the thread ends
    bulk.join();
    REQUIRE(blocked);
    REQUIRE(error);
    CAPTURE(*error);
    CHECK(error_type == "connection_error");
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(admin) == 0);  // none of the 4,999 rows written before the lock

    db.reconnect();
    db.execute_script("SET search_path TO \"" + schema + "\"");
    db.execute(insert(users).values(rows));
    CHECK(user_count(admin) == 5000);
}

TEST_CASE(
    "a backend terminated while a session's flush of 5,000 new objects waits for a lock in its pipeline: "
    "connection_error, 0 rows committed, the objects detached, reconnect() works",
    "[fault]") {
    auto db = ctorm_test::postgres_fresh_db("f_mid_flush");
    const std::string schema = ctorm_test::postgres_schema_name("f_mid_flush");
    auto admin = ctorm_test::postgres_connect_in(schema);
    auto holder = ctorm_test::postgres_connect_in(schema);
    // The flush's 4,000th INSERT waits on the unique index for holder's row.
    auto held = holder.begin();
    add_someone(holder, "flush3999@x.io");

    ctorm::session s(db);
    std::vector<ctorm::handle<User>> added;
    for (int i = 0; i < 5000; ++i)
        added.push_back(s.add(users, User{.email = "flush" + std::to_string(i) + "@x.io", .name = "f"}));
    const std::string pid = pid_of(db);
    std::optional<std::string> error;
    std::string error_type;
    std::thread flush([&] {
        try {
            s.commit();
        } catch (const ctorm::connection_error& e) {
            error = e.what();
            error_type = "connection_error";
        } catch (const std::exception& e) {
            error = e.what();
            error_type = typeid(e).name();
        }
    });
    const bool blocked = wait_until_blocked(admin, pid);
    if (blocked) terminate_backend(admin, pid);
    held.rollback();
    flush.join();
    REQUIRE(blocked);
    REQUIRE(error);
    CAPTURE(*error);
    CHECK(error_type == "connection_error");
    CHECK(contains(*error, "flushing a new users object"));
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(admin) == 0);
    std::size_t detached = 0;
    for (auto& h : added) detached += h.state() == ctorm::object_state::detached ? 1 : 0;
    CHECK(detached == added.size());

    db.reconnect();
    db.execute_script("SET search_path TO \"" + schema + "\"");
    auto again = s.add(users, User{.email = "again@x.io", .name = "a"});
    s.commit();
    CHECK(again->id > 0);
    CHECK(user_count(admin) == 1);
}

TEST_CASE(
    "the server restarted under an open connection: connection_error naming it, the open transaction "
    "lost, what was committed kept, reconnect() works",
    "[fault]") {
    auto& server = ctorm_test::own_server();
    auto db = ctorm::postgres::connect(server.url());
    auto idle = ctorm::postgres::connect(server.url());
    db.execute_script("DROP TABLE IF EXISTS post_tags, posts, everything, users CASCADE");
    db.create_all(users);
    add_someone(db, "committed@x.io");
    {
        auto tx = db.begin();
        add_someone(db, "open@x.io");
        server.restart();
        const std::string what = thrown<ctorm::connection_error>([&] { add_someone(db, "next@x.io"); });
        CAPTURE(what);
        CHECK(contains(what, "is closed"));
        CHECK_FALSE(db.in_transaction());
        CHECK_THROWS_AS(tx.commit(), ctorm::connection_error);
    }
    // A connection without a transaction: is_alive() tells it without a statement.
    CHECK_FALSE(idle.is_alive());
    CHECK_THROWS_AS(user_count(idle), ctorm::connection_error);

    db.reconnect();
    idle.reconnect();
    CHECK(db.is_alive());
    CHECK(user_count(db) == 1);  // the committed row; the open transaction's is gone
    add_someone(idle, "after@x.io");
    CHECK(user_count(db) == 2);
}

TEST_CASE(
    "statement_timeout cancels a statement: operational_error 57014 query_canceled, and inside a transaction "
    "the rest of it is refused until rolled back, and nothing of it is kept",
    "[fault]") {
    auto db = ctorm_test::postgres_fresh_db("f_timeout");
    const std::string schema = ctorm_test::postgres_schema_name("f_timeout");
    auto holder = ctorm_test::postgres_connect_in(schema);
    add_someone(db, "ann@x.io");
    const auto ann = db.one(select(users.id).where(users.email == "ann@x.io"));

    // The statement waits for holder's row lock until statement_timeout ends it.
    auto held = holder.begin();
    holder.execute(update(users).set(users.name = "held").where(users.id == ann));
    db.execute_script("SET statement_timeout = '150ms'");

    const auto started = std::chrono::steady_clock::now();
    try {
        db.execute(update(users).set(users.name = "late").where(users.id == ann));
        FAIL("the statement was not cancelled");
    } catch (const ctorm::operational_error& e) {
        CAPTURE(e.what());
        CHECK(typeid(e) == typeid(ctorm::operational_error));
        CHECK(e.sqlstate() == "57014");
        CHECK(contains(e.what(), "query_canceled"));
        CHECK(contains(e.message(), "statement timeout"));
    }
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(db.is_alive());  // a cancelled statement leaves the session open
    CHECK(user_count(db) == 1);

    {
        auto tx = db.begin();
        add_someone(db, "bob@x.io");
        CHECK_THROWS_AS(db.execute(update(users).set(users.name = "late").where(users.id == ann)),
                        ctorm::operational_error);
        CHECK(db.in_transaction());
        CHECK_THROWS_AS(add_someone(db, "cy@x.io"), ctorm::in_failed_transaction);
        CHECK_THROWS_AS(tx.commit(), ctorm::error);
    }
    CHECK_FALSE(db.in_transaction());
    held.rollback();
    CHECK(user_count(db) == 1);  // bob's insert went with the transaction
    db.execute(update(users).set(users.name = "on time").where(users.id == ann));
    CHECK(db.one(select(users.name).where(users.id == ann)) == "on time");
}
