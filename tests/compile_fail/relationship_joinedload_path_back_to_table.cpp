// expect: ctorm: joinedload\(\) of a self-referential relationship, or a joined path that comes back to a table
// Rule: a joined path names each table once (it is joined under its own
// name): posts.author, then users.posts, would join posts a second time.
#include <cstddef>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline std::size_t authors_and_their_posts(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(posts), ctorm::joinedload(post_author).selectinload(user_posts)).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t back_to_posts(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(posts), ctorm::joinedload(post_author).joinedload(user_posts)).size();
}
#endif
