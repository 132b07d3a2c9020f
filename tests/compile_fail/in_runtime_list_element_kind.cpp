// expect: ctorm: in_\(list\): the list's elements are not of the expression's kind
// Rule: the elements of a run-time in_ list are of the expression's kind (text for text, numbers for numbers).
#include <string>
#include <vector>

#include "../support/blog_schema.hpp"

using namespace blog;

void in_runtime_list() {
    const std::vector<std::string> names{"a", "b"};
    auto ok = users.name.in_(names);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = users.id.in_(names);
    (void)broken;
#endif
}
