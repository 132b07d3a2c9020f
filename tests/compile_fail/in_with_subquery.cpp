// expect: ctorm: in_\(select\(...\)\): a subquery is written in_select\(x, select\(...\)\)
// Rule: in_() takes values; IN (SELECT ...) has its own spelling.
#include "support/blog_schema.hpp"

auto authors() {
    using namespace blog;
#ifdef CTORM_COMPILE_FAIL
    return select(users.name).where(users.id.in_(select(posts.author_id)));
#else
    return select(users.name).where(in_select(users.id, select(posts.author_id)));
#endif
}
