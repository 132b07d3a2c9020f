// Row locks across two connections: FOR UPDATE makes a second writer wait and
// then see the first one's value; without it a read-compute-write loses an
// update; SKIP LOCKED hands each worker rows nobody holds; FOR SHARE lets
// readers share a row and keeps writers out; locks end with the transaction.
#include "support/pg_fixture.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <thread>
#include <vector>

namespace jobs {

struct Account {
    std::int64_t id{};
    std::int64_t balance{};
};

struct Job {
    std::int64_t id{};
    std::string name;
    bool done = false;
};

CTORM_TABLE(accounts, Account, (id, primary_key), (balance));
CTORM_TABLE(queue, Job, (id, primary_key), (name, varchar<50>), (done));

}  // namespace jobs

using jobs::accounts;
using jobs::queue;
using ids = std::vector<std::int64_t>;

namespace {

using connection = ctorm::postgres::connection;

// A fresh schema with account 1 holding 100 and jobs 1..5 waiting.
connection fresh() {
    auto db = ctorm_test::postgres_empty_db();
    db.create_all(accounts, queue);
    REQUIRE(db.scalar(insert(accounts).values(jobs::Account{.balance = 100}).returning(accounts.id)) == 1);
    for (int i = 1; i <= 5; ++i) db.execute(insert(queue).values(jobs::Job{.name = "job " + std::to_string(i)}));
    return db;
}

connection other(const connection& db) { return ctorm_test::postgresql::reconnect(db); }

std::int64_t balance(connection& db) { return db.one(select(accounts.balance).where(accounts.id == 1)); }

// The statements of the read-compute-write cycle.
const auto read_balance = select(accounts.balance).where(accounts.id == 1);
const auto lock_balance = select(accounts.balance).where(accounts.id == 1).for_update();
void write_balance(connection& db, std::int64_t value) {
    REQUIRE(db.execute(update(accounts).set(accounts.balance = value).where(accounts.id == 1)).rows_affected == 1);
}

// The next two waiting jobs nobody else holds.
const auto next_jobs = select(queue.id).where(!queue.done).order_by(queue.id).limit(2).skip_locked();

}  // namespace

TEST_CASE("the lock clauses render as PostgreSQL expects", "[locking]") {
    using D = ctorm::postgres_dialect;
    STATIC_REQUIRE(ctorm::to_sql<D>(select(accounts.balance).where(accounts.id == 1).for_update()) ==
                   R"(SELECT "accounts"."balance" FROM "accounts" WHERE "accounts"."id" = $1 FOR UPDATE)");
    STATIC_REQUIRE(
        ctorm::to_sql<D>(select(queue.id).where(!queue.done).order_by(queue.id).limit(2).skip_locked()) ==
        R"(SELECT "queue"."id" FROM "queue" WHERE NOT ("queue"."done") ORDER BY "queue"."id" LIMIT $1 FOR UPDATE SKIP LOCKED)");
    STATIC_REQUIRE(ctorm::to_sql<D>(select(queue.id).for_update().nowait()) ==
                   R"(SELECT "queue"."id" FROM "queue" FOR UPDATE NOWAIT)");
    STATIC_REQUIRE(ctorm::to_sql<D>(select(queue.id).for_share()) == R"(SELECT "queue"."id" FROM "queue" FOR SHARE)");
}

TEST_CASE("FOR UPDATE makes a second writer wait for the first's commit, then read its value", "[locking]") {
    auto first = fresh();
    auto second = other(first);

    auto tx = first.begin();
    CHECK(first.one(lock_balance) == 100);

    std::atomic<bool> second_done{false};
    std::int64_t second_saw = -1;
    std::exception_ptr second_error;
    std::thread worker([&] {
        try {
            auto own = second.begin();
            second_saw = second.one(lock_balance);  // waits for `first`
            write_balance(second, second_saw + 10);
            own.commit();
        } catch (...) {
            second_error = std::current_exception();
        }
        second_done = true;
    });

    // The second connection is still waiting for the row while the first holds it.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const bool waited = !second_done;
    write_balance(first, 105);
    tx.commit();
    worker.join();

    if (second_error) std::rethrow_exception(second_error);
    CHECK(waited);
    CHECK(second_saw == 105);  // the committed value, not the one from before it waited
    CHECK(balance(first) == 115);
}

