// ctorm::numeric, ctorm::uuid, ctorm::json and arrays without a database:
// text forms, order, the type rules and the DDL of both dialects.
#include <catch2/catch.hpp>

#include <ctorm/ctorm.hpp>

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using ctorm::category;
using ctorm::json;
using ctorm::numeric;
using ctorm::uuid;

namespace ext_unit {

enum class color : std::int16_t { red = 1, green = 2 };

struct Product {
    std::int64_t id{};
    numeric price;
    std::optional<numeric> discount;
    uuid sku;
    std::optional<uuid> parent;
    json attributes;
    std::optional<json> extra;
    std::vector<std::string> tags;
    std::vector<std::int32_t> sizes;
    std::vector<std::optional<double>> weights;
    std::optional<std::vector<bool>> flags;
    std::vector<color> colors;
};

CTORM_TABLE(products, Product, (id, primary_key), (price), (discount), (sku), (parent), (attributes), (extra),
            (tags, varchar<20>), (sizes), (weights), (flags), (colors));

}  // namespace ext_unit

using namespace ext_unit;

namespace {

std::string canonical(std::string_view text) { return numeric(text).to_string(); }

}  // namespace

TEST_CASE("numeric: text is validated and made canonical", "[unit]") {
    CHECK(canonical("0") == "0");
    CHECK(canonical("-0") == "0");
    CHECK(canonical("+0.000") == "0");
    CHECK(canonical("007") == "7");
    CHECK(canonical("-12.500") == "-12.5");
    CHECK(canonical(".5") == "0.5");
    CHECK(canonical("-.5") == "-0.5");
    CHECK(canonical("5.") == "5");
    CHECK(canonical("+3") == "3");
    CHECK(canonical("123456789012345678901234567890.123456789") == "123456789012345678901234567890.123456789");
    CHECK(canonical("-0.000000000000000000000000000001") == "-0.000000000000000000000000000001");
    CHECK(canonical("nan") == "NaN");
    CHECK(canonical("NaN") == "NaN");
    CHECK(canonical("inf") == "Infinity");
    CHECK(canonical("-Infinity") == "-Infinity");
    CHECK(canonical("+INFINITY") == "Infinity");

    for (const char* bad : {"", "-", "+", ".", "-.", "1e5", "1.2.3", " 1", "1 ", "0x10", "1,5", "--1", "nan1", "12a"}) {
        INFO(bad);
        CHECK_FALSE(numeric::parse(bad).has_value());
        CHECK_THROWS_AS(numeric(std::string_view(bad)), std::invalid_argument);
    }
    CHECK(numeric().to_string() == "0");
}

TEST_CASE("numeric: integers convert exactly, including the extremes", "[unit]") {
    CHECK(numeric(42).to_string() == "42");
    CHECK(numeric(std::numeric_limits<std::int64_t>::min()).to_string() == "-9223372036854775808");
    CHECK(numeric(std::numeric_limits<std::uint64_t>::max()).to_string() == "18446744073709551615");
    CHECK(numeric(std::int8_t{-7}).to_string() == "-7");
    const numeric n = 5;  // implicit: exact
    CHECK(n == numeric("5.000"));
    CHECK(n == 5);
}

TEST_CASE("numeric: sign, scale and PostgreSQL's order", "[unit]") {
    CHECK(numeric("-1.25").sign() == -1);
    CHECK(numeric("0.0").sign() == 0);
    CHECK(numeric("3").sign() == 1);
    CHECK(numeric::nan().sign() == 0);
    CHECK(numeric("1.250").scale() == 2);
    CHECK(numeric("10").scale() == 0);
    CHECK(numeric::infinity().scale() == 0);
    CHECK(numeric::nan().is_nan());
    CHECK(numeric::negative_infinity().is_infinite());
    CHECK_FALSE(numeric::infinity().is_finite());
    CHECK(numeric("1").is_finite());

    // Each value below is greater than the one before it.
    const std::vector<numeric> ascending = {numeric::negative_infinity(),
                                            numeric("-100"),
                                            numeric("-99.99"),
                                            numeric("-10"),
                                            numeric("-9"),
                                            numeric("-0.5"),
                                            numeric("-0.05"),
                                            numeric("0"),
                                            numeric("0.0001"),
                                            numeric("0.05"),
                                            numeric("0.5"),
                                            numeric("0.51"),
                                            numeric("1"),
                                            numeric("9"),
                                            numeric("10"),
                                            numeric("10.000001"),
                                            numeric("99"),
                                            numeric("100"),
                                            numeric("123456789012345678901234567890"),
                                            numeric::infinity(),
                                            numeric::nan()};
    for (std::size_t i = 0; i < ascending.size(); ++i) {
        for (std::size_t j = 0; j < ascending.size(); ++j) {
            INFO(ascending[i].to_string() << " vs " << ascending[j].to_string());
            CHECK((ascending[i] <=> ascending[j]) == (i <=> j));
        }
    }
    CHECK(numeric::nan() == numeric("NaN"));
}

