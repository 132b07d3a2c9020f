// expect: ctorm: limit\(\)/offset\(\) apply only to select\(\)
// Rule: INSERT has no LIMIT.
#include "../support/blog_schema.hpp"

using namespace blog;

void insert_without_limit() {
    User ann{};
    auto ok = insert(users).values(ann);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    insert(users).values(ann).limit(1);
#endif
}
