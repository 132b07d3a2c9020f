// postgres::connect: postgresql:// and postgres:// URLs, libpq keyword strings,
// multi-host URLs, options that reach the server; malformed addresses raise
// url_error, unreachable servers and refused logins connection_error, naming
// host and port and never the password.
#include "support/pg_fixture.hpp"
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using ctorm_test::postgres_query_text;
using ctorm_test::postgres_server_parameter;

using ctorm_test::contains;

// The pieces of the test server's address.
struct server {
    std::string host = postgres_server_parameter("host");
    std::string port = postgres_server_parameter("port");
    std::string user = postgres_server_parameter("user");
    std::string password = postgres_server_parameter("password");
    std::string database = postgres_server_parameter("dbname");

    // scheme://user[:password]@host:port/database<tail>
    std::string url(std::string_view scheme = "postgresql", std::string_view tail = {}) const {
        std::string out(scheme);
        out += "://" + user;
        if (!password.empty()) out += ":" + password;
        out += "@" + host + ":" + port + "/" + database;
        out += tail;
        return out;
    }
    // host=... port=... user=... [password=...] dbname=...
    std::string keywords() const {
        std::string out = "host=" + host + " port=" + port + " user=" + user + " dbname=" + database;
        if (!password.empty()) out += " password=" + password;
        return out;
    }
};

// Whether the tests run against the cluster the fixture started (which has
// the password-checked role ctorm_auth), not a server of CTORM_TEST_PG_URL.
bool own_cluster() {
    const char* url = std::getenv("CTORM_TEST_PG_URL");
    return !url || !*url;
}

// Connecting to `address` must fail with connection_error; returns what() after
// checking the parts every such message has.
std::string refused(const std::string& address, std::string_view secret) {
    try {
        (void)ctorm::postgres::connect(address);
    } catch (const ctorm::connection_error& e) {
        const std::string what = e.what();
        CAPTURE(what);
        CHECK(e.backend() == "postgresql");
        CHECK(e.sqlstate().substr(0, 2) == "08");  // connection_exception
        CHECK_FALSE(contains(what, secret));
        CHECK_FALSE(contains(e.message(), secret));
        CHECK(what.find('\n') == std::string::npos);
        return what;
    } catch (const std::exception& e) {
        FAIL("connect(" << address << ") threw something else: " << e.what());
    }
    FAIL("connect(" << address << ") succeeded");
    return {};
}

}  // namespace

TEST_CASE("a postgresql:// URL connects, and postgres:// is the same", "[url]") {
    const server s;
    REQUIRE_FALSE(s.host.empty());
    REQUIRE_FALSE(s.port.empty());
    for (std::string_view scheme : {"postgresql", "postgres"}) {
        CAPTURE(scheme);
        auto db = ctorm::postgres::connect(s.url(scheme));
        CHECK(postgres_query_text(db, "SELECT current_database()") == s.database);
        CHECK(postgres_query_text(db, "SELECT current_user") == s.user);
        CHECK(std::string(PQport(db.native_handle())) == s.port);
    }
}

TEST_CASE("a libpq keyword string connects, quoted values included", "[url]") {
    const server s;
    auto db = ctorm::postgres::connect(s.keywords());
    CHECK(postgres_query_text(db, "SELECT current_database()") == s.database);
    CHECK(std::string(PQport(db.native_handle())) == s.port);

    auto named = ctorm::postgres::connect(s.keywords() + " application_name='ctorm keyword \\'test\\''");
    CHECK(postgres_query_text(named, "SHOW application_name") == "ctorm keyword 'test'");
}

TEST_CASE("a multi-host URL falls through to the host that answers", "[url]") {
    const server s;
    // Port 1 on the loopback refuses at once; the second host is the live server.
    const std::string url = "postgresql://" + s.user + (s.password.empty() ? "" : ":" + s.password) + "@127.0.0.1:1," +
                            s.host + ":" + s.port + "/" + s.database;
    auto db = ctorm::postgres::connect(url);
    CHECK(std::string(PQport(db.native_handle())) == s.port);
    CHECK(postgres_query_text(db, "SELECT current_database()") == s.database);

    // The keyword form of the same list.
    auto keyword =
        ctorm::postgres::connect("host=127.0.0.1," + s.host + " port=1," + s.port + " user=" + s.user +
                                 " dbname=" + s.database + (s.password.empty() ? "" : " password=" + s.password));
    CHECK(std::string(PQport(keyword.native_handle())) == s.port);

    // target_session_attrs is passed on too: any host will do.
    auto any = ctorm::postgres::connect(url + "?target_session_attrs=any");
    CHECK(std::string(PQport(any.native_handle())) == s.port);
}

