// PostgreSQL through ctorm's awaitable API (ctorm/async/postgres.hpp) against
// its baselines, in one process: pipelines against statements awaited one by
// one (directly and through a delaying proxy), an async pool against threads
// on the blocking API, and what an awaited select costs the client against a
// blocking one.
//
//   async_bench --conninfo URL [--case A,B,C,D] [--side ...] [--quick] [options below]
//   scripts/pg_cluster exec STATE_DIR async_bench --quick      (the URL comes last)
//
// A  --lookups point selects by primary key on one async connection, each
//    `co_await db.one(q)` (side one_by_one), against the same selects sent
//    `co_await pipeline(db, q...)` in batches of 10, 50 and 100 (sides
//    pipeline_10, ...): on loopback, then through a proxy this program starts
//    on 127.0.0.1 that holds every chunk of bytes --delays ms each way.
// B  --tasks coroutines over create_async_engine(url, {.pool_size = --pool,
//    .max_overflow = 0}) on one io_context thread (side async_pool), each
//    doing --units units of work (a checkout, --selects point selects and one
//    insert), against --threads std::threads on ctorm::postgres::connection
//    (side sync_threads), each with its own connection, doing the same units.
// C  --lookups point selects awaited one by one (side async) against
//    connection::one(q) (side sync), on loopback: for callgrind, whose
//    instruction counts are the client's side of the comparison.
// D  every row of the table (--rows), in id order: `co_await db.all(q)`
//    (side all) against `co_await db.stream(q, n)` read batch by batch with
//    n = 1,000 and 100 (sides stream_1000, stream_100): what single-row mode
//    costs per row. Before the timed runs, one untimed pass of each prints
//    how much the process's peak resident memory grew during it (VmHWM),
//    streams first: what holding every row costs against holding a batch.
//
// The first side of each case is its baseline (A: one_by_one, B:
// sync_threads, C: sync); the summary under the table gives each side's time
// per operation and against the baseline. Every side returns a digest of the
// rows it read (B: and of the rows it wrote, read back untimed); a difference
// from the first side prints MISMATCH. The callgrind region is the harness's
// (the timed call only: valgrind --collect-atstart=no).
#include <ctorm/async/postgres.hpp>  // before any Asio header

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <ctorm/postgres.hpp>

#include "bench_schema.hpp"
#include "harness.hpp"

namespace {

namespace asio = boost::asio;
using asio::awaitable;
using bench::people;
using bench::people_insert;
using bench::Person;
using ctorm::postgres::async_connection;

// --- the statements ---------------------------------------------------------------

auto by_id(std::int64_t id) { return ctorm::select(people).where(people.id == id); }
using by_id_statement = decltype(by_id(0));

// The i-th point select's key: 1..rows, in turn (as postgres_bench's B2).
std::int64_t key_of(std::size_t i, std::size_t rows) { return static_cast<std::int64_t>(i % rows + 1); }

// A select's rows as a digest; a reply without exactly one row digests to
// something no row gives, so that it shows as a mismatch.
std::uint64_t digest_reply(const std::vector<Person>& rows) {
    return rows.size() == 1 ? bench::digest(rows.front()) : 0xBAD0000000000000ull + rows.size();
}

// --- D: a scan, whole or streamed ---------------------------------------------------

auto scan() { return ctorm::select(people).order_by(people.id); }
using scan_statement = decltype(scan());

awaitable<std::uint64_t> scan_all(async_connection& db, std::size_t, std::size_t) {
    const scan_statement q = scan();
    const std::vector<Person> rows = co_await db.all(q);
    std::uint64_t h = rows.size();
    for (const Person& p : rows) h += bench::digest(p);
    co_return h;
}

template <std::size_t Batch>
awaitable<std::uint64_t> scan_streamed(async_connection& db, std::size_t, std::size_t) {
    const scan_statement q = scan();
    auto rows = co_await db.stream(q, Batch);
    std::vector<Person> batch;
    std::uint64_t h = 0;
    while (co_await rows.next(batch)) {
        h += batch.size();
        for (const Person& p : batch) h += bench::digest(p);
    }
    co_return h;
}

// The process's peak resident memory so far, in KiB (VmHWM), or 0 where unknown.
std::size_t peak_resident_kib() {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    std::size_t kib = 0;
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::strtoul(line + 6, nullptr, 10);
    std::fclose(f);
    return kib;
}

// --- running coroutines from the harness's synchronous sides ------------------------

// Runs body() on `io` until everything spawned on it is done; rethrows what it threw.
template <class Body>
void block_on(asio::io_context& io, Body body) {
    std::exception_ptr failure;
    bool done = false;
    asio::co_spawn(io, std::move(body), [&](std::exception_ptr e) {
        failure = e;
        done = true;
    });
    io.restart();
    io.run();
    if (failure) std::rethrow_exception(failure);
    if (!done) throw std::runtime_error("a coroutine did not finish");
}

// --- A: one by one, and pipelined ---------------------------------------------------

awaitable<std::uint64_t> selects_one_by_one(async_connection& db, std::size_t n, std::size_t rows) {
    std::uint64_t h = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const by_id_statement q = by_id(key_of(i, rows));  // named: g++ 12, see docs/async.md
        const Person p = co_await db.one(q);
        h += bench::digest(p);
    }
    co_return h;
}

