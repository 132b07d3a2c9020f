// expect: ctorm: into<T>\(\): T has a different number of fields than the select has columns
// Rule: into<T>() needs one field of T per selected column.
#include <boost/hana/define_struct.hpp>

#include <cstdint>
#include <string>

#include "../support/blog_schema.hpp"

using namespace blog;

struct author_line {
    BOOST_HANA_DEFINE_STRUCT(author_line, (std::int64_t, id), (std::string, name));
};

void into_struct_of_the_same_width() {
    auto ok = select(users.id, users.name).into<author_line>();
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(users.id, users.name, users.email).into<author_line>();
    (void)broken;
#endif
}
