// Versioned migrations on every backend: the hand-written operations applied,
// the blog schema evolving through seven revisions with its rows checked after
// every upgrade and downgrade, a migration failing halfway, branches and a
// merge revision, an Alembic version table adopted, and offline mode printing
// what upgrade runs.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <ctorm/migrate.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace m = ctorm::migrate;

// The blog as revision r1 makes it, and as the head leaves it.
namespace blog_v1 {
struct User {
    std::int64_t id{};
    std::string email;
    std::string name;
};
CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique), (name, varchar<100>));
struct Post {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::string body;
};
CTORM_TABLE(posts, Post, (id, primary_key), (author_id, references(users.id).on_delete(cascade)),
            (title, varchar<200>), (body));
}  // namespace blog_v1

namespace blog_head {
struct User {
    std::int64_t id{};
    std::string email;
    std::string name;
    bool is_active = true;
};
CTORM_TABLE(users, User, (id, primary_key), (email, varchar<255>, unique), (name, varchar<200>),
            (is_active, default_value(true)));
struct Post {
    std::int64_t id{};
    std::int64_t author_id{};
    std::string title;
    std::string content;
    std::string summary;
};
CTORM_TABLE(posts, Post, (id, primary_key), (author_id, references(users.id).on_delete(cascade)),
            (title, varchar<200>), (content), (summary));
CTORM_TABLE_CONSTRAINTS(posts, index(posts.author_id, posts.title));
struct Tag {
    std::int64_t id{};
    std::string name;
};
CTORM_TABLE(tags, Tag, (id, primary_key), (name, varchar<50>, unique));
struct PostTag {
    std::int64_t post_id{};
    std::int64_t tag_id{};
};
CTORM_TABLE(post_tags, PostTag, (post_id, references(posts.id).on_delete(cascade)),
            (tag_id, references(tags.id).on_delete(cascade)));
CTORM_TABLE_CONSTRAINTS(post_tags, primary_key(post_tags.post_id, post_tags.tag_id));
}  // namespace blog_head