// Selects first .. first + B - 1 in one pipeline: B copies of the statement type.
template <std::size_t... I>
awaitable<std::uint64_t> one_pipeline(async_connection& db, std::size_t first, std::size_t rows,
                                      std::index_sequence<I...>) {
    const std::array<by_id_statement, sizeof...(I)> qs{by_id(key_of(first + I, rows))...};
    const auto replies = co_await ctorm::postgres::pipeline(db, qs[I]...);
    std::uint64_t h = 0;
    std::apply([&h](const auto&... reply) { ((h += digest_reply(reply)), ...); }, replies);
    co_return h;
}

// n selects in pipelines of B; what is left over (n % B) is awaited one by one.
template <std::size_t B>
awaitable<std::uint64_t> selects_pipelined(async_connection& db, std::size_t n, std::size_t rows) {
    std::uint64_t h = 0;
    std::size_t i = 0;
    for (; i + B <= n; i += B) h += co_await one_pipeline(db, i, rows, std::make_index_sequence<B>{});
    for (; i < n; ++i) {
        const by_id_statement q = by_id(key_of(i, rows));
        const Person p = co_await db.one(q);
        h += bench::digest(p);
    }
    co_return h;
}

// --- B: the same units of work, pooled coroutines and threads ------------------------

// Task t's unit u: `selects` point selects and one insert of a row of its own.
struct work_plan {
    std::size_t tasks, units, selects, rows;
    std::int64_t key(std::size_t task, std::size_t unit, std::size_t j) const {
        return key_of((task * units + unit) * selects * 7 + j * 13, rows);
    }
    Person row(std::size_t task, std::size_t unit) const {
        Person p;
        p.id = static_cast<std::int64_t>(task * units + unit + 1);
        p.name = "task " + std::to_string(task);
        p.email = "unit" + std::to_string(unit) + "@example.com";
        p.age = static_cast<std::int32_t>(task);
        p.score = static_cast<double>(unit) * 0.5;
        return p;
    }
    std::size_t statements() const { return tasks * units * (selects + 1); }
};

awaitable<std::uint64_t> pooled_task(ctorm::postgres::async_engine& engine, std::size_t task, const work_plan& plan) {
    std::uint64_t h = 0;
    for (std::size_t u = 0; u < plan.units; ++u) {
        auto db = co_await engine.connect();
        for (std::size_t j = 0; j < plan.selects; ++j) {
            const by_id_statement q = by_id(plan.key(task, u, j));
            const Person p = co_await db->one(q);
            h += bench::digest(p);
        }
        const auto add = ctorm::insert(people_insert).values(plan.row(task, u));
        co_await db->execute(add);
    }
    co_return h;
}

std::uint64_t blocking_task(ctorm::postgres::connection& db, std::size_t task, const work_plan& plan) {
    std::uint64_t h = 0;
    for (std::size_t u = 0; u < plan.units; ++u) {
        for (std::size_t j = 0; j < plan.selects; ++j) h += bench::digest(db.one(by_id(plan.key(task, u, j))));
        db.execute(ctorm::insert(people_insert).values(plan.row(task, u)));
    }
    return h;
}

// What B wrote, in any order and whatever ids the server gave.
std::uint64_t digest_written(ctorm::postgres::connection& db) {
    const std::vector<Person> written = db.all(ctorm::select(people_insert));
    std::uint64_t h = written.size();
    for (Person p : written) {
        p.id = 0;
        h += bench::digest(p);
    }
    return h;
}

