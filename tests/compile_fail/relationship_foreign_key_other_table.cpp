// expect: ctorm: the foreign key of this relationship \(see the column type below\) does not reference the parent table
// Rule: a one-to-many relationship is declared from a foreign key of the
// child table that references the parent table; post_tags.post_id references
// posts, so it cannot join users to post_tags.
#include <type_traits>

#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

inline constexpr auto tags_of_post = ctorm::one_to_many<"tags">(posts, post_tags.post_id);
static_assert(ctorm::is_relationship_v<std::remove_cvref_t<decltype(tags_of_post)>>);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto user_tags = ctorm::one_to_many<"tags">(users, post_tags.post_id);
#endif
