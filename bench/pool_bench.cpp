// The cost of a pool checkout and return: ctorm::pool against a minimal
// hand-written pool (a mutex and a vector of idle connections), both over
// the same SQLite :memory: connections, one thread, the connection always
// idle (the fast path every request takes). Each side does N checkouts and
// returns, each touching the connection once (its in_transaction()).
//
//   pool_bench [--n N] [--side ctorm|raw]     wall time per checkout, both sides (or one)
//   valgrind --tool=callgrind --collect-atstart=no pool_bench --side ctorm --n 100000
//                                               instructions of the timed loop only
#ifdef CTORM_BENCH_NO_VALGRIND
#define CALLGRIND_TOGGLE_COLLECT
#else
#include <valgrind/callgrind.h>  // no-ops unless the program runs under callgrind
#endif

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <ctorm/engine/pool.hpp>
#include <ctorm/sqlite.hpp>

namespace {

using connection = ctorm::sqlite::connection;

// What a careful hand-written pool does on its fast path.
class minimal_pool {
public:
    explicit minimal_pool(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) idle_.push_back(std::make_unique<connection>(":memory:"));
    }
    std::unique_ptr<connection> acquire() {
        std::lock_guard lock(mutex_);
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return c;
    }
    void release(std::unique_ptr<connection> c) {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(c));
    }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<connection>> idle_;
};

template <class F>
double timed(F f) {
    CALLGRIND_TOGGLE_COLLECT;
    const auto start = std::chrono::steady_clock::now();
    f();
    const auto stop = std::chrono::steady_clock::now();
    CALLGRIND_TOGGLE_COLLECT;
    return std::chrono::duration<double, std::nano>(stop - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = 1'000'000;
    std::string side = "both";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view a = argv[i];
        if (a == "--n") n = std::strtoull(argv[i + 1], nullptr, 10);
        else if (a == "--side") side = argv[i + 1];
    }
    ctorm::pool<connection> pool([] { return connection(":memory:"); }, {.pool_size = 4, .max_overflow = 0});
    minimal_pool raw(4);
    { auto warm = pool.acquire(); }

    std::uint64_t busy = 0;
    double ctorm_ns = 0, raw_ns = 0;
    if (side != "raw") {
        ctorm_ns = timed([&] {
            for (std::size_t i = 0; i < n; ++i) {
                auto c = pool.acquire();
                busy += c->in_transaction();
            }
        });
    }
    if (side != "ctorm") {
        raw_ns = timed([&] {
            for (std::size_t i = 0; i < n; ++i) {
                auto c = raw.acquire();
                busy += c->in_transaction();
                raw.release(std::move(c));
            }
        });
    }
    if (busy != 0) {
        std::fprintf(stderr, "MISMATCH: a connection was in a transaction\n");
        return 1;
    }
    std::printf("checkouts: %zu\n", n);
    if (ctorm_ns > 0) std::printf("ctorm::pool   %8.1f ns per checkout\n", ctorm_ns / static_cast<double>(n));
    if (raw_ns > 0) std::printf("minimal pool  %8.1f ns per checkout\n", raw_ns / static_cast<double>(n));
    if (ctorm_ns > 0 && raw_ns > 0) std::printf("ratio         %8.3f\n", ctorm_ns / raw_ns);
    return 0;
}
