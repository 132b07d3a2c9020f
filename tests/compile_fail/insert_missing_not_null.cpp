// expect: ctorm: insert leaves out a NOT NULL column that has no default
// Rule: insert(...).values(assignments) sets every NOT NULL column without a default.
#include "../support/blog_schema.hpp"

using namespace blog;

void insert_sets_every_required_column() {
    auto ok = insert(users).values(users.email = "a", users.name = "b");
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = insert(users).values(users.email = "a");  // users.name is missing
    (void)broken;
#endif
}
