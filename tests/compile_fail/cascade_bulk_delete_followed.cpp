// expect: ctorm: the delete cascade of the first relationship below deletes the children with one DELETE
// Rule: users.posts deletes a user's posts with one statement, so the session cannot also run the
// delete cascade of posts.tags; that one must be passive-deletes (post_tags.post_id has ON DELETE CASCADE).
#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

namespace blog {
CTORM_CASCADES(users, ctorm::cascade<"all">(user_posts));
#ifdef CTORM_COMPILE_FAIL
CTORM_CASCADES(posts, ctorm::cascade<"all">(post_tag_rows));
#else
CTORM_CASCADES(posts, ctorm::cascade<"all, passive-deletes">(post_tag_rows));
#endif
}  // namespace blog

void remove_user(ctorm::session<ctorm::sqlite::connection>& s, std::int64_t id) {
    s.remove(s.get(blog::users, id));
    s.flush();
}
