// ctorm::async_session: the session (orm/session.hpp) over an async
// connection. What does I/O is an awaitable (get, all, first, one, load,
// refresh, merge, execute, flush, commit, rollback); what does not (add,
// remove, append, set, expunge, expire, reading and changing the objects
// through their handles) is a plain call, as in the synchronous session, so
// a relationship the query did not load is still a compile error and never a
// hidden query.
//
// The unit of work is the synchronous session's, unchanged: each awaitable
// runs its part of it as a job of the connection's run() on the connection's
// worker thread (SQLite's own; PostgreSQL's blocking libpq on a thread the
// connection starts), and the coroutine resumes on its own executor. The
// io_context's threads never block on the database.
#pragma once

#include "ctorm/async/awaitable.hpp"

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctorm/orm/session.hpp"

namespace ctorm {

namespace detail {

// What the async session needs of the synchronous one besides its API.
struct async_session_access {
    // Forgets the session's transaction without ending it (no I/O); whether one was open.
    template <class Session>
    static bool abandon_transaction(Session& s) noexcept {
        if (!s.transaction_) return false;
        s.transaction_->abandon();
        s.transaction_.reset();
        return true;
    }
};

}  // namespace detail

// One coroutine uses a session at a time, as it does its connection (which
// must outlive the session). Objects and handles are read and changed between
// the awaitables on the coroutine's thread; each awaitable hands the session
// to the worker and back, so the two never touch it at once.
template <class AsyncConnection>
class async_session {
public:
    using connection_type = AsyncConnection;
    using sync_connection = typename AsyncConnection::sync_connection;
    using session_type = session<sync_connection>;
    using dialect_type = typename session_type::dialect_type;
    template <class Model>
    using handle_type = handle<Model>;

    explicit async_session(AsyncConnection& db, session_options options = {})
        : db_(&db), session_(std::make_unique<session_type>(db.blocking_side(), options)) {}
    async_session(const async_session&) = delete;
    async_session& operator=(const async_session&) = delete;
    async_session(async_session&&) noexcept = default;
    async_session& operator=(async_session&&) = delete;
    // A destructor cannot co_await: a transaction left open (no commit(), an
    // exception, a canceled coroutine) is rolled back as the connection's
    // transaction guard does it (the ROLLBACK sent at once on PostgreSQL,
    // queued on SQLite's worker; the connection's next statement comes after
    // it). Every object is detached.
    ~async_session() {
        if (!session_) return;
        if (detail::async_session_access::abandon_transaction(*session_)) db_->rollback_later();
    }

    // --- no I/O ----------------------------------------------------------------------------

    template <table_type T>
    handle<typename T::ctorm_model> add(const T& table, typename T::ctorm_model object) {
        return session_->add(table, std::move(object));
    }
    template <table_type T, class Range>
    std::vector<handle<typename T::ctorm_model>> add_all(const T& table, Range&& objects) {
        return session_->add_all(table, std::forward<Range>(objects));
    }
    template <class... Args>
    void remove(const Args&... args) {
        session_->remove(args...);
    }
    template <class... Args>
    decltype(auto) append(const Args&... args) {
        return session_->append(args...);
    }
    template <class... Args>
    decltype(auto) set(const Args&... args) {
        return session_->set(args...);
    }
    template <class... Args>
    void remove_from(const Args&... args) {
        session_->remove_from(args...);
    }
    template <class Model>
    void expunge(const handle<Model>& h) {
        session_->expunge(h);
    }
    void expunge_all() noexcept { session_->expunge_all(); }
    template <class Model>
    void expire(const handle<Model>& h) {
        session_->expire(h);
    }
    void expire_all() noexcept { session_->expire_all(); }
    void set_autoflush(bool on) noexcept { session_->set_autoflush(on); }
    const session_options& options() const noexcept { return session_->options(); }
    std::size_t size() const noexcept { return session_->size(); }
    bool has_work() const noexcept { return session_->has_work(); }
    bool in_transaction() const noexcept { return session_->in_transaction(); }
    AsyncConnection& connection() noexcept { return *db_; }

    // --- awaitables -------------------------------------------------------------------------
    // Each is the synchronous session's member of that name (same arguments,
    // same result, same statements, same errors), run on the worker.

    template <table_type T, class... Args>
    asio::awaitable<handle<typename T::ctorm_model>> get(T table, Args... args) {
        co_return co_await run([&](session_type& s) { return s.get(table, args...); });
    }
    template <class Q, class... Options>
    auto all(Q q, Options... options) -> asio::awaitable<decltype(std::declval<session_type&>().all(q, options...))> {
        co_return co_await run([&](session_type& s) { return s.all(q, options...); });
    }
    template <class Q, class... Options>
    auto first(Q q, Options... options)
        -> asio::awaitable<decltype(std::declval<session_type&>().first(q, options...))> {
        co_return co_await run([&](session_type& s) { return s.first(q, options...); });
    }
    template <class Q, class... Options>
    auto one(Q q, Options... options) -> asio::awaitable<decltype(std::declval<session_type&>().one(q, options...))> {
        co_return co_await run([&](session_type& s) { return s.one(q, options...); });
    }
    // s.load(object, relationship) and s.load(objects, relationship).
    template <class Owners, class Rel>
    auto load(Owners owners, Rel rel)
        -> asio::awaitable<decltype(std::declval<session_type&>().load(std::move(owners), rel))> {
        co_return co_await run([&](session_type& s) { return s.load(std::move(owners), rel); });
    }
    template <class Model, class... Columns>
    asio::awaitable<void> refresh(handle<Model> h, Columns... columns) {
        co_await run([&](session_type& s) { s.refresh(h, columns...); });
    }
    template <table_type T>
    asio::awaitable<handle<typename T::ctorm_model>> merge(T table, typename T::ctorm_model object) {
        co_return co_await run([&](session_type& s) { return s.merge(table, object); });
    }
    template <class Q, class... Synchronize>
    auto execute(Q q, Synchronize... how)
        -> asio::awaitable<decltype(std::declval<session_type&>().execute(q, how...))> {
        co_return co_await run([&](session_type& s) { return s.execute(q, how...); });
    }
    asio::awaitable<void> flush() {
        co_await run([](session_type& s) { s.flush(); });
    }
    asio::awaitable<void> commit() {
        co_await run([](session_type& s) { s.commit(); });
    }
    asio::awaitable<void> rollback() {
        co_await run([](session_type& s) { s.rollback(); });
    }

    // job(session_type&) on the worker: the synchronous session's whole API
    // (begin_nested() and its savepoint within the one job, say), for what the
    // members above do not offer. The connection's statement timeout and
    // cancel() apply to it.
    template <class Job>
    auto run(Job job) -> asio::awaitable<std::invoke_result_t<Job&, session_type&>> {
        session_type* s = session_.get();
        co_return co_await db_->run([s, &job](sync_connection&) { return job(*s); });
    }

private:
    AsyncConnection* db_;
    std::unique_ptr<session_type> session_;
};

}  // namespace ctorm
