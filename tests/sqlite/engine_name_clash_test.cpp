// With an adapter included, under the README's `using namespace ctorm;`, a
// user's tables may still be named like the execution core's parts: the
// backend and connection types live in ctorm::sqlite / ctorm::postgres, the
// concepts have names no table is likely to take (sql_statement, not
// statement), and the core's helpers are in ctorm::detail. Each table here is
// created, written and read on a real SQLite database.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include <ctorm/sqlite.hpp>

using namespace ctorm;

namespace {
struct named_row {
    std::int64_t id{};
    std::string title;
};
}  // namespace

CTORM_TABLE(statement, named_row, (id, primary_key), (title));
CTORM_TABLE(dialect, named_row, (id, primary_key), (title));
CTORM_TABLE(connection, named_row, (id, primary_key), (title));
CTORM_TABLE(backend, named_row, (id, primary_key), (title));
CTORM_TABLE(transaction, named_row, (id, primary_key), (title));
CTORM_TABLE(savepoint, named_row, (id, primary_key), (title));
CTORM_TABLE(cursor, named_row, (id, primary_key), (title));
CTORM_TABLE(engine, named_row, (id, primary_key), (title));
CTORM_TABLE(cache, named_row, (id, primary_key), (title));
CTORM_TABLE(streaming, named_row, (id, primary_key), (title));
CTORM_TABLE(decoding, named_row, (id, primary_key), (title));
CTORM_TABLE(codes, named_row, (id, primary_key), (title));
CTORM_TABLE(protocol, named_row, (id, primary_key), (title));

namespace {
template <class T>
std::vector<std::string> round_trip(sqlite::connection& db, const T& t) {
    db.execute(insert(t).values(t.title = "a"));
    db.execute(insert(t).values(t.title = "b"));
    db.execute(update(t).set(t.title = "c").where(t.title == "b"));
    return db.all(select(t.title).order_by(t.id));
}
}  // namespace

TEST_CASE("tables named like the execution core's parts", "[engine]") {
    sqlite::connection db(":memory:");
    db.create_all(statement, dialect, connection, backend, transaction, savepoint, cursor, engine, cache, streaming,
                  decoding, codes, protocol);
    const std::vector<std::string> expected{"a", "c"};
    CHECK(round_trip(db, statement) == expected);
    CHECK(round_trip(db, dialect) == expected);
    CHECK(round_trip(db, connection) == expected);
    CHECK(round_trip(db, backend) == expected);
    CHECK(round_trip(db, transaction) == expected);
    CHECK(round_trip(db, savepoint) == expected);
    CHECK(round_trip(db, cursor) == expected);
    CHECK(round_trip(db, engine) == expected);
    CHECK(round_trip(db, cache) == expected);
    CHECK(round_trip(db, streaming) == expected);
    CHECK(round_trip(db, decoding) == expected);
    CHECK(round_trip(db, codes) == expected);
    CHECK(round_trip(db, protocol) == expected);
}
