// expect: ctorm: this column belongs to another table than the one the statement writes to
// Rule: delete_from(table).where(...) names only columns of that table.
#include "../support/blog_schema.hpp"

using namespace blog;

void delete_where_on_its_own_table() {
    auto ok = delete_from(posts).where(posts.views > 1);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = delete_from(users).where(posts.views > 1);
    (void)broken;
#endif
}
