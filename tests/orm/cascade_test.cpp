// Cascades in the session on every backend: save-update (s.append adds a
// child, inserted after its parent with the parent's new key), delete
// (removing a parent deletes its children with one DELETE ... WHERE before
// its own DELETE), delete-orphan (s.remove_from deletes the child),
// passive-deletes (the database's ON DELETE CASCADE; the session only marks
// the children it holds). Exact statement counts, rows checked in the
// database, and a failed flush that writes nothing.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shelf {

struct Author {
    std::int64_t id{};
    std::string name;
};
struct Book {
    std::int64_t id{};
    std::string title;
    std::int64_t author_id{};
};
struct Chapter {
    std::int64_t id{};
    std::string title;
    std::int64_t book_id{};
};
struct Note {
    std::int64_t id{};
    std::string text;
    std::optional<std::int64_t> author_id;
};
struct Review {
    std::int64_t id{};
    std::int64_t book_id{};
    std::string body;
};

CTORM_TABLE(authors, Author, (id, primary_key), (name, varchar<100>, unique));
CTORM_TABLE(books, Book, (id, primary_key), (title, varchar<200>), (author_id, references(authors.id), index));
CTORM_TABLE(chapters, Chapter, (id, primary_key), (title, varchar<200>),
            (book_id, references(books.id).on_delete(cascade), index));
CTORM_TABLE(notes, Note, (id, primary_key), (text, varchar<200>), (author_id, references(authors.id)));
CTORM_TABLE(reviews, Review, (id, primary_key), (book_id, references(books.id)), (body, varchar<200>));

inline constexpr auto author_books = ctorm::one_to_many<"books">(authors, books.author_id);
inline constexpr auto book_chapters = ctorm::one_to_many<"chapters">(books, chapters.book_id);
inline constexpr auto author_notes = ctorm::one_to_many<"notes">(authors, notes.author_id);
inline constexpr auto book_reviews = ctorm::one_to_many<"reviews">(books, reviews.book_id);

struct Folder {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> parent_id;
};
CTORM_TABLE(folders, Folder, (id, primary_key), (name, varchar<100>),
            (parent_id, references(folders.id).on_delete(cascade), index));
inline constexpr auto subfolders = ctorm::one_to_many<"children">(folders, folders.parent_id);
CTORM_CASCADES(folders, ctorm::cascade<"all, passive-deletes">(subfolders));

CTORM_CASCADES(authors, ctorm::cascade<"all, delete-orphan">(author_books),
               ctorm::cascade<"save-update">(author_notes));
CTORM_CASCADES(books, ctorm::cascade<"all, passive-deletes">(book_chapters));

}  // namespace shelf

