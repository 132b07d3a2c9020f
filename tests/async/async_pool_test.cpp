// ctorm::async_pool through create_async_engine on every backend: a
// connection given back is handed out again (LIFO, or FIFO on request), the
// limit of pool_size + max_overflow holds under 1,000 concurrent coroutines
// (on one thread and on four running the same io_context, with and without
// strands), callers waiting are served first come first served, the acquire
// timeout throws pool_timeout_error, a transaction left open is rolled back
// before the connection is reused, invalidate(), recycle, dispose(), a
// factory that fails, and on PostgreSQL pre_ping. Statements are named
// before they are awaited (g++ 12, docs/async.md).
#include "support/async_fixture.hpp"

#include <catch2/catch.hpp>

#include <poll.h>

#include <ctorm/async/pool.hpp>

#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

using namespace blog;
using ctorm::asio::awaitable;
using ctorm_test::in_transaction;
using ctorm_test::someone;
using ctorm_test::user_count;
using namespace std::chrono_literals;

namespace {

// An engine over an empty blog database of the test case's own.
template <class Backend>
struct test_engine;

template <>
struct test_engine<ctorm_test::sqlite_file> {
    static constexpr bool shares_data = true;
    static std::string address() {
        (void)ctorm_test::fresh_db(ctorm_test::storage::file);
        return "sqlite:///" + ctorm_test::database_file_name() + "?journal_mode=wal&synchronous=normal";
    }
    ctorm::sqlite::async_engine engine;
    explicit test_engine(ctorm::pool_options options)
        : engine(ctorm::sqlite::create_async_engine(address(), options)) {}
};

// One connection whatever the options (each would be a database of its own),
// which on_connect gives the blog tables.
template <>
struct test_engine<ctorm_test::sqlite_memory> {
    static constexpr bool shares_data = false;
    ctorm::sqlite::async_engine engine;
    explicit test_engine(ctorm::pool_options options)
        : engine(ctorm::sqlite::create_async_engine("sqlite:///:memory:", options)) {
        engine.pool().on_connect = [](ctorm::sqlite::async_connection& c) -> awaitable<void> {
            co_await c.create_all(users, posts, post_tags, everything);
        };
    }
};

#ifdef CTORM_TEST_WITH_POSTGRES
// A schema of the test case's own; on_connect puts each connection there.
template <>
struct test_engine<ctorm_test::postgresql> {
    static constexpr bool shares_data = true;
    std::string schema = ctorm_test::postgres_current_schema(ctorm_test::postgres_fresh_db());
    ctorm::postgres::async_engine engine;
    explicit test_engine(ctorm::pool_options options)
        : engine(ctorm::postgres::create_async_engine(ctorm_test::postgres_database_url(), options)) {
        engine.pool().on_connect = [this](ctorm::postgres::async_connection& c) -> awaitable<void> {
            const std::string sql = "SET search_path TO \"" + schema + "\"";
            co_await c.execute_script(sql);
        };
    }
};
#define CTORM_TEST_POOL_BACKENDS ctorm_test::sqlite_memory, ctorm_test::sqlite_file, ctorm_test::postgresql
#define CTORM_TEST_SHARED_POOL_BACKENDS ctorm_test::sqlite_file, ctorm_test::postgresql
#else
#define CTORM_TEST_POOL_BACKENDS ctorm_test::sqlite_memory, ctorm_test::sqlite_file
#define CTORM_TEST_SHARED_POOL_BACKENDS ctorm_test::sqlite_file
#endif

template <class DB>
awaitable<void> add_user(DB& db, std::string email) {
    const auto q = insert(users).values(someone(email));
    const ctorm::execute_result r = co_await db.execute(q);
    CHECK(r.rows_affected == 1);
}

// Runs io on `threads` threads (this one among them) until its work ends.
void run_on_threads(boost::asio::io_context& io, int threads) {
    std::vector<std::thread> others;
    for (int t = 1; t < threads; ++t) others.emplace_back([&io] { io.run(); });
    io.run();
    for (std::thread& t : others) t.join();
}

}  // namespace

