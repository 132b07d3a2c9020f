// in_ / not_in with a list known only at run time, the same on both
// backends: lengths 0, 1 and 1000, integers (from a vector of another integer
// type too), text with quotes and JSON-special characters, a std::span and an
// initializer list, not_in, NULL rows, and one prepared statement whatever
// the length, in static and dynamic() queries.
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

using namespace blog;

namespace {

using ids = std::vector<std::int64_t>;

template <class Connection>
ids add_users(Connection& db, const std::vector<std::string>& names) {
    ids out;
    int i = 0;
    for (const auto& n : names)
        out.push_back(db.one(
            insert(users).values(User{.email = "u" + std::to_string(i++) + "@x.io", .name = n}).returning(users.id)));
    return out;
}

template <class Connection, class Condition>
ids matching(Connection& db, const Condition& c) {
    auto out = db.all(select(users.id).where(c).order_by(users.id));
    return ids(out.begin(), out.end());
}

}  // namespace

TEMPLATE_TEST_CASE("in_(list) and not_in(list) with lists of 0, 1 and 1000 values", "[in]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const ids u = add_users(db, {"ann", "bob", R"(c"y)", "d'ee", R"(e\v)", "[f]"});

    CHECK(matching(db, users.id.in_(ids{})).empty());
    CHECK(matching(db, users.id.not_in(ids{})) == u);
    CHECK(matching(db, users.id.in_(ids{u[2]})) == ids{u[2]});
    CHECK(matching(db, users.id.not_in(ids{u[2]})) == ids{u[0], u[1], u[3], u[4], u[5]});

    ids many;
    for (std::int64_t i = 0; i < 1000; ++i) many.push_back(u[0] + 1 + 2 * i);  // u[1], u[3], u[5], then none
    CHECK(matching(db, users.id.in_(many)) == ids{u[1], u[3], u[5]});
    CHECK(matching(db, users.id.not_in(many)) == ids{u[0], u[2], u[4]});

    // Another integer type, a span, an initializer list.
    const std::vector<int> small{static_cast<int>(u[0]), static_cast<int>(u[4])};
    CHECK(matching(db, users.id.in_(small)) == ids{u[0], u[4]});
    CHECK(matching(db, users.id.in_(std::span<const std::int64_t>(u.data(), 2))) == ids{u[0], u[1]});
    CHECK(matching(db, users.id.in_({u[5], u[3]})) == ids{u[3], u[5]});

    // Text, with the characters JSON and SQL quote.
    const std::vector<std::string> names{R"(c"y)", "d'ee", R"(e\v)", "[f]", "nobody"};
    CHECK(matching(db, users.name.in_(names)) == ids{u[2], u[3], u[4], u[5]});
    CHECK(matching(db, users.name.not_in(names)) == ids{u[0], u[1]});
    CHECK(matching(db, users.name.in_({"ann"})) == ids{u[0]});
}

TEMPLATE_TEST_CASE("in_(list): one prepared statement whatever the length", "[in]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const ids u = add_users(db, {"ann", "bob", "cy"});
    (void)matching(db, users.id.in_(ids{u[0]}));
    const auto prepared = db.statements_prepared();
    CHECK(matching(db, users.id.in_(ids{u[0], u[1]})) == ids{u[0], u[1]});
    CHECK(matching(db, users.id.in_(ids{})).empty());
    CHECK(db.statements_prepared() == prepared);
}

// A dynamic() query holds the list as one array value (ctorm::bound_value):
// the same rows as the static statement, and one prepared statement whatever
// the length.
template <class Connection, class Condition>
ids matching_dynamic(Connection& db, const Condition& c) {
    auto q = ctorm::dynamic(select(users.id).from(users));
    q.where(c).order_by(users.id);
    auto out = db.all(q);
    return ids(out.begin(), out.end());
}

