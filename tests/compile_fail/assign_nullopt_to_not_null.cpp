// expect: ctorm: a value that may be NULL \(std::optional or std::nullopt\) is assigned to a NOT NULL column
// Rule: std::nullopt (NULL) goes only into a nullable column.
#include <optional>

#include "../support/blog_schema.hpp"

using namespace blog;

void assign_nullopt_to_nullable() {
    auto ok = update(posts).set(posts.published_at = std::nullopt);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = update(users).set(users.name = std::nullopt);
    (void)broken;
#endif
}
