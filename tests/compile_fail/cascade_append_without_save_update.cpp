// expect: ctorm: s.append\(parent, relationship, object\) adds a new child through the save-update cascade
// Rule: adding a new child through a relationship is its save-update cascade; posts.tags declares it,
// users.posts (here) does not.
#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

namespace blog {
CTORM_CASCADES(posts, ctorm::cascade<"save-update">(post_tag_rows));
}  // namespace blog

void add_tag(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::Post>& p) {
    s.append(p, blog::post_tag_rows, blog::PostTag{.post_id = 0, .tag = "c++", .weight = 1});
}

#ifdef CTORM_COMPILE_FAIL
void add_post(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::User>& u) {
    s.append(u, blog::user_posts, blog::Post{});
}
#endif
