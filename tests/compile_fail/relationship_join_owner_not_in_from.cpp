// expect: ctorm: join\(relationship\) joins the relationship's target to its owner, and the owner table
// Rule: join(users.posts) takes its condition from the relationship, so the
// owner (users) must already be in FROM; from posts alone there is nothing
// to join the posts to.
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline constexpr auto titles_by_author = select(users.name, posts.title).from(users).join(user_posts);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto titles_alone = select(posts.title).from(posts).join(user_posts);
#endif
