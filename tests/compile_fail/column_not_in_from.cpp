// expect: ctorm: a column is used whose table is not in this statement
// Rule: a WHERE condition may only name columns of the tables in FROM.
#include "../support/blog_schema.hpp"

using namespace blog;

void select_where_on_a_selected_table() {
    auto ok = select(users.id).where(users.id > 1);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(users.id).where(posts.views > 1);
    (void)broken;
#endif
}
