// expect: ctorm: INSERT cannot have where\(\) or order_by\(\)
// Rule: INSERT has no WHERE.
#include "../support/blog_schema.hpp"

using namespace blog;

void insert_without_where() {
    User ann{};
    auto ok = insert(users).values(ann);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    insert(users).values(ann).where(users.id == 1);
#endif
}
