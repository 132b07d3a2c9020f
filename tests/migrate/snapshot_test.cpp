// The schema text of migrate/snapshot.hpp: the models' text, written at compile
// time, is the text of schema_of's value (so up_to_date compares what diff
// compares) and of the schema a database that create_all made introspects to,
// on every backend; the text of one table per dialect is pinned; and
// first_snapshot_difference names each kind of difference. up_to_date over a
// snapshot that `migrate snapshot` wrote is in autogenerate_test.cpp, its rule
// in tests/compile_fail/migrate_models_differ_from_snapshot.cpp.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <ctorm/migrate.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace m = ctorm::migrate;

namespace shop {

struct Shelf {
    std::int64_t id{};
    std::string aisle;
    std::int32_t position{};
    std::optional<std::string> note;
};
CTORM_TABLE(shelves, Shelf, (id, primary_key), (aisle, varchar<8>), (position), (note, index));
CTORM_TABLE_CONSTRAINTS(shelves, unique(shelves.aisle, shelves.position));

struct Item {
    std::int64_t shelf_id{};
    std::string sku;
    std::string label = "say \"hi\"\\";
    double price = 2.25;
    bool active = true;
    ctorm::date added_on{};
    std::optional<std::int64_t> moved_to;
    ctorm::uuid token;
};
CTORM_TABLE(items, Item,
            (shelf_id, references(shelves.id).on_delete(cascade).on_update(cascade)),
            (sku, varchar<40>, unique),
            (label, default_value("say \"hi\"\\")),
            (price, default_value(2.25)),
            (active, default_value(true)),
            (added_on, server_default(current_date())),
            (moved_to),
            (token));
CTORM_TABLE_CONSTRAINTS(items,
                        primary_key(items.shelf_id, items.sku),
                        foreign_key(items.moved_to).references(shelves.id).on_delete(set_null),
                        index(items.sku, items.price));

}  // namespace shop

namespace {

std::vector<std::string> sorted_lines(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        lines.emplace_back(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    }
    std::sort(lines.begin(), lines.end());
    return lines;
}

// A table's text, written at compile time, has the lines of its schema value's
// (schema_of sorts each kind of constraint; the order of lines is not compared).
template <class D, const auto& T>
void check_same_text() {
    constexpr std::string_view at_compile_time = m::models_snapshot_text<D, T>;
    const std::string at_run_time = m::snapshot_text(m::schema_of<D>(T));
    INFO(at_run_time);
    CHECK(sorted_lines(at_compile_time) == sorted_lines(at_run_time));
    CHECK(m::first_snapshot_difference(at_run_time, at_compile_time).message() == "");
}

// The pinned texts: a table with what each line says.
constexpr std::string_view sqlite_items = R"(table "items"
  column "shelf_id" INTEGER not null
  column "sku" TEXT max_length 40 not null
  column "label" TEXT not null default 'say \"hi\"\\'
  column "price" REAL not null default 2.25
  column "active" INTEGER not null default 1
  column "added_on" TEXT not null default expression date('now')
  column "moved_to" INTEGER null
  column "token" BLOB not null
  primary key ("shelf_id", "sku")
  unique ("sku")
  index "ix_items_sku_price" ("sku", "price")
  foreign key ("shelf_id") references "shelves" ("id") on delete cascade on update cascade
  foreign key ("moved_to") references "shelves" ("id") on delete set null on update no action
)";
static_assert(m::models_snapshot_text<ctorm::sqlite_dialect, shop::items> == sqlite_items);

constexpr std::string_view postgres_shelves = R"(table "shelves"
  column "id" BIGINT not null
  column "aisle" VARCHAR(8) COLLATE "C" max_length 8 not null
  column "position" INTEGER not null
  column "note" TEXT COLLATE "C" null
  primary key ("id")
  unique ("aisle", "position")
  index "ix_shelves_note" ("note")
)";
static_assert(m::models_snapshot_text<ctorm::postgres_dialect, shop::shelves> == postgres_shelves);

