// expect: ctorm: a set operation is ordered by its output columns
// Rule: a set operation's ORDER BY names a column or label of its first select.
#include "../support/blog_schema.hpp"

using namespace blog;

void order_by_the_output() {
    auto ok = union_(select(users.name), select(posts.title)).order_by(users.name.desc());
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = union_(select(users.name), select(posts.title)).order_by(posts.title);
    (void)broken;
#endif
}
