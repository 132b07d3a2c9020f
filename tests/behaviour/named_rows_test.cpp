// select(...).named() on every backend: rows read by their columns' names and
// their labels (row.get<"n">()), the same values as the tuples of the same
// select, structured bindings, one() / first() and streaming, optional columns
// of an outer join; the SQL is the select's own, pinned per dialect.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

using namespace blog;

namespace {

constexpr auto per_user = select(users.name, ctorm::count(posts.id).as<"post_count">())
                              .from(users)
                              .outer_join(user_posts)
                              .group_by(users.id, users.name)
                              .order_by(users.name);

static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(per_user.named()) ==
              "SELECT \"users\".\"name\", COUNT(\"posts\".\"id\") AS \"post_count\" FROM \"users\" LEFT OUTER JOIN "
              "\"posts\" ON \"posts\".\"author_id\" = \"users\".\"id\" GROUP BY \"users\".\"id\", \"users\".\"name\" "
              "ORDER BY \"users\".\"name\"");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(per_user.named()) ==
              ctorm::to_sql<ctorm::postgres_dialect>(per_user));

template <class C>
void add_people(C& db) {
    for (const char* name : {"ann", "bob", "cid"}) {
        const std::int64_t id =
            db.one(insert(users).values(User{.email = std::string(name) + "@x.io", .name = name}).returning(users.id));
        for (int i = 0; i < (name[0] == 'a' ? 2 : name[0] == 'b' ? 1 : 0); ++i) {
            Post p;
            p.title = std::string(name) + " " + std::to_string(i);
            p.content = "text";
            p.author_id = id;
            db.execute(insert(posts).values(p));
        }
    }
}

}  // namespace

TEMPLATE_TEST_CASE("named(): rows read by column name and label", "[results]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(users, posts);
    add_people(db);

    SECTION("the same values as the tuples, by name and by position") {
        const auto named = db.all(per_user.named());
        const auto tuples = db.all(per_user);
        REQUIRE(named.size() == 3);
        REQUIRE(tuples.size() == 3);
        for (std::size_t i = 0; i < named.size(); ++i) {
            CHECK(named[i].as_tuple() == tuples[i]);
            CHECK(named[i].template get<"name">() == std::get<0>(tuples[i]));
            CHECK(named[i].template get<"post_count">() == std::get<1>(tuples[i]));
        }
        CHECK(named[0].template get<"name">() == "ann");
        CHECK(named[0].template get<"post_count">() == 2);
        CHECK(named[2].template get<"post_count">() == 0);
        const auto& [name, n] = named[1];
        CHECK(name == "bob");
        CHECK(n == 1);
    }
    SECTION("one(), first() and streaming") {
        const auto ann = db.one(select(users.id, users.email).where(users.name == "ann").named());
        CHECK(ann.template get<"email">() == "ann@x.io");
        const auto none = db.first(select(users.id).where(users.name == "nobody").named());
        CHECK_FALSE(none.has_value());
        std::vector<std::string> names;
        for (const auto& row : db.execute(select(users.name).order_by(users.name.desc()).named()))
            names.push_back(row.template get<"name">());
        CHECK(names == std::vector<std::string>{"cid", "bob", "ann"});
    }
    SECTION("an outer join's columns come back optional, by name too") {
        const auto rows = db.all(select(users.name, posts.title.as<"title">())
                                     .from(users)
                                     .outer_join(user_posts)
                                     .where(users.name == "cid")
                                     .named());
        REQUIRE(rows.size() == 1);
        const std::optional<std::string>& title = rows[0].template get<"title">();
        CHECK_FALSE(title.has_value());
    }
    SECTION("a row can be changed through its names") {
        auto row = db.one(select(users.name, users.is_active).where(users.name == "bob").named());
        row.template get<"name">() = "Bob";
        CHECK(std::get<0>(row) == "Bob");
        CHECK(row.template get<"is_active">());
    }
}
