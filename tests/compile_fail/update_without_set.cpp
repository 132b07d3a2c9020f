// expect: ctorm: update\(table\) needs \.set\(column = value, \.\.\.\)
// Rule: an UPDATE without SET has no SQL text; the rule fires when it is rendered.
#include <string_view>

#include "../support/blog_schema.hpp"

using namespace blog;

void update_with_set() {
    auto ok = update(users).set(users.is_active = false);
    static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(ok) == R"(UPDATE "users" SET "is_active" = ?)");
#ifdef CTORM_COMPILE_FAIL
    auto broken = update(users).where(users.id == 1);
    constexpr std::string_view text = ctorm::to_sql<ctorm::sqlite_dialect>(broken);
    (void)text;
#endif
}
