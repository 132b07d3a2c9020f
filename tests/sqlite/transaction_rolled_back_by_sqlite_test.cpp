// A transaction that SQLite rolls back by itself (SQLITE_FULL on a real file
// whose PRAGMA max_page_count is reached): no later statement of it runs in
// autocommit mode, and its commit() fails, until the guard is gone.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace blog;

namespace {

std::int64_t post_count(ctorm::sqlite::connection& db) { return db.scalar(select(ctorm::count()).from(posts)); }

Post small_post(std::string title, std::int64_t author) {
    return Post{
        .title = std::move(title), .content = "short", .author_id = author, .views = 0, .published_at = std::nullopt};
}

// A post whose content needs many new pages: the file cannot grow.
Post huge_post(std::int64_t author) {
    return Post{.title = "huge",
                .content = std::string(200'000, 'x'),
                .author_id = author,
                .views = 0,
                .published_at = std::nullopt};
}

// A file database with one user, which cannot grow past its current size.
ctorm::sqlite::connection full_disk_db(std::int64_t& author) {
    auto db = ctorm_test::fresh_db(ctorm_test::storage::file);
    author = db.scalar(insert(users).values(User{.email = "ann@example.com", .name = "Ann"}).returning(users.id));
    // max_page_count cannot go below the file's size: 1 means "as it is now".
    db.execute_script("PRAGMA max_page_count = 1");
    return db;
}

// Whether SQLite itself still has a transaction open.
bool sqlite_in_transaction(ctorm::sqlite::connection& db) { return sqlite3_get_autocommit(db.native_handle()) == 0; }

}  // namespace

TEST_CASE("SQLite: a statement after SQLite rolled the transaction back fails and commits nothing",
          "[sqlite][transactions][fault]") {
    std::int64_t author = 0;
    auto db = full_disk_db(author);
    {
        auto tx = db.begin();
        db.execute(insert(posts).values(small_post("first", author)));
        try {
            db.execute(insert(posts).values(huge_post(author)));
            FAIL("the huge insert should not fit");
        } catch (const ctorm::operational_error& e) {
            CHECK((e.code() & 0xFF) == SQLITE_FULL);
            CHECK_THAT(e.what(), Catch::Contains("SQLite rolled the transaction back"));
        }
        REQUIRE_FALSE(sqlite_in_transaction(db));  // SQLite ended it: the first post is gone

        // The next statement would have run in autocommit mode and been committed.
        try {
            db.execute(insert(posts).values(small_post("second", author)));
            FAIL("a statement of a rolled-back transaction ran");
        } catch (const ctorm::transaction_error& e) {
            CHECK_THAT(e.what(), Catch::Contains("the transaction was rolled back by SQLite after") &&
                                     Catch::Contains("SQLITE_FULL"));
        }
        // Reads fail too: they would not see the transaction's own writes.
        CHECK_THROWS_AS(post_count(db), ctorm::transaction_error);
        CHECK_THROWS_AS(db.execute_script("INSERT INTO posts (title, content, author_id) VALUES ('x', 'y', 1)"),
                        ctorm::transaction_error);
        CHECK_THROWS_AS(tx.savepoint(), ctorm::transaction_error);
        CHECK_THROWS_AS(db.begin(), ctorm::transaction_error);
        try {
            tx.commit();
            FAIL("commit() of a rolled-back transaction succeeded");
        } catch (const ctorm::transaction_error& e) {
            CHECK_THAT(e.what(), Catch::Contains("the transaction was rolled back by SQLite after") &&
                                     Catch::Contains("database or disk is full"));
        }
        CHECK(tx.active());
        CHECK_FALSE(sqlite_in_transaction(db));
    }  // the guard is gone: the connection works again
    CHECK(post_count(db) == 0);
    db.execute(insert(posts).values(small_post("after", author)));
    CHECK(post_count(db) == 1);
    auto tx = db.begin();
    db.execute(insert(posts).values(small_post("in a new transaction", author)));
    tx.commit();
    CHECK(post_count(db) == 2);
}

TEST_CASE("SQLite: rollback() of a transaction SQLite rolled back succeeds", "[sqlite][transactions][fault]") {
    std::int64_t author = 0;
    auto db = full_disk_db(author);
    auto tx = db.begin();
    db.execute(insert(posts).values(small_post("first", author)));
    CHECK_THROWS_AS(db.execute(insert(posts).values(huge_post(author))), ctorm::operational_error);
    REQUIRE_FALSE(sqlite_in_transaction(db));
    tx.rollback();
    CHECK_FALSE(tx.active());
    CHECK(post_count(db) == 0);
    auto again = db.begin();
    db.execute(insert(posts).values(small_post("second", author)));
    again.commit();
    CHECK(post_count(db) == 1);
}

TEST_CASE("SQLite: a savepoint's work is refused after SQLite rolled the transaction back",
          "[sqlite][transactions][fault]") {
    std::int64_t author = 0;
    auto db = full_disk_db(author);
    {
        auto tx = db.begin();
        db.execute(insert(posts).values(small_post("first", author)));
        auto sp = tx.savepoint();
        CHECK_THROWS_AS(db.execute(insert(posts).values(huge_post(author))), ctorm::operational_error);
        REQUIRE_FALSE(sqlite_in_transaction(db));
        // Rolling back to the savepoint cannot bring back what came before it.
        CHECK_THROWS_AS(sp.rollback(), ctorm::transaction_error);
        CHECK_THROWS_AS(db.execute(insert(posts).values(small_post("second", author))), ctorm::transaction_error);
        CHECK_THROWS_AS(tx.commit(), ctorm::transaction_error);
    }
    CHECK(post_count(db) == 0);
}

TEST_CASE("SQLite: a bulk insert inside a transaction SQLite rolled back leaves nothing",
          "[sqlite][transactions][fault]") {
    std::int64_t author = 0;
    auto db = full_disk_db(author);
    {
        auto tx = db.begin();
        db.execute(insert(posts).values(small_post("first", author)));
        std::vector<Post> rows{small_post("a", author), huge_post(author), small_post("b", author)};
        CHECK_THROWS_AS(db.execute(insert(posts).values(rows)), ctorm::operational_error);
        REQUIRE_FALSE(sqlite_in_transaction(db));
        CHECK_THROWS_AS(db.execute(insert(posts).values(std::vector<Post>{small_post("c", author)})),
                        ctorm::transaction_error);
        CHECK_THROWS_AS(tx.commit(), ctorm::transaction_error);
    }
    CHECK(post_count(db) == 0);
    // A bulk insert of its own (outside a transaction) that fails leaves the connection usable.
    std::vector<Post> rows{small_post("a", author), huge_post(author)};
    CHECK_THROWS_AS(db.execute(insert(posts).values(rows)), ctorm::operational_error);
    CHECK(post_count(db) == 0);
    db.execute(insert(posts).values(small_post("after", author)));
    CHECK(post_count(db) == 1);
}

TEST_CASE("SQLite: a statement that fails without ending the transaction changes nothing", "[sqlite][transactions]") {
    auto db = ctorm_test::fresh_db(ctorm_test::storage::file);
    const std::int64_t author =
        db.scalar(insert(users).values(User{.email = "ann@example.com", .name = "Ann"}).returning(users.id));
    auto tx = db.begin();
    db.execute(insert(posts).values(small_post("first", author)));
    // A constraint failure undoes only its statement: the transaction goes on.
    CHECK_THROWS_AS(db.execute(insert(users).values(User{.email = "ann@example.com", .name = "again"})),
                    ctorm::unique_violation);
    CHECK(sqlite_in_transaction(db));
    db.execute(insert(posts).values(small_post("second", author)));
    tx.commit();
    CHECK(post_count(db) == 2);
}

TEST_CASE("SQLite: a trigger's RAISE(ROLLBACK) ends the transaction for every later statement",
          "[sqlite][transactions]") {
    auto db = ctorm_test::fresh_db(ctorm_test::storage::file);
    const std::int64_t author =
        db.scalar(insert(users).values(User{.email = "ann@example.com", .name = "Ann"}).returning(users.id));
    db.execute_script(
        "CREATE TRIGGER no_forbidden BEFORE INSERT ON posts WHEN NEW.title = 'forbidden' "
        "BEGIN SELECT RAISE(ROLLBACK, 'forbidden title'); END");
    {
        auto tx = db.begin();
        db.execute(insert(posts).values(small_post("first", author)));
        CHECK_THROWS_AS(db.execute(insert(posts).values(small_post("forbidden", author))), ctorm::integrity_error);
        REQUIRE_FALSE(sqlite_in_transaction(db));
        try {
            db.execute(insert(posts).values(small_post("second", author)));
            FAIL("a statement of a rolled-back transaction ran");
        } catch (const ctorm::transaction_error& e) {
            CHECK_THAT(e.what(), Catch::Contains("rolled back by SQLite after forbidden title"));
        }
        CHECK_THROWS_AS(tx.commit(), ctorm::transaction_error);
    }
    CHECK(post_count(db) == 0);
}
