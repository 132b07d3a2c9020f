// join(table) and outer_join(table) with the condition taken from the foreign
// key, on every backend: the same rows as the written condition gives.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

using namespace blog;

TEMPLATE_TEST_CASE("join(table) and outer_join(table) take the condition from the foreign key", "[join]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto ann = db.one(insert(users).values(User{.email = "ann@x.io", .name = "ann"}).returning(users.id));
    db.one(insert(users).values(User{.email = "bob@x.io", .name = "bob"}).returning(users.id));
    db.execute(insert(posts).values(
        Post{.title = "first", .content = "", .author_id = ann, .views = 0, .published_at = std::nullopt}));
    db.execute(insert(posts).values(
        Post{.title = "second", .content = "", .author_id = ann, .views = 0, .published_at = std::nullopt}));

    using pair = std::tuple<std::string, std::string>;
    const auto inner = db.all(select(users.name, posts.title).from(users).join(posts).order_by(posts.title));
    CHECK(std::vector<pair>(inner.begin(), inner.end()) == std::vector<pair>{{"ann", "first"}, {"ann", "second"}});

    const auto reversed = db.all(select(posts.title, users.name).from(posts).join(users).order_by(posts.title));
    CHECK(std::vector<pair>(reversed.begin(), reversed.end()) ==
          std::vector<pair>{{"first", "ann"}, {"second", "ann"}});

    using maybe = std::tuple<std::string, std::optional<std::string>>;
    const auto outer =
        db.all(select(users.name, posts.title).from(users).outer_join(posts).order_by(users.name, posts.title));
    CHECK(std::vector<maybe>(outer.begin(), outer.end()) ==
          std::vector<maybe>{{"ann", "first"}, {"ann", "second"}, {"bob", std::nullopt}});
}
