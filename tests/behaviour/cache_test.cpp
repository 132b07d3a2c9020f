// The per-connection statement cache: a statement type is prepared once and
// reused with new values; types with the same SQL text share one prepared
// statement; different texts are prepared separately; echo sees every run.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

using namespace blog;

namespace {

template <class DB>
void seed_users(DB& db, int n) {
    std::vector<User> people;
    for (int i = 0; i < n; ++i) {
        people.push_back(User{.email = "u" + std::to_string(i) + "@example.com", .name = "user " + std::to_string(i)});
    }
    REQUIRE(db.execute(insert(users).values(people)).rows_affected == n);
}

template <class D, class A, class B>
constexpr bool same_text() {
    return ctorm::to_sql<D, A>() == ctorm::to_sql<D, B>();
}

}  // namespace

TEMPLATE_TEST_CASE("the same select run 100 times is prepared once", "[cache]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed_users(db, 100);
    const std::size_t before = db.statements_prepared();
    for (int i = 0; i < 100; ++i) {
        // Appended, not "u" + to_string(i): g++ 12 at -O3 warns (-Wrestrict) wrongly on that.
        std::string email = "u";
        email += std::to_string(i);
        email += "@example.com";
        // New values each time: the prepared statement is rebound, not reused stale.
        CHECK(db.one(select(users.name).where(users.email == email)) == "user " + std::to_string(i));
    }
    CHECK(db.statements_prepared() == before + 1);

    // all(), first(), one_or_none(), scalar() and execute() of that type use it too.
    const std::string email = "u7@example.com";
    CHECK(db.all(select(users.name).where(users.email == email)).size() == 1);
    CHECK(db.first(select(users.name).where(users.email == email)).has_value());
    CHECK(db.one_or_none(select(users.name).where(users.email == email)).has_value());
    CHECK(db.scalar(select(users.name).where(users.email == email)) == "user 7");
    CHECK(db.execute(select(users.name).where(users.email == email)).all().size() == 1);
    CHECK(db.statements_prepared() == before + 1);
}

TEMPLATE_TEST_CASE("inserts, updates and deletes are prepared once too", "[cache]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const std::size_t before = db.statements_prepared();
    for (int i = 0; i < 100; ++i) {
        const User u{.email = "u" + std::to_string(i) + "@example.com", .name = "n"};
        db.execute(insert(users).values(u));
    }
    CHECK(db.statements_prepared() == before + 1);
    for (int i = 0; i < 50; ++i) {
        db.execute(update(users)
                       .set(users.name = "changed " + std::to_string(i))
                       .where(users.email == "u" + std::to_string(i) + "@example.com"));
        db.execute(delete_from(users).where(users.email == "u" + std::to_string(i + 50) + "@example.com"));
    }
    CHECK(db.statements_prepared() == before + 3);
    CHECK(db.scalar(select(ctorm::count()).from(users)) == 50);
    CHECK(db.scalar(select(ctorm::count()).from(users).where(users.name.like("changed %"))) == 50);
}

TEMPLATE_TEST_CASE("statement types with the same text share one prepared statement", "[cache]", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    seed_users(db, 3);

    // A literal is viewed, a temporary std::string is owned: two types, one text.
    const auto by_view = select(users.id).where(users.email == "u1@example.com");
    const auto by_string = select(users.id).where(users.email == std::string("u2@example.com"));
    using view_type = std::remove_cvref_t<decltype(by_view)>;
    using string_type = std::remove_cvref_t<decltype(by_string)>;
    STATIC_REQUIRE_FALSE(std::is_same_v<view_type, string_type>);
    STATIC_REQUIRE(same_text<D, view_type, string_type>());

    std::size_t before = db.statements_prepared();
    const std::int64_t id1 = db.one(by_view);
    const std::int64_t id2 = db.one(by_string);
    CHECK(id1 != id2);
    CHECK(db.one(by_view) == id1);
    CHECK(db.statements_prepared() == before + 1);

    // An int and a std::int64_t compared with the key: two types, one text.
    const auto by_int = select(users.email).where(users.id == 1);
    const auto by_int64 = select(users.email).where(users.id == id2);
    STATIC_REQUIRE_FALSE(
        std::is_same_v<std::remove_cvref_t<decltype(by_int)>, std::remove_cvref_t<decltype(by_int64)>>);
    STATIC_REQUIRE(same_text<D, std::remove_cvref_t<decltype(by_int)>, std::remove_cvref_t<decltype(by_int64)>>());
    before = db.statements_prepared();
    CHECK(db.one(by_int64) == "u2@example.com");
    CHECK(db.one_or_none(by_int).has_value());
    // One statement on SQLite; PostgreSQL prepares one per parameter types
    // (bigint and integer), since binary parameters must match them.
    CHECK(db.statements_prepared() == before + (TestType::kind == "sqlite" ? 1 : 2));
}