// --- the delaying proxy ---------------------------------------------------------------

// Where the server listens (from the URL): a TCP address or a Unix socket.
struct server_address {
    std::string host;  // a name or address; a directory for a Unix socket
    int port = 5432;
};

struct conninfo_deleter {
    void operator()(PQconninfoOption* o) const noexcept { PQconninfoFree(o); }
};

// The URL's libpq options, as keyword/value pairs (the set ones only).
std::vector<std::pair<std::string, std::string>> conninfo_options(const std::string& url) {
    char* problem = nullptr;
    std::unique_ptr<PQconninfoOption, conninfo_deleter> options(PQconninfoParse(url.c_str(), &problem));
    if (!options) {
        const std::string why = problem ? problem : "out of memory";
        PQfreemem(problem);
        throw std::runtime_error("cannot read the server's address: " + why);
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o)
        if (o->val && *o->val) out.emplace_back(o->keyword, o->val);
    return out;
}

server_address server_of(const std::string& url) {
    server_address a;
    for (const auto& [keyword, value] : conninfo_options(url)) {
        if (keyword == "host" || (keyword == "hostaddr" && a.host.empty())) a.host = value;
        if (keyword == "port") a.port = std::stoi(value);
    }
    if (a.host.empty()) a.host = "/var/run/postgresql";
    if (a.host.find(',') != std::string::npos) throw std::runtime_error("the proxy takes a URL with one host");
    return a;
}

// The URL's options with host and port replaced: a libpq keyword string.
std::string through(const std::string& url, int port) {
    auto quoted = [](const std::string& v) {
        std::string q = "'";
        for (char c : v) {
            if (c == '\'' || c == '\\') q += '\\';
            q += c;
        }
        return q + "'";
    };
    std::string out = "host=127.0.0.1 port=" + std::to_string(port);
    for (const auto& [keyword, value] : conninfo_options(url))
        if (keyword != "host" && keyword != "hostaddr" && keyword != "port") out += " " + keyword + "=" + quoted(value);
    return out;
}

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), "proxy: " + what);
}

void set_nonblocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) throw_errno("fcntl");
}

void set_nodelay(int fd) {
    const int on = 1;
    (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // not a TCP socket: nothing to do
}

int connect_to(const server_address& a) {
    int fd = -1;
    if (a.host.starts_with("/")) {
        sockaddr_un to{};
        to.sun_family = AF_UNIX;
        const std::string path = a.host + "/.s.PGSQL." + std::to_string(a.port);
        if (path.size() >= sizeof to.sun_path) throw std::runtime_error("proxy: socket path too long: " + path);
        std::memcpy(to.sun_path, path.c_str(), path.size() + 1);
        fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw_errno("socket");
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
            ::close(fd);
            throw_errno("connect to " + path);
        }
    } else {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(static_cast<std::uint16_t>(a.port));
        const std::string host = a.host == "localhost" ? "127.0.0.1" : a.host;
        if (::inet_pton(AF_INET, host.c_str(), &to.sin_addr) != 1)
            throw std::runtime_error("proxy: the server's host must be an IPv4 address, not " + a.host);
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw_errno("socket");
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
            ::close(fd);
            throw_errno("connect to " + host + ":" + std::to_string(a.port));
        }
        set_nodelay(fd);
    }
    set_nonblocking(fd);
    return fd;
}

// Listens on 127.0.0.1 (a port of its own) and forwards every connection to
// the server, both ways, each chunk of bytes read written `delay` later (in
// order): a round trip through it takes 2 * delay more. One thread, poll().
class delay_proxy {
    using clock = std::chrono::steady_clock;

