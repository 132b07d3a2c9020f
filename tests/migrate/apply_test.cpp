// migrate::apply on every backend: diff's operations, rendered and run in one
// transaction, take the database to the models (introspect then equals
// schema_of, and diff is empty); rows survive added and dropped columns; an
// operation that fails halfway, or one SQLite cannot do, leaves the schema
// and the rows as they were.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <ctorm/migrate.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace m = ctorm::migrate;

namespace stockroom {

struct Warehouse {
    std::int64_t id{};
    std::string code;
    std::string city;
    std::optional<std::string> note;
};
CTORM_TABLE(warehouses, Warehouse, (id, primary_key), (code, varchar<12>), (city, varchar<80>, index), (note));
CTORM_TABLE_CONSTRAINTS(warehouses, unique(warehouses.code, warehouses.city));

struct Stock {
    std::int64_t warehouse_id{};
    std::string sku;
    std::int32_t quantity = 0;
    double price = 1.5;
    std::string label;
    ctorm::date counted_on{};
    std::optional<std::int64_t> moved_to;
    ctorm::numeric cost;
    ctorm::uuid token;
    ctorm::json attributes;
    std::vector<std::string> tags;
    bool active = false;
};
CTORM_TABLE(stock, Stock,
            (warehouse_id, references(warehouses.id).on_delete(cascade).on_update(cascade)),
            (sku, varchar<40>),
            (quantity, default_value(-1)),
            (price, default_value(1.5)),
            (label, default_value("it's")),
            (counted_on, server_default(current_date())),
            (moved_to),
            (cost, numeric_precision<10, 2>),
            (token, unique),
            (attributes),
            (tags),
            (active, default_value(false)));
CTORM_TABLE_CONSTRAINTS(stock,
                        primary_key(stock.warehouse_id, stock.sku),
                        foreign_key(stock.moved_to).references(warehouses.id).on_delete(set_null),
                        index(stock.sku, stock.quantity));

// A self reference, and two tables that reference each other.
struct Category {
    std::int64_t id{};
    std::optional<std::int64_t> parent_id{};
    std::string name;
};
CTORM_TABLE(categories, Category,
            (id, primary_key),
            (parent_id, references(categories.id).on_delete(cascade)),
            (name, varchar<100>));
struct Department {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> manager_id{};
};
struct Employee {
    std::int64_t id{};
    std::string name;
    std::int64_t department_id{};
};
CTORM_TABLE(departments, Department, (id, primary_key), (name, varchar<100>, unique), (manager_id));
CTORM_TABLE(employees, Employee,
            (id, primary_key_no_autoincrement),
            (name, varchar<100>),
            (department_id, references(departments.id).on_update(restrict)));
CTORM_TABLE_CONSTRAINTS(departments,
                        foreign_key(departments.manager_id).references(employees.id).on_delete(set_null));

}  // namespace stockroom

// One table, "products", as it was (v1), as it is (v2), as it will be (v3).
namespace v1 {
struct Product {
    std::int64_t id{};
    std::string name;
    std::int32_t price{};
    std::optional<double> legacy;
};
CTORM_TABLE(products, Product, (id, primary_key), (name, varchar<50>), (price), (legacy));
}  // namespace v1

namespace v2 {
struct Product {
    std::int64_t id{};
    std::string name;
    std::int32_t price{};
    std::optional<std::string> note;
    std::int32_t stock = 0;
};
CTORM_TABLE(products, Product, (id, primary_key), (name, varchar<50>, index), (price), (note),
            (stock, default_value(0)));
}  // namespace v2

namespace v3 {
struct Product {
    std::int64_t id{};
    std::string name;
    std::int32_t price{};
    std::string note;
    std::int32_t stock = 0;
};
CTORM_TABLE(products, Product, (id, primary_key), (name, varchar<80>, index), (price), (note, default_value("")),
            (stock, default_value(0)));
}  // namespace v3

// v2 with name unique: the index cannot be made while two rows share a name.
namespace unique_names {
struct Product {
    std::int64_t id{};
    std::string name;
    std::int32_t price{};
    std::optional<std::string> note;
    std::int32_t stock = 0;
};
CTORM_TABLE(products, Product, (id, primary_key), (name, varchar<50>, unique, index), (price), (note),
            (stock, default_value(0)));
}  // namespace unique_names

