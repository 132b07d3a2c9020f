// Functions that compute the same value on every backend, where SQLite's and PostgreSQL's own
// differ: round() halves away from zero (PostgreSQL's round(double) halves to even); a cast
// of a real to an integer truncates (PostgreSQL's rounds); lower() / upper() / ilike fold
// ASCII letters only (PostgreSQL's follow the database's locale, C.UTF-8 in these tests);
// x / y and x % y are NULL when the expression y is 0 (PostgreSQL raises 22012), and a C++
// divisor of 0 is refused when the statement is built; a number cast to bool is true when not 0,
// and a boolean's text is 'true' / 'false'. cast<std::string>() of a real (or of a timestamp,
// numeric, UUID, ...) and cast<bool>() of text are compile errors (tests/compile_fail/cast_*.cpp).
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace portable {

struct Measure {
    std::int64_t id{};
    std::string name;
    double x{};
    std::int64_t n{};
    std::int64_t d{};
};

CTORM_TABLE(measures, Measure, (id, primary_key), (name), (x), (n), (d));

}  // namespace portable

using namespace portable;
using ctorm::cast;
using ctorm::count;
using ctorm::lower;
using ctorm::round;
using ctorm::upper;

namespace {

// round(): SQLite's own; on PostgreSQL the same arithmetic, x written twice with the same
// placeholders (here $1 twice).
constexpr auto rounded = select(round(measures.x * 2.0)).order_by(measures.id);
static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(rounded) ==
              R"(SELECT round("measures"."x" * ?) FROM "measures" ORDER BY "measures"."id")");
static_assert(
    ctorm::to_sql<ctorm::postgres_dialect>(rounded) ==
    R"(SELECT (sign("measures"."x" * $1) * floor(abs("measures"."x" * $1) + 0.5)) FROM "measures" ORDER BY "measures"."id")");

constexpr auto truncated = select(cast<std::int64_t>(measures.x), cast<std::int32_t>(measures.n));
static_assert(ctorm::to_sql<ctorm::sqlite_dialect>(truncated) ==
              R"(SELECT CAST("measures"."x" AS INTEGER), CAST("measures"."n" AS INTEGER) FROM "measures")");
static_assert(ctorm::to_sql<ctorm::postgres_dialect>(truncated) ==
              R"(SELECT CAST(trunc("measures"."x") AS BIGINT), CAST("measures"."n" AS INTEGER) FROM "measures")");

// Booleans and numbers: true when not 0; a boolean's text is 'true' / 'false'; PostgreSQL casts a
// BOOLEAN to INTEGER only.
constexpr auto booleans = select(cast<bool>(measures.n), cast<std::string>(measures.x > 1.0),
                                 cast<std::int64_t>(measures.n > 0), cast<std::int32_t>(measures.n > 0));
static_assert(
    ctorm::to_sql<ctorm::sqlite_dialect>(booleans) ==
    R"(SELECT ("measures"."n" <> 0), CASE "measures"."x" > ? WHEN 0 THEN 'false' WHEN 1 THEN 'true' END, CAST("measures"."n" > ? AS INTEGER), CAST("measures"."n" > ? AS INTEGER) FROM "measures")");
static_assert(
    ctorm::to_sql<ctorm::postgres_dialect>(booleans) ==
    R"(SELECT ("measures"."n" <> 0), CAST("measures"."x" > $1 AS TEXT), CAST(CAST("measures"."n" > $2 AS INTEGER) AS BIGINT), CAST("measures"."n" > $3 AS INTEGER) FROM "measures")");

constexpr auto folded = select(lower(measures.name), upper(ctorm::concat(measures.name, "x")))
                            .where(measures.name.ilike("%e%"))
                            .order_by(measures.id);
static_assert(
    ctorm::to_sql<ctorm::sqlite_dialect>(folded) ==
    R"(SELECT lower("measures"."name"), upper("measures"."name" || ?) FROM "measures" WHERE lower("measures"."name") LIKE lower(?) ESCAPE '\' ORDER BY "measures"."id")");
static_assert(
    ctorm::to_sql<ctorm::postgres_dialect>(folded) ==
    R"(SELECT lower("measures"."name" COLLATE "C"), upper(("measures"."name" || $1) COLLATE "C") FROM "measures" WHERE "measures"."name" COLLATE "C" ILIKE $2 ORDER BY "measures"."id")");