TEST_CASE("without FOR UPDATE a read-compute-write cycle loses a concurrent update", "[locking]") {
    // What the lock prevents, shown step by step on two connections (READ COMMITTED).
    auto first = fresh();
    auto second = other(first);
    auto t1 = first.begin();
    auto t2 = second.begin();
    const std::int64_t seen_by_first = first.one(read_balance);
    const std::int64_t seen_by_second = second.one(read_balance);
    write_balance(first, seen_by_first + 5);
    t1.commit();
    write_balance(second, seen_by_second + 10);  // no row lock held by anyone now: does not wait
    t2.commit();
    CHECK(balance(first) == 110);  // the +5 is lost
}

TEST_CASE("SKIP LOCKED: each worker gets rows nobody else holds", "[locking]") {
    auto a = fresh();
    auto b = other(a);
    auto c = other(a);
    auto ta = a.begin();
    auto tb = b.begin();
    auto tc = c.begin();
    CHECK(a.all(next_jobs) == ids{1, 2});
    CHECK(b.all(next_jobs) == ids{3, 4});
    CHECK(c.all(next_jobs) == ids{5});
    // Without SKIP LOCKED, NOWAIT refuses at once instead of waiting for a's rows.
    CHECK_THROWS_AS(c.all(select(queue.id).where(queue.id == 1).for_update().nowait()), ctorm::busy_error);
    tc.rollback();

    // a finishes its jobs; b gives its back; c's next turn sees what is left.
    a.execute(update(queue).set(queue.done = true).where(queue.id.in_(1, 2)));
    ta.commit();
    tb.rollback();
    auto again = c.begin();
    CHECK(c.all(next_jobs) == ids{3, 4});
    again.commit();
    CHECK(c.scalar(select(ctorm::count()).from(queue).where(queue.done)) == 2);
}

TEST_CASE("FOR SHARE: readers share a row, writers wait", "[locking]") {
    auto a = fresh();
    auto b = other(a);
    auto writer = other(a);
    auto ta = a.begin();
    auto tb = b.begin();
    CHECK(a.one(select(accounts.balance).where(accounts.id == 1).for_share()) == 100);
    CHECK(b.one(select(accounts.balance).where(accounts.id == 1).for_share()) == 100);  // no wait
    {
        auto tw = writer.begin();
        CHECK_THROWS_AS(writer.all(select(accounts.id).where(accounts.id == 1).for_update().nowait()),
                        ctorm::busy_error);
    }
    ta.commit();
    {
        auto tw = writer.begin();
        CHECK_THROWS_AS(writer.all(select(accounts.id).where(accounts.id == 1).for_update().nowait()),
                        ctorm::busy_error);  // b still shares it
    }
    tb.rollback();
    auto tw = writer.begin();
    CHECK(writer.all(select(accounts.id).where(accounts.id == 1).for_update().nowait()) == ids{1});
    write_balance(writer, 1);
    tw.commit();
    CHECK(balance(a) == 1);
}

TEST_CASE("locks end with the transaction, by commit, rollback or the guard's scope", "[locking]") {
    auto a = fresh();
    auto b = other(a);
    const auto try_lock = [&b] {
        auto tb = b.begin();
        return b.all(select(accounts.id).where(accounts.id == 1).for_update().nowait()).size();
    };
    {
        auto ta = a.begin();
        CHECK(a.one(lock_balance) == 100);
        CHECK_THROWS_AS(try_lock(), ctorm::busy_error);
        ta.rollback();
    }
    CHECK(try_lock() == 1);
    {
        auto ta = a.begin();
        CHECK(a.one(lock_balance) == 100);
        CHECK_THROWS_AS(try_lock(), ctorm::busy_error);
    }  // not committed: the guard rolls back
    CHECK(try_lock() == 1);
    {
        auto ta = a.begin();
        CHECK(a.one(lock_balance) == 100);
        ta.commit();
    }
    CHECK(try_lock() == 1);

    // A lock taken inside a savepoint that is rolled back is released with it.
    auto ta = a.begin();
    {
        auto sp = ta.savepoint();
        CHECK(a.one(lock_balance) == 100);
        CHECK_THROWS_AS(try_lock(), ctorm::busy_error);
        sp.rollback();
    }
    CHECK(try_lock() == 1);
    ta.commit();
}
