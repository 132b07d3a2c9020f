// expect: ctorm: cast<bool>\(\) takes a number \(true when it is not 0\) or a boolean
// Rule: text cast to a boolean is 'true' on PostgreSQL and 0 on SQLite.
#include "support/blog_schema.hpp"

auto named_true() {
    using namespace blog;
#ifdef CTORM_COMPILE_FAIL
    return select(ctorm::cast<bool>(users.name));
#else
    return select(users.name == "true");
#endif
}