// Differences, from the models' side: `table` and `column` index the models' tables and columns.
constexpr std::string_view users_v1 = R"(table "users"
  column "id" INTEGER not null
  column "email" TEXT max_length 255 not null
  primary key ("id")
)";
constexpr std::string_view users_wider = R"(table "users"
  column "id" INTEGER not null
  column "email" TEXT max_length 320 not null
  primary key ("id")
)";
constexpr std::string_view users_reordered = R"(table "users"
  primary key ("id")
  column "email" TEXT max_length 255 not null
  column "id" INTEGER not null
)";
constexpr std::string_view users_with_name = R"(table "users"
  column "id" INTEGER not null
  column "email" TEXT max_length 255 not null
  column "name" TEXT null
  primary key ("id")
)";
constexpr std::string_view users_indexed = R"(table "users"
  column "id" INTEGER not null
  column "email" TEXT max_length 255 not null
  primary key ("id")
  index "ix_users_email" unique ("email")
)";
constexpr std::string_view tags = R"(table "tags"
  column "id" INTEGER not null
)";

template <std::size_t N>
struct joined_text {
    char text[N]{};
    constexpr std::string_view view() const { return {text, N}; }
};
constexpr auto users_and_tags = [] {
    joined_text<users_v1.size() + tags.size()> out;
    std::size_t n = 0;
    for (char c : users_v1) out.text[n++] = c;
    for (char c : tags) out.text[n++] = c;
    return out;
}();

constexpr m::snapshot_difference none = m::first_snapshot_difference(users_v1, users_reordered);
static_assert(!none && none.message().empty());

constexpr m::snapshot_difference changed = m::first_snapshot_difference(users_v1, users_wider);
static_assert(changed.message() ==
              "\"users\": the models have `column \"email\" TEXT max_length 320 not null`; the migrations leave "
              "`column \"email\" TEXT max_length 255 not null`");
static_assert(changed.table == 0 && changed.column == 1);

constexpr m::snapshot_difference added = m::first_snapshot_difference(users_v1, users_with_name);
static_assert(added.message() ==
              "\"users\": the models have `column \"name\" TEXT null`; the migrations leave no such column");
static_assert(added.table == 0 && added.column == 2);

constexpr m::snapshot_difference dropped = m::first_snapshot_difference(users_with_name, users_v1);
static_assert(dropped.message() ==
              "\"users\": the migrations leave `column \"name\" TEXT null`; the models have no such column");
static_assert(dropped.table == 0 && dropped.column == -1);

constexpr m::snapshot_difference indexed = m::first_snapshot_difference(users_v1, users_indexed);
static_assert(indexed.message() ==
              "\"users\": the models have `index \"ix_users_email\" unique (\"email\")`; the migrations do not");
static_assert(indexed.table == 0 && indexed.column == -1);

constexpr m::snapshot_difference unindexed = m::first_snapshot_difference(users_indexed, users_v1);
static_assert(unindexed.message() ==
              "\"users\": the migrations leave `index \"ix_users_email\" unique (\"email\")`; the models do not");

constexpr m::snapshot_difference new_table = m::first_snapshot_difference(users_v1, users_and_tags.view());
static_assert(new_table.message() == "the models declare table \"tags\"; the migrations leave no such table");
static_assert(new_table.table == 1 && new_table.column == -1);

constexpr m::snapshot_difference old_table = m::first_snapshot_difference(users_and_tags.view(), users_v1);
static_assert(old_table.message() == "the migrations leave table \"tags\", which is none of the models given");
static_assert(old_table.table == -1);

}  // namespace

TEMPLATE_TEST_CASE(
    "the models' schema text, written at compile time, is the text of their schema value and of the "
    "database create_all makes",
    "[migrate][snapshot]", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    check_same_text<D, shop::shelves>();
    check_same_text<D, shop::items>();
    check_same_text<D, blog::users>();
    check_same_text<D, blog::posts>();
    check_same_text<D, blog::post_tags>();
    check_same_text<D, blog::everything>();

    auto db = TestType::fresh();  // the blog schema
    db.create_all(shop::shelves, shop::items);
    const std::string live = m::snapshot_text(m::introspect(db));
    constexpr std::string_view models = m::models_snapshot_text<D, blog::users, blog::posts, blog::post_tags,
                                                                blog::everything, shop::shelves, shop::items>;
    INFO(live);
    CHECK(m::first_snapshot_difference(live, models).message() == "");
    CHECK_FALSE(m::snapshot_differs(live, m::schema_of<D>(blog::users, blog::posts, blog::post_tags, blog::everything,
                                                          shop::shelves, shop::items)));

    // A table dropped behind the models' back is the first difference.
    db.execute_script("DROP TABLE \"items\"");
    CHECK(m::first_snapshot_difference(m::snapshot_text(m::introspect(db)), models).message() ==
          "the models declare table \"items\"; the migrations leave no such table");
    db.drop_all(shop::shelves);
}
