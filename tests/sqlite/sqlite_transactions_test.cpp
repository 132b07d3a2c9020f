// SQLite's own transaction behaviour: BEGIN IMMEDIATE takes the write lock at
// once, a COMMIT that fails on a busy database leaves the guard usable, and a
// deferred transaction's first write waits for another writer (the busy
// handler) even when its statement is prepared inside the transaction.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include <ctorm/orm.hpp>

using namespace blog;

namespace {

bool has_user(ctorm::sqlite::connection& db, const std::string& email) {
    return db.one_or_none(select(users.id).where(users.email == email)).has_value();
}

}  // namespace

TEST_CASE("SQLite: begin(immediate) takes the write lock at once", "[sqlite][transactions]") {
    auto db = ctorm_test::fresh_db(ctorm_test::storage::file);
    auto other = ctorm::sqlite::connect("sqlite:///" + db.path() + "?busy_timeout=0");
    {
        auto tx = db.begin(ctorm::sqlite::transaction_mode::immediate);
        // Nothing written yet, but another writer is already locked out...
        CHECK_THROWS_AS(other.execute(insert(users).values(User{.email = "o@example.com", .name = "o"})),
                        ctorm::busy_error);
        // ... while readers still read.
        CHECK(user_count(other) == 0);
        add_someone(db, "ann@example.com");
        tx.commit();
    }
    CHECK(other.execute(insert(users).values(User{.email = "o@example.com", .name = "o"})).rows_affected == 1);
    CHECK(user_count(db) == 2);
    CHECK(has_user(db, "o@example.com"));
}

// Regression (fixed): the first use of a statement with result columns
// (INSERT ... RETURNING) checked whether its tables are STRICT with a query;
// inside a deferred transaction that had read nothing yet, that query opened
// the transaction's read snapshot, so the INSERT had to upgrade it, which
// SQLite refuses at once (SQLITE_BUSY, no busy handler) while another
// connection writes: concurrent sessions on one file failed on a fresh connection.
TEST_CASE("SQLite: a deferred transaction's first INSERT ... RETURNING waits for another writer",
          "[sqlite][transactions]") {
    auto db = ctorm_test::fresh_db(ctorm_test::storage::file);
    db.execute_script("PRAGMA journal_mode = wal");
    auto writer = ctorm::sqlite::connect("sqlite:///" + db.path() + "?busy_timeout=10000");
    auto fresh = ctorm::sqlite::connect("sqlite:///" + db.path() + "?busy_timeout=10000");
    auto tx = writer.begin(ctorm::sqlite::transaction_mode::immediate);  // holds the write lock
    add_someone(writer, "ann@example.com");
    std::thread committer([&tx] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        tx.commit();
    });
    const auto started = std::chrono::steady_clock::now();
    std::int64_t id = 0;
    {
        ctorm::session s(fresh);  // BEGIN, then INSERT ... RETURNING prepared on first use
        auto bob = s.add(users, User{.email = "bob@example.com", .name = "Bob"});
        CHECK_NOTHROW(s.commit());
        id = bob->id;
    }
    committer.join();
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(250));  // it waited
    CHECK(id > 0);
    CHECK(user_count(db) == 2);
}

#if 1
// Regression (fixed): basic_transaction::commit() forgets its connection
// before COMMIT runs, so a COMMIT that fails (SQLITE_BUSY while a reader holds
// its lock) leaves the connection inside an open transaction that nothing rolls
// back: tx.active() is false, the destructor does nothing, and every later
// begin() throws transaction_error.
TEST_CASE("SQLite: a commit that fails leaves the transaction usable", "[sqlite][transactions]") {
    auto db = ctorm_test::fresh_db(ctorm_test::storage::file);
    auto reader = ctorm::sqlite::connect("sqlite:///" + db.path() + "?busy_timeout=0");
    db.execute_script("PRAGMA busy_timeout = 0");
    add_someone(db, "ann@example.com");
    add_someone(db, "bob@example.com");
    {
        auto rows = reader.execute(select(users.email));
        auto it = rows.begin();  // a read in progress: holds a SHARED lock
        REQUIRE_FALSE(it == rows.end());
        auto tx = db.begin();
        add_someone(db, "cy@example.com");
        CHECK_THROWS_AS(tx.commit(), ctorm::busy_error);
        CHECK(tx.active());  // may be retried or rolled back
        CHECK(db.in_transaction());
    }  // tx's destructor rolls back
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(db) == 2);
    auto tx = db.begin();
    tx.rollback();
}
#endif
