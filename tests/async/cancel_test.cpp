// PostgreSQL's statement timeout and cancel(): a statement that runs too
// long (pg_sleep, a table locked by another session) is stopped by a cancel
// request, the operation throws operational_error 57014 soon after, and the
// same connection gives the right results next. Queries are named before
// they are awaited (g++ 12, see docs/async.md).
#include "support/async_fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::someone;
using namespace std::chrono_literals;

#ifdef CTORM_TEST_WITH_POSTGRES
namespace {

// What an operation threw (its SQLSTATE and what()), and how long it took.
struct outcome {
    std::string sqlstate, message;
    std::chrono::steady_clock::duration took{};
};

template <class Make>
awaitable<outcome> canceled(Make make) {
    outcome out;
    const auto started = std::chrono::steady_clock::now();
    try {
        co_await make();
    } catch (const ctorm::operational_error& e) {
        out.sqlstate = e.sqlstate();
        out.message = e.what();
    }
    out.took = std::chrono::steady_clock::now() - started;
    co_return out;
}

}  // namespace

TEMPLATE_TEST_CASE("cancel: a statement past its timeout is canceled and the connection goes on", "[async][cancel]",
                   ctorm_test::postgresql) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        db.set_statement_timeout(200ms);
        CHECK(db.statement_timeout() == 200ms);
        const outcome out =
            co_await canceled([&db]() -> awaitable<void> { co_await db.execute_script("SELECT pg_sleep(5)"); });
        CHECK(out.sqlstate == "57014");
        CHECK(out.message.find("query_canceled") != std::string::npos);
        CHECK(out.message.find("the statement timeout of 200 ms ran out") != std::string::npos);
        CHECK(out.took >= 200ms);
        CHECK(out.took < 2s);

        // The same connection, with the same timeout: right results.
        const auto add = insert(users).values(someone("ann@example.com"));
        const ctorm::execute_result added = co_await db.execute(add);
        CHECK(added.rows_affected == 1);
        const auto counted = select(ctorm::count()).from(users);
        CHECK(co_await db.scalar(counted) == 1);
        co_await db.execute_script("SELECT pg_sleep(0.05)");  // within the timeout
        db.set_statement_timeout(std::chrono::steady_clock::duration::zero());
        co_await db.execute_script("SELECT pg_sleep(0.3)");  // no timeout any more
        CHECK(co_await db.scalar(counted) == 1);
    });
}

TEMPLATE_TEST_CASE(
    "cancel: typed statements and pipelines waiting for a lock are canceled, in and out of a transaction",
    "[async][cancel]", ctorm_test::postgresql) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("locked");
        const auto add = insert(users).values(someone("ann@example.com"));
        co_await db.execute(add);
        const auto counted = select(ctorm::count()).from(users);
        const auto listed = select(users.email).order_by(users.email);
        (void)co_await db.scalar(counted);  // prepared before the lock: this time the execution waits

        // Another session holds the table.
        auto locker = ctorm_test::postgres_connect_in(ctorm_test::postgres_schema_name("locked"));
        auto lock = locker.begin();
        locker.execute_script("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");

        db.set_statement_timeout(200ms);
        const outcome scalar = co_await canceled([&]() -> awaitable<void> { (void)co_await db.scalar(counted); });
        CHECK(scalar.sqlstate == "57014");
        CHECK(scalar.took < 2s);
        // Never prepared: the preparation waits, and is canceled.
        const outcome all = co_await canceled([&]() -> awaitable<void> { (void)co_await db.all(listed); });
        CHECK(all.sqlstate == "57014");
        CHECK(all.took < 2s);
        const outcome piped =
            co_await canceled([&]() -> awaitable<void> { (void)co_await pipeline(db, add, counted); });
        CHECK(piped.sqlstate == "57014");
        CHECK(piped.took < 2s);

        // Inside a transaction: canceled, the transaction is aborted and rolled back.
        {
            auto tx = co_await db.begin();
            const outcome inside = co_await canceled([&]() -> awaitable<void> { (void)co_await db.scalar(counted); });
            CHECK(inside.sqlstate == "57014");
            CHECK(db.in_transaction());
            co_await tx.rollback();
        }
        CHECK_FALSE(db.in_transaction());

        lock.rollback();
        CHECK(co_await db.scalar(counted) == 1);
        const std::vector<std::string> expected{"ann@example.com"};
        const std::vector<std::string> rows = co_await db.all(listed);
        CHECK(rows == expected);
        const auto add_bob = insert(users).values(someone("bob@example.com"));
        auto [added, count] = co_await pipeline(db, add_bob, counted);
        CHECK(added.rows_affected == 1);
        CHECK(count == std::vector<std::int64_t>{2});
    });
}

TEMPLATE_TEST_CASE("cancel: cancel() from another coroutine stops the statement", "[async][cancel]",
                   ctorm_test::postgresql) {
    boost::asio::io_context io;
    ctorm_test::run_coroutine(io, [&io]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        db.cancel();  // nothing waits: nothing happens
        co_await db.execute_script("SELECT pg_sleep(0.05)");

        boost::asio::steady_timer timer(io, 200ms);
        timer.async_wait([&db](const boost::system::error_code& e) {
            if (!e) db.cancel();
        });
        const outcome out =
            co_await canceled([&db]() -> awaitable<void> { co_await db.execute_script("SELECT pg_sleep(5)"); });
        CHECK(out.sqlstate == "57014");
        CHECK(out.message.find("cancel() was called") != std::string::npos);
        CHECK(out.took < 2s);
        const auto counted = select(ctorm::count()).from(users);
        CHECK(co_await db.scalar(counted) == 0);
    });
}
#endif
