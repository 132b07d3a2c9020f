// postgres::async_connection: the awaitable API over non-blocking libpq.
// It connects with PQconnectStart / PQconnectPoll, sends with PQsendPrepare /
// PQsendQueryPrepared / PQsendQuery and PQflush, reads with PQconsumeInput /
// PQisBusy / PQgetResult, and waits on PQsocket through an Asio descriptor;
// encoding, type checks, decoding, the retry policy and the errors are the
// blocking backend's (postgres/protocol.hpp), unchanged.
#pragma once

#include "ctorm/async/awaitable.hpp"
#include "ctorm/async/pool.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/system_error.hpp>

#include <libpq-fe.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctorm/postgres.hpp"

namespace ctorm::postgres {

namespace detail {

// Where cancel requests are sent from: PQcancel (libpq 15) blocks until the
// server has taken the request, which must not happen on an io_context's thread.
inline asio::thread_pool& cancel_thread() {
    static asio::thread_pool thread(1);
    return thread;
}

}  // namespace detail

// One coroutine uses a connection at a time (concurrent coroutines each take
// their own); it belongs to the executor it was opened on.
class async_connection {
public:
    using dialect_type = postgres_dialect;
    using transaction = basic_async_transaction<async_connection>;

    async_connection(async_connection&&) noexcept = default;
    async_connection& operator=(async_connection&& other) noexcept {
        if (this != &other) {
            release_socket();
            socket_ = std::move(other.socket_);
            conn_ = std::move(other.conn_);
            redacted_ = std::move(other.redacted_);
            endpoint_ = std::move(other.endpoint_);
            cache_ = std::move(other.cache_);
            params_ = std::move(other.params_);
            rollback_sent_ = other.rollback_sent_;
            replies_pending_ = other.replies_pending_;
            owed_ = std::move(other.owed_);
            rollback_owed_ = other.rollback_owed_;
            stream_ = other.stream_;
            stream_in_transaction_ = other.stream_in_transaction_;
            socket_waits_ = other.socket_waits_;
            timeout_ = other.timeout_;
            lent_ = std::move(other.lent_);
        }
        return *this;
    }
    // libpq owns the socket: the descriptor lets go of it before PQfinish closes it.
    ~async_connection() { release_socket(); }

    // Opens a connection (as postgres::connect, without blocking).
    static asio::awaitable<async_connection> connect(std::string address) {
        connection_parameters p = parse_connection_parameters(address);
        if (p.conninfo.find('\0') != std::string::npos)
            throw url_error("the connection parameters contain a NUL byte, which cannot be passed on", p.redacted);
        async_connection c(co_await asio::this_coro::executor, std::move(p.redacted));
        c.conn_.reset(PQconnectStart(p.conninfo.c_str()));
        if (!c.conn_ || PQstatus(c.conn_) == CONNECTION_BAD) c.throw_cannot_connect();
        // As libpq asks: poll as if PQconnectPoll had said "writing".
        PostgresPollingStatusType status = PGRES_POLLING_WRITING;
        while (status != PGRES_POLLING_OK) {
            if (status == PGRES_POLLING_FAILED) c.throw_cannot_connect();
            c.watch_socket();  // libpq may open another one (another host, SSL refused)
            co_await c.socket_.async_wait(
                status == PGRES_POLLING_READING ? socket_type::wait_read : socket_type::wait_write,
                asio::use_awaitable);
            status = PQconnectPoll(c.conn_);
        }
        c.watch_socket();
        if (PQsetnonblocking(c.conn_, 1) != 0) c.throw_cannot_connect();
        PQsetNoticeProcessor(
            c.conn_, [](void*, const char*) {}, nullptr);
        c.endpoint_ = detail::endpoint_of(c.conn_);
        co_return c;
    }

    // Statements returning no rows; a select (or RETURNING) is read with
    // all(), first(), one(), one_or_none() or scalar(). A bulk insert, and
    // a dynamic or runtime-text statement, here and in the five below, runs
    // as a job of run() (the blocking connection's pipeline and statements,
    // on this connection's worker thread); the others on the non-blocking path.
    //
    // These six are not coroutines themselves: each gives the awaitable of
    // the one coroutine that sends the statement, waits and decodes the reply
    // (run_statement, shaped by what the call returns), so that an awaited
    // statement makes as few coroutine frames as it can.
    template <class Q>
    asio::awaitable<execute_result> execute(Q q) {
        static_assert(!statement_traits<Q>::returns_rows,
                      "ctorm: the async execute() runs statements that return no rows; read a select (or a "
                      "RETURNING) with all(), first(), one(), one_or_none() or scalar()");
        if constexpr (statement_traits<Q>::is_bulk || !static_statement<Q>)
            return run([q = std::move(q)](connection& c) { return c.execute(q); });
        else return run_statement<as_execute_result>(std::move(q));
    }

    template <class Q>
    asio::awaitable<std::vector<typename statement_traits<Q>::row_type>> all(Q q) {
        if constexpr (!static_statement<Q>) return run([q = std::move(q)](connection& c) { return c.all(q); });
        else return run_statement<as_all>(checked_select(std::move(q)));
    }
    template <class Q>
    asio::awaitable<std::optional<typename statement_traits<Q>::row_type>> first(Q q) {
        if constexpr (!static_statement<Q>) return run([q = std::move(q)](connection& c) { return c.first(q); });
        else return run_statement<as_first>(checked_select(std::move(q)));
    }
    template <class Q>
    asio::awaitable<typename statement_traits<Q>::row_type> one(Q q) {
        if constexpr (!static_statement<Q>) return run([q = std::move(q)](connection& c) { return c.one(q); });
        else return run_statement<as_one>(checked_select(std::move(q)));
    }
    template <class Q>
    asio::awaitable<std::optional<typename statement_traits<Q>::row_type>> one_or_none(Q q) {
        if constexpr (!static_statement<Q>) return run([q = std::move(q)](connection& c) { return c.one_or_none(q); });
        else return run_statement<as_one_or_none>(checked_select(std::move(q)));
    }
    template <class Q>
    asio::awaitable<typename statement_traits<Q>::row_type> scalar(Q q) {
        using traits = statement_traits<Q>;
        static_assert(traits::returns_rows && traits::slots::size == 1,
                      "ctorm: scalar() needs a select of exactly one column or expression");
        if constexpr (!static_statement<Q>) return run([q = std::move(q)](connection& c) { return c.scalar(q); });
        else return run_statement<as_scalar>(std::move(q));
    }

