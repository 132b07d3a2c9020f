// expect: ctorm: an enum stored by name \(CTORM_ENUM\) casts only to std::string
// Rule: CAST of an enum's name to a number is 0 on SQLite and an error on
// PostgreSQL. The twin casts it to its name.
#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <string>

namespace enum_cast_rule {

enum class Status { todo, done };
CTORM_ENUM(Status, todo, done);

struct Task {
    std::int64_t id{};
    Status status{};
};
CTORM_TABLE(tasks, Task, (id, primary_key), (status));

#ifdef CTORM_COMPILE_FAIL
[[maybe_unused]] constexpr auto q = ctorm::select(ctorm::cast<std::int64_t>(tasks.status));
#else
[[maybe_unused]] constexpr auto q = ctorm::select(ctorm::cast<std::string>(tasks.status));
#endif

}  // namespace enum_cast_rule
