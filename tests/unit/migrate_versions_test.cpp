// migrate::registry and offline mode, with no database: what a registry
// refuses (a revision given twice, an unknown down revision, a cycle, an id
// that is not a plain word), heads and history, the plans of upgrade and
// downgrade ("head", "heads", "+N", "-N", "base", a revision; branches and a
// merge), and the exact SQL upgrade_sql / downgrade_sql print per dialect.
#include <catch2/catch.hpp>

#include <ctorm/migrate/versions.hpp>

#include <string>
#include <vector>

namespace m = ctorm::migrate;

namespace {

using ops = std::vector<m::operation>;
using statements = std::vector<std::string>;

m::migration unit(std::string revision, std::vector<std::string> down, ops up = {}, ops back = {}) {
    return {std::move(revision), std::move(down), "a message", [up] { return up; }, [back] { return back; }};
}

std::vector<std::string> revisions(const std::vector<m::migration_step>& plan) {
    std::vector<std::string> out;
    for (const m::migration_step& s : plan) out.push_back((s.up ? "+" : "-") + s.unit->revision);
    return out;
}

m::table_schema notes(bool pg) {
    m::table_schema t;
    t.name = "notes";
    t.columns = {{.name = "id", .type = pg ? "BIGINT" : "INTEGER", .nullable = false, .autoincrement = true},
                 {.name = "body", .type = "TEXT", .nullable = false}};
    t.primary_key = {"id"};
    return t;
}

m::registry notes_registry(bool pg) {
    const m::column_schema extra{.name = "extra", .type = "TEXT"};
    return m::registry({
        unit("a1", {}, {m::add_table{notes(pg)}}, {m::drop_table{notes(pg)}}),
        unit("a2", {"a1"}, {m::add_column{"notes", extra}, m::alter_column_nullable{"notes", "body", false, true}},
             {m::alter_column_nullable{"notes", "body", true, false}, m::drop_column{"notes", extra}}),
    });
}

}  // namespace

TEST_CASE("registry: what it refuses, each naming the revision") {
    CHECK_THROWS_WITH(m::registry({unit("a", {}), unit("a", {})}), "ctorm: migrate: revision a is defined twice");
    CHECK_THROWS_WITH(m::registry({unit("a", {}), unit("b", {"zz"})}),
                      "ctorm: migrate: revision b names down revision zz, which no migration has");
    CHECK_THROWS_WITH(m::registry({unit("a", {}), unit("b", {"a", "c"}), unit("c", {"b"})}),
                      "ctorm: migrate: revision b is in a cycle of down revisions (or below one)");
    CHECK_THROWS_WITH(m::registry({unit("a", {}), unit("b", {"a", "a"})}),
                      "ctorm: migrate: revision b names down revision a twice");
    CHECK_THROWS_WITH(m::registry({unit("a-1", {})}),
                      "ctorm: migrate: revision id 'a-1' must be 1 to 32 letters, digits or underscores");
    CHECK_THROWS_WITH(m::registry({unit(std::string(33, 'a'), {})}), Catch::Contains("must be 1 to 32 letters"));
    CHECK_THROWS_WITH(m::registry({unit("head", {})}), Catch::Contains("revision id head is a word upgrade"));
    CHECK_THROWS_WITH(m::registry({unit("a", {})}, "x\"y"),
                      "ctorm: migrate: version table name 'x\"y' must be 1 to 32 letters, digits or underscores");
    m::migration no_downgrade = unit("a", {});
    no_downgrade.downgrade = nullptr;
    CHECK_THROWS_WITH(m::registry({no_downgrade}), "ctorm: migrate: revision a has no downgrade function");
    CHECK_THROWS_WITH(m::registry({unit("a", {})}).get("b"), "ctorm: migrate: no migration has revision b");
}

