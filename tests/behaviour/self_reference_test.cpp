// Foreign keys that point back: a category tree whose rows name their parent in the same table,
// departments and employees that reference each other, and teams and players whose references
// are NO ACTION both ways, created, filled, read back, cascaded and dropped on every backend.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace org {

struct Category {
    std::int64_t id{};
    std::optional<std::int64_t> parent_id{};  // NULL at the roots
    std::string name;
};
CTORM_TABLE(categories, Category,
            (id, primary_key),
            (parent_id, references(categories.id).on_delete(cascade)),
            (name, varchar<100>));

struct Department {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> manager_id{};  // NULL until someone manages it
};
struct Employee {
    std::int64_t id{};
    std::string name;
    std::int64_t department_id{};
};
CTORM_TABLE(departments, Department, (id, primary_key), (name, varchar<100>), (manager_id));
CTORM_TABLE(employees, Employee,
            (id, primary_key),
            (name, varchar<100>),
            (department_id, references(departments.id).on_delete(cascade)));
// departments is declared before employees, so its reference to employees comes after both.
CTORM_TABLE_CONSTRAINTS(departments,
                        foreign_key(departments.manager_id).references(employees.id).on_delete(set_null));

// A cycle whose keys are NO ACTION both ways: no row can be deleted while another points at it.
struct Team {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> captain_id{};
};
struct Player {
    std::int64_t id{};
    std::string name;
    std::int64_t team_id{};
};
CTORM_TABLE(teams, Team, (id, primary_key), (name, varchar<100>), (captain_id));
CTORM_TABLE(players, Player,
            (id, primary_key),
            (name, varchar<100>),
            (team_id, references(teams.id).on_delete(no_action)));
CTORM_TABLE_CONSTRAINTS(teams, foreign_key(teams.captain_id).references(players.id).on_delete(no_action));

}  // namespace org

using namespace org;
using ctorm::count;
using names = std::vector<std::string>;

namespace {

template <class DB>
std::int64_t add_category(DB& db, std::string name, std::optional<std::int64_t> parent) {
    return db.one(insert(categories).values(Category{.parent_id = parent, .name = name}).returning(categories.id));
}

}  // namespace

TEMPLATE_TEST_CASE("a table that references itself: a tree, and ON DELETE CASCADE down it", "[self_reference]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(categories);
    db.create_all(categories);  // again: nothing changes

    const auto books = add_category(db, "Books", std::nullopt);
    const auto music = add_category(db, "Music", std::nullopt);
    const auto fiction = add_category(db, "Fiction", books);
    add_category(db, "Poetry", books);
    add_category(db, "Crime", fiction);
    add_category(db, "Jazz", music);

    CHECK(db.all(select(categories.name).where(categories.parent_id == books).order_by(categories.name)) ==
          names{"Fiction", "Poetry"});
    CHECK(db.all(select(categories.name).where(categories.parent_id.is_null()).order_by(categories.name)) ==
          names{"Books", "Music"});
    const Category crime = db.one(select(categories).where(categories.name == "Crime"));
    CHECK(crime.parent_id == fiction);

    // The reference is enforced: no parent that does not exist.
    CHECK_THROWS_AS(add_category(db, "Orphan", 999999), ctorm::foreign_key_violation);

    // Deleting a category deletes its children, and theirs.
    CHECK(db.execute(delete_from(categories).where(categories.id == books)).rows_affected == 1);
    CHECK(db.all(select(categories.name).order_by(categories.name)) == names{"Jazz", "Music"});

    db.drop_all(categories);
    CHECK_THROWS_AS(db.scalar(select(count()).from(categories)), ctorm::programming_error);
}