    struct chunk {
        clock::time_point due;
        std::string bytes;
        std::size_t sent = 0;
    };
    // Bytes read from `from`, to be written to `to`.
    struct direction {
        std::deque<chunk> queue;
        bool ended = false;    // `from` said end of file
        bool shut = false;     // and `to` has been told
        bool blocked = false;  // the last write would have blocked
    };
    struct link {
        int client = -1, server = -1;
        direction up, down;  // client to server, server to client
        bool broken = false;
        ~link() {
            if (client >= 0) ::close(client);
            if (server >= 0) ::close(server);
        }
        bool done() const { return broken || (up.shut && down.shut); }
    };

public:
    delay_proxy(server_address server, std::chrono::nanoseconds delay) : server_(std::move(server)), delay_(delay) {
        listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (listener_ < 0) throw_errno("socket");
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof at;
        if (::bind(listener_, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 || ::listen(listener_, 64) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&at), &length) != 0) {
            const int e = errno;
            ::close(listener_);
            errno = e;
            throw_errno("listen on 127.0.0.1");
        }
        port_ = ntohs(at.sin_port);
        set_nonblocking(listener_);
        if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
            ::close(listener_);
            throw_errno("pipe");
        }
        thread_ = std::thread([this] { run(); });
    }
    delay_proxy(const delay_proxy&) = delete;
    delay_proxy& operator=(const delay_proxy&) = delete;
    ~delay_proxy() {
        stop_ = true;
        const char byte = 0;
        (void)!::write(wake_[1], &byte, 1);
        thread_.join();
        ::close(wake_[0]);
        ::close(wake_[1]);
        ::close(listener_);
    }

    int port() const noexcept { return port_; }
    // What went wrong in the proxy's thread (a broken connection shows to its client too).
    std::string failure() const {
        std::lock_guard lock(mutex_);
        return failure_;
    }

private:
    void run() noexcept {
        // The kernel's default timer slack (50 us) would add to every delay.
        (void)::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
        std::vector<std::unique_ptr<link>> links;
        std::vector<pollfd> fds;
        while (!stop_) {
            clock::time_point now = clock::now();
            for (auto& l : links) {
                flush(*l, l->up, l->server, now);
                flush(*l, l->down, l->client, now);
            }
            std::erase_if(links, [](const std::unique_ptr<link>& l) { return l->done(); });

            fds.clear();
            fds.push_back({wake_[0], POLLIN, 0});
            fds.push_back({listener_, POLLIN, 0});
            clock::time_point next = clock::time_point::max();
            for (const auto& l : links) {
                auto wants = [&next](const direction& d) -> short {
                    if (d.queue.empty()) return 0;
                    if (d.blocked) return POLLOUT;
                    next = std::min(next, d.queue.front().due);
                    return 0;
                };
                fds.push_back({l->client, static_cast<short>((l->up.ended ? 0 : POLLIN) | wants(l->down)), 0});
                fds.push_back({l->server, static_cast<short>((l->down.ended ? 0 : POLLIN) | wants(l->up)), 0});
            }
            timespec wait{};
            const timespec* timeout = nullptr;
            if (next != clock::time_point::max()) {
                const auto ns =
                    std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(next - now).count());
                wait.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
                wait.tv_nsec = static_cast<long>(ns % 1'000'000'000);
                timeout = &wait;
            }
            if (::ppoll(fds.data(), fds.size(), timeout, nullptr) < 0) {
                if (errno == EINTR) continue;
                fail("ppoll: " + std::string(std::strerror(errno)));
                return;
            }
            now = clock::now();
            if (fds[1].revents & POLLIN) accept_all(links);
            for (std::size_t k = 0; k + 2 < fds.size() && k / 2 < links.size(); k += 2) {
                link& l = *links[k / 2];
                if (fds[k + 2].revents & (POLLOUT | POLLERR | POLLHUP)) l.down.blocked = false;
                if (fds[k + 3].revents & (POLLOUT | POLLERR | POLLHUP)) l.up.blocked = false;
                if (fds[k + 2].revents & (POLLIN | POLLERR | POLLHUP)) take(l, l.up, l.client, now);
                if (fds[k + 3].revents & (POLLIN | POLLERR | POLLHUP)) take(l, l.down, l.server, now);
            }
        }
    }

    void accept_all(std::vector<std::unique_ptr<link>>& links) {
        while (true) {
            const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd < 0) return;  // EAGAIN, or a client gone before it was taken
            auto l = std::make_unique<link>();
            l->client = fd;
            set_nodelay(fd);
            try {
                l->server = connect_to(server_);
            } catch (const std::exception& e) {
                fail(e.what());
                continue;  // the client sees its connection closed
            }
            links.push_back(std::move(l));
        }
    }

    // Reads what `fd` has into d's queue, due `delay_` from now.
    void take(link& l, direction& d, int fd, clock::time_point now) {
        char buffer[65536];
        while (!d.ended && !l.broken) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                d.queue.push_back(chunk{now + delay_, std::string(buffer, static_cast<std::size_t>(n)), 0});
            } else if (n == 0) {
                d.ended = true;
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return;
            } else if (errno != EINTR) {
                l.broken = true;
            }
        }
    }

    // Writes d's chunks that are due to `fd`; at the end of d, passes it on.
    static void flush(link& l, direction& d, int fd, clock::time_point now) {
        while (!l.broken && !d.blocked && !d.queue.empty() && d.queue.front().due <= now) {
            chunk& c = d.queue.front();
            const ssize_t n = ::send(fd, c.bytes.data() + c.sent, c.bytes.size() - c.sent, MSG_NOSIGNAL);
            if (n >= 0) {
                c.sent += static_cast<std::size_t>(n);
                if (c.sent == c.bytes.size()) d.queue.pop_front();
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                d.blocked = true;
            } else if (errno != EINTR) {
                l.broken = true;
            }
        }
        if (d.ended && d.queue.empty() && !d.shut) {
            (void)::shutdown(fd, SHUT_WR);
            d.shut = true;
        }
    }

    void fail(std::string what) {
        std::lock_guard lock(mutex_);
        if (failure_.empty()) failure_ = std::move(what);
    }

    server_address server_;
    std::chrono::nanoseconds delay_;
    int listener_ = -1;
    int port_ = 0;
    int wake_[2] = {-1, -1};
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::string failure_;
    std::thread thread_;
};

