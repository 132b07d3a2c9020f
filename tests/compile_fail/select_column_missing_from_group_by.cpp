// expect: ctorm: with group_by\(\) or an aggregate, every selected column must be in group_by\(\)
// Rule: a selected column that is not aggregated must be one of the GROUP BY keys.
#include <string_view>

#include "../support/blog_schema.hpp"

using namespace blog;
using ctorm::count;

void every_plain_column_grouped() {
    auto ok = select(users.id, users.name, count(posts.id))
                  .outer_join(posts, posts.author_id == users.id)
                  .group_by(users.id, users.name);
    constexpr std::string_view ok_text = ctorm::to_sql<ctorm::sqlite_dialect>(ok);
    (void)ok_text;
#ifdef CTORM_COMPILE_FAIL
    auto broken =
        select(users.id, users.name, count(posts.id)).outer_join(posts, posts.author_id == users.id).group_by(users.id);
    constexpr std::string_view text = ctorm::to_sql<ctorm::sqlite_dialect>(broken);
    (void)text;
#endif
}
