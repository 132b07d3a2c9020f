// expect: ctorm: foreign_key\(\.\.\.\)\.references\(\.\.\.\) names as many referenced columns as foreign key columns
// Rule: a table-level foreign key references as many columns as it has.
#include <cstdint>
#include <string>

#include "../support/blog_schema.hpp"

namespace matching {
struct Vote {
    std::int64_t id{};
    std::int64_t post_id{};
    std::string tag;
};
CTORM_TABLE(votes, Vote, (id, primary_key), (post_id), (tag, varchar<50>));
CTORM_TABLE_CONSTRAINTS(votes, foreign_key(votes.post_id, votes.tag).references(blog::post_tags.post_id,
                                                                                blog::post_tags.tag));
}  // namespace matching

#ifdef CTORM_COMPILE_FAIL
namespace short_of_one {
struct Vote {
    std::int64_t id{};
    std::int64_t post_id{};
    std::string tag;
};
CTORM_TABLE(votes, Vote, (id, primary_key), (post_id), (tag, varchar<50>));
CTORM_TABLE_CONSTRAINTS(votes, foreign_key(votes.post_id, votes.tag).references(blog::post_tags.post_id));
}  // namespace short_of_one
#endif
