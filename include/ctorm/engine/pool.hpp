// ctorm::pool<Connection>: a thread-safe pool of connections of one type
// (any ctorm connection: sqlite::connection, postgres::connection). It keeps
// up to pool_size connections open while idle, opens up to max_overflow more
// when every one is checked out (closed again when they come back), and
// makes a caller wait at most `timeout` for one beyond that. Connections
// older than `recycle` are replaced at checkout; with pre_ping, a connection
// is checked before it is handed out and replaced when its server is gone.
// A connection that comes back inside a transaction is rolled back; one
// whose server is known to be gone, or invalidated by its user, is closed.
//
//     ctorm::pool<postgres::connection> pool([] { return postgres::connection(url); },
//                                            {.pool_size = 5, .max_overflow = 10});
//     {
//         auto db = pool.acquire();        // a checkout: *db is the connection
//         db->all(select(users));
//     }                                    // back in the pool (rolled back if a transaction was open)
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctorm/errors.hpp"

namespace ctorm {

// Where a call was written (std::source_location is not usable with clang 14
// and libstdc++ 12: __builtin_FILE and friends are, on both compilers).
struct call_site {
    const char* file = "";
    unsigned line_number = 0;
    const char* function = "";

    static constexpr call_site current(const char* file = __builtin_FILE(), unsigned line = __builtin_LINE(),
                                       const char* function = __builtin_FUNCTION()) noexcept {
        return {file, line, function};
    }
    constexpr const char* file_name() const noexcept { return file; }
    constexpr unsigned line() const noexcept { return line_number; }
    constexpr const char* function_name() const noexcept { return function; }
};

// Which idle connection a checkout gets: the one returned last (LIFO, the
// default: the others stay idle long enough to be recycled or timed out by
// the server), or the one idle longest (FIFO: every connection kept in use).
enum class pool_order { lifo, fifo };

struct pool_options {
    std::size_t pool_size = 5;                  // connections kept open while idle
    std::size_t max_overflow = 10;              // opened beyond pool_size when all are checked out; closed on return
    std::chrono::milliseconds timeout{30'000};  // the longest acquire() waits for a connection
    std::chrono::milliseconds recycle{0};       // replace connections older than this at checkout; 0: never
    bool pre_ping = false;  // check a connection's server before handing it out (where it can be lost)
    pool_order order = pool_order::lifo;
    std::chrono::milliseconds leak_threshold{0};  // report checkouts held longer than this; 0: never
};

struct pool_statistics {
    std::size_t size = 0;  // open connections, idle and checked out (and being opened)
    std::size_t checked_out = 0;
    std::size_t idle = 0;
    std::size_t overflow = 0;  // open connections beyond pool_size
    std::uint64_t checkouts = 0;
    std::uint64_t connects = 0;     // connections opened
    std::uint64_t waits = 0;        // acquire() calls that had to wait
    std::uint64_t timeouts = 0;     // acquire() calls that gave up
    std::uint64_t recycled = 0;     // replaced for their age
    std::uint64_t invalidated = 0;  // closed because their server was gone, or by invalidate()
    std::uint64_t leaks = 0;        // checkouts reported as held too long
};

// acquire() waited `timeout` and no connection became free.
class pool_timeout_error : public error {
public:
    explicit pool_timeout_error(const std::string& description) : error("ctorm: " + description) {}
};

// A checkout held longer than leak_threshold, reported once (to the pool's
// on_leak hook, stderr by default).
struct pool_leak {
    call_site where;                   // the acquire() call
    std::chrono::milliseconds held{};  // how long it had been held when reported
};

template <class Connection>
class pool {
    using clock = std::chrono::steady_clock;

    struct slot {
        std::unique_ptr<Connection> connection;
        clock::time_point opened;
        clock::time_point pinged{};    // last found alive by a check
        std::uint64_t generation = 0;  // dispose() makes older ones be closed on return
        // While checked out:
        std::size_t out_index = 0;
        std::uint64_t sequence = 0;  // the pool's checkout count when taken: the smallest is held longest
        clock::time_point since;     // when taken (only with a leak_threshold)
        call_site where;
        bool leak_reported = false;
        bool invalid = false;
    };

public:
    using connection_type = Connection;
    using factory_type = std::function<Connection()>;

    // A connection checked out of the pool; it goes back when the checkout is
    // destroyed (or release() is called). Movable, not copyable. Must not
    // outlive the pool.
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
        // Gives the connection back now.
        void release() noexcept {
            if (slot_) pool_->give_back(std::exchange(slot_, nullptr));
            pool_ = nullptr;
        }

