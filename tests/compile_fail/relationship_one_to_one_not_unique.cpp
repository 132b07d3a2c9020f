// expect: ctorm: one_to_one\(parent, column\) needs a foreign key that is unique
// Rule: a user can write many posts, so posts.author_id is no one-to-one key;
// book_details.book_id (its table's primary key) is.
#include <ctorm/orm.hpp>

#include "../support/blog_schema.hpp"
#include "../support/library_schema.hpp"

inline constexpr auto detail_of_book = ctorm::one_to_one<"detail">(library::books, library::book_details.book_id);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto only_post = ctorm::one_to_one<"post">(blog::users, blog::posts.author_id);
#endif
