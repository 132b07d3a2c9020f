// expect: ctorm: a cascade goes from a parent to its children, and this relationship \(see the type below\) is a many_to_one
// Rule: delete-orphan (any deleting cascade) is declared on the parent's side, users.posts, not on
// posts.author; the many_to_one takes save-update alone (the second twin).
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

inline constexpr auto orphans = ctorm::cascade<"delete-orphan">(blog::user_posts);
inline constexpr auto new_authors = ctorm::cascade<"save-update">(blog::post_author);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto wrong_side = ctorm::cascade<"delete-orphan">(blog::post_author);
#endif
