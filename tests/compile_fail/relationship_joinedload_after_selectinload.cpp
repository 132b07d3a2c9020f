// expect: ctorm: a nested joinedload\(\) follows only joinedload\(\) steps
// Rule: the joined relationships of a path come first, in the query's own
// statement; once a step is loaded by selectinload, the steps after it are
// loaded by their own statements too.
#include <cstddef>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/library_schema.hpp"

using namespace library;

inline std::size_t joined_then_selected(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(books), ctorm::joinedload(book_links).joinedload(link_tag).selectinload(tag_books)).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t selected_then_joined(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(books), ctorm::joinedload(book_links).selectinload(link_tag).joinedload(tag_books)).size();
}
#endif
