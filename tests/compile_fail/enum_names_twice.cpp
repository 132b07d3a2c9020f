// expect: ctorm: CTORM_ENUM lists an enumerator twice, or two enumerators of the same value
// Rule: a name stored for two values (or two names for one) could not be read
// back as the value that was written. The twin lists each enumerator once.
#include <ctorm/ctorm.hpp>

#include <cstdint>

namespace enum_rule {

enum class Status { todo, doing, done, finished = done };
#ifdef CTORM_COMPILE_FAIL
CTORM_ENUM(Status, todo, doing, done, finished);
#else
CTORM_ENUM(Status, todo, doing, done);
#endif

struct Task {
    std::int64_t id{};
    Status status{};
};
CTORM_TABLE(tasks, Task, (id, primary_key), (status));

[[maybe_unused]] constexpr auto q = ctorm::select(tasks.id).where(tasks.status == Status::done);
[[maybe_unused]] constexpr auto text = ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::create_table(tasks));

}  // namespace enum_rule
