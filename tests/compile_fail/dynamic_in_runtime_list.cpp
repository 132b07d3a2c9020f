// expect: ctorm: a dynamic\(\) query cannot bind an array yet
// Rule: dynamic() queries hold their values as scalars; an array (a run-time
// in_ list) has no form there yet, so it is refused with a message, not a
// conversion error deep inside.
#include <cstdint>
#include <vector>

#include <ctorm/ctorm.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

void dynamic_in_list() {
    const std::vector<std::int64_t> ids{1, 2};
    auto q = ctorm::dynamic(select(users.id).from(users));
    q.where(users.id.in_(1, 2));
    auto fixed = select(users.id).where(users.id.in_(ids));
    (void)fixed;
#ifdef CTORM_COMPILE_FAIL
    q.where(users.id.in_(ids));
#endif
}
