// expect: ctorm: order_by\(\) names a label that the select list does not define
// Rule: ORDER BY "label" refers to a labeled expression of the select list; it must be selected.
#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::count;

void order_by_a_selected_label() {
    auto ok = select(posts.author_id, count().as<"n">()).group_by(posts.author_id).order_by(count().as<"n">().desc());
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken =
        select(posts.author_id, count().as<"n">()).group_by(posts.author_id).order_by(count().as<"total">().desc());
    (void)broken;
#endif
}
