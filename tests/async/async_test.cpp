// The awaitable API on every backend: each operation, the same exceptions
// and messages as the synchronous API, transactions (commit, rollback, a
// guard left by a coroutine that throws), and many coroutines on one
// io_context, each with its own connection. Queries are named before they
// are awaited: g++ 12 destroys some temporaries of a co_await expression
// twice (see docs/async.md).
#include "support/async_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::someone;
using ctorm_test::user_count;

namespace {

template <class DB>
awaitable<void> add_user(DB& db, std::string email) {
    const auto q = insert(users).values(someone(email));
    const ctorm::execute_result r = co_await db.execute(q);
    CHECK(r.rows_affected == 1);
}

}  // namespace

TEMPLATE_TEST_CASE("async: each operation gives what the synchronous one gives", "[async]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        co_await add_user(db, "ann@example.com");
        co_await add_user(db, "bob@example.com");

        const auto everyone = select(users).order_by(users.email);
        const std::vector<User> all = co_await db.all(everyone);
        REQUIRE(all.size() == 2);
        CHECK(all[0].email == "ann@example.com");
        CHECK(all[1].email == "bob@example.com");

        const std::optional<User> first = co_await db.first(everyone);
        REQUIRE(first);
        CHECK(first->email == "ann@example.com");

        const auto bob = select(users.name).where(users.email == std::string("bob@example.com"));
        {
            const auto awaited = co_await db.one(bob);
            CHECK(awaited == "someone");
        }
        {
            const auto awaited = co_await db.one_or_none(bob);
            CHECK(awaited == std::optional<std::string>("someone"));
        }
        const auto nobody = select(users.name).where(users.email == std::string("nobody@example.com"));
        {
            const auto awaited = co_await db.one_or_none(nobody);
            CHECK(awaited == std::nullopt);
        }
        {
            const auto awaited = co_await db.first(nobody);
            CHECK_FALSE(awaited);
        }
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 2);
        }

        const auto rename =
            update(users).set(users.name = std::string("Bob")).where(users.email == std::string("bob@example.com"));
        const ctorm::execute_result renamed = co_await db.execute(rename);
        CHECK(renamed.rows_affected == 1);
        {
            const auto awaited = co_await db.one(bob);
            CHECK(awaited == "Bob");
        }
        const auto remove = delete_from(users).where(users.email == std::string("ann@example.com"));
        const ctorm::execute_result removed = co_await db.execute(remove);
        CHECK(removed.rows_affected == 1);
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1);
        }
    });
}

TEMPLATE_TEST_CASE("async: errors are the synchronous API's, with the same messages", "[async]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    // The synchronous messages, from a connection of the same backend.
    auto sync = TestType::fresh("sync");
    sync.execute(insert(users).values(someone("ann@example.com")));
    sync.execute(insert(users).values(someone("bob@example.com")));
    const auto nobody = select(users.name).where(users.email == std::string("nobody@example.com"));
    const auto anyone = select(users.name);
    std::string no_result, multiple, duplicate;
    try {
        sync.one(nobody);
    } catch (const ctorm::no_result_found& e) {
        no_result = e.what();
    }
    try {
        sync.one(anyone);
    } catch (const ctorm::multiple_results_found& e) {
        multiple = e.what();
    }
    const auto again = insert(users).values(someone("ann@example.com"));
    try {
        sync.execute(again);
    } catch (const ctorm::database_error& e) {
        duplicate = e.what();
    }
    REQUIRE_FALSE(no_result.empty());
    REQUIRE_FALSE(multiple.empty());
    REQUIRE_FALSE(duplicate.empty());

    ctorm_test::run_coroutine([&]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        co_await add_user(db, "ann@example.com");
        co_await add_user(db, "bob@example.com");
        std::string seen;
        try {
            (void)co_await db.one(nobody);
        } catch (const ctorm::no_result_found& e) {
            seen = e.what();
        }
        CHECK(seen == no_result);
        seen.clear();
        try {
            (void)co_await db.one_or_none(anyone);
        } catch (const ctorm::multiple_results_found& e) {
            seen = e.what();
        }
        CHECK(seen == multiple);
        seen.clear();
        try {
            (void)co_await db.execute(again);
        } catch (const ctorm::unique_violation& e) {
            seen = e.what();
        }
        CHECK(seen == duplicate);
        // The connection goes on after an error.
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 2);
        }
    });
}

TEMPLATE_TEST_CASE("async: transactions commit, roll back, and roll back when the coroutine throws", "[async]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        {
            auto tx = co_await db.begin();
            co_await add_user(db, "kept@example.com");
            co_await tx.commit();
            CHECK_FALSE(tx.active());
        }
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1);
        }
        {
            auto tx = co_await db.begin();
            co_await add_user(db, "undone@example.com");
            {
                const auto awaited = co_await user_count(db);
                CHECK(awaited == 2);
            }
            co_await tx.rollback();
        }
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1);
        }

        // begin() inside a transaction, commit() twice: transaction_error, as synchronously.
        {
            auto tx = co_await db.begin();
            bool refused = false;
            try {
                (void)co_await db.begin();
            } catch (const ctorm::transaction_error&) {
                refused = true;
            }
            CHECK(refused);
            co_await tx.commit();
            refused = false;
            try {
                co_await tx.commit();
            } catch (const ctorm::transaction_error&) {
                refused = true;
            }
            CHECK(refused);
        }

        // A coroutine that throws inside a transaction: its guard rolls back
        // before the connection's next statement.
        const auto work = [&db]() -> awaitable<void> {
            auto tx = co_await db.begin();
            co_await add_user(db, "lost@example.com");
            throw std::runtime_error("the coroutine gave up");
        };
        bool threw = false;
        try {
            co_await work();
        } catch (const std::runtime_error&) {
            threw = true;
        }
        CHECK(threw);
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1);
        }
        const auto lost = select(users.id).where(users.email == std::string("lost@example.com"));
        {
            const auto awaited = co_await db.one_or_none(lost);
            CHECK_FALSE(awaited);
        }
        // And the connection takes a new transaction.
        auto tx = co_await db.begin();
        co_await add_user(db, "after@example.com");
        co_await tx.commit();
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 2);
        }
    });
}