constexpr auto ratios = select(measures.n / measures.d, measures.n % (measures.d + 0), measures.n / 2);
static_assert(
    ctorm::to_sql<ctorm::sqlite_dialect>(ratios) ==
    R"(SELECT "measures"."n" / "measures"."d", "measures"."n" % ("measures"."d" + ?), "measures"."n" / ? FROM "measures")");
static_assert(
    ctorm::to_sql<ctorm::postgres_dialect>(ratios) ==
    R"(SELECT "measures"."n" / NULLIF("measures"."d", 0), "measures"."n" % NULLIF("measures"."d" + $1, 0), "measures"."n" / $2 FROM "measures")");
// The value types say so: NULL for a zero divisor that is an expression; a C++ divisor is
// checked when the statement is built.
static_assert(std::is_same_v<ctorm::statement_traits<std::remove_cvref_t<decltype(ratios)>>::row_type,
                             std::tuple<std::optional<std::int64_t>, std::optional<std::int64_t>, std::int64_t>>);

template <class DB>
void seed(DB& db) {
    db.create_all(measures);
    const std::vector<Measure> rows{
        {.name = "half", .x = 0.5, .n = 7, .d = 2},
        {.name = "one and a half", .x = 1.5, .n = -7, .d = 2},
        {.name = "two and a half", .x = 2.5, .n = 7, .d = 0},
        {.name = "minus half", .x = -0.5, .n = 0, .d = 0},
        {.name = "minus two and a half", .x = -2.5, .n = 9, .d = -4},
        {.name = "two point seven", .x = 2.7, .n = 1, .d = 1},
        {.name = "minus two point seven", .x = -2.7, .n = 1, .d = 1},
        // The double just below 2.5: |x| + 0.5 is just below 3, so 2 on both.
        {.name = "just below 2.5", .x = 2.4999999999999996, .n = 1, .d = 1},
        {.name = "ÄRGER é ABC", .x = 0, .n = 1, .d = 1},
        {.name = "straße É abc", .x = 0, .n = 1, .d = 1},
        {.name = "Émile", .x = 0, .n = 1, .d = 1},
        {.name = "émile", .x = 0, .n = 1, .d = 1},
        {.name = "EMILE", .x = 0, .n = 1, .d = 1},
    };
    REQUIRE(db.execute(insert(measures).values(rows)).rows_affected == std::ssize(rows));
}

using doubles = std::vector<double>;
using names = std::vector<std::string>;

}  // namespace

TEMPLATE_TEST_CASE("round() halves away from zero on every backend", "[query][functions]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    const auto first_eight = measures.id <= 8;
    CHECK(db.all(select(round(measures.x)).where(first_eight).order_by(measures.id)) ==
          doubles{1, 2, 3, -1, -3, 3, -3, 2});
    // With a bound value inside: the same placeholders twice on PostgreSQL.
    CHECK(db.all(select(round(measures.x * 2.0)).where(first_eight).order_by(measures.id)) ==
          doubles{1, 3, 5, -1, -5, 5, -5, 5});
    CHECK(db.all(select(round(measures.x + 0.25)).where(first_eight).order_by(measures.id)) ==
          doubles{1, 2, 3, 0, -2, 3, -2, 3});
    // In GROUP BY as in the select list: one expression to PostgreSQL. (-0.25 rounds to -0.0,
    // which groups with 0.0.)
    const auto bucket = round(measures.x / 2.0);
    CHECK(db.all(select(bucket, count()).where(first_eight).group_by(bucket).order_by(bucket)) ==
          std::vector<std::tuple<double, std::int64_t>>{{-1.0, 2}, {0.0, 2}, {1.0, 4}});
    // Integers round to themselves.
    CHECK(db.all(select(round(measures.n)).where(measures.id <= 3).order_by(measures.id)) == doubles{7, -7, 7});
}

TEMPLATE_TEST_CASE("a real cast to an integer keeps its whole part on every backend", "[query][functions]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    CHECK(db.all(select(cast<std::int64_t>(measures.x)).where(measures.id <= 8).order_by(measures.id)) ==
          std::vector<std::int64_t>{0, 1, 2, 0, -2, 2, -2, 2});
    CHECK(db.all(select(cast<std::int32_t>(measures.x * 10.0)).where(measures.id <= 3).order_by(measures.id)) ==
          std::vector<std::int32_t>{5, 15, 25});
    // cast<std::string>() of its whole part is the same text on both.
    CHECK(
        db.all(
            select(cast<std::string>(cast<std::int64_t>(measures.x))).where(measures.id <= 3).order_by(measures.id)) ==
        names{"0", "1", "2"});
}

