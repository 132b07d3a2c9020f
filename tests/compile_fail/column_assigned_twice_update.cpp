// expect: ctorm: the same column is assigned twice in one statement
// Rule: update(...).set(...) assigns each column once, across all its set() calls.
#include "../support/blog_schema.hpp"

using namespace blog;

void update_assigns_each_column_once() {
    auto ok = update(users).set(users.name = "a").set(users.email = "b");
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = update(users).set(users.name = "a").set(users.name = "b");
    (void)broken;
#endif
}
