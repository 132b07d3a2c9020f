// postgres::connect shows no secret libpq knows (password, sslpassword) in any
// message, for URLs and keyword strings, parsed or not, whatever white space
// separates a keyword string's pairs.
#include "support/pg_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace {

using namespace std::string_literals;

using ctorm_test::contains;

bool printable(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return true;
}

constexpr std::string_view secrets[] = {"hunter2", "swordfish", "letmein"};

// connect(address) must fail with E; returns what() after checking that no secret shows.
template <class E>
std::string failure(const std::string& address) {
    try {
        (void)ctorm::postgres::connect(address);
    } catch (const E& e) {
        const std::string what = e.what();
        CAPTURE(what);
        for (std::string_view secret : secrets) CHECK_FALSE(contains(what, secret));
        CHECK(printable(what));
        return what;
    } catch (const std::exception& e) {
        FAIL("connect() threw something else: " << e.what());
    }
    FAIL("connect() succeeded");
    return {};
}

// Nothing listens there: connecting fails at once.
const std::string closed_port = "host=127.0.0.1 port=1 connect_timeout=5";

}  // namespace

TEST_CASE("a keyword string's sslpassword is hidden in connection_error", "[postgres][url][redaction]") {
    const std::string what =
        failure<ctorm::connection_error>(closed_port + " user=ann password=hunter2 sslpassword=swordfish");
    CHECK(contains(what, "password=***"));
    CHECK(contains(what, "sslpassword=***"));
    CHECK(contains(what, "127.0.0.1"));
    // Quoted, with spaces and escapes.
    failure<ctorm::connection_error>(closed_port + " sslpassword = 'sword fish \\' hunter2' password='letmein'");
}

TEST_CASE("a URL's secrets are hidden in connection_error", "[postgres][url][redaction]") {
    const std::string what = failure<ctorm::connection_error>(
        "postgresql://ann:hunter2@127.0.0.1:1/db?sslpassword=swordfish&password=letmein&connect_timeout=5");
    CHECK(contains(what, "postgresql://ann:***@127.0.0.1:1/db?sslpassword=***&password=***"));
}

TEST_CASE("a keyword string that does not parse hides its secrets, whatever white space separates them",
          "[postgres][url][redaction]") {
    for (const std::string& text :
         {"host=h sslpassword=swordfish broken"s, "host=h\tsslpassword=swordfish\tbroken"s,
          "host=h\npassword=hunter2\nbroken"s, "host=h\r\nsslpassword = swordfish broken"s,
          "sslpassword=sword\\ fish password='hunter2 letmein' broken"s, "password='hunter2"s}) {
        CAPTURE(text);
        const std::string what = failure<ctorm::url_error>(text);
        CHECK(contains(what, "password"));
    }
}

// libpq ends a quoted value at its closing quote and reads what is glued to it
// as the next keyword, so these do not parse; the glued text may be the rest
// of the secret (SQL's '' is no escape in libpq). Found by tests/fuzz/url_fuzz:
// redacting the redacted text hid more than the first redaction had.
TEST_CASE("text glued to a quoted secret's closing quote is hidden with it", "[postgres][url][redaction]") {
    for (const std::string& text : {"host=h password='x'hunter2 broken"s, "sslpassword='sword''swordfish' host=h"s,
                                    "password='let'\\ letmein"s}) {
        CAPTURE(text);
        const std::string what = failure<ctorm::url_error>(text);
        CHECK(contains(what, "password=***"));
        CHECK(ctorm::postgres::detail::redact_keyword_string(what) == what);
    }
}

TEST_CASE("white space between keyword pairs still connects", "[postgres][url]") {
    const std::string keywords = "host=" + ctorm_test::postgres_server_parameter("host") +
                                 "\tport=" + ctorm_test::postgres_server_parameter("port") +
                                 "\nuser=" + ctorm_test::postgres_server_parameter("user") +
                                 "\r\ndbname=" + ctorm_test::postgres_server_parameter("dbname");
    auto db = ctorm::postgres::connect(keywords);
    CHECK(ctorm_test::postgres_query_text(db, "SELECT 1") == "1");
}
