// expect: ctorm: where\(\) filters rows before grouping and cannot use an aggregate
// Rule: an aggregate belongs in having(), not where().
#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::count;

void aggregate_in_having() {
    auto ok = select(posts.author_id, count()).group_by(posts.author_id).having(count() > 5);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(posts.author_id, count()).where(count() > 5).group_by(posts.author_id);
    (void)broken;
#endif
}
