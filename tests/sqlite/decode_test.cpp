// SQLite values that cannot become the C++ field they are read into raise
// decode_error naming the table and column (SQLite stores whatever it is
// given in a column without STRICT; PostgreSQL's typed columns cannot hold
// such values, and its decoding is checked in tests/postgres/types_test.cpp).
#include "support/sqlite_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <ctorm/orm.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

using namespace blog;

namespace {

using ctorm_test::contains;

// Runs f, which must throw exactly Expected (not a subclass); returns the exception.
template <class Expected, class F>
Expected thrown_by(F&& f) {
    try {
        f();
    } catch (const Expected& e) {
        CHECK(typeid(e) == typeid(Expected));
        return e;
    } catch (const std::exception& e) {
        FAIL("threw " << typeid(e).name() << ": " << e.what());
    }
    FAIL("did not throw");
    throw std::logic_error("unreachable");
}

}  // namespace

// A table created by raw SQL without STRICT or NOT NULL, declared to ctorm with
// non-optional fields: SQLite stores whatever it is given, and reading must
// refuse what does not fit the field.

// A named namespace: in an unnamed one, clang's -Wunused-const-variable flags
// the ctorm_primary_key_count that CTORM_TABLE defines (reported).
namespace loose_schema {

struct Loose {
    std::int64_t id{};
    std::string label;
    std::int64_t amount{};
    std::int8_t small{};
    std::uint16_t medium{};
    bool flag{};
    double ratio{};
    ctorm::timestamp at{};
    ctorm::date day{};
    mood feeling{};
    std::optional<std::int64_t> maybe{};
};

CTORM_TABLE(loose, Loose, (id, primary_key), (label), (amount), (small), (medium), (flag), (ratio), (at), (day),
            (feeling), (maybe));

}  // namespace loose_schema

using loose_schema::loose;
using loose_schema::Loose;

namespace {

ctorm::sqlite::connection loose_db() {
    auto db = ctorm_test::empty_db(ctorm_test::storage::memory);
    db.execute_script(
        "CREATE TABLE loose (id INTEGER PRIMARY KEY, label TEXT, amount INTEGER, small INTEGER, medium INTEGER,"
        " flag INTEGER, ratio REAL, at TEXT, day TEXT, feeling INTEGER, maybe INTEGER);"
        "INSERT INTO loose VALUES (1, 'ok', 5, -5, 500, 1, 0.5, '2024-01-02 03:04:05.678901', '2024-01-02', -1,"
        " NULL)");
    return db;
}

// Puts one bad value into the good row, checks that reading it fails naming
// the column, then restores the row.
void check_decode_error(ctorm::sqlite::connection& db, const std::string& column, const std::string& bad_value,
                        const std::string& good_value, std::string_view described) {
    CAPTURE(column, bad_value);
    db.execute_script("UPDATE loose SET " + column + " = " + bad_value + " WHERE id = 1");
    const auto e = thrown_by<ctorm::decode_error>([&] { (void)db.one(select(loose)); });
    CHECK(e.table() == "loose");
    CHECK(e.column() == column);
    CHECK(contains(e.description(), described));
    CHECK(contains(e.what(), "loose." + column));
    // Every way of reading meets the same value.
    CHECK_THROWS_AS(db.all(select(loose)), ctorm::decode_error);
    CHECK_THROWS_AS(db.first(select(loose)), ctorm::decode_error);
    CHECK_THROWS_AS(db.one_or_none(select(loose).where(loose.id == 1)), ctorm::decode_error);
    CHECK_THROWS_AS(db.execute(select(loose)).all(), ctorm::decode_error);
    db.execute_script("UPDATE loose SET " + column + " = " + good_value + " WHERE id = 1");
    CHECK(db.one(select(loose)).id == 1);
}

}  // namespace

TEST_CASE("decode: the good row reads back", "[sqlite][errors][decode]") {
    auto db = loose_db();
    const Loose row = db.one(select(loose));
    CHECK(row.label == "ok");
    CHECK(row.amount == 5);
    CHECK(row.small == -5);
    CHECK(row.medium == 500);
    CHECK(row.flag);
    CHECK(row.ratio == 0.5);
    CHECK(row.at.time_since_epoch().count() == ctorm_test::at(2024, 1, 2, 3, 4, 5, 678901).time_since_epoch().count());
    CHECK(row.day == ctorm_test::on(2024, 1, 2));
    CHECK(row.feeling == mood::sad);
    CHECK_FALSE(row.maybe.has_value());
}