namespace {

using ops = std::vector<m::operation>;

template <class D, class T>
m::table_schema table_of(const T& t) {
    return m::schema_of<D>(t).tables.front();
}
template <class D, class T>
m::column_schema column_of(const T& t, std::string_view name) {
    return *table_of<D>(t).find_column(name);
}

// The blog's seven revisions, for dialect D (the operations carry its type names).
template <class D>
m::registry blog_migrations() {
    const m::column_schema is_active = column_of<D>(blog_head::users, "is_active");
    const m::column_schema name_100 = column_of<D>(blog_v1::users, "name");
    const m::column_schema name_200 = column_of<D>(blog_head::users, "name");
    m::column_schema summary = column_of<D>(blog_head::posts, "summary");
    summary.nullable = true;  // at first
    const m::index_schema by_author = table_of<D>(blog_head::posts).indexes.front();
    return m::registry({
        {"r1",
         {},
         "create users and posts",
         [] {
             return ops{m::add_table{table_of<D>(blog_v1::users)}, m::add_table{table_of<D>(blog_v1::posts)}};
         },
         [] {
             return ops{m::drop_table{table_of<D>(blog_v1::posts)}, m::drop_table{table_of<D>(blog_v1::users)}};
         }},
        {"r2",
         {"r1"},
         "users.is_active, server default true",
         [=] {
             return ops{m::add_column{"users", is_active}};
         },
         [=] {
             return ops{m::drop_column{"users", is_active}};
         }},
        {"r3",
         {"r2"},
         "index posts by author and title",
         [=] {
             return ops{m::add_index{"posts", by_author}};
         },
         [=] {
             return ops{m::drop_index{"posts", by_author}};
         }},
        {"r4",
         {"r3"},
         "rename posts.body to content",
         [] {
             return ops{m::rename_column{"posts", "body", "content"}};
         },
         [] {
             return ops{m::rename_column{"posts", "content", "body"}};
         }},
        {"r5",
         {"r4"},
         "users.name up to 200 characters",
         [=] {
             return ops{m::alter_column_type{"users", "name", name_100.type, name_100.max_length, name_200.type,
                                             name_200.max_length}};
         },
         [=] {
             return ops{m::alter_column_type{"users", "name", name_200.type, name_200.max_length, name_100.type,
                                             name_100.max_length}};
         }},
        {"r6",
         {"r5"},
         "tags and post_tags, every post tagged news",
         [] {
             return ops{
                 m::add_table{table_of<D>(blog_head::tags)}, m::add_table{table_of<D>(blog_head::post_tags)},
                 m::bulk_insert{"tags",
                                {"id", "name"},
                                {{std::int64_t{1}, std::string("news")}, {std::int64_t{2}, std::string("c++")}}},
                 m::execute{"INSERT INTO \"post_tags\" (\"post_id\", \"tag_id\") SELECT \"id\", 1 FROM \"posts\""}};
         },
         [] {
             return ops{m::drop_table{table_of<D>(blog_head::post_tags)}, m::drop_table{table_of<D>(blog_head::tags)}};
         }},
        // A data step between two DDL steps; on SQLite NOT NULL is batch mode on posts, which
        // post_tags references with ON DELETE CASCADE.
        {"r7",
         {"r6"},
         "posts.summary, filled from the title, then NOT NULL",
         [=] {
             return ops{m::add_column{"posts", summary}, m::execute{"UPDATE \"posts\" SET \"summary\" = \"title\""},
                        m::alter_column_nullable{"posts", "summary", true, false}};
         },
         [=] {
             return ops{m::drop_column{"posts", summary}};
         }},
    });
}

// A database with no table at all (fresh() holds the test blog schema).
template <class TestType>
auto empty_database() {
    auto db = TestType::fresh();
    db.drop_all(blog::post_tags, blog::posts, blog::users, blog::everything);
    return db;
}

template <class Db>
std::int64_t count(Db& db, const std::string& table) {
    return std::get<0>(m::detail::read_catalog<std::int64_t>(db, "SELECT COUNT(*) FROM \"" + table + "\"").front());
}
template <class Db>
std::vector<std::string> texts(Db& db, const std::string& sql) {
    std::vector<std::string> out;
    for (auto& [v] : m::detail::read_catalog<std::string>(db, sql)) out.push_back(v);
    return out;
}

// What a database of the blog at revision `level` (0: base) holds: its tables
// and columns, and `users` / `posts` rows (and, at r6, `post_tags` rows).
template <class Db>
void check_blog(Db& db, const m::registry& reg, int level, std::int64_t users, std::int64_t posts,
                std::int64_t post_tags = 0) {
    INFO("at revision " << level);
    const m::schema live = m::without_version_table(m::introspect(db), reg);
    CHECK(m::current(db, reg) ==
          (level == 0 ? std::vector<std::string>{} : std::vector<std::string>{"r" + std::to_string(level)}));
    CHECK(live.tables.size() == (level == 0 ? 0u : level < 6 ? 2u : 4u));
    if (level == 0) return;
    CHECK(count(db, "users") == users);
    CHECK(count(db, "posts") == posts);
    const m::table_schema& u = *live.find_table("users");
    const m::table_schema& p = *live.find_table("posts");
    CHECK((u.find_column("is_active") != nullptr) == (level >= 2));
    if (level >= 2 && users >= 3) {
        // ann and bob got the server default; carol was inserted inactive.
        CHECK(
            std::get<0>(m::detail::read_catalog<std::int64_t>(db, "SELECT COUNT(*) FROM \"users\" WHERE \"is_active\"")
                            .front()) == users - 1);
    }
    CHECK(p.indexes.size() == (level >= 3 ? 1u : 0u));
    const std::string text_column = level >= 4 ? "content" : "body";
    CHECK(p.find_column(text_column) != nullptr);
    if (posts > 0) {
        std::vector<std::string> expected{"first", "second", "third", "fourth"};
        expected.resize(static_cast<std::size_t>(posts));
        CHECK(texts(db, "SELECT \"" + text_column + "\" FROM \"posts\" ORDER BY \"id\"") == expected);
    }
    CHECK(u.find_column("name")->max_length == (level >= 5 ? 200u : 100u));
    CHECK((p.find_column("summary") != nullptr) == (level >= 7));
    if (level >= 7 && posts > 0) {
        std::vector<std::string> titles{"Hello", "Hi", "Index", "Again"};
        titles.resize(static_cast<std::size_t>(posts));
        CHECK(texts(db, "SELECT \"summary\" FROM \"posts\" ORDER BY \"id\"") == titles);
    }
    if (level >= 6) {
        CHECK(texts(db, "SELECT \"name\" FROM \"tags\" ORDER BY \"id\"") == std::vector<std::string>{"news", "c++"});
        CHECK(count(db, "post_tags") == post_tags);
    }
}

template <class Db>
void insert(Db& db, m::bulk_insert rows) {
    m::apply(db, ops{std::move(rows)});
}

}  // namespace

