// sqlite::async_connection: the awaitable API over sqlite::connection, each
// statement run on the connection's own worker thread, so the io_context's
// threads never block on SQLite.
#pragma once

#include "ctorm/async/awaitable.hpp"

#include <boost/asio/thread_pool.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "ctorm/sqlite.hpp"

namespace ctorm::sqlite {

// Every operation is a job on the connection's worker thread (one per
// connection, jobs in the order they were asked for): the sqlite::connection
// is only ever touched there, and the awaiting coroutine resumes on its own
// executor. One coroutine uses a connection at a time; give each concurrent
// coroutine its own connection.
class async_connection {
public:
    using dialect_type = sqlite_dialect;
    using transaction = basic_async_transaction<async_connection>;

    // Takes over an open connection (from now on used on the worker only).
    explicit async_connection(connection&& db) : state_(std::make_unique<state>()) {
        state_->db.emplace(std::move(db));
    }
    async_connection(async_connection&&) noexcept = default;
    async_connection& operator=(async_connection&&) noexcept = default;
    ~async_connection() = default;

    // Statements returning no rows (insert, update, delete, DDL); for a
    // select use all(), first(), one(), one_or_none() or scalar().
    template <class Q>
    asio::awaitable<execute_result> execute(Q q) {
        static_assert(!statement_traits<Q>::returns_rows,
                      "ctorm: the async execute() runs statements that return no rows; read a select (or a "
                      "RETURNING) with all(), first(), one(), one_or_none() or scalar()");
        co_return co_await run([&q](connection& db) { return db.execute(q); });
    }
    template <class Q>
    asio::awaitable<std::vector<typename statement_traits<Q>::row_type>> all(Q q) {
        co_return co_await run([&q](connection& db) { return db.all(q); });
    }
    template <class Q>
    asio::awaitable<std::optional<typename statement_traits<Q>::row_type>> first(Q q) {
        co_return co_await run([&q](connection& db) { return db.first(q); });
    }
    template <class Q>
    asio::awaitable<typename statement_traits<Q>::row_type> one(Q q) {
        co_return co_await run([&q](connection& db) { return db.one(q); });
    }
    template <class Q>
    asio::awaitable<std::optional<typename statement_traits<Q>::row_type>> one_or_none(Q q) {
        co_return co_await run([&q](connection& db) { return db.one_or_none(q); });
    }
    template <class Q>
    asio::awaitable<typename statement_traits<Q>::row_type> scalar(Q q) {
        co_return co_await run([&q](connection& db) { return db.scalar(q); });
    }
    template <table_type... Ts>
    asio::awaitable<void> create_all(Ts... tables) {
        co_await run([&](connection& db) { db.create_all(tables...); });
    }
    asio::awaitable<void> execute_script(std::string sql) {
        co_await run([&sql](connection& db) { db.execute_script(sql); });
    }

    // The spelling of PostgreSQL's pipeline, so that code is portable: the
    // statements run one after the other in one job on the worker (SQLite has
    // no round trips to save), giving a select's rows (as all()) or the
    // execute_result of a statement without rows. As on PostgreSQL, outside a
    // transaction they run in one (if one fails, those before it are undone
    // and those after it are not run); inside one, the statements before the
    // failing one stay done (PostgreSQL aborts the transaction: roll it back
    // to be portable). The failing statement's own exception is thrown.
    template <class... Qs>
    asio::awaitable<std::tuple<pipeline_result_t<Qs>...>> pipeline(Qs... qs) {
        static_assert(sizeof...(Qs) > 0, "ctorm: pipeline() needs at least one statement");
        static_assert((!statement_traits<Qs>::is_bulk && ...),
                      "ctorm: a bulk insert cannot go in a pipeline (async bulk inserts are not there yet)");
        co_return co_await run([&qs...](connection& db) {
            const auto each = [&]() { return std::tuple<pipeline_result_t<Qs>...>{result_of(db, qs)...}; };
            if (db.in_transaction()) return each();
            auto tx = db.begin();
            auto results = each();
            tx.commit();
            return results;
        });
    }

    // BEGIN (deferred, immediate or exclusive), as the synchronous begin().
    asio::awaitable<transaction> begin(transaction_mode mode = transaction_mode::deferred) {
        co_await run([mode](connection& db) {
            if (db.in_transaction())
                throw transaction_error(
                    "begin(): a transaction is already open on this connection; commit or roll it back first");
            db.execute_script(std::string(backend::begin_text(mode)));
        });
        co_return transaction(this);
    }
    asio::awaitable<bool> in_transaction() {
        co_return co_await run([](connection& db) { return db.in_transaction(); });
    }

    // Runs job(connection&) on the worker: the door for what the awaitable API
    // does not offer yet.
    template <class Job>
    auto run(Job job) -> asio::awaitable<std::invoke_result_t<Job&, connection&>> {
        state* s = state_.get();
        co_return co_await ctorm::detail::run_on(s->worker.get_executor(), [s, &job]() { return job(*s->db); });
    }

private:
    friend class basic_async_transaction<async_connection>;

    template <class Q>
    static pipeline_result_t<Q> result_of(connection& db, const Q& q) {
        if constexpr (statement_traits<Q>::returns_rows) return db.all(q);
        else return db.execute(q);
    }

    asio::awaitable<void> command(std::string sql) {
        co_await run([&sql](connection& db) { db.execute_script(sql); });
    }
    // Queued before whatever the connection is asked next (the worker runs its
    // jobs in order); SQLite ends a transaction it rolled back itself the same way.
    void rollback_later() noexcept {
        try {
            state* s = state_.get();
            asio::post(s->worker, [s]() noexcept { s->db->backend().run_script_noexcept("ROLLBACK"); });
        } catch (...) {  // out of memory: the connection is closed with its transaction open, which rolls it back
        }
    }

    struct state {
        std::optional<connection> db;  // declared first: closed after the worker has finished
        asio::thread_pool worker{1};
        ~state() { worker.join(); }  // every queued job runs (a pending rollback too)
    };
    std::unique_ptr<state> state_;
};

// auto [a, b, c] = co_await pipeline(db, q1, q2, q3): async_connection::pipeline.
template <class... Qs>
asio::awaitable<std::tuple<pipeline_result_t<Qs>...>> pipeline(async_connection& db, Qs... qs) {
    return db.pipeline(std::move(qs)...);
}

// Opens a connection from a sqlite:// URL (as sqlite::connect) on a worker thread.
inline asio::awaitable<async_connection> async_connect(std::string address) {
    auto pool = std::make_unique<asio::thread_pool>(1);
    connection db = co_await ctorm::detail::run_on(pool->get_executor(), [&address]() { return connect(address); });
    pool->join();
    co_return async_connection(std::move(db));
}

}  // namespace ctorm::sqlite
