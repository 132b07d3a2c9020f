// expect: ctorm: synchronize_session::fetch applies to an update\(\) or delete_from\(\) statement without returning\(\)
// Rule: fetch adds RETURNING of the written table's key, so it takes a plain UPDATE or DELETE.
#include "support/blog_schema.hpp"

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

void write_some(ctorm::session<ctorm::sqlite::connection>& s) {
#ifdef CTORM_COMPILE_FAIL
    s.execute(insert(blog::users).values(blog::User{.email = "a@x.io", .name = "a"}),
              ctorm::synchronize_session::fetch);
#else
    s.execute(update(blog::users).set(blog::users.name = "a").where(blog::users.id == 1),
              ctorm::synchronize_session::fetch);
#endif
}
