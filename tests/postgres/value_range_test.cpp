// Values at and beyond the edges of what PostgreSQL's binary formats hold:
// timestamps, dates, numerics and long strings either round-trip exactly or
// are refused with value_error (bind) or decode_error (read), never wrapped,
// truncated or silently changed.
#include "support/pg_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace value_range_schema {

struct Moment {
    std::int64_t id{};
    std::optional<ctorm::timestamp> at;
    std::optional<ctorm::date> day;
    std::optional<ctorm::numeric> amount;
    std::optional<std::string> note;
};
CTORM_TABLE(moments, Moment, (id, primary_key), (at), (day), (amount), (note));

}  // namespace value_range_schema

using namespace value_range_schema;

namespace {

using connection = ctorm::postgres::connection;
using std::chrono::microseconds;

using ctorm_test::contains;

connection fresh() {
    auto db = ctorm_test::postgres_empty_db("value_range");
    db.execute_script("SET TIME ZONE 'UTC'");
    db.create_all(moments);
    return db;
}

std::int64_t row_count(connection& db) { return db.scalar(select(ctorm::count()).from(moments)); }

Moment with_at(ctorm::timestamp at) {
    return Moment{.id = 1, .at = at, .day = std::nullopt, .amount = std::nullopt, .note = std::nullopt};
}
Moment with_day(ctorm::date day) {
    return Moment{.id = 1, .at = std::nullopt, .day = day, .amount = std::nullopt, .note = std::nullopt};
}
Moment with_amount(ctorm::numeric amount) {
    return Moment{.id = 1, .at = std::nullopt, .day = std::nullopt, .amount = std::move(amount), .note = std::nullopt};
}

// What() of the value_error that f throws.
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

// A server value read back as it was, or decode_error naming moments.<column>.
template <class F>
std::string undecodable(F f) {
    try {
        f();
    } catch (const ctorm::decode_error& e) {
        CHECK(e.table() == "moments");
        return e.what();
    } catch (const std::exception& e) {
        FAIL("expected decode_error, got: " << e.what());
    }
    FAIL("expected decode_error, nothing was thrown");
    return {};
}

}  // namespace

TEST_CASE("a timestamp PostgreSQL holds but ctorm::timestamp does not is a decode_error, not a wrapped year",
          "[postgres][types]") {
    auto db = fresh();
    // The last second PostgreSQL holds; ctorm::timestamp ends in the year 294247.
    db.execute_script("INSERT INTO moments (id, at) VALUES (1, '294276-12-31 23:59:59+00')");
    const std::string what = undecodable([&] { (void)db.one(select(moments.at).where(moments.id == 1)); });
    CAPTURE(what);
    CHECK(contains(what, "moments.at"));
    CHECK(contains(what, "ctorm::timestamp"));
    // Through a model too.
    CHECK_THROWS_AS(db.all(select(moments)), ctorm::decode_error);

    // The last value ctorm::timestamp holds round-trips.
    const ctorm::timestamp last{microseconds::max()};
    db.execute(update(moments).set(moments.at = last).where(moments.id == 1));
    CHECK(db.one(select(moments.at).where(moments.id == 1)) == last);
    CHECK(ctorm_test::postgres_query_text(db, "SELECT at FROM moments WHERE id = 1") ==
          "294247-01-10 04:00:54.775807+00");
}

TEST_CASE("binding a timestamp before PostgreSQL's first is a value_error, and nothing is written",
          "[postgres][types]") {
    auto db = fresh();
    const std::string what =
        refused([&] { db.execute(insert(moments).values(with_at(ctorm::timestamp{microseconds::min()}))); });
    CAPTURE(what);
    CHECK(contains(what, "ctorm::timestamp"));
    CHECK(contains(what, "moments.at: parameter $1"));
    CHECK(contains(what, "INSERT INTO \"moments\""));
    CHECK(row_count(db) == 0);

    // PostgreSQL's first microsecond (4714-11-24 00:00:00 UTC BC) round-trips; the one before is refused.
    const ctorm::timestamp first{microseconds(-211813488000000000LL + 946684800000000LL)};
    db.execute(insert(moments).values(with_at(first)));
    CHECK(ctorm_test::postgres_query_text(db, "SELECT at FROM moments WHERE id = 1") == "4714-11-24 00:00:00+00 BC");
    CHECK(db.one(select(moments.at).where(moments.id == 1)) == first);
    CHECK(contains(
        refused([&] { db.execute(update(moments).set(moments.at = first - microseconds(1)).where(moments.id == 1)); }),
        "moments.at: parameter $1"));
    // In a WHERE clause as well.
    CHECK(contains(
        refused([&] { (void)db.all(select(moments.id).where(moments.at == ctorm::timestamp{microseconds::min()})); }),
        "moments.at: parameter $1"));
    CHECK(db.one(select(moments.at).where(moments.id == 1)) == first);
}

