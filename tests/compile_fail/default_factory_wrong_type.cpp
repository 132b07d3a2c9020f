// expect: ctorm: default_factory\(f\): what f returns does not convert to the column's type
// Rule: a default_factory's result becomes the field of each new row, so it
// converts to the field's type (a double is not text). The twin returns text.
#include <ctorm/ctorm.hpp>

#include <string>

namespace factory_rule {

struct Project {
    std::string id{};
    std::string name{};
};
#ifdef CTORM_COMPILE_FAIL
CTORM_TABLE(projects, Project, (id, primary_key, default_factory([] { return 42.5; })), (name));
#else
CTORM_TABLE(projects, Project, (id, primary_key, default_factory([] { return std::string("p-1"); })), (name));
#endif

[[maybe_unused]] constexpr auto q = ctorm::select(projects.id);

}  // namespace factory_rule
