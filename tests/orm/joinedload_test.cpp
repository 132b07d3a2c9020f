// joinedload on every backend: the query's rows and one relationship's
// objects in exactly one statement (LEFT OUTER JOIN), owners de-duplicated
// in order, owners with no related row given none; the same objects as
// selectinload gives, through the identity map, for one-to-many,
// many-to-one, one-to-one and many-to-many; back_populates; a nested
// selectinload after it; and the statement's text pinned per dialect.
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
#include <vector>

namespace blog {
CTORM_BACK_POPULATES(user_posts, post_author);
}

namespace {

using namespace blog;

static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::joinedload_select(select(users).where(users.is_active),
                                                                            user_posts)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\", \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", "
              "\"posts\".\"author_id\", \"posts\".\"views\", \"posts\".\"published_at\" FROM \"users\" LEFT OUTER "
              "JOIN \"posts\" ON \"posts\".\"author_id\" = \"users\".\"id\" WHERE \"users\".\"is_active\" ORDER BY "
              "\"users\".\"id\", \"posts\".\"id\" NULLS LAST");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(ctorm::joinedload_select(select(users).where(users.is_active),
                                                                              user_posts)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\", \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", "
              "\"posts\".\"author_id\", \"posts\".\"views\", \"posts\".\"published_at\" FROM \"users\" LEFT OUTER "
              "JOIN \"posts\" ON \"posts\".\"author_id\" = \"users\".\"id\" WHERE \"users\".\"is_active\" ORDER BY "
              "\"users\".\"id\", \"posts\".\"id\"");
// A query already ordered by the owner's key is not ordered by it twice.
static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::joinedload_select(select(users).order_by(users.id.desc()),
                                                                            user_posts)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\", \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", "
              "\"posts\".\"author_id\", \"posts\".\"views\", \"posts\".\"published_at\" FROM \"users\" LEFT OUTER "
              "JOIN \"posts\" ON \"posts\".\"author_id\" = \"users\".\"id\" ORDER BY \"users\".\"id\" DESC, "
              "\"posts\".\"id\" NULLS LAST");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(ctorm::joinedload_select(select(users).order_by(users.id),
                                                                              user_posts)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\", \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", "
              "\"posts\".\"author_id\", \"posts\".\"views\", \"posts\".\"published_at\" FROM \"users\" LEFT OUTER "
              "JOIN \"posts\" ON \"posts\".\"author_id\" = \"users\".\"id\" ORDER BY \"users\".\"id\", "
              "\"posts\".\"id\"");
// Many-to-one: one row per owner, so limit() applies to the owners as written.
static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(
                  ctorm::joinedload_select(select(posts).order_by(posts.title.desc()).limit(3), post_author)) ==
              "SELECT \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", \"posts\".\"author_id\", "
              "\"posts\".\"views\", \"posts\".\"published_at\", \"users\".\"id\", \"users\".\"email\", "
              "\"users\".\"name\", \"users\".\"is_active\", \"users\".\"created_at\" FROM \"posts\" LEFT OUTER JOIN "
              "\"users\" ON \"users\".\"id\" = \"posts\".\"author_id\" ORDER BY \"posts\".\"title\" DESC, "
              "\"posts\".\"id\" LIMIT ?");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(
                  ctorm::joinedload_select(select(posts).order_by(posts.title.desc()).limit(3), post_author)) ==
              "SELECT \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", \"posts\".\"author_id\", "
              "\"posts\".\"views\", \"posts\".\"published_at\", \"users\".\"id\", \"users\".\"email\", "
              "\"users\".\"name\", \"users\".\"is_active\", \"users\".\"created_at\" FROM \"posts\" LEFT OUTER JOIN "
              "\"users\" ON \"users\".\"id\" = \"posts\".\"author_id\" ORDER BY \"posts\".\"title\" DESC, "
              "\"posts\".\"id\" LIMIT $1");
