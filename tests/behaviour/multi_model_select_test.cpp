// select(users, posts): whole models of several tables in one statement, rows
// std::tuple<User, Post> (the guides' select(User, Post).join(Post, ...)), on every
// backend: the same objects as a select of each model alone, with where / order_by /
// first / one / streaming, three tables, and the foreign-key join. An outer-joined model
// comes back as std::optional, missing where its primary key is NULL (a table without one
// is a compile error: tests/compile_fail/select_models_outer_joined_no_key.cpp), and a
// table named twice is one too (select_models_same_table.cpp).
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

using namespace blog;

namespace {

constexpr auto authored = select(users, posts).join(user_posts).where(posts.views >= 0).order_by(posts.id);

static_assert(
    ctorm::to_sql<ctorm::sqlite_dialect>(authored) ==
    R"(SELECT "users"."id", "users"."email", "users"."name", "users"."is_active", "users"."created_at", "posts"."id", "posts"."title", "posts"."content", "posts"."author_id", "posts"."views", "posts"."published_at" FROM "users" JOIN "posts" ON "posts"."author_id" = "users"."id" WHERE "posts"."views" >= ? ORDER BY "posts"."id")");
static_assert(
    ctorm::to_sql<ctorm::postgres_dialect>(authored) ==
    R"(SELECT "users"."id", "users"."email", "users"."name", "users"."is_active", "users"."created_at", "posts"."id", "posts"."title", "posts"."content", "posts"."author_id", "posts"."views", "posts"."published_at" FROM "users" JOIN "posts" ON "posts"."author_id" = "users"."id" WHERE "posts"."views" >= $1 ORDER BY "posts"."id")");
static_assert(
    std::is_same_v<ctorm::statement_traits<std::remove_cvref_t<decltype(authored)>>::row_type, std::tuple<User, Post>>);

template <class C>
void add_people(C& db) {
    db.create_all(users, posts, post_tags);
    int views = 0;
    for (const char* name : {"ann", "bob", "cid"}) {
        const std::int64_t id =
            db.one(insert(users).values(User{.email = std::string(name) + "@x.io", .name = name}).returning(users.id));
        for (int i = 0; i < (name[0] == 'a' ? 2 : name[0] == 'b' ? 1 : 0); ++i) {
            Post p;
            p.title = std::string(name) + " " + std::to_string(i);
            p.content = "text of " + p.title;
            p.author_id = id;
            p.views = views += 10;
            const std::int64_t post = db.one(insert(posts).values(p).returning(posts.id));
            db.execute(insert(post_tags).values(PostTag{.post_id = post, .tag = "t" + std::to_string(views)}));
        }
    }
}

}  // namespace

TEMPLATE_TEST_CASE("select(users, posts): rows of whole models", "[query][models]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_people(db);

    SECTION("each model as a select of it alone reads it") {
        const std::vector<std::tuple<User, Post>> rows = db.all(authored);
        const auto alone = db.all(select(posts).order_by(posts.id));
        REQUIRE(rows.size() == 3);
        REQUIRE(alone.size() == 3);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& [user, post] = rows[i];
            CHECK(post.id == alone[i].id);
            CHECK(post.title == alone[i].title);
            CHECK(post.content == alone[i].content);
            CHECK(post.views == alone[i].views);
            CHECK(post.published_at == alone[i].published_at);
            CHECK(user.id == post.author_id);
            const User author = db.one(select(users).where(users.id == post.author_id));
            CHECK(user.name == author.name);
            CHECK(user.email == author.email);
            CHECK(user.created_at == author.created_at);
            CHECK(user.is_active);
        }
        CHECK(std::get<0>(rows[0]).name == "ann");
        CHECK(std::get<1>(rows[1]).title == "ann 1");
        CHECK(std::get<0>(rows[2]).name == "bob");
        CHECK(std::get<1>(rows[2]).views == 30);
    }
    SECTION("where, first, one and streaming") {
        const auto bobs = select(users, posts).join(posts, posts.author_id == users.id).where(users.name == "bob");
        const auto [u, p] = db.one(bobs);
        CHECK(u.name == "bob");
        CHECK(p.title == "bob 0");
        CHECK_FALSE(db.first(select(users, posts).join(user_posts).where(users.name == "cid")).has_value());
        std::vector<std::string> titles;
        for (const auto& [user, post] : db.execute(select(users, posts).join(user_posts).order_by(posts.id.desc())))
            titles.push_back(user.name + ": " + post.title);
        CHECK(titles == std::vector<std::string>{"bob: bob 0", "ann: ann 1", "ann: ann 0"});
    }
    SECTION("an outer-joined model is std::optional, missing where the join found no row") {
        const auto everyone = select(users, posts).outer_join(user_posts).order_by(users.name, posts.id);
        static_assert(std::is_same_v<ctorm::statement_traits<std::remove_cvref_t<decltype(everyone)>>::row_type,
                                     std::tuple<User, std::optional<Post>>>);
        const auto rows = db.all(everyone);
        REQUIRE(rows.size() == 4);
        std::vector<std::string> seen;
        for (const auto& [user, post] : rows) seen.push_back(user.name + ": " + (post ? post->title : "-"));
        CHECK(seen == std::vector<std::string>{"ann: ann 0", "ann: ann 1", "bob: bob 0", "cid: -"});
        CHECK(std::get<1>(rows[2])->views == 30);
        CHECK(std::get<1>(rows[2])->author_id == std::get<0>(rows[2]).id);
        CHECK(std::get<1>(rows[2])->content == "text of bob 0");
        // first / one / streaming read the same way.
        const auto cid = db.one(everyone.where(users.name == "cid"));
        CHECK(std::get<0>(cid).email == "cid@x.io");
        CHECK_FALSE(std::get<1>(cid).has_value());
        const auto ann = db.first(everyone);
        REQUIRE(ann.has_value());
        CHECK(std::get<1>(*ann)->title == "ann 0");
        std::size_t missing = 0;
        for (const auto& [user, post] : db.execute(everyone)) missing += post ? 0 : 1;
        CHECK(missing == 1);
        // Posts first: every post, each with its author (optional on the right, present here).
        const auto posts_first =
            db.all(select(posts, users).from(posts).outer_join(users, users.id == posts.author_id).order_by(posts.id));
        REQUIRE(posts_first.size() == 3);
        CHECK(std::get<1>(posts_first[0])->name == "ann");
    }
    SECTION("three tables") {
        const auto rows = db.all(select(users, posts, post_tags)
                                     .join(user_posts)
                                     .join(post_tags)
                                     .where(post_tags.tag != "t20")
                                     .order_by(posts.id));
        REQUIRE(rows.size() == 2);
        const auto& [user, post, tag] = rows[1];
        CHECK(user.name == "bob");
        CHECK(post.title == "bob 0");
        CHECK(tag.post_id == post.id);
        CHECK(tag.tag == "t30");
        CHECK(tag.weight == 1);
    }
}
