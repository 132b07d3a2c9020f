// Schema facts as types: primary keys as type lists, foreign keys with their target tables and
// columns, a table that references itself, tables that reference each other, and the DDL that
// create_all runs for them on each dialect, pinned at compile time.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "../support/blog_schema.hpp"

using namespace ctorm;

namespace org {

// A tree: each category names its parent in the same table.
struct Category {
    std::int64_t id{};
    std::optional<std::int64_t> parent_id;
    std::string name;
};
CTORM_TABLE(categories, Category,
            (id, primary_key),
            (parent_id, references(categories.id).on_delete(cascade)),
            (name, varchar<100>));

// Two tables that reference each other: a department's manager is an employee, an employee works
// in a department. The reference to the table declared second is a table constraint after both.
struct Department {
    std::int64_t id{};
    std::string name;
    std::optional<std::int64_t> manager_id;
};
struct Employee {
    std::int64_t id{};
    std::string name;
    std::int64_t department_id{};
};
CTORM_TABLE(departments, Department, (id, primary_key), (name, varchar<100>), (manager_id));
CTORM_TABLE(employees, Employee,
            (id, primary_key),
            (name, varchar<100>),
            (department_id, references(departments.id).on_delete(cascade)));
CTORM_TABLE_CONSTRAINTS(departments,
                        foreign_key(departments.manager_id).references(employees.id).on_delete(set_null));

// A foreign key of two columns, to the composite key of blog::post_tags.
struct TagVote {
    std::int64_t id{};
    std::int64_t post_id{};
    std::string tag;
    std::int32_t score = 0;
};
CTORM_TABLE(tag_votes, TagVote, (id, primary_key), (post_id), (tag, varchar<50>), (score));
CTORM_TABLE_CONSTRAINTS(tag_votes, foreign_key(tag_votes.post_id, tag_votes.tag)
                                       .references(blog::post_tags.post_id, blog::post_tags.tag)
                                       .on_delete(cascade)
                                       .on_update(restrict));

// No key at all.
struct Note {
    std::string body;
};
CTORM_TABLE(notes, Note, (body));

}  // namespace org

namespace {

using namespace org;
using blog::post_tags;
using blog::posts;
using blog::users;
template <class T>
using type_of = std::remove_cvref_t<T>;
using sqlite = ctorm::sqlite_dialect;
using postgres = ctorm::postgres_dialect;

using users_t = type_of<decltype(users)>;
using posts_t = type_of<decltype(posts)>;
using post_tags_t = type_of<decltype(post_tags)>;
using categories_t = type_of<decltype(categories)>;
using departments_t = type_of<decltype(departments)>;
using employees_t = type_of<decltype(employees)>;
using tag_votes_t = type_of<decltype(tag_votes)>;
using notes_t = type_of<decltype(notes)>;
using everything_t = type_of<decltype(blog::everything)>;

}  // namespace

TEST_CASE("primary keys are type lists of columns", "[unit][schema]") {
    STATIC_REQUIRE(std::is_same_v<primary_key_t<users_t>, type_list<users_t::id_column>>);
    STATIC_REQUIRE(std::is_same_v<primary_key_t<categories_t>, type_list<categories_t::id_column>>);
    // CTORM_TABLE_CONSTRAINTS(post_tags, primary_key(post_tags.post_id, post_tags.tag), ...)
    STATIC_REQUIRE(
        std::is_same_v<primary_key_t<post_tags_t>, type_list<post_tags_t::post_id_column, post_tags_t::tag_column>>);
    STATIC_REQUIRE(std::is_same_v<primary_key_t<notes_t>, type_list<>>);
}

TEST_CASE("foreign keys name their target table and column as types", "[unit][schema]") {
    using author = foreign_key_traits<posts_t::author_id_column>;
    STATIC_REQUIRE(author::is_foreign_key);
    STATIC_REQUIRE(std::is_same_v<author::target_column, users_t::id_column>);
    STATIC_REQUIRE(std::is_same_v<author::target_table, users_t>);

    using parent = foreign_key_traits<categories_t::parent_id_column>;
    STATIC_REQUIRE(std::is_same_v<parent::target_column, categories_t::id_column>);
    STATIC_REQUIRE(std::is_same_v<parent::target_table, categories_t>);

    // Declared by foreign_key(...) in CTORM_TABLE_CONSTRAINTS: the same facts.
    using manager = foreign_key_traits<departments_t::manager_id_column>;
    STATIC_REQUIRE(manager::is_foreign_key);
    STATIC_REQUIRE(std::is_same_v<manager::target_column, employees_t::id_column>);
    STATIC_REQUIRE(std::is_same_v<manager::target_table, employees_t>);

    using name = foreign_key_traits<departments_t::name_column>;
    STATIC_REQUIRE_FALSE(name::is_foreign_key);
    STATIC_REQUIRE(std::is_void_v<name::target_column>);
    STATIC_REQUIRE(std::is_void_v<name::target_table>);
    // One column of a two-column foreign key has no single target.
    STATIC_REQUIRE_FALSE(foreign_key_traits<tag_votes_t::post_id_column>::is_foreign_key);

    // The name strings are still there for code that reads them.
    STATIC_REQUIRE(column_traits<categories_t::parent_id_column>::options.fk_table == "categories");
    STATIC_REQUIRE(column_traits<categories_t::parent_id_column>::options.fk_column == "id");
}

