// expect: ctorm: group_by\(\) cannot use an aggregate
// Rule: an aggregate cannot be a grouping key; rows are grouped before they are aggregated.
#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::count;

void group_by_a_column() {
    auto ok = select(posts.author_id, ctorm::max(posts.views)).group_by(posts.author_id);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(posts.author_id, count()).group_by(posts.author_id, ctorm::max(posts.views));
    (void)broken;
#endif
}
