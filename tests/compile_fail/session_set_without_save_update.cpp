// expect: ctorm: s.set\(child, relationship, object\) adds a new parent through the save-update cascade
// Rule: a new parent set on a child goes in through the many_to_one's save-update cascade;
// without it, s.add the parent and s.set its handle (the positive twin).
#include "support/blog_schema.hpp"

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

void give_author(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::Post>& p) {
#ifdef CTORM_COMPILE_FAIL
    s.set(p, blog::post_author, blog::User{.email = "a@x.io", .name = "a"});
#else
    s.set(p, blog::post_author, s.add(blog::users, blog::User{.email = "a@x.io", .name = "a"}));
#endif
}