TEST_CASE("a table's foreign keys, their columns and the tables they reference", "[unit][schema]") {
    STATIC_REQUIRE(
        std::is_same_v<
            foreign_keys_t<posts_t>,
            type_list<foreign_key_constraint<type_list<posts_t::author_id_column>, type_list<users_t::id_column>>>>);
    STATIC_REQUIRE(std::is_same_v<foreign_key_columns_t<posts_t>, type_list<posts_t::author_id_column>>);
    STATIC_REQUIRE(std::is_same_v<referenced_tables_t<posts_t>, type_list<users_t>>);
    STATIC_REQUIRE(std::is_same_v<referenced_tables_t<categories_t>, type_list<categories_t>>);
    STATIC_REQUIRE(std::is_same_v<referenced_tables_t<departments_t>, type_list<employees_t>>);
    STATIC_REQUIRE(std::is_same_v<referenced_tables_t<employees_t>, type_list<departments_t>>);
    STATIC_REQUIRE(std::is_same_v<foreign_keys_t<users_t>, type_list<>>);

    using vote_key = foreign_key_constraint<type_list<tag_votes_t::post_id_column, tag_votes_t::tag_column>,
                                            type_list<post_tags_t::post_id_column, post_tags_t::tag_column>>;
    STATIC_REQUIRE(std::is_same_v<foreign_keys_t<tag_votes_t>, type_list<vote_key>>);
    STATIC_REQUIRE(std::is_same_v<vote_key::target_table, post_tags_t>);
    STATIC_REQUIRE(std::is_same_v<foreign_key_columns_t<tag_votes_t>,
                                  type_list<tag_votes_t::post_id_column, tag_votes_t::tag_column>>);
    STATIC_REQUIRE(std::get<0>(detail::foreign_keys_of<tag_votes_t>()).delete_action == fk_action::cascade);
    STATIC_REQUIRE(std::get<0>(detail::foreign_keys_of<tag_votes_t>()).update_action == fk_action::restrict);
}

TEST_CASE("sqlite: DDL of self-referencing and mutually referencing tables", "[unit][schema]") {
    static_assert(
        to_sql<sqlite>(create_table(categories)) ==
        R"(CREATE TABLE IF NOT EXISTS "categories" ("id" INTEGER PRIMARY KEY, "parent_id" INTEGER REFERENCES "categories" ("id") ON DELETE CASCADE, "name" TEXT NOT NULL CHECK (length("name") <= 100)) STRICT)");
    static_assert(
        to_sql<sqlite>(create_table(departments)) ==
        R"(CREATE TABLE IF NOT EXISTS "departments" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL CHECK (length("name") <= 100), "manager_id" INTEGER, FOREIGN KEY ("manager_id") REFERENCES "employees" ("id") ON DELETE SET NULL) STRICT)");
    static_assert(
        to_sql<sqlite>(create_table(tag_votes)) ==
        R"(CREATE TABLE IF NOT EXISTS "tag_votes" ("id" INTEGER PRIMARY KEY, "post_id" INTEGER NOT NULL, "tag" TEXT NOT NULL CHECK (length("tag") <= 50), "score" INTEGER NOT NULL, FOREIGN KEY ("post_id", "tag") REFERENCES "post_tags" ("post_id", "tag") ON DELETE CASCADE ON UPDATE RESTRICT) STRICT)");

    // SQLite checks foreign keys when rows change, so a cycle needs no ALTER TABLE: one script per table.
    constexpr auto& texts = detail::create_all_texts_v<sqlite, departments_t, employees_t>;
    static_assert(texts.size() == 2);
    static_assert(texts[0] == detail::sql_text<sqlite, create_table_statement<departments_t>>::view);
    static_assert(texts[1] == detail::sql_text<sqlite, create_table_statement<employees_t>>::view);
    // drop_all defers the foreign key checks to COMMIT first, so that NO ACTION keys of a filled
    // cycle do not stop the first DROP TABLE.
    constexpr auto& drops = detail::drop_all_texts_v<sqlite, departments_t, employees_t>;
    static_assert(drops.size() == 3);
    static_assert(drops[0] == "PRAGMA defer_foreign_keys = ON");
    static_assert(drops[1] == R"(DROP TABLE IF EXISTS "employees")");
    static_assert(drops[2] == R"(DROP TABLE IF EXISTS "departments")");

    // Without a cycle the order is the foreign keys' order, whatever the order written.
    constexpr auto& blog_texts = detail::create_all_texts_v<sqlite, everything_t, post_tags_t, posts_t, users_t>;
    static_assert(blog_texts.size() == 4);
    static_assert(blog_texts[0] == detail::sql_text<sqlite, create_table_statement<everything_t>>::view);
    static_assert(blog_texts[1] == detail::sql_text<sqlite, create_table_statement<users_t>>::view);
    static_assert(blog_texts[2] == detail::sql_text<sqlite, create_table_statement<posts_t>>::view);
    static_assert(blog_texts[3] == detail::sql_text<sqlite, create_table_statement<post_tags_t>>::view);
    // and drop_all drops in the reverse order, with nothing to defer (a table that references itself
    // is no cycle: its DROP TABLE deletes all its rows in one statement).
    constexpr auto& blog_drops = detail::drop_all_texts_v<sqlite, categories_t, post_tags_t, posts_t, users_t>;
    static_assert(blog_drops.size() == 4);
    static_assert(blog_drops[0] == R"(DROP TABLE IF EXISTS "post_tags")");
    static_assert(blog_drops[3] == R"(DROP TABLE IF EXISTS "categories")");
}

