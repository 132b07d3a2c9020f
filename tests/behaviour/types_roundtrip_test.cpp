// Every column type of `everything` written and read back unchanged on every
// backend: NULLs, unicode and awkward strings, blobs, integer and floating
// extremes, timestamps to the microsecond (before 1970 too), dates, enums.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace blog;
using ctorm_test::at;
using ctorm_test::bytes;
using ctorm_test::on;

namespace {

template <class T>
using limits = std::numeric_limits<T>;

std::int64_t micros(ctorm::timestamp t) { return t.time_since_epoch().count(); }
std::int64_t days(ctorm::date d) { return d.time_since_epoch().count(); }

// A row with a value in every non-optional column and every optional NULL.
Everything plain_row() {
    Everything row;
    row.i8 = -8;
    row.i16 = -1600;
    row.i32 = 320000;
    row.i64 = 64000000000;
    row.u8 = 200;
    row.u16 = 60000;
    row.u32 = 4000000000u;
    row.flag = true;
    row.f32 = 1.5f;
    row.f64 = -2.25;
    row.text_value = "plain";
    row.bytes = bytes({1, 2, 3});
    row.at = at(2024, 2, 29, 13, 14, 15, 123456);
    row.day = on(2024, 2, 29);
    row.feeling = mood::happy;
    return row;  // every optional empty
}

// Checks field by field, so that a failure names the field.
void check_same(const Everything& back, const Everything& sent) {
    CHECK(back.i8 == sent.i8);
    CHECK(back.i16 == sent.i16);
    CHECK(back.i32 == sent.i32);
    CHECK(back.i64 == sent.i64);
    CHECK(back.u8 == sent.u8);
    CHECK(back.u16 == sent.u16);
    CHECK(back.u32 == sent.u32);
    CHECK(back.flag == sent.flag);
    CHECK(back.f32 == sent.f32);
    CHECK(back.f64 == sent.f64);
    CHECK(back.text_value == sent.text_value);
    CHECK(back.bytes == sent.bytes);
    CHECK(micros(back.at) == micros(sent.at));
    CHECK(days(back.day) == days(sent.day));
    CHECK(back.feeling == sent.feeling);
    CHECK(back.maybe_int == sent.maybe_int);
    CHECK(back.maybe_real == sent.maybe_real);
    CHECK(back.maybe_text == sent.maybe_text);
    CHECK(back.maybe_bytes.has_value() == sent.maybe_bytes.has_value());
    if (back.maybe_bytes && sent.maybe_bytes) CHECK(*back.maybe_bytes == *sent.maybe_bytes);
    CHECK(back.maybe_at.has_value() == sent.maybe_at.has_value());
    if (back.maybe_at && sent.maybe_at) CHECK(micros(*back.maybe_at) == micros(*sent.maybe_at));
    CHECK(back.maybe_day.has_value() == sent.maybe_day.has_value());
    if (back.maybe_day && sent.maybe_day) CHECK(days(*back.maybe_day) == days(*sent.maybe_day));
    CHECK(back.maybe_flag == sent.maybe_flag);
    CHECK(back.maybe_feeling == sent.maybe_feeling);
}

// Inserts the row, reads it back by id and checks it; returns the id.
template <class DB>
std::int64_t round_trip(DB& db, const Everything& sent) {
    const auto before = db.scalar(select(ctorm::count()).from(everything));
    REQUIRE(db.execute(insert(everything).values(sent)).rows_affected == 1);
    const std::vector<std::int64_t> ids = db.all(select(everything.id).order_by(everything.id.desc()).limit(1));
    REQUIRE(ids.size() == 1);
    CHECK(db.scalar(select(ctorm::count()).from(everything)) == before + 1);
    const Everything back = db.one(select(everything).where(everything.id == ids[0]));
    CHECK(back.id == ids[0]);
    check_same(back, sent);
    return ids[0];
}

}  // namespace