// A collection with limit(): the owners are limited in a subquery, not the joined rows.
static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::joinedload_select(
                  select(users).where(users.is_active).order_by(users.name.desc()).limit(3).offset(1), user_posts)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\", \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", "
              "\"posts\".\"author_id\", \"posts\".\"views\", \"posts\".\"published_at\" FROM \"users\" LEFT OUTER "
              "JOIN \"posts\" ON \"posts\".\"author_id\" = \"users\".\"id\" WHERE \"users\".\"id\" IN (SELECT "
              "\"users\".\"id\" FROM \"users\" WHERE \"users\".\"is_active\" ORDER BY \"users\".\"name\" DESC LIMIT ? "
              "OFFSET ?) ORDER BY \"users\".\"name\" DESC, \"users\".\"id\", \"posts\".\"id\" NULLS LAST");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(ctorm::joinedload_select(
                  select(users).where(users.is_active).order_by(users.name.desc()).limit(3).offset(1), user_posts)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\", \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", "
              "\"posts\".\"author_id\", \"posts\".\"views\", \"posts\".\"published_at\" FROM \"users\" LEFT OUTER "
              "JOIN \"posts\" ON \"posts\".\"author_id\" = \"users\".\"id\" WHERE \"users\".\"id\" IN (SELECT "
              "\"users\".\"id\" FROM \"users\" WHERE \"users\".\"is_active\" ORDER BY \"users\".\"name\" DESC LIMIT $1 "
              "OFFSET $2) ORDER BY \"users\".\"name\" DESC, \"users\".\"id\", \"posts\".\"id\"");
// A nested joinedload: one more LEFT OUTER JOIN, ordered by each collection's key.
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(ctorm::joinedload_select(select(users), user_posts,
                                                                              post_tag_rows)) ==
              "SELECT \"users\".\"id\", \"users\".\"email\", \"users\".\"name\", \"users\".\"is_active\", "
              "\"users\".\"created_at\", \"posts\".\"id\", \"posts\".\"title\", \"posts\".\"content\", "
              "\"posts\".\"author_id\", \"posts\".\"views\", \"posts\".\"published_at\", \"post_tags\".\"post_id\", "
              "\"post_tags\".\"tag\", \"post_tags\".\"weight\" FROM \"users\" LEFT OUTER JOIN \"posts\" ON "
              "\"posts\".\"author_id\" = \"users\".\"id\" LEFT OUTER JOIN \"post_tags\" ON \"post_tags\".\"post_id\" = "
              "\"posts\".\"id\" ORDER BY \"users\".\"id\", \"posts\".\"id\", \"post_tags\".\"post_id\", "
              "\"post_tags\".\"tag\"");
// Many-to-many: through the association table.
static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::joinedload_select(select(library::books),
                                                                            library::book_tag_list)) ==
              "SELECT \"books\".\"id\", \"books\".\"title\", \"tags\".\"id\", \"tags\".\"name\" FROM \"books\" LEFT "
              "OUTER JOIN \"book_tags\" ON \"book_tags\".\"book_id\" = \"books\".\"id\" LEFT OUTER JOIN \"tags\" ON "
              "\"book_tags\".\"tag_id\" = \"tags\".\"id\" ORDER BY \"books\".\"id\", \"tags\".\"id\" NULLS LAST");

// The result's type lists what was loaded, as selectinload's does.
using joined_users = decltype(std::declval<ctorm::session<ctorm::sqlite::connection>&>().all(
    select(users), ctorm::joinedload(user_posts)));
static_assert(joined_users::has(user_posts) && joined_users::has(post_author) && !joined_users::has(post_tag_rows));

using statement_log = ctorm_test::data_statement_log;

// n users, user i with i % 3 posts; post p of user i with p tags.
template <class C>
void add_users_with_posts(C& db, int n) {
    auto tx = db.begin();
    for (int i = 0; i < n; ++i) {
        const std::int64_t id = db.one(
            insert(users)
                .values(User{.email = "u" + std::to_string(i) + "@x.io", .name = "user " + std::to_string(i % 4)})
                .returning(users.id));
        for (int p = 0; p < i % 3; ++p) {
            const std::int64_t post =
                db.one(insert(posts)
                           .values(Post{.title = "post " + std::to_string(p) + " of " + std::to_string(i),
                                        .content = "",
                                        .author_id = id,
                                        .published_at = std::nullopt})
                           .returning(posts.id));
            for (int t = 0; t < p; ++t)
                db.execute(insert(post_tags).values(PostTag{.post_id = post, .tag = "t" + std::to_string(t)}));
        }
    }
    tx.commit();
}

// What a result loaded, as keys: each owner's key and its related objects' keys.
template <class R, class Rel, class KeyOfOwner, class KeyOfTarget>
std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> keys_of(const R& r, const Rel& rel, KeyOfOwner owner,
                                                                        KeyOfTarget target) {
    std::vector<std::pair<std::int64_t, std::vector<std::int64_t>>> out;
    for (const auto& o : r) {
        std::vector<std::int64_t> related;
        const auto& got = r.get(rel, o);
        if constexpr (std::remove_cvref_t<Rel>::collection) {
            for (const auto& h : got) related.push_back(target(*h));
        } else if (got) {
            related.push_back(target(*got));
        }
        out.emplace_back(owner(*o), std::move(related));
    }
    return out;
}