TEST_CASE("uuid: canonical text both ways, nil and max, byte order", "[unit]") {
    const uuid u("123E4567-e89b-12d3-A456-426614174000");
    CHECK(u.to_string() == "123e4567-e89b-12d3-a456-426614174000");
    CHECK(u.bytes()[0] == 0x12);
    CHECK(u.bytes()[15] == 0x00);
    CHECK(uuid("{123e4567-e89b-12d3-a456-426614174000}") == u);
    CHECK(uuid("123e4567e89b12d3a456426614174000") == u);
    CHECK(uuid::nil().to_string() == "00000000-0000-0000-0000-000000000000");
    CHECK(uuid::max().to_string() == "ffffffff-ffff-ffff-ffff-ffffffffffff");
    CHECK(uuid().is_nil());
    CHECK(uuid::nil() < u);
    CHECK(u < uuid::max());
    CHECK(uuid("00000000-0000-0000-0000-000000000001") < uuid("01000000-0000-0000-0000-000000000000"));

    for (const char* bad : {"", "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000",
                            "123e4567xe89b-12d3-a456-426614174000", "g23e4567-e89b-12d3-a456-426614174000",
                            "123e4567-e89b-12d3-a456_426614174000", "{123e4567-e89b-12d3-a456-426614174000"}) {
        INFO(bad);
        CHECK_FALSE(uuid::parse(bad).has_value());
        CHECK_THROWS_AS(uuid(std::string_view(bad)), std::invalid_argument);
    }
    STATIC_REQUIRE(uuid::parse("00000000-0000-0000-0000-000000000001")->bytes()[15] == 1);
}

TEST_CASE("json: holds text; its default is the JSON null", "[unit]") {
    CHECK(json().text() == "null");
    CHECK(json(R"({"a": "\"b\""})").text() == R"({"a": "\"b\""})");
    CHECK(json("[1]") == json("[1]"));
    CHECK_FALSE(json("[1]") == json("[ 1 ]"));
}

TEST_CASE("types: categories and support of the extended types", "[unit]") {
    STATIC_REQUIRE(ctorm::category_of<numeric>() == category::decimal);
    STATIC_REQUIRE(ctorm::category_of<std::optional<numeric>>() == category::decimal);
    STATIC_REQUIRE(ctorm::category_of<uuid>() == category::uuid);
    STATIC_REQUIRE(ctorm::category_of<json>() == category::json);
    STATIC_REQUIRE(ctorm::category_of<std::vector<std::int64_t>>() == category::array);
    STATIC_REQUIRE(ctorm::category_of<std::optional<std::vector<std::string>>>() == category::array);
    STATIC_REQUIRE(ctorm::category_of<std::vector<std::byte>>() == category::bytes);  // a blob stays a blob

    STATIC_REQUIRE(ctorm::supported_field_type<numeric>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::optional<uuid>>());
    STATIC_REQUIRE(ctorm::supported_field_type<json>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<bool>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<std::int16_t>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<std::uint32_t>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<float>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<std::string>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<numeric>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<uuid>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<ctorm::timestamp>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<ctorm::date>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<color>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::vector<std::optional<std::int64_t>>>());
    STATIC_REQUIRE(ctorm::supported_field_type<std::optional<std::vector<std::optional<std::string>>>>());

    STATIC_REQUIRE_FALSE(ctorm::supported_field_type<std::vector<std::uint64_t>>());
    STATIC_REQUIRE_FALSE(ctorm::supported_field_type<std::vector<std::vector<int>>>());
    STATIC_REQUIRE_FALSE(ctorm::supported_field_type<std::vector<ctorm::blob>>());
    STATIC_REQUIRE_FALSE(ctorm::supported_field_type<std::vector<json>>());
    STATIC_REQUIRE_FALSE(ctorm::supported_field_type<std::vector<char>>());
    STATIC_REQUIRE_FALSE(ctorm::supported_field_type<std::vector<std::string_view>>());
    STATIC_REQUIRE_FALSE(ctorm::supported_field_type<std::vector<std::optional<std::optional<int>>>>());
}

