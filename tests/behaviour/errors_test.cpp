// Failures as exceptions on every backend: constraint violations (each with
// its code or SQLSTATE, message, SQL and constraint) and programming errors.
// SQLite's decode errors are in tests/sqlite/decode_test.cpp.
#include "support/sqlite_fixture.hpp"
#include "support/text.hpp"

#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

using namespace blog;

namespace {

using ctorm_test::contains;

// Runs f, which must throw exactly Expected (not a subclass); returns the exception.
template <class Expected, class F>
Expected thrown_by(F&& f) {
    try {
        f();
    } catch (const Expected& e) {
        CHECK(typeid(e) == typeid(Expected));
        return e;
    } catch (const std::exception& e) {
        FAIL("threw " << typeid(e).name() << ": " << e.what());
    }
    FAIL("did not throw");
    throw std::logic_error("unreachable");
}

// What every database_error carries, whatever the kind.
void check_common(const ctorm::database_error& e, std::string_view sql) {
    CHECK_FALSE(e.message().empty());
    CHECK(e.sql() == sql);
    const std::string what = e.what();
    CHECK(contains(what, e.message()));
    CHECK(what.find('\n') == std::string::npos);
}

// The backend's own code: SQLite's extended result code, or PostgreSQL's
// SQLSTATE (also named in what(), e.g. "[postgres SQLSTATE 23505 unique_violation]").
template <class Backend>
void check_code(const ctorm::database_error& e, int sqlite_code, std::string_view sqlstate) {
    CHECK(e.backend() == Backend::kind);
    if constexpr (Backend::kind == "sqlite") {
        CHECK(e.code() == sqlite_code);
        CHECK(e.sqlstate().empty());
    } else {
        CHECK(e.sqlstate() == sqlstate);
        CHECK(e.code() == 0);
        CHECK(contains(e.what(), "SQLSTATE " + std::string(sqlstate)));
    }
}

// The text a backend ran for an insert, which the error carries: exactly the
// statement's own on both backends (nothing is added to learn the new key).
template <class Backend, class Q>
std::string insert_sql(const Q& statement) {
    return std::string(ctorm::to_sql<typename Backend::dialect>(statement));
}

// A value longer than varchar<N>: SQLite enforces the length with a CHECK
// constraint (check_violation); PostgreSQL's VARCHAR(N) type refuses it with
// SQLSTATE 22001 string_data_right_truncation, a data exception, which is no
// integrity_error: ctorm raises data_error (SQLSTATE class 22).
template <class Backend>
using too_long_error = std::conditional_t<Backend::kind == "sqlite", ctorm::check_violation, ctorm::data_error>;

template <class DB>
std::int64_t add_user(DB& db, const std::string& email, const std::string& name = "someone") {
    REQUIRE(db.execute(insert(users).values(User{.email = email, .name = name})).rows_affected == 1);
    return db.one(select(users.id).where(users.email == email));
}

// The connection is fine after an error: not stuck in a transaction, and it runs statements.
template <class DB>
void check_usable(DB& db) {
    CHECK_FALSE(db.in_transaction());
    CHECK(db.scalar(select(ctorm::count()).from(users)) >= 0);
}

std::string utf8_repeat(std::string_view piece, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += piece;
    return out;
}

}  // namespace

