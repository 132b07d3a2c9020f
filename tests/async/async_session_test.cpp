// ctorm::async_session on every backend: the session's operations as
// awaitables with the synchronous session's statements (counted), objects
// read and changed between them on the coroutine's thread, selectinload and
// load(), flush failures rolled back with the object named, a coroutine that
// throws or leaves without commit() rolled back by the destructor, run() with
// a savepoint, the statement timeout on a session's job, and 200 coroutines
// each with its own session over a pool of 4 connections, on one thread and
// on four. Statements are named before they are awaited (g++ 12, docs/async.md).
#include "support/async_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/async/session.hpp>
#include <ctorm/orm.hpp>

#include <boost/asio/detached.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
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

template <class B>
constexpr bool is_sqlite = std::is_same_v<B, ctorm_test::sqlite_memory> || std::is_same_v<B, ctorm_test::sqlite_file>;

}  // namespace

TEMPLATE_TEST_CASE("async_session: add, commit, get, all and changes send the synchronous session's statements",
                   "[async][orm]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_session_basic");
        ctorm_test::statement_log log;
        co_await attach(log, db);
        ctorm::async_session s(db);

        auto ann = s.add(users, someone("ann@x.io"));  // no I/O
        auto bob = s.add(users, someone("bob@x.io"));
        CHECK(log.count() == 0);
        CHECK(s.has_work());
        co_await s.commit();  // BEGIN, 2 INSERTs, COMMIT
        REQUIRE(log.count() == 4);
        CHECK(log.texts[0] == "BEGIN");
        CHECK(log.starts_with(1, "INSERT INTO \"users\""));
        CHECK(log.texts[3] == "COMMIT");
        CHECK(ann->id > 0);
        CHECK(bob->id == ann->id + 1);

        log.clear();
        auto same = co_await s.get(users, ann->id);  // in the identity map: no statement
        CHECK(same == ann);
        CHECK(log.count() == 0);
        const std::int64_t ann_id = ann->id;
        s.expire(ann);
        auto again = co_await s.get(users, ann_id);  // expired: loaded again (BEGIN and one SELECT)
        REQUIRE(again);
        CHECK(again == ann);
        CHECK(log.count() == 2);
        log.clear();

        ann->name = "Ann";  // between awaitables, on the coroutine's thread
        const auto everyone = select(users).order_by(users.email);
        auto listed = co_await s.all(everyone);  // autoflush: the UPDATE, then the SELECT
        REQUIRE(listed.size() == 2);
        CHECK(listed[0] == ann);
        CHECK(listed[0]->name == "Ann");
        REQUIRE(log.count() == 2);
        CHECK(log.starts_with(0, "UPDATE \"users\" SET \"name\""));
        CHECK(log.starts_with(1, "SELECT"));

        const auto by_email = select(users).where(users.email == std::string("bob@x.io"));
        auto b = co_await s.one(by_email);
        CHECK(b == bob);
        const auto nobody = select(users).where(users.email == std::string("nobody@x.io"));
        auto none = co_await s.first(nobody);
        CHECK(!none);
        s.remove(bob);
        co_await s.commit();
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1);
        }
        CHECK(s.size() == 1);  // ann; bob detached at commit
    });
}

TEMPLATE_TEST_CASE("async_session: selectinload and load() read relationships in the statements they say",
                   "[async][orm]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_session_load");
        ctorm::async_session s(db);
        auto ann = s.add(users, someone("ann@x.io"));
        co_await s.flush();
        for (int i = 0; i < 3; ++i)
            s.add(posts, Post{.title = "post " + std::to_string(i),
                              .content = "c",
                              .author_id = ann->id,
                              .views = 0,
                              .published_at = std::nullopt});
        co_await s.commit();

        ctorm_test::statement_log log;
        co_await attach(log, db);
        const auto q = select(users).where(users.id == ann->id);
        auto r = co_await s.all(q, ctorm::selectinload(user_posts));
        REQUIRE(r.size() == 1);
        CHECK(log.count() == 3);  // BEGIN, the users, their posts
        const auto& children = r.get(user_posts, r[0]);
        REQUIRE(children.size() == 3);
        CHECK(children[0]->author_id == ann->id);

        log.clear();
        auto first_post = children[0];
        auto author = co_await s.load(first_post, post_author);  // the parent is in the identity map
        CHECK(author == ann);
        CHECK(log.count() == 1);  // the SELECT of the parent (the identity map gives the object)
        auto all_posts = co_await s.load(ann, user_posts);
        CHECK(all_posts.size() == 3);
        co_await s.rollback();
    });
}

