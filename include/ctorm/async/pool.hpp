// ctorm::async_pool<Connection> and ctorm::async_engine<Connection>: the
// pool of ctorm/engine/pool.hpp for the awaitable connections
// (postgres::async_connection, sqlite::async_connection), with its options
// and errors. `auto db = co_await engine.connect();` checks a connection out
// (*db is the connection); it goes back when the checkout is destroyed,
// rolled back first if a transaction was left open. A caller that finds
// every connection out waits without blocking its thread, in line (first
// come, first served), at most the pool's timeout (pool_timeout_error).
//
//     auto engine = ctorm::postgres::create_async_engine(url, {.pool_size = 8, .max_overflow = 0});
//     asio::awaitable<void> work(ctorm::postgres::async_engine& engine) {
//         auto db = co_await engine.connect();
//         const auto q = select(users);
//         auto rows = co_await db->all(q);
//     }                                      // back in the pool
#pragma once

#include "ctorm/async/awaitable.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ctorm/engine/pool.hpp"

namespace ctorm {

// Thread-safe: acquire() and a checkout's end may happen on any thread
// (several threads running one io_context, strands or not); one mutex
// guards the pool's state, and no lock is held across a co_await. A checkout
// (like the connection it holds) is used by one coroutine at a time.
//
// Connection needs: a factory giving asio::awaitable<Connection>; a private
// rollback_later() noexcept (the transaction guards' rollback that does not
// wait, which the pool is a friend for); is_closed() and is_alive() where a
// server can be lost (pre_ping).
template <class Connection>
class async_pool {
    using clock = std::chrono::steady_clock;

    struct slot {
        std::unique_ptr<Connection> connection;
        clock::time_point opened;
        clock::time_point pinged{};
        std::uint64_t generation = 0;
        bool invalid = false;
    };

    // A suspended acquire(): its completion handler, type-erased (Boost 1.74
    // has no any_completion_handler), posted to the handler's own executor.
    struct resumer {
        virtual ~resumer() = default;
        virtual void post() = 0;
    };
    template <class Handler>
    struct resumer_of final : resumer {
        explicit resumer_of(Handler&& h) : handler(std::move(h)) {}
        void post() override {
            auto executor = asio::get_associated_executor(handler);
            asio::post(executor, std::move(handler));
        }
        Handler handler;
    };

    // One caller in line. The timer ends the wait with a timeout; a
    // connection (or a place for a new one) handed over cancels it. Shared
    // with the timer's handler, which may run after the caller resumed.
    struct waiter {
        explicit waiter(asio::any_io_executor executor) : timer(std::move(executor)) {}
        asio::steady_timer timer;
        std::unique_ptr<resumer> resume;  // while in line
        slot* handed = nullptr;           // a connection given back
        bool place = false;               // a place for a new connection (counted in open_)
        bool timed_out = false;
        // Who ended the wait first, a hand-over or the timer: a timer that
        // loses does not touch the pool (which may be gone by the time its
        // handler runs).
        std::atomic<bool> settled{false};
    };

public:
    using connection_type = Connection;
    using factory_type = std::function<asio::awaitable<Connection>()>;

    // A connection checked out of the pool; it goes back when the checkout is
    // destroyed (or release() is called), from any thread. Movable, not
    // copyable. Must not outlive the pool.
    class checkout {
    public:
        checkout() noexcept = default;
        checkout(checkout&& o) noexcept
            : pool_(std::exchange(o.pool_, nullptr)), slot_(std::exchange(o.slot_, nullptr)) {}
        checkout& operator=(checkout&& o) noexcept {
            if (this != &o) {
                release();
                pool_ = std::exchange(o.pool_, nullptr);
                slot_ = std::exchange(o.slot_, nullptr);
            }
            return *this;
        }
        checkout(const checkout&) = delete;
        checkout& operator=(const checkout&) = delete;
        ~checkout() { release(); }

        Connection& operator*() const { return connection(); }
        Connection* operator->() const { return &connection(); }
        Connection& connection() const {
            if (!slot_) throw error("ctorm: this pool checkout holds no connection (moved from or released)");
            return *slot_->connection;
        }
        explicit operator bool() const noexcept { return slot_ != nullptr; }

