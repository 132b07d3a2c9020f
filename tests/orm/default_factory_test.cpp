// default_factory(f): a value computed in C++ for each new row whose field
// holds its type's default value, as the project-tracker guide's
// `id = mapped_column(String, primary_key=True, default=lambda: str(uuid4()))`:
// the session's flush sets the object's field before its INSERT (the object
// then holds it), insert(t).values(row) and values(rows) insert copies that
// have it and leave the caller's rows alone, and a field already set keeps its
// value. On every backend, with the statements counted.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tracker {

// The keys the factory hands out: "p-1", "p-2", ... (the tests read the counter).
inline int keys_issued = 0;
inline std::string new_key() { return "p-" + std::to_string(++keys_issued); }

struct Project {
    std::string id{};
    std::string name{};
    ctorm::timestamp created_at{};
    std::optional<std::string> code{};
};

CTORM_TABLE(projects, Project,
            (id, primary_key, default_factory([] { return tracker::new_key(); })),
            (name),
            (created_at, default_factory([] { return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
             })),
            (code, default_factory([] { return std::string("none"); })));

}  // namespace tracker

using namespace tracker;
using ctorm_test::at;

static_assert(!std::is_void_v<ctorm::column_traits<decltype(projects.id)>::factory>);
static_assert(std::is_void_v<ctorm::column_traits<decltype(projects.name)>::factory>);

TEMPLATE_TEST_CASE("default_factory: the session's flush fills the new object's unset fields", "[orm][default_factory]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(projects);
    ctorm_test::statement_log log;
    log.attach(db);
    const int before = keys_issued;
    const auto started = std::chrono::system_clock::now() - std::chrono::seconds(1);
    {
        ctorm::session s(db);
        auto fresh = s.add(projects, Project{.name = "launch"});
        auto named = s.add(projects, Project{.id = "mine", .name = "kept", .code = "K-7"});
        CHECK(fresh->id.empty());  // nothing happens before the flush
        log.texts.clear();
        s.commit();
        // BEGIN, one INSERT per object, COMMIT: no statement for the values.
        CHECK(log.texts.size() == 4);
        CHECK(fresh->id == "p-" + std::to_string(before + 1));
        CHECK(fresh->created_at >= started);
        CHECK(fresh->code == "none");
        CHECK(named->id == "mine");  // set: kept, and no key used up
        CHECK(named->code == "K-7");
        CHECK(keys_issued == before + 1);
    }
    const auto rows = db.all(select(projects).order_by(projects.name));
    REQUIRE(rows.size() == 2);  // before the merge below
    CHECK(rows[0].name == "kept");
    CHECK(rows[0].id == "mine");
    CHECK(rows[1].id == "p-" + std::to_string(before + 1));
    CHECK(rows[1].code == "none");
    CHECK(rows[1].created_at >= started);
    // merge() of a new object whose key the factory has not given yet: added,
    // with no SELECT for an empty key.
    {
        ctorm::session s(db);
        log.texts.clear();
        auto merged = s.merge(projects, Project{.name = "merged"});
        CHECK(log.texts.empty());
        s.commit();
        CHECK(log.texts.size() == 3);  // BEGIN, INSERT, COMMIT
        CHECK(merged->id == "p-" + std::to_string(before + 2));
    }
    // The object is found by the key the factory gave it.
    ctorm::session s(db);
    auto found = s.get(projects, std::string("p-" + std::to_string(before + 1)));
    REQUIRE(found);
    CHECK(found->name == "launch");
}

TEMPLATE_TEST_CASE("default_factory: insert(t).values() inserts filled copies, one or many", "[orm][default_factory]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(projects);
    // The INSERT names every column: the values are the client's, not the database's.
    CHECK(std::string(ctorm::to_sql<ctorm::sqlite_dialect>(insert(projects).values(Project{}))) ==
          R"(INSERT INTO "projects" ("id", "name", "created_at", "code") VALUES (?, ?, ?, ?))");
    const Project one{.name = "alone", .created_at = at(2001, 2, 3)};
    db.execute(insert(projects).values(one));
    CHECK(one.id.empty());  // the caller's row is not changed
    std::vector<Project> many(50);
    for (std::size_t i = 0; i < many.size(); ++i) many[i].name = "bulk " + std::to_string(i);
    many[7].id = "seventh";
    db.execute(insert(projects).values(many));
    db.execute(insert(projects).values(Project{.name = "moved"}));
    CHECK(many[0].id.empty());

    const auto rows = db.all(select(projects));
    REQUIRE(rows.size() == 52);
    std::set<std::string> ids;
    for (const Project& p : rows) {
        ids.insert(p.id);
        CHECK(!p.id.empty());
        CHECK(p.code == "none");
        if (p.name == "alone") CHECK(p.created_at == at(2001, 2, 3));  // set: kept
        else CHECK(p.created_at > at(2020, 1, 1));
    }
    CHECK(ids.size() == 52);  // a key of its own each
    CHECK(ids.count("seventh") == 1);
    // fill_defaults gives a row its values where the caller wants to see them first.
    Project mine{.name = "seen"};
    CHECK(ctorm::fill_defaults(projects, mine) == 3);
    CHECK(!mine.id.empty());
    CHECK(ctorm::fill_defaults(projects, mine) == 0);
}
