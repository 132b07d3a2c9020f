// Many-to-many through an association table, on every backend: books.tags
// and tags.books declared from book_tags' two foreign keys, loaded with
// selectinload (one statement per batch of 500 owners' keys, the target
// joined to the association table), nested both ways, explicit s.load, and
// the association rows read as objects of their own (their extra column);
// every tag once in the identity map, and the exact statement counts.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include "support/library_schema.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

using namespace library;

namespace {

using statement_log = ctorm_test::data_statement_log;

constexpr int book_count = 600;
constexpr int tag_count = 50;

// Book i (1-based) has the tags i % 50, 7i % 50 and 13i % 50 (1-based, each
// once); every tenth book has none. Returns each book's tag ids, sorted.
template <class C>
std::map<std::int64_t, std::set<std::int64_t>> add_library(C& db) {
    std::map<std::int64_t, std::set<std::int64_t>> expected;
    auto tx = db.begin();
    for (int t = 1; t <= tag_count; ++t)
        db.execute(insert(tags).values(Tag{.id = t, .name = "tag " + std::to_string(t)}));
    for (std::int64_t b = 1; b <= book_count; ++b) {
        db.execute(insert(books).values(Book{.id = b, .title = "book " + std::to_string(b)}));
        auto& mine = expected[b];
        if (b % 10 == 0) continue;
        for (const std::int64_t m : {1, 7, 13}) mine.insert((b * m) % tag_count + 1);
        for (const std::int64_t t : mine)
            db.execute(insert(book_tags).values(BookTag{
                .book_id = b, .tag_id = t, .added_by = t % 2 ? std::optional<std::string>("ann") : std::nullopt}));
    }
    tx.commit();
    return expected;
}

}  // namespace

TEMPLATE_TEST_CASE("many-to-many: books.tags and tags.books through book_tags", "[orm][relationship]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(books, tags, book_tags);
    const auto expected = add_library(db);
    std::size_t links = 0;
    for (const auto& [b, ts] : expected) links += ts.size();
    REQUIRE(static_cast<std::size_t>(db.scalar(select(ctorm::count()).from(book_tags))) == links);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("selectinload(books.tags): 1 + 2 statements for 600 books, each tag one object") {
        auto r = s.all(select(books).order_by(books.id), ctorm::selectinload(book_tag_list));
        REQUIRE(r.size() == book_count);
        CHECK(log.count() == 1 + 2);
        std::size_t seen = 0;
        for (const auto& b : r) {
            const auto& got = r.get(book_tag_list, b);
            const auto& want = expected.at(b->id);
            REQUIRE(got.size() == want.size());
            auto w = want.begin();
            for (const auto& t : got) {
                CHECK(t->id == *w++);  // in tag id order
                CHECK(t->name == "tag " + std::to_string(t->id));
            }
            seen += got.size();
        }
        CHECK(seen == links);
        std::set<std::int64_t> used;
        for (const auto& [b, ts] : expected) used.insert(ts.begin(), ts.end());
        REQUIRE(used.size() == 45);                   // ids 10i + 1 are on no book
        CHECK(s.size() == book_count + used.size());  // a tag on many books is one object
        const auto t7 = s.get(tags, 7);
        CHECK(log.count() == 1 + 2);
        for (const auto& b : r)
            for (const auto& t : r.get(book_tag_list, b))
                if (t->id == 7) CHECK(t == t7);
    }
    SECTION("the other way: selectinload(tags.books), 1 + 1 statements for 50 tags") {
        auto r = s.all(select(tags).order_by(tags.id), ctorm::selectinload(tag_books));
        REQUIRE(r.size() == tag_count);
        CHECK(log.count() == 1 + 1);
        std::size_t seen = 0;
        for (const auto& t : r) {
            std::int64_t last = 0;
            for (const auto& b : r.get(tag_books, t)) {
                CHECK(expected.at(b->id).count(t->id) == 1);
                CHECK(b->id > last);  // in book id order
                last = b->id;
                ++seen;
            }
        }
        CHECK(seen == links);
    }
    SECTION("nested: books -> tags -> books, one statement per level (and per batch)") {
        auto r = s.all(select(books).where(books.id <= 20).order_by(books.id),
                       ctorm::selectinload(book_tag_list).selectinload(tag_books));
        CHECK(log.count() == 1 + 1 + 1);
        for (const auto& b : r)
            for (const auto& t : r.get(book_tag_list, b)) {
                const auto& also = r.get(tag_books, t);
                bool found = false;
                for (const auto& other : also) found = found || other == b;
                CHECK(found);
            }
    }
    SECTION("the association rows as objects: books.links, then each link's tag") {
        auto r = s.all(select(books).where(books.id <= 30).order_by(books.id),
                       ctorm::selectinload(book_links).selectinload(link_tag));
        CHECK(log.count() == 1 + 1 + 1);
        for (const auto& b : r) {
            const auto& ls = r.get(book_links, b);
            REQUIRE(ls.size() == expected.at(b->id).size());
            for (const auto& l : ls) {
                CHECK(l->book_id == b->id);
                CHECK(l->added_by == (l->tag_id % 2 ? std::optional<std::string>("ann") : std::nullopt));
                CHECK(r.get(link_tag, l)->id == l->tag_id);
            }
        }
    }
    SECTION("s.load(book, books.tags): one statement; a book with no tag gives an empty list") {
        auto b3 = s.get(books, 3);
        REQUIRE(b3);
        CHECK(log.count() == 1);
        CHECK(s.load(b3, book_tag_list).size() == expected.at(3).size());
        CHECK(log.count() == 2);
        auto b10 = s.get(books, 10);
        CHECK(s.load(b10, book_tag_list).empty());
        CHECK(log.count() == 4);
    }
}
