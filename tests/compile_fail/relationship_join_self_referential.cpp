// expect: ctorm: join\(\) of a self-referential relationship \(see the type below\) would join the table to itself
// Rule: joining categories.children would put categories in FROM twice under
// one name; a self-join goes through an alias with its own condition.
#include <cstdint>
#include <optional>
#include <string>

#include <ctorm/orm.hpp>

struct Category {
    std::int64_t id{};
    std::optional<std::int64_t> parent_id{};
    std::string name;
};
CTORM_TABLE(categories, Category, (id, primary_key), (parent_id, references(categories.id)), (name));
inline constexpr auto children = ctorm::one_to_many<"children">(categories, categories.parent_id);
inline constexpr auto parent = ctorm::alias<"parent">(categories);

inline constexpr auto with_parent =
    ctorm::select(categories.name, parent.name).from(categories).join(parent, categories.parent_id == parent.id);

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto with_children = ctorm::select(categories.name).from(categories).join(children);
#endif