TEMPLATE_TEST_CASE("the hand-written operations apply: rename_table, rename_column, bulk_insert, execute", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = empty_database<TestType>();
    db.create_all(blog_v1::users);
    CHECK(m::apply(db, ops{m::bulk_insert{"users",
                                          {"id", "email", "name"},
                                          {{std::int64_t{1}, std::string("ann@x.io"), std::string("Ann O'Neil")},
                                           {std::int64_t{2}, std::string("bob@x.io"), std::string("Bob")}}}})
              .size() == 1);
    const std::vector<std::string> run =
        m::apply(db, ops{m::rename_column{"users", "name", "full_name"}, m::rename_table{"users", "members"},
                         m::execute{"UPDATE \"members\" SET \"full_name\" = \"full_name\" || '!' WHERE \"id\" = 2"}});
    CHECK(run ==
          std::vector<std::string>{"ALTER TABLE \"users\" RENAME COLUMN \"name\" TO \"full_name\"",
                                   "ALTER TABLE \"users\" RENAME TO \"members\"",
                                   "UPDATE \"members\" SET \"full_name\" = \"full_name\" || '!' WHERE \"id\" = 2"});
    const m::schema live = m::introspect(db);
    REQUIRE(live.tables.size() == 1);
    CHECK(live.tables[0].name == "members");
    CHECK(live.tables[0].find_column("full_name") != nullptr);
    CHECK(live.tables[0].find_column("name") == nullptr);
    CHECK(texts(db, "SELECT \"full_name\" FROM \"members\" ORDER BY \"id\"") ==
          std::vector<std::string>{"Ann O'Neil", "Bob!"});
    // The schema value the offline mode tracks says the same as the database.
    m::schema simulated = m::schema_of<D>(blog_v1::users);
    for (const m::operation& op :
         ops{m::rename_column{"users", "name", "full_name"}, m::rename_table{"users", "members"}})
        m::advance(simulated, op);
    CHECK(simulated == live);
    // A bad one changes nothing.
    CHECK_THROWS_AS(m::apply(db, ops{m::rename_column{"members", "full_name", "name"}, m::execute{"SELECT nonsense"}}),
                    ctorm::error);
    CHECK(m::introspect(db) == live);
}

