// ctorm::numeric, ctorm::uuid, ctorm::json and arrays on PostgreSQL: round
// trips with NULLs and edge values in binary format, checked against the
// server's own text for the same values (both directions), numeric order and
// scale, jsonb's normal form, and decode errors that name the column when the
// column's type does not fit.
#include "support/pg_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using ctorm::json;
using ctorm::numeric;
using ctorm::uuid;
using ctorm_test::postgres_query_text;

namespace shop {

enum class color : std::int16_t { red = 1, green = 2, blue = -3 };

struct Product {
    std::int64_t id{};
    numeric price;
    std::optional<numeric> discount;
    uuid sku;
    std::optional<uuid> parent;
    json attributes;
    std::optional<json> extra;
    std::vector<std::string> tags;
    std::vector<std::int64_t> counts;
    std::vector<std::optional<std::int32_t>> maybe_counts;
    std::vector<bool> flags;
    std::vector<double> weights;
    std::optional<std::vector<std::string>> notes;
    std::vector<numeric> prices;
    std::vector<uuid> related;
    std::vector<ctorm::timestamp> seen_at;
    std::vector<ctorm::date> days;
    std::vector<color> colors;
};

CTORM_TABLE(products, Product, (id, primary_key), (price), (discount), (sku), (parent), (attributes), (extra),
            (tags), (counts), (maybe_counts), (flags), (weights), (notes), (prices), (related), (seen_at), (days),
            (colors));

// Read from a table made by hand whose column types do not fit these fields.
struct Loose {
    std::int64_t id{};
    numeric amount;
    uuid key;
    json doc;
    std::vector<std::int64_t> list;
    std::vector<std::optional<std::int64_t>> maybe_list;
};

CTORM_TABLE(loose, Loose, (id, primary_key), (amount), (key), (doc), (list), (maybe_list));

struct Number {
    std::int64_t id{};
    std::optional<numeric> value;
    std::optional<numeric> fixed;
};

CTORM_TABLE(numbers, Number, (id, primary_key), (value), (fixed));

}  // namespace shop

using namespace shop;

namespace {

ctorm::timestamp at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int us = 0) {
    using namespace std::chrono;
    return ctorm::timestamp{sys_days{year{y} / month{mo} / day{d}}} + hours{h} + minutes{mi} + seconds{s} +
           microseconds{us};
}

ctorm::date on(int y, unsigned mo, unsigned d) {
    using namespace std::chrono;
    return sys_days{year{y} / month{mo} / day{d}};
}

ctorm::postgres::connection shop_db() {
    auto db = ctorm_test::postgres_empty_db();
    db.create_all(products);
    return db;
}

// Every non-optional column set, every optional one NULL. The JSON is written
// in jsonb's own spelling, so that it reads back unchanged.
Product plain_product() {
    Product p;
    p.price = numeric("19.99");
    p.sku = uuid("123e4567-e89b-12d3-a456-426614174000");
    p.attributes = json(R"({"size": "M"})");
    p.tags = {"new", "sale"};
    p.counts = {1, 2, 3};
    p.maybe_counts = {4, std::nullopt};
    p.flags = {true, false};
    p.weights = {0.5};
    p.prices = {numeric("1.25")};
    p.related = {uuid::nil()};
    p.seen_at = {at(2024, 2, 29, 13, 14, 15, 123456)};
    p.days = {on(2024, 2, 29)};
    p.colors = {color::red, color::blue};
    return p;
}

void check_same(const Product& back, const Product& sent) {
    CHECK(back.price == sent.price);
    CHECK(back.price.to_string() == sent.price.to_string());
    CHECK(back.discount == sent.discount);
    CHECK(back.sku == sent.sku);
    CHECK(back.parent == sent.parent);
    CHECK(back.attributes == sent.attributes);
    CHECK(back.extra == sent.extra);
    CHECK(back.tags == sent.tags);
    CHECK(back.counts == sent.counts);
    CHECK(back.maybe_counts == sent.maybe_counts);
    CHECK(back.flags == sent.flags);
    CHECK(back.weights == sent.weights);
    CHECK(back.notes == sent.notes);
    CHECK(back.prices == sent.prices);
    CHECK(back.related == sent.related);
    CHECK(back.seen_at == sent.seen_at);
    CHECK(back.days == sent.days);
    CHECK(back.colors == sent.colors);
}

