// expect: ctorm: like/ilike need a text expression
// Rule: LIKE applies to text columns only.
#include "../support/blog_schema.hpp"

using namespace blog;

void like_on_text() {
    auto ok = posts.title.like("C++%");
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = posts.views.like("1%");
    (void)broken;
#endif
}
