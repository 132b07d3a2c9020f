// expect: ctorm: passive-deletes leaves deleting the children to the database
// Rule: passive-deletes says who deletes the children on a delete cascade, so it comes with delete (or all).
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

inline constexpr auto passive = ctorm::cascade<"delete, passive-deletes">(blog::user_posts);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto passive_alone = ctorm::cascade<"passive-deletes">(blog::user_posts);
#endif