TEST_CASE("decode: NULL into a non-optional field raises decode_error naming table and column",
          "[sqlite][errors][decode]") {
    auto db = loose_db();
    check_decode_error(db, "label", "NULL", "'ok'", "NULL");
    check_decode_error(db, "amount", "NULL", "5", "NULL");
    check_decode_error(db, "small", "NULL", "-5", "NULL");
    check_decode_error(db, "flag", "NULL", "1", "NULL");
    check_decode_error(db, "ratio", "NULL", "0.5", "NULL");
    check_decode_error(db, "at", "NULL", "'2024-01-02 03:04:05.678901'", "NULL");
    check_decode_error(db, "day", "NULL", "'2024-01-02'", "NULL");
    check_decode_error(db, "feeling", "NULL", "-1", "NULL");
    // The optional field takes NULL.
    CHECK_FALSE(db.one(select(loose.maybe)).has_value());
}

TEST_CASE("decode: a value of the wrong storage class raises decode_error", "[sqlite][errors][decode]") {
    auto db = loose_db();
    check_decode_error(db, "amount", "'abc'", "5", "TEXT");
    check_decode_error(db, "amount", "x'00'", "5", "BLOB");
    check_decode_error(db, "flag", "'yes'", "1", "TEXT");
    check_decode_error(db, "ratio", "'abc'", "0.5", "TEXT");
    check_decode_error(db, "maybe", "'abc'", "NULL", "TEXT");  // an optional does not hide a wrong value
    check_decode_error(db, "at", "'yesterday'", "'2024-01-02 03:04:05.678901'", "yesterday");
    check_decode_error(db, "at", "''", "'2024-01-02 03:04:05.678901'", "timestamp");
    check_decode_error(db, "day", "'2024-02-30'", "'2024-01-02'", "2024-02-30");
    check_decode_error(db, "day", "'2024-01-02 10:00'", "'2024-01-02'", "date");
}

TEST_CASE("decode: an integer out of the field's range raises decode_error", "[sqlite][errors][decode]") {
    auto db = loose_db();
    check_decode_error(db, "small", "200", "-5", "out of range");
    check_decode_error(db, "small", "128", "-5", "out of range");
    check_decode_error(db, "small", "-129", "-5", "out of range");
    check_decode_error(db, "medium", "65536", "500", "out of range");
    check_decode_error(db, "medium", "-1", "500", "out of range");
    check_decode_error(db, "feeling", "40000", "-1", "out of range");
    // The edges themselves fit.
    db.execute_script("UPDATE loose SET small = -128, medium = 65535 WHERE id = 1");
    const auto [small, medium] = db.one(select(loose.small, loose.medium));
    CHECK(small == -128);
    CHECK(medium == 65535);
}

TEST_CASE("decode: errors reach tuples, scalars and streaming, and leave the connection usable",
          "[sqlite][errors][decode]") {
    auto db = loose_db();
    db.execute_script("INSERT INTO loose VALUES (2, NULL, 7, 0, 0, 0, 0.0, '2024-01-01', '2024-01-01', 0, NULL)");
    const auto e = thrown_by<ctorm::decode_error>([&] { (void)db.all(select(loose.id, loose.label)); });
    CHECK(e.table() == "loose");
    CHECK(e.column() == "label");
    CHECK_THROWS_AS(db.scalar(select(loose.label).where(loose.id == 2)), ctorm::decode_error);
    CHECK(db.scalar(select(loose.label).where(loose.id == 1)) == "ok");

    // Streaming meets the bad row second: the first row arrives, then the error.
    std::vector<std::int64_t> seen;
    const auto stream = [&] {
        for (auto [id, label] : db.execute(select(loose.id, loose.label).order_by(loose.id))) {
            seen.push_back(id);
            CHECK(label == "ok");
        }
    };
    CHECK_THROWS_AS(stream(), ctorm::decode_error);
    CHECK(seen == std::vector<std::int64_t>{1});

    // The same statements run again once the row is fixed.
    db.execute_script("UPDATE loose SET label = 'two' WHERE id = 2");
    CHECK(db.all(select(loose.id, loose.label)).size() == 2);
    CHECK(db.scalar(select(loose.label).where(loose.id == 2)) == "two");
    CHECK_FALSE(db.in_transaction());
}

// Issue 13, defect 9: a column of a table without STRICT holds any storage
// class, and SQLite's own conversions (REAL to INTEGER, BLOB to TEXT, ...)
// would change the value silently. Such reads ask each value's class first.
TEST_CASE("decode: a table without STRICT converts nothing silently", "[sqlite][errors][decode]") {
    auto db = loose_db();
    check_decode_error(db, "amount", "3.5", "5", "got REAL");
    check_decode_error(db, "amount", "1e30", "5", "got REAL");
    check_decode_error(db, "small", "-0.5", "-5", "got REAL");
    check_decode_error(db, "feeling", "1.5", "-1", "got REAL");
    check_decode_error(db, "maybe", "2.5", "NULL", "got REAL");
    check_decode_error(db, "label", "x'6f6b'", "'ok'", "expected TEXT for std::string, got BLOB");
    check_decode_error(db, "flag", "2", "1", "2 is not a bool (0 or 1)");
    check_decode_error(db, "flag", "-1", "1", "-1 is not a bool (0 or 1)");
    check_decode_error(db, "flag", "0.5", "1", "got REAL");
    check_decode_error(db, "at", "x'00'", "'2024-01-02 03:04:05.678901'", "got BLOB");
    // A double takes an INTEGER (exact up to 2^53), as on a STRICT REAL column.
    db.execute_script("UPDATE loose SET ratio = 3 WHERE id = 1");
    CHECK(db.one(select(loose)).ratio == 3.0);
}