TEST_CASE("registry: heads, bases, history; the plans of upgrade and downgrade") {
    // base1 <- left, right <- merged <- after; the merge given before its parents.
    const m::registry reg({unit("merged", {"left", "right"}), unit("base1", {}), unit("left", {"base1"}),
                           unit("right", {"base1"}), unit("after", {"merged"})});
    CHECK(reg.heads() == statements{"after"});
    CHECK(reg.bases() == statements{"base1"});
    std::vector<std::string> newest_first;
    for (const m::migration* u : reg.history()) newest_first.push_back(u->revision);
    CHECK(newest_first == statements{"after", "merged", "right", "left", "base1"});
    // A copy is whole on its own.
    const m::registry copy = [&] {
        const m::registry original = reg;
        return original;
    }();
    CHECK(copy.history().front()->revision == "after");
    CHECK(&copy.history().front()->revision == &copy.get("after").revision);

    CHECK(revisions(m::upgrade_plan(reg, {}, "head")) == statements{"+base1", "+left", "+right", "+merged", "+after"});
    CHECK(revisions(m::upgrade_plan(reg, {}, "+2")) == statements{"+base1", "+left"});
    CHECK(revisions(m::upgrade_plan(reg, {"left"}, "merged")) == statements{"+right", "+merged"});
    CHECK(revisions(m::upgrade_plan(reg, {"left", "right"}, "+1")) == statements{"+merged"});
    CHECK(m::upgrade_plan(reg, {"after"}, "head").empty());
    CHECK_THROWS_WITH(m::upgrade_plan(reg, {"merged"}, "+2"),
                      "ctorm: migrate: cannot upgrade +2: only 1 revision(s) are left to the head");
    CHECK_THROWS_WITH(m::upgrade_plan(reg, {}, "+x"), Catch::Contains("+x is not a revision"));
    CHECK_THROWS_WITH(m::upgrade_plan(reg, {"gone"}, "head"),
                      "ctorm: migrate: the database is at revision gone, which no migration of the registry has");

    CHECK(revisions(m::downgrade_plan(reg, {"after"}, "-1")) == statements{"-after"});
    CHECK(revisions(m::downgrade_plan(reg, {"after"}, "-2")) == statements{"-after", "-merged"});
    CHECK(revisions(m::downgrade_plan(reg, {"after"}, "left")) == statements{"-after", "-merged"});
    CHECK(revisions(m::downgrade_plan(reg, {"after"}, "base")) ==
          statements{"-after", "-merged", "-right", "-left", "-base1"});
    // -N walks down each revision's first down revision: after, merged, left, base1.
    CHECK(revisions(m::downgrade_plan(reg, {"after"}, "-3")) == statements{"-after", "-merged", "-right", "-left"});
    CHECK(revisions(m::downgrade_plan(reg, {"after"}, "-4")) ==
          statements{"-after", "-merged", "-right", "-left", "-base1"});
    CHECK(revisions(m::downgrade_plan(reg, {"left"}, "-2")) == statements{"-left", "-base1"});
    CHECK_THROWS_WITH(m::downgrade_plan(reg, {"left"}, "-3"),
                      "ctorm: migrate: cannot downgrade -3: only 2 revision(s) can be undone from left");
    CHECK_THROWS_WITH(m::downgrade_plan(reg, {"left"}, "right"),
                      "ctorm: migrate: cannot downgrade to right: the database is not at it or above it (current: "
                      "left)");
    CHECK_THROWS_WITH(m::downgrade_plan(reg, {"left", "right"}, "-1"),
                      "ctorm: migrate: cannot downgrade -1: the database has several heads (left, right); name the "
                      "revision to go down to");

    const m::registry two_heads({unit("a", {}), unit("b", {"a"}), unit("c", {"a"})});
    CHECK_THROWS_WITH(m::upgrade_plan(two_heads, {}, "head"),
                      "ctorm: migrate: head is ambiguous: the registry has 2 heads (b, c); name one revision, ask "
                      "for \"heads\", or add a merge revision");
    CHECK(revisions(m::upgrade_plan(two_heads, {}, "heads")) == statements{"+a", "+b", "+c"});
}