TEMPLATE_TEST_CASE("the blog evolves through seven revisions, up and down, with its rows", "", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = empty_database<TestType>();
    const m::registry reg = blog_migrations<D>();
    CHECK(reg.heads() == std::vector<std::string>{"r7"});
    REQUIRE(reg.history().size() == 7);
    CHECK(reg.history().front()->revision == "r7");
    check_blog(db, reg, 0, 0, 0);

    // Up, one revision at a time, rows added at each.
    m::upgrade(db, reg, "+1");
    check_blog(db, reg, 1, 0, 0);
    db.execute(ctorm::insert(blog_v1::users).values(blog_v1::User{.id = 1, .email = "ann@x.io", .name = "Ann"}));
    db.execute(ctorm::insert(blog_v1::users).values(blog_v1::User{.id = 2, .email = "bob@x.io", .name = "Bob"}));
    db.execute(ctorm::insert(blog_v1::posts)
                   .values(blog_v1::Post{.id = 1, .author_id = 1, .title = "Hello", .body = "first"}));
    db.execute(
        ctorm::insert(blog_v1::posts).values(blog_v1::Post{.id = 2, .author_id = 2, .title = "Hi", .body = "second"}));

    m::upgrade(db, reg, "+1");
    check_blog(db, reg, 2, 2, 2);
    insert(db, {"users",
                {"id", "email", "name", "is_active"},
                {{std::int64_t{3}, std::string("carol@x.io"), std::string("Carol"), false}}});

    m::upgrade(db, reg, "r3");
    check_blog(db, reg, 3, 3, 2);
    insert(db, {"posts",
                {"id", "author_id", "title", "body"},
                {{std::int64_t{3}, std::int64_t{3}, std::string("Index"), std::string("third")}}});

    m::upgrade(db, reg, "+1");
    check_blog(db, reg, 4, 3, 3);
    insert(db, {"posts",
                {"id", "author_id", "title", "content"},
                {{std::int64_t{4}, std::int64_t{1}, std::string("Again"), std::string("fourth")}}});

    // r5 changes a column of users, which posts references with ON DELETE CASCADE (SQLite: batch mode).
    m::upgrade(db, reg, "+1");
    check_blog(db, reg, 5, 3, 4);
    insert(db, {"users",
                {"id", "email", "name", "is_active"},
                {{std::int64_t{4}, std::string("dan@x.io"), std::string(150, 'd'), true}}});
    CHECK(texts(db, "SELECT \"name\" FROM \"users\" WHERE \"id\" = 4") ==
          std::vector<std::string>{std::string(150, 'd')});

    m::upgrade(db, reg, "+1");
    check_blog(db, reg, 6, 4, 4, 4);
    insert(db, {"post_tags", {"post_id", "tag_id"}, {{std::int64_t{1}, std::int64_t{2}}}});
    check_blog(db, reg, 6, 4, 4, 5);

    m::upgrade(db, reg, "head");
    check_blog(db, reg, 7, 4, 4, 5);  // every post_tags row kept
    CHECK(m::upgrade(db, reg, "head").empty());
    CHECK_THROWS_AS(insert(db, {"posts",
                                {"id", "author_id", "title", "content"},
                                {{std::int64_t{5}, std::int64_t{1}, std::string("No"), std::string("summary")}}}),
                    ctorm::not_null_violation);
    CHECK(m::without_version_table(m::introspect(db), reg) ==
          m::schema_of<D>(blog_head::users, blog_head::posts, blog_head::tags, blog_head::post_tags));

    // Down, one at a time: the rows stay where their columns do. r5's downgrade cannot
    // shorten users.name while dan's is 150 characters: it fails and nothing changes.
    m::downgrade(db, reg, "-1");
    check_blog(db, reg, 6, 4, 4, 5);
    m::downgrade(db, reg, "-1");
    check_blog(db, reg, 5, 4, 4);
    CHECK_THROWS_AS(m::downgrade(db, reg, "-1"), ctorm::error);
    CHECK_FALSE(db.in_transaction());
    check_blog(db, reg, 5, 4, 4);
    if constexpr (std::is_same_v<D, ctorm::sqlite_dialect>) {
        // Batch mode turned the foreign keys off for r5's downgrade; they are on again.
        CHECK(std::get<0>(
                  m::detail::read_catalog<std::int64_t>(db, "SELECT foreign_keys FROM pragma_foreign_keys").front()) ==
              1);
    }
    {
        auto tx = db.begin();
        CHECK_THROWS_WITH(m::downgrade(db, reg, "-1"), Catch::Contains("call them with no transaction open"));
    }
    CHECK(texts(db, "SELECT \"name\" FROM \"users\" WHERE \"id\" = 4") ==
          std::vector<std::string>{std::string(150, 'd')});
    db.execute_script("UPDATE \"users\" SET \"name\" = 'Dan' WHERE \"id\" = 4");
    m::downgrade(db, reg, "-1");
    check_blog(db, reg, 4, 4, 4);
    m::downgrade(db, reg, "r3");
    check_blog(db, reg, 3, 4, 4);
    m::downgrade(db, reg, "-1");
    check_blog(db, reg, 2, 4, 4);
    m::downgrade(db, reg, "-1");
    check_blog(db, reg, 1, 4, 4);
    m::downgrade(db, reg, "-1");
    check_blog(db, reg, 0, 0, 0);
    CHECK_THROWS_WITH(m::downgrade(db, reg, "-1"), "ctorm: migrate: cannot downgrade -1: the database is at base");

    // upgrade head, downgrade base, upgrade head: what runs is what offline mode prints.
    const std::vector<std::string> up = m::upgrade(db, reg, "head");
    check_blog(db, reg, 7, 0, 0, 0);
    CHECK(m::without_version_table(m::introspect(db), reg) ==
          m::schema_of<D>(blog_head::users, blog_head::posts, blog_head::tags, blog_head::post_tags));
    CHECK(m::diff(m::without_version_table(m::introspect(db), reg),
                  m::schema_of<D>(blog_head::users, blog_head::posts, blog_head::tags, blog_head::post_tags))
              .empty());
    auto online_part = [](std::vector<std::string> sql) {
        std::erase_if(sql,
                      [](const std::string& s) { return s == "BEGIN" || s == "COMMIT" || s.rfind("PRAGMA", 0) == 0; });
        return sql;
    };
    // Offline from base begins with the version table's CREATE TABLE IF NOT EXISTS, which
    // exists here already (the first upgrade made it).
    std::vector<std::string> offline = online_part(m::upgrade_sql(reg, "base", "head", D{}));
    CHECK(offline.front() ==
          "CREATE TABLE IF NOT EXISTS \"ctorm_version\" (\"version_num\" VARCHAR(32) NOT NULL, "
          "CONSTRAINT \"ctorm_version_pkc\" PRIMARY KEY (\"version_num\"))");
    offline.erase(offline.begin());
    CHECK(offline == up);
    const std::vector<std::string> down = m::downgrade(db, reg, "base");
    CHECK(online_part(m::downgrade_sql(reg, "r7", "base", D{})) == down);
    check_blog(db, reg, 0, 0, 0);
    const std::vector<std::string> again = m::upgrade(db, reg, "head");
    CHECK(again == up);
    check_blog(db, reg, 7, 0, 0, 0);
    CHECK(m::without_version_table(m::introspect(db), reg) ==
          m::schema_of<D>(blog_head::users, blog_head::posts, blog_head::tags, blog_head::post_tags));
}

