// A statement waiting for a lock another connection holds, on both backends
// where two connections share data (a SQLite file; PostgreSQL): the statement
// timeout and cancel() stop the wait (on SQLite ctorm's busy handler gives up
// at once; on PostgreSQL the cancel request), the operation throws
// operational_error saying why, nothing was written, and once the lock is
// gone the same connection writes. Without either, SQLite waits its busy
// timeout as before. Statements are named before they are awaited (g++ 12,
// docs/async.md).
#include "support/async_fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <type_traits>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::someone;
using ctorm_test::user_count;
using namespace std::chrono_literals;

namespace {

template <class B>
constexpr bool is_sqlite = std::is_same_v<B, ctorm_test::sqlite_file>;

// An async connection and a blocking one to the same database.
template <class B>
struct two_connections;

template <>
struct two_connections<ctorm_test::sqlite_file> {
    ctorm::sqlite::connection locker;
    ctorm::sqlite::async_connection db;

    static awaitable<two_connections> open(const char* tag) {
        auto first = ctorm_test::sqlite_file::fresh(tag);
        auto second = ctorm_test::sqlite_file::reconnect(first);
        co_return two_connections{std::move(second), ctorm::sqlite::async_connection(std::move(first))};
    }
    // Holds the write lock (BEGIN IMMEDIATE) until rollback.
    ctorm::sqlite::connection::transaction lock() { return locker.begin(ctorm::sqlite::transaction_mode::immediate); }
};

#ifdef CTORM_TEST_WITH_POSTGRES
template <>
struct two_connections<ctorm_test::postgresql> {
    ctorm::postgres::connection locker;
    ctorm::postgres::async_connection db;

    static awaitable<two_connections> open(const char* tag) {
        auto db = co_await ctorm_test::async_backend<ctorm_test::postgresql>::fresh(tag);
        co_return two_connections{ctorm_test::postgres_connect_in(ctorm_test::postgres_schema_name(tag)),
                                  std::move(db)};
    }
    ctorm::postgres::connection::transaction lock() {
        auto tx = locker.begin();
        locker.execute_script("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
        return tx;
    }
};
#define CTORM_TEST_LOCK_BACKENDS ctorm_test::sqlite_file, ctorm_test::postgresql
#else
#define CTORM_TEST_LOCK_BACKENDS ctorm_test::sqlite_file
#endif

// What an insert waiting for the lock threw, and how long it took.
struct outcome {
    bool stopped = false;
    std::string message;
    std::chrono::steady_clock::duration took{};
};

template <class DB, class Q>
awaitable<outcome> insert_waiting(DB& db, const Q& q) {
    outcome out;
    const auto started = std::chrono::steady_clock::now();
    try {
        (void)co_await db.execute(q);
    } catch (const ctorm::operational_error& e) {
        out.stopped = true;
        out.message = e.what();
    }
    out.took = std::chrono::steady_clock::now() - started;
    co_return out;
}

}  // namespace

TEMPLATE_TEST_CASE("lock wait: the statement timeout and cancel() stop a statement waiting for a lock",
                   "[async][cancel]", CTORM_TEST_LOCK_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto both = co_await two_connections<TestType>::open("async_lock_wait");
        auto& db = both.db;
        const auto ann = insert(users).values(someone("ann@x.io"));
        (void)co_await db.execute(ann);  // prepared before the lock: the execution waits
        const auto bob = insert(users).values(someone("bob@x.io"));
        (void)co_await db.execute(bob);
        const auto cy = insert(users).values(someone("cy@x.io"));

        auto lock = both.lock();
        // The statement timeout (SQLite's busy timeout is 5 s: ctorm stops the wait before).
        db.set_statement_timeout(200ms);
        const outcome timed = co_await insert_waiting(db, cy);
        CHECK(timed.stopped);
        CHECK(timed.message.find("the statement timeout of 200 ms ran out") != std::string::npos);
        CHECK(timed.took >= 200ms);
        CHECK(timed.took < 2s);
        if constexpr (is_sqlite<TestType>) CHECK(timed.message.find("SQLITE_BUSY") != std::string::npos);
        else CHECK(timed.message.find("57014") != std::string::npos);

        // cancel() from another coroutine, 100 ms in.
        db.set_statement_timeout(std::chrono::steady_clock::duration::zero());
        ctorm::asio::steady_timer timer(co_await ctorm::asio::this_coro::executor, 100ms);
        timer.async_wait([&db](const boost::system::error_code& e) {
            if (!e) db.cancel();
        });
        const outcome canceled = co_await insert_waiting(db, cy);
        CHECK(canceled.stopped);
        CHECK(canceled.message.find("cancel() was called") != std::string::npos);
        CHECK(canceled.took >= 100ms);
        CHECK(canceled.took < 2s);

        lock.rollback();
        const auto written = co_await db.execute(cy);  // the lock is gone: the same connection writes
        CHECK(written.rows_affected == 1);
        const std::int64_t count = co_await user_count(db);
        CHECK(count == 3);
    });
}

TEMPLATE_TEST_CASE("lock wait: without a timeout SQLite waits its busy timeout, then reports the lock",
                   "[async][cancel]", ctorm_test::sqlite_file) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto first = ctorm_test::sqlite_file::fresh("async_busy_timeout");
        const std::string path = first.path();
        auto locker = ctorm_test::sqlite_file::reconnect(first);
        ctorm::sqlite::open_options options;
        options.busy_timeout_ms = 300;
        first = ctorm::sqlite::connection(path, options);
        ctorm::sqlite::async_connection db(std::move(first));
        const auto ann = insert(users).values(someone("ann@x.io"));
        auto lock = locker.begin(ctorm::sqlite::transaction_mode::immediate);
        const outcome waited = co_await insert_waiting(db, ann);
        CHECK(waited.stopped);
        CHECK(waited.message.find("SQLITE_BUSY") != std::string::npos);
        CHECK(waited.message.find("stopped the wait") == std::string::npos);  // SQLite's own report
        CHECK(waited.took >= 300ms);
        CHECK(waited.took < 3s);

        // Released while waiting: the statement goes on and writes.
        ctorm::asio::steady_timer timer(co_await ctorm::asio::this_coro::executor, 100ms);
        timer.async_wait([&lock](const boost::system::error_code& e) {
            if (!e) lock.rollback();
        });
        const auto written = co_await db.execute(ann);
        CHECK(written.rows_affected == 1);
    });
}
