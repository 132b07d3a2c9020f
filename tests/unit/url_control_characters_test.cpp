// Control characters in a URL are refused (a raw NUL would cut the text
// libpq or SQLite sees, and the options after it with it); error messages
// quote the URL with its control characters escaped and its secrets hidden.
#include "support/text.hpp"

#include <catch2/catch.hpp>

#include <ctorm/engine/url.hpp>
#include <ctorm/errors.hpp>

#include <string>
#include <string_view>

namespace {

using ctorm_test::contains;

bool printable(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    return true;
}

ctorm::url_error url_error_for(std::string_view text) {
    try {
        (void)ctorm::parse_url(text);
    } catch (const ctorm::url_error& e) {
        return e;
    }
    FAIL("parse_url accepted " << text);
    throw;
}

}  // namespace

TEST_CASE("control characters in a URL are refused, a raw NUL first of all", "[url]") {
    using namespace std::string_literals;
    // libpq and SQLite see a C string: everything after a NUL would be lost,
    // here the sslmode that ctorm's own parse and redacted form still show.
    const std::string cut = "postgresql://u:secret@h/db\0?sslmode=require"s;
    const ctorm::url_error e = url_error_for(cut);
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(contains(what, "control character"));
    CHECK(contains(what, "\\x00"));
    CHECK_FALSE(contains(what, "secret"));
    CHECK(what.find('\0') == std::string::npos);
    CHECK(contains(e.redacted_url(), "db\\x00?sslmode=require"));

    for (const std::string& text :
         {"postgresql://h/db\n"s, "postgresql://h/d\rb"s, "postgresql://u\t@h/db"s, "postgresql://h/db?k=\x7f"s,
          "sqlite:///file\0.db"s, "sqlite:///file.db?mode=ro\x1b"s, "postgresql://u:pa\x01ss@h/db"s}) {
        CAPTURE(text);
        const std::string message = url_error_for(text).what();
        CHECK(contains(message, "control character"));
        CHECK_FALSE(contains(message, "pa\x01ss"));
        CHECK(printable(message));
    }
    // Encoded, they are values like any other (only %00 is refused: it cannot be passed on).
    CHECK(ctorm::parse_url("postgresql://h/db?application_name=a%0Ab").option("application_name") == "a\nb");
    CHECK(contains(url_error_for("postgresql://h/db?application_name=a%00b").what(), "%00"));
}