TEST_CASE("offline: upgrade_sql and downgrade_sql per dialect, SQLite's batch mode included") {
    const std::string create_version_table =
        "CREATE TABLE IF NOT EXISTS \"ctorm_version\" (\"version_num\" VARCHAR(32) NOT NULL, CONSTRAINT "
        "\"ctorm_version_pkc\" PRIMARY KEY (\"version_num\"))";
    const std::string rebuild_tail[] = {
        "INSERT INTO \"_ctorm_tmp_notes\" (\"id\", \"body\", \"extra\") SELECT \"id\", \"body\", \"extra\" FROM "
        "\"notes\"",
        "DROP TABLE \"notes\"", "ALTER TABLE \"_ctorm_tmp_notes\" RENAME TO \"notes\""};
    // a2's alter_column_nullable is batch mode on SQLite, from the schema a1 and a2's add_column make.
    CHECK(m::upgrade_sql(notes_registry(false), "base", "head", ctorm::sqlite_dialect{}) ==
          statements{create_version_table, "BEGIN",
                     "CREATE TABLE \"notes\" (\"id\" INTEGER PRIMARY KEY, \"body\" TEXT NOT NULL) STRICT",
                     "INSERT INTO \"ctorm_version\" (\"version_num\") VALUES ('a1')", "COMMIT",
                     "PRAGMA foreign_keys = OFF", "BEGIN", "ALTER TABLE \"notes\" ADD COLUMN \"extra\" TEXT",
                     "CREATE TABLE \"_ctorm_tmp_notes\" (\"id\" INTEGER PRIMARY KEY, \"body\" TEXT, \"extra\" TEXT) "
                     "STRICT",
                     rebuild_tail[0], rebuild_tail[1], rebuild_tail[2],
                     "UPDATE \"ctorm_version\" SET \"version_num\" = 'a2' WHERE \"version_num\" = 'a1'", "COMMIT",
                     "PRAGMA foreign_keys = ON"});
    CHECK(m::upgrade_sql(notes_registry(true), "base", "head", ctorm::postgres_dialect{}) ==
          statements{create_version_table, "BEGIN",
                     "CREATE TABLE \"notes\" (\"id\" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, \"body\" "
                     "TEXT NOT NULL)",
                     "INSERT INTO \"ctorm_version\" (\"version_num\") VALUES ('a1')", "COMMIT", "BEGIN",
                     "ALTER TABLE \"notes\" ADD COLUMN \"extra\" TEXT",
                     "ALTER TABLE \"notes\" ALTER COLUMN \"body\" DROP NOT NULL",
                     "UPDATE \"ctorm_version\" SET \"version_num\" = 'a2' WHERE \"version_num\" = 'a1'", "COMMIT"});
    // From a1 on: no CREATE of the version table; the schema at a1 read from a1's operations.
    CHECK(m::upgrade_sql(notes_registry(true), "a1", "+1", ctorm::postgres_dialect{}).front() == "BEGIN");
    CHECK(m::downgrade_sql(notes_registry(false), "a2", "base", ctorm::sqlite_dialect{}) ==
          statements{"PRAGMA foreign_keys = OFF", "BEGIN",
                     "CREATE TABLE \"_ctorm_tmp_notes\" (\"id\" INTEGER PRIMARY KEY, \"body\" TEXT NOT NULL, "
                     "\"extra\" TEXT) STRICT",
                     rebuild_tail[0], rebuild_tail[1], rebuild_tail[2], "ALTER TABLE \"notes\" DROP COLUMN \"extra\"",
                     "UPDATE \"ctorm_version\" SET \"version_num\" = 'a1' WHERE \"version_num\" = 'a2'", "COMMIT",
                     "PRAGMA foreign_keys = ON", "BEGIN", "DROP TABLE \"notes\"",
                     "DELETE FROM \"ctorm_version\" WHERE \"version_num\" = 'a1'", "COMMIT"});
    CHECK(m::downgrade_sql(notes_registry(true), "a2", "-1", ctorm::postgres_dialect{}) ==
          statements{"BEGIN", "ALTER TABLE \"notes\" ALTER COLUMN \"body\" SET NOT NULL",
                     "ALTER TABLE \"notes\" DROP COLUMN \"extra\"",
                     "UPDATE \"ctorm_version\" SET \"version_num\" = 'a1' WHERE \"version_num\" = 'a2'", "COMMIT"});
    // Another version table (Alembic's), and a merge: one row deleted, the other updated.
    const m::registry merge({unit("a", {}), unit("b", {"a"}), unit("c", {"a"}), unit("d", {"b", "c"})},
                            std::string(m::alembic_version_table));
    CHECK(m::upgrade_sql(merge, "base", "heads", ctorm::sqlite_dialect{}) ==
          statements{"CREATE TABLE IF NOT EXISTS \"alembic_version\" (\"version_num\" VARCHAR(32) NOT NULL, "
                     "CONSTRAINT \"alembic_version_pkc\" PRIMARY KEY (\"version_num\"))",
                     "BEGIN", "INSERT INTO \"alembic_version\" (\"version_num\") VALUES ('a')", "COMMIT", "BEGIN",
                     "UPDATE \"alembic_version\" SET \"version_num\" = 'b' WHERE \"version_num\" = 'a'", "COMMIT",
                     "BEGIN", "INSERT INTO \"alembic_version\" (\"version_num\") VALUES ('c')", "COMMIT", "BEGIN",
                     "DELETE FROM \"alembic_version\" WHERE \"version_num\" = 'c'",
                     "UPDATE \"alembic_version\" SET \"version_num\" = 'd' WHERE \"version_num\" = 'b'", "COMMIT"});
    CHECK(m::downgrade_sql(merge, "d", "-1", ctorm::postgres_dialect{}) ==
          statements{"BEGIN", "UPDATE \"alembic_version\" SET \"version_num\" = 'b' WHERE \"version_num\" = 'd'",
                     "INSERT INTO \"alembic_version\" (\"version_num\") VALUES ('c')", "COMMIT"});
}
