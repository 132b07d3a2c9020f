// expect: ctorm: named\(\) applies to a select of columns or expressions
// Rule: whole models are read by their fields already; named() names columns of a tuple row.
#include "support/blog_schema.hpp"

auto named_users() {
    using namespace blog;
#ifdef CTORM_COMPILE_FAIL
    return select(users).named();
#else
    return select(users.id, users.name).named();
#endif
}
