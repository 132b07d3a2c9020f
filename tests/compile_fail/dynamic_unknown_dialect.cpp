// expect: ctorm: dynamic\(select\) renders its run-time pieces for the dialects of known_dialects only
// Rule: the pieces a dynamic select adds at run time are rendered through one function per dialect
// of ctorm/dialect/known.hpp; a dialect not listed there is named in the message, not an index error.
#include <string>

#include "../support/blog_schema.hpp"

using namespace blog;

struct unlisted_dialect : ctorm::sqlite_dialect {};

void dynamic_for_an_unlisted_dialect() {
    auto search = ctorm::dynamic(select(users.id));
    search.where(users.id == 1);
    const std::string ok = search.sql<ctorm::sqlite_dialect>();
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    const std::string broken = search.sql<unlisted_dialect>();
    (void)broken;
#endif
}