    // The rows of a select, batch by batch as the coroutine asks for them:
    //   auto rows = co_await db.stream(q, 500);
    //   std::vector<row_type> batch;
    //   while (co_await rows.next(batch)) { ... up to 500 rows ... }
    // libpq's single-row mode: the server sends the rows as it produces them
    // and the client holds one batch, whatever the size of the result. The
    // statement is sent and its first reply read by stream(), so an error
    // before the first row is thrown there. Until the stream is read to its
    // end (next() gives false) the connection cannot run another statement
    // (libpq reads one query's reply at a time): one asked for throws
    // transaction_error. A stream left before its end (destroyed, or an
    // exception out of next()) has the rest of its rows read and dropped
    // before the connection's next statement; close() does that at once.
    // The statement timeout and cancel() apply to each next(); an error the
    // server raises after some rows (a division by zero at row 500) comes
    // after the rows before it: the batch holding them is given, and the next
    // call throws. Static statements only (a dynamic select: all()).
    template <class Q>
    class row_stream;
    template <class Q>
    asio::awaitable<row_stream<Q>> stream(Q q, std::size_t batch_rows = 1000) {
        static_assert(statement_traits<Q>::returns_rows, "ctorm: stream() needs a select(...)");
        static_assert(static_statement<Q>,
                      "ctorm: stream() takes a statement whose text is known at compile time; read a dynamic or "
                      "runtime-text select with all()");
        if (batch_rows == 0) throw std::invalid_argument("ctorm: stream(): a batch holds at least one row");
        detail::checked_result first = co_await run_statement<as_reply, true>(std::move(q));
        co_return row_stream<Q>(*this, std::move(first), batch_rows);
    }

    // Independent statements in one round trip (libpq's pipeline mode): each
    // is sent (with its PQsendPrepare first when this connection has not
    // prepared it yet), then one PQpipelineSync, and the replies are read in
    // order. Gives a tuple: a select's rows (as all()), execute_result for a
    // statement without rows. The server runs the statements up to the sync
    // as one transaction when none is open: if one fails, those before it are
    // undone and those after it are not run (PGRES_PIPELINE_ABORTED); inside
    // a transaction, the transaction is aborted (roll it back). Either way the
    // whole reply is read before the first failure is thrown, with the
    // statement's own exception, and the connection stays usable.
    template <class... Qs>
    asio::awaitable<std::tuple<pipeline_result_t<Qs>...>> pipeline(Qs... qs) {
        static_assert(sizeof...(Qs) > 0, "ctorm: pipeline() needs at least one statement");
        static_assert((!statement_traits<Qs>::is_bulk && ...),
                      "ctorm: a bulk insert cannot go in a pipeline; send it alone: co_await db.execute(bulk)");
        static_assert((static_statement<Qs> && ...),
                      "ctorm: the async connection runs static statements only (dynamic ones are not there yet)");
        co_return co_await run_pipeline(std::index_sequence_for<Qs...>{}, qs...);
    }

    // Creates the tables that do not exist yet, in one transaction (as create_all).
    template <table_type... Ts>
    asio::awaitable<void> create_all(Ts...) {
        const bool own = !in_transaction();
        if (own) co_await execute_script("BEGIN");
        std::exception_ptr failure;
        try {
            for (std::string_view text : ctorm::detail::create_all_texts_v<postgres_dialect, Ts...>)
                co_await execute_script(std::string(text));
            if (own) co_await execute_script("COMMIT");
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {  // a handler cannot co_await: the ROLLBACK goes here, then what failed is rethrown
            if (own) {
                rollback_later();
                if (reply_pending()) co_await settle();
            }
            std::rethrow_exception(failure);
        }
    }

    // SQL text that is not a ctorm statement (no parameters; several statements allowed).
    asio::awaitable<void> execute_script(std::string sql) {
        if (reply_pending()) co_await settle();
        cache_.echo_text(sql);
        if (PQsendQuery(conn_, sql.c_str()) != 1) throw_result_error(nullptr, sql);
        detail::result_ptr r = co_await receive(sql);
        check(r.get(), sql);
        if (sql == "COMMIT" && detail::commit_was_rolled_back(r.get()))
            throw transaction_error(
                "commit(): the transaction had been aborted by an earlier error, so PostgreSQL rolled it back; "
                "nothing was committed");
    }

    // BEGIN with the isolation level, as the synchronous begin().
    asio::awaitable<transaction> begin(isolation level = isolation::read_committed) {
        if (reply_pending()) co_await settle();
        if (in_transaction())
            throw transaction_error(
                "begin(): a transaction is already open on this connection; commit or roll it back first");
        co_await execute_script(std::string(backend::begin_text(level)));
        co_return transaction(this);
    }

    // No I/O: what libpq knows (a ROLLBACK sent by a guard counts as done).
    bool in_transaction() const noexcept {
        if (!conn_ || rollback_sent_) return false;
        if (stream_ != stream_state::none) return stream_in_transaction_;  // libpq says "active" until its end
        const PGTransactionStatusType status = PQtransactionStatus(conn_);
        // Active: a savepoint guard's ROLLBACK TO is on its way, in the transaction.
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || (status == PQTRANS_ACTIVE && reply_pending());
    }
    // Every later round trip (a statement's reply, its preparation's on first
    // use, a pipeline's replies) that takes longer than `timeout` is canceled
    // as cancel() does; zero (the default): none.
    void set_statement_timeout(std::chrono::steady_clock::duration timeout) noexcept { timeout_ = timeout; }
    std::chrono::steady_clock::duration statement_timeout() const noexcept { return timeout_; }
    // Stops the statement this connection is waiting for (call it from another
    // coroutine or handler on the connection's executor, e.g. a timer's): a
    // cancel request goes to the server (PQcancel, from a thread of ctorm's
    // own), the rest of the reply is read, and the operation throws
    // operational_error with SQLSTATE 57014 (query_canceled); the connection
    // stays usable (a transaction it was in is aborted: roll it back). A
    // statement that ends before the server sees the request gives its
    // result. Nothing happens when the connection is not waiting.
    void cancel() { interrupt("cancel() was called"); }

    // Whether libpq already knows the connection is gone (no I/O).
    bool is_closed() const noexcept { return closed(); }
    // Whether the server session is still there, without a round trip (as
    // postgres::connection::is_alive: reads what the server sent meanwhile,
    // which ends with the socket's end when the server closed the session).
    bool is_alive() noexcept {
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) return false;
        if (reply_pending() || PQisBusy(conn_) || PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) return true;
        for (int read = 0; read < 2; ++read) {
            if (PQconsumeInput(conn_) == 0) return false;
            (void)PQisBusy(conn_);  // parses what was read
        }
        return PQstatus(conn_) == CONNECTION_OK;
    }

