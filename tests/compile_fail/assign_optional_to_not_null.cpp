// expect: ctorm: a value that may be NULL \(std::optional or std::nullopt\) is assigned to a NOT NULL column
// Rule: a std::optional value may be NULL, so it cannot go into a NOT NULL column.
#include <optional>
#include <string>

#include "../support/blog_schema.hpp"

using namespace blog;

void assign_optional_to_nullable() {
    std::optional<ctorm::timestamp> when;
    auto ok = update(posts).set(posts.published_at = when);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    std::optional<std::string> name = "Ann";
    auto broken = update(users).set(users.name = name);
    (void)broken;
#endif
}
