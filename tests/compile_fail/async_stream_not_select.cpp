// expect: ctorm: stream\(\) needs a select
// Rule: stream() reads the rows of a select (or of a statement with RETURNING);
// a statement without rows is sent with execute().
#include <ctorm/async/sqlite.hpp>

#include <cstdint>
#include <vector>

#include "../support/blog_schema.hpp"

using namespace blog;

ctorm::asio::awaitable<void> streamed(ctorm::sqlite::async_connection& db) {
    const auto renamed = update(users).set(users.name = std::string("X")).where(users.id == std::int64_t{1});
    (void)co_await db.execute(renamed);  // no rows: execute() is fine
    const auto back = update(users).set(users.name = std::string("X")).returning(users.id);
    auto rows = co_await db.stream(back, 10);  // RETURNING gives rows: fine
    std::vector<std::int64_t> batch;
    while (co_await rows.next(batch)) {
    }
#ifdef CTORM_COMPILE_FAIL
    auto none = co_await db.stream(renamed, 10);
    (void)none;
#endif
}