TEST_CASE("binding a date outside PostgreSQL's range is a value_error, not 1970-01-01", "[postgres][types]") {
    auto db = fresh();
    using std::chrono::days;
    // 2^32 days after 1970: its low 32 bits, less 2000's 10957 days, were sent as 1970-01-01.
    const ctorm::date far{days(std::int64_t{1} << 32)};
    const std::string what = refused([&] { db.execute(insert(moments).values(with_day(far))); });
    CAPTURE(what);
    CHECK(contains(what, "ctorm::date"));
    CHECK(row_count(db) == 0);

    // PostgreSQL's last and first days round-trip; the days beyond are refused.
    const ctorm::date last{days(2147483493 - 2451545 + 10957)};  // 5874897-12-31, Julian day 2147483493
    const ctorm::date first{days(-2451545 + 10957)};             // 4714-11-24 BC, Julian day 0
    db.execute(insert(moments).values(with_day(last)));
    CHECK(db.one(select(moments.day).where(moments.id == 1)) == last);
    CHECK(ctorm_test::postgres_query_text(db, "SELECT day FROM moments WHERE id = 1") == "5874897-12-31");
    db.execute(update(moments).set(moments.day = first).where(moments.id == 1));
    CHECK(db.one(select(moments.day).where(moments.id == 1)) == first);
    CHECK(ctorm_test::postgres_query_text(db, "SELECT day FROM moments WHERE id = 1") == "4714-11-24 BC");
    refused([&] { db.execute(update(moments).set(moments.day = last + days(1)).where(moments.id == 1)); });
    refused([&] { db.execute(update(moments).set(moments.day = first - days(1)).where(moments.id == 1)); });
    CHECK(db.one(select(moments.day).where(moments.id == 1)) == first);
}

TEST_CASE("a numeric with more digits than PostgreSQL's numeric holds is a value_error, not 0", "[postgres][types]") {
    auto db = fresh();
    const std::string what =
        refused([&] { db.execute(insert(moments).values(with_amount(ctorm::numeric(std::string(140000, '7'))))); });
    CAPTURE(what);
    CHECK(contains(what, "ctorm::numeric"));
    CHECK(contains(what, "140000 digits before the decimal point"));
    CHECK(row_count(db) == 0);

    // The most PostgreSQL holds round-trips exactly: 131072 digits before the point, 16383 after.
    const ctorm::numeric widest("9" + std::string(131071, '1') + "." + std::string(16382, '2') + "3");
    db.execute(insert(moments).values(with_amount(widest)));
    CHECK(db.one(select(moments.amount).where(moments.id == 1)) == widest);
    const ctorm::numeric negative("-1" + std::string(131071, '0'));
    db.execute(update(moments).set(moments.amount = negative).where(moments.id == 1));
    CHECK(db.one(select(moments.amount).where(moments.id == 1)) == negative);

    refused([&] {
        db.execute(update(moments)
                       .set(moments.amount = ctorm::numeric("1" + std::string(131072, '0')))
                       .where(moments.id == 1));
    });
    const std::string fraction = refused([&] {
        db.execute(update(moments)
                       .set(moments.amount = ctorm::numeric("0." + std::string(16383, '0') + "1"))
                       .where(moments.id == 1));
    });
    CHECK(contains(fraction, "16384 digits after the decimal point"));
    CHECK(db.one(select(moments.amount).where(moments.id == 1)) == negative);
}

TEST_CASE("a string longer than PostgreSQL takes (1 GiB) is refused, not cut to its length modulo 4 GiB",
          "[postgres][types]") {
    auto db = fresh();
    // 4 GiB + 5 bytes of address space, no memory: only the first page is touched.
    const std::size_t size = (std::size_t{1} << 32) + 5;
    void* region = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    REQUIRE(region != MAP_FAILED);
    char* bytes = static_cast<char*>(region);
    for (int i = 0; i < 5; ++i) bytes[i] = static_cast<char>('a' + i);
    const std::string_view huge(bytes, size);
    const std::string what = refused([&] { (void)db.all(select(moments.id).where(moments.note == huge)); });
    CAPTURE(what);
    CHECK(contains(what, "4294967301 bytes"));
    REQUIRE(row_count(db) == 0);
    // Just over the limit.
    refused([&] { (void)db.all(select(moments.id).where(moments.note == huge.substr(0, (std::size_t{1} << 30)))); });
    munmap(region, size);
}