namespace {

using namespace shelf;

constexpr ctorm::cascade_options books_cascade = ctorm::cascade_of_v<std::remove_cvref_t<decltype(author_books)>>;
static_assert(books_cascade.save_update && books_cascade.delete_rows && books_cascade.delete_orphan &&
              !books_cascade.passive_deletes);
constexpr ctorm::cascade_options chapters_cascade = ctorm::cascade_of_v<std::remove_cvref_t<decltype(book_chapters)>>;
static_assert(chapters_cascade.delete_rows && chapters_cascade.passive_deletes && !chapters_cascade.delete_orphan);
constexpr ctorm::cascade_options notes_cascade = ctorm::cascade_of_v<std::remove_cvref_t<decltype(author_notes)>>;
static_assert(notes_cascade.save_update && !notes_cascade.delete_rows);
constexpr ctorm::cascade_options reviews_cascade = ctorm::cascade_of_v<std::remove_cvref_t<decltype(book_reviews)>>;
static_assert(!reviews_cascade.save_update && !reviews_cascade.delete_rows);
static_assert(ctorm::detail::parse_cascade(" save-update ,delete ").understood);
static_assert(!ctorm::detail::parse_cascade("all,").understood);
static_assert(!ctorm::detail::parse_cascade("merge").understood);

// The bulk cascade statements, pinned per dialect: books have a cascade of
// their own (chapters, passive), so the DELETE returns the column it starts
// from; chapters would have none.
using bulk_books = decltype(ctorm::delete_from(books).where(books.author_id == std::int64_t{}).returning(books.id));
static_assert(ctorm::to_sql<ctorm::sqlite_dialect, bulk_books>() ==
              std::string_view(R"(DELETE FROM "books" WHERE "books"."author_id" = ? RETURNING "books"."id")"));
static_assert(ctorm::to_sql<ctorm::postgres_dialect, bulk_books>() ==
              std::string_view(R"(DELETE FROM "books" WHERE "books"."author_id" = $1 RETURNING "books"."id")"));
using bulk_chapters = decltype(ctorm::delete_from(chapters).where(chapters.book_id == std::int64_t{}));
static_assert(ctorm::to_sql<ctorm::sqlite_dialect, bulk_chapters>() ==
              std::string_view(R"(DELETE FROM "chapters" WHERE "chapters"."book_id" = ?)"));
static_assert(ctorm::to_sql<ctorm::postgres_dialect, bulk_chapters>() ==
              std::string_view(R"(DELETE FROM "chapters" WHERE "chapters"."book_id" = $1)"));

using statement_log = ctorm_test::data_statement_log;

template <class C>
std::int64_t rows_of(C& db, const auto& table) {
    return db.scalar(ctorm::select(ctorm::count()).from(table));
}

template <class TestType>
auto fresh_shelf() {
    auto db = TestType::fresh();
    db.create_all(authors, books, chapters, notes, reviews);
    return db;
}

// Ann with three books (the second with two chapters), Bob with one.
template <class C>
void add_shelf(C& db) {
    auto tx = db.begin();
    db.execute(insert(authors).values(Author{.id = 1, .name = "Ann"}));
    db.execute(insert(authors).values(Author{.id = 2, .name = "Bob"}));
    for (std::int64_t b = 1; b <= 3; ++b)
        db.execute(insert(books).values(Book{.id = b, .title = "ann " + std::to_string(b), .author_id = 1}));
    db.execute(insert(books).values(Book{.id = 4, .title = "bob 1", .author_id = 2}));
    db.execute(insert(chapters).values(Chapter{.id = 1, .title = "one", .book_id = 2}));
    db.execute(insert(chapters).values(Chapter{.id = 2, .title = "two", .book_id = 2}));
    tx.commit();
}

}  // namespace

TEMPLATE_TEST_CASE("cascade save-update: appended children are inserted after their new parent, with its key",
                   "[orm][cascade]", CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto ann = s.add(authors, Author{.name = "Ann"});
    auto b1 = s.append(ann, author_books, Book{.title = "first"});
    auto b2 = s.append(ann, author_books, Book{.title = "second"});
    CHECK(b1.state() == ctorm::object_state::pending);
    CHECK(log.count() == 0);
    s.flush();
    REQUIRE(log.count() == 3);
    CHECK(log.starts_with(0, R"(INSERT INTO "authors")"));
    CHECK(log.starts_with(1, R"(INSERT INTO "books")"));
    CHECK(log.starts_with(2, R"(INSERT INTO "books")"));
    CHECK(ann->id != 0);
    CHECK(b1.get().author_id == ann->id);
    CHECK(b2.get().author_id == ann->id);
    CHECK(b1.state() == ctorm::object_state::persistent);
    s.commit();
    CHECK(db.scalar(ctorm::select(ctorm::count()).from(books).where(books.author_id == ann->id)) == 2);

    // A persistent parent: one INSERT; a flush with nothing left sends nothing.
    log.clear();
    auto b3 = s.append(ann, author_books, Book{.title = "third"});
    s.flush();
    CHECK(log.count() == 1);
    CHECK(b3.get().author_id == ann->id);
    s.flush();
    CHECK(log.count() == 1);

    // A save-update cascade of its own: notes.
    auto note = s.append(ann, author_notes, Note{.text = "to do", .author_id = std::nullopt});
    s.commit();
    CHECK(log.count() == 2);
    CHECK(note.get().author_id == ann->id);
    CHECK(rows_of(db, books) == 3);
    CHECK(rows_of(db, notes) == 1);
}