TEMPLATE_TEST_CASE("every column type round-trips, with every optional NULL", "[types]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const std::int64_t id = round_trip(db, plain_row());
    // NULL is NULL in SQL, not a zero or an empty value.
    CHECK(
        db.scalar(select(ctorm::count())
                      .from(everything)
                      .where(everything.id == id && everything.maybe_int.is_null() && everything.maybe_real.is_null() &&
                             everything.maybe_text.is_null() && everything.maybe_bytes.is_null() &&
                             everything.maybe_at.is_null() && everything.maybe_day.is_null() &&
                             everything.maybe_flag.is_null() && everything.maybe_feeling.is_null())) == 1);
    // Read alone, as a tuple of optionals.
    const auto [maybe_int, maybe_text, maybe_bytes] =
        db.one(select(everything.maybe_int, everything.maybe_text, everything.maybe_bytes));
    CHECK_FALSE(maybe_int.has_value());
    CHECK_FALSE(maybe_text.has_value());
    CHECK_FALSE(maybe_bytes.has_value());
}

TEMPLATE_TEST_CASE("every optional column round-trips a value, including empty and zero ones", "[types]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    Everything row = plain_row();
    row.maybe_int = -5;
    row.maybe_real = 0.5;
    row.maybe_text = "maybe";
    row.maybe_bytes = bytes({0, 255});
    row.maybe_at = at(1999, 12, 31, 23, 59, 59, 999999);
    row.maybe_day = on(2000, 1, 1);
    row.maybe_flag = true;
    row.maybe_feeling = mood::sad;
    round_trip(db, row);

    // Values that read as "nothing" in C but are not NULL.
    Everything empties = plain_row();
    empties.maybe_int = 0;
    empties.maybe_real = 0.0;
    empties.maybe_text = "";
    empties.maybe_bytes = ctorm::blob{};
    empties.maybe_at = ctorm::timestamp{};  // the epoch
    empties.maybe_day = ctorm::date{};
    empties.maybe_flag = false;
    empties.maybe_feeling = mood::calm;
    const std::int64_t id = round_trip(db, empties);
    CHECK(db.scalar(select(ctorm::count())
                        .from(everything)
                        .where(everything.id == id && everything.maybe_text.is_not_null() &&
                               everything.maybe_bytes.is_not_null() && everything.maybe_flag.is_not_null())) == 1);
    const std::optional<ctorm::blob> empty_blob = db.one(select(everything.maybe_bytes).where(everything.id == id));
    REQUIRE(empty_blob.has_value());
    CHECK(empty_blob->empty());
}

TEMPLATE_TEST_CASE("integer extremes round-trip in every integer width", "[types]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    Everything low = plain_row();
    low.i8 = limits<std::int8_t>::min();
    low.i16 = limits<std::int16_t>::min();
    low.i32 = limits<std::int32_t>::min();
    low.i64 = limits<std::int64_t>::min();
    low.u8 = 0;
    low.u16 = 0;
    low.u32 = 0;
    low.maybe_int = limits<std::int64_t>::min();
    const std::int64_t low_id = round_trip(db, low);

    Everything high = plain_row();
    high.i8 = limits<std::int8_t>::max();
    high.i16 = limits<std::int16_t>::max();
    high.i32 = limits<std::int32_t>::max();
    high.i64 = limits<std::int64_t>::max();
    high.u8 = limits<std::uint8_t>::max();
    high.u16 = limits<std::uint16_t>::max();
    high.u32 = limits<std::uint32_t>::max();
    high.maybe_int = limits<std::int64_t>::max();
    const std::int64_t high_id = round_trip(db, high);

    CHECK(db.one(select(everything.i8).where(everything.id == low_id)) == -128);
    CHECK(db.one(select(everything.i8).where(everything.id == high_id)) == 127);
    CHECK(db.one(select(everything.u32).where(everything.id == high_id)) == 4294967295u);
    // Compared in SQL as numbers, not as text or truncated values.
    CHECK(db.one(select(everything.id).where(everything.i64 == limits<std::int64_t>::min())) == low_id);
    CHECK(db.one(select(everything.id).where(everything.i64 > 0 && everything.u32 > 4294967294u)) == high_id);
    CHECK(db.all(select(everything.id).order_by(everything.i64.desc())) == std::vector<std::int64_t>{high_id, low_id});
}

