// expect: ctorm: the same column is assigned twice in one statement
// Rule: insert(...).values(assignments) assigns each column once.
#include "../support/blog_schema.hpp"

using namespace blog;

void insert_assigns_each_column_once() {
    auto ok = insert(users).values(users.email = "a", users.name = "b");
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = insert(users).values(users.email = "a", users.name = "b", users.email = "c");
    (void)broken;
#endif
}
