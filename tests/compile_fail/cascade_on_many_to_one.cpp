// expect: ctorm: a cascade goes from a parent to its children, and this relationship \(see the type below\) is a many_to_one
// Rule: delete-orphan (any cascade) is declared on the parent's side, users.posts, not on posts.author.
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

inline constexpr auto orphans = ctorm::cascade<"delete-orphan">(blog::user_posts);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto wrong_side = ctorm::cascade<"delete-orphan">(blog::post_author);
#endif
