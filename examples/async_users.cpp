// The guides' async repository functions (get_user_by_email, get_active_users)
// as coroutines on Boost.Asio, over an embedded SQLite file: SQLite's calls run
// on the connection's worker thread, so the io_context's thread never blocks.
// Several coroutines share one io_context, each with its own connection; a
// transaction left by a coroutine that throws is rolled back; an async
// session loads a user, changes it in memory and commits; every user is read
// batch by batch from a stream. Then six lookups run at once over an async
// engine of two pooled connections.
// expect-output: ctorm async_users: finished, 3 users \(2 active\), 1 rename rolled back, 1 deactivated through a session; 6 lookups over 2 pooled connections
#include <ctorm/async/session.hpp>
#include <ctorm/async/sqlite.hpp>  // before any Asio header

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <ctorm/sqlite.hpp>

namespace asio = boost::asio;

struct User {
    std::int64_t id{};
    std::string email{};
    std::string name{};
    bool is_active = true;
};

CTORM_TABLE(users, User,
            (id, primary_key),
            (email, varchar<255>, unique, index),
            (name, varchar<100>),
            (is_active, default_value(true)));

using ctorm::sqlite::async_connection;

// async def get_user_by_email(db, email) -> User | None
asio::awaitable<std::optional<User>> get_user_by_email(async_connection& db, std::string email) {
    const auto q = select(users).where(users.email == email);  // named: see docs/async.md (g++ 12)
    co_return co_await db.one_or_none(q);
}

// async def get_active_users(db) -> list[User]
asio::awaitable<std::vector<User>> get_active_users(async_connection& db) {
    const auto q = select(users).where(users.is_active).order_by(users.email);
    co_return co_await db.all(q);
}

// Every user, batch by batch: the program holds one batch at a time, however
// many users there are (PostgreSQL sends the rows as the server produces them).
asio::awaitable<std::size_t> export_users(async_connection& db) {
    const auto q = select(users).order_by(users.id);
    auto rows = co_await db.stream(q, 2);
    std::vector<User> batch;
    std::size_t exported = 0, batches = 0;
    while (co_await rows.next(batch)) {
        ++batches;
        exported += batch.size();
    }
    std::cout << "exported " << exported << " users in " << batches << " batches\n";
    co_return exported;
}

asio::awaitable<void> add_user(async_connection& db, User u) {
    const auto q = insert(users).values(std::move(u));
    co_await db.execute(q);
}

// Renames a user inside a transaction, then fails: nothing of it stays.
asio::awaitable<void> failing_rename(async_connection& db) {
    auto tx = co_await db.begin();
    const std::string name = "Mallory", email = "ann@example.com";
    const auto q = update(users).set(users.name = name).where(users.email == email);
    co_await db.execute(q);
    throw std::runtime_error("the rename's second step failed");
    co_await tx.commit();  // never reached: the guard's destructor queues ROLLBACK
}

// The same kind of change through a session: the object is loaded, changed in
// memory (no I/O), and its UPDATE sent at commit.
asio::awaitable<bool> deactivate(async_connection& db, std::string email) {
    ctorm::async_session s(db);
    const auto q = select(users).where(users.email == email);
    auto u = co_await s.first(q);
    if (!u) co_return false;
    u->is_active = false;
    co_await s.commit();  // BEGIN, UPDATE "users" SET "is_active" ..., COMMIT
    co_return true;
}

// A request handler: a connection from the pool for the request's length.
asio::awaitable<void> lookup(ctorm::sqlite::async_engine& engine, std::string email, int* found) {
    auto db = co_await engine.connect();  // waits (without blocking the thread) while both are out
    const std::optional<User> u = co_await get_user_by_email(*db, email);
    if (u) ++*found;
}  // the connection goes back to the pool here

asio::awaitable<int> program(ctorm::sqlite::async_engine& engine, int* found) {
    std::remove("async_users.db");  // a fresh file on every run
    async_connection db = co_await ctorm::sqlite::async_connect("sqlite:///async_users.db");
    co_await db.create_all(users);
    // Arguments are named before the co_await (g++ 12 frees some temporaries of a
    // co_await expression twice: docs/async.md).
    const std::vector<User> people{{.email = "ann@example.com", .name = "Ann"},
                                   {.email = "bob@example.com", .name = "Bob", .is_active = false},
                                   {.email = "cid@example.com", .name = "Cid"}};
    for (const User& u : people) co_await add_user(db, u);

    int rolled_back = 0;
    try {
        co_await failing_rename(db);
    } catch (const std::runtime_error&) {
        ++rolled_back;
    }

    const std::string ann_email = "ann@example.com", zed_email = "zed@example.com";
    const std::optional<User> ann = co_await get_user_by_email(db, ann_email);
    if (!ann || ann->name != "Ann") throw std::logic_error("the rolled-back rename is visible");
    const std::optional<User> nobody = co_await get_user_by_email(db, zed_email);
    if (nobody) throw std::logic_error("found a user that was never added");

    const std::vector<User> active = co_await get_active_users(db);
    for (const User& u : active) std::cout << "active: " << u.name << " <" << u.email << ">\n";
    const auto count = select(ctorm::count()).from(users);
    const std::int64_t total = co_await db.scalar(count);
    if (co_await export_users(db) != static_cast<std::size_t>(total)) throw std::logic_error("the export lost users");
    std::cout << "ctorm async_users: finished, " << total << " users (" << active.size() << " active), " << rolled_back
              << " rename rolled back";
    const int deactivated = co_await deactivate(db, ann_email) ? 1 : 0;
    const auto active_count = select(ctorm::count()).from(users).where(users.is_active);
    if (co_await db.scalar(active_count) != 1) throw std::logic_error("the session's change is not in the database");
    std::cout << ", " << deactivated << " deactivated through a session";
    // Six concurrent requests over the engine's two connections.
    const auto executor = co_await asio::this_coro::executor;
    for (int k = 0; k < 6; ++k) {
        const std::string email = k % 2 ? "bob@example.com" : "cid@example.com";
        asio::co_spawn(executor, lookup(engine, email, found), asio::detached);
    }
    co_return 0;
}

int main() {
    asio::io_context io;
    // Declared after the io_context: destroyed before it. Connects on first use.
    auto engine = ctorm::sqlite::create_async_engine("sqlite:///async_users.db", {.pool_size = 2, .max_overflow = 0});
    int status = 1, found = 0;
    asio::co_spawn(io, program(engine, &found), [&](std::exception_ptr failure, int result) {
        if (failure) {
            try {
                std::rethrow_exception(failure);
            } catch (const std::exception& e) {
                std::cerr << "async_users failed: " << e.what() << "\n";
            }
            return;
        }
        status = result;
    });
    io.run();
    if (status != 0) return status;
    const ctorm::pool_statistics pool = engine.statistics();
    std::cout << "; " << found << " lookups over " << pool.connects << " pooled connections\n";
    return found == 6 && pool.checked_out == 0 ? 0 : 1;
}
