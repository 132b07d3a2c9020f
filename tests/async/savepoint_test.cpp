// Savepoints of the async transactions on every backend: release() keeps the
// work since the savepoint, rollback() undoes it and the transaction goes on,
// a guard left active (an exception, nested savepoints, the transaction's
// guard right after) is rolled back before the connection's next statement,
// a failed statement undone by its savepoint (PostgreSQL's aborted
// transaction is usable again), and misuse is a transaction_error.
// Statements are named before they are awaited (g++ 12, docs/async.md).
#include "support/async_fixture.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::someone;
using ctorm_test::user_count;

namespace {

template <class DB>
awaitable<void> add(DB& db, const char* email) {  // a literal: no class temporary in the co_await
    const auto q = insert(users).values(someone(email));
    co_await db.execute(q);
}

template <class DB>
awaitable<std::vector<std::string>> emails(DB& db) {
    const auto q = select(users.email).order_by(users.email);
    co_return co_await db.all(q);
}

using list = std::vector<std::string>;
// The expected emails (a function: g++ 12 rejects a braced list of literals in a coroutine).
template <class... S>
list of(S... emails) {
    return list{std::string(emails)...};
}

}  // namespace

TEMPLATE_TEST_CASE("async savepoints: release keeps, rollback undoes, the transaction goes on", "[async][savepoint]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_savepoints");
        auto tx = co_await db.begin();
        co_await add(db, "a@x.io");
        {
            auto sp = co_await tx.savepoint();
            CHECK(sp.active());
            CHECK(sp.name().rfind("ctorm_savepoint_", 0) == 0);
            co_await add(db, "b@x.io");
            co_await sp.rollback();
            CHECK(!sp.active());
        }
        {
            auto sp = co_await tx.savepoint();
            co_await add(db, "c@x.io");
            co_await sp.release();
        }
        co_await add(db, "d@x.io");
        co_await tx.commit();
        {
            const auto awaited = co_await emails(db);
            CHECK(awaited == of("a@x.io", "c@x.io", "d@x.io"));
        }
    });
}

TEMPLATE_TEST_CASE("async savepoints: a guard left active is rolled back before the next statement",
                   "[async][savepoint]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_savepoint_guards");
        auto tx = co_await db.begin();
        co_await add(db, "a@x.io");
        bool threw = false;
        try {
            co_await [&]() -> awaitable<void> {
                auto outer = co_await tx.savepoint();
                co_await add(db, "b@x.io");
                auto inner = co_await tx.savepoint();
                co_await add(db, "c@x.io");
                throw std::runtime_error("the nested step failed");
            }();  // inner, then outer: both rolled back, in that order
        } catch (const std::runtime_error&) {
            threw = true;
        }
        CHECK(threw);
        {
            const auto awaited = co_await emails(db);
            CHECK(awaited == of("a@x.io"));  // inside the transaction, which goes on
        }
        co_await add(db, "d@x.io");
        co_await tx.commit();
        {
            const auto awaited = co_await emails(db);
            CHECK(awaited == of("a@x.io", "d@x.io"));
        }

        // A savepoint guard and then its transaction's guard, both left: all of it rolled back.
        try {
            co_await [&]() -> awaitable<void> {
                auto t = co_await db.begin();
                co_await add(db, "e@x.io");
                auto sp = co_await t.savepoint();
                co_await add(db, "f@x.io");
                throw std::runtime_error("the handler failed");
            }();
        } catch (const std::runtime_error&) {
        }
        {
            const auto awaited = co_await emails(db);
            CHECK(awaited == of("a@x.io", "d@x.io"));
        }
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 2);
        }
        auto again = co_await db.begin();  // no transaction was left open
        co_await again.rollback();
    });
}

TEMPLATE_TEST_CASE("async savepoints: a failed statement undone by its savepoint, misuse is an error",
                   "[async][savepoint]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_savepoint_failure");
        auto tx = co_await db.begin();
        co_await add(db, "a@x.io");
        auto sp = co_await tx.savepoint();
        bool unique = false;
        try {
            co_await add(db, "a@x.io");  // the same email: PostgreSQL aborts the transaction
        } catch (const ctorm::unique_violation&) {
            unique = true;
        }
        CHECK(unique);
        co_await sp.rollback();  // ... and the savepoint's rollback makes it usable again
        co_await add(db, "b@x.io");
        std::string twice;
        try {
            co_await sp.release();
        } catch (const ctorm::transaction_error& e) {
            twice = e.what();
        }
        CHECK(twice.find("already been released or rolled back") != std::string::npos);
        co_await tx.commit();
        std::string after;
        try {
            auto late = co_await tx.savepoint();
        } catch (const ctorm::transaction_error& e) {
            after = e.what();
        }
        CHECK(after.find("savepoint(): this transaction has already been committed") != std::string::npos);
        {
            const auto awaited = co_await emails(db);
            CHECK(awaited == of("a@x.io", "b@x.io"));
        }
    });
}