    private:
        friend class pool;
        checkout(pool* p, slot* s) noexcept : pool_(p), slot_(s) {}
        pool* pool_ = nullptr;
        slot* slot_ = nullptr;
    };

    explicit pool(factory_type factory, pool_options options = {}) : factory_(std::move(factory)), options_(options) {
        if (!factory_) throw error("ctorm: a pool needs a function that opens a connection");
        if (options_.pool_size + options_.max_overflow == 0)
            throw error("ctorm: a pool of pool_size 0 and max_overflow 0 can hand out no connection");
    }
    pool(const pool&) = delete;
    pool& operator=(const pool&) = delete;
    // Every checkout must be back before the pool goes: a checkout that
    // outlived its pool would give its connection back to freed memory, so
    // that is reported on stderr and ends the program (std::terminate)
    // instead of being undefined behaviour.
    ~pool() {
        std::unique_lock lock(mutex_);
        if (checked_out_ > 0) {
            std::fprintf(stderr, "ctorm: a pool was destroyed with %zu connection(s) checked out", checked_out_);
            if (!out_.empty())
                std::fprintf(stderr, ", one at %s:%u (%s)", out_.front()->where.file_name(),
                             static_cast<unsigned>(out_.front()->where.line()), out_.front()->where.function_name());
            std::fprintf(stderr, "\n");
            std::terminate();
        }
        for (slot* s : idle_) delete s;
    }

    // Hooks, called without the pool's lock held: on_connect for every new
    // connection (session settings), on_checkout before one is handed out,
    // on_checkin when one comes back (before the rollback), on_leak for a
    // checkout held longer than leak_threshold. Set them before use.
    std::function<void(Connection&)> on_connect, on_checkout, on_checkin;
    std::function<void(const pool_leak&)> on_leak = [](const pool_leak& leak) {
        std::fprintf(stderr, "ctorm: a pool connection checked out at %s:%u (%s) has been held for %lld ms\n",
                     leak.where.file_name(), static_cast<unsigned>(leak.where.line()), leak.where.function_name(),
                     static_cast<long long>(leak.held.count()));
    };

    // A connection: an idle one, a new one while fewer than pool_size +
    // max_overflow are open, else the first one given back within timeout
    // (pool_timeout_error after it). Errors from opening a connection
    // (connection_error, ...) pass through; the pool is left as it was.
    [[nodiscard]] checkout acquire(call_site where = call_site::current()) {
        {
            // The fast path: an idle connection that needs nothing, one lock.
            std::lock_guard lock(mutex_);
            if (!idle_.empty() && options_.leak_threshold.count() == 0 && !on_checkout) [[likely]] {
                slot* s = options_.order == pool_order::lifo ? idle_.back() : idle_.front();
                if (!needs_check(*s)) [[likely]] {
                    (void)take_idle();
                    ++stats_.checkouts;
                    return hand_out(s, where);
                }
            }
        }
        return acquire_slowly(where);
    }

    // Closes every idle connection now, and every checked-out one when it
    // comes back; the pool then opens new ones as needed (after a fork, or
    // when the server's address changed).
    void dispose() {
        std::vector<slot*> closing;
        {
            std::unique_lock lock(mutex_);
            ++generation_;
            closing.swap(idle_);
            open_ -= closing.size();
        }
        for (slot* s : closing) delete s;
        returned_.notify_all();
    }

    pool_statistics statistics() const {
        std::unique_lock lock(mutex_);
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

    std::string timeout_description() const {
        std::string out = "no pool connection became free within " + std::to_string(options_.timeout.count()) +
                          " ms (pool_size " + std::to_string(options_.pool_size) + ", max_overflow " +
                          std::to_string(options_.max_overflow) + ", " + std::to_string(checked_out_) + " checked out";
        const slot* oldest = nullptr;
        for (const slot* o : out_)
            if (!oldest || o->sequence < oldest->sequence) oldest = o;
        if (oldest) {
            const auto held = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - oldest->since);
            out += "; the longest held was checked out at " + std::string(oldest->where.file_name()) + ":" +
                   std::to_string(oldest->where.line()) + ", " + std::to_string(held.count()) + " ms ago";
        } else {
            out += "; set leak_threshold to see where they were checked out";
        }
        return out + ")";
    }

    // Under the lock: the next idle connection, by the pool's order.
    slot* take_idle() {
        slot* s;
        if (options_.order == pool_order::lifo) {
            s = idle_.back();
            idle_.pop_back();
        } else {
            s = idle_.front();
            idle_.erase(idle_.begin());  // a few pointers: idle_ holds at most pool_size
        }
        return s;
    }

