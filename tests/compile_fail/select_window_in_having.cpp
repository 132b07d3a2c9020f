// expect: ctorm: having\(\) cannot use a window function
// Rule: a window function cannot filter groups in having(); it is computed after HAVING.
#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::count;
using ctorm::over;
using ctorm::window;

void having_an_aggregate() {
    auto ok = select(posts.author_id, count()).group_by(posts.author_id).having(count() > 1);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(posts.author_id, count())
                      .group_by(posts.author_id)
                      .having(over(count(), window().order_by(posts.author_id)) > 1);
    (void)broken;
#endif
}
