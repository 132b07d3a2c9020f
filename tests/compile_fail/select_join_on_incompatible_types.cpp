// expect: ctorm: incompatible types in comparison
// Rule: a join condition compares columns of compatible SQL types (an integer key with an integer key).
#include "../support/blog_schema.hpp"

using namespace blog;

void join_on_matching_keys() {
    auto ok = select(users.name, posts.title).join(posts, posts.author_id == users.id);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(users.name, posts.title).join(posts, posts.title == users.id);
    (void)broken;
#endif
}
