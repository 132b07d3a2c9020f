// s.refresh(object, columns...) on every backend: one SELECT of just those
// columns by the object's key, the columns overwritten in memory and in the
// row the session compares against, the other columns' unflushed changes
// kept and flushed; an expired object reloaded whole; a row that is gone.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstdint>
#include <string>
#include <tuple>

namespace {

using namespace blog;
using statement_log = ctorm_test::statement_log;

}  // namespace

TEMPLATE_TEST_CASE("s.refresh(object, columns...): those columns from the database, the rest as they are",
                   "[orm][session]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(users);
    add_someone(db, "ann@x.io");
    const std::int64_t id = db.one(select(users.id).where(users.email == "ann@x.io"));
    ctorm::session s(db);
    auto ann = s.get(users, id);
    REQUIRE(ann);
    statement_log log;
    log.attach(db);

    SECTION("one column: one SELECT of it; a local change to another column is kept and flushed") {
        ann->name = "Ann (unsaved)";
        // Another writer, past the session: the session does not know.
        db.execute(update(users).set(users.is_active = false, users.email = "ann@new.io").where(users.id == id));
        log.clear();
        s.refresh(ann, users.is_active);
        REQUIRE(log.count() == 1);
        CHECK(log.texts[0] ==
              std::string(ctorm::to_sql<typename TestType::dialect>(select(users.is_active).where(users.id == id))));
        CHECK_FALSE(ann->is_active);
        CHECK(ann->name == "Ann (unsaved)");
        CHECK(ann->email == "ann@x.io");  // not refreshed
        log.clear();
        s.commit();
        // Only the name differs from the row the session compares against.
        REQUIRE(log.count() == 2);
        CHECK(log.starts_with(0, "UPDATE \"users\" SET \"name\" = "));
        CHECK_FALSE(ctorm_test::contains(log.texts[0], "is_active"));
        CHECK_FALSE(ctorm_test::contains(log.texts[0], "email"));
        CHECK(log.texts[1] == "COMMIT");
        CHECK(db.one(select(users.name, users.is_active).where(users.id == id)) ==
              std::tuple<std::string, bool>{"Ann (unsaved)", false});
    }
    SECTION("several columns: their local changes are thrown away, nothing left to flush") {
        ann->name = "changed";
        ann->email = "changed@x.io";
        log.clear();
        s.refresh(ann, users.name, users.email);
        REQUIRE(log.count() == 1);
        CHECK(log.texts[0] == std::string(ctorm::to_sql<typename TestType::dialect>(
                                  select(users.name, users.email).where(users.id == id))));
        CHECK(ann->name == "someone");
        CHECK(ann->email == "ann@x.io");
        log.clear();
        s.flush();
        CHECK(log.count() == 0);
    }
    SECTION("an expired object is reloaded whole, in one SELECT") {
        s.expire(ann);
        db.execute(update(users).set(users.name = "renamed").where(users.id == id));
        log.clear();
        s.refresh(ann, users.email);
        REQUIRE(log.count() == 1);
        CHECK(log.starts_with(0, "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\""));
        CHECK(ann->name == "renamed");
        CHECK(ann.state() == ctorm::object_state::persistent);
    }
    SECTION("a row that is gone: no_result_found, the object detached") {
        db.execute(delete_from(users).where(users.id == id));
        log.clear();
        try {
            s.refresh(ann, users.name);
            FAIL("no exception");
        } catch (const ctorm::no_result_found& e) {
            CHECK(ctorm_test::contains(e.what(), "refresh(): the row of users"));
            CHECK(ctorm_test::contains(e.what(), "is gone; the object is detached"));
        }
        CHECK(log.count() == 1);
        CHECK(ann.state() == ctorm::object_state::detached);
        CHECK_FALSE(s.get(users, id));
    }
    SECTION("an object of another session: session_error, no statement") {
        ctorm::session other(db);
        auto again = other.get(users, id);
        log.clear();
        CHECK_THROWS_AS(s.refresh(again, users.name), ctorm::session_error);
        CHECK(log.count() == 0);
    }
}