TEMPLATE_TEST_CASE("a duplicate unique value raises unique_violation naming the column", "[errors]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_user(db, "ann@example.com", "Ann");
    const User again{.email = "ann@example.com", .name = "Another Ann"};
    const auto statement = insert(users).values(again);
    const auto e = thrown_by<ctorm::unique_violation>([&] { db.execute(statement); });
    check_common(e, insert_sql<TestType>(statement));
    check_code<TestType>(e, SQLITE_CONSTRAINT_UNIQUE, "23505");
    // The constraint's name as the database knows it, on both backends: the unique index create_all made.
    CHECK(e.constraint() == "ix_users_email");
    if constexpr (TestType::kind == "sqlite") {
        CHECK(contains(e.message(), "UNIQUE constraint failed"));
    } else {
        CHECK(contains(e.message(), "duplicate key value violates unique constraint"));
        CHECK(contains(e.what(), "unique_violation"));
    }
    CHECK(db.scalar(select(ctorm::count()).from(users)) == 1);
    check_usable(db);

    // Through update as well, and through insert by assignments.
    add_user(db, "bob@example.com", "Bob");
    CHECK_THROWS_AS(db.execute(update(users).set(users.email = "ann@example.com").where(users.name == "Bob")),
                    ctorm::unique_violation);
    CHECK_THROWS_AS(db.execute(insert(users).values(users.email = "bob@example.com", users.name = "B")),
                    ctorm::unique_violation);
    CHECK(db.one(select(users.email).where(users.name == "Bob")) == "bob@example.com");
}

TEMPLATE_TEST_CASE("a missing referenced row raises foreign_key_violation (foreign keys are on)", "[errors]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const std::int64_t ann = add_user(db, "ann@example.com");
    const Post orphan{.title = "orphan", .content = "x", .author_id = ann + 1000, .published_at = std::nullopt};
    const auto statement = insert(posts).values(orphan);
    const auto e = thrown_by<ctorm::foreign_key_violation>([&] { db.execute(statement); });
    check_common(e, insert_sql<TestType>(statement));
    check_code<TestType>(e, SQLITE_CONSTRAINT_FOREIGNKEY, "23503");
    if constexpr (TestType::kind == "postgresql") {
        CHECK(e.constraint() == "posts_author_id_fkey");  // PostgreSQL's name for the unnamed REFERENCES
        CHECK(contains(e.message(), "violates foreign key constraint"));
    }
    CHECK(db.scalar(select(ctorm::count()).from(posts)) == 0);
    check_usable(db);

    db.execute(
        insert(posts).values(Post{.title = "fine", .content = "x", .author_id = ann, .published_at = std::nullopt}));
    const std::int64_t post = db.one(select(posts.id));
    CHECK_THROWS_AS(db.execute(update(posts).set(posts.author_id = ann + 1000)), ctorm::foreign_key_violation);
    CHECK_THROWS_AS(db.execute(insert(post_tags).values(PostTag{.post_id = post + 1000, .tag = "x"})),
                    ctorm::foreign_key_violation);
    CHECK(db.one(select(posts.author_id)) == ann);
}

TEMPLATE_TEST_CASE("NULL into a NOT NULL column raises not_null_violation", "[errors]", CTORM_TEST_BACKENDS) {
    // Typed statements cannot write NULL into a NOT NULL column (that does not
    // compile); raw SQL through the explicit door can.
    auto db = TestType::fresh();
    const std::string sql = "INSERT INTO users (email, name) VALUES ('ann@example.com', NULL)";
    const auto e = thrown_by<ctorm::not_null_violation>([&] { db.execute_script(sql); });
    check_common(e, sql);
    check_code<TestType>(e, SQLITE_CONSTRAINT_NOTNULL, "23502");
    CHECK(e.constraint().empty());  // NOT NULL is no named constraint, on either backend
    if constexpr (TestType::kind == "sqlite") {
        CHECK(contains(e.message(), "users.name"));
    } else {
        CHECK(contains(e.message(), "null value in column \"name\""));
    }
    CHECK(db.scalar(select(ctorm::count()).from(users)) == 0);
    check_usable(db);
}

