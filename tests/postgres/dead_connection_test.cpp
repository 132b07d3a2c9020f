// A connection whose server session is gone (pg_terminate_backend from a
// second connection): it says it is closed, naming host and port, holds no
// transaction, and is_alive() / reconnect() let a caller (and the pool) recover.
#include "support/pg_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>

using namespace blog;

namespace {

using connection = ctorm::postgres::connection;

using ctorm_test::contains;

// "host:port" of the test server, as the messages name it.
std::string endpoint() {
    return ctorm_test::postgres_server_parameter("host") + ":" + ctorm_test::postgres_server_parameter("port");
}

// Ends db's server session from another connection and waits until it is gone.
void terminate_backend(const connection& db) {
    auto admin = ctorm_test::postgres_server_connection();
    const std::string pid = std::to_string(PQbackendPID(db.native_handle()));
    // With a timeout, pg_terminate_backend waits until the backend has exited.
    REQUIRE(ctorm_test::postgres_query_text(admin, "SELECT pg_terminate_backend(" + pid + ", 10000)") == "t");
}

// What() of the connection_error that f throws.
template <class F>
std::string closed_error(F f) {
    try {
        f();
    } catch (const ctorm::connection_error& e) {
        return e.what();
    } catch (const std::exception& e) {
        FAIL("expected connection_error, got: " << e.what());
    }
    FAIL("expected connection_error, nothing was thrown");
    return {};
}

}  // namespace

TEST_CASE("a connection whose backend was terminated says it is closed and holds no transaction", "[postgres][fault]") {
    auto db = ctorm_test::postgres_fresh_db("dead");
    {
        auto tx = db.begin();
        add_someone(db, "ann@example.com");
        REQUIRE(db.in_transaction());
        terminate_backend(db);

        const std::string first = closed_error([&] { add_someone(db, "bob@example.com"); });
        CAPTURE(first);
        CHECK(contains(first, "the connection to " + endpoint() + " is closed"));
        // The transaction died with the session.
        CHECK_FALSE(db.in_transaction());

        // Not "a transaction is already open": the connection is closed.
        const std::string begin = closed_error([&] { (void)db.begin(); });
        CAPTURE(begin);
        CHECK(contains(begin, "the connection to " + endpoint() + " is closed"));
        const std::string statement = closed_error([&] { (void)user_count(db); });
        CHECK(contains(statement, "the connection to " + endpoint() + " is closed"));
        const std::string commit = closed_error([&] { tx.commit(); });
        CHECK(contains(commit, "is closed"));
    }  // the guard's rollback on a closed connection does not throw
    CHECK_FALSE(db.in_transaction());
    // Nothing of the transaction reached the table.
    auto other = ctorm_test::postgres_connect_in(ctorm_test::postgres_schema_name("dead"));
    CHECK(user_count(other) == 0);
}

TEST_CASE("is_alive() tells a terminated connection without a statement, and reconnect() opens it again",
          "[postgres][fault]") {
    auto db = ctorm_test::postgres_fresh_db("reconnect");
    const std::string schema = ctorm_test::postgres_schema_name("reconnect");
    add_someone(db, "ann@example.com");
    CHECK(db.is_alive());
    CHECK(db.is_alive());  // asking again changes nothing
    CHECK(user_count(db) == 1);

    terminate_backend(db);
    CHECK_FALSE(db.is_alive());
    CHECK_FALSE(db.in_transaction());
    CHECK(contains(closed_error([&] { (void)user_count(db); }), "is closed"));

    const std::size_t prepared = db.statements_prepared();
    db.reconnect();
    CHECK(db.is_alive());
    // A new session: settings such as search_path start afresh, and statements
    // are prepared again on it.
    db.execute_script("SET search_path TO \"" + schema + "\"");
    CHECK(user_count(db) == 1);
    CHECK(db.statements_prepared() > prepared);
    add_someone(db, "bob@example.com");
    auto tx = db.begin();
    add_someone(db, "cy@example.com");
    tx.commit();
    CHECK(user_count(db) == 3);

    // reconnect() of a live connection opens a new session too; an open
    // transaction is rolled back by the server.
    const int before = PQbackendPID(db.native_handle());
    {
        auto open = db.begin();
        add_someone(db, "dee@example.com");
        db.reconnect();
        CHECK_FALSE(db.in_transaction());
    }
    CHECK(PQbackendPID(db.native_handle()) != before);
    db.execute_script("SET search_path TO \"" + schema + "\"");
    CHECK(user_count(db) == 3);
}

TEST_CASE("a bulk insert on a terminated connection says it is closed", "[postgres][fault]") {
    auto db = ctorm_test::postgres_fresh_db("dead_bulk");
    terminate_backend(db);
    std::vector<User> rows{User{.email = "a@example.com", .name = "a"}, User{.email = "b@example.com", .name = "b"}};
    const std::string what = closed_error([&] { db.execute(insert(users).values(rows)); });
    CAPTURE(what);
    CHECK(contains(what, "is closed"));
    CHECK_FALSE(db.in_transaction());
}