constexpr auto user_id = [](const User& u) { return u.id; };
constexpr auto post_id = [](const Post& p) { return p.id; };

}  // namespace

TEMPLATE_TEST_CASE("joinedload(users.posts): one statement, the same objects as selectinload",
                   "[orm][relationship][joinedload]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db, 12);
    statement_log log;
    log.attach(db);

    SECTION("every user, those with no post included, in order") {
        ctorm::session s(db);
        auto joined = s.all(select(users).order_by(users.id), ctorm::joinedload(user_posts));
        CHECK(log.count() == 1);
        CHECK(log.texts[0].find("LEFT OUTER JOIN \"posts\"") != std::string::npos);
        REQUIRE(joined.size() == 12);
        for (std::size_t i = 0; i < joined.size(); ++i) {
            CHECK(joined[i]->id == static_cast<std::int64_t>(i + 1));
            const auto& children = joined.get(user_posts, joined[i]);
            CHECK(children.size() == i % 3);
            for (const auto& p : children) CHECK(p->author_id == joined[i]->id);
        }
        ctorm::session other(db);
        log.clear();
        auto selected = other.all(select(users).order_by(users.id), ctorm::selectinload(user_posts));
        CHECK(log.count() == 2);
        CHECK(keys_of(joined, user_posts, user_id, post_id) == keys_of(selected, user_posts, user_id, post_id));
    }
    SECTION("where and order_by apply to the owners: the same owners in the same order") {
        ctorm::session s(db);
        auto q = select(users).where(users.id > 2).order_by(users.name.desc(), users.email);
        auto joined = s.all(q, ctorm::joinedload(user_posts));
        CHECK(log.count() == 1);
        ctorm::session other(db);
        auto selected = other.all(q, ctorm::selectinload(user_posts));
        REQUIRE(joined.size() == 10);
        CHECK(keys_of(joined, user_posts, user_id, post_id) == keys_of(selected, user_posts, user_id, post_id));
    }
    SECTION("limit() and offset() pick owners, not joined rows: the same owners as selectinload") {
        ctorm::session s(db);
        auto q = select(users).where(users.id > 1).order_by(users.name.desc(), users.id).limit(4).offset(2);
        auto joined = s.all(q, ctorm::joinedload(user_posts));
        CHECK(log.count() == 1);
        REQUIRE(joined.size() == 4);
        ctorm::session other(db);
        auto selected = other.all(q, ctorm::selectinload(user_posts));
        CHECK(keys_of(joined, user_posts, user_id, post_id) == keys_of(selected, user_posts, user_id, post_id));
        std::size_t children = 0;
        for (const auto& u : joined) children += joined.get(user_posts, u).size();
        CHECK(children > 4);  // more joined rows than the limit
    }
    SECTION("autoflush: a pending post is flushed first and comes with its user") {
        ctorm::session s(db);
        auto added = s.add(posts, Post{.title = "new", .content = "", .author_id = 1, .published_at = std::nullopt});
        log.clear();
        auto r = s.all(select(users).where(users.id == 1), ctorm::joinedload(user_posts));
        CHECK(log.count() == 2);  // the INSERT, then the one SELECT
        REQUIRE(r.size() == 1);
        const auto& children = r.get(user_posts, r[0]);
        REQUIRE(children.size() == 1);  // user 1 (index 0) had none
        CHECK(children[0] == added);
    }
    SECTION("no row: one statement, an empty result") {
        ctorm::session s(db);
        auto r = s.all(select(users).where(users.id < 0), ctorm::joinedload(user_posts));
        CHECK(r.empty());
        CHECK(log.count() == 1);
    }
    SECTION("the session's objects: the same handles as get(), which then sends nothing") {
        ctorm::session s(db);
        auto before = s.get(posts, std::int64_t{2});
        REQUIRE(before);
        log.clear();
        auto r = s.all(select(users).where(users.id == 3), ctorm::joinedload(user_posts));
        CHECK(log.count() == 1);
        REQUIRE(r.size() == 1);
        const auto& children = r.get(user_posts, r[0]);
        REQUIRE(children.size() == 2);
        CHECK(children[0] == before);
        CHECK(children[1] == s.get(posts, std::int64_t{3}));
        CHECK(r[0] == s.get(users, std::int64_t{3}));
        CHECK(log.count() == 1);
    }
    SECTION("back_populates: each loaded post's author is its user, no statement more") {
        ctorm::session s(db);
        auto r = s.all(select(users), ctorm::joinedload(user_posts));
        CHECK(log.count() == 1);
        std::size_t posts_seen = 0;
        for (const auto& u : r)
            for (const auto& p : r.get(user_posts, u)) {
                CHECK(r.get(post_author, p) == u);
                ++posts_seen;
            }
        CHECK(posts_seen == 12);
        CHECK(log.count() == 1);
    }
    SECTION("joinedload(users.posts).joinedload(posts.tags): one statement, the same objects as selectinload") {
        ctorm::session s(db);
        auto joined = s.all(select(users).order_by(users.id), ctorm::joinedload(user_posts).joinedload(post_tag_rows));
        CHECK(log.count() == 1);
        CHECK(log.texts[0].find("LEFT OUTER JOIN \"post_tags\"") != std::string::npos);
        ctorm::session other(db);
        auto selected =
            other.all(select(users).order_by(users.id), ctorm::selectinload(user_posts).selectinload(post_tag_rows));
        log.clear();
        CHECK(keys_of(joined, user_posts, user_id, post_id) == keys_of(selected, user_posts, user_id, post_id));
        std::size_t tags_seen = 0;
        for (const auto& u : joined)
            for (const auto& p : joined.get(user_posts, u)) {
                const auto& tags = joined.get(post_tag_rows, p);
                const auto& expected = selected.get(post_tag_rows, other.get(posts, p->id));
                REQUIRE(tags.size() == expected.size());
                for (std::size_t i = 0; i < tags.size(); ++i) CHECK(tags[i]->tag == expected[i]->tag);
                CHECK(joined.get(post_author, p) == u);  // back_populates, at the first level
                tags_seen += tags.size();
            }
        CHECK(tags_seen == 4);
        CHECK(log.count() == 0);  // reading sends nothing
    }
    SECTION("joinedload(users.posts).selectinload(posts.tags): 1 + 1 statements") {
        ctorm::session s(db);
        auto r = s.all(select(users).order_by(users.id), ctorm::joinedload(user_posts).selectinload(post_tag_rows));
        CHECK(log.count() == 2);
        std::size_t tags_seen = 0;
        for (const auto& u : r)
            for (const auto& p : r.get(user_posts, u)) {
                const auto& tags = r.get(post_tag_rows, p);
                CHECK(tags.size() == (p->title.rfind("post 1", 0) == 0 ? 1u : 0u));
                tags_seen += tags.size();
            }
        CHECK(tags_seen == 4);  // users 2, 5, 8, 11 have a post 1 with one tag
    }
}

