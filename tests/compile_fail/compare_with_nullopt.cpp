// expect: ctorm: comparing with std::nullopt is never true in SQL
// Rule: NULL tests are written .is_null() / .is_not_null(), never == std::nullopt.
#include <optional>

#include "../support/blog_schema.hpp"

using namespace blog;

void test_for_null() {
    auto ok = posts.published_at.is_null();
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = posts.published_at == std::nullopt;
    (void)broken;
#endif
}
