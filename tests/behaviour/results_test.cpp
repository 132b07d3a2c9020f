// The results API on every backend: all(), first(), one(), one_or_none(),
// scalar(), and streaming a select with range-for (structured bindings, early
// break, other statements, the same statement type included, run inside the loop).
#include "support/sqlite_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

using namespace blog;
using ctorm::count;

namespace {

using ctorm_test::contains;

// Five users, ids in insertion order: ann, bob, cy, dee, eve.
template <class DB>
std::vector<std::int64_t> seed_users(DB& db) {
    std::vector<User> people;
    for (const char* name : {"ann", "bob", "cy", "dee", "eve"}) {
        people.push_back(User{.email = std::string(name) + "@example.com", .name = name});
    }
    REQUIRE(db.execute(insert(users).values(people)).rows_affected == 5);
    return db.all(select(users.id).order_by(users.id));
}

}  // namespace

TEMPLATE_TEST_CASE("all() returns every row, and an empty vector for none", "[results]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    CHECK(db.all(select(users)).empty());
    CHECK(db.all(select(users.id, users.email)).empty());

    const auto ids = seed_users(db);
    REQUIRE(ids.size() == 5);
    const std::vector<User> all_users = db.all(select(users).order_by(users.id));
    REQUIRE(all_users.size() == 5);
    CHECK(all_users.front().name == "ann");
    CHECK(all_users.back().name == "eve");
    const std::vector<std::tuple<std::int64_t, std::string>> pairs =
        db.all(select(users.id, users.name).order_by(users.id));
    CHECK(pairs.size() == 5);
    CHECK(std::get<0>(pairs[1]) == ids[1]);
    CHECK(std::get<1>(pairs[1]) == "bob");
    CHECK(db.all(select(users.name).where(users.id > ids[2]).order_by(users.id)) ==
          std::vector<std::string>{"dee", "eve"});
    // The result object of execute() reads the same rows.
    auto streamed = db.execute(select(users.name).order_by(users.id.desc()));
    CHECK(streamed.all() == std::vector<std::string>{"eve", "dee", "cy", "bob", "ann"});
}

TEMPLATE_TEST_CASE("first() gives the first row or nullopt", "[results]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    CHECK_FALSE(db.first(select(users)).has_value());
    CHECK_FALSE(db.first(select(users.email)).has_value());

    const auto ids = seed_users(db);
    const std::optional<User> newest = db.first(select(users).order_by(users.id.desc()));
    REQUIRE(newest.has_value());
    CHECK(newest->name == "eve");
    CHECK(db.first(select(users.name).order_by(users.id)) == std::optional<std::string>("ann"));
    CHECK_FALSE(db.first(select(users.name).where(users.name == "zed")).has_value());
    const auto pair = db.first(select(users.id, users.email).where(users.name == "cy"));
    REQUIRE(pair.has_value());
    CHECK(std::get<0>(*pair) == ids[2]);
    CHECK(std::get<1>(*pair) == "cy@example.com");
    // first() leaves the other rows unread; the statement is ready to run again.
    CHECK(db.first(select(users.name).order_by(users.id)) == std::optional<std::string>("ann"));
    CHECK(db.all(select(users.name).order_by(users.id)).size() == 5);
}

TEMPLATE_TEST_CASE("one() needs exactly one row", "[results]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    CHECK_THROWS_AS(db.one(select(users)), ctorm::no_result_found);
    const auto ids = seed_users(db);

    const User bob = db.one(select(users).where(users.email == "bob@example.com"));
    CHECK(bob.id == ids[1]);
    CHECK(db.one(select(users.name).where(users.id == ids[3])) == "dee");
    CHECK(db.one(select(count()).from(users)) == 5);

    try {
        (void)db.one(select(users).where(users.name == "zed"));
        FAIL("one() returned a row that does not exist");
    } catch (const ctorm::no_result_found& e) {
        // The message names the statement.
        CHECK(contains(e.what(), "no row"));
        CHECK(contains(e.what(), "FROM \"users\""));
    }
    try {
        (void)db.one(select(users.name).where(users.id > ids[2]));
        FAIL("one() accepted two rows");
    } catch (const ctorm::multiple_results_found& e) {
        CHECK(contains(e.what(), "multiple rows"));
    }
    CHECK_THROWS_AS(db.one(select(users.id)), ctorm::multiple_results_found);
    CHECK_THROWS_AS(db.one(select(users).where(users.id < 0)), ctorm::error);  // both derive from ctorm::error
    // After the errors the connection works normally.
    CHECK(db.one(select(users.name).where(users.id == ids[0])) == "ann");
}

