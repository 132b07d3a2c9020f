// expect: ctorm: the session inserts parents before children, and the foreign keys of this table
// Rule: the session orders its INSERTs by the foreign keys between tables, computed
// at compile time; tables whose keys form a cycle (a -> b -> a) have no such order.
// A table that references itself is fine (its rows are ordered at run time).
#include <cstdint>
#include <optional>
#include <string>

#include <ctorm/orm.hpp>
#include <ctorm/sqlite.hpp>

namespace tree {
struct Category {
    std::int64_t id{};
    std::optional<std::int64_t> parent_id;
};
CTORM_TABLE(categories, Category, (id, primary_key), (parent_id, references(categories.id)));
static_assert(ctorm::mapping_traits<ctorm_table_categories>::flush_rank == 0);
inline void use(ctorm::session<ctorm::sqlite::connection>& s) {
    s.add(categories, Category{.id = 0, .parent_id = std::nullopt});
}
}  // namespace tree

namespace cycle {
struct Employee {
    std::int64_t id{};
    std::int64_t department_id{};
};
struct Department {
    std::int64_t id{};
    std::optional<std::int64_t> manager_id;
};
CTORM_TABLE(departments, Department, (id, primary_key), (manager_id));
CTORM_TABLE(employees, Employee, (id, primary_key), (department_id, references(departments.id)));
CTORM_TABLE_CONSTRAINTS(departments, foreign_key(departments.manager_id).references(employees.id));
static_assert(ctorm::mapping_traits<ctorm_table_departments>::flush_rank == -1);

#ifdef CTORM_COMPILE_FAIL
inline void use(ctorm::session<ctorm::sqlite::connection>& s) {
    s.add(departments, Department{.id = 0, .manager_id = std::nullopt});
}
#endif
}  // namespace cycle
