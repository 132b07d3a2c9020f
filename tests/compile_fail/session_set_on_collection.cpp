// expect: ctorm: s.set\(child, relationship, parent\) takes a many_to_one
// Rule: s.set names the child's side (posts.author); a collection is given children with
// s.append (the positive twin).
#include "support/blog_schema.hpp"

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

void give_post(ctorm::session<ctorm::sqlite::connection>& s, const ctorm::handle<blog::User>& u,
               const ctorm::handle<blog::Post>& p) {
#ifdef CTORM_COMPILE_FAIL
    s.set(u, blog::user_posts, p);
#else
    s.append(u, blog::user_posts, p);
#endif
}