TEMPLATE_TEST_CASE("one_or_none() gives nullopt for no row and throws for two", "[results]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    CHECK_FALSE(db.one_or_none(select(users)).has_value());
    const auto ids = seed_users(db);
    CHECK_FALSE(db.one_or_none(select(users).where(users.name == "zed")).has_value());
    const std::optional<User> cy = db.one_or_none(select(users).where(users.name == "cy"));
    REQUIRE(cy.has_value());
    CHECK(cy->id == ids[2]);
    CHECK(db.one_or_none(select(users.email).where(users.id == ids[4])) ==
          std::optional<std::string>("eve@example.com"));
    CHECK_THROWS_AS(db.one_or_none(select(users.name).where(users.id >= ids[3])), ctorm::multiple_results_found);
    CHECK(db.one_or_none(select(users.name).where(users.id >= ids[4])) == std::optional<std::string>("eve"));
}

TEMPLATE_TEST_CASE("scalar() gives the first row's single value", "[results]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    CHECK(db.scalar(select(count()).from(users)) == 0);
    CHECK_THROWS_AS(db.scalar(select(users.name)), ctorm::no_result_found);
    const auto ids = seed_users(db);
    CHECK(db.scalar(select(count()).from(users)) == 5);
    CHECK(db.scalar(select(count()).from(users).where(users.name.like("%e%"))) == 2);
    CHECK(db.scalar(select(users.name).order_by(users.id.desc())) == "eve");
    CHECK(db.scalar(select(users.id).where(users.email == "cy@example.com")) == ids[2]);
    // A nullable column gives an optional, empty for NULL.
    db.execute(
        insert(posts).values(Post{.title = "t", .content = "c", .author_id = ids[0], .published_at = std::nullopt}));
    const std::optional<ctorm::timestamp> published = db.scalar(select(posts.published_at));
    CHECK_FALSE(published.has_value());
}

TEMPLATE_TEST_CASE("streaming a select with range-for and structured bindings", "[results]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    for (auto [id, email] : db.execute(select(users.id, users.email))) {
        FAIL("a row from an empty table: " << id << " " << email);
    }
    const auto ids = seed_users(db);

    std::vector<std::int64_t> seen_ids;
    std::vector<std::string> seen_emails;
    for (auto [id, email] : db.execute(select(users.id, users.email).order_by(users.id))) {
        seen_ids.push_back(id);
        seen_emails.push_back(email);
    }
    CHECK(seen_ids == ids);
    CHECK(seen_emails == std::vector<std::string>{"ann@example.com", "bob@example.com", "cy@example.com",
                                                  "dee@example.com", "eve@example.com"});

    std::vector<std::string> names;
    for (const User& u : db.execute(select(users).where(users.id >= ids[3]).order_by(users.id))) {
        names.push_back(u.name);
    }
    CHECK(names == std::vector<std::string>{"dee", "eve"});

    // A bound value made in the loop header lives as long as the loop.
    int matches = 0;
    for (const auto& email : db.execute(select(users.email).where(users.name == std::string("bob")))) {
        CHECK(email == "bob@example.com");
        ++matches;
    }
    CHECK(matches == 1);

    // Leaving early, then running the same statement again from the start.
    for (auto [id, email] : db.execute(select(users.id, users.email).order_by(users.id))) {
        CHECK(id == ids[0]);
        CHECK(email == "ann@example.com");
        break;
    }
    int rows = 0;
    for (auto [id, email] : db.execute(select(users.id, users.email).order_by(users.id))) {
        CHECK(id == ids[static_cast<std::size_t>(rows)]);
        CHECK_FALSE(email.empty());
        ++rows;
    }
    CHECK(rows == 5);

    // Iterator use without range-for.
    auto result = db.execute(select(users.name).order_by(users.id));
    auto it = result.begin();
    REQUIRE_FALSE(it == result.end());
    CHECK(*it == "ann");
    ++it;
    CHECK(*it == "bob");
    CHECK(it->size() == 3);
}