namespace untyped_schema {

// Columns declared without a type have no affinity: '12' stays TEXT, 12 stays INTEGER.
struct Untyped {
    std::int64_t id{};
    std::int64_t n{};
    std::string s;
    ctorm::blob b;
};
CTORM_TABLE(untyped, Untyped, (id, primary_key), (n), (s), (b));

// A view computing its columns (a view is never STRICT, whatever it reads).
struct Half {
    std::int64_t id{};
    std::int64_t amount{};
};
CTORM_TABLE(halves, Half, (id, primary_key), (amount));

// A view of a STRICT table's columns as they are.
struct Name {
    std::int64_t id{};
    std::string name;
    bool is_active{};
};
CTORM_TABLE(user_names, Name, (id, primary_key), (name), (is_active));

}  // namespace untyped_schema

TEST_CASE("decode: untyped columns and views are read checked", "[sqlite][errors][decode]") {
    using namespace untyped_schema;
    auto db = loose_db();
    db.execute_script(
        "CREATE TABLE untyped (id INTEGER PRIMARY KEY, n, s, b);"
        "INSERT INTO untyped VALUES (1, 7, 'seven', x'07');"
        "CREATE VIEW halves AS SELECT id, amount / 2.0 AS amount FROM loose");
    CHECK(db.one(select(untyped)).n == 7);
    CHECK(db.one(select(untyped)).s == "seven");
    CHECK(db.one(select(untyped)).b == ctorm::blob{std::byte{7}});

    db.execute_script("UPDATE untyped SET n = '12' WHERE id = 1");
    auto e = thrown_by<ctorm::decode_error>([&] { (void)db.one(select(untyped)); });
    CHECK(e.column() == "n");
    CHECK(contains(e.description(), "got TEXT"));
    db.execute_script("UPDATE untyped SET n = 7, s = 12 WHERE id = 1");
    e = thrown_by<ctorm::decode_error>([&] { (void)db.scalar(select(untyped.s)); });
    CHECK(contains(e.description(), "got INTEGER"));
    db.execute_script("UPDATE untyped SET s = 'seven', b = 'seven' WHERE id = 1");
    e = thrown_by<ctorm::decode_error>([&] { (void)db.one(select(untyped)); });
    CHECK(e.column() == "b");
    CHECK(contains(e.description(), "expected BLOB"));

    // amount 5 / 2.0 is 2.5: not an integer, whatever the model says.
    e = thrown_by<ctorm::decode_error>([&] { (void)db.one(select(halves)); });
    CHECK(e.table() == "halves");
    CHECK(contains(e.description(), "got REAL"));
    // The same values through a session.
    ctorm::session s(db);
    CHECK_THROWS_AS(s.get(halves, std::int64_t{1}), ctorm::decode_error);
    db.execute_script("UPDATE loose SET amount = 6 WHERE id = 1");
    CHECK_THROWS_AS(s.get(halves, std::int64_t{1}), ctorm::decode_error);  // 3.0 is still a REAL
}

TEST_CASE("decode: a view of a STRICT table's columns reads as the table does", "[sqlite][errors][decode]") {
    using namespace untyped_schema;
    auto db = ctorm_test::fresh_db(ctorm_test::storage::memory);
    db.execute(insert(users).values(User{.email = "ann@example.com", .name = "Ann"}));
    db.execute_script("CREATE VIEW user_names AS SELECT id, name, is_active FROM users");
    const Name ann = db.one(select(user_names));
    CHECK(ann.name == "Ann");
    CHECK(ann.is_active);
}

TEST_CASE("decode: a STRICT table's INTEGER holding 2 is not a bool", "[sqlite][errors][decode]") {
    auto db = ctorm_test::fresh_db(ctorm_test::storage::memory);
    db.execute(insert(users).values(User{.email = "ann@example.com", .name = "Ann"}));
    CHECK(db.scalar(select(users.is_active)));
    db.execute_script("UPDATE users SET is_active = 2");
    const auto e = thrown_by<ctorm::decode_error>([&] { (void)db.scalar(select(users.is_active)); });
    CHECK(e.table() == "users");
    CHECK(e.column() == "is_active");
    CHECK(contains(e.description(), "2 is not a bool (0 or 1)"));
}