// --- options ---------------------------------------------------------------------------

// This program's options beyond the harness's (taken out of argv before it parses the rest).
struct async_options {
    std::vector<double> delays_ms{0.5, 1.0};
    std::vector<std::size_t> batches{10, 50, 100};
    std::size_t tasks = 64, pool = 8, threads = 8, selects = 10, units = 50;
    bool lookups_set = false, reps_set = false, units_set = false, delays_set = false;
};

constexpr const char* backend_help =
    "  --conninfo URL     the server (a postgresql:// URL or libpq keywords); or give it as the last argument\n"
    "  (this program) --lookups: A's and C's point selects (default 1000, quick 200); --reps default 5\n"
    "  --delays MS,...    A: the proxy's delay each way, in ms (default 0.5,1; quick 0.5)\n"
    "  --batches N,...    A: statements per pipeline, of 10, 50, 100 (default all)\n"
    "  --tasks N          B: coroutines (default 64)\n"
    "  --pool N           B: the async pool's pool_size (max_overflow 0; default 8)\n"
    "  --threads N        B: threads on the blocking API (default 8)\n"
    "  --selects N        B: point selects per unit of work, beside its one insert (default 10)\n"
    "  --units N          B: units of work per coroutine (default 50, quick 2)\n";

std::vector<double> parse_delays(const char* program, const std::string& text) {
    std::vector<double> out;
    for (const std::string& item : bench::split_list(text)) {
        std::size_t used = 0;
        double v = -1;
        try {
            v = std::stod(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != item.size() || v < 0)
            bench::usage(program, "--delays needs milliseconds, not '" + item + "'", backend_help);
        out.push_back(v);
    }
    return out;
}

// Takes this program's options out of argv (argc shrinks).
async_options take_async_options(int& argc, char** argv) {
    async_options a;
    const char* program = argv[0];
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) bench::usage(program, std::string(flag) + " needs a value", backend_help);
            return argv[++i];
        };
        auto count = [&] { return bench::parse_count(program, flag, value(), backend_help); };
        if (flag == "--delays") a.delays_ms = parse_delays(program, value()), a.delays_set = true;
        else if (flag == "--batches") {
            a.batches.clear();
            for (const std::string& b : bench::split_list(value())) {
                const std::size_t n = bench::parse_count(program, flag, b, backend_help);
                if (n != 10 && n != 50 && n != 100)
                    bench::usage(program, "--batches takes 10, 50 or 100", backend_help);
                a.batches.push_back(n);
            }
        } else if (flag == "--tasks") a.tasks = count();
        else if (flag == "--pool") a.pool = count();
        else if (flag == "--threads") a.threads = count();
        else if (flag == "--selects") a.selects = count();
        else if (flag == "--units") a.units = count(), a.units_set = true;
        else {
            if (flag == "--lookups") a.lookups_set = true;
            if (flag == "--reps") a.reps_set = true;
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    if (a.tasks == 0 || a.pool == 0 || a.threads == 0 || a.units == 0)
        bench::usage(program, "--tasks, --pool, --threads and --units must be at least 1", backend_help);
    return a;
}

