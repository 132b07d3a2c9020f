// The async connections of the behavioural backend types (support/sqlite_fixture.hpp):
// async_fresh<B>(tag) opens one on an empty blog database of its own, and
// run_coroutine runs a coroutine to its end on an io_context of its own;
// someone(email), user_count(db), in_transaction(db) and attach(log, db) for
// the async tests.
//
// The tests await a value into a local before they check it
// (`const auto awaited = co_await f(); CHECK(awaited == 2);`), never
// `CHECK(co_await f() == 2)`: Catch2 repeats its expression in a
// `while (false && (x))`, and g++ 12 evaluates the co_await there too, so f()
// would run twice (sending its statements twice).
#pragma once

#include <ctorm/async/sqlite.hpp>
#ifdef CTORM_TEST_WITH_POSTGRES
#include <ctorm/async/postgres.hpp>
#endif

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

namespace ctorm_test {

template <class Backend>
struct async_backend;

template <>
struct async_backend<sqlite_memory> {
    using connection_type = ctorm::sqlite::async_connection;
    static ctorm::asio::awaitable<connection_type> fresh(std::string_view tag = {}) {
        co_return connection_type(sqlite_memory::fresh(tag));
    }
};
template <>
struct async_backend<sqlite_file> {
    using connection_type = ctorm::sqlite::async_connection;
    static ctorm::asio::awaitable<connection_type> fresh(std::string_view tag = {}) {
        co_return connection_type(sqlite_file::fresh(tag));
    }
};

#ifdef CTORM_TEST_WITH_POSTGRES
// A schema of the tag's own, made empty (with the blog tables) by a
// synchronous connection, then an async one working in it.
template <>
struct async_backend<postgresql> {
    using connection_type = ctorm::postgres::async_connection;
    static ctorm::asio::awaitable<connection_type> fresh(std::string_view tag = {}) {
        const std::string schema = postgres_current_schema(postgres_fresh_db(tag));
        connection_type db = co_await ctorm::postgres::async_connect(postgres_database_url());
        co_await db.execute_script("SET search_path TO \"" + schema + "\"");
        co_return db;
    }
};
#endif

// A user of the blog schema with that email.
inline blog::User someone(const std::string& email) { return blog::User{.email = email, .name = "someone"}; }

// How many users there are, on any async connection.
template <class DB>
ctorm::asio::awaitable<std::int64_t> user_count(DB& db) {
    const auto q = select(ctorm::count()).from(blog::users);
    co_return co_await db.scalar(q);
}

// Whether the connection is in a transaction: PostgreSQL's knows without
// I/O, SQLite's asks its worker.
template <class DB>
ctorm::asio::awaitable<bool> in_transaction(DB& db) {
    if constexpr (std::is_same_v<DB, ctorm::sqlite::async_connection>) co_return co_await db.in_transaction();
    else co_return db.in_transaction();
}

// Puts the connection's statements in log, through its echo (on SQLite the
// echo is the worker's connection's, set in a job).
template <class Log, class DB>
ctorm::asio::awaitable<void> attach(Log& log, DB& db) {
    if constexpr (std::is_same_v<DB, ctorm::sqlite::async_connection>)
        co_await db.run([&log](ctorm::sqlite::connection& c) { log.attach(c); });
    else log.attach(db);
}

// Runs make() (a coroutine) on `io` until it and everything it spawned end;
// its exception, if any, is rethrown here.
template <class Make>
void run_coroutine(boost::asio::io_context& io, Make make) {
    std::exception_ptr failure;
    boost::asio::co_spawn(io, make(), [&failure](std::exception_ptr e) { failure = std::move(e); });
    io.run();
    io.restart();
    if (failure) std::rethrow_exception(failure);
}
template <class Make>
void run_coroutine(Make make) {
    boost::asio::io_context io;
    run_coroutine(io, std::move(make));
}

}  // namespace ctorm_test

#ifdef CTORM_TEST_WITH_POSTGRES
#define CTORM_TEST_ASYNC_BACKENDS ctorm_test::sqlite_memory, ctorm_test::sqlite_file, ctorm_test::postgresql
#else
#define CTORM_TEST_ASYNC_BACKENDS ctorm_test::sqlite_memory, ctorm_test::sqlite_file
#endif
