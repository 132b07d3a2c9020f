// expect: ctorm: an inserted value cannot read a column
// Rule: INSERT values are values; there is no row yet to read columns from.
#include "../support/blog_schema.hpp"

using namespace blog;

void insert_plain_values() {
    auto ok = insert(users).values(users.email = "a@example.com", users.name = "Ann");
    auto update_may = update(posts).set(posts.views = posts.views + 1);
    (void)ok;
    (void)update_may;
#ifdef CTORM_COMPILE_FAIL
    auto broken = insert(users).values(users.email = users.name, users.name = "Ann");
    (void)broken;
#endif
}