TEMPLATE_TEST_CASE("async pool: a connection given back is handed out again, the last one first", "[async][pool]",
                   CTORM_TEST_POOL_BACKENDS) {
    boost::asio::io_context io;
    test_engine<TestType> t({.pool_size = 2, .max_overflow = 0});
    auto& engine = t.engine;
    ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
        const void* first = nullptr;
        {
            auto a = co_await engine.connect();
            first = &*a;
            co_await add_user(*a, "ann@example.com");
            if constexpr (test_engine<TestType>::shares_data) {
                auto b = co_await engine.connect();
                CHECK(&*b != first);
                {
                    const auto awaited = co_await user_count(*b);
                    CHECK(awaited == 1);
                }
                CHECK(engine.statistics().checked_out == 2);
                b.release();  // b goes back first, a last
            }
        }
        const auto opened = engine.statistics().connects;
        CHECK(opened == (test_engine<TestType>::shares_data ? 2u : 1u));
        CHECK(engine.statistics().checked_out == 0);
        for (int round = 0; round < 5; ++round) {
            auto c = co_await engine.connect();
            CHECK(&*c == first);  // the same connection object
            {
                const auto awaited = co_await user_count(*c);
                CHECK(awaited == 1);
            }
        }
        const ctorm::pool_statistics s = engine.statistics();
        CHECK(s.connects == opened);
        CHECK(s.idle == opened);
        CHECK(s.checked_out == 0);
    });
}

TEMPLATE_TEST_CASE("async pool: with pool_order::fifo the connection idle longest is handed out", "[async][pool]",
                   CTORM_TEST_SHARED_POOL_BACKENDS) {
    boost::asio::io_context io;
    test_engine<TestType> t({.pool_size = 2, .max_overflow = 0, .order = ctorm::pool_order::fifo});
    auto& engine = t.engine;
    ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
        auto a = co_await engine.connect();
        auto b = co_await engine.connect();
        const void* first = &*a;
        const void* second = &*b;
        a.release();  // a goes back first: idle longest
        b.release();
        auto c = co_await engine.connect();
        CHECK(&*c == first);
        auto d = co_await engine.connect();
        CHECK(&*d == second);
        CHECK(engine.statistics().connects == 2);
    });
}

TEMPLATE_TEST_CASE("async pool: 1,000 concurrent coroutines over a pool of 8, on one thread and on four",
                   "[async][pool]", CTORM_TEST_SHARED_POOL_BACKENDS) {
    constexpr int coroutines = 1000;
    // On four threads twice: on the io_context's executor, then each
    // coroutine on a strand of its own (a connection opened on one strand is
    // then used from others).
    for (const int run : {0, 1, 2}) {
        const int threads = run == 0 ? 1 : 4;
        const bool strands = run == 2;
        INFO("threads: " << threads << (strands ? ", a strand per coroutine" : ""));
        boost::asio::io_context io(threads);
        test_engine<TestType> t({.pool_size = 6, .max_overflow = 2, .timeout = 120s});
        auto& engine = t.engine;
        std::atomic<int> done{0}, wrong{0}, failures{0};
        std::atomic<std::size_t> most_out{0};
        std::mutex failure_lock;
        std::string failure;
        for (int k = 0; k < coroutines; ++k) {
            const boost::asio::any_io_executor executor =
                strands ? boost::asio::any_io_executor(boost::asio::make_strand(io))
                        : boost::asio::any_io_executor(io.get_executor());
            boost::asio::co_spawn(
                executor,
                [](decltype(engine)& e, int index, std::atomic<int>* finished, std::atomic<int>* mistakes,
                   std::atomic<std::size_t>* most) -> awaitable<void> {
                    auto db = co_await e.connect();
                    const std::size_t out = e.statistics().checked_out;
                    for (std::size_t seen = most->load(); out > seen && !most->compare_exchange_weak(seen, out);) {
                    }
                    const std::string email = "u" + std::to_string(index) + "@example.com";
                    co_await add_user(*db, email);
                    const auto mine = select(users.email).where(users.email == email);
                    const std::vector<std::string> rows = co_await db->all(mine);
                    if (rows.size() != 1 || rows[0] != email) ++*mistakes;
                    ++*finished;
                }(engine, k, &done, &wrong, &most_out),
                [&](std::exception_ptr e) {
                    if (!e) return;
                    ++failures;
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& x) {
                        const std::lock_guard hold(failure_lock);
                        failure = x.what();
                    }
                });
        }
        run_on_threads(io, threads);
        INFO("a failure: " << failure);
        CHECK(failures == 0);
        CHECK(wrong == 0);
        CHECK(done == coroutines);
        CHECK(most_out <= 8);
        const ctorm::pool_statistics s = engine.statistics();
        CHECK(s.checked_out == 0);
        CHECK(s.connects <= 8);
        CHECK(s.size <= 8);
        CHECK(s.idle == s.size);
        CHECK(s.idle <= 6);  // the overflow ones were closed on return
        CHECK(s.waits > 0);
        CHECK(s.timeouts == 0);
        io.restart();
        ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
            auto db = co_await engine.connect();
            {
                const auto awaited = co_await user_count(*db);
                CHECK(awaited == coroutines);
            }
        });
    }
}

