// expect: ctorm: cast<std::string>\(\) of a floating-point expression gives different text per backend
// Rule: CAST(2.0 AS TEXT) is '2.0' on SQLite and '2' on PostgreSQL; the whole part cast first is the same.
#include "support/blog_schema.hpp"

auto views_text() {
    using namespace blog;
#ifdef CTORM_COMPILE_FAIL
    return select(ctorm::cast<std::string>(ctorm::cast<double>(posts.views)));
#else
    return select(ctorm::cast<std::string>(ctorm::cast<std::int64_t>(ctorm::cast<double>(posts.views))));
#endif
}
