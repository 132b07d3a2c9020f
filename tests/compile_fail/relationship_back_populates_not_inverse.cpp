// expect: ctorm: CTORM_BACK_POPULATES\(a, b\) pairs a relationship with its other side
// Rule: the two sides of back_populates go over one foreign key, each from the
// other's target to its owner; users.posts and posts.tags do not.
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

namespace blog {
CTORM_BACK_POPULATES(user_posts, post_author);
#ifdef CTORM_COMPILE_FAIL
CTORM_BACK_POPULATES(user_posts, post_tag_rows);
#endif
}  // namespace blog
