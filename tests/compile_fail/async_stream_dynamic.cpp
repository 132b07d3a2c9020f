// expect: ctorm: stream\(\) takes a statement whose text is known at compile time
// Rule: stream() reads static statements only (PostgreSQL streams them through the
// non-blocking connection's prepared statements); a dynamic select is read with all().
#include <ctorm/async/sqlite.hpp>

#include <cstdint>
#include <vector>

#include "../support/blog_schema.hpp"

using namespace blog;

ctorm::asio::awaitable<void> streamed(ctorm::sqlite::async_connection& db) {
    const auto q = select(users.id).order_by(users.id);
    auto rows = co_await db.stream(q, 100);  // a static select: fine
    std::vector<std::int64_t> batch;
    while (co_await rows.next(batch)) {
    }
    auto built = dynamic(select(users.id));
    built.where(users.is_active);
    const std::vector<std::int64_t> all = co_await db.all(built);  // a dynamic one with all(): fine
    (void)all;
#ifdef CTORM_COMPILE_FAIL
    auto dynamic_rows = co_await db.stream(built, 100);
    (void)dynamic_rows;
#endif
}
