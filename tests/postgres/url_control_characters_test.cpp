// postgres::connect refuses control characters in URLs and keyword strings
// but white space: a raw NUL would have libpq connect with only the text
// before it, without the sslmode=require that followed.
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

TEST_CASE("control characters in a keyword string or URL are refused, a raw NUL first of all", "[postgres][url]") {
    // libpq would read "host=127.0.0.1 port=1" only, and connect without SSL.
    const std::string cut = failure<ctorm::url_error>(closed_port + " password=hunter2\0 sslmode=require"s);
    CHECK(contains(cut, "control character 0x00"));
    CHECK(contains(cut, "sslmode=require"));  // the whole text is shown, escaped
    CHECK(contains(failure<ctorm::url_error>(closed_port + " application_name=a\x01z"s), "control character 0x01"));
    CHECK(contains(failure<ctorm::url_error>(closed_port + " application_name=a\x7fz"s), "control character 0x7F"));
    // The URL form, through the same connect().
    CHECK(contains(failure<ctorm::url_error>("postgresql://ann:hunter2@127.0.0.1:1/db\0?sslmode=require"s),
                   "control character 0x00"));
    // The connection's own constructor, which takes the text as given.
    CHECK_THROWS_AS(ctorm::postgres::connection(closed_port + "\0 sslmode=require"s, "redacted"), ctorm::url_error);
}
