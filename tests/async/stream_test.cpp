// stream(): the rows of a select batch by batch, on every backend: batches of
// the size asked for, in order, one statement; no rows; the connection busy
// until the stream ends (another statement throws) and free again when the
// stream is read to its end, closed or left early, in and out of a
// transaction, also when a transaction guard is left with it; an error the
// database raises after some rows comes after them; on PostgreSQL a stream
// whose statement waits for a lock is stopped by the statement timeout.
// Statements are named before they are awaited (g++ 12, docs/async.md).
#include "support/async_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::attach;
using ctorm_test::in_transaction;
using ctorm_test::someone;
using ctorm_test::user_count;
using namespace std::chrono_literals;

namespace {

std::vector<User> people(int n) {
    std::vector<User> out;
    for (int i = 0; i < n; ++i) out.push_back(someone("u" + std::to_string(10000 + i) + "@x.io"));
    return out;
}

// Whether an operation threw transaction_error saying a stream is being read.
template <class Make>
awaitable<bool> refused_while_streaming(Make make) {
    try {
        co_await make();
    } catch (const ctorm::transaction_error& e) {
        co_return std::string(e.what()).find("reading the rows of a stream()") != std::string::npos;
    }
    co_return false;
}

}  // namespace

TEMPLATE_TEST_CASE("stream: a select's rows in batches of the size asked for, in order, in one statement",
                   "[async][stream]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_stream_batches");
        const std::vector<User> many = people(2500);
        const auto bulk = insert(users).values(many);
        (void)co_await db.execute(bulk);
        const auto q = select(users).order_by(users.id);
        const std::vector<User> expected = co_await db.all(q);
        REQUIRE(expected.size() == 2500);

        ctorm_test::statement_log log;
        co_await attach(log, db);
        auto rows = co_await db.stream(q, 1000);
        CHECK_FALSE(rows.done());
        std::vector<User> batch, seen;
        std::vector<std::size_t> sizes;
        while (co_await rows.next(batch)) {
            sizes.push_back(batch.size());
            for (User& u : batch) seen.push_back(u);
        }
        CHECK(batch.empty());
        CHECK(rows.done());
        CHECK(sizes == std::vector<std::size_t>{1000, 1000, 500});
        REQUIRE(seen.size() == expected.size());
        bool same = true;
        for (std::size_t i = 0; i < seen.size(); ++i)
            same = same && seen[i].id == expected[i].id && seen[i].email == expected[i].email &&
                   seen[i].name == expected[i].name && seen[i].is_active == expected[i].is_active &&
                   seen[i].created_at == expected[i].created_at;
        CHECK(same);
        const auto more_after_end = co_await rows.next(batch);  // and stays at its end
        CHECK_FALSE(more_after_end);
        REQUIRE(log.count() == 1);  // the select, once
        CHECK(log.starts_with(0, "SELECT"));

        // One column, a batch of one row.
        const auto emails = select(users.email).where(users.email < std::string("u10003@x.io")).order_by(users.email);
        auto few = co_await db.stream(emails, 1);
        std::vector<std::string> one, got;
        while (co_await few.next(one)) {
            CHECK(one.size() == 1);
            got.insert(got.end(), one.begin(), one.end());
        }
        CHECK(got == std::vector<std::string>{"u10000@x.io", "u10001@x.io", "u10002@x.io"});
        CHECK(log.count() == 2);
        const auto count_after = co_await user_count(db);  // the connection is free
        CHECK(count_after == 2500);
    });
}

TEMPLATE_TEST_CASE("stream: a select without rows ends at once; a batch of no rows is refused", "[async][stream]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_stream_empty");
        const auto q = select(users.id).where(users.email == std::string("nobody@x.io"));
        auto rows = co_await db.stream(q);
        CHECK(rows.done());
        const auto count_before_next = co_await user_count(db);  // free before next() is called
        CHECK(count_before_next == 0);
        std::vector<std::int64_t> batch{1, 2, 3};
        const bool more_rows = co_await rows.next(batch);
        CHECK_FALSE(more_rows);
        CHECK(batch.empty());
        bool refused = false;
        try {
            (void)co_await db.stream(q, 0);
        } catch (const std::invalid_argument& e) {
            refused = std::string(e.what()).find("at least one row") != std::string::npos;
        }
        CHECK(refused);
        const auto count_after_refusal = co_await user_count(db);
        CHECK(count_after_refusal == 0);
    });
}