TEMPLATE_TEST_CASE("floating-point extremes round-trip exactly", "[types]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const double doubles[] = {limits<double>::max(),
                              limits<double>::lowest(),
                              limits<double>::min(),
                              limits<double>::denorm_min(),
                              -limits<double>::min(),
                              limits<double>::infinity(),
                              -limits<double>::infinity(),
                              1.0 / 3.0,
                              -1e-300,
                              9007199254740993.0,
                              0.1,
                              123456789.125};
    const float floats[] = {limits<float>::max(),
                            limits<float>::lowest(),
                            limits<float>::min(),
                            limits<float>::denorm_min(),
                            limits<float>::infinity(),
                            -limits<float>::infinity(),
                            0.1f,
                            -1.0f / 3.0f,
                            16777217.0f,
                            3.4e-38f,
                            -0.5f,
                            1e30f};
    static_assert(std::size(doubles) == std::size(floats));
    for (std::size_t i = 0; i < std::size(doubles); ++i) {
        CAPTURE(i, doubles[i], floats[i]);
        Everything row = plain_row();
        row.f64 = doubles[i];
        row.f32 = floats[i];
        row.maybe_real = doubles[std::size(doubles) - 1 - i];
        round_trip(db, row);
    }
    CHECK(db.scalar(select(ctorm::count()).from(everything).where(everything.f64 > 1e308)) == 2);  // max and +inf
    CHECK(db.one(select(everything.f32).where(everything.f64 == 1.0 / 3.0)) == floats[7]);
    CHECK(db.one(select(everything.f64).where(everything.f32 == limits<float>::denorm_min())) ==
          limits<double>::denorm_min());

    // Negative zero comes back as a zero (SQLite stores a REAL with no
    // fraction as an integer, so the sign of -0.0 is not kept).
    Everything zero = plain_row();
    zero.f64 = -0.0;
    zero.f32 = -0.0f;
    zero.maybe_real = -0.0;
    const std::int64_t id = round_trip(db, zero);
    const auto [f32, f64] = db.one(select(everything.f32, everything.f64).where(everything.id == id));
    CHECK(f32 == 0.0f);
    CHECK(f64 == 0.0);
    CHECK(std::isfinite(f64));
    if constexpr (TestType::kind == "postgresql") {
        // real and double precision travel in binary: the sign survives.
        CHECK(std::signbit(f32));
        CHECK(std::signbit(f64));
    }
}

TEMPLATE_TEST_CASE("strings round-trip: unicode, quotes, backslashes, control characters, large", "[types]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const std::string texts[] = {
        "Zoë ☃ 日本語",
        "emoji 🎉 and combining e\xcc\x81",
        "it's \"quoted\" `twice`",
        "'; DROP TABLE everything; --",
        R"(back\slash \\ \n \0 \x41)",
        "tab\there\nnewline\r\nCRLF \x01\x02\x1b\x1f\x7f",
        "%_ like wildcards _%",
        "",
        " leading and trailing spaces ",
        std::string(100000, 'x') + "end",
    };
    for (const std::string& text : texts) {
        CAPTURE(text.size());
        Everything row = plain_row();
        row.text_value = text;
        row.maybe_text = text + "?";
        const std::int64_t id = round_trip(db, row);
        // Found again by equality on the bound value.
        CHECK(db.scalar(select(everything.id).where(everything.text_value == text)) == id);
    }
    // Strings compare in SQL byte for byte.
    CHECK(db.scalar(select(ctorm::count()).from(everything).where(everything.text_value == "zoë ☃ 日本語")) == 0);
    CHECK(db.scalar(select(ctorm::count()).from(everything).where(everything.text_value.like("%日本%"))) == 1);
    CHECK(db.scalar(select(ctorm::count()).from(everything).where(everything.text_value == "")) == 1);
}

TEMPLATE_TEST_CASE("a std::string with an embedded NUL round-trips whole (PostgreSQL refuses it)", "[types]",
                   CTORM_TEST_BACKENDS) {
    using namespace std::string_literals;
    if constexpr (TestType::kind == "postgresql") {
        // PostgreSQL's text cannot hold a NUL byte: the server refuses the
        // value (22021 character_not_in_repertoire) and nothing is written.
        auto db = TestType::fresh();
        Everything row = plain_row();
        row.text_value = "before\0after"s;
        try {
            db.execute(insert(everything).values(row));
            FAIL("a text value with a NUL byte was accepted");
        } catch (const ctorm::database_error& e) {
            CHECK(e.sqlstate() == "22021");
            CHECK(e.message().find("0x00") != std::string::npos);
        }
        CHECK(db.scalar(select(ctorm::count()).from(everything)) == 0);
        CHECK_FALSE(db.in_transaction());
    } else {
        auto db = TestType::fresh();
        const std::string with_nul = "before\0after"s;
        REQUIRE(with_nul.size() == 12);
        Everything row = plain_row();
        row.text_value = with_nul;
        row.maybe_text = "\0"s;
        const std::int64_t id = round_trip(db, row);
        const std::string back = db.one(select(everything.text_value).where(everything.id == id));
        CHECK(back.size() == 12);
        CHECK(back == with_nul);
        CHECK(db.one(select(everything.maybe_text).where(everything.id == id)) == std::optional<std::string>("\0"s));
        // Not confused with the text up to the NUL.
        CHECK(db.scalar(select(ctorm::count()).from(everything).where(everything.text_value == "before")) == 0);
        CHECK(db.scalar(select(ctorm::count()).from(everything).where(everything.text_value == with_nul)) == 1);
    }
}

