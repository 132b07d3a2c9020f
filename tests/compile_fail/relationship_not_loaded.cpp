// expect: ctorm: this relationship \(see the relationship type below\) was not loaded by this query
// Rule: the result of a query through the session lists in its type the
// relationships it loaded (selectinload(...)); reading another one does not
// compile, rather than running a hidden query or giving an empty collection.
#include <cstddef>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

// A second relationship of users over the same key (another name, another type).
inline constexpr auto user_drafts = ctorm::one_to_many<"drafts">(users, posts.author_id);

inline std::size_t loaded(ctorm::session<ctorm::sqlite::connection>& s) {
    auto r = s.all(select(users), ctorm::selectinload(user_posts));
    return r.empty() ? 0 : r.get(user_posts, r[0]).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t not_loaded(ctorm::session<ctorm::sqlite::connection>& s) {
    auto r = s.all(select(users), ctorm::selectinload(user_posts));
    return r.empty() ? 0 : r.get(user_drafts, r[0]).size();
}
#endif
