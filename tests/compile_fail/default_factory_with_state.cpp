// expect: ctorm: default_factory\(f\) takes a function object with no state and no arguments
// Rule: the factory is a type, made anew for each row it fills, so it holds
// nothing (a lambda without captures); the twin calls a function instead of
// capturing a counter.
#include <ctorm/ctorm.hpp>

#include <string>

namespace factory_rule {

inline int counter = 0;
inline std::string next_key() { return "p-" + std::to_string(++counter); }

struct Project {
    std::string id{};
    std::string name{};
};
#ifdef CTORM_COMPILE_FAIL
inline constexpr int step = 1;
CTORM_TABLE(projects, Project, (id, primary_key, default_factory([s = step] { return std::to_string(s); })), (name));
#else
CTORM_TABLE(projects, Project, (id, primary_key, default_factory([] { return next_key(); })), (name));
#endif

[[maybe_unused]] constexpr auto q = ctorm::select(projects.id);

}  // namespace factory_rule
