// expect: ctorm: INSERT cannot have where\(\) or order_by\(\)
// Rule: INSERT has no ORDER BY.
#include "../support/blog_schema.hpp"

using namespace blog;

void insert_without_order_by() {
    auto ok = insert(users).values(users.email = "a", users.name = "b");
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    insert(users).values(users.email = "a", users.name = "b").order_by(users.id);
#endif
}
