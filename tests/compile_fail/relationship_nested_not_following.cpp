// expect: ctorm: a nested loader option \(selectinload\(a\)\.selectinload\(b\)\) names a relationship that does not start from the table the previous one loads
// Rule: in selectinload(a).selectinload(b), b loads from the objects a
// loaded, so b's owner table must be a's target table.
#include <cstddef>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline std::size_t tags_of_posts(ctorm::session<ctorm::sqlite::connection>& s) {
    auto r = s.all(select(users), ctorm::selectinload(user_posts).selectinload(post_tag_rows));
    return r.empty() || r.get(user_posts, r[0]).empty() ? 0 : r.get(post_tag_rows, r.get(user_posts, r[0])[0]).size();
}

#ifdef CTORM_COMPILE_FAIL
// users.posts, then users.posts again: the second one starts from users, not posts.
inline std::size_t wrong(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(users), ctorm::selectinload(user_posts).selectinload(user_posts)).size();
}
#endif
