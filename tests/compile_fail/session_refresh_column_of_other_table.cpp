// expect: ctorm: s.refresh\(object, columns...\): every column must be a column of the object's table
// Rule: a subset refresh names columns of the object's own table.
#include "support/blog_schema.hpp"

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

void refresh_some(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::User>& u) {
#ifdef CTORM_COMPILE_FAIL
    s.refresh(u, blog::users.name, blog::posts.title);
#else
    s.refresh(u, blog::users.name, blog::users.email);
#endif
}