    std::size_t statements_prepared() const noexcept { return cache_.prepared; }
    // How many times this connection has waited on its socket (to read a
    // reply or to send): what a round trip costs, counted for tests.
    std::size_t socket_waits() const noexcept { return socket_waits_; }
    void set_echo(echo_callback echo) { cache_.echo = std::move(echo); }
    PGconn* native_handle() const noexcept { return conn_; }

    // The blocking API of postgres::connection, for what the awaitable one
    // does not offer (ctorm::async_session's unit of work runs here):
    // job(postgres::connection&) runs on a worker thread of this connection's
    // own (started on first use) with libpq in blocking mode, and the
    // coroutine resumes on its own executor, so the io_context's threads
    // never block. It is this connection: its session, transaction, prepared
    // statements and echo (lent to the blocking connection for the job and
    // taken back after it). The statement timeout and cancel() apply: the
    // cancel request (PQcancel, from ctorm's cancel thread) stops the
    // statement running then, which throws operational_error 57014 saying why.
    using sync_connection = connection;
    template <class Job>
    auto run(Job job) -> asio::awaitable<std::invoke_result_t<Job&, connection&>> {
        if (reply_pending()) co_await settle();
        if (!conn_) throw transaction_error("run(): this connection was moved from or closed");
        (void)blocking_side();  // the worker and the blocking connection, from the first job on
        lent_state* l = lent_.get();
        lent_cancel_ = std::shared_ptr<PGcancel>(PQgetCancel(conn_), [](PGcancel* c) {
            if (c) PQfreeCancel(c);
        });
        if (PQsetnonblocking(conn_, 0) != 0) throw_result_error(nullptr, "run()");
        l->db.backend().lend(backend::parts{std::move(conn_), redacted_, endpoint_, std::move(cache_)});
        const lend_scope back(*this);
        const round_trip trip(*this);
        try {
            co_return co_await ctorm::detail::run_on(l->worker.get_executor(), [l, &job]() { return job(l->db); });
        } catch (const operational_error& e) {
            if (!cancel_sent_ || e.sqlstate() != "57014") throw;
            ctorm::detail::rethrow_stopped(e, "ctorm sent the cancel request", interrupt_reason_);
        }
    }

private:
    friend class basic_async_transaction<async_connection>;
    friend class basic_async_savepoint<async_connection>;
    friend class async_pool<async_connection>;
    template <class>
    friend class ctorm::async_session;
    using socket_type = asio::posix::stream_descriptor;

    async_connection(asio::any_io_executor executor, std::string redacted)
        : socket_(std::move(executor)), redacted_(std::move(redacted)) {}

    // run()'s blocking connection (holding nothing between jobs) and its thread.
    struct lent_state {
        connection db{backend::parts{}};
        asio::thread_pool worker{1};
    };
    // The blocking connection run()'s jobs are given (ctorm::async_session
    // keeps a reference; it holds this connection's parts only during a job).
    connection& blocking_side() {
        if (!lent_) lent_ = std::make_unique<lent_state>();
        return lent_->db;
    }
    // Takes the parts back from the blocking connection when run()'s job ends.
    struct lend_scope {
        explicit lend_scope(async_connection& c) noexcept : c_(c) {}
        lend_scope(const lend_scope&) = delete;
        lend_scope& operator=(const lend_scope&) = delete;
        ~lend_scope() {
            backend::parts p = c_.lent_->db.backend().take_back();
            c_.conn_ = std::move(p.conn);
            c_.cache_ = std::move(p.cache);
            c_.lent_cancel_.reset();
            if (c_.conn_ && PQsetnonblocking(c_.conn_, 1) == 0) c_.watch_socket();  // PQreset may open another socket
        }
        async_connection& c_;
    };

    asio::awaitable<void> command(std::string sql) { co_await execute_script(std::move(sql)); }

    template <class Q>
    static std::vector<typename statement_traits<Q>::row_type> rows_of(typename backend::cursor<Q>&& c) {
        std::vector<typename statement_traits<Q>::row_type> rows;
        if constexpr (std::is_same_v<typename statement_traits<Q>::row_type, bool>) {
            while (c.step()) {
                bool value{};
                c.read(value);
                rows.push_back(value);
            }
        } else {
            rows.resize(c.size());
            for (auto& row : rows) {
                c.step();
                c.read(row);
            }
        }
        return rows;
    }

    // After the server refused text (22021): which parameter holds it, or empty.
    template <class Q>
    static std::string text_problem_in(const Q& q) {
        detail::text_problem_finder finder;
        q.visit_params(finder);
        return finder.describe(to_sql<postgres_dialect, std::remove_cvref_t<Q>>());
    }

    // --- pipelines ------------------------------------------------------------------

    template <class Q>
    static constexpr bool static_statement = !is_dynamic_statement<Q> && !runtime_text_statement<Q>;

