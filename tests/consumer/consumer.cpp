// A tiny ctorm user, built by each consumer test: one model, an in-memory SQLite database, one checked query.
//
// Exit code 0 and "ctorm consumer: ok" when every answer is right. With
// CTORM_CONSUMER_POSTGRES defined it also includes the PostgreSQL adapter and
// checks its rendering (no server needed), proving libpq's headers and
// library reach the consumer too. With CTORM_CONSUMER_ASYNC defined (linked
// with ctorm::async) it also counts the books through the awaitable SQLite
// connection, on its worker thread.
#ifdef CTORM_CONSUMER_ASYNC
// ctorm's async header before any Asio header (docs/async.md, "Compilers").
#include <ctorm/async/sqlite.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#endif
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <ctorm/sqlite.hpp>
#ifdef CTORM_CONSUMER_POSTGRES
#include <ctorm/postgres.hpp>
#endif

struct Book {
    std::int64_t id{};
    std::string title{};
    std::int32_t year{};
};

CTORM_TABLE(books, Book,
            (id, primary_key),
            (title, varchar<200>),
            (year));

namespace {

int failures = 0;

void expect(bool condition, const char* what) {
    if (!condition) {
        std::cerr << "ctorm consumer: FAILED: " << what << '\n';
        ++failures;
    }
}

}  // namespace

int main() {
    using namespace ctorm;

    // The query is rendered by the compiler; pin its text.
    constexpr auto recent = select(books).where(books.year >= 1950).order_by(books.year);
    static_assert(to_sql<sqlite_dialect>(select(books.title).where(books.year >= 1950)) ==
                  "SELECT \"books\".\"title\" FROM \"books\" WHERE \"books\".\"year\" >= ?");
#ifdef CTORM_CONSUMER_POSTGRES
    static_assert(to_sql<postgres_dialect>(select(books.title).where(books.year >= 1950)) ==
                  "SELECT \"books\".\"title\" FROM \"books\" WHERE \"books\".\"year\" >= $1");
#endif

    try {
        auto db = sqlite::connect("sqlite:///:memory:");
        db.create_all(books);
        db.execute(insert(books).values(Book{.title = "Foundation", .year = 1951}));
        db.execute(insert(books).values(Book{.title = "Dune", .year = 1965}));
        db.execute(insert(books).values(Book{.title = "Brave New World", .year = 1932}));

        const std::vector<Book> found = db.all(recent);
        expect(found.size() == 2, "two books from 1950 on");
        if (found.size() == 2) {
            expect(found[0].title == "Foundation" && found[0].year == 1951, "Foundation first");
            expect(found[1].title == "Dune" && found[1].id == 2, "Dune second, with id 2");
        }
        expect(db.scalar(select(count()).from(books)) == 3, "three books in all");
#ifdef CTORM_CONSUMER_ASYNC
        sqlite::async_connection adb(std::move(db));
        std::int64_t counted = 0;
        boost::asio::io_context io;
        boost::asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                const auto q = select(count()).from(books);
                counted = co_await adb.scalar(q);
            },
            [](std::exception_ptr e) {
                if (e) std::rethrow_exception(e);
            });
        io.run();
        expect(counted == 3, "three books, counted by the async connection");
#endif
    } catch (const std::exception& error) {
        std::cerr << "ctorm consumer: FAILED: " << error.what() << '\n';
        return 1;
    }

    if (failures != 0) {
        return 1;
    }
    std::cout << "ctorm consumer: ok\n";
    return 0;
}
