// Enums stored by name (CTORM_ENUM): the enumerator's name as text on every
// backend (SQLite: TEXT with a CHECK of the names; PostgreSQL: a native enum
// type create_all makes), compared, filtered, grouped and ordered the same on
// both: in the enumerators' declared order, as PostgreSQL's enum types compare
// (Priority's names sort high, low, medium, urgent as text; declared, low,
// medium, high, urgent). The SQL is pinned in tests/unit/enum_names_sql_test.cpp.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace tracker {

enum class Priority { low, medium, high, urgent };
CTORM_ENUM(Priority, low, medium, high, urgent);

enum class Plain { a, b };  // no CTORM_ENUM: its integer, as before

struct Task {
    std::int64_t id{};
    std::string title{};
    Priority priority{};
    std::optional<Priority> escalated{};
    Plain plain{};
};

CTORM_TABLE(tasks, Task, (id, primary_key), (title), (priority), (escalated), (plain));

}  // namespace tracker

using namespace tracker;
using ctorm::cast;
using ctorm::count;

namespace {

template <class DB>
void seed(DB& db) {
    db.create_all(tasks);
    const std::vector<Task> rows{
        {.title = "a", .priority = Priority::high, .escalated = Priority::urgent, .plain = Plain::b},
        {.title = "b", .priority = Priority::low, .escalated = std::nullopt, .plain = Plain::a},
        {.title = "c", .priority = Priority::urgent, .escalated = Priority::low, .plain = Plain::a},
        {.title = "d", .priority = Priority::medium, .escalated = std::nullopt, .plain = Plain::b},
        {.title = "e", .priority = Priority::high, .escalated = Priority::medium, .plain = Plain::a}};
    REQUIRE(db.execute(insert(tasks).values(rows)).rows_affected == 5);
}

using titles = std::vector<std::string>;

}  // namespace

TEMPLATE_TEST_CASE("an enum stored by name round-trips, filters, groups and orders alike on every backend",
                   "[query][enum]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);

    SECTION("stored as the enumerator's name; read back as the enum") {
        CHECK(db.all(select(cast<std::string>(tasks.priority)).order_by(tasks.title)) ==
              titles{"high", "low", "urgent", "medium", "high"});
        const auto c = db.one(select(tasks).where(tasks.title == "c"));
        CHECK(c.priority == Priority::urgent);
        CHECK(c.escalated == Priority::low);
        CHECK(c.plain == Plain::a);
        CHECK(db.one(select(tasks.escalated).where(tasks.title == "b")) == std::nullopt);
        CHECK(db.one(select(cast<std::int64_t>(tasks.plain)).where(tasks.title == "a")) == 1);
    }
    SECTION("=, <>, IN of values and of a run-time list, NOT IN, IS NULL") {
        CHECK(db.all(select(tasks.title).where(tasks.priority == Priority::high).order_by(tasks.title)) ==
              titles{"a", "e"});
        CHECK(db.all(select(tasks.title).where(tasks.priority != Priority::high).order_by(tasks.title)) ==
              titles{"b", "c", "d"});
        CHECK(
            db.all(
                select(tasks.title).where(tasks.priority.in_(Priority::low, Priority::urgent)).order_by(tasks.title)) ==
            titles{"b", "c"});
        const std::vector<Priority> wanted{Priority::medium, Priority::urgent};
        CHECK(db.all(select(tasks.title).where(tasks.priority.in_(wanted)).order_by(tasks.title)) == titles{"c", "d"});
        CHECK(db.all(select(tasks.title).where(tasks.priority.not_in(wanted)).order_by(tasks.title)) ==
              titles{"a", "b", "e"});
        CHECK(db.all(select(tasks.title).where(tasks.escalated.is_null()).order_by(tasks.title)) == titles{"b", "d"});
    }
    SECTION("ORDER BY in declared order, ascending and descending, NULLs last as everywhere") {
        CHECK(db.all(select(tasks.title).order_by(tasks.priority, tasks.title)) == titles{"b", "d", "a", "e", "c"});
        CHECK(db.all(select(tasks.title).order_by(tasks.priority.desc(), tasks.title)) ==
              titles{"c", "a", "e", "d", "b"});
        CHECK(db.all(select(tasks.title).order_by(tasks.escalated, tasks.title)) == titles{"c", "e", "a", "b", "d"});
    }
    SECTION("<, >=, BETWEEN compare declared positions") {
        CHECK(db.all(select(tasks.title).where(tasks.priority > Priority::medium).order_by(tasks.title)) ==
              titles{"a", "c", "e"});
        CHECK(db.all(select(tasks.title).where(tasks.priority <= Priority::medium).order_by(tasks.title)) ==
              titles{"b", "d"});
        CHECK(db.all(select(tasks.title)
                         .where(tasks.priority.between(Priority::medium, Priority::high))
                         .order_by(tasks.title)) == titles{"a", "d", "e"});
        CHECK(db.all(select(tasks.title).where(tasks.escalated < tasks.priority).order_by(tasks.title)) ==
              titles{"c", "e"});
    }
    SECTION("MIN, MAX in declared order; GROUP BY") {
        const auto [lowest, highest] =
            db.one(select(ctorm::min(tasks.priority), ctorm::max(tasks.escalated)).from(tasks));
        CHECK(lowest == Priority::low);
        CHECK(highest == Priority::urgent);
        using row = std::tuple<Priority, std::int64_t>;
        CHECK(db.all(select(tasks.priority, count()).group_by(tasks.priority).order_by(tasks.priority)) ==
              std::vector<row>{{Priority::low, 1}, {Priority::medium, 1}, {Priority::high, 2}, {Priority::urgent, 1}});
        CHECK(db.one(select(ctorm::min(tasks.escalated)).from(tasks).where(tasks.title == "b")) == std::nullopt);
    }
    SECTION("UPDATE sets a name; a value in a select list and coalesce take the enum's type") {
        db.execute(update(tasks).set(tasks.priority = Priority::urgent).where(tasks.title == "b"));
        CHECK(db.one(select(tasks.priority).where(tasks.title == "b")) == Priority::urgent);
        CHECK(db.all(select(ctorm::coalesce(tasks.escalated, Priority::low)).order_by(tasks.title)) ==
              std::vector<Priority>{Priority::urgent, Priority::low, Priority::low, Priority::low, Priority::medium});
    }
    SECTION("a set operation ordered by the enum: declared order") {
        auto united = union_all(select(tasks.title, tasks.priority).where(tasks.title <= "b"),
                                select(tasks.title, tasks.priority).where(tasks.title > "b"))
                          .order_by(tasks.priority.desc(), tasks.title);
        std::vector<std::string> got;
        for (const auto& [title, priority] : db.all(united)) {
            (void)priority;
            got.push_back(title);
        }
        CHECK(got == titles{"c", "a", "e", "d", "b"});
    }
    SECTION("dynamic(): a run-time filter and sort key") {
        auto q = dynamic(select(tasks.title));
        q.where(tasks.priority != Priority::low);
        q.where(tasks.priority.in_(std::vector<Priority>{Priority::high, Priority::medium}));
        q.order_by(tasks.priority.desc(), tasks.title);
        CHECK(db.all(q) == titles{"a", "e", "d"});
    }
}

