// expect: ctorm: a bulk insert cannot go in a pipeline
// Rule: pipeline() takes statements of one row each; a bulk insert is sent alone with execute().
#include <ctorm/async/sqlite.hpp>

#include <vector>

#include "../support/blog_schema.hpp"

using namespace blog;

ctorm::asio::awaitable<void> pipelined(ctorm::sqlite::async_connection& db, std::vector<User> people) {
    const auto one = insert(users).values(User{.email = "a@x.io", .name = "A"});
    auto [added] = co_await pipeline(db, one);
    (void)added;
    const auto bulk = insert(users).values(people);
    (void)co_await db.execute(bulk);  // alone: fine
#ifdef CTORM_COMPILE_FAIL
    auto [many] = co_await pipeline(db, bulk);
    (void)many;
#endif
}
