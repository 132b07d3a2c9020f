// Bulk UPDATE and DELETE through the session on every backend, with
// synchronize_session::fetch: one statement with RETURNING of the primary key,
// only the objects of the rows it wrote expired (UPDATE) or deleted (DELETE),
// the others untouched; a rollback brings deleted ones back (expired); composite keys;
// the default (expire the whole table) beside it.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstdint>
#include <string>

namespace {

using namespace blog;
using statement_log = ctorm_test::data_statement_log;
using ctorm::synchronize_session;

template <class Handle>
bool is_expired(const Handle& h) {
    try {
        (void)h->name;
        return false;
    } catch (const ctorm::expired_object_error&) {
        return true;
    }
}

}  // namespace

TEMPLATE_TEST_CASE("synchronize_session::fetch: only the rows a bulk statement wrote", "[orm][session]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(users);
    for (const char* email : {"ann@x.io", "bob@x.io", "cid@x.io"}) add_someone(db, email);
    db.execute(update(users).set(users.is_active = false).where(users.email == "cid@x.io"));
    ctorm::session s(db);
    auto all = s.all(select(users).order_by(users.id));
    REQUIRE(all.size() == 3);
    auto ann = all[0], bob = all[1], cid = all[2];
    statement_log log;
    log.attach(db);

    SECTION("UPDATE: one statement with RETURNING; the changed row's object expired, the others not") {
        const auto r =
            s.execute(update(users).set(users.name = "sleeper").where(!users.is_active), synchronize_session::fetch);
        CHECK(r.rows_affected == 1);
        REQUIRE(log.count() == 1);
        CHECK(log.starts_with(0, "UPDATE \"users\" SET \"name\" = "));
        CHECK(ctorm_test::contains(log.texts[0], " RETURNING \"users\".\"id\""));
        CHECK(is_expired(cid));
        CHECK_FALSE(is_expired(ann));
        CHECK_FALSE(is_expired(bob));
        log.clear();
        s.refresh(cid);
        CHECK(cid->name == "sleeper");
        CHECK(log.count() == 1);
    }
    SECTION("UPDATE matching nothing: rows_affected 0, nothing expired") {
        const auto r = s.execute(update(users).set(users.name = "x").where(users.email == "nobody@x.io"),
                                 synchronize_session::fetch);
        CHECK(r.rows_affected == 0);
        CHECK(log.count() == 1);
        CHECK_FALSE(is_expired(ann));
        CHECK_FALSE(is_expired(cid));
    }
    SECTION("the default expires every object of the table") {
        s.execute(update(users).set(users.name = "sleeper").where(!users.is_active));
        CHECK(log.count() == 1);
        CHECK(is_expired(ann));
        CHECK(is_expired(bob));
        CHECK(is_expired(cid));
    }
    SECTION("synchronize_session::expire_table, written out, is the default") {
        s.execute(update(users).set(users.name = "sleeper").where(!users.is_active), synchronize_session::expire_table);
        CHECK(log.count() == 1);
        CHECK_FALSE(ctorm_test::contains(log.texts[0], "RETURNING"));
        CHECK(is_expired(ann));
        CHECK(is_expired(cid));
    }
    SECTION("DELETE: the deleted rows' objects are deleted, detached at commit; the others stay") {
        const auto r = s.execute(delete_from(users).where(users.email != "ann@x.io"), synchronize_session::fetch);
        CHECK(r.rows_affected == 2);
        REQUIRE(log.count() == 1);
        CHECK(ctorm_test::contains(log.texts[0], " RETURNING \"users\".\"id\""));
        CHECK(bob.state() == ctorm::object_state::deleted);
        CHECK(cid.state() == ctorm::object_state::deleted);
        CHECK(ann.state() == ctorm::object_state::persistent);
        CHECK_FALSE(is_expired(ann));
        s.commit();
        CHECK(bob.state() == ctorm::object_state::detached);
        CHECK(ann.state() == ctorm::object_state::persistent);
        CHECK(user_count(db) == 1);
    }
    SECTION("DELETE then rollback: the rows and their objects are back") {
        const std::int64_t bob_id = bob->id;
        s.execute(delete_from(users).where(users.email == "bob@x.io"), synchronize_session::fetch);
        CHECK(bob.state() == ctorm::object_state::deleted);
        s.rollback();
        // Back in the identity map, expired as every object is after a rollback.
        CHECK(bob.state() == ctorm::object_state::persistent);
        CHECK(is_expired(bob));
        CHECK(user_count(db) == 3);
        CHECK(s.get(users, bob_id) == bob);
        CHECK(bob->email == "bob@x.io");
    }
    SECTION("autoflush first: a pending change is written before the bulk statement sees the rows") {
        ann->is_active = false;
        log.clear();
        const auto r =
            s.execute(update(users).set(users.name = "sleeper").where(!users.is_active), synchronize_session::fetch);
        CHECK(r.rows_affected == 2);  // ann's flushed change, then cid
        CHECK(log.count() == 2);      // the flush's UPDATE, then the bulk one
        CHECK(is_expired(ann));
        CHECK(is_expired(cid));
        CHECK_FALSE(is_expired(bob));
    }
}

TEMPLATE_TEST_CASE("synchronize_session::fetch with a composite primary key", "[orm][session]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(users, posts, post_tags);
    add_someone(db, "ann@x.io");
    const std::int64_t author = db.one(select(users.id));
    Post p;
    p.title = "t";
    p.content = "c";
    p.author_id = author;
    const std::int64_t post = db.one(insert(posts).values(p).returning(posts.id));
    for (const char* tag : {"a", "b", "c"}) db.execute(insert(post_tags).values(PostTag{.post_id = post, .tag = tag}));
    ctorm::session s(db);
    auto tags = s.all(select(post_tags).order_by(post_tags.tag));
    REQUIRE(tags.size() == 3);
    statement_log log;
    log.attach(db);

    const auto r =
        s.execute(update(post_tags).set(post_tags.weight = 5).where(post_tags.tag != "b"), synchronize_session::fetch);
    CHECK(r.rows_affected == 2);
    REQUIRE(log.count() == 1);
    CHECK(ctorm_test::contains(log.texts[0], " RETURNING \"post_tags\".\"post_id\", \"post_tags\".\"tag\""));
    auto expired = [](const auto& h) {
        try {
            (void)h->weight;
            return false;
        } catch (const ctorm::expired_object_error&) {
            return true;
        }
    };
    CHECK(expired(tags[0]));
    CHECK_FALSE(expired(tags[1]));
    CHECK(expired(tags[2]));
}
