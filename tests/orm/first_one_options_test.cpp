// s.first(q, options...) and s.one(q, options...) on every backend: the
// query sent with LIMIT 1 (first) or LIMIT 2 (one), then the relationships
// loaded for the one object found, with the exact number of statements; one()
// throws before loading anything when it finds no row or several; a limit
// already on the query is kept when smaller; joinedload of a collection keeps
// the whole collection of the first owner.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace blog {
CTORM_BACK_POPULATES(user_posts, post_author);
}

namespace {

using namespace blog;
using statement_log = ctorm_test::data_statement_log;

// The first statement of a first(q, options...) is q with LIMIT 1, per dialect.
static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(select(users).order_by(users.name).limit(1)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\" FROM \"users\" ORDER BY \"users\".\"name\" LIMIT ?");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(select(users).order_by(users.name).limit(1)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\" FROM \"users\" ORDER BY \"users\".\"name\" LIMIT $1");

// ann (3 posts), bob (2 posts), cid (none), in that id order.
template <class C>
void add_people(C& db) {
    auto tx = db.begin();
    const std::vector<std::pair<std::string, int>> people{{"ann", 3}, {"bob", 2}, {"cid", 0}};
    for (const auto& [name, n] : people) {
        const std::int64_t id =
            db.one(insert(users).values(User{.email = name + "@x.io", .name = name}).returning(users.id));
        for (int i = 0; i < n; ++i) {
            Post p;
            p.title = name + " " + std::to_string(i);
            p.content = "text";
            p.author_id = id;
            db.execute(insert(posts).values(p));
        }
    }
    tx.commit();
}

template <class Result>
std::vector<std::string> titles(const Result& r) {
    std::vector<std::string> out;
    for (const auto& p : r.get(user_posts, r.front())) out.push_back(p->title);
    return out;
}

}  // namespace

TEMPLATE_TEST_CASE("s.first(q, options...): LIMIT 1, then the first object's relationships", "[orm][relationship]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(users, posts);
    add_people(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("selectinload: 2 statements, the first sent with LIMIT") {
        auto r = s.first(select(users).order_by(users.name.desc()), ctorm::selectinload(user_posts));
        CHECK(log.count() == 2);
        REQUIRE(r.size() == 1);
        CHECK(r.front()->name == "cid");
        CHECK(r.get(user_posts, r.front()).empty());
        CHECK(log.texts[0].find(" LIMIT ") != std::string::npos);

        log.clear();
        auto ann = s.first(select(users).where(users.name == "ann"), ctorm::selectinload(user_posts));
        CHECK(log.count() == 2);
        REQUIRE(ann.size() == 1);
        CHECK(titles(ann) == std::vector<std::string>{"ann 0", "ann 1", "ann 2"});
        // back_populates gave each post its author, and they are the session's objects.
        for (const auto& p : ann.get(user_posts, ann.front())) CHECK(ann.get(post_author, p) == ann.front());
        CHECK(s.get(users, ann.front()->id) == ann.front());
        CHECK(log.count() == 2);
    }
    SECTION("no row: 1 statement, an empty result, front() an empty handle") {
        auto r = s.first(select(users).where(users.name == "nobody"), ctorm::selectinload(user_posts));
        CHECK(log.count() == 1);
        CHECK(r.empty());
        CHECK_FALSE(r.front());
    }
    SECTION("joinedload of a collection: 1 statement, the first owner with all its posts") {
        auto r = s.first(select(users).order_by(users.id), ctorm::joinedload(user_posts));
        CHECK(log.count() == 1);
        REQUIRE(r.size() == 1);
        CHECK(r.front()->name == "ann");
        CHECK(titles(r) == std::vector<std::string>{"ann 0", "ann 1", "ann 2"});
    }
    SECTION("joinedload of a many-to-one: 1 statement") {
        auto r = s.first(select(posts).where(posts.title == "bob 1"), ctorm::joinedload(post_author));
        CHECK(log.count() == 1);
        REQUIRE(r.size() == 1);
        CHECK(r.get(post_author, r.front())->name == "bob");
    }
    SECTION("nested: the first user, its posts, and their authors again (given by back_populates)") {
        auto r = s.first(select(users).order_by(users.id).offset(1),
                         ctorm::selectinload(user_posts).selectinload(post_author));
        CHECK(log.count() == 2);
        REQUIRE(r.size() == 1);
        CHECK(r.front()->name == "bob");
        CHECK(titles(r) == std::vector<std::string>{"bob 0", "bob 1"});
    }
    SECTION("a limit of 0 on the query is kept: no object") {
        auto r = s.first(select(users).order_by(users.id).limit(0), ctorm::selectinload(user_posts));
        CHECK(log.count() == 1);
        CHECK(r.empty());
    }
}

TEMPLATE_TEST_CASE("s.one(q, options...): exactly one object, checked before anything is loaded", "[orm][relationship]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(users, posts);
    add_people(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("one row: 2 statements") {
        auto r = s.one(select(users).where(users.name == "bob"), ctorm::selectinload(user_posts));
        CHECK(log.count() == 2);
        REQUIRE(r.size() == 1);
        CHECK(titles(r) == std::vector<std::string>{"bob 0", "bob 1"});
    }
    SECTION("several rows: multiple_results_found after 1 statement (LIMIT 2), nothing loaded") {
        CHECK_THROWS_AS(s.one(select(users).where(users.is_active), ctorm::selectinload(user_posts)),
                        ctorm::multiple_results_found);
        CHECK(log.count() == 1);
        CHECK(log.texts[0].find(" LIMIT ") != std::string::npos);
    }
    SECTION("no row: no_result_found after 1 statement") {
        CHECK_THROWS_AS(s.one(select(users).where(users.name == "nobody"), ctorm::selectinload(user_posts)),
                        ctorm::no_result_found);
        CHECK(log.count() == 1);
    }
    SECTION("joinedload: 1 statement either way") {
        auto r = s.one(select(users).where(users.name == "ann"), ctorm::joinedload(user_posts));
        CHECK(log.count() == 1);
        CHECK(titles(r) == std::vector<std::string>{"ann 0", "ann 1", "ann 2"});
        log.clear();
        CHECK_THROWS_AS(s.one(select(users), ctorm::joinedload(user_posts)), ctorm::multiple_results_found);
        CHECK(log.count() == 1);
    }
    SECTION("the session is usable after the throw, and the objects it loaded are its own") {
        CHECK_THROWS_AS(s.one(select(users), ctorm::selectinload(user_posts)), ctorm::multiple_results_found);
        auto ann = s.one(select(users).where(users.name == "ann"), ctorm::selectinload(user_posts));
        CHECK(s.get(users, ann.front()->id) == ann.front());
        CHECK(log.count() == 1 + 2);
    }
}
