// The SQL text of ctorm::numeric arithmetic and aggregates, per dialect: on
// SQLite ctorm's own functions (sqlite/numeric_functions.hpp: the stored text
// would otherwise be read as floating point), on PostgreSQL its numeric
// operators. Their results on both backends are in tests/behaviour/numeric_sql_test.cpp.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include <cstdint>
#include <optional>
#include <type_traits>

namespace pins {

struct Line {
    std::int64_t id{};
    ctorm::numeric price;
    std::int32_t quantity{};
    std::optional<ctorm::numeric> discount;
};
CTORM_TABLE(lines, Line, (id, primary_key), (price, numeric_precision<12, 2>), (quantity), (discount));

}  // namespace pins

using namespace ctorm;
using pins::lines;
using sqlite = ctorm::sqlite_dialect;
using postgres = ctorm::postgres_dialect;

namespace {

constexpr auto total = select(lines.price * lines.quantity - lines.discount).from(lines);
static_assert(to_sql<sqlite>(total) ==
              "SELECT ctorm_numeric_subtract(ctorm_numeric_multiply(\"lines\".\"price\", \"lines\".\"quantity\"), "
              "\"lines\".\"discount\") FROM \"lines\"");
static_assert(to_sql<postgres>(total) ==
              "SELECT \"lines\".\"price\" * \"lines\".\"quantity\" - \"lines\".\"discount\" FROM \"lines\"");
// numeric with numeric or integer is a numeric; NULL where a side may be NULL.
static_assert(std::is_same_v<decltype(lines.price + 1)::value_type, numeric>);
static_assert(std::is_same_v<decltype(2 * lines.price)::value_type, numeric>);
static_assert(std::is_same_v<decltype(lines.price - lines.discount)::value_type, std::optional<numeric>>);

constexpr auto raise = update(lines).set(lines.price = lines.price + 1).where(lines.id == 7);
static_assert(to_sql<sqlite>(raise) ==
              "UPDATE \"lines\" SET \"price\" = ctorm_numeric_add(\"lines\".\"price\", ?) WHERE \"lines\".\"id\" = ?");
static_assert(to_sql<postgres>(raise) ==
              "UPDATE \"lines\" SET \"price\" = \"lines\".\"price\" + $1 WHERE \"lines\".\"id\" = $2");

constexpr auto aggregates =
    select(sum(lines.price), min(lines.price), max(lines.discount), sum(lines.quantity)).from(lines);
static_assert(to_sql<sqlite>(aggregates) ==
              "SELECT ctorm_numeric_sum(\"lines\".\"price\"), ctorm_numeric_min(\"lines\".\"price\"), "
              "ctorm_numeric_max(\"lines\".\"discount\"), SUM(\"lines\".\"quantity\") FROM \"lines\"");
static_assert(to_sql<postgres>(aggregates) ==
              "SELECT SUM(\"lines\".\"price\"), MIN(\"lines\".\"price\"), MAX(\"lines\".\"discount\"), "
              "CAST(SUM(\"lines\".\"quantity\") AS BIGINT) FROM \"lines\"");
static_assert(std::is_same_v<decltype(sum(lines.price))::value_type, std::optional<numeric>>);
static_assert(std::is_same_v<decltype(max(lines.discount))::value_type, std::optional<numeric>>);

constexpr auto running = select(lines.id, over(sum(lines.price), window().order_by(lines.id))).from(lines);
static_assert(to_sql<sqlite>(running) ==
              "SELECT \"lines\".\"id\", ctorm_numeric_sum(\"lines\".\"price\") OVER (ORDER BY \"lines\".\"id\") FROM "
              "\"lines\"");
static_assert(to_sql<postgres>(running) ==
              "SELECT \"lines\".\"id\", SUM(\"lines\".\"price\") OVER (ORDER BY \"lines\".\"id\") FROM \"lines\"");

// An ordering of a numeric goes through ctorm_numeric_compare on SQLite (its
// text order is not numeric order), and so does an equality of two non-columns
// (a function's text result would never equal an integer there); an equality
// with a column compares the canonical text, as PostgreSQL compares values.
constexpr auto compared =
    select(lines.id).where(lines.price > 9 && lines.price * 2 == 20 && lines.price == 10 && lines.id > 0);
static_assert(
    to_sql<sqlite>(compared) ==
    "SELECT \"lines\".\"id\" FROM \"lines\" WHERE ctorm_numeric_compare(\"lines\".\"price\", ?) > 0 AND "
    "ctorm_numeric_compare(ctorm_numeric_multiply(\"lines\".\"price\", ?), ?) = 0 AND \"lines\".\"price\" = ? "
    "AND \"lines\".\"id\" > ?");
static_assert(to_sql<postgres>(compared) ==
              "SELECT \"lines\".\"id\" FROM \"lines\" WHERE \"lines\".\"price\" > $1 AND \"lines\".\"price\" * $2 = $3 "
              "AND \"lines\".\"price\" = $4 AND \"lines\".\"id\" > $5");

// divide<S>(a, b): SQLite's ctorm_numeric_divide; on PostgreSQL numeric's exact
// div() at S + 1 places, then round() half away from zero to S. avg<S>(x) is
// divide<S>(sum(x), count(x)). Both are NULL for a divisor of 0.
constexpr auto quotients = select(divide<2>(lines.price, lines.quantity), divide<0>(lines.discount, 3)).from(lines);
static_assert(to_sql<sqlite>(quotients) ==
              "SELECT ctorm_numeric_divide(\"lines\".\"price\", \"lines\".\"quantity\", 2), "
              "ctorm_numeric_divide(\"lines\".\"discount\", ?, 0) FROM \"lines\"");
static_assert(to_sql<postgres>(quotients) ==
              "SELECT round(div(CAST(\"lines\".\"price\" AS NUMERIC) * 1000, NULLIF(CAST(\"lines\".\"quantity\" AS "
              "NUMERIC), 0)) * 0.001, 2), round(div(CAST(\"lines\".\"discount\" AS NUMERIC) * 10, NULLIF(CAST($1 AS "
              "NUMERIC), 0)) * 0.1, 0) FROM \"lines\"");
static_assert(std::is_same_v<decltype(divide<2>(lines.price, lines.quantity))::value_type, std::optional<numeric>>);
static_assert(std::is_same_v<decltype(divide<4>(7, lines.id))::value_type, std::optional<numeric>>);

constexpr auto mean = select(avg<3>(lines.price)).from(lines);
static_assert(to_sql<sqlite>(mean) ==
              "SELECT ctorm_numeric_divide(ctorm_numeric_sum(\"lines\".\"price\"), COUNT(\"lines\".\"price\"), 3) "
              "FROM \"lines\"");
static_assert(
    to_sql<postgres>(mean) ==
    "SELECT round(div(CAST(SUM(\"lines\".\"price\") AS NUMERIC) * 10000, NULLIF(CAST(COUNT(\"lines\".\"price\") "
    "AS NUMERIC), 0)) * 0.0001, 3) FROM \"lines\"");
static_assert(std::is_same_v<decltype(avg<3>(lines.price))::value_type, std::optional<numeric>>);
static_assert(decltype(avg<3>(lines.price))::is_aggregate);

// ORDER BY a numeric: on SQLite by ctorm_numeric_order(x), a BLOB whose byte
// order is numeric order (the stored text would put "10" before "9"), in a
// window too; PostgreSQL orders its numeric as it is.
constexpr auto by_price =
    select(lines.id, over(rank(), window().order_by(lines.price))).order_by(lines.discount.desc(), lines.id);
static_assert(to_sql<sqlite>(by_price) ==
              "SELECT \"lines\".\"id\", RANK() OVER (ORDER BY ctorm_numeric_order(\"lines\".\"price\")) FROM "
              "\"lines\" ORDER BY ctorm_numeric_order(\"lines\".\"discount\") DESC NULLS FIRST, \"lines\".\"id\"");
static_assert(to_sql<postgres>(by_price) ==
              "SELECT \"lines\".\"id\", RANK() OVER (ORDER BY \"lines\".\"price\") FROM \"lines\" ORDER BY "
              "\"lines\".\"discount\" DESC, \"lines\".\"id\"");

// A label: SQLite sorts by the labeled expression itself (inside
// ctorm_numeric_order(...) a bare "price" would name the column, not the label).
constexpr auto by_total = select(lines.quantity, sum(lines.price).as<"price">())
                              .group_by(lines.quantity)
                              .order_by(sum(lines.price).as<"price">().desc());
static_assert(to_sql<sqlite>(by_total) ==
              "SELECT \"lines\".\"quantity\", ctorm_numeric_sum(\"lines\".\"price\") AS \"price\" FROM \"lines\" "
              "GROUP BY \"lines\".\"quantity\" ORDER BY ctorm_numeric_order(ctorm_numeric_sum(\"lines\".\"price\")) "
              "DESC NULLS FIRST");
static_assert(to_sql<postgres>(by_total) ==
              "SELECT \"lines\".\"quantity\", SUM(\"lines\".\"price\") AS \"price\" FROM \"lines\" GROUP BY "
              "\"lines\".\"quantity\" ORDER BY \"price\" DESC");

}  // namespace

