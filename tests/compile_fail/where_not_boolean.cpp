// expect: ctorm: a condition must be a boolean expression
// Rule: where() takes a boolean expression: a comparison or a bool column, not a text column.
#include "../support/blog_schema.hpp"

using namespace blog;

void where_on_a_bool_column() {
    auto ok = select(users).where(users.is_active);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(users).where(users.name);
    (void)broken;
#endif
}
