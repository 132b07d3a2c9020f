// expect: ctorm: cascade<...>\(relationship\) takes a relationship declared with ctorm::one_to_many
// Rule: a cascade names a relationship (users.posts), not a table or a column.
#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

#include "../support/blog_schema.hpp"

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto broken = ctorm::cascade<"all">(blog::users);
#else
inline constexpr auto fine = ctorm::cascade<"all">(blog::user_posts);
#endif