std::int64_t insert_product(ctorm::postgres::connection& db, const Product& p) {
    return db.scalar(ctorm::insert(products).values(p).returning(products.id));
}

Product round_trip(ctorm::postgres::connection& db, const Product& sent) {
    const std::int64_t id = insert_product(db, sent);
    Product back = db.one(ctorm::select(products).where(products.id == id));
    CHECK(back.id == id);
    check_same(back, sent);
    return back;
}

std::string server_text(ctorm::postgres::connection& db, const std::string& expression, std::int64_t id) {
    return postgres_query_text(db, "SELECT (" + expression + ")::text FROM products WHERE id = " + std::to_string(id));
}

// Runs f, which must throw ctorm::decode_error about loose.<column>; returns its description.
template <class F>
std::string decode_failure(F&& f, std::string_view column) {
    try {
        f();
    } catch (const ctorm::decode_error& e) {
        CHECK(e.table() == "loose");
        CHECK(e.column() == column);
        return e.description();
    }
    FAIL("no ctorm::decode_error was thrown");
    return {};
}

// A new connection to the same schema: after ALTER TABLE ... TYPE, statements
// that a connection prepared earlier fail ("cached plan must not change result type").
ctorm::postgres::connection reconnect(const ctorm::postgres::connection& db) {
    return ctorm_test::postgres_connect_in(ctorm_test::postgres_current_schema(db));
}

using ctorm_test::contains;

// Texts that stress numeric's base-10000 binary form: group boundaries,
// zeros inside and around groups, tiny and huge magnitudes, and the special values.
const std::vector<std::string> numeric_texts = {"0",
                                                "1",
                                                "-1",
                                                "9999",
                                                "10000",
                                                "10001",
                                                "-10000",
                                                "99999999",
                                                "100000000",
                                                "0.1",
                                                "0.0001",
                                                "0.00001",
                                                "-0.00001",
                                                "0.12345",
                                                "1.0001",
                                                "10000.0001",
                                                "9999.9999",
                                                "12345678.87654321",
                                                "100000000.000000001",
                                                "123456789012345678901234567890.123456789012345678901234567890",
                                                "-98765432109876543210987654321.5",
                                                "0.000000000000000000000000000001",
                                                "-0.000000000000000000000000000001",
                                                "1000000000000000000000000000000",
                                                "9223372036854775808",
                                                "-9223372036854775809",
                                                "NaN",
                                                "Infinity",
                                                "-Infinity"};

}  // namespace

TEST_CASE("a row of every extended type round-trips, with every optional NULL", "[postgres]") {
    auto db = shop_db();
    const Product back = round_trip(db, plain_product());
    CHECK_FALSE(back.discount.has_value());
    CHECK_FALSE(back.parent.has_value());
    CHECK_FALSE(back.extra.has_value());
    CHECK_FALSE(back.notes.has_value());
    CHECK(db.scalar(ctorm::select(ctorm::count())
                        .from(products)
                        .where(products.discount.is_null() && products.parent.is_null() && products.extra.is_null() &&
                               products.notes.is_null())) == 1);
    // The columns have PostgreSQL's own types.
    CHECK(postgres_query_text(db,
                              "SELECT string_agg(column_name || ' ' || udt_name, ', ' ORDER BY ordinal_position) "
                              "FROM information_schema.columns WHERE table_name = 'products' "
                              "AND table_schema = current_schema()") ==
          "id int8, price numeric, discount numeric, sku uuid, parent uuid, attributes jsonb, extra jsonb, "
          "tags _text, counts _int8, maybe_counts _int4, flags _bool, weights _float8, notes _text, "
          "prices _numeric, related _uuid, seen_at _timestamptz, days _date, colors _int2");
}

TEST_CASE("optional extended columns round-trip values, including empty and zero ones", "[postgres]") {
    auto db = shop_db();
    Product p = plain_product();
    p.discount = numeric("0");
    p.parent = uuid::nil();
    p.extra = json("null");  // the JSON null, which is not SQL NULL
    p.notes = std::vector<std::string>{};
    const std::int64_t id = round_trip(db, p).id;
    CHECK(db.scalar(ctorm::select(ctorm::count())
                        .from(products)
                        .where(products.discount.is_not_null() && products.parent.is_not_null() &&
                               products.extra.is_not_null() && products.notes.is_not_null())) == 1);
    CHECK(server_text(db, "notes", id) == "{}");
    CHECK(server_text(db, "jsonb_typeof(extra)", id) == "null");
}