        // The connection is not to be used again: it is closed when it comes back.
        void invalidate() noexcept {
            if (slot_) slot_->invalid = true;
        }
        // Gives the connection back now (a transaction left open is rolled
        // back without waiting: the connection's next user runs after it).
        void release() noexcept {
            if (slot_) pool_->give_back(std::exchange(slot_, nullptr));
            pool_ = nullptr;
        }

    private:
        friend class async_pool;
        checkout(async_pool* p, slot* s) noexcept : pool_(p), slot_(s) {}
        async_pool* pool_ = nullptr;
        slot* slot_ = nullptr;
    };

    explicit async_pool(factory_type factory, pool_options options = {})
        : factory_(std::move(factory)), options_(options) {
        if (!factory_) throw error("ctorm: an async pool needs a function that opens a connection");
        if (options_.pool_size + options_.max_overflow == 0)
            throw error("ctorm: a pool of pool_size 0 and max_overflow 0 can hand out no connection");
        if (options_.leak_threshold.count() > 0)
            throw error("ctorm: the async pool has no leak reports yet; leave leak_threshold at 0");
    }
    async_pool(const async_pool&) = delete;
    async_pool& operator=(const async_pool&) = delete;
    // Every checkout must be back, and no acquire() waiting, before the pool
    // goes (a checkout that outlived its pool would give its connection back
    // to freed memory): that is reported on stderr and ends the program.
    ~async_pool() {
        std::unique_lock lock(mutex_);
        if (checked_out_ > 0 || !waiters_.empty()) {
            std::fprintf(stderr,
                         "ctorm: an async pool was destroyed with %zu connection(s) checked out and %zu "
                         "acquire() call(s) waiting\n",
                         checked_out_, waiters_.size());
            std::terminate();
        }
        for (slot* s : idle_) delete s;
    }

    // Called for each new connection before it is handed out (session
    // settings: SET search_path, ...); an exception closes it and passes through.
    std::function<asio::awaitable<void>(Connection&)> on_connect;

    // A connection: an idle one (the last given back, or with
    // pool_order::fifo the one idle longest), a new one while fewer than
    // pool_size + max_overflow are open, else the first one given back
    // within timeout; callers waiting are served in the order they came.
    // Waiting suspends the coroutine (its thread runs other work);
    // pool_timeout_error after `timeout`. Errors from opening a connection
    // pass through; the pool is left as it was.
    [[nodiscard]] asio::awaitable<checkout> acquire() {
        std::unique_ptr<slot> s;
        bool fresh = false;
        {
            std::lock_guard lock(mutex_);
            ++stats_.checkouts;
            if (!idle_.empty()) s.reset(take_idle());
            else if (open_ < capacity()) {
                ++open_;  // reserved: opened below, without the lock
                fresh = true;
            }
        }
        if (!s && !fresh) {
            const asio::any_io_executor executor = co_await asio::this_coro::executor;
            auto w = std::make_shared<waiter>(executor);
            // The initiation holds nothing with a destructor: g++ 12 destroys
            // such temporaries of a co_await expression twice (docs/async.md).
            const std::shared_ptr<waiter>* in_line = &w;
            co_await asio::async_initiate<const asio::use_awaitable_t<>, void()>(
                [self = this, in_line](auto handler) { self->wait_in_line(*in_line, std::move(handler)); },
                asio::use_awaitable);
            std::unique_lock lock(mutex_);
            if (w->timed_out) {
                ++stats_.timeouts;
                const std::string description = timeout_description();
                lock.unlock();
                throw pool_timeout_error(description);
            }
            if (w->handed) s.reset(w->handed);
            else fresh = true;
        }
        bool check = false;
        if (!fresh) {
            std::lock_guard lock(mutex_);
            check = needs_check(*s);
        }
        if (fresh) s = co_await open_slot();
        else if (check) s = co_await checked_before_use(std::move(s));
        std::lock_guard lock(mutex_);
        s->invalid = false;
        ++checked_out_;
        co_return checkout(this, s.release());
    }

    // Closes every idle connection now, and every checked-out one when it
    // comes back; new ones are opened as needed.
    void dispose() {
        std::vector<slot*> closing;
        {
            std::lock_guard lock(mutex_);
            ++generation_;
            closing.swap(idle_);
            open_ -= closing.size();
        }
        for (slot* s : closing) delete s;
    }