std::string format_delay(double ms) {
    std::string s = bench::format_number(ms, 3);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s + " ms";
}

// The summary under the harness's table: per operation, and each side against
// the case's first (its baseline): the time ratio and its inverse, the speed-up.
void summarize(const std::vector<bench::case_result>& results, const std::vector<std::size_t>& operations,
               const std::vector<std::string>& units) {
    std::cout << "\nsummary (medians; each side against the case's first)\n";
    for (std::size_t r = 0; r < results.size(); ++r) {
        const bench::case_result& c = results[r];
        const auto n = static_cast<double>(operations[r]);
        std::cout << "  " << c.id << " [" << c.backend << "]\n";
        for (std::size_t k = 0; k < c.side_names.size(); ++k) {
            const double ns = c.median_ns[k];
            const std::string& name = c.side_names[k];
            std::cout << "    " << name << std::string(14 - std::min<std::size_t>(13, name.size()), ' ')
                      << bench::format_number(ns / n / 1000, 2) << " us/" << units[r] << "  "
                      << bench::format_number(n / (ns / 1e9), 0) << " " << units[r] << "s/s";
            if (k > 0)
                std::cout << "  time " << name << "/" << c.side_names[0] << " "
                          << bench::format_number(ns / c.median_ns[0], 3) << ", speed-up "
                          << bench::format_number(c.median_ns[0] / ns, 2) << "x";
            std::cout << "\n";
        }
    }
}

