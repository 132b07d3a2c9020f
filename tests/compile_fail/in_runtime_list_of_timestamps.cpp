// expect: ctorm: in_\(list\) with a run-time list takes integers, booleans, floating point numbers or text
// Rule: a run-time in_ list is bound as one array (JSON text on SQLite), which
// compares equal to the stored value only for those kinds.
#include <vector>

#include "../support/blog_schema.hpp"

using namespace blog;

void in_runtime_list() {
    const std::vector<std::int64_t> ids{1, 2};
    auto ok = users.id.in_(ids);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    const std::vector<ctorm::timestamp> moments(2);
    auto broken = users.created_at.in_(moments);
    (void)broken;
#endif
}
