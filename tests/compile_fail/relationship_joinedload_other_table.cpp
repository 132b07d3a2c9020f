// expect: ctorm: a loader option names a relationship of another table
// Rule: joinedload(rel) in a query through the session joins a relationship
// of the table the query selects; posts.author belongs to posts, not users
// (the rule selectinload follows, checked for joinedload too).
#include <cstddef>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline std::size_t authors(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(posts), ctorm::joinedload(post_author)).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t wrong_table(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(users), ctorm::joinedload(post_author)).size();
}
#endif