TEMPLATE_TEST_CASE("stream: the connection runs nothing else until the stream ends, then is free again",
                   "[async][stream]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_stream_busy");
        const std::vector<User> many = people(600);
        const auto bulk = insert(users).values(many);
        (void)co_await db.execute(bulk);
        const auto q = select(users.id).order_by(users.id);
        std::vector<std::int64_t> batch;

        // Busy while being read; the stream goes on after the refusal.
        {
            auto rows = co_await db.stream(q, 250);
            const bool first_batch = co_await rows.next(batch);
            REQUIRE(first_batch);
            const bool count_refused =
                co_await refused_while_streaming([&]() -> awaitable<void> { (void)co_await user_count(db); });
            CHECK(count_refused);
            const bool stream_refused =
                co_await refused_while_streaming([&]() -> awaitable<void> { (void)co_await db.stream(q); });
            CHECK(stream_refused);
            const bool begin_refused =
                co_await refused_while_streaming([&]() -> awaitable<void> { (void)co_await db.begin(); });
            CHECK(begin_refused);
            std::size_t total = batch.size();
            while (co_await rows.next(batch)) total += batch.size();
            CHECK(total == 600);
            const auto count_after_end = co_await user_count(db);
            CHECK(count_after_end == 600);
        }

        ctorm_test::statement_log log;
        co_await attach(log, db);
        // Left after one batch: the next statement has the connection.
        {
            auto rows = co_await db.stream(q, 100);
            const bool left_batch = co_await rows.next(batch);
            REQUIRE(left_batch);
            CHECK(batch.size() == 100);
        }
        const auto count_after_left = co_await user_count(db);
        CHECK(count_after_left == 600);
        // Closed after one batch.
        {
            auto rows = co_await db.stream(q, 100);
            const bool closed_batch = co_await rows.next(batch);
            REQUIRE(closed_batch);
            co_await rows.close();
            CHECK(rows.done());
            const bool more_after_close = co_await rows.next(batch);
            CHECK_FALSE(more_after_close);
            const auto count_after_close = co_await user_count(db);
            CHECK(count_after_close == 600);
        }
        CHECK(log.count() == 4);  // two streams' selects and two counts: nothing else was sent

        // In a transaction: a stream left early leaves the transaction as it was.
        {
            auto tx = co_await db.begin();
            const auto ann = insert(users).values(someone("ann@x.io"));
            (void)co_await db.execute(ann);
            {
                auto rows = co_await db.stream(q, 10);
                const bool batch_in_transaction = co_await rows.next(batch);
                REQUIRE(batch_in_transaction);
                CHECK(batch.size() == 10);
            }
            const auto bob = insert(users).values(someone("bob@x.io"));
            (void)co_await db.execute(bob);
            co_await tx.commit();
        }
        const auto count_committed = co_await user_count(db);
        CHECK(count_committed == 602);
        // A transaction's guard left with its stream: the rest of the rows, then the ROLLBACK.
        {
            auto tx = co_await db.begin();
            const auto cy = insert(users).values(someone("cy@x.io"));
            (void)co_await db.execute(cy);
            auto rows = co_await db.stream(q, 10);
            const bool batch_in_guard = co_await rows.next(batch);
            REQUIRE(batch_in_guard);
        }
        const auto count_rolled_back = co_await user_count(db);
        CHECK(count_rolled_back == 602);
        const auto still_in_transaction = co_await in_transaction(db);
        CHECK_FALSE(still_in_transaction);
    });
}

TEMPLATE_TEST_CASE("stream: an error the database raises after some rows comes after them", "[async][stream]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_stream_error");
        std::vector<Everything> values(2000);
        for (std::size_t i = 0; i < values.size(); ++i) values[i].i64 = -static_cast<std::int64_t>(i);
        values[1499].i64 = std::numeric_limits<std::int64_t>::min();  // abs() of it overflows: an error on row 1,500
        const auto bulk = insert(everything).values(values);
        (void)co_await db.execute(bulk);
        // No ORDER BY: the rows leave in the order stored, so those before the error are sent first.
        const auto q = select(ctorm::abs(everything.i64));
        auto rows = co_await db.stream(q, 1000);
        std::vector<std::int64_t> batch;
        const bool first_thousand = co_await rows.next(batch);
        REQUIRE(first_thousand);
        CHECK(batch.size() == 1000);
        CHECK(batch[999] == 999);
        const bool before_error = co_await rows.next(batch);
        REQUIRE(before_error);
        CHECK(batch.size() == 499);  // the rows before the one that failed
        CHECK(batch.back() == 1498);
        bool failed = false;
        try {
            (void)co_await rows.next(batch);
        } catch (const ctorm::database_error& e) {
            failed = std::string(e.what()).find("abs") != std::string::npos ||
                     std::string(e.what()).find("out of range") != std::string::npos;
        }
        CHECK(failed);
        CHECK(rows.done());
        const bool more_after_error = co_await rows.next(batch);
        CHECK_FALSE(more_after_error);
        const auto users_after_error = co_await user_count(db);  // and the connection goes on
        CHECK(users_after_error == 0);
        const auto counted = select(ctorm::count()).from(everything);
        const auto stored = co_await db.scalar(counted);
        CHECK(stored == 2000);
    });
}

#ifdef CTORM_TEST_WITH_POSTGRES
TEMPLATE_TEST_CASE("stream: a stream whose statement waits for a lock is stopped by the statement timeout",
                   "[async][stream]", ctorm_test::postgresql) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_stream_locked");
        const std::vector<User> many = people(50);
        const auto bulk = insert(users).values(many);
        (void)co_await db.execute(bulk);
        const auto q = select(users.id).order_by(users.id);
        (void)co_await db.all(q);  // prepared before the lock: the execution waits

        auto locker = ctorm_test::postgres_connect_in(ctorm_test::postgres_schema_name("async_stream_locked"));
        auto lock = locker.begin();
        locker.execute_script("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
        db.set_statement_timeout(200ms);
        std::string sqlstate;
        const auto started = std::chrono::steady_clock::now();
        try {
            (void)co_await db.stream(q, 10);
        } catch (const ctorm::operational_error& e) {
            sqlstate = e.sqlstate();
        }
        CHECK(sqlstate == "57014");
        CHECK(std::chrono::steady_clock::now() - started < 2s);
        lock.rollback();
        db.set_statement_timeout(std::chrono::steady_clock::duration::zero());

        auto rows = co_await db.stream(q, 10);
        std::vector<std::int64_t> batch;
        std::size_t total = 0;
        while (co_await rows.next(batch)) total += batch.size();
        CHECK(total == 50);
    });
}
#endif