TEMPLATE_TEST_CASE("in_(list) and not_in(list) in a dynamic() query", "[in][dynamic]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    const ids u = add_users(db, {"ann", "bob", R"(c"y)", "d'ee"});
    db.execute(update(users).set(users.is_active = false).where(users.id == u[1]));

    CHECK(matching_dynamic(db, users.id.in_(ids{})).empty());
    CHECK(matching_dynamic(db, users.id.not_in(ids{})) == u);
    CHECK(matching_dynamic(db, users.id.in_(ids{u[2]})) == ids{u[2]});
    ids many;
    for (std::int64_t i = 0; i < 1000; ++i) many.push_back(u[0] + 1 + 2 * i);  // u[1], u[3], then none
    CHECK(matching_dynamic(db, users.id.in_(many)) == ids{u[1], u[3]});
    CHECK(matching_dynamic(db, users.id.not_in(many)) == ids{u[0], u[2]});
    CHECK(matching_dynamic(db, users.id.in_(many)) == matching(db, users.id.in_(many)));

    const std::vector<std::int16_t> small{static_cast<std::int16_t>(u[0]), static_cast<std::int16_t>(u[3])};
    CHECK(matching_dynamic(db, users.id.in_(small)) == ids{u[0], u[3]});
    const std::vector<std::string> names{R"(c"y)", "d'ee", "nobody"};
    CHECK(matching_dynamic(db, users.name.in_(names)) == ids{u[2], u[3]});
    CHECK(matching_dynamic(db, users.name.not_in(names)) == ids{u[0], u[1]});
    CHECK(matching_dynamic(db, users.is_active.in_(std::vector<bool>{false})) == ids{u[1]});
    CHECK(matching_dynamic(db, users.id.in_({u[3], u[0]}) && users.name.not_in({"ann"})) == ids{u[3]});

    (void)matching_dynamic(db, users.id.in_(ids{u[0]}));
    const auto prepared = db.statements_prepared();
    CHECK(matching_dynamic(db, users.id.in_(ids{u[0], u[1]})) == ids{u[0], u[1]});
    CHECK(matching_dynamic(db, users.id.in_(ids{})).empty());
    CHECK(db.statements_prepared() == prepared);
}

TEMPLATE_TEST_CASE("in_(list) on a column that may be NULL: NULL rows match neither, but not_in of an empty list",
                   "[in]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    for (std::optional<std::int64_t> v :
         {std::optional<std::int64_t>(1), std::optional<std::int64_t>(2), std::optional<std::int64_t>()}) {
        Everything row{};
        row.maybe_int = v;
        db.execute(insert(everything).values(row));
    }
    auto count_where = [&](const auto& c) { return db.scalar(select(ctorm::count()).from(everything).where(c)); };
    CHECK(count_where(everything.maybe_int.in_(ids{1, 5})) == 1);
    CHECK(count_where(everything.maybe_int.not_in(ids{1, 5})) == 1);  // 2; the NULL row is neither
    CHECK(count_where(everything.maybe_int.not_in(ids{})) == 3);      // of no value: every row, NULL too (SQL's rule)
}

// The list travels to SQLite as one JSON text, whose reader ends a string at a
// NUL byte: ["a\u0000b"] matched the row "a". Refused on both backends.
TEMPLATE_TEST_CASE("in_(list): a text element with a NUL byte is refused, naming the column", "[in]",
                   CTORM_TEST_BACKENDS) {
    using namespace std::string_literals;
    const std::vector<std::string> list{"ok", "a\0b"s};
    try {
        (void)blog::users.name.in_(list);
        FAIL("accepted");
    } catch (const ctorm::value_error& e) {
        CHECK(e.table() == "users");
        CHECK(e.column() == "name");
        CHECK_THAT(e.what(), Catch::Contains("element 1 holds a NUL byte at byte 1"));
    }
    CHECK_THROWS_AS(blog::users.name.not_in(list), ctorm::value_error);
    auto db = TestType::fresh();
    // Malformed UTF-8 is no trouble for SQLite's JSON; PostgreSQL refuses it as it refuses all such text.
    const auto q = select(blog::users.id).where(blog::users.name.in_(std::vector<std::string>{"ok", "\xFF"}));
    if (TestType::kind == ctorm::sqlite_dialect::name) CHECK(db.all(q).empty());
    else CHECK_THROWS_AS(db.all(q), ctorm::data_error);
}