TEST_CASE("numeric: what ctorm sends is what the server prints", "[postgres]") {
    auto db = shop_db();
    for (const std::string& text : numeric_texts) {
        CAPTURE(text);
        Product p = plain_product();
        p.price = numeric(text);
        p.prices = {numeric(text), numeric("-1")};
        const std::int64_t id = round_trip(db, p).id;
        CHECK(server_text(db, "price", id) == numeric(text).to_string());
        CHECK(server_text(db, "prices[1]", id) == numeric(text).to_string());
    }
}

TEST_CASE("numeric: what the server holds is what ctorm reads, trailing zeros of the scale dropped", "[postgres]") {
    auto db = ctorm_test::postgres_empty_db();
    // Made by hand: numeric(12, 4) has no ctorm option yet.
    db.execute_script("CREATE TABLE numbers (id bigint PRIMARY KEY, value numeric, fixed numeric(12, 4))");
    auto value_of = [&](std::int64_t id) { return db.one(ctorm::select(numbers.value).where(numbers.id == id)); };
    std::int64_t id = 0;
    for (const std::string& text : numeric_texts) {
        CAPTURE(text);
        ++id;
        db.execute_script("INSERT INTO numbers VALUES (" + std::to_string(id) + ", '" + text + "', NULL)");
        const std::optional<numeric> back = value_of(id);
        REQUIRE(back.has_value());
        CHECK(*back == numeric(text));
        CHECK(back->to_string() == numeric(text).to_string());
    }
    // Spellings the server keeps with another scale, or normalizes.
    db.execute_script(
        "INSERT INTO numbers VALUES (1001, '1.50', 1.5), (1002, '1e-20', 0), (1003, '-0.000', -0.5),"
        " (1004, '2.5e3', 12345678.12345), (1005, NULL, NULL)");
    CHECK(postgres_query_text(db, "SELECT value::text FROM numbers WHERE id = 1001") == "1.50");
    CHECK(value_of(1001)->to_string() == "1.5");
    CHECK(value_of(1002)->to_string() == "0.00000000000000000001");
    CHECK(value_of(1003)->to_string() == "0");
    CHECK(value_of(1004)->to_string() == "2500");
    CHECK_FALSE(value_of(1005).has_value());
    // numeric(12, 4) rounds to its scale on the way in; ctorm reads the rounded value.
    CHECK(db.one(ctorm::select(numbers.fixed).where(numbers.id == 1004)) == numeric("12345678.1235"));
    CHECK(db.one(ctorm::select(numbers.fixed).where(numbers.id == 1001))->to_string() == "1.5");
    CHECK(postgres_query_text(db, "SELECT fixed::text FROM numbers WHERE id = 1001") == "1.5000");
    // ... and rounds what ctorm sends.
    db.execute(ctorm::update(numbers).set(numbers.fixed = numeric("0.00005")).where(numbers.id == 1002));
    CHECK(db.one(ctorm::select(numbers.fixed).where(numbers.id == 1002)) == numeric("0.0001"));
    db.execute(ctorm::update(numbers).set(numbers.fixed = numeric("-0.00004")).where(numbers.id == 1002));
    CHECK(db.one(ctorm::select(numbers.fixed).where(numbers.id == 1002)) == numeric(0));
    // Too many digits before the point for numeric(12, 4) is the server's error, not a silent change.
    CHECK_THROWS_AS(
        db.execute(ctorm::update(numbers).set(numbers.fixed = numeric("123456789.5")).where(numbers.id == 1002)),
        ctorm::database_error);
}

