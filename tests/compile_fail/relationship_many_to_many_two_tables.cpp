// expect: ctorm: the two columns of many_to_many\(a, b\) \(see the column types below\) belong to different tables
// Rule: a many-to-many relationship goes through one association table, so
// its two foreign keys are columns of that table; book_tags.book_id and
// posts.author_id would join nothing.
#include <type_traits>

#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"
#include "../support/library_schema.hpp"

inline constexpr auto tags_of_book = ctorm::many_to_many<"tags">(library::book_tags.book_id, library::book_tags.tag_id);
static_assert(ctorm::is_relationship_v<std::remove_cvref_t<decltype(tags_of_book)>>);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto authors_of_book =
    ctorm::many_to_many<"authors">(library::book_tags.book_id, blog::posts.author_id);
#endif
