// on_update(now()): an UPDATE that does not set the column sets it to the
// server's now(), through update(t).set(...) and through the session's
// flush, on every backend; an UPDATE that sets it keeps the value given. The
// flush's UPDATE reads the stamp back (RETURNING) into the session's object.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace notes_schema {

struct Note {
    std::int64_t id{};
    std::string body;
    ctorm::timestamp created_at{};
    ctorm::timestamp updated_at{};
};

CTORM_TABLE(notes, Note,
            (id, primary_key),
            (body),
            (created_at, server_default(now())),
            (updated_at, server_default(now()), on_update(now())));

}  // namespace notes_schema

using namespace notes_schema;
using ctorm_test::at;

// The text per dialect: the on_update column follows the columns set.
static_assert(
    ctorm::to_sql<ctorm::sqlite_dialect>(update(notes).set(notes.body = "x").where(notes.id == 1)) ==
    R"(UPDATE "notes" SET "body" = ?, "updated_at" = (strftime('%Y-%m-%d %H:%M:%f', 'now') || '000') WHERE "notes"."id" = ?)");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(update(notes).set(notes.body = "x").where(notes.id == 1)) ==
              R"(UPDATE "notes" SET "body" = $1, "updated_at" = now() WHERE "notes"."id" = $2)");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(
                  update(notes).set(notes.updated_at = ctorm::timestamp{}, notes.body = "x").where(notes.id == 1)) ==
              R"(UPDATE "notes" SET "updated_at" = $1, "body" = $2 WHERE "notes"."id" = $3)");

// The session's UPDATE of one changed column, per dialect: the stamp follows
// the columns set, and comes back in the same statement.
static_assert(
    ctorm::to_sql<ctorm::sqlite_dialect, ctorm::detail::fixed_columns_update<ctorm_table_notes, 2>>() ==
    R"(UPDATE "notes" SET "body" = ?, "updated_at" = (strftime('%Y-%m-%d %H:%M:%f', 'now') || '000') WHERE "id" = ? RETURNING "updated_at")");
static_assert(ctorm::to_sql<ctorm::postgres_dialect, ctorm::detail::fixed_columns_update<ctorm_table_notes, 2>>() ==
              R"(UPDATE "notes" SET "body" = $1, "updated_at" = now() WHERE "id" = $2 RETURNING "updated_at")");

namespace {

template <class C>
ctorm::timestamp updated_of(C& db, std::int64_t id) {
    return db.one(select(notes.updated_at).where(notes.id == id));
}

}  // namespace

TEMPLATE_TEST_CASE("on_update(now()): update(t).set(...) stamps the column unless it sets it", "[orm][on_update]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh("on_update");
    db.create_all(notes);
    db.execute(insert(notes).values(Note{.body = "first"}));
    const std::int64_t id = db.scalar(select(ctorm::max(notes.id)).from(notes)).value();
    const ctorm::timestamp long_ago = at(2000, 1, 1);

    // Setting the column itself: the value given is kept, no now().
    const auto back_dated = update(notes).set(notes.updated_at = long_ago).where(notes.id == id);
    CHECK(std::string(ctorm::to_sql<D>(back_dated)).find("now()") == std::string::npos);
    db.execute(back_dated);
    CHECK(updated_of(db, id) == long_ago);

    // Any other change stamps it with the server's time.
    const auto edit = update(notes).set(notes.body = "second").where(notes.id == id);
    db.execute(edit);
    CHECK(updated_of(db, id) > at(2020, 1, 1));
    CHECK(db.one(select(notes.body).where(notes.id == id)) == "second");
}

TEMPLATE_TEST_CASE("on_update(now()): the session's flush stamps it in its one UPDATE", "[orm][on_update]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh("on_update_session");
    db.create_all(notes);
    db.execute(insert(notes).values(Note{.body = "first"}));
    const std::int64_t id = db.scalar(select(ctorm::max(notes.id)).from(notes)).value();
    db.execute(update(notes).set(notes.updated_at = at(2000, 1, 1)).where(notes.id == id));

    ctorm_test::statement_log log;
    log.attach(db);
    {
        ctorm::session s(db);
        auto note = s.get(notes, id);
        REQUIRE(note);
        note->body = "edited";
        log.texts.clear();
        s.commit();
        // BEGIN was sent by get(); the flush sends one UPDATE, then COMMIT.
        REQUIRE(log.texts.size() == 2);
        CHECK(log.texts[0].rfind("UPDATE \"notes\" SET \"body\" = ", 0) == 0);
        CHECK(log.texts[0].find(", \"updated_at\" = ") != std::string::npos);
        CHECK(log.texts[0].ends_with(" RETURNING \"updated_at\""));
        CHECK(log.texts[1] == "COMMIT");
        // The object holds the stamp the server wrote, read back by that UPDATE.
        CHECK(note->updated_at > at(2020, 1, 1));
        CHECK(note->updated_at == updated_of(db, id));
        // It is the session's view of the row now: nothing more to flush (the
        // session begins its next transaction, and sends no UPDATE).
        log.texts.clear();
        s.flush();
        CHECK(std::none_of(log.texts.begin(), log.texts.end(),
                           [](const std::string& t) { return t.starts_with("UPDATE"); }));
    }
    CHECK(updated_of(db, id) > at(2020, 1, 1));
    CHECK(db.one(select(notes.body).where(notes.id == id)) == "edited");
}

TEMPLATE_TEST_CASE("on_update(now()): several changed columns, and a row gone, through the read-back UPDATE",
                   "[orm][on_update]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh("on_update_many");
    db.create_all(notes);
    db.execute(insert(notes).values(Note{.body = "first"}));
    const std::int64_t id = db.scalar(select(ctorm::max(notes.id)).from(notes)).value();
    db.execute(update(notes).set(notes.updated_at = at(2000, 1, 1)).where(notes.id == id));

    ctorm_test::statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto note = s.get(notes, id);
    REQUIRE(note);
    // Two columns: the UPDATE whose text is made at run time, RETURNING too.
    note->body = "edited";
    note->created_at = at(2001, 2, 3);
    log.texts.clear();
    s.flush();
    REQUIRE(log.texts.size() == 1);
    CHECK(log.texts[0].ends_with(" RETURNING \"updated_at\""));
    CHECK(note->updated_at > at(2020, 1, 1));
    CHECK(note->updated_at == updated_of(db, id));
    CHECK(db.one(select(notes.created_at).where(notes.id == id)) == at(2001, 2, 3));

    // Setting the stamp itself: the value given is written and read back.
    note->updated_at = at(1999, 12, 31);
    s.flush();
    CHECK(note->updated_at == at(1999, 12, 31));
    CHECK(updated_of(db, id) == at(1999, 12, 31));

    // The row deleted behind the session's back: no row comes back, stale_data_error.
    db.execute(ctorm::delete_from(notes).where(notes.id == id));
    note->body = "too late";
    CHECK_THROWS_AS(s.flush(), ctorm::stale_data_error);
}
