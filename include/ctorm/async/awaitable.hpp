// What ctorm's awaitable API stands on: Boost.Asio's C++20 coroutines (with
// the switches clang needs), running a job on a worker thread and resuming
// the awaiting coroutine on its own executor, and the transaction guard that
// every async connection shares.
#pragma once

#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including <utility>

// Asio 1.74 looks for <experimental/coroutine> on clang, which libstdc++ does
// not have; clang 14 has C++20's <coroutine>, which Asio uses on g++. Include
// ctorm's async headers before Asio's, or define both macros for the whole build.
#if defined(__clang__) && !defined(BOOST_ASIO_HAS_CO_AWAIT) && defined(__cpp_impl_coroutine) && __has_include(<coroutine>) && !__has_include(<experimental/coroutine>)
#define BOOST_ASIO_HAS_CO_AWAIT 1
#define BOOST_ASIO_HAS_STD_COROUTINE 1
#endif

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ctorm/errors.hpp"
#include "ctorm/sql/statement.hpp"

#if !defined(BOOST_ASIO_HAS_CO_AWAIT)
#error \
    "ctorm/async needs Boost.Asio's coroutines (BOOST_ASIO_HAS_CO_AWAIT): include ctorm's async headers before Asio's"
#endif

namespace ctorm {

namespace asio = boost::asio;

namespace detail {

template <class Q, bool Rows = statement_traits<Q>::returns_rows>
struct pipeline_result_of {
    using type = execute_result;
};
template <class Q>
struct pipeline_result_of<Q, true> {
    using type = std::vector<typename statement_traits<Q>::row_type>;
};

}  // namespace detail

// What pipeline(db, q...) gives for the statement Q: a select's rows (what
// all() gives), or the execute_result of a statement without rows.
template <class Q>
using pipeline_result_t = typename detail::pipeline_result_of<std::remove_cvref_t<Q>>::type;

namespace detail {

// Runs job() on `worker` and resumes the awaiting coroutine on the
// coroutine's own executor (never on the worker) with its result, or with its
// exception rethrown. The io_context is kept busy meanwhile, so run() does not
// return while a job is out.
template <class Worker, class Job>
auto run_on(Worker worker, Job job) -> asio::awaitable<std::invoke_result_t<Job&>> {
    using result = std::invoke_result_t<Job&>;
    if constexpr (std::is_void_v<result>) {
        co_await asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr)>(
            [worker, &job](auto handler) mutable {
                auto home =
                    asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
                asio::post(worker, [&job, home, handler = std::move(handler)]() mutable {
                    std::exception_ptr failure;
                    try {
                        job();
                    } catch (...) {
                        failure = std::current_exception();
                    }
                    asio::post(home, [failure, handler = std::move(handler)]() mutable { handler(failure); });
                });
            },
            asio::use_awaitable);
    } else {
        std::optional<result> out;
        co_await asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr)>(
            [worker, &job, &out](auto handler) mutable {
                auto home =
                    asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
                asio::post(worker, [&job, &out, home, handler = std::move(handler)]() mutable {
                    std::exception_ptr failure;
                    try {
                        out.emplace(job());
                    } catch (...) {
                        failure = std::current_exception();
                    }
                    asio::post(home, [failure, handler = std::move(handler)]() mutable { handler(failure); });
                });
            },
            asio::use_awaitable);
        co_return std::move(*out);
    }
}

// What an async connection says to a statement while a stream() of its is
// being read (both backends refuse it alike).
[[noreturn]] inline void throw_reading_stream() {
    throw transaction_error(
        "this connection is reading the rows of a stream(): read them to their end (next() gives false) or "
        "close() the stream before the next statement");
}

// The operational_error e, its message saying why ctorm stopped the
// statement: "<message> (<what ctorm did>: <why>)".
template <class Error = operational_error>
[[noreturn]] void rethrow_stopped(const operational_error& e, std::string_view what, const std::string& why) {
    throw Error(database_error_details{
        .backend = e.backend(),
        .code = e.code(),
        .sqlstate = e.sqlstate(),
        .message = e.message() + " (" + std::string(what) + ": " + why + ")",
        .sql = e.sql(),
        .constraint = e.constraint(),
        .code_text = e.code_text(),
    });
}

}  // namespace detail

template <class Connection>
class async_pool;  // ctorm/async/pool.hpp: rolls back a connection given back, as the guards do
template <class AsyncConnection>
class async_session;  // ctorm/async/session.hpp: rolls back what it leaves open, as the guards do

