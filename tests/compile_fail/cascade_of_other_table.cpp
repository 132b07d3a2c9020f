// expect: ctorm: CTORM_CASCADES\(table, ...\) lists the cascades of relationships whose owner is that table
// Rule: posts.tags is a relationship of posts, so its cascade is listed for posts, not for users.
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

namespace blog {
CTORM_CASCADES(posts, ctorm::cascade<"all">(post_tag_rows));
#ifdef CTORM_COMPILE_FAIL
CTORM_CASCADES(users, ctorm::cascade<"all">(post_tag_rows));
#endif
}  // namespace blog
