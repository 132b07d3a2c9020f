// RETURNING on insert, update and delete, and upsert (ON CONFLICT DO NOTHING /
// DO UPDATE with excluded()), on every backend: SQLite 3.35+ and PostgreSQL
// run the same statements with the same results.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

using namespace blog;
using ctorm::excluded;

namespace {

template <class DB>
std::int64_t add_user(DB& db, const std::string& email, const std::string& name) {
    return db.one(insert(users).values(User{.email = email, .name = name}).returning(users.id));
}

}  // namespace

TEMPLATE_TEST_CASE("insert ... returning gives the values the database filled in", "[returning]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto before = std::chrono::system_clock::now();

    const std::int64_t ann =
        db.one(insert(users).values(User{.email = "ann@example.com", .name = "Ann"}).returning(users.id));
    CHECK(ann > 0);
    CHECK(db.one(select(users.name).where(users.id == ann)) == "Ann");

    // Several columns: a tuple; server defaults included.
    const auto [bob, active, created] = db.one(insert(users)
                                                   .values(users.email = "bob@example.com", users.name = "Bob")
                                                   .returning(users.id, users.is_active, users.created_at));
    CHECK(bob > ann);
    CHECK(active);
    CHECK(created > before - std::chrono::minutes{2});
    CHECK(created < std::chrono::system_clock::now() + std::chrono::minutes{2});

    // The whole row as the model.
    const User cy = db.one(
        insert(users).values(User{.email = "cy@example.com", .name = "Cy", .is_active = false}).returning(users));
    CHECK(cy.id > bob);
    CHECK(cy.email == "cy@example.com");
    CHECK_FALSE(cy.is_active);
    CHECK(cy.created_at != ctorm::timestamp{});
    const User stored = db.one(select(users).where(users.id == cy.id));
    CHECK(stored.created_at == cy.created_at);

    // An expression of the new row.
    const std::int32_t doubled = db.one(
        insert(posts)
            .values(Post{.title = "T", .content = "C", .author_id = ann, .views = 21, .published_at = std::nullopt})
            .returning(posts.views * 2));
    CHECK(doubled == 42);
    CHECK(user_count(db) == 3);
}

TEMPLATE_TEST_CASE("update ... returning and delete ... returning give the rows they touched", "[returning]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const std::int64_t ann = add_user(db, "ann@example.com", "Ann");
    const std::int64_t bob = add_user(db, "bob@example.com", "Bob");
    for (int i = 0; i < 3; ++i) {
        db.execute(insert(posts).values(Post{.title = "ann " + std::to_string(i),
                                             .content = "c",
                                             .author_id = ann,
                                             .views = i,
                                             .published_at = std::nullopt}));
    }
    db.execute(insert(posts).values(
        Post{.title = "bob", .content = "c", .author_id = bob, .views = 7, .published_at = std::nullopt}));

    auto bumped = db.all(update(posts)
                             .set(posts.views = posts.views + 10)
                             .where(posts.author_id == ann)
                             .returning(posts.title, posts.views));
    std::sort(bumped.begin(), bumped.end());
    CHECK(bumped == std::vector<std::tuple<std::string, std::int32_t>>{{"ann 0", 10}, {"ann 1", 11}, {"ann 2", 12}});
    // Nothing matched: no rows, not an error.
    CHECK(db.all(update(posts).set(posts.views = 0).where(posts.id == 424242).returning(posts.id)).empty());

    // Streaming the rows of a delete.
    std::vector<std::string> gone;
    for (const auto& title : db.execute(delete_from(posts).where(posts.views >= 11).returning(posts.title))) {
        gone.push_back(title);
    }
    std::sort(gone.begin(), gone.end());
    CHECK(gone == std::vector<std::string>{"ann 1", "ann 2"});
    CHECK(db.scalar(select(ctorm::count()).from(posts)) == 2);

    const User removed = db.one(delete_from(users).where(users.id == bob).returning(users));
    CHECK(removed.name == "Bob");
    CHECK(user_count(db) == 1);
    CHECK(db.scalar(select(ctorm::count()).from(posts).where(posts.author_id == bob)) == 0);  // cascaded
}

