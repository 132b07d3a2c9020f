// Queries through relationships on every backend: join(users.posts) and
// outer_join with the condition from the declaration, any(users.posts, ...)
// and has(posts.author, ...) as correlated EXISTS, and the same through the
// association table of a many-to-many relationship; each result checked
// against what the data says, on both backends alike.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include "support/library_schema.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

using namespace blog;

namespace {

// 30 users; user i has i % 3 posts, post p of user i has 50 * p + i views.
template <class C>
void add_blog(C& db) {
    auto tx = db.begin();
    for (int i = 0; i < 30; ++i) {
        const std::int64_t id = db.one(insert(users)
                                           .values(User{.email = "u" + std::to_string(i) + "@x.io",
                                                        .name = "user " + std::to_string(i),
                                                        .is_active = i % 4 != 0})
                                           .returning(users.id));
        for (int p = 0; p < i % 3; ++p)
            db.execute(insert(posts).values(Post{.title = "post " + std::to_string(p) + " of " + std::to_string(i),
                                                 .content = "",
                                                 .author_id = id,
                                                 .views = 50 * p + i,
                                                 .published_at = std::nullopt}));
    }
    tx.commit();
}

}  // namespace

TEMPLATE_TEST_CASE("join(relationship), any() and has() through the declared foreign keys", "[orm][relationship]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_blog(db);

    SECTION("join(users.posts): each post with its author, in one statement") {
        const auto rows = db.all(select(users.name, posts.title).from(users).join(user_posts).order_by(posts.id));
        REQUIRE(rows.size() == 30);  // 10 users x 1 + 10 x 2
        for (const auto& [name, title] : rows) CHECK(title.substr(title.rfind(' ') + 1) == name.substr(5));
    }
    SECTION("outer_join(users.posts): users without posts too, with NULL titles") {
        const auto rows =
            db.all(select(users.name, posts.title).from(users).outer_join(user_posts).order_by(users.id, posts.id));
        REQUIRE(rows.size() == 10 + 30);
        std::size_t without = 0;
        for (const auto& row : rows) without += std::get<1>(row) ? 0 : 1;
        CHECK(without == 10);
    }
    SECTION("join(posts.author): the other direction, the same pairs") {
        const auto rows = db.all(select(posts.title, users.name).from(posts).join(post_author).order_by(posts.id));
        CHECK(rows.size() == 30);
    }
    SECTION("any(users.posts): users with at least one post; with a condition, one that matches") {
        CHECK(db.scalar(select(ctorm::count()).from(users).where(ctorm::any(user_posts))) == 20);
        CHECK(db.scalar(select(ctorm::count()).from(users).where(!ctorm::any(user_posts))) == 10);
        // views 50p + i > 60: the second post (p = 1) of users i > 10 with two posts (i % 3 == 2).
        const auto names =
            db.all(select(users.name).where(ctorm::any(user_posts, posts.views > 60)).order_by(users.id));
        std::vector<std::string> want;
        for (int i = 11; i < 30; ++i)
            if (i % 3 == 2) want.push_back("user " + std::to_string(i));
        CHECK(names == want);
    }
    SECTION("has(posts.author, ...): posts whose author exists and is active") {
        CHECK(db.scalar(select(ctorm::count()).from(posts).where(ctorm::has(post_author))) == 30);
        std::int64_t active = 0;
        for (int i = 0; i < 30; ++i)
            if (i % 4 != 0) active += i % 3;
        CHECK(db.scalar(select(ctorm::count()).from(posts).where(ctorm::has(post_author, users.is_active))) == active);
    }
    SECTION("through the session: any() in a query that returns the session's objects") {
        ctorm::session s(db);
        // views 50 + i >= 70: the users i >= 20 with two posts (i % 3 == 2).
        auto r = s.all(select(users).where(ctorm::any(user_posts, posts.views >= 70)).order_by(users.id),
                       ctorm::selectinload(user_posts));
        REQUIRE(r.size() == 4);
        for (std::size_t k = 0; k < r.size(); ++k) {
            CHECK(r[k]->name == "user " + std::to_string(20 + 3 * k));
            CHECK(r.get(user_posts, r[k]).size() == 2);
        }
    }
}

TEMPLATE_TEST_CASE("many-to-many through the association table: join(books.tags) and any(books.tags, ...)",
                   "[orm][relationship]", CTORM_TEST_BACKENDS) {
    using namespace library;
    auto db = TestType::fresh();
    db.create_all(books, tags, book_tags);
    {
        auto tx = db.begin();
        for (int t = 1; t <= 5; ++t) db.execute(insert(tags).values(Tag{.id = t, .name = "tag " + std::to_string(t)}));
        // Book b has the tags 1..b % 5 (book 5 and 10 have none).
        for (std::int64_t b = 1; b <= 10; ++b) {
            db.execute(insert(books).values(Book{.id = b, .title = "book " + std::to_string(b)}));
            for (std::int64_t t = 1; t <= b % 5; ++t)
                db.execute(insert(book_tags).values(BookTag{.book_id = b, .tag_id = t}));
        }
        tx.commit();
    }
    SECTION("join(books.tags): one row per association row, through book_tags") {
        const auto rows = db.all(select(books.id, tags.id).from(books).join(book_tag_list).order_by(books.id, tags.id));
        REQUIRE(rows.size() == 2 * (1 + 2 + 3 + 4));
        for (const auto& [b, t] : rows) CHECK(t <= b % 5);
    }
    SECTION("any(books.tags, tags.name == ...): books with that tag; any(tags.books): tags on some book") {
        const auto with3 =
            db.all(select(books.id).where(ctorm::any(book_tag_list, tags.name == "tag 3")).order_by(books.id));
        CHECK(with3 == std::vector<std::int64_t>{3, 4, 8, 9});
        CHECK(db.scalar(select(ctorm::count()).from(books).where(!ctorm::any(book_tag_list))) == 2);
        CHECK(db.scalar(select(ctorm::count()).from(tags).where(ctorm::any(tag_books))) == 4);
    }
}
