// expect: ctorm: s.remove_from\(parent, relationship, child\) without delete-orphan sets the child's foreign key to NULL
// Rule: a child taken out of a collection without delete-orphan loses its parent (NULL), which
// posts.author_id (NOT NULL) cannot; posts.tags declares delete-orphan, users.posts does not.
#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

namespace blog {
CTORM_CASCADES(posts, ctorm::cascade<"delete-orphan">(post_tag_rows));
}  // namespace blog

void drop_tag(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::Post>& p,
              const ctorm::handle<blog::PostTag>& t) {
    s.remove_from(p, blog::post_tag_rows, t);
}

#ifdef CTORM_COMPILE_FAIL
void drop_post(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::User>& u,
               const ctorm::handle<blog::Post>& p) {
    s.remove_from(u, blog::user_posts, p);
}
#endif