    template <std::size_t... I, class... Qs>
    asio::awaitable<std::tuple<pipeline_result_t<Qs>...>> run_pipeline(std::index_sequence<I...>, const Qs&... qs) {
        if (reply_pending()) co_await settle();
        pipeline_run<sizeof...(Qs)> run;
        // Everything that can fail without I/O first (parameter types, names,
        // encoding), so that a refused value sends nothing. Each statement's
        // parameters have a buffer of their own: all are held until sent.
        std::tuple<detail::static_params<ctorm::detail::sql_text<postgres_dialect, Qs>::param_count>...> params(
            run.owned[I]...);
        (plan_step(qs, run.steps[I], run), ...);
        (detail::encode_params(qs, std::get<I>(params)), ...);
        {
            const round_trip trip(*this);
            co_await send_pipeline(run, params, std::index_sequence<I...>{});
            co_await read_pipeline(run);
        }
        if (!run.broken.empty()) {
            detail::trim_trailing_space(run.broken);
            throw_postgres_error(closed() ? "08006" : "",
                                 closed() ? detail::closed_message(endpoint_, "during a pipeline: " + run.broken)
                                          : "a pipeline failed: " + run.broken,
                                 run.steps[run.failed].sql, "");
        }
        if (run.failure) {
            std::string where;
            if (detail::refused_text(run.failure.get())) {
                const auto find = [&](std::size_t i, const auto& q) {
                    if (i == run.failed) where = text_problem_in(q);
                };
                (find(I, qs), ...);
            }
            throw_result_error(run.failure.get(), run.steps[run.failed].sql, where);
        }
        co_return std::tuple<pipeline_result_t<Qs>...>{result_of<Qs>(run.steps[I])...};
    }

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    // A statement this connection has not prepared, prepared inside the pipeline.
    struct pipeline_prepare {
        std::string key, name;
        std::vector<Oid> types;
        bool prepared = false;  // the server said so
    };
    struct pipeline_step {
        std::string_view sql;
        std::size_t slot = 0;
        std::string name;            // of the server-side statement
        std::size_t prepare = npos;  // the pipeline_prepare it waits for, if any
        bool sends_prepare = false;  // this step sends that PQsendPrepare
        detail::result_ptr result;   // its successful reply
    };
    template <std::size_t N>
    struct pipeline_run {
        std::array<pipeline_step, N> steps;
        std::array<std::string, N> owned;  // each statement's encoded values
        std::vector<pipeline_prepare> prepares;
        detail::result_ptr failure;  // the first error
        std::size_t failed = 0;      // whose (or where the connection failed)
        std::string broken;          // libpq's message when the connection failed
    };

    // The server-side statement a step executes: the one this connection
    // has, or one prepared in the same pipeline (once per text and types).
    template <class Q, std::size_t N>
    void plan_step(const Q& q, pipeline_step& step, pipeline_run<N>& run) {
        using S = std::remove_cvref_t<Q>;
        step.sql = to_sql<postgres_dialect, S>();
        step.slot = ctorm::detail::statement_slot<S>();
        if (step.slot < cache_.slots.size() && !cache_.slots[step.slot].name.empty()) {
            step.name = cache_.slots[step.slot].name;
            return;
        }
        std::string key = statement_key_for(q);
        if (const std::string* found = cache_.by_text.find(key)) {
            step.name = *found;
            cache_.slot_at(step.slot) = detail::statement_state{*found, false, 0};
            return;
        }
        for (std::size_t k = 0; k < run.prepares.size(); ++k) {
            if (run.prepares[k].key == key) {
                step.name = run.prepares[k].name;
                step.prepare = k;
                return;
            }
        }
        step.name = "ctorm_" + std::to_string(cache_.by_text.size() + run.prepares.size() + 1);
        step.prepare = run.prepares.size();
        step.sends_prepare = true;
        run.prepares.push_back(pipeline_prepare{std::move(key), step.name, params_.types, false});
    }

    // Pipeline mode, every statement (and preparation), one sync, everything flushed.
    template <std::size_t N, class Params, std::size_t... I>
    asio::awaitable<void> send_pipeline(pipeline_run<N>& run, Params& params, std::index_sequence<I...>) {
        if (PQenterPipelineMode(conn_) != 1) throw_result_error(nullptr, run.steps[0].sql);
        bool sent = true;
        const auto send = [&](std::size_t i, const auto& p) {
            pipeline_step& step = run.steps[i];
            if (!sent) return;
            run.failed = i;
            cache_.echo_text(step.sql);
            if (step.sends_prepare) {
                const pipeline_prepare& prepare = run.prepares[step.prepare];
                const std::string text(step.sql);
                sent = PQsendPrepare(conn_, prepare.name.c_str(), text.c_str(), static_cast<int>(prepare.types.size()),
                                     prepare.types.data()) == 1;
                if (!sent) return;
            }
            sent = PQsendQueryPrepared(conn_, step.name.c_str(), static_cast<int>(p.values.size()), p.values.data(),
                                       p.lengths.data(), p.formats.data(), 1) == 1;
        };
        (send(I, std::get<I>(params)), ...);
        if (sent) sent = PQpipelineSync(conn_) == 1;
        // libpq refuses to queue only when the connection is gone: nothing to read then.
        if (!sent) {
            run.broken = PQerrorMessage(conn_);
            co_return;
        }
        co_await flush(run.steps[0].sql);
    }

    // The replies in the order sent (each followed by a null result), then
    // the sync's; the first error is kept, what the server skipped after it
    // is PGRES_PIPELINE_ABORTED. Then out of pipeline mode.
    template <std::size_t N>
    asio::awaitable<void> read_pipeline(pipeline_run<N>& run) {
        if (!run.broken.empty()) co_return;
        const auto keep_failure = [&run](detail::result_ptr& r, std::size_t i) {
            if (PQresultStatus(r.get()) == PGRES_PIPELINE_ABORTED || run.failure) return;
            run.failure = std::move(r);
            run.failed = i;
        };
        for (std::size_t i = 0; i < N && run.broken.empty(); ++i) {
            pipeline_step& step = run.steps[i];
            for (int reply = step.sends_prepare ? 0 : 1; reply < 2; ++reply) {
                detail::result_ptr r = co_await next_result();
                if (!r) {  // no reply where one was due: the connection is gone
                    run.broken = PQerrorMessage(conn_);
                    run.failed = i;
                    break;
                }
                const ExecStatusType status = PQresultStatus(r.get());
                if (reply == 0 && status == PGRES_COMMAND_OK) {
                    pipeline_prepare& prepare = run.prepares[step.prepare];
                    prepare.prepared = true;
                    ++cache_.prepared;
                    cache_.by_text.emplace(prepare.key, prepare.name);
                } else if (reply == 1 && detail::succeeded(r.get())) {
                    step.result = std::move(r);
                } else {
                    keep_failure(r, i);
                }
                detail::result_ptr end_of_reply = co_await next_result();  // null
            }
        }
        // Statements prepared in the pipeline are the connection's from now on
        // (a preparation is not undone with the transaction).
        for (pipeline_step& step : run.steps) {
            if (step.prepare == npos || !run.prepares[step.prepare].prepared) continue;
            detail::statement_state& state = cache_.slot_at(step.slot);
            if (state.name.empty()) state = detail::statement_state{step.name, false, 0};
        }
        if (!run.broken.empty()) co_return;
        detail::result_ptr sync = co_await next_result();
        if (PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
            run.broken = PQerrorMessage(conn_);
            co_return;
        }
        if (PQexitPipelineMode(conn_) != 1) run.broken = PQerrorMessage(conn_);
    }