TEST_CASE("postgres: DDL of self-referencing and mutually referencing tables", "[unit][schema]") {
    static_assert(
        to_sql<postgres>(create_table(categories)) ==
        R"(CREATE TABLE IF NOT EXISTS "categories" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "parent_id" BIGINT REFERENCES "categories" ("id") ON DELETE CASCADE, "name" VARCHAR(100) COLLATE "C" NOT NULL))");
    static_assert(
        to_sql<postgres>(create_table(departments)) ==
        R"(CREATE TABLE IF NOT EXISTS "departments" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" VARCHAR(100) COLLATE "C" NOT NULL, "manager_id" BIGINT, FOREIGN KEY ("manager_id") REFERENCES "employees" ("id") ON DELETE SET NULL))");

    // PostgreSQL needs a foreign key's table to exist: the table created first leaves out its
    // reference to the one created later, and an ALTER TABLE adds it once both exist.
    static_assert(detail::foreign_keys_need_target<postgres> && !detail::foreign_keys_need_target<sqlite>);
    constexpr auto& texts = detail::create_all_texts_v<postgres, departments_t, employees_t, categories_t>;
    static_assert(texts.size() == 4);
    static_assert(texts[0] == detail::sql_text<postgres, create_table_statement<categories_t>>::view);
    static_assert(
        texts[1] ==
        R"(CREATE TABLE IF NOT EXISTS "departments" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" VARCHAR(100) COLLATE "C" NOT NULL, "manager_id" BIGINT))");
    static_assert(
        texts[2] ==
        R"(CREATE TABLE IF NOT EXISTS "employees" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" VARCHAR(100) COLLATE "C" NOT NULL, "department_id" BIGINT NOT NULL REFERENCES "departments" ("id") ON DELETE CASCADE))");
    static_assert(
        texts[3] ==
        R"(ALTER TABLE "departments" DROP CONSTRAINT IF EXISTS "departments_manager_id_fkey", ADD CONSTRAINT "departments_manager_id_fkey" FOREIGN KEY ("manager_id") REFERENCES "employees" ("id") ON DELETE SET NULL)");

    // Written the other way round, the other reference closes the cycle.
    constexpr auto& reversed = detail::create_all_texts_v<postgres, employees_t, departments_t>;
    static_assert(reversed.size() == 3);
    static_assert(
        reversed[0] ==
        R"(CREATE TABLE IF NOT EXISTS "employees" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" VARCHAR(100) COLLATE "C" NOT NULL, "department_id" BIGINT NOT NULL))");
    static_assert(reversed[1] == detail::sql_text<postgres, create_table_statement<departments_t>>::view);
    static_assert(
        reversed[2] ==
        R"(ALTER TABLE "employees" DROP CONSTRAINT IF EXISTS "employees_department_id_fkey", ADD CONSTRAINT "employees_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments" ("id") ON DELETE CASCADE)");

    constexpr auto& drops = detail::drop_all_texts_v<postgres, departments_t, employees_t, categories_t>;
    static_assert(drops.size() == 3);
    static_assert(drops[0] == R"(DROP TABLE IF EXISTS "employees" CASCADE)");
    static_assert(drops[1] == R"(DROP TABLE IF EXISTS "departments" CASCADE)");
    static_assert(drops[2] == R"(DROP TABLE IF EXISTS "categories" CASCADE)");

    // No cycle: no ALTER TABLE, the texts create_table renders.
    constexpr auto& blog_texts = detail::create_all_texts_v<postgres, post_tags_t, posts_t, users_t>;
    static_assert(blog_texts.size() == 3);
    static_assert(blog_texts[0] == detail::sql_text<postgres, create_table_statement<users_t>>::view);
    static_assert(blog_texts[2] == detail::sql_text<postgres, create_table_statement<post_tags_t>>::view);
}
