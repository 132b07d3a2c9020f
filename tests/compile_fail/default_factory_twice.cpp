// expect: ctorm: a column takes one default_factory\(f\)
// Rule: two factories on one column would leave one of them unused. The twin
// has one.
#include <ctorm/ctorm.hpp>

#include <string>

namespace factory_rule {

struct Project {
    std::string id{};
    std::string name{};
};
#ifdef CTORM_COMPILE_FAIL
CTORM_TABLE(projects, Project,
            (id, primary_key, default_factory([] { return std::string("a"); }),
             default_factory([] { return std::string("b"); })),
            (name));
#else
CTORM_TABLE(projects, Project, (id, primary_key, default_factory([] { return std::string("a"); })), (name));
#endif

[[maybe_unused]] constexpr auto q = ctorm::select(projects.id);

}  // namespace factory_rule
