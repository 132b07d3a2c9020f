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

// What a LIKE pattern may hold (sql/expression.hpp): well-formed UTF-8 without NUL.
static_assert(ctorm::detail::first_unmatchable_byte("") == std::string_view::npos);
static_assert(ctorm::detail::first_unmatchable_byte("caf\xC3\xA9 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF") ==
              std::string_view::npos);
static_assert(ctorm::detail::first_unmatchable_byte(std::string_view("ab\0c", 4)) == 2);
static_assert(ctorm::detail::first_unmatchable_byte("a\xFF") == 1);
static_assert(ctorm::detail::first_unmatchable_byte("a\xC0\x80") == 1);          // overlong NUL
static_assert(ctorm::detail::first_unmatchable_byte("a\xE0\x80\x80") == 1);      // overlong
static_assert(ctorm::detail::first_unmatchable_byte("a\xED\xA0\x80") == 1);      // a surrogate
static_assert(ctorm::detail::first_unmatchable_byte("a\xF4\x90\x80\x80") == 1);  // past U+10FFFF
static_assert(ctorm::detail::first_unmatchable_byte("ab\xE2\x82") == 2);         // cut short
static_assert(ctorm::detail::first_unmatchable_byte("\x80") == 0);               // a lone continuation byte

// SQLite's LIKE stops at a NUL and reads malformed bytes as U+FFFD: with these
// patterns it matched "a" (the text before the NUL) and every other malformed
// text. They are refused on both backends, before anything is sent.
TEMPLATE_TEST_CASE("a LIKE pattern with a NUL byte or malformed UTF-8 is refused, naming the column", "[like]",
                   CTORM_TEST_BACKENDS) {
    auto db = TestType::fresh();
    seed(db);
    using namespace std::string_literals;
    for (const std::string& bad : {"a\0b"s, "\xFF"s, "a\xC0\x80"s, "%\xED\xA0\x80%"s}) {
        try {
            (void)db.all(select(users.name).where(users.name.like(bad)));
            FAIL("accepted");
        } catch (const ctorm::value_error& e) {
            CHECK(e.table() == "users");
            CHECK(e.column() == "name");
            CHECK_THAT(e.what(), Catch::Contains("a LIKE pattern"));
        }
        CHECK_THROWS_AS(users.name.contains(bad), ctorm::value_error);
        CHECK_THROWS_AS(users.name.istartswith(bad), ctorm::value_error);
        CHECK_THROWS_AS(users.name.not_like(bad), ctorm::value_error);
    }
    CHECK_THROWS_WITH(users.name.like("a\0b"s), Catch::Contains("NUL byte at byte 1"));
    CHECK_THROWS_WITH(users.name.like("ab\xFF"s), Catch::Contains("not valid UTF-8 at byte 2"));
    // Valid UTF-8 of every length goes through.
    db.execute(insert(users).values(User{.email = "u@x.io", .name = "caf\xC3\xA9 \xF0\x9F\x98\x80"}));
    CHECK(matching(db, users.name.contains("\xF0\x9F\x98\x80")) == names{"caf\xC3\xA9 \xF0\x9F\x98\x80"});
    CHECK(matching(db, users.name.like("caf_ _")) == names{"caf\xC3\xA9 \xF0\x9F\x98\x80"});  // _ is a character
}