TEMPLATE_TEST_CASE("other statements run inside a streaming loop, the same statement type too", "[results]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto ids = seed_users(db);

    int outer = 0;
    for (auto [id, email] : db.execute(select(users.id, users.email).order_by(users.id))) {
        // A different statement reading the row being visited.
        CHECK(db.one(select(users.email).where(users.id == id)) == email);
        // The very statement type of the loop, read in full while the loop reads it.
        const std::vector<std::tuple<std::int64_t, std::string>> inner =
            db.all(select(users.id, users.email).order_by(users.id));
        CHECK(inner.size() == 5);
        CHECK(std::get<1>(inner[0]) == "ann@example.com");
        // ... and streamed in a nested loop.
        int nested = 0;
        for (auto [inner_id, inner_email] : db.execute(select(users.id, users.email).order_by(users.id))) {
            CHECK(inner_id == ids[static_cast<std::size_t>(nested)]);
            CHECK_FALSE(inner_email.empty());
            ++nested;
        }
        CHECK(nested == 5);
        CHECK(db.first(select(users.id, users.email).order_by(users.id)).has_value());
        // Writes to another table.
        const auto r = db.execute(insert(posts).values(Post{.title = "post by " + email,
                                                            .content = "x",
                                                            .author_id = id,
                                                            .views = outer,
                                                            .published_at = std::nullopt}));
        CHECK(r.rows_affected == 1);
        // A bulk insert, which runs its own transaction, while the read is open.
        const std::vector<PostTag> tags = {
            PostTag{.post_id = db.one(select(posts.id).where(posts.author_id == id)), .tag = "a"},
            PostTag{.post_id = db.one(select(posts.id).where(posts.author_id == id)), .tag = "b"}};
        CHECK(db.execute(insert(post_tags).values(tags)).rows_affected == 2);
        CHECK_FALSE(db.in_transaction());
        ++outer;
    }
    CHECK(outer == 5);
    CHECK(db.scalar(select(count()).from(posts)) == 5);
    CHECK(db.scalar(select(count()).from(post_tags)) == 10);
    CHECK(db.one(select(posts.title).where(posts.author_id == ids[2])) == "post by cy@example.com");
    CHECK(db.one(select(posts.views).where(posts.author_id == ids[4])) == 4);

    // Updating rows of another table as each row is visited.
    int visited = 0;
    for (auto [post_id, views] : db.execute(select(posts.id, posts.views).order_by(posts.id))) {
        CHECK(db.execute(update(posts).set(posts.views = views + 100).where(posts.id == post_id)).rows_affected == 1);
        ++visited;
    }
    CHECK(visited == 5);
    CHECK(db.scalar(select(count()).from(posts).where(posts.views >= 100)) == 5);
}

#if 1
// Regression (fixed): two results of the same statement type that are alive
// at once share one prepared statement when the first has not been stepped yet
// (sqlite3_stmt_busy is false until the first step), so the second execute()
// rebinds it and the first result reads the second one's rows.
TEMPLATE_TEST_CASE("two results of one statement type alive at once keep their own values", "[results]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto ids = seed_users(db);
    auto first = db.execute(select(users.name).where(users.id == ids[0]));
    auto second = db.execute(select(users.name).where(users.id == ids[1]));
    CHECK(first.all() == std::vector<std::string>{"ann"});
    CHECK(second.all() == std::vector<std::string>{"bob"});

    auto third = db.execute(select(users.name).where(users.id == ids[2]));
    CHECK(db.first(select(users.name).where(users.id == ids[3])) == std::optional<std::string>("dee"));
    CHECK(third.all() == std::vector<std::string>{"cy"});
}
#endif