TEST_CASE("numeric: compared in SQL as numbers, with numerics and with integers", "[postgres]") {
    auto db = shop_db();
    std::vector<std::int64_t> ids;
    for (const char* text : {"9", "10", "-100", "0.5", "100", "99.99"}) {
        Product p = plain_product();
        p.price = numeric(text);
        ids.push_back(insert_product(db, p));
    }
    // Numeric order, not text order ("9" > "10" as text).
    CHECK(db.all(ctorm::select(products.price).order_by(products.price)) ==
          std::vector<numeric>{numeric("-100"), numeric("0.5"), numeric("9"), numeric("10"), numeric("99.99"),
                               numeric("100")});
    CHECK(db.all(ctorm::select(products.price).where(products.price > 9).order_by(products.price)) ==
          std::vector<numeric>{numeric("10"), numeric("99.99"), numeric("100")});
    CHECK(db.one(ctorm::select(products.id).where(products.price == 100)) == ids[4]);
    // The same text as price == 100 above, with a numeric parameter this time.
    CHECK(db.one(ctorm::select(products.id).where(products.price == numeric("0.50"))) == ids[3]);
    CHECK(db.scalar(ctorm::select(ctorm::count())
                        .from(products)
                        .where(products.price.between(numeric("0.5"), std::int64_t{10}))) == 3);
    // An integer assigned to a numeric column.
    db.execute(ctorm::update(products).set(products.price = 7).where(products.id == ids[0]));
    CHECK(db.one(ctorm::select(products.price).where(products.id == ids[0])) == numeric(7));
    // Integers read into numeric exactly, as a cast shows.
    CHECK(db.one(ctorm::select(ctorm::cast<numeric>(products.id)).where(products.id == ids[5])) == numeric(ids[5]));
    CHECK(db.one(ctorm::select(ctorm::max(products.price))) == numeric("100"));
}

TEST_CASE("uuid: nil and max round-trip, print as the server prints them, and order byte by byte", "[postgres]") {
    auto db = shop_db();
    Product low = plain_product();
    low.sku = uuid::nil();
    low.parent = uuid::max();
    low.related = {uuid::max(), uuid::nil(), uuid("00112233-4455-6677-8899-aabbccddeeff")};
    const std::int64_t low_id = round_trip(db, low).id;
    Product high = plain_product();
    high.sku = uuid::max();
    const std::int64_t high_id = round_trip(db, high).id;
    CHECK(server_text(db, "sku", low_id) == "00000000-0000-0000-0000-000000000000");
    CHECK(server_text(db, "parent", low_id) == "ffffffff-ffff-ffff-ffff-ffffffffffff");
    CHECK(server_text(db, "related", low_id) ==
          "{ffffffff-ffff-ffff-ffff-ffffffffffff,00000000-0000-0000-0000-000000000000,"
          "00112233-4455-6677-8899-aabbccddeeff}");
    CHECK(db.one(ctorm::select(products.id).where(products.sku == uuid::max())) == high_id);
    CHECK(db.all(ctorm::select(products.id).order_by(products.sku.desc())) ==
          std::vector<std::int64_t>{high_id, low_id});
    // A UUID the server made.
    db.execute_script("UPDATE products SET sku = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' WHERE id = " +
                      std::to_string(low_id));
    CHECK(db.one(ctorm::select(products.sku).where(products.id == low_id)) ==
          uuid("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
}

TEST_CASE("json: jsonb keeps unicode and quotes, in its own normal form, and compares as JSON", "[postgres]") {
    auto db = shop_db();
    Product p = plain_product();
    p.attributes =
        json(R"({"name":"Zoë \"the\" café ☕","path":"C:\\temp","emoji":"\ud83d\ude00","list":[1,2.50,null]})");
    p.extra = json(R"(  [ "spaced" ,  {"b":1,"a":2} ]  )");
    const std::int64_t id = insert_product(db, p);
    // jsonb's spelling: keys ordered by length, then bytes; one space after ':' and ','; escapes decoded.
    CHECK(db.one(ctorm::select(products.attributes).where(products.id == id)).text() ==
          R"({"list": [1, 2.50, null], "name": "Zoë \"the\" café ☕", "path": "C:\\temp", "emoji": "😀"})");
    CHECK(db.one(ctorm::select(products.extra).where(products.id == id)) == json(R"(["spaced", {"a": 2, "b": 1}])"));
    CHECK(server_text(db, "attributes->>'name'", id) == "Zoë \"the\" café ☕");
    // jsonb equality is JSON equality.
    CHECK(db.scalar(ctorm::select(ctorm::count())
                        .from(products)
                        .where(products.extra == json(R"([ "spaced", {"a": 2, "b": 1} ])"))) == 1);
    // Invalid JSON is refused by the server.
    Product bad = plain_product();
    bad.attributes = json("{oops");
    CHECK_THROWS_AS(insert_product(db, bad), ctorm::database_error);

    // A json (not jsonb) column keeps the text exactly, and reads into ctorm::json too. (A new
    // connection: the statements this one prepared would now return another type.)
    db.execute_script("ALTER TABLE products ALTER COLUMN extra TYPE json USING extra::json");
    db = reconnect(db);
    db.execute_script("UPDATE products SET extra = '{\"b\":1,  \"a\":\"ü\"}' WHERE id = " + std::to_string(id));
    CHECK(db.one(ctorm::select(products.extra).where(products.id == id)) == json(R"({"b":1,  "a":"ü"})"));
    Product into_json = plain_product();
    into_json.extra = json(R"({"z":1, "y":[true]})");
    const std::int64_t json_id = insert_product(db, into_json);  // a jsonb parameter, cast by the server
    CHECK(db.one(ctorm::select(products.extra).where(products.id == json_id)).has_value());
}

