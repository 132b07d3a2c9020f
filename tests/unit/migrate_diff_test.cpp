// migrate::diff on hand-built schema values (every kind of operation, the
// possible rename, is_destructive), schema_of read from the blog models, and
// the catalog texts introspect parses.
#include <catch2/catch.hpp>

#include <ctorm/migrate/diff.hpp>
#include <ctorm/migrate/introspect.hpp>
#include <ctorm/migrate/schema_of.hpp>

#include <string>
#include <variant>
#include <vector>

#include "support/blog_schema.hpp"

namespace m = ctorm::migrate;

namespace {

m::column_schema column(std::string name, std::string type, bool nullable = false, std::size_t max_length = 0) {
    m::column_schema c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    c.max_length = max_length;
    return c;
}

m::table_schema users_v1() {
    m::table_schema t;
    t.name = "users";
    t.columns = {column("id", "INTEGER"), column("email", "TEXT", false, 255), column("nick", "TEXT", true),
                 column("age", "INTEGER", true)};
    t.columns[0].autoincrement = true;
    t.primary_key = {"id"};
    t.uniques = {{{"email"}}};
    t.indexes = {{"ix_users_age", {"age"}, false}};
    return t;
}

m::schema one(m::table_schema t) {
    m::schema s;
    s.tables.push_back(std::move(t));
    m::normalize(s);
    return s;
}

}  // namespace

TEST_CASE("the same schema gives no operation") {
    CHECK(m::diff(one(users_v1()), one(users_v1())).empty());
    CHECK(m::diff(m::schema{}, m::schema{}).empty());
}

TEST_CASE("a new table is added, a missing one dropped, and a drop is destructive") {
    m::table_schema posts;
    posts.name = "posts";
    posts.columns = {column("id", "INTEGER")};
    m::schema to = one(users_v1());
    to.tables.push_back(posts);
    m::normalize(to);

    const auto added = m::diff(one(users_v1()), to);
    REQUIRE(added == std::vector<m::operation>{m::add_table{posts}});
    CHECK_FALSE(m::is_destructive(added[0]));

    const auto dropped = m::diff(to, one(users_v1()));
    REQUIRE(dropped == std::vector<m::operation>{m::drop_table{posts}});
    CHECK(m::is_destructive(dropped[0]));
}

TEST_CASE("columns: added, dropped, and altered in type, length, nullability and default") {
    m::table_schema to = users_v1();
    to.columns[1].max_length = 320;                                     // email: varchar<255> -> varchar<320>
    to.columns[2].nullable = false;                                     // nick: NOT NULL
    to.columns[2].default_value = m::normalize_default("'anonymous'");  // and a default
    to.columns[3].type = "BIGINT";                                      // age: another type
    to.columns.push_back(column("bio", "BLOB", true));                  // a new column of a new type

    const auto ops = m::diff(one(users_v1()), one(to));
    const std::vector<m::operation> expected{
        m::add_column{"users", column("bio", "BLOB", true)},
        m::alter_column_type{"users", "email", "TEXT", 255, "TEXT", 320},
        m::alter_column_nullable{"users", "nick", true, false},
        m::alter_column_default{"users", "nick", {}, {m::default_kind::literal, "'anonymous'"}},
        m::alter_column_type{"users", "age", "INTEGER", 0, "BIGINT", 0},
    };
    CHECK(ops == expected);
    CHECK_FALSE(m::is_destructive(ops[0]));
    CHECK(m::is_destructive(ops[1]));
    CHECK_FALSE(m::is_destructive(ops[2]));
    CHECK_FALSE(m::is_destructive(ops[3]));

    m::table_schema fewer = users_v1();
    fewer.columns.pop_back();  // age goes, and nothing of its type comes
    fewer.indexes.clear();
    const auto drops = m::diff(one(users_v1()), one(fewer));
    REQUIRE(drops == std::vector<m::operation>{m::drop_column{"users", column("age", "INTEGER", true)},
                                               m::drop_index{"users", {"ix_users_age", {"age"}, false}}});
    CHECK(m::is_destructive(drops[0]));
    CHECK_FALSE(m::is_destructive(drops[1]));
}