TEMPLATE_TEST_CASE("tables that reference each other: created in either order, rows point both ways",
                   "[self_reference]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(departments, employees);
    db.create_all(employees, departments);  // again, the other way round: the tables and references stay

    const auto research = db.one(insert(departments).values(Department{.name = "Research"}).returning(departments.id));
    const auto sales = db.one(insert(departments).values(Department{.name = "Sales"}).returning(departments.id));
    const auto ann =
        db.one(insert(employees).values(Employee{.name = "Ann", .department_id = research}).returning(employees.id));
    const auto bob =
        db.one(insert(employees).values(Employee{.name = "Bob", .department_id = sales}).returning(employees.id));
    db.one(insert(employees).values(Employee{.name = "Cy", .department_id = research}).returning(employees.id));
    CHECK(db.execute(update(departments).set(departments.manager_id = ann).where(departments.id == research))
              .rows_affected == 1);
    CHECK(db.execute(update(departments).set(departments.manager_id = bob).where(departments.id == sales))
              .rows_affected == 1);

    using row = std::tuple<std::string, std::string>;
    CHECK(db.all(select(departments.name, employees.name)
                     .join(employees, employees.id == departments.manager_id)
                     .order_by(departments.name)) == std::vector<row>{{"Research", "Ann"}, {"Sales", "Bob"}});
    CHECK(db.scalar(select(count()).from(employees).where(employees.department_id == research)) == 2);

    // Both references are enforced, also the one that closes the cycle.
    CHECK_THROWS_AS(db.execute(update(departments).set(departments.manager_id = 999999).where(departments.id == sales)),
                    ctorm::foreign_key_violation);
    CHECK_THROWS_AS(db.execute(insert(employees).values(Employee{.name = "Dee", .department_id = 999999})),
                    ctorm::foreign_key_violation);

    // Bob leaves: Sales has no manager (SET NULL). Research closes: its people go (CASCADE).
    CHECK(db.execute(delete_from(employees).where(employees.id == bob)).rows_affected == 1);
    CHECK(db.one(select(departments.manager_id).where(departments.id == sales)) == std::nullopt);
    CHECK(db.execute(delete_from(departments).where(departments.id == research)).rows_affected == 1);
    CHECK(db.scalar(select(count()).from(employees)) == 0);

    // drop_all with rows that still point both ways.
    const auto eve =
        db.one(insert(employees).values(Employee{.name = "Eve", .department_id = sales}).returning(employees.id));
    db.execute(update(departments).set(departments.manager_id = eve).where(departments.id == sales));
    db.drop_all(departments, employees);
    CHECK_THROWS_AS(db.scalar(select(count()).from(departments)), ctorm::programming_error);
    CHECK_THROWS_AS(db.scalar(select(count()).from(employees)), ctorm::programming_error);
    db.drop_all(employees, departments);  // nothing left to drop: no error
}

TEMPLATE_TEST_CASE("tables that reference each other with NO ACTION keys: drop_all with the cycle filled",
                   "[self_reference]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(teams, players);

    const auto reds = db.one(insert(teams).values(Team{.name = "Reds"}).returning(teams.id));
    const auto ann = db.one(insert(players).values(Player{.name = "Ann", .team_id = reds}).returning(players.id));
    db.one(insert(players).values(Player{.name = "Bo", .team_id = reds}).returning(players.id));
    CHECK(db.execute(update(teams).set(teams.captain_id = ann).where(teams.id == reds)).rows_affected == 1);

    // NO ACTION holds both ways: neither a captain nor a team with players can be deleted.
    CHECK_THROWS_AS(db.execute(delete_from(players).where(players.id == ann)), ctorm::foreign_key_violation);
    CHECK_THROWS_AS(db.execute(delete_from(teams).where(teams.id == reds)), ctorm::foreign_key_violation);

    // Yet drop_all drops both tables, in either order written.
    db.drop_all(players, teams);
    CHECK_THROWS_AS(db.scalar(select(count()).from(teams)), ctorm::programming_error);
    CHECK_THROWS_AS(db.scalar(select(count()).from(players)), ctorm::programming_error);

    db.create_all(players, teams);
    const auto blues = db.one(insert(teams).values(Team{.name = "Blues"}).returning(teams.id));
    const auto cy = db.one(insert(players).values(Player{.name = "Cy", .team_id = blues}).returning(players.id));
    db.execute(update(teams).set(teams.captain_id = cy).where(teams.id == blues));
    db.drop_all(teams, players);
    CHECK_THROWS_AS(db.scalar(select(count()).from(teams)), ctorm::programming_error);

    // Foreign keys are checked at once again after drop_all.
    db.create_all(teams, players);
    CHECK_THROWS_AS(db.execute(insert(players).values(Player{.name = "Dee", .team_id = 999999})),
                    ctorm::foreign_key_violation);
}
