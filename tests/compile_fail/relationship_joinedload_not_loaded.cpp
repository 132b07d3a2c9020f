// expect: ctorm: this relationship \(see the relationship type below\) was not loaded by this query
// Rule: the result of a query with joinedload(rel) lists what it loaded, as
// selectinload's does: rel, and a selectinload nested after it; reading a
// relationship it did not load (the posts' tags) does not compile.
#include <cstddef>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline std::size_t tags_of_first(ctorm::session<ctorm::sqlite::connection>& s) {
    auto r = s.all(select(users), ctorm::joinedload(user_posts).selectinload(post_tag_rows));
    return r.empty() || r.get(user_posts, r[0]).empty() ? 0 : r.get(post_tag_rows, r.get(user_posts, r[0])[0]).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t tags_not_loaded(ctorm::session<ctorm::sqlite::connection>& s) {
    auto r = s.all(select(users), ctorm::joinedload(user_posts));
    return r.empty() || r.get(user_posts, r[0]).empty() ? 0 : r.get(post_tag_rows, r.get(user_posts, r[0])[0]).size();
}
#endif
