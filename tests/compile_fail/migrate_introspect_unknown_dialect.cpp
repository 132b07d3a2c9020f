// expect: ctorm: migrate::introspect cannot read this dialect's catalog
// Rule: introspect(db) reads the catalogs of the dialects that have an
// introspection_traits specialization (SQLite, PostgreSQL); any other is a
// compile error naming the trait to specialize. The twin introspects SQLite.
#include <ctorm/migrate/introspect.hpp>
#include <ctorm/sqlite.hpp>

namespace {

// A dialect ctorm does not know, and a connection speaking it.
struct toy_dialect {};
struct toy_connection {
    using dialect_type = toy_dialect;
};

[[maybe_unused]] ctorm::migrate::schema read_schema() {
#ifdef CTORM_COMPILE_FAIL
    toy_connection db;
    return ctorm::migrate::introspect(db);
#else
    ctorm::sqlite::connection db(":memory:");
    return ctorm::migrate::introspect(db);
#endif
}

}  // namespace
