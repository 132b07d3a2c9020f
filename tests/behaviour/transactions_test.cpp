// Transactions on every backend: commit persists (seen from a second
// connection), rollback, scope exit and exceptions undo everything, misuse
// throws transaction_error, savepoints, and bulk inserts are all-or-nothing
// both alone and inside a user's transaction.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace blog;

namespace {

template <class DB>
bool has_user(DB& db, const std::string& email) {
    return db.one_or_none(select(users.id).where(users.email == email)).has_value();
}

// What another connection sees: the committed state, where the backend has one.
template <class Backend, class DB>
std::optional<std::int64_t> user_count_elsewhere(DB& db) {
    if constexpr (Backend::shares_data) {
        auto other = Backend::reconnect(db);
        return user_count(other);
    } else {
        return std::nullopt;
    }
}

std::vector<User> batch(const std::string& prefix, int n) {
    std::vector<User> out;
    for (int i = 0; i < n; ++i) {
        out.push_back(User{.email = prefix + std::to_string(i) + "@example.com", .name = prefix});
    }
    return out;
}

}  // namespace

TEMPLATE_TEST_CASE("commit makes the work visible to other connections, and durable", "[transactions]",
                   CTORM_TEST_SHARED_BACKENDS) {
    auto db = TestType::fresh();
    auto other = TestType::reconnect(db);
    CHECK_FALSE(db.in_transaction());
    {
        auto tx = db.begin();
        CHECK(tx.active());
        CHECK(db.in_transaction());
        add_someone(db, "ann@example.com");
        add_someone(db, "bob@example.com");
        CHECK(user_count(db) == 2);     // our own work is visible to us
        CHECK(user_count(other) == 0);  // but not yet to anyone else
        tx.commit();
        CHECK_FALSE(tx.active());
        CHECK_FALSE(db.in_transaction());
    }
    CHECK(user_count(other) == 2);
    CHECK(has_user(other, "bob@example.com"));
    // Still there through a connection opened afresh.
    db = TestType::reconnect(other);
    CHECK(user_count(db) == 2);
}

TEMPLATE_TEST_CASE("rollback() undoes the transaction's work", "[transactions]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_someone(db, "before@example.com");
    auto tx = db.begin();
    add_someone(db, "ann@example.com");
    db.execute(update(users).set(users.name = "changed"));
    db.execute(delete_from(users).where(users.email == "before@example.com"));
    CHECK(user_count(db) == 1);
    tx.rollback();
    CHECK_FALSE(tx.active());
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(db) == 1);
    CHECK(has_user(db, "before@example.com"));
    CHECK_FALSE(has_user(db, "ann@example.com"));
    CHECK(db.one(select(users.name)) == "someone");
    CHECK(user_count_elsewhere<TestType>(db).value_or(1) == 1);
    // A finished transaction cannot be finished again.
    CHECK_THROWS_AS(tx.rollback(), ctorm::transaction_error);
    CHECK_THROWS_AS(tx.commit(), ctorm::transaction_error);
}

TEMPLATE_TEST_CASE("leaving the scope without commit rolls back", "[transactions]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    {
        auto tx = db.begin();
        add_someone(db, "ann@example.com");
        std::vector<User> more = batch("bulk", 20);
        CHECK(db.execute(insert(users).values(more)).rows_affected == 20);
        CHECK(user_count(db) == 21);
    }
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(db) == 0);
    CHECK(user_count_elsewhere<TestType>(db).value_or(0) == 0);
    // The connection is ready for the next transaction.
    auto tx = db.begin();
    add_someone(db, "bob@example.com");
    tx.commit();
    CHECK(user_count(db) == 1);
    CHECK(user_count_elsewhere<TestType>(db).value_or(1) == 1);
}

TEMPLATE_TEST_CASE("an exception leaving the scope rolls back and goes on", "[transactions]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto work = [&db](bool fail) {
        auto tx = db.begin();
        add_someone(db, "ann@example.com");
        if (fail) throw std::runtime_error("boom");
        tx.commit();
    };
    CHECK_THROWS_WITH(work(true), "boom");
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(db) == 0);
    CHECK(user_count_elsewhere<TestType>(db).value_or(0) == 0);

    // A database error inside the scope: the work before it is undone too.
    add_someone(db, "taken@example.com");
    const auto clash = [&db] {
        auto tx = db.begin();
        add_someone(db, "new@example.com");
        db.execute(insert(users).values(User{.email = "taken@example.com", .name = "again"}));
        tx.commit();
    };
    CHECK_THROWS_AS(clash(), ctorm::unique_violation);
    CHECK_FALSE(db.in_transaction());
    CHECK_FALSE(has_user(db, "new@example.com"));
    CHECK(user_count(db) == 1);

    work(false);
    CHECK(user_count(db) == 2);
    CHECK(user_count_elsewhere<TestType>(db).value_or(2) == 2);
}

TEMPLATE_TEST_CASE("begin() inside an open transaction throws transaction_error", "[transactions]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    auto tx = db.begin();
    add_someone(db, "ann@example.com");
    CHECK_THROWS_AS(db.begin(), ctorm::transaction_error);
    // The open transaction is untouched by the refused begin().
    CHECK(tx.active());
    CHECK(db.in_transaction());
    CHECK(user_count(db) == 1);
    tx.commit();
    CHECK(user_count(db) == 1);
    CHECK(user_count_elsewhere<TestType>(db).value_or(1) == 1);
    // Once it is over, begin() works again.
    auto next = db.begin();
    CHECK(next.active());
    next.rollback();
}

