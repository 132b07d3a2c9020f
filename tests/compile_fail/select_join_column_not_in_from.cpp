// expect: ctorm: a column is used whose table is not in this statement
// Rule: in a join query, WHERE may name columns of the FROM table and of the joined tables only.
#include "../support/blog_schema.hpp"

using namespace blog;

void where_on_a_joined_table() {
    auto ok = select(users.name, posts.title).join(posts, posts.author_id == users.id).where(posts.views > 10);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken =
        select(users.name, posts.title).join(posts, posts.author_id == users.id).where(post_tags.tag == "cpp");
    (void)broken;
#endif
}
