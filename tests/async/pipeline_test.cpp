// pipeline(db, q...) on every backend: the results of awaiting each statement
// alone, the failing statement's own exception with the connection usable
// after it (outside and inside a transaction), and on PostgreSQL one round
// trip, preparations included, counted by the connection's socket waits.
// Queries are named before they are awaited (g++ 12, see docs/async.md).
#include "support/async_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::in_transaction;
using ctorm_test::someone;
using ctorm_test::user_count;

namespace {

template <class DB>
awaitable<std::vector<std::string>> emails(DB& db) {
    const auto q = select(users.email).order_by(users.email);
    co_return co_await db.all(q);
}

}  // namespace

TEMPLATE_TEST_CASE("pipeline: the results are those of awaiting each statement alone", "[async][pipeline]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        const auto add_ann = insert(users).values(someone("ann@example.com"));
        const auto add_bob = insert(users).values(someone("bob@example.com"));
        const auto listed = select(users.email).order_by(users.email);
        const auto rename =
            update(users).set(users.name = std::string("Bob")).where(users.email == std::string("bob@example.com"));
        const auto counted = select(ctorm::count()).from(users);
        const auto bob = select(users.name).where(users.email == std::string("bob@example.com"));

        // Each awaited alone, on a connection of its own.
        auto alone = co_await ctorm_test::async_backend<TestType>::fresh("alone");
        co_await alone.execute(add_ann);
        const ctorm::execute_result added = co_await alone.execute(add_bob);
        const std::vector<std::string> listed_alone = co_await alone.all(listed);
        const ctorm::execute_result renamed_alone = co_await alone.execute(rename);
        const std::vector<std::int64_t> counted_alone = co_await alone.all(counted);
        const std::vector<std::string> bob_alone = co_await alone.all(bob);

        auto db = co_await ctorm_test::async_backend<TestType>::fresh("together");
        co_await db.execute(add_ann);
        auto [inserted, listed_together, renamed, count, names] =
            co_await pipeline(db, add_bob, listed, rename, counted, bob);
        CHECK(inserted.rows_affected == added.rows_affected);
        CHECK(inserted.rows_affected == 1);
        CHECK(listed_together == listed_alone);
        CHECK(listed_together == std::vector<std::string>{"ann@example.com", "bob@example.com"});
        CHECK(renamed.rows_affected == renamed_alone.rows_affected);
        CHECK(renamed.rows_affected == 1);
        CHECK(count == counted_alone);
        CHECK(count == std::vector<std::int64_t>{2});
        CHECK(names == bob_alone);
        CHECK(names == std::vector<std::string>{"Bob"});

        // The member spelling, one statement, and the same statement twice.
        const std::tuple<std::vector<std::string>> one = co_await db.pipeline(listed);
        CHECK(std::get<0>(one) == listed_alone);
        auto [first, second] = co_await pipeline(db, counted, counted);
        CHECK(first == second);
        {
            const auto awaited = co_await emails(db);
            CHECK(awaited == listed_alone);
        }
    });
}

TEMPLATE_TEST_CASE("pipeline: a failing statement throws its own exception and the connection goes on",
                   "[async][pipeline]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        const auto add_ann = insert(users).values(someone("ann@example.com"));
        const auto add_bob = insert(users).values(someone("bob@example.com"));
        const auto add_carl = insert(users).values(someone("carl@example.com"));
        co_await db.execute(add_ann);
        // What the statement alone throws.
        std::string alone;
        try {
            (void)co_await db.execute(add_ann);
        } catch (const ctorm::unique_violation& e) {
            alone = e.what();
        }
        REQUIRE_FALSE(alone.empty());

        std::string seen;
        try {
            (void)co_await pipeline(db, add_bob, add_ann, add_carl);
        } catch (const ctorm::unique_violation& e) {
            seen = e.what();
        }
        CHECK(seen == alone);
        // Outside a transaction the pipeline is one: bob is undone, carl never ran.
        const std::vector<std::string> only_ann{"ann@example.com"};  // not in the co_await expression (g++ 12)
        {
            const auto awaited = co_await emails(db);
            CHECK(awaited == only_ann);
        }
        {
            const auto awaited = co_await in_transaction(db);
            CHECK_FALSE(awaited);
        }

        // The connection goes on, in pipelines and alone.
        const auto listed = select(users.email).order_by(users.email);
        auto [added, listed_after] = co_await pipeline(db, add_bob, listed);
        CHECK(added.rows_affected == 1);
        CHECK(listed_after == std::vector<std::string>{"ann@example.com", "bob@example.com"});
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 2);
        }
    });
}