TEST_CASE("URL options reach the server: sslmode, application_name, options", "[url]") {
    const server s;
    auto db = ctorm::postgres::connect(s.url("postgresql", "?sslmode=disable&application_name=x"));
    CHECK(postgres_query_text(db, "SHOW application_name") == "x");
    CHECK(PQsslInUse(db.native_handle()) == 0);

    // Percent-encoded values are decoded; options= sets server parameters.
    auto encoded =
        ctorm::postgres::connect(s.url("postgresql",
                                       "?application_name=ctorm%20url%20test&options=-c%20search_path%3Dctorm_elsewhere"
                                       "&connect_timeout=10"));
    CHECK(postgres_query_text(encoded, "SHOW application_name") == "ctorm url test");
    CHECK(postgres_query_text(encoded, "SHOW search_path") == "ctorm_elsewhere");
}

namespace {

// connect(address) must raise url_error whose text never holds `secret`.
void check_malformed(const std::string& address, const std::string& secret) {
    CAPTURE(address);
    try {
        (void)ctorm::postgres::connect(address);
        FAIL("accepted");
    } catch (const ctorm::url_error& e) {
        const std::string what = e.what();
        CAPTURE(what);
        CHECK_FALSE(contains(what, secret));
        CHECK_FALSE(contains(e.redacted_url(), secret));
        CHECK_FALSE(e.problem().empty());
        CHECK(contains(what, "invalid database URL"));
    }
}

}  // namespace

TEST_CASE("a malformed URL raises url_error, never showing the password", "[url]") {
    const std::string secret = "pw-Secret-42";
    const std::string addresses[] = {
        "postgresql://ann:" + secret + "@localhost:notaport/db",
        "postgresql://ann:" + secret + "@localhost:99999/db",
        "postgresql://ann:" + secret + "@[::1/db",
        "postgresql://ann:" + secret + "@host1:5432,,host2:5432/db",
        "mysql://ann:" + secret + "@localhost/db",
    };
    for (const std::string& address : addresses) check_malformed(address, secret);
}

// Regression (fixed): for an address that is not a postgresql:// URL,
// postgres::connect (postgres/connection.hpp) throws url_error(problem,
// address), and redact_url_text only hides password= after '?' or '&', so a
// malformed keyword string shows its password in what() and redacted_url();
// libpq's own problem text can quote the input too ('missing "=" after
// "postgresql:/ann:pw@host/db"').
TEST_CASE("a malformed keyword string raises url_error, never showing the password", "[url]") {
    const std::string secret = "pw-Secret-42";
    const std::string addresses[] = {
        "postgresql:/ann:" + secret + "@localhost/db", "host=localhost password=" + secret + " port",
        "host='localhost password=" + secret,          "host=localhost password=" + secret + " no_such_keyword=1",
        "password=" + secret + " host=localhost port",
    };
    for (const std::string& address : addresses) check_malformed(address, secret);
}

TEST_CASE("an unreachable server raises connection_error naming host and port, not the password", "[url]") {
    const std::string secret = "pw-Secret-42";
    std::string what = refused("postgresql://postgres:" + secret + "@127.0.0.1:1/ctorm_test", secret);
    CHECK(contains(what, "127.0.0.1"));
    CHECK(contains(what, "port 1 "));
    CHECK(contains(what, "***"));  // the address is shown, redacted

    what = refused("host=127.0.0.1 port=1 user=postgres password=" + secret + " dbname=ctorm_test", secret);
    CHECK(contains(what, "127.0.0.1"));
    CHECK(contains(what, "port 1 "));
    CHECK(contains(what, "password=***"));

    // An option value libpq refuses is reported the same way.
    what = refused("postgresql://ann@127.0.0.1/db?password=" + secret + "&port=x", secret);
    CHECK(contains(what, "invalid integer value \"x\" for connection option \"port\""));
    CHECK(contains(what, "password=***"));

    // Every host of a list that answers none is named.
    what = refused("postgresql://postgres:" + secret + "@127.0.0.1:1,127.0.0.1:2/ctorm_test", secret);
    CHECK(contains(what, "port 1 "));
    CHECK(contains(what, "port 2 "));
}

TEST_CASE("a refused login raises connection_error naming host and port, not the password", "[url]") {
    const server s;
    const std::string secret = "wrong-Secret-42";
    // The fixture's cluster checks ctorm_auth's password (scripts/pg_cluster);
    // on another server that role does not exist, which is refused too.
    const std::string what = refused(
        "postgresql://ctorm_auth:" + secret + "@" + s.host + ":" + s.port + "/" + s.database + "?sslmode=disable",
        secret);
    CHECK(contains(what, s.host));
    CHECK(contains(what, "port " + s.port));
    CHECK(contains(what, "ctorm_auth"));
    if (own_cluster()) CHECK(contains(what, "password authentication failed"));

    // The keyword form, password quoted.
    const std::string keyword_what = refused(
        "host=" + s.host + " port=" + s.port + " user=ctorm_auth password='" + secret + "' dbname=" + s.database,
        secret);
    CHECK(contains(keyword_what, "port " + s.port));
}

TEST_CASE("a database that does not exist raises connection_error", "[url]") {
    server s;
    s.database = "ctorm_no_such_database";
    const std::string what = refused(s.url(), "\x01never");
    CHECK(contains(what, "ctorm_no_such_database"));
    CHECK(contains(what, "does not exist"));
}
