// expect: ctorm: CTORM_ENUM\(.*Status, \.\.\.\) must be written in the namespace that declares
// Rule: written elsewhere, argument-dependent lookup would not find the names
// and the enum would silently be stored as its integer. The twin writes it in
// the enum's namespace.
#include <ctorm/ctorm.hpp>

namespace enum_namespace_rule {
enum class Status { todo, done };
#ifndef CTORM_COMPILE_FAIL
CTORM_ENUM(Status, todo, done);
#endif
}  // namespace enum_namespace_rule

#ifdef CTORM_COMPILE_FAIL
CTORM_ENUM(enum_namespace_rule::Status, todo, done);
#endif

static_assert(ctorm::enum_sql_name<enum_namespace_rule::Status> == "status");
