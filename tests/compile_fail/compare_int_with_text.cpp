// expect: ctorm: incompatible types in comparison
// Rule: an integer column is compared only with numbers.
#include "../support/blog_schema.hpp"

using namespace blog;

void compare_int_with_number() {
    auto ok = posts.views > 10;
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = posts.views > "10";
    (void)broken;
#endif
}
