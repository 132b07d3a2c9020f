// expect: ctorm: a column takes one references\(\.\.\.\)
// Rule: a column references one column; a composite foreign key is foreign_key(...) of CTORM_TABLE_CONSTRAINTS.
#include <cstdint>

#include "../support/blog_schema.hpp"

namespace one {
struct Comment {
    std::int64_t id{};
    std::int64_t post_id{};
};
CTORM_TABLE(comments, Comment, (id, primary_key), (post_id, references(blog::posts.id)));
}  // namespace one

#ifdef CTORM_COMPILE_FAIL
namespace two {
struct Comment {
    std::int64_t id{};
    std::int64_t post_id{};
};
CTORM_TABLE(comments, Comment, (id, primary_key), (post_id, references(blog::posts.id), references(blog::users.id)));
}  // namespace two
#endif