TEMPLATE_TEST_CASE("casts between booleans, numbers and text give the same values on every backend",
                   "[query][functions]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    using row = std::tuple<bool, std::string, std::int64_t, std::int32_t>;
    CHECK(db.all(select(cast<bool>(measures.n), cast<std::string>(measures.x > 1.0), cast<std::int64_t>(measures.n > 0),
                        cast<std::int32_t>(measures.d < 0))
                     .where(measures.id <= 5)
                     .order_by(measures.id)) == std::vector<row>{{true, "false", 1, 0},
                                                                 {true, "true", 0, 0},
                                                                 {true, "true", 1, 0},
                                                                 {false, "false", 0, 0},
                                                                 {true, "false", 1, 1}});
    CHECK(db.all(select(cast<bool>(measures.x)).where(measures.id >= 8 && measures.id <= 9).order_by(measures.id)) ==
          std::vector<bool>{true, false});
}

TEMPLATE_TEST_CASE("lower(), upper() and ilike fold ASCII letters only, on every backend", "[query][functions]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    const auto texts = measures.id >= 9 && measures.id <= 10;
    CHECK(db.all(select(lower(measures.name)).where(texts).order_by(measures.id)) ==
          names{"Ärger é abc", "straße É abc"});
    CHECK(db.all(select(upper(measures.name)).where(texts).order_by(measures.id)) ==
          names{"ÄRGER é ABC", "STRAßE É ABC"});
    // lower() of a bound value is folded the same way.
    CHECK(db.scalar(select(lower(ctorm::literal(std::string("ÉCOLE Ünd"))))) == "École Ünd");
    const auto emiles = measures.id >= 11;
    CHECK(db.all(select(measures.name).where(emiles && measures.name.ilike("%MILE")).order_by(measures.id)) ==
          names{"Émile", "émile", "EMILE"});
    CHECK(db.all(select(measures.name).where(emiles && measures.name.ilike("ÉMILE")).order_by(measures.id)) ==
          names{"Émile"});
    CHECK(db.all(select(measures.name).where(emiles && measures.name.icontains("émi")).order_by(measures.id)) ==
          names{"émile"});
    CHECK(db.all(select(measures.name).where(emiles && !measures.name.ilike("émile")).order_by(measures.id)) ==
          names{"Émile", "EMILE"});
}

TEMPLATE_TEST_CASE("x / y and x % y are NULL for a zero divisor on every backend", "[query][functions]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    using opt = std::optional<std::int64_t>;
    const auto first_five = measures.id <= 5;
    CHECK(db.all(select(measures.n / measures.d).where(first_five).order_by(measures.id)) ==
          std::vector<opt>{3, -3, std::nullopt, std::nullopt, -2});
    CHECK(db.all(select(measures.n % measures.d).where(first_five).order_by(measures.id)) ==
          std::vector<opt>{1, -1, std::nullopt, std::nullopt, 1});
    // A real divided by a zero expression: NULL too.
    CHECK(db.all(select(measures.x / cast<double>(measures.d)).where(measures.id == 3)) ==
          std::vector<std::optional<double>>{std::nullopt});
    // In WHERE, NULL is not true: the rows with d = 0 drop out on both.
    CHECK(db.scalar(select(count()).from(measures).where(first_five && measures.n / measures.d < 0)) == 2);
    CHECK(db.scalar(select(count()).from(measures).where(first_five && (measures.n / measures.d).is_null())) == 2);
    // A divisor written in C++ is checked when the statement is built.
    CHECK_THROWS_AS((void)(measures.n / 0), std::domain_error);
    CHECK_THROWS_AS((void)(measures.n % std::int64_t{0}), std::domain_error);
    CHECK_THROWS_WITH((void)(measures.x / 0.0), Catch::Contains("division by zero"));
    CHECK_THROWS_AS((void)(measures.n / std::optional<std::int64_t>{0}), std::domain_error);
    CHECK_NOTHROW((void)(measures.n / std::optional<std::int64_t>{}));
    CHECK(db.all(select(measures.n / 2).where(measures.id <= 2).order_by(measures.id)) ==
          std::vector<std::int64_t>{3, -3});
}