TEST_CASE("numeric arithmetic and aggregates render per dialect", "[numeric]") {
    CHECK(to_sql<sqlite>(total).find("ctorm_numeric_multiply") != std::string_view::npos);
}

// A set operation ordered by a numeric output column: SQLite accepts only
// output columns in a set operation's ORDER BY, so the union is the FROM of a
// select ordered by the numeric key; PostgreSQL orders the union itself.
constexpr auto by_price_united = union_all(select(lines.id, lines.price).where(lines.quantity > 1),
                                           select(lines.id, lines.price).where(lines.quantity <= 1))
                                     .order_by(lines.price.desc(), lines.id)
                                     .limit(5);
static_assert(
    to_sql<sqlite>(by_price_united) ==
    "SELECT * FROM (SELECT \"lines\".\"id\", \"lines\".\"price\" FROM \"lines\" WHERE \"lines\".\"quantity\" > "
    "? UNION ALL SELECT \"lines\".\"id\", \"lines\".\"price\" FROM \"lines\" WHERE \"lines\".\"quantity\" <= "
    "?) ORDER BY ctorm_numeric_order(\"price\") DESC, \"id\" LIMIT ?");
static_assert(to_sql<postgres>(by_price_united) ==
              "SELECT \"lines\".\"id\", \"lines\".\"price\" FROM \"lines\" WHERE \"lines\".\"quantity\" > $1 UNION ALL "
              "SELECT \"lines\".\"id\", \"lines\".\"price\" FROM \"lines\" WHERE \"lines\".\"quantity\" <= $2 ORDER BY "
              "\"price\" DESC, \"id\" LIMIT $3");
// Ordered by a column that is not a numeric, it stays as it was.
static_assert(
    to_sql<sqlite>(union_all(select(lines.id, lines.price), select(lines.id, lines.price)).order_by(lines.id)) ==
    "SELECT \"lines\".\"id\", \"lines\".\"price\" FROM \"lines\" UNION ALL SELECT \"lines\".\"id\", "
    "\"lines\".\"price\" FROM \"lines\" ORDER BY \"id\"");

// BETWEEN of a numeric: on SQLite by the numeric order key of each operand.
static_assert(to_sql<sqlite>(select(lines.id).where(lines.price.between(1, 10))) ==
              "SELECT \"lines\".\"id\" FROM \"lines\" WHERE ctorm_numeric_order(\"lines\".\"price\") BETWEEN "
              "ctorm_numeric_order(?) AND ctorm_numeric_order(?)");
static_assert(to_sql<postgres>(select(lines.id).where(lines.price.between(1, 10))) ==
              "SELECT \"lines\".\"id\" FROM \"lines\" WHERE \"lines\".\"price\" BETWEEN $1 AND $2");
