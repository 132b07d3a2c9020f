// expect: ctorm: s.append / s.remove_from\(parent, relationship, child\): the relationship belongs to another table than the parent's
// Rule: the parent of s.append is an object of the relationship's owner table (posts.tags hangs off a Post, not a
// User).
#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

namespace blog {
CTORM_CASCADES(posts, ctorm::cascade<"save-update">(post_tag_rows));
}  // namespace blog

void add_tag(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::Post>& p,
             [[maybe_unused]] const ctorm::handle<blog::User>& u) {
    s.append(p, blog::post_tag_rows, blog::PostTag{.post_id = 0, .tag = "c++", .weight = 1});
#ifdef CTORM_COMPILE_FAIL
    s.append(u, blog::post_tag_rows, blog::PostTag{.post_id = 0, .tag = "c++", .weight = 1});
#endif
}
