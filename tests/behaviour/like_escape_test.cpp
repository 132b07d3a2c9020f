// LIKE patterns mean the same on both backends: a backslash escapes the next
// character (PostgreSQL's default; SQLite is told with ESCAPE '\'), and
// contains / startswith / endswith (and their case-insensitive forms) match
// the user's text as it is, with %, _ and \ in it taken literally. Each case
// failed on SQLite before (no escape character: '\' was an ordinary one).
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace blog;

namespace {

using names = std::vector<std::string>;

template <class Connection, class Condition>
names matching(Connection& db, const Condition& c) {
    auto out = db.all(select(users.name).where(c));
    names sorted(out.begin(), out.end());
    std::sort(sorted.begin(), sorted.end());  // byte order, whatever the server's collation
    return sorted;
}

template <class Connection>
void seed(Connection& db) {
    int i = 0;
    for (const char* name : {"100%", "100 percent", "a_b", "axb", R"(a\b)", "ab", "ABC%", "abc", R"(\\)", "%_\\"}) {
        db.execute(insert(users).values(User{.email = "u" + std::to_string(i++) + "@x.io", .name = name}));
    }
}

}  // namespace

TEMPLATE_TEST_CASE("contains, startswith and endswith match %, _ and \\ as themselves", "[like]", CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    CHECK(matching(db, users.name.contains("%")) == names{"%_\\", "100%", "ABC%"});
    CHECK(matching(db, users.name.contains("_")) == names{"%_\\", "a_b"});
    CHECK(matching(db, users.name.contains(R"(\)")) == names{"%_\\", R"(\\)", R"(a\b)"});
    CHECK(matching(db, users.name.contains(R"(\\)")) == names{R"(\\)"});
    CHECK(matching(db, users.name.startswith("a_")) == names{"a_b"});  // not axb
    CHECK(matching(db, users.name.startswith("100")) == names{"100 percent", "100%"});
    CHECK(matching(db, users.name.endswith("0%")) == names{"100%"});
    CHECK(matching(db, users.name.contains("")).size() == 10);
    CHECK(matching(db, users.name.contains("zz")).empty());
    // Case-insensitive forms.
    CHECK(matching(db, users.name.icontains("c%")) == names{"ABC%"});
    CHECK(matching(db, users.name.istartswith("AB")) == names{"ABC%", "ab", "abc"});
    CHECK(matching(db, users.name.iendswith("BC")) == names{"abc"});
}

TEMPLATE_TEST_CASE("like: a backslash escapes the next character of the pattern on both backends", "[like]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    CHECK(matching(db, users.name.like(R"(a\_b)")) == names{"a_b"});
    CHECK(matching(db, users.name.like("a_b")) == names{R"(a\b)", "a_b", "axb"});  // _ is any one character
    CHECK(matching(db, users.name.like(R"(100\%)")) == names{"100%"});
    CHECK(matching(db, users.name.like(R"(a\\b)")) == names{R"(a\b)"});
    CHECK(matching(db, users.name.not_like(R"(%\%)")) ==
          names{"%_\\", "100 percent", R"(\\)", R"(a\b)", "a_b", "ab", "abc", "axb"});
    CHECK(matching(db, users.name.ilike(R"(abc\%)")) == names{"ABC%"});
}
