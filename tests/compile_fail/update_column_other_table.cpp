// expect: ctorm: this column belongs to another table than the one the statement writes to
// Rule: update(table).set(...) assigns only columns of that table.
#include "../support/blog_schema.hpp"

using namespace blog;

void update_sets_a_column_of_its_own_table() {
    auto ok = update(users).set(users.name = "x");
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = update(users).set(posts.title = "x");
    (void)broken;
#endif
}