TEMPLATE_TEST_CASE("joinedload(posts.author): many-to-one in one statement, limit() applies to the posts",
                   "[orm][relationship][joinedload]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_users_with_posts(db, 12);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto q = select(posts).order_by(posts.title.desc(), posts.id).limit(5);
    auto joined = s.all(q, ctorm::joinedload(post_author));
    CHECK(log.count() == 1);
    REQUIRE(joined.size() == 5);
    for (const auto& p : joined) {
        const auto& a = joined.get(post_author, p);
        REQUIRE(a);
        CHECK(a->id == p->author_id);
        CHECK(a == s.get(users, p->author_id));
    }
    CHECK(log.count() == 1);
    ctorm::session other(db);
    auto selected = other.all(q, ctorm::selectinload(post_author));
    CHECK(keys_of(joined, post_author, post_id, user_id) == keys_of(selected, post_author, post_id, user_id));

    SECTION("with a selectinload beside it: 1 + 1 statements") {
        log.clear();
        ctorm::session third(db);
        auto r = third.all(select(posts).order_by(posts.id), ctorm::joinedload(post_author),
                           ctorm::selectinload(post_tag_rows));
        CHECK(log.count() == 2);
        REQUIRE(r.size() == 12);
        CHECK(r.get(post_author, r[0]));
    }
}

