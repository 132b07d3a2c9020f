// expect: ^([^:]|:[^ ]|: [^e]|: e[^r]|: er[^r]|: err[^o]|: erro[^r])*: error: static.assert.*ctorm: limit\(\)/offset\(\) apply only to select\(\)
// Rule: INSERT has no LIMIT, and the first error says so: limit() on an insert used as a value (the
// regex: no ": error" before the static assertion) must not first fail as "invalid use of void
// expression" or "'void q' has incomplete type" on g++.
#include "../support/blog_schema.hpp"

using namespace blog;

void insert_limit_used_as_a_value() {
    User ann{};
    auto ok = insert(users).values(ann);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = insert(users).values(ann).limit(1);
    (void)broken;
#endif
}