TEMPLATE_TEST_CASE("async_session: a failed flush rolls back, names the object, and the session goes on",
                   "[async][orm]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_session_failure");
        ctorm::async_session s(db);
        s.add(users, someone("ann@x.io"));
        co_await s.commit();

        ctorm_test::statement_log log;
        co_await attach(log, db);
        auto kept = s.add(users, someone("kept@x.io"));
        co_await s.flush();
        s.add(users, someone("ann@x.io"));  // the unique email again
        std::string message;
        try {
            co_await s.commit();
        } catch (const ctorm::integrity_error& e) {
            message = e.what();
        }
        INFO(message);
        CHECK(message.find("(flushing a new users object)") != std::string::npos);
        CHECK(!s.in_transaction());
        // BEGIN and kept's INSERT (the flush), the failing INSERT: nothing else
        // (the ROLLBACK after a failure goes through the guards' unechoed path).
        INFO(log.joined());
        REQUIRE(log.count() == 3);
        CHECK(log.texts[0] == "BEGIN");
        CHECK(log.starts_with(1, "INSERT INTO \"users\""));
        CHECK(log.starts_with(2, "INSERT INTO \"users\""));
        const std::int64_t after_failure = co_await user_count(db);
        CHECK(after_failure == 1);                             // the flushed "kept" went with the rollback
        CHECK(kept.state() == ctorm::object_state::detached);  // inserted in the rolled-back transaction

        log.clear();
        s.add(users, someone("carl@x.io"));
        co_await s.commit();
        CHECK(log.count() == 3);  // BEGIN, INSERT, COMMIT
        const std::int64_t after_commit = co_await user_count(db);
        CHECK(after_commit == 2);
    });
}

TEMPLATE_TEST_CASE("async_session: left without commit (an exception, a co_return) its transaction is rolled back",
                   "[async][orm]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_session_abandoned");
        ctorm_test::statement_log log;
        co_await attach(log, db);
        bool threw = false;
        try {
            co_await [&]() -> awaitable<void> {
                ctorm::async_session s(db);
                s.add(users, someone("ann@x.io"));
                co_await s.flush();  // BEGIN and the INSERT: a transaction is open
                CHECK(s.in_transaction());
                throw std::runtime_error("the handler failed");
            }();
        } catch (const std::runtime_error&) {
            threw = true;
        }
        CHECK(threw);
        // The connection's next statement comes after the ROLLBACK.
        const std::int64_t after_exception = co_await user_count(db);
        CHECK(after_exception == 0);
        const bool still_open = co_await in_transaction(db);
        CHECK_FALSE(still_open);
        // BEGIN and the INSERT, then the count (the ROLLBACK the session leaves
        // to its connection goes unechoed, before the count).
        INFO(log.joined());
        REQUIRE(log.count() == 3);
        CHECK(log.texts[0] == "BEGIN");
        CHECK(log.starts_with(1, "INSERT INTO \"users\""));
        CHECK(log.starts_with(2, "SELECT COUNT(*)"));

        {
            ctorm::async_session s(db);
            s.add(users, someone("bob@x.io"));
            co_await s.flush();
        }  // no commit
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 0);
        }

        {  // a session inside the connection's own transaction only flushes; the guard decides
            auto tx = co_await db.begin();
            {
                ctorm::async_session s(db);
                s.add(users, someone("carl@x.io"));
                co_await s.commit();
            }
            {
                const auto awaited = co_await in_transaction(db);
                CHECK(awaited);
            }
            co_await tx.commit();
        }
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1);
        }
    });
}

TEMPLATE_TEST_CASE("async_session: run() gives the synchronous session on the worker (a savepoint in one job)",
                   "[async][orm]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_session_run");
        ctorm::async_session s(db);
        s.add(users, someone("ann@x.io"));
        co_await s.flush();
        const std::size_t held = co_await s.run([](auto& sync) {
            auto nested = sync.begin_nested();
            sync.add(users, someone("bob@x.io"));
            sync.flush();
            nested.rollback();  // bob's INSERT undone, ann's kept
            return sync.size();
        });
        CHECK(held == 1);
        co_await s.commit();
        {
            const auto awaited = co_await user_count(db);
            CHECK(awaited == 1);
        }

        // execute through the session: the table's objects expire (fetch: those of the rows it changed).
        const auto rename = update(users).set(users.name = std::string("renamed")).where(users.id > 0);
        const auto r = co_await s.execute(rename, ctorm::synchronize_session::fetch);
        CHECK(r.rows_affected == 1);
        co_await s.commit();
    });
}

