// expect: ctorm: foreign_key\(\.\.\.\) in CTORM_TABLE_CONSTRAINTS needs \.references\(table\.column\)
// Rule: foreign_key(...) alone declares nothing; it needs the columns it references.
#include <cstdint>

#include "../support/blog_schema.hpp"

namespace complete {
struct Comment {
    std::int64_t id{};
    std::int64_t user_id{};
};
CTORM_TABLE(comments, Comment, (id, primary_key), (user_id));
CTORM_TABLE_CONSTRAINTS(comments, foreign_key(comments.user_id).references(blog::users.id));
}  // namespace complete

#ifdef CTORM_COMPILE_FAIL
namespace incomplete {
struct Comment {
    std::int64_t id{};
    std::int64_t user_id{};
};
CTORM_TABLE(comments, Comment, (id, primary_key), (user_id));
CTORM_TABLE_CONSTRAINTS(comments, foreign_key(comments.user_id));
}  // namespace incomplete
#endif