TEMPLATE_TEST_CASE("joinedload of a one-to-one and of a many-to-many: the same objects as selectinload",
                   "[orm][relationship][joinedload]", CTORM_TEST_BACKENDS) {
    using namespace library;
    auto db = TestType::fresh();
    db.create_all(books, tags, book_details, book_tags);
    {
        auto tx = db.begin();
        for (std::int64_t t = 1; t <= 4; ++t)
            db.execute(insert(tags).values(Tag{.id = t, .name = "tag " + std::to_string(t)}));
        for (std::int64_t b = 1; b <= 9; ++b) {
            db.execute(insert(books).values(Book{.id = b, .title = "book " + std::to_string(b)}));
            if (b % 2 == 1)
                db.execute(insert(book_details)
                               .values(BookDetail{.book_id = b, .isbn = "isbn-" + std::to_string(b), .pages = 10}));
            for (std::int64_t t = 1; t <= b % 4; ++t)
                db.execute(insert(book_tags).values(BookTag{.book_id = b, .tag_id = 5 - t}));
        }
        tx.commit();
    }
    statement_log log;
    log.attach(db);
    constexpr auto book_id = [](const Book& b) { return b.id; };

    SECTION("books.detail: one detail or none per book") {
        ctorm::session s(db);
        auto joined = s.all(select(books).order_by(books.id), ctorm::joinedload(book_detail));
        CHECK(log.count() == 1);
        REQUIRE(joined.size() == 9);
        for (const auto& b : joined) CHECK(static_cast<bool>(joined.get(book_detail, b)) == (b->id % 2 == 1));
        ctorm::session other(db);
        auto selected = other.all(select(books).order_by(books.id), ctorm::selectinload(book_detail));
        constexpr auto detail_id = [](const BookDetail& d) { return d.book_id; };
        CHECK(keys_of(joined, book_detail, book_id, detail_id) == keys_of(selected, book_detail, book_id, detail_id));
    }
    SECTION("books.tags: through book_tags, a tag on many books is one object") {
        ctorm::session s(db);
        auto joined = s.all(select(books).order_by(books.id), ctorm::joinedload(book_tag_list));
        CHECK(log.count() == 1);
        REQUIRE(joined.size() == 9);
        CHECK(joined.get(book_tag_list, joined[3]).empty());  // book 4: 4 % 4 tags
        REQUIRE(joined.get(book_tag_list, joined[2]).size() == 3);
        CHECK(joined.get(book_tag_list, joined[2])[2] == joined.get(book_tag_list, joined[0])[0]);  // tag 4
        ctorm::session other(db);
        auto selected = other.all(select(books).order_by(books.id), ctorm::selectinload(book_tag_list));
        constexpr auto tag_id = [](const Tag& t) { return t.id; };
        CHECK(keys_of(joined, book_tag_list, book_id, tag_id) == keys_of(selected, book_tag_list, book_id, tag_id));
    }
    SECTION("books.links.tag: a collection, then a many-to-one shared by many links, in one statement") {
        ctorm::session s(db);
        auto joined = s.all(select(books).order_by(books.id), ctorm::joinedload(book_links).joinedload(link_tag));
        CHECK(log.count() == 1);
        ctorm::session other(db);
        auto selected =
            other.all(select(books).order_by(books.id), ctorm::selectinload(book_links).selectinload(link_tag));
        log.clear();
        REQUIRE(joined.size() == selected.size());
        for (std::size_t b = 0; b < joined.size(); ++b) {
            const auto& links = joined.get(book_links, joined[b]);
            const auto& expected = selected.get(book_links, selected[b]);
            REQUIRE(links.size() == expected.size());
            for (std::size_t i = 0; i < links.size(); ++i) {
                CHECK(links[i]->tag_id == expected[i]->tag_id);
                const auto& tag = joined.get(link_tag, links[i]);
                REQUIRE(tag);
                CHECK(tag->id == links[i]->tag_id);
                CHECK(tag == s.get(tags, tag->id));  // one object per tag
            }
        }
        CHECK(log.count() == 0);  // reading and get() send nothing
    }
    SECTION("a selectinload after two joined steps: 1 + 1 statements") {
        ctorm::session s(db);
        auto r = s.all(select(books).order_by(books.id),
                       ctorm::joinedload(book_links).joinedload(link_tag).selectinload(tag_books));
        CHECK(log.count() == 2);
        const auto& links = r.get(book_links, r[2]);  // book 3: tags 4, 3, 2
        REQUIRE(links.size() == 3);
        const auto& books_of_tag = r.get(tag_books, r.get(link_tag, links[0]));
        CHECK(!books_of_tag.empty());
    }
}