TEMPLATE_TEST_CASE("varchar<N> is enforced: a longer value raises check_violation (SQLSTATE 22001 on PostgreSQL)",
                   "[errors]", CTORM_TEST_BACKENDS) {
    using too_long_type = too_long_error<TestType>;
    auto db = TestType::fresh();
    add_user(db, "exact@example.com", std::string(100, 'n'));  // varchar<100>: 100 fits
    add_user(db, "wide@example.com", utf8_repeat("ë", 100));   // characters, not bytes, are counted

    const User too_long{.email = "long@example.com", .name = std::string(101, 'n')};
    const auto statement = insert(users).values(too_long);
    const auto e = thrown_by<too_long_type>([&] { db.execute(statement); });
    check_common(e, insert_sql<TestType>(statement));
    check_code<TestType>(e, SQLITE_CONSTRAINT_CHECK, "22001");
    if constexpr (TestType::kind == "sqlite") {
        CHECK(contains(e.constraint(), "name"));
    } else {
        CHECK(contains(e.message(), "value too long for type character varying(100)"));
        CHECK(contains(e.what(), "string_data_right_truncation"));
    }

    CHECK_THROWS_AS(db.execute(insert(users).values(User{.email = "w2@example.com", .name = utf8_repeat("ë", 101)})),
                    too_long_type);
    const std::string long_email = std::string(245, 'e') + "@example.com";  // 257 > varchar<255>
    CHECK_THROWS_AS(db.execute(insert(users).values(User{.email = long_email, .name = "x"})), too_long_type);
    CHECK_THROWS_AS(db.execute(update(users).set(users.name = std::string(150, 'u'))), too_long_type);
    CHECK(db.scalar(select(ctorm::count()).from(users)) == 2);
    CHECK(db.scalar(select(ctorm::count()).from(users).where(users.name == std::string(100, 'n'))) == 1);
    check_usable(db);
}

TEMPLATE_TEST_CASE("constraint errors share one hierarchy", "[errors]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    add_user(db, "ann@example.com");
    const auto duplicate = [&db] { db.execute(insert(users).values(User{.email = "ann@example.com", .name = "x"})); };
    CHECK_THROWS_AS(duplicate(), ctorm::integrity_error);
    CHECK_THROWS_AS(duplicate(), ctorm::database_error);
    CHECK_THROWS_AS(duplicate(), ctorm::error);
    CHECK_THROWS_AS(duplicate(), std::runtime_error);
    const auto orphan = [&db] {
        db.execute(
            insert(posts).values(Post{.title = "t", .content = "c", .author_id = 999, .published_at = std::nullopt}));
    };
    CHECK_THROWS_AS(orphan(), ctorm::integrity_error);
    const auto too_long = [&db] {
        db.execute(insert(users).values(User{.email = "b@example.com", .name = std::string(101, 'x')}));
    };
    if constexpr (TestType::kind == "sqlite") {
        CHECK_THROWS_AS(too_long(), ctorm::integrity_error);
    } else {
        CHECK_THROWS_AS(too_long(), ctorm::database_error);  // 22001: see too_long_error
    }
    check_usable(db);
}

TEMPLATE_TEST_CASE("bad SQL and missing tables raise programming_error", "[errors]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const auto syntax = thrown_by<ctorm::programming_error>([&] { db.execute_script("SELEC 1"); });
    check_common(syntax, "SELEC 1");
    check_code<TestType>(syntax, SQLITE_ERROR, "42601");  // syntax_error

    db.drop_all(users, posts, post_tags, everything);
    const auto statement = select(users).where(users.id == 1);
    const auto missing = thrown_by<ctorm::programming_error>([&] { (void)db.all(statement); });
    check_common(missing, ctorm::to_sql<typename TestType::dialect>(statement));
    CHECK(contains(missing.message(), "users"));
    if constexpr (TestType::kind == "postgresql") CHECK(missing.sqlstate() == "42P01");  // undefined_table
    CHECK_THROWS_AS(db.first(statement), ctorm::programming_error);
    CHECK_THROWS_AS(db.execute(insert(users).values(User{.email = "a@example.com", .name = "a"})),
                    ctorm::programming_error);
    CHECK_FALSE(db.in_transaction());
    db.create_all(users, posts, post_tags, everything);
    CHECK(db.all(statement).empty());
}
