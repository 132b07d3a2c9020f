// expect: ctorm: the table's primary key is declared twice
// Rule: a table's primary key is declared once: by primary_key on its columns, or by one
// primary_key(...) of CTORM_TABLE_CONSTRAINTS. It fires at CTORM_TABLE_CONSTRAINTS.
#include <cstdint>
#include <string>

#include <ctorm/ctorm.hpp>

namespace once {
struct Tag {
    std::int64_t post_id{};
    std::string tag;
};
CTORM_TABLE(tags, Tag, (post_id), (tag));
CTORM_TABLE_CONSTRAINTS(tags, primary_key(tags.post_id, tags.tag));
}  // namespace once

#ifdef CTORM_COMPILE_FAIL
namespace twice {
struct Tag {
    std::int64_t post_id{};
    std::string tag;
};
CTORM_TABLE(tags, Tag, (post_id, primary_key), (tag));
CTORM_TABLE_CONSTRAINTS(tags, primary_key(tags.post_id, tags.tag));
}  // namespace twice
#endif