TEST_CASE("a column that goes while one of its type comes is a possible rename, never a silent one") {
    m::table_schema to = users_v1();
    to.columns[2].name = "nickname";  // nick -> nickname, both nullable TEXT
    const auto ops = m::diff(one(users_v1()), one(to));
    REQUIRE(ops == std::vector<m::operation>{m::possible_rename_column{"users", column("nick", "TEXT", true),
                                                                       column("nickname", "TEXT", true)}});
    CHECK(m::is_destructive(ops[0]));

    // Another type is no rename: a drop and an add.
    to.columns[2].type = "BLOB";
    CHECK(m::diff(one(users_v1()), one(to)) ==
          std::vector<m::operation>{m::drop_column{"users", column("nick", "TEXT", true)},
                                    m::add_column{"users", column("nickname", "BLOB", true)}});
    // Nor is a column of the same type but another length.
    m::table_schema longer = users_v1();
    longer.columns[1].name = "mail";
    longer.columns[1].max_length = 100;
    longer.uniques = {{{"mail"}}};
    CHECK(m::diff(one(users_v1()), one(longer)) ==
          std::vector<m::operation>{m::drop_column{"users", column("email", "TEXT", false, 255)},
                                    m::add_column{"users", column("mail", "TEXT", false, 100)},
                                    m::drop_unique{"users", {{"email"}}}, m::add_unique{"users", {{"mail"}}}});
}

TEST_CASE("primary key, unique, index, foreign key and check changes") {
    m::table_schema to = users_v1();
    to.primary_key = {"id", "email"};
    to.uniques = {{{"email", "nick"}}};
    to.indexes = {{"ix_users_age", {"age"}, true}, {"ix_users_nick", {"nick"}, false}};
    to.foreign_keys = {{{"age"}, "ages", {"id"}, m::referential_action::cascade, m::referential_action::no_action}};
    to.checks = {{"adult", "CHECK (age >= 18)"}};

    const auto ops = m::diff(one(users_v1()), one(to));
    const std::vector<m::operation> expected{
        m::alter_primary_key{"users", {"id"}, {"id", "email"}},
        m::drop_unique{"users", {{"email"}}},
        m::add_unique{"users", {{"email", "nick"}}},
        m::drop_index{"users", {"ix_users_age", {"age"}, false}},
        m::add_index{"users", {"ix_users_age", {"age"}, true}},
        m::add_index{"users", {"ix_users_nick", {"nick"}, false}},
        m::add_foreign_key{"users", to.foreign_keys[0]},
        m::add_check{"users", {"adult", "CHECK (age >= 18)"}},
    };
    CHECK(ops == expected);
    for (const auto& op : ops) CHECK_FALSE(m::is_destructive(op));

    // A foreign key whose action changed is dropped and added again; a check is known by its name.
    m::table_schema changed = to;
    changed.foreign_keys[0].on_delete = m::referential_action::set_null;
    changed.checks[0].sql = "CHECK ((age >= 18))";
    CHECK(m::diff(one(to), one(changed)) ==
          std::vector<m::operation>{m::drop_foreign_key{"users", to.foreign_keys[0]},
                                    m::add_foreign_key{"users", changed.foreign_keys[0]}});
    CHECK(m::diff(one(to), one(users_v1())).back() == m::operation{m::drop_check{"users", to.checks[0]}});
}

TEST_CASE("defaults are compared in one spelling") {
    CHECK(m::normalize_default("'abc'::text") == m::column_default{m::default_kind::literal, "'abc'"});
    CHECK(m::normalize_default("'it''s'::character varying") == m::column_default{m::default_kind::literal, "'it''s'"});
    CHECK(m::normalize_default("'-1'::integer") == m::column_default{m::default_kind::literal, "-1"});
    CHECK(m::normalize_default("TRUE") == m::column_default{m::default_kind::literal, "true"});
    CHECK(m::normalize_default(" 0 ") == m::column_default{m::default_kind::literal, "0"});
    CHECK(m::normalize_default("now()") == m::column_default{m::default_kind::expression, "now()"});
    CHECK(m::normalize_default("'a' || 'b'").kind == m::default_kind::expression);
    CHECK(m::normalize_default("(date('now'))") == m::column_default{m::default_kind::expression, "date('now')"});
    CHECK(m::normalize_default("(1) + (2)") == m::column_default{m::default_kind::expression, "(1) + (2)"});
    CHECK(m::normalize_default("1.500000") == m::column_default{m::default_kind::literal, "1.5"});
    CHECK(m::normalize_default("'2.0'::double precision") == m::column_default{m::default_kind::literal, "2"});
    CHECK(m::normalize_default("") == m::column_default{});
}

