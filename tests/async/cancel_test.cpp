// The statement timeout and cancel() of both async connections: a statement
// that runs too long (pg_sleep or a long recursive CTE; on PostgreSQL also a
// table locked by another session) is stopped (a cancel request; SQLite's
// sqlite3_interrupt), the operation throws operational_error soon after
// (SQLSTATE 57014; SQLITE_INTERRUPT) saying why, and the same connection gives
// the right results next. Queries are named before they are awaited (g++ 12,
// see docs/async.md).
#include "support/async_fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <type_traits>
#include <vector>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::someone;
using namespace std::chrono_literals;

namespace {

// What an operation threw (its code, SQLSTATE and what()), and how long it took.
struct outcome {
    bool threw = false;
    int code = 0;
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
        out.threw = true;
        out.code = e.code();
        out.sqlstate = e.sqlstate();
        out.message = e.what();
    }
    out.took = std::chrono::steady_clock::now() - started;
    co_return out;
}

template <class B>
constexpr bool is_sqlite = std::is_same_v<B, ctorm_test::sqlite_memory> || std::is_same_v<B, ctorm_test::sqlite_file>;

// A statement that runs for seconds, and one that ends in a few milliseconds.
template <class B>
std::string long_statement() {
    if constexpr (is_sqlite<B>)
        return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 200000000) "
               "SELECT count(*) FROM c";
    else return "SELECT pg_sleep(5)";
}
template <class B>
std::string short_statement() {
    if constexpr (is_sqlite<B>)
        return "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000) SELECT count(*) FROM c";
    else return "SELECT pg_sleep(0.05)";
}

// Whether the outcome is the backend's "the statement was stopped".
template <class B>
bool stopped(const outcome& out) {
    if constexpr (is_sqlite<B>)
        return out.threw && (out.code & 0xFF) == 9 && out.message.find("SQLITE_INTERRUPT") != std::string::npos;
    else return out.threw && out.sqlstate == "57014" && out.message.find("query_canceled") != std::string::npos;
}

}  // namespace

TEMPLATE_TEST_CASE("cancel: a statement past its timeout is canceled and the connection goes on", "[async][cancel]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        db.set_statement_timeout(200ms);
        CHECK(db.statement_timeout() == 200ms);
        const std::string slow = long_statement<TestType>();
        const outcome out = co_await canceled([&]() -> awaitable<void> { co_await db.execute_script(slow); });
        CHECK(stopped<TestType>(out));
        CHECK(out.message.find("the statement timeout of 200 ms ran out") != std::string::npos);
        CHECK(out.took >= 200ms);
        CHECK(out.took < 2s);

        // The same connection, with the same timeout: right results.
        const auto add = insert(users).values(someone("ann@example.com"));
        const ctorm::execute_result added = co_await db.execute(add);
        CHECK(added.rows_affected == 1);
        const auto counted = select(ctorm::count()).from(users);
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 1);
        }
        const std::string quick = short_statement<TestType>();
        co_await db.execute_script(quick);  // within the timeout
        db.set_statement_timeout(std::chrono::steady_clock::duration::zero());
        if constexpr (is_sqlite<TestType>) {
            co_await db.execute_script(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000) "
                "SELECT count(*) FROM c");  // no timeout any more
        } else {
            co_await db.execute_script("SELECT pg_sleep(0.3)");  // no timeout any more
        }
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 1);
        }
    });
}

#ifdef CTORM_TEST_WITH_POSTGRES
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
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 1);
        }
        const std::vector<std::string> expected{"ann@example.com"};
        const std::vector<std::string> rows = co_await db.all(listed);
        CHECK(rows == expected);
        const auto add_bob = insert(users).values(someone("bob@example.com"));
        auto [added, count] = co_await pipeline(db, add_bob, counted);
        CHECK(added.rows_affected == 1);
        CHECK(count == std::vector<std::int64_t>{2});
    });
}
#endif

TEMPLATE_TEST_CASE("cancel: cancel() from another coroutine stops the statement", "[async][cancel]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    boost::asio::io_context io;
    ctorm_test::run_coroutine(io, [&io]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        db.cancel();  // nothing waits: nothing happens
        const std::string quick = short_statement<TestType>();
        co_await db.execute_script(quick);

        boost::asio::steady_timer timer(io, 200ms);
        timer.async_wait([&db](const boost::system::error_code& e) {
            if (!e) db.cancel();
        });
        const std::string slow = long_statement<TestType>();
        const outcome out = co_await canceled([&]() -> awaitable<void> { co_await db.execute_script(slow); });
        CHECK(stopped<TestType>(out));
        CHECK(out.message.find("cancel() was called") != std::string::npos);
        CHECK(out.took >= 200ms);
        CHECK(out.took < 2s);
        const auto counted = select(ctorm::count()).from(users);
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 0);
        }
    });
}

// SQLite ends a transaction itself when it interrupts a write in it; a read
// leaves it open. Either way the guard's rollback ends it, and nothing the
// transaction wrote stays.
TEMPLATE_TEST_CASE("cancel: SQLite, an interrupted select leaves the transaction open, an interrupted write ends it",
                   "[async][cancel]", ctorm_test::sqlite_memory, ctorm_test::sqlite_file) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        db.set_statement_timeout(200ms);
        const auto add = insert(users).values(someone("ann@example.com"));
        const auto counted = select(ctorm::count()).from(users);
        const std::string slow = long_statement<TestType>();
        {
            auto tx = co_await db.begin();
            co_await db.execute(add);
            const outcome out = co_await canceled([&]() -> awaitable<void> { co_await db.execute_script(slow); });
            CHECK(stopped<TestType>(out));
            {
                const auto awaited = co_await db.in_transaction();
                CHECK(awaited);
            }
            co_await tx.rollback();
        }
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 0);
        }
        {
            auto tx = co_await db.begin();
            co_await db.execute(add);
            // A write that runs for seconds: names made by a long recursive CTE.
            const std::string slow_write =
                "INSERT INTO users (email, name) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                "LIMIT 200000000) SELECT 'u' || x || '@example.com', 'u' FROM c WHERE x % 100000000 = 0";
            const outcome out = co_await canceled([&]() -> awaitable<void> { co_await db.execute_script(slow_write); });
            CHECK(stopped<TestType>(out));
            CHECK(out.message.find("the statement timeout of 200 ms ran out") != std::string::npos);
            {
                const auto awaited = co_await db.in_transaction();
                CHECK_FALSE(awaited);
            }
            co_await tx.rollback();
        }
        {
            const auto awaited = co_await db.in_transaction();
            CHECK_FALSE(awaited);
        }
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 0);
        }
        co_await db.execute(add);
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 1);
        }
    });
}
