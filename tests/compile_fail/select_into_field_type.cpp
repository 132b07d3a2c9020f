// expect: ctorm: into<T>\(\): a field of T does not have the C\+\+ type of its column
// Rule: into<T>() checks each field of T against the C++ type of its selected column.
#include <boost/hana/define_struct.hpp>

#include <cstdint>
#include <string>

#include "../support/blog_schema.hpp"

using namespace blog;

struct author_line {
    BOOST_HANA_DEFINE_STRUCT(author_line, (std::int64_t, id), (std::string, name));
};
struct author_line_wrong {
    BOOST_HANA_DEFINE_STRUCT(author_line_wrong, (std::int64_t, id), (int, name));
};

void into_matching_struct() {
    auto ok = select(users.id, users.name).into<author_line>();
    (void)ok;
#ifdef CTORM_COMPILE_FAIL
    auto broken = select(users.id, users.name).into<author_line_wrong>();
    (void)broken;
#endif
}
