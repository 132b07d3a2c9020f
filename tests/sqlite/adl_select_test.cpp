// The README's style: `using namespace ctorm;` at global scope next to POSIX's
// ::select (from <sys/select.h>, which the C and C++ headers that sqlite3.h and
// ctorm pull in declare), with unqualified select(...), count(), insert(...),
// update(...) and delete_from(...). It must compile and run, and the POSIX
// function must stay callable.
#include <ctorm/sqlite.hpp>

#include <sys/select.h>
#include <sys/time.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "support/blog_schema.hpp"

using namespace ctorm;
using namespace blog;

TEST_CASE("unqualified select, count, insert, update, delete_from under using namespace ctorm", "[sqlite][adl]") {
    auto db = sqlite::connect("sqlite:///:memory:");
    db.create_all(users, posts, post_tags, everything);

    const execute_result r = db.execute(insert(users).values(User{.email = "ann@x.io", .name = "Ann"}));
    CHECK(r.rows_affected == 1);
    db.execute(insert(users).values(users.email = "bob@x.io", users.name = "Bob"));

    CHECK(db.scalar(select(count()).from(users)) == 2);
    CHECK(db.scalar(select(count(users.id))) == 2);
    CHECK(db.scalar(select(count_distinct(users.is_active))) == 1);

    const std::vector<User> everyone = db.all(select(users).order_by(users.id));
    REQUIRE(everyone.size() == 2);
    CHECK(everyone[0].name == "Ann");

    std::vector<std::string> emails;
    for (auto [id, email] : db.execute(select(users.id, users.email).order_by(users.id.desc()))) {
        CHECK(id > 0);
        emails.push_back(email);
    }
    CHECK(emails == std::vector<std::string>{"bob@x.io", "ann@x.io"});

    CHECK(db.execute(update(users).set(users.is_active = false).where(users.name == "Bob")).rows_affected == 1);
    CHECK(db.one(select(users.name).where(!users.is_active)) == "Bob");
    CHECK(db.execute(delete_from(users).where(users.email == "bob@x.io")).rows_affected == 1);
    CHECK(db.scalar(select(count()).from(users)) == 1);

    // The SQL is the same text the qualified spelling renders.
    STATIC_REQUIRE(to_sql<sqlite_dialect>(select(count()).from(users)) == "SELECT COUNT(*) FROM \"users\"");
    STATIC_REQUIRE(to_sql<sqlite_dialect>(select(users.id).where(users.id == 1)) ==
                   ctorm::to_sql<ctorm::sqlite_dialect>(ctorm::select(users.id).where(users.id == 1)));

    // ctorm's names are visible unqualified too.
    const timestamp t{};
    const blob b{};
    CHECK(t.time_since_epoch().count() == 0);
    CHECK(b.empty());
}

TEST_CASE("POSIX select() is still callable next to ctorm's", "[sqlite][adl]") {
    timeval no_wait{0, 0};
    // No descriptors and a zero timeout: returns 0 at once.
    CHECK(::select(0, nullptr, nullptr, nullptr, &no_wait) == 0);
    fd_set none;
    FD_ZERO(&none);
    no_wait = {0, 0};
    CHECK(select(0, &none, nullptr, nullptr, &no_wait) == 0);  // unqualified, five arguments: POSIX's
}
