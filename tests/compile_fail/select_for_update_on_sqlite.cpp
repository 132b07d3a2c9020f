// expect: ctorm: SQLite has no SELECT \.\.\. FOR UPDATE
// Rule: row locks exist on PostgreSQL only; rendering FOR UPDATE for SQLite is an error.
#include <string_view>

#include "../support/blog_schema.hpp"

using namespace blog;

void for_update_on_postgres() {
    auto locked = select(users.id).where(users.id == 1).for_update();
    constexpr std::string_view ok = ctorm::to_sql<ctorm::postgres_dialect>(locked);
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    constexpr std::string_view broken = ctorm::to_sql<ctorm::sqlite_dialect>(locked);
    (void)broken;
#endif
}
