// Text the server refuses (22021: a NUL byte, invalid UTF-8) is a data_error
// that names the parameter, its column and where in the value the bad byte
// is; PostgreSQL's own message says none of these.
#include "support/pg_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

using namespace blog;
using namespace std::string_literals;

namespace {

using ctorm_test::contains;

template <class F>
std::string refused_text(F f) {
    try {
        f();
    } catch (const ctorm::data_error& e) {
        CHECK(e.sqlstate() == "22021");
        return e.what();
    } catch (const std::exception& e) {
        FAIL("expected data_error, got: " << e.what());
    }
    FAIL("expected data_error, nothing was thrown");
    return {};
}

User user(std::string email, std::string name) {
    return User{.email = std::move(email), .name = std::move(name), .is_active = true, .created_at = {}};
}

}  // namespace

TEST_CASE("a NUL byte or invalid UTF-8 in text names the parameter and its column", "[postgres][types]") {
    auto db = ctorm_test::postgres_fresh_db("text_refused");
    const std::string nul = refused_text([&] { db.execute(insert(users).values(user("a@example.com", "ab\0c"s))); });
    CAPTURE(nul);
    CHECK(contains(nul, "(parameter $2, users.name: a NUL byte at byte 2"));

    const std::string utf8 =
        refused_text([&] { (void)db.all(select(users.id).where(users.email == "ok\xC3\xA9\xFF"s)); });
    CAPTURE(utf8);
    CHECK(contains(utf8, "(parameter $1, users.email: invalid UTF-8 at byte 4)"));

    const std::string update_text = refused_text(
        [&] { db.execute(update(users).set(users.name = "\xC0\xAF"s).where(users.email == "a@example.com")); });
    CAPTURE(update_text);
    CHECK(contains(update_text, "(parameter $1, users.name: invalid UTF-8 at byte 0)"));

    std::vector<User> rows{user("b@example.com", "fine"), user("c@example.com", "bad\xED\xA0\x80"s)};
    const std::string bulk = refused_text([&] { db.execute(insert(users).values(rows)); });
    CAPTURE(bulk);
    CHECK(contains(bulk,
                   "(row 1 of the bulk insert, counting from 0) (parameter $2, users.name: invalid UTF-8 at byte 3)"));
    CHECK(db.scalar(select(ctorm::count()).from(users)) == 0);
}