TEST_CASE("arrays: empty ones, strings with quotes and commas, NULL elements, extremes", "[postgres]") {
    auto db = shop_db();
    Product empty = plain_product();
    empty.tags = {};
    empty.counts = {};
    empty.maybe_counts = {};
    empty.flags = {};
    empty.weights = {};
    empty.prices = {};
    empty.related = {};
    empty.seen_at = {};
    empty.days = {};
    empty.colors = {};
    const std::int64_t empty_id = round_trip(db, empty).id;
    CHECK(server_text(db, "tags::text || counts::text || cardinality(flags)", empty_id) == "{}{}0");

    Product odd = plain_product();
    odd.tags = {"a,b", "c\"d", "e\\f", "", "{x}", "NULL", "null", "line\nbreak", "ünïcödé ☕ 😀", " spaced "};
    odd.counts = {std::numeric_limits<std::int64_t>::min(), 0, std::numeric_limits<std::int64_t>::max()};
    odd.maybe_counts = {std::nullopt, std::numeric_limits<std::int32_t>::min(), std::nullopt,
                        std::numeric_limits<std::int32_t>::max()};
    odd.flags = {false, true, true};
    odd.weights = {0.1,
                   -0.0,
                   std::numeric_limits<double>::max(),
                   std::numeric_limits<double>::denorm_min(),
                   std::numeric_limits<double>::infinity(),
                   -1.0 / 3.0};
    odd.notes = std::vector<std::string>{"only"};
    odd.prices = {numeric("-0.000000000000000000000000000001"), numeric("123456789012345678901234567890"),
                  numeric::nan(), numeric::negative_infinity()};
    odd.seen_at = {at(1969, 12, 31, 23, 59, 59, 999999), at(9999, 12, 31, 23, 59, 59, 999999), at(1, 1, 1)};
    odd.days = {on(1, 1, 1), on(1970, 1, 1), on(9999, 12, 31)};
    odd.colors = {color::blue, color::green};
    const std::int64_t odd_id = round_trip(db, odd).id;
    CHECK(server_text(db, "tags", odd_id) == R"({"a,b","c\"d","e\\f","","{x}","NULL","null","line)"
                                             "\n"
                                             R"(break","ünïcödé ☕ 😀"," spaced "})");
    CHECK(server_text(db, "maybe_counts", odd_id) == "{NULL,-2147483648,NULL,2147483647}");
    CHECK(server_text(db, "array_length(tags, 1)", odd_id) == "10");
    CHECK(server_text(db, "array_lower(tags, 1)", odd_id) == "1");
    CHECK(server_text(db, "prices", odd_id) ==
          "{-0.000000000000000000000000000001,123456789012345678901234567890,NaN,-Infinity}");

    // Arrays compare as a whole.
    CHECK(db.one(ctorm::select(products.id).where(products.tags == odd.tags)) == odd_id);
    CHECK(db.one(ctorm::select(products.id).where(products.counts == std::vector<std::int64_t>{})) == empty_id);
    CHECK(db.all(ctorm::select(products.id).where(products.maybe_counts == odd.maybe_counts)) ==
          std::vector<std::int64_t>{odd_id});

    // Set by update, and read alone.
    db.execute(ctorm::update(products)
                   .set(products.tags = std::vector<std::string>{"x"}, products.notes = std::nullopt)
                   .where(products.id == odd_id));
    const auto [tags, notes] = db.one(ctorm::select(products.tags, products.notes).where(products.id == odd_id));
    CHECK(tags == std::vector<std::string>{"x"});
    CHECK_FALSE(notes.has_value());
}