TEMPLATE_TEST_CASE("upsert: on_conflict(...).do_nothing() keeps the existing row", "[upsert]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const std::int64_t ann = add_user(db, "ann@example.com", "Ann");

    const auto again = insert(users).values(User{.email = "ann@example.com", .name = "Impostor"});
    CHECK(db.execute(again.on_conflict(users.email).do_nothing()).rows_affected == 0);
    CHECK(db.one(select(users.name).where(users.email == "ann@example.com")) == "Ann");
    CHECK(user_count(db) == 1);
    // Without the clause the same insert is an error.
    CHECK_THROWS_AS(db.execute(again), ctorm::unique_violation);

    // No conflict: an ordinary insert.
    CHECK(db.execute(insert(users)
                         .values(User{.email = "bob@example.com", .name = "Bob"})
                         .on_conflict(users.email)
                         .do_nothing())
              .rows_affected == 1);
    CHECK(user_count(db) == 2);

    // returning() of an upsert that did nothing gives no row.
    CHECK_FALSE(db.one_or_none(again.on_conflict(users.email).do_nothing().returning(users.id)).has_value());
    CHECK(db.one(select(users.id).where(users.email == "ann@example.com")) == ann);

    // In bulk: only the new rows are written.
    const std::vector<User> batch = {{.email = "ann@example.com", .name = "x"},
                                     {.email = "cy@example.com", .name = "Cy"},
                                     {.email = "bob@example.com", .name = "x"},
                                     {.email = "dee@example.com", .name = "Dee"}};
    db.execute(insert(users).values(batch).on_conflict(users.email).do_nothing());
    CHECK(user_count(db) == 4);
    CHECK(db.scalar(select(ctorm::count()).from(users).where(users.name == "x")) == 0);
}

// Regression (fixed): SQLite's execute_bulk (sqlite/connection.hpp) adds 1
// to rows_affected for every row it runs instead of sqlite3_changes(), so a
// bulk upsert whose rows partly do nothing reports 4 here instead of 2
// (PostgreSQL reports 2).
TEMPLATE_TEST_CASE("a bulk upsert reports the rows it wrote, not the rows it ran", "[upsert]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_user(db, "ann@example.com", "Ann");
    add_user(db, "bob@example.com", "Bob");
    const std::vector<User> batch = {{.email = "ann@example.com", .name = "x"},
                                     {.email = "cy@example.com", .name = "Cy"},
                                     {.email = "bob@example.com", .name = "x"},
                                     {.email = "dee@example.com", .name = "Dee"}};
    CHECK(db.execute(insert(users).values(batch).on_conflict(users.email).do_nothing()).rows_affected == 2);
    CHECK(user_count(db) == 4);
}

TEMPLATE_TEST_CASE("upsert: on_conflict(...).do_update(...) with excluded() updates the existing row", "[upsert]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const std::int64_t ann = add_user(db, "ann@example.com", "Ann");

    const auto upsert_user = [&db](const std::string& email, const std::string& name) {
        return db.one(insert(users)
                          .values(User{.email = email, .name = name})
                          .on_conflict(users.email)
                          .do_update(users.name = excluded(users.name))
                          .returning(users.id, users.name));
    };
    const auto [same_id, new_name] = upsert_user("ann@example.com", "Ann B.");
    CHECK(same_id == ann);  // the existing row, not a new one
    CHECK(new_name == "Ann B.");
    CHECK(user_count(db) == 1);

    const auto [bob, bob_name] = upsert_user("bob@example.com", "Bob");
    CHECK(bob != ann);
    CHECK(bob_name == "Bob");
    CHECK(user_count(db) == 2);

    // A composite conflict target, and the existing value combined with the excluded one.
    const std::int64_t post = db.one(
        insert(posts)
            .values(Post{.title = "t", .content = "c", .author_id = ann, .views = 0, .published_at = std::nullopt})
            .returning(posts.id));
    const auto tag = [&db, post](std::int32_t weight) {
        return db.execute(insert(post_tags)
                              .values(PostTag{.post_id = post, .tag = "c++", .weight = weight})
                              .on_conflict(post_tags.post_id, post_tags.tag)
                              .do_update(post_tags.weight = post_tags.weight + excluded(post_tags.weight)));
    };
    CHECK(tag(5).rows_affected == 1);
    CHECK(tag(3).rows_affected == 1);
    CHECK(tag(2).rows_affected == 1);
    CHECK(db.one(select(post_tags.weight).where(post_tags.post_id == post)) == 10);
    CHECK(db.scalar(select(ctorm::count()).from(post_tags)) == 1);
}