TEMPLATE_TEST_CASE("the session stores and loads enums by name", "[query][enum][orm]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(tasks);
    ctorm_test::statement_log log;
    log.attach(db);
    std::int64_t id = 0;
    {
        ctorm::session s(db);
        auto t = s.add(tasks, Task{.title = "write", .priority = Priority::medium});
        s.commit();
        id = t->id;
        t->escalated = Priority::high;
        t->priority = Priority::urgent;
        log.clear();
        s.commit();
        CHECK(log.count() == 3);  // BEGIN, one UPDATE of the two columns, COMMIT
    }
    const Task stored = db.one(select(tasks).where(tasks.id == id));
    CHECK(stored.priority == Priority::urgent);
    CHECK(stored.escalated == Priority::high);
    ctorm::session s(db);
    auto found = s.get(tasks, id);
    REQUIRE(found);
    CHECK(found->priority == Priority::urgent);
}

TEMPLATE_TEST_CASE("a value that is not one of CTORM_ENUM's names is refused", "[query][enum]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(tasks);
    const auto bad = Task{.title = "x", .priority = static_cast<Priority>(42)};
    CHECK_THROWS_WITH(db.execute(insert(tasks).values(bad)),
                      Catch::Contains("Priority value 42") && Catch::Contains("no name to store"));
    CHECK(db.one(select(count()).from(tasks)) == 0);
}

TEST_CASE("SQLite's CHECK refuses a text that is not a name", "[query][enum]") {
    ctorm::sqlite::connection db(":memory:");
    db.create_all(tasks);
    CHECK_THROWS_AS(
        db.execute_script("INSERT INTO \"tasks\" (\"title\", \"priority\", \"plain\") VALUES ('x', 'HIGH', 0)"),
        ctorm::check_violation);
}

TEMPLATE_TEST_CASE("create_all makes the enum type once; drop_all leaves it, and the statements stay valid",
                   "[query][enum]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(tasks);
    db.create_all(tasks);  // the type exists: kept, no error
    db.execute(insert(tasks).values(Task{.title = "kept", .priority = Priority::urgent}));
    db.drop_all(tasks);
    db.create_all(tasks);
    CHECK(db.one(select(count()).from(tasks)) == 0);
    db.execute(insert(tasks).values(Task{.title = "again", .priority = Priority::low}));
    CHECK(db.one(select(tasks.priority).where(tasks.title == "again")) == Priority::low);
}

#ifdef CTORM_TEST_WITH_POSTGRES
namespace tracker {
enum class Severity { minor, major };
CTORM_ENUM(Severity, minor, major);
struct Incident {
    std::int64_t id{};
    Severity severity{};
};
CTORM_TABLE(incidents, Incident, (id, primary_key), (severity));
}  // namespace tracker

TEMPLATE_TEST_CASE("PostgreSQL: create_all refuses a type of the enum's name that is not the enum", "[query][enum]",
                   ctorm_test::postgresql) {
    auto db = TestType::fresh();
    db.drop_all(incidents);
    db.execute_script("DROP TYPE IF EXISTS \"severity\"; CREATE TYPE \"severity\" AS ENUM ('major', 'minor')");
    CHECK_THROWS_WITH(db.create_all(incidents), Catch::Contains("the type \"severity\" exists and is not the enum "
                                                                "Severity (minor, major)") &&
                                                    Catch::Contains("42710"));
    db.execute_script("DROP TYPE \"severity\"");
    db.create_all(incidents);
    db.execute(insert(incidents).values(Incident{.severity = Severity::major}));
    CHECK(db.one(select(incidents.severity).from(incidents)) == Severity::major);
}
#endif