TEMPLATE_TEST_CASE("a migration that fails halfway leaves the database at the revision before it", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = empty_database<TestType>();
    const m::column_schema extra{.name = "extra", .type = "TEXT"};
    const m::registry reg({
        {"a1",
         {},
         "users",
         [] { return ops{m::add_table{table_of<D>(blog_v1::users)}}; },
         [] { return ops{m::drop_table{table_of<D>(blog_v1::users)}}; }},
        {"a2",
         {"a1"},
         "a column, then a statement that fails",
         [=] {
             return ops{m::add_column{"users", extra}, m::execute{"INSERT INTO \"nowhere\" VALUES (1)"}};
         },
         [=] {
             return ops{m::drop_column{"users", extra}};
         }},
    });
    CHECK_THROWS_AS(m::upgrade(db, reg, "head"), ctorm::error);
    CHECK_FALSE(db.in_transaction());
    CHECK(m::current(db, reg) == std::vector<std::string>{"a1"});
    const m::schema live = m::without_version_table(m::introspect(db), reg);
    CHECK(live == m::schema_of<D>(blog_v1::users));  // no "extra"
    // The revision before it is whole: it downgrades.
    m::downgrade(db, reg, "base");
    CHECK(m::current(db, reg).empty());
    CHECK(m::without_version_table(m::introspect(db), reg).tables.empty());
}

