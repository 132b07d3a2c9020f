// expect: ctorm: a side of a set operation .* cannot have its own order_by.., limit.. or offset..
// Rule: ORDER BY / LIMIT / OFFSET belong to the whole set operation, not to one side.
#include "../support/blog_schema.hpp"

using namespace blog;

void limit_on_the_union() {
    auto ok = union_(select(users.name), select(posts.title)).order_by(users.name).limit(5);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = union_(select(users.name).limit(5), select(posts.title));
    (void)broken;
#endif
}
