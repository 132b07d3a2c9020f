// expect: ctorm: SQLite has no SELECT \.\.\. FOR UPDATE
// Rule: a run-time engine compiles every statement for both backends, so a
// statement SQLite cannot run (a row lock) is rejected at compile time, before
// anything could be sent; the typed PostgreSQL engine takes it.
#include <ctorm/engine/create_engine.hpp>

#include "../support/blog_schema.hpp"

using namespace blog;

void lock_on_postgres(ctorm::postgres::engine& engine) {
    auto db = engine.connect();
    (void)db->all(select(users.id).where(users.id == 1).for_update());
}

#ifdef CTORM_COMPILE_FAIL
void lock_on_either(ctorm::runtime_engine& engine) {
    auto db = engine.connect();
    (void)db.all(select(users.id).where(users.id == 1).for_update());
}
#endif
