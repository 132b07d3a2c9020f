// expect: ctorm: the two sides of a set operation .* select different numbers of columns
// Rule: both sides of UNION / INTERSECT / EXCEPT select the same number of columns.
#include "../support/blog_schema.hpp"

using namespace blog;

void union_of_equal_widths() {
    auto ok = union_(select(users.id, users.name), select(posts.id, posts.title));
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = union_(select(users.id), select(posts.id, posts.title));
    (void)broken;
#endif
}
