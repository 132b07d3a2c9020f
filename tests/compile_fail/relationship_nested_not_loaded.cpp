// expect: ctorm: this relationship \(see the relationship type below\) was not loaded by this query
// Rule: selectinload(users.posts) loads the posts and nothing of them: reading
// a post's tags through the result does not compile (nested loading is
// selectinload(user_posts).selectinload(post_tag_rows)), rather than sending
// a query per post.
#include <cstddef>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline std::size_t posts_of_first(ctorm::session<ctorm::sqlite::connection>& s) {
    auto r = s.all(select(users), ctorm::selectinload(user_posts));
    return r.empty() ? 0 : r.get(user_posts, r[0]).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t tags_of_first_post(ctorm::session<ctorm::sqlite::connection>& s) {
    auto r = s.all(select(users), ctorm::selectinload(user_posts));
    return r.get(post_tag_rows, r.get(user_posts, r[0])[0]).size();
}
#endif