TEST_CASE("types: what compares with and assigns to the extended types", "[unit]") {
    using ctorm::assignable;
    using ctorm::comparable;
    // numeric: exact, so integers yes and floating point no, both ways.
    STATIC_REQUIRE(comparable<numeric, numeric>());
    STATIC_REQUIRE(comparable<numeric, int>());
    STATIC_REQUIRE(comparable<std::optional<numeric>, std::int64_t>());
    STATIC_REQUIRE(comparable<std::int64_t, numeric>());
    STATIC_REQUIRE_FALSE(comparable<numeric, double>());
    STATIC_REQUIRE_FALSE(comparable<double, numeric>());
    STATIC_REQUIRE_FALSE(comparable<numeric, std::string>());
    STATIC_REQUIRE(assignable<numeric, numeric>());
    STATIC_REQUIRE(assignable<numeric, int>());
    STATIC_REQUIRE(assignable<std::optional<numeric>, std::nullopt_t>());
    STATIC_REQUIRE_FALSE(assignable<numeric, double>());
    STATIC_REQUIRE_FALSE(assignable<std::int64_t, numeric>());
    STATIC_REQUIRE_FALSE(assignable<numeric, std::optional<numeric>>());

    // uuid and json: only themselves.
    STATIC_REQUIRE(comparable<uuid, uuid>());
    STATIC_REQUIRE_FALSE(comparable<uuid, std::string>());
    STATIC_REQUIRE_FALSE(comparable<uuid, const char*>());
    STATIC_REQUIRE_FALSE(comparable<uuid, ctorm::blob>());
    STATIC_REQUIRE(comparable<json, json>());
    STATIC_REQUIRE_FALSE(comparable<json, std::string>());
    STATIC_REQUIRE_FALSE(assignable<json, std::string>());
    STATIC_REQUIRE_FALSE(assignable<std::string, json>());
    STATIC_REQUIRE_FALSE(assignable<uuid, std::string>());

    // Arrays: the same element type; NULL elements only into arrays that take them.
    using ints = std::vector<std::int32_t>;
    using maybe_ints = std::vector<std::optional<std::int32_t>>;
    STATIC_REQUIRE(comparable<ints, ints>());
    STATIC_REQUIRE(comparable<ints, maybe_ints>());
    STATIC_REQUIRE(comparable<std::optional<ints>, ints>());
    STATIC_REQUIRE_FALSE(comparable<ints, std::vector<std::int64_t>>());
    STATIC_REQUIRE_FALSE(comparable<ints, std::int32_t>());
    STATIC_REQUIRE_FALSE(comparable<std::int32_t, ints>());
    STATIC_REQUIRE_FALSE(comparable<std::vector<std::string>, std::string>());
    STATIC_REQUIRE_FALSE(comparable<ints, ctorm::blob>());
    STATIC_REQUIRE(assignable<ints, ints>());
    STATIC_REQUIRE(assignable<maybe_ints, ints>());
    STATIC_REQUIRE(assignable<maybe_ints, maybe_ints>());
    STATIC_REQUIRE(assignable<std::optional<ints>, std::nullopt_t>());
    STATIC_REQUIRE_FALSE(assignable<ints, maybe_ints>());
    STATIC_REQUIRE_FALSE(assignable<ints, std::vector<std::int64_t>>());
    STATIC_REQUIRE_FALSE(assignable<ints, std::optional<ints>>());
    STATIC_REQUIRE_FALSE(assignable<ctorm::blob, ints>());
}