int run(int argc, char** argv) {
    const async_options a = take_async_options(argc, argv);
    bench::options o = bench::parse_options(argc, argv, "--conninfo", backend_help);
    if (o.backend.empty()) bench::usage(argv[0], "no server: give --conninfo URL", backend_help);
    if (!a.lookups_set) o.lookups = o.quick ? 200 : 1000;
    if (!a.reps_set && !o.quick) o.reps = 5;
    std::vector<double> delays = a.delays_ms;
    if (o.quick && !a.delays_set) delays = {0.5};
    const std::size_t units = o.quick && !a.units_set ? 2 : a.units;
    const std::string url = o.backend;

    // A schema of this process's own (as postgres_bench), for every connection.
    const std::string schema = "\"ctorm_async_bench_" + std::to_string(::getpid()) + "\"";
    const std::string use_schema = "SET search_path TO " + schema;
    ctorm::postgres::connection setup = ctorm::postgres::connect(url);
    setup.execute_script("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema + "; " + use_schema);
    struct drop_schema {
        ctorm::postgres::connection& db;
        std::string name;
        ~drop_schema() {
            try {
                db.execute_script("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            } catch (const std::exception&) {
            }
        }
    } dropper{setup, schema};
    setup.execute_script(std::string(
        ctorm::to_sql<ctorm::postgres_dialect, ctorm::create_table_statement<bench::ctorm_table_people>>()));
    setup.execute_script(std::string(
        ctorm::to_sql<ctorm::postgres_dialect, ctorm::create_table_statement<bench::ctorm_table_people_insert>>()));
    const std::string ages = std::to_string(bench::distinct_ages(o.rows));
    setup.execute_script(
        "INSERT INTO \"people\" (\"name\", \"email\", \"age\", \"score\") "
        "SELECT 'person ' || i, 'person' || i || '@example.com', i % " +
        ages + ", i * 0.25 + 0.5 FROM generate_series(0, " + std::to_string(o.rows) + " - 1) AS i ORDER BY i");
    setup.execute_script("VACUUM ANALYZE \"people\"");
    std::cout << "ctorm async PostgreSQL benchmark: libpq " << PQlibVersion() << ", rows " << o.rows << ", lookups "
              << o.lookups << ", " << o.reps << " timed reps after " << o.warmup << " warm-up, median reported\n";

    asio::io_context io;
    std::vector<bench::case_result> results;
    std::vector<std::size_t> operations;
    std::vector<std::string> operation_units;
    bool proxy_failed = false;

    // An async connection to `address`, in the schema.
    auto open_async = [&](const std::string& address) {
        std::optional<async_connection> db;
        block_on(io, [&]() -> awaitable<void> {
            db.emplace(co_await ctorm::postgres::async_connect(address));
            co_await db->execute_script(use_schema);
        });
        return std::move(*db);
    };
    auto async_side = [&](const char* name, async_connection& db, auto selects) {
        return bench::side{name,
                           {},
                           [&db, &io, &o, selects] {
                               std::uint64_t h = 0;
                               block_on(io, [&]() -> awaitable<void> { h = co_await selects(db, o.lookups, o.rows); });
                               return h;
                           },
                           {}};
    };

    // --- A --------------------------------------------------------------------------------
    if (bench::wanted(o.cases, "A")) {
        const server_address server = server_of(url);
        std::vector<double> paths{-1};  // -1: loopback, no proxy
        paths.insert(paths.end(), delays.begin(), delays.end());
        for (const double delay : paths) {
            std::unique_ptr<delay_proxy> proxy;
            std::string address = url, where = "loopback";
            if (delay >= 0) {
                proxy = std::make_unique<delay_proxy>(server,
                                                      std::chrono::nanoseconds(static_cast<std::int64_t>(delay * 1e6)));
                address = through(url, proxy->port());
                where = "proxy +" + format_delay(delay) + " each way";
            }
            async_connection db = open_async(address);
            std::vector<bench::side> sides;
            if (bench::wanted(o.sides, "one_by_one")) sides.push_back(async_side("one_by_one", db, selects_one_by_one));
            for (const std::size_t b : a.batches) {
                const std::string name = "pipeline_" + std::to_string(b);
                if (!bench::wanted(o.sides, name)) continue;
                if (b == 10) sides.push_back(async_side("pipeline_10", db, selects_pipelined<10>));
                if (b == 50) sides.push_back(async_side("pipeline_50", db, selects_pipelined<50>));
                if (b == 100) sides.push_back(async_side("pipeline_100", db, selects_pipelined<100>));
            }
            if (!sides.empty()) {
                results.push_back(
                    bench::measure("A", std::to_string(o.lookups) + " point selects", where, std::move(sides), o));
                operations.push_back(o.lookups);
                operation_units.push_back("select");
            }
            if (proxy && !proxy->failure().empty()) {
                std::cout << "\nproxy: " << proxy->failure() << "\n";
                proxy_failed = true;
            }
            std::cout << "." << std::flush;
        }
    }

    // --- B --------------------------------------------------------------------------------
    if (bench::wanted(o.cases, "B")) {
        const work_plan plan{a.tasks, units, a.selects, o.rows};
        auto engine = ctorm::postgres::create_async_engine(url, {.pool_size = a.pool, .max_overflow = 0});
        engine.pool().on_connect = [&use_schema](async_connection& c) -> awaitable<void> {
            co_await c.execute_script(use_schema);
        };
        std::vector<ctorm::postgres::connection> blocking;
        for (std::size_t w = 0; w < a.threads && bench::wanted(o.sides, "sync_threads"); ++w) {
            blocking.push_back(ctorm::postgres::connect(url));
            blocking.back().execute_script(use_schema);
        }
        auto before = [&setup] { setup.execute_script("TRUNCATE \"people_insert\""); };
        auto after = [&setup](std::uint64_t read) { return read + 3 * digest_written(setup); };
        std::vector<bench::side> sides;
        if (bench::wanted(o.sides, "sync_threads"))
            sides.push_back({"sync_threads", before,
                             [&] {
                                 std::vector<std::uint64_t> h(blocking.size());
                                 std::vector<std::exception_ptr> failures(blocking.size());
                                 std::vector<std::thread> threads;
                                 for (std::size_t w = 0; w < blocking.size(); ++w)
                                     threads.emplace_back([&, w] {
                                         try {
                                             for (std::size_t t = w; t < plan.tasks; t += blocking.size())
                                                 h[w] += blocking_task(blocking[w], t, plan);
                                         } catch (...) {
                                             failures[w] = std::current_exception();
                                         }
                                     });
                                 for (std::thread& t : threads) t.join();
                                 for (const std::exception_ptr& e : failures)
                                     if (e) std::rethrow_exception(e);
                                 std::uint64_t sum = 0;
                                 for (const std::uint64_t v : h) sum += v;
                                 return sum;
                             },
                             after});
        if (bench::wanted(o.sides, "async_pool"))
            sides.push_back({"async_pool", before,
                             [&] {
                                 std::uint64_t h = 0;
                                 std::size_t finished = 0;
                                 std::exception_ptr failure;
                                 for (std::size_t t = 0; t < plan.tasks; ++t)
                                     asio::co_spawn(io, pooled_task(engine, t, plan),
                                                    [&](std::exception_ptr e, std::uint64_t v) {
                                                        if (e && !failure) failure = e;
                                                        h += v;
                                                        ++finished;
                                                    });
                                 io.restart();
                                 io.run();
                                 if (failure) std::rethrow_exception(failure);
                                 if (finished != plan.tasks) throw std::runtime_error("B: a coroutine did not finish");
                                 return h;
                             },
                             after});
        if (!sides.empty()) {
            results.push_back(bench::measure("B",
                                             std::to_string(plan.tasks) + " tasks x " + std::to_string(plan.units) +
                                                 " units of (" + std::to_string(plan.selects) +
                                                 " point selects + 1 insert)",
                                             "loopback; async: pool_size " + std::to_string(a.pool) +
                                                 " on 1 io thread; sync: " + std::to_string(a.threads) + " threads",
                                             std::move(sides), o));
            operations.push_back(plan.statements());
            operation_units.push_back("statement");
            const ctorm::pool_statistics s = engine.statistics();
            std::cout << "\nB: the async pool opened " << s.connects << " connection(s), " << s.checkouts
                      << " checkouts, " << s.waits << " waited\n";
        }
    }

    // --- C --------------------------------------------------------------------------------
    if (bench::wanted(o.cases, "C")) {
        std::optional<async_connection> adb;
        std::optional<ctorm::postgres::connection> sdb;
        std::vector<bench::side> sides;
        if (bench::wanted(o.sides, "sync")) {
            sdb.emplace(ctorm::postgres::connect(url));
            sdb->execute_script(use_schema);
            sides.push_back({"sync",
                             {},
                             [&] {
                                 std::uint64_t h = 0;
                                 for (std::size_t i = 0; i < o.lookups; ++i)
                                     h += bench::digest(sdb->one(by_id(key_of(i, o.rows))));
                                 return h;
                             },
                             {}});
        }
        if (bench::wanted(o.sides, "async")) {
            adb.emplace(open_async(url));
            sides.push_back(async_side("async", *adb, selects_one_by_one));
        }
        if (!sides.empty()) {
            results.push_back(bench::measure("C", std::to_string(o.lookups) + " point selects, awaited vs blocking",
                                             "loopback", std::move(sides), o));
            operations.push_back(o.lookups);
            operation_units.push_back("select");
        }
    }

    // --- D --------------------------------------------------------------------------------
    if (bench::wanted(o.cases, "D")) {
        async_connection db = open_async(url);
        // Peak memory, streams first (the peak only grows): one untimed pass each.
        const auto grew = [&](const char* name, auto scan_side) {
            const std::size_t before = peak_resident_kib();
            block_on(io, [&]() -> awaitable<void> { (void)co_await scan_side(db, o.rows, o.rows); });
            std::cout << "\nD: peak resident memory grew by " << (peak_resident_kib() - before) << " KiB during "
                      << name;
        };
        grew("stream_100", scan_streamed<100>);
        grew("stream_1000", scan_streamed<1000>);
        grew("all", scan_all);
        std::vector<bench::side> sides;
        if (bench::wanted(o.sides, "all")) sides.push_back(async_side("all", db, scan_all));
        if (bench::wanted(o.sides, "stream_1000")) sides.push_back(async_side("stream_1000", db, scan_streamed<1000>));
        if (bench::wanted(o.sides, "stream_100")) sides.push_back(async_side("stream_100", db, scan_streamed<100>));
        if (!sides.empty()) {
            results.push_back(bench::measure("D", "a scan of " + std::to_string(o.rows) + " rows, whole or streamed",
                                             "loopback", std::move(sides), o));
            operations.push_back(o.rows);
            operation_units.push_back("row");
        }
    }

    std::cout << "\n";
    const bool same = bench::report(results, o, std::cout);
    summarize(results, operations, operation_units);
    return same && !proxy_failed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "async_bench: " << e.what() << "\n";
        return 1;
    }
}
