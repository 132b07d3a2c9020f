// back_populates on every backend: CTORM_BACK_POPULATES pairs the two sides
// of one foreign key, so loading users.posts also gives each loaded post's
// author (its owner) and loading books.detail each detail's book, with no
// statement; the result's type lists the other side. The reverse (loading
// posts.author) does not give users.posts: that collection would hold only
// what this result loaded. Exact statement counts.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include "support/library_schema.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

// Written once, in the namespace of the tables (see docs/orm.md).
namespace blog {
CTORM_BACK_POPULATES(user_posts, post_author);
}
namespace library {
CTORM_BACK_POPULATES(book_detail, detail_book);
CTORM_BACK_POPULATES(book_tag_list, tag_books);  // both collections: the pairing gives nothing more
}  // namespace library

namespace {

using namespace blog;

static_assert(std::is_same_v<ctorm::inverse_t<std::remove_cvref_t<decltype(user_posts)>>,
                             std::remove_cvref_t<decltype(post_author)>>);
static_assert(std::is_same_v<ctorm::inverse_t<std::remove_cvref_t<decltype(post_author)>>,
                             std::remove_cvref_t<decltype(user_posts)>>);
static_assert(
    std::is_same_v<ctorm::inverse_t<std::remove_cvref_t<decltype(post_tag_rows)>>, ctorm::detail::no_inverse>);

using statement_log = ctorm_test::data_statement_log;

// 600 users; user i has i % 3 posts.
template <class C>
void add_users_with_posts(C& db) {
    auto tx = db.begin();
    for (int i = 0; i < 600; ++i) {
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

TEMPLATE_TEST_CASE("back_populates: loading one side gives the other where it is one object", "[orm][relationship]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("selectinload(users.posts): each post's author is its owner, no statement more") {
        auto r = s.all(select(users).order_by(users.id), ctorm::selectinload(user_posts));
        static_assert(decltype(r)::has(post_author));
        CHECK(log.count() == 1 + 2);  // 600 keys: batches of 500 and 100
        std::size_t posts_seen = 0;
        for (const auto& u : r)
            for (const auto& p : r.get(user_posts, u)) {
                CHECK(r.get(post_author, p) == u);
                CHECK(p->author_id == u->id);
                ++posts_seen;
            }
        CHECK(posts_seen == 600);  // 200 users with 1, 200 with 2
        CHECK(log.count() == 1 + 2);
    }
    SECTION("selectinload(users.posts).selectinload(posts.author): the second level is already there") {
        auto r = s.all(select(users).where(users.id <= 30).order_by(users.id),
                       ctorm::selectinload(user_posts).selectinload(post_author));
        CHECK(log.count() == 1 + 1);  // not 1 + 1 + 1
        for (const auto& u : r)
            for (const auto& p : r.get(user_posts, u)) CHECK(r.get(post_author, p) == u);
    }
    SECTION("selectinload(posts.author) does not give users.posts (it would be partial)") {
        auto r = s.all(select(posts).where(posts.id <= 10).order_by(posts.id), ctorm::selectinload(post_author));
        static_assert(!decltype(r)::has(user_posts));
        CHECK(log.count() == 1 + 1);
        REQUIRE(r.size() == 10);
        for (const auto& p : r) CHECK(r.get(post_author, p)->id == p->author_id);
    }
}

TEMPLATE_TEST_CASE("back_populates: one-to-one both ways, many-to-many gives nothing more", "[orm][relationship]",
                   CTORM_TEST_BACKENDS) {
    using namespace library;
    auto db = TestType::fresh();
    db.create_all(books, book_details, tags, book_tags);
    {
        auto tx = db.begin();
        for (std::int64_t b = 1; b <= 20; ++b) {
            db.execute(insert(books).values(Book{.id = b, .title = "book " + std::to_string(b)}));
            if (b % 2 == 1)
                db.execute(insert(book_details)
                               .values(BookDetail{.book_id = b, .isbn = "isbn-" + std::to_string(b), .pages = 100}));
        }
        db.execute(insert(tags).values(Tag{.id = 1, .name = "one"}));
        db.execute(insert(book_tags).values(BookTag{.book_id = 1, .tag_id = 1, .added_by = std::nullopt}));
        tx.commit();
    }
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("selectinload(books.detail) gives each detail's book") {
        auto r = s.all(select(books).order_by(books.id), ctorm::selectinload(book_detail));
        static_assert(decltype(r)::has(detail_book));
        CHECK(log.count() == 1 + 1);
        std::size_t with = 0;
        for (const auto& b : r)
            if (const auto& d = r.get(book_detail, b)) {
                CHECK(r.get(detail_book, d) == b);
                ++with;
            }
        CHECK(with == 10);
    }
    SECTION("selectinload(book_details.book) gives each book's detail (the key is unique)") {
        auto r = s.all(select(book_details).order_by(book_details.book_id), ctorm::selectinload(detail_book));
        static_assert(decltype(r)::has(book_detail));
        CHECK(log.count() == 1 + 1);
        REQUIRE(r.size() == 10);
        for (const auto& d : r) {
            const auto& b = r.get(detail_book, d);
            REQUIRE(b);
            CHECK(r.get(book_detail, b) == d);
        }
    }
    SECTION("selectinload(books.tags): tags.books stays unloaded (a collection)") {
        auto r = s.all(select(books).order_by(books.id), ctorm::selectinload(book_tag_list));
        static_assert(!decltype(r)::has(tag_books));
        CHECK(log.count() == 1 + 1);
        REQUIRE(r.get(book_tag_list, r[0]).size() == 1);
    }
}
