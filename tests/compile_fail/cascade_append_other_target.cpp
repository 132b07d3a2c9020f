// expect: ctorm: s.append\(parent, relationship, child\): the child is not an object of the relationship's target table
// Rule: s.append moves an object of the relationship's target table (posts.tags takes a PostTag, not a User).
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
    s.append(p, blog::post_tag_rows, u);
#endif
}
