// A NUL byte in a SQLite URL or file name is refused: SQLite would open the
// file named by the text before it (and a URL's options after it would be lost).
#include "support/sqlite_fixture.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <string_view>

using namespace std::string_literals;

TEST_CASE("a NUL byte in a sqlite URL is a url_error, and no file is created", "[sqlite][url]") {
    std::filesystem::remove("cut");
    try {
        (void)ctorm::sqlite::connect("sqlite:///cut\0.db?mode=ro"s);
        FAIL("connect() accepted a URL with a NUL byte");
    } catch (const ctorm::url_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("control character 0x00") && Catch::Contains("cut\\x00.db?mode=ro"));
    }
    CHECK_THROWS_AS(ctorm::sqlite::connect("sqlite:///file.db\n"), ctorm::url_error);
    CHECK_FALSE(std::filesystem::exists("cut"));
}

TEST_CASE("a NUL byte in a file name is refused by the connection itself", "[sqlite][url]") {
    std::filesystem::remove("cut");
    try {
        ctorm::sqlite::connection db("cut\0.db"s);
        FAIL("a file name with a NUL byte was opened");
    } catch (const ctorm::operational_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("NUL byte") && Catch::Contains("cut\\x00.db"));
        CHECK(std::string_view(e.what()).find('\0') == std::string_view::npos);
    }
    CHECK_FALSE(std::filesystem::exists("cut"));
}