TEMPLATE_TEST_CASE("pipeline: a failing statement inside a transaction, then a rollback", "[async][pipeline]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        const auto add_ann = insert(users).values(someone("ann@example.com"));
        const auto add_bob = insert(users).values(someone("bob@example.com"));
        const auto add_carl = insert(users).values(someone("carl@example.com"));
        const auto listed = select(users.email).order_by(users.email);
        {
            auto tx = co_await db.begin();
            co_await db.execute(add_ann);
            // A pipeline that succeeds inside a transaction sees its earlier statements.
            auto [added, inside] = co_await pipeline(db, add_bob, listed);
            CHECK(added.rows_affected == 1);
            CHECK(inside == std::vector<std::string>{"ann@example.com", "bob@example.com"});
            bool threw = false;
            try {
                (void)co_await pipeline(db, add_carl, add_ann, listed);
            } catch (const ctorm::unique_violation&) {
                threw = true;
            }
            CHECK(threw);
            {
                const auto awaited = co_await in_transaction(db);
                CHECK(awaited);
            }
            co_await tx.rollback();
        }
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 0);
        }
        // A new transaction, with a pipeline, commits.
        auto tx = co_await db.begin();
        auto [added, inside] = co_await pipeline(db, add_carl, listed);
        CHECK(added.rows_affected == 1);
        CHECK(inside == std::vector<std::string>{"carl@example.com"});
        co_await tx.commit();
        const std::vector<std::string> only_carl{"carl@example.com"};
        {
            const auto awaited = co_await emails(db);
            CHECK(awaited == only_carl);
        }
    });
}

#ifdef CTORM_TEST_WITH_POSTGRES
TEMPLATE_TEST_CASE("pipeline: PostgreSQL sends the statements and their preparations in one round trip",
                   "[async][pipeline]", ctorm_test::postgresql) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        const auto add_ann = insert(users).values(someone("ann@example.com"));
        const auto add_bob = insert(users).values(someone("bob@example.com"));
        const auto listed = select(users.email).order_by(users.email);
        const auto rename =
            update(users).set(users.name = std::string("Bob")).where(users.email == std::string("bob@example.com"));
        const auto counted = select(ctorm::count()).from(users);
        const auto bob = select(users.name).where(users.email == std::string("bob@example.com"));

        // Alone: a round trip to prepare each statement, one to run each.
        auto alone = co_await ctorm_test::async_backend<TestType>::fresh("alone");
        const std::size_t alone_before = alone.socket_waits();
        co_await alone.execute(add_ann);
        co_await alone.execute(add_bob);
        (void)co_await alone.all(listed);
        co_await alone.execute(rename);
        (void)co_await alone.all(counted);
        (void)co_await alone.all(bob);
        CHECK(alone.socket_waits() - alone_before >= 10);
        CHECK(alone.statements_prepared() == 5);

        // Together: the same work, nothing prepared yet, in one round trip.
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("together");
        const std::size_t before = db.socket_waits();
        const std::size_t prepared_before = db.statements_prepared();
        auto [ann, bob_added, listed_rows, renamed, count, names] =
            co_await pipeline(db, add_ann, add_bob, listed, rename, counted, bob);
        CHECK(db.socket_waits() - before <= 1);
        CHECK(db.statements_prepared() - prepared_before == 5);
        CHECK(listed_rows == std::vector<std::string>{"ann@example.com", "bob@example.com"});
        CHECK(count == std::vector<std::int64_t>{2});
        CHECK(names == std::vector<std::string>{"Bob"});

        // Again: nothing more to prepare, still one round trip; alone, the
        // statements prepared in the pipeline are used as they are.
        const auto remove = delete_from(users).where(users.email == std::string("ann@example.com"));
        const std::size_t again = db.socket_waits();
        auto [removed, count_after] = co_await pipeline(db, remove, counted);
        CHECK(db.socket_waits() - again <= 1);
        CHECK(removed.rows_affected == 1);
        CHECK(count_after == std::vector<std::int64_t>{1});
        CHECK(db.statements_prepared() - prepared_before == 6);
        {
            const auto awaited = co_await db.one(bob);
            CHECK(awaited == "Bob");
        }
        CHECK(db.statements_prepared() - prepared_before == 6);
    });
}

TEMPLATE_TEST_CASE("pipeline: PostgreSQL keeps what was prepared before the failure, and only that",
                   "[async][pipeline]", ctorm_test::postgresql) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        const auto add_ann = insert(users).values(someone("ann@example.com"));
        const auto counted = select(ctorm::count()).from(users);
        const std::size_t prepared_before = db.statements_prepared();
        bool threw = false;
        try {
            // The insert is prepared once, its second run fails, the count is never prepared.
            (void)co_await pipeline(db, add_ann, add_ann, counted);
        } catch (const ctorm::unique_violation&) {
            threw = true;
        }
        CHECK(threw);
        CHECK(db.statements_prepared() - prepared_before == 1);
        co_await db.execute(add_ann);
        CHECK(db.statements_prepared() - prepared_before == 1);
        {
            const auto awaited = co_await db.scalar(counted);
            CHECK(awaited == 1);
        }
        CHECK(db.statements_prepared() - prepared_before == 2);
    });
}
TEMPLATE_TEST_CASE("pipeline: PostgreSQL's refused text names its parameter, as the statement alone does",
                   "[async][pipeline]", ctorm_test::postgresql) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        const auto add_ann = insert(users).values(someone("ann@example.com"));
        const auto nul = insert(users).values(someone(std::string("a\0b@example.com", 15)));
        std::string alone, together;
        try {
            (void)co_await db.execute(nul);
        } catch (const ctorm::data_error& e) {
            alone = e.what();
        }
        CHECK(alone.find("a NUL byte at byte 1") != std::string::npos);
        try {
            (void)co_await pipeline(db, add_ann, nul);
        } catch (const ctorm::data_error& e) {
            together = e.what();
        }
        CHECK(together == alone);
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 0);
        }
    });
}
#endif