    // A step's successful reply as what pipeline() gives for it.
    template <class Q>
    pipeline_result_t<Q> result_of(pipeline_step& step) {
        if constexpr (statement_traits<Q>::returns_rows) {
            detail::statement_state& state = cache_.slots[step.slot];
            if (!state.types_checked) detail::check_result_types<Q>(step.result.get(), state);
            return rows_of<Q>(
                typename backend::cursor<Q>(detail::checked_result{std::move(step.result), state.direct}));
        } else {
            return execute_result{detail::affected_rows(step.result.get()), 0};
        }
    }

    // A guard left uncommitted: ROLLBACK is sent now (non-blocking; what does
    // not fit the socket goes with the next flush) and its reply read before
    // the next statement; if a reply of an earlier guard's is still to be
    // read (libpq sends one query at a time), the ROLLBACK goes right after
    // it, before the next statement. If the connection is closed first, the
    // server rolls back.
    void rollback_later() noexcept {
        if (!in_transaction() || PQstatus(conn_) != CONNECTION_OK) return;
        rollback_sent_ = true;  // in_transaction() is false from now on
        if (reply_pending()) {
            rollback_owed_ = true;
            return;
        }
        if (PQsendQuery(conn_, "ROLLBACK") != 1) return;
        (void)PQflush(conn_);
        ++replies_pending_;
    }
    std::uint64_t next_savepoint_id() noexcept { return ++cache_.savepoints; }
    // A savepoint guard left active: as rollback_later, to its savepoint (the
    // transaction stays open, so in_transaction() is unchanged).
    void rollback_to_later(const std::string& name) noexcept {
        if (!in_transaction() || PQstatus(conn_) != CONNECTION_OK) return;
        try {
            std::string sql = "ROLLBACK TO SAVEPOINT " + name + "; RELEASE SAVEPOINT " + name;
            if (reply_pending()) {
                owed_.push_back(std::move(sql));
                return;
            }
            if (PQsendQuery(conn_, sql.c_str()) != 1) return;
        } catch (...) {  // out of memory: the transaction's guard rolls it all back
            return;
        }
        (void)PQflush(conn_);
        ++replies_pending_;
    }
    // Reads the replies of what the guards sent, then sends what they owe,
    // in order (the outcomes do not matter: a broken connection shows at the
    // next statement).
    asio::awaitable<void> settle() {
        if (stream_ == stream_state::reading) ctorm::detail::throw_reading_stream();
        if (stream_ == stream_state::abandoned) co_await drain_stream();
        while (reply_pending()) {
            for (; replies_pending_ > 0; --replies_pending_) {
                try {
                    (void)co_await receive("ROLLBACK");
                } catch (const std::exception&) {
                }
            }
            std::string next;
            if (!owed_.empty()) {
                next = std::move(owed_.front());
                owed_.erase(owed_.begin());
            } else if (rollback_owed_) {
                next = "ROLLBACK";
                rollback_owed_ = false;
            } else {
                break;
            }
            if (PQstatus(conn_) == CONNECTION_OK && PQsendQuery(conn_, next.c_str()) == 1) ++replies_pending_;
        }
        owed_.clear();
        rollback_owed_ = false;
        rollback_sent_ = false;
    }
    bool reply_pending() const noexcept {
        return replies_pending_ > 0 || rollback_owed_ || !owed_.empty() || stream_ != stream_state::none;
    }
    // What a stream left before its end had still to come: read and dropped
    // (its outcome does not matter; a broken connection shows at the next statement).
    asio::awaitable<void> drain_stream() {
        try {
            const round_trip trip(*this);
            while (true) {
                if (PQisBusy(conn_)) co_await until_result();
                const detail::result_ptr r(PQgetResult(conn_));
                if (!r || PQstatus(conn_) == CONNECTION_BAD) break;
            }
        } catch (const std::exception&) {
        }
        stream_ = stream_state::none;
    }

    void watch_socket() {
        const int fd = PQsocket(conn_);
        if (socket_.is_open() && socket_.native_handle() == fd) return;
        release_socket();
        if (fd >= 0) socket_.assign(fd);
    }
    void release_socket() noexcept {
        if (socket_.is_open()) (void)socket_.release();
    }
    [[noreturn]] void throw_cannot_connect() {
        std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
        detail::trim_trailing_space(message);
        release_socket();
        conn_.reset();
        throw_postgres_error("08001", "cannot connect to " + redacted_ + ": " + message, {}, {});
    }

    bool closed() const noexcept { return !conn_ || PQstatus(conn_) == CONNECTION_BAD; }
    // A statement stopped by a cancel request of ours says why.
    [[noreturn]] void throw_result_error(const PGresult* r, std::string_view sql, std::string_view detail = {}) const {
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        std::string more(detail);
        if (cancel_sent_ && state && std::string_view(state) == "57014")
            more += " (ctorm sent the cancel request: " + interrupt_reason_ + ")";
        detail::throw_result_error(r, sql, conn_ ? PQerrorMessage(conn_) : "the connection was moved from",
                                   closed() ? std::string_view(endpoint_) : "", more);
    }
    void check(const PGresult* r, std::string_view sql) const {
        if (!detail::succeeded(r)) throw_result_error(r, sql);
    }

    // One round trip (a statement's reply, or a pipeline's): the time it may
    // take (statement_timeout()) and what cancel() stops.
    class round_trip {
    public:
        explicit round_trip(async_connection& c) : connection_(c) {
            c.waiting_ = true;
            c.interrupted_ = c.cancel_sent_ = false;
            c.interrupt_reason_.clear();
            if (c.timeout_ <= std::chrono::steady_clock::duration::zero()) return;
            alive_ = std::make_shared<char>();
            timer_.emplace(c.socket_.get_executor(), c.timeout_);
            timer_->async_wait([self = &c, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code& e) {
                if (!e && !alive.expired()) self->interrupt(self->timeout_reason());
            });
        }
        round_trip(const round_trip&) = delete;
        round_trip& operator=(const round_trip&) = delete;
        ~round_trip() {
            connection_.waiting_ = false;
            if (timer_) timer_->cancel();
        }