namespace {

template <class D, class... Ts>
m::schema blog_and(const Ts&... tables) {
    return m::schema_of<D>(blog::users, blog::posts, blog::post_tags, blog::everything, tables...);
}

template <class Db>
void insert_v1_rows(Db& db) {
    db.execute(ctorm::insert(v1::products).values(v1::Product{.id = 1, .name = "pen", .price = 3, .legacy = 0.5}));
    db.execute(ctorm::insert(v1::products).values(v1::Product{.id = 2, .name = "ink", .price = 7, .legacy = {}}));
    db.execute(ctorm::insert(v1::products).values(v1::Product{.id = 3, .name = "pen", .price = 4, .legacy = {}}));
}

}  // namespace

TEMPLATE_TEST_CASE("apply creates the tables the models add, and the database then equals the models", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    constexpr bool pg = std::is_same_v<D, ctorm::postgres_dialect>;
    auto db = TestType::fresh();  // the blog schema
    using namespace stockroom;
    const m::schema models = blog_and<D>(warehouses, stock, categories, departments, employees);
    const std::vector<m::operation> ops = m::diff(m::introspect(db), models);
    REQUIRE(ops.size() == 5);  // five add_table

    const std::vector<std::string> run = m::apply(db, ops);
    // A CREATE TABLE each and the indexes (ix_stock_sku_quantity, ix_warehouses_city); on PostgreSQL the
    // foreign keys between new tables (stock's two, departments' and employees') follow as ALTER TABLE.
    CHECK(run.size() == (pg ? 11u : 7u));
    const m::schema live = m::introspect(db);
    CHECK(live == models);
    CHECK(m::diff(live, models).empty());
    CHECK(m::apply(db, m::diff(live, models)).empty());

    // The tables work: rows go in and the foreign keys hold.
    db.execute(ctorm::insert(warehouses).values(Warehouse{.id = 1, .code = "A1", .city = "Oslo", .note = {}}));
    db.execute(ctorm::insert(departments).values(Department{.id = 1, .name = "ops", .manager_id = {}}));
    db.execute(ctorm::insert(employees).values(Employee{.id = 7, .name = "Ann", .department_id = 1}));
    CHECK_THROWS_AS(db.execute(ctorm::insert(employees).values(Employee{.id = 8, .name = "Bob", .department_id = 99})),
                    ctorm::foreign_key_violation);

    // And back: the models without them drop all five, referencing tables first.
    const std::vector<m::operation> back = m::diff(m::introspect(db), blog_and<D>());
    REQUIRE(back.size() == 5);
    db.execute_script("DELETE FROM \"employees\"; DELETE FROM \"departments\"; DELETE FROM \"warehouses\"");
    CHECK(m::apply(db, back).size() == 5);
    CHECK(m::introspect(db) == blog_and<D>());
}

TEMPLATE_TEST_CASE("apply adds and drops columns and indexes, and the rows survive", "", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.create_all(v1::products);
    insert_v1_rows(db);

    const m::schema models = blog_and<D>(v2::products);
    const std::vector<m::operation> ops = m::diff(m::introspect(db), models);
    // drop_column legacy, add_column note, add_column stock, add_index ix_products_name.
    REQUIRE(ops.size() == 4);
    const std::string text = std::is_same_v<D, ctorm::postgres_dialect> ? "TEXT COLLATE \"C\"" : "TEXT";
    CHECK(m::apply(db, ops) ==
          std::vector<std::string>{"ALTER TABLE \"products\" DROP COLUMN \"legacy\"",
                                   "ALTER TABLE \"products\" ADD COLUMN \"note\" " + text,
                                   "ALTER TABLE \"products\" ADD COLUMN \"stock\" INTEGER NOT NULL DEFAULT 0",
                                   "CREATE INDEX \"ix_products_name\" ON \"products\" (\"name\")"});
    const m::schema live = m::introspect(db);
    CHECK(live == models);
    CHECK(m::diff(live, models).empty());

    const std::vector<v2::Product> rows = db.all(ctorm::select(v2::products).order_by(v2::products.id));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].name == "pen");
    CHECK(rows[0].price == 3);
    CHECK(rows[1].name == "ink");
    CHECK(rows[1].price == 7);
    CHECK(rows[2].price == 4);
    for (const v2::Product& p : rows) {
        CHECK_FALSE(p.note.has_value());
        CHECK(p.stock == 0);
    }
}