TEMPLATE_TEST_CASE("commit twice throws transaction_error and changes nothing", "[transactions]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    auto tx = db.begin();
    add_someone(db, "ann@example.com");
    tx.commit();
    try {
        tx.commit();
        FAIL("a second commit() was accepted");
    } catch (const ctorm::transaction_error& e) {
        CHECK(std::string(e.what()).find("commit") != std::string::npos);
    }
    CHECK_THROWS_AS(tx.rollback(), ctorm::transaction_error);
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(db) == 1);
    CHECK(user_count_elsewhere<TestType>(db).value_or(1) == 1);
}

TEMPLATE_TEST_CASE("a moved-from transaction is inactive and the moved-to one commits", "[transactions]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    auto tx = db.begin();
    add_someone(db, "ann@example.com");
    auto moved = std::move(tx);
    CHECK_FALSE(tx.active());
    CHECK(moved.active());
    CHECK_THROWS_AS(tx.commit(), ctorm::transaction_error);
    CHECK(db.in_transaction());
    moved.commit();
    CHECK(user_count(db) == 1);
    CHECK(user_count_elsewhere<TestType>(db).value_or(1) == 1);
}

TEMPLATE_TEST_CASE("savepoints undo or keep a part of a transaction", "[transactions]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    auto tx = db.begin();
    add_someone(db, "kept@example.com");
    {
        auto sp = tx.savepoint();
        CHECK(sp.active());
        add_someone(db, "undone@example.com");
        sp.rollback();
        CHECK_FALSE(sp.active());
        CHECK_THROWS_AS(sp.release(), ctorm::transaction_error);
    }
    {
        auto sp = tx.savepoint();
        add_someone(db, "released@example.com");
        sp.release();
    }
    {
        auto sp = tx.savepoint();
        add_someone(db, "dropped@example.com");
        // leaves the scope neither released nor rolled back: undone
    }
    CHECK(db.in_transaction());
    tx.commit();
    CHECK(has_user(db, "kept@example.com"));
    CHECK(has_user(db, "released@example.com"));
    CHECK_FALSE(has_user(db, "undone@example.com"));
    CHECK_FALSE(has_user(db, "dropped@example.com"));
    CHECK(user_count_elsewhere<TestType>(db).value_or(2) == 2);
    CHECK_THROWS_AS(tx.savepoint(), ctorm::transaction_error);
}

TEMPLATE_TEST_CASE("a bulk insert whose later row violates UNIQUE writes nothing", "[transactions]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_someone(db, "taken@example.com");

    std::vector<User> rows = batch("bulk", 50);
    rows[37].email = "taken@example.com";  // clashes with the table
    CHECK_THROWS_AS(db.execute(insert(users).values(rows)), ctorm::unique_violation);
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(db) == 1);
    // The message names the failing row, on both backends.
    CHECK_THROWS_WITH(db.execute(insert(users).values(rows)),
                      Catch::Contains("(row 37 of the bulk insert, counting from 0)"));
    CHECK(user_count(db) == 1);
    CHECK_FALSE(has_user(db, "bulk0@example.com"));
    CHECK(user_count_elsewhere<TestType>(db).value_or(1) == 1);

    rows = batch("again", 10);
    rows[9].email = rows[2].email;  // clashes within the batch
    CHECK_THROWS_AS(db.execute(insert(users).values(rows)), ctorm::unique_violation);
    CHECK(user_count(db) == 1);

    // Fixed, the same batch goes in whole.
    rows[9].email = "again9@example.com";
    CHECK(db.execute(insert(users).values(rows)).rows_affected == 10);
    CHECK(user_count(db) == 11);
    CHECK(user_count_elsewhere<TestType>(db).value_or(11) == 11);
}

TEMPLATE_TEST_CASE("a failed bulk insert inside a transaction keeps the transaction's earlier work", "[transactions]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_someone(db, "taken@example.com");
    auto tx = db.begin();
    add_someone(db, "early@example.com");
    std::vector<User> rows = batch("bulk", 30);
    rows[29].email = "early@example.com";  // clashes with this transaction's own work
    CHECK_THROWS_AS(db.execute(insert(users).values(rows)), ctorm::unique_violation);

    // The transaction is still open and still holds the early insert.
    CHECK(tx.active());
    CHECK(db.in_transaction());
    CHECK(has_user(db, "early@example.com"));
    CHECK_FALSE(has_user(db, "bulk0@example.com"));
    CHECK(user_count(db) == 2);
    add_someone(db, "late@example.com");
    const std::vector<User> fine = batch("fine", 5);
    CHECK(db.execute(insert(users).values(fine)).rows_affected == 5);
    tx.commit();

    CHECK(user_count(db) == 8);
    CHECK(has_user(db, "late@example.com"));
    CHECK(has_user(db, "fine4@example.com"));
    CHECK_FALSE(has_user(db, "bulk0@example.com"));
    CHECK(user_count_elsewhere<TestType>(db).value_or(8) == 8);
}

TEMPLATE_TEST_CASE("a failed bulk insert in a transaction that is then rolled back leaves nothing", "[transactions]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    {
        auto tx = db.begin();
        add_someone(db, "early@example.com");
        std::vector<User> rows = batch("bulk", 3);
        rows[2].email = rows[0].email;
        CHECK_THROWS_AS(db.execute(insert(users).values(rows)), ctorm::unique_violation);
        CHECK(db.in_transaction());
    }
    CHECK_FALSE(db.in_transaction());
    CHECK(user_count(db) == 0);
}
