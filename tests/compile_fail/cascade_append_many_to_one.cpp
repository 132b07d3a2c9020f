// expect: ctorm: s.append / s.remove_from take the parent's side of a relationship
// Rule: s.append and s.remove_from go from a parent to its children: a many_to_one (posts.author) has no collection.
#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

namespace blog {
CTORM_CASCADES(posts, ctorm::cascade<"save-update">(post_tag_rows));
}  // namespace blog

void add_tag(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::Post>& p) {
    s.append(p, blog::post_tag_rows, blog::PostTag{.post_id = 0, .tag = "c++", .weight = 1});
#ifdef CTORM_COMPILE_FAIL
    s.append(p, blog::post_author, blog::User{});
#endif
}
