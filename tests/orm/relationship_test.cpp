// Relationships through the session on every backend: selectinload of
// users.posts (one-to-many) and posts.author (many-to-one) with the exact
// number of statements (1 + one per batch of 500 keys), related objects
// through the identity map, explicit lazy loading (s.load) of one object and
// of many, and not_loaded_error with no statement sent.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace blog;

namespace {

// The statements a connection sends, BEGIN and COMMIT left out.
using statement_log = ctorm_test::data_statement_log;

// n users, user i with i % 3 posts (ids in insertion order), in one transaction.
template <class C>
void add_users_with_posts(C& db, int n) {
    auto tx = db.begin();
    for (int i = 0; i < n; ++i) {
        const std::int64_t id =
            db.one(insert(users)
                       .values(User{.email = "u" + std::to_string(i) + "@x.io", .name = "user " + std::to_string(i)})
                       .returning(users.id));
        for (int p = 0; p < i % 3; ++p)
            db.execute(insert(posts).values(Post{.title = "post " + std::to_string(p) + " of " + std::to_string(i),
                                                 .content = "",
                                                 .author_id = id,
                                                 .published_at = std::nullopt}));
    }
    tx.commit();
}

}  // namespace

TEMPLATE_TEST_CASE("selectinload(users.posts): 1 + ceil(N/500) statements for N parents", "[orm][relationship]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db, 501);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("no parent: the parents' SELECT only") {
        auto r = s.all(select(users).where(users.id < 0), ctorm::selectinload(user_posts));
        CHECK(r.empty());
        CHECK(log.count() == 1);
    }
    SECTION("one parent: 2 statements") {
        auto r = s.all(select(users).where(users.id == 3), ctorm::selectinload(user_posts));
        REQUIRE(r.size() == 1);
        CHECK(log.count() == 2);
        const auto& of_3 = r.get(user_posts, r[0]);
        REQUIRE(of_3.size() == 2);  // user index 2: 2 posts
        CHECK(of_3[0]->title == "post 0 of 2");
        CHECK(of_3[1]->title == "post 1 of 2");
        CHECK(of_3[0]->author_id == 3);
        CHECK(log.texts[1].find("FROM \"posts\" WHERE \"posts\".\"author_id\"") != std::string::npos);
    }
    SECTION("501 parents: 1 + 2 statements, one statement text for both batches") {
        auto r = s.all(select(users).order_by(users.id), ctorm::selectinload(user_posts));
        REQUIRE(r.size() == 501);
        REQUIRE(log.count() == 3);
        CHECK(log.texts[1] == log.texts[2]);
        std::size_t total = 0;
        for (std::size_t i = 0; i < r.size(); ++i) {
            const auto& children = r.get(user_posts, r[i]);
            CHECK(children.size() == i % 3);
            for (const auto& p : children) CHECK(p->author_id == r[i]->id);
            total += children.size();
        }
        CHECK(total == 501);  // 167 users with 1 post, 167 with 2
        CHECK(db.scalar(select(ctorm::count()).from(posts)) == static_cast<std::int64_t>(total));
    }
}

TEMPLATE_TEST_CASE("loaded children and parents are the session's objects: the same handles as get and all",
                   "[orm][relationship]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db, 3);  // user 3 has posts 2 and 3
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto first_post = s.get(posts, std::int64_t{2});
    REQUIRE(first_post);
    log.clear();
    auto r = s.all(select(users).where(users.id == 3), ctorm::selectinload(user_posts));
    CHECK(log.count() == 2);
    const auto& children = r.get(user_posts, r[0]);
    REQUIRE(children.size() == 2);
    CHECK(children[0] == first_post);                     // the object get() returned
    CHECK(children[1] == s.get(posts, std::int64_t{3}));  // and get() returns the loaded one, no SQL
    CHECK(r[0] == s.get(users, std::int64_t{3}));
    CHECK(log.count() == 2);

    // Many-to-one: every post of the query gets the session's user object.
    log.clear();
    auto by_post = s.all(select(posts).order_by(posts.id), ctorm::selectinload(post_author));
    CHECK(log.count() == 2);
    REQUIRE(by_post.size() == 3);
    CHECK(by_post.get(post_author, by_post[0]) == s.get(users, std::int64_t{2}));
    CHECK(by_post.get(post_author, by_post[1]) == r[0]);
    CHECK(by_post.get(post_author, by_post[2]) == r[0]);
    CHECK(log.count() == 2);
}

TEMPLATE_TEST_CASE("selectinload(posts.author) over 751 posts by 501 authors: one batch per 500 distinct keys",
                   "[orm][relationship]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db, 752);  // 751 posts, by 501 distinct authors
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto r = s.all(select(posts).order_by(posts.id), ctorm::selectinload(post_author));
    REQUIRE(r.size() == 751);
    CHECK(log.count() == 1 + 2);  // 501 distinct author ids
    for (const auto& p : r) CHECK(r.get(post_author, p)->id == p->author_id);
}

