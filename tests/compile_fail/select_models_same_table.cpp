// expect: ctorm: select\(a, b\): a table is named twice
// Rule: each model of a multi-model select comes from its own table (or alias).
#include "support/blog_schema.hpp"

auto pairs() {
    using namespace blog;
#ifdef CTORM_COMPILE_FAIL
    return select(users, posts, users);
#else
    return select(users, posts);
#endif
}
