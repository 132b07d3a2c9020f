// expect: ctorm: any\(relationship, condition\) takes a collection \(one-to-many or many-to-many\) and has\(\) a single related object
// Rule: a post has one author, so "any author" is has(posts.author, ...);
// any() is for collections (users.posts).
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline constexpr auto by_active_authors = select(posts.title).where(ctorm::has(post_author, users.is_active));

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto any_author = select(posts.title).where(ctorm::any(post_author, users.is_active));
#endif
