// expect: ctorm: incompatible types in comparison
// Rule: a TEXT column is compared only with text.
#include "../support/blog_schema.hpp"

using namespace blog;

void compare_text_with_text() {
    auto ok = users.email == "ann@example.com";
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = users.email == 42;
    (void)broken;
#endif
}