TEMPLATE_TEST_CASE("s.load: one object's relationship in exactly 1 statement, many objects' in 1 per 500 keys",
                   "[orm][relationship]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db, 501);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto ann = s.get(users, std::int64_t{3});
    REQUIRE(ann);
    log.clear();
    const std::vector<ctorm::handle<Post>> of_ann = s.load(ann, user_posts);
    CHECK(log.count() == 1);
    REQUIRE(of_ann.size() == 2);
    CHECK(of_ann[0] == s.get(posts, of_ann[0]->id));
    CHECK(log.count() == 1);

    // Many-to-one, one object: 1 statement, the session's user.
    log.clear();
    const ctorm::handle<User> author = s.load(of_ann[1], post_author);
    CHECK(log.count() == 1);
    CHECK(author == ann);

    // A user with no post: 1 statement, an empty collection.
    auto nobody = s.get(users, std::int64_t{1});
    log.clear();
    CHECK(s.load(nobody, user_posts).empty());
    CHECK(log.count() == 1);

    // Batched: every user, 501 parents -> 2 statements; the users are already in the session.
    auto everyone = s.all(select(users).order_by(users.id));
    log.clear();
    auto loaded = s.load(everyone, user_posts);
    CHECK(log.count() == 2);
    REQUIRE(loaded.size() == 501);
    CHECK(loaded[2] == ann);
    CHECK(loaded.get(user_posts, ann) == of_ann);
    CHECK(s.load(std::vector<ctorm::handle<User>>{}, user_posts).empty());
    CHECK(log.count() == 2);  // no parent: no statement
}

TEMPLATE_TEST_CASE("reading a relationship for an object the result did not load: not_loaded_error, no statement",
                   "[orm][relationship]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db, 4);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto r = s.all(select(users).where(users.id <= 2), ctorm::selectinload(user_posts));
    REQUIRE(r.size() == 2);
    auto other = s.get(users, std::int64_t{3});  // not one of r's objects
    REQUIRE(other);
    log.clear();
    static_assert(decltype(r)::has(user_posts));
    CHECK_THROWS_AS(r.get(user_posts, other), ctorm::not_loaded_error);
    CHECK_THROWS_WITH(r.get(user_posts, other), Catch::Contains("relationship users.posts was not loaded"));
    CHECK(log.count() == 0);
    CHECK(r.get(user_posts, r[1]).size() == 1);
    CHECK(log.count() == 0);
}

TEMPLATE_TEST_CASE("nested selectinload: users -> posts -> tags, and users -> posts -> author, one level at a time",
                   "[orm][relationship]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db, 601);  // 600 posts by 400 users
    {
        // Post p gets p % 4 tags.
        auto tx = db.begin();
        for (const std::int64_t id : db.all(select(posts.id).from(posts)))
            for (std::int64_t t = 0; t < id % 4; ++t)
                db.execute(insert(post_tags).values(PostTag{.post_id = id, .tag = "t" + std::to_string(t)}));
        tx.commit();
    }
    const auto tag_rows = static_cast<std::size_t>(db.scalar(select(ctorm::count()).from(post_tags)));
    REQUIRE(tag_rows == 900);  // 150 posts each of 0, 1, 2, 3 tags
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("three levels: 1 + 1 (601 users' keys, 2 batches -> 2) + 2 (600 posts' keys) statements") {
        auto r = s.all(select(users).order_by(users.id), ctorm::selectinload(user_posts).selectinload(post_tag_rows));
        REQUIRE(r.size() == 601);
        CHECK(log.count() == 1 + 2 + 2);
        std::size_t posts_seen = 0, tags_seen = 0;
        for (const auto& u : r) {
            for (const auto& p : r.get(user_posts, u)) {
                ++posts_seen;
                const auto& tags = r.get(post_tag_rows, p);
                REQUIRE(tags.size() == static_cast<std::size_t>(p->id % 4));
                for (std::size_t t = 0; t < tags.size(); ++t) {
                    CHECK(tags[t]->post_id == p->id);
                    CHECK(tags[t]->tag == "t" + std::to_string(t));  // in key order
                }
                tags_seen += tags.size();
            }
        }
        CHECK(posts_seen == 600);
        CHECK(tags_seen == tag_rows);
        CHECK(log.count() == 1 + 2 + 2);  // reading sent nothing
    }
    SECTION("two paths sharing their first step: users.posts is loaded once") {
        auto r = s.all(select(users).where(users.id <= 10).order_by(users.id), ctorm::selectinload(user_posts),
                       ctorm::selectinload(user_posts).selectinload(post_author),
                       ctorm::selectinload(user_posts).selectinload(post_tag_rows));
        CHECK(log.count() == 1 + 1 + 1 + 1);
        for (const auto& u : r)
            for (const auto& p : r.get(user_posts, u)) {
                CHECK(r.get(post_author, p) == u);  // back to the same object
                CHECK(r.get(post_tag_rows, p).size() == static_cast<std::size_t>(p->id % 4));
            }
    }
    SECTION("a user with no post: no statement for the next level") {
        auto r = s.all(select(users).where(users.id == 1), ctorm::selectinload(user_posts).selectinload(post_tag_rows));
        REQUIRE(r.size() == 1);
        CHECK(r.get(user_posts, r[0]).empty());
        CHECK(log.count() == 2);
    }
}
