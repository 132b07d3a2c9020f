// s.set(child, many_to_one, parent) on every backend: the child's foreign key
// set from the parent's key at flush, with the exact statements: a new parent
// through the many-to-one's save-update cascade (INSERTed first, the child
// with its new key), a persistent child moved to another parent (one UPDATE of
// the key alone), a second set before the flush replacing the first, both
// objects pending, and a failed flush rolling everything back.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstdint>
#include <string>

namespace blog {
// SQLAlchemy's default cascade on post.author: a new author set on a post goes in with it.
CTORM_CASCADES(posts, ctorm::cascade<"save-update">(post_author));
}  // namespace blog

namespace {

using namespace blog;
using statement_log = ctorm_test::data_statement_log;

Post post_titled(std::string title, std::int64_t author = 0) {
    Post p;
    p.title = std::move(title);
    p.content = "text";
    p.author_id = author;
    return p;
}

}  // namespace

TEMPLATE_TEST_CASE("s.set(child, many_to_one, parent): the child's key from its parent at flush", "[orm][cascade]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(users, posts);
    add_someone(db, "ann@x.io");
    add_someone(db, "bob@x.io");
    const std::int64_t ann_id = db.one(select(users.id).where(users.email == "ann@x.io"));
    const std::int64_t bob_id = db.one(select(users.id).where(users.email == "bob@x.io"));
    db.execute(insert(posts).values(post_titled("old", ann_id)));
    ctorm::session s(db);
    statement_log log;
    log.attach(db);

    SECTION("a new post and a new author through save-update: the author's INSERT, then the post's with its key") {
        auto p = s.add(posts, post_titled("new"));
        auto cid = s.set(p, post_author, User{.email = "cid@x.io", .name = "Cid"});
        CHECK(cid.state() == ctorm::object_state::pending);
        CHECK(log.count() == 0);
        s.flush();
        REQUIRE(log.count() == 2);
        CHECK(log.starts_with(0, "INSERT INTO \"users\""));
        CHECK(log.starts_with(1, "INSERT INTO \"posts\""));
        CHECK(p->author_id == cid->id);
        s.commit();
        CHECK(db.one(select(users.email).join(posts, posts.author_id == users.id).where(posts.title == "new")) ==
              "cid@x.io");
    }
    SECTION("a persistent post moved to another persistent author: one UPDATE of author_id") {
        auto p = s.one(select(posts).where(posts.title == "old"));
        auto bob = s.get(users, bob_id);
        log.clear();
        s.set(p, post_author, bob);
        s.flush();
        REQUIRE(log.count() == 1);
        CHECK(log.starts_with(0, "UPDATE \"posts\" SET \"author_id\" = "));
        CHECK(p->author_id == bob_id);
        s.commit();
        CHECK(db.one(select(posts.author_id).where(posts.title == "old")) == bob_id);
    }
    SECTION("set twice before the flush: the second parent wins") {
        auto p = s.one(select(posts).where(posts.title == "old"));
        auto bob = s.get(users, bob_id);
        auto ann = s.get(users, ann_id);
        s.set(p, post_author, bob);
        s.set(p, post_author, ann);  // back to the row's own author: nothing to write
        log.clear();
        s.flush();
        CHECK(log.count() == 0);
        CHECK(p->author_id == ann_id);
    }
    SECTION("a persistent post given a new author: INSERT of the author, then the post's UPDATE") {
        auto p = s.one(select(posts).where(posts.title == "old"));
        log.clear();
        auto dee = s.set(p, post_author, User{.email = "dee@x.io", .name = "Dee"});
        s.commit();
        REQUIRE(log.count() == 2);
        CHECK(log.starts_with(0, "INSERT INTO \"users\""));
        CHECK(log.starts_with(1, "UPDATE \"posts\" SET \"author_id\" = "));
        CHECK(db.one(select(posts.author_id).where(posts.title == "old")) == dee->id);
    }
    SECTION("both pending, added separately: two INSERTs, parent first") {
        auto p = s.add(posts, post_titled("mine"));
        auto eve = s.add(users, User{.email = "eve@x.io", .name = "Eve"});
        s.set(p, post_author, eve);
        s.flush();
        REQUIRE(log.count() == 2);
        CHECK(log.starts_with(0, "INSERT INTO \"users\""));
        CHECK(p->author_id == eve->id);
    }
    SECTION("a failed flush (a duplicate email) rolls both back: nothing written, the objects detached") {
        auto p = s.add(posts, post_titled("doomed"));
        auto dup = s.set(p, post_author, User{.email = "ann@x.io", .name = "Ann again"});
        CHECK_THROWS_AS(s.flush(), ctorm::integrity_error);
        CHECK(db.scalar(select(ctorm::count()).from(posts)) == 1);
        CHECK(user_count(db) == 2);
        CHECK(dup.state() != ctorm::object_state::persistent);
    }
    SECTION("an object of another session: session_error, no statement") {
        ctorm::session other(db);
        auto p = s.one(select(posts).where(posts.title == "old"));
        auto stranger = other.get(users, bob_id);
        log.clear();
        CHECK_THROWS_AS(s.set(p, post_author, stranger), ctorm::session_error);
        CHECK(log.count() == 0);
    }
}
