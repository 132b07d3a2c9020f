// expect: ctorm: join\(table\) without a condition needs exactly one foreign key
// Rule: join(table) takes its condition from a foreign key, so the two tables must have one between them.
#include "../support/blog_schema.hpp"

using namespace blog;

void join_through_the_foreign_key() {
    auto ok = select(users.name, posts.title).from(users).join(posts);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(users.name, everything.id).from(users).join(everything);
    (void)broken;
#endif
}