    // Everything but the fast path: a new connection, waiting, checks, hooks, leak reports.
    [[gnu::noinline]] checkout acquire_slowly(call_site where) {
        std::unique_lock lock(mutex_);
        ++stats_.checkouts;
        if (options_.leak_threshold.count() > 0) {
            // Reported now, not after a wait that may end in pool_timeout_error.
            std::vector<pool_leak> leaks;
            collect_leaks(leaks);
            if (!leaks.empty()) {
                lock.unlock();
                report(leaks);
                lock.lock();
            }
        }
        std::unique_ptr<slot> s;
        bool fresh = false;
        if (!idle_.empty()) s.reset(take_idle());
        else fresh = wait_for_place(lock, s);
        const bool check = !fresh && needs_check(*s);
        lock.unlock();
        if (fresh) s = open_slot();
        else if (check) s = checked_before_use(std::move(s));
        if (on_checkout) {
            try {
                on_checkout(*s->connection);
            } catch (...) {
                close(std::move(s));
                throw;
            }
        }
        lock.lock();
        return hand_out(s.release(), where);
    }
    // Under the lock, with no idle connection: waits until one is given back
    // (into s: false) or a place for a new one is free (reserved: true), at
    // most the pool's timeout.
    bool wait_for_place(std::unique_lock<std::mutex>& lock, std::unique_ptr<slot>& s) {
        const clock::time_point deadline = clock::now() + options_.timeout;
        bool waited = false;
        for (;;) {
            if (!idle_.empty()) {
                s.reset(take_idle());
                return false;
            }
            if (open_ < capacity()) {
                ++open_;  // reserved: opened by the caller, without the lock
                return true;
            }
            if (!waited) {
                ++stats_.waits;
                waited = true;
            }
            ++waiters_;
            const std::cv_status status = returned_.wait_until(lock, deadline);
            --waiters_;
            if (status == std::cv_status::timeout && idle_.empty() && open_ >= capacity()) {
                ++stats_.timeouts;
                throw pool_timeout_error(timeout_description());
            }
        }
    }
    // Under the lock: whether an idle connection must be looked at before use.
    [[gnu::always_inline]] bool needs_check(const slot& s) const {
        if (s.generation != generation_ || options_.pre_ping || (s.opened <= last_dead_ && s.pinged <= last_dead_))
            return true;
        return options_.recycle.count() > 0 && clock::now() - s.opened >= options_.recycle;
    }
    // Under the lock: s is checked out.
    [[gnu::always_inline]] checkout hand_out(slot* s, call_site where) {
        s->invalid = false;
        ++checked_out_;
        if (options_.leak_threshold.count() > 0) [[unlikely]] {
            // Where and since when: for leak reports and the timeout's message.
            s->where = where;
            s->sequence = ++sequence_;
            s->since = clock::now();
            s->leak_reported = false;
            s->out_index = out_.size();
            out_.push_back(s);
        }
        return checkout(this, s);
    }
    // Under the lock: checkouts newly past the leak threshold.
    void collect_leaks(std::vector<pool_leak>& leaks) {
        const clock::time_point now = clock::now();
        for (slot* s : out_) {
            if (s->leak_reported || now - s->since < options_.leak_threshold) continue;
            s->leak_reported = true;
            ++stats_.leaks;
            leaks.push_back({s->where, std::chrono::duration_cast<std::chrono::milliseconds>(now - s->since)});
        }
    }
    void report(const std::vector<pool_leak>& leaks) {
        if (!on_leak) return;
        for (const pool_leak& l : leaks) on_leak(l);
    }

    // A new connection in the place reserved by ++open_; the place is freed if opening fails.
    std::unique_ptr<slot> open_slot() {
        try {
            auto s = std::make_unique<slot>();
            s->connection = std::make_unique<Connection>(factory_());
            s->opened = clock::now();
            if (on_connect) on_connect(*s->connection);
            std::unique_lock lock(mutex_);
            ++stats_.connects;
            s->generation = generation_;
            return s;
        } catch (...) {
            {
                std::unique_lock lock(mutex_);
                --open_;
            }
            returned_.notify_one();
            throw;
        }
    }

