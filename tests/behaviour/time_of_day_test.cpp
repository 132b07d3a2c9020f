// ctorm::time_of_day (SQL's TIME) on every backend: written and read back to
// the microsecond (midnight, the last microsecond of a day, 24:00), NULL,
// compared and ordered as times, bound in static and dynamic() statements;
// a value outside 00:00-24:00 is refused before anything is sent; the table
// introspects as schema_of says.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <ctorm/migrate.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shifts_schema {

struct Shift {
    std::int64_t id{};
    std::string who;
    ctorm::time_of_day starts;
    std::optional<ctorm::time_of_day> ends;
};

CTORM_TABLE(shifts, Shift,
            (id, primary_key),
            (who),
            (starts, index),
            (ends));

}  // namespace shifts_schema

using namespace shifts_schema;
using namespace std::chrono_literals;
using ctorm::time_of_day;

namespace {

time_of_day clock(int h, int m, int s = 0, int us = 0) {
    return time_of_day{std::chrono::hours{h}, std::chrono::minutes{m}, std::chrono::seconds{s},
                       std::chrono::microseconds{us}};
}

}  // namespace

TEMPLATE_TEST_CASE("time_of_day: round trip to the microsecond, NULL, order and comparisons", "[types][time]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh("time_of_day");
    db.create_all(shifts);
    const std::vector<Shift> written{
        {0, "midnight", clock(0, 0), std::nullopt},
        {0, "first microsecond", clock(0, 0, 0, 1), clock(0, 0, 0, 2)},
        {0, "noon", clock(12, 34, 56, 789012), clock(17, 0)},
        {0, "last microsecond", clock(23, 59, 59, 999999), clock(24, 0)},
        {0, "early", clock(6, 5, 4, 30), std::nullopt},
    };
    for (const Shift& s : written) db.execute(insert(shifts).values(s));

    const std::vector<Shift> read = db.all(select(shifts).order_by(shifts.id));
    REQUIRE(read.size() == written.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        CAPTURE(read[i].who);
        CHECK(read[i].starts == written[i].starts);
        CHECK(read[i].ends == written[i].ends);
    }
    CHECK(read[3].ends->since_midnight() == 24h);

    // Ordered and compared as times.
    const std::vector<std::string> by_start = db.all(select(shifts.who).order_by(shifts.starts));
    CHECK(by_start == std::vector<std::string>{"midnight", "first microsecond", "early", "noon", "last microsecond"});
    const std::vector<std::string> morning =
        db.all(select(shifts.who).where(shifts.starts.between(clock(0, 0, 0, 1), clock(11, 59))).order_by(shifts.id));
    CHECK(morning == std::vector<std::string>{"first microsecond", "early"});
    CHECK(db.scalar(select(shifts.who).where(shifts.starts == clock(12, 34, 56, 789012))) == "noon");
    CHECK(db.scalar(select(ctorm::count()).from(shifts).where(shifts.ends.is_null())) == 2);
    CHECK(db.scalar(select(ctorm::max(shifts.starts)).from(shifts)) == clock(23, 59, 59, 999999));

    // A run-time filter binds the time the same way.
    auto late = ctorm::dynamic(select(shifts.who).order_by(shifts.id));
    late.where(shifts.starts > clock(12, 0));
    CHECK(db.all(late) == std::vector<std::string>{"noon", "last microsecond"});

    // An update writes it, and reads back.
    db.execute(update(shifts).set(shifts.ends = clock(8, 30)).where(shifts.who == "early"));
    CHECK(db.one(select(shifts.ends).where(shifts.who == "early")) == clock(8, 30));
}

TEMPLATE_TEST_CASE("time_of_day: a value outside 00:00-24:00 is refused, nothing is written", "[types][time]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh("time_of_day_range");
    db.create_all(shifts);
    const Shift past_midnight{0, "too late", time_of_day{24h + 1us}, std::nullopt};
    const Shift negative{0, "too early", time_of_day{-1us}, std::nullopt};
    try {
        db.execute(insert(shifts).values(past_midnight));
        FAIL("an out-of-range time was written");
    } catch (const ctorm::value_error& e) {
        CHECK(std::string(e.what()).find("ctorm::time_of_day 86400000001 us since midnight") != std::string::npos);
    }
    CHECK_THROWS_AS(db.execute(insert(shifts).values(negative)), ctorm::value_error);
    CHECK(db.scalar(select(ctorm::count()).from(shifts)) == 0);
}

TEMPLATE_TEST_CASE("time_of_day: the table introspects as schema_of says", "[types][time][migrate]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh("time_of_day_schema");
    db.create_all(shifts);
    namespace m = ctorm::migrate;
    const m::schema live = m::introspect(db);
    const m::table_schema* table = live.find_table("shifts");
    REQUIRE(table != nullptr);
    const m::schema shifts_only{{*table}};
    const m::schema models = m::schema_of<D>(shifts);
    INFO(shifts_only.tables.front().columns.at(2).type);
    CHECK(m::diff(shifts_only, models).empty());
}

TEST_CASE("time_of_day: SQLite text that is no time of day is a decode error naming the column", "[types][time]") {
    auto db = ctorm_test::sqlite_memory::fresh();
    db.create_all(shifts);
    db.execute_script("INSERT INTO shifts (who, starts) VALUES ('bad', '25:00')");
    try {
        (void)db.all(select(shifts));
        FAIL("'25:00' was read as a time of day");
    } catch (const ctorm::decode_error& e) {
        const std::string what = e.what();
        CHECK(what.find("'25:00' is not a valid ctorm::time_of_day") != std::string::npos);
        CHECK(what.find("starts") != std::string::npos);
    }
}