// A savepoint inside an async transaction: `auto sp = co_await tx.savepoint();`
// ... `co_await sp.release();` keeps the work done since, `co_await
// sp.rollback();` undoes it and the transaction goes on. Left without either
// (an exception, an early co_return), the destructor asks its connection to
// roll back to it without waiting, as the transaction guard does: sent at once
// (PostgreSQL) or queued on the worker (SQLite), before the connection's next
// statement. Connection needs std::uint64_t next_savepoint_id() and
// void rollback_to_later(const std::string& name) noexcept.
template <class Connection>
class basic_async_savepoint {
public:
    basic_async_savepoint(const basic_async_savepoint&) = delete;
    basic_async_savepoint& operator=(const basic_async_savepoint&) = delete;
    basic_async_savepoint(basic_async_savepoint&& other) noexcept
        : connection_(std::exchange(other.connection_, nullptr)), name_(std::move(other.name_)) {}
    basic_async_savepoint& operator=(basic_async_savepoint&&) = delete;
    ~basic_async_savepoint() {
        if (connection_) connection_->rollback_to_later(name_);
    }

    asio::awaitable<void> release() {
        if (!connection_) throw transaction_error("release(): this savepoint has already been released or rolled back");
        const std::string sql = "RELEASE SAVEPOINT " + name_;
        co_await connection_->command(sql);
        connection_ = nullptr;
    }
    asio::awaitable<void> rollback() {
        if (!connection_)
            throw transaction_error("rollback(): this savepoint has already been released or rolled back");
        Connection* c = std::exchange(connection_, nullptr);
        const std::string sql = "ROLLBACK TO SAVEPOINT " + name_ + "; RELEASE SAVEPOINT " + name_;
        co_await c->command(sql);
    }
    bool active() const noexcept { return connection_ != nullptr; }
    const std::string& name() const noexcept { return name_; }

    // Made by the transactions' savepoint(), after SAVEPOINT succeeded.
    basic_async_savepoint(Connection* c, std::string name) noexcept : connection_(c), name_(std::move(name)) {}

private:
    Connection* connection_;
    std::string name_;
};

// The transaction of an async connection: `auto tx = co_await db.begin();`
// ... `co_await tx.commit();`. A destructor cannot co_await, so a guard left
// uncommitted (an exception, an early co_return) asks its connection to roll
// back without waiting: the ROLLBACK is sent (PostgreSQL) or queued on the
// worker (SQLite) at once, and the connection's next statement runs after
// it. Connection needs awaitable<void> command(std::string) and
// void rollback_later() noexcept.
template <class Connection>
class basic_async_transaction {
public:
    basic_async_transaction(const basic_async_transaction&) = delete;
    basic_async_transaction& operator=(const basic_async_transaction&) = delete;
    basic_async_transaction(basic_async_transaction&& other) noexcept
        : connection_(std::exchange(other.connection_, nullptr)) {}
    basic_async_transaction& operator=(basic_async_transaction&&) = delete;
    ~basic_async_transaction() {
        if (connection_) connection_->rollback_later();
    }

    // Only a COMMIT that succeeded ends the guard's duty (as the synchronous one).
    asio::awaitable<void> commit() {
        if (!connection_)
            throw transaction_error("commit(): this transaction has already been committed or rolled back");
        co_await connection_->command("COMMIT");
        connection_ = nullptr;
    }
    asio::awaitable<void> rollback() {
        if (!connection_)
            throw transaction_error("rollback(): this transaction has already been committed or rolled back");
        co_await std::exchange(connection_, nullptr)->command("ROLLBACK");
    }
    bool active() const noexcept { return connection_ != nullptr; }

    // SAVEPOINT: a nested unit of work inside this transaction (above).
    asio::awaitable<basic_async_savepoint<Connection>> savepoint() {
        if (!connection_)
            throw transaction_error("savepoint(): this transaction has already been committed or rolled back");
        std::string name = "ctorm_savepoint_" + std::to_string(connection_->next_savepoint_id());
        const std::string sql = "SAVEPOINT " + name;
        co_await connection_->command(sql);
        co_return basic_async_savepoint<Connection>(connection_, std::move(name));
    }

    // Made by the connections' begin(), after BEGIN succeeded.
    explicit basic_async_transaction(Connection* c) noexcept : connection_(c) {}

private:
    Connection* connection_;
};

}  // namespace ctorm
