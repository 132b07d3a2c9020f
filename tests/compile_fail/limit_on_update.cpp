// expect: ctorm: limit\(\)/offset\(\) apply only to select\(\)
// Rule: UPDATE has no LIMIT.
#include "../support/blog_schema.hpp"

using namespace blog;

void update_without_limit() {
    auto ok = update(users).set(users.name = "x").where(users.id == 1);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    update(users).set(users.name = "x").limit(1);
#endif
}