TEST_CASE("bulk insert encodes every row's arrays, numerics and JSON afresh", "[postgres]") {
    auto db = shop_db();
    std::vector<Product> rows;
    for (int i = 0; i < 50; ++i) {
        Product p = plain_product();
        p.price = numeric(std::to_string(i) + ".5");
        p.attributes = json("{\"i\": " + std::to_string(i) + "}");
        p.tags = std::vector<std::string>(static_cast<std::size_t>(i % 4), "t" + std::to_string(i));
        p.maybe_counts = {i % 2 ? std::optional<std::int32_t>(i) : std::nullopt};
        rows.push_back(p);
    }
    CHECK(db.execute(ctorm::insert(products).values(rows)).rows_affected == 50);
    const std::vector<Product> back = db.all(ctorm::select(products).order_by(products.id));
    REQUIRE(back.size() == rows.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
        CAPTURE(i);
        check_same(back[i], rows[i]);
    }
}

TEST_CASE("a column whose type does not fit raises decode_error naming it", "[postgres]") {
    auto db = ctorm_test::postgres_empty_db();
    db.execute_script(
        "CREATE TABLE loose (id bigint PRIMARY KEY, amount double precision, key text, doc text, list text[], "
        "maybe_list bigint[]);"
        "INSERT INTO loose VALUES (1, 1.5, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{}', '{a}', '{1,NULL}')");
    CHECK(contains(decode_failure([&] { db.all(ctorm::select(loose.amount)); }, "amount"),
                   "a double precision column (type oid 701) cannot be read into ctorm::numeric"));
    CHECK(contains(decode_failure([&] { db.all(ctorm::select(loose.key)); }, "key"),
                   "a text column (type oid 25) cannot be read into ctorm::uuid"));
    CHECK(contains(decode_failure([&] { db.all(ctorm::select(loose.doc)); }, "doc"),
                   "a text column (type oid 25) cannot be read into ctorm::json"));
    CHECK(contains(decode_failure([&] { db.all(ctorm::select(loose.list)); }, "list"),
                   "a text[] column (type oid 1009) cannot be read into std::vector"));
    CHECK(db.one(ctorm::select(loose.maybe_list)) == std::vector<std::optional<std::int64_t>>{1, std::nullopt});

    // Arrays whose elements do not fit what the C++ type holds.
    db.execute_script("ALTER TABLE loose ALTER COLUMN list TYPE bigint[] USING '{}'");
    db.execute_script("UPDATE loose SET list = '{1,NULL,3}'");
    db = reconnect(db);
    CHECK(contains(decode_failure([&] { db.all(ctorm::select(loose.list)); }, "list"),
                   "element 1 of the array is NULL; read it into std::vector<std::optional<T>>"));
    db.execute_script("UPDATE loose SET list = '{{1,2},{3,4}}'");
    CHECK(contains(decode_failure([&] { db.all(ctorm::select(loose.list)); }, "list"), "2-dimensional"));
    db.execute_script("UPDATE loose SET list = '[0:1]={7,8}'");  // another lower bound is still one dimension
    CHECK(db.one(ctorm::select(loose.list)) == std::vector<std::int64_t>{7, 8});

    // Integers and numerics of the server read into ctorm::numeric.
    db.execute_script("ALTER TABLE loose ALTER COLUMN amount TYPE integer USING 42");
    db = reconnect(db);
    CHECK(db.one(ctorm::select(loose.amount)) == numeric(42));
    db.execute_script("ALTER TABLE loose ALTER COLUMN amount TYPE numeric(6, 3) USING -1.5");
    db = reconnect(db);
    CHECK(db.one(ctorm::select(loose.amount)).to_string() == "-1.5");
    db.execute_script("UPDATE loose SET amount = NULL");
    CHECK(contains(decode_failure([&] { db.all(ctorm::select(loose.amount)); }, "amount"),
                   "NULL read into non-optional ctorm::numeric"));
}
