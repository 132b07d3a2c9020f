// expect: ctorm: any\(\) / has\(\) of a self-referential relationship \(see the type below\) would compare the table with itself
// Rule: the EXISTS subquery of categories.children.any() would name
// categories inside a query on categories; write it over an alias.
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
inline constexpr auto child = ctorm::alias<"child">(categories);

inline constexpr auto with_children =
    ctorm::select(categories.name)
        .where(ctorm::exists(ctorm::select(child.id).correlate(categories).where(child.parent_id == categories.id)));

#ifdef CTORM_COMPILE_FAIL
inline constexpr auto also_with_children = ctorm::select(categories.name).where(ctorm::any(children));
#endif
