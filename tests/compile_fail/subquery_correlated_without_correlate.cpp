// expect: ctorm: a column is used whose table is not in this statement
// Rule: a subquery may use columns of the enclosing statement only after .correlate(table).
#include "../support/blog_schema.hpp"

using namespace blog;

void correlated_subquery() {
    auto ok = select(users.name).where(exists(select(posts.id).correlate(users).where(posts.author_id == users.id)));
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(users.name).where(exists(select(posts.id).where(posts.author_id == users.id)));
    (void)broken;
#endif
}
