// expect: ctorm: having\(\) filters groups
// Rule: HAVING needs GROUP BY or an aggregate in the select list; to filter rows, use where().
#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::count;

void having_after_group_by() {
    auto ok = select(posts.author_id, count()).group_by(posts.author_id).having(count() > 1);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(posts.author_id, posts.title).having(posts.views > 1);
    (void)broken;
#endif
}
