// expect: ctorm: limit\(\)/offset\(\) apply only to select\(\)
// Rule: DELETE has no LIMIT.
#include "../support/blog_schema.hpp"

using namespace blog;

void delete_without_limit() {
    auto ok = delete_from(users).where(users.id == 1);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    delete_from(users).limit(1);
#endif
}