TEMPLATE_TEST_CASE("async pool: callers waiting get connections in the order they came", "[async][pool]",
                   CTORM_TEST_POOL_BACKENDS) {
    boost::asio::io_context io;
    test_engine<TestType> t({.pool_size = 1, .max_overflow = 0});
    auto& engine = t.engine;
    std::vector<int> order;
    int failures = 0;
    using checkout = typename std::remove_cvref_t<decltype(engine)>::checkout;
    ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
        checkout held = co_await engine.connect();
        for (int k = 0; k < 5; ++k) {
            boost::asio::co_spawn(
                co_await boost::asio::this_coro::executor,
                [](decltype(engine)& e, int index, std::vector<int>* served) -> awaitable<void> {
                    auto db = co_await e.connect();
                    served->push_back(index);
                    co_await add_user(*db, "w" + std::to_string(index) + "@example.com");
                }(engine, k, &order),
                [&failures](std::exception_ptr e) {
                    if (e) ++failures;
                });
        }
        // Let them all get in line, then give the connection back.
        boost::asio::steady_timer pause(co_await boost::asio::this_coro::executor, 50ms);
        co_await pause.async_wait(boost::asio::use_awaitable);
        CHECK(engine.statistics().waits == 5);
        CHECK(order.empty());
        held.release();
    });
    CHECK(failures == 0);
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(engine.statistics().connects == 1);
    CHECK(engine.statistics().checked_out == 0);
}

TEMPLATE_TEST_CASE("async pool: an acquire that waits longer than timeout throws pool_timeout_error", "[async][pool]",
                   CTORM_TEST_POOL_BACKENDS) {
    boost::asio::io_context io;
    test_engine<TestType> t({.pool_size = 1, .max_overflow = 0, .timeout = 100ms});
    auto& engine = t.engine;
    ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
        auto held = co_await engine.connect();
        const auto started = std::chrono::steady_clock::now();
        std::string message;
        try {
            auto never = co_await engine.connect();
        } catch (const ctorm::pool_timeout_error& e) {
            message = e.what();
        }
        const auto waited = std::chrono::steady_clock::now() - started;
        CHECK(message ==
              "ctorm: no pool connection became free within 100 ms (pool_size 1, max_overflow 0, 1 checked out, 0 "
              "other acquire() call(s) waiting)");
        CHECK(waited >= 100ms);
        CHECK(waited < 5s);
        const ctorm::pool_statistics s = engine.statistics();
        CHECK(s.timeouts == 1);
        CHECK(s.waits == 1);
        CHECK(s.checked_out == 1);
        // The pool goes on: the connection given back is handed out again.
        const void* address = &*held;
        held.release();
        auto again = co_await engine.connect();
        CHECK(&*again == address);
    });
    CHECK(engine.statistics().checked_out == 0);
}

