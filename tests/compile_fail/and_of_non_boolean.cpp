// expect: ctorm: a condition must be a boolean expression
// Rule: && and || combine boolean expressions only.
#include "../support/blog_schema.hpp"

using namespace blog;

void and_of_booleans() {
    auto ok = users.is_active && users.id > 1;
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = users.is_active && users.email;
    (void)broken;
#endif
}
