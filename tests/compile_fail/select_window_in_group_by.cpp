// expect: ctorm: group_by\(\) cannot use a window function
// Rule: a window function cannot be a grouping key; it is computed after GROUP BY.
#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::count;
using ctorm::over;
using ctorm::rank;
using ctorm::window;

void group_by_columns() {
    auto ok = select(posts.author_id, count()).group_by(posts.author_id);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(count()).from(posts).group_by(over(rank(), window().order_by(posts.views)));
    (void)broken;
#endif
}
