// expect: ctorm: a cascade is a comma-separated list of the words all, save-update, delete, delete-orphan and passive-deletes
// Rule: a cascade's text is SQLAlchemy's words that ctorm does; merge is not one of them.
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"

inline constexpr auto posts_cascade = ctorm::cascade<"all, delete-orphan">(blog::user_posts);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto merged = ctorm::cascade<"all, merge">(blog::user_posts);
#endif
