// url::redacted() parses back to the same URL with *** for the secrets, for
// every character in every part, and shows no secret.
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <ctorm/engine/url.hpp>
#include <ctorm/errors.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using ctorm_test::contains;

// Every byte but NUL and the unreserved ones as %XX: a part that parses as given.
std::string encoded(std::string_view text) {
    std::string out;
    ctorm::detail::url_text::append_encoded(out, text, {});
    return out;
}

// What parsing the redacted form must give: the URL with its secrets as ***.
ctorm::url with_secrets_hidden(ctorm::url u) {
    if (!u.password.empty()) u.password = "***";
    for (auto& [key, value] : u.query)
        if (key == "password" || key == "sslpassword") value = "***";
    return u;
}

void check_parses_back(const ctorm::url& u) {
    const std::string redacted = u.redacted();
    CAPTURE(redacted);
    ctorm::url again;
    try {
        again = ctorm::parse_url(redacted);
    } catch (const ctorm::url_error& e) {
        FAIL("the redacted form does not parse: " << e.what());
    }
    CHECK(again == with_secrets_hidden(u));
    CHECK(again.redacted() == redacted);
}

// Every printable ASCII character, and a few bytes beyond.
std::vector<std::string> tricky_texts() {
    std::vector<std::string> out;
    for (char c = ' '; c <= '~'; ++c) {
        out.push_back(std::string(1, c));
        out.push_back("a" + std::string(1, c) + "b");
        out.push_back(std::string(2, c));
    }
    for (const char* text : {"@h:1", "a@b", ":***@", "user:pass@host", "[::1]", "a,b", "h:5432", "x?y=z&w", "%41",
                             "g:h", "fe80::1%eth0", "1.2.3.4", "\xC3\xA9t\xC3\xA9", "\xFF\xFE", "\t"})
        out.emplace_back(text);
    return out;
}

}  // namespace

TEST_CASE("the redacted form of postgresql://@h:1?k=a@b parses back to the same URL", "[url][redaction]") {
    const ctorm::url u = ctorm::parse_url("postgresql://@h:1?k=a@b");
    CHECK(u.host == "h");
    CHECK(u.port == 1);
    CHECK(u.option("k") == "a@b");
    check_parses_back(u);
}

TEST_CASE("a redacted URL parses back for every character in every part", "[url][redaction]") {
    for (const std::string& text : tricky_texts()) {
        CAPTURE(text);
        const std::string e = encoded(text);
        // One part at a time holds the text; the others are plain.
        check_parses_back(ctorm::parse_url("postgresql://" + e + ":pw@h:5432/db?k=v"));
        check_parses_back(ctorm::parse_url("postgresql://u:" + e + "@h:5432/db?k=v"));
        check_parses_back(ctorm::parse_url("postgresql://:" + e + "@h/db"));
        check_parses_back(ctorm::parse_url("postgresql://@" + e + ":1?k=v"));
        check_parses_back(ctorm::parse_url("postgresql://u@h1," + e + ":5433/db"));
        check_parses_back(ctorm::parse_url("postgresql://u@h/" + e + "?k=v"));
        check_parses_back(ctorm::parse_url("postgresql://h?" + e + "=v&k=w"));
        check_parses_back(ctorm::parse_url("postgresql://h?k=" + e));
        check_parses_back(ctorm::parse_url("postgresql://h:1?k=" + e + "&password=" + e + "&sslpassword=" + e));
        check_parses_back(ctorm::parse_url("sqlite:///" + e + "?k=" + e));
    }
}

TEST_CASE("redacted forms show no secret", "[url][redaction]") {
    const ctorm::url u =
        ctorm::parse_url("postgresql://ann:hunter2@h:5432/db?sslpassword=swordfish&password=letmein&sslmode=require");
    const std::string redacted = u.redacted();
    CHECK(redacted == "postgresql://ann:***@h:5432/db?sslpassword=***&password=***&sslmode=require");
    for (const char* secret : {"hunter2", "swordfish", "letmein"}) CHECK_FALSE(contains(redacted, secret));
}
