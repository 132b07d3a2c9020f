// expect: ctorm: cast<std::string>\(\) of this type \(see below: a timestamp, date, time, numeric, UUID, blob, JSON or array\) gives different text per backend
// Rule: only integers, enums, text and booleans have the same text on both backends.
#include "support/blog_schema.hpp"

auto created_text() {
    using namespace blog;
#ifdef CTORM_COMPILE_FAIL
    return select(ctorm::cast<std::string>(users.created_at));
#else
    return select(ctorm::cast<std::string>(users.is_active));
#endif
}
