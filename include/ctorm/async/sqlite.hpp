// sqlite::async_connection: the awaitable API over sqlite::connection, each
// statement run on the connection's own worker thread, so the io_context's
// threads never block on SQLite.
#pragma once

#include "ctorm/async/awaitable.hpp"
#include "ctorm/async/pool.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "ctorm/sqlite.hpp"
#include "ctorm/sqlite/engine.hpp"

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
    using sync_connection = connection;  // what run()'s jobs are given

    // Takes over an open connection (from now on used on the worker only).
    // Its busy timeout (PRAGMA busy_timeout) is kept, waited for by a busy
    // handler of ctorm's that cancel() and the statement timeout stop.
    explicit async_connection(connection&& db)
        : state_(std::make_unique<state>()), interrupter_(std::make_shared<interrupter>()) {
        interrupter_->handle = db.native_handle();
        interrupter_->busy_timeout = std::chrono::milliseconds(busy_timeout_of(db.native_handle()));
        state_->busy_context = interrupter_;
        sqlite3_busy_handler(db.native_handle(), &interrupter::wait_for_lock, interrupter_.get());
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
    // The rows of a select, batch by batch as the coroutine asks for them
    // (PostgreSQL's stream(), with the same rules): the statement is stepped
    // on the worker, one batch per next(), and its first row is read by
    // stream(), so an error before it is thrown there. Until the stream is
    // read to its end the connection runs no other statement (as on
    // PostgreSQL, where libpq reads one reply at a time): one asked for
    // throws transaction_error. A stream left before its end is reset on the
    // worker before the connection's next statement. The statement timeout
    // and cancel() apply to each next(). Static statements only.
    template <class Q>
    class row_stream;
    template <class Q>
    asio::awaitable<row_stream<Q>> stream(Q q, std::size_t batch_rows = 1000) {
        static_assert(statement_traits<Q>::returns_rows, "ctorm: stream() needs a select(...)");
        static_assert(!is_dynamic_statement<Q> && !runtime_text_statement<Q>,
                      "ctorm: stream() takes a statement whose text is known at compile time; read a dynamic or "
                      "runtime-text select with all()");
        if (batch_rows == 0) throw std::invalid_argument("ctorm: stream(): a batch holds at least one row");
        using rows_type = typename row_stream<Q>::rows_type;
        std::unique_ptr<rows_type> rows = co_await run([&q](connection& db) {
            auto made = std::unique_ptr<rows_type>(new rows_type(db.execute(q)));
            if (made->begin() == made->end()) made.reset();  // no rows: nothing to keep
            return made;
        });
        co_return row_stream<Q>(*this, std::move(rows), batch_rows);
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
                      "ctorm: a bulk insert cannot go in a pipeline; send it alone: co_await db.execute(bulk)");
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

    // PostgreSQL's statement timeout and cancel(), with the same behaviour:
    // an operation (every statement it runs on the worker, from the moment it
    // is asked for) that takes longer than `timeout` is interrupted as
    // cancel() does; zero (the default): none.
    void set_statement_timeout(std::chrono::steady_clock::duration timeout) noexcept { timeout_ = timeout; }
    std::chrono::steady_clock::duration statement_timeout() const noexcept { return timeout_; }

    // Interrupts the statement running for the operation this connection is
    // awaiting (sqlite3_interrupt; from any thread or coroutine). The operation
    // throws operational_error with code SQLITE_INTERRUPT, whose message says
    // why ("(ctorm interrupted the statement: cancel() was called)"), and the
    // connection goes on. SQLite rolls back an open transaction whose INSERT,
    // UPDATE or DELETE it interrupts (roll back its guard, as after any
    // failure; a select leaves it open). With no operation out, or between two
    // statements of one, nothing happens. A statement waiting for a lock
    // another connection holds stops waiting at once: busy_error
    // (SQLITE_BUSY) saying why ("(ctorm stopped the wait for the lock: ...)"),
    // nothing written.
    void cancel() { interrupter_->interrupt(interrupter_->running_or_none(), "cancel() was called"); }

    // Runs job(connection&) on the worker: the door for what the awaitable API
    // does not offer yet. The statement timeout and cancel() apply to it.
    template <class Job>
    auto run(Job job) -> asio::awaitable<std::invoke_result_t<Job&, connection&>> {
        if (streaming_) ctorm::detail::throw_reading_stream();
        co_return co_await run_job(std::move(job));
    }

private:
    friend class basic_async_transaction<async_connection>;
    friend class basic_async_savepoint<async_connection>;
    friend class async_pool<async_connection>;
    template <class>
    friend class ctorm::async_session;

    // run() without the stream check (a stream's own batches).
    template <class Job>
    auto run_job(Job job) -> asio::awaitable<std::invoke_result_t<Job&, connection&>> {
        state* s = state_.get();
        interrupter* in = interrupter_.get();  // the connection's, alive while this runs
        const std::uint64_t op = ++in->issued;
        std::optional<asio::steady_timer> timer;
        if (timeout_ > std::chrono::steady_clock::duration::zero()) {
            const auto executor = co_await asio::this_coro::executor;
            timer.emplace(executor, timeout_);
            // The handler may run after the connection is gone: it shares the interrupter.
            timer->async_wait([shared = interrupter_, op, why = timeout_reason()](const boost::system::error_code& e) {
                if (!e) shared->interrupt(op, why);
            });
        }
        co_return co_await ctorm::detail::run_on(s->worker.get_executor(), [s, &job, in, op]() {
            const interrupter::running_scope scope(*in, op);
            try {
                return job(*s->db);
            } catch (const operational_error& e) {
                const int code = e.code() & 0xFF;
                if (code != SQLITE_INTERRUPT && code != SQLITE_BUSY) throw;
                const std::string why = in->reason_for(op);
                if (why.empty()) throw;
                if (code == SQLITE_BUSY)
                    ctorm::detail::rethrow_stopped<busy_error>(e, "ctorm stopped the wait for the lock", why);
                ctorm::detail::rethrow_stopped(e, "ctorm interrupted the statement", why);
            }
        });
    }

    template <class Q>
    static pipeline_result_t<Q> result_of(connection& db, const Q& q) {
        if constexpr (statement_traits<Q>::returns_rows) return db.all(q);
        else return db.execute(q);
    }

    // The connection run()'s jobs are given (ctorm::async_session keeps a
    // reference, and uses it only in jobs).
    connection& blocking_side() noexcept { return *state_->db; }

    asio::awaitable<void> command(std::string sql) {
        co_await run([&sql](connection& db) { db.execute_script(sql); });
    }
    // Queued before whatever the connection is asked next (the worker runs its
    // jobs in order); nothing when no transaction is open by then (SQLite may
    // have rolled one back itself). The pool calls it for every connection
    // given back: whether a transaction is open is known on the worker only.
    void rollback_later() noexcept {
        try {
            state* s = state_.get();
            asio::post(s->worker, [s]() noexcept {
                if (sqlite3_get_autocommit(s->db->native_handle()) == 0)
                    s->db->backend().run_script_noexcept("ROLLBACK");
            });
        } catch (...) {  // out of memory: the connection is closed with its transaction open, which rolls it back
        }
    }

    // The savepoints' names, counted with those of the worker's connection (run()'s jobs may make some).
    std::uint64_t next_savepoint_id() noexcept { return ++state_->db->backend().cache().savepoints; }
    // A savepoint guard left active: queued as rollback_later is, to its savepoint.
    void rollback_to_later(const std::string& name) noexcept {
        try {
            state* s = state_.get();
            asio::post(s->worker,
                       [s, sql = "ROLLBACK TO SAVEPOINT " + name + "; RELEASE SAVEPOINT " + name]() noexcept {
                           if (sqlite3_get_autocommit(s->db->native_handle()) == 0)
                               s->db->backend().run_script_noexcept(sql);
                       });
        } catch (...) {  // out of memory: the transaction's guard rolls it all back
        }
    }

    std::string timeout_reason() const {
        return "the statement timeout of " +
               std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout_).count()) + " ms ran out";
    }

    static int busy_timeout_of(sqlite3* db) noexcept {
        sqlite3_stmt* s = nullptr;
        int ms = 0;
        if (sqlite3_prepare_v2(db, "PRAGMA busy_timeout", -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW)
            ms = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
        return ms;
    }

    // Which operation is on the worker, so that a timer or cancel() interrupts
    // that one and never the next: sqlite3_interrupt is called under the lock
    // that the worker takes to start and to end an operation. Shared with the
    // timers' handlers, which may run after the connection is gone, and the
    // connection's busy handler (its context, kept by the state as long as the
    // sqlite3 handle is open).
    struct interrupter {
        std::mutex lock;
        std::condition_variable woken;  // a busy wait, when the operation is interrupted
        sqlite3* handle = nullptr;
        std::uint64_t issued = 0;   // operations asked for (on the awaiting coroutine's side)
        std::uint64_t running = 0;  // the one on the worker, 0 for none
        std::uint64_t interrupted = 0;
        std::string reason;
        std::chrono::milliseconds busy_timeout{0};
        std::chrono::steady_clock::time_point busy_since{};

        // SQLite's busy handler (called on the worker while a lock is held
        // elsewhere): true to try again. Waits as sqlite3_busy_timeout does
        // (1, 2, 5, 10 ... 100 ms between tries, up to the busy timeout in
        // all), and gives up at once when the running operation is interrupted.
        static int wait_for_lock(void* context, int tries) noexcept {
            static constexpr int delays_ms[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
            auto* in = static_cast<interrupter*>(context);
            const auto now = std::chrono::steady_clock::now();
            std::unique_lock<std::mutex> hold(in->lock);
            if (tries == 0) in->busy_since = now;
            const auto stopped = [in] { return in->running != 0 && in->interrupted == in->running; };
            const auto waited = now - in->busy_since;
            if (stopped() || waited >= in->busy_timeout) return 0;
            const std::chrono::milliseconds step(delays_ms[tries < 12 ? tries : 11]);
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(in->busy_timeout - waited);
            in->woken.wait_for(hold, step < left ? step : left, stopped);
            return stopped() ? 0 : 1;
        }

        std::uint64_t running_or_none() {
            const std::lock_guard<std::mutex> hold(lock);
            return running;
        }
        void interrupt(std::uint64_t op, std::string why) {
            const std::lock_guard<std::mutex> hold(lock);
            if (op == 0 || running != op) return;
            if (interrupted != op) reason = std::move(why);  // the first reason stays
            interrupted = op;
            sqlite3_interrupt(handle);
            woken.notify_all();
        }
        std::string reason_for(std::uint64_t op) {
            const std::lock_guard<std::mutex> hold(lock);
            return interrupted == op ? reason : std::string();
        }
        struct running_scope {
            interrupter& in;
            running_scope(interrupter& i, std::uint64_t op) : in(i) {
                const std::lock_guard<std::mutex> hold(in.lock);
                in.running = op;
            }
            running_scope(const running_scope&) = delete;
            running_scope& operator=(const running_scope&) = delete;
            ~running_scope() {
                const std::lock_guard<std::mutex> hold(in.lock);
                in.running = 0;
            }
        };
    };

    struct state {
        std::shared_ptr<interrupter> busy_context;  // the busy handler's, until the handle is closed
        std::optional<connection> db;               // closed after the worker has finished
        asio::thread_pool worker{1};
        ~state() { worker.join(); }  // every queued job runs (a pending rollback too)
    };
    std::unique_ptr<state> state_;
    std::shared_ptr<interrupter> interrupter_;
    std::chrono::steady_clock::duration timeout_{};
    bool streaming_ = false;  // a row_stream is being read
};

// What stream() gives: the rows of one select, stepped on the connection's
// worker batch by batch. Move-only; it must not outlive its connection.
template <class Q>
class async_connection::row_stream {
public:
    using row_type = typename statement_traits<Q>::row_type;

    row_stream(row_stream&& other) noexcept
        : c_(std::exchange(other.c_, nullptr)),
          rows_(std::move(other.rows_)),
          batch_rows_(other.batch_rows_),
          failure_(std::move(other.failure_)) {}
    row_stream& operator=(row_stream&& other) noexcept {
        if (this != &other) {
            abandon();
            c_ = std::exchange(other.c_, nullptr);
            rows_ = std::move(other.rows_);
            batch_rows_ = other.batch_rows_;
            failure_ = std::move(other.failure_);
        }
        return *this;
    }
    row_stream(const row_stream&) = delete;
    row_stream& operator=(const row_stream&) = delete;
    ~row_stream() { abandon(); }

    // Replaces batch's contents with the next rows (up to the batch size);
    // false, with batch empty, once every row has been given. An error after
    // some rows of a batch comes after them: the batch is given, the next call throws.
    asio::awaitable<bool> next(std::vector<row_type>& batch) {
        batch.clear();
        if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
        if (!c_) co_return false;
        std::exception_ptr failed;
        try {
            co_await c_->run_job([this, &batch](connection&) {
                try {
                    auto row = rows_->begin();
                    while (batch.size() < batch_rows_ && !(row == rows_->end())) {
                        batch.push_back(std::move(*row));
                        ++row;
                    }
                    if (row == rows_->end()) rows_.reset();  // every row read: the statement is reset here
                } catch (...) {
                    rows_.reset();
                    throw;
                }
            });
        } catch (...) {
            failed = std::current_exception();
        }
        if (!rows_) end();
        if (failed) {
            abandon();
            if (batch.empty()) std::rethrow_exception(failed);
            failure_ = failed;
        }
        co_return !batch.empty();
    }

    // Whether every row has been read from the statement (what next() has not given yet aside).
    bool done() const noexcept { return c_ == nullptr; }

    // Resets the statement now; the connection is free after it.
    asio::awaitable<void> close() {
        if (!c_) co_return;
        co_await c_->run_job([this](connection&) { rows_.reset(); });
        end();
    }

private:
    friend class async_connection;
    using rows_type = decltype(std::declval<connection&>().execute(std::declval<const Q&>()));

    row_stream(async_connection& c, std::unique_ptr<rows_type> rows, std::size_t batch_rows)
        : rows_(std::move(rows)), batch_rows_(batch_rows) {
        if (!rows_) return;  // no rows
        c_ = &c;
        c.streaming_ = true;
    }

    void end() noexcept {
        if (!c_) return;
        c_->streaming_ = false;
        c_ = nullptr;
    }
    // Left before its end: the statement is reset on the worker, before any later job.
    void abandon() noexcept {
        if (!c_) return;
        if (rows_) {
            try {
                asio::post(c_->state_->worker, [rows = std::move(rows_)]() mutable { rows.reset(); });
            } catch (...) {  // out of memory: reset here (the worker is between jobs or on a rollback)
                rows_.reset();
            }
        }
        end();
    }

    async_connection* c_ = nullptr;  // while rows are left
    std::unique_ptr<rows_type> rows_;
    std::size_t batch_rows_;
    std::exception_ptr failure_;
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

// A pool of async connections to one database (ctorm/async/pool.hpp); the
// URL is parsed now (url_error), connections are opened on first use. As
// sqlite::create_engine, sqlite:///:memory: keeps one connection (pool_size
// 1, max_overflow 0): each connection to it would be a database of its own.
using async_engine = ctorm::async_engine<async_connection>;
inline async_engine create_async_engine(std::string address, pool_options options = {}) {
    const pool_options adjusted = engine_options(address, options);
    return async_engine(std::move(address), &async_connect, adjusted);
}

}  // namespace ctorm::sqlite
