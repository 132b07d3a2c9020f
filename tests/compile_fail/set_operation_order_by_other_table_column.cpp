// expect: ctorm: a set operation is ordered by its output columns, and this column \(see the type below\) only shares
// Rule: a set operation's ORDER BY "name" is the output column: a column of another table that is
// only called the same (here post_tags.tag beside the selected posts.title labeled "tag") is refused.
#include "../support/blog_schema.hpp"

using namespace blog;

void order_by_the_selected_column_or_label() {
    auto ok = union_(select(posts.title.as<"tag">()), select(post_tags.tag)).order_by(posts.title.as<"tag">());
    auto also_ok = union_(select(users.name), select(posts.title)).order_by(users.name);
    (void)ok;
    (void)also_ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = union_(select(posts.title.as<"tag">()), select(post_tags.tag)).order_by(post_tags.tag);
    (void)broken;
#endif
}
