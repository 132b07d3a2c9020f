// expect: ctorm: an aggregate \(count, sum, avg, min, max\) cannot take an aggregate or a window function
// Rule: aggregates do not nest (sum(count(x))); the inner one belongs in a subquery or CTE.
#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::count;

void aggregate_of_a_column() {
    auto ok = select(posts.author_id, ctorm::sum(posts.views), count(posts.id)).group_by(posts.author_id);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(ctorm::sum(count(posts.id))).from(posts).group_by(posts.author_id);
    (void)broken;
#endif
}
