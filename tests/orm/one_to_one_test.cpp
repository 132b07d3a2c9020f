// One-to-one on every backend: books.detail declared from a unique foreign
// key (book_details.book_id, its table's primary key), loaded with
// selectinload (one statement per batch of 500 books) as one object or none,
// the other side (book_details.book) as a many-to-one, explicit s.load, and
// has() / join() through it; the exact statement counts.
#include "support/sqlite_fixture.hpp"
#include "support/statement_log.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include "support/library_schema.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

using namespace library;

namespace {

using statement_log = ctorm_test::data_statement_log;

constexpr int book_count = 700;

std::string isbn_of(std::int64_t b) { return "isbn-" + std::to_string(b); }
std::int32_t pages_of(std::int64_t b) { return static_cast<std::int32_t>(100 + b % 300); }

// Books 1..700; the odd ones have a detail row (350 of them).
template <class C>
void add_books(C& db) {
    auto tx = db.begin();
    for (std::int64_t b = 1; b <= book_count; ++b) {
        db.execute(insert(books).values(Book{.id = b, .title = "book " + std::to_string(b)}));
        if (b % 2 == 1)
            db.execute(insert(book_details).values(BookDetail{.book_id = b, .isbn = isbn_of(b), .pages = pages_of(b)}));
    }
    tx.commit();
}

}  // namespace

TEMPLATE_TEST_CASE("one-to-one: books.detail from a unique foreign key, and book_details.book back",
                   "[orm][relationship]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    db.create_all(books, book_details);
    add_books(db);
    statement_log log;
    log.attach(db);
    ctorm::session s(db);

    SECTION("selectinload(books.detail): 1 + 2 statements for 700 books, one detail or none each") {
        auto r = s.all(select(books).order_by(books.id), ctorm::selectinload(book_detail));
        REQUIRE(r.size() == book_count);
        CHECK(log.count() == 1 + 2);  // 700 keys: batches of 500 and 200
        std::size_t with = 0;
        for (const auto& b : r) {
            const ctorm::handle<BookDetail>& d = r.get(book_detail, b);
            if (b->id % 2 == 0) {
                CHECK_FALSE(d);
                continue;
            }
            REQUIRE(d);
            CHECK(d->book_id == b->id);
            CHECK(d->isbn == isbn_of(b->id));
            CHECK(d->pages == pages_of(b->id));
            ++with;
        }
        CHECK(with == book_count / 2);
        CHECK(s.size() == book_count + book_count / 2);
        const auto d7 = s.get(book_details, std::int64_t{7});  // the identity map's object, no statement
        CHECK(log.count() == 1 + 2);
        CHECK(d7 == r.get(book_detail, r[6]));
    }
    SECTION("the other side: selectinload(book_details.book), the same objects both ways") {
        auto books_first = s.all(select(books).where(books.id <= 10).order_by(books.id));
        log.clear();
        auto r = s.all(select(book_details).where(book_details.pages > 250).order_by(book_details.book_id),
                       ctorm::selectinload(detail_book));
        CHECK(log.count() == 1 + 1);
        std::size_t want = 0;
        for (std::int64_t b = 1; b <= book_count; b += 2) want += pages_of(b) > 250 ? 1 : 0;
        REQUIRE(r.size() == want);
        for (const auto& d : r) {
            const ctorm::handle<Book>& b = r.get(detail_book, d);
            REQUIRE(b);
            CHECK(b->id == d->book_id);
            if (b->id <= 10) CHECK(b == books_first[static_cast<std::size_t>(b->id - 1)]);
        }
    }
    SECTION("s.load: one book's detail in 1 statement; a book without one gives an empty handle") {
        auto b3 = s.get(books, std::int64_t{3});
        auto b4 = s.get(books, std::int64_t{4});
        REQUIRE(b3);
        REQUIRE(b4);
        log.clear();
        const ctorm::handle<BookDetail> d3 = s.load(b3, book_detail);
        CHECK(log.count() == 1);
        REQUIRE(d3);
        CHECK(d3->isbn == isbn_of(3));
        CHECK_FALSE(s.load(b4, book_detail));
        CHECK(log.count() == 2);
        // Batched over many books: 700 keys, 2 statements.
        auto everyone = s.all(select(books).order_by(books.id));
        log.clear();
        auto loaded = s.load(everyone, book_detail);
        CHECK(log.count() == 2);
        CHECK(loaded.get(book_detail, b3) == d3);
        CHECK_FALSE(loaded.get(book_detail, b4));
    }
    SECTION("has(books.detail, ...) and join(books.detail): the same rows on every backend") {
        CHECK(db.scalar(select(ctorm::count()).from(books).where(ctorm::has(book_detail))) == book_count / 2);
        CHECK(db.scalar(select(ctorm::count()).from(books).where(!ctorm::has(book_detail))) == book_count / 2);
        std::int64_t long_ones = 0;
        for (std::int64_t b = 1; b <= book_count; b += 2) long_ones += pages_of(b) >= 390 ? 1 : 0;
        CHECK(db.scalar(select(ctorm::count()).from(books).where(ctorm::has(book_detail, book_details.pages >= 390))) ==
              long_ones);
        const auto rows = db.all(select(books.title, book_details.isbn)
                                     .from(books)
                                     .join(book_detail)
                                     .where(books.id <= 6)
                                     .order_by(books.id));
        using row = std::tuple<std::string, std::string>;
        CHECK(rows == std::vector<row>{{"book 1", "isbn-1"}, {"book 3", "isbn-3"}, {"book 5", "isbn-5"}});
        const auto outer = db.all(select(books.id, book_details.pages)
                                      .from(books)
                                      .outer_join(book_detail)
                                      .where(books.id <= 4)
                                      .order_by(books.id));
        REQUIRE(outer.size() == 4);
        CHECK(std::get<1>(outer[0]) == pages_of(1));
        CHECK_FALSE(std::get<1>(outer[1]));
    }
}