TEMPLATE_TEST_CASE("a model, a temporary model and a vector of models insert through one prepared statement", "[cache]",
                   CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    const User one{.email = "one@example.com", .name = "one"};
    const std::vector<User> more = {User{.email = "three@example.com", .name = "three"},
                                    User{.email = "four@example.com", .name = "four"}};
    using lvalue_type = std::remove_cvref_t<decltype(insert(users).values(one))>;
    using rvalue_type = std::remove_cvref_t<decltype(insert(users).values(User{}))>;
    using bulk_type = std::remove_cvref_t<decltype(insert(users).values(more))>;
    STATIC_REQUIRE_FALSE(std::is_same_v<lvalue_type, rvalue_type>);
    STATIC_REQUIRE(same_text<D, lvalue_type, rvalue_type>());
    STATIC_REQUIRE(same_text<D, lvalue_type, bulk_type>());

    const std::size_t before = db.statements_prepared();
    db.execute(insert(users).values(one));
    db.execute(insert(users).values(User{.email = "two@example.com", .name = "two"}));
    CHECK(db.execute(insert(users).values(more)).rows_affected == 2);
    CHECK(db.statements_prepared() == before + 1);
    CHECK(db.scalar(select(ctorm::count()).from(users)) == 4);
}

TEMPLATE_TEST_CASE("different texts are prepared separately", "[cache]", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    seed_users(db, 5);
    const auto equal = select(users.id).where(users.id == 2);
    const auto less = select(users.id).where(users.id < 2);
    const auto ascending = select(users.id).order_by(users.id.asc());
    const auto descending = select(users.id).order_by(users.id.desc());
    STATIC_REQUIRE_FALSE(same_text<D, std::remove_cvref_t<decltype(equal)>, std::remove_cvref_t<decltype(less)>>());

    const std::size_t before = db.statements_prepared();
    for (int round = 0; round < 3; ++round) {
        CHECK(db.all(equal) == std::vector<std::int64_t>{2});
        CHECK(db.all(less) == std::vector<std::int64_t>{1});
        CHECK(db.all(ascending) == std::vector<std::int64_t>{1, 2, 3, 4, 5});
        CHECK(db.all(descending) == std::vector<std::int64_t>{5, 4, 3, 2, 1});
    }
    CHECK(db.statements_prepared() == before + 4);
}

TEMPLATE_TEST_CASE("the cached statement is reused after a loop that ran it again inside", "[cache]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed_users(db, 4);
    const auto q = select(users.id, users.name).order_by(users.id);
    const std::size_t before = db.statements_prepared();
    int outer = 0;
    for (auto [id, name] : db.execute(q)) {
        // While the loop holds the cached statement, the same type inside it needs another one.
        CHECK(db.all(q).size() == 4);
        CHECK_FALSE(name.empty());
        CHECK(id > 0);
        ++outer;
    }
    CHECK(outer == 4);
    const std::size_t after_loop = db.statements_prepared();
    CHECK(after_loop > before);
    // Once the loop is over, the cached statement serves again: nothing new is prepared.
    for (int i = 0; i < 10; ++i) CHECK(db.all(q).size() == 4);
    CHECK(db.statements_prepared() == after_loop);
}

TEMPLATE_TEST_CASE("a cached statement survives dropping and re-creating its table", "[cache]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed_users(db, 3);
    const auto q = select(users.name).where(users.email == "u1@example.com");
    CHECK(db.one(q) == "user 1");
    db.drop_all(users, posts, post_tags, everything);
    db.create_all(users, posts, post_tags, everything);
    CHECK_FALSE(db.one_or_none(q).has_value());
    db.execute(insert(users).values(User{.email = "u1@example.com", .name = "reborn"}));
    CHECK(db.one(q) == "reborn");
}

TEMPLATE_TEST_CASE("each connection has its own cache, and a moved connection keeps it", "[cache]",
                   CTORM_TEST_BACKENDS) {
    auto first = TestType::fresh("first");
    auto second = TestType::fresh("second");
    seed_users(first, 2);
    seed_users(second, 2);
    const auto q = select(users.name).where(users.id == 1);
    const std::size_t first_before = first.statements_prepared();
    const std::size_t second_before = second.statements_prepared();
    CHECK(first.one(q) == "user 0");
    CHECK(second.one(q) == "user 0");
    CHECK(first.statements_prepared() == first_before + 1);
    CHECK(second.statements_prepared() == second_before + 1);

    auto moved = std::move(first);
    CHECK(moved.statements_prepared() == first_before + 1);
    CHECK(moved.one(q) == "user 0");
    CHECK(moved.statements_prepared() == first_before + 1);
}

TEMPLATE_TEST_CASE("echo sees the text of every statement run, cached or not", "[cache]", CTORM_TEST_BACKENDS) {
    using D = typename TestType::dialect;
    auto db = TestType::fresh();
    seed_users(db, 2);
    std::vector<std::string> seen;
    db.set_echo([&seen](std::string_view sql) { seen.emplace_back(sql); });
    const auto q = select(users.name).where(users.id == 1);
    for (int i = 0; i < 3; ++i) CHECK(db.one(q) == "user 0");
    db.execute(update(users).set(users.name = "x").where(users.id == 2));
    const std::vector<std::string> expected(3, std::string(ctorm::to_sql<D>(q)));
    REQUIRE(seen.size() >= 4);
    CHECK(std::vector<std::string>(seen.begin(), seen.begin() + 3) == expected);
    CHECK(seen.back() == ctorm::to_sql<D>(update(users).set(users.name = "x").where(users.id == 2)));
    // Values never appear in the text: they are bound.
    for (const std::string& sql : seen) CHECK(sql.find("user 0") == std::string::npos);

    db.set_echo(nullptr);
    CHECK(db.one(q) == "user 0");
    CHECK(seen.size() == 4);
}