TEMPLATE_TEST_CASE("async_session: the statement timeout stops a session's job, and the session goes on",
                   "[async][orm][cancel]", CTORM_TEST_ASYNC_BACKENDS) {
    ctorm_test::run_coroutine([]() -> awaitable<void> {
        auto db = co_await ctorm_test::async_backend<TestType>::fresh("async_session_timeout");
        ctorm::async_session s(db);
        s.add(users, someone("ann@x.io"));
        co_await s.commit();
        db.set_statement_timeout(100ms);
        const std::string slow = is_sqlite<TestType> ? "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                                                       "FROM c LIMIT 200000000) SELECT count(*) FROM c"
                                                     : "SELECT pg_sleep(5)";
        const auto started = std::chrono::steady_clock::now();
        std::string message;
        try {
            co_await s.run([&slow](auto& sync) { sync.connection().execute_script(slow); });
        } catch (const ctorm::operational_error& e) {
            message = e.what();
        }
        CHECK(std::chrono::steady_clock::now() - started < 4s);
        CHECK(message.find("the statement timeout of 100 ms ran out") != std::string::npos);
        db.set_statement_timeout({});
        const auto by_email = select(users).where(users.email == std::string("ann@x.io"));
        auto ann = co_await s.one(by_email);
        CHECK(ann->email == "ann@x.io");
        ann->name = "Ann";
        co_await s.commit();
        const auto name_of_ann = select(users.name).where(users.email == std::string("ann@x.io"));
        {
            const auto awaited = co_await db.scalar(name_of_ann);
            CHECK(awaited == "Ann");
        }
    });
}

namespace {

// 200 coroutines, each with its own session on a connection of the pool.
template <class Engine>
void many_sessions(Engine& engine, boost::asio::io_context& io, std::size_t threads) {
    constexpr int coroutines = 200;
    std::atomic<int> done{0};
    std::atomic<int> failed{0};
    std::string first_failure;  // written by the first failing coroutine's handler only
    for (int i = 0; i < coroutines; ++i) {
        boost::asio::co_spawn(
            io,
            [&engine, &done, i]() -> awaitable<void> {
                auto db = co_await engine.connect();
                ctorm::async_session s(*db);
                const std::string email = "u" + std::to_string(i) + "@x.io";
                auto u = s.add(users, someone(email));
                co_await s.flush();
                u->name = "user " + std::to_string(i);
                co_await s.commit();
                const auto by_email = select(users).where(users.email == email);
                auto again = co_await s.one(by_email);
                if (again != u || again->name != "user " + std::to_string(i))
                    throw std::logic_error("wrong object for " + email);
                co_await s.commit();
                ++done;
            },
            [&failed, &first_failure](std::exception_ptr e) {
                if (!e) return;
                if (failed++ == 0) {
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& x) {
                        first_failure = x.what();
                    }
                }
            });
    }
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back([&io]() { io.run(); });
    io.run();
    for (auto& t : pool) t.join();
    io.restart();
    INFO("first failure: " << first_failure);
    CHECK(failed.load() == 0);
    CHECK(done.load() == coroutines);
    CHECK(engine.statistics().checked_out == 0);
}

}  // namespace

TEMPLATE_TEST_CASE("async_session: 200 coroutines with a session each over a pool of 4, on 1 and 4 threads",
                   "[async][orm][pool]", CTORM_TEST_ASYNC_BACKENDS) {
    if constexpr (std::is_same_v<TestType, ctorm_test::sqlite_memory>) {
        SUCCEED("an in-memory database is one connection: the pool case is the file's");
    } else {
        const std::size_t threads = GENERATE(std::size_t{1}, std::size_t{4});
        boost::asio::io_context io;
        std::int64_t count = 0;
        if constexpr (std::is_same_v<TestType, ctorm_test::sqlite_file>) {
            (void)ctorm_test::fresh_db(ctorm_test::storage::file);
            auto engine = ctorm::sqlite::create_async_engine(
                "sqlite:///" + ctorm_test::database_file_name() + "?journal_mode=wal&busy_timeout=10000",
                {.pool_size = 4});
            many_sessions(engine, io, threads);
            ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
                auto db = co_await engine.connect();
                count = co_await user_count(*db);
            });
        } else {
#ifdef CTORM_TEST_WITH_POSTGRES
            const std::string schema = ctorm_test::postgres_current_schema(ctorm_test::postgres_fresh_db("many"));
            auto engine = ctorm::postgres::create_async_engine(ctorm_test::postgres_database_url(), {.pool_size = 4});
            engine.pool().on_connect = [schema](ctorm::postgres::async_connection& c) -> awaitable<void> {
                co_await c.execute_script("SET search_path TO \"" + schema + "\"");
            };
            many_sessions(engine, io, threads);
            ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
                auto db = co_await engine.connect();
                count = co_await user_count(*db);
            });
#endif
        }
        CHECK(count == 200);
    }
}