TEST_CASE("ddl: the extended types on SQLite and PostgreSQL", "[unit]") {
    STATIC_REQUIRE(
        ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::create_table(products)) ==
        R"(CREATE TABLE IF NOT EXISTS "products" ("id" INTEGER PRIMARY KEY, "price" TEXT NOT NULL, "discount" TEXT, )"
        R"("sku" BLOB CHECK (length("sku") = 16) NOT NULL, "parent" BLOB CHECK (length("parent") = 16), )"
        R"("attributes" TEXT CHECK (json_valid("attributes") OR "attributes" IS NULL) NOT NULL, )"
        R"("extra" TEXT CHECK (json_valid("extra") OR "extra" IS NULL), )"
        R"("tags" TEXT CHECK (CASE WHEN json_valid("tags") THEN json_type("tags") = 'array' ELSE "tags" IS NULL END) NOT NULL, )"
        R"("sizes" TEXT CHECK (CASE WHEN json_valid("sizes") THEN json_type("sizes") = 'array' ELSE "sizes" IS NULL END) NOT NULL, )"
        R"("weights" TEXT CHECK (CASE WHEN json_valid("weights") THEN json_type("weights") = 'array' ELSE "weights" IS NULL END) NOT NULL, )"
        R"("flags" TEXT CHECK (CASE WHEN json_valid("flags") THEN json_type("flags") = 'array' ELSE "flags" IS NULL END), )"
        R"("colors" TEXT CHECK (CASE WHEN json_valid("colors") THEN json_type("colors") = 'array' ELSE "colors" IS NULL END) NOT NULL) STRICT)");
    STATIC_REQUIRE(
        ctorm::to_sql<ctorm::postgres_dialect>(ctorm::create_table(products)) ==
        R"(CREATE TABLE IF NOT EXISTS "products" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, )"
        R"("price" NUMERIC NOT NULL, "discount" NUMERIC, "sku" UUID NOT NULL, "parent" UUID, )"
        R"("attributes" JSONB NOT NULL, "extra" JSONB, "tags" VARCHAR(20)[] NOT NULL, "sizes" INTEGER[] NOT NULL, )"
        R"("weights" DOUBLE PRECISION[] NOT NULL, "flags" BOOLEAN[], "colors" SMALLINT[] NOT NULL))");
}

TEST_CASE("statements: extended types are bound parameters like any value", "[unit]") {
    const uuid key("123e4567-e89b-12d3-a456-426614174000");
    const auto by_price_and_key = ctorm::select(products.id).where(products.price > 10 && products.sku == key);
    STATIC_REQUIRE(ctorm::to_sql<ctorm::postgres_dialect, decltype(by_price_and_key)>() ==
                   R"(SELECT "products"."id" FROM "products" WHERE "products"."price" > $1 AND "products"."sku" = $2)");
    const auto by_tags_and_price =
        ctorm::select(products.id)
            .where(products.tags == std::vector<std::string>{"a"} && products.price == numeric("1.5"));
    STATIC_REQUIRE(ctorm::to_sql<ctorm::sqlite_dialect, decltype(by_tags_and_price)>() ==
                   R"(SELECT "products"."id" FROM "products" WHERE "products"."tags" = ? AND "products"."price" = ?)");
    STATIC_REQUIRE(ctorm::to_sql<ctorm::postgres_dialect>(ctorm::select(ctorm::cast<numeric>(products.id))) ==
                   R"(SELECT CAST("products"."id" AS NUMERIC) FROM "products")");
    STATIC_REQUIRE(ctorm::to_sql<ctorm::postgres_dialect>(ctorm::select(ctorm::cast<std::vector<std::int64_t>>(
                       products.sizes))) == R"(SELECT CAST("products"."sizes" AS BIGINT[]) FROM "products")");
    STATIC_REQUIRE(ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::select(ctorm::cast<uuid>(products.sku))) ==
                   R"(SELECT CAST("products"."sku" AS BLOB) FROM "products")");
}