TEMPLATE_TEST_CASE("an operation that fails halfway leaves the schema and the rows as they were", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.create_all(v1::products);
    insert_v1_rows(db);
    const m::schema before = m::introspect(db);

    // Two rows are named "pen": the unique index, after the column changes, fails.
    const std::vector<m::operation> ops = m::diff(before, blog_and<D>(unique_names::products));
    REQUIRE(ops.size() == 4);
    CHECK(std::holds_alternative<m::add_index>(ops.back()));
    CHECK_THROWS_AS(m::apply(db, ops), ctorm::unique_violation);
    CHECK_FALSE(db.in_transaction());
    CHECK(m::introspect(db) == before);
    const std::vector<v1::Product> rows = db.all(ctorm::select(v1::products).order_by(v1::products.id));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].legacy == std::optional<double>(0.5));

    // Once the names differ, the same operations apply.
    db.execute_script("UPDATE \"products\" SET \"name\" = 'nib' WHERE \"id\" = 3");
    CHECK(m::apply(db, ops).size() == 4);
    CHECK(m::introspect(db) == blog_and<D>(unique_names::products));
}

TEMPLATE_TEST_CASE("changing a column's type, nullability and default (SQLite: batch mode) keeps the rows", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    constexpr bool pg = std::is_same_v<D, ctorm::postgres_dialect>;
    auto db = TestType::fresh();
    db.create_all(v2::products);
    db.execute(
        ctorm::insert(v2::products).values(v2::Product{.id = 1, .name = "pen", .price = 3, .note = {}, .stock = 5}));
    db.execute(
        ctorm::insert(v2::products).values(v2::Product{.id = 2, .name = "ink", .price = 7, .note = {}, .stock = 0}));
    const m::schema before = m::introspect(db);
    const m::schema models = blog_and<D>(v3::products);
    // name varchar<50> -> varchar<80> (on SQLite its CHECK); note NULL -> NOT NULL; note's default ''.
    const std::vector<m::operation> ops = m::diff(before, models);
    REQUIRE(ops.size() == 3);

    // The rows' notes are NULL: NOT NULL fails (PostgreSQL's SET NOT NULL, SQLite's copy), nothing stays.
    CHECK_THROWS_AS(m::apply(db, ops), ctorm::not_null_violation);
    CHECK_FALSE(db.in_transaction());
    CHECK(m::introspect(db) == before);

    db.execute_script("UPDATE \"products\" SET \"note\" = 'blue'");
    const std::vector<std::string> run = m::apply(db, ops);
    if constexpr (pg) {
        CHECK(run ==
              std::vector<std::string>{"ALTER TABLE \"products\" ALTER COLUMN \"name\" TYPE VARCHAR(80) COLLATE \"C\"",
                                       "ALTER TABLE \"products\" ALTER COLUMN \"note\" SET NOT NULL",
                                       "ALTER TABLE \"products\" ALTER COLUMN \"note\" SET DEFAULT ''"});
    } else {
        // CREATE TABLE "_ctorm_tmp_products", INSERT ... SELECT, DROP TABLE, RENAME, CREATE INDEX ix_products_name.
        REQUIRE(run.size() == 5);
        CHECK(run[0].rfind("CREATE TABLE \"_ctorm_tmp_products\" (", 0) == 0);
        CHECK(run[1] ==
              "INSERT INTO \"_ctorm_tmp_products\" (\"id\", \"name\", \"price\", \"note\", \"stock\") SELECT "
              "\"id\", \"name\", \"price\", \"note\", \"stock\" FROM \"products\"");
        CHECK(run[4] == "CREATE INDEX \"ix_products_name\" ON \"products\" (\"name\")");
    }
    const m::schema live = m::introspect(db);
    CHECK(live == models);
    CHECK(m::diff(live, models).empty());
    const std::vector<v3::Product> rows = db.all(ctorm::select(v3::products).order_by(v3::products.id));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].note == "blue");
    CHECK(rows[0].stock == 5);
    CHECK(rows[1].name == "ink");
    // The new length holds; the default fills note.
    db.execute_script("INSERT INTO \"products\" (\"id\", \"name\", \"price\") VALUES (3, '" + std::string(70, 'x') +
                      "', 1)");
    CHECK(db.all(ctorm::select(v3::products).where(v3::products.id == 3)).front().note.empty());
    CHECK_THROWS(db.execute_script("INSERT INTO \"products\" (\"id\", \"name\", \"price\") VALUES (4, '" +
                                   std::string(81, 'x') + "', 1)"));
}

