// expect: ctorm: where\(\) filters rows before window functions \(over\(\.\.\.\)\) are computed
// Rule: a window function cannot filter rows in where(); it is computed after WHERE.
#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::over;
using ctorm::row_number;
using ctorm::window;

void window_in_the_select_list() {
    auto ok = select(posts.title, over(row_number(), window().order_by(posts.views.desc()))).where(posts.views > 10);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(posts.title).where(over(row_number(), window().order_by(posts.views.desc())) <= 3);
    (void)broken;
#endif
}
