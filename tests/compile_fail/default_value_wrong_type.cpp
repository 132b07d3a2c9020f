// expect: ctorm: default_value\(\.\.\.\) does not fit the column's type
// Rule: default_value(v) has the column's type; it fires at CTORM_TABLE itself.
#include <cstdint>
#include <string>

#include <ctorm/ctorm.hpp>

namespace fitting {
struct Tag {
    std::int64_t id{};
    std::string name;
};
CTORM_TABLE(tags, Tag, (id, primary_key), (name, default_value("untitled")));
}  // namespace fitting

#ifdef CTORM_COMPILE_FAIL
namespace misfitting {
struct Tag {
    std::int64_t id{};
    std::string name;
};
CTORM_TABLE(tags, Tag, (id, primary_key), (name, default_value(42)));
}  // namespace misfitting
#endif