    pool_statistics statistics() const {
        std::lock_guard lock(mutex_);
        pool_statistics out = stats_;
        out.size = open_;
        out.checked_out = checked_out_;
        out.idle = idle_.size();
        out.overflow = open_ > options_.pool_size ? open_ - options_.pool_size : 0;
        return out;
    }
    const pool_options& options() const noexcept { return options_; }

private:
    std::size_t capacity() const noexcept { return options_.pool_size + options_.max_overflow; }

    // Under the lock.
    std::string timeout_description() const {
        return "no pool connection became free within " + std::to_string(options_.timeout.count()) + " ms (pool_size " +
               std::to_string(options_.pool_size) + ", max_overflow " + std::to_string(options_.max_overflow) + ", " +
               std::to_string(checked_out_) + " checked out, " + std::to_string(waiters_.size()) +
               " other acquire() call(s) waiting)";
    }

    // Under the lock: the next idle connection, by the pool's order.
    slot* take_idle() {
        slot* s;
        if (options_.order == pool_order::lifo) {
            s = idle_.back();
            idle_.pop_back();
        } else {
            s = idle_.front();
            idle_.erase(idle_.begin());
        }
        return s;
    }

    // The initiation of acquire()'s wait, on the caller's thread with its
    // coroutine suspended: under the lock, so that a hand-over cannot slip
    // between looking and getting in line, or cancel a timer not yet started.
    template <class Handler>
    void wait_in_line(const std::shared_ptr<waiter>& w, Handler handler) {
        auto resume = std::make_unique<resumer_of<Handler>>(std::move(handler));
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                w->handed = take_idle();
            } else if (open_ < capacity()) {
                ++open_;
                w->place = true;
            } else {
                ++stats_.waits;
                w->resume = std::move(resume);
                waiters_.push_back(w);
                w->timer.expires_after(options_.timeout);
                w->timer.async_wait([this, w](const boost::system::error_code& e) {
                    if (e || w->settled.exchange(true)) return;  // handed over (canceled, or as the time ran out)
                    std::unique_ptr<resumer> late;
                    {
                        std::lock_guard hold(mutex_);
                        late = std::move(w->resume);
                        w->timed_out = true;
                        for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
                            if (*it == w) {
                                waiters_.erase(it);
                                break;
                            }
                        }
                    }
                    late->post();
                });
                return;
            }
        }
        resume->post();
    }

    // Under the lock: the first caller in line still waiting (those whose
    // time ran out meanwhile are left to their timers), or null.
    std::shared_ptr<waiter> first_in_line() {
        while (!waiters_.empty()) {
            std::shared_ptr<waiter> w = std::move(waiters_.front());
            waiters_.pop_front();
            if (!w->settled.exchange(true)) return w;
        }
        return nullptr;
    }
    // Under the lock: w is handed s (or, with s null, a place for a new
    // connection); its resumer, to post once the lock is let go.
    static std::unique_ptr<resumer> hand_over(const std::shared_ptr<waiter>& w, slot* s) {
        if (s) w->handed = s;
        else w->place = true;
        try {
            w->timer.cancel();
        } catch (...) {  // cannot fail on Linux; were it to, the wait would end in its timeout, handed over
        }
        return std::move(w->resume);
    }

    // A place counted in open_ is free again: the first caller in line takes
    // it, or open_ goes down.
    void free_place() noexcept {
        std::unique_ptr<resumer> wake;
        {
            std::lock_guard lock(mutex_);
            if (const std::shared_ptr<waiter> w = first_in_line()) wake = hand_over(w, nullptr);
            else --open_;
        }
        if (wake) wake->post();
    }

    // Under the lock: whether a connection must be looked at before use.
    bool needs_check(const slot& s) const {
        if (s.generation != generation_ || options_.pre_ping || (s.opened <= last_dead_ && s.pinged <= last_dead_))
            return true;
        return options_.recycle.count() > 0 && clock::now() - s.opened >= options_.recycle;
    }

    // A new connection in a place counted in open_; the place is freed if opening fails.
    asio::awaitable<std::unique_ptr<slot>> open_slot() {
        std::unique_ptr<slot> s;
        std::exception_ptr failure;
        try {
            s = std::make_unique<slot>();
            Connection opened = co_await factory_();  // named: see docs/async.md on g++ 12
            s->connection = std::make_unique<Connection>(std::move(opened));
            if (on_connect) co_await on_connect(*s->connection);
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {
            s.reset();
            free_place();
            std::rethrow_exception(failure);
        }
        std::lock_guard lock(mutex_);
        ++stats_.connects;
        s->opened = clock::now();
        s->generation = generation_;
        co_return s;
    }

    // An idle connection, replaced when it is too old, from before dispose(),
    // or (pre_ping, or opened before a connection was found dead) its server is gone.
    asio::awaitable<std::unique_ptr<slot>> checked_before_use(std::unique_ptr<slot> s) {
        const clock::time_point now = clock::now();
        bool replace = false, dead = false, suspect = false;
        {
            std::lock_guard lock(mutex_);
            suspect = s->opened <= last_dead_ && s->pinged <= last_dead_;
            if (s->generation != generation_) {
                replace = true;
            } else if (options_.recycle.count() > 0 && now - s->opened >= options_.recycle) {
                replace = true;
                ++stats_.recycled;
            }
        }
        if (!replace) {
            if constexpr (requires(Connection & c) { c.is_alive(); }) {
                if (options_.pre_ping || suspect) {
                    if (!s->connection->is_alive()) replace = dead = true;
                    else s->pinged = clock::now();
                }
            }
        }
        if (!replace) co_return s;
        s.reset();  // closed before its replacement is opened; open_ still counts the place
        if (dead) {
            std::lock_guard lock(mutex_);
            ++stats_.invalidated;
            last_dead_ = now;
        }
        co_return co_await open_slot();
    }

    // A checkout ends (on any thread, without waiting): a transaction left
    // open is rolled back by the connection's rollback_later() (PostgreSQL
    // sends ROLLBACK now and reads its reply before the next statement;
    // SQLite queues it on the worker before any later job), then the
    // connection goes to the first caller in line, or idle, or is closed.
    void give_back(slot* raw) noexcept {
        std::unique_ptr<slot> s(raw);
        bool discard = s->invalid, dead = false;
        if constexpr (requires(const Connection& k) { k.is_closed(); }) {
            if (!discard && s->connection->is_closed()) discard = dead = true;
        }
        if (!discard) s->connection->rollback_later();
        std::unique_ptr<slot> closing;
        std::unique_ptr<resumer> wake;
        {
            std::lock_guard lock(mutex_);
            --checked_out_;
            if (discard) {
                ++stats_.invalidated;
                if (dead) last_dead_ = clock::now();
            }
            const bool keep = !discard && s->generation == generation_;
            if (const std::shared_ptr<waiter> w = first_in_line()) {
                if (keep) {
                    wake = hand_over(w, s.release());
                } else {
                    closing = std::move(s);
                    wake = hand_over(w, nullptr);
                }
            } else if (keep && idle_.size() < options_.pool_size) {
                idle_.push_back(s.release());
            } else {
                --open_;
                closing = std::move(s);
            }
        }
        if (wake) wake->post();
        // closing: the connection closes here, without the lock
    }

    factory_type factory_;
    pool_options options_;
    mutable std::mutex mutex_;
    std::vector<slot*> idle_;  // owned
    std::deque<std::shared_ptr<waiter>> waiters_;
    std::size_t checked_out_ = 0;
    std::size_t open_ = 0;  // idle + checked out + being opened + handed over in line
    std::uint64_t generation_ = 0;
    clock::time_point last_dead_{};
    pool_statistics stats_;
};

// A pool of async connections to one database address, opened by the
// adapter's async_connect(): postgres::create_async_engine(url, options) and
// sqlite::create_async_engine(url, options) make one. Not copyable or movable
// (its pool is not). Destroy it before the io_context its connections use.
template <class Connection>
class async_engine {
public:
    using connection_type = Connection;
    using checkout = typename async_pool<Connection>::checkout;
    using connect_function = asio::awaitable<Connection> (*)(std::string);

    async_engine(std::string address, connect_function open, pool_options options = {})
        : address_(std::move(address)), pool_([this, open]() { return open(address_); }, options) {}

    // auto db = co_await engine.connect(): a checkout (see async_pool::acquire).
    [[nodiscard]] asio::awaitable<checkout> connect() { return pool_.acquire(); }
    async_pool<Connection>& pool() noexcept { return pool_; }
    const async_pool<Connection>& pool() const noexcept { return pool_; }
    // The address as given (it may hold a password: do not print it).
    const std::string& address() const noexcept { return address_; }
    void dispose() { pool_.dispose(); }
    pool_statistics statistics() const { return pool_.statistics(); }

private:
    std::string address_;
    async_pool<Connection> pool_;
};

}  // namespace ctorm