TEMPLATE_TEST_CASE("branches and a merge revision: heads, upgrade through the merge, downgrade across it", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = empty_database<TestType>();
    const m::column_schema a{.name = "a", .type = "TEXT"}, b{.name = "b", .type = "TEXT"};
    std::vector<m::migration> units{
        {"base1",
         {},
         "users",
         [] { return ops{m::add_table{table_of<D>(blog_v1::users)}}; },
         [] { return ops{m::drop_table{table_of<D>(blog_v1::users)}}; }},
        {"left",
         {"base1"},
         "users.a",
         [=] {
             return ops{m::add_column{"users", a}};
         },
         [=] {
             return ops{m::drop_column{"users", a}};
         }},
        {"right",
         {"base1"},
         "users.b",
         [=] {
             return ops{m::add_column{"users", b}};
         },
         [=] {
             return ops{m::drop_column{"users", b}};
         }},
    };
    const m::registry branched(units);
    CHECK(branched.heads() == std::vector<std::string>{"left", "right"});
    CHECK_THROWS_WITH(m::upgrade(db, branched, "head"),
                      Catch::Contains("head is ambiguous: the registry has 2 heads (left, right)"));
    CHECK(m::upgrade(db, branched, "heads").size() == 1 + 2 + 2 * 2);  // version table, base1, left, right
    CHECK(m::current(db, branched) == std::vector<std::string>{"left", "right"});
    CHECK_THROWS_WITH(m::downgrade(db, branched, "-1"), Catch::Contains("several heads (left, right)"));

    units.push_back({"merged", {"left", "right"}, "merge left and right", [] { return ops{}; }, [] { return ops{}; }});
    units.push_back({"after",
                     {"merged"},
                     "users.a filled",
                     [] { return ops{m::execute{"UPDATE \"users\" SET \"a\" = 'x'"}}; },
                     [] { return ops{}; }});
    const m::registry merged(units);
    CHECK(merged.heads() == std::vector<std::string>{"after"});
    CHECK(m::upgrade(db, merged, "head") ==
          std::vector<std::string>{
              "DELETE FROM \"ctorm_version\" WHERE \"version_num\" = 'right'",
              "UPDATE \"ctorm_version\" SET \"version_num\" = 'merged' WHERE \"version_num\" = 'left'",
              "UPDATE \"users\" SET \"a\" = 'x'",
              "UPDATE \"ctorm_version\" SET \"version_num\" = 'after' WHERE \"version_num\" = 'merged'"});
    CHECK(m::current(db, merged) == std::vector<std::string>{"after"});
    m::downgrade(db, merged, "-2");
    CHECK(m::current(db, merged) == std::vector<std::string>{"left", "right"});
    m::downgrade(db, merged, "base1");  // both branches go
    CHECK(m::current(db, merged) == std::vector<std::string>{"base1"});
    m::upgrade(db, merged, "left");
    CHECK(m::current(db, merged) == std::vector<std::string>{"left"});
    const m::table_schema users = *m::introspect(db).find_table("users");
    CHECK(users.find_column("a") != nullptr);
    CHECK(users.find_column("b") == nullptr);
    CHECK(m::upgrade(db, merged, "right").back() == "INSERT INTO \"ctorm_version\" (\"version_num\") VALUES ('right')");
    CHECK(m::current(db, merged) == std::vector<std::string>{"left", "right"});
    m::downgrade(db, merged, "base");
    CHECK(m::current(db, merged).empty());
}

TEMPLATE_TEST_CASE("a database Alembic managed is adopted by naming its version table, and stamp", "",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = empty_database<TestType>();
    const m::column_schema extra{.name = "extra", .type = "TEXT"};
    const m::registry reg(
        {
            {"ae1f00",
             {},
             "users",
             [] { return ops{m::add_table{table_of<D>(blog_v1::users)}}; },
             [] { return ops{m::drop_table{table_of<D>(blog_v1::users)}}; }},
            {"be2f00",
             {"ae1f00"},
             "users.extra",
             [=] {
                 return ops{m::add_column{"users", extra}};
             },
             [=] {
                 return ops{m::drop_column{"users", extra}};
             }},
        },
        std::string(m::alembic_version_table));
    // What Alembic made: its version table, at the first revision.
    db.create_all(blog_v1::users);
    db.execute_script(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
        "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
    db.execute_script("INSERT INTO alembic_version (version_num) VALUES ('ae1f00')");
    CHECK(m::current(db, reg) == std::vector<std::string>{"ae1f00"});
    CHECK(m::upgrade(db, reg) ==
          std::vector<std::string>{
              "ALTER TABLE \"users\" ADD COLUMN \"extra\" TEXT",
              "UPDATE \"alembic_version\" SET \"version_num\" = 'be2f00' WHERE \"version_num\" = 'ae1f00'"});
    CHECK(m::current(db, reg) == std::vector<std::string>{"be2f00"});
    m::stamp(db, reg, "ae1f00");
    CHECK(m::current(db, reg) == std::vector<std::string>{"ae1f00"});
    m::stamp(db, reg, "base");
    CHECK(m::current(db, reg).empty());
    m::stamp(db, reg, "head");
    CHECK(m::current(db, reg) == std::vector<std::string>{"be2f00"});
    CHECK_THROWS_WITH(m::upgrade(db, reg, "zz9"),
                      "ctorm: migrate: cannot upgrade to zz9: no migration has that revision");
    CHECK_THROWS_WITH(m::downgrade(db, reg, "zz9"),
                      "ctorm: migrate: cannot downgrade to zz9: no migration has that revision");
}