    // An idle connection, replaced when it is too old, from before dispose(),
    // or (pre_ping, or opened before a connection was found dead) its server is gone.
    std::unique_ptr<slot> checked_before_use(std::unique_ptr<slot> s) {
        const clock::time_point now = clock::now();
        bool replace = false, dead = false, suspect = false;
        {
            std::unique_lock lock(mutex_);
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
        if (!replace) return s;
        s->connection.reset();  // closed before its replacement is opened
        if (dead) {
            std::unique_lock lock(mutex_);
            ++stats_.invalidated;
            last_dead_ = now;
        }
        return open_slot();  // open_ still counts the place
    }

    void close(std::unique_ptr<slot> s) noexcept {
        s.reset();
        {
            std::unique_lock lock(mutex_);
            --open_;
        }
        returned_.notify_one();
    }

    // A checkout ends: rolled back if a transaction is open, then idle, or closed.
    void give_back(slot* s) noexcept {
        bool closed = false;
        if constexpr (requires(const Connection& k) { k.is_closed(); }) closed = s->connection->is_closed();
        if (s->invalid || closed || on_checkin || s->connection->in_transaction()) [[unlikely]]
            return give_back_slowly(s);
        bool wake = false, kept = false;
        {
            std::lock_guard lock(mutex_);
            if (s->generation == generation_ && idle_.size() < options_.pool_size) [[likely]] {
                wake = waiters_ > 0;
                forget_checkout(s);
                idle_.push_back(s);
                kept = true;
            }
        }
        if (!kept) [[unlikely]]
            return give_back_slowly(s);  // closed: an overflow connection, or from before dispose()
        if (wake) [[unlikely]]
            returned_.notify_one();
    }
    // Under the lock: s is no longer checked out.
    void forget_checkout(slot* s) noexcept {
        --checked_out_;
        if (options_.leak_threshold.count() == 0) [[likely]]
            return;
        slot* last = out_.back();
        out_[s->out_index] = last;
        last->out_index = s->out_index;
        out_.pop_back();
    }
    [[gnu::noinline]] void give_back_slowly(slot* raw) noexcept {
        std::unique_ptr<slot> s(raw);
        Connection& c = *s->connection;
        bool discard = s->invalid;
        bool dead = false;
        if (!discard && on_checkin) {
            try {
                on_checkin(c);
            } catch (...) {
                discard = true;
            }
        }
        if constexpr (requires(const Connection& k) { k.is_closed(); }) {
            if (!discard && c.is_closed()) discard = dead = true;
        }
        if (!discard && c.in_transaction()) {
            try {
                c.execute_script("ROLLBACK");
            } catch (...) {
                discard = true;
            }
        }
        std::unique_ptr<slot> closing;
        bool wake = false;
        {
            std::unique_lock lock(mutex_);
            wake = waiters_ > 0;
            forget_checkout(s.get());
            if (discard) {
                ++stats_.invalidated;
                if (dead) last_dead_ = clock::now();
            }
            if (discard || s->generation != generation_ || idle_.size() >= options_.pool_size) {
                --open_;
                closing = std::move(s);
            } else {
                idle_.push_back(s.release());
            }
        }
        if (wake) returned_.notify_one();
        // closing: the connection closes here, without the lock
    }

    factory_type factory_;
    pool_options options_;
    mutable std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<slot*> idle_;  // owned
    std::size_t checked_out_ = 0;
    std::vector<slot*> out_;  // the checkouts, with a leak_threshold only
    std::size_t open_ = 0;    // idle + checked out + being opened
    std::uint64_t generation_ = 0;
    std::uint64_t sequence_ = 0;
    std::size_t waiters_ = 0;        // threads waiting in acquire()
    clock::time_point last_dead_{};  // when a connection was last found with its server gone
    pool_statistics stats_;
};

// A pool of connections to one database address (a URL or, for PostgreSQL,
// a keyword string), opened by the adapter's connect():
// sqlite::create_engine(url) and postgres::create_engine(url) make one.
// connect() checks a connection out; ctorm::pooled_session s(engine) opens
// a session on one. Not copyable or movable (its pool is not).
template <class Connection>
class engine {
public:
    using connection_type = Connection;
    using connect_function = Connection (*)(std::string_view);

    engine(std::string address, connect_function open, pool_options options = {})
        : address_(std::move(address)), pool_([this, open] { return open(address_); }, options) {}

    [[nodiscard]] typename ctorm::pool<Connection>::checkout connect(call_site where = call_site::current()) {
        return pool_.acquire(where);
    }
    ctorm::pool<Connection>& pool() noexcept { return pool_; }
    const ctorm::pool<Connection>& pool() const noexcept { return pool_; }
    // The address as given (it may hold a password: do not print it; the
    // adapters' errors show it redacted).
    const std::string& address() const noexcept { return address_; }
    void dispose() { pool_.dispose(); }

private:
    std::string address_;
    ctorm::pool<Connection> pool_;
};

}  // namespace ctorm
