// expect: ctorm: a column of a set operation .* has different types on its two sides
// Rule: the columns of the two sides of a set operation line up by type.
#include "../support/blog_schema.hpp"

using namespace blog;

void union_of_matching_types() {
    auto ok = union_all(select(users.id, users.name), select(posts.author_id, posts.title));
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = union_all(select(users.id, users.name), select(posts.author_id, posts.views));
    (void)broken;
#endif
}
