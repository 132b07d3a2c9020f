// expect: ctorm: the columns foreign_key\(\.\.\.\)\.references\(\.\.\.\) names must all belong to one table
// Rule: a foreign key references the columns of one table.
#include <cstdint>
#include <string>

#include "../support/blog_schema.hpp"

namespace one_table {
struct Vote {
    std::int64_t id{};
    std::int64_t post_id{};
    std::string tag;
};
CTORM_TABLE(votes, Vote, (id, primary_key), (post_id), (tag, varchar<50>));
CTORM_TABLE_CONSTRAINTS(votes, foreign_key(votes.post_id, votes.tag).references(blog::post_tags.post_id,
                                                                                blog::post_tags.tag));
}  // namespace one_table

#ifdef CTORM_COMPILE_FAIL
namespace two_tables {
struct Vote {
    std::int64_t id{};
    std::int64_t post_id{};
    std::string tag;
};
CTORM_TABLE(votes, Vote, (id, primary_key), (post_id), (tag, varchar<50>));
CTORM_TABLE_CONSTRAINTS(votes, foreign_key(votes.post_id, votes.tag).references(blog::posts.id, blog::post_tags.tag));
}  // namespace two_tables
#endif