TEMPLATE_TEST_CASE("async: many coroutines on one io_context, each with its own connection", "[async]",
                   CTORM_TEST_ASYNC_BACKENDS) {
    constexpr int coroutines = 16, rows = 20;
    boost::asio::io_context io;
    std::vector<std::int64_t> counts(coroutines, -1);
    std::vector<std::string> firsts(coroutines);
    int failures = 0;
    for (int k = 0; k < coroutines; ++k) {
        // A coroutine lambda keeps no captures (the lambda is gone once
        // co_spawn returns): what it needs comes as parameters.
        boost::asio::co_spawn(
            io,
            [](int index, std::int64_t* count, std::string* first_email) -> awaitable<void> {
                auto db = co_await ctorm_test::async_backend<TestType>::fresh("c" + std::to_string(index));
                const std::string prefix = "c" + std::to_string(index) + "-";
                for (int i = 0; i < rows; ++i) co_await add_user(db, prefix + std::to_string(i) + "@example.com");
                *count = co_await user_count(db);
                const auto q = select(users.email).order_by(users.email);
                const std::optional<std::string> first = co_await db.first(q);
                *first_email = first.value_or("");
            }(k, &counts[static_cast<std::size_t>(k)], &firsts[static_cast<std::size_t>(k)]),
            [&failures](std::exception_ptr e) {
                if (e) ++failures;
            });
    }
    io.run();
    CHECK(failures == 0);
    for (int k = 0; k < coroutines; ++k) {
        CHECK(counts[static_cast<std::size_t>(k)] == rows);
        CHECK(firsts[static_cast<std::size_t>(k)] == "c" + std::to_string(k) + "-0@example.com");
    }
}

TEMPLATE_TEST_CASE("async: SQLite runs statements on the connection's worker thread, the coroutine resumes on its own",
                   "[async]", ctorm_test::sqlite_memory, ctorm_test::sqlite_file) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        const std::thread::id io_thread = std::this_thread::get_id();
        auto db = co_await ctorm_test::async_backend<TestType>::fresh();
        const std::thread::id worker =
            co_await db.run([](ctorm::sqlite::connection&) { return std::this_thread::get_id(); });
        CHECK(worker != io_thread);
        CHECK(std::this_thread::get_id() == io_thread);
        co_await add_user(db, "ann@example.com");
        CHECK(std::this_thread::get_id() == io_thread);
        // The same worker every time: one thread per connection.
        const std::thread::id again =
            co_await db.run([](ctorm::sqlite::connection&) { return std::this_thread::get_id(); });
        CHECK(again == worker);
    });
}

#ifdef CTORM_TEST_WITH_POSTGRES
TEMPLATE_TEST_CASE("async: PostgreSQL coroutines wait on their sockets together, not one after another", "[async]",
                   ctorm_test::postgresql) {
    constexpr int coroutines = 8;
    boost::asio::io_context io;
    int done = 0, failures = 0;
    const auto started = std::chrono::steady_clock::now();
    for (int k = 0; k < coroutines; ++k) {
        boost::asio::co_spawn(
            io,
            [](int* finished) -> awaitable<void> {
                auto db = co_await ctorm::postgres::async_connect(ctorm_test::postgres_database_url());
                co_await db.execute_script("SELECT pg_sleep(0.4)");
                ++*finished;
            }(&done),
            [&failures](std::exception_ptr e) {
                if (e) ++failures;
            });
    }
    io.run();
    const auto elapsed = std::chrono::steady_clock::now() - started;
    CHECK(failures == 0);
    CHECK(done == coroutines);
    // One after another would take 8 x 0.4 s.
    CHECK(elapsed < std::chrono::milliseconds(2400));
}

TEMPLATE_TEST_CASE("async: PostgreSQL's connection errors are the synchronous ones", "[async]",
                   ctorm_test::postgresql) {
    const std::string nowhere = "postgresql://127.0.0.1:1/nothing?connect_timeout=5";
    std::string expected;
    try {
        (void)ctorm::postgres::connect(nowhere);
    } catch (const ctorm::connection_error& e) {
        expected = e.what();
    }
    REQUIRE_FALSE(expected.empty());
    ctorm_test::run_coroutine([&]() -> awaitable<void> {
        std::string seen;
        try {
            (void)co_await ctorm::postgres::async_connect(nowhere);
        } catch (const ctorm::connection_error& e) {
            seen = e.what();
        }
        CHECK(seen == expected);
        bool refused = false;
        try {
            (void)co_await ctorm::postgres::async_connect("mysql://somewhere/db");
        } catch (const ctorm::url_error&) {
            refused = true;
        }
        CHECK(refused);
    });
}
#endif