TEST_CASE("schema_of reads the models as create_all writes them") {
    const m::schema lite = m::schema_of<ctorm::sqlite_dialect>(blog::users, blog::posts, blog::post_tags);
    const m::schema pg = m::schema_of<ctorm::postgres_dialect>(blog::users, blog::posts, blog::post_tags);
    REQUIRE(lite.tables.size() == 3);
    CHECK(lite.tables[0].name == "post_tags");  // by name
    CHECK(lite.tables[1].name == "posts");
    CHECK(lite.tables[2].name == "users");

    const m::table_schema& users = *lite.find_table("users");
    CHECK(users.primary_key == std::vector<std::string>{"id"});
    CHECK(users.columns[0] == m::column_schema{"id", "INTEGER", 0, false, {}, true});
    CHECK(users.columns[1] == m::column_schema{"email", "TEXT", 255, false, {}, false});
    CHECK(users.columns[3].default_value == m::column_default{m::default_kind::literal, "1"});
    CHECK(users.columns[4].default_value.kind == m::default_kind::expression);
    CHECK(users.indexes == std::vector<m::index_schema>{{"ix_users_email", {"email"}, true}});
    CHECK(users.uniques.empty());

    const m::table_schema& pg_users = *pg.find_table("users");
    CHECK(pg_users.columns[0] == m::column_schema{"id", "BIGINT", 0, false, {}, true});
    CHECK(pg_users.columns[1] == m::column_schema{"email", "VARCHAR(255) COLLATE \"C\"", 255, false, {}, false});
    CHECK(pg_users.columns[3].default_value == m::column_default{m::default_kind::literal, "true"});
    CHECK(pg_users.columns[4].default_value == m::column_default{m::default_kind::expression, "now()"});

    // What means the same is equal on both dialects.
    for (const auto* s : {&lite, &pg}) {
        const m::table_schema& posts = *s->find_table("posts");
        CHECK(posts.foreign_keys ==
              std::vector<m::foreign_key_schema>{
                  {{"author_id"}, "users", {"id"}, m::referential_action::cascade, m::referential_action::no_action}});
        CHECK(posts.indexes == std::vector<m::index_schema>{{"ix_posts_author_id", {"author_id"}, false}});
        CHECK(posts.find_column("published_at")->nullable);
        CHECK(posts.find_column("views")->default_value == m::column_default{m::default_kind::literal, "0"});
        const m::table_schema& tags = *s->find_table("post_tags");
        CHECK(tags.primary_key == std::vector<std::string>{"post_id", "tag"});
        CHECK(tags.indexes == std::vector<m::index_schema>{{"ix_post_tags_tag_weight", {"tag", "weight"}, false}});
        CHECK_FALSE(tags.find_column("post_id")->autoincrement);
    }
    CHECK(m::diff(lite, lite).empty());
}

TEST_CASE("catalog texts: SQLite's named CHECKs and varchar lengths, PostgreSQL's type names") {
    namespace d = ctorm::migrate::detail;
    const std::string create =
        "CREATE TABLE \"t\" (\"a\" TEXT NOT NULL CHECK (length(\"a\") <= 40), \"b\" INTEGER "
        "DEFAULT 'CONSTRAINT x CHECK (1)', CONSTRAINT \"b positive\" CHECK (\"b\" > (0)), "
        "constraint [c_small] check(\"b\" < 100), CONSTRAINT \"u\" UNIQUE (\"a\")) STRICT";
    CHECK(d::sqlite_named_checks(create) ==
          std::vector<m::check_schema>{{"b positive", "CHECK (\"b\" > (0))"}, {"c_small", "CHECK (\"b\" < 100)"}});
    CHECK(d::sqlite_length_limit(create, "a") == 40);
    CHECK(d::sqlite_length_limit(create, "b") == 0);

    CHECK(d::sqlite_index_condition("CREATE INDEX \"ix\" ON \"t\" (\"a\", lower(\"b\")) WHERE \"a\" > (1)") ==
          "\"a\" > (1)");
    CHECK(d::sqlite_index_condition("CREATE INDEX \"where\" ON \"where\" (\"where\")").empty());

    std::size_t length = 99;
    CHECK(d::postgres_type_name("character varying(20)", length) == "VARCHAR(20)");
    CHECK(length == 20);
    CHECK(d::postgres_type_name("numeric(10,2)", length) == "NUMERIC(10, 2)");
    CHECK(length == 0);
    CHECK(d::postgres_type_name("timestamp with time zone", length) == "TIMESTAMP WITH TIME ZONE");
    CHECK(d::postgres_type_name("character varying(8)[]", length) == "VARCHAR(8)[]");
}