TEMPLATE_TEST_CASE("blobs round-trip: zero bytes, every byte value, empty (not NULL), large", "[types]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    ctorm::blob every_byte;
    for (int i = 0; i < 256; ++i) every_byte.push_back(static_cast<std::byte>(i));
    ctorm::blob large(1 << 20);
    for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<std::byte>((i * 7) % 251);
    const ctorm::blob blobs[] = {bytes({0}), bytes({0, 0, 0}), bytes({0, 1, 0, 255, 0}), every_byte, large};
    for (const ctorm::blob& b : blobs) {
        CAPTURE(b.size());
        Everything row = plain_row();
        row.bytes = b;
        row.maybe_bytes = b;
        const std::int64_t id = round_trip(db, row);
        CHECK(db.one(select(everything.bytes).where(everything.id == id)).size() == b.size());
        CHECK(db.scalar(select(everything.id).where(everything.bytes == b)) == id);
    }

    // An empty blob stays an empty value: not NULL, in either kind of column.
    Everything empty = plain_row();
    empty.bytes = ctorm::blob{};
    empty.maybe_bytes = ctorm::blob{};
    const std::int64_t id = round_trip(db, empty);
    const auto [plain, maybe] = db.one(select(everything.bytes, everything.maybe_bytes).where(everything.id == id));
    CHECK(plain.empty());
    REQUIRE(maybe.has_value());
    CHECK(maybe->empty());
    CHECK(db.scalar(select(ctorm::count())
                        .from(everything)
                        .where(everything.id == id && everything.bytes.is_not_null() &&
                               everything.maybe_bytes.is_not_null())) == 1);
    CHECK(db.scalar(select(everything.id).where(everything.bytes == ctorm::blob{})) == id);
}

TEMPLATE_TEST_CASE("timestamps keep microseconds (before 1970 too) and dates round-trip", "[types]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    struct moment {
        ctorm::timestamp at;
        ctorm::date day;
    };
    const moment moments[] = {
        {at(1970, 1, 1), on(1970, 1, 1)},
        {at(1970, 1, 1, 0, 0, 0, 1), on(1970, 1, 2)},
        {at(1969, 12, 31, 23, 59, 59, 999999), on(1969, 12, 31)},
        {at(1969, 7, 20, 20, 17, 40, 500000), on(1969, 7, 20)},
        {at(1900, 1, 1, 0, 0, 0, 1), on(1900, 1, 1)},
        {at(1, 1, 1), on(1, 1, 1)},
        {at(2000, 2, 29, 12, 0, 0, 10), on(2000, 2, 29)},
        {at(2038, 1, 19, 3, 14, 8), on(2038, 1, 19)},
        {at(9999, 12, 31, 23, 59, 59, 999999), on(9999, 12, 31)},
    };
    std::vector<std::int64_t> ids;
    for (const moment& m : moments) {
        CAPTURE(micros(m.at));
        Everything row = plain_row();
        row.at = m.at;
        row.day = m.day;
        row.maybe_at = m.at;
        row.maybe_day = m.day;
        ids.push_back(round_trip(db, row));
    }
    // Ordered and compared as points in time, not as text of varying shape.
    const std::vector<std::int64_t> by_time = db.all(select(everything.id).order_by(everything.at));
    CHECK(by_time == std::vector<std::int64_t>{ids[5], ids[4], ids[3], ids[2], ids[0], ids[1], ids[6], ids[7], ids[8]});
    CHECK(db.all(select(everything.id).where(everything.at < at(1970, 1, 1)).order_by(everything.id)) ==
          std::vector<std::int64_t>{ids[2], ids[3], ids[4], ids[5]});
    CHECK(db.scalar(select(everything.id).where(everything.at == at(1969, 12, 31, 23, 59, 59, 999999))) == ids[2]);
    CHECK(db.all(select(everything.id)
                     .where(everything.day.between(on(1969, 12, 31), on(1970, 1, 2)))
                     .order_by(everything.id)) == std::vector<std::int64_t>{ids[0], ids[1], ids[2]});
}