    private:
        async_connection& connection_;
        std::shared_ptr<char> alive_;  // the timer's handler does nothing once this is gone
        std::optional<asio::steady_timer> timer_;
    };
    std::string timeout_reason() const {
        return "the statement timeout of " +
               std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout_).count()) + " ms ran out";
    }
    // The waiting operation is woken (its socket wait ends) and sends the cancel request.
    void interrupt(std::string why) {
        if (!waiting_ || interrupted_) return;
        interrupted_ = true;
        interrupt_reason_ = std::move(why);
        if (lent_cancel_) {  // a job of run() on the worker: its blocking call is stopped by the server
            cancel_sent_ = true;
            asio::post(detail::cancel_thread(), [request = lent_cancel_]() {
                char message[256];
                if (request) (void)PQcancel(request.get(), message, sizeof message);
            });
            return;
        }
        boost::system::error_code ignored;
        socket_.cancel(ignored);
    }
    // PQcancel on ctorm's cancel thread; its outcome does not matter (the
    // reply says whether the statement was stopped).
    asio::awaitable<void> send_cancel() {
        cancel_sent_ = true;
        PGcancel* request = PQgetCancel(conn_);
        if (!request) co_return;
        co_await ctorm::detail::run_on(detail::cancel_thread().get_executor(), [request]() {
            char message[256];
            (void)PQcancel(request, message, sizeof message);
            PQfreeCancel(request);
        });
    }

    // Waits until the socket can be read or written; counted (socket_waits()).
    // An interrupted wait sends the cancel request, and the caller goes on
    // reading the reply.
    asio::awaitable<void> wait(socket_type::wait_type what) {
        ++socket_waits_;
        boost::system::error_code e;
        co_await socket_.async_wait(what, asio::redirect_error(asio::use_awaitable, e));
        if (interrupted_ && !cancel_sent_) {
            co_await send_cancel();
            co_return;
        }
        if (e && e != asio::error::operation_aborted) throw boost::system::system_error(e);
    }
    // Sends what libpq holds.
    asio::awaitable<void> flush(std::string_view sql) {
        while (true) {
            const int flushed = PQflush(conn_);
            if (flushed == 0) break;
            if (flushed < 0) throw_result_error(nullptr, sql);
            co_await wait(socket_type::wait_write);
        }
    }
    // Waits until libpq holds a whole result (or the connection failed).
    // wait(wait_read) written out: one coroutine less per reply.
    asio::awaitable<void> until_result() {
        while (PQisBusy(conn_)) {
            ++socket_waits_;
            boost::system::error_code e;
            co_await socket_.async_wait(socket_type::wait_read, asio::redirect_error(asio::use_awaitable, e));
            if (interrupted_ && !cancel_sent_) co_await send_cancel();
            else if (e && e != asio::error::operation_aborted) throw boost::system::system_error(e);
            if (PQconsumeInput(conn_) == 0) break;  // PQgetResult reports it
        }
    }
    // The next result (null at the end of a statement's results).
    asio::awaitable<detail::result_ptr> next_result() {
        if (PQisBusy(conn_)) co_await until_result();
        co_return detail::result_ptr(PQgetResult(conn_));
    }
    // Sends what libpq holds, then reads until the statement's results end;
    // the last result is kept (after an error the server runs nothing more).
    // With first_row (single-row mode), a row ends the reading: it is given,
    // and the rest of the reply is the stream's. What needs no wait is done
    // without a coroutine of its own (the usual case: the message fits the
    // socket; the results after the first are there).
    asio::awaitable<detail::result_ptr> receive(std::string_view sql, bool first_row = false) {
        const round_trip trip(*this);
        if (const int flushed = PQflush(conn_); flushed != 0) {
            if (flushed < 0) throw_result_error(nullptr, sql);
            co_await flush(sql);
        }
        detail::result_ptr last;
        while (true) {
            while (PQisBusy(conn_)) {  // until_result() written out: no coroutine of its own
                ++socket_waits_;
                boost::system::error_code e;
                co_await socket_.async_wait(socket_type::wait_read, asio::redirect_error(asio::use_awaitable, e));
                if (interrupted_ && !cancel_sent_) co_await send_cancel();
                else if (e && e != asio::error::operation_aborted) throw boost::system::system_error(e);
                if (PQconsumeInput(conn_) == 0) break;  // PQgetResult reports it
            }
            detail::result_ptr r(PQgetResult(conn_));
            if (!r) break;
            if (first_row && PQresultStatus(r.get()) == PGRES_SINGLE_TUPLE) co_return r;
            last = std::move(r);
            if (PQstatus(conn_) == CONNECTION_BAD) break;
        }
        co_return last;
    }

    // q, once it is known to be a select (no I/O, no coroutine of its own).
    template <class Q>
    static Q&& checked_select(Q&& q) noexcept {
        static_assert(statement_traits<std::remove_cvref_t<Q>>::returns_rows,
                      "ctorm: all(), first(), one(), one_or_none() and "
                      "scalar() need a select(...)");
        return std::forward<Q>(q);
    }

    // What run_statement gives for a successful reply: shaped as each call returns it.
    struct as_reply {  // the reply itself (stream())
        template <class Q>
        static detail::checked_result make(const Q&, detail::checked_result&& r) noexcept {
            return std::move(r);
        }
    };
    struct as_execute_result {
        template <class Q>
        static execute_result make(const Q&, detail::checked_result&& r) {
            return execute_result{detail::affected_rows(r.result.get()), 0};
        }
    };
    struct as_all {
        template <class Q>
        static std::vector<typename statement_traits<Q>::row_type> make(const Q&, detail::checked_result&& r) {
            return rows_of<Q>(typename backend::cursor<Q>(std::move(r)));
        }
    };
    struct as_first {
        template <class Q>
        static std::optional<typename statement_traits<Q>::row_type> make(const Q&, detail::checked_result&& r) {
            typename backend::cursor<Q> c(std::move(r));
            std::optional<typename statement_traits<Q>::row_type> row;
            if (c.step()) c.read(row.emplace());
            return row;
        }
    };
    // The first row, which must be there; with Only, the only one (one()),
    // else the first of any (scalar()).
    template <bool Only>
    struct as_first_row {
        template <class Q>
        static typename statement_traits<Q>::row_type make(const Q& q, detail::checked_result&& r) {
            typename backend::cursor<Q> c(std::move(r));
            auto row = ctorm::detail::unread_row<typename statement_traits<Q>::row_type>();
            if (!c.step()) ctorm::detail::throw_no_result<postgres_dialect>(q);
            c.read(row);
            if constexpr (Only) {
                if (c.step()) ctorm::detail::throw_multiple_results<postgres_dialect>(q);
            }
            return row;
        }
    };
    using as_one = as_first_row<true>;
    using as_scalar = as_first_row<false>;
    struct as_one_or_none {
        template <class Q>
        static std::optional<typename statement_traits<Q>::row_type> make(const Q& q, detail::checked_result&& r) {
            typename backend::cursor<Q> c(std::move(r));
            std::optional<typename statement_traits<Q>::row_type> row;
            if (c.step()) {
                c.read(row.emplace());
                if (c.step()) ctorm::detail::throw_multiple_results<postgres_dialect>(q);
            }
            return row;
        }
    };
    template <class Shape, class Q>
    using shaped_t = decltype(Shape::make(std::declval<const Q&>(), std::declval<detail::checked_result&&>()));

    // Q's parameter types (into params_.types) and its cache key.
    template <class Q>
    std::string statement_key_for(const Q& q) {
        using S = std::remove_cvref_t<Q>;
        detail::collect_static_param_types(q, params_);
        return detail::statement_key(to_sql<postgres_dialect, S>(), params_);
    }

    // The statement of type S if this connection has prepared it, else null (no I/O).
    template <class S>
    detail::statement_state* prepared_statement() noexcept {
        const std::size_t slot = ctorm::detail::statement_slot<S>();
        if (slot < cache_.slots.size() && !cache_.slots[slot].name.empty()) return &cache_.slots[slot];
        return nullptr;
    }
    // The statement of type Q prepared on this connection (on first use).
    template <class Q>
    asio::awaitable<detail::statement_state*> statement_for(const Q& q) {
        using S = std::remove_cvref_t<Q>;
        const std::size_t slot = ctorm::detail::statement_slot<S>();
        if (slot < cache_.slots.size() && !cache_.slots[slot].name.empty()) co_return &cache_.slots[slot];
        constexpr std::string_view sql = to_sql<postgres_dialect, S>();
        const std::string key = statement_key_for(q);
        std::string name;
        if (const std::string* found = cache_.by_text.find(key)) {
            name = *found;
        } else {
            name = "ctorm_" + std::to_string(cache_.by_text.size() + 1);
            const std::string text(sql);
            if (PQsendPrepare(conn_, name.c_str(), text.c_str(), static_cast<int>(params_.types.size()),
                              params_.types.data()) != 1)
                throw_result_error(nullptr, sql);
            detail::result_ptr r = co_await receive(sql);
            check(r.get(), sql);
            ++cache_.prepared;
            cache_.by_text.emplace(key, name);
        }
        detail::statement_state& state = cache_.slot_at(slot);
        state = detail::statement_state{std::move(name), false, 0};
        co_return &state;
    }

    // One execution of a static statement (q is the coroutine's own), its
    // reply given shaped by Shape; on failure the retry policy of the
    // blocking backend (detail::prepare_again_after) may run it once more.
    // Streaming: in single-row mode, up to the first row (the result of a
    // select without rows, or an error, as without).
    template <class Shape, bool Streaming = false, class Q>
    asio::awaitable<shaped_t<Shape, Q>> run_statement(Q q) {
        static_assert(!is_dynamic_statement<Q> && !runtime_text_statement<Q>,
                      "ctorm: the async connection runs static statements only (dynamic ones are not there yet)");
        using S = std::remove_cvref_t<Q>;
        constexpr std::string_view sql = to_sql<postgres_dialect, S>();
        if (reply_pending()) co_await settle();
        for (bool retried = false;; retried = true) {
            detail::statement_state* statement = prepared_statement<S>();
            if (!statement) [[unlikely]]
                statement = co_await statement_for(q);
            cache_.echo_text(sql);
            constexpr std::size_t n = ctorm::detail::sql_text<postgres_dialect, S>::param_count;
            detail::static_params<n> params(params_.owned);
            detail::encode_params(q, params);
            if constexpr (Streaming) stream_in_transaction_ = in_transaction();
            if (PQsendQueryPrepared(conn_, statement->name.c_str(), static_cast<int>(n), params.values.data(),
                                    params.lengths.data(), params.formats.data(), 1) != 1)
                throw_result_error(nullptr, sql);
            if constexpr (Streaming) {
                if (PQsetSingleRowMode(conn_) != 1) throw_result_error(nullptr, sql);
                // Until a stream takes the reply, what is left of it goes before the next statement.
                stream_ = stream_state::abandoned;
            }
            detail::result_ptr r = co_await receive(sql, Streaming);
            if constexpr (Streaming) {
                if (PQresultStatus(r.get()) == PGRES_SINGLE_TUPLE) {
                    statement = &cache_.slots[ctorm::detail::statement_slot<S>()];
                    if (!statement->types_checked) detail::check_result_types<Q>(r.get(), *statement);
                    co_return Shape::make(q, detail::checked_result{std::move(r), statement->direct});
                }
                stream_ = stream_state::none;  // the whole reply is read
            }
            if (detail::succeeded(r.get())) {
                statement = &cache_.slots[ctorm::detail::statement_slot<S>()];
                if constexpr (statement_traits<Q>::returns_rows) {
                    if (!statement->types_checked) detail::check_result_types<Q>(r.get(), *statement);
                    co_return Shape::make(q, detail::checked_result{std::move(r), statement->direct});
                } else {
                    co_return Shape::make(q, detail::checked_result{std::move(r), 0});
                }
            }
            if (detail::refused_text(r.get())) throw_result_error(r.get(), sql, text_problem_in(q));
            if (!detail::prepare_again_after(r.get(), retried, in_transaction())) throw_result_error(r.get(), sql);
            co_await execute_script("DEALLOCATE ALL");
            for (detail::statement_state& s : cache_.slots) s = detail::statement_state{};
            cache_.by_text.clear();
            cache_.dynamic.clear();
        }
    }

    socket_type socket_;
    ctorm::detail::unique_handle<PGconn, &PQfinish> conn_;
    std::string redacted_;
    std::string endpoint_;
    backend::cache_type cache_;
    detail::param_buffer params_;
    bool rollback_sent_ = false;     // a guard's ROLLBACK whose reply is not read yet
    int replies_pending_ = 0;        // queries the guards sent whose replies are not read yet
    std::vector<std::string> owed_;  // savepoint guards' ROLLBACK TO, to send after those replies
    bool rollback_owed_ = false;     // a transaction guard's ROLLBACK, to send after them
    // A stream()'s reply: being read by its row_stream, or left to be read and dropped.
    enum class stream_state : unsigned char { none, reading, abandoned };
    stream_state stream_ = stream_state::none;
    bool stream_in_transaction_ = false;  // what in_transaction() says while a stream's reply comes
    std::size_t socket_waits_ = 0;
    std::chrono::steady_clock::duration timeout_{};
    bool waiting_ = false;      // a round trip is under way
    bool interrupted_ = false;  // by cancel() or the timeout, in this round trip
    bool cancel_sent_ = false;  // the cancel request has gone
    std::string interrupt_reason_;
    std::unique_ptr<lent_state> lent_;       // run()'s, from its first use
    std::shared_ptr<PGcancel> lent_cancel_;  // while a job of run() is out
};

