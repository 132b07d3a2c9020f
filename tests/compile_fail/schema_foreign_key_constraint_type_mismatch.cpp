// expect: ctorm: references\(\.\.\.\): the foreign key column and the referenced column have different types
// Rule: foreign_key(...).references(...) in CTORM_TABLE_CONSTRAINTS checks types as references(...) does.
#include <cstdint>
#include <string>

#include "../support/blog_schema.hpp"

namespace matching {
struct Comment {
    std::int64_t id{};
    std::int64_t user_id{};
};
CTORM_TABLE(comments, Comment, (id, primary_key), (user_id));
CTORM_TABLE_CONSTRAINTS(comments, foreign_key(comments.user_id).references(blog::users.id));
}  // namespace matching

#ifdef CTORM_COMPILE_FAIL
namespace mismatching {
struct Comment {
    std::int64_t id{};
    std::string user_id;
};
CTORM_TABLE(comments, Comment, (id, primary_key), (user_id));
CTORM_TABLE_CONSTRAINTS(comments, foreign_key(comments.user_id).references(blog::users.id));
}  // namespace mismatching
#endif
