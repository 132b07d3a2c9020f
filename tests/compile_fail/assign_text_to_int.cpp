// expect: ctorm: incompatible value for this column
// Rule: an INTEGER column is assigned only integers.
#include "../support/blog_schema.hpp"

using namespace blog;

void assign_int_to_int() {
    auto ok = update(posts).set(posts.views = 3);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = update(posts).set(posts.views = "x");
    (void)broken;
#endif
}