// What stream() gives: the reply of one select, read batch by batch.
// Move-only; it must not outlive its connection (nor see it moved).
template <class Q>
class async_connection::row_stream {
public:
    using row_type = typename statement_traits<Q>::row_type;

    row_stream(row_stream&& other) noexcept
        : c_(std::exchange(other.c_, nullptr)),
          first_(std::move(other.first_)),
          direct_(other.direct_),
          batch_rows_(other.batch_rows_),
          failure_(std::move(other.failure_)) {}
    row_stream& operator=(row_stream&& other) noexcept {
        if (this != &other) {
            abandon();
            c_ = std::exchange(other.c_, nullptr);
            first_ = std::move(other.first_);
            direct_ = other.direct_;
            batch_rows_ = other.batch_rows_;
            failure_ = std::move(other.failure_);
        }
        return *this;
    }
    row_stream(const row_stream&) = delete;
    row_stream& operator=(const row_stream&) = delete;
    ~row_stream() { abandon(); }

    // Replaces batch's contents with the next rows (up to the batch size);
    // false, with batch empty, once every row has been given.
    asio::awaitable<bool> next(std::vector<row_type>& batch) {
        batch.clear();
        if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
        if (!c_) co_return false;
        async_connection& c = *c_;
        detail::result_ptr failed;
        try {
            if (first_) take(std::move(first_), batch);
            const round_trip trip(c);
            // After an error, on to the end of the reply (libpq's null result).
            while (batch.size() < batch_rows_ || failed) {
                if (PQisBusy(c.conn_)) co_await c.until_result();
                detail::result_ptr r(PQgetResult(c.conn_));
                if (!r) {
                    end();
                    break;
                }
                const ExecStatusType status = PQresultStatus(r.get());
                if (status == PGRES_SINGLE_TUPLE) {
                    if (!failed) take(std::move(r), batch);
                } else if (status != PGRES_TUPLES_OK && !failed) {
                    failed = std::move(r);
                }
                if (PQstatus(c.conn_) == CONNECTION_BAD) {
                    end();
                    break;
                }
            }
        } catch (...) {
            abandon();  // what is left is read and dropped before the next statement
            throw;
        }
        if (failed) {
            try {
                c.throw_result_error(failed.get(), to_sql<postgres_dialect, std::remove_cvref_t<Q>>());
            } catch (...) {
                if (batch.empty()) throw;
                failure_ = std::current_exception();  // after the rows before it
            }
        }
        co_return !batch.empty();
    }

