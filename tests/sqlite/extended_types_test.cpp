// ctorm::numeric, ctorm::uuid, ctorm::json and arrays on SQLite: round trips
// with NULLs and edge values, what the file holds (exact decimal text, 16-byte
// BLOBs, JSON text), the CHECKs that keep other writers honest, comparisons in
// SQL, decode errors that name the column, and the JSON text of arrays itself.
#include "support/sqlite_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using ctorm::json;
using ctorm::numeric;
using ctorm::uuid;
using ctorm_test::at;
using ctorm_test::on;
using ctorm_test::storage;

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

// A table made by hand, without types or CHECKs, to hold what ctorm would not write.
struct Loose {
    std::int64_t id{};
    numeric amount;
    uuid key;
    json doc;
    std::vector<std::int64_t> list;
};

CTORM_TABLE(loose, Loose, (id, primary_key), (amount), (key), (doc), (list));

}  // namespace shop

using namespace shop;

namespace {

ctorm::sqlite::connection shop_db(storage kind) {
    auto db = ctorm_test::empty_db(kind);
    db.create_all(products);
    return db;
}

// A row with every non-optional column set and every optional one NULL.
Product plain_product() {
    Product p;
    p.price = numeric("19.99");
    p.sku = uuid("123e4567-e89b-12d3-a456-426614174000");
    p.attributes = json(R"({"size":"M"})");
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
    CHECK(back.attributes == sent.attributes);  // SQLite keeps the text as it was written
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

std::int64_t insert_product(ctorm::sqlite::connection& db, const Product& p) {
    return db.execute(ctorm::insert(products).values(p)).last_insert_id;
}

Product round_trip(ctorm::sqlite::connection& db, const Product& sent) {
    const std::int64_t id = insert_product(db, sent);
    Product back = db.one(ctorm::select(products).where(products.id == id));
    check_same(back, sent);
    return back;
}

// The text of the single value `sql` returns, with SQLite itself ("NULL" for NULL).
std::string query_text(ctorm::sqlite::connection& db, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.native_handle(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db.native_handle()));
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> s(raw, sqlite3_finalize);
    if (sqlite3_step(s.get()) != SQLITE_ROW) throw std::runtime_error(sql + ": no row");
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
    return text ? text : "NULL";
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

using ctorm_test::contains;

template <class V>
std::string json_of(const V& values) {
    std::string out;
    REQUIRE(ctorm::detail::json_array::write(values, out));
    return out;
}

}  // namespace

TEST_CASE("a row of every extended type round-trips, with every optional NULL", "[sqlite]") {
    for (storage kind : {storage::memory, storage::file}) {
        auto db = shop_db(kind);
        const Product back = round_trip(db, plain_product());
        CHECK_FALSE(back.discount.has_value());
        CHECK_FALSE(back.parent.has_value());
        CHECK_FALSE(back.extra.has_value());
        CHECK_FALSE(back.notes.has_value());
        CHECK(db.scalar(ctorm::select(ctorm::count())
                            .from(products)
                            .where(products.discount.is_null() && products.parent.is_null() &&
                                   products.extra.is_null() && products.notes.is_null())) == 1);
    }
}

TEST_CASE("optional extended columns round-trip values, including empty and zero ones", "[sqlite]") {
    auto db = shop_db(storage::file);
    Product p = plain_product();
    p.discount = numeric("0");
    p.parent = uuid::nil();
    p.extra = json("null");  // the JSON null, which is not SQL NULL
    p.notes = std::vector<std::string>{};
    const Product back = round_trip(db, p);
    CHECK(back.notes.has_value());
    CHECK(db.scalar(ctorm::select(ctorm::count())
                        .from(products)
                        .where(products.discount.is_not_null() && products.parent.is_not_null() &&
                               products.extra.is_not_null() && products.notes.is_not_null())) == 1);
    CHECK(query_text(db, "SELECT notes FROM products") == "[]");
    CHECK(query_text(db, "SELECT extra FROM products") == "null");
}

TEST_CASE("numeric: 30 digits with a scale, negatives, zero, NaN and the infinities are exact", "[sqlite]") {
    auto db = shop_db(storage::memory);
    const char* values[] = {"123456789012345678901234567890.123456789012345678901234567890",
                            "-98765432109876543210987654321.5",
                            "0",
                            "-0.000000000000000000000000000001",
                            "100",
                            "NaN",
                            "Infinity",
                            "-Infinity",
                            "9223372036854775808"};  // one past the largest 64-bit integer
    for (const char* v : values) {
        CAPTURE(v);
        Product p = plain_product();
        p.price = numeric(v);
        p.discount = numeric(v);
        p.prices = {numeric(v), numeric("-1")};
        round_trip(db, p);
        // Stored as its exact text, never as a REAL.
        CHECK(query_text(db, "SELECT typeof(price) || ':' || price FROM products ORDER BY id DESC LIMIT 1") ==
              "text:" + numeric(v).to_string());
    }
    // The canonical text makes SQL equality exact: 1.50 and 1.5 are one value.
    Product p = plain_product();
    p.price = numeric("1.50");
    const std::int64_t id = insert_product(db, p);
    CHECK(db.one(ctorm::select(products.id).where(products.price == numeric("1.5"))) == id);
    CHECK(db.one(ctorm::select(products.id).where(products.price == numeric("+001.500"))) == id);
    // ... and a numeric column compares with an integer.
    CHECK(db.all(ctorm::select(products.price).where(products.price == 100)) == std::vector<numeric>{numeric(100)});
    CHECK(db.all(ctorm::select(products.price).where(products.price == -7)).empty());
    // An integer assigned to a numeric column is stored as its text.
    db.execute(ctorm::update(products).set(products.price = 42).where(products.id == id));
    CHECK(db.one(ctorm::select(products.price).where(products.id == id)) == numeric(42));
    CHECK(query_text(db, "SELECT typeof(price) FROM products WHERE price = '42'") == "text");
}

TEST_CASE("uuid: nil and max round-trip as 16-byte BLOBs and compare in SQL", "[sqlite]") {
    auto db = shop_db(storage::memory);
    Product nil = plain_product();
    nil.sku = uuid::nil();
    nil.parent = uuid::max();
    nil.related = {uuid::max(), uuid::nil(), uuid("00112233-4455-6677-8899-aabbccddeeff")};
    const std::int64_t nil_id = round_trip(db, nil).id;
    Product max = plain_product();
    max.sku = uuid::max();
    const std::int64_t max_id = round_trip(db, max).id;
    CHECK(query_text(db, "SELECT typeof(sku) || ':' || length(sku) || ':' || hex(sku) FROM products WHERE id = " +
                             std::to_string(nil_id)) == "blob:16:00000000000000000000000000000000");
    CHECK(query_text(db, "SELECT hex(sku) FROM products WHERE id = " + std::to_string(max_id)) ==
          "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
    CHECK(query_text(db, "SELECT related FROM products WHERE id = " + std::to_string(nil_id)) ==
          R"(["ffffffff-ffff-ffff-ffff-ffffffffffff","00000000-0000-0000-0000-000000000000",)"
          R"("00112233-4455-6677-8899-aabbccddeeff"])");
    CHECK(db.one(ctorm::select(products.id).where(products.sku == uuid::max())) == max_id);
    CHECK(db.one(ctorm::select(products.id).where(products.parent == uuid::max())) == nil_id);
    // BLOBs compare byte by byte, as uuid's operator< does.
    CHECK(db.all(ctorm::select(products.id).order_by(products.sku.desc())) ==
          std::vector<std::int64_t>{max_id, nil_id});
}

TEST_CASE("json: unicode, quotes and escapes are kept exactly as written", "[sqlite]") {
    auto db = shop_db(storage::memory);
    Product p = plain_product();
    p.attributes =
        json(R"({"name":"Zoë \"the\" café ☕","path":"C:\\temp","emoji":"\ud83d\ude00","list":[1,2.5,null]})");
    p.extra = json(R"(  [ "spaced" ,  {"b":1,"a":2} ]  )");
    round_trip(db, p);
    CHECK(db.one(ctorm::select(products.attributes)) == p.attributes);
    CHECK(db.one(ctorm::select(products.extra)) == p.extra);
    // SQLite's JSON functions read what ctorm wrote.
    CHECK(query_text(db, "SELECT json_extract(attributes, '$.name') FROM products") == "Zoë \"the\" café ☕");
    CHECK(query_text(db, "SELECT json_extract(attributes, '$.emoji') FROM products") == "😀");
    // json equality is text equality on SQLite.
    CHECK(db.scalar(ctorm::select(ctorm::count()).from(products).where(products.attributes == p.attributes)) == 1);
}

TEST_CASE("arrays: empty ones, strings with quotes and commas, NULL elements, extremes", "[sqlite]") {
    auto db = shop_db(storage::file);
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
    CHECK(query_text(db, "SELECT tags || counts || flags FROM products WHERE id = " + std::to_string(empty_id)) ==
          "[][][]");

    Product odd = plain_product();
    odd.tags = {"a,b",
                "c\"d",
                "e\\f",
                "",
                "{x}",
                "NULL",
                "null",
                "line\nbreak",
                "tab\there",
                "ünïcödé ☕ 😀",
                std::string("nul\0byte", 8),
                "[1,2]"};
    odd.counts = {std::numeric_limits<std::int64_t>::min(), 0, std::numeric_limits<std::int64_t>::max()};
    odd.maybe_counts = {std::nullopt, std::numeric_limits<std::int32_t>::min(), std::nullopt,
                        std::numeric_limits<std::int32_t>::max()};
    odd.flags = {false, true, true};
    odd.weights = {0.1, -0.0, std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min(),
                   -1.0 / 3.0};
    odd.notes = std::vector<std::string>{"only"};
    odd.prices = {numeric("-0.000000000000000000000000000001"), numeric("123456789012345678901234567890"),
                  numeric::nan(), numeric::negative_infinity()};
    odd.seen_at = {at(1969, 12, 31, 23, 59, 59, 999999), at(9999, 12, 31, 23, 59, 59, 999999), at(1, 1, 1)};
    odd.days = {on(1, 1, 1), on(1970, 1, 1), on(9999, 12, 31)};
    odd.colors = {color::blue, color::green};
    const std::int64_t odd_id = round_trip(db, odd).id;
    CHECK(query_text(db, "SELECT json_array_length(tags) FROM products WHERE id = " + std::to_string(odd_id)) == "12");
    CHECK(query_text(db, "SELECT json_extract(tags, '$[1]') FROM products WHERE id = " + std::to_string(odd_id)) ==
          "c\"d");
    CHECK(query_text(db, "SELECT maybe_counts FROM products WHERE id = " + std::to_string(odd_id)) ==
          "[null,-2147483648,null,2147483647]");

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

TEST_CASE("values with no JSON form are refused before anything is written", "[sqlite]") {
    auto db = shop_db(storage::memory);
    Product p = plain_product();
    p.weights = {1.0, std::numeric_limits<double>::quiet_NaN()};
    CHECK_THROWS_AS(insert_product(db, p), ctorm::database_error);
    p.weights = {std::numeric_limits<double>::infinity()};
    CHECK_THROWS_AS(insert_product(db, p), ctorm::database_error);
    CHECK(db.scalar(ctorm::select(ctorm::count()).from(products)) == 0);
}

TEST_CASE("CHECKs refuse a short UUID, invalid JSON and a non-array written by other code", "[sqlite]") {
    auto db = shop_db(storage::memory);
    insert_product(db, plain_product());
    const std::string copy =
        "INSERT INTO products (price, sku, attributes, tags, counts, maybe_counts, flags, weights, prices, "
        "related, seen_at, days, colors) SELECT price, sku, attributes, tags, counts, maybe_counts, flags, weights, "
        "prices, related, seen_at, days, colors FROM products WHERE id = 1";
    db.execute_script(copy);  // the copy is fine
    CHECK_THROWS_AS(db.execute_script("UPDATE products SET sku = X'0102' WHERE id = 2"), ctorm::check_violation);
    CHECK_THROWS_AS(db.execute_script("UPDATE products SET sku = X'" + std::string(34, 'a') + "' WHERE id = 2"),
                    ctorm::check_violation);
    CHECK_THROWS_AS(db.execute_script("UPDATE products SET attributes = '{\"a\":' WHERE id = 2"),
                    ctorm::check_violation);
    CHECK_THROWS_AS(db.execute_script("UPDATE products SET tags = '{\"a\":1}' WHERE id = 2"), ctorm::check_violation);
    CHECK_THROWS_AS(db.execute_script("UPDATE products SET tags = '[1' WHERE id = 2"), ctorm::check_violation);
    CHECK_THROWS_AS(db.execute_script("UPDATE products SET notes = 'x' WHERE id = 2"), ctorm::check_violation);
    db.execute_script("UPDATE products SET notes = NULL, extra = NULL WHERE id = 2");  // NULL passes the CHECKs
    CHECK(db.one(ctorm::select(products.sku).where(products.id == 2)) == plain_product().sku);
}

TEST_CASE("values of the wrong type raise decode_error naming the column", "[sqlite]") {
    auto db = ctorm_test::empty_db(storage::memory);
    // No types, no CHECKs, not STRICT: anything goes in.
    db.execute_script("CREATE TABLE loose (id INTEGER PRIMARY KEY, amount, key, doc, list)");
    db.execute_script(
        "INSERT INTO loose VALUES (1, '12.50', X'00112233445566778899AABBCCDDEEFF', '{\"a\": 1}', '[1, 2]');"
        "INSERT INTO loose VALUES (2, 7, X'00112233445566778899AABBCCDDEEFF', '[]', '[]');"
        "INSERT INTO loose VALUES (3, 1.5, X'00112233445566778899AABBCCDDEEFF', '1', '[]');"
        "INSERT INTO loose VALUES (4, 'twelve', X'00112233445566778899AABBCCDDEEFF', '1', '[]');"
        "INSERT INTO loose VALUES (5, NULL, X'00112233445566778899AABBCCDDEEFF', '1', '[]');"
        "INSERT INTO loose VALUES (6, '1', '00112233-4455-6677-8899-aabbccddeeff', '1', '[]');"
        "INSERT INTO loose VALUES (7, '1', X'0011', '1', '[]');"
        "INSERT INTO loose VALUES (8, '1', X'00112233445566778899AABBCCDDEEFF', 5, '[]');"
        "INSERT INTO loose VALUES (9, '1', X'00112233445566778899AABBCCDDEEFF', '1', '[1, \"a\"]');"
        "INSERT INTO loose VALUES (10, '1', X'00112233445566778899AABBCCDDEEFF', '1', '[1, null]');"
        "INSERT INTO loose VALUES (11, '1', X'00112233445566778899AABBCCDDEEFF', '1', '{\"a\": [1]}');"
        "INSERT INTO loose VALUES (12, '1', X'00112233445566778899AABBCCDDEEFF', '1', '[9223372036854775808]');");
    auto read = [&](int id) { return db.one(ctorm::select(loose).where(loose.id == id)); };

    const Loose good = read(1);
    CHECK(good.amount == numeric("12.5"));
    CHECK(good.key == uuid("00112233-4455-6677-8899-aabbccddeeff"));
    CHECK(good.doc == json(R"({"a": 1})"));
    CHECK(good.list == std::vector<std::int64_t>{1, 2});
    CHECK(read(2).amount == numeric(7));  // an INTEGER is an exact numeric

    CHECK(contains(decode_failure([&] { read(3); }, "amount"), "got REAL"));  // already inexact: refused
    CHECK(contains(decode_failure([&] { read(4); }, "amount"), "'twelve' is not a valid ctorm::numeric"));
    CHECK(contains(decode_failure([&] { read(5); }, "amount"), "NULL read into non-optional ctorm::numeric"));
    CHECK(contains(decode_failure([&] { read(6); }, "key"), "expected BLOB for ctorm::uuid, got TEXT"));
    CHECK(contains(decode_failure([&] { read(7); }, "key"), "a BLOB of 2 bytes"));
    CHECK(contains(decode_failure([&] { read(8); }, "doc"), "expected TEXT for ctorm::json, got INTEGER"));
    CHECK(contains(decode_failure([&] { read(9); }, "list"), "element 1"));
    CHECK(contains(decode_failure([&] { read(10); }, "list"), "std::optional"));
    CHECK(contains(decode_failure([&] { read(11); }, "list"), "not a JSON array"));
    CHECK(contains(decode_failure([&] { read(12); }, "list"), "element 0"));  // past std::int64_t
}

TEST_CASE("json arrays: written with escapes, read back the same", "[sqlite]") {
    namespace ja = ctorm::detail::json_array;
    CHECK(json_of(std::vector<std::int64_t>{}) == "[]");
    CHECK(json_of(std::vector<std::int64_t>{1, -2, std::numeric_limits<std::int64_t>::min()}) ==
          "[1,-2,-9223372036854775808]");
    CHECK(json_of(std::vector<bool>{true, false}) == "[true,false]");
    CHECK(json_of(std::vector<std::string>{"a,b", "c\"d", "e\\f", "", "line\nnext\ttab", std::string("\x01", 1)}) ==
          R"(["a,b","c\"d","e\\f","","line\nnext\ttab","\u0001"])");
    CHECK(json_of(std::vector<std::string>{"ünï €"}) == "[\"ünï €\"]");  // UTF-8 as is
    CHECK(json_of(std::vector<std::optional<std::int32_t>>{1, std::nullopt, 3}) == "[1,null,3]");
    CHECK(json_of(std::vector<numeric>{numeric("-1.50"), numeric::nan()}) == R"(["-1.5","NaN"])");
    CHECK(json_of(std::vector<uuid>{uuid::max()}) == R"(["ffffffff-ffff-ffff-ffff-ffffffffffff"])");
    CHECK(json_of(std::vector<color>{color::green}) == "[2]");
    CHECK(json_of(std::vector<double>{0.1, -0.0, 1e300}) == "[0.1,-0,1e+300]");

    std::string out;
    CHECK_FALSE(ja::write(std::vector<double>{1.0, std::numeric_limits<double>::quiet_NaN()}, out));
    CHECK_FALSE(ja::write(std::vector<double>{std::numeric_limits<double>::infinity()}, out));

    const std::vector<std::string> strings = {"a,b", "c\"d", "e\\f", "", "ünï €", "\x01\x1f", "[]{}"};
    std::vector<std::string> strings_back;
    CHECK(ja::read(json_of(strings), strings_back).empty());
    CHECK(strings_back == strings);

    const std::vector<double> doubles = {
        0.1, -0.0, 1e300, std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max(), -123.456};
    std::vector<double> doubles_back;
    CHECK(ja::read(json_of(doubles), doubles_back).empty());
    CHECK(doubles_back == doubles);
}

TEST_CASE("json arrays: reading other writers' JSON, and refusing what does not fit", "[sqlite]") {
    namespace ja = ctorm::detail::json_array;
    std::vector<std::string> s;
    CHECK(ja::read(R"( [ "a" , "\u00fc\/\"" , "\ud83d\ude00" ] )", s).empty());
    CHECK(s == std::vector<std::string>{"a", "ü/\"", "😀"});
    CHECK(ja::read("[]", s).empty());
    CHECK(s.empty());
    CHECK(ja::read(" [ ] ", s).empty());

    std::vector<std::int16_t> small;
    CHECK(ja::read("[1, -32768, 32767]", small).empty());
    CHECK(small == std::vector<std::int16_t>{1, -32768, 32767});
    CHECK_FALSE(ja::read("[32768]", small).empty());  // out of range
    CHECK_FALSE(ja::read("[1.5]", small).empty());    // not an integer
    CHECK_FALSE(ja::read("[\"1\"]", small).empty());  // a string
    CHECK_FALSE(ja::read("[1, null]", small).empty());
    CHECK(ja::read("[1, null]", small).find("std::optional") != std::string::npos);

    std::vector<std::optional<std::int64_t>> maybe;
    CHECK(ja::read("[null, 7]", maybe).empty());
    CHECK(maybe == std::vector<std::optional<std::int64_t>>{std::nullopt, 7});

    std::vector<numeric> numbers;
    CHECK(ja::read(R"(["1.50", 2, "NaN"])", numbers).empty());
    CHECK(numbers == std::vector<numeric>{numeric("1.5"), numeric(2), numeric::nan()});

    std::vector<bool> flags;
    CHECK(ja::read("[true,false]", flags).empty());
    CHECK(flags == std::vector<bool>{true, false});
    CHECK_FALSE(ja::read("[1]", flags).empty());

    for (const char* bad : {"", "1", "{}", "[", "[1", "[1,]", "[,1]", "[1 2]", "[[1]]", "[{\"a\":1}]", "[01]", "[1.]",
                            "[-]", "[1]x", "[\"a]", "[\"\\x\"]", "[\"\\ud800\"]", "[\"a\nb\"]", "[tru]"}) {
        INFO(bad);
        std::vector<std::optional<std::string>> any;
        std::vector<std::optional<double>> numbers_any;
        CHECK_FALSE(ja::read(bad, any).empty());
        CHECK_FALSE(ja::read(bad, numbers_any).empty());
    }
}
