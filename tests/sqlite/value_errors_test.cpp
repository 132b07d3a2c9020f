// SQLite's side of values that do not fit: binding a timestamp or date that
// SQLite's text form cannot hold is a value_error (nothing was decoded), as on
// PostgreSQL; a numeric column's text outside the documented grammar
// ([+-]digits[.digits], NaN, Infinity, -Infinity) is a decode_error.
#include "support/sqlite_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sqlite_values_schema {

struct Stamp {
    std::int64_t id{};
    ctorm::timestamp at{};
    std::optional<ctorm::date> day;
};
CTORM_TABLE(stamps, Stamp, (id, primary_key), (at), (day));

struct LooseNumber {
    std::int64_t id{};
    ctorm::numeric amount;
};
CTORM_TABLE(loose_numbers, LooseNumber, (id, primary_key), (amount));

}  // namespace sqlite_values_schema

using namespace sqlite_values_schema;
using std::chrono::days;
using std::chrono::microseconds;

namespace {

using ctorm_test::contains;

template <class F>
std::string refused(F f) {
    try {
        f();
    } catch (const ctorm::value_error& e) {
        return e.what();
    } catch (const std::exception& e) {
        FAIL("expected value_error, got: " << e.what());
    }
    FAIL("expected value_error, nothing was thrown");
    return {};
}

}  // namespace

TEST_CASE("SQLite: binding a timestamp or date outside the years 0000-9999 is a value_error", "[sqlite][types]") {
    auto db = ctorm_test::empty_db(ctorm_test::storage::file);
    db.create_all(stamps);
    // 10000-01-01 00:00:00 UTC.
    const ctorm::timestamp far{microseconds(253402300800000000LL)};
    const std::string what =
        refused([&] { db.execute(insert(stamps).values(Stamp{.id = 1, .at = far, .day = std::nullopt})); });
    CAPTURE(what);
    CHECK(contains(what, "ctorm::timestamp 253402300800000000 us"));
    CHECK(contains(what, "parameter ?"));
    CHECK(contains(what, "INSERT INTO \"stamps\""));
    CHECK(db.scalar(select(ctorm::count()).from(stamps)) == 0);

    const ctorm::date before_year_0{days(-719529)};  // -0001-12-31
    CHECK(
        contains(refused([&] { (void)db.all(select(stamps.id).where(stamps.day == before_year_0)); }), "ctorm::date"));
    // The edges still round-trip.
    const ctorm::timestamp last{microseconds(253402300799999999LL)};
    db.execute(insert(stamps).values(Stamp{.id = 1, .at = last, .day = ctorm::date{days(-719528)}}));
    CHECK(db.one(select(stamps.at).where(stamps.id == 1)) == last);
    CHECK(db.one(select(stamps.day).where(stamps.id == 1)) == ctorm::date{days(-719528)});
}

TEST_CASE("SQLite: numeric text outside the documented grammar is a decode_error", "[sqlite][types]") {
    auto db = ctorm_test::empty_db(ctorm_test::storage::file);
    // A table ctorm did not create: any text may be there.
    db.execute_script("CREATE TABLE loose_numbers (id INTEGER PRIMARY KEY, amount TEXT)");
    db.execute_script(
        "INSERT INTO loose_numbers VALUES (1, '1.'), (2, '.5'), (3, '-.5'), (4, '+1.'), (5, '.'), (6, '1.5'), "
        "(7, '-0.5'), (8, '+3'), (9, 'NaN'), (10, '-Infinity'), (11, 12)");
    for (std::int64_t id = 1; id <= 5; ++id) {
        CAPTURE(id);
        try {
            (void)db.one(select(loose_numbers.amount).where(loose_numbers.id == id));
            FAIL("read outside the grammar");
        } catch (const ctorm::decode_error& e) {
            CHECK(e.table() == "loose_numbers");
            CHECK(e.column() == "amount");
            CHECK(contains(e.what(), "is not a valid ctorm::numeric"));
        }
    }
    const auto read = [&](std::int64_t id) {
        return db.one(select(loose_numbers.amount).where(loose_numbers.id == id));
    };
    CHECK(read(6) == ctorm::numeric("1.5"));
    CHECK(read(7) == ctorm::numeric("-0.5"));
    CHECK(read(8) == ctorm::numeric(3));
    CHECK(read(9) == ctorm::numeric::nan());
    CHECK(read(10) == ctorm::numeric::negative_infinity());
    CHECK(read(11) == ctorm::numeric(12));
}
