// expect: ctorm: delete, delete-orphan and passive-deletes apply to a one_to_many or one_to_one relationship
// Rule: a many-to-many's targets are shared, so books.tags takes save-update but not delete-orphan.
#include <ctorm/orm.hpp>

#include "../support/library_schema.hpp"

inline constexpr auto tags_saved = ctorm::cascade<"save-update">(library::book_tag_list);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto tags_deleted = ctorm::cascade<"save-update, delete-orphan">(library::book_tag_list);
#endif