TEMPLATE_TEST_CASE("async pool: a transaction left open is rolled back before the connection is reused",
                   "[async][pool]", CTORM_TEST_POOL_BACKENDS) {
    for (const int threads : {1, 4}) {
        INFO("threads: " << threads);
        boost::asio::io_context io(threads);
        test_engine<TestType> t({.pool_size = 1, .max_overflow = 0});
        auto& engine = t.engine;
        std::exception_ptr failure;
        boost::asio::co_spawn(
            io,
            [&]() -> awaitable<void> {
                const void* address = nullptr;
                {
                    auto db = co_await engine.connect();
                    address = &*db;
                    co_await add_user(*db, "kept@example.com");
                    co_await db->execute_script("BEGIN");  // no guard: the pool's to roll back
                    co_await add_user(*db, "lost@example.com");
                    {
                        const auto awaited = co_await in_transaction(*db);
                        CHECK(awaited);
                    }
                }
                {
                    auto db = co_await engine.connect();
                    CHECK(&*db == address);
                    {
                        const auto awaited = co_await in_transaction(*db);
                        CHECK_FALSE(awaited);
                    }
                    {
                        const auto awaited = co_await user_count(*db);
                        CHECK(awaited == 1);
                    }
                }
                // A coroutine that throws inside a guarded transaction on a checkout.
                const auto work = [&engine]() -> awaitable<void> {
                    auto db = co_await engine.connect();
                    auto tx = co_await db->begin();
                    co_await add_user(*db, "thrown@example.com");
                    throw std::runtime_error("the coroutine gave up");
                };
                bool threw = false;
                try {
                    co_await work();
                } catch (const std::runtime_error&) {
                    threw = true;
                }
                CHECK(threw);
                auto db = co_await engine.connect();
                CHECK(&*db == address);
                {
                    const auto awaited = co_await user_count(*db);
                    CHECK(awaited == 1);
                }
                auto tx = co_await db->begin();  // and it takes a new transaction
                co_await add_user(*db, "after@example.com");
                co_await tx.commit();
                {
                    const auto awaited = co_await user_count(*db);
                    CHECK(awaited == 2);
                }
            },
            [&failure](std::exception_ptr e) { failure = e; });
        run_on_threads(io, threads);
        if (failure) std::rethrow_exception(failure);
        CHECK(engine.statistics().connects == 1);
        CHECK(engine.statistics().checked_out == 0);
    }
}

TEMPLATE_TEST_CASE("async pool: invalidate(), recycle and dispose() replace connections", "[async][pool]",
                   CTORM_TEST_SHARED_POOL_BACKENDS) {
    boost::asio::io_context io;
    {
        test_engine<TestType> t({.pool_size = 2, .max_overflow = 0});
        auto& engine = t.engine;
        ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
            {
                auto db = co_await engine.connect();
                co_await add_user(*db, "ann@example.com");
                db.invalidate();
            }
            CHECK(engine.statistics().invalidated == 1);
            CHECK(engine.statistics().size == 0);
            {
                auto db = co_await engine.connect();
                {
                    const auto awaited = co_await user_count(*db);
                    CHECK(awaited == 1);
                }
            }
            CHECK(engine.statistics().connects == 2);
            CHECK(engine.statistics().idle == 1);
            engine.dispose();
            CHECK(engine.statistics().size == 0);
            {
                auto db = co_await engine.connect();
                auto other = co_await engine.connect();
                engine.dispose();  // the checked-out ones are closed when they come back
                {
                    const auto awaited = co_await user_count(*other);
                    CHECK(awaited == 1);
                }
            }
            const ctorm::pool_statistics s = engine.statistics();
            CHECK(s.connects == 4);
            CHECK(s.size == 0);
            CHECK(s.checked_out == 0);
        });
    }
    {
        test_engine<TestType> t({.pool_size = 1, .max_overflow = 0, .recycle = 20ms});
        auto& engine = t.engine;
        ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
            { auto db = co_await engine.connect(); }
            boost::asio::steady_timer pause(co_await boost::asio::this_coro::executor, 40ms);
            co_await pause.async_wait(boost::asio::use_awaitable);
            auto db = co_await engine.connect();  // older than recycle: replaced
            {
                const auto awaited = co_await user_count(*db);
                CHECK(awaited == 0);
            }
            const ctorm::pool_statistics s = engine.statistics();
            CHECK(s.recycled == 1);
            CHECK(s.connects == 2);
            CHECK(s.size == 1);
        });
    }
}