// Authors referenced by books (ON DELETE CASCADE): rebuilding authors keeps every book.
namespace shelf_v1 {
struct Author {
    std::int64_t id{};
    std::string name;
};
struct Book {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::optional<std::int64_t> editor_id;
};
CTORM_TABLE(authors, Author, (id, primary_key), (name, varchar<50>));
CTORM_TABLE(books, Book, (id, primary_key), (author_id, references(authors.id).on_delete(cascade)), (title),
            (editor_id));
}  // namespace shelf_v1
namespace shelf_v2 {
using shelf_v1::Book;
using shelf_v1::books;
struct Author {
    std::int64_t id{};
    std::string name;
};
CTORM_TABLE(authors, Author, (id, primary_key), (name, varchar<100>, unique));
}  // namespace shelf_v2
namespace shelf_v3 {
using shelf_v2::Author;
using shelf_v2::authors;
struct Book {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::optional<std::int64_t> editor_id;
};
CTORM_TABLE(books, Book, (id, primary_key), (author_id, references(authors.id).on_delete(cascade)), (title),
            (editor_id, references(authors.id)));
}  // namespace shelf_v3

TEMPLATE_TEST_CASE("constraints change on a referenced table with every row and foreign key kept", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.create_all(shelf_v1::authors, shelf_v1::books);
    db.execute(ctorm::insert(shelf_v1::authors).values(shelf_v1::Author{.id = 1, .name = "Le Guin"}));
    db.execute(ctorm::insert(shelf_v1::authors).values(shelf_v1::Author{.id = 2, .name = "Lem"}));
    for (std::int64_t id : {1, 2, 3})
        db.execute(
            ctorm::insert(shelf_v1::books)
                .values(shelf_v1::Book{
                    .id = id, .author_id = id == 3 ? 2 : 1, .title = "t" + std::to_string(id), .editor_id = 99}));

    // authors: name's length and a unique constraint (SQLite: batch mode on the table books references).
    const m::schema models = blog_and<D>(shelf_v2::authors, shelf_v2::books);
    const std::vector<m::operation> ops = m::diff(m::introspect(db), models);
    REQUIRE(ops.size() == 2);
    m::apply(db, ops);
    CHECK(m::introspect(db) == models);
    CHECK(db.all(ctorm::select(shelf_v1::books)).size() == 3);  // no cascade from the rebuilt table
    CHECK(db.all(ctorm::select(shelf_v2::authors)).size() == 2);
    // The foreign keys still hold, and are on.
    CHECK_THROWS_AS(db.execute(ctorm::insert(shelf_v1::books)
                                   .values(shelf_v1::Book{.id = 9, .author_id = 42, .title = "x", .editor_id = {}})),
                    ctorm::foreign_key_violation);
    CHECK_THROWS_AS(db.execute(ctorm::insert(shelf_v2::authors).values(shelf_v2::Author{.id = 3, .name = "Lem"})),
                    ctorm::unique_violation);

    // A foreign key the rows break (editor 99 does not exist): the migration fails, nothing changes.
    const m::schema three = blog_and<D>(shelf_v3::authors, shelf_v3::books);
    const std::vector<m::operation> add_key = m::diff(m::introspect(db), three);
    REQUIRE(add_key.size() == 1);
    CHECK(std::holds_alternative<m::add_foreign_key>(add_key[0]));
    CHECK_THROWS_AS(m::apply(db, add_key), ctorm::error);
    CHECK_FALSE(db.in_transaction());
    CHECK(m::introspect(db) == models);
    CHECK(db.all(ctorm::select(shelf_v1::books)).size() == 3);
    CHECK_THROWS_AS(db.execute(ctorm::insert(shelf_v1::books)
                                   .values(shelf_v1::Book{.id = 9, .author_id = 42, .title = "x", .editor_id = {}})),
                    ctorm::foreign_key_violation);

    db.execute_script("UPDATE \"books\" SET \"editor_id\" = 2");
    m::apply(db, add_key);
    CHECK(m::introspect(db) == three);
    CHECK(m::diff(m::introspect(db), three).empty());
    CHECK(db.all(ctorm::select(shelf_v3::books)).size() == 3);
}

namespace tags_v1 {
struct Tag {
    std::int64_t id{};
    std::string label;
};
CTORM_TABLE(tags, Tag, (id, primary_key), (label, varchar<20>));
}  // namespace tags_v1
namespace tags_v2 {
struct Tag {
    std::int64_t id{};
    std::string label;
    ctorm::date added_on{};
};
CTORM_TABLE(tags, Tag, (id, primary_key), (label, varchar<20>), (added_on, server_default(current_date())));
}  // namespace tags_v2

