// expect: ctorm: many_to_many\(a, b\) takes two foreign keys of the association table
// Rule: both columns of a many-to-many declaration are foreign keys (one to
// the owner, one to the target); book_tags.added_by references nothing.
#include <type_traits>

#include <ctorm/orm.hpp>

#include "../support/library_schema.hpp"

inline constexpr auto books_of_tag =
    ctorm::many_to_many<"books">(library::book_tags.tag_id, library::book_tags.book_id);
static_assert(ctorm::is_relationship_v<std::remove_cvref_t<decltype(books_of_tag)>>);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto adders = ctorm::many_to_many<"adders">(library::book_tags.book_id, library::book_tags.added_by);
#endif