TEST_CASE("async pool: a factory that fails leaves the pool as it was, and the caller in line gets the place",
          "[async][pool]") {
    boost::asio::io_context io;
    std::atomic<int> attempts{0};
    ctorm::async_pool<ctorm::sqlite::async_connection> pool(
        [&attempts]() -> awaitable<ctorm::sqlite::async_connection> {
            // Suspended first, so that the second caller gets in line meanwhile.
            co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
            if (attempts++ == 0) throw std::runtime_error("the first connection cannot be opened");
            co_return co_await ctorm::sqlite::async_connect("sqlite:///:memory:");
        },
        {.pool_size = 1, .max_overflow = 0});
    std::string first_error;
    bool second_served = false;
    boost::asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
            try {
                auto db = co_await pool.acquire();
            } catch (const std::runtime_error& e) {
                first_error = e.what();
            }
        },
        boost::asio::detached);
    boost::asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
            auto db = co_await pool.acquire();
            second_served = true;
        },
        boost::asio::detached);
    io.run();
    CHECK(first_error == "the first connection cannot be opened");
    CHECK(second_served);
    const ctorm::pool_statistics s = pool.statistics();
    CHECK(s.waits == 1);
    CHECK(s.connects == 1);
    CHECK(s.size == 1);
    CHECK(s.checked_out == 0);

    bool refused = false;
    try {
        ctorm::async_pool<ctorm::sqlite::async_connection> none(
            []() { return ctorm::sqlite::async_connect("sqlite:///:memory:"); }, {.pool_size = 0, .max_overflow = 0});
    } catch (const ctorm::error&) {
        refused = true;
    }
    CHECK(refused);
}

#ifdef CTORM_TEST_WITH_POSTGRES
TEMPLATE_TEST_CASE("async pool: with pre_ping, a connection whose server session ended is replaced before use",
                   "[async][pool]", ctorm_test::postgresql) {
    boost::asio::io_context io;
    test_engine<TestType> t({.pool_size = 1, .max_overflow = 0, .pre_ping = true});
    auto& engine = t.engine;
    int pid = 0, socket = -1;
    ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
        auto db = co_await engine.connect();
        co_await add_user(*db, "ann@example.com");
        pid = PQbackendPID(db->native_handle());
        socket = PQsocket(db->native_handle());
    });
    REQUIRE(pid != 0);
    // The idle connection's server process ends (as in a restart), and is gone.
    auto admin = ctorm::postgres::connect(ctorm_test::postgres_database_url());
    const std::string terminate = "SELECT pg_terminate_backend(" + std::to_string(pid) + ")::text";
    CHECK(ctorm_test::postgres_query_value(admin, terminate) == std::optional<std::string>("true"));
    // Until the server has closed its end of the idle connection's socket
    // (looked at without reading: the pre-ping is what reads it).
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        pollfd watched{socket, POLLRDHUP, 0};
        if (::poll(&watched, 1, 10) > 0 && (watched.revents & (POLLRDHUP | POLLHUP))) break;
        if (std::chrono::steady_clock::now() > deadline) FAIL("the server did not close the session's socket");
    }
    ctorm_test::run_coroutine(io, [&]() -> awaitable<void> {
        auto db = co_await engine.connect();  // checked, found dead, replaced
        CHECK(PQbackendPID(db->native_handle()) != pid);
        {
            const auto awaited = co_await user_count(*db);
            CHECK(awaited == 1);
        }
    });
    const ctorm::pool_statistics s = engine.statistics();
    CHECK(s.invalidated == 1);
    CHECK(s.connects == 2);
    CHECK(s.size == 1);
}
#endif