TEMPLATE_TEST_CASE("cascade save-update: a child appended to another parent is moved with one UPDATE", "[orm][cascade]",
                   CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    add_shelf(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto bob = s.get(authors, std::int64_t{2});
    auto book = s.get(books, std::int64_t{1});
    REQUIRE(log.count() == 2);
    log.clear();
    s.append(bob, author_books, book);
    s.flush();
    REQUIRE(log.count() == 1);
    CHECK(log.starts_with(0, R"(UPDATE "books" SET "author_id")"));
    CHECK(book.get().author_id == 2);

    // To a new parent: its INSERT first, then the UPDATE with its new key.
    log.clear();
    auto cy = s.add(authors, Author{.name = "Cy"});
    s.append(cy, author_books, book);
    s.commit();
    REQUIRE(log.count() == 2);
    CHECK(log.starts_with(0, R"(INSERT INTO "authors")"));
    CHECK(log.starts_with(1, R"(UPDATE "books")"));
    CHECK(db.scalar(ctorm::select(books.author_id).from(books).where(books.id == std::int64_t{1})) == cy->id);

    // Not in the session: refused, no statement.
    log.clear();
    ctorm::handle<Book> none;
    CHECK_THROWS_AS(s.append(bob, author_books, none), ctorm::session_error);
    CHECK(log.count() == 0);
}

TEMPLATE_TEST_CASE("cascade delete: removing a parent deletes its children first, loaded or not", "[orm][cascade]",
                   CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    add_shelf(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("children loaded: one DELETE for them, one for the parent; the loaded ones are deleted") {
        auto ann = s.get(authors, std::int64_t{1});
        auto ann_books = s.load(ann, author_books);
        REQUIRE(ann_books.size() == 3);
        REQUIRE(log.count() == 2);
        log.clear();
        s.remove(ann);
        s.flush();
        REQUIRE(log.count() == 2);
        CHECK(log.texts[0] == R"(DELETE FROM "books" WHERE "books"."author_id" = )" +
                                  std::string(TestType::kind == "sqlite" ? "?" : "$1") + R"( RETURNING "books"."id")");
        CHECK(log.starts_with(1, R"(DELETE FROM "authors")"));
        for (const auto& b : ann_books) CHECK(b.state() == ctorm::object_state::deleted);
        CHECK(ann.state() == ctorm::object_state::deleted);
        // The database's ON DELETE CASCADE took the chapters of book 2.
        CHECK(rows_of(db, chapters) == 0);
        s.commit();
        CHECK(ann_books[0].state() == ctorm::object_state::detached);
        CHECK(rows_of(db, books) == 1);
        CHECK(rows_of(db, authors) == 1);
    }
    SECTION("children not loaded: the same two statements, no SELECT") {
        auto ann = s.get(authors, std::int64_t{1});
        log.clear();
        s.remove(ann);
        s.commit();
        CHECK(log.count() == 2);
        CHECK(rows_of(db, books) == 1);
        CHECK(db.scalar(ctorm::select(books.author_id).from(books)) == 2);
    }
    SECTION("a child removed explicitly too: its own DELETE, then the cascade, then the parent") {
        auto ann = s.get(authors, std::int64_t{1});
        auto b1 = s.get(books, std::int64_t{1});
        log.clear();
        s.remove(b1);
        s.remove(ann);
        s.flush();
        REQUIRE(log.count() == 3);
        CHECK(log.starts_with(0, R"(DELETE FROM "books" WHERE "books"."id")"));
        CHECK(log.starts_with(1, R"(DELETE FROM "books" WHERE "books"."author_id")"));
        CHECK(log.starts_with(2, R"(DELETE FROM "authors")"));
        s.commit();
        CHECK(rows_of(db, books) == 1);
    }
    SECTION("a rollback after the flush brings the children back, expired") {
        auto ann = s.get(authors, std::int64_t{1});
        auto ann_books = s.load(ann, author_books);
        s.remove(ann);
        s.flush();
        s.rollback();
        for (const auto& b : ann_books) {
            CHECK(b.state() == ctorm::object_state::persistent);
            CHECK(b.expired());
        }
        CHECK(rows_of(db, books) == 4);
        CHECK(rows_of(db, chapters) == 2);
        log.clear();
        CHECK(s.get(books, std::int64_t{1}) == ann_books[0]);  // reloaded into the same object
        CHECK(log.count() == 1);
    }
}

TEMPLATE_TEST_CASE("cascade delete: children appended and not inserted go with their removed parent", "[orm][cascade]",
                   CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    add_shelf(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("a pending parent: nothing is sent") {
        auto cy = s.add(authors, Author{.name = "Cy"});
        auto b1 = s.append(cy, author_books, Book{.title = "one"});
        auto b2 = s.append(cy, author_books, Book{.title = "two"});
        s.remove(cy);
        s.commit();
        CHECK(log.count() == 0);
        CHECK(b1.state() == ctorm::object_state::detached);
        CHECK(b2.state() == ctorm::object_state::detached);
    }
    SECTION("a persistent parent: its cascade and its DELETE, no INSERT") {
        auto bob = s.get(authors, std::int64_t{2});
        log.clear();
        auto b = s.append(bob, author_books, Book{.title = "never"});
        s.remove(bob);
        s.commit();
        REQUIRE(log.count() == 2);
        CHECK(log.starts_with(0, R"(DELETE FROM "books" WHERE "books"."author_id")"));
        CHECK(log.starts_with(1, R"(DELETE FROM "authors")"));
        CHECK(b.state() == ctorm::object_state::detached);
        CHECK(rows_of(db, books) == 3);
    }
}

TEMPLATE_TEST_CASE("cascade passive-deletes: the database deletes the children, the session marks the ones it holds",
                   "[orm][cascade]", CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    add_shelf(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("the parent's DELETE alone") {
        auto book = s.get(books, std::int64_t{2});
        auto ch = s.load(book, book_chapters);
        REQUIRE(ch.size() == 2);
        log.clear();
        s.remove(book);
        s.flush();
        REQUIRE(log.count() == 1);
        CHECK(log.starts_with(0, R"(DELETE FROM "books")"));
        for (const auto& c : ch) CHECK(c.state() == ctorm::object_state::deleted);
        CHECK(!s.get(chapters, std::int64_t{1}));  // not in the map any more: loaded, no row
        s.commit();
        CHECK(rows_of(db, chapters) == 0);
    }
    SECTION("under a delete cascade: the grandchildren the session holds are marked too") {
        auto ann = s.get(authors, std::int64_t{1});
        auto ch = s.all(ctorm::select(chapters));  // their book (2) is not in the session
        REQUIRE(ch.size() == 2);
        log.clear();
        s.remove(ann);
        s.commit();
        CHECK(log.count() == 2);
        for (const auto& c : ch) CHECK(c.state() == ctorm::object_state::detached);
        CHECK(rows_of(db, chapters) == 0);
        CHECK(rows_of(db, books) == 1);
    }
}

TEMPLATE_TEST_CASE("cascade delete-orphan: a child taken out of its parent's collection is deleted", "[orm][cascade]",
                   CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    add_shelf(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto ann = s.get(authors, std::int64_t{1});
    auto ann_books = s.load(ann, author_books);
    log.clear();
    s.remove_from(ann, author_books, ann_books[0]);
    s.flush();
    REQUIRE(log.count() == 1);
    CHECK(log.starts_with(0, R"(DELETE FROM "books" WHERE "books"."id")"));
    CHECK(ann_books[0].state() == ctorm::object_state::deleted);

    // A pending child taken out: only out of the session.
    log.clear();
    auto fresh = s.append(ann, author_books, Book{.title = "draft"});
    s.remove_from(ann, author_books, fresh);
    s.flush();
    CHECK(log.count() == 0);
    CHECK(fresh.state() == ctorm::object_state::detached);

    // Another parent's child: refused, no statement.
    auto bob = s.get(authors, std::int64_t{2});
    log.clear();
    CHECK_THROWS_AS(s.remove_from(bob, author_books, ann_books[1]), ctorm::session_error);
    CHECK(log.count() == 0);
    s.commit();
    CHECK(rows_of(db, books) == 3);
    CHECK(db.scalar(ctorm::select(ctorm::count()).from(books).where(books.author_id == std::int64_t{1})) == 2);
}

TEMPLATE_TEST_CASE("cascade: remove_from without delete-orphan sets the foreign key to NULL", "[orm][cascade]",
                   CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    add_shelf(db);
    db.execute(insert(notes).values(Note{.id = 1, .text = "n", .author_id = 1}));
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto ann = s.get(authors, std::int64_t{1});
    auto ann_notes = s.load(ann, author_notes);
    REQUIRE(ann_notes.size() == 1);
    log.clear();
    s.remove_from(ann, author_notes, ann_notes[0]);
    s.commit();
    REQUIRE(log.count() == 1);
    CHECK(log.starts_with(0, R"(UPDATE "notes" SET "author_id")"));
    CHECK(rows_of(db, notes) == 1);
    CHECK(db.scalar(ctorm::select(ctorm::count()).from(notes).where(notes.author_id.is_null())) == 1);
}

TEMPLATE_TEST_CASE("cascade: a failed flush writes nothing", "[orm][cascade]", CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    add_shelf(db);
    ctorm::session s(db);

    SECTION("a new parent that breaks a constraint: neither it nor its children") {
        auto dup = s.add(authors, Author{.name = "Ann"});
        auto b = s.append(dup, author_books, Book{.title = "lost"});
        CHECK_THROWS_AS(s.flush(), ctorm::unique_violation);
        CHECK(b.state() == ctorm::object_state::detached);
        CHECK(rows_of(db, books) == 4);
        CHECK(rows_of(db, authors) == 2);
    }
    SECTION("a child appended (no delete cascade) to a parent removed before its INSERT: a session_error") {
        auto cy = s.add(authors, Author{.name = "Cy"});
        auto n = s.append(cy, author_notes, Note{.text = "orphan", .author_id = std::nullopt});
        auto b = s.append(cy, author_books, Book{.title = "goes with cy"});
        s.remove(cy);
        CHECK(b.state() == ctorm::object_state::detached);
        try {
            s.flush();
            FAIL("the flush should have failed");
        } catch (const ctorm::session_error& e) {
            CHECK(std::string(e.what()).find("a new notes object") != std::string::npos);
        }
        CHECK(n.state() == ctorm::object_state::detached);
        CHECK(rows_of(db, authors) == 2);
        CHECK(rows_of(db, notes) == 0);
    }
    SECTION("a cascade that a foreign key stops: children and parent stay, the loaded children come back") {
        db.execute(insert(reviews).values(Review{.id = 1, .book_id = 3, .body = "good"}));
        auto ann = s.get(authors, std::int64_t{1});
        auto ann_books = s.load(ann, author_books);
        auto fresh = s.append(ann, author_books, Book{.title = "new"});
        s.remove(ann);
        try {
            s.flush();
            FAIL("the flush should have failed");
        } catch (const ctorm::foreign_key_violation& e) {
            CHECK(std::string(e.what()).find("authors(id=1)") != std::string::npos);
        }
        CHECK(fresh.state() == ctorm::object_state::detached);
        CHECK(ann.state() == ctorm::object_state::persistent);
        for (const auto& b : ann_books) CHECK(b.state() == ctorm::object_state::persistent);
        CHECK(rows_of(db, books) == 4);
        CHECK(rows_of(db, chapters) == 2);
        CHECK(rows_of(db, authors) == 2);
    }
}

TEMPLATE_TEST_CASE(
    "cascade on a self-referential relationship: new levels get their parents' keys, a removed root "
    "takes every level",
    "[orm][cascade]", CTORM_TEST_BACKENDS) {
    auto db = fresh_shelf<TestType>();
    db.create_all(folders);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    auto root = s.add(folders, Folder{.name = "root", .parent_id = std::nullopt});
    auto a = s.append(root, subfolders, Folder{.name = "a", .parent_id = std::nullopt});
    auto b = s.append(a, subfolders, Folder{.name = "b", .parent_id = std::nullopt});
    s.commit();
    REQUIRE(log.count() == 3);
    CHECK(a.get().parent_id == root.get().id);
    CHECK(b.get().parent_id == a.get().id);

    log.clear();
    s.remove(root);
    s.flush();
    REQUIRE(log.count() == 1);  // the database deletes a and b
    CHECK(a.state() == ctorm::object_state::deleted);
    CHECK(b.state() == ctorm::object_state::deleted);
    s.commit();
    CHECK(rows_of(db, folders) == 0);
}
