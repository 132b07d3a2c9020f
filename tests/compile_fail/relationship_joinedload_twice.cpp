// expect: ctorm: a query through the session takes at most one joinedload\(...\) option
// Rule: two joined relationships in one statement would multiply each
// other's rows; one is joined, the others are loaded with selectinload.
#include <cstddef>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline std::size_t one_joined(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(posts), ctorm::joinedload(post_author), ctorm::selectinload(post_tag_rows)).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t two_joined(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(posts), ctorm::joinedload(post_author), ctorm::joinedload(post_tag_rows)).size();
}
#endif
