// expect: ctorm: joinedload\(\) of a self-referential relationship, or a joined path that comes back to a table
// Rule: joinedload(rel) joins rel's target to the selected table under its
// own name; a relationship of a table to itself would need an alias, so it
// is loaded with selectinload instead.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

namespace tree {
struct Category {
    std::int64_t id{};
    std::optional<std::int64_t> parent_id{};
    std::string name;
};
CTORM_TABLE(categories, Category, (id, primary_key), (parent_id, references(categories.id)), (name));
inline constexpr auto children = ctorm::one_to_many<"children">(categories, categories.parent_id);
}  // namespace tree

using namespace tree;

inline std::size_t roots(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(categories), ctorm::selectinload(children)).size();
}

#ifdef CTORM_COMPILE_FAIL
inline std::size_t joined(ctorm::session<ctorm::sqlite::connection>& s) {
    return s.all(select(categories), ctorm::joinedload(children)).size();
}
#endif