    // Whether every row has been read from the connection (what next() has not given yet aside).
    bool done() const noexcept { return c_ == nullptr; }

    // Reads the rest of the reply now and drops it; the connection is free after it.
    asio::awaitable<void> close() {
        if (!c_) co_return;
        async_connection& c = *c_;
        abandon();
        first_.reset();
        co_await c.drain_stream();
    }

private:
    friend class async_connection;
    row_stream(async_connection& c, detail::checked_result&& first, std::size_t batch_rows)
        : direct_(first.direct), batch_rows_(batch_rows) {
        if (PQresultStatus(first.result.get()) != PGRES_SINGLE_TUPLE) return;  // no rows: the reply is read
        c_ = &c;
        first_ = std::move(first.result);
        c.stream_ = stream_state::reading;
    }

    void take(detail::result_ptr&& r, std::vector<row_type>& batch) {
        typename backend::cursor<Q> cursor(detail::checked_result{std::move(r), direct_});
        cursor.step();
        if constexpr (std::is_same_v<row_type, bool>) {
            bool value{};
            cursor.read(value);
            batch.push_back(value);
        } else {
            cursor.read(batch.emplace_back());
        }
    }
    void end() noexcept {
        c_->stream_ = stream_state::none;
        c_ = nullptr;
    }
    void abandon() noexcept {
        if (!c_) return;
        c_->stream_ = stream_state::abandoned;
        c_ = nullptr;
    }

    async_connection* c_ = nullptr;  // while the reply is being read
    detail::result_ptr first_;       // the row stream() read
    detail::direct_columns direct_ = 0;
    std::size_t batch_rows_;
    std::exception_ptr failure_;  // a server error after the rows of the batch given
};

// auto [a, b, c] = co_await pipeline(db, q1, q2, q3): async_connection::pipeline.
template <class... Qs>
asio::awaitable<std::tuple<pipeline_result_t<Qs>...>> pipeline(async_connection& db, Qs... qs) {
    return db.pipeline(std::move(qs)...);
}

// Opens a connection from a postgresql:// URL or a libpq keyword string, without blocking.
inline asio::awaitable<async_connection> async_connect(std::string address) {
    co_return co_await async_connection::connect(std::move(address));
}

// A pool of async connections to one server and database (a postgresql://
// URL or a libpq keyword string), opened on first use: ctorm/async/pool.hpp.
using async_engine = ctorm::async_engine<async_connection>;
inline async_engine create_async_engine(std::string address, pool_options options = {}) {
    return async_engine(std::move(address), &async_connect, options);
}

}  // namespace ctorm::postgres