TEMPLATE_TEST_CASE("a NOT NULL column with an expression default is added to a table with rows", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.create_all(tags_v1::tags);
    db.execute(ctorm::insert(tags_v1::tags).values(tags_v1::Tag{.id = 1, .label = "red"}));
    db.execute(ctorm::insert(tags_v1::tags).values(tags_v1::Tag{.id = 2, .label = "blue"}));
    const m::schema models = blog_and<D>(tags_v2::tags);
    const std::vector<m::operation> ops = m::diff(m::introspect(db), models);
    REQUIRE(ops.size() == 1);
    // SQLite's ADD COLUMN takes no expression default: batch mode (CREATE, INSERT, DROP, RENAME).
    CHECK(m::apply(db, ops).size() == (std::is_same_v<D, ctorm::postgres_dialect> ? 1u : 4u));
    CHECK(m::introspect(db) == models);
    const std::vector<tags_v2::Tag> rows = db.all(ctorm::select(tags_v2::tags).order_by(tags_v2::tags.id));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].label == "red");
    CHECK(rows[0].added_on == rows[1].added_on);
    CHECK(rows[0].added_on > ctorm_test::on(2020, 1, 1));
}

// A PostgreSQL text column made under the database's collation (by an older
// ctorm, or by hand) is told apart from the models' TEXT COLLATE "C": the
// diff changes its collation, and the rows come back in code point order.
TEMPLATE_TEST_CASE("a text column without the C collation gets it from a migration", "", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    constexpr bool pg = std::is_same_v<D, ctorm::postgres_dialect>;
    auto db = TestType::fresh();
    db.create_all(tags_v1::tags);
    if constexpr (pg)
        db.execute_script(R"(ALTER TABLE "tags" ALTER COLUMN "label" TYPE VARCHAR(20) COLLATE "default")");
    for (const char* label : {"b", "B", "a", "_", "é"})
        db.execute(ctorm::insert(tags_v1::tags).values(tags_v1::Tag{.id = 0, .label = label}));
    const m::schema models = blog_and<D>(tags_v1::tags);
    const std::vector<m::operation> ops = m::diff(m::introspect(db), models);
    if constexpr (pg) {
        CHECK(ops == std::vector<m::operation>{
                         m::alter_column_type{"tags", "label", "VARCHAR(20)", 20, "VARCHAR(20) COLLATE \"C\"", 20}});
        CHECK(m::apply(db, ops) ==
              std::vector<std::string>{R"(ALTER TABLE "tags" ALTER COLUMN "label" TYPE VARCHAR(20) COLLATE "C")"});
    } else {
        CHECK(ops.empty());
    }
    CHECK(m::introspect(db) == models);
    const std::vector<std::string> labels = db.all(ctorm::select(tags_v1::tags.label).order_by(tags_v1::tags.label));
    CHECK(labels == std::vector<std::string>{"B", "_", "a", "b", "é"});
}

TEMPLATE_TEST_CASE("apply inside the caller's transaction commits or rolls back with it", "", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.create_all(v1::products);
    const m::schema before = m::introspect(db);
    const m::schema models = blog_and<D>(v2::products);
    const std::vector<m::operation> ops = m::diff(before, models);
    {
        auto tx = db.begin();
        CHECK(m::apply(db, ops).size() == 4);
        CHECK(db.in_transaction());
        tx.rollback();
    }
    CHECK(m::introspect(db) == before);
    {
        auto tx = db.begin();
        m::apply(db, ops);
        tx.commit();
    }
    CHECK(m::introspect(db) == models);

    // SQLite's batch mode turns foreign keys off, which it cannot inside a transaction.
    const std::vector<m::operation> batch = m::diff(models, blog_and<D>(v3::products));
    auto tx = db.begin();
    if constexpr (std::is_same_v<D, ctorm::postgres_dialect>) {
        CHECK(m::apply(db, batch).size() == 3);
        tx.commit();
        CHECK(m::introspect(db) == blog_and<D>(v3::products));
    } else {
        CHECK_THROWS_WITH(m::apply(db, batch), Catch::Contains("no transaction open"));
        tx.rollback();
        CHECK(m::introspect(db) == models);
    }
}

TEMPLATE_TEST_CASE("from an empty database, apply makes what create_all makes", "", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    db.drop_all(blog::users, blog::posts, blog::post_tags, blog::everything);
    REQUIRE(m::introspect(db).tables.empty());
    const m::schema models = blog_and<D>(stockroom::warehouses, stockroom::stock);
    const std::vector<m::operation> ops = m::diff(m::introspect(db), models);
    REQUIRE(ops.size() == 6);  // six add_table
    m::apply(db, ops);
    const m::schema live = m::introspect(db);
    CHECK(live == models);
    CHECK(m::diff(live, models).empty());
    // The blog's rows go in as create_all's tables take them.
    db.execute(ctorm::insert(blog::users).values(blog::User{.email = "ann@x.io", .name = "Ann"}));
    CHECK(db.all(ctorm::select(blog::users)).size() == 1);
}