TEMPLATE_TEST_CASE("enums (negative values too) and booleans round-trip", "[types]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const mood moods[] = {mood::sad, mood::calm, mood::happy};
    const std::optional<bool> flags[] = {std::nullopt, false, true};
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < 3; ++i) {
        Everything row = plain_row();
        row.feeling = moods[i];
        row.maybe_feeling = moods[2 - i];
        row.flag = i % 2 == 0;
        row.maybe_flag = flags[i];
        ids.push_back(round_trip(db, row));
    }
    CHECK(db.one(select(everything.id).where(everything.feeling == mood::sad)) == ids[0]);
    CHECK(db.one(select(everything.feeling).where(everything.id == ids[0])) == mood::sad);
    CHECK(
        db.all(
            select(everything.id).where(everything.maybe_feeling.in_(mood::sad, mood::calm)).order_by(everything.id)) ==
        std::vector<std::int64_t>{ids[1], ids[2]});
    CHECK(db.all(select(everything.id).order_by(everything.feeling.desc())) ==
          std::vector<std::int64_t>{ids[2], ids[1], ids[0]});
    CHECK(db.all(select(everything.id).where(everything.flag).order_by(everything.id)) ==
          std::vector<std::int64_t>{ids[0], ids[2]});
    CHECK(db.all(select(everything.id).where(everything.maybe_flag == false)) == std::vector<std::int64_t>{ids[1]});
    CHECK(db.all(select(everything.id).where(everything.maybe_flag.is_null())) == std::vector<std::int64_t>{ids[0]});
}

// Regression (fixed): a timestamp outside years 0000-9999 is bound as an
// empty string (format_timestamp returns 0 and values.hpp binds the 0 characters),
// so the insert succeeds and the row can never be read back (decode_error on
// ''). The insert should fail instead, before anything is written.
// PostgreSQL's timestamptz reaches year 294276 and the value travels in
// binary: there the year 10000 is stored and read back exactly.
TEMPLATE_TEST_CASE("a timestamp outside 0000-9999 is refused, not stored as '' (PostgreSQL stores it)", "[types]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    Everything row = plain_row();
    row.at = at(10000, 1, 1, 0, 0, 0, 1);
    if constexpr (TestType::kind == "postgresql") {
        round_trip(db, row);
    } else {
        CHECK_THROWS(db.execute(insert(everything).values(row)));
        CHECK(db.scalar(select(ctorm::count()).from(everything)) == 0);
    }
}

// Regression (fixed): NaN is bound with sqlite3_bind_double, which SQLite
// stores as NULL: an optional double silently comes back empty, and a
// non-optional one fails with a misleading NOT NULL constraint error.
// PostgreSQL's floating-point types hold NaN: there it round-trips.
TEMPLATE_TEST_CASE("NaN is refused with a clear error, not turned into NULL (PostgreSQL stores it)", "[types]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    Everything row = plain_row();
    row.maybe_real = std::nan("");
    if constexpr (TestType::kind == "postgresql") {
        row.f64 = std::nan("");
        row.f32 = std::nanf("");
        REQUIRE(db.execute(insert(everything).values(row)).rows_affected == 1);
        const auto [f32, f64, maybe] = db.one(select(everything.f32, everything.f64, everything.maybe_real));
        CHECK(std::isnan(f32));
        CHECK(std::isnan(f64));
        REQUIRE(maybe.has_value());  // NaN, not NULL
        CHECK(std::isnan(*maybe));
        CHECK(db.scalar(select(ctorm::count()).from(everything).where(everything.maybe_real.is_null())) == 0);
    } else {
        CHECK_THROWS_AS(db.execute(insert(everything).values(row)), ctorm::programming_error);
        CHECK(db.scalar(select(ctorm::count()).from(everything)) == 0);
    }
}
