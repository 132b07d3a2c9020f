// The async layer under a server restart (issue 18), on a cluster of this
// file's own: two coroutines are waiting when the server restarts, one for a
// statement on the non-blocking connection, one for an async session's job on
// the connection's worker. Each gets an error (never a half-read reply), its
// connection is closed and discarded by the pool, nothing uncommitted stays,
// and the pool (pre_ping) hands out working connections afterwards.
#include <ctorm/async/postgres.hpp>
#include <ctorm/async/session.hpp>

#include "support/pg_fixture.hpp"
#include "support/pg_private_server.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <thread>

using namespace blog;
using ctorm::asio::awaitable;
using namespace std::chrono_literals;

namespace {

struct outcome {
    bool threw = false;
    bool database_error = false;
    std::string message;
    bool closed_after = false;
};

awaitable<std::int64_t> user_count(ctorm::postgres::async_connection& db) {
    const auto q = select(ctorm::count()).from(users);
    co_return co_await db.scalar(q);
}

void record(outcome& out, std::exception_ptr e) {
    if (!e) return;
    out.threw = true;
    try {
        std::rethrow_exception(e);
    } catch (const ctorm::database_error& d) {
        out.database_error = true;
        out.message = d.what();
    } catch (const std::exception& other) {
        out.message = other.what();
    }
}

}  // namespace

TEST_CASE("a server restarted under running coroutines: errors, closed connections discarded, the pool heals",
          "[async][fault]") {
    {
        auto db = ctorm::postgres::connect(ctorm_test::own_server().url());
        db.execute_script("DROP TABLE IF EXISTS post_tags, posts, everything, users CASCADE");
        db.create_all(users);
        db.execute(insert(users).values(User{.email = "kept@x.io", .name = "Kept"}));
    }
    boost::asio::io_context io;
    auto engine = ctorm::postgres::create_async_engine(ctorm_test::own_server().url(),
                                                       {.pool_size = 2, .max_overflow = 0, .pre_ping = true});
    outcome plain, session;
    const std::string slow = "SELECT pg_sleep(30)";
    boost::asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
            auto db = co_await engine.connect();
            try {
                co_await db->execute_script(slow);
            } catch (...) {
                plain.closed_after = db->is_closed();
                throw;
            }
        },
        [&](std::exception_ptr e) { record(plain, e); });
    boost::asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
            auto db = co_await engine.connect();
            ctorm::async_session s(*db);
            s.add(users, User{.email = "lost@x.io", .name = "Lost"});
            co_await s.flush();  // inserted in the session's transaction, never committed
            try {
                co_await s.run([&slow](auto& sync) { sync.connection().execute_script(slow); });
            } catch (...) {
                session.closed_after = db->is_closed();
                throw;
            }
        },
        [&](std::exception_ptr e) { record(session, e); });
    std::thread restarter([] {
        std::this_thread::sleep_for(500ms);
        ctorm_test::own_server().restart();
    });
    const auto started = std::chrono::steady_clock::now();
    io.run();
    io.restart();
    restarter.join();
    CHECK(std::chrono::steady_clock::now() - started < 20s);  // not the 30 s of the statements

    INFO("non-blocking: " << plain.message);
    INFO("session: " << session.message);
    CHECK(plain.threw);
    CHECK(plain.database_error);
    CHECK(plain.closed_after);
    CHECK(session.threw);
    CHECK(session.database_error);
    CHECK(session.closed_after);
    CHECK(engine.statistics().checked_out == 0);

    std::int64_t counted[2] = {-1, -1};
    outcome after;
    boost::asio::co_spawn(
        io,
        [&]() -> awaitable<void> {
            auto a = co_await engine.connect();
            auto b = co_await engine.connect();
            counted[0] = co_await user_count(*a);
            ctorm::async_session s(*b);
            const auto everyone = select(users);
            counted[1] = static_cast<std::int64_t>((co_await s.all(everyone)).size());
        },
        [&](std::exception_ptr e) { record(after, e); });
    io.run();
    CHECK(!after.threw);
    INFO("after: " << after.message);
    CHECK(counted[0] == 1);  // "kept"; the session's uncommitted row went with the restart
    CHECK(counted[1] == 1);
    CHECK(engine.statistics().checked_out == 0);
}
