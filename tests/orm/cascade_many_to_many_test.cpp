// Many-to-many collections written through the session on every backend
// (and a one-to-one's cascade, on the same schema):
// s.append(book, books.tags, tag) inserts the association row after both
// objects (with their new keys), s.remove_from deletes it by its key; the
// tags themselves are never deleted. Exact statement counts, rows checked in
// the database, and a failed flush that writes nothing.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include "support/library_schema.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace library {
CTORM_CASCADES(books, ctorm::cascade<"save-update">(book_tag_list), ctorm::cascade<"all, delete-orphan">(book_detail));
}  // namespace library

namespace {

using namespace library;

using statement_log = ctorm_test::data_statement_log;

template <class C>
std::int64_t links_of(C& db, std::int64_t book) {
    return db.scalar(ctorm::select(ctorm::count()).from(book_tags).where(book_tags.book_id == book));
}

}  // namespace

TEMPLATE_TEST_CASE("many-to-many: append inserts the association row after both objects", "[orm][cascade]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(books, tags, book_tags);
    db.execute(insert(tags).values(Tag{.id = 1, .name = "c++"}));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto cpp = s.get(tags, std::int64_t{1});
    log.clear();
    auto book = s.add(books, Book{.title = "Templates"});
    s.append(book, book_tag_list, cpp);                                          // an existing tag
    auto fresh = s.append(book, book_tag_list, Tag{.name = "metaprogramming"});  // a new one (save-update)
    CHECK(log.count() == 0);
    s.flush();
    REQUIRE(log.count() == 4);
    // books and tags reference nothing: either goes first.
    CHECK((log.starts_with(0, R"(INSERT INTO "books")") || log.starts_with(1, R"(INSERT INTO "books")")));
    CHECK((log.starts_with(0, R"(INSERT INTO "tags")") || log.starts_with(1, R"(INSERT INTO "tags")")));
    CHECK(log.starts_with(2, R"(INSERT INTO "book_tags")"));
    CHECK(log.starts_with(3, R"(INSERT INTO "book_tags")"));
    CHECK(fresh.state() == ctorm::object_state::persistent);
    s.commit();
    CHECK(links_of(db, book.get().id) == 2);

    // Reading it back through the relationship: the same objects.
    log.clear();
    auto got = s.load(book, book_tag_list);
    CHECK(log.count() == 1);
    REQUIRE(got.size() == 2);
    CHECK((got[0] == cpp || got[1] == cpp));

    // Taken out: one DELETE of the association row, the tag stays.
    log.clear();
    s.remove_from(book, book_tag_list, cpp);
    s.commit();
    REQUIRE(log.count() == 1);
    CHECK(log.starts_with(0, R"(DELETE FROM "book_tags")"));
    CHECK(links_of(db, book.get().id) == 1);
    CHECK(cpp.state() == ctorm::object_state::persistent);
    CHECK(db.scalar(ctorm::select(ctorm::count()).from(tags)) == 2);

    // Appended and taken out before a flush: nothing sent.
    log.clear();
    s.append(book, book_tag_list, cpp);
    s.remove_from(book, book_tag_list, cpp);
    s.commit();
    CHECK(log.count() == 0);
    CHECK(links_of(db, book.get().id) == 1);
}

TEMPLATE_TEST_CASE("many-to-many: remove_from of a row loaded or not, and a failed flush", "[orm][cascade]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(books, tags, book_tags);
    db.execute(insert(books).values(Book{.id = 1, .title = "b"}));
    db.execute(insert(tags).values(Tag{.id = 1, .name = "x"}));
    db.execute(insert(tags).values(Tag{.id = 2, .name = "y"}));
    db.execute(insert(book_tags).values(BookTag{.book_id = 1, .tag_id = 1, .added_by = "ann"}));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);
    auto book = s.get(books, std::int64_t{1});
    auto x = s.get(tags, std::int64_t{1});
    auto y = s.get(tags, std::int64_t{2});

    SECTION("a row the session does not hold: one DELETE by its key, no SELECT") {
        log.clear();
        s.remove_from(book, book_tag_list, x);
        s.commit();
        CHECK(log.count() == 1);
        CHECK(links_of(db, 1) == 0);
    }
    SECTION("a row that is not there: stale_data_error, rolled back") {
        log.clear();
        s.remove_from(book, book_tag_list, y);
        CHECK_THROWS_AS(s.flush(), ctorm::stale_data_error);
        CHECK(links_of(db, 1) == 1);
    }
    SECTION("a row that is there already: the unique violation rolls back the whole flush") {
        auto z = s.add(tags, Tag{.name = "z"});
        s.append(book, book_tag_list, z);
        s.append(book, book_tag_list, x);  // (1, 1) exists
        CHECK_THROWS_AS(s.flush(), ctorm::unique_violation);
        CHECK(z.state() == ctorm::object_state::detached);
        CHECK(links_of(db, 1) == 1);
        CHECK(db.scalar(ctorm::select(ctorm::count()).from(tags)) == 2);
    }
}

TEMPLATE_TEST_CASE("one-to-one: the detail of a new book gets its key, and removing the book deletes it",
                   "[orm][cascade]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(books, tags, book_tags, book_details);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto book = s.add(books, Book{.title = "Templates"});
    auto detail = s.append(book, book_detail, BookDetail{.book_id = 0, .isbn = "978-0", .pages = 800});
    s.commit();
    REQUIRE(log.count() == 2);
    CHECK(detail.get().book_id == book.get().id);
    CHECK(s.get(book_details, book.get().id) == detail);  // in the identity map by its new key

    log.clear();
    s.remove(book);
    s.commit();
    REQUIRE(log.count() == 2);
    CHECK(log.starts_with(0, R"(DELETE FROM "book_details" WHERE "book_details"."book_id")"));
    CHECK(log.starts_with(1, R"(DELETE FROM "books")"));
    CHECK(detail.state() == ctorm::object_state::detached);
    CHECK(db.scalar(ctorm::select(ctorm::count()).from(book_details)) == 0);
}
