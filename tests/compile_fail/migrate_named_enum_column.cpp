// expect: ctorm::migrate: a column of an enum stored by name \(CTORM_ENUM, see the column below\) is not in migrations yet
// Rule: migrate would write the column without its PostgreSQL enum type or its
// SQLite CHECK. The twin stores the enum as its integer.
#include <ctorm/migrate.hpp>

#include <cstdint>

namespace migrate_enum_rule {

enum class Status { todo, done };
#ifdef CTORM_COMPILE_FAIL
CTORM_ENUM(Status, todo, done);
#endif

struct Task {
    std::int64_t id{};
    Status status{};
};
CTORM_TABLE(tasks, Task, (id, primary_key), (status));

[[maybe_unused]] inline auto schema() { return ctorm::migrate::schema_of<ctorm::sqlite_dialect>(tasks); }

}  // namespace migrate_enum_rule
